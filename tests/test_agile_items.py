"""The work-item list of the Burn page: latest snapshot, labels, due dates, checklist progress,
overdue items first. Expected values worked out by hand from the rows below."""

from __future__ import annotations

import pandas as pd
import pytest

from pmo_analytics.metrics.agile import cacheable, work_item_list


def _items() -> pd.DataFrame:
    rows = [
        # snapshot 2026-10-31 (latest)
        ("A", "K-1", "Login", "In Progress", None, ["ui", "auth"], "2026-10-20", 0.5, "2026-10-31"),
        ("A", "K-2", "Export", "To Do", None, None, "2026-10-30", None, "2026-10-31"),
        ("A", "K-3", "Docs", "Done", "Done", ("docs",), "2026-10-01", 1.0, "2026-10-31"),
        ("A", "K-4", "Search", "To Do", None, None, "2026-11-15", None, "2026-10-31"),
        ("A", "K-5", "Help", "To Do", None, None, None, None, "2026-10-31"),
        ("B", "X-1", "Other project", "To Do", None, None, "2026-01-01", None, "2026-10-31"),
        # an earlier snapshot of A
        ("A", "K-1", "Login", "To Do", None, ["ui"], "2026-10-20", 0.0, "2026-09-30"),
    ]
    cols = ["project_id", "key", "title", "status", "status_category", "labels", "due_date", "progress", "status_date"]
    df = pd.DataFrame(rows, columns=cols)
    df["due_date"] = pd.to_datetime(df["due_date"])
    df["status_date"] = pd.to_datetime(df["status_date"])
    return df


def test_latest_snapshot_overdue_first():
    out = work_item_list(_items(), "A")
    # status date 2026-10-31: K-1 due 10-20 (11 days late), K-2 due 10-30 (1 day late);
    # K-3 is Done (never overdue), K-4 due in November, K-5 has no due date (last)
    assert out["key"].tolist() == ["K-1", "K-2", "K-3", "K-4", "K-5"]
    assert out["overdue"].tolist() == [True, True, False, False, False]
    assert out["days_overdue"].tolist()[:2] == [11, 1]
    assert out["days_overdue"].isna().tolist() == [False, False, True, True, True]
    assert out.loc[0, "labels"] == "ui; auth" and out.loc[2, "labels"] == "docs" and pd.isna(out.loc[1, "labels"])
    assert out.loc[0, "progress"] == pytest.approx(0.5)
    assert out.loc[0, "status_category"] == "In Progress"


def test_earlier_snapshot_and_empty_cases():
    out = work_item_list(_items(), "A", as_of="2026-10-15")
    # the 2026-09-30 snapshot: K-1 due 10-20 is not yet overdue on 09-30
    assert out["key"].tolist() == ["K-1"] and out["overdue"].tolist() == [False]
    assert out.loc[0, "labels"] == "ui"
    assert work_item_list(_items(), "A", as_of="2026-01-01").empty
    assert work_item_list(_items(), "NOPE").empty
    assert work_item_list(pd.DataFrame(), "A").empty


def test_cacheable_makes_label_lists_hashable():
    df = cacheable(_items())
    assert df.loc[0, "labels"] == ("ui", "auth") and df.loc[1, "labels"] is None
    pd.util.hash_pandas_object(df[["labels"]])  # hashable: no TypeError


def test_burn_page_work_items_tab(app_db):
    """A Trello board imported with status date 2024-02-15: 'Login screen' (Doing, due
    2024-02-01, 2 of 3 checklist items) is 14 days overdue; 'Release notes' (due 2024-03-01,
    due date ticked complete) is not."""
    from datetime import date
    from pathlib import Path

    from pmo_analytics import i18n
    from pmo_analytics.ingest import parse_path
    from pmo_analytics.store import Store, close_all
    from tests.conftest import run_app
    from tests.helpers import plain

    data = Path(__file__).resolve().parent / "data" / "trello_board.json"
    Store().import_parsed(parse_path(data), date(2024, 2, 15))
    close_all()
    at = run_app("60_burn.py", timeout=120)
    frame = next(plain(d.value) for d in at.dataframe if i18n.t("col.days_overdue") in d.value.columns)
    assert frame["Key"].tolist()[0] == "1"
    first = frame.iloc[0]
    assert first["Summary"] == "Login screen" and first[i18n.t("col.days_overdue")] == 14
    assert first["Labels"] == "Feature" and first["Progress"] == pytest.approx(2 / 3)
    # headed as the work_items table names its due date ("Due" is the risks table's label)
    assert pd.Timestamp(first["Due date"]) == pd.Timestamp("2024-02-01")
    assert (frame[i18n.t("col.overdue")] == "yes").sum() == 1
    assert i18n.t("burn.items_overdue", n=1, total=len(frame)) in [c.value for c in at.caption]
