"""Reporting periods for earned value on the working-time axis (pure numpy, vectorised).

Time is measured on a *working-day axis* (``working_time.py``): ``cal.ordinal(d)`` is the number
of working days from the epoch (1900-01-01, a Monday) through day ``d`` inclusive. A task's budget
spread linearly over its working days is then a straight ramp on that axis, which lets whole
portfolios be phased with a sort and two cumulative sums instead of a task x period cross join.
The calendar comes from ``working_time.calendar_for(settings)``.

Reporting periods have integer ids on a global grid so that every project shares period
boundaries: days ("D"), weeks Monday..Sunday ("W", the period end is the Sunday) and calendar
months ("M", the period end is the month's last day).
"""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError
from .working_time import EPOCH, Calendar

_EPOCH_MONTH = EPOCH.astype("datetime64[M]").astype(np.int64)
PERIODS = ("D", "W", "M")


def check_period(period: str) -> str:
    if period not in PERIODS:
        raise ConfigError(key="config.period", params={"value": period})
    return period


def period_id(days: np.ndarray, period: str) -> np.ndarray:
    """Global period id of each day (int64)."""
    days = np.asarray(days, dtype="datetime64[D]")
    n = (days - EPOCH).astype(np.int64)
    if period == "D":
        return n
    if period == "W":
        return n // 7
    return days.astype("datetime64[M]").astype(np.int64) - _EPOCH_MONTH


def period_end(pid: np.ndarray, period: str) -> np.ndarray:
    """Last day of each period id."""
    pid = np.asarray(pid, dtype=np.int64)
    if period == "D":
        return EPOCH + pid.astype("timedelta64[D]")
    if period == "W":
        return EPOCH + (7 * pid + 6).astype("timedelta64[D]")
    months = (pid + 1 + _EPOCH_MONTH).astype("datetime64[M]")
    return months.astype("datetime64[D]") - np.timedelta64(1, "D")


def period_start(pid: np.ndarray, period: str) -> np.ndarray:
    """First day of each period id."""
    return period_end(np.asarray(pid, dtype=np.int64) - 1, period) + np.timedelta64(1, "D")


def position(days: np.ndarray, p0: np.ndarray, period: str, cal: Calendar) -> np.ndarray:
    """Position of each day on a grid whose first period is ``p0``, in periods (float).

    A day at the end of period k (1-based) is at k; within a period the fraction is the share of
    the period's working days elapsed through that day (so a Friday closes a Mon-Sun week on the
    workdays calendar). Days before the grid give values <= 0.
    """
    days = np.asarray(days, dtype="datetime64[D]")
    pid = period_id(days, period)
    a = cal.ordinal(period_end(pid - 1, period))
    b = cal.ordinal(period_end(pid, period))
    f = cal.ordinal(days)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(b > a, (f - a) / np.where(b > a, b - a, 1), 1.0)
    return (pid - np.asarray(p0, dtype=np.int64)).astype(float) + frac


def date_at(x: np.ndarray, p0: np.ndarray, period: str, cal: Calendar) -> np.ndarray:
    """Inverse of ``position``: the day at position ``x`` periods on the grid starting at ``p0``.

    NaN positions give NaT; positions <= 0 give the day before the grid starts."""
    x = np.asarray(x, dtype=float)
    p0 = np.broadcast_to(np.asarray(p0, dtype=np.int64), x.shape)
    out = np.full(x.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    ok = np.isfinite(x)
    if not ok.any():
        return out
    xs = np.maximum(x[ok], 0.0)
    k = np.maximum(np.ceil(xs - 1e-9).astype(np.int64), 1)
    frac = xs - (k - 1)
    pid = p0[ok] + k - 1
    a = cal.ordinal(period_end(pid - 1, period))
    b = cal.ordinal(period_end(pid, period))
    t = a + np.maximum(np.ceil(frac * (b - a) - 1e-9).astype(np.int64), 1)
    res = np.where(b > a, cal.nth(np.minimum(t, np.maximum(b, a + 1))), period_end(pid, period))
    res = np.where(xs <= 0, period_end(p0[ok] - 1, period), res)
    out[ok] = res
    return out
