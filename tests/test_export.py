"""Excel/CSV exports: exact rows and columns, types kept, user text never a formula, Excel's
limits handled. Every export is reopened with openpyxl (types, formats, panes, filters) and,
for exact text, python-calamine (which undoes the _xHHHH_ escapes Excel also undoes)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from pmo_analytics import export
from pmo_analytics.errors import ExportError

DANGEROUS = [
    '=HYPERLINK("http://x","y")',
    "{=1+1}",
    "#N/A",
    "@SUM(1)",
    "+1",
    "-1+2",
    "=1+1",
    "=cmd|' /C calc'!A0",
    "http://example.com",
    "mailto:a@b.c",
    "\t=1+1",
    "\r=1+1",
    "00123",
    "1e5",
    " 42 ",
    "TRUE",
    "_x0041_",
    "a\rb",
    "line1\nline2",
    "中文项目",
]


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _calamine_rows(data: bytes, sheet: str) -> list[list]:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def _expected_clean(s: str) -> str:
    # what Excel can hold: C0 controls other than tab/LF/CR removed, U+FFFE/U+FFFF removed
    return "".join(ch for ch in s if not ((ord(ch) < 32 and ch not in "\t\n\r") or ch in "\ufffe\uffff"))


def _assert_no_formulas(wb: openpyxl.Workbook) -> None:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type not in ("f", "e"), (ws.title, cell.coordinate, cell.value)
                assert cell.hyperlink is None


def test_rows_columns_types_formats_panes_filter():
    df = pd.DataFrame(
        {
            "Project": ["P-1", "P-2", None, "P-4"],
            "Budget": [1200.5, np.nan, 3.0, -4.25],
            "Count": pd.array([1, None, 3, 4], dtype="Int64"),
            "Start": pd.to_datetime(["2024-01-31", None, "2024-03-01", "1900-01-15"]),
            "Due": [date(2024, 2, 1), None, date(2024, 3, 2), date(2024, 3, 3)],
            "Progress": [0.25, 0.5, np.nan, 1.0],
            "Done": [True, False, None, True],
            "Sprints": [["S1", "S2"], [], None, ["S3"]],
            "Seen": pd.to_datetime(["2024-05-01 13:30", None, None, None]).tz_localize("Asia/Shanghai"),
        }
    )
    data = export.to_excel_bytes(
        df,
        sheet_name="Tasks",
        title="Tasks report",
        header_lines=["Filters: Program = Alpha", "Status date: 2024-05-01"],
        column_formats={"Budget": "money", "Progress": "percent"},
        currency="CNY",
    )
    wb = _open(data)
    assert wb.sheetnames == ["Tasks"]
    ws = wb["Tasks"]
    # header block: title, two lines, one blank row, then the header row (row 5)
    assert ws["A1"].value == "Tasks report" and ws["A1"].font.b
    assert ws["A2"].value == "Filters: Program = Alpha"
    assert ws["A3"].value == "Status date: 2024-05-01"
    assert ws["A4"].value is None
    assert [c.value for c in ws[5]] == list(df.columns)
    # exactly the rows and columns given: 5 rows above the data + 4 data rows
    assert ws.max_row == 5 + len(df)
    assert ws.max_column == df.shape[1]
    assert ws.freeze_panes == "A6"
    assert ws.auto_filter.ref == "A5:I9"
    # numbers are numbers with formats; missing -> empty
    assert ws["B6"].value == 1200.5 and ws["B6"].data_type == "n"
    assert "¥" in ws["B6"].number_format and "#,##0.00" in ws["B6"].number_format
    assert ws["B7"].value is None
    assert ws["C6"].value == 1 and ws["C7"].value is None
    assert ws["F6"].value == 0.25 and ws["F6"].number_format == "0.0%"
    # dates are dates (openpyxl turns date-formatted serials back into datetimes)
    assert ws["D6"].is_date and ws["D6"].value == datetime(2024, 1, 31)
    assert ws["D7"].value is None
    assert ws["D9"].value == datetime(1900, 1, 15)  # before Excel's phantom 29 Feb 1900
    assert ws["E6"].is_date and ws["E6"].value == datetime(2024, 2, 1)
    # tz-aware: wall-clock time in its zone, with a time format
    assert ws["I6"].value == datetime(2024, 5, 1, 13, 30) and "hh:mm" in ws["I6"].number_format
    # bools and lists
    assert ws["G6"].value is True and ws["G7"].value is False and ws["G8"].value is None
    assert ws["H6"].value == "S1, S2" and ws["H9"].value == "S3"
    # text stays text; None -> empty
    assert ws["A6"].value == "P-1" and ws["A6"].data_type == "s" and ws["A8"].value is None
    # sensible widths: set, and wider for the long title-free text columns than the minimum
    assert ws.column_dimensions["A"].width >= 6
    _assert_no_formulas(wb)


def test_user_text_never_formula_headers_included():
    df = pd.DataFrame({h: [h] * 2 for h in DANGEROUS[:6]} | {"x": DANGEROUS[:2]})
    df2 = pd.DataFrame({"text": DANGEROUS})
    for frame in (df, df2):
        data = export.to_excel_bytes(frame)
        wb = _open(data)
        _assert_no_formulas(wb)
        rows = _calamine_rows(data, "Data")
        assert rows[0] == [str(c) for c in frame.columns]
        assert [r[: frame.shape[1]] for r in rows[1:]] == frame.astype(object).values.tolist()
    # and nothing in the package is a formula or a link
    with zipfile.ZipFile(io.BytesIO(export.to_excel_bytes(df2))) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in xml and "<f " not in xml
        assert not any(n.startswith("xl/worksheets/_rels") for n in z.namelist())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=30),
            st.sampled_from(DANGEROUS),
            st.text(alphabet=st.characters(max_codepoint=0x20), max_size=8),
            st.builds(lambda a, b: a + b, st.sampled_from(["=", "+", "-", "@", "{=", "#"]), st.text(max_size=10)),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_hypothesis_arbitrary_text_is_written_as_text(values):
    df = pd.DataFrame({"v": values, "n": np.arange(len(values), dtype=float)})
    data = export.to_excel_bytes(df)
    wb = _open(data)
    ws = wb["Data"]
    _assert_no_formulas(wb)
    assert ws.max_column == 2
    assert ws.max_row == 1 + len(values)
    for i in range(len(values)):
        assert ws.cell(row=2 + i, column=2).value == i  # numbers stay numbers
    rows = _calamine_rows(data, "Data")
    got = [r[0] for r in rows[1:]]
    got += [""] * (len(values) - len(got))  # calamine drops trailing empty rows
    assert got == [_expected_clean(v) for v in values]


def test_long_text_cut_with_note_and_control_characters_removed():
    long = "x" * 40_000
    astral = "😀" * 20_000  # 40,000 UTF-16 units
    df = pd.DataFrame({"text": [long, "ok\x1fok\x00", astral, "a\x07b"]})
    data = export.to_excel_bytes(df)
    wb = _open(data)
    assert wb.sheetnames == ["Data", "Notes"]
    rows = _calamine_rows(data, "Data")
    cut = rows[1][0]
    marker = export.i18n.t("export.cut_marker")
    assert cut.endswith(marker) and len(cut) <= 32_767 and cut.startswith("x" * 30_000)
    assert rows[2][0] == "okok"
    cut_astral = rows[3][0]
    assert cut_astral.endswith(marker) and len(cut_astral.encode("utf-16-le")) // 2 <= 32_767
    assert rows[4][0] == "ab"
    notes = [c.value for c in wb["Notes"]["A"] if c.value]
    assert any("2 cell(s)" in n for n in notes)
    assert any("A2" in n and "40,000" in n for n in notes)


def test_rows_beyond_one_sheet_are_split_or_refused(monkeypatch):
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 30)
    df = pd.DataFrame({"i": np.arange(50), "s": [f"r{i}" for i in range(50)]})
    data = export.to_excel_bytes(df, title="Big", lang="en")
    wb = _open(data)
    # 30 rows a sheet: title, part note, blank, header -> 26 data rows on each sheet
    assert wb.sheetnames == ["Data", "Data (2)"]
    values = []
    for ws in wb.worksheets:
        assert ws["A4"].value == "i" and ws.freeze_panes == "A5"
        values += [ws.cell(row=r, column=1).value for r in range(5, ws.max_row + 1)]
    assert wb["Data"].max_row == 30
    assert wb["Data"]["A2"].value.startswith("Rows 1–26 of 50 (part 1 of 2)") and "1,048,576" in wb["Data"]["A2"].value
    assert wb["Data (2)"]["A2"].value.startswith("Rows 27–50 of 50 (part 2 of 2)")
    assert values == list(range(50))
    # without a header block the note and a blank row are added
    wb = _open(export.to_excel_bytes(df))
    assert [ws.max_row for ws in wb.worksheets] == [30, 50 - 27 + 3]
    assert wb["Data"]["A3"].value == "i"
    with pytest.raises(ExportError, match="CSV"):
        export.to_excel_bytes(df, split=False)


def test_rag_cells_coloured_and_progress_reported():
    df = pd.DataFrame(
        {"Project": ["A", "B", "C", "D"], "CPI": [1.0, 0.9, 0.5, np.nan], "RAG": ["red", "green", "x", None]}
    )
    seen: list[float] = []

    def cpi_rag(v):
        if v is None:
            return ""
        return "green" if v >= 0.95 else ("red" if v < 0.85 else "amber")

    data = export.to_excel_bytes(df, rag_columns={"CPI": cpi_rag, "RAG": lambda v: v}, progress=seen.append)
    ws = _open(data)["Data"]
    fills = [ws.cell(row=r, column=2).fill.fgColor.rgb for r in range(2, 6)]
    assert fills[0].endswith("C6EFCE")  # green
    assert fills[1].endswith("FFEB9C")  # amber
    assert fills[2].endswith("FFC7CE")  # red
    assert not fills[3].endswith(("C6EFCE", "FFEB9C", "FFC7CE"))  # missing: no colour
    assert ws.cell(row=2, column=4 - 1).value == "red"
    assert ws.cell(row=2, column=3).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(row=3, column=3).fill.fgColor.rgb.endswith("C6EFCE")
    assert ws["B2"].value == 1.0 and ws["B2"].number_format == "0.00"  # CPI inferred as a ratio
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)


def test_inferred_formats_from_canonical_labels_in_both_languages():
    df = pd.DataFrame({"BAC": [1000.0], "完工预算": [2.0], "Probability": [0.3], "SPI": [1.1], "Free": [1.5]})
    ws = _open(export.to_excel_bytes(df, currency="USD"))["Data"]
    assert ws["A2"].number_format.startswith('"$"#,##0.00')
    assert ws["B2"].number_format.startswith('"$"#,##0.00')
    assert ws["C2"].number_format == "0.0%"
    assert ws["D2"].number_format == "0.00"
    assert ws["E2"].number_format == "#,##0.00"


def test_empty_frame_and_odd_columns():
    wb = _open(export.to_excel_bytes(pd.DataFrame({"a": pd.Series([], dtype=float), "b": []})))
    ws = wb["Data"]
    assert [c.value for c in ws[1]] == ["a", "b"] and ws.max_row == 1
    odd = pd.DataFrame(
        {
            "cat": pd.Categorical(["x", "y"]),
            "mixed": [1, "two"],
            "old": [date(1850, 1, 1), date(2020, 1, 1)],
            "inf": [np.inf, 2.0],
            "na_str": pd.array([pd.NA, "s"], dtype="string"),
        }
    )
    odd.columns = ["cat", "mixed", "old", "inf", "na_str"]
    ws = _open(export.to_excel_bytes(odd))["Data"]
    assert [ws.cell(row=2, column=c).value for c in range(1, 6)] == ["x", 1, "1850-01-01T00:00:00", None, None]
    assert ws["C3"].value == datetime(2020, 1, 1)
    assert ws["B3"].value == "two" and ws["D3"].value == 2
    assert ws.max_row == 3


def test_safe_sheet_names():
    assert export.safe_sheet_name("a/b:c*?[d]") == "a b c   d"
    assert export.safe_sheet_name("History") != "History"
    assert len(export.safe_sheet_name("x" * 40)) == 31
    assert export.safe_sheet_name("Data", ["data"]) == "Data (2)"
    assert _open(export.to_excel_bytes(pd.DataFrame({"a": [1]}), sheet_name="=1+1 [x]")).sheetnames == ["=1+1  x"]


# ---------------------------------------------------------------- CSV
def _read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_csv_bom_roundtrip_and_injection_escape():
    df = pd.DataFrame(
        {
            "id": ["00123", "a\rb", "=1+1", "+1", "-1+2", "@SUM(1)", "\tx", "\ry", "中文", "plain"],
            "amount": [1.5, -2.0, 3.0, np.nan, 0.0, 1e6, -0.5, 7.0, 8.0, 9.0],
            "n": [-1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        }
    )
    data = export.to_csv_bytes(df)
    assert data.startswith(b"\xef\xbb\xbf")
    back = _read_csv(data)
    assert list(back.columns) == ["id", "amount", "n"]
    assert back["id"].tolist() == [
        "00123",
        "a\rb",
        "'=1+1",
        "'+1",
        "'-1+2",
        "'@SUM(1)",
        "'\tx",
        "'\ry",
        "中文",
        "plain",
    ]
    # numbers untouched (negative numbers are not escaped)
    assert back["amount"].tolist() == ["1.5", "-2.0", "3.0", "", "0.0", "1000000.0", "-0.5", "7.0", "8.0", "9.0"]
    assert back["n"].iloc[0] == "-1"


def test_csv_headers_lists_dates_and_mixed():
    df = pd.DataFrame(
        {
            "=bad": ["x", "y"],
            "sprints": [["S1", "S2"], None],
            "when": pd.to_datetime(["2024-01-02", None]),
            "mixed": ["-a", 3],
            "tz": pd.to_datetime(["2024-01-02 10:00", None]).tz_localize("UTC"),
        }
    )
    back = _read_csv(export.to_csv_bytes(df))
    assert list(back.columns) == ["'=bad", "sprints", "when", "mixed", "tz"]
    assert back["sprints"].tolist() == ["S1, S2", ""]
    assert back["when"].tolist() == ["2024-01-02", ""]
    assert back["mixed"].tolist() == ["'-a", "3"]
    assert back["tz"].iloc[0].startswith("2024-01-02 10:00")


def test_csv_full_text_kept_beyond_excel_limit():
    df = pd.DataFrame({"t": ["y" * 40_000]})
    assert _read_csv(export.to_csv_bytes(df))["t"].iloc[0] == "y" * 40_000


def test_tz_aware_object_column_and_labels():
    df = pd.DataFrame({"when": [datetime(2024, 1, 2, 3, 4, tzinfo=UTC), None]})
    ws = _open(export.to_excel_bytes(df))["Data"]
    assert ws["A2"].value == datetime(2024, 1, 2, 3, 4)
    renamed, kinds = export.label_columns(
        pd.DataFrame({"project_id": ["a"], "bac": [1.0], "cpi": [1.0]}), "zh", "projects"
    )
    assert renamed.columns[0] == "项目编号"
    assert kinds[renamed.columns[1]] == "money" and kinds[renamed.columns[2]] == "ratio"


def test_lone_surrogates_become_replacement_character():
    df = pd.DataFrame({"v": pd.Series(["a\ud800b", "ok"], dtype=object), "m": pd.Series(["x\udfff", 1], dtype=object)})
    rows = _calamine_rows(export.to_excel_bytes(df), "Data")
    assert rows[1][:2] == ["a\ufffdb", "x\ufffd"]
    back = _read_csv(export.to_csv_bytes(df))
    assert back["v"].tolist() == ["a\ufffdb", "ok"] and back["m"].tolist() == ["x\ufffd", "1"]


def test_table_currency_and_per_row_money_formats():
    projects = pd.DataFrame({"project_id": ["P1", "P2", "P3"], "currency": ["CNY", " USD ", None]})
    rows = pd.DataFrame({"project_id": ["P2", "P1", "P3", "P9"], "BAC": [1.0, 2.0, 3.0, 4.0]})
    assert export.table_currency(rows, projects) == ["USD", "CNY", None, None]
    assert export.table_currency(rows[rows["project_id"] == "P1"], projects) == "CNY"
    assert export.table_currency(rows.iloc[2:], projects) is None
    # a roll-up without project_id: the one currency every project uses, else none
    assert export.table_currency(pd.DataFrame({"BAC": [1.0]}), projects.iloc[:1]) == "CNY"
    assert export.table_currency(pd.DataFrame({"BAC": [1.0]}), projects) is None
    # the table's own currency column wins; nothing known -> None
    assert export.table_currency(pd.DataFrame({"currency": ["EUR", "EUR"]}), projects) == "EUR"
    assert export.table_currency(rows) is None
    ws = _open(
        export.to_excel_bytes(
            rows, currency="GBP", row_currency=["USD", "CNY", None, "XYZ"], column_formats={"BAC": "money"}
        )
    )["Data"]
    assert [ws.cell(row=r, column=2).value for r in range(2, 6)] == [1, 2, 3, 4]
    assert ws["B2"].number_format.startswith('"$"#,##0.00') and ws["B3"].number_format.startswith('"¥"#,##0.00')
    assert ws["B4"].number_format.startswith('"£"#,##0.00')  # no row currency: the table's
    assert ws["B5"].number_format.startswith('#,##0.00 "XYZ"')


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=30),
            st.sampled_from(DANGEROUS),
            st.builds(lambda a, b: a + b, st.sampled_from(["=", "+", "-", "@", "\t", "\r"]), st.text(max_size=10)),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_hypothesis_csv_round_trip_of_arbitrary_text(values):
    # every field comes back exactly, with one leading apostrophe when it starts with = + - @ tab CR
    df = pd.DataFrame({"v": values, "n": np.arange(len(values), dtype=float)})
    back = _read_csv(export.to_csv_bytes(df))
    expected = [("'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v) for v in values]
    assert back["v"].tolist() == expected
    assert back["n"].tolist() == [f"{i}.0" for i in range(len(values))]


def test_excel_number_formats_from_the_page_display_formats():
    f = export.excel_number_format
    assert [f(s) for s in ("{:,.0f}", "{:.2f}", "{:,.2f}", "{:.0%}", "{:.1%}", "{:+.0f}", "{:d}")] == [
        "#,##0",
        "0.00",
        "#,##0.00",
        "0%",
        "0.0%",
        "+0;-0;0",
        "0",
    ]
    assert [f(s) for s in ("%.2f", "%d", "%.1f%%", "percent", "dollar")] == [
        "0.00",
        "0",
        '0.0"%"',
        "0.0%",
        '"$"#,##0.00',
    ]
    assert f({"type_config": {"type": "number", "format": "percent"}}) == "0.0%"  # st.column_config.NumberColumn
    assert [f(s) for s in ("localized", "{:>10}", None, len, {"label": "x"})] == [None] * 5
    # money and percent named columns keep their kind (currency; CV % stays a percentage) unless shown as %
    shown = {"BAC": "{:,.0f}", "CV %": "{:.2f}", "CPI": "{:.2f}", "Score": "{:.0f}", "Probability": "{:.0%}", "x": len}
    assert export.display_formats(shown) == {"CPI": "0.00", "Score": "0", "Probability": "0%"}
