"""Bytes -> ``RawFile``: recognise the container (xlsx, csv, xml, json), refuse unsafe files,
decode text (UTF-8, UTF-8 BOM, UTF-16, GB18030/GBK) and sniff CSV delimiters.

xlsx is read with python-calamine (about 5x faster than openpyxl) *after* ``check_xlsx``
has inspected the zip container: calamine allocates the declared sheet dimensions and can
abort the whole process on a crafted file, so sizes, compression ratios, declared
dimensions and DTDs are checked first.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

from ..errors import FileTooLargeError, FormatError, IngestError, UnsafeFileError
from .base import RawFile, RawSheet

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
MAX_UNCOMPRESSED = 1024 * 1024 * 1024  # all parts of an xlsx together
MAX_RATIO = 200  # uncompressed / compressed, per part
MAX_CELLS = 20_000_000  # declared rows x columns of one sheet
MAX_COLUMNS = 2000

_DIM_RE = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_CELL_REF_RE = re.compile(rb"<(?:\w+:)?c\s[^>]*\br=\"([A-Z]{1,3})(\d+)\"")


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + (ord(ch) - 64)
    return n


def check_xlsx(name: str, data: bytes) -> None:
    """Refuse an xlsx that is not a sound zip, hides a bomb, declares DTDs or huge sheets."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FormatError(
            "the workbook is damaged or truncated and cannot be opened",
            file=name,
            hint="Open it in Excel and save it again, or export it as CSV.",
        ) from exc
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise FormatError(
            "this is a zip file but not an Excel .xlsx workbook", file=name, hint="Upload .xlsx, .csv, .xml or .json."
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnsafeFileError(
                f"part {info.filename} expands {info.file_size // max(info.compress_size, 1)}x when unpacked "
                "(a zip bomb); refused",
                file=name,
            )
    if total > MAX_UNCOMPRESSED:
        raise UnsafeFileError(
            f"the workbook unpacks to {total // 2**20} MiB, over the {MAX_UNCOMPRESSED // 2**20} MiB limit", file=name
        )
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with zf.open(info) as fh:
                head = fh.read(4096)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise UnsafeFileError(
                        f"part {info.filename} declares a DTD or XML entities, which workbooks never need; refused",
                        file=name,
                    )
                if info.filename.startswith("xl/worksheets/"):
                    _check_dimensions(name, info.filename, head, fh)
        except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as exc:
            raise FormatError(f"part {info.filename} is damaged: {exc}", file=name) from exc


def _check_dimensions(name: str, part: str, head: bytes, fh) -> None:
    m = _DIM_RE.search(head)
    refs: list[tuple[int, int]] = []
    if m:
        refs.append((_col_index(m[1]), int(m[2])))
        if m[3]:
            refs.append((_col_index(m[3]), int(m[4])))
    # Scan cell references too: a file may lie in (or omit) its <dimension>.
    max_col = max_row = 0
    chunk = head
    tail = b""
    while chunk:
        buf = tail + chunk
        for c, r in _CELL_REF_RE.findall(buf):
            max_col = max(max_col, _col_index(c))
            max_row = max(max_row, int(r))
        tail = buf[-64:]
        chunk = fh.read(1 << 20)
    refs.append((max_col, max_row))
    cols = max(c for c, _ in refs)
    rows = max(r for _, r in refs)
    if cols > MAX_COLUMNS or cols * rows > MAX_CELLS:
        raise UnsafeFileError(
            f"sheet {part.rsplit('/', 1)[-1]} spans {cols:,} columns x {rows:,} rows, "
            f"over the limit of {MAX_COLUMNS:,} columns and {MAX_CELLS:,} cells",
            file=name,
            hint="Delete the stray far-away cells, save, and upload again.",
        )


def sniff_kind(name: str, data: bytes) -> str:
    """Container kind from the bytes (not the extension): xlsx, xml, json or csv."""
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FormatError(
            "this is an old binary Excel (.xls) workbook", file=name, hint="Save it as .xlsx in Excel and upload again."
        )
    if head.startswith(b"%PDF"):
        raise FormatError("this is a PDF, not a data export", file=name)
    text = decode_text(name, data[:4096], probe=True).lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        return "xml"
    if text.startswith(("{", "[")):
        return "json"
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise FormatError(
            "the file is named .xlsx but is not an Excel workbook (it looks like text)",
            file=name,
            hint="Rename it to .csv if it is CSV, or save it from Excel as .xlsx.",
        )
    return "csv"


def decode_text(name: str, data: bytes, *, probe: bool = False) -> str:
    """Decode text: BOMs first, then UTF-8, then GB18030 (when it yields Chinese), never silently wrong."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict" if not probe else "ignore")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="strict" if not probe else "ignore")
    if len(data) >= 4 and data[1::2][:64].count(0) > 24 and data[0::2][:64].count(0) < 4:
        return data.decode("utf-16-le", errors="strict" if not probe else "ignore")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if probe and exc.start > len(data) - 4:
            return data[: exc.start].decode("utf-8")
    try:
        text = data.decode("gb18030")
        non_ascii = [ch for ch in text if ord(ch) > 127]
        cjk = sum(1 for ch in non_ascii if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
        if non_ascii and cjk / len(non_ascii) >= 0.9:
            return text
    except UnicodeDecodeError:
        pass
    if probe:
        return data.decode("latin-1")
    raise IngestError(
        "the text is not in a recognised encoding (UTF-8, UTF-16 or GB18030/GBK)",
        file=name,
        hint="Save it as 'CSV UTF-8' and upload again.",
    )


def detect_encoding(name: str, data: bytes) -> str:
    """Name of the encoding ``decode_text`` would use."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        decode_text(name, data)
        return "gb18030"


def find_header_row(rows: list[list], scan: int = 30) -> int:
    """Index of the header row: the first row whose filled cells reach half the widest row
    among the first ``scan`` rows (spacer and title rows above a header are skipped)."""

    def filled(r):
        return sum(1 for v in r if v is not None and str(v).strip() != "")

    widths = [filled(r) for r in rows[:scan]]
    if not widths:
        return 0
    target = max(2, (max(widths) + 1) // 2) if max(widths) >= 2 else 1
    for i, w in enumerate(widths):
        if w >= target:
            return i
    return 0


def _sheet(name: str, rows: list[list]) -> RawSheet:
    h = find_header_row(rows)
    headers = ["" if v is None else str(v).strip() for v in (rows[h] if rows else [])]
    while headers and headers[-1] == "":
        headers.pop()
    return RawSheet(name=name, headers=headers, rows=rows[h + 1 :], header_row=h + 1)


def read_csv_bytes(name: str, data: bytes) -> RawFile:
    """A CSV/TSV file: encoding and delimiter detected; every value kept as text."""
    text = decode_text(name, data)
    if not text.strip():
        raise FormatError("the file is empty", file=name)
    sample = text[:65536]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample.splitlines() else ""
        delimiter = max(",;\t|", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list] = []
    try:
        for r in reader:
            rows.append([v if v != "" else None for v in r])
    except csv.Error as exc:
        raise FormatError(
            f"the CSV cannot be parsed near line {reader.line_num}: {exc}",
            file=name,
            hint="A quote is probably not closed; check that line in a text editor.",
        ) from exc
    sheet = _sheet("", rows)
    if not sheet.headers:
        raise FormatError("the file has no header row", file=name)
    return RawFile(
        name=name,
        data=data,
        kind="csv",
        sheets={"": sheet},
        encoding=detect_encoding(name, data),
        delimiter=delimiter,
    )


def read_xlsx_bytes(name: str, data: bytes) -> RawFile:
    """An xlsx workbook, every sheet, values typed by calamine (dates as date/datetime)."""
    check_xlsx(name, data)
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {}
        for sheet_name in wb.sheet_names:
            rows = wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=True)
            rows = [[None if v == "" else v for v in r] for r in rows]
            sheets[sheet_name] = _sheet(sheet_name, rows)
    except IngestError:
        raise
    except Exception as exc:  # calamine raises its own error types
        raise FormatError(f"the workbook cannot be read: {exc}", file=name) from exc
    return RawFile(name=name, data=data, kind="xlsx", sheets=sheets)


def read_upload(name: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawFile:
    """Recognise and read one uploaded file. xml/json are returned undecoded for format modules."""
    if len(data) > max_bytes:
        raise FileTooLargeError(
            f"the file is {len(data) / 2**20:.1f} MiB, over the {max_bytes / 2**20:.0f} MiB upload limit",
            file=name,
            hint="Split it, or raise PMO_MAX_UPLOAD_MB.",
        )
    if not data or not data.strip():
        raise FormatError("the file is empty", file=name)
    kind = sniff_kind(name, data)
    if kind == "xlsx":
        return read_xlsx_bytes(name, data)
    if kind == "csv":
        return read_csv_bytes(name, data)
    return RawFile(name=name, data=data, kind=kind, encoding=detect_encoding(name, data))
