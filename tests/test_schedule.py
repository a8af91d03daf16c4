"""CPM engine: hand-made networks (each link type, lags/leads, holidays, constraints, progress,
summaries, loops) and MS Project's own float/critical flags from two real MSPDI files."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from pmo_analytics.errors import PmoError, ScheduleError
from pmo_analytics.metrics.cpm import (
    MFO,
    MSO,
    SNET,
    SNLT,
    constraint_code,
    cpm,
    link_type_code,
    parents,
    schedule_records,
)
from pmo_analytics.metrics.milestones import milestone_history, milestone_tracker
from pmo_analytics.metrics.working_time import DayCalendar, add_workdays, workday_diff, workdays_between
from pmo_analytics.settings import Settings
from tests.conftest import shared_file

# Working days used below (March 2024; 4 Mar is a Monday):
#   day 0 Mon 04, 1 Tue 05, 2 Wed 06, 3 Thu 07, 4 Fri 08,
#   day 5 Mon 11, 6 Tue 12, 7 Wed 13, 8 Thu 14, 9 Fri 15, 10 Mon 18, 11 Tue 19, 12 Wed 20, 13 Thu 21


def D(s: str) -> pd.Timestamp:
    return pd.Timestamp(s)


def T(task_id, start, finish, **kw) -> dict:
    row = {"project_id": kw.pop("project_id", "P"), "task_id": task_id, "name": kw.pop("name", f"Task {task_id}")}
    row.update(start=D(start), finish=D(finish), **kw)
    return row


def L(pred, succ, type_="FS", lag=0.0, project_id="P") -> dict:
    return {"project_id": project_id, "pred_task_id": pred, "succ_task_id": succ, "type": type_, "lag_days": lag}


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows)


def by_id(res: pd.DataFrame) -> pd.DataFrame:
    return res.set_index("task_id")


# ----------------------------------------------------------------------------- calendar


def test_workdays_calendar_arithmetic():
    # Fri 8 Mar -> Mon 11 Mar is one working day; with Mon 11 a holiday, Fri -> Tue 12 is one
    assert workday_diff([date(2024, 3, 8)], [date(2024, 3, 11)])[0] == 1
    assert workday_diff([date(2024, 3, 8)], [date(2024, 3, 12)], holidays=[date(2024, 3, 11)])[0] == 1
    # Mon 4 .. Fri 15 inclusive = 10 working days; minus a holiday on Wed 6 = 9
    assert workdays_between([date(2024, 3, 4)], [date(2024, 3, 15)])[0] == 10
    assert workdays_between([date(2024, 3, 4)], [date(2024, 3, 15)], holidays=["2024-03-06"])[0] == 9
    # Fri 8 + 1 working day = Mon 11; a Saturday start rolls forward to Monday first
    assert add_workdays([date(2024, 3, 8)], 1)[0] == np.datetime64("2024-03-11")
    assert add_workdays([date(2024, 3, 9)], 0)[0] == np.datetime64("2024-03-11")
    cal = DayCalendar()
    idx = cal.index(pd.Series([pd.Timestamp("2024-03-04"), pd.NaT]))
    assert math.isnan(idx[1])
    assert np.isnat(cal.date([math.nan])[0])
    assert cal.is_workday([date(2024, 3, 9), date(2024, 3, 11)]).tolist() == [False, True]


# ----------------------------------------------------------------------------- link types


def relations_network(year_start="2024-03-04"):
    """The network of MS Project's mspdirelations.xml, hand-made (one link of each type):
    1 (1d) -FS-> 2 (1d) -SS+1d-> 3 (1d) -FF-> 4 (1d) -SF-> 5 (1d)."""
    tasks = frame(
        [
            T("1", "2024-03-04", "2024-03-04"),
            T("2", "2024-03-05", "2024-03-05"),
            T("3", "2024-03-06", "2024-03-06"),
            T("4", "2024-03-06", "2024-03-06"),
            T("5", "2024-03-05", "2024-03-05"),
        ]
    )
    links = frame([L("1", "2", "FS"), L("2", "3", "SS", 1), L("3", "4", "FF"), L("4", "5", "SF")])
    return tasks, links


def test_each_link_type_hand_computed():
    tasks, links = relations_network()
    r = by_id(cpm(tasks, links))
    # Forward (ES, EF as working-day boundaries, EF = ES + d):
    #   1: ES 0, EF 1                      (Mon 4)
    #   2: FS  ES >= EF1 + 0 = 1, EF 2     (Tue 5)
    #   3: SS  ES >= ES2 + 1 = 2, EF 3     (Wed 6)
    #   4: FF  EF >= EF3 + 0 = 3 -> ES 2   (Wed 6)  (ES from project start 0 would give EF 1 < 3)
    #   5: SF  EF >= ES4 + 0 = 2 -> ES 1   (Tue 5)
    # Project finish = max EF = 3.
    assert r.loc["2", "early_start"] == D("2024-03-05")
    assert r.loc["3", "early_start"] == D("2024-03-06")
    assert r.loc["4", "early_start"] == D("2024-03-06") and r.loc["4", "early_finish"] == D("2024-03-06")
    assert r.loc["5", "early_start"] == D("2024-03-05") and r.loc["5", "early_finish"] == D("2024-03-05")
    # Backward: 5: LF = 3 -> TF = 3 - 2 = 1; 4: via SF LF <= LF5 - 0 + d4 = 4, capped by project finish 3 -> TF 0;
    #   3: FF LF <= LF4 = 3 -> TF 0;  2: SS LF <= LS3 - 1 + d2 = 2 - 1 + 1 = 2 -> TF 0;  1: FS LF <= LS2 = 1 -> TF 0
    assert r["total_float_days"].to_dict() == {"1": 0.0, "2": 0.0, "3": 0.0, "4": 0.0, "5": 1.0}
    assert r["critical"].to_dict() == {"1": True, "2": True, "3": True, "4": True, "5": False}
    # free float of 5 (no successor) = project finish 3 - EF5 2 = 1; the others 0
    assert r["free_float_days"].to_dict() == {"1": 0.0, "2": 0.0, "3": 0.0, "4": 0.0, "5": 1.0}
    assert r.loc["5", "late_start"] == D("2024-03-06") and r.loc["5", "late_finish"] == D("2024-03-06")
    assert bool(r.loc["5", "near_critical"]) and not bool(r.loc["1", "near_critical"])


def test_lag_and_lead():
    tasks = frame(
        [
            T("A", "2024-03-04", "2024-03-06"),  # 3 days, days 0-2
            T("B", "2024-03-04", "2024-03-05"),  # 2 days
            T("C", "2024-03-04", "2024-03-04"),  # 1 day
        ]
    )
    links = frame([L("A", "B", "FS", 2), L("A", "C", "FS", -1)])
    r = by_id(cpm(tasks, links))
    # B: ES = EF_A 3 + lag 2 = 5 (Mon 11), EF 7 -> finish Tue 12
    assert (r.loc["B", "early_start"], r.loc["B", "early_finish"]) == (D("2024-03-11"), D("2024-03-12"))
    # C: ES = 3 - 1 = 2 (Wed 6): a one-day lead overlaps A's last day
    assert r.loc["C", "early_start"] == D("2024-03-06")
    # project finish 7; C: TF = 7 - 3 = 4; A: LF = min(LS_B - 2 = 5 - 2, LS_C + 1 = 6 + 1) = 3, EF 3 -> TF 0
    assert r.loc["C", "total_float_days"] == 4.0
    assert r.loc["A", "total_float_days"] == 0.0 and r.loc["B", "total_float_days"] == 0.0
    # free float of A = min(ES_B - (EF_A + 2), ES_C - (EF_A - 1)) = min(0, 0) = 0
    assert r.loc["A", "free_float_days"] == 0.0


def test_ff_lag_ss_lead_sf_lag():
    tasks = frame(
        [
            T("A", "2024-03-04", "2024-03-06"),  # 3 days
            T("B", "2024-03-04", "2024-03-05"),  # 2 days
            T("C", "2024-03-04", "2024-03-05"),  # 2 days
            T("D", "2024-03-04", "2024-03-04"),  # 1 day
        ]
    )
    links = frame([L("A", "B", "FF", 1), L("B", "C", "SS", -1), L("C", "D", "SF", 2)])
    r = by_id(cpm(tasks, links))
    # forward: A ES 0 EF 3;  B: EF >= EF_A + 1 = 4 -> ES 2 (Wed 6 .. Thu 7)
    #   C: ES >= ES_B - 1 = 1 (a one-day lead) -> Tue 5 .. Wed 6 (EF 3)
    #   D: EF >= ES_C + 2 = 3 -> ES 2 (Wed 6)          project finish = EF_B = 4
    assert (r.loc["B", "early_start"], r.loc["B", "early_finish"]) == (D("2024-03-06"), D("2024-03-07"))
    assert (r.loc["C", "early_start"], r.loc["C", "early_finish"]) == (D("2024-03-05"), D("2024-03-06"))
    assert (r.loc["D", "early_start"], r.loc["D", "early_finish"]) == (D("2024-03-06"), D("2024-03-06"))
    # backward: D LF 4 -> TF 1;  C: LS <= LF_D - 2 = 2 -> LF 4 -> TF 1;
    #   B: LS <= LS_C + 1 = 3 -> LF 5, capped by the project finish 4 -> TF 0;  A: LF <= LF_B - 1 = 3 -> TF 0
    assert r["total_float_days"].to_dict() == {"A": 0.0, "B": 0.0, "C": 1.0, "D": 1.0}
    assert r["critical"].to_dict() == {"A": True, "B": True, "C": False, "D": False}
    assert (r.loc["C", "late_start"], r.loc["C", "late_finish"]) == (D("2024-03-06"), D("2024-03-07"))
    # free float: A: EF_B - (EF_A + 1) = 0; B: ES_C - (ES_B - 1) = 0; C: EF_D - (ES_C + 2) = 0; D: 4 - 3 = 1
    assert r["free_float_days"].to_dict() == {"A": 0.0, "B": 0.0, "C": 0.0, "D": 1.0}


def test_link_aliases_and_fractional_lag_rounding():
    assert link_type_code("finish-to-start") == 0 and link_type_code("开始-开始") == 1
    assert link_type_code(None) == 0 and link_type_code("") == 0
    with pytest.raises(ScheduleError):
        link_type_code("XX")
    tasks = frame([T("A", "2024-03-04", "2024-03-04"), T("B", "2024-03-04", "2024-03-04")])
    # lag 0.6 day rounds to 1 whole working day: B starts day 1 + 1 = 2 (Wed 6)
    r = by_id(cpm(tasks, frame([L("A", "B", "Finish-to-Start", 0.6)])))
    assert r.loc["B", "early_start"] == D("2024-03-06")


def test_holidays_move_dates():
    tasks = frame([T("A", "2024-03-08", "2024-03-08"), T("B", "2024-03-08", "2024-03-08")])
    links = frame([L("A", "B")])
    # A on Fri 8; B FS the next working day: Mon 11, or Tue 12 when Mon 11 is a holiday
    assert by_id(cpm(tasks, links)).loc["B", "early_start"] == D("2024-03-11")
    r = by_id(cpm(tasks, links, holidays=[date(2024, 3, 11)]))
    assert r.loc["B", "early_start"] == D("2024-03-12")


# ----------------------------------------------------------------------------- loops


def test_cycle_is_reported_with_task_names():
    tasks = frame(
        [
            T("S", "2024-03-04", "2024-03-04", name="Start"),
            T("A", "2024-03-05", "2024-03-05", name="Design"),
            T("B", "2024-03-06", "2024-03-06", name="Build"),
            T("C", "2024-03-07", "2024-03-07", name="Test"),
        ]
    )
    links = frame([L("S", "A"), L("A", "B"), L("B", "C"), L("C", "A")])
    with pytest.raises(ScheduleError) as exc:
        cpm(tasks, links)
    err = exc.value
    assert isinstance(err, PmoError)
    assert set(err.cycle) == {"A", "B", "C"} and err.cycle[0] == err.cycle[-1] and len(err.cycle) == 4
    assert "S" not in err.cycle
    msg = str(err)
    assert "'P'" in msg and "Design" in msg and "Build" in msg and "Test" in msg and "loop" in msg
    # the loop is reported in link order: each step is a real link
    pairs = set(zip(links.pred_task_id, links.succ_task_id, strict=True))
    assert all((a, b) in pairs for a, b in zip(err.cycle, err.cycle[1:], strict=False))


def test_self_link_is_a_loop():
    tasks = frame([T("A", "2024-03-04", "2024-03-04")])
    with pytest.raises(ScheduleError, match="loop"):
        cpm(tasks, frame([L("A", "A")]))


# ----------------------------------------------------------------------------- progress


def test_actuals_and_status_date():
    tasks = frame(
        [
            # A finished on its actual dates
            T(
                "A",
                "2024-03-04",
                "2024-03-06",
                actual_start=D("2024-03-04"),
                actual_finish=D("2024-03-06"),
                percent_complete=1.0,
            ),
            # B started Thu 7, 10 days planned (7 Mar .. 20 Mar), 40 % done
            T("B", "2024-03-07", "2024-03-20", actual_start=D("2024-03-07"), percent_complete=0.4),
            # C not started, planned 7-8 Mar (2 days) - in the past at the status date
            T("C", "2024-03-07", "2024-03-08"),
            T("D", "2024-03-21", "2024-03-21"),
        ]
    )
    links = frame([L("A", "B"), L("A", "C"), L("B", "D"), L("C", "D")])
    r = by_id(cpm(tasks, links, status_date=date(2024, 3, 13)))  # status day 7 (Wed 13)
    # A: actual dates kept, no float, not critical
    assert r.loc["A", "early_start"] == D("2024-03-04") and r.loc["A", "early_finish"] == D("2024-03-06")
    assert math.isnan(r.loc["A", "total_float_days"]) and not r.loc["A", "critical"]
    # B: remaining = ceil(10 x (1 - 0.4)) = 6 days from the status day 7 -> EF 13 -> finish day 12 = Wed 20
    assert r.loc["B", "early_start"] == D("2024-03-07") and r.loc["B", "early_finish"] == D("2024-03-20")
    # C: logic allows day 3 (after A) but unstarted work cannot start before day 7 -> Wed 13 - Thu 14 (EF 9)
    assert r.loc["C", "early_start"] == D("2024-03-13") and r.loc["C", "early_finish"] == D("2024-03-14")
    # D: ES = max(EF_B 13, EF_C 9) = 13 -> Thu 21; project finish 14
    assert r.loc["D", "early_start"] == D("2024-03-21")
    # float: D 0; B: LF = LS_D 13, EF 13 -> 0; C: LF 13, EF 9 -> 4 (near-critical at <= 5)
    assert r.loc["B", "total_float_days"] == 0.0 and bool(r.loc["B", "critical"])
    assert r.loc["C", "total_float_days"] == 4.0 and bool(r.loc["C", "near_critical"])
    assert r.loc["C", "free_float_days"] == 4.0


def test_actual_dates_override_the_plan():
    tasks = frame(
        [
            # A planned Mon 4 - Tue 5 but actually finished Thu 7
            T("A", "2024-03-04", "2024-03-05", actual_start=D("2024-03-04"), actual_finish=D("2024-03-07"),
              percent_complete=1.0),
            T("B", "2024-03-06", "2024-03-06"),  # FS after A, 1 day, not started
            # C planned Wed 6 - Mon 11 (4 days) but actually started Tue 5, 50 % done
            T("C", "2024-03-06", "2024-03-11", actual_start=D("2024-03-05"), percent_complete=0.5),
        ]
    )  # fmt: skip
    r = by_id(cpm(tasks, frame([L("A", "B")]), status_date=date(2024, 3, 7)))  # status day 3 (Thu 7)
    # A keeps its actual dates; B follows the actual finish (day 3 -> EF 4): Fri 8, not Wed 6 or Thu 7
    assert (r.loc["A", "early_start"], r.loc["A", "early_finish"]) == (D("2024-03-04"), D("2024-03-07"))
    assert r.loc["B", "early_start"] == D("2024-03-08")
    # C: the actual start Tue 5 is kept; remaining ceil(4 x 0.5) = 2 days from day 3 -> EF 5 -> Fri 8
    assert (r.loc["C", "early_start"], r.loc["C", "early_finish"]) == (D("2024-03-05"), D("2024-03-08"))


def test_status_date_from_the_table_column():
    tasks = frame([T("A", "2024-03-04", "2024-03-05"), T("B", "2024-03-04", "2024-03-04", project_id="Q")])
    tasks["status_date"] = [D("2024-03-06"), D("2024-03-01")]
    r = by_id(cpm(tasks, None))
    # P's status date Wed 6 pushes unstarted A (2 days) to Wed 6 - Thu 7; Q's (Fri 1) leaves B alone
    assert r.loc["A", "early_start"] == D("2024-03-06") and r.loc["A", "early_finish"] == D("2024-03-07")
    assert r.loc["B", "early_start"] == D("2024-03-04")


# ----------------------------------------------------------------------------- milestones


def test_milestone_conventions():
    tasks = frame(
        [
            T("K", "2024-03-04", "2024-03-04", is_milestone=True, name="Kick-off"),
            T("A", "2024-03-04", "2024-03-08"),  # Mon-Fri, 5 days
            T("M", "2024-03-08", "2024-03-08", is_milestone=True, name="Done"),
            T("N", "2024-03-11", "2024-03-11"),
        ]
    )
    links = frame([L("K", "A"), L("A", "M"), L("M", "N")])
    r = by_id(cpm(tasks, links))
    # a start milestone (no predecessor) sits at the start of Mon 4, so A starts Mon 4
    assert r.loc["K", "early_start"] == D("2024-03-04") and r.loc["A", "early_start"] == D("2024-03-04")
    # a finish milestone after A (EF 5) shows on Fri 8 like MS Project (end of day); N starts Mon 11
    assert r.loc["M", "early_start"] == D("2024-03-08") and r.loc["M", "early_finish"] == D("2024-03-08")
    assert r.loc["N", "early_start"] == D("2024-03-11")
    assert r.loc["M", "duration_days"] == 0.0
    assert r["critical"].all()


# ----------------------------------------------------------------------------- constraints


def test_constraint_codes():
    assert constraint_code("Must Start On") == MSO and constraint_code("MSO") == MSO
    assert constraint_code("必须完成于") == MFO and constraint_code("3") == MFO and constraint_code(3.0) == MFO
    assert constraint_code("Start No Later Than") == SNLT and constraint_code("start on or before") == SNLT
    assert constraint_code("start no earlier than") == SNET and constraint_code(4) == SNET
    assert constraint_code(None) is None and constraint_code("") is None and constraint_code(float("nan")) is None
    assert constraint_code("whenever") is None and constraint_code(9) is None


def test_finish_no_later_than_gives_negative_float():
    tasks = frame(
        [
            T("A", "2024-03-04", "2024-03-08"),  # 5 days
            T("B", "2024-03-11", "2024-03-11", constraint_type="Finish No Later Than", constraint_date=D("2024-03-07")),
        ]
    )
    r = by_id(cpm(tasks, frame([L("A", "B")])))
    # B: EF = 6 but LF <= Thu 7 (day 3) + 1 = 4 -> TF = 4 - 6 = -2; A: LF = LS_B = 3, EF 5 -> -2
    assert r.loc["B", "total_float_days"] == -2.0 and r.loc["A", "total_float_days"] == -2.0
    assert r["critical"].all()


def test_start_no_earlier_than_and_must_start_on():
    tasks = frame(
        [
            T("A", "2024-03-04", "2024-03-04", constraint_type=4, constraint_date=D("2024-03-06")),  # SNET Wed
            T("B", "2024-03-04", "2024-03-04"),
            T("C", "2024-03-04", "2024-03-04", constraint_type="MSO", constraint_date=D("2024-03-05")),
        ]
    )
    r = by_id(cpm(tasks, frame([L("B", "C")])))
    # A starts no earlier than Wed 6 although its own start is Mon 4
    assert r.loc["A", "early_start"] == D("2024-03-06")
    # C must start on Tue 5 (day 1): early and late start both day 1 -> TF 0 although A ends later
    assert r.loc["C", "early_start"] == D("2024-03-05") and r.loc["C", "total_float_days"] == 0.0
    # B: LF = LS_C = 1, EF 1 -> 0; A ends the project (EF 3) -> 0
    assert r.loc["B", "total_float_days"] == 0.0 and r.loc["A", "total_float_days"] == 0.0


# ----------------------------------------------------------------------------- summaries


def test_summary_rolls_up_and_summary_links_apply_to_children():
    tasks = frame(
        [
            T("S", "2024-03-04", "2024-03-08", wbs="1", outline_level=1, is_summary=True, name="Phase 1"),
            T("A", "2024-03-04", "2024-03-05", wbs="1.1", outline_level=2),  # 2 days
            T("B", "2024-03-04", "2024-03-06", wbs="1.2", outline_level=2),  # 3 days
            T("X", "2024-03-04", "2024-03-04", wbs="2", outline_level=1),
            T("Z", "2024-03-04", "2024-03-04", wbs="3", outline_level=1),
        ]
    )
    # X precedes the summary (so both children); the summary precedes Z (after both children)
    links = frame([L("X", "S"), L("S", "Z")])
    r = by_id(cpm(tasks, links))
    # A, B start after X (day 0): day 1 (Tue 5). A ends day 2 (EF 3), B ends day 3 (EF 4); Z starts day 4 (Fri 8)
    assert r.loc["A", "early_start"] == D("2024-03-05") and r.loc["B", "early_start"] == D("2024-03-05")
    assert r.loc["Z", "early_start"] == D("2024-03-08")
    # floats: B 0 (drives Z); A: LF = LS_Z 4, EF 3 -> 1
    assert r.loc["A", "total_float_days"] == 1.0 and r.loc["B", "total_float_days"] == 0.0
    # the summary: earliest child start Tue 5, latest child finish Thu 7, float = min(1, 0) = 0
    assert r.loc["S", "early_start"] == D("2024-03-05") and r.loc["S", "early_finish"] == D("2024-03-07")
    assert r.loc["S", "total_float_days"] == 0.0 and bool(r.loc["S", "critical"])
    assert r.loc["S", "duration_days"] == 3.0


def test_parents_by_wbs_and_by_outline():
    assert parents(["1", "1.1", "1.1.1", "2", "2.1"], [None] * 5).tolist() == [-1, 0, 1, -1, 3]
    assert parents(["", "", "", ""], [1, 2, 2, 1]).tolist() == [-1, 0, 0, -1]
    # WBS codes without dots carry no hierarchy: fall back to outline levels
    assert parents(["A", "B", "C"], [1, 2, 1]).tolist() == [-1, 0, -1]


def test_projects_are_separate_and_output_columns():
    tasks = frame(
        [
            T("1", "2024-03-04", "2024-03-05", project_id="P"),
            T("2", "2024-03-04", "2024-03-04", project_id="P"),
            T("1", "2024-03-04", "2024-03-04", project_id="Q"),
        ]
    )
    links = frame([L("1", "2", project_id="P")])
    r = cpm(tasks, links)
    assert list(r.columns[:11]) == [
        "project_id",
        "task_id",
        "name",
        "early_start",
        "early_finish",
        "late_start",
        "late_finish",
        "total_float_days",
        "free_float_days",
        "critical",
        "near_critical",
    ]
    q = r[r.project_id == "Q"].iloc[0]
    # Q's task 1 is unaffected by P's link; P's task 2 follows P's task 1 (EF 2) -> Wed 6
    assert q["early_start"] == D("2024-03-04") and q["total_float_days"] == 0.0
    p2 = r[(r.project_id == "P") & (r.task_id == "2")].iloc[0]
    assert p2["early_start"] == D("2024-03-06")


def test_long_chain_does_not_recurse_and_is_linear():
    n = 3000
    starts = pd.bdate_range("2024-03-04", periods=n)
    tasks = pd.DataFrame(
        {"project_id": "P", "task_id": [str(i) for i in range(n)], "name": "t", "start": starts, "finish": starts}
    )
    links = pd.DataFrame(
        {
            "project_id": "P",
            "pred_task_id": [str(i) for i in range(n - 1)],
            "succ_task_id": [str(i) for i in range(1, n)],
        }
    )
    r = cpm(tasks, links)
    # a chain of 3000 one-day tasks: all critical, the last one on working day 2999
    assert r["critical"].all()
    assert r["early_finish"].iloc[-1] == starts[-1]


def test_schedule_records_are_json_ready():
    tasks, links = relations_network()
    recs = schedule_records(tasks, links, None, Settings())
    assert recs[4]["task_id"] == "5" and recs[4]["early_start"] == "2024-03-05" and recs[4]["total_float_days"] == 1.0
    assert recs[0]["critical"] is True and set(recs[0]) >= {"late_start", "late_finish", "free_float_days"}


# ----------------------------------------------------------------------------- MS Project files

NS = {"p": "http://schemas.microsoft.com/project"}
MSPDI_TYPES = {"0": "FF", "1": "FS", "2": "SF", "3": "SS"}


def read_mspdi(path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The few fields CPM needs from an MSPDI file, plus MS Project's own TotalSlack and Critical.

    Dates: a Finish at the start of a working day (08:00) means the end of the previous working day.
    TotalSlack and LinkLag are tenths of minutes: 4800 = one 8-hour day.
    """
    from defusedxml import ElementTree as DET

    root = DET.parse(str(path)).getroot()
    cal = DayCalendar()
    tasks, links = [], []
    for t in root.find("p:Tasks", NS):

        def g(k, t=t):
            e = t.find("p:" + k, NS)
            return e.text if e is not None else None

        if g("UID") == "0":
            continue  # the project summary task
        start = pd.Timestamp(g("Start"))
        finish = pd.Timestamp(g("Finish"))
        fin_day = finish.normalize()
        if g("Milestone") != "1" and finish.hour < 12:
            fin_day = pd.Timestamp(cal.add([fin_day], -1)[0])
        tasks.append(
            {
                "project_id": "MSP",
                "task_id": g("UID"),
                "name": g("Name"),
                "wbs": g("WBS"),
                "outline_level": int(g("OutlineLevel")),
                "is_summary": g("Summary") == "1",
                "is_milestone": g("Milestone") == "1",
                "start": start.normalize(),
                "finish": fin_day,
                "constraint_type": g("ConstraintType"),
                "constraint_date": pd.Timestamp(g("ConstraintDate")).normalize() if g("ConstraintDate") else pd.NaT,
                "msp_total_slack_days": int(g("TotalSlack")) / 4800,
                "msp_critical": g("Critical") == "1",
            }
        )
        for pl in t.findall("p:PredecessorLink", NS):
            links.append(
                {
                    "project_id": "MSP",
                    "pred_task_id": pl.find("p:PredecessorUID", NS).text,
                    "succ_task_id": g("UID"),
                    "type": MSPDI_TYPES[pl.find("p:Type", NS).text],
                    "lag_days": int(pl.find("p:LinkLag", NS).text) / 4800,
                }
            )
    return pd.DataFrame(tasks), pd.DataFrame(links)


@pytest.mark.parametrize("sample", ["mpxj__junit_data_mspdirelations.xml", "mpxj__junit_data_legacy_sample.xml"])
def test_float_and_critical_match_ms_project(sample):
    tasks, links = read_mspdi(shared_file("samples", sample))
    if sample.endswith("mspdirelations.xml"):
        assert sorted(links["type"]) == ["FF", "FS", "SF", "SS"]
    r = cpm(tasks, links).merge(tasks[["task_id", "msp_total_slack_days", "msp_critical"]], on="task_id")
    assert len(r) == len(tasks) >= 5
    mismatch = r[(r.total_float_days != r.msp_total_slack_days) | (r.critical != r.msp_critical)]
    assert mismatch.empty, mismatch[
        ["task_id", "name", "total_float_days", "msp_total_slack_days", "critical", "msp_critical"]
    ]


def test_float_and_critical_match_ms_project_relations_offline():
    """The same check without ../shared: MS Project's values for mspdirelations.xml, typed in
    from the file (TotalSlack 0,0,0,0,4800 -> 0,0,0,0,1 day; Critical 1,1,1,1,0), on the
    hand-made copy of its network (relations_network)."""
    tasks, links = relations_network()
    r = by_id(cpm(tasks, links))
    assert r["total_float_days"].tolist() == [0.0, 0.0, 0.0, 0.0, 1.0]
    assert r["critical"].tolist() == [True, True, True, True, False]


# ----------------------------------------------------------------------------- milestone tracker


def test_milestone_history_and_tracker():
    def ms(task_id, name, sd, finish, base, **kw):
        return {
            "project_id": "P",
            "task_id": task_id,
            "name": name,
            "is_milestone": True,
            "status_date": D(sd),
            "start": D(finish),
            "finish": D(finish),
            "baseline_finish": D(base),
            **kw,
        }

    rows = [
        ms("M1", "Design approved", "2024-03-01", "2024-03-15", "2024-03-15"),
        ms("M1", "Design approved", "2024-03-08", "2024-03-19", "2024-03-15"),
        ms("M2", "Go live", "2024-03-01", "2024-04-05", "2024-04-05"),
        ms("M2", "Go live", "2024-03-08", "2024-04-04", "2024-04-05"),
        {"project_id": "P", "task_id": "T", "name": "work", "is_milestone": False, "status_date": D("2024-03-08"),
         "start": D("2024-03-04"), "finish": D("2024-03-08"), "baseline_finish": D("2024-03-08")},
    ]  # fmt: skip
    hist = milestone_history(pd.DataFrame(rows))
    assert len(hist) == 4 and set(hist.task_id) == {"M1", "M2"}
    # late milestones first: M1 (latest slip +2) before M2 (-1)
    assert hist.task_id.tolist() == ["M1", "M1", "M2", "M2"]
    # M1: Fri 15 -> Tue 19 = 2 working days late (Mon 18, Tue 19); change since previous = +2
    assert hist.slip_days.tolist() == [0.0, 2.0, 0.0, -1.0]
    assert math.isnan(hist.slip_change_days.iloc[0]) and hist.slip_change_days.iloc[1] == 2.0
    track = milestone_tracker(pd.DataFrame(rows))
    assert track.task_id.tolist() == ["M1", "M2"]
    m1 = track.iloc[0]
    assert m1.forecast_finish == D("2024-03-19") and m1.first_forecast_finish == D("2024-03-15")
    assert m1.slip_days == 2.0 and m1.slip_since_first_days == 2.0 and m1.status_dates == 2
    # an actual finish wins over the planned finish
    rows[1]["actual_finish"] = D("2024-03-14")
    assert milestone_tracker(pd.DataFrame(rows)).set_index("task_id").loc["M1", "slip_days"] == -1.0


def test_milestone_tracker_empty():
    assert milestone_tracker(pd.DataFrame()).empty
    no_ms = pd.DataFrame([T("A", "2024-03-04", "2024-03-04")])
    assert milestone_history(no_ms).empty


def test_empty_inputs():
    assert cpm(pd.DataFrame(), None).empty
    r = cpm(pd.DataFrame([T("A", "2024-03-04", "2024-03-04")]), pd.DataFrame())
    assert r.loc[0, "total_float_days"] == 0.0


def test_nested_summaries_roll_up_level_by_level():
    tasks = frame(
        [
            T("S1", "2024-03-04", "2024-03-04", wbs="1", is_summary=True),
            T("S2", "2024-03-04", "2024-03-04", wbs="1.1", is_summary=True),
            T("A", "2024-03-05", "2024-03-06", wbs="1.1.1"),  # days 1-2
            T("B", "2024-03-04", "2024-03-04", wbs="1.2"),  # day 0
            T("C", "2024-03-11", "2024-03-15", wbs="2"),  # days 5-9, ends the project (EF 10)
        ]
    )
    r = by_id(cpm(tasks, None))
    # S2 = A only: Tue 5 - Wed 6, float 10 - 3 = 7; S1 = S2 and B: Mon 4 - Wed 6, float min(7, 10 - 1 = 9) = 7
    assert (r.loc["S2", "early_start"], r.loc["S2", "early_finish"]) == (D("2024-03-05"), D("2024-03-06"))
    assert (r.loc["S1", "early_start"], r.loc["S1", "early_finish"]) == (D("2024-03-04"), D("2024-03-06"))
    assert r.loc["S2", "total_float_days"] == 7.0 and r.loc["S1", "total_float_days"] == 7.0
    assert r.loc["S1", "late_finish"] == D("2024-03-15")  # B's late finish: the project finish, Fri 15


def test_remaining_from_the_tool_forecast():
    tasks = frame(
        [
            # started Mon 4, 10 days planned to Fri 15, 20 % complete (a cost measure, say); status Wed 13 (day 7)
            T("B", "2024-03-04", "2024-03-15", actual_start=D("2024-03-04"), percent_complete=0.2),
            # started, planned finish Tue 12 already before the status date
            T("C", "2024-03-04", "2024-03-12", actual_start=D("2024-03-04"), percent_complete=0.5),
        ]
    )
    pct = by_id(cpm(tasks, None, status_date=date(2024, 3, 13)))
    # percent: ceil(10 x 0.8) = 8 days from day 7 -> EF 15 -> day 14 = Fri 22
    assert pct.loc["B", "early_finish"] == D("2024-03-22")
    fc = by_id(cpm(tasks, None, status_date=date(2024, 3, 13), remaining="forecast"))
    # forecast: the tool's Fri 15 is kept (not before the status date)
    assert fc.loc["B", "early_finish"] == D("2024-03-15")
    # C's planned finish is stale: both modes use ceil(7 x 0.5) = 4 days from day 7 -> day 10 = Mon 18
    assert pct.loc["C", "early_finish"] == D("2024-03-18") and fc.loc["C", "early_finish"] == D("2024-03-18")
    with pytest.raises(ValueError):
        cpm(tasks, None, remaining="guess")


def test_loop_in_one_project_can_be_skipped():
    tasks = frame(
        [
            T("A", "2024-03-04", "2024-03-04"),
            T("B", "2024-03-04", "2024-03-04"),
            T("A", "2024-03-04", "2024-03-04", project_id="Q"),
        ]
    )
    links = frame([L("A", "B"), L("B", "A")])
    r = cpm(tasks, links, on_error="skip")
    assert r["project_id"].tolist() == ["Q"] and "loop" in r.attrs["errors"][0]
    assert cpm(tasks[tasks.project_id == "Q"], None).attrs["errors"] == []


def test_page_helpers():
    from pmo_analytics.frames import status_date_of as latest_status_date
    from pmo_analytics.metrics.cpm import (
        outline_levels,
        schedule_kpis,
        schedule_table,
        select_project,
    )
    from pmo_analytics.metrics.milestones import milestone_kpis

    tasks = frame(
        [
            T("S", "2024-03-04", "2024-03-05", wbs="1", outline_level=1, is_summary=True),
            T("A", "2024-03-04", "2024-03-04", wbs="1.2", outline_level=2),
            T("B", "2024-03-05", "2024-03-05", wbs="1.10", outline_level=2),
            T("C", "2024-03-04", "2024-03-04", wbs="2", outline_level=1),
        ]
    )
    tasks["status_date"] = D("2024-03-01")
    links = frame([L("A", "B")])
    res = cpm(tasks, links)
    k = schedule_kpis(res, tasks)
    # work tasks A, B, C (not the summary); A -> B ends the project (day 1): A, B critical, C float 1 (near)
    assert k == {"tasks": 3, "critical": 2, "near_critical": 1, "finish": date(2024, 3, 5)}
    tab = schedule_table(tasks, res)
    assert tab["wbs"].tolist() == ["1", "1.2", "1.10", "2"]  # natural WBS order
    assert "task_name" in tab.columns and "name" not in tab.columns
    assert latest_status_date(tasks) == date(2024, 3, 1)
    assert outline_levels(tasks) == [1, 2]
    assert select_project(tasks, "Q").empty and len(select_project(tasks, None)) == 4
    track = pd.DataFrame(
        {"done": [True, False, False], "slip_days": [3.0, 2.0, -1.0], "slip_change_days": [0.0, 2.0, None]}
    )
    # late = slip > 0 and not achieved (only the second); slipped since last = change > 0 (the second)
    assert milestone_kpis(track) == {"total": 3, "late": 1, "slipped": 1, "done": 1}
