"""One portfolio truth on a generated multi-currency portfolio (tests/test_fx.py's 40 projects in
CNY, USD, EUR and HKD, reporting currency CNY), with G005 closed: every surface (Portfolio page
and Status report in AppTest, report workbook read back with openpyxl, ``metrics --json``,
``report --out FILE.json``) shows the same RAG and reasons per project and the same converted
totals, equal to the plain-Python oracle of test_fx; the closed project is left out everywhere by
default and included everywhere with the toggle."""

from __future__ import annotations

import contextlib
import io
import json
import re

import openpyxl
import pytest

from pmo_analytics import cli
from pmo_analytics.report_workbook import report_from_store
from pmo_analytics.settings import Settings
from pmo_analytics.store import Store, close_all
from pmo_analytics.ui import F_INCLUDE_CLOSED
from tests.conftest import run_app
from tests.helpers import plain
from tests.test_fx import GEN_DATES, _expected, _generated_store
from tests.test_health_surfaces import WORD

CLOSED = "G005"
LAST = GEN_DATES[-1]


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    db = tmp_path_factory.mktemp("surfaces_fx") / "gen.duckdb"
    by_ccy, rows = _generated_store(db, closed=(CLOSED,))
    return db, by_ccy, rows


def _oracle(gen, include_closed: bool) -> dict[str, float]:
    """Converted BAC/EV/AC at the last date, the closed project kept or left out."""
    _, by_ccy, rows = gen
    keep = {d: df if include_closed else df[df["project_id"] != CLOSED] for d, df in rows.items()}
    return _expected(by_ccy, keep, LAST)


def _cli(gen, tmp_path, include_closed: bool) -> tuple[dict, dict]:
    db = str(gen[0])
    flag = ["--include-closed"] if include_closed else []
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
        assert cli.main(["metrics", "--db", db, "--json", *flag]) == 0
    metrics = json.loads(buf.getvalue())
    out = tmp_path / f"weekly{len(flag)}.json"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert cli.main(["report", "--db", db, "--out", str(out), *flag]) == 0
    close_all()
    return metrics, json.loads(out.read_text(encoding="utf-8"))


def _help_amount(at, label: str) -> float:
    """The full amount a Portfolio tile's help carries: "CNY 57,848,372 · Change since ..."."""
    m = next(m for m in at.metric if m.label == label)
    match = re.match(r"CNY ([\d,.-]+) ·", m.help)
    assert match, m.help
    return float(match[1].replace(",", ""))


@pytest.mark.parametrize("include_closed", [False, True], ids=["closed_left_out", "closed_included"])
def test_generated_portfolio_agrees_on_every_surface(gen, tmp_path, monkeypatch, include_closed):
    db = gen[0]
    metrics, report = _cli(gen, tmp_path, include_closed)
    latest = {r["project_id"]: r for r in metrics["projects"] if r["status_date"] == LAST.isoformat()}
    cli_rag = {p: r["rag"] for p, r in latest.items()}
    cli_why = {p: r["rag_reasons"] for p, r in latest.items()}

    monkeypatch.setenv("PMO_DB", str(db))
    state = {F_INCLUDE_CLOSED: include_closed}
    try:
        at = run_app(timeout=120, session_state=state)
        table = next(plain(d.value) for d in at.dataframe if "Why" in d.value.columns and "BAC" in d.value.columns)
        portfolio = dict(zip(table["Project ID"], table["RAG"].map(WORD), strict=True))
        portfolio_why = dict(zip(table["Project ID"], table["Why"], strict=True))
        tiles = {k: _help_amount(at, label) for k, label in (("bac", "BAC"), ("ev", "EV"), ("ac", "AC"))}
        at = run_app("85_status_report.py", timeout=120, session_state=state)
        overview = next(
            plain(d.value) for d in at.dataframe if "Why" in d.value.columns and "Reported on" in d.value.columns
        )
        status = dict(zip(overview["Project ID"], overview["RAG"].map(WORD), strict=True))
        status_why = dict(zip(overview["Project ID"], overview["Why"], strict=True))
    finally:
        close_all()

    wb = openpyxl.load_workbook(
        io.BytesIO(report_from_store(Store(db), settings=Settings(), include_closed=include_closed)), read_only=True
    )
    rows = list(wb["Projects"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "Project ID")
    rag_col = rows[head].index("RAG")
    workbook = {r[0]: WORD[r[rag_col]] for r in rows[head + 1 :] if r and r[0]}
    summary = {r[0]: r[1] for r in wb.worksheets[0].iter_rows(max_col=2, values_only=True) if r and r[0]}
    close_all()

    # (c) the closed project: left out by default, included with the toggle, on every surface
    n = 40 if include_closed else 39
    for surface in (cli_rag, portfolio, status, workbook, {p["project_id"]: 1 for p in report["projects"]}):
        assert len(surface) == n and (CLOSED in surface) == include_closed

    # (a) one RAG and one set of reasons per project
    assert set(cli_rag.values()) <= {"red", "amber", "green"}
    assert portfolio == cli_rag
    assert status == cli_rag
    assert workbook == cli_rag
    assert {p["project_id"]: p["rag"] for p in report["projects"]} == cli_rag
    assert {p["project_id"]: p["rag_reasons"] for p in report["projects"]} == cli_why
    why = {p["project_id"]: p["why"] for p in report["projects"]}  # the reasons in words, English
    assert portfolio_why == why
    assert status_why == why

    # (b) converted totals at the last date (reporting currency CNY), against the oracle
    exp = _oracle(gen, include_closed)
    port = next(r for r in metrics["portfolio"] if r["status_date"] == LAST.isoformat())
    assert port["currency"] == "CNY"
    assert (port["bac"], port["ev"], port["ac"]) == pytest.approx((exp["bac"], exp["ev"], exp["ac"]))
    # the tile help shows whole units: within half a unit of the oracle
    assert (tiles["bac"], tiles["ev"], tiles["ac"]) == pytest.approx((exp["bac"], exp["ev"], exp["ac"]), abs=0.5)
    assert summary["Budget at completion (BAC)"] == pytest.approx(exp["bac"])
    assert summary["Earned value (EV)"] == pytest.approx(exp["ev"])
    assert summary["Actual cost (AC)"] == pytest.approx(exp["ac"])
    assert report["portfolio"]["currency"] == "CNY"
    jt = report["portfolio"]["totals"]
    assert (jt["bac"], jt["ev"], jt["ac"]) == pytest.approx((exp["bac"], exp["ev"], exp["ac"]))
    assert jt["pv"] == pytest.approx(port["pv"])
    # the weekly JSON carries EAC = BAC * AC / EV and VAC = BAC - EAC over the converted sums
    pm = report["portfolio"]["metrics"]
    assert pm["eac_cpi"]["current"] == pytest.approx(exp["bac"] * exp["ac"] / exp["ev"])
    assert pm["vac"]["current"] == pytest.approx(exp["bac"] - exp["bac"] * exp["ac"] / exp["ev"])
    assert pm["cpi"]["current"] == pytest.approx(exp["ev"] / exp["ac"])
