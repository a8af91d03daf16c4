"""AppTest: the Schedule risk page, the project page's summary and the Gantt's criticality hover
on a small imported plan (A -> B, A -> C; the CLI test's plan)."""

from __future__ import annotations

import json
from datetime import date

from pmo_analytics.ingest import parse_bytes
from pmo_analytics.store import Store
from tests.conftest import run_app
from tests.helpers import plain, workbook_bytes
from tests.test_schedule_risk_cli import LINKS, PROJECTS, TASKS

RISKS = [
    [
        "Project ID",
        "Risk ID",
        "Risk",
        "Probability",
        "Impact cost",
        "Status",
        "Affected tasks",
        "Schedule impact (days)",
    ],
    ["P1", "R1", "Translator unavailable", "100%", 2000, "Open", "C", 8],
]


def _load(with_risk: bool = False) -> None:
    sheets = {"Projects": PROJECTS, "Tasks": TASKS, "Links": LINKS}
    if with_risk:
        sheets["Risks"] = RISKS
    Store().import_parsed(parse_bytes("plan.xlsx", workbook_bytes(sheets)), date(2025, 1, 3))


def test_schedule_risk_page_empty(app_db):
    at = run_app("47_schedule_risk.py")
    assert at.title[0].value == "Schedule risk"
    assert "No data yet" in at.info[0].value


def test_schedule_risk_page_known_answers(app_db):
    # every estimate equals the plan; the default band set to zero on the page: every run is the
    # CPM plan, finish Fri 24 Jan 2025 = the baseline finish (100 % on time)
    _load()
    at = run_app("47_schedule_risk.py", session_state={"srisk_iterations": 1000})
    at.number_input(key="srisk_low").set_value(0.0).run()
    at.number_input(key="srisk_high").set_value(0.0).run()
    assert not at.exception, [e.value for e in at.exception]
    vals = {m.label: m.value for m in at.metric}
    assert vals["CPM finish"] == vals["P50 finish"] == vals["P80 finish"] == vals["P90 finish"] == "2025-01-24"
    assert vals["On time"] == "100.0%"
    tasks = [plain(d.value) for d in at.dataframe if "Criticality index" in d.value.columns][0]
    assert dict(zip(tasks["Task ID"], tasks["Criticality index"], strict=True)) == {"A": 1.0, "B": 1.0, "C": 0.0}
    figs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(figs) == 2  # the histogram with its cumulative curve, the tornado
    assert {tr["type"] for tr in figs[0]["data"]} >= {"bar", "scatter"}


def test_schedule_risk_page_with_a_risk_and_in_chinese(app_db, monkeypatch):
    # a certain risk delays C by 8 working days: C (11 days from Mon 13 Jan) ends Mon 27 Jan
    _load(with_risk=True)
    at = run_app("47_schedule_risk.py", session_state={"srisk_iterations": 1000, "srisk_low": 0.0, "srisk_high": 0.0})
    vals = {m.label: m.value for m in at.metric}
    assert vals["P80 finish"] == "2025-01-27" and vals["On time"] == "0.0%"
    risks = [plain(d.value) for d in at.dataframe if "Schedule impact (days)" in d.value.columns]
    assert risks and list(risks[0]["Risk ID"]) == ["R1"]
    monkeypatch.setenv("PMO_LANG", "zh")
    at = run_app("47_schedule_risk.py", session_state={"srisk_iterations": 1000})
    assert at.title[0].value == "进度风险"
    assert "P80 完工" in {m.label for m in at.metric}


def test_gantt_shows_the_criticality_index(app_db):
    _load()
    at = run_app("40_gantt.py")
    at.toggle(key="gantt_criticality").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    hovers = [h for tr in fig["data"] for h in (tr.get("hovertext") or []) if isinstance(h, str)]
    assert any("Criticality index: 100%" in h for h in hovers) and any("Criticality index: 0%" in h for h in hovers)
    # bars shaded by the index: A and B critical in every run (the critical red), C in none
    colours = {tr.get("meta"): tr["marker"]["color"] for tr in fig["data"] if tr.get("meta") in ("task", "critical")}
    assert colours["critical"] == ["#d32f2f", "#d32f2f"] and colours["task"] == ["#5b8def"]


def test_project_page_summarises_the_schedule_risk(app_db, monkeypatch):
    # the organisation's band zero (environment): every run is the plan, finish Fri 24 Jan 2025
    monkeypatch.setenv("PMO_RISK_BAND_LOW", "0")
    monkeypatch.setenv("PMO_RISK_BAND_HIGH", "0")
    _load()
    at = run_app()
    at.query_params["id"] = "P1"
    at.switch_page("pages/15_project.py").run()
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(m.value for m in at.markdown)
    assert "**Schedule risk:** P50 2025-01-24 · P80 2025-01-24 · P90 2025-01-24" in text
    assert "chance of meeting the baseline finish: 100.0%" in text
    (link,) = [p for p in at.get("page_link") if "Schedule risk page" in p.proto.label]
    assert "schedule_risk" in link.proto.page and "id=P1" in link.proto.query_string
