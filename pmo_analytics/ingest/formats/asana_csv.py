"""Asana project CSV export ("Export/Print > CSV") -> ``work_items``, plus ``tasks`` and
``links`` for the tasks that are scheduled.

Rules:
- The header row may sit below spacer or title rows (found by the reader). Columns: ``Task ID``,
  ``Name``, ``Section/Column``, ``Assignee``, ``Created At``, ``Completed At``, ``Start Date``,
  ``Due Date``, ``Projects``, ``Parent task``, ``Blocked By (Dependencies)``; other columns
  (custom fields, tags, notes) are listed in a note.
- work_items: ``key`` = Task ID, ``title`` = Name, ``status`` = the section, ``status_category``
  = Done when ``Completed At`` is filled, else from the section name (Doing/In Progress/Review ->
  In Progress, everything else To Do); ``created``/``resolved`` from Created At/Completed At;
  ``parent``: Asana writes the parent task's *name*; it is turned into the parent's Task ID when
  exactly one task in the file has that name (kept as written otherwise, with a note).
- tasks: only rows with both a Start Date and a Due Date (an Asana task with only a due date has
  no duration to schedule); ``percent_complete`` is 1 when completed and empty otherwise
  (Asana records no partial progress); ``resource_names`` = Assignee.
- links: each ``Blocked By`` entry (Task IDs, or names matched within the file) becomes a
  finish-to-start link from the blocking task, lag 0.
- ``project_id``: the chosen project, else the first name in ``Projects``, else the file name.
"""

from __future__ import annotations

import re

import pandas as pd

from ..base import Note, ParsedUpload, Problem, RawFile
from ..normalize import is_empty
from ._common import (
    DOING,
    DONE,
    TODO,
    add_table,
    ensure_table,
    file_stem,
    find_columns,
    first_value,
    new_result,
    note,
    status_category,
    text,
)

NAME = "asana_csv"
LABEL = "Asana CSV"

FIELDS: dict[str, tuple[str, ...]] = {
    "task_id": ("Task ID", "任务 ID", "任务ID"),
    "name": ("Name", "Task Name", "名称", "任务名称"),
    "section": ("Section/Column", "Section", "Column", "分组/栏", "分组", "栏"),
    "assignee": ("Assignee", "负责人", "指派对象"),
    "created": ("Created At", "创建时间", "创建于"),
    "completed": ("Completed At", "完成时间", "完成于"),
    "start": ("Start Date", "开始日期"),
    "due": ("Due Date", "截止日期", "到期日"),
    "projects": ("Projects", "项目"),
    "parent": ("Parent task", "Parent Task", "父任务"),
    "blocked_by": ("Blocked By (Dependencies)", "Blocked By", "Dependencies", "被阻止", "依赖项"),
    "modified": ("Last Modified", "最后修改"),
    "email": ("Assignee Email",),
    "tags": ("Tags", "标签"),
    "notes": ("Notes", "备注"),
    "blocking": ("Blocking (Dependencies)", "Blocking"),
}
_DOING = ("doing", "progress", "review", "testing", "wip", "进行", "处理中", "审核", "测试")


def _sheet(raw: RawFile):
    return next(iter(raw.sheets.values()), None) if raw.kind in ("csv", "xlsx") and raw.sheets else None


def detect(raw: RawFile) -> float:
    sheet = _sheet(raw)
    if sheet is None:
        return 0.0
    cols = find_columns(sheet.headers, FIELDS)
    if "task_id" not in cols or "name" not in cols:
        return 0.0
    score = 0.55 + 0.06 * sum(
        1 for f in ("section", "completed", "due", "projects", "parent", "blocked_by", "modified") if f in cols
    )
    return min(score if raw.kind == "csv" else score - 0.05, 0.96)


def _category(completed, section) -> str | None:
    if not is_empty(completed):
        return DONE
    s = (text(section) or "").casefold()
    cat = status_category(None, section)
    if cat == DONE:
        return DOING  # in a "Done" section but not ticked complete
    if cat == DOING and not any(w in s for w in _DOING):
        return TODO
    return cat or TODO


def parse(raw: RawFile, options) -> ParsedUpload:
    result = new_result(raw, NAME)
    sheet = _sheet(raw)
    cols = find_columns(sheet.headers, FIELDS)
    hdr = {f: sheet.headers[i[0]] for f, i in cols.items()}
    rows = [(i, r) for i, r in enumerate(sheet.rows) if not all(is_empty(v) for v in r)]
    ids = {text(first_value(r, cols.get("task_id"))) for _, r in rows} - {None}
    by_name: dict[str, list[str]] = {}
    for _, r in rows:
        n, t = text(first_value(r, cols.get("name"))), text(first_value(r, cols.get("task_id")))
        if n and t:
            by_name.setdefault(n.casefold(), []).append(t)

    def resolve(ref: str) -> str | None:
        if ref in ids:
            return ref
        hits = by_name.get(ref.casefold(), [])
        return hits[0] if len(hits) == 1 else None

    project = options.project_id
    source = None
    if not project:
        for _, r in rows:
            p = text(first_value(r, cols.get("projects")))
            if p:
                project, source = re.split(r",\s*", p)[0], "column"
                break
    if not project:
        project, source = file_stem(raw.name), "file"
    if source:
        note(
            result,
            Note("note.asana.project_from_column" if source == "column" else "note.project_from_file", project=project),
        )

    items, item_rows, tasks, task_rows, links, link_rows = [], [], [], [], [], []
    parents_unresolved = unscheduled = 0
    for i, r in rows:

        def get(f, _r=r):
            return first_value(_r, cols.get(f))

        rn = sheet.file_row(i)
        tid = text(get("task_id"))
        parent = text(get("parent"))
        if parent:
            resolved = resolve(parent)
            if resolved is None:
                parents_unresolved += 1
            parent = resolved or parent
        items.append(
            {
                "project_id": project,
                "key": tid,
                "title": get("name"),
                "type": "Task",
                "status": get("section"),
                "status_category": _category(get("completed"), get("section")),
                "created": get("created"),
                "resolved": get("completed"),
                "assignee": get("assignee"),
                "parent": parent,
            }
        )
        item_rows.append(rn)
        if not is_empty(get("start")) and not is_empty(get("due")):
            tasks.append(
                {
                    "project_id": project,
                    "task_id": tid,
                    "name": get("name"),
                    "start": get("start"),
                    "finish": get("due"),
                    "percent_complete": 1.0 if not is_empty(get("completed")) else None,
                    "resource_names": get("assignee"),
                    "is_summary": False,
                    "is_milestone": False,
                }
            )
            task_rows.append(rn)
        elif not is_empty(get("due")):
            unscheduled += 1
        blocked = text(get("blocked_by"))
        if blocked and tid:
            for ref in [x.strip() for x in re.split(r"[,;\n]", blocked) if x.strip()]:
                pred = resolve(ref)
                if pred is None:
                    result.problems.append(
                        Problem.of(
                            raw.name,
                            sheet.name,
                            rn,
                            hdr.get("blocked_by"),
                            ref,
                            "asana.blocker_missing",
                            None,
                            "warning",
                        )
                    )
                    continue
                links.append(
                    {"project_id": project, "pred_task_id": pred, "succ_task_id": tid, "type": "FS", "lag_days": 0.0}
                )
                link_rows.append(rn)
    unused = [h for f, h in hdr.items() if f in ("modified", "email", "tags", "notes", "blocking")]
    unused += [h for j, h in enumerate(sheet.headers) if h and not any(j in v for v in cols.values())]
    if unused:
        note(result, Note("note.columns_unused", columns=", ".join(unused[:15])))
    if parents_unresolved:
        note(result, Note("note.asana.parents_unresolved", n=parents_unresolved))
    if unscheduled:
        note(result, Note("note.asana.schedule_tasks_some", n=len(tasks), unscheduled=unscheduled))
    else:
        note(result, Note("note.asana.schedule_tasks", n=len(tasks)))
    headers = {
        "key": hdr.get("task_id", "Task ID"),
        "title": hdr.get("name", "Name"),
        "status": hdr.get("section", ""),
        "created": hdr.get("created", ""),
        "resolved": hdr.get("completed", ""),
        "assignee": hdr.get("assignee", ""),
        "parent": hdr.get("parent", ""),
    }
    if items:
        add_table(
            result,
            "work_items",
            pd.DataFrame.from_records(items),
            file=raw.name,
            sheet=sheet.name,
            row_numbers=item_rows,
            headers={k: v for k, v in headers.items() if v},
        )
    ensure_table(result, "work_items")
    if tasks:
        add_table(
            result,
            "tasks",
            pd.DataFrame.from_records(tasks),
            file=raw.name,
            sheet=sheet.name,
            row_numbers=task_rows,
            headers={
                "task_id": hdr.get("task_id", "Task ID"),
                "start": hdr.get("start", ""),
                "finish": hdr.get("due", ""),
                "name": hdr.get("name", "Name"),
            },
        )
    if links:
        add_table(
            result,
            "links",
            pd.DataFrame.from_records(links),
            file=raw.name,
            sheet=sheet.name,
            row_numbers=link_rows,
            headers={"pred_task_id": hdr.get("blocked_by", "Blocked By")},
        )
    return result
