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
    "health.rule_help": (
        "Overall RAG = the worst of CPI, SPI(t) (else SPI), late milestones and open threat "
        "exposure as a share of BAC. Schedule quality and stale data are flags beside it.",
        "总体红黄绿 = CPI、SPI(t)（无则 SPI）、延误里程碑、未关闭威胁敞口占 BAC 中最差者。"
        "进度计划质量与数据陈旧仅作提示，不决定颜色。",
    ),
    "health.portfolio_projects": ("projects: {red} red, {amber} amber", "{red} 个项目为红，{amber} 个为黄"),
    "col.rag_reasons": ("Why", "原因"),
    "col.flags": ("Flags", "提示"),
    "col.milestones_slipped": ("Slipped milestones", "延误里程碑"),
}
