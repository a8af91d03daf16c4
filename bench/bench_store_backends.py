"""Benchmark: the store on both backends, the DuckDB file and PostgreSQL, in one run.

    .venv/bin/python bench/bench_store_backends.py [--url postgresql://...] [--reads 5]

Without ``--url`` a throwaway PostgreSQL server is started from Debian's packages
(``tests/pg.py``, as the tests do) and stopped at the end. Prints, per backend:
- import: the 4 demo workbooks (``data/demo``) loaded with ``Store.import_parsed`` (parsing
  done before the clock starts: this is the store's share of an import);
- read:   ``Store.table("tasks")`` (the current snapshot, through Arrow into pandas), the first
  read after opening and the median of ``--reads`` more;
and the PostgreSQL / DuckDB ratio of each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(target: str, parsed: list, reads: int) -> dict[str, float]:
    from pmo_analytics import importing
    from pmo_analytics import store as store_mod

    s = store_mod.Store(target)
    s.counts()  # opened and migrated before the clock starts
    t0 = time.perf_counter()
    for p in parsed:
        s.import_parsed(p, importing.status_date_for(p, None))
    t1 = time.perf_counter()
    store_mod.close_all()
    s = store_mod.Store(target)
    s.counts()
    t2 = time.perf_counter()
    rows = len(s.table("tasks"))
    first = time.perf_counter() - t2
    again = []
    for _ in range(reads):
        t = time.perf_counter()
        s.table("tasks")
        again.append(time.perf_counter() - t)
    store_mod.close_all()
    return {"import_s": t1 - t0, "first_read_s": first, "read_s": statistics.median(again), "rows": rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--url", help="an empty PostgreSQL database (default: start a throwaway server)")
    ap.add_argument("--reads", type=int, default=5)
    args = ap.parse_args()
    from pmo_analytics import importing

    files = sorted((ROOT / "data" / "demo").glob("portfolio_*.xlsx"))
    parsed = [importing.parse_upload(f.name, f.read_bytes()) for f in files]
    server = None
    url = args.url
    if url is None:
        from tests.pg import PgServer

        server = PgServer.start()
        url = server.new_database("bench")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            duck = measure(str(Path(tmp) / "bench.duckdb"), parsed, args.reads)
        pg = measure(url, parsed, args.reads)
    finally:
        if server is not None:
            server.stop()
            server.remove()
    print(f"demo: {len(files)} workbooks, tasks snapshot {duck['rows']} rows")
    for key, what in (("import_s", "import (store)"), ("first_read_s", "table('tasks') first"), ("read_s", "table('tasks') again")):  # fmt: skip
        print(f"{what:22s} duckdb {duck[key]:.3f} s  postgres {pg[key]:.3f} s  ratio {pg[key] / duck[key]:.2f}")


if __name__ == "__main__":
    main()
