"""Chat summary strings (``notify`` command, the Status report page's "Post to chat"):
the message's texts, the outcome and the errors of a post."""

STRINGS = {
    # ------------------------------------------------------------ the message
    "notify.title": ("Portfolio status {date}", "项目组合状态 {date}"),
    "notify.compared": ("Status date {date}, compared with {previous}", "状态日期 {date}，比较基准 {previous}"),
    "notify.compared_none": ("Status date {date} (no earlier status date)", "状态日期 {date}（无更早的状态日期）"),
    "notify.attention": ("Needs attention, worst first", "需要关注（最严重的在前）"),
    "notify.attention_none": ("No project needs attention.", "没有需要关注的项目。"),
    "notify.more": ("… and {n} more", "……另有 {n} 项"),
    "notify.changes": ("Biggest changes since {date}", "自 {date} 以来的主要变化"),
    "notify.changes_none": ("No change since {date}.", "自 {date} 以来没有变化。"),
    "notify.change_totals": ("In all: {parts}", "合计：{parts}"),
    "notify.change.bac": ("BAC", "完工预算 (BAC)"),
    "notify.change.budget": ("Budget", "预算"),
    "notify.change.amounts": ("{change} ({before} → {after})", "{change}（{before} → {after}）"),
    "notify.change.risks_opened": ("Risk opened", "新开风险"),
    "notify.change.risks_closed": ("Risk closed", "关闭风险"),
    "notify.change.exposure": ("exposure {value}", "风险敞口 {value}"),
    "notify.change.finish_moved": ("Largest finish move", "最大完成日期变动"),
    "notify.change.moved": ("{days} ({before} → {after})", "{days}（{before} → {after}）"),
    "notify.flags": ("Flags", "标记"),
    "notify.context": (
        "{n} projects · PMO Portfolio Health · the same RAG rule as every page",
        "{n} 个项目 · PMO Portfolio Health · 与各页面相同的红黄绿规则",
    ),
    "notify.open_app": ("Open the dashboard", "打开仪表板"),
    "notify.open_project": ("Open {project}", "打开 {project}"),
    # ------------------------------------------------------------ targets and outcome
    "notify.slack": ("Slack", "Slack"),
    "notify.teams": ("Microsoft Teams", "Microsoft Teams"),
    "notify.posted": (
        "Posted to {target} ({where}): {red} red, {amber} amber, {green} green, {unknown} no RAG; "
        "{lines} project(s) needing attention, {changes} change(s) named (tries: {tries}).",
        "已发送到 {target}（{where}）：红 {red}、黄 {amber}、绿 {green}、无红黄绿 {unknown}；"
        "需要关注的项目 {lines} 个，列出的变化 {changes} 项（尝试 {tries} 次）。",
    ),
    "notify.item_sep": (": ", "："),
    "notify.dry_run": ("Dry run: nothing posted. The {target} payload:", "试运行：未发送。{target} 的消息内容："),
    # ------------------------------------------------------------ the page
    "notify.panel": ("Post the summary to chat", "发送摘要到聊天工具"),
    "notify.panel_help": (
        "Posts this week's summary (RAG counts, the projects needing attention and why, the biggest changes, a "
        "link to the dashboard) to a Slack or Microsoft Teams channel through the webhook configured on the server.",
        "将本周摘要（红黄绿数量、需要关注的项目及原因、主要变化、仪表板链接）通过服务器上配置的 Webhook 发送到 Slack 或 "
        "Microsoft Teams 频道。",
    ),
    "notify.target": ("Channel", "频道"),
    "notify.post": ("Post the summary", "发送摘要"),
    "notify.posting": ("Posting the summary …", "正在发送摘要……"),
    "notify.none_configured": (
        "No chat webhook is configured on this server: an administrator sets PMO_SLACK_WEBHOOK or "
        "PMO_TEAMS_WEBHOOK (and PMO_PUBLIC_URL for links back to the dashboard).",
        "此服务器未配置聊天 Webhook：请管理员设置 PMO_SLACK_WEBHOOK 或 PMO_TEAMS_WEBHOOK（以及用于链接回仪表板的 "
        "PMO_PUBLIC_URL）。",
    ),
    # ------------------------------------------------------------ errors (PmoError keys)
    "notify.err.no_target": (
        "No chat webhook given.",
        "未提供聊天 Webhook。",
    ),
    "notify.err.no_target.hint": (
        "Pass --slack URL or --teams URL, or set PMO_SLACK_WEBHOOK / PMO_TEAMS_WEBHOOK.",
        "请使用 --slack URL 或 --teams URL，或设置 PMO_SLACK_WEBHOOK / PMO_TEAMS_WEBHOOK。",
    ),
    "notify.err.bad_url": (
        "The {target} webhook ({where}) is not an http(s) address.",
        "{target} Webhook（{where}）不是 http(s) 地址。",
    ),
    "notify.err.bad_url.hint": (
        "Copy the whole webhook URL from {target} again.",
        "请从 {target} 重新复制完整的 Webhook URL。",
    ),
    "notify.err.public_url": (
        "PMO_PUBLIC_URL ({value}) is not an http(s) address.",
        "PMO_PUBLIC_URL（{value}）不是 http(s) 地址。",
    ),
    "notify.err.public_url.hint": (
        "Set it to the dashboard's address as people open it, e.g. https://pmo.example.com.",
        "请设置为大家打开仪表板时使用的地址，例如 https://pmo.example.com。",
    ),
    "notify.err.timeout": (
        "{target} did not answer within {seconds} s ({where}).",
        "{target} 在 {seconds} 秒内没有响应（{where}）。",
    ),
    "notify.err.timeout.hint": (
        "The message may or may not have arrived (not retried, to avoid posting it twice): look in the channel "
        "before posting again.",
        "消息可能已送达，也可能没有（为避免重复发送，未重试）：请先查看频道再重新发送。",
    ),
    "notify.err.client": (
        "{target} refused the message with HTTP {status}{detail} ({where}).",
        "{target} 拒绝了消息，HTTP {status}{detail}（{where}）。",
    ),
    "notify.err.client.hint": (
        "Not retried: check the webhook URL (complete, still active) and that the webhook may post to its channel.",
        "未重试：请检查 Webhook URL（是否完整、是否仍有效）以及该 Webhook 是否有权限向频道发送消息。",
    ),
    "notify.err.server": (
        "{target} answered HTTP {status}{detail} to each of {tries} tries ({where}).",
        "{target} 对全部 {tries} 次尝试都返回 HTTP {status}{detail}（{where}）。",
    ),
    "notify.err.server.hint": (
        "The chat service has a problem: try again later.",
        "聊天服务出现问题：请稍后再试。",
    ),
    "notify.err.connect": (
        "Could not reach {target} ({where}) in {tries} tries: {reason}.",
        "尝试 {tries} 次仍无法连接 {target}（{where}）：{reason}。",
    ),
    "notify.err.connect.hint": (
        "Check this server's network and proxy settings and the webhook's host.",
        "请检查此服务器的网络和代理设置以及 Webhook 的主机名。",
    ),
    "notify.err.redirect": (
        "{target} answered with a redirect (HTTP {status}) ({where}); a webhook is not redirected.",
        "{target} 返回了重定向（HTTP {status}）（{where}）；Webhook 不应被重定向。",
    ),
    "notify.err.redirect.hint": (
        "Copy the current webhook URL from {target}.",
        "请从 {target} 复制当前的 Webhook URL。",
    ),
}
