"""Status dates a file proposes for itself (never the computer's today).

A format module sets ``ParsedUpload.proposed_status_date`` and ``status_date_source`` when the
file's content carries a date that says "as of" (MS Project's ``StatusDate``, then its
``CurrentDate``; an export timestamp: Jira's RSS header, a Trello board's last activity).
Otherwise ``parse_bytes`` tries the file name (``report_2026-08-31.xlsx``, ``plan 20260831.csv``).
The importer shows the proposal and its source; the user confirms or chooses another date.

Source codes (stable; translated at the edge as ``status_date.source.<code>``):
``mspdi_status_date``, ``mspdi_current_date``, ``native_status_date``, ``native_current_date`` (an
.mpp/.xer/P6 XML file's status or data date, then current date, read by MPXJ), ``jira_rss_generated``,
``trello_last_activity``, ``rss_build_date`` (an RSS 2.0 feed's ``lastBuildDate``), ``file_name``.
"""

from __future__ import annotations

import re
from datetime import date

from .base import ParsedUpload

MSPDI_STATUS_DATE = "mspdi_status_date"
MSPDI_CURRENT_DATE = "mspdi_current_date"
JIRA_RSS_GENERATED = "jira_rss_generated"
TRELLO_LAST_ACTIVITY = "trello_last_activity"
RSS_BUILD_DATE = "rss_build_date"
FILE_NAME = "file_name"
NATIVE_STATUS_DATE = "native_status_date"  # an .mpp's status date, a P6 file's data date (via MPXJ)
NATIVE_CURRENT_DATE = "native_current_date"
SOURCES = (
    MSPDI_STATUS_DATE,
    MSPDI_CURRENT_DATE,
    NATIVE_STATUS_DATE,
    NATIVE_CURRENT_DATE,
    JIRA_RSS_GENERATED,
    TRELLO_LAST_ACTIVITY,
    RSS_BUILD_DATE,
    FILE_NAME,
)

# year 19xx/20xx, then month and day: separated by one of - _ . / or Chinese 年月日, or run together
# (20260831); never part of a longer run of digits (an order number 1202608310 is not a date)
_NAME_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})(?:([-_./])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})日?|(\d{2})(\d{2}))(?!\d)"
)


def dates_in_name(name: str) -> list[date]:
    """Every valid calendar date written year-first in a file name, in order of appearance."""
    stem = re.split(r"[\\/]", name)[-1]
    out = []
    for m in _NAME_DATE.finditer(stem):
        y = int(m.group(1))
        mo, d = next((m.group(i), m.group(i + 1)) for i in (3, 5, 7) if m.group(i))
        try:
            out.append(date(y, int(mo), int(d)))
        except ValueError:
            continue
    return out


def date_in_name(name: str) -> date | None:
    """The status date a file name proposes: its latest year-first date (``report_2026-08-01_to_
    2026-08-31.xlsx`` -> 2026-08-31), or None."""
    found = dates_in_name(name)
    return max(found) if found else None


def propose(parsed: ParsedUpload, value: date | None, source: str) -> bool:
    """Set the proposal on ``parsed`` unless it has one already (the first source found wins).
    Returns True when ``value`` was taken."""
    if value is None or parsed.proposed_status_date is not None:
        return False
    parsed.proposed_status_date = value
    parsed.status_date_source = source
    return True
