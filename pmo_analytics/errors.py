"""Error hierarchy. Pages turn any ``PmoError`` into ``st.error(str(err))``; the CLI prints it.

Every message says what went wrong and what to do, in plain words, and names
the file, sheet, row and column where there is one.
"""

from __future__ import annotations


class PmoError(Exception):
    """Base of every error the product reports to a person."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        if hint:
            self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class ConfigError(PmoError):
    """A setting or argument is invalid."""


class IngestError(PmoError):
    """A file cannot be read at all (wrong type, corrupt, hostile, too large)."""

    def __init__(self, message: str, *, file: str = "", sheet: str = "", hint: str = "") -> None:
        where = ", ".join(p for p in (f"file {file!r}" if file else "", f"sheet {sheet!r}" if sheet else "") if p)
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.file = file
        self.sheet = sheet


class UnsafeFileError(IngestError):
    """A file was refused because parsing it could harm the server (zip bomb, XML entities...)."""


class FileTooLargeError(IngestError):
    """A file is over the configured size limit."""


class FormatError(IngestError):
    """The file's format was not recognised or does not match the chosen format."""


class UnrecognisedFormatError(FormatError):
    """No format recognised the file: its columns can be mapped by hand (Import page)."""


class ValidationError(PmoError):
    """Rows failed validation and the caller asked for all-or-nothing."""

    def __init__(self, message: str, problems: list | None = None, *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
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


class ExportError(PmoError):
    """An export could not be written."""


class ScheduleError(PmoError):
    """A schedule cannot be computed (e.g. its links form a loop)."""

    def __init__(self, message: str, *, project_id: str = "", cycle: list[str] | None = None, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.project_id = project_id
        self.cycle = list(cycle or [])
