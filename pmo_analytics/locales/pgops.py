"""Strings of the reporting tables, copy-store and deployment commands (issue 16, items 5, 7, 8)."""

STRINGS = {
    "cli.export_needs_out": (
        "export needs --out FILE.xlsx (the workbook) or --parquet DIR (the reporting tables)",
        "export 需要 --out 文件.xlsx（工作簿）或 --parquet 目录（报表数据表）",
    ),
}
