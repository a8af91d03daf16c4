"""Earned value roll-up: sum pv/ev/ac/bac over projects per group, then recompute every ratio;
earned schedule of a group from the sum of its projects' PV curves; the portfolio at every status
date with each project's latest values known on that date.

Part of the earned value package; ``evm.py`` holds the entry points and re-exports these names.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..settings import Settings
from .evm_calendar import (
    check_period,
    date_at,
    period_end,
    period_id,
    position,
)
from .evm_formulas import SCHEDULE_METRICS, SUMMED, _add_schedule, _es_series, add_indices
from .evm_sources import EvmResult
from .fx import FxContext
from .fx import convert as convert_money
from .working_time import calendar_for, to_days


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
