"""Template import: header aliases (en/zh), typed values, the lazy validation report,
CSV encodings and delimiters, readers refusing broken or hostile containers."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from pmo_analytics.errors import FileTooLargeError, FormatError, UnsafeFileError
from pmo_analytics.ingest import parse_bytes
from pmo_analytics.ingest.normalize import decide_dayfirst, parse_date, parse_money, parse_percent
from pmo_analytics.schema import match_headers, normalize_header
from tests.helpers import template_bytes, workbook_bytes


@pytest.mark.parametrize(
    ("table", "header", "canonical"),
    [
        ("tasks", "% Complete", "percent_complete"),
        ("tasks", "  percent_COMPLETE ", "percent_complete"),
        ("tasks", "完成百分比", "percent_complete"),
        ("tasks", "Baseline_Start", "baseline_start"),
        ("tasks", "比较基准开始时间", "baseline_start"),
        ("projects", "项目名称", "name"),
        ("projects", "预算", "bac"),
        ("tasks", "开始日期", "start"),
        ("risks", "Risk Owner", "owner"),
        ("work_items", "问题关键字", "key"),
    ],
)
def test_header_aliases(table, header, canonical):
    assert match_headers(table, [header]) == {header: canonical}


def test_normalize_header_ignores_case_space_and_punctuation():
    assert normalize_header(" Baseline_Start ") == normalize_header("baseline start") == "baselinestart"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("¥1,200", 1200.0),
        ("300,000 CHF", 300000.0),
        ("1.2万", 12000.0),
        ("1.234,56", 1234.56),
        ("12,5", 12.5),
        ("(1,000)", -1000.0),
        ("$2.5k", 2500.0),
        (1500, 1500.0),
    ],
)
def test_money(text, expected):
    assert parse_money(text) == pytest.approx(expected)


@pytest.mark.parametrize("bad", ["abc", "1..2", "¥", "inf"])
def test_money_rejects(bad):
    with pytest.raises(ValueError):
        parse_money(bad)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-31", date(2025, 3, 31)),
        ("2025/3/31", date(2025, 3, 31)),
        ("2025年3月31日", date(2025, 3, 31)),
        ("31.03.2025", date(2025, 3, 31)),
        ("28/Nov/25 5:03 PM", date(2025, 11, 28)),
        ("Mar 31, 2025", date(2025, 3, 31)),
        (45747, date(2025, 3, 31)),  # Excel serial: 45747 days after 1899-12-30
        ("20250331", date(2025, 3, 31)),
    ],
)
def test_dates(value, expected):
    assert parse_date(value) == expected


def test_impossible_date_is_rejected():
    with pytest.raises(ValueError):
        parse_date("2024/02/30")


def test_dayfirst_decided_per_column():
    assert decide_dayfirst(["03/04/2025", "25/04/2025"]) == (True, None)
    assert decide_dayfirst(["03/04/2025", "04/25/2025"]) == (False, "dates read as month/day/year")
    dayfirst, note = decide_dayfirst(["03/04/2025"])
    assert dayfirst and "could be day/month or month/day" in note


def test_percent_forms():
    assert parse_percent("35%") == pytest.approx(0.35)
    assert parse_percent(35, scale_100=True) == pytest.approx(0.35)
    assert parse_percent(0.35) == pytest.approx(0.35)


def test_template_workbook_parses_typed():
    p = parse_bytes("portfolio.xlsx", template_bytes())
    assert p.source_format == "template" and not p.problems
    tasks = p.tables["tasks"]
    assert tasks["task_id"].tolist() == ["1", "2", "1"]  # identifiers stay text
    assert tasks["start"].dt.date.tolist()[0] == date(2025, 1, 6)
    assert tasks["bac"].tolist() == [400.0, 600.0, 2000.0]


def test_validation_collects_every_problem_with_location():
    rows = [
        ["项目编号", "任务编号", "任务名称", "开始时间", "完成时间", "完成百分比", "预算"],
        ["P1", "00123", "设计", "2025-01-06", "2025-01-31", "50%", "1000"],
        ["P1", "2", "", "2025-02-03", "2024/02/30", "150%", "-5"],
        ["P1", "00123", "重复", "2025-02-03", "2025-02-28", "20%", "abc"],
    ]
    p = parse_bytes("计划.xlsx", workbook_bytes({"任务": rows}))
    got = [(pr.sheet, pr.row, pr.column, pr.value, pr.message) for pr in p.problems]
    assert got == [
        ("任务", 3, "任务名称", None, "a value is required"),
        (
            "任务",
            3,
            "完成时间",
            "2024/02/30",
            "expected a date such as 2025-03-31, 31/03/2025, 31-Mar-2025 or 2025年3月31日",
        ),
        ("任务", 3, "完成百分比", "150", "expected a value from 0% to 100%"),
        ("任务", 3, "预算", "-5", "expected a value from 0 to ∞"),
        ("任务", 4, "预算", "abc", "expected an amount such as 1200, 1,200.50, ¥1,200 or 1.2万"),
    ]
    assert (p.rows_in, p.rows_loaded, p.rejected_rows) == (3, 1, 2)
    assert p.tables["tasks"]["task_id"].tolist() == ["00123"]
    assert str(p.problems[0]) == "file '计划.xlsx', sheet '任务', row 3, column '任务名称': a value is required"


def test_duplicate_key_reported_against_first_row():
    rows = [
        ["Project ID", "Task ID", "Task", "Start", "Finish"],
        ["P1", "7", "A", "2025-01-06", "2025-01-10"],
        ["P1", "7", "B", "2025-01-06", "2025-01-10"],
    ]
    p = parse_bytes("t.csv", "\n".join(",".join(r) for r in rows).encode())
    assert [(pr.row, pr.message) for pr in p.problems] == [(3, "duplicate of row 2")]


def test_two_links_between_the_same_tasks_load_when_their_types_differ():
    """P6 keeps several relationships between two activities (FS and FF: 7 such pairs in a real
    schedule); the same type twice is still a duplicate, named with all four key columns."""
    rows = [
        ["Project ID", "Predecessor", "Successor", "Type", "Lag"],
        ["P1", "A", "B", "FS", "0"],
        ["P1", "A", "B", "FF", "2"],
        ["P1", "A", "B", "FF", "3"],
    ]
    p = parse_bytes("links.csv", "\n".join(",".join(r) for r in rows).encode())
    assert p.tables["links"][["type", "lag_days"]].values.tolist() == [["FS", 0.0], ["FF", 2.0]]
    [problem] = p.problems
    assert (problem.row, problem.column, problem.value, problem.message) == (
        4,
        "Project ID, Predecessor, Successor, Type",
        "P1 / A / B / FF",
        "duplicate of row 3",
    )


def test_missing_required_column_names_what_was_expected():
    rows = [["Project ID", "Task name", "Start", "Finish"], ["P1", "A", "2025-01-06", "2025-01-10"]]
    p = parse_bytes("plan.xlsx", workbook_bytes({"Tasks": rows}))
    assert len(p.problems) == 1
    msg = p.problems[0].message
    assert msg.startswith("required column missing for Tasks; expected a header such as Task ID, 任务编号")
    assert p.rows_loaded == 0


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("gb18030", "\t"), ("utf-16", ",")],
)
def test_csv_encodings_and_delimiters(encoding, delimiter):
    text = "\n".join(
        delimiter.join(r)
        for r in [
            ["项目编号", "项目名称", "预算"],
            ["P1", "数据中台", "1200"],
            ["P2", "客户门户", '"¥3,400"' if delimiter == "," else "¥3,400"],
        ]
    )
    p = parse_bytes("projects.csv", text.encode(encoding))
    assert not p.problems
    assert p.tables["projects"]["name"].tolist() == ["数据中台", "客户门户"]
    assert p.tables["projects"]["bac"].tolist() == [1200.0, 3400.0]


def test_ragged_row_is_rejected_not_truncated():
    p = parse_bytes("projects.csv", "Project ID,Project name,Budget\nP1,Alpha,1000\nP2,Beta,¥3,400\n".encode())
    assert [(pr.row, pr.value) for pr in p.problems] == [(3, "400")]
    assert "more values than the header has columns (3)" in p.problems[0].message
    assert p.tables["projects"]["project_id"].tolist() == ["P1"]
    assert (p.rows_in, p.rejected_rows) == (2, 1)


def test_spacer_rows_above_header_are_skipped():
    text = "Exported by Tool X\n\nProject ID,Project name\nP1,Alpha\n"
    p = parse_bytes("projects.csv", text.encode())
    assert p.tables["projects"]["project_id"].tolist() == ["P1"]
    assert not p.problems


def test_latin1_csv_is_refused_not_garbled():
    with pytest.raises(Exception, match="not in a recognised encoding"):
        parse_bytes("p.csv", "Project ID,Project name\nP1,Café Zürich\n".encode("latin-1"))


def test_unterminated_quote_names_the_line():
    with pytest.raises(FormatError, match="cannot be parsed near line"):
        parse_bytes("p.csv", b'Project ID,Project name\nP1,"Alpha\n')


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "the file is empty"),
        (b"Project ID,Project name\nP1,A", "x.xlsx", "named .xlsx but is not an Excel workbook"),
        (template_bytes()[:2000], "cut.xlsx", "damaged or truncated"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls", "old binary Excel"),
    ],
)
def test_broken_files_get_specific_messages(data, name, message):
    with pytest.raises(FormatError, match=message):
        parse_bytes(name, data)


def _sparse_xlsx() -> bytes:
    """A workbook whose one sheet has cells at A1 and XFD1048576 (calamine would try to
    allocate the whole grid)."""
    buf = io.BytesIO(template_bytes())
    src = zipfile.ZipFile(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
                )
            z.writestr(item, data)
    return out.getvalue()


def test_sparse_dimension_workbook_is_refused_before_parsing():
    with pytest.raises(UnsafeFileError, match="16,384 columns x 1,048,576 rows"):
        parse_bytes("sparse.xlsx", _sparse_xlsx())


def test_over_size_limit():
    with pytest.raises(FileTooLargeError, match="over the 1 MiB upload limit"):
        parse_bytes("big.csv", b"a,b\n" + b"1,2\n" * 300_000, max_bytes=1024 * 1024)


def test_unknown_headers_are_not_guessed():
    with pytest.raises(FormatError, match="format was not recognised"):
        parse_bytes("x.csv", b"foo,bar\n1,2\n")
