"""Agile metrics on hand-built sprints; expected values are worked out by hand in comments."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from pmo_analytics.ingest.validate import typed_frame
from pmo_analytics.metrics import agile
from pmo_analytics.settings import Settings

D = pd.Timestamp


def items(rows: list[dict], status_date: str | None = "2024-03-08") -> pd.DataFrame:
    """Canonical work_items frame (as the store returns it) from short row dicts."""
    cols: dict[str, list] = {}
    keys = ["project_id", "key", "status_category", "story_points", "sprints", "fix_version", "created", "resolved"]
    for k in keys:
        cols[k] = [r.get(k, "P" if k == "project_id" else None) for r in rows]
    df = typed_frame("work_items", cols)
    df["status_date"] = pd.Timestamp(status_date) if status_date else pd.NaT
    return df


# One sprint S2, Mon 4 .. Fri 8 March 2024 (calendar given), one upload on the last day.
SPRINT_ROWS = [
    {
        "key": "A-1",
        "story_points": 5,
        "sprints": ["S2"],
        "status_category": "Done",
        "created": "2024-02-20",
        "resolved": "2024-03-05",
    },
    {
        "key": "A-2",
        "story_points": 3,
        "sprints": ["S2"],
        "status_category": "Done",
        "created": "2024-02-21",
        "resolved": "2024-03-07",
    },
    {
        "key": "A-3",
        "story_points": 8,
        "sprints": ["S2", "S3"],
        "status_category": "In Progress",
        "created": "2024-02-25",
    },
    # added mid-sprint (created on day 3)
    {
        "key": "A-4",
        "story_points": 2,
        "sprints": ["S2"],
        "status_category": "Done",
        "created": "2024-03-06",
        "resolved": "2024-03-08",
    },
    # another sprint's item: never part of S2
    {
        "key": "A-5",
        "story_points": 4,
        "sprints": ["S1"],
        "status_category": "Done",
        "created": "2024-02-10",
        "resolved": "2024-03-01",
    },
]
CAL = pd.DataFrame({"sprint": ["S2"], "start": ["2024-03-04"], "end": ["2024-03-08"]})


def test_burndown_scope_added_mid_sprint_is_a_step():
    b = agile.sprint_burndown(items(SPRINT_ROWS), "S2", calendar=CAL)
    # committed on day 1 = A-1 5 + A-2 3 + A-3 8 = 16; ideal falls 16/4 = 4 per day over 5 days
    # 03-04: scope 16, done 0, remaining 16
    # 03-05: A-1 done (5) -> remaining 11
    # 03-06: A-4 created (+2) -> scope 18, done 5, remaining 13
    # 03-07: A-2 done (3) -> done 8, remaining 10
    # 03-08: A-4 done (2) -> done 10, remaining 8 (A-3 carried over)
    assert b["date"].tolist() == list(pd.date_range("2024-03-04", "2024-03-08"))
    assert b["scope"].tolist() == [16, 16, 18, 18, 18]
    assert b["completed_points"].tolist() == [0, 5, 5, 8, 10]
    assert b["remaining"].tolist() == [16, 11, 13, 10, 8]
    assert b["ideal"].tolist() == [16, 12, 8, 4, 0]
    assert b["added"].tolist() == [0, 0, 2, 0, 0]
    assert b["removed"].tolist() == [0, 0, 0, 0, 0]
    assert b.loc[2, "added_keys"] == "A-4"


def test_burndown_with_history_shows_removal_and_reestimate():
    # upload 1 on 03-04: A-1 5, A-2 3, A-3 8, A-6 3 all in S2, nothing done
    snap1 = items(
        [
            {"key": "A-1", "story_points": 5, "sprints": ["S2"], "status_category": "To Do", "created": "2024-02-20"},
            {"key": "A-2", "story_points": 3, "sprints": ["S2"], "status_category": "To Do", "created": "2024-02-21"},
            {"key": "A-3", "story_points": 8, "sprints": ["S2"], "status_category": "To Do", "created": "2024-02-25"},
            {"key": "A-6", "story_points": 3, "sprints": ["S2"], "status_category": "To Do", "created": "2024-02-25"},
        ],
        "2024-03-04",
    )
    # upload 2 on 03-06: A-1 resolved 03-05, A-3 re-estimated 8 -> 5, A-6 taken out of the sprint
    snap2 = items(
        [
            {
                "key": "A-1",
                "story_points": 5,
                "sprints": ["S2"],
                "status_category": "Done",
                "created": "2024-02-20",
                "resolved": "2024-03-05",
            },
            {"key": "A-2", "story_points": 3, "sprints": ["S2"], "status_category": "To Do", "created": "2024-02-21"},
            {
                "key": "A-3",
                "story_points": 5,
                "sprints": ["S2"],
                "status_category": "In Progress",
                "created": "2024-02-25",
            },
            {"key": "A-6", "story_points": 3, "sprints": [], "status_category": "To Do", "created": "2024-02-25"},
        ],
        "2024-03-06",
    )
    b = agile.sprint_burndown(pd.concat([snap1, snap2], ignore_index=True), "S2", calendar=CAL)
    # a change between two uploads is dated the day after the earlier upload (03-05):
    # 03-04 (upload 1): scope 5+3+8+3 = 19, remaining 19
    # 03-05 (upload 2's state): A-6 out (-3), A-3 8->5 (-3): scope 13, removed 6; A-1 resolved 03-05: done 5,
    #       remaining 8
    # 03-06 (upload 2): unchanged, remaining 8
    # 03-07, 03-08: after the last upload -> unknown (NaN); the ideal line continues: 19*(1-i/4)
    assert b["scope"].tolist()[:3] == [19, 13, 13]
    assert b["remaining"].tolist()[:3] == [19, 8, 8]
    assert b["remaining"].iloc[3:].isna().all()
    assert b["removed"].tolist() == [0, 6, 0, 0, 0]
    assert set(b.loc[1, "removed_keys"].split(", ")) == {"A-6", "A-3 (-3)"}
    assert b["ideal"].tolist() == [19, 14.25, 9.5, 4.75, 0]


def test_sprint_between_two_monthly_uploads_is_whole():
    # uploads on 01-31 and 02-29; sprint S5 runs 02-05..02-16, entirely between them.
    jan = items(
        [{"key": "M-1", "story_points": 5, "sprints": [], "status_category": "To Do", "created": "2024-01-10"}],
        "2024-01-31",
    )
    feb = items(
        [
            {
                "key": "M-1",
                "story_points": 5,
                "sprints": ["S5"],
                "status_category": "Done",
                "created": "2024-01-10",
                "resolved": "2024-02-08",
            },
            {"key": "M-2", "story_points": 3, "sprints": ["S5"], "status_category": "To Do", "created": "2024-02-12"},
        ],
        "2024-02-29",
    )
    cal = pd.DataFrame({"sprint": ["S5"], "start": ["2024-02-05"], "end": ["2024-02-16"]})
    b = agile.sprint_burndown(pd.concat([jan, feb], ignore_index=True), "S5", calendar=cal).set_index("date")
    # the February upload is in force for the whole sprint: M-1 (5) committed, done 02-08; M-2 (3) created 02-12
    assert b.loc[D("2024-02-05"), "scope"] == 5 and b.loc[D("2024-02-08"), "remaining"] == 0
    assert b.loc[D("2024-02-12"), "added"] == 3 and b.loc[D("2024-02-16"), "remaining"] == 3


def test_release_burnup_counts_scope_growth():
    rows = [
        {
            "key": "B-1",
            "story_points": 5,
            "fix_version": "1.0",
            "status_category": "Done",
            "created": "2024-03-01",
            "resolved": "2024-03-03",
        },
        {"key": "B-2", "story_points": 3, "fix_version": "1.0", "status_category": "To Do", "created": "2024-03-01"},
        {
            "key": "B-3",
            "story_points": 2,
            "fix_version": "1.0",
            "status_category": "Done",
            "created": "2024-03-04",
            "resolved": "2024-03-05",
        },
        {"key": "B-9", "story_points": 40, "fix_version": "2.0", "status_category": "To Do", "created": "2024-03-01"},
    ]
    u = agile.release_burnup(items(rows, "2024-03-05"), fix_version="1.0", freq="D")
    # scope: 5+3 = 8 until B-3 (2) is created on 03-04 -> 10; done: B-1 5 from 03-03, B-3 +2 on 03-05
    assert u["date"].tolist() == list(pd.date_range("2024-03-01", "2024-03-05"))
    assert u["scope"].tolist() == [8, 8, 8, 10, 10]
    assert u["completed_points"].tolist() == [0, 0, 5, 5, 7]
    assert u["remaining"].tolist() == [8, 8, 3, 5, 3]
    assert u["completed_items"].tolist() == [0, 0, 1, 1, 2]


VEL_ROWS = [
    {
        "key": "C-1",
        "story_points": 3,
        "sprints": ["S1"],
        "status_category": "Done",
        "created": "2023-12-20",
        "resolved": "2024-01-12",
    },
    {
        "key": "C-2",
        "story_points": 5,
        "sprints": ["S1"],
        "status_category": "Done",
        "created": "2023-12-20",
        "resolved": "2024-01-14",
    },
    {
        "key": "C-3",
        "story_points": 8,
        "sprints": ["S1", "S2"],
        "status_category": "Done",
        "created": "2023-12-20",
        "resolved": "2024-01-25",
    },
    {
        "key": "C-4",
        "story_points": 2,
        "sprints": ["S2"],
        "status_category": "Done",
        "created": "2024-01-20",
        "resolved": "2024-01-28",
    },
    {"key": "C-5", "story_points": 5, "sprints": ["S3"], "status_category": "In Progress", "created": "2024-01-29"},
    {"key": "C-6", "story_points": 3, "sprints": ["S2", "S3"], "status_category": "To Do", "created": "2023-12-20"},
]


def test_sprint_calendar_derived_rule():
    cal = agile.sprint_calendar(items(VEL_ROWS, "2024-02-05"))
    # ends = last resolution of items finished in the sprint: S1 01-14 (C-2), S2 01-28 (C-4); S3 none.
    # typical length = gap between those ends = 14 days; S1 starts 01-14 - 13 = 01-01;
    # S2 starts the day after S1 ends; S3 starts 01-29 and gets 14 days -> ends 02-11.
    assert cal["sprint"].tolist() == ["S1", "S2", "S3"]
    assert cal["start"].tolist() == [D("2024-01-01"), D("2024-01-15"), D("2024-01-29")]
    assert cal["end"].tolist() == [D("2024-01-14"), D("2024-01-28"), D("2024-02-11")]
    assert set(cal["source"]) == {"derived"}


def test_sprint_order_follows_membership_before_names():
    # "Sprint 10" comes before "Sprint 9" because an item went from 10 into 9; names alone would say otherwise
    rows = [{"key": "X-1", "story_points": 1, "sprints": ["Sprint 10", "Sprint 9"], "status_category": "To Do"}]
    assert agile.sprint_calendar(items(rows))["sprint"].tolist() == ["Sprint 10", "Sprint 9"]
    rows = [{"key": "X-1", "sprints": ["Sprint 10"]}, {"key": "X-2", "sprints": ["Sprint 9"]}]
    assert agile.sprint_calendar(items(rows))["sprint"].tolist() == ["Sprint 9", "Sprint 10"]


def test_velocity_committed_completed_rolling():
    v = agile.velocity(items(VEL_ROWS, "2024-02-05"), window=3)
    # S1 committed at 01-01: C-1 3 + C-2 5 + C-3 8 = 16; completed (last sprint S1, done): 3 + 5 = 8
    # S2 committed at 01-15: C-3 8 + C-6 3 = 11 (C-4 created 01-20 joins later);
    #    completed: C-3 8 + C-4 2 = 10; scope at its end 01-28: 8 + 2 + 3 = 13
    # S3 committed at 01-29: C-5 5 (created that day) + C-6 3 = 8; nothing done; still running on 02-05
    # rolling mean of completed: 8, (8+10)/2 = 9, (8+10+0)/3 = 6
    assert v["sprint"].tolist() == ["S1", "S2", "S3"]
    assert v["committed"].tolist() == [16, 11, 8]
    assert v["completed_points"].tolist() == [8, 10, 0]
    assert v["scope_end"].tolist()[:2] == [16, 13]
    assert v["closed"].tolist() == [True, True, False]
    assert v["rolling_avg"].tolist() == [8, 9, 6]


def test_backlog_forecast_from_velocity():
    it = items(VEL_ROWS, "2024-02-05")
    v = agile.velocity(it)
    fc, info = agile.backlog_forecast(it, v)
    # remaining = C-5 5 + C-6 3 = 8; closed velocities [8, 10] both >= 8 -> always 1 sprint
    # first future sprint = the running S3 from 01-29; 14-day sprints -> done by 01-29 + 13 = 02-11
    assert info["remaining"] == 8 and info["sprints_used"] == 2 and info["sprint_days"] == 14
    assert fc["sprints_needed"].tolist() == [1, 1]
    assert fc["date"].tolist() == [D("2024-02-11"), D("2024-02-11")]


def test_monte_carlo_percentiles_and_reproducible():
    # velocities {5, 15}, 20 points left. Sprints needed:
    #   15 first (1/2) -> 2 sprints; 5 then 15 (1/4) -> 2; 5,5,15 (1/8) -> 3; 5,5,5 (1/8) -> 4
    #   P(n<=2) = 0.75, P(n<=3) = 0.875 -> P50 = 2 sprints, P85 = 3 sprints
    a = agile.forecast_completion([5, 15], 20, date(2024, 4, 1), sprint_days=14, seed=7)
    b = agile.forecast_completion([5, 15], 20, date(2024, 4, 1), sprint_days=14, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert a["sprints_needed"].tolist() == [2, 3]
    # P50 ends after 2 sprints: 04-01 + 28 - 1 = 04-28; P85 after 3: 04-01 + 42 - 1 = 05-12
    assert a["date"].tolist() == [D("2024-04-28"), D("2024-05-12")]
    assert abs(a["probability"].iloc[0] - 0.75) < 0.03
    assert a["sprints_needed"].iloc[0] <= a["sprints_needed"].iloc[1]


def test_monte_carlo_percentiles_ordered_on_noisy_history():
    rng = np.random.default_rng(1)
    vel = rng.integers(0, 30, size=12).tolist()
    fc = agile.forecast_completion(vel, 250, date(2024, 1, 1), percentiles=(10, 50, 85, 95))
    s = fc["sprints_needed"].tolist()
    assert s == sorted(s) and s[0] < s[-1]
    assert fc["date"].is_monotonic_increasing


def test_monte_carlo_without_velocity_is_missing_not_zero():
    fc = agile.forecast_completion([0, 0], 10, date(2024, 1, 1))
    assert fc["sprints_needed"].isna().all() and fc["date"].isna().all()
    done = agile.forecast_completion([5], 0, date(2024, 1, 1))
    assert done["sprints_needed"].tolist() == [0, 0]


def test_cumulative_flow_per_upload():
    s1 = items(
        [
            {"key": "K-1", "status_category": "To Do", "story_points": 3},
            {"key": "K-2", "status_category": "To Do", "story_points": 2},
            {"key": "K-3", "status_category": "indeterminate", "story_points": 1},
        ],
        "2024-01-01",
    )
    s2 = items(
        [
            {"key": "K-1", "status_category": "Done", "story_points": 3, "resolved": "2024-01-05"},
            {"key": "K-2", "status_category": "In Progress", "story_points": 2},
            {"key": "K-3", "status_category": "In Progress", "story_points": 1},
            {"key": "K-4", "status_category": "To Do", "story_points": None},
        ],
        "2024-01-08",
    )
    cfd = agile.cumulative_flow(pd.concat([s1, s2], ignore_index=True))
    wide = cfd.pivot(index="status_date", columns="status_category", values="items")
    # 01-01: 2 to do, 1 in progress ("indeterminate" is Jira's key for In Progress), 0 done
    # 01-08: 1 to do (K-4), 2 in progress, 1 done
    assert wide.loc[D("2024-01-01"), ["To Do", "In Progress", "Done"]].tolist() == [2, 1, 0]
    assert wide.loc[D("2024-01-08"), ["To Do", "In Progress", "Done"]].tolist() == [1, 2, 1]
    pts = cfd.pivot(index="status_date", columns="status_category", values="points")
    assert pts.loc[D("2024-01-08"), "Done"] == 3


def test_cost_burn_from_tasks_linear_pv_on_workdays():
    t = typed_frame(
        "tasks",
        {
            "project_id": ["P", "P"],
            "task_id": ["1", "2"],
            "name": ["Build", "Summary"],
            "is_summary": [False, True],
            "start": [date(2024, 3, 4), date(2024, 3, 4)],
            "finish": [date(2024, 3, 8), date(2024, 3, 8)],
            "baseline_start": [date(2024, 3, 4), date(2024, 3, 4)],
            "baseline_finish": [date(2024, 3, 8), date(2024, 3, 8)],
            "bac": [1000.0, 1000.0],
            "actual_cost": [700.0, 700.0],
            "percent_complete": [0.5, 0.5],
        },
    )
    t["status_date"] = D("2024-03-06")
    cb = agile.cost_burn(tasks=t, settings=Settings(), freq="D")
    row = cb[cb["date"] == D("2024-03-06")].iloc[0]
    # the summary row is skipped; 1000 over Mon..Fri = 200 per working day; Wed 03-06 = 3 days -> PV 600
    # AC 700, EV = 1000 * 50 % = 500, BAC 1000
    assert row["pv"] == pytest.approx(600) and row["ac"] == 700 and row["ev"] == 500 and row["bac"] == 1000
    assert cb.loc[cb["date"] == D("2024-03-08"), "pv"].item() == pytest.approx(1000)
    assert cb.loc[cb["date"] == D("2024-03-07"), "ac"].isna().all()  # not a status date: AC unknown


def test_cost_burn_prefers_evm_periods():
    e = pd.DataFrame(
        {
            "project_id": ["P", "P"],
            "period_end": [D("2024-01-31"), D("2024-02-29")],
            "pv": [100.0, 250.0],
            "ev": [90.0, 200.0],
            "ac": [110.0, 260.0],
            "status_date": [D("2024-03-01")] * 2,
        }
    )
    proj = pd.DataFrame({"project_id": ["P"], "bac": [1000.0]})
    cb = agile.cost_burn(evm_periods=e, projects=proj)
    assert cb["ac"].tolist() == [110, 260] and cb["pv"].tolist() == [100, 250]
    assert cb["bac"].tolist() == [1000, 1000] and set(cb["source"]) == {"evm_periods"}


def test_charts_carry_the_numbers():
    from pmo_analytics.charts import agile as ch

    it = items(SPRINT_ROWS)
    fig = ch.burndown(agile.sprint_burndown(it, "S2", calendar=CAL), "zh")
    names = [tr.name for tr in fig.data]
    assert "剩余" in names and "理想线" in names and "新增范围" in names
    remaining = next(tr for tr in fig.data if tr.name == "剩余")
    assert list(remaining.y) == [16, 11, 13, 10, 8]
    added = next(tr for tr in fig.data if tr.name == "新增范围")
    assert list(added.y) == [0, 0, 2, 0, 0] and added.customdata[2] == "A-4"
    v = agile.velocity(items(VEL_ROWS, "2024-02-05"))
    fc = agile.forecast_completion([8, 10], 8, date(2024, 1, 29))
    vf = ch.velocity_chart(v, "en", forecast=fc)
    assert "P50: 2024-02-11" in vf.layout.title.text and "P85: 2024-02-11" in vf.layout.title.text
    flow = ch.cfd(agile.cumulative_flow(it), "en")
    assert {tr.name for tr in flow.data} == {"To Do", "In Progress", "Done"}
    # user text is escaped for plotly's mini-HTML
    assert ch.plain("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"


def test_sprint_choices_and_versions():
    it = items(VEL_ROWS, "2024-02-05")
    cal = agile.sprint_calendar(it)
    names, idx = agile.sprint_choices(cal, "P", as_of="2024-02-05")
    assert names == ["S1", "S2", "S3"] and idx == 2  # S3 started 01-29, before the status date
    assert agile.sprint_choices(cal, "P", as_of="2024-01-20")[1] == 1
    rows = [{"key": "V-1", "fix_version": "1.10"}, {"key": "V-2", "fix_version": "1.9"}, {"key": "V-3"}]
    assert agile.versions(items(rows)) == ["1.9", "1.10"]


def test_cacheable_keeps_results():
    it = items(VEL_ROWS, "2024-02-05")
    it["sprints"] = [
        np.array(v, dtype=object) if v is not None else None for v in it["sprints"]
    ]  # as the store returns
    c = agile.cacheable(it)
    assert c["sprints"].tolist()[2] == ("S1", "S2")
    pd.util.hash_pandas_object(c)  # hashable now (raises on numpy arrays in cells)
    pd.testing.assert_frame_equal(agile.velocity(c), agile.velocity(it))


def test_consistency_on_random_backlogs():
    """Invariants on random single-upload backlogs: remaining = scope - completed, completed never
    falls, the burndown's first-day scope is the velocity's commitment, and completed points summed
    over sprints equal the points of done items with a sprint."""
    for seed in range(5):
        rng = np.random.default_rng(seed)
        n = 60
        first = rng.integers(0, 5, n)
        last = np.minimum(first + rng.integers(0, 2, n), 4)
        created = pd.Timestamp("2024-01-01") + pd.to_timedelta(first * 14 + rng.integers(-5, 10, n), unit="D")
        resolved = pd.Timestamp("2024-01-01") + pd.to_timedelta(last * 14 + rng.integers(0, 14, n), unit="D")
        done = resolved <= pd.Timestamp("2024-03-04")
        rows = [
            {
                "key": f"R-{i}",
                "story_points": float(rng.choice([1, 2, 3, 5, 8])),
                "sprints": [f"S{j + 1}" for j in range(first[i], last[i] + 1)],
                "status_category": "Done" if done[i] else "To Do",
                "created": created[i].date().isoformat(),
                "resolved": resolved[i].date().isoformat() if done[i] else None,
            }
            for i in range(n)
        ]
        it = items(rows, "2024-03-04")
        v = agile.velocity(it)
        for r in v.itertuples():
            b = agile.sprint_burndown(it, r.sprint)
            known = b.dropna(subset=["remaining"])
            assert (known["remaining"] == known["scope"] - known["completed_points"]).all()
            assert known["completed_points"].is_monotonic_increasing
            assert b["scope"].iloc[0] == r.committed
        assert v["completed_points"].sum() == sum(r["story_points"] for r in rows if r["resolved"])


def test_real_jira_export_flows_through():
    from pmo_analytics.ingest import parse_path
    from tests.conftest import shared_file

    parsed = parse_path(shared_file("samples", "focalboard__jira-export.xml"))
    wi = parsed.tables["work_items"].assign(status_date=D("2021-10-01"))
    # the export holds AR-1 (To Do) and AR-9 (In Progress), no sprints
    cfd = agile.cumulative_flow(wi).set_index("status_category")["items"]
    assert (cfd["To Do"], cfd["In Progress"], cfd["Done"]) == (1, 1, 0)
    assert agile.velocity(wi).empty and agile.sprint_calendar(wi).empty
    up = agile.release_burnup(wi)
    assert up["scope_items"].iloc[-1] == 2 and up["completed_items"].iloc[-1] == 0
