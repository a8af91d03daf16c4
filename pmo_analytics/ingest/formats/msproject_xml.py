"""MS Project XML (MSPDI, "Save As > XML") -> ``projects`` + ``tasks`` + ``links``.

Rules:
- Parsed with ``defusedxml`` only (DTDs, entities and external references refused).
- ``project_id``: the chosen project, else the project's ``Title``, else its ``Name`` without
  the extension, else the file name. ``StatusDate`` (else ``CurrentDate``, the date MS Project
  measures progress against when no status date is set) is proposed as the status date.
- Tasks: every ``<Task>`` except null tasks (``IsNull`` 1) and the project summary task
  (``UID`` 0 / ``OutlineLevel`` 0, whose values fill the ``projects`` row). ``task_id`` is the
  ``UID`` (stable across edits; links use it). Summaries and milestones are flagged.
  ``PercentComplete`` 0..100 becomes a fraction. ``Cost``/``ActualCost`` are money.
- Baselines: the baseline the project uses for earned value (``BaselineForEarnedValue``,
  0 = "Baseline") gives ``baseline_start``/``baseline_finish`` and the budget ``bac``; when
  a task has no such baseline its ``bac`` falls back to ``Cost`` only if the project has no
  baselines at all (a note says so).
- Links: each ``PredecessorLink``; ``Type`` 0 = FF, 1 = FS, 2 = SF, 3 = SS; ``LinkLag`` is in
  tenths of a minute, converted to working days with the file's ``MinutesPerDay`` (480 when
  absent: 4800 = one 8-hour day); elapsed lag formats (``LagFormat`` 4, 6, 8, 10, 12) count a
  calendar day as 5/7 working day; a percentage lag (``LagFormat`` 19/20, ``LinkLag`` the percentage of
  the predecessor's duration, as MPXJ reads it) is converted with that duration.
- Constraints: ``ConstraintType`` 0..7 -> ``ASAP``, ``ALAP``, ``MSO`` (must start on), ``MFO``
  (must finish on), ``SNET``, ``SNLT``, ``FNET``, ``FNLT``; ``ConstraintDate`` kept.
- ``TotalSlack`` (tenths of a minute) -> ``total_float_days`` with ``MinutesPerDay``.
- The critical path's inputs (schema 6): a task's ``Deadline`` (date and time of day); the
  project's ``CriticalSlackLimit`` (days) and ``MultipleCriticalPaths`` (1 = on).
- Custom fields Duration1-3 (``ExtendedAttribute`` FieldID 188743783-5, where MS Project's PERT
  analysis kept optimistic/expected/pessimistic durations) become three-point estimates only
  when the person names them (``ParseOptions.fields``, by field name or its alias); else a note.
- Resources: names of the resources assigned to each task (``Assignments``), joined by ``, ``.
- Splits: ``split_minutes`` from the assignments' timephased work (``_split_minutes``).
- Time as MS Project keeps it (schema 4, the same columns the MPXJ reader fills, so the CPM in
  working minutes sees the same input whichever reader read the file): times of day of start,
  finish, actuals and constraint; ``Duration``/``RemainingDuration`` in minutes with the unit of
  ``DurationFormat`` (elapsed units on the wall clock); ``LinkLag`` in minutes with the unit of
  ``LagFormat``; the task's calendar (``CalendarUID``, else its work resources' calendars joined by
  ``+``, else the project's ``CalendarUID``); ``Manual``; the stored ``Critical``; every calendar
  (``Calendars``: weekdays, working times, exceptions in both the 2003 ``DayType 0`` form and the
  2007+ ``Exceptions`` form, base calendars).
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

from ..base import Note, ParsedUpload, Problem, RawFile
from ..status_dates import MSPDI_CURRENT_DATE, MSPDI_STATUS_DATE, propose
from ..xmlread import parse_xml
from ._common import add_table, ensure_table, file_stem, new_result, note, note_stale_slack

NAME = "msproject_xml"
LABEL = "MS Project XML"

LINK_TYPES = {"0": "FF", "1": "FS", "2": "SF", "3": "SS"}
CONSTRAINTS = {"0": "ASAP", "1": "ALAP", "2": "MSO", "3": "MFO", "4": "SNET", "5": "SNLT", "6": "FNET", "7": "FNLT"}
_ELAPSED_FORMATS = {"4", "6", "8", "10", "12", "36", "38", "40", "42", "44"}
_PERCENT_FORMATS = {"19", "20", "51", "52"}


def detect(raw: RawFile) -> float:
    if raw.kind != "xml":
        return 0.0
    head = raw.data[:4096]
    if b"schemas.microsoft.com/project" in head:
        return 0.98
    if re.search(rb"<Project[\s>]", head) and b"<Tasks>" in raw.data[:200_000]:
        return 0.8
    return 0.0


def _t(el, tag: str) -> str | None:
    x = el.find(tag)
    if x is None or x.text is None:
        return None
    v = x.text.strip()
    return v or None


def _dt(v: str | None) -> date | None:
    if not v:
        return None
    try:
        return datetime.fromisoformat(v).date()
    except ValueError:
        return None


def _num(v: str | None) -> float | None:
    if v is None:
        return None
    try:
        return float(v)
    except ValueError:
        return None


def _duration_minutes(v: str | None) -> float | None:
    """ISO-8601 duration as MSPDI writes it (``PT8H0M0S``) in minutes."""
    if not v:
        return None
    m = re.fullmatch(r"-?P(?:(\d+(?:\.\d+)?)D)?T?(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?", v)
    if not m:
        return None
    d, h, mi, s = (float(x) if x else 0.0 for x in m.groups())
    total = d * 1440 + h * 60 + mi + s / 60
    return -total if v.startswith("-") else total


# DurationFormat / LagFormat codes -> unit ("?" estimated variants 35..52 map to the same units)
UNIT_CODES = {
    "3": "m",
    "4": "em",
    "5": "h",
    "6": "eh",
    "7": "d",
    "8": "ed",
    "9": "w",
    "10": "ew",
    "11": "mo",
    "12": "emo",
    "19": "%",
    "20": "%",
    "35": "m",
    "36": "em",
    "37": "h",
    "38": "eh",
    "39": "d",
    "40": "ed",
    "41": "w",
    "42": "ew",
    "43": "mo",
    "44": "emo",
    "51": "%",
    "52": "%",
}


def _minute(v: str | None) -> float | None:
    """Minutes after midnight of an ISO date-time (``2003-01-07T08:00:00`` -> 480)."""
    if not v or "T" not in v:
        return None
    try:
        d = datetime.fromisoformat(v)
    except ValueError:
        return None
    return float(d.hour * 60 + d.minute)


def _clock(v: str | None) -> int | None:
    if not v:
        return None
    parts = v.split(":")
    try:
        return int(parts[0]) * 60 + int(parts[1])
    except (ValueError, IndexError):
        return None


def _working_times(el) -> list[list[int]]:
    out = []
    wts = el.find("WorkingTimes") if el is not None else None
    for wt in wts.findall("WorkingTime") if wts is not None else []:
        a, b = _clock(_t(wt, "FromTime")), _clock(_t(wt, "ToTime"))
        if a is not None and b is not None:
            out.append([a, b if b > a else 1440])
    return out


def _calendars(root, project_id: str) -> list[dict]:
    """``calendars`` rows: weekdays (MSPDI DayType 1 = Sunday .. 7 = Saturday; 0 = an exception in
    the 2003 form) and exceptions (2007+ ``Exceptions``)."""
    import json

    rows = []
    cals = root.find("Calendars")
    for c in cals.findall("Calendar") if cals is not None else []:
        uid = _t(c, "UID")
        if uid is None:
            continue
        week: dict[str, list[list[int]]] = {}
        exceptions = []
        wds = c.find("WeekDays")
        for wd in wds.findall("WeekDay") if wds is not None else []:
            dt = _t(wd, "DayType")
            working = _t(wd, "DayWorking") == "1"
            if dt == "0":
                tp = wd.find("TimePeriod")
                first, last = _dt(_t(tp, "FromDate")) if tp is not None else None, None
                if tp is not None:
                    last = _dt(_t(tp, "ToDate"))
                if first is not None:
                    exceptions.append(
                        [first.isoformat(), (last or first).isoformat(), _working_times(wd) if working else []]
                    )
            elif dt and dt.isdigit() and 1 <= int(dt) <= 7:
                iso = 7 if dt == "1" else int(dt) - 1
                week[str(iso)] = _working_times(wd) if working else []
        exs = c.find("Exceptions")
        for ex in exs.findall("Exception") if exs is not None else []:
            tp = ex.find("TimePeriod")
            if tp is None:
                continue
            first, last = _dt(_t(tp, "FromDate")), _dt(_t(tp, "ToDate"))
            if first is None:
                continue
            working = _t(ex, "DayWorking") == "1"
            exceptions.append([first.isoformat(), (last or first).isoformat(), _working_times(ex) if working else []])
        base = _t(c, "BaseCalendarUID")
        rows.append(
            {
                "project_id": project_id,
                "calendar_id": uid,
                "name": _t(c, "Name"),
                "parent_id": None if base in (None, "-1") else base,
                "weekdays": json.dumps(week) if week else None,
                "exceptions": json.dumps(exceptions) if exceptions else None,
            }
        )
    return rows


# MS Project's custom duration fields (MSPDI ``ExtendedAttribute/FieldID``); its PERT analysis
# kept the optimistic, expected and pessimistic durations in Duration1-3
CUSTOM_DURATION_FIELDS = {"188743783": "Duration1", "188743784": "Duration2", "188743785": "Duration3"}


def _custom_durations(result: ParsedUpload, root, tasks: list[dict], chosen: dict) -> None:
    """Three-point estimates from the custom duration fields the person named (``{column: field
    name or its alias}``, ``ParseOptions.fields``); fields present but not named get a note and
    an open choice (the Import page asks), never a guess."""
    from ...errors import FormatError
    from ...schema import normalize_header
    from .msproject_excel import CUSTOM_COLUMNS

    aliases: dict[str, str] = {}
    defs = root.find("ExtendedAttributes")
    for d in defs.findall("ExtendedAttribute") if defs is not None else []:
        name = CUSTOM_DURATION_FIELDS.get(_t(d, "FieldID") or "")
        if name and _t(d, "Alias"):
            aliases[normalize_header(_t(d, "Alias") or "")] = name
    customs = [rec.pop("_custom", None) or {} for rec in tasks]
    present = sorted({n for values in customs for n in values})
    by_key = {normalize_header(n): n for n in present} | {k: v for k, v in aliases.items() if v in present}
    picked: dict[str, str] = {}
    for column, header in chosen.items():
        if column not in CUSTOM_COLUMNS:
            raise FormatError(
                key="ingest.field_column", params={"column": column, "columns": ", ".join(CUSTOM_COLUMNS)}
            )
        name = by_key.get(normalize_header(str(header)))
        if name is None:
            raise FormatError(
                key="ingest.field_missing", params={"file": result.source_name, "sheet": "Tasks", "header": header}
            )
        picked[column] = name
    for rec, values in zip(tasks, customs, strict=True):
        for column, name in picked.items():
            rec[column] = values.get(name)
    left = [n for n in present if n not in picked.values()]
    if left:
        note(result, Note("note.msp.custom_durations", columns=", ".join(left)))
    if present:
        result.open_choices["custom_fields"] = {"headers": present, "columns": list(CUSTOM_COLUMNS), "chosen": picked}


def _split_minutes(
    tasks: list[dict], work: dict[str, list[tuple[str, str]]], cal_rows: list[dict], project_cal, mpd: float
) -> None:
    """``split_minutes`` of each split task, as MPXJ reads it from an .mpp: the working time (on
    the task's calendar) between the periods in which its assignments' timephased data hold work
    (remaining or actual), i.e. the interruptions MS Project keeps between a task's parts."""
    from ...metrics.working_time import MinuteCalendar, calendar_for_task, calendars_from_frame, moment

    if not work:
        return
    cals = calendars_from_frame(pd.DataFrame.from_records(cal_rows), mpd) if cal_rows else {}
    default = calendar_for_task(cals, project_cal) or MinuteCalendar(minutes_per_day=mpd)
    for rec in tasks:
        periods = work.get(rec["task_id"] or "")
        if rec["is_summary"] or not periods or len(periods) < 2:
            continue
        spans = sorted(
            (moment(_dt(a), _minute(a)), moment(_dt(b), _minute(b))) for a, b in periods if _dt(a) and _dt(b)
        )
        if len(spans) < 2:  # dates that do not parse are left out
            continue
        cal = calendar_for_task(cals, rec["calendar_id"]) or default
        gap, end = 0.0, spans[0][1]
        for a, b in spans[1:]:
            if a > end:
                gap += max(cal.between(end, a), 0.0)
            end = max(end, b)
        rec["split_minutes"] = gap or None


def parse(raw: RawFile, options) -> ParsedUpload:
    result = new_result(raw, NAME)
    root = parse_xml(raw.name, raw.data)
    if root.tag != "Project":
        result.problems.append(Problem.of(raw.name, "", None, None, root.tag, "msproject.not_project_root"))
        return result
    minutes_per_day = _num(_t(root, "MinutesPerDay")) or 480.0
    tenths_per_day = minutes_per_day * 10
    title = _t(root, "Title")
    pname = _t(root, "Name")
    project_id = options.project_id or title or (file_stem(pname) if pname else None) or file_stem(raw.name)
    if not options.project_id:
        note(result, Note("note.msp.project_from_title" if title else "note.msp.project_from_name", project=project_id))
    status, current = _dt(_t(root, "StatusDate")), _dt(_t(root, "CurrentDate"))
    if status is not None and propose(result, status, MSPDI_STATUS_DATE):
        note(result, Note("note.msp.status_date", date=status.isoformat()))
    elif current is not None and propose(result, current, MSPDI_CURRENT_DATE):
        note(result, Note("note.msp.current_date", date=current.isoformat()))
    else:
        note(result, Note("note.msp.no_status_date"))
    ev_baseline = _t(root, "BaselineForEarnedValue") or "0"
    if minutes_per_day != 480:
        note(result, Note("note.msp.minutes_per_day", minutes=f"{minutes_per_day:g}"))

    resources = {}
    project_cal = _t(root, "CalendarUID")
    res_cal: dict[str, str] = {}  # work resources' calendars
    res_root = root.find("Resources")
    if res_root is not None:
        for r in res_root.findall("Resource"):
            uid, name = _t(r, "UID"), _t(r, "Name")
            if uid and name:
                resources[uid] = name
            if uid and (_t(r, "Type") or "1") == "1":
                rc = _t(r, "CalendarUID")
                res_cal[uid] = rc if rc not in (None, "-1") else (project_cal or "")
    task_resources: dict[str, list[str]] = {}
    task_cals: dict[str, set[str]] = {}
    task_work: dict[str, list[tuple[str, str]]] = {}  # timephased periods with work (splits)
    asg_root = root.find("Assignments")
    if asg_root is not None:
        for a in asg_root.findall("Assignment"):
            tuid, ruid = _t(a, "TaskUID"), _t(a, "ResourceUID")
            if tuid and ruid in resources:
                task_resources.setdefault(tuid, []).append(resources[ruid])
            if tuid and ruid in res_cal and res_cal[ruid] and (_num(_t(a, "Units")) or 1.0) > 0:
                task_cals.setdefault(tuid, set()).add(res_cal[ruid])
            for tp in a.findall("TimephasedData") if tuid else ():
                if _t(tp, "Type") in ("1", "2") and (_duration_minutes(_t(tp, "Value")) or 0) > 0:
                    a_s, a_f = _t(tp, "Start"), _t(tp, "Finish")
                    if a_s and a_f:
                        task_work.setdefault(tuid or "", []).append((a_s, a_f))

    tasks, links = [], []
    summary_task = None
    any_baseline = False
    other_baselines: set[str] = set()
    durations: dict[str, float] = {}
    elapsed_lags = pct_lags = 0
    tasks_root = root.find("Tasks")
    for el in tasks_root.findall("Task") if tasks_root is not None else []:
        if _t(el, "IsNull") == "1":
            continue
        uid = _t(el, "UID")
        level = _t(el, "OutlineLevel")
        baseline = None
        for b in el.findall("Baseline"):
            num = _t(b, "Number") or "0"
            if num == ev_baseline:
                baseline = b
            else:
                other_baselines.add(num)
        if baseline is not None:
            any_baseline = True
        dur = _duration_minutes(_t(el, "Duration"))
        if uid and dur is not None:
            durations[uid] = dur / minutes_per_day
        pct = _num(_t(el, "PercentComplete"))
        slack = _num(_t(el, "TotalSlack"))
        ctype = _t(el, "ConstraintType")
        unit = UNIT_CODES.get(_t(el, "DurationFormat") or "7", "d")
        own_cal = _t(el, "CalendarUID")
        if own_cal not in (None, "-1"):
            cal_id = own_cal
        elif _t(el, "Type") != "1" and task_cals.get(uid or ""):  # not fixed duration: resources' calendars
            cal_id = "+".join(sorted(task_cals[uid or ""]))
        else:
            cal_id = project_cal or ""
        rec = {
            "project_id": project_id,
            "task_id": uid,
            "wbs": _t(el, "WBS") or _t(el, "OutlineNumber"),
            "name": _t(el, "Name"),
            "outline_level": level,
            "is_summary": _t(el, "Summary") == "1",
            "is_milestone": _t(el, "Milestone") == "1",
            "start": _dt(_t(el, "Start")),
            "finish": _dt(_t(el, "Finish")),
            "baseline_start": _dt(_t(baseline, "Start")) if baseline is not None else None,
            "baseline_finish": _dt(_t(baseline, "Finish")) if baseline is not None else None,
            "actual_start": _dt(_t(el, "ActualStart")),
            "actual_finish": _dt(_t(el, "ActualFinish")),
            "percent_complete": None if pct is None else pct / 100.0,
            "bac": _num(_t(baseline, "Cost")) if baseline is not None else None,
            "_cost": _num(_t(el, "Cost")),
            "actual_cost": _num(_t(el, "ActualCost")),
            "resource_names": ", ".join(task_resources.get(uid or "", [])) or None,
            "constraint_type": CONSTRAINTS.get(ctype or "", ctype),
            "constraint_date": _dt(_t(el, "ConstraintDate")),
            "deadline": _dt(_t(el, "Deadline")),
            "total_float_days": None if slack is None else slack / tenths_per_day,
            "start_minute": _minute(_t(el, "Start")),
            "finish_minute": _minute(_t(el, "Finish")),
            "actual_start_minute": _minute(_t(el, "ActualStart")),
            "actual_finish_minute": _minute(_t(el, "ActualFinish")),
            "constraint_minute": _minute(_t(el, "ConstraintDate")),
            "deadline_minute": _minute(_t(el, "Deadline")),
            "duration_minutes": dur,
            "duration_unit": unit,
            "remaining_minutes": _duration_minutes(_t(el, "RemainingDuration")),
            # LevelingDelay: tenths of a minute (of wall-clock time in an elapsed format)
            "leveling_delay_minutes": (_num(_t(el, "LevelingDelay")) or 0) / 10 or None,
            "leveling_delay_unit": UNIT_CODES.get(_t(el, "LevelingDelayFormat") or "8", "ed")
            if _num(_t(el, "LevelingDelay"))
            else None,
            "calendar_id": cal_id or None,
            "is_manual": _t(el, "Manual") == "1",
            # a manual task whose duration was never entered: MS Project writes <DurationText>
            # (empty, or the words typed instead of a duration) and shows the duration blank
            "is_placeholder": _t(el, "Manual") == "1" and el.find("DurationText") is not None,
            "is_critical": None if _t(el, "Critical") is None else _t(el, "Critical") == "1",
        }
        custom: dict[str, float] = {}
        for ea in el.findall("ExtendedAttribute"):  # custom duration fields (Duration1-3)
            name = CUSTOM_DURATION_FIELDS.get(_t(ea, "FieldID") or "")
            value = _duration_minutes(_t(ea, "Value"))
            if name and value is not None:
                custom[name] = value / minutes_per_day
        if custom:
            rec["_custom"] = custom
        if _t(el, "Active") == "0":
            continue
        if uid == "0" or level == "0":
            summary_task = rec
            continue
        tasks.append(rec)
        for pl in el.findall("PredecessorLink"):
            pred = _t(pl, "PredecessorUID")
            lag = _num(_t(pl, "LinkLag")) or 0.0
            fmt = _t(pl, "LagFormat") or "7"
            lag_days: float | None = lag / tenths_per_day
            if fmt in _ELAPSED_FORMATS and lag:
                lag_days = lag / 14400 * 5 / 7  # tenths of a minute of calendar time
                elapsed_lags += 1
            elif fmt in _PERCENT_FORMATS and lag:
                pct_lags += 1
                lag_days = ("pct", pred, lag / 100.0)  # resolved once every duration is known
            lag_unit = UNIT_CODES.get(fmt, "d") if lag else None
            links.append(
                {
                    "project_id": project_id,
                    "pred_task_id": pred,
                    "succ_task_id": uid,
                    "type": LINK_TYPES.get(_t(pl, "Type") or "1", _t(pl, "Type")),
                    "lag_days": lag_days,
                    # tenths of a minute (of wall-clock time when elapsed); a percentage as written
                    "lag_minutes": (lag if lag_unit == "%" else lag / 10.0) if lag else 0.0,
                    "lag_unit": lag_unit,
                    "_cross": _t(pl, "CrossProject") == "1",
                }
            )
    for link in links:
        if isinstance(link["lag_days"], tuple):
            _, pred, share = link["lag_days"]
            link["lag_days"] = share * durations[pred] if pred in durations else None
    placeholders = sum(1 for r in tasks if r.get("is_placeholder"))
    if placeholders:
        note(result, Note("note.schedule.placeholders", n=placeholders))
    cross = [lk for lk in links if lk["_cross"]]
    if cross:
        note(result, Note("note.msp.cross_links", n=len(cross)))
        links = [lk for lk in links if not lk["_cross"]]
    if elapsed_lags:
        note(result, Note("note.msp.elapsed_lags", n=elapsed_lags))
    if pct_lags:
        note(result, Note("note.msp.pct_lags", n=pct_lags))
    if any_baseline:
        note(result, Note("note.msp.ev_baseline", baseline=ev_baseline))
    else:
        for rec in tasks:
            rec["bac"] = rec["_cost"]
        note(result, Note("note.msp.no_baseline"))
    if other_baselines:
        note(result, Note("note.msp.other_baselines", baselines=", ".join(sorted(other_baselines, key=int))))

    _custom_durations(result, root, tasks, getattr(options, "fields", None) or {})
    _split_minutes(tasks, task_work, _calendars(root, project_id), project_cal, minutes_per_day)
    task_frame = pd.DataFrame.from_records(tasks)
    if tasks:
        add_table(
            result,
            "tasks",
            task_frame,
            file=raw.name,
            sheet="Tasks",
            row_numbers=[int(str(r["task_id"])) if str(r["task_id"] or "").isdigit() else 0 for r in tasks],
            headers={"task_id": "UID"},
        )
    ensure_table(result, "tasks")
    if links:
        add_table(
            result,
            "links",
            pd.DataFrame.from_records(links),
            file=raw.name,
            sheet="PredecessorLink",
            row_numbers=[int(lk["succ_task_id"]) if (lk["succ_task_id"] or "").isdigit() else 0 for lk in links],
            headers={
                "pred_task_id": "PredecessorUID",
                "succ_task_id": "Task UID",
                "type": "Type",
                "lag_days": "LinkLag",
            },
        )
    ensure_table(result, "links")

    cal_rows = _calendars(root, project_id)
    if cal_rows:
        add_table(
            result,
            "calendars",
            pd.DataFrame.from_records(cal_rows),
            file=raw.name,
            sheet="Calendars",
            row_numbers=list(range(1, len(cal_rows) + 1)),
        )
    ensure_table(result, "calendars")
    multiple = _t(root, "MultipleCriticalPaths")
    proj = {
        "project_id": project_id,
        "name": title or (file_stem(pname) if pname else None) or project_id,
        "manager": _t(root, "Manager"),
        "currency": _t(root, "CurrencyCode"),
        "start": _dt(_t(root, "StartDate")),
        "finish": _dt(_t(root, "FinishDate")),
        "calendar_id": project_cal,
        "minutes_per_day": minutes_per_day,
        "schedule_tool": "msproject",
        # the critical-path options (File > Options > Advanced): CriticalSlackLimit in days
        "critical_slack_limit_days": _num(_t(root, "CriticalSlackLimit")),
        "multiple_critical_paths": None if multiple is None else multiple == "1",
    }
    if summary_task:
        proj["baseline_start"] = summary_task["baseline_start"]
        proj["baseline_finish"] = summary_task["baseline_finish"]
        proj["bac"] = summary_task["bac"] if any_baseline else summary_task["_cost"]
    add_table(result, "projects", pd.DataFrame.from_records([proj]), file=raw.name, sheet="Project", row_numbers=[1])
    note(result, Note("note.msp.rows_uid"))
    note_stale_slack(result)
    return result
