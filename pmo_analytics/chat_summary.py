"""The week's summary for a chat message (Slack, Microsoft Teams), in one language.

Everything here is taken from what already decides it, never decided again:

- RAG counts, the overall line and the attention list come from the weekly report
  (``metrics.report.weekly_report``: each project's RAG, reasons and flags from the health
  engine; ``WeeklyReport.attention`` is ``metrics.health.attention_order``, the Portfolio page's
  order), in words by ``health_text`` and ``weekly.portfolio_line``;
- the changes are ``metrics.changes.change_history`` (the Changes page's and the Project page's
  engine) of each project from the report's previous date to its status date.

"Biggest changes" only chooses which of those changes a short message names, in this order:
project budget (BAC) changes, risks opened, risks closed, the largest finish-date move of each
project (largest move first), tasks added or removed; ``change_totals`` counts every change.

Texts are plain text (data as written, our words in ``lang``); each chat format escapes them
(``escape.slack``, ``escape.card_text``) where the payload is built (``chat_payloads``).
No streamlit import (library code).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

import pandas as pd

from . import formatting
from .health_text import reasons_text
from .i18n import t
from .metrics import changes as changes_mod
from .metrics.report import WeeklyReport
from .navigation import PROJECT_PAGE
from .weekly import portfolio_line

COUNT_KEYS = ("red", "amber", "green", "unknown")


@dataclass(frozen=True)
class AttentionItem:
    """One line of the attention list: project, RAG (code and "● Red" label), why, flags, link."""

    project_id: str
    name: str
    rag: str
    label: str
    reasons: str
    flags: str
    link: str | None


@dataclass(frozen=True)
class ChangeItem:
    """One change worth naming: ``label`` (our words), ``item`` (data text: a task name, a risk's
    id and title; may be empty), ``detail`` (our words and numbers)."""

    project_id: str
    kind: str
    label: str
    item: str
    detail: str
    link: str | None


@dataclass(frozen=True)
class ChatSummary:
    """The week's summary in ``lang``: ``counts`` by overall RAG (red, amber, green, unknown),
    ``overall`` the portfolio line, ``attention`` every red/amber/no-RAG project worst first,
    ``changes`` every change worth naming (biggest first; a message shows the first few),
    ``change_totals`` the rows of every change section over all projects, ``app_url`` the
    dashboard's address (``PMO_PUBLIC_URL``) or None."""

    lang: str
    status_date: date
    previous_date: date | None
    title: str
    subtitle: str
    overall_rag: str
    overall: str
    counts: dict[str, int]
    count_labels: dict[str, str]
    attention: tuple[AttentionItem, ...]
    changes: tuple[ChangeItem, ...]
    change_totals: dict[str, int] = field(default_factory=dict)
    projects: int = 0
    app_url: str | None = None

    def totals_line(self) -> str:
        """ "In all: 1,130 dates moved, 132 progress changes, ..." (every section with a change)."""
        parts = [f"{t(f'changes.{k}', self.lang)} {formatting.count(n)}" for k, n in self.change_totals.items() if n]
        return t("notify.change_totals", self.lang, parts=" · ".join(parts)) if parts else ""


def project_url(app_url: str | None, project_id: str) -> str | None:
    """The project page's address under ``app_url`` (``.../project?id=PRJ-104``); None without one."""
    if not app_url or not str(project_id).strip():
        return None
    return f"{app_url.rstrip('/')}/{PROJECT_PAGE}?id={quote(str(project_id), safe='-_.~')}"


def _text(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) or v is pd.NA else str(v)


def _when(v: object) -> str:
    return formatting.when(v)


def project_changes(
    report: WeeklyReport,
    *,
    tasks: pd.DataFrame | None,
    risks: pd.DataFrame | None,
    projects: pd.DataFrame | None,
) -> list[changes_mod.ChangeSet]:
    """Each report project's ``change_history`` from the report's previous date to its status
    date (none without a previous date)."""
    if report.previous_date is None:
        return []
    return [
        changes_mod.change_history(
            pid, report.previous_date, report.status_date, tasks=tasks, risks=risks, projects=projects
        )
        for pid in report.project_ids()
    ]


def biggest_changes(
    sets: Sequence[changes_mod.ChangeSet], currencies: dict[str, str], lang: str, app_url: str | None = None
) -> list[ChangeItem]:
    """The changes worth naming, biggest first (see the module doc), in ``lang``."""
    # (sort key..., item) per kind
    budget: list[tuple] = []
    opened: list[tuple] = []
    closed: list[tuple] = []
    moved: list[tuple] = []
    tasks: list[tuple] = []
    for cs in sets:
        pid, f = cs.project_id, cs.frames
        link = project_url(app_url, pid)
        ccy = currencies.get(pid)
        for r in f.get("budget_changes", pd.DataFrame()).to_dict("records"):
            is_bac = _text(r.get("task_id")) == ""
            detail = t(
                "notify.change.amounts",
                lang,
                change=formatting.money(r["change"], ccy, lang, signed=True),
                before=formatting.money(r["before"], ccy, lang),
                after=formatting.money(r["after"], ccy, lang),
            )
            label = t("notify.change.bac" if is_bac else "notify.change.budget", lang)
            item = "" if is_bac else _text(r.get("task_name"))
            size = abs(float(r["change"])) if r["change"] == r["change"] else 0.0
            budget.append((0 if is_bac else 1, -size, pid, ChangeItem(pid, "budget", label, item, detail, link)))
        for key, bucket in (("risks_opened", opened), ("risks_closed", closed)):
            for r in f.get(key, pd.DataFrame()).to_dict("records"):
                exp = r.get("risk_exposure")
                detail = t(f"changes.how.{r['how']}", lang)
                if key == "risks_opened" and exp is not None and exp == exp:
                    detail += " · " + t("notify.change.exposure", lang, value=formatting.money(exp, ccy, lang))
                item = " ".join(x for x in (_text(r.get("risk_id")), _text(r.get("title"))) if x)
                size = float(exp) if exp is not None and exp == exp else 0.0
                label = t(f"notify.change.{key}", lang)
                bucket.append((-size, pid, _text(r.get("risk_id")), ChangeItem(pid, key, label, item, detail, link)))
        dm = f.get("dates_moved", pd.DataFrame())
        fin = dm[(dm["field"] == "finish") & dm["days"].notna()] if len(dm) else dm
        if len(fin):
            r = fin.loc[fin["days"].abs().sort_values(ascending=False, kind="stable").index[0]]
            detail = t(
                "notify.change.moved",
                lang,
                days=formatting.days(r["days"], lang, signed=True),
                before=_when(r["before"]),
                after=_when(r["after"]),
            )
            label = t("notify.change.finish_moved", lang)
            moved.append(
                (
                    -abs(float(r["days"])),
                    pid,
                    ChangeItem(pid, "finish_moved", label, _text(r["task_name"]), detail, link),
                )
            )
        counts = cs.counts()
        for key in ("tasks_added", "tasks_removed"):
            if counts.get(key):
                entry = ChangeItem(pid, key, t(f"changes.{key}", lang), "", formatting.count(counts[key]), link)
                tasks.append((-counts[key], pid, key, entry))
    out: list[ChangeItem] = []
    for bucket in (budget, opened, closed, moved, tasks):
        out.extend(e[-1] for e in sorted(bucket, key=lambda e: e[:-1]))
    return out


def build(
    report: WeeklyReport,
    lang: str = "en",
    *,
    tasks: pd.DataFrame | None = None,
    risks: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
    app_url: str | None = None,
) -> ChatSummary:
    """The summary of ``report`` in ``lang``; ``tasks``, ``risks`` and ``projects`` are the history
    frames the report was built from (for the changes since its previous date; without them no
    change is named); ``app_url`` the dashboard's public address (links), or None."""
    rows = report.projects.set_index("project_id") if len(report.projects) else pd.DataFrame()
    counts = report.rag_counts()
    # "● Red", "▲ Amber", "■ Green" (formatting.rag_label), and "? No RAG" as the Portfolio page writes it
    labels = {k: formatting.rag_label(k, lang) or f"? {t('health.count.unknown', lang)}" for k in COUNT_KEYS}
    items = []
    for pid in report.attention:
        if pid not in rows.index:
            continue
        row = rows.loc[pid]
        rag = _text(row.get("rag"))
        items.append(
            AttentionItem(
                project_id=pid,
                name=_text(row.get("name")),
                rag=rag,
                label=labels.get(rag or "unknown", labels["unknown"]),
                reasons=reasons_text(row.get("rag_reasons") or [], lang, rag=rag),
                flags=reasons_text(row.get("flags") or [], lang),
                link=project_url(app_url, pid),
            )
        )
    sets = project_changes(report, tasks=tasks, risks=risks, projects=projects) if tasks is not None else []
    currencies = (
        {str(p): _text(c) for p, c in zip(rows.index, rows.get("currency", []), strict=False)} if len(rows) else {}
    )
    totals = {k: 0 for k in changes_mod.SECTIONS}
    for cs in sets:
        for k, n in cs.counts().items():
            totals[k] += int(n)
    prev = report.previous_date
    d = report.status_date.isoformat()
    subtitle = (
        t("notify.compared", lang, date=d, previous=prev.isoformat())
        if prev
        else t("notify.compared_none", lang, date=d)
    )
    return ChatSummary(
        lang=lang,
        status_date=report.status_date,
        previous_date=prev,
        title=t("notify.title", lang, date=d),
        subtitle=subtitle,
        overall_rag=report.portfolio_rag or "",
        overall=portfolio_line(report, lang),
        counts=counts,
        count_labels=labels,
        attention=tuple(items),
        changes=tuple(biggest_changes(sets, currencies, lang, app_url)),
        change_totals=totals,
        projects=len(report.projects),
        app_url=app_url,
    )
