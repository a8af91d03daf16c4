"""Bad-input corpus: hostile, broken and awkward files through the real upload path.

Every case goes through the Import page (``AppTest`` file_uploader on ``pages/20_import.py``,
which parses in the isolated child process of ``ingest.safety``) and, when the file is refused,
through the command line as well (``python -m pmo_analytics import``, called in-process). Each
case checks three things:

- a *specific* message (the words that say what is wrong, and where), never a traceback;
- the app still answers afterwards (a second run of the page renders without an exception);
- the database is unchanged (row counts of every table, the imports list and a content hash).

Files that are awkward but legitimate (GBK without a declaration, UTF-16, semicolons with
decimal commas, Excel serial dates, identifiers such as 00123) must be read *correctly*: those
cases check the parsed values shown on the page instead of an error. Nothing is committed.

Fixture files from the importer's ``tests/data`` are used where they exist (truncated xlsx, CSV
renamed .xlsx, empty, header only, ragged, unterminated quote, formulas without values, the
two-row merged header), and the importer's hostile builders from ``tests/test_hostile_files.py``
(far cells, lying dimension, zip bomb, DTD workbooks, XML bombs, XXE, encrypted); the variants
that file does not have (a declared XFD1048576 dimension, DTDs in sharedStrings, a quadratic
blow-up inside a worksheet) are built here, in memory.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pmo_analytics import cli
from pmo_analytics import store as store_mod
from pmo_analytics.ingest import parse_bytes
from pmo_analytics.schema import TABLES
from tests.helpers import PROJECTS, TASKS, template_bytes, workbook_bytes
from tests.test_hostile_files import (  # the importer's hostile builders, reused
    ENCRYPTED,
    LAUGHS,
    MSPDI_LAUGHS,
    QUADRATIC,
    XXE,
    dtd_workbook,
    far_cells,
    far_cells_without_refs,
    lying_dimension,
    zip_bomb,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
IMPORT_PAGE = str(ROOT / "pages" / "20_import.py")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CSV_HEAD = "Project ID,Task ID,Task name,Start,Finish\n"
CSV_ROW = "P9,1,Design,2025-01-06,2025-01-10\n"


# ----------------------------------------------------------------------------- builders
def _fixture(name: str) -> bytes:
    p = DATA / name
    if not p.exists():  # pragma: no cover - the importer's fixtures are committed
        pytest.skip(f"tests/data/{name} is missing")
    return p.read_bytes()


def _base_xlsx() -> bytes:
    return workbook_bytes({"Tasks": TASKS})


def rezip(base: bytes, replace: dict[str, bytes]) -> bytes:
    """``base`` (an xlsx) with some parts replaced or added."""
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for k, v in replace.items():
            if k not in src.namelist():
                z.writestr(k, v)
    return out.getvalue()


def _sheet_xml(base: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(base)).read("xl/worksheets/sheet1.xml")


def sparse_dimension_xlsx() -> bytes:
    """Two cells, A1 and XFD1048576: a reader that allocates the extent needs 17 billion cells."""
    base = _base_xlsx()
    xml = _sheet_xml(base)
    xml = xml.replace(b'<dimension ref="A1:J4" />', b'<dimension ref="A1:XFD1048576" />')
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    xml = xml.replace(b"</sheetData>", far)
    return rezip(base, {"xl/worksheets/sheet1.xml": xml})


def billion_laughs_xlsx() -> bytes:
    sst = LAUGHS.encode() + (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>&lol9;</t></si></sst>"
    )
    return rezip(_base_xlsx(), {"xl/sharedStrings.xml": sst})


def quadratic_blowup_xlsx() -> bytes:
    """One 50,000-character entity referenced 50,000 times (2.5 GB of text, no nesting)."""
    big = b"A" * 50_000
    xml = _sheet_xml(_base_xlsx())
    body = xml.replace(b"<is><t>Design</t></is>", b"<is><t>" + b"&a;" * 50_000 + b"</t></is>")
    doc = b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY a "' + big + b'">]>\n' + body
    return rezip(_base_xlsx(), {"xl/worksheets/sheet1.xml": doc})


def xxe_xlsx() -> bytes:
    sst = (
        b'<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>&xxe;</t></si></sst>"
    )
    return rezip(_base_xlsx(), {"xl/sharedStrings.xml": sst})


def deep_json() -> bytes:
    """A Trello-looking board nested 200,000 levels deep."""
    return b'{"name": "b", "lists": [], "idBoard": "1", "cards": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"


def merged_header_xlsx() -> bytes:
    """A task sheet whose header spans two rows (a merged group row above the column names)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tasks"
    ws.append(["Project ID", "Task ID", "Task name", "Dates", None, "Cost", None])
    ws.append([None, None, None, "Start", "Finish", "Budget", "Actual cost"])
    ws.append(["P9", "1", "Design", date(2025, 1, 6), date(2025, 1, 10), 100, 40])
    for rng in ("A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:G1"):
        ws.merge_cells(rng)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def serial_dates_xlsx() -> bytes:
    """Dates stored as bare numbers (Excel serials, no date format): 45663 = 2025-01-06."""
    return workbook_bytes(
        {"Tasks": [["Project ID", "Task ID", "Task name", "Start", "Finish"], ["P9", "1", "A", 45663, 45667]]}
    )


def gbk_csv() -> bytes:
    text = "项目编号,任务编号,任务名称,开始时间,完成时间,预算\nP9,1,设计评审,2025-01-06,2025-01-10,1000\n"
    return text.encode("gbk")


def utf16_csv() -> bytes:
    return ("\ufeff" + CSV_HEAD.replace(",", "\t") + "P9\t1\t需求分析\t2025-01-06\t2025-01-10\n").encode("utf-16-le")


def semicolon_decimal_comma_csv() -> bytes:
    return b"Project ID;Task ID;Task name;Start;Finish;Budget\r\nP9;1;Design;06.01.2025;10.01.2025;1.234,50\r\n"


def mixed_dates_csv() -> bytes:
    return (
        CSV_HEAD + "P9,1,Leap,2024/02/29,2024-03-01\nP9,2,Impossible,2024/02/30,2024-03-01\n"
        "P9,3,Month 13,2024-01-05,2024-13-01\nP9,4,Words,6 Jan 2025,2025年1月10日\n"
    ).encode()


def identifiers_csv() -> bytes:
    return (CSV_HEAD + "00123,2E05,A,2025-01-06,2025-01-10\n4e492493924924,007,B,2025-01-06,2025-01-10\n").encode()


def sql_column_names_csv() -> bytes:
    return b'Project ID,Task ID,Task name,Start,Finish,"a""; drop table x; --"\nP9,1,A,2025-01-06,2025-01-10,z\n'


def duplicate_columns_csv() -> bytes:
    return b"Project ID,Task ID,Task name,Start,Finish,Finish\nP9,1,A,2025-01-06,2025-01-10,2025-02-01\n"


def empty_column_name_csv() -> bytes:
    return b"Project ID,,Task ID,Task name,Start,Finish\nP9,stray,1,A,2025-01-06,2025-01-10\n"


def latin1_csv() -> bytes:
    return (CSV_HEAD + "P9,1,Caf\xe9 d\xe9cor \xb1,2025-01-06,2025-01-10\n").encode("latin-1")


def oversize_csv() -> bytes:
    """1.5 MiB of valid rows; the limit is set to 1 MiB for this case."""
    row = CSV_ROW.encode()
    return CSV_HEAD.encode() + row * ((3 << 19) // len(row) + 1)


def formula_injection_csv() -> bytes:
    return (CSV_HEAD + 'P9,1,"=HYPERLINK(""http://evil"",""x"")",2025-01-06,2025-01-10\n').encode()


# ----------------------------------------------------------------------------- cases
@dataclass
class Case:
    id: str
    name: str
    build: Callable[[], bytes]
    # "refused": the file is not read (error on the page, CLI exit 1);
    # "rows": read, with row problems in the report; "read": read correctly.
    kind: str
    words: list[str] = field(default_factory=list)  # all must appear in the message(s)
    check: Callable | None = None  # (parsed tables dict) -> None, for "rows"/"read" cases
    env: dict = field(default_factory=dict)
    project: str = ""  # the page's "Project ID for files that have none"


def _plain(v):
    """Timestamps as dates so expected values can be written as ``date(...)``."""
    if isinstance(v, pd.Timestamp):
        return v.date() if v == v.normalize() else v.to_pydatetime()
    return v


def _rows_check(table: str = "tasks", **expected) -> Callable:
    def check(tables):
        t = tables[table]
        for col, want in expected.items():
            got = [_plain(v) for v in t[col].tolist()]
            assert got == want, (col, got)

    return check


_tasks_check = _rows_check


CASES = [
    Case("sparse_dimension", "far.xlsx", sparse_dimension_xlsx, "refused", ["XFD1048576", "over the limit"]),
    Case("far_cells", "far2.xlsx", far_cells, "refused", ["XFD1048576", "over the limit"]),
    Case(
        "far_cells_without_refs", "far3.xlsx", far_cells_without_refs, "refused", ["1,048,576 rows", "over the limit"]
    ),
    Case("lying_dimension", "lie.xlsx", lying_dimension, "refused", ["ZZ5000000", "over the limit"]),
    Case("dtd_in_sheet", "dtd.xlsx", dtd_workbook, "refused", ["xl/worksheets/sheet1.xml", "DTD"]),
    Case("encrypted", "secret.xlsx", lambda: ENCRYPTED, "refused", ["password-protected"]),
    Case("zip_bomb", "bomb.xlsx", zip_bomb, "refused", ["zip bomb", "xl/worksheets/sheet1.xml"]),
    Case("billion_laughs", "laughs.xlsx", billion_laughs_xlsx, "refused", ["xl/sharedStrings.xml", "DTD"]),
    Case("quadratic_blowup", "quad.xlsx", quadratic_blowup_xlsx, "refused", ["sheet1.xml", "DTD"]),
    Case("xxe", "xxe.xlsx", xxe_xlsx, "refused", ["xl/sharedStrings.xml", "DTD or XML entities"]),
    Case("laughs_xml", "plan.xml", lambda: MSPDI_LAUGHS, "refused", ["billion laughs", "refused"]),
    Case("xxe_xml", "plan2.xml", lambda: XXE, "refused", ["XXE", "refused"]),
    Case("quadratic_xml", "jira.xml", lambda: QUADRATIC, "refused", ["DTD or entities", "refused"]),
    Case("deep_json", "board.json", deep_json, "refused", ["board.json", "JSON"]),
    Case(
        "truncated_xlsx",
        "cut.xlsx",
        lambda: _fixture("broken_truncated.xlsx"),
        "refused",
        ["damaged or truncated"],
    ),
    Case(
        "csv_renamed_xlsx",
        "renamed.xlsx",
        lambda: _fixture("broken_csv_renamed.xlsx"),
        "refused",
        ["named .xlsx but is not an Excel workbook"],
    ),
    Case("old_xls", "old.xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "refused", [".xls"]),
    Case("pdf", "report.csv", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "refused", ["PDF"]),
    Case("empty", "empty.csv", lambda: _fixture("broken_empty.csv"), "refused", ["the file is empty"]),
    Case("blank", "blank.csv", lambda: b" \r\n\r\n  \n", "refused", ["the file is empty"]),
    Case(
        "header_only",
        "header.csv",
        lambda: _fixture("broken_header_only.csv"),
        "refused",
        ["has a header row", "but no data rows"],
    ),
    Case("header_only_xlsx", "header.xlsx", lambda: workbook_bytes({"Tasks": [TASKS[0]]}), "refused", ["no data rows"]),
    Case(
        "unterminated_quote",
        "quote.csv",
        lambda: _fixture("broken_unterminated_quote.csv"),
        "refused",
        ["line 2", "never closed"],
    ),
    Case("latin1", "latin.csv", latin1_csv, "refused", ["not in a recognised encoding"]),
    Case(
        "oversize", "big.csv", oversize_csv, "refused", ["over the 1 MiB upload limit"], env={"PMO_MAX_UPLOAD_MB": "1"}
    ),
    Case("unrecognised", "misc.csv", lambda: b"colour,size\nred,3\n", "refused", ["format was not recognised"]),
    Case("ragged", "ragged.csv", lambda: _fixture("broken_ragged.csv"), "rows", ["more values than the header"]),
    Case(
        "impossible_dates",
        "dates.csv",
        mixed_dates_csv,
        "rows",
        ["2024/02/30", "2024-13-01", "expected a date"],
        _tasks_check(task_id=["1", "4"], start=[date(2024, 2, 29), date(2025, 1, 6)]),
    ),
    Case(
        "formulas_without_values",
        "formulas.xlsx",
        lambda: _fixture("broken_formulas_without_values.xlsx"),
        "rows",
        ["formula cells have no saved value", "F3"],
    ),
    Case(
        "merged_header",
        "risks.xlsx",
        lambda: _fixture("risk_register_two_row_header.xlsx"),
        "read",
        ["header is written on rows 1 and 2", "Probability Score"],
        _rows_check("risks", risk_id=["K1", "K2"], probability_score=[1, 3]),
        project="P9",
    ),
    Case(
        "gbk",
        "gbk.csv",
        gbk_csv,
        "read",
        [],
        _tasks_check(name=["设计评审"], bac=[1000.0], start=[date(2025, 1, 6)]),
    ),
    Case("utf16", "utf16.csv", utf16_csv, "read", [], _tasks_check(name=["需求分析"], finish=[date(2025, 1, 10)])),
    Case(
        "semicolon_decimal_comma",
        "semi.csv",
        semicolon_decimal_comma_csv,
        "read",
        [],
        _tasks_check(bac=[1234.5], start=[date(2025, 1, 6)]),
    ),
    Case("serial_dates", "serial.xlsx", serial_dates_xlsx, "read", [], _tasks_check(start=[date(2025, 1, 6)])),
    Case(
        "identifiers",
        "ids.csv",
        identifiers_csv,
        "read",
        [],
        _tasks_check(project_id=["00123", "4e492493924924"], task_id=["2E05", "007"]),
    ),
    Case(
        "sql_column_name",
        "sqlcol.csv",
        sql_column_names_csv,
        "read",
        ['columns not used: a"; drop table x; --'],
        _tasks_check(task_id=["1"]),
    ),
    Case(
        "duplicate_columns",
        "dup.csv",
        duplicate_columns_csv,
        "read",
        ["columns not used: Finish.1"],
        _tasks_check(finish=[date(2025, 1, 10)]),
    ),
    Case("empty_column_name", "emptycol.csv", empty_column_name_csv, "read", [], _tasks_check(task_id=["1"])),
    Case(
        "formula_injection",
        "inject.csv",
        formula_injection_csv,
        "read",
        [],
        _tasks_check(name=['=HYPERLINK("http://evil","x")']),
    ),
]


# ----------------------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory) -> Path:
    """A database holding one import, so "unchanged" compares real content."""
    db = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    store_mod.Store(db).import_parsed(parse_bytes("seed.xlsx", template_bytes()), date(2025, 1, 31))
    store_mod.close_all()
    return db


def fingerprint(db: Path) -> tuple:
    """Counts of every table, the imports list and a hash of every row of every table."""
    s = store_mod.Store(db)
    h = hashlib.sha256()
    for name in [*TABLES, "imports", "documents"]:
        df = s.query(f'SELECT * FROM "{name}" ORDER BY ALL')
        h.update(name.encode() + df.to_csv(index=False).encode())
    return s.counts(), len(s.imports()), h.hexdigest()


def page_text(at: AppTest) -> str:
    """Everything a person reads on the page: messages, markdown, text and table cells."""
    parts = [e.value for e in (*at.error, *at.warning, *at.info, *at.success)]
    parts += [m.value for m in at.markdown] + [t.value for t in at.text]
    for df in at.dataframe:
        parts.append(df.value.to_csv(index=False))
    return "\n".join(str(p) for p in parts)


def upload(at: AppTest, case: Case, data: bytes) -> AppTest:
    if case.project:
        at.text_input(key="import_project").set_value(case.project).run()
    mime = XLSX_MIME if case.name.endswith(".xlsx") else "text/plain"
    return at.file_uploader[0].set_value((case.name, data, mime)).run()


# ----------------------------------------------------------------------------- tests
def test_corpus_has_at_least_25_cases():
    assert len(CASES) >= 25
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_upload_on_the_import_page(case: Case, seeded_db, monkeypatch):
    monkeypatch.setenv("PMO_DB", str(seeded_db))
    for k, v in case.env.items():
        monkeypatch.setenv(k, v)
    data = case.build()
    before = fingerprint(seeded_db)
    at = AppTest.from_file(IMPORT_PAGE, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    upload(at, case, data)
    assert not at.exception, [e.value for e in at.exception]
    text = page_text(at)
    assert "Traceback" not in text
    commit = [b for b in at.button if b.label.startswith("Load ")]
    if case.kind == "refused":
        errors = [e.value for e in at.error if f"{case.name} was not loaded." in e.value]
        assert errors, text
        for w in case.words:
            assert w in errors[0], (w, errors[0])
        assert not commit, "a refused file must not offer a commit"
    else:
        parsed = [p for p in at.session_state["import_parsed"].values() if not isinstance(p, Exception)]
        assert len(parsed) == 1, text
        from pmo_analytics.i18n import t

        assert f"Detected: {t('format.' + parsed[0].source_format, 'en')}" in text
        for w in case.words:
            assert w in text, (w, text)
        if case.kind == "rows":
            assert parsed[0].rejected_rows > 0 or parsed[0].warnings
            report = at.dataframe[0].value
            assert {"Row", "Column", "Problem"} <= set(report.columns), report.columns  # labels.label
        else:
            assert parsed[0].rejected_rows == 0, [str(p) for p in parsed[0].errors]
        if case.check:
            case.check(parsed[0].tables)
        assert commit and commit[0].label == f"Load {parsed[0].rows_loaded} valid rows"
    # the app still answers, and nothing reached the database
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert fingerprint(seeded_db) == before
    store_mod.close_all()


REFUSED = [c for c in CASES if c.kind == "refused" and not c.env]
WITH_ROW_ERRORS = [c for c in CASES if c.kind == "rows" and c.id != "formulas_without_values"]


@pytest.mark.parametrize("case", REFUSED, ids=[c.id for c in REFUSED])
def test_command_line_refuses_with_the_same_message(case: Case, seeded_db, tmp_path, capsys):
    path = tmp_path / case.name
    path.write_bytes(case.build())
    before = fingerprint(seeded_db)
    store_mod.close_all()
    rc = cli.main(["import", str(path), "--db", str(seeded_db), "--status-date", "2025-02-28"])
    err = capsys.readouterr().err
    assert rc == 1, err
    assert err.startswith(f"error: file '{case.name}'"), err
    for w in case.words:
        assert w in err, (w, err)
    assert "Traceback" not in err
    assert fingerprint(seeded_db) == before
    store_mod.close_all()


@pytest.mark.parametrize("case", WITH_ROW_ERRORS, ids=[c.id for c in WITH_ROW_ERRORS])
def test_command_line_strict_refuses_files_with_rejected_rows(case: Case, seeded_db, tmp_path, capsys):
    path = tmp_path / case.name
    path.write_bytes(case.build())
    before = fingerprint(seeded_db)
    store_mod.close_all()
    rc = cli.main(["import", str(path), "--db", str(seeded_db), "--strict", "--status-date", "2025-02-28"])
    err = capsys.readouterr().err
    assert rc == 1, err
    assert "rows rejected; nothing loaded (--strict)" in err
    assert f"error: file '{case.name}', row " in err  # each rejected row is listed with its place
    assert fingerprint(seeded_db) == before
    store_mod.close_all()


def test_all_or_nothing_holds_when_rows_are_rejected(seeded_db, tmp_path, capsys):
    """Without --strict the valid rows of a partly bad file load as ONE import; undo removes all."""
    import shutil

    db = tmp_path / "copy.duckdb"
    shutil.copyfile(seeded_db, db)
    path = tmp_path / "dates.csv"
    path.write_bytes(mixed_dates_csv())
    assert cli.main(["import", str(path), "--db", str(db), "--status-date", "2025-02-28"]) == 0
    out = capsys.readouterr()
    assert "2 rows loaded into tasks, 2 rejected of 4" in out.out
    s = store_mod.Store(db)
    imp = s.imports()
    new = int(imp["import_id"].max())
    tasks = s.table("tasks", projects=["P9"])
    assert sorted(tasks["task_id"]) == ["1", "4"] and set(tasks["import_id"]) == {new}
    assert s.delete_import(new) == 2
    store_mod.close_all()
    assert fingerprint(db) == fingerprint(seeded_db)
    store_mod.close_all()


def test_group_label_over_known_columns_is_read(monkeypatch):
    from pmo_analytics.importing import parse_upload

    p = parse_upload("merged.xlsx", merged_header_xlsx())
    assert p.rejected_rows == 0, [str(x) for x in p.errors]
    _rows_check(finish=[date(2025, 1, 10)], bac=[100.0], actual_cost=[40.0])(p.tables)


# ----------------------------------------------------------------------------- filter values
INJECTION = "x' UNION SELECT import_id, source_name FROM imports --"


def test_filter_value_is_a_value_not_sql(tmp_path):
    s = store_mod.Store(tmp_path / "f.duckdb")
    s.import_parsed(parse_bytes("seed.xlsx", template_bytes()), date(2025, 1, 31))
    before = s.counts()
    for table in ("projects", "tasks"):
        assert s.table(table, projects=[INJECTION]).empty
        assert s.table(table, projects=['P1"; DROP TABLE tasks; --', INJECTION]).empty
        assert set(s.table(table, projects=["P1", INJECTION])["project_id"]) == {"P1"}
    assert s.counts() == before
    # a project whose id IS that text is found exactly, and only it
    hostile = [r[:] for r in PROJECTS[:2]]
    hostile[1][0] = INJECTION
    s.import_parsed(parse_bytes("h.xlsx", workbook_bytes({"Projects": hostile})), date(2025, 1, 31))
    got = s.table("projects", projects=[INJECTION])
    assert got["project_id"].tolist() == [INJECTION]
    store_mod.close_all()


def test_sidebar_project_filter_with_hostile_values(app_db):
    from tests.conftest import run_app

    s = store_mod.Store(app_db)
    s.import_parsed(parse_bytes("seed.xlsx", template_bytes()), date(2025, 1, 31))
    hostile = [r[:] for r in PROJECTS[:2]]
    hostile[1][0] = INJECTION
    hostile[1][1] = "<script>alert(1)</script>"
    s.import_parsed(parse_bytes("h.xlsx", workbook_bytes({"Projects": hostile})), date(2025, 1, 31))
    # a stale or forged selection that is not an option is dropped, not sent anywhere
    at = run_app(session_state={"f_project": ["x' OR '1'='1"]})
    assert at.multiselect(key="f_project").value == []
    # choosing the hostile project through the widget filters to exactly that project
    assert f"{INJECTION} · <script>alert(1)</script>" in at.multiselect(key="f_project").options
    at.multiselect(key="f_project").set_value([INJECTION]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["f_project"] == [INJECTION]
    # the portfolio page counts exactly the one project chosen (its tasks: none, so no metrics)
    assert s.counts()["projects"] == 3
