"""AppTests of the Project page (``/project?id=PRJ-104``) on the demo portfolio, in English and
Chinese: reached by its URL id, an unknown id, no id; every section with values checked by hand
against the demo's data.

Hand checks (DuckDB over the demo's tasks of PRJ-104, 105 leaf tasks in the 2026-10-31
snapshot, the code under test not involved):
  SUM(actual_cost) = 548,190.39 -> AC "USD 548.2K"; SUM(bac x percent_complete) = 430,040 -> EV
  "USD 430.0K"; SUM(bac) = 601,900 -> BAC "USD 601.9K" (also the projects row's BAC);
  CPI = 430,040 / 548,190.39 = 0.7845 -> "0.78" (< 0.85: red);
  EAC = 601,900 / 0.7845 = 767,268 -> "USD 767.3K"; at 2026-09-30 AC 488,896.98 and EV 387,760
  give EAC 601,900 x 488,896.98 / 387,760 = 758,890, so EAC rose by 8,378 -> "+USD 8.4K".
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from pmo_analytics.demo import build_demo
from pmo_analytics.store import Store, close_all
from tests.conftest import ROOT, run_app
from tests.helpers import plain

PAGE = "15_project.py"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("project") / "demo.duckdb"
    build_demo(Store(db))
    close_all()
    return db


@pytest.fixture
def ro_db(demo_db, monkeypatch):
    monkeypatch.setenv("PMO_DB", str(demo_db))
    yield demo_db
    close_all()


@pytest.fixture
def rw_db(demo_db, tmp_path, monkeypatch):
    close_all()
    db = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, db)
    monkeypatch.setenv("PMO_DB", str(db))
    yield db
    close_all()


def open_project(project_id: str | None, lang: str = "en"):
    """The Project page with ``?id=project_id`` (no id when None), its script on its own (the
    shell's sidebar selectboxes format their options in the session language, which AppTest
    cannot re-evaluate after switch_page; test_app_earned_value.py does the same)."""
    at = AppTest.from_file(str(ROOT / "pages" / PAGE), default_timeout=180)
    at.session_state["lang"] = lang
    if project_id is not None:
        at.query_params["id"] = project_id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at, label: str):
    return next(m for m in at.metric if m.label == label)


def frame_with(at, column: str):
    """The first table with ``column``, read back as values (``helpers.plain``)."""
    return plain(next(d.value for d in at.dataframe if column in d.value.columns))


def texts(at, kind: str) -> list[str]:
    return [e.value for e in getattr(at, kind)]


def test_project_page_by_url_id_english(ro_db):
    at = open_project("PRJ-104")
    assert at.title[0].value == "Project"
    heads = texts(at, "subheader")
    assert heads[0] == "PRJ-104 · E-commerce Checkout Revamp"
    for section in (
        "Key figures",
        "Progress",
        "Milestones and slips",
        "Critical path",
        "Top risks",
        "Changes since the previous status date",
        "Manager's notes",
    ):
        assert section in heads, (section, heads)
    assert "Status: Active · Currency: USD · Status date: 2026-10-31" in texts(at, "caption")

    # RAG: the health engine's word and reasons (CPI 0.78 < 0.85 is red), in a red box
    (box,) = texts(at, "error")
    assert box.startswith("**Overall: ● Red** — Why: ")  # a shape and a word, never colour alone
    assert "CPI 0.78 < 0.85" in box and "3 milestones slipped" in box and "SPI(t) 0.86 < 0.95" in box
    assert "Flags: schedule quality 46% < 70%" in texts(at, "caption")

    # KPIs with the project's currency (hand sums in the module docstring)
    assert metric(at, "BAC").value == "USD 601.9K"
    assert metric(at, "EV").value == "USD 430.0K"
    assert metric(at, "AC").value == "USD 548.2K"
    assert metric(at, "CPI").value == "0.78"
    eac = metric(at, "EAC")
    assert eac.value == "USD 767.3K" and eac.delta == "+USD 8.4K"
    assert eac.proto.color == Metric.MetricColor.RED  # inverse: EAC up is bad
    assert len(at.get("plotly_chart")) == 2  # S-curve and index trend

    # milestones: 8 in the plan; late = not achieved with slip > 0 (127 Project closed +49,
    # 120 Go-live +46, 106 Testing complete +39); slipped since 2026-09-30 = slip change > 0
    # (+19, +17, +15 and Build complete +9); achieved 5 (8 - 3 open)
    assert "8 milestones · 3 late · 4 slipped since the last status date · 5 achieved" in texts(at, "caption")
    ms = frame_with(at, "Milestone")
    assert ms["Milestone"].iloc[0] == "Project closed" and ms["Slip (working days)"].iloc[0] == 49

    # critical path: CPM finish 2027-04-06 against the baseline finish 2027-02-05:
    # Feb 5 -> Mar 5 = 28 days, -> Apr 5 = 59, -> Apr 6 = 60
    assert "Critical path finish 2027-04-06 against the baseline finish 2027-02-05: +60 days" in texts(at, "markdown")
    crit = frame_with(at, "Early start")
    assert (crit["% complete"] < 1).all() and len(crit) > 0

    # top risks: open threats by exposure: RSK-020 0.3 x 31,000 = 9,300 before RSK-022 0.3 x 25,000 = 7,500
    risks = frame_with(at, "EMV")
    assert risks["Risk ID"].tolist()[:2] == ["RSK-020", "RSK-022"]
    assert risks["EMV"].tolist()[:2] == [9300.0, 7500.0]

    # changes between the last two status dates
    assert "2026-09-30 → 2026-10-31" in texts(at, "caption")
    assert metric(at, "Dates moved").value == "92"
    assert "No note yet. Notes are written on the Status report page." in texts(at, "caption")


def test_project_page_rag_is_the_status_reports(ro_db):
    """One health decision: the Project page says what the Status report's overview says."""
    report = run_app("85_status_report.py", timeout=180)
    overview = frame_with(report, "Why")
    rag = dict(zip(overview["Project ID"], overview["RAG"], strict=True))
    for pid in ("PRJ-104", "PRJ-107"):
        at = open_project(pid)
        box = (texts(at, "error") + texts(at, "warning") + texts(at, "success"))[0]
        assert box.startswith("**Overall: ") and f" {rag[pid]}**" in box, (pid, box, rag[pid])


def test_project_page_in_chinese(ro_db):
    at = open_project("PRJ-104", lang="zh")
    assert at.title[0].value == "项目"
    heads = texts(at, "subheader")
    for section in (
        "关键指标",
        "进度与成本",
        "里程碑与延误",
        "关键路径",
        "主要风险",
        "较上一状态日期的变更",
        "项目经理备注",
    ):
        assert section in heads, (section, heads)
    # the file's "Active" shown as 进行中 (translated at the edge)
    assert "状态：进行中 · 币种：USD · 状态日期：2026-10-31" in texts(at, "caption")
    (box,) = texts(at, "error")
    assert box.startswith("**总体：● 红** — 原因：") and "3 个里程碑延误" in box
    # 601,900 = 60.19 万 -> "60.2万"
    assert metric(at, "完工预算 BAC").value == "USD 60.2万"
    risks = frame_with(at, "风险编号")
    assert set(risks["状态"]) == {"未关闭"} and set(risks["等级"]) == {"中"}  # Open, medium


def test_unknown_id_says_so_escaped_and_offers_the_picker(ro_db):
    at = open_project("<b>PRJ-999</b>")
    (warning,) = texts(at, "warning")
    assert warning == r"No project with the id “\<b\>PRJ-999\</b\>”. Choose one below."
    assert texts(at, "info") == ["Choose a project to see its story."]
    picker = at.selectbox[-1]
    assert picker.value is None and picker.placeholder == "Choose a project"
    assert len(picker.options) == 12  # every demo project, the closed PRJ-108 included
    zh = open_project("PRJ-999", lang="zh")
    assert texts(zh, "warning") == ["没有编号为“PRJ-999”的项目。请在下方选择。"]


def test_no_id_then_picking_a_project_puts_it_in_the_url(ro_db):
    at = open_project(None)
    assert not at.warning and texts(at, "info") == ["Choose a project to see its story."]
    at.selectbox[-1].select("PRJ-107").run()
    assert at.query_params["id"] == "PRJ-107"
    assert texts(at, "subheader")[0] == "PRJ-107 · Cloud Migration"


def test_id_matches_ignoring_case_and_blanks(ro_db):
    at = open_project(" prj-104 ")
    assert not at.warning and texts(at, "subheader")[0].startswith("PRJ-104 ·")


def test_closed_project_opens_by_url(ro_db):
    at = open_project("PRJ-108")
    assert texts(at, "subheader")[0] == r"PRJ-108 · Identity \& Access Management"  # escaped for Markdown
    assert any(c.startswith("Status: Closed ·") for c in texts(at, "caption"))


def test_manager_notes_show_as_text_newest_first(rw_db):
    hostile = "**bold** <script>x</script> [link](http://127.0.0.1:9)"
    s = Store(rw_db)
    s.save_note("PRJ-104", date(2026, 9, 30), "September note", "Ann")
    s.save_note("PRJ-104", date(2026, 10, 31), hostile, "Bo")
    s.save_note("PRJ-101", date(2026, 10, 31), "another project's note", "Cy")
    close_all()
    at = open_project("PRJ-104")
    shown = [t.value for t in at.text]
    assert shown[:2] == [hostile, "September note"]  # st.text: never Markdown
    assert "another project's note" not in shown
    assert "2026-10-31 · Bo" in texts(at, "caption")


def test_a_link_can_carry_the_language_into_a_new_tab(ro_db):
    """``project?id=PRJ-104&lang=zh`` opens a new session in Chinese (a table link opens a new
    tab: a new session, which would otherwise start in PMO_LANG)."""
    at = AppTest.from_file(str(ROOT / "pages" / PAGE), default_timeout=180)
    at.query_params["id"] = "PRJ-104"
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception and at.title[0].value == "项目" and at.session_state["lang"] == "zh"


def test_no_id_opens_the_one_project_the_sidebar_narrows_to(ro_db):
    at = AppTest.from_file(str(ROOT / "pages" / PAGE), default_timeout=180)
    at.session_state["lang"] = "en"
    at.session_state["f_project"] = ["PRJ-110"]
    at.run()
    assert not at.exception and texts(at, "warning")[0].startswith("**Overall: ▲ Amber**")  # no "unknown id"
    assert texts(at, "subheader")[0] == "PRJ-110 · HR Onboarding Redesign" and at.query_params["id"] == "PRJ-110"
