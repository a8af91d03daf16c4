"""The ONE health engine: each project's overall RAG and the reasons for it, as codes.

``assess(metrics, milestones=..., risks=..., projects=..., quality=..., settings=..., as_of=...)``
rates every (project, status date) row of the metric rows (``metrics.evm.project_metrics``)
and returns the decision every surface shows (Portfolio tiles, table and heatmap, Status
report, report workbook, CLI). Pages, exports and the CLI only translate it.

The rule (``Settings`` thresholds, ``PMO_*`` environment variables in the README):

- **cost**: CPI. green >= ``green_at`` (0.95), red < ``red_below`` (0.85), amber between.
- **schedule**: SPI(t) when known, else SPI; same thresholds as cost.
- **milestones**: milestones slipped at the status date, the weekly report's rule
  (``metrics.report``) applied to each project's own previous status date. A milestone
  (non-summary task flagged ``is_milestone``; forecast = actual finish, else planned finish;
  ``schedule.milestone_history``) has *slipped* at status date D when it is not done at D and
  either its forecast finish is on or before D (its date passed without completion) or it
  was open at the project's previous status date and its forecast finish is later now than
  then. green = none, amber >= ``milestones_amber`` (1), red >= ``milestones_red`` (3). The
  project's latest milestone snapshot on or before the row's status date counts; a project
  without milestones is not rated on them.
- **risk**: open threat exposure (sum of probability x impact of open threats; opportunities
  never reduce it) as a share of BAC, from the project's latest risk register snapshot on or
  before the row's status date. green <= ``exposure_green`` (5 %), red > ``exposure_red``
  (10 %), amber between. A project without a register is not rated on risk; with open threats
  but no BAC the share is missing.
- **overall** = the worst of the four. A missing value is never green: when CPI or the
  schedule index is missing (or the exposure share is missing), the overall is at best
  unknown (""), never green; red and amber still show.

Flags shown beside the colour, never setting it (only on each project's latest row on or
before ``as_of``): ``quality_below`` (DCMA schedule-quality score < ``quality_min``, 70) and
``stale`` (the status date is more than one reporting period, ``Settings.period``, before
``as_of``; ``as_of`` defaults to the latest status date in the rows).

Reasons and flags are ``Reason(code, value, threshold)`` tuples, e.g. ``("spi_t_below", 0.81,
0.85)``: the threshold is the one crossed (the red one for red, the green one for amber).
Codes: ``cpi_below``, ``spi_t_below``, ``spi_below``, ``milestones_slipped``, ``exposure_above``,
``cpi_missing``, ``schedule_missing``, ``exposure_missing``; flags ``quality_below``, ``stale``
(value = days since the status date, threshold = days in one period). Words for them are made
at the edge (``pmo_analytics.health_text``).

``health_matrix`` is the heatmap's view: more indicators per cell (schedule quality, open high
risks), each with its own colour, but its ``rag`` column is the engine's overall RAG.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..settings import Settings
from . import risk as risk_mod

RAG_ORDER = {"red": 0, "amber": 1, "green": 2, "": 3}
RAGS = ("red", "amber", "green")
REASON_CODES = (
    "cpi_below",
    "spi_t_below",
    "spi_below",
    "milestones_slipped",
    "exposure_above",
    "cpi_missing",
    "schedule_missing",
    "exposure_missing",
)
FLAG_CODES = ("quality_below", "stale")
ASSESS_COLUMNS = [
    "project_id",
    "status_date",
    "cpi",
    "cpi_rag",
    "schedule_metric",
    "schedule_index",
    "schedule_rag",
    "milestones_slipped",
    "milestones_rag",
    "risk_exposure",
    "risk_exposure_pct",
    "exposure_rag",
    "rag",
    "rag_reasons",
    "quality_score",
    "stale",
    "flags",
    "current",
]
INDICATORS = ("cpi", "spi", "spi_t", "quality_score", "risk_exposure_pct", "open_high_risks")
HIGHER_IS_BETTER = {
    "cpi": True,
    "spi": True,
    "spi_t": True,
    "quality_score": True,
    "risk_exposure_pct": False,
    "open_high_risks": False,
}
PERIOD_OFFSETS = {"D": pd.DateOffset(days=1), "W": pd.DateOffset(weeks=1), "M": pd.DateOffset(months=1)}


class Reason(NamedTuple):
    """One reason for a colour (or one flag): a code with the value and the threshold it
    crossed (None where there is none, e.g. a missing value)."""

    code: str
    value: float | None
    threshold: float | None

    def as_dict(self) -> dict[str, object]:
        """``{"code", "value", "threshold"}`` (JSON-ready; NaN becomes None)."""
        return {"code": self.code, "value": _plain(self.value), "threshold": _plain(self.threshold)}


def _plain(v: float | None) -> float | None:
    if v is None:
        return None
    f = float(v)
    return None if f != f or f in (float("inf"), float("-inf")) else f


def _finite(v: object) -> bool:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return f == f and abs(f) != float("inf")


def worst(rags: Iterable[str]) -> str:
    """The worst of some RAG codes ("" when none is known)."""
    known = [r for r in rags if r]
    return min(known, key=RAG_ORDER.__getitem__) if known else ""


def index_rag(value: float | None, s: Settings) -> tuple[str, float | None]:
    """(RAG, threshold crossed) for an index (CPI, SPI, SPI(t)); ("", None) when missing."""
    r = s.rag(value if _finite(value) else None)
    return r, (s.red_below if r == "red" else s.green_at if r == "amber" else None)


def exposure_rag(share: float | None, s: Settings) -> tuple[str, float | None]:
    """(RAG, threshold crossed) for open threat exposure as a share of BAC (lower is better)."""
    if not _finite(share):
        return "", None
    v = float(share)  # type: ignore[arg-type]
    if v > s.exposure_red:
        return "red", s.exposure_red
    if v > s.exposure_green:
        return "amber", s.exposure_green
    return "green", None


def milestones_rag(late: float | None, s: Settings) -> tuple[str, float | None]:
    """(RAG, threshold reached) for the number of slipped milestones."""
    if not _finite(late):
        return "", None
    n = float(late)  # type: ignore[arg-type]
    if n >= s.milestones_red:
        return "red", float(s.milestones_red)
    if n >= s.milestones_amber:
        return "amber", float(s.milestones_amber)
    return "green", None


def decide(
    cpi: float | None,
    spi_t: float | None,
    spi: float | None,
    milestones_slipped: float | None,
    exposure_share: float | None,
    settings: Settings,
    *,
    has_register: bool = True,
    has_milestones: bool = True,
) -> tuple[str, list[Reason], dict[str, str]]:
    """The rule for one project at one status date: (overall RAG, reasons, RAG per part).

    ``milestones_slipped`` None (or ``has_milestones`` False): not rated on milestones;
    ``has_register`` False: not rated on risk. A missing CPI, schedule index or (with a
    register) exposure share makes the overall unknown ("") unless another part is red or
    amber: never green."""
    s = settings
    reasons: list[Reason] = []
    parts: dict[str, str] = {}
    missing = False
    r, lim = index_rag(cpi, s)
    parts["cost"] = r
    if r in ("red", "amber"):
        reasons.append(Reason("cpi_below", float(cpi), lim))  # type: ignore[arg-type]
    elif not r:
        missing = True
    use_t = _finite(spi_t)
    sched = spi_t if use_t else spi
    r, lim = index_rag(sched, s)
    parts["schedule"] = r
    if r in ("red", "amber"):
        reasons.append(Reason("spi_t_below" if use_t else "spi_below", float(sched), lim))  # type: ignore[arg-type]
    elif not r:
        missing = True
    if has_milestones and _finite(milestones_slipped):
        r, lim = milestones_rag(milestones_slipped, s)
        parts["milestones"] = r
        if r in ("red", "amber"):
            reasons.append(Reason("milestones_slipped", float(milestones_slipped), lim))  # type: ignore[arg-type]
    if has_register:
        r, lim = exposure_rag(exposure_share, s)
        parts["risk"] = r
        if r in ("red", "amber"):
            reasons.append(Reason("exposure_above", float(exposure_share), lim))  # type: ignore[arg-type]
        elif not r:
            missing = True
    overall = worst(parts.values())
    if missing:
        if parts.get("cost") == "":
            reasons.append(Reason("cpi_missing", None, None))
        if parts.get("schedule") == "":
            reasons.append(Reason("schedule_missing", None, None))
        if has_register and parts.get("risk") == "":
            reasons.append(Reason("exposure_missing", None, None))
        if overall == "green":
            overall = ""
    # red reasons first, then amber, then missing values; within each, the rule's order
    sev = {"red": 0, "amber": 1}
    part_of = {
        "cpi_below": "cost",
        "spi_t_below": "schedule",
        "spi_below": "schedule",
        "milestones_slipped": "milestones",
        "exposure_above": "risk",
    }
    order = {c: i for i, c in enumerate(REASON_CODES)}
    reasons.sort(key=lambda x: (sev.get(parts.get(part_of.get(x.code, ""), ""), 2), order[x.code]))
    return overall, reasons, parts


# ------------------------------------------------------------------ inputs per row
def _asof_join(rows: pd.DataFrame, per_date: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """For each (project_id, status_date) row, the values of ``per_date`` (project_id,
    status_date, *cols) at the project's latest date on or before it (NaN when none)."""
    left = rows[["project_id", "status_date"]].copy()
    left["_i"] = np.arange(len(left))
    if per_date.empty:
        for c in cols:
            left[c] = np.nan
        return left.sort_values("_i").reset_index(drop=True)
    right = per_date[["project_id", "status_date", *cols]].sort_values("status_date", kind="stable")
    left = left.sort_values("status_date", kind="stable")
    out = pd.merge_asof(left, right, on="status_date", by="project_id", direction="backward")
    return out.sort_values("_i").reset_index(drop=True)


def _dated(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["project_id"] = out["project_id"].astype(str)
    out["status_date"] = pd.to_datetime(out["status_date"]).astype("datetime64[ns]")
    return out[out["status_date"].notna()]


def milestones_slipped_per_date(milestones: pd.DataFrame | None) -> pd.DataFrame:
    """project_id, status_date, late: slipped milestones (see the module doc) per project and
    status date, from ``schedule.milestone_history`` rows (0 when the snapshot has milestones
    and none slipped)."""
    cols = ["project_id", "status_date", "late"]
    if milestones is None or milestones.empty:
        return pd.DataFrame(columns=cols)
    m = _dated(milestones)
    m["task_id"] = m["task_id"].astype(str)
    m["forecast_finish"] = pd.to_datetime(m["forecast_finish"]).astype("datetime64[ns]")
    m["done"] = m["done"].astype("boolean").fillna(False).astype(bool)
    m = m.drop_duplicates(["project_id", "task_id", "status_date"], keep="last")
    # the project's previous milestone snapshot date, and each milestone's values there
    dates = m[["project_id", "status_date"]].drop_duplicates().sort_values(["project_id", "status_date"])
    dates["prev_date"] = dates.groupby("project_id")["status_date"].shift(1)
    m = m.merge(dates, on=["project_id", "status_date"], how="left")
    prev = m[["project_id", "task_id", "status_date", "forecast_finish", "done"]].rename(
        columns={"status_date": "prev_date", "forecast_finish": "prev_forecast", "done": "prev_done"}
    )
    m = m.merge(prev, on=["project_id", "task_id", "prev_date"], how="left")
    done = m["done"].to_numpy(bool)
    prev_open = (m["prev_done"].astype("boolean") == False).fillna(False).to_numpy(bool)  # noqa: E712
    moved_later = prev_open & (m["forecast_finish"] > m["prev_forecast"]).fillna(False).to_numpy(bool)
    passed = (m["forecast_finish"] <= m["status_date"]).fillna(False).to_numpy(bool)
    m["late"] = (~done & (moved_later | passed)).astype(float)
    return m.groupby(["project_id", "status_date"], as_index=False)["late"].sum()[cols]


def exposure_per_date(risks: pd.DataFrame | None, projects: pd.DataFrame | None = None) -> pd.DataFrame:
    """project_id, status_date, risk_exposure (open threat EMV), open_high_risks per project
    and risk register snapshot. A register without status dates counts as known at every date."""
    cols = ["project_id", "status_date", "risk_exposure", "open_high_risks"]
    if risks is None or risks.empty:
        return pd.DataFrame(columns=cols)
    r = risks if "kind" in risks and "is_open" in risks else risk_mod.enrich(risks, projects)
    if "status_date" not in r.columns:
        r = r.assign(status_date=pd.Timestamp.min)
    r = _dated(r)
    threat = (r["is_open"].astype(bool) & (r["kind"] == "threat")).to_numpy(bool)
    emv = pd.to_numeric(r["risk_exposure"], errors="coerce").fillna(0.0).where(threat, 0.0)
    high = (pd.to_numeric(r["risk_score"], errors="coerce").fillna(0) >= risk_mod.HIGH_SCORE) & threat
    g = (
        r.assign(risk_exposure=emv, open_high_risks=high.astype(float))
        .groupby(["project_id", "status_date"], as_index=False)[["risk_exposure", "open_high_risks"]]
        .sum()
    )
    return g[cols]


def _stale_offset(settings: Settings) -> pd.DateOffset:
    return PERIOD_OFFSETS.get(settings.period, PERIOD_OFFSETS["W"])


# ------------------------------------------------------------------ the engine
def assess(
    metrics: pd.DataFrame,
    *,
    milestones: pd.DataFrame | None = None,
    risks: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
    quality: pd.DataFrame | None = None,
    settings: Settings | None = None,
    as_of: object = None,
) -> pd.DataFrame:
    """The health decision for every (project_id, status_date) row of ``metrics`` (columns
    project_id, status_date, cpi, spi, [spi_t, bac]); columns ``ASSESS_COLUMNS`` in the rows'
    order.

    ``milestones``: ``schedule.milestone_history`` rows (every status date); ``risks``: the
    register (every status date; enriched or canonical); ``projects``: BAC where a row has
    none; ``quality``: project_id and ``score`` (``dcma.quality_score``) for the latest
    snapshot. ``current`` marks each project's latest row on or before ``as_of`` (default:
    the latest status date in ``metrics``); only those rows carry flags.
    """
    s = settings or Settings()
    if metrics is None or metrics.empty:
        return pd.DataFrame(columns=ASSESS_COLUMNS)
    rows = metrics.copy()
    rows["project_id"] = rows["project_id"].astype(str)
    rows["status_date"] = pd.to_datetime(rows["status_date"]).astype("datetime64[ns]")
    rows = rows.reset_index(drop=True)

    def num(col: str) -> np.ndarray:
        if col not in rows.columns:
            return np.full(len(rows), np.nan)
        return pd.to_numeric(rows[col], errors="coerce").astype(float).to_numpy()

    cpi, spi, spi_t, bac = num("cpi"), num("spi"), num("spi_t"), num("bac")
    if projects is not None and len(projects) and "bac" in projects.columns:
        pb = dict(zip(projects["project_id"].astype(str), pd.to_numeric(projects["bac"], errors="coerce"), strict=True))
        fallback = rows["project_id"].map(pb).astype(float).to_numpy()  # the last row of a project wins
        bac = np.where(np.isfinite(bac), bac, fallback)
    ms = _asof_join(rows, milestones_slipped_per_date(milestones), ["late"])["late"].to_numpy(float)
    ex = _asof_join(rows, exposure_per_date(risks, projects), ["risk_exposure"])["risk_exposure"].to_numpy(float)
    has_register = np.isfinite(ex)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(has_register & (bac > 0), ex / np.where(bac > 0, bac, np.nan), np.nan)

    # current rows: each project's latest on or before as_of
    when = pd.Timestamp(as_of) if as_of is not None else rows["status_date"].max()
    upto = rows[rows["status_date"] <= when]
    latest = upto.groupby("project_id")["status_date"].max()
    current = (rows["status_date"] == rows["project_id"].map(latest)).to_numpy(bool)
    qmap: dict[str, float] = {}
    if quality is not None and len(quality):
        qcol = "quality_score" if "quality_score" in quality.columns else "score"
        qmap = dict(zip(quality["project_id"].astype(str), pd.to_numeric(quality[qcol], errors="coerce"), strict=True))
    cutoff = when - _stale_offset(s)
    period_days = float((when - cutoff).days)

    out_rag, out_reasons, parts_l, sched_metric, sched_val = [], [], [], [], []
    q_l, stale_l, flags_l = [], [], []
    pids = rows["project_id"].tolist()
    sds = rows["status_date"].tolist()
    for i in range(len(rows)):
        rag, reasons, parts = decide(
            cpi[i],
            spi_t[i],
            spi[i],
            ms[i] if np.isfinite(ms[i]) else None,
            share[i],
            s,
            has_register=bool(has_register[i]),
            has_milestones=bool(np.isfinite(ms[i])),
        )
        out_rag.append(rag)
        out_reasons.append(reasons)
        parts_l.append(parts)
        use_t = np.isfinite(spi_t[i])
        sched_metric.append("spi_t" if use_t else "spi" if np.isfinite(spi[i]) else "")
        sched_val.append(spi_t[i] if use_t else spi[i])
        flags: list[Reason] = []
        q = float("nan")
        stale = False
        if current[i]:
            q = float(qmap.get(pids[i], float("nan")))
            if q == q and q < s.quality_min:
                flags.append(Reason("quality_below", q, s.quality_min))
            if sds[i] < cutoff:
                stale = True
                flags.append(Reason("stale", float((when - sds[i]).days), period_days))
        q_l.append(q)
        stale_l.append(stale)
        flags_l.append(flags)
    out = pd.DataFrame(
        {
            "project_id": rows["project_id"],
            "status_date": rows["status_date"],
            "cpi": cpi,
            "cpi_rag": [p.get("cost", "") for p in parts_l],
            "schedule_metric": sched_metric,
            "schedule_index": np.asarray(sched_val, dtype=float),
            "schedule_rag": [p.get("schedule", "") for p in parts_l],
            "milestones_slipped": ms,
            "milestones_rag": [p.get("milestones", "") for p in parts_l],
            "risk_exposure": ex,
            "risk_exposure_pct": share,
            "exposure_rag": [p.get("risk", "") for p in parts_l],
            "rag": out_rag,
            "rag_reasons": out_reasons,
            "quality_score": np.asarray(q_l, dtype=float),
            "stale": stale_l,
            "flags": flags_l,
            "current": current,
        }
    )
    return out[ASSESS_COLUMNS]


def current(assessed: pd.DataFrame) -> pd.DataFrame:
    """The ``current`` rows of ``assess`` (one per project), indexed by project_id."""
    if assessed.empty:
        return assessed.set_index("project_id") if "project_id" in assessed else assessed
    return assessed[assessed["current"]].drop_duplicates("project_id", keep="last").set_index("project_id")


def rag_counts(assessed: pd.DataFrame) -> dict[str, int]:
    """{"red", "amber", "green", "unknown"}: projects by overall RAG over the current rows."""
    cur = current(assessed)
    rags = cur["rag"].tolist() if len(cur) else []
    return {
        "red": rags.count("red"),
        "amber": rags.count("amber"),
        "green": rags.count("green"),
        "unknown": sum(1 for r in rags if not r),
    }


def reasons_json(reasons: Iterable[Reason]) -> list[dict[str, object]]:
    """Reasons (or flags) as ``[{"code", "value", "threshold"}]``."""
    return [Reason(*r).as_dict() for r in reasons]


# ------------------------------------------------------------------ heatmap view
def _rag_lower(value: float, green_max: float, red_above: float) -> str:
    if value is None or value != value:
        return ""
    if value <= green_max:
        return "green"
    if value > red_above:
        return "red"
    return "amber"


def rag_rules(settings: Settings | None = None, *, quality_green: float = 85.0) -> dict[str, Callable[[object], str]]:
    """{indicator: value -> "green"/"amber"/"red"/""}: the cell colours of ``health_matrix``
    (also usable as ``ui.table(..., rag=rag_rules(s))``). Only the engine's ``rag`` column is
    the project's overall colour; quality and open high risks colour their own cells only."""
    s = settings or Settings()
    qs = s.with_(green_at=quality_green, red_below=s.quality_min)
    return {
        "cpi": s.rag,
        "spi": s.rag,
        "spi_t": s.rag,
        "quality_score": qs.rag,
        "risk_exposure_pct": lambda v: _rag_lower(v, s.exposure_green, s.exposure_red),  # type: ignore[arg-type]
        "open_high_risks": lambda v: _rag_lower(v, 0, s.high_risks_red - 1),  # type: ignore[arg-type]
    }


def health_matrix(
    assessed: pd.DataFrame,
    metrics: pd.DataFrame,
    *,
    risks: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
    settings: Settings | None = None,
    sort: str = "worst",
) -> pd.DataFrame:
    """One row per project (its current row in ``assessed``): project_id, name, ``rag`` (the
    engine's overall), ``flags``, then each of ``INDICATORS`` and ``<indicator>_rag`` (the
    cell colours of ``rag_rules``). ``sort="worst"``: overall RAG red first, then the lowest
    of CPI/SPI/SPI(t); ``sort=<indicator>``: that indicator's worst values first."""
    s = settings or Settings()
    cur = current(assessed)
    cols = ["project_id", "name", "rag", "flags"]
    for c in INDICATORS:
        cols += [c, f"{c}_rag"]
    if cur.empty:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame({"project_id": cur.index.astype(str)})
    names: dict[str, object] = {}
    if projects is not None and len(projects) and "name" in projects:
        names = dict(zip(projects["project_id"].astype(str), projects["name"], strict=False))
    out["name"] = out["project_id"].map(names).astype(object)
    out["rag"] = cur["rag"].to_numpy()
    out["flags"] = cur["flags"].to_numpy()
    dates = pd.to_datetime(cur["status_date"]).astype("datetime64[ns]").to_numpy()
    have = [c for c in ("cpi", "spi", "spi_t") if c in metrics.columns]
    m = metrics[["project_id", "status_date", *have]].assign(
        project_id=metrics["project_id"].astype(str),
        status_date=pd.to_datetime(metrics["status_date"]).astype("datetime64[ns]"),
    )
    m = m.drop_duplicates(["project_id", "status_date"], keep="last")
    keyed = pd.DataFrame({"project_id": out["project_id"], "status_date": dates}).merge(
        m, on=["project_id", "status_date"], how="left"
    )
    for c in ("cpi", "spi", "spi_t"):
        out[c] = pd.to_numeric(keyed[c], errors="coerce").astype(float).to_numpy() if c in keyed else np.nan
    out["quality_score"] = cur["quality_score"].to_numpy(float)
    out["risk_exposure_pct"] = cur["risk_exposure_pct"].to_numpy(float)
    ex = exposure_per_date(risks, projects)
    out["open_high_risks"] = _asof_join(
        pd.DataFrame({"project_id": out["project_id"], "status_date": dates}), ex, ["open_high_risks"]
    )["open_high_risks"].to_numpy(float)
    rules = rag_rules(s)
    for c in INDICATORS:
        out[f"{c}_rag"] = [rules[c](v) for v in out[c].tolist()]
    return sort_matrix(out[cols], sort)


def sort_matrix(matrix: pd.DataFrame, by: str = "worst") -> pd.DataFrame:
    """Rows worst first: by the overall RAG (``by="worst"``), or by one indicator (its worst
    values first; missing last)."""
    if matrix.empty:
        return matrix.reset_index(drop=True)
    if by == "worst":
        key = matrix.assign(
            _r=matrix["rag"].map(RAG_ORDER).fillna(3), _i=matrix[["cpi", "spi", "spi_t"]].min(axis=1, skipna=True)
        )
        key = key.sort_values(["_r", "_i", "project_id"], na_position="last", kind="stable")
        return matrix.loc[key.index].reset_index(drop=True)
    if by not in HIGHER_IS_BETTER:
        raise ValueError(f"unknown indicator {by!r}; one of {', '.join(INDICATORS)} or 'worst'")
    return matrix.sort_values(
        [by, "project_id"], ascending=[HIGHER_IS_BETTER[by], True], na_position="last", kind="stable"
    ).reset_index(drop=True)


def assess_tables(
    metrics: pd.DataFrame,
    tasks: pd.DataFrame | None = None,
    risks: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
    settings: Settings | None = None,
    *,
    quality: pd.DataFrame | None = None,
    as_of: object = None,
) -> pd.DataFrame:
    """``assess`` from the canonical tables: milestones from ``tasks`` (every status date)
    through ``schedule.milestone_history``. What every surface calls."""
    from .milestones import milestone_history

    s = settings or Settings()
    ms = milestone_history(tasks, s.holidays) if tasks is not None and len(tasks) else None
    return assess(metrics, milestones=ms, risks=risks, projects=projects, quality=quality, settings=s, as_of=as_of)


PARTS = (("cost", "cpi_rag"), ("schedule", "schedule_rag"), ("milestones", "milestones_rag"), ("risk", "exposure_rag"))


def attention_order(assessed: pd.DataFrame) -> list[str]:
    """Project ids of the current rows of ``assess``, worst first: the attention list's order.

    1. overall RAG: red, then amber, then unknown (""), then green;
    2. within a colour, the number of parts (cost, schedule, milestones, risk) at that colour,
       more first (red on three fronts before red on one);
    3. the lowest of CPI and the schedule index (SPI(t), else SPI) first: the thresholds are the
       same for both, so the lower index is the one farther below them (missing last);
    4. the project id."""
    cur = current(assessed)
    if cur.empty:
        return []
    rag = cur["rag"].fillna("").astype(str)
    at_colour = sum((cur[col].fillna("").astype(str) == rag) & (rag != "") for _, col in PARTS)
    low = pd.concat(
        [pd.to_numeric(cur["cpi"], errors="coerce"), pd.to_numeric(cur["schedule_index"], errors="coerce")], axis=1
    ).min(axis=1, skipna=True)
    key = pd.DataFrame(
        {
            "o": rag.map({"red": 0, "amber": 1, "": 2, "green": 3}).fillna(4).to_numpy(),
            "n": -pd.Series(at_colour, index=cur.index).astype(int).to_numpy(),
            "i": low.to_numpy(float),
            "p": cur.index.astype(str),
        }
    )
    key = key.sort_values(["o", "n", "i", "p"], na_position="last", kind="stable")
    return key["p"].tolist()
