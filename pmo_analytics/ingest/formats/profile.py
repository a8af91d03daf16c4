"""A column mapping (``ingest.mapping``): never detected from content, used only when the caller
passes ``ParseOptions(mapping=..., table=...)``: a mapping made by hand, or a saved one the person
confirmed (a saved mapping is never applied silently)."""

from __future__ import annotations

from ...errors import ConfigError
from ..base import ParsedUpload, RawFile

NAME = "profile"
LABEL = "Saved column mapping"


def detect(raw: RawFile) -> float:
    return 0.0  # a mapping is chosen by the person, never by guessing


def parse(raw: RawFile, options) -> ParsedUpload:
    from ..mapping import apply_mapping

    if not options.mapping or not options.table:
        raise ConfigError(key="config.profile_options")
    return apply_mapping(raw, dict(options.mapping), options.table, options)
