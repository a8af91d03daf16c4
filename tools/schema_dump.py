"""Write a small database of the current schema as SQL, for the schema-upgrade tests.

Before each schema version bump, run this on the release being replaced::

    python -m tools.schema_dump --out tests/data/schema_v4.sql --project PRJ-101

It imports the bundled demo into a temporary DuckDB file, keeps the rows of one project (of the latest demo imports), adds one
row to each auxiliary table (audit, access grants, organisation settings, notes, documents) through
the store's own calls, and writes every table's DDL and rows as SQL that ``duckdb`` replays.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date, datetime
from pathlib import Path

import duckdb

from pmo_analytics.store import q

ROOT = Path(__file__).resolve().parent.parent


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, (date, datetime)):
        return "'" + str(value) + "'"
    return "'" + str(value).replace("'", "''") + "'"


def dump(db: Path, out: Path, header: str) -> None:
    """Write ``db``'s sequences, tables and rows to ``out`` as SQL statements ending in ``;``."""
    con = duckdb.connect(str(db))
    lines = [f"-- {ln}" for ln in header.splitlines()]
    for (sql,) in con.execute("SELECT sql FROM duckdb_sequences() ORDER BY sequence_name").fetchall():
        lines.append(sql.rstrip(";") + ";")
    tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY table_name").fetchall()]
    for (sql,) in con.execute("SELECT sql FROM duckdb_tables() ORDER BY table_name").fetchall():
        lines.append(sql.rstrip(";") + ";")
    for t in ["schema_version", "imports"] + [t for t in tables if t not in ("schema_version", "imports")]:
        rows = con.execute(f"SELECT * FROM {q(t)}").fetchall()  # noqa: S608 (identifier quoted)
        if rows:  # one statement per table, columns in the order of its CREATE TABLE
            values = ",\n".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows)
            lines.append(f"INSERT INTO {q(t)} VALUES\n{values};")
    con.close()
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--project", default="PRJ-101")
    p.add_argument("--imports", type=int, default=2, help="keep the rows of the latest N demo imports")
    args = p.parse_args()
    import subprocess

    from pmo_analytics.access import Grant
    from pmo_analytics.store import SCHEMA_VERSION, Store, close_all

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "dump.duckdb"
        demo = sorted((ROOT / "data" / "demo").glob("*.xlsx"))[-args.imports :]
        subprocess.run(
            ["python", "-m", "pmo_analytics", "import", "--db", str(db), *map(str, demo)], check=True, cwd=ROOT
        )
        s = Store(db)
        for (t,) in s.query("SELECT table_name FROM duckdb_tables()").itertuples(index=False):
            cols = set(s.query(f"SELECT * FROM {q(t)} LIMIT 0").columns)  # noqa: S608 (identifier quoted)
            if "project_id" in cols and t != "notes":
                with s.cursor() as cur:
                    cur.execute(f"DELETE FROM {q(t)} WHERE project_id <> ?", [args.project])  # noqa: S608 (quoted)
        s.save_grant(Grant("email", "ana@example.com", "analyst", departments=("IT",)))
        s.save_org_settings({"ev_method": "50/50"})
        s.save_note(args.project, s.status_dates()[-1], "Vendor late; 供应商延迟", "ana@example.com")
        s.record_audit("ana@example.com", "import.withdraw", "3", {"rows": 12})
        close_all()
        header = (
            f"A version-{SCHEMA_VERSION} database written by tools/schema_dump.py at commit {commit.strip()}\n"
            f"from the bundled demo: every table's DDL and the rows of project {args.project}, plus one\n"
            "grant, one organisation setting, one note and the audit rows the store wrote."
        )
        dump(db, args.out, header)


if __name__ == "__main__":
    main()
