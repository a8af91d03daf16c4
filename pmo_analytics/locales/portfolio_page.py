"""Strings of the Portfolio landing page (pages/10_portfolio.py): the attention list, RAG
counts, KPI tiles."""

STRINGS = {
    "portfolio_page.attention": ("Needs attention", "需要关注"),
    "portfolio_page.attention_help": (
        "Worst first: red before amber before no RAG; within a colour, more areas (cost, schedule, "
        "milestones, risk) at that colour first, then the lowest CPI or SPI. The reasons are the "
        "health rule's; flags (schedule quality, stale data) are shown beside them and never set the colour.",
        "最差者在前：红色先于黄色，黄色先于无红黄绿；同一颜色内，处于该颜色的方面（成本、进度、里程碑、"
        "风险）越多越靠前，其次 CPI 或 SPI 越低越靠前。原因来自健康度规则；提示（进度计划质量、数据陈旧）"
        "列在其旁，从不决定颜色。",
    ),
    "portfolio_page.none": ("No project needs attention.", "没有需要关注的项目。"),
    "portfolio_page.fine": (
        "{n} green project(s) within every threshold: not listed.",
        "{n} 个绿色项目各项均在阈值内，未列出。",
    ),
    "portfolio_page.more": (
        "{n} more project(s) need attention: see the project health table below, in the same order.",
        "另有 {n} 个项目需要关注：见下方项目健康度表，顺序相同。",
    ),
    "portfolio_page.flags": (
        "Flags beside the colour (never setting it): {quality} with schedule quality below {q:.0f}% · {stale} stale",
        "颜色旁的提示（不决定颜色）：{quality} 个项目进度计划质量低于 {q:.0f}% · {stale} 个数据陈旧",
    ),
    "portfolio_page.open_project": ("Open the project page", "打开项目页面"),
    "portfolio_page.kpis": ("Portfolio totals", "项目组合汇总"),
    "portfolio_page.tile.tcpi_bac": ("TCPI (BAC)", "TCPI（BAC）"),
    "portfolio_page.tile.tcpi_help": (
        "To-complete performance index: the CPI the remaining work must reach to finish on BAC.",
        "完工尚需绩效指数：剩余工作须达到的 CPI，才能按完工预算（BAC）完工。",
    ),
    "portfolio_page.delta_good_up": ("Up is good.", "上升为好。"),
    "portfolio_page.delta_good_down": ("Up is bad.", "上升为差。"),
    "portfolio_page.delta_neutral": ("A change is neither good nor bad.", "变化本身无好坏。"),
}
