"""Excel and CSV exports of exactly the table a person sees: safe, formatted, fast.

``to_excel_bytes(df, ...)`` writes one DataFrame (already filtered, sorted and with
readable headers) to an xlsx workbook with xlsxwriter in constant-memory mode:

- every text cell (headers included) is written as a string, never a formula or a
  link (``=HYPERLINK(...)``, ``@SUM(1)``, ``+1`` stay text); control characters Excel
  rejects are removed; text over 32,767 characters is cut, marked, and listed on a
  Notes sheet;
- numbers stay numbers with number formats (money with thousands separators and the
  currency, percentages, ratios, integers), dates are real dates, NaN/None/NA are
  empty cells; bools, lists, Timestamps (with or without time zone) are handled;
- a small header block (title, filter lines, status date) above the table, a frozen
  header row, an autofilter, column widths from the content, RAG cells coloured;
- more than 1,048,576 rows are split across sheets with a note (or refused with a
  pointer to CSV when ``split=False``).

``to_csv_bytes(df)`` writes UTF-8 with a BOM (Excel opens Chinese correctly); text
fields starting with ``= + - @``, tab or CR, or with the full-width ``＝ ＋ － ＠``, get a
leading apostrophe (OWASP CSV injection); numbers are untouched.

``ExcelBook`` is the shared writer; the portfolio report workbook
(``pmo_analytics.report_workbook``) builds on it.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from . import i18n
from .errors import ExportError

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLS = 16_384
EXCEL_MAX_CHARS = 32_767  # per cell, in UTF-16 code units
SHEET_NAME_MAX = 31
CHUNK_ROWS = 5_000  # rows converted to Python values at a time (bounds memory)

# Characters an xlsx file cannot hold (XML 1.0): C0 controls except tab, LF, CR; U+FFFE/U+FFFF.
_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_WIDE_RE = re.compile("[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")
_SHEET_BAD_RE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
# A text cell starting with one of these is a formula to a spreadsheet; the full-width forms
# (U+FF1D = U+FF0B + U+FF0D - U+FF20 @) are read as their ASCII twins by East Asian Excel and IMEs.
_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

RAG_FILLS = {
    # Excel's own Good / Neutral / Bad cell styles
    "green": ("#C6EFCE", "#006100"),
    "amber": ("#FFEB9C", "#9C5700"),
    "red": ("#FFC7CE", "#9C0006"),
}

CURRENCY_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "CNY": "¥",
    "RMB": "¥",
    "JPY": "¥",
    "HKD": "HK$",
    "TWD": "NT$",
    "SGD": "S$",
    "AUD": "A$",
    "CAD": "C$",
    "INR": "₹",
    "KRW": "₩",
}
_ZERO_DECIMAL_CURRENCIES = {"JPY", "KRW"}

# Semantic column kinds accepted in ``column_formats`` (anything else is taken as an Excel number format).
KIND_FORMATS = {
    "money": "#,##0.00",
    "percent": "0.0%",
    "ratio": "0.00",
    "number": "#,##0.00",
    "float": "#,##0.00",
    "int": "#,##0",
    "integer": "#,##0",
    "days": "#,##0.0",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "duration": "[h]:mm",
    "text": "@",
}
_KIND_ALIASES = {"currency": "money", "pct": "percent", "%": "percent", "index": "ratio"}

# Export kinds of the registry's kinds (``formatting.column_kind``, the one registry of columns).
_EXPORT_KINDS = {
    "money": "money",
    "percent": "percent",
    "index": "ratio",
    "days": "days",
    "periods": "days",
    "hours": "number",
    "points": "number",
    "count": "int",
    "score": "int",
}


def _metric_kinds() -> dict[str, str]:
    """Column name -> export kind for the registry's named columns that have a header of their
    own (canonical columns come from schema.py)."""
    from .formatting import COLUMN_KINDS
    from .schema import TABLES

    canonical = {c.name for t in TABLES.values() for c in t.columns}
    out = {}
    for name, kind in COLUMN_KINDS.items():
        named = name in canonical or i18n.has(f"col.{name}") or i18n.has(f"export.col.{name}")
        if kind in _EXPORT_KINDS and named:
            out[name] = _EXPORT_KINDS[kind]
    return out


METRIC_KINDS = _metric_kinds()

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_LOTUS_BUG_END = pd.Timestamp("1900-03-01")  # Excel counts a 29 Feb 1900 that never was
_EXCEL_MIN = pd.Timestamp("1900-01-01")
_EXCEL_MAX = pd.Timestamp("9999-12-31 23:59:59")


# ---------------------------------------------------------------- small helpers
def clean_text(text: str) -> str:
    """``text`` without the characters an xlsx cell cannot hold (C0 controls other than tab,
    LF, CR; U+FFFE, U+FFFF); lone surrogates become U+FFFD."""
    text = _ILLEGAL_RE.sub("", text)
    if _SURROGATE_RE.search(text):
        text = _SURROGATE_RE.sub("\ufffd", text)
    return text


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, marker: str) -> str:
    """``text`` cut so that it plus ``marker`` fits Excel's 32,767 UTF-16 units."""
    budget = EXCEL_MAX_CHARS - _utf16_len(marker)
    units = text.encode("utf-16-le")[: 2 * budget]
    if len(units) >= 2 and 0xD8 <= units[-1] <= 0xDB:  # do not split a surrogate pair
        units = units[:-2]
    return units.decode("utf-16-le") + marker


def safe_sheet_name(name: object, taken: Iterable[str] = ()) -> str:
    """A valid, unique worksheet name: no ``[]:*?/\\``, at most 31 characters, not "History"."""
    text = _SHEET_BAD_RE.sub(" ", clean_text(str(name))).strip().strip("'") or "Sheet"
    if text.casefold() == "history":
        text = "History data"
    text = text[:SHEET_NAME_MAX]
    used = {t.casefold() for t in taken}
    base, n = text, 2
    while text.casefold() in used:
        suffix = f" ({n})"
        text = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    return text


def _header_text(col: object) -> str:
    if isinstance(col, tuple):
        return " / ".join(str(c) for c in col if str(c) != "")
    return str(col)


def _display_width(text: str) -> int:
    return len(text) + len(_WIDE_RE.findall(text))


def currency_format(currency: str | None, base: str = "#,##0.00") -> str:
    """An Excel number format for money in ``currency`` (ISO code or symbol), e.g. ``"¥"#,##0.00``."""
    if not currency:
        return base
    code = re.sub(r"[\"\\;\[\]]", "", str(currency)).strip()[:8]
    if not code:
        return base
    if code.upper() in _ZERO_DECIMAL_CURRENCIES:
        base = base.replace(".00", "")
    symbol = CURRENCY_SYMBOLS.get(code.upper())
    if symbol:
        return f'"{symbol}"{base};-"{symbol}"{base}'
    return f'{base} "{code}";-{base} "{code}"'


def _kind_index() -> dict[str, str]:
    """Canonical names and their labels (en, zh) -> column kind; ambiguous labels are left out."""
    from .schema import TABLES

    dtype_kind = {"money": "money", "percent": "percent", "int": "int", "float": "number"}
    seen: dict[str, set[str]] = {}

    def add(name: str, kind: str) -> None:
        seen.setdefault(name.casefold(), set()).add(kind)

    for table in TABLES.values():
        for c in table.columns:
            kind = METRIC_KINDS.get(c.name) or dtype_kind.get(c.dtype)
            if kind:
                for text in (c.name, c.label_en, c.label_zh):
                    add(text, kind)
    for name, kind in METRIC_KINDS.items():
        add(name, kind)
        for prefix in ("col.", "export.col."):
            if i18n.has(prefix + name):
                add(i18n.t(prefix + name, "en"), kind)
                add(i18n.t(prefix + name, "zh"), kind)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def infer_column_formats(columns: Iterable[object]) -> dict[str, str]:
    """Kinds ("money", "percent", "ratio", "days", "int", "number") for the columns whose name is
    a canonical or metric column, or its English or Chinese label; other columns are left out."""
    index = _kind_index()
    out = {}
    for col in columns:
        kind = index.get(_header_text(col).casefold())
        if kind:
            out[_header_text(col)] = kind
    return out


_PY_SPEC_RE = re.compile(r"^\{:(\+?)(,?)(?:\.(\d{1,2}))?([fd%])\}$")
_PRINTF_RE = re.compile(r"^%(,?)(?:\.(\d{1,2}))?([dfi])(%%)?$")
_STREAMLIT_PRESETS = {
    "percent": KIND_FORMATS["percent"],
    "dollar": '"$"#,##0.00',
    "euro": '"€"#,##0.00',
    "yen": '"¥"#,##0',
    "accounting": "#,##0.00;(#,##0.00)",
    "scientific": "0.00E+00",
}


def excel_number_format(spec: object) -> str | None:
    """The Excel number format of a display format the page used: a Python format string
    (``"{:,.0f}"``, ``"{:.0%}"``, ``"{:+.0f}"``), a printf format or preset of Streamlit's
    ``NumberColumn`` (``"%.2f"``, ``"percent"``), or a column config holding one; None when
    there is no plain equivalent (callables, "localized", dates...)."""
    if isinstance(spec, Mapping):
        spec = (spec.get("type_config") or {}).get("format")
    if not isinstance(spec, str):
        return None
    if spec in _STREAMLIT_PRESETS:
        return _STREAMLIT_PRESETS[spec]
    m = _PY_SPEC_RE.match(spec)
    if m:
        sign, group, decimals, kind = m.groups()
        n = 0 if kind == "d" else int(decimals) if decimals is not None else 6
        body = ("#,##0" if group else "0") + ("." + "0" * n if n else "") + ("%" if kind == "%" else "")
        return f"+{body};-{body};{body}" if sign else body
    m = _PRINTF_RE.match(spec)
    if m:
        group, decimals, kind, pct = m.groups()
        body = "#,##0" if group else "0"
        if kind == "f" and decimals not in (None, "0"):
            body += "." + "0" * int(decimals)
        return body + ('"%"' if pct else "")
    return None


def display_formats(specs: Mapping[str, object]) -> dict[str, str]:
    """``column_formats`` for ``to_excel_bytes`` from the display formats a table view used
    (header -> spec, see ``excel_number_format``). Columns whose name says money or percent
    keep that kind (money its currency; a CV % shown as 0.10 is still 10 %), unless the
    display is a percentage."""
    inferred = infer_column_formats(specs)
    out = {}
    for header, spec in specs.items():
        fmt = excel_number_format(spec)
        if fmt and (inferred.get(header) not in ("money", "percent") or fmt.endswith("%")):
            out[header] = fmt
    return out


def column_label(name: str, lang: str = "en", table: str | None = None) -> str:
    """Readable header for a canonical or metric column in ``lang`` (``labels.label``, the one
    label function of pages and files)."""
    from .labels import label

    return label(name, lang, table)


def label_columns(df: pd.DataFrame, lang: str = "en", table: str | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """``df`` with readable headers in ``lang`` and the column kinds for ``to_excel_bytes``
    (``column_formats``) keyed by those headers. Duplicate labels get a numbered suffix."""
    labels: list[str] = []
    formats: dict[str, str] = {}
    used: set[str] = set()
    for col in df.columns:
        text = column_label(str(col), lang, table)
        base, n = text, 2
        while text in used:
            text = f"{base} ({n})"
            n += 1
        used.add(text)
        labels.append(text)
        kind = METRIC_KINDS.get(str(col))
        if kind is None and table:
            from .schema import TABLES

            if table in TABLES:
                try:
                    dtype = TABLES[table].column(str(col)).dtype
                except KeyError:
                    dtype = ""
                kind = {"money": "money", "percent": "percent", "int": "int", "float": "number"}.get(dtype)
        if kind:
            formats[text] = kind
    out = df.copy(deep=False)
    out.columns = labels
    return out, formats


# ---------------------------------------------------------------- column preparation
@dataclass
class _Column:
    """How one DataFrame column is written."""

    index: int
    header: str
    kind: str  # text, number, date, bool, mixed, empty
    num_format: str | None
    rag: Callable[[object], str] | None = None
    money: bool = False
    width: float = 8.0


@dataclass
class TableInfo:
    """Where ``ExcelBook.write_table`` put a table (0-based rows/cols, for charts and formulas)."""

    sheets: list[str]
    header_row: int
    first_row: int  # first data row
    rows: int  # data rows written on the first sheet
    columns: dict[str, int] = field(default_factory=dict)

    @property
    def last_row(self) -> int:
        return self.first_row + self.rows - 1


def _as_datetime(col: pd.Series) -> pd.Series:
    """A datetime64 series (time zones dropped to wall-clock time); unparseable -> NaT."""
    if isinstance(col.dtype, pd.DatetimeTZDtype):
        return col.dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return col
    try:
        out = pd.to_datetime(col, errors="coerce")
    except (TypeError, ValueError, OverflowError):  # mixed time zones and the like
        out = pd.to_datetime(col.map(_naive), errors="coerce")
    if isinstance(out.dtype, pd.DatetimeTZDtype):
        out = out.dt.tz_localize(None)
    return out


def _naive(v: object) -> object:
    if isinstance(v, datetime) and v.tzinfo is not None:
        return v.replace(tzinfo=None)
    return v


def _serials(ts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Excel serial numbers of a datetime64 series and a mask of the values Excel can show."""
    ok = ts.notna() & (ts >= _EXCEL_MIN) & (ts <= _EXCEL_MAX)
    days = (ts - _EXCEL_EPOCH) / pd.Timedelta(days=1)
    vals = days.to_numpy(dtype="float64", na_value=np.nan)
    early = (ts < _LOTUS_BUG_END).to_numpy(dtype=bool, na_value=False)
    vals = np.where(early, vals - 1, vals)  # before 1 Mar 1900 Excel's count is one day smaller
    return vals, ok.to_numpy(dtype=bool, na_value=False)


def _classify(col: pd.Series) -> str:
    """text, number, int, date, datetime, bool, timedelta, mixed or empty for one column."""
    dtype = col.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _classify(col.astype(object))
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_numeric_dtype(dtype):
        return "int" if pd.api.types.is_integer_dtype(dtype) else "number"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        ts = _as_datetime(col)
        return "datetime" if (ts.dropna() != ts.dropna().dt.normalize()).any() else "date"
    if pd.api.types.is_timedelta64_dtype(dtype):
        return "timedelta"
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return "text"
    inferred = pd.api.types.infer_dtype(col, skipna=True)
    if inferred == "empty":
        return "empty"
    if inferred == "string":
        return "text"
    if inferred in ("integer",):
        return "int"
    if inferred in ("floating", "mixed-integer-float", "decimal"):
        return "number"
    if inferred == "boolean":
        return "bool"
    if inferred == "date":
        return "date"
    if inferred in ("datetime", "datetime64"):
        if any(isinstance(v, datetime) and v.tzinfo is not None for v in col.dropna().head(1000)):
            return "mixed"  # several time zones: value by value
        ts = _as_datetime(col)
        return "datetime" if (ts.dropna() != ts.dropna().dt.normalize()).any() else "date"
    return "mixed"


def _kind_format(kind: str | None) -> str | None:
    if not kind:
        return None
    kind = _KIND_ALIASES.get(kind, kind)
    return KIND_FORMATS.get(kind, kind)


def _text_value(v: object) -> str:
    """Text for a value that is not a number, date, bool or missing (lists joined with ", ")."""
    if isinstance(v, str):
        return v
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8", errors="replace")
    if isinstance(v, (list, tuple, set, frozenset, np.ndarray, pd.Series)):
        items = sorted(v, key=str) if isinstance(v, (set, frozenset)) else list(v)
        return ", ".join("" if _is_missing(x) else _text_value(x) for x in items)
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_text_value(x)}" for k, x in v.items())
    return str(v)


def _is_missing(v: object) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float):
        return v != v
    if isinstance(v, (np.floating,)):
        return bool(np.isnan(v))
    if isinstance(v, np.datetime64):
        return bool(np.isnat(v))
    return False


# ---------------------------------------------------------------- the workbook
class ExcelBook:
    """An xlsx workbook written by xlsxwriter in constant-memory mode with safe defaults:
    strings never become formulas, links or numbers. Formats are shared and cached.

    Use ``write_table`` once per sheet (rows must be written top to bottom), add charts
    with ``workbook``, then ``close()`` returns the file's bytes.
    """

    def __init__(self, *, lang: str = "en", title: str | None = None, constant_memory: bool = True) -> None:
        self.lang = lang
        self._buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(
            self._buffer,
            {
                "constant_memory": constant_memory,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "remove_timezone": True,
            },
        )
        props = {"comments": "PMO Portfolio Health"}
        if title:
            props["title"] = clean_text(str(title))[:255]
        self.workbook.set_properties(props)
        self._formats: dict[tuple, object] = {}
        self.notes: list[str] = []
        self.cut_cells: list[tuple[str, str, int]] = []  # (sheet, cell, original length)
        self._closed = False

    # formats
    def fmt(self, num_format: str | None = None, rag: str | None = None, **props: object):
        """A shared xlsxwriter Format for a number format, an optional RAG fill and other properties."""
        key = (num_format, rag, tuple(sorted(props.items())))
        f = self._formats.get(key)
        if f is None:
            spec = dict(props)
            if num_format:
                spec["num_format"] = num_format
            if rag in RAG_FILLS:
                spec["bg_color"], spec["font_color"] = RAG_FILLS[rag]
            f = self.workbook.add_format(spec)
            self._formats[key] = f
        return f

    @property
    def sheet_names(self) -> list[str]:
        return [ws.get_name() for ws in self.workbook.worksheets()]

    def add_sheet(self, name: object):
        """A new worksheet with a safe, unique name."""
        return self.workbook.add_worksheet(safe_sheet_name(name, self.sheet_names))

    def text(self, ws, row: int, col: int, value: object, cell_format=None) -> None:
        """Write ``value`` as a string cell (cleaned and cut to Excel's limit)."""
        s = clean_text(_text_value(value))
        if len(s) > EXCEL_MAX_CHARS // 2 and _utf16_len(s) > EXCEL_MAX_CHARS:
            self.cut_cells.append((ws.get_name(), xl_rowcol_to_cell(row, col), len(s)))
            s = _cut(s, i18n.t("export.cut_marker", self.lang))
        ws.write_string(row, col, s, cell_format)

    def header_block(self, ws, row: int, title: str | None, lines: Sequence[str]) -> int:
        """Title (bold, larger) and one line per entry of ``lines`` from ``row``; returns the next
        free row (one blank row after the block when it is not empty)."""
        if title:
            self.text(ws, row, 0, title, self.fmt(bold=True, font_size=14))
            row += 1
        for line in lines:
            self.text(ws, row, 0, line, self.fmt(italic=True, font_color="#404040"))
            row += 1
        return row + 1 if (title or lines) else row

    # tables
    def _prepare(
        self,
        df: pd.DataFrame,
        column_formats: Mapping[str, str] | None,
        rag_columns: Mapping[str, Callable[[object], str]] | None,
        currency: str | None,
        infer: bool,
    ) -> list[_Column]:
        formats = dict(infer_column_formats(df.columns)) if infer else {}
        formats.update({_header_text(k): v for k, v in (column_formats or {}).items()})
        rags = {_header_text(k): v for k, v in (rag_columns or {}).items()}
        cols: list[_Column] = []
        for j in range(df.shape[1]):
            header = clean_text(_header_text(df.columns[j]))
            series = df.iloc[:, j]
            kind = _classify(series)
            asked = formats.get(header)
            asked_kind = _KIND_ALIASES.get(asked, asked) if asked else None
            money = asked_kind == "money"
            if kind in ("number", "int"):
                default = KIND_FORMATS["int" if kind == "int" else "number"]
                num_format = (
                    _kind_format(asked_kind)
                    if asked_kind and asked_kind not in ("date", "datetime", "text")
                    else default
                )
                if money:
                    num_format = currency_format(currency, KIND_FORMATS["money"])
            elif kind in ("date", "datetime"):
                num_format = KIND_FORMATS[kind]
                if asked_kind and asked_kind not in KIND_FORMATS:  # an explicit Excel date format
                    num_format = asked_kind
            elif kind == "timedelta":
                num_format = KIND_FORMATS["duration"]
            elif kind == "bool":
                num_format = None
            else:
                num_format = "@" if kind in ("text", "empty") else None
            cols.append(_Column(j, header, kind, num_format, rags.get(header), money))
        return cols

    def _chunk_values(self, series: pd.Series, col: _Column) -> list:
        """Python values for one chunk of one column: None for an empty cell; floats/ints for
        numbers and dates (Excel serials); str for text; bool; or anything for mixed columns."""
        kind = col.kind
        if kind in ("number", "int"):
            arr = series.to_numpy(dtype="float64", na_value=np.nan) if kind == "number" or series.hasnans else None
            if arr is None:
                return series.to_numpy().tolist()
            bad = ~np.isfinite(arr)
            if bad.any():
                obj = arr.astype(object)
                obj[bad] = None
                return obj.tolist()
            return arr.tolist()
        if kind in ("date", "datetime"):
            ts = _as_datetime(series)
            vals, ok = _serials(ts)
            obj = vals.astype(object)
            obj[~ok] = None
            out = obj.tolist()
            outside = ts.notna().to_numpy(dtype=bool, na_value=False) & ~ok
            if outside.any():  # dates Excel cannot show: ISO text
                for i in np.flatnonzero(outside):
                    out[i] = ts.iloc[i].isoformat()
            return out
        if kind == "timedelta":
            days = (series / pd.Timedelta(days=1)).to_numpy(dtype="float64", na_value=np.nan)
            obj = days.astype(object)
            obj[~np.isfinite(days)] = None
            return obj.tolist()
        if kind == "bool":
            return [None if _is_missing(v) else bool(v) for v in series.tolist()]
        if kind == "empty":
            return [None] * len(series)
        if kind == "text":
            return series.to_numpy(dtype=object, na_value=None).tolist()
        return [None if _is_missing(v) else v for v in series.to_numpy(dtype=object).tolist()]

    def _widths(self, df: pd.DataFrame, cols: list[_Column]) -> None:
        sample = df.iloc[: min(len(df), 2000)]
        for col in cols:
            header_w = max((_display_width(p) for p in col.header.split("\n")), default=0)
            s = sample.iloc[:, col.index]
            if col.kind in ("date",):
                data_w = 10
            elif col.kind == "datetime":
                data_w = 16
            elif col.kind == "bool":
                data_w = 5
            elif col.kind in ("number", "int", "timedelta"):
                nums = pd.to_numeric(s, errors="coerce") if col.kind != "timedelta" else s / pd.Timedelta(hours=1)
                m = (
                    float(np.nanmax(np.abs(nums.to_numpy(dtype="float64", na_value=np.nan))))
                    if nums.notna().any()
                    else 0.0
                )
                m = m if math.isfinite(m) else 0.0
                fmt = col.num_format or ""
                if "%" in fmt:
                    data_w = len(f"{m * 100:,.1f}%") + 1
                else:
                    decimals = 2 if ".00" in fmt else (1 if ".0" in fmt else 0)
                    data_w = len(f"{m:,.{decimals}f}") + 1 + (4 if '"' in fmt else 0)
            else:
                vals = [v for v in s.tolist() if not _is_missing(v)][:2000]
                texts = [_text_value(v) for v in vals]
                data_w = max((_display_width(t.split("\n", 1)[0][:200]) for t in texts), default=0)
            col.width = float(min(max(data_w, min(header_w, 28), 6) + 2, 60))

    def write_table(
        self,
        ws,
        df: pd.DataFrame,
        *,
        start_row: int = 0,
        title: str | None = None,
        header_lines: Sequence[str] = (),
        column_formats: Mapping[str, str] | None = None,
        rag_columns: Mapping[str, Callable[[object], str]] | None = None,
        currency: str | None = None,
        row_currency: Sequence[object] | None = None,
        infer_formats: bool = True,
        split: bool = True,
        freeze: bool = True,
        autofilter: bool = True,
        set_widths: bool = True,
        progress: Callable[[float], None] | None = None,
    ) -> TableInfo:
        """Write ``df`` (header row + data, exactly its rows and columns) on ``ws`` from ``start_row``,
        after an optional header block. ``row_currency`` (one value per row) gives each row's money
        format its own currency. Rows beyond one sheet go on continuation sheets (``split``) or the
        export is refused with ``ExportError``."""
        n, ncols = df.shape
        if ncols > EXCEL_MAX_COLS:
            raise ExportError(key="export.too_many_columns", params={"cols": ncols})
        cols = self._prepare(df, column_formats, rag_columns, currency, infer_formats)
        if row_currency is not None:
            row_currency = list(row_currency)
            if len(row_currency) != n:
                raise ExportError(key="export.row_currency_length", params={"values": len(row_currency), "rows": n})
        if set_widths:
            self._widths(df, cols)
        block_rows = (1 if title else 0) + len(header_lines)
        block_rows += 1 if (title or header_lines) else 0
        first_header = start_row + block_rows
        capacity = EXCEL_MAX_ROWS - (first_header + 1)
        parts = 1
        if n > capacity:
            if not split:
                raise ExportError(key="export.too_many_rows", params={"rows": n}, hint_key="export.too_many_rows.hint")
            capacity -= 1 if (title or header_lines) else 2  # room for the part note (and a blank row)
            if capacity <= 0:
                raise ExportError(key="export.too_many_rows", params={"rows": n})
            parts = math.ceil(n / capacity)
        info: TableInfo | None = None
        header_fmt = self.fmt(bold=True, text_wrap=True, valign="top", bg_color="#D9E1F2", bottom=1)
        done = 0
        for part in range(parts):
            lo, hi = part * capacity, min(n, (part + 1) * capacity)
            sheet = ws if part == 0 else self.add_sheet(f"{ws.get_name()} ({part + 1})")
            lines = list(header_lines)
            if parts > 1:
                lines.append(
                    i18n.t("export.note.split", self.lang, first=lo + 1, last=hi, total=n, part=part + 1, parts=parts)
                )
            row = start_row if part == 0 else 0
            row = self.header_block(sheet, row, title, lines)
            header_row = row
            for col in cols:
                self.text(sheet, header_row, col.index, col.header, header_fmt)
                if set_widths:
                    sheet.set_column(col.index, col.index, col.width)
            if freeze:
                sheet.freeze_panes(header_row + 1, 0)
            if autofilter and ncols:
                sheet.autofilter(header_row, 0, header_row + max(hi - lo, 0), ncols - 1)
            if info is None:
                info = TableInfo(
                    [sheet.get_name()], header_row, header_row + 1, hi - lo, {c.header: c.index for c in cols}
                )
            else:
                info.sheets.append(sheet.get_name())
            for c0 in range(lo, hi, CHUNK_ROWS):
                c1 = min(hi, c0 + CHUNK_ROWS)
                self._write_chunk(sheet, df.iloc[c0:c1], cols, header_row + 1 + (c0 - lo), currency, row_currency, c0)
                done += c1 - c0
                if progress is not None:
                    progress(done / n)
        if progress is not None and n == 0:
            progress(1.0)
        assert info is not None
        return info

    def _write_chunk(self, ws, chunk: pd.DataFrame, cols: list[_Column], row0: int, currency, row_currency, offset):
        m = len(chunk)
        plain: list[tuple] = []  # (col index, values, writer, format)
        styled: list[tuple] = []  # (col index, values, writer, formats per row)
        # xlsxwriter's undecorated writers (same checks, no A1-notation parsing) when present
        write_string = getattr(ws, "_write_string", ws.write_string)
        write_number = getattr(ws, "_write_number", ws.write_number)
        write_boolean = getattr(ws, "_write_boolean", ws.write_boolean)
        write_blank = getattr(ws, "_write_blank", ws.write_blank)
        cut_marker = None
        for col in cols:
            series = chunk.iloc[:, col.index]
            values = self._chunk_values(series, col)
            base = self.fmt(col.num_format) if col.num_format else None
            if col.kind == "text":
                bad = _ILLEGAL_RE.search
                limit = EXCEL_MAX_CHARS // 2
                for i, v in enumerate(values):
                    if v is not None and (bad(v) or len(v) > limit or _SURROGATE_RE.search(v)):
                        v = clean_text(v)
                        if len(v) > limit and _utf16_len(v) > EXCEL_MAX_CHARS:
                            cut_marker = cut_marker or i18n.t("export.cut_marker", self.lang)
                            self.cut_cells.append((ws.get_name(), xl_rowcol_to_cell(row0 + i, col.index), len(v)))
                            v = _cut(v, cut_marker)
                        values[i] = v
                writer = write_string
            elif col.kind in ("number", "int", "timedelta"):
                writer = write_number
            elif col.kind in ("date", "datetime"):
                text_fmt = self.fmt("@")

                def writer(r, c, v, f, _tf=text_fmt):
                    if v.__class__ is float:
                        write_number(r, c, v, f)
                    else:
                        write_string(r, c, v, _tf)
            elif col.kind == "bool":
                writer = write_boolean
            else:
                writer = self._any_writer(ws, col)
            fmts = None
            if col.rag is not None or (col.money and row_currency is not None):
                rags = [_rag_colour(col.rag, v) for v in series.tolist()] if col.rag is not None else [None] * m
                if col.money and row_currency is not None:
                    nfs = [
                        col.num_format if _is_missing(cur) else currency_format(str(cur), KIND_FORMATS["money"])
                        for cur in row_currency[offset : offset + m]
                    ]
                else:
                    nfs = [col.num_format] * m
                fmts = [self.fmt(nf, rg) for nf, rg in zip(nfs, rags, strict=True)]
            if fmts is None:
                plain.append((col.index, values, writer, base))
            else:
                styled.append((col.index, values, writer, fmts))
        for i in range(m):
            r = row0 + i
            for c, values, writer, f in plain:
                v = values[i]
                if v is None:
                    write_blank(r, c, None, f)
                else:
                    writer(r, c, v, f)
            for c, values, writer, fmts in styled:
                v = values[i]
                if v is None:
                    write_blank(r, c, None, fmts[i])
                else:
                    writer(r, c, v, fmts[i])

    def _any_writer(self, ws, col: _Column):
        """Writer for a column of mixed Python values (dispatch per value)."""
        date_fmt = self.fmt(KIND_FORMATS["date"])
        dt_fmt = self.fmt(KIND_FORMATS["datetime"])
        num_fmt = self.fmt(KIND_FORMATS["number"])
        text_fmt = self.fmt("@")

        def write(r: int, c: int, v: object, f) -> None:
            if isinstance(v, (bool, np.bool_)):
                ws.write_boolean(r, c, bool(v), f)
            elif isinstance(v, (int, float, np.integer, np.floating, Decimal)):
                x = float(v)
                if math.isfinite(x):
                    ws.write_number(r, c, x, f if f is not None else num_fmt)
                else:
                    ws.write_blank(r, c, None, f)
            elif isinstance(v, (datetime, date, np.datetime64)):
                ts = pd.Timestamp(v)
                if ts.tzinfo is not None:
                    ts = ts.tz_localize(None)
                if _EXCEL_MIN <= ts <= _EXCEL_MAX:
                    serial = (ts - _EXCEL_EPOCH) / pd.Timedelta(days=1)
                    if ts < _LOTUS_BUG_END:
                        serial -= 1
                    has_time = isinstance(v, datetime) and ts != ts.normalize()
                    ws.write_number(r, c, serial, dt_fmt if has_time else date_fmt)
                else:
                    self.text(ws, r, c, ts.isoformat(), text_fmt)
            elif isinstance(v, time):
                ws.write_number(r, c, (v.hour * 3600 + v.minute * 60 + v.second) / 86400, self.fmt("hh:mm:ss"))
            elif isinstance(v, (timedelta, pd.Timedelta)):
                ws.write_number(r, c, pd.Timedelta(v) / pd.Timedelta(days=1), self.fmt(KIND_FORMATS["duration"]))
            else:
                self.text(ws, r, c, v, f if f is not None else text_fmt)

        return write

    def add_notes_sheet(self) -> None:
        """A Notes sheet listing what the export had to change (cut cells, other notes), if anything."""
        if not self.cut_cells and not self.notes:
            return
        ws = self.add_sheet(i18n.t("export.notes_sheet", self.lang))
        ws.set_column(0, 0, 100)
        row = 0
        for note in self.notes:
            self.text(ws, row, 0, note)
            row += 1
        if self.cut_cells:
            self.text(ws, row, 0, i18n.t("export.note.cut", self.lang, n=len(self.cut_cells)), self.fmt(bold=True))
            row += 1
            for sheet, cell, length in self.cut_cells[:1000]:
                self.text(ws, row, 0, i18n.t("export.note.cut_cell", self.lang, sheet=sheet, cell=cell, length=length))
                row += 1

    def close(self) -> bytes:
        """Finish the workbook (adds the Notes sheet when needed) and return its bytes."""
        if not self._closed:
            self.add_notes_sheet()
            self.workbook.close()
            self._closed = True
        return self._buffer.getvalue()


def _rag_colour(fn: Callable[[object], str], value: object) -> str | None:
    if _is_missing(value):
        value = None
    try:
        colour = fn(value)
    except (TypeError, ValueError, ArithmeticError):
        return None
    colour = str(colour or "").strip().lower()
    return colour if colour in RAG_FILLS else None


# ---------------------------------------------------------------- public API
def to_excel_bytes(
    df: pd.DataFrame,
    *,
    sheet_name: str = "Data",
    title: str | None = None,
    header_lines: Sequence[str] = (),
    column_formats: dict[str, str] | None = None,
    rag_columns: dict[str, Callable[[object], str]] | None = None,
    currency: str | None = None,
    row_currency: Sequence[object] | None = None,
    lang: str = "en",
    split: bool = True,
    infer_formats: bool = True,
    progress: Callable[[float], None] | None = None,
) -> bytes:
    """xlsx bytes of exactly ``df``'s rows and columns (the caller passes the filtered,
    sorted view with readable headers).

    - ``title`` and ``header_lines`` (filters, status date...) go in a small block above the table.
    - ``column_formats``: header -> kind ("money", "percent", "ratio", "int", "number", "days",
      "date", "datetime", "text") or an Excel number format such as ``"0.000"``. Money uses
      ``currency`` (ISO code or symbol). With ``infer_formats`` canonical/metric column names and
      their English/Chinese labels get their kind automatically (explicit entries win).
    - ``row_currency``: one currency per row (None = ``currency``) for tables mixing currencies.
    - ``rag_columns``: header -> callable(value) returning "green", "amber" or "red"; those cells
      are filled with Excel's Good/Neutral/Bad colours.
    - More than 1,048,576 rows: continuation sheets with a note (``split=True``) or ``ExportError``.
    - ``progress(fraction)`` is called as rows are written.
    """
    book = ExcelBook(lang=lang, title=title)
    ws = book.add_sheet(sheet_name or "Data")
    book.write_table(
        ws,
        df,
        title=title,
        header_lines=header_lines,
        column_formats=column_formats,
        rag_columns=rag_columns,
        currency=currency,
        row_currency=row_currency,
        infer_formats=infer_formats,
        split=split,
        progress=progress,
    )
    return book.close()


def table_currency(df: pd.DataFrame, projects: pd.DataFrame | None = None) -> str | list[object] | None:
    """The currency of a table's money cells: one code when every row has the same, else one
    code per row (None where unknown); None when nothing says. From the table's own ``currency``
    column, else its ``project_id`` looked up in ``projects`` (canonical projects table), else
    the only currency of ``projects`` (a portfolio roll-up of projects that all use it)."""
    per_row: list[object] | None = None
    if "currency" in df.columns:
        per_row = df["currency"].tolist()
    elif projects is not None and len(projects) and "currency" in projects.columns:
        cur = projects[["project_id", "currency"]].dropna() if "project_id" in projects.columns else None
        if cur is not None and "project_id" in df.columns:
            by_id = dict(zip(cur["project_id"].astype(str), cur["currency"].astype(str).str.strip(), strict=True))
            per_row = [by_id.get(str(p)) for p in df["project_id"].tolist()]
        else:
            codes = {str(c).strip() for c in projects["currency"].dropna()} - {""}
            return codes.pop() if len(codes) == 1 else None
    if per_row is None:
        return None
    per_row = [None if _is_missing(c) or not str(c).strip() else str(c).strip() for c in per_row]
    codes = set(per_row)
    if codes == {None} or not codes:
        return None
    if len(codes) == 1:
        return codes.pop()
    return per_row


def _csv_escape(v: object) -> object:
    if isinstance(v, str):
        return "'" + v if v.startswith(_CSV_TRIGGERS) else v
    return v


def _csv_value(v: object) -> object:
    """One value of an object column for CSV: numbers, dates, bools as they are; text escaped."""
    if _is_missing(v):
        return None
    if isinstance(v, (int, float, bool, date, Decimal, np.number, np.bool_)):
        return v
    return _csv_escape(_SURROGATE_RE.sub("\ufffd", _text_value(v)))


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` ready for CSV: text (headers included) starting with = + - @ tab CR (or
    full-width ＝ ＋ － ＠) gets a leading apostrophe; lists become "a, b"; numbers, dates and
    bools are left as they are."""
    out = {}
    headers = []
    for j in range(df.shape[1]):
        h = _header_text(df.columns[j])
        headers.append(_csv_escape(h))
        s = df.iloc[:, j]
        kind = _classify(s)
        if kind in ("mixed", "text") and pd.api.types.is_object_dtype(s.dtype):
            s = s.map(_csv_value)
        elif kind == "text":
            mask = s.str.startswith(_CSV_TRIGGERS).fillna(False).astype(bool)
            if mask.any():
                s = s.where(~mask, "'" + s)
        elif isinstance(s.dtype, pd.DatetimeTZDtype):
            s = s.dt.tz_localize(None)
        out[j] = s.reset_index(drop=True)
    frame = pd.DataFrame(out)
    frame.columns = headers
    return frame


def to_csv_bytes(df: pd.DataFrame, *, progress: Callable[[float], None] | None = None) -> bytes:
    """UTF-8 CSV with a byte order mark of exactly ``df`` (see ``csv_safe`` for the escaping).

    Read it back with ``pd.read_csv(io.BytesIO(b), encoding="utf-8-sig", dtype=str, keep_default_na=False)``:
    ``00123`` and ``a\\rb`` come back exactly (fields with CR, LF or quotes are quoted)."""
    buf = io.BytesIO()
    csv_safe(df).to_csv(buf, index=False, lineterminator="\r\n", encoding="utf-8-sig", errors="replace")
    if progress is not None:
        progress(1.0)
    return buf.getvalue()
