"""Money and currency strings: reporting currency, exchange-rate warnings, money tiles."""

STRINGS = {
    "money.reporting_currency": ("Reporting currency", "报告币种"),
    "money.reporting_help": (
        "Portfolio totals are converted into this currency at the exchange rate in force at each status date "
        "(FXRates sheet). Each project's own figures stay in its own currency.",
        "组合合计按各状态日期适用的汇率（FXRates 工作表）折算为该币种；各项目自身的数字仍用项目币种。",
    ),
    "money.converted": (
        "Totals in {currency}, converted at the exchange rates in force on {date}.",
        "合计以 {currency} 计，按 {date} 适用的汇率折算。",
    ),
    "money.converted_each": (
        "In {currency}, each status date at the exchange rate in force on that date.",
        "以 {currency} 计，各状态日期按当日适用的汇率折算。",
    ),
    "money.per_currency": (
        "Totals in {currency} (projects in {currency} only)",
        "{currency} 合计（仅 {currency} 项目）",
    ),
    "fx.missing_rate": (
        "No exchange rate from {currency} to {reporting} on {date}: totals are shown per currency and not added up. "
        "Import an FXRates sheet with a {currency} rate valid from {date} or earlier.",
        "{date} 没有 {currency} 兑 {reporting} 的汇率：合计按币种分别显示，不相加。"
        "请导入含 {currency} 汇率（生效日期不晚于 {date}）的 FXRates 工作表。",
    ),
    "report.converted": (
        "Totals converted into {currency} at the exchange rates in force at the latest status date; each "
        "project's own figures are in its own currency.",
        "合计按最新状态日期适用的汇率折算为 {currency}；各项目自身的数字使用项目币种。",
    ),
    "format.fx_rates": ("Exchange rates", "汇率表"),
    "col.fx_rate": ("Exchange rate", "汇率"),
}
