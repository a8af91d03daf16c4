"""Chart strings: date tick formats (Streamlit bundles no Plotly zh-CN locale), quadrant,
Gantt window, S-curve notes, capacity, small-sample notes."""

STRINGS = {
    # d3 time formats of date ticks (charts/style.py)
    "chart.date.day": ("%b %-d", "%-m月%-d日"),
    "chart.date.month": ("%b %Y", "%Y年%-m月"),
    "chart.date.year": ("%Y", "%Y年"),
    # CPI x SPI quadrant
    "chart.quadrant.labelled": (
        "Labelled: red projects and the furthest from plan; hover any bubble for its name.",
        "已标注：红色项目和偏离计划最远的项目；悬停任一气泡可查看名称。",
    ),
    "chart.quadrant.plan": ("on plan (1.0)", "符合计划 (1.0)"),
    # Gantt window
    "chart.gantt.window": ("Window", "时间窗口"),
    "chart.gantt.window.status": ("3 months around the status date", "状态日期前后 3 个月"),
    "chart.gantt.window.half": ("6 months around the status date", "状态日期前后 6 个月"),
    "chart.gantt.window.year": ("12 months around the status date", "状态日期前后 12 个月"),
    "chart.gantt.window.all": ("Whole plan", "整个计划"),
    "chart.gantt.scroll_hint": (
        "Drag the chart to scroll through time and tasks, wheel to zoom, double-click to return to this view.",
        "拖动图表可在时间和任务间滚动，滚轮缩放，双击回到此视图。",
    ),
    # S-curve notes
    "chart.scurve.joined": (
        "{n} project(s) join the roll-up: AC to date {ac}",
        "{n} 个项目计入汇总：截至当日 AC {ac}",
    ),
    "chart.scurve.lump": ("AC {ac} in one period (lump sum)", "一个周期内 AC 增加 {ac}（一次性入账）"),
    "chart.scurve.projects": ("Projects in the roll-up", "汇总中的项目数"),
    # capacity
    "chart.capacity.marker": ("capacity", "产能"),
    # small samples
    "chart.too_few": (
        "{n} closed project(s): points only, too few for a distribution",
        "{n} 个已关闭项目：仅显示数据点，数量太少，不足以显示分布",
    ),
    "chart.days": ("days", "天"),
}
