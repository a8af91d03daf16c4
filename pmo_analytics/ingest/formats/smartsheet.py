"""Smartsheet project sheet exported to Excel or CSV -> ``tasks`` + ``links``.

Rules:
- Columns: ``Task Name`` (the primary column; a sheet whose primary column is named otherwise,
  such as ``Features``, has it found as the first unclaimed column of text, with a note),
  ``Duration``, ``Start``/``Start Date``,
  ``Finish``/``End Date``, ``Predecessors``, ``Assigned To``, ``% Complete``, ``Baseline Start``,
  ``Baseline Finish``; ``Variance``, ``Status``, comments and columns of the sheet's own are not
  stored (a note lists them).
- ``task_id`` is the Smartsheet row number (1 = first row under the header, blank rows counted),
  which is what ``Predecessors`` refer to: ``2``, ``2FS +2d``, ``3SS -1d, 4FF``; lags ``d``, ``w``,
  ``h``, ``~d`` (elapsed, 5/7) become working days.
- Hierarchy: in an xlsx export the primary column's cell indent gives the level; in CSV
  (where Smartsheet drops indentation) leading spaces do (2 spaces a level). A row followed by a
  deeper row is a summary; ``wbs`` is built from the hierarchy (1, 1.1, 1.2, 2 ...).
- ``% Complete``: fractions in an xlsx export (cells formatted as %), ``50%`` text in CSV.
- Duration ``0`` marks a milestone. ``project_id``: the chosen project, else the sheet name of an
  xlsx export (Smartsheet names it after the sheet), else the file name.
"""

from __future__ import annotations

import io

from ..base import Note, ParsedUpload, Problem, RawFile, RawSheet
from ..normalize import is_empty, parse_date, parse_float, parse_text
from . import _schedule
from ._common import column_values, file_stem, find_columns, first_value, new_result, note

NAME = "smartsheet"
LABEL = "Smartsheet project sheet"

FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("Task Name", "Task", "任务名称", "Primary"),
    "duration": ("Duration", "工期"),
    "start": ("Start Date", "Start", "开始日期"),
    "finish": ("End Date", "Finish", "Finish Date", "End", "结束日期", "完成日期"),
    "predecessors": ("Predecessors", "前置任务"),
    "resource_names": ("Assigned To", "Assigned to", "分配给", "负责人"),
    "percent_complete": ("% Complete", "Percent Complete", "完成百分比"),
    "baseline_start": ("Baseline Start", "基准开始"),
    "baseline_finish": ("Baseline Finish", "基准完成", "Baseline End"),
    "variance": ("Variance", "差异"),
    "status": ("Status", "状态"),
    "comments": ("Comments", "评论", "Notes"),
    "at_risk": ("At Risk", "有风险"),
}


def _columns(sheet: RawSheet) -> tuple[dict[str, list[int]], bool]:
    """(columns by field, whether the primary column was guessed). Smartsheet lets a sheet name
    its primary column anything ("Features", "Deliverable"): when no header says Task Name, the
    first column no other field claims whose values are mostly text (not numbers or dates) is
    taken as the primary column, provided the sheet has Predecessors and two schedule columns."""
    cols = find_columns(sheet.headers, FIELDS)
    if "name" in cols or "predecessors" not in cols:
        return cols, False
    claimed = {i for idxs in cols.values() for i in idxs}
    for i, h in enumerate(sheet.headers):
        if i in claimed or not h:
            continue
        vals = [v for v in column_values(sheet, i)[:200] if not is_empty(v)]
        if not vals:
            continue
        texts = sum(1 for v in vals if isinstance(v, str) and not _looks_like_number_or_date(v))
        if texts / len(vals) >= 0.8:
            cols["name"] = [i]
            return cols, True
    return cols, False


def _looks_like_number_or_date(v: str) -> bool:
    t = v.strip()
    try:
        parse_float(t)
        return True
    except ValueError:
        pass
    try:
        parse_date(t)
        return True
    except ValueError:
        return False


def _sheet(raw: RawFile) -> tuple[RawSheet | None, float]:
    best, best_score = None, 0.0
    for sheet in raw.sheets.values():
        cols, guessed = _columns(sheet)
        if "name" not in cols or "predecessors" not in cols:
            continue
        core = sum(1 for f in ("duration", "start", "finish", "resource_names", "percent_complete") if f in cols)
        if core < 2:
            continue
        score = 0.5 + 0.06 * core
        if "baseline_start" in cols or "variance" in cols:
            score += 0.06
        names = {h.strip().casefold() for h in sheet.headers}
        if "task name" in names and ("end date" in names or "assigned to" in names):
            score += 0.1  # Smartsheet's own spellings (MS Project says Name/Finish/Resource Names)
        if guessed:
            score -= 0.05  # a primary column named otherwise: a little less certain
        if score > best_score:
            best, best_score = sheet, score
    return best, min(best_score, 0.95)


def detect(raw: RawFile) -> float:
    if raw.kind not in ("xlsx", "csv"):
        return 0.0
    return _sheet(raw)[1]


def _indents(raw: RawFile, sheet: RawSheet, col: int) -> list[int] | None:
    """Cell indent of the primary column for each data row (xlsx only), via openpyxl (defusedxml
    protects it; the workbook already passed ``check_xlsx``)."""
    if raw.kind != "xlsx":
        return None
    try:
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(raw.data), read_only=True)
        ws = wb[sheet.name]
        excel_col = sheet.first_col + col + 1
        first = sheet.header_row + 1
        out = []
        for (cell,) in ws.iter_rows(
            min_row=first, max_row=first + len(sheet.rows) - 1, min_col=excel_col, max_col=excel_col
        ):
            al = getattr(cell, "alignment", None)
            out.append(int(al.indent or 0) if al is not None else 0)
        wb.close()
        return out + [0] * (len(sheet.rows) - len(out))
    except Exception:  # noqa: BLE001 - indentation is a nicety; fall back to leading spaces
        return None


def parse(raw: RawFile, options) -> ParsedUpload:
    result = new_result(raw, NAME)
    sheet, _ = _sheet(raw)
    assert sheet is not None  # parse runs on a file detect() scored
    cols, guessed = _columns(sheet)
    hdr = {f: sheet.headers[i[0]] for f, i in cols.items()}
    if guessed:
        note(result, Note("note.smartsheet.primary_column", column=hdr["name"]))
    generic = {"sheet1", "sheet", "工作表1", "sheet 1", ""}
    if options.project_id:
        project_id = options.project_id
    elif raw.kind == "xlsx" and sheet.name.strip().casefold() not in generic:
        project_id = sheet.name.strip()
        note(result, Note("note.project_from_sheet", project=project_id))
    else:
        project_id = file_stem(raw.name)
        note(result, Note("note.project_from_file", project=project_id))
    name_col = cols["name"][0]
    indents = _indents(raw, sheet, name_col)
    levels: list[int | None] = []
    for i, r in enumerate(sheet.rows):
        v = r[name_col] if name_col < len(r) else None
        if is_empty(v):
            levels.append(None)
            if any(not is_empty(x) for x in r):  # values but no name: not a task, and said so
                shown = ", ".join(str(x) for x in r if not is_empty(x))[:120]
                result.problems.append(
                    Problem.of(raw.name, sheet.name, sheet.file_row(i), hdr["name"], shown, "validate.no_task_name")
                )
                result.rows_in += 1
                result.rejected_rows += 1
            continue
        if indents is not None and indents[i]:
            levels.append(indents[i] + 1)
        else:
            s = str(v).replace("\u00a0", " ").replace("\u3000", "  ")
            levels.append((len(s) - len(s.lstrip(" "))) // 2 + 1)
    used = [lv for lv in levels if lv is not None]
    if used and max(used) > 1:
        indented = bool(indents and any(indents))
        note(result, Note("note.smartsheet.hierarchy_indent" if indented else "note.smartsheet.hierarchy_spaces"))
    elif raw.kind == "csv":
        note(result, Note("note.smartsheet.no_hierarchy"))
    rows = _schedule.ScheduleRows()
    ref_to_id: dict[str, str] = {}
    counters: list[int] = []
    nonempty = [i for i, lv in enumerate(levels) if lv is not None]
    for k, i in enumerate(nonempty):
        r = sheet.rows[i]

        def get(f, _r=r):
            return first_value(_r, cols.get(f))

        level = levels[i]
        nxt = levels[nonempty[k + 1]] if k + 1 < len(nonempty) else None
        level = min(level, len(counters) + 1)
        del counters[level:]
        if len(counters) < level:
            counters.append(0)
        counters[level - 1] += 1
        tid = str(i + 1)
        ref_to_id[tid] = tid
        rows.records.append(
            {
                "project_id": project_id,
                "task_id": tid,
                "wbs": ".".join(map(str, counters)),
                "name": parse_text(get("name")),
                "outline_level": level,
                "is_summary": bool(nxt and nxt > level),
                "is_milestone": None,
                "start": get("start"),
                "finish": get("finish"),
                "baseline_start": get("baseline_start"),
                "baseline_finish": get("baseline_finish"),
                "percent_complete": get("percent_complete"),
                "resource_names": get("resource_names"),
            }
        )
        rows.row_numbers.append(sheet.file_row(i))
        rows.predecessors.append(get("predecessors"))
        rows.durations.append(get("duration"))
    rows.headers = {
        "task_id": "row number",
        **{f: h for f, h in hdr.items() if f in _schedule.TASK_COLUMNS},
        "_duration": hdr.get("duration", "Duration"),
    }
    skipped = [hdr[f] for f in ("variance", "status", "comments", "at_risk") if f in hdr]
    skipped += [h for j, h in enumerate(sheet.headers) if h and not any(j in v for v in cols.values())]
    if skipped:
        note(result, Note("note.columns_not_stored", columns=", ".join(skipped)))
    note(result, Note("note.smartsheet.row_ids"))
    _schedule.build(
        result,
        raw,
        sheet,
        rows,
        project_id=project_id,
        ref_to_id=ref_to_id,
        pred_column=hdr.get("predecessors", "Predecessors"),
        separators=",;",
        percent_fractions=raw.kind == "xlsx",
    )
    return result
