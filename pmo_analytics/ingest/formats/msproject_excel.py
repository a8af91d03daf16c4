"""MS Project "Export to Excel" (File > Export > Save Project as File > Excel Workbook, or the
Export Wizard's task map) -> ``tasks`` + ``links``.

Rules:
- The task sheet is ``Task_Table1`` (Chinese MS Project: ``任务_表1``) or any sheet whose headers
  are MS Project task fields, written with underscores (``Percent_Complete``, ``Resource_Names``,
  ``Baseline_Start``) or spaces, in English or Chinese (任务名称, 开始时间, 完成时间, 完成百分比,
  前置任务, 资源名称, 比较基准开始时间, 成本, 实际成本 ...). Resource and assignment sheets are
  ignored with a note.
- ``task_id`` is ``Unique_ID`` when exported, else ``ID``. ``Predecessors`` (``3FS+2 days;5SS``,
  ``3,5``, ``4完成-开始+1 个工作日``) refer to the ``ID`` column and are resolved to task ids; the type
  defaults to FS; a lag with units (``2 days``, ``1w``, ``4h``, ``2 个工作日``, ``3 ed``) becomes
  working days (8 h a day, 5 days a week, elapsed days count 5/7), a ``50%`` lag uses the
  predecessor's duration.
- Durations (``5 days``, ``0 days?``) decide ``is_milestone`` when no ``Milestone`` column exists
  (duration 0). ``Total_Slack`` (``2 days``) becomes ``total_float_days``.
- ``Percent_Complete``: ``50%`` or whole numbers 0..100 (fractions such as 0.5 when the column
  holds fractions).
- Budget: ``Baseline_Cost`` when exported, else ``Cost`` (a note says which). Columns not
  loaded (``Task_Mode``, ``Notes``, ``Cost`` beside ``Baseline_Cost`` ...) are listed in a note.
- ``Constraint_Type`` names (``Start No Earlier Than``, ``不得早于...开始``) become ``SNET`` etc.
- Summaries: the ``Summary`` column when exported, else from the outline (``Outline_Level``, else
  the depth of ``Outline_Number``/``WBS`` such as ``1.2``): a task followed by a deeper one is a
  summary, as in MS Project, with a note.
- Three-point estimates (schedule risk): columns named as MS Project's PERT fields
  (``Optimistic_Duration``, ``Expected_Duration``, ``Pessimistic_Duration``; 乐观工期, 预期工期,
  悲观工期) are read as ``duration_optimistic``/``likely``/``pessimistic``. Custom fields
  (``Duration1`` .. ``Duration10``, where MS Project 2007's PERT analysis kept them) are read
  only when the person names them (``ParseOptions.fields``, ``import --field
  duration_optimistic=Duration1``); present but not named, a note says how: never guessed.
- Rows with ``Active`` = No (inactive tasks) are skipped with a note. The project summary row
  (ID 0) is not a task; its name is the project id when none was chosen; otherwise the file name.
"""

from __future__ import annotations

import re

from ...schema import normalize_header
from ..base import Note, ParsedUpload, RawFile
from ..normalize import is_empty, parse_bool, parse_text
from . import _schedule
from ._common import file_stem, find_columns, first_value, new_result, note

NAME = "msproject_excel"
LABEL = "MS Project Excel export"

FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("ID", "标识号"),
    "unique_id": ("Unique_ID", "Unique ID", "唯一标识号"),
    "active": ("Active", "有效", "活动"),
    "name": ("Name", "Task_Name", "Task Name", "名称", "任务名称"),
    "wbs": ("WBS", "Outline_Number", "大纲数字", "WBS 码"),
    "outline_level": ("Outline_Level", "大纲级别"),
    "is_summary": ("Summary", "摘要", "摘要任务"),
    "is_milestone": ("Milestone", "里程碑"),
    "duration": ("Duration", "工期"),
    "start": ("Start", "开始时间", "开始"),
    "finish": ("Finish", "完成时间", "完成"),
    "baseline_start": ("Baseline_Start", "比较基准开始时间", "基线开始时间"),
    "baseline_finish": ("Baseline_Finish", "比较基准完成时间", "基线完成时间"),
    "actual_start": ("Actual_Start", "实际开始时间"),
    "actual_finish": ("Actual_Finish", "实际完成时间"),
    "percent_complete": ("Percent_Complete", "% Complete", "完成百分比"),
    "cost": ("Cost", "成本"),
    "baseline_cost": ("Baseline_Cost", "比较基准成本", "基线成本"),
    "actual_cost": ("Actual_Cost", "实际成本"),
    "resource_names": ("Resource_Names", "资源名称"),
    "predecessors": ("Predecessors", "前置任务"),
    "constraint_type": ("Constraint_Type", "限制类型"),
    "constraint_date": ("Constraint_Date", "限制日期"),
    "total_float_days": ("Total_Slack", "总可宽延时间", "总时差"),
    "duration_optimistic": ("Optimistic_Duration", "Optimistic Duration", "乐观工期"),
    "duration_likely": ("Expected_Duration", "Expected Duration", "Most_Likely_Duration", "预期工期", "最可能工期"),
    "duration_pessimistic": ("Pessimistic_Duration", "Pessimistic Duration", "悲观工期"),
}
# columns a custom field (Duration1..10) can feed when the person says which (ParseOptions.fields)
CUSTOM_COLUMNS = ("duration_optimistic", "duration_likely", "duration_pessimistic")
_CUSTOM_DURATION = re.compile(r"^(duration|工期)\s*_?\s*(10|[1-9])$", re.IGNORECASE)
_SHEET_RE = re.compile(r"^(task_table\d*|任务_表\d*|任务表\d*)$", re.IGNORECASE)
_OTHER_SHEET_RE = re.compile(r"^(resource_table\d*|assignment_table\d*|资源_表\d*|工作分配_表\d*)$", re.IGNORECASE)
_UNDERSCORE_TELLS = {
    "percentcomplete",
    "resourcenames",
    "baselinestart",
    "baselinefinish",
    "outlinelevel",
    "uniqueid",
    "totalslack",
    "actualcost",
    "tasksmode",
    "taskmode",
    "constrainttype",
}


def _task_sheet(raw: RawFile):
    """(sheet, score) of the sheet most like an MS Project task table."""
    best, best_score = None, 0.0
    for name, sheet in raw.sheets.items():
        cols = find_columns(sheet.headers, FIELDS)
        core = sum(1 for f in ("name", "duration", "start", "finish", "predecessors") if f in cols)
        if core < 3 or "name" not in cols:
            continue
        tells = {normalize_header(h) for h in sheet.headers if "_" in h} & _UNDERSCORE_TELLS
        chinese = {"比较基准开始时间", "完成百分比", "前置任务", "资源名称", "工期", "标识号", "唯一标识号"} & set(
            sheet.headers
        )
        named = bool(_SHEET_RE.match(name.strip()))
        if not (named or tells or chinese or ("duration" in cols and "predecessors" in cols)):
            continue  # generic task lists (the PMO template) are not MS Project exports
        score = 0.45 + 0.05 * core
        if named:
            score += 0.25
        score += min(0.2, 0.05 * (len(tells) + len(chinese)))
        if "id" in cols or "unique_id" in cols:
            score += 0.03
        if score > best_score:
            best, best_score = sheet, score
    return best, min(best_score, 0.97)


def detect(raw: RawFile) -> float:
    if raw.kind not in ("xlsx", "csv"):
        return 0.0
    _, score = _task_sheet(raw)
    return score if raw.kind == "xlsx" else score * 0.9


_OUTLINE_NUMBER = re.compile(r"^\d+(\.\d+)*$")


def _level(rec: dict) -> int | None:
    """A task's outline level: ``Outline_Level``, else the depth of an outline number (``1.2.3`` = 3)."""
    lv = parse_text(rec.get("outline_level"))
    if lv and lv.isdigit():
        return int(lv)
    wbs = parse_text(rec.get("wbs"))
    if wbs and _OUTLINE_NUMBER.match(wbs):
        return wbs.count(".") + 1
    return None


def _summaries_from_outline(records: list[dict]) -> int:
    """Mark as a summary each task followed by a deeper one (MS Project's rule: a summary is a task
    with subtasks, which sit directly under it in outline order), for exports without a Summary
    column; fills a missing outline level from the outline number. Returns how many were marked."""
    levels = [_level(r) for r in records]
    marked = 0
    for k, rec in enumerate(records):
        level = levels[k]
        if level is None:
            continue
        if is_empty(rec.get("outline_level")):
            rec["outline_level"] = level
        nxt = levels[k + 1] if k + 1 < len(records) else None
        rec["is_summary"] = bool(nxt is not None and nxt > level)
        marked += rec["is_summary"]
    return marked


def _custom_fields(result: ParsedUpload, sheet, cols: dict, chosen: dict) -> None:
    """Add the custom fields the person named (``{column: header}``) to ``cols``; a named header
    the sheet lacks, or a column that is not a three-point estimate, is a ``FormatError`` naming
    it. Custom duration fields present but not named get a note saying how to load them."""
    from ...errors import FormatError

    keys = {normalize_header(h): j for j, h in enumerate(sheet.headers) if h}
    for column, header in chosen.items():
        if column not in CUSTOM_COLUMNS:
            raise FormatError(
                key="ingest.field_column", params={"column": column, "columns": ", ".join(CUSTOM_COLUMNS)}
            )
        j = keys.get(normalize_header(str(header)))
        if j is None:
            raise FormatError(
                key="ingest.field_missing", params={"file": result.source_name, "sheet": sheet.name, "header": header}
            )
        cols[column] = [j]
    used = {j for i in cols.values() for j in i}
    custom = [h for j, h in enumerate(sheet.headers) if h and j not in used and _CUSTOM_DURATION.match(str(h).strip())]
    if custom:
        note(result, Note("note.msp.custom_durations", columns=", ".join(custom)))
    offered = [h for h in sheet.headers if h and _CUSTOM_DURATION.match(str(h).strip())]
    if offered:  # the Import page asks which custom field is which estimate
        result.open_choices["custom_fields"] = {
            "headers": offered,
            "columns": list(CUSTOM_COLUMNS),
            "chosen": {c: str(h) for c, h in chosen.items()},
        }


def parse(raw: RawFile, options) -> ParsedUpload:
    result = new_result(raw, NAME)
    sheet, _ = _task_sheet(raw)
    for name in raw.sheets:
        if sheet is not None and name != sheet.name:
            other = bool(_OTHER_SHEET_RE.match(name))
            note(result, Note("note.msp.sheet_ignored_other" if other else "note.sheet_ignored", sheet=name))
    cols = find_columns(sheet.headers, FIELDS)
    _custom_fields(result, sheet, cols, getattr(options, "fields", None) or {})
    hdr = {f: sheet.headers[i[0]] for f, i in cols.items()}
    id_field = "unique_id" if "unique_id" in cols else "id"
    rows = _schedule.ScheduleRows()
    ref_to_id: dict[str, str] = {}
    project_id = options.project_id
    project_from = "chosen"
    inactive = 0
    for i, r in enumerate(sheet.rows):

        def get(f, _r=r):
            return first_value(_r, cols.get(f))

        if all(is_empty(v) for v in r):
            continue
        rid = parse_text(get("id"))
        if rid == "0" or parse_text(get("outline_level")) == "0":
            if not project_id and parse_text(get("name")):
                project_id, project_from = parse_text(get("name")), "summary"
            continue
        active = get("active")
        if not is_empty(active):
            try:
                if parse_bool(active) is False:
                    inactive += 1
                    continue
            except ValueError:
                pass
        tid = parse_text(get(id_field)) or rid
        if rid and tid:
            ref_to_id[rid] = tid
        cost = get("baseline_cost") if "baseline_cost" in cols else get("cost")
        rec = {
            "task_id": tid,
            "wbs": get("wbs"),
            "name": get("name"),
            "outline_level": get("outline_level"),
            "is_summary": get("is_summary"),
            "is_milestone": get("is_milestone") if "is_milestone" in cols else None,
            "start": get("start"),
            "finish": get("finish"),
            "baseline_start": get("baseline_start"),
            "baseline_finish": get("baseline_finish"),
            "actual_start": get("actual_start"),
            "actual_finish": get("actual_finish"),
            "percent_complete": get("percent_complete"),
            "bac": cost,
            "actual_cost": get("actual_cost"),
            "resource_names": get("resource_names"),
            "constraint_type": get("constraint_type"),
            "constraint_date": get("constraint_date"),
            "total_float_days": get("total_float_days"),
            "duration_optimistic": get("duration_optimistic"),
            "duration_likely": get("duration_likely"),
            "duration_pessimistic": get("duration_pessimistic"),
        }
        rows.records.append(rec)
        rows.row_numbers.append(sheet.file_row(i))
        rows.predecessors.append(get("predecessors"))
        rows.durations.append(get("duration"))
    if "is_summary" not in cols:
        derived = _summaries_from_outline(rows.records)
        if derived:
            note(result, Note("note.msp.summary_from_outline", n=derived))
    if not project_id:
        project_id, project_from = file_stem(raw.name), "file"
    for rec in rows.records:
        rec["project_id"] = project_id
    rows.headers = {
        "task_id": hdr.get(id_field, "ID"),
        **{f: hdr[f] for f in hdr if f in _schedule.TASK_COLUMNS},
        "bac": hdr.get("baseline_cost") or hdr.get("cost") or "Cost",
        "_duration": hdr.get("duration", "Duration"),
    }
    if project_from != "chosen":
        summary = project_from == "summary"
        note(result, Note("note.msp.project_from_summary" if summary else "note.project_from_file", project=project_id))
    if id_field == "unique_id":
        note(result, Note("note.msp.unique_ids"))
    note(result, Note("note.msp.bac_baseline_cost" if "baseline_cost" in cols else "note.msp.bac_cost"))
    if inactive:
        note(result, Note("note.msp.inactive", n=inactive))
    stored = set(cols) - ({"cost"} if "baseline_cost" in cols else set())
    unused = [h for j, h in enumerate(sheet.headers) if h and not any(j in cols[f] for f in stored)]
    unused = list(dict.fromkeys(unused))
    if unused:
        note(result, Note("note.columns_unused", columns=", ".join(unused[:15]) + (" …" if len(unused) > 15 else "")))
    _schedule.build(
        result,
        raw,
        sheet,
        rows,
        project_id=project_id,
        ref_to_id=ref_to_id,
        pred_column=hdr.get("predecessors", "Predecessors"),
        separators=";,",
    )
    return result
