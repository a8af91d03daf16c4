"""Memory benchmark: peak resident memory (RSS) while the largest allowed upload, a CSV of
``PMO_MAX_UPLOAD_MB`` (200 MB) generated into the temporary folder (never the repository), is
imported end to end through the same library path as the Import page (``importing.parse_upload``:
the isolated parse child; then ``importing.load`` into a DuckDB store).

Measured from outside: the importing process and every child it starts are sampled from
``/proc`` every 20 ms; printed are the peak of the whole tree (what the server would need), of
the importing process alone, and of the parse child alone, next to the file size. Linux only.

Run: ``.venv/bin/python -m bench.bench_memory [--mb 200] [--keep]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE")


def make_csv(path: Path, mb: float) -> None:
    """A task CSV of about ``mb`` MiB (the ingest benchmark's rows: 18 columns)."""
    import csv
    from datetime import datetime

    from bench.bench_ingest import HEADERS, rows

    target = int(mb * 2**20)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        for i, row in enumerate(rows(10**9)):
            w.writerow(["" if v is None else v.date().isoformat() if isinstance(v, datetime) else v for v in row])
            if i % 10000 == 0 and fh.tell() >= target:
                break


def make_xlsx(path: Path, mb: float) -> None:
    """A task workbook of about ``mb`` MiB (xlsx is compressed: about 60 bytes a row)."""
    from bench.bench_ingest import make_xlsx as _make

    _make(path, int(mb * 2**20 / 60))


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(d))
    return kids


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


class Sampler(threading.Thread):
    """Peak RSS of ``pid`` alone, of its descendants (each), and of the whole tree."""

    def __init__(self, pid: int, every: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_tree = self.peak_main = self.peak_child = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            kids = _children()
            todo, tree = [self.pid], []
            while todo:
                p = todo.pop()
                tree.append(p)
                todo.extend(kids.get(p, []))
            sizes = {p: _rss(p) for p in tree}
            self.peak_tree = max(self.peak_tree, sum(sizes.values()))
            self.peak_main = max(self.peak_main, sizes.get(self.pid, 0))
            others = [v for p, v in sizes.items() if p != self.pid]
            if others:
                self.peak_child = max(self.peak_child, max(others))
            time.sleep(self.every)


IMPORT = """
import os, sys
from datetime import date
from pmo_analytics import importing, memory
from pmo_analytics.store import Store

def rss():
    with open("/proc/self/statm", "rb") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20

path, db = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
parsed = importing.parse_upload(os.path.basename(path), data)
result = importing.load(Store(db), parsed, date(2026, 1, 31), confirmed=True)
print(result.summary())
held = rss()
del parsed, data, result
memory.release()
print(f"after: {held} {rss()}")
"""


def measure(path: Path, db: Path) -> dict:
    """Import ``path`` the way the Import page does (``importing.parse_upload`` in the isolated
    child, then ``importing.load``) in a fresh process; peak RSS of that process and its child,
    and its RSS after the import with the rows still held and after they are let go."""
    env = {**os.environ, "PMO_IMPORT_MEMORY_MB": "0"}  # measure, do not refuse
    t = time.perf_counter()
    cmd = [sys.executable, "-c", IMPORT, str(path), str(db)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    s = Sampler(proc.pid)
    s.start()
    out, err = proc.communicate()
    s.stop.set()
    s.join()
    lines = out.strip().splitlines()
    after = [ln for ln in lines if ln.startswith("after: ")]
    held, released = (int(x) for x in after[0].split()[1:]) if after else (0, 0)
    return {
        "code": proc.returncode,
        "seconds": time.perf_counter() - t,
        "tree": s.peak_tree,
        "main": s.peak_main,
        "child": s.peak_child,
        "held": held,
        "released": released,
        "out": [ln for ln in lines if not ln.startswith("after: ")][-1:] + err.strip().splitlines()[-3:],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=float(os.environ.get("PMO_MAX_UPLOAD_MB", 200)) - 0.5)
    ap.add_argument("--keep", action="store_true", help="keep the generated file for the next run")
    ap.add_argument("--xlsx", action="store_true", help="an xlsx workbook of the same rows instead of a CSV")
    args = ap.parse_args(argv)
    folder = Path(tempfile.gettempdir()) / "pmo_bench_memory"
    folder.mkdir(exist_ok=True)
    csv_path = folder / f"tasks_{int(args.mb)}mb.{'xlsx' if args.xlsx else 'csv'}"
    if not csv_path.exists():
        print(f"writing {csv_path} ...", flush=True)
        (make_xlsx if args.xlsx else make_csv)(csv_path, args.mb)
    size = csv_path.stat().st_size
    db = folder / "bench_memory.duckdb"
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    r = measure(csv_path, db)
    mib = 2**20
    print(
        f"file: {size / mib:,.0f} MiB {csv_path.suffix[1:].upper()} ({csv_path.name}); exit code {r['code']}; {r['seconds']:.0f} s"
    )
    print(f"peak RSS, whole import (process + parse child): {r['tree'] / mib:,.0f} MiB")
    print(f"peak RSS, importing process alone:              {r['main'] / mib:,.0f} MiB")
    print(f"peak RSS, parse child alone:                    {r['child'] / mib:,.0f} MiB")
    print(f"RSS after the import, rows still referenced:    {r['held']:,} MiB")
    print(f"RSS after they are let go (memory.release):     {r['released']:,} MiB")
    if r["tree"]:
        factor = (r["tree"] / mib - 150) / (size / mib)
        print(f"estimate for pmo_analytics.memory: 150 MiB + {factor:.1f} x file size")
    for line in r["out"]:
        print(f"  | {line}")
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    if not args.keep:
        csv_path.unlink(missing_ok=True)
    return 0 if r["code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
