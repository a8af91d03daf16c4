"""DCMA 14-point schedule assessment (DCMA-EA PAM 200.1, as summarised in
``../shared/reference/dcma14.md``), per project, plus a schedule-quality score.

Population: "incomplete tasks" are real work tasks - not summaries, not milestones - that
are not 100 % complete (no actual finish, percent complete < 100 %). Relationship checks
(2, 3, 4) count the project's links. Percent checks report ``value`` in percent.

Float (checks 6, 7, 12's choice of the most critical task, 13): the one CPM decision of
``cpm.cpm``. Projects whose tasks keep time as their tool does (``duration_minutes`` from .mpp,
.xer, MSPDI: ``cpm._timed_projects``) take the total float of the CPM in working minutes on
their own calendars (``cpm_minutes``, given the file's ``calendars`` and ``projects`` rows), in
days of the project's own day length, as the Gantt page and the CLI show it; the others the
working-day engine's. Check 12's slip test and CPLI's path length run on the working-day network
(a slip of 600 working days moves the finish by as many days on either axis).

Variants (settings): ``bei_variant`` "dcma" (tasks missing a baseline finish count in the
BEI denominator) or "p6" (they are dropped); ``bei_early_finishers`` (default True: the
numerator counts every completed task, DAU's reading; False: only tasks baselined to
finish by the status date); ``cpli_variant`` "baseline" (default: total float = working
days from the forecast project finish to the baseline project finish, capped by the
smallest CPM float) or "float" (smallest CPM total float of incomplete work).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace

import numpy as np
import pandas as pd

from .columns import column, flags, floats, texts
from .cpm import (
    HARD_CONSTRAINTS,
    ProjectSchedule,
    _groups,
    _link_arrays,
    _link_types,
    _minute_cpm,
    _status_by_project,
    _timed_projects,
    constraint_code,
    schedules,
)
from .working_time import DayCalendar, to_days

CHECKS: dict[int, str] = {
    1: "Logic",
    2: "Leads",
    3: "Lags",
    4: "Relationship types",
    5: "Hard constraints",
    6: "High float",
    7: "Negative float",
    8: "High duration",
    9: "Invalid dates",
    10: "Resources",
    11: "Missed tasks",
    12: "Critical path test",
    13: "CPLI",
    14: "BEI",
}

DCMA_COLUMNS = [
    "project_id",
    "check",
    "name",
    "value",
    "unit",
    "comparator",
    "threshold",
    "passed",
    "numerator",
    "denominator",
    "offending_tasks",
    "offending_links",
]

_TYPE_NAMES = ("FS", "SS", "FF", "SF")
CPT_SLIP_DAYS = 600.0  # the "large slip" of check 12, in working days


def ratio(num: float | None, den: float | None) -> float:
    """num / den; NaN when either is missing or den is zero."""
    if num is None or den is None:
        return math.nan
    try:
        num, den = float(num), float(den)
    except (TypeError, ValueError):
        return math.nan
    if math.isnan(num) or math.isnan(den) or den == 0:
        return math.nan
    return num / den


def bei(tasks_completed: float | None, tasks_baselined_to_finish: float | None) -> float:
    """Baseline Execution Index = tasks completed / tasks baselined to finish (NaN if none)."""
    return ratio(tasks_completed, tasks_baselined_to_finish)


def cpli(critical_path_length_days: float | None, total_float_days: float | None) -> float:
    """Critical Path Length Index = (CPL + total float) / CPL (NaN when CPL is zero or missing)."""
    if critical_path_length_days is None or total_float_days is None:
        return math.nan
    return ratio(float(critical_path_length_days) + float(total_float_days), critical_path_length_days)


def _link_id(a: str, b: str, ty: str) -> str:
    return f"{a}->{b} ({ty})"


def _check(pid, num, name, value, unit, comparator, threshold, passed, numerator, denominator, tasks=(), links=()):
    return {
        "project_id": pid,
        "check": num,
        "name": name,
        "value": value,
        "unit": unit,
        "comparator": comparator,
        "threshold": threshold,
        "passed": passed,
        "numerator": numerator,
        "denominator": denominator,
        "offending_tasks": list(tasks),
        "offending_links": list(links),
    }


def _pct_check(pid, num, offenders: list[str], den: int, threshold: float, comparator: str = "<=", links=()):
    n = len(offenders) if not links else len(links)
    value = ratio(n, den) * 100
    if math.isnan(value):
        passed = None
    elif comparator == "<=":
        passed = bool(value <= threshold + 1e-9)
    elif comparator == ">=":
        passed = bool(value >= threshold - 1e-9)
    elif comparator == "==":
        passed = bool(abs(value - threshold) < 1e-9)
    else:
        passed = None
    return _check(pid, num, CHECKS[num], value, "%", comparator, threshold, passed, n, den, offenders, links)


def dcma(
    tasks: pd.DataFrame,
    links: pd.DataFrame | None,
    status_date=None,
    settings=None,
    holidays: Iterable | None = None,
    scheds: dict[str, ProjectSchedule] | None = None,
    on_error: str = "raise",
    calendars: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The 14 DCMA checks per project: one row per (project, check), columns ``DCMA_COLUMNS``.

    ``passed`` is True/False, or None where the check does not apply (no population, no
    status date, ratio-only check 10). ``offending_tasks`` / ``offending_links`` list ids.
    ``on_error="skip"``: a project whose links form a loop is left out and its message put in
    ``result.attrs["errors"]``. ``calendars``/``projects``: the schedule files' calendars and
    project rows, for projects whose float comes from the CPM in working minutes (module doc).
    """
    hol = tuple(holidays) if holidays is not None else tuple(getattr(settings, "holidays", ()) or ())
    high_float = float(getattr(settings, "high_float_days", 44.0))
    high_dur = float(getattr(settings, "high_duration_days", 44.0))
    bei_variant = str(getattr(settings, "bei_variant", "dcma"))
    early = bool(getattr(settings, "bei_early_finishers", True))
    cpli_variant = str(getattr(settings, "cpli_variant", "baseline"))
    if tasks is None or tasks.empty:
        return pd.DataFrame(columns=DCMA_COLUMNS)
    cal = DayCalendar(hol)
    errs: list | None = [] if on_error == "skip" else None
    if scheds is None:
        scheds = schedules(
            tasks, links, status_date, hol, str(getattr(settings, "cpm_remaining", "percent")), errs, projects
        )
    scheds = _with_minute_float(scheds, tasks, links, calendars, projects, status_date)
    status = _status_by_project(tasks, status_date)
    rows: list[dict] = []
    # convert every column once for the whole frame, then take each project's rows by position
    cols, per_project = _task_columns(tasks, cal)
    lk: dict | None = None
    link_groups: dict = {}
    if links is not None and len(links):
        lk = _link_arrays(links)
        link_groups = _groups(texts(links["project_id"]))
    for pid, idx in _groups(cols["project_id"]).items():
        if pid not in scheds:
            continue
        t = {k: v[idx] for k, v in cols.items()}
        for c in per_project:  # dates given as text: parsed per project, as a frame of one project would be
            t[c] = to_days(tasks[c].iloc[idx])
        lrows = link_groups.get(pid)
        rows.extend(
            _project_checks(
                pid,
                t,
                (lk, lrows) if lrows is not None else None,
                status.get(pid),
                scheds[pid],
                cal,
                high_float,
                high_dur,
                bei_variant,
                early,
                cpli_variant,
            )
        )
    out = pd.DataFrame(rows, columns=DCMA_COLUMNS)
    out.attrs["errors"] = [str(e) for e in errs or []]  # English (logs, CLI)
    out.attrs["error_codes"] = [e.code() for e in errs or []]  # what pages translate
    return out


def _with_minute_float(
    scheds: dict[str, ProjectSchedule],
    tasks: pd.DataFrame,
    links: pd.DataFrame | None,
    calendars: pd.DataFrame | None,
    projects: pd.DataFrame | None,
    status_date,
) -> dict[str, ProjectSchedule]:
    """``scheds`` with the total float of each timed project (``cpm._timed_projects``: the same
    decision as ``cpm.cpm``) replaced by the CPM in working minutes' float, in days of the
    project's day length, matched by task id (NaN where that engine has none)."""
    timed = _timed_projects(tasks) & set(scheds)
    if not timed:
        return scheds
    out = dict(scheds)
    for frame in _minute_cpm(tasks, links, calendars, projects, status_date, 5.0, timed, []):
        if frame.empty:
            continue
        pid = str(frame["project_id"].iloc[0])
        by_id = dict(zip(frame["task_id"].astype(str), frame["total_float_days"].to_numpy(dtype=float), strict=True))
        sch = out[pid]
        tf = np.array([by_id.get(str(i), math.nan) for i in sch.net.ids], dtype=float)
        tf[np.isnan(sch.tf)] = math.nan  # finished tasks and summaries have no float on either engine
        out[pid] = replace(sch, tf=tf)
    return out


_DATE_COLUMNS = ("actual_start", "actual_finish", "start", "finish", "baseline_start", "baseline_finish")


def _task_columns(tasks: pd.DataFrame, cal: DayCalendar) -> tuple[dict[str, np.ndarray], list[str]]:
    """The task columns the checks use, converted once for the whole frame, and the date
    columns that hold text (left to ``to_days`` per project: its date-format guess is per call)."""
    ccodes = [constraint_code(v) for v in column(tasks, "constraint_type", None)]
    cols = {
        "project_id": texts(tasks["project_id"]),
        "task_id": texts(tasks["task_id"]),
        "is_summary": flags(column(tasks, "is_summary", False)),
        "is_milestone": flags(column(tasks, "is_milestone", False)),
        "pc": np.nan_to_num(floats(column(tasks, "percent_complete")), nan=0.0),
        "hard": np.array([c in HARD_CONSTRAINTS for c in ccodes], dtype=bool),
        "resource_names": texts(column(tasks, "resource_names", "")),
        "bac": np.nan_to_num(floats(column(tasks, "bac")), nan=0.0),
    }
    per_project = []
    for c in _DATE_COLUMNS:
        if c in tasks.columns and not pd.api.types.is_datetime64_any_dtype(tasks[c].dtype):
            per_project.append(c)
        else:
            cols[c] = to_days(column(tasks, c))
    if "baseline_start" in cols and "baseline_finish" in cols:
        cols["bdur"] = cal.span(cols["baseline_start"], cols["baseline_finish"])
    return cols, per_project


def _project_checks(pid, t, lk, sd, sch: ProjectSchedule, cal, high_float, high_dur, bei_variant, early, cpli_variant):
    """The 14 checks of one project: ``t`` holds its task columns (``_task_columns``, rows in
    the order of the CPM network), ``lk`` its links as ``(link arrays, rows)`` or None."""
    ids = t["task_id"]
    summary = t["is_summary"]
    milestone = t["is_milestone"] & ~summary
    pc = t["pc"]
    a_s = t["actual_start"]
    a_f = t["actual_finish"]
    start = t["start"]
    finish = t["finish"]
    b_s = t["baseline_start"]
    b_f = t["baseline_finish"]
    done = (~np.isnat(a_f)) | (pc >= 1.0 - 1e-9)
    work = ~summary & ~milestone
    inc = work & ~done
    n_inc = int(inc.sum())
    # positions in the CPM network match the rows of ``t`` (same order)
    tf = sch.tf
    out = []

    # 1 logic ------------------------------------------------------------------
    has_p = np.zeros(len(ids), dtype=bool)
    has_s = np.zeros(len(ids), dtype=bool)
    lp = ls = ltypes = np.array([], dtype=object)
    lags = np.array([], dtype=float)
    if lk is not None and len(lk[1]):
        links, lrows = lk
        codes = _link_types(links, lrows)
        lp = links["pred"][lrows]
        ls = links["succ"][lrows]
        ltypes = np.array([_TYPE_NAMES[c] for c in codes.tolist()])
        lags = links["lag"][lrows]
        succ_set, pred_set = set(ls), set(lp)
        has_p = np.array([i in succ_set for i in ids], dtype=bool)
        has_s = np.array([i in pred_set for i in ids], dtype=bool)
    off = inc & ~(has_p & has_s)
    out.append(_pct_check(pid, 1, list(ids[off]), n_inc, 5.0))

    # 2-4 links ----------------------------------------------------------------
    n_links = len(lp)
    link_ids = [_link_id(a, b, ty) for a, b, ty in zip(lp, ls, ltypes, strict=True)]
    lead = [link_ids[i] for i in np.flatnonzero(lags < 0)]
    lag = [link_ids[i] for i in np.flatnonzero(lags > 0)]
    nonfs = [link_ids[i] for i in np.flatnonzero(ltypes != "FS")]
    lead_succ = sorted(set(ls[lags < 0]))
    lag_succ = sorted(set(ls[lags > 0]))
    out.append(_pct_check(pid, 2, lead_succ, n_links, 0.0, links=lead))
    out.append(_pct_check(pid, 3, lag_succ, n_links, 5.0, links=lag))
    fs_pct = ratio(n_links - len(nonfs), n_links) * 100
    out.append(
        _check(
            pid,
            4,
            CHECKS[4],
            fs_pct,
            "%",
            ">=",
            90.0,
            None if n_links == 0 else bool(fs_pct >= 90.0 - 1e-9),
            n_links - len(nonfs),
            n_links,
            sorted(set(ls[ltypes != "FS"])),
            nonfs,
        )
    )

    # 5 hard constraints -------------------------------------------------------
    hard = t["hard"]
    out.append(_pct_check(pid, 5, list(ids[inc & hard]), n_inc, 5.0))

    # 6, 7 float ---------------------------------------------------------------
    tf_ok = ~np.isnan(tf)
    hi = inc & tf_ok & (np.nan_to_num(tf, nan=0.0) > high_float)
    out.append(_pct_check(pid, 6, list(ids[hi]), n_inc, 5.0))
    neg = inc & tf_ok & (np.nan_to_num(tf, nan=0.0) < -1e-9)
    c7 = _pct_check(pid, 7, list(ids[neg]), n_inc, 0.0)
    out.append(c7)

    # 8 high duration (baseline) -----------------------------------------------
    bdur = t["bdur"] if "bdur" in t else cal.span(b_s, b_f)
    hd = inc & ~np.isnan(bdur) & (np.nan_to_num(bdur, nan=0.0) > high_dur)
    out.append(_pct_check(pid, 8, list(ids[hd]), n_inc, 5.0))

    # 9 invalid dates ----------------------------------------------------------
    sdd = np.datetime64(sd, "D") if sd is not None else np.datetime64("NaT")
    if np.isnat(sdd):
        out.append(_check(pid, 9, CHECKS[9], math.nan, "count", "<=", 0, None, math.nan, n_inc))
    else:
        unstarted = np.isnat(a_s) & (pc <= 0)
        nonsum = ~summary
        with np.errstate(invalid="ignore"):
            fc_bad = (
                nonsum
                & ~done
                & (((unstarted & ~np.isnat(start)) & (start < sdd)) | (~np.isnat(finish) & (finish < sdd)))
            )
            ac_bad = nonsum & ((~np.isnat(a_s) & (a_s > sdd)) | (~np.isnat(a_f) & (a_f > sdd)))
        bad = fc_bad | ac_bad
        out.append(
            _check(
                pid,
                9,
                CHECKS[9],
                float(bad.sum()),
                "count",
                "<=",
                0,
                bool(bad.sum() == 0),
                int(bad.sum()),
                n_inc,
                ids[bad],
            )
        )

    # 10 resources -------------------------------------------------------------
    res = t["resource_names"]
    bac = t["bac"]
    nores = inc & (np.char.str_len(res.astype(str)) == 0) & (bac <= 0)
    c10 = _pct_check(pid, 10, list(ids[nores]), n_inc, math.nan, "ratio")
    c10["passed"] = None
    out.append(c10)

    # 11 missed tasks ----------------------------------------------------------
    # finished: the actual finish; unfinished: the forecast finish, but never before the status
    # date (a stale forecast in the past cannot make an unfinished task "on time")
    if np.isnat(sdd):
        out.append(_check(pid, 11, CHECKS[11], math.nan, "%", "<=", 5.0, None, math.nan, math.nan))
    else:
        with np.errstate(invalid="ignore"):
            fc = np.where(np.isnat(finish) | (finish < sdd), sdd, finish)
        fin_or_fc = np.where(done, np.where(np.isnat(a_f), finish, a_f), fc)
        due = work & ~np.isnat(b_f) & (b_f <= sdd)
        missed = due & ~np.isnat(fin_or_fc) & (fin_or_fc > b_f)
        out.append(_pct_check(pid, 11, list(ids[missed]), int(due.sum()), 5.0))

    # 12 critical path test ----------------------------------------------------
    out.append(_cpt(pid, sch, inc))

    # 13 CPLI ------------------------------------------------------------------
    crit = inc & tf_ok & (np.nan_to_num(tf, nan=math.inf) <= 1e-9)
    st_idx = sch.net.status if not math.isnan(sch.net.status) else sch.net.project_start
    cpl = sch.finish - st_idx if not math.isnan(sch.finish) else math.nan
    min_tf = float(np.nanmin(tf[inc])) if inc.any() and not np.all(np.isnan(tf[inc])) else math.nan
    total_float = min_tf
    if cpli_variant != "float":
        b_all = b_f[~summary & ~np.isnat(b_f)]
        if len(b_all):
            bfin = cal.index(np.array([b_all.max()]), "backward")[0] + 1
            total_float = bfin - sch.finish if math.isnan(min_tf) else min(bfin - sch.finish, min_tf)
    value = cpli(cpl, total_float) if cpl and cpl > 0 else math.nan
    out.append(
        _check(
            pid,
            13,
            CHECKS[13],
            value,
            "index",
            ">=",
            0.95,
            None if math.isnan(value) else bool(value >= 0.95 - 1e-9),
            cpl + total_float if not (math.isnan(cpl) or math.isnan(total_float)) else math.nan,
            cpl,
            list(ids[crit]) if not math.isnan(value) and value < 0.95 else [],
        )
    )

    # 14 BEI -------------------------------------------------------------------
    if np.isnat(sdd):
        out.append(_check(pid, 14, CHECKS[14], math.nan, "index", ">=", 0.95, None, math.nan, math.nan))
    else:
        due = work & ~np.isnat(b_f) & (b_f <= sdd)
        nobase = work & np.isnat(b_f)
        den_mask = due | nobase if bei_variant != "p6" else due
        num_mask = work & done if early else due & done
        v = bei(int(num_mask.sum()), int(den_mask.sum()))
        late = den_mask & ~done
        out.append(
            _check(
                pid,
                14,
                CHECKS[14],
                v,
                "index",
                ">=",
                0.95,
                None if math.isnan(v) else bool(v >= 0.95 - 1e-9),
                int(num_mask.sum()),
                int(den_mask.sum()),
                list(ids[late]),
            )
        )
    return out


def _cpt(pid: str, sch: ProjectSchedule, inc: np.ndarray) -> dict:
    """Check 12: slip the most critical incomplete task (lowest total float, then earliest
    start) by ``CPT_SLIP_DAYS``; the project finish must move by exactly as much."""
    tf = sch.tf
    crit = np.flatnonzero(inc & ~np.isnan(tf) & (np.nan_to_num(tf, nan=math.inf) <= 1e-9))
    if not len(crit):
        return _check(
            pid,
            12,
            CHECKS[12],
            math.nan,
            "days",
            "==",
            CPT_SLIP_DAYS,
            False if inc.any() else None,
            math.nan,
            CPT_SLIP_DAYS,
        )
    # the most critical task (lowest float), earliest first among equals
    row = int(crit[np.lexsort((sch.es[crit], tf[crit]))[0]])
    moved = sch.slip_test(row, CPT_SLIP_DAYS)
    ok = bool(abs(moved - CPT_SLIP_DAYS) < 1e-9)
    return _check(
        pid,
        12,
        CHECKS[12],
        moved,
        "days",
        "==",
        CPT_SLIP_DAYS,
        ok,
        moved,
        CPT_SLIP_DAYS,
        [] if ok else [sch.net.ids[row]],
    )


def quality_score(checks: pd.DataFrame) -> pd.DataFrame:
    """Schedule-quality score per project: share of the applicable checks passed, 0-100.

    Columns: project_id, checks_applicable, checks_passed, score (NaN when none applies).
    """
    if checks is None or checks.empty:
        return pd.DataFrame(columns=["project_id", "checks_applicable", "checks_passed", "score"])
    applicable = checks["passed"].notna()
    df = pd.DataFrame(
        {
            "project_id": checks["project_id"],
            "applicable": applicable.astype(int),
            "passed": (checks["passed"].astype(object) == True).astype(int),  # noqa: E712
        }
    )
    g = df.groupby("project_id", sort=False).sum().reset_index()
    g = g.rename(columns={"applicable": "checks_applicable", "passed": "checks_passed"})
    g["score"] = [ratio(p, a) * 100 for p, a in zip(g["checks_passed"], g["checks_applicable"], strict=True)]
    return g


def _jsonable(v):
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    if isinstance(v, list):
        return [str(x) for x in v]
    return v


def schedule_quality(
    tasks: pd.DataFrame | None,
    links: pd.DataFrame | None,
    settings=None,
    calendars: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
) -> pd.DataFrame | None:
    """The schedule-quality score per project (``quality_score`` of the 14 checks) of the current
    schedules in ``tasks``/``links``, as every surface feeds it to the health engine's flag:
    a project whose network cannot be scheduled is skipped, not fatal. None without tasks.
    ``calendars``/``projects`` as for ``dcma``."""
    if tasks is None or tasks.empty:
        return None
    return quality_score(dcma(tasks, links, None, settings, on_error="skip", calendars=calendars, projects=projects))


def dcma_results(
    tasks: pd.DataFrame,
    links: pd.DataFrame | None,
    status_date=None,
    settings=None,
    calendars: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
) -> list[dict]:
    """Flat list of check results (project_id, check, name, value, threshold, passed, offending ids)."""
    df = dcma(tasks, links, status_date, settings, calendars=calendars, projects=projects)
    return [{k: _jsonable(v) for k, v in rec.items()} for rec in df.to_dict("records")]


def dcma_records(
    tasks: pd.DataFrame,
    links: pd.DataFrame | None,
    status_date=None,
    settings=None,
    calendars: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
) -> list[dict]:
    """Per project: ``{"project_id", "score", "checks": [14 check dicts]}`` for the CLI (JSON-ready)."""
    flat = dcma_results(tasks, links, status_date, settings, calendars, projects)
    if not flat:
        return []
    scores = quality_score(pd.DataFrame(flat)).set_index("project_id")["score"].to_dict()
    out: dict[str, dict] = {}
    for rec in flat:
        pid = rec["project_id"]
        item = out.setdefault(pid, {"project_id": pid, "score": _jsonable(scores.get(pid, math.nan)), "checks": []})
        item["checks"].append({k: v for k, v in rec.items() if k != "project_id"})
    return list(out.values())


# ----------------------------------------------------------------------------- page helpers


def _fmt_value(value, unit: str) -> str:
    """A check's value as the kind formatters write it (``formatting``): a share on the 0..100
    scale ``5.0%``, an index ``0.95``, a count ``12``; missing -> "—"."""
    from ..formatting import count, index, percent

    if unit == "%":
        return percent(value, 1, scale=100.0)
    if unit == "index":
        return index(value)
    return count(value)


def _fmt_threshold(comparator: str, threshold, unit: str) -> str:
    if comparator == "ratio" or threshold is None or (isinstance(threshold, float) and math.isnan(threshold)):
        return "—"
    sign = {"<=": "≤", ">=": "≥", "==": "="}.get(comparator, comparator)
    return f"{sign} {_fmt_value(threshold, unit)}"


CHECK_COLUMNS = ["check", "value", "threshold", "result", "count", "population"]
OFFENDER_COLUMNS = ["check", "kind", "item", "task_name"]


def checks_table(checks: pd.DataFrame, project_id: str) -> pd.DataFrame:
    """One project's 14 checks for display and export: check (number; its name is message
    ``dcma.name.<check>``), value and threshold as text, result (``passed``/``failed``/``na``),
    count (offenders) and population. ``present.dcma_checks`` puts it in a language."""
    part = checks[checks["project_id"].astype(str) == str(project_id)]
    res = {True: "passed", False: "failed"}
    rows = []
    for r in part.itertuples(index=False):
        n_off = len(r.offending_links) if r.check in (2, 3, 4) else len(r.offending_tasks)
        rows.append(
            {
                "check": int(r.check),
                "value": _fmt_value(r.value, r.unit),
                "threshold": _fmt_threshold(r.comparator, r.threshold, r.unit),
                "result": res.get(r.passed, "na"),
                "count": n_off,
                "population": None if r.denominator != r.denominator else r.denominator,
            }
        )
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def offenders_table(checks: pd.DataFrame, project_id: str, names: dict | None = None) -> pd.DataFrame:
    """Every offending task or link of one project, one row each: check, kind (``task``/``link``),
    item (id) and task name. ``present.dcma_offenders`` puts it in a language."""
    names = names or {}
    part = checks[checks["project_id"].astype(str) == str(project_id)]
    rows = []
    for r in part.itertuples(index=False):
        if r.check in (2, 3, 4):
            items = [("link", x, "") for x in r.offending_links]
        else:
            items = [("task", x, names.get(x, "")) for x in r.offending_tasks]
        for kind, item, task_name in items:
            rows.append({"check": int(r.check), "kind": kind, "item": item, "task_name": task_name})
    return pd.DataFrame(rows, columns=OFFENDER_COLUMNS)


def scores_table(checks: pd.DataFrame, names: dict | None = None) -> pd.DataFrame:
    """Score per project with its name, worst first: project_id, name, score, checks_passed,
    checks_applicable."""
    sc = quality_score(checks)
    if sc.empty:
        return sc
    names = names or {}
    sc.insert(1, "name", [names.get(str(p), "") for p in sc["project_id"]])
    sc["score"] = sc["score"].astype(float).round(1)
    return sc.sort_values(["score", "project_id"], na_position="last", kind="stable").reset_index(drop=True)[
        ["project_id", "name", "score", "checks_passed", "checks_applicable"]
    ]


def task_names(tasks: pd.DataFrame, project_id: str) -> dict[str, str]:
    """task_id -> name for one project (to label offenders)."""
    if tasks is None or tasks.empty:
        return {}
    part = tasks[tasks["project_id"].astype(str) == str(project_id)]
    return dict(zip(texts(part["task_id"]), texts(column(part, "name", "")), strict=True))
