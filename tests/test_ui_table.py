"""ui.table: numbers stay numbers with the kind registry's formats in ``st.column_config``
(no pandas Styler: it cost seconds at 1,000 rows and turned numbers into strings that sort as
text), dates as dates, RAG words with a shape, project ids linking to the project page, and
a currency column beside money in several currencies."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pmo_analytics.ui import _spec_kind, order_columns, project_link

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("{:,.0f}", ("count", False)),
        ("{:.2f}", ("index", False)),
        ("{:+.1f}", ("number", True)),
        ("{:.0%}", ("percent", False)),
        ("{:+.0f}", ("count", True)),
        ("{:,}", (None, False)),
        (None, (None, False)),
    ],
)
def test_page_formats_as_kinds(spec, expected):
    assert _spec_kind(spec) == expected


def test_identity_rag_and_indices_lead():
    df = pd.DataFrame(columns=["bac", "spi", "name", "rag", "cpi", "project_id", "manager"])
    assert list(order_columns(df).columns) == ["name", "project_id", "rag", "cpi", "spi", "bac", "manager"]


def test_project_link():
    assert project_link("PRJ-104", "en") == "project?id=PRJ-104&lang=en"
    assert project_link("PRJ-104", "zh") == "project?id=PRJ-104&lang=zh"  # a new tab keeps the language
    assert project_link("A&B 1", "en") == "project?id=A%26B%201&lang=en"  # a query value, escaped
    assert project_link(None) is None and project_link(float("nan")) is None and project_link(" ") is None


def _script(n: int, currencies: tuple[str, ...]) -> None:
    import pandas as pd

    from pmo_analytics import ui

    df = pd.DataFrame(
        {
            "project_id": [f"P{i}" for i in range(n)],
            "bac": [1234.5 + i for i in range(n)],
            "cpi": [0.9] * (n - 1) + [None],
            "probability": [0.8333] * n,
            "story_points": [29.0] * n,
            "rag": ["Red", "Amber", "Green", ""] * (n // 4),
            "start": pd.to_datetime(["2026-01-05"] * (n - 1) + [None]),
            "owner": ["Ann"] * (n - 1) + [None],
        }
    )
    words = {"Red": "red", "Amber": "amber", "Green": "green"}
    ui.table(df, "t", rag={"rag": words.get, "cpi": ui.settings().rag}, downloads=False, currency=None)


def _currencies_script(codes: list[str]) -> None:
    """Two projects in the store with these currencies; a money table without a currency column."""
    import pandas as pd

    from pmo_analytics import ui

    ui.table(pd.DataFrame({"project_id": ["P1", "P2"], "bac": [1000.0, 2000.0]}), "m", downloads=False)


@pytest.mark.parametrize("n", [8, 2000])
def test_numbers_stay_numbers_with_formats(n, tmp_path, monkeypatch):
    monkeypatch.setenv("PMO_DB", str(tmp_path / "t.duckdb"))
    at = AppTest.from_function(_script, args=(n, ()), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    el = at.dataframe[0]
    df, config = el.value, json.loads(el.proto.columns or "{}")
    assert len(df) == n
    assert "background-color" not in str(el.proto)  # no Styler cell styles
    assert el.proto.placeholder == "—"  # missing cells read "—", not None
    # identity, RAG, index first
    assert list(df.columns)[:3] == ["Project ID", "RAG", "CPI"]
    for header in ("BAC", "CPI", "Probability", "Story points"):
        assert pd.api.types.is_float_dtype(df[header]), header  # numbers, never strings
    assert config["BAC"]["type_config"]["format"] == "%,.0f"
    assert config["CPI"]["type_config"]["format"] == "%.2f"
    # Streamlit's percent preset with step 0.001: one decimal, 0.8333 -> 83.3%
    pct = config["Probability"]["type_config"]
    assert (pct["format"], pct["step"]) == ("percent", 0.001)
    assert config["Story points"]["type_config"]["format"] == "%,.1f"
    start = config["Start"]["type_config"]
    assert (start["type"], start["format"]) == ("date", "YYYY-MM-DD")
    assert df["RAG"].tolist()[:3] == ["● Red", "▲ Amber", "■ Green"] and pd.isna(df["RAG"].iloc[3])
    # ascending text order reads Green, Amber, Red: a sort by RAG groups by severity
    assert sorted(["● Red", "▲ Amber", "■ Green"]) == ["■ Green", "▲ Amber", "● Red"]
    assert df["Project ID"].iloc[0] == "project?id=P0&lang=en"
    link = config["Project ID"]["type_config"]
    assert link["type"] == "link" and link["display_text"] == r"project\?id=([^&]*)"  # the id alone
    assert config["Project ID"]["pinned"] is True  # the id stays in view on a wide table


def _store_two_currencies(db):
    from pmo_analytics.ingest.base import ParsedUpload
    from pmo_analytics.ingest.validate import typed_frame
    from pmo_analytics.store import Store, close_all

    s = Store(db)
    frames = {"projects": typed_frame("projects", {"project_id": ["P1", "P2"], "currency": ["CNY", "USD"]})}
    from datetime import date

    s.import_parsed(ParsedUpload(source_name="p", source_format="test", sha256="p", tables=frames), date(2026, 1, 5))
    close_all()


def test_mixed_currencies_get_a_currency_column(tmp_path, monkeypatch):
    db = tmp_path / "t.duckdb"
    _store_two_currencies(db)
    monkeypatch.setenv("PMO_DB", str(db))
    at = AppTest.from_function(_currencies_script, args=([],), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    el = at.dataframe[0]
    df, config = el.value, json.loads(el.proto.columns or "{}")
    assert list(df.columns) == ["Project ID", "Currency", "BAC"]
    assert df["Currency"].tolist() == ["CNY", "USD"]
    assert config["BAC"]["type_config"]["format"] == "%,.0f"  # the code is in the column beside


def test_table_view_without_a_session():
    """``table_view`` alone: dates held as objects become dates, a signed change that rounds to
    nothing is shown +0.00 (not -0.00), a text column holding numbers stays text, the data
    the downloads write keeps the plain values."""
    from datetime import date

    from pmo_analytics.ui import table_view

    df = pd.DataFrame(
        {
            "task_id": ["7", "8"],
            "due_date": [date(2026, 1, 5), None],
            "delta": [-0.0004, 0.126],
            "note": ["12", "13"],
        }
    )
    view = table_view(df, lang_code="zh", formats={"delta": "{:+.2f}"}, kinds={"delta": "index"}, links=False)
    shown, config = view.shown, {k: v for k, v in view.config.items()}
    assert pd.api.types.is_datetime64_any_dtype(shown["到期日"]) and pd.isna(shown["到期日"].iloc[1])
    assert config["到期日"]["type_config"]["format"] == "YYYY-MM-DD"
    delta = shown.columns[2]
    assert shown[delta].tolist() == [0.0, 0.13] and str(shown[delta].iloc[0]) == "0.0"  # -0.0004 -> 0.00, no minus
    assert config[delta]["type_config"]["format"] == "%+.2f"
    assert view.kinds["note"] == "text" and shown[shown.columns[3]].tolist() == ["12", "13"]
    assert view.data["delta"].tolist() == [-0.0004, 0.126]  # downloads keep the values


def test_downloads_use_the_same_kinds():
    """The Excel download of a table writes each column with its kind's number format, the
    screen's: CPI 0.00, probability 0.0%, hours #,##0.0, money with the row's currency."""
    import io

    import openpyxl

    from pmo_analytics import export
    from pmo_analytics.ui import excel_formats, readable, table_view

    df = pd.DataFrame(
        {
            "project_id": ["P1", "P2"],
            "currency": ["CNY", "USD"],
            "cpi": [0.9661, 1.0183],
            "probability": [0.8333, 0.8],
            "planned_hours": [16.25, 8.0],
            "bac": [2493100.0, 601900.0],
        }
    )
    view = table_view(df, lang_code="en", links=True)
    data = readable(view.data, "en")
    book = export.to_excel_bytes(
        data, column_formats=excel_formats(view, "en"), row_currency=df["currency"].tolist(), lang="en"
    )
    ws = openpyxl.load_workbook(io.BytesIO(book)).active
    header_row = next(r for r in ws.iter_rows() if r[0].value == "Project ID")
    cols = {c.value: c.column for c in header_row}
    first = header_row[0].row + 1
    cell = lambda name: ws.cell(first, cols[name])  # noqa: E731
    assert cell("Project ID").value == "P1"  # the download keeps the plain id, not the link
    assert cell("CPI").value == 0.9661 and cell("CPI").number_format == "0.00"
    assert cell("Probability").number_format == "0.0%"
    assert cell("Planned hours").number_format == "#,##0.0"
    assert "¥" in cell("BAC").number_format and "$" in ws.cell(first + 1, cols["BAC"]).number_format
