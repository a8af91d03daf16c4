"""Bytes -> ``RawFile``: recognise the container (xlsx, csv, xml, json), refuse unsafe files,
decode text (UTF-8, UTF-8 BOM, UTF-16, GB18030/GBK) and sniff CSV delimiters.

xlsx is read with python-calamine (about 5x faster than openpyxl) *after* ``check_xlsx``
has inspected the zip container: calamine allocates the declared sheet dimensions and can
abort the whole process on a crafted file, so sizes, compression ratios, declared
dimensions and DTDs are checked first.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import queue
import re
import threading
import zipfile
import zlib

import numpy as np

from ..errors import FileTooLargeError, FormatError, IngestError, UnsafeFileError
from .base import LazyRows, Problem, RawFile, RawSheet
from .xmlread import parse_xml

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
MAX_UNCOMPRESSED = 1024 * 1024 * 1024  # all parts of an xlsx together
MAX_RATIO = 200  # uncompressed / compressed, per part
MAX_CELLS = 20_000_000  # declared rows x columns of one sheet
MAX_COLUMNS = 2000

_DIM_RE = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?\"")
_CELL_REF_RE = re.compile(rb"<(?:\w+:)?c\s[^>]*\br=\"([A-Z]{1,3})(\d+)\"")
_ROW_RE = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
# an r attribute as XML allows it: spaces around "=", either quote, "$" marks (calamine reads them all)
_R_ATTR_RE = re.compile(rb"\br\s*=\s*[\"']\$?(\d+)[\"']")
_CELL_R_RE = re.compile(rb"\br\s*=\s*[\"']\$?([A-Za-z]+)\$?(\d+)[\"']")
_FORMULA_NO_VALUE_RE = re.compile(
    rb"<(?:\w+:)?c\s([^>]*)>\s*(?:<(?:\w+:)?f\b[^>]*/>|<(?:\w+:)?f\b[^>]*>[^<]*</(?:\w+:)?f>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v></(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
# a cell tag not written as <c r="..." (no reference, or one not first after a single space, as in
# <c\tr="XFD1048576">): the sheet is then walked cell by cell. Two patterns with a literal start
# ("<c", ":c") scan far faster than one "[<:]c".
_ODD_CELL_RE = re.compile(rb'<c(?:[>/]|(?! r=")\s)')
_ODD_PREFIXED_CELL_RE = re.compile(rb':c(?:[>/]|(?! r=")\s)')
_DOLLAR_REF_RE = re.compile(rb' r="[^"]*\$')  # <c r="$XFD$1048576">: walked (the fast pattern has no "$")
_FORMULA_RE = re.compile(rb"<f[\s>/]")
_PREFIXED_FORMULA_RE = re.compile(rb":f[\s>/]")
_CHUNK = 4 << 20


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + (ord(ch) - 64)
    return n


def _col_letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def check_xlsx(name: str, data: bytes) -> None:
    """Refuse an xlsx that is not a sound zip, hides a bomb, declares DTDs or huge sheets.

    Checked before calamine sees the bytes (calamine allocates rows x columns of the sheet's
    extent and aborts the process when that fails): the zip directory; each part's expansion
    ratio and the total unpacked size; a DTD or entity declaration in any XML part; and every
    worksheet's real extent, from its ``<dimension>`` and from the cells themselves (cell
    references, and cells or rows written without references, which count on from the last one).
    """
    scan_xlsx(name, data)


def scan_xlsx(name: str, data: bytes) -> dict[str, list[str]]:
    """``check_xlsx``, returning for each worksheet part the cells that hold a formula without a
    saved value (a workbook written by a program and never opened in Excel)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise FormatError(key="xlsx.damaged", file=name, hint_key="hint.resave_excel") from exc
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise FormatError(key="xlsx.zip_not_xlsx", file=name, hint_key="hint.upload_kinds")
    if not any(n.startswith("xl/worksheets/") for n in names):
        raise FormatError(key="xlsx.no_worksheets", file=name)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise FormatError(key="xlsx.encrypted", file=name, hint_key="hint.remove_password")
        total += info.file_size
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnsafeFileError(
                key="xlsx.zip_bomb",
                params={"part": info.filename, "ratio": info.file_size // max(info.compress_size, 1)},
                file=name,
            )
    if total > MAX_UNCOMPRESSED:
        raise UnsafeFileError(
            key="xlsx.unpacked_too_large",
            params={"size_mb": total // 2**20, "limit_mb": MAX_UNCOMPRESSED // 2**20},
            file=name,
        )
    formulas: dict[str, list[str]] = {}
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with zf.open(info) as fh:
                if info.filename.startswith("xl/worksheets/"):
                    formulas[info.filename] = _scan_sheet(name, info, fh)
                else:
                    head = fh.read(4096)
                    _refuse_dtd(name, info.filename, head)
        except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile, zlib.error) as exc:
            raise FormatError(
                key="xlsx.damaged_part",
                params={"part": info.filename, "detail": str(exc)},
                file=name,
                hint_key="hint.resave_excel",
            ) from exc
    return formulas


def _refuse_dtd(name: str, part: str, head: bytes) -> None:
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnsafeFileError(key="xlsx.dtd", params={"part": part}, file=name)


class _ReadAhead:
    """``fh.read(size)`` one chunk ahead in a thread: unpacking (zlib releases the GIL) overlaps
    the scan of the chunk before. Chunks and errors arrive in the order ``fh`` gives them."""

    def __init__(self, fh, size: int) -> None:
        self._q: queue.Queue = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(fh, size), daemon=True)
        self._thread.start()

    def _run(self, fh, size: int) -> None:
        while not self._stop.is_set():
            try:
                data = fh.read(size)
            except BaseException as exc:  # noqa: BLE001 - handed to the reader, raised there
                self._q.put((None, exc))
                return
            self._q.put((data, None))
            if not data:
                return

    def read(self) -> bytes:
        data, exc = self._q.get()
        if exc is not None:
            raise exc
        return data

    def close(self) -> None:
        """Stop reading and wait for the thread (``fh`` must not be closed under it)."""
        self._stop.set()
        while self._thread.is_alive():
            try:
                self._q.get(timeout=0.05)
            except queue.Empty:
                pass
        self._thread.join()


READ_AHEAD_BYTES = 8 << 20  # worksheet parts from this unpacked size are unpacked in a thread


def _scan_sheet(name: str, info: zipfile.ZipInfo, fh) -> list[str]:
    """Stream one worksheet part: refuse DTDs and an extent over the limits; list formula cells
    without a cached value. Fast path (every cell written as ``<c r="..."``): a few narrow regex
    scans per chunk; otherwise rows and cells are walked in order."""
    head = fh.read(4096)
    if info.file_size < READ_AHEAD_BYTES:
        return _scan_chunks(name, info.filename, head, lambda: fh.read(_CHUNK))
    ahead = _ReadAhead(fh, _CHUNK)
    try:
        return _scan_chunks(name, info.filename, head, ahead.read)
    finally:
        ahead.close()


def _scan_chunks(name: str, part: str, head: bytes, read) -> list[str]:
    """``_scan_sheet`` over ``head`` and then ``read()`` until it returns b""."""
    _refuse_dtd(name, part, head)
    m = _DIM_RE.search(head)
    max_col = max_row = 0
    if m:
        max_col, max_row = _col_index(m[1]), int(m[2])
        if m[3]:
            max_col, max_row = max(max_col, _col_index(m[3])), max(max_row, int(m[4]))
        _limit(name, part, max_col, max_row)
    formulas: list[str] = []
    tail = b""
    chunk = head
    pos = [0, 0]  # row and column reached, for rows/cells written without r=
    while chunk:
        buf = tail + chunk
        # keep an incomplete element at the end for the next round
        cut = buf.rfind(b"<")
        if len(chunk) and cut > 0 and buf.find(b">", cut) == -1:
            buf, tail = buf[:cut], buf[cut:]
        else:
            tail = b""
        if b"$" not in buf and not _re2_search(buf, _extent_re2(max_row, max_col)):
            # no odd cell and no reference beyond the extent seen in this chunk: the regex
            # passes below would find nothing and change nothing
            pos[0] = max(pos[0], max_row)
        elif not (
            _ODD_CELL_RE.search(buf)
            or _ODD_PREFIXED_CELL_RE.search(buf)
            or (b"$" in buf and _DOLLAR_REF_RE.search(buf))
        ):
            # every cell carries its reference (rows then do not place anything): only references
            # beyond the extent seen so far can raise it, and only those are matched
            for ref in _far_refs_pattern(max_row, max_col).findall(buf):
                letters = ref.rstrip(b"0123456789")
                if letters:
                    max_col = max(max_col, _col_index(letters))
                max_row = max(max_row, int(ref[len(letters) :]))
            pos[0] = max(pos[0], max_row)
        else:
            max_col, max_row = _walk(buf, max_col, max_row, pos)
        _limit(name, part, max_col, max_row)
        if _FORMULA_RE.search(buf) or _PREFIXED_FORMULA_RE.search(buf):
            for attrs in _FORMULA_NO_VALUE_RE.findall(buf):
                r = re.search(rb'\br="([A-Z]{1,3}\d+)"', attrs)
                formulas.append(r[1].decode() if r else "?")
        chunk = read()
    return formulas


# ``_ODD_CELL_RE`` and ``_ODD_PREFIXED_CELL_RE`` for RE2 (Arrow's regex kernels: one linear pass,
# a few times faster than ``re`` at the far-reference pattern): RE2 has no lookahead, and its \s
# lacks \v, so both are spelt out. Arrow reads binary data as Latin-1, one byte per character, as
# ``re`` does for bytes.
_ODD_CELL_RE2 = r'[<:]c(?:[>/]|[\t\n\r\f\x0b]| (?:$|[^r]|r$|r[^=]|r=$|r=[^"]))'


def _re2_search(buf: bytes, pattern: str) -> bool:
    """Whether the RE2 ``pattern`` matches anywhere in ``buf`` (a prefilter: False lets the
    scan skip ``re`` passes that would find nothing). Any Arrow error says True, so the chunk
    takes the ``re`` path as before."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        offsets = pa.array([0, len(buf)], type=pa.int32()).buffers()[1]
        arr = pa.Array.from_buffers(pa.binary(), 1, [None, offsets, pa.py_buffer(buf)])
        return bool(pc.match_substring_regex(arr, pattern=pattern)[0].as_py())
    except Exception:  # noqa: BLE001 - the prefilter only ever skips work, never a check
        return True


@functools.lru_cache(maxsize=256)
def _extent_re2(max_row: int, max_col: int) -> str:
    """``_ODD_CELL_RE``, ``_ODD_PREFIXED_CELL_RE`` or ``_far_refs_pattern(max_row, max_col)``,
    for RE2 (letters and digits never overlap, so the possessive repeat changes no match)."""
    far = _far_refs_pattern(max_row, max_col).pattern.decode("ascii").replace("{0,2}+", "{0,2}")
    return _ODD_CELL_RE2 + "|" + far


@functools.lru_cache(maxsize=256)
def _far_refs_pattern(max_row: int, max_col: int) -> re.Pattern:
    """Cell references (`` r="..."`` attributes) that could raise the extent seen so far: every
    column of 3 or more letters, every 1- or 2-letter column after ``max_col``, and every row number not
    provably below ``max_row``: one with at least as many digits when few rows share that digit
    count (``max_row`` 100001), else one with more digits or as many and a first-two-digit prefix
    at least ``max_row``'s (``max_row`` 20001). A sheet whose ``<dimension>`` is true then yields a
    few dozen matches, not one per cell; any reference beyond the extent seen is still matched
    (the columns too: a stray ``ZZ5`` in a sheet of 100,000 rows makes 70M cells)."""
    digits = str(max_row) if max_row > 0 else "0"
    n = len(digits)
    if n < 3 or (max_row - 10 ** (n - 1)) * 50 < max_row:
        rows = rb"\d{%d,}" % n
    else:
        a, b = int(digits[0]), int(digits[1])
        alts = [rb"\d{%d,}" % (n + 1), rb"%d[%d-9]\d{%d}" % (a, b, n - 2)]
        if a < 9:
            alts.append(rb"[%d-9]\d{%d}" % (a + 1, n - 1))
        rows = b"(?:" + b"|".join(alts) + b")"
    cols = [rb"[A-Z]{3,}"]  # calamine reads AAAA5 as column 18279
    if max_col < 26:
        cols.append(rb"[%s-Z]" % _col_letters(max_col + 1).encode())
    if max_col < 27:
        cols.append(rb"[A-Z]{2}")
    elif max_col < 702:
        x, y = _col_letters(max_col).encode()
        if y < ord("Z"):
            cols.append(rb"%c[%c-Z]" % (x, y + 1))
        if x < ord("Z"):
            cols.append(rb"[%c-Z][A-Z]" % (x + 1))
    # letters and digits never overlap, so the possessive [A-Z]{0,2}+ loses no match
    return re.compile(rb' r="((?:' + b"|".join(cols) + rb")\d+|[A-Z]{0,2}+" + rows + rb')"')


def _walk(buf: bytes, max_col: int, max_row: int, pos: list[int]) -> tuple[int, int]:
    """Slow path: rows and cells in document order, counting on where references are missing."""
    row, col = pos
    for mt in re.finditer(rb"<(?:\w+:)?(row|c)\b([^>]*)>", buf):
        attrs = mt[2]
        if mt[1] == b"row":
            r = _R_ATTR_RE.search(attrs)
            row = int(r[1]) if r else row + 1
            col = 0
            max_row = max(max_row, row)
        else:
            r = _CELL_R_RE.search(attrs)
            if r:
                col = _col_index(r[1].upper())
                max_row = max(max_row, int(r[2]))
            else:
                col += 1
            max_col = max(max_col, col)
            max_row = max(max_row, row)
    pos[0], pos[1] = row, col
    return max_col, max_row


def _limit(name: str, part: str, cols: int, rows: int) -> None:
    if cols > MAX_COLUMNS or cols * rows > MAX_CELLS:
        raise UnsafeFileError(
            key="xlsx.too_many_cells",
            params={
                "part": part.rsplit("/", 1)[-1],
                "cols": cols,
                "rows": rows,
                "cell": f"{_col_letters(cols)}{rows}",
                "max_cols": MAX_COLUMNS,
                "max_cells": MAX_CELLS,
            },
            file=name,
            hint_key="hint.delete_far_cells",
        )


def _refuse_xml_dtd(name: str, data: bytes) -> None:
    """A DTD (which is where entity bombs and external entities live) must come before the root
    element; exports never carry one. Refused before any parser sees the file."""
    head = data[: 1 << 20]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head or "<!DOCTYPE".encode("utf-16-le") in head:
        raise UnsafeFileError(key="xml.dtd", file=name)


# Binary or text schedule files of a scheduling tool, read by MPXJ (formats/mpxj_file.py): MS
# Project .mpp/.mpt/.mpx, Primavera P6 .xer, P3/SureTrak, Asta .pp, ProjectLibre .pod, ...
NATIVE_EXTENSIONS = (".mpp", ".mpt", ".mpx", ".xer", ".pod", ".pp", ".mpd", ".fts", ".stx", ".sdef", ".prx", ".cdpx")


def is_native_schedule(name: str, data: bytes) -> bool:
    """True for a scheduling tool's own (non-XML) file: MS Project's OLE container (the
    "Microsoft Project" stream marker), a P6 XER (``ERMHDR``), an MPX file, or a known extension."""
    head = data[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        probe = data[: 1 << 20]
        return (
            "Microsoft Project".encode("utf-16-le") in probe
            or b"MSProject" in probe
            or name.lower().endswith((".mpp", ".mpt"))
        )
    if data.lstrip(b"\xef\xbb\xbf")[:6] in (b"ERMHDR",) or data.lstrip(b"\xef\xbb\xbf")[:4] == b"MPX,":
        return True
    return name.lower().endswith(NATIVE_EXTENSIONS) and not head.lstrip().startswith(b"<")


def sniff_kind(name: str, data: bytes) -> str:
    """Container kind from the bytes (not the extension): xlsx, xml, json, csv, or native (a
    scheduling tool's own file: .mpp, .xer, .mpx ...)."""
    head = data[:8]
    if is_native_schedule(name, data):
        return "native"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0") and "EncryptedPackage".encode("utf-16-le") in data[: 1 << 20]:
        raise FormatError(key="xlsx.encrypted", file=name, hint_key="hint.remove_password_menu")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FormatError(key="xlsx.old_xls", file=name, hint_key="hint.save_as_xlsx")
    if head.startswith(b"%PDF"):
        raise FormatError(key="ingest.pdf", file=name)
    text = decode_text(name, data[:4096], probe=True).lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        return "xml"
    if text.startswith(("{", "[")):
        return "json"
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise FormatError(key="xlsx.named_but_text", file=name, hint_key="hint.rename_csv")
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
        cjk = sum(
            1
            for ch in non_ascii
            if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
        )
        if non_ascii and cjk / len(non_ascii) >= 0.9:
            return text
    except UnicodeDecodeError:
        pass
    if probe:
        return data.decode("latin-1")
    raise IngestError(key="csv.encoding", file=name, hint_key="hint.save_csv_utf8")


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


def _is_label(v) -> bool:
    """A header-like cell: text that is not a number or a date."""
    if not isinstance(v, str) or not v.strip():
        return False
    t = v.strip()
    return not re.fullmatch(r"[-+(]?[.,\s%¥$€£]*\d[\d.,\s%¥$€£]*\)?|\d{1,4}[-/.年]\d{1,2}[-/.月]\d{1,4}日?.*", t)


def _cell(v) -> str:
    return "" if v is None else " ".join(str(v).split())


def _combine(top: list, bottom: list, width: int, spans: list[tuple[int, int]] | None) -> list[str]:
    """Two header rows as one: the top label carried over the columns it spans."""
    top = [_cell(v) for v in (list(top) + [None] * width)[:width]]
    bottom = [_cell(v) for v in (list(bottom) + [None] * width)[:width]]
    filled = list(top)
    if spans:
        for c0, c1 in spans:
            for c in range(c0 + 1, min(c1 + 1, width)):
                filled[c] = top[c0] if c0 < width else ""
    else:  # no merge information (CSV): carry a label right over empty top cells that have a sub-header
        last = ""
        for c in range(width):
            if top[c]:
                last = top[c]
            elif bottom[c] and last:
                filled[c] = last
            else:
                last = ""
    return [f"{t} {b}".strip() if t and b and t != b else (b or t) for t, b in zip(filled, bottom, strict=True)]


def _two_row_header(rows: list[list], h: int, merged: list | None) -> tuple[int, int] | None:
    """(top, bottom) row indexes when the header is written on two rows, else None.

    Recognised: merged cells spanning columns in the header row (and not the whole table width,
    which is a title banner); or, without merge information, a header row with gaps whose next
    row holds only labels under those gaps, or a sparse label row right above a header whose
    names repeat (``Score`` under both ``Probability`` and ``Impact``)."""

    def filled(r):
        return [i for i, v in enumerate(r) if v is not None and str(v).strip() != ""]

    width = len(rows[h]) if h < len(rows) else 0
    head = filled(rows[h]) if h < len(rows) else []
    if not head:
        return None
    span_w = head[-1] - head[0] + 1
    if merged:
        for top in (h - 1, h):
            if top < 0 or top + 1 >= len(rows):
                continue
            group = [(c0, c1) for (r0, c0), (r1, c1) in merged if r0 == top and c1 > c0 and r1 == top]
            if group and not any(c1 - c0 + 1 >= span_w for c0, c1 in group):
                below = rows[top + 1]
                if all(_is_label(v) for v in below if v not in (None, "")) and filled(below):
                    return top, top + 1
    nxt = rows[h + 1] if h + 1 < len(rows) else []
    gaps = [i for i in range(head[0], head[-1] + 1) if i not in set(head)]
    nxt_f = filled(nxt)
    if (
        gaps
        and nxt_f
        and all(_is_label(nxt[i]) for i in nxt_f)
        and any(i in gaps for i in nxt_f)
        and h + 2 < len(rows)
        and not all(_is_label(v) for v in rows[h + 2] if v not in (None, ""))
    ):
        return h, h + 1
    if h >= 1:
        above = rows[h - 1]
        ab = filled(above)
        names = [_cell(rows[h][i]).casefold() for i in head]
        dups = {n for n in names if names.count(n) > 1}
        if len(ab) >= 2 and dups and all(_is_label(above[i]) for i in ab) and width:
            return h - 1, h
    return None


def _sheet(
    name: str,
    rows,
    *,
    row_offset: int = 0,
    col_offset: int = 0,
    merged: list | None = None,
    notes: list[tuple[int, int, str]] | None = None,
) -> RawSheet:
    """Header and data rows of one sheet. ``row_offset``/``col_offset`` place ``rows[0][0]`` in
    the file (xlsx sheets need not start at A1) so that reported row numbers are the file's.
    Spacer and title rows above the header are skipped; a header written on two rows (merged
    group labels over sub-headers) is combined into one (``Probability Score``).

    ``rows`` is a list of lists, or a 2-D object array (a workbook sheet: its data rows are then
    kept column-wise in ``LazyRows``)."""
    head = rows[:HEAD_ROWS].tolist() if isinstance(rows, np.ndarray) else rows[:HEAD_ROWS]
    h = find_header_row(head)
    two = _two_row_header(head, h, merged) if head else None
    if two:
        top, bottom = two
        width = max(len(head[top]), len(head[bottom]))
        spans = None
        if merged:
            spans = [(c0, c1) for (r0, c0), (r1, c1) in merged if r0 == top and c1 > c0]
        headers = _combine(head[top], head[bottom], width, spans)
        sub_headers = [_cell(v) for v in (list(head[bottom]) + [None] * width)[:width]]
        h = bottom
        if notes is not None:
            notes.append((top + 1 + row_offset, bottom + 1 + row_offset, ", ".join(x for x in headers if x)[:200]))
    else:
        headers = [_cell(v) for v in (head[h] if head else [])]
        sub_headers = []
    while headers and headers[-1] == "":
        headers.pop()
    data = LazyRows(rows, h + 1) if isinstance(rows, np.ndarray) else rows[h + 1 :]
    return RawSheet(
        name=name,
        headers=headers,
        rows=data,
        header_row=h + 1 + row_offset,
        first_col=col_offset,
        sub_headers=sub_headers[: len(headers)],
    )


HEAD_ROWS = 40  # rows read to find the header (find_header_row scans 30, a two-row header needs 2 more)
FAST_CSV_BYTES = 1 << 20  # CSV files from this size are read column-wise by Arrow when they allow it


def _sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample.splitlines() else ""
        return max(",;\t|", key=first.count)


def read_csv_bytes(name: str, data: bytes) -> RawFile:
    """A CSV/TSV file: encoding and delimiter detected; every value kept as text.

    Rules: the encoding is decided by ``decode_text`` (never silently wrong); the delimiter is
    sniffed among ``,`` ``;`` tab and ``|``; the header may sit below spacer/title rows; blank
    cells are ``None``. Files from 1 MiB are read column-wise by Arrow when they are regular
    (UTF-8, every row as wide as the first data row, no blank lines, quotes closed); anything
    else, and every smaller file, is read row by row with Python's csv module, which reports the
    exact line of a broken quote."""
    if len(data) >= FAST_CSV_BYTES:
        raw = _read_csv_arrow(name, data)
        if raw is not None:
            return raw
    text = decode_text(name, data)
    if not text.strip():
        raise FormatError(key="ingest.empty", file=name)
    delimiter = _sniff_delimiter(text[:65536])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list] = []
    last_ok = 0
    try:
        for r in reader:
            rows.append([v if v != "" else None for v in r])
            last_ok = reader.line_num
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise FormatError(
                key="csv.unclosed_quote", params={"line": last_ok + 1}, file=name, hint_key="hint.close_quote"
            ) from exc
        raise FormatError(
            key="csv.unparsable",
            params={"line": reader.line_num, "detail": str(exc)},
            file=name,
            hint_key="hint.check_quote",
        ) from exc
    return _csv_file(name, data, _sheet("", rows), delimiter, detect_encoding(name, data))


def _csv_file(name: str, data: bytes, sheet: RawSheet, delimiter: str, encoding: str) -> RawFile:
    if not sheet.headers:
        raise FormatError(key="csv.no_header", file=name)
    if not any(any(v is not None and str(v).strip() for v in r) for r in sheet.rows):
        raise FormatError(
            key="csv.no_data_rows",
            params={"headers": ", ".join(h for h in sheet.headers[:6] if h)},
            file=name,
            hint_key="hint.check_export_filter",
        )
    return RawFile(name=name, data=data, kind="csv", sheets={"": sheet}, encoding=encoding, delimiter=delimiter)


def _read_csv_arrow(name: str, data: bytes) -> RawFile | None:
    """The column-wise fast path of ``read_csv_bytes`` for large regular UTF-8 files, or None."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    head_bytes = body[:65536]
    cut = head_bytes.rfind(b"\n")
    try:
        head_text = head_bytes[: cut + 1 if cut >= 0 else len(head_bytes)].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\n" not in head_text:
        return None
    delimiter = _sniff_delimiter(head_text)
    reader = csv.reader(io.StringIO(head_text, newline=""), delimiter=delimiter, strict=True)
    head: list[list] = []
    ends: list[int] = []  # physical lines consumed after each record
    try:
        for r in reader:
            head.append([v if v != "" else None for v in r])
            ends.append(reader.line_num)
            if len(head) >= HEAD_ROWS:
                break
    except csv.Error:
        return None
    if len(head) < 3:
        return None
    sheet = _sheet("", head)
    first_data = sheet.header_row  # 0-based index of the first data record
    if first_data > len(ends) or any(not r for r in head[first_data:]):
        return None  # blank lines: the row-by-row reader keeps their row numbers
    skip_lines = ends[first_data - 1]
    pos = 0
    for _ in range(skip_lines):
        pos = body.index(b"\n", pos) + 1
    width = max(len(r) for r in head[first_data:]) if head[first_data:] else len(sheet.headers)
    names = [f"c{i}" for i in range(width)]
    offset = (3 if data.startswith(b"\xef\xbb\xbf") else 0) + pos
    table = None
    # Quoted line breaks need Arrow's slower serial parser. Try the parallel one first: with two or
    # more columns a value split at a line break leaves rows of the wrong width, which Arrow refuses.
    for newlines, block in ((False, 1 << 22), (True, 1 << 20)) if width > 1 else ((True, 1 << 20),):
        try:
            table = pacsv.read_csv(
                pa.BufferReader(pa.py_buffer(data).slice(offset)),
                read_options=pacsv.ReadOptions(column_names=names, block_size=block),
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter, newlines_in_values=newlines, ignore_empty_lines=False
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={c: pa.large_string() for c in names},  # what pandas "str" holds: no cast
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            break
        except (pa.ArrowInvalid, pa.ArrowException, ValueError):
            table = None
    if table is None:
        return None
    sheet = RawSheet(name="", headers=sheet.headers, rows=LazyRows(table), header_row=sheet.header_row)
    return _csv_file(name, data, sheet, delimiter, "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")


def _sheet_parts(name: str, data: bytes) -> dict[str, str]:
    """Worksheet part (``xl/worksheets/sheet1.xml``) -> sheet name, from the workbook's XML."""
    out: dict[str, str] = {}
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        wb = parse_xml(name, zf.read("xl/workbook.xml"))
        rels = parse_xml(name, zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, zipfile.BadZipFile, IngestError):
        return out
    targets = {}
    for rel in rels.iter("Relationship"):
        t = rel.get("Target") or ""
        targets[rel.get("Id")] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    for sh in wb.iter("sheet"):
        rid = next((v for k, v in sh.attrib.items() if k.endswith("}id") or k == "r:id"), None)
        if rid in targets:
            out[targets[rid]] = sh.get("name") or ""
    return out


def _grid(rows: list[list]) -> np.ndarray:
    """calamine's rows as a 2-D object array (blank cells stay "" here; ``LazyRows`` and the
    column parsers read "" as blank)."""
    widths = set(map(len, rows))
    width = max(widths, default=0)
    if len(rows) and width and len(widths) == 1:  # calamine returns rectangles
        flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=object, count=len(rows) * width)
        return flat.reshape(len(rows), width)
    grid = np.empty((len(rows), width), dtype=object)
    for i, r in enumerate(rows):  # pragma: no cover - ragged rows
        grid[i, : len(r)] = r
    return grid


def read_xlsx_bytes(name: str, data: bytes) -> RawFile:
    """An xlsx workbook, every sheet, values typed by calamine (dates as date/datetime).

    Rules: row numbers are the workbook's own (a sheet may start below row 1 or right of column
    A); a formula cell without a saved value (a workbook written by a program and never opened
    in Excel) reads as empty and is listed as a warning; merged header cells are combined."""
    formulas = scan_xlsx(name, data)
    from python_calamine import CalamineWorkbook

    warnings: list[Problem] = []
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {}
        for sheet_name in wb.sheet_names:
            sh = wb.get_sheet_by_name(sheet_name)
            rows = _grid(sh.to_python(skip_empty_area=True))
            start = sh.start or (0, 0)
            try:
                merged = [
                    ((r0 - start[0], c0 - start[1]), (r1 - start[0], c1 - start[1]))
                    for (r0, c0), (r1, c1) in (sh.merged_cell_ranges or [])
                ]
            except Exception:  # noqa: BLE001 - merge information is optional
                merged = []
            notes: list[tuple[int, int, str]] = []  # two-row headers: (top, bottom, combined)
            sheets[sheet_name] = _sheet(
                sheet_name, rows, row_offset=start[0], col_offset=start[1], merged=merged, notes=notes
            )
            warnings.extend(
                Problem.of(
                    name,
                    sheet_name,
                    None,
                    None,
                    None,
                    "xlsx.two_row_header",
                    {"top": top, "bottom": bottom, "headers": combined},
                    "warning",
                )
                for top, bottom, combined in notes
            )
    except IngestError:
        raise
    except Exception as exc:  # calamine raises its own error types
        raise FormatError(key="xlsx.unreadable", params={"detail": str(exc)}, file=name) from exc
    if not any(sh.headers for sh in sheets.values()):
        raise FormatError(key="xlsx.empty", file=name)
    if not any(any(v is not None and str(v).strip() for v in r) for sh in sheets.values() for r in sh.rows):
        raise FormatError(key="xlsx.no_data_rows", file=name, hint_key="hint.check_export_filter")
    if any(formulas.values()):
        parts = _sheet_parts(name, data)
        for part, cells in formulas.items():
            if not cells:
                continue
            sheet_name = parts.get(part, part.rsplit("/", 1)[-1])
            shown = ", ".join(cells[:20]) + (" …" if len(cells) > 20 else "")
            warnings.append(
                Problem.of(name, sheet_name, None, None, shown, "xlsx.formulas_no_value", {"n": len(cells)}, "warning")
            )
    return RawFile(name=name, data=data, kind="xlsx", sheets=sheets, warnings=warnings)


def read_upload(name: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawFile:
    """Recognise and read one uploaded file. xml/json are returned undecoded for format modules."""
    if len(data) > max_bytes:
        raise FileTooLargeError(
            key="ingest.too_large",
            params={"size_mb": len(data) / 2**20, "limit_mb": max_bytes / 2**20},
            file=name,
            hint_key="hint.split_or_raise_limit",
        )
    if not data or (not data[:4096].strip() and not data.strip()):  # strip() copies: only when needed
        raise FormatError(key="ingest.empty", file=name)
    kind = sniff_kind(name, data)
    if kind == "native":  # read by MPXJ in formats/mpxj_file.py
        return RawFile(name=name, data=data, kind=kind)
    if kind == "xml":
        _refuse_xml_dtd(name, data)
    if kind == "xlsx":
        return read_xlsx_bytes(name, data)
    if kind == "csv":
        return read_csv_bytes(name, data)
    return RawFile(name=name, data=data, kind=kind, encoding=detect_encoding(name, data))
