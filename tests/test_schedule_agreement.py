"""bench/schedule_agreement.py's check of a file's stored slack against itself (files saved
without recalculating are listed apart: no schedule of their inputs reproduces them)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pandas as pd

from bench.schedule_agreement import stale_evidence


def _parsed(slack_b: float) -> SimpleNamespace:
    """Two unlinked 1-day tasks on the default calendar (Mon-Fri 08:00-17:00): A on Mon
    2024-01-08, B on Wed 01-10, both finishing 17:00. A stores 4 days of slack: late finish
    Fri 01-12 17:00 (Tue, Wed, Thu, Fri). B with 2 days: the same Fri 01-12 17:00; with 4 days:
    Tue 01-16 17:00, two working days later than A's, which no single project finish allows."""
    base = {"project_id": "P", "is_summary": False, "is_manual": False, "percent_complete": 0.0}
    base |= {"duration_minutes": 480.0, "duration_unit": "d", "finish_minute": 1020.0, "constraint_type": "ASAP"}
    tasks = pd.DataFrame(
        [
            base | {"task_id": "A", "finish": date(2024, 1, 8), "total_float_days": 4.0},
            base | {"task_id": "B", "finish": date(2024, 1, 10), "total_float_days": slack_b},
        ]
    )
    projects = pd.DataFrame([{"project_id": "P", "minutes_per_day": 480.0}])
    return SimpleNamespace(tables={"tasks": tasks, "projects": projects, "links": None, "calendars": None})


def test_stored_slack_that_implies_one_late_finish_is_consistent():
    assert stale_evidence(_parsed(2.0)) == ""


def test_stored_slack_that_implies_two_late_finishes_is_named():
    why = stale_evidence(_parsed(4.0))
    assert "A" in why and "B" in why and "2024-01-12 17:00" in why and "2024-01-16 17:00" in why


def test_a_deadline_or_multiple_critical_paths_explain_different_late_finishes():
    """The same two tasks as above (4 days of slack each: late finishes two days apart), where
    the tools' options explain the difference: B's deadline caps its late finish, or every
    unlinked task ends late at its own finish (multiple critical paths): not named stale."""
    deadline = _parsed(4.0)
    deadline.tables["tasks"]["deadline"] = [None, date(2024, 1, 16)]
    assert stale_evidence(deadline) == ""
    multiple = _parsed(4.0)
    multiple.tables["projects"]["multiple_critical_paths"] = True
    assert stale_evidence(multiple) == ""
    multiple.tables["projects"]["multiple_critical_paths"] = False  # off: named again
    assert "2024-01-16 17:00" in stale_evidence(multiple)
