"""Concurrency: many sessions reading while imports commit, imports racing each other, and a
second process (the command line) meeting a database the dashboard holds open.

What the store promises (store.py): one DuckDB connection per process and a cursor per call,
so a thread only ever gets its own query's rows; every import is one transaction, so a reader
sees all of an import's rows and its ``imports`` record, or none of them; within one process
writers take turns (``_write_lock``); a second *process* gets ``StoreBusyError`` (exit code 3
on the command line) after waiting a short while for the lock, never a corrupt file.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pmo_analytics import store as store_mod
from pmo_analytics.errors import StoreBusyError
from pmo_analytics.ingest.base import ParsedUpload

ROOT = Path(__file__).resolve().parent.parent
SD = date(2025, 3, 31)


def synthetic_upload(
    tag: str, n_projects: int, tasks_per_project: int, *, seed: int = 0, periods_for: str | None = None
) -> ParsedUpload:
    """Projects ``<tag>000..`` with tasks (and one risk each), in canonical shape; with
    ``periods_for``, also time-phased EVM values for that (other) project."""
    rng = np.random.default_rng(seed)
    pids = [f"{tag}{i:03d}" for i in range(n_projects)]
    projects = pd.DataFrame(
        {
            "project_id": pids,
            "name": [f"{tag} project {i}" for i in range(n_projects)],
            "program": [f"{tag}-prog"] * n_projects,
            "manager": ["Ann"] * n_projects,
            "bac": [1000.0 * tasks_per_project] * n_projects,
            "start": pd.Timestamp("2025-01-06"),
            "finish": pd.Timestamp("2025-12-31"),
        }
    )
    n = n_projects * tasks_per_project
    start = pd.Timestamp("2025-01-06") + pd.to_timedelta(rng.integers(0, 200, n), unit="D")
    tasks = pd.DataFrame(
        {
            "project_id": np.repeat(pids, tasks_per_project),
            "task_id": [str(i) for i in range(n)],
            "name": [f"task {i}" for i in range(n)],
            "start": start,
            "finish": start + pd.Timedelta(days=10),
            "baseline_start": start,
            "baseline_finish": start + pd.Timedelta(days=10),
            "percent_complete": rng.random(n).round(2),
            "bac": 1000.0,
            "actual_cost": rng.integers(0, 1500, n).astype(float),
        }
    )
    risks = pd.DataFrame({"project_id": pids, "risk_id": ["R1"] * n_projects, "title": ["Vendor late"] * n_projects})
    tables = {"projects": projects, "tasks": tasks, "risks": risks}
    if periods_for:
        ends = pd.date_range("2025-01-31", periods=3, freq="ME")
        tables["evm_periods"] = pd.DataFrame(
            {"project_id": periods_for, "period_end": ends, "pv": [1e4, 3e4, 6e4], "ev": [5e3, 1e4, 2e4], "ac": 9e4}
        )
    return ParsedUpload(
        source_name=f"{tag}.xlsx",
        source_format="template",
        sha256=hashlib.sha256(f"{tag}-{n_projects}-{tasks_per_project}-{seed}".encode()).hexdigest(),
        tables=tables,
        rows_in=n_projects * 2 + n,
    )


def _run_threads(targets: list, timeout: float = 120) -> list[BaseException]:
    """Start every callable in its own thread; return the exceptions they raised."""
    errors: list[BaseException] = []

    def wrap(fn):
        def run():
            try:
                fn()
            except BaseException as exc:  # noqa: BLE001 - collected and asserted by the test
                errors.append(exc)

        return run

    threads = [threading.Thread(target=wrap(fn), daemon=True) for fn in targets]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout)
        assert not th.is_alive(), "a thread did not finish"
    return errors


# ----------------------------------------------------------------------------- one process, many threads
def test_readers_see_all_or_none_of_each_import(store):
    """Six reader threads query while three imports commit one after another. Every read is
    one query (one snapshot): it must count 0 or all of an import's task rows, its projects,
    and its ``imports`` record together, never a part."""
    store.import_parsed(synthetic_upload("BASE", 5, 200), SD)
    uploads = [synthetic_upload(f"N{k}", 10, 1500, seed=k) for k in range(3)]
    sizes = {u.source_name: (10, 10 * 1500) for u in uploads}
    seen: dict[str, set] = {u.source_name: set() for u in uploads}
    done = threading.Event()
    started = threading.Barrier(7)
    reads = [0]

    def reader():
        started.wait()
        while True:
            last = done.is_set()
            # one statement, one snapshot: the import's record, its projects and its tasks
            row = store.query(
                "SELECT i.source_name, (SELECT count(*) FROM tasks t WHERE t.import_id = i.import_id) AS n_tasks, "
                "(SELECT count(*) FROM projects p WHERE p.import_id = i.import_id) AS n_projects "
                "FROM imports i WHERE i.source_name LIKE 'N%'"
            )
            visible = dict(zip(row["source_name"], zip(row["n_projects"], row["n_tasks"], strict=True), strict=True))
            for name, want in sizes.items():
                got = visible.get(name, (0, 0))
                assert got in ((0, 0), want), f"partial import {name}: {got} of {want}"
                seen[name].add(got != (0, 0))
            # the same through the public reader: all or none of each import's task rows
            tasks = store.table("tasks", current=False)
            counts = tasks["project_id"].str[:2].value_counts().to_dict()
            for k in range(3):
                assert counts.get(f"N{k}", 0) in (0, 10 * 1500), counts
            reads[0] += 1
            if last:
                return

    def importer():
        started.wait()
        for u in uploads:
            store.import_parsed(u, SD)
        done.set()

    errors = _run_threads([reader] * 6 + [importer])
    assert not errors, errors
    # the readers really overlapped the imports: each import was seen absent and present
    assert all(s == {False, True} for s in seen.values()), seen
    assert store.counts()["tasks"] == 5 * 200 + 3 * 15000


def test_each_thread_gets_only_its_own_rows(store):
    """Eight threads each ask for their own project 60 times on the shared process
    connection (a cursor per call): no thread ever receives another thread's rows."""
    store.import_parsed(synthetic_upload("T", 8, 50), SD)

    def worker(k: int):
        def run():
            pid = f"T{k:03d}"
            for _ in range(60):
                df = store.table("tasks", projects=[pid])
                assert len(df) == 50 and set(df["project_id"]) == {pid}, (pid, df["project_id"].unique())

        return run

    errors = _run_threads([worker(k) for k in range(8)])
    assert not errors, errors


def test_two_imports_in_one_process_take_turns(store):
    """Two sessions commit at the same moment: both succeed, one after the other, with distinct
    import numbers, and each import's rows are whole."""
    uploads = [synthetic_upload("A", 5, 2000, seed=1), synthetic_upload("B", 5, 2000, seed=2)]
    results = []
    gate = threading.Barrier(2)

    def commit(u):
        def run():
            gate.wait()
            results.append(store.import_parsed(u, SD))

        return run

    errors = _run_threads([commit(u) for u in uploads])
    assert not errors, errors
    assert sorted(r.import_id for r in results) == [1, 2]
    tasks = store.table("tasks", current=False)
    for r in results:
        assert (tasks["import_id"] == r.import_id).sum() == 10_000


# ----------------------------------------------------------------------------- sessions of the app
# AppTest is not thread-safe: for the length of a run it installs its own mock of Streamlit's
# process-global Runtime (``Runtime._instance``, which holds the cache and media managers), resets
# ``PagesManager.uses_pages_directory`` and patches the global config, and at the end sets
# ``Runtime._instance = None``. Two AppTest runs at once in one process take the runtime from
# under each other (cache storage of the wrong session, "No runtime found", media of a run that
# has ended). Separate processes cannot share the DuckDB file (one process per file), so the
# sessions' runs take turns on this lock; the import still commits from its own thread while a
# run is under way, which is what these tests are about.
_APPTEST_RUN = threading.Lock()


def _run_app_once(page: str):
    """One AppTest run of ``page`` (holding the AppTest lock), exceptions asserted."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(page, default_timeout=120)
    with _APPTEST_RUN:
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _portfolio_reading(at) -> tuple:
    """What a person reads on the portfolio page: every KPI tile, and the health table."""
    metrics = tuple((m.label, m.value) for m in at.metric)
    health = at.dataframe[0].value
    return metrics, health.astype(str).to_csv(index=False)


@pytest.mark.slow
@pytest.mark.timeout(600)  # about ten page runs one after another; minutes on a loaded machine
def test_sessions_browse_while_an_import_commits(app_db):
    """Four app sessions (AppTest, each in its own thread; their runs take turns, see
    _APPTEST_RUN) rerun the portfolio page while a fifth thread commits an import in the middle
    of their runs. Every session sees either the portfolio before the import or after it, never
    an error and never a mixture."""
    from pmo_analytics import ui

    page = str(ROOT / "app.py")
    s = store_mod.Store(app_db)
    s.import_parsed(synthetic_upload("OLD", 4, 100), SD)

    def one_run():
        return _portfolio_reading(_run_app_once(page))

    before = one_run()
    new = synthetic_upload("NEW", 6, 3000, seed=5)
    readings: list[tuple] = []
    started = threading.Barrier(5)
    done = threading.Event()

    def session():
        started.wait()
        while True:
            last = done.is_set()
            readings.append(one_run())
            if last:
                return

    def importer():
        started.wait()
        while len(readings) < 2:  # some runs finish before the import, the next is under way
            time.sleep(0.01)
        s.import_parsed(new, SD)
        ui.clear_caches()
        done.set()

    errors = _run_threads([session] * 4 + [importer], timeout=540)
    assert not errors, errors
    after = one_run()
    assert dict(before[0])["Projects"] == "4" and dict(after[0])["Projects"] == "10", (before, after)
    assert set(readings) <= {before, after}, [r[0] for r in set(readings) - {before, after}]
    assert before in readings and after in readings


@pytest.mark.parametrize("after_reads", [1, 2, 3])
def test_an_import_landing_mid_run_does_not_mix_snapshots(app_db, monkeypatch, after_reads):
    """The hard case for a page: an import commits *between* two of its table reads (after the
    first, second or third). The run must still show one consistent portfolio, before or after
    the import, never projects of one and tasks of the other; the next run shows the new one."""
    from streamlit.testing.v1 import AppTest

    from pmo_analytics import ui

    page = str(ROOT / "app.py")
    s = store_mod.Store(app_db)
    s.import_parsed(synthetic_upload("OLD", 4, 100), SD)

    def one_run():
        at = AppTest.from_file(page, default_timeout=120)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return _portfolio_reading(at)

    before = one_run()
    ui.clear_caches()
    original = store_mod.Store.table
    fired: list[int] = []
    reads: list[str] = []

    def table_then_import(self, name, **kw):
        out = original(self, name, **kw)
        reads.append(name)
        if len(reads) == after_reads:
            new = synthetic_upload("NEW", 6, 50, seed=9, periods_for="OLD000")
            fired.append(s.import_parsed(new, SD).import_id)
        return out

    monkeypatch.setattr(store_mod.Store, "table", table_then_import)
    during = one_run()
    assert fired, "the import did not land during the run"
    after = one_run()
    assert dict(before[0])["Projects"] == "4" and dict(after[0])["Projects"] == "10", (before, after)
    assert during in (before, after), (reads, during[0], before[0], after[0])


# ----------------------------------------------------------------------------- two processes
HOLD = r"""
import sys, time
from pmo_analytics.store import Store
Store(sys.argv[1]).counts()       # opens the database the way the dashboard does
print("open", flush=True)
sys.stdin.readline()              # hold it until the test says so
"""


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pmo_analytics", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env=dict(os.environ, **(env or {})),
    )


def _csv_file(path: Path, tag: str, n: int) -> Path:
    lines = ["Project ID,Task ID,Task name,Start,Finish,Budget"]
    lines += [f"{tag},{i},Task {i},2025-01-06,2025-01-17,100" for i in range(n)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_cli_import_while_the_app_holds_the_database(tmp_path):
    """The dashboard process holds the file: a command-line import waits briefly for the lock,
    then says the database is busy (exit code 3) and changes nothing. Once the dashboard lets
    go, the same command succeeds."""
    db = tmp_path / "busy.duckdb"
    s = store_mod.Store(db)
    s.import_parsed(synthetic_upload("OLD", 2, 10), SD)
    before = s.counts()
    store_mod.close_all()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        f = _csv_file(tmp_path / "plan.csv", "CLI", 50)
        r = _cli("import", str(f), "--db", str(db), "--status-date", "2025-04-30", env={"PMO_LOCK_WAIT_S": "1"})
        assert r.returncode == 3, (r.returncode, r.stderr)
        assert "is in use by another program" in r.stderr and "try again" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr
    finally:
        holder.communicate("\n", timeout=30)
    assert store_mod.Store(db).counts() == before
    store_mod.close_all()
    r = _cli("import", str(f), "--db", str(db), "--status-date", "2025-04-30")
    assert r.returncode == 0, r.stderr
    assert "50 rows loaded into tasks" in r.stdout
    assert store_mod.Store(db).counts()["tasks"] == before["tasks"] + 50
    store_mod.close_all()


def test_in_process_store_reports_busy_with_a_clear_message(tmp_path, monkeypatch):
    """The same refusal inside a process (the dashboard meeting a running CLI import)."""
    db = tmp_path / "busy2.duckdb"
    store_mod.Store(db).counts()
    store_mod.close_all()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        monkeypatch.setenv("PMO_LOCK_WAIT_S", "0.5")
        with pytest.raises(StoreBusyError, match="in use by another program") as info:
            store_mod.Store(db).counts()
        assert "try again" in str(info.value)
    finally:
        holder.communicate("\n", timeout=30)
    # nothing was cached: the next call opens the database normally
    assert store_mod.Store(db).counts()["tasks"] == 0
    store_mod.close_all()


def test_two_cli_imports_at_once(tmp_path):
    """Two command-line imports started together: each either succeeds or says "busy" (exit 3);
    the database holds exactly the imports that succeeded, each whole."""
    db = tmp_path / "race.duckdb"
    store_mod.Store(db).counts()
    store_mod.close_all()
    files = [_csv_file(tmp_path / f"{tag}.csv", tag, 5_000) for tag in ("AAA", "BBB")]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "pmo_analytics", "import", str(f), "--db", str(db), "--status-date", "2025-04-30"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    outs = [p.communicate(timeout=180) for p in procs]
    codes = [p.returncode for p in procs]
    assert set(codes) <= {0, 3} and 0 in codes, (codes, outs)
    for code, (_out, err) in zip(codes, outs, strict=True):
        if code == 3:
            assert "is in use by another program" in err, err
    s = store_mod.Store(db)
    imports = s.imports()
    assert sorted(imports["source_name"]) == sorted(f.name for f, c in zip(files, codes, strict=True) if c == 0)
    tasks = s.table("tasks", current=False)
    for f, c in zip(files, codes, strict=True):
        assert (tasks["project_id"] == f.stem).sum() == (5_000 if c == 0 else 0)
    store_mod.close_all()
