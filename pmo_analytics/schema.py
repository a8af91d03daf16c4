"""Canonical tables: columns, types, header aliases (English and Chinese).

This module is the single source of truth for what the store holds and what an
import must produce. Every fact table row additionally carries ``import_id``
and ``status_date`` (added by the store, see ``FACT_COLUMNS``).

Column types (``Column.dtype``):

- ``text``     identifiers and free text; kept exactly as written (``00123`` stays)
- ``date``     calendar date
- ``float``    plain number
- ``int``      whole number
- ``bool``     yes/no (yes, y, true, 1, 是, 否 ...)
- ``percent``  fraction 0..1 (accepts ``35%``, ``35`` in a 0..100 column, ``0.35``)
- ``money``    amount (accepts ``¥1,200``, ``300,000 CHF``, ``1.2万``)
- ``list``     list of text (e.g. every sprint a work item was in)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

DTYPES = ("text", "date", "float", "int", "bool", "percent", "money", "list")

# DuckDB column type per canonical dtype.
SQL_TYPES = {
    "text": "VARCHAR",
    "date": "DATE",
    "float": "DOUBLE",
    "int": "BIGINT",
    "bool": "BOOLEAN",
    "percent": "DOUBLE",
    "money": "DOUBLE",
    "list": "VARCHAR[]",
}


@dataclass(frozen=True)
class Column:
    """One canonical column."""

    name: str
    dtype: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    label_en: str = ""
    label_zh: str = ""
    min_value: float | None = None
    max_value: float | None = None
    choices: tuple[str, ...] | None = None  # canonical allowed values (text), case-insensitive

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise ValueError(f"unknown dtype {self.dtype!r} for column {self.name}")


@dataclass(frozen=True)
class Table:
    """One canonical table."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # unique within one import
    sheet_en: str = ""
    sheet_zh: str = ""
    description: str = ""
    fact: bool = True  # carries import_id and status_date
    scope: tuple[str, ...] = field(default=("project_id",))  # what one import replaces
    # False: a whole-table fact with no project_id (exchange rates): the import's status date
    # plays no part in the snapshot; the latest import wins per ``scope`` value
    dated: bool = True

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def C(name, dtype, required=False, aliases=(), en="", zh="", **kw) -> Column:  # noqa: N802
    """Short constructor used in the table definitions below."""
    return Column(name, dtype, required, tuple(aliases), en or name, zh or name, **kw)


# Duration and lag units as MS Project shows them (P6 keeps hours): minutes, hours, days, weeks,
# months; an "e" in front means elapsed (calendar) time; "%" (lags) a share of the predecessor.
# Kept as the reader writes them (lower case), not validated as choices.
DURATION_UNITS = ("m", "h", "d", "w", "mo", "em", "eh", "ed", "ew", "emo")

PROJECT_ID = C(
    "project_id",
    "text",
    True,
    ["project id", "project", "project key", "project code", "项目编号", "项目id", "项目代码", "项目"],
    "Project ID",
    "项目编号",
)

PROJECTS = Table(
    "projects",
    (
        PROJECT_ID,
        C("name", "text", True, ["project name", "title", "项目名称", "名称"], "Project name", "项目名称"),
        C("program", "text", False, ["programme", "program name", "项目群", "项目集"], "Program", "项目群"),
        C("portfolio", "text", False, ["portfolio name", "项目组合", "组合"], "Portfolio", "项目组合"),
        C("department", "text", False, ["dept", "business unit", "部门"], "Department", "部门"),
        C(
            "manager",
            "text",
            False,
            ["project manager", "pm", "owner", "项目经理", "负责人"],
            "Manager",
            "项目经理",
        ),
        C("sponsor", "text", False, ["project sponsor", "发起人", "项目发起人"], "Sponsor", "发起人"),
        C("stage", "text", False, ["phase", "lifecycle stage", "阶段"], "Stage", "阶段"),
        C("priority", "text", False, ["优先级"], "Priority", "优先级"),
        C("currency", "text", False, ["ccy", "币种", "货币"], "Currency", "币种"),
        C(
            "bac",
            "money",
            False,
            ["budget", "budget at completion", "total budget", "预算", "总预算", "完工预算"],
            "BAC",
            "完工预算",
            min_value=0,
        ),
        C("start", "date", False, ["start date", "开始日期", "开始时间"], "Start", "开始日期"),
        C("finish", "date", False, ["finish date", "end", "end date", "完成日期", "结束日期"], "Finish", "完成日期"),
        C(
            "baseline_start",
            "date",
            False,
            ["baseline start", "基准开始", "比较基准开始时间"],
            "Baseline start",
            "基准开始",
        ),
        C(
            "baseline_finish",
            "date",
            False,
            ["baseline finish", "baseline end", "基准完成", "比较基准完成时间"],
            "Baseline finish",
            "基准完成",
        ),
        C("status", "text", False, ["project status", "状态", "项目状态"], "Status", "状态"),
        # schema 4: time as the scheduling tool keeps it (MS Project / P6 files)
        C("calendar_id", "text", False, ["project calendar", "项目日历"], "Calendar", "项目日历"),
        C(
            "minutes_per_day",
            "float",
            False,
            ["minutes per day", "每日分钟数"],
            "Minutes per day",
            "每日分钟数",
            min_value=1,
            max_value=1440,
        ),
        # whose scheduling rules the file follows (float and progress differ): msproject, p6
        C("schedule_tool", "text", False, ["scheduling tool"], "Scheduling tool", "计划工具"),
        # schema 6: the tool's own critical-path options. A task is critical when its total slack
        # is at most this many days (MS Project "Tasks are critical if slack is less than or
        # equal to", P6 "critical if total float <= "); with multiple critical paths (MS Project),
        # a task without successors has its late finish at its own early finish.
        C(
            "critical_slack_limit_days",
            "float",
            False,
            ["critical slack limit", "关键时差限值"],
            "Critical slack limit (days)",
            "关键时差限值(天)",
        ),
        C(
            "multiple_critical_paths",
            "bool",
            False,
            ["multiple critical paths", "多条关键路径"],
            "Multiple critical paths",
            "多条关键路径",
        ),
    ),
    key=("project_id",),
    sheet_en="Projects",
    sheet_zh="项目",
    description="One row per project: identity, ownership, budget and dates.",
)

TASKS = Table(
    "tasks",
    (
        PROJECT_ID,
        C(
            "task_id",
            "text",
            True,
            ["task id", "id", "unique id", "uid", "任务编号", "任务id", "标识号"],
            "Task ID",
            "任务编号",
        ),
        C("wbs", "text", False, ["wbs code", "大纲数字", "wbs编码"], "WBS", "WBS"),
        C("name", "text", True, ["task name", "task", "title", "任务名称", "名称"], "Task", "任务名称"),
        C(
            "outline_level",
            "int",
            False,
            ["outline level", "level", "大纲级别"],
            "Outline level",
            "大纲级别",
            min_value=0,
        ),
        C("is_summary", "bool", False, ["summary", "摘要", "摘要任务"], "Summary", "摘要任务"),
        C("is_milestone", "bool", False, ["milestone", "里程碑"], "Milestone", "里程碑"),
        C("start", "date", True, ["start date", "开始时间", "开始日期"], "Start", "开始时间"),
        C(
            "finish",
            "date",
            True,
            ["finish date", "end", "end date", "完成时间", "完成日期", "结束日期"],
            "Finish",
            "完成时间",
        ),
        C(
            "baseline_start",
            "date",
            False,
            ["baseline start", "比较基准开始时间", "基准开始"],
            "Baseline start",
            "基准开始",
        ),
        C(
            "baseline_finish",
            "date",
            False,
            ["baseline finish", "baseline end", "比较基准完成时间", "基准完成"],
            "Baseline finish",
            "基准完成",
        ),
        C("actual_start", "date", False, ["actual start", "实际开始时间", "实际开始"], "Actual start", "实际开始"),
        C("actual_finish", "date", False, ["actual finish", "实际完成时间", "实际完成"], "Actual finish", "实际完成"),
        C(
            "percent_complete",
            "percent",
            False,
            ["% complete", "percent complete", "progress", "完成百分比", "完成率", "进度"],
            "% complete",
            "完成百分比",
            min_value=0,
            max_value=1,
        ),
        C(
            "bac",
            "money",
            False,
            ["budget", "cost", "baseline cost", "预算", "成本", "比较基准成本"],
            "Budget",
            "预算",
            min_value=0,
        ),
        C("actual_cost", "money", False, ["actual cost", "ac", "实际成本"], "Actual cost", "实际成本", min_value=0),
        C(
            "resource_names",
            "text",
            False,
            ["resources", "resource names", "assigned to", "资源名称", "资源"],
            "Resources",
            "资源名称",
        ),
        C("constraint_type", "text", False, ["constraint type", "限制类型"], "Constraint type", "限制类型"),
        C("constraint_date", "date", False, ["constraint date", "限制日期"], "Constraint date", "限制日期"),
        # schema 6: a task's deadline (MS Project): it caps the task's late finish as a "finish no
        # later than" does, without moving its early dates (a missed deadline shows negative slack)
        C("deadline", "date", False, ["task deadline", "期限"], "Deadline", "期限"),
        C(
            "total_float_days",
            "float",
            False,
            ["total float", "total slack", "总时差", "总可宽延时间"],
            "Total float (days)",
            "总时差(天)",
        ),
        # schema 4: time as the scheduling tool keeps it. Times of day are minutes after midnight of
        # the date in the matching date column (08:00 = 480); durations in minutes of working time
        # (elapsed minutes when ``duration_unit`` starts with "e"); the unit as the tool shows it.
        *(
            C(
                f"{c}_minute",
                "float",
                False,
                [],
                f"{en} time (minute of day)",
                f"{zh}时刻(当日分钟)",
                min_value=0,
                max_value=1440,
            )
            for c, en, zh in (
                ("start", "Start", "开始"),
                ("finish", "Finish", "完成"),
                ("actual_start", "Actual start", "实际开始"),
                ("actual_finish", "Actual finish", "实际完成"),
                ("constraint", "Constraint", "限制"),
                ("deadline", "Deadline", "期限"),  # schema 6
            )
        ),
        C("duration_minutes", "float", False, ["duration minutes"], "Duration (minutes)", "工期(分钟)", min_value=0),
        C(
            "duration_unit",
            "text",
            False,
            ["duration unit"],
            "Duration unit",
            "工期单位",
        ),
        C("remaining_minutes", "float", False, [], "Remaining duration (minutes)", "剩余工期(分钟)", min_value=0),
        # a resource-leveling delay the tool added before the task starts (minutes, unit as above)
        C("leveling_delay_minutes", "float", False, [], "Leveling delay (minutes)", "调配延迟(分钟)", min_value=0),
        C("leveling_delay_unit", "text", False, [], "Leveling delay unit", "调配延迟单位"),
        # schema 5: a split task's interruptions between its work parts (working minutes on its
        # calendar): the task spans its duration plus these, wherever it is scheduled
        C("split_minutes", "float", False, [], "Split interruptions (minutes)", "拆分中断(分钟)", min_value=0),
        C("calendar_id", "text", False, ["task calendar", "任务日历"], "Calendar", "任务日历"),
        C("is_manual", "bool", False, ["manually scheduled", "手动计划"], "Manually scheduled", "手动计划"),
        # schema 6: a manually scheduled task whose start, finish and duration were never entered
        # (MS Project shows them blank and fills in the project start and "1 day?"): not scheduled,
        # so never critical
        C("is_placeholder", "bool", False, [], "Placeholder (no dates entered)", "占位任务(未输入日期)"),
        C("is_critical", "bool", False, ["critical", "关键"], "Critical (as stored)", "关键(文件所存)"),
        # schema 5: three-point estimates of the (remaining) duration in working days, for
        # schedule risk analysis; a task without them gets the default band of the settings
        C(
            "duration_optimistic",
            "float",
            False,
            ["optimistic duration", "optimistic", "best case", "乐观工期", "乐观"],
            "Optimistic duration (days)",
            "乐观工期(天)",
            min_value=0,
        ),
        C(
            "duration_likely",
            "float",
            False,
            ["most likely duration", "most likely", "likely duration", "最可能工期", "最可能"],
            "Most likely duration (days)",
            "最可能工期(天)",
            min_value=0,
        ),
        C(
            "duration_pessimistic",
            "float",
            False,
            ["pessimistic duration", "pessimistic", "worst case", "悲观工期", "悲观"],
            "Pessimistic duration (days)",
            "悲观工期(天)",
            min_value=0,
        ),
    ),
    key=("project_id", "task_id"),
    sheet_en="Tasks",
    sheet_zh="任务",
    description="Schedule tasks with baseline, actuals, progress and cost.",
)

LINKS = Table(
    "links",
    (
        PROJECT_ID,
        C(
            "pred_task_id",
            "text",
            True,
            ["predecessor", "predecessor id", "from", "前置任务", "紧前任务"],
            "Predecessor",
            "前置任务",
        ),
        C(
            "succ_task_id",
            "text",
            True,
            ["successor", "successor id", "to", "后续任务", "紧后任务"],
            "Successor",
            "后续任务",
        ),
        C(
            "type",
            "text",
            False,
            ["link type", "relationship", "dependency type", "类型", "依赖类型"],
            "Type",
            "类型",
            choices=("FS", "SS", "FF", "SF"),
        ),
        C("lag_days", "float", False, ["lag", "lag days", "延隔时间", "滞后"], "Lag (days)", "延隔(天)"),
        # schema 4: the lag as the tool keeps it: minutes of working time (elapsed minutes when
        # ``lag_unit`` starts with "e"; a percentage of the predecessor's duration when it is "%")
        C("lag_minutes", "float", False, [], "Lag (minutes)", "延隔(分钟)"),
        C("lag_unit", "text", False, [], "Lag unit", "延隔单位"),
    ),
    # with the type: P6 keeps several relationships between two activities (FS and FF, SS and FF:
    # 11 pairs in one real schedule); MS Project keeps one, and then the type is the same anyway
    key=("project_id", "pred_task_id", "succ_task_id", "type"),
    sheet_en="Links",
    sheet_zh="依赖关系",
    description="Task dependencies: FS/SS/FF/SF with lag (negative = lead) in working days.",
)

EVM_PERIODS = Table(
    "evm_periods",
    (
        PROJECT_ID,
        C(
            "period_end",
            "date",
            True,
            ["period", "date", "period end", "month", "期间", "日期", "期末"],
            "Period end",
            "期末",
        ),
        C("pv", "money", False, ["bcws", "planned value", "计划值"], "PV", "计划值"),
        C("ev", "money", False, ["bcwp", "earned value", "挣值"], "EV", "挣值"),
        C("ac", "money", False, ["acwp", "actual cost", "实际成本"], "AC", "实际成本"),
    ),
    key=("project_id", "period_end"),
    sheet_en="EVMPeriods",
    sheet_zh="挣值周期",
    description="Time-phased PV/EV/AC per period as a finance or cost tool exports them (cumulative).",
)

RISKS = Table(
    "risks",
    (
        PROJECT_ID,
        C("risk_id", "text", True, ["risk id", "id", "风险编号", "编号"], "Risk ID", "风险编号"),
        C("title", "text", True, ["risk", "description", "risk title", "风险", "风险描述", "描述"], "Risk", "风险描述"),
        C("category", "text", False, ["type", "risk category", "类别", "风险类别"], "Category", "类别"),
        C(
            "probability",
            "percent",
            False,
            ["likelihood %", "probability %", "概率"],
            "Probability",
            "概率",
            min_value=0,
            max_value=1,
        ),
        C(
            "impact_cost",
            "money",
            False,
            ["impact", "impact cost", "cost impact", "影响金额", "成本影响"],
            "Impact (cost)",
            "影响金额",
        ),
        C(
            "probability_score",
            "int",
            False,
            ["probability score", "likelihood", "likelihood score", "概率等级", "可能性"],
            "Probability (1-5)",
            "概率等级",
            min_value=1,
            max_value=5,
        ),
        C(
            "impact_score",
            "int",
            False,
            ["impact score", "severity", "影响等级", "严重程度"],
            "Impact (1-5)",
            "影响等级",
            min_value=1,
            max_value=5,
        ),
        C("owner", "text", False, ["risk owner", "负责人", "责任人"], "Owner", "负责人"),
        C("status", "text", False, ["state", "状态"], "Status", "状态"),
        C("response", "text", False, ["mitigation", "response plan", "应对措施", "应对"], "Response", "应对措施"),
        C("due_date", "date", False, ["due", "due date", "response due", "到期日", "截止日期"], "Due", "到期日"),
        C(
            "raised_date",
            "date",
            False,
            ["raised", "date raised", "identified", "提出日期", "识别日期"],
            "Raised",
            "提出日期",
        ),
        # schema 5: the tasks a threat delays, and by how many working days when it occurs
        C(
            "task_ids",
            "list",
            False,
            ["affected tasks", "task ids", "tasks", "影响任务", "受影响任务"],
            "Affected tasks",
            "影响任务",
        ),
        C(
            "impact_days",
            "float",
            False,
            ["schedule impact (days)", "impact days", "delay days", "schedule impact", "进度影响(天)", "延误天数"],
            "Schedule impact (days)",
            "进度影响(天)",
            min_value=0,
        ),
    ),
    key=("project_id", "risk_id"),
    sheet_en="Risks",
    sheet_zh="风险",
    description="Risk register (negative impact_cost = opportunity).",
)

WORK_ITEMS = Table(
    "work_items",
    (
        PROJECT_ID,
        C("key", "text", True, ["issue key", "key", "问题关键字", "关键字"], "Key", "问题关键字"),
        C("title", "text", False, ["summary", "概要", "标题"], "Title", "概要"),
        C("type", "text", False, ["issue type", "问题类型", "类型"], "Type", "问题类型"),
        C("status", "text", False, ["状态"], "Status", "状态"),
        C("status_category", "text", False, ["status category", "状态类别"], "Status category", "状态类别"),
        C("priority", "text", False, ["优先级"], "Priority", "优先级"),
        C("story_points", "float", False, ["story points", "points", "故事点"], "Story points", "故事点", min_value=0),
        C("sprint", "text", False, ["冲刺"], "Sprint", "冲刺"),
        C("sprints", "list", False, [], "Sprints", "全部冲刺"),
        C(
            "fix_version",
            "text",
            False,
            ["fix version", "fix versions", "release", "修复版本"],
            "Fix version",
            "修复版本",
        ),
        C("created", "date", False, ["created date", "创建日期", "创建时间"], "Created", "创建日期"),
        C("resolved", "date", False, ["resolved date", "已解决", "解决日期"], "Resolved", "已解决"),
        C("assignee", "text", False, ["经办人", "负责人"], "Assignee", "经办人"),
        C("parent", "text", False, ["parent key", "parent id", "父级", "父任务"], "Parent", "父级"),
        C("labels", "list", False, ["label", "tags", "tag", "标签"], "Labels", "标签"),
        C("due_date", "date", False, ["due", "due date", "到期日", "截止日期"], "Due date", "到期日"),
        C(
            "progress",
            "percent",
            False,
            ["checklist progress", "checklist", "percent done", "检查项进度", "完成进度"],
            "Progress",
            "进度",
        ),
    ),
    key=("project_id", "key"),
    sheet_en="WorkItems",
    sheet_zh="工作项",
    description="Agile work items (Jira issues, Trello cards, Asana tasks).",
)

ASSIGNMENTS = Table(
    "assignments",
    (
        C("person", "text", True, ["resource", "name", "employee", "人员", "姓名", "资源"], "Person", "人员"),
        C("department", "text", False, ["dept", "team", "部门", "团队"], "Department", "部门"),
        C("project_id", "text", False, PROJECT_ID.aliases, "Project ID", "项目编号"),
        C("week_start", "date", True, ["week", "week starting", "周", "周开始"], "Week", "周开始"),
        C(
            "planned_hours",
            "float",
            False,
            ["planned", "planned hours", "计划工时"],
            "Planned hours",
            "计划工时",
            min_value=0,
        ),
        C(
            "actual_hours",
            "float",
            False,
            ["actual", "actual hours", "实际工时"],
            "Actual hours",
            "实际工时",
            min_value=0,
        ),
        C(
            "capacity_hours",
            "float",
            False,
            ["capacity", "capacity hours", "可用工时", "产能"],
            "Capacity hours",
            "可用工时",
            min_value=0,
        ),
    ),
    key=("person", "project_id", "week_start"),
    sheet_en="Assignments",
    sheet_zh="资源分配",
    description="Weekly planned/actual hours per person and project, with capacity.",
    scope=("person",),
)

DELIVERABLES = Table(
    "deliverables",
    (
        PROJECT_ID,
        C(
            "deliverable_id",
            "text",
            True,
            ["deliverable id", "deliverable no", "deliverable number", "交付物编号", "交付物id"],
            "Deliverable ID",
            "交付物编号",
        ),
        C(
            "name",
            "text",
            True,
            ["deliverable", "deliverable name", "交付物", "交付物名称"],
            "Deliverable",
            "交付物名称",
        ),
        C(
            "due_date",
            "date",
            False,
            ["due", "due date", "planned date", "到期日", "截止日期", "计划交付日期", "交付日期"],
            "Due date",
            "计划交付日期",
        ),
        C(
            "acceptance_status",
            "text",
            False,
            ["acceptance", "acceptance status", "status", "state", "验收状态", "状态"],
            "Acceptance status",
            "验收状态",
        ),
        C("accepted_by", "text", False, ["accepted by", "approver", "验收人", "签收人"], "Accepted by", "验收人"),
        C(
            "accepted_on",
            "date",
            False,
            ["accepted on", "acceptance date", "date accepted", "验收日期", "签收日期"],
            "Accepted on",
            "验收日期",
        ),
    ),
    key=("project_id", "deliverable_id"),
    sheet_en="Deliverables",
    sheet_zh="交付物",
    description="Deliverables register: due date and acceptance (who accepted, when).",
)

LESSONS = Table(
    "lessons",
    (
        PROJECT_ID,
        C(
            "lesson_id",
            "text",
            True,
            ["lesson id", "lesson no", "lesson number", "经验编号", "教训编号"],
            "Lesson ID",
            "经验编号",
        ),
        C("phase", "text", False, ["stage", "project phase", "阶段", "项目阶段"], "Phase", "阶段"),
        C("category", "text", False, ["type", "area", "类别", "分类"], "Category", "类别"),
        C(
            "what_happened",
            "text",
            True,
            ["what happened", "lesson", "lesson learned", "observation", "经过", "发生了什么", "经验教训"],
            "What happened",
            "事件经过",
        ),
        C(
            "recommendation",
            "text",
            False,
            ["recommendation", "improvement", "action", "建议", "改进建议", "改进措施"],
            "Recommendation",
            "改进建议",
        ),
        C("owner", "text", False, ["recorded by", "负责人", "记录人"], "Owner", "负责人"),
        C("date", "date", False, ["date recorded", "日期", "记录日期"], "Date", "日期"),
    ),
    key=("project_id", "lesson_id"),
    sheet_en="Lessons",
    sheet_zh="经验教训",
    description="Lessons learned: what happened, in which phase, and what to do next time.",
)

FX_RATES = Table(
    "fx_rates",
    (
        C(
            "currency",
            "text",
            True,
            ["ccy", "currency code", "from currency", "币种", "货币", "原币", "原币种"],
            "Currency",
            "币种",
        ),
        C(
            "rate",
            "float",
            True,
            ["exchange rate", "fx rate", "rate to base", "汇率", "折算汇率", "兑换率"],
            "Rate",
            "汇率",
            min_value=0,
        ),
        C(
            "valid_from",
            "date",
            True,
            ["valid from", "effective date", "effective from", "rate date", "生效日期", "起始日期", "生效日"],
            "Valid from",
            "生效日期",
        ),
        C(
            "base",
            "text",
            False,
            ["base currency", "to currency", "quote currency", "本位币", "基准币种", "折算币种"],
            "Base currency",
            "本位币",
        ),
    ),
    key=("currency", "base", "valid_from"),
    sheet_en="FXRates",
    sheet_zh="汇率",
    description=(
        "Exchange rates: `rate` = units of the base currency (blank: PMO_REPORTING_CURRENCY) for one "
        "unit of `currency`, in force from `valid_from` until the next. No project_id: a whole-table "
        "fact; the latest import wins per (currency, base, valid_from), whatever its status date."
    ),
    scope=("currency", "base", "valid_from"),
    dated=False,
)

# schema 4: working-time calendars of a schedule file (MS Project, P6), one row per calendar.
# ``weekdays``: JSON object, ISO weekday "1" (Monday) .. "7" -> list of [from, to] minutes of the day
# (absent: inherited from ``parent_id``); ``exceptions``: JSON list of [first date, last date,
# [[from, to], ...]] (no ranges = not working). Read by ``metrics.working_time.MinuteCalendar``.
CALENDARS = Table(
    "calendars",
    (
        PROJECT_ID,
        C("calendar_id", "text", True, [], "Calendar ID", "日历编号"),
        C("name", "text", False, [], "Calendar", "日历"),
        C("parent_id", "text", False, [], "Base calendar", "基准日历"),
        C("weekdays", "text", False, [], "Working week", "工作周"),
        C("exceptions", "text", False, [], "Exceptions", "例外日期"),
    ),
    key=("project_id", "calendar_id"),
    sheet_en="Calendars",
    sheet_zh="日历",
    description="Working-time calendars of a schedule file: weekly working hours and exceptions.",
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        PROJECTS,
        TASKS,
        LINKS,
        EVM_PERIODS,
        RISKS,
        WORK_ITEMS,
        ASSIGNMENTS,
        DELIVERABLES,
        LESSONS,
        FX_RATES,
        CALENDARS,
    )
}

# Columns the store adds to every fact table.
FACT_COLUMNS = (("import_id", "BIGINT"), ("status_date", "DATE"))

IMPORTS_COLUMNS = (
    ("import_id", "BIGINT"),
    ("source_name", "VARCHAR"),
    ("source_format", "VARCHAR"),
    ("sha256", "VARCHAR"),
    ("status_date", "DATE"),
    ("imported_at", "TIMESTAMP"),
    ("rows_in", "BIGINT"),
    ("rows_loaded", "BIGINT"),
    ("rows_rejected", "BIGINT"),
    ("entity", "VARCHAR"),
    # schema 4: a withdrawn import is hidden from every view (until restored) but keeps its rows
    ("withdrawn_at", "TIMESTAMP"),
    ("withdrawn_by", "VARCHAR"),
    ("imported_by", "VARCHAR"),  # schema 4: the signed-in identity (``local`` in open mode and from the command line)
)

_NORM_RE = re.compile(r"[\s_\-\.\(\)（）:：/]+")


def normalize_header(text: object) -> str:
    """Header key for matching: case-folded, without spaces, underscores, dashes, dots, brackets."""
    return _NORM_RE.sub("", str(text).replace("\ufeff", "")).casefold()


def _alias_index(table: Table) -> dict[str, str]:
    """Header key -> column. Names and labels win over aliases (a label is what the template
    writes, so it must map back to its own column)."""
    index: dict[str, str] = {}
    for col in table.columns:
        for text in (col.name, col.label_en, col.label_zh):
            index.setdefault(normalize_header(text), col.name)
    for col in table.columns:
        for text in col.aliases:
            index.setdefault(normalize_header(text), col.name)
    return index


ALIASES: dict[str, dict[str, str]] = {name: _alias_index(t) for name, t in TABLES.items()}


def match_headers(table: str, headers: list[str]) -> dict[str, str]:
    """Map raw headers to canonical column names of ``table`` (first match wins).

    Returns {raw_header: canonical_name} for headers that matched.
    """
    index = ALIASES[table]
    out: dict[str, str] = {}
    taken: set[str] = set()
    for h in headers:
        canon = index.get(normalize_header(h))
        if canon and canon not in taken:
            out[h] = canon
            taken.add(canon)
    return out


def sheet_table(sheet_name: str) -> str | None:
    """Canonical table for a template sheet name (English, Chinese or the table name)."""
    key = normalize_header(sheet_name)
    for t in TABLES.values():
        if key in {normalize_header(t.name), normalize_header(t.sheet_en), normalize_header(t.sheet_zh)}:
            return t.name
    return None


# pandas dtype per canonical dtype: what the store hands out (Arrow -> pandas) and what
# ``typed_frame``/``empty_frame`` give, so every frame past the store has one contract.
PANDAS_DTYPES = {
    "text": "str",
    "date": "datetime64[ms]",
    "float": "float64",
    "int": "Int64",
    "bool": "boolean",
    "percent": "float64",
    "money": "float64",
    "list": "object",
}
_FACT_PANDAS = {"import_id": "Int64", "status_date": "datetime64[ms]"}


def frame_dtypes(table: str) -> dict[str, str]:
    """Column -> pandas dtype of a canonical table as read from the store (fact columns included)."""
    t = TABLES[table]
    out = {c.name: PANDAS_DTYPES[c.dtype] for c in t.columns}
    if t.fact:
        out.update(_FACT_PANDAS)
    return out


def empty_frame(table: str) -> pd.DataFrame:
    """A frame with no rows and every column of ``table`` in its dtype (never ``None``)."""
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in frame_dtypes(table).items()})


def typed_frame(table: str, df: pd.DataFrame | None) -> pd.DataFrame:
    """``df`` with every canonical column of ``table`` present and in its dtype (columns the
    schema does not know are kept as they are); ``None`` or no columns -> ``empty_frame``."""
    if df is None or len(df.columns) == 0:
        return empty_frame(table)
    import pandas as pd

    want = frame_dtypes(table)
    out = df
    for col, dt in want.items():
        if col not in out.columns:
            out = out.assign(**{col: pd.Series(pd.NA if dt != "object" else None, index=out.index, dtype=dt)})
        elif str(out[col].dtype) != dt and not (dt == "string" and isinstance(out[col].dtype, pd.StringDtype)):
            out = out.assign(**{col: out[col].astype(dt)})
    return out
