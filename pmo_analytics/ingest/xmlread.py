"""Safe XML parsing for every XML the readers and format parsers open (MS Project XML, Jira XML,
the workbook parts of an .xlsx).

Its own module so that ``readers`` (workbook parts) and ``formats`` use it without importing
``safety`` (the isolated-process runner, which itself imports ``readers``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - only for ParseError; parsing goes through defusedxml

from ..errors import FormatError, UnsafeFileError


def parse_xml(name: str, data: bytes):
    """Parse XML bytes safely; returns the root ``Element`` with namespaces stripped from tags.

    Raises ``UnsafeFileError`` for a DTD, entity declaration or external reference, and
    ``FormatError`` (with line and column) for XML that is not well formed."""
    import defusedxml.ElementTree
    from defusedxml import DefusedXmlException

    try:
        root = defusedxml.ElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeFileError(key="xml.dtd", file=name) from exc
    except ET.ParseError as exc:
        line, col = getattr(exc, "position", (0, 0))
        raise FormatError(
            key="xml.damaged",
            params={"line": line, "col": col, "detail": str(exc)},
            file=name,
            hint_key="hint.export_again",
        ) from exc
    for el in root.iter():
        tag = el.tag
        if isinstance(tag, str) and tag[:1] == "{":
            el.tag = tag.split("}", 1)[1]
    return root
