"""Agreement of our CPM with the float and critical flag MS Project / P6 stored in their files.

Over the incomplete non-summary tasks of every schedule file in the shared samples
(``$PMO_SHARED/samples`` or ``../shared/samples``: .mpp, .xer, MSPDI .xml) and the corpus listed in
``bench/corpus.tsv`` (repository, commit, path, SHA-256: files of the MPXJ repository's
``junit/data`` folder and a real P6 schedule kept by PyP6Xer, each read from ``PMO_CORPUS/<path>``;
skipped when ``PMO_CORPUS`` is not set), this prints the share of tasks whose total float is within
+-0.5 day of the stored value *and* whose critical flag equals the stored one, in all and per tool.

Self-contradicting files: for an auto-scheduled, unstarted task without links (nor links on
its summaries), constraint, deadline or leveling delay, MS Project's late finish is the project
finish on that task's calendar, the same for every such task on one calendar (not with
"multiple critical paths", where each such task ends late at its own finish: those projects
are not checked). The late finish its stored
values imply (stored finish + stored total slack, on its calendar) is checked for that: a file
where two such tasks on one calendar imply late finishes more than one working day apart holds
slack from an earlier calculation (saved without recalculating) that no schedule of its inputs
can reproduce. Such files are counted and listed apart (``stale``), and the share is also given
without them; they stay in the headline figure. This reads stored values for the diagnosis only.

Each file is imported as the app imports it (``importing.parse_upload``: isolated child, MPXJ for
native files); the stored ``total_float_days`` and ``is_critical`` are blanked before our CPM runs
(``cpm.cpm`` with the file's calendars and project row), so nothing stored is reused.

    PMO_CORPUS=/tmp/corpus python -m bench.schedule_agreement [--misses N] [--json]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_TSV = Path(__file__).resolve().parent / "corpus.tsv"


@dataclass
class FileResult:
    name: str
    tasks: int = 0
    agree: int = 0
    float_ok: int = 0
    crit_ok: int = 0
    error: str = ""
    misses: list = field(default_factory=list)
    seconds: float = 0.0
    stale: str = ""  # why the file's stored slack contradicts itself ("" when it does not)
    tool: str = ""  # whose rules the file follows: msproject, p6


def shared_samples() -> list[Path]:
    base = Path(os.environ.get("PMO_SHARED") or ROOT.parent / "shared") / "samples"
    if not base.is_dir():
        return []
    out = []
    for p in sorted(base.iterdir()):
        if p.suffix.lower() in (".mpp", ".xer") or (
            p.suffix == ".xml" and b"schemas.microsoft.com/project" in p.read_bytes()[:4096]
        ):
            out.append(p)
    return out


def corpus_files() -> list[tuple[Path, str]]:
    """(path, expected sha256) of each corpus.tsv row present under ``PMO_CORPUS``."""
    folder = os.environ.get("PMO_CORPUS")
    if not folder or not CORPUS_TSV.exists():
        return []
    out = []
    with CORPUS_TSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            p = Path(folder) / row["path"]
            if p.exists():
                out.append((p, row["sha256"]))
    return out


def compare(parsed) -> FileResult:
    """Our CPM against the stored float/critical of one parsed file."""
    import pandas as pd

    from pmo_analytics.metrics.cpm import cpm

    t = parsed.tables.get("tasks")
    res = FileResult(parsed.source_name)
    projects = parsed.tables.get("projects")
    if projects is not None and "schedule_tool" in projects.columns and len(projects):
        res.tool = str(projects["schedule_tool"].iloc[0] or "")
    if t is None or t.empty or "total_float_days" not in t.columns:
        return res
    stored = t[["project_id", "task_id", "total_float_days", "is_critical"]].copy()
    blank = t.copy()
    blank["total_float_days"] = float("nan")
    blank["is_critical"] = pd.NA
    if parsed.proposed_status_date is not None:
        blank["status_date"] = pd.Timestamp(parsed.proposed_status_date)
    ours = cpm(
        blank,
        parsed.tables.get("links"),
        calendars=parsed.tables.get("calendars"),
        projects=parsed.tables.get("projects"),
        on_error="skip",
    )
    m = stored.merge(ours, on=["project_id", "task_id"], suffixes=("_stored", ""))
    m = m.merge(
        t[["project_id", "task_id", "is_summary", "percent_complete", "actual_finish", "name"]],
        on=["project_id", "task_id"],
        suffixes=("", "_t"),
    )
    keep = (
        ~m["is_summary"].fillna(False).astype(bool)
        & m["total_float_days_stored"].notna()
        & ~(m["percent_complete"].fillna(0) >= 1)
        & m["actual_finish"].isna()
    )
    m = m[keep]
    for r in m.itertuples(index=False):
        f_ok = not math.isnan(r.total_float_days) and abs(r.total_float_days - r.total_float_days_stored) <= 0.5 + 1e-9
        stored_crit = bool(r.is_critical) if r.is_critical is not pd.NA and r.is_critical == r.is_critical else False
        c_ok = bool(r.critical) == stored_crit
        res.tasks += 1
        res.float_ok += f_ok
        res.crit_ok += c_ok
        res.agree += f_ok and c_ok
        if not (f_ok and c_ok):
            res.misses.append(
                (r.task_id, r.name, r.total_float_days_stored, r.total_float_days, stored_crit, bool(r.critical))
            )
    return res


def stale_evidence(parsed) -> str:
    """Why the stored slack of ``parsed`` contradicts itself (module doc,
    ``metrics.stored_slack``), or "" when it does not."""
    from pmo_analytics.metrics.stored_slack import stale_slack

    return "; ".join(s.text() for s in stale_slack(parsed.tables))


def run(files: list[Path]) -> list[FileResult]:
    """Parse and compare each file. Runs inside the capped child (``main``), where one JVM
    serves every file (an isolated child per file would start one JVM per file)."""
    import time

    from pmo_analytics.ingest import parse_bytes

    out = []
    for p in files:
        t0 = time.perf_counter()
        try:
            parsed = parse_bytes(p.name, p.read_bytes())
            out.append(compare(parsed))
            out[-1].stale = stale_evidence(parsed)
        except Exception as exc:  # noqa: BLE001 - a file we cannot read is reported, not fatal
            out.append(FileResult(p.name, error=f"{type(exc).__name__}: {exc}"[:200]))
        out[-1].seconds = time.perf_counter() - t0
        if os.environ.get("PMO_AGREEMENT_PROGRESS"):
            print(f"  {p.name}: {out[-1].tasks} tasks, {out[-1].seconds:.1f} s", file=sys.stderr, flush=True)
    return out


def _in_capped_child(argv: list[str]) -> int:
    """Re-run this script in a child process with the parse child's limits (address-space cap,
    ``PMO_PARSE_CHILD_MB`` set, so ``ingest.jvm`` may start the JVM there and nowhere else)."""
    import resource
    import subprocess

    from pmo_analytics.ingest.safety import DEFAULT_MEMORY_MB

    cap = int(float(os.environ.get("PMO_PARSE_MEMORY_MB", DEFAULT_MEMORY_MB)))

    def limit() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (cap * 2**20, cap * 2**20))

    env = dict(os.environ, PMO_PARSE_CHILD_MB=str(cap), PYTHONPATH=str(ROOT))
    return subprocess.call(
        [sys.executable, "-m", "bench.schedule_agreement", *argv], env=env, cwd=ROOT, preexec_fn=limit
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not os.environ.get("PMO_PARSE_CHILD_MB"):
        return _in_capped_child(argv)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", type=int, default=5, help="misses listed per file")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--only", default="", help="only files whose name contains this")
    ap.add_argument("--quiet", action="store_true", help="only files with misses, and the total")
    args = ap.parse_args(argv)
    files = shared_samples()
    bad = []
    for p, sha in corpus_files():
        if hashlib.sha256(p.read_bytes()).hexdigest() != sha:
            bad.append(p.name)
            continue
        files.append(p)
    files = [f for f in files if args.only in str(f)]
    results = run(files)
    total = sum(r.tasks for r in results)
    agree = sum(r.agree for r in results)
    summary = {
        "files": len(results),
        "files_with_tasks": sum(1 for r in results if r.tasks),
        "unreadable": [r.name for r in results if r.error],
        "sha_mismatch": bad,
        "tasks": total,
        "agree": agree,
        "share": agree / total if total else None,
        "float_share": sum(r.float_ok for r in results) / total if total else None,
        "critical_share": sum(r.crit_ok for r in results) / total if total else None,
        "stale_files": [r.name for r in results if r.stale],
        "stale_tasks": sum(r.tasks for r in results if r.stale),
        "stale_misses": sum(r.tasks - r.agree for r in results if r.stale),
    }
    kept = [r for r in results if not r.stale]
    k_total = sum(r.tasks for r in kept)
    summary["share_without_stale"] = sum(r.agree for r in kept) / k_total if k_total else None
    summary["by_tool"] = {
        tool: {
            "files": sum(1 for r in results if r.tool == tool and r.tasks),
            "tasks": sum(r.tasks for r in results if r.tool == tool),
            "agree": sum(r.agree for r in results if r.tool == tool),
            "tasks_without_stale": sum(r.tasks for r in kept if r.tool == tool),
            "agree_without_stale": sum(r.agree for r in kept if r.tool == tool),
        }
        for tool in sorted({r.tool for r in results if r.tasks})
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    for r in results:
        if r.error:
            print(f"{r.name}: ERROR {r.error}")
        elif r.tasks and (r.misses or not args.quiet):
            print(f"{r.name}: {r.agree}/{r.tasks} agree (float {r.float_ok}, critical {r.crit_ok})")
            if r.stale:
                print(f"    stale: {r.stale}")
            for miss in r.misses[: args.misses]:
                tid, name, sf, of, sc, oc = miss
                print(f"    miss: task {tid} {name!r} stored {sf:.3f}/{sc} ours {of:.3f}/{oc}")
    if total:
        print(
            f"\nAGREEMENT {agree}/{total} = {agree / total:.1%} (float within 0.5 day {summary['float_share']:.1%}, "
            f"critical flag {summary['critical_share']:.1%}) over {summary['files_with_tasks']} files"
        )
        if summary["stale_files"] and summary["share_without_stale"] is not None:
            print(
                f"{len(summary['stale_files'])} files whose stored slack contradicts itself hold "
                f"{summary['stale_tasks']} tasks ({summary['stale_misses']} misses); without them "
                f"{total - summary['stale_tasks'] - sum(r.tasks - r.agree for r in kept)}/{total - summary['stale_tasks']}"
                f" = {summary['share_without_stale']:.1%}"
            )
        for tool, b in summary["by_tool"].items():
            line = f"  {tool}: {b['agree']}/{b['tasks']} in {b['files']} files"
            if b["tasks_without_stale"] != b["tasks"] and b["tasks_without_stale"]:
                line += (
                    f"; without the self-contradicting files {b['agree_without_stale']}/{b['tasks_without_stale']}"
                    f" = {b['agree_without_stale'] / b['tasks_without_stale']:.1%}"
                )
            elif b["tasks"]:
                line += f" = {b['agree'] / b['tasks']:.1%}"
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
