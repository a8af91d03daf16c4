"""The xlsx safety scan's RE2 prefilter (``readers._re2_search`` with ``readers._extent_re2``)
skips a chunk only when the ``re`` patterns it stands for find nothing there. Hand-written
cases first, then random byte strings built from the tokens that matter."""

from __future__ import annotations

import random

import pytest

from pmo_analytics.ingest import readers


def _re_says(buf: bytes, max_row: int, max_col: int) -> bool:
    return bool(
        readers._ODD_CELL_RE.search(buf)
        or readers._ODD_PREFIXED_CELL_RE.search(buf)
        or readers._far_refs_pattern(max_row, max_col).search(buf)
    )


@pytest.mark.parametrize(
    "buf, expected",
    [
        (b'<row r="5"><c r="B5" t="n"><v>1</v></c></row>', False),  # inside A1:R100001
        (b'<c r="S5"><v>1</v></c>', True),  # column S is past R
        (b'<c r="AA5"><v>1</v></c>', True),  # two letters past R
        (b'<c r="XFD1048576"><v>1</v></c>', True),
        (b'<c r="B100002"><v>1</v></c>', True),  # a row past 100001
        (b"<c><v>1</v></c>", True),  # a cell without a reference
        (b"<c/>", True),
        (b'<c\tr="B5">', True),  # reference not after a single space
        (b'<c\x0br="B5">', True),  # \v is whitespace to re
        (b'<c  r="B5">', True),
        (b'<c t="n" r="B5">', True),  # reference not first
        (b"<x:c>", True),  # prefixed cell without a reference
        (b'<x:c r="B5">', False),
        (b"<c r", True),  # cut at the end of the buffer: re's lookahead passes there
        (b"<c ", True),
        (b"<c r=", True),
        (b'<c r="', False),
        (b'<col min="1" max="3"/><cols>', False),  # <col, <cols are not cells
        (b"\xff\xfe<c\xa0", False),  # \xa0 is not whitespace to re's bytes patterns
        (b"", False),
    ],
)
def test_prefilter_cases(buf, expected):
    assert _re_says(buf, 100_001, 18) is expected  # the cases are right about re itself
    assert readers._re2_search(buf, readers._extent_re2(100_001, 18)) is expected


TOKENS = [
    b"<c",
    b":c",
    b"<x",
    b" ",
    b"\t",
    b"\x0b",
    b"\n",
    b" r=",
    b' r="',
    b"r",
    b"=",
    b'"',
    b"'",
    b">",
    b"/",
    b"$",
    b"A",
    b"R",
    b"S",
    b"Z",
    b"AB",
    b"XFD",
    b"1",
    b"9",
    b"00",
    b"100001",
    b"1048576",
    b"20001",
    b"\xe4\xb8\xad",
    b"\xa0",
    b"<v>",
    b"</c>",
    b"<row ",
]


@pytest.mark.parametrize("seed", range(4))
def test_prefilter_agrees_with_re_on_random_bytes(seed):
    rnd = random.Random(seed)
    extents = [(0, 0), (1, 1), (99, 25), (100_001, 18), (20_001, 30), (5000, 701), (1_048_576, 16384)]
    for _ in range(1500):
        buf = b"".join(rnd.choice(TOKENS) for _ in range(rnd.randint(0, 14)))
        max_row, max_col = rnd.choice(extents)
        expected = _re_says(buf, max_row, max_col)
        got = readers._re2_search(buf, readers._extent_re2(max_row, max_col))
        assert got is expected, (buf, max_row, max_col)


def test_prefilter_error_means_search():
    # a pattern RE2 refuses: the prefilter must answer "maybe", never "nothing here"
    assert readers._re2_search(b"<c>", "(?!x)") is True


def _scan_outcome(data: bytes):
    try:
        return ("ok", readers.scan_xlsx("f.xlsx", data))
    except Exception as exc:  # noqa: BLE001 - the outcome is compared, whatever it is
        return (type(exc).__name__, str(exc))


def _hostile_and_fixture_workbooks() -> list[bytes]:
    from tests.conftest import DATA
    from tests.test_hostile_files import far_cells, lying_dimension, stray_column, tab_before_reference

    files = [far_cells(), lying_dimension(), stray_column(), tab_before_reference()]
    files += [p.read_bytes() for p in sorted(DATA.glob("*.xlsx"))]
    return files


def test_read_ahead_scans_as_the_plain_loop(monkeypatch):
    """Big worksheet parts are unpacked in a thread one chunk ahead: the outcome (refusal
    message, formula cells, damage) is the one of the plain loop. Small chunks make every
    fixture take many rounds."""
    files = _hostile_and_fixture_workbooks()
    monkeypatch.setattr(readers, "_CHUNK", 97)
    plain = [_scan_outcome(d) for d in files]
    monkeypatch.setattr(readers, "READ_AHEAD_BYTES", 0)
    ahead = [_scan_outcome(d) for d in files]
    assert ahead == plain
    kinds = [o[0] for o in plain]
    assert kinds[:4] == ["UnsafeFileError"] * 4  # the four hostile workbooks are refused either way
    assert "FormatError" in kinds  # broken_truncated.xlsx
    assert any(o[0] == "ok" and any(o[1].values()) for o in plain)  # broken_formulas_without_values.xlsx
