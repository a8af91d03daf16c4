"""Format modules: one per source tool. Each exposes

- ``NAME`` (stable id used by ``--format`` and stored in ``imports.source_format``),
- ``LABEL`` (shown to people),
- ``detect(raw: RawFile) -> float`` a confidence 0..1 from headers/structure,
- ``parse(raw: RawFile, options: ParseOptions) -> ParsedUpload``.

Add a module and list it in ``FORMAT_MODULES``; ``detect_format`` picks the best score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType

from . import (
    asana_csv,
    finance_periods,
    fx_rates,
    jira_csv,
    jira_xml,
    mpxj_file,
    msproject_excel,
    msproject_xml,
    profile,
    risk_register,
    smartsheet,
    template,
    trello_json,
)

FORMAT_MODULES: list[ModuleType] = [
    template,
    jira_csv,
    jira_xml,
    msproject_excel,
    msproject_xml,
    mpxj_file,
    trello_json,
    asana_csv,
    smartsheet,
    risk_register,
    finance_periods,
    fx_rates,
    profile,
]

CONFIDENCE_BAR = 0.5

# the kinds of file (``RawFile.kind``) each format reads: a format module may say so itself
# (``KINDS``); these are the ones that do not, everything else reads sheets (xlsx, csv)
_KINDS: dict[str, tuple[str, ...]] = {"jira_xml": ("xml",), "msproject_xml": ("xml",), "trello_json": ("json",)}
SHEET_KINDS = ("xlsx", "csv")


def kinds(module: ModuleType) -> tuple[str, ...]:
    """The kinds of file ``module`` reads (xml, json; xlsx and csv for sheet formats)."""
    own: tuple[str, ...] | None = getattr(module, "KINDS", None)
    return tuple(own or _KINDS.get(module.NAME, SHEET_KINDS))


@dataclass(frozen=True)
class ParseOptions:
    """What the person told us about a file."""

    project_id: str | None = None  # fills project_id where the file has none
    table: str | None = None  # force the canonical table of a single-table file
    # a confirmed column mapping {canonical column: file header} (format "profile"), its sheet and name
    mapping: dict | None = field(default=None, hash=False)
    sheet: str | None = None
    profile_name: str | None = None
    # day/month order the person chose for dates no value decides (True: day first); None: ask
    dayfirst: bool | None = None
    # a board's list -> status category ({list name: "To Do"/"In Progress"/"Done"}), chosen by hand
    list_categories: dict | None = field(default=None, hash=False)
    # saved list mappings of boards (``ingest.board_lists.load``): the one of this board applies
    board_lists: tuple = field(default=(), hash=False)
    # source fields for columns a format leaves open: {canonical column: file header}, e.g. MS
    # Project's custom fields {"duration_optimistic": "Duration1"} (``msproject_excel.CUSTOM_COLUMNS``)
    fields: dict | None = field(default=None, hash=False)


def by_name(name: str) -> ModuleType:
    for m in FORMAT_MODULES:
        if m.NAME == name:
            return m
    known = ", ".join(m.NAME for m in FORMAT_MODULES)
    from ...errors import ConfigError

    raise ConfigError(key="config.unknown_format", params={"name": name, "known": known})


def scores(raw) -> list[tuple[str, float]]:
    """Every format's confidence for ``raw``, best first."""
    out = []
    for m in FORMAT_MODULES:
        try:
            out.append((m.NAME, float(m.detect(raw))))
        except Exception:  # a detector must never break detection for the others
            out.append((m.NAME, 0.0))
    return sorted(out, key=lambda x: -x[1])
