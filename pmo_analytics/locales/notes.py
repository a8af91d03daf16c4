"""Importer notes (``ParsedUpload.notes`` as ``ingest.base.Note``: a key and its parameters).

Each text is a ``str.format`` template over the note's parameters; ``messages.note_text``
renders one in a language. ``tests/test_note_keys.py`` checks that every key used has both
languages and that every parameter a text names is supplied where the note is made.
"""

STRINGS = {
    # shared by several formats
    "note.columns_unused": ("columns not used: {columns}", "未使用的列：{columns}"),
    "note.sheet_columns_unused": ("{sheet}: columns not used: {columns}", "{sheet}：未使用的列：{columns}"),
    # the template workbook and hand mapping
    "note.template.sheet_ignored": (
        "sheet {sheet!r} ignored: not a template sheet",
        "已忽略工作表“{sheet}”：不是模板工作表",
    ),
    "note.mapping.profile": ("Columns mapped with the saved profile {name!r}.", "已按保存的映射配置“{name}”对应各列。"),
    "note.mapping.by_hand": ("Columns mapped by hand.", "各列已手动对应。"),
    # Jira (CSV and XML)
    "note.jira.dates_mdy": (
        "Dates read as month/day/year in every date column ({columns}): Jira writes one date format, "
        "and some dates can only be read that way.",
        "所有日期列（{columns}）均按 月/日/年 读取：Jira 只使用一种日期格式，且部分日期只能这样解读。",
    ),
    "note.jira.category_inferred": (
        "Status category inferred from the status names (no Status Category column).",
        "状态类别由状态名称推断（没有 Status Category 列）。",
    ),
    "note.jira.sprint_columns": (
        "{n} Sprint columns read: every sprint kept in 'sprints', the last in 'sprint'.",
        "读取了 {n} 个 Sprint 列：所有迭代保存在“sprints”，最后一个保存在“sprint”。",
    ),
    "note.jira.story_points": (
        "Story points from 'Story Points', else from 'Story point estimate'.",
        "故事点取自“Story Points”，缺失时取自“Story point estimate”。",
    ),
    "note.jira.project_from_key": (
        "Project taken from the issue key prefix for {n} rows (no Project key column).",
        "有 {n} 行的项目取自问题键前缀（没有 Project key 列）。",
    ),
    "note.jira.parents_unresolved": (
        "{n} parent ids could not be matched to an issue key in this file; kept as ids.",
        "有 {n} 个父级 ID 无法匹配到本文件中的问题键，按原 ID 保留。",
    ),
    "note.jira.exported_on": (
        "The export was generated on {date}; proposed as the status date.",
        "导出文件生成于 {date}，建议作为状态日期。",
    ),
    "note.jira.no_items": (
        "the XML holds no <item> elements: no issues to load",
        "XML 中没有 <item> 元素：没有可导入的问题",
    ),
    "note.jira.xml_rows": (
        "Jira XML: row numbers in messages count <item> elements (1 = first issue).",
        "Jira XML：消息中的行号按 <item> 元素计数（1 = 第一个问题）。",
    ),
    # Trello
    "note.trello.last_activity": (
        "The board's last activity was on {date}; proposed as the status date.",
        "看板最后一次活动在 {date}，建议作为状态日期。",
    ),
    "note.trello.project_from_board": (
        "Project ID {project!r} taken from the board name.",
        "项目编号“{project}”取自看板名称。",
    ),
    "note.trello.archived": (
        "{n} archived cards included (status marked '(archived)').",
        "包含 {n} 张已归档卡片（状态标记为“(archived)”）。",
    ),
    "note.trello.not_stored": (
        "Cards carry {fields}, which the work items table does not store yet.",
        "卡片包含 {fields}，工作项表目前尚不保存这些内容。",
    ),
    "note.trello.no_cards": ("the board has no cards", "看板上没有卡片"),
    "note.trello.rows": (
        "Row numbers in messages count cards (1 = first card in the file).",
        "消息中的行号按卡片计数（1 = 文件中的第一张卡片）。",
    ),
}

STRINGS.update(
    {
        "note.sheet_ignored": ("sheet {sheet!r} ignored", "已忽略工作表“{sheet}”"),
        "note.project_from_file": (
            "Project ID {project!r} taken from the file name.",
            "项目编号“{project}”取自文件名。",
        ),
        "note.project_from_sheet": (
            "Project ID {project!r} taken from the sheet name.",
            "项目编号“{project}”取自工作表名称。",
        ),
        # schedules (MS Project XML and Excel, shared schedule building)
        "note.msp.project_from_title": (
            "Project ID {project!r} taken from the file's Title.",
            "项目编号“{project}”取自文件的 Title。",
        ),
        "note.msp.project_from_name": (
            "Project ID {project!r} taken from the file's Name.",
            "项目编号“{project}”取自文件的 Name。",
        ),
        "note.msp.project_from_summary": (
            "Project ID {project!r} taken from the project summary row (ID 0).",
            "项目编号“{project}”取自项目摘要行（ID 0）。",
        ),
        "note.msp.status_date": (
            "Status date {date} read from the file (StatusDate).",
            "状态日期 {date} 读取自文件（StatusDate）。",
        ),
        "note.msp.current_date": (
            "The file carries no StatusDate; its CurrentDate {date} is proposed as the status date.",
            "文件没有 StatusDate；建议以其 CurrentDate {date} 作为状态日期。",
        ),
        "note.msp.no_status_date": (
            "The file carries no status date (StatusDate); choose one on import.",
            "文件没有状态日期（StatusDate），请在导入时选择。",
        ),
        "note.msp.minutes_per_day": (
            "Lag and float converted at {minutes} working minutes per day (MinutesPerDay).",
            "延隔时间和浮动时间按每天 {minutes} 个工作分钟换算（MinutesPerDay）。",
        ),
        "note.msp.cross_links": (
            "{n} links to tasks in other projects were skipped.",
            "已跳过 {n} 个指向其他项目任务的链接。",
        ),
        "note.msp.elapsed_lags": (
            "{n} elapsed-time lags converted at 5 working days per 7 calendar days.",
            "{n} 个日历时间延隔按每 7 个日历日 5 个工作日换算。",
        ),
        "note.msp.pct_lags": (
            "{n} percentage lags converted with the predecessor's duration.",
            "{n} 个百分比延隔按前置任务的工期换算。",
        ),
        "note.msp.ev_baseline": (
            "Baseline dates and budget from baseline {baseline} (the one used for earned value).",
            "基准日期和预算取自基准 {baseline}（挣值所用的基准）。",
        ),
        "note.msp.no_baseline": (
            "No baseline saved for earned value: budget (bac) taken from the current Cost; baseline dates empty.",
            "没有保存用于挣值的基准：预算（bac）取自当前成本（Cost），基准日期为空。",
        ),
        "note.msp.other_baselines": (
            "Other baselines present but not used: {baselines}.",
            "存在但未使用的其他基准：{baselines}。",
        ),
        "note.msp.rows_uid": ("Row numbers in messages are task UIDs.", "消息中的行号为任务 UID。"),
        "note.msp.sheet_ignored_other": (
            "sheet {sheet!r} ignored (resources/assignments)",
            "已忽略工作表“{sheet}”（资源/工作分配）",
        ),
        "note.msp.unique_ids": (
            "Task ids are the Unique IDs; predecessors (which use ID) were translated.",
            "任务编号为唯一标识号（Unique ID）；前置任务（使用 ID）已相应转换。",
        ),
        "note.msp.bac_baseline_cost": (
            "Budget (bac) from Baseline Cost.",
            "预算（bac）取自比较基准成本（Baseline Cost）。",
        ),
        "note.msp.bac_cost": (
            "Budget (bac) from Cost (no Baseline Cost column).",
            "预算（bac）取自成本（Cost）（没有 Baseline Cost 列）。",
        ),
        "note.msp.inactive": ("{n} inactive tasks skipped.", "已跳过 {n} 个非活动任务。"),
        "note.schedule.pct_lags_empty": (
            "{n} percentage lags left empty: the predecessor's duration is unknown.",
            "{n} 个百分比延隔留空：前置任务的工期未知。",
        ),
    }
)

STRINGS.update(
    {
        "note.columns_not_stored": ("columns not stored: {columns}", "未保存的列：{columns}"),
        # Smartsheet
        "note.smartsheet.hierarchy_indent": (
            "Hierarchy read from the Task Name indent.",
            "层级结构读取自任务名称（Task Name）的缩进。",
        ),
        "note.smartsheet.hierarchy_spaces": (
            "Hierarchy read from leading spaces in Task Name.",
            "层级结构读取自任务名称（Task Name）开头的空格。",
        ),
        "note.smartsheet.no_hierarchy": (
            "No hierarchy found (Smartsheet CSV exports drop indentation; export to Excel to keep it).",
            "未找到层级结构（Smartsheet 导出的 CSV 不含缩进；导出为 Excel 可保留）。",
        ),
        "note.smartsheet.row_ids": (
            "Task ids are Smartsheet row numbers (what Predecessors refer to).",
            "任务编号为 Smartsheet 行号（前置任务 Predecessors 引用的就是行号）。",
        ),
        # Asana
        "note.asana.project_from_column": (
            "Project ID {project!r} taken from the Projects column.",
            "项目编号“{project}”取自 Projects 列。",
        ),
        "note.asana.parents_unresolved": (
            "{n} parent task names did not match exactly one task; kept as written.",
            "有 {n} 个父任务名称未能唯一匹配到某个任务，按原文保留。",
        ),
        "note.asana.schedule_tasks": (
            "{n} tasks with a start and a due date also loaded as schedule tasks.",
            "{n} 个同时有开始日期和截止日期的任务也已作为进度计划任务导入。",
        ),
        "note.asana.schedule_tasks_some": (
            "{n} tasks with a start and a due date also loaded as schedule tasks; "
            "{unscheduled} with only a due date were not.",
            "{n} 个同时有开始日期和截止日期的任务也已作为进度计划任务导入；"
            "{unscheduled} 个只有截止日期的任务未导入为进度计划任务。",
        ),
    }
)

STRINGS.update(
    {
        # risk registers
        "note.risk.prob_duplicate": (
            "{where}: column {column!r} (#{n}) not used: a probability column of the same kind came first",
            "{where}：列“{column}”（第 {n} 列）未使用：前面已有同类的概率列",
        ),
        "note.risk.impact_duplicate": (
            "{where}: column {column!r} (#{n}) not used: an impact column of the same kind came first",
            "{where}：列“{column}”（第 {n} 列）未使用：前面已有同类的影响列",
        ),
        "note.risk.prob_as.percent": (
            "{where}: column {column!r}: probability read as percentages 0-100 (30 = 30%)",
            "{where}：列“{column}”：概率按 0-100 的百分数读取（30 = 30%）",
        ),
        "note.risk.prob_as.fraction": (
            "{where}: column {column!r}: probability read as fractions 0-1",
            "{where}：列“{column}”：概率按 0-1 的小数读取",
        ),
        "note.risk.prob_as.score": (
            "{where}: column {column!r}: probability read as a 1-5 score",
            "{where}：列“{column}”：概率按 1-5 分读取",
        ),
        "note.risk.prob_as.level": (
            "{where}: column {column!r}: probability read as levels (Very low 1 … Very high 5)",
            "{where}：列“{column}”：概率按等级读取（很低 1 … 很高 5）",
        ),
        "note.risk.impact_as.cost": (
            "{where}: column {column!r}: impact read as amounts (impact_cost)",
            "{where}：列“{column}”：影响按金额读取（impact_cost）",
        ),
        "note.risk.impact_as.score": (
            "{where}: column {column!r}: impact read as a 1-5 score or level (impact_score)",
            "{where}：列“{column}”：影响按 1-5 分或等级读取（impact_score）",
        ),
        "note.risk.score_derived": (
            "probability_score derived from the probability: 0-20% -> 1, 20-40% -> 2, 40-60% -> 3, "
            "60-80% -> 4, 80-100% -> 5",
            "probability_score 由概率推算：0-20% -> 1，20-40% -> 2，40-60% -> 3，60-80% -> 4，80-100% -> 5",
        ),
        "note.risk.probability_derived": (
            "probability derived from the 1-5 score as the middle of its fifth: 1 -> 10%, 2 -> 30%, "
            "3 -> 50%, 4 -> 70%, 5 -> 90%",
            "概率由 1-5 分取所在五分之一区间的中点推算：1 -> 10%，2 -> 30%，3 -> 50%，4 -> 70%，5 -> 90%",
        ),
        "note.risk.derived_columns": (
            "columns not loaded (computed by the product): {columns}",
            "未导入的列（由本产品计算）：{columns}",
        ),
        "note.risk.opportunities": (
            "{n} opportunities (Type = Opportunity) stored with a negative impact amount.",
            "{n} 个机会（Type = Opportunity）以负的影响金额保存。",
        ),
        "note.risk.generated_ids": (
            "No risk ID column: ids made from the row numbers (R5 = row 5).",
            "没有风险编号列：编号由行号生成（R5 = 第 5 行）。",
        ),
        "note.risk.currency": ("Impact amounts in {currency}.", "影响金额的币种为 {currency}。"),
    }
)

STRINGS.update(
    {
        # how a column's values were read (validate: one per column, ``note`` is one of note.col.*)
        "note.column": ("{where}: column {column!r}: {note}", "{where}：列“{column}”：{note}"),
        "note.col.decimal_comma": (
            "numbers read with a decimal comma (1,234 = 1.234)",
            "数字按逗号作小数点读取（1,234 = 1.234）",
        ),
        "note.col.dates_mixed": (
            "mixed day-first and month-first dates; read as day/month/year, check the rejected rows",
            "日期混用了日在前和月在前的写法；按 日/月/年 读取，请检查被拒绝的行",
        ),
        "note.col.dates_mdy": ("dates read as month/day/year", "日期按 月/日/年 读取"),
        "note.col.dates_ambiguous": (
            "every date could be day/month or month/day; read as day/month/year",
            "每个日期都既可读作 日/月 也可读作 月/日；按 日/月/年 读取",
        ),
        "note.col.percent_scale": (
            "numbers without % read as percentages (0-100)",
            "不带 % 的数字按百分数读取（0-100）",
        ),
        "note.col.percent_0_100": ("numbers read as percentages 0-100", "数字按 0-100 的百分数读取"),
        "note.col.fraction_0_1": ("numbers read as fractions 0-1", "数字按 0-1 的小数读取"),
    }
)

STRINGS.update(
    {
        # finance periods
        "note.finance.month_starts": (
            "{where}: column {column!r}: every date is the 1st; read as months (period end = the month's last day)",
            "{where}：列“{column}”：所有日期都是 1 日；按月份读取（期末 = 当月最后一天）",
        ),
        "note.finance.not_a_period": ("column {column!r} is not a period; ignored", "列“{column}”不是期间，已忽略"),
        "note.finance.wide": (
            "Periods run across the columns; messages give the row of the first measure.",
            "期间按列横向排列；消息中给出的是第一个度量所在的行。",
        ),
        "note.finance.summed_headers": (
            "{measures}: per-period amounts summed into running totals (the headers say so).",
            "{measures}：各期金额已累加为累计值（表头如此注明）。",
        ),
        "note.finance.summed_falls": (
            "{measures}: per-period amounts summed into running totals (a series falls from one period to the next).",
            "{measures}：各期金额已累加为累计值（有序列在相邻期间出现下降）。",
        ),
        "note.finance.cumulative_headers": (
            "{measures}: read as cumulative (the headers say so).",
            "{measures}：按累计值读取（表头如此注明）。",
        ),
        "note.finance.cumulative_never_falls": (
            "{measures}: read as cumulative (no series ever falls).",
            "{measures}：按累计值读取（没有任何序列出现下降）。",
        ),
    }
)

STRINGS.update(
    {
        # the CLI's own errors (``pmo import``)
        "cli.file_not_found": ("file {file!r}: not found", "文件“{file}”：未找到"),
        "cli.over_limit": (
            "file {file!r}: {mb} MB is over the upload limit of {max_mb} MB",
            "文件“{file}”：{mb} MB 超过了上传上限 {max_mb} MB",
        ),
        "cli.over_limit.hint": (
            "Split the file, or raise PMO_MAX_UPLOAD_MB.",
            "请拆分文件，或调高 PMO_MAX_UPLOAD_MB。",
        ),
        "cli.strict_rejected": (
            "file {file!r}: {n} rows rejected; nothing loaded (--strict)",
            "文件“{file}”：{n} 行被拒绝；未导入任何数据（--strict）",
        ),
        "cli.strict_rejected.hint": (
            "Fix the rows listed above, or drop --strict to load the valid rows.",
            "请修正上面列出的行，或去掉 --strict 以导入有效的行。",
        ),
        "cli.no_valid_rows": ("file {file!r}: no valid rows to load", "文件“{file}”：没有可导入的有效行"),
    }
)
