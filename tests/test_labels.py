"""One label function for column headers: pages (``ui.label``), exports (``export.column_label``),
the report workbook and the weekly report all name a column the same way."""

from __future__ import annotations

import re

import pytest

from pmo_analytics import export, i18n, labels, ui
from pmo_analytics.schema import TABLES

CJK = re.compile(r"[\u4e00-\u9fff]")


def _columns() -> list[str]:
    names = {c.name for t in TABLES.values() for c in t.columns}  # canonical columns
    names |= {k[4:] for k in i18n.catalog() if k.startswith("col.")}  # metric glossary
    names |= {k[11:] for k in i18n.catalog() if k.startswith("export.col.")}
    names |= set(export.METRIC_KINDS)
    return sorted(names)


COLUMNS = _columns()


def test_the_column_list_is_not_empty():
    assert len(COLUMNS) > 150, len(COLUMNS)


@pytest.mark.parametrize("column", COLUMNS)
def test_one_label_per_language_and_ui_equals_export(column):
    en, zh = labels.label(column, "en"), labels.label(column, "zh")
    assert en.strip() and zh.strip()
    assert CJK.search(zh), f"{column}: the Chinese header {zh!r} has no Chinese"
    for lang, text in (("en", en), ("zh", zh)):
        assert ui.label(column, lang) == text
        assert export.column_label(column, lang) == text
        for table in TABLES:
            assert ui.label(column, lang, table) == export.column_label(column, lang, table)


def test_the_sixteen_columns_that_disagreed_now_agree():
    # ui.label skipped export.col.* and fell back to the raw name for these (e.g. "bei", "passed")
    assert ui.label("bei", "en") == export.column_label("bei", "en") == "BEI"
    assert ui.label("passed", "zh") == export.column_label("passed", "zh") == "是否通过"
    assert ui.label("offending_tasks", "en") == "Tasks to fix"


def test_a_column_whose_meaning_depends_on_the_table_is_named_per_table():
    amb = labels.ambiguous_columns()
    assert {"title", "start", "finish", "due_date", "type"} <= set(amb)
    assert labels.label("title", "en", "work_items") == "Title"  # a work item's title is not a "Risk"
    assert labels.label("title", "en", "risks") == "Risk"
    assert labels.label("title", "zh", "work_items") == "概要"
    for column, per_table in amb.items():
        for table, (en, zh) in per_table.items():
            assert labels.label(column, "en", table) == en and labels.label(column, "zh", table) == zh


def test_readable_and_label_columns_agree():
    import pandas as pd

    df = pd.DataFrame(columns=["project_id", "title", "bei", "cpi"])
    shown = ui.readable(df, "zh", "work_items")
    labelled, _ = export.label_columns(df, "zh", "work_items")
    assert list(shown.columns) == list(labelled.columns)
    assert list(shown.columns)[1] == "概要"
