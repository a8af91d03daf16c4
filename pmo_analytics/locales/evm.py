"""Earned value strings: page, charts, plain-language readings, settings, info columns."""

STRINGS = {
    "page.earned_value": ("Earned value", "挣值分析"),
    "evm.caption": (
        "S-curve, performance indices over time and every earned value and earned schedule metric per project. "
        "PV is the baseline budget spread over working days; roll-ups sum first, then divide.",
        "S 曲线、绩效指数趋势，以及每个项目的全部挣值与挣得进度指标。PV 为按工作日分摊的基准预算；汇总先求和再相除。",
    ),
    # units
    "evm.unit.days": ("days", "天"),
    "evm.unit.weeks": ("weeks", "周"),
    "evm.unit.months": ("months", "个月"),
    "evm.unit.periods": ("periods", "个周期"),
    # readings
    "evm.read.late": (
        "{n:.1f} {unit} late by earned schedule (SPI(t) {spi_t:.2f})",
        "按挣得进度计算落后 {n:.1f} {unit}（SPI(t) {spi_t:.2f}）",
    ),
    "evm.read.end": (".", "。"),
    "evm.read.ahead": (
        "{n:.1f} {unit} ahead by earned schedule (SPI(t) {spi_t:.2f}).",
        "按挣得进度计算超前 {n:.1f} {unit}（SPI(t) {spi_t:.2f}）。",
    ),
    "evm.read.although_spi": (
        " although SPI is {spi:.2f}: SPI drifts back to 1.00 as a late project finishes.",
        "，尽管 SPI 为 {spi:.2f}：延期项目临近完工时 SPI 会回到 1.00。",
    ),
    "evm.read.on_time": (
        "On schedule by earned schedule (SPI(t) {spi_t:.2f}).",
        "按挣得进度计算符合计划（SPI(t) {spi_t:.2f}）。",
    ),
    "evm.read.spi_only": (
        "SPI {spi:.2f} (no time-phased plan for earned schedule).",
        "SPI 为 {spi:.2f}（无分时计划，无法计算挣得进度）。",
    ),
    "evm.read.over": ("Over budget: each 1.00 spent earned {cpi:.2f}.", "超支：每花费 1.00 仅挣得 {cpi:.2f}。"),
    "evm.read.under": ("Within budget: each 1.00 spent earned {cpi:.2f}.", "未超支：每花费 1.00 挣得 {cpi:.2f}。"),
    "evm.read.eac": (
        "At this efficiency it finishes at {eac:,.0f} against a budget of {bac:,.0f} (VAC {vac:,.0f}).",
        "按此效率，完工估算为 {eac:,.0f}，预算为 {bac:,.0f}（完工偏差 {vac:,.0f}）。",
    ),
    "evm.read.forecast": (
        "Forecast finish {date} (baseline finish {plan}).",
        "预测完成日期 {date}（基准完成 {plan}）。",
    ),
    "evm.read.completed": ("Finished on {date}.", "已于 {date} 完成。"),
    "evm.read.no_baseline": (
        "{n} tasks have no baseline dates; their current dates were used for PV.",
        "{n} 个任务没有基准日期，PV 使用了其当前日期。",
    ),
    "evm.read.basis_project": (
        "Tasks carry no budget: the project BAC was spread over tasks by working days.",
        "任务没有预算：项目完工预算按工作日分摊到各任务。",
    ),
    "evm.read.basis_duration": (
        "No budget anywhere: schedule metrics use task working days as weights; cost metrics are blank.",
        "没有任何预算：进度指标以任务工作日为权重，成本指标留空。",
    ),
    "evm.read.ac_cost_rows": (
        "AC comes from the cost rows (cumulative actual cost at the last period end on or before the status date); "
        "PV and EV from the tasks.",
        "AC 取自成本明细（状态日期当天或之前最后一个期末的累计实际成本）；PV 与 EV 取自任务。",
    ),
    "evm.read.none": ("Not enough data for a reading.", "数据不足，无法解读。"),
    # charts
    "evm.chart.s_title": ("S-curve", "S 曲线"),
    "evm.chart.trend_title": ("CPI, SPI and SPI(t) over status dates", "各状态日期的 CPI、SPI 与 SPI(t)"),
    "evm.chart.pv": ("Planned value (PV)", "计划值 (PV)"),
    "evm.chart.ev": ("Earned value (EV)", "挣值 (EV)"),
    "evm.chart.ac": ("Actual cost (AC)", "实际成本 (AC)"),
    "evm.chart.bac": ("BAC", "完工预算 (BAC)"),
    "evm.chart.eac": ("EAC (BAC/CPI)", "完工估算 (BAC/CPI)"),
    "evm.chart.status_date": ("Status date", "状态日期"),
    "evm.chart.forecast": ("Forecast finish", "预测完成"),
    "evm.chart.plan_finish": ("Baseline finish", "基准完成"),
    "evm.chart.amount": ("Cumulative amount", "累计金额"),
    "evm.chart.index": ("Index", "指数"),
    "evm.chart.date": ("Date", "日期"),
    "evm.chart.empty": ("No data to plot", "没有可绘制的数据"),
    # page
    "evm.scope": ("Show", "显示范围"),
    "evm.scope.portfolio": ("Filtered portfolio", "筛选后的项目组合"),
    "evm.metrics_table": ("Metrics per project and status date", "各项目及状态日期的指标"),
    "evm.latest_only": ("Latest status date only", "仅显示最新状态日期"),
    "evm.reading": ("Reading", "解读"),
    "evm.settings": ("Earned value settings (apply to every page)", "挣值设置（作用于所有页面）"),
    "evm.set.period": ("Reporting period", "报告周期"),
    "evm.set.period.D": ("Day", "日"),
    "evm.set.period.W": ("Week", "周"),
    "evm.set.period.M": ("Month", "月"),
    "evm.set.ev_method": ("EV method", "挣值计算方法"),
    "evm.set.ev.physical": ("Physical % complete", "实际完成百分比"),
    "evm.set.ev.0/100": ("0/100", "0/100"),
    "evm.set.ev.50/50": ("50/50", "50/50"),
    "evm.set.calendar": ("Calendar", "日历"),
    "evm.set.cal.workdays": ("Working days (Mon-Fri minus holidays)", "工作日（周一至周五，扣除节假日）"),
    "evm.set.cal.calendar": ("Calendar days", "日历日"),
    "evm.set.holidays": ("Holidays (one date per line, YYYY-MM-DD)", "节假日（每行一个日期，YYYY-MM-DD）"),
    "evm.set.green_at": ("Green at or above", "绿色阈值（不低于）"),
    "evm.set.red_below": ("Red below", "红色阈值（低于）"),
    "evm.set.bad_holiday": ("Not a date (YYYY-MM-DD): {value}", "不是有效日期（YYYY-MM-DD）：{value}"),
    "evm.set.bad_thresholds": ("Red must be below green.", "红色阈值必须低于绿色阈值。"),
    "evm.no_tasks": (
        "No tasks or time-phased values for the selected projects.",
        "所选项目没有任务或分时挣值数据。",
    ),
    # info columns
    "col.period": ("Period", "周期"),
    "col.source": ("Source", "数据来源"),
    "col.budget_basis": ("Budget basis", "预算依据"),
    "col.series": ("Series", "序列类型"),
    "col.ev_method": ("EV method", "挣值方法"),
    "col.tasks": ("Tasks", "任务数"),
    "col.tasks_no_baseline": ("Tasks without baseline", "无基准任务数"),
    "col.tasks_undated": ("Undated tasks", "无日期任务数"),
    "col.plan_start": ("Plan start", "计划开始"),
    "col.plan_finish": ("Baseline finish", "基准完成"),
    "col.snapshot_date": ("Plan as of", "计划版本日期"),
    "col.completed": ("Completed", "完成日期"),
    "col.reading": ("Reading", "解读"),
}
