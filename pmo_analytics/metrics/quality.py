"""Quality and acceptance: defects from work items, the deliverables register.

Defects are the canonical ``work_items`` whose ``type`` names a bug (``is_defect``: the word
bug or defect, any case, e.g. "Bug", "Production bug", "DEFECT"; or 缺陷 / 故障). A defect is
open unless its status category is Done (``metrics.agile.normalize_category``: status
category, else status, else a resolved date).

- ``open_by_priority``: open defects per priority at every status date. Each project counts
  with its latest snapshot on or before the date (carried forward, never interpolated), so a
  project that reports less often still counts between its reports.
- ``arrival_closure``: per week (Monday start), defects created (arrivals) and completed
  (closures) and the open count at the end of the week (arrivals so far minus closures so
  far), from each defect's latest snapshot. Defects without a created date are left out of
  all three columns (counted in ``undated``).
- ``open_by_version``: defects per project and fix version (release) in the current
  snapshot: total, open, closed. A missing version is "—".

Deliverables (canonical ``deliverables``): ``deliverable_status`` classifies each row at a
reference date (its status date unless given): accepted (an accepted word in
``acceptance_status``, or an ``accepted_on`` date without a rejected word), rejected,
overdue (not accepted, due before the reference date), due_soon (due within
``soon_days``), open.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..frames import snapshot
from .agile import DONE, normalize_category

DEFECT_RE = re.compile(r"(?<![^\W\d_])(bug|bugs|defect|defects)(?![^\W\d_])|缺陷|故障", re.IGNORECASE)
NO_VALUE = "—"
# Priority words in the order they are shown (most urgent first); others follow alphabetically.
PRIORITY_RANK = {
    "blocker": 0,
    "阻断": 0,
    "highest": 1,
    "critical": 1,
    "urgent": 1,
    "最高": 1,
    "紧急": 1,
    "严重": 1,
    "high": 2,
    "major": 2,
    "高": 2,
    "主要": 2,
    "medium": 3,
    "normal": 3,
    "中": 3,
    "一般": 3,
    "low": 4,
    "minor": 4,
    "低": 4,
    "次要": 4,
    "lowest": 5,
    "trivial": 5,
    "最低": 5,
    "轻微": 5,
}
ACCEPTED_WORDS = frozenset(
    {
        "accepted",
        "approved",
        "signed off",
        "sign-off",
        "signed-off",
        "done",
        "complete",
        "completed",
        "已验收",
        "验收通过",
        "通过",
        "已通过",
        "已签收",
        "已批准",
        "已完成",
    }
)
REJECTED_WORDS = frozenset({"rejected", "failed", "not accepted", "驳回", "已驳回", "拒绝", "不通过", "未通过"})
STATES = ("accepted", "rejected", "overdue", "due_soon", "open")


# ------------------------------------------------------------------ defects
def is_defect(types: pd.Series) -> pd.Series:
    """True where the work item type names a bug or defect (see module doc)."""
    return types.astype(object).map(lambda v: isinstance(v, str) and bool(DEFECT_RE.search(v))).astype(bool)


def priority_key(p: object) -> tuple:
    """Sort key: known priority words by urgency, then others alphabetically, "—" last."""
    s = str(p).strip()
    if not s or s == NO_VALUE or p is None:
        return (9, "")
    return (PRIORITY_RANK.get(s.casefold(), 6), s.casefold())


def defects(work_items: pd.DataFrame | None) -> pd.DataFrame:
    """The defect rows of ``work_items`` (any number of snapshots) with ``priority`` ("—" when
    missing) and ``is_open``."""
    if work_items is None or work_items.empty or "type" not in work_items.columns:
        cols = list(work_items.columns) if work_items is not None else ["project_id", "key"]
        return pd.DataFrame(columns=[*cols, "priority", "is_open"])
    d = work_items[is_defect(work_items["type"])].copy()
    pr = d["priority"] if "priority" in d.columns else pd.Series(None, index=d.index, dtype=object)
    d["priority"] = pr.astype(object).map(lambda v: str(v).strip() if isinstance(v, str) and v.strip() else NO_VALUE)
    d["is_open"] = (normalize_category(d) != DONE).to_numpy(bool) if len(d) else np.array([], dtype=bool)
    return d.reset_index(drop=True)


def open_by_priority(work_items_history: pd.DataFrame | None, dates=None) -> pd.DataFrame:
    """Open defects per priority at each status date (long: status_date, priority, open_defects).

    ``dates``: the status dates to report (default: every status date in the input). Every
    priority seen is listed at every date (0 when none is open)."""
    d = defects(work_items_history)
    cols = ["status_date", "priority", "open_defects"]
    if d.empty or "status_date" not in d.columns:
        return pd.DataFrame(columns=cols)
    if dates is None:
        dates = sorted(pd.to_datetime(work_items_history["status_date"]).dropna().unique())
    prios = sorted(d["priority"].unique(), key=priority_key)
    rows = []
    for day in dates:
        snap = snapshot(d, day)
        counts = snap[snap["is_open"]].groupby("priority").size() if len(snap) else pd.Series(dtype=int)
        for p in prios:
            rows.append({"status_date": pd.Timestamp(day), "priority": p, "open_defects": int(counts.get(p, 0))})
    out = pd.DataFrame(rows, columns=cols)
    out["status_date"] = pd.to_datetime(out["status_date"]).astype("datetime64[s]")
    return out


def priority_table(long: pd.DataFrame) -> pd.DataFrame:
    """``open_by_priority`` as a table: one row per status date, one column per priority, and
    ``total``."""
    if long.empty:
        return pd.DataFrame(columns=["status_date", "total"])
    wide = long.pivot_table(index="status_date", columns="priority", values="open_defects", aggfunc="sum")
    wide = wide[sorted(wide.columns, key=priority_key)].fillna(0).astype("int64")
    wide["total"] = wide.sum(axis=1)
    wide.columns.name = None
    return wide.reset_index()


def _latest_per_item(d: pd.DataFrame) -> pd.DataFrame:
    if "status_date" in d.columns:
        d = d.sort_values("status_date", kind="stable")
    return d.drop_duplicates(["project_id", "key"], keep="last")


def arrival_closure(work_items: pd.DataFrame | None) -> pd.DataFrame:
    """Per week (week = Monday): arrivals (defects created that week), closures (defects
    completed that week: ``resolved``, else the first status date at which it was seen done)
    and open_at_end (arrivals minus closures, cumulated). Column ``undated`` in ``attrs``."""
    cols = ["week", "arrivals", "closures", "open_at_end"]
    d = defects(work_items)
    if d.empty:
        out = pd.DataFrame(columns=cols)
        out.attrs["undated"] = 0
        return out
    d["created"] = pd.to_datetime(d["created"]) if "created" in d.columns else pd.NaT
    d["resolved"] = pd.to_datetime(d["resolved"]) if "resolved" in d.columns else pd.NaT
    sd = pd.to_datetime(d["status_date"]) if "status_date" in d.columns else pd.Series(pd.NaT, index=d.index)
    done = ~d["is_open"]
    first_done = sd.where(done).groupby([d["project_id"], d["key"]]).transform("min")
    d["_closed"] = d["resolved"].where(done).fillna(first_done.where(done))
    last = _latest_per_item(d)
    undated = int(last["created"].isna().sum())
    last = last[last["created"].notna()]
    if last.empty:
        out = pd.DataFrame(columns=cols)
        out.attrs["undated"] = undated
        return out

    def monday(s: pd.Series) -> pd.Series:
        s = pd.to_datetime(s).dt.normalize()
        return s - pd.to_timedelta(s.dt.day_of_week, unit="D")

    arr = monday(last["created"]).value_counts()
    clo = monday(last["_closed"].dropna()).value_counts()
    end = max(arr.index.max(), clo.index.max() if len(clo) else arr.index.max())
    weeks = pd.date_range(arr.index.min(), end, freq="7D")
    out = pd.DataFrame({"week": weeks})
    out["arrivals"] = out["week"].map(arr).fillna(0).astype("int64")
    out["closures"] = out["week"].map(clo).fillna(0).astype("int64")
    out["open_at_end"] = (out["arrivals"].cumsum() - out["closures"].cumsum()).astype("int64")
    out["week"] = out["week"].astype("datetime64[s]")
    out.attrs["undated"] = undated
    return out


def _natural(s: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", s))


def open_by_version(work_items: pd.DataFrame | None) -> pd.DataFrame:
    """Defects per project and fix version in each project's current snapshot: total, open,
    closed (``fix_version`` "—" when missing). Projects, then versions in natural order."""
    cols = ["project_id", "fix_version", "total_defects", "open_defects", "closed_defects"]
    d = defects(work_items)
    if d.empty:
        return pd.DataFrame(columns=cols)
    if "status_date" in d.columns:
        d = snapshot(d, pd.to_datetime(d["status_date"]).max())
    fv = d["fix_version"] if "fix_version" in d.columns else pd.Series(None, index=d.index, dtype=object)
    d["fix_version"] = fv.astype(object).map(lambda v: str(v) if isinstance(v, str) and v.strip() else NO_VALUE)
    d["project_id"] = d["project_id"].astype(str)
    g = d.groupby(["project_id", "fix_version"]).agg(total_defects=("key", "size"), open_defects=("is_open", "sum"))
    g = g.reset_index()
    g["open_defects"] = g["open_defects"].astype("int64")
    g["closed_defects"] = (g["total_defects"] - g["open_defects"]).astype("int64")
    g["_k"] = [(p, v == NO_VALUE, _natural(v)) for p, v in zip(g["project_id"], g["fix_version"], strict=True)]
    return g.sort_values("_k", kind="stable").drop(columns="_k").reset_index(drop=True)[cols]


def defect_kpis(work_items: pd.DataFrame | None) -> dict[str, int]:
    """Counts in the current snapshot: defects, open, open with a high-or-above priority."""
    d = defects(work_items)
    if d.empty:
        return {"defects": 0, "open": 0, "open_high": 0}
    if "status_date" in d.columns:
        d = snapshot(d, pd.to_datetime(d["status_date"]).max())
    high = d["priority"].map(lambda p: priority_key(p)[0] <= 2)
    return {"defects": len(d), "open": int(d["is_open"].sum()), "open_high": int((d["is_open"] & high).sum())}


# ------------------------------------------------------------------ deliverables
def _word(v: object) -> str:
    return v.strip().casefold() if isinstance(v, str) else ""


def deliverable_status(deliverables: pd.DataFrame, as_of: object = None, soon_days: int = 14) -> pd.DataFrame:
    """The register with ``state`` (one of ``STATES``), ``days_overdue`` (overdue rows: days
    past due at the reference date) and ``accepted_late_days`` (accepted rows: accepted_on
    minus due_date, negative = early). Reference date: ``as_of``, else each row's status date."""
    df = deliverables.copy()
    for c in ("due_date", "accepted_on"):
        df[c] = pd.to_datetime(df[c]) if c in df.columns else pd.NaT
    status = df["acceptance_status"] if "acceptance_status" in df.columns else pd.Series(None, index=df.index)
    words = status.map(_word)
    if as_of is not None:
        ref = pd.Series(pd.Timestamp(as_of), index=df.index)
    elif "status_date" in df.columns:
        ref = pd.to_datetime(df["status_date"])
    else:
        ref = pd.Series(pd.NaT, index=df.index)
    rejected = words.isin(REJECTED_WORDS)
    accepted = words.isin(ACCEPTED_WORDS) | (df["accepted_on"].notna() & ~rejected)
    due = df["due_date"]
    overdue = ~accepted & due.notna() & ref.notna() & (due < ref)
    soon = ~accepted & ~overdue & due.notna() & ref.notna() & (due <= ref + pd.Timedelta(days=soon_days))
    df["state"] = np.select(
        [accepted.to_numpy(bool), overdue.to_numpy(bool), rejected.to_numpy(bool), soon.to_numpy(bool)],
        ["accepted", "overdue", "rejected", "due_soon"],
        "open",
    )
    df["days_overdue"] = (ref - due).dt.days.where(overdue).astype("Float64")
    df["accepted_late_days"] = (df["accepted_on"] - due).dt.days.where(accepted).astype("Float64")
    return df


def deliverables_view(status: pd.DataFrame) -> pd.DataFrame:
    """``deliverable_status`` for display: ``name`` shown as ``deliverable``, most urgent first
    (overdue, due soon, rejected, open, accepted). ``state`` stays a code (message ``state.<code>``;
    ``present.deliverables`` translates it)."""
    order = {"overdue": 0, "due_soon": 1, "rejected": 2, "open": 3, "accepted": 4}
    out = status.drop(columns=["import_id"], errors="ignore").rename(columns={"name": "deliverable"})
    out = out.assign(_o=out["state"].map(order)).sort_values(["_o", "project_id", "due_date"], kind="stable")
    return out.drop(columns="_o").reset_index(drop=True)


def deliverables_summary(status: pd.DataFrame) -> pd.DataFrame:
    """Per project: deliverables, accepted, rejected, overdue, due_soon, open,
    acceptance_rate (accepted / deliverables) and on_time_rate (accepted on or before the due
    date / accepted with a due date and an acceptance date; NaN when there are none)."""
    cols = ["project_id", "deliverables", *STATES, "acceptance_rate", "on_time_rate"]
    if status.empty:
        return pd.DataFrame(columns=cols)
    s = status.assign(project_id=status["project_id"].astype(str))
    out = s.groupby("project_id").size().rename("deliverables").to_frame()
    for st in STATES:
        out[st] = s[s["state"] == st].groupby("project_id").size()
    out = out.fillna(0).astype("int64")
    out["acceptance_rate"] = out["accepted"] / out["deliverables"].where(out["deliverables"] > 0)
    late = s["accepted_late_days"].astype(float)
    known = s[late.notna()]
    on_time = known[late[late.notna()] <= 0].groupby("project_id").size()
    n_known = known.groupby("project_id").size()
    out["on_time_rate"] = (on_time.reindex(out.index).fillna(0) / n_known.reindex(out.index)).astype(float)
    return out.reset_index()[cols]


def editor_frame(table_frame: pd.DataFrame | None, columns: list[str], project_id: str | None = None) -> pd.DataFrame:
    """The canonical ``columns`` of a register for ``st.data_editor`` (one project when given),
    sorted by them; an empty frame with those columns when there is nothing."""
    if table_frame is None or table_frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    df = table_frame
    if project_id is not None:
        df = df[df["project_id"].astype(str) == str(project_id)]
    out = df[[c for c in columns if c in df.columns]].copy()
    for c in columns:
        if c not in out.columns:
            out[c] = None
    out = out[columns].sort_values(columns[:2], kind="stable").reset_index(drop=True)
    for c in out.columns:  # dates as datetime.date: what st.column_config.DateColumn edits
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = pd.Series([None if pd.isna(v) else v.date() for v in out[c]], dtype=object)
    return out


def edited_register(edited: pd.DataFrame, project_id: str) -> pd.DataFrame:
    """The rows of a register editor for one project, ready for ``Store.save_edit``: the
    project id set on every row, rows left completely empty dropped."""
    df = edited.copy()
    blank = df.apply(
        lambda r: all(v is None or (isinstance(v, str) and not v.strip()) or pd.isna(v) for v in r), axis=1
    )
    df = df[~blank.astype(bool)] if len(df) else df
    df["project_id"] = str(project_id)
    return df.reset_index(drop=True)


def same_rows(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """True when two editor frames hold the same values (an unchanged editor)."""
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False

    def norm(df: pd.DataFrame) -> list[tuple]:
        return [
            tuple(None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in r)
            for r in df.itertuples(index=False)
        ]

    return norm(a) == norm(b)
