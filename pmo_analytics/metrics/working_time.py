"""Working time: the one place where dates become working-time numbers and back.

Every metric that counts working days (CPM, milestone slip, DCMA, earned value phasing, cost
burn, the Gantt chart, the demo) uses a :class:`Calendar` from here; nothing else calls numpy's
``busday_*`` functions. All working-time numbers share one epoch, :data:`EPOCH`.

Two numbers describe a day ``d`` on a calendar:

- ``index(d)``: how many working days lie before ``d`` (from the epoch). A working day's index is
  its position on the working-day axis, so schedule arithmetic is integer arithmetic: CPM's day
  ``k``. A non-working date first rolls forward (or backward) to a working day.
- ``ordinal(d)``: how many working days lie from the epoch through ``d`` inclusive (earned
  value's cumulative ``F(d)``); ``ordinal(d) == index(d) + 1`` on a working day, and a
  non-working day has the ordinal of the working day before it.

Two kinds of calendar. :class:`DayCalendar`: whole working days (a weekmask and holidays, one
calendar for the whole portfolio from the settings), used by every metric that counts working
days. :class:`MinuteCalendar`: working time in minutes as MS Project and P6 keep it (working
periods per weekday, dated exceptions, 24-hour and night shifts; :class:`UnionCalendar` for a task
on several resources' calendars), one per calendar of a schedule file (the ``calendars`` table,
``calendars_from_frame``), used by the CPM in working minutes (``cpm_minutes.py``) on one axis
of wall-clock minutes since the epoch (``moment``/``moment_date``). ``to_minutes`` /
``from_minutes`` convert between working days and working minutes (``minutes_per_day``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import date
from functools import cached_property
from typing import Literal, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..settings import Settings

EPOCH = np.datetime64("1900-01-01", "D")  # a Monday; the zero of every working-time number
WEEKDAYS = "1111100"  # Monday..Friday
ALL_DAYS = "1111111"
CALENDARS = ("workdays", "calendar")  # Settings.calendar: Mon-Fri minus holidays, or every day
MINUTES_PER_DAY = 480  # 8 working hours, MS Project's default day
Roll = Literal["forward", "backward"]  # where a non-working date goes


def to_days(values) -> np.ndarray:
    """Anything date-like (Series, Index, array, list of date/str/Timestamp, scalar) ->
    ``datetime64[D]`` array; missing or unreadable dates become NaT."""
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        return values.astype("datetime64[D]")
    if isinstance(values, pd.Series | pd.Index) and pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.to_numpy().astype("datetime64[D]")
    scalar = np.ndim(values) == 0 and not isinstance(values, list | tuple)
    arr = pd.to_datetime(pd.Series([values] if scalar else list(values), dtype=object), errors="coerce")
    return arr.to_numpy().astype("datetime64[D]")


@runtime_checkable
class Calendar(Protocol):
    """Working time on one calendar. Dates are ``datetime64[D]``-like; NaT/None give NaN
    indexes and NaT dates where noted."""

    minutes_per_day: int

    def is_workday(self, dates) -> np.ndarray:
        """True for each date that has working time."""
        ...

    def index(self, dates, roll: Roll = "forward") -> np.ndarray:
        """Working days before each date (float; NaN where missing); a non-working date rolls
        ``forward`` to the next working day or ``backward`` to the previous one."""
        ...

    def date(self, index) -> np.ndarray:
        """The working day with each index (NaT where the index is NaN)."""
        ...

    def ordinal(self, days) -> np.ndarray:
        """Working days from the epoch through each day inclusive (int64; no NaT)."""
        ...

    def nth(self, t) -> np.ndarray:
        """The date of working day number ``t`` (inverse of ``ordinal``: ``ordinal(nth(t)) == t``)."""
        ...

    def count(self, begin, end) -> np.ndarray:
        """Working days in ``[begin, end)`` (negative when ``end`` is before ``begin``; no NaT)."""
        ...

    def to_minutes(self, days) -> np.ndarray:
        """Working days -> working minutes."""
        ...

    def from_minutes(self, minutes) -> np.ndarray:
        """Working minutes -> working days (fractional)."""
        ...


class DayCalendar:
    """A calendar of whole working days: a weekmask (Monday first) minus holidays, each working
    day worth ``minutes_per_day`` working minutes. A thin wrapper over ``numpy.busdaycalendar``."""

    def __init__(
        self,
        holidays: Iterable[date | str | np.datetime64] | None = (),
        weekmask: str = WEEKDAYS,
        minutes_per_day: int = MINUTES_PER_DAY,
    ) -> None:
        hol = to_days(list(holidays)) if holidays is not None else np.array([], dtype="datetime64[D]")
        self.holidays: np.ndarray = np.unique(hol[~np.isnat(hol)])
        self.weekmask = weekmask
        self.minutes_per_day = minutes_per_day

    @cached_property
    def cal(self) -> np.busdaycalendar:
        return np.busdaycalendar(weekmask=self.weekmask, holidays=self.holidays)

    @property
    def every_day(self) -> bool:
        """True when every day is a working day (plain date arithmetic applies)."""
        return self.weekmask == ALL_DAYS and len(self.holidays) == 0

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, DayCalendar)
            and self.weekmask == other.weekmask
            and self.minutes_per_day == other.minutes_per_day
            and np.array_equal(self.holidays, other.holidays)
        )

    def __hash__(self) -> int:
        return hash((self.weekmask, self.minutes_per_day, tuple(self.holidays.tolist())))

    def __repr__(self) -> str:
        return f"DayCalendar(weekmask={self.weekmask!r}, holidays={len(self.holidays)})"

    # ------------------------------------------------------------------ NaT-aware, float index

    def is_workday(self, dates) -> np.ndarray:
        d = to_days(dates)
        out = np.zeros(d.shape, dtype=bool)
        ok = ~np.isnat(d)
        out[ok] = np.is_busday(d[ok], busdaycal=self.cal)
        return out

    def index(self, dates, roll: Roll = "forward") -> np.ndarray:
        d = to_days(dates)
        out = np.full(d.shape, np.nan)
        ok = ~np.isnat(d)
        if ok.any():
            rolled = np.busday_offset(d[ok], 0, roll=roll, busdaycal=self.cal)
            out[ok] = np.busday_count(EPOCH, rolled, busdaycal=self.cal)
        return out

    def date(self, index) -> np.ndarray:
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

    # ------------------------------------------------------------------ integer axis (no NaT)

    def ordinal(self, days) -> np.ndarray:
        days = np.asarray(days, dtype="datetime64[D]")
        if self.every_day:
            return (days - EPOCH).astype(np.int64) + 1
        return np.busday_count(EPOCH, days + 1, busdaycal=self.cal).astype(np.int64)

    def nth(self, t) -> np.ndarray:
        t = np.asarray(t, dtype=np.int64)
        if self.every_day:
            return EPOCH + (t - 1).astype("timedelta64[D]")
        return np.busday_offset(EPOCH, t - 1, roll="forward", busdaycal=self.cal)

    def count(self, begin, end) -> np.ndarray:
        begin = np.asarray(begin, dtype="datetime64[D]")
        end = np.asarray(end, dtype="datetime64[D]")
        if self.every_day:
            return (end - begin).astype(np.int64)
        return np.busday_count(begin, end, busdaycal=self.cal).astype(np.int64)

    def working_days(self, start, finish) -> np.ndarray:
        """Working days in ``[start, finish]`` inclusive (0 when finish < start; no NaT)."""
        return np.maximum(self.ordinal(finish) - self.ordinal(np.asarray(start, dtype="datetime64[D]") - 1), 0)

    # ------------------------------------------------------------------ working minutes

    def to_minutes(self, days) -> np.ndarray:
        return np.asarray(days, dtype=float) * self.minutes_per_day

    def from_minutes(self, minutes) -> np.ndarray:
        return np.asarray(minutes, dtype=float) / self.minutes_per_day


def calendar_for(settings: Settings) -> DayCalendar:
    """The portfolio calendar of the settings: ``workdays`` (Mon-Fri minus ``settings.holidays``)
    or ``calendar`` (every day counts, holidays ignored)."""
    if settings.calendar not in CALENDARS:
        raise ConfigError(key="config.calendar", params={"value": settings.calendar, "choices": ", ".join(CALENDARS)})
    if settings.calendar == "calendar":
        return DayCalendar((), weekmask=ALL_DAYS)
    return DayCalendar(settings.holidays)


def workdays_between(start, finish, holidays: Iterable = ()) -> np.ndarray:
    """Working days from ``start`` to ``finish`` inclusive (Mon-Fri minus ``holidays``)."""
    return DayCalendar(holidays).span(start, finish)


def workday_diff(earlier, later, holidays: Iterable = ()) -> np.ndarray:
    """Signed working days from ``earlier`` to ``later`` (positive when ``later`` is later)."""
    return DayCalendar(holidays).diff(earlier, later)


def add_workdays(dates, days, holidays: Iterable = ()) -> np.ndarray:
    """``dates`` moved by ``days`` working days."""
    return DayCalendar(holidays).add(dates, days)


def parse_holidays(text: str) -> tuple[tuple, list[str]]:
    """Dates from text (one per line or separated by commas/spaces, YYYY-MM-DD).

    Returns (sorted unique dates, the pieces that are not dates)."""
    good, bad = set(), []
    for piece in text.replace(",", " ").replace(";", " ").split():
        try:
            good.add(date.fromisoformat(piece.strip()))
        except ValueError:
            bad.append(piece)
    return tuple(sorted(good)), bad


# ---------------------------------------------------------------------------------------------
# Working time in minutes: calendars as MS Project and P6 keep them

MINUTES_IN_DAY = 1440
Ranges = tuple[tuple[int, int], ...]  # working periods of one day: (from, to) minutes after midnight
STANDARD_WEEK: dict[int, Ranges] = {d: ((480, 720), (780, 1020)) for d in range(1, 6)} | {6: (), 7: ()}


def _ranges(value) -> Ranges:
    out = []
    for pair in value or ():
        a, b = int(round(float(pair[0]))), int(round(float(pair[1])))
        if b <= a:  # a period ending at midnight is written 24:00 or 00:00
            b = MINUTES_IN_DAY if b == 0 else b
        if b > a:
            out.append((a, b))
    return tuple(sorted(out))


class MinuteCalendar:
    """A working-time calendar in minutes: working periods per weekday (ISO 1 = Monday .. 7) and
    dated exceptions (a list of ``(first day, last day, periods)``; no periods = not working), as
    MS Project and P6 keep them (24-hour and night-shift calendars included).

    Time is a number: minutes since :data:`EPOCH` 00:00 (wall-clock time, the same axis for every
    calendar, so tasks on different calendars can be linked). ``work(t)`` is the working time
    before ``t``; ``start_at``/``finish_at`` turn a working-time amount back into a moment: a start
    is the beginning of working time (Monday 08:00 after a Friday 17:00 finish), a finish its end.
    ``minutes_per_day`` is the day length durations and float are reported in (the project's)."""

    def __init__(
        self,
        week: dict[int, Ranges] | None = None,
        exceptions: Iterable[tuple[date, date, Ranges]] = (),
        minutes_per_day: float = MINUTES_PER_DAY,
        name: str = "",
    ) -> None:
        week = STANDARD_WEEK if week is None else week
        self.week = {d: _ranges(week.get(d, ())) for d in range(1, 8)}
        self.exceptions: dict[int, Ranges] = {}
        for first, last, periods in exceptions:
            a = int((np.datetime64(first, "D") - EPOCH).astype(np.int64))
            b = int((np.datetime64(last, "D") - EPOCH).astype(np.int64))
            for d in range(a, b + 1):
                self.exceptions[d] = _ranges(periods)
        self.minutes_per_day = minutes_per_day
        self.name = name
        if not any(self.week.values()) and not any(self.exceptions.values()):
            raise ValueError(f"calendar {name!r} has no working time")
        self._d0 = 0
        self._cum = np.zeros(1)

    def __repr__(self) -> str:
        return f"MinuteCalendar({self.name!r}, exceptions={len(self.exceptions)})"

    def day_ranges(self, day: int) -> Ranges:
        """Working periods of day number ``day`` (days since the epoch)."""
        if day in self.exceptions:
            return self.exceptions[day]
        return self.week[day % 7 + 1]  # the epoch is a Monday

    def _day_work(self, day: int) -> int:
        return sum(b - a for a, b in self.day_ranges(day))

    def _cover(self, first: int, last: int) -> None:
        """Make the cumulative table cover days ``first .. last``."""
        d1 = self._d0 + len(self._cum) - 1
        if len(self._cum) > 1 and first >= self._d0 and last < d1:
            return
        lo = min(first, self._d0 if len(self._cum) > 1 else first) - 400
        hi = max(last, d1 if len(self._cum) > 1 else last) + 400
        days = np.arange(lo, hi + 1)
        weekly = np.array([sum(b - a for a, b in self.week.get(d, ())) for d in range(1, 8)], dtype=float)
        per = weekly[days % 7]  # the epoch is a Monday: day % 7 == 0 is ISO weekday 1
        for d, periods in self.exceptions.items():
            if lo <= d <= hi:
                per[d - lo] = sum(b - a for a, b in periods)
        self._set_table(int(lo), per)

    def _set_table(self, lo: int, per: np.ndarray) -> None:
        """The cumulative table from day ``lo`` with ``per`` working minutes a day, anchored so
        that every day keeps the working-time number an earlier table gave it (a working-time
        number computed before the table grew stays valid after)."""
        cum = np.concatenate([[0.0], np.cumsum(per)])
        if len(self._cum) > 1 and lo <= self._d0 < lo + len(cum):
            cum += self._cum[0] - cum[self._d0 - lo]
        self._d0 = lo
        self._cum = cum

    def work(self, t: float) -> float:
        """Working minutes from the start of the table to moment ``t`` (differences are what count)."""
        if not math.isfinite(t):
            return t
        day = int(t // MINUTES_IN_DAY)
        self._cover(day, day)
        m = t - day * MINUTES_IN_DAY
        w = self._cum[day - self._d0]
        for a, b in self.day_ranges(day):
            if m <= a:
                break
            w += min(m, b) - a
        return float(w)

    def _locate(self, w: float, side: str) -> float:
        if not math.isfinite(w):
            return w
        cum = self._cum
        for _ in range(12):  # up to ~130 years either way
            if not (w < cum[0] + (1 if side == "finish" else 0) or w >= cum[-1] - 1):
                break
            grow = 4000
            self._cover(self._d0 - grow if w < cum[0] + 1 else self._d0, self._d0 + len(cum) + grow)
            cum = self._cum
        else:
            raise ValueError(f"calendar {self.name!r} has no working time near the dates asked for")
        if side == "start":  # day k with cum[k] <= w < cum[k+1]
            k = int(np.searchsorted(cum, w, side="right")) - 1
        else:  # day k with cum[k] < w <= cum[k+1]
            k = int(np.searchsorted(cum, w, side="left")) - 1
        day = self._d0 + k
        rem = w - cum[k]
        for a, b in self.day_ranges(day):
            span = b - a
            if rem < span or (side == "finish" and rem <= span):
                return day * MINUTES_IN_DAY + a + rem
            rem -= span
        return (day + 1) * MINUTES_IN_DAY  # pragma: no cover - rounding at a day's end

    def start_at(self, w: float) -> float:
        """The moment working time ``w`` begins (the start of the next working period at a boundary)."""
        return self._locate(w, "start")

    def finish_at(self, w: float) -> float:
        """The moment working time ``w`` is reached (the end of a working period at a boundary)."""
        if w <= self._cum[0] + 1:
            self._cover(self._d0 - 4000, self._d0 + len(self._cum))
        return self._locate(w, "finish")

    def next_start(self, t: float) -> float:
        """``t``, or the start of the next working period when ``t`` is not in working time."""
        return self.start_at(self.work(t))

    def previous_finish(self, t: float) -> float:
        """``t``, or the end of the previous working period when ``t`` is not in working time."""
        return self.finish_at(self.work(t))

    def add(self, t: float, minutes: float, finish: bool = True) -> float:
        """The moment ``minutes`` of working time after (before, when negative) moment ``t``;
        ``finish`` gives the end of a working period at a boundary, else the next start."""
        w = self.work(t) + minutes
        return self.finish_at(w) if finish else self.start_at(w)

    def between(self, a: float, b: float) -> float:
        """Working minutes from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
        return self.work(b) - self.work(a)


class UnionCalendar(MinuteCalendar):
    """Working whenever any of several calendars works: a task scheduled on the calendars of the
    resources assigned to it (MS Project's rule when the task has no calendar of its own)."""

    def __init__(self, parts: list[MinuteCalendar], minutes_per_day: float, name: str = "") -> None:
        self.parts = parts
        self.week = {}
        self.exceptions = {}
        self.minutes_per_day = minutes_per_day
        self.name = name
        self._d0 = 0
        self._cum = np.zeros(1)

    def _cover(self, first: int, last: int) -> None:
        d1 = self._d0 + len(self._cum) - 1
        if len(self._cum) > 1 and first >= self._d0 and last < d1:
            return
        lo = min(first, self._d0 if len(self._cum) > 1 else first) - 400
        hi = max(last, d1 if len(self._cum) > 1 else last) + 400
        per = np.array([sum(b - a for a, b in self.day_ranges(int(d))) for d in range(lo, hi + 1)], dtype=float)
        self._set_table(int(lo), per)

    def day_ranges(self, day: int) -> Ranges:
        merged: list[list[int]] = []
        for a, b in sorted(r for c in self.parts for r in c.day_ranges(day)):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        return tuple((a, b) for a, b in merged)


def moment(day, minute=None, default_minute: float = 0.0) -> float:
    """A date plus minutes after midnight -> minutes since the epoch (NaN for a missing date)."""
    if day is None or day is pd.NaT or (isinstance(day, float) and math.isnan(day)):
        return math.nan
    if isinstance(day, pd.Timestamp | date | np.datetime64):  # the common case, without pandas parsing
        d = (
            np.datetime64(pd.Timestamp(day).date(), "D")
            if not isinstance(day, np.datetime64)
            else day.astype("datetime64[D]")
        )
    else:
        d = to_days([day])[0]
    if np.isnat(d):
        return math.nan
    m = default_minute if minute is None or minute != minute else float(minute)
    days = (d - EPOCH) / np.timedelta64(1, "D")  # type: ignore[operator]
    return float(days) * MINUTES_IN_DAY + m


def moment_date(t: float) -> np.datetime64:
    """Minutes since the epoch -> ``datetime64[m]`` (NaT for NaN)."""
    if t != t or math.isinf(t):
        return np.datetime64("NaT", "m")
    return EPOCH.astype("datetime64[m]") + np.timedelta64(int(round(t)), "m")


def calendar_from_row(
    week_json: str | None, exceptions_json: str | None, minutes_per_day: float, name: str = ""
) -> tuple[dict[int, Ranges] | None, list]:
    """(week, exceptions) parsed from a ``calendars`` row's JSON text (``None`` week: inherit)."""
    week = None
    if isinstance(week_json, str) and week_json:  # a missing value read back from the store is NaN
        raw = json.loads(week_json)
        week = {int(k): _ranges(v) for k, v in raw.items()}
    exc = []
    for first, last, periods in (
        json.loads(exceptions_json) if isinstance(exceptions_json, str) and exceptions_json else []
    ):
        exc.append((date.fromisoformat(first), date.fromisoformat(last), _ranges(periods)))
    return week, exc


def calendars_from_frame(calendars: pd.DataFrame | None, minutes_per_day: float) -> dict[str, MinuteCalendar]:
    """One project's ``calendars`` rows -> {calendar_id: MinuteCalendar}, base calendars resolved
    (a derived calendar takes its base's weekdays where it has none, and both sets of exceptions,
    its own winning). Calendars with no working time at all are left out."""
    if calendars is None or calendars.empty:
        return {}
    rows = {}
    for r in calendars.itertuples(index=False):
        week, exc = calendar_from_row(getattr(r, "weekdays", None), getattr(r, "exceptions", None), minutes_per_day)
        parent = getattr(r, "parent_id", None)
        rows[str(r.calendar_id)] = (week, exc, None if parent is None or parent != parent else str(parent), r.name)

    def resolved(cid: str, depth: int = 0) -> tuple[dict, list]:
        week, exc, parent, _ = rows[cid]
        if parent and parent in rows and parent != cid and depth < 10:
            pweek, pexc = resolved(parent, depth + 1)
            merged = dict(pweek)
            merged.update(week or {})
            return merged, pexc + exc
        return (week if week is not None else dict(STANDARD_WEEK)), exc

    out: dict[str, MinuteCalendar] = {}
    for cid, (_, _, _, name) in rows.items():
        week, exc = resolved(cid)
        try:
            out[cid] = MinuteCalendar(week, exc, minutes_per_day, name=str(name or cid))
        except ValueError:
            continue
    return out


def calendar_for_task(cals: dict[str, MinuteCalendar], calendar_id: str | None) -> MinuteCalendar | None:
    """The calendar a task works on: ``tasks.calendar_id`` names one calendar, or several joined
    by ``+`` (its resources' calendars: working when any of them works); None when unknown."""
    if not calendar_id:
        return None
    if calendar_id in cals:
        return cals[calendar_id]
    parts = [cals[p] for p in calendar_id.split("+") if p in cals]
    if not parts:
        return None
    union = UnionCalendar(parts, parts[0].minutes_per_day, name=calendar_id)
    cals[calendar_id] = union
    return union
