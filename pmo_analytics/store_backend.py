"""The two database engines behind ``store.Store``: the embedded DuckDB file and PostgreSQL.

API (settled; ``store.py`` and the copy-store/reporting code build on it):

- ``ENGINE_ERRORS``: what either engine raises for a failed statement.
- ``is_postgres_url(target)``: True for ``postgresql://...`` / ``postgres://...``.
- ``make_backend(target) -> Backend``: a new, unopened backend of a DuckDB path (``:memory:``
  too) or a PostgreSQL URL. The process-wide, opened and migrated one is ``store.backend(target)``;
  ``store.close_all()`` closes them all.
- ``Backend.kind`` ("duckdb" | "postgres"), ``Backend.cursor()`` (context manager) yields a
  ``Cursor``; ``Backend.ddl_type(duckdb_type)`` the column type on this engine;
  ``Backend.label`` the target without a password (messages).
- ``Cursor``: ``execute(sql, params) -> Cursor`` (SQL written once with ``?`` placeholders and
  the subset of SQL both engines speak), ``fetchall()``, ``arrow(sql, params) -> pa.Table``
  (reads arrive as Arrow: DuckDB's ``to_arrow_table``, ADBC's ``fetch_arrow_table``),
  ``insert_arrow(name, batch, sql, params)`` (bulk: the Arrow ``batch`` readable as table
  ``name`` while ``sql`` runs: DuckDB registers it, PostgreSQL ``adbc_ingest``s it (COPY) into a
  temporary table),
  ``begin()`` / ``commit()`` / ``rollback()``: ``begin`` on PostgreSQL also takes
  ``pg_advisory_xact_lock(WRITE_LOCK_KEY)``, so write transactions on any number of app servers
  run one after the other (released by commit/rollback, or by the server when the client dies).
- ``pg_label(url)``: host, port, db, user of a URL (never the password).
- Differences live here only (besides ``store._ensure_tables``' PostgreSQL-only import_id
  indexes): placeholders (``?`` -> ``$n``), DDL types (DOUBLE -> DOUBLE
  PRECISION), the schema name of ``information_schema`` (``current_schema()`` on both), the
  write lock, reading Arrow, bulk inserts, connection errors (a PostgreSQL URL is named by host,
  port and database, never its password).

PostgreSQL connections: a small pool of ADBC connections per process and URL (autocommit;
transactions by explicit BEGIN/COMMIT); a cursor holds one connection for its lifetime, so
Streamlit sessions on several threads never share a transaction, and script threads that come and
go leave no connection behind.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote, urlsplit

import duckdb
import pyarrow as pa

from .errors import StoreBusyError, StoreError


def _engine_errors() -> tuple[type[BaseException], ...]:
    try:
        from adbc_driver_manager import Error as AdbcError
    except ImportError:  # pragma: no cover - requirements.txt installs it
        return (duckdb.Error,)
    return (duckdb.Error, AdbcError)


# the exceptions either engine raises for a failed statement (caught and named as StoreError)
ENGINE_ERRORS = _engine_errors()

# pg_advisory_xact_lock key of every write transaction (an arbitrary constant: "PMO1" as bytes)
WRITE_LOCK_KEY = 0x504D4F31


def is_postgres_url(target: object) -> bool:
    """True when ``target`` names a PostgreSQL database rather than a DuckDB file."""
    s = str(target)
    return s.startswith(("postgresql://", "postgres://"))


def pg_label(url: str) -> dict[str, str]:
    """host, port, database and user of a PostgreSQL URL (never the password), for messages; a
    part that cannot be read is shown as written (a bad port) or "?"."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return {"host": "?", "port": "?", "db": "?", "user": ""}
    hostport = parts.netloc.rsplit("@", 1)[-1]
    try:
        port = str(parts.port or 5432)
    except ValueError:
        port = hostport.rsplit(":", 1)[-1] if ":" in hostport else "?"
    return {
        "host": parts.hostname or "localhost",
        "port": port,
        "db": unquote(parts.path.lstrip("/")) or "?",
        "user": unquote(parts.username or ""),
    }


def _placeholders(sql: str) -> str:
    """``?`` placeholders as PostgreSQL's ``$1, $2 ...`` (quoted literals and identifiers left alone)."""
    out: list[str] = []
    n = 0
    quote = ""
    for ch in sql:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "?":
            n += 1
            out.append(f"${n}")
            continue
        out.append(ch)
    return "".join(out)


def _pg_params(params: Sequence[Any]) -> pa.RecordBatch:
    """Parameters as one Arrow row with explicit types where inference would guess wrong
    (a list is always a list of text, also when empty)."""
    arrays = []
    for v in params:
        if isinstance(v, list | tuple):
            arrays.append(pa.array([[None if x is None else str(x) for x in v]], type=pa.list_(pa.string())))
        else:
            arrays.append(pa.array([v]))
    return pa.RecordBatch.from_arrays(arrays, names=[f"p{i}" for i in range(len(arrays))])


def _plain(table: pa.Table) -> pa.Table:
    """``table`` without the driver's field metadata (PostgreSQL type names): the same schema as DuckDB's."""
    fields = []
    for f in table.schema:
        typ = f.type
        if pa.types.is_list(typ):
            typ = pa.list_(pa.field("item", typ.value_type))  # the child field's metadata too
        fields.append(pa.field(f.name, typ, f.nullable))
    schema = pa.schema(fields)
    return table.cast(schema) if schema != table.schema else table.replace_schema_metadata(None)


class Cursor:
    """One engine's cursor with the operations the store needs (see the module docstring)."""

    kind = "duckdb"

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self._rows: list[tuple] | None = None

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Cursor:
        self.raw.execute(sql, list(params) if params else None)
        return self

    def fetchall(self) -> list[tuple]:
        return self.raw.fetchall()

    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table | None:
        rel = self.raw.sql(sql, params=list(params) if params else None)
        return None if rel is None else rel.to_arrow_table()

    def insert_arrow(self, name: str, batch: pa.Table, sql: str, params: Sequence[Any] = ()) -> None:
        """Make the Arrow ``batch`` readable as the table ``name`` and run ``sql`` (an
        ``INSERT ... SELECT ... FROM name``) with ``params``: a bulk write, no per-row Python.
        DuckDB reads the registered Arrow table itself."""
        self.raw.register(name, batch)
        try:
            self.execute(sql, params)
        finally:
            self.raw.unregister(name)

    def begin(self) -> None:
        self.raw.execute("BEGIN TRANSACTION")

    def commit(self) -> None:
        self.raw.execute("COMMIT")

    def rollback(self) -> None:
        self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()


class PgCursor(Cursor):
    """A cursor of an ADBC PostgreSQL connection (autocommit; explicit transactions)."""

    kind = "postgres"

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Cursor:
        sql = _placeholders(sql)
        if params:
            self.raw.execute(sql, _pg_params(params))
        else:
            self.raw.execute(sql)
        return self

    def fetchall(self) -> list[tuple]:
        if self.raw.description is None:
            return []
        return self.raw.fetchall()

    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table | None:
        self.execute(sql, params)
        if self.raw.description is None:
            return None
        return _plain(self.raw.fetch_arrow_table())

    def insert_arrow(self, name: str, batch: pa.Table, sql: str, params: Sequence[Any] = ()) -> None:
        """PostgreSQL: ``adbc_ingest`` (COPY) into the temporary table ``name``, ``sql``, drop it."""
        quoted = '"' + name.replace('"', '""') + '"'
        self.raw.execute(f"DROP TABLE IF EXISTS {quoted}")
        self.raw.adbc_ingest(name, batch, mode="create", temporary=True)
        try:
            self.execute(sql, params)
        finally:
            self.raw.execute(f"DROP TABLE IF EXISTS {quoted}")

    def begin(self) -> None:
        self.raw.execute("BEGIN")
        # one writer at a time across every app server; released at COMMIT/ROLLBACK or when the
        # session dies (kill -9 of an importer: the server rolls back and frees the lock)
        self.raw.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
        self.raw.fetchall()

    def close(self) -> None:
        self.raw.close()


class Backend:
    """The DuckDB file (one connection per process, a cursor per call)."""

    kind = "duckdb"

    def __init__(self, target: str) -> None:
        self.target = target
        self.label = target
        self._con: duckdb.DuckDBPyConnection | None = None

    def open(self) -> None:
        self._con = _open_duckdb(self.target)

    @contextmanager
    def cursor(self) -> Iterator[Cursor]:
        assert self._con is not None
        cur = Cursor(self._con.cursor())
        try:
            yield cur
        finally:
            cur.close()

    def ddl_type(self, sql_type: str) -> str:
        return sql_type

    def close(self) -> None:
        if self._con is not None:
            try:
                self._con.close()
            except duckdb.Error:
                pass
            self._con = None


class PgBackend(Backend):
    """A PostgreSQL database through ADBC: a small pool of connections (autocommit; a cursor
    takes one for its lifetime, so a write transaction stays on one connection and a thread
    never shares one with another while it is in use)."""

    kind = "postgres"
    POOL_IDLE_MAX = 8  # idle connections kept per process; more at once are opened and closed
    # an idle connection unused this long is checked (SELECT 1) before it is handed out: one the
    # server dropped meanwhile (restart, failover, idle timeout) is replaced, not failed on
    PING_AFTER_IDLE_S = 10.0

    def __init__(self, target: str) -> None:
        super().__init__(target)
        info = pg_label(target)
        self.info = info
        self.label = f"postgresql://{info['host']}:{info['port']}/{info['db']}"
        self._idle: list[tuple[Any, float]] = []  # (connection, when it was released)
        self._all: list[Any] = []
        self._pool_lock = threading.Lock()

    def _error(self, exc: BaseException) -> StoreError:
        detail = str(exc).replace(self.target, self.label)
        try:
            password = urlsplit(self.target).password
        except ValueError:
            password = None
        if password:
            detail = detail.replace(password, "***")
        info = self.info
        return StoreError(
            key="pg.cannot_connect",
            params={
                "host": info["host"],
                "port": info["port"],
                "db": info["db"],
                "user": info["user"],
                "detail": detail.strip()[:300],
            },
            hint_key="hint.pg_check_server",
        )

    def _connect(self) -> Any:
        try:
            import adbc_driver_postgresql.dbapi as adbc
        except ImportError as exc:  # pragma: no cover - requirements.txt installs it
            raise StoreError(key="pg.no_driver", params={"detail": str(exc)}) from exc
        try:
            urlsplit(self.target).port  # noqa: B018 - a bad port raises ValueError here
            con = adbc.connect(self.target, autocommit=True)
        except Exception as exc:  # ValueError (the URL), the driver's OperationalError ...
            raise self._error(exc) from exc
        with self._pool_lock:
            self._all.append(con)
        return con

    def _acquire(self) -> Any:
        while True:
            with self._pool_lock:
                if not self._idle:
                    break
                con, since = self._idle.pop()
            if time.monotonic() - since < self.PING_AFTER_IDLE_S or not _is_broken(con):
                return con
            self._drop(con)
        return self._connect()

    def _release(self, con: Any) -> None:
        with self._pool_lock:
            if con in self._all and len(self._idle) < self.POOL_IDLE_MAX:
                self._idle.append((con, time.monotonic()))
                return
        self._drop(con)

    def open(self) -> None:
        self._release(self._acquire())  # connects now: a bad URL or a stopped server is named at once

    @contextmanager
    def cursor(self) -> Iterator[Cursor]:
        con = self._acquire()
        cur = PgCursor(con.cursor())
        ok = False
        try:
            yield cur
            ok = True
        finally:
            try:
                cur.close()
            except Exception:  # noqa: S110 - closing a cursor of a dead connection
                pass
            # a connection the server dropped (restart, idle timeout) is not kept for the next call
            if ok or not _is_broken(con):
                self._release(con)
            else:
                self._drop(con)

    def _drop(self, con: Any) -> None:
        with self._pool_lock:
            if con in self._all:
                self._all.remove(con)
            self._idle = [(c, t) for c, t in self._idle if c is not con]
        try:
            con.close()
        except Exception:  # noqa: S110 - already dead
            pass

    def ddl_type(self, sql_type: str) -> str:
        return {"DOUBLE": "DOUBLE PRECISION"}.get(sql_type, sql_type)

    def close(self) -> None:
        with self._pool_lock:
            cons, self._all, self._idle = self._all, [], []
        for con in cons:
            try:
                con.close()
            except Exception:  # noqa: S110 - closing at exit
                pass


def _is_broken(con: Any) -> bool:
    try:
        cur = con.cursor()
        try:
            cur.execute("SELECT 1")
            cur.fetchall()
        finally:
            cur.close()
        return False
    except Exception:
        return True


def lock_wait_s() -> float:
    """How long to keep trying when another process holds the file (``PMO_LOCK_WAIT_S``, 5 s)."""
    import os

    try:
        return max(0.0, float(os.environ.get("PMO_LOCK_WAIT_S", 5)))
    except ValueError:
        return 5.0


def _open_duckdb(path: str) -> duckdb.DuckDBPyConnection:
    """Open the file; while another process holds its lock, retry for ``PMO_LOCK_WAIT_S``
    seconds (two command-line imports then take turns), then raise ``StoreBusyError``."""
    deadline = time.monotonic() + lock_wait_s()
    while True:
        try:
            return connect_duckdb_once(path)
        except StoreBusyError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.1)


def connect_duckdb_once(path: str) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(path)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise StoreBusyError(key="store.busy", params={"path": path}, hint_key="hint.close_other_program") from exc
        raise StoreError(key="store.cannot_open", params={"path": path, "detail": str(exc)}) from exc
    except duckdb.Error as exc:
        raise StoreError(key="store.cannot_open", params={"path": path, "detail": str(exc)}) from exc


def make_backend(target: str) -> Backend:
    """A new, unopened backend for ``target`` (a DuckDB path or a PostgreSQL URL)."""
    return PgBackend(target) if is_postgres_url(target) else Backend(target)
