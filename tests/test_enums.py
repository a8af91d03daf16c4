"""Enumerated values in the UI language at the edge (``pmo_analytics.enums``)."""

from __future__ import annotations

import pandas as pd

from pmo_analytics import enums


def test_known_values_in_chinese_any_spelling():
    assert enums.enum_word("Active", "status", "zh") == "进行中"
    assert enums.enum_word("on-hold", "status", "zh") == "暂停"
    assert enums.enum_word("ON HOLD", "status", "zh") == "暂停"
    assert enums.enum_word(" In Progress ", "status_category", "zh") == "进行中"
    assert enums.enum_word("Closed", "status", "zh") == "已关闭"
    assert enums.enum_word("Open", "status", "zh") == "未关闭"
    assert enums.enum_word("threat", "kind", "zh") == "威胁"
    assert enums.enum_word("opportunity", "kind", "zh") == "机会"
    assert enums.enum_word("High", "priority", "zh") == "高"
    assert enums.enum_word("medium", "band", "zh") == "中"
    assert enums.enum_word("Critical", "severity", "zh") == "严重"
    assert enums.enum_word("Execution", "stage", "zh") == "执行"


def test_english_unknown_and_missing_values_stay():
    assert enums.enum_word("Active", "status", "en") == "Active"
    assert enums.enum_word("Parked by PMO", "status", "zh") == "Parked by PMO"  # a team's own word
    assert enums.enum_word("进行中", "status", "zh") == "进行中"
    assert enums.enum_word("High", "name", "zh") == "High"  # not an enumerated column
    assert enums.enum_word(None, "status", "zh") == ""


def test_frame_words_change_only_enumerated_text_columns():
    df = pd.DataFrame(
        {
            "risk_id": ["R1", "R2", "R3"],
            "title": ["Open office", "High load", "x"],
            "status": ["Open", None, "Closed"],
            "kind": ["threat", "opportunity", "threat"],
            "priority": [1, 2, 3],  # numeric: left alone
        }
    )
    zh = enums.words(df, "zh")
    assert zh["status"].tolist()[0::2] == ["未关闭", "已关闭"] and zh["status"].isna().tolist()[1]
    assert zh["kind"].tolist() == ["威胁", "机会", "威胁"]
    assert zh["title"].tolist() == df["title"].tolist() and zh["priority"].tolist() == [1, 2, 3]
    assert df["status"].tolist()[0] == "Open"  # the input is not changed
    assert enums.words(df, "en") is df
