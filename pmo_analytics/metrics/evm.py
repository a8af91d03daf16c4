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

The package, by job: ``evm_formulas`` (indices, earned schedule formulas), ``evm_phasing``
(time-phasing, PV curves), ``evm_sources`` (task path, periods path, cost rows), ``evm_rollup``
(portfolio roll-up and history). This module holds the entry points (``analyse``,
``project_metrics``) and the tables and readings the pages show, and re-exports the public names
of the other four, so callers use ``metrics.evm`` only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..settings import Settings
from .columns import to_float
from .evm_formulas import (
    COST_METRICS,
    DATE_METRICS,
    GLOSSARY,
    SCHEDULE_METRICS,
    SUMMED,
    add_indices,
    eac_from_cpi,
    earned_schedule,
    evm_indices,
    planned_duration,
    tcpi,
)
from .evm_phasing import Phasing, phase_curves
from .evm_rollup import as_of_rows, portfolio_history, portfolio_rollup
from .evm_sources import (
    CURVE_COLUMNS,
    EV_METHODS,
    INFO_COLUMNS,
    EvmResult,
    _ac_from_cost_rows,
    _check,
    _cost_only_projects,
    _empty_curves,
    _empty_metrics,
    _periods_path,
    _task_path,
    detect_series,
    task_curves,
    task_values,
)
from .fx import FxContext
from .fx import convert as convert_money
from .working_time import to_days

__all__ = [
    "COST_METRICS",
    "CURVE_COLUMNS",
    "DATE_METRICS",
    "EV_METHODS",
    "EvmResult",
    "GLOSSARY",
    "INFO_COLUMNS",
    "Phasing",
    "SCHEDULE_METRICS",
    "SUMMED",
    "add_indices",
    "analyse",
    "as_of_rows",
    "detect_series",
    "eac_from_cpi",
    "earned_schedule",
    "evm_indices",
    "metrics_table",
    "phase_curves",
    "planned_duration",
    "portfolio_history",
    "portfolio_rollup",
    "project_history",
    "project_metrics",
    "project_names",
    "reading_codes",
    "s_curve",
    "s_curve_frame",
    "task_curves",
    "task_values",
    "tcpi",
    "with_project_fields",
]


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


JOIN_COLUMNS = ["projects", "joined", "joined_ac"]


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
    Status rows also carry ``projects`` (how many projects the point sums), ``joined`` (how
    many of them are counted for the first time there; 0 at the first point) and
    ``joined_ac`` (their AC to date, which enters the cumulative AC in one step).
    """
    m, c = result.metrics, result.curves
    if project_ids is not None:
        ids = {str(p) for p in project_ids}
        m = m[m["project_id"].astype(str).isin(ids)]
        c = c[c["project_id"].astype(str).isin(ids)]
    cols = ["kind", "date", "pv_cum", "pv", "ev", "ac", "bac", "eac_cpi"]
    if m.empty:
        return pd.DataFrame(
            {k: pd.Series(dtype="datetime64[s]" if k == "date" else float) for k in [*cols, *JOIN_COLUMNS]}
        ).assign(kind=pd.Series(dtype="str"))[[*cols, *JOIN_COLUMNS]]
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
    first_seen: dict = {}
    for pid, d0 in m.groupby(m["project_id"].astype(str))["status_date"].min().items():
        first_seen.setdefault(pd.Timestamp(d0), []).append(pid)
    status = []
    for d in dates:
        asof = m[m["status_date"] <= d].sort_values("status_date").drop_duplicates("project_id", keep="last")
        if fx is not None:
            conv = convert_money(asof, fx, at=d)
            if not conv.converted:
                continue  # no cross-currency point without a rate
            asof = conv.rows
        sums = {k: float(asof[k].sum(min_count=1)) for k in ("pv", "ev", "ac", "bac")}
        # projects first counted at d (not at the first point): their AC to date enters at once
        new = (
            asof[asof["project_id"].astype(str).isin(set(first_seen.get(pd.Timestamp(d), ())))]
            if d != dates[0]
            else asof[:0]
        )
        joined = {"projects": float(len(asof)), "joined": float(len(new)), "joined_ac": float(new["ac"].sum())}
        status.append({"date": d} | sums | joined)
    status_df = pd.DataFrame(status, columns=["date", "pv", "ev", "ac", "bac", *JOIN_COLUMNS])
    st_df = add_indices(status_df)[["date", "pv", "ev", "ac", "bac", "eac_cpi", *JOIN_COLUMNS]]
    plan["kind"] = "plan"
    st_df["kind"] = "status"
    out = pd.concat([plan, st_df], ignore_index=True)
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[s]")
    for k in cols[2:]:
        if k not in out.columns:
            out[k] = np.nan
        out[k] = out[k].astype(float)
    for k in JOIN_COLUMNS:
        out[k] = out[k].astype(float) if k in out.columns else np.nan
    return out[[*cols, *JOIN_COLUMNS]].sort_values(["date", "kind"], kind="stable").reset_index(drop=True)


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
