"""The import template: the blank workbook round-trips through the parser, matches the committed
files, and every column is described with an example; the shared workbook writer and headers."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest

from pmo_analytics import template
from pmo_analytics.ingest import parse_bytes
from pmo_analytics.schema import TABLES, match_headers


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_template_workbook_round_trips(lang):
    data = template.template_workbook_bytes(lang)
    name = "pmo_template.xlsx" if lang == "en" else "pmo_template_zh.xlsx"
    parsed = parse_bytes(name, data)
    assert parsed.source_format == "template" and parsed.confidence == 1.0
    assert parsed.problems == [] and parsed.notes == [] and parsed.rows_in == 0
    # every table but the calendars a schedule file brings (weekly hours and exceptions as JSON,
    # nothing a person types into a workbook)
    assert set(parsed.tables) == set(TABLES) - {"calendars"} and all(len(f) == 0 for f in parsed.tables.values())
    assert (template.TEMPLATE_DIR / name).read_bytes() == data, (
        "data/template is stale: run python -m pmo_analytics.template"
    )

    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = wb.sheet_names
    in_template = [t for t in TABLES.values() if t.name in template.SHEET_ORDER]  # not: calendars
    expected = [t.sheet_zh if lang == "zh" else t.sheet_en for t in in_template]
    assert sorted(sheets[1:]) == sorted(expected)
    assert sheets[0] == ("说明" if lang == "zh" else "README")
    for t in in_template:
        headers = wb.get_sheet_by_name(t.sheet_zh if lang == "zh" else t.sheet_en).to_python()[0]
        assert match_headers(t.name, headers) == dict(zip(headers, t.column_names, strict=True))
        if lang == "zh":
            assert all(re.search(r"[\u4e00-\u9fff]|WBS", h) for h in headers), headers
    readme = wb.get_sheet_by_name(sheets[0]).to_python()
    described = {(r[0], r[1]) for r in readme if len(r) > 4 and r[1]}
    n_columns = sum(len(t.columns) for t in in_template)
    assert len(described) == n_columns + 1  # every column, plus the table header row
    assert all(r[4] for r in readme[4:] if len(r) > 4 and r[1] and r[0] not in ("Sheet", "工作表")), (
        "an example is missing"
    )


def test_sheet_headers_read_back_as_their_columns():
    for table in TABLES:
        for lang in ("en", "zh"):
            headers = template.sheet_headers(table, lang)
            assert match_headers(table, headers) == dict(zip(headers, TABLES[table].column_names, strict=True))
    # "Project" is an alias of Project ID, so the Projects name column is written with another header
    assert template.sheet_headers("projects")[TABLES["projects"].column_names.index("name")] != "Project"


def test_workbook_bytes_writes_rows_that_parse_back():
    rows = {
        "projects": [{"project_id": "P1", "name": "Alpha", "bac": 1200.5, "start": date(2026, 3, 2)}],
        "links": [{"project_id": "P1", "pred_task_id": "1", "succ_task_id": "2", "type": "FS", "lag_days": 2}],
    }
    data = template.workbook_bytes(rows)
    assert data == template.workbook_bytes(rows)  # reproducible bytes (fixed workbook properties)
    parsed = parse_bytes("p.xlsx", data)
    assert parsed.source_format == "template" and parsed.problems == []
    p = parsed.tables["projects"]
    assert p["project_id"].tolist() == ["P1"] and p["name"].tolist() == ["Alpha"] and p["bac"].tolist() == [1200.5]
    assert str(p["start"].iloc[0])[:10] == "2026-03-02"
    assert parsed.tables["links"]["lag_days"].tolist() == [2.0]
