"""Messages of the PostgreSQL store (issue 16): connection problems, what only a DuckDB file does."""

STRINGS = {
    "pg.cannot_connect": (
        "Cannot connect to the PostgreSQL database {db} on {host}:{port} as user '{user}': {detail}",
        "无法以用户“{user}”连接 {host}:{port} 上的 PostgreSQL 数据库 {db}：{detail}",
    ),
    "hint.pg_check_server": (
        "Check that PostgreSQL runs on that host and port, that the database exists and that the user "
        "and password in PMO_DB (or --db) are right: postgresql://user:password@host:port/database",
        "请确认 PostgreSQL 在该主机和端口上运行、数据库已创建，且 PMO_DB（或 --db）中的用户名和密码正确："
        "postgresql://用户:密码@主机:端口/数据库",
    ),
    "pg.no_driver": (
        "The PostgreSQL driver is not installed ({detail}): pip install -r requirements.txt",
        "未安装 PostgreSQL 驱动（{detail}）：请运行 pip install -r requirements.txt",
    ),
    "pg.duckdb_only": (
        "{what} works on a DuckDB file only, not on a PostgreSQL database.",
        "{what} 仅适用于 DuckDB 文件，不适用于 PostgreSQL 数据库。",
    ),
    "pg.use_pg_dump": (
        "{what} copies a DuckDB file; back up a PostgreSQL database with pg_dump (and restore it with pg_restore).",
        "{what} 用于复制 DuckDB 文件；PostgreSQL 数据库请用 pg_dump 备份（用 pg_restore 恢复）。",
    ),
}
