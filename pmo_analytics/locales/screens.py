"""Strings of the screens' remaining work (issue 14): statistics drawn only from enough points,
the audit filter's action families in words."""

STRINGS = {
    "lessons.too_few_stats": (
        "Closed projects with a value: {n}. Statistics (quartiles, median) need at least {need}; "
        "the values are in the list of closed projects below.",
        "有数值的已关闭项目：{n} 个。统计量（四分位数、中位数）至少需要 {need} 个项目；各项数值见下方已关闭项目列表。",
    ),
    # the Admin page's audit filter: action families (admin.action_prefixes), the code beside
    "audit.family.import.": ("Imports", "导入"),
    "audit.family.edit.": ("Register edits", "登记表编辑"),
    "audit.family.note.": ("Notes", "备注"),
    "audit.family.mapping.": ("Column mappings", "列映射"),
    "audit.family.access.": ("Access", "权限"),
    "audit.family.settings.": ("Settings", "设置"),
}
