"""A saved column mapping (``ingest.mapping``): not detected from content, chosen by
``parse_bytes`` when a file's header fingerprint matches a profile in ``ParseOptions.profiles``
or when the caller passes ``format="profile"`` with ``ParseOptions(mapping=..., table=...)``."""

from __future__ import annotations

from ...errors import ConfigError
from ..base import ParsedUpload, RawFile

NAME = "profile"
LABEL = "Saved column mapping"


def detect(raw: RawFile) -> float:
    return 0.0  # profiles are matched by header fingerprint in parse_bytes, never by guessing


def parse(raw: RawFile, options) -> ParsedUpload:
    from ..mapping import apply_mapping

    if not options.mapping or not options.table:
        raise ConfigError(key="config.profile_options")
    return apply_mapping(raw, dict(options.mapping), options.table, options)
