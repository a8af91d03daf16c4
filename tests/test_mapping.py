"""Column mapping for unknown files: suggestions, applying a mapping, saved profiles proposed
for files with the same headers (applied once confirmed, never silently)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pmo_analytics.errors import ConfigError, FormatError
from pmo_analytics.ingest import ParseOptions, parse_bytes, readers
from pmo_analytics.ingest.mapping import (
    apply_mapping,
    delete_profile,
    find_profile,
    header_fingerprint,
    list_profiles,
    load_profiles,
    mapping_from_suggestions,
    match_profile,
    save_profile,
    suggest_mapping,
)

UNKNOWN = (
    b"Proj,Ref No.,Activity,Begin,End date,Done %,Owner\r\n"
    b"APX,A-1,Survey,2025-04-01,2025-04-04,100%,Ana\r\n"
    b"APX,A-2,Permits,2025-04-07,2025-04-18,40%,Li\r\n"
)


def raw_sheet(data=UNKNOWN, name="site.csv"):
    return readers.read_upload(name, data).sheets[""]


def test_unknown_file_is_not_detected():
    with pytest.raises(FormatError, match="the format was not recognised"):
        parse_bytes("site.csv", UNKNOWN)


def test_suggestions_use_names_and_values():
    s = suggest_mapping(raw_sheet(), "tasks").set_index("column")
    assert s.loc["finish", "header"] == "End date"  # an alias of finish
    assert s.loc["finish", "reason"] == "same name, values read as date"
    assert s.loc["start", "header"] == "Begin"  # begin ~ start
    assert s.loc["start", "reason"] == "same meaning, values read as date"
    assert s.loc["percent_complete", "header"] == "Done %"  # done ~ complete, % ~ percent
    assert s.loc["project_id", "header"] == "Proj" and s.loc["task_id", "header"] == "Ref No."
    assert s.loc["name", "header"] == "Activity" and s.loc["resource_names", "header"] == "Owner"
    assert s.loc["finish", "samples"] == ["2025-04-04", "2025-04-18"]
    assert s.loc["task_id", "required"] and not s.loc["wbs", "required"]
    assert s.loc["bac", "header"] is None and s.loc["bac", "reason"] == "no similar header"
    assert list(s.reset_index().columns) == [
        "column",
        "label",
        "label_zh",
        "dtype",
        "required",
        "header",
        "score",
        "reason",
        "samples",
    ]


def test_apply_mapping_types_and_validates():
    raw = readers.read_upload("site.csv", UNKNOWN)
    mapping = {
        "project_id": "Proj",
        "task_id": "Ref No.",
        "name": "Activity",
        "start": "Begin",
        "finish": "End date",
        "percent_complete": "Done %",
        "resource_names": "Owner",
    }
    p = apply_mapping(raw, mapping, "tasks", ParseOptions())
    t = p.tables["tasks"]
    assert t["task_id"].tolist() == ["A-1", "A-2"] and t["percent_complete"].tolist() == [1.0, 0.4]
    assert t["start"].tolist() == [pd.Timestamp(2025, 4, 1), pd.Timestamp(2025, 4, 7)]
    assert p.source_format == "profile" and not p.problems


def test_apply_mapping_reports_a_missing_header_and_required_columns():
    raw = readers.read_upload("site.csv", UNKNOWN)
    p = apply_mapping(raw, {"task_id": "Ref", "name": "Activity"}, "tasks", ParseOptions())
    assert [str(x) for x in p.problems] == [
        "file 'site.csv', row 1, column 'Task ID' (value 'Ref'): the header 'Ref' chosen for Task ID is not in the file"
    ]
    p = apply_mapping(raw, {"task_id": "Ref No.", "name": "Activity"}, "tasks", ParseOptions(project_id="X"))
    assert p.errors[0].message.startswith("required column missing for Tasks; expected a header such as Start")
    with pytest.raises(ConfigError):
        apply_mapping(raw, {"colour": "Owner"}, "tasks", ParseOptions())


def test_fingerprint_ignores_order_and_spelling_but_not_names():
    a = header_fingerprint(["Proj", "Ref No.", "Begin"])
    assert a == header_fingerprint(["Begin", "ref_no", "PROJ"])
    assert a != header_fingerprint(["Proj", "Ref No.", "Start"])


def test_profile_saved_then_proposed_and_applied_once_confirmed(store):
    raw = readers.read_upload("site.csv", UNKNOWN)
    sheet = raw.sheets[""]
    mapping = mapping_from_suggestions(suggest_mapping(sheet, "tasks"))
    assert mapping == {
        "project_id": "Proj",
        "task_id": "Ref No.",
        "name": "Activity",
        "start": "Begin",
        "finish": "End date",
        "percent_complete": "Done %",
        "resource_names": "Owner",
    }
    save_profile(store, "Site works", "tasks", mapping, sheet.headers)
    assert list_profiles(store)["name"].tolist() == ["Site works"]
    prof = find_profile(store, ["Owner", "Done %", "End date", "Begin", "Activity", "Ref No.", "Proj"])
    assert prof["name"] == "Site works" and prof["table"] == "tasks"
    # a second file with the same headers (columns reordered, new rows): not read on its own ...
    second = b"Ref No.,Proj,Activity,Begin,End date,Done %,Owner\r\nB-9,APX,Handover,2025-05-05,2025-05-09,0%,Sam\r\n"
    with pytest.raises(FormatError):
        parse_bytes("site_may.csv", second)
    # ... the saved mapping is proposed for it, and applied once the person confirms it
    prof, sheet_name = match_profile(load_profiles(store), readers.read_upload("site_may.csv", second))
    assert prof["name"] == "Site works" and prof["saved_by"] == "local"
    options = ParseOptions(mapping=prof["mapping"], table=prof["table"], sheet=sheet_name, profile_name=prof["name"])
    p = parse_bytes("site_may.csv", second, options=options)
    assert p.source_format == "profile"
    assert p.tables["tasks"][["task_id", "name", "resource_names"]].values.tolist() == [["B-9", "Handover", "Sam"]]
    assert "Columns mapped with the saved profile 'Site works'." in p.notes
    store.import_parsed(p, date(2025, 5, 9))
    assert store.counts()["tasks"] == 1
    # a renamed header no longer matches
    other = second.replace(b"Owner", b"Assignee")
    assert match_profile(load_profiles(store), readers.read_upload("x.csv", other)) is None
    delete_profile(store, "Site works")
    assert find_profile(store, sheet.headers) is None


def test_save_profile_refuses_bad_input(store):
    with pytest.raises(ConfigError):
        save_profile(store, " ", "tasks", {}, ["a"])
    with pytest.raises(ConfigError):
        save_profile(store, "p", "tasks", {"task_id": "Nope"}, ["a"])


def test_format_profile_by_hand():
    p = parse_bytes(
        "site.csv",
        UNKNOWN,
        format="profile",
        options=ParseOptions(
            table="tasks",
            mapping={
                "project_id": "Proj",
                "task_id": "Ref No.",
                "name": "Activity",
                "start": "Begin",
                "finish": "End date",
            },
        ),
    )
    assert p.rows_loaded == 2 and p.confidence == 1.0
