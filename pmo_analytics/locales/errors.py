"""Error and validation messages (``PmoError.key``/``Problem.key``), with their hints.

Each text is a ``str.format`` template over the error's parameters (``params``) and, for
errors, its place (``file``, ``sheet``, ``row``, ``column``). ``tests/test_error_keys.py``
checks that every key raised has both languages and that every parameter a text names is
supplied where it is raised.
"""

STRINGS = {
    # where an error happened (prefix of every ingest error and validation finding)
    "where.file": ("file {file!r}", "文件“{file}”"),
    "where.sheet": ("sheet {sheet!r}", "工作表“{sheet}”"),
    "where.row": ("row {row}", "第 {row} 行"),
    "where.column": ("column {column!r}", "列“{column}”"),
    "where.value": (" (value {value!r})", "（值“{value}”）"),
    "where.sep": (", ", "，"),
    "where.colon": (": ", "："),
    "where.list_sep": ("; ", "；"),
    "where.hint_sep": (" ", "。"),
    "severity.error": ("error", "错误"),
    "severity.warning": ("warning", "警告"),
    # hints (advice after a message)
    "hint.resave_excel": (
        "Open it in Excel and save it again, or export it as CSV.",
        "请在 Excel 中打开并重新保存，或导出为 CSV。",
    ),
    "hint.upload_kinds": ("Upload .xlsx, .csv, .xml or .json.", "请上传 .xlsx、.csv、.xml 或 .json 文件。"),
    "hint.remove_password": (
        "Remove the password in Excel, save, and upload again.",
        "请在 Excel 中取消密码，保存后重新上传。",
    ),
    "hint.remove_password_menu": (
        "Remove the password in Excel (File > Info > Protect Workbook), save, and upload again.",
        "请在 Excel 中取消密码（文件 > 信息 > 保护工作簿），保存后重新上传。",
    ),
    "hint.delete_far_cells": (
        "Delete the stray far-away cells, save, and upload again.",
        "请删除远处多余的单元格，保存后重新上传。",
    ),
    "hint.save_as_xlsx": ("Save it as .xlsx in Excel and upload again.", "请在 Excel 中另存为 .xlsx 后重新上传。"),
    "hint.rename_csv": (
        "Rename it to .csv if it is CSV, or save it from Excel as .xlsx.",
        "如果是 CSV，请改名为 .csv；否则请在 Excel 中另存为 .xlsx。",
    ),
    "hint.save_csv_utf8": ("Save it as 'CSV UTF-8' and upload again.", "请另存为“CSV UTF-8”后重新上传。"),
    "hint.close_quote": (
        'Add the missing closing quote (") on that line, or export the file again.',
        '请在该行补上缺少的右引号（"），或重新导出文件。',
    ),
    "hint.check_quote": (
        "A quote is probably not closed; check that line in a text editor.",
        "可能有引号未闭合；请用文本编辑器检查该行。",
    ),
    "hint.check_export_filter": (
        "Check the filter or view used for the export, and export again.",
        "请检查导出时使用的筛选或视图，然后重新导出。",
    ),
    "hint.split_or_raise_limit": ("Split it, or raise PMO_MAX_UPLOAD_MB.", "请拆分文件，或调高 PMO_MAX_UPLOAD_MB。"),
    # reading files
    "ingest.empty": ("the file is empty", "文件为空"),
    "ingest.pdf": ("this is a PDF, not a data export", "这是 PDF 文件，不是数据导出文件"),
    "ingest.too_large": (
        "the file is {size_mb:.1f} MiB, over the {limit_mb:.0f} MiB upload limit",
        "文件大小为 {size_mb:.1f} MiB，超过 {limit_mb:.0f} MiB 的上传上限",
    ),
    "xlsx.damaged": (
        "the workbook is damaged or truncated and cannot be opened",
        "工作簿已损坏或不完整，无法打开",
    ),
    "xlsx.damaged_part": (
        "the workbook is damaged or truncated (part {part}: {detail})",
        "工作簿已损坏或不完整（部件 {part}：{detail}）",
    ),
    "xlsx.zip_not_xlsx": (
        "this is a zip file but not an Excel .xlsx workbook",
        "这是 zip 压缩文件，但不是 Excel .xlsx 工作簿",
    ),
    "xlsx.no_worksheets": ("the workbook has no worksheets", "工作簿中没有工作表"),
    "xlsx.encrypted": ("the workbook is password-protected (encrypted)", "工作簿受密码保护（已加密）"),
    "xlsx.zip_bomb": (
        "part {part} expands {ratio}x when unpacked (a zip bomb); refused",
        "部件 {part} 解压后膨胀 {ratio} 倍（压缩炸弹）；已拒绝",
    ),
    "xlsx.unpacked_too_large": (
        "the workbook unpacks to {size_mb} MiB, over the {limit_mb} MiB limit",
        "工作簿解压后为 {size_mb} MiB，超过 {limit_mb} MiB 的上限",
    ),
    "xlsx.dtd": (
        "part {part} declares a DTD or XML entities, which workbooks never need; refused",
        "部件 {part} 声明了 DTD 或 XML 实体，工作簿从不需要它们；已拒绝",
    ),
    "xlsx.too_many_cells": (
        "sheet {part} spans {cols:,} columns x {rows:,} rows (to cell {cell}), over the limit of "
        "{max_cols:,} columns and {max_cells:,} cells",
        "工作表 {part} 跨越 {cols:,} 列 × {rows:,} 行（至单元格 {cell}），超过 {max_cols:,} 列和 {max_cells:,} 个单元格的上限",
    ),
    "xlsx.old_xls": ("this is an old binary Excel (.xls) workbook", "这是旧版二进制 Excel（.xls）工作簿"),
    "xlsx.named_but_text": (
        "the file is named .xlsx but is not an Excel workbook (it looks like text)",
        "文件名为 .xlsx，但不是 Excel 工作簿（看起来是文本）",
    ),
    "xlsx.unreadable": ("the workbook cannot be read: {detail}", "无法读取工作簿：{detail}"),
    "xlsx.empty": ("the workbook is empty (no sheet holds any values)", "工作簿为空（所有工作表都没有数据）"),
    "xlsx.no_data_rows": (
        "the workbook has header rows but no data rows in any sheet",
        "工作簿有表头行，但所有工作表都没有数据行",
    ),
    "xlsx.formulas_no_value": (
        "{n} formula cells have no saved value and read as empty (the workbook was written by a program "
        "and never recalculated); open it in Excel, save, and upload again",
        "{n} 个公式单元格没有保存的值，读取为空（工作簿由程序生成且从未重新计算）；请在 Excel 中打开、保存后重新上传",
    ),
    "xlsx.two_row_header": (
        "the header is written on rows {top} and {bottom}; combined as: {headers}",
        "表头写在第 {top} 行和第 {bottom} 行；合并为：{headers}",
    ),
    "xml.dtd": (
        "the XML declares a DTD or entities (used by 'billion laughs' and XXE attacks); exports from Jira "
        "and MS Project never need them, so the file was refused",
        "该 XML 声明了 DTD 或实体（“十亿笑声”和 XXE 攻击会利用它们）；Jira 和 MS Project 的导出文件从不需要它们，因此拒绝该文件",
    ),
    "csv.encoding": (
        "the text is not in a recognised encoding (UTF-8, UTF-16 or GB18030/GBK)",
        "文本编码无法识别（支持 UTF-8、UTF-16 或 GB18030/GBK）",
    ),
    "csv.unclosed_quote": (
        "the CSV cannot be parsed near line {line}: a quoted value that starts on line {line} is never "
        "closed (the file ends inside it)",
        "CSV 在第 {line} 行附近无法解析：从第 {line} 行开始的带引号的值没有闭合（文件在其中结束）",
    ),
    "csv.unparsable": (
        "the CSV cannot be parsed near line {line}: {detail}",
        "CSV 在第 {line} 行附近无法解析：{detail}",
    ),
    "csv.no_header": ("the file has no header row", "文件没有表头行"),
    "csv.no_data_rows": (
        "the file has a header row ({headers}) but no data rows",
        "文件有表头行（{headers}），但没有数据行",
    ),
}
STRINGS.update(
    {
        "hint.export_again": (
            "Export the file again from the tool; do not edit it by hand.",
            "请从原工具重新导出文件；不要手工编辑。",
        ),
        "hint.split_or_fewer_columns": (
            "Split the file, or export fewer columns; a file this slow may also be crafted.",
            "请拆分文件或减少导出的列；读取如此缓慢的文件也可能是恶意构造的。",
        ),
        "hint.fresh_copy": (
            "If the file is genuine, open it in its tool, save a fresh copy (or export CSV) and try again.",
            "如果文件可信，请在原工具中打开，另存一份新副本（或导出 CSV）后重试。",
        ),
        "hint.split_or_raise_memory": (
            "Split the file, or raise PMO_PARSE_MEMORY_MB if the file is genuine.",
            "请拆分文件；如果文件可信，也可以调高 PMO_PARSE_MEMORY_MB。",
        ),
        "hint.template_or_map": (
            "Use the template from the Import page, or map the columns by hand.",
            "请使用“导入”页面提供的模板，或手动映射列。",
        ),
        "xml.damaged": (
            "the XML is damaged or truncated near line {line}, column {col} ({detail})",
            "XML 在第 {line} 行第 {col} 列附近已损坏或不完整（{detail}）",
        ),
        "safety.timeout": (
            "reading the file took longer than {seconds:g} seconds and was stopped",
            "读取文件超过 {seconds:g} 秒，已停止",
        ),
        "safety.reader_memory": (
            "the file could not be read safely: the reader was stopped for using too much memory; nothing was imported",
            "无法安全读取文件：读取程序占用内存过多被终止；未导入任何内容",
        ),
        "safety.reader_aborted": (
            "the file could not be read safely: the reader aborted (typically when it cannot allocate the memory "
            "a workbook's huge sheet claims); nothing was imported",
            "无法安全读取文件：读取程序异常中止（通常是无法分配工作簿中超大工作表所需的内存）；未导入任何内容",
        ),
        "safety.reader_crashed": (
            "the file could not be read safely: the reader crashed; nothing was imported",
            "无法安全读取文件：读取程序崩溃；未导入任何内容",
        ),
        "safety.reader_cpu": (
            "the file could not be read safely: the reader used more processor time than allowed; nothing was imported",
            "无法安全读取文件：读取程序占用的处理器时间超过上限；未导入任何内容",
        ),
        "safety.reader_exit": (
            "the file could not be read safely: the reader ended unexpectedly (exit code {code}); nothing was imported",
            "无法安全读取文件：读取程序意外结束（退出码 {code}）；未导入任何内容",
        ),
        "safety.memory": (
            "reading the file needed more than the {limit_mb} MiB memory limit; nothing was imported",
            "读取文件所需内存超过 {limit_mb} MiB 的上限；未导入任何内容",
        ),
        "safety.unreadable": ("the file could not be read: {detail}", "无法读取文件：{detail}"),
        "ingest.not_recognised": (
            "the format was not recognised (best guesses: {tried})",
            "无法识别文件格式（最接近的猜测：{tried}）",
        ),
    }
)
STRINGS.update(
    {
        "mapping.no_sheet": (
            "the file has no sheet {sheet!r} (sheets: {sheets})",
            "文件中没有工作表“{sheet}”（现有工作表：{sheets}）",
        ),
        "mapping.no_table": (
            "the file has no table to map (only spreadsheets and CSV files can be mapped)",
            "文件中没有可映射的表格（只有电子表格和 CSV 文件可以映射）",
        ),
        "mapping.not_columns": (
            "{columns} not columns of {table}; columns: {known}",
            "{columns} 不是 {table} 的列；可用的列：{known}",
        ),
        "mapping.header_absent": (
            "the header {header!r} chosen for {column} is not in the file",
            "为“{column_zh}”选择的表头“{header}”不在文件中",
        ),
        "mapping.profile_needs_name": ("a mapping profile needs a name", "映射方案需要一个名称"),
        "mapping.headers_absent": (
            "mapped headers not in the file's headers: {headers}",
            "映射的表头不在文件的表头中：{headers}",
        ),
        "config.unknown_table": (
            "unknown table {table!r}; known tables: {known}",
            "未知的表“{table}”；可用的表：{known}",
        ),
        "config.unknown_format": (
            "unknown format {name!r}; known formats: {known}",
            "未知的格式“{name}”；可用的格式：{known}",
        ),
        "config.profile_options": (
            "format 'profile' needs ParseOptions(mapping={{column: header}}, table=...)",
            "格式“profile”需要 ParseOptions(mapping={{列: 表头}}, table=...)",
        ),
        # validation findings (the reason column of the rejected-rows report)
        "validate.required_column": (
            "required column missing for {table}; expected a header such as {expected}",
            "{table_zh}缺少必填列；应有类似 {expected} 的表头",
        ),
        "validate.required_value": ("a value is required", "此项必填"),
        "validate.choices": ("expected one of {choices}", "应为以下之一：{choices}"),
        "validate.range": ("expected a value from {lo} to {hi}", "应为 {lo} 到 {hi} 之间的值"),
        "validate.duplicate": ("duplicate of row {first}", "与第 {first} 行重复"),
        "validate.expected.date": (
            "expected a date such as 2025-03-31, 31/03/2025, 31-Mar-2025 or 2025年3月31日",
            "应为日期，例如 2025-03-31、31/03/2025、31-Mar-2025 或 2025年3月31日",
        ),
        "validate.expected.float": ("expected a number such as 12.5", "应为数字，例如 12.5"),
        "validate.expected.int": ("expected a whole number such as 3", "应为整数，例如 3"),
        "validate.expected.money": (
            "expected an amount such as 1200, 1,200.50, ¥1,200 or 1.2万",
            "应为金额，例如 1200、1,200.50、¥1,200 或 1.2万",
        ),
        "validate.expected.percent": (
            "expected a percentage such as 35%, 35 or 0.35",
            "应为百分比，例如 35%、35 或 0.35",
        ),
        "validate.expected.bool": (
            "expected yes/no (yes, no, true, false, 1, 0, 是, 否)",
            "应为是/否（yes、no、true、false、1、0、是、否）",
        ),
        "validate.expected.text": ("expected text", "应为文本"),
        "validate.expected.list": ("expected a list separated by ; or ,", "应为以 ; 或 , 分隔的列表"),
        "schedule.bad_duration": (
            "expected a duration such as 5 days, 5d, 2w or 3 个工作日",
            "应为工期，例如 5 days、5d、2w 或 3 个工作日",
        ),
        "schedule.bad_predecessor": (
            "cannot read the predecessor {entry!r}; expected entries such as 3FS+2 days;5SS",
            "无法读取前置任务“{entry}”；应为类似 3FS+2 days;5SS 的写法",
        ),
        "schedule.unknown_predecessor": (
            "predecessor {ref} is not a task in this sheet",
            "前置任务 {ref} 不是本工作表中的任务",
        ),
        "asana.blocker_missing": (
            "this blocking task is not in the file; link skipped",
            "该阻塞任务不在文件中；已跳过此依赖",
        ),
        "finance.bad_period": (
            "expected a period such as 2025-03-31, 2025-03, Mar 2025 or 2025-Q1",
            "应为期间，例如 2025-03-31、2025-03、Mar 2025 或 2025-Q1",
        ),
        "msproject.not_project_root": (
            "expected an MS Project XML file whose root element is <Project>",
            "应为根元素是 <Project> 的 MS Project XML 文件",
        ),
        "risk.bad_probability": (
            "expected a probability such as 30%, 0.3, 3 (of 5) or High/Medium/Low",
            "应为概率，例如 30%、0.3、3（满分 5）或 高/中/低",
        ),
        "risk.bad_probability_score": (
            "expected a probability score 1-5 or a level such as High/Medium/Low",
            "应为 1-5 的概率评分，或 高/中/低 等级",
        ),
        "risk.bad_impact_amount": (
            "expected an amount such as 300,000 CHF, ¥1,200 or 1.2万",
            "应为金额，例如 300,000 CHF、¥1,200 或 1.2万",
        ),
        "risk.bad_impact_score": (
            "expected an impact score 1-5 or a level such as High/Medium/Low",
            "应为 1-5 的影响评分，或 高/中/低 等级",
        ),
        "risk.mixed_currencies": (
            "impact amounts are in several currencies and are not converted",
            "影响金额使用了多种货币，且未做换算",
        ),
        "template.ragged_row": (
            "the row has more values than the header has columns ({n}); a delimiter or quote is probably wrong",
            "该行的值多于表头的列数（{n}）；分隔符或引号可能有误",
        ),
        "template.no_table_match": (
            "the headers match no template table; each needs its required columns {required}",
            "表头与任何模板表都不匹配；每个表都需要其必填列：{required}",
        ),
        "template.no_sheets": (
            "no template sheets found; expected sheets named {sheets}",
            "未找到模板工作表；应有名为 {sheets_zh} 的工作表",
        ),
        "json.damaged": ("the JSON is damaged or truncated ({detail})", "JSON 已损坏或不完整（{detail}）"),
        "hint.export_trello": ("Export the board again from Trello.", "请从 Trello 重新导出看板。"),
        "trello.no_cards": (
            "this JSON is not a Trello board export (no 'cards' list)",
            "该 JSON 不是 Trello 看板导出文件（没有“cards”列表）",
        ),
    }
)
STRINGS.update(
    {
        "store.busy": (
            "the database {path} is in use by another program (DuckDB allows one writer process)",
            "数据库 {path} 正被另一个程序使用（DuckDB 只允许一个写入进程）",
        ),
        "hint.close_other_program": (
            "Close the other program (dashboard or CLI) or wait for it to finish, then try again.",
            "请关闭另一个程序（仪表盘或命令行），或等待其完成后重试。",
        ),
        "store.cannot_open": ("the database {path} cannot be opened: {detail}", "无法打开数据库 {path}：{detail}"),
        "store.newer_schema": (
            "the database was written by a newer version of this program (schema {found}, this program knows {known})",
            "数据库由本程序的更新版本写入（结构版本 {found}，本程序支持 {known}）",
        ),
        "hint.upgrade_or_other_db": (
            "Upgrade the program, or point PMO_DB at another file.",
            "请升级程序，或将 PMO_DB 指向另一个文件。",
        ),
        "store.query_failed": ("database query failed: {detail}", "数据库查询失败：{detail}"),
        "store.duplicate_import": (
            "{name} was already imported with status date {status_date} (import #{import_id} on {imported_at})",
            "{name} 已以状态日期 {status_date} 导入过（第 {import_id} 次导入，时间 {imported_at}）",
        ),
        "hint.other_date_or_undo": (
            "Choose another status date, or undo that import first.",
            "请选择其他状态日期，或先撤销那次导入。",
        ),
        "store.import_rolled_back": (
            "import of {name} failed and was rolled back: {detail}",
            "{name} 导入失败，已回滚：{detail}",
        ),
        "store.no_import": ("there is no import #{import_id}", "不存在第 {import_id} 次导入"),
        "hint.list_imports": ("List imports to see their numbers.", "请列出导入记录查看编号。"),
        "store.edit_not_saved": ("the edit was not saved: {problems}", "修改未保存：{problems}"),
        "store.edit_empty": (
            "the edit of {table} has no rows; nothing was saved",
            "对 {table} 的修改没有任何行；未保存任何内容",
        ),
        "hint.undo_edit": (
            "To take a register back to an earlier state, undo the edit on the Import page.",
            "如需将登记册恢复到之前的状态，请在“导入”页面撤销该修改。",
        ),
        "store.backup_exists": ("{path} already exists", "{path} 已存在"),
        "hint.new_backup_name": ("Choose a new file name for the backup.", "请为备份选择新的文件名。"),
        "store.backup_not_found": ("backup {path!r} not found", "找不到备份“{path}”"),
        "store.backup_is_database": (
            "the backup and the database are the same file",
            "备份与数据库是同一个文件",
        ),
        "store.not_a_backup": (
            "{path} is not a backup of this program's database ({detail})",
            "{path} 不是本程序数据库的备份（{detail}）",
        ),
        "hint.choose_backup": (
            "Choose a file written by 'python -m pmo_analytics backup'.",
            "请选择由“python -m pmo_analytics backup”生成的文件。",
        ),
        "config.not_a_choice": ("{var}={value!r} is not one of {choices}", "{var}={value!r} 不是 {choices} 之一"),
        "hint.unset_or_pick": ("Unset {var} or pick one.", "请取消设置 {var}，或从中选择一个。"),
        "config.not_yes_no": ("{var}={value!r} is not yes or no", "{var}={value!r} 不是 yes 或 no"),
        "hint.yes_no": ("Use yes or no.", "请使用 yes 或 no。"),
        "config.holiday_not_date": ("PMO_HOLIDAYS: {value!r} is not a date", "PMO_HOLIDAYS：{value!r} 不是日期"),
        "hint.holiday_dates": (
            "Write dates as YYYY-MM-DD, comma-separated.",
            "请将日期写成 YYYY-MM-DD，用逗号分隔。",
        ),
        "export.row_currency_length": (
            "row_currency has {values} values for {rows} rows",
            "row_currency 有 {values} 个值，但有 {rows} 行",
        ),
    }
)
STRINGS.update(
    {
        "schedule.loop": (
            "Project {project!r}: the task links form a loop, so no schedule can be computed: {loop}.",
            "项目“{project}”：任务依赖形成环路，无法计算进度计划：{loop}。",
        ),
        "hint.break_loop": ("Remove or reverse one of these links.", "请删除或反转其中一条依赖。"),
        "schedule.link_type": ("Unknown link type {value!r}.", "未知的依赖类型“{value}”。"),
        "hint.link_types": ("Use FS, SS, FF or SF.", "请使用 FS、SS、FF 或 SF。"),
    }
)
STRINGS.update(
    {
        "report.no_project_data": ("no data for project {projects}", "项目 {projects} 没有数据"),
        "hint.known_projects": ("Known projects: {known}.", "已有的项目：{known}。"),
        "hint.import_first": ("Import data first.", "请先导入数据。"),
        "report.unknown_format": ("unknown report format {kind!r}", "未知的报告格式“{kind}”"),
        "hint.xlsx_html_json": ("Use .xlsx, .html or .json.", "请使用 .xlsx、.html 或 .json。"),
        "report.bad_suffix": (
            "{name}: the report is written as .xlsx, .html or .json",
            "{name}：报告只能写成 .xlsx、.html 或 .json",
        ),
        "hint.choose_xlsx_html_json": ("Choose a .xlsx, .html or .json file.", "请选择 .xlsx、.html 或 .json 文件。"),
        "config.ev_method": (
            "unknown EV method {value!r}; expected one of {choices}",
            "未知的挣值计算方法“{value}”；应为以下之一：{choices}",
        ),
        "config.calendar": (
            "unknown calendar {value!r}; expected one of {choices}",
            "未知的日历“{value}”；应为以下之一：{choices}",
        ),
        "config.period": (
            "unknown reporting period {value!r}; expected one of D (day), W (week), M (month)",
            "未知的报告周期“{value}”；应为 D（天）、W（周）、M（月）之一",
        ),
        "fx.expected_headers": ("expected exchange-rate headers: {required}", "应为汇率表头：{required}"),
        "config.not_currency": (
            "{var}={value!r} is not a three-letter currency code",
            "{var}={value!r} 不是三个字母的货币代码",
        ),
        "hint.currency_code": ("Use e.g. {var}=USD.", "例如 {var}=USD。"),
        "cli.workbook_xlsx": ("{path}: the portfolio workbook is written as .xlsx", "{path}：组合工作簿只能写成 .xlsx"),
        "hint.choose_xlsx": ("Choose a .xlsx file.", "请选择 .xlsx 文件。"),
        "cli.target_exists": ("{path} exists", "{path} 已存在"),
        "hint.force_replace": (
            "Pass --force to replace it (make a backup first).",
            "加 --force 可替换它（请先备份）。",
        ),
        "report.no_status_date": ("there is no status date to report on", "没有可报告的状态日期"),
        "report.closed_left_out": (
            "project {projects} is closed or cancelled and left out",
            "项目 {projects} 已关闭或取消，未计入",
        ),
        "hint.include_closed": (
            "Include closed projects (--include-closed) to report on it.",
            "加 --include-closed 包含已关闭项目后再报告。",
        ),
    }
)
