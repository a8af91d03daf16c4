"""The money formatter and the currency settings (expected strings written by hand)."""

from __future__ import annotations

import pytest

from pmo_analytics import formatting as fm
from pmo_analytics.errors import ConfigError
from pmo_analytics.settings import currency_code, from_env


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (31_945_000, "en", "CNY 31.9M"),
        (31_945_000, "zh", "CNY 3,194.5万"),  # 31,945,000 / 10,000 = 3,194.5
        (123_456_789, "zh", "CNY 1.23亿"),  # 亿 with two decimals
        (29_637_300, "en", "CNY 29.6M"),
        (12_345, "en", "CNY 12.3K"),
        (12_345, "zh", "CNY 1.2万"),
        (999, "en", "CNY 999"),
        (9_999, "zh", "CNY 9,999"),  # under 万: in full
        (-1_234_567, "en", "CNY -1.2M"),
        (2.5e9, "en", "CNY 2.5B"),
        (None, "en", "—"),
        (float("nan"), "zh", "—"),
        ("n/a", "en", "—"),
    ],
)
def test_money_compact(value, lang, expected):
    assert fm.money(value, "cny", lang) == expected


def test_money_variants():
    assert fm.money(31_945_000, "CNY", compact_units=False) == "CNY 31,945,000"
    assert fm.money(1234.5, "USD", compact_units=False, digits=2) == "USD 1,234.50"
    assert fm.money(31_945_000, "USD", symbol_=True) == "$31.9M"
    assert fm.money(-1_200_000, "EUR", symbol_=True) == "-€1.2M"
    assert fm.money(3087.5, "CNY", signed=True) == "CNY +3.1K"
    assert fm.money(0.2, "CNY", signed=True) == "CNY 0"
    assert fm.money(5000, None) == "5.0K"  # no currency: the amount alone
    assert fm.symbol("XYZ") == "XYZ "
    assert fm.hover_format("USD") == "USD %{y:,.0f}"
    assert fm.column_format("CNY") == "CNY %,.0f"


def test_currency_settings_from_the_environment(monkeypatch):
    monkeypatch.delenv("PMO_DEFAULT_CURRENCY", raising=False)
    monkeypatch.delenv("PMO_REPORTING_CURRENCY", raising=False)
    s = from_env()
    assert (s.default_currency, s.reporting_currency, s.fx_base) == ("CNY", "CNY", "CNY")
    monkeypatch.setenv("PMO_DEFAULT_CURRENCY", "usd")
    s = from_env()
    assert (s.default_currency, s.reporting_currency) == ("USD", "USD")  # reporting defaults to the default
    monkeypatch.setenv("PMO_REPORTING_CURRENCY", "EUR")
    s = from_env()
    assert (s.default_currency, s.reporting_currency, s.fx_base) == ("USD", "EUR", "EUR")
    monkeypatch.setenv("PMO_REPORTING_CURRENCY", "euro")
    with pytest.raises(ConfigError, match="PMO_REPORTING_CURRENCY"):
        from_env()
    assert currency_code(" hkd ") == "HKD" and currency_code(float("nan")) is None and currency_code("¥") is None
