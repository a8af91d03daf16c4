"""Lessons learned: the register (search, filters, next id) and closed-project benchmarks.

Register: canonical ``lessons`` rows (project_id, lesson_id, phase, category, what_happened,
recommendation, owner, date). ``search_lessons`` keeps rows in which every word of the query
appears (case-insensitive) in one of the text columns or the project's name.

Benchmarks: a project is closed when its latest ``projects.status`` is a closed word
(``frames.FINISHED_STATUSES``: Closed, Completed, Done, 已关闭, 已完成, 结项 ...); cancelled projects
(``frames.CANCELLED_STATUSES``) are left out, their numbers say nothing about how work finishes. For
each closed project: final CPI and SPI(t) (its latest earned value row, e.g.
``metrics.evm.project_metrics``) and finish slip in calendar days (finish - baseline finish
of its latest projects row; when either is missing, the date all budget was earned minus
the plan finish from the metrics). A live project is compared on its current CPI, SPI(t)
and forecast slip (earned-schedule forecast finish - baseline finish) with the share of
closed projects at or below its value.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..frames import CANCELLED_STATUSES, FINISHED_STATUSES, is_finished

TEXT_COLUMNS = ("lesson_id", "phase", "category", "what_happened", "recommendation", "owner")
CLOSED_WORDS = FINISHED_STATUSES  # the status words are decided in frames.py, for every surface
CANCELLED_WORDS = CANCELLED_STATUSES
BENCH_METRICS = ("final_cpi", "final_spi_t", "finish_slip_days")
OUTCOME_COLUMNS = [
    "project_id",
    "name",
    "status",
    "final_cpi",
    "final_spi_t",
    "finish",
    "baseline_finish",
    "finish_slip_days",
]


def _word(v: object) -> str:
    return v.strip().casefold() if isinstance(v, str) else ""


def _latest(df: pd.DataFrame) -> pd.DataFrame:
    if "status_date" in df.columns:
        df = df.sort_values("status_date", kind="stable")
    return df.assign(project_id=df["project_id"].astype(str)).drop_duplicates("project_id", keep="last")


# ------------------------------------------------------------------ register
def search_lessons(
    lessons: pd.DataFrame,
    text: str = "",
    *,
    project_ids=None,
    phases=None,
    categories=None,
    names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Rows matching every word of ``text`` (in any text column or the project name from
    ``names``) and the chosen projects, phases and categories (empty choice = all)."""
    if lessons is None or lessons.empty:
        return lessons if lessons is not None else pd.DataFrame()
    df = lessons
    keep = pd.Series(True, index=df.index)
    if project_ids:
        keep &= df["project_id"].astype(str).isin({str(p) for p in project_ids})
    for col, chosen in (("phase", phases), ("category", categories)):
        if chosen and col in df.columns:
            keep &= df[col].astype(object).isin(set(chosen))
    words = [w.casefold() for w in re.split(r"\s+", text or "") if w]
    if words:
        hay = pd.Series("", index=df.index)
        for col in TEXT_COLUMNS:
            if col in df.columns:
                hay = hay + " " + df[col].astype(object).map(lambda v: v if isinstance(v, str) else "")
        if names:
            hay = (
                hay
                + " "
                + df["project_id"].astype(str).map(lambda p: names.get(p, ""))
                + " "
                + df["project_id"].astype(str)
            )
        hay = hay.str.casefold()
        for w in words:
            keep &= hay.str.contains(w, regex=False)
    return df[keep].reset_index(drop=True)


def facets(lessons: pd.DataFrame | None) -> dict[str, list[str]]:
    """Distinct phases and categories (sorted) for the filter widgets."""
    out: dict[str, list[str]] = {"phase": [], "category": []}
    if lessons is None or lessons.empty:
        return out
    for col in out:
        if col in lessons.columns:
            out[col] = sorted({v for v in lessons[col].tolist() if isinstance(v, str) and v.strip()})
    return out


def next_lesson_id(lessons: pd.DataFrame | None, project_id: str) -> str:
    """The next free id of the form L-001 for ``project_id`` (one above the highest L-number)."""
    n = 0
    if lessons is not None and len(lessons):
        ids = lessons.loc[lessons["project_id"].astype(str) == str(project_id), "lesson_id"].astype(str)
        for v in ids:
            m = re.fullmatch(r"L-(\d+)", v.strip())
            if m:
                n = max(n, int(m[1]))
    return f"L-{n + 1:03d}"


def with_new_lesson(lessons: pd.DataFrame | None, project_id: str, fields: dict) -> pd.DataFrame:
    """The project's current lessons plus one new lesson (``fields``: phase, category,
    what_happened, recommendation, owner, date; its id is ``next_lesson_id``): the whole
    register of that project, to save as one edit batch."""
    cols = ["project_id", "lesson_id", "phase", "category", "what_happened", "recommendation", "owner", "date"]
    cur = pd.DataFrame(columns=cols)
    if lessons is not None and len(lessons):
        cur = lessons[lessons["project_id"].astype(str) == str(project_id)]
        cur = cur[[c for c in cols if c in cur.columns]]
    row = {c: fields.get(c) for c in cols}
    row["project_id"] = str(project_id)
    row["lesson_id"] = next_lesson_id(lessons, project_id)
    new = pd.DataFrame([row], columns=cols)
    return pd.concat([cur.astype(object), new.astype(object)], ignore_index=True) if len(cur) else new


# ------------------------------------------------------------------ benchmarks
def is_closed(status: pd.Series) -> pd.Series:
    """True where a project status is a closed word (cancelled is not closed)."""
    return status.map(is_finished).astype(bool)


def closed_outcomes(metrics: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """One row per closed project with earned value: final CPI, final SPI(t), finish,
    baseline finish and finish slip in days (see the module doc)."""
    if projects is None or projects.empty or "status" not in projects.columns or metrics is None or metrics.empty:
        return pd.DataFrame(columns=OUTCOME_COLUMNS)
    p = _latest(projects)
    p = p[is_closed(p["status"])]
    m = _latest(metrics)
    out = p.merge(m, on="project_id", how="inner", suffixes=("", "_m"))
    if out.empty:
        return pd.DataFrame(columns=OUTCOME_COLUMNS)
    res = pd.DataFrame({"project_id": out["project_id"].to_numpy()})
    res["name"] = out["name"].to_numpy() if "name" in out.columns else None
    res["status"] = out["status"].to_numpy()
    res["final_cpi"] = pd.to_numeric(out["cpi"], errors="coerce").to_numpy(float)
    res["final_spi_t"] = pd.to_numeric(out["spi_t"], errors="coerce").to_numpy(float)
    fin = pd.to_datetime(out["finish"]) if "finish" in out.columns else pd.Series(pd.NaT, index=out.index)
    base = (
        pd.to_datetime(out["baseline_finish"])
        if "baseline_finish" in out.columns
        else pd.Series(pd.NaT, index=out.index)
    )
    ok = fin.notna() & base.notna()
    comp = pd.to_datetime(out["completed"]) if "completed" in out.columns else pd.Series(pd.NaT, index=out.index)
    plan = pd.to_datetime(out["plan_finish"]) if "plan_finish" in out.columns else pd.Series(pd.NaT, index=out.index)
    res["finish"] = fin.where(ok, comp).to_numpy()
    res["baseline_finish"] = base.where(ok, plan).to_numpy()
    res["finish_slip_days"] = (
        (pd.to_datetime(res["finish"]) - pd.to_datetime(res["baseline_finish"])).dt.days.astype(float).to_numpy()
    )
    for c in ("finish", "baseline_finish"):
        res[c] = pd.to_datetime(res[c]).astype("datetime64[s]")
    return res.sort_values("project_id").reset_index(drop=True)[OUTCOME_COLUMNS]


def live_projects(metrics: pd.DataFrame, outcomes: pd.DataFrame) -> list[str]:
    """Projects with earned value that are not among the closed benchmarks, sorted."""
    if metrics is None or metrics.empty:
        return []
    closed = set(outcomes["project_id"].astype(str)) if outcomes is not None and len(outcomes) else set()
    return sorted(p for p in set(metrics["project_id"].astype(str)) if p not in closed)


STATS_MIN = 2  # closed projects with a value needed before statistics are drawn from them


def benchmark_stats(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per benchmark metric (``stat``: a column name such as ``final_cpi``): n (closed projects
    with a value), min, p25, median, p75, max (linear-interpolated quantiles); the statistics
    are NaN when fewer than ``STATS_MIN`` projects have a value (no quartiles of one point)."""
    rows = []
    for c in BENCH_METRICS:
        v = pd.to_numeric(outcomes[c], errors="coerce").dropna() if c in outcomes.columns else pd.Series(dtype=float)
        enough = len(v) >= STATS_MIN
        q = v.quantile([0.25, 0.5, 0.75]) if enough else pd.Series([np.nan] * 3, index=[0.25, 0.5, 0.75])
        rows.append(
            {
                "stat": c,
                "n": len(v),
                "min": v.min() if enough else np.nan,
                "p25": q[0.25],
                "median": q[0.5],
                "p75": q[0.75],
                "max": v.max() if enough else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["stat", "n", "min", "p25", "median", "p75", "max"])


def live_values(metrics: pd.DataFrame, projects: pd.DataFrame | None, project_id: str) -> dict[str, float]:
    """A live project's current CPI, SPI(t) and forecast slip in days (forecast finish minus
    baseline finish of the projects row, else minus the metrics' plan finish)."""
    out = dict.fromkeys(BENCH_METRICS, float("nan"))
    if metrics is None or metrics.empty:
        return out
    m = _latest(metrics)
    m = m[m["project_id"] == str(project_id)]
    if m.empty:
        return out
    r = m.iloc[0]
    out["final_cpi"] = float(pd.to_numeric(r.get("cpi"), errors="coerce"))
    out["final_spi_t"] = float(pd.to_numeric(r.get("spi_t"), errors="coerce"))
    base = pd.NaT
    if projects is not None and len(projects) and "baseline_finish" in projects.columns:
        p = _latest(projects)
        p = p[p["project_id"] == str(project_id)]
        if len(p):
            base = pd.to_datetime(p["baseline_finish"].iloc[0])
    if pd.isna(base):
        base = pd.to_datetime(r.get("plan_finish"))
    ff = pd.to_datetime(r.get("forecast_finish"))
    if pd.notna(ff) and pd.notna(base):
        out["finish_slip_days"] = float((ff - base).days)
    return out


def live_comparison(live: dict[str, float], outcomes: pd.DataFrame) -> pd.DataFrame:
    """stat, live_value, median of the closed projects, share_at_or_below (share of closed
    projects whose value is at or below the live value); both NaN with fewer than
    ``STATS_MIN`` closed values."""
    stats = benchmark_stats(outcomes).set_index("stat")
    rows = []
    for c in BENCH_METRICS:
        v = pd.to_numeric(outcomes[c], errors="coerce").dropna() if c in outcomes.columns else pd.Series(dtype=float)
        x = live.get(c, float("nan"))
        share = float((v <= x).mean()) if len(v) >= STATS_MIN and np.isfinite(x) else float("nan")
        rows.append({"stat": c, "live_value": x, "median": stats.at[c, "median"], "share_at_or_below": share})
    return pd.DataFrame(rows, columns=["stat", "live_value", "median", "share_at_or_below"])
