"""AppTests of the weekly-cycle pages on the demo portfolio: Status report, Quality &
acceptance, Change history, Lessons learned. Pages that write (notes, register edits,
lessons) get their own copy of the demo database."""

from __future__ import annotations

import shutil
from datetime import date

import pandas as pd
import pytest

from pmo_analytics.demo import build_demo
from pmo_analytics.store import Store, close_all
from tests.conftest import run_app
from tests.helpers import plain

HOSTILE = "<script>alert('x')</script> =cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("weekly") / "demo.duckdb"
    build_demo(Store(db))
    close_all()
    return db


@pytest.fixture
def ro_db(demo_db, monkeypatch):
    """The shared demo database (pages that only read)."""
    monkeypatch.setenv("PMO_DB", str(demo_db))
    yield demo_db
    close_all()


@pytest.fixture
def rw_db(demo_db, tmp_path, monkeypatch):
    """A private copy of the demo database (pages that write)."""
    close_all()
    db = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, db)
    monkeypatch.setenv("PMO_DB", str(db))
    yield db
    close_all()


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def frame_with(at, column: str) -> pd.DataFrame:
    return next(plain(d.value) for d in at.dataframe if column in d.value.columns)


# ------------------------------------------------------------------ status report
def test_status_report_page(ro_db):
    at = run_app("85_status_report.py", timeout=120)
    # red/amber/green boxes carry the RAG and why; nothing else went wrong on the page
    assert all(e.value.startswith("Overall: ") for e in at.error)
    assert metric(at, "Status date") == "2026-10-31"
    assert at.selectbox(key="weekly_prev").value == "2026-09-30"
    assert metric(at, "CPI") != "—" and metric(at, "Risk exposure") != "—"
    overview = frame_with(at, "Why")
    # 12 demo projects less the closed PRJ-108 (left out like on every surface)
    assert len(overview) == 11 and "PRJ-108" not in set(overview["Project ID"]) and overview["RAG"].iloc[0] == "Red"
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download report (Excel)" in labels and "Download printable report (HTML)" in labels

    # an earlier status date from the sidebar: the report follows it
    at = run_app("85_status_report.py", timeout=120, session_state={"f_as_of": "2026-08-31"})
    assert metric(at, "Status date") == "2026-08-31" and at.selectbox(key="weekly_prev").value == "2026-07-31"


def test_manager_note_is_saved_per_status_date(rw_db):
    at = run_app("85_status_report.py", timeout=120)
    assert at.selectbox(key="weekly_project").value == "PRJ-101"
    at.text_area(key="weekly_note_PRJ-101_2026-10-31").input(HOSTILE)
    at.text_input(key="weekly_note_author").input("Alice")
    at.button(key="weekly_note_save").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Note saved for PRJ-101 at 2026-10-31."]
    notes = Store(rw_db).notes()
    assert notes[["project_id", "note", "author"]].values.tolist() == [["PRJ-101", HOSTILE, "Alice"]]
    assert notes["status_date"].iloc[0] == pd.Timestamp("2026-10-31")
    overview = frame_with(at, "Manager's note").set_index("Project ID")
    assert overview.at["PRJ-101", "Manager's note"] == HOSTILE
    assert at.text_area(key="weekly_note_PRJ-101_2026-10-31").value == HOSTILE


def test_status_report_in_chinese(ro_db):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "pages" / "85_status_report.py"), default_timeout=120)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "周报"
    assert metric(at, "状态日期") == "2026-10-31"
    assert "原因" in frame_with(at, "原因").columns


# ------------------------------------------------------------------ quality and acceptance
def test_quality_page_defects(ro_db):
    at = run_app("86_quality.py", timeout=120)
    assert not at.error
    items = Store(ro_db).table("work_items")
    bugs = items[items["type"] == "Bug"]  # the demo's only defect type
    done = bugs["status_category"] == "Done"
    assert metric(at, "Defects") == str(len(bugs))
    assert metric(at, "Open defects") == str(int((~done).sum()))
    by_date = frame_with(at, "Highest")
    assert by_date["Status date"].astype(str).str[:10].tolist() == [
        "2026-07-31",
        "2026-08-31",
        "2026-09-30",
        "2026-10-31",
    ]
    assert by_date["Total"].iloc[-1] == int((~done).sum())
    versions = frame_with(at, "Fix version")
    assert versions["Defects"].sum() == len(bugs)
    assert [d.editing_mode for d in at.dataframe][-1] == "dynamic"  # the register editor
    # the demo's register (one deliverable per phase gate) at the status date 2026-10-31:
    # accepted = an "Accepted" status; overdue = not accepted and due before the status date
    reg = Store(ro_db).table("deliverables")
    reg = reg[reg["project_id"] != "PRJ-108"]  # the closed project is left out (sidebar toggle off)
    accepted = reg["acceptance_status"] == "Accepted"
    overdue = ~accepted & (reg["due_date"] < pd.Timestamp("2026-10-31"))
    shown = frame_with(at, "State")
    assert len(shown) == len(reg) == 77  # 84 in the demo register, 7 of them PRJ-108's
    states = shown["State"].value_counts()
    assert states["accepted"] == accepted.sum() and states["overdue"] == overdue.sum() > 0


def test_deliverable_edit_is_an_import_that_the_import_page_undoes(rw_db):
    at = run_app("86_quality.py", timeout=120)
    assert at.selectbox(key="quality_edit_project").value == "PRJ-101"
    before = Store(rw_db).table("deliverables", projects=["PRJ-101"])
    close_all()
    assert len(before) > 0
    at.session_state["quality_editor_PRJ-101_2026-10-31"] = {
        "edited_rows": {},
        "added_rows": [
            {"deliverable_id": "D-1", "name": HOSTILE, "due_date": "2026-11-15", "acceptance_status": "Accepted"},
            {"deliverable_id": "D-2", "name": "Cutover plan", "due_date": "2026-10-20"},
        ],
        "deleted_rows": [],
    }
    at.text_input(key="quality_edit_user").input("Bob")
    at.button(key="quality_edit_save").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Saved: edit by Bob at ")
    store = Store(rw_db)
    imp = store.imports().iloc[0]
    # the whole register of the project is saved: its demo rows plus the two new ones
    assert imp["source_format"] == "in-app edit" and imp["entity"] == "deliverables"
    assert imp["rows_loaded"] == len(before) + 2
    reg = store.table("deliverables", projects=["PRJ-101"]).set_index("deliverable_id")
    assert reg.at["D-1", "name"] == HOSTILE and reg.at["D-1", "status_date"] == pd.Timestamp("2026-10-31")
    # the register shows the states: D-2 due 20 Oct, status date 31 Oct -> overdue; D-1 accepted
    shown = frame_with(at, "State").set_index("Deliverable ID")
    assert shown.at["D-2", "State"] == "overdue" and shown.at["D-1", "State"] == "accepted"
    close_all()
    # withdraw from the Import page's history
    imp_page = run_app("20_import.py", timeout=120)
    imp_page.selectbox(key="undo_pick").set_value(int(imp["import_id"]))
    imp_page.button(key="undo_btn").click().run()
    imp_page.button(key="undo_yes").click().run()  # the confirmation naming what disappears
    assert not imp_page.exception
    after = Store(rw_db).table("deliverables", projects=["PRJ-101"])
    assert sorted(after["deliverable_id"]) == sorted(before["deliverable_id"])  # back to the demo's rows


def test_deliverable_edit_while_looking_at_an_earlier_status_date_keeps_the_later_rows(rw_db):
    # the register at 2026-10-31 gains D-9 (an edit); then, with the sidebar at 2026-09-30, an
    # edit saved at the default date (the latest, 2026-10-31) starts from that date's rows:
    # D-9 stays (the edit is the project's whole register at its date, not the sidebar's)
    store = Store(rw_db)
    oct_rows = store.table("deliverables", projects=["PRJ-101"]).drop(columns=["import_id", "status_date"])
    extra = pd.DataFrame([{"project_id": "PRJ-101", "deliverable_id": "D-9", "name": "Runbook"}])
    store.save_edit("deliverables", pd.concat([oct_rows, extra], ignore_index=True), date(2026, 10, 31), "Ann")
    close_all()
    at = run_app("86_quality.py", timeout=120, session_state={"f_as_of": "2026-09-30"})
    assert at.date_input(key="quality_edit_date").value == date(2026, 10, 31)
    editor = [d for d in at.dataframe if d.editing_mode == "dynamic"][-1]
    assert "D-9" in editor.value["deliverable_id"].tolist()  # the rows the save starts from
    at.session_state["quality_editor_PRJ-101_2026-10-31"] = {
        "edited_rows": {},
        "added_rows": [{"deliverable_id": "D-10", "name": "Handover"}],
        "deleted_rows": [],
    }
    at.button(key="quality_edit_save").click().run()  # no name: nothing saved, says why
    assert [w.value for w in at.warning] == ["Enter your name: each saved edit records who made it."]
    assert len(Store(rw_db).imports()) == 5  # the demo's four files and the D-9 edit
    close_all()
    at.text_input(key="quality_edit_user").input("Bob")
    at.button(key="quality_edit_save").click().run()
    assert not at.exception and not at.error
    ids = Store(rw_db).table("deliverables", projects=["PRJ-101"])["deliverable_id"].tolist()
    close_all()
    assert "D-9" in ids and "D-10" in ids and len(ids) == len(oct_rows) + 2


# ------------------------------------------------------------------ change history
def test_change_history_page(ro_db):
    at = run_app("87_changes.py", timeout=120)
    assert not at.error
    assert at.selectbox(key="changes_project").value == "PRJ-101"
    assert (at.selectbox(key="changes_from").value, at.selectbox(key="changes_to").value) == (
        "2026-09-30",
        "2026-10-31",
    )
    at.selectbox(key="changes_project").set_value("PRJ-104")
    at.selectbox(key="changes_from").set_value("2026-07-31").run()
    assert not at.exception
    counts = {m.label: int(m.value) for m in at.metric}
    # PRJ-104's change requests enter as new tasks from the third snapshot on (demo design)
    assert counts["Tasks added"] >= 1 and counts["Dates moved"] > 0
    everything = frame_with(at, "Kind of change")
    assert len(everything) == sum(counts.values())
    assert "Tasks added" in set(everything["Kind of change"])


# ------------------------------------------------------------------ lessons
def test_lessons_page_add_search_and_benchmarks(rw_db):
    at = run_app("88_lessons.py", timeout=120)
    demo_lessons = Store(rw_db).table("lessons")
    close_all()
    assert len(demo_lessons) == 6 and (demo_lessons["project_id"] == "PRJ-104").sum() == 1  # L-001
    # closed-project benchmarks: the demo's one closed project (PRJ-108) beside a live project
    closed = frame_with(at, "Final CPI")
    assert closed["Project ID"].tolist() == ["PRJ-108"]
    assert at.selectbox(key="lessons_live").value == "PRJ-101"
    live = frame_with(at, "Live project")
    assert len(live) == 3
    at.selectbox(key="lessons_add_project").set_value("PRJ-104")
    at.text_input(key="lessons_add_phase").input("Build")
    at.text_area(key="lessons_add_what").input(HOSTILE)
    at.text_area(key="lessons_add_recommendation").input("Sign the vendor contract before design")
    at.text_input(key="lessons_add_owner").input("Cy")
    at.button(key="FormSubmitter:lessons_add-Save lesson").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Lesson saved: edit by Cy at ")
    reg = frame_with(at, "What happened")
    cols = ["Project ID", "Lesson ID", "Phase", "What happened"]
    assert len(reg) == 7
    assert ["PRJ-104", "L-002", "Build", HOSTILE] in reg[cols].values.tolist()  # next id after the demo's L-001
    at.text_input(key="lessons_search").input("sign the vendor contract").run()
    assert [c.value for c in at.caption if "lessons" in c.value] == ["1 of 7 lessons"]
    at.text_input(key="lessons_search").input("nothing like this").run()
    assert [c.value for c in at.caption if "lessons" in c.value] == ["0 of 7 lessons"]
    saved = Store(rw_db).table("lessons").set_index("lesson_id")
    lesson = saved[saved["project_id"] == "PRJ-104"].loc["L-002"]
    assert lesson["date"] == pd.Timestamp(date.today()) and lesson["owner"] == "Cy"


def test_lesson_added_while_looking_at_an_earlier_status_date_keeps_the_later_lessons(rw_db):
    # PRJ-101's demo lesson L-001 first appears at 2026-10-31; with the sidebar at 2026-09-30 a
    # new PRJ-101 lesson saved at the default date (2026-10-31) joins it as L-002 (it used to
    # replace it, reusing the id L-001)
    at = run_app("88_lessons.py", timeout=120, session_state={"f_as_of": "2026-09-30"})
    at.selectbox(key="lessons_add_project").set_value("PRJ-101")
    at.text_area(key="lessons_add_what").input("Test data arrived late")
    at.text_input(key="lessons_add_owner").input("Cy")
    at.button(key="FormSubmitter:lessons_add-Save lesson").click().run()
    assert not at.exception and not at.error
    saved = Store(rw_db).table("lessons", projects=["PRJ-101"]).set_index("lesson_id")
    close_all()
    assert sorted(saved.index) == ["L-001", "L-002"]
    assert saved.at["L-002", "what_happened"] == "Test data arrived late"
    assert saved.at["L-001", "what_happened"] != "Test data arrived late"  # the demo's lesson kept


@pytest.mark.parametrize("page", ["85_status_report.py", "86_quality.py", "87_changes.py", "88_lessons.py"])
def test_pages_on_an_empty_database(app_db, page):
    at = run_app(page, timeout=60)
    assert not at.error
    assert at.info  # says what to do (import data / nothing recorded yet)
