"""Everything the Risk page shows, computed in one call: ``build(frames, settings, cells, by,
lang)``, cached by ``ui.page_view`` like the Portfolio page's view (data version, filters'
scope, settings, the heatmap's selected cells, the exposure grouping and the language: small
keys, never frames).

The page used to hash its input frames for three cached calls and build the register, the
exposure, five tables and four figures on every click (about 0.28 s of CPU a rerun on the
demo). No streamlit import (library code).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .frames import PortfolioFrames
from .metrics import evm, fx, risk
from .settings import Settings

LISTS = (  # (title key, table key, the list's function)
    ("risk.top", "risk_top", risk.top_risks),
    ("risk.overdue", "risk_overdue", risk.overdue_responses),
    ("risk.unowned", "risk_unowned", risk.unowned),
    ("risk.opportunities", "risk_opportunities", risk.opportunities),
)


@dataclass(frozen=True)
class RiskView:
    """The page's content for one selection of heatmap cells and exposure grouping."""

    has_risks: bool = False
    fx_missing: tuple = ()  # fx.MissingRate, one per currency
    heatmap: object = None  # plotly figures, in the view's language
    unscored: int = 0
    register: pd.DataFrame = field(default_factory=pd.DataFrame)
    exposure: pd.DataFrame = field(default_factory=pd.DataFrame)
    exposure_chart: object = None
    trend_chart: object = None  # None when no amount converts to the reporting currency
    reporting: str = ""
    lists: tuple = ()  # (title key, table key, frame or None when empty)
    adjusted: pd.DataFrame | None = None  # None: no EAC to adjust
    adjusted_chart: object = None


def build(
    frames: PortfolioFrames, settings: Settings, cells: tuple[tuple[int, int], ...], by: str, lang: str
) -> RiskView:
    """The Risk page of ``frames`` under ``settings``: the register filtered to ``cells``
    (probability, impact), exposure grouped ``by`` ("project_id" or "category"), in ``lang``."""
    from .charts import risk as charts

    risks = frames.current("risks")
    if risks.empty:
        return RiskView()
    projects = frames.current("projects")
    reg = risk.enrich(risks, projects)
    money = fx.context(projects, frames.current("fx_rates"), settings)
    converted = fx.convert(reg, money)
    exp = (
        risk.exposure(converted.rows, by).assign(currency=money.reporting)
        if converted.converted
        else risk.exposure(converted.rows, [by, "currency"])  # per currency: no cross-currency total
    )
    hist = fx.convert(frames.history("risks"), money)
    trend = charts.exposure_trend_chart(risk.exposure_trend(hist.rows, by), by, lang) if hist.converted else None
    lists = []
    for title, key, pick in LISTS:
        frame = pick(reg)
        lists.append(
            (title, key, None if frame.empty else fx.with_currency(risk.display(frame), money, after="project_id"))
        )
    metrics = evm.project_metrics(frames.history("tasks"), projects, frames.history("evm_periods"), settings)
    adjusted, adjusted_chart = None, None
    if not metrics.empty:
        raw = risk.risk_adjusted_forecast(reg, metrics)
        adjusted_chart = charts.risk_adjusted_chart(raw, lang)
        adjusted = fx.with_currency(raw, money, after="project_id")
    return RiskView(
        has_risks=True,
        fx_missing=tuple(fx.missing_summary(converted.missing)),
        heatmap=charts.risk_heatmap(risk.risk_matrix(reg), lang, selected=list(cells)),
        unscored=len(risk.unscored(reg)),
        register=fx.with_currency(risk.register_view(reg, list(cells)), money, after="project_id"),
        exposure=exp,
        exposure_chart=charts.exposure_bars(exp, by, lang),
        trend_chart=trend,
        reporting=money.reporting,
        lists=tuple(lists),
        adjusted=adjusted,
        adjusted_chart=adjusted_chart,
    )
