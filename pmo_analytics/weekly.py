"""The weekly cycle glue: build the status report from the store, write it as Excel or HTML,
and blank register sheets (Deliverables, Lessons) to fill in and import.

Used by the Status report page and the ``report`` CLI command. The Excel writer follows the
export rules (``export.ExcelBook``: strings never become formulas or links, headers in the
report's language).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from .errors import ConfigError, NotFoundError
from .export import ExcelBook, label_columns
from .frames import PortfolioFrames
from .health_text import portfolio_why, rag_word, reasons_text, with_words
from .i18n import t
from .metrics.health import reasons_json
from .metrics.report import WeeklyReport, summary_table, weekly_report
from .portfolio_view import AttentionLine, attention_in_words
from .report_html import render_html
from .settings import Settings


@dataclass(frozen=True)
class Week:
    """The week's content from the store: the weekly report and the frames it was built from
    (``frames.PortfolioFrames`` as of the report's status date: history for charts such as the
    S-curve). Shared by every surface that presents the week (report, deck, chat summary)."""

    report: WeeklyReport
    frames: PortfolioFrames


def week_from_store(
    store,
    status_date: date | None = None,
    *,
    project_ids: Sequence[str] | None = None,
    settings: Settings | None = None,
    quality: pd.DataFrame | None = None,
    include_closed: bool = False,
    reach=None,
    previous_date: date | None = None,
) -> Week:
    """The weekly report at ``status_date`` (default: the latest) from the stored history, read
    through ``frames.load_frames`` (every snapshot on or before the date; closed projects left
    out unless ``include_closed``; ``quality``: ``dcma.quality_score`` frame for the
    schedule-quality flag, by default the scores of the schedules current at the date; ``reach``:
    only the projects a person may see, ``access.Reach``; ``previous_date``: the date compared
    with, by default the latest status date before the report's)."""
    from .frames import Selection, load_frames, selection_for
    from .metrics.dcma import schedule_quality

    ids = list(project_ids) if project_ids else None
    fr = load_frames(store, selection_for(ids, status_date, include_closed, reach))
    frames = fr.tables(("tasks", "projects", "evm_periods", "risks"), history=True)
    if ids and all(f.empty for f in frames.values()):
        closed = [p for p in ids if p in fr.closed_left_out]
        if closed:
            raise NotFoundError(
                key="report.closed_left_out",
                params={"projects": ", ".join(closed)},
                hint_key="hint.include_closed",
            )
        everyone = load_frames(store, Selection(include_closed=True, reach=reach))
        known = sorted({str(p) for k in frames for p in everyone.current(k)["project_id"].dropna()})
        raise NotFoundError(
            key="report.no_project_data",
            params={"projects": ", ".join(ids), "known": ", ".join(known[:20]) + (" ..." if len(known) > 20 else "")},
            hint_key="hint.known_projects" if known else "hint.import_first",
        )
    keep = fr.project_ids
    notes = store.notes(projects=list(keep) if keep is not None else ids, reach=reach)
    if fr.scope.exclude_ids and len(notes):
        notes = notes[~notes["project_id"].isin(fr.scope.exclude_ids)]
    report = weekly_report(
        frames["tasks"],
        frames["projects"],
        frames["evm_periods"],
        frames["risks"],
        notes,
        settings,
        fx_rates=fr.current("fx_rates"),
        status_date=status_date,
        previous_date=previous_date,
        project_ids=ids,
        quality=quality
        if quality is not None
        else schedule_quality(
            fr.current("tasks"), fr.current("links"), settings, fr.current("calendars"), fr.current("projects")
        ),
    )
    return Week(report=report, frames=fr)


def report_from_store(
    store,
    status_date: date | None = None,
    *,
    project_ids: Sequence[str] | None = None,
    settings: Settings | None = None,
    quality: pd.DataFrame | None = None,
    include_closed: bool = False,
    reach=None,
    previous_date: date | None = None,
) -> WeeklyReport:
    """The weekly report of ``week_from_store`` (the same arguments)."""
    return week_from_store(
        store,
        status_date,
        project_ids=project_ids,
        settings=settings,
        quality=quality,
        include_closed=include_closed,
        reach=reach,
        previous_date=previous_date,
    ).report


def attention_lines(report: WeeklyReport, lang: str) -> list[AttentionLine]:
    """The report's attention list in ``lang``: one line per red, amber or no-RAG project in
    the attention order (``WeeklyReport.attention``, ``metrics.health.attention_order``), with
    the reasons and flags in words (``health_text``), the Portfolio page's ``AttentionLine``."""
    return attention_in_words(report.projects, report.attention, lang)


def _rag_fn(lang: str):
    words = {t(f"rag.{c}", lang): c for c in ("red", "amber", "green")}
    return lambda v: words.get(str(v), "")


def metrics_view(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A long metrics frame (metric, previous, current, delta) with the metric names in ``lang``."""
    out = df.copy()
    out["metric"] = out["metric"].map(lambda m: t(f"metric.{m}", lang))
    return out


_long_metrics = metrics_view


def summary_view(report: WeeklyReport, lang: str) -> pd.DataFrame:
    """The projects overview (``metrics.report.summary_table``) in words, in ``lang``."""
    return with_words(summary_table(report), lang)


def portfolio_line(report: WeeklyReport, lang: str) -> str:
    """ "Overall: Red — Why: CPI 0.83 < 0.85 · projects: 10 red, 1 amber" in ``lang``."""
    why = portfolio_why(report, lang)
    word = rag_word(report.portfolio_rag, lang) or "—"
    return f"{t('weekly.overall', lang)}: {word} — {t('weekly.why', lang)}: {why}"


def _listed(frames: dict[str, pd.DataFrame], keys: Sequence[str], lang: str) -> pd.DataFrame:
    parts = []
    for k in keys:
        f = frames.get(k)
        if f is not None and len(f):
            parts.append(f.assign(list=t(f"weekly.list.{k}", lang))[["list", *f.columns]])
    if not parts:
        cols = ["list", *next((f.columns for f in frames.values() if f is not None), [])]
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)


def _plain(value: object) -> object:
    """A JSON-ready scalar: NaN/NaT/NA -> None, dates as YYYY-MM-DD, numpy scalars as Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, (pd.Timestamp, datetime)):
        return None if pd.isna(value) else value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def _frame_records(df: pd.DataFrame | None) -> list[dict]:
    if df is None or df.empty:
        return []
    return [{str(k): _plain(v) for k, v in rec.items()} for rec in df.to_dict("records")]


PROJECT_FIELDS = (
    "project_id",
    "name",
    "manager",
    "status",
    "reported_on",
    "milestones_completed",
    "milestones_due",
    "milestones_slipped",
    "new_risks",
    "manager_note",
)


def report_json(report: WeeklyReport, lang: str = "en") -> dict:
    """The weekly report as a JSON-ready dict (structure in docs/REPORT_JSON.md): RAG as codes
    (``rag``, ``rag_reasons`` as ``[{"code", "value", "threshold"}]``, ``flags`` alike), the
    same decision as every other surface; ``why`` is the reasons in words in ``lang``."""
    s = report.settings
    projects = []
    metrics_by = {
        str(pid): {
            r["metric"]: {k: _plain(r[k]) for k in ("previous", "current", "delta")} for r in grp.to_dict("records")
        }
        for pid, grp in (report.metrics.groupby("project_id", sort=False) if len(report.metrics) else [])
    }
    for rec in report.projects.to_dict("records"):
        pid = str(rec["project_id"])
        row: dict[str, object] = {k: _plain(rec.get(k)) for k in PROJECT_FIELDS}
        rag = str(rec.get("rag") or "")
        row["rag"] = rag
        row["rag_reasons"] = reasons_json(rec.get("rag_reasons") or [])
        row["flags"] = reasons_json(rec.get("flags") or [])
        row["why"] = reasons_text(rec.get("rag_reasons") or [], lang, rag=rag)
        row["metrics"] = metrics_by.get(pid, {})
        projects.append(row)
    return {
        "report": "weekly",
        "status_date": report.status_date.isoformat(),
        "previous_date": report.previous_date.isoformat() if report.previous_date else None,
        "lang": lang,
        "thresholds": {
            "green_at": s.green_at,
            "red_below": s.red_below,
            "exposure_green": s.exposure_green,
            "exposure_red": s.exposure_red,
            "milestones_amber": s.milestones_amber,
            "milestones_red": s.milestones_red,
            "quality_min": s.quality_min,
            "period": s.period,
        },
        "portfolio": {
            "rag": report.portfolio_rag or "",
            "rag_reasons": reasons_json(report.portfolio_reasons),
            "why": reasons_text(report.portfolio_reasons, lang, rag=report.portfolio_rag),
            "counts": report.rag_counts(),
            "metrics": {
                r["metric"]: {k: _plain(r[k]) for k in ("previous", "current", "delta", "currency")}
                for r in report.portfolio.to_dict("records")
            },
            # converted totals at the status date, in the reporting currency (null when a rate is missing)
            "currency": report.currency,
            "totals": {k: _plain(v) for k, v in report.totals.items()},
        },
        "projects": projects,
        "milestones": {k: _frame_records(v) for k, v in report.milestones.items()},
        "risks": {k: _frame_records(v) for k, v in report.risks.items()},
        "notes": _frame_records(report.notes),
    }


def report_xlsx(
    report: WeeklyReport, *, lang: str = "en", title: str | None = None, header_lines: Sequence[str] = ()
) -> bytes:
    """The report as a workbook in ``lang``: Summary (portfolio RAG, why, key metrics),
    Projects, Metrics (every project, previous/current/change), Milestones, Risks, Notes."""
    title = title or t("weekly.title", lang)
    book = ExcelBook(lang=lang, title=title)
    prev = report.previous_date.isoformat() if report.previous_date else t("weekly.no_previous", lang)
    lines = [
        f"{t('weekly.status_date', lang)}: {report.status_date.isoformat()}",
        f"{t('weekly.previous_date', lang)}: {prev}",
        *header_lines,
        portfolio_line(report, lang),
    ]
    number = "#,##0.00"

    def sheet(key: str, df: pd.DataFrame, *, heading: str | None = None, hdr: Sequence[str] = (), fmts=None, rag=False):
        shown, kinds = label_columns(df, lang)
        kinds.update(fmts or {})
        ws = book.add_sheet(t(f"weekly.sheet.{key}", lang))
        rag_cols = {t("col.rag", lang): _rag_fn(lang)} if rag and "rag" in df.columns else None
        book.write_table(ws, shown, title=heading, header_lines=hdr, column_formats=kinds, rag_columns=rag_cols)

    pf = _long_metrics(report.portfolio, lang)
    sheet(
        "summary",
        pf,
        heading=title,
        hdr=lines,
        fmts={t(f"col.{c}", lang): number for c in ("previous", "current", "delta")},
    )
    sheet("projects", summary_view(report, lang), rag=True)
    ml = _long_metrics(report.metrics, lang)
    sheet("metrics", ml, fmts={t(f"col.{c}", lang): number for c in ("previous", "current", "delta")})
    sheet("milestones", _listed(report.milestones, ("completed", "due", "slipped"), lang))
    sheet("risks", _listed(report.risks, ("new", "top"), lang))
    sheet("notes", report.notes)
    return book.close()


def report_bytes(report: WeeklyReport, kind: str, lang: str = "en", **kw) -> bytes:
    """``kind`` "xlsx", "html" (UTF-8) or "json" (``report_json``), in ``lang``."""
    if kind == "xlsx":
        return report_xlsx(report, lang=lang, **kw)
    if kind == "html":
        return render_html(report, lang=lang, **kw).encode("utf-8")
    if kind == "json":
        return (json.dumps(report_json(report, lang), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    raise ConfigError(key="report.unknown_format", params={"kind": kind}, hint_key="hint.xlsx_html_json")


def write_report(report: WeeklyReport, out: str | Path, **kw) -> int:
    """Write the report to ``out`` (format from its suffix); returns the number of bytes."""
    out = Path(out)
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("xlsx", "html", "htm", "json"):
        raise ConfigError(key="report.bad_suffix", params={"name": out.name}, hint_key="hint.choose_xlsx_html_json")
    data = report_bytes(report, "html" if kind == "htm" else kind, **kw)
    out.write_bytes(data)
    return len(data)


def blank_sheet_bytes(table: str, lang: str = "en") -> bytes:
    """A workbook with one empty template sheet for ``table`` (e.g. "deliverables"), its sheet
    name and headers in ``lang``, ready to fill in and import."""
    import xlsxwriter

    from .schema import TABLES
    from .template import sheet_headers

    if table not in TABLES:
        raise ConfigError(key="config.unknown_table", params={"table": table, "known": ", ".join(TABLES)})
    tab = TABLES[table]
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    wb.set_properties({"title": "PMO Portfolio Health", "created": datetime(2026, 1, 1)})
    head = wb.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet(tab.sheet_zh if lang == "zh" else tab.sheet_en)
    for c, (col, header) in enumerate(zip(tab.columns, sheet_headers(table, lang), strict=True)):
        ws.write_string(0, c, header, head)
        wide = col.name in ("name", "what_happened", "recommendation")
        ws.set_column(c, c, 40 if wide else 16, date_fmt if col.dtype == "date" else None)
    ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()
