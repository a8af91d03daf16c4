"""Validate and type a frame already mapped to canonical column names.

Lazy validation (as pandera does it): every row and column is checked, every failure is
collected as a ``Problem``; nothing stops at the first error. Policy: a row with any error
is rejected whole and listed; valid rows are returned typed, ready for the store.
"""

from __future__ import annotations

import contextvars
import os
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ..schema import TABLES
from . import fastparse
from .base import Note, Problem
from .normalize import parse_text

PARALLEL_ROWS = 50_000
PARSE_THREADS = max(1, min(4, os.cpu_count() or 1))


@dataclass
class Coerced:
    """Outcome of ``coerce_table``."""

    valid: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_in: int = 0
    rejected: int = 0


def empty_frame(table: str) -> pd.DataFrame:
    """An empty frame with the canonical columns and dtypes of ``table``."""
    return typed_frame(table, {c: [] for c in TABLES[table].column_names})


def typed_frame(table: str, columns: dict[str, list]) -> pd.DataFrame:
    """Build a frame with canonical dtypes from typed Python values per column."""
    t = TABLES[table]
    data = {}
    for col in t.columns:
        vals = columns.get(col.name) or []
        n = max((len(v) for v in columns.values()), default=0)
        if not vals:
            vals = [None] * n
        if col.dtype == "date":
            data[col.name] = pd.to_datetime(pd.Series(vals, dtype=object), errors="coerce").astype("datetime64[s]")
        elif col.dtype in ("float", "money", "percent"):
            data[col.name] = pd.Series([float("nan") if v is None else v for v in vals], dtype="float64")
        elif col.dtype == "int":
            data[col.name] = pd.Series(vals, dtype="Int64")
        elif col.dtype == "bool":
            data[col.name] = pd.Series(vals, dtype="boolean")
        elif col.dtype == "list":
            data[col.name] = pd.Series(vals, dtype=object)
        else:
            data[col.name] = pd.Series(vals, dtype=object)
    return pd.DataFrame(data)


def coerce_table(
    table: str,
    frame: pd.DataFrame,
    *,
    file: str,
    sheet: str = "",
    row_numbers: list[int] | np.ndarray | None = None,
    headers: dict[str, str] | None = None,
    defaults: dict[str, object] | None = None,
) -> Coerced:
    """Type and validate ``frame`` (canonical column names, raw values) as ``table``.

    ``row_numbers`` gives the file row of each frame row (defaults to 2, 3, ...); ``headers``
    maps canonical names back to the header the person wrote, used in messages; ``defaults``
    fills a column that is absent or empty in a row (e.g. ``project_id`` from ``--project``).

    Columns are parsed whole (``fastparse.parse_series``: vectorised for the common shapes,
    value by value for the rest); the rules and messages are those of ``normalize``.
    """
    t = TABLES[table]
    headers = headers or {}
    defaults = {k: v for k, v in (defaults or {}).items() if v not in (None, "")}
    n = len(frame)
    rows = np.asarray(row_numbers if row_numbers is not None else range(2, n + 2), dtype=np.int64)
    problems: list[Problem] = []
    notes: list[str] = []

    def label(col: str) -> str:
        c = t.column(col)
        return headers.get(col) or c.label_en

    # Parse every column once; a row whose every cell is blank is dropped (spreadsheets are
    # full of them), which cannot change any column decision since blanks never count.
    parsed: dict[str, fastparse.Column] = {}
    dtypes = {c.name: c.dtype for c in t.columns}
    all_empty = np.ones(n, dtype=bool)
    names = list(dict.fromkeys(frame.columns))

    distinct: dict[str, bool] = {}

    def parse_one(name):
        col = frame[name]
        if isinstance(col, pd.DataFrame):  # a repeated column name: the first one counts
            col = col.iloc[:, 0]
        pcol = fastparse.parse_series(col, dtypes.get(name, "text"))
        if name == t.key[-1] and pcol.strings is not None and n > 1000:
            # the repeated-key check's common case, counted here: in Arrow, beside the other columns
            distinct[name] = _all_distinct(pcol.strings)
        return pcol

    if n >= PARALLEL_ROWS and len(names) > 1:
        # Arrow and NumPy kernels release the GIL: big tables parse two columns at a time
        # each worker runs in a copy of this context (a chosen date order travels with it)
        ctx = contextvars.copy_context()
        with ThreadPoolExecutor(max_workers=PARSE_THREADS) as pool:
            results = list(pool.map(lambda nm: ctx.copy().run(parse_one, nm), names))
    else:
        results = [parse_one(name) for name in names]
    for name, pcol in zip(names, results, strict=True):
        all_empty &= pcol.empty
        if name in dtypes:
            parsed[name] = pcol
    if n and not len(frame.columns):
        all_empty[:] = True
    keep = ~all_empty if len(frame.columns) else np.zeros(n, dtype=bool)
    keep_all = bool(keep.all())
    last_key_distinct = distinct.get(t.key[-1], False)  # every row's value differs (whole table)
    if not keep_all:
        rows = rows[keep]
    n = int(keep.sum())

    missing = [c for c in t.required if c not in frame.columns and c not in defaults]
    if missing:
        for c in missing:
            col = t.column(c)
            expected = ", ".join(dict.fromkeys([col.label_en, col.label_zh, *col.aliases[:3]]))
            # no project column: the person names the project (``--project``, the Import page's picker)
            problems.append(
                Problem.of(
                    file,
                    sheet,
                    None,
                    col.label_en,
                    None,
                    "validate.project_column" if c == "project_id" else "validate.required_column",
                    {"table": t.sheet_en or t.name, "table_zh": t.sheet_zh or t.name, "expected": expected},
                )
            )
        return Coerced(empty_frame(table), problems, notes, rows_in=n, rejected=n)

    bad_rows = np.zeros(n, dtype=bool)
    typed: dict[str, np.ndarray] = {}
    missing_of: dict[str, np.ndarray] = {}
    key_as_parsed = False  # the last key column's values are those counted in parse_one
    for col in t.columns:
        raw_series = None
        replaced = False
        if col.name in parsed:
            pcol = parsed[col.name]
            if not keep_all:
                pcol = fastparse.Column(
                    pcol.values[keep], pcol.missing[keep], pcol.bad[keep], pcol.empty[keep], pcol.notes
                )
            if col.name in frame.columns and (pcol.bad.any() or col.name in defaults):
                raw_series = frame[col.name]
                if isinstance(raw_series, pd.DataFrame):
                    raw_series = raw_series.iloc[:, 0]
                if not keep_all:
                    raw_series = raw_series[keep]
            if col.name in defaults and pcol.empty.any():
                raw_obj = raw_series.to_numpy(dtype=object)
                raw_obj = np.where(pcol.empty, defaults[col.name], raw_obj)
                raw_series = pd.Series(raw_obj, dtype=object)
                pcol = fastparse.parse_series(raw_series, col.dtype)
                replaced = True
        elif col.name in defaults:
            raw_series = pd.Series([defaults[col.name]] * n, dtype=object)
            pcol = fastparse.parse_series(raw_series, col.dtype)
        else:
            pcol = fastparse.parse_series(pd.Series([None] * n, dtype=object), col.dtype)
        values = pcol.values
        notes.extend(Note("note.column", where=sheet or file, column=label(col.name), note=m) for m in pcol.notes)
        if pcol.bad.any():
            raw_vals = raw_series.to_numpy(dtype=object) if raw_series is not None else None
            for i in np.flatnonzero(pcol.bad):
                shown = parse_text(raw_vals[i]) if raw_vals is not None else None
                problems.append(
                    Problem.of(file, sheet, int(rows[i]), label(col.name), shown, f"validate.expected.{col.dtype}")
                )
            bad_rows |= pcol.bad
        ok = ~pcol.bad
        absent = pcol.missing & ok
        if col.required and absent.any():
            for i in np.flatnonzero(absent):
                problems.append(Problem.of(file, sheet, int(rows[i]), label(col.name), None, "validate.required_value"))
            bad_rows |= absent
        present = ok & ~pcol.missing
        if col.choices and present.any():
            upper = pd.Series(values).where(present, None).map(lambda v: None if v is None else str(v).upper())
            wrong = present & ~upper.isin(col.choices).to_numpy()
            for i in np.flatnonzero(wrong):
                problems.append(
                    Problem.of(
                        file,
                        sheet,
                        int(rows[i]),
                        label(col.name),
                        str(values[i]),
                        "validate.choices",
                        {"choices": ", ".join(col.choices)},
                    )
                )
            bad_rows |= wrong
            values = np.where(present & ~wrong, upper.to_numpy(dtype=object), values)
        if col.dtype in ("int", "float", "money", "percent") and (
            col.min_value is not None or col.max_value is not None
        ):
            lo, hi = col.min_value, col.max_value
            v = np.where(present, values, np.nan).astype(float)
            out = np.zeros(n, dtype=bool)
            if lo is not None:
                out |= present & (v < lo)
            if hi is not None:
                out |= present & (v > hi)
            for i in np.flatnonzero(out):
                shown = v[i] * 100 if col.dtype == "percent" else v[i]
                if col.dtype == "int":
                    shown = int(shown)
                pct = col.dtype == "percent"
                low = "0%" if pct else (lo if lo is not None else "-∞")
                high = "100%" if pct else (hi if hi is not None else "∞")
                problems.append(
                    Problem.of(
                        file,
                        sheet,
                        int(rows[i]),
                        label(col.name),
                        f"{shown:g}",
                        "validate.range",
                        {"lo": low, "hi": high},
                    )
                )
            bad_rows |= out
        typed[col.name] = values
        missing_of[col.name] = pcol.missing | pcol.bad
        if col.name == t.key[-1]:  # defaults and choices rewrite values; dropping blank rows does not
            key_as_parsed = col.name in parsed and not col.choices and not replaced

    if table == "tasks":
        problems.extend(_distrust_dates(typed, missing_of, bad_rows, rows, label, file, sheet))

    # Duplicate keys inside the file: the first row wins, later ones are rejected.
    good_idx = np.flatnonzero(~bad_rows)
    every = len(good_idx) == n  # then the key columns are used as they are, not gathered
    if len(good_idx) > 1 and not _one_column_unique(
        [typed[k] if every else typed[k][good_idx] for k in t.key],
        [missing_of[k] if every else missing_of[k][good_idx] for k in t.key],
        all_distinct=last_key_distinct and key_as_parsed,
    ):
        group = _key_groups([typed[k][good_idx] for k in t.key], [missing_of[k][good_idx] for k in t.key])
        first = np.zeros(len(group), dtype=bool)
        first[np.unique(group, return_index=True)[1]] = True
        dup = ~first
        if dup.any():
            first_of = {}
            for g, i in zip(group, good_idx, strict=True):
                first_of.setdefault(g, i)
            for j in np.flatnonzero(dup):
                i = good_idx[j]
                key = [_key_text(typed[k][i], missing_of[k][i]) for k in t.key]
                rounded = bool(_EXCEL_ROUNDED.match(key[-1]))
                problems.append(
                    Problem.of(
                        file,
                        sheet,
                        int(rows[i]),
                        ", ".join(label(k) for k in t.key),
                        " / ".join(key),
                        "validate.duplicate_rounded" if rounded else "validate.duplicate",
                        {"first": int(rows[first_of[group[j]]])},
                    )
                )
                bad_rows[i] = True
            # rounded IDs can only show as repeats: looked for only when some key repeats
            rounded_note = _rounded_ids(typed[t.key[-1]], missing_of[t.key[-1]], label(t.key[-1]))
            if rounded_note is not None:
                notes.append(rounded_note)

    # Report in reading order: by row, then by column as the table defines them.
    order = {label(c.name): k for k, c in enumerate(t.columns)}
    problems.sort(key=lambda p: (p.row is not None, p.row or 0, order.get(p.column or "", len(order))))
    good = ~bad_rows
    if good.all():  # nothing rejected: the parsed arrays are this function's own, use them as they are
        valid = _typed_frame_arrays(table, typed, missing_of, own=True)
    else:
        valid = _typed_frame_arrays(
            table, {k: v[good] for k, v in typed.items()}, {k: m[good] for k, m in missing_of.items()}
        )
    return Coerced(valid, problems, list(dict.fromkeys(notes)), rows_in=n, rejected=int(bad_rows.sum()))


# an ID Excel wrote in scientific notation (a long number re-saved through Excel: 7.18656E+14),
# its digits past the sixth lost
_EXCEL_ROUNDED = re.compile(r"^\d(?:[.,]\d+)?E\+\d{1,3}$", re.IGNORECASE)


def _rounded_ids(values: np.ndarray, missing: np.ndarray, column: str) -> Note | None:
    """A note naming the IDs Excel rounded to scientific notation, and how many rows share them
    ("26 of 34 rows share an ID that Excel rounded ..."), when any row shares one; else None."""
    ids = [str(v) for v, m in zip(values.tolist(), missing.tolist(), strict=True) if not m and v is not None]
    counts = Counter(v for v in ids if _EXCEL_ROUNDED.match(v))
    shared = {v: c for v, c in counts.items() if c > 1}
    if not shared:
        return None
    top = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))
    listed = ", ".join(f"{v} ({c})" for v, c in top[:5]) + (" …" if len(top) > 5 else "")
    return Note("note.ids_rounded", n=sum(shared.values()), total=len(values), column=column, ids=listed)


# dates tools write where a date is unknown (Excel's day 0 and 1, the Unix epoch, MS Project's
# earliest date, the turn of the century): as an actual date, far before the task's plan, a placeholder
PLACEHOLDER_DATES = np.array(
    ["1899-12-30", "1899-12-31", "1900-01-01", "1970-01-01", "1984-01-01", "2000-01-01"], dtype="datetime64[D]"
)


def _distrust_dates(typed, missing_of, bad_rows, rows, label, file: str, sheet: str) -> list[Problem]:
    """Contradictory actual dates of tasks, reported (warnings) and not trusted (cleared, so the
    task stays unstarted or unfinished):

    - an actual start or finish on a placeholder date (``PLACEHOLDER_DATES``) more than a year
      before the task's planned start (or with no planned start);
    - an actual finish on a task 0 % complete.
    """
    out: list[Problem] = []
    if "actual_finish" not in typed:
        return out
    planned = None
    for c in ("start", "baseline_start"):
        if c in typed:
            v = np.asarray(typed[c]).astype("datetime64[D]")
            planned = v if planned is None else np.where(np.isnat(planned), v, planned)
    for col in ("actual_start", "actual_finish"):
        if col not in typed:
            continue
        vals = np.asarray(typed[col]).astype("datetime64[D]")
        placeholder = ~missing_of[col] & np.isin(vals, PLACEHOLDER_DATES) & ~bad_rows
        if planned is not None:
            far = np.isnat(planned) | ((planned - vals) > np.timedelta64(365, "D"))
            placeholder &= far
        for i in np.flatnonzero(placeholder):
            out.append(
                Problem.of(
                    file, sheet, int(rows[i]), label(col), str(vals[i]), "validate.placeholder_date", severity="warning"
                )
            )
        if placeholder.any():
            vals = vals.copy()
            vals[placeholder] = np.datetime64("NaT")
            typed[col] = vals
            missing_of[col] = missing_of[col] | placeholder
    if "percent_complete" in typed:
        pct = np.asarray(typed["percent_complete"], dtype=float)
        fin = np.asarray(typed["actual_finish"]).astype("datetime64[D]")
        zero = ~missing_of["actual_finish"] & ~missing_of["percent_complete"] & (pct == 0) & ~bad_rows
        for i in np.flatnonzero(zero):
            out.append(
                Problem.of(
                    file,
                    sheet,
                    int(rows[i]),
                    label("actual_finish"),
                    str(fin[i]),
                    "validate.finish_on_unstarted",
                    severity="warning",
                )
            )
        if zero.any():
            fin = fin.copy()
            fin[zero] = np.datetime64("NaT")
            typed["actual_finish"] = fin
            missing_of["actual_finish"] = missing_of["actual_finish"] | zero
    return out


def _all_distinct(strings) -> bool:
    """Whether every value of an Arrow string array differs from every other (a null counts as
    a value). Keys written in order (T0001, T0002, ...) are seen to be distinct from one comparison
    of each value with the next: strictly increasing or decreasing text has no repeats."""
    n = len(strings)
    if n > 1 and not strings.null_count:
        head, tail = strings.slice(0, n - 1), strings.slice(1)
        up = pc.less(head, tail)
        if pc.all(up).as_py():
            return True
        if not pc.any(up).as_py() and pc.all(pc.greater(head, tail)).as_py():
            return True
    return len(pc.unique(strings)) == n


def _one_column_unique(columns: list[np.ndarray], missing: list[np.ndarray], *, all_distinct: bool = False) -> bool:
    """True when the last key column (the most specific: task id, issue key, risk id) has no
    missing and no repeated value, so that no two rows can share the whole key: the common case,
    decided without ``_key_groups``. False means "not shown", never "duplicates exist".

    ``all_distinct`` says the last column's values differ on every row of the whole table (the
    rows of ``columns`` are some of them), as counted beforehand in Arrow: then no set is built."""
    values, miss = columns[-1], missing[-1]
    if miss.any():
        return False
    head = values[:1000].tolist()
    try:
        if len(set(head)) < len(head):  # repeats already near the top: no shortcut
            return False
        if all_distinct:
            return True
        return len(set(values.tolist())) == len(values)
    except TypeError:  # unhashable values (lists)
        return False


def _key_groups(columns: list[np.ndarray], missing: list[np.ndarray]) -> np.ndarray:
    """One int per row, equal for rows whose key values are equal (a missing value equals another
    missing value, as in the per-row comparison of key tuples)."""
    code = np.zeros(len(columns[0]), dtype=np.int64)
    for values, miss in zip(columns, missing, strict=True):
        if values.dtype.kind == "M":
            codes, uniq = pd.factorize(np.where(miss, np.datetime64("NaT"), values), use_na_sentinel=True)
        else:
            codes, uniq = pd.factorize(pd.Series(values, dtype=object).where(~miss, None), use_na_sentinel=True)
        codes = np.where(codes < 0, len(uniq), codes).astype(np.int64)
        code = code * (len(uniq) + 1) + codes
        code, _ = pd.factorize(code)  # keep the combined codes small
        code = code.astype(np.int64)
    return code


def _key_text(value, missing: bool) -> str:
    if missing or value is None:
        return ""
    if isinstance(value, np.datetime64):
        return str(value.astype("datetime64[D]"))
    if isinstance(value, np.floating):
        return str(float(value))
    return str(value)


def _typed_frame_arrays(
    table: str, values: dict[str, np.ndarray], missing: dict[str, np.ndarray], *, own: bool = False
) -> pd.DataFrame:
    """``typed_frame`` from parsed column arrays (same dtypes), without a Python loop per value.
    The frame gets its own copy of every array (one copy each, none in pandas); with ``own`` the
    caller hands its arrays over and text arrays are used as they are."""
    t = TABLES[table]
    n = len(next(iter(values.values()))) if values else 0
    data = {}
    # an array handed over for two columns is not changed in place for either
    uses = Counter(id(v) for v in values.values())
    for col in t.columns:
        v = values.get(col.name)
        m = missing.get(col.name)
        if v is None:
            v, m = np.full(n, None, dtype=object), np.ones(n, dtype=bool)
        mine = own and uses[id(v)] == 1
        if col.dtype == "date":
            if mine and v.flags.owndata and v.dtype == np.dtype("datetime64[D]"):
                # days to seconds in place, as astype("datetime64[s]") computes them
                ints = v.view(np.int64)
                nat = np.isnat(v)
                np.multiply(ints, 86400, out=ints)
                ints[nat] = np.iinfo(np.int64).min  # NaT
                data[col.name] = pd.Series(ints.view("datetime64[s]"), copy=False)
            else:
                days = v if v.dtype == np.dtype("datetime64[D]") else v.astype("datetime64[D]")
                data[col.name] = pd.Series(days.astype("datetime64[s]"), copy=False)
        elif col.dtype in ("float", "money", "percent"):
            floats = v if mine and v.flags.owndata and v.dtype == np.float64 else np.array(v, dtype="float64")
            data[col.name] = pd.Series(floats, copy=False)
        elif col.dtype == "int":
            arr = pd.array(np.where(m, 0, np.asarray(np.where(m, 0, v), dtype=float)).astype(np.int64), dtype="Int64")
            arr[m] = pd.NA
            data[col.name] = pd.Series(arr)
        elif col.dtype == "bool":
            flags = np.zeros(len(v), dtype=bool)
            flags[~m] = np.asarray(v[~m], dtype=bool)
            data[col.name] = pd.Series(pd.arrays.BooleanArray(flags, np.asarray(m, dtype=bool).copy()))
        else:
            # a copy unless handed over: the caller's arrays are left as they were
            obj = v if mine and v.dtype == object else np.array(v, dtype=object)
            obj[m] = None
            data[col.name] = pd.Series(obj, dtype=object, copy=False)
    return pd.DataFrame(data, copy=False)
