"""The store's contract on PostgreSQL: the store tests of the DuckDB file (imports, snapshots,
supersession, withdraw/restore/purge, documents, access reach on reads and writes, grants,
organisation settings, notes, edits, audit, frames, exchange rates, status dates) run again, unchanged,
on a fresh database of a real PostgreSQL server (``pg_url``, tests/pg.py): this module's ``store``
fixture replaces conftest's DuckDB one for every test imported here. Tests about the DuckDB file
itself (backup/restore of the file, older files, the file lock) stay in their own modules."""

from __future__ import annotations

import inspect

import pytest

from pmo_analytics import store as store_mod
from tests.test_access import *  # noqa: F403
from tests.test_frames import *  # noqa: F403
from tests.test_fx import *  # noqa: F403
from tests.test_import_status_date import *  # noqa: F403
from tests.test_mapping import *  # noqa: F403
from tests.test_store import *  # noqa: F403
from tests.test_withdrawal import *  # noqa: F403

# about the DuckDB file, not the store's contract
for _name in (
    "test_older_schema_file_is_upgraded",
    "test_newer_schema_is_refused",
    "test_backup_is_a_consistent_copy",
    "test_arrow_columns_keep_values_and_nulls",
):
    globals().pop(_name, None)

# only the tests that use a store (the others are the same code on either backend)
_STORE_FIXTURES = {"store", "two", "three", "hand_store"}
for _name, _fn in list(globals().items()):
    if _name.startswith("test_") and not _STORE_FIXTURES & set(inspect.signature(_fn).parameters):
        del globals()[_name]


@pytest.fixture
def store(pg_url):
    """A Store on a fresh PostgreSQL database (overrides conftest's DuckDB ``store``)."""
    s = store_mod.Store(pg_url)
    yield s
    store_mod.close_all()


@pytest.fixture
def hand_store(pg_url):
    """test_frames' hand-made history (P1 at Feb then Jan, P2 at Jan, P3-P5 closed/cancelled/on
    hold) on PostgreSQL; yields the URL (the tests open ``Store(url)`` and pass it as ``--db``)."""
    from tests import test_frames as tf

    s = store_mod.Store(pg_url)
    five = tf._projects(("P1", "Active"), ("P2", "Active"), ("P3", "已关闭"), ("P4", "Cancelled"), ("P5", "On hold"))
    tasks_jan = tf.pd.concat([tf._task(p, 0.2, 30.0) for p in ("P1", "P2", "P3", "P4", "P5")])
    tf._import(s, tf.FEB, "feb.xlsx", projects=tf._projects(("P1", "Active")), tasks=tf._task("P1", 0.5, 60.0))
    tf._import(s, tf.JAN, "jan.xlsx", projects=five, tasks=tasks_jan)
    store_mod.close_all()
    yield pg_url
    store_mod.close_all()
