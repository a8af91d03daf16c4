"""AppTest: a Chinese session reads Chinese errors and a Chinese validation report on the Import page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.helpers import PROJECTS, TASKS, template_bytes, workbook_bytes

ROOT = Path(__file__).resolve().parent.parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import_page_in_chinese():
    at = AppTest.from_file(str(ROOT / "pages" / "20_import.py"), default_timeout=60)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "导入", at.title[0].value
    return at


def test_bad_upload_shows_a_chinese_error(app_db):
    at = _import_page_in_chinese()
    at.file_uploader[0].set_value(("broken.xlsx", template_bytes()[:1500], XLSX)).run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    # the error carries key xlsx.damaged with hint.resave_excel; its Chinese text, not the English one
    assert any("工作簿已损坏或不完整，无法打开" in e and "文件“broken.xlsx”" in e for e in errors), errors
    assert not any("damaged or truncated" in e for e in errors), errors


def test_validation_report_reasons_are_chinese(app_db):
    at = _import_page_in_chinese()
    bad = [r[:] for r in TASKS]
    bad[2][4] = "2025/02/30"  # impossible finish date on P1 task 2 (file row 3)
    at.file_uploader[0].set_value(("plan.xlsx", workbook_bytes({"Projects": PROJECTS, "Tasks": bad}), XLSX)).run()
    assert not at.exception, at.exception
    report = at.dataframe[0].value  # the validation report is the first table on the page
    assert list(report.columns) == ["文件", "工作表", "行号", "列", "数值", "问题", "级别"]
    reasons = report["问题"].tolist()
    assert reasons == ["应为日期，例如 2025-03-31、31/03/2025、31-Mar-2025 或 2025年3月31日"], report
