"""Charts that read at a glance (issue 14 item 5): each figure builder on small hand-made frames.

Ranges, label choices and notes are worked out by hand in the comments."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from pmo_analytics.charts import evm as evm_charts
from pmo_analytics.charts.gantt import gantt_figure
from pmo_analytics.charts.milestones import milestone_trend_figure
from pmo_analytics.charts.portfolio import LABEL_MAX, quadrant
from pmo_analytics.charts.resources import capacity_demand_chart, utilisation_heatmap
from pmo_analytics.charts.style import date_axes, localise_dates
from pmo_analytics.charts.weekly import benchmark_figure
from pmo_analytics.metrics import evm
from pmo_analytics.settings import Settings
from tests.test_evm import _tasks


# ----------------------------------------------------------------------------- quadrant
def _health(n: int = 12) -> pd.DataFrame:
    # SPI 0.80 .. 0.91 and CPI 0.95 .. 1.06 in steps of 0.01; P00 red, the rest green
    return pd.DataFrame(
        {
            "project_id": [f"P{i:02d}" for i in range(n)],
            "name": [f"Project <b>{i}</b> with a rather long name" for i in range(n)],
            "spi": [0.80 + i / 100 for i in range(n)],
            "cpi": [0.95 + i / 100 for i in range(n)],
            "bac": [1000.0 * (i + 1) for i in range(n)],
            "currency": ["CNY"] * n,
            "rag": ["red"] + ["green"] * (n - 1),
        }
    )


def test_quadrant_axes_fit_the_data_and_keep_the_plan_lines():
    fig = quadrant(_health(), Settings())
    # SPI 0.80..0.91 with 1.0 in view: span 0.20, pad max(0.03, 0.20 x 0.08 = 0.016) = 0.03
    assert list(fig.layout.xaxis.range) == pytest.approx([0.77, 1.03])
    # CPI 0.95..1.06: lo = 0.95 (1.0 inside), span 0.11, pad 0.03
    assert list(fig.layout.yaxis.range) == pytest.approx([0.92, 1.09])


def test_quadrant_names_the_red_and_outlying_projects_only_escaped():
    fig = quadrant(_health(), Settings())
    labels = [x for tr in fig.data for x in tr.text if x]
    assert len(labels) == LABEL_MAX  # 12 projects, 8 labels at most; the rest by hover
    red = next(tr for tr in fig.data if tr.meta == "red")
    # the red project carries its name (cut to 22 characters, markup escaped), not its id
    # "Project <b>0</b> with" is 21 characters, then the ellipsis (22)
    assert red.text[0] == "Project &lt;b&gt;0&lt;/b&gt; with…"
    # every bubble's hover has id, name and the RAG word; BAC with its currency
    green = next(tr for tr in fig.data if tr.meta == "green")
    assert "%{customdata[0]}" in green.hovertemplate and "Green" in green.hovertemplate
    assert green.customdata[0][2] == "CNY 2.0K"  # P01: BAC 2,000
    # distance from (1, 1): P00 (0.80, 0.95) is furthest and red; next P01 (0.81, 0.96) ...
    # the labelled greens are the seven furthest: P01..P07 (P08 at (0.88, 1.03) is nearer)
    named = [pid for tr in fig.data for pid, x in zip(tr.customdata, tr.text, strict=True) if x]
    assert sorted(c[0] for c in named) == [f"P{i:02d}" for i in range(8)]


# ----------------------------------------------------------------------------- Gantt window
def _plan(n: int = 60) -> pd.DataFrame:
    """n consecutive one-week tasks from Mon 2024-01-01 (task i: week i), a chain of links;
    the file marks tasks 30.. critical (total float 0), the rest with 5 days of float."""
    starts = pd.date_range("2024-01-01", periods=n, freq="7D")
    return pd.DataFrame(
        {
            "project_id": "P",
            "task_id": [str(i) for i in range(n)],
            "name": [f"T{i}" for i in range(n)],
            "start": starts,
            "finish": starts + pd.Timedelta(days=4),
            "total_float_days": [5.0 if i < 30 else 0.0 for i in range(n)],
        }
    )


def test_gantt_opens_on_the_status_window_with_the_critical_path_in_view():
    # status date Wed 2024-06-05 (week 22): tasks 0..21 finished, 22 open but not critical,
    # first open critical task = row 30 -> the view starts 3 rows above it, at row 27
    # (100 rows: a 40-row view from 27 fits; with 60 it would stop at the last row, 20)
    fig = gantt_figure(_plan(100), None, None, status_date=date(2024, 6, 5), today=date(2024, 6, 5))
    assert list(fig.layout.yaxis.range) == [27 + 40 - 0.5, 27 - 0.6]
    # 3 months = round(3 x 30.44) = 91 days; a quarter (22 days) before the status date
    assert list(fig.layout.xaxis.range) == ["2024-05-14", "2024-08-13"]


def test_gantt_whole_plan_window_and_no_status_date():
    fig = gantt_figure(_plan(), None, None, status_date=date(2024, 6, 5), today=date(2024, 6, 5), window="all")
    # plan 2024-01-01 .. end of task 59 (2025-02-17 + 4 days + 1) = 2025-02-22; pad = 418 days // 50 = 8
    assert list(fig.layout.xaxis.range) == ["2023-12-24", "2025-03-02"]
    assert list(fig.layout.yaxis.range) == [40 - 0.5, -0.6]
    fig = gantt_figure(_plan(), None, None, today=date(2024, 6, 5))
    assert list(fig.layout.yaxis.range) == [40 - 0.5, -0.6]


# ----------------------------------------------------------------------------- resources
def _person_weeks(weeks: int = 30) -> pd.DataFrame:
    w = pd.date_range("2026-06-01", periods=weeks, freq="7D")
    return pd.DataFrame(
        {
            "person": "Ana",
            "week_start": w,
            "utilisation": 0.9,
            "over": False,
            "planned_hours": 36.0,
            "capacity_hours": 40.0,
            "status_date": pd.Timestamp("2026-10-31"),
        }
    )


def test_heatmap_text_is_legible_in_a_window_around_the_status_date():
    fig = utilisation_heatmap(_person_weeks(), "person", "en")
    assert fig.data[0].textfont.size >= 11
    # 30 weeks from Mon 2026-06-01; the status date Sat 10-31 is in the week of Mon 10-26 (index
    # 21); 16 weeks from index 21 - 8 = 13 (Mon 08-31) to 28 (Mon 12-14), half a week either side
    assert list(fig.layout.xaxis.range) == ["2026-08-27 12:00", "2026-12-17 12:00"]
    small = utilisation_heatmap(_person_weeks(10), "person", "en")
    assert small.layout.xaxis.range is None  # ten weeks fit


def test_capacity_is_a_mark_over_each_bar_not_an_area():
    cvd = pd.DataFrame(
        {
            "department": ["IT", "IT", "HR", "HR"],
            "week_start": pd.to_datetime(["2026-10-26", "2026-11-02"] * 2),
            "capacity_hours": [80.0, 80.0, 40.0, 40.0],
            "demand_hours": [90.0, 70.0, 30.0, 50.0],
        }
    )
    fig = capacity_demand_chart(cvd, "en")
    bars = [tr for tr in fig.data if tr.type == "bar"]
    marks = [tr for tr in fig.data if tr.type == "scatter"]
    assert len(bars) == len(marks) == 2
    for tr in marks:
        assert tr.mode == "markers" and tr.fill in (None, "none") and tr.marker.symbol == "line-ew"
    # each mark sits on its department's bar
    assert {tr.offsetgroup for tr in bars} == {tr.offsetgroup for tr in marks}
    assert fig.layout.scattermode == "group"
    # hours carry their unit, written by formatting.hours; HR sorts first
    assert list(marks[0].customdata) == ["40.0 h", "40.0 h"] and "%{customdata}" in marks[0].hovertemplate
    assert list(capacity_demand_chart(cvd, "zh").data[0].customdata) == ["30.0 小时", "50.0 小时"]


# ----------------------------------------------------------------------------- S-curve
def test_s_curve_frame_says_which_projects_join_the_roll_up():
    a = _tasks(status="2024-01-05", percent_complete=[0.3, 1.0, 0.0], actual_cost=[1000.0, 1000.0, 0.0])
    b = _tasks(status="2024-01-12")
    b["project_id"] = "P2"
    status = evm.s_curve_frame(evm.analyse(pd.concat([a, b], ignore_index=True)))
    status = status[status["kind"] == "status"]
    # Jan 5: P1 alone (AC 1000 + 0); Jan 12: P2 joins with AC 1100 + 600 = 1700 -> total 2700
    assert status["projects"].tolist() == [1, 2]
    assert status["joined"].tolist() == [0, 1]
    assert status["joined_ac"].tolist() == pytest.approx([0, 1700])
    notes = evm_charts.step_notes(status, "en", "CNY")
    assert [(n["kind"], n["text"]) for n in notes] == [("joined", "1 project(s) join the roll-up: AC to date CNY 1.7K")]
    fig = evm_charts.s_curve_figure(status, None, "zh", "CNY")
    texts = [a.text for a in fig.layout.annotations]
    assert "1 个项目计入汇总：截至当日 AC CNY 1,700" in texts


def test_a_lump_sum_in_one_period_is_named():
    status = pd.DataFrame(
        {
            "date": pd.date_range("2026-01-31", periods=5, freq="ME"),
            "ac": [100.0, 200.0, 300.0, 400.0, 1400.0],  # rises 100, 100, 100, then 1,000
            "joined": 0.0,
            "joined_ac": 0.0,
        }
    )
    notes = evm_charts.step_notes(status, "en", "USD")
    # 1,000 > 3 x median(100, 100, 100) = 300; the others are not
    assert [(n["date"], n["text"]) for n in notes] == [
        (pd.Timestamp("2026-05-31"), "AC +USD 1.0K in one period (lump sum)")
    ]
    assert evm_charts.step_notes(status.iloc[:4], "en", "USD") == []  # steady


def test_rises_after_projects_join_are_compared_with_rises_over_as_many_projects():
    # one project rising 100 a month, then ten more join with 4,900 of AC (rise 5,000 = 100 +
    # 4,900) and the eleven rise 1,000 a month: ten times the one project's rises, yet no lump
    # sum (compared with the other rises over eleven projects, of which there are only two)
    status = pd.DataFrame(
        {
            "date": pd.date_range("2026-01-31", periods=8, freq="ME"),
            "ac": [100.0, 200.0, 300.0, 400.0, 5400.0, 6400.0, 7400.0, 8400.0],
            "projects": [1.0] * 4 + [11.0] * 4,
            "joined": [0.0] * 4 + [10.0, 0.0, 0.0, 0.0],
            "joined_ac": [0.0] * 4 + [4900.0, 0.0, 0.0, 0.0],
        }
    )
    notes = evm_charts.step_notes(status, "en", "CNY")
    assert [n["text"] for n in notes] == ["10 project(s) join the roll-up: AC to date CNY 4.9K"]


# ----------------------------------------------------------------------------- milestones, lessons
def test_milestone_lines_have_distinct_colours():
    dates = pd.to_datetime(["2026-09-30", "2026-10-31"])
    history = pd.DataFrame(
        [
            {
                "project_id": "P",
                "task_id": str(k),
                "name": f"M{k}",
                "status_date": d,
                "forecast_finish": d + pd.Timedelta(days=30 + k),
                "baseline_finish": pd.NaT,
                "slip_days": float(k),
            }
            for k in range(14)
            for d in dates
        ]
    )
    fig = milestone_trend_figure(history, "en")
    colours = [tr.line.color for tr in fig.data if tr.meta != "diagonal"]
    assert len(colours) == 14 and len(set(colours)) == 14
    assert "NaT" not in str(fig.data[0].customdata)  # a missing baseline shows as —


def test_lessons_points_not_a_box_below_five_projects():
    one = pd.DataFrame({"project_id": ["P1"], "name": ["Old"], "final_cpi": [0.9], "final_spi_t": [0.95],
                        "finish_slip_days": [12.0]})  # fmt: skip
    fig = benchmark_figure(one, None, "en")
    assert not [tr for tr in fig.data if tr.type == "box"]
    assert "1 closed project(s): points only" in fig.layout.annotations[-1].text
    # one CPI of 0.9: an axis 0.2 wide around it, two decimals (no ticks 0.966, 0.967 ...)
    assert list(fig.layout.yaxis.range) == pytest.approx([0.8, 1.0]) and fig.layout.yaxis.tickformat == ".2f"
    assert list(fig.layout.yaxis3.range) == pytest.approx([2.0, 22.0])  # slip 12 days +- 10
    five = pd.concat([one.assign(project_id=f"P{i}") for i in range(5)], ignore_index=True)
    assert len([tr for tr in benchmark_figure(five, None, "en").data if tr.type == "box"]) == 3


# ----------------------------------------------------------------------------- dates in Chinese
def test_chinese_month_ticks_are_ours():
    fig = go.Figure(go.Scatter(x=pd.to_datetime(["2026-09-30", "2026-10-31"]), y=[1, 2]))
    fig.add_trace(go.Bar(x=[1, 2], y=["a", "b"], orientation="h", xaxis="x2"))
    assert date_axes(fig) == {"xaxis"}
    zh = localise_dates(go.Figure(fig), "zh")
    stops = {s.value for s in zh.layout.xaxis.tickformatstops}
    assert stops == {"%-m月%-d日", "%Y年%-m月", "%Y年"}  # no %b: no English month names
    assert zh.layout.xaxis.hoverformat == "%Y-%m-%d"
    en = localise_dates(go.Figure(fig), "en")
    assert not en.layout.xaxis.tickformatstops and en.layout.xaxis.hoverformat == "%Y-%m-%d"
    # ISO date strings (a heatmap's weeks) and a Gantt's bar bases count as dates too
    assert date_axes(go.Figure(go.Heatmap(x=["2026-10-26"], y=["A"], z=[[1]]))) == {"xaxis"}
    bar = go.Bar(orientation="h", base=np.array(["2026-10-26"], dtype=object), x=[86_400_000], y=[0])
    assert date_axes(go.Figure(bar)) == {"xaxis"}


def test_chinese_amount_ticks_in_wan():
    from pmo_analytics.charts.style import amount_ticks, nice_ticks

    # top 37.6M: 37.6M / 5 = 7.52M -> step 10M (1, 2, 2.5, 5 x 1M too small) -> 0 .. 40M
    assert nice_ticks(37_600_000) == [0, 10_000_000, 20_000_000, 30_000_000, 40_000_000]
    fig = amount_ticks(go.Figure(go.Scatter(x=[1, 2], y=[0, 37_600_000])), [37_600_000], "zh")
    assert list(fig.layout.yaxis.ticktext) == ["0", "1,000万", "2,000万", "3,000万", "4,000万"]
    assert amount_ticks(go.Figure(), [37_600_000], "en").layout.yaxis.ticktext is None
