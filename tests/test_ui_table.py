"""ui.table on big tables: no Styler above ``STYLER_MAX_ROWS`` (it costs seconds per rerun at
5,000 rows), the number and date formats carried by column_config instead."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from pmo_analytics.ui import STYLER_MAX_ROWS, _column_format


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("{:,.0f}", "%,.0f"),
        ("{:.2f}", "%.2f"),
        ("{:+.1f}", "%+.1f"),
        ("{:.0%}", "percent"),
        ("{:.1%}", "percent"),
        ("{:,}", None),
        ("{:%Y-%m-%d}", None),
        (None, None),
    ],
)
def test_styler_formats_as_column_formats(spec, expected):
    assert _column_format(spec) == expected


def _script(n: int) -> None:
    import pandas as pd

    from pmo_analytics import ui

    df = pd.DataFrame(
        {
            "project_id": [f"P{i}" for i in range(n)],
            "bac": [1234.5 + i for i in range(n)],
            "cpi": [0.9] * n,
            "start": pd.to_datetime(["2026-01-05"] * n),
        }
    )
    ui.table(df, "big", formats={"bac": "{:,.0f}", "cpi": "{:.2f}"}, rag={"cpi": ui.settings().rag}, downloads=False)


@pytest.mark.parametrize("n", [10, STYLER_MAX_ROWS + 1])
def test_big_tables_keep_formats_without_a_styler(n, tmp_path, monkeypatch):
    monkeypatch.setenv("PMO_DB", str(tmp_path / "t.duckdb"))
    at = AppTest.from_function(_script, args=(n,), default_timeout=60).run()
    assert not at.exception
    df = at.dataframe[0]
    assert len(df.value) == n
    config = json.loads(df.proto.columns or "{}")
    amber = "#fff3cd" in str(df.proto)  # CPI 0.9: amber (0.85 <= 0.9 < 0.95), a Styler cell style
    if n > STYLER_MAX_ROWS:
        assert not amber  # no Styler
        assert config["BAC"]["type_config"]["format"] == "%,.0f"
        assert config["CPI"]["type_config"]["format"] == "%.2f"
        assert config["Start"]["type_config"]["format"] == "YYYY-MM-DD"
    else:
        assert amber and "BAC" not in config  # small table: the Styler formats and colours
