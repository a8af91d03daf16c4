"""``project_view``'s small pieces without Streamlit: the URL id matched, the picker's labels,
the manager's notes chosen for a status date."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from pmo_analytics import project_view


def test_project_id_of_matches_exactly_then_ignoring_case_and_blanks():
    known = {"PRJ-104": "PRJ-104 · A", "prj-9": "prj-9 · B"}
    assert project_view.project_id_of("PRJ-104", known) == "PRJ-104"
    assert project_view.project_id_of(" prj-104 ", known) == "PRJ-104"
    assert project_view.project_id_of("PRJ-9", known) == "prj-9"
    assert project_view.project_id_of("PRJ-1", known) is None
    assert project_view.project_id_of(None, known) is None


def test_choices_take_each_projects_latest_row_in_id_order():
    projects = pd.DataFrame(
        {
            "project_id": ["B", "A", "B"],
            "name": ["Old name", None, "New name"],
            "status_date": pd.to_datetime(["2026-01-31", "2026-01-31", "2026-02-28"]),
        }
    )
    assert project_view.choices(projects) == {"A": "A", "B": "B · New name"}
    assert project_view.choices(pd.DataFrame()) == {}


def test_recent_notes_newest_first_up_to_the_status_date_blank_left_out():
    notes = pd.DataFrame(
        {
            "project_id": ["P"] * 4,
            "status_date": [date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 30)],
            "note": ["August", "   ", "October", "November (after the as-of date)"],
            "author": ["a", "b", "c", "d"],
            "saved_at": [datetime(2026, 9, 1)] * 4,
        }
    )
    out = project_view.recent_notes(notes, date(2026, 10, 31))
    assert out["note"].tolist() == ["October", "August"]
    assert project_view.recent_notes(notes, None, n=1)["note"].tolist() == ["November (after the as-of date)"]
    assert project_view.recent_notes(notes.iloc[0:0]).empty


def test_the_story_s_critical_path_follows_the_project_s_critical_slack_limit():
    """The Project page's CPM gets the project rows (the latest one per project): with a 2-day
    critical slack limit, D (2 days of float) is critical, E (3 days) is not; C ends last (0).
    Working days (a spreadsheet): C Mon 05 - Fri 16 Jan 2026; D to Wed 14 leaves Thu, Fri = 2;
    E to Tue 13 leaves Wed, Thu, Fri = 3."""

    tasks = pd.DataFrame(
        {
            "project_id": "P",
            "status_date": pd.Timestamp("2026-01-02"),
            "task_id": ["C", "D", "E"],
            "name": ["C", "D", "E"],
            "start": pd.Timestamp("2026-01-05"),
            "finish": pd.to_datetime(["2026-01-16", "2026-01-14", "2026-01-13"]),
            "percent_complete": 0.0,
        }
    )

    def story(limits: list[float | None]) -> project_view.ProjectStory:
        projects = pd.DataFrame(
            {
                "project_id": "P",
                "name": "Plan",
                # an older row first: the latest status date's options apply
                "status_date": pd.to_datetime(["2025-12-26", "2026-01-02"]),
                "critical_slack_limit_days": limits,
            }
        )
        return project_view.project_story("P", projects=projects, tasks=tasks)

    crit = story([None, 2.0]).critical
    assert sorted(crit["task_id"]) == ["C", "D"]
    assert story([2.0, None]).critical["task_id"].tolist() == ["C"]  # the latest row has none: 0
