"""UI strings of roles, reach, the audit trail and the Admin page (issue 15 items 2 and 4)."""

STRINGS = {
    # errors (access.AccessDeniedError, the access file, organisation settings)
    "access.denied": (
        "{who} ({role}) may not do this: {action} needs the {need} role.",
        "{who}（{role}）无权执行此操作：{action} 需要 {need} 角色。",
    ),
    "access.project_denied": (
        "{who} may not change project {project}: it is outside what they may change ({reach}).",
        "{who} 无权修改项目 {project}：不在其可修改范围内（{reach}）。",
    ),
    "access.table_denied": (
        "{who} may not change {table} (rows that are not one project's need access to every project; yours: {reach}).",
        "{who} 无权修改 {table}（不属于单个项目的数据需要全部项目的权限；您的范围：{reach}）。",
    ),
    "hint.ask_admin": (
        "Ask an administrator to change your role or scope (Admin page).",
        "请联系管理员调整您的角色或范围（管理页面）。",
    ),
    "access.bad_file": (
        "Access file {file}, line {line}: {problem}",
        "权限文件 {file} 第 {line} 行：{problem}",
    ),
    "hint.access_file": (
        'Each entry is [people."e-mail"] or [groups."name"] with role = "viewer", "analyst" or "admin" and '
        "optional portfolios, departments, projects lists (README, Serving a team).",
        '每个条目为 [people."邮箱"] 或 [groups."组名"]，role 取 "viewer"、"analyst" 或 "admin"，'
        "可选 portfolios、departments、projects 列表（见 README“为团队提供服务”）。",
    ),
    "access.bad_grant": (
        "Cannot save the grant {kind} {subject!r} with role {role!r}: give an e-mail or group and a role.",
        "无法保存授权 {kind} {subject!r}（角色 {role!r}）：请填写邮箱或组，并选择角色。",
    ),
    "settings.unknown": (
        "{name} is not an organisation setting (known: {known}).",
        "{name} 不是组织设置（可用：{known}）。",
    ),
    "settings.bad_value": (
        "{value!r} is not a valid value for {name} {choices}.",
        "{value!r} 不是 {name} 的有效值 {choices}。",
    ),
    # signed in without any grant
    "access.no_grant_title": ("No access yet", "尚无访问权限"),
    "access.no_grant": (
        "You are signed in as {who}, but no role has been given to this account or its groups. "
        "Ask an administrator to add you.",
        "您已以 {who} 登录，但该账号及其所属组尚未获得任何角色。请联系管理员添加。",
    ),
    "access.page_denied": (
        "This page needs the {need} role; you are {role}.",
        "此页面需要 {need} 角色；您的角色是 {role}。",
    ),
    "access.role_line": ("Role: {role} · sees {reach}", "角色：{role} · 可见 {reach}"),
    "access.reach_all": ("every project", "全部项目"),
    "access.role.viewer": ("viewer", "查看者"),
    "access.role.analyst": ("analyst", "分析员"),
    "access.role.admin": ("admin", "管理员"),
    # session overrides of organisation settings
    "access.override": (
        "**Session override**: {items} (organisation: {org}). Reports and the command line use the organisation's.",
        "**本会话临时设置**：{items}（组织设置：{org}）。报告与命令行使用组织设置。",
    ),
    "access.override_reset": ("Back to the organisation's settings", "恢复组织设置"),
    # the Admin page
    "page.admin": ("Admin", "管理"),
    "admin.caption": (
        "Who may do what and see which projects, the organisation's settings, and the audit trail. "
        "Every change here is recorded with your identity.",
        "谁可以做什么、能看到哪些项目，组织设置，以及审计记录。此处的每项更改都会以您的身份记录。",
    ),
    "admin.tab.access": ("Access", "访问权限"),
    "admin.tab.settings": ("Organisation settings", "组织设置"),
    "admin.tab.audit": ("Audit trail", "审计记录"),
    "admin.grants": ("Grants", "授权"),
    "admin.no_grants": (
        "No grants stored. Set PMO_ACCESS_FILE to seed them, or add one below.",
        "尚无授权。设置 PMO_ACCESS_FILE 以导入，或在下方添加。",
    ),
    "admin.grant_form": ("Add or change a grant", "添加或修改授权"),
    "admin.kind": ("For", "对象类型"),
    "admin.kind.email": ("e-mail", "邮箱"),
    "admin.kind.group": ("identity group", "身份组"),
    "admin.subject": ("E-mail or group name", "邮箱或组名"),
    "admin.role": ("Role", "角色"),
    "admin.portfolios": ("Portfolios (empty = all)", "项目组合（留空 = 全部）"),
    "admin.departments": ("Departments", "部门"),
    "admin.projects": ("Projects", "项目"),
    "admin.save_grant": ("Save grant", "保存授权"),
    "admin.grant_saved": ("Grant saved for {subject}.", "已保存 {subject} 的授权。"),
    "admin.revoke": ("Remove the grant of", "移除授权"),
    "admin.revoke_button": ("Remove", "移除"),
    "admin.revoked": ("Grant of {subject} removed.", "已移除 {subject} 的授权。"),
    "admin.settings_intro": (
        "These settings change numbers and colours for everyone, in the pages, the reports and the command line. "
        "The environment (PMO_*) gives the value of a setting never saved here.",
        "这些设置会改变所有人看到的数字和颜色，包括页面、报告和命令行。从未在此保存的设置取环境变量（PMO_*）的值。",
    ),
    "admin.save_settings": ("Save organisation settings", "保存组织设置"),
    "admin.settings_saved": ("Organisation settings saved.", "组织设置已保存。"),
    "admin.settings_unchanged": ("Nothing changed.", "没有更改。"),
    "admin.holidays": ("Holidays (YYYY-MM-DD, comma-separated)", "节假日（YYYY-MM-DD，逗号分隔）"),
    "admin.audit_actor": ("Who", "操作人"),
    "admin.audit_action": ("Action", "操作"),
    "admin.audit_since": ("Since", "起始日期"),
    "admin.audit_empty": ("No audit entries match.", "没有符合条件的审计记录。"),
    "admin.audit_count": ("{n} entries", "{n} 条记录"),
    # audit actions in words (the code stays beside them)
    "audit.action.import.load": ("Import loaded", "导入数据"),
    "audit.action.import.delete": ("Import deleted", "删除导入"),
    "audit.action.import.withdraw": ("Import withdrawn", "撤回导入"),
    "audit.action.import.restore": ("Import restored", "恢复导入"),
    "audit.action.import.purge": ("Import purged", "彻底清除导入"),
    "audit.action.edit.save": ("Register edited", "编辑登记表"),
    "audit.action.note.save": ("Note saved", "保存备注"),
    "audit.action.mapping.save": ("Mapping saved", "保存列映射"),
    "audit.action.mapping.delete": ("Mapping deleted", "删除列映射"),
    "audit.action.access.seed": ("Access file stored", "导入权限文件"),
    "audit.action.access.grant": ("Access granted or changed", "授予或修改权限"),
    "audit.action.access.revoke": ("Access removed", "移除权限"),
    "audit.action.settings.save": ("Organisation settings saved", "保存组织设置"),
    # audit column headers
    "admin.col.recorded_at": ("Recorded at", "记录时间"),
    "admin.col.actor": ("Who", "操作人"),
    "admin.col.action": ("Action", "操作"),
    "admin.col.target": ("Target", "对象"),
    "admin.col.details": ("Details", "详情"),
    "admin.col.kind": ("For", "对象类型"),
    "admin.col.subject": ("E-mail or group", "邮箱或组"),
    "admin.col.role": ("Role", "角色"),
    "admin.col.portfolios": ("Portfolios", "项目组合"),
    "admin.col.departments": ("Departments", "部门"),
    "admin.col.projects": ("Projects", "项目"),
    "admin.col.granted_at": ("Granted at", "授权时间"),
    "admin.col.granted_by": ("Granted by", "授权人"),
    "admin.col.imported_by": ("Imported by", "导入人"),
    "col.imported_by": ("Imported by", "导入人"),  # the Import page's history
    "admin.set.green_at": ("Index green at or above", "指数绿色下限"),
    "admin.set.red_below": ("Index red below", "指数红色上限"),
    "admin.set.exposure_green": ("Risk exposure / BAC green at or below", "风险敞口/BAC 绿色上限"),
    "admin.set.exposure_red": ("Risk exposure / BAC red above", "风险敞口/BAC 红色下限"),
    "admin.set.milestones_amber": ("Late milestones: amber at", "延误里程碑：黄色阈值"),
    "admin.set.milestones_red": ("Late milestones: red at", "延误里程碑：红色阈值"),
    "admin.set.quality_min": ("Schedule quality flagged below", "进度质量标记阈值"),
    "admin.set.period": ("Earned value period", "挣值周期"),
    "admin.set.ev_method": ("EV method", "挣值方法"),
    "admin.set.calendar": ("Calendar", "日历"),
    "admin.set.holidays": ("Holidays", "节假日"),
}
