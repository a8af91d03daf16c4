"""CPM in working minutes on each task's own calendar (metrics/cpm_minutes.py, working_time.py).

Expected values are worked out by hand in the comments (Mon-Fri 08:00-12:00, 13:00-17:00 unless a
test says otherwise), or are the values MS Project stored in the shared sample files."""

from __future__ import annotations

import json
import math
from datetime import date

import pandas as pd
import pytest

from pmo_analytics.metrics.cpm import cpm
from pmo_analytics.metrics.working_time import MinuteCalendar, UnionCalendar, moment, moment_date

NIGHT = {d: ((0, 360), (1320, 1440)) for d in range(1, 8)}  # 22:00-06:00 every night


def _at(t: float) -> str:
    return str(moment_date(t))


def test_minute_calendar_starts_after_a_finish_and_skips_weekends_and_exceptions():
    cal = MinuteCalendar(exceptions=[(date(2024, 1, 9), date(2024, 1, 9), ())])  # Tuesday off
    fri_17 = moment(date(2024, 1, 5), 17 * 60)
    assert _at(cal.next_start(fri_17)) == "2024-01-08T08:00"  # Friday 17:00 -> Monday 08:00
    mon_8 = moment(date(2024, 1, 8), 8 * 60)
    # 2 days = 960 minutes from Monday 08:00: Monday (480), Tuesday is off, Wednesday (480)
    assert _at(cal.add(mon_8, 960)) == "2024-01-10T17:00"
    # a finish at the start of a day is the end of the previous working day
    assert _at(cal.previous_finish(moment(date(2024, 1, 10), 8 * 60))) == "2024-01-08T17:00"
    assert cal.between(mon_8, moment(date(2024, 1, 10), 10 * 60)) == 480 + 120


def test_night_shift_and_union_calendars():
    night = MinuteCalendar(NIGHT, name="night")
    mon_0 = moment(date(2024, 1, 8), 0)
    # 960 minutes: Mon 00-06 (360) + Mon 22-24 (120) + Tue 00-06 (360) + Tue 22-24 (120)
    assert _at(night.add(mon_0, 960)) == "2024-01-10T00:00"
    both = UnionCalendar([MinuteCalendar(), night], 480)
    # Monday: 00-06 (360) + 08-12, 13-17 (480) + 22-24 (120) = 960 working minutes
    assert both.between(mon_0, moment(date(2024, 1, 9), 0)) == 960


def _tasks(rows: list[dict]) -> pd.DataFrame:
    base = {"project_id": "P", "is_summary": False, "is_milestone": False, "percent_complete": 0.0}
    return pd.DataFrame([base | r for r in rows])


def _row(res: pd.DataFrame, tid: str) -> pd.Series:
    return res.set_index("task_id").loc[tid]


def test_minutes_hours_and_lags_in_the_tools_units():
    tasks = _tasks(
        [
            {
                "task_id": "A",
                "start": date(2024, 1, 8),
                "start_minute": 480,
                "duration_minutes": 480,
                "duration_unit": "d",
            },
            {
                "task_id": "B",
                "start": date(2024, 1, 9),
                "start_minute": 600,
                "duration_minutes": 30,
                "duration_unit": "m",
            },
            {
                "task_id": "C",
                "start": date(2024, 1, 8),
                "start_minute": 480,
                "duration_minutes": 960,
                "duration_unit": "d",
            },
        ]
    )
    links = pd.DataFrame(
        [
            {
                "project_id": "P",
                "pred_task_id": "A",
                "succ_task_id": "B",
                "type": "FS",
                "lag_minutes": 120,
                "lag_unit": "h",
            }
        ]
    )
    projects = pd.DataFrame([{"project_id": "P", "start": date(2024, 1, 8), "minutes_per_day": 480}])
    res = cpm(tasks, links, projects=projects)
    b, a, c = _row(res, "B"), _row(res, "A"), _row(res, "C")
    # A Mon 08:00-17:00; B = A's finish + 2 working hours = Tue 10:00, 30 minutes -> 10:30
    assert str(b["early_start"]) == "2024-01-09 10:00:00" and str(b["early_finish"]) == "2024-01-09 10:30:00"
    # C (2 days) ends the project Tue 17:00: B may start at 16:30 -> 10:00..12:00 (120) + 13:00..16:30
    # (210) = 330 working minutes = 330 / 480 = 0.6875 day
    assert b["total_float_days"] == pytest.approx(330 / 480) and not b["critical"]
    # A: late finish 16:30 - 2 h = 14:30; finish slack Mon 17:00 -> Tue 14:30 = 240 + 90 = 330 minutes
    assert a["total_float_days"] == pytest.approx(330 / 480)
    assert c["total_float_days"] == 0 and c["critical"]
    assert b["duration_days"] == pytest.approx(30 / 480)


def test_a_night_shift_task_against_a_day_task():
    cals = pd.DataFrame(
        [
            {
                "project_id": "P",
                "calendar_id": "N",
                "name": "Night",
                "weekdays": json.dumps({str(k): v for k, v in NIGHT.items()}),
            },
        ]
    )
    tasks = _tasks(
        [
            {"task_id": "X", "start": date(2024, 1, 8), "start_minute": 0, "duration_minutes": 960, "calendar_id": "N"},
            {"task_id": "Y", "start": date(2024, 1, 8), "start_minute": 480, "duration_minutes": 480},
        ]
    )
    projects = pd.DataFrame([{"project_id": "P", "start": date(2024, 1, 8), "minutes_per_day": 480}])
    res = cpm(tasks, None, calendars=cals, projects=projects)
    x, y = _row(res, "X"), _row(res, "Y")
    # X works 00-06 and 22-24: 960 minutes end Wednesday 00:00, the project finish
    assert str(x["early_finish"]) == "2024-01-10 00:00:00" and x["critical"]
    # Y (Mon 08-17) may finish by Tue 17:00, the last day-shift minute before Wed 00:00: 1 day of slack
    assert y["total_float_days"] == pytest.approx(1.0)


def test_a_split_task_spans_its_duration_plus_its_interruptions():
    """MS Project's splits9a.mpp in small: S (10 days, split for 1 day) and an FS successor T
    (1 day); U (12 days, unsplit) sets the project finish. Starting Mon 2006-01-09 08:00:
    S spans 10 + 1 = 11 working days -> Mon 01-23 17:00; T Tue 01-24; U -> Tue 01-24 17:00, so
    S and T are critical (0 days) and only U's path decides. Without the split S would end
    Fri 01-20 and have 1 day of float."""
    start = {"start": date(2006, 1, 9), "start_minute": 480, "duration_unit": "d"}
    tasks = _tasks(
        [
            {"task_id": "S", "duration_minutes": 4800, "split_minutes": 480} | start,
            {"task_id": "T", "duration_minutes": 480} | start,
            {"task_id": "U", "duration_minutes": 5760} | start,
        ]
    )
    links = pd.DataFrame(
        [{"project_id": "P", "pred_task_id": "S", "succ_task_id": "T", "type": "FS", "lag_minutes": 0}]
    )
    projects = pd.DataFrame([{"project_id": "P", "start": date(2006, 1, 9), "minutes_per_day": 480}])
    res = cpm(tasks, links, projects=projects)
    s, t = _row(res, "S"), _row(res, "T")
    assert str(s["early_finish"]) == "2006-01-23 17:00:00" and str(t["early_finish"]) == "2006-01-24 17:00:00"
    assert s["total_float_days"] == pytest.approx(0.0) and s["critical"] and t["critical"]
    assert s["duration_days"] == pytest.approx(10.0)  # the duration stays the work's, not the span
    res = cpm(tasks.assign(split_minutes=None), links, projects=projects)
    assert _row(res, "S")["total_float_days"] == pytest.approx(1.0)


def test_a_summary_with_nothing_under_it_is_scheduled_as_a_task():
    """An inserted subproject (a summary row whose tasks live in another file) of 2 days beside
    a 1-day task, both from Mon 2006-08-28 08:00: the project finishes Tue 17:00, so the task
    has 1 day of slack (MS Project's mpp9subproject.mpp stores 1.0), not 0."""
    start = {"start": date(2006, 8, 28), "start_minute": 480, "duration_unit": "d", "outline_level": 1}
    tasks = _tasks(
        [
            {"task_id": "1", "wbs": "1", "duration_minutes": 480} | start,
            {"task_id": "2", "wbs": "2", "duration_minutes": 960, "is_summary": True} | start,
        ]
    )
    res = cpm(tasks, None, projects=pd.DataFrame([{"project_id": "P", "start": date(2006, 8, 28)}]))
    one = _row(res, "1")
    assert one["total_float_days"] == pytest.approx(1.0) and not one["critical"]


def test_tasks_starting_before_the_stated_project_start_show_the_start_used():
    """A file stating a project start of 2019-06-17 whose unstarted tasks start in 2014 (MS
    Project's data-links sample): A (SNET Mon 2014-01-06, 1 day) and B (SNET Wed 01-08, 1 day)
    were scheduled from 2014, so A may slip to Wed 17:00: 2 days of float (stored 2), not 0."""
    rows = []
    for tid, day in (("A", 6), ("B", 8)):
        rows.append(
            {
                "task_id": tid,
                "start": date(2014, 1, day),
                "start_minute": 480,
                "duration_minutes": 480,
                "duration_unit": "d",
                "constraint_type": "SNET",
                "constraint_date": date(2014, 1, day),
                "constraint_minute": 480,
            }
        )
    res = cpm(_tasks(rows), None, projects=pd.DataFrame([{"project_id": "P", "start": date(2019, 6, 17)}]))
    assert _row(res, "A")["total_float_days"] == pytest.approx(2.0)
    assert str(_row(res, "B")["early_start"]) == "2014-01-08 08:00:00"


def test_a_milestone_held_before_its_predecessor_ends_shows_negative_slack():
    """slack9.mpp in small: A works Mon 2006-05-01 08:00 - Fri 05-05 17:00 (5 days); milestone M
    follows it (FS) but must finish on Thu 05-04 17:00. M stays on Thursday, and its slack is
    counted from Friday 17:00, where its link puts it: -1 day (MS Project stored -1, critical)."""
    tasks = _tasks(
        [
            {"task_id": "A", "start": date(2006, 5, 1), "start_minute": 480, "duration_minutes": 2400},
            {
                "task_id": "M",
                "start": date(2006, 5, 4),
                "start_minute": 1020,
                "duration_minutes": 0,
                "is_milestone": True,
                "constraint_type": "MFO",
                "constraint_date": date(2006, 5, 4),
                "constraint_minute": 1020,
            },
        ]
    )
    links = pd.DataFrame(
        [{"project_id": "P", "pred_task_id": "A", "succ_task_id": "M", "type": "FS", "lag_minutes": 0}]
    )
    res = cpm(tasks, links, projects=pd.DataFrame([{"project_id": "P", "start": date(2006, 5, 1)}]))
    m = _row(res, "M")
    # kept where the constraint puts it: Thursday's end (the next working moment, Fri 08:00)
    assert str(m["early_finish"]) in ("2006-05-04 17:00:00", "2006-05-05 08:00:00")
    assert m["total_float_days"] == pytest.approx(-1.0) and m["critical"]


def test_elapsed_duration_and_manual_task_keep_their_clock_and_dates():
    tasks = _tasks(
        [
            # 1 elapsed day = 1440 wall-clock minutes: Friday 08:00 -> Saturday 08:00
            {
                "task_id": "E",
                "start": date(2024, 1, 5),
                "start_minute": 480,
                "duration_minutes": 1440,
                "duration_unit": "ed",
            },
            # manual: keeps Monday 08:00 .. Wednesday 17:00 whatever the logic says
            {
                "task_id": "M",
                "start": date(2024, 1, 8),
                "start_minute": 480,
                "finish": date(2024, 1, 10),
                "finish_minute": 1020,
                "duration_minutes": 1440,
                "is_manual": True,
            },
            # the same dates on a placeholder: a manual task whose duration was never entered
            {
                "task_id": "PH",
                "start": date(2024, 1, 8),
                "start_minute": 480,
                "finish": date(2024, 1, 10),
                "finish_minute": 1020,
                "duration_minutes": 1440,
                "is_manual": True,
                "is_placeholder": True,
            },
        ]
    )
    projects = pd.DataFrame([{"project_id": "P", "start": date(2024, 1, 5), "minutes_per_day": 480}])
    res = cpm(tasks, None, projects=projects)
    assert str(_row(res, "E")["early_finish"]) == "2024-01-06 08:00:00"
    m = _row(res, "M")
    assert str(m["early_start"]) == "2024-01-08 08:00:00" and str(m["early_finish"]) == "2024-01-10 17:00:00"
    # it ends the project: zero slack, critical though unlinked (as MS Project stores the unlinked
    # manual task of calendar-exception-precedence-*.mpp, and of the assignment-* samples)
    assert m["total_float_days"] == 0 and m["critical"]
    # the placeholder ends it too, and is never critical (MS Project: the 110 manual tasks of the
    # shared task-durations sample, all placeholders at zero slack, stored non-critical)
    ph = _row(res, "PH")
    assert ph["total_float_days"] == 0 and not ph["critical"]


def test_stored_float_and_critical_are_never_read():
    tasks = _tasks(
        [
            {"task_id": "A", "start": date(2024, 1, 8), "start_minute": 480, "duration_minutes": 480},
            {"task_id": "B", "start": date(2024, 1, 8), "start_minute": 480, "duration_minutes": 960},
        ]
    )
    stored = tasks.assign(total_float_days=[99.0, 42.0], is_critical=[True, True])
    a = cpm(tasks, None)
    b = cpm(stored, None)
    pd.testing.assert_frame_equal(a, b)
    assert math.isclose(_row(a, "A")["total_float_days"], 1.0)  # 1-day task beside a 2-day one


def test_p6_schedules_remaining_work_from_the_data_date():
    tasks = _tasks(
        [
            # started Monday, 3 days long, 1 day (480 minutes) left at the data date
            {
                "task_id": "A",
                "start": date(2024, 1, 8),
                "start_minute": 480,
                "actual_start": date(2024, 1, 8),
                "actual_start_minute": 480,
                "duration_minutes": 1440,
                "remaining_minutes": 480,
                "duration_unit": "h",
            },
            {
                "task_id": "B",
                "start": date(2024, 1, 8),
                "start_minute": 480,
                "duration_minutes": 480,
                "duration_unit": "h",
            },
            {
                "task_id": "C",
                "start": date(2024, 1, 11),
                "start_minute": 480,
                "duration_minutes": 960,
                "duration_unit": "h",
            },
        ]
    )
    links = pd.DataFrame([{"project_id": "P", "pred_task_id": "A", "succ_task_id": "C", "type": "FS"}])
    projects = pd.DataFrame(
        [{"project_id": "P", "start": date(2024, 1, 8), "minutes_per_day": 480, "schedule_tool": "p6"}]
    )
    res = cpm(tasks, links, status_date=date(2024, 1, 10), projects=projects)
    a, b, c = _row(res, "A"), _row(res, "B"), _row(res, "C")
    # data date Wednesday: A's last day is Wednesday (08:00-17:00), C follows Thursday-Friday
    assert str(a["early_finish"]) == "2024-01-10 17:00:00" and a["critical"]
    assert str(c["early_start"]) == "2024-01-11 08:00:00" and str(c["early_finish"]) == "2024-01-12 17:00:00"
    # B cannot start before the data date: Wednesday; finish float to Friday 17:00 = 2 days
    assert str(b["early_start"]) == "2024-01-10 08:00:00" and b["total_float_days"] == pytest.approx(2.0)
