"""Import flow strings: the status date step (where a proposed date comes from), the checks
before loading (``importing.check_import`` codes) and the load summary."""

STRINGS = {
    # steps of the Import page
    "import.step.detection": ("Detection", "格式识别"),
    "import.step.status_date": ("Status date", "状态日期"),
    "import.step.checks": ("Checks", "检查"),
    "import.step.load": ("Load", "加载"),
    "import.status_date_one": ("Status date of this file", "此文件的状态日期"),
    "import.status_date_help": (
        "The date the file's figures are as of. Each project's latest status date is its current picture.",
        "文件数据所对应的日期。每个项目最新的状态日期即为其当前状态。",
    ),
    "import.status_date_proposed": (
        "Proposed from the file: {date} ({source}). Change it if the figures are as of another date.",
        "根据文件建议：{date}（{source}）。如数据对应其他日期，请修改。",
    ),
    "import.status_date_choose": (
        "The file carries no status date: choose the date its figures are as of.",
        "文件中没有状态日期：请选择其数据所对应的日期。",
    ),
    "import.checks_ok": ("No conflicts with earlier imports.", "与之前的导入没有冲突。"),
    "import.confirm": ("I have read the warnings above; import anyway", "我已阅读以上警告，仍然导入"),
    "import.loaded": (
        "{name}: import #{id} ({fmt}, status date {date}): {loaded} rows loaded into {tables}, "
        "{rejected} rejected of {rows_in}.",
        "{name}：导入 #{id}（{fmt}，状态日期 {date}）：已加载 {loaded} 行到 {tables}，{rows_in} 行中拒绝 {rejected} 行。",
    ),
    "import.loaded_supersedes": (
        "It supersedes import {imports} for the same status date.",
        "它取代了同一状态日期的导入 {imports}。",
    ),
    # where a proposed status date comes from (ingest.status_dates source codes)
    "status_date.source.mspdi_status_date": (
        "the file's status date (MS Project StatusDate)",
        "文件的状态日期（MS Project StatusDate）",
    ),
    "status_date.source.mspdi_current_date": (
        "the file's current date (MS Project CurrentDate; the file sets no status date)",
        "文件的当前日期（MS Project CurrentDate；文件未设置状态日期）",
    ),
    "status_date.source.jira_rss_generated": (
        "the date the Jira export was generated",
        "Jira 导出文件的生成日期",
    ),
    "status_date.source.trello_last_activity": (
        "the board's last activity (Trello dateLastActivity)",
        "看板最后活动日期（Trello dateLastActivity）",
    ),
    "status_date.source.file_name": ("a date in the file name", "文件名中的日期"),
    # checks before loading (importing.check_import)
    "importcheck.no_status_date": (
        "file {name!r}: no status date: the file carries none and none was chosen.",
        "文件 {name!r}：没有状态日期：文件中没有，也未选择。",
    ),
    "importcheck.duplicate": (
        "{name} was already imported with status date {date} (import #{id}); it is not loaded again.",
        "{name} 已以状态日期 {date} 导入过（导入 #{id}），不会再次加载。",
    ),
    "importcheck.same_content": (
        "The same file content was imported before under another status date: import {imports}. "
        "Loading it again as {date} makes the same figures count as that date too.",
        "相同内容的文件之前已以其他状态日期导入：导入 {imports}。以 {date} 再次加载会使相同的数据也计入该日期。",
    ),
    "importcheck.earlier_than_latest": (
        "The status date {date} is earlier than the latest status date already loaded for {n} "
        "project(s): {scopes}. This import goes into history and will not become their current picture.",
        "状态日期 {date} 早于 {n} 个项目已加载的最新状态日期：{scopes}。此次导入将计入历史，不会成为这些项目的当前状态。",
    ),
    "importcheck.supersedes": (
        "Import {imports} already holds status date {date} for {scopes}: this import supersedes it "
        "(it stays in the history until undone).",
        "导入 {imports} 已包含 {scopes} 在状态日期 {date} 的数据：此次导入将取代它（它保留在历史中，直到被撤销）。",
    ),
}
