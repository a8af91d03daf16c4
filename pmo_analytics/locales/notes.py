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
