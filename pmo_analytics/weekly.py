"""The weekly cycle glue: build the status report from the store, write it as Excel or HTML,
and blank register sheets (Deliverables, Lessons) to fill in and import.

Used by the Status report page and the ``report`` CLI command. The Excel writer follows the
export rules (``export.ExcelBook``: strings never become formulas or links, headers in the
report's language).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from .errors import ConfigError, NotFoundError
from .export import ExcelBook, label_columns
from .i18n import t
from .metrics.report import WeeklyReport, summary_table, weekly_report
from .report_html import render_html
from .settings import Settings


def report_from_store(
    store,
    status_date: date | None = None,
    *,
    project_ids: Sequence[str] | None = None,
    settings: Settings | None = None,
    lang: str = "en",
    include_closed: bool = False,
) -> WeeklyReport:
    """The weekly report at ``status_date`` (default: the latest) from the stored history, read
    through ``frames.load_frames`` (every snapshot on or before the date; closed projects left
    out unless ``include_closed``)."""
    from .frames import Selection, load_frames, selection_for

    ids = list(project_ids) if project_ids else None
    fr = load_frames(store, selection_for(ids, status_date, include_closed))
    frames = fr.tables(("tasks", "projects", "evm_periods", "risks"), history=True)
    if ids and all(f.empty for f in frames.values()):
        closed = [p for p in ids if p in fr.closed_left_out]
        if closed:
            raise NotFoundError(
                f"project {', '.join(closed)} is closed or cancelled and left out",
                hint="Include closed projects (--include-closed) to report on it.",
            )
        everyone = load_frames(store, Selection(include_closed=True))
        known = sorted({str(p) for k in frames for p in everyone.current(k)["project_id"].dropna()})
        raise NotFoundError(
            f"no data for project {', '.join(ids)}",
            hint=f"Known projects: {', '.join(known[:20])}{' ...' if len(known) > 20 else ''}."
            if known
            else "Import data first.",
        )
    keep = fr.project_ids
    notes = store.notes(projects=list(keep) if keep is not None else ids)
    if fr.scope.exclude_ids and len(notes):
        notes = notes[~notes["project_id"].isin(fr.scope.exclude_ids)]
    return weekly_report(
        frames["tasks"],
        frames["projects"],
        frames["evm_periods"],
        frames["risks"],
        notes,
        settings,
        status_date=status_date,
        project_ids=ids,
        lang=lang,
    )


def _rag_fn(lang: str):
    words = {t(f"rag.{c}", lang): c for c in ("red", "amber", "green")}
    return lambda v: words.get(str(v), "")


def _long_metrics(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = df.copy()
    out["metric"] = out["metric"].map(lambda m: t(f"metric.{m}", lang))
    return out


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


def report_xlsx(report: WeeklyReport, *, title: str | None = None, header_lines: Sequence[str] = ()) -> bytes:
    """The report as a workbook: Summary (portfolio RAG, why, key metrics), Projects,
    Metrics (every project, previous/current/change), Milestones, Risks, Notes."""
    lang = report.lang
    title = title or t("weekly.title", lang)
    book = ExcelBook(lang=lang, title=title)
    prev = report.previous_date.isoformat() if report.previous_date else t("weekly.no_previous", lang)
    lines = [
        f"{t('weekly.status_date', lang)}: {report.status_date.isoformat()}",
        f"{t('weekly.previous_date', lang)}: {prev}",
        *header_lines,
        f"{t('weekly.overall', lang)}: {t(f'rag.{report.portfolio_rag}', lang) if report.portfolio_rag else '—'}",
        f"{t('weekly.why', lang)}: {report.portfolio_why}",
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
    sheet("projects", summary_table(report), rag=True)
    ml = _long_metrics(report.metrics, lang)
    sheet("metrics", ml, fmts={t(f"col.{c}", lang): number for c in ("previous", "current", "delta")})
    sheet("milestones", _listed(report.milestones, ("completed", "due", "slipped"), lang))
    sheet("risks", _listed(report.risks, ("new", "top"), lang))
    sheet("notes", report.notes)
    return book.close()


def report_bytes(report: WeeklyReport, kind: str, **kw) -> bytes:
    """``kind`` "xlsx" or "html" (UTF-8)."""
    if kind == "xlsx":
        return report_xlsx(report, **kw)
    if kind == "html":
        return render_html(report, **kw).encode("utf-8")
    raise ConfigError(f"unknown report format {kind!r}", hint="Use .xlsx or .html.")


def write_report(report: WeeklyReport, out: str | Path, **kw) -> int:
    """Write the report to ``out`` (format from its suffix); returns the number of bytes."""
    out = Path(out)
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("xlsx", "html", "htm"):
        raise ConfigError(f"{out.name}: the report is written as .xlsx or .html", hint="Choose a .xlsx or .html file.")
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
        raise ConfigError(f"unknown table {table!r}")
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
