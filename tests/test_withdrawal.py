"""Withdrawing an import hides it from every view (current and history), the previous snapshot
becomes current again, restoring brings it back, purging is for administrators and only for
withdrawn imports; every step is in the audit trail (issue 15 item 5)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from pmo_analytics import importing, withdrawal
from pmo_analytics.errors import DuplicateImportError, NotAllowedError, NotFoundError, StoreError
from pmo_analytics.frames import load_frames
from pmo_analytics.ingest import parse_bytes
from tests.helpers import PROJECTS, TASKS, template_bytes, workbook_bytes

D1, D2 = date(2025, 1, 31), date(2025, 2, 28)
ANA = "ana@example.com"


def parsed(data: bytes | None = None, name: str = "portfolio.xlsx"):
    return parse_bytes(name, data or template_bytes())


def _later() -> bytes:
    later = [r[:] for r in TASKS]
    later[2][7] = 0.9  # P1 task 2 progresses in February
    return workbook_bytes({"Projects": PROJECTS, "Tasks": later})


# built once: a workbook carries its creation time, so two builds a second apart differ in content
FEBRUARY = _later()


@pytest.fixture
def two(store):
    """Import #1 at D1 and #2 (P1 task 2 at 90 %) at D2: 2 projects + 3 tasks each."""
    a = store.import_parsed(parsed(), D1)
    b = store.import_parsed(parsed(FEBRUARY, "february.xlsx"), D2)
    return store, a, b


def _dates(frame) -> set[date]:
    return set(frame["status_date"].dt.date)


def test_preview_names_rows_per_table_projects_and_status_dates(two):
    store, a, b = two
    impact = store.import_impact(b.import_id)
    assert (impact.source_name, impact.status_date, impact.withdrawn) == ("february.xlsx", D2, False)
    assert impact.rows == {"projects": 2, "tasks": 3} and impact.total_rows == 5
    # both projects fall back from D2 to D1
    assert [(p.project_id, p.now, p.after) for p in impact.projects] == [("P1", D2, D1), ("P2", D2, D1)]
    assert store.import_impact(a.import_id).projects[0].after == D2  # #1 is history only: P1 stays at D2
    with pytest.raises(NotFoundError):
        store.import_impact(99)


def test_withdraw_hides_from_current_and_history_and_restore_brings_it_back(two):
    store, a, b = two
    store.withdraw_import(b.import_id, ANA)
    fr = load_frames(store)
    assert _dates(fr.current("tasks")) == {D1}  # the previous snapshot is current again
    assert _dates(fr.history("tasks")) == {D1}  # and February left history too
    assert fr.current("tasks").query("project_id == 'P1' and task_id == '2'")["percent_complete"].item() != 0.9
    assert store.status_dates() == [D1]
    assert store.counts()["tasks"] == 3  # 6 stored, the 3 of #2 out of view
    imp = store.imports().set_index("import_id")
    assert imp.at[b.import_id, "withdrawn_by"] == ANA and imp.at[b.import_id, "withdrawn_at"] is not None
    assert imp["withdrawn_at"].isna().tolist() == [False, True]  # newest first: #2 withdrawn, #1 not
    with pytest.raises(StoreError, match=f"import #{b.import_id} is already withdrawn \\(by {ANA}"):
        store.withdraw_import(b.import_id, ANA)

    store.restore_import(b.import_id, "bob@example.com")
    fr = load_frames(store)
    assert _dates(fr.current("tasks")) == {D2}
    assert _dates(fr.history("tasks")) == {D1, D2}
    assert fr.current("tasks").query("project_id == 'P1' and task_id == '2'")["percent_complete"].item() == 0.9
    assert store.imports()["withdrawn_at"].isna().all()
    with pytest.raises(StoreError, match="is not withdrawn"):
        store.restore_import(b.import_id, ANA)

    audit = store.audit_entries(action="import.").sort_values("recorded_at")
    assert audit[["actor", "action", "target"]].values.tolist() == [
        [ANA, "import.withdraw", str(b.import_id)],
        ["bob@example.com", "import.restore", str(b.import_id)],
    ]
    details = json.loads(audit["details"].iloc[0])
    assert details == {
        "file": "february.xlsx",
        "status_date": "2025-02-28",
        "rows": {"projects": 2, "tasks": 3},
        "projects": ["P1", "P2"],
    }


def test_withdrawing_a_correction_makes_the_superseded_snapshot_current_again(store):
    store.import_parsed(parsed(), D1)
    fixed = [r[:] for r in TASKS]
    fixed[1][8] = 450  # P1 task 1's budget corrected for the same status date
    c = store.import_parsed(parsed(workbook_bytes({"Projects": PROJECTS, "Tasks": fixed}), "fixed.xlsx"), D1)
    bac = lambda: store.table("tasks").query("project_id == 'P1' and task_id == '1'")["bac"].item()  # noqa: E731
    assert bac() == 450
    impact = store.withdraw_import(c.import_id, ANA)
    assert [(p.project_id, p.now, p.after) for p in impact.projects] == [("P1", D1, D1), ("P2", D1, D1)]
    assert bac() == TASKS[1][8] and len(store.table("tasks")) == 3


def test_a_project_only_the_import_holds_leaves_every_view(two):
    store, _, _ = two
    p3 = workbook_bytes({"Projects": [PROJECTS[0], ["P3", "Gamma", "Core", "Cy", "IT", 500, "Active"]]})
    r = store.import_parsed(parsed(p3, "gamma.xlsx"), D2)
    impact = store.import_impact(r.import_id)
    assert [(p.project_id, p.now, p.after) for p in impact.projects] == [("P3", D2, None)]
    text = withdrawal.project_lines(impact, "en")
    assert text == ["P3: no data left, it leaves every view (status date 2025-02-28)"]
    assert withdrawal.project_lines(impact, "zh") == ["P3：不再有数据，将从所有视图中消失（状态日期 2025-02-28）"]
    store.withdraw_import(r.import_id, ANA)
    assert "P3" not in set(load_frames(store).current("projects")["project_id"])


def test_confirmation_names_file_status_date_rows_and_projects_in_both_languages(two):
    store, _, b = two
    impact = store.import_impact(b.import_id)
    assert withdrawal.describe(impact, "en") == (
        f"Withdraw import #{b.import_id} (february.xlsx, status date 2025-02-28)? Its rows leave every page, "
        "report and export: Projects 2, Tasks 3 (5 rows in 2 table(s))."
    )
    assert withdrawal.describe(impact, "zh") == (
        f"撤回导入 #{b.import_id}（february.xlsx，状态日期 2025-02-28）？其数据将从所有页面、报告和导出中隐去："
        "项目 2 行，任务 3 行（共 5 行，2 张表）。"
    )
    # projects with the same change share a line
    assert withdrawal.project_lines(impact, "en") == ["P1, P2: current status date 2025-02-28 → 2025-01-31"]
    assert withdrawal.project_lines(impact, "en", most=1) == ["P1 +1: current status date 2025-02-28 → 2025-01-31"]
    store.withdraw_import(b.import_id, ANA)
    back = store.import_impact(b.import_id)
    assert withdrawal.describe(back, "en").startswith(
        f"Restore import #{b.import_id} (february.xlsx, status date 2025-02-28), withdrawn by {ANA} at "
    )
    assert [(p.project_id, p.now, p.after) for p in back.projects] == [("P1", D1, D2), ("P2", D1, D2)]
    # text from the data is escaped where asked (Markdown on the page)
    assert "(<february.xlsx>, status date" in withdrawal.describe(impact, "en", escape=lambda s: f"<{s}>")


def test_purge_is_for_administrators_and_only_for_withdrawn_imports(two):
    store, a, b = two
    with pytest.raises(NotAllowedError, match=f"only an administrator can purge import #{b.import_id}"):
        store.purge_import(b.import_id, ANA, admin=False)
    with pytest.raises(StoreError, match="is still in view and cannot be purged Withdraw it first."):
        store.purge_import(b.import_id, "root@example.com", admin=True)
    assert len(store.query("SELECT * FROM tasks")) == 6  # nothing deleted
    store.withdraw_import(b.import_id, ANA)
    with pytest.raises(NotAllowedError):
        store.purge_import(b.import_id, ANA, admin=False)
    assert store.purge_import(b.import_id, "root@example.com", admin=True) == 5  # 2 projects + 3 tasks
    assert len(store.query("SELECT * FROM tasks")) == 3
    assert store.imports()["import_id"].tolist() == [a.import_id]
    entry = store.audit_entries(action="import.purge")
    assert entry[["actor", "target"]].values.tolist() == [["root@example.com", str(b.import_id)]]
    assert json.loads(entry["details"].iloc[0])["rows_deleted"] == 5
    with pytest.raises(NotFoundError):
        store.restore_import(b.import_id, ANA)


def test_the_same_content_can_be_imported_again_after_withdrawal(two):
    store, _, b = two
    store.withdraw_import(b.import_id, ANA)
    again = parsed(FEBRUARY, "february.xlsx")
    checks = importing.check_import(store, again, D2)
    assert [c.code for c in checks] == ["withdrawn_before"]  # no duplicate refusal, no warning
    assert (
        checks[0]
        .text("en")
        .startswith(f"The same file content was imported before and withdrawn: import #{b.import_id} (2025-02-28). ")
    )
    assert checks[0].text("zh").startswith(f"相同内容的文件之前已导入并被撤回：导入 #{b.import_id} (2025-02-28)。")
    r = importing.load(store, again, D2)
    assert _dates(store.table("tasks")) == {D2}
    # restoring the withdrawn twin would show the same file twice: refused, naming the new one
    with pytest.raises(DuplicateImportError, match=f"import #{r.import_id} holds the same content"):
        store.restore_import(b.import_id, ANA)
    # while the twin is in view, loading it a third time is still a duplicate
    assert importing.check_import(store, again, D2)[0].code == "duplicate"
