"""Parsing rules shared by every format: encodings, delimiters, number and date conventions,
header placement, formula cells, identifiers, and the large-CSV fast path."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from pmo_analytics.errors import IngestError
from pmo_analytics.ingest import ParseOptions, parse_bytes, readers
from pmo_analytics.ingest.base import LazyRows
from pmo_analytics.ingest.formats._common import parse_duration_days, parse_predecessors, status_category

CSV_ROWS = [
    ["项目编号", "任务编号", "任务名称", "开始时间", "完成时间", "资源名称"],
    ["P1", "00123", "需求调研", "2025-03-03", "2025-03-07", "NA"],
    ["P1", "00124", "系统设计", "2025-03-10", "2025-03-21", "王芳"],
]


def csv_text(rows, sep=","):
    return "\r\n".join(sep.join(r) for r in rows) + "\r\n"


def d(y, m, dd):
    return pd.Timestamp(date(y, m, dd))


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
        lambda s: s.encode("utf-16"),  # with BOM, as Excel's "Unicode text"
        lambda s: s.encode("utf-16-le"),  # without BOM
        lambda s: s.encode("gb18030"),
        lambda s: s.encode("gbk"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le-nobom", "gb18030", "gbk"],
)
def test_encodings_give_the_same_table(encode):
    p = parse_bytes("计划.csv", encode(csv_text(CSV_ROWS)))
    t = p.tables["tasks"]
    assert t["name"].tolist() == ["需求调研", "系统设计"]
    assert t["task_id"].tolist() == ["00123", "00124"]  # identifiers stay text
    assert t["resource_names"].tolist() == ["NA", "王芳"]  # NA in a text column is kept as text
    assert not p.problems


def test_identifiers_and_placeholders_stay_text_in_csv_and_workbook():
    rows = [
        ["Project ID", "Task ID", "Task", "Start", "Finish", "Resources"],
        ["P1", "2E05", "A", "2025-03-03", "2025-03-07", "null"],
        ["P1", "00123", "B", "2025-03-03", "2025-03-07", "NA"],
        ["P1", "1.50", "C", "2025-03-03", "2025-03-07", "None"],
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tasks"
    for r in rows:
        ws.append(r)  # every cell written as text, as a tool exporting IDs as text does
    buf = io.BytesIO()
    wb.save(buf)
    for name, data in (("t.csv", csv_text(rows).encode()), ("t.xlsx", buf.getvalue())):
        t = parse_bytes(name, data).tables["tasks"]
        assert t["task_id"].tolist() == ["2E05", "00123", "1.50"], name  # not 200000, 123, 1.5
        assert t["resource_names"].tolist() == ["null", "NA", "None"], name


def test_unknown_encoding_is_refused_not_garbled():
    data = csv_text(
        [
            ["Project ID", "Task ID", "Task", "Start", "Finish"],
            ["P1", "1", "Zürich café – Größe", "2025-03-03", "2025-03-07"],
        ]
    ).encode("cp1252")
    with pytest.raises(IngestError) as err:
        parse_bytes("legacy.csv", data)
    assert str(err.value) == (
        "file 'legacy.csv': the text is not in a recognised encoding (UTF-8, UTF-16 or GB18030/GBK) "
        "Save it as 'CSV UTF-8' and upload again."
    )


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiters(sep):
    rows = [
        ["Project ID", "Task ID", "Task", "Start", "Finish", "Budget"],
        ["P1", "1", "Design", "2025-03-03", "2025-03-07", "1200.5"],
    ]
    p = parse_bytes("t.csv", csv_text(rows, sep).encode())
    assert p.tables["tasks"]["bac"].tolist() == [1200.5]


def test_decimal_comma_with_semicolons():
    rows = [
        ["Project ID", "Task ID", "Task", "Start", "Finish", "Budget", "Actual cost"],
        ["P1", "1", "Design", "03.03.2025", "07.03.2025", "1234,5", "1.234,56"],
        ["P1", "2", "Build", "10.03.2025", "14.03.2025", "1,500", "2,000"],
    ]
    p = parse_bytes("t.csv", csv_text(rows, ";").encode())
    t = p.tables["tasks"]
    # Budget has 1234,5 (only a decimal comma reads it), so its 1,500 is 1.5; Actual cost's 1.234,56
    # likewise makes 2,000 two
    assert t["bac"].tolist() == [1234.5, 1.5] and t["actual_cost"].tolist() == [1234.56, 2.0]
    assert "t.csv: column 'Budget': numbers read with a decimal comma (1,234 = 1.234)" in p.notes
    assert t["start"].tolist() == [d(2025, 3, 3), d(2025, 3, 10)]  # dotted dates are always day first


def test_thousands_commas_stay_thousands():
    rows = [
        ["Project ID", "Task ID", "Task", "Start", "Finish", "Budget"],
        ["P1", "1", "Design", "2025-03-03", "2025-03-07", "1,500"],
        ["P1", "2", "Build", "2025-03-10", "2025-03-14", "1,234,567.5"],
    ]
    p = parse_bytes("t.csv", csv_text(rows, ";").encode())
    assert p.tables["tasks"]["bac"].tolist() == [1500.0, 1234567.5]


def test_excel_serial_dates_in_csv_and_workbook():
    rows = [["Project ID", "Task ID", "Task", "Start", "Finish"], ["P1", "1", "A", "45000", "45004"]]
    p = parse_bytes("t.csv", csv_text(rows).encode())
    assert p.tables["tasks"]["start"].tolist() == [d(2023, 3, 15)]  # serial 45000 = 15 March 2023
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tasks"
    ws.append(rows[0])
    ws.append(["P1", "1", "A", 45000, 45004])
    buf = io.BytesIO()
    wb.save(buf)
    p = parse_bytes("t.xlsx", buf.getvalue())
    assert p.tables["tasks"]["finish"].tolist() == [d(2023, 3, 19)]


def test_month_first_dates_decided_from_the_column():
    rows = [
        ["Project ID", "Task ID", "Task", "Start", "Finish"],
        ["P1", "1", "A", "03/04/2025", "03/14/2025"],
        ["P1", "2", "B", "03/05/2025", "03/21/2025"],
    ]
    p = parse_bytes("t.csv", csv_text(rows).encode())
    t = p.tables["tasks"]
    # Finish has 14 and 21 in second place: month first; Start alone could be either way
    assert t["finish"].tolist() == [d(2025, 3, 14), d(2025, 3, 21)]
    assert "t.csv: column 'Finish': dates read as month/day/year" in p.notes
    assert "t.csv: column 'Start': every date could be day/month or month/day; read as day/month/year" in p.notes


def test_mixed_date_orders_are_reported():
    rows = [
        ["Project ID", "Task ID", "Task", "Start", "Finish"],
        ["P1", "1", "A", "13/01/2025", "20/01/2025"],
        ["P1", "2", "B", "01/13/2025", "20/01/2025"],
    ]
    p = parse_bytes("t.csv", csv_text(rows).encode())
    assert (
        "t.csv: column 'Start': mixed day-first and month-first dates; read as day/month/year, check the "
        "rejected rows" in p.notes
    )
    assert [str(x) for x in p.problems] == [
        "file 't.csv', row 3, column 'Start' (value '01/13/2025'): expected a date such as 2025-03-31, "
        "31/03/2025, 31-Mar-2025 or 2025年3月31日"
    ]


def test_weekday_prefixed_dates_decide_the_order():
    rows = [["Project ID", "Task ID", "Task", "Start", "Finish"], ["P1", "1", "A", "Mon 1/6/25", "Fri 1/10/25"]]
    p = parse_bytes("t.csv", csv_text(rows).encode())
    assert p.tables["tasks"]["start"].tolist() == [d(2025, 1, 6)]  # 6 Jan 2025 is a Monday


def test_spacer_rows_above_the_header_keep_file_row_numbers():
    rows = [
        ["Status report", "", "", "", ""],
        ["", "", "", "", ""],
        ["Project ID", "Task ID", "Task", "Start", "Finish"],
        ["P1", "1", "A", "2025-03-03", "2025-03-07"],
        ["P1", "2", "", "2025-03-03", "2025-03-07"],
    ]
    p = parse_bytes("t.csv", csv_text(rows).encode())
    assert [(x.row, x.column, x.message) for x in p.problems] == [(5, "Task", "a value is required")]


def test_workbook_sheet_not_starting_in_a1_keeps_row_numbers():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tasks"
    for j, h in enumerate(["Project ID", "Task ID", "Task", "Start", "Finish"]):
        ws.cell(5, 3 + j, h)
    for j, v in enumerate(["P1", "1", "A", "2025-03-03", "not a date"]):
        ws.cell(6, 3 + j, v)
    buf = io.BytesIO()
    wb.save(buf)
    p = parse_bytes("t.xlsx", buf.getvalue())
    assert [(x.sheet, x.row, x.column) for x in p.problems] == [("Tasks", 6, "Finish")]


def test_two_row_header_in_csv():
    rows = [
        ["ID", "Risk", "Probability", "", "Impact", "", "Owner"],
        ["", "", "%", "Score", "Cost", "Score", ""],
        ["K1", "Vendor insolvency", "15%", "1", "250000", "5", "CFO"],
    ]
    raw = readers.read_upload("r.csv", csv_text(rows).encode())
    assert raw.sheets[""].headers == [
        "ID",
        "Risk",
        "Probability %",
        "Probability Score",
        "Impact Cost",
        "Impact Score",
        "Owner",
    ]
    assert raw.sheets[""].header_row == 2


def test_formula_cells_without_saved_values_are_flagged(tmp_path):
    from tests.conftest import DATA

    p = parse_bytes("f.xlsx", (DATA / "broken_formulas_without_values.xlsx").read_bytes())
    assert [str(x) for x in p.warnings] == [
        "file 'f.xlsx', sheet 'Tasks' (value 'F3, G3'): 2 formula cells have no saved value and read as empty "
        "(the workbook was written by a program and never recalculated); open it in Excel, save, and upload again"
    ]
    assert p.tables["tasks"]["bac"].isna().tolist() == [False, True]


# ------------------------------------------------------------------ durations, predecessors, categories


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("5 days", 5),
        ("5d", 5),
        ("0 days?", 0),
        ("2w", 10),
        ("1.5 wks", 7.5),
        ("4h", 0.5),
        ("3 个工作日", 3),
        ("1d 4h", 1.5),
        ("2 ed", 10 / 7),
        ("~7d", 5),
        ("1 mo", 20),
        (3, 3),
    ],
)
def test_durations(text, days):
    assert parse_duration_days(text) == pytest.approx(days)


def test_predecessor_strings():
    p = parse_predecessors("3FS+2 days;5SS;7FF-1 day;9SF+50%")
    assert [(x.ref, x.type, x.lag_days, x.lag_pct) for x in p] == [
        ("3", "FS", 2.0, None),
        ("5", "SS", 0.0, None),
        ("7", "FF", -1.0, None),
        ("9", "SF", None, 0.5),
    ]
    assert [(x.ref, x.type, x.lag_days) for x in parse_predecessors("2, 3SS +1w")] == [
        ("2", "FS", 0.0),
        ("3", "SS", 5.0),
    ]
    assert [(x.ref, x.type, x.lag_days) for x in parse_predecessors("4完成-开始+1 个工作日")] == [("4", "FS", 1.0)]
    assert [(x.ref, x.lag_days) for x in parse_predecessors("3FS+1,5 days;4")] == [("3", 1.5), ("4", 0.0)]
    with pytest.raises(ValueError):
        parse_predecessors("3XX+2 parsecs")


@pytest.mark.parametrize(
    ("category", "status", "expected"),
    [
        ("indeterminate", "Code review", "In Progress"),
        ("完成", None, "Done"),
        (None, "Closed", "Done"),
        (None, "Backlog", "To Do"),
        (None, "待办", "To Do"),
        (None, "Testing", "In Progress"),
        (None, None, None),
    ],
)
def test_status_categories(category, status, expected):
    assert status_category(category, status) == expected


# ------------------------------------------------------------------ the large-CSV fast path


def big_csv(n: int = 12000) -> bytes:
    lines = ["Weekly export,,,,,", ",,,,,", "Project ID,Task ID,Task,Start,Finish,% Complete"]
    for i in range(n):
        name = f'"Task {i}, with ""quotes""\nand a second line"' if i % 1000 == 7 else f"Task {i}"
        start = "2025-02-30" if i == 5000 else f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"
        lines.append(f"P{i % 3},{i:05d},{name},{start},2025-12-31,{i % 101}%")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_fast_csv_path_matches_the_row_by_row_reader(monkeypatch):
    data = big_csv()
    monkeypatch.setattr(readers, "FAST_CSV_BYTES", 100_000)  # the real bar is 1 MiB; keep the test small
    assert len(data) >= readers.FAST_CSV_BYTES
    fast = parse_bytes("big.csv", data, options=ParseOptions(table="tasks"))
    raw = readers.read_upload("big.csv", data)
    assert isinstance(raw.sheets[""].rows, LazyRows)
    monkeypatch.setattr(readers, "FAST_CSV_BYTES", 1 << 40)
    slow_raw = readers.read_upload("big.csv", data)
    assert not isinstance(slow_raw.sheets[""].rows, LazyRows)
    assert raw.sheets[""].rows[:50] == slow_raw.sheets[""].rows[:50]
    assert list(raw.sheets[""].rows[7]) == slow_raw.sheets[""].rows[7]
    slow = parse_bytes("big.csv", data, options=ParseOptions(table="tasks"))
    assert [str(x) for x in fast.problems] == [str(x) for x in slow.problems]
    assert [str(x) for x in fast.problems] == [
        "file 'big.csv', row 5004, column 'Start' (value '2025-02-30'): expected a date such as 2025-03-31, "
        "31/03/2025, 31-Mar-2025 or 2025年3月31日"
    ]
    pd.testing.assert_frame_equal(fast.tables["tasks"], slow.tables["tasks"])
    assert fast.tables["tasks"]["task_id"].iloc[7] == "00007"
    assert fast.tables["tasks"]["name"].iloc[7] == 'Task 7, with "quotes"\nand a second line'


def test_fast_csv_path_falls_back_on_a_ragged_row(monkeypatch):
    monkeypatch.setattr(readers, "FAST_CSV_BYTES", 100_000)
    data = big_csv(12000).replace(b"P1,00004,Task 4,", b"P1,00004,Task 4,extra,", 1)
    p = parse_bytes("big.csv", data, options=ParseOptions(table="tasks"))
    assert any(x.row == 8 and "more values than the header" in x.message for x in p.problems)
