"""Shared steps of the schema-upgrade tests: a database of an older release, replayed from the SQL
``tools/schema_dump.py`` wrote (the demo's two latest imports of PRJ-101, a grant, an
organisation setting, a manager's note and the audit trail), and what must survive opening it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from pmo_analytics import store as store_mod
from pmo_analytics.access import Grant
from pmo_analytics.settings import org_from_store
from pmo_analytics.store import Store


def replay(sql: Path, path: Path) -> dict[str, int]:
    """Write the DuckDB file ``path`` from the dump ``sql``; the row count of each of its tables."""
    con = duckdb.connect(str(path))
    con.execute(sql.read_text(encoding="utf-8"))
    before = {
        t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0]
        for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    }
    con.close()
    return before


def assert_history_kept(s: Store, before: dict[str, int]) -> None:
    """Every row of the dump is still there, and the demo's history reads as it was written."""
    assert before["imports"] == 2 and before["tasks"] > 100
    for table, n in before.items():
        if table != "schema_version":
            assert len(s.query(f"SELECT * FROM {store_mod.q(table)}")) == n, table
    assert s.table("projects")["project_id"].tolist() == ["PRJ-101"]
    assert s.status_dates() == [date(2026, 9, 30), date(2026, 10, 31)]
    assert s.grants() == [Grant("email", "ana@example.com", "analyst", departments=("IT",))]
    assert org_from_store(s).ev_method == "50/50"
    assert s.notes(projects=["PRJ-101"])["note"].tolist() == ["Vendor late; 供应商延迟"]
    assert s.audit_entries()["action"].tolist().count("import.load") == 2
