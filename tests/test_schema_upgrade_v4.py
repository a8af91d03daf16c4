"""Users' history survives the upgrade from schema 4 (``tests/data/schema_v4.sql``, written by
``python -m tools.schema_dump`` at commit 1e6b49c from the two latest demo imports of PRJ-101, with
a grant, an organisation setting, a manager's note and the audit trail). Today's code opens it,
keeps every row, and gains schema 5: the schedule-risk inputs (tasks' three-point durations, the
tasks a risk delays and by how many days) and the data_version row every write bumps. Each schema-5 change of this release extends this test."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pmo_analytics import store as store_mod
from pmo_analytics.store import Store, close_all
from tests.old_schema import assert_history_kept, replay

V4_SQL = Path(__file__).parent / "data" / "schema_v4.sql"


@pytest.fixture
def v4_file(tmp_path):
    path = tmp_path / "v4.duckdb"
    before = replay(V4_SQL, path)
    yield path, before
    close_all()


def test_a_version_4_file_opens_with_every_row_grant_setting_note_and_audit_entry(v4_file):
    path, before = v4_file
    assert before["schema_version"] == 1
    s = Store(path)
    assert_history_kept(s, before)
    versions = s.query("SELECT version FROM schema_version ORDER BY version")["version"].tolist()
    assert versions == [4, store_mod.SCHEMA_VERSION]


def test_a_version_4_file_gains_the_schedule_risk_inputs(v4_file):
    path, before = v4_file
    s = Store(path)
    tasks = s.table("tasks")
    assert len(tasks) == before["tasks"] // 2  # the snapshot: the latest of the two imports
    for col in ("duration_optimistic", "duration_likely", "duration_pessimistic", "split_minutes"):
        assert col in tasks.columns and tasks[col].isna().all(), col
    risks = s.table("risks")
    assert "task_ids" in risks.columns and "impact_days" in risks.columns
    assert risks["impact_days"].isna().all() and risks["task_ids"].isna().all()


def test_a_version_4_file_gains_the_reporting_tables_and_views(v4_file):
    """Schema 5 (issue 16): the reporting tables and the ``reporting.v1_*`` views BI tools read;
    empty until the first refresh, which computes them from the upgraded file's history."""
    from pmo_analytics import reporting

    path, _ = v4_file
    s = Store(path)
    for name, cols in reporting.TABLES.items():
        df = reporting.read(s, name)
        assert df.empty and list(df.columns) == [c.name for c in cols], name
    done = reporting.refresh(s)
    assert done.written
    pm = reporting.read(s, "project_metrics")
    # the file's two imports of PRJ-101: one row per status date, the latest current
    assert pm["status_date"].dt.date.tolist() == [date(2026, 9, 30), date(2026, 10, 31)]
    assert pm["is_current"].tolist() == [False, True]
    # the stored organisation setting (EV method 50/50) is the one used
    assert '"ev_method": "50/50"' in reporting.read(s, "refresh")["settings"].iloc[0]


def test_a_version_4_file_gains_the_data_version_row_that_every_write_bumps(v4_file):
    path, before = v4_file
    assert "data_version" not in before
    s = Store(path)
    # the file's two imports are kept; the write counter starts at 0 in an upgraded file
    latest = int(s.imports()["import_id"].max())
    assert s.data_version() == (latest, 0)
    s.save_note("PRJ-101", date(2026, 10, 31), "upgraded", "ana@example.com")
    assert s.data_version() == (latest, 1)
    assert s.query("SELECT id, version FROM data_version").values.tolist() == [[1, 1]]
