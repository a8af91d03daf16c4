"""AppTest for the Burn, Risk and Resources pages on a small hand-built database.

Plotly selection events cannot be produced by AppTest (a plotly chart is not a settable
widget there), so the Risk page keeps the selected cells as plain session state
(``risk_cells``) that the chart's on_select callback fills; the tests set that state the way
the callback would, check the register is filtered, then press Clear. The event -> cells
step itself is tested in tests/test_risk.py on an event built from the figure's own points.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pmo_analytics import i18n
from pmo_analytics.ingest.base import ParsedUpload
from pmo_analytics.ingest.validate import typed_frame
from pmo_analytics.schema import TABLES
from tests.conftest import APP, ROOT
from tests.helpers import plain

pytestmark = pytest.mark.filterwarnings("ignore")


def _upload(store, name: str, status: date, tables: dict[str, dict]) -> None:
    frames = {t: typed_frame(t, cols) for t, cols in tables.items()}
    store.import_parsed(ParsedUpload(source_name=name, source_format="test", sha256=name, tables=frames), status)


PROJECTS = {
    "project_id": ["P1", "P2"],
    "name": ["Alpha", "Beta"],
    "bac": [1_000_000.0, None],
    "department": ["IT", "Ops"],
}
WORK_ITEMS = {
    "project_id": ["P1"] * 6,
    "key": ["C-1", "C-2", "C-3", "C-4", "C-5", "C-6"],
    "story_points": [3.0, 5.0, 8.0, 2.0, 5.0, 3.0],
    "sprints": [["S1"], ["S1"], ["S1", "S2"], ["S2"], ["S3"], ["S2", "S3"]],
    "status_category": ["Done", "Done", "Done", "Done", "In Progress", "To Do"],
    "created": [date(2023, 12, 20)] * 3 + [date(2024, 1, 20), date(2024, 1, 29), date(2023, 12, 20)],
    "resolved": [date(2024, 1, 12), date(2024, 1, 14), date(2024, 1, 25), date(2024, 1, 28), None, None],
}
RISKS = {
    "project_id": ["P1", "P1", "P1", "P1", "P2", "P2"],
    "risk_id": ["R1", "R2", "R3", "R4", "R5", "R6"],
    "title": ["Vendor late", "Key person leaves", "Cheaper licence", "Old risk", "Site access", "Permit"],
    "category": ["Supplier", "People", "Commercial", "Supplier", "Site", "Legal"],
    "probability": [0.5, 0.2, 0.6, 0.9, 0.8, None],
    "impact_cost": [100_000.0, 40_000.0, -30_000.0, 500_000.0, 200_000.0, None],
    "probability_score": [3, None, None, None, None, 3],
    "impact_score": [4, None, None, None, None, 4],
    "owner": ["Ann", "", "Bo", "Cy", None, "Di"],
    "status": ["Open", "Open", "open", "Closed", None, "In progress"],
    "due_date": [date(2024, 2, 1), date(2024, 3, 15), None, date(2023, 1, 1), date(2024, 2, 29), None],
}
ASSIGNMENTS = {
    "person": ["Ann", "Ann", "Ann", "Bob", "Bob", "Cy", "Cy"],
    "department": ["Eng", "Eng", "Eng", "Eng", "Eng", "Ops", "Ops"],
    "project_id": ["P1", "P2", "P1", "P1", "P1", "P2", "P2"],
    "week_start": [
        date(2024, 3, 4),
        date(2024, 3, 4),
        date(2024, 3, 11),
        date(2024, 3, 6),
        date(2024, 3, 11),
        date(2024, 3, 4),
        date(2024, 3, 11),
    ],
    "planned_hours": [24.0, 24.0, 30.0, 20.0, 10.0, 45.0, 5.0],
    "capacity_hours": [40.0, 40.0, 40.0, 40.0, None, 40.0, 0.0],
}
TASKS = {
    "project_id": ["P1"],
    "task_id": ["1"],
    "name": ["Build"],
    "start": [date(2024, 3, 4)],
    "finish": [date(2024, 3, 8)],
    "baseline_start": [date(2024, 3, 4)],
    "baseline_finish": [date(2024, 3, 8)],
    "bac": [1000.0],
    "actual_cost": [700.0],
    "percent_complete": [0.5],
}


@pytest.fixture(scope="module")
def views_db(tmp_path_factory):
    from pmo_analytics import store as store_mod

    db = tmp_path_factory.mktemp("views") / "views.duckdb"
    s = store_mod.Store(db)
    _upload(s, "projects.xlsx", date(2024, 3, 6), {"projects": PROJECTS})
    _upload(s, "jira.xml", date(2024, 2, 5), {"work_items": WORK_ITEMS})
    _upload(s, "risks.xlsx", date(2024, 3, 1), {"risks": RISKS})
    _upload(s, "plan.xlsx", date(2024, 3, 6), {"assignments": ASSIGNMENTS, "tasks": TASKS})
    store_mod.close_all()
    yield db
    store_mod.close_all()


@pytest.fixture
def page(views_db, monkeypatch):
    """Run the app, switch to a page; returns the AppTest."""
    monkeypatch.setenv("PMO_DB", str(views_db))

    def open_(name: str, state: dict | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        for k, v in (state or {}).items():
            at.session_state[k] = v
        at.run()
        at.switch_page(f"pages/{name}").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_


def L(column: str, lang: str = "en") -> str:
    """The header the page shows for a column (the same rule as ``ui.label``)."""
    if i18n.has(f"col.{column}"):
        return i18n.t(f"col.{column}", lang)
    for table in TABLES.values():
        for c in table.columns:
            if c.name == column:
                return c.label_zh if lang == "zh" else c.label_en
    return column


def frame(at: AppTest, first_column: str, contains: str | None = None) -> pd.DataFrame:
    """The n-th dataframe shown whose first column is ``first_column`` (and has ``contains``)."""
    for d in at.dataframe:
        v = plain(d.value)
        if len(v.columns) and v.columns[0] == first_column and (contains is None or contains in v.columns):
            return v
    raise AssertionError(f"no table starting with {first_column!r} / {contains!r}")


# ------------------------------------------------------------------ Burn
def test_burn_page_sprint_velocity_forecast_and_cost(page):
    at = page("60_burn.py")
    assert at.title[0].value == "Burn"
    assert at.selectbox(key="burn_project").value == "P1"
    # S3 started 01-29, before the status date 02-05 -> the default sprint
    assert at.selectbox(key="burn_sprint").value == "S3"
    down = frame(at, L("date"), L("remaining"))
    # S3 window 01-29..02-11 (derived: 14 days); committed 8 (C-5 5 + C-6 3); nothing done; unknown after 02-05
    assert len(down) == 14 and down[L("remaining")].iloc[0] == 8 and down[L("remaining")].iloc[7] == 8
    assert down[L("remaining")].iloc[8:].isna().all()
    vel = frame(at, L("project_id"), L("committed"))
    assert vel[L("completed_points")].tolist() == [8, 10, 0] and vel[L("committed")].tolist() == [16, 11, 8]
    # remaining backlog 8 points, closed velocities 8 and 10 -> one sprint from 01-29: done 02-11 at P50 and P85
    text = " ".join(m.value for m in at.markdown)
    assert "Remaining backlog 8 points: P50 2024-02-11, P85 2024-02-11" in text
    at.selectbox(key="burn_sprint").set_value("S1").run()
    assert not at.exception
    down = frame(at, L("date"), L("remaining"))
    assert down[L("remaining")].iloc[0] == 16 and down[L("remaining")].iloc[-1] == 8  # 16 committed, 8 done in S1


def test_burn_page_cost_burn(page):
    at = page("60_burn.py")
    at.selectbox(key="burn_project").set_value("P1").run()
    cost = frame(at, L("project_id"), L("source"))
    row = cost[cost[L("date")] == pd.Timestamp("2024-03-06")].iloc[0]
    # 1000 over Mon..Fri, Wednesday = 3 days -> PV 600; AC 700; EV 500
    assert (row[L("pv")], row[L("ac")], row[L("ev")]) == (600, 700, 500)


def test_burn_page_empty_database(app_db):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("pages/60_burn.py").run()
    assert not at.exception
    assert any("No data yet" in i.value for i in at.info)


# ------------------------------------------------------------------ Risk
def test_risk_page_selection_filters_register_and_clears(page):
    at = page("70_risk.py")
    reg = frame(at, L("project_id"), L("title"))
    assert len(reg) == 6 and at.button(key="risk_clear").disabled
    # what the chart's on_select callback stores for a click on probability 3 x impact 4
    at.session_state["risk_cells"] = [(3, 4)]
    at.run()
    assert not at.exception
    reg = frame(at, L("project_id"), L("title"))
    assert reg[L("risk_id")].tolist() == ["R1", "R6"]  # the two open threats in that cell, EMV first
    assert any("Showing the risks in P3 × I4." in m.value for m in at.markdown)
    at.button(key="risk_clear").click().run()
    assert not at.exception
    assert at.session_state["risk_cells"] == [] and at.session_state["risk_heatmap_nonce"] == 1
    assert len(frame(at, L("project_id"), L("title"))) == 6


def _select_on_heatmap(at: AppTest, points: list[dict]) -> AppTest:
    """Rerun as the browser does after a plotly selection on the heatmap: the chart widget's
    new value (the selection event, JSON) in the widget states, so the page's real on_select
    callback runs. AppTest has no plotly interaction, hence its internal run with explicit
    widget states (the real click is also covered in tests/e2e/test_views_e2e.py)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    chart = next(c for c in at.get("plotly_chart") if "-risk_heatmap_" in c.proto.id)
    states = at._tree.get_widget_states()
    w = WidgetState(id=chart.proto.id)
    w.string_value = json.dumps({"selection": {"points": points, "point_indices": [], "box": [], "lasso": []}})
    states.widgets.append(w)
    return at._run(states)


def test_risk_page_selection_event_runs_the_callback(page):
    at = page("70_risk.py")
    # a click on the cell probability 3 x impact 4: the point carries [p, i, count, score, EMV]
    at = _select_on_heatmap(at, [{"customdata": [3, 4, 2, 12, 50_000], "x": 4, "y": 3}])
    assert not at.exception
    assert at.session_state["risk_cells"] == [(3, 4)]
    assert frame(at, L("project_id"), L("title"))[L("risk_id")].tolist() == ["R1", "R6"]
    # a box over two cells (points without customdata are read from x/y)
    at = _select_on_heatmap(at, [{"customdata": [3, 4, 2, 12, 50_000]}, {"x": 5, "y": 4}])
    assert at.session_state["risk_cells"] == [(3, 4), (4, 5)]
    assert any("Showing the risks in P3 × I4, P4 × I5." in m.value for m in at.markdown)
    at.button(key="risk_clear").click().run()
    assert at.session_state["risk_cells"] == [] and len(frame(at, L("project_id"), L("title"))) == 6


def test_risk_page_lists(page):
    at = page("70_risk.py")
    exp = frame(at, L("project_id"), L("threat_emv"))
    # P2: 0.8 x 200,000 = 160,000 ; P1: 50,000 + 8,000 = 58,000 ; P1 opportunity -18,000 apart
    assert exp[L("threat_emv")].tolist() == [160_000, 58_000] and exp[L("opportunity_emv")].tolist() == [0, -18_000]
    overdue = frame(at, L("project_id"), L("days_overdue"))
    assert overdue[L("risk_id")].tolist() == ["R1", "R5"] and overdue[L("days_overdue")].tolist() == [29, 1]
    subs = [s.value for s in at.subheader]
    assert "Top 10 risks by EMV" in subs and "Opportunities" in subs and "Risk-adjusted forecast" in subs
    adjusted = frame(at, L("project_id"), L("eac_risk_adjusted"))
    # P1: EAC = BAC / CPI = 1000 / (500 / 700) = 1400 ; + open threat EMV 58,000 = 59,400
    assert adjusted.set_index(L("project_id")).loc["P1", L("eac_risk_adjusted")] == pytest.approx(59_400)


def test_risk_page_by_category(page):
    at = page("70_risk.py")
    at.radio(key="risk_exposure_by").set_value("category").run()
    assert not at.exception
    exp = frame(at, L("category"), L("threat_emv"))
    assert exp.set_index(L("category")).loc["Site", L("threat_emv")] == 160_000


def test_risk_page_in_chinese(views_db, monkeypatch):
    monkeypatch.setenv("PMO_DB", str(views_db))
    at = AppTest.from_file(str(ROOT / "pages" / "70_risk.py"), default_timeout=60)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "风险"
    assert "风险登记册" in [s.value for s in at.subheader]


# ------------------------------------------------------------------ Resources
def test_resources_page(page):
    at = page("80_resources.py")
    pw = frame(at, L("person"), L("utilisation")).set_index([L("person"), L("week_start")])
    # Ann 03-04: (24 + 24) / 40 = 1.2 and over-allocated; Bob 03-11: capacity unknown -> empty
    assert pw.loc[("Ann", pd.Timestamp("2024-03-04")), L("utilisation")] == 1.2
    assert pw.loc[("Ann", pd.Timestamp("2024-03-04")), L("over")]
    assert pd.isna(pw.loc[("Bob", pd.Timestamp("2024-03-11")), L("utilisation")])
    over = frame(at, L("person"), L("excess_hours"))
    assert over[L("person")].tolist() == ["Ann"] and over[L("excess_hours")].tolist() == [8]
    cvd = frame(at, L("department"), L("demand_hours"))
    assert len(cvd) == 2 * 12  # two departments x 12 weeks from the status date's Monday
    at.slider(key="res_weeks").set_value(4).run()
    assert len(frame(at, L("department"), L("demand_hours"))) == 8


def test_resources_page_project_filter_keeps_whole_load(page):
    at = page("80_resources.py", state={"f_project": ["P2"]})
    pw = frame(at, L("person"), L("utilisation"))
    # P2 people: Ann and Cy; Ann's P1 hours still count (48 h in the week of 03-04)
    assert sorted(pw[L("person")].unique()) == ["Ann", "Cy"]
    assert (
        pw.set_index([L("person"), L("week_start")]).loc[("Ann", pd.Timestamp("2024-03-04")), L("planned_hours")] == 48
    )


def test_resources_page_in_chinese(views_db, monkeypatch):
    monkeypatch.setenv("PMO_DB", str(views_db))
    at = AppTest.from_file(str(ROOT / "pages" / "80_resources.py"), default_timeout=60)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "资源"
    assert frame(at, L("person", "zh"), L("utilisation", "zh")) is not None
