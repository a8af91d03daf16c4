"""Resource charts: utilisation heatmap (person or department x week) with over-allocation
marked, capacity vs demand per department. Pure: frames from ``metrics.resources`` in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..formatting import hours as fmt_hours
from ..i18n import t
from .agile import plain
from .style import MIN_TEXT_PX, localise_dates

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


WINDOW_WEEKS = 16  # weeks in view when the heatmap opens: cells wide enough for 11 px text
WEEK_MS = 7 * 86_400_000


def _window(weeks: list, around: object, n: int = WINDOW_WEEKS) -> tuple[str, str] | None:
    """The x range showing ``n`` of ``weeks`` (sorted week starts): half before the week of
    ``around`` and half after (else the last ``n``); None when they all fit."""
    if len(weeks) <= n:
        return None
    ts = pd.to_datetime(pd.Series(weeks))
    if around is not None and not pd.isna(around):
        k = int(np.searchsorted(ts.to_numpy(), np.datetime64(pd.Timestamp(around)), side="right")) - 1
        first = min(max(0, k - n // 2), len(ts) - n)
    else:
        first = len(ts) - n
    lo, hi = ts.iloc[first] - pd.Timedelta(days=3.5), ts.iloc[first + n - 1] + pd.Timedelta(days=3.5)
    return lo.strftime("%Y-%m-%d %H:%M"), hi.strftime("%Y-%m-%d %H:%M")


def utilisation_heatmap(
    df: pd.DataFrame, row: str = "person", lang: str = "en", *, zmax: float = 1.5, around: object = None
) -> go.Figure:
    """Heatmap of ``utilisation`` with ``row`` (person or department) down and weeks across.

    Each cell shows the percentage in 11 px text; over-allocated cells (``over``) are marked
    with ▲ and coloured red (the scale turns red above 100 %). Missing utilisation (no
    capacity) is an empty cell. Hover shows planned and capacity hours. With more than
    ``WINDOW_WEEKS`` weeks it opens on that many around ``around`` (default: the latest
    ``status_date`` of ``df``, else the last weeks); drag to see the others."""
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
    # hours written by formatting.hours ("36.0 h", "36.0 小时"), the one writer of hours
    as_hours = np.vectorize(lambda v: fmt_hours(v, lang), otypes=[object])
    custom = np.dstack([as_hours(planned.to_numpy(dtype=float)), as_hours(cap.to_numpy(dtype=float))])
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
            textfont=dict(size=MIN_TEXT_PX),
            customdata=custom,
            hovertemplate="%{y} · %{x}<br>%{text}<br>"
            + t("res.demand", lang)
            + " %{customdata[0]} / "
            + t("res.capacity", lang)
            + " %{customdata[1]}<extra></extra>",
            colorbar=dict(title=t("res.utilisation", lang), tickformat=".0%"),
            xgap=1,
            ygap=1,
        )
    )
    if around is None and "status_date" in df.columns and df["status_date"].notna().any():
        around = df["status_date"].max()
    window = _window(weeks, around)
    fig.update_layout(
        height=max(280, 26 * len(rows) + 140),
        margin=dict(l=40, r=20, t=20, b=40),
        xaxis=dict(title=t("res.week", lang), range=list(window) if window else None),
        yaxis=dict(
            autorange="reversed",
            title=t("res.person" if row == "person" else "res.department", lang),
            fixedrange=True,
        ),
        plot_bgcolor="white",
        dragmode="pan",
    )
    return localise_dates(fig, lang)


def capacity_demand_chart(cvd: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Demand (bars) against capacity per department and week. Capacity is a short dark
    horizontal mark over each department's own bar (``scattermode="group"`` lines the marks up
    with the grouped bars), so no line or area covers a bar; a bar above its mark is short of
    capacity. Hovers carry the hours."""
    fig = go.Figure()
    palette = ["#1565c0", "#6a1b9a", "#ef6c00", "#00838f", "#558b2f", "#ad1457", "#4e342e", "#37474f"]
    for k, (dept, part) in enumerate(cvd.groupby("department", sort=True)):
        colour = palette[k % len(palette)]
        name = plain(dept)
        group = f"d{k}"
        fig.add_trace(
            go.Bar(
                x=part["week_start"],
                y=part["demand_hours"],
                customdata=[fmt_hours(v, lang) for v in part["demand_hours"]],
                name=f"{name} · {t('res.demand', lang)}",
                marker_color=colour,
                opacity=0.8,
                legendgroup=name,
                offsetgroup=group,
                hovertemplate=f"{name} · {t('res.demand', lang)}: %{{customdata}}<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=part["week_start"],
                y=part["capacity_hours"],
                customdata=[fmt_hours(v, lang) for v in part["capacity_hours"]],
                name=f"{name} · {t('res.capacity', lang)}",
                mode="markers",
                marker=dict(symbol="line-ew", size=18, line=dict(width=3, color="#212121")),
                legendgroup=name,
                offsetgroup=group,
                hovertemplate=f"{name} · {t('res.capacity', lang)}: %{{customdata}}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        scattermode="group",
        height=400,
        margin=dict(l=40, r=20, t=30, b=40),
        xaxis_title=t("res.week", lang),
        yaxis_title=t("res.hours", lang),
        legend=dict(orientation="h", yanchor="bottom", y=1.02),
        hovermode="x unified",
    )
    return localise_dates(fig, lang)
