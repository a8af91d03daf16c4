"""Change history between two status dates of a project, derived from the stored snapshots.

Input: canonical ``tasks``, ``risks`` and ``projects`` frames with every status date (the
store's history, one snapshot per project and status date). A project's snapshot "at" a
date is its latest snapshot on or before that date (``snapshot``), as everywhere else.

What changed from snapshot A (earlier) to snapshot B (later):

- tasks added (in B, not in A) and removed (in A, not in B), by task id;
- dates moved: start, finish, baseline start, baseline finish of tasks in both, with the move
  in calendar days (``days`` = after - before, positive = later);
- budget changes (task ``bac`` and the project's BAC) and percent-complete changes (in
  percentage points);
- risks opened (open in B and absent or closed in A: ``how`` = "new" or "reopened") and
  closed (open in A and closed in B, or gone from the register: ``how`` = "closed" or
  "removed"). Open/closed as ``metrics.risk.is_open`` decides it.

``changes_frame`` lays every change out as one long table for export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from ..frames import snapshot
from . import risk as risk_mod
from .columns import column, datetimes, numeric, optional_texts

DATE_FIELDS = ("start", "finish", "baseline_start", "baseline_finish")
SECTIONS = (
    "tasks_added",
    "tasks_removed",
    "dates_moved",
    "budget_changes",
    "progress_changes",
    "risks_opened",
    "risks_closed",
)
LONG_COLUMNS = ["section", "project_id", "item_id", "item", "field", "before", "after", "change"]
_EPS = 1e-9


def status_dates(*frames: pd.DataFrame | None, project_id: str | None = None) -> list[date]:
    """Distinct status dates in the frames (of one project when given), ascending."""
    out: set[date] = set()
    for f in frames:
        if f is None or f.empty or "status_date" not in f.columns:
            continue
        if project_id is not None:
            f = f[f["project_id"].astype(str) == str(project_id)]
        out.update(d.date() for d in pd.to_datetime(f["status_date"]).dropna())
    return sorted(out)


@dataclass
class ChangeSet:
    """Every change of one project from ``date_a`` to ``date_b`` (the snapshots actually used
    are ``snapshot_a`` and ``snapshot_b``: the latest on or before each date)."""

    project_id: str
    date_a: date
    date_b: date
    snapshot_a: date | None
    snapshot_b: date | None
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Rows per section."""
        return {k: len(self.frames.get(k, ())) for k in SECTIONS}


def _snap_date(frames: list[pd.DataFrame]) -> date | None:
    ds = [pd.to_datetime(f["status_date"]).max() for f in frames if f is not None and len(f)]
    ds = [d for d in ds if pd.notna(d)]
    return max(ds).date() if ds else None


def _keyed(df: pd.DataFrame, key: str) -> pd.DataFrame:
    if df is None or df.empty:
        return pd.DataFrame(columns=[key])
    out = df.copy()
    out[key] = optional_texts(out[key])
    return out.drop_duplicates(key, keep="last").set_index(key, drop=False)


def _task_info(df: pd.DataFrame, ids) -> pd.DataFrame:
    cols = [c for c in ("task_id", "wbs", "name", "start", "finish", "bac", "percent_complete") if c in df.columns]
    out = df.loc[list(ids), cols].reset_index(drop=True)
    if "is_milestone" in df.columns:
        out["is_milestone"] = df.loc[list(ids), "is_milestone"].to_numpy()
    return out.rename(columns={"name": "task_name"})


def task_changes(tasks_a: pd.DataFrame, tasks_b: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """tasks_added, tasks_removed, dates_moved, budget_changes (tasks), progress_changes of one
    project between two snapshots of its tasks."""
    a, b = _keyed(tasks_a, "task_id"), _keyed(tasks_b, "task_id")
    ids_a, ids_b = list(a.index), list(b.index)
    set_a, set_b = set(ids_a), set(ids_b)
    added = [i for i in ids_b if i not in set_a]
    removed = [i for i in ids_a if i not in set_b]
    both = [i for i in ids_b if i in set_a]
    out = {
        "tasks_added": _task_info(b, added) if len(b.columns) > 1 else pd.DataFrame(columns=["task_id"]),
        "tasks_removed": _task_info(a, removed) if len(a.columns) > 1 else pd.DataFrame(columns=["task_id"]),
    }
    moved = []
    budget = []
    progress = []
    if both:
        ab, bb = a.loc[both], b.loc[both]
        names = optional_texts(bb["name"]) if "name" in bb.columns else pd.Series(None, index=bb.index)
        for f in DATE_FIELDS:
            da, db = datetimes(ab, f), datetimes(bb, f)
            changed = (da != db) & ~(da.isna() & db.isna())
            for i in changed[changed].index:
                before, after = da[i], db[i]
                days = float((after - before).days) if pd.notna(before) and pd.notna(after) else np.nan
                moved.append(
                    {"task_id": i, "task_name": names[i], "field": f, "before": before, "after": after, "days": days}
                )
        va, vb = numeric(column(ab, "bac")), numeric(column(bb, "bac"))
        ch = ((va - vb).abs() > _EPS) | (va.isna() != vb.isna())
        for i in ch[ch].index:
            budget.append(
                {"task_id": i, "task_name": names[i], "before": va[i], "after": vb[i], "change": vb[i] - va[i]}
            )
        pa, pb = numeric(column(ab, "percent_complete")), numeric(column(bb, "percent_complete"))
        ch = ((pa - pb).abs() > _EPS) | (pa.isna() != pb.isna())
        for i in ch[ch].index:
            progress.append(
                {
                    "task_id": i,
                    "task_name": names[i],
                    "before": pa[i],
                    "after": pb[i],
                    "change_points": (pb[i] - pa[i]) * 100.0,
                }
            )
    out["dates_moved"] = pd.DataFrame(moved, columns=["task_id", "task_name", "field", "before", "after", "days"])
    out["budget_changes"] = pd.DataFrame(budget, columns=["task_id", "task_name", "before", "after", "change"])
    out["progress_changes"] = pd.DataFrame(
        progress, columns=["task_id", "task_name", "before", "after", "change_points"]
    )
    return out


def risk_changes(risks_a: pd.DataFrame, risks_b: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """risks_opened and risks_closed of one project between two snapshots of its register."""
    cols = ["risk_id", "title", "status", "probability", "impact_cost", "risk_exposure", "how"]

    def prep(df: pd.DataFrame) -> pd.DataFrame:
        if df is None or df.empty:
            return pd.DataFrame(columns=["risk_id", "title", "status", "is_open", "risk_exposure"]).set_index(
                "risk_id", drop=False
            )
        e = risk_mod.enrich(df)
        return _keyed(e, "risk_id")

    a, b = prep(risks_a), prep(risks_b)
    opened, closed = [], []
    for i in b.index:
        now_open = bool(b.at[i, "is_open"])
        was = i in a.index
        if now_open and (not was or not bool(a.at[i, "is_open"])):
            opened.append({**{c: b.at[i, c] for c in cols[:-1] if c in b.columns}, "how": "reopened" if was else "new"})
    for i in a.index:
        if not bool(a.at[i, "is_open"]):
            continue
        if i not in b.index:
            closed.append({**{c: a.at[i, c] for c in cols[:-1] if c in a.columns}, "how": "removed"})
        elif not bool(b.at[i, "is_open"]):
            closed.append({**{c: b.at[i, c] for c in cols[:-1] if c in b.columns}, "how": "closed"})
    return {"risks_opened": pd.DataFrame(opened, columns=cols), "risks_closed": pd.DataFrame(closed, columns=cols)}


def change_history(
    project_id: str,
    date_a: object,
    date_b: object,
    *,
    tasks: pd.DataFrame | None = None,
    risks: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
) -> ChangeSet:
    """Every change of ``project_id`` from its snapshot at ``date_a`` to its snapshot at
    ``date_b`` (dates are swapped when given the wrong way round). The project's BAC change
    (projects table) is the first row of ``budget_changes`` with task_id "" when it moved."""
    da, db = pd.Timestamp(date_a), pd.Timestamp(date_b)
    if db < da:
        da, db = db, da
    pid = [str(project_id)]
    ta, tb = snapshot(tasks, da, pid), snapshot(tasks, db, pid)
    ra, rb = snapshot(risks, da, pid), snapshot(risks, db, pid)
    pa, pb = snapshot(projects, da, pid), snapshot(projects, db, pid)
    frames = task_changes(ta, tb)
    frames.update(risk_changes(ra, rb))
    bac_a = float(numeric(column(pa, "bac")).iloc[-1]) if len(pa) else np.nan
    bac_b = float(numeric(column(pb, "bac")).iloc[-1]) if len(pb) else np.nan
    if len(pa) and len(pb) and (abs(bac_a - bac_b) > _EPS or np.isnan(bac_a) != np.isnan(bac_b)):
        row = pd.DataFrame(
            [{"task_id": "", "task_name": "BAC", "before": bac_a, "after": bac_b, "change": bac_b - bac_a}]
        )
        bc = frames["budget_changes"]
        frames["budget_changes"] = row if bc.empty else pd.concat([row, bc], ignore_index=True)
    return ChangeSet(
        str(project_id),
        da.date(),
        db.date(),
        _snap_date([ta, ra, pa]),
        _snap_date([tb, rb, pb]),
        frames,
    )


def section_view(cs: ChangeSet, section: str) -> pd.DataFrame:
    """One section's frame for display (``field`` holds canonical column names; ``present.change_section``
    names them in a language)."""
    return cs.frames.get(section, pd.DataFrame())


def _fmt(v: object, percent: bool = False) -> str | None:
    """A value of the long table as text (its columns mix dates, amounts and words): dates
    YYYY-MM-DD, whole numbers without decimals, others with two, fractions as percent."""
    if v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.strftime("%Y-%m-%d")
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        f = float(v)
        if percent:
            return f"{f:.0%}"
        return f"{f:.0f}" if f == round(f) else f"{f:.2f}"
    return str(v)


def changes_frame(cs: ChangeSet) -> pd.DataFrame:
    """Every change as one long table: section, project_id, item_id, item, field, before,
    after, change (days for dates, amount for budgets, percentage points for progress,
    "new"/"reopened"/"closed"/"removed" for risks), all as text: dates YYYY-MM-DD, progress
    as percent. Sections, fields and the risk words are codes (``present.changes_long``
    translates them)."""
    rows: list[dict] = []
    pid = cs.project_id
    f = cs.frames
    for sec in ("tasks_added", "tasks_removed"):
        for r in f.get(sec, pd.DataFrame()).to_dict("records"):
            rows.append(
                {
                    "section": sec,
                    "item_id": r.get("task_id"),
                    "item": r.get("task_name"),
                    "field": "",
                    "before": _fmt(r.get("finish")) if sec == "tasks_removed" else None,
                    "after": _fmt(r.get("finish")) if sec == "tasks_added" else None,
                    "change": None,
                }
            )
    for r in f.get("dates_moved", pd.DataFrame()).to_dict("records"):
        rows.append(
            {
                "section": "dates_moved",
                "item_id": r["task_id"],
                "item": r["task_name"],
                "field": r["field"],
                "before": _fmt(r["before"]),
                "after": _fmt(r["after"]),
                "change": _fmt(r["days"]),
            }
        )
    for r in f.get("budget_changes", pd.DataFrame()).to_dict("records"):
        rows.append(
            {
                "section": "budget_changes",
                "item_id": r["task_id"],
                "item": r["task_name"],
                "field": "bac",
                "before": _fmt(r["before"]),
                "after": _fmt(r["after"]),
                "change": _fmt(r["change"]),
            }
        )
    for r in f.get("progress_changes", pd.DataFrame()).to_dict("records"):
        rows.append(
            {
                "section": "progress_changes",
                "item_id": r["task_id"],
                "item": r["task_name"],
                "field": "percent_complete",
                "before": _fmt(r["before"], percent=True),
                "after": _fmt(r["after"], percent=True),
                "change": _fmt(r["change_points"]),
            }
        )
    for sec in ("risks_opened", "risks_closed"):
        for r in f.get(sec, pd.DataFrame()).to_dict("records"):
            rows.append(
                {
                    "section": sec,
                    "item_id": r["risk_id"],
                    "item": r.get("title"),
                    "field": "status",
                    "before": _fmt(r.get("status")) if r["how"] == "removed" else None,
                    "after": None if r["how"] == "removed" else _fmt(r.get("status")),
                    "change": r["how"],
                }
            )
    out = pd.DataFrame(rows, columns=[c for c in LONG_COLUMNS if c != "project_id"])
    out.insert(1, "project_id", pid)
    for c in ("item_id", "item", "field", "before", "after", "change"):
        out[c] = out[c].astype(object)
    return out
