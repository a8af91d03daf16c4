"""Tool exports -> canonical tables: one test group per format, on the fixture files in
tests/data/ (made by tests/data/make_fixtures.py to mirror each tool's real layout)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pmo_analytics.ingest import ParseOptions, parse_bytes
from pmo_analytics.ingest.formats import CONFIDENCE_BAR
from tests.conftest import DATA


def parse(name: str, **opts):
    return parse_bytes(name, (DATA / name).read_bytes(), options=ParseOptions(**opts))


def rows(df: pd.DataFrame, key: str) -> dict:
    return {r[key]: r for r in df.to_dict("records")}


def d(y, m, dd):
    return pd.Timestamp(date(y, m, dd))


# ------------------------------------------------------------------ detection


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("jira_cloud_all_fields.csv", "jira_csv"),
        ("jira_server_current_fields.csv", "jira_csv"),
        ("jira_zh.csv", "jira_csv"),
        ("msproject_task_table.xlsx", "msproject_excel"),
        ("msproject_task_table_zh.xlsx", "msproject_excel"),
        ("trello_board.json", "trello_json"),
        ("asana_project.csv", "asana_csv"),
        ("smartsheet_office_move.xlsx", "smartsheet"),
        ("smartsheet_office_move.csv", "smartsheet"),
        ("risk_register_en.xlsx", "risk_register"),
        ("risk_register_zh.csv", "risk_register"),
        ("risk_register_two_row_header.xlsx", "risk_register"),
        ("finance_periods.xlsx", "finance_periods"),
        ("finance_periods_zh.csv", "finance_periods"),
        ("finance_wide.xlsx", "finance_periods"),
    ],
)
def test_each_fixture_is_detected_as_its_format(name, fmt):
    p = parse(name, project_id="P")
    assert p.source_format == fmt
    assert p.confidence >= CONFIDENCE_BAR


# ------------------------------------------------------------------ Jira CSV


def test_jira_cloud_all_fields():
    p = parse("jira_cloud_all_fields.csv")
    wi = rows(p.tables["work_items"], "key")
    assert sorted(wi) == ["PHX-100", "PHX-101", "PHX-102", "PHX-103"]
    story = wi["PHX-101"]
    # two Sprint columns: both kept, the last is the current sprint
    assert story["sprints"] == ["PHX Sprint 1", "PHX Sprint 2"] and story["sprint"] == "PHX Sprint 2"
    assert story["story_points"] == 5.0
    assert story["created"] == d(2025, 11, 3) and story["resolved"] == d(2025, 11, 28)
    assert story["fix_version"] == "1.0, 1.1"  # two Fix versions columns joined
    assert story["parent"] == "PHX-100"  # Parent held the epic's issue id 10010
    assert story["project_id"] == "PHX" and story["status_category"] == "Done"
    # team-managed estimate used when Story Points is empty
    assert wi["PHX-102"]["story_points"] == 3.0 and wi["PHX-102"]["sprints"] == ["PHX Sprint 2"]
    assert wi["PHX-103"]["parent"] == "PHX-101"
    assert [str(x) for x in p.problems] == [
        "file 'jira_cloud_all_fields.csv', row 6, column 'Custom field (Story Points)' (value 'five'): "
        "expected a number such as 12.5"
    ]
    assert (p.rows_in, p.rows_loaded, p.rejected_rows) == (5, 4, 1)
    assert "2 Sprint columns read: every sprint kept in 'sprints', the last in 'sprint'." in p.notes
    # both Labels columns kept (backend, frontend); Due date empty in this export
    assert story["labels"] == ["backend", "frontend"] and pd.isna(story["due_date"])
    # columns read but not stored are reported
    assert (
        "columns not used: Project name, Project type, Project lead, Resolution, Reporter, Creator, Updated, "
        "Last Viewed, Description, Watchers, Custom field (Rank), Comment, Parent summary, Status Category Changed"
    ) in p.notes


def test_jira_server_current_fields_without_project_key():
    p = parse("jira_server_current_fields.csv")
    wi = rows(p.tables["work_items"], "key")
    assert wi["OPS-7"]["project_id"] == "OPS"  # prefix of the key
    assert wi["OPS-7"]["status_category"] == "Done"  # inferred from "Closed"
    assert wi["OPS-8"]["status_category"] == "To Do"  # inferred from "Open"
    assert wi["OPS-7"]["created"] == d(2025, 3, 2)
    assert "Status category inferred from the status names (no Status Category column)." in p.notes


def test_jira_chosen_project_fills_only_missing_project_keys():
    p = parse("jira_server_current_fields.csv", project_id="OPERATIONS")
    assert set(p.tables["work_items"]["project_id"]) == {"OPERATIONS"}


def test_jira_chinese_headers_and_dates():
    p = parse("jira_zh.csv")
    wi = rows(p.tables["work_items"], "key")
    a = wi["DATA-1"]
    assert a["title"] == "登录页面改版" and a["assignee"] == "王芳"
    assert a["created"] == d(2025, 11, 3) and a["resolved"] == d(2025, 11, 28)  # 28/十一月/25 5:03 下午
    assert a["sprints"] == ["冲刺 1", "冲刺 2"] and a["story_points"] == 8.0
    assert a["status_category"] == "Done" and wi["DATA-2"]["status_category"] == "In Progress"
    assert wi["DATA-2"]["parent"] == "DATA-1"


def test_jira_month_first_site_decides_every_date_column():
    # a site set to month/day/year: Created 11/28/2025 can only be month first, so Resolved
    # 12/01/2025 (either way on its own) is 1 December, not 12 January
    text = (
        "Summary,Issue key,Issue Type,Status,Created,Updated,Resolved\r\n"
        "Fix login,ABC-1,Story,Done,11/28/2025 5:03 PM,12/01/2025 9:15 AM,12/01/2025 9:15 AM\r\n"
        "Export,ABC-2,Bug,Done,11/03/2025 8:00 AM,11/04/2025 8:00 AM,11/04/2025 8:00 AM\r\n"
    )
    p = parse_bytes("jira.csv", text.encode())
    wi = rows(p.tables["work_items"], "key")
    assert wi["ABC-1"]["created"] == d(2025, 11, 28) and wi["ABC-1"]["resolved"] == d(2025, 12, 1)
    assert wi["ABC-2"]["created"] == d(2025, 11, 3) and wi["ABC-2"]["resolved"] == d(2025, 11, 4)
    assert (
        "Dates read as month/day/year in every date column (Created, Resolved, Updated): Jira writes one "
        "date format, and some dates can only be read that way." in p.notes
    )
    assert not p.problems


def test_jira_date_columns_that_disagree_are_decided_one_by_one():
    text = "Summary,Issue key,Issue Type,Status,Created,Resolved\r\nA,ABC-1,Story,Done,28/11/2025,12/13/2025\r\n"
    p = parse_bytes("jira.csv", text.encode())
    wi = rows(p.tables["work_items"], "key")
    assert wi["ABC-1"]["created"] == d(2025, 11, 28) and wi["ABC-1"]["resolved"] == d(2025, 12, 13)
    assert "jira.csv: column 'Resolved': dates read as month/day/year" in p.notes


# ------------------------------------------------------------------ MS Project Excel


def test_msproject_excel_export():
    p = parse("msproject_task_table.xlsx")
    t = rows(p.tables["tasks"], "task_id")
    # Unique IDs are the task ids; the project summary row (ID 0) and the inactive task are not tasks
    assert sorted(t, key=int) == ["11", "12", "13", "14", "15", "16", "17", "19"]
    assert set(p.tables["tasks"]["project_id"]) == {"Website relaunch"}
    assert t["11"]["is_summary"] and not t["12"]["is_summary"]
    assert t["17"]["is_milestone"] and t["17"]["constraint_type"] == "MFO"
    assert t["15"]["constraint_type"] == "SNET" and t["15"]["constraint_date"] == d(2025, 1, 22)
    assert t["15"]["total_float_days"] == 2.0  # "2 days"
    assert t["15"]["percent_complete"] == pytest.approx(0.2)  # 20 on a 0..100 column
    assert t["15"]["bac"] == 15000.0  # Baseline_Cost, not Cost (18000)
    assert t["12"]["resource_names"] == "Alice,Bob"
    links = {
        (r["pred_task_id"], r["succ_task_id"]): (r["type"], r["lag_days"]) for r in p.tables["links"].to_dict("records")
    }
    assert links == {
        ("12", "13"): ("FS", 0.0),  # "2" -> ID 2 = UID 12
        ("13", "15"): ("FS", 2.0),  # "3FS+2 days"
        ("13", "16"): ("SS", 0.0),  # "3SS;5FF-1 day"
        ("15", "16"): ("FF", -1.0),
        ("15", "17"): ("FS", 0.0),  # "5,6FS+50%"
        ("16", "17"): ("FS", 7.5),  # 50% of Frontend's 15 days
    }
    assert [str(x) for x in p.problems] == [
        "file 'msproject_task_table.xlsx', sheet 'Task_Table1', row 11, column 'Predecessors' (value '7XY'): "
        "predecessor 7XY is not a task in this sheet"
    ]
    assert "1 inactive tasks skipped." in p.notes
    assert "columns not used: Task_Mode, Notes, Cost" in p.notes  # Cost: the budget is Baseline_Cost


def test_msproject_excel_chinese_export():
    p = parse("msproject_task_table_zh.xlsx", project_id="CN-1")
    t = rows(p.tables["tasks"], "task_id")
    assert t["102"]["name"] == "系统设计" and t["102"]["start"] == d(2025, 3, 10)
    assert t["102"]["percent_complete"] == 0.5 and t["102"]["bac"] == 20000.0 and t["102"]["actual_cost"] == 8000.0
    assert t["102"]["total_float_days"] == 3.0  # "3 个工作日"
    assert t["103"]["is_milestone"] and not t["101"]["is_milestone"]
    links = p.tables["links"][["pred_task_id", "succ_task_id", "type", "lag_days"]].values.tolist()
    assert links == [["101", "102", "FS", 1.0], ["102", "103", "FS", 0.0]]
    assert not p.problems
    assert "columns not used: 任务模式" in p.notes


# ------------------------------------------------------------------ Trello, Asana, Smartsheet


def test_trello_board():
    p = parse("trello_board.json")
    wi = rows(p.tables["work_items"], "key")
    assert set(p.tables["work_items"]["project_id"]) == {"Mobile App"}
    assert wi["1"]["status"] == "Doing" and wi["1"]["status_category"] == "In Progress"
    assert wi["1"]["assignee"] == "Ana Ruiz, Li Wei"
    assert wi["1"]["created"] == d(2024, 1, 12)  # ObjectId 65a0c100 = 1705033984 s = 2024-01-12 UTC
    assert wi["2"]["resolved"] == d(2024, 1, 20) and wi["2"]["status_category"] == "Done"
    assert wi["3"]["status"] == "To Do (archived)"
    assert wi["4"]["status_category"] == "Done"  # due date ticked complete
    assert "1 archived cards included (status marked '(archived)')." in p.notes
    # labels by name (a label without a name by its colour), due dates, checklist progress
    assert wi["1"]["labels"] == ["Feature"] and wi["4"]["labels"] == ["yellow"]
    assert wi["1"]["due_date"] == d(2024, 2, 1) and pd.isna(wi["2"]["due_date"])
    assert wi["1"]["progress"] == pytest.approx(2 / 3)  # 2 of its 3 checklist items complete
    assert pd.isna(wi["2"]["progress"])  # no checklist


def test_asana_export_below_spacer_rows():
    p = parse("asana_project.csv")
    wi = rows(p.tables["work_items"], "key")
    assert len(wi) == 4 and set(p.tables["work_items"]["project_id"]) == {"Launch Q2"}
    assert wi["1207000000000001"]["status_category"] == "Done"
    assert wi["1207000000000002"]["status_category"] == "In Progress"  # section "Doing"
    assert wi["1207000000000004"]["status_category"] == "To Do"  # section "Backlog"
    assert wi["1207000000000003"]["parent"] == "1207000000000002"  # parent name -> its Task ID
    tasks = p.tables["tasks"]
    assert tasks["task_id"].tolist() == ["1207000000000001", "1207000000000002"]  # start and due dates
    assert tasks["percent_complete"].tolist()[0] == 1.0 and pd.isna(tasks["percent_complete"].tolist()[1])
    links = p.tables["links"][["pred_task_id", "succ_task_id"]].values.tolist()
    assert links == [["1207000000000001", "1207000000000002"], ["1207000000000001", "1207000000000004"]]


@pytest.mark.parametrize("name", ["smartsheet_office_move.xlsx", "smartsheet_office_move.csv"])
def test_smartsheet_hierarchy_and_predecessors(name):
    p = parse(name)
    t = p.tables["tasks"]
    assert t["wbs"].tolist() == ["1", "1.1", "1.2", "2", "2.1", "2.2", "3"]
    assert t["is_summary"].tolist() == [True, False, False, True, False, False, False]
    assert t["outline_level"].tolist() == [1, 2, 2, 1, 2, 2, 1]
    assert t["is_milestone"].tolist() == [False] * 6 + [True]
    assert t["percent_complete"].tolist() == [0.5, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    assert t["start"].tolist()[2] == d(2025, 5, 8)
    links = p.tables["links"][["pred_task_id", "succ_task_id", "type", "lag_days"]].values.tolist()
    assert links == [
        ["2", "3", "FS", 0.0],
        ["3", "5", "FS", 0.0],
        ["5", "6", "FS", 0.0],
        ["2", "6", "SS", 5.0],
        ["6", "7", "FS", 0.0],
    ]  # "2SS +1w" = 5 working days
    assert not p.errors


def test_smartsheet_xlsx_project_from_sheet_name():
    assert set(parse("smartsheet_office_move.xlsx").tables["tasks"]["project_id"]) == {"Office Move"}


# ------------------------------------------------------------------ risk registers


def test_risk_register_english_workbook():
    p = parse("risk_register_en.xlsx")
    r = rows(p.tables["risks"], "risk_id")
    assert sorted(r) == ["R-001", "R-002", "R-003", "R-004"]
    assert r["R-001"]["probability"] == 0.3 and r["R-001"]["probability_score"] == 2  # 30% is in the 2nd fifth
    assert r["R-001"]["impact_cost"] == 300000.0 and r["R-001"]["impact_score"] == 4
    assert r["R-001"]["owner"] == "Ana Ruiz"  # header "Owner " with a trailing space
    assert r["R-002"]["impact_cost"] == 80000.0  # "CHF 80,000"
    assert r["R-003"]["impact_cost"] == -50000.0  # Type = Opportunity
    assert r["R-004"]["probability_score"] == 1 and pd.isna(r["R-004"]["impact_cost"])
    assert [str(x) for x in p.problems] == [
        "file 'risk_register_en.xlsx', sheet 'Risk Register', row 8, column 'Probability' (value 'likely-ish'): "
        "expected a probability such as 30%, 0.3, 3 (of 5) or High/Medium/Low"
    ]
    assert "Risk Register: column 'Probability': probability read as percentages 0-100 (30 = 30%)" in p.notes
    assert "Risk Register: column 'Impact': impact read as a 1-5 score or level (impact_score)" in p.notes
    assert "Risk Register: column 'Impact': impact read as amounts (impact_cost)" in p.notes
    assert "columns not loaded (computed by the product): Score" in p.notes
    assert "1 opportunities (Type = Opportunity) stored with a negative impact amount." in p.notes


def test_risk_register_chinese_gb18030_levels_and_wan():
    p = parse("risk_register_zh.csv", project_id="数据平台")
    r = rows(p.tables["risks"], "risk_id")
    assert r["F-01"]["title"] == "供应商延期交付"
    assert r["F-01"]["probability_score"] == 4 and r["F-01"]["probability"] == 0.7  # 高 -> 4 -> midpoint 70%
    assert r["F-01"]["impact_score"] == 3 and r["F-01"]["impact_cost"] == 1200.0  # 中, ¥1,200
    assert r["F-02"]["impact_cost"] == 12000.0  # 1.2万
    assert r["F-03"]["impact_cost"] == -50000.0 and r["F-03"]["probability_score"] == 2  # -5万, 低
    assert r["F-01"]["due_date"] == d(2025, 6, 30)
    assert not p.errors


def test_risk_register_two_row_merged_header():
    p = parse("risk_register_two_row_header.xlsx", project_id="P9")
    r = rows(p.tables["risks"], "risk_id")
    assert r["K1"]["probability"] == 0.15 and r["K1"]["probability_score"] == 1
    assert r["K1"]["impact_cost"] == 250000.0 and r["K1"]["impact_score"] == 5
    assert r["K2"]["owner"] == "PM"
    assert p.problems[0].severity == "warning"
    assert p.problems[0].message == (
        "the header is written on rows 1 and 2; combined as: ID, Risk, Probability %, Probability Score, "
        "Impact Cost, Impact Score, Owner"
    )


def test_risk_register_without_project_column_needs_a_project():
    p = parse("risk_register_zh.csv")
    assert p.rows_loaded == 0
    # issue 17: the refusal asks for the project and says how to give it
    assert p.errors[0].message.startswith("no project column for Risks: choose the project these rows belong to")
    assert "--project" in p.errors[0].message and "Project ID" in p.errors[0].message
    assert p.open_choices["project"] == {"where": [p.errors[0].sheet or p.errors[0].file]}


# ------------------------------------------------------------------ finance periods


def test_finance_long_month_starts_cumulative():
    p = parse("finance_periods.xlsx")
    e = p.tables["evm_periods"]
    alpha = e[e.project_id == "ALPHA"]
    assert alpha["period_end"].tolist() == [d(2025, 1, 31), d(2025, 2, 28), d(2025, 3, 31)]
    assert alpha[["pv", "ev", "ac"]].values.tolist() == [[100, 90, 95], [250, 220, 240], [400, 380, 420]]
    assert "BCWS, BCWP, ACWP: read as cumulative (no series ever falls)." in p.notes


def test_finance_chinese_per_period_amounts_are_summed():
    p = parse("finance_periods_zh.csv", project_id="P1")
    e = p.tables["evm_periods"]
    assert e["period_end"].tolist() == [d(2025, 1, 31), d(2025, 2, 28), d(2025, 3, 31)]
    # PV 100, 150, 120 falls in March, so the amounts are per period: 100, 100+150, 250+120
    assert e["pv"].tolist() == [100, 250, 370]
    assert e["ev"].tolist() == [80, 200, 330]  # 80, 80+120, 200+130
    assert e["ac"].tolist() == [90, 190, 330]  # 90, 90+100, 190+140


def test_finance_wide_cumulative_with_quarter():
    p = parse("finance_wide.xlsx", project_id="P2")
    e = p.tables["evm_periods"]
    assert e["period_end"].tolist() == [d(2025, 1, 31), d(2025, 2, 28), d(2025, 3, 31), d(2025, 6, 30)]
    assert e["pv"].tolist() == [100, 200, 300, 600] and e["ac"].tolist() == [95, 210, 320, 640]


def test_store_loads_every_format(store):
    """Every fixture's tables go into the store unchanged in count."""
    for name, opts in [
        ("jira_cloud_all_fields.csv", {}),
        ("msproject_task_table.xlsx", {}),
        ("trello_board.json", {}),
        ("risk_register_en.xlsx", {}),
        ("finance_periods.xlsx", {}),
        ("smartsheet_office_move.xlsx", {}),
    ]:
        p = parse(name, **opts)
        store.import_parsed(p, date(2025, 12, 1))
    counts = store.counts()
    assert counts["work_items"] == 4 + 4 and counts["tasks"] == 8 + 7 and counts["links"] == 6 + 5
    assert counts["risks"] == 4 and counts["evm_periods"] == 5
    sprints = store.table("work_items", projects=["PHX"])
    assert list(sprints.set_index("key").loc["PHX-101", "sprints"]) == ["PHX Sprint 1", "PHX Sprint 2"]


def test_every_format_has_a_name_in_both_languages():
    from pmo_analytics.i18n import catalog
    from pmo_analytics.ingest.formats import FORMAT_MODULES

    for m in FORMAT_MODULES:
        en, zh = catalog()[f"format.{m.NAME}"]
        assert en and zh and callable(m.detect) and callable(m.parse)
