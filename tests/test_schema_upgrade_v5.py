"""Users' history survives the upgrade from schema 5 (``tests/data/schema_v5.sql``, written by
``python -m tools.schema_dump`` at commit 839e7f6 from the two latest demo imports of PRJ-101, with
a grant, an organisation setting, a manager's note and the audit trail). Today's code opens it,
keeps every row, and gains schema 6: the scheduling tools' critical-path inputs (task deadlines,
placeholder manual tasks, the project's critical slack limit and multiple-critical-paths option),
empty on the old rows, so the schedule of an upgraded file reads as it did."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pmo_analytics import store as store_mod
from pmo_analytics.store import Store, close_all
from tests.old_schema import assert_history_kept, replay

V5_SQL = Path(__file__).parent / "data" / "schema_v5.sql"


@pytest.fixture
def v5_file(tmp_path):
    path = tmp_path / "v5.duckdb"
    before = replay(V5_SQL, path)
    con = duckdb.connect(str(path))
    cols = {r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'tasks'").fetchall()}
    con.close()
    assert "deadline" not in cols and "is_placeholder" not in cols  # truly a version-5 file
    yield path, before
    close_all()


def test_a_version_5_file_opens_with_every_row_grant_setting_note_and_audit_entry(v5_file):
    path, before = v5_file
    assert before["schema_version"] == 1
    s = Store(path)
    assert_history_kept(s, before)
    versions = s.query("SELECT version FROM schema_version ORDER BY version")["version"].tolist()
    assert versions == [5, 6] and store_mod.SCHEMA_VERSION == 6


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
