"""Is the slack a schedule file stored a calculation of its own inputs?

MS Project saves the total slack of its last calculation. A file saved with calculation off (or
edited by a tool that does not schedule) can hold slack that contradicts itself, which no schedule
of its tasks, links and calendars reproduces: our CPM will then differ from what the file shows,
and the importer says so (``note.schedule.stale_slack``) instead of leaving it unexplained.

The check reads stored values only. For an automatic, unstarted task without links (nor links on
its summaries), constraint, deadline or leveling delay, MS Project's late finish is the project
finish on that task's calendar: the same for every such task on one working time (not with
"multiple critical paths", where each ends late at its own finish: those projects are skipped).
Each such task's late finish implied by its stored finish plus stored total slack, on its
calendar, is compared: two more than one working day apart name the file's slack stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from .cpm import multiple_critical_paths
from .cpm_minutes import _val
from .working_time import MinuteCalendar, calendar_for_task, calendars_from_frame, moment

__all__ = ["StaleSlack", "stale_slack"]


@dataclass(frozen=True)
class StaleSlack:
    """Two free tasks of one project whose stored slack implies different late finishes."""

    project_id: str
    task_a: str
    task_b: str
    calendar: str
    late_a: str  # "YYYY-MM-DD HH:MM"
    late_b: str

    def text(self) -> str:
        """The evidence in one English line (the benchmark's report)."""
        return (
            f"unlinked tasks {self.task_a} and {self.task_b} on calendar {self.calendar!r}: "
            f"stored late finish {self.late_a} vs {self.late_b}"
        )


def _working_time_key(cal) -> tuple:
    """Calendars with the same working time (weekly periods and exceptions) share a key."""
    parts = getattr(cal, "parts", None)
    if parts:
        return tuple(sorted(_working_time_key(c) for c in parts))
    return (tuple(sorted(cal.week.items())), tuple(sorted(cal.exceptions.items())))


def _free(r: dict, linked: set[str]) -> bool:
    """A task whose late finish can only be the project finish (module doc)."""
    return not (
        bool(_val(r, "is_summary", False))
        or bool(_val(r, "is_manual", False))
        or str(r["task_id"]) in linked
        or str(_val(r, "constraint_type", "ASAP") or "ASAP").upper() != "ASAP"
        or _val(r, "deadline") is not None
        or _val(r, "leveling_delay_minutes")
        or _val(r, "actual_start") is not None
        or float(_val(r, "percent_complete", 0.0) or 0.0) > 0
        or _val(r, "total_float_days") is None
        or str(_val(r, "duration_unit", "d") or "d").startswith("e")
    )


def _fmt(minute: float) -> str:
    return str(pd.Timestamp("1900-01-01") + pd.Timedelta(minutes=round(minute)))[:16]


def stale_slack(tables: Mapping[str, pd.DataFrame | None]) -> list[StaleSlack]:
    """One finding per project of ``tables`` (``tasks``, ``links``, ``projects``, ``calendars``
    as an importer produces them) whose stored slack contradicts itself; empty when it does not,
    or when the file keeps no time columns or stored slack."""
    t = tables.get("tasks")
    if t is None or t.empty or "duration_minutes" not in t.columns or "total_float_days" not in t.columns:
        return []
    projects = tables.get("projects")
    lk = tables.get("links")
    linked: set[str] = set()
    if lk is not None and len(lk):
        linked = set(lk["pred_task_id"].astype(str)) | set(lk["succ_task_id"].astype(str))
    out = []
    for pid, g in t.groupby(t["project_id"].astype(str)):
        prow: dict = {}
        if projects is not None and len(projects):
            rows = projects[projects["project_id"].astype(str) == pid].to_dict("records")
            prow = rows[0] if rows else {}
        if multiple_critical_paths(prow):
            continue
        summaries = set(g.loc[g["is_summary"].fillna(False).astype(bool), "task_id"].astype(str))
        if summaries & linked:
            continue  # links on summaries reach their tasks: no task is sure to be free
        mpd = float(_val(prow, "minutes_per_day", 480.0) or 480.0)
        cals = calendars_from_frame(tables.get("calendars"), mpd)
        default = MinuteCalendar(minutes_per_day=mpd, name="standard")  # as cpm_minutes
        implied: dict[tuple, tuple[MinuteCalendar, list[tuple[float, str]]]] = {}
        for r in g.to_dict("records"):
            if not _free(r, linked):
                continue
            cal = (
                calendar_for_task(cals, _val(r, "calendar_id"))
                or calendar_for_task(cals, str(_val(prow, "calendar_id", "") or ""))
                or default
            )
            fin = moment(_val(r, "finish"), _val(r, "finish_minute"), 1020)
            if fin != fin:
                continue
            lf = cal.add(fin, float(r["total_float_days"]) * mpd)
            implied.setdefault(_working_time_key(cal), (cal, []))[1].append((lf, str(r["task_id"])))
        for cal, lfs in implied.values():
            lo, hi = min(lfs), max(lfs)
            if cal.between(lo[0], hi[0]) > mpd:
                out.append(StaleSlack(pid, lo[1], hi[1], str(cal.name), _fmt(lo[0]), _fmt(hi[0])))
                break
    return out
