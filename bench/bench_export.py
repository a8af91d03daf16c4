"""Benchmark: a formatted 100k x 18 table to xlsx/CSV, against the raw library speed.

    .venv/bin/python bench/bench_export.py [--rows 100000] [--openpyxl] [--repeat 1]

Each method runs in a fresh subprocess (so RSS deltas do not mix): the frame is built
first, then peak RSS (ru_maxrss) after the export minus RSS before it is reported.

Methods:
- raw:      xlsxwriter constant_memory, ``ws.write_row`` per ``df.itertuples()`` row
            (no formats, no header block, no sanitising) - the speed of the library itself
- ours:     ``export.to_excel_bytes`` with header block, money/percent/ratio formats,
            dates, two RAG columns, widths, frozen header, autofilter
- report:   ``report_workbook.portfolio_report`` with the table as its Tasks sheet
- openpyxl: ``DataFrame.to_excel(engine="openpyxl")`` (only with --openpyxl; slow)
- csv:      ``export.to_csv_bytes`` vs raw ``DataFrame.to_csv``
Target (issue #7): ours <= 1.2 x raw time and < +50 MiB RSS. Ratios use CPU time of the
exporting process (the machine is shared; wall time is printed too).
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_frame(n: int):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(1)
    day = pd.Timestamp("2024-01-01")
    return pd.DataFrame(
        {
            "Project ID": [f"P{i % 500:04d}" for i in range(n)],
            "Task ID": [f"T{i:06d}" for i in range(n)],
            "Task": [f"Task number {i} design review" for i in range(n)],
            "WBS": [f"1.{i % 20}.{i % 7}" for i in range(n)],
            "Start": day + pd.to_timedelta(rng.integers(0, 500, n), unit="D"),
            "Finish": day + pd.to_timedelta(rng.integers(150, 650, n), unit="D"),
            "Baseline finish": day + pd.to_timedelta(rng.integers(150, 650, n), unit="D"),
            "% complete": rng.random(n),
            "BAC": rng.random(n) * 1e5,
            "AC": rng.random(n) * 1e5,
            "PV": rng.random(n) * 1e5,
            "EV": rng.random(n) * 1e5,
            "CPI": rng.random(n) + 0.5,
            "SPI": rng.random(n) + 0.5,
            "Total float (days)": rng.integers(-10, 50, n).astype(float),
            "Outline level": rng.integers(1, 5, n),
            "Resources": [f"Person {i % 300}" for i in range(n)],
            "RAG": rng.choice(["green", "amber", "red"], n),
        }
    )


def _rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _rag(v):
    if v is None:
        return ""
    return "green" if v >= 0.95 else ("red" if v < 0.85 else "amber")


def run_one(method: str, n: int) -> dict:
    df = make_frame(n)
    import gc

    import xlsxwriter  # noqa: F401 - imports outside the timed part

    import pmo_analytics.export  # noqa: F401
    import pmo_analytics.report_workbook  # noqa: F401

    gc.collect()
    before = _rss_mib()
    t0 = time.perf_counter()
    c0 = time.process_time()
    if method == "raw":
        import xlsxwriter

        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "nan_inf_to_errors": True})
        ws = wb.add_worksheet("Data")
        ws.write_row(0, 0, list(df.columns))
        for r, row in enumerate(df.itertuples(index=False), 1):
            ws.write_row(r, 0, row)
        wb.close()
        size = len(buf.getvalue())
    elif method == "ours":
        from pmo_analytics.export import to_excel_bytes

        data = to_excel_bytes(
            df,
            title="Tasks",
            header_lines=["Filters: Portfolio = All", "Status date: 2024-05-01"],
            column_formats={"BAC": "money", "AC": "money", "PV": "money", "EV": "money", "% complete": "percent"},
            currency="CNY",
            rag_columns={"RAG": lambda v: v, "CPI": _rag},
        )
        size = len(data)
    elif method == "report":
        from pmo_analytics.report_workbook import portfolio_report

        data = portfolio_report(tasks=df)
        size = len(data)
    elif method == "openpyxl":
        buf = io.BytesIO()
        df.to_excel(buf, index=False, engine="openpyxl")
        size = len(buf.getvalue())
    elif method == "csv_raw":
        size = len(df.to_csv(index=False).encode("utf-8"))
    elif method == "csv":
        from pmo_analytics.export import to_csv_bytes

        size = len(to_csv_bytes(df))
    else:
        raise SystemExit(f"unknown method {method}")
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"method": method, "seconds": seconds, "cpu": cpu, "rss_delta_mib": max(peak - before, 0.0), "bytes": size}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--openpyxl", action="store_true", help="also time pandas.to_excel with openpyxl (slow)")
    ap.add_argument("--report", action="store_true", help="also time the portfolio report with the table as Tasks")
    ap.add_argument("--repeat", type=int, default=1, help="runs per method; the fastest is reported")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.rows)))
        return
    methods = ["raw", "ours"] + (["report"] if args.report else []) + (["openpyxl"] if args.openpyxl else [])
    methods += ["csv_raw", "csv"]
    runs: dict[str, list[dict]] = {m: [] for m in methods}
    for _ in range(args.repeat):  # interleaved, so load from other processes hits every method alike
        for m in methods:
            out = subprocess.run(
                [sys.executable, __file__, "--one", m, "--rows", str(args.rows)],
                check=True,
                capture_output=True,
                text=True,
            )
            runs[m].append(json.loads(out.stdout.strip().splitlines()[-1]))
    results = {m: min(r, key=lambda x: x["cpu"]) for m, r in runs.items()}
    print(f"{args.rows:,} rows x 18 columns (best of {args.repeat} by CPU time; wall time suffers from other load)")
    print(f"{'method':<10} {'wall s':>8} {'CPU s':>8} {'x raw':>7} {'RSS +MiB':>9} {'MB':>7}")
    for m, r in results.items():
        base = results["csv_raw"] if m.startswith("csv") else results["raw"]
        ratio = r["cpu"] / base["cpu"]
        print(
            f"{m:<10} {r['seconds']:8.2f} {r['cpu']:8.2f} {ratio:7.2f} {r['rss_delta_mib']:9.1f} {r['bytes'] / 1e6:7.1f}"
        )


if __name__ == "__main__":
    main()
