"""Milestone charts: the milestone trend chart (forecast finish at each status date) and the
slip bar chart. DataFrames from ``metrics.milestones.milestone_history`` / ``milestone_tracker``
in, ``go.Figure`` out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import escape
from ..i18n import t
from .style import distinct_style, localise_dates

LATE = "#d32f2f"
ON_TIME = "#2e7d32"


def _esc(text: str) -> str:
    return escape.html(text)


def _dates(values: pd.Series) -> np.ndarray:
    """ISO dates for hovers, "—" where missing (never "NaT")."""
    d = pd.to_datetime(values, errors="coerce")
    return np.where(d.isna(), "—", d.dt.strftime("%Y-%m-%d")).astype(object)


def milestone_trend_figure(history: pd.DataFrame, lang: str = "en", max_milestones: int = 15) -> go.Figure:
    """Milestone trend analysis: x = status date, y = forecast finish, one line per milestone
    (the ``max_milestones`` with the largest latest slip), and the diagonal where the forecast
    equals the status date. A flat line is a stable forecast; a rising line is slipping."""
    fig = go.Figure()
    if history is None or history.empty:
        fig.add_annotation(text=t("milestones.none", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
        fig.update_layout(height=200, xaxis=dict(visible=False), yaxis=dict(visible=False))
        return fig
    keys = list(dict.fromkeys(zip(history["project_id"], history["task_id"], strict=True)))  # late first
    shown = keys[:max_milestones]
    h = history.set_index(["project_id", "task_id"])
    multi = history["project_id"].nunique() > 1
    for k, (pid, tid) in enumerate(shown):
        colour, symbol = distinct_style(k)
        g = h.loc[[(pid, tid)]].sort_values("status_date")
        name = str(g["name"].iloc[0]) or tid
        label = f"{pid} · {name}" if multi else name
        fig.add_trace(
            go.Scatter(
                x=g["status_date"],
                y=g["forecast_finish"],
                mode="lines+markers",
                name=_esc(label[:40]),
                meta=f"{pid}/{tid}",
                line=dict(width=2, color=colour),
                marker=dict(color=colour, symbol=symbol, size=8),
                customdata=np.stack([g["slip_days"].to_numpy(float), _dates(g["baseline_finish"])], axis=1),
                hovertemplate=(
                    f"{_esc(label)}<br>%{{x|%Y-%m-%d}} → %{{y|%Y-%m-%d}}<br>"
                    f"{t('milestones.axis.slip', lang)}: %{{customdata[0]:+.0f}} {t('chart.days', lang)}<extra></extra>"
                ),
            )
        )
    # the diagonal (forecast = status date) over the status dates shown
    lo, hi = history["status_date"].min(), history["status_date"].max()
    if pd.notna(lo) and pd.notna(hi):
        fig.add_trace(
            go.Scatter(
                x=[lo, hi],
                y=[lo, hi],
                mode="lines",
                line=dict(color="rgba(0,0,0,0.35)", dash="dot", width=1),
                name=t("milestones.diagonal", lang),
                meta="diagonal",
                hoverinfo="skip",
            )
        )
    title = t("milestones.more", lang, n=len(keys) - len(shown)) if len(keys) > len(shown) else None
    fig.update_layout(
        height=520,
        margin=dict(l=40, r=20, t=40 if title else 20, b=40),
        title=dict(text=title, font=dict(size=12)) if title else None,
        xaxis=dict(title=t("milestones.axis.status_date", lang), type="date"),
        yaxis=dict(title=t("milestones.axis.forecast", lang), type="date"),
        legend=dict(orientation="h", yanchor="top", y=-0.22, font=dict(size=11)),
        hovermode="closest",
    )
    return localise_dates(fig, lang)


def milestone_slip_figure(tracker: pd.DataFrame, lang: str = "en", max_milestones: int = 40) -> go.Figure:
    """Horizontal bars of each milestone's slip in working days at its latest status date
    (red = late, green = on time or early); two traces whatever the number of milestones."""
    fig = go.Figure()
    if tracker is None or tracker.empty:
        fig.add_annotation(text=t("milestones.none", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
        fig.update_layout(height=200, xaxis=dict(visible=False), yaxis=dict(visible=False))
        return fig
    df = tracker[tracker["slip_days"].notna()].head(max_milestones)
    multi = tracker["project_id"].nunique() > 1
    labels = [
        _esc(f"{p} · {n or tid}" if multi else (n or tid))[:50]
        for p, tid, n in zip(df["project_id"], df["task_id"], df["name"], strict=True)
    ]
    # one bar per milestone: labels are categories, so two milestones named alike get their id
    seen = pd.Series(labels).duplicated(keep=False).to_numpy()
    labels = [f"{lab} ({_esc(tid)})" if dup else lab for lab, tid, dup in zip(labels, df["task_id"], seen, strict=True)]
    df = df.assign(_label=labels)
    for key, mask, colour in (
        ("late", df["slip_days"] > 0, LATE),
        ("on_time", df["slip_days"] <= 0, ON_TIME),
    ):
        part = df[mask]
        if part.empty:
            continue
        fig.add_trace(
            go.Bar(
                orientation="h",
                y=part["_label"],
                x=part["slip_days"],
                marker_color=colour,
                name=t(f"milestones.{key}", lang),
                meta=key,
                customdata=np.stack(
                    [_dates(part["baseline_finish"]), _dates(part["forecast_finish"])],
                    axis=1,
                ),
                hovertemplate="%{y}<br>%{customdata[0]} → %{customdata[1]}<br>%{x:+.0f} "
                + t("chart.days", lang)
                + "<extra></extra>",
            )
        )
    fig.update_layout(
        height=max(220, 60 + 24 * len(df)),
        margin=dict(l=10, r=20, t=20, b=40),
        barmode="overlay",
        xaxis=dict(title=t("milestones.axis.slip", lang), zeroline=True, zerolinecolor="#555"),
        yaxis=dict(autorange="reversed", automargin=True, categoryorder="array", categoryarray=labels),
        legend=dict(orientation="h"),
    )
    return fig
