"""AppTest: the Import page's history withdraws, restores and purges an import only after a
confirmation naming what disappears (file, status date, rows per table, projects), in both
languages; every step lands in the audit trail with the actor."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pmo_analytics.ingest import parse_bytes
from pmo_analytics.store import Store, close_all
from tests.helpers import PROJECTS, TASKS, template_bytes, workbook_bytes

ROOT = Path(__file__).resolve().parent.parent
D1, D2 = date(2025, 1, 31), date(2025, 2, 28)


@pytest.fixture
def two(app_db):
    later = [r[:] for r in TASKS]
    later[2][7] = 0.9
    s = Store()
    s.import_parsed(parse_bytes("portfolio.xlsx", template_bytes()), D1)
    s.import_parsed(parse_bytes("february.xlsx", workbook_bytes({"Projects": PROJECTS, "Tasks": later})), D2)
    close_all()
    return app_db


def _import_page(lang: str = "en"):
    at = AppTest.from_file(str(ROOT / "pages" / "20_import.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def test_withdraw_asks_first_naming_what_disappears_then_restore_brings_it_back(two):
    at = _import_page()
    assert at.selectbox(key="undo_pick").value == 2  # the newest first
    at.button(key="undo_btn").click().run()
    assert not at.exception, at.exception
    # nothing happened yet: the question names file, status date, rows per table and projects
    assert Store().imports()["withdrawn_at"].isna().all()
    assert [w.value for w in at.warning] == [
        "Withdraw import #2 (february.xlsx, status date 2025-02-28)? Its rows leave every page, report and "
        "export: Projects 2, Tasks 3 (5 rows in 2 table(s))."
    ]
    projects = [m.value for m in at.markdown if m.value.startswith("Projects (2):")]
    assert projects == ["Projects (2):\n\n- P1, P2: current status date 2025-02-28 → 2025-01-31"]
    at.button(key="undo_yes").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        "Import #2 withdrawn: 5 rows hidden from every view (restore it from the history)."
    ]
    s = Store()
    assert s.imports().set_index("import_id").at[2, "withdrawn_by"] == "local"
    assert set(s.table("tasks")["status_date"].dt.date) == {D1}

    # restore: asked again, naming who withdrew it
    assert "withdrawn" in at.selectbox(key="undo_pick").format_func(2)
    at.button(key="restore_btn").click().run()
    assert at.warning[0].value.startswith(
        "Restore import #2 (february.xlsx, status date 2025-02-28), withdrawn by local at "
    )
    at.button(key="undo_yes").click().run()
    assert [s.value for s in at.success] == ["Import #2 restored: 5 rows back in view."]
    assert set(Store().table("tasks")["status_date"].dt.date) == {D2}
    assert Store().audit_entries()[["actor", "action", "target"]].values.tolist() == [
        ["local", "import.restore", "2"],
        ["local", "import.withdraw", "2"],
    ]


def test_cancel_changes_nothing_and_purge_needs_a_withdrawn_import(two):
    at = _import_page()
    at.button(key="undo_btn").click().run()
    at.button(key="undo_no").click().run()
    assert not at.warning and Store().imports()["withdrawn_at"].isna().all()
    assert not [b for b in at.button if b.key == "purge_btn"]  # only withdrawn imports can be purged
    at.button(key="undo_btn").click().run()
    at.button(key="undo_yes").click().run()
    at.button(key="purge_btn").click().run()  # open mode: the person at this machine is the admin
    assert at.warning[0].value == (
        "Delete the 5 rows and the record of withdrawn import #2 (february.xlsx) for good? This cannot be undone."
    )
    at.button(key="undo_yes").click().run()
    assert [s.value for s in at.success] == ["Import #2 purged: 5 rows deleted for good."]
    assert Store().imports()["import_id"].tolist() == [1]


def test_the_confirmation_in_chinese(two):
    at = _import_page("zh")
    at.button(key="undo_btn").click().run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == [
        "撤回导入 #2（february.xlsx，状态日期 2025-02-28）？其数据将从所有页面、报告和导出中隐去："
        "项目 2 行，任务 3 行（共 5 行，2 张表）。"
    ]
    projects = [m.value for m in at.markdown if m.value.startswith("项目（2 个）：")]
    assert projects == ["项目（2 个）：\n\n- P1, P2：当前状态日期 2025-02-28 → 2025-01-31"]
    assert any(c.value == "不会删除任何数据：可在导入历史中恢复此导入。" for c in at.caption)
    at.button(key="undo_yes").click().run()
    assert [s.value for s in at.success] == ["已撤回导入 #2：5 行数据已从所有视图中隐去（可在历史中恢复）。"]
