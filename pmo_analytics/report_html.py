"""The weekly status report as one self-contained, printable HTML page.

Print-ready CSS (A4, table headers repeated on each page, rows never split, each project on
a new page, RAG colours kept when printing) so the browser's Print -> Save as PDF gives a
clean document. Every piece of text that comes from data (names, notes, risk titles, the
title and filter lines) goes through ``html.escape``: hostile text such as ``<script>`` is
shown as text, never run. No scripts, no external resources.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import datetime

import pandas as pd

from .export import column_label
from .health_text import portfolio_why, reasons_text
from .i18n import t
from .metrics.report import WeeklyReport

RATIO = {"cpi", "spi", "spi_t"}
MONEY = {"eac_cpi", "vac", "risk_exposure", "impact_cost", "bac"}

CSS = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC",
       "Helvetica Neue", Arial, sans-serif; font-size: 10pt; color: #1f2328; margin: 0 auto; max-width: 1100px;
       padding: 12px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 18pt; margin: 0 0 4px; }
h2 { font-size: 13pt; margin: 18px 0 6px; border-bottom: 2px solid #d0d7de; padding-bottom: 3px; }
h3 { font-size: 10.5pt; margin: 12px 0 4px; }
.meta { color: #57606a; margin: 0 0 2px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; font-size: 8.5pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #d0d7de; padding: 3px 5px; vertical-align: top; text-align: left; }
th { background: #eef2f7; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.rag { display: inline-block; padding: 1px 8px; border-radius: 3px; font-weight: 600; }
.rag-red { background: #f8d7da; color: #721c24; }
.rag-amber { background: #fff3cd; color: #856404; }
.rag-green { background: #d4edda; color: #155724; }
.why { margin: 4px 0 8px; }
.none { color: #57606a; font-style: italic; margin: 2px 0 6px; }
.note { white-space: pre-wrap; border-left: 3px solid #8c959f; padding: 4px 8px; background: #f6f8fa; }
.project { break-before: page; page-break-before: always; }
.keep { break-inside: avoid; page-break-inside: avoid; }
footer { margin-top: 18px; color: #57606a; font-size: 8pt; border-top: 1px solid #d0d7de; padding-top: 4px; }
@media print { body { max-width: none; padding: 0; } a { color: inherit; text-decoration: none; } }
"""


def e(value: object) -> str:
    """Escaped text of ``value`` ("" for missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return html.escape(str(value), quote=True)


def fmt_value(value: object, metric: str = "", signed: bool = False) -> str:
    """A number or date as shown in the report, by the column's kind (``formatting``, the
    screen's formatters): indices 2 decimals, probability a whole percent, money and counts
    with thousands separators, dates YYYY-MM-DD; ``signed`` adds + to a change that does not
    round to zero; missing -> —."""
    from . import formatting

    if value is None:
        return "—"
    if isinstance(value, (pd.Timestamp, datetime)) or hasattr(value, "isoformat"):
        return formatting.when(value)
    if formatting.number(value) == formatting.MISSING:
        return "—" if isinstance(value, float) else e(value)
    if metric == "probability":
        return formatting.percent(value, 0)
    if metric in RATIO:
        return formatting.index(value, signed=signed)
    return fmt_signed(value, 0) if signed else formatting.number(value, 0)


def fmt_signed(value: object, digits: int = 2) -> str:
    """A change with its sign (+/-), ``digits`` decimals and thousands separators; a value
    that rounds to zero has no sign; missing -> — (``formatting.number``)."""
    from . import formatting

    text = formatting.number(value, digits)
    if text == formatting.MISSING or text.lstrip("-").strip("0.,") == "":
        return text.lstrip("-")
    return text if text.startswith("-") else "+" + text


def rag_badge(colour: str, lang: str) -> str:
    if not colour:
        return '<span class="rag">—</span>'
    return f'<span class="rag rag-{e(colour)}">{e(t(f"rag.{colour}", lang))}</span>'


def _table(df: pd.DataFrame, columns: Sequence[str], lang: str, *, kinds: dict[str, str] | None = None) -> str:
    """An HTML table of ``columns`` of ``df`` with labelled headers; every cell escaped."""
    kinds = kinds or {}
    head = "".join(f"<th>{e(column_label(c, lang))}</th>" for c in columns)
    body = []
    for rec in df.to_dict("records"):
        cells = []
        for c in columns:
            v = rec.get(c)
            kind = kinds.get(c, c)
            if c == "rag":
                cells.append(f"<td>{rag_badge(str(v or ''), lang)}</td>")
            elif v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
                cells.append("<td>—</td>" if c not in ("why", "manager_note") else "<td></td>")
            elif isinstance(v, (int, float)) and not isinstance(v, bool) or isinstance(v, pd.Timestamp):
                cells.append(f'<td class="num">{fmt_value(v, kind, signed=c.endswith("delta"))}</td>')
            else:
                cells.append(f"<td>{e(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _metrics_table(df: pd.DataFrame, lang: str) -> str:
    head = "".join(f"<th>{e(t(k, lang))}</th>" for k in ("col.metric", "col.previous", "col.current", "col.delta"))
    rows = []
    for rec in df.to_dict("records"):
        m = rec["metric"]
        ccy = rec.get("currency")
        ccy = e(ccy) + " " if isinstance(ccy, str) and ccy else ""  # money metrics carry their currency

        def cell(v: object, signed: bool = False, _m: str = m, _c: str = ccy) -> str:
            text = fmt_value(v, _m, signed=signed)
            return f'<td class="num">{_c if text != "—" else ""}{text}</td>'

        rows.append(
            f"<tr><td>{e(t(f'metric.{m}', lang))}</td>"
            + cell(rec["previous"])
            + cell(rec["current"])
            + cell(rec["delta"], signed=True)
            + "</tr>"
        )
    return f"<table class='keep'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


MS_COLS = ["task_id", "name", "baseline_finish", "previous_forecast", "forecast_finish", "moved_days"]
RISK_COLS = ["risk_id", "title", "owner", "status", "probability", "impact_cost", "risk_exposure", "risk_score"]


def _section(heading: str, df: pd.DataFrame | None, columns: Sequence[str], lang: str) -> str:
    out = f"<h3>{e(heading)}</h3>"
    if df is None or df.empty:
        return out + f'<p class="none">{e(t("weekly.none", lang))}</p>'
    return out + _table(df, [c for c in columns if c in df.columns], lang, kinds={"moved_days": "count"})


def render_html(
    report: WeeklyReport,
    *,
    lang: str = "en",
    title: str | None = None,
    header_lines: Sequence[str] = (),
    generated: datetime | None = None,
) -> str:
    """The report as a complete HTML document (UTF-8) in ``lang``."""
    s = report.settings
    title = title or t("weekly.title", lang)
    when = (generated or datetime.now()).strftime("%Y-%m-%d %H:%M")
    prev = report.previous_date.isoformat() if report.previous_date else t("weekly.no_previous", lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)} · {e(report.status_date.isoformat())}</title>",
        f"<style>{CSS}</style></head><body>",
        "<header>",
        f"<h1>{e(title)}</h1>",
        f'<p class="meta">{e(t("weekly.status_date", lang))}: <strong>{e(report.status_date.isoformat())}</strong>'
        f" · {e(t('weekly.previous_date', lang))}: {e(prev)}</p>",
    ]
    for line in header_lines:
        parts.append(f'<p class="meta">{e(line)}</p>')
    parts.append(f'<p class="meta">{e(t("weekly.generated", lang, when=when))}</p></header>')

    # portfolio
    parts.append('<section class="portfolio">')
    parts.append(f"<h2>{e(t('weekly.portfolio', lang))}</h2>")
    parts.append(
        f'<p class="why">{e(t("weekly.overall", lang))}: {rag_badge(report.portfolio_rag, lang)} '
        f"{e(t('weekly.why', lang))}: {e(portfolio_why(report, lang))}</p>"
    )
    parts.append(f"<h3>{e(t('weekly.key_metrics', lang))}</h3>")
    parts.append(_metrics_table(report.portfolio, lang))
    parts.append(f"<h3>{e(t('weekly.projects_overview', lang))}</h3>")
    if report.projects.empty:
        parts.append(f'<p class="none">{e(t("weekly.none", lang))}</p>')
    else:
        cols = [
            "project_id",
            "name",
            "manager",
            "rag",
            "why",
            "flags",
            "currency",
            "cpi",
            "spi",
            "spi_t",
            "eac_cpi",
            "vac",
            "risk_exposure",
        ]
        shown = report.projects.assign(
            why=[
                reasons_text(r, lang, rag=c)
                for r, c in zip(report.projects["rag_reasons"], report.projects["rag"], strict=True)
            ],
            flags=[reasons_text(f, lang) for f in report.projects["flags"]],
        )
        parts.append(_table(shown, [c for c in cols if c in shown.columns], lang))
    parts.append(
        _section(t("weekly.top_risks", lang), report.risks.get("portfolio_top"), ["project_id", *RISK_COLS], lang)
    )
    parts.append("</section>")

    # projects
    notes = (
        dict(zip(report.notes["project_id"].astype(str), report.notes["note"], strict=True))
        if len(report.notes)
        else {}
    )
    authors = (
        dict(zip(report.notes["project_id"].astype(str), report.notes["author"], strict=True))
        if len(report.notes)
        else {}
    )
    for rec in report.projects.to_dict("records"):
        pid = str(rec["project_id"])
        sec = report.for_project(pid)
        parts.append('<section class="project">')
        name = rec.get("name")
        heading = f"{pid} · {name}" if isinstance(name, str) and name else pid
        parts.append(f"<h2>{e(heading)}</h2>")
        meta = []
        if isinstance(rec.get("manager"), str):
            meta.append(f"{e(column_label('manager', lang, 'projects'))}: {e(rec['manager'])}")
        meta.append(f"{e(t('col.reported_on', lang))}: {fmt_value(rec.get('reported_on'))}")
        parts.append(f'<p class="meta">{" · ".join(meta)}</p>')
        parts.append(
            f'<p class="why">{e(t("weekly.overall", lang))}: {rag_badge(str(rec.get("rag") or ""), lang)} '
            f"{e(t('weekly.why', lang))}: {e(reasons_text(rec.get('rag_reasons') or [], lang, rag=str(rec.get('rag') or '')))}</p>"
        )
        if rec.get("flags"):
            parts.append(f'<p class="why">{e(t("health.flags", lang))}: {e(reasons_text(rec["flags"], lang))}</p>')
        parts.append(f"<h3>{e(t('weekly.key_metrics', lang))}</h3>")
        parts.append(_metrics_table(sec["metrics"], lang))
        parts.append(_section(t("weekly.milestones_completed", lang), sec.get("completed"), MS_COLS, lang))
        parts.append(_section(t("weekly.milestones_due", lang, days=report.due_days), sec.get("due"), MS_COLS, lang))
        parts.append(_section(t("weekly.milestones_slipped", lang), sec.get("slipped"), MS_COLS, lang))
        parts.append(_section(t("weekly.new_risks", lang), sec.get("new"), RISK_COLS, lang))
        parts.append(_section(t("weekly.top_risks", lang), sec.get("top"), RISK_COLS, lang))
        parts.append(f"<h3>{e(t('weekly.notes', lang))}</h3>")
        if pid in notes:
            by = f' <span class="meta">— {e(authors.get(pid))}</span>' if authors.get(pid) else ""
            parts.append(f'<div class="note">{e(notes[pid])}</div>{by}')
        else:
            parts.append(f'<p class="none">{e(t("weekly.none", lang))}</p>')
        parts.append("</section>")

    parts.append(
        "<footer>"
        + e(
            t(
                "health.footer",
                lang,
                green=s.green_at,
                red=s.red_below,
                ma=s.milestones_amber,
                mr=s.milestones_red,
                eg=s.exposure_green,
                er=s.exposure_red,
                q=s.quality_min,
            )
        )
        + "</footer></body></html>"
    )
    return "\n".join(parts)
