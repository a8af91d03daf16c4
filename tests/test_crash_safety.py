"""Crash safety: ``kill -9`` during an import, then restart; backup and restore under the same
conditions.

After every kill the database must open, and each import must be wholly present (its
``imports`` record and every row of every table) or wholly absent; no row may belong to an
import that has no record. The kills land at chosen points (inside the open transaction,
right after the first table is written) and at spread-out times over a whole import, commit
and close (where DuckDB writes its log and checkpoints).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pmo_analytics import store as store_mod
from pmo_analytics.errors import StoreBusyError, StoreError
from pmo_analytics.schema import TABLES
from tests.test_concurrency import HOLD, SD, synthetic_upload

ROOT = Path(__file__).resolve().parent.parent

# a child process that imports a big synthetic upload; "block" makes it wait (inside the open
# transaction, after the first table) until it is killed
CHILD = r"""
import sys, time
from datetime import date
from pmo_analytics.store import Store
from tests.test_concurrency import synthetic_upload
db, tag, n_proj, per, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
up = synthetic_upload(tag, n_proj, per, seed=7)
s = Store(db)
s.counts()
def progress(frac, what):
    print("inserted", what, flush=True)
    if mode == "block":
        sys.stdin.readline()
print("go", flush=True)
s.import_parsed(up, date(2025, 4, 30), progress=progress)
print("committed", flush=True)
"""


def expected_rows(tag: str, n_proj: int, per: int) -> dict[str, int]:
    return {"projects": n_proj, "tasks": n_proj * per, "risks": n_proj}


def assert_consistent(db: Path, expected: dict[str, dict[str, int]]) -> dict[str, bool]:
    """The database opens; every import is whole; no orphan rows. Returns which of the
    ``expected`` imports (by source name) are present."""
    s = store_mod.Store(db)
    imports = s.imports()
    ids = set(imports["import_id"].astype(int))
    for t in TABLES:
        orphans = s.query(f'SELECT count(*) AS n FROM "{t}" WHERE import_id NOT IN (SELECT import_id FROM imports)')
        assert int(orphans["n"].iloc[0]) == 0, f"{t}: rows of an import without a record"
    present = {}
    for name, want in expected.items():
        rows = imports[imports["source_name"] == name]
        present[name] = len(rows) == 1
        assert len(rows) <= 1
        for t in TABLES:
            n = s.query(
                f'SELECT count(*) AS n FROM "{t}" WHERE import_id = ?',
                [int(rows["import_id"].iloc[0]) if len(rows) else -1],
            )["n"].iloc[0]
            assert int(n) == (want.get(t, 0) if present[name] else 0), (name, t, int(n))
        if present[name]:
            assert int(rows["rows_loaded"].iloc[0]) == sum(want.values())
    assert len(ids) == len(imports)
    # every table reads end to end (no damaged blocks)
    for t in TABLES:
        s.table(t, current=False)
    store_mod.close_all()
    return present


def _child(db: Path, tag: str, n_proj: int, per: int, mode: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), tag, str(n_proj), str(per), mode],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def seeded(tmp_path) -> tuple[Path, dict]:
    db = tmp_path / "crash.duckdb"
    s = store_mod.Store(db)
    s.import_parsed(synthetic_upload("BASE", 3, 100), SD)
    store_mod.close_all()
    return db, {"BASE.xlsx": expected_rows("BASE", 3, 100)}


def test_kill_inside_the_open_transaction(seeded):
    """Killed after the projects table was written but before commit: the import is absent,
    the earlier one intact, and the next import works (with a new number)."""
    db, expected = seeded
    p = _child(db, "KILL", 20, 2000, "block")
    try:
        assert p.stdout.readline().strip() == "go"
        assert p.stdout.readline().strip() == "inserted projects"
        os.kill(p.pid, signal.SIGKILL)
    finally:
        p.wait(timeout=30)
    assert p.returncode == -signal.SIGKILL
    present = assert_consistent(db, expected | {"KILL.xlsx": expected_rows("KILL", 20, 2000)})
    assert present == {"BASE.xlsx": True, "KILL.xlsx": False}
    s = store_mod.Store(db)
    r = s.import_parsed(synthetic_upload("AFTER", 2, 10), SD)
    assert r.import_id > 1
    store_mod.close_all()
    present = assert_consistent(db, expected | {"AFTER.xlsx": expected_rows("AFTER", 2, 10)})
    assert all(present.values())


@pytest.mark.slow
def test_kills_spread_over_import_commit_and_close(seeded):
    """One uninterrupted run measures the import; then runs are killed at 10 % ... 130 % of that
    time after the import starts (during inserts, commit, the log write and the checkpoint at
    exit). Each time: the database opens and the import is whole or absent."""
    db, expected = seeded
    tags = []
    p = _child(db, "FULL", 20, 5_000, "run")
    assert p.stdout.readline().strip() == "go"
    t0 = time.monotonic()
    assert p.stdout.readline().startswith("inserted")
    out, err = p.communicate(timeout=120)
    duration = time.monotonic() - t0
    assert p.returncode == 0, err
    expected["FULL.xlsx"] = expected_rows("FULL", 20, 5_000)
    outcomes = {}
    for k, frac in enumerate((0.1, 0.4, 0.7, 1.0, 1.3)):
        tag = f"K{k}"
        tags.append(tag)
        p = _child(db, tag, 20, 5_000, "run")
        try:
            assert p.stdout.readline().strip() == "go"
            time.sleep(duration * frac)  # the kill point, not a wait for a result
            os.kill(p.pid, signal.SIGKILL)
        finally:
            p.communicate(timeout=60)
        expected[f"{tag}.xlsx"] = expected_rows(tag, 20, 5_000)
        present = assert_consistent(db, expected)
        outcomes[frac] = present[f"{tag}.xlsx"]
        assert present["BASE.xlsx"] and present["FULL.xlsx"]
    # the early kills cannot have committed (sanity check that kills did land mid-import)
    assert outcomes[0.1] is False, outcomes
    print("import present after kill at fraction of its duration:", outcomes, f"(import took {duration:.2f} s)")


@pytest.mark.slow
def test_kill_the_command_line_mid_import(tmp_path):
    """``python -m pmo_analytics import big.csv`` killed as soon as it starts writing to the
    database file: the database opens; the file's import is whole or absent; importing the same
    file again then succeeds."""
    db = tmp_path / "cli.duckdb"
    store_mod.Store(db).counts()
    store_mod.close_all()
    big = tmp_path / "big.csv"
    n = 100_000
    with big.open("w") as fh:
        fh.write("Project ID,Task ID,Task name,Start,Finish,Budget\n")
        for i in range(n):
            fh.write(f"BIG{i % 50:02d},{i},Task {i},2025-01-06,2025-01-17,100\n")
    wal = Path(str(db) + ".wal")
    size0 = db.stat().st_size
    p = subprocess.Popen(
        [sys.executable, "-m", "pmo_analytics", "import", str(big), "--db", str(db), "--status-date", "2025-04-30"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and p.poll() is None:
            if wal.exists() or db.stat().st_size != size0:
                break
            time.sleep(0.005)  # polling the file for the first write
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
    finally:
        p.communicate(timeout=60)
    assert p.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    expected = {"big.csv": {"tasks": n}}
    first = assert_consistent(db, expected)
    print("CLI killed at its first write; import present afterwards:", first["big.csv"])
    r = subprocess.run(
        [sys.executable, "-m", "pmo_analytics", "import", str(big), "--db", str(db), "--status-date", "2025-04-30"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if first["big.csv"]:
        assert r.returncode == 1 and "was already imported" in r.stderr, r.stderr
    else:
        assert r.returncode == 0, r.stderr
    assert assert_consistent(db, expected) == {"big.csv": True}


# ----------------------------------------------------------------------------- backup and restore
def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pmo_analytics", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env=dict(os.environ, **(env or {})),
    )


def _content(db: Path) -> tuple:
    s = store_mod.Store(db)
    out = (s.counts(), s.imports()[["import_id", "source_name", "rows_loaded"]].to_csv(index=False))
    out += tuple(s.table(t, current=False).drop(columns=[], errors="ignore").to_csv(index=False) for t in TABLES)
    store_mod.close_all()
    return out


def test_backup_after_a_crash_and_restore_it(seeded, tmp_path):
    """Crash mid-import, back up the recovered database with the CLI, import more, restore the
    backup with the CLI: the restored database equals the backup, and new imports continue
    with fresh numbers."""
    db, expected = seeded
    p = _child(db, "KILL", 5, 2000, "block")
    assert p.stdout.readline().strip() == "go"
    assert p.stdout.readline().startswith("inserted")
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=30)
    bk = tmp_path / "backup.duckdb"
    r = _cli("backup", str(bk), "--db", str(db))
    assert r.returncode == 0, r.stderr
    saved = _content(db)
    assert _content(bk) == saved
    s = store_mod.Store(db)
    s.import_parsed(synthetic_upload("LATER", 2, 10), SD)
    store_mod.close_all()
    assert _content(db) != saved
    r = _cli("restore", str(bk), "--db", str(db), "--force")
    assert r.returncode == 0, r.stderr
    assert _content(db) == saved
    s = store_mod.Store(db)
    restored_ids = set(s.imports()["import_id"].astype(int))
    got = s.import_parsed(synthetic_upload("NEXT", 1, 5), SD)
    assert got.import_id > max(restored_ids)
    store_mod.close_all()
    assert_consistent(db, expected | {"NEXT.xlsx": expected_rows("NEXT", 1, 5)})


def test_backup_while_another_process_holds_the_database(seeded, tmp_path):
    """DuckDB lets one process open the file: a CLI backup while the dashboard runs says the
    database is busy (exit 3) and writes nothing. (Stop the dashboard, or back up from a copy
    taken with the dashboard stopped; see docs/OPERATIONS.md.)"""
    db, _ = seeded
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        bk = tmp_path / "b.duckdb"
        r = _cli("backup", str(bk), "--db", str(db), env={"PMO_LOCK_WAIT_S": "0.5"})
        assert r.returncode == 3, r.stderr
        assert "in use by another program" in r.stderr
        assert not bk.exists()
    finally:
        holder.communicate("\n", timeout=30)


def test_backup_during_imports_holds_whole_imports(store, tmp_path):
    """A backup taken (in the dashboard's process) while another thread imports: the copy holds
    each import whole or not at all."""
    store.import_parsed(synthetic_upload("BASE", 2, 10), SD)
    uploads = [synthetic_upload(f"I{k}", 10, 3000, seed=k) for k in range(3)]
    done = threading.Event()

    def importer():
        for u in uploads:
            store.import_parsed(u, SD)
        done.set()

    th = threading.Thread(target=importer)
    th.start()
    backups = []
    k = 0
    while not done.is_set() or not backups:
        bk = tmp_path / f"b{k}.duckdb"
        store.backup(bk)
        backups.append(bk)
        k += 1
    th.join(60)
    expected = {"BASE.xlsx": expected_rows("BASE", 2, 10)} | {
        f"I{k}.xlsx": expected_rows(f"I{k}", 10, 3000) for k in range(3)
    }
    seen = set()
    for bk in backups:
        present = assert_consistent(bk, expected)
        seen.add(sum(present.values()))
    assert max(seen) >= 1


def test_restore_refuses_while_the_database_is_in_use(seeded, tmp_path, monkeypatch):
    """store.restore refuses (StoreBusyError) while another process has the target open: the
    target is untouched and the process holding it keeps working."""
    db, expected = seeded
    other = tmp_path / "other.duckdb"
    store_mod.Store(other).import_parsed(synthetic_upload("OTHER", 1, 5), SD)
    store_mod.close_all()
    before = _content(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        monkeypatch.setenv("PMO_LOCK_WAIT_S", "0.5")
        with pytest.raises(StoreBusyError, match="in use by another program"):
            store_mod.restore(other, db)
        assert not Path(str(db) + ".restoring").exists()
    finally:
        holder.communicate("\n", timeout=30)
    assert _content(db) == before


def test_cli_restore_refuses_while_the_database_is_in_use(seeded, tmp_path):
    db, _ = seeded
    other = tmp_path / "other.duckdb"
    store_mod.Store(other).import_parsed(synthetic_upload("OTHER", 1, 5), SD)
    store_mod.close_all()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        r = _cli("restore", str(other), "--db", str(db), "--force", env={"PMO_LOCK_WAIT_S": "0.5"})
    finally:
        holder.communicate("\n", timeout=30)
    store_mod.Store(db).counts()  # the database still opens
    store_mod.close_all()
    assert r.returncode == 3, r.stderr


HOLD_THEN_WRITE = r"""
import sys
from datetime import date
from pmo_analytics.store import Store
from tests.test_concurrency import synthetic_upload
s = Store(sys.argv[1])
s.counts()
print("open", flush=True)
sys.stdin.readline()
s.import_parsed(synthetic_upload("LIVE", 3, 1000), date(2025, 6, 30))
print("imported", flush=True)
"""


def test_restore_repairs_a_database_that_no_longer_opens(seeded, tmp_path):
    """Copying a file over a database another process has open (what a plain file copy does)
    leaves a log that does not match: the database no longer opens. ``store.restore`` of a
    good backup repairs it, and keeps the broken file aside."""
    import shutil

    db, expected = seeded
    bk = tmp_path / "good.duckdb"
    store_mod.Store(db).backup(bk)
    store_mod.close_all()
    other = tmp_path / "other.duckdb"
    store_mod.Store(other).import_parsed(synthetic_upload("OTHER", 2, 50), SD)
    store_mod.close_all()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THEN_WRITE, str(db)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "open"
    shutil.copyfile(other, db)  # the unsafe copy over a file in use
    out, _ = holder.communicate("\n", timeout=60)
    with pytest.raises(StoreError, match="cannot be opened"):
        store_mod.Store(db).counts()
    store_mod.close_all()
    store_mod.restore(bk, db)
    assert_consistent(db, expected)
    assert Path(str(db) + ".before-restore").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(seeded, tmp_path):
    db, _ = seeded
    before = _content(db)
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="is not a backup of this program's database"):
        store_mod.restore(junk, db)
    empty_db = tmp_path / "plain.duckdb"
    con = __import__("duckdb").connect(str(empty_db))
    con.execute("CREATE TABLE t (i INT)")
    con.close()
    with pytest.raises(StoreError, match="is not a backup of this program's database"):
        store_mod.restore(empty_db, db)
    assert _content(db) == before
    assert not Path(str(db) + ".restoring").exists()
