"""Resource charts: utilisation heatmap (person or department x week) with over-allocation
marked, capacity vs demand per department. Pure: frames from ``metrics.resources`` in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..i18n import t
from .agile import plain

# 0 % white-green ... 100 % amber, above 100 % red (zmax 150 %)
UTIL_SCALE = [
    [0.0, "#e8f5e9"],
    [0.5, "#81c784"],
    [0.62, "#2e7d32"],
    [0.6667, "#f9a825"],
    [0.6668, "#ef5350"],
    [1.0, "#b71c1c"],
]
OVER_MARK = "▲"


def utilisation_heatmap(df: pd.DataFrame, row: str = "person", lang: str = "en", *, zmax: float = 1.5) -> go.Figure:
    """Heatmap of ``utilisation`` with ``row`` (person or department) down and weeks across.

    Each cell shows the percentage; over-allocated cells (``over``) are marked with ▲ and
    coloured red (the scale turns red above 100 %). Missing utilisation (no capacity) is an
    empty cell. Hover shows planned and capacity hours."""
    if df.empty:
        return go.Figure()
    weeks = sorted(df["week_start"].unique())
    rows = sorted(df[row].astype(object).where(df[row].notna(), "—").unique(), key=str)
    d = df.assign(_r=df[row].astype(object).where(df[row].notna(), "—"))
    piv = d.pivot_table(index="_r", columns="week_start", values="utilisation", aggfunc="first", dropna=False)
    piv = piv.reindex(index=rows, columns=weeks)
    over = d.pivot_table(index="_r", columns="week_start", values="over", aggfunc="max").reindex(
        index=rows, columns=weeks
    )
    planned = d.pivot_table(index="_r", columns="week_start", values="planned_hours", aggfunc="first").reindex(
        index=rows, columns=weeks
    )
    cap = d.pivot_table(index="_r", columns="week_start", values="capacity_hours", aggfunc="first").reindex(
        index=rows, columns=weeks
    )
    z = piv.to_numpy(dtype=float)
    ov = over.fillna(False).to_numpy(dtype=bool)
    text = np.where(
        np.isnan(z), "", np.char.add(np.char.mod("%.0f%%", np.nan_to_num(z) * 100), np.where(ov, " " + OVER_MARK, ""))
    )
    custom = np.dstack([planned.to_numpy(dtype=float), cap.to_numpy(dtype=float)])
    fig = go.Figure(
        go.Heatmap(
            x=[pd.Timestamp(w).strftime("%Y-%m-%d") for w in weeks],
            y=[plain(r) for r in rows],
            z=np.clip(z, 0, zmax),
            zmin=0,
            zmax=zmax,
            colorscale=UTIL_SCALE,
            text=text,
            texttemplate="%{text}",
            customdata=custom,
            hovertemplate="%{y} · %{x}<br>%{text}<br>"
            + t("res.demand", lang)
            + " %{customdata[0]:.1f} h / "
            + t("res.capacity", lang)
            + " %{customdata[1]:.1f} h<extra></extra>",
            colorbar=dict(title=t("res.utilisation", lang), tickformat=".0%"),
            xgap=1,
            ygap=1,
        )
    )
    fig.update_layout(
        height=max(280, 26 * len(rows) + 140),
        margin=dict(l=40, r=20, t=20, b=40),
        xaxis_title=t("res.week", lang),
        yaxis=dict(autorange="reversed", title=t("res.person" if row == "person" else "res.department", lang)),
        plot_bgcolor="white",
    )
    return fig


def capacity_demand_chart(cvd: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Demand (bars) against capacity (line) per department and week."""
    fig = go.Figure()
    palette = ["#1565c0", "#6a1b9a", "#ef6c00", "#00838f", "#558b2f", "#ad1457", "#4e342e", "#37474f"]
    for k, (dept, part) in enumerate(cvd.groupby("department", sort=True)):
        colour = palette[k % len(palette)]
        name = plain(dept)
        fig.add_trace(
            go.Bar(
                x=part["week_start"],
                y=part["demand_hours"],
                name=f"{name} · {t('res.demand', lang)}",
                marker_color=colour,
                opacity=0.55,
                legendgroup=name,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=part["week_start"],
                y=part["capacity_hours"],
                name=f"{name} · {t('res.capacity', lang)}",
                mode="lines+markers",
                line=dict(color=colour, width=3),
                legendgroup=name,
            )
        )
    fig.update_layout(
        barmode="group",
        height=400,
        margin=dict(l=40, r=20, t=30, b=40),
        xaxis_title=t("res.week", lang),
        yaxis_title=t("res.hours", lang),
        legend=dict(orientation="h", yanchor="bottom", y=1.02),
    )
    return fig
