"""Strings of the value formatters and the table renderer (ui.table)."""

STRINGS = {
    "formats.points_change": ("{n} pp", "{n} 个百分点"),  # percentage points
    "formats.link_help": ("Opens the project's page", "打开该项目的页面"),
}
