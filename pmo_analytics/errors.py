"""Error hierarchy. Every error a person sees is a ``PmoError``.

An error carries a message *key* and its *parameters* (``key="ingest.sheet_missing",
params={"sheet": "Tasks"}``) and, where known, the file, sheet, row and column it concerns.
The texts live in ``pmo_analytics/locales/errors.py`` in English and Simplified Chinese;
``str(exc)`` is the English text (CLI default, logs) and ``messages.render(exc, lang)`` renders
it in any language (pages through ``ui.guard``/``ui.error_text``, the CLI with ``--lang``).

Every message says what went wrong and what to do, in plain words, and names the file, sheet,
row and column where there is one. An error raised without a key (older call sites, tests)
keeps its literal English message in every language.
"""

from __future__ import annotations

from collections.abc import Mapping


def _english(key: str, params: Mapping[str, object]) -> str:
    from .messages import text

    return text(key, "en", params)


class PmoError(Exception):
    """Base of every error the product reports to a person.

    ``key``/``params`` name the message (``locales/errors.py``); ``hint_key`` names the advice
    shown after it (formatted with the same parameters). ``message``/``hint`` are the English
    texts, derived from the keys when not given."""

    hint: str = ""
    hint_key: str = ""

    def __init__(
        self,
        message: str = "",
        *,
        key: str = "",
        params: Mapping[str, object] | None = None,
        hint: str = "",
        hint_key: str = "",
        file: str = "",
        sheet: str = "",
        row: int | None = None,
        column: str = "",
    ) -> None:
        self.key = key
        self.params: dict[str, object] = dict(params or {})
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        if key and not message:
            message = _english(key, self.params)
        if hint_key:
            self.hint_key = hint_key
            if not hint:
                hint = _english(hint_key, self.params)
        self.message = message
        if hint:
            self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()

    def code(self) -> dict[str, object]:
        """This error as plain data (key, params, hint_key and the English text), for frames' attrs and JSON."""
        return {
            "error": type(self).__name__,
            "key": self.key,
            "params": dict(self.params),
            "hint_key": self.hint_key,
            "message": str(self),
        }

    def render(self, lang: str = "en") -> str:
        """This error in ``lang`` ("en" or "zh"); see ``messages.render``."""
        from .messages import render

        return render(self, lang)


class ConfigError(PmoError):
    """A setting or argument is invalid."""


class IngestError(PmoError):
    """A file cannot be read at all (wrong type, corrupt, hostile, too large).

    Its English message starts with where: ``file 'x.xlsx', sheet 'Tasks': ...``."""

    def __str__(self) -> str:
        from .messages import where

        body = super().__str__()
        place = where(self, "en")
        return f"{place}: {body}" if place else body


class UnsafeFileError(IngestError):
    """A file was refused because parsing it could harm the server (zip bomb, XML entities...)."""


class FileTooLargeError(IngestError):
    """A file is over the configured size limit."""


class FormatError(IngestError):
    """The file's format was not recognised or does not match the chosen format.

    ``key == "ingest.not_recognised"`` when no format recognised the file (the Import page then
    offers the column-mapping editor)."""


class UnrecognisedFormatError(FormatError):
    """No format recognised the file: its columns can be mapped by hand (Import page)."""


class ValidationError(PmoError):
    """Rows failed validation and the caller asked for all-or-nothing."""

    def __init__(self, message: str = "", problems: list | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.problems = problems or []


class StoreError(PmoError):
    """The database cannot do what was asked."""


class DuplicateImportError(StoreError):
    """The same file was already imported with the same status date."""


class ImportCheckError(PmoError):
    """An import needs a decision first: a status date to choose, or warnings to confirm
    (``importing.check_import``; ``--force`` on the command line)."""

    def __init__(self, message: str, checks: list | None = None, *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.checks = list(checks or [])


class StoreBusyError(StoreError):
    """Another process holds the database's write lock."""


class NotFoundError(StoreError):
    """An import, project or other record asked for does not exist."""


class NotAllowedError(PmoError):
    """The person's role does not allow this action (e.g. purging an import without being an admin)."""


class ExportError(PmoError):
    """An export could not be written."""


class ScheduleError(PmoError):
    """A schedule cannot be computed (e.g. its links form a loop)."""

    def __init__(self, message: str = "", *, project_id: str = "", cycle: list[str] | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.project_id = project_id
        self.cycle = list(cycle or [])
