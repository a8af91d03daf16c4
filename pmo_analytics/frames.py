"""The one load path: (store, filters, as-of date) -> a typed bundle of filtered frames.

Every surface starts here: the Streamlit pages (through ``ui.frames``/``ui.load``, cached per
data version and filters), every CLI command, the report workbook, the weekly report, changes
and lessons.

- **Snapshots are resolved once, in SQL** (``Store.table``): a table's *current* rows are each
  project's latest status date on or before the as-of date (a later import of an older status
  date never becomes current); its *history* is every snapshot on or before the as-of date.
  Withdrawn imports are left out of both (``Store.withdraw_import``; restoring brings them back).
- **Typed**: every table comes in the schema's dtypes (``schema.typed_frame``); a table with no
  rows is an empty frame with every column, never ``None``.
- **Active and closed**: a project whose status (at the as-of date) is a closed word
  (``is_closed``: closed, cancelled, completed ... and their Chinese forms) is left out of every
  table unless ``include_closed``; how many were left out is ``PortfolioFrames.closed_left_out``.
- Tables without a ``project_id`` column (exchange rates) pass through unfiltered.
- Lazy: a table is read the first time it is asked for, once per bundle.

A metric that needs the portfolio "as of an earlier date" inside the loaded history (the weekly
report's previous status date, the changes between two dates) uses ``snapshot`` below: the
same rule applied to a frame already loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from .schema import TABLES, empty_frame, typed_frame

# Project status words (compared case-insensitively, trimmed), decided here for every surface:
# finished projects, and cancelled ones. Active, on hold, planned ... and anything else run.
FINISHED_STATUSES = frozenset(
    {
        "closed",
        "close",
        "completed",
        "complete",
        "done",
        "finished",
        "archived",
        "已关闭",
        "关闭",
        "已完成",
        "完成",
        "已结项",
        "结项",
        "已收尾",
        "已归档",
        "归档",
    }
)
CANCELLED_STATUSES = frozenset(
    {"cancelled", "canceled", "cancel", "terminated", "abandoned", "已取消", "取消", "终止", "已终止"}
)
CLOSED_STATUSES = FINISHED_STATUSES | CANCELLED_STATUSES


def _word(status: object) -> str:
    return status.strip().casefold() if isinstance(status, str) else ""


def is_finished(status: object) -> bool:
    """True when a project status says the project finished (closed, completed ...; not cancelled)."""
    return _word(status) in FINISHED_STATUSES


def is_closed(status: object) -> bool:
    """True when a project status word says the project is closed or cancelled (English or Chinese):
    left out of current portfolio totals unless closed projects are included."""
    return _word(status) in CLOSED_STATUSES


@dataclass(frozen=True)
class Selection:
    """What the person asked for: selections (empty = all), the as-of date (None = latest) and
    whether closed projects are included. Hashable: part of cache keys."""

    portfolios: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    managers: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    as_of: date | None = None
    include_closed: bool = False

    @property
    def narrows(self) -> bool:
        return bool(self.portfolios or self.programs or self.departments or self.managers or self.projects)


_SELECTION_COLUMNS = (
    ("portfolios", "portfolio"),
    ("programs", "program"),
    ("departments", "department"),
    ("managers", "manager"),
)


@dataclass(frozen=True)
class Scope:
    """A selection resolved against the projects known at the as-of date: the project ids to
    keep (None = every project), the ones to leave out, and which closed projects were left out.
    Hashable: the cache key of every table read."""

    project_ids: tuple[str, ...] | None = None
    exclude_ids: tuple[str, ...] = ()
    as_of: date | None = None
    closed_left_out: tuple[str, ...] = ()
    closed_ids: tuple[str, ...] = field(default=(), compare=False)

    def keeps(self, project_id: object) -> bool:
        pid = str(project_id)
        if self.project_ids is not None and pid not in self.project_ids:
            return False
        return pid not in self.exclude_ids


def resolve(projects: pd.DataFrame, selection: Selection) -> Scope:
    """The ``Scope`` of ``selection`` given the current projects as of its date (one row per
    project): the portfolio/program/department/manager selections and the chosen projects narrow
    together; closed projects among the rest are left out unless ``include_closed``."""
    proj = projects
    for attr, col in _SELECTION_COLUMNS:
        chosen = getattr(selection, attr)
        if chosen:
            proj = proj[proj[col].isin(chosen)] if col in proj.columns else proj.iloc[0:0]
    has_status = "status" in proj.columns and len(proj)
    closed_mask = proj["status"].map(is_closed).astype(bool) if has_status else pd.Series(False, index=proj.index)
    if selection.projects:
        keep = set(selection.projects)
        if any(getattr(selection, a) for a, _ in _SELECTION_COLUMNS):
            keep &= set(proj["project_id"].astype(str))
        closed = {str(p) for p in proj.loc[closed_mask, "project_id"]} & keep
        ids: tuple[str, ...] | None = tuple(sorted(keep))
    elif selection.narrows:
        keep = set(proj["project_id"].astype(str))
        closed = {str(p) for p in proj.loc[closed_mask, "project_id"]}
        ids = tuple(sorted(keep))
    else:
        closed = {str(p) for p in proj.loc[closed_mask, "project_id"]}
        ids = None
    closed_ids = tuple(sorted(closed))
    if selection.include_closed or not closed:
        return Scope(ids, (), selection.as_of, (), closed_ids)
    if ids is None:  # everything but the closed ones: a short NOT IN, not a long IN
        return Scope(None, closed_ids, selection.as_of, closed_ids, closed_ids)
    return Scope(tuple(p for p in ids if p not in closed), (), selection.as_of, closed_ids, closed_ids)


Reader = Callable[[str, bool, Scope], pd.DataFrame]


class PortfolioFrames:
    """The filtered frames of one selection, read lazily and once: ``current(table)`` (each
    project's latest snapshot on or before the as-of date) and ``history(table)`` (every
    snapshot on or before it), in the schema's dtypes, never ``None``."""

    def __init__(self, scope: Scope, reader: Reader, status_date: date | None = None) -> None:
        self.scope = scope
        self._reader = reader
        self._status_date = status_date
        self._cache: dict[tuple[str, bool], pd.DataFrame] = {}

    # ---------------------------------------------------------------- the frames
    def _get(self, table: str, history: bool) -> pd.DataFrame:
        if table not in TABLES:
            raise KeyError(f"unknown table {table!r}")
        key = (table, history)
        if key not in self._cache:
            by_project = "project_id" in TABLES[table].column_names
            if by_project and self.scope.project_ids == ():
                df = empty_frame(table)  # the filters match no project
            else:
                df = typed_frame(table, self._reader(table, history, self.scope))
            self._cache[key] = df
        return self._cache[key]

    def current(self, table: str) -> pd.DataFrame:
        """Each project's rows at its latest status date on or before the as-of date."""
        return self._get(table, False)

    def history(self, table: str) -> pd.DataFrame:
        """Every snapshot of ``table`` on or before the as-of date."""
        return self._get(table, True)

    def tables(self, names: Iterable[str], *, history: bool) -> dict[str, pd.DataFrame]:
        return {n: self._get(n, history) for n in names}

    @property
    def projects(self) -> pd.DataFrame:
        return self.current("projects")

    # ---------------------------------------------------------------- what was chosen
    @property
    def as_of(self) -> date | None:
        """The as-of date asked for (None = latest)."""
        return self.scope.as_of

    @property
    def status_date(self) -> date | None:
        """The status date the frames stand at: the latest status date on or before the as-of
        date of the selected projects (the latest of their current snapshots of projects, tasks,
        EVM periods and risks: the same as the latest in their history)."""
        if self._status_date is None:
            best = None
            for t in ("projects", "tasks", "evm_periods", "risks"):
                h = self.current(t)
                if len(h):
                    m = h["status_date"].max()
                    if pd.notna(m) and (best is None or m > best):
                        best = m
            self._status_date = None if best is None else pd.Timestamp(best).date()
        return self._status_date

    @property
    def project_ids(self) -> tuple[str, ...] | None:
        return self.scope.project_ids

    @property
    def closed_left_out(self) -> tuple[str, ...]:
        """Closed or cancelled projects the filters matched but left out (include_closed off)."""
        return self.scope.closed_left_out

    @property
    def closed_ids(self) -> tuple[str, ...]:
        """Closed or cancelled projects the filters matched (included or not)."""
        return self.scope.closed_ids


def store_reader(store, *, upto_import: int | None = None) -> Reader:
    """The reader of ``load_frames``: one SQL query per table (snapshots resolved in SQL)."""

    def read(table: str, history: bool, scope: Scope) -> pd.DataFrame:
        return store.table(
            table,
            current=not history,
            as_of=scope.as_of,
            projects=list(scope.project_ids) if scope.project_ids is not None else None,
            exclude=list(scope.exclude_ids) or None,
            upto_import=upto_import,
        )

    return read


def load_frames(
    store,
    selection: Selection | None = None,
    *,
    upto_import: int | None = None,
    reader: Reader | None = None,
) -> PortfolioFrames:
    """The frames of ``selection`` (default: every project, latest, closed left out) from
    ``store``: the selection is resolved against the projects current at its as-of date, then
    each table is read when first asked for. ``reader`` replaces the store reads (the UI passes
    a cached one); ``upto_import`` pins the store to the imports up to that number."""
    sel = selection or Selection()
    read = reader or store_reader(store, upto_import=upto_import)
    everyone = typed_frame("projects", read("projects", False, Scope(None, (), sel.as_of)))
    return PortfolioFrames(resolve(everyone, sel), read)


def selection_for(
    projects: Sequence[str] | None = None, as_of: date | None = None, include_closed: bool = False
) -> Selection:
    """The selection of the CLI and scheduled jobs: a list of project ids (None = all)."""
    return Selection(projects=tuple(str(p) for p in projects or ()), as_of=as_of, include_closed=include_closed)


# ------------------------------------------------------------------- as of an earlier date
def snapshot(history: pd.DataFrame | None, as_of: object, project_ids: Iterable[object] | None = None) -> pd.DataFrame:
    """Each project's rows of its latest status date on or before ``as_of`` in a frame already
    loaded (all projects, or those in ``project_ids``); the same rule ``load_frames`` resolves
    in SQL, for a second date inside the loaded history. Empty (same columns) when there is
    nothing that early."""
    if history is None:
        return pd.DataFrame()
    if history.empty or "status_date" not in history.columns or as_of is None:
        return history.iloc[0:0].copy()
    h = history
    if project_ids is not None:
        h = h[h["project_id"].astype(str).isin({str(p) for p in project_ids})]
    when = pd.Timestamp(as_of.date() if isinstance(as_of, datetime) else as_of)
    sd = (
        h["status_date"] if pd.api.types.is_datetime64_any_dtype(h["status_date"]) else pd.to_datetime(h["status_date"])
    )
    h, sd = h[sd <= when], sd[sd <= when]
    if h.empty:
        return h.copy()
    last = sd.groupby(h["project_id"].astype(str)).transform("max")
    return h[sd == last].reset_index(drop=True)


def status_date_of(frame: pd.DataFrame | None) -> date | None:
    """The latest ``status_date`` in ``frame`` as a ``datetime.date`` (None when it has none)."""
    if frame is None or frame.empty or "status_date" not in frame.columns:
        return None
    v = frame["status_date"].max()
    return None if pd.isna(v) else pd.Timestamp(v).date()


def latest(history: pd.DataFrame | None) -> pd.DataFrame:
    """Each project's rows of its latest status date in a loaded history (``snapshot`` at the
    history's last date): the current rows when the history was loaded up to the as-of date."""
    if history is None or history.empty or "status_date" not in history.columns:
        return pd.DataFrame() if history is None else history.iloc[0:0].copy()
    return snapshot(history, history["status_date"].max())


__all__ = [
    "CANCELLED_STATUSES",
    "CLOSED_STATUSES",
    "FINISHED_STATUSES",
    "PortfolioFrames",
    "Scope",
    "Selection",
    "is_closed",
    "is_finished",
    "latest",
    "load_frames",
    "resolve",
    "selection_for",
    "snapshot",
    "status_date_of",
    "store_reader",
]
