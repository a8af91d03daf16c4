"""The tools' critical-path options (issue 17): task deadlines, the critical slack limit and
MS Project's "multiple critical paths", read from hand-made MS Project XML (the corpus uses
none of them) by the hand-written reader and by MPXJ, then applied by both CPM engines.

The plan used throughout (standard calendar: Mon-Fri 08:00-12:00, 13:00-17:00, 480 minutes a
day; 2026-01-05 is a Monday):

    A  2 days            Mon 05 08:00 - Tue 06 17:00
    B  3 days, FS on A   Wed 07 08:00 - Fri 09 17:00
    C 10 days, unlinked  Mon 05 08:00 - Fri 16 17:00   (the project finish)

Without options A and B finish late at the project finish, Fri 16 17:00: 5 days of slack each
(Mon 12 .. Fri 16 after B's finish); the arithmetic of each case is in its test.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from pmo_analytics import importing
from pmo_analytics.ingest import jvm
from pmo_analytics.metrics.cpm import cpm, critical_slack_at, multiple_critical_paths

needs_java = pytest.mark.skipif(not jvm.java_status().ok, reason="Java or the mpxj package is not installed")

DAY = "PT8H0M0S"


def _task(uid: int, name: str, start: str, finish: str, hours: float, preds=(), deadline: str | None = None) -> str:
    links = "".join(
        f"<PredecessorLink><PredecessorUID>{p}</PredecessorUID><Type>1</Type><LinkLag>0</LinkLag>"
        "<LagFormat>7</LagFormat></PredecessorLink>"
        for p in preds
    )
    h, m = int(hours), int(round((hours - int(hours)) * 60))
    dl = f"<Deadline>{deadline}</Deadline>" if deadline else ""
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name><OutlineLevel>1</OutlineLevel>"
        f"<OutlineNumber>{uid}</OutlineNumber><Start>{start}</Start><Finish>{finish}</Finish>"
        f"<Duration>PT{h}H{m}M0S</Duration><DurationFormat>7</DurationFormat><Manual>0</Manual>"
        f"<Summary>0</Summary><Milestone>0</Milestone><PercentComplete>0</PercentComplete>{dl}{links}</Task>"
    )


def _mspdi(tasks: list[str], limit: int | None = None, multiple: bool | None = None) -> bytes:
    opts = ""
    if limit is not None:
        opts += f"<CriticalSlackLimit>{limit}</CriticalSlackLimit>"
    if multiple is not None:
        opts += f"<MultipleCriticalPaths>{int(multiple)}</MultipleCriticalPaths>"
    summary = (
        "<Task><UID>0</UID><ID>0</ID><Name>Options</Name><OutlineLevel>0</OutlineLevel><Summary>1</Summary>"
        "<Start>2026-01-05T08:00:00</Start><Finish>2026-01-16T17:00:00</Finish></Task>"
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Project xmlns="http://schemas.microsoft.com/project"><SaveVersion>14</SaveVersion>'
        "<Name>options.xml</Name><Title>Options</Title><ScheduleFromStart>1</ScheduleFromStart>"
        "<StartDate>2026-01-05T08:00:00</StartDate><FinishDate>2026-01-16T17:00:00</FinishDate>"
        "<MinutesPerDay>480</MinutesPerDay><MinutesPerWeek>2400</MinutesPerWeek><DaysPerMonth>20</DaysPerMonth>"
        f"<CalendarUID>1</CalendarUID>{opts}"
        "<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>"
        "<BaseCalendarUID>-1</BaseCalendarUID><WeekDays>"
        + "".join(
            f"<WeekDay><DayType>{d}</DayType><DayWorking>0</DayWorking></WeekDay>"
            if d in (1, 7)
            else f"<WeekDay><DayType>{d}</DayType><DayWorking>1</DayWorking><WorkingTimes>"
            "<WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>"
            "<WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime>"
            "</WorkingTimes></WeekDay>"
            for d in range(1, 8)
        )  # fmt: skip
        + "</WeekDays></Calendar></Calendars>"
        f"<Tasks>{summary}{''.join(tasks)}</Tasks></Project>"
    ).encode()


A = dict(uid=1, name="A", start="2026-01-05T08:00:00", finish="2026-01-06T17:00:00", hours=16)
B = dict(uid=2, name="B", start="2026-01-07T08:00:00", finish="2026-01-09T17:00:00", hours=24, preds=(1,))
C = dict(uid=3, name="C", start="2026-01-05T08:00:00", finish="2026-01-16T17:00:00", hours=80)


def _plan(b_deadline: str | None = None, extra: tuple[str, ...] = (), **opts) -> bytes:
    return _mspdi([_task(**A), _task(**B, deadline=b_deadline), _task(**C), *extra], **opts)


def _parse(data: bytes, reader: str):
    if reader == "mpxj" and not jvm.java_status().ok:
        pytest.skip("Java or the mpxj package is not installed")
    # MPXJ reads MSPDI too: the same bytes through the native reader (isolated child, as the app)
    return importing.parse_upload("options.xml", data, format=None if reader == "mspdi" else "mpxj")


def _cpm(parsed) -> pd.DataFrame:
    t = parsed.tables["tasks"].copy()
    t["total_float_days"], t["is_critical"] = math.nan, pd.NA  # nothing stored is reused
    return cpm(t, parsed.tables["links"], calendars=parsed.tables["calendars"], projects=parsed.tables["projects"])


def _by_id(res: pd.DataFrame) -> pd.DataFrame:
    return res.set_index(res["task_id"].astype(str))


READERS = ["mspdi", pytest.param("mpxj", marks=needs_java)]


# ----------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("deadline", ["2026-01-07T17:00:00", "2026-01-07"])
def test_a_missed_deadline_gives_negative_slack_to_the_task_and_its_predecessor(reader, deadline):
    if reader == "mpxj" and "T" not in deadline:
        pytest.skip("MS Project writes a deadline with its time of day; MPXJ reads only that form")
    parsed = _parse(_plan(deadline), reader)
    tasks = parsed.tables["tasks"].set_index(parsed.tables["tasks"]["task_id"].astype(str))
    assert pd.Timestamp(tasks.loc["2", "deadline"]) == pd.Timestamp("2026-01-07")
    if "T" in deadline:
        assert tasks.loc["2", "deadline_minute"] == 17 * 60
    r = _by_id(_cpm(parsed))
    # B's early dates stay (Wed 07 08:00 - Fri 09 17:00); its late finish is the deadline,
    # Wed 07 17:00 (a date alone: the end of that day's working time, the same 17:00)
    assert str(r.loc["2", "early_start"]) == "2026-01-07 08:00:00"
    assert str(r.loc["2", "early_finish"]) == "2026-01-09 17:00:00"
    assert str(r.loc["2", "late_finish"]) == "2026-01-07 17:00:00"
    # slack: early finish Fri 09 17:00 back to the deadline Wed 07 17:00 = Thu 08 + Fri 09 = -2 days
    assert r.loc["2", "total_float_days"] == pytest.approx(-2.0)
    # A must end before B's late start, Wed 07 08:00 - 3 days = Fri 02 Jan 17:00; A's early
    # finish is Tue 06 17:00: Mon 05 + Tue 06 = -2 days, reduced by the same 7 days as B (below)
    assert str(r.loc["1", "late_finish"]) == "2026-01-02 17:00:00"
    assert r.loc["1", "total_float_days"] == pytest.approx(-2.0)
    assert bool(r.loc["1", "critical"]) and bool(r.loc["2", "critical"])
    # C, not linked to B, keeps its 0 slack at the project finish
    assert r.loc["3", "total_float_days"] == pytest.approx(0.0)
    # without the deadline, A and B finish late at the project finish, Fri 16 17:00:
    # B from Fri 09 17:00 = Mon 12 .. Fri 16 = 5 days, A the same (B follows it at once);
    # 5 - (-2) = 7 days less for both, the 7 working days from Wed 07 17:00 to Fri 16 17:00
    free = _by_id(_cpm(_parse(_plan(None), reader)))
    assert free.loc["2", "total_float_days"] == pytest.approx(5.0)
    assert free.loc["1", "total_float_days"] == pytest.approx(5.0)
    assert not bool(free.loc["1", "critical"]) and not bool(free.loc["2", "critical"])


@pytest.mark.parametrize("reader", READERS)
def test_a_deadline_after_the_late_finish_changes_nothing(reader):
    # Fri 23 Jan 17:00 is after B's late finish (the project finish, Fri 16 17:00)
    r = _by_id(_cpm(_parse(_plan("2026-01-23T17:00:00"), reader)))
    assert str(r.loc["2", "late_finish"]) == "2026-01-16 17:00:00"
    assert r.loc["2", "total_float_days"] == pytest.approx(5.0)  # as without it (above)
    assert r.loc["1", "total_float_days"] == pytest.approx(5.0)
    assert not bool(r.loc["2", "critical"])


# ----------------------------------------------------------------------------- critical slack limit

# D: 8.5 days (68 h) from Mon 05 08:00 ends Thu 15 12:00 (8 days to Wed 14 17:00, then 4 h);
#    to the project finish Fri 16 17:00: Thu 13:00-17:00 (0.5) + Fri (1) = 1.5 days of slack
# E: 7.5 days (60 h) ends Wed 14 12:00: Wed afternoon 0.5 + Thu + Fri = 2.5 days of slack
D = _task(4, "D", "2026-01-05T08:00:00", "2026-01-15T12:00:00", 68)
E = _task(5, "E", "2026-01-05T08:00:00", "2026-01-14T12:00:00", 60)


@pytest.mark.parametrize("reader", READERS)
def test_a_two_day_critical_slack_limit(reader):
    parsed = _parse(_plan(None, (D, E), limit=2), reader)
    assert parsed.tables["projects"]["critical_slack_limit_days"].iloc[0] == pytest.approx(2.0)
    r = _by_id(_cpm(parsed))
    assert r.loc["4", "total_float_days"] == pytest.approx(1.5)
    assert r.loc["5", "total_float_days"] == pytest.approx(2.5)
    assert bool(r.loc["4", "critical"])  # 1.5 <= 2
    assert not bool(r.loc["5", "critical"])  # 2.5 > 2
    assert bool(r.loc["3", "critical"])  # 0 <= 2
    assert not bool(r.loc["2", "critical"])  # 5 > 2
    # the default limit, 0: D is not critical
    r0 = _by_id(_cpm(_parse(_plan(None, (D, E), limit=0), reader)))
    assert not bool(r0.loc["4", "critical"]) and bool(r0.loc["3", "critical"])


# ----------------------------------------------------------------------------- multiple critical paths

# F (2 days) -> G (1 day), not linked to anything else: G ends Wed 07 17:00, 7 days before the
# project finish (Thu 08, Fri 09, Mon 12 .. Fri 16)
F = _task(6, "F", "2026-01-05T08:00:00", "2026-01-06T17:00:00", 16)
G = _task(7, "G", "2026-01-07T08:00:00", "2026-01-07T17:00:00", 8, preds=(6,))


@pytest.mark.parametrize("reader", READERS)
def test_multiple_critical_paths_make_the_end_of_every_chain_critical(reader):
    parsed = _parse(_plan(None, (F, G), multiple=True), reader)
    assert bool(parsed.tables["projects"]["multiple_critical_paths"].iloc[0])
    r = _by_id(_cpm(parsed))
    # G has no successor: its late finish is its own early finish, Wed 07 17:00
    assert str(r.loc["7", "late_finish"]) == "2026-01-07 17:00:00"
    assert r.loc["7", "total_float_days"] == pytest.approx(0.0) and bool(r.loc["7", "critical"])
    assert r.loc["6", "total_float_days"] == pytest.approx(0.0) and bool(r.loc["6", "critical"])
    # B ends its chain too (A -> B), C the longest one
    assert r.loc["2", "total_float_days"] == pytest.approx(0.0) and bool(r.loc["2", "critical"])
    assert r.loc["3", "total_float_days"] == pytest.approx(0.0)
    # off: G and F have the 7 days to the project finish
    off = _by_id(_cpm(_parse(_plan(None, (F, G), multiple=False), reader)))
    assert off.loc["7", "total_float_days"] == pytest.approx(7.0) and not bool(off.loc["7", "critical"])
    assert off.loc["6", "total_float_days"] == pytest.approx(7.0)


# ----------------------------------------------------------------------------- the store


@pytest.mark.parametrize("multiple", [False, True])
def test_the_options_read_the_same_from_the_store(tmp_path, multiple):
    """Deadline, limit and multiple critical paths survive the store (as the app reads them)."""
    from pmo_analytics.store import Store, close_all

    p = _parse(_plan("2026-01-07T17:00:00", (D, E, F, G), limit=2, multiple=multiple), "mspdi")
    s = Store(tmp_path / "s.duckdb")
    try:
        s.import_parsed(p, date(2026, 1, 5))
        back = {t: s.table(t) for t in ("tasks", "links", "calendars", "projects")}
    finally:
        close_all()
    assert back["projects"]["critical_slack_limit_days"].iloc[0] == pytest.approx(2.0)
    assert bool(back["projects"]["multiple_critical_paths"].iloc[0]) is multiple
    ours = _cpm_of(back)
    direct = _cpm(p)
    cols = ["task_id", "late_finish", "total_float_days", "critical"]
    a = ours[cols].sort_values("task_id").reset_index(drop=True)
    b = direct[cols].sort_values("task_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    r = _by_id(ours)
    assert r.loc["2", "total_float_days"] == pytest.approx(-2.0)  # the deadline (first test)
    if multiple:  # D, E and G end their chains: 0 slack each
        assert [r.loc[x, "total_float_days"] for x in ("4", "5", "7")] == pytest.approx([0.0, 0.0, 0.0])
    else:  # 1.5 and 2.5 days against the 2-day limit; G has its 7 days
        assert bool(r.loc["4", "critical"]) and not bool(r.loc["5", "critical"])
        assert r.loc["7", "total_float_days"] == pytest.approx(7.0)


def _cpm_of(tables: dict) -> pd.DataFrame:
    return cpm(tables["tasks"], tables["links"], calendars=tables["calendars"], projects=tables["projects"])


# ----------------------------------------------------------------------------- spreadsheets


def _sheet(rows: list[tuple], deadline: dict | None = None) -> pd.DataFrame:
    t = pd.DataFrame(rows, columns=["task_id", "start", "finish"])
    t["project_id"] = "P"
    t["name"] = t["task_id"]
    t["start"] = pd.to_datetime(t["start"])
    t["finish"] = pd.to_datetime(t["finish"])
    t["deadline"] = pd.to_datetime(t["task_id"].map(deadline or {}))
    return t


SHEET = [("A", "2026-01-05", "2026-01-06"), ("B", "2026-01-07", "2026-01-09"), ("C", "2026-01-05", "2026-01-16")]
SHEET_LINKS = pd.DataFrame({"project_id": ["P"], "pred_task_id": ["A"], "succ_task_id": ["B"], "type": ["FS"]})


def test_working_day_engine_deadline_limit_and_multiple_paths():
    """Spreadsheets (dates only) follow the same rules in whole working days."""
    # deadline on B, Wed 07: B finishes Fri 09 -> -2 days (Thu, Fri); A must end Fri 02 -> -2 days
    r = _by_id(cpm(_sheet(SHEET, {"B": "2026-01-07"}), SHEET_LINKS))
    assert r.loc["B", "total_float_days"] == -2 and r.loc["A", "total_float_days"] == -2
    assert str(r.loc["B", "late_finish"])[:10] == "2026-01-07" and str(r.loc["B", "early_finish"])[:10] == "2026-01-09"
    assert bool(r.loc["A", "critical"]) and bool(r.loc["B", "critical"])
    # a deadline after the late finish (Fri 23) changes nothing: 5 days (Mon 12 .. Fri 16)
    r = _by_id(cpm(_sheet(SHEET, {"B": "2026-01-23"}), SHEET_LINKS))
    assert r.loc["B", "total_float_days"] == 5 and not bool(r.loc["B", "critical"])
    # D ends Wed 14 (2 days of float: Thu, Fri), E Tue 13 (3 days): a limit of 2 days
    rows = [*SHEET, ("D", "2026-01-05", "2026-01-14"), ("E", "2026-01-05", "2026-01-13")]
    proj = pd.DataFrame({"project_id": ["P"], "critical_slack_limit_days": [2.0], "multiple_critical_paths": [None]})
    r = _by_id(cpm(_sheet(rows), SHEET_LINKS, projects=proj))
    assert (r.loc["D", "total_float_days"], r.loc["E", "total_float_days"]) == (2, 3)
    assert bool(r.loc["D", "critical"]) and not bool(r.loc["E", "critical"])
    assert not bool(_by_id(cpm(_sheet(rows), SHEET_LINKS)).loc["D", "critical"])  # no limit: 0
    # multiple critical paths: B ends the chain A -> B, so 0 instead of 5 days
    proj = pd.DataFrame({"project_id": ["P"], "multiple_critical_paths": [True]})
    r = _by_id(cpm(_sheet(SHEET), SHEET_LINKS, projects=proj))
    assert r.loc["B", "total_float_days"] == 0 and r.loc["A", "total_float_days"] == 0
    assert bool(r.loc["B", "critical"]) and r.loc["C", "total_float_days"] == 0


def test_the_option_values_as_stored():
    assert critical_slack_at(None, 480.0, 0.5) == 0.5  # empty = 0 days, plus the tolerance
    assert critical_slack_at({"critical_slack_limit_days": float("nan")}, 480.0, 0.5) == 0.5
    assert critical_slack_at({"critical_slack_limit_days": 2.0}, 480.0, 0.5) == 960.5  # 2 x 480 + 0.5
    assert critical_slack_at(pd.Series({"critical_slack_limit_days": 1.5}), 1.0, 0.0) == 1.5
    assert multiple_critical_paths({"multiple_critical_paths": True})
    assert multiple_critical_paths({"multiple_critical_paths": "yes"})
    assert not multiple_critical_paths({"multiple_critical_paths": pd.NA})
    assert not multiple_critical_paths({"multiple_critical_paths": False})
    assert not multiple_critical_paths(None)


# ----------------------------------------------------------------------------- P6


@needs_java
def test_p6_critical_float_threshold_is_read_as_the_limit():
    """P6's "critical if total float <= N hours" (XER ``PROJECT.critical_drtn_hr_cnt``), which
    MPXJ reads into the same property as MS Project's limit: the shared .xer holds 0; set to
    16 hours here, it is 2 days of the project's 8-hour day (16 / 8)."""
    from tests.conftest import shared_file

    text = shared_file("samples", "mpxj__PredecessorCalendar.xer").read_bytes().decode("utf-8")
    eol = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(eol)
    table, col, edited = "", -1, 0
    for i, line in enumerate(lines):
        cells = line.split("\t")
        if cells[0] == "%T":
            table = cells[1]
        elif table == "PROJECT" and cells[0] == "%F":
            col = cells.index("critical_drtn_hr_cnt")
        elif table == "PROJECT" and cells[0] == "%R":
            assert cells[col] == "0"  # as stored
            cells[col] = "16"
            lines[i] = "\t".join(cells)
            edited += 1
    assert edited == 1
    parsed = importing.parse_upload("threshold.xer", eol.join(lines).encode("utf-8"))
    proj = parsed.tables["projects"].iloc[0]
    assert proj["schedule_tool"] == "p6"
    assert proj["minutes_per_day"] == 480
    assert proj["critical_slack_limit_days"] == pytest.approx(2.0)
