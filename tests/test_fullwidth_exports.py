"""Full-width formula characters (＝ U+FF1D, ＋ U+FF0B, － U+FF0D, ＠ U+FF20) are neutralised in
every export exactly like their ASCII twins (= + - @, tab, CR): in CSV a leading apostrophe, in
every xlsx (table download, portfolio report workbook, weekly report) a string cell, never a
formula or a link, the text unchanged."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from pmo_analytics import export
from pmo_analytics import report_workbook as rw
from pmo_analytics.metrics.report import weekly_report
from pmo_analytics.weekly import report_bytes
from tests import test_export_report as er
from tests import test_report as wr

FULL_WIDTH = [
    "\uff1dHYPERLINK(\uff02http://x\uff02)",  # ＝HYPERLINK(...)
    "\uff0b1\uff0b1",  # ＋1＋1
    "\uff0d2\uff0b3",  # －2＋3
    "\uff20SUM(A1)",  # ＠SUM(A1)
]
ASCII = ["=1+1", "+1", "-1+2", "@SUM(1)", "\t=1", "\r=1"]
HARMLESS = ["a\uff1db", "中文＝项目", "plain"]  # a full-width sign inside the text is no trigger


def _read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_csv_escapes_full_width_like_ascii():
    values = FULL_WIDTH + ASCII + HARMLESS
    df = pd.DataFrame({"name": values, "mixed": [*values[:-1], 3]})
    back = _read_csv(export.to_csv_bytes(df))
    expected = ["'" + v for v in FULL_WIDTH + ASCII] + HARMLESS
    assert back["name"].tolist() == expected
    assert back["mixed"].tolist() == [*expected[:-1], "3"]


def test_csv_headers_with_full_width_trigger():
    df = pd.DataFrame({"\uff1dbad": ["x"], "\uff20h": ["y"], "ok": ["z"]})
    back = _read_csv(export.to_csv_bytes(df))
    assert list(back.columns) == ["'\uff1dbad", "'\uff20h", "ok"]


def _string_cells(data: bytes) -> dict[str, str]:
    """Every text cell of every sheet (value -> sheet!cell), asserting none is a formula or link."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type not in ("f", "e"), (ws.title, cell.coordinate, cell.value)
                assert cell.hyperlink is None
                if isinstance(cell.value, str):
                    found[cell.value] = f"{ws.title}!{cell.coordinate}"
    return found


def test_excel_download_keeps_full_width_text_as_strings():
    df = pd.DataFrame({"\uff1dhead": FULL_WIDTH, "n": [1, 2, 3, 4]})
    cells = _string_cells(export.to_excel_bytes(df))
    for v in [*FULL_WIDTH, "\uff1dhead"]:
        assert v in cells, v  # exact text, written as a string cell


def test_report_workbook_keeps_full_width_text_as_strings():
    projects = er._projects().assign(name=FULL_WIDTH[:2])
    risks = er._risks().assign(title=FULL_WIDTH)
    data = rw.portfolio_report(
        projects=projects, evm_history=er._history(), risks=risks, filters=[FULL_WIDTH[2]], notes=[FULL_WIDTH[3]]
    )
    cells = _string_cells(data)
    for v in FULL_WIDTH:
        assert v in cells, v


def test_weekly_report_keeps_full_width_text_as_strings():
    risks = wr.risks()
    risks.loc[risks["risk_id"] == "R3", "title"] = FULL_WIDTH[0]
    risks.loc[risks["risk_id"] == "R3", "owner"] = FULL_WIDTH[3]
    projects = wr.projects().replace({"Alpha": FULL_WIDTH[1]})
    rep = weekly_report(wr.tasks(), projects, wr.periods(), risks, wr.notes(), wr.SETTINGS)
    cells = _string_cells(report_bytes(rep, "xlsx"))
    for v in (FULL_WIDTH[0], FULL_WIDTH[1], FULL_WIDTH[3]):
        assert v in cells, v
