"""Portfolio charts: the CPI x SPI quadrant bubble chart."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from .. import escape
from ..formatting import money
from ..i18n import t
from ..settings import Settings

RAG_COLOURS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "": "#9e9e9e"}


def _currencies(df: pd.DataFrame) -> list:
    return df["currency"].tolist() if "currency" in df.columns else [None] * len(df)


def _esc(v: object) -> str:
    """Plotly renders hover and marker text as HTML: user text goes in escaped."""
    return escape.html(v)


def quadrant(health: pd.DataFrame, settings: Settings, lang: str = "en") -> go.Figure:
    """CPI (y) against SPI (x), one bubble per project sized by BAC, coloured by the overall
    RAG in ``health["rag"]`` (``portfolio.health_table``; else the worse of CPI and SPI).
    Projects with a missing CPI or SPI are left out (they cannot be placed)."""
    df = health.dropna(subset=["cpi", "spi"]).copy()
    order = {"red": 0, "amber": 1, "green": 2}
    if "rag" in df.columns:  # the health engine's overall RAG (metrics.health), as codes
        df["_rag"] = df["rag"].fillna("").astype(str)
    else:
        df["_rag"] = [
            min(settings.rag(c), settings.rag(s), key=order.get) for c, s in zip(df["cpi"], df["spi"], strict=True)
        ]
    fig = go.Figure()
    if len(df):
        bac = df["bac"].fillna(0).clip(lower=0)
        size = (bac / bac.max()).pow(0.5) * 45 + 10 if bac.max() > 0 else pd.Series(20, index=df.index)
        for rag, part in df.groupby("_rag", sort=False):
            fig.add_trace(
                go.Scatter(
                    x=part["spi"],
                    y=part["cpi"],
                    mode="markers+text",
                    text=part["project_id"].map(_esc),
                    textposition="top center",
                    marker=dict(
                        size=size.loc[part.index],
                        color=RAG_COLOURS.get(rag, "#9e9e9e"),
                        opacity=0.7,
                        line=dict(width=1, color="#333"),
                    ),
                    # BAC with its currency (formatting.money); sizes compare like with like when
                    # the page passes rows converted into the reporting currency (metrics.fx.convert)
                    customdata=list(
                        zip(
                            part["name"].map(_esc),
                            [money(b, c, lang) for b, c in zip(part["bac"], _currencies(part), strict=True)],
                            strict=True,
                        )
                    ),
                    hovertemplate="%{text} · %{customdata[0]}<br>SPI %{x:.2f} · CPI %{y:.2f}<br>BAC %{customdata[1]}<extra></extra>",
                    name=t(f"rag.{rag}", lang) if rag else "—",
                )
            )
        lo = min(0.5, math.floor(min(df["spi"].min(), df["cpi"].min()) * 10) / 10)
        hi = max(1.5, math.ceil(max(df["spi"].max(), df["cpi"].max()) * 10) / 10)
    else:
        lo, hi = 0.5, 1.5
    fig.add_hline(y=1.0, line_dash="dot", line_color="#555")
    fig.add_vline(x=1.0, line_dash="dot", line_color="#555")
    fig.add_annotation(
        x=lo,
        y=lo,
        text=t("portfolio.quadrant.late_over", lang),
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        font=dict(color=RAG_COLOURS["red"]),
    )
    fig.add_annotation(
        x=hi,
        y=hi,
        text=t("portfolio.quadrant.ahead_under", lang),
        showarrow=False,
        xanchor="right",
        yanchor="top",
        font=dict(color=RAG_COLOURS["green"]),
    )
    fig.update_layout(
        xaxis=dict(title=t("portfolio.quadrant.x", lang), range=[lo - 0.05, hi + 0.05]),
        yaxis=dict(title=t("portfolio.quadrant.y", lang), range=[lo - 0.05, hi + 0.05]),
        height=480,
        margin=dict(l=40, r=20, t=30, b=40),
        legend=dict(orientation="h"),
    )
    return fig
