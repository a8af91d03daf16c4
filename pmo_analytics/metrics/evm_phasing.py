"""Earned value time-phasing: each task's budget spread linearly over its working days, summed
into cumulative PV curves per group on the reporting-period grid (a sort and two cumulative sums
instead of a task x period cross join), and earned schedule read off those curves per group.

Positions on the period grid are measured in working time (``evm_calendar.position``,
``working_time``). Part of the earned value package; ``evm.py`` holds the entry points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .evm_calendar import (
    period_end,
)
from .working_time import EPOCH, Calendar


@dataclass
class Phasing:
    """Per-task phasing inputs on the working-day axis (arrays aligned with the task rows)."""

    group: np.ndarray  # int group code per task
    weight: np.ndarray  # budget per task (in the basis' units)
    fs: np.ndarray  # F(baseline start - 1)
    fe: np.ndarray  # F(baseline finish)
    finish_day: np.ndarray  # baseline finish, datetime64[D]
    dated: np.ndarray  # bool: the task has usable dates


def phase_curves(ph: Phasing, p0: np.ndarray, p1: np.ndarray, period: str, cal: Calendar):
    """Cumulative PV at every period end p0..p1 of every group.

    Each dated task is a ramp of slope weight/D on the working-day axis between fs and fe (a step
    at its finish day when it has no working days). PV(x) = sum r_i * clip(x - fs_i, 0, fe_i - fs_i)
    is evaluated for all period ends at once with one sort and prefix sums: O((tasks + points)
    log) instead of tasks x periods. Returns (group, period_end, pv_cum) arrays sorted by group
    then period.
    """
    n_groups = len(p0)
    counts = np.where(p1 >= p0, p1 - p0 + 1, 0).astype(np.int64)
    total = int(counts.sum())
    g_pt = np.repeat(np.arange(n_groups, dtype=np.int64), counts)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    pid_pt = p0[g_pt] + (np.arange(total, dtype=np.int64) - offsets[g_pt])
    end_pt = period_end(pid_pt, period)
    pv_pt = np.zeros(total)
    if total == 0:
        return g_pt, end_pt, pv_pt

    base = cal.ordinal(period_end(p0 - 1, period))  # F at the end of "period 0" of each group
    d = ph.fe - ph.fs
    ramp = ph.dated & (d > 0) & (ph.weight != 0)
    if ramp.any():
        g = ph.group[ramp]
        r = ph.weight[ramp] / d[ramp]
        xs = ph.fs[ramp] - base[g]
        xe = ph.fe[ramp] - base[g]
        x_pt = cal.ordinal(end_pt) - base[g_pt]
        span = int(max(xe.max(), x_pt.max())) + 2
        keys = np.concatenate([g * span + xs, g * span + xe])
        rates = np.concatenate([r, -r])
        xv = np.concatenate([xs, xe]).astype(float)
        order = np.argsort(keys, kind="stable")
        keys, rates, xv = keys[order], rates[order], xv[order]
        eg = g[order % len(g)]  # group of each sorted event
        hi = np.searchsorted(keys, g_pt * span + x_pt, side="right")
        lo = np.searchsorted(keys, g_pt * span, side="left")
        sr = _prefix_in_group(eg, rates, hi, lo)
        srx = _prefix_in_group(eg, rates * xv, hi, lo)
        pv_pt += x_pt * sr - srx
    step = ph.dated & (d <= 0) & (ph.weight != 0)
    if step.any():
        g = ph.group[step]
        day0 = (np.min(ph.finish_day[step]) - EPOCH).astype(np.int64)
        sd = (ph.finish_day[step] - EPOCH).astype(np.int64) - day0
        pd_days = (end_pt - EPOCH).astype(np.int64) - day0
        span = int(max(sd.max(), pd_days.max(), 0)) + 2
        pd_days = np.clip(pd_days, -1, None)
        keys = g * span + sd
        order = np.argsort(keys, kind="stable")
        keys, w = keys[order], ph.weight[step][order]
        hi = np.searchsorted(keys, g_pt * span + pd_days, side="right")
        lo = np.searchsorted(keys, g_pt * span, side="left")
        pv_pt += _prefix_in_group(g[order], w, hi, lo)
    return g_pt, end_pt, pv_pt


def _prefix_in_group(groups: np.ndarray, values: np.ndarray, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Sum of ``values[lo:hi]`` for each query, where [lo, hi) lies inside one group of the
    group-sorted ``values``. Prefix sums restart at every group so rounding never carries
    across groups (a global cumsum would lose digits on large portfolios)."""
    if len(values) == 0:
        return np.zeros(len(hi))
    cum = pd.Series(values).groupby(groups, sort=False).cumsum().to_numpy()
    return np.where(hi > lo, cum[np.maximum(hi - 1, 0)], 0.0)


def _es_groups(g_pt, pv_pt, n_groups, ev, pd_):
    """Vectorised ``_es_series`` over groups of a concatenated, group-sorted curve."""
    counts = np.bincount(g_pt, minlength=n_groups).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    ev_eff = np.where(np.isfinite(ev), np.maximum(ev, 0.0), 0.0)
    top = np.zeros(n_groups)
    if len(pv_pt):
        np.maximum.at(top, g_pt, np.abs(pv_pt))
    tol = 1e-9 * np.maximum(1.0, top)
    leq = pv_pt <= (ev_eff + tol)[g_pt]
    c = np.bincount(g_pt, weights=leq.astype(float), minlength=n_groups).astype(np.int64)
    last = max(len(pv_pt) - 1, 0)
    safe = len(pv_pt) > 0
    prev = np.where(c > 0, pv_pt[np.clip(offsets + c - 1, 0, last)] if safe else 0.0, 0.0)
    has_next = c < counts
    nxt = pv_pt[np.clip(offsets + np.minimum(c, counts - 1), 0, last)] if safe else np.zeros(n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        es = np.where(has_next, c + (ev_eff - prev) / np.where(has_next, nxt - prev, 1.0), counts.astype(float))
    es = np.minimum(np.maximum(es, 0.0), np.where(np.isfinite(pd_), pd_, np.inf))
    return np.where(np.isfinite(ev) & (counts > 0), es, np.nan)


def _group_sum(codes: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Sum per group; NaN for a group where every value is missing."""
    ok = np.isfinite(values)
    s = np.bincount(codes[ok], weights=values[ok], minlength=n)
    cnt = np.bincount(codes[ok], minlength=n)
    return np.where(cnt > 0, s, np.nan)
