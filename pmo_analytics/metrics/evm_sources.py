"""Earned value sources: where the PV/EV/AC numbers come from.

- The task path: PV is each task's budget spread linearly over its baseline working days
  (current dates when a task has no baseline; counted in ``tasks_no_baseline``), cumulated per
  reporting period; EV by method (physical percent complete, 0/100 or 50/50); AC = task actual
  cost. Summary tasks are left out of every sum (their children carry the numbers).
- The periods path: time-phased values given directly (``evm_periods``), cumulative or per period.
- Cost rows: ``evm_periods`` rows holding AC only supply the project's AC at the latest period end
  on or before the status date.

Part of the earned value package; ``evm.py`` holds the entry points (``analyse``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..settings import Settings
from .columns import column, days, flags, floats
from .evm_calendar import (
    check_period,
    date_at,
    period_id,
    period_start,
    position,
)
from .evm_formulas import (
    COST_METRICS,
    DATE_METRICS,
    GLOSSARY,
    SCHEDULE_METRICS,
    SUMMED,
    _es_series,
    _ratio,
    add_indices,
    planned_duration,
)
from .evm_phasing import Phasing, _es_groups, _group_sum, phase_curves
from .working_time import EPOCH, calendar_for, to_days

# Extra columns of project_metrics describing where the numbers came from.
INFO_COLUMNS = (
    "period",  # D / W / M (or P: periods of a given series of irregular length)
    "source",  # "tasks", "evm_periods", or "tasks+evm_periods" (PV/EV from tasks, AC from cost rows)
    "budget_basis",  # "tasks" (task budgets), "project" (project BAC spread by working days),
    # "duration" (no budget anywhere: schedule metrics only), "evm_periods"
    "series",  # evm_periods: "cumulative" or "per_period" (detected; of the AC for cost rows); "" for tasks
    "ev_method",
    "tasks",  # non-summary tasks counted
    "tasks_no_baseline",  # tasks phased on their current dates (no baseline start/finish)
    "tasks_undated",  # tasks with no usable dates at all (in BAC, not in the PV curve)
    "plan_start",  # first day of the first period of the plan
    "plan_finish",  # latest (baseline) finish
    "snapshot_date",  # status date of the data the PV curve came from (key into EvmResult.curves)
    "completed",  # date all budget was earned (EV = BAC), else NaT; AT stops there
)


EV_METHODS = ("physical", "0/100", "50/50")


def _check(settings: Settings) -> Settings:
    check_period(settings.period)
    if settings.ev_method not in EV_METHODS:
        raise ConfigError(
            key="config.ev_method", params={"value": settings.ev_method, "choices": ", ".join(EV_METHODS)}
        )
    calendar_for(settings)  # validates the calendar kind
    return settings


def _project_bac(projects: pd.DataFrame | None) -> pd.Series:
    """Latest BAC per project_id from the projects table (empty when not given)."""
    if projects is None or projects.empty or "bac" not in projects.columns:
        return pd.Series(dtype=float)
    p = projects
    if "status_date" in p.columns:
        p = p.sort_values("status_date", kind="stable")
    p = p.dropna(subset=["bac"]).drop_duplicates("project_id", keep="last")
    return pd.Series(pd.to_numeric(p["bac"], errors="coerce").to_numpy(float), index=p["project_id"].astype(str))


@dataclass
class EvmResult:
    """``metrics``: one row per (project_id, status_date) with every glossary metric and the
    INFO_COLUMNS. ``curves``: the time-phased cumulative PV behind them (project_id,
    snapshot_date, period_end, pv_cum), one curve per project and snapshot."""

    metrics: pd.DataFrame
    curves: pd.DataFrame


CURVE_COLUMNS = ("project_id", "snapshot_date", "period_end", "pv_cum")


def _empty_metrics() -> pd.DataFrame:
    cols = {"project_id": pd.Series(dtype="str"), "status_date": pd.Series(dtype="datetime64[s]")}
    for k in (*COST_METRICS, *SCHEDULE_METRICS):
        cols[k] = pd.Series(dtype=float)
    for k in DATE_METRICS:
        cols[k] = pd.Series(dtype="datetime64[s]")
    for k in INFO_COLUMNS:
        cols[k] = pd.Series(dtype=object)
    return pd.DataFrame(cols)


def _empty_curves() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": pd.Series(dtype="str"),
            "snapshot_date": pd.Series(dtype="datetime64[s]"),
            "period_end": pd.Series(dtype="datetime64[s]"),
            "pv_cum": pd.Series(dtype=float),
        }
    )


@dataclass
class _TaskArrays:
    """Per-task arrays of the non-summary tasks (aligned with ``t``) and their group keys."""

    t: pd.DataFrame
    keys: pd.DataFrame  # project_id, status_date per group code
    g: np.ndarray
    basis: np.ndarray  # per group
    weight: np.ndarray
    frac: np.ndarray  # planned fraction at the status date
    earned: np.ndarray  # earned fraction by the EV method
    done: np.ndarray
    no_baseline: np.ndarray
    dated: np.ndarray
    lo_d: np.ndarray  # phasing start (baseline start, else current start)
    hi_d: np.ndarray  # phasing finish
    fs: np.ndarray
    fe: np.ndarray
    dur: np.ndarray  # working days
    sd_task: np.ndarray
    act_f: np.ndarray
    cur_f: np.ndarray


def _task_arrays(tasks: pd.DataFrame, projects: pd.DataFrame | None, settings: Settings) -> _TaskArrays:
    cal = calendar_for(settings)
    if "status_date" not in tasks.columns:
        raise ConfigError("the tasks table has no status_date column; load tasks through the store")
    # rows without a project or a status date cannot be placed (the store never yields them)
    tasks = tasks[tasks["project_id"].notna() & tasks["status_date"].notna()].reset_index(drop=True)
    keys_df = pd.DataFrame({"project_id": tasks["project_id"].astype(str), "status_date": tasks["status_date"]})
    grouped = keys_df.groupby(["project_id", "status_date"], sort=True)
    codes_all = grouped.ngroup().to_numpy(np.int64)
    keys = grouped.size().reset_index()[["project_id", "status_date"]]
    n = len(keys)

    keep = ~flags(column(tasks, "is_summary", False))
    t = tasks[keep]
    g = codes_all[keep]
    sd_task = to_days(t["status_date"])
    bl_s, bl_f = days(t, "baseline_start"), days(t, "baseline_finish")
    cur_s, cur_f = days(t, "start"), days(t, "finish")
    no_baseline = np.isnat(bl_s) | np.isnat(bl_f)
    bs = np.where(np.isnat(bl_s), cur_s, bl_s)
    bf = np.where(np.isnat(bl_f), cur_f, bl_f)
    # a start only or a finish only: a one-day task on the date given
    bs = np.where(np.isnat(bs), bf, bs)
    bf = np.where(np.isnat(bf), bs, bf)
    dated = ~np.isnat(bs) & ~np.isnat(bf)
    lo_d = np.where(dated, np.minimum(bs, bf), EPOCH)
    hi_d = np.where(dated, np.maximum(bs, bf), EPOCH)
    fs = cal.ordinal(lo_d - 1)
    fe = cal.ordinal(hi_d)
    dur = np.where(dated, fe - fs, 0)

    # budget basis per group
    task_bac = floats(column(t, "bac"))
    bac_sum = _group_sum(g, task_bac, n)
    pbac = _project_bac(projects).reindex(keys["project_id"]).to_numpy(float)
    basis = np.where(np.nan_to_num(bac_sum) > 0, "tasks", np.where(np.nan_to_num(pbac) > 0, "project", "duration"))
    dur_sum = np.bincount(g, weights=dur.astype(float), minlength=n)
    basis_t = basis[g]
    weight = np.where(
        basis_t == "tasks",
        np.nan_to_num(task_bac),
        np.where(basis_t == "project", _ratio(pbac[g] * dur, dur_sum[g]), dur.astype(float)),
    )
    weight = np.nan_to_num(weight)

    # PV at each row's status date
    f_sd = cal.ordinal(sd_task)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(dur > 0, np.clip((f_sd - fs) / np.where(dur > 0, dur, 1), 0.0, 1.0), (sd_task >= hi_d) * 1.0)
    frac = np.where(dated, frac, 0.0)

    # EV
    pc = floats(column(t, "percent_complete"))
    act_s, act_f = days(t, "actual_start"), days(t, "actual_finish")
    finished = ~np.isnat(act_f) & (act_f <= sd_task)
    pc = np.where(np.isfinite(pc), np.clip(pc, 0.0, 1.0), np.where(finished, 1.0, 0.0))
    done = (pc >= 1.0 - 1e-9) | finished
    if settings.ev_method == "physical":
        earned = pc
    elif settings.ev_method == "0/100":
        earned = done * 1.0
    else:
        started = (pc > 0) | (~np.isnat(act_s) & (act_s <= sd_task))
        earned = np.where(done, 1.0, np.where(started, 0.5, 0.0))
    return _TaskArrays(
        t,
        keys,
        g,
        basis,
        weight,
        frac,
        earned,
        done,
        no_baseline,
        dated,
        lo_d,
        hi_d,
        fs,
        fe,
        dur,
        sd_task,
        act_f,
        cur_f,
    )


def task_values(
    tasks: pd.DataFrame, projects: pd.DataFrame | None = None, settings: Settings | None = None
) -> pd.DataFrame:
    """Per non-summary task and status date: the dates and working days its budget is phased
    over (``baseline_fallback`` when current dates stood in for a missing baseline), its budget
    in the project's basis, and PV, EV, AC at the status date."""
    settings = _check(settings or Settings())
    if tasks is None or tasks.empty:
        return pd.DataFrame(columns=["project_id", "task_id", "status_date", "pv", "ev", "ac", "bac"])
    a = _task_arrays(tasks, projects, settings)
    money = (a.basis != "duration")[a.g]
    out = pd.DataFrame(
        {
            "project_id": a.t["project_id"].astype(str).to_numpy(),
            "task_id": a.t["task_id"].astype(str).to_numpy() if "task_id" in a.t.columns else "",
            "status_date": a.t["status_date"].to_numpy(),
            "phase_start": np.where(a.dated, a.lo_d, np.datetime64("NaT")),
            "phase_finish": np.where(a.dated, a.hi_d, np.datetime64("NaT")),
            "working_days": a.dur,
            "baseline_fallback": a.no_baseline,
            "budget_basis": a.basis[a.g],
            "bac": np.where(money, a.weight, np.nan),
            "pv": np.where(money, a.weight * a.frac, np.nan),
            "ev": np.where(money, a.weight * a.earned, np.nan),
            "ac": floats(column(a.t, "actual_cost")),
        }
    )
    for c in ("status_date", "phase_start", "phase_finish"):
        out[c] = pd.to_datetime(out[c]).astype("datetime64[s]")
    return out


def task_curves(
    tasks: pd.DataFrame, projects: pd.DataFrame | None = None, settings: Settings | None = None
) -> pd.DataFrame:
    """Time-phased PV per task: cumulative PV of every dated non-summary task at each period end
    from its phasing start to its phasing finish (project_id, task_id, status_date, period_end,
    pv_cum), in the project's budget basis. Tasks of a project with no budget anywhere are left
    out (their weights are working days, not money). Summed over a project's tasks and carried
    flat to the project's last period end, this is the project curve of ``analyse``."""
    settings = _check(settings or Settings())
    cols = ["project_id", "task_id", "status_date", "period_end", "pv_cum"]
    if tasks is None or tasks.empty:
        return pd.DataFrame(columns=cols)
    a = _task_arrays(tasks, projects, settings)
    idx = np.flatnonzero(a.dated & (a.basis != "duration")[a.g])
    n = len(idx)
    ph = Phasing(np.arange(n, dtype=np.int64), a.weight[idx], a.fs[idx], a.fe[idx], a.hi_d[idx], np.ones(n, bool))
    p0 = period_id(a.lo_d[idx], settings.period)
    p1 = period_id(a.hi_d[idx], settings.period)
    g_pt, end_pt, pv_pt = phase_curves(ph, p0, p1, settings.period, calendar_for(settings))
    rows = a.t.iloc[idx[g_pt]]
    out = pd.DataFrame(
        {
            "project_id": rows["project_id"].astype(str).to_numpy(),
            "task_id": rows["task_id"].astype(str).to_numpy() if "task_id" in rows.columns else "",
            "status_date": pd.to_datetime(rows["status_date"].to_numpy()).astype("datetime64[s]"),
            "period_end": pd.to_datetime(end_pt).astype("datetime64[s]"),
            "pv_cum": pv_pt,
        }
    )
    return out[cols]


def _task_path(tasks: pd.DataFrame, projects: pd.DataFrame | None, settings: Settings) -> EvmResult:
    period = settings.period
    cal = calendar_for(settings)
    if tasks.empty:
        return EvmResult(_empty_metrics(), _empty_curves())
    a = _task_arrays(tasks, projects, settings)
    if a.keys.empty:
        return EvmResult(_empty_metrics(), _empty_curves())
    t, keys, g, basis, weight, earned, done = a.t, a.keys, a.g, a.basis, a.weight, a.earned, a.done
    no_baseline, dated, lo_d, hi_d, fs, fe = a.no_baseline, a.dated, a.lo_d, a.hi_d, a.fs, a.fe
    sd_task, act_f, cur_f = a.sd_task, a.act_f, a.cur_f
    n = len(keys)
    pv = _group_sum(g, weight * a.frac, n)
    ev = _group_sum(g, weight * earned, n)
    ac = _group_sum(g, floats(column(t, "actual_cost")), n)
    bac = _group_sum(g, weight, n)
    n_tasks = np.bincount(g, minlength=n)
    # completion day of finished tasks: actual finish, else the current finish (which is the
    # actual finish once a task is done), never after the status date; unknown -> status date
    comp_day = np.where(~np.isnat(act_f), act_f, np.where(done, cur_f, np.datetime64("NaT")))
    comp_day = np.where(np.isnat(comp_day) | (comp_day > sd_task), sd_task, comp_day)
    comp_max = np.full(n, EPOCH)
    sel = done & (weight != 0)
    if sel.any():
        np.maximum.at(comp_max, g[sel], comp_day[sel])
    n_nobl = np.bincount(g, weights=no_baseline.astype(float), minlength=n).astype(np.int64)
    n_undated = np.bincount(g, weights=(~dated).astype(float), minlength=n).astype(np.int64)

    # grid per group: from the period of the earliest start to the period of the latest finish
    has_dates = np.bincount(g[dated], minlength=n) > 0
    far = np.datetime64("9999-12-31", "D")
    min_s = np.full(n, far)
    max_f = np.full(n, EPOCH)
    if dated.any():
        np.minimum.at(min_s, g[dated], lo_d[dated])
        np.maximum.at(max_f, g[dated], hi_d[dated])
    min_s = np.where(has_dates, min_s, EPOCH)
    max_f = np.where(has_dates, max_f, EPOCH)
    p0 = period_id(min_s, period)
    p1 = np.where(has_dates, period_id(max_f, period), p0 - 1)
    ph = Phasing(g, weight, fs, fe, hi_d, dated)
    g_pt, end_pt, pv_pt = phase_curves(ph, p0, p1, period, cal)

    sd = to_days(keys["status_date"])
    pd_ = np.where(has_dates, position(max_f, p0, period, cal), np.nan)
    # a finished project's actual time stops at its completion, not at later status dates
    complete = np.isfinite(ev) & np.isfinite(bac) & (bac > 0) & (ev >= bac * (1 - 1e-9))
    completed = np.where(complete & (comp_max > EPOCH), np.minimum(comp_max, sd), np.datetime64("NaT"))
    at_day = np.where(np.isnat(completed), sd, completed)
    at = np.where(has_dates, np.maximum(position(at_day, p0, period, cal), 0.0), np.nan)
    es = _es_groups(g_pt, pv_pt, n, ev, pd_)

    out = keys.copy()
    money = basis != "duration"
    out["pv"] = np.where(money, pv, np.nan)
    out["ev"] = np.where(money, ev, np.nan)
    out["ac"] = ac
    out["bac"] = np.where(money, bac, np.nan)
    out["es"] = es
    out["at"] = at
    out["pd"] = pd_
    out = add_indices(out)
    out["es_date"] = date_at(es, p0, period, cal)
    out["forecast_finish"] = date_at(out["ieac_t"].to_numpy(float), p0, period, cal)
    out["period"] = period
    out["source"] = "tasks"
    out["budget_basis"] = basis
    out["series"] = ""
    out["ev_method"] = settings.ev_method
    out["tasks"] = n_tasks
    out["tasks_no_baseline"] = n_nobl
    out["tasks_undated"] = n_undated
    out["plan_start"] = np.where(has_dates, period_start(p0, period), np.datetime64("NaT"))
    out["plan_finish"] = np.where(has_dates, max_f, np.datetime64("NaT"))
    out["snapshot_date"] = keys["status_date"].to_numpy()
    out["completed"] = completed

    curves = pd.DataFrame(
        {
            "project_id": keys["project_id"].to_numpy()[g_pt],
            "snapshot_date": keys["status_date"].to_numpy()[g_pt],
            "period_end": end_pt,
            "pv_cum": pv_pt,
        }
    )
    # duration-basis curves are in working days, not money: keep them for ES only
    curves = curves[money[g_pt]].reset_index(drop=True) if len(curves) else _empty_curves()
    return EvmResult(_finish(out), curves)


def _finish(out: pd.DataFrame) -> pd.DataFrame:
    """Column order and date dtypes of the metrics frame."""
    for c in ("status_date", *DATE_METRICS, "plan_start", "plan_finish", "snapshot_date", "completed"):
        out[c] = pd.to_datetime(out[c]).astype("datetime64[s]")
    for c in ("tasks", "tasks_no_baseline", "tasks_undated"):
        out[c] = pd.array(out[c], dtype="Int64")
    cols = ["project_id", "status_date", *GLOSSARY, *INFO_COLUMNS]
    return out[cols].reset_index(drop=True)


def detect_series(values: pd.DataFrame, bac: float | None = None) -> str:
    """ "cumulative" or "per_period" for a frame of pv/ev/ac values in period order.

    A column that ever decreases cannot be cumulative. When every column is non-decreasing the
    series is taken as cumulative unless a known BAC is much closer to the sum of PV than to
    its last value.
    """
    for c in SUMMED[:3]:
        if c in values.columns:
            v = pd.to_numeric(values[c], errors="coerce").dropna().to_numpy(float)
            if len(v) > 1 and (np.diff(v) < -1e-9 * max(1.0, np.abs(v).max())).any():
                return "per_period"
    if bac is not None and np.isfinite(bac) and bac > 0 and "pv" in values.columns:
        pv = pd.to_numeric(values["pv"], errors="coerce").dropna().to_numpy(float)
        if len(pv) > 1 and abs(pv.sum() - bac) < abs(pv.max() - bac):
            return "per_period"
    return "cumulative"


def _period_code(ends: np.ndarray) -> str:
    if len(ends) < 2:
        return "P"
    step = float(np.median(np.diff(ends.astype("datetime64[D]").astype(np.int64))))
    if step == 1:
        return "D"
    if 6 <= step <= 8:
        return "W"
    if 28 <= step <= 31:
        return "M"
    return "P"


def _series_date(ends: np.ndarray, x: float):
    """Date at position x on a series of period ends (linear within a period; the last period's
    length is repeated beyond the end, the first one's before the start)."""
    if not np.isfinite(x):
        return np.datetime64("NaT")
    days = ends.astype("datetime64[D]").astype(np.int64).astype(float)
    step_first = days[1] - days[0] if len(days) > 1 else 30.0
    step_last = days[-1] - days[-2] if len(days) > 1 else 30.0
    knots = np.concatenate([[days[0] - step_first], days])
    n = len(days)
    if x <= n:
        val = np.interp(x, np.arange(n + 1, dtype=float), knots)
    else:
        val = days[-1] + (x - n) * step_last
    return np.datetime64(int(round(val)), "D")


def _periods_path(evm_periods: pd.DataFrame, projects: pd.DataFrame | None, settings: Settings) -> EvmResult:
    pbac = _project_bac(projects)
    frames, curves = [], []
    ep = evm_periods.copy()
    ep["project_id"] = ep["project_id"].astype(str)
    has_sd = "status_date" in ep.columns
    for pid, grp in ep.groupby("project_id", sort=True):
        snap = pd.NaT
        if has_sd and grp["status_date"].notna().any():
            snap = grp["status_date"].max()
            grp = grp[grp["status_date"] == snap]
        grp = grp.dropna(subset=["period_end"]).sort_values("period_end").drop_duplicates("period_end", keep="last")
        if grp.empty:
            continue
        bac_p = float(pbac.get(pid, np.nan))
        kind = detect_series(grp, bac_p)
        vals = {}
        for c in SUMMED[:3]:
            v = pd.to_numeric(grp[c], errors="coerce") if c in grp.columns else pd.Series(np.nan, index=grp.index)
            vals[c] = (v.cumsum() if kind == "per_period" else v).to_numpy(float)
        pv_cum = pd.Series(vals["pv"]).ffill().fillna(0.0).to_numpy(float)
        ends = to_days(grp["period_end"])
        pd_ = planned_duration(pv_cum) if np.isfinite(vals["pv"]).any() else np.nan
        bac = bac_p if np.isfinite(bac_p) and bac_p > 0 else (float(np.nanmax(pv_cum)) if len(pv_cum) else np.nan)
        snap_d = pd.Timestamp(snap) if pd.notna(snap) else pd.Timestamp(ends[-1])
        rows = np.flatnonzero(np.isfinite(vals["ev"]) | np.isfinite(vals["ac"]))
        # AT stops at the first period where all budget is earned
        done_k = np.flatnonzero(np.isfinite(vals["ev"]) & (vals["ev"] >= bac * (1 - 1e-9))) if bac > 0 else []
        first_done = int(done_k[0]) + 1 if len(done_k) else None
        es = [_es_series(pv_cum, vals["ev"][k], pd_) if np.isfinite(pd_) else np.nan for k in rows]
        f = pd.DataFrame(
            {
                "project_id": pid,
                "status_date": ends[rows],
                "pv": pv_cum[rows] if np.isfinite(vals["pv"]).any() else np.nan,
                "ev": vals["ev"][rows],
                "ac": vals["ac"][rows],
                "bac": bac,
                "es": es,
                "at": np.minimum(rows + 1, first_done or len(ends) + 1).astype(float),
                "pd": pd_,
            }
        )
        f = add_indices(f)
        f["es_date"] = [_series_date(ends, x) for x in f["es"]]
        f["forecast_finish"] = [_series_date(ends, x) for x in f["ieac_t"]]
        f["period"] = _period_code(ends)
        f["source"] = "evm_periods"
        f["budget_basis"] = "evm_periods"
        f["series"] = kind
        f["ev_method"] = ""
        f["tasks"] = pd.NA
        f["tasks_no_baseline"] = pd.NA
        f["tasks_undated"] = pd.NA
        f["plan_start"] = _series_date(ends, 0.0) + np.timedelta64(1, "D")
        f["plan_finish"] = _series_date(ends, pd_) if np.isfinite(pd_) else np.datetime64("NaT")
        f["snapshot_date"] = snap_d
        done_at = pd.Timestamp(ends[first_done - 1]) if first_done else pd.NaT
        f["completed"] = [done_at if first_done and k + 1 >= first_done else pd.NaT for k in rows]
        frames.append(f)
        curves.append(pd.DataFrame({"project_id": pid, "snapshot_date": snap_d, "period_end": ends, "pv_cum": pv_cum}))
    if not frames:
        return EvmResult(_empty_metrics(), _empty_curves())
    return EvmResult(_finish(pd.concat(frames, ignore_index=True)), pd.concat(curves, ignore_index=True))


def _latest_upload(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of the latest status date (upload) of one project's evm_periods, if dated."""
    if "status_date" in rows.columns and rows["status_date"].notna().any():
        return rows[rows["status_date"] == rows["status_date"].max()]
    return rows


def _cost_only_projects(evm_periods: pd.DataFrame, tasks: pd.DataFrame) -> set[str]:
    """Projects whose evm_periods carry actual cost only (no PV, no EV in the latest upload) and
    that also have tasks: cost rows. PV and EV then come from the tasks, AC from those rows."""
    with_tasks = set(tasks["project_id"].dropna().astype(str))
    out = set()
    ep = evm_periods.assign(_pid=evm_periods["project_id"].astype(str))
    for pid, grp in ep[ep["_pid"].isin(with_tasks)].groupby("_pid", sort=False):
        grp = _latest_upload(grp)
        given = [c for c in ("pv", "ev") if c in grp.columns and pd.to_numeric(grp[c], errors="coerce").notna().any()]
        if not given and "ac" in grp.columns and pd.to_numeric(grp["ac"], errors="coerce").notna().any():
            out.add(str(pid))
    return out


def _ac_from_cost_rows(metrics: pd.DataFrame, cost_rows: pd.DataFrame) -> pd.DataFrame:
    """``metrics`` with AC of the cost-row projects replaced by their cumulative actual cost at
    the latest period end on or before each status date (NaN before the first period end), the
    cost ratios recomputed, ``source`` set to "tasks+evm_periods" and ``series`` to the kind of
    the AC series."""
    out = metrics.copy()
    cr = cost_rows.assign(_pid=cost_rows["project_id"].astype(str))
    pids = out["project_id"].astype(str)
    for pid, grp in cr.groupby("_pid", sort=False):
        grp = _latest_upload(grp).dropna(subset=["period_end", "ac"])
        grp = grp.sort_values("period_end").drop_duplicates("period_end", keep="last")
        rows = np.flatnonzero((pids == pid).to_numpy())
        if grp.empty or not len(rows):
            continue
        ac = pd.to_numeric(grp["ac"], errors="coerce").to_numpy(float)
        kind = detect_series(pd.DataFrame({"ac": ac}))
        if kind == "per_period":
            ac = np.cumsum(ac)
        ends = to_days(grp["period_end"])
        k = np.searchsorted(ends, to_days(out["status_date"].iloc[rows]), side="right") - 1
        out.loc[out.index[rows], "ac"] = np.where(k >= 0, ac[np.maximum(k, 0)], np.nan)
        out.loc[out.index[rows], "source"] = "tasks+evm_periods"
        out.loc[out.index[rows], "series"] = kind
    return add_indices(out)
