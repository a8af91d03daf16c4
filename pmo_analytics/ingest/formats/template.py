"""The canonical template: a workbook with one sheet per entity (Projects, Tasks, Links,
Risks, WorkItems, Assignments, EVMPeriods; Chinese sheet names too), or one CSV per entity
whose headers match a canonical table (English or Chinese aliases)."""

from __future__ import annotations

import numpy as np

from ...schema import TABLES, match_headers, sheet_table
from ..base import Note, ParsedUpload, Problem, RawFile, RawSheet
from ..validate import coerce_table

NAME = "template"
LABEL = "PMO template"


def _match(table: str, headers: list, sub_headers: list[str] | None = None) -> dict:
    """``match_headers``, then for a header written on two rows whose combined name matches
    nothing ("Dates Start" under a merged "Dates"), its lower cell alone ("Start") when that
    names a column not already taken."""
    mapping = match_headers(table, headers)
    if sub_headers:
        taken = set(mapping.values())
        for h, sub in zip(headers, sub_headers, strict=False):
            if h in mapping or not sub or sub == h:
                continue
            canon = match_headers(table, [sub]).get(sub)
            if canon and canon not in taken:
                mapping[h] = canon
                taken.add(canon)
    return mapping


def _table_for_headers(
    headers: list[str], hint: str = "", sub_headers: list[str] | None = None
) -> tuple[str | None, float]:
    """Best canonical table for a header row: required columns all present, most headers matched."""
    best: tuple[str | None, float] = (None, 0.0)
    hint_table = sheet_table(hint.rsplit("/", 1)[-1].rsplit(".", 1)[0]) if hint else None
    for name, t in TABLES.items():
        matched = _match(name, headers, sub_headers)
        canon = set(matched.values())
        if not set(t.required) <= canon:
            continue
        score = len(canon) / max(len([h for h in headers if h]), 1)
        if name == hint_table:
            score += 0.5
        if score > best[1]:
            best = (name, min(score, 1.0))
    return best


def detect(raw: RawFile) -> float:
    if raw.kind == "xlsx":
        known = [s for s in raw.sheets if sheet_table(s)]
        if not known:
            return 0.0
        # Sheets named like the template's make the intent plain even when a required column
        # is missing: parse() then reports exactly what is missing.
        good = [s for s in known if _table_for_headers(raw.sheets[s].headers, "", raw.sheets[s].sub_headers)[0]]
        return 0.6 + 0.4 * len(good) / len(known)
    if raw.kind == "csv":
        sheet = next(iter(raw.sheets.values()))
        table, score = _table_for_headers(sheet.headers, raw.name, sheet.sub_headers)
        return 0.9 * score if table else 0.0
    return 0.0


def parse_sheet(raw: RawFile, sheet: RawSheet, table: str, result: ParsedUpload, project_id: str | None) -> None:
    """Map, type and validate one sheet as ``table``; append to ``result``."""
    frame = sheet.frame()
    ragged = sheet.ragged_rows()
    for i, extra in ragged.items():
        result.problems.append(
            Problem.of(
                raw.name,
                sheet.name,
                sheet.file_row(i),
                None,
                extra,
                "template.ragged_row",
                {"n": len(sheet.headers)},
            )
        )
    keep = np.arange(len(frame))
    if ragged:
        keep = np.setdiff1d(keep, np.fromiter(ragged, dtype=np.int64, count=len(ragged)))
        frame = frame.iloc[keep].reset_index(drop=True)
    columns = list(frame.columns)
    subs = sheet.sub_headers if len(sheet.sub_headers) == len(columns) else None
    mapping = _match(table, columns, subs)
    unknown = [h for h in frame.columns if h not in mapping and h and not str(h).startswith("Unnamed")]
    if unknown:
        more = " …" if len(unknown) > 12 else ""
        result.notes.append(
            Note(
                "note.sheet_columns_unused",
                sheet=sheet.name or raw.name,
                columns=", ".join(map(str, unknown[:12])) + more,
            )
        )
    mapped = frame[list(mapping)].rename(columns=mapping)
    coerced = coerce_table(
        table,
        mapped,
        file=raw.name,
        sheet=sheet.name,
        row_numbers=keep + sheet.file_row(0),
        headers={v: k for k, v in mapping.items()},
        defaults={"project_id": project_id},
    )
    result.tables[table] = coerced.valid
    result.problems.extend(coerced.problems)
    result.notes.extend(coerced.notes)
    result.rows_in += coerced.rows_in + len(ragged)
    result.rejected_rows += coerced.rejected + len(ragged)


def parse(raw: RawFile, options) -> ParsedUpload:
    result = ParsedUpload(source_name=raw.name, source_format=NAME, sha256=raw.sha256)
    if raw.kind == "csv":
        sheet = next(iter(raw.sheets.values()))
        table = options.table or _table_for_headers(sheet.headers, raw.name, sheet.sub_headers)[0]
        if table is None:
            result.problems.append(
                Problem.of(
                    raw.name,
                    "",
                    sheet.header_row,
                    None,
                    ", ".join(sheet.headers[:8]),
                    "template.no_table_match",
                    {"required": "; ".join(f"{t.sheet_en}: {', '.join(t.required)}" for t in TABLES.values())},
                )
            )
            return result
        parse_sheet(raw, sheet, table, result, options.project_id)
        return result
    for sheet_name, sheet in raw.sheets.items():
        table = sheet_table(sheet_name)
        if table is None:
            if sheet_name.casefold() not in {"readme", "说明", "instructions"}:
                result.notes.append(Note("note.template.sheet_ignored", sheet=sheet_name))
            continue
        if not sheet.headers:
            continue
        parse_sheet(raw, sheet, table, result, options.project_id)
    if not result.tables and not result.problems:
        result.problems.append(
            Problem.of(
                raw.name,
                "",
                None,
                None,
                None,
                "template.no_sheets",
                {
                    "sheets": ", ".join(t.sheet_en for t in TABLES.values()),
                    "sheets_zh": "、".join(t.sheet_zh for t in TABLES.values()),
                },
            )
        )
    return result
