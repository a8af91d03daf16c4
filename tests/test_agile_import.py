"""Issue 17 items 4-5: agile exports read as their tools mean them, and nothing hidden.

Every file here is made by hand in the test (a few rows each) so the expected values can be stated
beside it; the real samples under ../shared are read where present (skipped otherwise)."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from pmo_analytics import cli, messages
from pmo_analytics.errors import UnrecognisedFormatError
from pmo_analytics.ingest import ParseOptions, parse_bytes
from pmo_analytics.ingest import board_lists as saved_lists
from pmo_analytics.ingest.formats._common import named_category, status_category
from pmo_analytics.ingest.formats.trello_json import board_categories
from tests.conftest import shared_file
from tests.helpers import workbook_bytes


def keys(parsed) -> list[str]:
    return [getattr(n, "key", "") for n in parsed.notes]


# ------------------------------------------------------------------ status categories by name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("TERMINADO", "Done"),
        ("Terminada", "Done"),
        ("Hecho", "Done"),
        ("完了", "Done"),
        ("完成", "Done"),
        ("Erledigt", "Done"),
        ("Fertig", "Done"),
        ("Terminé", "Done"),
        ("Concluído", "Done"),
        ("Done ✓", "Done"),
        ("Product Backlog", "To Do"),
        ("Backlog", "To Do"),
        ("Icebox", "To Do"),
        ("To do", "To Do"),
        ("zu erledigen", "To Do"),  # "to be done" in German: not "erledigt"
        ("未着手", "To Do"),
        ("待办", "To Do"),
        ("Doing", "In Progress"),
        ("進行中", "In Progress"),
        ("En curso", "In Progress"),
        # whole words only: "Definition" is not "fini", "Incomplete" not "complete"
        # a negation is not the thing: "未完成" (not finished), "待完成" (to be finished), "not done"
        ("未完成", None),
        ("待完成", None),
        ("未完了", None),
        ("Not done", None),
        ("已完成", "Done"),
        ("Definition of ready", None),
        ("Incomplete", None),
        ("Sprint 3", None),
    ],
)
def test_a_name_says_its_category_in_the_languages_boards_are_kept_in(name, expected):
    assert named_category(name) == expected


def test_a_status_whose_name_says_nothing_is_in_progress_and_an_explicit_category_wins():
    assert status_category(None, "Sprint 3") == "In Progress"
    assert status_category("Done", "Revisión") == "Done"  # Jira's own Status Category column
    assert status_category("待办", "Terminado") == "To Do"


# ------------------------------------------------------------------ Trello boards


def board(lists: list[str], cards: list[tuple[str, int]], **extra) -> bytes:
    """A Trello board export: ``lists`` in board order, ``cards`` as (name, list index)."""
    data = {
        "id": "5f0000000000000000000b01",
        "name": "Tienda",
        "idBoard": "5f0000000000000000000b01",
        "dateLastActivity": "2025-03-31T10:00:00.000Z",
        "lists": [{"id": f"L{k}", "name": n, "pos": 1000 * (k + 1), "closed": False} for k, n in enumerate(lists)],
        "cards": [
            {"id": f"5f00000000000000000000{k:02d}", "idShort": k + 1, "name": n, "idList": f"L{i}", "closed": False}
            for k, (n, i) in enumerate(cards)
        ],
        **extra,
    }
    return json.dumps(data, ensure_ascii=False).encode()


def categories(parsed) -> dict[str, str]:
    w = parsed.tables["work_items"]
    return dict(zip(w["title"], w["status_category"], strict=True))


def test_trello_lists_by_name_in_spanish_and_product_backlog():
    data = board(
        ["Product Backlog", "En curso", "TERMINADO", "Notas"],
        [("a", 0), ("b", 1), ("c", 2), ("d", 2), ("e", 3)],
    )
    p = parse_bytes("tienda.json", data)
    # Product Backlog -> To Do, En curso -> In Progress, TERMINADO -> Done (both cards); "Notas"
    # says nothing while other lists do: In Progress, not Done although it is the last list
    assert categories(p) == {"a": "To Do", "b": "In Progress", "c": "Done", "d": "Done", "e": "In Progress"}
    assert "note.trello.list_categories" in keys(p)
    assert "note.trello.lists_by_order" not in keys(p)
    text = next(str(n) for n in p.notes if getattr(n, "key", "") == "note.trello.list_categories")
    assert (
        text
        == "Lists read as status categories: To Do: Product Backlog; In Progress: En curso, Notas; Done: TERMINADO."
    )
    lists = p.open_choices["board_lists"]["lists"]
    assert [(x["list"], x["source"]) for x in lists] == [
        ("Product Backlog", "name"),
        ("En curso", "name"),
        ("TERMINADO", "name"),
        ("Notas", "default"),
    ]


def test_trello_lists_in_japanese():
    p = parse_bytes("board.json", board(["未着手", "作業中", "完了"], [("x", 0), ("y", 1), ("z", 2)]))
    assert categories(p) == {"x": "To Do", "y": "In Progress", "z": "Done"}


def test_trello_list_order_decides_only_when_no_name_says_anything():
    # three lists named in a language the vocabulary does not know: first To Do, last Done
    p = parse_bytes("board.json", board(["Alfa", "Beta", "Gamma"], [("x", 0), ("y", 1), ("z", 2)]))
    assert categories(p) == {"x": "To Do", "y": "In Progress", "z": "Done"}
    assert "note.trello.lists_by_order" in keys(p)
    text = next(str(n) for n in p.notes if getattr(n, "key", "") == "note.trello.lists_by_order")
    assert "first list 'Alfa' = To Do, last list 'Gamma' = Done" in text
    # list order is the board's (pos), not the order lists appear in the file
    lists = [
        {"id": "a", "name": "Gamma", "pos": 3},
        {"id": "b", "name": "Alfa", "pos": 1},
        {"id": "c", "name": "Beta", "pos": 2},
        {"id": "d", "name": "Old", "pos": 0, "closed": True},
    ]
    out = board_categories(lists)
    assert [(m["list"], m["category"], m["source"]) for m in out] == [
        ("Alfa", "To Do", "order"),
        ("Beta", "In Progress", "order"),
        ("Gamma", "Done", "order"),
        ("Old", "In Progress", "default"),  # archived lists take no part in the order
    ]


def test_trello_categories_chosen_for_an_import_and_saved_for_the_board(store):
    data = board(["Ideas", "Haciendo", "Listo"], [("x", 0), ("y", 1), ("z", 2)])
    p = parse_bytes("b.json", data)
    assert categories(p)["z"] == "In Progress"  # "Listo" (ready/done) is not in the vocabulary
    chosen = parse_bytes("b.json", data, options=ParseOptions(list_categories={"Listo": "Done"}))
    assert categories(chosen) == {"x": "To Do", "y": "In Progress", "z": "Done"}
    assert "note.trello.lists_chosen" in keys(chosen)
    saved_lists.save(store, "5f0000000000000000000b01", "Tienda", {"Listo": "Done"}, actor="pm@example.com")
    again = parse_bytes("b.json", data, options=ParseOptions(board_lists=saved_lists.load(store)))
    assert categories(again)["z"] == "Done"
    assert "note.trello.lists_saved" in keys(again)
    assert again.open_choices["board_lists"]["lists"][2] == {"list": "Listo", "category": "Done", "source": "saved"}
    assert again.open_choices["board_lists"]["saved"]["by"] == "pm@example.com"
    audit = store.audit_entries()
    assert audit["action"].tolist() == ["board_lists.save"] and audit["actor"].tolist() == ["pm@example.com"]
    with pytest.raises(Exception, match="unknown status category Finished"):
        saved_lists.save(store, "b", "B", {"Listo": "Finished"})


def test_a_card_marked_complete_is_done_whatever_its_list():
    data = json.loads(board(["Backlog"], [("x", 0)]))
    data["cards"][0]["dueComplete"] = True
    assert categories(parse_bytes("b.json", json.dumps(data).encode())) == {"x": "Done"}


def test_trello_shared_sample_list_todo():
    p = parse_bytes("deck.json", shared_file("samples", "nextcloud-deck__data-trelloJson.json").read_bytes())
    w = p.tables["work_items"]
    assert w["status"].tolist() == ["TODO"] and w["status_category"].tolist() == ["To Do"]


# ------------------------------------------------------------------ Jira


def test_jira_csv_status_category_column_wins_over_the_status_name():
    csv = (
        "Summary,Issue key,Issue id,Issue Type,Status,Status Category,Project key,Created\n"
        "Login,SHOP-1,10001,Story,Terminado,In Progress,SHOP,2021-08-09\n"  # a status the site re-opened
        "Basket,SHOP-2,10002,Story,Revisión,完成,SHOP,2021-08-09\n"
    )
    p = parse_bytes("jira.csv", csv.encode())
    assert p.tables["work_items"]["status_category"].tolist() == ["In Progress", "Done"]
    assert "note.jira.category_inferred" not in keys(p)


def test_jira_csv_chinese_status_category_column():
    csv = (
        "概要,问题关键字,问题ID,问题类型,状态,状态类别,项目关键字,创建日期\n"
        "登录,SHOP-1,10001,故事,验收中,完成,SHOP,2021-08-09\n"
        "购物车,SHOP-2,10002,故事,新建,进行中,SHOP,2021-08-09\n"
        "搜索,SHOP-3,10003,故事,开发,待办,SHOP,2021-08-09\n"
    )
    p = parse_bytes("jira_zh.csv", csv.encode())
    assert p.source_format == "jira_csv"
    # the category column, not the status names (验收中 "in acceptance", 新建 "new", 开发 "development")
    assert p.tables["work_items"]["status_category"].tolist() == ["Done", "In Progress", "To Do"]


RSS2 = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>Search results</title>
<link>https://example.atlassian.net/issues/?jql=project%3DSHOP</link>
<description>An RSS feed of a search request</description>
<lastBuildDate>Fri, 31 Jan 2025 17:45:00 +0100</lastBuildDate>
<item><title>[SHOP-1] Checkout page</title><link>https://example.atlassian.net/browse/SHOP-1</link>
  <guid isPermaLink="false">SHOP-1</guid><pubDate>Mon, 06 Jan 2025 09:00:00 +0000</pubDate></item>
<item><title>[SHOP-2] Basket</title><link>https://example.atlassian.net/browse/SHOP-2</link>
  <pubDate>Tue, 07 Jan 2025 09:00:00 +0000</pubDate></item>
<item><title>Payment retries</title><link>https://example.atlassian.net/browse/SHOP-3</link>
  <pubDate>Wed, 08 Jan 2025 23:30:00 -0800</pubDate></item>
<item><title>[PAY-4] Refunds</title><guid>https://example.atlassian.net/browse/PAY-4</guid></item>
<item><title>[SHOP-5]</title><link>https://example.atlassian.net/browse/SHOP-5</link></item>
<item><title>[SHOP-6] Wish list</title><link>https://example.atlassian.net/browse/SHOP-6</link>
  <project id="1">Shop</project></item>
<item><title>A post with no issue key</title><link>https://example.org/blog</link></item>
</channel>
</rss>
"""


def test_jira_rss2_feed_items_are_read_not_lost():
    p = parse_bytes("search.xml", RSS2.encode())
    assert p.source_format == "jira_xml"
    w = p.tables["work_items"]
    # 7 items: 6 with a key (guid, [KEY] prefix or /browse/ link), the 7th refused with its reason
    assert w["key"].tolist() == ["SHOP-1", "SHOP-2", "SHOP-3", "PAY-4", "SHOP-5", "SHOP-6"]
    assert w["title"].tolist() == ["Checkout page", "Basket", "Payment retries", "Refunds", None, "Wish list"]
    assert w["project_id"].tolist() == ["SHOP", "SHOP", "SHOP", "PAY", "SHOP", "SHOP"]
    # pubDate as written (the calendar date in its own time zone): 8 Jan at 23:30 -0800 stays the 8th
    assert [None if pd.isna(d) else d.date() for d in w["created"]][:3] == [
        date(2025, 1, 6),
        date(2025, 1, 7),
        date(2025, 1, 8),
    ]
    assert p.rows_in == 7 and p.rejected_rows == 1
    assert {x.row for x in p.errors} == {7} and {x.key for x in p.errors} == {"validate.required_value"}
    assert "note.jira.rss_plain" in keys(p)
    # the feed's lastBuildDate, as written, is the proposed status date
    assert (p.proposed_status_date, p.status_date_source) == (date(2025, 1, 31), "rss_build_date")
    # 6 items have a key (the 7th has none to take a prefix from)
    assert "Project taken from the issue key prefix for 6 rows" in " ".join(p.notes)


def test_jira_rss_sample_keeps_reading_jira_fields():
    p = parse_bytes("j.xml", shared_file("samples", "focalboard__jira-export.xml").read_bytes())
    assert p.rows_loaded == 2 and "note.jira.rss_plain" not in keys(p)


# ------------------------------------------------------------------ Smartsheet, MS Project Excel


def test_smartsheet_primary_column_named_features():
    csv = (
        "Features,Duration,Start Date,End Date,Predecessors,Assigned To,% Complete,Status\n"
        "Login,5d,01/06/25,01/10/25,,Ann,50%,Green\n"
        "  OAuth,3d,01/06/25,01/08/25,,Bob,100%,Green\n"
        "  Password reset,2d,01/09/25,01/10/25,2,Ann,0%,Green\n"
        "Search,4d,01/13/25,01/16/25,1,Cy,0%,Red\n"
    )
    p = parse_bytes("roadmap.csv", csv.encode())
    assert p.source_format == "smartsheet"
    t = p.tables["tasks"]
    assert t["name"].tolist() == ["Login", "OAuth", "Password reset", "Search"]
    assert t["is_summary"].tolist() == [True, False, False, False]  # Login has two indented rows under it
    assert t["wbs"].tolist() == ["1", "1.1", "1.2", "2"]
    assert "note.smartsheet.primary_column" in keys(p)
    links = p.tables["links"]
    assert sorted(zip(links["pred_task_id"], links["succ_task_id"], strict=True)) == [("1", "4"), ("2", "3")]


def test_rows_dropped_carry_a_reason():
    csv = (
        "Task Name,Duration,Start Date,End Date,Predecessors,Assigned To\n"
        "Plan,2d,2025-01-06,2025-01-07,,Ann\n"
        ",3d,2025-01-08,2025-01-10,1,Bob\n"  # values but no task name (file row 3)
        ",,,,,\n"  # blank: nothing to say
        "Ship,1d,2025-01-13,2025-01-13,1,Cy\n"
    )
    p = parse_bytes("sheet.csv", csv.encode())
    assert p.source_format == "smartsheet"
    assert p.tables["tasks"]["name"].tolist() == ["Plan", "Ship"]
    assert [(x.row, x.column, x.key) for x in p.errors] == [(3, "Task Name", "validate.no_task_name")]
    # rows in: 2 tasks + 1 link (Ship after Plan) + the rejected row
    assert p.rows_in == 4 and p.rejected_rows == 1
    data = json.loads(board(["Backlog"], [("x", 0)]))
    data["cards"].append("not a card")
    t = parse_bytes("b.json", json.dumps(data).encode())
    assert t.rows_in == 2 and t.rejected_rows == 1 and "note.trello.not_cards" in keys(t)


def test_msproject_excel_summaries_from_outline_levels():
    rows = [
        ["ID", "Name", "Duration", "Start", "Finish", "Predecessors", "Outline_Level", "Percent_Complete"],
        [1, "Phase A", "10 days", "2025-01-06", "2025-01-17", "", 1, "0%"],
        [2, "Design", "5 days", "2025-01-06", "2025-01-10", "", 2, "0%"],
        [3, "Build", "5 days", "2025-01-13", "2025-01-17", "2", 2, "0%"],
        [4, "Phase B", "5 days", "2025-01-20", "2025-01-24", "", 1, "0%"],
        [5, "Test", "5 days", "2025-01-20", "2025-01-24", "3", 2, "0%"],
        [6, "Go live", "0 days", "2025-01-24", "2025-01-24", "5", 1, "0%"],
    ]
    p = parse_bytes("plan.xlsx", workbook_bytes({"Task_Table1": rows}))
    assert p.source_format == "msproject_excel"
    t = p.tables["tasks"]
    # a task followed by a deeper one is a summary: Phase A (1 -> 2) and Phase B (1 -> 2)
    assert t["is_summary"].tolist() == [True, False, False, True, False, False]
    text = next(str(n) for n in p.notes if getattr(n, "key", "") == "note.msp.summary_from_outline")
    assert text.startswith("2 tasks marked as summaries")


def test_msproject_excel_outline_number_gives_levels_when_no_outline_level():
    rows = [
        ["ID", "Name", "Duration", "Start", "Finish", "Predecessors", "Outline_Number"],
        [1, "Phase", "2 days", "2025-01-06", "2025-01-07", "", "1"],
        [2, "Step", "2 days", "2025-01-06", "2025-01-07", "", "1.1"],
        [3, "Close", "1 day", "2025-01-08", "2025-01-08", "2", "2"],
    ]
    t = parse_bytes("plan.xlsx", workbook_bytes({"Task_Table1": rows})).tables["tasks"]
    assert t["outline_level"].tolist() == [1, 2, 1]
    assert t["is_summary"].tolist() == [True, False, False]


# ------------------------------------------------------------------ Excel-rounded IDs

ASANA_HEADER = (
    "Task ID,Created At,Completed At,Last Modified,Name,Section/Column,Assignee,Assignee Email,"
    "Start Date,Due Date,Tags,Notes,Projects,Parent task,Blocked By (Dependencies),Blocking (Dependencies),Priority"
)


def test_ids_rounded_to_scientific_notation_are_named_not_silently_deduplicated():
    ids = ["7.18656E+14", "7.18656E+14", "7.18656E+14", "7.18657E+14", "1.2E+15", "1.2E+15"]
    lines = [ASANA_HEADER] + [f"{i},2025-03-01,,,Task {k},Doing,,,,,,,Launch,,,," for k, i in enumerate(ids)]
    p = parse_bytes("asana.csv", "\n".join(lines).encode())
    assert p.source_format == "asana_csv"
    # 7.18656E+14 three times, 1.2E+15 twice: 5 of the 6 rows share a rounded ID; 2 + 1 rejected
    assert p.rows_in == 6 and p.rejected_rows == 3
    assert [x.row for x in p.errors] == [3, 4, 7]  # data starts on file row 2
    assert {x.key for x in p.errors} == {"validate.duplicate_rounded"}
    assert p.errors[0].message.startswith("same ID as row 2: Excel rounded the ID to scientific notation")
    text = next(str(n) for n in p.notes if getattr(n, "key", "") == "note.ids_rounded")
    assert text.startswith(
        "5 of 6 rows share an ID that Excel rounded to scientific notation in column 'Task ID': "
        "7.18656E+14 (3), 1.2E+15 (2)."
    )


def test_a_plain_duplicate_keeps_its_plain_reason():
    lines = [ASANA_HEADER] + [f"1207000000000001,2025-03-01,,,Task {k},Doing,,,,,,,Launch,,,," for k in range(2)]
    p = parse_bytes("asana.csv", "\n".join(lines).encode())
    assert [x.key for x in p.errors] == ["validate.duplicate"] and "note.ids_rounded" not in keys(p)


# ------------------------------------------------------------------ day/month order

TASKS_AMBIGUOUS = (
    "Project ID,Task ID,Task name,Start,Finish\n"
    "P1,T1,Design,03/04/2025,07/04/2025\n"  # every number <= 12: either order fits
    "P1,T2,Build,08/04/2025,11/04/2025\n"
)


def test_ambiguous_day_month_is_reported_and_read_day_first_by_default():
    p = parse_bytes("plan.csv", TASKS_AMBIGUOUS.encode())
    t = p.tables["tasks"]
    assert t["start"].dt.date.tolist() == [date(2025, 4, 3), date(2025, 4, 8)]
    assert p.open_choices["date_order"] == {"columns": ["plan.csv: Start", "plan.csv: Finish"], "dayfirst": None}
    ask = next(str(n) for n in p.notes if getattr(n, "key", "") == "note.dates_ask")
    assert "--dates mdy" in ask and "plan.csv: Start, plan.csv: Finish" in ask


def test_the_chosen_order_reads_ambiguous_dates_and_never_overrides_deciding_values():
    p = parse_bytes("plan.csv", TASKS_AMBIGUOUS.encode(), options=ParseOptions(dayfirst=False))
    assert p.tables["tasks"]["start"].dt.date.tolist() == [date(2025, 3, 4), date(2025, 8, 4)]
    assert "note.dates_ask" not in keys(p)
    assert p.open_choices["date_order"]["dayfirst"] is False
    # 28/04 decides day-first: the month-first choice does not apply to that column
    decided = TASKS_AMBIGUOUS.replace("07/04/2025", "28/04/2025")
    p = parse_bytes("plan.csv", decided.encode(), options=ParseOptions(dayfirst=False))
    assert p.tables["tasks"]["finish"].dt.date.tolist() == [date(2025, 4, 28), date(2025, 4, 11)]
    assert p.open_choices["date_order"]["columns"] == ["plan.csv: Start"]


def test_jira_csv_resaved_by_excel_asks_for_the_order():
    csv = (
        "Summary,Issue key,Issue id,Issue Type,Status,Project key,Created,Resolved\n"
        "Login,SHOP-1,10001,Story,Done,SHOP,9/8/2021 10:15,10/8/2021 11:00\n"
        "Basket,SHOP-2,10002,Story,Open,SHOP,9/8/2021 10:20,\n"
    )
    p = parse_bytes("jira.csv", csv.encode())
    assert p.tables["work_items"]["created"].dt.date.tolist() == [date(2021, 8, 9)] * 2
    assert p.open_choices["date_order"]["columns"] == ["jira.csv: Created", "jira.csv: Resolved"]
    p = parse_bytes("jira.csv", csv.encode(), options=ParseOptions(dayfirst=False))
    w = p.tables["work_items"]
    assert w["created"].dt.date.tolist() == [date(2021, 9, 8)] * 2
    assert w["resolved"].dt.date.tolist()[0] == date(2021, 10, 8)


def test_a_big_table_parsed_in_threads_keeps_the_chosen_order():
    from pmo_analytics.ingest import validate

    n = validate.PARALLEL_ROWS  # columns are parsed in worker threads from this size
    body = "".join(f"P1,T{k},Task,03/04/2025,07/04/2025\n" for k in range(n))
    p = parse_bytes(
        "big.csv", ("Project ID,Task ID,Task name,Start,Finish\n" + body).encode(), options=ParseOptions(dayfirst=False)
    )
    assert p.tables["tasks"]["start"].iloc[-1].date() == date(2025, 3, 4)


# ------------------------------------------------------------------ contradictory dates


def test_placeholder_and_contradictory_actual_dates_are_reported_not_trusted():
    csv = (
        "Project ID,Task ID,Task name,Start,Finish,Actual start,Actual finish,% Complete\n"
        "P1,T1,A,2025-03-03,2025-03-07,2025-03-03,2000-01-01,0\n"  # placeholder finish on 0 %
        "P1,T2,B,2025-03-10,2025-03-14,,2025-03-12,0%\n"  # a finish on a task 0 % complete
        "P1,T3,C,2025-03-10,2025-03-14,2025-03-10,2025-03-13,100%\n"  # consistent: kept
        "P1,T4,D,2025-03-10,2025-03-14,2000-01-01,,50%\n"  # placeholder start
        "P1,T5,E,2000-01-03,2000-01-05,2000-01-01,,50%\n"  # a real date two days before the plan
    )
    p = parse_bytes("plan.csv", csv.encode())
    t = p.tables["tasks"].set_index("task_id")
    assert t["actual_finish"].isna().tolist() == [True, True, False, True, True]
    assert t["actual_start"].isna().tolist() == [False, True, False, True, False]
    found = [(x.row, x.column, x.value, x.key, x.severity) for x in p.problems]
    assert found == [
        (2, "Actual finish", "2000-01-01", "validate.placeholder_date", "warning"),
        (3, "Actual finish", "2025-03-12", "validate.finish_on_unstarted", "warning"),
        (5, "Actual start", "2000-01-01", "validate.placeholder_date", "warning"),
    ]
    assert p.rows_loaded == 5 and p.rejected_rows == 0  # reported, not dropped


def test_msproject_excel_placeholder_finishes_leave_tasks_unfinished():
    rows = [
        ["ID", "Name", "Duration", "Start", "Finish", "Predecessors", "Actual_Finish", "Percent_Complete"],
        [1, "Design", "5 days", "2025-01-06", "2025-01-10", "", "2000-01-01", "0%"],
        [2, "Build", "5 days", "2025-01-13", "2025-01-17", "1", "2000-01-01", "0%"],
        [3, "Test", "5 days", "2025-01-20", "2025-01-24", "2", "2025-01-24", "100%"],
    ]
    p = parse_bytes("plan.xlsx", workbook_bytes({"Task_Table1": rows}))
    assert p.source_format == "msproject_excel"
    t = p.tables["tasks"]
    assert t["actual_finish"].isna().tolist() == [True, True, False]  # only Test finished
    assert [(x.row, x.key) for x in p.warnings] == [(2, "validate.placeholder_date"), (3, "validate.placeholder_date")]


# ------------------------------------------------------------------ a project column, format suggestions

RISKS_NO_PROJECT = [
    ["Risk ID", "Title", "Probability", "Impact", "Owner", "Status"],
    ["R1", "Vendor late", 0.3, 10000, "Ann", "Open"],
    ["R2", "Key person leaves", 0.2, 5000, "Bob", "Open"],
]


def test_a_risk_register_without_project_column_asks_for_one():
    data = workbook_bytes({"Risks": RISKS_NO_PROJECT})
    p = parse_bytes("risks.xlsx", data)
    assert p.rows_loaded == 0 and p.open_choices["project"] == {"where": ["Risks"]}
    assert "--project" in p.errors[0].message
    assert "--project" in messages.problem_line(p.errors[0], "zh")
    ok = parse_bytes("risks.xlsx", data, options=ParseOptions(project_id="P7"))
    assert ok.tables["risks"]["project_id"].tolist() == ["P7", "P7"] and "project" not in ok.open_choices


@pytest.mark.parametrize(
    ("name", "data", "allowed"),
    [
        ("x.xml", b"<root><a>1</a></root>", {"jira_xml", "msproject_xml"}),
        ("x.json", b'{"a": 1}', {"trello_json"}),
    ],
)
def test_json_and_xml_refusals_suggest_only_formats_of_that_kind(name, data, allowed):
    with pytest.raises(UnrecognisedFormatError) as exc:
        parse_bytes(name, data)
    tried = exc.value.params["tried"]
    named = {part.rsplit(" ", 1)[0] for part in tried.split(", ")}
    assert named and named <= allowed, tried
    assert "map the columns by hand" not in str(exc.value)  # not possible in XML or JSON
    assert "Trello board export" in str(exc.value)


# ------------------------------------------------------------------ the CLI says everything


def test_cli_prints_every_note_under_the_summary_line(tmp_path, capsys):
    f = tmp_path / "tienda.json"
    f.write_bytes(board(["Alfa", "Beta", "Gamma"], [("x", 0), ("y", 1), ("z", 2)]))
    db = str(tmp_path / "a.duckdb")
    assert cli.main(["import", str(f), "--db", db, "--lang", "zh"]) == 0
    captured = capsys.readouterr()
    # the board's last activity (2025-03-31T10:00Z) proposed, said in Chinese
    assert "tienda.json：状态日期 2025-03-31，来自看板最后活动日期" in captured.err
    out = captured.out.splitlines()
    assert out[0].startswith("tienda.json: import #1 (trello_json")
    parsed = parse_bytes("tienda.json", f.read_bytes())
    assert out[1:] == [f"  note: {messages.note_text(n, 'zh')}" for n in parsed.notes]
    assert any("按列表顺序确定" in line for line in out)  # the list-order note, in Chinese


def test_cli_dates_and_list_category_options(tmp_path, capsys):
    f = tmp_path / "plan.csv"
    f.write_text(TASKS_AMBIGUOUS)
    db = str(tmp_path / "a.duckdb")
    assert cli.main(["import", str(f), "--db", db, "--status-date", "2025-04-30"]) == 0
    assert "--dates mdy" in capsys.readouterr().out  # the ambiguity note reaches the CLI
    from pmo_analytics.store import Store

    g = tmp_path / "plan2.csv"
    g.write_text(TASKS_AMBIGUOUS.replace("P1,", "P2,"))
    assert cli.main(["import", str(g), "--db", db, "--status-date", "2025-04-30", "--dates", "mdy"]) == 0
    tasks = Store(db).query("SELECT project_id, start FROM tasks ORDER BY project_id, task_id")
    assert [d.date() for d in tasks["start"]] == [
        date(2025, 4, 3),
        date(2025, 4, 8),
        date(2025, 3, 4),
        date(2025, 8, 4),
    ]
    b = tmp_path / "b.json"
    b.write_bytes(board(["Ideas", "Haciendo", "Listo"], [("x", 0), ("y", 1), ("z", 2)]))
    assert cli.main(["import", str(b), "--db", db, "--list-category", "Listo=done"]) == 0
    items = Store(db).query("SELECT title, status_category FROM work_items ORDER BY title")
    assert items["status_category"].tolist() == ["To Do", "In Progress", "Done"]
    assert cli.main(["import", str(b), "--db", db, "--list-category", "Listo"]) == 1
    assert "--list-category 'Listo'" in capsys.readouterr().err


def test_cli_lists_and_forgets_saved_board_lists(tmp_path, capsys):
    from pmo_analytics.store import Store

    db = str(tmp_path / "a.duckdb")
    saved_lists.save(Store(db), "B1", "Tienda", {"Listo": "Done", "Ideas": "To Do"}, actor="pm@example.com")
    assert cli.main(["board-lists", "--db", db, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["board_id"], r["board"], r["lists"], r["owner"]) for r in rows] == [
        ("B1", "Tienda", "Listo=Done; Ideas=To Do", "pm@example.com")
    ]
    assert cli.main(["board-lists", "--db", db, "--delete", "B1"]) == 0
    assert saved_lists.load(Store(db)) == ()
    assert cli.main(["board-lists", "--db", db, "--delete", "B1"]) == 1
    assert "no list categories are saved for board 'B1'" in capsys.readouterr().err
    assert Store(db).audit_entries()["action"].tolist().count("board_lists.delete") == 1


def test_cli_names_project_when_the_file_has_no_project_column(tmp_path, capsys):
    f = tmp_path / "risks.xlsx"
    f.write_bytes(workbook_bytes({"Risks": RISKS_NO_PROJECT}))
    db = str(tmp_path / "a.duckdb")
    assert cli.main(["import", str(f), "--db", db, "--status-date", "2025-04-30"]) == 1
    err = capsys.readouterr().err
    assert "error: file 'risks.xlsx': no project column; name the project with --project PROJECT_ID" in err
    assert "  note: " in err  # the notes explain the refusal too
    assert cli.main(["import", str(f), "--db", db, "--status-date", "2025-04-30", "--project", "P7"]) == 0
