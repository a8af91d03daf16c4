"""Strings of the one load path: the closed-projects toggle and what it left out."""

STRINGS = {
    "filter.include_closed": ("Include closed projects", "包含已关闭项目"),
    "filter.include_closed_help": (
        "Closed and cancelled projects are counted apart; turn this on to include them in every page, "
        "total and export.",
        "已关闭和已取消的项目单独统计；打开此开关后，所有页面、合计和导出均包含它们。",
    ),
    "filter.closed_left_out": (
        "{n} closed or cancelled project(s) left out: {ids}",
        "已排除 {n} 个已关闭或已取消的项目：{ids}",
    ),
    "filter.closed_included": (
        "{n} closed or cancelled project(s) included: {ids}",
        "已包含 {n} 个已关闭或已取消的项目：{ids}",
    ),
}
