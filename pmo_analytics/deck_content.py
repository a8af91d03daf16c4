"""What the weekly deck says, in one language: the week's content (``weekly.Week``: the weekly
report and the frames it was built from) turned into words and numbers, slide by slide.

Nothing is decided here: the RAG, reasons, flags and attention order are the weekly report's
(``metrics.report``, which asks ``metrics.health``: the engine every surface shows), the KPI
values are its key metrics, the milestones its completed / due / slipped lists, the risks its
top open threats, the note the manager's note for the status date; the S-curve is
``metrics.evm.s_curve_frame`` over the same history. Words come from ``health_text`` and the
locales, numbers from ``formatting``. The layout (boxes, fonts, pagination) is
``pmo_analytics.deck``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from . import formatting
from .health_text import rag_word, reasons_text
from .i18n import t
from .metrics import evm
from .metrics.report import INDEX_METRICS, KEY_METRICS, MONEY_METRICS, WeeklyReport
from .portfolio_view import AttentionLine
from .settings import Settings
from .weekly import Week, attention_lines

DECK_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"  # the .pptx file
SLIDE_RAGS = ("red", "amber")  # one slide per project of these colours
TOP_RISKS = 5


@dataclass(frozen=True)
class Table:
    """A table in words: a header row and body rows (every cell text)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Curve:
    """A line chart's data: category dates and named series (None = no point at that date)."""

    dates: tuple[date, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    currency: str | None = None
    plan_first: bool = False  # the first series is the planned line (drawn without markers)


@dataclass(frozen=True)
class ProjectSlide:
    """One red or amber project."""

    project_id: str
    name: str
    rag: str
    title: str  # "● Red · PRJ-101 · Name"
    why: str  # the reasons in words
    flags: str  # the flags in words ("" when none)
    kpis: Table
    curve: Curve | None
    milestones: Table
    risks: Table
    note: str


@dataclass(frozen=True)
class DeckContent:
    """Every slide's words and numbers, in ``lang``."""

    lang: str
    status_date: date
    title: str
    subtitle: tuple[str, ...]  # scope, status date, compared with, currency
    summary_line: str  # "Overall: Red — Why: ..."
    counts: tuple[tuple[str, str, int], ...]  # (rag code, label, n): red, amber, green, unknown
    kpis: Table
    attention: tuple[AttentionLine, ...]
    greens: int
    projects: tuple[ProjectSlide, ...]
    ms_chart: Curve  # categories: project ids as text in ``ms_projects``; series completed/due/slipped
    ms_projects: tuple[str, ...]
    ms_table: Table
    p80: dict[str, date] = field(default_factory=dict)  # schedule-risk P80 finish per project


def _num(v: object) -> float | None:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def _text(v: object) -> str:
    """A value from data as plain text ("" for missing)."""
    if v is None:
        return ""
    try:
        if pd.isna(v):  # type: ignore[call-overload]
            return ""
    except (TypeError, ValueError):
        pass
    return str(v)


def kpi_table(metrics: pd.DataFrame, lang: str, currency: str | None) -> Table:
    """Key metrics (long frame: metric, current, delta[, currency]) as rows of (metric, value,
    change): indices with two decimals, amounts in ``currency`` (the row's own when given)."""
    rows = []
    by = metrics.set_index("metric") if len(metrics) else pd.DataFrame()
    for m in KEY_METRICS:
        if m not in by.index:
            continue
        r = by.loc[m]
        if m in INDEX_METRICS:
            value, change = formatting.index(r["current"]), formatting.index(r["delta"], signed=True)
        else:
            ccy = _text(r.get("currency")) or currency
            value = formatting.money(r["current"], ccy, lang)
            change = formatting.money(r["delta"], ccy, lang, signed=True)
        rows.append((t(f"metric.{m}", lang), value, change))
    return Table((t("deck.col.metric", lang), t("deck.col.value", lang), t("deck.col.change", lang)), tuple(rows))


def s_curve(week: Week, project_ids: Sequence[str], settings: Settings | None) -> dict[str, pd.DataFrame]:
    """``metrics.evm.s_curve_frame`` of each project in ``project_ids`` over the week's history
    (every snapshot on or before the report's status date)."""
    if not project_ids:
        return {}
    ids = {str(p) for p in project_ids}
    when = pd.Timestamp(week.report.status_date)

    def own(table: str) -> pd.DataFrame:
        df = week.frames.history(table)
        if df.empty:
            return df
        keep = df["project_id"].astype(str).isin(ids) & (pd.to_datetime(df["status_date"]) <= when)
        return df[keep].reset_index(drop=True)

    tasks, periods = own("tasks"), own("evm_periods")
    if tasks.empty and periods.empty:
        return {}
    res = evm.analyse(tasks, own("projects"), periods, settings)
    return {p: evm.s_curve_frame(res, [p]) for p in sorted(ids)}


def curve_of(frame: pd.DataFrame | None, lang: str, currency: str | None) -> Curve | None:
    """A ``s_curve_frame`` as chart data: the planned PV line (plan rows) and EV and AC at the
    status points, on the union of their dates; None when there is nothing to draw."""
    if frame is None or frame.empty:
        return None
    plan = frame[frame["kind"] == "plan"]
    status = frame[frame["kind"] == "status"]
    dates = sorted({pd.Timestamp(d).date() for d in pd.concat([plan["date"], status["date"]]).dropna()})
    if not dates:
        return None

    def series(rows: pd.DataFrame, col: str) -> tuple[float | None, ...]:
        at = {pd.Timestamp(d).date(): _num(v) for d, v in zip(rows["date"], rows[col], strict=True) if pd.notna(d)}
        return tuple(at.get(d) for d in dates)

    named = []
    if len(plan):
        named.append((t("evm.chart.pv", lang), series(plan, "pv_cum")))
    for key in ("ev", "ac"):
        if len(status):
            named.append((t(f"evm.chart.{key}", lang), series(status, key)))
    if not any(v is not None for _, vals in named for v in vals):
        return None
    return Curve(tuple(dates), tuple(named), currency, plan_first=len(plan) > 0)


def milestone_table(sec: dict[str, pd.DataFrame], lang: str) -> Table:
    """One project's slipped, due and completed milestones (that order): list, name, forecast
    finish, days moved since the previous status date."""
    rows = []
    for key in ("slipped", "due", "completed"):
        frame = sec.get(key)
        if frame is None or frame.empty:
            continue
        for r in frame.to_dict("records"):
            moved = _num(r.get("moved_days"))
            rows.append(
                (
                    t(f"weekly.list.{key}", lang),
                    _text(r.get("name")) or _text(r.get("task_id")),
                    formatting.when(r.get("forecast_finish")),
                    formatting.days(moved, lang, signed=True) if moved is not None else formatting.MISSING,
                )
            )
    header = tuple(t(f"deck.col.{c}", lang) for c in ("list", "milestone", "forecast", "moved"))
    return Table(header, tuple(rows))


def risk_table(top: pd.DataFrame, lang: str, currency: str | None) -> Table:
    """One project's top open threats by exposure: id, title, owner, exposure."""
    rows = []
    if top is not None and len(top):
        for r in top.head(TOP_RISKS).to_dict("records"):
            rows.append(
                (
                    _text(r.get("risk_id")),
                    _text(r.get("title")),
                    _text(r.get("owner")),
                    formatting.money(r.get("risk_exposure"), currency, lang),
                )
            )
    header = tuple(t(f"deck.col.{c}", lang) for c in ("risk_id", "risk", "owner", "exposure"))
    return Table(header, tuple(rows))


def slide_title(rag: str, project_id: str, name: str, lang: str) -> str:
    """ "● Red · PRJ-101 · Name" (the RAG's shape and word, never colour alone)."""
    label = formatting.rag_label(rag, lang) or "—"
    return " · ".join(x for x in (label, project_id, name) if x)


def schedule_risk_p80(week: Week, project_ids: Sequence[str], settings: Settings | None) -> dict[str, date]:
    """The schedule-risk P80 finish of each project, where that exists: {project_id: date}.

    This is where issue 18's engine plugs in: ``metrics.schedule_risk.project_p80`` (the Monte
    Carlo simulation on each project's schedule current at the status date, fixed seed: the
    same dates, and the same deck bytes, every time). Without that engine, or for a project
    without a schedule, there is no entry (the KPI table then has no P80 row)."""
    import importlib

    try:
        engine = importlib.import_module(".metrics.schedule_risk", __package__)
    except ImportError:
        return {}
    p80 = getattr(engine, "project_p80", None)
    if p80 is None or not project_ids:
        return {}
    fr = week.frames
    tasks, links, risks, projects = (fr.current(k) for k in ("tasks", "links", "risks", "projects"))
    out: dict[str, date] = {}
    for pid in project_ids:
        if tasks.empty or not (tasks["project_id"].astype(str) == pid).any():
            continue
        when = p80(pid, tasks=tasks, links=links, risks=risks, projects=projects, settings=settings)
        if when is not None:
            out[pid] = pd.Timestamp(when).date()
    return out


def deck_content(week: Week, lang: str = "en", *, scope: str | None = None) -> DeckContent:
    """The deck of ``week`` in ``lang`` (``scope``: the title slide's first line, by default
    the portfolios of the report's projects, or "All projects (n)")."""
    report: WeeklyReport = week.report
    s = report.settings
    projects = report.projects
    by = projects.set_index(projects["project_id"].astype(str)) if len(projects) else pd.DataFrame()

    # ---- title
    if scope is None:
        scope = _scope_line(week, lang)
    prev = report.previous_date.isoformat() if report.previous_date else t("weekly.no_previous", lang)
    code = report.currency or s.reporting_currency
    currency_line = t("deck.currency" if report.currency else "deck.currency_missing", lang, code=code or "—")
    subtitle = (
        scope,
        t("deck.status_date", lang, date=report.status_date.isoformat()),
        t("deck.compared", lang, date=prev),
        currency_line,
    )

    # ---- summary
    from .weekly import portfolio_line

    n = report.rag_counts()
    counts = tuple(
        (c, t("deck.count.unknown", lang) if c == "unknown" else rag_word(c, lang), n[c])
        for c in ("red", "amber", "green", "unknown")
    )
    lines = tuple(attention_lines(report, lang))

    # ---- one slide per red and amber project, in attention order
    slide_ids = [p for p in report.attention if p in by.index and by.at[p, "rag"] in SLIDE_RAGS]
    curves = s_curve(week, slide_ids, s)
    p80 = schedule_risk_p80(week, slide_ids, s)
    slides = []
    for pid in slide_ids:
        row = by.loc[pid]
        sec = report.for_project(pid)
        ccy = _text(row.get("currency")) or None
        kpis = kpi_table(sec["metrics"], lang, ccy)
        if pid in p80:
            kpis = Table(kpis.header, (*kpis.rows, (t("deck.p80", lang), p80[pid].isoformat(), "")))
        name = _text(row.get("name"))
        rag = str(row["rag"] or "")
        slides.append(
            ProjectSlide(
                project_id=pid,
                name=name,
                rag=rag,
                title=slide_title(rag, pid, name, lang),
                why=reasons_text(row["rag_reasons"], lang, rag=rag),
                flags=reasons_text(row["flags"], lang),
                kpis=kpis,
                curve=curve_of(curves.get(pid), lang, ccy),
                milestones=milestone_table(sec, lang),
                risks=risk_table(sec.get("top"), lang, ccy),
                note=_text(row.get("manager_note")),
            )
        )

    # ---- milestone summary: counts per project (chart) and the slipped and due ones (table)
    ms_ids: list[str] = []
    values: dict[str, list[float | None]] = {k: [] for k in ("completed", "due", "slipped")}
    for pid in sorted(by.index) if len(by) else []:
        got = {k: int(by.at[pid, f"milestones_{k}"]) if f"milestones_{k}" in by.columns else 0 for k in values}
        if not any(got.values()):
            continue
        ms_ids.append(pid)
        for k in values:
            values[k].append(float(got[k]))
    ms_chart = Curve((), tuple((t(f"weekly.list.{k}", lang), tuple(v)) for k, v in values.items()))
    rows = []
    for key in ("slipped", "due"):
        frame = report.milestones.get(key)
        for r in frame.to_dict("records") if frame is not None else []:
            moved = _num(r.get("moved_days"))
            rows.append(
                (
                    _text(r.get("project_id")),
                    t(f"weekly.list.{key}", lang),
                    _text(r.get("name")) or _text(r.get("task_id")),
                    formatting.when(r.get("forecast_finish")),
                    formatting.days(moved, lang, signed=True) if moved is not None else formatting.MISSING,
                )
            )
    ms_header = tuple(t(f"deck.col.{c}", lang) for c in ("project", "list", "milestone", "forecast", "moved"))

    return DeckContent(
        lang=lang,
        status_date=report.status_date,
        title=t("deck.title", lang),
        subtitle=subtitle,
        summary_line=portfolio_line(report, lang),
        counts=counts,
        kpis=kpi_table(report.portfolio, lang, report.currency),
        attention=lines,
        greens=n["green"],
        projects=tuple(slides),
        ms_chart=ms_chart,
        ms_projects=tuple(ms_ids),
        ms_table=Table(ms_header, tuple(rows)),
        p80=p80,
    )


def _scope_line(week: Week, lang: str) -> str:
    """ "Portfolio: Digital, Core (11 projects)" from the projects' portfolio column, else
    "All projects (11)"."""
    ids = week.report.project_ids()
    cur = week.frames.current("projects")
    names: list[str] = []
    if len(cur) and "portfolio" in cur.columns:
        mine = cur[cur["project_id"].astype(str).isin(ids)]
        names = sorted({_text(v) for v in mine["portfolio"] if _text(v)})
    if names:
        return t("deck.scope.portfolios", lang, names=", ".join(names), n=len(ids))
    return t("deck.scope.all", lang, n=len(ids))


__all__ = ["MONEY_METRICS", "Curve", "DeckContent", "ProjectSlide", "Table", "deck_content", "schedule_risk_p80"]
