"""Shared fixtures: paths to ../shared (skipped cleanly when absent), a temporary store."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PMO_SHARED") or ROOT.parent / "shared")
DATA = Path(__file__).resolve().parent / "data"

# The reporting tables for BI tools are refreshed after every import in production; tests that
# import hundreds of files would spend minutes on it. tests/test_reporting.py turns it on.
os.environ.setdefault("PMO_REPORTING", "off")


def shared_file(*parts: str) -> Path:
    """A file under ../shared, or skip the test when ../shared (or the file) is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not present (../shared is not beside this checkout)")
    return p


@pytest.fixture
def evm_cases() -> dict:
    return json.loads(shared_file("reference", "evm_cases.json").read_text())


@pytest.fixture
def store(tmp_path):
    """A Store on a fresh DuckDB file in a temporary folder."""
    from pmo_analytics import store as store_mod

    s = store_mod.Store(tmp_path / "test.duckdb")
    yield s
    store_mod.close_all()


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server (Debian's initdb/pg_ctl, ``tests/pg.py``) for the whole session,
    stopped at the end. Skipped when PostgreSQL is not installed, except in CI (``CI=true``),
    where a missing server fails: ``.ci/run`` installs it (``make postgres``)."""
    from tests.pg import PgServer, find_bin_dir

    if find_bin_dir() is None:
        reason = "PostgreSQL server binaries not found under /usr/lib/postgresql (make postgres installs them)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + "; CI must run the PostgreSQL tests")
        pytest.skip(reason)
    server = PgServer.start()  # its own folder under /tmp: pytest's is not reachable by the postgres user
    yield server
    server.stop()
    server.remove()


@pytest.fixture
def pg_url(pg_server):
    """The URL of a fresh, empty PostgreSQL database on the session's server; connections closed afterwards."""
    from pmo_analytics import store as store_mod

    url = pg_server.new_database()
    yield url
    store_mod.close_all()


@pytest.fixture(params=["duckdb", "postgres"])
def any_store(request, tmp_path):
    """A Store on a fresh DuckDB file, then on a fresh PostgreSQL database (the contract tests)."""
    from pmo_analytics import store as store_mod

    if request.param == "duckdb":
        s = store_mod.Store(tmp_path / "test.duckdb")
    else:
        s = store_mod.Store(request.getfixturevalue("pg_url"))
    yield s
    store_mod.close_all()


APP = ROOT / "app.py"


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """PMO_DB pointed at a fresh file for AppTests; connections closed afterwards."""
    from pmo_analytics import store as store_mod

    db = tmp_path / "app.duckdb"
    monkeypatch.setenv("PMO_DB", str(db))
    yield db
    store_mod.close_all()


def run_app(page: str | None = None, *, timeout: float = 60, session_state: dict | None = None):
    """AppTest of app.py (optionally switched to ``pages/<page>``), run once, exceptions asserted."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for k, v in (session_state or {}).items():
        at.session_state[k] = v
    at.run()
    if page:
        at.switch_page(f"pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    return at
