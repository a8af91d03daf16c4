"""All benchmarks side by side, one table of medians and ratios.

    .venv/bin/python -m bench.run_all            # full sizes (several minutes)
    .venv/bin/python -m bench.run_all --quick    # small sizes (about a minute or two)
    .venv/bin/python -m bench.run_all --only ingest,evm

Each row: what ran, its median time (or size), the baseline measured in the same run on the
same data (the raw speed of the library underneath), and ours / baseline. The other benchmark
modules (bench_ingest, bench_evm, bench_export, bench_schedule, bench_app) provide the data
builders and methods; a module that is missing is reported in the table, not fatal.

Baselines:
- ingest xlsx: python-calamine reading the sheet to Python values; ingest csv: DuckDB read_csv
  to Arrow. "parse" = read, detect, normalise, validate; "+load" adds Store.import_parsed.
- EVM: one DuckDB SQL query computing the same weekly PV curves and status values; also a
  straightforward pandas version (each in its own process, as bench_evm does).
- export: xlsxwriter constant_memory writing the rows without formats (bench_export "raw").
- page: the portfolio page's library calls without Streamlit (bench_app).
- Gantt: JSON bytes of the figure for 5,000 tasks (full run: against px.timeline's).
- server: start to a healthy /_stcore/health (no baseline).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUICK = {
    "xlsx_rows": 10_000,
    "csv_rows": 100_000,
    "evm_sizes": [10_000],
    "export_rows": 20_000,
    "page_projects": 1000,
    "page_tasks": 5,
    "gantt_tasks": 5000,
    "repeat": 1,
    "page_repeat": 2,
    "server_repeat": 1,
    "naive_gantt": False,
}
FULL = {
    "xlsx_rows": 100_000,
    "csv_rows": 1_000_000,
    "evm_sizes": [10_000, 100_000, 1_000_000],
    "export_rows": 100_000,
    "page_projects": 1000,
    "page_tasks": 20,
    "gantt_tasks": 5000,
    "repeat": 3,
    "page_repeat": 5,
    "server_repeat": 3,
    "naive_gantt": True,
}


@dataclass
class Row:
    area: str
    case: str
    ours: float | None = None
    base_name: str = ""
    base: float | None = None
    unit: str = "s"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.base:
            return None
        return self.ours / self.base


def median(values: list[float]) -> float:
    return statistics.median(values)


def _module(name: str):
    """A bench module, or None (reported) when it is not there."""
    try:
        return importlib.import_module(f"bench.{name}")
    except ImportError as exc:
        if f"bench.{name}" in str(exc) or name in str(exc):
            return None
        raise


# ----------------------------------------------------------------------------- sections
def ingest(cfg: dict) -> list[Row]:
    bi = _module("bench_ingest")
    if bi is None:
        return [Row("ingest", "-", note="bench/bench_ingest.py is missing: skipped")]
    import duckdb
    from python_calamine import CalamineWorkbook

    from pmo_analytics import store as store_mod
    from pmo_analytics.ingest import parse_bytes

    folder = Path(tempfile.gettempdir()) / "pmo_bench_ingest"
    folder.mkdir(exist_ok=True)
    xlsx = folder / f"tasks_{cfg['xlsx_rows']}.xlsx"
    csvp = folder / f"tasks_{cfg['csv_rows']}.csv"
    if not xlsx.exists():
        bi.make_xlsx(xlsx, cfg["xlsx_rows"])
    if not csvp.exists():
        bi.make_csv(csvp, cfg["csv_rows"])
    rows = []
    cases = [
        (
            f"xlsx {cfg['xlsx_rows']:,} rows",
            xlsx,
            "python-calamine",
            lambda p: CalamineWorkbook.from_filelike(io.BytesIO(p.read_bytes())).get_sheet_by_name("Tasks").to_python(),
        ),
        (
            f"csv {cfg['csv_rows']:,} rows",
            csvp,
            "duckdb read_csv",
            lambda p: duckdb.connect().sql("SELECT * FROM read_csv(?)", params=[str(p)]).to_arrow_table(),
        ),
    ]
    for label, path, base_name, raw_fn in cases:
        data = path.read_bytes()
        raw, parse, load = [], [], []
        for _ in range(cfg["repeat"]):  # interleaved: load from elsewhere hits both alike
            gc.collect()
            t = time.perf_counter()
            raw_fn(path)
            raw.append(time.perf_counter() - t)
            gc.collect()
            t = time.perf_counter()
            parsed = parse_bytes(path.name, data)
            parse.append(time.perf_counter() - t)
            with tempfile.TemporaryDirectory() as tmp:
                s = store_mod.Store(Path(tmp) / "bench.duckdb")
                t = time.perf_counter()
                s.import_parsed(parsed, date(2025, 1, 31))
                load.append(time.perf_counter() - t)
                store_mod.close_all()
        note = f"{len(data) / 2**20:.0f} MiB, {parsed.rejected_rows} rejected"
        rows.append(Row("ingest", f"{label}: parse", median(parse), base_name, median(raw), note=note))
        rows.append(Row("ingest", f"{label}: parse + load", median(parse) + median(load), base_name, median(raw)))
    return rows


def evm(cfg: dict) -> list[Row]:
    be = _module("bench_evm")
    if be is None:
        return [Row("evm", "-", note="bench/bench_evm.py is missing: skipped")]
    rows = []
    for n in cfg["evm_sizes"]:
        runs: dict[str, list] = {"duckdb": [], "engine": [], "pandas": []}
        for _ in range(cfg["repeat"]):
            for method in runs:  # side by side, each in a fresh process (peak RSS its own)
                secs, peak, _n, err = be.measure(method, n, 1)
                if err:
                    raise RuntimeError(f"{method} {n}: {err}")
                runs[method].append((secs, peak))
        base = median([s for s, _ in runs["duckdb"]])
        for method in ("engine", "pandas"):
            t = median([s for s, _ in runs[method]])
            peak = max(p for _, p in runs[method]) / 2**20
            rows.append(
                Row("evm", f"{n:,} tasks: {method}", t, "duckdb one query", base, note=f"peak RSS {peak:,.0f} MiB")
            )
    return rows


def export(cfg: dict) -> list[Row]:
    bx = _module("bench_export")
    if bx is None:
        return [Row("export", "-", note="bench/bench_export.py is missing: skipped")]
    n = cfg["export_rows"]
    runs: dict[str, list[dict]] = {m: [] for m in ("raw", "ours", "csv_raw", "csv")}
    for _ in range(cfg["repeat"]):
        for m in runs:
            out = subprocess.run(
                [sys.executable, bx.__file__, "--one", m, "--rows", str(n)],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            runs[m].append(json.loads(out.stdout.strip().splitlines()[-1]))

    def med(m: str) -> float:
        return median([r["seconds"] for r in runs[m]])

    rss = max(r["rss_delta_mib"] for r in runs["ours"])
    return [
        Row(
            "export",
            f"xlsx {n:,} x 18",
            med("ours"),
            "xlsxwriter constant_memory",
            med("raw"),
            note=f"RSS +{rss:.0f} MiB",
        ),
        Row("export", f"csv {n:,} x 18", med("csv"), "DataFrame.to_csv", med("csv_raw")),
    ]


def page(cfg: dict) -> list[Row]:
    ba = _module("bench_app")
    if ba is None:
        return [Row("page", "-", note="bench/bench_app.py is missing: skipped")]
    with tempfile.TemporaryDirectory() as tmp:
        db = ba.synthetic_store(Path(tmp) / "page.duckdb", cfg["page_projects"], cfg["page_tasks"])
        p = ba.page_times(db, cfg["page_repeat"])
        case = f"portfolio, {cfg['page_projects']:,} projects x {cfg['page_tasks']} tasks"
        rows = [
            Row("page", f"{case}: first run", p["cold"], "library calls alone", p["library"]),
            Row("page", f"{case}: rerun", p["warm"], "library calls alone", p["library"], note="cached loads"),
        ]
        t = ba.server_start(db, cfg["server_repeat"])
        rows.append(Row("server", "start to /_stcore/health 200", t))
    return rows


def gantt(cfg: dict) -> list[Row]:
    bs = _module("bench_schedule")
    if bs is None:
        return [Row("gantt", "-", note="bench/bench_schedule.py is missing: skipped")]
    import pandas as pd

    from pmo_analytics.charts.gantt import gantt_figure
    from pmo_analytics.metrics.cpm import cpm

    n = cfg["gantt_tasks"]
    tasks, links = bs.network(n, int(n * 1.5))
    status = pd.Timestamp("2024-05-01")
    res = cpm(tasks, links, status_date=status)
    times, size = [], 0
    for _ in range(max(1, cfg["repeat"])):
        t = time.perf_counter()
        js = gantt_figure(tasks, links, res, status_date=status.date()).to_json()
        times.append(time.perf_counter() - t)
        size = len(js)
    row = Row("gantt", f"{n:,} tasks: figure JSON", size / 1e6, unit="MB", note=f"{size / n:,.0f} B/task")
    rows = [row, Row("gantt", f"{n:,} tasks: build + to_json", median(times))]
    if cfg["naive_gantt"]:
        import plotly.express as px

        t = time.perf_counter()
        df = tasks.assign(end=tasks["finish"] + pd.Timedelta(days=1))
        naive = px.timeline(df, x_start="start", x_end="end", y="name", color="task_id").to_json()
        t_naive = time.perf_counter() - t
        row.base_name, row.base = "px.timeline (one trace per task)", len(naive) / 1e6
        rows[1].base_name, rows[1].base = "px.timeline", t_naive
    return rows


SECTIONS = {"ingest": ingest, "evm": evm, "export": export, "page": page, "gantt": gantt}


# ----------------------------------------------------------------------------- output
def _fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "s":
        return f"{v:.3f} s" if v < 10 else f"{v:.1f} s"
    return f"{v:.2f} {unit}"


def table(rows: list[Row]) -> str:
    head = ("area", "case", "ours (median)", "baseline", "baseline (median)", "ratio", "note")
    body = [
        (
            r.area,
            r.case,
            _fmt(r.ours, r.unit),
            r.base_name or "—",
            _fmt(r.base, r.unit),
            "—" if r.ratio is None else f"{r.ratio:.2f}x",
            r.note,
        )
        for r in rows
    ]
    widths = [max(len(str(x[i])) for x in [head, *body]) for i in range(len(head))]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"  # noqa: E731
    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(b) for b in body]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, one repeat (about a minute or two)")
    ap.add_argument("--only", help="comma-separated sections: " + ",".join(SECTIONS))
    args = ap.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    chosen = [s.strip() for s in args.only.split(",")] if args.only else list(SECTIONS)
    rows: list[Row] = []
    t0 = time.perf_counter()
    for name in chosen:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            rows += SECTIONS[name](cfg)
        except Exception as exc:  # noqa: BLE001 - one failing benchmark must not hide the rest
            traceback.print_exc()
            rows.append(Row(name, "-", note=f"failed: {type(exc).__name__}: {exc}"))
    mode = "quick" if args.quick else "full"
    print(
        f"\nPMO Portfolio Health benchmarks ({mode}; {os.cpu_count()} cores; "
        f"python {sys.version.split()[0]}; {time.perf_counter() - t0:.0f} s)\n"
    )
    print(table(rows))
    print("\nratio = ours / baseline, both measured in this run on the same data (lower is better).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
