"""Withdrawing, restoring and purging imports; saved column mappings under control; large
uploads (issue 15 items 5, 6, 9)."""

STRINGS = {
    # errors (store.withdraw_import / restore_import / purge_import)
    "undo.already_withdrawn": (
        "import #{import_id} is already withdrawn (by {by} at {at})",
        "导入 #{import_id} 已被撤回（{by}，{at}）",
    ),
    "hint.restore_import": (
        "Restore it from the import history to bring it back.",
        "如需恢复，请在导入历史中恢复它。",
    ),
    "undo.not_withdrawn": ("import #{import_id} is not withdrawn", "导入 #{import_id} 未被撤回"),
    "undo.restore_duplicate": (
        "import #{import_id} ({name}) cannot be restored: import #{other} holds the same content with the "
        "same status date",
        "无法恢复导入 #{import_id}（{name}）：导入 #{other} 已以相同状态日期包含相同内容",
    ),
    "undo.purge_admin_only": (
        "only an administrator can purge import #{import_id}",
        "只有管理员可以彻底删除导入 #{import_id}",
    ),
    "undo.purge_not_withdrawn": (
        "import #{import_id} is still in view and cannot be purged",
        "导入 #{import_id} 仍在使用中，不能彻底删除",
    ),
    "hint.withdraw_first": ("Withdraw it first.", "请先撤回它。"),
    # the check before loading a file whose content was imported and withdrawn
    "importcheck.withdrawn_before": (
        "The same file content was imported before and withdrawn: import {imports}. Loading it makes a "
        "new import (the withdrawn one stays in the history; restoring it would bring back the same rows).",
        "相同内容的文件之前已导入并被撤回：导入 {imports}。加载会生成一次新的导入（被撤回的导入保留在历史中；"
        "恢复它会带回相同的数据）。",
    ),
    # the confirmation (withdrawal.describe)
    "undo.confirm_withdraw": (
        "Withdraw import #{id} ({name}, status date {date})? Its rows leave every page, report and export: {rows}.",
        "撤回导入 #{id}（{name}，状态日期 {date}）？其数据将从所有页面、报告和导出中隐去：{rows}。",
    ),
    "undo.confirm_restore": (
        "Restore import #{id} ({name}, status date {date}), withdrawn by {by} at {at}? Its rows come back "
        "into every page, report and export: {rows}.",
        "恢复导入 #{id}（{name}，状态日期 {date}，由 {by} 于 {at} 撤回）？其数据将重新出现在所有页面、报告和导出中：{rows}。",
    ),
    "undo.rows_item": ("{table} {n:,}", "{table} {n:,} 行"),
    "undo.rows_total": ("{n:,} rows in {k} table(s)", "共 {n:,} 行，{k} 张表"),
    "undo.no_rows": ("no rows", "没有数据行"),
    "undo.projects_head": ("Projects ({n}):", "项目（{n} 个）："),
    "undo.project_back": (
        "{project}: current status date {now} → {after}",
        "{project}：当前状态日期 {now} → {after}",
    ),
    "undo.project_gone": (
        "{project}: no data left, it leaves every view (status date {now})",
        "{project}：不再有数据，将从所有视图中消失（状态日期 {now}）",
    ),
    "undo.project_same": (
        "{project}: current status date stays {now} (only its history changes)",
        "{project}：当前状态日期仍为 {now}（只有历史数据变化）",
    ),
    "undo.project_new": (
        "{project}: comes back, current status date {after}",
        "{project}：重新出现，当前状态日期 {after}",
    ),
    "undo.reversible": (
        "Nothing is deleted: the import can be restored from the history.",
        "不会删除任何数据：可在导入历史中恢复此导入。",
    ),
    # the Import page's history
    "undo.history_caption": (
        "Withdrawing an import hides it from every view and can be reversed; only withdrawn imports can be "
        "purged (deleted for good, administrators only).",
        "撤回导入会将其从所有视图中隐去，且可以恢复；只有已撤回的导入才能被彻底删除（仅限管理员）。",
    ),
    "undo.pick": ("Import", "导入"),
    "undo.withdrawn_tag": ("withdrawn", "已撤回"),
    "undo.withdraw": ("Withdraw…", "撤回…"),
    "undo.restore": ("Restore…", "恢复…"),
    "undo.purge": ("Purge for good…", "彻底删除…"),
    "undo.yes_withdraw": ("Yes, withdraw #{id}", "确认撤回 #{id}"),
    "undo.yes_restore": ("Yes, restore #{id}", "确认恢复 #{id}"),
    "undo.yes_purge": ("Yes, delete #{id} for good", "确认彻底删除 #{id}"),
    "undo.cancel": ("Cancel", "取消"),
    "undo.confirm_purge": (
        "Delete the {n:,} rows and the record of withdrawn import #{id} ({name}) for good? This cannot be undone.",
        "彻底删除已撤回导入 #{id}（{name}）的 {n:,} 行数据及其记录？此操作无法撤销。",
    ),
    "undo.purge_admins": ("Only administrators can purge.", "只有管理员可以彻底删除。"),
    "undo.withdrawn_done": (
        "Import #{id} withdrawn: {n:,} rows hidden from every view (restore it from the history).",
        "已撤回导入 #{id}：{n:,} 行数据已从所有视图中隐去（可在历史中恢复）。",
    ),
    "undo.restored_done": (
        "Import #{id} restored: {n:,} rows back in view.",
        "已恢复导入 #{id}：{n:,} 行数据重新可见。",
    ),
    "undo.purged_done": ("Import #{id} purged: {n:,} rows deleted for good.", "已彻底删除导入 #{id}：{n:,} 行数据。"),
    "col.withdrawn_at": ("Withdrawn at", "撤回时间"),
    "col.withdrawn_by": ("Withdrawn by", "撤回人"),
    # saved column mappings: owned, shown and confirmed before they apply
    "mapping.confirm_apply": (
        "Apply “{name}”, saved by {by} on {on}? It reads this file into {table} as follows:",
        "应用“{name}”（{by} 于 {on} 保存）？它将按如下方式把此文件读入“{table}”：",
    ),
    "mapping.owner_unknown": ("someone unknown (saved before owners were kept)", "未知（保存于记录所有者之前）"),
    "mapping.apply_yes": ("Apply “{name}”", "应用“{name}”"),
    "mapping.apply_no": ("Map by hand instead", "改为手动映射"),
    "mapping.applied": ("Read with the saved mapping “{name}” (confirmed).", "已按保存的映射“{name}”读取（已确认）。"),
    "mapping.no_profile": ("there is no saved mapping named {name!r}", "没有名为“{name}”的已保存映射"),
    "hint.list_mappings": (
        "List them with `mappings list`, or on the Import page under Saved column mappings.",
        "请用 `mappings list` 列出，或在导入页面的“已保存的列映射”中查看。",
    ),
    "mapping.cli_matches": (
        "{file}: no format recognises it; the saved mapping {name!r} (saved by {by} on {on}) matches its headers",
        "{file}：无法识别其格式；已保存的映射“{name}”（{by} 于 {on} 保存）与其表头一致",
    ),
    "mapping.cli_matches.hint": (
        "Check it with `mappings show {name!r}`, then pass --mapping {name!r} to apply it.",
        "请先用 `mappings show {name!r}` 查看，再加上 --mapping {name!r} 应用它。",
    ),
    "mapping.manage_title": ("Saved column mappings", "已保存的列映射"),
    "mapping.manage_empty": ("No saved column mappings.", "没有已保存的列映射。"),
    "mapping.manage_pick": ("Mapping", "映射"),
    "mapping.manage_caption": (
        "A saved mapping is proposed for a file with the same headers and applied only when you confirm it. "
        "Change which header feeds each column, or delete the mapping.",
        "已保存的映射会在文件表头相同时被提出，只有经您确认后才会应用。可修改每个字段对应的表头，或删除该映射。",
    ),
    "mapping.edit_save": ("Save changes", "保存修改"),
    "mapping.edited": ("Mapping “{name}” saved.", "已保存映射“{name}”。"),
    "mapping.delete_ask": ("Delete…", "删除…"),
    "mapping.delete_confirm": (
        "Delete the saved mapping “{name}” ({n} columns, saved by {by} on {on})? Files with its headers will "
        "need mapping by hand again.",
        "删除已保存的映射“{name}”（{n} 个字段，{by} 于 {on} 保存）？表头相同的文件将需要重新手动映射。",
    ),
    "mapping.delete_yes": ("Yes, delete “{name}”", "确认删除“{name}”"),
    "col.mapping_table": ("Loads as", "导入为"),
    "col.columns_mapped": ("Columns mapped", "已映射字段数"),
    "col.saved_by": ("Saved by", "保存人"),
    "col.mapping_column": ("Column", "字段"),
    "col.mapping_header": ("Header in the file", "文件中的表头"),
    # large uploads (pmo_analytics.memory)
    "memory.over_budget": (
        "this {mb} MB file would need about {need} MiB of memory to import, more than one import may take "
        "on this server ({budget} MiB); the largest {kind} file that fits is about {fits} MB",
        "此 {mb} MB 的文件导入时约需 {need} MiB 内存，超过本服务器单次导入的上限（{budget} MiB）；"
        "可导入的 {kind} 文件最大约 {fits} MB",
    ),
    "hint.memory_over_budget": (
        "Split it into smaller files (by project or period), or ask the administrator to raise "
        "PMO_IMPORT_MEMORY_MB on a server with more memory.",
        "请将其拆分为较小的文件（按项目或期间），或请管理员在内存更大的服务器上调高 PMO_IMPORT_MEMORY_MB。",
    ),
    "memory.queued": (
        "Another large import is running; yours starts when it ends.",
        "另一个大文件导入正在进行；它结束后将开始您的导入。",
    ),
}
