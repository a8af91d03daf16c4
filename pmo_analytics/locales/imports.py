"""Column headers of the import history (the ``imports`` table) on the Import page and its downloads."""

STRINGS = {
    "col.source_name": ("File", "文件"),
    "col.source_format": ("Format", "格式"),
    "col.sha256": ("Content hash (SHA-256)", "内容哈希（SHA-256）"),
    "col.imported_at": ("Imported at", "导入时间"),
    "col.rows_in": ("Rows read", "读取行数"),
    "col.rows_loaded": ("Rows loaded", "加载行数"),
    "col.rows_rejected": ("Rows rejected", "拒绝行数"),
    "col.entity": ("Tables", "数据表"),
}
