"""Agile exports read as their tools mean them, and nothing hidden (issue 17 items 4-5): importer
notes, validation findings, CLI and Import page texts of that work."""

STRINGS = {
    # Trello: the board's list -> category mapping
    "note.trello.list_categories": (
        "Lists read as status categories: To Do: {todo}; In Progress: {doing}; Done: {done}.",
        "列表对应的状态类别：待办：{todo}；进行中：{doing}；已完成：{done}。",
    ),
    "note.trello.lists_by_order": (
        "No list name of this board says To Do, In Progress or Done: categories taken from the list "
        "order (first list {first!r} = To Do, last list {last!r} = Done, the lists between = In Progress). "
        "Check them on the Import page or with --list-category.",
        "本看板没有任何列表名称表明 待办/进行中/完成：类别按列表顺序确定（第一个列表“{first}” = 待办，"
        "最后一个列表“{last}” = 完成，中间的列表 = 进行中）。请在导入页面或用 --list-category 核对。",
    ),
    "note.trello.lists_saved": (
        "List categories as saved for this board.",
        "列表类别采用为本看板保存的对应关系。",
    ),
    "note.trello.lists_chosen": (
        "List categories as chosen for this import.",
        "列表类别采用本次导入时选择的对应关系。",
    ),
    "agile.board_lists.no_board": (
        "the board has no id: its list categories cannot be saved",
        "看板没有 ID：无法保存其列表类别",
    ),
    "agile.board_lists.bad_category": (
        "unknown status category {values}; expected one of {known}",
        "未知的状态类别 {values}；应为以下之一：{known}",
    ),
    # Jira RSS 2.0 feeds
    "note.jira.rss_plain": (
        "{n} items are plain RSS 2.0 (no Jira fields): key from <guid>, the title's [KEY] prefix or the "
        "link; title from <title>; created from <pubDate>; project from the key. Status, type, assignee "
        'and story points are not in such a feed: export with Jira\'s "XML" view for them.',
        "有 {n} 个条目是普通 RSS 2.0（没有 Jira 字段）：键取自 <guid>、标题的 [KEY] 前缀或链接；标题取自 <title>；"
        "创建日期取自 <pubDate>；项目取自键。此类订阅不含状态、类型、经办人和故事点：如需这些字段，请用 Jira 的“XML”视图导出。",
    ),
    # Smartsheet primary column, MS Project Excel outline
    "note.smartsheet.primary_column": (
        "No Task Name column: {column!r} is taken as the sheet's primary column (the first column of text "
        "no other field claims).",
        "没有 Task Name 列：将“{column}”作为工作表的主列（未被其他字段占用的第一个文本列）。",
    ),
    "note.msp.summary_from_outline": (
        "{n} tasks marked as summaries from the outline levels (a task followed by a deeper one); the "
        "export has no Summary column.",
        "根据大纲级别将 {n} 个任务标为摘要任务（其后紧跟级别更深的任务）；导出文件没有“摘要”列。",
    ),
    "status_date.source.rss_build_date": (
        "the feed's build date (RSS lastBuildDate)",
        "订阅的生成日期（RSS lastBuildDate）",
    ),
    "note.jira.feed_built": (
        "The feed was built on {date}; proposed as the status date.",
        "订阅生成于 {date}，建议作为状态日期。",
    ),
    # dates whose day/month order no value decides
    "note.col.dates_chosen_dmy": (
        "every date could be day/month or month/day; read as day/month/year as chosen",
        "每个日期都既可读作 日/月 也可读作 月/日；按所选的 日/月/年 读取",
    ),
    "note.col.dates_chosen_mdy": (
        "every date could be day/month or month/day; read as month/day/year as chosen",
        "每个日期都既可读作 日/月 也可读作 月/日；按所选的 月/日/年 读取",
    ),
    "note.dates_ask": (
        "Day/month order not decided by any value in {columns}: read as day/month/year. If the file "
        "writes month/day/year, import it with --dates mdy (command line) or choose the order on the "
        "Import page.",
        "{columns} 中没有任何值能确定日/月顺序：按 日/月/年 读取。若文件使用 月/日/年，请用 --dates mdy"
        "（命令行）导入，或在导入页面选择顺序。",
    ),
    # IDs Excel rounded to scientific notation
    "note.ids_rounded": (
        "{n} of {total} rows share an ID that Excel rounded to scientific notation in column {column!r}: "
        "{ids}. Only the first row of each is kept; export the file again without opening it in Excel, "
        "or format the ID column as text.",
        "{total} 行中有 {n} 行的 ID（列“{column}”）被 Excel 四舍五入为科学计数法而变得相同：{ids}。"
        "每个 ID 只保留第一行；请重新导出文件且不要用 Excel 打开，或将 ID 列设为文本格式。",
    ),
    "validate.duplicate_rounded": (
        "same ID as row {first}: Excel rounded the ID to scientific notation, so different items now share it",
        "与第 {first} 行 ID 相同：Excel 将 ID 四舍五入为科学计数法，不同条目因此共用同一 ID",
    ),
    # rows dropped always say why
    "validate.no_task_name": (
        "a row with values but no task name: not loaded",
        "该行有数据但没有任务名称：未导入",
    ),
    "note.trello.not_cards": (
        "{n} entries of 'cards' are not cards (not JSON objects): not loaded",
        "“cards”中有 {n} 个条目不是卡片（不是 JSON 对象）：未导入",
    ),
    # contradictory dates
    "validate.placeholder_date": (
        "a placeholder date, long before the task's plan: not trusted, left empty",
        "占位日期，远早于任务计划：不予采信，按空值处理",
    ),
    "validate.finish_on_unstarted": (
        "an actual finish on a task 0% complete: not trusted, the task stays unfinished",
        "完成百分比为 0% 的任务却有实际完成日期：不予采信，任务仍视为未完成",
    ),
    # a table that needs a project, without a project column
    "validate.project_column": (
        "no project column for {table}: choose the project these rows belong to "
        "(--project on the command line, the project picker on the Import page), "
        "or add a column with a header such as {expected}",
        "{table_zh}没有项目列：请选择这些行所属的项目（命令行用 --project，导入页面用项目选择框），"
        "或添加一列，表头如 {expected}",
    ),
    "hint.xml_json_formats": (
        "XML and JSON files are read as Jira XML (RSS), MS Project XML or a Trello board export; export the "
        "data as one of these, or as CSV/Excel to map its columns by hand.",
        "XML 与 JSON 文件按 Jira XML（RSS）、MS Project XML 或 Trello 看板导出读取；请导出为其中一种，"
        "或导出为 CSV/Excel 后手动对应各列。",
    ),
    "cli.needs_project": (
        "file {file!r}: no project column; name the project with --project PROJECT_ID",
        "文件“{file}”：没有项目列；请用 --project 项目编号 指定项目",
    ),
    "cli.status_date_from": (
        "{file}: status date {date} from {source}",
        "{file}：状态日期 {date}，来自{source}",
    ),
    "cli.status_date_over": (
        "{file}: loaded as {date} (--status-date); the file proposes {proposed} from {source}",
        "{file}：按 {date} 导入（--status-date）；文件建议的日期为 {proposed}，来自{source}",
    ),
    "cli.no_board_lists": (
        "no list categories are saved for board {board!r}",
        "没有为看板“{board}”保存列表类别",
    ),
    "cli.bad_list_category": (
        "--list-category {value!r}: expected LIST=CATEGORY with CATEGORY one of To Do, In Progress, Done",
        "--list-category “{value}”：应为 列表=类别，类别为 To Do、In Progress、Done 之一",
    ),
    # Import page
    "agile.dates_title": ("Order of day and month", "日与月的顺序"),
    "agile.dates_question": (
        "No value in {columns} tells whether 03/04 is 3 April or 4 March. How does the file write dates?",
        "{columns} 中没有任何值能说明 03/04 是 4 月 3 日还是 3 月 4 日。文件中的日期是怎样写的？",
    ),
    "agile.dates_dmy": ("day/month/year (31/12/2025)", "日/月/年（31/12/2025）"),
    "agile.dates_mdy": ("month/day/year (12/31/2025)", "月/日/年（12/31/2025）"),
    "agile.project_title": ("Project of these rows", "这些行所属的项目"),
    "agile.project_question": (
        "The file has no project column ({where}). Choose the project its rows belong to.",
        "文件没有项目列（{where}）。请选择这些行所属的项目。",
    ),
    "agile.project_pick": ("Project", "项目"),
    "agile.project_new": ("or a new project id", "或输入新的项目编号"),
    "agile.lists_title": ("Trello lists as status categories", "Trello 列表对应的状态类别"),
    "agile.lists_caption": (
        "How each list of board {board!r} counts: change a category, then apply it to this import or save it for the board.",
        "看板“{board}”每个列表的计法：修改类别后，可应用于本次导入，或为该看板保存。",
    ),
    "agile.lists_saved_by": (
        "Categories as saved for this board by {by} on {on}.",
        "类别采用 {by} 于 {on} 为该看板保存的对应关系。",
    ),
    "agile.lists_list": ("List", "列表"),
    "agile.lists_category": ("Status category", "状态类别"),
    "agile.lists_source": ("Decided by", "确定方式"),
    "agile.lists_apply": ("Apply to this import", "应用于本次导入"),
    "agile.lists_save": ("Save for this board", "为该看板保存"),
    "agile.lists_saved": ("List categories saved for board {board!r}.", "已为看板“{board}”保存列表类别。"),
    "agile.source.chosen": ("chosen", "手动选择"),
    "agile.source.saved": ("saved for the board", "看板已保存"),
    "agile.source.name": ("list name", "列表名称"),
    "agile.source.order": ("list order", "列表顺序"),
    "agile.source.default": ("name says nothing: In Progress", "名称无法判断：进行中"),
}
