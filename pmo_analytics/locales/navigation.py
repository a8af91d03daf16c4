"""Menu section titles (``pmo_analytics.navigation``)."""

STRINGS = {
    "nav.overview": ("Overview", "概览"),
    "nav.schedule": ("Schedule", "进度"),
    "nav.cost": ("Cost", "成本"),
    "nav.risk_people": ("Risk & people", "风险与人员"),
    "nav.reports": ("Reports", "报告"),
    "nav.data": ("Data", "数据"),
}

# Chinese-session help where Streamlit's own widget text cannot be translated (README,
# "Streamlit's own words"); beside the navigation strings as the language-completeness work.
STRINGS |= {
    "import.upload_help": (
        "Drag files onto the box or click Browse files. Excel (.xlsx, .xlsm), CSV/TSV/TXT, XML and "
        "JSON; at most {mb} MB per file.",
        "将文件拖到框内，或点击“Browse files”（浏览文件）选择。支持 Excel（.xlsx、.xlsm）、CSV/TSV/TXT、"
        "XML 和 JSON；每个文件最大 {mb} MB。",
    ),
}
