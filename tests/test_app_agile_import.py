"""AppTest: the Import page asks what a file leaves open (issue 17 items 4-5): the day/month order
on the checks step, the project of a file without a project column, a Trello board's lists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pmo_analytics.store import Store
from tests.conftest import run_app
from tests.helpers import workbook_bytes
from tests.test_agile_import import RISKS_NO_PROJECT, TASKS_AMBIGUOUS, board

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def at(app_db) -> AppTest:
    return run_app("20_import.py")


def load(at: AppTest, n: int) -> None:
    commit = [b for b in at.button if b.label.startswith(f"Load {n} valid rows")]
    assert commit, [b.label for b in at.button]
    commit[0].click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_day_month_order_is_asked_on_the_checks_step(at):
    at.file_uploader[0].set_value(("plan.csv", TASKS_AMBIGUOUS.encode(), "text/csv")).run()
    assert not at.radio  # asked on the checks step, once a status date is chosen
    at.date_input[0].set_value(date(2025, 4, 30)).run()
    radio = at.radio[0]
    assert "03/04 is 3 April or 4 March" in radio.label
    assert radio.value is True  # day first, as read
    radio.set_value(False).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.radio[0].value is False
    load(at, 2)
    start = Store().query("SELECT start FROM tasks ORDER BY task_id")["start"]
    assert [d.date() for d in start] == [date(2025, 3, 4), date(2025, 8, 4)]  # read month first


def test_a_file_without_project_column_gets_a_project_picker(at):
    at.file_uploader[0].set_value(("risks.xlsx", workbook_bytes({"Risks": RISKS_NO_PROJECT}), XLSX)).run()
    assert any("no project column" in w.value for w in at.warning)
    new = [t for t in at.text_input if t.label == "or a new project id"]
    assert new
    new[0].set_value("P7").run()
    assert not at.exception, [e.value for e in at.exception]
    at.date_input[0].set_value(date(2025, 4, 30)).run()
    load(at, 2)
    assert Store().query("SELECT DISTINCT project_id FROM risks")["project_id"].tolist() == ["P7"]


def test_a_boards_list_categories_are_shown_and_saved_for_the_board(at):
    data = board(["Alfa", "Beta", "Gamma"], [("x", 0), ("y", 1), ("z", 2)])
    at.file_uploader[0].set_value(("tienda.json", data, "application/json")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(e.label == "Trello lists as status categories" for e in at.expander)
    save = [b for b in at.button if b.label == "Save for this board"]
    assert save
    save[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("List categories saved for board" in s.value for s in at.success)
    from pmo_analytics.ingest import board_lists

    saved = board_lists.load(Store())
    assert [d["categories"] for d in saved] == [{"Alfa": "To Do", "Beta": "In Progress", "Gamma": "Done"}]
    # the saved mapping now applies, and the page says whose it is
    assert any("Categories as saved for this board by local on" in c.value for c in at.caption)
    load(at, 3)
    cats = Store().query("SELECT title, status_category FROM work_items ORDER BY title")
    assert cats["status_category"].tolist() == ["To Do", "In Progress", "Done"]


def test_the_questions_are_asked_in_chinese(app_db):
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "pages" / "20_import.py"), default_timeout=60)
    at.session_state["lang"] = "zh"
    at.run()
    at.file_uploader[0].set_value(("plan.csv", TASKS_AMBIGUOUS.encode(), "text/csv")).run()
    at.date_input[0].set_value(date(2025, 4, 30)).run()
    assert not at.exception, [e.value for e in at.exception]
    radio = at.radio[0]
    # file text is escaped for Markdown (plan.csv\\: Start), the sentence is Chinese
    assert radio.label.replace("\\", "").startswith("plan.csv: Start, plan.csv: Finish 中没有任何值能说明 03/04")
    assert radio.options == ["日/月/年（31/12/2025）", "月/日/年（12/31/2025）"]
