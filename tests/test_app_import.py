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
    # no date in the file or its name: no default, no Load button until the user chooses one
    assert at.date_input[0].value is None
    assert any("carries no status date" in w.value for w in at.warning)
    assert not [b for b in at.button if b.label.startswith("Load")]
    at.date_input[0].set_value(date(2025, 1, 31)).run()
    commit = [b for b in at.button if b.label.startswith("Load 4 valid rows")]
    assert commit, [b.label for b in at.button]
    commit[0].click().run()
    assert not at.exception, at.exception
    assert any(
        "import #1" in s.value and "status date 2025-01-31" in s.value and "4 rows loaded" in s.value
        for s in at.success
    )
    assert Store().counts()["tasks"] == 2
    # withdraw from the history (after its confirmation)
    at.button(key="undo_btn").click().run()
    at.button(key="undo_yes").click().run()
    assert any("Import #1 withdrawn: 4 rows hidden from every view" in s.value for s in at.success)
    assert Store().counts()["tasks"] == 0


def test_broken_upload_shows_error_and_app_keeps_working(app):
    at = open_import(app)
    at.file_uploader[0].set_value(
        [("broken.xlsx", template_bytes()[:1500], XLSX), ("good.xlsx", template_bytes(), XLSX)]
    ).run()
    assert not at.exception, at.exception
    assert any("broken.xlsx was not loaded" in e.value and "damaged or truncated" in e.value for e in at.error)
    at.date_input[0].set_value(date(2025, 1, 31)).run()
    assert any(b.label.startswith("Load 5 valid rows") for b in at.button)


def load_buttons(at: AppTest) -> list:
    return [b for b in at.button if b.label.startswith("Load")]


def test_duplicate_import_is_refused_on_the_page(app):
    at = open_import(app)
    Store().import_parsed(parse_bytes("p.xlsx", template_bytes()), date(2026, 8, 31))
    at.file_uploader[0].set_value(("p_2026-08-31.xlsx", template_bytes(), XLSX)).run()
    assert not at.exception
    assert at.date_input[0].value == date(2026, 8, 31)  # from the file name
    assert any(
        "was already imported with status date 2026-08-31 (import #1); it is not loaded again" in e.value
        for e in at.error
    )
    assert not load_buttons(at)


def test_date_in_the_file_name_is_proposed_and_named(app):
    at = open_import(app)
    at.file_uploader[0].set_value(("report 20260831.xlsx", template_bytes(), XLSX)).run()
    assert not at.exception, at.exception
    assert at.date_input[0].value == date(2026, 8, 31)
    assert any("Proposed from the file: 2026-08-31 (a date in the file name)" in c.value for c in at.caption)
    assert any("No conflicts with earlier imports." in c.value for c in at.caption)
    load_buttons(at)[0].click().run()
    assert any("import #1" in s.value and "status date 2026-08-31" in s.value for s in at.success)


MSPDI = """<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <Title>Old plan</Title><CurrentDate>2011-03-07T08:00:00</CurrentDate>{status}
  <Tasks>
    <Task><UID>1</UID><ID>1</ID><Name>A</Name><OutlineLevel>1</OutlineLevel><Start>2011-03-07T08:00:00</Start>
      <Finish>2011-03-11T17:00:00</Finish><Duration>PT40H0M0S</Duration><PercentComplete>0</PercentComplete></Task>
  </Tasks>
</Project>
"""


@pytest.mark.parametrize(
    ("status", "proposed", "source"),
    [
        ("<StatusDate>2011-03-04T17:00:00</StatusDate>", date(2011, 3, 4), "MS Project StatusDate"),
        ("", date(2011, 3, 7), "MS Project CurrentDate"),
    ],
)
def test_mspdi_status_date_then_current_date_is_proposed(app, status, proposed, source):
    at = open_import(app)
    at.file_uploader[0].set_value(("plan.xml", MSPDI.format(status=status).encode(), "text/xml")).run()
    assert not at.exception, at.exception
    assert at.date_input[0].value == proposed
    assert any(source in c.value for c in at.caption), [c.value for c in at.caption]


def test_same_content_under_another_date_needs_confirmation(app):
    """The issue's case: the August file, loaded as 2026-08-31, uploaded again under another date."""
    Store().import_parsed(parse_bytes("portfolio_2026-08-31.xlsx", template_bytes()), date(2026, 8, 31))
    at = open_import(app)
    at.file_uploader[0].set_value(("portfolio.xlsx", template_bytes(), XLSX)).run()
    at.date_input[0].set_value(date(2026, 9, 30)).run()
    assert not at.exception, at.exception
    assert any(
        "The same file content was imported before under another status date: import #1 (2026-08-31)" in w.value
        for w in at.warning
    ), [w.value for w in at.warning]
    assert load_buttons(at)[0].disabled
    at.checkbox[0].check().run()
    assert not load_buttons(at)[0].disabled
    load_buttons(at)[0].click().run()
    assert not at.exception, at.exception
    assert any("import #2" in s.value and "status date 2026-09-30" in s.value for s in at.success)
    assert Store().status_dates() == [date(2026, 8, 31), date(2026, 9, 30)]


def test_earlier_than_latest_warns_that_it_will_not_become_current(app):
    later = workbook_bytes({"Projects": PROJECTS})
    Store().import_parsed(parse_bytes("projects.xlsx", later), date(2026, 9, 30))
    at = open_import(app)
    at.file_uploader[0].set_value(("plan_2026-08-31.xlsx", template_bytes(), XLSX)).run()
    assert not at.exception, at.exception
    assert any(
        "The status date 2026-08-31 is earlier than the latest status date already loaded for 2 project(s): "
        "P1 (2026-09-30), P2 (2026-09-30). This import goes into history and will not become their current picture."
        in w.value
        for w in at.warning
    ), [w.value for w in at.warning]
    assert load_buttons(at)[0].disabled
    at.checkbox[0].check().run()
    load_buttons(at)[0].click().run()
    assert any("import #2" in s.value for s in at.success)
    # the projects' current picture is still the later one
    assert set(Store().table("projects")["status_date"].dt.date) == {date(2026, 9, 30)}


def test_a_correction_for_the_same_date_names_the_import_it_supersedes(app):
    Store().import_parsed(parse_bytes("plan_2026-08-31.xlsx", template_bytes()), date(2026, 8, 31))
    fixed = [r[:] for r in TASKS]
    fixed[1][7] = 0.5  # another % complete: new content, same projects, same date
    at = open_import(app)
    at.file_uploader[0].set_value(
        ("plan_2026-08-31 v2.xlsx", workbook_bytes({"Projects": PROJECTS, "Tasks": fixed}), XLSX)
    ).run()
    assert not at.exception, at.exception
    assert any(
        "Import #1 already holds status date 2026-08-31 for P1, P2: this import supersedes it" in i.value
        for i in at.info
    ), [i.value for i in at.info]
    assert not at.checkbox  # information, nothing to confirm
    load_buttons(at)[0].click().run()
    assert any(
        "import #2" in s.value and "It supersedes import #1 for the same status date." in s.value for s in at.success
    )


def test_proposal_and_checks_in_chinese(app):
    Store().import_parsed(parse_bytes("p.xlsx", template_bytes()), date(2026, 8, 31))
    at = open_import(app)
    at.session_state["lang"] = "zh"
    at.file_uploader[0].set_value(("report 20260731.xlsx", template_bytes(), XLSX)).run()
    assert not at.exception, at.exception
    assert any("根据文件建议：2026-07-31（文件名中的日期）" in c.value for c in at.caption)
    warnings = " ".join(w.value for w in at.warning)
    assert "相同内容的文件之前已以其他状态日期导入：导入 #1 (2026-08-31)" in warnings
    assert "状态日期 2026-07-31 早于 2 个项目已加载的最新状态日期" in warnings


def test_without_java_the_import_page_says_what_to_install(app, monkeypatch):
    from pmo_analytics.ingest import jvm

    at = open_import(app)
    if jvm.java_status().ok:  # nothing to say when Java is installed
        assert not any("default-jre-headless" in c.value for c in at.caption)
    monkeypatch.setattr(jvm, "java_status", lambda: jvm.JavaStatus(False, "java"))
    at.run()
    shown = [c.value for c in at.caption if "default-jre-headless" in c.value]
    assert shown and "MS Project .mpp" in shown[0]  # every other format still uploads
