"""Column mapping for files no format module recognises, and saved mapping profiles.

The Import page's mapping editor uses this small API:

- ``suggest_mapping(raw_sheet, table) -> DataFrame``: one row per canonical column of ``table``
  with the suggested file header (or none), a confidence, why it was suggested, whether the
  column is required, and sample values of the suggested header.
- ``apply_mapping(raw, mapping, table, options) -> ParsedUpload``: parse a read file with a
  confirmed mapping ``{canonical column: file header}`` (typed and validated like any format).
- ``save_profile(store, name, table, mapping, headers, sheet=None)``: save the mapping as a named
  profile (``Store`` documents of kind ``"mapping"``) keyed by the header fingerprint.
- ``find_profile(store, headers) -> dict | None``: the newest profile saved for the same headers.
- ``load_profiles``, ``get_profile``, ``list_profiles``, ``update_profile``, ``delete_profile``:
  saved mappings are owned (``saved_by``, ``saved_at``), listed, editable and deletable; every
  save, edit and delete is in the audit trail with the actor.
- A saved mapping is never applied silently: ``match_profile`` only *proposes* one for a file's
  headers; the Import page asks "Apply 'X', saved by Y on D?" and the command line needs
  ``--mapping NAME``. Applying is ``ParseOptions(mapping=..., table=..., sheet=..., profile_name=...)``.

Rules: the fingerprint is the SHA-1 of the sorted set of normalised header names (case, spaces,
underscores and brackets ignored), so a file whose columns were reordered still matches but a
file with a renamed, added or removed column does not. Suggestions score each (column, header)
pair by name (an exact alias match is 1.0; otherwise the best similarity to the column's English
and Chinese names and aliases) and by the sample values (the share of the first 50 non-empty
values that read as the column's type); a header is used at most once, best pairs first, and
only above 0.55.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from datetime import datetime

import pandas as pd

from ..errors import ConfigError, FormatError, NotFoundError
from ..schema import TABLES, normalize_header
from .base import Note, ParsedUpload, Problem, RawFile, RawSheet
from .normalize import PARSERS, is_empty, parse_date, parse_percent, parse_text
from .validate import coerce_table, empty_frame

KIND = "mapping"
MIN_SCORE = 0.55
SUGGESTION_COLUMNS = ["column", "label", "label_zh", "dtype", "required", "header", "score", "reason", "samples"]


def header_fingerprint(headers: list[str]) -> str:
    """Order-insensitive fingerprint of a header row (normalised names, blanks ignored)."""
    keys = sorted({normalize_header(h) for h in headers if h is not None and str(h).strip()})
    return hashlib.sha1("\x1f".join(keys).encode("utf-8"), usedforsecurity=False).hexdigest()


# words people use for the same thing, reduced to one concept word each
SYNONYMS = {
    "begin": "start",
    "begins": "start",
    "starts": "start",
    "started": "start",
    "commence": "start",
    "end": "finish",
    "ends": "finish",
    "ended": "finish",
    "due": "finish",
    "deadline": "finish",
    "finished": "finish",
    "done": "complete",
    "completed": "complete",
    "completion": "complete",
    "progress": "complete",
    "%": "percent",
    "pct": "percent",
    "percentage": "percent",
    "owner": "resource",
    "assignee": "resource",
    "assigned": "resource",
    "resources": "resource",
    "responsible": "resource",
    "people": "resource",
    "staff": "resource",
    "ref": "id",
    "no": "id",
    "nr": "id",
    "number": "id",
    "num": "id",
    "#": "id",
    "code": "id",
    "identifier": "id",
    "activity": "name",
    "title": "name",
    "summary": "name",
    "description": "name",
    "item": "name",
    "subject": "name",
    "proj": "project",
    "programme": "program",
    "spend": "cost",
    "costs": "cost",
    "actuals": "actual",
    "likelihood": "probability",
    "prob": "probability",
    "severity": "impact",
    "consequence": "impact",
    "points": "point",
    "sp": "point",
}


def _concepts(text: str) -> frozenset[str]:
    """Concept words of a header: lower-case tokens, synonyms folded (``Done %`` -> complete, percent)."""
    import re

    t = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(text)).casefold()
    tokens = re.findall(r"[%#]|[a-z0-9]+|[\u4e00-\u9fff]+", t)
    return frozenset(
        SYNONYMS.get(w, w) for w in tokens if w not in {"the", "of", "date", "in", "by"} or len(tokens) == 1
    )


def _name_score(header: str, names: list[str]) -> float:
    """1.0 for a header that is one of the names (after normalisation), 0.95 for the same concept
    words (``Begin`` ~ ``Start``), less for partial overlap or similar spelling."""
    h = normalize_header(header)
    if not h:
        return 0.0
    hc = _concepts(header)
    best = 0.0
    for n in names:
        k = normalize_header(n)
        if not k:
            continue
        if h == k:
            return 1.0
        nc = _concepts(n)
        if hc and nc:
            common = len(hc & nc)
            if common:
                best = max(best, 0.95 if hc == nc else 0.5 + 0.4 * common / len(hc | nc))
        ratio = difflib.SequenceMatcher(None, h, k).ratio()
        if ratio >= 0.75:
            best = max(best, 0.8 * ratio)
    return best


def _value_score(values: list, dtype: str) -> float:
    vals = [v for v in values if not is_empty(v)][:50]
    if not vals:
        return 0.5
    ok = 0
    for v in vals:
        try:
            if dtype == "date":
                parse_date(v)
            elif dtype == "percent":
                parse_percent(v)
            elif dtype == "text":
                t = parse_text(v) or ""
                try:
                    PARSERS["float"](t)
                    continue  # a number is weak evidence for a text column
                except ValueError:
                    pass
            else:
                PARSERS[dtype](v)
            ok += 1
        except (ValueError, TypeError, OverflowError):
            pass
    return ok / len(vals)


def _column_values(sheet: RawSheet, idx: int) -> list:
    return [r[idx] if idx < len(r) else None for r in sheet.rows[:200]]


def suggest_mapping(raw_sheet: RawSheet, table: str) -> pd.DataFrame:
    """Suggested header for each canonical column of ``table`` (see the module rules).

    Columns of the result: column, label, label_zh, dtype, required, header (None when nothing
    fits), score (0..1), reason, samples (up to 3 values of the suggested header, as text)."""
    if table not in TABLES:
        raise ConfigError(key="config.unknown_table", params={"table": table, "known": ", ".join(TABLES)})
    t = TABLES[table]
    headers = [h for h in raw_sheet.headers]
    pairs = []
    for col in t.columns:
        names = [col.name, col.label_en, col.label_zh, *col.aliases]
        for j, h in enumerate(headers):
            if not h:
                continue
            ns = _name_score(h, names)
            if ns < 0.3:
                continue
            vs = _value_score(_column_values(raw_sheet, j), col.dtype)
            score = 1.0 if ns == 1.0 and vs >= 0.5 else 0.7 * ns + 0.3 * vs
            reason = "same name" if ns == 1.0 else ("same meaning" if ns >= 0.95 else "similar name")
            if vs >= 0.9 and col.dtype != "text":
                reason += f", values read as {col.dtype}"
            elif vs < 0.5:
                reason += f", but most values do not read as {col.dtype}"
            pairs.append((score, col.name, j, reason))
    pairs.sort(key=lambda p: -p[0])
    chosen: dict[str, tuple[float, int, str]] = {}
    used: set[int] = set()
    for score, cname, j, reason in pairs:
        if score < MIN_SCORE or cname in chosen or j in used:
            continue
        chosen[cname] = (score, j, reason)
        used.add(j)
    rows = []
    for col in t.columns:
        hit = chosen.get(col.name)
        samples: list[str] = []
        if hit:
            for v in _column_values(raw_sheet, hit[1]):
                s = parse_text(v)
                if s:
                    samples.append(s[:40])
                if len(samples) == 3:
                    break
        rows.append(
            {
                "column": col.name,
                "label": col.label_en,
                "label_zh": col.label_zh,
                "dtype": col.dtype,
                "required": col.required,
                "header": headers[hit[1]] if hit else None,
                "score": round(hit[0], 2) if hit else 0.0,
                "reason": hit[2] if hit else "no similar header",
                "samples": samples,
            }
        )
    out = pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)
    for c in ("column", "label", "label_zh", "dtype", "header", "reason", "samples"):
        out[c] = pd.Series([r[c] for r in rows], dtype=object)  # None stays None (not NaN)
    return out


def mapping_from_suggestions(suggestions: pd.DataFrame) -> dict[str, str]:
    """``{column: header}`` from ``suggest_mapping`` output (rows with a header)."""
    return {r.column: r.header for r in suggestions.itertuples() if r.header}


def _pick_sheet(raw: RawFile, headers: set[str], sheet: str | None) -> RawSheet:
    if sheet is not None:
        if sheet not in raw.sheets:
            raise FormatError(
                key="mapping.no_sheet",
                params={"sheet": sheet, "sheets": ", ".join(raw.sheets) or "—"},
                file=raw.name,
            )
        return raw.sheets[sheet]
    for s in raw.sheets.values():
        if headers <= set(s.headers):
            return s
    if raw.sheets:
        return next(iter(raw.sheets.values()))
    raise FormatError(key="mapping.no_table", file=raw.name)


def apply_mapping(raw: RawFile, mapping: dict[str, str], table: str, options=None) -> ParsedUpload:
    """Parse ``raw`` with a confirmed ``mapping`` ``{canonical column: file header}`` as ``table``.

    ``options`` (a ``ParseOptions``) may give ``project_id`` (fills the column where the file has
    none), ``sheet`` (which sheet; else the first holding every mapped header) and
    ``profile_name`` (named in the notes). A mapped header missing from the file is an error
    naming it; required columns left unmapped are reported by validation."""
    if table not in TABLES:
        raise ConfigError(key="config.unknown_table", params={"table": table, "known": ", ".join(TABLES)})
    t = TABLES[table]
    unknown = [c for c in mapping if c not in t.column_names]
    if unknown:
        raise ConfigError(
            key="mapping.not_columns",
            params={"columns": ", ".join(unknown), "table": table, "known": ", ".join(t.column_names)},
        )
    mapping = {c: h for c, h in mapping.items() if h}
    sheet = _pick_sheet(raw, set(mapping.values()), getattr(options, "sheet", None))
    result = ParsedUpload(source_name=raw.name, source_format="profile", sha256=raw.sha256)
    name = getattr(options, "profile_name", None)
    result.notes.append(Note("note.mapping.profile", name=name) if name else Note("note.mapping.by_hand"))
    missing = [h for h in mapping.values() if h not in sheet.headers]
    for c, h in mapping.items():
        if h in missing:
            result.problems.append(
                Problem.of(
                    raw.name,
                    sheet.name,
                    sheet.header_row,
                    t.column(c).label_en,
                    h,
                    "mapping.header_absent",
                    {"header": h, "column": t.column(c).label_en, "column_zh": t.column(c).label_zh},
                )
            )
    if missing:
        result.tables[table] = empty_frame(table)
        return result
    idx = {h: sheet.headers.index(h) for h in mapping.values()}
    data = {c: [r[idx[h]] if idx[h] < len(r) else None for r in sheet.rows] for c, h in mapping.items()}
    frame = pd.DataFrame(data, columns=list(mapping), dtype=object)
    coerced = coerce_table(
        table,
        frame,
        file=raw.name,
        sheet=sheet.name,
        row_numbers=[sheet.file_row(i) for i in range(len(sheet.rows))],
        headers=dict(mapping),
        defaults={"project_id": getattr(options, "project_id", None)},
    )
    result.tables[table] = coerced.valid
    result.problems.extend(coerced.problems)
    result.notes.extend(coerced.notes)
    result.rows_in = coerced.rows_in
    result.rejected_rows = coerced.rejected
    unused = [h for h in sheet.headers if h and h not in mapping.values()]
    if unused:
        result.notes.append(
            Note("note.columns_unused", columns=", ".join(unused[:15]) + (" …" if len(unused) > 15 else ""))
        )
    return result


# ---------------------------------------------------------------- profiles


def _check_mapping(table: str, mapping: dict[str, str], headers: list[str]) -> None:
    if table not in TABLES:
        raise ConfigError(key="config.unknown_table", params={"table": table, "known": ", ".join(TABLES)})
    bad = [c for c in mapping if c not in TABLES[table].column_names]
    if bad:
        raise ConfigError(
            key="mapping.not_columns",
            params={"columns": ", ".join(bad), "table": table, "known": ", ".join(TABLES[table].column_names)},
        )
    absent = [h for h in mapping.values() if h and h not in headers]
    if absent:
        raise ConfigError(key="mapping.headers_absent", params={"headers": ", ".join(absent)})


def save_profile(
    store,
    name: str,
    table: str,
    mapping: dict[str, str],
    headers: list[str],
    sheet: str | None = None,
    *,
    actor: str = "local",
    action: str = "mapping.save",
) -> dict:
    """Save (or replace) the profile ``name`` as ``actor`` (the signed-in identity, "local" in
    open mode; recorded as its owner and in the audit trail); returns the stored profile."""
    name = (name or "").strip()
    if not name:
        raise ConfigError(key="mapping.profile_needs_name")
    _check_mapping(table, mapping, headers)
    profile = {
        "name": name,
        "table": table,
        "mapping": {c: h for c, h in mapping.items() if h},
        "headers": [h for h in headers if h],
        "sheet": sheet,
        "fingerprint": header_fingerprint(headers),
        "saved": datetime.now().isoformat(timespec="seconds"),
        "saved_by": str(actor),
        "version": 1,
    }
    store.save_document(
        KIND,
        name,
        json.dumps(profile, ensure_ascii=False),
        profile["fingerprint"],
        saved_by=str(actor),
        audit=(action, {"table": table, "mapping": profile["mapping"], "sheet": sheet}),
    )
    return profile


def update_profile(store, name: str, mapping: dict[str, str], *, actor: str = "local") -> dict:
    """Change which file header feeds each column of the saved profile ``name`` (headers must be
    among those it was saved with); ``actor`` becomes its owner (audited as ``mapping.edit``)."""
    prof = get_profile(store, name)
    if prof is None:
        raise NotFoundError(key="mapping.no_profile", params={"name": name}, hint_key="hint.list_mappings")
    return save_profile(
        store, name, prof["table"], mapping, prof["headers"], prof.get("sheet"), actor=actor, action="mapping.edit"
    )


def _profiles(store) -> list[dict]:
    docs = store.documents(KIND)
    out = []
    for rec in docs.to_dict(orient="records") if len(docs) else []:
        try:
            p = json.loads(rec["body"])
        except (TypeError, ValueError):
            continue
        if isinstance(p, dict) and p.get("table") in TABLES and isinstance(p.get("mapping"), dict):
            by = rec.get("saved_by")
            p["saved_by"] = str(by) if isinstance(by, str) and by else str(p.get("saved_by") or "")
            at = rec.get("saved_at")
            p["saved_at"] = None if at is None or pd.isna(at) else pd.Timestamp(at).to_pydatetime()
            p.setdefault("headers", [])
            out.append(p)
    return out


def load_profiles(store) -> tuple[dict, ...]:
    """Every saved profile, newest first, with its owner (``saved_by``, "" for one saved before
    owners were recorded) and ``saved_at``."""
    return tuple(_profiles(store))


def get_profile(store, name: str) -> dict | None:
    """The saved profile ``name``, else None."""
    for p in _profiles(store):
        if p["name"] == name:
            return p
    return None


PROFILE_COLUMNS = ["name", "mapping_table", "columns_mapped", "saved_by", "saved_at"]


def list_profiles(store) -> pd.DataFrame:
    """Saved profiles as a table (newest first): name, mapping_table (what it loads as),
    columns_mapped, saved_by, saved_at."""
    rows = [
        {
            "name": p["name"],
            "mapping_table": p["table"],
            "columns_mapped": len(p["mapping"]),
            "saved_by": p["saved_by"],
            "saved_at": p["saved_at"],
        }
        for p in _profiles(store)
    ]
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS)


def profile_frame(profile: dict, lang: str = "en", *, every_column: bool = False) -> pd.DataFrame:
    """What a profile does, one row per mapped column (``every_column``: every column of its
    table, unmapped ones with no header, for editing): mapping_column (the canonical column's
    name in ``lang``), mapping_header (the file header that feeds it, or None), column (its code)."""
    t = TABLES[profile["table"]]
    mapping = profile["mapping"]
    cols = t.column_names if every_column else [c for c in mapping if c in t.column_names]
    rows = [
        {
            "mapping_column": t.column(c).label_zh if lang == "zh" else t.column(c).label_en,
            "mapping_header": mapping.get(c) or None,
            "column": c,
        }
        for c in cols
    ]
    out = pd.DataFrame(rows, columns=["mapping_column", "mapping_header", "column"])
    out["mapping_header"] = pd.Series([r["mapping_header"] for r in rows], dtype=object)
    return out


def mapping_from_frame(frame: pd.DataFrame) -> dict[str, str]:
    """``{column: header}`` from a (possibly edited) ``profile_frame``: rows with a header."""
    return {
        str(c): str(h)
        for c, h in zip(frame["column"], frame["mapping_header"], strict=True)
        if isinstance(h, str) and h.strip()
    }


def delete_profile(store, name: str, *, actor: str = "local") -> bool:
    """Delete the profile ``name`` (audited as ``mapping.delete`` by ``actor``); False when there is none."""
    prof = get_profile(store, name)
    details = {"table": prof["table"], "mapping": prof["mapping"], "saved_by": prof["saved_by"]} if prof else {}
    return store.delete_document(KIND, name, actor=str(actor), audit=("mapping.delete", details))


def find_profile(store, headers: list[str]) -> dict | None:
    """The newest saved profile whose header fingerprint equals that of ``headers``."""
    return match_headers(load_profiles(store), headers)


def match_headers(profiles, headers: list[str]) -> dict | None:
    fp = header_fingerprint(headers)
    for p in profiles or ():
        if p.get("fingerprint") == fp:
            return p
    return None


def match_profile(profiles, raw: RawFile) -> tuple[dict, str] | None:
    """(profile, sheet name) for the first sheet of ``raw`` whose headers match a profile. A match
    is a proposal: the person confirms it before it is applied (``ParseOptions(mapping=...)``)."""
    if not profiles or not raw.sheets:
        return None
    for sname, sheet in raw.sheets.items():
        p = match_headers(profiles, sheet.headers)
        if p:
            return p, sname
    return None
