"""The column-at-a-time parser (``ingest.fastparse``) gives exactly what the per-value parsers
(``normalize.parse_column``) give: typed values, failures and column notes, for text columns (as
a CSV gives them, Arrow-backed), object columns (as a workbook gives them) and mixtures."""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_analytics.ingest import fastparse, normalize

DTYPES = ["text", "date", "float", "int", "money", "percent", "bool", "list"]

TEXTS = [
    "",
    " ",
    "NA",
    "n/a",
    "null",
    "-",
    "—",
    "None",
    "nan",
    "12",
    " 12 ",
    "-3.5",
    "+7",
    "1e3",
    "1.",
    ".5",
    "00123",
    "1,234",
    "1.234,5",
    "1 234",
    "(5,000)",
    "¥1,200",
    "300,000 CHF",
    "1.2万",
    "3k",
    "-",
    "35%",
    "35 %",
    "0.35",
    "120",
    "abc",
    "yes",
    "No",
    "是",
    "否",
    "TRUE",
    "x",
    "2025-03-31",
    "2025/3/31 10:00",
    "31/03/2025",
    "03/04/2025",
    "12/31/2025",
    "31.03.2025",
    "1/6/25",
    "31-Mar-2025",
    "28/Nov/25 5:03 PM",
    "2025年3月31日",
    "20250331",
    "45000",
    "2025-02-30",
    "13/13/2025",
    "Mon 1/6/25",
    "28/十一月/25 5:03 下午",
    "0",
    "1",
    "inf",
    "1e999",
    "A; B",
    "Sprint 1, Sprint 2",
    "１２",
    "２０２５-０３-３１",
]
OBJECTS = [
    None,
    float("nan"),
    0.0,
    1.0,
    3.0,
    12.5,
    -4.0,
    45000.0,
    45000.5,
    1e20,
    float("inf"),
    7,
    0,
    True,
    False,
    date(2025, 3, 31),
    datetime(2025, 3, 31, 14, 5),
    ["a", "b"],
]


def reference(values: list, dtype: str):
    out, bad, notes = normalize.parse_column(values, dtype)
    return out, sorted(bad), notes


def fast(values, dtype: str):
    col = fastparse.parse_series(values, dtype)
    return fastparse.to_python(col, dtype), sorted(np.flatnonzero(col.bad).tolist()), col.notes


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=0)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def check(values: list, dtype: str, series) -> None:
    ro, rb, rn = reference(values, dtype)
    fo, fb, fnotes = fast(series, dtype)
    assert fb == rb, (dtype, values, rb, fb)
    assert len(fo) == len(ro)
    for i, (x, y) in enumerate(zip(ro, fo, strict=True)):
        if i in rb:
            continue
        assert same(x, y), (dtype, values[i], x, y)
    assert fnotes == rn, (dtype, values, rn, fnotes)
    emp = fastparse.parse_series(series, dtype).empty
    assert emp.tolist() == [normalize.is_empty(v) for v in values], (dtype, values)


@pytest.mark.parametrize("dtype", DTYPES)
def test_every_listed_text_value(dtype):
    for v in TEXTS:
        check([v], dtype, pd.Series([v], dtype="str"))
    check(TEXTS, dtype, pd.Series(TEXTS, dtype="str"))


@pytest.mark.parametrize("dtype", DTYPES)
def test_every_listed_object_value(dtype):
    for v in OBJECTS:
        check([v], dtype, pd.Series([v], dtype=object))
    check(OBJECTS + TEXTS, dtype, pd.Series(OBJECTS + TEXTS, dtype=object))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(DTYPES),
    st.lists(
        st.one_of(
            st.sampled_from(TEXTS),
            st.sampled_from(OBJECTS[:-1]),
            st.text(alphabet="0123456789.,-/ %年月日ABCabc", max_size=12),
        ),
        max_size=25,
    ),
)
def test_random_columns_match_the_per_value_parsers(dtype, values):
    check(values, dtype, pd.Series(values, dtype=object))
    if all(v is None or isinstance(v, str) for v in values):
        check(values, dtype, pd.Series(values, dtype="str"))


def test_numeric_numpy_columns():
    s = pd.Series([1.0, np.nan, 2.5, 150.0])
    check(s.tolist(), "percent", s)
    check(s.tolist(), "float", s)
    check([20000.0, np.nan, 45000.0], "date", pd.Series([20000.0, np.nan, 45000.0]))


# ------------------------------------------------------------------ coerce_table against the per-value reference
# The reference below is coerce_table as it was before it went column-at-a-time (per-value loops over
# normalize.parse_column), kept verbatim as the oracle.

from pmo_analytics.ingest import validate  # noqa: E402
from pmo_analytics.ingest.base import Problem  # noqa: E402
from pmo_analytics.ingest.normalize import EXPECTED, is_empty, parse_column, parse_text  # noqa: E402
from pmo_analytics.schema import TABLES  # noqa: E402


def reference_coerce(
    table: str,
    frame: pd.DataFrame,
    *,
    file: str,
    sheet: str = "",
    row_numbers: list[int] | None = None,
    headers: dict[str, str] | None = None,
    defaults: dict[str, object] | None = None,
) -> validate.Coerced:
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
        return validate.Coerced(validate.empty_frame(table), problems, notes, rows_in=n, rejected=n)

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
                    Problem(file, sheet, rows[i], label(col.name), str(v), f"expected one of {', '.join(col.choices)}")
                )
                continue
            if col.choices:
                values[i] = str(v).upper()
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                lo, hi = col.min_value, col.max_value
                if (lo is not None and v < lo) or (hi is not None and v > hi):
                    bad_rows.add(i)
                    shown = v * 100 if col.dtype == "percent" else v
                    rng = (
                        "0% to 100%"
                        if col.dtype == "percent"
                        else f"{lo if lo is not None else '-∞'} to {hi if hi is not None else '∞'}"
                    )
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
    valid = validate.typed_frame(table, {k: [v[i] for i in good] for k, v in typed.items()})
    return validate.Coerced(valid, problems, list(dict.fromkeys(notes)), rows_in=n, rejected=len(bad_rows))


TASK_VALUES = {
    "project_id": ["P1", "P2", "", None, "NA", " P1 "],
    "task_id": ["1", "2", "00123", "1", None, "", 7.0],
    "name": ["A", "B", "", None, "null", 3.0],
    "start": ["2025-01-06", "06/01/2025", "01/13/2025", "2025-02-30", "", None, 45000.0, date(2025, 1, 6), "x"],
    "finish": ["2025-01-10", "10/01/2025", "", None, datetime(2025, 1, 10, 17, 0), "31-Jan-2025"],
    "percent_complete": ["50%", "0.5", "50", "", None, 1.5, "abc", 120.0],
    "bac": ["1,200", "¥1,200", "-5", "", None, 100.0, "1.2万", "x"],
    "outline_level": ["1", "2.0", "1.5", "", None, 3.0, "-1"],
    "is_summary": ["yes", "No", "", None, "maybe", True],
    "resource_names": ["Ann", "", None, "NA"],
}
LINK_VALUES = {
    "project_id": ["P1", "P1", ""],
    "pred_task_id": ["1", "2", "3", ""],
    "succ_task_id": ["2", "3", "", "1"],
    "type": ["FS", "ss", "XX", "", None],
    "lag_days": ["1", "-2", "", "a"],
}


def _same_frames(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    assert [str(x) for x in a.dtypes] == [str(x) for x in b.dtypes]
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=True)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["tasks", "links"]),
    st.lists(st.integers(0, 40), min_size=1, max_size=30),
    st.booleans(),
    st.sampled_from([None, "PX"]),
)
def test_coerce_table_matches_the_per_value_reference(table, seeds, as_str, default):
    values = TASK_VALUES if table == "tasks" else LINK_VALUES
    cols = list(values)
    data = {c: [values[c][(s + k) % len(values[c])] for s in seeds] for k, c in enumerate(cols)}
    if as_str:
        frame = pd.DataFrame(
            {
                c: pd.Series([None if v is None else v if isinstance(v, str) else str(v) for v in vals], dtype="str")
                for c, vals in data.items()
            }
        )
    else:
        frame = pd.DataFrame({c: pd.Series(vals, dtype=object) for c, vals in data.items()})
    kw = dict(
        file="f.csv",
        sheet="S",
        row_numbers=[10 + i for i in range(len(seeds))],
        headers={"start": "Begin"},
        defaults={"project_id": default},
    )
    ref = reference_coerce(table, frame.astype(object).where(frame.notna(), None), **kw)
    new = validate.coerce_table(table, frame, **kw)
    assert [str(p) for p in new.problems] == [str(p) for p in ref.problems]
    assert new.notes == ref.notes
    assert (new.rows_in, new.rejected) == (ref.rows_in, ref.rejected)
    _same_frames(new.valid, ref.valid)
