"""Values for people: the one place that writes a number, an amount, a date for a reader.

One formatter per kind of value, and one registry saying which kind each column is
(``column_kind``): tables (``ui.table`` builds ``st.column_config`` from ``column_spec``), KPI
tiles and page text (``fmt``), chart hovers (``hover_format``) and exports (``excel_format``)
all ask the same functions, so a column reads the same everywhere.

Kinds (``KINDS``) and how they read (missing is always "—", never None/NaN/NaT):

- ``money``: amount with its currency, compact units (below).
- ``hours``: ``1,234.5 h`` / ``1,234.5 小时`` (one decimal).
- ``points``: story points, one decimal at most: ``29``, ``2.5``.
- ``percent``: a FRACTION 0..1 shown as a percentage with one decimal: ``0.8333`` -> ``83.3%``.
  Every percent column of the app stores a fraction (schema ``percent``, cv_pct, probability,
  utilisation, rates, shares); the few columns computed on a 0..100 scale (DCMA check values)
  are the kind ``percent100`` and read the same way (``83.3%``).
- ``index``: a ratio such as CPI, two decimals: ``0.84``.
- ``days``: whole days, ``12 days`` / ``12 天`` in text (a table's header says "(days)").
- ``periods``: earned-schedule durations (ES, AT, PD, SV(t), IEAC(t)) in status periods, one decimal.
- ``count``: whole number with separators: ``1,234``.
- ``score``: a 0..100 (or 1..25) score, no decimals.
- ``number``: any other number, two decimals.
- ``date`` / ``datetime``: ``2026-01-05`` (with `` 14:30`` when it has a time of day).
- ``text``: left as it is.

Money:

- ``money(31_945_000, "CNY")`` -> ``"CNY 31.9M"``; in Chinese ``"CNY 3,194.5万"`` (亿 from 1e8);
  ``compact=False`` -> ``"CNY 31,945,000"``; ``symbol=True`` -> ``"¥31.9M"``.
- A missing value (None, NaN, not a number) is ``"—"``, whatever the currency.
- ``hover_format`` / ``column_format`` give the same currency to plotly hovers and
  ``st.column_config.NumberColumn``; ``export.currency_format`` is the Excel counterpart.

Pure functions, no Streamlit: pages, charts, the weekly report and the CLI share them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime

MISSING = "—"

# Symbols where they are unambiguous enough to show on their own; otherwise the ISO code.
SYMBOLS = {
    "CNY": "¥",
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "JP¥",
    "HKD": "HK$",
    "TWD": "NT$",
    "SGD": "S$",
    "AUD": "A$",
    "CAD": "C$",
    "KRW": "₩",
    "INR": "₹",
    "CHF": "CHF ",
}

_EN_UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
_ZH_UNITS = ((1e8, "亿"), (1e4, "万"))


def _number(value: object) -> float | None:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) or math.isinf(v) else v


def symbol(currency: str | None) -> str:
    """The symbol of ``currency`` (its code when it has no well-known symbol; "" when None)."""
    code = (currency or "").strip().upper()
    return SYMBOLS.get(code, f"{code} " if code else "")


def compact(value: object, lang: str = "en", digits: int = 1) -> str:
    """A number in compact units: ``31.9M`` / ``1.2K`` (English), ``3,194.5万`` / ``3.19亿``
    (Chinese; 亿 with two decimals); under a thousand (ten thousand in Chinese) it is written in
    full, without decimals. Missing -> "—"."""
    v = _number(value)
    if v is None:
        return MISSING
    units = _ZH_UNITS if lang == "zh" else _EN_UNITS
    for size, unit in units:
        if abs(v) >= size:
            places = digits + 1 if unit == "亿" else digits
            text = f"{v / size:,.{places}f}"
            return f"{text}{unit}"
    text = f"{v:,.0f}"
    return "0" if text == "-0" else text


def number(value: object, digits: int = 0) -> str:
    """A number with thousands separators and ``digits`` decimals; missing -> "—"."""
    v = _number(value)
    if v is None:
        return MISSING
    text = f"{v:,.{digits}f}"
    return text[1:] if text.startswith("-") and _number(text.replace(",", "")) == 0 else text


def money(
    value: object,
    currency: str | None,
    lang: str = "en",
    *,
    compact_units: bool = True,
    digits: int | None = None,
    symbol_: bool = False,
    signed: bool = False,
) -> str:
    """``value`` in ``currency``: ``"CNY 31.9M"`` (compact, English), ``"CNY 3,194.5万"``
    (Chinese), ``"CNY 31,945,000"`` (``compact_units=False``), ``"¥31.9M"`` (``symbol_``).
    ``signed`` writes a change with its sign first: ``"+CNY 3.1K"``, ``"-CNY 97.4K"`` (a tile's
    delta arrow follows the leading sign). Missing -> "—"; no currency -> the amount alone."""
    v = _number(value)
    if v is None:
        return MISSING
    if compact_units:
        text = compact(v, lang, 1 if digits is None else digits)
    else:
        text = number(v, 0 if digits is None else digits)
    if signed and v > 0 and text != "0":
        text = "+" + text
    code = (currency or "").strip().upper()
    if not code:
        return text
    sign = "-" if text.startswith("-") else ("+" if text.startswith("+") else "")
    if symbol_:
        return f"{sign}{symbol(code)}{text.lstrip('+-')}"
    if signed:  # a change: the sign leads ("-CNY 97.4K"), as Streamlit's delta arrow reads it
        return f"{sign}{code} {text.lstrip('+-')}"
    return f"{code} {text}"


def hover_format(currency: str | None, field: str = "y") -> str:
    """A plotly hovertemplate fragment for an amount in ``currency``: ``"CNY %{y:,.0f}"``."""
    code = (currency or "").strip().upper()
    return f"{code} %{{{field}:,.0f}}" if code else f"%{{{field}:,.0f}}"


# Plotly (d3) number formats per kind: a chart's hover reads as the table's cell does.
_D3 = {
    "money": ",.0f",
    "hours": ",.1f",
    "points": ",.1f",
    "percent": ".1%",
    "index": ".2f",
    "days": ",.0f",
    "periods": ",.1f",
    "count": ",.0f",
    "score": ".0f",
    "number": ",.2f",
}


def hover(kind: str, field: str = "y", lang: str = "en", *, currency: str | None = None) -> str:
    """A plotly hovertemplate fragment for a value of ``kind`` (``"%{y:.2f}"`` for an index,
    ``"%{y:.1%}"`` for a fraction, ``"CNY %{y:,.0f}"`` for money, ``"%{y:,.1f} h"`` for hours,
    ``"%{x|%Y-%m-%d}"`` for a date): the same reading as ``fmt`` and the table's format."""
    if kind == "money":
        return hover_format(currency, field)
    if kind in DATE_FORMATS:
        return f"%{{{field}|%Y-%m-%d %H:%M}}" if kind == "datetime" else f"%{{{field}|%Y-%m-%d}}"
    if kind == "percent100":
        return f"%{{{field}:.1f}}%"
    spec = _D3.get(kind)
    if spec is None:
        return f"%{{{field}}}"
    text = f"%{{{field}:{spec}}}"
    if kind == "hours":
        text += " 小时" if lang == "zh" else " h"
    elif kind == "days":
        text += " 天" if lang == "zh" else " d"
    return text


def column_format(currency: str | None, digits: int = 0) -> str:
    """A ``st.column_config.NumberColumn`` format for amounts in ``currency``: ``"CNY %,.0f"``."""
    code = (currency or "").strip().upper()
    spec = f"%,.{digits}f"
    return f"{code} {spec}" if code else spec


# ---------------------------------------------------------------- the other kinds
def _trim(text: str) -> str:
    """``29.0`` -> ``29`` (a number written with one decimal that is zero)."""
    return text[:-2] if text.endswith(".0") else text


def hours(value: object, lang: str = "en", *, unit: bool = True) -> str:
    """Hours with one decimal: ``1,234.5 h`` (``1,234.5 小时`` in Chinese); missing -> "—"."""
    text = number(value, 1)
    if text == MISSING or not unit:
        return text
    return f"{text} 小时" if lang == "zh" else f"{text} h"


def points(value: object) -> str:
    """Story points, one decimal at most: ``29``, ``2.5``, ``1,234``; missing -> "—"."""
    text = number(value, 1)
    return text if text == MISSING else _trim(text)


def percent(value: object, digits: int = 1, *, signed: bool = False, scale: float = 1.0) -> str:
    """A fraction as a percentage: ``0.8333`` -> ``83.3%`` (``scale=100`` for a value already on
    a 0..100 scale); ``signed`` writes ``+`` before a rise. Missing -> "—"."""
    v = _number(value)
    if v is None:
        return MISSING
    text = number(v * 100.0 / scale, digits)
    if signed and not text.startswith("-") and _number(text.replace(",", "")) != 0:
        text = "+" + text
    return text + "%"


def index(value: object, *, signed: bool = False) -> str:
    """An index (CPI, SPI, TCPI...) with two decimals: ``0.84``; missing -> "—"."""
    text = number(value, 2)
    if signed and text != MISSING and not text.startswith("-") and text != "0.00":
        text = "+" + text
    return text


def days(value: object, lang: str = "en", *, unit: bool = True, signed: bool = False) -> str:
    """Whole days: ``12 days`` / ``12 天`` (``1 day``); ``unit=False`` gives the number alone;
    ``signed`` writes ``+`` before a delay. Missing -> "—"."""
    text = number(value, 0)
    if text == MISSING:
        return text
    if signed and not text.startswith("-") and text != "0":
        text = "+" + text
    if not unit:
        return text
    if lang == "zh":
        return f"{text} 天"
    return f"{text} day" if text.lstrip("+-") == "1" else f"{text} days"


def count(value: object) -> str:
    """A whole number with separators: ``1,234``; missing -> "—"."""
    return number(value, 0)


def when(value: object) -> str:
    """A date ``2026-01-05``, or ``2026-01-05 14:30`` when it has a time of day; missing
    (None, NaT, NaN, "") -> "—". Text that is not a date is returned as it is."""
    if value is None:
        return MISSING
    if isinstance(value, float) and math.isnan(value):
        return MISSING
    if isinstance(value, datetime):  # pandas Timestamp included
        if value != value:  # NaT
            return MISSING
        day = f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        if value.hour or value.minute or value.second or value.microsecond:
            return f"{day} {value.hour:02d}:{value.minute:02d}"
        return day
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, str):
        return value.strip() or MISSING
    try:  # numpy datetime64, pandas NaT
        import pandas as pd

        ts = pd.Timestamp(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return str(value)
    return MISSING if ts is pd.NaT or ts != ts else when(ts.to_pydatetime())


# ---------------------------------------------------------------- the kind registry
KINDS = (
    "money",
    "hours",
    "points",
    "percent",
    "percent100",
    "index",
    "days",
    "periods",
    "count",
    "score",
    "number",
    "date",
    "datetime",
    "text",
)


@dataclass(frozen=True)
class KindSpec:
    """How one kind is written in a table (``printf`` for ``st.column_config.NumberColumn``,
    ``step`` fixes its decimals) and in Excel (``excel`` number format)."""

    printf: str
    excel: str
    step: float | None = None


NUMBER_SPECS: dict[str, KindSpec] = {
    "money": KindSpec("%,.0f", "#,##0"),
    "hours": KindSpec("%,.1f", "#,##0.0"),
    "points": KindSpec("%,.1f", "#,##0.0"),
    # Streamlit's "percent" multiplies by 100; step 0.001 = one decimal: 0.8 -> 80.0%, 0.8333 -> 83.3%
    "percent": KindSpec("percent", "0.0%", 0.001),
    "percent100": KindSpec("%.1f%%", '0.0"%"'),
    "index": KindSpec("%.2f", "0.00"),
    "days": KindSpec("%,.0f", "#,##0"),
    "periods": KindSpec("%,.1f", "#,##0.0"),
    "count": KindSpec("%,.0f", "#,##0"),
    "score": KindSpec("%.0f", "0"),
    "number": KindSpec("%,.2f", "#,##0.00"),
}
DATE_FORMATS = {"date": ("YYYY-MM-DD", "yyyy-mm-dd"), "datetime": ("YYYY-MM-DD HH:mm", "yyyy-mm-dd hh:mm")}

# Columns by name (canonical columns, the metric glossary, the metric modules' outputs). A
# column not named here gets its kind from its schema dtype, then from a name rule, then from
# its values (whole numbers: count; other numbers: number; datetimes: date/datetime).
COLUMN_KINDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "pv",
            "ev",
            "ac",
            "bac",
            "cv",
            "sv",
            "eac",
            "eac_cpi",
            "eac_atypical",
            "eac_composite",
            "etc",
            "vac",
            "risk_exposure",
            "exposure",
            "impact_cost",
            "actual_cost",
            "expected_cost",
            "risk_adjusted_eac",
            "threat_emv",
            "opportunity_emv",
            "eac_risk_adjusted",
            "eac_with_opportunities",
            "contingency",
            "amount",
            "cost",
            "planned_cost",
            "budget",
            "eac_p80",
            "previous_bac",
            "current_bac",
        ),
        "money",
    ),
    **dict.fromkeys(
        (
            "cv_pct",
            "sv_pct",
            "percent_complete",
            "probability",
            "progress",
            "utilisation",
            "acceptance_rate",
            "on_time_rate",
            "share_at_or_below",
            "risk_exposure_pct",
            "criticality_index",
            "prob_on_time",
            "complete",
        ),
        "percent",
    ),
    **dict.fromkeys(
        (
            "cpi",
            "spi",
            "spi_t",
            "tspi",
            "tcpi_bac",
            "tcpi_eac",
            "bei",
            "cpli",
            "final_cpi",
            "final_spi_t",
            "sensitivity",
        ),
        "index",
    ),
    **dict.fromkeys(("es", "at", "pd", "sv_t", "ieac_t"), "periods"),
    **dict.fromkeys(
        (
            "slip_days",
            "total_float_days",
            "lag_days",
            "days_overdue",
            "finish_slip_days",
            "slip_change_days",
            "slip_since_first_days",
            "duration_days",
            "float_days",
        ),
        "days",
    ),
    **dict.fromkeys(("planned_hours", "actual_hours", "capacity_hours", "hours", "demand_hours"), "hours"),
    **dict.fromkeys(
        (
            "story_points",
            "points",
            "velocity",
            "committed",
            "completed",
            "remaining",
            "ideal",
            "scope",
            "done",
            "added",
            "removed",
            "scope_end",
            "rolling_avg",
        ),
        "points",
    ),
    **dict.fromkeys(
        ("quality_score", "score", "risk_score", "probability_score", "impact_score", "change_points"), "score"
    ),
    **dict.fromkeys(
        (
            "milestones_slipped",
            "open_high_risks",
            "checks_passed",
            "checks_applicable",
            "rows_in",
            "rows_loaded",
            "rows_rejected",
            "projects",
            "tasks",
            "count",
            "n",
            "outline_level",
            "of",
        ),
        "count",
    ),
}
_SCHEMA_DTYPE_KINDS = {"money": "money", "percent": "percent", "int": "count", "date": "date"}
# Name rules for columns the registry does not name (first match wins).
_NAME_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(^|_)(pct|rate|share|ratio_pct)$"), "percent"),
    (re.compile(r"_hours$"), "hours"),
    (re.compile(r"_days$"), "days"),
    (re.compile(r"_points$"), "points"),
    (re.compile(r"^(n|count)_|_count$"), "count"),
    (re.compile(r"(^|_)(date|start|finish|due|created|resolved)$"), "date"),
    (re.compile(r"_at$"), "datetime"),
)


def _schema_kinds() -> dict[str, str]:
    from .schema import TABLES

    out: dict[str, str] = {}
    for t in TABLES.values():
        for c in t.columns:
            kind = _SCHEMA_DTYPE_KINDS.get(c.dtype)
            if kind:
                out.setdefault(c.name, kind)
    return out


_SCHEMA_KINDS: dict[str, str] | None = None


def column_kind(name: object, values: object = None) -> str:
    """The kind of column ``name`` (a canonical or metric column name): the registry
    (``COLUMN_KINDS``), the schema dtype, a name rule, else the values' dtype (``values``: a
    pandas Series or dtype; whole numbers -> count, other numbers -> number, datetimes ->
    date/datetime); "text" when nothing says it is a number or a date."""
    global _SCHEMA_KINDS
    key = str(name)
    kind = COLUMN_KINDS.get(key)
    if kind is None:
        if _SCHEMA_KINDS is None:
            _SCHEMA_KINDS = _schema_kinds()
        kind = _SCHEMA_KINDS.get(key)
    if kind is None:
        kind = next((k for rule, k in _NAME_RULES if rule.search(key)), None)
    if values is None:
        return kind or "text"
    import pandas as pd

    dtype = getattr(values, "dtype", values)
    try:
        numeric = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
        temporal = pd.api.types.is_datetime64_any_dtype(dtype)
    except TypeError:
        numeric = temporal = False
    if temporal:  # dates are dates whatever the name ("completed": a date here, points on a burn-up)
        return "datetime" if _has_time(values) else "date"
    if kind in DATE_FORMATS and not numeric:
        return kind  # text holding dates: the caller converts them
    if kind in DATE_FORMATS:  # a number named like a date ("milestones_due"): its values say
        kind = None
    if kind is not None and kind != "text":
        return kind if numeric else "text"
    if numeric:
        return "count" if pd.api.types.is_integer_dtype(dtype) else "number"
    return "text"


def _has_time(values: object) -> bool:
    """True when a datetime Series has a time of day other than midnight somewhere."""
    import pandas as pd

    if not isinstance(values, pd.Series):
        return False
    s = values.dropna()
    if s.empty:
        return False
    return bool((s.dt.normalize() != s).any())


def column_spec(kind: str) -> KindSpec | None:
    """The table/Excel number format of ``kind`` (None for dates and text)."""
    return NUMBER_SPECS.get(kind)


def excel_format(kind: str, currency: str | None = None) -> str | None:
    """The Excel number format of ``kind`` (money without its currency: ``export.currency_format``
    adds it per row); None for text."""
    if kind in DATE_FORMATS:
        return DATE_FORMATS[kind][1]
    spec = NUMBER_SPECS.get(kind)
    return spec.excel if spec else None


def fmt(kind: str, value: object, lang: str = "en", *, currency: str | None = None, signed: bool = False) -> str:
    """``value`` written as ``kind`` for page text and KPI tiles (the table's own cells use
    ``column_spec``); missing -> "—"."""
    if kind == "money":
        return money(value, currency, lang, signed=signed)
    if kind == "hours":
        return hours(value, lang)
    if kind == "points":
        return points(value)
    if kind == "percent":
        return percent(value, signed=signed)
    if kind == "percent100":
        return percent(value, signed=signed, scale=100.0)
    if kind == "index":
        return index(value, signed=signed)
    if kind == "days":
        return days(value, lang, signed=signed)
    if kind == "periods":
        return number(value, 1)
    if kind in ("count", "score"):
        return count(value)
    if kind == "number":
        return number(value, 2)
    if kind in DATE_FORMATS:
        return when(value)
    if when(value) == MISSING:  # None, NaN, NaT, empty text
        return MISSING
    return str(value)


# ---------------------------------------------------------------- RAG in words
RAG_SYMBOLS = {"green": "■", "amber": "▲", "red": "●"}  # shapes, not colours alone; ■ < ▲ < ● sort by severity


def rag_label(colour: object, lang: str = "en") -> str | None:
    """A RAG colour code as symbol and word: ``"● Red"`` / ``"● 红"``, ``"▲ Amber"``, ``"■ Green"``;
    None for no colour (shown as "—"). The symbols differ by shape (colour-blind readers,
    print) and sort by severity: ascending Green, Amber, Red."""
    from . import i18n

    code = str(colour or "").strip().lower()
    if code not in RAG_SYMBOLS:
        return None
    return f"{RAG_SYMBOLS[code]} {i18n.t(f'rag.{code}', lang)}"
