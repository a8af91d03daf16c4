"""Capacity of one app server: how many concurrent viewers it holds with page runs at p95 under 2 s.

    .venv/bin/python -m bench.bench_capacity [--db PATH_OR_URL] [--viewers 1,5,10,20,40]
        [--duration 60] [--think 5] [--pages Portfolio,Project,Earned value,Risk,Milestones]

Method: one server (``serve.py`` through ``tools.server.app_server``, as ``make run``) over the
store (default: the demo, built into a temporary DuckDB file; ``--db`` any DuckDB file or
``postgresql://`` URL). Each simulated viewer is one Streamlit session driven over the app's own
websocket (``/_stcore/stream``) with the browser's protocol (``BackMsg.rerun_script`` with the
page's script hash): it opens the app (the Portfolio page), then, after a think time drawn
uniformly from 0..2x ``--think`` seconds, moves to the next page of ``--pages``, and so on for
``--duration`` seconds. A page run is timed from sending the request to the server's
``script_finished`` (every element delta received): the server's whole work for that click
(script, caches, queries, serialisation). What a browser adds on top (drawing the elements and
Plotly charts, ~0.1-0.4 s per page on the demo, ``bench.bench_browser``) is not included, and the
client processes run on the same machine as the server, so the figures are conservative.

For each number of viewers: page runs completed, median, p95 and max latency, failures, and
the machine's load average before and during the step, and the server process's own CPU time
per page run (from ``/proc``; unlike the latencies it does not depend on what else runs on the
machine), with the saturation bound it implies. Before the first step one session
visits every page once (not counted): the server's first runs import libraries and fill the
shared caches, which a server in service has done long before. The capacity is the largest number of
viewers whose p95 stays under 2 s (``--target``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PAGES = ("Portfolio", "Project", "Earned value", "Risk", "Milestones", "Status report")


@dataclass
class Step:
    viewers: int
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    load_before: float = 0.0
    load_during: list[float] = field(default_factory=list)

    def p(self, q: float) -> float:
        xs = sorted(self.latencies)
        if not xs:
            return float("nan")
        return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


async def _run_page(ws, page_hash: str) -> tuple[float, bool, list]:
    """One page run on the session ``ws``: seconds until ``script_finished``, success, pages seen."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.page_script_hash = page_hash
    t0 = time.perf_counter()
    await ws.send(msg.SerializeToString())
    pages: list = []
    while True:
        fm = ForwardMsg()
        fm.ParseFromString(await ws.recv())
        kind = fm.WhichOneof("type")
        if kind == "navigation":
            pages = list(fm.navigation.app_pages)
        if kind == "script_finished":
            # 0 = finished successfully (ScriptFinishedStatus); errors inside the page show as
            # exception deltas: counted through the element kinds below
            return time.perf_counter() - t0, fm.script_finished == 0, pages
        if kind == "delta" and fm.delta.new_element.WhichOneof("type") == "exception":
            return time.perf_counter() - t0, False, pages


async def _viewer(
    url: str, pages: tuple[str, ...], think: float, until: float, step: Step, rng: random.Random, tour: bool = False
) -> None:
    import websockets

    ws_url = url.replace("http", "ws", 1) + "/_stcore/stream"
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
            took, ok, app_pages = await _run_page(ws, "")  # opening the app: the Portfolio page
            step.latencies.append(took)
            step.failures += not ok
            hashes = {p.page_name: p.page_script_hash for p in app_pages}
            cycle = [hashes[p] for p in pages if p in hashes] or [""]
            if tour:  # every page once
                for h in cycle:
                    took, ok, _ = await _run_page(ws, h)
                    step.latencies.append(took)
                    step.failures += not ok
                return
            i = rng.randrange(len(cycle))
            while time.monotonic() < until:
                await asyncio.sleep(rng.uniform(0, 2 * think))
                if time.monotonic() >= until:
                    break
                i = (i + 1) % len(cycle)
                took, ok, _ = await _run_page(ws, cycle[i])
                step.latencies.append(took)
                step.failures += not ok
    except Exception as exc:  # noqa: BLE001 - a dropped session is a failure of the step
        step.failures += 1
        print(f"    viewer failed: {type(exc).__name__}: {exc}", file=sys.stderr)


async def _step(
    url: str, n: int, pages: tuple[str, ...], think: float, duration: float, seed: int, tour: bool = False
) -> Step:
    step = Step(n, load_before=os.getloadavg()[0])
    until = time.monotonic() + duration
    rng = random.Random(seed)

    async def sample_load() -> None:
        while time.monotonic() < until:
            step.load_during.append(os.getloadavg()[0])
            await asyncio.sleep(5)

    tasks = [_viewer(url, pages, think, until, step, random.Random(rng.random()), tour) for _ in range(n)]
    await asyncio.gather(sample_load(), *tasks)
    return step


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="DuckDB file or postgresql:// URL (default: the demo in a temporary file)")
    ap.add_argument("--viewers", default="1,5,10,20,40", help="concurrent viewers per step, comma-separated")
    ap.add_argument("--duration", type=float, default=60, help="seconds per step")
    ap.add_argument("--think", type=float, default=5, help="mean think time between clicks, seconds")
    ap.add_argument("--pages", default=",".join(DEFAULT_PAGES), help="pages each viewer cycles through")
    ap.add_argument("--target", type=float, default=2.0, help="p95 target, seconds")
    ap.add_argument(
        "--postgres", action="store_true", help="the demo in a PostgreSQL server started from Debian's packages"
    )
    args = ap.parse_args()

    from pmo_analytics import store as store_mod

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        server = None
        if not db:
            from pmo_analytics import demo

            if args.postgres:
                from tests.pg import PgServer

                server = PgServer.start()
                db = server.new_database("capacity")
            else:
                db = str(Path(tmp) / "demo.duckdb")
            demo.build_demo(store_mod.Store(db))
            store_mod.close_all()
        try:
            _measure(db, args, Path(tmp))
        finally:
            if server is not None:
                server.stop()
                server.remove()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(db: str, args: argparse.Namespace, tmp: Path) -> None:
    """The warm-up, then one step per number of viewers on one server over ``db``."""
    from pmo_analytics import store as store_mod
    from tools.server import app_server

    pages = tuple(p.strip() for p in args.pages.split(",") if p.strip())
    print(f"one app server (serve.py) over {store_mod.Store(db).kind}; {os.cpu_count()} cores")
    print(f"viewers cycle through {', '.join(pages)}; think time mean {args.think:g} s; {args.duration:g} s per step")
    print(
        f"{'viewers':>7} {'runs':>5} {'median':>7} {'p95':>7} {'max':>7} {'fail':>4} {'cpu/run':>8}  load before/during"
    )
    best = 0
    cpu_runs: list[float] = []
    with app_server(db, log=tmp / "server.log") as srv:
        # warm-up, not counted: one session visits every page once (library imports, caches)
        warm = asyncio.run(_step(srv.url, 1, pages, 0.0, 0.0, seed=-1, tour=True))
        print(f"warm-up: {len(warm.latencies)} page runs, first {warm.latencies[0]:.1f} s", flush=True)
        for k, n in enumerate(int(v) for v in args.viewers.split(",")):
            cpu0 = _cpu_seconds(srv.proc.pid)
            step = asyncio.run(_step(srv.url, n, pages, args.think, args.duration, seed=k))
            cpu = (_cpu_seconds(srv.proc.pid) - cpu0) / max(1, len(step.latencies))
            cpu_runs.append(cpu)
            during = statistics.mean(step.load_during) if step.load_during else float("nan")
            print(
                f"{n:>7} {len(step.latencies):>5} {statistics.median(step.latencies or [float('nan')]):>6.2f}s "
                f"{step.p(0.95):>6.2f}s {max(step.latencies or [float('nan')]):>6.2f}s {step.failures:>4} {cpu:>7.3f}s  "
                f"{step.load_before:.1f} / {during:.1f}",
                flush=True,
            )
            if step.p(0.95) < args.target and not step.failures:
                best = n
    print(f"capacity: {best} concurrent viewers with page runs at p95 < {args.target:g} s (measured)")
    # Independent of other processes' load: the server's own CPU per page run. One server
    # process runs Python on about one core at a time, so it saturates at 1/cpu runs per second;
    # each viewer asks for one run per (think + run) seconds.
    per_run = statistics.median(cpu_runs)
    per_viewer = 1.0 / (args.think + per_run)
    print(
        f"server CPU per page run: {per_run:.3f} s (median over steps); saturation at {1 / per_run:.1f} runs/s "
        f"= {1 / per_run / per_viewer:.0f} viewers at one click per {args.think + per_run:.1f} s (an upper bound: "
        f"queueing pushes p95 past {args.target:g} s well before saturation)"
    )


if __name__ == "__main__":
    main()
