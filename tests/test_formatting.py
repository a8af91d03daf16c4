"""The money formatter and the currency settings (expected strings written by hand)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
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
    assert fm.money(3087.5, "CNY", signed=True) == "+CNY 3.1K"
    assert fm.money(-97_368, "CNY", signed=True) == "-CNY 97.4K"  # the sign leads: Streamlit's arrow reads it
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


# ---------------------------------------------------------------- one formatter per kind
@pytest.mark.parametrize(
    ("kind", "value", "lang", "expected"),
    [
        ("hours", 1234.5, "en", "1,234.5 h"),
        ("hours", 1234.5, "zh", "1,234.5 小时"),
        ("hours", 7.25, "en", "7.2 h"),  # one decimal (7.25 rounds half to even: 7.2)
        ("points", 29.0, "en", "29"),  # the "29.000000" of the issue
        ("points", 2.5, "zh", "2.5"),
        ("points", 1234.0, "en", "1,234"),
        ("percent", 0.838, "en", "83.8%"),  # probability "0.838000"
        ("percent", 0.8, "zh", "80.0%"),  # one decimal beside 83.3%, never "80 %" next to "83.33 %"
        ("percent", 0.83333, "en", "83.3%"),
        ("percent100", 46.0, "en", "46.0%"),  # DCMA values are on a 0..100 scale
        ("index", 0.96618, "en", "0.97"),
        ("index", 1.0, "zh", "1.00"),
        ("days", 12, "en", "12 days"),
        ("days", 1, "en", "1 day"),
        ("days", 12, "zh", "12 天"),
        ("days", -3.4, "en", "-3 days"),
        ("periods", 7.6667, "en", "7.7"),
        ("count", 1234, "zh", "1,234"),
        ("score", 69.4, "en", "69"),
        ("number", 2829954.4993, "en", "2,829,954.50"),  # never "2829954.4993"
        ("money", 2580354.499, "en", "CNY 2.6M"),
        ("money", 2580354.499, "zh", "CNY 258.0万"),  # 2,580,354.499 / 10,000 = 258.04
        ("date", pd.Timestamp("2026-01-05"), "en", "2026-01-05"),
        ("date", pd.Timestamp("2026-01-05 14:30"), "zh", "2026-01-05 14:30"),
        ("date", date(2027, 2, 15), "en", "2027-02-15"),
        ("text", "Ann", "en", "Ann"),
        # the same kinds in Chinese sessions (units in Chinese; numbers, percent and dates as in English)
        ("percent100", 46.0, "zh", "46.0%"),
        ("periods", 7.6667, "zh", "7.7"),
        ("count", 1234, "en", "1,234"),
        ("score", 69.4, "zh", "69"),
        ("number", 2829954.4993, "zh", "2,829,954.50"),
        ("datetime", pd.Timestamp("2026-10-31 09:05"), "zh", "2026-10-31 09:05"),
        ("text", "王磊", "zh", "王磊"),
    ],
)
def test_kinds(kind, value, lang, expected):
    assert fm.fmt(kind, value, lang, currency="CNY") == expected


@pytest.mark.parametrize("kind", [k for k in fm.KINDS])
@pytest.mark.parametrize("missing", [None, float("nan"), pd.NaT, np.nan])
def test_missing_is_a_dash_for_every_kind(kind, missing):
    assert fm.fmt(kind, missing, "en") == "—"
    assert fm.fmt(kind, missing, "zh") == "—"


def test_signed():
    assert fm.fmt("index", 0.06, signed=True) == "+0.06"
    assert fm.fmt("index", -0.001, signed=True) == "0.00"  # rounds to nothing: no sign
    assert fm.fmt("days", 5, "zh", signed=True) == "+5 天"
    assert fm.fmt("percent", 0.05, signed=True) == "+5.0%"
    assert fm.fmt("money", 48942, "en", currency="CNY", signed=True) == "+CNY 48.9K"


def test_rag_label():
    assert fm.rag_label("red") == "● Red"
    assert fm.rag_label("amber", "zh") == "▲ 黄"
    assert fm.rag_label("green", "zh") == "■ 绿"
    assert fm.rag_label("") is None and fm.rag_label(None) is None


@pytest.mark.parametrize(
    ("name", "values", "kind"),
    [
        ("cpi", [0.9], "index"),
        ("bac", [1.0], "money"),
        ("story_points", [3.0], "points"),
        ("planned_hours", [8.0], "hours"),
        ("probability", [0.5], "percent"),
        ("slip_days", [3.0], "days"),
        ("milestones_due", [1], "count"),  # named like a date, holds a count
        ("completed", pd.to_datetime(["2026-01-05"]), "date"),  # a date, whatever the registry says
        ("imported_at", pd.to_datetime(["2026-01-05 14:30"]), "datetime"),
        ("something", [1.5], "number"),
        ("something", [2], "count"),
        ("bac", ["1,000"], "text"),  # a text column stays text: the renderer never parses it
        ("name", ["Ann"], "text"),
    ],
)
def test_column_kind(name, values, kind):
    assert fm.column_kind(name, pd.Series(values)) == kind


def test_every_kind_has_one_format():
    for kind in fm.KINDS:
        if kind in ("date", "datetime"):
            assert fm.DATE_FORMATS[kind]
        elif kind != "text":
            spec = fm.column_spec(kind)
            assert spec is not None and spec.excel, kind


@pytest.mark.parametrize(
    ("kind", "lang", "expected"),
    [
        ("index", "en", "%{y:.2f}"),
        ("percent", "zh", "%{y:.1%}"),  # plotly multiplies a fraction by 100, as the table does
        ("percent100", "en", "%{y:.1f}%"),
        ("hours", "en", "%{y:,.1f} h"),
        ("hours", "zh", "%{y:,.1f} 小时"),
        ("days", "zh", "%{y:,.0f} 天"),
        ("money", "en", "CNY %{y:,.0f}"),
        ("date", "en", "%{y|%Y-%m-%d}"),
        ("text", "en", "%{y}"),
    ],
)
def test_chart_hovers_by_kind(kind, lang, expected):
    assert fm.hover(kind, "y", lang, currency="CNY") == expected
