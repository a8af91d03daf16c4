"""Turn raw cell values into typed values: dates, numbers, money, percents, booleans, text.

Each ``parse_*`` function takes one raw value and returns the typed value, ``None`` for an
empty cell, or raises ``ValueError`` with what was expected. ``parse_column`` applies one over
a whole column and collects failures instead of stopping; column-level decisions (day-first
dates, 0..100 percents) are made from all the values and returned as notes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta

import pandas as pd

from .base import Note

EMPTY = {"", "-", "—", "n/a", "na", "none", "null", "nan", "nat", "#n/a"}
EXCEL_EPOCH = date(1899, 12, 30)

EXPECTED = {
    "date": "a date such as 2025-03-31, 31/03/2025, 31-Mar-2025 or 2025年3月31日",
    "float": "a number such as 12.5",
    "int": "a whole number such as 3",
    "money": "an amount such as 1200, 1,200.50, ¥1,200 or 1.2万",
    "percent": "a percentage such as 35%, 35 or 0.35",
    "bool": "yes/no (yes, no, true, false, 1, 0, 是, 否)",
    "text": "text",
    "list": "a list separated by ; or ,",
}


def is_empty(value: object) -> bool:
    """True for None, NaN and blank or placeholder text (typed columns only)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and value.strip().casefold() in EMPTY:
        return True
    return value is pd.NaT


def parse_text(value: object) -> str | None:
    """Text kept as written; whole floats from spreadsheets lose their ``.0``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if (value.hour or value.minute or value.second) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


# ---------------------------------------------------------------- numbers

_MULTIPLIERS = {"万": 1e4, "亿": 1e8, "k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "千": 1e3, "百万": 1e6}
_NUM_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_CURRENCY_RE = re.compile(r"[¥￥$€£₹₩]|\b(?:CHF|USD|EUR|GBP|CNY|RMB|JPY|HKD|SGD|AUD|CAD|INR)\b|元|円", re.IGNORECASE)


def _number_text(text: str, decimal_comma: bool = False) -> float:
    s = text.strip().replace("\u00a0", "").replace(" ", "").replace("'", "").replace("’", "")
    neg = False
    if s.startswith("(") and s.endswith(")"):
        neg, s = True, s[1:-1]
    if s.endswith("-") and s[:-1]:
        neg, s = True, s[:-1]
    mult = 1.0
    for suffix in ("百万", "万", "亿", "千", "k", "K", "m", "M"):
        if s.endswith(suffix) and len(s) > len(suffix):
            mult, s = _MULTIPLIERS[suffix], s[: -len(suffix)]
            break
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):  # 1.234,56
            s = s.replace(".", "").replace(",", ".")
        else:  # 1,234.56
            s = s.replace(",", "")
    elif "," in s:
        parts = s.lstrip("+-").split(",")
        if decimal_comma and len(parts) == 2:
            s = s.replace(",", ".")  # the column writes decimals with a comma: 1,234 = 1.234
        elif len(parts) > 2 or (len(parts) == 2 and len(parts[1]) == 3 and parts[0] not in ("", "0")):
            s = s.replace(",", "")  # thousands separators
        else:
            s = s.replace(",", ".")  # decimal comma
    if not _NUM_RE.match(s):
        raise ValueError(text)
    val = float(s) * mult
    if math.isinf(val) or math.isnan(val):
        raise ValueError(text)
    return -val if neg else val


def parse_float(value: object, *, decimal_comma: bool = False) -> float | None:
    """A plain number; accepts thousands separators and a decimal comma. ``1,234`` is one
    thousand two hundred and thirty-four unless ``decimal_comma`` (decided per column by
    ``decide_decimal_comma``) says the column writes decimals with a comma."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        if math.isinf(value):
            raise ValueError(value)
        return float(value)
    if isinstance(value, (date, datetime)):
        raise ValueError(value)
    return _number_text(str(value), decimal_comma)


def parse_int(value: object, *, decimal_comma: bool = False) -> int | None:
    """A whole number (``3``, ``3.0``)."""
    val = parse_float(value, decimal_comma=decimal_comma)
    if val is None:
        return None
    if not float(val).is_integer():
        raise ValueError(value)
    return int(val)


def parse_money(value: object, *, decimal_comma: bool = False) -> float | None:
    """An amount: currency symbols and codes removed, ``万``/``亿``/``k`` multipliers applied."""
    if is_empty(value):
        return None
    if isinstance(value, str):
        text = _CURRENCY_RE.sub("", value).strip()
        if not text:
            raise ValueError(value)
        return _number_text(text, decimal_comma)
    return parse_float(value, decimal_comma=decimal_comma)


_DEC_COMMA_RE = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+,\d+|\d+,\d{1,2}|\d+,\d{4,})$")
_THOUSANDS_COMMA_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+\.\d+$|^[+-]?\d{1,3}(,\d{3}){2,}$")


def decide_decimal_comma(values: list[object]) -> tuple[bool, str | None]:
    """Whether a number column writes decimals with a comma: some value can only be read that way
    (``1.234,56``, ``12,5``) and none only the other way (``1,234.56``, ``1,234,567``). Then
    ``1,234`` means 1.234 in that column. Returns (decimal_comma, note)."""
    dec = thou = False
    for v in values:
        if not isinstance(v, str) or "," not in v:
            continue
        t = _CURRENCY_RE.sub("", v).strip().replace("\u00a0", "").replace(" ", "")
        t = t[1:-1] if t.startswith("(") and t.endswith(")") else t
        t = t.rstrip("万亿千kKmM")
        if _DEC_COMMA_RE.match(t):
            dec = True
        elif _THOUSANDS_COMMA_RE.match(t):
            thou = True
    if dec and not thou:
        return True, Note("note.col.decimal_comma")
    return False, None


def parse_percent(value: object, *, scale_100: bool = False) -> float | None:
    """A fraction 0..1. ``35%`` -> 0.35; a bare number is divided by 100 when ``scale_100``."""
    if is_empty(value):
        return None
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        return _number_text(value.strip()[:-1]) / 100.0
    val = parse_float(value)
    return val / 100.0 if scale_100 else val


_TRUE = {"yes", "y", "true", "t", "1", "1.0", "是", "对", "x", "✓", "✔"}
_FALSE = {"no", "n", "false", "f", "0", "0.0", "否", "不是"}


def parse_bool(value: object) -> bool | None:
    """Yes/no in English or Chinese, 1/0, TRUE/FALSE."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text == "":
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(value)


def parse_list(value: object) -> list[str] | None:
    """A list of text: a Python list as given, or text split on ``;``/``,``/newline."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (list, tuple)):
        items = [parse_text(v) for v in value]
    else:
        items = [s.strip() for s in re.split(r"[;\n]|,(?!\d)", str(value))]
    items = [i for i in items if i]
    return items or None


# ---------------------------------------------------------------- dates

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_ISO_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_CN_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_DMY_RE = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})(?:[ T].*)?$")
_TEXT_MONTH_RE = re.compile(r"^(\d{1,2})[-/ ]([A-Za-z]{3,9})\.?[-/ ,]+(\d{2}|\d{4})(?:[ T].*)?$")
_MONTH_TEXT_RE = re.compile(r"^(?:[A-Za-z]{3,9},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})(?:[ T].*)?$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Jira with a Chinese UI writes 28/十一月/25 5:03 下午 (or 28/11月/25)
_CN_NUM = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
_CN_MONTH_RE = re.compile(r"^(\d{1,2})[-/ ]([一二三四五六七八九十]{1,3}|\d{1,2})\s*月[-/ ,]*(\d{2}|\d{4})(?:[ T].*)?$")
# a weekday in front (MS Project text dates: "Mon 1/6/25", "周一 2025/1/6", "星期一 2025年1月6日")
_WEEKDAY_RE = re.compile(
    r"^(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|urday|sday)?\.?,?|周[一二三四五六日天]|星期[一二三四五六日天])\s+",
    re.IGNORECASE,
)


def _year(y: str) -> int:
    n = int(y)
    return n + (2000 if n < 70 else 1900) if len(y) == 2 else n


def excel_serial_to_date(serial: float) -> date:
    """Excel's 1900 date system serial (``45000`` -> 2023-03-15)."""
    if not 1 <= serial < 2958466:
        raise ValueError(serial)
    return EXCEL_EPOCH + timedelta(days=int(serial))


def parse_date(value: object, *, dayfirst: bool = True, serials: bool = True) -> date | None:
    """A calendar date from a date object, an Excel serial number or text in common forms.

    ``dayfirst`` decides ``03/04/2025`` (3 April when True). Impossible dates raise.
    """
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        if serials and 20000 <= value <= 80000:  # 1954..2119 as Excel serials
            return excel_serial_to_date(float(value))
        raise ValueError(value)
    text = str(value).strip()
    if text[:1].isalpha() or text[:1] in "周星":
        text = _WEEKDAY_RE.sub("", text, count=1)
    if m := _ISO_RE.match(text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := _CN_RE.match(text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY_RE.match(text):
        a, b, y = int(m[1]), int(m[3]), _year(m[4])
        if m[2] == ".":  # 31.03.2025 is always day-first
            return date(y, b, a)
        return date(y, b, a) if dayfirst else date(y, a, b)
    if m := _TEXT_MONTH_RE.match(text):
        month = _MONTHS.get(m[2].casefold())
        if month:
            return date(_year(m[3]), month, int(m[1]))
    if m := _MONTH_TEXT_RE.match(text):
        month = _MONTHS.get(m[1].casefold())
        if month:
            return date(int(m[3]), month, int(m[2]))
    if m := _COMPACT_RE.match(text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := _CN_MONTH_RE.match(text):
        month = int(m[2]) if m[2].isdigit() else _CN_NUM.get(m[2])
        if month:
            return date(_year(m[3]), month, int(m[1]))
    if serials and re.fullmatch(r"\d{5}(\.\d+)?", text):
        return parse_date(float(text), serials=True)
    raise ValueError(value)


def _weekday_index(prefix: str) -> int | None:
    p = prefix.strip().rstrip(",.").casefold()
    for i, names in enumerate((("mon",), ("tue",), ("wed",), ("thu",), ("fri",), ("sat",), ("sun",))):
        if p.startswith(names):
            return i
    for i, ch in enumerate("一二三四五六"):
        if p.endswith(ch):
            return i
    return 6 if p.endswith(("日", "天")) else None


def decide_dayfirst(values: list[object]) -> tuple[bool, str | None]:
    """Decide day-first vs month-first for a column from its slash dates: a first number over
    12 means day-first, a second over 12 month-first; a weekday written in front (``Mon 1/6/25``)
    tells which reading falls on that weekday.

    Returns (dayfirst, note). The note says when the column was ambiguous or mixed.
    """
    return dayfirst_from_evidence(*dayfirst_evidence(values))


def dayfirst_evidence(values: list[object]) -> tuple[bool, int, int]:
    """(any slash/dash date seen, values only day-first can read, values only month-first can read)."""
    day_evidence = month_evidence = 0
    seen = False
    for v in values:
        if not isinstance(v, str):
            continue
        t = v.strip()
        wd = _WEEKDAY_RE.match(t) if t[:1].isalpha() or t[:1] in "周星" else None
        if wd:
            t = t[wd.end() :]
        m = _DMY_RE.match(t)
        if not m or m[2] == ".":
            continue
        seen = True
        a, b = int(m[1]), int(m[3])
        if a > 12 >= b:
            day_evidence += 1
        elif b > 12 >= a:
            month_evidence += 1
        elif wd and a != b:  # "Mon 1/6/25": the weekday tells which reading is meant
            day = _weekday_index(wd[0])
            y = _year(m[4])
            try:
                if date(y, a, b).weekday() == day != date(y, b, a).weekday():
                    month_evidence += 1
                elif date(y, b, a).weekday() == day != date(y, a, b).weekday():
                    day_evidence += 1
            except ValueError:
                pass
    return seen, day_evidence, month_evidence


# the day/month order a person chose for dates no value decides (``date_order``); None: not asked
_CHOSEN_ORDER: ContextVar[bool | None] = ContextVar("pmo_chosen_date_order", default=None)


@contextmanager
def date_order(dayfirst: bool | None) -> Iterator[None]:
    """Within this block, a date column whose values fit both orders (``03/04/2025`` and no
    ``13/04``) is read day-first (``True``) or month-first (``False``) as the person chose, with a
    note saying so; ``None`` keeps the default (day-first, with the "ambiguous" note). Values
    that decide the order (``28/11``, ``11/28``) always win over the choice."""
    token = _CHOSEN_ORDER.set(dayfirst)
    try:
        yield
    finally:
        _CHOSEN_ORDER.reset(token)


def dayfirst_from_evidence(seen: bool, day_evidence: int, month_evidence: int) -> tuple[bool, str | None]:
    """The decision ``decide_dayfirst`` makes from ``dayfirst_evidence``."""
    if not seen:
        return True, None
    if day_evidence and month_evidence:
        return True, Note("note.col.dates_mixed")
    if month_evidence:
        return False, Note("note.col.dates_mdy")
    if day_evidence:
        return True, None
    chosen = _CHOSEN_ORDER.get()
    if chosen is not None:
        return chosen, Note("note.col.dates_chosen_dmy" if chosen else "note.col.dates_chosen_mdy")
    return True, Note("note.col.dates_ambiguous")


# ---------------------------------------------------------------- columns

PARSERS = {
    "text": parse_text,
    "float": parse_float,
    "int": parse_int,
    "money": parse_money,
    "bool": parse_bool,
    "list": parse_list,
}


def parse_column(values: list[object], dtype: str) -> tuple[list[object], list[int], list[str]]:
    """Parse one column. Returns (typed values, indexes that failed, notes)."""
    notes: list[str] = []
    if dtype == "date":
        dayfirst, note = decide_dayfirst(values)
        if note:
            notes.append(note)

        def parser(v, _d=dayfirst):
            return parse_date(v, dayfirst=_d)

    elif dtype == "percent":
        plain = []
        for v in values:
            if is_empty(v) or (isinstance(v, str) and v.strip().endswith(("%", "％"))):
                continue
            try:
                plain.append(parse_float(v))
            except ValueError:
                pass
        scale = any(p is not None and p > 1 for p in plain)
        if scale:
            notes.append(Note("note.col.percent_scale"))

        def parser(v, _s=scale):
            return parse_percent(v, scale_100=_s)

    elif dtype in ("float", "money", "int"):
        comma, note = decide_decimal_comma(values)
        if note:
            notes.append(note)
        base = {"float": parse_float, "money": parse_money, "int": parse_int}[dtype]

        def parser(v, _c=comma, _b=base):
            return _b(v, decimal_comma=_c) if _c else _b(v)

    else:
        parser = PARSERS[dtype]
    out: list[object] = []
    bad: list[int] = []
    for i, v in enumerate(values):
        try:
            out.append(parser(v))
        except (ValueError, TypeError, OverflowError):
            out.append(None)
            bad.append(i)
    return out, bad, notes
