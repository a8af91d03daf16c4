"""Reading columns out of canonical frames: the one set of helpers the metrics share.

A column may be absent (an optional column of the schema) or hold values of a looser type than
the schema's (frames built by hand, or by a reader before normalisation). These helpers give a
missing column its neutral value and convert what is there, so the metric code reads straight.

- ``column``: the column, or a column of ``default`` when absent.
- ``floats`` / ``numeric``: numbers (unreadable values become NaN), as an array / a Series.
- ``flags``: booleans; missing is False; text "1", "true", "yes", "y", "是" (any case) is True.
- ``texts`` / ``optional_texts``: text, missing as "" (array) / left missing (Series).
- ``days`` / ``datetimes``: dates by column name, as ``datetime64[D]`` array / datetime Series.
- ``to_float``: one value as a float (NaN when it is not a number).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .working_time import to_days

_TRUE_WORDS = frozenset({"1", "true", "yes", "y", "是"})


def column(df: pd.DataFrame, name: str, default: object = np.nan) -> pd.Series:
    """``df[name]``, or a Series of ``default`` on ``df``'s index when the column is absent."""
    if name in df.columns:
        return df[name]
    return pd.Series([default] * len(df), index=df.index, dtype=object)


def flags(s: pd.Series) -> np.ndarray:
    """A boolean array: missing values are False; text counts as true when it reads as yes."""
    if s.dtype == bool:
        return s.to_numpy()
    if isinstance(s.dtype, pd.BooleanDtype):
        return s.fillna(False).to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(s.dtype):
        return pd.to_numeric(s).fillna(0).to_numpy(dtype=float) != 0
    out = s.astype(object).where(s.notna(), False)
    return np.array(
        [bool(v) if not isinstance(v, str) else v.strip().casefold() in _TRUE_WORDS for v in out],
        dtype=bool,
    )


def floats(s: pd.Series) -> np.ndarray:
    """A float array; values that are not numbers become NaN."""
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def numeric(s: pd.Series) -> pd.Series:
    """A float Series on ``s``'s index; values that are not numbers become NaN."""
    return pd.to_numeric(s, errors="coerce").astype(float)


def texts(s: pd.Series) -> np.ndarray:
    """An object array of str; missing values become ""."""
    return pd.Series(s).astype("string").fillna("").to_numpy(dtype=object)


def optional_texts(s: pd.Series) -> pd.Series:
    """An object Series of str; missing values (None, NaN) stay missing."""
    return s.astype(object).map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))


def days(df: pd.DataFrame, name: str) -> np.ndarray:
    """Column ``name`` as a ``datetime64[D]`` array (all NaT when the column is absent)."""
    if name not in df.columns:
        return np.full(len(df), np.datetime64("NaT"), dtype="datetime64[D]")
    return to_days(df[name])


def datetimes(df: pd.DataFrame, name: str) -> pd.Series:
    """Column ``name`` as a datetime Series (unreadable dates and an absent column are NaT)."""
    if name not in df.columns:
        return pd.Series(pd.NaT, index=df.index, dtype="datetime64[s]")
    return pd.to_datetime(df[name], errors="coerce")


def to_float(v: object) -> float:
    """``float(v)``, or NaN when ``v`` is not a number."""
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")
