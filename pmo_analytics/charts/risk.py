"""Risk charts: the selectable 5x5 heatmap, exposure by group, exposure trend, risk-adjusted
forecast. Pure: frames from ``metrics.risk`` in, plotly figures out."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from ..i18n import t
from .agile import plain
from .style import localise_dates

BAND_COLOURS = {"low": "#a5d6a7", "medium": "#ffe082", "high": "#ef9a9a"}
THREAT, OPPORTUNITY = "#c62828", "#2e7d32"


def risk_heatmap(matrix: pd.DataFrame, lang: str = "en", *, selected: Iterable[tuple[int, int]] = ()) -> go.Figure:
    """5x5 matrix (``metrics.risk.risk_matrix``): x = impact 1-5, y = probability 1-5, cells
    coloured by score band, the count written in each cell.

    Selectable: a scatter trace puts one square marker on every cell, with
    ``customdata = [probability_score, impact_score, count, score]``; with
    ``st.plotly_chart(..., on_select="rerun", selection_mode=("points", "box"))`` the event's
    points carry those values (``metrics.risk.selected_cells`` reads them). ``selected``
    cells get a thick outline."""
    m = matrix.sort_values(["probability_score", "impact_score"])
    fig = go.Figure()
    # Cell colours are layout shapes (they take no events), so the only trace is the
    # selectable scatter. No dragmode="select" in the layout: with it a single click selects
    # nothing in Streamlit (checked in a real browser); box select stays in the mode bar.
    for r in m.itertuples():
        p, i = int(r.probability_score), int(r.impact_score)
        fig.add_shape(
            type="rect",
            x0=i - 0.48,
            x1=i + 0.48,
            y0=p - 0.48,
            y1=p + 0.48,
            fillcolor=BAND_COLOURS.get(r.band, "#eeeeee"),
            line=dict(width=0),
            layer="below",
        )
    exposure = m["exposure"].fillna(0.0) if "exposure" in m else pd.Series(0.0, index=m.index)
    fig.add_trace(
        go.Scatter(
            x=m["impact_score"].astype(int),
            y=m["probability_score"].astype(int),
            mode="markers+text",
            text=[str(c) if c else "" for c in m["count"]],
            textfont=dict(size=18, color="#212121"),
            marker=dict(symbol="square", size=48, color="rgba(0,0,0,0)", line=dict(width=0)),
            customdata=list(
                zip(
                    m["probability_score"].astype(int),
                    m["impact_score"].astype(int),
                    m["count"],
                    m["score"],
                    exposure,
                    strict=True,
                )
            ),
            hovertemplate=(
                t("risk.probability", lang)
                + " %{customdata[0]} · "
                + t("risk.impact", lang)
                + " %{customdata[1]}<br>"
                + t("risk.score", lang)
                + " %{customdata[3]} · "
                + t("risk.count", lang)
                + " %{customdata[2]}<br>"
                + "EMV %{customdata[4]:,.0f}<extra></extra>"
            ),
            selected=dict(marker=dict(color="rgba(0,0,0,0)")),  # the outline shape marks selection
            unselected=dict(marker=dict(color="rgba(0,0,0,0)")),
            showlegend=False,
        )
    )
    for p, i in selected:
        fig.add_shape(
            type="rect",
            x0=i - 0.5,
            x1=i + 0.5,
            y0=p - 0.5,
            y1=p + 0.5,
            line=dict(color="#0d47a1", width=4),
            layer="above",
        )
    fig.update_layout(
        xaxis=dict(
            title=t("risk.impact", lang),
            tickmode="array",
            tickvals=list(range(1, 6)),
            range=[0.5, 5.5],
            fixedrange=True,
        ),
        yaxis=dict(
            title=t("risk.probability", lang),
            tickmode="array",
            tickvals=list(range(1, 6)),
            range=[0.5, 5.5],
            fixedrange=True,
        ),
        height=430,
        margin=dict(l=50, r=20, t=20, b=50),
        clickmode="event+select",
        plot_bgcolor="white",
    )
    return fig


def exposure_bars(exposure: pd.DataFrame, by: str, lang: str = "en") -> go.Figure:
    """Threat EMV (right) and opportunity EMV (left, negative) per group, side by side, never netted."""
    e = exposure.sort_values("threat_emv")
    y = [plain(v) for v in e[by]]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=y, x=e["threat_emv"], orientation="h", name=t("risk.threats", lang), marker_color=THREAT))
    fig.add_trace(
        go.Bar(y=y, x=e["opportunity_emv"], orientation="h", name=t("risk.opps", lang), marker_color=OPPORTUNITY)
    )
    fig.update_layout(
        barmode="relative",
        height=max(260, 32 * len(e) + 120),
        margin=dict(l=40, r=20, t=30, b=40),
        xaxis_title=t("risk.exposure", lang),
        legend=dict(orientation="h", yanchor="bottom", y=1.02),
    )
    return fig


def exposure_trend_chart(trend: pd.DataFrame, by: str, lang: str = "en") -> go.Figure:
    """Threat EMV per group at each status date (solid), opportunity EMV (dotted, negative)."""
    fig = go.Figure()
    for key, part in trend.groupby(by, sort=True):
        part = part.sort_values("status_date")
        name = plain(key)
        fig.add_trace(
            go.Scatter(
                x=part["status_date"],
                y=part["threat_emv"],
                name=f"{name} · {t('risk.threats', lang)}",
                mode="lines+markers",
            )
        )
        if (part["opportunity_emv"] != 0).any():
            fig.add_trace(
                go.Scatter(
                    x=part["status_date"],
                    y=part["opportunity_emv"],
                    name=f"{name} · {t('risk.opps', lang)}",
                    mode="lines+markers",
                    line=dict(dash="dot"),
                )
            )
    fig.update_layout(
        height=380,
        margin=dict(l=40, r=20, t=30, b=40),
        xaxis_title=t("filter.status_date", lang),
        yaxis_title=t("risk.exposure", lang),
        legend=dict(orientation="h", yanchor="bottom", y=1.02),
    )
    return localise_dates(fig, lang)


def risk_adjusted_chart(f: pd.DataFrame, lang: str = "en") -> go.Figure:
    """EAC and EAC + open threat EMV per project (``metrics.risk.risk_adjusted_forecast``)."""
    x = [plain(p) for p in f["project_id"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=f["eac_cpi"], name=t("col.eac_cpi", lang), marker_color="#1565c0"))
    fig.add_trace(go.Bar(x=x, y=f["eac_risk_adjusted"], name=t("col.eac_risk_adjusted", lang), marker_color=THREAT))
    fig.update_layout(
        barmode="group",
        height=360,
        margin=dict(l=40, r=20, t=30, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.02),
    )
    return fig
