"""Menu section titles (``pmo_analytics.navigation``)."""

STRINGS = {
    "nav.overview": ("Overview", "概览"),
    "nav.schedule": ("Schedule", "进度"),
    "nav.cost": ("Cost", "成本"),
    "nav.risk_people": ("Risk & people", "风险与人员"),
    "nav.reports": ("Reports", "报告"),
    "nav.data": ("Data", "数据"),
}
