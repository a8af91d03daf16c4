"""Schedule risk charts: the finish-date histogram with its cumulative curve, and the tornado of
what drives the finish. ``metrics.schedule_risk.ProjectRisk`` in, ``go.Figure`` out."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from .. import escape
from ..i18n import t
from .style import localise_dates

BARS = "#0072B2"
CURVE = "#D55E00"
BASELINE = "#2e7d32"
CPM = "#7F7F7F"
POSITIVE = "#d32f2f"
NEGATIVE = "#2e7d32"


def _empty(lang: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=t("srisk.chart.none", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(height=200, xaxis=dict(visible=False), yaxis=dict(visible=False))
    return fig


def _vline(fig: go.Figure, day: date | None, colour: str, label: str) -> None:
    if day is None:
        return
    x = pd.Timestamp(day)
    fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line=dict(color=colour, width=2, dash="dot"))
    fig.add_annotation(
        x=x, y=1, yref="paper", text=escape.html(label), showarrow=False, yanchor="bottom", font=dict(color=colour)
    )


def finish_histogram(result, lang: str = "en") -> go.Figure:
    """Share of runs finishing on each date (bars) and the cumulative probability (line, right
    axis), with the CPM finish, the baseline finish and P50/P80/P90 marked."""
    if result is None or not len(result.finish_dates):
        return _empty(lang)
    h = result.histogram()
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=h["finish_date"],
            y=h["share"],
            name=t("srisk.chart.iterations", lang),
            marker_color=BARS,
            hovertemplate="%{x|%Y-%m-%d}: %{y:.1%}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=h["finish_date"],
            y=h["cumulative"],
            name=t("srisk.chart.cumulative", lang),
            yaxis="y2",
            mode="lines",
            line=dict(color=CURVE, width=3, shape="hv"),
            hovertemplate="%{x|%Y-%m-%d}: %{y:.1%}<extra></extra>",
        )
    )
    _vline(fig, result.cpm_finish, CPM, t("srisk.chart.cpm", lang))
    _vline(fig, result.baseline_finish, BASELINE, t("srisk.chart.baseline", lang))
    for q, d in ((50, result.p50), (80, result.p80), (90, result.p90)):
        if d is not None:
            fig.add_trace(
                go.Scatter(
                    x=[pd.Timestamp(d)],
                    y=[q / 100],
                    yaxis="y2",
                    mode="markers+text",
                    text=[f"P{q}"],
                    textposition="middle left",
                    marker=dict(color=CURVE, size=10, symbol="diamond"),
                    showlegend=False,
                    hovertemplate=f"P{q}: %{{x|%Y-%m-%d}}<extra></extra>",
                )
            )
    fig.update_layout(
        height=380,
        bargap=0.05,
        xaxis=dict(title=t("srisk.chart.finish", lang)),
        yaxis=dict(title=t("srisk.chart.iterations", lang), tickformat=".0%", rangemode="tozero"),
        yaxis2=dict(
            title=t("srisk.chart.cumulative", lang), overlaying="y", side="right", range=[0, 1.02], tickformat=".0%"
        ),
        legend=dict(orientation="h", y=-0.2),
        margin=dict(t=30),
    )
    return localise_dates(fig, lang)


def tornado_figure(result, lang: str = "en", n: int = 12) -> go.Figure:
    """Horizontal bars: the correlation of each of the ``n`` strongest tasks' durations (and
    risks' occurrences) with the finish, strongest on top."""
    top = result.tornado(n) if result is not None else pd.DataFrame()
    if top.empty:
        return _empty(lang)
    top = top.iloc[::-1]
    # whole names (a cut name is neither the data nor a translation); the axis makes room for them
    labels = [
        escape.html(f"{t('srisk.kind.' + k, lang)} {i} · {name}" if name else f"{t('srisk.kind.' + k, lang)} {i}")
        for k, i, name in zip(top["kind"], top["id"], top["name"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=top["sensitivity"],
            y=labels,
            orientation="h",
            marker_color=[POSITIVE if v > 0 else NEGATIVE for v in top["sensitivity"]],
            hovertemplate="%{y}: %{x:.2f}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(220, 28 * len(top) + 80),
        xaxis=dict(title=t("srisk.chart.correlation", lang), range=[min(0, float(top["sensitivity"].min())), 1]),
        yaxis=dict(automargin=True),
        margin=dict(l=10, t=20),
    )
    return fig
