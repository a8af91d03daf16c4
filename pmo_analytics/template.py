"""The canonical import template: the workbook layout every template file shares (one sheet per
table, headers = column labels, fixed properties so written bytes are reproducible), the blank
template with its README sheet (English or Chinese), and the header each table's columns are
written with (``sheet_headers``, also used by the weekly report's data sheets).

The demo files (``demo.py``) are written with the same ``workbook_bytes``.
Regenerate the committed blank templates with ``python -m pmo_analytics.template``.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from .schema import TABLES, Table, match_headers

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = ROOT / "data" / "template"

# Fixed workbook properties: the bytes of every written file are reproducible.
_WORKBOOK_CREATED = datetime(2026, 1, 1)
SHEET_ORDER = (
    "projects",
    "tasks",
    "links",
    "risks",
    "work_items",
    "assignments",
    "evm_periods",
    "deliverables",
    "lessons",
    "fx_rates",
)


def sheet_headers(table: str, lang: str = "en") -> list[str]:
    """Headers the template writes for ``table``: each column's label (``label_zh`` with
    ``lang="zh"``). Where a label would be read back as another column (the English
    Projects label "Project" is also an alias of Project ID), the first alias that reads
    back as the right column is used instead, so every written workbook parses losslessly."""
    t = TABLES[table]
    headers = [c.label_zh if lang == "zh" else c.label_en for c in t.columns]
    for i, col in enumerate(t.columns):
        if match_headers(table, headers).get(headers[i]) == col.name:
            continue
        for alias in col.aliases:
            trial = [*headers[:i], alias[:1].upper() + alias[1:], *headers[i + 1 :]]
            if match_headers(table, trial).get(trial[i]) == col.name:
                headers = trial
                break
    return headers


def workbook_bytes(tables: dict[str, list[dict]], lang: str = "en", readme: list[list] | None = None) -> bytes:
    """A canonical-template workbook: one sheet per table, headers = column labels."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"title": "PMO Portfolio Health", "author": "PMO Portfolio Health", "created": _WORKBOOK_CREATED})
    head = wb.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1})
    fmt = {
        "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
        "percent": wb.add_format({"num_format": "0%"}),
        "money": wb.add_format({"num_format": "#,##0.00"}),
    }
    if readme is not None:
        ws = wb.add_worksheet("说明" if lang == "zh" else "README")
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        title = wb.add_format({"bold": True, "font_size": 14})
        for r, line in enumerate(readme):
            if len(line) == 1:  # title and introduction span the table's width
                ws.merge_range(r, 0, r, 5, str(line[0]), title if r == 0 else wrap)
                if r:
                    ws.set_row(r, 48)
                continue
            for c, v in enumerate(line):
                if v is not None:
                    ws.write_string(r, c, str(v), head if r == 3 else wrap)
        ws.set_column(0, 1, 22)
        ws.set_column(2, 3, 16)
        ws.set_column(4, 4, 24)
        ws.set_column(5, 5, 60)
    for name in SHEET_ORDER:
        t: Table = TABLES[name]
        ws = wb.add_worksheet(t.sheet_zh if lang == "zh" else t.sheet_en)
        cols = t.columns
        for c, (col, header) in enumerate(zip(cols, sheet_headers(name, lang), strict=True)):
            ws.write_string(0, c, header, head)
            width = 12 if col.dtype in ("date", "percent", "int", "bool") else 16
            if col.name in (
                "name",
                "title",
                "response",
                "resource_names",
                "sprints",
                "what_happened",
                "recommendation",
            ):
                width = 36
            ws.set_column(c, c, width, fmt.get(col.dtype))
        ws.freeze_panes(1, 0)
        for r, row in enumerate(tables.get(name, []), start=1):
            for c, col in enumerate(cols):
                v = row.get(col.name)
                if v is None:
                    continue
                f = fmt.get(col.dtype)
                if col.dtype == "date":
                    ws.write_datetime(r, c, datetime(v.year, v.month, v.day), f)
                elif col.dtype == "bool":
                    ws.write_boolean(r, c, bool(v))
                elif col.dtype in ("float", "int", "money", "percent"):
                    ws.write_number(r, c, float(v), f)
                elif col.dtype == "list":
                    ws.write_string(r, c, "; ".join(v))
                else:
                    ws.write_string(r, c, str(v))
    wb.close()
    return buf.getvalue()


# ---------------------------------------------------------------------------- the blank template

_TYPE_TEXT = {
    "text": ("text", "文本"),
    "date": ("date, e.g. 2026-03-31, 31/03/2026 or 2026年3月31日", "日期，如 2026-03-31、31/03/2026 或 2026年3月31日"),
    "float": ("number, e.g. 12.5", "数字，如 12.5"),
    "int": ("whole number, e.g. 3", "整数，如 3"),
    "bool": ("yes/no (yes, no, true, false, 1, 0, 是, 否)", "是/否（是、否、yes、no、1、0）"),
    "percent": ("percentage: 35%, 35 or 0.35", "百分比：35%、35 或 0.35"),
    "money": ("amount, e.g. 1200, 1,200.50, ¥1,200 or 1.2万", "金额，如 1200、1,200.50、¥1,200 或 1.2万"),
    "list": ("list separated by ;", "列表，用 ; 分隔"),
}
_TABLE_TEXT_ZH = {
    "projects": "每个项目一行：标识、负责人、预算和日期。",
    "tasks": "进度计划任务：基准、实际、完成百分比和成本。",
    "links": "任务依赖关系：FS/SS/FF/SF 及延隔（工作日，负数为提前）。",
    "risks": "风险登记册（影响金额为负数表示机会）。",
    "work_items": "敏捷工作项（Jira 问题、Trello 卡片、Asana 任务）。",
    "assignments": "每人每项目每周的计划/实际工时及可用工时。",
    "evm_periods": "财务或成本系统按期间导出的累计 PV/EV/AC。",
    "deliverables": "交付物登记：计划交付日期与验收情况（验收人、验收日期）。",
    "lessons": "经验教训：发生了什么、在哪个阶段、下次怎么做。",
    "fx_rates": (
        "汇率：1 单位币种折合多少本位币（本位币留空即报告币种 PMO_REPORTING_CURRENCY），自生效日期起适用，"
        "直到下一个生效日期。不含项目编号：整表生效，同一币种、本位币和生效日期以最近一次导入为准。"
    ),
}
_EXAMPLES = {
    "projects": {
        "project_id": "PRJ-101", "name": "数据中台 Data Platform", "program": "Core Platform",
        "portfolio": "Enterprise Portfolio 2026", "department": "IT", "manager": "Alice Wang", "sponsor": "Li Ming (CIO)",
        "stage": "Execution", "priority": "High", "currency": "CNY", "bac": "2,400,000",
        "start": "2026-01-05", "finish": "2027-03-31", "baseline_start": "2026-01-05",
        "baseline_finish": "2027-02-26", "status": "Active", "calendar_id": "1", "minutes_per_day": "480",
        "schedule_tool": "msproject", "critical_slack_limit_days": "0", "multiple_critical_paths": "no",
    },
    "tasks": {
        "project_id": "PRJ-101", "task_id": "42", "wbs": "3.2.1", "name": "Data model: Review",
        "outline_level": "3", "is_summary": "no", "is_milestone": "no", "start": "2026-05-04",
        "finish": "2026-05-15", "baseline_start": "2026-04-27", "baseline_finish": "2026-05-08",
        "actual_start": "2026-05-04", "actual_finish": "2026-05-15", "percent_complete": "100%",
        "bac": "31,200", "actual_cost": "33,500", "resource_names": "Zhang Wei; Li Na", "constraint_type": "Start No Earlier Than",
        "constraint_date": "2026-05-04", "total_float_days": "5", "start_minute": "480", "finish_minute": "1020",
        "actual_start_minute": "480", "actual_finish_minute": "1020", "constraint_minute": "480",
        "duration_minutes": "4800", "duration_unit": "d", "remaining_minutes": "0", "calendar_id": "1",
        "leveling_delay_minutes": "0", "leveling_delay_unit": "ed", "split_minutes": "0",
        "is_manual": "no", "is_critical": "no", "deadline": "2026-05-22", "deadline_minute": "1020",
        "is_placeholder": "no",
        "duration_optimistic": "8", "duration_likely": "10", "duration_pessimistic": "15",
    },
    "links": {
        "project_id": "PRJ-101", "pred_task_id": "41", "succ_task_id": "42", "type": "FS", "lag_days": "2",
        "lag_minutes": "960", "lag_unit": "d",
    },
    "risks": {
        "project_id": "PRJ-101", "risk_id": "RSK-001", "title": "Vendor contract not signed on time",
        "category": "Vendor", "probability": "40%", "impact_cost": "120,000", "probability_score": "3",
        "impact_score": "4", "owner": "Alice Wang", "status": "Open",
        "response": "Transfer: penalty clauses in the contract", "due_date": "2026-08-31",
        "raised_date": "2026-06-15", "task_ids": "42; 43", "impact_days": "10",
    },
    "work_items": {
        "project_id": "PRJ-101", "key": "DCH-123", "title": "As a customer, I can reset my password",
        "type": "Story", "status": "Done", "status_category": "Done", "priority": "High",
        "story_points": "5", "sprint": "DCH Sprint 7", "sprints": "DCH Sprint 6; DCH Sprint 7",
        "fix_version": "DCH 1.2", "created": "2026-03-02", "resolved": "2026-04-09", "assignee": "Emily Carter",
        "parent": "DCH-102", "labels": "mobile; security", "due_date": "2026-04-10", "progress": "60%",
    },
    "assignments": {
        "person": "Zhang Wei", "department": "IT", "project_id": "PRJ-101", "week_start": "2026-07-06",
        "planned_hours": "24", "actual_hours": "26.5", "capacity_hours": "40",
    },
    "evm_periods": {"project_id": "PRJ-101", "period_end": "2026-06-30", "pv": "850,000", "ev": "790,000",
                    "ac": "840,000"},
    "deliverables": {"project_id": "PRJ-101", "deliverable_id": "D101-03", "name": "Design approved",
                     "due_date": "2026-06-30", "acceptance_status": "Accepted", "accepted_by": "Li Ming (CIO)",
                     "accepted_on": "2026-07-03"},
    "lessons": {"project_id": "PRJ-101", "lesson_id": "L-001", "phase": "Testing", "category": "Quality",
                "what_happened": "Regression testing on old devices was not in the plan.",
                "recommendation": "Keep a device matrix in the test plan.", "owner": "Alice Wang",
                "date": "2026-10-23"},
    "fx_rates": {"currency": "USD", "rate": "7.13", "valid_from": "2026-08-01", "base": "CNY"},
}  # fmt: skip


def _readme_rows(lang: str) -> list[list]:
    zh = lang == "zh"
    rows: list[list] = [
        ["PMO Portfolio Health 导入模板" if zh else "PMO Portfolio Health import template"],
        [
            "每个工作表对应一种数据；只填需要的工作表，其余留空。表头可用中文或英文；必填列不能为空。"
            "导入时选择状态日期，每次导入成为历史中的一个时间点。"
            if zh
            else "Each sheet holds one kind of data; fill only the sheets you need and leave the others empty. "
            "Headers may be in English or Chinese; required columns must have a value in every row. "
            "Choose the status date when importing: every import becomes a point in history."
        ],
        [],
        ["工作表", "列", "类型", "必填", "示例", "说明"]
        if zh
        else ["Sheet", "Column", "Type", "Required", "Example", "Notes"],
    ]
    for name in SHEET_ORDER:
        t = TABLES[name]
        sheet = t.sheet_zh if zh else t.sheet_en
        rows.append([sheet, "", "", "", "", _TABLE_TEXT_ZH[name] if zh else t.description])
        others = sheet_headers(name, "en" if zh else "zh")
        for col, header, other in zip(t.columns, sheet_headers(name, lang), others, strict=True):
            seen, accepted = {header.casefold()}, []
            for h in (other, *col.aliases):
                if h.casefold() not in seen:
                    seen.add(h.casefold())
                    accepted.append(h)
            note = ("也可写作：" if zh else "Also accepted: ") + ", ".join(accepted[:4])
            if col.choices:
                note += ("；可选值：" if zh else "; one of: ") + ", ".join(col.choices)
            rows.append(
                [
                    sheet,
                    header,
                    _TYPE_TEXT[col.dtype][1 if zh else 0],
                    ("是" if col.required else "否") if zh else ("yes" if col.required else "no"),
                    _EXAMPLES[name].get(col.name, ""),
                    note,
                ]
            )
    return rows


def template_workbook_bytes(lang: str = "en") -> bytes:
    """The blank canonical template: a README sheet, then one sheet per table with its headers
    (English, or Chinese sheet names and headers with ``lang="zh"``)."""
    lang = "zh" if lang == "zh" else "en"
    return workbook_bytes({}, lang, readme=_readme_rows(lang))


def write_template_files(out_dir: Path = TEMPLATE_DIR) -> list[Path]:
    """Save ``pmo_template.xlsx`` and ``pmo_template_zh.xlsx``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for lang, name in (("en", "pmo_template.xlsx"), ("zh", "pmo_template_zh.xlsx")):
        path = out_dir / name
        path.write_bytes(template_workbook_bytes(lang))
        paths.append(path)
    return paths


if __name__ == "__main__":  # python -m pmo_analytics.template: regenerate the committed templates
    for p in write_template_files():
        print(p.relative_to(ROOT), p.stat().st_size, "bytes")
