"""Portfolio view helpers: current and previous snapshot per project, KPI roll-ups, the
project health table. Pure functions over the per-(project, status date) metric rows of
``metrics.evm.project_metrics``."""

from __future__ import annotations

import pandas as pd

from . import health
from .evm import add_indices

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
    """Sum BAC/PV/EV/AC over the rows, then compute the ratios (never averages ratios)."""
    sums = {k: float(rows[k].sum(min_count=1)) if k in rows and len(rows) else float("nan") for k in SUMMED}
    return add_indices(pd.DataFrame([sums])).iloc[0].to_dict()


def kpis(rows: pd.DataFrame) -> tuple[dict[str, float], dict[str, float]]:
    """(current roll-up over each project's latest row, roll-up over each project's previous row).

    The previous roll-up covers only projects that have a previous status date, so that a
    delta compares like with like; it is empty (all NaN) when no project has two dates."""
    current = nth_latest(rows, 0)
    previous = nth_latest(rows, 1)
    now = rollup(current)
    now["projects"] = float(current["project_id"].nunique()) if len(current) else 0.0
    if previous.empty:
        return now, {}
    # Delta over the projects that have a previous status date: their current minus their previous.
    now_same = rollup(current[current["project_id"].isin(previous["project_id"])])
    prev = rollup(previous)
    return now, {k: now_same[k] - prev[k] for k in prev}


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
