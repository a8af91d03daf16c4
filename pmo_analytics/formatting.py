"""Money for people: the one place that writes an amount with its currency.

- ``money(31_945_000, "CNY")`` -> ``"CNY 31.9M"``; in Chinese ``"CNY 3,194.5万"`` (亿 from 1e8);
  ``compact=False`` -> ``"CNY 31,945,000"``; ``symbol=True`` -> ``"¥31.9M"``.
- A missing value (None, NaN, not a number) is ``"—"``, whatever the currency.
- ``hover_format`` / ``column_format`` give the same currency to plotly hovers and
  ``st.column_config.NumberColumn``; ``export.currency_format`` is the Excel counterpart.

Pure functions, no Streamlit: pages, charts, the weekly report and the CLI share them.
"""

from __future__ import annotations

import math

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
    ``signed`` writes ``+`` before a positive amount (a change). Missing -> "—"; no currency ->
    the amount alone."""
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
    if symbol_:
        sign = "-" if text.startswith("-") else ("+" if text.startswith("+") else "")
        return f"{sign}{symbol(code)}{text.lstrip('+-')}"
    return f"{code} {text}"


def hover_format(currency: str | None, field: str = "y") -> str:
    """A plotly hovertemplate fragment for an amount in ``currency``: ``"CNY %{y:,.0f}"``."""
    code = (currency or "").strip().upper()
    return f"{code} %{{{field}:,.0f}}" if code else f"%{{{field}:,.0f}}"


def column_format(currency: str | None, digits: int = 0) -> str:
    """A ``st.column_config.NumberColumn`` format for amounts in ``currency``: ``"CNY %,.0f"``."""
    code = (currency or "").strip().upper()
    spec = f"%,.{digits}f"
    return f"{code} {spec}" if code else spec
