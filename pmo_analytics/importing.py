"""One entry point for parsing an upload, shared by the Import page and the CLI.

Uploads are parsed in an isolated child process when ``pmo_analytics.ingest.safety`` is
available (memory and time limits: a hostile file cannot take the server down); otherwise
in-process behind the container checks of ``ingest.readers``.
"""

from __future__ import annotations

from .ingest import ParsedUpload, ParseOptions, parse_bytes


def parse_upload(
    name: str,
    data: bytes,
    *,
    project_id: str | None = None,
    format: str | None = None,
    max_upload_mb: int = 200,
    table: str | None = None,
    profiles: tuple[dict, ...] = (),
) -> ParsedUpload:
    """Parse one uploaded file into canonical tables plus its validation report. ``profiles``
    (``ingest.mapping.load_profiles(store)``): saved column mappings applied to a file no
    format recognises when its headers match one."""
    options = ParseOptions(project_id=project_id, table=table, profiles=tuple(profiles))
    kwargs = dict(format=format, options=options, max_bytes=max_upload_mb * 1024 * 1024)
    try:
        from .ingest.safety import parse_isolated
    except ImportError:
        return parse_bytes(name, data, **kwargs)
    return parse_isolated(name, data, **kwargs)
