"""Earned value formulas: the cost and schedule indices of the metric glossary and the earned
schedule (Lipke) formulas, on numbers and frames that already hold PV/EV/AC/BAC.

- A ratio with a zero or missing denominator is NaN. Roll-ups sum pv/ev/ac/bac, then divide.
- Earned schedule (Lipke): ES = C + (EV - PV_C)/(PV_{C+1} - PV_C), PV_0 = 0, C = number of whole
  periods with cumulative PV <= EV; ES is clamped to the planned duration PD. ES, AT and PD are
  in periods of the series.

Part of the earned value package; ``evm.py`` holds the entry points and re-exports these names.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .columns import column, floats

SUMMED = ("pv", "ev", "ac", "bac")


COST_METRICS = (
    "pv",
    "ev",
    "ac",
    "bac",
    "cv",
    "sv",
    "cv_pct",
    "sv_pct",
    "cpi",
    "spi",
    "eac_cpi",
    "eac_atypical",
    "eac_composite",
    "etc",
    "vac",
    "tcpi_bac",
    "tcpi_eac",
)


SCHEDULE_METRICS = ("es", "at", "pd", "sv_t", "spi_t", "ieac_t", "tspi")


DATE_METRICS = ("es_date", "forecast_finish")


GLOSSARY = (*COST_METRICS, *SCHEDULE_METRICS, *DATE_METRICS)


def _ratio(num, den) -> np.ndarray:
    """num/den elementwise; NaN where den is 0 or missing (never inf, never an exception)."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = num / den
    return np.where(np.isfinite(den) & (den != 0) & np.isfinite(out), out, np.nan)


def add_indices(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` (with pv, ev, ac, bac columns) plus every cost/schedule index of the glossary.

    Missing input columns count as missing values. If ``df`` also has es, at and pd, the earned
    schedule ratios (sv_t, spi_t, ieac_t, tspi) are recomputed from them too.
    """
    out = df.copy()
    pv, ev, ac, bac = (floats(column(df, c)) for c in SUMMED)
    for name, arr in zip(SUMMED, (pv, ev, ac, bac), strict=True):
        out[name] = arr
    cv = ev - ac
    sv = ev - pv
    cpi = _ratio(ev, ac)
    spi = _ratio(ev, pv)
    eac_cpi = _ratio(bac, cpi)
    out["cv"] = cv
    out["sv"] = sv
    out["cv_pct"] = _ratio(cv, ev)
    out["sv_pct"] = _ratio(sv, pv)
    out["cpi"] = cpi
    out["spi"] = spi
    out["eac_cpi"] = eac_cpi
    out["eac_atypical"] = ac + (bac - ev)
    with np.errstate(over="ignore", invalid="ignore"):
        out["eac_composite"] = ac + _ratio(bac - ev, cpi * spi)
    out["etc"] = eac_cpi - ac
    out["vac"] = bac - eac_cpi
    out["tcpi_bac"] = _ratio(bac - ev, bac - ac)
    out["tcpi_eac"] = _ratio(bac - ev, eac_cpi - ac)
    if {"es", "at", "pd"} <= set(df.columns):
        out = _add_schedule(out)
    return out


def _add_schedule(out: pd.DataFrame) -> pd.DataFrame:
    es, at, pd_ = floats(column(out, "es")), floats(column(out, "at")), floats(column(out, "pd"))
    spi_t = _ratio(es, at)
    out["sv_t"] = es - at
    out["spi_t"] = spi_t
    out["ieac_t"] = _ratio(pd_, spi_t)
    out["tspi"] = _ratio(pd_ - es, pd_ - at)
    return out


def evm_indices(pv: float, ev: float, ac: float, bac: float) -> dict[str, float]:
    """Every cost index of the glossary for plain numbers (NaN where a denominator is 0/missing)."""
    row = pd.DataFrame({"pv": [pv], "ev": [ev], "ac": [ac], "bac": [bac]}, dtype=float)
    res = add_indices(row).iloc[0]
    return {k: float(res[k]) for k in COST_METRICS}


def eac_from_cpi(bac: float, cpi: float) -> float:
    """EAC = BAC / CPI for a CPI given directly (NaN when CPI is 0 or missing)."""
    return float(_ratio(bac, cpi))


def tcpi(bac: float, ev: float, ac: float, eac: float | None = None) -> float:
    """To-complete performance index against BAC, or against ``eac`` when given."""
    target = bac if eac is None else eac
    return float(_ratio(bac - ev, target - ac))


def _es_series(pv: np.ndarray, ev: float, pd_: float) -> float:
    """Lipke earned schedule of ``ev`` against cumulative PV at period ends 1..n (PV_0 = 0)."""
    if not np.isfinite(ev) or len(pv) == 0:
        return float("nan")
    ev = max(float(ev), 0.0)
    tol = 1e-9 * max(1.0, float(np.nanmax(np.abs(pv))))
    above = np.flatnonzero(~(pv <= ev + tol))
    c = int(above[0]) if len(above) else len(pv)
    if c >= len(pv):
        es = float(len(pv))
    else:
        prev = float(pv[c - 1]) if c > 0 else 0.0
        es = c + (ev - prev) / (float(pv[c]) - prev)
    return float(min(max(es, 0.0), pd_)) if np.isfinite(pd_) else es


def planned_duration(pv_cumulative: Sequence[float]) -> float:
    """Periods until cumulative PV first reaches its final (maximum) value."""
    pv = np.asarray(pv_cumulative, dtype=float)
    if len(pv) == 0 or not np.isfinite(pv).any():
        return float("nan")
    top = np.nanmax(pv)
    return float(np.flatnonzero(pv >= top - 1e-9 * max(1.0, abs(top)))[0] + 1)


def earned_schedule(pv_cumulative: Sequence[float], ev: float, at: float, pd: float | None = None) -> dict[str, float]:
    """Earned schedule for one status point (for notebooks and tests).

    ``pv_cumulative``: cumulative PV at the end of periods 1..n; ``ev``: cumulative EV at the
    status date; ``at``: actual time in periods. ``pd`` defaults to the first period where PV
    reaches its final value. Returns es, at, pd, sv_t, spi_t, ieac_t, tspi.
    """
    pv = np.asarray(pv_cumulative, dtype=float)
    pd_ = planned_duration(pv) if pd is None else float(pd)
    es = _es_series(pv, ev, pd_)
    row = _add_schedule(_frame(es, at, pd_))
    return {k: float(row.iloc[0][k]) for k in SCHEDULE_METRICS}


def _frame(es: float, at: float, pd_: float) -> pd.DataFrame:
    return pd.DataFrame({"es": [es], "at": [float(at)], "pd": [pd_]}, dtype=float)
