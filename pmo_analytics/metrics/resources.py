"""Resource utilisation: person x week, department x week, over-allocation across projects,
capacity vs demand.

Input: canonical ``assignments`` (person, department, project_id, week_start,
planned_hours, actual_hours, capacity_hours). Conventions:

- Weeks are keyed by their Monday (``week_start`` moved back to the Monday of its week) so
  files that start weeks on different days still line up.
- A person's capacity in a week is a property of the person, repeated on each of their
  project rows: it is the **largest** ``capacity_hours`` on that person's rows for the week
  (``capacity_rule="max"``); pass ``capacity_rule="sum"`` when a file splits capacity across
  project rows instead.
- Utilisation = planned_hours / capacity_hours; missing (NaN) when capacity is missing or 0.
  Over-allocated = utilisation above ``threshold`` (1.0 = 100 %).
- Department figures sum hours first, then divide (never an average of ratios). A person's
  department is the one on their latest row that names one.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

OVER = 1.0


def _monday(s: pd.Series) -> pd.Series:
    d = pd.to_datetime(s).dt.normalize()
    return d - pd.to_timedelta(d.dt.day_of_week, unit="D")


def _prepare(assignments: pd.DataFrame) -> pd.DataFrame:
    df = assignments.copy()
    for col in ("department", "project_id", "planned_hours", "actual_hours", "capacity_hours"):
        if col not in df:
            df[col] = None if col in ("department", "project_id") else np.nan
    df["week_start"] = _monday(df["week_start"])
    for col in ("planned_hours", "actual_hours", "capacity_hours"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    # one department per person: the latest row that names one
    dept = df[df["department"].notna()].sort_values("week_start", kind="stable").drop_duplicates("person", keep="last")
    df["department"] = df["person"].map(dept.set_index("person")["department"]).astype(object)
    return df


def person_weeks(assignments: pd.DataFrame, *, capacity_rule: str = "max", threshold: float = OVER) -> pd.DataFrame:
    """Utilisation per person and week.

    Columns: person, department, week_start, planned_hours, actual_hours, capacity_hours,
    utilisation, over (utilisation > threshold), projects (number with planned hours > 0),
    project_hours ("P1 24h, P2 30h")."""
    df = _prepare(assignments)
    cols = [
        "person",
        "department",
        "week_start",
        "planned_hours",
        "actual_hours",
        "capacity_hours",
        "utilisation",
        "over",
        "projects",
        "project_hours",
    ]
    if df.empty:
        return pd.DataFrame(columns=cols)
    if capacity_rule not in ("max", "sum"):
        raise ValueError("capacity_rule must be 'max' or 'sum'")
    keys = ["person", "week_start"]
    grp = df.groupby(keys, sort=True)
    # built-in reductions (no per-group Python): sums stay missing when every value is missing
    g = grp["department"].first().to_frame()
    g["planned_hours"] = grp["planned_hours"].sum(min_count=1)
    g["actual_hours"] = grp["actual_hours"].sum(min_count=1)
    g["capacity_hours"] = (
        grp["capacity_hours"].max() if capacity_rule == "max" else grp["capacity_hours"].sum(min_count=1)
    )
    per_proj = (
        df[df["planned_hours"].fillna(0) > 0]
        .groupby([*keys, "project_id"], dropna=False)["planned_hours"]
        .sum()
        .reset_index()
        .sort_values([*keys, "planned_hours"], ascending=[True, True, False], kind="stable")
    )
    per_proj["label"] = [
        f"{'—' if p is None or p != p else p} {h:g}h"
        for p, h in zip(per_proj["project_id"].astype(object), per_proj["planned_hours"], strict=True)
    ]
    # one pass over integer group codes (rows are in (person, week, hours desc) order) instead
    # of a Python aggregate per group
    codes = per_proj.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    joined: list[list[str]] = [[] for _ in range(int(codes.max()) + 1 if len(codes) else 0)]
    for c, label in zip(codes.tolist(), per_proj["label"].tolist(), strict=True):
        joined[c].append(label)
    lab = pd.DataFrame(
        {"projects": [len(v) for v in joined], "project_hours": [", ".join(v) for v in joined]},
        index=pd.MultiIndex.from_frame(per_proj[keys].drop_duplicates()) if len(per_proj) else g.index[:0],
    )
    g = g.join(lab, how="left").reset_index()
    g["projects"] = g["projects"].fillna(0).astype("int64")
    g["project_hours"] = g["project_hours"].fillna("")
    g["utilisation"] = ratio(g["planned_hours"], g["capacity_hours"])
    g["over"] = (g["utilisation"] > threshold).fillna(False).astype(bool)
    return g[cols]


def ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den, NaN where den is 0 or missing."""
    den = den.astype(float)
    return num.astype(float) / den.where(den > 0)


def department_weeks(pw: pd.DataFrame, *, threshold: float = OVER) -> pd.DataFrame:
    """Utilisation per department and week from ``person_weeks`` (hours summed, then divided).

    Columns: department, week_start, people, planned_hours (everyone's), capacity_hours,
    unknown_capacity_hours (planned hours of people with no capacity that week: they are left
    out of the ratio rather than counted against no capacity), utilisation (planned hours of
    people with a capacity / their capacity), over, people_over."""
    known = pw["capacity_hours"].notna()
    df = pw.assign(
        department=pw["department"].astype(object).where(pw["department"].notna(), "—"),
        _pk=pw["planned_hours"].where(known).fillna(0.0).where(known),
        _pu=pw["planned_hours"].where(~known),
    )
    grp = df.groupby(["department", "week_start"], sort=True)
    g = grp["person"].nunique().rename("people").to_frame()
    for col in ("planned_hours", "_pk", "capacity_hours"):
        g[col] = grp[col].sum(min_count=1)
    g["unknown_capacity_hours"] = grp["_pu"].sum()
    g["people_over"] = grp["over"].sum()
    g = g.reset_index()
    g["utilisation"] = ratio(g["_pk"], g["capacity_hours"])
    g["over"] = (g["utilisation"] > threshold).fillna(False).astype(bool)
    g["people_over"] = g["people_over"].astype("int64")
    return g[
        [
            "department",
            "week_start",
            "people",
            "planned_hours",
            "capacity_hours",
            "unknown_capacity_hours",
            "utilisation",
            "over",
            "people_over",
        ]
    ]


def overallocated(pw: pd.DataFrame, *, min_projects: int = 2) -> pd.DataFrame:
    """People over-allocated in a week while planned on at least ``min_projects`` projects,
    worst first."""
    out = pw[pw["over"] & (pw["projects"] >= min_projects)]
    out = out.assign(excess_hours=out["planned_hours"] - out["capacity_hours"])
    return out.sort_values(["utilisation", "week_start"], ascending=[False, True], kind="stable").reset_index(drop=True)


def capacity_vs_demand(
    assignments: pd.DataFrame,
    *,
    start: date | None = None,
    weeks: int = 12,
    capacity_rule: str = "max",
) -> pd.DataFrame:
    """Capacity and demand per department over the ``weeks`` weeks from ``start``.

    ``start`` defaults to the latest status date in the frame (else its first planned week),
    moved to its Monday. Columns: department, week_start, capacity_hours (missing when no
    one in the department has a row that week), demand_hours (planned; 0 when nothing is
    planned), gap_hours (capacity - demand; negative = short)."""
    pw = person_weeks(assignments, capacity_rule=capacity_rule)
    if start is None:
        sd = pd.to_datetime(assignments["status_date"]).max() if "status_date" in assignments else pd.NaT
        if pd.isna(sd) and "week_start" in assignments:  # no status date: the first planned week
            sd = pd.to_datetime(assignments["week_start"], errors="coerce").min()
        if pd.isna(sd):  # nothing dates the frame (never the computer's today): no weeks
            return pd.DataFrame(columns=["department", "week_start", "capacity_hours", "demand_hours", "gap_hours"])
        start = sd
    s = _monday(pd.Series([pd.Timestamp(start)])).iloc[0]
    grid = pd.date_range(s, periods=weeks, freq="7D")
    depts = sorted(pw["department"].astype(object).where(pw["department"].notna(), "—").unique()) if len(pw) else []
    dw = (
        department_weeks(pw)
        if len(pw)
        else pd.DataFrame(columns=["department", "week_start", "planned_hours", "capacity_hours"])
    )
    idx = pd.MultiIndex.from_product([depts, grid], names=["department", "week_start"])
    out = dw.set_index(["department", "week_start"])[["capacity_hours", "planned_hours"]].reindex(idx).reset_index()
    out = out.rename(columns={"planned_hours": "demand_hours"})
    out["demand_hours"] = out["demand_hours"].fillna(0.0)
    out["gap_hours"] = out["capacity_hours"] - out["demand_hours"]
    return out


def people_on(assignments: pd.DataFrame, project_ids: object = None) -> pd.DataFrame:
    """Every row (all projects) of the people who have a row on one of ``project_ids``, so
    their utilisation counts their whole load; all rows when ``project_ids`` is None."""
    if project_ids is None:
        return assignments
    ids = {str(p) for p in project_ids}
    people = set(assignments.loc[assignments["project_id"].astype(str).isin(ids), "person"])
    return assignments[assignments["person"].isin(people)].reset_index(drop=True)
