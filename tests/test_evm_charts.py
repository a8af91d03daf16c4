"""S-curve data, plain-language readings and the EVM figures."""

from __future__ import annotations

import pandas as pd
import pytest

from pmo_analytics import i18n, present
from pmo_analytics.charts import evm as charts
from pmo_analytics.locales import evm as locale
from pmo_analytics.metrics import evm
from pmo_analytics.settings import Settings
from tests.test_evm import AC_CUM, EV_CUM, PV_CUM, _periods, _tasks


def test_s_curve_plan_and_status_points():
    t1 = _tasks(status="2024-01-05", percent_complete=[0.3, 1.0, 0.0], actual_cost=[1000.0, 1000.0, 0.0])
    curve = evm.s_curve(pd.concat([t1, _tasks()], ignore_index=True))
    plan = curve[curve["kind"] == "plan"]
    status = curve[curve["kind"] == "status"]
    # baseline of the latest snapshot: weekly 1000, 2000, 3000 (see test_evm two-task case)
    assert plan["pv_cum"].tolist() == pytest.approx([1000, 2000, 3000])
    # one point per status date: Jan 5 EV 1000 / AC 1000; Jan 12 EV 1500 / AC 1700
    assert status["date"].dt.strftime("%m-%d").tolist() == ["01-05", "01-12"]
    assert status["ev"].tolist() == pytest.approx([1000, 1500])
    assert status["ac"].tolist() == pytest.approx([1000, 1700])
    assert curve["date"].is_monotonic_increasing


def test_s_curve_portfolio_carries_latest_values_forward():
    a = _tasks(status="2024-01-05", percent_complete=[0.3, 1.0, 0.0], actual_cost=[1000.0, 1000.0, 0.0])
    b = _tasks(status="2024-01-12")
    b["project_id"] = "P2"
    res = evm.analyse(pd.concat([a, b], ignore_index=True))
    status = evm.s_curve_frame(res)
    status = status[status["kind"] == "status"]
    # Jan 5: only P1 reported (EV 1000). Jan 12: P1 still at its Jan 5 values (1000) + P2 1500
    assert status["ev"].tolist() == pytest.approx([1000, 2500])
    plan = evm.s_curve_frame(res)
    plan = plan[plan["kind"] == "plan"]
    # both projects have the same baseline: 2 x (1000, 2000, 3000)
    assert plan["pv_cum"].tolist() == pytest.approx([2000, 4000, 6000])
    only_p2 = evm.s_curve_frame(res, ["P2"])
    assert only_p2.loc[only_p2["kind"] == "status", "ev"].tolist() == pytest.approx([1500])


def test_reading_names_late_finish_despite_spi_one():
    rows = evm.project_metrics(None, evm_periods=_periods((PV_CUM, EV_CUM, AC_CUM)))
    last = rows.iloc[-1]
    en = present.reading(last, "en")
    assert "3.0 months late by earned schedule" in en
    assert "although SPI is 1.00" in en
    assert "Finished on 2024-08-31" in en
    zh = present.reading(last, "zh")
    assert "落后 3.0 个月" in zh and "SPI 为 1.00" in zh
    # mid-project (month 6): late, no "although" (SPI 0.75 is red), forecast given
    mid = present.reading(rows.iloc[5], "en")
    assert "2.5 months late" in mid and "although" not in mid and "Forecast finish" in mid


def test_reading_reports_baseline_fallback_and_budget_basis():
    t = _tasks(bac=[0.0, 0.0, 0.0])
    t.loc[2, ["baseline_start", "baseline_finish"]] = pd.NaT
    text = present.reading(evm.project_metrics(t).iloc[0], "en")
    assert "1 tasks have no baseline" in text
    assert "No budget anywhere" in text
    assert present.reading({}, "zh") == i18n.t("evm.read.none", "zh")


def test_every_evm_string_has_english_and_chinese():
    for key, (en, zh) in locale.STRINGS.items():
        assert en.strip() and zh.strip(), key
    assert i18n.t("page.earned_value", "zh") == "挣值分析"


def test_s_curve_figure_has_lines_and_markers():
    res = evm.analyse(_tasks())
    fig = charts.s_curve_figure(evm.s_curve_frame(res), res.metrics.iloc[-1], "en")
    assert [tr.name for tr in fig.data] == ["Planned value (PV)", "Earned value (EV)", "Actual cost (AC)"]
    texts = [a.text for a in fig.layout.annotations]
    assert {"BAC", "EAC (BAC/CPI)", "Status date", "Forecast finish", "Baseline finish"} <= set(texts)
    assert list(fig.data[0].y) == pytest.approx([1000, 2000, 3000])
    zh = charts.s_curve_figure(evm.s_curve_frame(res), res.metrics.iloc[-1], "zh")
    assert zh.data[0].name == "计划值 (PV)"


def test_trend_figure_bands_follow_settings():
    rows = evm.project_metrics(None, evm_periods=_periods((PV_CUM, EV_CUM, AC_CUM)))
    s = Settings(green_at=0.9, red_below=0.8)
    fig = charts.trend_figure(rows, s)
    assert [tr.name for tr in fig.data] == ["CPI", "SPI", "SPI(t)"]
    rects = [sh for sh in fig.layout.shapes if sh.type == "rect"]
    assert sorted((r.y0, r.y1) for r in rects)[1] == (0.8, 0.9)  # the amber band
    assert len(charts.trend_figure(rows.iloc[0:0]).data) == 0
