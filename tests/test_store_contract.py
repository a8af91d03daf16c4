"""The store's contract on both backends (DuckDB file, PostgreSQL): the same reads of the demo,
the data version every write moves, the schema's versioned migrations, connection errors that
name host/port/database without the password; and on PostgreSQL, imports from two processes at
once (one after the other, readers see none of an import until it commits) and an importer killed
with SIGKILL mid-import (nothing of it stays, the next import lands).

(tests/test_store_pg.py reruns the DuckDB store tests unchanged on PostgreSQL.)"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pmo_analytics import i18n, importing
from pmo_analytics import store as store_mod
from pmo_analytics.access import Grant
from pmo_analytics.errors import DuplicateImportError, StoreError
from pmo_analytics.ingest import parse_bytes
from pmo_analytics.schema import TABLES
from pmo_analytics.store import Store
from tests.helpers import template_bytes

ROOT = Path(__file__).resolve().parent.parent
DEMO = sorted((ROOT / "data" / "demo").glob("portfolio_*.xlsx"))
D1, D2 = date(2025, 1, 31), date(2025, 2, 28)


def _parsed(name: str = "portfolio.xlsx"):
    return parse_bytes(name, template_bytes())


# ---------------------------------------------------------------- the same reads on both backends
@pytest.fixture(scope="module")
def demo_parsed():
    assert len(DEMO) == 4, DEMO
    return [importing.parse_upload(p.name, p.read_bytes()) for p in DEMO]


def test_the_demo_reads_the_same_from_both_backends(demo_parsed, tmp_path, pg_url):
    stores = [Store(tmp_path / "demo.duckdb"), Store(pg_url)]
    for s in stores:
        for p in demo_parsed:
            s.import_parsed(p, importing.status_date_for(p, None))
    duck, pg = stores
    assert duck.status_dates() == pg.status_dates() == [date(2026, 7, 31), date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31)]  # fmt: skip
    assert duck.counts() == pg.counts() and pg.counts()["tasks"] > 1000
    for table in TABLES:
        for kw in ({}, {"current": False}, {"as_of": date(2026, 8, 31)}, {"upto_import": 2}):
            a, b = duck.table(table, **kw), pg.table(table, **kw)
            pd.testing.assert_frame_equal(a, b, check_exact=True, obj=f"{table} {kw}")
    pd.testing.assert_frame_equal(
        duck.imports().drop(columns=["imported_at"]), pg.imports().drop(columns=["imported_at"])
    )


# ---------------------------------------------------------------- the rest of the interface
def test_documents_grants_audit_edits_and_import_lookups_behave_the_same(any_store):
    s = any_store
    a = s.import_parsed(_parsed(), D1)
    sha = s.imports()["sha256"].iloc[0]
    assert s.find_import(sha, D1)["import_id"] == a.import_id and s.find_import(sha, D2) is None
    assert s.imports_of_content(sha)["import_id"].tolist() == [a.import_id]
    # documents: saved, replaced under the same name, deleted (audited)
    s.save_document("mapping", "jira", '{"a": 1}', "fp1", saved_by="ana@example.com")
    s.save_document("mapping", "jira", '{"a": 2}', "fp2", saved_by="bo@example.com", audit=("mapping.save", {}))
    docs = s.documents("mapping")
    assert docs[["name", "body", "fingerprint", "saved_by"]].values.tolist() == [["jira", '{"a": 2}', "fp2", "bo@example.com"]]  # fmt: skip
    assert s.delete_document("mapping", "jira", actor="bo@example.com", audit=("mapping.delete", {})) is True
    assert s.delete_document("mapping", "jira") is False and s.documents("mapping").empty
    # grants with lists (text arrays), replaced, revoked
    s.save_grant(Grant("email", "cy@example.com", "viewer", departments=("IT", "财务")))
    s.save_grant(Grant("email", "cy@example.com", "analyst", projects=("P1",)))
    assert s.grants() == [Grant("email", "cy@example.com", "analyst", projects=("P1",))]
    assert s.grants_frame()["granted_by"].tolist() == [store_mod.CLI_ACTOR]
    assert s.delete_grant("email", "cy@example.com") is True and s.grants() == []
    assert s.delete_grant("email", "cy@example.com") is False
    # notes: the latest per project and date, or every save
    s.save_note("P1", D1, "first", "ana@example.com")
    s.save_note("P1", D1, "second", "ana@example.com")
    assert s.notes()["note"].tolist() == ["second"]
    assert s.notes(history=True)["note"].tolist() == ["first", "second"]
    # an in-app edit is an import of its own
    tasks = s.table("tasks", projects=["P1"])
    edited = tasks.assign(percent_complete=0.75)
    e = s.save_edit("tasks", edited, D1, user="ana@example.com")
    assert e.import_id == a.import_id + 1 and e.supersedes == (a.import_id,)
    assert s.table("tasks", projects=["P1"])["percent_complete"].tolist() == [0.75, 0.75]
    # the audit trail: by actor, by action prefix
    actions = s.audit_entries()["action"].tolist()
    assert actions.count("import.load") == 1 and actions.count("edit.save") == 1
    assert s.audit_entries(action="access.")["action"].tolist() == ["access.revoke", "access.grant", "access.grant"]
    assert set(s.audit_entries(actor="bo@example.com")["action"]) == {"mapping.save", "mapping.delete"}
    # delete_import (maintenance): every row of it, then the earlier snapshot is current again
    removed = s.delete_import(e.import_id)
    assert removed == 2  # the two P1 tasks of the edit
    assert s.table("tasks", projects=["P1"])["import_id"].tolist() == [a.import_id, a.import_id]


# ---------------------------------------------------------------- data version
def test_every_write_moves_the_data_version_by_one_and_a_refused_one_does_not(any_store):
    s = any_store
    assert s.data_version() == (0, 0)  # an empty store: no import, no write yet
    steps = []
    a = s.import_parsed(_parsed(), D1)
    steps.append(s.data_version())
    with pytest.raises(DuplicateImportError):
        s.import_parsed(_parsed(), D1)
    steps.append(s.data_version())
    s.withdraw_import(a.import_id, "ana@example.com")
    steps.append(s.data_version())
    s.restore_import(a.import_id, "ana@example.com")
    steps.append(s.data_version())
    s.save_note("P1", D1, "late", "ana@example.com")
    s.save_document("mapping", "m1", "{}", saved_by="ana@example.com")
    s.save_grant(Grant("email", "bo@example.com", "viewer"))
    s.save_org_settings({"ev_method": "50/50"})
    s.record_audit("ana@example.com", "test.event")
    steps.append(s.data_version())
    b = s.import_parsed(_parsed(), D2)
    s.withdraw_import(b.import_id, "ana@example.com")
    s.purge_import(b.import_id, "ana@example.com", admin=True)
    steps.append(s.data_version())
    # counter: import 1; the duplicate refused: still 1; withdraw 2; restore 3; five writes -> 8;
    # import 9, withdraw 10, purge 11. The import id: #1, then #2 while it lived, purged: max is #1 again
    assert steps == [(1, 1), (1, 1), (1, 2), (1, 3), (1, 8), (1, 11)]
    assert b.import_id == 2


def test_a_second_process_sees_a_commit_at_its_next_read(pg_url):
    """What ``ui.data_version`` reads once per script run: another server's commit shows at
    the next read (a DuckDB file has one writing process: test_concurrency)."""
    s = Store(pg_url)
    before = s.data_version()
    assert _run_import(pg_url, D1).wait(timeout=120) == 0
    assert s.data_version() == (before[0] + 1, before[1] + 1)


def test_script_threads_that_come_and_go_reuse_one_pooled_connection(pg_url):
    """Streamlit runs each script run on a thread of its own: connections are pooled per process,
    not per thread, so 20 runs one after the other hold one connection, not 20."""
    import threading

    s = Store(pg_url)
    s.import_parsed(_parsed(), D1)
    for _ in range(20):
        t = threading.Thread(target=lambda: s.table("tasks"))
        t.start()
        t.join()
    db = pg_url.rsplit("/", 1)[1]
    n = _pg_rows(pg_url, f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{db}' AND pid <> pg_backend_pid()")
    assert n == [(1,)]


def _pg_rows(url: str, sql: str) -> list[tuple]:
    import adbc_driver_postgresql.dbapi as adbc

    with adbc.connect(url, autocommit=True) as con, con.cursor() as cur:
        cur.execute(sql)
        return [tuple(int(v) for v in r) for r in cur.fetchall()]


# ---------------------------------------------------------------- migrations
def test_an_older_postgresql_database_is_upgraded_in_place(pg_url):
    s = Store(pg_url)
    r = s.import_parsed(_parsed(), D1)
    store_mod.close_all()
    # back to what a version-4 database looked like: no schedule-risk columns, no data_version
    pg_exec(pg_url, 'ALTER TABLE tasks DROP COLUMN "duration_likely"')
    pg_exec(pg_url, "ALTER TABLE risks DROP COLUMN impact_days")
    pg_exec(pg_url, "DROP TABLE data_version")
    pg_exec(pg_url, "ALTER TABLE tasks DROP COLUMN deadline")  # schema 6
    pg_exec(pg_url, "ALTER TABLE projects DROP COLUMN critical_slack_limit_days")
    pg_exec(pg_url, "DELETE FROM schema_version")
    pg_exec(pg_url, "INSERT INTO schema_version VALUES (4, now())")
    s = Store(pg_url)
    tasks = s.table("tasks")
    assert len(tasks) == 3 and set(tasks["import_id"]) == {r.import_id}  # every row kept
    assert tasks["duration_likely"].isna().all() and tasks["deadline"].isna().all()
    assert s.table("projects")["critical_slack_limit_days"].isna().all()
    assert s.query("SELECT version FROM schema_version ORDER BY version")["version"].tolist() == [4, 6]
    assert s.data_version() == (r.import_id, 0)  # the row is back (its count starts again)
    s.import_parsed(_parsed(), D2)
    assert s.data_version() == (r.import_id + 1, 1)


def test_a_newer_postgresql_database_is_refused(pg_url):
    Store(pg_url).counts()
    store_mod.close_all()
    pg_exec(pg_url, "INSERT INTO schema_version VALUES (99, now())")
    with pytest.raises(StoreError) as err:
        Store(pg_url).counts()
    assert err.value.key == "store.newer_schema"


def pg_exec(url: str, sql: str) -> None:
    import adbc_driver_postgresql.dbapi as adbc

    with adbc.connect(url, autocommit=True) as con, con.cursor() as cur:
        cur.execute(sql)


# ---------------------------------------------------------------- connection errors
def test_a_refused_connection_names_host_port_and_database_never_the_password():
    with pytest.raises(StoreError) as err:
        Store("postgresql://pmo:s3cret-pw@127.0.0.1:1/portfolio").counts()
    e = err.value
    assert e.key == "pg.cannot_connect" and e.hint_key == "hint.pg_check_server"
    for lang in ("en", "zh"):
        text = i18n.t(e.key, lang, **e.params) + " " + i18n.t(e.hint_key, lang)
        assert "127.0.0.1:1" in text and "portfolio" in text and "pmo" in text, text
        assert "s3cret-pw" not in text
    assert "s3cret-pw" not in str(e)


def test_a_bad_url_and_a_missing_database_are_named(pg_server):
    with pytest.raises(StoreError) as err:
        Store("postgresql://pmo:pw@db.example:notaport/portfolio").counts()
    assert err.value.params["db"] == "portfolio" and "pw" not in json.dumps(err.value.params)
    with pytest.raises(StoreError) as err:
        Store(pg_server.url("no_such_db")).counts()
    assert err.value.params["db"] == "no_such_db" and "no_such_db" in err.value.params["detail"]


# ---------------------------------------------------------------- two processes, kill -9 (PostgreSQL)
IMPORTER = """
import pathlib, sys, time
from datetime import date
from pmo_analytics.ingest import parse_bytes
from pmo_analytics.store import Store
from tests.helpers import template_bytes

url, day, hold, gate = sys.argv[1], date.fromisoformat(sys.argv[2]), sys.argv[3], sys.argv[4]
parsed = parse_bytes("portfolio.xlsx", template_bytes())
s = Store(url)
s.counts()  # opened (and migrated) before the other process takes the write lock
print("OPEN", flush=True)
while gate != "-" and not pathlib.Path(gate).exists():
    time.sleep(0.02)

said = []

def progress(fraction, table):
    if hold != "-" and not said:
        said.append(table)
        print("MIDWAY", table, flush=True)  # rows of this table are inserted, not committed
        while not pathlib.Path(hold).exists():
            time.sleep(0.02)

r = s.import_parsed(parsed, day, progress=progress)
print("DONE", r.import_id, flush=True)
"""


def _run_import(url: str, day: date, hold: Path | None = None, gate: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", IMPORTER, url, day.isoformat(), str(hold or "-"), str(gate or "-")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def _expect(proc: subprocess.Popen, word: str, timeout: float = 120.0) -> str:
    """The process's next line, which starts with ``word``; fails (never hangs) when none comes."""
    import select

    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    assert ready, (word, "no line within the time", proc.poll())
    line = proc.stdout.readline()
    assert line.startswith(word), (word, line, proc.poll())
    return line.strip()


def _waiting_for_the_write_lock(url: str) -> int:
    import adbc_driver_postgresql.dbapi as adbc

    with adbc.connect(url, autocommit=True) as con, con.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return int(cur.fetchall()[0][0])


def _until(check, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def test_two_importers_at_once_both_land_one_after_the_other(pg_url, tmp_path):
    s = Store(pg_url)
    s.counts()
    hold, gate = tmp_path / "hold", tmp_path / "gate"
    first = _run_import(pg_url, D1, hold=hold)
    second = None
    try:
        _expect(first, "OPEN")
        _expect(first, "MIDWAY")  # the first holds the write lock, its rows inserted, not committed
        # a second server opens the database meanwhile: at once (its schema is current: no
        # migration, no write lock), not after the first import ends
        second = _run_import(pg_url, D2, gate=gate)
        _expect(second, "OPEN")
        gate.touch()
        _until(lambda: _waiting_for_the_write_lock(pg_url) == 1)  # the second waits for it
        assert s.counts()["tasks"] == 0 and s.imports().empty  # readers see none of it yet
        hold.touch()
        done_first, done_second = _expect(first, "DONE"), _expect(second, "DONE")
        assert first.wait(timeout=60) == 0 and second.wait(timeout=60) == 0
    finally:
        for p in (first, second):
            if p is not None and p.poll() is None:
                p.kill()
    assert (done_first, done_second) == ("DONE 1", "DONE 2")  # in the order they took the lock
    imports = s.imports().sort_values("import_id")
    assert imports["status_date"].dt.date.tolist() == [D1, D2]
    assert s.counts()["tasks"] == 6  # 3 template tasks in each import
    assert s.data_version() == (2, 2)


def test_an_importer_killed_mid_import_leaves_nothing_and_the_next_import_lands(pg_url, tmp_path):
    s = Store(pg_url)
    kept = s.import_parsed(_parsed(), D1)
    before = (s.counts(), s.imports(), s.data_version())
    proc = _run_import(pg_url, D2, hold=tmp_path / "never")
    try:
        _expect(proc, "OPEN")
        _expect(proc, "MIDWAY")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    # the server rolls the dead session back (and frees its lock) when it notices the closed socket
    assert s.counts() == before[0]
    pd.testing.assert_frame_equal(s.imports(), before[1])
    assert s.data_version() == before[2]
    after = s.import_parsed(_parsed(), D2)  # the write lock is free again
    assert after.import_id > kept.import_id
    assert s.status_dates() == [D1, D2]


# ---------------------------------------------------------------- the app on PostgreSQL
def test_the_portfolio_page_runs_on_postgresql_and_sees_another_servers_commit(pg_url, monkeypatch):
    from pmo_analytics.demo import build_demo
    from tests.conftest import run_app

    build_demo(Store(pg_url))
    store_mod.close_all()
    monkeypatch.setenv("PMO_DB", pg_url)
    at = run_app(timeout=180)
    # as on the DuckDB file (test_app_portfolio): 12 demo projects, PRJ-108 closed: 11 counted
    assert next(m.value for m in at.metric if m.label == "Projects") == "11"
    # another server withdraws every import (the demo's 4); the next page run here reads the new
    # data version, so the cached loaders (keyed by it) read again: no project is left
    other = Store(pg_url)
    for i in other.imports()["import_id"]:
        other.withdraw_import(int(i), "ana@example.com")
    again = run_app(timeout=180)
    assert [m.value for m in again.metric if m.label == "Projects"] in ([], ["0"])


def test_a_restarted_server_is_reconnected_to_without_an_error(pg_server, pg_url, monkeypatch):
    """Idle pooled connections the server dropped are checked and replaced before use
    (``PING_AFTER_IDLE_S``, 0 here: every idle connection is checked)."""
    from pmo_analytics.store_backend import PgBackend

    monkeypatch.setattr(PgBackend, "PING_AFTER_IDLE_S", 0.0)
    s = Store(pg_url)
    s.import_parsed(_parsed(), D1)
    pg_server.restart()
    assert len(s.table("tasks")) == 3  # the template's 3 tasks, read on a new connection
    assert s.import_parsed(_parsed(), D2).import_id == 2


def test_the_command_line_takes_a_postgresql_url(pg_url, tmp_path, capsys):
    from pmo_analytics.cli import main

    book = tmp_path / "portfolio.xlsx"
    book.write_bytes(template_bytes())
    assert main(["import", str(book), "--db", pg_url, "--status-date", "2025-01-31"]) == 0
    assert main(["withdraw", "1", "--db", pg_url]) == 0
    capsys.readouterr()
    assert main(["imports", "--json", "--db", pg_url]) == 0
    recs = json.loads(capsys.readouterr().out)
    assert [(r["import_id"], r["withdrawn_by"]) for r in recs] == [(1, "local")]
    # backup and restore copy DuckDB files: on PostgreSQL they point to pg_dump / pg_restore
    assert main(["backup", str(tmp_path / "b.duckdb"), "--db", pg_url]) == 1
    assert main(["restore", str(tmp_path / "b.duckdb"), "--db", pg_url]) == 1
    assert capsys.readouterr().err.count("pg_dump") == 2
