"""Fast paths of the import that only big tables take (4,096 rows and more): columns of a few
distinct values parsed once per value and spread back, the repeated-key check counted in Arrow,
and the typed frame built from the parsed arrays. The expected values are written out by hand
or come from the per-value parsers in ``normalize`` (the rules)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pmo_analytics.ingest import fastparse, normalize, validate

N = 5000


def _cycle(values: list, n: int = N) -> list:
    return [values[i % len(values)] for i in range(n)]


def test_few_distinct_values_with_blanks_and_nulls_spread_back_per_row():
    values = _cycle(["yes", "no", None, "maybe", " ", "NA"])
    col = fastparse.parse_series(pd.Series(values, dtype="str"), "bool")
    head = [True, False, None, None, None, None]  # "maybe" and "NA" are no yes/no; blanks are None
    assert col.values[:6].tolist() == head
    assert col.values.tolist() == _cycle(head)
    assert col.bad.tolist() == _cycle([False, False, False, True, False, True])
    assert col.missing.tolist() == _cycle([False, False, True, True, True, True])
    assert col.empty.tolist() == _cycle([False, False, True, False, True, True])


def test_few_distinct_values_without_nulls_or_problems():
    values = _cycle(["2025-01-06", "2025-01-07", "06/01/2025"])
    col = fastparse.parse_series(pd.Series(values, dtype="str"), "date")
    assert not col.bad.any() and not col.missing.any() and not col.empty.any()
    # 06/01 could be either way round: day first, said in a note
    assert col.values[:3].astype(str).tolist() == ["2025-01-06", "2025-01-07", "2025-01-06"]
    assert col.notes == ["every date could be day/month or month/day; read as day/month/year"]
    ref, bad, notes = normalize.parse_column(values, "date")
    assert bad == [] and col.notes == notes
    assert fastparse.to_python(col, "date") == ref


def test_text_column_keeps_its_arrow_strings():
    col = fastparse.parse_series(pd.Series([" a ", "", None, "b"], dtype="str"), "text")
    assert col.values.tolist() == ["a", None, None, "b"]
    assert col.strings is not None and col.strings.to_pylist() == ["a", "", None, "b"]
    assert fastparse.parse_series(pd.Series(["a", 1.0], dtype=object), "text").strings is None


def _tasks(task_ids: list, **extra) -> pd.DataFrame:
    n = len(task_ids)
    return pd.DataFrame(
        {
            "project_id": pd.Series(["P1"] * n, dtype="str"),
            "task_id": pd.Series(task_ids, dtype="str"),
            "name": pd.Series([f"Task {i}" for i in range(n)], dtype="str"),
            "start": pd.Series(["2025-01-06"] * n, dtype="str"),
            "finish": pd.Series(["2025-01-10"] * n, dtype="str"),
            **extra,
        }
    )


def test_repeated_key_far_below_the_top_is_found():
    ids = [f"T{i:05d}" for i in range(N)]
    ids[4500] = "T00010"  # repeats the id of data row 10 (file row 12)
    out = validate.coerce_table("tasks", _tasks(ids), file="f.csv")
    assert [(p.row, p.column, p.value, p.message) for p in out.problems] == [
        (4502, "Project ID, Task ID", "P1 / T00010", "duplicate of row 12")
    ]
    assert (out.rows_in, out.rejected, len(out.valid)) == (N, 1, N - 1)
    assert out.valid["task_id"].dtype == object and out.valid["task_id"].iloc[0] == "T00000"


def test_repeated_key_counted_among_the_rows_kept():
    ids = [f"T{i:05d}" for i in range(N)]
    ids[4000] = "T00020"  # the same id as row 20 ...
    pct = ["50%"] * N
    pct[20] = "abc"  # ... whose row is rejected for another reason: then no duplicate
    out = validate.coerce_table("tasks", _tasks(ids, percent_complete=pd.Series(pct, dtype="str")), file="f.csv")
    assert [(p.row, p.message) for p in out.problems] == [(22, "expected a percentage such as 35%, 35 or 0.35")]
    assert out.rejected == 1 and len(out.valid) == N - 1


def test_trimmed_ids_are_the_same_key():
    ids = [f"T{i:05d}" for i in range(N)]
    ids[3000] = " T00005 "
    out = validate.coerce_table("tasks", _tasks(ids), file="f.csv")
    assert [(p.row, p.value, p.message) for p in out.problems] == [(3002, "P1 / T00005", "duplicate of row 7")]


def test_unique_check_shortcut_only_when_counted_distinct():
    vals = np.array(["a", "b", "c", "b"], dtype=object)
    miss = np.zeros(4, dtype=bool)
    assert validate._one_column_unique([vals], [miss]) is False
    assert validate._one_column_unique([vals[:3]], [miss[:3]]) is True
    assert validate._one_column_unique([vals[:3]], [miss[:3]], all_distinct=True) is True
    assert validate._one_column_unique([vals[:3]], [np.array([False, True, False])], all_distinct=True) is False


def test_a_default_that_repeats_a_written_key_is_a_duplicate():
    # every written project id differs (one is blank), but the blank takes the default "P00007"
    ids = [f"P{i:05d}" for i in range(N)]
    ids[3000] = ""
    frame = pd.DataFrame(
        {
            "project_id": pd.Series(ids, dtype="str"),
            "name": pd.Series([f"Project {i}" for i in range(N)], dtype="str"),
        }
    )
    out = validate.coerce_table("projects", frame, file="f.csv", defaults={"project_id": "P00007"})
    assert [(p.row, p.value, p.message) for p in out.problems] == [(3002, "P00007", "duplicate of row 9")]
    assert out.rejected == 1


def test_rejected_rows_leave_text_values_of_the_frame_unchanged():
    ids = [f"T{i:05d}" for i in range(N)]
    names = [f"Task {i}" for i in range(N)]
    frame = _tasks(ids)
    out = validate.coerce_table("tasks", frame, file="f.csv")
    assert out.valid["name"].tolist() == names
    assert frame["name"].tolist() == names  # the input frame is not written to


def test_blank_and_placeholder_cells_among_long_text():
    long_only = _cycle(["Task number one", "  Another task  ", None, "ＮＵＬＬ-ish"])
    col = fastparse.parse_series(pd.Series(long_only, dtype="str"), "text")
    assert col.empty.tolist() == _cycle([False, False, True, False])
    mixed = [f"Task {i:05d}" for i in range(N)]
    mixed[17], mixed[4000], mixed[4001] = " N/A ", "null", "—"
    col = fastparse.parse_series(pd.Series(mixed, dtype="str"), "text")
    assert np.flatnonzero(col.empty).tolist() == [17, 4000, 4001]
    assert col.empty.tolist() == [normalize.is_empty(v) for v in mixed]


def test_arrow_lowercase_keeps_one_code_point_per_code_point():
    # the placeholder shortcut rests on this (Python's str.lower turns "İ" into two code points)
    import pyarrow as pa
    import pyarrow.compute as pc

    chars = pa.array(["İ", "ẞ", "ŉ", "Σ", "Ａ", "K"], type=pa.large_string())
    assert pc.utf8_length(pc.utf8_lower(chars)).to_pylist() == [1] * 6


def test_typed_frame_from_handed_over_arrays_keeps_every_value():
    days = np.array(["2025-01-06", "NaT", "1969-12-31", "1900-02-28"], dtype="datetime64[D]")
    floats = np.array([1.5, np.nan, -2.0, 0.0])
    none = np.zeros(4, dtype=bool)
    values = {"start": days, "finish": days, "bac": floats, "actual_cost": floats}  # shared arrays
    missing = {"start": np.isnat(days), "finish": np.isnat(days), "bac": np.isnan(floats), "actual_cost": none}
    frame = validate._typed_frame_arrays("tasks", values, missing, own=True)
    expected = ["2025-01-06 00:00:00", "NaT", "1969-12-31 00:00:00", "1900-02-28 00:00:00"]
    assert [str(x) for x in frame["start"]] == expected
    assert [str(x) for x in frame["finish"]] == expected  # the shared array was not converted twice
    assert str(frame["start"].dtype) == "datetime64[s]"
    assert frame["bac"].tolist()[0] == 1.5 and frame["actual_cost"].tolist()[2] == -2.0


def test_all_distinct_in_order_out_of_order_and_repeated():
    import pyarrow as pa

    def d(values):
        return validate._all_distinct(pa.array(values, type=pa.large_string()))

    assert d(["T1", "T2", "T3"]) is True  # increasing
    assert d(["T3", "T2", "T1"]) is True  # decreasing
    assert d(["T2", "T1", "T3"]) is True  # neither, still distinct
    assert d(["T1", "T2", "T2", "T3"]) is False  # a repeat next to itself
    assert d(["T1", "T2", "T3", "T1"]) is False  # a repeat far away
    assert d(["T3", "T2", "T2"]) is False
    assert d(["T1", None, "T2"]) is True and d([None, "T1", None]) is False  # null is one value
    assert d(["b", "a", "b"]) is False
