"""What every chart shares: date axes in the UI language, a minimum text size, one palette
of distinct colours.

Streamlit's Plotly bundle registers only the ``en`` and ``en-US`` locales (checked in
Streamlit 1.5x-1.6x: ``PlotlyChart.*.js`` holds ``locale-en`` and ``locale-en-us`` and nothing
else), so ``st.plotly_chart(config={"locale": "zh-CN"})`` would leave English month names.
``localise_dates`` writes the date ticks with our own formats instead (``2026年10月``,
``10月5日``; formats from ``locales/charts.py``) and hovers as ISO dates, on every date axis of a
figure. Chart builders call it last.
"""

from __future__ import annotations

import datetime as _dt
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..formatting import compact
from ..i18n import t

MIN_TEXT_PX = 11  # smallest text drawn on a chart (cell text, labels, annotations)
HOVER_DATE = "%Y-%m-%d"
# distinct colours (Okabe-Ito first, then Tableau's and a few dark ones): a line per item never
# shares a colour with another within the first 16
DISTINCT = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#000000",
    "#8C564B",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
    "#9467BD",
    "#1B5E20",
    "#880E4F",
    "#F0E442",
    "#3E2723",
]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "triangle-down", "cross"]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def distinct_style(i: int) -> tuple[str, str]:
    """(colour, marker symbol) of item ``i``: unique pairs for the first 16 x 8 items, the
    colours themselves distinct for the first 16."""
    return DISTINCT[i % len(DISTINCT)], SYMBOLS[(i // len(DISTINCT)) % len(SYMBOLS)]


def _is_dates(values: object) -> bool:
    """Whether plotly would put ``values`` on a date axis (datetime values or ISO date strings)."""
    if values is None:
        return False
    arr = np.asarray(values)
    if arr.size == 0:
        return False
    if np.issubdtype(arr.dtype, np.datetime64):
        return True
    first = next((v for v in arr.ravel().tolist() if v is not None and v == v), None)
    if isinstance(first, _dt.date | pd.Timestamp | np.datetime64):
        return True
    return isinstance(first, str) and bool(_ISO_DATE.match(first))


def date_axes(fig: go.Figure) -> set[str]:
    """Layout names of the date axes of ``fig`` (``xaxis``, ``yaxis2`` ...): typed ``date`` in
    the layout, or holding dates in a trace (bars use ``base`` for their start)."""
    found: set[str] = set()
    for name in fig.layout:
        if re.fullmatch(r"[xy]axis\d*", name) and getattr(fig.layout[name], "type", None) == "date":
            found.add(name)
    for tr in fig.data:
        for letter in ("x", "y"):
            ref = getattr(tr, f"{letter}axis", None) or letter
            layout_name = f"{letter}axis{ref[1:]}"
            if layout_name in found:
                continue
            vals = getattr(tr, letter, None)
            if _is_dates(vals) or (
                getattr(tr, "type", "") == "bar"
                and (tr.orientation or "v") == ("h" if letter == "x" else "v")
                and _is_dates(getattr(tr, "base", None))
            ):
                found.add(layout_name)
    return found


def localise_dates(fig: go.Figure, lang: str = "en") -> go.Figure:
    """Date ticks in ``lang`` on every date axis of ``fig`` (month names included) and ISO
    dates in hovers; returns ``fig``. English keeps Plotly's own tick formats."""
    for name in date_axes(fig):
        axis = fig.layout[name]
        axis.hoverformat = HOVER_DATE
        if lang == "en":
            continue
        axis.tickformatstops = [
            dict(dtickrange=[None, "M1"], value=t("chart.date.day", lang)),
            dict(dtickrange=["M1", "M12"], value=t("chart.date.month", lang)),
            dict(dtickrange=["M12", None], value=t("chart.date.year", lang)),
        ]
    return fig


def nice_ticks(top: float, n: int = 5) -> list[float]:
    """Tick values 0, step, 2 step ... up to ``top`` or just beyond, with a step of 1, 2, 2.5
    or 5 times a power of ten giving about ``n`` intervals."""
    if not top or not np.isfinite(top) or top <= 0:
        return [0.0]
    raw = top / n
    mag = 10 ** np.floor(np.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    count = int(np.ceil(top / step - 1e-9))
    return [float(step * k) for k in range(count + 1)]


def amount_ticks(fig: go.Figure, values: list[float], lang: str = "en", axis: str = "yaxis") -> go.Figure:
    """Amount ticks in ``lang``'s compact units on ``axis`` (``3,000万`` in Chinese, where
    Plotly would write ``30M``), for amounts from 0 to the largest of ``values``. English keeps
    Plotly's own ticks."""
    finite = [float(v) for v in values if v is not None and np.isfinite(v)]
    if lang == "en" or not finite or max(finite) <= 0:
        return fig
    ticks = nice_ticks(max(finite))
    fig.layout[axis].update(tickmode="array", tickvals=ticks, ticktext=[compact(v, lang, 0) for v in ticks])
    return fig
