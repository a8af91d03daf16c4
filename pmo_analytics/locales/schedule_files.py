"""Native schedule files (MPXJ: .mpp, .xer, P6 XML ...), time and calendars: importer notes,
refusals and the status-date sources they propose."""

STRINGS = {
    "format.mpxj": (
        "MS Project / Primavera file (.mpp, .xer, P6 XML ...)",
        "MS Project / Primavera 文件（.mpp、.xer、P6 XML 等）",
    ),
    "status_date.source.native_status_date": (
        "the file's status date (MS Project status date / P6 data date)",
        "文件中的状态日期（MS Project 状态日期 / P6 数据日期）",
    ),
    "status_date.source.native_current_date": (
        "the file's current date (MS Project CurrentDate)",
        "文件中的当前日期（MS Project CurrentDate）",
    ),
    "note.native.project": (
        "Project {project} read from a {type} file (MPXJ).",
        "已从 {type} 文件读取项目 {project}（MPXJ）。",
    ),
    "note.native.status_date": (
        "Status date {date} read from the file (status date / data date).",
        "状态日期 {date} 读取自文件（状态日期/数据日期）。",
    ),
    "note.native.current_date": (
        "The file has no status date; its current date {date} is proposed.",
        "文件没有状态日期；建议使用其当前日期 {date}。",
    ),
    "note.native.manual": (
        "{n} manually scheduled tasks keep the dates the file gives them (as MS Project does).",
        "{n} 个手动计划任务保留文件中的日期（与 MS Project 相同）。",
    ),
    "note.schedule.placeholders": (
        "{n} manually scheduled tasks have no duration entered (placeholders): they keep the file's "
        "dates and are never counted critical (as MS Project does).",
        "{n} 个手动计划任务未输入工期（占位任务）：保留文件中的日期，且不计为关键任务（与 MS Project 相同）。",
    ),
    "note.schedule.stale_slack": (
        "{project}: the slack saved in this file was not recalculated before it was saved (unlinked "
        "tasks {a} and {b} on calendar {calendar} imply late finishes {late_a} and {late_b}, where "
        "the tool gives both the project finish). Float and the critical path here are computed "
        "from the file's tasks, links and calendars, and will differ from what the file shows; "
        "recalculate (F9 in MS Project) and save to compare.",
        "{project}：文件中保存的时差在保存前未重新计算（未链接的任务 {a} 和 {b} 在日历 {calendar} 上"
        "推算出的最晚完成时间分别为 {late_a} 和 {late_b}，而工具应给出相同的项目完成时间）。此处的时差和"
        "关键路径按文件中的任务、链接和日历计算，会与文件所显示的不同；请在 MS Project 中重新计算（F9）并保存后再比较。",
    ),
    "note.native.empty_summaries": (
        "{n} summary tasks without dates were left out (WBS folders with nothing scheduled under them).",
        "已略去 {n} 个没有日期的摘要任务（其下没有任何已排程任务的 WBS 节点）。",
    ),
    "note.native.inactive": (
        "{n} inactive tasks were left out.",
        "已略去 {n} 个非活动任务。",
    ),
    "native.no_java": (
        "this is a native schedule file (MS Project .mpp, Primavera .xer/P6 XML ...), which needs a "
        "Java runtime to read, and none is installed",
        "这是原生进度计划文件（MS Project .mpp、Primavera .xer/P6 XML 等），读取需要 Java 运行环境，但尚未安装",
    ),
    "native.no_mpxj": (
        "this is a native schedule file (MS Project .mpp, Primavera .xer/P6 XML ...), which needs the "
        "Python packages mpxj and jpype1, and they are not installed",
        "这是原生进度计划文件（MS Project .mpp、Primavera .xer/P6 XML 等），读取需要 Python 包 mpxj 和 jpype1，但尚未安装",
    ),
    "hint.install_java": (
        "Ask the administrator to run: apt-get install default-jre-headless && pip install mpxj jpype1 "
        "(or `make jre`). Meanwhile, save the plan from MS Project as XML (File > Save As > XML), which "
        "imports without Java.",
        "请管理员运行：apt-get install default-jre-headless && pip install mpxj jpype1（或 `make jre`）。"
        "在此之前，可在 MS Project 中另存为 XML（文件 > 另存为 > XML），无需 Java 即可导入。",
    ),
    "native.not_isolated": (
        "native schedule files are read only in the isolated reader process",
        "原生进度计划文件只在隔离的读取进程中读取",
    ),
    "native.unreadable": (
        "the schedule file could not be read: {detail}",
        "无法读取该进度计划文件：{detail}",
    ),
    "native.not_schedule": (
        "no project was found in this file",
        "在此文件中未找到项目",
    ),
    "hint.native_formats": (
        "Readable schedule files: MS Project .mpp/.mpt/.mpx/.xml, Primavera P6 .xer and P6 XML, "
        "Asta, Phoenix, GanttProject, Planner, ProjectLibre .pod.",
        "可读取的进度计划文件：MS Project .mpp/.mpt/.mpx/.xml、Primavera P6 .xer 与 P6 XML、"
        "Asta、Phoenix、GanttProject、Planner、ProjectLibre .pod。",
    ),
}
