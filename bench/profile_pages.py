"""Where a page's script run spends its time: every page run in ``AppTest`` on the demo, warm.

    .venv/bin/python -m bench.profile_pages [--repeat 3] [--only risk,burn] [--top 25] [--db FILE]

Per page: the app (sidebar filters + the page, as a click runs it) once to fill the caches,
then ``--repeat`` timed reruns; the median CPU time of the process (the script thread's work;
wall time on a machine shared by several developers is mostly waiting) is what a click costs
on the server before the browser draws (bench/bench_browser.py measures click -> drawn). With ``--top N`` the last rerun
runs under cProfile (the script thread's calls only) and the N functions with the largest
cumulative time are printed: the place to look before caching or trimming a page. Timings are
reported, never asserted; the machine's load average is printed with them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _profiled_runner(profile: cProfile.Profile | None):
    """Make AppTest's script thread run under ``profile`` (None: as it is)."""
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    original = getattr(LocalScriptRunner, "_pmo_original", LocalScriptRunner._run_script_thread)
    LocalScriptRunner._pmo_original = original  # type: ignore[attr-defined]

    def run(self) -> None:
        if profile is None:
            original(self)
            return
        profile.enable()
        try:
            original(self)
        finally:
            profile.disable()

    LocalScriptRunner._run_script_thread = run  # type: ignore[method-assign]


def page_times(slug: str, stem: str, repeat: int, top: int) -> tuple[list[float], str]:
    """CPU seconds of ``repeat`` warm reruns of page ``stem`` and, with ``top``, its profile."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    if slug != "portfolio":
        at.switch_page(f"pages/{stem}.py")
        if slug == "project":
            at.query_params["id"] = "PRJ-104"
        at.run()
    if at.exception:
        raise RuntimeError(f"{slug}: {[e.value for e in at.exception]}")
    times = []
    for i in range(repeat):
        profile = cProfile.Profile() if top and i == repeat - 1 else None
        _profiled_runner(profile)
        t0 = time.process_time()  # CPU seconds of the process: on a shared machine wall time is noise
        at.run()
        times.append(time.process_time() - t0)
        _profiled_runner(None)
        if profile is not None:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(top)
            return times, out.getvalue()
    return times, ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Warm AppTest rerun time per page on the demo (optionally profiled)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", help="comma-separated page slugs")
    ap.add_argument("--top", type=int, default=0, help="print the N largest cumulative times of the last rerun")
    ap.add_argument("--db", help="a store to copy (default: a fresh demo)")
    args = ap.parse_args(argv)
    from tools.browser import pages

    wanted = {s.strip() for s in args.only.split(",")} if args.only else None
    chosen = [(stem, slug) for stem, slug in pages() if wanted is None or slug in wanted]
    one, five, _ = os.getloadavg()
    print(f"load average before: {one:.1f} / {five:.1f} on {os.cpu_count()} CPUs", flush=True)
    with tempfile.TemporaryDirectory(prefix="pmo-profile-") as tmp:
        db = Path(tmp) / "demo.duckdb"
        if args.db:
            shutil.copyfile(args.db, db)
        else:
            subprocess.run(
                [sys.executable, "-m", "pmo_analytics", "demo", "--db", str(db)],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
        os.environ["PMO_DB"] = str(db)
        os.environ.setdefault("PMO_LANG", "en")
        rows = []
        for stem, slug in chosen:
            times, profile = page_times(slug, stem, args.repeat, args.top)
            rows.append((slug, statistics.median(times)))
            print(f"{slug:<18} median {statistics.median(times):.3f} s CPU  ({', '.join(f'{t:.3f}' for t in times)})")
            if profile:
                print(profile)
    one, five, _ = os.getloadavg()
    print(f"load average after: {one:.1f} / {five:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
