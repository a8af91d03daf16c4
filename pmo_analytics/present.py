"""Metric codes into words: the edge where what ``metrics/`` returns (codes, keys with
parameters, canonical column names) gets the language of the person reading it.

Metrics never take a language; pages, exports and report writers call these functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from . import i18n
from .labels import label

if TYPE_CHECKING:  # pragma: no cover
    from .metrics.changes import ChangeSet
    from .settings import Settings


def codes_text(codes: Sequence[tuple[str, dict]], lang: str = "en") -> str:
    """Message codes ``[(key, params), ...]`` written one after the other in ``lang``; a
    ``unit_key`` parameter is itself translated (as ``unit``)."""
    out = []
    for key, params in codes:
        p = dict(params)
        if "unit_key" in p:
            p["unit"] = i18n.t(str(p.pop("unit_key")), lang)
        out.append(i18n.t(key, lang, **p))
    return "".join(out)


def reading(row: pd.Series | dict, lang: str = "en", settings: Settings | None = None) -> str:
    """``evm.reading_codes`` of one metrics row as plain text in ``lang``."""
    from .metrics.evm import reading_codes

    parts = reading_codes(row, settings)
    if not parts:
        return i18n.t("evm.read.none", lang)
    return ("" if lang == "zh" else " ").join(codes_text(p, lang) for p in parts)


def dcma_checks(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """``dcma.checks_table`` for display in ``lang``: the check's name beside its number, the
    result in words, headers named."""
    res = {k: i18n.t(f"dcma.{k}", lang) for k in ("passed", "failed", "na")}
    out = table.assign(result=table["result"].map(res))
    out.insert(1, "name", [i18n.t(f"dcma.name.{int(c)}", lang) for c in table["check"]])
    return out.rename(columns={c: i18n.t(f"dcma.col.{c}", lang) for c in out.columns})


def dcma_offenders(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """``dcma.offenders_table`` for display in ``lang`` (check name, kind in words, headers named)."""
    out = table.assign(kind=table["kind"].map(lambda k: i18n.t(f"dcma.kind.{k}", lang)))
    out.insert(1, "name", [i18n.t(f"dcma.name.{int(c)}", lang) for c in table["check"]])
    return out.rename(columns={c: i18n.t(f"dcma.col.{c}", lang) for c in out.columns})


def deliverables(view: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """``quality.deliverables_view`` with the state in ``lang``."""
    return view.assign(state=view["state"].map(lambda v: i18n.t(f"state.{v}", lang)))


def change_section(cs: ChangeSet, section: str, lang: str = "en") -> pd.DataFrame:
    """One section of a change set for display: date fields named in ``lang``."""
    from .metrics.changes import section_view

    frame = section_view(cs, section)
    if section == "dates_moved" and len(frame):
        frame = frame.assign(field=frame["field"].map(lambda f: label(f, lang, "tasks")))
    return frame


def _change_text(section: str, value: object, lang: str) -> object:
    """A long table's change with its unit (``formatting``): days moved "+14 days" / "+14 天",
    progress "+40 pp" / "+40 个百分点", budget "+80" (thousands separated); words stay words."""
    from . import formatting

    try:
        v = float(str(value).replace(",", "")) if value is not None else None
    except ValueError:
        return value
    if v is None or v != v:
        return value
    if section == "dates_moved":
        return formatting.days(v, lang, signed=True)
    if section == "progress_changes":
        return i18n.t(
            "formats.points_change", lang, n=formatting.number(v, 0) if v <= 0 else "+" + formatting.number(v, 0)
        )
    text = formatting.number(v, 0)
    return "+" + text if v > 0 and text != "0" else text


def changes_long(cs: ChangeSet, lang: str = "en") -> pd.DataFrame:
    """``changes.changes_frame`` with sections, fields and the risk words in ``lang``."""
    from .metrics.changes import changes_frame

    out = changes_frame(cs)
    out["change"] = [_change_text(sec, v, lang) for sec, v in zip(out["section"], out["change"], strict=True)]
    out["section"] = out["section"].map(lambda sec: i18n.t(f"changes.{sec}", lang))
    out["field"] = out["field"].map(lambda f: label(f, lang, "tasks") if f else f)
    words = {w: i18n.t(f"changes.how.{w}", lang) for w in ("new", "reopened", "closed", "removed")}
    out["change"] = out["change"].map(lambda v: words.get(v, v) if isinstance(v, str) else v)
    return out


def stat_names(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A lessons benchmark frame (``lessons.benchmark_stats``/``live_comparison``) with the
    ``stat`` column (metric names) in ``lang``."""
    return frame.assign(stat=frame["stat"].map(lambda k: label(k, lang)))
