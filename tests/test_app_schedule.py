"""AppTest: the Gantt, Milestones and Schedule quality pages on a small imported portfolio:
project P is the DCMA test schedule built to fail each check once, project Q a clean one."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pmo_analytics.ingest import parse_bytes
from pmo_analytics.store import Store
from tests.conftest import ROOT, run_app
from tests.helpers import plain, workbook_bytes
from tests.test_dcma import STATUS, clean_schedule, failing_schedule

TASK_HEADERS = {
    "project_id": "Project ID",
    "task_id": "Task ID",
    "name": "Task name",
    "is_milestone": "Milestone",
    "start": "Start",
    "finish": "Finish",
    "baseline_start": "Baseline start",
    "baseline_finish": "Baseline finish",
    "actual_start": "Actual start",
    "actual_finish": "Actual finish",
    "percent_complete": "% Complete",
    "resource_names": "Resources",
    "constraint_type": "Constraint type",
    "constraint_date": "Constraint date",
}
LINK_HEADERS = {
    "project_id": "Project ID",
    "pred_task_id": "Predecessor",
    "succ_task_id": "Successor",
    "type": "Type",
    "lag_days": "Lag",
}


def _cell(v):
    if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    return v


def _rows(df: pd.DataFrame, headers: dict) -> list[list]:
    cols = [c for c in headers if c in df.columns]
    return [[headers[c] for c in cols]] + [[_cell(v) for v in r] for r in df[cols].itertuples(index=False)]


def portfolio_bytes(shift_finish: bool = False) -> bytes:
    p_t, p_l = failing_schedule()
    q_t, q_l = clean_schedule()
    q_t["project_id"] = "Q"
    q_l["project_id"] = "Q"
    tasks = pd.concat([p_t, q_t], ignore_index=True)
    links = pd.concat([p_l, q_l], ignore_index=True)
    if shift_finish:  # an earlier status date: P's finish milestone forecast 2 working days earlier
        tasks.loc[(tasks.project_id == "P") & (tasks.task_id == "F"), ["start", "finish"]] = pd.Timestamp("2024-05-20")
    projects = [["Project ID", "Project name"], ["P", "Pilot"], ["Q", "Quay"]]
    return workbook_bytes(
        {"Projects": projects, "Tasks": _rows(tasks, TASK_HEADERS), "Links": _rows(links, LINK_HEADERS)}
    )


def _load() -> None:
    s = Store()
    s.import_parsed(parse_bytes("plan_early.xlsx", portfolio_bytes(shift_finish=True)), date(2024, 3, 6))
    s.import_parsed(parse_bytes("plan.xlsx", portfolio_bytes()), STATUS.date())


@pytest.fixture
def loaded(app_db):
    _load()


def figure(at, i: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[i].proto.spec)


def table(at, column: str, nth: int = 0) -> pd.DataFrame:
    """The nth dataframe shown that has ``column`` (dataframes without selections carry no key)."""
    return [plain(d.value) for d in at.dataframe if column in d.value.columns][nth]


def metric_values(at) -> list[str]:
    return [m.value for m in at.metric]


# ----------------------------------------------------------------------------- Gantt


def test_gantt_empty_database(app_db):
    at = run_app("40_gantt.py")
    assert at.title[0].value == "Gantt"
    assert "No data yet" in at.info[0].value


def test_gantt_page(loaded):
    at = run_app("40_gantt.py")
    assert at.title[0].value == "Gantt"
    # the first project is shown by default: P has 9 tasks and milestones (no summaries)
    assert at.selectbox(key="gantt_project").value == "P" and metric_values(at)[0] == "9"
    at.selectbox(key="gantt_project").set_value("__all__").run()
    assert metric_values(at)[0] == "14"  # P 9 + Q 5
    fig = figure(at)
    metas = {tr.get("meta") for tr in fig["data"]}
    assert {"baseline", "critical", "milestone", "project"} <= metas
    # the status-date line at 13 Mar 2024
    assert any(s.get("x0") == "2024-03-13" for s in fig["layout"]["shapes"])
    sched = table(at, "Early start")
    assert len(sched) == 14
    assert len(at.get("download_button")) == 2


def test_gantt_project_and_critical_filter(loaded):
    at = run_app("40_gantt.py")
    at.selectbox(key="gantt_project").set_value("P").run()
    assert not at.exception, at.exception
    # P: critical X, B, C, N (N negative) + the finish milestone F (float 0) and S? S is done (no float)
    vals = metric_values(at)
    assert vals[0] == "9" and vals[1] == "5" and vals[3] == "2024-05-22"
    at.toggle(key="gantt_critical_only").set_value(True).run()
    fig = figure(at)
    shown = {
        str(x) for tr in fig["data"] if tr.get("meta") in ("critical", "task", "milestone") for x in tr["customdata"]
    }
    # Y (float 45) and L1 (40) drop out; A and S are finished (no float) and drop out too
    assert shown == {"X", "B", "C", "N", "F"}
    sched = table(at, "Early start")
    assert set(sched["Task ID"]) == {"S", "A", "X", "B", "C", "L1", "N", "Y", "F"}


def test_gantt_settings_near_critical_and_remaining(loaded):
    at = run_app("40_gantt.py")
    at.selectbox(key="gantt_project").set_value("P").run()
    # P's positive floats are L1 40 and Y 45 (test_dcma): none near-critical at the default 5 days
    assert metric_values(at)[2] == "0"
    at.number_input(key="gantt_near_critical").set_value(40.0).run()
    assert not at.exception, at.exception
    assert metric_values(at)[2] == "1"  # L1 (40 <= 40); Y (45) still not
    at.selectbox(key="gantt_remaining").set_value("forecast").run()
    assert not at.exception, at.exception
    s = at.session_state["settings"]
    assert s.near_critical_days == 40.0 and s.cpm_remaining == "forecast"
    # X (80 % of 5 days left = 1 day from 13 Mar) and its plan (finish 13 Mar) agree: the finish stays
    assert metric_values(at)[3] == "2024-05-22"


def test_gantt_arrows_default_follows_the_plan_shown(loaded, monkeypatch):
    import pmo_analytics.charts.gantt as gantt

    monkeypatch.setattr(gantt, "LINK_LIMIT", 10)  # P has 9 tasks, P and Q together 14
    at = run_app("40_gantt.py")
    assert at.selectbox(key="gantt_project").value == "P" and at.toggle(key="gantt_links").value is True
    assert "links" in {tr.get("meta") for tr in figure(at)["data"]}
    at.selectbox(key="gantt_project").set_value("__all__").run()
    assert at.toggle(key="gantt_links").value is False
    assert "links" not in {tr.get("meta") for tr in figure(at)["data"]}
    at.toggle(key="gantt_links").set_value(True).run()  # the user may still ask for them
    assert "links" in {tr.get("meta") for tr in figure(at)["data"]}


def test_gantt_chinese(app_db):
    _load()
    at = AppTest.from_file(str(ROOT / "pages" / "40_gantt.py"), default_timeout=60)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "甘特图"
    assert "最早开始" in table(at, "最早开始").columns


# ----------------------------------------------------------------------------- Milestones


def test_milestones_page(loaded):
    at = run_app("45_milestones.py")
    assert at.title[0].value == "Milestones"
    # milestones S, F (P) and S, F (Q); P's F slipped from 20 May to 22 May between the two status dates
    vals = metric_values(at)
    assert vals[0] == "4" and vals[2] == "1"
    tracker = table(at, "Slip (working days)")
    assert tracker["Milestone"].iloc[0] == "Task F" and tracker["Project ID"].iloc[0] == "P"
    assert tracker["Change since previous (days)"].iloc[0] == 2
    assert len(figure(at, 0)["data"]) == 5  # trend: 4 milestone lines + the diagonal
    history = table(at, "Slip (working days)", 1)
    assert len(history) == 8


def test_milestones_empty(app_db):
    at = run_app("45_milestones.py")
    assert "No data yet" in at.info[0].value


# ----------------------------------------------------------------------------- Schedule quality


def test_schedule_quality_page(loaded):
    at = run_app("50_schedule_quality.py")
    assert at.title[0].value == "Schedule quality"
    scores = table(at, "Score (0-100)")
    # worst first: P fails every applicable check (0), Q passes all 13 (100)
    assert scores["Project ID"].tolist() == ["P", "Q"]
    assert scores["Score (0-100)"].tolist() == [0.0, 100.0]
    assert at.selectbox(key="dcma_project").value == "P"
    checks = table(at, "Result")
    assert len(checks) == 14 and checks["Result"].tolist().count("Fail") == 13
    assert checks.loc[checks["#"] == 13, "Value"].iloc[0] == "0.94"
    off = table(at, "Task or link")
    assert ("L1", "Task L1") in set(zip(off["Task or link"], off["Task name"], strict=True))
    assert "B->L1 (SS)" in set(off["Task or link"])
    assert len(at.get("download_button")) == 6  # three tables, Excel + CSV each
    at.selectbox(key="dcma_project").set_value("Q").run()
    assert not at.exception
    assert "No offending tasks" in at.info[0].value


def test_schedule_quality_settings(loaded):
    at = run_app("50_schedule_quality.py")
    at.number_input(key="dcma_high_float").set_value(50.0).run()
    assert not at.exception
    checks = table(at, "Result")
    # Y's float 45 is no longer high with a limit of 50
    assert checks.loc[checks["#"] == 6, "Result"].iloc[0] == "Pass"


def test_schedule_quality_bei_and_cpli_variants(loaded):
    at = run_app("50_schedule_quality.py")
    at.selectbox(key="dcma_cpli_variant").set_value("float").run()
    at.toggle(key="dcma_bei_early").set_value(False).run()
    at.selectbox(key="dcma_bei_variant").set_value("p6").run()
    assert not at.exception, at.exception
    s = at.session_state["settings"]
    assert (s.cpli_variant, s.bei_early_finishers, s.bei_variant) == ("float", False, "p6")
    checks = table(at, "Result")
    # P: CPLI with the smallest float (N, -3): (51 - 3) / 51 = 0.94; BEI: A completed and due,
    # A and X due (every task has a baseline, so P6 = DCMA here): 1 / 2 = 0.50
    assert checks.loc[checks["#"] == 13, "Value"].iloc[0] == "0.94"
    assert checks.loc[checks["#"] == 14, "Value"].iloc[0] == "0.50"


def test_schedule_quality_chinese(app_db):
    _load()
    at = AppTest.from_file(str(ROOT / "pages" / "50_schedule_quality.py"), default_timeout=60)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "进度计划质量"
    checks = table(at, "结果")
    assert checks["检查项"].iloc[0] == "逻辑关系" and "未通过" in set(checks["结果"])
