"""Jira CSV export (Cloud and Server/Data Center; "all fields" and "current fields"), English or
Chinese UI -> ``work_items``.

Rules:
- Columns are recognised by their header in English or Chinese (``Issue key``/``Key``/``问题关键字``,
  ``Summary``/``概要``, ``Status``/``状态``, ``Assignee``/``经办人``, ``Created``/``创建日期``,
  ``Resolved``/``已解决`` ...). Repeated headers are normal in Jira exports: every ``Sprint``
  column is read; ``sprints`` keeps every sprint in column order (Jira writes them in the order
  the issue entered them) and ``sprint`` is the last one. Repeated ``Labels``/``Fix versions``
  columns are joined.
- Story points: ``Custom field (Story Points)`` (company-managed), else
  ``Custom field (Story point estimate)`` (team-managed), else a plain ``Story Points`` column.
- Parent: ``Parent key``, else ``Parent`` when it looks like an issue key, else ``Parent id``/
  ``Parent`` (a numeric id) resolved to a key through ``Issue id`` within the file; an id that
  cannot be resolved is kept as written and a note says so.
- ``Status Category`` (``To Do``/``In Progress``/``Done``, Chinese 待办/进行中/完成) is normalised to
  ``To Do``/``In Progress``/``Done``; when the column is absent it is inferred from the status
  name and a note says so.
- Dates: ``28/Nov/25 5:03 PM`` (Jira's default), ``28/十一月/25 5:03 下午`` (Chinese UI), ISO and
  slash dates; the time of day is dropped. Jira writes every date column in the one format the
  site is set to, so day-first vs month-first is decided from all its date columns together
  (Created, Updated, Resolved, Due date, Last Viewed...): ``11/28/2025`` in Created makes
  ``12/01/2025`` in Resolved 1 December, and a note says so. When the columns disagree, or no
  value decides, each column is decided on its own (``normalize.decide_dayfirst``).
- ``project_id``: the ``Project key`` column, else ``--project``/the chosen project, else the
  prefix of the issue key (``ABC`` from ``ABC-123``), with a note.
"""

from __future__ import annotations

import re

import pandas as pd

from ...schema import normalize_header
from ..base import Note, ParsedUpload, RawFile
from ..normalize import dayfirst_evidence, is_empty, parse_date
from ._common import (
    add_table,
    column_values,
    ensure_table,
    find_columns,
    first_value,
    has_column,
    new_result,
    note,
    status_category,
    text,
)

NAME = "jira_csv"
LABEL = "Jira CSV"

FIELDS: dict[str, tuple[str, ...]] = {
    "key": ("Issue key", "Key", "问题关键字", "关键字", "问题键", "事务关键字", "Clé de ticket"),
    "issue_id": ("Issue id", "问题ID", "问题 id", "问题编号", "事务ID"),
    "title": ("Summary", "概要", "摘要", "主题"),
    "type": ("Issue Type", "问题类型", "事务类型", "工作类型", "Work type"),
    "status": ("Status", "状态"),
    "status_category": ("Status Category", "状态类别", "状态分类"),
    "priority": ("Priority", "优先级"),
    "project_key": ("Project key", "项目关键字", "项目键", "项目密钥"),
    "project_name": ("Project name", "项目名称"),
    "assignee": ("Assignee", "经办人", "受理人", "指派给"),
    "created": ("Created", "创建日期", "创建时间", "已创建"),
    "resolved": ("Resolved", "已解决", "解决日期", "解决时间"),
    "sprint": ("Sprint", "冲刺", "Custom field (Sprint)", "自定义字段 (Sprint)"),
    "story_points": (
        "Custom field (Story Points)",
        "自定义字段 (Story Points)",
        "自定义字段 (故事点)",
        "Story Points",
        "故事点",
    ),
    "story_estimate": (
        "Custom field (Story point estimate)",
        "自定义字段 (Story point estimate)",
        "Story point estimate",
        "故事点估算",
        "自定义字段 (故事点估算)",
    ),
    "parent_key": ("Parent key", "父级关键字", "父问题关键字", "父项关键字"),
    "parent": ("Parent", "父级", "父项", "父问题"),
    "parent_id": ("Parent id", "父级ID", "父项ID", "父问题ID"),
    "fix_version": ("Fix versions", "Fix Version/s", "Fix version", "修复版本", "解决版本"),
    "labels": ("Labels", "标签"),
    "due": ("Due date", "Due", "到期日", "截止日期"),
    "resolution": ("Resolution", "解决结果", "解决方案"),
}
# date columns Jira writes but the product does not load: they still tell the site's date format
_OTHER_DATES = (
    "Updated",
    "Last Viewed",
    "Status Category Changed",
    "Custom field (Start date)",
    "已更新",
    "更新日期",
    "最近查看",
    "最后查看",
)
_KEY_RE = re.compile(r"^[A-Z][A-Z0-9_]+-\d+$")
_SIGNATURE = (
    FIELDS["key"],
    FIELDS["title"],
    FIELDS["type"] + FIELDS["status"],
    FIELDS["created"] + FIELDS["assignee"] + FIELDS["priority"] + ("Reporter", "报告人", "Updated", "已更新"),
)


def _sheet(raw: RawFile):
    return next(iter(raw.sheets.values()), None) if raw.kind == "csv" else None


def detect(raw: RawFile) -> float:
    sheet = _sheet(raw)
    if sheet is None:
        return 0.0
    cols = find_columns(sheet.headers, FIELDS)
    if "key" not in cols or "title" not in cols:
        return 0.0
    score = 0.6
    if "type" in cols or "status" in cols:
        score += 0.15
    if any(f in cols for f in ("created", "assignee", "priority")):
        score += 0.1
    # Jira-only tell-tales
    jira = {normalize_header(h) for h in sheet.headers}
    tells = [
        k
        for k in (
            "issueid",
            "projectkey",
            "statuscategory",
            "reporter",
            "报告人",
            "问题id",
            "项目关键字",
            "resolution",
            "解决结果",
            "sprint",
            "watchers",
            "关注者",
        )
        if k in jira
    ]
    score += min(0.12, 0.04 * len(tells))
    # keys look like ABC-123
    keys = [text(r[cols["key"][0]]) for r in sheet.rows[:50] if cols["key"][0] < len(r)]
    keys = [k for k in keys if k]
    if keys and sum(bool(_KEY_RE.match(k)) for k in keys) / len(keys) >= 0.8:
        score += 0.03
    return min(score, 0.97)


def _date_order(sheet, cols: dict[str, list[int]]) -> tuple[bool | None, list[str]]:
    """(day-first?, headers of the date columns) decided from every Jira date column together;
    ``None`` when the columns disagree or no value decides (each column then decides alone)."""
    idxs = [i for f in ("created", "resolved", "due") for i in cols.get(f, ())]
    other = {normalize_header(h) for h in _OTHER_DATES}
    idxs += [i for i, h in enumerate(sheet.headers) if normalize_header(h) in other]
    day = month = 0
    for i in idxs:
        _, d, m = dayfirst_evidence(column_values(sheet, i))
        day, month = day + d, month + m
    if bool(day) == bool(month):
        return None, []
    return bool(day), [sheet.headers[i] for i in idxs]


def _as_date(value, dayfirst: bool):
    """``value`` as a date read with the file's order; left as written when it is not a date
    (validation then reports it)."""
    if not isinstance(value, str):
        return value
    try:
        return parse_date(value, dayfirst=dayfirst)
    except ValueError:
        return value


def _join(row: list, idxs: list[int] | None) -> str | None:
    vals = [text(row[i]) for i in idxs or () if i < len(row)]
    vals = [v for v in vals if v]
    return ", ".join(dict.fromkeys(vals)) if vals else None


def parse(raw: RawFile, options) -> ParsedUpload:
    result = new_result(raw, NAME)
    sheet = _sheet(raw)
    cols = find_columns(sheet.headers, FIELDS)
    if "parent" in cols:  # "Parent summary" must not be read as the parent
        cols["parent"] = [i for i in cols["parent"] if normalize_header(sheet.headers[i]) != "parentsummary"]
    id_to_key: dict[str, str] = {}
    if "issue_id" in cols and "key" in cols:
        for r in sheet.rows:
            i, k = text(first_value(r, cols["issue_id"])), text(first_value(r, cols["key"]))
            if i and k:
                id_to_key[i] = k
    dayfirst, date_headers = _date_order(sheet, cols)
    records = []
    unresolved_parents = 0
    derived_project = 0
    for r in sheet.rows:
        key = text(first_value(r, cols.get("key")))
        rec: dict[str, object] = {"key": key}
        for f in ("title", "type", "status", "priority", "assignee", "created", "resolved"):
            rec[f] = first_value(r, cols.get(f))
        sprints = [text(r[i]) for i in cols.get("sprint", ()) if i < len(r)]
        sprints = list(dict.fromkeys(s for s in sprints if s))
        rec["sprints"] = sprints or None
        rec["sprint"] = sprints[-1] if sprints else None
        sp = first_value(r, cols.get("story_points"))
        if is_empty(sp):
            sp = first_value(r, cols.get("story_estimate"))
        rec["story_points"] = sp
        rec["fix_version"] = _join(r, cols.get("fix_version"))
        rec["status_category"] = status_category(first_value(r, cols.get("status_category")), rec["status"])
        parent = text(first_value(r, cols.get("parent_key")))
        if not parent:
            p = text(first_value(r, cols.get("parent")))
            if p and _KEY_RE.match(p):
                parent = p
            else:
                pid = text(first_value(r, cols.get("parent_id"))) or p
                if pid:
                    parent = id_to_key.get(pid)
                    if parent is None:
                        parent = pid
                        unresolved_parents += 1
        rec["parent"] = parent
        if has_column("work_items", "labels"):  # filled once the schema stores them
            labels = [text(r[i]) for i in cols.get("labels", ()) if i < len(r)]
            rec["labels"] = list(dict.fromkeys(x for x in labels if x)) or None
        if has_column("work_items", "due_date"):
            rec["due_date"] = first_value(r, cols.get("due"))
        if dayfirst is not None:
            for f in ("created", "resolved", "due_date"):
                if f in rec:
                    rec[f] = _as_date(rec[f], dayfirst)
        project = text(first_value(r, cols.get("project_key")))
        if not project and not options.project_id and key and "-" in key:
            project = key.rsplit("-", 1)[0]
            derived_project += 1
        rec["project_id"] = project
        records.append(rec)
    frame = pd.DataFrame.from_records(
        records,
        columns=[
            "project_id",
            "key",
            "title",
            "type",
            "status",
            "status_category",
            "priority",
            "story_points",
            "sprint",
            "sprints",
            "fix_version",
            "created",
            "resolved",
            "assignee",
            "parent",
        ]
        + [c for c in ("labels", "due_date") if has_column("work_items", c)],
    )
    if dayfirst is False:
        note(result, Note("note.jira.dates_mdy", columns=", ".join(dict.fromkeys(date_headers))))
    if "status_category" not in cols:
        note(result, Note("note.jira.category_inferred"))
    if len(cols.get("sprint", ())) > 1:
        note(result, Note("note.jira.sprint_columns", n=len(cols["sprint"])))
    if "story_points" in cols and "story_estimate" in cols:
        note(result, Note("note.jira.story_points"))
    if derived_project:
        note(result, Note("note.jira.project_from_key", n=derived_project))
    if unresolved_parents:
        note(result, Note("note.jira.parents_unresolved", n=unresolved_parents))
    # columns read for a field the work items table does not store (Project name, Resolution; Labels
    # and Due date until the table has them) are listed with the ones no field claims
    stored = set(cols) - {"project_name", "resolution"}
    stored -= {f for f, c in (("labels", "labels"), ("due", "due_date")) if not has_column("work_items", c)}
    unused = [h for i, h in enumerate(sheet.headers) if h and not any(i in cols[f] for f in stored)]
    unused = list(dict.fromkeys(unused))  # a repeated header (Watchers, Labels) named once
    if unused:
        note(result, Note("note.columns_unused", columns=", ".join(unused[:15]) + (" …" if len(unused) > 15 else "")))
    headers = {
        f: sheet.headers[cols[f][0]]
        for f in ("key", "title", "type", "status", "priority", "assignee", "created", "resolved")
        if f in cols
    }
    if "project_key" in cols:
        headers["project_id"] = sheet.headers[cols["project_key"][0]]
    if "sprint" in cols:
        headers["sprint"] = headers["sprints"] = sheet.headers[cols["sprint"][0]]
    for f in ("story_points", "story_estimate"):
        if f in cols:
            headers.setdefault("story_points", sheet.headers[cols[f][0]])
    add_table(
        result,
        "work_items",
        frame,
        file=raw.name,
        sheet=sheet.name,
        row_numbers=[sheet.file_row(i) for i in range(len(sheet.rows))],
        headers=headers,
        defaults={"project_id": options.project_id},
    )
    ensure_table(result, "work_items")
    return result
