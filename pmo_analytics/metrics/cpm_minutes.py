"""Critical path in working minutes, on each task's own calendar, for projects whose schedule
file keeps time as the tool does (MS Project .mpp/.xml, P6 .xer/.xml: times of day, durations in
minutes, calendars; ``tasks.duration_minutes`` present). ``cpm.cpm`` sends such projects here and
the others (spreadsheets with dates only) to its working-day engine; both return ``CPM_COLUMNS``.

Inputs are durations, links, calendars, constraints and progress only: the slack, critical flag
and early/late dates the tool stored are never read (``tests/test_cpm_minutes.py`` blanks them).

Time: minutes since the working-time epoch (wall clock, one axis for every calendar). Each task
works on its calendar (``tasks.calendar_id``, else the project's, else Mon-Fri 08:00-12:00,
13:00-17:00). Float is reported in days of the project's own day length (``minutes_per_day``).

Rules (MS Project's, as its stored values show them; P6 differences marked):

- A task starts at the next working moment of its calendar and finishes at the end of working
  time (a 1-day task from Monday 08:00 finishes Monday 17:00; its FS successor starts Tuesday
  08:00). Elapsed durations and lags (``ed``, ``eh`` ...) run on the wall clock.
- Lags are counted on the successor's calendar; a percentage lag is that share of the
  predecessor's duration.
- FS: ES(s) >= EF(p) + lag; SS: ES(s) >= ES(p) + lag; FF: EF(s) >= EF(p) + lag;
  SF: EF(s) >= ES(p) + lag. Without predecessors a task starts at the project start, plus its
  leveling delay (``leveling_delay_minutes``) when it has one.
- Constraints: SNET/FNET raise, SNLT/FNLT cap (early dates as MS Project moves them), MSO/MFO fix
  the early dates; the late dates are capped by SNLT/FNLT/MSO/MFO. A task a constraint holds
  before the date its links allow keeps the constraint's dates, and its slack is counted from
  the links' date: negative, as MS Project shows the conflict on the task itself (``slack9.mpp``:
  a milestone that must finish a day before its predecessor ends, -1 day).
- Manually scheduled tasks keep the dates the file gives them; their late dates follow the
  logic, except that a manual predecessor on an SS/SF link is held only by a successor that ends
  its chain (else by the project finish), as MS Project's stored slack shows.
- Split tasks (MS Project): the interruptions between a task's work parts are kept as stored
  (``split_minutes``, working minutes on its calendar) and move with the task: it spans its
  duration plus its interruptions, before and after it starts (a 10-day task split for 1 day
  finishes 11 working days after its start, and its float is counted from that finish).
- A summary task with no task under it in the file (an inserted subproject, whose tasks live
  in its own file) is scheduled as a task of its duration: it holds up the project finish as
  MS Project's master plan shows (``mpp9subproject.mpp``: the normal task keeps 1 day of slack).
- Progress: finished tasks keep their actual dates and drive nothing backwards; a started task
  keeps its actual start and finishes its duration later (MS Project) or, P6, its remaining
  duration after the data date; P6 starts no unstarted work before the data date.
- Total slack: MS Project the smaller of start slack (ES to LS) and finish slack (EF to LF), the
  finish slack alone for a started task; P6 the finish float. Working time on the task's calendar.
- P6 differs from MS Project in three more places, each measured on a real P6 schedule
  (``SP10 - COST LOADED.xer``, 3,466 unfinished activities with stored float: 87 % agreed
  before these rules, 98.5 % after):
  an ALAP activity is moved as late as its successors' dates allow (an ALAP successor's moved
  dates first) and its float is counted from there (MS Project shows ALAP tasks at zero);
  a successor's late start is handed back to a finish-to-start predecessor as it is, where MS
  Project first moves it to the next working start on the successor's calendar (they differ
  across calendars: a milestone at 16:00 on a 08:00-16:00 calendar holds a 08:00-17:00
  predecessor to 16:00 in P6, to 17:00 in MS Project); a started activity's late start is
  its remaining work's (late finish less remaining duration), and a start-to-start successor
  holds a started predecessor by its remaining duration, not its whole one.
- Deadlines (MS Project): a task's deadline caps its late finish as a "finish no later than"
  does (its early dates stay), so a missed deadline shows negative slack on the task and its
  predecessors; a deadline given without a time of day is the end of that day's working time.
  A deadline on a summary task is not applied to the tasks under it (not checked against MS
  Project: no file with one was seen).
- Multiple critical paths (MS Project's option, ``projects.multiple_critical_paths``): a task
  without successors has its late finish at its own early finish, not at the project finish,
  so the last task of every chain is critical.
- Critical: total slack <= the tool's critical slack limit (``projects.critical_slack_limit_days``:
  MS Project's "tasks are critical if slack is less than or equal to", P6's critical float
  threshold; 0 when empty, ``cpm.critical_slack_at``) and not finished, not a summary, not a
  placeholder: a manually scheduled task whose duration was never entered (``is_placeholder``:
  MS Project shows it blank and fills in the project start and "1 day?") has no schedule and is
  never critical, as MS Project stores it (MPXJ's corpus: every such task at zero slack is
  stored non-critical, in ``task-*`` and ``assigned-resources``/``deleted-resource-assignments``
  even with resources, while manual tasks given a duration are critical at zero slack whether
  linked or not: ``assignment-*``, ``calendar-exception-precedence-*``, ``task-links``).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .working_time import (
    MINUTES_PER_DAY,
    MinuteCalendar,
    calendar_for_task,
    calendars_from_frame,
    moment,
    moment_date,
)

FS, SS, FF, SF = "FS", "SS", "FF", "SF"
_ELAPSED = ("em", "eh", "ed", "ew", "emo")


def has_minutes(tasks: pd.DataFrame) -> bool:
    """True when the tasks keep working-time durations (every non-summary task has one)."""
    if tasks is None or tasks.empty or "duration_minutes" not in tasks.columns:
        return False
    work = ~tasks["is_summary"].fillna(False).astype(bool) if "is_summary" in tasks.columns else slice(None)
    return bool(tasks.loc[work, "duration_minutes"].notna().all()) and bool(tasks.loc[work, "duration_minutes"].size)


def _val(row, name, default=None):
    v = row.get(name, default)
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return default
    try:
        if pd.isna(v):
            return default
    except (TypeError, ValueError):
        pass
    return v


@dataclass
class _T:
    i: int
    tid: str
    cal: MinuteCalendar
    dur: float  # working minutes, or wall minutes when elapsed
    elapsed: bool
    milestone: bool
    summary: bool
    manual: bool
    done: bool
    started: bool
    a_start: float
    a_finish: float
    start: float
    finish: float
    ccode: str | None
    cdate: float
    remaining: float
    alap: bool
    placeholder: bool = False  # a manual task never given a duration (never critical)
    delay: float = 0.0  # leveling delay (minutes)
    delay_elapsed: bool = True
    split: float = 0.0  # a split task's interruptions (working minutes)
    deadline: float = math.nan  # caps the late finish (MS Project's Deadline)

    @property
    def span(self) -> float:
        """Working time from the task's start to its finish: its duration plus its splits."""
        return self.dur + self.split


def _add(t: _T, at: float, minutes: float, finish: bool = True) -> float:
    if t.elapsed:
        return at + minutes
    return t.cal.add(at, minutes, finish=finish)


def _next_start(t: _T, at: float) -> float:
    """The working moment a task can start at (elapsed tasks too start in working time)."""
    nxt = t.cal.next_start(at)
    if nxt > at and t.milestone and t.cal.previous_finish(at) == at:
        return at  # a milestone can sit at the end of a working period
    return nxt


def _lag_at(succ: _T, pred: _T, at: float, lag: float, unit: str | None, sign: float = 1.0) -> float:
    if not lag:
        return at
    if unit == "%":
        return _add(succ, at, sign * lag / 100.0 * pred.dur, finish=True)
    if unit in _ELAPSED:
        return at + sign * lag
    return succ.cal.add(at, sign * lag, finish=True)


def project_cpm(
    tasks: pd.DataFrame,
    links: pd.DataFrame | None,
    calendars: pd.DataFrame | None = None,
    project: dict | None = None,
    status_date=None,
    near_critical_days: float = 5.0,
) -> pd.DataFrame:
    """One project's CPM in working minutes; columns as ``cpm.CPM_COLUMNS`` (dates with time)."""
    from .cpm import CPM_COLUMNS, _cycle_error, critical_slack_at, multiple_critical_paths, parents

    project = project or {}
    mpd = float(_val(project, "minutes_per_day", MINUTES_PER_DAY) or MINUTES_PER_DAY)
    tool = str(_val(project, "schedule_tool", "msproject") or "msproject")
    cals = calendars_from_frame(calendars, mpd)
    default = cals.get(str(_val(project, "calendar_id", ""))) or MinuteCalendar(minutes_per_day=mpd, name="standard")
    recs = tasks.to_dict("records")
    n = len(recs)
    ts: list[_T] = []
    for i, r in enumerate(recs):
        cal = calendar_for_task(cals, _val(r, "calendar_id")) or default
        unit = str(_val(r, "duration_unit", "d") or "d")
        summary = bool(_val(r, "is_summary", False))
        dur = float(_val(r, "duration_minutes", 0.0) or 0.0)
        pc = float(_val(r, "percent_complete", 0.0) or 0.0)
        a_s = moment(_val(r, "actual_start"), _val(r, "actual_start_minute"))
        a_f = moment(_val(r, "actual_finish"), _val(r, "actual_finish_minute"))
        done = not math.isnan(a_f) or pc >= 1.0 - 1e-9
        started = done or not math.isnan(a_s)
        rem = _val(r, "remaining_minutes")
        ccode = _val(r, "constraint_type")
        ts.append(
            _T(
                i=i,
                tid=str(r["task_id"]),
                cal=cal,
                dur=dur,
                elapsed=unit in _ELAPSED,
                milestone=bool(_val(r, "is_milestone", False)) and dur == 0,
                summary=summary,
                manual=bool(_val(r, "is_manual", False)),
                done=done,
                started=started,
                a_start=a_s,
                a_finish=a_f,
                start=moment(_val(r, "start"), _val(r, "start_minute"), 480),
                finish=moment(_val(r, "finish"), _val(r, "finish_minute"), 1020),
                ccode=None if ccode is None else str(ccode).upper(),
                cdate=moment(_val(r, "constraint_date"), _val(r, "constraint_minute")),
                remaining=float(rem) if rem is not None else dur * (1 - pc),
                alap=str(ccode or "").upper() == "ALAP",
                placeholder=bool(_val(r, "is_placeholder", False)),
                delay=float(_val(r, "leveling_delay_minutes", 0.0) or 0.0),
                delay_elapsed=str(_val(r, "leveling_delay_unit", "ed") or "ed") in _ELAPSED,
                split=0.0 if unit in _ELAPSED else float(_val(r, "split_minutes", 0.0) or 0.0),
                # a deadline without a time of day: the end of that day's working time
                deadline=moment(_val(r, "deadline"), _val(r, "deadline_minute"), 1440),
            )
        )
    for t in ts:  # a finished task without an actual finish keeps its finish
        if t.done and math.isnan(t.a_finish):
            t.a_finish = t.finish
        if t.started and math.isnan(t.a_start):
            t.a_start = t.start
    pos = {t.tid: t.i for t in ts}
    par = parents([_val(r, "wbs", "") for r in recs], [_val(r, "outline_level", math.nan) for r in recs])
    children: dict[int, list[int]] = {}
    for i, p in enumerate(par.tolist()):
        if p >= 0:
            children.setdefault(p, []).append(i)
    for t in ts:  # a summary without tasks under it here (an inserted subproject) is a task
        if t.summary and t.i not in children:
            t.summary = False

    def leaves(i: int) -> list[int]:
        if not ts[i].summary:
            return [i]
        out, stack = [], list(children.get(i, ()))
        while stack:
            c = stack.pop()
            if ts[c].summary:
                stack.extend(children.get(c, ()))
            else:
                out.append(c)
        return out

    ins: list[list[tuple]] = [[] for _ in range(n)]
    outs: list[list[tuple]] = [[] for _ in range(n)]
    if links is not None and len(links):
        for lk in links.to_dict("records"):
            a, b = pos.get(str(lk["pred_task_id"])), pos.get(str(lk["succ_task_id"]))
            if a is None or b is None:
                continue
            ty = str(_val(lk, "type", FS) or FS).upper()
            lag_unit: str | None = _val(lk, "lag_unit")
            lag = _val(lk, "lag_minutes")
            if lag is None:  # only days known: days of the project's day length
                lag, lag_unit = float(_val(lk, "lag_days", 0.0) or 0.0) * mpd, None
            for x in leaves(a):
                for y in leaves(b):
                    if x != y:
                        ins[y].append((x, ty, float(lag), lag_unit))
                        outs[x].append((y, ty, float(lag), lag_unit))

    work = [t.i for t in ts if not t.summary]
    indeg = {i: len(ins[i]) for i in work}
    queue = deque(i for i in work if indeg[i] == 0)
    order: list[int] = []
    while queue:
        i = queue.popleft()
        order.append(i)
        for j, *_ in outs[i]:
            indeg[j] -= 1
            if indeg[j] == 0:
                queue.append(j)
    if len(order) < len(work):
        left = [i for i in work if indeg[i] > 0]
        raise _cycle_error(str(recs[0]["project_id"]), [left[0], left[0]], [t.tid for t in ts], [""] * n)

    # the project start: its date, at the time of day of the first task starting that day (the
    # projects table keeps the date only; MS Project's is e.g. 08:00, not midnight). When
    # unstarted automatic tasks start before the stated date, the stated one is not what the
    # tool scheduled from (MS Project starts no such task before its project start): the first
    # of their starts is.
    pstart = moment(_val(project, "start"), None, 0.0)
    starts = [t.start for t in ts if not t.summary and not math.isnan(t.start)]
    if starts and (math.isnan(pstart) or pstart <= min(starts) < pstart + 1440):
        pstart = min(starts)
    early = [t.start for t in ts if not (t.summary or t.started or t.manual or math.isnan(t.start))]
    if early and min(early) < pstart:
        pstart = min(early)
    dd = moment(status_date, None, 0.0) if (tool == "p6" and status_date is not None) else math.nan

    es = [math.nan] * n
    ef = [math.nan] * n
    logic = [math.nan] * n
    for j in order:
        t = ts[j]
        if t.done:
            es[j], ef[j] = t.a_start, t.a_finish
            continue
        if t.manual:
            es[j], ef[j] = (t.a_start if t.started else t.start), t.finish
            continue
        if t.started:
            es[j] = t.a_start
            if tool == "p6" and not math.isnan(dd):
                ef[j] = _add(t, _next_start(t, max(dd, t.a_start)), t.remaining)
            else:
                ef[j] = _add(t, t.a_start, t.span)
            continue
        cands = []
        for p, ty, lag, unit in ins[j]:
            pt = ts[p]
            if ty == FS:
                cands.append(_lag_at(t, pt, ef[p], lag, unit))
            elif ty == SS:
                cands.append(_lag_at(t, pt, es[p], lag, unit))
            elif ty == FF:
                cands.append(_add(t, _lag_at(t, pt, ef[p], lag, unit), -t.span, finish=False))
            else:
                cands.append(_add(t, _lag_at(t, pt, es[p], lag, unit), -t.span, finish=False))
        e = max(cands) if cands else pstart
        if math.isnan(e):
            e = t.start
        if not cands and t.delay:  # a leveling delay after the project start (as MPXJ reads MS Project)
            e = _next_start(t, e)
            e = e + t.delay if t.delay_elapsed else t.cal.add(e, t.delay, finish=False)
        if not math.isnan(dd):
            e = max(e, dd)
        e = _next_start(t, e)
        c, cd = t.ccode, t.cdate
        logic[j] = e  # where the links alone put it (a constraint may hold it earlier)
        if c and not math.isnan(cd):
            if c == "SNET" and e < cd:
                e = cd
            elif c == "FNET":
                e = max(e, _add(t, cd, -t.span, finish=False))
            elif c == "SNLT" and e > cd:
                e = cd
            elif c == "FNLT":
                e = min(e, _add(t, cd, -t.span, finish=False))
            elif c == "MSO":
                e = cd
            elif c == "MFO":
                e = _add(t, cd, -t.span, finish=False)
        es[j] = e
        ef[j] = _add(t, e, t.span) if t.span else e

    pf = max((ef[i] for i in work if not math.isnan(ef[i])), default=math.nan)
    multiple = multiple_critical_paths(project)
    ls = [math.nan] * n
    lf = [math.nan] * n
    for i in reversed(order):
        t = ts[i]
        if t.done:
            ls[i], lf[i] = t.a_start, t.a_finish
            continue
        succ = [(s, ty, lag, unit) for s, ty, lag, unit in outs[i] if not ts[s].done]
        # P6 holds a started activity's remaining work, from its remaining late start
        rest = t.remaining if tool == "p6" and t.started else t.span
        cands = []
        for s, ty, lag, unit in succ:
            st = ts[s]
            if ty == FS:
                v = _lag_at(
                    st, t, st.cal.next_start(ls[s]) if not (st.elapsed or tool == "p6") else ls[s], lag, unit, -1.0
                )
            elif ty in (SS, SF) and t.manual:
                # a manual predecessor is held only by a successor that ends the chain (MS Project)
                v = lf[s] if not outs[s] else pf
            elif ty == SS:
                v = _add(t, _lag_at(st, t, ls[s], lag, unit, -1.0), rest)
            elif ty == FF:
                v = _lag_at(st, t, lf[s], lag, unit, -1.0)
            else:
                v = _add(t, _lag_at(st, t, lf[s], lag, unit, -1.0), rest)
            cands.append(min(v, pf))
        # with multiple critical paths a task without successors ends late at its own early finish
        f = min(cands) if cands else (ef[i] if multiple and not outs[i] else pf)
        c, cd = t.ccode, t.cdate
        if c and not math.isnan(cd):
            if c == "MSO":
                f = _add(t, cd, t.span)
            elif c == "MFO":
                f = cd
            elif c == "SNLT":
                f = min(f, _add(t, cd, t.span))
            elif c == "FNLT":
                f = min(f, cd)
        if not math.isnan(t.deadline):
            f = min(f, t.deadline)
        if not t.elapsed:
            f = t.cal.previous_finish(f)
        lf[i] = f
        if t.started and tool == "p6":
            ls[i] = _add(t, f, -t.remaining, finish=False) if t.remaining else f
        elif t.started:
            ls[i] = t.a_start
        else:
            ls[i] = _add(t, f, -t.span, finish=False) if t.span else f

    # P6 moves an ALAP activity as late as its successors' dates allow (their own ALAP dates when
    # they are ALAP too: last first), without delaying any of them, and counts its float from there
    late_ef = list(ef)
    if tool == "p6":
        for i in reversed(order):
            t = ts[i]
            if not t.alap or t.done or t.started or math.isnan(ef[i]):
                continue
            nx = []
            for s, ty, lag, unit in outs[i]:
                st = ts[s]
                if st.done or ty not in (FS, FF):
                    continue
                s_ef = late_ef[s]
                s_es = es[s] if s_ef == ef[s] else _add(st, s_ef, -st.span, finish=False) if st.span else s_ef
                nx.append(_lag_at(st, t, s_es if ty == FS else s_ef, lag, unit, -1.0))
            f = min(nx) if nx else pf
            f = f if t.elapsed else t.cal.previous_finish(f)
            if f > ef[i]:
                late_ef[i] = f

    crit_at = critical_slack_at(project, mpd, 0.5)  # half a minute: rounding of stored times
    tf = [math.nan] * n
    crit = [False] * n
    ffl = [math.nan] * n
    for i in work:
        t = ts[i]
        if t.done:
            continue

        def span(a: float, b: float, t: _T = t) -> float:
            return (b - a) if t.elapsed else t.cal.between(a, b)

        e_s, e_f = es[i], ef[i]
        if logic[i] > e_s:  # a constraint holds it before its links allow: negative slack
            e_s, e_f = logic[i], _add(t, logic[i], t.span) if t.span else logic[i]
        nexts = [(es[s] if ty in (FS,) else ef[s]) for s, ty, *_ in outs[i] if not ts[s].done and ty in (FS, FF)]
        free = min(span(ef[i], x) for x in nexts) if nexts else span(ef[i], pf)
        if t.alap and tool == "p6":
            slack = span(max(e_f, late_ef[i]), lf[i])
        elif t.alap:
            slack = 0.0
        elif tool == "p6" or t.started:
            slack = span(e_f, lf[i])
        else:
            slack = min(span(e_s, ls[i]), span(e_f, lf[i]))
        tf[i] = slack / mpd
        # the tool's critical slack limit (half a minute: rounding of stored times)
        crit[i] = slack <= crit_at and not t.placeholder
        ffl[i] = min(free / mpd, tf[i])

    # summaries: earliest start, latest finish, smallest float of their leaves
    for i, t in enumerate(ts):
        if t.summary:
            lv = [x for x in leaves(i) if not math.isnan(es[x])]
            if lv:
                es[i] = min(es[x] for x in lv)
                ls[i] = min(ls[x] for x in lv)
                ef[i] = max(ef[x] for x in lv)
                lf[i] = max(lf[x] for x in lv)
                fl = [tf[x] for x in lv if not math.isnan(tf[x])]
                tf[i] = min(fl) if fl else math.nan
    tf_arr = np.array(tf, dtype=float)
    crit_arr = np.array(crit, dtype=bool)
    near = (~crit_arr) & (np.nan_to_num(tf_arr, nan=math.inf) <= near_critical_days)
    near[[t.i for t in ts if t.summary]] = False

    def dates(v: list[float]) -> np.ndarray:
        arr = np.array(v, dtype=float)
        out = np.full(len(arr), np.datetime64("NaT", "m"))
        ok = np.isfinite(arr)
        out[ok] = moment_date(0.0) + np.round(arr[ok]).astype(np.int64).astype("timedelta64[m]")
        return out.astype("datetime64[s]")

    out = pd.DataFrame(
        {
            "project_id": [str(r["project_id"]) for r in recs],
            "task_id": [t.tid for t in ts],
            "name": [_val(r, "name", "") for r in recs],
            "early_start": dates(es),
            "early_finish": dates(ef),
            "late_start": dates(ls),
            "late_finish": dates(lf),
            "total_float_days": tf_arr,
            "free_float_days": np.array(ffl, dtype=float),
            "critical": crit_arr,
            "near_critical": near,
            "duration_days": np.array([math.nan if t.summary else t.dur / mpd for t in ts], dtype=float),
        }
    )
    return out[CPM_COLUMNS]
