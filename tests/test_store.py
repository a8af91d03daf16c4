"""Store: atomic imports, duplicate refusal, undo, snapshots, schema upgrade, parameters."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from pmo_analytics import store as store_mod
from pmo_analytics.errors import DuplicateImportError, NotFoundError, StoreError
from pmo_analytics.ingest import parse_bytes
from tests.helpers import PROJECTS, TASKS, template_bytes, workbook_bytes

D1, D2 = date(2025, 1, 31), date(2025, 2, 28)


def parsed(data: bytes | None = None, name: str = "portfolio.xlsx"):
    return parse_bytes(name, data or template_bytes())


def test_import_loads_rows_with_import_id_and_status_date(store):
    r = store.import_parsed(parsed(), D1)
    assert (r.rows_in, r.rows_loaded, r.rows_rejected) == (5, 5, 0)
    tasks = store.table("tasks")
    assert sorted(tasks["task_id"].tolist()) == ["1", "1", "2"]
    assert set(tasks["import_id"]) == {r.import_id}
    assert set(tasks["status_date"].dt.date) == {D1}
    imp = store.imports().iloc[0]
    assert imp["source_format"] == "template" and imp["entity"] == "projects,tasks"
    assert len(imp["sha256"]) == 64


def test_failure_mid_import_leaves_no_rows(store):
    store.import_parsed(parsed(), D1)
    before = store.counts()

    def boom(fraction, table):
        if table == "tasks" or fraction >= 0.5:
            raise RuntimeError("disk full (simulated)")

    with pytest.raises(RuntimeError):
        store.import_parsed(parsed(workbook_bytes({"Projects": PROJECTS, "Tasks": TASKS[:2]})), D2, progress=boom)
    assert store.counts() == before
    assert len(store.imports()) == 1


def test_same_file_same_status_date_is_refused(store):
    r = store.import_parsed(parsed(), D1)
    with pytest.raises(DuplicateImportError) as err:
        store.import_parsed(parsed(), D1)
    assert f"portfolio.xlsx was already imported with status date 2025-01-31 (import #{r.import_id}" in str(err.value)
    store.import_parsed(parsed(), D2)  # a new status date is a new snapshot
    assert len(store.imports()) == 2


def test_undo_removes_exactly_that_import(store):
    a = store.import_parsed(parsed(), D1)
    b = store.import_parsed(parsed(), D2)
    assert store.delete_import(b.import_id) == 5
    assert store.imports()["import_id"].tolist() == [a.import_id]
    assert set(store.table("tasks", current=False)["status_date"].dt.date) == {D1}
    with pytest.raises(NotFoundError, match="there is no import #999"):
        store.delete_import(999)


def test_current_history_and_as_of(store):
    store.import_parsed(parsed(), D1)
    later = [r[:] for r in TASKS]
    later[2][7] = 0.9  # P1 task 2 progresses in February
    store.import_parsed(parsed(workbook_bytes({"Projects": PROJECTS, "Tasks": later})), D2)
    cur = store.table("tasks")
    assert set(cur["status_date"].dt.date) == {D2}
    assert cur.loc[(cur.project_id == "P1") & (cur.task_id == "2"), "percent_complete"].item() == 0.9
    assert len(store.table("tasks", current=False)) == 6
    as_of = store.table("tasks", as_of=date(2025, 2, 1))
    assert set(as_of["status_date"].dt.date) == {D1}
    assert store.status_dates() == [D1, D2]
    assert store.table("tasks", projects=["P2"])["project_id"].unique().tolist() == ["P2"]


def test_corrected_file_for_same_status_date_supersedes(store):
    store.import_parsed(parsed(), D1)
    fixed = [r[:] for r in TASKS]
    fixed[1][8] = 450  # corrected budget
    store.import_parsed(parsed(workbook_bytes({"Projects": PROJECTS, "Tasks": fixed}), "fixed.xlsx"), D1)
    cur = store.table("tasks")
    assert len(cur) == 3  # not doubled
    assert cur.loc[(cur.project_id == "P1") & (cur.task_id == "1"), "bac"].item() == 450


def test_hostile_values_are_bound_not_executed(store):
    evil = "x'); DROP TABLE tasks; --"
    rows = [PROJECTS[0], [evil, 'a"; drop table x; --', None, None, None, 1, None]]
    store.import_parsed(parsed(workbook_bytes({"Projects": rows})), D1)
    assert store.table("projects")["project_id"].tolist() == [evil]
    assert store.table("projects", projects=[evil])["name"].tolist() == ['a"; drop table x; --']
    assert store.table("projects", projects=["x' UNION SELECT * FROM imports --"]).empty
    assert "tasks" in store.counts()


def test_older_schema_file_is_upgraded(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE tasks (project_id VARCHAR, task_id VARCHAR, name VARCHAR, import_id BIGINT, status_date DATE)"
    )
    con.execute("INSERT INTO tasks VALUES ('P1', '1', 'Old task', 1, '2024-12-31')")
    con.close()
    s = store_mod.Store(path)
    tasks = s.table("tasks", current=False)
    assert tasks["name"].tolist() == ["Old task"]
    assert "percent_complete" in tasks.columns and pd.isna(tasks["percent_complete"].iloc[0])
    assert s.query("SELECT max(version) AS v FROM schema_version")["v"].iloc[0] == store_mod.SCHEMA_VERSION
    store_mod.close_all()


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)")
    con.execute("INSERT INTO schema_version VALUES (99, now())")
    con.close()
    with pytest.raises(StoreError, match="newer version of this program"):
        store_mod.Store(path).imports()
    store_mod.close_all()


def test_backup_is_a_consistent_copy(store, tmp_path):
    store.import_parsed(parsed(), D1)
    dest = store.backup(tmp_path / "backup.duckdb")
    copy = store_mod.Store(dest)
    assert copy.counts() == store.counts()
    with pytest.raises(StoreError, match="already exists"):
        store.backup(dest)


def test_documents_roundtrip(store):
    store.save_document("mapping", "jira-de", '{"a": 1}', "fp1")
    store.save_document("mapping", "jira-de", '{"a": 2}', "fp1")
    docs = store.documents("mapping")
    assert docs["body"].tolist() == ['{"a": 2}']
    store.delete_document("mapping", "jira-de")
    assert store.documents("mapping").empty


def test_arrow_columns_keep_values_and_nulls():
    """The columnar conversion and its per-value fallback give the same canonical values."""
    import numpy as np
    import pyarrow as pa

    from pmo_analytics.store import _arrow_column

    text = _arrow_column(pd.Series(["a", None, np.nan, 3]), "text", pa.string())  # a number: fallback
    assert text.to_pylist() == ["a", None, None, "3"]
    dates = pd.Series([pd.Timestamp("2026-01-02", tz="Asia/Shanghai"), None])
    assert _arrow_column(dates, "date", pa.date32()).to_pylist() == [date(2026, 1, 2), None]
    mixed = pd.Series(["2026-03-31", "not a date", None], dtype=object)
    assert _arrow_column(mixed, "date", pa.date32()).to_pylist() == [date(2026, 3, 31), None, None]
    assert _arrow_column(pd.Series([1.0, np.nan]), "int", pa.int64()).to_pylist() == [1, None]
    assert _arrow_column(pd.Series([0.25, None], dtype="Float64"), "percent", pa.float64()).to_pylist() == [0.25, None]
    assert _arrow_column(pd.Series([True, None]), "bool", pa.bool_()).to_pylist() == [True, None]
    lists = _arrow_column(pd.Series([["S1", "S2"], np.array(["S3"]), None]), "list", pa.list_(pa.string()))
    assert lists.to_pylist() == [["S1", "S2"], ["S3"], None]
