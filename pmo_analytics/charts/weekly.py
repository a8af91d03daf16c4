"""Weekly-cycle charts: open defects by priority, defect arrival vs closure, closed-project
benchmarks beside a live project. Pure: frames from ``metrics.quality`` / ``metrics.lessons``
in, plotly figures out. Text from data is escaped (plotly renders a subset of HTML)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import escape
from ..enums import enum_word
from ..i18n import t

PRIORITY_COLOURS = ("#b71c1c", "#e53935", "#fb8c00", "#fdd835", "#7cb342", "#43a047", "#90a4ae", "#78909c")


def plain(text: object) -> str:
    """User text made safe for plotly labels."""
    return escape.html(text)


def open_defects_figure(long: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Stacked bars: open defects per priority at each status date (``open_by_priority``)."""
    fig = go.Figure()
    if long is not None and len(long):
        for k, prio in enumerate(dict.fromkeys(long["priority"])):
            part = long[long["priority"] == prio]
            fig.add_trace(
                go.Bar(
                    x=part["status_date"],
                    y=part["open_defects"],
                    name=plain(enum_word(prio, "priority", lang)),
                    marker_color=PRIORITY_COLOURS[min(k, len(PRIORITY_COLOURS) - 1)],
                )
            )
    fig.update_layout(
        barmode="stack",
        height=380,
        margin=dict(l=40, r=20, t=30, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.02),
        yaxis_title=t("plot.open_defects", lang),
        xaxis_title=t("weekly.status_date", lang),
        hovermode="x unified",
    )
    fig.update_xaxes(type="date")
    return fig


def arrival_closure_figure(frame: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Arrivals and closures per week as bars, open defects at week end as a line."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    if frame is not None and len(frame):
        fig.add_trace(
            go.Bar(x=frame["week"], y=frame["arrivals"], name=t("plot.arrivals", lang), marker_color="#e53935"),
            secondary_y=False,
        )
        fig.add_trace(
            go.Bar(x=frame["week"], y=frame["closures"], name=t("plot.closures", lang), marker_color="#43a047"),
            secondary_y=False,
        )
        fig.add_trace(
            go.Scatter(
                x=frame["week"],
                y=frame["open_at_end"],
                name=t("plot.open_at_end", lang),
                mode="lines",
                line=dict(color="#1565c0", width=2),
            ),
            secondary_y=True,
        )
    fig.update_layout(
        barmode="group",
        height=380,
        margin=dict(l=40, r=40, t=30, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.02),
        xaxis_title=t("plot.week", lang),
        hovermode="x unified",
    )
    fig.update_yaxes(title_text=t("col.items", lang), secondary_y=False, rangemode="tozero")
    fig.update_yaxes(title_text=t("plot.open_at_end", lang), secondary_y=True, rangemode="tozero")
    return fig


def benchmark_figure(
    outcomes: pd.DataFrame, live: dict | None = None, lang: str = "en", live_label: str = ""
) -> go.Figure:
    """Three panels (final CPI, final SPI(t), finish slip in days): each closed project as a
    point over a box of their distribution, and the live project's value as a diamond."""
    keys = (
        ("final_cpi", "lessons.final_cpi"),
        ("final_spi_t", "lessons.final_spi_t"),
        ("finish_slip_days", "lessons.finish_slip"),
    )
    fig = make_subplots(rows=1, cols=3, subplot_titles=[t(k, lang) for _, k in keys])
    for j, (col, _) in enumerate(keys, start=1):
        if outcomes is not None and len(outcomes) and col in outcomes.columns:
            v = pd.to_numeric(outcomes[col], errors="coerce")
            names = [
                plain(f"{p} · {n}" if isinstance(n, str) else p)
                for p, n in zip(outcomes["project_id"], outcomes.get("name", outcomes["project_id"]), strict=True)
            ]
            fig.add_trace(
                go.Box(
                    y=v,
                    name=t("plot.closed_projects", lang),
                    boxpoints="all",
                    jitter=0.4,
                    pointpos=0,
                    text=names,
                    hovertemplate="%{text}: %{y:.2f}<extra></extra>",
                    marker_color="#78909c",
                    line_color="#546e7a",
                    showlegend=j == 1,
                    legendgroup="closed",
                ),
                row=1,
                col=j,
            )
        x = (live or {}).get(col)
        if x is not None and not (isinstance(x, float) and math.isnan(x)):
            fig.add_trace(
                go.Scatter(
                    x=[t("plot.closed_projects", lang)],
                    y=[x],
                    mode="markers",
                    marker=dict(symbol="diamond", size=14, color="#d81b60"),
                    name=plain(live_label) or t("plot.live_project", lang),
                    showlegend=j == 1,
                    legendgroup="live",
                    hovertemplate="%{y:.2f}<extra></extra>",
                ),
                row=1,
                col=j,
            )
    fig.update_layout(height=380, margin=dict(l=40, r=20, t=50, b=30), legend=dict(orientation="h", y=-0.1))
    fig.update_xaxes(showticklabels=False)
    return fig
