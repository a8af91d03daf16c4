"""Words for the health engine's reason and flag codes (``pmo_analytics.health_text``)."""

STRINGS = {
    "reason.cpi_below": ("CPI {value} < {threshold}", "CPI {value} < {threshold}"),
    "reason.spi_t_below": ("SPI(t) {value} < {threshold}", "SPI(t) {value} < {threshold}"),
    "reason.spi_below": ("SPI {value} < {threshold}", "SPI {value} < {threshold}"),
    "reason.milestones_slipped": ("{value} milestones slipped", "{value} 个里程碑延误"),
    "reason.milestones_slipped_one": ("1 milestone slipped", "1 个里程碑延误"),
    "reason.exposure_above": ("exposure {value} of BAC > {threshold}", "风险敞口占 BAC {value} > {threshold}"),
    "reason.cpi_missing": ("CPI unknown", "CPI 未知"),
    "reason.schedule_missing": ("SPI unknown", "SPI 未知"),
    "reason.exposure_missing": ("exposure share unknown (no BAC)", "风险敞口占比未知（无 BAC）"),
    "reason.none": ("all within thresholds", "各项均在阈值内"),
    "reason.no_data": ("no indicator could be computed", "无法计算任何指标"),
    "flag.quality_below": ("schedule quality {value} < {threshold}", "进度计划质量 {value} < {threshold}"),
    "flag.stale": ("stale: {value} days old", "数据陈旧：已 {value} 天"),
    "health.rag": ("Overall RAG", "总体红黄绿"),
    "health.reasons": ("Why", "原因"),
    "health.flags": ("Flags", "提示"),
    "health.count.red": ("Red projects", "红色项目"),
    "health.count.amber": ("Amber projects", "黄色项目"),
    "health.count.green": ("Green projects", "绿色项目"),
    "health.count.unknown": ("No RAG", "无红黄绿"),
    "health.heatmap_first": (
        "The heatmap draws the first {shown} of {total} projects in this order; the table below lists every one.",
        "热力图按此顺序只画前 {shown} 个项目（共 {total} 个）；下表列出全部项目。",
    ),
    "health.rule_help": (
        "Overall RAG = the worst of CPI, SPI(t) (else SPI), late milestones and open threat "
        "exposure as a share of BAC. Schedule quality and stale data are flags beside it.",
        "总体红黄绿 = CPI、SPI(t)（无则 SPI）、延误里程碑、未关闭威胁敞口占 BAC 中最差者。"
        "进度计划质量与数据陈旧仅作提示，不决定颜色。",
    ),
    "health.portfolio_projects": ("projects: {red} red, {amber} amber", "{red} 个项目为红，{amber} 个为黄"),
    "health.footer": (
        "PMO Portfolio Health · overall RAG = worst of: CPI and SPI(t) (else SPI) green ≥ {green:.2f}, "
        "red < {red:.2f}; slipped milestones amber at {ma}, red at {mr}; open threat exposure green ≤ "
        "{eg:.0%} of BAC, red > {er:.0%}. Flags (never the colour): schedule quality < {q:.0f}%, "
        "data older than one reporting period.",
        "PMO 项目组合健康度 · 总体红黄绿取以下最差者：CPI 与 SPI(t)（无则 SPI）≥ {green:.2f} 为绿，"
        "< {red:.2f} 为红；延误里程碑达 {ma} 个为黄，达 {mr} 个为红；未关闭威胁敞口 ≤ 完工预算的 {eg:.0%} "
        "为绿，> {er:.0%} 为红。提示（不决定颜色）：进度计划质量 < {q:.0f}%，数据早于一个报告周期。",
    ),
    "col.rag_reasons": ("Why", "原因"),
    "col.flags": ("Flags", "提示"),
}
