"""Sprints that nothing dates (Jira exports sprint names, not sprint dates).

A Jira CSV gives each item's sprints but no sprint start/end; ``sprint_calendar`` derives the
windows from the resolutions of the items finished in each sprint. A sprint in which nothing
was finished used to keep a missing (NaT) window; ``velocity`` then took it for the running
sprint and ``backlog_forecast`` crashed on its NaT start (the Burn page after importing
tests/data/jira_cloud_all_fields.csv, see tests/e2e/test_journeys.py). Expected values are
worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pmo_analytics import i18n
from pmo_analytics.ingest import parse_bytes
from pmo_analytics.ingest.base import ParsedUpload
from pmo_analytics.ingest.validate import typed_frame
from pmo_analytics.metrics import agile
from tests.conftest import APP, DATA

D = pd.Timestamp
JIRA = "jira_cloud_all_fields.csv"
JIRA_STATUS = date(2026, 1, 10)


def jira_items() -> pd.DataFrame:
    """The work items the importer makes of the Jira Cloud CSV, as of 2026-01-10."""
    parsed = parse_bytes(JIRA, (DATA / JIRA).read_bytes())
    wi = parsed.tables["work_items"].copy()
    wi["status_date"] = D(JIRA_STATUS)
    return wi


def items(rows: list[dict], status_date: str = "2024-02-01") -> pd.DataFrame:
    cols: dict[str, list] = {}
    keys = ["project_id", "key", "status_category", "story_points", "sprints", "created", "resolved"]
    for k in keys:
        cols[k] = [r.get(k, "P" if k == "project_id" else None) for r in rows]
    df = typed_frame("work_items", cols)
    df["status_date"] = D(status_date)
    return df


# Sprints but nothing finished in any of them (N-3 was finished outside the sprints).
UNDATED_ROWS = [
    {"key": "N-1", "story_points": 3, "sprints": ["Sprint A"], "status_category": "To Do", "created": "2024-01-02"},
    {
        "key": "N-2",
        "story_points": 2,
        "sprints": ["Sprint A", "Sprint B"],
        "status_category": "In Progress",
        "created": "2024-01-03",
    },
    {"key": "N-3", "story_points": 4, "status_category": "Done", "created": "2024-01-04", "resolved": "2024-01-20"},
]


# ------------------------------------------------------------------ the imported Jira file
def test_jira_csv_sprint_without_completions_gets_a_window_before_the_next():
    cal = agile.sprint_calendar(jira_items())
    # PHX-101 went Sprint 1 -> Sprint 2 and was resolved 2025-11-28: Sprint 2 ends 11-28.
    # one known end -> typical length 14 days: Sprint 2 = 11-15..11-28.
    # nothing was finished in Sprint 1 -> laid just before Sprint 2: 11-01..11-14 (was NaT).
    assert cal["sprint"].tolist() == ["PHX Sprint 1", "PHX Sprint 2"]
    assert cal["start"].tolist() == [D("2025-11-01"), D("2025-11-15")]
    assert cal["end"].tolist() == [D("2025-11-14"), D("2025-11-28")]


def test_jira_csv_velocity_and_forecast_do_not_crash():
    wi = jira_items()
    vel = agile.velocity(wi, project_id="PHX")
    # Sprint 1 on 11-01: PHX-101 (5) is created 11-03 -> committed 0; on 11-14 it holds 5;
    #   nothing finished in it -> completed 0.
    # Sprint 2 on 11-15: PHX-101 5 + PHX-102 3 = 8; PHX-101 finished in it -> completed 5.
    # both ended before the status date 2026-01-10 -> closed.
    assert vel["committed"].tolist() == [0, 8]
    assert vel["scope_end"].tolist() == [5, 8]
    assert vel["completed_points"].tolist() == [0, 5]
    assert vel["closed"].tolist() == [True, True]
    assert vel["rolling_avg"].tolist() == [0, 2.5]

    fc, info = agile.backlog_forecast(wi, vel, project_id="PHX", percentiles=(25, 85))
    # remaining: PHX-102 3 (PHX-100 and PHX-103 have no estimate; PHX-104 was rejected) = 3
    # no running sprint -> the next starts the day after Sprint 2: 11-29; sprints of 14 days
    assert info["remaining"] == 3 and info["sprints_used"] == 2 and info["sprint_days"] == 14
    assert info["start"] == D("2025-11-29")
    # velocities {0, 5}: done at the first 5 drawn -> P(n <= k) = 1 - 0.5**k = 0.5, 0.75, 0.875
    # P25 -> 1 sprint, ends 11-29 + 14 - 1 = 12-12; P85 -> 3 sprints, ends 11-29 + 42 - 1 = 2026-01-09
    assert fc["sprints_needed"].tolist() == [1, 3]
    assert fc["date"].tolist() == [D("2025-12-12"), D("2026-01-09")]
    assert abs(fc["probability"].iloc[1] - 0.875) < 0.02
    assert agile.forecast_days(fc) == {25: "2025-12-12", 85: "2026-01-09"}


# ------------------------------------------------------------------ derived windows
def test_leading_undated_sprints_are_laid_back_to_back_before_the_first_dated():
    rows = [
        # S0 -> S1 -> S2, finished in S2 on 03-10
        {
            "key": "Y-1",
            "story_points": 5,
            "sprints": ["S0", "S1", "S2"],
            "status_category": "Done",
            "created": "2024-02-01",
            "resolved": "2024-03-10",
        },
        # S1 -> S3, finished in S3 on 03-20
        {
            "key": "Y-2",
            "story_points": 3,
            "sprints": ["S1", "S3"],
            "status_category": "Done",
            "created": "2024-02-01",
            "resolved": "2024-03-20",
        },
    ]
    cal = agile.sprint_calendar(items(rows, "2024-03-25"))
    # ends: S2 03-10, S3 03-20 -> typical length 10 days; S2 03-01..03-10, S3 03-11..03-20
    # S1 ends the day before S2 starts: 02-29 (leap year), starts 02-29 - 9 = 02-20;
    # S0 ends 02-19, starts 02-10
    assert cal["sprint"].tolist() == ["S0", "S1", "S2", "S3"]
    assert cal["start"].tolist() == [D("2024-02-10"), D("2024-02-20"), D("2024-03-01"), D("2024-03-11")]
    assert cal["end"].tolist() == [D("2024-02-19"), D("2024-02-29"), D("2024-03-10"), D("2024-03-20")]
    assert set(cal["source"]) == {"derived"}


def test_no_sprint_dated_at_all_gives_missing_forecast_not_an_error():
    it = items(UNDATED_ROWS)
    cal = agile.sprint_calendar(it)
    # nothing finished in any sprint and no calendar: nothing to date them by
    assert cal["sprint"].tolist() == ["Sprint A", "Sprint B"]
    assert cal["start"].isna().all() and cal["end"].isna().all()
    assert agile.sprint_choices(cal, "P", items=it) == ([], 0)

    vel = agile.velocity(it)
    # no window: committed / scope at the end unknown; nothing finished in them; not closed
    assert vel["committed"].isna().all() and vel["scope_end"].isna().all()
    assert vel["completed_points"].tolist() == [0, 0]
    assert vel["closed"].tolist() == [False, False]

    fc, info = agile.backlog_forecast(it, vel)
    # remaining N-1 3 + N-2 2 = 5; no dated sprint -> no velocity; next day after the status date
    assert info["remaining"] == 5 and info["sprints_used"] == 0 and info["sprint_days"] == 14
    assert info["start"] == D("2024-02-02")
    assert fc["sprints_needed"].isna().all() and fc["date"].isna().all()
    assert agile.forecast_days(fc) == {50: "—", 85: "—"}


def test_no_status_date_at_all_gives_no_start_never_today():
    it = items(UNDATED_ROWS)
    it["status_date"] = pd.NaT  # a frame from outside the store: nothing dates it
    fc, info = agile.backlog_forecast(it, agile.velocity(it))
    assert pd.isna(info["start"]) and fc["date"].isna().all()


def test_forecast_with_missing_start_counts_sprints_without_a_date():
    # 12 points at 5 a sprint: 5, 10, 15 -> 3 sprints in every simulation
    fc = agile.forecast_completion([5], 12, pd.NaT)
    assert fc["sprints_needed"].tolist() == [3, 3]
    assert fc["date"].isna().all()
    assert fc["probability"].tolist() == [1.0, 1.0]


def test_velocity_chart_with_undated_sprints():
    from pmo_analytics.charts import agile as ch

    it = items(UNDATED_ROWS)
    vel = agile.velocity(it)
    fc, _ = agile.backlog_forecast(it, vel)
    fig = ch.velocity_chart(vel, "en", forecast=fc)
    committed, completed = fig.data[0], fig.data[1]
    assert list(committed.x) == ["Sprint A", "Sprint B"] and all(np.isnan(y) for y in committed.y)
    assert list(completed.y) == [0, 0]
    assert not fig.layout.title.text  # no forecast to write


# ------------------------------------------------------------------ the Burn page
@pytest.fixture(scope="module")
def burn_db(tmp_path_factory):
    from pmo_analytics import store as store_mod

    db = tmp_path_factory.mktemp("burn_undated") / "burn.duckdb"
    s = store_mod.Store(db)
    s.import_parsed(parse_bytes(JIRA, (DATA / JIRA).read_bytes()), JIRA_STATUS)
    cols = {k: [r.get(k) for r in UNDATED_ROWS] for k in ("key", "story_points", "sprints", "status_category")}
    cols |= {k: [r.get(k) for r in UNDATED_ROWS] for k in ("created", "resolved")}
    cols["project_id"] = ["ZED"] * len(UNDATED_ROWS)
    frame_ = typed_frame("work_items", cols)
    s.import_parsed(
        ParsedUpload(source_name="zed.csv", source_format="test", sha256="zed", tables={"work_items": frame_}),
        date(2024, 2, 1),
    )
    store_mod.close_all()
    yield db
    store_mod.close_all()


@pytest.fixture
def burn_page(burn_db, monkeypatch):
    monkeypatch.setenv("PMO_DB", str(burn_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("pages/60_burn.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at: AppTest, *labels: str) -> pd.DataFrame:
    for d in at.dataframe:
        if all(label in d.value.columns for label in labels):
            return d.value
    raise AssertionError(f"no table with {labels}")


def _col(name: str) -> str:
    return i18n.t(f"col.{name}") if i18n.has(f"col.{name}") else name


@pytest.mark.filterwarnings("ignore")
def test_burn_page_jira_import_without_sprint_dates(burn_page):
    at = burn_page
    assert at.selectbox(key="burn_project").value == "PHX"  # PHX before ZED
    # both sprints have a window now; Sprint 2 (11-15) is the last started by 2026-01-10
    assert at.selectbox(key="burn_sprint").options == ["PHX Sprint 1", "PHX Sprint 2"]
    assert at.selectbox(key="burn_sprint").value == "PHX Sprint 2"
    vel = _table(at, _col("committed"), _col("completed_points"))
    assert vel[_col("committed")].tolist() == [0, 8] and vel[_col("completed_points")].tolist() == [0, 5]
    text = " ".join(m.value for m in at.markdown)
    # 3 points left, velocities {0, 5} from 11-29: P85 = 3 sprints -> 2026-01-09. P50 sits on
    # P(1 sprint) = 0.5 exactly, so it is 1 or 2 sprints (12-12 or 12-26) depending on the draws.
    assert "Remaining backlog 3 points: P50 2025-12-" in text
    assert ", P85 2026-01-09 (10000 simulations over 2 past sprints" in text
    at.selectbox(key="burn_sprint").set_value("PHX Sprint 1").run()
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.filterwarnings("ignore")
def test_burn_page_project_with_only_undated_sprints(burn_page):
    at = burn_page
    at.selectbox(key="burn_project").set_value("ZED").run()
    assert not at.exception, [e.value for e in at.exception]
    infos = [i.value for i in at.info]
    assert i18n.t("burn.calendar_note") in infos  # burndown: no sprint can be dated
    assert i18n.t("burn.forecast_none") in infos  # velocity: no finished sprint to forecast from
    # what has data is still shown: the burnup and the cumulative flow
    up = _table(at, _col("scope"), _col("completed_items") if i18n.has("col.completed_items") else "completed_items")
    # items exist from 01-02; N-3 (4) done 01-20; total 3 + 2 + 4 = 9 by the status date 02-01
    assert up[_col("scope")].iloc[-1] == 9 and up[_col("completed_points")].iloc[-1] == 4
    assert len([c for c in at.get("plotly_chart")]) >= 3
