"""Change history between two status dates, on a fixture with known moves.

Project X, snapshot A = 2025-03-31 and B = 2025-04-30 (a later snapshot C = 2025-05-31 exists):
- T2 Build: finish 11 Apr -> 25 Apr (+14 days), baseline finish 11 Apr -> 18 Apr (+7),
  budget 300 -> 350 (+50), progress 20 % -> 60 % (+40 points)
- T3 Test: start 14 Apr -> 28 Apr (+14), finish 25 Apr -> 9 May (+14)
- T4 Docs removed, T5 "CR-1 Extra report" added; project BAC 550 -> 630 (+80)
- risks: R1 open -> closed, R2 open -> gone, R3 closed -> open again, R4 new
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pmo_analytics.frames import snapshot
from pmo_analytics.metrics.changes import change_history, changes_frame, status_dates

A, B, C = pd.Timestamp("2025-03-31"), pd.Timestamp("2025-04-30"), pd.Timestamp("2025-05-31")


def task(tid, name, start, finish, bac, pc, sd, bfinish=None):
    return dict(
        project_id="X", task_id=tid, name=name, start=pd.Timestamp(start), finish=pd.Timestamp(finish),
        baseline_start=pd.Timestamp(start) if tid != "T5" else pd.NaT,
        baseline_finish=pd.Timestamp(bfinish or finish) if tid != "T5" else pd.NaT,
        bac=float(bac), percent_complete=pc, status_date=sd,
    )  # fmt: skip


def tasks() -> pd.DataFrame:
    rows = [
        task("T1", "Design", "2025-03-03", "2025-03-14", 100, 1.0, A),
        task("T2", "Build", "2025-03-17", "2025-04-11", 300, 0.2, A),
        task("T3", "Test", "2025-04-14", "2025-04-25", 100, 0.0, A),
        task("T4", "Docs", "2025-03-03", "2025-03-07", 50, 1.0, A),
        task("T1", "Design", "2025-03-03", "2025-03-14", 100, 1.0, B),
        task("T2", "Build", "2025-03-17", "2025-04-25", 350, 0.6, B, bfinish="2025-04-18"),
        task("T3", "Test", "2025-04-28", "2025-05-09", 100, 0.0, B),
        task("T5", "CR-1 Extra report", "2025-04-28", "2025-05-02", 80, 0.0, B),
        task("T1", "Design", "2025-03-03", "2025-03-14", 100, 1.0, C),
    ]
    # the base row of T3 at B keeps its original baseline (only current dates moved)
    rows[6]["baseline_start"], rows[6]["baseline_finish"] = pd.Timestamp("2025-04-14"), pd.Timestamp("2025-04-25")
    return pd.DataFrame(rows)


def risks() -> pd.DataFrame:
    def r(rid, status, sd):
        return dict(
            project_id="X",
            risk_id=rid,
            title=f"Risk {rid}",
            probability=0.5,
            impact_cost=100.0,
            status=status,
            status_date=sd,
        )

    return pd.DataFrame(
        [
            r("R1", "Open", A),
            r("R2", "Open", A),
            r("R3", "Closed", A),
            r("R1", "Closed", B),
            r("R3", "Open", B),
            r("R4", "Open", B),
        ]
    )


def projects() -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(project_id="X", name="X", bac=550.0, status_date=A),
            dict(project_id="X", name="X", bac=630.0, status_date=B),
        ]
    )


@pytest.fixture(scope="module")
def cs():
    return change_history("X", A, B, tasks=tasks(), risks=risks(), projects=projects())


def test_tasks_added_and_removed(cs):
    assert cs.frames["tasks_added"]["task_id"].tolist() == ["T5"]
    assert cs.frames["tasks_added"]["task_name"].tolist() == ["CR-1 Extra report"]
    assert cs.frames["tasks_removed"]["task_id"].tolist() == ["T4"]


def test_dates_moved_with_days(cs):
    moved = cs.frames["dates_moved"]
    got = {(r.task_id, r.field): r.days for r in moved.itertuples()}
    # 11 Apr -> 25 Apr = 14 days; baseline 11 Apr -> 18 Apr = 7; T3 14 Apr -> 28 Apr and 25 Apr -> 9 May = 14
    assert got == {
        ("T2", "finish"): 14.0,
        ("T2", "baseline_finish"): 7.0,
        ("T3", "start"): 14.0,
        ("T3", "finish"): 14.0,
    }
    row = moved[(moved.task_id == "T3") & (moved.field == "start")].iloc[0]
    assert (row["before"], row["after"]) == (pd.Timestamp("2025-04-14"), pd.Timestamp("2025-04-28"))


def test_budget_and_progress(cs):
    b = cs.frames["budget_changes"]
    # project BAC first (550 -> 630 = +80), then task T2 (300 -> 350 = +50)
    assert b[["task_id", "before", "after", "change"]].values.tolist() == [
        ["", 550.0, 630.0, 80.0],
        ["T2", 300.0, 350.0, 50.0],
    ]
    p = cs.frames["progress_changes"]
    assert p["task_id"].tolist() == ["T2"]
    assert p["change_points"].iloc[0] == pytest.approx(40.0)  # (0.6 - 0.2) x 100


def test_risks_opened_and_closed(cs):
    opened = cs.frames["risks_opened"].set_index("risk_id")["how"].to_dict()
    closed = cs.frames["risks_closed"].set_index("risk_id")["how"].to_dict()
    assert opened == {"R3": "reopened", "R4": "new"}
    assert closed == {"R1": "closed", "R2": "removed"}


def test_counts_and_long_frame(cs):
    assert cs.counts() == {
        "tasks_added": 1,
        "tasks_removed": 1,
        "dates_moved": 4,
        "budget_changes": 2,
        "progress_changes": 1,
        "risks_opened": 2,
        "risks_closed": 2,
    }
    long = changes_frame(cs)
    assert len(long) == 13 and set(long["project_id"]) == {"X"}
    moved = long[(long.section == "dates_moved") & (long.item_id == "T2") & (long.field == "finish")].iloc[0]
    assert (moved["before"], moved["after"], moved["change"]) == ("2025-04-11", "2025-04-25", "14")
    prog = long[long.section == "progress_changes"].iloc[0]
    assert (prog["before"], prog["after"], prog["change"]) == ("20%", "60%", "40")
    bac = long[(long.section == "budget_changes") & (long.item_id == "")].iloc[0]
    assert (bac["item"], bac["before"], bac["after"], bac["change"]) == ("BAC", "550", "630", "80")
    assert long[long.section == "risks_opened"]["change"].tolist() == ["reopened", "new"]


def test_dates_swapped_and_as_of():
    # given the wrong way round, and B as "15 May" (latest snapshot on or before it is B)
    cs = change_history("X", pd.Timestamp("2025-05-15"), A, tasks=tasks(), risks=risks(), projects=projects())
    assert (cs.snapshot_a, cs.snapshot_b) == (date(2025, 3, 31), date(2025, 4, 30))
    assert cs.frames["tasks_added"]["task_id"].tolist() == ["T5"]


def test_no_change_between_the_same_snapshot():
    cs = change_history("X", B, B, tasks=tasks(), risks=risks(), projects=projects())
    assert sum(cs.counts().values()) == 0


def test_snapshot_and_status_dates():
    t = pd.concat([tasks(), tasks().assign(project_id="Y", status_date=pd.Timestamp("2025-04-15"))])
    snap = snapshot(t, pd.Timestamp("2025-04-20"))
    assert snap.groupby("project_id")["status_date"].max().to_dict() == {"X": A, "Y": pd.Timestamp("2025-04-15")}
    assert snapshot(t, pd.Timestamp("2025-01-01")).empty
    assert status_dates(tasks(), risks(), project_id="X") == [date(2025, 3, 31), date(2025, 4, 30), date(2025, 5, 31)]


def test_section_view_names_fields_in_the_language(cs):
    from pmo_analytics.metrics.changes import section_view
    from pmo_analytics.present import change_section, changes_long

    assert set(section_view(cs, "dates_moved")["field"]) == {"start", "finish", "baseline_finish"}  # codes
    assert set(change_section(cs, "dates_moved", "zh")["field"]) == {"开始时间", "完成时间", "基准完成"}
    assert set(change_section(cs, "dates_moved", "en")["field"]) == {"Start", "Finish", "Baseline finish"}
    long = changes_long(cs, "zh")
    assert set(long.loc[long.item_id == "T2", "section"]) == {"日期变动", "预算变化", "进度变化"}  # in Chinese
    assert not set(long["change"].dropna()) & {"new", "reopened", "closed", "removed"}  # risk words translated
    assert set(changes_frame(cs)["section"]) >= {"dates_moved", "risks_closed"}  # the library keeps codes
