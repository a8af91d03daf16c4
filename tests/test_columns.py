"""The shared frame-column helpers: absent columns, loose types, missing values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pmo_analytics.metrics.columns import (
    column,
    datetimes,
    days,
    flags,
    floats,
    numeric,
    optional_texts,
    texts,
    to_float,
)

DF = pd.DataFrame(
    {
        "n": ["1.5", None, "x"],
        "b": ["Yes", " 是 ", None],
        "t": ["a", None, 3],
        "d": ["2024-03-04", None, "not a date"],
    },
    index=[10, 11, 12],
)


def test_column_absent_and_present():
    assert column(DF, "n").equals(DF["n"])
    missing = column(DF, "nope", 7)
    assert missing.tolist() == [7, 7, 7] and missing.index.tolist() == [10, 11, 12]


def test_numbers():
    f = floats(DF["n"])
    assert f[0] == 1.5 and np.isnan(f[1]) and np.isnan(f[2])
    s = numeric(DF["n"])
    assert s.index.tolist() == [10, 11, 12] and s.dtype == float and s.isna().tolist() == [False, True, True]
    assert np.isnan(floats(column(DF, "absent"))).all()
    assert to_float("2") == 2.0 and math.isnan(to_float(None)) and math.isnan(to_float("x"))


def test_flags_every_dtype():
    assert flags(DF["b"]).tolist() == [True, True, False]  # "Yes", " 是 " read as yes; None is False
    assert flags(pd.Series(["no", "0", "TRUE"])).tolist() == [False, False, True]
    assert flags(pd.Series([True, None, False], dtype="boolean")).tolist() == [True, False, False]
    assert flags(pd.Series([1.0, np.nan, 0.0, 2.0])).tolist() == [True, False, False, True]
    assert flags(pd.Series([1, 0], dtype="Int64")).tolist() == [True, False]
    assert flags(column(DF, "absent", False)).tolist() == [False, False, False]


def test_texts():
    assert texts(DF["t"]).tolist() == ["a", "", "3"]
    got = optional_texts(DF["t"])
    assert got[10] == "a" and pd.isna(got[11]) and got[12] == "3"
    got = optional_texts(pd.Series([np.nan, 1.5]))
    assert pd.isna(got[0]) and got[1] == "1.5"


def test_dates():
    d = days(DF, "d")
    assert d[0] == np.datetime64("2024-03-04") and np.isnat(d[1]) and np.isnat(d[2])
    assert np.isnat(days(DF, "absent")).all() and days(DF, "absent").dtype == np.dtype("datetime64[D]")
    s = datetimes(DF, "d")
    assert s.iloc[0] == pd.Timestamp("2024-03-04") and s.isna().tolist() == [False, True, True]
    assert datetimes(DF, "absent").isna().all()
