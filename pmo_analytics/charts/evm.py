"""Earned value charts: the S-curve and the CPI / SPI / SPI(t) trend with RAG bands."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from ..formatting import hover, hover_format, money
from ..i18n import t
from ..settings import Settings
from .style import MIN_TEXT_PX, amount_ticks, localise_dates

LUMP_FACTOR = 3.0  # an AC step this many times the median of the others is called a lump sum

COLOURS = {"pv": "#1f77b4", "ev": "#2e7d32", "ac": "#c62828", "bac": "#555555", "eac": "#ef6c00", "spi_t": "#6a1b9a"}
BANDS = {"green": "rgba(46,125,50,0.10)", "amber": "rgba(249,168,37,0.15)", "red": "rgba(198,40,40,0.10)"}


def _vline(fig: go.Figure, x, text: str, colour: str, dash: str, bottom: bool = False) -> None:
    """A vertical line at a date with a label (shape + annotation; works on date axes), the
    label above the plot, or inside at its foot when ``bottom`` (two dates close together)."""
    if x is None or pd.isna(x):
        return
    x = pd.Timestamp(x)
    fig.add_shape(type="line", x0=x, x1=x, yref="paper", y0=0, y1=1, line=dict(color=colour, dash=dash, width=1.5))
    fig.add_annotation(
        x=x,
        y=0 if bottom else 1,
        yref="paper",
        text=text,
        showarrow=False,
        yanchor="bottom",
        xanchor="right" if bottom else "center",
        bgcolor="rgba(255,255,255,0.85)" if bottom else None,
        font=dict(color=colour),
    )


def _hline(fig: go.Figure, y, text: str, colour: str, dash: str) -> None:
    if y is None or not math.isfinite(float(y)):
        return
    fig.add_hline(y=float(y), line=dict(color=colour, dash=dash, width=1.5))
    fig.add_annotation(
        x=1,
        xref="paper",
        y=float(y),
        text=text,
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        font=dict(color=colour),
    )


def s_curve_figure(
    curve: pd.DataFrame, row: pd.Series | dict | None = None, lang: str = "en", currency: str | None = None
) -> go.Figure:
    """Cumulative PV of the baseline, EV and AC through the status dates, BAC and EAC lines,
    the latest status date, the baseline finish and the forecast finish.

    ``curve`` comes from ``metrics.evm.s_curve_frame``; ``row`` is the metrics row at the latest
    status date (project or roll-up) and supplies BAC, EAC and the dates. ``currency`` labels
    the amounts (axis title and hovers)."""
    hover = hover_format(currency) + "<extra>%{fullData.name}</extra>"
    fig = go.Figure()
    plan = curve[curve["kind"] == "plan"] if len(curve) else curve
    status = curve[curve["kind"] == "status"] if len(curve) else curve
    if len(plan):
        fig.add_trace(
            go.Scatter(
                x=plan["date"],
                y=plan["pv_cum"],
                name=t("evm.chart.pv", lang),
                mode="lines",
                line=dict(color=COLOURS["pv"]),
                hovertemplate=hover,
            )
        )
    if len(status):
        for key in ("ev", "ac"):
            fig.add_trace(
                go.Scatter(
                    x=status["date"],
                    y=status[key],
                    name=t(f"evm.chart.{key}", lang),
                    mode="lines+markers",
                    line=dict(color=COLOURS[key]),
                    hovertemplate=hover,
                )
            )
    for note in step_notes(status, lang, currency):
        fig.add_annotation(
            x=note["date"],
            y=note["ac"],
            text=note["text"],
            showarrow=True,
            arrowhead=2,
            ax=-40,
            ay=-50,
            xanchor="right",
            bgcolor="rgba(255,255,255,0.85)",
            bordercolor=COLOURS["ac"],
            font=dict(color=COLOURS["ac"], size=MIN_TEXT_PX + 1),
            name="ac_step",
        )
    r = dict(row) if row is not None else {}
    if not r and len(status):
        r = status.iloc[-1].to_dict() | {"status_date": status["date"].iloc[-1]}
    _hline(fig, r.get("bac"), t("evm.chart.bac", lang), COLOURS["bac"], "dot")
    _hline(fig, r.get("eac_cpi"), t("evm.chart.eac", lang), COLOURS["eac"], "dash")
    _vline(fig, r.get("status_date"), t("evm.chart.status_date", lang), "#333333", "dot")
    _vline(fig, r.get("plan_finish"), t("evm.chart.plan_finish", lang), COLOURS["pv"], "dot", bottom=True)
    if pd.isna(r.get("completed", pd.NaT)):
        _vline(fig, r.get("forecast_finish"), t("evm.chart.forecast", lang), COLOURS["eac"], "dash")
    if not fig.data:
        fig.add_annotation(text=t("evm.chart.empty", lang), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_layout(
        title=t("evm.chart.s_title", lang),
        xaxis_title=t("evm.chart.date", lang),
        yaxis_title=t("evm.chart.amount", lang) + (f" ({currency})" if currency else ""),
        height=460,
        margin=dict(l=40, r=20, t=60, b=40),
        legend=dict(orientation="h", y=-0.15),
        hovermode="x unified",
    )
    amounts = [y for tr in fig.data for y in (tr.y if tr.y is not None else ())]
    amounts += [r.get("bac") or 0.0, r.get("eac_cpi") or 0.0]
    return localise_dates(amount_ticks(fig, amounts, lang), lang)


def step_notes(status: pd.DataFrame, lang: str = "en", currency: str | None = None) -> list[dict]:
    """Why cumulative AC jumps at a status point, one note per jump (``date``, ``ac``, ``text``):

    - projects counted in the roll-up for the first time there bring their AC to date in one
      step (``s_curve_frame``'s ``joined``/``joined_ac``): "10 project(s) join the roll-up:
      AC to date CNY 14.0M";
    - otherwise a rise of AC ``LUMP_FACTOR`` times the median rise of the other periods over as
      many projects (three rises at least to compare with) is a lump sum booked in one period."""
    if status is None or len(status) < 2 or "ac" not in status.columns:
        return []
    df = status.sort_values("date").reset_index(drop=True)
    joined = df["joined"].fillna(0) if "joined" in df.columns else pd.Series(0.0, index=df.index)
    joined_ac = df["joined_ac"].fillna(0) if "joined_ac" in df.columns else pd.Series(0.0, index=df.index)
    rise = df["ac"].diff() - joined_ac
    count = df["projects"].fillna(0) if "projects" in df.columns else pd.Series(1.0, index=df.index)
    notes = []
    for i in range(1, len(df)):
        if joined.iloc[i] > 0 and joined_ac.iloc[i] > 0:
            text = t("chart.scurve.joined", lang, n=int(joined.iloc[i]), ac=money(joined_ac.iloc[i], currency, lang))
            notes.append({"date": df["date"].iloc[i], "ac": df["ac"].iloc[i], "text": text, "kind": "joined"})
            continue
        # compared with the rises of the other periods over the same number of projects
        same = count == count.iloc[i]
        others = rise[same].drop(index=[0, i], errors="ignore").dropna()
        others = others[others > 0]
        step = rise.iloc[i]
        if len(others) >= 3 and pd.notna(step) and step > LUMP_FACTOR * float(others.median()) > 0:
            text = t("chart.scurve.lump", lang, ac=money(step, currency, lang, signed=True))
            notes.append({"date": df["date"].iloc[i], "ac": df["ac"].iloc[i], "text": text, "kind": "lump"})
    return notes


def trend_figure(rows: pd.DataFrame, settings: Settings | None = None, lang: str = "en") -> go.Figure:
    """CPI, SPI and SPI(t) over status dates (one project or a roll-up) on RAG bands:
    red below ``settings.red_below``, amber up to ``settings.green_at``, green above."""
    s = settings or Settings()
    fig = go.Figure()
    df = rows.sort_values("status_date") if len(rows) else rows
    values = []
    for key, colour in (("cpi", COLOURS["ac"]), ("spi", COLOURS["pv"]), ("spi_t", COLOURS["spi_t"])):
        if key in df.columns and df[key].notna().any():
            values.extend(df[key].dropna().tolist())
            fig.add_trace(
                go.Scatter(
                    x=df["status_date"],
                    y=df[key],
                    name={"cpi": "CPI", "spi": "SPI", "spi_t": "SPI(t)"}[key],
                    mode="lines+markers",
                    line=dict(color=colour),
                    connectgaps=False,
                    hovertemplate=hover("index") + "<extra>%{fullData.name}</extra>",
                )
            )
    lo = min([0.5, *[v - 0.05 for v in values]])
    hi = max([1.5, *[v + 0.05 for v in values]])
    for y0, y1, band in ((lo, s.red_below, "red"), (s.red_below, s.green_at, "amber"), (s.green_at, hi, "green")):
        fig.add_hrect(y0=y0, y1=y1, fillcolor=BANDS[band], line_width=0, layer="below")
    fig.add_hline(y=1.0, line=dict(color="#555555", dash="dot", width=1))
    if not fig.data:
        fig.add_annotation(text=t("evm.chart.empty", lang), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_layout(
        title=t("evm.chart.trend_title", lang),
        xaxis_title=t("evm.chart.status_date", lang),
        yaxis=dict(title=t("evm.chart.index", lang), range=[lo, hi]),
        height=380,
        margin=dict(l=40, r=20, t=60, b=40),
        legend=dict(orientation="h", y=-0.2),
    )
    return localise_dates(fig, lang)
