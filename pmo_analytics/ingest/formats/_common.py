"""Helpers shared by the tool-specific format modules (not a format itself).

- header matching against a format's own alias lists (``find_columns``),
- ``add_table``: type and validate one mapped frame with ``validate.coerce_table`` and fold the
  outcome into a ``ParsedUpload`` (several sheets may feed the same table),
- predecessor strings (``3FS+2 days;5SS``, ``2完成-开始+1天``) and durations (``5 days``,
  ``5d``, ``2 个工作日``, ``1w``) as MS Project, Smartsheet and Excel plans write them,
- status categories (To Do / In Progress / Done) from Jira keys, Chinese names or status text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from ...schema import TABLES, normalize_header
from ..base import Note, ParsedUpload, RawFile, RawSheet
from ..normalize import is_empty, parse_text
from ..validate import coerce_table, empty_frame


def new_result(raw: RawFile, name: str) -> ParsedUpload:
    """An empty ``ParsedUpload`` for ``raw`` produced by format ``name``."""
    return ParsedUpload(source_name=raw.name, source_format=name, sha256=raw.sha256)


def keys(*texts: str) -> set[str]:
    """Normalised header keys (see ``schema.normalize_header``)."""
    return {normalize_header(t) for t in texts}


def find_columns(headers: list[str], wanted: Mapping[str, Iterable[str]]) -> dict[str, list[int]]:
    """For each wanted field, the indexes of every header that matches one of its aliases.

    ``wanted`` maps a field name to header spellings; matching is on ``normalize_header``
    (case, spaces, underscores, brackets ignored). Repeated headers (Jira's several ``Sprint``
    columns) all come back, in file order.
    """
    index: dict[str, str] = {}
    for field, aliases in wanted.items():
        for a in aliases:
            index.setdefault(normalize_header(a), field)
    out: dict[str, list[int]] = {}
    for i, h in enumerate(headers):
        f = index.get(normalize_header(h))
        if f:
            out.setdefault(f, []).append(i)
    return out


def header_hits(headers: list[str], *groups: Iterable[str]) -> int:
    """How many of ``groups`` (each a set of alias spellings) have a header in ``headers``."""
    have = {normalize_header(h) for h in headers}
    return sum(1 for g in groups if have & {normalize_header(a) for a in g})


def column_values(sheet: RawSheet, idx: int | None) -> list:
    """Values of column ``idx`` for every data row (``None`` past a short row)."""
    if idx is None:
        return [None] * len(sheet.rows)
    return [r[idx] if idx < len(r) else None for r in sheet.rows]


def first_value(row: list, idxs: list[int] | None):
    """The first non-empty value among columns ``idxs`` of ``row``."""
    for i in idxs or ():
        if i < len(row) and not is_empty(row[i]):
            return row[i]
    return None


def add_table(
    result: ParsedUpload,
    table: str,
    frame: pd.DataFrame,
    *,
    file: str,
    sheet: str = "",
    row_numbers: list[int] | None = None,
    headers: dict[str, str] | None = None,
    defaults: dict[str, object] | None = None,
) -> None:
    """Type and validate ``frame`` (canonical column names) as ``table`` and add it to ``result``.

    Rows already in ``result.tables[table]`` stay; the new valid rows are appended (a key that
    repeats across sheets is then rejected by the store's key, so callers keep keys unique).
    """
    cols = [c for c in frame.columns if c in TABLES[table].column_names]
    coerced = coerce_table(
        table,
        frame[cols],
        file=file,
        sheet=sheet,
        row_numbers=row_numbers,
        headers=headers,
        defaults=defaults,
    )
    if table in result.tables and len(result.tables[table]):
        result.tables[table] = pd.concat([result.tables[table], coerced.valid], ignore_index=True)
    else:
        result.tables[table] = coerced.valid
    result.problems.extend(coerced.problems)
    result.notes.extend(n for n in coerced.notes if n not in result.notes)
    result.rows_in += coerced.rows_in
    result.rejected_rows += coerced.rejected


def ensure_table(result: ParsedUpload, table: str) -> None:
    """Make sure ``result`` has ``table`` (empty with canonical dtypes when nothing was added)."""
    result.tables.setdefault(table, empty_frame(table))


def note(result: ParsedUpload, text: str) -> None:
    """Add ``text`` (a keyed ``Note``, or plain English) to ``result.notes`` once."""
    if text not in result.notes:
        result.notes.append(text)


def text(value) -> str | None:
    """Raw value as stripped text (``None`` when blank)."""
    return parse_text(value)


def file_stem(name: str) -> str:
    """File name without folders and extension (``a/b/Plan v2.xlsx`` -> ``Plan v2``)."""
    base = re.split(r"[\\/]", name)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base


def has_column(table: str, column: str) -> bool:
    """True when the canonical ``table`` defines ``column`` (lets formats fill optional columns the
    schema may gain later, such as a work item's due date)."""
    return column in TABLES[table].column_names


# ---------------------------------------------------------------- durations and predecessors

_UNIT_DAYS = {
    # working time; a day is 8 hours, a week 5 days, a month 20 days (MS Project defaults)
    "m": 1 / 480,
    "min": 1 / 480,
    "mins": 1 / 480,
    "minute": 1 / 480,
    "minutes": 1 / 480,
    "分钟": 1 / 480,
    "h": 1 / 8,
    "hr": 1 / 8,
    "hrs": 1 / 8,
    "hour": 1 / 8,
    "hours": 1 / 8,
    "小时": 1 / 8,
    "工时": 1 / 8,
    "d": 1,
    "dy": 1,
    "dys": 1,
    "day": 1,
    "days": 1,
    "天": 1,
    "日": 1,
    "工作日": 1,
    "个工作日": 1,
    "工作天": 1,
    "w": 5,
    "wk": 5,
    "wks": 5,
    "week": 5,
    "weeks": 5,
    "周": 5,
    "星期": 5,
    "工作周": 5,
    "个工作周": 5,
    "mo": 20,
    "mon": 20,
    "mons": 20,
    "month": 20,
    "months": 20,
    "月": 20,
    "个月": 20,
    "工作月": 20,
}
# elapsed units (calendar time: MS Project "ed", "ew"; Smartsheet "~"); converted at 5/7 of a
# calendar day per working day
_ELAPSED = {
    "em": 1 / 1440,
    "emin": 1 / 1440,
    "eh": 1 / 24,
    "ehr": 1 / 24,
    "ed": 1,
    "edays": 1,
    "eday": 1,
    "ew": 7,
    "ewk": 7,
    "emo": 30,
    "emon": 30,
    "历时天": 1,
    "历时周": 7,
    "历时日": 1,
}
_DUR_RE = re.compile(r"^\s*(~)?\s*([+-]?\d+(?:[.,]\d+)?)\s*([A-Za-z\u4e00-\u9fff]*)\s*\??\s*$")


def parse_duration_days(value) -> float | None:
    """Working days from a duration such as ``5 days``, ``5d``, ``2w``, ``4h``, ``3 个工作日``,
    ``1.5 wks``, ``2 ed`` (elapsed days count 5/7), ``5d?`` (estimated). A bare number is days.
    ``1d 4h`` (Smartsheet) sums its parts. Raises ``ValueError`` for anything else."""
    if is_empty(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    s = str(value).strip()
    parts = re.findall(r"~?\s*[+-]?\d+(?:[.,]\d+)?\s*[A-Za-z\u4e00-\u9fff]*\??", s)
    if not parts or re.sub(r"\s+", "", "".join(parts)) != re.sub(r"\s+", "", s):
        raise ValueError(value)
    total = 0.0
    for p in parts:
        m = _DUR_RE.match(p)
        if not m:
            raise ValueError(value)
        tilde, num, unit = m[1], float(m[2].replace(",", ".")), m[3].casefold()
        if unit == "":
            total += num
        elif unit in _UNIT_DAYS and not tilde:
            total += num * _UNIT_DAYS[unit]
        elif unit in _UNIT_DAYS and tilde:  # Smartsheet ~5d = elapsed
            total += num * _UNIT_DAYS[unit] * 5 / 7
        elif unit in _ELAPSED:
            total += num * _ELAPSED[unit] * 5 / 7
        else:
            raise ValueError(value)
    return total


LINK_TYPES = {
    "FS": "FS",
    "SS": "SS",
    "FF": "FF",
    "SF": "SF",
    "完成-开始": "FS",
    "开始-开始": "SS",
    "完成-完成": "FF",
    "开始-完成": "SF",
    "完成开始": "FS",
    "开始开始": "SS",
    "完成完成": "FF",
    "开始完成": "SF",
    "完-开": "FS",
    "开-开": "SS",
    "完-完": "FF",
    "开-完": "SF",
}
_TYPE_ALT = "|".join(sorted((re.escape(k) for k in LINK_TYPES), key=len, reverse=True))
_PRED_RE = re.compile(
    rf"^\s*(?P<id>[A-Za-z0-9_.\-]*?\d[A-Za-z0-9_.]*?)\s*(?P<type>{_TYPE_ALT})?\s*"
    r"(?:(?P<sign>[+-])\s*(?P<lag>[\d.,]+\s*%?\s*[A-Za-z\u4e00-\u9fff]*\??))?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Pred:
    """One parsed predecessor reference."""

    ref: str  # the predecessor's id as written (row number, ID or external ref)
    type: str  # FS SS FF SF
    lag_days: float | None  # None when the lag is a percentage (``lag_pct`` set)
    lag_pct: float | None = None


def parse_predecessors(value, *, separators: str = ";,") -> list[Pred]:
    """Parse ``3FS+2 days;5SS;7`` (MS Project), ``2FS +2d, 3SS`` (Smartsheet), ``4完成-开始-1 天``.

    The type defaults to FS; the lag sign may be negative (a lead); a lag such as ``+50%`` is a
    share of the predecessor's duration and is returned as ``lag_pct``. MS Project separates
    entries by the list separator of its locale (``,`` or ``;``). Raises ``ValueError`` naming the
    entry that cannot be read."""
    if is_empty(value):
        return []
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).strip().replace("，", ",").replace("；", ";")
    # MS Project separates entries with its locale's list separator: ";" where "," is the decimal
    # mark (then "+1,5 days" is one lag), else ","
    sep = ";" if ";" in s and ";" in separators else ("," if "," in separators else separators[:1])
    parts = s.split(sep) if sep else [s]
    out = []
    for part in parts:
        if not part.strip():
            continue
        m = _PRED_RE.match(part)
        if not m:
            raise ValueError(part.strip())
        typ = LINK_TYPES.get((m["type"] or "FS").upper(), LINK_TYPES.get(m["type"] or "", "FS"))
        lag_days: float | None = 0.0
        lag_pct = None
        if m["lag"]:
            lag = m["lag"].strip()
            sign = -1.0 if m["sign"] == "-" else 1.0
            if "%" in lag:
                lag_pct = sign * float(lag.split("%")[0].replace(",", ".")) / 100
                lag_days = None
            else:
                lag_days = sign * parse_duration_days(lag)
        out.append(Pred(m["id"].strip(), typ, lag_days, lag_pct))
    return out


# ---------------------------------------------------------------- status categories

TODO, DOING, DONE = "To Do", "In Progress", "Done"
_CATEGORY = {
    # Jira statusCategory keys and names (English and Chinese UI)
    "new": TODO,
    "todo": TODO,
    "to do": TODO,
    "待办": TODO,
    "要做": TODO,
    "未开始": TODO,
    "indeterminate": DOING,
    "in progress": DOING,
    "inprogress": DOING,
    "进行中": DOING,
    "处理中": DOING,
    "done": DONE,
    "complete": DONE,
    "completed": DONE,
    "完成": DONE,
    "已完成": DONE,
}
# Words that name a category in status, section and list names, in the languages boards are
# kept in. Latin-script words match whole words (``\bdone\b``: "Definition" is not "fini");
# Chinese/Japanese/Korean words match anywhere in the name. Done is tried first, then To Do,
# then In Progress.
_DONE_WORDS = (
    "done",
    "closed",
    "resolved",
    "complete",
    "completed",
    "finished",
    "released",
    "shipped",
    "delivered",
    "terminado",
    "terminada",
    "terminados",
    "terminadas",
    "hecho",
    "hechos",
    "finalizado",
    "finalizada",
    "completado",
    "completada",
    "cerrado",
    "erledigt",
    "fertig",
    "abgeschlossen",
    "terminé",
    "terminée",
    "terminés",
    "fini",
    "finie",
    "concluído",
    "concluída",
    "concluido",
    "feito",
    "feitos",
    "fatto",
    "completato",
    "voltooid",
    "klaar",
    "完成",
    "关闭",
    "已解决",
    "已关闭",
    "结束",
    "上线",
    "完了",
    "済",
    "終了",
    "완료",
)
_TODO_WORDS = (
    "to do",
    "to-do",
    "todo",
    "open",
    "backlog",
    "new",
    "ideas",
    "icebox",
    "ice box",
    "inbox",
    "abierto",
    "abierta",
    "nuevo",
    "nueva",
    "ouvert",
    "aberto",
    "neu",
    "pendiente",
    "pendientes",
    "por hacer",
    "a fazer",
    "pendente",
    "à faire",
    "a faire",
    "offen",
    "zu erledigen",
    "da fare",
    "待办",
    "待处理",
    "未开始",
    "新建",
    "打开",
    "积压",
    "计划",
    "未着手",
    "未対応",
    "やること",
    "할 일",
)
_DOING_WORDS = (
    "in progress",
    "doing",
    "wip",
    "review",
    "in review",
    "testing",
    "qa",
    "blocked",
    "en curso",
    "en progreso",
    "en proceso",
    "haciendo",
    "in arbeit",
    "in bearbeitung",
    "en cours",
    "em andamento",
    "em progresso",
    "fazendo",
    "in corso",
    "进行中",
    "处理中",
    "开发中",
    "测试中",
    "進行中",
    "作業中",
    "対応中",
    "진행",
)


def _vocabulary(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for ``words``: Latin-script words as whole words not negated ("not done"),
    Chinese/Japanese/Korean words anywhere not after a negation or "pending" (未完成, 不完成, 待完成)."""
    cjk_re = re.compile(r"[\u3000-\u9fff\uac00-\ud7af]")
    latin = [re.escape(w) for w in words if not cjk_re.search(w)]
    cjk = [re.escape(w) for w in words if cjk_re.search(w)]
    alts = [rf"(?<!\w)(?<!not )(?<!no )(?:{'|'.join(sorted(latin, key=len, reverse=True))})(?!\w)"]
    if cjk:
        alts.append(rf"(?<![未不没沒無无非待])(?:{'|'.join(sorted(cjk, key=len, reverse=True))})")
    return re.compile("|".join(alts), re.IGNORECASE)


_DONE_RE, _TODO_RE, _DOING_RE = (_vocabulary(w) for w in (_DONE_WORDS, _TODO_WORDS, _DOING_WORDS))


def named_category(name: object) -> str | None:
    """The category a status, section or list name says (``Terminado``/``完了``/``Erledigt`` ->
    Done; ``Product Backlog``/``Icebox``/``待办`` -> To Do; ``Doing``/``進行中`` -> In Progress), or
    ``None`` when the name says none of them (the caller decides: a default, or a board's list order)."""
    s = parse_text(name)
    if not s:
        return None
    low = s.casefold()
    if low in _CATEGORY:
        return _CATEGORY[low]
    if _DONE_RE.search(low):
        return DONE
    if _TODO_RE.search(low):
        return TODO
    if _DOING_RE.search(low):
        return DOING
    return None


def status_category(category: object = None, status: object = None) -> str | None:
    """``To Do``/``In Progress``/``Done`` from an explicit category (Jira key/name, Chinese) or,
    failing that, from the status text (``named_category``; a name that says nothing -> In Progress)."""
    c = parse_text(category)
    if c:
        hit = _CATEGORY.get(c.casefold())
        if hit:
            return hit
    if not parse_text(status):
        return None
    return named_category(status) or DOING


def note_stale_slack(result: ParsedUpload) -> None:
    """Say when the slack a schedule file stored contradicts itself (``metrics.stored_slack``):
    its float and critical path are computed from its inputs and will differ from the file's."""
    from ...metrics.stored_slack import stale_slack

    for s in stale_slack(result.tables):
        note(
            result,
            Note(
                "note.schedule.stale_slack",
                project=s.project_id,
                a=s.task_a,
                b=s.task_b,
                calendar=s.calendar,
                late_a=s.late_a,
                late_b=s.late_b,
            ),
        )
