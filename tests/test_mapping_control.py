"""Saved column mappings under control (issue 15 item 6): owned (saved_by, saved_at), listed,
editable, deletable in the library, the CLI and the Import page; a saved mapping is shown and
confirmed before it applies, never silently; every save, edit and delete is audited."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pmo_analytics import importing
from pmo_analytics.cli import main
from pmo_analytics.errors import ConfigError, NotFoundError
from pmo_analytics.ingest import readers
from pmo_analytics.store import Store, close_all

ROOT = Path(__file__).resolve().parent.parent
FIRST = (
    b"Proj,Ref No.,Activity,Begin,End date,Done %,Owner\r\n"
    b"APX,A-1,Survey,2025-04-01,2025-04-04,100%,Ana\r\n"
    b"APX,A-2,Permits,2025-04-07,2025-04-18,40%,Li\r\n"
)
HEADERS = ["Proj", "Ref No.", "Activity", "Begin", "End date", "Done %", "Owner"]
MAPPING = {"project_id": "Proj", "task_id": "Ref No.", "name": "Activity", "start": "Begin", "finish": "End date"}
TODAY = date.today().isoformat()


def _save(store, actor="ana@example.com"):
    return importing.save_profile(store, "Site works", "tasks", MAPPING, HEADERS, actor=actor)


def test_owned_listed_edited_deleted_and_audited(store):
    _save(store)
    listed = importing.list_profiles(store)
    assert listed[["name", "mapping_table", "columns_mapped", "saved_by"]].values.tolist() == [
        ["Site works", "tasks", 5, "ana@example.com"]
    ]
    prof = importing.get_profile(store, "Site works")
    assert f"{prof['saved_at']:%Y-%m-%d}" == TODAY
    # edited by another person: "Owner" now feeds the resource column; that person owns it now
    importing.update_profile(store, "Site works", {**MAPPING, "resource_names": "Owner"}, actor="bob@example.com")
    prof = importing.get_profile(store, "Site works")
    assert prof["mapping"]["resource_names"] == "Owner" and prof["saved_by"] == "bob@example.com"
    with pytest.raises(ConfigError):  # only headers the mapping was made for
        importing.update_profile(store, "Site works", {"task_id": "Nope"}, actor="bob@example.com")
    with pytest.raises(NotFoundError, match="there is no saved mapping named 'Other'"):
        importing.update_profile(store, "Other", MAPPING)
    assert importing.delete_profile(store, "Site works", actor="root@example.com") is True
    assert importing.delete_profile(store, "Site works", actor="root@example.com") is False
    assert importing.list_profiles(store).empty
    audit = store.audit_entries(action="mapping.").sort_values("recorded_at")
    assert audit[["actor", "action", "target"]].values.tolist() == [
        ["ana@example.com", "mapping.save", "Site works"],
        ["bob@example.com", "mapping.edit", "Site works"],
        ["root@example.com", "mapping.delete", "Site works"],
    ]
    assert json.loads(audit["details"].iloc[2])["saved_by"] == "bob@example.com"


def test_the_question_before_applying_in_both_languages(store):
    _save(store)
    prof, sheet = importing.match_profile(store, readers.read_upload("site.csv", FIRST))
    assert importing.profile_question(prof, "en") == (
        f"Apply “Site works”, saved by ana@example.com on {TODAY}? It reads this file into Tasks as follows:"
    )
    assert importing.profile_question(prof, "zh") == (
        f"应用“Site works”（ana@example.com 于 {TODAY} 保存）？它将按如下方式把此文件读入“任务”："
    )
    shown = importing.profile_frame(prof, "zh")
    assert shown[["mapping_column", "mapping_header"]].values.tolist()[:2] == [
        ["项目编号", "Proj"],
        ["任务编号", "Ref No."],
    ]
    # a mapping saved before owners were kept says so
    assert "someone unknown" in importing.profile_question({**prof, "saved_by": ""}, "en")


def test_cli_applies_a_saved_mapping_only_when_asked(tmp_path, capsys):
    db = str(tmp_path / "cli.duckdb")
    _save(Store(db))
    close_all()
    f = tmp_path / "site_2025-04-30.csv"
    f.write_bytes(FIRST)
    assert main(["import", str(f), "--db", db]) == 1
    err = capsys.readouterr().err
    assert (
        f"error: site_2025-04-30.csv: no format recognises it; the saved mapping 'Site works' (saved by "
        f"ana@example.com on {TODAY}) matches its headers Check it with `mappings show 'Site works'`, then pass "
        "--mapping 'Site works' to apply it."
    ) in err
    assert Store(db).counts()["tasks"] == 0
    close_all()
    assert main(["import", str(f), "--db", db, "--mapping", "Site works"]) == 0
    out = capsys.readouterr()
    assert "columns mapped with the saved mapping 'Site works' (--mapping)" in out.err
    assert "2 rows loaded into tasks" in out.out
    assert main(["import", str(f), "--db", db, "--mapping", "Nope"]) == 1
    assert "there is no saved mapping named 'Nope'" in capsys.readouterr().err

    assert main(["mappings", "list", "--db", db]) == 0
    assert "Site works" in capsys.readouterr().out
    assert main(["mappings", "show", "Site works", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"'Site works': loads tasks, saved by ana@example.com on {TODAY}"
    assert lines[1:] == [
        "  project_id <- 'Proj'",
        "  task_id <- 'Ref No.'",
        "  name <- 'Activity'",
        "  start <- 'Begin'",
        "  finish <- 'End date'",
    ]
    assert main(["mappings", "delete", "Site works", "--db", db]) == 0
    assert main(["mappings", "list", "--db", db, "--json"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "[]"
    assert Store(db).audit_entries(action="mapping.delete")["actor"].tolist() == ["local"]
    close_all()


def _page(lang="en"):
    at = AppTest.from_file(str(ROOT / "pages" / "20_import.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def test_page_asks_in_chinese_and_map_by_hand_is_the_other_answer(app_db):
    _save(Store())
    at = _page("zh")
    at.file_uploader[0].set_value(("site.csv", FIRST, "text/csv")).run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == [
        f"应用“Site works”（ana\\@example.com 于 {TODAY} 保存）？它将按如下方式把此文件读入“任务”："
    ]
    assert not at.date_input  # nothing read yet
    at.button(key="map_hand_0").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="map_table_0") is not None  # the editor by hand
    assert not [w for w in at.warning if "Site works" in w.value]


def test_page_lists_edits_and_deletes_mappings_after_a_confirmation(app_db):
    _save(Store())
    at = _page()
    listed = [d.value for d in at.dataframe if "Saved by" in d.value.columns]
    assert listed and listed[0]["Saved by"].tolist() == ["ana@example.com"]
    at.button(key="mapping_delete").click().run()
    assert [w.value for w in at.warning] == [
        f"Delete the saved mapping “Site works” (5 columns, saved by ana\\@example.com on {TODAY})? Files with "
        "its headers will need mapping by hand again."
    ]
    assert importing.get_profile(Store(), "Site works") is not None  # asked, not done
    at.button(key="mapping_delete_yes").click().run()
    assert not at.exception, at.exception
    assert importing.get_profile(Store(), "Site works") is None
    assert Store().audit_entries(action="mapping.delete")["actor"].tolist() == ["local"]
    assert any("Mapping “Site works” deleted." in s.value for s in at.success)
