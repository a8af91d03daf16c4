"""Column headers: the one function that names a canonical or metric column for a person.

Used by the pages (``ui.label``/``ui.readable``), the exports (``export.label_columns``), the
report workbook, the weekly report and the HTML report, so a column reads the same on screen
and in every file. The order of look-up:

1. ``col.<name>``: the metric glossary and shared labels (``locales/core.py``, ``locales/evm.py``...);
2. ``export.col.<name>``: columns of export-only tables (DCMA checks, lessons...);
3. the schema label of ``table`` (a column name that means different things in different
   tables, e.g. ``title``: a work item's title, a risk's description, is named per table);
4. the schema label of the first table that has the column;
5. the name itself.
"""

from __future__ import annotations

from functools import cache

from . import i18n
from .schema import TABLES


@cache
def _schema_labels() -> dict[str, tuple[str, str]]:
    """column name -> (English, Chinese) label of the first table that has it."""
    out: dict[str, tuple[str, str]] = {}
    for t in TABLES.values():
        for c in t.columns:
            out.setdefault(c.name, (c.label_en, c.label_zh))
    return out


def ambiguous_columns() -> dict[str, dict[str, tuple[str, str]]]:
    """Columns whose schema label differs between tables and that have no ``col.*`` label:
    ``{column: {table: (English, Chinese)}}``. These need ``table`` to be named well."""
    seen: dict[str, dict[str, tuple[str, str]]] = {}
    for tname, t in TABLES.items():
        for c in t.columns:
            seen.setdefault(c.name, {})[tname] = (c.label_en, c.label_zh)
    return {
        name: per
        for name, per in seen.items()
        if len(set(per.values())) > 1 and not i18n.has(f"col.{name}") and not i18n.has(f"export.col.{name}")
    }


def label(column: str, lang: str = "en", table: str | None = None) -> str:
    """Readable header for ``column`` in ``lang`` ("en" or "zh"); ``table`` (a canonical table
    name) decides columns whose meaning depends on the table."""
    name = str(column)
    for prefix in ("col.", "export.col."):
        if i18n.has(prefix + name):
            return i18n.t(prefix + name, lang)
    if table in TABLES:
        for c in TABLES[table].columns:
            if c.name == name:
                return c.label_zh if lang == "zh" else c.label_en
    pair = _schema_labels().get(name)
    if pair is not None:
        return pair[1] if lang == "zh" else pair[0]
    return name
