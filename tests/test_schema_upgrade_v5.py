"""Users' history survives the upgrade from schema 5 (``tests/data/schema_v5.sql``, written by
``python -m tools.schema_dump`` at commit 839e7f6 from the two latest demo imports of PRJ-101, with
a grant, an organisation setting, a manager's note and the audit trail). Today's code opens it,
keeps every row, and gains schema 6: the scheduling tools' critical-path inputs (task deadlines,
placeholder manual tasks, the project's critical slack limit and multiple-critical-paths option),
empty on the old rows, so the schedule of an upgraded file reads as it did."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from pmo_analytics import store as store_mod
from pmo_analytics.access import Grant
from pmo_analytics.settings import org_from_store
from pmo_analytics.store import Store, close_all

V5_SQL = Path(__file__).parent / "data" / "schema_v5.sql"


@pytest.fixture
def v5_file(tmp_path):
    path = tmp_path / "v5.duckdb"
    con = duckdb.connect(str(path))
    con.execute(V5_SQL.read_text(encoding="utf-8"))
    before = {
        t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0]
        for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    }
    cols = {r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'tasks'").fetchall()}
    con.close()
    assert "deadline" not in cols and "is_placeholder" not in cols  # truly a version-5 file
    yield path, before
    close_all()


def test_a_version_5_file_opens_with_every_row_grant_setting_note_and_audit_entry(v5_file):
    path, before = v5_file
    assert before["schema_version"] == 1 and before["imports"] == 2 and before["tasks"] > 100
    s = Store(path)
    for table, n in before.items():
        if table != "schema_version":
            assert len(s.query(f"SELECT * FROM {store_mod.q(table)}")) == n, table
    versions = s.query("SELECT version FROM schema_version ORDER BY version")["version"].tolist()
    assert versions == [5, 6] and store_mod.SCHEMA_VERSION == 6
    assert s.table("projects")["project_id"].tolist() == ["PRJ-101"]
    assert s.status_dates() == [date(2026, 9, 30), date(2026, 10, 31)]
    assert s.grants() == [Grant("email", "ana@example.com", "analyst", departments=("IT",))]
    assert org_from_store(s).ev_method == "50/50"
    assert s.notes(projects=["PRJ-101"])["note"].tolist() == ["Vendor late; 供应商延迟"]
    assert s.audit_entries()["action"].tolist().count("import.load") == 2


def test_a_version_5_file_gains_the_critical_path_inputs_empty(v5_file):
    path, before = v5_file
    s = Store(path)
    tasks = s.table("tasks")
    assert len(tasks) == before["tasks"] // 2  # the snapshot: the latest of the two imports
    for col in ("deadline", "deadline_minute", "is_placeholder"):
        assert col in tasks.columns and tasks[col].isna().all(), col
    projects = s.table("projects")
    for col in ("critical_slack_limit_days", "multiple_critical_paths"):
        assert col in projects.columns and projects[col].isna().all(), col
    assert s.data_version()[0] == 2  # the latest of the file's two imports
