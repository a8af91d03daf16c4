"""The one working-time module: both numberings on the one epoch, counts, the settings calendar,
the working-minute conversion; values counted by hand on a wall calendar."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from pmo_analytics.errors import ConfigError
from pmo_analytics.metrics.working_time import (
    EPOCH,
    Calendar,
    DayCalendar,
    calendar_for,
    parse_holidays,
    to_days,
)
from pmo_analytics.settings import Settings

D = np.datetime64


def test_epoch_is_a_monday_and_index_vs_ordinal():
    cal = DayCalendar()
    assert date(1900, 1, 1).weekday() == 0 and EPOCH == D("1900-01-01")
    # the epoch itself: 0 working days before it, 1 through it
    assert cal.index([EPOCH])[0] == 0 and cal.ordinal(EPOCH) == 1
    # Friday 1900-01-05: 4 working days before it (Mon..Thu), 5 through it
    assert cal.index(["1900-01-05"])[0] == 4 and cal.ordinal(D("1900-01-05")) == 5
    # Saturday 1900-01-06: index rolls forward to Monday 01-08 (5); ordinal stays at Friday's 5
    assert cal.index(["1900-01-06"])[0] == 5 and cal.ordinal(D("1900-01-06")) == 5
    assert cal.index(["1900-01-06"], roll="backward")[0] == 4
    # nth inverts ordinal; date inverts index
    assert cal.nth(5) == D("1900-01-05") and cal.date([5.0])[0] == D("1900-01-08")


def test_count_and_working_days_with_a_holiday():
    cal = DayCalendar([date(2024, 3, 6)])  # a Wednesday off
    # [Mon 03-04, Mon 03-11): Mon, Tue, Thu, Fri = 4 (Wednesday is the holiday)
    assert cal.count(D("2024-03-04"), D("2024-03-11")) == 4
    assert cal.count(D("2024-03-11"), D("2024-03-04")) == -4
    # [Mon 03-04 .. Fri 03-08] inclusive: the same 4 days; reversed span: 0
    assert cal.working_days(D("2024-03-04"), D("2024-03-08")) == 4
    assert cal.working_days(D("2024-03-08"), D("2024-03-04")) == 0
    assert cal.is_workday(["2024-03-06", "2024-03-07", None]).tolist() == [False, True, False]
    # span is inclusive, diff is Friday->Monday = 1
    assert cal.span(["2024-03-04"], ["2024-03-08"])[0] == 4
    assert cal.diff(["2024-03-08"], ["2024-03-11"])[0] == 1
    assert cal.add(["2024-03-05"], [1])[0] == D("2024-03-07")  # Tue + 1 skips the holiday


def test_every_day_calendar_from_settings():
    cal = calendar_for(Settings(calendar="calendar", holidays=(date(2024, 3, 6),)))
    # every day counts, holidays ignored: [03-04, 03-11) = 7 days; 1900-01-07 (a Sunday) is day 7
    assert cal.count(D("2024-03-04"), D("2024-03-11")) == 7
    assert cal.ordinal(D("1900-01-07")) == 7 and cal.nth(7) == D("1900-01-07")
    work = calendar_for(Settings(holidays=(date(2024, 3, 6),)))
    assert work == DayCalendar([date(2024, 3, 6)]) and hash(work) == hash(DayCalendar(["2024-03-06"]))
    with pytest.raises(ConfigError):
        calendar_for(Settings(calendar="lunar"))


def test_minutes_conversion_and_protocol():
    cal = DayCalendar()
    assert isinstance(cal, Calendar)
    # 8 h a day: 2.5 working days = 2.5 * 480 = 1200 minutes, and back
    assert cal.to_minutes(2.5) == 1200.0 and cal.from_minutes(1200) == 2.5
    night = DayCalendar(minutes_per_day=600)  # a 10-hour shift
    assert night.to_minutes([1, 3]).tolist() == [600.0, 1800.0]


def test_to_days_and_parse_holidays():
    assert to_days("2024-03-04")[0] == D("2024-03-04")
    assert np.isnat(to_days(["not a date", None])).all()
    good, bad = parse_holidays("2024-12-25, 2024-01-01\nxmas")
    assert good == (date(2024, 1, 1), date(2024, 12, 25)) and bad == ["xmas"]


def test_minute_calendar_far_back_keeps_working_time_numbers():
    """A working-time number taken before the calendar's table grows backwards stays valid: five
    years before a Friday 17:00 on the standard week (40 h a week, no exceptions).

    Friday 2025-01-03 17:00 minus one week of work (5 x 480 = 2,400 min) starts Monday
    2024-12-30 08:00; minus 260 weeks (624,000 min) starts 259 weeks before that Monday:
    2024-12-30 - 1,813 days = Monday 2020-01-13 08:00."""
    from pmo_analytics.metrics.working_time import MinuteCalendar, moment

    cal = MinuteCalendar()
    friday = moment(date(2025, 1, 3), 1020)
    assert cal.add(friday, -2400, finish=False) == moment(date(2024, 12, 30), 480)
    assert cal.add(friday, -260 * 2400, finish=False) == moment(date(2020, 1, 13), 480)
    assert cal.between(moment(date(2020, 1, 13), 480), friday) == 260 * 2400
