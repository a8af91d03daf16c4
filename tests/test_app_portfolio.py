"""AppTest: the Portfolio page on the demo portfolio - KPIs, filters, status date, language."""

from __future__ import annotations

import pytest

from pmo_analytics.demo import build_demo
from pmo_analytics.store import Store, close_all
from tests.conftest import run_app
from tests.helpers import plain


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("portfolio") / "demo.duckdb"
    build_demo(Store(db))
    close_all()
    return db


@pytest.fixture
def app(demo_db, monkeypatch):
    monkeypatch.setenv("PMO_DB", str(demo_db))
    yield run_app(timeout=120)
    close_all()


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_kpis_and_health_table(app):
    # 12 demo projects, PRJ-108 is closed: 12 - 1 = 11 counted, the closed one named in the sidebar
    assert metric(app, "Projects") == "11"
    assert metric(app, "BAC") != "—" and metric(app, "CPI") != "—"
    health = plain(app.dataframe[0].value)
    assert len(health) == 11 and "PRJ-108" not in set(health["Project ID"])
    assert any("1 closed or cancelled project(s) left out: PRJ-108" in c.value for c in app.caption)
    # worst first: the first row is red (the health engine's overall RAG)
    assert health.iloc[0]["RAG"] == "Red"
    assert not app.error


def test_program_filter_narrows_everything(app):
    app.multiselect(key="f_program").select("Core Platform").run()
    assert not app.exception
    health = plain(app.dataframe[0].value)
    assert set(health["Program"]) == {"Core Platform"}
    assert metric(app, "Projects") == str(len(health))


def test_earlier_status_date(app):
    latest_ev = metric(app, "EV")
    app.selectbox(key="f_as_of").set_value("2026-08-31").run()
    assert not app.exception
    health = plain(app.dataframe[0].value)
    assert set(health["Status date"].astype(str).str[:10]) == {"2026-08-31"}
    assert metric(app, "EV") != latest_ev


def test_chinese_labels(app):
    app.selectbox(key="lang").set_value("zh").run()
    assert app.title[0].value == "项目组合"
    assert metric(app, "项目数") == "11"
    assert "红黄绿" in plain(app.dataframe[0].value).columns


def test_health_heatmap_and_matrix(app):
    """Cost, schedule, schedule quality and risk per project, sortable; the demo's late and
    over-budget project (PRJ-104) is red, and the quality scores are the Schedule Quality
    page's (share of applicable DCMA checks passed, 0-100)."""
    assert [c.proto.id for c in app.get("plotly_chart")] and not app.exception
    matrix = next(plain(d.value) for d in app.dataframe if "Schedule quality" in d.value.columns)
    assert len(matrix) == 11 and matrix["Project ID"].is_unique
    row = matrix.set_index("Project ID").loc["PRJ-104"]
    assert row["RAG"] == "Red" and row["CPI"] < 0.85  # the health engine's overall RAG
    assert matrix["Schedule quality"].between(0, 100).all()
    assert (matrix["Open high risks"] >= 0).all()
    app.selectbox(key="health_sort").set_value("quality_score").run()
    assert not app.exception
    by_quality = next(plain(d.value) for d in app.dataframe if "Schedule quality" in d.value.columns)
    assert by_quality["Schedule quality"].iloc[0] == by_quality["Schedule quality"].min()


def test_deltas_that_round_to_nothing_read_zero(app):
    """The demo's CPI moves by less than 0.005 between the last two status dates: its tile says
    "0.00", never "-0.00" with a red arrow."""
    deltas = {m.label: m.delta for m in app.metric}
    assert not any(str(d).startswith("-0.00") or str(d) == "-0" for d in deltas.values()), deltas
    assert deltas["CPI"] == "0.00"


def test_include_closed_toggle_counts_the_closed_project(app):
    """One toggle brings PRJ-108 (closed) back into every total: 11 + 1 = 12 projects, and the
    BAC tile changes (PRJ-108's budget is added)."""
    bac_without = metric(app, "BAC")
    app.toggle(key="f_include_closed").set_value(True).run()
    assert not app.exception
    health = plain(app.dataframe[0].value)
    assert metric(app, "Projects") == "12" and "PRJ-108" in set(health["Project ID"])
    assert metric(app, "BAC") != bac_without
    assert any("included: PRJ-108" in c.value for c in app.caption)
