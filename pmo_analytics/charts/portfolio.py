"""Portfolio charts: the CPI x SPI quadrant bubble chart."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from .. import escape
from ..formatting import hover, money
from ..i18n import t
from ..settings import Settings
from .style import MIN_TEXT_PX

RAG_COLOURS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "": "#9e9e9e"}


def _currencies(df: pd.DataFrame) -> list:
    return df["currency"].tolist() if "currency" in df.columns else [None] * len(df)


def _esc(v: object) -> str:
    """Plotly renders hover and marker text as HTML: user text goes in escaped."""
    return escape.html(v)


LABEL_MAX = 8  # text labels at most; every bubble has its hover
NAME_CHARS = 22
POSITIONS = ("top center", "bottom center", "middle right", "middle left")


def _axis_range(values: pd.Series) -> list[float]:
    """An axis range fitted to ``values`` with 1.0 (on plan) always in view and a margin of 8 %
    of the span (at least 0.03) either side."""
    lo, hi = min(float(values.min()), 1.0), max(float(values.max()), 1.0)
    pad = max(0.03, (hi - lo) * 0.08)
    return [lo - pad, hi + pad]


def _short(name: object, pid: object) -> str:
    text = str(name) if isinstance(name, str) and name.strip() else str(pid)
    return text if len(text) <= NAME_CHARS else text[: NAME_CHARS - 1] + "…"


def label_rows(df: pd.DataFrame, limit: int = LABEL_MAX) -> list:
    """Index labels of the bubbles that get a text label: the red ones first, then the furthest
    from (1, 1), ``limit`` at most."""
    dist = ((df["spi"] - 1.0) ** 2 + (df["cpi"] - 1.0) ** 2).pow(0.5)
    red = df.index[df["_rag"] == "red"]
    ranked = list(dist.loc[red].sort_values(ascending=False).index)
    ranked += [i for i in dist.sort_values(ascending=False).index if i not in set(ranked)]
    return ranked[:limit]


CHAR_FRACTION = 0.0085  # width of a label character as a share of the plot (12 px on ~900 px)


def _positions(df: pd.DataFrame, chosen: list, xr: list[float], yr: list[float]) -> dict:
    """A text position per labelled bubble: among the sides where the whole label stays inside
    the plot, the one farthest from the labels placed so far (distances in plot fractions), so
    that close bubbles do not stack their names and no name is cut at an edge."""
    placed: list[tuple[float, float]] = []
    out = {}
    w, h = xr[1] - xr[0], yr[1] - yr[0]
    for i in chosen:
        x, y = (df.at[i, "spi"] - xr[0]) / w, (df.at[i, "cpi"] - yr[0]) / h
        label = _short(df.at[i, "name"], df.at[i, "project_id"])
        half = sum(2 if ord(ch) >= 0x2E80 else 1 for ch in label) * CHAR_FRACTION / 2  # CJK: two widths
        centres = {  # where the label's centre lands, beside a bubble of ~0.04
            "top center": (x, y + 0.07),
            "bottom center": (x, y - 0.07),
            "middle right": (x + 0.03 + half, y),
            "middle left": (x - 0.03 - half, y),
        }
        fits = {p: c for p, c in centres.items() if half < c[0] < 1 - half and 0.04 < c[1] < 0.96}
        best = max(
            fits or centres,
            key=lambda p: (
                min((math.hypot(centres[p][0] - qx, centres[p][1] - qy) for qx, qy in placed), default=9.0)
                - (0 if p in fits else 9.0)
            ),
        )
        placed.append(centres[best])
        out[i] = best
    return out


def quadrant(health: pd.DataFrame, settings: Settings, lang: str = "en") -> go.Figure:
    """CPI (y) against SPI (x), one bubble per project sized by BAC, coloured by the overall
    RAG in ``health["rag"]`` (``portfolio.health_table``; else the worse of CPI and SPI).

    Axes fit the data with the 1.0 lines in view. The red projects and those furthest from
    plan carry their name (``LABEL_MAX`` at most, placed apart); every bubble has a hover with
    id, name, indices, RAG and BAC with its currency. Projects with a missing CPI or SPI are
    left out (they cannot be placed)."""
    df = health.dropna(subset=["cpi", "spi"]).copy()
    order = {"red": 0, "amber": 1, "green": 2}
    if "rag" in df.columns:  # the health engine's overall RAG (metrics.health), as codes
        df["_rag"] = df["rag"].fillna("").astype(str)
    else:
        df["_rag"] = [
            min(settings.rag(c), settings.rag(s), key=order.get) for c, s in zip(df["cpi"], df["spi"], strict=True)
        ]
    if "name" not in df.columns:
        df["name"] = df["project_id"]
    fig = go.Figure()
    xr, yr = (_axis_range(df["spi"]), _axis_range(df["cpi"])) if len(df) else ([0.5, 1.5], [0.5, 1.5])
    if len(df):
        bac = df["bac"].fillna(0).clip(lower=0)
        size = (bac / bac.max()).pow(0.5) * 40 + 12 if bac.max() > 0 else pd.Series(20, index=df.index)
        chosen = label_rows(df)
        where = _positions(df, chosen, xr, yr)
        for rag in sorted(df["_rag"].unique(), key=lambda r: order.get(r, 3)):
            part = df[df["_rag"] == rag]
            rag_word = t(f"rag.{rag}", lang) if rag else "—"
            fig.add_trace(
                go.Scatter(
                    x=part["spi"],
                    y=part["cpi"],
                    mode="markers+text",
                    text=[
                        _esc(_short(n, p)) if i in where else ""
                        for i, n, p in zip(part.index, part["name"], part["project_id"], strict=True)
                    ],  # fmt: skip
                    textposition=[where.get(i, "top center") for i in part.index],
                    textfont=dict(size=12, color="#212121"),
                    cliponaxis=False,
                    marker=dict(
                        size=size.loc[part.index],
                        color=RAG_COLOURS.get(rag, "#9e9e9e"),
                        opacity=0.75,
                        line=dict(width=1, color="#333"),
                    ),
                    # BAC with its currency (formatting.money); sizes compare like with like when
                    # the page passes rows converted into the reporting currency (metrics.fx.convert)
                    customdata=list(
                        zip(
                            part["project_id"].map(_esc),
                            part["name"].map(_esc),
                            [money(b, c, lang) for b, c in zip(part["bac"], _currencies(part), strict=True)],
                            strict=True,
                        )
                    ),
                    hovertemplate=(
                        "<b>%{customdata[0]}</b> · %{customdata[1]}<br>SPI "
                        + hover("index", "x")
                        + " · CPI "
                        + hover("index", "y")
                        + "<br>"
                        + _esc(rag_word)
                        + " · BAC %{customdata[2]}<extra></extra>"
                    ),
                    name=rag_word,
                    meta=rag or "none",
                )
            )
    fig.add_hline(y=1.0, line_dash="dot", line_color="#555")
    fig.add_vline(x=1.0, line_dash="dot", line_color="#555")
    # the quadrants named at the plot's corners, outside the data: bottom left inside, top right
    # above the plot (bubbles near (1, 1) sit in the top right corner)
    for x, y, key, colour, xa, ya in (
        (0, 0, "late_over", RAG_COLOURS["red"], "left", "bottom"),
        (1, 1.01, "ahead_under", RAG_COLOURS["green"], "right", "bottom"),
    ):
        fig.add_annotation(
            x=x,
            y=y,
            xref="paper",
            yref="paper",
            text=t(f"portfolio.quadrant.{key}", lang),
            showarrow=False,
            xanchor=xa,
            yanchor=ya,
            font=dict(color=colour, size=12),
        )
    fig.update_layout(
        xaxis=dict(title=t("portfolio.quadrant.x", lang), range=xr, tickformat=".2f", zeroline=False),
        yaxis=dict(title=t("portfolio.quadrant.y", lang), range=yr, tickformat=".2f", zeroline=False),
        height=500,
        margin=dict(l=40, r=20, t=40, b=95),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        font=dict(size=12),
    )
    if len(df):
        fig.add_annotation(
            text=quadrant_note(lang),
            xref="paper",
            yref="paper",
            x=0,
            y=-0.19,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            font=dict(size=MIN_TEXT_PX + 1, color="#555"),
        )
    return fig


def quadrant_note(lang: str = "en") -> str:
    """The caption under the quadrant: which bubbles carry a name."""
    return t("chart.quadrant.labelled", lang)
