"""Strings of the reporting tables, copy-store and deployment commands (issue 16, items 5, 7, 8)."""

STRINGS = {
    "cli.export_needs_out": (
        "export needs --out FILE.xlsx (the workbook) or --parquet DIR (the reporting tables)",
        "export 需要 --out 文件.xlsx（工作簿）或 --parquet 目录（报表数据表）",
    ),
    "copy.same_store": ("{path}: the source and the target are the same store", "{path}：源和目标是同一个数据库"),
    "copy.target_not_empty": (
        "{target} already holds data ({tables}): nothing copied",
        "{target} 已有数据（{tables}）：未复制任何内容",
    ),
    "hint.copy_replace": (
        "Copy into an empty database, or add --replace to delete the target's rows first.",
        "请复制到空数据库，或加 --replace 先删除目标中的数据。",
    ),
    "copy.count_mismatch": (
        "the copy does not match the source (rows per table, source -> target: {tables})",
        "副本与源不一致（各表行数，源 -> 目标：{tables}）",
    ),
    "pg.only": (
        "{what} applies to a PostgreSQL store only (PMO_DB=postgresql://...)",
        "{what} 仅适用于 PostgreSQL 数据库（PMO_DB=postgresql://...）",
    ),
}
