"""Reporting tables for BI tools (issue 16 item 7): written after every import, withdrawal,
restore and settings change, read through the views ``reporting.v1_*`` exactly as a BI tool
connected to the database reads them, exported as Parquet. Expected values are computed by
hand from ``tests.helpers.template_bytes`` (arithmetic in the comments) or are the Portfolio
page's own view (``portfolio_view.build``) on the demo."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pmo_analytics import reporting
from pmo_analytics.cli import main
from pmo_analytics.store import CLI_ACTOR, Store, close_all
from tests.helpers import template_bytes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def reporting_on(monkeypatch):
    monkeypatch.setenv("PMO_REPORTING", "on")


def _import(path: Path, db: str, status: str, *extra: str) -> None:
    assert main(["import", str(path), "--db", db, "--status-date", status, *extra]) == 0
    close_all()


def _bi(db: str, view: str, order: str) -> list[dict]:
    """Rows of ``reporting.<view>`` through a separate read-only connection (a BI tool's)."""
    con = duckdb.connect(db, read_only=True)
    try:
        cur = con.execute(f'SELECT * FROM reporting."{view}" ORDER BY {order}')
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


@pytest.fixture
def two_dates(tmp_path):
    f = tmp_path / "portfolio.xlsx"
    f.write_bytes(template_bytes())
    db = str(tmp_path / "r.duckdb")
    _import(f, db, "2025-01-24")
    _import(f, db, "2025-01-31", "--force")  # the same file as a second status date
    return db


def test_every_import_writes_project_metrics_with_rag_reasons_and_currency(two_dates):
    rows = _bi(two_dates, "v1_project_metrics", "project_id, status_date")
    assert [(r["project_id"], r["status_date"].isoformat(), r["is_current"]) for r in rows] == [
        ("P1", "2025-01-24", False),
        ("P1", "2025-01-31", True),
        ("P2", "2025-01-24", False),
        ("P2", "2025-01-31", True),
    ]
    p1_24, p1_31, p2_24, _ = rows
    # P1: Design Jan 6-17 (budget 400, done, cost 500), Build Jan 20-31 (600, 50 %, cost 200).
    # Jan 24: PV 400 + 600 * 5/10 = 700, EV 400 + 300 = 700, AC 700: CPI 1, SPI 1 -> green
    assert (p1_24["pv"], p1_24["ev"], p1_24["ac"], p1_24["bac"]) == pytest.approx((700, 700, 700, 1000))
    assert p1_24["rag"] == "green" and p1_24["rag_reasons_en"] == "all within thresholds"
    assert p1_24["rag_reasons_zh"] == "各项均在阈值内" and p1_24["rag_zh"] == "绿"
    # Jan 31: PV 1000, EV still 700: SPI 0.7; weekly PV 200, 400, 700, 1000 -> ES 3, AT 4: SPI(t) 0.75 < 0.85
    assert (p1_31["pv"], p1_31["ev"], p1_31["cpi"], p1_31["spi"]) == pytest.approx((1000, 700, 1.0, 0.7))
    assert p1_31["spi_t"] == pytest.approx(0.75)
    assert (p1_31["rag"], p1_31["rag_en"], p1_31["schedule_rag"], p1_31["cost_rag"]) == ("red", "Red", "red", "green")
    assert json.loads(p1_31["rag_reasons"]) == [{"code": "spi_t_below", "value": 0.75, "threshold": 0.85}]
    assert p1_31["rag_reasons_en"] == "SPI(t) 0.75 < 0.85"
    # P2: Plan Jan 6-10 (2000, done, cost 1800): CPI 2000 / 1800
    assert p2_24["cpi"] == pytest.approx(2000 / 1800)
    assert {r["currency"] for r in rows} == {"CNY"}  # no currency column: PMO_DEFAULT_CURRENCY
    assert (p1_31["project_name"], p1_31["program"], p1_31["manager"], p1_31["closed"]) == (
        "Alpha",
        "Digital",
        "Ann",
        False,
    )


def test_portfolio_history_is_the_summed_roll_up_per_status_date(two_dates):
    rows = _bi(two_dates, "v1_portfolio_history", "status_date")
    assert [r["status_date"].isoformat() for r in rows] == ["2025-01-24", "2025-01-31"]
    # Jan 24: PV 700 + 2000, EV 700 + 2000, AC 700 + 1800, BAC 1000 + 2000; CPI 2700 / 2500
    jan24, jan31 = rows
    assert (jan24["pv"], jan24["ev"], jan24["ac"], jan24["bac"]) == pytest.approx((2700, 2700, 2500, 3000))
    assert jan24["cpi"] == pytest.approx(1.08) and (jan24["currency"], jan24["converted"]) == ("CNY", True)
    # Jan 31: PV 1000 + 2000, EV 700 + 2000: SPI 2700 / 3000
    assert jan31["spi"] == pytest.approx(0.9) and jan31["projects"] == 2


def test_withdraw_and_restore_move_the_reporting_tables_with_the_data(two_dates):
    s = Store(two_dates)
    latest = int(s.imports()["import_id"].max())
    before = reporting.stored_version(s)
    s.withdraw_import(latest, CLI_ACTOR)
    assert reporting.stored_version(s) != before
    close_all()
    rows = _bi(two_dates, "v1_project_metrics", "project_id, status_date")
    assert [(r["project_id"], r["status_date"].isoformat(), r["is_current"]) for r in rows] == [
        ("P1", "2025-01-24", True),
        ("P2", "2025-01-24", True),
    ]
    s = Store(two_dates)
    s.restore_import(latest, CLI_ACTOR)
    assert reporting.stored_version(s) == before  # the same data and settings: the same version
    close_all()
    assert len(_bi(two_dates, "v1_project_metrics", "project_id")) == 4


def test_the_organisations_settings_are_used_and_a_change_refreshes(two_dates):
    s = Store(two_dates)
    s.save_org_settings({"red_below": 0.7})  # SPI(t) 0.75 is now amber (0.7 <= 0.75 < 0.95)
    close_all()
    p1_31 = _bi(two_dates, "v1_project_metrics", "project_id, status_date")[1]
    assert (p1_31["rag"], p1_31["rag_reasons_en"]) == ("amber", "SPI(t) 0.75 < 0.95")
    meta = _bi(two_dates, "v1_refresh", "data_version")
    assert len(meta) == 1 and json.loads(meta[0]["settings"])["red_below"] == 0.7
    assert json.loads(meta[0]["row_counts"])["project_metrics"] == 4


def test_a_refresh_is_idempotent_and_an_overtaken_one_writes_nothing(two_dates):
    s = Store(two_dates)
    again = reporting.refresh(s)
    assert again.written is False and again.data_version == reporting.stored_version(s)
    stale = {"project_metrics": reporting.to_arrow("project_metrics", reporting.build(s)["project_metrics"].head(1))}
    assert s.replace_reporting(stale, expect_state="0.0.not-the-state") is False
    assert len(reporting.read(s, "project_metrics")) == 4  # untouched


def test_automatic_refresh_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv("PMO_REPORTING", "off")
    f = tmp_path / "portfolio.xlsx"
    f.write_bytes(template_bytes())
    db = str(tmp_path / "off.duckdb")
    _import(f, db, "2025-01-24")
    assert _bi(db, "v1_project_metrics", "project_id") == []
    assert main(["reporting", "--db", db]) == 0  # on demand
    close_all()
    assert len(_bi(db, "v1_project_metrics", "project_id")) == 2


def test_export_parquet_writes_the_same_tables(two_dates, tmp_path, capsys):
    out = tmp_path / "bi"
    assert main(["export", "--db", two_dates, "--parquet", str(out)]) == 0
    close_all()
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"v1_{n}.parquet" for n in reporting.TABLES)
    pm = pq.read_table(out / "v1_project_metrics.parquet")
    assert pm.column_names == [c.name for c in reporting.TABLES["project_metrics"]]
    assert pm.num_rows == 4 and str(pm.schema.field("status_date").type) == "date32[day]"
    assert sorted(pm.column("rag").to_pylist()) == ["green", "green", "green", "red"]
    ph = pq.read_table(out / "v1_portfolio_history.parquet").to_pylist()
    assert [r["pv"] for r in ph] == pytest.approx([2700, 3000])


def test_export_needs_a_target(tmp_path, capsys):
    assert main(["export", "--db", str(tmp_path / "x.duckdb")]) == 1
    assert "--parquet" in capsys.readouterr().err


def test_on_the_demo_the_current_rows_are_the_portfolio_pages(tmp_path):
    """The same code as the page: the current rows' RAG, reasons and indices equal what
    ``portfolio_view.build`` (the Portfolio page) computes for the same store and settings."""
    from pmo_analytics import demo, portfolio_view
    from pmo_analytics.frames import Selection, load_frames
    from pmo_analytics.health_text import with_words
    from pmo_analytics.settings import org_from_store

    s = Store(tmp_path / "demo.duckdb")
    demo.build_demo(s)
    settings = org_from_store(s)
    page = portfolio_view.build(load_frames(s, Selection(include_closed=True)), settings).table
    words = with_words(page, "en").set_index("project_id")
    page = page.set_index("project_id")
    pm = reporting.read(s, "project_metrics")
    cur = pm[pm["is_current"]].set_index("project_id")
    assert sorted(cur.index) == sorted(page.index) and len(cur) == 12
    for pid in page.index:
        assert (cur.at[pid, "rag"] or "") == page.at[pid, "rag"], pid
        assert cur.at[pid, "rag_reasons_en"] == words.at[pid, "rag_reasons"], pid
        assert cur.at[pid, "cpi"] == pytest.approx(page.at[pid, "cpi"], nan_ok=True), pid
        assert cur.at[pid, "currency"] == page.at[pid, "currency"], pid
    # the demo's worst project (README, attention order): red on schedule, milestones and risk
    assert cur.at["PRJ-111", "rag"] == "red"


def test_every_column_is_documented():
    text = (ROOT / "docs" / "REPORTING.md").read_text(encoding="utf-8")
    for name, cols in reporting.TABLES.items():
        section = re.search(rf"^## `reporting\.v1_{name}`$(.*?)(?=^## |\Z)", text, re.S | re.M)
        assert section, name
        documented = set(re.findall(r"^\| `([a-z_0-9]+)` \|", section.group(1), re.M))
        assert documented == {c.name for c in cols}, name
