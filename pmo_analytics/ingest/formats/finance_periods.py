"""Finance period sheets: planned value, earned value and actual cost by period -> ``evm_periods``.

Shapes:
- long: one row per period (and project): ``Period``/``Month``/``期间`` plus ``PV``/``EV``/``AC``,
  ``BCWS``/``BCWP``/``ACWP`` or ``计划值``/``挣值``/``实际成本``;
- wide: one row per measure (``PV``, ``EV``, ``AC`` in the first column), one column per period.

Rules:
- Period labels: dates; ``2025-03``, ``Mar 2025``, ``Mar-25``, ``2025年3月`` (the month's last day);
  ``2025-Q1``, ``Q1 2025``, ``2025年第1季度`` (the quarter's last day). A column of dates that all
  fall on the 1st is read as months (the month's last day) and a note says so; a column headed
  ``Period end``/``期末`` is taken as written.
- Canonical values are cumulative. A header saying ``cumulative``/``to date``/``累计`` is taken as
  cumulative; ``monthly``/``period``/``本期``/``当期`` as per-period amounts, summed into running
  totals. Without such words: when any series falls from one period to the next the amounts are
  per-period (summed), otherwise they are taken as cumulative; the note says which.
- ``project_id``: a ``Project`` column, else the chosen project.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

import pandas as pd

from ...schema import normalize_header
from ..base import Note, ParsedUpload, Problem, RawFile, RawSheet
from ..normalize import is_empty, parse_date, parse_money, parse_text
from ._common import add_table, ensure_table, find_columns, first_value, new_result, note

NAME = "finance_periods"
LABEL = "Finance periods (PV/EV/AC)"

FIELDS: dict[str, tuple[str, ...]] = {
    "project_id": ("Project", "Project ID", "Project Code", "项目", "项目编号", "项目代码"),
    "period": (
        "Period",
        "Period End",
        "Period Ending",
        "Month",
        "Date",
        "Week",
        "Week Ending",
        "Status Date",
        "期间",
        "期末",
        "月份",
        "月",
        "日期",
        "周",
        "报告期",
    ),
    "pv": ("PV", "BCWS", "Planned Value", "Planned", "计划值", "计划价值", "BCWS (PV)", "PV (BCWS)"),
    "ev": ("EV", "BCWP", "Earned Value", "Earned", "挣值", "赢得值", "BCWP (EV)", "EV (BCWP)"),
    "ac": ("AC", "ACWP", "Actual Cost", "Actual", "Actuals", "实际成本", "实际费用", "ACWP (AC)", "AC (ACWP)"),
}
_CUM = ("cumulative", "cum", "to date", "todate", "itd", "ytd", "累计", "累积", "至今")
_PER = ("monthly", "period", "per period", "weekly", "incremental", "本期", "当期", "月度", "每月")
_MEASURES = {
    "pv": {normalize_header(x) for x in FIELDS["pv"]},
    "ev": {normalize_header(x) for x in FIELDS["ev"]},
    "ac": {normalize_header(x) for x in FIELDS["ac"]},
}
_MON = {m.casefold(): i for i, m in enumerate(calendar.month_abbr) if m}
_MON.update({m.casefold(): i for i, m in enumerate(calendar.month_name) if m})


def _measure_key(text: str) -> tuple[str | None, str]:
    """('pv'|'ev'|'ac'|None, 'cum'|'per'|'') for a header or row label such as 'Cumulative PV'."""
    low = text.casefold()
    mode = "cum" if any(w in low for w in _CUM) else ("per" if any(w in low for w in _PER) else "")
    core = re.sub(
        r"(?i)cumulative|cum\.?|to date|itd|ytd|monthly|per period|period|weekly|incremental|累计|累积|至今"
        r"|本期|当期|月度|每月",
        "",
        text,
    )
    n = normalize_header(core)
    for k, names in _MEASURES.items():
        if n in names:
            return k, mode
    return None, mode


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def period_end(value) -> date:
    """The period's last day from a date or a month/quarter label (raises ``ValueError``)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value
    t = (parse_text(value) or "").strip()
    if m := re.fullmatch(
        r"(\d{4})\s*[-/.]?\s*[Qq]([1-4])|[Qq]([1-4])\s*[-/ ]?\s*(\d{4})|(\d{4})\s*年\s*第?\s*([1-4一二三四])\s*季度?", t
    ):
        y = int(m[1] or m[4] or m[5])
        q = m[2] or m[3] or m[6]
        q = int({"一": "1", "二": "2", "三": "3", "四": "4"}.get(q, q))
        return _month_end(y, q * 3)
    if m := re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?", t):
        return _month_end(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"([A-Za-z]{3,9})\.?[\s\-/']*(\d{2}|\d{4})", t):
        mon = _MON.get(m[1].casefold())
        if mon:
            y = int(m[2])
            return _month_end(y + 2000 if y < 100 else y, mon)
    if m := re.fullmatch(r"(\d{1,2})\s*月\s*(\d{4})", t):
        return _month_end(int(m[2]), int(m[1]))
    d = parse_date(value)
    if d is None:
        raise ValueError(value)
    return d


def _wide_sheet(sheet: RawSheet) -> dict[str, tuple[int, str]] | None:
    """Rows holding PV/EV/AC when periods run across the columns: {measure: (row index, mode)}."""
    found: dict[str, tuple[int, str]] = {}
    for i, r in enumerate(sheet.rows[:200]):  # measures are a handful of labelled rows at the top
        label = parse_text(r[0]) if r else None
        if not label:
            continue
        k, mode = _measure_key(label)
        if k and k not in found:
            found[k] = (i, mode)
    if len(found) >= 2:
        return found
    return None


def _pick(raw: RawFile) -> tuple[RawSheet | None, str, float]:
    best, shape, best_score = None, "", 0.0
    for sheet in raw.sheets.values():
        cols = find_columns(sheet.headers, FIELDS)
        measures = [k for k in ("pv", "ev", "ac") if k in cols]
        measures += [k for h in sheet.headers for k in [_measure_key(h)[0]] if k and k not in measures]
        if "period" in cols and len(set(measures)) >= 2:
            score = 0.7 + 0.08 * len(set(measures))
            if score > best_score:
                best, shape, best_score = sheet, "long", score
            continue
        wide = _wide_sheet(sheet)
        if wide:
            periods = 0
            for h in sheet.headers[1:]:
                try:
                    period_end(h)
                    periods += 1
                except ValueError:
                    pass
            if periods >= 2:
                score = 0.7 + 0.08 * len(wide)
                if score > best_score:
                    best, shape, best_score = sheet, "wide", score
    return best, shape, min(best_score, 0.95)


def detect(raw: RawFile) -> float:
    if raw.kind not in ("xlsx", "csv"):
        return 0.0
    return _pick(raw)[2]


def parse(raw: RawFile, options) -> ParsedUpload:
    result = new_result(raw, NAME)
    sheet, shape, _ = _pick(raw)
    for name in raw.sheets:
        if name != sheet.name:
            note(result, Note("note.sheet_ignored", sheet=name))
    records: list[dict] = []
    row_numbers: list[int] = []
    modes: dict[str, str] = {}
    bad_rows: set[int] = set()
    headers: dict[str, str] = {}
    if shape == "long":
        cols = find_columns(sheet.headers, FIELDS)
        for j, h in enumerate(sheet.headers):
            k, mode = _measure_key(h)
            if k and k not in cols:
                cols[k] = [j]
            if k and mode and cols.get(k, [None])[0] == j:
                modes[k] = mode
        for k in ("pv", "ev", "ac"):
            if k in cols:
                headers[k] = sheet.headers[cols[k][0]]
                modes.setdefault(k, _measure_key(headers[k])[1])
        headers["period_end"] = sheet.headers[cols["period"][0]]
        as_written = any(w in normalize_header(headers["period_end"]) for w in ("end", "ending", "期末"))
        raw_periods = [first_value(r, cols["period"]) for r in sheet.rows]
        dates = [v for v in raw_periods if isinstance(v, (date, datetime))]
        month_starts = (
            bool(dates) and not as_written and all((v.date() if isinstance(v, datetime) else v).day == 1 for v in dates)
        )
        if month_starts:
            note(result, Note("note.finance.month_starts", where=sheet.name or raw.name, column=headers["period_end"]))
        for i, r in enumerate(sheet.rows):
            if all(is_empty(v) for v in r):
                continue
            rn = sheet.file_row(i)
            pv_ = first_value(r, cols["period"])
            try:
                pe = period_end(pv_) if not is_empty(pv_) else None
                if pe is not None and month_starts and isinstance(pv_, (date, datetime)):
                    pe = _month_end(pe.year, pe.month)
            except ValueError:
                result.problems.append(
                    Problem.of(
                        raw.name,
                        sheet.name,
                        rn,
                        headers["period_end"],
                        parse_text(pv_),
                        "finance.bad_period",
                    )
                )
                bad_rows.add(rn)
                pe = None
            rec = {"project_id": first_value(r, cols.get("project_id")), "period_end": pe}
            for k in ("pv", "ev", "ac"):
                rec[k] = first_value(r, cols.get(k))
            records.append(rec)
            row_numbers.append(rn)
        if "project_id" in cols:
            headers["project_id"] = sheet.headers[cols["project_id"][0]]
    else:
        wide = _wide_sheet(sheet)
        periods = []
        for j, h in enumerate(sheet.headers[1:], start=1):
            try:
                periods.append((j, period_end(h)))
            except ValueError:
                if h:
                    note(result, Note("note.finance.not_a_period", column=h))
        for k, (_ri, mode) in wide.items():
            modes[k] = mode
        for j, pe in periods:
            rec = {"project_id": None, "period_end": pe}
            for k, (ri, _) in wide.items():
                row = sheet.rows[ri]
                rec[k] = row[j] if j < len(row) else None
            records.append(rec)
            row_numbers.append(sheet.file_row(min(ri for ri, _ in wide.values())))
        headers = {k: parse_text(sheet.rows[ri][0]) for k, (ri, _) in wide.items()}
        note(result, Note("note.finance.wide"))

    # cumulative or per-period, per measure
    keep = [(rec, rn) for rec, rn in zip(records, row_numbers, strict=True) if rn not in bad_rows or shape == "wide"]
    frame = pd.DataFrame.from_records([rec for rec, _ in keep], columns=["project_id", "period_end", "pv", "ev", "ac"])
    rns = [rn for _, rn in keep]
    nums = {}
    for k in ("pv", "ev", "ac"):
        vals = []
        for v in frame[k].tolist():
            try:
                vals.append(parse_money(v))
            except ValueError:
                vals.append(None)
        nums[k] = vals
    present = [k for k in ("pv", "ev", "ac") if any(v is not None for v in nums[k])]
    explicit = {k: modes.get(k, "") for k in present}
    falls = False
    order = frame.assign(_i=range(len(frame))).sort_values(["project_id", "period_end"], na_position="last")
    for k in present:
        if explicit[k]:
            continue
        last: dict = {}
        for idx in order["_i"]:
            v, p = nums[k][idx], frame["project_id"].iloc[idx]
            if v is None:
                continue
            if p in last and v < last[p] - 1e-9:
                falls = True
            last[p] = v
    summed = []
    for k in present:
        mode = explicit[k] or ("per" if falls else "cum")
        if mode == "per":
            running: dict = {}
            out = list(frame[k])
            for idx in order["_i"]:
                v, p = nums[k][idx], frame["project_id"].iloc[idx]
                if v is None:
                    continue
                running[p] = running.get(p, 0.0) + v
                out[idx] = running[p]
            frame[k] = out
            summed.append(headers.get(k, k))
    if summed:
        said = all(explicit[k] == "per" for k in present if explicit[k]) and any(explicit.values())
        measures = ", ".join(summed)
        note(result, Note("note.finance.summed_headers" if said else "note.finance.summed_falls", measures=measures))
    elif present:
        measures = ", ".join(headers.get(k, k) for k in present)
        said = any(explicit.values())
        note(
            result,
            Note(
                "note.finance.cumulative_headers" if said else "note.finance.cumulative_never_falls", measures=measures
            ),
        )
    if "project_id" not in headers:
        frame = frame.drop(columns=["project_id"])
    add_table(
        result,
        "evm_periods",
        frame,
        file=raw.name,
        sheet=sheet.name,
        row_numbers=rns,
        headers=headers,
        defaults={"project_id": options.project_id},
    )
    result.rejected_rows += len(bad_rows) if shape == "long" else 0
    result.rows_in += len(bad_rows) if shape == "long" else 0
    ensure_table(result, "evm_periods")
    return result
