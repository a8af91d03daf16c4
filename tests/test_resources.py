"""Resource utilisation on a hand-built week plan (arithmetic in comments)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from pmo_analytics.ingest.validate import typed_frame
from pmo_analytics.metrics import resources

W1, W2, W3 = pd.Timestamp("2024-03-04"), pd.Timestamp("2024-03-11"), pd.Timestamp("2024-03-18")


def plan() -> pd.DataFrame:
    rows = [
        # person, dept, project, week_start, planned, capacity
        ("Ann", "Eng", "P1", date(2024, 3, 4), 24.0, 40.0),
        ("Ann", "Eng", "P2", date(2024, 3, 4), 24.0, 40.0),  # capacity repeated per project row
        ("Ann", "Eng", "P1", date(2024, 3, 11), 30.0, 40.0),
        ("Bob", "Eng", "P1", date(2024, 3, 6), 20.0, 40.0),  # a Wednesday: same week as 03-04
        ("Bob", "Eng", "P1", date(2024, 3, 11), 10.0, None),  # capacity unknown
        ("Cy", "Ops", "P2", date(2024, 3, 4), 45.0, 40.0),  # over, one project only
        ("Cy", "Ops", "P2", date(2024, 3, 11), 5.0, 0.0),  # no capacity (leave)
    ]
    df = typed_frame(
        "assignments",
        {
            "person": [r[0] for r in rows],
            "department": [r[1] for r in rows],
            "project_id": [r[2] for r in rows],
            "week_start": [r[3] for r in rows],
            "planned_hours": [r[4] for r in rows],
            "capacity_hours": [r[5] for r in rows],
        },
    )
    df["status_date"] = pd.Timestamp("2024-03-06")
    return df


def test_person_week_utilisation_is_planned_over_capacity():
    pw = resources.person_weeks(plan()).set_index(["person", "week_start"])
    # Ann W1: (24 + 24) / 40 = 1.2 (capacity is the person's, not summed per project row)
    assert pw.loc[("Ann", W1), "planned_hours"] == 48 and pw.loc[("Ann", W1), "capacity_hours"] == 40
    assert pw.loc[("Ann", W1), "utilisation"] == 1.2 and pw.loc[("Ann", W1), "over"]
    assert pw.loc[("Ann", W1), "projects"] == 2 and pw.loc[("Ann", W1), "project_hours"] == "P1 24h, P2 24h"
    # Ann W2: 30 / 40 = 0.75; Bob W1 (given on Wednesday 03-06): 20 / 40 = 0.5
    assert pw.loc[("Ann", W2), "utilisation"] == 0.75 and not pw.loc[("Ann", W2), "over"]
    assert pw.loc[("Bob", W1), "utilisation"] == 0.5
    # no capacity (missing or 0): NaN, not 0 and not infinity; never marked over
    assert np.isnan(pw.loc[("Bob", W2), "utilisation"]) and np.isnan(pw.loc[("Cy", W2), "utilisation"])
    assert not pw.loc[("Cy", W2), "over"]
    # Cy W1: 45 / 40 = 1.125
    assert pw.loc[("Cy", W1), "utilisation"] == 1.125 and pw.loc[("Cy", W1), "over"]


def test_capacity_rule_sum():
    pw = resources.person_weeks(plan(), capacity_rule="sum").set_index(["person", "week_start"])
    assert pw.loc[("Ann", W1), "utilisation"] == 0.6  # 48 / (40 + 40)


def test_overallocated_across_projects():
    pw = resources.person_weeks(plan())
    over = resources.overallocated(pw)
    # only Ann in W1 is over (1.2) on two projects; Cy is over on one project only
    assert over[["person", "week_start"]].values.tolist() == [["Ann", W1]]
    assert over["excess_hours"].tolist() == [8.0]  # 48 - 40
    assert set(map(tuple, resources.overallocated(pw, min_projects=1)[["person", "week_start"]].values.tolist())) == {
        ("Ann", W1),
        ("Cy", W1),
    }


def test_department_sums_first_then_divides():
    dw = resources.department_weeks(resources.person_weeks(plan())).set_index(["department", "week_start"])
    # Eng W1: (48 + 20) / (40 + 40) = 68 / 80 = 0.85 (the mean of 1.2 and 0.5 would be 0.85 too, so check W2)
    assert dw.loc[("Eng", W1), "utilisation"] == 0.85
    # Eng W2: Ann 30 of 40; Bob 10 h with unknown capacity left out of the ratio -> 30 / 40 = 0.75
    assert dw.loc[("Eng", W2), "utilisation"] == 0.75
    assert dw.loc[("Eng", W2), "planned_hours"] == 40 and dw.loc[("Eng", W2), "unknown_capacity_hours"] == 10
    # Ops W1: 45 / 40 = 1.125 -> over, one person over
    assert dw.loc[("Ops", W1), "over"] and dw.loc[("Ops", W1), "people_over"] == 1
    assert dw.loc[("Eng", W1), "people_over"] == 1  # Ann


def test_department_utilisation_is_not_an_average_of_ratios():
    df = plan()
    df = df[(df["week_start"] < W2) & (df["person"] != "Cy")].copy()  # W1 rows (Bob's is dated Wednesday)
    df.loc[df["person"] == "Bob", "capacity_hours"] = 10.0  # Bob 20 / 10 = 2.0; Ann 48 / 40 = 1.2
    dw = resources.department_weeks(resources.person_weeks(df))
    # sum first: 68 / 50 = 1.36 ; an average of ratios would give (2.0 + 1.2) / 2 = 1.6
    assert dw["utilisation"].tolist() == [1.36]


def test_capacity_vs_demand_coming_weeks():
    cvd = resources.capacity_vs_demand(plan(), weeks=3).set_index(["department", "week_start"])
    # start = status date 03-06 -> its Monday 03-04; three weeks 03-04, 03-11, 03-18
    # Eng: capacity 80, 40 (Bob unknown), none; demand 68, 40, 0
    assert cvd.loc["Eng", "capacity_hours"].tolist()[:2] == [80, 40] and np.isnan(
        cvd.loc[("Eng", W3), "capacity_hours"]
    )
    assert cvd.loc["Eng", "demand_hours"].tolist() == [68, 40, 0]
    assert cvd.loc["Eng", "gap_hours"].tolist()[:2] == [12, 0]
    # Ops: capacity 40, 0; demand 45, 5 -> short 5 h both weeks
    assert cvd.loc["Ops", "gap_hours"].tolist()[:2] == [-5, -5]


def test_capacity_vs_demand_without_a_status_date_never_uses_today():
    undated = plan().drop(columns="status_date")
    cvd = resources.capacity_vs_demand(undated, weeks=2)
    # no status date: the grid starts at the first planned week, Monday 2024-03-04
    assert sorted(set(cvd["week_start"])) == [W1, W2]
    empty = resources.capacity_vs_demand(undated.iloc[0:0], weeks=2)
    assert empty.empty and list(empty.columns) == [
        "department",
        "week_start",
        "capacity_hours",
        "demand_hours",
        "gap_hours",
    ]


def test_utilisation_heatmap_marks_over_allocation():
    from pmo_analytics.charts.resources import utilisation_heatmap

    pw = resources.person_weeks(plan())
    fig = utilisation_heatmap(pw, "person", "en")
    h = fig.data[0]
    assert list(h.y) == ["Ann", "Bob", "Cy"] and list(h.x) == ["2024-03-04", "2024-03-11"]
    assert h.text[0][0] == "120% ▲" and h.text[0][1] == "75%" and h.text[2][0] == "112% ▲"
    assert h.text[1][1] == ""  # no capacity: empty, not 0 %


def test_people_on_keeps_their_whole_load():
    rows = resources.people_on(plan(), ["P1"])
    # Ann and Bob work on P1; Ann's P2 hours stay so her W1 load is still 48 h; Cy (P2 only) is out
    assert sorted(rows["person"].unique()) == ["Ann", "Bob"]
    pw = resources.person_weeks(rows).set_index(["person", "week_start"])
    assert pw.loc[("Ann", W1), "planned_hours"] == 48
    assert len(resources.people_on(plan(), None)) == len(plan())
