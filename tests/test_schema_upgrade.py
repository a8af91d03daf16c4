"""Users' history survives upgrades: a database written by the previous release (schema version 3,
``tests/data/schema_v3.sql``, made by commit 7d80a74 from the demo) opens with today's code, keeps
every row, and gains what the newer schema adds. Each later schema change extends this test."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pmo_analytics import store as store_mod
from pmo_analytics.store import Store, close_all

V3_SQL = Path(__file__).parent / "data" / "schema_v3.sql"


@pytest.fixture
def v3_file(tmp_path):
    path = tmp_path / "v3.duckdb"
    con = duckdb.connect(str(path))
    for statement in V3_SQL.read_text(encoding="utf-8").split(";\n"):
        lines = [ln for ln in statement.splitlines() if not ln.startswith("--")]
        if "".join(lines).strip():
            con.execute("\n".join(lines))
    before = {
        t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0]
        for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    }
    con.close()
    yield path, before
    close_all()


def test_a_version_3_file_opens_keeps_its_rows_and_gains_the_audit_trail(v3_file):
    path, before = v3_file
    assert before["schema_version"] == 1 and before["tasks"] == 12 and before["imports"] == 4
    s = Store(path)
    for table, n in before.items():
        if table != "schema_version":
            assert len(s.query(f"SELECT * FROM {store_mod.q(table)}")) == n, table
    assert s.query("SELECT max(version) AS v FROM schema_version")["v"].iloc[0] == store_mod.SCHEMA_VERSION
    assert s.table("projects")["project_id"].tolist() == ["PRJ-101"]
    assert s.audit_entries().empty
    s.record_audit("ana@example.com", "import.withdraw", "3", {"rows": 12, "名称": "计划"})
    entries = s.audit_entries(action="import.")
    assert entries[["actor", "action", "target"]].values.tolist() == [["ana@example.com", "import.withdraw", "3"]]
    assert entries["details"].iloc[0] == '{"rows": 12, "名称": "计划"}'
    assert s.audit_entries(action="import").empty  # an exact code, not a prefix
    assert s.audit_entries(actor="bob@example.com").empty


def test_a_version_3_file_gains_access_grants_org_settings_and_import_owners(v3_file):
    from pmo_analytics.access import Grant
    from pmo_analytics.settings import org_from_store

    path, _ = v3_file
    s = Store(path)
    # the imports made before sign-in existed have no owner: only an admin (or the CLI) withdraws them
    assert s.imports()["imported_by"].isna().all() and len(s.imports()) == 4
    assert s.grants() == [] and s.org_settings() == {}
    s.save_grant(Grant("email", "ana@example.com", "analyst", departments=("IT",)))
    assert s.grants() == [Grant("email", "ana@example.com", "analyst", departments=("IT",))]
    s.save_org_settings({"ev_method": "0/100"})
    assert org_from_store(s).ev_method == "0/100"
    assert s.audit_entries()["action"].tolist() == ["settings.save", "access.grant"]


def test_a_version_3_file_gains_time_as_schedule_tools_keep_it(v3_file, tmp_path):
    """Schema 4 also adds the working-time columns of native schedule files (tasks: times of day,
    duration minutes and unit, remaining, calendar, manual, stored critical; links: lag minutes and
    unit; projects: calendar, day length, scheduling tool) and the calendars table. Old rows read
    them as missing; an MS Project XML import fills them."""
    path, _ = v3_file
    s = Store(path)
    tasks = s.table("tasks")
    assert len(tasks) == 12
    for col in ("start_minute", "duration_minutes", "duration_unit", "calendar_id", "is_manual", "is_critical"):
        assert col in tasks.columns and tasks[col].isna().all(), col
    links = s.table("links")
    assert {"lag_minutes", "lag_unit"} <= set(links.columns)
    assert {"calendar_id", "minutes_per_day", "schedule_tool"} <= set(s.table("projects").columns)
    assert s.table("calendars").empty

    xml = (
        b'<Project xmlns="http://schemas.microsoft.com/project"><Title>T</Title><MinutesPerDay>480</MinutesPerDay>'
        b"<CalendarUID>1</CalendarUID><StatusDate>2024-01-05T17:00:00</StatusDate><Calendars><Calendar><UID>1</UID>"
        b"<Name>Night</Name><BaseCalendarUID>-1</BaseCalendarUID><WeekDays><WeekDay><DayType>2</DayType>"
        b"<DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>22:00:00</FromTime><ToTime>00:00:00</ToTime>"
        b"</WorkingTime></WorkingTimes></WeekDay></WeekDays></Calendar></Calendars><Tasks><Task><UID>1</UID>"
        b"<Name>A</Name><OutlineLevel>1</OutlineLevel><Start>2024-01-08T22:00:00</Start><Finish>2024-01-15T00:00:00"
        b"</Finish><Duration>PT2H0M0S</Duration><DurationFormat>5</DurationFormat><Critical>1</Critical></Task></Tasks>"
        b"</Project>"
    )
    from datetime import date

    from pmo_analytics.importing import parse_upload

    s.import_parsed(parse_upload("night.xml", xml, isolated=False), date(2024, 1, 5))
    t = s.table("tasks")
    row = t[t["project_id"] == "T"].iloc[0]
    # 22:00 = 22 * 60 = 1320 minutes after midnight; PT2H = 120 minutes, shown in hours
    assert (row["start_minute"], row["finish_minute"], row["duration_minutes"]) == (1320, 0, 120)
    assert row["duration_unit"] == "h" and row["calendar_id"] == "1" and bool(row["is_critical"])
    cal = s.table("calendars")
    assert cal["weekdays"].tolist() == ['{"1": [[1320, 1440]]}']  # Monday (MSPDI DayType 2) 22:00-24:00


def test_a_version_3_file_gains_withdrawal_and_mapping_owners(v3_file):
    path, _ = v3_file
    s = Store(path)
    imp = s.imports()
    assert {"withdrawn_at", "withdrawn_by"} <= set(imp.columns) and imp["withdrawn_at"].isna().all()
    assert "saved_by" in s.documents("mapping").columns
    # the demo's PRJ-101: a projects row in each of 4 monthly imports (its 12 tasks in the first);
    # withdrawing the last brings 2026-09-30 back as current
    assert set(s.table("projects")["status_date"].dt.date.astype(str)) == {"2026-10-31"}
    impact = s.withdraw_import(4, "local")
    assert [(p.project_id, str(p.now), str(p.after)) for p in impact.projects] == [
        ("PRJ-101", "2026-10-31", "2026-09-30")
    ]
    assert set(s.table("projects")["status_date"].dt.date.astype(str)) == {"2026-09-30"}
    assert [str(d) for d in s.status_dates()] == ["2026-07-31", "2026-08-31", "2026-09-30"]
    s.restore_import(4, "local")
    assert set(s.table("projects")["status_date"].dt.date.astype(str)) == {"2026-10-31"}
    assert s.audit_entries()["action"].tolist() == ["import.restore", "import.withdraw"]
