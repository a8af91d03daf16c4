"""Hostile and broken uploads: a clear error, the server process stays up, the database unchanged.

The corpus is built here in memory (bombs are not stored in the repo). Each file goes through the
real upload path, ``safety.parse_isolated`` (child process with memory and time limits), and the
exact message is checked; afterwards this process still parses a good file and the store is as
it was. python-calamine aborts the whole process on some of these files when called directly;
``test_calamine_abort_is_contained`` shows the child absorbs that."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date

import pytest

from pmo_analytics.errors import FileTooLargeError, FormatError, IngestError, UnsafeFileError
from pmo_analytics.ingest import parse_bytes, readers
from pmo_analytics.ingest.safety import parse_isolated, read_isolated
from tests.conftest import DATA

CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WB = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Tasks" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)


def xlsx(sheet_xml: str | bytes, *, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WB)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for k, v in (extra or {}).items():
            z.writestr(k, v)
    return buf.getvalue()


def sheet(cells: str, head: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'{head}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{cells}</sheetData></worksheet>"
    )


def far_cells() -> bytes:  # 1.6 KB; calamine tries to allocate 16384 x 1048576 cells and aborts
    return xlsx(
        sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>b</t></is></c></row>'
        )
    )


def far_cells_without_refs() -> bytes:  # the same extent written without cell references
    return xlsx(
        sheet(
            '<row r="1"><c t="inlineStr"><is><t>a</t></is></c></row><row r="1048576">'
            + '<c t="n"><v>1</v></c>' * 16384
            + "</row>"
        )
    )


def lying_dimension() -> bytes:  # declares A1:B2, writes a cell far away
    return xlsx(
        sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
            '<row r="2"><c r="ZZ5000000" t="n"><v>1</v></c></row>'
        ).replace("<sheetData>", '<dimension ref="A1:B2"/><sheetData>')
    )


def tab_before_reference() -> bytes:  # far cell written <c\tr="XFD1048576">: once passed the scan's fast path
    return xlsx(
        sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
            '<row r="1048576"><c\tr="XFD1048576" t="inlineStr"><is><t>b</t></is></c></row>'
        )
    )


def stray_column() -> bytes:  # a true A1:A100000 plus one cell at ZZ5: 702 x 100,000 cells (2.2 GB)
    return xlsx(
        sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
            '<row r="5"><c r="ZZ5" t="n"><v>1</v></c></row>'
            '<row r="100000"><c r="A100000" t="n"><v>1</v></c></row>'
        ).replace("<sheetData>", '<dimension ref="A1:A100000"/><sheetData>')
    )


def zip_bomb() -> bytes:  # 60 MB of sheet XML in a ~60 KB zip
    return xlsx(sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>' + " " * 60_000_000 + "</t></is></c></row>"))


def dtd_workbook() -> bytes:
    return xlsx(sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', head=LAUGHS[21:]))


def truncated() -> bytes:
    return (DATA / "broken_truncated.xlsx").read_bytes()


MSPDI_LAUGHS = (
    LAUGHS + '<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol9;</Name><Tasks/></Project>'
).encode()
QUADRATIC = (
    '<?xml version="1.0"?><!DOCTYPE kaboom [<!ENTITY a "' + "x" * 50_000 + '">]>'
    '<rss version="0.92"><channel><item><key>' + "&a;" * 50_000 + "</key></item></channel></rss>"
).encode()
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<rss version="0.92"><!-- RSS generated by JIRA --><channel><item><key>&xxe;</key></item></channel></rss>'
)
ENCRYPTED = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512

CORPUS = [
    (
        "far.xlsx",
        far_cells,
        UnsafeFileError,
        "file 'far.xlsx': sheet sheet1.xml spans 16,384 columns x 1,048,576 rows (to cell XFD1048576), over the limit "
        "of 2,000 columns and 20,000,000 cells Delete the stray far-away cells, save, and upload again.",
    ),
    ("norefs.xlsx", far_cells_without_refs, UnsafeFileError, "over the limit of 2,000 columns and 20,000,000 cells"),
    ("lying.xlsx", lying_dimension, UnsafeFileError, "spans 702 columns x 5,000,000 rows (to cell ZZ5000000)"),
    ("tab.xlsx", tab_before_reference, UnsafeFileError, "spans 16,384 columns x 1,048,576 rows"),
    ("stray.xlsx", stray_column, UnsafeFileError, "spans 702 columns x 100,000 rows (to cell ZZ100000)"),
    ("bomb.xlsx", zip_bomb, UnsafeFileError, "part xl/worksheets/sheet1.xml expands"),
    (
        "dtd.xlsx",
        dtd_workbook,
        UnsafeFileError,
        "file 'dtd.xlsx': part xl/worksheets/sheet1.xml declares a DTD or XML entities, which workbooks never need; "
        "refused",
    ),
    (
        "laughs.xml",
        lambda: MSPDI_LAUGHS,
        UnsafeFileError,
        "file 'laughs.xml': the XML declares a DTD or entities (used by 'billion laughs' and XXE attacks); exports "
        "from Jira and MS Project never need them, so the file was refused",
    ),
    (
        "quadratic.xml",
        lambda: QUADRATIC,
        UnsafeFileError,
        "file 'quadratic.xml': the XML declares a DTD or entities (used by 'billion laughs' and XXE attacks); exports "
        "from Jira and MS Project never need them, so the file was refused",
    ),
    ("xxe.xml", lambda: XXE, UnsafeFileError, "declares a DTD or entities"),
    (
        "cut.xlsx",
        truncated,
        FormatError,
        "file 'cut.xlsx': the workbook is damaged or truncated and cannot be opened Open it in Excel and save it "
        "again, or export it as CSV.",
    ),
    (
        "renamed.xlsx",
        lambda: (DATA / "broken_csv_renamed.xlsx").read_bytes(),
        FormatError,
        "file 'renamed.xlsx': the file is named .xlsx but is not an Excel workbook (it looks like text) Rename it to "
        ".csv if it is CSV, or save it from Excel as .xlsx.",
    ),
    ("empty.csv", lambda: b"", FormatError, "file 'empty.csv': the file is empty"),
    (
        "header.csv",
        lambda: (DATA / "broken_header_only.csv").read_bytes(),
        FormatError,
        "file 'header.csv': the file has a header row (Project ID, Task ID, Task, Start, Finish) but no data rows "
        "Check the filter or view used for the export, and export again.",
    ),
    (
        "quote.csv",
        lambda: (DATA / "broken_unterminated_quote.csv").read_bytes(),
        FormatError,
        "file 'quote.csv': the CSV cannot be parsed near line 2: a quoted value that starts on line 2 is never closed "
        '(the file ends inside it) Add the missing closing quote (") on that line, or export the file again.',
    ),
    (
        "locked.xlsx",
        lambda: ENCRYPTED,
        FormatError,
        "file 'locked.xlsx': the workbook is password-protected (encrypted) Remove the password in Excel (File > "
        "Info > Protect Workbook), save, and upload again.",
    ),
    ("deep.json", lambda: b"[" * 200_000 + b"]" * 200_000, FormatError, "the format was not recognised"),
]


@pytest.mark.parametrize(("name", "build", "error", "message"), CORPUS, ids=[c[0] for c in CORPUS])
def test_hostile_and_broken_files_give_a_clear_error(name, build, error, message):
    with pytest.raises(error) as err:
        parse_isolated(name, build(), timeout_s=60)
    assert message in str(err.value)


def test_fifty_megabyte_workbook_over_the_upload_limit():
    data = b"PK\x03\x04" + bytes(50 * 2**20)
    with pytest.raises(FileTooLargeError) as err:
        parse_isolated("big.xlsx", data, max_bytes=20 * 2**20)
    assert str(err.value) == (
        "file 'big.xlsx': the file is 50.0 MiB, over the 20 MiB upload limit Split it, or raise PMO_MAX_UPLOAD_MB."
    )


def test_ragged_rows_are_reported_per_row():
    p = parse_isolated("ragged.csv", (DATA / "broken_ragged.csv").read_bytes())
    assert sorted(str(x) for x in p.problems) == [
        "file 'ragged.csv', row 3, column 'Finish': a value is required",
        "file 'ragged.csv', row 4 (value 'extra, cells'): the row has more values than the header has columns (5); "
        "a delimiter or quote is probably wrong",
    ]


def test_checks_refuse_in_process_too():
    """The container checks run before calamine even without the child process."""
    for name, build in (
        ("far.xlsx", far_cells),
        ("norefs.xlsx", far_cells_without_refs),
        ("lying.xlsx", lying_dimension),
        ("dtd.xlsx", dtd_workbook),
    ):
        with pytest.raises(UnsafeFileError):
            readers.check_xlsx(name, build())
    with pytest.raises(UnsafeFileError):
        parse_bytes("laughs.xml", MSPDI_LAUGHS)


@pytest.mark.parametrize("chunk", [4 << 20, 64])
def test_a_far_cell_below_the_last_row_still_counts(monkeypatch, chunk):
    """<dimension> says A1:C30000 and is true for rows, but a cell in column ZZ (702) sits on row
    15000: 702 x 30000 = 21.06M cells, over the 20M limit. The scan matches only references that
    can raise the extent seen so far; a 2-letter column past C is one of them, in every chunk."""
    monkeypatch.setattr(readers, "_CHUNK", chunk)
    data = xlsx(
        sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
            '<row r="15000"><c r="ZZ15000" t="n"><v>1</v></c></row>'
            '<row r="30000"><c r="C30000" t="n"><v>1</v></c></row>'
        ).replace("<sheetData>", '<dimension ref="A1:C30000"/><sheetData>')
    )
    with pytest.raises(UnsafeFileError, match="spans 702 columns x 30,000 rows"):
        readers.check_xlsx("wide.xlsx", data)


FAR_CELL_SPELLINGS = {  # each one a far cell calamine reads (and aborts on, measured), spelt oddly
    "tab": '<c\tr="XFD1048576" t="n">',
    "newline": '<c\nr="XFD1048576" t="n">',
    "single quotes": "<c r='XFD1048576' t=\"n\">",
    "spaces around =": '<c r = "XFD1048576" t="n">',
    "dollar signs": '<c r="$XFD$1048576" t="n">',
    "leading zeros": '<c r="XFD001048576" t="n">',
    "not the first attribute": '<c t="n" r="XFD1048576">',
}


@pytest.mark.parametrize("tag", FAR_CELL_SPELLINGS.values(), ids=list(FAR_CELL_SPELLINGS))
def test_far_cell_spelt_any_way_xml_allows_is_refused(tag):
    data = xlsx(
        sheet(f'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="1048576">{tag}<v>1</v></c></row>')
    )
    with pytest.raises(UnsafeFileError, match="spans 16,384 columns x 1,048,576 rows"):
        readers.check_xlsx("odd.xlsx", data)


def test_four_letter_column_is_refused():
    """calamine reads AAAA5 as column 18,279 (measured: a 5 x 18,279 sheet)."""
    data = xlsx(
        sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
            '<row r="5"><c r="AAAA5" t="n"><v>1</v></c></row>'
        )
    )
    with pytest.raises(UnsafeFileError, match="spans 18,279 columns x 5 rows"):
        readers.check_xlsx("wide.xlsx", data)


@pytest.mark.parametrize("build", [stray_column, tab_before_reference])
def test_small_files_that_once_slipped_past_the_scan_are_refused_in_process(build):
    """Under 2 KB each; calamine aborts the process on both (2.2 GB and 512 GB allocations, measured).
    The scan once looked only at references with as many digits as the last row (missing ZZ5 in
    a sheet of 100,000 rows) and only at references after a single space (missing <c\tr=...>)."""
    data = build()
    assert len(data) < 2000
    with pytest.raises(UnsafeFileError, match="over the limit"):
        readers.check_xlsx("small.xlsx", data)


@pytest.mark.parametrize(
    ("max_row", "max_col", "ref", "matched"),
    [
        (20001, 18, "R19999", False),  # below the rows seen (first two digits 19 < 20)
        (20001, 18, "A9999", False),  # fewer digits
        (20001, 18, "R20001", True),  # same first two digits: not provably below, so checked
        (20001, 18, "A20002", True),  # one row further
        (20001, 18, "A30000", True),
        (20001, 18, "A100000", True),
        (20001, 18, "S2", True),  # one column further
        (20001, 18, "AA2", True),
        (20001, 18, "XFD1", True),
        (19999, 30, "AD15000", False),  # AD = 30
        (19999, 30, "AE5", True),
        (19999, 30, "B20000", True),
        (99999, 702, "ZZ50000", False),
        (99999, 702, "AAA1", True),
        (99999, 702, "AAAA1", True),
        (100001, 18, "A99999", False),  # few rows share 100001's six digits: the digit count decides
        (100001, 18, "A100000", True),
        (0, 0, "A1", True),  # nothing seen yet: everything counts
    ],
)
def test_far_reference_pattern(max_row, max_col, ref, matched):
    """Every reference beyond the extent seen is matched; most references inside it are not."""
    found = readers._far_refs_pattern(max_row, max_col).findall(f'<c r="{ref}" t="n">'.encode())
    assert bool(found) is matched


def test_calamine_abort_is_contained():
    """Call calamine on the far-cells workbook in a child without the checks: the child dies, the caller gets
    an UnsafeFileError and carries on."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(target=_calamine_direct, args=(far_cells(),))
    proc.start()
    proc.join(120)
    assert proc.exitcode not in (0, None)  # SIGABRT: the whole process would have gone


def _calamine_direct(data: bytes) -> None:  # pragma: no cover - runs in a child that aborts
    import resource

    from python_calamine import CalamineWorkbook

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.environ["RUST_BACKTRACE"] = "0"
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Tasks").to_python()


def sparse_but_large() -> bytes:
    """Within the extent limits (2,000 x 9,000 = 18M cells) but calamine allocates the whole range."""
    return xlsx(
        sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
            '<row r="9000"><c r="BXX9000" t="n"><v>1</v></c></row>'
        )
    )


def test_memory_and_time_limits_end_the_child_not_the_caller():
    with pytest.raises(UnsafeFileError) as err:
        parse_isolated("sparse.xlsx", sparse_but_large(), memory_mb=256)
    assert "nothing was imported" in str(err.value)
    data = (DATA / "msproject_task_table.xlsx").read_bytes()
    with pytest.raises(UnsafeFileError) as err:
        parse_isolated("plan.xlsx", data, timeout_s=0.001)
    assert "took longer than 0.001 seconds and was stopped" in str(err.value)


@pytest.mark.parametrize("name", ["jira_cloud_all_fields.csv", "msproject_task_table.xlsx", "trello_board.json"])
def test_isolated_results_equal_in_process_results(name):
    import pandas as pd

    a = parse_bytes(name, (DATA / name).read_bytes())
    b = parse_isolated(name, (DATA / name).read_bytes())
    assert a.tables.keys() == b.tables.keys()
    for k in a.tables:
        pd.testing.assert_frame_equal(a.tables[k], b.tables[k])
    assert [str(x) for x in a.problems] == [str(x) for x in b.problems] and a.notes == b.notes


def test_errors_cross_the_process_boundary_with_their_details():
    with pytest.raises(FormatError) as err:
        parse_isolated("cut.xlsx", truncated())
    assert err.value.file == "cut.xlsx" and err.value.hint.startswith("Open it in Excel")
    raw = read_isolated("plan.csv", (DATA / "jira_server_current_fields.csv").read_bytes())
    assert raw.sheets[""].headers[:3] == ["Issue Type", "Key", "Summary"]


def test_after_the_corpus_the_process_answers_and_the_store_is_unchanged(store):
    good = (DATA / "msproject_task_table.xlsx").read_bytes()
    store.import_parsed(parse_isolated("plan.xlsx", good), date(2025, 2, 1))
    before = (store.counts(), len(store.imports()))
    pid = os.getpid()
    for name, build, _, _ in CORPUS:
        with pytest.raises(IngestError):
            store.import_parsed(parse_isolated(name, build(), timeout_s=60), date(2025, 2, 8))
    assert os.getpid() == pid
    assert (store.counts(), len(store.imports())) == before
    again = parse_isolated("plan.xlsx", good)  # still answers
    assert again.rows_loaded == 14


def test_hostile_upload_through_the_import_page(app_db):
    from tests.conftest import run_app

    at = run_app("20_import.py")
    at.file_uploader[0].set_value(("far.xlsx", far_cells(), "application/vnd.ms-excel")).run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "spans 16,384 columns x 1,048,576 rows" in errors
    at.file_uploader[0].set_value(
        ("plan.xlsx", (DATA / "msproject_task_table.xlsx").read_bytes(), "application/vnd.ms-excel")
    ).run()
    assert not at.exception, at.exception
    assert any("MS Project Excel export" in m.value for m in at.markdown)
