"""Withdrawing, restoring and purging imports: the confirmation a person reads first.

The store does the work (``Store.import_impact``, ``withdraw_import``, ``restore_import``,
``purge_import``; each audited with the actor). This module turns an ``ImportImpact`` into the
words of the confirmation, in English or Chinese: the file, its status date, the rows per table
that leave (or come back into) every view, and per project what its current status date becomes.
"""

from __future__ import annotations

from collections.abc import Callable

from .i18n import t
from .schema import TABLES
from .store import ImportImpact, ProjectChange

__all__ = ["describe", "project_lines", "rows_text"]


def _table_name(table: str, lang: str) -> str:
    spec = TABLES.get(table)
    if spec is None:
        return table
    return (spec.sheet_zh if lang == "zh" else spec.sheet_en) or table


def rows_text(impact: ImportImpact, lang: str = "en") -> str:
    """ "Tasks 12, Risks 3 (15 rows in 2 table(s))": the rows the import holds, per table."""
    if not impact.rows:
        return t("undo.no_rows", lang)
    sep = "，" if lang == "zh" else ", "
    items = sep.join(t("undo.rows_item", lang, table=_table_name(k, lang), n=n) for k, n in impact.rows.items())
    total = t("undo.rows_total", lang, n=impact.total_rows, k=len(impact.rows))
    return f"{items}（{total}）" if lang == "zh" else f"{items} ({total})"


def _project_line(change: ProjectChange, lang: str, esc: Callable[[str], str]) -> str:
    now = change.now.isoformat() if change.now else "—"
    after = change.after.isoformat() if change.after else "—"
    project = esc(change.project_id)
    if change.after is None:
        return t("undo.project_gone", lang, project=project, now=now)
    if change.now is None:
        return t("undo.project_new", lang, project=project, after=after)
    if change.now == change.after:
        return t("undo.project_same", lang, project=project, now=now)
    return t("undo.project_back", lang, project=project, now=now, after=after)


def project_lines(
    impact: ImportImpact, lang: str = "en", escape: Callable[[str], str] | None = None, most: int = 8
) -> list[str]:
    """The projects the import holds rows of, with their current status date now and after: one
    line per change, projects with the same change together (the first ``most`` named, "+n")."""
    esc = escape or (lambda s: s)
    groups: dict[tuple, list[str]] = {}
    for p in impact.projects:
        groups.setdefault((p.now, p.after), []).append(p.project_id)
    lines = []
    for (now, after), ids in groups.items():
        named = ", ".join(esc(i) for i in ids[:most]) + (f" +{len(ids) - most}" if len(ids) > most else "")
        lines.append(_project_line(ProjectChange(named, now, after), lang, lambda s: s))
    return lines


def describe(impact: ImportImpact, lang: str = "en", escape: Callable[[str], str] | None = None) -> str:
    """The confirmation before withdrawing ``impact``'s import (restoring it, when it is withdrawn):
    the question naming file, status date and rows per table. ``escape`` is applied to text that
    comes from the data (the file name, project ids), e.g. before Markdown shows it."""
    esc = escape or (lambda s: s)
    params = {
        "id": impact.import_id,
        "name": esc(impact.source_name),
        "date": impact.status_date.isoformat(),
        "rows": rows_text(impact, lang),
    }
    if impact.withdrawn:
        at = f"{impact.withdrawn_at:%Y-%m-%d %H:%M}" if impact.withdrawn_at else "—"
        return t("undo.confirm_restore", lang, by=esc(impact.withdrawn_by or "—"), at=at, **params)
    return t("undo.confirm_withdraw", lang, **params)
