"""Import path: bytes -> ``RawFile`` -> detected format -> ``ParsedUpload`` (typed canonical
tables, every problem listed, the status date the file proposes). Nothing here touches the database; ``store.import_parsed``
commits a ``ParsedUpload`` in one transaction."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import UnrecognisedFormatError
from .base import ParsedUpload, Problem, RawFile, RawSheet
from .choices import collect
from .formats import CONFIDENCE_BAR, SHEET_KINDS, ParseOptions, by_name, kinds, scores
from .normalize import date_order
from .readers import DEFAULT_MAX_BYTES, read_upload
from .status_dates import FILE_NAME, date_in_name, propose

HASH_AHEAD_BYTES = 16 << 20  # uploads from this size are hashed while they are read

__all__ = [
    "ParsedUpload",
    "Problem",
    "RawFile",
    "RawSheet",
    "ParseOptions",
    "parse_bytes",
    "parse_path",
    "detect",
]


def detect(raw: RawFile) -> tuple[str, float, list[tuple[str, float]]]:
    """(best format name, its confidence, every score) for a read file."""
    ranked = scores(raw)
    name, score = ranked[0] if ranked else ("", 0.0)
    return name, score, ranked


def parse_bytes(
    name: str,
    data: bytes,
    *,
    format: str | None = None,
    options: ParseOptions | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParsedUpload:
    """Read, detect and parse one file. Raises ``IngestError`` subclasses for unreadable files;
    row-level problems are returned in the result, never raised."""
    options = options or ParseOptions()
    if len(data) >= HASH_AHEAD_BYTES and len(data) <= max_bytes:
        # hash a big upload in a thread while it is read (hashlib releases the GIL)
        with ThreadPoolExecutor(max_workers=1) as pool:
            digest = pool.submit(lambda: hashlib.sha256(data).hexdigest())
            raw = read_upload(name, data, max_bytes=max_bytes)
            raw.digest = digest.result()
    else:
        raw = read_upload(name, data, max_bytes=max_bytes)
    if not format and options.mapping and options.table:
        format = "profile"
    if format:
        module = by_name(format)
        confidence = 1.0
    else:
        best, confidence, ranked = detect(raw)
        if confidence < CONFIDENCE_BAR:
            # best guesses among the formats that read this kind of file (an XML file is not
            # offered CSV formats)
            ranked = [(n, s) for n, s in ranked if raw.kind in kinds(by_name(n))] or ranked
            tried = ", ".join(f"{n} {s:.0%}" for n, s in ranked[:4])
            # columns can be mapped by hand in a sheet, not in an XML or JSON document
            raise UnrecognisedFormatError(
                key="ingest.not_recognised",
                params={"tried": tried},
                file=name,
                hint_key="hint.template_or_map" if raw.kind in SHEET_KINDS else "hint.xml_json_formats",
            )
        module = by_name(best)
    with date_order(options.dayfirst):
        parsed = module.parse(raw, options)
    parsed.confidence = confidence
    collect(parsed, options.dayfirst)
    # reader findings (formula cells without values, combined header rows) lead the report
    parsed.problems[:0] = [w for w in raw.warnings if w not in parsed.problems]
    propose(parsed, date_in_name(name), FILE_NAME)  # only when the content proposed none
    return parsed


def parse_path(path: str | Path, **kw) -> ParsedUpload:
    """``parse_bytes`` for a file on disk."""
    p = Path(path)
    return parse_bytes(p.name, p.read_bytes(), **kw)
