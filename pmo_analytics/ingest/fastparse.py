"""Column-at-a-time parsing: the same results and decisions as the per-value parsers in
``normalize`` (``parse_date``, ``parse_float``, ``parse_money``, ``parse_percent``, ``parse_bool``,
``parse_text``, ``parse_list`` and the column decisions of ``parse_column``), fast.

Common shapes take vectorised paths: numbers, dates and booleans already typed by the
spreadsheet reader (NumPy), and text through Arrow compute kernels (plain numbers, ISO and
day/month/year dates, yes/no words, trimming, placeholders such as ``NA``). Every value the
fast path does not recognise goes to the per-value parser, so unusual values (``¥1,200``,
``1.2万``, ``31-Mar-2025``, ``2025年3月31日``) behave exactly as before, with the same errors.
``tests/test_formats_fastparse.py`` checks the equivalence on random columns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.types import infer_dtype

from . import normalize as nz
from .base import Note

_EMPTY = pa.array(sorted(nz.EMPTY), type=pa.string())
_EMPTY_MAX_LEN = max(len(v) for v in nz.EMPTY)  # code points
_NUM_PATTERN = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_ISO_PATTERN = r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[ T].*)?$"
_DMY_PATTERNS = {
    sep: rf"^(?P<a>\d{{1,2}}){esc}(?P<b>\d{{1,2}}){esc}(?P<y>\d{{2}}|\d{{4}})(?:[ T].*)?$"
    for sep, esc in (("-", "-"), ("/", "/"), (".", r"\."))
}
_TRUE = pa.array(sorted(nz._TRUE), type=pa.string())
_FALSE = pa.array(sorted(nz._FALSE), type=pa.string())
_NAT = np.datetime64("NaT", "D")


@dataclass
class Column:
    """A parsed column: ``values`` typed (float64 with NaN, datetime64[D] with NaT, or object with
    None), ``missing`` (no value after parsing), ``bad`` (the value could not be read),
    ``empty`` (the raw cell is blank or a placeholder, as ``normalize.is_empty`` says) and the
    column-level notes ``parse_column`` gives. ``strings``, for text parsed from text, is the same
    values as Arrow strings (``values[i] == strings[i]`` wherever ``values[i]`` is not None), for
    checks that are cheaper in Arrow (repeated keys); None otherwise."""

    values: np.ndarray
    missing: np.ndarray
    bad: np.ndarray
    empty: np.ndarray
    notes: list[str]
    strings: pa.Array | None = None


# ---------------------------------------------------------------- input shapes


def _as_arrow_strings(values) -> pa.Array | None:
    """An Arrow string array when every value is text or missing, else None."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            return values.cast(pa.string()) if pa.types.is_large_string(values.type) else values
        return None
    if isinstance(values, pd.Series):
        dt = values.dtype
        if isinstance(dt, pd.StringDtype) or (isinstance(dt, pd.ArrowDtype) and pa.types.is_string(dt.pyarrow_dtype)):
            arr = pa.array(values, from_pandas=True)
            if isinstance(arr, pa.ChunkedArray):
                arr = arr.combine_chunks()
            return arr
    return None


def _object_array(values) -> np.ndarray:
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype=object, na_value=None) if values.dtype != object else values.to_numpy()
    if isinstance(values, np.ndarray) and values.dtype == object:
        return values
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


def _str_subset(arr: np.ndarray) -> np.ndarray:
    return np.fromiter((type(v) is str for v in arr), dtype=bool, count=len(arr))


def _null_mask(arr: np.ndarray) -> np.ndarray:
    return pd.isna(arr)


# ---------------------------------------------------------------- string kernels


def _trimmed(a: pa.Array) -> pa.Array:
    return pc.utf8_trim_whitespace(a)


def _empty_str(a: pa.Array, t: pa.Array | None = None) -> np.ndarray:
    """``normalize.is_empty`` for an Arrow string array."""
    t = _trimmed(a) if t is None else t
    # utf8_lower maps each code point to one code point: text longer than every placeholder
    # cannot become one, and a column of such text (ids, names) needs no lowering
    if not pc.any(pc.less_equal(pc.utf8_length(t), _EMPTY_MAX_LEN)).as_py():
        return pc.is_null(a).to_numpy(zero_copy_only=False)
    hit = pc.is_in(pc.utf8_lower(t), value_set=_EMPTY.cast(t.type))
    return pc.or_kleene(pc.is_null(a), hit).fill_null(True).to_numpy(zero_copy_only=False)


def _np(a: pa.Array, fill=None) -> np.ndarray:
    if fill is not None:
        a = a.fill_null(fill)
    return a.to_numpy(zero_copy_only=False)


def _plain_numbers(t: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(mask of values that are plain numbers such as ``-12.5e3``, their float values)."""
    m = _np(pc.match_substring_regex(t, _NUM_PATTERN), False).astype(bool)
    if len(m) and m.all():  # every value a plain number (so none null): cast the column as it is
        return m, _np(pc.cast(t, pa.float64()))
    vals = np.full(len(t), np.nan)
    if m.any():
        vals[m] = _np(pc.cast(pc.filter(t, pa.array(m)), pa.float64()))
    return m, vals


def _ymd_to_dates(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """datetime64[D] from year/month/day ints and a mask of impossible dates (Feb 30, month 13)."""
    ok = (y >= 1) & (y <= 9999) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= 31)
    yy, mm, dd = np.where(ok, y, 1970), np.where(ok, m, 1), np.where(ok, d, 1)
    months = ((yy - 1970) * 12 + (mm - 1)).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + (dd - 1).astype("timedelta64[D]")
    ok &= days.astype("datetime64[M]") == months
    return np.where(ok, days, _NAT), ~ok


def _extract_ints(t: pa.Array, pattern: str, names: tuple[str, ...]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    ex = pc.extract_regex(t, pattern=pattern)
    matched = _np(ex.is_valid(), False).astype(bool)
    out = {}
    for n in names:
        field = ex.field(n)
        vals = np.zeros(len(t), dtype=np.int64)
        if matched.any():
            vals[matched] = _np(pc.cast(pc.filter(field, pa.array(matched)), pa.int64()))
        out[n] = vals
    return matched, out


# ---------------------------------------------------------------- per-value fallback


def _scalar(values: np.ndarray, parser) -> tuple[list, np.ndarray]:
    out, bad = [], np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        try:
            out.append(parser(v))
        except (ValueError, TypeError, OverflowError):
            out.append(None)
            bad[i] = True
    return out, bad


# ---------------------------------------------------------------- the column parser


def parse_series(values, dtype: str) -> Column:
    """Parse one column of raw values as canonical ``dtype`` (see ``normalize.parse_column``)."""
    n = len(values)
    a = _as_arrow_strings(values)
    if a is not None:
        return _from_strings(a, dtype, n)
    if isinstance(values, pd.Series) and values.dtype.kind in "fiub" and dtype != "text" and dtype != "list":
        arr = values.to_numpy()
        if values.dtype.kind in "fiu":
            return _from_numbers(arr.astype(float), dtype)
    obj = _object_array(values)
    kind = infer_dtype(obj, skipna=True) if n else "empty"
    if kind.startswith("mixed") and kind != "mixed-integer-float":
        blank = obj == ""  # a workbook's empty cells among numbers or dates: read them as None
        if blank.any():
            obj = obj.copy()
            obj[blank] = None
            kind = infer_dtype(obj, skipna=True)
            if kind in ("floating", "integer", "mixed-integer-float", "datetime", "date", "boolean", "empty"):
                col = parse_series(pd.Series(obj, dtype=object), dtype)
                return col
    if kind == "string":
        return _from_strings(pa.array(obj, type=pa.string(), from_pandas=True), dtype, n)
    if kind in ("floating", "integer", "mixed-integer-float") and dtype not in ("text", "list", "bool"):
        nulls = _null_mask(obj)
        num = np.full(n, np.nan)
        num[~nulls] = obj[~nulls].astype(float)
        return _from_numbers(num, dtype)
    if kind in ("datetime", "date") and dtype == "date":
        return _from_datetimes(obj)
    if kind == "boolean" and dtype == "bool":
        nulls = _null_mask(obj)
        vals = obj.copy()
        vals[nulls] = None
        return Column(vals, nulls, np.zeros(n, dtype=bool), nulls.copy(), [])
    if kind == "empty":
        return _all_missing(n, dtype, empty=np.ones(n, dtype=bool))
    # mixed: text through the string kernels, everything else value by value
    is_str = _str_subset(obj)
    if is_str.all():
        return _from_strings(pa.array(obj, type=pa.string(), from_pandas=True), dtype, n)
    if not is_str.any() or dtype == "list":
        return _from_scalars(obj, dtype)
    return _merge_mixed(obj, is_str, dtype)


def _all_missing(n: int, dtype: str, *, empty: np.ndarray) -> Column:
    vals = np.full(n, _NAT) if dtype == "date" else (np.full(n, np.nan) if _numeric(dtype) else np.full(n, None))
    return Column(vals, np.ones(n, dtype=bool), np.zeros(n, dtype=bool), empty, [])


def _numeric(dtype: str) -> bool:
    return dtype in ("float", "int", "money", "percent")


def _from_numbers(num: np.ndarray, dtype: str, *, scale_100: bool | None = None) -> Column:
    """Typed numbers (a spreadsheet's numeric cells)."""
    n = len(num)
    missing = np.isnan(num)
    empty = missing.copy()
    bad = np.isinf(num)
    notes: list[str] = []
    if dtype == "date":
        serial = (num >= 20000) & (num <= 80000)
        bad |= ~missing & ~serial
        vals = np.full(n, _NAT)
        ok = ~missing & serial
        vals[ok] = np.datetime64("1899-12-30") + np.trunc(num[ok]).astype(np.int64).astype("timedelta64[D]")
        return Column(vals, missing | bad, bad, empty, notes)
    if dtype == "text":
        return _from_scalars(_object_array(pd.Series(num).astype(object).where(~missing, None)), dtype)
    if dtype == "bool":
        return _from_scalars(_object_array(pd.Series(num).astype(object).where(~missing, None)), dtype)
    vals = np.where(bad, np.nan, num)
    if dtype == "int":
        frac = ~missing & ~bad & (np.floor(vals) != vals)
        bad |= frac
        vals = np.where(frac, np.nan, vals)
    if dtype == "percent":
        scale = (
            bool(np.nanmax(np.where(bad | missing, -np.inf, vals), initial=-np.inf) > 1)
            if scale_100 is None
            else scale_100
        )
        if scale:
            notes.append(Note("note.col.percent_scale"))
            vals = vals / 100.0
    return Column(vals, missing | bad, bad, empty, notes)


def _from_datetimes(obj: np.ndarray) -> Column:
    n = len(obj)
    nulls = _null_mask(obj)
    vals = np.full(n, _NAT)
    if (~nulls).any():
        conv = pd.to_datetime(pd.Series(obj[~nulls]), errors="coerce")
        vals[~nulls] = conv.to_numpy().astype("datetime64[D]")
    bad = ~nulls & np.isnat(vals)
    return Column(vals, nulls | bad, bad, nulls.copy(), [])


def _from_scalars(obj: np.ndarray, dtype: str) -> Column:
    """Value by value through ``normalize.parse_column`` (mixed or rare shapes)."""
    out, bad_idx, notes = nz.parse_column(list(obj), dtype)
    bad = np.zeros(len(obj), dtype=bool)
    bad[bad_idx] = True
    empty = np.fromiter((nz.is_empty(v) for v in obj), dtype=bool, count=len(obj))
    return _column_from_python(out, bad, empty, dtype, notes)


def _column_from_python(out: list, bad: np.ndarray, empty: np.ndarray, dtype: str, notes: list[str]) -> Column:
    n = len(out)
    if dtype == "date":
        vals = (
            np.array([np.datetime64(v, "D") if v is not None else _NAT for v in out], dtype="datetime64[D]")
            if n
            else np.array([], dtype="datetime64[D]")
        )
        missing = np.isnat(vals)
    elif _numeric(dtype):
        vals = np.array([np.nan if v is None else float(v) for v in out], dtype=float)
        missing = np.isnan(vals)
    else:
        vals = np.empty(n, dtype=object)
        vals[:] = out
        missing = np.fromiter((v is None for v in out), dtype=bool, count=n)
    return Column(vals, missing, bad, empty, notes)


def _merge_mixed(obj: np.ndarray, is_str: np.ndarray, dtype: str) -> Column:
    """Strings through the kernels, other values one by one; column decisions over both."""
    n = len(obj)
    strs = obj[is_str]
    others = obj[~is_str]
    if dtype in ("date", "percent", "float", "money", "int"):
        # decisions (day-first, 0-100 scale, decimal comma) must see every value: decide first
        decision = _decide(obj, dtype)
    else:
        decision = None
    sc = _from_strings(pa.array(strs, type=pa.string()), dtype, len(strs), decision=decision)
    oc = _scalar_with_decision(others, dtype, decision)
    vals = np.full(n, _NAT) if dtype == "date" else (np.full(n, np.nan) if _numeric(dtype) else np.full(n, None))
    out = Column(vals, np.zeros(n, dtype=bool), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool), [])
    for mask, part in ((is_str, sc), (~is_str, oc)):
        out.values[mask] = part.values
        out.missing[mask] = part.missing
        out.bad[mask] = part.bad
        out.empty[mask] = part.empty
    out.notes = list(decision["notes"]) if decision else list(dict.fromkeys(sc.notes + oc.notes))
    return out


def _decide(obj: np.ndarray, dtype: str) -> dict:
    """The column-level decision ``parse_column`` makes, from every value."""
    if dtype == "date":
        dayfirst, note = nz.decide_dayfirst(list(obj))
        return {"dayfirst": dayfirst, "notes": [note] if note else []}
    if dtype == "percent":
        plain = []
        for v in obj:
            if nz.is_empty(v) or (isinstance(v, str) and v.strip().endswith(("%", "％"))):
                continue
            try:
                plain.append(nz.parse_float(v))
            except ValueError:
                pass
        scale = any(p is not None and p > 1 for p in plain)
        return {"scale": scale, "notes": [Note("note.col.percent_scale")] if scale else []}
    if dtype in ("float", "money", "int"):
        comma, note = nz.decide_decimal_comma(list(obj))
        return {"comma": comma, "notes": [note] if note else []}
    return {"notes": []}


def _scalar_with_decision(obj: np.ndarray, dtype: str, decision: dict | None) -> Column:
    if dtype == "date":
        d = decision["dayfirst"]
        out, bad = _scalar(obj, lambda v: nz.parse_date(v, dayfirst=d))
    elif dtype == "percent":
        s = decision["scale"]
        out, bad = _scalar(obj, lambda v: nz.parse_percent(v, scale_100=s))
    else:
        out, bad = _scalar(obj, nz.PARSERS[dtype])
    empty = np.fromiter((nz.is_empty(v) for v in obj), dtype=bool, count=len(obj))
    return _column_from_python(out, bad, empty, dtype, [])


def _from_strings(a: pa.Array, dtype: str, n: int, *, decision: dict | None = None) -> Column:
    """Text values: columns that repeat a few distinct values (dates, statuses, yes/no, project
    ids) are parsed once per distinct value and spread back; others value-wise in Arrow."""
    if n >= 4096 and dtype != "list":
        if isinstance(a, pa.ChunkedArray):
            a = a.combine_chunks()
        sample = a.slice(0, 4096)
        if len(pc.unique(sample)) <= 1024:
            enc = pc.dictionary_encode(a)
            uniq = enc.dictionary
            if len(uniq) <= n // 4:
                u = _from_strings_direct(uniq, dtype, len(uniq), decision=decision)
                if enc.indices.null_count:
                    idx = _np(enc.indices.cast(pa.int64()), -1).astype(np.int64)
                    take = np.where(idx < 0, len(uniq), idx)
                else:  # no nulls: the indices as they are (int32)
                    take = enc.indices.to_numpy()
                has_null = enc.indices.null_count > 0

                def spread(arr, fill):
                    if arr.dtype == bool and (fill is True or fill is False):
                        # a flag the same for every distinct value (and for nulls): no gather
                        if not arr.any() and (fill is False or not has_null):
                            return np.zeros(len(take), dtype=bool)
                        if arr.all() and (fill is True or not has_null):
                            return np.ones(len(take), dtype=bool)
                    ext = np.empty(len(uniq) + 1, dtype=arr.dtype)
                    ext[: len(uniq)] = arr
                    ext[len(uniq)] = fill
                    return ext[take]

                fill = _NAT if dtype == "date" else (np.nan if _numeric(dtype) else None)
                return Column(
                    spread(u.values, fill),
                    spread(u.missing, True),
                    spread(u.bad, False),
                    spread(u.empty, True),
                    u.notes,
                )
    return _from_strings_direct(a, dtype, n, decision=decision)


def _from_strings_direct(a: pa.Array, dtype: str, n: int, *, decision: dict | None = None) -> Column:
    t = _trimmed(a)
    empty = _empty_str(a, t)
    if dtype == "text":
        vals = _np(t)  # a new object array of str: ours to change
        missing = _np(pc.equal(t, "").fill_null(True)).astype(bool)
        if vals.dtype != object:  # pragma: no cover - Arrow gives str objects
            vals = vals.astype(object)
        vals[missing] = None
        return Column(vals, missing, np.zeros(n, dtype=bool), empty, [], t)
    if dtype == "list":
        return _from_scalars(_np(a).astype(object), dtype)
    if dtype == "bool":
        low = pc.utf8_lower(t)
        is_t = _np(pc.is_in(low, value_set=_TRUE.cast(low.type)), False).astype(bool)
        is_f = _np(pc.is_in(low, value_set=_FALSE.cast(low.type)), False).astype(bool)
        blank = _np(pc.equal(t, "").fill_null(True)).astype(bool)
        rest = ~(is_t | is_f | blank)
        vals = np.full(n, None, dtype=object)
        vals[is_t] = True
        vals[is_f] = False
        bad = np.zeros(n, dtype=bool)
        if rest.any():  # casefold() of non-ASCII text differs from lower(); ask the scalar parser
            idx = np.flatnonzero(rest)
            out, b = _scalar(_np(a)[idx].astype(object), nz.parse_bool)
            vals[idx] = out
            bad[idx] = b
        missing = np.fromiter((v is None for v in vals), dtype=bool, count=n)
        return Column(vals, missing, bad, empty, [])
    if dtype == "date":
        return _dates_from_strings(a, t, empty, n, decision)
    # numbers: float, int, money, percent
    vals = np.full(n, np.nan)
    bad = np.zeros(n, dtype=bool)
    notes: list[str] = []
    if dtype == "percent":
        pct = _np(pc.or_(pc.ends_with(t, "%"), pc.ends_with(t, "％")), False).astype(bool) & ~empty
        body = pc.utf8_slice_codeunits(t, 0, -1)
        pm, pv = _plain_numbers(body)
        plain_m, plain_v = _plain_numbers(t)
        plain_m &= ~pct & ~empty
        overflow = plain_m & ~np.isfinite(plain_v)  # "1e999": the scalar parser refuses it
        plain_m &= ~overflow
        bad |= overflow
        # values neither "12%" with a plain number nor a plain number: one by one
        odd_pct = pct & ~pm
        odd = ~empty & ~pct & ~plain_m
        raw = None
        odd_plain_vals = {}
        if odd.any() or odd_pct.any():
            raw = _np(a).astype(object)
        if odd.any():
            for i in np.flatnonzero(odd):
                try:
                    odd_plain_vals[i] = nz.parse_float(raw[i])
                except ValueError:
                    pass
        if decision is not None:
            scale = decision["scale"]
        else:
            cand = plain_v[plain_m]
            scale = bool((cand > 1).any()) or any(v is not None and v > 1 for v in odd_plain_vals.values())
            if scale:
                notes.append(Note("note.col.percent_scale"))
        ok_pct = pct & pm
        vals[ok_pct] = pv[ok_pct] / 100.0
        vals[plain_m] = plain_v[plain_m] / 100.0 if scale else plain_v[plain_m]
        for i in np.flatnonzero(odd_pct | odd):
            try:
                v = nz.parse_percent(raw[i], scale_100=scale)
                vals[i] = np.nan if v is None else v
                if v is not None and (math.isinf(v) or math.isnan(v)):
                    raise ValueError(raw[i])
            except (ValueError, TypeError, OverflowError):
                bad[i] = True
                vals[i] = np.nan
        inf = np.isinf(vals)
        bad |= inf
        vals[inf] = np.nan
        missing = np.isnan(vals)
        return Column(vals, missing, bad, empty, notes)
    m, v = _plain_numbers(t)
    m &= ~empty
    vals[m] = v[m]
    rest = ~empty & ~m
    if rest.any():
        idx = np.flatnonzero(rest)
        raw_rest = _np(a)[idx].astype(object)
        if decision is not None and "comma" in decision:
            comma = decision["comma"]
        else:  # plain numbers carry no comma: the decision rests on these values
            comma, note = nz.decide_decimal_comma(list(raw_rest))
            if note:
                notes.append(note)
        base = nz.parse_money if dtype == "money" else nz.parse_float

        def parser(x, _c=comma, _b=base):
            return _b(x, decimal_comma=True) if _c else _b(x)

        out, b = _scalar(raw_rest, parser)
        vals[idx] = [np.nan if x is None else x for x in out]
        bad[idx] = b
    inf = np.isinf(vals)
    bad |= inf
    vals[inf] = np.nan
    if dtype == "int":
        frac = ~np.isnan(vals) & (np.floor(vals) != vals)
        bad |= frac
        vals[frac] = np.nan
    missing = np.isnan(vals)
    return Column(vals, missing, bad, empty, notes)


def _iso_fast(t: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(mask, dates) for values written exactly ``YYYY-MM-DD`` that are real dates (Arrow's
    strptime rolls 2025-02-30 over to March, so each parsed field is checked against the text)."""
    n = len(t)
    ln = pc.utf8_length(t)
    cand = pc.and_(
        pc.equal(ln, 10),
        pc.and_(pc.equal(pc.utf8_slice_codeunits(t, 4, 5), "-"), pc.equal(pc.utf8_slice_codeunits(t, 7, 8), "-")),
    )
    cand = cand.fill_null(False)
    if not pc.any(cand).as_py():
        return np.zeros(n, dtype=bool), np.full(n, _NAT)
    ys, ms, ds = (pc.utf8_slice_codeunits(t, a, b) for a, b in ((0, 4), (5, 7), (8, 10)))
    digits = pc.and_(pc.utf8_is_digit(ys), pc.and_(pc.utf8_is_digit(ms), pc.utf8_is_digit(ds)))
    parsed = pc.strptime(t, format="%Y-%m-%d", unit="s", error_is_null=True)
    ok = pc.and_(pc.and_(cand, digits), parsed.is_valid()).fill_null(False)
    y = pc.cast(pc.if_else(ok, ys, "1"), pa.int64())
    m = pc.cast(pc.if_else(ok, ms, "1"), pa.int64())
    d = pc.cast(pc.if_else(ok, ds, "1"), pa.int64())
    same = pc.and_(
        pc.and_(pc.equal(pc.year(parsed), y), pc.equal(pc.month(parsed), m)),
        pc.and_(pc.equal(pc.day(parsed), d), pc.greater_equal(y, 1)),
    )
    ok = _np(pc.and_(ok, same.fill_null(False)), False).astype(bool)
    dates = _np(parsed.cast(pa.date32()), None)
    dates = np.where(ok, dates.astype("datetime64[D]"), _NAT) if len(dates) else np.full(n, _NAT)
    return ok, dates


def _dates_from_strings(a: pa.Array, t: pa.Array, empty: np.ndarray, n: int, decision: dict | None) -> Column:
    vals = np.full(n, _NAT)
    bad = np.zeros(n, dtype=bool)
    fast, fdates = _iso_fast(t)
    fast &= ~empty
    vals[fast] = fdates[fast]
    rest = ~empty & ~fast
    notes: list[str] = []
    if not rest.any():
        return Column(vals, np.isnat(vals), bad, empty, notes)
    idx = np.flatnonzero(rest)
    sel = pa.array(rest)
    sub = _dates_general(pc.filter(a, sel), pc.filter(t, sel), len(idx), decision)
    vals[idx] = sub.values
    bad[idx] = sub.bad
    return Column(vals, np.isnat(vals), bad, empty, sub.notes)


def _dates_general(a: pa.Array, t: pa.Array, n: int, decision: dict | None) -> Column:
    """Non-blank text dates other than plain ``YYYY-MM-DD``: other ISO spellings and
    day/month/year by regex, the rest value by value."""
    empty = np.zeros(n, dtype=bool)
    vals = np.full(n, _NAT)
    bad = np.zeros(n, dtype=bool)
    notes: list[str] = []
    iso_m, iso = _extract_ints(t, _ISO_PATTERN, ("y", "m", "d"))
    dmy: dict[str, tuple[np.ndarray, dict[str, np.ndarray]]] = {}
    taken = iso_m.copy()
    for sep, pat in _DMY_PATTERNS.items():
        if taken.all():
            break
        mm, parts = _extract_ints(t, pat, ("a", "b", "y"))
        mm &= ~taken
        taken |= mm
        dmy[sep] = (mm, parts)
    rest = ~taken
    raw_rest = _np(a)[rest].astype(object) if rest.any() else np.array([], dtype=object)
    if decision is not None:
        dayfirst = decision["dayfirst"]
    else:
        # decide_dayfirst over the slash/dash dates (vectorised) plus whatever is left (weekday-prefixed)
        day_ev = month_ev = 0
        seen = False
        for sep in ("-", "/"):
            if sep not in dmy:
                continue
            mm, parts = dmy[sep]
            if mm.any():
                seen = True
                aa, bb = parts["a"][mm], parts["b"][mm]
                day_ev += int(((aa > 12) & (bb <= 12)).sum())
                month_ev += int(((bb > 12) & (aa <= 12)).sum())
        s2, d2, m2 = nz.dayfirst_evidence(list(raw_rest))
        seen, day_ev, month_ev = seen or s2, day_ev + d2, month_ev + m2
        dayfirst, note = nz.dayfirst_from_evidence(seen, day_ev, month_ev)
        if note:
            notes.append(note)
    if iso_m.any():
        v, b = _ymd_to_dates(iso["y"], iso["m"], iso["d"])
        vals[iso_m] = v[iso_m]
        bad[iso_m] = b[iso_m]
    for sep, (mm, parts) in dmy.items():
        if not mm.any():
            continue
        y = parts["y"]
        two = _np(pc.utf8_length(pc.extract_regex(t, pattern=_DMY_PATTERNS[sep]).field("y")), 0) == 2
        y = np.where(two, np.where(y < 70, y + 2000, y + 1900), y)
        aa, bb = parts["a"], parts["b"]
        if sep == "." or dayfirst:
            v, b = _ymd_to_dates(y, bb, aa)
        else:
            v, b = _ymd_to_dates(y, aa, bb)
        vals[mm] = v[mm]
        bad[mm] = b[mm]
    if rest.any():
        idx = np.flatnonzero(rest)
        out, b = _scalar(raw_rest, lambda x: nz.parse_date(x, dayfirst=dayfirst))
        vals[idx] = [np.datetime64(x, "D") if x is not None else _NAT for x in out]
        bad[idx] = b
    vals[bad] = _NAT
    return Column(vals, np.isnat(vals), bad, empty, notes)


def to_python(col: Column, dtype: str) -> list:
    """The typed values as ``normalize.parse_column`` returns them (``date``, ``float``, ``int``,
    ``bool``, ``str``, ``list`` or ``None``)."""
    if dtype == "date":
        return [
            None if m else date.fromordinal(int(v.astype("datetime64[D]").astype(np.int64)) + 719163)
            for v, m in zip(col.values, col.missing, strict=True)
        ]
    if dtype == "int":
        return [None if m else int(v) for v, m in zip(col.values, col.missing, strict=True)]
    if _numeric(dtype):
        return [None if m else float(v) for v, m in zip(col.values, col.missing, strict=True)]
    return list(col.values)


__all__ = ["Column", "parse_series", "to_python", "datetime"]
