"""Issue 16 items 5 and 7 on a real PostgreSQL (tests/pg.py): copy-store both ways, the
reporting tables and views on PostgreSQL (the same rows as on the DuckDB file), and the
read-only BI role: the views and nothing else, narrowed to its reach in the database."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import pytest

from pmo_analytics import reporting
from pmo_analytics.access import Reach
from pmo_analytics.cli import main
from pmo_analytics.ingest import parse_bytes
from pmo_analytics.store import Store, close_all
from tests.helpers import template_bytes
from tests.test_copy_store import fill


def _as(url: str, user: str) -> str:
    p = urlsplit(url)
    return urlunsplit(p._replace(netloc=f"{user}@{p.hostname}:{p.port}"))


def _rows(url: str, sql: str) -> list[tuple]:
    import adbc_driver_postgresql.dbapi as adbc

    with adbc.connect(url, autocommit=True) as con, con.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def test_copy_store_from_duckdb_to_postgresql_and_back(tmp_path, pg_url, capsys):
    src = Store(tmp_path / "source.duckdb")
    fill(src, tmp_path)
    counts = src.stored_counts()
    close_all()
    assert main(["copy-store", "--from", src.path, "--to", pg_url]) == 0
    assert "rows per table agree" in capsys.readouterr().out
    pg = Store(pg_url)
    assert pg.stored_counts() == counts
    assert pg.imports()["withdrawn_at"].notna().sum() == 1
    for table in ("projects", "tasks"):
        a, b = Store(src.path).table(table, current=False), pg.table(table, current=False)
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert pg.notes(projects=["P1"])["note"].tolist() == ["Vendor late; 供应商延迟"]
    assert pg.grants() == Store(src.path).grants() and pg.org_settings() == {"ev_method": "50/50"}
    # the next import on PostgreSQL continues the numbers
    nxt = pg.import_parsed(parse_bytes("again.xlsx", template_bytes()), date(2025, 2, 7))
    assert nxt.import_id == 4
    # a target with data is refused; back into a new DuckDB file: every row again
    assert main(["copy-store", "--from", src.path, "--to", pg_url]) == 1
    assert "--replace" in capsys.readouterr().err
    back = str(tmp_path / "back.duckdb")
    close_all()
    assert main(["copy-store", "--from", pg_url, "--to", back]) == 0
    assert Store(back).stored_counts() == Store(pg_url).stored_counts()
    assert Store(back).stored_counts()["imports"] == counts["imports"] + 1


@pytest.fixture
def both(tmp_path, pg_url, monkeypatch):
    """The same two imports (P1/P2 at Jan 24 and Jan 31) into a DuckDB file and PostgreSQL."""
    monkeypatch.setenv("PMO_REPORTING", "on")
    stores = [Store(tmp_path / "r.duckdb"), Store(pg_url)]
    for s in stores:
        s.import_parsed(parse_bytes("portfolio.xlsx", template_bytes()), date(2025, 1, 24))
        s.import_parsed(parse_bytes("portfolio.xlsx", template_bytes()), date(2025, 1, 31))
    return stores


def test_postgresql_holds_the_same_reporting_rows_as_the_duckdb_file(tmp_path, pg_url, monkeypatch):
    """The demo portfolio (risks, milestones, two currencies) built into both stores."""
    from pmo_analytics import demo

    monkeypatch.setenv("PMO_REPORTING", "on")
    duck, pg = Store(tmp_path / "demo.duckdb"), Store(pg_url)
    for s in (duck, pg):
        demo.build_demo(s)
    for name in reporting.TABLES:
        a, b = reporting.read(duck, name), reporting.read(pg, name)
        if name == "refresh":
            a, b = a.drop(columns="refreshed_at"), b.drop(columns="refreshed_at")
        assert len(a) == len(b) and (name == "refresh" or len(a)), name
        pd.testing.assert_frame_equal(a, b, check_dtype=False, obj=name)
    pm = reporting.read(pg, "project_metrics")
    assert pm.loc[pm["is_current"] & (pm["project_id"] == "PRJ-111"), "rag"].tolist() == ["red"]


def test_the_bi_role_reads_the_views_and_nothing_else(both, pg_server, pg_url, capsys):
    _, pg = both
    assert main(["reporting", "--db", pg_url, "--grant", "pmo_reader"]) == 0
    assert "created (NOLOGIN)" in capsys.readouterr().out
    pg_server.sql("ALTER ROLE pmo_reader LOGIN")  # the DBA's step (a password on a real server)
    reader = _as(pg_url, "pmo_reader")
    assert len(_rows(reader, "SELECT * FROM reporting.v1_project_metrics")) == 4
    assert len(_rows(reader, "SELECT * FROM reporting.v1_portfolio_history")) == 2
    for table in ("tasks", "imports", "audit", "reporting_project_metrics", "reporting_reach"):
        with pytest.raises(Exception, match="permission denied"):
            _rows(reader, f"SELECT * FROM {table}")
    with pytest.raises(Exception, match="permission denied"):
        _rows(reader, "DELETE FROM reporting.v1_project_metrics")
    # a role narrowed to one project: its rows only, no portfolio totals (they include others)
    pg.grant_reporting_reader("bi_p2", Reach(projects=("P2",)))
    pg_server.sql("ALTER ROLE bi_p2 LOGIN")
    narrowed = _as(pg_url, "bi_p2")
    got = _rows(narrowed, "SELECT project_id, status_date FROM reporting.v1_project_metrics ORDER BY 2")
    assert [r[0] for r in got] == ["P2", "P2"]
    assert _rows(narrowed, "SELECT * FROM reporting.v1_portfolio_history") == []
    # by department: Finance is P2's (tests.helpers.PROJECTS)
    pg.grant_reporting_reader("bi_fin", Reach(departments=("Finance",)))
    pg_server.sql("ALTER ROLE bi_fin LOGIN")
    got = _rows(_as(pg_url, "bi_fin"), "SELECT DISTINCT project_id FROM reporting.v1_project_metrics")
    assert got == [("P2",)]
    # the grants are audited; the app itself still sees every row
    assert pg.audit_entries()["action"].tolist().count("reporting.grant") == 3
    assert len(reporting.read(pg, "project_metrics")) == 4
