"""Render errors and validation problems in a language.

The library raises ``PmoError``s and collects ``Problem``s that carry a message key and its
parameters (``errors.py``, ``ingest/base.py``); the texts live in ``locales/errors.py``. This
module turns them into words at the edge: ``render(exc, lang)`` for an error,
``problem_text(p, lang)`` for a validation finding, ``problems_frame(problems, lang)`` for the
rejected-rows report. English is what ``str()`` gives; Chinese is what a Chinese session sees.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from . import i18n

if TYPE_CHECKING:  # pragma: no cover
    from .errors import PmoError
    from .ingest.base import Problem


class _Missing(dict):
    """Format mapping that leaves an unknown ``{name}`` visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fields(template: str) -> set[str]:
    """The parameter names a message template uses (``{sheet!r}`` -> ``sheet``)."""
    out: set[str] = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name:
            out.add(name.split(".")[0].split("[")[0])
    return out


def text(key: str, lang: str, params: Mapping[str, object] | None = None) -> str:
    """The text of message ``key`` in ``lang`` with ``params`` filled in (the key itself when unknown)."""
    pair = i18n.catalog().get(key)
    if pair is None:
        return key
    template = pair[1] if lang == "zh" else pair[0]
    try:
        return string.Formatter().vformat(template, (), _Missing(params or {}))
    except (ValueError, TypeError, IndexError):  # a parameter of the wrong type for its format
        return template


def where(exc: PmoError, lang: str = "en") -> str:
    """Where an error happened, as a prefix: ``file 'a.xlsx', sheet 'Tasks'`` (empty when unknown)."""
    parts = []
    if exc.file:
        parts.append(text("where.file", lang, {"file": exc.file}))
    if exc.sheet:
        parts.append(text("where.sheet", lang, {"sheet": exc.sheet}))
    if getattr(exc, "row", None) is not None:
        parts.append(text("where.row", lang, {"row": exc.row}))
    if getattr(exc, "column", ""):
        parts.append(text("where.column", lang, {"column": exc.column}))
    return text("where.sep", lang).join(parts)


def render(exc: PmoError, lang: str = "en") -> str:
    """``exc`` in ``lang``: where, message and hint. English equals ``str(exc)``."""
    from .errors import IngestError

    if lang != "zh" or not exc.key:  # an error without a key has only its English text
        return str(exc)
    params = {**_where_params(exc), **exc.params}
    problems = getattr(exc, "problems", None)
    if problems and "problems" in params:  # a ValidationError lists its first findings
        errs = [p for p in problems if p.severity == "error"][:5]
        params["problems"] = text("where.list_sep", lang).join(problem_line(p, lang) for p in errs)
    body = text(exc.key, lang, params) if exc.key else exc.message
    hint = text(exc.hint_key, lang, params) if exc.hint_key else exc.hint
    msg = f"{body}{text('where.hint_sep', lang)}{hint}" if hint else body
    if isinstance(exc, IngestError):
        place = where(exc, lang)
        if place:
            msg = f"{place}{text('where.colon', lang)}{msg}"
    return msg


def render_code(code: Mapping[str, object], lang: str = "en") -> str:
    """An error given as data (``PmoError.code()``) in ``lang``."""
    key = str(code.get("key") or "")
    if lang != "zh" or not key:
        return str(code.get("message", ""))
    params = dict(code.get("params") or {})  # type: ignore[call-overload]
    body = text(key, lang, params)
    hint_key = str(code.get("hint_key") or "")
    return f"{body}{text('where.hint_sep', lang)}{text(hint_key, lang, params)}" if hint_key else body


def _where_params(exc: PmoError) -> dict[str, object]:
    return {k: v for k in ("file", "sheet", "row", "column") if (v := getattr(exc, k, None)) not in (None, "")}


def problem_text(p: Problem, lang: str = "en") -> str:
    """The reason of a validation finding in ``lang`` (its English ``message`` when it has no key)."""
    if lang != "zh" or not p.key:
        return p.message
    return text(p.key, lang, dict(p.params))


def problem_where(p: Problem, lang: str = "en") -> str:
    """``file 'a.xlsx', sheet 'Tasks', row 5, column 'Start'`` in ``lang``."""
    parts = [text("where.file", lang, {"file": p.file})]
    if p.sheet:
        parts.append(text("where.sheet", lang, {"sheet": p.sheet}))
    if p.row is not None:
        parts.append(text("where.row", lang, {"row": p.row}))
    if p.column:
        parts.append(text("where.column", lang, {"column": p.column}))
    return text("where.sep", lang).join(parts)


def problem_line(p: Problem, lang: str = "en") -> str:
    """One line for a finding: where, value and reason (English equals ``str(p)``)."""
    if lang != "zh":
        return str(p)
    val = text("where.value", lang, {"value": p.value}) if p.value not in (None, "") else ""
    return f"{problem_where(p, lang)}{val}{text('where.colon', lang)}{problem_text(p, lang)}"


def note_text(note: str, lang: str = "en") -> str:
    """An importer note (``ingest.base.Note``) in ``lang``; a plain string note is English only."""
    key = getattr(note, "key", "")
    if lang != "zh" or not key:
        return str(note)
    params = {k: note_text(v, lang) if getattr(v, "key", "") else v for k, v in getattr(note, "params", {}).items()}
    return text(key, lang, params)  # a note inside a note (a column's note) in ``lang`` too


REPORT_COLUMNS = ["file", "sheet", "row", "column", "value", "problem", "severity"]


def problems_frame(problems: Iterable[Problem], lang: str = "en") -> pd.DataFrame:
    """The validation report (one row per finding) with reasons and severities in ``lang``;
    headers stay canonical (``labels.label`` makes them readable)."""
    rows = [
        {
            "file": p.file,
            "sheet": p.sheet,
            "row": p.row,
            "column": p.column,
            "value": p.value,
            "problem": problem_text(p, lang),
            "severity": i18n.t(f"severity.{p.severity}", lang) if i18n.has(f"severity.{p.severity}") else p.severity,
        }
        for p in problems
    ]
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)
