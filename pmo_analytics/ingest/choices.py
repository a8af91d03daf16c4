"""What a parsed file leaves open for the person to decide (``ParsedUpload.open_choices``), found
once after parsing so that the CLI and the Import page ask the same questions:

- ``date_order``: date columns whose values fit both day/month and month/day (``03/04/2025``
  and none past 12): read day-first unless the person chooses (``ParseOptions.dayfirst``,
  ``--dates`` on the command line, a choice on the Import page's checks step). A file-level note
  names the columns and how to choose.
- ``project``: a table that needs a project (risks, finance periods) without a project column,
  and none chosen: the rows cannot load until one is (``--project``; a picker on the Import page).
- ``board_lists``: a board's list -> category mapping (set by the Trello reader).
"""

from __future__ import annotations

from .base import Note, ParsedUpload

DATE_NOTES = {"note.col.dates_ambiguous", "note.col.dates_chosen_dmy", "note.col.dates_chosen_mdy"}
PROJECT_PROBLEM = "validate.project_column"


def ambiguous_date_columns(parsed: ParsedUpload) -> list[str]:
    """``sheet: column`` of every date column read in an order no value decided."""
    out = []
    for n in parsed.notes:
        params = getattr(n, "params", {}) if getattr(n, "key", "") == "note.column" else {}
        if getattr(params.get("note"), "key", "") in DATE_NOTES:
            out.append(f"{params.get('where')}: {params.get('column')}")
    return list(dict.fromkeys(out))


def collect(parsed: ParsedUpload, dayfirst: bool | None = None) -> None:
    """Fill ``parsed.open_choices`` (date order, project) and add the note telling how to choose."""
    cols = ambiguous_date_columns(parsed)
    if cols:
        parsed.open_choices["date_order"] = {"columns": cols, "dayfirst": dayfirst}
        if dayfirst is None:
            parsed.notes.append(Note("note.dates_ask", columns=", ".join(cols)))
    tables = sorted({p.sheet or p.file for p in parsed.problems if p.key == PROJECT_PROBLEM})
    if tables:
        parsed.open_choices["project"] = {"where": tables}


def needs_project(parsed: ParsedUpload) -> bool:
    """True when rows were refused for want of a project (choose one and parse again)."""
    return "project" in parsed.open_choices
