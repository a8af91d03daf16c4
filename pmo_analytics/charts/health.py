"""Portfolio health heatmap: project x indicator, cells coloured by RAG, values written in.
Pure: the frame from ``metrics.health.health_matrix`` in, a plotly figure out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..i18n import t
from ..metrics.health import INDICATORS
from .agile import plain
from .style import MIN_TEXT_PX

RAG_CODE = {"red": 0, "amber": 1, "green": 2}
RAG_SCALE = [
    [0.0, "#ef9a9a"],
    [0.333, "#ef9a9a"],
    [0.334, "#ffe082"],
    [0.666, "#ffe082"],
    [0.667, "#a5d6a7"],
    [1.0, "#a5d6a7"],
]


def indicator_label(ind: str, lang: str = "en") -> str:
    return t(f"col.{ind}", lang)


def _fmt(ind: str, v: float) -> str:
    if v is None or v != v:
        return "—"
    if ind in ("cpi", "spi", "spi_t"):
        return f"{v:.2f}"
    if ind == "quality_score":
        return f"{v:.0f}%"
    if ind == "risk_exposure_pct":
        return f"{v:.1%}"
    return f"{v:.0f}"


# rows the heatmap draws at most (the first in the order given): 1,000 projects would make a
# 30,000-pixel figure with 7,000 cell texts (seconds to draw, nothing a person reads); the
# health table beside it lists every project
HEATMAP_ROWS = 40


def health_heatmap(matrix: pd.DataFrame, lang: str = "en", max_rows: int = HEATMAP_ROWS) -> go.Figure:
    """One row per project in the matrix's order (first row at the top; the first ``max_rows``
    rows only): the overall RAG
    (``rag``, the health engine's decision; a ⚑ when the project carries a flag) then one
    column per indicator; red/amber/green fill, grey background for missing values, value
    in each cell. Indicator cells have their own colours; only the first column is the
    project's colour."""
    matrix = matrix.head(max_rows)
    rows = [
        f"{plain(p)} · {plain(n)}" if isinstance(n, str) and n else plain(p)
        for p, n in zip(matrix["project_id"], matrix["name"], strict=True)
    ]
    overall = "rag" in matrix.columns
    first = 1 if overall else 0
    z = np.full((len(matrix), len(INDICATORS) + first), np.nan)
    text = np.full((len(matrix), len(INDICATORS) + first), "—", dtype=object)
    if overall:
        flags = matrix["flags"].tolist() if "flags" in matrix.columns else [[]] * len(matrix)
        for i, r in enumerate(matrix["rag"].tolist()):
            z[i, 0] = RAG_CODE.get(r, np.nan)
            text[i, 0] = (t(f"rag.{r}", lang) if r else "—") + (" ⚑" if flags[i] else "")
    for j, ind in enumerate(INDICATORS):
        rags = matrix[f"{ind}_rag"].tolist()
        vals = matrix[ind].tolist()
        for i in range(len(matrix)):
            z[i, j + first] = RAG_CODE.get(rags[i], np.nan)
            text[i, j + first] = _fmt(ind, vals[i])
    fig = go.Figure(
        go.Heatmap(
            x=([t("health.rag", lang)] if overall else []) + [indicator_label(i, lang) for i in INDICATORS],
            y=rows,
            z=z,
            zmin=0,
            zmax=2,
            colorscale=RAG_SCALE,
            showscale=False,
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=MIN_TEXT_PX + 1),
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_layout(
        height=max(240, 30 * len(rows) + 120),
        margin=dict(l=40, r=20, t=40, b=20),
        xaxis=dict(side="top"),
        yaxis=dict(autorange="reversed"),
        plot_bgcolor="#eeeeee",
    )
    return fig
