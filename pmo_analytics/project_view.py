"""One project's story on one screen (the Project page, ``/project?id=PRJ-104``): the health
engine's RAG and reasons, the KPIs with their currency, the S-curve and index trend, the
milestones and their slips, the critical path, the top risks, what changed since the previous
status date and the manager's notes.

Everything here is the library's existing decisions for one project, gathered, never decided
again: the RAG is ``metrics.health.assess_tables`` (the Portfolio's engine), the KPIs the
``metrics.evm`` row at the latest status date, milestones ``metrics.milestones``, the critical
path ``metrics.cpm``, risks ``metrics.risk``, changes ``metrics.changes``. Words are made at the
edge (``health_text``, ``present``, ``enums``); the page lays this out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from .metrics import changes as changes_mod
from .metrics import cpm as cpm_mod
from .metrics import dcma, evm, fx, health
from .metrics import milestones as ms_mod
from .metrics import risk as risk_mod
from .metrics.columns import flags, texts
from .metrics.health import Reason
from .settings import Settings

KPI_KEYS = ("bac", "pv", "ev", "ac", "eac_cpi", "vac", "cpi", "spi", "spi_t", "tcpi_bac", "forecast_finish")
MONEY_KPIS = ("bac", "pv", "ev", "ac", "eac_cpi", "vac")
INDEX_KPIS = ("cpi", "spi", "spi_t", "tcpi_bac")
# the tiles, four to a row (wide enough for "USD -165.4K" and the Chinese labels at 1440 px)
KPI_ROWS = (("bac", "pv", "ev", "ac"), ("eac_cpi", "vac", "tcpi_bac", "forecast_finish"), ("cpi", "spi", "spi_t"))
# tiles with the change since the previous status date, and those where up is bad (red)
DELTA_KPIS = ("eac_cpi", "vac", "cpi", "spi", "spi_t", "tcpi_bac")
WORSE_UP = ("eac_cpi", "tcpi_bac")
TOP_RISKS = 5
TOP_CRITICAL = 8
TOP_MILESTONES = 8
# table columns, the deciding figure first (the tables sit half a page wide)
RISK_COLUMNS = [
    "risk_id",
    "title",
    "risk_exposure",
    "probability",
    "impact_cost",
    "band",
    "owner",
    "due_date",
    "status",
]
MILESTONE_COLUMNS = ["milestone", "slip_days", "slip_change_days", "forecast_finish", "baseline_finish", "done"]
CRITICAL_COLUMNS = ["task_name", "total_float_days", "early_start", "early_finish", "percent_complete", "task_id"]


@dataclass(frozen=True)
class ProjectStory:
    """What the Project page shows for one project (every frame already one project's)."""

    project_id: str
    name: str
    currency: str
    status: str  # the projects table's status as the file gave it ("Active", "Closed", ...)
    status_date: date | None  # the project's latest status date on or before the as-of date
    rag: str  # "red"/"amber"/"green", "" unknown (metrics.health)
    reasons: tuple[Reason, ...]
    flags: tuple[Reason, ...]
    kpis: dict[str, object]  # KPI_KEYS from the latest metrics row (missing -> None)
    deltas: dict[str, float]  # DELTA_KPIS: latest - previous status date (only where both are known)
    latest: dict[str, object]  # that metrics row (the S-curve's BAC/EAC lines and dates)
    history: pd.DataFrame  # metrics rows, oldest first (index trend)
    curve: pd.DataFrame  # metrics.evm.s_curve_frame of the project
    milestone_counts: dict[str, int]  # total, late, slipped, done (milestones.milestone_kpis)
    milestones: pd.DataFrame  # the milestones, latest slip first (MILESTONE_COLUMNS)
    schedule: dict[str, object]  # tasks, critical, near_critical, finish (cpm.schedule_kpis)
    baseline_finish: date | None  # the project's baseline finish (projects table)
    finish_slip_days: int | None  # CPM forecast finish - baseline finish, calendar days
    critical: pd.DataFrame  # unfinished critical tasks, earliest start first (CRITICAL_COLUMNS)
    risks: pd.DataFrame  # the top open threats by exposure (RISK_COLUMNS)
    changes: changes_mod.ChangeSet | None  # previous status date -> latest; None with one date
    change_counts: dict[str, int] = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        """True when the project has metrics, tasks or risks to tell a story with."""
        return bool(len(self.history) or self.schedule.get("tasks") or len(self.risks) or len(self.milestones))


def _value(v: object) -> object:
    """A plain Python value for a KPI (NaN/NaT -> None; timestamps -> dates)."""
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    try:
        if pd.isna(v):  # type: ignore[call-overload]
            return None
    except (TypeError, ValueError):
        pass
    return v.item() if hasattr(v, "item") else v


def _date(v: object) -> date | None:
    if v is None or v is pd.NaT:
        return None
    ts = pd.to_datetime(v, errors="coerce")
    return None if pd.isna(ts) else ts.date()


def _critical_open(tasks: pd.DataFrame, result: pd.DataFrame) -> pd.DataFrame:
    """Critical tasks not yet finished (no summaries), earliest start first."""
    table = cpm_mod.schedule_table(tasks, result)
    if table.empty:
        return pd.DataFrame(columns=CRITICAL_COLUMNS)
    summaries: set[str] = set()
    if "is_summary" in tasks.columns:
        summaries = {t for t, s in zip(texts(tasks["task_id"]), flags(tasks["is_summary"]), strict=True) if s}
    pct = pd.to_numeric(table.get("percent_complete"), errors="coerce").fillna(0.0)
    keep = table["critical"].astype(bool) & (pct < 1.0) & ~table["task_id"].astype(str).isin(summaries)
    out = table[keep].sort_values(["early_start", "task_id"], kind="stable")
    return out[[c for c in CRITICAL_COLUMNS if c in out.columns]].head(TOP_CRITICAL).reset_index(drop=True)


def project_story(
    project_id: str,
    *,
    projects: pd.DataFrame,
    tasks: pd.DataFrame,
    evm_periods: pd.DataFrame | None = None,
    risks: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    settings: Settings | None = None,
    as_of: object = None,
    calendars: pd.DataFrame | None = None,
) -> ProjectStory:
    """The story of ``project_id`` from its canonical tables.

    ``projects``, ``tasks``, ``evm_periods`` and ``risks`` hold every status date on or before
    the as-of date (history: the trend, milestone slips and changes need it); ``links`` the
    current snapshot. Frames may hold other projects too; only ``project_id`` is read.
    ``as_of`` is the health engine's reference for the ``stale`` flag (default: the project's
    latest status date). ``calendars``: the schedule files' calendars (DCMA float of .mpp/.xer/
    MSPDI tasks in working minutes)."""
    s = settings or Settings()
    pid = str(project_id)

    def own(df: pd.DataFrame | None) -> pd.DataFrame:
        if df is None or df.empty or "project_id" not in df.columns:
            return pd.DataFrame() if df is None else df.iloc[0:0]
        return df[df["project_id"].astype(str) == pid].reset_index(drop=True)

    projects, tasks, periods, risks_h, links = own(projects), own(tasks), own(evm_periods), own(risks), own(links)
    info = projects.sort_values("status_date", kind="stable").iloc[-1] if len(projects) else pd.Series(dtype=object)
    name = str(info.get("name") or "") if len(info) else ""
    status = str(info.get("status") or "") if len(info) else ""
    currency = fx.project_currencies(projects, s.default_currency).get(pid, s.default_currency)

    # ---- earned value and the health engine's decision
    res = evm.analyse(tasks, projects, periods, s) if len(tasks) or len(periods) else None
    history = evm.project_history(res, pid) if res is not None else pd.DataFrame()
    current_tasks = tasks
    if len(tasks):
        last = pd.to_datetime(tasks["status_date"]).max()
        current_tasks = tasks[pd.to_datetime(tasks["status_date"]) == last].reset_index(drop=True)
    quality = None
    if len(current_tasks):
        checks = dcma.dcma(current_tasks, links, None, s, on_error="skip", calendars=own(calendars), projects=projects)
        quality = dcma.quality_score(checks)
    rag = ""
    reasons: tuple[Reason, ...] = ()
    flag_list: tuple[Reason, ...] = ()
    if len(history):
        assessed = health.assess_tables(
            res.metrics if res is not None else history, tasks, risks_h, projects, s, quality=quality, as_of=as_of
        )
        cur = health.current(assessed)
        if pid in cur.index:
            row = cur.loc[pid]
            rag = str(row["rag"] or "")
            reasons = tuple(Reason(*r) for r in row["rag_reasons"])
            flag_list = tuple(Reason(*r) for r in row["flags"])
    latest = {k: _value(v) for k, v in history.iloc[-1].items()} if len(history) else {}
    kpis = {k: latest.get(k) for k in KPI_KEYS}
    deltas: dict[str, float] = {}
    if len(history) > 1:
        before = history.iloc[-2]
        for k in DELTA_KPIS:
            now, then = _value(latest.get(k)), _value(before.get(k))
            if isinstance(now, (int, float)) and isinstance(then, (int, float)):
                deltas[k] = float(now) - float(then)
    curve = evm.s_curve_frame(res, [pid]) if res is not None else pd.DataFrame()

    # ---- milestones
    tracker = ms_mod.milestone_tracker(tasks, s.holidays) if len(tasks) else pd.DataFrame()
    counts = ms_mod.milestone_kpis(tracker)
    milestones = ms_mod.milestone_table(tracker)
    milestones = milestones[[c for c in MILESTONE_COLUMNS if c in milestones.columns]].head(TOP_MILESTONES)

    # ---- critical path (the current plan)
    if len(current_tasks):
        # the files' calendars and project rows (day length, the tool's critical-path options), latest last
        latest_rows = (
            projects.sort_values("status_date", kind="stable") if "status_date" in projects.columns else projects
        )
        result = cpm_mod.cpm(
            current_tasks, links, None, s.holidays, s.near_critical_days, s.cpm_remaining, on_error="skip",
            calendars=own(calendars), projects=latest_rows,
        )  # fmt: skip
        schedule = cpm_mod.schedule_kpis(result, current_tasks)
        critical = _critical_open(current_tasks, result)
    else:
        schedule, critical = cpm_mod.schedule_kpis(pd.DataFrame()), pd.DataFrame(columns=CRITICAL_COLUMNS)
    baseline_finish = _date(info.get("baseline_finish")) if len(info) else None
    finish = schedule.get("finish")
    slip = (finish - baseline_finish).days if isinstance(finish, date) and baseline_finish else None

    # ---- risks at the latest register snapshot
    top = pd.DataFrame(columns=RISK_COLUMNS)
    if len(risks_h):
        last_r = pd.to_datetime(risks_h["status_date"]).max()
        now = risks_h[pd.to_datetime(risks_h["status_date"]) == last_r].reset_index(drop=True)
        enriched = risk_mod.enrich(now, projects.drop_duplicates("project_id", keep="last"))
        picked = risk_mod.top_risks(enriched, TOP_RISKS)
        top = picked[[c for c in RISK_COLUMNS if c in picked.columns]]

    # ---- what changed since the previous status date
    dates = changes_mod.status_dates(tasks, risks_h, projects, project_id=pid)
    cs = None
    if len(dates) >= 2:
        cs = changes_mod.change_history(pid, dates[-2], dates[-1], tasks=tasks, risks=risks_h, projects=projects)
    status_date = _date(latest.get("status_date")) or (dates[-1] if dates else None)
    return ProjectStory(
        project_id=pid,
        name=name,
        currency=currency,
        status=status,
        status_date=status_date,
        rag=rag,
        reasons=reasons,
        flags=flag_list,
        kpis=kpis,
        deltas=deltas,
        latest=latest,
        history=history,
        curve=curve,
        milestone_counts=counts,
        milestones=milestones.reset_index(drop=True),
        schedule=schedule,
        baseline_finish=baseline_finish,
        finish_slip_days=slip,
        critical=critical,
        risks=top.reset_index(drop=True),
        changes=cs,
        change_counts=cs.counts() if cs is not None else {},
    )


def schedule_risk_summary(result) -> dict[str, object] | None:
    """The Project page's schedule-risk line from a ``metrics.schedule_risk.ProjectRisk`` (the
    simulation is the Schedule risk page's cached one, never run again here): P50/P80/P90
    finish dates, the chance of meeting the baseline finish, the CPM and baseline finishes,
    the iterations; None without a result."""
    if result is None:
        return None
    return {
        "p50": result.p50,
        "p80": result.p80,
        "p90": result.p90,
        "prob_on_time": result.prob_on_time,
        "cpm_finish": result.cpm_finish,
        "baseline_finish": result.baseline_finish,
        "iterations": result.iterations,
    }


def choices(projects: pd.DataFrame) -> dict[str, str]:
    """project_id -> "PRJ-104 · E-commerce Checkout Revamp" for the page's project picker, in id
    order (the latest row of each project)."""
    if projects is None or projects.empty:
        return {}
    p = projects.sort_values("status_date", kind="stable") if "status_date" in projects.columns else projects
    p = p.drop_duplicates("project_id", keep="last").sort_values("project_id", kind="stable")
    names = p["name"] if "name" in p.columns else pd.Series("", index=p.index)
    return {
        str(k): f"{k} · {n}" if isinstance(n, str) and n else str(k)
        for k, n in zip(p["project_id"], names, strict=True)
    }


def project_id_of(value: object, known: dict[str, str] | list[str]) -> str | None:
    """The project id asked for in the URL (``?id=``), matched to a known id: exact first, then
    ignoring case and surrounding blanks; None when ``value`` names no known project."""
    if value is None:
        return None
    asked = str(value).strip()
    ids = list(known)
    if asked in ids:
        return asked
    folded = {i.casefold(): i for i in ids}
    return folded.get(asked.casefold())


def recent_notes(notes: pd.DataFrame, status_date: date | None = None, n: int = 3) -> pd.DataFrame:
    """The ``n`` latest managers' notes (``Store.notes`` rows) of status dates on or before
    ``status_date``, newest first; blank notes left out."""
    if notes is None or notes.empty:
        return pd.DataFrame(columns=["status_date", "note", "author"])
    out = notes[notes["note"].fillna("").astype(str).str.strip() != ""]
    if status_date is not None:
        out = out[pd.to_datetime(out["status_date"]) <= pd.Timestamp(status_date)]
    out = out.sort_values(["status_date", "saved_at"], ascending=False, kind="stable")
    return out[["status_date", "note", "author"]].head(n).reset_index(drop=True)
