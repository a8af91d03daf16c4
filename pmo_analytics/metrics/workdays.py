"""Working-day calendar helpers: Monday-Friday minus a list of holidays.

Dates become integer *working-day indexes* (working days since a fixed Monday) so that
schedule arithmetic is plain integer arithmetic. Everything is vectorised on numpy's
``busday`` functions; missing dates (NaT/None) give NaN indexes and NaT dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

EPOCH = np.datetime64("2000-01-03", "D")  # a Monday; index 0
WEEKMASK = "1111100"


class WorkCalendar:
    """A Mon-Fri calendar with holidays (a thin wrapper over ``numpy.busdaycalendar``)."""

    def __init__(self, holidays: Iterable[date | str | np.datetime64] = ()) -> None:
        hol = to_days(list(holidays)) if holidays is not None else np.array([], dtype="datetime64[D]")
        hol = hol[~np.isnat(hol)]
        self.holidays = np.unique(hol)
        self.cal = np.busdaycalendar(weekmask=WEEKMASK, holidays=self.holidays)

    def is_workday(self, dates) -> np.ndarray:
        d = to_days(dates)
        out = np.zeros(d.shape, dtype=bool)
        ok = ~np.isnat(d)
        out[ok] = np.is_busday(d[ok], busdaycal=self.cal)
        return out

    def index(self, dates, roll: str = "forward") -> np.ndarray:
        """Working-day index of each date (float; NaN where missing).

        A non-working date rolls ``forward`` to the next working day or ``backward`` to the
        previous one.
        """
        d = to_days(dates)
        out = np.full(d.shape, np.nan)
        ok = ~np.isnat(d)
        if ok.any():
            rolled = np.busday_offset(d[ok], 0, roll=roll, busdaycal=self.cal)
            out[ok] = np.busday_count(EPOCH, rolled, busdaycal=self.cal)
        return out

    def date(self, index) -> np.ndarray:
        """The working day with each index (NaT where the index is NaN)."""
        idx = np.asarray(index, dtype=float)
        out = np.full(idx.shape, np.datetime64("NaT"), dtype="datetime64[D]")
        ok = np.isfinite(idx)
        if ok.any():
            out[ok] = np.busday_offset(EPOCH, idx[ok].astype(np.int64), roll="forward", busdaycal=self.cal)
        return out

    def span(self, start, finish) -> np.ndarray:
        """Working days from ``start`` to ``finish`` inclusive (NaN where either is missing)."""
        return self.index(finish, roll="backward") - self.index(start, roll="forward") + 1

    def diff(self, earlier, later) -> np.ndarray:
        """Signed working days from ``earlier`` to ``later``: Friday -> next Monday is 1."""
        return self.index(later, roll="backward") - self.index(earlier, roll="backward")

    def add(self, dates, days) -> np.ndarray:
        """Each date moved by ``days`` working days (a non-working date first rolls forward)."""
        return self.date(self.index(dates) + np.asarray(days, dtype=float))


def to_days(values) -> np.ndarray:
    """Anything date-like (Series, list of date/str/Timestamp, scalar) -> ``datetime64[D]`` array."""
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        return values.astype("datetime64[D]")
    if isinstance(values, (pd.Series, pd.Index)) and pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.to_numpy().astype("datetime64[D]")
    scalar = np.ndim(values) == 0 and not isinstance(values, (list, tuple))
    arr = pd.to_datetime(pd.Series([values] if scalar else list(values), dtype=object), errors="coerce")
    out = arr.to_numpy().astype("datetime64[D]")
    return out


def calendar(holidays: Iterable = ()) -> WorkCalendar:
    """A cached-per-call convenience constructor."""
    return WorkCalendar(holidays)


def workdays_between(start, finish, holidays: Iterable = ()) -> np.ndarray:
    """Working days from ``start`` to ``finish`` inclusive."""
    return WorkCalendar(holidays).span(start, finish)


def workday_diff(earlier, later, holidays: Iterable = ()) -> np.ndarray:
    """Signed working days from ``earlier`` to ``later`` (positive when ``later`` is later)."""
    return WorkCalendar(holidays).diff(earlier, later)


def add_workdays(dates, days, holidays: Iterable = ()) -> np.ndarray:
    """``dates`` moved by ``days`` working days."""
    return WorkCalendar(holidays).add(dates, days)
