"""AppTest: the app shell and the Import page (upload through file_uploader, report, commit, undo)."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from pmo_analytics.ingest import parse_bytes
from pmo_analytics.store import Store
from tests.conftest import run_app
from tests.helpers import PROJECTS, TASKS, template_bytes, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def app(app_db):
    return run_app()


def open_import(at: AppTest) -> AppTest:
    at.switch_page("pages/20_import.py").run()
    assert not at.exception, at.exception
    return at


def test_empty_database_shows_guidance(app):
    assert not app.exception
    assert app.title[0].value == "Portfolio"
    assert "No data yet" in app.info[0].value


def test_language_switch_to_chinese(app):
    app.selectbox(key="lang").set_value("zh").run()
    assert app.title[0].value == "项目组合"
    assert "暂无数据" in app.info[0].value


def test_upload_report_commit_and_undo(app, tmp_path):
    at = open_import(app)
    bad = [r[:] for r in TASKS]
    bad[2][4] = "2025/02/30"  # impossible finish date on P1 task 2 (file row 3)
    at.file_uploader[0].set_value(("plan.xlsx", workbook_bytes({"Projects": PROJECTS, "Tasks": bad}), XLSX)).run()
    assert not at.exception, at.exception
    texts = " ".join(m.value for m in at.markdown)
    assert "Detected: PMO template, 100%" in texts
    assert "5 rows read: 4 valid, 1 rejected." in texts
    report = at.dataframe[0].value  # the validation report is the first table on the page
    # headers named by labels.label (col.row, col.column), the same in the page and its downloads
    assert report["Row"].tolist() == [3] and report["Column"].tolist() == ["Finish"]
    commit = [b for b in at.button if b.label.startswith("Load 4 valid rows")]
    assert commit, [b.label for b in at.button]
    commit[0].click().run()
    assert not at.exception, at.exception
    assert any("import #1" in s.value and "4 rows loaded" in s.value for s in at.success)
    assert Store().counts()["tasks"] == 2
    # undo from the history
    at.button(key="undo_btn").click().run()
    assert any("Import #1 undone: 4 rows removed." in s.value for s in at.success)
    assert Store().counts()["tasks"] == 0


def test_broken_upload_shows_error_and_app_keeps_working(app):
    at = open_import(app)
    at.file_uploader[0].set_value(
        [("broken.xlsx", template_bytes()[:1500], XLSX), ("good.xlsx", template_bytes(), XLSX)]
    ).run()
    assert not at.exception, at.exception
    assert any("broken.xlsx was not loaded" in e.value and "damaged or truncated" in e.value for e in at.error)
    assert any(b.label.startswith("Load 5 valid rows") for b in at.button)


def test_duplicate_import_is_refused_on_the_page(app):
    at = open_import(app)
    Store().import_parsed(parse_bytes("p.xlsx", template_bytes()), date.today())
    at.file_uploader[0].set_value(("p.xlsx", template_bytes(), XLSX)).run()
    [b for b in at.button if b.label.startswith("Load")][0].click().run()
    assert not at.exception
    assert any("was already imported with status date" in e.value for e in at.error)
