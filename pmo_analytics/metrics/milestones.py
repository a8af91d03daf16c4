"""Milestone slip on the canonical ``tasks`` table: each milestone's forecast across status
dates (``milestone_history``), the latest picture per milestone (``milestone_tracker``) and the
Milestones page's counts and display frame.

Pure functions: DataFrames in, DataFrames out. Slip is counted in working days on the
Mon-Fri calendar with holidays (``working_time.py``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .columns import column, flags, floats, texts
from .working_time import DayCalendar, to_days

MILESTONE_HISTORY_COLUMNS = [
    "project_id",
    "task_id",
    "name",
    "status_date",
    "baseline_finish",
    "forecast_finish",
    "done",
    "slip_days",
    "slip_change_days",
]


def milestone_history(tasks: pd.DataFrame, holidays: Iterable = ()) -> pd.DataFrame:
    """Each milestone's forecast across status dates (input: tasks of every status date).

    ``forecast_finish`` is the actual finish when there is one, else the planned finish;
    ``slip_days`` = working days from baseline to forecast finish (positive = late, NaN
    without a baseline); ``slip_change_days`` = change since the milestone's previous status
    date. Rows are ordered late milestones first (by their latest slip), then by status date.
    """
    if tasks is None or tasks.empty:
        return pd.DataFrame(columns=MILESTONE_HISTORY_COLUMNS)
    ms = tasks[flags(column(tasks, "is_milestone", False)) & ~flags(column(tasks, "is_summary", False))]
    if ms.empty:
        return pd.DataFrame(columns=MILESTONE_HISTORY_COLUMNS)
    cal = DayCalendar(holidays)
    af = to_days(column(ms, "actual_finish"))
    fin = to_days(column(ms, "finish"))
    forecast = np.where(np.isnat(af), fin, af)
    base = to_days(column(ms, "baseline_finish"))
    sd = to_days(column(ms, "status_date")) if "status_date" in ms.columns else np.full(len(ms), np.datetime64("NaT"))
    pc = floats(column(ms, "percent_complete"))
    out = pd.DataFrame(
        {
            "project_id": texts(ms["project_id"]),
            "task_id": texts(ms["task_id"]),
            "name": texts(column(ms, "name", "")),
            "status_date": sd.astype("datetime64[s]"),
            "baseline_finish": base.astype("datetime64[s]"),
            "forecast_finish": forecast.astype("datetime64[s]"),
            "done": (~np.isnat(af)) | (np.nan_to_num(pc, nan=0.0) >= 1.0),
            "slip_days": cal.diff(base, forecast),
        }
    )
    out = out.sort_values(["project_id", "task_id", "status_date"], kind="stable")
    out["slip_change_days"] = out.groupby(["project_id", "task_id"], sort=False)["slip_days"].diff()
    latest = out.groupby(["project_id", "task_id"], sort=False)["slip_days"].transform("last")
    out["_rank"] = latest.fillna(-math.inf)
    out = out.sort_values(["_rank", "project_id", "task_id", "status_date"], ascending=[False, True, True, True])
    return out.drop(columns="_rank").reset_index(drop=True)[MILESTONE_HISTORY_COLUMNS]


def milestone_tracker(tasks: pd.DataFrame, holidays: Iterable = ()) -> pd.DataFrame:
    """One row per milestone at its latest status date: baseline vs forecast finish, slip in
    working days, how much the slip changed since the previous status date and since the first,
    and how many status dates it was reported on. Late milestones first."""
    hist = milestone_history(tasks, holidays)
    cols = [
        "project_id",
        "task_id",
        "name",
        "status_date",
        "baseline_finish",
        "forecast_finish",
        "done",
        "slip_days",
        "slip_change_days",
        "first_forecast_finish",
        "slip_since_first_days",
        "status_dates",
    ]
    if hist.empty:
        return pd.DataFrame(columns=cols)
    g = hist.sort_values("status_date", kind="stable").groupby(["project_id", "task_id"], sort=False)
    last = g.tail(1).set_index(["project_id", "task_id"])
    first = g.head(1).set_index(["project_id", "task_id"])
    last["first_forecast_finish"] = first["forecast_finish"]
    last["slip_since_first_days"] = last["slip_days"] - first["slip_days"]
    last["status_dates"] = g.size()
    last = last.reset_index()
    last["_rank"] = last["slip_days"].fillna(-math.inf)
    last = last.sort_values(["_rank", "project_id", "task_id"], ascending=[False, True, True])
    return last.drop(columns="_rank").reset_index(drop=True)[cols]


# ----------------------------------------------------------------------------- page helpers


def milestone_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The milestone tracker (or history) for display: ``name`` becomes ``milestone``."""
    if frame is None:
        return pd.DataFrame()
    return frame.rename(columns={"name": "milestone"})


def milestone_kpis(tracker: pd.DataFrame) -> dict:
    """Counts for the milestones page: total, late (slip > 0, not achieved), slipped since the
    previous status date, achieved."""
    if tracker is None or tracker.empty:
        return {"total": 0, "late": 0, "slipped": 0, "done": 0}
    done = tracker["done"].astype(bool)
    return {
        "total": len(tracker),
        "late": int(((tracker["slip_days"].fillna(0) > 0) & ~done).sum()),
        "slipped": int((tracker["slip_change_days"].fillna(0) > 0).sum()),
        "done": int(done.sum()),
    }
