"""Data classes shared by readers, format modules, validation and the store."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

PROBLEM_COLUMNS = ["file", "sheet", "row", "column", "value", "problem"]


class Note(str):
    """One importer note (``ParsedUpload.notes``): its English text is the string itself, so
    ``"x" in parsed.notes`` and printing keep working; ``key``/``params`` name it in
    ``locales/notes.py`` so it can be shown in any language (``messages.note_text``).
    A plain ``str`` note (not yet keyed) has only its English text."""

    key: str
    params: Mapping[str, object]

    def __new__(cls, key: str, **params: object) -> Note:
        from .. import messages

        obj = super().__new__(cls, messages.text(key, "en", params))
        obj.key = key
        obj.params = dict(params)
        return obj

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, object]]:  # pickling rebuilds from key
        return (self.key,), dict(self.params)


@dataclass(frozen=True)
class Problem:
    """One validation finding. ``row`` is the row number a person sees in the file (1-based,
    header row included); ``None`` when the problem concerns the whole sheet or file.

    ``message`` is the English reason; ``key``/``params`` name it in ``locales/errors.py`` so the
    report can be shown in any language (``messages.problem_text``). Build one with ``Problem.of``."""

    file: str
    sheet: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: str = "error"  # "error" rejects the row (or sheet); "warning" only informs
    key: str = field(default="", compare=False)
    params: Mapping[str, object] = field(default_factory=dict, compare=False)

    @classmethod
    def of(
        cls,
        file: str,
        sheet: str,
        row: int | None,
        column: str | None,
        value: str | None,
        key: str,
        params: Mapping[str, object] | None = None,
        severity: str = "error",
    ) -> Problem:
        """A finding whose reason is message ``key`` with ``params`` (English text derived)."""
        from ..messages import text

        p = dict(params or {})
        return cls(file, sheet, row, column, value, text(key, "en", p), severity, key, p)

    def __str__(self) -> str:
        parts = [f"file {self.file!r}"]
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        where = ", ".join(parts)
        val = f" (value {self.value!r})" if self.value not in (None, "") else ""
        return f"{where}{val}: {self.message}"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "problem": self.message,
        }


class LazyRows(Sequence):
    """Rows of a sheet kept column-wise (a 2-D object array from the workbook reader, or an Arrow
    table from the CSV reader) and handed out as lists only when asked for.

    It behaves like ``list[list]`` for reading (``len``, indexing, slicing, iteration, ``==``),
    with ``None`` for blank cells, so format modules may treat ``RawSheet.rows`` as a list; the
    template path builds its frame straight from the columns (``RawSheet.frame``)."""

    def __init__(self, data, start: int = 0, stop: int | None = None) -> None:
        self._data = data  # np.ndarray (rows x columns, object) or pyarrow.Table (all strings)
        n = data.shape[0] if isinstance(data, np.ndarray) else data.num_rows
        self._start = start
        self._stop = n if stop is None else min(stop, n)

    @property
    def width(self) -> int:
        return self._data.shape[1] if isinstance(self._data, np.ndarray) else self._data.num_columns

    def __len__(self) -> int:
        return max(0, self._stop - self._start)

    def _row(self, i: int) -> list:
        if isinstance(self._data, np.ndarray):
            return [None if v == "" else v for v in self._data[i].tolist()]
        return [None if v == "" else v for v in (c[i].as_py() for c in self._data.columns)]

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step == 1:
                return LazyRows(self._data, self._start + start, self._start + max(start, stop))
            return [self[i] for i in range(start, stop, step)]
        i = key + len(self) if key < 0 else key
        if not 0 <= i < len(self):
            raise IndexError(key)
        return self._row(self._start + i)

    def __iter__(self):
        step = 4096  # in chunks: a loop that stops early (any(), a header probe) stays cheap
        for lo in range(self._start, self._stop, step):
            hi = min(lo + step, self._stop)
            if isinstance(self._data, np.ndarray):
                for r in self._data[lo:hi].tolist():
                    yield [None if v == "" else v for v in r]
                continue
            cols = [c.to_pylist() for c in self._data.slice(lo, hi - lo).columns]
            for r in zip(*cols, strict=True):
                yield [None if v == "" else v for v in r]

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def __repr__(self) -> str:
        return f"LazyRows({len(self)} rows x {self.width} columns)"

    def columns(self, width: int) -> list:
        """The first ``width`` columns (padded with blanks) as Series: object (blank cells are None
        or "") for workbook data, Arrow-backed strings ("" for blank) for CSV data."""
        n = len(self)
        out = []
        for j in range(width):
            if j >= self.width:
                out.append(pd.Series(np.full(n, None, dtype=object), dtype=object))
            elif isinstance(self._data, np.ndarray):
                out.append(pd.Series(self._data[self._start : self._stop, j], dtype=object, copy=False))
            else:
                out.append(pd.Series(self._data.column(j).slice(self._start, n), dtype="str"))
        return out


@dataclass
class RawSheet:
    """A sheet (or the single table of a CSV) as read: header row and data rows of raw values.

    Values are Python objects as the reader gives them: str for CSV; str, float, int, bool,
    datetime/date or None for xlsx. ``header_row`` is the 1-based row number of the header in
    the file so that data row i (0-based) is file row ``header_row + 1 + i``.
    """

    name: str
    headers: list[str]
    rows: list[list]
    header_row: int = 1
    first_col: int = 0  # 0-based column of the file where ``headers[0]`` sits (xlsx sheets not starting in A)
    # a header written on two rows: each column's lower cell alone ("" where none), tried when the
    # combined header ("Dates Start") names no known column but the lower cell ("Start") does
    sub_headers: list[str] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """Rows as an object DataFrame with the raw headers (duplicates made unique by .1, .2)."""
        seen: dict[str, int] = {}
        cols = []
        for h in self.headers:
            n = seen.get(h, 0)
            cols.append(h if n == 0 else f"{h}.{n}")
            seen[h] = n + 1
        width = len(cols)
        if isinstance(self.rows, LazyRows):
            arrays = self.rows.columns(width)
            frame = (
                pd.concat(arrays, axis=1, ignore_index=True) if arrays else pd.DataFrame(index=range(len(self.rows)))
            )
            frame.columns = cols
            return frame
        data = [(r + [None] * (width - len(r)))[:width] for r in self.rows]
        return pd.DataFrame(data, columns=cols, dtype=object)

    def ragged_rows(self) -> dict[int, str]:
        """Rows with non-empty values beyond the header's width: {row index: the extra values}."""
        width = len(self.headers)
        out: dict[int, str] = {}
        if isinstance(self.rows, LazyRows) and self.rows.width <= width:
            return out  # a table no wider than its header cannot have extra values
        for i, r in enumerate(self.rows):
            extra = [v for v in r[width:] if v is not None and str(v).strip() != ""]
            if extra:
                out[i] = ", ".join(str(v) for v in extra)[:200]
        return out

    def file_row(self, i: int) -> int:
        return self.header_row + 1 + i


@dataclass
class RawFile:
    """An uploaded file: its name, bytes and the kind the reader recognised."""

    name: str
    data: bytes
    kind: str  # "xlsx", "csv", "xml", "json"
    sheets: dict[str, RawSheet] = field(default_factory=dict)  # filled for xlsx/csv
    encoding: str | None = None
    delimiter: str | None = None
    warnings: list[Problem] = field(default_factory=list)  # reader findings (e.g. formulas without values)
    digest: str | None = field(default=None, repr=False, compare=False)  # sha256 of data, when known

    @property
    def sha256(self) -> str:
        if self.digest is None:
            self.digest = hashlib.sha256(self.data).hexdigest()
        return self.digest


@dataclass
class ParsedUpload:
    """Result of parsing one file: canonical tables of valid rows plus the full report."""

    source_name: str
    source_format: str
    sha256: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # ``Note``s (keyed) or plain English strings
    rows_in: int = 0
    rejected_rows: int = 0
    confidence: float = 1.0
    # the status date the file proposes (its own StatusDate, an export timestamp, a date in its
    # name) and where it came from, as a code (``ingest.status_dates``); None: the user chooses
    proposed_status_date: date | None = None
    status_date_source: str | None = None
    # what the file leaves open for the person to decide, by kind (``ingest.choices``): the list ->
    # category mapping of a board, date columns whose day/month order no value decides, a missing
    # project column
    open_choices: dict = field(default_factory=dict)

    @property
    def rows_loaded(self) -> int:
        return int(sum(len(df) for df in self.tables.values()))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    def report_frame(self, lang: str = "en") -> pd.DataFrame:
        """Every problem as a table (file, sheet, row, column, value, problem, severity), the
        reasons and severities in ``lang``."""
        from ..messages import problems_frame

        return problems_frame(self.problems, lang)

    @property
    def entities(self) -> str:
        return ",".join(sorted(k for k, v in self.tables.items() if len(v)))
