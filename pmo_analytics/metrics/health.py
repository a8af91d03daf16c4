"""Portfolio health matrix: project x indicator, each cell with its RAG, sortable by worst.

Indicators (``INDICATORS``) and where they come from (plain frames, so this module does not
depend on how they were computed):

- ``cpi``, ``spi``, ``spi_t``: from ``evm`` rows (project_id, cpi, spi, spi_t, optional bac
  and status_date; e.g. ``metrics.evm.project_metrics``; with several status dates each
  project's latest row is used). RAG by ``Settings.rag`` (green >= green_at, red < red_below).
- ``quality_score``: schedule quality 0-100 (share of applicable DCMA checks passed) from
  ``quality`` (project_id and ``score`` as ``metrics.dcma.quality_score`` returns it, or
  ``quality_score``). Higher is better: green >= ``quality_green`` (85), red <
  ``quality_red`` (70), amber between (its own thresholds: the index thresholds 0.95/0.85
  would colour almost every real schedule red).
- ``risk_exposure_pct``: open threat EMV / BAC (0..1), from the ``risks`` register
  (``metrics.risk``); BAC from the evm rows, else ``projects.bac``. Lower is better:
  green <= ``exposure_green`` (5 %), red > ``exposure_red`` (10 %), amber between.
- ``open_high_risks``: open threats with score >= ``high_score`` (12). Lower is better:
  green = 0, red >= ``high_red`` (3), amber between.

A missing value (input not given, or nothing to compute it from) has RAG "" and is shown
as such, never as green. Opportunities never reduce exposure here.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..settings import Settings
from . import risk as risk_mod

INDICATORS = ("cpi", "spi", "spi_t", "quality_score", "risk_exposure_pct", "open_high_risks")
HIGHER_IS_BETTER = {
    "cpi": True,
    "spi": True,
    "spi_t": True,
    "quality_score": True,
    "risk_exposure_pct": False,
    "open_high_risks": False,
}
RAG_ORDER = {"red": 0, "amber": 1, "green": 2, "": 3}


def _latest(df: pd.DataFrame) -> pd.DataFrame:
    if "status_date" in df and df["status_date"].notna().any():
        df = df.sort_values("status_date", kind="stable")
    return df.drop_duplicates("project_id", keep="last")


def _rag_lower(value: float, green_max: float, red_above: float) -> str:
    if value is None or value != value:
        return ""
    if value <= green_max:
        return "green"
    if value > red_above:
        return "red"
    return "amber"


def rag_rules(
    settings: Settings | None = None,
    *,
    quality_green: float = 85.0,
    quality_red: float = 70.0,
    exposure_green: float = 0.05,
    exposure_red: float = 0.10,
    high_red: int = 3,
) -> dict[str, Callable[[object], str]]:
    """{indicator: value -> "green"/"amber"/"red"/""}: the rules ``health_matrix`` applies,
    also usable as ``ui.table(..., rag=rag_rules(s))`` to colour the matrix as a table."""
    s = settings or Settings()
    qs = s.with_(green_at=quality_green, red_below=quality_red)
    return {
        "cpi": s.rag,
        "spi": s.rag,
        "spi_t": s.rag,
        "quality_score": qs.rag,
        "risk_exposure_pct": lambda v: _rag_lower(v, exposure_green, exposure_red),
        "open_high_risks": lambda v: _rag_lower(v, 0, high_red - 1),
    }


def health_matrix(
    evm: pd.DataFrame | None = None,
    *,
    quality: pd.DataFrame | None = None,
    risks: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
    settings: Settings | None = None,
    quality_green: float = 85.0,
    quality_red: float = 70.0,
    exposure_green: float = 0.05,
    exposure_red: float = 0.10,
    high_score: int = risk_mod.HIGH_SCORE,
    high_red: int = 3,
    sort: str = "worst",
) -> pd.DataFrame:
    """One row per project: project_id, name, each indicator and ``<indicator>_rag``, then
    red, amber, green (cell counts) and worst (the worst RAG of the row).

    Projects: those in ``projects`` when given, else every project in any input.
    ``sort="worst"`` puts rows with most reds first, then most ambers, then the lowest of
    CPI/SPI/SPI(t); ``sort=<indicator>`` puts that indicator's worst values first."""
    s = settings or Settings()
    ids: list[str] = []
    if projects is not None and len(projects):
        ids = list(dict.fromkeys(projects["project_id"].astype(str)))
    else:
        for f in (evm, quality, risks):
            if f is not None and len(f):
                ids.extend(f["project_id"].astype(str))
        ids = sorted(set(ids))
    out = pd.DataFrame({"project_id": pd.Series(ids, dtype=object)})
    names = {}
    if projects is not None and len(projects) and "name" in projects:
        names = dict(zip(projects["project_id"].astype(str), projects["name"], strict=False))
    out["name"] = out["project_id"].map(names).astype(object)
    bac = pd.Series(np.nan, index=out.index)
    if evm is not None and len(evm):
        e = _latest(evm.assign(project_id=evm["project_id"].astype(str))).set_index("project_id")
        for col in ("cpi", "spi", "spi_t"):
            out[col] = out["project_id"].map(e[col]).astype(float) if col in e else np.nan
        if "bac" in e:
            bac = out["project_id"].map(e["bac"]).astype(float)
    else:
        out[["cpi", "spi", "spi_t"]] = np.nan
    if projects is not None and len(projects) and "bac" in projects:
        pb = projects.assign(project_id=projects["project_id"].astype(str)).drop_duplicates("project_id", keep="last")
        bac = bac.fillna(out["project_id"].map(pb.set_index("project_id")["bac"]).astype(float))
    if quality is not None and len(quality):
        q = _latest(quality.assign(project_id=quality["project_id"].astype(str))).set_index("project_id")
        col = "quality_score" if "quality_score" in q else "score"
        out["quality_score"] = out["project_id"].map(q[col]).astype(float)
    else:
        out["quality_score"] = np.nan
    if risks is not None:
        r = risk_mod.enrich(risks, projects) if "kind" not in risks else risks
        r = r[r["is_open"] & (r["kind"] == "threat")].assign(project_id=lambda d: d["project_id"].astype(str))
        emv = r.groupby("project_id")["risk_exposure"].sum()
        high = r[r["risk_score"].fillna(0) >= high_score].groupby("project_id").size()
        b = bac.where(bac > 0)
        out["risk_exposure_pct"] = out["project_id"].map(emv).fillna(0.0).astype(float) / b
        out["open_high_risks"] = out["project_id"].map(high).fillna(0).astype(float)
    else:
        out["risk_exposure_pct"] = np.nan
        out["open_high_risks"] = np.nan
    rules = rag_rules(
        s,
        quality_green=quality_green,
        quality_red=quality_red,
        exposure_green=exposure_green,
        exposure_red=exposure_red,
        high_red=high_red,
    )
    for col in INDICATORS:
        out[f"{col}_rag"] = [rules[col](v) for v in out[col].tolist()]
    rags = out[[f"{c}_rag" for c in INDICATORS]]
    out["red"] = (rags == "red").sum(axis=1).astype("int64")
    out["amber"] = (rags == "amber").sum(axis=1).astype("int64")
    out["green"] = (rags == "green").sum(axis=1).astype("int64")
    out["worst"] = [min(row, key=RAG_ORDER.__getitem__) for row in rags.itertuples(index=False)] if len(out) else []
    cols = ["project_id", "name"]
    for c in INDICATORS:
        cols += [c, f"{c}_rag"]
    out = out[[*cols, "red", "amber", "green", "worst"]]
    return sort_matrix(out, sort)


def sort_matrix(matrix: pd.DataFrame, by: str = "worst") -> pd.DataFrame:
    """Rows worst first: by RAG counts (``by="worst"``) or by one indicator (its worst values
    first; missing last)."""
    if matrix.empty:
        return matrix.reset_index(drop=True)
    if by == "worst":
        key = matrix.assign(
            _r=-matrix["red"], _a=-matrix["amber"], _i=matrix[["cpi", "spi", "spi_t"]].min(axis=1, skipna=True)
        )
        key = key.sort_values(["_r", "_a", "_i", "project_id"], na_position="last", kind="stable")
        return matrix.loc[key.index].reset_index(drop=True)
    if by not in HIGHER_IS_BETTER:
        raise ValueError(f"unknown indicator {by!r}; one of {', '.join(INDICATORS)} or 'worst'")
    return matrix.sort_values(
        [by, "project_id"], ascending=[HIGHER_IS_BETTER[by], True], na_position="last", kind="stable"
    ).reset_index(drop=True)
