"""App benchmarks: the portfolio page's rerun time in AppTest on a synthetic store, and the time
from starting the server to a healthy ``/_stcore/health``.

    .venv/bin/python -m bench.bench_app [--projects 1000] [--tasks 20] [--repeat 5]
    .venv/bin/python -m bench.bench_app --backends [--import-rows 100000] [--pg URL]   (DuckDB beside PostgreSQL)

- page: ``AppTest`` of ``app.py`` (sidebar filters + the portfolio page) on a store of N
  projects x T tasks with two status dates. "cold" = the first run after the caches were
  cleared (loads from DuckDB, EVM metrics); "warm" = a rerun (what a click costs); the baseline
  is the library work of the page called directly (``Store.table`` through ``PortfolioFrames``,
  ``portfolio_view.build`` and ``in_words``: everything the page's one cached view computes)
  without Streamlit.
- server: ``streamlit run app.py`` to the first 200 from ``/_stcore/health`` (median of runs).

Before/after: ``--against DIR`` times the Portfolio page (cold first run, warm rerun) of the
checkout in DIR and of this one side by side on the same store, each in its own process,
alternating rounds; medians and the ratio new/old. DIR is any older checkout, e.g.
``git archive <commit> | tar -x -C DIR``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STATUS_DATES = (date(2025, 5, 31), date(2025, 6, 30))


def synthetic_store(
    db: Path | str, n_projects: int, tasks_per_project: int = 20, seed: int = 1, timings: list[float] | None = None
) -> Path | str:
    """A store (a DuckDB file or a ``postgresql://`` URL) with ``n_projects`` projects (12
    programs, 6 departments) and their tasks at two status dates (progress grows between them).
    Deterministic. ``timings`` receives the seconds of each of the two imports (the store's write:
    one transaction of projects + tasks)."""
    import numpy as np
    import pandas as pd

    from pmo_analytics import store as store_mod
    from pmo_analytics.ingest.base import ParsedUpload

    rng = np.random.default_rng(seed)
    pids = [f"P{i:05d}" for i in range(n_projects)]
    projects = pd.DataFrame(
        {
            "project_id": pids,
            "name": [f"Project {i}" for i in range(n_projects)],
            "program": [f"Program {i % 12}" for i in range(n_projects)],
            "portfolio": "Synthetic",
            "department": [f"Dept {i % 6}" for i in range(n_projects)],
            "manager": [f"Manager {i % 40}" for i in range(n_projects)],
            "bac": 1000.0 * tasks_per_project,
            "start": pd.Timestamp("2025-01-06"),
            "finish": pd.Timestamp("2025-12-19"),
        }
    )
    n = n_projects * tasks_per_project
    start = pd.Timestamp("2025-01-06") + pd.to_timedelta(rng.integers(0, 250, n), unit="D")
    dur = pd.to_timedelta(rng.integers(5, 60, n), unit="D")
    base = pd.DataFrame(
        {
            "project_id": np.repeat(pids, tasks_per_project),
            "task_id": [str(i % tasks_per_project + 1) for i in range(n)],
            "name": [f"Task {i}" for i in range(n)],
            "start": start,
            "finish": start + dur,
            "baseline_start": start,
            "baseline_finish": start + dur,
            "bac": 1000.0,
        }
    )
    store = store_mod.Store(db)
    for k, sd in enumerate(STATUS_DATES):
        frac = np.clip(np.asarray((pd.Timestamp(sd) - start) / dur, dtype=float), 0, 1)
        tasks = base.assign(
            percent_complete=(frac * rng.uniform(0.8, 1.1, n)).clip(0, 1).round(2),
            actual_cost=(1000.0 * frac * rng.uniform(0.9, 1.3, n)).round(0),
        )
        t0 = time.perf_counter()
        store.import_parsed(
            ParsedUpload(
                source_name=f"synthetic_{k}.xlsx",
                source_format="template",
                sha256=hashlib.sha256(f"{n_projects}-{tasks_per_project}-{seed}-{k}".encode()).hexdigest(),
                tables={"projects": projects, "tasks": tasks},
                rows_in=len(projects) + len(tasks),
            ),
            sd,
        )
        if timings is not None:
            timings.append(time.perf_counter() - t0)
    store_mod.close_all()
    return db


def library_time(db: Path | str) -> float:
    """The portfolio page's work without Streamlit: the frames read from the store, the view
    (``portfolio_view.build``: metrics, totals with the currency conversion, DCMA quality, the
    health engine, table, matrix) and its words and figures (``in_words``)."""
    from pmo_analytics import store as store_mod
    from pmo_analytics.frames import PortfolioFrames, Selection, resolve
    from pmo_analytics.portfolio_view import build, in_words
    from pmo_analytics.schema import typed_frame
    from pmo_analytics.settings import Settings

    s = store_mod.Store(db)
    t0 = time.perf_counter()
    scope = resolve(typed_frame("projects", s.table("projects")), Selection())

    def read(table: str, history: bool, sc) -> object:
        ids = list(sc.project_ids) if sc.project_ids is not None else None
        return s.table(table, current=not history, as_of=sc.as_of, projects=ids, exclude=list(sc.exclude_ids) or None)

    view = build(PortfolioFrames(scope, read), Settings())
    in_words(view, "en", Settings())
    out = time.perf_counter() - t0
    store_mod.close_all()
    return out


def page_times(db: Path | str, repeat: int = 5, library: bool = True) -> dict[str, float]:
    """Median cold run and warm rerun of the portfolio page in AppTest, and the library baseline
    (``library=False`` skips it: an older checkout in ``--against`` lacks today's functions)."""
    import logging

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from pmo_analytics import store as store_mod

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    os.environ["PMO_DB"] = str(db)
    cold, warm, lib = [], [], []
    for _ in range(repeat):
        st.cache_data.clear()
        store_mod.close_all()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        t0 = time.perf_counter()
        at.run()
        cold.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError([e.value for e in at.exception])
        projects = {m.label: m.value for m in at.metric}.get("Projects")
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
        if library:
            lib.append(library_time(db))
    store_mod.close_all()
    return {
        "cold": statistics.median(cold),
        "warm": statistics.median(warm),
        "library": statistics.median(lib) if lib else float("nan"),
        "projects_shown": projects,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_start(db: Path, repeat: int = 3, timeout: float = 120) -> float:
    """Median seconds from ``streamlit run app.py`` to the first 200 from /_stcore/health (polled
    every 20 ms here: tools.server.wait_healthy's 0.2 s would blur the figure)."""
    from tools import server

    times = []
    for _ in range(repeat):
        port = _free_port()
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            server.command(port, streamlit_run=True, entry=ROOT / "app.py"),
            cwd=ROOT,
            env=dict(os.environ, PMO_DB=str(db)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                if time.perf_counter() - t0 > timeout or proc.poll() is not None:
                    raise RuntimeError("the server did not become healthy")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    time.sleep(0.02)
            times.append(time.perf_counter() - t0)
        finally:
            server.stop(proc)
    return statistics.median(times)


def _page_times_of(root: Path, db: Path, repeat: int, build: tuple[int, int]) -> dict[str, float]:
    """``page_times`` of the checkout in ``root`` (its app.py and pmo_analytics), in a child process.
    The child first builds ``db`` with that checkout's own store code when it does not exist yet
    (``build`` = projects, tasks): an older version cannot open a file of a newer schema."""
    me = Path(__file__).resolve()
    code = (
        "import importlib.util, json, sys\n"
        "from pathlib import Path\n"
        f"spec = importlib.util.spec_from_file_location('bench_app_side', {str(me)!r})\n"
        "b = importlib.util.module_from_spec(spec); spec.loader.exec_module(b)\n"
        # the package under test is the one in root, not the one beside this file
        f"sys.path[:] = [p for p in sys.path if p != {str(ROOT)!r}]; sys.path.insert(0, {str(root)!r})\n"
        f"b.ROOT = Path({str(root)!r})\n"
        f"db = Path({str(db)!r})\n"
        f"db.exists() or b.synthetic_store(db, {build[0]}, {build[1]})\n"
        f"p = b.page_times(db, {repeat}, library=False)\n"
        "import pmo_analytics\n"
        "p['package'] = pmo_analytics.__file__\n"
        "print(json.dumps(p))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True, timeout=3600
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def side_by_side(tmp: Path, against: Path, rounds: int, repeat: int, build: tuple[int, int]) -> None:
    """The Portfolio page of ``against`` and of this checkout, alternating rounds; medians, ratio.
    Each side reads a store of the same synthetic portfolio written by its own code in ``tmp``."""
    old_root = against.resolve()
    if not (old_root / "app.py").is_file():
        raise SystemExit(f"{old_root} holds no app.py (an older checkout of this project)")
    times: dict[str, dict[str, list[float]]] = {k: {"cold": [], "warm": []} for k in ("old", "new")}
    shown = {}
    for _ in range(rounds):
        for side, root in (("old", old_root), ("new", ROOT)):
            p = _page_times_of(root, tmp / f"{side}.duckdb", repeat, build)
            times[side]["cold"].append(p["cold"])
            times[side]["warm"].append(p["warm"])
            shown[side] = p["projects_shown"]
            if not str(p["package"]).startswith(str(root)):
                raise SystemExit(f"{side}: timed {p['package']}, not the package in {root}")
    print(
        f"portfolio page side by side (medians of {rounds} rounds x {repeat}; projects shown old {shown['old']}, new {shown['new']})"
    )
    for kind in ("cold", "warm"):
        o, n = statistics.median(times["old"][kind]), statistics.median(times["new"][kind])
        print(f"  {kind:<5} old {o:7.3f} s   new {n:7.3f} s   new/old {n / o:5.2f}x")


def backends(tmp: Path, n_projects: int, tasks: int, repeat: int, import_rows: int, pg_url: str | None) -> None:
    """The DuckDB file beside PostgreSQL in one run: an import of ``import_rows`` task rows (the
    store's write, median of its two imports, into a fresh store of each), the reporting refresh
    after it, and the Portfolio page at ``n_projects`` (first run, rerun) in AppTest. Without
    ``pg_url`` a PostgreSQL server is started from Debian's packages (tests/pg.py)."""
    from pmo_analytics import reporting
    from pmo_analytics import store as store_mod

    server = None
    if not pg_url:
        from tests.pg import PgServer

        server = PgServer.start()
    os.environ["PMO_REPORTING"] = "off"  # the import alone; the refresh is timed on its own
    try:
        made = iter(range(1_000_000))

        def target(kind: str, name: str) -> str:
            if kind == "duckdb":
                return str(tmp / f"{name}.duckdb")
            if server is not None:
                return server.new_database("bench")
            if next(made):
                raise SystemExit("--pg URL serves one store only: leave --pg out to start a server")
            return str(pg_url)

        rows = {}
        for kind in ("duckdb", "postgres"):
            per = max(1, import_rows // 50)
            took: list[float] = []
            big = synthetic_store(target(kind, "import"), per, 50, timings=took)
            t0 = time.perf_counter()
            reporting.refresh(store_mod.Store(big))
            refresh = time.perf_counter() - t0
            store_mod.close_all()
            page_db = synthetic_store(target(kind, "page"), n_projects, tasks)
            p = page_times(page_db, repeat, library=False)
            rows[kind] = {"import": statistics.median(took), "refresh": refresh, **p}
        print(
            f"DuckDB file beside PostgreSQL ({'server started from Debian packages' if server else 'given URL'}); "
            f"import of {import_rows:,} task rows ({import_rows // 50:,} projects x 50, the store's write); "
            f"Portfolio page at {n_projects:,} projects x {tasks} tasks x 2 status dates, median of {repeat}"
        )
        print(f"{'':10} {'import':>8} {'reporting':>9} {'page first':>10} {'page rerun':>10}")
        for kind, r in rows.items():
            print(f"{kind:10} {r['import']:7.2f}s {r['refresh']:8.2f}s {r['cold']:9.2f}s {r['warm']:9.3f}s")
        d, g = rows["duckdb"], rows["postgres"]
        print(
            f"{'pg/duckdb':10} {g['import'] / d['import']:7.2f}x {g['refresh'] / d['refresh']:8.2f}x "
            f"{g['cold'] / d['cold']:9.2f}x {g['warm'] / d['warm']:9.2f}x   (target: page rerun within 1.5x)"
        )
        print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    finally:
        store_mod.close_all()
        if server is not None:
            server.stop()
            server.remove()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--projects", type=int, default=1000)
    ap.add_argument("--tasks", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--against", type=Path, help="an older checkout: time its Portfolio page beside this one")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds with --against")
    ap.add_argument(
        "--backends", action="store_true", help="the DuckDB file beside PostgreSQL: import, reporting refresh, page"
    )
    ap.add_argument("--pg", help="with --backends: an empty PostgreSQL database URL (default: start a server)")
    ap.add_argument("--import-rows", type=int, default=100_000, help="with --backends: task rows of the import")
    args = ap.parse_args()
    if args.backends:
        with tempfile.TemporaryDirectory() as tmp:
            backends(Path(tmp), args.projects, args.tasks, args.repeat, args.import_rows, args.pg)
        return
    if args.against:
        with tempfile.TemporaryDirectory() as tmp:
            side_by_side(Path(tmp), args.against, args.rounds, args.repeat, (args.projects, args.tasks))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = synthetic_store(Path(tmp) / "bench_app.duckdb", args.projects, args.tasks)
        p = page_times(db, args.repeat)
        print(
            f"portfolio page, {args.projects:,} projects x {args.tasks} tasks x 2 status dates "
            f"(shows {p['projects_shown']} projects): cold {p['cold']:.2f} s, warm rerun {p['warm']:.3f} s, "
            f"library alone {p['library']:.2f} s (cold/library {p['cold'] / p['library']:.2f}x)"
        )
        print(f"server start to healthy: {server_start(db, 3):.2f} s (median of 3)")


if __name__ == "__main__":
    main()
