"""Everything the Earned value page shows, computed in one call: ``build(frames, settings,
choice, lang)``, cached by ``ui.page_view`` like the Portfolio page's view (data version,
filters' scope, settings, the picked scope and the language: small keys, never frames).

The page used to run the EVM analysis through a cache keyed by its input frames (hashed on
every run), then the portfolio roll-up, the S-curve, both figures and the metrics tables on
every click (about 0.45 s of CPU a rerun on the demo). No streamlit import (library code).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .frames import PortfolioFrames
from .metrics import evm, fx
from .settings import Settings

PORTFOLIO = "__portfolio__"  # the scope choice "whole portfolio" (else a project id)


@dataclass(frozen=True)
class EvmView:
    """The page's content for one scope choice, in one language."""

    has_input: bool = False  # tasks or EVM periods in the selection
    has_projects: bool = False
    ids: tuple[str, ...] = ()  # projects with metrics, sorted
    names: dict[str, str] = field(default_factory=dict)
    choice: str = PORTFOLIO  # the scope shown (an unknown choice falls back to the portfolio)
    history: pd.DataFrame = field(default_factory=pd.DataFrame)  # the scope's rows, oldest first
    currency: str | None = None
    fx_missing: tuple = ()  # fx.MissingRate, one per currency
    s_curve: object = None  # plotly figures, built in the view's language
    trend: object = None
    table_latest: pd.DataFrame = field(default_factory=pd.DataFrame)  # the metrics table, latest rows
    table_all: pd.DataFrame = field(default_factory=pd.DataFrame)  # ... every status date


def build(frames: PortfolioFrames, settings: Settings, choice: str, lang: str) -> EvmView:
    """The Earned value page of ``frames`` under ``settings`` for ``choice`` (``PORTFOLIO`` or
    a project id) in ``lang``."""
    from .charts.evm import s_curve_figure, trend_figure

    s = settings
    projects = frames.current("projects")
    tasks, periods = frames.history("tasks"), frames.history("evm_periods")
    if tasks.empty and periods.empty:
        return EvmView(has_projects=not projects.empty)
    res = evm.analyse(tasks, projects, periods, s)
    if res.metrics.empty:
        return EvmView(has_input=True, has_projects=True)
    ids = tuple(sorted(res.metrics["project_id"].astype(str).unique()))
    choice = choice if choice in ids else PORTFOLIO
    money = fx.context(projects, frames.current("fx_rates"), s)
    missing: tuple = ()
    if choice == PORTFOLIO:
        history = evm.portfolio_history(res, s, fx=money)
        missing = tuple(fx.missing_summary(history.attrs.get("fx_missing", ())))
        history, currency = fx.one_currency(history)
        curve = evm.s_curve_frame(res, fx=money)
    else:
        history = evm.project_history(res, choice)
        currency = money.project_currency(choice)
        curve = evm.s_curve_frame(res, [choice])
    figures = (None, None)
    if not history.empty:
        row = history.iloc[-1]
        figures = (s_curve_figure(curve, row, lang, currency), trend_figure(history, s, lang))
    return EvmView(
        has_input=True,
        has_projects=True,
        ids=ids,
        names=evm.project_names(projects),
        choice=choice,
        history=history,
        currency=currency,
        fx_missing=missing,
        s_curve=figures[0],
        trend=figures[1],
        table_latest=fx.with_currency(evm.metrics_table(res.metrics, projects, True), money),
        table_all=fx.with_currency(evm.metrics_table(res.metrics, projects, False), money),
    )
