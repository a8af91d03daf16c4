"""The one load path (frames.load_frames): snapshots per project as of a date, typed frames,
active and closed projects; the same projects on the Portfolio page, in the CLI and in the
report workbook. Expected values are worked by hand in the comments."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pandas as pd
import pytest

from pmo_analytics import report_workbook as rw
from pmo_analytics.cli import main
from pmo_analytics.frames import Selection, is_closed, load_frames, selection_for, snapshot
from pmo_analytics.ingest.base import ParsedUpload
from pmo_analytics.schema import TABLES, frame_dtypes
from pmo_analytics.settings import Settings
from pmo_analytics.store import Store, close_all
from tests.conftest import run_app
from tests.helpers import plain

JAN, FEB, MAR = date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)


def _import(store: Store, status_date: date, name: str, **tables: pd.DataFrame) -> None:
    store.import_parsed(
        ParsedUpload(
            source_name=name,
            source_format="template",
            sha256=hashlib.sha256(f"{name}{status_date}".encode()).hexdigest(),
            tables=tables,
            rows_in=sum(len(t) for t in tables.values()),
        ),
        status_date,
    )


def _projects(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": [p for p, _ in rows],
            "name": [f"Project {p}" for p, _ in rows],
            "status": [s for _, s in rows],
            "bac": 100.0,
        }
    )


def _task(pid: str, pct: float, ac: float) -> pd.DataFrame:
    # one task of BAC 100 over January-February; EV = 100 x % complete
    return pd.DataFrame(
        {
            "project_id": [pid],
            "task_id": ["1"],
            "name": ["Work"],
            "start": [pd.Timestamp("2025-01-06")],
            "finish": [pd.Timestamp("2025-02-28")],
            "baseline_start": [pd.Timestamp("2025-01-06")],
            "baseline_finish": [pd.Timestamp("2025-02-28")],
            "bac": [100.0],
            "percent_complete": [pct],
            "actual_cost": [ac],
        }
    )


@pytest.fixture
def hand_store(tmp_path):
    """P1 reports at Feb and (imported afterwards) at Jan; P2 only at Jan; P3 closed (Chinese
    status word), P4 cancelled, P5 on hold."""
    db = tmp_path / "hand.duckdb"
    s = Store(db)
    five = _projects(("P1", "Active"), ("P2", "Active"), ("P3", "已关闭"), ("P4", "Cancelled"), ("P5", "On hold"))
    tasks_jan = pd.concat([_task(p, 0.2, 30.0) for p in ("P1", "P2", "P3", "P4", "P5")])
    _import(s, FEB, "feb.xlsx", projects=_projects(("P1", "Active")), tasks=_task("P1", 0.5, 60.0))
    _import(s, JAN, "jan.xlsx", projects=five, tasks=tasks_jan)  # an older status date, imported later
    close_all()
    yield db
    close_all()


def test_status_words_are_decided_in_one_place():
    assert [is_closed(w) for w in ("Closed", " cancelled ", "Canceled", "已关闭", "已取消", "完成")] == [True] * 6
    assert [is_closed(w) for w in ("Active", "On hold", "暂停", "进行中", "", None, float("nan"))] == [False] * 7


def test_older_status_date_imported_later_does_not_become_current(hand_store):
    fr = load_frames(Store(hand_store))
    cur = fr.current("tasks").set_index("project_id")
    # P1: Feb (imported first) is its latest status date, not Jan (imported second)
    assert cur.at["P1", "status_date"] == pd.Timestamp(FEB) and cur.at["P1", "percent_complete"] == 0.5
    assert cur.at["P2", "status_date"] == pd.Timestamp(JAN)  # P2 never reported in Feb: its Jan is current
    assert fr.status_date == FEB


def test_as_of_resolution_per_project(hand_store):
    s = Store(hand_store)
    mid_feb = load_frames(s, Selection(as_of=date(2025, 2, 15)))
    cur = mid_feb.current("tasks").set_index("project_id")
    assert cur["status_date"].eq(pd.Timestamp(JAN)).all() and cur.at["P1", "percent_complete"] == 0.2
    # history stops at the as-of date (in SQL): P1's Feb snapshot is not there
    assert set(mid_feb.history("tasks")["status_date"]) == {pd.Timestamp(JAN)}
    assert mid_feb.status_date == JAN
    latest = load_frames(s)
    assert sorted(latest.history("tasks").query("project_id == 'P1'")["status_date"]) == [
        pd.Timestamp(JAN),
        pd.Timestamp(FEB),
    ]
    # the in-memory rule on the loaded history gives the same answer as SQL at mid-February
    again = snapshot(latest.history("tasks"), date(2025, 2, 15)).set_index("project_id")
    assert again.loc[cur.index, "percent_complete"].tolist() == cur["percent_complete"].tolist()
    before = load_frames(s, Selection(as_of=date(2025, 1, 15)))
    assert before.current("tasks").empty and before.status_date is None


def test_closed_projects_left_out_and_included_with_the_toggle(hand_store):
    s = Store(hand_store)
    fr = load_frames(s)
    # P3 (已关闭) and P4 (Cancelled) are closed; P5 on hold counts as running: 5 - 2 = 3
    assert sorted(fr.projects["project_id"]) == ["P1", "P2", "P5"]
    assert fr.closed_left_out == ("P3", "P4")
    assert set(fr.history("tasks")["project_id"]) == {"P1", "P2", "P5"}
    everything = load_frames(s, Selection(include_closed=True))
    assert sorted(everything.projects["project_id"]) == ["P1", "P2", "P3", "P4", "P5"]
    assert everything.closed_left_out == () and everything.closed_ids == ("P3", "P4")
    # a filter that matches only closed projects gives empty typed frames, naming what it left out
    only = load_frames(s, selection_for(["P3"]))
    assert only.current("tasks").empty and only.closed_left_out == ("P3",)


def test_cli_metrics_counts_active_projects_and_includes_closed_on_request(hand_store, capsys):
    def metrics(*extra: str) -> dict:
        assert main(["metrics", "--db", str(hand_store), "--json", *extra]) == 0
        return json.loads(capsys.readouterr().out)

    data = metrics()
    latest = data["portfolio"][-1]
    # at Feb: P1 EV = 100 x 0.5 = 50, AC 60; P2 and P5 carried from Jan: EV 20 each, AC 30 each
    # -> EV = 50 + 20 + 20 = 90, AC = 60 + 30 + 30 = 120, BAC = 3 x 100 = 300
    assert latest["status_date"] == "2025-02-28"
    assert (latest["ev"], latest["ac"], latest["bac"]) == (pytest.approx(90), pytest.approx(120), pytest.approx(300))
    assert data["closed_left_out"] == ["P3", "P4"]
    data = metrics("--include-closed")
    latest = data["portfolio"][-1]
    # + P3 and P4 at Jan: EV 20 + 20, AC 30 + 30 -> EV 130, AC 180, BAC 500
    assert (latest["ev"], latest["ac"], latest["bac"]) == (pytest.approx(130), pytest.approx(180), pytest.approx(500))
    assert data["closed_left_out"] == []
    data = metrics("--status-date", "2025-02-15")
    assert {r["status_date"] for r in data["projects"]} == {"2025-01-31"}  # P1's Feb is after the date
    close_all()


def test_empty_store_gives_typed_empty_frames(tmp_path):
    fr = load_frames(Store(tmp_path / "empty.duckdb"))
    for name in TABLES:
        for df in (fr.current(name), fr.history(name)):
            assert df is not None and df.empty
            assert {c: str(t) for c, t in df.dtypes.items()} == frame_dtypes(name)
    assert fr.status_date is None and fr.closed_left_out == ()
    close_all()


# ------------------------------------------------------------------ one answer on every surface
@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from pmo_analytics.demo import build_demo

    db = tmp_path_factory.mktemp("frames") / "demo.duckdb"
    build_demo(Store(db))
    close_all()
    return db


@pytest.mark.parametrize("include_closed", [False, True])
def test_portfolio_page_cli_and_workbook_count_the_same_projects(demo_db, monkeypatch, capsys, include_closed):
    # the demo: 12 projects, PRJ-108 closed -> 11 counted, 12 with the toggle
    expected = 12 if include_closed else 11
    monkeypatch.setenv("PMO_DB", str(demo_db))
    at = run_app(timeout=120, session_state={"f_include_closed": include_closed})
    page_projects = set(plain(at.dataframe[0].value)["Project ID"])
    assert next(m.value for m in at.metric if m.label == "Projects") == str(expected)
    close_all()

    assert main(["metrics", "--db", str(demo_db), "--json", *(["--include-closed"] if include_closed else [])]) == 0
    data = json.loads(capsys.readouterr().out)
    latest = max(r["status_date"] for r in data["projects"])
    cli_projects = {r["project_id"] for r in data["projects"] if r["status_date"] == latest}

    contents: list[rw.ReportSheet] = []
    rw.report_from_store(Store(demo_db), include_closed=include_closed, settings=Settings(), contents=contents)
    close_all()
    workbook_rows = dict((c.key, c.rows) for c in contents)["projects"]

    assert len(page_projects) == len(cli_projects) == workbook_rows == expected
    assert page_projects == cli_projects
    assert ("PRJ-108" in cli_projects) is include_closed
