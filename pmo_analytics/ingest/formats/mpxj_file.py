"""Native schedule files through MPXJ (Java, via JPype): MS Project ``.mpp`` (every version),
``.mpt``, ``.mpx``, Primavera P6 ``.xer`` and P6 XML (PMXML), and whatever else MPXJ's
``UniversalProjectReader`` reads (Asta, Phoenix, GanttProject, Planner, ProjectLibre ``.pod``...).
MS Project XML (MSPDI) stays on the hand-written ``msproject_xml`` reader (see the README).

Runs only in the isolated parse child (``safety.py``); the JVM is started there by ``ingest.jvm``
with a heap sized to the child's memory cap. Without Java the file is refused with a message
naming what to install; every other format keeps working.

Rules:
- One project per project in the file (a P6 file can hold several); ``project_id``: the chosen
  project (single-project files), else the file's project id (P6) or title, else the file name.
- Status date: the file's ``StatusDate`` (P6: the data date), else its ``CurrentDate`` when the
  file holds one (MPXJ fills a missing one with the time of reading: that is not proposed).
- Tasks: every task except null/inactive tasks and the project summary (outline level 0).
  ``task_id`` is the unique id. Dates keep their time of day (``*_minute`` columns); durations,
  remaining durations and lags are kept in minutes with the unit the tool shows (``d``, ``eh``,
  ``%``...), a split task's interruptions (``split_minutes``); the task's calendar, manual
  scheduling, the task's deadline and the tool's critical flag and total slack
  (in days of the project's day length) are kept. The baseline the project uses for earned value
  (``BaselineForEarnedValue``, else baseline 0) gives baseline dates and ``bac`` (``Cost`` when
  the file has no baseline at all, with a note).
- Calendars: every calendar with its weekly working periods and exceptions (``calendars``).
- The critical-path options (``projects``): the critical slack limit (MS Project's "critical
  if slack <= ", P6's critical float threshold: both ``getCriticalSlackLimit``) in days of the
  project's day, and MS Project's "multiple critical paths".
- Resources: names on each task (``resource_names``); assignments with work become weekly
  ``assignments`` rows (planned and actual hours spread evenly over the assignment's weekdays).
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date, datetime, timedelta

import pandas as pd

from ...errors import IngestError
from ..base import Note, ParsedUpload, RawFile
from ..status_dates import NATIVE_CURRENT_DATE, NATIVE_STATUS_DATE, propose
from ._common import add_table, ensure_table, file_stem, new_result, note, note_stale_slack

NAME = "mpxj"
LABEL = "MS Project / Primavera (MPXJ)"

LINK_TYPES = {"FINISH_START": "FS", "START_START": "SS", "FINISH_FINISH": "FF", "START_FINISH": "SF"}
CONSTRAINTS = {
    "AS_SOON_AS_POSSIBLE": "ASAP",
    "AS_LATE_AS_POSSIBLE": "ALAP",
    "MUST_START_ON": "MSO",
    "MUST_FINISH_ON": "MFO",
    "START_NO_EARLIER_THAN": "SNET",
    "START_NO_LATER_THAN": "SNLT",
    "FINISH_NO_EARLIER_THAN": "FNET",
    "FINISH_NO_LATER_THAN": "FNLT",
    "START_ON": "MSO",  # P6 "Start On"
    "FINISH_ON": "MFO",
    "MANDATORY_START": "MSO",
    "MANDATORY_FINISH": "MFO",
}
UNITS = {
    "MINUTES": "m",
    "HOURS": "h",
    "DAYS": "d",
    "WEEKS": "w",
    "MONTHS": "mo",
    "YEARS": "mo",
    "ELAPSED_MINUTES": "em",
    "ELAPSED_HOURS": "eh",
    "ELAPSED_DAYS": "ed",
    "ELAPSED_WEEKS": "ew",
    "ELAPSED_MONTHS": "emo",
    "ELAPSED_YEARS": "emo",
    "PERCENT": "%",
    "ELAPSED_PERCENT": "%",
}
P6_TYPES = {"XER", "PMXML", "P3", "SURETRAK", "PRX"}  # MPXJ's FileType names of Primavera files
_ELAPSED_MINUTES = {"em": 1, "eh": 60, "ed": 1440, "ew": 10080, "emo": 43200}


def detect(raw: RawFile) -> float:
    if raw.kind == "native":
        return 0.99
    if raw.kind != "xml":
        return 0.0
    head = raw.data[:4096]
    if b"<APIBusinessObjects" in head:  # Primavera P6 XML (PMXML)
        return 0.97
    if b"schemas.microsoft.com/project" in head:
        return 0.0  # MSPDI: the hand-written reader
    low = head.lower()
    if b"<project" in low and (b"ganttproject" in low or b"mrproject" in low or b"<phoenix" in low):
        return 0.9
    return 0.0


# ----------------------------------------------------------------------------- Java values


def _s(v) -> str | None:
    if v is None:
        return None
    t = str(v).strip()
    return t or None


def _moment(v) -> tuple[date | None, float | None]:
    """java.time.LocalDateTime -> (date, minute of the day)."""
    if v is None:
        return None, None
    d = datetime.fromisoformat(str(v)[:19])
    return d.date(), float(d.hour * 60 + d.minute)


def _num(v) -> float | None:
    if v is None:
        return None
    try:
        x = float(v.doubleValue()) if hasattr(v, "doubleValue") else float(v)
    except (TypeError, ValueError):
        return None
    return x if x == x else None


def _unit(d) -> str | None:
    return None if d is None else UNITS.get(str(d.getUnits().name()))


def _minutes(d, props, time_unit) -> float | None:
    """A Duration in minutes: working minutes (the project's day/week/month lengths), elapsed
    minutes for elapsed units, None for percentages."""
    if d is None:
        return None
    unit = UNITS.get(str(d.getUnits().name()))
    if unit == "%":
        return None
    value = float(d.getDuration())
    if unit in _ELAPSED_MINUTES:
        return value * _ELAPSED_MINUTES[unit]
    return float(d.convertUnits(time_unit.MINUTES, props).getDuration())


# What MPXJ's Project 98 (MPP8) reader puts in a derived calendar's day marked "default" (use the
# base calendar's hours): the standard week itself, Monday to Friday 08:00-12:00 and 13:00-17:00.
_MPP8_DEFAULT_WEEK = {str(d): [[480, 720], [780, 1020]] for d in range(1, 6)} | {"6": [], "7": []}


def _week(cal, day_of_week, mpp8: bool = False) -> dict[str, list[list[int]]] | None:
    """Weekly working periods of a calendar ({"1": [[480, 720], ...]}); None where every weekday
    is inherited from the base calendar.

    Project 98 files (``mpp8``): MPXJ reads a derived calendar's days marked "default" as the
    standard week instead of inheriting the base calendar's (``MPP8Reader.processCalendarData``
    sets each such day to the default working week with 08:00-17:00 hours). A derived calendar
    whose seven days are exactly that week is therefore read as inheriting every day, as Project
    98 schedules it (``sample98.mpp``: a resource calendar on the Night Shift base, whose task
    MS Project finishes at 08:00, the end of a night shift). A calendar someone set by hand to
    the standard week on a different base reads as its base: the one case this cannot tell apart.
    """
    out: dict[str, list[list[int]]] = {}
    for iso, dow in enumerate(day_of_week.values(), start=1):  # MONDAY .. SUNDAY
        kind = str(cal.getCalendarDayType(dow).name())
        if kind == "DEFAULT":
            continue
        periods = []
        if kind == "WORKING":
            hours = cal.getCalendarHours(dow)
            for r in hours or []:
                periods.append(_period(r))
        out[str(iso)] = periods
    if mpp8 and cal.getParent() is not None and out == _MPP8_DEFAULT_WEEK:
        return None
    return out or None


def _period(r) -> list[int]:
    a, b = str(r.getStart()), str(r.getEnd())
    am = int(a[:2]) * 60 + int(a[3:5])
    bm = int(b[:2]) * 60 + int(b[3:5])
    return [am, bm if bm > am else 1440]


def _exceptions(cal) -> list:
    out = []
    try:
        items = list(cal.getExpandedCalendarExceptions())
    except Exception:  # noqa: BLE001 - older MPXJ: the plain list
        items = list(cal.getCalendarExceptions())
    for e in items:
        first, last = e.getFromDate(), e.getToDate()
        if first is None:
            continue
        periods = [_period(r) for r in e] if e.getWorking() else []
        out.append([str(first), str(last or first), periods])
    return out


# ----------------------------------------------------------------------------- parse


def _read_projects(raw: RawFile) -> list:
    from ..jvm import start

    start(raw.name)
    from org.mpxj.reader import UniversalProjectReader  # type: ignore[import-not-found]

    suffix = os.path.splitext(raw.name)[1] or ".bin"
    fd, path = tempfile.mkstemp(prefix="pmo-native-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw.data)
        try:
            projects = UniversalProjectReader().readAll(path)
        except Exception as exc:  # noqa: BLE001 - MPXJ's own reason (MPXJException and friends)
            raise IngestError(
                key="native.unreadable", params={"detail": str(exc)[:300]}, file=raw.name, hint_key="hint.fresh_copy"
            ) from exc
    finally:
        os.unlink(path)
    if projects is None or len(projects) == 0:
        raise IngestError(key="native.not_schedule", file=raw.name, hint_key="hint.native_formats")
    return list(projects)


def parse(raw: RawFile, options) -> ParsedUpload:
    result = new_result(raw, NAME)
    read_started = datetime.now() - timedelta(minutes=1)
    files = _read_projects(raw)
    from java.time import DayOfWeek  # type: ignore[import-not-found]
    from org.mpxj import TimeUnit  # type: ignore[import-not-found]

    tables: dict[str, list[dict]] = {"projects": [], "tasks": [], "links": [], "calendars": [], "assignments": []}
    for pf in files:
        _project(pf, raw, options, result, tables, read_started, TimeUnit, DayOfWeek, single=len(files) == 1)
    for name, rows in tables.items():
        if rows:
            add_table(
                result,
                name,
                pd.DataFrame.from_records(rows),
                file=raw.name,
                sheet=name.capitalize(),
                row_numbers=list(range(1, len(rows) + 1)),
            )
        ensure_table(result, name)
    note_stale_slack(result)
    return result


def _project(pf, raw, options, result, tables, read_started, time_unit, day_of_week, single: bool) -> None:
    props = pf.getProjectProperties()
    mpd = _num(props.getMinutesPerDay()) or 480.0
    title = _s(props.getProjectTitle())
    p6_id = _s(props.getProjectID())
    pname = _s(props.getName())
    file_type = _s(props.getFileType()) or ""
    project_id = (options.project_id if single else None) or p6_id or title or pname or file_stem(raw.name)
    if not (options.project_id and single):
        note(result, Note("note.native.project", project=project_id, type=file_type))
    status = props.getStatusDate()
    current = props.getCurrentDate()
    if status is not None and propose(result, _moment(status)[0], NATIVE_STATUS_DATE):
        note(result, Note("note.native.status_date", date=str(_moment(status)[0])))
    elif (
        current is not None
        and datetime.fromisoformat(str(current)[:19]) < read_started
        and propose(result, _moment(current)[0], NATIVE_CURRENT_DATE)
    ):
        note(result, Note("note.native.current_date", date=str(_moment(current)[0])))

    default_cal = props.getDefaultCalendar()
    mpp8 = _num(props.getMppFileType()) == 8
    for cal in pf.getCalendars():
        parent = cal.getParent()
        weekdays = _week(cal, day_of_week, mpp8)
        tables["calendars"].append(
            {
                "project_id": project_id,
                "calendar_id": str(cal.getUniqueID()),
                "name": _s(cal.getName()),
                "parent_id": None if parent is None else str(parent.getUniqueID()),
                "weekdays": json.dumps(weekdays) if weekdays else None,
                "exceptions": json.dumps(_exceptions(cal)) or None,
            }
        )

    tasks = [t for t in pf.getTasks() if not t.getNull()]
    ev_base = _ev_baseline(props)

    def ev_value(t, what: str):
        """Baseline ``what`` (Start, Finish, Cost) of the baseline used for earned value."""
        return getattr(t, f"getBaseline{what}")(ev_base) if ev_base else getattr(t, f"getBaseline{what}")()

    any_baseline = any(ev_value(t, "Start") is not None or ev_value(t, "Cost") is not None for t in tasks)
    summary_rec = None
    durations: dict[str, float] = {}
    n_manual = n_inactive = n_empty = 0
    weekly: dict[tuple[str, date], list[float]] = {}
    for t in tasks:
        uid = str(t.getUniqueID())
        level = t.getOutlineLevel()
        if not t.getActive():
            n_inactive += 1
            continue
        if t.getSummary() and t.getStart() is None and t.getFinish() is None and level:
            n_empty += 1  # a WBS folder with nothing scheduled under it (P6): no dates to keep
            continue
        start_d, start_m = _moment(t.getStart())
        fin_d, fin_m = _moment(t.getFinish())
        as_d, as_m = _moment(t.getActualStart())
        af_d, af_m = _moment(t.getActualFinish())
        cd_d, cd_m = _moment(t.getConstraintDate())
        dl_d, dl_m = _moment(t.getDeadline())
        dur = t.getDuration()
        dur_min = _minutes(dur, props, time_unit)
        slack = t.getTotalSlack()
        slack_min = _minutes(slack, props, time_unit)
        cost, bcost = _num(t.getCost()), _num(ev_value(t, "Cost"))
        pct = _num(t.getPercentageComplete())
        names: list[str] = []
        for a in t.getResourceAssignments():
            res = a.getResource()
            rname = None if res is None else _s(res.getName())
            if rname is None:
                continue
            names.append(rname)
            _spread(weekly, rname, a, props, time_unit)
        manual = str(t.getTaskMode().name()) == "MANUALLY_SCHEDULED" if t.getTaskMode() is not None else False
        n_manual += manual
        ctype = t.getConstraintType()
        cal_id = _task_calendar(t, default_cal)
        rec = {
            "project_id": project_id,
            "task_id": uid,
            "wbs": _s(t.getWBS()) or _s(t.getOutlineNumber()),
            "name": _s(t.getName()),
            "outline_level": None if level is None else int(level),
            "is_summary": bool(t.getSummary()),
            "is_milestone": bool(t.getMilestone()),
            "start": start_d,
            "finish": fin_d,
            "baseline_start": _moment(ev_value(t, "Start"))[0],
            "baseline_finish": _moment(ev_value(t, "Finish"))[0],
            "actual_start": as_d,
            "actual_finish": af_d,
            "percent_complete": None if pct is None else pct / 100,
            "bac": bcost if any_baseline else cost,
            "actual_cost": _num(t.getActualCost()),
            "resource_names": ", ".join(names) or None,
            "constraint_type": CONSTRAINTS.get(str(ctype.name())) if ctype is not None else None,
            "constraint_date": cd_d,
            "deadline": dl_d,
            "total_float_days": None if slack_min is None else slack_min / mpd,
            "start_minute": start_m,
            "finish_minute": fin_m,
            "actual_start_minute": as_m,
            "actual_finish_minute": af_m,
            "constraint_minute": cd_m,
            "deadline_minute": dl_m,
            "duration_minutes": dur_min,
            "duration_unit": _unit(dur),
            "remaining_minutes": _minutes(t.getRemainingDuration(), props, time_unit),
            "leveling_delay_minutes": _minutes(t.getLevelingDelay(), props, time_unit) or None,
            "leveling_delay_unit": _unit(t.getLevelingDelay())
            if _minutes(t.getLevelingDelay(), props, time_unit)
            else None,
            "split_minutes": _split_minutes(t, time_unit),
            "calendar_id": cal_id,
            "is_manual": manual,
            # a manual task whose duration was never entered (MS Project keeps its duration text:
            # empty, or the words typed instead of a duration) and shows the duration blank
            "is_placeholder": manual and t.getDurationText() is not None,
            "is_critical": bool(t.getCritical()),
        }
        if level is not None and int(level) == 0:
            summary_rec = rec
            continue
        if dur_min is not None:
            durations[uid] = dur_min
        tables["tasks"].append(rec)
        for rel in t.getPredecessors():
            pred = rel.getPredecessorTask()
            if pred is None:
                continue
            lag = rel.getLag()
            unit = _unit(lag)
            lag_min = _minutes(lag, props, time_unit)
            if unit == "%":
                lag_min = float(lag.getDuration())  # percent of the predecessor's duration
            tables["links"].append(
                {
                    "project_id": project_id,
                    "pred_task_id": str(pred.getUniqueID()),
                    "succ_task_id": uid,
                    "type": LINK_TYPES.get(str(rel.getType().name()), "FS"),
                    "lag_minutes": lag_min,
                    "lag_unit": unit if lag_min else None,
                    "lag_days": None,
                }
            )
    for link in tables["links"]:
        if link["project_id"] != project_id:
            continue
        m = link["lag_minutes"] or 0.0
        if link["lag_unit"] == "%":
            base = durations.get(link["pred_task_id"])
            link["lag_days"] = None if base is None else m / 100 * base / mpd
        elif (link["lag_unit"] or "").startswith("e"):
            link["lag_days"] = m / 1440 * 5 / 7  # a calendar day as 5/7 of a working day
        else:
            link["lag_days"] = m / mpd
    for (person, week), (planned, actual) in sorted(weekly.items()):
        tables["assignments"].append(
            {
                "person": person,
                "project_id": project_id,
                "week_start": week,
                "planned_hours": round(planned, 4),
                "actual_hours": round(actual, 4),
            }
        )
    if n_manual:
        note(result, Note("note.native.manual", n=n_manual))
    placeholders = sum(1 for r in tables["tasks"] if r["project_id"] == project_id and r.get("is_placeholder"))
    if placeholders:
        note(result, Note("note.schedule.placeholders", n=placeholders))
    if n_inactive:
        note(result, Note("note.native.inactive", n=n_inactive))
    if n_empty:
        note(result, Note("note.native.empty_summaries", n=n_empty))
    if not any_baseline:
        note(result, Note("note.msp.no_baseline"))
    start_d, _ = _moment(props.getStartDate())
    fin_d, _ = _moment(props.getFinishDate())
    proj = {
        "project_id": project_id,
        "name": title or pname or project_id,
        "manager": _s(props.getManager()),
        "currency": _s(props.getCurrencyCode()),
        "start": start_d,
        "finish": fin_d,
        "calendar_id": None if default_cal is None else str(default_cal.getUniqueID()),
        "minutes_per_day": mpd,
        "schedule_tool": "p6" if file_type.upper() in P6_TYPES else "msproject",
        **_critical_options(props, mpd, time_unit),
    }
    if summary_rec:
        proj["baseline_start"] = summary_rec["baseline_start"]
        proj["baseline_finish"] = summary_rec["baseline_finish"]
        proj["bac"] = summary_rec["bac"]
    tables["projects"].append(proj)


def _critical_options(props, mpd: float, time_unit) -> dict:
    """The critical-path options: the critical slack limit in days of the project's day
    (MS Project's "critical if slack <= ", P6's critical float threshold, which MPXJ reads into
    the same property) and MS Project's "multiple critical paths"."""
    try:
        limit = _minutes(props.getCriticalSlackLimit(), props, time_unit)
        multiple = props.getMultipleCriticalPaths()
    except Exception:  # noqa: BLE001 - an MPXJ version without these properties: not known
        return {}
    return {
        "critical_slack_limit_days": None if limit is None else limit / mpd,
        "multiple_critical_paths": None if multiple is None else bool(multiple),
    }


def _split_minutes(t, time_unit) -> float | None:
    """Working minutes of a split task's interruptions: the gaps between the work parts MS
    Project keeps (``getWorkSplits``), measured on the task's effective calendar; None when the
    task is not split (or is a summary, or MPXJ cannot tell)."""
    if t.getSummary():
        return None
    try:
        parts = list(t.getWorkSplits() or [])
        cal = t.getEffectiveCalendar()
    except Exception:  # noqa: BLE001 - an MPXJ version without splits: no interruptions known
        return None
    if len(parts) < 2 or cal is None:
        return None
    gap = 0.0
    for a, b in zip(parts, parts[1:], strict=False):
        if b.getStart() is not None and a.getEnd() is not None and b.getStart().isAfter(a.getEnd()):
            gap += float(cal.getWork(a.getEnd(), b.getStart(), time_unit.MINUTES).getDuration())
    return gap or None


def _ev_baseline(props) -> int:
    """The baseline MS Project uses for earned value (0 = "Baseline", 1..10 = "Baseline1".."10")."""
    try:
        n = props.getBaselineForEarnedValue()
        return int(n) if n is not None and 0 < int(n) <= 10 else 0
    except Exception:  # noqa: BLE001 - a property this MPXJ version does not have
        return 0


def _task_calendar(t, default_cal) -> str | None:
    """The calendar a task is scheduled on, as MS Project chooses it: the task's own; for a
    fixed-duration task without one, the project's; else its work resources' calendars (several
    joined by ``+``: working when any of them works); else the project's."""
    cal = t.getCalendar()
    if cal is not None:
        return str(cal.getUniqueID())
    fixed = t.getType() is not None and str(t.getType().name()) == "FIXED_DURATION"
    ids: list[str] = []
    if not fixed:
        for a in t.getResourceAssignments():
            res = a.getResource()
            units = _num(a.getUnits())
            if res is None or (units is not None and units <= 0) or not res.getType().isTimeBased():
                continue
            rc = res.getCalendar()
            cid = (
                str(rc.getUniqueID())
                if rc is not None
                else (None if default_cal is None else str(default_cal.getUniqueID()))
            )
            if cid and cid not in ids:
                ids.append(cid)
    if ids:
        return "+".join(sorted(ids))
    return None if default_cal is None else str(default_cal.getUniqueID())


def _spread(weekly: dict, person: str, a, props, time_unit) -> None:
    """An assignment's work, spread evenly over the weekdays from its start to its finish, added
    into ``weekly[(person, Monday)] = [planned hours, actual hours]``."""
    s, f = _moment(a.getStart())[0], _moment(a.getFinish())[0]
    if s is None or f is None or f < s:
        return
    work = _minutes(a.getWork(), props, time_unit) or 0.0
    actual = _minutes(a.getActualWork(), props, time_unit) or 0.0
    if not work and not actual:
        return
    days = [s + timedelta(days=i) for i in range((f - s).days + 1)]
    days = [d for d in days if d.weekday() < 5] or [s]
    for d in days:
        key = (person, d - timedelta(days=d.weekday()))
        cell = weekly.setdefault(key, [0.0, 0.0])
        cell[0] += work / 60 / len(days)
        cell[1] += actual / 60 / len(days)
