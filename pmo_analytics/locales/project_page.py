"""The Project page (``/project?id=PRJ-104``): one project's story on one screen."""

STRINGS = {
    "page.project": ("Project", "项目"),
    "project.caption": (
        "One project at a glance: health and why, key figures, progress, milestones, critical path, "
        "risks, recent changes and the manager's notes. The sidebar's status date applies; the other "
        "filters do not narrow this page.",
        "单个项目一览：健康状况及原因、关键指标、进度、里程碑、关键路径、风险、近期变更和项目经理备注。"
        "侧边栏的状态日期适用于本页；其他筛选条件不影响本页。",
    ),
    "project.pick": ("Project", "项目"),
    "project.pick_placeholder": ("Choose a project", "选择项目"),
    "project.choose": ("Choose a project to see its story.", "请选择一个项目查看详情。"),
    "project.unknown": ("No project with the id “{id}”. Choose one below.", "没有编号为“{id}”的项目。请在下方选择。"),
    "project.no_projects": ("No projects yet: import data first.", "尚无项目：请先导入数据。"),
    "project.no_data": (
        "This project has no tasks, progress or risks at this status date.",
        "该项目在此状态日期没有任务、进度或风险数据。",
    ),
    "project.facts": (
        "Status: {status} · Currency: {currency} · Status date: {date}",
        "状态：{status} · 币种：{currency} · 状态日期：{date}",
    ),
    "project.overall": ("Overall: {word}", "总体：{word}"),
    "project.why": ("Why: {why}", "原因：{why}"),
    "project.flags": ("Flags: {flags}", "提示：{flags}"),
    "project.kpis": ("Key figures", "关键指标"),
    "project.kpi_help": (
        "{full} · change since the previous status date",
        "{full} · 与上一状态日期相比的变化",
    ),
    "project.progress": ("Progress", "进度与成本"),
    "project.milestones": ("Milestones and slips", "里程碑与延误"),
    "project.milestone_counts": (
        "{total} milestones · {late} late · {slipped} slipped since the last status date · {done} achieved",
        "共 {total} 个里程碑 · {late} 个延误 · {slipped} 个较上一状态日期新增延误 · {done} 个已完成",
    ),
    "project.critical": ("Critical path", "关键路径"),
    "project.critical_counts": (
        "{critical} of {tasks} tasks critical · {near} near-critical",
        "{tasks} 个任务中 {critical} 个为关键任务 · {near} 个次关键任务",
    ),
    "project.finish_vs_baseline": (
        "Critical path finish {finish} against the baseline finish {baseline}: {days:+d} days",
        "关键路径完成 {finish}，基准完成 {baseline}：{days:+d} 天",
    ),
    "project.finish_only": ("Critical path finish {finish}", "关键路径完成 {finish}"),
    "project.forecast_es": ("Forecast finish (earned schedule)", "预测完成（挣值进度）"),
    "project.critical_open": ("Unfinished critical tasks, earliest first", "未完成的关键任务（按开始日期）"),
    "project.no_critical": ("No unfinished critical task.", "没有未完成的关键任务。"),
    "project.risks": ("Top risks", "主要风险"),
    "project.no_risks": ("No open threat in the register.", "风险登记册中没有未关闭的威胁。"),
    "project.changes": ("Changes since the previous status date", "较上一状态日期的变更"),
    "project.changes_between": ("{a} → {b}", "{a} → {b}"),
    "project.count": ("{what}: {n}", "{what}：{n}"),
    "project.no_changes": ("Only one status date: nothing to compare yet.", "只有一个状态日期，暂无可比较的变更。"),
    "project.all_changes": ("Every change ({n})", "全部变更（{n} 项）"),
    "project.notes": ("Manager's notes", "项目经理备注"),
    "project.no_notes": (
        "No note yet. Notes are written on the Status report page.",
        "暂无备注。备注可在周报页面填写。",
    ),
    "project.note_line": ("{date} · {author}", "{date} · {author}"),
    "project.closed": ("This project is closed.", "该项目已关闭。"),
}
