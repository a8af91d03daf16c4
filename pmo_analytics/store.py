"""The store: the only module that speaks SQL, to a DuckDB file or a PostgreSQL database.

API (one interface, two engines; ``store_backend.py`` holds every difference between them):

- ``Store(target)``: ``target`` is a DuckDB path (default ``$PMO_DB`` or ``data/pmo.duckdb``) or a
  ``postgresql://user:pw@host:port/db`` URL (``default_db()`` reads ``PMO_DB``). Same methods on
  both: ``table``, ``query``, ``import_parsed``, withdraw/restore/purge, documents, notes,
  edits, audit, grants, org settings, ``data_version``; ``Store.kind`` is "duckdb" or "postgres".
- ``backend(target)``: the process-wide ``store_backend.Backend`` (opened and migrated once);
  ``Store.cursor()`` yields its ``store_backend.Cursor`` (``execute``/``fetchall``/``arrow``/
  ``insert_arrow``); ``Store._write()`` is one write transaction (see below).
- Versioned migrations: ``MIGRATIONS`` (numbered steps after the additive ``_ensure_tables``).
- ``Store.data_version() -> (latest import id, write counter)``: the ``data_version`` row is
  bumped by every write transaction (import, edit, withdraw, restore, purge, note, document,
  grant, setting, audit); one cheap query, read once per script run by ``ui.data_version``.

- A cursor per call (DuckDB: on the process connection; PostgreSQL: on the thread's ADBC
  connection), so Streamlit sessions on many threads never see each other's results or
  half-done imports.
- Values are always bound as parameters; identifiers come from ``schema.py`` and are quoted.
- Each import is one transaction: rows of every table plus its ``imports`` record, or nothing.
  On PostgreSQL every write transaction holds ``pg_advisory_xact_lock`` (writes on several
  app servers take turns; a killed writer's transaction is rolled back by the server).
- Data leaves the database as Arrow (DuckDB ``to_arrow_table``, ADBC ``fetch_arrow_table``),
  then pandas; no per-row Python on the read path.

Snapshots: every fact row carries ``import_id`` and ``status_date``. For each table and each
(project, status date) the rows of the *latest* import are the snapshot; importing a corrected
file for the same status date supersedes the earlier one (which stays in history). A withdrawn
import (``withdraw_import``) is left out of every read until restored (``restore_import``), so the
snapshot it superseded is current again; ``purge_import`` deletes a withdrawn import for good.
"Current" means each project's latest status date (on or before an "as of" date when given).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from .access import Access, AccessDeniedError, Grant, Reach, deny_project, require
from .errors import DuplicateImportError, NotAllowedError, NotFoundError, StoreBusyError, StoreError
from .ingest.base import ParsedUpload
from .reporting import SCHEMA as REPORTING_SCHEMA
from .reporting import TABLES as REPORTING_TABLES
from .reporting import stored_ddl, stored_name, view_name
from .schema import FACT_COLUMNS, IMPORTS_COLUMNS, SQL_TYPES, TABLES
from .store_backend import (
    ENGINE_ERRORS,
    Backend,
    Cursor,
    _open_duckdb,
    connect_duckdb_once,
    is_postgres_url,
    lock_wait_s,
    make_backend,
)

# 1: first release; 2: work_items labels, due_date, progress; 3: fx_rates;
# 4: audit (who did what, when); imports.withdrawn_at/withdrawn_by (a withdrawn import is hidden
# from every view until restored); documents.saved_by (who saved a column mapping);
# access_grants (role and reach per e-mail or identity group), org_settings (the organisation's
# RAG thresholds, EV method, calendar ...), imports.imported_by (who imported it);
# 5: schedule-risk inputs (tasks.duration_optimistic/likely/pessimistic, risks.task_ids/impact_days);
# tasks.split_minutes (a split task's interruptions, working minutes);
# data_version (one row bumped by every write transaction: what servers poll to see a commit);
# the reporting tables for BI tools (reporting_project_metrics, _portfolio_history, _risks,
# _milestones, _refresh) behind the views reporting.v1_* (``reporting.py``).
# 6: the tools' critical-path inputs: tasks.deadline (+ deadline_minute), tasks.is_placeholder
# (a manual task never given dates), projects.critical_slack_limit_days and
# projects.multiple_critical_paths.
# Every change is added in place to older files by _migrate.
SCHEMA_VERSION = 6
DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "pmo.duckdb"

_ARROW_TYPES = {
    "text": pa.string(),
    "date": pa.date32(),
    "float": pa.float64(),
    "int": pa.int64(),
    "bool": pa.bool_(),
    "percent": pa.float64(),
    "money": pa.float64(),
    "list": pa.list_(pa.string()),
}

_PANDAS_TYPES = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}

# Auxiliary tables that are not imported facts: saved documents (mapping profiles, settings).
AUX_DDL = {
    "documents": [
        ("kind", "VARCHAR"),
        ("name", "VARCHAR"),
        ("fingerprint", "VARCHAR"),
        ("body", "VARCHAR"),
        ("saved_at", "TIMESTAMP"),
        ("saved_by", "VARCHAR"),  # schema 4: the signed-in identity that saved it ("local" in open mode)
    ],
    # Manager's notes per project per status date (weekly report); every save is kept (history),
    # the latest saved_at per (project_id, status_date) is the current note.
    "notes": [
        ("project_id", "VARCHAR"),
        ("status_date", "DATE"),
        ("note", "VARCHAR"),
        ("author", "VARCHAR"),
        ("saved_at", "TIMESTAMP"),
    ],
    # The audit trail: one row per import, withdrawal, edit, mapping change or access change,
    # with the signed-in identity that did it (never a typed name) and a JSON object of details.
    "audit": [
        ("recorded_at", "TIMESTAMP"),
        ("actor", "VARCHAR"),
        ("action", "VARCHAR"),
        ("target", "VARCHAR"),
        ("details", "VARCHAR"),
    ],
    # Who may do what and see which projects (``access.Grant``): one row per e-mail or identity
    # group; seeded from PMO_ACCESS_FILE into an empty table, then edited by admins (audited).
    "access_grants": [
        ("kind", "VARCHAR"),
        ("subject", "VARCHAR"),
        ("role", "VARCHAR"),
        ("portfolios", "VARCHAR[]"),
        ("departments", "VARCHAR[]"),
        ("projects", "VARCHAR[]"),
        ("granted_at", "TIMESTAMP"),
        ("granted_by", "VARCHAR"),
    ],
    # The organisation's settings (``settings.ORG_FIELDS``), owned by admins: every save kept,
    # the latest per name applies (the environment is the seed of a name never saved).
    "org_settings": [
        ("name", "VARCHAR"),
        ("value", "VARCHAR"),
        ("saved_at", "TIMESTAMP"),
        ("saved_by", "VARCHAR"),
    ],
    # schema 5: the reach of a BI role (PostgreSQL) in the reporting views, one row per database
    # role narrowed to portfolios, departments or projects (``Store.grant_reporting_reader``)
    "reporting_reach": [
        ("db_role", "VARCHAR"),
        ("portfolios", "VARCHAR[]"),
        ("departments", "VARCHAR[]"),
        ("projects", "VARCHAR[]"),
        ("granted_at", "TIMESTAMP"),
        ("granted_by", "VARCHAR"),
    ],
    # schema 5: one row (id 1) whose version every write transaction bumps; app servers read it
    # once per script run to notice a commit made by another process or server
    "data_version": [
        ("id", "INTEGER"),
        ("version", "BIGINT"),
        ("changed_at", "TIMESTAMP"),
    ],
}
# schema 5: the reporting tables (``reporting.TABLES``), written by ``Store.replace_reporting``
AUX_DDL.update(stored_ddl())

# the audit actor of a change made without a signed-in person (command line, scripts): the person
# at this machine, as in open mode (cli.CLI_ACTOR too)
CLI_ACTOR = "local"

# The imports that are not withdrawn: every read of facts (snapshots, status dates, counts, the
# checks before an import) sees only these. Withdrawing an import hides its rows (the previous
# snapshot becomes current again); restoring brings them back; purging deletes them.
VISIBLE_IMPORTS = "import_id NOT IN (SELECT import_id FROM imports WHERE withdrawn_at IS NOT NULL)"

_backends: dict[str, Backend] = {}
_lock = threading.Lock()
_write_lock = threading.Lock()


def q(identifier: str) -> str:
    """Quote an SQL identifier."""
    return '"' + identifier.replace('"', '""') + '"'


def default_db() -> str:
    """``PMO_DB`` if set (a DuckDB path or a ``postgresql://`` URL), else ``data/pmo.duckdb``."""
    return os.environ.get("PMO_DB") or str(DEFAULT_DB)


def default_db_path() -> Path:
    """``PMO_DB`` as a path (DuckDB files only; see ``default_db`` for either kind)."""
    return Path(default_db())


def _lock_wait_s() -> float:
    return lock_wait_s()


def _open(path: str) -> duckdb.DuckDBPyConnection:
    return _open_duckdb(path)


def _connect_once(path: str) -> duckdb.DuckDBPyConnection:
    return connect_duckdb_once(path)


def _key(target: str | Path) -> str:
    s = str(target)
    if s == ":memory:" or is_postgres_url(s):
        return s
    return str(Path(s).resolve())


def backend(target: str | Path) -> Backend:
    """The process-wide backend of ``target`` (a DuckDB path or a PostgreSQL URL), opened and
    migrated on first use."""
    key = _key(target)
    with _lock:
        b = _backends.get(key)
        if b is None:
            if key != ":memory:" and not is_postgres_url(key):
                Path(key).parent.mkdir(parents=True, exist_ok=True)
            b = make_backend(key)
            b.open()
            try:
                _migrate(b)
            except BaseException:
                b.close()
                raise
            _backends[key] = b
        return b


def connection(path: str | Path) -> duckdb.DuckDBPyConnection:
    """The process-wide DuckDB connection of the file ``path`` (created and migrated on first use)."""
    b = backend(path)
    if b.kind != "duckdb" or b._con is None:
        raise StoreError(key="pg.duckdb_only", params={"what": "connection()"})
    return b._con


def close_all() -> None:
    """Close every cached connection (tests, CLI exit, backup)."""
    with _lock:
        for b in _backends.values():
            b.close()
        _backends.clear()


def _wanted_tables() -> dict[str, list[tuple[str, str]]]:
    """Every table of the current schema and its columns (DuckDB types)."""
    wanted: dict[str, list[tuple[str, str]]] = {"imports": list(IMPORTS_COLUMNS)}
    for t in TABLES.values():
        cols = [(c.name, SQL_TYPES[c.dtype]) for c in t.columns]
        wanted[t.name] = cols + list(FACT_COLUMNS) if t.fact else cols
    wanted.update(AUX_DDL)
    return wanted


def _ensure_tables(cur: Cursor, b: Backend) -> None:
    """Create the tables, columns and sequence the current schema has and the database lacks
    (additive: every older database gains them, its rows kept)."""
    cur.execute("CREATE SEQUENCE IF NOT EXISTS import_seq START 1")
    for table, cols in _wanted_tables().items():
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {q(table)} ({', '.join(f'{q(n)} {b.ddl_type(ty)}' for n, ty in cols)})"
        )
        have = {
            r[0]
            for r in cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "AND table_schema = current_schema()",
                [table],
            ).fetchall()
        }
        for n, ty in cols:
            if n not in have:
                cur.execute(f"ALTER TABLE {q(table)} ADD COLUMN {q(n)} {b.ddl_type(ty)}")
    if b.kind == "postgres":  # the rows of one import (withdraw, purge, counts, snapshots); DuckDB scans fast
        for t in TABLES.values():
            if t.fact:
                cur.execute(f"CREATE INDEX IF NOT EXISTS {q(t.name + '_import_id')} ON {q(t.name)} (import_id)")


def _step_data_version(cur: Cursor, b: Backend) -> None:
    """Schema 5: the one row of ``data_version`` (bumped by every write transaction)."""
    if not cur.execute("SELECT count(*) FROM data_version").fetchall()[0][0]:
        cur.execute("INSERT INTO data_version VALUES (1, 0, ?)", [datetime.now()])


# Versioned migrations: (schema version, step). Opening a database first adds the tables and
# columns it lacks (``_ensure_tables``, additive), then runs, in order, every step of a version
# above the one it records, all in one transaction (on PostgreSQL under the write lock, so two
# app servers starting at once migrate one after the other), and records the new version.
# Steps are idempotent (schema 5 grew in place during one release).
# PostgreSQL: which rows of each reporting view a BI role with a row in ``reporting_reach`` sees
# (``r``: its row). Roles without a row (the app's own, a reader granted every project) see all.
# The portfolio roll-up sums projects outside any narrower reach: a narrowed role sees none of it.
_IN_REACH = (
    "f.project_id = ANY(r.projects) OR f.project_id IN (SELECT m.project_id FROM {home}.reporting_project_metrics m "
    "WHERE m.portfolio = ANY(r.portfolios) OR m.department = ANY(r.departments))"
)
_REACH_ROWS = {
    "project_metrics": "f.project_id = ANY(r.projects) OR f.portfolio = ANY(r.portfolios) OR f.department = ANY(r.departments)",
    "risks": _IN_REACH,
    "milestones": _IN_REACH,
    "portfolio_history": "FALSE",
    "refresh": "TRUE",
}


def _step_reporting_views(cur: Cursor, b: Backend) -> None:
    """Schema 5: the versioned views BI tools read, ``reporting.v1_<name>``: the stored
    columns of ``reporting_<name>`` only (nothing computed in SQL). On PostgreSQL each view also
    keeps a BI role to its reach (``grant_reporting_reader``), as a second wall in the database:
    a ``security_barrier`` view filtering on ``current_user``, so the role needs (and gets)
    SELECT on the views only, never on a table."""
    home = cur.execute("SELECT current_schema()").fetchall()[0][0]
    cur.execute(f"CREATE SCHEMA IF NOT EXISTS {q(REPORTING_SCHEMA)}")
    for name, cols in REPORTING_TABLES.items():
        select = f"SELECT {', '.join('f.' + q(c.name) for c in cols)} FROM {q(home)}.{q(stored_name(name))} f"
        options = ""
        if b.kind == "postgres":
            reach = _REACH_ROWS[name].format(home=q(home))
            select += (
                f" WHERE NOT EXISTS (SELECT 1 FROM {q(home)}.reporting_reach r WHERE r.db_role = current_user) "
                f"OR EXISTS (SELECT 1 FROM {q(home)}.reporting_reach r WHERE r.db_role = current_user AND ({reach}))"
            )
            options = " WITH (security_barrier)"
        cur.execute(f"CREATE OR REPLACE VIEW {q(REPORTING_SCHEMA)}.{q(view_name(name))}{options} AS {select}")


MIGRATIONS: tuple[tuple[int, Callable[[Cursor, Backend], None]], ...] = (
    (5, _step_data_version),
    (5, _step_reporting_views),
)


def _postgres_schema_is_current(b: Backend) -> bool:
    """True when a PostgreSQL database already has this release's schema: its recorded version,
    every table, column and index, the sequence and the data-version row. Read without the write
    lock, so an app server starting while another imports opens at once instead of waiting for the
    import (migrating takes the write lock and ``CREATE INDEX`` would wait on the inserting table)."""
    with b.cursor() as cur:
        tables = {
            r[0]
            for r in cur.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            ).fetchall()
        }
        if "schema_version" not in tables or "data_version" not in tables:
            return False
        if cur.execute("SELECT max(version) FROM schema_version").fetchall()[0][0] != SCHEMA_VERSION:
            return False
        have = {
            (r[0], r[1])
            for r in cur.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            ).fetchall()
        }
        if any((t, n) not in have for t, cols in _wanted_tables().items() for n, _ in cols):
            return False
        indexes = {
            r[0] for r in cur.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()").fetchall()
        }
        if any(t.fact and t.name + "_import_id" not in indexes for t in TABLES.values()):
            return False
        seq = cur.execute(
            "SELECT count(*) FROM information_schema.sequences "
            "WHERE sequence_schema = current_schema() AND sequence_name = 'import_seq'"
        ).fetchall()[0][0]
        return bool(seq) and bool(cur.execute("SELECT count(*) FROM data_version").fetchall()[0][0])


def _migrate(b: Backend) -> None:
    """Create missing tables and columns, run the numbered steps, record the schema version."""
    if b.kind == "postgres" and _postgres_schema_is_current(b):
        return
    with b.cursor() as cur:
        cur.begin()
        try:
            cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, applied_at TIMESTAMP)")
            found = cur.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
            if found is not None and found > SCHEMA_VERSION:
                raise StoreError(
                    key="store.newer_schema",
                    params={"found": found, "known": SCHEMA_VERSION},
                    hint_key="hint.upgrade_or_other_db",
                )
            _ensure_tables(cur, b)
            for version, step in MIGRATIONS:
                if found is None or version >= found:  # >=: schema 5 steps run on files of schema 5 too
                    step(cur, b)
            if found is None or found < SCHEMA_VERSION:
                cur.execute("INSERT INTO schema_version VALUES (?, ?)", [SCHEMA_VERSION, datetime.now()])
            cur.commit()
        except BaseException:
            cur.rollback()
            raise


@dataclass(frozen=True)
class ProjectChange:
    """A project an import holds rows of: its latest status date in view now, and after the
    import is withdrawn (or restored). ``after`` None: the project leaves every view."""

    project_id: str
    now: date | None
    after: date | None


@dataclass(frozen=True)
class ImportImpact:
    """One import and what withdrawing it (restoring it, when withdrawn) changes in every view."""

    import_id: int
    source_name: str
    source_format: str
    status_date: date
    imported_at: datetime | None
    withdrawn_at: datetime | None
    withdrawn_by: str
    rows: dict[str, int]  # table -> rows this import holds (tables with none left out)
    projects: tuple[ProjectChange, ...]

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def details(self) -> dict:
        """The audit entry's details: file, status date, rows per table, projects."""
        return {
            "file": self.source_name,
            "status_date": self.status_date.isoformat(),
            "rows": dict(self.rows),
            "projects": [p.project_id for p in self.projects],
        }


def _stamp(value: datetime | None) -> str:
    return "—" if value is None else f"{value:%Y-%m-%d %H:%M}"


def _as_date(value) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def _impact(cur, import_id: int) -> ImportImpact:
    """``ImportImpact`` of ``import_id`` read on ``cur`` (inside the caller's transaction)."""
    rec = cur.execute(
        "SELECT source_name, source_format, status_date, imported_at, withdrawn_at, withdrawn_by "
        "FROM imports WHERE import_id = ?",
        [import_id],
    ).fetchall()
    if not rec:
        raise NotFoundError(key="store.no_import", params={"import_id": import_id}, hint_key="hint.list_imports")
    name, fmt, status_date, imported_at, withdrawn_at, withdrawn_by = rec[0]
    rows: dict[str, int] = {}
    by_project = [t.name for t in TABLES.values() if t.fact and "project_id" in t.column_names]
    for t in TABLES.values():
        if t.fact:
            n = cur.execute(f"SELECT count(*) FROM {q(t.name)} WHERE import_id = ?", [import_id]).fetchall()[0][0]
            if n:
                rows[t.name] = int(n)
    held = [name_ for name_ in by_project if name_ in rows]
    projects: tuple[ProjectChange, ...] = ()
    if held:
        ids_sql = " UNION ".join(
            f"SELECT CAST(project_id AS VARCHAR) AS p FROM {q(n)} WHERE import_id = ? AND project_id IS NOT NULL"
            for n in held
        )
        ids = sorted(r[0] for r in cur.execute(ids_sql, [import_id] * len(held)).fetchall())
        # in view now, and after the change: without this import, or with it again
        after_cond = (
            f"({VISIBLE_IMPORTS} OR import_id = ?)"
            if withdrawn_at is not None
            else f"{VISIBLE_IMPORTS} AND import_id <> ?"
        )
        latest: dict[str, list[date | None]] = {p: [None, None] for p in ids}
        for k, cond in enumerate((VISIBLE_IMPORTS, after_cond)):
            union = " UNION ALL ".join(
                f"SELECT CAST(project_id AS VARCHAR) AS p, status_date FROM {q(n)} "
                f"WHERE CAST(project_id AS VARCHAR) IN (SELECT unnest(?::VARCHAR[])) AND {cond}"
                for n in by_project
            )
            params: list = []
            for _ in by_project:
                params.append(ids)
                if k == 1:
                    params.append(import_id)
            for p, d in cur.execute(f"SELECT p, max(status_date) FROM ({union}) u GROUP BY p", params).fetchall():
                latest[p][k] = _as_date(d)
        projects = tuple(ProjectChange(p, now, after) for p, (now, after) in sorted(latest.items()))
    return ImportImpact(
        int(import_id),
        str(name),
        str(fmt),
        _as_date(status_date) or date.min,
        imported_at,
        withdrawn_at,
        str(withdrawn_by or ""),
        rows,
        projects,
    )


@dataclass
class ImportResult:
    """What one committed import did."""

    import_id: int
    source_name: str
    source_format: str
    status_date: date
    rows_in: int
    rows_loaded: int
    rows_rejected: int
    entities: str
    supersedes: tuple[int, ...] = ()  # imports whose snapshot for the same status date this one replaced

    def summary(self) -> str:
        replaced = ", ".join(f"#{i}" for i in self.supersedes)
        return (
            f"{self.source_name}: import #{self.import_id} ({self.source_format}, status date "
            f"{self.status_date.isoformat()}): {self.rows_loaded} rows loaded"
            f" into {self.entities or 'no table'}, {self.rows_rejected} rejected of {self.rows_in}"
            + (f"; supersedes import {replaced} for the same status date" if replaced else "")
        )


def _upload_scopes(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str, list[str]]]:
    """(table, scope column, the scope values present) for every table with rows in an upload."""
    out = []
    for name, df in tables.items():
        if not len(df) or name not in TABLES or not TABLES[name].fact:
            continue
        col = TABLES[name].scope[0]
        if col in df.columns:
            values = sorted({str(v) for v in df[col].dropna().unique()})
            if values:
                out.append((name, col, values))
    return out


SCOPE_STATUS_COLUMNS = ["table", "scope_column", "scope", "latest_status_date", "same_date_import"]


def _scope_status(cur, tables: dict[str, pd.DataFrame], status_date: date) -> pd.DataFrame:
    """For each table and scope value (project, person) of an upload: the latest status date
    already stored, and the import whose snapshot holds ``status_date`` (None when none)."""
    rows: list[tuple] = []
    for name, col, values in _upload_scopes(tables):
        found = cur.execute(
            f"SELECT CAST({q(col)} AS VARCHAR), max(status_date), max(import_id) FILTER (WHERE status_date = ?) "
            f"FROM {q(name)} WHERE CAST({q(col)} AS VARCHAR) IN (SELECT unnest(?::VARCHAR[])) AND {VISIBLE_IMPORTS} "
            "GROUP BY 1 ORDER BY 1",
            [status_date, values],
        ).fetchall()
        rows.extend((name, col, scope, latest, same) for scope, latest, same in found)
    return pd.DataFrame(rows, columns=SCOPE_STATUS_COLUMNS)


def _check_write_reach(cur, access: Access, tables: dict[str, pd.DataFrame]) -> None:
    """Raise ``AccessDeniedError`` unless every project an upload touches is inside what ``access``
    may change: judged by the project's portfolio and department as stored (its latest status
    date) AND as uploaded (a row in the upload's projects table), so nobody moves a project
    into or out of their reach. A project known nowhere must be listed by id. Tables without a
    project column (exchange rates) need a reach of every project."""
    reach = access.writes
    if reach.everything:
        return
    ids: set[str] = set()
    for name, df in tables.items():
        if not len(df):
            continue
        if name in TABLES and "project_id" not in TABLES[name].column_names:
            raise AccessDeniedError(
                key="access.table_denied",
                params={"table": name, "who": access.actor, "reach": reach.describe()},
                hint_key="hint.ask_admin",
            )
        if "project_id" not in df.columns or df["project_id"].isna().any():  # rows of no project: everyone's
            raise AccessDeniedError(
                key="access.table_denied",
                params={"table": name, "who": access.actor, "reach": reach.describe()},
                hint_key="hint.ask_admin",
            )
        ids |= {str(v) for v in df["project_id"].unique()}
    if not ids:
        return
    seen: dict[str, list[tuple[object, object]]] = {p: [] for p in ids}
    stored = cur.execute(
        latest_rows(
            "project_id, portfolio, department",
            f"projects WHERE {VISIBLE_IMPORTS} AND project_id IN (SELECT unnest(?::VARCHAR[]))",
            "project_id",
            "status_date DESC, import_id DESC",
        ),
        [sorted(ids)],
    ).fetchall()
    for pid, portfolio, department in stored:
        seen[str(pid)].append((portfolio, department))
    up = tables.get("projects")
    if up is not None and len(up) and {"portfolio", "department"} & set(up.columns):
        for _, row in up.iterrows():
            seen.setdefault(str(row["project_id"]), []).append((row.get("portfolio"), row.get("department")))
    for pid in sorted(seen):
        attrs = seen[pid] or [(None, None)]
        for portfolio, department in attrs:
            p = None if portfolio is None or portfolio != portfolio else portfolio
            d = None if department is None or department != department else department
            if not reach.allows(pid, p, d):
                raise deny_project(access, pid)


ACCESS_LISTS = ("portfolios", "departments", "projects")


def _insert_grant(cur, g: Grant, by: str) -> None:
    cur.execute(
        "INSERT INTO access_grants VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [g.kind, g.subject, g.role, list(g.portfolios), list(g.departments), list(g.projects), datetime.now(), by],
    )


def _grant_json(g: Grant) -> dict:
    return {"kind": g.kind, "subject": g.subject, "role": g.role, **{f: list(getattr(g, f)) for f in ACCESS_LISTS}}


def _arrow_column(col: pd.Series, dtype: str, typ: pa.DataType) -> pa.Array:
    """One canonical column as an Arrow array, missing values as nulls. Columnar conversions
    first (about 10x faster on a million rows); values they cannot take (a number in a text
    column, an odd object) fall back to the per-value conversion."""
    if dtype == "list":  # lists or arrays of str in the cells: per value
        return pa.array(
            [None if v is None or (isinstance(v, float) and pd.isna(v)) else list(v) for v in col], type=typ
        )
    if dtype == "date":
        d = pd.to_datetime(col, errors="coerce")
        if getattr(d.dt, "tz", None) is not None:
            d = d.dt.tz_localize(None)
        return pa.array(d.to_numpy().astype("datetime64[D]"), type=typ, mask=d.isna().to_numpy())
    try:
        return pa.array(col, type=typ, from_pandas=True)
    except (TypeError, ValueError, pa.ArrowException):
        pass
    if dtype == "text":
        return pa.array([None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in col], type=typ)
    return pa.array(col.astype(object).where(col.notna(), None).tolist(), type=typ)


def _without_empty_validity(table: pa.Table) -> pa.Table:
    """``table`` with the all-valid null bitmaps of its text columns dropped (zero-copy) and
    the unused bits at the end of the others cleared.

    DuckDB hands out a bitmap even for a column without nulls; pandas keeps text columns as
    Arrow arrays, and a copy that went through a cache (pickle) has none. Without this the
    same rows serialise to different bytes before and after ``st.cache_data``, and a widget
    whose identity includes its data (``st.data_editor``) loses its edits on the second run."""
    cols, changed = [], False
    for col in table.columns:
        if not (pa.types.is_large_string(col.type) or pa.types.is_string(col.type)):
            cols.append(col)
            continue
        chunks = []
        for ch in col.chunks:
            bufs = ch.buffers()
            if ch.null_count == 0 and bufs[0] is not None:
                ch = pa.Array.from_buffers(ch.type, len(ch), [None, *bufs[1:]], null_count=0, offset=ch.offset)
                changed = True
            elif bufs[0] is not None and (end := ch.offset + len(ch)) % 8:
                last = bufs[0].to_pybytes()[end // 8]
                clean = last & ((1 << (end % 8)) - 1)  # the bits past the last row: zero, as in a copy
                if clean != last:
                    raw = bytearray(bufs[0].to_pybytes()[: end // 8 + 1])
                    raw[-1] = clean
                    ch = pa.Array.from_buffers(
                        ch.type,
                        len(ch),
                        [pa.py_buffer(bytes(raw)), *bufs[1:]],
                        null_count=ch.null_count,
                        offset=ch.offset,
                    )
                    changed = True
            chunks.append(ch)
        cols.append(pa.chunked_array(chunks, type=col.type))
    return pa.Table.from_arrays(cols, schema=table.schema) if changed else table


def _snapshot_join(t, *, current: bool, as_of: date | None, upto_import: int | None) -> tuple[str, list]:
    """The snapshot rows of fact table ``t`` by a self-join on the latest import of each scope and
    status date (DuckDB: hash join, NULL scope values matched by IS NOT DISTINCT FROM). The SQL
    ends in a WHERE clause the caller extends with ``AND ...`` on ``f``."""
    table = t.name
    columns = ", ".join("f." + q(n) for n, _ in _wanted_tables()[table])
    scope = t.scope
    # a table with no scope columns (one snapshot for everything) joins on the date alone
    scope_cols = "".join(f"{q(c)}, " for c in scope)
    group_scope = f" GROUP BY {', '.join(q(c) for c in scope)}" if scope else ""
    join = " AND ".join([*(f"f.{q(c)} IS NOT DISTINCT FROM li.{q(c)}" for c in scope), "TRUE"])
    params: list = []
    where = [VISIBLE_IMPORTS]
    if not t.dated:  # a whole-table fact (fx_rates): the latest import per scope value, any status date
        if upto_import is not None:
            where.append("import_id <= ?")
            params.append(int(upto_import))
        sql = (
            f"WITH li AS (SELECT {scope_cols}max(import_id) AS import_id FROM {q(table)} "
            f"{'WHERE ' + ' AND '.join(where) if where else ''}{group_scope})"
            f" SELECT {columns} FROM {q(table)} f JOIN li ON {join} AND f.import_id = li.import_id"
        )
        return sql + " WHERE TRUE", params
    if as_of is not None:
        where.append("status_date <= ?")
        params.append(as_of)
    if upto_import is not None:
        where.append("import_id <= ?")
        params.append(int(upto_import))
    sql = (
        f"WITH li AS (SELECT {scope_cols}status_date, max(import_id) AS import_id FROM {q(table)} "
        f"{'WHERE ' + ' AND '.join(where) if where else ''} GROUP BY {scope_cols}status_date)"
    )
    if current:
        sql += f", cur AS (SELECT {scope_cols}max(status_date) AS status_date FROM li{group_scope})"
        sql += f", li2 AS (SELECT li.* FROM li JOIN cur ON {join.replace('f.', 'cur.')} AND li.status_date = cur.status_date)"
        src = "li2"
    else:
        src = "li"
    sql += (
        f" SELECT {columns} FROM {q(table)} f JOIN {src} li ON {join} AND f.status_date = li.status_date "
        "AND f.import_id = li.import_id WHERE TRUE"
    )
    return sql, params


def _snapshot_window(t, *, current: bool, as_of: date | None, upto_import: int | None) -> tuple[str, list]:
    """The snapshot rows of fact table ``t`` in one scan with window functions (PostgreSQL): a
    row is in it when its import is the latest of its scope and status date (and, for
    ``current``, its status date the latest of its scope); PARTITION BY groups missing scope
    values together as IS NOT DISTINCT FROM does. Ends in a WHERE clause, as ``_snapshot_join``."""
    table = t.name
    part = ", ".join(q(c) for c in t.scope)
    over_scope = f"OVER (PARTITION BY {part})" if part else "OVER ()"
    cols = ", ".join(q(n) for n, _ in _wanted_tables()[table])
    params: list = []
    where = [VISIBLE_IMPORTS]
    if t.dated:
        if as_of is not None:
            where.append("status_date <= ?")
            params.append(as_of)
        latest_import = f"max(import_id) OVER (PARTITION BY {part + ', ' if part else ''}status_date)"
    else:  # a whole-table fact (fx_rates): the latest import per scope value, any status date
        latest_import = f"max(import_id) {over_scope}"
    if upto_import is not None:
        where.append("import_id <= ?")
        params.append(int(upto_import))
    keep = ["f._li = f.import_id"]
    extra = f", {latest_import} AS _li"
    if t.dated and current:
        extra += f", max(status_date) {over_scope} AS _cur"
        keep.append("f.status_date = f._cur")
    sql = (
        f"SELECT {', '.join('f.' + q(n) for n, _ in _wanted_tables()[table])} FROM "
        f"(SELECT {cols}{extra} FROM {q(table)} WHERE {' AND '.join(where)}) f WHERE {' AND '.join(keep)}"
    )
    return sql, params


class Store:
    """Typed access to one DuckDB file or PostgreSQL database (``target``: a path or a
    ``postgresql://`` URL; default ``$PMO_DB``)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else default_db()

    @property
    def kind(self) -> str:
        """``"duckdb"`` or ``"postgres"``."""
        return "postgres" if is_postgres_url(self.path) else "duckdb"

    # ------------------------------------------------------------ plumbing
    @contextmanager
    def cursor(self) -> Iterator[Cursor]:
        """A fresh cursor (``store_backend.Cursor``) on the process's connection, closed afterwards."""
        with backend(self.path).cursor() as cur:
            yield cur

    @contextmanager
    def _write(self) -> Iterator[Cursor]:
        """One write transaction: BEGIN (on PostgreSQL with the cross-server write lock), the
        caller's statements, the data version bumped, COMMIT; any exception rolls it all back."""
        with _write_lock, self.cursor() as cur:
            cur.begin()
            try:
                yield cur
                cur.execute("UPDATE data_version SET version = version + 1, changed_at = ?", [datetime.now()])
                cur.commit()
            except BaseException:
                cur.rollback()
                raise

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a read query on its own cursor; result through Arrow."""
        with self.cursor() as cur:
            try:
                table = cur.arrow(sql, params)
            except ENGINE_ERRORS as exc:
                raise StoreError(key="store.query_failed", params={"detail": str(exc)}) from exc
        if table is None:
            return pd.DataFrame()
        return _without_empty_validity(table).to_pandas(types_mapper=_PANDAS_TYPES.get, date_as_object=False)

    def data_version(self) -> tuple[int, int]:
        """(latest import id, write counter): the counter moves with every committed write
        transaction on any process or server (import, edit, withdraw, restore, purge, note,
        document, grant, setting, audit); the import id pins reads (``table(upto_import=...)``)."""
        df = self.query(
            "SELECT (SELECT coalesce(max(import_id), 0) FROM imports) AS m, "
            "(SELECT coalesce(max(version), 0) FROM data_version) AS v"
        )
        return int(df["m"].iloc[0]), int(df["v"].iloc[0])

    # ------------------------------------------------------------ imports
    def find_import(self, sha256: str, status_date: date) -> dict | None:
        df = self.query(
            "SELECT * FROM imports WHERE sha256 = ? AND status_date = ? ORDER BY import_id LIMIT 1",
            [sha256, status_date],
        )
        return None if df.empty else df.iloc[0].to_dict()

    def imports_of_content(self, sha256: str) -> pd.DataFrame:
        """Every import of the file content ``sha256`` (import_id, source_name, status_date,
        imported_at, withdrawn_at: null unless withdrawn), oldest first."""
        return self.query(
            "SELECT import_id, source_name, status_date, imported_at, withdrawn_at FROM imports WHERE sha256 = ? "
            "ORDER BY import_id",
            [sha256],
        )

    def scope_status(self, parsed: ParsedUpload, status_date: date) -> pd.DataFrame:
        """Per table and project (person for assignments) of ``parsed``: the latest status date
        already stored (``latest_status_date``) and the import holding the snapshot of
        ``status_date`` that loading ``parsed`` would supersede (``same_date_import``, else None)."""
        with self.cursor() as cur:
            try:
                return _scope_status(cur, parsed.tables, status_date)
            except ENGINE_ERRORS as exc:
                raise StoreError(key="store.query_failed", params={"detail": str(exc)}) from exc

    def import_parsed(
        self,
        parsed: ParsedUpload,
        status_date: date,
        *,
        progress: Callable[[float, str], None] | None = None,
        access: Access | None = None,
        action: str = "import",
    ) -> ImportResult:
        """Load the valid rows of ``parsed`` stamped with ``status_date``, in one transaction,
        with its audit entry (``import.load``, or ``edit.save`` for an in-app edit).

        ``access`` is the signed-in person's (``access.Access``): their role must allow
        ``action`` and every project in the upload must be inside what they may change, else
        ``AccessDeniedError`` (nothing saved). None is the operator (command line): no check, actor
        ``local``. Raises ``DuplicateImportError`` if the same file (sha256) was imported with the
        same status date. Any failure rolls everything back: the database is left as it was.
        """
        if not isinstance(status_date, date) or isinstance(status_date, datetime):
            status_date = pd.Timestamp(status_date).date()
        if access is not None:
            require(access, action)
        actor = access.actor if access is not None else CLI_ACTOR
        try:
            with self._write() as cur:
                if access is not None:
                    _check_write_reach(cur, access, parsed.tables)
                dup = cur.execute(
                    "SELECT import_id, imported_at FROM imports WHERE sha256 = ? AND status_date = ? "
                    "AND withdrawn_at IS NULL LIMIT 1",
                    [parsed.sha256, status_date],
                ).fetchall()
                dup = dup[0] if dup else None
                if dup:
                    raise DuplicateImportError(
                        key="store.duplicate_import",
                        params={
                            "name": parsed.source_name,
                            "status_date": status_date.isoformat(),
                            "import_id": dup[0],
                            "imported_at": f"{dup[1]:%Y-%m-%d %H:%M}",
                        },
                        hint_key="hint.other_date_or_undo",
                        file=parsed.source_name,
                    )
                before = _scope_status(cur, parsed.tables, status_date)
                supersedes = tuple(sorted({int(i) for i in before["same_date_import"].dropna()}))
                import_id = cur.execute("SELECT nextval('import_seq')").fetchall()[0][0]
                tables = [(n, df) for n, df in parsed.tables.items() if len(df)]
                for k, (name, df) in enumerate(tables):
                    self._insert(cur, name, df, import_id, status_date)
                    if progress:
                        progress((k + 1) / max(len(tables), 1), name)
                cols = "import_id, source_name, source_format, sha256, status_date, imported_at, rows_in, rows_loaded, rows_rejected, entity"
                cur.execute(
                    f"INSERT INTO imports ({cols}, imported_by) VALUES ({', '.join('?' for _ in range(11))})",
                    [
                        import_id,
                        parsed.source_name,
                        parsed.source_format,
                        parsed.sha256,
                        status_date,
                        datetime.now(),
                        parsed.rows_in,
                        parsed.rows_loaded,
                        parsed.rejected_rows,
                        parsed.entities,
                        actor,
                    ],
                )
                _audit(
                    cur,
                    actor,
                    "edit.save" if action == "edit" else "import.load",
                    str(import_id),
                    {
                        "file": parsed.source_name,
                        "format": parsed.source_format,
                        "status_date": status_date.isoformat(),
                        "rows_loaded": parsed.rows_loaded,
                        "tables": parsed.entities,
                        "supersedes": list(supersedes),
                    },
                )
        except ENGINE_ERRORS as exc:  # rolled back
            raise StoreError(
                key="store.import_rolled_back", params={"name": parsed.source_name, "detail": str(exc)}
            ) from exc
        self._changed()
        return ImportResult(
            int(import_id),
            parsed.source_name,
            parsed.source_format,
            status_date,
            parsed.rows_in,
            parsed.rows_loaded,
            parsed.rejected_rows,
            parsed.entities,
            supersedes,
        )

    @staticmethod
    def _insert(cur, name: str, df: pd.DataFrame, import_id: int, status_date: date) -> None:
        t = TABLES[name]
        arrays, fields = [], []
        for c in t.columns:
            typ = _ARROW_TYPES[c.dtype]
            col = df[c.name] if c.name in df.columns else pd.Series([None] * len(df), dtype=object)
            arrays.append(_arrow_column(col, c.dtype, typ))
            fields.append(pa.field(c.name, typ))
        batch = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
        cols = ", ".join(q(c) for c in t.column_names)
        # bulk: DuckDB reads the registered Arrow table, PostgreSQL an adbc_ingest-ed temporary table
        view = f"_incoming_{name}"
        cur.insert_arrow(
            view,
            batch,
            f"INSERT INTO {q(name)} ({cols}, import_id, status_date) "
            f"SELECT {cols}, CAST(? AS BIGINT), CAST(? AS DATE) FROM {q(view)}",
            [import_id, status_date],
        )

    def imports(self) -> pd.DataFrame:
        """Every import, newest first."""
        return self.query("SELECT * FROM imports ORDER BY import_id DESC")

    def check_withdraw(self, import_id: int, access: Access | None) -> None:
        """Raise ``AccessDeniedError`` unless ``access`` may withdraw import ``import_id``: an admin any
        import, an analyst the imports they made themselves (None: the operator, any)."""
        if access is None:
            return
        require(access, "withdraw_own")
        df = self.query("SELECT imported_by FROM imports WHERE import_id = ?", [int(import_id)])
        owner = str(df["imported_by"].iloc[0]) if len(df) and pd.notna(df["imported_by"].iloc[0]) else ""
        if owner.casefold() != access.actor.casefold():
            require(access, "withdraw_any")

    def delete_import(self, import_id: int) -> int:
        """Delete an import's rows from every table and its record, withdrawn or not (no audit
        entry, no role check: tests and maintenance). People purge through ``purge_import``.
        Returns rows removed."""
        removed = 0
        with self._write() as cur:
            found = cur.execute("SELECT count(*) FROM imports WHERE import_id = ?", [import_id]).fetchall()[0][0]
            if not found:
                raise NotFoundError(
                    key="store.no_import", params={"import_id": import_id}, hint_key="hint.list_imports"
                )
            for t in TABLES.values():
                n = cur.execute(f"SELECT count(*) FROM {q(t.name)} WHERE import_id = ?", [import_id]).fetchall()[0][0]
                cur.execute(f"DELETE FROM {q(t.name)} WHERE import_id = ?", [import_id])
                removed += n
            cur.execute("DELETE FROM imports WHERE import_id = ?", [import_id])
        return removed

    # ------------------------------------------------------------ withdraw, restore, purge
    def import_impact(self, import_id: int) -> ImportImpact:
        """What withdrawing (or, for a withdrawn import, restoring) ``import_id`` changes: its
        file, status date, rows per table, and per project its latest status date now and after
        the change (``ProjectChange``). Raises ``NotFoundError`` for an unknown import."""
        with self.cursor() as cur:
            return _impact(cur, int(import_id))

    def withdraw_import(self, import_id: int, actor: str) -> ImportImpact:
        """Withdraw ``import_id``: its rows stay in the file but every view leaves them out (the
        snapshot an earlier import holds for the same project and status date is current again).
        Recorded in the audit trail (``import.withdraw``, by ``actor``) in the same transaction.
        Returns what it changed; refuses an import already withdrawn."""
        return self._set_withdrawn(int(import_id), actor, withdraw=True)

    def restore_import(self, import_id: int, actor: str) -> ImportImpact:
        """Bring a withdrawn import back into every view (audited as ``import.restore``). Refused
        when an import of the same content and status date was loaded since (restoring would show
        the same file twice): withdraw that one first."""
        return self._set_withdrawn(int(import_id), actor, withdraw=False)

    def _set_withdrawn(self, import_id: int, actor: str, *, withdraw: bool) -> ImportImpact:
        with self._write() as cur:
            impact = _impact(cur, import_id)
            if withdraw and impact.withdrawn:
                raise StoreError(
                    key="undo.already_withdrawn",
                    params={
                        "import_id": import_id,
                        "by": impact.withdrawn_by or "—",
                        "at": _stamp(impact.withdrawn_at),
                    },
                    hint_key="hint.restore_import",
                )
            if not withdraw and not impact.withdrawn:
                raise StoreError(key="undo.not_withdrawn", params={"import_id": import_id})
            if not withdraw:
                twin = cur.execute(
                    "SELECT b.import_id FROM imports a JOIN imports b ON a.sha256 = b.sha256 "
                    "AND a.status_date = b.status_date AND b.import_id <> a.import_id "
                    "WHERE a.import_id = ? AND b.withdrawn_at IS NULL ORDER BY 1 LIMIT 1",
                    [import_id],
                ).fetchall()
                if twin:
                    raise DuplicateImportError(
                        key="undo.restore_duplicate",
                        params={"import_id": import_id, "other": twin[0][0], "name": impact.source_name},
                    )
            cur.execute(
                "UPDATE imports SET withdrawn_at = ?, withdrawn_by = ? WHERE import_id = ?",
                [datetime.now(), str(actor), import_id] if withdraw else [None, None, import_id],
            )
            _audit(cur, actor, "import.withdraw" if withdraw else "import.restore", import_id, impact.details())
        self._changed()
        return impact

    def purge_import(self, import_id: int, actor: str, *, admin: bool) -> int:
        """Delete a *withdrawn* import's rows and record for good (audited as ``import.purge``).
        Only an administrator may (``admin``: the caller's role decision); an import still in
        view must be withdrawn first. Returns the rows deleted."""
        import_id = int(import_id)
        if not admin:
            raise NotAllowedError(key="undo.purge_admin_only", params={"import_id": import_id})
        removed = 0
        with self._write() as cur:
            impact = _impact(cur, import_id)
            if not impact.withdrawn:
                raise StoreError(
                    key="undo.purge_not_withdrawn", params={"import_id": import_id}, hint_key="hint.withdraw_first"
                )
            for t in TABLES.values():
                removed += int(impact.rows.get(t.name, 0))
                cur.execute(f"DELETE FROM {q(t.name)} WHERE import_id = ?", [import_id])
            cur.execute("DELETE FROM imports WHERE import_id = ?", [import_id])
            _audit(cur, actor, "import.purge", import_id, {**impact.details(), "rows_deleted": removed})
        self._changed()
        return removed

    # ------------------------------------------------------------ reads
    def _snapshot_sql(
        self,
        table: str,
        *,
        current: bool,
        as_of: date | None,
        projects: list[str] | None,
        upto_import: int | None = None,
        exclude: list[str] | None = None,
        reach: Reach | None = None,
    ):
        t = TABLES[table]
        # The same snapshot in the form each engine runs fastest (the contract tests run both):
        # DuckDB hash-joins on IS NOT DISTINCT FROM (a self-join, 32 ms for 20,000 current tasks of
        # 1,000 projects; the window form 82 ms); PostgreSQL cannot hash such a join, whose cost grew
        # with rows x projects (a reporting refresh 86 s), so it gets one scan with window functions.
        snapshot = _snapshot_window if self.kind == "postgres" else _snapshot_join
        sql, params = snapshot(t, current=current, as_of=as_of, upto_import=upto_import)
        if not t.dated:
            return sql, params
        # tables without a project_id column (fx_rates, ...) are not narrowed by project
        by_project = "project_id" in t.column_names
        cond = []
        if projects and by_project:
            cond.append(f"f.project_id IN ({', '.join('?' for _ in projects)})")
            params.extend(projects)
        if exclude and by_project:
            cond.append(f"(f.project_id IS NULL OR f.project_id NOT IN ({', '.join('?' for _ in exclude)}))")
            params.extend(exclude)
        if reach is not None and not reach.everything and by_project:
            visible, vparams = self._reach_sql(reach, upto_import)
            cond.append(f"f.project_id IN ({visible})")
            params.extend(vparams)
        if cond:
            sql += " AND " + " AND ".join(cond)
        return sql, params

    def _reach_sql(self, reach: Reach, upto_import: int | None = None) -> tuple[str, list]:
        """A subquery of the project ids inside ``reach``: projects whose latest stored status
        date (any as-of date; up to ``upto_import``) names a listed portfolio or department,
        and the listed project ids. Nothing listed: no project."""
        ors: list[str] = []
        params: list = []
        for col, values in (
            ("portfolio", reach.portfolios),
            ("department", reach.departments),
            ("project_id", reach.projects),
        ):
            if values:
                ors.append(f"v.{q(col)} IN (SELECT unnest(?::VARCHAR[]))")
                params.append(list(values))
        if not ors:
            return "SELECT NULL::VARCHAR WHERE FALSE", []
        latest, lparams = self._snapshot_sql(
            "projects", current=True, as_of=None, projects=None, upto_import=upto_import
        )
        return f"SELECT v.project_id FROM ({latest}) v WHERE {' OR '.join(ors)}", lparams + params

    def table(
        self,
        table: str,
        *,
        current: bool = True,
        as_of: date | None = None,
        projects: list[str] | None = None,
        upto_import: int | None = None,
        exclude: list[str] | None = None,
        reach: Reach | None = None,
    ) -> pd.DataFrame:
        """Rows of a canonical table: the current snapshot per project (``current=True``: each
        project's latest status date on or before ``as_of``), or every status date's snapshot
        (``current=False``: those on or before ``as_of``). ``projects`` keeps only those project
        ids, ``exclude`` leaves those out (tables without ``project_id`` are not narrowed).
        Callers outside the store go through ``frames.load_frames``.

        ``upto_import`` reads the store as it was when that import was the latest (imports
        with a higher number are ignored): a page pins it once per run so that every table it
        reads comes from the same set of imports, even if another session commits meanwhile.

        ``reach`` (``access.Reach``, None = every project) keeps only the projects a person may
        see, in SQL: rows of other projects never leave the database."""
        if table not in TABLES:
            raise StoreError(key="config.unknown_table", params={"table": table, "known": ", ".join(TABLES)})
        if not TABLES[table].fact:  # reference data without snapshots: every row
            return self.query(f"SELECT * FROM {q(table)}")
        sql, params = self._snapshot_sql(
            table,
            current=current,
            as_of=as_of,
            projects=projects,
            upto_import=upto_import,
            exclude=exclude,
            reach=reach,
        )
        order = ", ".join(q(k) for k in TABLES[table].key)
        return self.query(f"{sql} ORDER BY f.status_date, {order}", params)

    def status_dates(self) -> list[date]:
        """Every distinct status date of the imports not withdrawn, ascending."""
        df = self.query("SELECT DISTINCT status_date FROM imports WHERE withdrawn_at IS NULL ORDER BY 1")
        return [d.date() for d in pd.to_datetime(df["status_date"])]

    def counts(self) -> dict[str, int]:
        """Row count of every canonical table (all snapshots of the imports not withdrawn)."""
        out = {}
        with self.cursor() as cur:
            for t in TABLES:
                out[t] = cur.execute(f"SELECT count(*) FROM {q(t)} WHERE {VISIBLE_IMPORTS}").fetchall()[0][0]
        return out

    # ------------------------------------------------------------ reporting tables (BI)
    def imports_state(self) -> str:
        """Which imports exist and which are withdrawn, as a short text that changes with every
        import, withdrawal, restore and purge (and only then): ``<latest id>.<count>.<digest>``."""
        with self.cursor() as cur:
            return _imports_state(cur)

    def replace_reporting(self, tables: dict[str, pa.Table], *, expect_state: str) -> bool:
        """Replace the reporting tables (``reporting.TABLES``; Arrow tables in their schema) in
        one transaction, only if the imports are still in ``expect_state`` (what they were
        computed from): False, and nothing written, when a change committed meanwhile. The data
        version is not bumped: the app's own data did not change (no page recomputes for it)."""
        with _write_lock, self.cursor() as cur:
            cur.begin()  # PostgreSQL: under the cross-server write lock
            try:
                if _imports_state(cur) != expect_state:
                    cur.rollback()
                    return False
                for name, table in tables.items():
                    target = q(stored_name(name))
                    cur.execute(f"DELETE FROM {target}")
                    cols = ", ".join(q(c) for c in table.column_names)
                    cur.insert_arrow(
                        f"_reporting_{name}",
                        table,
                        f"INSERT INTO {target} ({cols}) SELECT {cols} FROM _reporting_{name}",
                    )
                cur.commit()
            except BaseException:
                cur.rollback()
                raise
        return True

    def reporting_table(self, name: str) -> pd.DataFrame:
        """The rows of the view ``reporting.v1_<name>`` (``reporting.TABLES``) as BI tools see them."""
        cols = ", ".join(q(c.name) for c in REPORTING_TABLES[name])
        return self.query(f"SELECT {cols} FROM {q(REPORTING_SCHEMA)}.{q(view_name(name))}")

    def reporting_version(self) -> str | None:
        """The data version the reporting tables were computed at (None: never refreshed)."""
        df = self.query(f"SELECT data_version FROM {q(stored_name('refresh'))} LIMIT 1")
        return None if df.empty else str(df["data_version"].iloc[0])

    def grant_reporting_reader(self, role: str, reach: Reach | None = None, *, actor: str = CLI_ACTOR) -> bool:
        """PostgreSQL: let the database role ``role`` (created NOLOGIN when missing; give it LOGIN
        and a password, or grant it to a login role) read the reporting views and nothing else:
        USAGE on the ``reporting`` schema, SELECT on each ``reporting.v1_*`` view. ``reach``
        (portfolios, departments, projects) narrows the rows it sees, in the views themselves;
        None or one with ``everything``: every row. Audited (``reporting.grant``). Returns True
        when the role was created. Needs a user allowed to create roles and grant."""
        if self.kind != "postgres":
            raise StoreError(key="pg.only", params={"what": "reporting --grant"})
        with self._write() as cur:
            created = not cur.execute("SELECT count(*) FROM pg_roles WHERE rolname = ?", [role]).fetchall()[0][0]
            if created:
                cur.execute(f"CREATE ROLE {q(role)} NOLOGIN")
            cur.execute(f"GRANT USAGE ON SCHEMA {q(REPORTING_SCHEMA)} TO {q(role)}")
            for name in REPORTING_TABLES:
                cur.execute(f"GRANT SELECT ON {q(REPORTING_SCHEMA)}.{q(view_name(name))} TO {q(role)}")
            cur.execute("DELETE FROM reporting_reach WHERE db_role = ?", [role])
            narrowed = reach is not None and not reach.everything
            if narrowed:
                assert reach is not None
                cur.execute(
                    "INSERT INTO reporting_reach VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        role,
                        list(reach.portfolios),
                        list(reach.departments),
                        list(reach.projects),
                        datetime.now(),
                        actor,
                    ],
                )
            details = {"created": created, "reach": _reach_json(reach) if narrowed else "everything"}
            _audit(cur, actor, "reporting.grant", role, details)
        return created

    def _changed(self) -> None:
        """After a committed change of the data or the organisation's settings: bring the
        reporting tables up to date (``reporting.after_change``; ``PMO_REPORTING=off`` skips it)."""
        from .reporting import after_change

        after_change(self)

    # ------------------------------------------------------------ copying a whole store
    @staticmethod
    def stored_tables() -> list[str]:
        """Every table this program stores and ``copy-store`` copies: the imports, the canonical
        tables, documents, notes, audit, grants, settings and the reporting tables (not the
        schema version and data version: each store keeps its own)."""
        return [t for t in ("imports", *TABLES, *AUX_DDL) if t != "data_version"]

    def stored_counts(self) -> dict[str, int]:
        """Rows of every stored table (withdrawn imports' rows included)."""
        with self.cursor() as cur:
            return {t: cur.execute(f"SELECT count(*) FROM {q(t)}").fetchall()[0][0] for t in self.stored_tables()}

    def read_stored(self) -> dict[str, pa.Table]:
        """Every row of every stored table as Arrow, read in one transaction (one consistent state)."""
        out: dict[str, pa.Table] = {}
        with self.cursor() as cur:
            cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ" if self.kind == "postgres" else "BEGIN TRANSACTION")
            try:
                for t in self.stored_tables():
                    table = cur.arrow(f"SELECT * FROM {q(t)}")
                    assert table is not None
                    out[t] = table
            finally:
                cur.rollback()
        return out

    def write_stored(self, tables: dict[str, pa.Table], *, replace: bool = False) -> None:
        """Load ``tables`` (``read_stored`` of another store) in one transaction: refused with
        ``StoreError`` when this store holds any row (``replace``: its rows are deleted first);
        the rows per table are counted before the commit and must match; import numbers
        continue after the highest one loaded. Any failure leaves this store unchanged."""
        with self._write() as cur:
            held = {t: cur.execute(f"SELECT count(*) FROM {q(t)}").fetchall()[0][0] for t in self.stored_tables()}
            busy = {t: n for t, n in held.items() if n}
            if busy and not replace:
                raise StoreError(
                    key="copy.target_not_empty",
                    params={"target": _label(self.path), "tables": ", ".join(f"{t} {n}" for t, n in busy.items())},
                    hint_key="hint.copy_replace",
                )
            for t in busy:
                cur.execute(f"DELETE FROM {q(t)}")
            for t, table in tables.items():
                if t not in held or not table.num_rows:
                    continue
                cols = ", ".join(q(c) for c in table.column_names)
                cur.insert_arrow(
                    f"_copy_{t}", table, f"INSERT INTO {q(t)} ({cols}) SELECT {cols} FROM {q('_copy_' + t)}"
                )
            landed = {t: cur.execute(f"SELECT count(*) FROM {q(t)}").fetchall()[0][0] for t in held}
            wrong = {t: (tables[t].num_rows if t in tables else 0, n) for t, n in landed.items()}
            wrong = {t: ab for t, ab in wrong.items() if ab[0] != ab[1]}
            if wrong:  # verified before the commit: a copy that does not add up is not kept
                raise StoreError(
                    key="copy.count_mismatch",
                    params={"tables": ", ".join(f"{t}: {a} -> {b}" for t, (a, b) in wrong.items())},
                )
            top = int(cur.execute("SELECT coalesce(max(import_id), 0) FROM imports").fetchall()[0][0])
            if self.kind == "postgres":
                cur.execute("SELECT setval('import_seq', ?, ?)", [max(top, 1), top > 0])
                cur.fetchall()
            else:
                cur.execute("DROP SEQUENCE import_seq")
                cur.execute(f"CREATE SEQUENCE import_seq START {top + 1}")

    # ------------------------------------------------------------ documents
    def save_document(
        self,
        kind: str,
        name: str,
        body: str,
        fingerprint: str = "",
        *,
        saved_by: str = "",
        audit: tuple[str, dict] | None = None,
    ) -> None:
        """Save (replace) a named document such as a column-mapping profile; ``saved_by`` is the
        identity saving it. ``audit`` (action, details) records an audit entry by ``saved_by``
        in the same transaction."""
        with self._write() as cur:
            cur.execute("DELETE FROM documents WHERE kind = ? AND name = ?", [kind, name])
            cur.execute(
                "INSERT INTO documents (kind, name, fingerprint, body, saved_at, saved_by) VALUES (?, ?, ?, ?, ?, ?)",
                [kind, name, fingerprint, body, datetime.now(), saved_by],
            )
            if audit is not None:
                _audit(cur, saved_by, audit[0], name, audit[1])

    def documents(self, kind: str) -> pd.DataFrame:
        """Saved documents of ``kind`` (kind, name, fingerprint, body, saved_at, saved_by), newest first."""
        return self.query("SELECT * FROM documents WHERE kind = ? ORDER BY saved_at DESC", [kind])

    def delete_document(self, kind: str, name: str, *, actor: str = "", audit: tuple[str, dict] | None = None) -> bool:
        """Delete the document ``name`` of ``kind``; True when there was one. ``audit`` (action,
        details) records an audit entry by ``actor`` in the same transaction."""
        with self._write() as cur:
            n = cur.execute("SELECT count(*) FROM documents WHERE kind = ? AND name = ?", [kind, name]).fetchall()[0][0]
            cur.execute("DELETE FROM documents WHERE kind = ? AND name = ?", [kind, name])
            if n and audit is not None:
                _audit(cur, actor, audit[0], name, audit[1])
        return bool(n)

    # ------------------------------------------------------------ audit trail
    def record_audit(self, actor: str, action: str, target: str = "", details: dict | None = None) -> None:
        """Append one audit entry: ``actor`` is the signed-in identity (e-mail, or ``local`` in
        open mode), ``action`` a dotted code such as ``import.load`` or ``access.grant``,
        ``target`` what it acted on (an import id, a mapping name, a person), ``details`` a JSON
        object of the rest. Entries are never updated or deleted."""
        with self._write() as cur:
            _audit(cur, actor, action, target, details)

    def audit_entries(
        self, *, actor: str | None = None, action: str | None = None, since: datetime | None = None
    ) -> pd.DataFrame:
        """Audit entries (recorded_at, actor, action, target, details), newest first; ``action`` matches a
        code or a prefix ending in "." (``import.`` = every import action)."""
        where: list[str] = []
        params: list[object] = []
        if actor:
            where.append("actor = ?")
            params.append(actor)
        if action:
            if action.endswith("."):
                where.append("starts_with(action, ?)")
            else:
                where.append("action = ?")
            params.append(action)
        if since is not None:
            where.append("recorded_at >= ?")
            params.append(since)
        sql = "SELECT * FROM audit" + (" WHERE " + " AND ".join(where) if where else "")
        return self.query(sql + " ORDER BY recorded_at DESC", params)

    # ------------------------------------------------------------ notes and in-app edits
    def save_note(
        self, project_id: str, status_date: date, note: str, author: str = "", *, access: Access | None = None
    ) -> None:
        """Save the manager's note of ``project_id`` for ``status_date`` (earlier versions stay),
        with its audit entry (``note.save``). With ``access`` (the signed-in person) the author
        is their e-mail, never a typed name, and the project must be inside what they may change."""
        if not isinstance(status_date, date) or isinstance(status_date, datetime):
            status_date = pd.Timestamp(status_date).date()
        if access is not None:
            require(access, "note")
            author = access.actor
        actor = access.actor if access is not None else (author or CLI_ACTOR)
        with self._write() as cur:
            if access is not None:
                _check_write_reach(cur, access, {"notes": pd.DataFrame({"project_id": [str(project_id)]})})
            cur.execute(
                "INSERT INTO notes VALUES (?, ?, ?, ?, ?)",
                [str(project_id), status_date, str(note), str(author or ""), datetime.now()],
            )
            _audit(cur, actor, "note.save", str(project_id), {"status_date": status_date.isoformat()})

    def notes(
        self,
        *,
        projects: list[str] | None = None,
        status_date: date | None = None,
        history: bool = False,
        reach: Reach | None = None,
    ) -> pd.DataFrame:
        """Managers' notes (project_id, status_date, note, author, saved_at): the latest save per
        project and status date, or every save (``history=True``), oldest first; ``reach``:
        only the projects a person sees (as ``table``)."""
        where: list[str] = []
        params: list = []
        if projects:
            where.append(f"project_id IN ({', '.join('?' for _ in projects)})")
            params.extend(str(p) for p in projects)
        if reach is not None and not reach.everything:
            visible, vparams = self._reach_sql(reach)
            where.append(f"project_id IN ({visible})")
            params.extend(vparams)
        if status_date is not None:
            where.append("status_date = ?")
            params.append(status_date)
        src = "notes" + (" WHERE " + " AND ".join(where) if where else "")
        cols = ", ".join(q(n) for n, _ in AUX_DDL["notes"])
        if history:
            sql = f"SELECT {cols} FROM {src}"
        else:
            sql = latest_rows(cols, src, "project_id, status_date", "saved_at DESC")
        return self.query(sql + " ORDER BY project_id, status_date, saved_at", params)

    def save_edit(
        self, table: str, frame: pd.DataFrame, status_date: date, user: str = "", *, access: Access | None = None
    ) -> ImportResult:
        """Store an in-app edit of ``table`` (canonical columns) as a new import batch, like a file:
        validated row by row (a bad row raises ``ValidationError`` naming it; nothing is saved),
        listed in the import history and undoable. Each project in ``frame`` gets the edited rows
        as its snapshot for ``status_date``. With ``access`` (the signed-in person) the edit is
        named by their e-mail, never a typed name, and checked like an import (role ``edit``)."""
        import hashlib

        from .errors import ValidationError
        from .ingest.validate import coerce_table

        if table not in TABLES:
            raise StoreError(key="config.unknown_table", params={"table": table, "known": ", ".join(TABLES)})
        if access is not None:
            require(access, "edit")
            user = access.actor
        at = datetime.now()
        name = f"edit by {user or 'unknown'} at {at:%Y-%m-%d %H:%M:%S}"
        cols = [c for c in TABLES[table].column_names if c in frame.columns]
        raw = frame[cols].astype(object).where(frame[cols].notna(), None)
        coerced = coerce_table(
            table,
            raw.reset_index(drop=True),
            file=name,
            sheet=TABLES[table].sheet_en,
            row_numbers=list(range(1, len(raw) + 1)),  # the editor's row numbers
        )
        if coerced.problems and any(p.severity == "error" for p in coerced.problems):
            first = [str(p) for p in coerced.problems if p.severity == "error"][:5]
            raise ValidationError(
                problems=coerced.problems, key="store.edit_not_saved", params={"problems": "; ".join(first)}
            )
        if coerced.valid.empty:
            raise ValidationError(key="store.edit_empty", params={"table": table}, hint_key="hint.undo_edit")
        csv = raw.to_csv(index=False).encode("utf-8")
        parsed = ParsedUpload(
            source_name=name,
            source_format="in-app edit",
            # an edit is an event, not a file: its moment is in the hash, so taking a change back
            # and making it again is saved (never refused as a duplicate of the earlier edit)
            sha256=hashlib.sha256(f"{table}\n{at.isoformat()}\n".encode() + csv).hexdigest(),
            tables={table: coerced.valid},
            problems=list(coerced.problems),
            notes=list(coerced.notes),
            rows_in=coerced.rows_in,
            rejected_rows=coerced.rejected,
        )
        return self.import_parsed(parsed, status_date, access=access, action="edit")

    # ------------------------------------------------------------ access and organisation settings
    def grants(self) -> list[Grant]:
        """Every stored grant (``access.Grant``), e-mails first, then groups, by subject."""
        df = self.query("SELECT * FROM access_grants ORDER BY kind, subject")
        out = []
        for r in df.itertuples(index=False):
            lists = {f: tuple(getattr(r, f) if getattr(r, f) is not None else ()) for f in ACCESS_LISTS}
            out.append(Grant(str(r.kind), str(r.subject), str(r.role), **lists))
        return out

    def grants_frame(self) -> pd.DataFrame:
        """Every stored grant with who granted it and when (the admin page's table)."""
        return self.query("SELECT * FROM access_grants ORDER BY kind, subject")

    def seed_grants(self, grants: list[Grant], source: str) -> bool:
        """Store ``grants`` (read from the access file ``source``) when no grant is stored yet;
        the database is the truth afterwards. Returns True when it seeded. Audited (``access.seed``)."""
        with self._write() as cur:
            if cur.execute("SELECT count(*) FROM access_grants").fetchall()[0][0]:
                return False  # commits nothing but the data version
            for g in grants:
                _insert_grant(cur, g, f"file:{source}")
            _audit(cur, f"file:{source}", "access.seed", source, {"grants": len(grants)})
        return True

    def save_grant(self, grant: Grant, access: Access | None = None) -> None:
        """Add or replace the grant of ``grant.kind``/``grant.subject`` (admins; audited
        ``access.grant`` with the grant before and after)."""
        from .access import GRANT_KINDS, ROLES

        if access is not None:
            require(access, "manage_access")
        if grant.kind not in GRANT_KINDS or grant.role not in ROLES or not grant.subject.strip():
            raise StoreError(
                key="access.bad_grant", params={"kind": grant.kind, "subject": grant.subject, "role": grant.role}
            )
        actor = access.actor if access is not None else CLI_ACTOR
        before = [g for g in self.grants() if (g.kind, g.subject) == (grant.kind, grant.subject)]
        with self._write() as cur:
            cur.execute("DELETE FROM access_grants WHERE kind = ? AND subject = ?", [grant.kind, grant.subject])
            _insert_grant(cur, grant, actor)
            _audit(
                cur,
                actor,
                "access.grant",
                f"{grant.kind}:{grant.subject}",
                {"before": _grant_json(before[0]) if before else None, "after": _grant_json(grant)},
            )

    def delete_grant(self, kind: str, subject: str, access: Access | None = None) -> bool:
        """Remove the grant of ``kind``/``subject`` (admins; audited ``access.revoke``). False when none."""
        if access is not None:
            require(access, "manage_access")
        actor = access.actor if access is not None else CLI_ACTOR
        before = [g for g in self.grants() if (g.kind, g.subject) == (kind, subject)]
        if not before:
            return False
        with self._write() as cur:
            cur.execute("DELETE FROM access_grants WHERE kind = ? AND subject = ?", [kind, subject])
            _audit(cur, actor, "access.revoke", f"{kind}:{subject}", {"before": _grant_json(before[0])})
        return True

    def org_settings(self) -> dict[str, object]:
        """The organisation's saved settings (name -> value, the latest save of each name)."""
        import json

        df = self.query(latest_rows("name, value", "org_settings", "name", "saved_at DESC"))
        return {str(n): json.loads(v) for n, v in zip(df["name"], df["value"], strict=True)}

    def save_org_settings(self, changes: dict[str, object], access: Access | None = None) -> None:
        """Save organisation settings (admins; one audit entry ``settings.save`` with the values
        before and after)."""
        import json

        if access is not None:
            require(access, "manage_settings")
        actor = access.actor if access is not None else CLI_ACTOR
        before = self.org_settings()
        at = datetime.now()
        with self._write() as cur:
            for name, value in changes.items():
                cur.execute(
                    "INSERT INTO org_settings VALUES (?, ?, ?, ?)",
                    [name, json.dumps(value, ensure_ascii=False, default=str), at, actor],
                )
            _audit(
                cur,
                actor,
                "settings.save",
                "organisation",
                {"before": {k: before.get(k) for k in changes}, "after": dict(changes)},
            )
        self._changed()

    # ------------------------------------------------------------ maintenance
    def backup(self, dest: str | Path) -> Path:
        """Write a consistent copy of the database to ``dest`` (a new DuckDB file)."""
        if self.kind != "duckdb":
            raise StoreError(key="pg.use_pg_dump", params={"what": "backup"})
        dest = Path(dest).resolve()
        if dest.exists():
            raise StoreError(key="store.backup_exists", params={"path": str(dest)}, hint_key="hint.new_backup_name")
        with _write_lock, self.cursor() as cur:
            cur.execute("CHECKPOINT")
            cur.execute(f"ATTACH {_literal(str(dest))} AS backup_db")
            try:
                cur.execute("COPY FROM DATABASE " + q(_db_name(cur)) + " TO backup_db")
            finally:
                cur.execute("DETACH backup_db")
        return dest


def latest_rows(columns: str, source: str, partition: str, order: str) -> str:
    """``SELECT columns FROM source`` keeping the first row of each ``partition`` by ``order``
    (DuckDB's QUALIFY, written so PostgreSQL runs it too)."""
    return (
        f"SELECT {columns} FROM (SELECT *, row_number() OVER (PARTITION BY {partition} ORDER BY {order}) "
        f"AS _rn FROM {source}) _latest WHERE _rn = 1"
    )


def _audit(cur, actor: str, action: str, target: object = "", details: dict | None = None) -> None:
    """Insert one audit entry on ``cur`` (inside the caller's transaction, if any)."""
    import json

    body = json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str)
    cur.execute(
        "INSERT INTO audit (recorded_at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)",
        [datetime.now(), str(actor), str(action), str(target), body],
    )


def _reach_json(reach: Reach | None) -> dict:
    if reach is None:
        return {}
    return {
        "portfolios": list(reach.portfolios),
        "departments": list(reach.departments),
        "projects": list(reach.projects),
    }


def _imports_state(cur) -> str:
    import hashlib

    rows = cur.execute("SELECT import_id, withdrawn_at IS NOT NULL FROM imports ORDER BY import_id").fetchall()
    digest = hashlib.sha256(";".join(f"{i}:{int(w)}" for i, w in rows).encode()).hexdigest()[:12]
    return f"{rows[-1][0] if rows else 0}.{len(rows)}.{digest}"


def _label(target: str) -> str:
    """A store's name for messages: a DuckDB path, or a PostgreSQL URL without its password."""
    from .store_backend import pg_label

    if not is_postgres_url(target):
        return target
    info = pg_label(target)
    return f"postgresql://{info['host']}:{info['port']}/{info['db']}"


def _literal(text: str) -> str:
    """SQL string literal (ATTACH takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _db_name(cur) -> str:
    return cur.execute("SELECT current_database()").fetchall()[0][0]


def restore(src: str | Path, target: str | Path) -> Path:
    """Replace the database file ``target`` with the backup ``src``, safely.

    - Refused with ``StoreBusyError`` while another process (the dashboard, a CLI import) has
      ``target`` open: copying over a file in use leaves a write-ahead log that no longer
      matches the file, and the database then cannot be opened at all.
    - The backup is copied *through DuckDB* into a new file beside the target (which checks it
      is a database of this program, and includes anything still in the backup's own log),
      and only then moved over the target in one step (``os.replace``): a crash part-way
      leaves the old database in place.
    - The replaced file is kept as ``<target>.before-restore`` (nothing is lost; a database
      that no longer opens can be restored over, and the broken file stays for inspection).
    """
    src_p, target_p = Path(src).resolve(), Path(target).resolve()
    if not src_p.is_file():
        raise NotFoundError(key="store.backup_not_found", params={"path": str(src_p)})
    if src_p == target_p:
        raise StoreError(key="store.backup_is_database")
    close_all()
    _check_not_in_use(target_p)
    tmp = target_p.with_name(target_p.name + ".restoring")
    for p in (tmp, Path(str(tmp) + ".wal")):
        p.unlink(missing_ok=True)
    con = duckdb.connect(":memory:")
    try:
        try:
            con.execute(f"ATTACH {_literal(str(src_p))} AS src_db (READ_ONLY)")
            con.execute("SELECT count(*) FROM src_db.main.imports").fetchall()
        except duckdb.Error as exc:
            raise StoreError(
                key="store.not_a_backup", params={"path": str(src_p), "detail": str(exc)}, hint_key="hint.choose_backup"
            ) from exc
        con.execute(f"ATTACH {_literal(str(tmp))} AS new_db")
        con.execute("COPY FROM DATABASE src_db TO new_db")
        con.execute("DETACH new_db")
        con.execute("DETACH src_db")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    _check_not_in_use(target_p)  # again, right before the swap
    wal = Path(str(target_p) + ".wal")
    if target_p.exists():
        keep = target_p.with_name(target_p.name + ".before-restore")
        os.replace(target_p, keep)
        if wal.exists():
            os.replace(wal, Path(str(keep) + ".wal"))
    os.replace(tmp, target_p)
    return target_p


def _check_not_in_use(path: Path) -> None:
    """Raise ``StoreBusyError`` if another process holds ``path`` open (after the usual wait).
    A file that exists but cannot be opened for another reason (damaged) is not "in use"."""
    if not path.exists():
        return
    try:
        _open(str(path)).close()
    except StoreBusyError:
        raise
    except StoreError:
        pass
