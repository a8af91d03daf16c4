"""AppTest: the Portfolio page's money, in the reporting currency or per currency with a warning,
on the two-currency portfolio of test_fx.py (hand-computed values there) and on the demo."""

from __future__ import annotations

from datetime import date

import pytest

from pmo_analytics.importing import parse_upload
from pmo_analytics.store import Store, close_all
from tests.conftest import run_app
from tests.helpers import plain
from tests.test_fx import RATES_CSV, _portfolio_file


def _load(db, *, with_eur: bool = False, rates: bool = True) -> None:
    s = Store(db)
    s.import_parsed(parse_upload("p.xlsx", _portfolio_file(with_eur)), "2026-02-28")
    if rates:
        s.import_parsed(parse_upload("rates.csv", RATES_CSV.encode()), "2026-02-28")
    close_all()


def fx_warnings(at) -> list[str]:
    """The exchange-rate warnings (not the sidebar's open-mode marker)."""
    return [w.value for w in at.warning if w.icon == ":material/currency_exchange:"]


def metric(at, label: str):
    return [m for m in at.metric if m.label == label]


def test_portfolio_tiles_in_the_reporting_currency(app_db):
    _load(app_db)
    at = run_app()
    [bac] = metric(at, "BAC")
    [ev] = metric(at, "EV")
    [cpi] = metric(at, "CPI")
    # February, USD at 7.5: BAC 1,000 * 7.5 + 10,000 = 17,500; EV 675 * 7.5 + 8,100 = 13,162.5;
    # CPI 13,162.5 / 15,750 = 0.84 (test_fx.test_portfolio_rollup_converts_each_date_at_its_own_rate)
    assert bac.value == "CNY 17.5K" and bac.help.startswith("CNY 17,500 ")
    assert ev.value == "CNY 13.2K" and ev.help.startswith("CNY 13,162 ")  # 13,162.5 rounds half to even
    assert cpi.value == "0.84"
    # the change since January at January's rate: EV 13,162.5 - 10,075 = +3,087.5 -> "+CNY 3.1K"
    # (the sign leads: Streamlit points the delta arrow by the first character)
    assert ev.delta == "+CNY 3.1K"
    assert not fx_warnings(at)
    assert any("CNY" in c.value and "2026-02-28" in c.value for c in at.caption)
    # the health table shows each project's amounts beside its own currency
    health = plain(at.dataframe[0].value)
    assert dict(zip(health["Project ID"], health["Currency"], strict=True)) == {"P-USD": "USD", "P-CNY": "CNY"}


def test_reporting_currency_chosen_in_the_sidebar(app_db):
    _load(app_db)
    at = run_app()
    at.selectbox(key="f_reporting_currency").set_value("USD").run()
    assert not at.exception
    [bac] = metric(at, "BAC")
    # BAC 1,000 + 10,000 / 7.5 = 2,333.33 dollars
    assert bac.value == "USD 2.3K" and bac.help.startswith("USD 2,333 ")
    close_all()
    zh = run_app(session_state={"lang": "zh", "f_reporting_currency": "USD"})
    [bac_zh] = metric(zh, "完工预算 BAC")
    assert bac_zh.value == "USD 2,333"  # under 10,000: written in full in Chinese (万 from 10,000)


def test_missing_rate_warns_and_totals_per_currency(app_db):
    _load(app_db, with_eur=True)
    at = run_app()
    assert not at.exception
    warnings = fx_warnings(at)
    assert len(warnings) == 1 and "EUR" in warnings[0] and "CNY" in warnings[0] and "2026-02-28" in warnings[0]
    bacs = [m.value for m in metric(at, "BAC")]
    # one row of tiles per currency, never added up: CNY 10,000; EUR 2,000; USD 1,000
    assert bacs == ["CNY 10.0K", "EUR 2.0K", "USD 1.0K"]
    assert [m.value for m in metric(at, "CPI")] == ["0.90", "1.00", "0.75"]  # 8,100/9,000; 1,800/1,800; 675/900
    assert metric(at, "Projects")[0].value == "3"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from pmo_analytics.demo import build_demo

    db = tmp_path_factory.mktemp("money_demo") / "demo.duckdb"
    build_demo(Store(db))
    close_all()
    return db


def test_demo_converts(demo_db, monkeypatch):
    monkeypatch.setenv("PMO_DB", str(demo_db))
    try:
        at = run_app(timeout=120)
        assert not fx_warnings(at)
        [bac] = metric(at, "BAC")
        # ten CNY projects plus PRJ-104 and PRJ-107 in USD at 7.09 (valid from 2026-10-01): the demo's
        # BAC is no longer the plain sum 29,637,300 of yuan and dollars
        assert bac.value.startswith("CNY ") and bac.value != "CNY 29.6M"
    finally:
        close_all()


def test_generated_portfolio_page_agrees_with_the_oracle(app_db):
    from pmo_analytics.formatting import money
    from tests.test_fx import GEN_DATES, _expected, _generated_store

    by_ccy, rows = _generated_store(app_db)
    exp = _expected(by_ccy, rows, GEN_DATES[-1])
    at = run_app()
    [bac] = metric(at, "BAC")
    [ac] = metric(at, "AC")
    assert bac.help.startswith(money(exp["bac"], "CNY", compact_units=False) + " ")
    assert ac.help.startswith(money(exp["ac"], "CNY", compact_units=False) + " ")
    assert metric(at, "CPI")[0].value == f"{exp['ev'] / exp['ac']:.2f}"


def test_rates_file_through_the_import_page(app_db):
    from tests.test_fx import RATES_CSV_ZH

    at = run_app()
    at.switch_page("pages/20_import.py").run()
    at.file_uploader[0].set_value(("汇率.csv", RATES_CSV_ZH.encode("utf-8"), "text/csv")).run()
    assert not at.exception, at.exception
    assert "Detected: Exchange rates" in " ".join(m.value for m in at.markdown)
    at.date_input[0].set_value(date(2026, 3, 31)).run()  # a rates file carries no status date: chosen
    [b for b in at.button if b.label.startswith("Load 2 valid rows")][0].click().run()
    assert not at.exception, at.exception
    close_all()
    rates = Store(app_db).table("fx_rates")
    # 币种 / 汇率 / 生效日期 / 本位币 read as currency / rate / valid_from / base
    assert sorted(zip(rates["currency"], rates["rate"], rates["base"], strict=True)) == [
        ("USD", 7.0, "CNY"),
        ("USD", 7.5, "CNY"),
    ]
    assert [str(d)[:10] for d in sorted(rates["valid_from"])] == ["2026-01-01", "2026-02-01"]


def test_earned_value_page_portfolio_in_the_reporting_currency(app_db):
    _load(app_db)
    at = run_app()
    at.switch_page("pages/30_earned_value.py").run()
    assert not at.exception, at.exception
    tiles = {m.label: m.value for m in at.metric}
    # February: EAC = BAC / CPI = 17,500 / (13,162.5 / 15,750) = 20,940.17; VAC = 17,500 - 20,940.17 = -3,440.17
    assert tiles["EAC"] == "CNY 20.9K" and tiles["VAC"] == "CNY -3.4K"
    assert tiles["CPI"] == "0.84"
    table = next(plain(d.value) for d in at.dataframe if "Currency" in d.value.columns)
    assert set(zip(table["Project ID"], table["Currency"], strict=True)) == {("P-USD", "USD"), ("P-CNY", "CNY")}
