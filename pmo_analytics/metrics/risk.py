"""Risk register analytics: 5x5 matrix, exposure (EMV), trend, top risks, overdue responses,
unowned risks, opportunities, risk-adjusted forecast.

Input: canonical ``risks`` frames (one status date or many). Conventions:

- **Threat vs opportunity**: a negative ``impact_cost`` is an opportunity (schema rule);
  anything else (positive, zero or missing cost) is a threat. Threats and opportunities are
  always reported in separate columns, never netted.
- **EMV** (``risk_exposure``) = probability x impact_cost; missing when either is missing
  (such risks are counted as ``unquantified``, not treated as 0).
- **Open**: status not one of ``CLOSED_WORDS`` (missing status = open).
- **Scores**: ``probability_score`` and ``impact_score`` (1-5) are used as given; a missing
  one is derived (``score_source`` says which):

  - probability: <= 10 % -> 1, <= 30 % -> 2, <= 50 % -> 3, <= 70 % -> 4, above -> 5
  - impact: |impact_cost| as a share of the project's BAC (when ``bac`` is known):
    <= 1 % -> 1, <= 5 % -> 2, <= 10 % -> 3, <= 20 % -> 4, above -> 5; without BAC the
    absolute bands ``IMPACT_ABS_BANDS`` (10k, 50k, 100k, 500k in the project currency).

- **Score** (``risk_score``) = probability_score x impact_score (1..25); bands: low <= 4,
  medium 5..11, high >= 12 (``HIGH_SCORE``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

PROB_BANDS = (0.10, 0.30, 0.50, 0.70)
IMPACT_BAC_BANDS = (0.01, 0.05, 0.10, 0.20)
IMPACT_ABS_BANDS = (10_000.0, 50_000.0, 100_000.0, 500_000.0)
MEDIUM_SCORE = 5
HIGH_SCORE = 12

CLOSED_WORDS = frozenset(
    {
        "closed",
        "close",
        "retired",
        "resolved",
        "done",
        "cancelled",
        "canceled",
        "expired",
        "withdrawn",
        "已关闭",
        "关闭",
        "已解决",
        "已完成",
        "完成",
        "已取消",
        "取消",
    }
)


def _band(values: pd.Series, edges: Sequence[float]) -> pd.Series:
    """1..5 for values against 4 upper edges (inclusive); NaN stays missing."""
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    out = np.searchsorted(np.asarray(edges, dtype=float), v, side="left") + 1
    return pd.Series(np.where(np.isnan(v), np.nan, out), index=values.index)


def score_band(score: float) -> str:
    """ "low", "medium" or "high" for a 1..25 risk score ("" when missing)."""
    if score is None or score != score:
        return ""
    return "high" if score >= HIGH_SCORE else "medium" if score >= MEDIUM_SCORE else "low"


def is_open(status: pd.Series) -> pd.Series:
    """True where the status is not a closed word (missing status = open)."""
    s = status.astype(object)
    return ~s.map(lambda v: isinstance(v, str) and v.strip().casefold() in CLOSED_WORDS).astype(bool)


def enrich(
    risks: pd.DataFrame,
    projects: pd.DataFrame | None = None,
    *,
    impact_abs_bands: Sequence[float] = IMPACT_ABS_BANDS,
) -> pd.DataFrame:
    """The register with derived columns: probability_score and impact_score (filled where
    missing), score_source ("given", "derived", "partly derived", "" when neither can be
    known), risk_score, risk_exposure (EMV), kind ("threat"/"opportunity"), is_open, band.

    ``projects`` (project_id, bac) lets impact bands be relative to each project's BAC."""
    df = risks.copy()
    for col in ("probability", "impact_cost", "probability_score", "impact_score", "status", "owner", "category"):
        if col not in df:
            df[col] = np.nan if col in ("probability", "impact_cost") else None
    prob = pd.to_numeric(df["probability"], errors="coerce").astype(float)
    cost = pd.to_numeric(df["impact_cost"], errors="coerce").astype(float)
    given_p = pd.to_numeric(df["probability_score"], errors="coerce").astype(float)
    given_i = pd.to_numeric(df["impact_score"], errors="coerce").astype(float)
    derived_p = _band(prob, PROB_BANDS)
    bac = pd.Series(np.nan, index=df.index)
    if projects is not None and len(projects) and "bac" in projects:
        pb = projects.drop_duplicates("project_id", keep="last").set_index("project_id")["bac"]
        bac = df["project_id"].map(pb).astype(float)
    rel = (cost.abs() / bac.where(bac > 0)).astype(float)
    derived_i = _band(rel, IMPACT_BAC_BANDS).fillna(_band(cost.abs(), impact_abs_bands))
    ps = given_p.fillna(derived_p)
    isc = given_i.fillna(derived_i)
    src = []
    for gp, gi, p, i in zip(given_p.notna(), given_i.notna(), ps.notna(), isc.notna(), strict=True):
        if gp and gi:
            src.append("given")
        elif p and i:
            src.append("derived" if not (gp or gi) else "partly derived")
        else:
            src.append("")
    df["probability_score"] = ps.astype("Int64")
    df["impact_score"] = isc.astype("Int64")
    df["score_source"] = src
    df["risk_score"] = (ps * isc).astype("Int64")
    df["risk_exposure"] = prob * cost
    df["kind"] = np.where(cost < 0, "opportunity", "threat")
    df["is_open"] = is_open(df["status"]).to_numpy()
    df["band"] = [score_band(s) for s in (ps * isc).tolist()]
    return df


def _ensure(risks: pd.DataFrame) -> pd.DataFrame:
    return risks if "risk_exposure" in risks and "kind" in risks else enrich(risks)


def risk_matrix(risks: pd.DataFrame, *, kind: str = "threat", open_only: bool = True) -> pd.DataFrame:
    """All 25 cells of the probability x impact matrix.

    Columns: probability_score, impact_score, score (= product), band, count (risks in the
    cell), exposure (sum of their EMV). ``kind``: "threat", "opportunity" or "all".
    Risks whose scores cannot be known are left out (see ``unscored``)."""
    df = _ensure(risks)
    if kind != "all":
        df = df[df["kind"] == kind]
    if open_only:
        df = df[df["is_open"]]
    df = df[df["probability_score"].notna() & df["impact_score"].notna()]
    g = (
        df.assign(p=df["probability_score"].astype(int), i=df["impact_score"].astype(int))
        .groupby(["p", "i"])
        .agg(count=("risk_id", "size"), exposure=("risk_exposure", lambda s: s.sum(min_count=1)))
    )
    idx = pd.MultiIndex.from_product([range(1, 6), range(1, 6)], names=["p", "i"])
    g = g.reindex(idx).reset_index()
    g["count"] = g["count"].fillna(0).astype("int64")
    g = g.rename(columns={"p": "probability_score", "i": "impact_score"})
    g["score"] = g["probability_score"] * g["impact_score"]
    g["band"] = g["score"].map(score_band)
    return g[["probability_score", "impact_score", "score", "band", "count", "exposure"]]


def unscored(risks: pd.DataFrame) -> pd.DataFrame:
    """Risks that cannot be placed in the matrix (no score and nothing to derive it from)."""
    df = _ensure(risks)
    return df[df["probability_score"].isna() | df["impact_score"].isna()]


def exposure(risks: pd.DataFrame, by: str | Sequence[str] = "project_id", *, open_only: bool = True) -> pd.DataFrame:
    """EMV per group, threats and opportunities apart.

    Columns: the ``by`` columns, threat_emv (sum of threat EMV), opportunity_emv (sum of
    opportunity EMV, negative), threats, opportunities (counts), unquantified (risks without
    probability or cost), high (threats with score >= HIGH_SCORE)."""
    df = _ensure(risks)
    by = [by] if isinstance(by, str) else list(by)
    if open_only:
        df = df[df["is_open"]]
    df = df.assign(
        _t=df["risk_exposure"].where(df["kind"] == "threat"),
        _o=df["risk_exposure"].where(df["kind"] == "opportunity"),
        _nt=(df["kind"] == "threat").astype(int),
        _no=(df["kind"] == "opportunity").astype(int),
        _u=df["risk_exposure"].isna().astype(int),
        _h=((df["kind"] == "threat") & (df["risk_score"].fillna(0) >= HIGH_SCORE)).astype(int),
    )
    for col in by:
        df[col] = df[col].astype(object).where(df[col].notna(), "—")
    g = df.groupby(by, dropna=False).agg(
        threat_emv=("_t", "sum"),
        opportunity_emv=("_o", "sum"),
        threats=("_nt", "sum"),
        opportunities=("_no", "sum"),
        unquantified=("_u", "sum"),
        high=("_h", "sum"),
    )
    return g.reset_index().sort_values("threat_emv", ascending=False, kind="stable").reset_index(drop=True)


def exposure_trend(risks_history: pd.DataFrame, by: str = "project_id", *, open_only: bool = True) -> pd.DataFrame:
    """``exposure`` at every status date: status_date, ``by``, threat_emv, opportunity_emv, ...

    At each date every project counts with its latest register on or before it (a project
    that did not report that day is carried forward, not dropped: totals by category do not
    dip because a project reports less often)."""
    df = _ensure(risks_history)
    parts = []
    sd_all = pd.to_datetime(df["status_date"]) if "status_date" in df else pd.Series(pd.NaT, index=df.index)
    pid = df["project_id"].astype(str)
    for sd in sorted(sd_all.dropna().unique()):
        upto = sd_all <= sd
        last = sd_all.where(upto).groupby(pid).transform("max")
        grp = df[upto & (sd_all == last)]
        e = exposure(grp, by, open_only=open_only)
        e.insert(0, "status_date", sd)
        parts.append(e)
    if not parts:
        return pd.DataFrame(columns=["status_date", by, "threat_emv", "opportunity_emv"])
    return pd.concat(parts, ignore_index=True)


def top_risks(risks: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` open threats with the largest EMV (then score); unquantified ones last."""
    df = _ensure(risks)
    df = df[df["is_open"] & (df["kind"] == "threat")]
    return (
        df.sort_values(["risk_exposure", "risk_score"], ascending=[False, False], na_position="last", kind="stable")
        .head(n)
        .reset_index(drop=True)
    )


def overdue_responses(risks: pd.DataFrame, as_of: object = None) -> pd.DataFrame:
    """Open risks whose response is due before the status date (``as_of`` overrides it).
    Adds ``days_overdue``."""
    df = _ensure(risks)
    ref = (
        pd.Series(pd.Timestamp(as_of), index=df.index)
        if as_of is not None
        else pd.to_datetime(df["status_date"])
        if "status_date" in df
        else pd.Series(pd.NaT, index=df.index)
    )
    due = pd.to_datetime(df["due_date"]) if "due_date" in df else pd.Series(pd.NaT, index=df.index)
    m = df["is_open"] & due.notna() & ref.notna() & (due < ref)
    out = df[m].copy()
    out["days_overdue"] = (ref[m] - due[m]).dt.days.astype("int64")
    return out.sort_values("days_overdue", ascending=False, kind="stable").reset_index(drop=True)


def unowned(risks: pd.DataFrame) -> pd.DataFrame:
    """Open risks without an owner (missing or blank)."""
    df = _ensure(risks)
    owner = df["owner"].astype(object)
    blank = owner.map(lambda v: not isinstance(v, str) or not v.strip())
    return df[df["is_open"] & blank.astype(bool)].reset_index(drop=True)


def opportunities(risks: pd.DataFrame, *, open_only: bool = True) -> pd.DataFrame:
    """Opportunities (negative impact), largest benefit first."""
    df = _ensure(risks)
    df = df[df["kind"] == "opportunity"]
    if open_only:
        df = df[df["is_open"]]
    return df.sort_values("risk_exposure", kind="stable").reset_index(drop=True)


REGISTER_COLUMNS = [
    "project_id",
    "risk_id",
    "title",
    "category",
    "kind",
    "status",
    "probability",
    "impact_cost",
    "probability_score",
    "impact_score",
    "risk_score",
    "band",
    "risk_exposure",
    "owner",
    "response",
    "due_date",
    "score_source",
]


def display(frame: pd.DataFrame) -> pd.DataFrame:
    """The register columns of ``frame`` (plus ``days_overdue`` when present), for tables."""
    return frame[[c for c in (*REGISTER_COLUMNS, "days_overdue") if c in frame]].reset_index(drop=True)


def register_view(risks: pd.DataFrame, cells: Iterable[tuple[int, int]] = ()) -> pd.DataFrame:
    """The register as the Risk page lists it under the heatmap: every risk when no cell is
    selected; with cells selected, the open threats in those cells (the heatmap's population).
    Largest exposure first."""
    df = _ensure(risks)
    cells = list(cells)
    if cells:
        df = filter_by_cells(df[df["is_open"] & (df["kind"] == "threat")], cells)
    cols = [c for c in REGISTER_COLUMNS if c in df]
    return df.sort_values(["risk_exposure", "risk_score"], ascending=False, na_position="last", kind="stable")[
        cols
    ].reset_index(drop=True)


def risk_adjusted_forecast(risks: pd.DataFrame, eac: pd.DataFrame) -> pd.DataFrame:
    """EAC beside EAC plus open risk exposure, per project.

    ``eac``: project_id, eac_cpi (e.g. ``metrics.evm.project_metrics`` rows; with several
    status dates each project's latest row is used). Columns: project_id,
    eac_cpi, threat_emv, opportunity_emv, eac_risk_adjusted (= eac_cpi + open threat EMV;
    opportunities are shown beside it, not subtracted), eac_with_opportunities (= eac_risk_adjusted
    + opportunity EMV, an explicit, separately labelled view)."""
    e = exposure(risks, "project_id")[["project_id", "threat_emv", "opportunity_emv"]]
    if "status_date" in eac and eac["status_date"].notna().any():  # each project's latest row
        eac = eac.sort_values("status_date", kind="stable")
    out = (
        eac[["project_id", "eac_cpi"]].drop_duplicates("project_id", keep="last").merge(e, on="project_id", how="left")
    )
    out[["threat_emv", "opportunity_emv"]] = out[["threat_emv", "opportunity_emv"]].fillna(0.0)
    out["eac_risk_adjusted"] = out["eac_cpi"] + out["threat_emv"]
    out["eac_with_opportunities"] = out["eac_risk_adjusted"] + out["opportunity_emv"]
    return out


# --------------------------------------------------------------------------- selection
def selected_cells(event: object) -> list[tuple[int, int]]:
    """(probability_score, impact_score) cells from a Streamlit plotly selection event (or its
    session-state value). Reads each point's ``customdata`` ([p, i]) and falls back to its
    (y, x). Anything unreadable gives no cells."""
    if event is None:
        return []
    try:
        sel = event["selection"] if "selection" in event else event
        points = sel["points"] if "points" in sel else []
    except (TypeError, KeyError, AttributeError):
        return []
    cells: list[tuple[int, int]] = []
    for pt in points or []:
        try:
            cd = pt.get("customdata") if hasattr(pt, "get") else None
            if cd is not None and len(cd) >= 2:
                p, i = int(cd[0]), int(cd[1])
            else:
                p, i = int(round(float(pt["y"]))), int(round(float(pt["x"])))
        except (TypeError, ValueError, KeyError, IndexError):
            continue
        if 1 <= p <= 5 and 1 <= i <= 5 and (p, i) not in cells:
            cells.append((p, i))
    return cells


def as_cells(value: object) -> list[tuple[int, int]]:
    """A stored list of (probability_score, impact_score) pairs, validated (1..5 each);
    anything else gives no cells."""
    out: list[tuple[int, int]] = []
    try:
        for pair in value or []:
            p, i = int(pair[0]), int(pair[1])
            if 1 <= p <= 5 and 1 <= i <= 5 and (p, i) not in out:
                out.append((p, i))
    except (TypeError, ValueError, IndexError, KeyError):
        return []
    return out


def filter_by_cells(risks: pd.DataFrame, cells: Iterable[tuple[int, int]]) -> pd.DataFrame:
    """Register rows in the given (probability_score, impact_score) cells; all rows when none."""
    df = _ensure(risks)
    cells = list(cells)
    if not cells:
        return df
    key = list(
        zip(
            df["probability_score"].astype("Float64").tolist(),
            df["impact_score"].astype("Float64").tolist(),
            strict=True,
        )
    )
    want = {(float(p), float(i)) for p, i in cells}
    return df[[k in want for k in key]]
