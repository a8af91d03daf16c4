"""Import strings: the name of each recognised format (``format.<NAME>``, shown as
"Detected: Jira CSV, 97%") and the column-mapping editor (``mapping.*``)."""

STRINGS = {
    # format names (ingest.formats.*.NAME)
    "format.template": ("PMO template", "PMO 模板"),
    "format.jira_csv": ("Jira CSV", "Jira CSV"),
    "format.jira_xml": ("Jira XML", "Jira XML"),
    "format.msproject_excel": ("MS Project Excel export", "MS Project 导出的 Excel"),
    "format.msproject_xml": ("MS Project XML", "MS Project XML"),
    "format.trello_json": ("Trello board (JSON)", "Trello 看板（JSON）"),
    "format.asana_csv": ("Asana CSV", "Asana CSV"),
    "format.smartsheet": ("Smartsheet project sheet", "Smartsheet 项目表"),
    "format.risk_register": ("Risk register", "风险登记册"),
    "format.finance_periods": ("Finance periods (PV/EV/AC)", "财务期间（PV/EV/AC）"),
    "format.profile": ("Saved column mapping", "已保存的列映射"),
    # column-mapping editor
    "mapping.title": ("Map the columns", "映射列"),
    "mapping.intro": (
        "This file's layout was not recognised. Choose what each column means; required columns are marked.",
        "未能识别此文件的格式。请为每一列选择含义；必填列已标出。",
    ),
    "mapping.table": ("Load as", "导入为"),
    "mapping.sheet": ("Sheet", "工作表"),
    "mapping.column": ("Column", "字段"),
    "mapping.header": ("Header in the file", "文件中的表头"),
    "mapping.none": ("(not in the file)", "（文件中没有）"),
    "mapping.required": ("required", "必填"),
    "mapping.samples": ("Sample values", "示例值"),
    "mapping.score": ("Match", "匹配度"),
    "mapping.reason": ("Why", "依据"),
    "mapping.reason.same_name": ("same name", "名称相同"),
    "mapping.reason.same_meaning": ("same meaning", "含义相同"),
    "mapping.reason.similar": ("similar name", "名称相近"),
    "mapping.reason.none": ("no similar header", "没有相近的表头"),
    "mapping.missing_required": ("Choose a header for: {cols}", "请为以下字段选择表头：{cols}"),
    "mapping.apply": ("Read the file with this mapping", "按此映射读取文件"),
    "mapping.profile_name": ("Save as profile (name)", "保存为映射方案（名称）"),
    "mapping.save": ("Save the mapping", "保存映射"),
    "mapping.saved": (
        "Mapping saved as “{name}”: files with the same headers will be read with it automatically.",
        "映射已保存为“{name}”：表头相同的文件将自动按此映射读取。",
    ),
    "mapping.auto": ("Read with the saved mapping “{name}”.", "已按保存的映射“{name}”读取。"),
    "mapping.profiles": ("Saved mappings", "已保存的映射"),
    "mapping.delete": ("Delete mapping", "删除映射"),
    "mapping.deleted": ("Mapping “{name}” deleted.", "已删除映射“{name}”。"),
}
