"""Portfolio view helpers: current and previous snapshot per project, KPI roll-ups, the
project health table. Pure functions over the per-(project, status date) metric rows of
``metrics.evm.project_metrics``."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import health
from .evm import add_indices
from .fx import FxContext, MissingRate
from .fx import convert as convert_money
from .fx import missing_summary as fx_missing_summary

SUMMED = ("bac", "pv", "ev", "ac")
HEALTH_COLUMNS = [
    "project_id",
    "name",
    "program",
    "manager",
    "status",
    "status_date",
    "bac",
    "pv",
    "ev",
    "ac",
    "cpi",
    "spi",
    "spi_t",
    "eac_cpi",
    "vac",
    "forecast_finish",
]


def nth_latest(rows: pd.DataFrame, n: int = 0) -> pd.DataFrame:
    """Each project's n-th latest row by status date (0 = latest, 1 = the one before)."""
    if rows.empty:
        return rows
    ordered = rows.sort_values(["project_id", "status_date"], ascending=[True, False])
    return ordered.groupby("project_id", sort=True).nth(n).reset_index(drop=True)


def rollup(rows: pd.DataFrame) -> dict[str, float]:
    """Sum BAC/PV/EV/AC over the rows, then compute the ratios (never averages ratios).
    The rows must be in one currency (``totals`` converts first)."""
    sums = {k: float(rows[k].sum(min_count=1)) if k in rows and len(rows) else float("nan") for k in SUMMED}
    return add_indices(pd.DataFrame([sums])).iloc[0].to_dict()


@dataclass(frozen=True)
class Totals:
    """The portfolio's current totals and their change since each project's previous status date.

    ``currency`` is the reporting currency when every project converted (``now``/``delta`` hold
    the totals); otherwise ``now``/``delta`` hold NaN money (ratios too) and ``by_currency`` one
    (now, delta) per currency, with ``missing`` naming the rates that are missing."""

    now: dict[str, float]
    delta: dict[str, float]
    currency: str | None
    by_currency: dict[str, tuple[dict[str, float], dict[str, float]]] = field(default_factory=dict)
    missing: tuple[MissingRate, ...] = ()

    @property
    def converted(self) -> bool:
        return self.currency is not None


def _plain_kpis(current: pd.DataFrame, previous: pd.DataFrame) -> tuple[dict[str, float], dict[str, float]]:
    now = rollup(current)
    now["projects"] = float(current["project_id"].nunique()) if len(current) else 0.0
    if previous.empty:
        return now, {}
    # Delta over the projects that have a previous status date: their current minus their previous.
    now_same = rollup(current[current["project_id"].isin(previous["project_id"])])
    prev = rollup(previous)
    return now, {k: now_same[k] - prev[k] for k in prev}


def totals(rows: pd.DataFrame, fx: FxContext | None = None) -> Totals:
    """Current totals over each project's latest row, and the change against each project's
    previous row (only projects that have one, so that a delta compares like with like).

    With ``fx`` the money is converted into the reporting currency first: the current rows at
    the rate in force at the latest status date among them, the previous rows at the latest
    status date among those (one rate per roll-up; sum, then divide). Where a currency has no
    rate, there is no cross-currency total: ``by_currency`` instead."""
    current = nth_latest(rows, 0)
    previous = nth_latest(rows, 1)
    if fx is None:
        now, delta = _plain_kpis(current, previous)
        return Totals(now, delta, None)
    at_now = current["status_date"].max() if len(current) else None
    at_prev = previous["status_date"].max() if len(previous) else None
    cur_c = convert_money(current, fx, at=at_now)
    prev_c = convert_money(previous, fx, at=at_prev) if len(previous) else None
    missing = (*cur_c.missing, *(prev_c.missing if prev_c is not None else ()))
    if not cur_c.missing:
        prev_rows = prev_c.rows if prev_c is not None and prev_c.converted else previous.iloc[0:0]
        now, delta = _plain_kpis(cur_c.rows, prev_rows)
        return Totals(now, delta, fx.reporting, missing=tuple(fx_missing_summary(missing)))
    own = [fx.project_currency(p) for p in current["project_id"]]
    by: dict[str, tuple[dict[str, float], dict[str, float]]] = {}
    for ccy in sorted(set(own)):
        mine = current[[c == ccy for c in own]]
        by[ccy] = _plain_kpis(mine, previous[previous["project_id"].isin(mine["project_id"])])
    now = {k: float("nan") for k in by[next(iter(by))][0]} if by else {}
    now["projects"] = float(current["project_id"].nunique())
    return Totals(now, {}, None, by, tuple(fx_missing_summary(missing)))


def kpis(rows: pd.DataFrame, fx: FxContext | None = None) -> tuple[dict[str, float], dict[str, float]]:
    """(current roll-up over each project's latest row, change since the previous): ``totals``
    as a pair. Without a conversion the NaN totals of a mixed portfolio stay NaN."""
    t = totals(rows, fx)
    return t.now, t.delta


def health_table(rows: pd.DataFrame, projects: pd.DataFrame, assessed: pd.DataFrame) -> pd.DataFrame:
    """One row per project at its latest status date: identity, EVM columns and the health
    engine's decision (``metrics.health.assess`` rows, the ``current`` ones): ``rag``
    ("green"/"amber"/"red"/"" as codes), ``rag_reasons`` and ``flags`` (``Reason`` tuples),
    ``cpi_rag``, ``schedule_rag``, ``milestones_slipped``, ``risk_exposure_pct``. Worst first."""
    extra = ["rag", "rag_reasons", "flags", "cpi_rag", "schedule_rag", "milestones_slipped", "risk_exposure_pct"]
    current = nth_latest(rows, 0)
    if current.empty:
        return pd.DataFrame(columns=[*HEALTH_COLUMNS, *extra])
    ident = projects[[c for c in ("project_id", "name", "program", "manager", "status") if c in projects.columns]]
    merged = current.merge(ident.drop_duplicates("project_id"), on="project_id", how="left")
    for col in HEALTH_COLUMNS:
        if col not in merged.columns:
            merged[col] = pd.NA
    out = merged[HEALTH_COLUMNS].copy()
    cur = health.current(assessed)
    pid = out["project_id"].astype(str)
    for col in extra:
        out[col] = pid.map(cur[col]) if col in cur.columns and len(cur) else None
    out["rag"] = out["rag"].fillna("")
    for col in ("rag_reasons", "flags"):
        out[col] = [v if isinstance(v, list) else [] for v in out[col]]
    out["_o"] = out["rag"].map(health.RAG_ORDER)
    out = out.sort_values(["_o", "cpi"], na_position="last", kind="stable").drop(columns="_o").reset_index(drop=True)
    return out
