"""Earned value and earned schedule.

Conventions (DESIGN.md, metric glossary):

- PV is each task's budget spread linearly over its baseline working days (current dates when a
  task has no baseline; counted in ``tasks_no_baseline``), cumulated per reporting period.
- EV by method: physical percent complete (default), 0/100 or 50/50. AC = task actual cost, or
  the project's cost rows (evm_periods holding AC only) at the latest period end <= status date.
- Summary tasks are left out of every sum (their children carry the numbers).
- A ratio with a zero or missing denominator is NaN. Roll-ups sum pv/ev/ac/bac, then divide.
- Earned schedule (Lipke): ES = C + (EV - PV_C)/(PV_{C+1} - PV_C), PV_0 = 0, C = number of whole
  periods with cumulative PV <= EV; ES is clamped to the planned duration PD. ES, AT and PD are
  in periods of the series; ``es_date`` and ``forecast_finish`` turn them back into dates.

Positions on the period grid are measured in working time (see ``evm_calendar.position``), so a
Friday status date closes a Monday..Sunday week on the workdays calendar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..settings import Settings
from .columns import column, days, flags, floats, to_float
from .evm_calendar import (
    check_period,
    date_at,
    period_end,
    period_id,
    period_start,
    position,
)
from .fx import FxContext
from .fx import convert as convert_money
from .working_time import EPOCH, Calendar, calendar_for, to_days

SUMMED = ("pv", "ev", "ac", "bac")
COST_METRICS = (
    "pv",
    "ev",
    "ac",
    "bac",
    "cv",
    "sv",
    "cv_pct",
    "sv_pct",
    "cpi",
    "spi",
    "eac_cpi",
    "eac_atypical",
    "eac_composite",
    "etc",
    "vac",
    "tcpi_bac",
    "tcpi_eac",
)
SCHEDULE_METRICS = ("es", "at", "pd", "sv_t", "spi_t", "ieac_t", "tspi")
DATE_METRICS = ("es_date", "forecast_finish")
GLOSSARY = (*COST_METRICS, *SCHEDULE_METRICS, *DATE_METRICS)
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


# ------------------------------------------------------------------ formulas
def _ratio(num, den) -> np.ndarray:
    """num/den elementwise; NaN where den is 0 or missing (never inf, never an exception)."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = num / den
    return np.where(np.isfinite(den) & (den != 0) & np.isfinite(out), out, np.nan)


def add_indices(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` (with pv, ev, ac, bac columns) plus every cost/schedule index of the glossary.

    Missing input columns count as missing values. If ``df`` also has es, at and pd, the earned
    schedule ratios (sv_t, spi_t, ieac_t, tspi) are recomputed from them too.
    """
    out = df.copy()
    pv, ev, ac, bac = (floats(column(df, c)) for c in SUMMED)
    for name, arr in zip(SUMMED, (pv, ev, ac, bac), strict=True):
        out[name] = arr
    cv = ev - ac
    sv = ev - pv
    cpi = _ratio(ev, ac)
    spi = _ratio(ev, pv)
    eac_cpi = _ratio(bac, cpi)
    out["cv"] = cv
    out["sv"] = sv
    out["cv_pct"] = _ratio(cv, ev)
    out["sv_pct"] = _ratio(sv, pv)
    out["cpi"] = cpi
    out["spi"] = spi
    out["eac_cpi"] = eac_cpi
    out["eac_atypical"] = ac + (bac - ev)
    with np.errstate(over="ignore", invalid="ignore"):
        out["eac_composite"] = ac + _ratio(bac - ev, cpi * spi)
    out["etc"] = eac_cpi - ac
    out["vac"] = bac - eac_cpi
    out["tcpi_bac"] = _ratio(bac - ev, bac - ac)
    out["tcpi_eac"] = _ratio(bac - ev, eac_cpi - ac)
    if {"es", "at", "pd"} <= set(df.columns):
        out = _add_schedule(out)
    return out


def _add_schedule(out: pd.DataFrame) -> pd.DataFrame:
    es, at, pd_ = floats(column(out, "es")), floats(column(out, "at")), floats(column(out, "pd"))
    spi_t = _ratio(es, at)
    out["sv_t"] = es - at
    out["spi_t"] = spi_t
    out["ieac_t"] = _ratio(pd_, spi_t)
    out["tspi"] = _ratio(pd_ - es, pd_ - at)
    return out


def evm_indices(pv: float, ev: float, ac: float, bac: float) -> dict[str, float]:
    """Every cost index of the glossary for plain numbers (NaN where a denominator is 0/missing)."""
    row = pd.DataFrame({"pv": [pv], "ev": [ev], "ac": [ac], "bac": [bac]}, dtype=float)
    res = add_indices(row).iloc[0]
    return {k: float(res[k]) for k in COST_METRICS}


def eac_from_cpi(bac: float, cpi: float) -> float:
    """EAC = BAC / CPI for a CPI given directly (NaN when CPI is 0 or missing)."""
    return float(_ratio(bac, cpi))


def tcpi(bac: float, ev: float, ac: float, eac: float | None = None) -> float:
    """To-complete performance index against BAC, or against ``eac`` when given."""
    target = bac if eac is None else eac
    return float(_ratio(bac - ev, target - ac))


def _es_series(pv: np.ndarray, ev: float, pd_: float) -> float:
    """Lipke earned schedule of ``ev`` against cumulative PV at period ends 1..n (PV_0 = 0)."""
    if not np.isfinite(ev) or len(pv) == 0:
        return float("nan")
    ev = max(float(ev), 0.0)
    tol = 1e-9 * max(1.0, float(np.nanmax(np.abs(pv))))
    above = np.flatnonzero(~(pv <= ev + tol))
    c = int(above[0]) if len(above) else len(pv)
    if c >= len(pv):
        es = float(len(pv))
    else:
        prev = float(pv[c - 1]) if c > 0 else 0.0
        es = c + (ev - prev) / (float(pv[c]) - prev)
    return float(min(max(es, 0.0), pd_)) if np.isfinite(pd_) else es


def planned_duration(pv_cumulative: Sequence[float]) -> float:
    """Periods until cumulative PV first reaches its final (maximum) value."""
    pv = np.asarray(pv_cumulative, dtype=float)
    if len(pv) == 0 or not np.isfinite(pv).any():
        return float("nan")
    top = np.nanmax(pv)
    return float(np.flatnonzero(pv >= top - 1e-9 * max(1.0, abs(top)))[0] + 1)


def earned_schedule(pv_cumulative: Sequence[float], ev: float, at: float, pd: float | None = None) -> dict[str, float]:
    """Earned schedule for one status point (for notebooks and tests).

    ``pv_cumulative``: cumulative PV at the end of periods 1..n; ``ev``: cumulative EV at the
    status date; ``at``: actual time in periods. ``pd`` defaults to the first period where PV
    reaches its final value. Returns es, at, pd, sv_t, spi_t, ieac_t, tspi.
    """
    pv = np.asarray(pv_cumulative, dtype=float)
    pd_ = planned_duration(pv) if pd is None else float(pd)
    es = _es_series(pv, ev, pd_)
    row = _add_schedule(_frame(es, at, pd_))
    return {k: float(row.iloc[0][k]) for k in SCHEDULE_METRICS}


def _frame(es: float, at: float, pd_: float) -> pd.DataFrame:
    return pd.DataFrame({"es": [es], "at": [float(at)], "pd": [pd_]}, dtype=float)


# ------------------------------------------------------------------ settings
def _check(settings: Settings) -> Settings:
    check_period(settings.period)
    if settings.ev_method not in EV_METHODS:
        raise ConfigError(
            key="config.ev_method", params={"value": settings.ev_method, "choices": ", ".join(EV_METHODS)}
        )
    calendar_for(settings)  # validates the calendar kind
    return settings


# ------------------------------------------------------------------ time phasing
@dataclass
class Phasing:
    """Per-task phasing inputs on the working-day axis (arrays aligned with the task rows)."""

    group: np.ndarray  # int group code per task
    weight: np.ndarray  # budget per task (in the basis' units)
    fs: np.ndarray  # F(baseline start - 1)
    fe: np.ndarray  # F(baseline finish)
    finish_day: np.ndarray  # baseline finish, datetime64[D]
    dated: np.ndarray  # bool: the task has usable dates


def phase_curves(ph: Phasing, p0: np.ndarray, p1: np.ndarray, period: str, cal: Calendar):
    """Cumulative PV at every period end p0..p1 of every group.

    Each dated task is a ramp of slope weight/D on the working-day axis between fs and fe (a step
    at its finish day when it has no working days). PV(x) = sum r_i * clip(x - fs_i, 0, fe_i - fs_i)
    is evaluated for all period ends at once with one sort and prefix sums: O((tasks + points)
    log) instead of tasks x periods. Returns (group, period_end, pv_cum) arrays sorted by group
    then period.
    """
    n_groups = len(p0)
    counts = np.where(p1 >= p0, p1 - p0 + 1, 0).astype(np.int64)
    total = int(counts.sum())
    g_pt = np.repeat(np.arange(n_groups, dtype=np.int64), counts)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    pid_pt = p0[g_pt] + (np.arange(total, dtype=np.int64) - offsets[g_pt])
    end_pt = period_end(pid_pt, period)
    pv_pt = np.zeros(total)
    if total == 0:
        return g_pt, end_pt, pv_pt

    base = cal.ordinal(period_end(p0 - 1, period))  # F at the end of "period 0" of each group
    d = ph.fe - ph.fs
    ramp = ph.dated & (d > 0) & (ph.weight != 0)
    if ramp.any():
        g = ph.group[ramp]
        r = ph.weight[ramp] / d[ramp]
        xs = ph.fs[ramp] - base[g]
        xe = ph.fe[ramp] - base[g]
        x_pt = cal.ordinal(end_pt) - base[g_pt]
        span = int(max(xe.max(), x_pt.max())) + 2
        keys = np.concatenate([g * span + xs, g * span + xe])
        rates = np.concatenate([r, -r])
        xv = np.concatenate([xs, xe]).astype(float)
        order = np.argsort(keys, kind="stable")
        keys, rates, xv = keys[order], rates[order], xv[order]
        eg = g[order % len(g)]  # group of each sorted event
        hi = np.searchsorted(keys, g_pt * span + x_pt, side="right")
        lo = np.searchsorted(keys, g_pt * span, side="left")
        sr = _prefix_in_group(eg, rates, hi, lo)
        srx = _prefix_in_group(eg, rates * xv, hi, lo)
        pv_pt += x_pt * sr - srx
    step = ph.dated & (d <= 0) & (ph.weight != 0)
    if step.any():
        g = ph.group[step]
        day0 = (np.min(ph.finish_day[step]) - EPOCH).astype(np.int64)
        sd = (ph.finish_day[step] - EPOCH).astype(np.int64) - day0
        pd_days = (end_pt - EPOCH).astype(np.int64) - day0
        span = int(max(sd.max(), pd_days.max(), 0)) + 2
        pd_days = np.clip(pd_days, -1, None)
        keys = g * span + sd
        order = np.argsort(keys, kind="stable")
        keys, w = keys[order], ph.weight[step][order]
        hi = np.searchsorted(keys, g_pt * span + pd_days, side="right")
        lo = np.searchsorted(keys, g_pt * span, side="left")
        pv_pt += _prefix_in_group(g[order], w, hi, lo)
    return g_pt, end_pt, pv_pt


def _prefix_in_group(groups: np.ndarray, values: np.ndarray, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Sum of ``values[lo:hi]`` for each query, where [lo, hi) lies inside one group of the
    group-sorted ``values``. Prefix sums restart at every group so rounding never carries
    across groups (a global cumsum would lose digits on large portfolios)."""
    if len(values) == 0:
        return np.zeros(len(hi))
    cum = pd.Series(values).groupby(groups, sort=False).cumsum().to_numpy()
    return np.where(hi > lo, cum[np.maximum(hi - 1, 0)], 0.0)


def _es_groups(g_pt, pv_pt, n_groups, ev, pd_):
    """Vectorised ``_es_series`` over groups of a concatenated, group-sorted curve."""
    counts = np.bincount(g_pt, minlength=n_groups).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    ev_eff = np.where(np.isfinite(ev), np.maximum(ev, 0.0), 0.0)
    top = np.zeros(n_groups)
    if len(pv_pt):
        np.maximum.at(top, g_pt, np.abs(pv_pt))
    tol = 1e-9 * np.maximum(1.0, top)
    leq = pv_pt <= (ev_eff + tol)[g_pt]
    c = np.bincount(g_pt, weights=leq.astype(float), minlength=n_groups).astype(np.int64)
    last = max(len(pv_pt) - 1, 0)
    safe = len(pv_pt) > 0
    prev = np.where(c > 0, pv_pt[np.clip(offsets + c - 1, 0, last)] if safe else 0.0, 0.0)
    has_next = c < counts
    nxt = pv_pt[np.clip(offsets + np.minimum(c, counts - 1), 0, last)] if safe else np.zeros(n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        es = np.where(has_next, c + (ev_eff - prev) / np.where(has_next, nxt - prev, 1.0), counts.astype(float))
    es = np.minimum(np.maximum(es, 0.0), np.where(np.isfinite(pd_), pd_, np.inf))
    return np.where(np.isfinite(ev) & (counts > 0), es, np.nan)


def _group_sum(codes: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Sum per group; NaN for a group where every value is missing."""
    ok = np.isfinite(values)
    s = np.bincount(codes[ok], weights=values[ok], minlength=n)
    cnt = np.bincount(codes[ok], minlength=n)
    return np.where(cnt > 0, s, np.nan)


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


# ------------------------------------------------------------------ given time-phased values
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


# ------------------------------------------------------------------ AC from cost rows
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


# ------------------------------------------------------------------ public entry points
def analyse(
    tasks: pd.DataFrame | None,
    projects: pd.DataFrame | None = None,
    evm_periods: pd.DataFrame | None = None,
    settings: Settings | None = None,
) -> EvmResult:
    """Metrics per (project, status date) and the time-phased PV curves behind them.

    Projects with rows in ``evm_periods`` use those values (one metrics row per period end);
    every other project is computed from its tasks (one row per status date in ``tasks``).
    A project with tasks whose evm_periods hold actual cost only (cost rows) takes PV and EV
    from its tasks and AC from those rows (``source`` "tasks+evm_periods").
    """
    settings = _check(settings or Settings())
    parts: list[EvmResult] = []
    given: set[str] = set()
    cost_rows = None
    if evm_periods is not None and not evm_periods.empty:
        ep = evm_periods
        if tasks is not None and not tasks.empty:
            cost = _cost_only_projects(ep, tasks)
            if cost:
                pids = ep["project_id"].astype(str)
                cost_rows, ep = ep[pids.isin(cost)], ep[~pids.isin(cost)]
        if not ep.empty:
            res = _periods_path(ep, projects, settings)
            given = set(res.metrics["project_id"])
            parts.append(res)
    if tasks is not None and not tasks.empty:
        t = tasks[~tasks["project_id"].astype(str).isin(given)] if given else tasks
        res = _task_path(t, projects, settings)
        if cost_rows is not None:
            res = EvmResult(_ac_from_cost_rows(res.metrics, cost_rows), res.curves)
        parts.append(res)
    if not parts:
        return EvmResult(_empty_metrics(), _empty_curves())
    metrics = pd.concat([p.metrics for p in parts if not p.metrics.empty] or [_empty_metrics()], ignore_index=True)
    curves = pd.concat([p.curves for p in parts if not p.curves.empty] or [_empty_curves()], ignore_index=True)
    metrics = metrics.sort_values(["project_id", "status_date"], kind="stable").reset_index(drop=True)
    curves["period_end"] = pd.to_datetime(curves["period_end"]).astype("datetime64[s]")
    curves["snapshot_date"] = pd.to_datetime(curves["snapshot_date"]).astype("datetime64[s]")
    return EvmResult(metrics, curves)


def project_metrics(
    tasks: pd.DataFrame | None,
    projects: pd.DataFrame | None = None,
    evm_periods: pd.DataFrame | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """One row per (project_id, status_date): every glossary metric plus INFO_COLUMNS.

    ``tasks`` is the store's canonical tasks table (any number of status dates); ``projects``
    supplies BAC where tasks carry no budget; ``evm_periods`` gives time-phased values directly.
    """
    return analyse(tasks, projects, evm_periods, settings).metrics


def portfolio_rollup(
    project_rows: pd.DataFrame,
    by: Sequence[str] = ("status_date",),
    curves: pd.DataFrame | None = None,
    settings: Settings | None = None,
    fx: FxContext | None = None,
) -> pd.DataFrame:
    """Sum pv/ev/ac/bac over the project rows per ``by`` group, then recompute every ratio.

    Earned schedule does not add up across projects: it is recomputed from the summed
    time-phased PV when ``curves`` (``EvmResult.curves``) are given and ``status_date`` is one of
    the ``by`` keys; otherwise es/at/pd and the ratios built on them are NaN.

    With ``fx`` (``metrics.fx.context``) every project's money is first converted into the
    reporting currency at the rate in force at its row's status date (its PV curve at the same
    rate); the result gains ``currency`` and ``converted``. A status date at which a currency
    has no rate rolls up per currency instead (one row per currency, ``converted`` False).
    """
    by = list(by)
    missing = [c for c in (*by, *SUMMED) if c not in project_rows.columns]
    if missing:
        raise ConfigError(f"portfolio_rollup needs columns {', '.join(missing)}")
    fx_missing: tuple = ()
    if fx is not None:
        conv = convert_money(project_rows, fx)
        project_rows, fx_missing = conv.rows, conv.missing
        by = [*by, "currency"]
    if project_rows.empty:
        out = add_indices(pd.DataFrame(columns=[*by, *SUMMED, "projects"]))
        if fx is not None:
            out["converted"] = pd.Series(dtype=bool)
            out.attrs["fx_missing"] = ()
        return out
    rows = project_rows
    sums = rows.groupby(by, sort=True, dropna=False)[list(SUMMED)].sum(min_count=1)
    sums["projects"] = rows.groupby(by, sort=True, dropna=False)["project_id"].nunique()
    out = sums.reset_index()
    for c in SCHEDULE_METRICS:
        out[c] = np.nan
    out = add_indices(out)
    out["es_date"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[s]")
    out["forecast_finish"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[s]")
    grouped = rows.groupby(by, sort=True, dropna=False)
    if "plan_start" in rows.columns:
        out["plan_start"] = grouped["plan_start"].min().to_numpy()
    if "plan_finish" in rows.columns:
        out["plan_finish"] = grouped["plan_finish"].max().to_numpy()
    if "completed" in rows.columns:
        all_done = grouped["completed"].apply(lambda s: s.notna().all()).to_numpy(bool)
        out["completed"] = np.where(all_done, grouped["completed"].max().to_numpy(), np.datetime64("NaT"))
        out["completed"] = pd.to_datetime(out["completed"]).astype("datetime64[s]")
    out["period"] = (settings or Settings()).period
    if fx is not None:
        out["converted"] = grouped["fx_converted"].all().to_numpy(bool)
    if curves is not None and "status_date" in by and not curves.empty:
        out = _rollup_schedule(out, rows, by, curves, settings or Settings())
    if fx is not None:
        out.attrs["fx_missing"] = fx_missing  # metrics.fx.MissingRate per (currency, date) without a rate
    return out


def as_of_rows(metrics: pd.DataFrame) -> pd.DataFrame:
    """For every status date in ``metrics``, each project's latest row at or before it, stamped
    with that date: the portfolio as it was known on each status date (values carried forward
    from a project's last report, never interpolated)."""
    from ..frames import snapshot  # the one "latest on or before a date" rule

    if metrics.empty:
        return metrics.copy()
    parts = [
        snapshot(metrics, d).sort_values("project_id", kind="stable").assign(status_date=d)
        for d in np.sort(metrics["status_date"].unique())
    ]
    return pd.concat(parts, ignore_index=True)


def portfolio_history(
    result: EvmResult,
    settings: Settings | None = None,
    project_ids: Sequence[str] | None = None,
    fx: FxContext | None = None,
) -> pd.DataFrame:
    """Portfolio roll-up (sum then divide, earned schedule from the summed curves) at every
    status date, each project counted with its latest values known on that date; with ``fx``
    converted into the reporting currency at each status date's rate (see ``portfolio_rollup``)."""
    m = result.metrics
    if project_ids is not None:
        m = m[m["project_id"].astype(str).isin({str(p) for p in project_ids})]
    return portfolio_rollup(as_of_rows(m), ("status_date",), result.curves, settings, fx)


def project_history(result: EvmResult, project_id: str) -> pd.DataFrame:
    """One project's metrics rows, oldest status date first."""
    m = result.metrics
    return m[m["project_id"].astype(str) == str(project_id)].sort_values("status_date").reset_index(drop=True)


def metrics_table(
    metrics: pd.DataFrame, projects: pd.DataFrame | None = None, latest_only: bool = False
) -> pd.DataFrame:
    """The per-project metrics for display and export: project id and name, status date, every
    glossary metric, then where the numbers came from. ``latest_only`` keeps each project's
    latest status date."""
    m = metrics
    if latest_only and not m.empty:
        m = m.sort_values("status_date", kind="stable").drop_duplicates("project_id", keep="last")
    m = m.sort_values(["project_id", "status_date"], kind="stable")
    names = project_names(projects)
    out = pd.DataFrame({"project_id": m["project_id"].astype(str).to_numpy()})
    out["name"] = out["project_id"].map(names)
    for c in (
        "status_date",
        *GLOSSARY,
        "completed",
        "plan_finish",
        "period",
        "source",
        "budget_basis",
        "series",
        "ev_method",
    ):
        out[c] = m[c].to_numpy()
    for c in ("tasks", "tasks_no_baseline"):
        out[c] = m[c].array
    return out


def with_project_fields(
    metrics: pd.DataFrame, projects: pd.DataFrame | None, fields: Sequence[str] = ("program", "portfolio", "department")
) -> pd.DataFrame:
    """``metrics`` plus project attributes (latest projects row per project) so that
    ``portfolio_rollup(rows, by=("status_date", "program"))`` rolls up per program."""
    out = metrics.copy()
    p = projects if projects is not None else pd.DataFrame(columns=["project_id"])
    if "status_date" in p.columns:
        p = p.sort_values("status_date", kind="stable")
    p = p.drop_duplicates("project_id", keep="last")
    for f in fields:
        lookup = dict(zip(p["project_id"].astype(str), p[f], strict=True)) if f in p.columns else {}
        out[f] = out["project_id"].astype(str).map(lookup)
    return out


def project_names(projects: pd.DataFrame | None) -> dict[str, str]:
    """project_id -> name from the projects table (latest row per project)."""
    if projects is None or projects.empty or "name" not in projects.columns:
        return {}
    p = projects.sort_values("status_date", kind="stable") if "status_date" in projects.columns else projects
    return {str(k): str(v) for k, v in zip(p["project_id"], p["name"], strict=True) if pd.notna(v)}


def _rollup_schedule(out: pd.DataFrame, rows: pd.DataFrame, by: list[str], curves: pd.DataFrame, settings: Settings):
    """ES/AT/PD of each roll-up group from the sum of its projects' PV curves.

    Each project's cumulative PV is read at the group's period ends (settings.period grid from
    the earliest plan start to the latest plan finish) by linear interpolation between its own
    period ends (0 the day before its plan starts, flat after its end), then summed.
    """
    period = check_period(settings.period)
    cal = calendar_for(settings)
    need = {"project_id", "snapshot_date", "plan_start", "plan_finish"}
    if not need <= set(rows.columns):
        return out
    cv = curves.copy()
    cv["_pid"] = cv["project_id"].astype(str)
    curve_of = {k: g for k, g in cv.groupby(["_pid", "snapshot_date"], sort=False)}
    es_l, at_l, pd_l, esd, ff = [], [], [], [], []
    for _, grp in rows.groupby(by, sort=True, dropna=False):
        grp = grp.dropna(subset=["plan_start", "plan_finish"])
        if grp.empty or grp["status_date"].nunique() != 1:
            es_l.append(np.nan), at_l.append(np.nan), pd_l.append(np.nan), esd.append(None), ff.append(None)
            continue
        p0 = int(period_id(to_days(pd.Series([grp["plan_start"].min()])), period)[0])
        p1 = int(period_id(to_days(pd.Series([grp["plan_finish"].max()])), period)[0])
        ends = period_end(np.arange(p0, p1 + 1), period)
        x = ends.astype(np.int64).astype(float)
        total = np.zeros(len(ends))
        # each curve in the currency its project's EV was summed in (fx.convert's factor)
        factors = grp["fx_rate"].to_numpy(float) if "fx_rate" in grp.columns else np.ones(len(grp))
        for r, factor in zip(grp.itertuples(index=False), factors, strict=True):
            c = curve_of.get((str(r.project_id), r.snapshot_date))
            if c is None or c.empty:
                continue
            kd = to_days(c["period_end"]).astype(np.int64).astype(float)
            start = float(to_days(pd.Series([r.plan_start]))[0].astype(np.int64)) - 1.0
            kx = np.concatenate([[start], kd])
            ky = np.concatenate([[0.0], c["pv_cum"].to_numpy(float)])
            total += factor * np.interp(x, kx, ky, left=0.0)
        ev = float(grp["ev"].sum(min_count=1))
        pd_ = float(position(to_days(pd.Series([grp["plan_finish"].max()])), p0, period, cal)[0])
        at_day = grp["status_date"].iloc[0]
        if "completed" in grp.columns and grp["completed"].notna().all():
            at_day = grp["completed"].max()  # everything finished: AT stops at the last completion
        at = max(float(position(to_days(pd.Series([at_day])), p0, period, cal)[0]), 0.0)
        es = _es_series(total, ev, pd_)
        es_l.append(es), at_l.append(at), pd_l.append(pd_)
        esd.append((es, p0)), ff.append((pd_, at, es, p0))
    out["es"], out["at"], out["pd"] = es_l, at_l, pd_l
    out = _add_schedule(out)
    es_dates, ffs = [], []
    for e, f, ieac in zip(esd, ff, out["ieac_t"], strict=True):
        es_dates.append(date_at(np.array([e[0]]), e[1], period, cal)[0] if e else np.datetime64("NaT"))
        ffs.append(date_at(np.array([ieac]), f[3], period, cal)[0] if f else np.datetime64("NaT"))
    out["es_date"] = pd.to_datetime(np.array(es_dates, dtype="datetime64[D]")).astype("datetime64[s]")
    out["forecast_finish"] = pd.to_datetime(np.array(ffs, dtype="datetime64[D]")).astype("datetime64[s]")
    return out


# ------------------------------------------------------------------ S-curve and reading
def s_curve_frame(
    result: EvmResult, project_ids: Sequence[str] | None = None, fx: FxContext | None = None
) -> pd.DataFrame:
    """The S-curve of one project or a set of projects from an ``EvmResult``.

    Rows with ``kind == "plan"``: ``date`` = period end, ``pv_cum`` = cumulative PV of the
    current baseline (each project's latest snapshot curve, summed over the projects on the
    union of their period ends). Rows with ``kind == "status"``: one per status date with
    ``pv``, ``ev``, ``ac``, ``bac``, ``eac_cpi`` at that date; for several projects each project
    counts with its latest values at or before that date (carried forward, never interpolated).
    With ``fx`` the amounts are in the reporting currency: each status point at its date's rate
    (left out where a currency has no rate), the plan at the latest status date's rate.
    """
    m, c = result.metrics, result.curves
    if project_ids is not None:
        ids = {str(p) for p in project_ids}
        m = m[m["project_id"].astype(str).isin(ids)]
        c = c[c["project_id"].astype(str).isin(ids)]
    cols = ["kind", "date", "pv_cum", "pv", "ev", "ac", "bac", "eac_cpi"]
    if m.empty:
        return pd.DataFrame({k: pd.Series(dtype="datetime64[s]" if k == "date" else float) for k in cols}).assign(
            kind=pd.Series(dtype="str")
        )[cols]
    latest = m.sort_values("status_date").drop_duplicates("project_id", keep="last")
    plan_factor: dict[str, float] = {}
    if fx is not None:
        conv = convert_money(latest, fx, at=m["status_date"].max())
        plan_factor = dict(zip(conv.rows["project_id"].astype(str), conv.rows["fx_rate"], strict=True))
        if not conv.converted:
            plan_factor = {k: np.nan for k in plan_factor}
    plan = pd.DataFrame(columns=["date", "pv_cum"])
    if not c.empty:
        keys = set(zip(latest["project_id"].astype(str), latest["snapshot_date"], strict=True))
        cur = c[[k in keys for k in zip(c["project_id"].astype(str), c["snapshot_date"], strict=True)]]
        if not cur.empty:
            x = np.unique(to_days(cur["period_end"]))
            xf = x.astype(np.int64).astype(float)
            total = np.zeros(len(x))
            for (pid, _), grp in cur.groupby(["project_id", "snapshot_date"], sort=False):
                start = latest.loc[latest["project_id"].astype(str) == str(pid), "plan_start"]
                kd = to_days(grp["period_end"]).astype(np.int64).astype(float)
                s0 = float(to_days(start).astype(np.int64)[0]) - 1.0 if start.notna().all() else kd[0] - 1.0
                total += plan_factor.get(str(pid), 1.0) * np.interp(
                    xf, np.concatenate([[s0], kd]), np.concatenate([[0.0], grp["pv_cum"].to_numpy(float)]), left=0.0
                )
            plan = pd.DataFrame({"date": x, "pv_cum": total})
    dates = np.sort(m["status_date"].unique())
    status = []
    for d in dates:
        asof = m[m["status_date"] <= d].sort_values("status_date").drop_duplicates("project_id", keep="last")
        if fx is not None:
            conv = convert_money(asof, fx, at=d)
            if not conv.converted:
                continue  # no cross-currency point without a rate
            asof = conv.rows
        sums = {k: float(asof[k].sum(min_count=1)) for k in ("pv", "ev", "ac", "bac")}
        status.append({"date": d} | sums)
    status_df = pd.DataFrame(status, columns=["date", "pv", "ev", "ac", "bac"])
    st_df = add_indices(status_df)[["date", "pv", "ev", "ac", "bac", "eac_cpi"]]
    plan["kind"] = "plan"
    st_df["kind"] = "status"
    out = pd.concat([plan, st_df], ignore_index=True)
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[s]")
    for k in cols[2:]:
        if k not in out.columns:
            out[k] = np.nan
        out[k] = out[k].astype(float)
    return out[cols].sort_values(["date", "kind"], kind="stable").reset_index(drop=True)


def s_curve(
    tasks: pd.DataFrame | None,
    settings: Settings | None = None,
    *,
    projects: pd.DataFrame | None = None,
    evm_periods: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """S-curve data for the given tasks (one project or a filtered portfolio, every status
    date): the planned cumulative PV per period end and EV/AC points at status dates.
    See ``s_curve_frame`` for the columns."""
    return s_curve_frame(analyse(tasks, projects, evm_periods, settings))


_UNITS = {"D": "evm.unit.days", "W": "evm.unit.weeks", "M": "evm.unit.months", "P": "evm.unit.periods"}


def _day(v) -> str:
    return pd.Timestamp(v).strftime("%Y-%m-%d") if v is not None and pd.notna(v) else "—"


def reading_codes(row: pd.Series | dict, settings: Settings | None = None) -> list[list[tuple[str, dict]]]:
    """A short plain-language reading of one metrics row as message codes: sentences, each a
    list of ``(key, params)`` written one after the other (``evm.read.*`` in ``locales/evm.py``).
    ``present.reading`` renders it, e.g. "4.0 months late by earned schedule (SPI(t) 0.56)
    although SPI is 1.00." plus cost, forecast and data notes. A ``unit_key`` parameter names
    the unit's own message."""
    s = settings or Settings()
    r = dict(row)
    unit_key = _UNITS.get(str(r.get("period", "P")), "evm.unit.periods")
    parts: list[list[tuple[str, dict]]] = []
    sv_t, spi_t, spi, cpi = (to_float(r.get(k)) for k in ("sv_t", "spi_t", "spi", "cpi"))
    if pd.notna(r.get("completed")):
        parts.append([("evm.read.completed", {"date": _day(r.get("completed"))})])
    if np.isfinite(sv_t) and np.isfinite(spi_t):
        if abs(sv_t) < 0.05:
            parts.append([("evm.read.on_time", {"spi_t": spi_t})])
        else:
            key = "evm.read.late" if sv_t < 0 else "evm.read.ahead"
            sentence = [(key, {"n": abs(sv_t), "unit_key": unit_key, "spi_t": spi_t})]
            rank = {"red": 0, "amber": 1, "green": 2}
            if sv_t < 0 and np.isfinite(spi) and rank.get(s.rag(spi), -1) > rank.get(s.rag(spi_t), -1):
                # SPI looks better than SPI(t): say so (SPI returns to 1.00 as a late project ends)
                sentence.append(("evm.read.although_spi", {"spi": spi}))
            elif sv_t < 0:
                sentence.append(("evm.read.end", {}))
            parts.append(sentence)
    elif np.isfinite(spi):
        parts.append([("evm.read.spi_only", {"spi": spi})])
    if np.isfinite(cpi):
        parts.append([("evm.read.over" if cpi < 1 else "evm.read.under", {"cpi": cpi})])
        eac, bac, vac = to_float(r.get("eac_cpi")), to_float(r.get("bac")), to_float(r.get("vac"))
        if np.isfinite(eac) and np.isfinite(bac):
            parts.append([("evm.read.eac", {"eac": eac, "bac": bac, "vac": vac})])
    if pd.notna(r.get("forecast_finish")) and pd.isna(r.get("completed")):
        parts.append(
            [("evm.read.forecast", {"date": _day(r.get("forecast_finish")), "plan": _day(r.get("plan_finish"))})]
        )
    nobl = r.get("tasks_no_baseline")
    if nobl is not None and pd.notna(nobl) and int(nobl) > 0:
        parts.append([("evm.read.no_baseline", {"n": int(nobl)})])
    if r.get("source") == "tasks+evm_periods":
        parts.append([("evm.read.ac_cost_rows", {})])
    basis = r.get("budget_basis")
    if basis in ("project", "duration"):
        parts.append([(f"evm.read.basis_{basis}", {})])
    return parts
