"""Agile charts: burndown, burnup, velocity with forecast, cumulative flow, cost burn.
Pure: frames from ``metrics.agile`` in, plotly figures out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .. import escape
from ..i18n import t
from .style import localise_dates

COLOURS = {
    "remaining": "#1565c0",
    "ideal": "#9e9e9e",
    "scope": "#6a1b9a",
    "completed": "#2e7d32",
    "added": "#ef6c00",
    "removed": "#00838f",
    "committed": "#90caf9",
    "rolling": "#c62828",
    "To Do": "#b0bec5",
    "In Progress": "#42a5f5",
    "Done": "#66bb6a",
    "Unknown": "#e0e0e0",
    "pv": "#1565c0",
    "ac": "#c62828",
    "ev": "#2e7d32",
    "bac": "#555555",
}


def plain(text: object) -> str:
    """User text made safe for plotly labels (its mini-HTML is not interpreted)."""
    return escape.html(text)


def _layout(fig: go.Figure, x: str, y: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        xaxis_title=x,
        yaxis_title=y,
        height=height,
        margin=dict(l=40, r=20, t=30, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.02),
        hovermode="x unified",
    )
    return fig


def burndown(b: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Remaining points per day against the ideal line; scope as a step line and the points
    added or removed each day as bars, so scope changes are visible."""
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=b["date"],
            y=b["added"],
            name=t("burn.added", lang),
            marker_color=COLOURS["added"],
            opacity=0.6,
            customdata=[plain(k) for k in b["added_keys"]],
            hovertemplate="+%{y:g} %{customdata}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=b["date"],
            y=-b["removed"],
            name=t("burn.removed", lang),
            marker_color=COLOURS["removed"],
            opacity=0.6,
            customdata=[plain(k) for k in b["removed_keys"]],
            hovertemplate="%{y:g} %{customdata}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=b["date"],
            y=b["scope"],
            name=t("burn.scope", lang),
            line=dict(color=COLOURS["scope"], shape="hv", width=1.5),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=b["date"], y=b["ideal"], name=t("burn.ideal", lang), line=dict(color=COLOURS["ideal"], dash="dash")
        )
    )
    fig.add_trace(
        go.Scatter(
            x=b["date"],
            y=b["remaining"],
            name=t("burn.remaining", lang),
            mode="lines+markers",
            line=dict(color=COLOURS["remaining"], width=3),
        )
    )
    fig.update_layout(barmode="relative")
    return localise_dates(_layout(fig, t("burn.date", lang), t("burn.points", lang)), lang)


def burnup(u: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Total scope (step line) and completed points over time."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(x=u["date"], y=u["scope"], name=t("burn.scope", lang), line=dict(color=COLOURS["scope"], shape="hv"))
    )
    fig.add_trace(
        go.Scatter(
            x=u["date"],
            y=u["completed_points"],
            name=t("burn.completed", lang),
            mode="lines+markers",
            line=dict(color=COLOURS["completed"], width=3),
            fill="tozeroy",
            fillcolor="rgba(46,125,50,0.12)",
        )
    )
    return localise_dates(_layout(fig, t("burn.date", lang), t("burn.points", lang)), lang)


def velocity_chart(
    v: pd.DataFrame, lang: str = "en", *, window: int = 3, forecast: pd.DataFrame | None = None
) -> go.Figure:
    """Committed vs completed bars per sprint with the rolling average; the forecast's P50 and
    P85 dates (``metrics.agile.forecast_completion``) are written in the title."""
    x = [plain(s) for s in v["sprint"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=v["committed"], name=t("burn.committed", lang), marker_color=COLOURS["committed"]))
    fig.add_trace(
        go.Bar(x=x, y=v["completed_points"], name=t("burn.completed", lang), marker_color=COLOURS["completed"])
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=v["rolling_avg"],
            name=t("burn.rolling", lang, n=window),
            mode="lines+markers",
            line=dict(color=COLOURS["rolling"], dash="dot"),
        )
    )
    fig.update_layout(barmode="group", hovermode="x unified")
    _layout(fig, t("burn.sprint", lang), t("burn.points", lang))
    if forecast is not None and len(forecast) and forecast["date"].notna().any():
        parts = [
            f"P{int(r.percentile)}: {pd.Timestamp(r.date):%Y-%m-%d} ({int(r.sprints_needed)})"
            for r in forecast.itertuples()
            if pd.notna(r.date)
        ]
        fig.update_layout(title=dict(text=" · ".join(parts), font=dict(size=13)), margin=dict(t=70))
    return fig


def cfd(flow: pd.DataFrame, lang: str = "en", *, measure: str = "items") -> go.Figure:
    """Stacked areas per status category at each status date (Done at the bottom)."""
    fig = go.Figure()
    order = ["Done", "In Progress", "To Do", "Unknown"]
    for cat in order:
        part = flow[flow["status_category"] == cat]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["status_date"],
                y=part[measure],
                name=t(f"cat.{cat}", lang),
                mode="lines+markers",
                stackgroup="one",
                line=dict(color=COLOURS[cat]),
            )
        )
    fig = _layout(fig, t("filter.status_date", lang), t("burn.items" if measure == "items" else "burn.points", lang))
    return localise_dates(fig, lang)


def cost_burn_chart(cb: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Cumulative AC (and EV) at each status date or period against the PV curve and BAC.
    Expects one project's rows (``metrics.agile.cost_burn``)."""
    fig = go.Figure()
    d = cb.sort_values("date")
    pv = d.dropna(subset=["pv"])
    fig.add_trace(go.Scatter(x=pv["date"], y=pv["pv"], name=t("col.pv", lang), line=dict(color=COLOURS["pv"])))
    for col in ("ev", "ac"):
        part = d.dropna(subset=[col])
        if len(part):
            fig.add_trace(
                go.Scatter(
                    x=part["date"],
                    y=part[col],
                    name=t(f"col.{col}", lang),
                    mode="lines+markers",
                    line=dict(color=COLOURS[col], width=3 if col == "ac" else 2),
                )
            )
    bac = d["bac"].dropna()
    if len(bac) and len(d):
        fig.add_trace(
            go.Scatter(
                x=[d["date"].min(), d["date"].max()],
                y=[bac.iloc[-1]] * 2,
                name=t("burn.bac", lang),
                mode="lines",
                line=dict(color=COLOURS["bac"], dash="dash"),
            )
        )
    return localise_dates(_layout(fig, t("burn.date", lang), t("burn.cost_axis", lang)), lang)
