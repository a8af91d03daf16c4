"""Shared by the spreadsheet schedule formats (MS Project "Export to Excel", Smartsheet):
one task per row -> ``tasks``, the predecessor column -> ``links``.

A format module recognises its columns and passes, per row, a dict of canonical task fields
with raw values plus the raw predecessor text; this module converts durations, float, percent
complete and constraint names, parses predecessors into links (references resolved to task ids),
reports every value it cannot read as a ``Problem`` naming file, sheet, row and column, and
validates both tables through ``coerce_table``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..base import Note, ParsedUpload, Problem, RawFile, RawSheet
from ..normalize import is_empty, parse_float, parse_text
from ._common import add_table, ensure_table, note, parse_duration_days, parse_predecessors

CONSTRAINT_NAMES = {
    "as soon as possible": "ASAP",
    "as late as possible": "ALAP",
    "must start on": "MSO",
    "must finish on": "MFO",
    "start no earlier than": "SNET",
    "start no later than": "SNLT",
    "finish no earlier than": "FNET",
    "finish no later than": "FNLT",
    "越早越好": "ASAP",
    "越晚越好": "ALAP",
    "必须开始于": "MSO",
    "必须完成于": "MFO",
    "不得早于...开始": "SNET",
    "不得晚于...开始": "SNLT",
    "不得早于...完成": "FNET",
    "不得晚于...完成": "FNLT",
    "不得早于开始": "SNET",
    "不得晚于开始": "SNLT",
    "不得早于完成": "FNET",
    "不得晚于完成": "FNLT",
    "asap": "ASAP",
    "alap": "ALAP",
    "mso": "MSO",
    "mfo": "MFO",
    "snet": "SNET",
    "snlt": "SNLT",
    "fnet": "FNET",
    "fnlt": "FNLT",
}

TASK_COLUMNS = [
    "project_id",
    "task_id",
    "wbs",
    "name",
    "outline_level",
    "is_summary",
    "is_milestone",
    "start",
    "finish",
    "baseline_start",
    "baseline_finish",
    "actual_start",
    "actual_finish",
    "percent_complete",
    "bac",
    "actual_cost",
    "resource_names",
    "constraint_type",
    "constraint_date",
    "total_float_days",
    "duration_optimistic",
    "duration_likely",
    "duration_pessimistic",
]
ESTIMATE_COLUMNS = ("duration_optimistic", "duration_likely", "duration_pessimistic")


@dataclass
class ScheduleRows:
    """Rows gathered by a format module before conversion."""

    records: list[dict] = field(default_factory=list)  # canonical task fields, raw values
    row_numbers: list[int] = field(default_factory=list)
    predecessors: list[object] = field(default_factory=list)  # raw predecessor text per row
    durations: list[object] = field(default_factory=list)  # raw duration per row (for % lags, milestones)
    headers: dict[str, str] = field(default_factory=dict)  # canonical -> header as written


def constraint_code(value) -> str | None:
    """``As Soon As Possible``/``越早越好``/``ASAP`` -> ``ASAP`` etc.; unknown text kept as written."""
    t = parse_text(value)
    if not t:
        return None
    key = " ".join(t.replace("…", "...").split()).casefold()
    return CONSTRAINT_NAMES.get(key, CONSTRAINT_NAMES.get(key.replace(" ", ""), t))


def percent_fraction(values: list, *, fractions: bool = False) -> tuple[list, str | None]:
    """Percent complete as fractions. ``50%`` -> 0.5. Bare numbers: a column whose numbers are all
    whole and within 0..100 is read as 0..100 (MS Project and Smartsheet percent fields), one
    holding fractions such as 0.35 as 0..1; ``fractions=True`` (a workbook cell formatted as a
    percentage, as Smartsheet writes it) always reads numbers as 0..1. Unreadable values are returned unchanged (validation
    reports them)."""
    nums = []
    for v in values:
        if is_empty(v) or (isinstance(v, str) and v.strip().endswith(("%", "％"))):
            continue
        try:
            nums.append(parse_float(v))
        except ValueError:
            pass
    whole = all(n is None or float(n).is_integer() for n in nums)
    scale = any(n is not None and n > 1 for n in nums) or (whole and nums and any(n for n in nums))
    if fractions and not any(n is not None and n > 1 for n in nums):
        scale = False
    out = []
    for v in values:
        if is_empty(v):
            out.append(None)
            continue
        if isinstance(v, str) and v.strip().endswith(("%", "％")):
            try:
                out.append(parse_float(v.strip()[:-1]) / 100)
            except ValueError:
                out.append(v)
            continue
        try:
            n = parse_float(v)
        except ValueError:
            out.append(v)
            continue
        out.append(n / 100 if scale else n)
    note = None
    if nums and scale:
        note = Note("note.col.percent_0_100")
    elif nums:
        note = Note("note.col.fraction_0_1")
    return out, note


def build(
    result: ParsedUpload,
    raw: RawFile,
    sheet: RawSheet,
    rows: ScheduleRows,
    *,
    project_id: str | None,
    ref_to_id: dict[str, str],
    pred_column: str,
    separators: str = ";,",
    percent_fractions: bool = False,
) -> None:
    """Convert ``rows`` and add ``tasks`` and ``links`` to ``result``.

    ``ref_to_id`` maps what a predecessor cell refers to (ID or row number) to the task id.
    """
    file, sname = raw.name, sheet.name
    durations: dict[str, float] = {}
    for rec, dur, rn in zip(rows.records, rows.durations, rows.row_numbers, strict=True):
        try:
            days = parse_duration_days(dur)
        except ValueError:
            result.problems.append(
                Problem.of(
                    file,
                    sname,
                    rn,
                    rows.headers.get("_duration", "Duration"),
                    parse_text(dur),
                    "schedule.bad_duration",
                    None,
                    "warning",
                )
            )
            days = None
        if days is not None and rec.get("task_id") is not None:
            durations[str(rec["task_id"])] = days
        if rec.get("is_milestone") is None and days is not None:
            rec["is_milestone"] = days == 0
        for c in ESTIMATE_COLUMNS:  # three-point estimates written as durations ("5 days", "5d")
            v = rec.get(c)
            if v is not None and not isinstance(v, (int, float)):
                try:
                    rec[c] = parse_duration_days(v)
                except ValueError:
                    pass  # left as text: validation reports it with the header
        slack = rec.get("total_float_days")
        if slack is not None and not isinstance(slack, (int, float)):
            try:
                rec["total_float_days"] = parse_duration_days(slack)
            except ValueError:
                pass  # left as text: validation reports it with the header
        if rec.get("constraint_type") is not None:
            rec["constraint_type"] = constraint_code(rec["constraint_type"])
    pcts, pct_note = percent_fraction([r.get("percent_complete") for r in rows.records], fractions=percent_fractions)
    for rec, p in zip(rows.records, pcts, strict=True):
        rec["percent_complete"] = p
    if pct_note and "percent_complete" in rows.headers:
        note(result, Note("note.column", where=sname or file, column=rows.headers["percent_complete"], note=pct_note))
    frame = pd.DataFrame.from_records(rows.records, columns=TASK_COLUMNS)
    add_table(
        result,
        "tasks",
        frame,
        file=file,
        sheet=sname,
        row_numbers=rows.row_numbers,
        headers=rows.headers,
        defaults={"project_id": project_id},
    )
    ensure_table(result, "tasks")

    links, link_rows = [], []
    pct_missing = 0
    for rec, pred, rn in zip(rows.records, rows.predecessors, rows.row_numbers, strict=True):
        if is_empty(pred):
            continue
        try:
            preds = parse_predecessors(pred, separators=separators)
        except ValueError as exc:
            result.problems.append(
                Problem.of(
                    file,
                    sname,
                    rn,
                    pred_column,
                    parse_text(pred),
                    "schedule.bad_predecessor",
                    {"entry": str(exc)},
                )
            )
            result.rejected_rows += 1
            continue
        for p in preds:
            target = ref_to_id.get(p.ref)
            if target is None:
                result.problems.append(
                    Problem.of(
                        file,
                        sname,
                        rn,
                        pred_column,
                        parse_text(pred),
                        "schedule.unknown_predecessor",
                        {"ref": p.ref},
                    )
                )
                result.rejected_rows += 1
                continue
            lag = p.lag_days
            if p.lag_pct is not None:
                lag = p.lag_pct * durations[target] if target in durations else None
                if lag is None:
                    pct_missing += 1
            links.append(
                {
                    "project_id": rec.get("project_id") or project_id,
                    "pred_task_id": target,
                    "succ_task_id": rec.get("task_id"),
                    "type": p.type,
                    "lag_days": lag,
                }
            )
            link_rows.append(rn)
    if pct_missing:
        note(result, Note("note.schedule.pct_lags_empty", n=pct_missing))
    if links:
        add_table(
            result,
            "links",
            pd.DataFrame.from_records(links),
            file=file,
            sheet=sname,
            row_numbers=link_rows,
            headers={"pred_task_id": pred_column, "succ_task_id": rows.headers.get("task_id", "ID")},
            defaults={"project_id": project_id},
        )
    ensure_table(result, "links")
