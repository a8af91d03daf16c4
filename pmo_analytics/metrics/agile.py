"""Agile burn and flow: sprint calendar, burndown, burnup, velocity, Monte Carlo forecast,
cumulative flow, cost burn.

Inputs are canonical ``work_items`` frames (one or many status dates: each upload is a
snapshot, history = every snapshot), ``evm_periods`` and ``tasks``. Pure functions: frames
in, frames out; nothing here reads the database.

Conventions used throughout:

- **Story points**: a missing estimate counts as 0 points (the item still counts in item
  counts such as the cumulative flow).
- **Done**: ``status_category`` "Done" (Jira's category; also "done", "已完成", ... see
  ``CATEGORY_WORDS``). When the category is missing the status text is mapped the same way;
  when both are missing an item with a ``resolved`` date is done.
  The completion date is ``resolved``; a done item without ``resolved`` is taken as done on
  the first status date at which it was seen done.
- **State at a day** (sprint membership, estimates): the first upload on or after that day
  (after the last upload: the last one; days after the last upload are not known yet).
  A change seen between two uploads is thus dated the day after the earlier upload, the
  earliest date the data allows; this keeps a sprint that started and ended between two
  monthly uploads whole instead of empty. Within an upload an item exists from its
  ``created`` date, so items created mid-sprint show as added scope on that day; with
  several uploads, items taken out of a sprint or re-estimated show as removed/added scope.
  Completion always uses the item's completion date as its latest upload knows it.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from ..frames import snapshot
from ..settings import Settings
from .working_time import calendar_for

TODO, IN_PROGRESS, DONE, UNKNOWN = "To Do", "In Progress", "Done", "Unknown"
CATEGORIES = (TODO, IN_PROGRESS, DONE)

CATEGORY_WORDS: dict[str, str] = {
    # Jira status categories (display names and internal keys), common status names
    "to do": TODO,
    "todo": TODO,
    "new": TODO,
    "open": TODO,
    "backlog": TODO,
    "selected for development": TODO,
    "待办": TODO,
    "待处理": TODO,
    "未开始": TODO,
    "要做": TODO,
    "in progress": IN_PROGRESS,
    "indeterminate": IN_PROGRESS,
    "doing": IN_PROGRESS,
    "in review": IN_PROGRESS,
    "review": IN_PROGRESS,
    "testing": IN_PROGRESS,
    "进行中": IN_PROGRESS,
    "处理中": IN_PROGRESS,
    "done": DONE,
    "complete": DONE,
    "completed": DONE,
    "closed": DONE,
    "resolved": DONE,
    "完成": DONE,
    "已完成": DONE,
    "已解决": DONE,
    "已关闭": DONE,
}

DEFAULT_SPRINT_DAYS = 14
DEFAULT_SEED = 20240101


# --------------------------------------------------------------------------- helpers
def _word(v: object) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    return CATEGORY_WORDS.get(str(v).strip().casefold())


def _sprint_tuple(sprints: object, sprint: object) -> tuple[str, ...]:
    out: list[str] = []
    if sprints is not None and not (isinstance(sprints, float) and np.isnan(sprints)):
        try:
            out = [str(s) for s in sprints if s is not None and str(s).strip()]
        except TypeError:
            out = [str(sprints)]
    if isinstance(sprint, str) and sprint.strip() and sprint not in out:
        out.append(sprint)
    return tuple(out)


def _natural_key(name: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", name))


def normalize_category(items: pd.DataFrame) -> pd.Series:
    """Status category per row, one of To Do / In Progress / Done / Unknown (see module doc)."""
    n = len(items)
    none = pd.Series([None] * n, index=items.index, dtype=object)
    cat = items["status_category"].astype(object) if "status_category" in items else none
    status = items["status"].astype(object) if "status" in items else none
    resolved = items["resolved"] if "resolved" in items else pd.Series(pd.NaT, index=items.index)

    def words(col: pd.Series) -> pd.Series:
        return col.map({u: _word(u) for u in col.dropna().unique()}).astype(object)

    w = words(cat).fillna(words(status))
    fallback = pd.Series(np.where(resolved.notna(), DONE, UNKNOWN), index=items.index, dtype=object)
    return w.fillna(fallback).astype(object)


def prepare_items(items: pd.DataFrame) -> pd.DataFrame:
    """Work items with helper columns: ``_cat`` (category), ``_pts`` (points, 0 when missing),
    ``_sprints`` (tuple of sprint names, ``sprint`` included), ``_sd`` (status date or NaT),
    ``_done_at`` (completion date in that snapshot, NaT when not done), ``_done_final``
    (completion date in the item's latest snapshot)."""
    df = items.copy()
    for col in ("project_id", "key", "created", "resolved", "status_date", "story_points", "fix_version"):
        if col not in df:
            df[col] = pd.NaT if col in ("created", "resolved", "status_date") else None
    df["created"] = pd.to_datetime(df["created"])
    df["resolved"] = pd.to_datetime(df["resolved"])
    df["_sd"] = pd.to_datetime(df["status_date"])
    df["_cat"] = normalize_category(df)
    df["_pts"] = pd.to_numeric(df["story_points"], errors="coerce").fillna(0.0).astype(float)
    sprints = df["sprints"] if "sprints" in df else pd.Series([None] * len(df), index=df.index)
    sprint = df["sprint"] if "sprint" in df else pd.Series([None] * len(df), index=df.index)
    df["_sprints"] = [_sprint_tuple(a, b) for a, b in zip(sprints.tolist(), sprint.tolist(), strict=True)]
    done = df["_cat"].eq(DONE)
    # first status date at which each item was seen done (for done items without `resolved`)
    first_done = df["_sd"].where(done).groupby([df["project_id"], df["key"]], dropna=False).transform("min")
    df["_done_at"] = df["resolved"].where(done, pd.NaT).fillna(first_done.where(done, pd.NaT))
    # completion as the item's latest snapshot knows it (a later upload can date an earlier day)
    last = df.sort_values("_sd", kind="stable").drop_duplicates(["project_id", "key"], keep="last")
    final = last[["project_id", "key", "_done_at"]].rename(columns={"_done_at": "_done_final"})
    df = df.merge(final, on=["project_id", "key"], how="left")
    df["_done_at"] = pd.to_datetime(df["_done_at"])
    df["_done_final"] = pd.to_datetime(df["_done_final"])
    return df


def _snapshot_dates(prep: pd.DataFrame) -> list[pd.Timestamp]:
    return sorted(prep["_sd"].dropna().unique())


_FAR = np.iinfo(np.int64).max


class _Snapshots:
    """Each upload of the items as numpy arrays (created, completion, points, keys) with a
    sprint -> row positions index, so day-by-day series need no frame filtering."""

    def __init__(self, prep: pd.DataFrame) -> None:
        self.dates = _snapshot_dates(prep)
        self.by: dict = {}
        groups = prep[prep["_sd"].notna()].groupby("_sd", sort=True) if self.dates else [(None, prep)]
        for sd, g in groups:
            created = g["created"].to_numpy().astype("datetime64[ns]").astype(np.int64)  # NaT = min: exists
            done = g["_done_final"].to_numpy().astype("datetime64[ns]")
            done = np.where(np.isnat(done), _FAR, done.astype(np.int64))  # not done = never
            members: dict[str, list[int]] = {}
            for pos, t in enumerate(g["_sprints"].tolist()):
                for name in t:
                    members.setdefault(name, []).append(pos)
            self.by[sd] = (
                created,
                done,
                g["_pts"].to_numpy(dtype=float),
                list(zip(g["project_id"].tolist(), g["key"].tolist(), strict=True)),
                {k: np.asarray(v, dtype=np.int64) for k, v in members.items()},
            )

    def at(self, day: pd.Timestamp):
        """The snapshot in force on ``day`` (see the module docstring)."""
        if not self.dates:
            return self.by[None]
        after = [d for d in self.dates if d >= day]
        return self.by[after[0] if after else self.dates[-1]]

    def sprint_rows(self, day: pd.Timestamp, sprint: str, start: pd.Timestamp) -> tuple:
        """(positions, snapshot) of the sprint's members on ``day``: in the sprint, created by
        then, not completed before the sprint started."""
        snap = self.at(day)
        created, done = snap[0], snap[1]
        pos = snap[4].get(sprint, np.empty(0, dtype=np.int64))
        keep = (created[pos] <= day.value) & ~(done[pos] < start.value)
        return pos[keep], snap


def _to_ts(d: object) -> pd.Timestamp:
    return pd.Timestamp(d).normalize()


# --------------------------------------------------------------------------- sprint calendar
def sprint_calendar(
    items: pd.DataFrame, calendar: pd.DataFrame | None = None, *, project_id: str | None = None
) -> pd.DataFrame:
    """Sprint windows per project: project_id, sprint, order, start, end, source.

    Rule when no calendar is given (``source = "derived"``):

    1. Order: an item's ``sprints`` list is chronological (Jira lists the sprints an item was
       carried through in order), so A listed before B means A came before B; sprints not
       related that way are ordered by their end (below), then by name with numbers compared
       as numbers ("Sprint 9" < "Sprint 10").
    2. End = the latest ``resolved`` date of the done items whose *last* sprint is this one
       (they were completed in it).
    3. Start = the day after the previous sprint's end. The first sprint, and any sprint
       without completed items, gets the typical length: the median gap between consecutive
       derived ends (14 days when fewer than two ends are known).
    4. Sprints ordered before the first sprint that has a window (none of their items was
       completed in them: Jira exports no sprint dates, so nothing dates them) are laid back
       to back before it with the typical length: each ends the day before the next starts.
       When no sprint of a project has a window (nothing completed in any sprint and no
       ``calendar``), start and end stay missing (NaT): there is nothing to date them by.

    ``calendar`` (columns sprint, start, end, optional project_id) overrides the derived
    windows of the sprints it names (``source = "calendar"``).
    """
    cols = ["project_id", "sprint", "order", "start", "end", "source"]
    prep = items if "_sprints" in items else prepare_items(items)
    if project_id is not None:
        prep = prep[prep["project_id"] == project_id]
    cal = None
    if calendar is not None and len(calendar):
        cal = calendar.copy()
        cal["start"] = pd.to_datetime(cal["start"]).dt.normalize()
        cal["end"] = pd.to_datetime(cal["end"]).dt.normalize()
        cal["sprint"] = cal["sprint"].astype(str)
    rows = []
    for pid, grp in prep.groupby("project_id", dropna=False, sort=True):
        # membership and completion from the latest snapshot of each item
        latest = grp.sort_values("_sd").drop_duplicates("key", keep="last")
        names: set[str] = set()
        before: dict[str, set[str]] = {}
        for t in set(grp["_sprints"]):
            names.update(t)
            for i, a in enumerate(t):
                for b in t[i + 1 :]:
                    if a != b:
                        before.setdefault(a, set()).add(b)
        if cal is not None:
            sel = (
                cal
                if "project_id" not in cal
                else cal[cal["project_id"].astype(str).eq(str(pid)) | cal["project_id"].isna()]
            )
            names.update(sel["sprint"])
        if not names:
            continue
        ends: dict[str, pd.Timestamp] = {}
        done = latest[latest["_done_at"].notna() & latest["_sprints"].map(bool)]
        for last, sub in done.groupby(done["_sprints"].map(lambda t: t[-1])):
            ends[last] = sub["_done_at"].max().normalize()
        cal_rows: dict[str, tuple[pd.Timestamp, pd.Timestamp]] = {}
        if cal is not None:
            for r in sel.itertuples(index=False):
                cal_rows[r.sprint] = (r.start, r.end)
                ends[r.sprint] = r.end

        def tie(name: str, ends=ends) -> tuple:
            e = ends.get(name)
            return (0 if e is not None else 1, e.value if e is not None else 0, _natural_key(name))

        # topological order with ties broken by (end, natural name)
        indeg = {n: 0 for n in names}
        for bs in before.values():
            for b in bs:
                indeg[b] += 1
        heap = [(tie(n), n) for n, d in indeg.items() if d == 0]
        heapq.heapify(heap)
        order: list[str] = []
        seen: set[str] = set()
        while len(order) < len(names):
            if not heap:  # a cycle: take the earliest remaining by the tie key
                rest = sorted((tie(n), n) for n in names if n not in seen)
                heap = [rest[0]]
            _, n = heapq.heappop(heap)
            if n in seen:
                continue
            seen.add(n)
            order.append(n)
            for b in before.get(n, ()):
                indeg[b] -= 1
                if indeg[b] == 0 and b not in seen:
                    heapq.heappush(heap, (tie(b), b))
        known = [ends[n] for n in order if n in ends and n not in cal_rows]
        gaps = [(b - a).days for a, b in zip(known, known[1:], strict=False) if (b - a).days > 0]
        length = int(np.median(gaps)) if gaps else DEFAULT_SPRINT_DAYS
        prev_end: pd.Timestamp | None = None
        windows: list[list] = []
        for k, n in enumerate(order, start=1):
            if n in cal_rows:
                start, end = cal_rows[n]
                src = "calendar"
            else:
                src = "derived"
                end = ends.get(n)
                start = prev_end + pd.Timedelta(days=1) if prev_end is not None else None
                if start is None and end is not None:
                    start = end - pd.Timedelta(days=length - 1)
                if end is None or (start is not None and end < start):
                    end = start + pd.Timedelta(days=length - 1) if start is not None else None
            prev_end = end if end is not None else prev_end
            windows.append([pid, n, k, start, end, src])
        # rule 4: the undated sprints before the first dated one, back to back before it
        first = next((i for i, w in enumerate(windows) if w[3] is not None and pd.notna(w[3])), None)
        for i in range(first - 1, -1, -1) if first is not None else ():
            if windows[i][5] == "derived":
                windows[i][4] = windows[i + 1][3] - pd.Timedelta(days=1)
                windows[i][3] = windows[i][4] - pd.Timedelta(days=length - 1)
        rows.extend(tuple(w) for w in windows)
    out = pd.DataFrame(rows, columns=cols)
    out["start"] = pd.to_datetime(out["start"])
    out["end"] = pd.to_datetime(out["end"])
    out["order"] = out["order"].astype("int64")
    return out


def _window(cal: pd.DataFrame, sprint: str, project_id: str | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    sel = cal[cal["sprint"] == sprint]
    if project_id is not None:
        sel = sel[sel["project_id"] == project_id]
    if sel.empty or sel["start"].isna().all():
        raise KeyError(f"sprint {sprint!r} is not in the data")
    return sel["start"].min(), sel["end"].max()


# --------------------------------------------------------------------------- burndown / burnup
def sprint_burndown(
    items: pd.DataFrame,
    sprint: str,
    *,
    project_id: str | None = None,
    calendar: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Daily burndown of one sprint.

    Columns: date, scope, completed_points, remaining (= scope - completed_points; NaN after the latest
    status date, which is not known yet), ideal (committed scope falling linearly to 0 on the
    last day, calendar days), added, removed (points that joined / left the sprint that day,
    re-estimates included as added or removed), added_keys, removed_keys.

    Committed scope = points of the items in the sprint on its first day. Items resolved
    before the sprint started are not part of its scope. Windows come from
    ``sprint_calendar`` (derived or from ``calendar``).
    """
    prep = prepare_items(items)
    if project_id is not None:
        prep = prep[prep["project_id"] == project_id]
    cal = sprint_calendar(prep, calendar)
    start, end = _window(cal, sprint, project_id)
    snaps = _Snapshots(prep)
    last_known = snaps.dates[-1] if snaps.dates else None
    days = pd.date_range(start, end, freq="D")
    rows = []
    prev: dict[tuple, float] | None = None
    for d in days:
        sel, (_, done_at, points, keys, _) = snaps.sprint_rows(d, sprint, start)
        pts = {keys[i]: float(points[i]) for i in sel}
        scope = float(points[sel].sum())
        completed = float(points[sel][done_at[sel] <= d.value].sum())
        added = removed = 0.0
        added_keys: list[str] = []
        removed_keys: list[str] = []
        if prev is not None:
            for k, p in pts.items():
                q = prev.get(k)
                if q is None:
                    added += p
                    added_keys.append(str(k[1]))
                elif p > q:
                    added += p - q
                    added_keys.append(f"{k[1]} (+{p - q:g})")
                elif p < q:
                    removed += q - p
                    removed_keys.append(f"{k[1]} (-{q - p:g})")
            for k, q in prev.items():
                if k not in pts:
                    removed += q
                    removed_keys.append(str(k[1]))
        prev = pts
        known = last_known is None or d <= last_known
        rows.append(
            (
                d,
                scope if known else np.nan,
                completed if known else np.nan,
                scope - completed if known else np.nan,
                added,
                removed,
                ", ".join(added_keys),
                ", ".join(removed_keys),
            )
        )
    out = pd.DataFrame(
        rows,
        columns=["date", "scope", "completed_points", "remaining", "added", "removed", "added_keys", "removed_keys"],
    )
    committed = out["scope"].iloc[0] if len(out) else np.nan
    n = len(out)
    out.insert(4, "ideal", [committed * (1 - i / (n - 1)) if n > 1 else 0.0 for i in range(n)])
    return out


def release_burnup(
    items: pd.DataFrame,
    *,
    fix_version: str | None = None,
    project_id: str | None = None,
    freq: str = "W-MON",
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Completed vs total scope over time for a release (``fix_version``; all items when None).

    Columns: date, scope (points of the items that exist on that day), completed_points (points of
    those done by that day), remaining, scope_items, completed_items. Dates: every ``freq``
    step (weekly, Mondays) from the first ``created`` (or ``start``) to the latest status date
    (or ``end``), plus every status date.
    """
    prep = prepare_items(items)
    if project_id is not None:
        prep = prep[prep["project_id"] == project_id]
    if fix_version is not None:
        prep = prep[prep["fix_version"].astype(object).eq(fix_version)]
    cols = ["date", "scope", "completed_points", "remaining", "scope_items", "completed_items"]
    if prep.empty:
        return pd.DataFrame(columns=cols)
    snaps = _Snapshots(prep)
    dates = snaps.dates
    lo = _to_ts(start) if start is not None else prep["created"].min()
    if pd.isna(lo):
        lo = dates[0] if dates else prep["_done_at"].min()
    hi = (
        _to_ts(end) if end is not None else (dates[-1] if dates else max(prep["created"].max(), prep["_done_at"].max()))
    )
    if pd.isna(lo) or pd.isna(hi):
        return pd.DataFrame(columns=cols)
    lo, hi = _to_ts(lo), _to_ts(hi)
    grid = set(pd.date_range(lo, hi, freq=freq)) | {lo, hi} | {d for d in dates if lo <= d <= hi}
    rows = []
    for d in sorted(grid):
        created, done_at, points, _, _ = snaps.at(d)
        exists = created <= d.value
        done = exists & (done_at <= d.value)
        scope, completed = float(points[exists].sum()), float(points[done].sum())
        rows.append((d, scope, completed, scope - completed, int(exists.sum()), int(done.sum())))
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------- velocity and forecast
def velocity(
    items: pd.DataFrame,
    *,
    project_id: str | None = None,
    calendar: pd.DataFrame | None = None,
    window: int = 3,
) -> pd.DataFrame:
    """Committed vs completed points per sprint.

    Columns: project_id, sprint, order, start, end, committed (points in the sprint on its
    first day, as ``sprint_burndown`` counts them), completed_points (points of done items whose last
    sprint is this one, from each item's latest snapshot), scope_end (points in the sprint on
    its last day), closed (the sprint ended before the latest status date), rolling_avg (mean
    completed over the last ``window`` sprints, this one included).

    A sprint without a window (``sprint_calendar`` rule 4: nothing dates it) has start, end,
    committed and scope_end missing and is not closed when there is a status date.
    """
    prep = prepare_items(items)
    if project_id is not None:
        prep = prep[prep["project_id"] == project_id]
    cal = sprint_calendar(prep, calendar)
    cols = [
        "project_id",
        "sprint",
        "order",
        "start",
        "end",
        "committed",
        "completed_points",
        "scope_end",
        "closed",
        "rolling_avg",
    ]
    if cal.empty:
        return pd.DataFrame(columns=cols)
    out = []
    for pid, pcal in cal.groupby("project_id", sort=True, dropna=False):
        pitems = prep[prep["project_id"] == pid] if pid == pid else prep[prep["project_id"].isna()]
        snaps = _Snapshots(pitems)
        last_sd = snaps.dates[-1] if snaps.dates else None
        latest = pitems.sort_values("_sd").drop_duplicates("key", keep="last")
        last_sprint = latest["_sprints"].map(lambda t: t[-1] if t else None)
        pcal = pcal.sort_values("order")
        for r in pcal.itertuples(index=False):
            dated = pd.notna(r.start) and pd.notna(r.end)
            vals = []
            for d in (r.start, r.end):
                if not dated:  # no window: what was in it on which day is not known
                    vals.append(np.nan)
                    continue
                sel, snap = snaps.sprint_rows(d, r.sprint, r.start)
                vals.append(float(snap[2][sel].sum()))
            done = latest["_done_at"].notna() & last_sprint.eq(r.sprint)
            completed = float(latest.loc[done, "_pts"].sum())
            if last_sd is None:
                closed = bool(r.order < pcal["order"].max())
            else:
                closed = bool(dated and r.end < last_sd)
            out.append((pid, r.sprint, r.order, r.start, r.end, vals[0], completed, vals[1], closed))
    df = pd.DataFrame(out, columns=cols[:-1])
    df["rolling_avg"] = df.groupby("project_id", dropna=False)["completed_points"].transform(
        lambda s: s.rolling(window, min_periods=1).mean()
    )
    return df


def forecast_completion(
    velocities: Sequence[float],
    remaining: float,
    start: date,
    *,
    sprint_days: int = DEFAULT_SPRINT_DAYS,
    n_sims: int = 10_000,
    seed: int = DEFAULT_SEED,
    percentiles: Sequence[int] = (50, 85),
    max_sprints: int = 520,
) -> pd.DataFrame:
    """Monte Carlo forecast of when ``remaining`` points are done.

    Each simulation draws past sprint velocities with replacement (numpy ``default_rng(seed)``,
    so the same inputs give the same answer) until the drawn points reach ``remaining``; the
    number of sprints needed is recorded. For each percentile p the answer is the smallest
    sprint count that at least p % of the simulations needed no more than (the inverted CDF),
    so P50 <= P85 always. The date is the last day of that sprint:
    ``start + sprints * sprint_days - 1`` (``start`` = first day of the first future sprint).

    Columns: percentile, sprints_needed, date, probability (share of simulations done by then).
    Sprints and date are missing when there is no positive velocity or the count exceeds
    ``max_sprints``; the date alone is missing when ``start`` is (None/NaT).
    """
    v = np.asarray([x for x in velocities if x is not None and np.isfinite(x)], dtype=float)
    start_ts = _to_ts(start) if start is not None and pd.notna(start) else pd.NaT
    rows = []
    if remaining <= 0:
        return pd.DataFrame(
            [(p, 0, start_ts - pd.Timedelta(days=1), 1.0) for p in percentiles],
            columns=["percentile", "sprints_needed", "date", "probability"],
        )
    if len(v) == 0 or not (v > 0).any():
        return pd.DataFrame(
            [(p, np.nan, pd.NaT, np.nan) for p in percentiles],
            columns=["percentile", "sprints_needed", "date", "probability"],
        )
    rng = np.random.default_rng(seed)
    need = np.full(n_sims, max_sprints + 1, dtype=np.int64)
    total = np.zeros(n_sims)
    active = np.ones(n_sims, dtype=bool)
    for k in range(1, max_sprints + 1):
        total[active] += rng.choice(v, size=int(active.sum()))
        hit = active & (total >= remaining)
        need[hit] = k
        active &= ~hit
        if not active.any():
            break
    for p in percentiles:
        n = int(np.quantile(need, p / 100.0, method="inverted_cdf"))
        if n > max_sprints:
            rows.append((p, np.nan, pd.NaT, np.nan))
        else:
            rows.append((p, n, start_ts + pd.Timedelta(days=n * sprint_days - 1), float((need <= n).mean())))
    return pd.DataFrame(rows, columns=["percentile", "sprints_needed", "date", "probability"])


def backlog_forecast(
    items: pd.DataFrame,
    vel: pd.DataFrame,
    *,
    project_id: str | None = None,
    fix_version: str | None = None,
    seed: int = DEFAULT_SEED,
    n_sims: int = 10_000,
    percentiles: Sequence[int] = (50, 85),
) -> tuple[pd.DataFrame, dict]:
    """Forecast for the remaining backlog of a project (or one release).

    Remaining = points of the items not done in each item's latest snapshot. Velocities =
    ``completed`` of the closed sprints in ``vel`` (from ``velocity``) that have a window.
    The first future sprint is the earliest running sprint (its remaining points are in the
    backlog), else starts the day after the last sprint in ``vel`` ends; sprint length =
    median length of the closed sprints. Sprints without a window (nothing dates them) are
    left out of all of this. With no dated sprint at all the first future sprint starts the
    day after the latest status date (no start, so no dates, when there is none: never the
    computer's today); the velocities are then
    empty and the forecast is missing (NaN/NaT), never an error.
    Returns (``forecast_completion`` frame, inputs dict for display).
    """
    prep = prepare_items(items)
    if project_id is not None:
        prep = prep[prep["project_id"] == project_id]
        vel = vel[vel["project_id"] == project_id]
    if fix_version is not None:
        prep = prep[prep["fix_version"].astype(object).eq(fix_version)]
    latest = prep.sort_values("_sd").drop_duplicates(["project_id", "key"], keep="last")
    remaining = float(latest.loc[latest["_done_at"].isna(), "_pts"].sum())
    if len(vel):
        vel = vel[pd.to_datetime(vel["start"]).notna() & pd.to_datetime(vel["end"]).notna()]
    closed = vel[vel["closed"].astype(bool)] if len(vel) else vel
    lengths = ((closed["end"] - closed["start"]).dt.days + 1).dropna() if len(closed) else pd.Series(dtype=float)
    sprint_days = int(np.median(lengths)) if len(lengths) else DEFAULT_SPRINT_DAYS
    running = vel[~vel["closed"].astype(bool)] if len(vel) else vel
    if len(running):
        start = running["start"].min()
    elif len(vel):
        start = vel["end"].max() + pd.Timedelta(days=1)
    elif prep["_sd"].notna().any():
        start = prep["_sd"].max().normalize() + pd.Timedelta(days=1)
    else:
        start = pd.NaT  # nothing dates the backlog: the forecast dates are missing
    fc = forecast_completion(
        closed["completed_points"].tolist() if len(closed) else [],
        remaining,
        start,
        sprint_days=sprint_days,
        n_sims=n_sims,
        seed=seed,
        percentiles=percentiles,
    )
    info = {
        "remaining": remaining,
        "sprints_used": len(closed),
        "sprint_days": sprint_days,
        "start": start,
        "seed": seed,
        "n_sims": n_sims,
    }
    return fc, info


# --------------------------------------------------------------------------- cumulative flow
def cumulative_flow(items: pd.DataFrame, *, project_id: str | None = None) -> pd.DataFrame:
    """Items and points per status category at every status date (each upload is a point).

    Columns: status_date, status_category (To Do, In Progress, Done, and Unknown when some
    items cannot be classified), items, points. Every category appears at every date (0 when
    empty) so stacked areas do not break.
    """
    prep = prepare_items(items)
    if project_id is not None:
        prep = prep[prep["project_id"] == project_id]
    cols = ["status_date", "status_category", "items", "points"]
    prep = prep[prep["_sd"].notna()]
    if prep.empty:
        return pd.DataFrame(columns=cols)
    g = prep.groupby(["_sd", "_cat"]).agg(items=("key", "size"), points=("_pts", "sum"))
    cats = list(CATEGORIES) + ([UNKNOWN] if (prep["_cat"] == UNKNOWN).any() else [])
    idx = pd.MultiIndex.from_product([sorted(prep["_sd"].unique()), cats], names=["_sd", "_cat"])
    g = g.reindex(idx, fill_value=0).reset_index()
    g.columns = cols
    g["items"] = g["items"].astype("int64")
    g["points"] = g["points"].astype(float)
    return g


# --------------------------------------------------------------------------- cost burn
def _busdays(a: np.ndarray, b: np.ndarray, settings: Settings) -> np.ndarray:
    """Working days in [a, b) (datetime64[D] arrays), per the settings calendar."""
    return calendar_for(settings).count(a, b).astype(float)


def linear_pv(tasks: pd.DataFrame, dates: Sequence, settings: Settings | None = None) -> pd.DataFrame:
    """Cumulative planned value per project at each date, each task's budget spread evenly
    over the working days of its baseline (start..finish inclusive; start/finish when there is
    no baseline). Summary tasks are skipped. Columns: project_id, date, pv."""
    settings = settings or Settings()
    t = tasks
    if "is_summary" in t:
        t = t[~t["is_summary"].fillna(False).astype(bool)]
    bs = (
        pd.to_datetime(t["baseline_start"]).fillna(pd.to_datetime(t["start"]))
        if "baseline_start" in t
        else pd.to_datetime(t["start"])
    )
    bf = (
        pd.to_datetime(t["baseline_finish"]).fillna(pd.to_datetime(t["finish"]))
        if "baseline_finish" in t
        else pd.to_datetime(t["finish"])
    )
    bac = pd.to_numeric(t["bac"], errors="coerce").fillna(0.0).to_numpy()
    ok = bs.notna().to_numpy() & bf.notna().to_numpy()
    dummy = np.datetime64("2000-01-03", "D")
    s = np.where(ok, bs.to_numpy().astype("datetime64[D]"), dummy)
    f = np.where(ok, bf.to_numpy().astype("datetime64[D]"), dummy)
    codes, pids = pd.factorize(t["project_id"])
    total_days = np.where(ok, _busdays(s, f + 1, settings), 0.0)
    rows = []
    for d in dates:
        dd = np.datetime64(pd.Timestamp(d).date(), "D")
        upto = np.maximum(np.minimum(f + 1, dd + 1), s)
        done_days = np.where(ok & (s <= dd), _busdays(s, upto, settings), 0.0)
        safe = np.where(total_days > 0, total_days, 1.0)
        frac = np.where(total_days > 0, done_days / safe, np.where(ok & (f <= dd), 1.0, 0.0))
        sums = np.bincount(codes[codes >= 0], weights=(bac * frac)[codes >= 0], minlength=len(pids))
        rows.extend((pid, pd.Timestamp(dd), float(v)) for pid, v in zip(pids, sums, strict=True))
    return pd.DataFrame(rows, columns=["project_id", "date", "pv"])


def cost_burn(
    *,
    evm_periods: pd.DataFrame | None = None,
    tasks: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
    pv: pd.DataFrame | None = None,
    settings: Settings | None = None,
    freq: str = "W-MON",
    project_id: str | None = None,
) -> pd.DataFrame:
    """Cumulative cost against budget and plan per project (or one ``project_id``) over time.

    Columns: project_id, date, pv, ev, ac, bac, source.

    - ``evm_periods`` (cumulative pv/ev/ac per period end, as finance exports them) are used
      as they are, one point per period end (``source = "evm_periods"``), for the projects
      that have them.
    - Otherwise ``tasks`` history (every status date): AC and EV at each status date are the
      sums of ``actual_cost`` and ``bac * percent_complete`` over non-summary tasks; PV comes
      from ``pv`` (project_id, date, pv) when given, else ``linear_pv`` on a ``freq`` grid
      from the first baseline start to the last baseline finish plus every status date
      (``source = "tasks"``). AC/EV are NaN at grid dates that are not status dates.
    - BAC: ``projects.bac`` when given, else the sum of task budgets, else the last PV.
    """
    settings = settings or Settings()
    cols = ["project_id", "date", "pv", "ev", "ac", "bac", "source"]
    if project_id is not None:
        evm_periods = evm_periods[evm_periods["project_id"] == project_id] if evm_periods is not None else None
        tasks = tasks[tasks["project_id"] == project_id] if tasks is not None else None
    parts = []
    covered: set = set()
    if evm_periods is not None and len(evm_periods):
        e = evm_periods.copy()
        if "status_date" in e and e["status_date"].notna().any():
            last = e.groupby("project_id")["status_date"].transform("max")
            e = e[e["status_date"] == last]
        e = e.rename(columns={"period_end": "date"})
        e["date"] = pd.to_datetime(e["date"])
        e["bac"] = np.nan
        e["source"] = "evm_periods"
        parts.append(e[cols[:-2] + ["bac", "source"]].sort_values(["project_id", "date"]))
        covered = set(e["project_id"])
    if tasks is not None and len(tasks):
        t = tasks[~tasks["project_id"].isin(covered)].copy()
        if len(t):
            leaf = t[~t["is_summary"].fillna(False).astype(bool)] if "is_summary" in t else t
            leaf = leaf.assign(
                _ac=pd.to_numeric(leaf["actual_cost"], errors="coerce"),
                _ev=pd.to_numeric(leaf["bac"], errors="coerce")
                * pd.to_numeric(leaf["percent_complete"], errors="coerce"),
                _bac=pd.to_numeric(leaf["bac"], errors="coerce"),
            )
            sd = pd.to_datetime(leaf["status_date"]) if "status_date" in leaf else pd.Series(pd.NaT, index=leaf.index)
            leaf = leaf.assign(date=sd)
            act = (
                leaf.groupby(["project_id", "date"])
                .agg(
                    ac=("_ac", lambda s: s.sum(min_count=1)),
                    ev=("_ev", lambda s: s.sum(min_count=1)),
                    _bac=("_bac", "sum"),
                )
                .reset_index()
            )
            for pid, grp in leaf.groupby("project_id"):
                latest = grp[grp["date"] == grp["date"].max()]
                status_dates = sorted(grp["date"].dropna().unique())
                if pv is not None and len(pv):
                    p = pv[pv["project_id"] == pid][["project_id", "date", "pv"]].copy()
                    p["date"] = pd.to_datetime(p["date"])
                else:
                    bs = pd.to_datetime(latest.get("baseline_start", latest["start"])).fillna(
                        pd.to_datetime(latest["start"])
                    )
                    bf = pd.to_datetime(latest.get("baseline_finish", latest["finish"])).fillna(
                        pd.to_datetime(latest["finish"])
                    )
                    lo, hi = bs.min(), bf.max()
                    grid = set(pd.date_range(lo, hi, freq=freq)) | {lo, hi} if pd.notna(lo) and pd.notna(hi) else set()
                    grid |= set(status_dates)
                    p = linear_pv(latest, sorted(grid), settings)
                a = act[act["project_id"] == pid]
                m = p.merge(a[["project_id", "date", "ac", "ev"]], on=["project_id", "date"], how="outer")
                m["bac"] = float(latest["_bac"].sum())
                m["source"] = "tasks"
                parts.append(m[cols].sort_values("date"))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    if len(out):
        if projects is not None and len(projects) and "bac" in projects:
            pb = projects.drop_duplicates("project_id", keep="last").set_index("project_id")["bac"]
            out["bac"] = out["project_id"].map(pb).astype(float).fillna(out["bac"])
        last_pv = out.groupby("project_id")["pv"].transform("max")
        out["bac"] = out["bac"].fillna(last_pv)
    return out[cols].reset_index(drop=True)


# --------------------------------------------------------------------------- page helpers
def sprint_choices(
    cal: pd.DataFrame, project_id: str, as_of: object = None, items: pd.DataFrame | None = None
) -> tuple[list[str], int]:
    """(sprint names of a project in order, index of the default one): the last sprint that
    has started by ``as_of`` (default: the project's latest status date in ``items``), else
    the last one. Sprints without a window (``sprint_calendar`` rule 4) are left out: there
    is no day to burn them down over."""
    c = cal[(cal["project_id"] == project_id) & cal["start"].notna() & cal["end"].notna()].sort_values("order")
    names = c["sprint"].tolist()
    if not names:
        return [], 0
    if as_of is None and items is not None and "status_date" in items:
        as_of = items.loc[items["project_id"] == project_id, "status_date"].max()
    if as_of is not None and pd.notna(as_of):
        started = c["start"].notna() & (c["start"] <= pd.Timestamp(as_of))
    else:
        started = c["start"].notna()
    idx = int(np.flatnonzero(started.to_numpy())[-1]) if started.any() else len(names) - 1
    return names, idx


def forecast_days(fc: pd.DataFrame) -> dict[int, str]:
    """{percentile: its date as YYYY-MM-DD, "—" when missing} of a ``forecast_completion`` frame."""
    return {int(r.percentile): f"{r.date:%Y-%m-%d}" if pd.notna(r.date) else "—" for r in fc.itertuples()}


def cacheable(items: pd.DataFrame) -> pd.DataFrame:
    """The items with the ``sprints`` and ``labels`` lists as tuples, so ``st.cache_data`` can
    hash the frame (numpy arrays in cells make it fall back to pickling, with a warning each call)."""
    cols = [c for c in ("sprints", "labels") if c in items]
    if not cols or items.empty:
        return items
    return items.assign(**{c: [_sprint_tuple(v, None) or None for v in items[c].tolist()] for c in cols})


ITEM_COLUMNS = [
    "key",
    "summary",
    "type",
    "status",
    "status_category",
    "story_points",
    "sprint",
    "assignee",
    "labels",
    "due_date",
    "progress",
    "overdue",
    "days_overdue",
]


def work_item_list(items: pd.DataFrame, project_id: str, as_of: object = None) -> pd.DataFrame:
    """The work items of ``project_id`` in its latest snapshot on or before ``as_of`` (None =
    latest), one row each: ``ITEM_COLUMNS`` (``summary`` is the item's title; the risk register
    owns the "title" label) with labels joined by "; ", ``overdue`` (not Done,
    due date before that snapshot's status date) and ``days_overdue``. Overdue items first (most
    days first), then by due date, then by key."""
    if items is None or items.empty or "project_id" not in items or "status_date" not in items:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    df = snapshot(items, as_of if as_of is not None else pd.to_datetime(items["status_date"]).max(), [project_id])
    if df.empty:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    status_date = pd.to_datetime(df["status_date"]).max()
    out = pd.DataFrame(index=df.index)
    for c in ITEM_COLUMNS[:-2]:
        src = "title" if c == "summary" else c
        out[c] = df[src] if src in df else None
    out["status_category"] = normalize_category(df)
    out["labels"] = ["; ".join(_sprint_tuple(v, None)) or None for v in out["labels"].tolist()]
    due = pd.to_datetime(out["due_date"])
    out["due_date"] = due
    late = (out["status_category"] != DONE) & due.notna() & (due < status_date)
    out["overdue"] = late.astype(bool)
    out["days_overdue"] = (status_date - due).dt.days.where(late).astype("Float64")
    out = out.assign(_o=(~late).astype(int), _d=-out["days_overdue"].fillna(0).astype(float))
    out = out.sort_values(["_o", "_d", "due_date", "key"], na_position="last", kind="stable")
    return out.drop(columns=["_o", "_d"]).reset_index(drop=True)[ITEM_COLUMNS]


def versions(items: pd.DataFrame, project_id: str | None = None) -> list[str]:
    """Fix versions present in the items (of one project), sorted naturally."""
    df = items if project_id is None else items[items["project_id"] == project_id]
    if "fix_version" not in df:
        return []
    return sorted({str(v) for v in df["fix_version"].dropna().tolist() if str(v).strip()}, key=_natural_key)


def project_choices(projects: pd.DataFrame | None, *frames: pd.DataFrame) -> dict[str, str]:
    """{project_id: "id · name"} for the projects present in any of ``frames``, sorted by id."""
    ids = sorted({str(p) for f in frames if f is not None and "project_id" in f for p in f["project_id"].dropna()})
    names = {}
    if projects is not None and len(projects) and "name" in projects:
        names = dict(zip(projects["project_id"].astype(str), projects["name"].astype(object), strict=False))
    return {p: f"{p} · {names[p]}" if isinstance(names.get(p), str) and names[p] else p for p in ids}
