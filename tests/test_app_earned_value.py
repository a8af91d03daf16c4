"""AppTest: the Earned value page (S-curve, trend, reading, metrics table, settings)."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from pmo_analytics.ingest import parse_bytes
from pmo_analytics.store import Store
from tests.conftest import ROOT, run_app
from tests.helpers import plain, template_bytes

PAGE = "30_earned_value.py"


def _load() -> None:
    # P1: Design Jan 6-17 (400, done), Build Jan 20-31 (600, 50 %); P2: Plan Jan 6-10 (2000, done)
    Store().import_parsed(parse_bytes("portfolio.xlsx", template_bytes()), date(2025, 1, 24))


@pytest.fixture
def loaded(app_db):
    _load()
    return run_app(PAGE)


def metrics_table(at):
    (df,) = [d for d in at.dataframe if "Project ID" in d.value.columns]
    return plain(df.value)


def test_empty_database(app_db):
    at = run_app(PAGE)
    assert at.title[0].value == "Earned value"
    assert "No data yet" in at.info[0].value


def test_portfolio_view(loaded):
    at = loaded
    table = metrics_table(at)
    # headers are readable labels; P1 PV 400 + 600*5/10 = 700, EV 400 + 300 = 700; P2 PV = EV = 2000
    assert table["Project ID"].tolist() == ["P1", "P2"]
    assert table["PV"].tolist() == pytest.approx([700, 2000])
    assert table["EV"].tolist() == pytest.approx([700, 2000])
    assert table["SPI(t)"].tolist() == pytest.approx([1.0, 1.0])
    # the portfolio reading: EV 2700 = PV 2700, CPI 2700/2500 = 1.08
    assert "each 1.00 spent earned 1.08" in at.info[0].value
    charts = at.get("plotly_chart")
    assert len(charts) == 2
    assert len(at.get("download_button")) == 2


def test_project_scope(loaded):
    at = loaded
    at.selectbox(key="evm_scope").set_value("P2").run()
    assert not at.exception
    assert "Finished on 2025-01-10" in at.info[0].value
    assert at.metric[2].value == "1.00"  # SPI(t): ES 1 / AT 1 (the clock stopped at its finish)


def test_chinese(app_db):
    # the page script on its own (the shell's sidebar selectboxes format their options with the
    # session language, which AppTest cannot re-evaluate after switch_page)
    _load()
    at = AppTest.from_file(str(ROOT / "pages" / PAGE), default_timeout=60)
    at.session_state["lang"] = "zh"
    at.session_state["evm_scope"] = "P2"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "挣值分析"
    assert "已于 2025-01-10 完成" in at.info[0].value


def test_settings_apply_to_the_session(loaded):
    at = loaded
    at.selectbox(key="evm_period").set_value("M").run()
    at.selectbox(key="evm_ev_method").set_value("0/100").run()
    assert not at.exception
    s = at.session_state["settings"]
    assert (s.period, s.ev_method) == ("M", "0/100")
    table = metrics_table(at)
    # 0/100: P1 earns only the finished Design task (400)
    assert table["EV"].tolist() == pytest.approx([400, 2000])
    assert set(table["Period"]) == {"M"}
    at.text_area(key="evm_holidays").set_value("2025-01-20\nnot-a-date").run()
    assert any("not-a-date" in w.value for w in at.warning)
    assert at.session_state["settings"].holidays == (date(2025, 1, 20),)


def test_settings_carry_to_the_portfolio_page(loaded):
    at = loaded
    at.selectbox(key="evm_ev_method").set_value("0/100").run()
    at.switch_page("pages/10_portfolio.py").run()
    assert not at.exception, [e.value for e in at.exception]
    ev = next(m for m in at.metric if m.label == "EV")
    # 0/100: P1 earns its finished Design task only (400), P2 is finished (2000); physical would be 2700
    assert ev.value == "CNY 2.4K"  # compact, in the default currency (the help has CNY 2,400)
    assert ev.help.startswith("CNY 2,400 ")
    at.switch_page("pages/30_earned_value.py").run()
    assert at.selectbox(key="evm_ev_method").value == "0/100"  # the widget shows the session setting
