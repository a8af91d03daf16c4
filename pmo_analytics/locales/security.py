"""UI strings for sign-in and open mode (issue 15)."""

STRINGS = {
    "security.open_mode": (
        "**Open mode**: no sign-in configured; this computer only (127.0.0.1).",
        "**开放模式**：未配置登录，仅限本机（127.0.0.1）访问。",
    ),
    "security.sign_in_title": ("Sign in", "登录"),
    "security.sign_in_intro": (
        "This dashboard shows your organisation's projects. Sign in with your organisation account to continue.",
        "本看板展示贵组织的项目。请使用组织账号登录后继续。",
    ),
    "security.sign_in": ("Sign in", "登录"),
    "security.sign_in_with": ("Sign in with {provider}", "使用 {provider} 登录"),
    "security.signed_in_as": ("Signed in as {who}", "当前用户：{who}"),
    "security.sign_out": ("Sign out", "退出登录"),
}
