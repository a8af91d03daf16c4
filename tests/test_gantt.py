"""Gantt and milestone charts, tested through ``fig.to_dict()``."""

from __future__ import annotations

import base64
from datetime import date

import numpy as np
import pandas as pd
import plotly.io as pio

from pmo_analytics.charts.gantt import gantt_figure, prepare_rows
from pmo_analytics.charts.milestones import milestone_slip_figure, milestone_trend_figure
from pmo_analytics.i18n import t
from pmo_analytics.metrics.cpm import cpm
from pmo_analytics.metrics.milestones import milestone_history, milestone_tracker

D = pd.Timestamp


def plan():
    tasks = pd.DataFrame(
        [
            {"project_id": "P", "task_id": "1", "wbs": "1", "name": "Phase <b>1</b>", "is_summary": True,
             "start": D("2024-03-04"), "finish": D("2024-03-12")},
            {"project_id": "P", "task_id": "2", "wbs": "1.1", "name": "Design", "start": D("2024-03-04"),
             "finish": D("2024-03-08"), "baseline_start": D("2024-03-04"), "baseline_finish": D("2024-03-06"),
             "percent_complete": 0.5, "resource_names": "Ana; Li"},
            {"project_id": "P", "task_id": "3", "wbs": "1.2", "name": "Review", "start": D("2024-03-04"),
             "finish": D("2024-03-05"), "baseline_start": D("2024-03-04"), "baseline_finish": D("2024-03-05")},
            {"project_id": "P", "task_id": "4", "wbs": "1.3", "name": "Build", "start": D("2024-03-11"),
             "finish": D("2024-03-12"), "baseline_start": D("2024-03-07"), "baseline_finish": D("2024-03-08")},
            {"project_id": "P", "task_id": "5", "wbs": "2", "name": "Go live", "is_milestone": True,
             "start": D("2024-03-12"), "finish": D("2024-03-12"), "baseline_finish": D("2024-03-08")},
        ]
    )  # fmt: skip
    links = pd.DataFrame(
        [
            {"project_id": "P", "pred_task_id": "2", "succ_task_id": "4", "type": "FS", "lag_days": 0},
            {"project_id": "P", "pred_task_id": "3", "succ_task_id": "4", "type": "FS", "lag_days": 0},
            {"project_id": "P", "pred_task_id": "4", "succ_task_id": "5", "type": "FS", "lag_days": 0},
        ]
    )
    return tasks, links


def traces(fig) -> dict[str, dict]:
    return {tr.get("meta"): tr for tr in fig.to_dict()["data"]}


def arr(v) -> list:
    """A trace array from ``to_dict()``: plotly 7 packs numeric numpy arrays as base64 ``bdata``."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v)


def test_gantt_has_baseline_critical_milestone_links_and_lines():
    tasks, links = plan()
    res = cpm(tasks, links)
    fig = gantt_figure(tasks, links, res, status_date=date(2024, 3, 6), lang="en", today=date(2024, 3, 7))
    tr = traces(fig)
    # baseline ghost bars for the three tasks with baselines (2, 3, 4), not for the summary
    assert sorted(tr["baseline"]["customdata"]) == ["2", "3", "4"]
    # CPM: 2 (5 days) -> 4 -> 5 is the critical chain; 3 (2 days) has 3 days of float
    assert list(tr["critical"]["customdata"]) == ["2", "4"]
    assert list(tr["task"]["customdata"]) == ["3"]
    assert list(tr["summary"]["customdata"]) == ["1"]
    assert tr["milestone"]["marker"]["symbol"] == "diamond" and list(tr["milestone"]["customdata"]) == ["5"]
    assert tr["milestone"]["marker"]["color"] == ["#d32f2f"]  # a critical milestone is red
    # a finish milestone sits at the end of its day: Go live (Tue 12, after Build) at 13 Mar 00:00;
    # its baseline (Fri 8) likewise at 9 Mar 00:00
    assert list(tr["milestone"]["x"]) == ["2024-03-13"]
    assert list(tr["baseline_milestone"]["x"]) == ["2024-03-09"]
    # progress fill: half of Design's 5 days (Mon 4 .. end of Fri 8 = 5 x 86 400 000 ms)
    assert arr(tr["progress"]["x"]) == [5 * 86_400_000 // 2]
    # bars: base = start, x = duration through the end of the finish day
    i = list(tr["critical"]["customdata"]).index("4")
    assert tr["critical"]["base"][i] == "2024-03-11" and arr(tr["critical"]["x"])[i] == 2 * 86_400_000
    # dependency arrows: 3 links -> 3 elbows of 4 points each, 3 arrowheads
    assert len(tr["links"]["x"]) == 12 and len(tr["arrows"]["x"]) == 3
    # status-date and today lines
    shapes = fig.to_dict()["layout"]["shapes"]
    assert [s["x0"] for s in shapes] == ["2024-03-06", "2024-03-07"]
    # few traces whatever the size
    assert len(fig.data) <= 10
    # rows in WBS order, summaries in bold; user text escaped (in labels and hover), never interpreted
    ticks = fig.to_dict()["layout"]["yaxis"]["ticktext"]
    assert ticks == ["<b>1 Phase &lt;b&gt;1&lt;/b&gt;</b>", "1.1 Design", "1.2 Review", "1.3 Build", "2 Go live"]
    hover = tr["summary"]["hovertext"][0]
    assert "&lt;b&gt;1&lt;/b&gt;" in hover and "<b>1</b>" not in hover.replace("<b>Phase", "")


def test_hover_shows_baseline_variance_float_resources():
    tasks, links = plan()
    fig = gantt_figure(tasks, links, cpm(tasks, links), lang="en")
    tr = traces(fig)
    h = dict(zip(tr["critical"]["customdata"], tr["critical"]["hovertext"], strict=True))
    # Design: baseline finish Wed 6, current finish Fri 8 -> +2 working days
    assert "variance (working days): +2" in h["2"] and "Ana; Li" in h["2"] and "50%" in h["2"]
    assert "Total float (working days): 0" in h["2"]
    # Build: baseline Fri 8 -> current Tue 12 = +2 working days (Mon 11, Tue 12)
    assert "+2" in h["4"]


def test_links_hidden_above_the_limit_and_on_request():
    tasks, links = plan()
    assert "links" not in traces(gantt_figure(tasks, links, None, show_links=False))
    assert "links" in traces(gantt_figure(tasks, links, None))


def test_collapse_and_levels():
    tasks, links = plan()
    rows, _ = prepare_rows(tasks, None, collapse=True)
    # summary level: the summary (1) and the top-level milestone (5)
    assert rows["task_id"].tolist() == ["1", "5"]
    rows, _ = prepare_rows(tasks, None, max_level=1)
    assert rows["task_id"].tolist() == ["1", "5"]


def test_aggregates_beyond_max_bars():
    tasks, _ = plan()
    rows, notes = prepare_rows(tasks, None, max_bars=3)
    # 5 rows > 3: level 1 (tasks 1 and 5) fits, level 2 does not
    assert notes["level"] == 1 and rows["task_id"].tolist() == ["1", "5"] and notes["total"] == 5
    fig = gantt_figure(tasks, None, None, max_bars=3)
    assert "Showing 2 of 5 tasks" in fig.to_dict()["layout"]["title"]["text"]


def test_critical_from_the_file_when_no_cpm():
    tasks, _ = plan()
    tasks["total_float_days"] = [np.nan, 0.0, 4.0, -1.0, 0.0]
    tr = traces(gantt_figure(tasks, None, None))
    assert list(tr["critical"]["customdata"]) == ["2", "4"]


def test_several_projects_get_header_rows_and_chinese_labels():
    tasks, links = plan()
    q = tasks.copy()
    q["project_id"] = "Q"
    both = pd.concat([tasks, q], ignore_index=True)
    fig = gantt_figure(both, None, None, lang="zh", project_names={"Q": "Quay"})
    tr = traces(fig)
    assert tr["project"]["customdata"].tolist() == ["", ""]
    ticks = fig.to_dict()["layout"]["yaxis"]["ticktext"]
    assert ticks[0] == "<b>P</b>" and ticks[6] == "<b>Q · Quay</b>" and len(ticks) == 12
    assert tr["baseline"]["name"] == t("gantt.baseline", "zh") == "基准"


def test_empty_gantt():
    fig = gantt_figure(pd.DataFrame(), None, None)
    assert fig.to_dict()["layout"]["annotations"][0]["text"] == "No tasks to show."


def test_big_gantt_stays_small():
    n = 2000
    starts = pd.bdate_range("2024-01-01", periods=n)
    tasks = pd.DataFrame(
        {
            "project_id": "P",
            "task_id": [str(i) for i in range(n)],
            "name": "Task",
            "start": starts,
            "finish": starts,
            "baseline_start": starts,
            "baseline_finish": starts,
        }
    )
    fig = gantt_figure(tasks, None, None)
    assert len(fig.data) <= 10 and "links" not in traces(fig)  # 2000 > 300 rows: no arrows
    size = len(pio.to_json(fig))
    assert size < 400 * n, size  # a few hundred bytes per task, not kilobytes


# ----------------------------------------------------------------------------- milestone charts


def history():
    def ms(tid, name, sd, finish, base):
        return {"project_id": "P", "task_id": tid, "name": name, "is_milestone": True, "status_date": D(sd),
                "start": D(finish), "finish": D(finish), "baseline_finish": D(base)}  # fmt: skip

    return pd.DataFrame(
        [
            ms("M1", "Design approved", "2024-03-01", "2024-03-15", "2024-03-15"),
            ms("M1", "Design approved", "2024-03-08", "2024-03-19", "2024-03-15"),
            ms("M2", "Go live", "2024-03-01", "2024-04-05", "2024-04-05"),
            ms("M2", "Go live", "2024-03-08", "2024-04-04", "2024-04-05"),
        ]
    )


def test_milestone_trend_figure():
    hist = milestone_history(history())
    fig = milestone_trend_figure(hist, "en")
    tr = traces(fig)
    assert list(tr) == ["P/M1", "P/M2", "diagonal"]  # late first
    assert [str(x)[:10] for x in tr["P/M1"]["y"]] == ["2024-03-15", "2024-03-19"]
    fig2 = milestone_trend_figure(hist, "en", max_milestones=1)
    assert "1 more milestones" in fig2.to_dict()["layout"]["title"]["text"]


def test_milestone_slip_figure():
    tr = traces(milestone_slip_figure(milestone_tracker(history()), "zh"))
    assert arr(tr["late"]["x"]) == [2.0] and arr(tr["on_time"]["x"]) == [-1.0]
    assert tr["late"]["name"] == "延误"


def test_milestone_figures_empty():
    assert milestone_trend_figure(pd.DataFrame(), "en").to_dict()["layout"]["annotations"]
    assert milestone_slip_figure(pd.DataFrame(), "en").to_dict()["layout"]["annotations"]


def test_critical_only():
    tasks, links = plan()
    rows, _ = prepare_rows(tasks, cpm(tasks, links, near_critical_days=0), critical_only=True)
    # Review (3 days of float) drops out; the summary stays
    assert rows["task_id"].tolist() == ["1", "2", "4", "5"]
    rows, _ = prepare_rows(tasks, cpm(tasks, links, near_critical_days=5), critical_only=True)
    assert "3" in rows["task_id"].tolist()  # near-critical at <= 5 days


def test_milestone_slip_figure_keeps_alike_names_apart():
    # two milestones both called "Gate" (M1 +2 late, M2 -1 early): two bars on two rows, told apart by id
    rows = history()
    rows["name"] = "Gate"
    tr = traces(milestone_slip_figure(milestone_tracker(rows), "en"))
    assert list(tr["late"]["y"]) == ["Gate (M1)"] and list(tr["on_time"]["y"]) == ["Gate (M2)"]
