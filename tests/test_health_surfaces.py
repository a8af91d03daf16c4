"""One health decision on every surface: for every demo project the overall RAG on the
Portfolio page (AppTest), the Status report (AppTest), the report workbook (read back with
openpyxl), ``metrics --json`` and ``report --out FILE.json`` (CLI) is the same, and it is the
engine's (metrics.health)."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from pmo_analytics import cli
from pmo_analytics.demo import build_demo
from pmo_analytics.report_workbook import report_from_store
from pmo_analytics.settings import Settings
from pmo_analytics.store import Store, close_all
from tests.conftest import run_app
from tests.helpers import plain

WORD = {"Red": "red", "Amber": "amber", "Green": "green", "": "", None: ""}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("surfaces") / "demo.duckdb"
    build_demo(Store(db))
    close_all()
    return db


@pytest.fixture(scope="module")
def cli_rags(demo_db, tmp_path_factory):
    """{project: rag} from metrics --json (each project's latest status date) and from the
    JSON weekly report."""
    import contextlib

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert cli.main(["metrics", "--db", str(demo_db), "--json"]) == 0
    data = json.loads(buf.getvalue())
    latest: dict[str, dict] = {}
    for row in data["projects"]:
        if row["project_id"] not in latest or row["status_date"] > latest[row["project_id"]]["status_date"]:
            latest[row["project_id"]] = row
    out = tmp_path_factory.mktemp("report") / "weekly.json"
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["report", "--db", str(demo_db), "--out", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    close_all()
    return latest, report


def test_cli_rows_carry_rag_and_reasons(cli_rags):
    latest, _ = cli_rags
    assert len(latest) == 11  # the demo's 12 projects less PRJ-108, closed (counted apart)
    for row in latest.values():
        assert row["rag"] in ("red", "amber", "green", "")
        assert all(set(r) == {"code", "value", "threshold"} for r in row["rag_reasons"])
        # a colour other than green always says why; green never carries a reason
        assert bool(row["rag_reasons"]) == (row["rag"] != "green")


def test_every_surface_shows_the_same_rag(demo_db, cli_rags, monkeypatch):
    latest, report = cli_rags
    cli_rag = {p: r["rag"] for p, r in latest.items()}
    json_rag = {p["project_id"]: p["rag"] for p in report["projects"]}

    monkeypatch.setenv("PMO_DB", str(demo_db))
    try:
        at = run_app(timeout=180)
        table = next(plain(d.value) for d in at.dataframe if "Why" in d.value.columns and "BAC" in d.value.columns)
        portfolio = {p: WORD[w] for p, w in zip(table["Project ID"], table["RAG"], strict=True)}
        counts = {m.label: int(m.value) for m in at.metric if m.label.endswith("projects") and m.label != "Projects"}
        heat = next(plain(d.value) for d in at.dataframe if "Schedule quality" in d.value.columns)
        heatmap = {p: WORD[w] for p, w in zip(heat["Project ID"], heat["RAG"], strict=True)}

        at = run_app("85_status_report.py", timeout=180)
        overview = next(
            plain(d.value) for d in at.dataframe if "Why" in d.value.columns and "Reported on" in d.value.columns
        )
        status = {p: WORD[w] for p, w in zip(overview["Project ID"], overview["RAG"], strict=True)}
    finally:
        close_all()

    wb = openpyxl.load_workbook(io.BytesIO(report_from_store(Store(demo_db), settings=Settings())), read_only=True)
    rows = list(wb["Projects"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "Project ID")
    rag_col = rows[head].index("RAG")
    workbook = {r[0]: WORD[r[rag_col]] for r in rows[head + 1 :] if r and r[0]}
    close_all()

    assert len(cli_rag) == 11 and "PRJ-108" not in cli_rag  # closed: left out of current totals
    assert portfolio == cli_rag
    assert heatmap == cli_rag
    assert status == cli_rag
    assert workbook == cli_rag
    assert json_rag == cli_rag
    # the tiles count the same decision
    assert counts == {
        "Red projects": list(cli_rag.values()).count("red"),
        "Amber projects": list(cli_rag.values()).count("amber"),
        "Green projects": list(cli_rag.values()).count("green"),
    }
    # the portfolio's counts in the JSON report agree too
    assert report["portfolio"]["counts"]["red"] == list(cli_rag.values()).count("red")


def test_report_json_structure(cli_rags):
    """The structure docs/REPORT_JSON.md documents: keys, types, codes only where codes go."""
    _, report = cli_rags
    assert set(report) == {
        "report",
        "status_date",
        "previous_date",
        "lang",
        "thresholds",
        "portfolio",
        "projects",
        "milestones",
        "risks",
        "notes",
    }
    assert (report["report"], report["status_date"], report["previous_date"]) == ("weekly", "2026-10-31", "2026-09-30")
    assert report["thresholds"] == {
        "green_at": 0.95,
        "red_below": 0.85,
        "exposure_green": 0.05,
        "exposure_red": 0.1,
        "milestones_amber": 1,
        "milestones_red": 3,
        "quality_min": 70.0,
        "period": "W",
    }
    pf = report["portfolio"]
    assert set(pf) == {"rag", "rag_reasons", "why", "counts", "metrics", "currency", "totals"}
    assert set(pf["metrics"]) == {"cpi", "spi", "spi_t", "eac_cpi", "vac", "risk_exposure"}
    # money carries its currency (the demo converts into CNY); ratios carry none
    assert pf["currency"] == pf["metrics"]["eac_cpi"]["currency"] == "CNY" and pf["metrics"]["cpi"]["currency"] is None
    assert set(pf["totals"]) == {"bac", "pv", "ev", "ac"}
    assert sum(pf["counts"].values()) == len(report["projects"]) == 11
    codes = {
        "cpi_below",
        "spi_t_below",
        "spi_below",
        "milestones_slipped",
        "exposure_above",
        "cpi_missing",
        "schedule_missing",
        "exposure_missing",
    }
    for p in report["projects"]:
        assert {"project_id", "rag", "rag_reasons", "flags", "why", "metrics", "reported_on"} <= set(p)
        assert p["rag"] in ("red", "amber", "green", "")
        assert {r["code"] for r in p["rag_reasons"]} <= codes
        assert {f["code"] for f in p["flags"]} <= {"quality_below", "stale"}
        for r in p["rag_reasons"] + p["flags"]:
            assert set(r) == {"code", "value", "threshold"}
        assert isinstance(p["why"], str) and p["why"]
    assert set(report["milestones"]) == {"completed", "due", "slipped"}
    assert set(report["risks"]) == {"new", "top", "portfolio_top"}
    # same reasons as metrics --json for each project's latest row
    latest, _ = cli_rags
    for p in report["projects"]:
        assert p["rag_reasons"] == latest[p["project_id"]]["rag_reasons"]
