"""Import benchmark: a 100k-row x 18-column xlsx and a 1M-row CSV, end to end (read, detect,
normalise, validate; then load into a temporary DuckDB store), against the raw speed of the
underlying readers:

- xlsx: python-calamine reading the sheet to Python values (``get_sheet_by_name(...).to_python()``);
- CSV: DuckDB ``read_csv`` of the same file into an Arrow table.

Run: ``.venv/bin/python bench/bench_ingest.py [--xlsx-rows N] [--csv-rows N] [--repeat R]``.
Input files are generated once (deterministic) into ``$TMPDIR/pmo_bench_ingest``. Timings are the
best of ``--repeat`` runs; ratios are ours / raw reader.

Before/after on a busy machine: ``--against DIR`` times the ``pmo_analytics`` package found in DIR
(an older copy, e.g. ``git archive <commit> pmo_analytics | tar -x -C DIR``) side by side with this
one: raw reader, old and new parse in turn, ``--repeat`` rounds, medians (no load step).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADERS = [
    "Project ID",
    "Task ID",
    "WBS",
    "Task Name",
    "Outline Level",
    "Summary",
    "Milestone",
    "Start",
    "Finish",
    "Baseline Start",
    "Baseline Finish",
    "Actual Start",
    "Actual Finish",
    "% Complete",
    "Budget",
    "Actual Cost",
    "Resources",
    "Total Float",
]


def rows(n: int, seed: int = 1):
    rnd = random.Random(seed)
    base = datetime(2024, 1, 1)
    for i in range(n):
        s = base + timedelta(days=rnd.randint(0, 700))
        f = s + timedelta(days=rnd.randint(1, 60))
        yield [
            f"P{i % 50:03d}",
            f"T{i:07d}",
            f"1.{i % 100}.{i}",
            f"Task number {i}",
            1 + i % 4,
            i % 10 == 0,
            i % 25 == 0,
            s,
            f,
            s,
            f,
            s if i % 3 == 0 else None,
            f if i % 6 == 0 else None,
            rnd.randint(0, 100) / 100,
            round(rnd.random() * 10000, 2),
            round(rnd.random() * 5000, 2),
            "Alice;Bob" if i % 2 else "Carol",
            rnd.randint(-5, 40),
        ]


def make_xlsx(path: Path, n: int) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Tasks")
    fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, HEADERS)
    for r, row in enumerate(rows(n), 1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, datetime):
                ws.write_datetime(r, c, v, fmt)
            else:
                ws.write(r, c, v)
    wb.close()


def make_csv(path: Path, n: int) -> None:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        for row in rows(n):
            w.writerow(["" if v is None else v.date().isoformat() if isinstance(v, datetime) else v for v in row])


def best(fn, repeat: int) -> tuple[float, object]:
    out, times = None, []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def load_package_copy(folder: Path, alias: str = "pmo_baseline"):
    """``pmo_analytics`` from ``folder`` imported as ``alias`` (its relative imports stay inside the
    copy), so two versions of the import path run in one process."""
    import importlib.util

    init = folder / "pmo_analytics" / "__init__.py"
    spec = importlib.util.spec_from_file_location(alias, init, submodule_search_locations=[str(init.parent)])
    mod = importlib.util.module_from_spec(spec)
    sys.modules[alias] = mod
    spec.loader.exec_module(mod)
    return importlib.import_module(f"{alias}.ingest")


def side_by_side(cases, against: Path, repeat: int) -> None:
    """Raw reader, the copy in ``against`` and this checkout, alternating; medians and ratios."""
    import statistics

    from pmo_analytics import ingest as new

    old = load_package_copy(against)
    print(f"\n{'file':<22}{'raw':>8}{'old':>8}{'ratio':>7}{'new':>8}{'ratio':>7}   (medians of {repeat}, alternating)")
    for label, path, raw_fn in cases:
        data = path.read_bytes()
        fns = {
            "raw": lambda p=path, f=raw_fn: f(p),
            "old": lambda d=data, p=path: old.parse_bytes(p.name, d),
            "new": lambda d=data, p=path: new.parse_bytes(p.name, d),
        }
        times: dict[str, list[float]] = {k: [] for k in fns}
        for f in fns.values():  # warm up (imports, caches)
            f()
        for _ in range(repeat):
            for k, f in fns.items():
                t = time.perf_counter()
                f()
                times[k].append(time.perf_counter() - t)
        med = {k: statistics.median(v) for k, v in times.items()}
        print(
            f"{label:<22}{med['raw']:>7.2f}s{med['old']:>7.2f}s{med['old'] / med['raw']:>6.2f}x"
            f"{med['new']:>7.2f}s{med['new'] / med['raw']:>6.2f}x"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--xlsx-rows", type=int, default=100_000)
    ap.add_argument("--csv-rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--isolated", action="store_true", help="also time safety.parse_isolated (child process)")
    ap.add_argument("--against", type=Path, help="a folder holding an older pmo_analytics: time both side by side")
    args = ap.parse_args()

    import duckdb
    from python_calamine import CalamineWorkbook

    from pmo_analytics import store as store_mod
    from pmo_analytics.ingest import parse_bytes

    folder = Path(tempfile.gettempdir()) / "pmo_bench_ingest"
    folder.mkdir(exist_ok=True)
    xlsx = folder / f"tasks_{args.xlsx_rows}.xlsx"
    csvp = folder / f"tasks_{args.csv_rows}.csv"
    if not xlsx.exists():
        print(f"writing {xlsx} ...", flush=True)
        make_xlsx(xlsx, args.xlsx_rows)
    if not csvp.exists():
        print(f"writing {csvp} ...", flush=True)
        make_csv(csvp, args.csv_rows)

    cases = [
        (
            f"xlsx {args.xlsx_rows:,} x {len(HEADERS)}",
            xlsx,
            lambda p: CalamineWorkbook.from_filelike(io.BytesIO(p.read_bytes())).get_sheet_by_name("Tasks").to_python(),
        ),
        (
            f"csv {args.csv_rows:,} x {len(HEADERS)}",
            csvp,
            lambda p: duckdb.connect().sql("SELECT * FROM read_csv(?)", params=[str(p)]).to_arrow_table(),
        ),
    ]
    if args.against:
        side_by_side(cases, args.against, max(3, args.repeat))
        return
    results = []
    for label, path, raw_fn in cases:
        data = path.read_bytes()
        t_raw, _ = best(lambda p=path, f=raw_fn: f(p), args.repeat)
        t_parse, parsed = best(lambda d=data, p=path: parse_bytes(p.name, d), args.repeat)
        assert parsed.rejected_rows == 0 and parsed.rows_loaded == (
            args.xlsx_rows if path == xlsx else args.csv_rows
        ), (parsed.rows_loaded, parsed.problems[:3])

        def load(p=parsed):
            with tempfile.TemporaryDirectory() as tmp:
                s = store_mod.Store(Path(tmp) / "bench.duckdb")
                s.import_parsed(p, date(2025, 1, 31))
                store_mod.close_all()

        t_load, _ = best(load, max(1, args.repeat - 1))

        def raw_write(p=path, f=raw_fn, is_csv=(path == csvp)):
            """The raw reader plus writing its rows into a table of a DuckDB file: the floor of
            an end-to-end import into DuckDB (no detection, typing or validation)."""
            with tempfile.TemporaryDirectory() as tmp:
                con = duckdb.connect(str(Path(tmp) / "raw.duckdb"))
                if is_csv:
                    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(p)])
                else:
                    import pandas as pd

                    values = f(p)
                    frame = pd.DataFrame(values[1:], columns=[str(h) for h in values[0]])
                    con.register("frame", frame)
                    con.execute("CREATE TABLE t AS SELECT * FROM frame")
                con.close()

        t_raw_write, _ = best(raw_write, max(1, args.repeat - 1))
        row = {
            "file": label,
            "MB": len(data) / 2**20,
            "raw": t_raw,
            "parse": t_parse,
            "load": t_load,
            "raw_write": t_raw_write,
        }
        if args.isolated:
            from pmo_analytics.ingest.safety import parse_isolated

            parse_isolated(path.name, data[:2000] if path == csvp else data)  # start the fork server
            row["isolated"], _ = best(lambda d=data, p=path: parse_isolated(p.name, d), args.repeat)
        results.append(row)

    print(
        f"\n{'file':<22}{'MiB':>7}{'raw':>8}{'parse':>8}{'ratio':>7}{'+load':>8}{'ratio':>7}"
        f"{'raw+write':>10}{'ratio':>7}" + (f"{'isolated':>10}{'ratio':>7}" if args.isolated else "")
    )
    for r in results:
        line = (
            f"{r['file']:<22}{r['MB']:>7.1f}{r['raw']:>7.2f}s{r['parse']:>7.2f}s{r['parse'] / r['raw']:>6.2f}x"
            f"{r['parse'] + r['load']:>7.2f}s{(r['parse'] + r['load']) / r['raw']:>6.2f}x"
            f"{r['raw_write']:>9.2f}s{(r['parse'] + r['load']) / r['raw_write']:>6.2f}x"
        )
        if args.isolated:
            line += f"{r['isolated']:>9.2f}s{r['isolated'] / r['raw']:>6.2f}x"
        print(line)
    print(
        "\nraw = python-calamine get_sheet_by_name().to_python() (xlsx) / DuckDB read_csv -> Arrow (csv);"
        "\nparse = ingest.parse_bytes (read, detect, normalise, validate); +load = parse + Store.import_parsed;"
        "\nraw+write = the raw read plus CREATE TABLE from it in a DuckDB file; its ratio is +load / raw+write;"
        f"\ntarget: parse within 1.5x of raw. cores: {os.cpu_count()}"
    )


if __name__ == "__main__":
    main()
