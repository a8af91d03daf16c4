"""The one entry point into ingest, shared by the Import page, the CLI, the column-mapping editor
and the demo: parse an upload, propose its status date, check it against the store, load it.

The steps of an import, in order (the Import page shows one section per step):

1. **file** and **detection**: ``parse_upload`` (the format recognised, rows validated). Uploads
   are parsed in an isolated child process (memory and time limits: a hostile file cannot take
   the server down). A file no format recognises raises ``UnrecognisedFormatError``
   (``is_unrecognised``); ``read_upload``, ``suggest_mapping``, ``save_profile`` and
   ``parse_upload(mapping=...)`` map its columns by hand.
2. **status date**: the user's decision, never a silent today. The file may propose one
   (``ParsedUpload.proposed_status_date`` and ``status_date_source``: MS Project's StatusDate,
   then CurrentDate; an export timestamp; a date in the file name); ``status_date_for`` takes
   the chosen date, else the proposal, else raises ``ImportCheckError`` (choose one).
3. **checks**: ``check_import`` lists what the user must know before loading, as codes with
   parameters (translated at the edge, ``ImportCheck.text``):

   - ``duplicate`` (refused): the same content was already imported with this status date;
   - ``same_content`` (needs confirmation): the same content was imported under another date;
   - ``earlier_than_latest`` (needs confirmation): a project already has a later status date,
     so this import goes into history and does not become its current picture;
   - ``supersedes`` (information): the import replaces the snapshot an earlier import holds for
     the same project and status date;
   - ``withdrawn_before`` (information): the same content was imported and withdrawn (withdrawn
     imports are otherwise ignored: loading the file again makes a new import).
4. **load**: ``load`` re-runs the checks and refuses unconfirmed warnings (``ImportCheckError``;
   ``--force`` on the command line), then commits in one transaction (``Store.import_parsed``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from . import memory
from .errors import ImportCheckError, PmoError, UnrecognisedFormatError
from .i18n import t
from .ingest import ParsedUpload, ParseOptions, RawFile, RawSheet, parse_bytes
from .ingest import board_lists as _board_lists
from .ingest import choices as _choices
from .ingest import mapping as _mapping
from .ingest.readers import NATIVE_EXTENSIONS
from .ingest.status_dates import date_in_name

__all__ = [
    "ImportCheck",
    "ParsedUpload",
    "date_in_name",
    "check_import",
    "is_unrecognised",
    "describe_error",
    "load",
    "needs_confirmation",
    "apply_profile",
    "delete_profile",
    "get_profile",
    "list_profiles",
    "load_profiles",
    "native_files_readable",
    "UPLOAD_TYPES",
    "load_board_lists",
    "mapping_from_frame",
    "needs_project",
    "save_board_lists",
    "match_profile",
    "profile_frame",
    "profile_question",
    "update_profile",
    "parse_upload",
    "read_upload",
    "release_memory",
    "save_profile",
    "status_date_for",
    "status_date_source_text",
    "suggest_mapping",
]

# ---------------------------------------------------------------------------- parse (steps 1-2)

# file extensions the Import page accepts: spreadsheets, text, XML/JSON exports, and the native
# schedule files MPXJ reads (.mpp, .xer, .mpx ...; P6 XML / GanttProject / Planner are .xml-like)
UPLOAD_TYPES: tuple[str, ...] = (
    "xlsx",
    "xlsm",
    "csv",
    "tsv",
    "txt",
    "xml",
    "json",
    *(e.lstrip(".") for e in NATIVE_EXTENSIONS),
    "pmxml",
    "gan",
    "planner",
)


def native_files_readable() -> tuple[bool, str]:
    """(True, "") when native schedule files (.mpp, .xer ...) can be read here; else (False, the
    message key saying what is missing: ``native.no_java`` / ``native.no_mpxj``). Starts nothing."""
    from .ingest.jvm import java_status

    status = java_status()
    return status.ok, "" if status.ok else f"native.no_{status.missing}"


def parse_upload(
    name: str,
    data: bytes,
    *,
    project_id: str | None = None,
    format: str | None = None,
    max_upload_mb: int = 200,
    table: str | None = None,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    profile_name: str | None = None,
    isolated: bool = True,
    dayfirst: bool | None = None,
    list_categories: dict[str, str] | None = None,
    board_lists: tuple[dict, ...] = (),
    on_wait: Callable[[], None] | None = None,
    fields: dict[str, str] | None = None,
) -> ParsedUpload:
    """Parse one uploaded file into canonical tables plus its validation report and the status
    date it proposes. ``mapping`` (``{column: header}``) with ``table`` (and ``sheet``): parse with
    a column mapping chosen by hand or a saved one the person confirmed (``apply_profile``); a
    saved mapping is never applied without asking. ``isolated=False`` parses in this process
    (trusted files only: the demo). ``dayfirst``: the day/month order chosen for dates no value
    decides (``ParsedUpload.open_choices["date_order"]`` asks); ``list_categories``
    (``{list: category}``) and ``board_lists`` (``load_board_lists``): a board's list -> status
    category mapping chosen now, or saved for the board. ``fields`` (``{column: header}``): the
    file's fields for columns its format leaves open (MS Project's Duration1-3 as three-point
    estimates).

    Large files: refused before they are read when their estimated memory exceeds the budget
    (``memory.check_budget``); from ``PMO_LARGE_IMPORT_MB`` one at a time per process
    (``on_wait()`` is called when this one has to wait for another)."""
    if mapping is not None:
        format = "profile"
    options = ParseOptions(
        project_id=project_id,
        table=table,
        mapping=mapping,
        sheet=sheet,
        profile_name=profile_name,
        dayfirst=dayfirst,
        list_categories=list_categories,
        board_lists=tuple(board_lists),
        fields=fields,
    )
    max_bytes = max_upload_mb * 1024 * 1024
    if not isolated:
        return parse_bytes(name, data, format=format, options=options, max_bytes=max_bytes)
    from .ingest.safety import parse_isolated

    if len(data) <= max_bytes:  # a bigger file is refused by the reader, naming the limit
        memory.check_budget(name, len(data))
    with memory.large_import_slot(len(data), on_wait):
        return parse_isolated(name, data, format=format, options=options, max_bytes=max_bytes)


def read_upload(name: str, data: bytes, *, max_upload_mb: int = 200) -> RawFile:
    """The raw sheets of a file (for the column-mapping editor), read in an isolated process."""
    from .ingest.safety import read_isolated

    if len(data) <= max_upload_mb * 1024 * 1024:
        memory.check_budget(name, len(data))
    with memory.large_import_slot(len(data)):
        return read_isolated(name, data, max_bytes=max_upload_mb * 1024 * 1024)


def is_unrecognised(exc: BaseException) -> bool:
    """True when no format recognised the file (its columns can then be mapped by hand)."""
    return isinstance(exc, UnrecognisedFormatError) or getattr(exc, "key", None) == "ingest.not_recognised"


def load_profiles(store) -> tuple[dict, ...]:
    """Every saved column-mapping profile, with its owner (``saved_by``) and ``saved_at``."""
    return _mapping.load_profiles(store)


def load_board_lists(store) -> tuple[dict, ...]:
    """Every board's saved list -> category mapping (pass to ``parse_upload(board_lists=...)``)."""
    return _board_lists.load(store)


def save_board_lists(
    store, board_id: str, board_name: str, categories: dict[str, str], *, actor: str = "local"
) -> dict:
    """Remember a board's list -> category mapping for its next imports (audited as ``actor``)."""
    return _board_lists.save(store, board_id, board_name, categories, actor=actor)


def needs_project(parsed: ParsedUpload) -> bool:
    """True when the file's rows need a project it does not name (choose one, parse again)."""
    return _choices.needs_project(parsed)


def match_profile(store, raw: RawFile) -> tuple[dict, str] | None:
    """(profile, sheet name) of the saved mapping made for this file's headers, else None: a
    proposal to show and confirm (``profile_question``), never applied on its own."""
    return _mapping.match_profile(_mapping.load_profiles(store), raw)


def profile_question(profile: dict, lang: str = "en", escape: Callable[[str], str] | None = None) -> str:
    """ "Apply 'X', saved by Y on D?": the question before a saved mapping is applied."""
    esc = escape or (lambda s: s)
    at = profile.get("saved_at") or profile.get("saved")
    on = pd.Timestamp(at).strftime("%Y-%m-%d") if at else "—"
    by = profile.get("saved_by") or t("mapping.owner_unknown", lang)
    from .schema import TABLES

    spec = TABLES[profile["table"]]
    table = (spec.sheet_zh if lang == "zh" else spec.sheet_en) or profile["table"]
    return t("mapping.confirm_apply", lang, name=esc(profile["name"]), by=esc(by), on=on, table=table)


def apply_profile(name: str, data: bytes, profile: dict, sheet: str | None = None, **kw) -> ParsedUpload:
    """Parse an upload with a saved profile the person confirmed (``kw`` as ``parse_upload``)."""
    return parse_upload(
        name,
        data,
        mapping=profile["mapping"],
        table=profile["table"],
        sheet=sheet if sheet is not None else profile.get("sheet"),
        profile_name=profile["name"],
        **kw,
    )


def suggest_mapping(raw_sheet: RawSheet, table: str) -> pd.DataFrame:
    """Suggested file header per canonical column of ``table`` (see ``ingest.mapping``)."""
    return _mapping.suggest_mapping(raw_sheet, table)


def save_profile(
    store,
    name: str,
    table: str,
    mapping: dict[str, str],
    headers: list[str],
    sheet: str | None = None,
    *,
    actor: str = "local",
) -> dict:
    """Save a column mapping as a named profile owned by ``actor`` (audited), proposed for the
    next file with these headers."""
    return _mapping.save_profile(store, name, table, mapping, headers, sheet=sheet, actor=actor)


def update_profile(store, name: str, mapping: dict[str, str], *, actor: str = "local") -> dict:
    """Change a saved profile's column -> header pairs (audited as ``mapping.edit``)."""
    return _mapping.update_profile(store, name, mapping, actor=actor)


def delete_profile(store, name: str, *, actor: str = "local") -> bool:
    """Delete a saved profile (audited as ``mapping.delete``); False when there is none."""
    return _mapping.delete_profile(store, name, actor=actor)


def get_profile(store, name: str) -> dict | None:
    """The saved profile ``name``, else None."""
    return _mapping.get_profile(store, name)


def list_profiles(store) -> pd.DataFrame:
    """Saved profiles: name, mapping_table, columns_mapped, saved_by, saved_at (newest first)."""
    return _mapping.list_profiles(store)


def profile_frame(profile: dict, lang: str = "en", *, every_column: bool = False) -> pd.DataFrame:
    """A profile's mapping, one row per column: mapping_column, mapping_header, column."""
    return _mapping.profile_frame(profile, lang, every_column=every_column)


def mapping_from_frame(frame: pd.DataFrame) -> dict[str, str]:
    """``{column: header}`` from an edited ``profile_frame``."""
    return _mapping.mapping_from_frame(frame)


# ---------------------------------------------------------------------------- status date (step 3)


def status_date_source_text(parsed: ParsedUpload, lang: str = "en") -> str:
    """Where the proposed status date comes from, in words ("" when there is no proposal)."""
    if parsed.proposed_status_date is None or not parsed.status_date_source:
        return ""
    return t(f"status_date.source.{parsed.status_date_source}", lang)


def status_date_for(parsed: ParsedUpload, chosen: date | None) -> date:
    """The status date to load ``parsed`` with: the one chosen, else the one the file proposes.
    Raises ``ImportCheckError`` when there is neither: the computer's today is never assumed."""
    if chosen is not None:
        return chosen
    if parsed.proposed_status_date is not None:
        return parsed.proposed_status_date
    raise ImportCheckError(
        t("importcheck.no_status_date", "en", name=parsed.source_name),
        hint="Pass --status-date YYYY-MM-DD (or put the date in the file name, e.g. report_2026-08-31.xlsx).",
    )


# ---------------------------------------------------------------------------- checks (step 4)


@dataclass(frozen=True)
class ImportCheck:
    """One finding about loading a file with a status date: a code, its parameters, and whether
    it refuses the import (``blocking``) or needs the user's confirmation (``confirm``)."""

    code: str
    params: dict = field(default_factory=dict)
    confirm: bool = False
    blocking: bool = False

    def text(self, lang: str = "en", escape: Callable[[str], str] | None = None) -> str:
        """The finding in words (``importcheck.<code>``); ``escape`` is applied to the parameters
        that carry text from the file (its name, project ids), e.g. before Markdown shows them."""
        data = ("name", "scopes")  # text from the file; the rest (import numbers, dates) is ours
        params = {k: escape(v) if escape and k in data and isinstance(v, str) else v for k, v in self.params.items()}
        return t(f"importcheck.{self.code}", lang, **params)


def _listed(values: list[str], most: int = 5) -> str:
    shown = ", ".join(values[:most])
    return shown + (f" +{len(values) - most}" if len(values) > most else "")


def _day(value) -> date:
    return pd.Timestamp(value).date()


def check_import(store, parsed: ParsedUpload, status_date: date) -> list[ImportCheck]:
    """What loading ``parsed`` with ``status_date`` would do that the user must know first
    (codes in the module docstring), blocking findings first, then those to confirm, then
    information."""
    checks: list[ImportCheck] = []
    withdrawn: list[ImportCheck] = []
    earlier = store.imports_of_content(parsed.sha256)
    if len(earlier) and "withdrawn_at" in earlier.columns:
        # a withdrawn import of the same content neither refuses nor warns: it is named, so the
        # person knows restoring it is the other way back
        gone = earlier[earlier["withdrawn_at"].notna()]
        earlier = earlier[earlier["withdrawn_at"].isna()]
        if len(gone):
            withdrawn.append(
                ImportCheck(
                    "withdrawn_before",
                    {
                        "imports": _listed(
                            [
                                f"#{int(i)} ({_day(d).isoformat()})"
                                for i, d in zip(gone["import_id"], gone["status_date"], strict=True)
                            ]
                        )
                    },
                )
            )
    if len(earlier):
        days = [_day(d) for d in earlier["status_date"]]
        same = [int(i) for i, d in zip(earlier["import_id"], days, strict=True) if d == status_date]
        other = [(int(i), d) for i, d in zip(earlier["import_id"], days, strict=True) if d != status_date]
        if same:
            checks.append(
                ImportCheck(
                    "duplicate",
                    {"name": parsed.source_name, "id": same[0], "date": status_date.isoformat()},
                    blocking=True,
                )
            )
        if other:
            checks.append(
                ImportCheck(
                    "same_content",
                    {
                        "name": parsed.source_name,
                        "imports": _listed([f"#{i} ({d.isoformat()})" for i, d in other]),
                        "date": status_date.isoformat(),
                    },
                    confirm=True,
                )
            )
    scopes = store.scope_status(parsed, status_date)
    if len(scopes):
        latest = scopes.assign(latest_status_date=[_day(d) for d in scopes["latest_status_date"]])
        later = latest[latest["latest_status_date"] > status_date]
        if len(later):
            per = later.groupby("scope", sort=True)["latest_status_date"].max()
            checks.append(
                ImportCheck(
                    "earlier_than_latest",
                    {
                        "date": status_date.isoformat(),
                        "latest": max(per).isoformat(),
                        "scopes": _listed([f"{s} ({d.isoformat()})" for s, d in per.items()]),
                        "n": len(per),
                    },
                    confirm=True,
                )
            )
        same_date = scopes.dropna(subset=["same_date_import"])
        if len(same_date):
            ids = sorted({int(i) for i in same_date["same_date_import"]})
            checks.append(
                ImportCheck(
                    "supersedes",
                    {
                        "imports": ", ".join(f"#{i}" for i in ids),
                        "date": status_date.isoformat(),
                        "scopes": _listed(sorted({str(s) for s in same_date["scope"]})),
                    },
                )
            )
    return checks + withdrawn


def needs_confirmation(checks: list[ImportCheck]) -> bool:
    """True when any finding must be confirmed before loading."""
    return any(c.confirm for c in checks)


# ---------------------------------------------------------------------------- load (step 5)


def load(
    store,
    parsed: ParsedUpload,
    status_date: date,
    *,
    confirmed: bool = False,
    progress: Callable[[float, str], None] | None = None,
    lang: str = "en",
    on_wait: Callable[[], None] | None = None,
    access=None,
):
    """Check, then load ``parsed`` with ``status_date`` in one transaction; returns the store's
    ``ImportResult`` (``supersedes`` names the imports it replaced for that date). Raises
    ``ImportCheckError`` (database unchanged) when a finding needs confirmation and
    ``confirmed`` is False; the store refuses the same content with the same status date
    (``DuplicateImportError``) whatever is confirmed. ``access``: the signed-in person's
    ``access.Access`` (role and reach checked by the store; None = the command line)."""
    checks = check_import(store, parsed, status_date)
    unconfirmed = [c for c in checks if c.confirm and not confirmed]
    if unconfirmed and not any(c.blocking for c in checks):  # a duplicate is refused by the store
        raise ImportCheckError(
            " ".join(c.text(lang) for c in unconfirmed),
            unconfirmed,
            hint="Confirm on the Import page, or pass --force on the command line to import anyway.",
        )
    with memory.large_import_slot(_size_of(parsed), on_wait):
        return store.import_parsed(parsed, status_date, progress=progress, access=access)


def release_memory() -> None:
    """Hand memory freed by a finished or cancelled import back to the operating system."""
    memory.release()


def _size_of(parsed: ParsedUpload) -> int:
    """Bytes the parsed tables take in memory (what decides whether a load is a large one)."""
    return int(sum(df.memory_usage(index=False).sum() for df in parsed.tables.values() if len(df.columns)))


def describe_error(exc: PmoError, lang: str = "en") -> str:
    """An import error in words: the check texts in ``lang`` when it carries checks."""
    checks = getattr(exc, "checks", None)
    if checks:
        return " ".join(c.text(lang) for c in checks)
    return str(exc)
