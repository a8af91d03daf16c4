"""Enumerated values in the UI language, at the edge: statuses ("Active", "On hold", "Closed",
"Open", "In Progress"...), project stages, priorities and severities, risk kinds and score bands.

The data keeps the values the files gave (the store, the metrics and the exports' raw data are
untouched); what a person reads in a Chinese session says 进行中 for "Active". Matching ignores
case, blanks, hyphens and underscores ("on-hold", "On Hold", "ON_HOLD"); a value this module does
not know (a team's own word, or one already in Chinese) is shown as it is.

Which columns hold which kind of value: ``COLUMN_VOCAB``. Words: ``locales/enums.py``
(``enum.<vocabulary>.<value>``).
"""

from __future__ import annotations

import re

import pandas as pd

from . import i18n

COLUMN_VOCAB = {
    "status": "status",
    "status_category": "status",
    "acceptance_status": "status",
    "stage": "stage",
    "phase": "stage",
    "priority": "level",
    "severity": "level",
    "band": "level",
    "impact_level": "level",
    "kind": "kind",
    "type": "work_type",
}
_SEP = re.compile(r"[\s_\-]+")


def _norm(value: str) -> str:
    return _SEP.sub("_", value.strip().casefold()).strip("_")


def enum_word(value: object, column: str, lang: str = "en") -> str:
    """``value`` of ``column`` in ``lang`` (the value itself when English, unknown or not text;
    "" for a missing value)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    text = str(value)
    vocab = COLUMN_VOCAB.get(column)
    if lang != "zh" or vocab is None:
        return text
    key = f"enum.{vocab}.{_norm(text)}"
    return i18n.t(key, lang) if i18n.has(key) else text


def words(df: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """``df`` with the enumerated columns (``COLUMN_VOCAB``) in ``lang``; the same frame when
    nothing changes (English, or no such column). Missing values stay missing."""
    if lang != "zh" or df is None or df.empty:
        return df
    cols = [c for c in df.columns if c in COLUMN_VOCAB and not pd.api.types.is_numeric_dtype(df[c])]
    if not cols:
        return df
    out = df.copy()
    for c in cols:
        out[c] = df[c].map(lambda v, _c=c: enum_word(v, _c, lang) if isinstance(v, str) else v)
    return out
