"""Column labels that had none (found by tests/test_labels.py: every canonical and glossary
column has one header per language)."""

STRINGS = {
    "col.eac": ("EAC", "完工估算 EAC"),
    "col.exposure": ("Exposure", "风险敞口"),
    "col.wbs": ("WBS", "WBS 编码"),
}
STRINGS.update(
    {
        # the validation report (rejected rows) and its downloads
        "col.file": ("File", "文件"),
        "col.sheet": ("Sheet", "工作表"),
        "col.row": ("Row", "行号"),
        "col.column": ("Column", "列"),
        "col.problem": ("Problem", "问题"),
        "col.severity": ("Severity", "级别"),
    }
)
