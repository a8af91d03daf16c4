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
from ..formatting import hover
from ..i18n import t
from .style import localise_dates

MIN_SPAN = {".2f": 0.2, ".0f": 20.0}  # smallest y span of a Lessons panel: index, days
BOX_MIN = 5  # fewer closed projects than this: their points, no box (no quartiles of 1-4 values)
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
    return localise_dates(fig, lang)


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
    return localise_dates(fig, lang)


def _has(frame: pd.DataFrame | None, col: str) -> bool:
    return frame is not None and len(frame) > 0 and col in frame.columns


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
    few: int | None = None
    for j, (col, _) in enumerate(keys, start=1):
        fmt = ".0f" if col == "finish_slip_days" else ".2f"
        value = hover("days" if col == "finish_slip_days" else "index", "y", lang)
        shown = [x for x in pd.to_numeric(outcomes[col], errors="coerce").dropna()] if _has(outcomes, col) else []
        live_x = (live or {}).get(col)
        if live_x is not None and not (isinstance(live_x, float) and math.isnan(live_x)):
            shown.append(float(live_x))
        fig.update_yaxes(tickformat=fmt, row=1, col=j)
        if shown:  # at least MIN_SPAN of axis: a single value gets no ticks 0.966, 0.967 ...
            mid, half = (min(shown) + max(shown)) / 2, max((max(shown) - min(shown)) * 0.6, MIN_SPAN[fmt] / 2)
            fig.update_yaxes(range=[mid - half, mid + half], row=1, col=j)
        if outcomes is not None and len(outcomes) and col in outcomes.columns:
            v = pd.to_numeric(outcomes[col], errors="coerce")
            names = [
                plain(f"{p} · {n}" if isinstance(n, str) else p)
                for p, n in zip(outcomes["project_id"], outcomes.get("name", outcomes["project_id"]), strict=True)
            ]
            closed = t("plot.closed_projects", lang)
            if int(v.notna().sum()) >= BOX_MIN:
                trace: go.Box | go.Scatter = go.Box(
                    y=v,
                    name=closed,
                    boxpoints="all",
                    jitter=0.4,
                    pointpos=0,
                    text=names,
                    hovertemplate="%{text}: " + value + "<extra></extra>",
                    marker_color="#78909c",
                    line_color="#546e7a",
                    showlegend=j == 1,
                    legendgroup="closed",
                )
            else:  # too few for a distribution: the points themselves, no box, no quartiles
                trace = go.Scatter(
                    x=[closed] * len(v),
                    y=v,
                    mode="markers",
                    name=closed,
                    text=names,
                    hovertemplate="%{text}: " + value + "<extra></extra>",
                    marker=dict(color="#78909c", size=11, line=dict(width=1, color="#546e7a")),
                    showlegend=j == 1,
                    legendgroup="closed",
                )
                few = int(v.notna().sum())
            fig.add_trace(trace, row=1, col=j)
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
                    hovertemplate=value + "<extra></extra>",
                ),
                row=1,
                col=j,
            )
    if few is not None:
        fig.add_annotation(
            text=t("chart.too_few", lang, n=few),
            xref="paper",
            yref="paper",
            x=0.5,
            y=-0.12,
            showarrow=False,
            font=dict(size=12, color="#546e7a"),
        )
    fig.update_layout(height=380, margin=dict(l=40, r=20, t=50, b=50), legend=dict(orientation="h", y=-0.2))
    fig.update_xaxes(showticklabels=False)
    return fig
