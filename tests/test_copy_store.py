"""``copy-store`` (issue 16 item 5): a whole store into another, withdrawn imports, mappings,
notes, edits, audit, grants and settings included; counts verified; a target with data refused
unless --replace. Here DuckDB file -> DuckDB file; tests/test_copy_store_pg.py copies both
ways through a real PostgreSQL."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pmo_analytics.access import Grant
from pmo_analytics.cli import main
from pmo_analytics.copy_store import copy_store
from pmo_analytics.errors import StoreError
from pmo_analytics.ingest import parse_bytes
from pmo_analytics.store import CLI_ACTOR, Store, close_all
from tests.helpers import template_bytes


def fill(s: Store, tmp_path) -> None:
    """A store with something in every kind of table: two imports (one withdrawn), an edit,
    a saved mapping, a note, a grant, an organisation setting (the audit trail records them)."""
    data = template_bytes()
    first = s.import_parsed(parse_bytes("portfolio.xlsx", data), date(2025, 1, 24))
    s.import_parsed(parse_bytes("portfolio.xlsx", data), date(2025, 1, 31))
    s.withdraw_import(first.import_id, CLI_ACTOR)
    projects = s.table("projects")
    s.save_edit("projects", projects.assign(manager="Zoë 张"), date(2025, 1, 31), "ana@example.com")
    s.save_document("mapping", "Site works", '{"Project ID": "project_id"}', "fp1", saved_by="ana@example.com")
    s.save_note("P1", date(2025, 1, 31), "Vendor late; 供应商延迟", "ana@example.com")
    s.save_grant(Grant("email", "ana@example.com", "analyst", departments=("IT",)))
    s.save_org_settings({"ev_method": "50/50"})


@pytest.fixture
def source(tmp_path):
    s = Store(tmp_path / "source.duckdb")
    fill(s, tmp_path)
    yield s
    close_all()


def test_everything_is_copied_and_the_counts_agree(source, tmp_path):
    target = Store(tmp_path / "target.duckdb")
    report = copy_store(source, target)
    before = source.stored_counts()
    assert report.rows == before == target.stored_counts()
    # 3 imports (2 files + 1 edit), one of them withdrawn; every kind of table has rows
    assert before["imports"] == 3 and before["documents"] == 1 and before["notes"] == 1
    assert before["access_grants"] == 1 and before["org_settings"] == 1 and before["audit"] >= 6
    imports = target.imports()
    assert imports["withdrawn_at"].notna().sum() == 1 and imports["withdrawn_by"].dropna().tolist() == ["local"]
    # what the pages read is the same on both sides
    for table in ("projects", "tasks"):
        pd.testing.assert_frame_equal(target.table(table, current=False), source.table(table, current=False))
    assert target.table("projects")["manager"].tolist() == ["Zoë 张", "Zoë 张"]
    assert target.notes(projects=["P1"])["note"].tolist() == ["Vendor late; 供应商延迟"]
    assert target.grants() == source.grants() and target.org_settings() == source.org_settings()
    assert target.audit_entries()["action"].tolist() == source.audit_entries()["action"].tolist()
    # the next import continues after the highest copied number (notes/audit name imports by number)
    nxt = target.import_parsed(parse_bytes("again.xlsx", template_bytes()), date(2025, 2, 7))
    assert nxt.import_id == int(imports["import_id"].max()) + 1


def test_a_target_with_data_is_refused_unless_replaced(source, tmp_path):
    target = Store(tmp_path / "target.duckdb")
    target.save_org_settings({"ev_method": "0/100"})
    with pytest.raises(StoreError) as err:
        copy_store(source, target)
    assert err.value.key == "copy.target_not_empty" and "org_settings 1" in err.value.render("en")
    assert target.org_settings() == {"ev_method": "0/100"} and target.imports().empty  # unchanged
    copy_store(source, target, replace=True)
    assert target.org_settings() == {"ev_method": "50/50"} and target.stored_counts() == source.stored_counts()


def test_the_command_line(source, tmp_path, capsys):
    src = source.path
    close_all()
    dst = str(tmp_path / "cli.duckdb")
    assert main(["copy-store", "--from", src, "--to", dst]) == 0
    out = capsys.readouterr().out
    assert "rows per table agree" in out and "  imports: 3" in out
    assert main(["copy-store", "--from", src, "--to", dst]) == 1
    assert "--replace" in capsys.readouterr().err
    assert main(["copy-store", "--from", src, "--to", src]) == 1
    assert "same store" in capsys.readouterr().err
