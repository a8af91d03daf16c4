"""A real PostgreSQL server for the tests, started from Debian's packages in a temporary folder.

API (used by tests/conftest.py and by pgops' tests):

- ``find_bin_dir()``: the newest ``/usr/lib/postgresql/<N>/bin`` with ``initdb`` and ``pg_ctl``
  (or ``PMO_PG_BIN``), None when PostgreSQL is not installed.
- ``PgServer.start(root)``: initdb + pg_ctl start on a free loopback port, socket in ``root``;
  run as the ``postgres`` user when we are root (initdb refuses root). ``.url(db)`` is the
  ``postgresql://`` URL of database ``db``; ``.new_database()`` creates a fresh empty one and
  returns its URL; ``.sql(statement, db)`` runs one statement as the superuser; ``.restart()``; ``.stop()``
  stops the server (fast mode), ``.remove()`` deletes its folder.
- The pytest fixtures ``pg_server`` (session) and ``pg_url`` (a fresh database per test) live in
  tests/conftest.py: skipped with a reason when the binaries are absent, failed when ``CI=true``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

PG_ROOT = Path("/usr/lib/postgresql")


def find_bin_dir() -> Path | None:
    """The directory of ``initdb``/``pg_ctl``: ``PMO_PG_BIN``, else the newest Debian PostgreSQL."""
    env = os.environ.get("PMO_PG_BIN")
    if env:
        p = Path(env)
        return p if (p / "initdb").exists() and (p / "pg_ctl").exists() else None
    if not PG_ROOT.is_dir():
        return None
    found = []
    for d in PG_ROOT.iterdir():
        b = d / "bin"
        if (b / "initdb").exists() and (b / "pg_ctl").exists():
            try:
                found.append((int(d.name.split(".")[0]), b))
            except ValueError:
                continue
    return max(found)[1] if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres() -> list[str]:
    """The prefix that runs a command as the ``postgres`` user when we are root."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError as exc:
        raise RuntimeError("running as root but there is no 'postgres' user (install Debian's postgresql)") from exc
    return ["runuser", "-u", "postgres", "--"]


@dataclass
class PgServer:
    """One running server (superuser ``postgres``, trust authentication on loopback only)."""

    bin_dir: Path
    root: Path
    port: int
    _n: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @classmethod
    def start(cls, root: Path | None = None, bin_dir: Path | None = None) -> PgServer:
        bin_dir = bin_dir or find_bin_dir()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
        root = Path(root or tempfile.mkdtemp(prefix="pmo-pg-"))
        root.mkdir(parents=True, exist_ok=True)
        prefix = _as_postgres()
        if prefix:
            shutil.chown(root, "postgres", "postgres")
        os.chmod(root, 0o700)
        srv = cls(bin_dir, root, _free_port())
        env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        subprocess.run(
            [*prefix, str(bin_dir / "initdb"), "-D", str(srv.data_dir), "-U", "postgres", "-A", "trust"]
            + ["-E", "UTF8", "--no-sync", "--locale=C.UTF-8"],
            check=True,
            capture_output=True,
            env=env,
            cwd=root,
        )
        opts = (
            f"-p {srv.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB"
        )
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(srv.data_dir), "-o", opts, "-l", str(root / "log"), "-w"]
            + ["-t", "120", "start"],
            check=True,
            capture_output=True,
            env=env,
            cwd=root,
        )
        return srv

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def new_database(self, prefix: str = "t") -> str:
        """Create a fresh empty database; returns its URL."""
        with self._lock:
            self._n += 1
            name = f"{prefix}{os.getpid()}_{self._n}"
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def sql(self, statement: str, db: str = "postgres") -> list[tuple]:
        """Run one statement as the superuser on ``db`` (autocommit); its rows, if any."""
        import adbc_driver_postgresql.dbapi as adbc

        with adbc.connect(self.url(db), autocommit=True) as con, con.cursor() as cur:
            cur.execute(statement)
            return cur.fetchall() if cur.description else []

    def restart(self) -> None:
        """Stop and start the server again (same options): every client connection is cut."""
        subprocess.run(
            [*_as_postgres(), str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w"]
            + ["-t", "120", "-l", str(self.root / "log"), "restart"],
            check=True,
            capture_output=True,
            cwd=self.root,
        )

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def stop(self) -> None:
        subprocess.run(
            [*_as_postgres(), str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"],
            check=False,
            capture_output=True,
            cwd=self.root,
        )
