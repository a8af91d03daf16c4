"""Build the small fixture files in tests/data/ that mirror real exports (headers, sheet names,
repeated columns, date styles, encodings and quirks of each tool). Run from the repo root:

    .venv/bin/python tests/data/make_fixtures.py

The files are committed; this script documents how each was made and regenerates them
byte-for-byte (fixed workbook timestamps). Hostile files (bombs, far cells, entity expansion)
are *not* stored: tests/test_hostile_files.py builds them in memory.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent
FIXED = datetime(2025, 1, 1, 0, 0, 0)


def _save(wb: openpyxl.Workbook, name: str) -> None:
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.creator = "make_fixtures"
    buf = io.BytesIO()
    wb.save(buf)
    (HERE / name).write_bytes(_fix_zip_times(buf.getvalue()))


def _fix_zip_times(data: bytes) -> bytes:
    """Rewrite the zip with fixed member timestamps so regenerating gives identical bytes."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", body)
            dst.writestr(zi, body)
    return out.getvalue()


def _csv(name: str, rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",", bom: bool = False) -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    text = buf.getvalue()
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    (HERE / name).write_bytes(data)


def _sheet(wb, title, rows):
    ws = wb.create_sheet(title)
    for r in rows:
        ws.append(r)
    return ws


# ----------------------------------------------------------------------------- Jira


def jira() -> None:
    # Jira Cloud, "Export Excel CSV (all fields)": repeated Fix versions/Labels/Watchers/Sprint/Comment,
    # Parent holds the parent's issue *id*, dates in the default 28/Nov/25 5:03 PM style.
    h = [
        "Summary",
        "Issue key",
        "Issue id",
        "Issue Type",
        "Status",
        "Project key",
        "Project name",
        "Project type",
        "Project lead",
        "Priority",
        "Resolution",
        "Assignee",
        "Reporter",
        "Creator",
        "Created",
        "Updated",
        "Last Viewed",
        "Resolved",
        "Fix versions",
        "Fix versions",
        "Due date",
        "Labels",
        "Labels",
        "Description",
        "Watchers",
        "Watchers",
        "Custom field (Story Points)",
        "Custom field (Story point estimate)",
        "Sprint",
        "Sprint",
        "Custom field (Rank)",
        "Comment",
        "Comment",
        "Parent",
        "Parent summary",
        "Status Category",
        "Status Category Changed",
    ]
    rows = [
        h,
        [
            "Checkout revamp",
            "PHX-100",
            "10010",
            "Epic",
            "To Do",
            "PHX",
            "Phoenix",
            "software",
            "Ana Ruiz",
            "High",
            "",
            "Ana Ruiz",
            "Ana Ruiz",
            "Ana Ruiz",
            "01/Oct/25 9:00 AM",
            "02/Oct/25 9:00 AM",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "Epic for the new checkout",
            "Ana Ruiz",
            "",
            "",
            "",
            "",
            "",
            "0|hzzzzz:",
            "",
            "",
            "",
            "",
            "To Do",
            "01/Oct/25 9:00 AM",
        ],
        [
            "Payment form",
            "PHX-101",
            "10011",
            "Story",
            "Done",
            "PHX",
            "Phoenix",
            "software",
            "Ana Ruiz",
            "Medium",
            "Done",
            "Li Wei",
            "Ana Ruiz",
            "Ana Ruiz",
            "03/Nov/25 9:15 AM",
            "28/Nov/25 5:03 PM",
            "",
            "28/Nov/25 5:03 PM",
            "1.0",
            "1.1",
            "",
            "backend",
            "frontend",
            "Build the form,\nwith validation",
            "Ana Ruiz",
            "Li Wei",
            "5",
            "",
            "PHX Sprint 1",
            "PHX Sprint 2",
            "0|i0001r:",
            '03/Nov/25 10:00 AM;Ana Ruiz;Please keep it "simple"\nsecond line',
            "",
            "10010",
            "Checkout revamp",
            "Done",
            "28/Nov/25 5:03 PM",
        ],
        [
            "Card declined message",
            "PHX-102",
            "10012",
            "Bug",
            "In Progress",
            "PHX",
            "Phoenix",
            "software",
            "Ana Ruiz",
            "High",
            "",
            "Sam Okoro",
            "Li Wei",
            "Li Wei",
            "10/Nov/25 2:30 PM",
            "12/Nov/25 11:00 AM",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "3",
            "PHX Sprint 2",
            "",
            "0|i0001s:",
            "",
            "",
            "10010",
            "Checkout revamp",
            "In Progress",
            "11/Nov/25 9:00 AM",
        ],
        [
            "Write tests",
            "PHX-103",
            "10013",
            "Sub-task",
            "To Do",
            "PHX",
            "Phoenix",
            "software",
            "Ana Ruiz",
            "Low",
            "",
            "",
            "Li Wei",
            "Li Wei",
            "11/Nov/25 4:00 PM",
            "11/Nov/25 4:00 PM",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "0|i0001t:",
            "",
            "",
            "10011",
            "Payment form",
            "To Do",
            "11/Nov/25 4:00 PM",
        ],
        [
            "Estimate typo",
            "PHX-104",
            "10014",
            "Story",
            "To Do",
            "PHX",
            "Phoenix",
            "software",
            "Ana Ruiz",
            "Low",
            "",
            "",
            "Li Wei",
            "Li Wei",
            "12/Nov/25 8:00 AM",
            "12/Nov/25 8:00 AM",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "five",
            "",
            "",
            "",
            "0|i0001u:",
            "",
            "",
            "",
            "",
            "To Do",
            "12/Nov/25 8:00 AM",
        ],
    ]
    _csv("jira_cloud_all_fields.csv", rows)

    # Jira Server/Data Center "current fields": columns as shown in the navigator, ISO dates, no project key
    rows = [
        [
            "Issue Type",
            "Key",
            "Summary",
            "Assignee",
            "Reporter",
            "Priority",
            "Status",
            "Resolution",
            "Created",
            "Updated",
            "Due Date",
        ],
        [
            "Story",
            "OPS-7",
            "Rotate certificates",
            "Jo Park",
            "Jo Park",
            "Major",
            "Closed",
            "Fixed",
            "2025-03-02 09:10",
            "2025-03-20 16:45",
            "2025-03-21",
        ],
        [
            "Task",
            "OPS-8",
            "Patch database",
            "",
            "Jo Park",
            "Minor",
            "Open",
            "Unresolved",
            "2025-03-05 11:00",
            "2025-03-05 11:00",
            "",
        ],
    ]
    _csv("jira_server_current_fields.csv", rows)

    # Jira with a Chinese UI: Chinese headers, 28/十一月/25 5:03 下午 dates, UTF-8 with BOM (as Excel likes)
    rows = [
        [
            "概要",
            "问题关键字",
            "问题ID",
            "问题类型",
            "状态",
            "项目关键字",
            "项目名称",
            "优先级",
            "解决结果",
            "经办人",
            "报告人",
            "创建日期",
            "已更新",
            "已解决",
            "Sprint",
            "Sprint",
            "自定义字段 (Story Points)",
            "父级",
            "状态类别",
        ],
        [
            "登录页面改版",
            "DATA-1",
            "20001",
            "故事",
            "完成",
            "DATA",
            "数据平台",
            "高",
            "完成",
            "王芳",
            "李雷",
            "03/十一月/25 9:15 上午",
            "28/十一月/25 5:03 下午",
            "28/十一月/25 5:03 下午",
            "冲刺 1",
            "冲刺 2",
            "8",
            "",
            "完成",
        ],
        [
            "导出报表",
            "DATA-2",
            "20002",
            "任务",
            "处理中",
            "DATA",
            "数据平台",
            "中",
            "",
            "张伟",
            "李雷",
            "05/十一月/25 2:00 下午",
            "06/十一月/25 10:00 上午",
            "",
            "冲刺 2",
            "",
            "3",
            "DATA-1",
            "进行中",
        ],
    ]
    _csv("jira_zh.csv", rows, bom=True)


# ----------------------------------------------------------------------------- MS Project


def msproject() -> None:
    d = datetime
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    h = [
        "ID",
        "Active",
        "Task_Mode",
        "Name",
        "Duration",
        "Start",
        "Finish",
        "Predecessors",
        "Outline_Level",
        "Notes",
        "Resource_Names",
        "Percent_Complete",
        "Baseline_Start",
        "Baseline_Finish",
        "Cost",
        "Baseline_Cost",
        "Actual_Cost",
        "Unique_ID",
        "WBS",
        "Summary",
        "Milestone",
        "Total_Slack",
        "Constraint_Type",
        "Constraint_Date",
        "Actual_Start",
        "Actual_Finish",
    ]
    rows = [
        h,
        [
            0,
            "Yes",
            "Auto Scheduled",
            "Website relaunch",
            "32 days",
            d(2025, 1, 6, 8),
            d(2025, 2, 18, 17),
            None,
            0,
            None,
            None,
            30,
            d(2025, 1, 6, 8),
            d(2025, 2, 14, 17),
            48000,
            45000,
            12000,
            0,
            "0",
            "Yes",
            "No",
            "0 days",
            "As Soon As Possible",
            "NA",
            d(2025, 1, 6, 8),
            "NA",
        ],
        [
            1,
            "Yes",
            "Auto Scheduled",
            "Design",
            "10 days",
            d(2025, 1, 6, 8),
            d(2025, 1, 17, 17),
            None,
            1,
            None,
            None,
            100,
            d(2025, 1, 6, 8),
            d(2025, 1, 17, 17),
            12000,
            12000,
            12000,
            11,
            "1",
            "Yes",
            "No",
            "0 days",
            "As Soon As Possible",
            "NA",
            d(2025, 1, 6, 8),
            d(2025, 1, 17, 17),
        ],
        [
            2,
            "Yes",
            "Auto Scheduled",
            "Requirements",
            "5 days",
            d(2025, 1, 6, 8),
            d(2025, 1, 10, 17),
            None,
            2,
            "signed off",
            "Alice,Bob",
            100,
            d(2025, 1, 6, 8),
            d(2025, 1, 10, 17),
            6000,
            6000,
            6000,
            12,
            "1.1",
            "No",
            "No",
            "0 days",
            "As Soon As Possible",
            "NA",
            d(2025, 1, 6, 8),
            d(2025, 1, 10, 17),
        ],
        [
            3,
            "Yes",
            "Auto Scheduled",
            "Architecture",
            "5 days",
            d(2025, 1, 13, 8),
            d(2025, 1, 17, 17),
            "2",
            2,
            None,
            "Alice",
            100,
            d(2025, 1, 13, 8),
            d(2025, 1, 17, 17),
            6000,
            6000,
            6000,
            13,
            "1.2",
            "No",
            "No",
            "0 days",
            "As Soon As Possible",
            "NA",
            d(2025, 1, 13, 8),
            d(2025, 1, 17, 17),
        ],
        [
            4,
            "Yes",
            "Auto Scheduled",
            "Build",
            "20 days",
            d(2025, 1, 20, 8),
            d(2025, 2, 14, 17),
            None,
            1,
            None,
            None,
            15,
            d(2025, 1, 20, 8),
            d(2025, 2, 14, 17),
            36000,
            33000,
            0,
            14,
            "2",
            "Yes",
            "No",
            "2 days",
            "As Soon As Possible",
            "NA",
            "NA",
            "NA",
        ],
        [
            5,
            "Yes",
            "Auto Scheduled",
            "Backend",
            "10 days",
            d(2025, 1, 22, 8),
            d(2025, 2, 4, 17),
            "3FS+2 days",
            2,
            None,
            "Bob",
            20,
            d(2025, 1, 20, 8),
            d(2025, 1, 31, 17),
            18000,
            15000,
            0,
            15,
            "2.1",
            "No",
            "No",
            "2 days",
            "Start No Earlier Than",
            d(2025, 1, 22, 8),
            "NA",
            "NA",
        ],
        [
            6,
            "Yes",
            "Auto Scheduled",
            "Frontend",
            "15 days",
            d(2025, 1, 20, 8),
            d(2025, 2, 7, 17),
            "3SS;5FF-1 day",
            2,
            None,
            "Carol",
            10,
            d(2025, 1, 20, 8),
            d(2025, 2, 7, 17),
            18000,
            18000,
            0,
            16,
            "2.2",
            "No",
            "No",
            "5 days",
            "As Soon As Possible",
            "NA",
            "NA",
            "NA",
        ],
        [
            7,
            "Yes",
            "Auto Scheduled",
            "Go live",
            "0 days",
            d(2025, 2, 18, 17),
            d(2025, 2, 18, 17),
            "5,6FS+50%",
            1,
            None,
            None,
            0,
            d(2025, 2, 14, 17),
            d(2025, 2, 14, 17),
            0,
            0,
            0,
            17,
            "3",
            "No",
            "Yes",
            "0 days",
            "Must Finish On",
            d(2025, 2, 18, 17),
            "NA",
            "NA",
        ],
        [
            8,
            "No",
            "Auto Scheduled",
            "Parked idea",
            "3 days",
            d(2025, 2, 3, 8),
            d(2025, 2, 5, 17),
            None,
            1,
            None,
            None,
            0,
            "NA",
            "NA",
            0,
            0,
            0,
            18,
            "4",
            "No",
            "No",
            "0 days",
            "As Soon As Possible",
            "NA",
            "NA",
            "NA",
        ],
        [
            9,
            "Yes",
            "Auto Scheduled",
            "Handover",
            "2 days",
            d(2025, 2, 19, 8),
            d(2025, 2, 20, 17),
            "7XY",
            1,
            None,
            None,
            0,
            "NA",
            "NA",
            0,
            0,
            0,
            19,
            "5",
            "No",
            "No",
            "0 days",
            "As Soon As Possible",
            "NA",
            "NA",
            "NA",
        ],
    ]
    _sheet(wb, "Task_Table1", rows)
    _sheet(wb, "Resource_Table1", [["ID", "Name", "Initials", "Max_Units"], [1, "Alice", "A", 1], [2, "Bob", "B", 1]])
    _save(wb, "msproject_task_table.xlsx")

    # Chinese MS Project export: 任务_表1, Chinese headers, values written as text
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    rows = [
        [
            "标识号",
            "任务模式",
            "名称",
            "工期",
            "开始时间",
            "完成时间",
            "前置任务",
            "大纲级别",
            "资源名称",
            "完成百分比",
            "比较基准开始时间",
            "比较基准完成时间",
            "成本",
            "实际成本",
            "唯一标识号",
            "摘要",
            "里程碑",
            "总可宽延时间",
        ],
        [
            1,
            "自动计划",
            "需求调研",
            "5 个工作日",
            "2025年3月3日",
            "2025年3月7日",
            None,
            1,
            "王芳",
            "100%",
            "2025年3月3日",
            "2025年3月7日",
            "¥10,000",
            "¥9,500",
            101,
            "否",
            "否",
            "0 个工作日",
        ],
        [
            2,
            "自动计划",
            "系统设计",
            "10 个工作日",
            "2025年3月10日",
            "2025年3月21日",
            "1FS+1 个工作日",
            1,
            "张伟,李雷",
            "50%",
            "2025年3月10日",
            "2025年3月21日",
            "¥20,000",
            "¥8,000",
            102,
            "否",
            "否",
            "3 个工作日",
        ],
        [
            3,
            "自动计划",
            "上线",
            "0 个工作日",
            "2025年3月21日",
            "2025年3月21日",
            "2",
            1,
            None,
            "0%",
            "2025年3月21日",
            "2025年3月21日",
            "¥0",
            "¥0",
            103,
            "否",
            "是",
            "0 个工作日",
        ],
    ]
    _sheet(wb, "任务_表1", rows)
    _save(wb, "msproject_task_table_zh.xlsx")


# ----------------------------------------------------------------------------- Trello


def trello() -> None:
    board = {
        "id": "65a0c0ffee00000000000001",
        "name": "Mobile App",
        "closed": False,
        "labelNames": {"green": "Feature", "red": "Bug"},
        "lists": [
            {"id": "l1", "name": "To Do", "closed": False, "pos": 1},
            {"id": "l2", "name": "Doing", "closed": False, "pos": 2},
            {"id": "l3", "name": "Done", "closed": False, "pos": 3},
        ],
        "labels": [
            {"id": "lb1", "name": "Feature", "color": "green"},
            {"id": "lb2", "name": "Bug", "color": "red"},
            {"id": "lb3", "name": "", "color": "yellow"},
        ],
        "members": [
            {"id": "m1", "fullName": "Ana Ruiz", "username": "ana"},
            {"id": "m2", "fullName": "Li Wei", "username": "liwei"},
        ],
        "checklists": [
            {
                "id": "c1",
                "idCard": "65a0c1000000000000000011",
                "name": "Steps",
                "checkItems": [
                    {"id": "i1", "state": "complete", "name": "a"},
                    {"id": "i2", "state": "complete", "name": "b"},
                    {"id": "i3", "state": "incomplete", "name": "c"},
                ],
            },
        ],
        "cards": [
            # ObjectId 65a0c100 = 2024-01-12 UTC
            {
                "id": "65a0c1000000000000000011",
                "idShort": 1,
                "name": "Login screen",
                "idList": "l2",
                "closed": False,
                "idMembers": ["m1", "m2"],
                "idLabels": ["lb1"],
                "labels": [{"id": "lb1", "name": "Feature", "color": "green"}],
                "due": "2024-02-01T12:00:00.000Z",
                "dueComplete": False,
                "shortLink": "aaa1",
            },
            {
                "id": "65a0c2000000000000000012",
                "idShort": 2,
                "name": "Crash on start",
                "idList": "l3",
                "closed": False,
                "idMembers": ["m2"],
                "idLabels": ["lb2"],
                "labels": [],
                "due": None,
                "dueComplete": False,
                "shortLink": "aaa2",
                "dateCompleted": "2024-01-20T09:00:00.000Z",
            },
            {
                "id": "65a0c3000000000000000013",
                "idShort": 3,
                "name": "Old idea",
                "idList": "l1",
                "closed": True,
                "idMembers": [],
                "idLabels": [],
                "labels": [],
                "due": None,
                "dueComplete": False,
                "shortLink": "aaa3",
            },
            {
                "id": "65a0c4000000000000000014",
                "idShort": 4,
                "name": "Release notes",
                "idList": "l1",
                "closed": False,
                "idMembers": [],
                "idLabels": ["lb3"],
                "labels": [],
                "due": "2024-03-01T12:00:00.000Z",
                "dueComplete": True,
                "shortLink": "aaa4",
            },
        ],
        "actions": [],
    }
    (HERE / "trello_board.json").write_text(json.dumps(board, indent=1, ensure_ascii=False), encoding="utf-8")


# ----------------------------------------------------------------------------- Asana


def asana() -> None:
    h = [
        "Task ID",
        "Created At",
        "Completed At",
        "Last Modified",
        "Name",
        "Section/Column",
        "Assignee",
        "Assignee Email",
        "Start Date",
        "Due Date",
        "Tags",
        "Notes",
        "Projects",
        "Parent task",
        "Blocked By (Dependencies)",
        "Blocking (Dependencies)",
        "Priority",
    ]
    rows = [
        ["Marketing launch – exported 2025-04-01", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
        [""] * len(h),
        h,
        [
            "1207000000000001",
            "2025-03-01",
            "2025-03-10",
            "2025-03-10",
            "Brief",
            "Done",
            "Ana Ruiz",
            "ana@example.com",
            "2025-03-03",
            "2025-03-07",
            "",
            "Kick-off brief",
            "Launch Q2",
            "",
            "",
            "1207000000000002",
            "High",
        ],
        [
            "1207000000000002",
            "2025-03-01",
            "",
            "2025-03-12",
            "Design assets",
            "Doing",
            "Li Wei",
            "li@example.com",
            "2025-03-10",
            "2025-03-21",
            "design",
            "",
            "Launch Q2",
            "",
            "1207000000000001",
            "",
            "Medium",
        ],
        [
            "1207000000000003",
            "2025-03-02",
            "",
            "2025-03-02",
            "Banner sizes",
            "Doing",
            "",
            "",
            "",
            "2025-03-14",
            "",
            "",
            "Launch Q2",
            "Design assets",
            "",
            "",
            "",
        ],
        [
            "1207000000000004",
            "2025-03-02",
            "",
            "2025-03-02",
            "Press release",
            "Backlog",
            "Sam Okoro",
            "",
            "",
            "",
            "",
            "",
            "Launch Q2",
            "",
            "Brief",
            "",
            "Low",
        ],
    ]
    _csv("asana_project.csv", rows)


# ----------------------------------------------------------------------------- Smartsheet


def smartsheet() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Office Move"
    h = [
        "Task Name",
        "Duration",
        "Start",
        "Finish",
        "Predecessors",
        "Assigned To",
        "% Complete",
        "Status",
        "Baseline Start",
        "Baseline Finish",
        "Variance",
        "Comments",
    ]
    ws.append(h)
    d = datetime
    data = [
        (
            0,
            [
                "Planning",
                "6d",
                d(2025, 5, 5),
                d(2025, 5, 12),
                None,
                None,
                0.5,
                "In Progress",
                d(2025, 5, 5),
                d(2025, 5, 12),
                "0d",
                None,
            ],
        ),
        (
            1,
            [
                "Survey floors",
                "3d",
                d(2025, 5, 5),
                d(2025, 5, 7),
                None,
                "ana@example.com",
                1,
                "Complete",
                d(2025, 5, 5),
                d(2025, 5, 7),
                "0d",
                None,
            ],
        ),
        (
            1,
            [
                "Seat plan",
                "3d",
                d(2025, 5, 8),
                d(2025, 5, 12),
                "2",
                "li@example.com",
                0,
                "Not Started",
                d(2025, 5, 8),
                d(2025, 5, 12),
                "0d",
                "needs HR",
            ],
        ),
        (
            0,
            [
                "Move",
                "4d",
                d(2025, 5, 13),
                d(2025, 5, 16),
                None,
                None,
                0,
                "Not Started",
                d(2025, 5, 13),
                d(2025, 5, 16),
                "0d",
                None,
            ],
        ),
        (
            1,
            [
                "Pack",
                "2d",
                d(2025, 5, 13),
                d(2025, 5, 14),
                "3FS +0d",
                "sam@example.com",
                0,
                "Not Started",
                d(2025, 5, 13),
                d(2025, 5, 14),
                "0d",
                None,
            ],
        ),
        (
            1,
            [
                "Unpack",
                "2d",
                d(2025, 5, 15),
                d(2025, 5, 16),
                "5, 2SS +1w",
                "sam@example.com",
                0,
                "Not Started",
                d(2025, 5, 15),
                d(2025, 5, 16),
                "0d",
                None,
            ],
        ),
        (
            0,
            [
                "Moved in",
                "0",
                d(2025, 5, 16),
                d(2025, 5, 16),
                "6",
                None,
                0,
                "Not Started",
                d(2025, 5, 16),
                d(2025, 5, 16),
                "0d",
                None,
            ],
        ),
    ]
    for indent, row in data:
        ws.append(row)
        ws.cell(ws.max_row, 1).alignment = Alignment(indent=indent)
        ws.cell(ws.max_row, 7).number_format = "0%"
    _save(wb, "smartsheet_office_move.xlsx")

    rows = [h]
    for indent, row in data:
        out = []
        for j, v in enumerate(row):
            if isinstance(v, datetime):
                out.append(v.strftime("%m/%d/%y"))
            elif j == 6:
                out.append(f"{round(v * 100)}%")
            elif j == 0:
                out.append("  " * indent + v)
            else:
                out.append("" if v is None else v)
        rows.append(out)
    _csv("smartsheet_office_move.csv", rows)


# ----------------------------------------------------------------------------- risk registers


def risks() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Risk Register"
    ws.append(["Project Apollo – Risk Register (rev 7)"])
    ws.merge_cells("A1:L1")
    ws.append([])
    ws.append(
        [
            "Project",
            "Risk ID",
            "Risk Description",
            "Category",
            "Type",
            "Probability",
            "Impact",
            "Impact",
            "Score",
            "Owner ",
            "Response",
            "Due Date",
        ]
    )
    rows = [
        [
            "APOLLO",
            "R-001",
            "Supplier delivers late",
            "Schedule",
            "Threat",
            "30%",
            4,
            "300,000 CHF",
            12,
            "Ana Ruiz",
            "Second supplier on standby",
            date(2025, 6, 30),
        ],
        [
            "APOLLO",
            "R-002",
            "Key engineer leaves",
            "Resource",
            "Threat",
            "10%",
            3,
            "CHF 80,000",
            3,
            "Li Wei",
            "Pair programming",
            date(2025, 7, 15),
        ],
        [
            "APOLLO",
            "R-003",
            "Grant approved early",
            "Finance",
            "Opportunity",
            "60%",
            2,
            "50,000 CHF",
            6,
            "Ana Ruiz",
            "Prepare paperwork",
            None,
        ],
        [
            "APOLLO",
            "R-004",
            "Data centre outage",
            "Technical",
            "Threat",
            "5%",
            5,
            "-",
            5,
            "Sam Okoro",
            "Failover",
            date(2025, 9, 1),
        ],
        [
            "APOLLO",
            "R-005",
            "Typo in probability",
            "Technical",
            "Threat",
            "likely-ish",
            2,
            "1,000 CHF",
            4,
            "Sam Okoro",
            "",
            None,
        ],
    ]
    for r in rows:
        ws.append(r)
    _save(wb, "risk_register_en.xlsx")

    # Chinese register: GB18030 (what Excel writes for "CSV" on a Chinese Windows), 高/中/低, ¥ and 万
    rows = [
        [
            "风险编号",
            "风险描述",
            "类别",
            "概率",
            "影响",
            "影响金额",
            "负责人",
            "状态",
            "应对措施",
            "到期日",
            "风险等级",
        ],
        ["F-01", "供应商延期交付", "进度", "高", "中", "¥1,200", "王芳", "打开", "增加备选供应商", "2025/06/30", "高"],
        ["F-02", "需求频繁变更", "范围", "中", "高", "1.2万", "张伟", "打开", "变更控制委员会", "2025/07/15", "高"],
        ["F-03", "政府补贴提前到位", "财务", "低", "低", "-5万", "李雷", "关闭", "准备申报材料", "", "低"],
    ]
    _csv("risk_register_zh.csv", rows, encoding="gb18030")

    # Two header rows with merged group labels: Probability (%, Score), Impact (Cost, Score)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Risks"
    ws.append(["ID", "Risk", "Probability", None, "Impact", None, "Owner"])
    ws.append([None, None, "%", "Score", "Cost", "Score", None])
    ws.merge_cells("C1:D1")
    ws.merge_cells("E1:F1")
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.merge_cells("G1:G2")
    ws.append(["K1", "Vendor insolvency", 0.15, 1, 250000, 5, "CFO"])
    ws.append(["K2", "Scope creep", 0.55, 3, 40000, 3, "PM"])
    _save(wb, "risk_register_two_row_header.xlsx")


# ----------------------------------------------------------------------------- finance


def finance() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "EVM"
    ws.append(["Project", "Month", "BCWS", "BCWP", "ACWP"])
    for p, m, pv, ev, ac in [
        ("ALPHA", date(2025, 1, 1), 100, 90, 95),
        ("ALPHA", date(2025, 2, 1), 250, 220, 240),
        ("ALPHA", date(2025, 3, 1), 400, 380, 420),
        ("BETA", date(2025, 1, 1), 50, 50, 40),
        ("BETA", date(2025, 2, 1), 120, 110, 100),
    ]:
        ws.append([p, m, pv, ev, ac])
    _save(wb, "finance_periods.xlsx")

    rows = [
        ["月份", "计划值", "挣值", "实际成本"],
        ["2025年1月", "100", "80", "90"],
        ["2025年2月", "150", "120", "100"],
        ["2025年3月", "120", "130", "140"],
    ]
    _csv("finance_periods_zh.csv", rows, bom=True)

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S-curve"
    ws.append(["Measure", "Jan 2025", "Feb 2025", "Mar 2025", "2025-Q2"])
    ws.append(["Cumulative PV", 100, 200, 300, 600])
    ws.append(["Cumulative EV", 90, 180, 290, 550])
    ws.append(["Cumulative AC", 95, 210, 320, 640])
    _save(wb, "finance_wide.xlsx")


# ----------------------------------------------------------------------------- broken files


def broken() -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Project ID", "Task ID", "Task", "Start", "Finish"])
    wb.active.append(["P1", "1", "A", "2025-01-06", "2025-01-10"])
    _save(wb, "broken_truncated.xlsx")
    data = (HERE / "broken_truncated.xlsx").read_bytes()
    (HERE / "broken_truncated.xlsx").write_bytes(data[: len(data) // 2])
    (HERE / "broken_csv_renamed.xlsx").write_bytes(
        b"Project ID,Task ID,Task,Start,Finish\nP1,1,A,2025-01-06,2025-01-10\n"
    )
    (HERE / "broken_empty.csv").write_bytes(b"")
    (HERE / "broken_header_only.csv").write_bytes(b"Project ID,Task ID,Task,Start,Finish\r\n")
    (HERE / "broken_ragged.csv").write_bytes(
        b"Project ID,Task ID,Task,Start,Finish\r\nP1,1,A,2025-01-06,2025-01-10\r\nP1,2,B,2025-01-06\r\n"
        b"P1,3,C,2025-01-06,2025-01-10,extra,cells\r\n"
    )
    (HERE / "broken_unterminated_quote.csv").write_bytes(
        b'Project ID,Task ID,Task,Start,Finish\r\nP1,1,"A never closed,2025-01-06,2025-01-10\r\nP1,2,B,2025-01-06,2025-01-10\r\n'
    )
    # formula cells without cached values: what openpyxl and many report generators write
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tasks"
    ws.append(["Project ID", "Task ID", "Task", "Start", "Finish", "Budget", "Actual cost"])
    ws.append(["P1", "1", "A", date(2025, 1, 6), date(2025, 1, 10), 100, 40])
    ws.append(["P1", "2", "B", date(2025, 1, 13), date(2025, 1, 17), "=F2*2", "=G2+10"])
    _save(wb, "broken_formulas_without_values.xlsx")


if __name__ == "__main__":
    jira()
    msproject()
    trello()
    asana()
    smartsheet()
    risks()
    finance()
    broken()
    print("fixtures written to", HERE)
