"""Validate and type a frame already mapped to canonical column names.

Lazy validation (as pandera does it): every row and column is checked, every failure is
collected as a ``Problem``; nothing stops at the first error. Policy: a row with any error
is rejected whole and listed; valid rows are returned typed, ready for the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..schema import TABLES
from .base import Problem
from .normalize import EXPECTED, is_empty, parse_column, parse_text


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
    row_numbers: list[int] | None = None,
    headers: dict[str, str] | None = None,
    defaults: dict[str, object] | None = None,
) -> Coerced:
    """Type and validate ``frame`` (canonical column names, raw values) as ``table``.

    ``row_numbers`` gives the file row of each frame row (defaults to 2, 3, ...); ``headers``
    maps canonical names back to the header the person wrote, used in messages; ``defaults``
    fills a column that is absent or empty in a row (e.g. ``project_id`` from ``--project``).
    """
    t = TABLES[table]
    headers = headers or {}
    defaults = {k: v for k, v in (defaults or {}).items() if v not in (None, "")}
    n = len(frame)
    rows = row_numbers if row_numbers is not None else list(range(2, n + 2))
    problems: list[Problem] = []
    notes: list[str] = []

    def label(col: str) -> str:
        c = t.column(col)
        return headers.get(col) or c.label_en

    # Drop rows that are wholly empty: spreadsheets are full of them.
    keep = [i for i in range(n) if not all(is_empty(v) for v in frame.iloc[i].tolist())]
    frame = frame.iloc[keep].reset_index(drop=True)
    rows = [rows[i] for i in keep]
    n = len(frame)

    missing = [c for c in t.required if c not in frame.columns and c not in defaults]
    if missing:
        for c in missing:
            col = t.column(c)
            expected = ", ".join(dict.fromkeys([col.label_en, col.label_zh, *col.aliases[:3]]))
            problems.append(
                Problem(
                    file,
                    sheet,
                    None,
                    col.label_en,
                    None,
                    f"required column missing for {t.sheet_en or t.name}; expected a header such as {expected}",
                )
            )
        return Coerced(empty_frame(table), problems, notes, rows_in=n, rejected=n)

    bad_rows: set[int] = set()
    typed: dict[str, list] = {}
    for col in t.columns:
        if col.name in frame.columns:
            raw = frame[col.name].tolist()
        else:
            raw = [None] * n
        if col.name in defaults:
            raw = [defaults[col.name] if is_empty(v) else v for v in raw]
        values, failed, col_notes = parse_column(raw, col.dtype)
        notes.extend(f"{sheet or file}: column {label(col.name)!r}: {m}" for m in col_notes)
        for i in failed:
            bad_rows.add(i)
            problems.append(
                Problem(file, sheet, rows[i], label(col.name), parse_text(raw[i]), f"expected {EXPECTED[col.dtype]}")
            )
        failed_set = set(failed)
        for i, v in enumerate(values):
            if i in failed_set:
                continue
            if v is None:
                if col.required:
                    bad_rows.add(i)
                    problems.append(Problem(file, sheet, rows[i], label(col.name), None, "a value is required"))
                continue
            if col.choices and str(v).upper() not in col.choices:
                bad_rows.add(i)
                problems.append(
                    Problem(
                        file, sheet, rows[i], label(col.name), str(v), f"expected one of {', '.join(col.choices)}"
                    )
                )
                continue
            if col.choices:
                values[i] = str(v).upper()
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                lo, hi = col.min_value, col.max_value
                if (lo is not None and v < lo) or (hi is not None and v > hi):
                    bad_rows.add(i)
                    shown = v * 100 if col.dtype == "percent" else v
                    rng = "0% to 100%" if col.dtype == "percent" else f"{lo if lo is not None else '-∞'} to {hi if hi is not None else '∞'}"
                    problems.append(
                        Problem(file, sheet, rows[i], label(col.name), f"{shown:g}", f"expected a value from {rng}")
                    )
        typed[col.name] = values

    # Duplicate keys inside the file: the first row wins, later ones are rejected.
    first_seen: dict[tuple, int] = {}
    for i in range(n):
        if i in bad_rows:
            continue
        key = tuple(typed[k][i] for k in t.key)
        if key in first_seen:
            bad_rows.add(i)
            problems.append(
                Problem(
                    file,
                    sheet,
                    rows[i],
                    ", ".join(label(k) for k in t.key),
                    " / ".join("" if k is None else str(k) for k in key),
                    f"duplicate of row {rows[first_seen[key]]}",
                )
            )
        else:
            first_seen[key] = i

    # Report in reading order: by row, then by column as the table defines them.
    order = {label(c.name): k for k, c in enumerate(t.columns)}
    problems.sort(key=lambda p: (p.row is not None, p.row or 0, order.get(p.column or "", len(order))))
    good = [i for i in range(n) if i not in bad_rows]
    valid = typed_frame(table, {k: [v[i] for i in good] for k, v in typed.items()})
    return Coerced(valid, problems, list(dict.fromkeys(notes)), rows_in=n, rejected=len(bad_rows))
