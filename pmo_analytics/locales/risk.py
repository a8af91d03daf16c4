"""Schedule risk (Monte Carlo): the Schedule risk page, its columns, the project page's summary,
the Gantt's criticality hover, the report workbook's sheet and the admin settings."""

STRINGS = {
    "page.schedule_risk": ("Schedule risk", "进度风险"),
    "srisk.caption": (
        "How likely is each project to finish by the date it promised? Thousands of runs of the critical "
        "path with uncertain task durations and the risk register's schedule impacts.",
        "各项目按承诺日期完工的可能性有多大？在任务工期不确定、并计入风险登记册进度影响的情况下，对关键路径进行数千次模拟。",
    ),
    "srisk.project": ("Project", "项目"),
    "srisk.no_tasks": (
        "No schedule to simulate: this selection has no tasks.",
        "没有可模拟的进度：所选范围内没有任务。",
    ),
    "srisk.failed": (
        "This project's schedule could not be simulated (its links form a loop: see the Gantt page).",
        "该项目的进度无法模拟（其依赖关系形成循环：请查看甘特图页面）。",
    ),
    "srisk.settings": ("Simulation settings", "模拟设置"),
    "srisk.band_low": ("Default band below (%)", "默认区间下限(%)"),
    "srisk.band_high": ("Default band above (%)", "默认区间上限(%)"),
    "srisk.band_help": (
        "Tasks without a three-point estimate vary between this share below and above their remaining "
        "duration (organisation default: −{low}% / +{high}%).",
        "没有三点估算的任务，其剩余工期在此比例的下方与上方之间变化（组织默认值：−{low}% / +{high}%）。",
    ),
    "srisk.distribution": ("Distribution", "分布"),
    "srisk.dist.triangular": ("Triangular", "三角分布"),
    "srisk.dist.pert": ("PERT (beta)", "PERT（贝塔分布）"),
    "srisk.iterations": ("Iterations", "模拟次数"),
    "srisk.seed": ("Seed", "随机种子"),
    "srisk.kpi.cpm": ("CPM finish", "关键路径完工"),
    "srisk.kpi.p50": ("P50 finish", "P50 完工"),
    "srisk.kpi.p80": ("P80 finish", "P80 完工"),
    "srisk.kpi.p90": ("P90 finish", "P90 完工"),
    "srisk.kpi.on_time": ("Chance of meeting the baseline finish", "按基线完工的概率"),
    "srisk.kpi.on_time_short": ("On time", "按期概率"),
    "srisk.kpi.baseline": ("Baseline finish {date}", "基线完工 {date}"),
    "srisk.kpi.no_baseline": ("No baseline finish", "无基线完工日期"),
    "srisk.kpi.eac_p80": ("P80 EAC", "P80 完工估算"),
    "srisk.kpi.eac_help": (
        "EAC {eac} + burn rate {rate} per working day of delay + the cost of the risks that occur "
        "(expected exposure {exposure})",
        "完工估算 {eac} + 每延误一个工作日的消耗 {rate} + 发生风险的成本（期望敞口 {exposure}）",
    ),
    "srisk.summary": (
        "{runs} runs ({dist}, seed {seed}); tasks without estimates: −{low}% / +{high}% of their remaining "
        "duration; {three} tasks with three-point estimates; {risks} risks sampled.",
        "{runs} 次模拟（{dist}，种子 {seed}）；无估算任务：剩余工期的 −{low}% / +{high}%；"
        "{three} 个任务有三点估算；计入 {risks} 项风险。",
    ),
    "srisk.histogram": ("Finish date: distribution and cumulative probability", "完工日期：分布与累计概率"),
    "srisk.tornado": ("What drives the finish (sensitivity)", "影响完工的因素（敏感性）"),
    "srisk.tornado_help": (
        "Correlation of each task's sampled duration (or each risk's occurrence) with the finish date.",
        "各任务抽样工期（或各风险是否发生）与完工日期的相关系数。",
    ),
    "srisk.milestones": ("Milestones: chance of meeting their dates", "里程碑：按期达成的概率"),
    "srisk.no_milestones": ("This project has no milestones.", "该项目没有里程碑。"),
    "srisk.tasks": ("Criticality index per task", "各任务关键性指数"),
    "srisk.risks": ("Risks sampled on the schedule", "计入进度模拟的风险"),
    "srisk.chart.iterations": ("Share of runs", "模拟占比"),
    "srisk.chart.cumulative": ("Cumulative probability", "累计概率"),
    "srisk.chart.finish": ("Finish date", "完工日期"),
    "srisk.chart.baseline": ("Baseline", "基线"),
    "srisk.chart.cpm": ("CPM", "关键路径"),
    "srisk.chart.correlation": ("Correlation with the finish", "与完工日期的相关系数"),
    "srisk.chart.none": ("Nothing to show", "无可显示内容"),
    "srisk.kind.task": ("Task", "任务"),
    "srisk.kind.risk": ("Risk", "风险"),
    "srisk.estimate.three_point": ("Three-point estimate", "三点估算"),
    "srisk.estimate.band": ("Default band", "默认区间"),
    "srisk.estimate.done": ("Finished", "已完成"),
    "srisk.estimate.summary": ("Summary", "摘要任务"),
    "srisk.target.baseline": ("Baseline", "基线"),
    "srisk.target.plan": ("Plan", "计划"),
    "srisk.note.minutes_anchored": (
        "The spread is simulated on working days and anchored on the CPM finish computed in working "
        "minutes on the file's calendars.",
        "工期离散按工作日模拟，并以按文件日历（工作分钟）计算的关键路径完工日期为基准。",
    ),
    "srisk.note.unknown_tasks": (
        "Risk {risk} names tasks this project does not have: {tasks}",
        "风险 {risk} 指向本项目中不存在的任务：{tasks}",
    ),
    "srisk.project_section": ("Schedule risk", "进度风险"),
    "srisk.project_line": (
        "P50 {p50} · P80 {p80} · P90 {p90} · chance of meeting the baseline finish: {on_time}",
        "P50 {p50} · P80 {p80} · P90 {p90} · 按基线完工概率：{on_time}",
    ),
    "srisk.project_link": ("Details on the Schedule risk page", "详见“进度风险”页面"),
    "srisk.gantt_hover": ("Criticality index", "关键性指数"),
    "srisk.gantt_toggle": ("Colour by criticality index (schedule risk)", "按关键性指数着色（进度风险）"),
    "report.sheet.schedule_risk": ("Schedule risk", "进度风险"),
    # columns
    "col.criticality_index": ("Criticality index", "关键性指数"),
    "col.sensitivity": ("Sensitivity", "敏感性"),
    "col.estimate": ("Estimate", "估算来源"),
    "col.optimistic": ("Optimistic (days)", "乐观(天)"),
    "col.likely": ("Most likely (days)", "最可能(天)"),
    "col.pessimistic": ("Pessimistic (days)", "悲观(天)"),
    "col.target": ("Target date", "目标日期"),
    "col.target_kind": ("Target", "目标类型"),
    "col.cpm_date": ("CPM date", "关键路径日期"),
    "col.cpm_finish": ("CPM finish", "关键路径完工"),
    "col.p50": ("P50", "P50 日期"),
    "col.p80": ("P80", "P80 日期"),
    "col.p90": ("P90", "P90 日期"),
    "col.prob_on_time": ("Chance on time", "按期概率"),
    "col.eac_p80": ("P80 EAC", "P80 完工估算"),
    # admin settings
    "admin.set.risk_band_low": ("Schedule risk: default band below (share)", "进度风险：默认区间下限(比例)"),
    "admin.set.risk_band_high": ("Schedule risk: default band above (share)", "进度风险：默认区间上限(比例)"),
    "admin.set.risk_distribution": ("Schedule risk: distribution", "进度风险：分布"),
}
STRINGS.update(
    {
        # importing three-point estimates from MS Project's custom fields
        "note.msp.custom_durations": (
            "custom duration fields not loaded: {columns} (name them as three-point estimates, e.g. "
            "--field duration_optimistic=Duration1 --field duration_likely=Duration2 --field "
            "duration_pessimistic=Duration3; MS Project's PERT analysis kept them in Duration1-3)",
            "未加载自定义工期字段：{columns}（可将其指定为三点估算，例如 --field duration_optimistic=Duration1 "
            "--field duration_likely=Duration2 --field duration_pessimistic=Duration3；MS Project 的 PERT 分析将其存于 Duration1-3）",
        ),
        "srisk.fields_title": (
            "MS Project custom fields as three-point estimates",
            "将 MS Project 自定义字段作为三点估算",
        ),
        "srisk.fields_caption": (
            "Which custom duration field holds each estimate (MS Project's PERT analysis kept them in "
            "Duration1-3)? Nothing is read until you choose.",
            "哪个自定义工期字段对应哪项估算（MS Project 的 PERT 分析将其存于 Duration1-3）？选择之前不会读取。",
        ),
        "srisk.fields_none": ("— not read —", "— 不读取 —"),
        "ingest.field_column": (
            "--field {column}: only three-point estimates can be read from a custom field ({columns}).",
            "--field {column}：只有三点估算可以从自定义字段读取（{columns}）。",
        ),
        "ingest.field_missing": (
            "{file}, sheet {sheet}: there is no column “{header}” to read.",
            "{file}，工作表 {sheet}：没有可读取的列“{header}”。",
        ),
    }
)
