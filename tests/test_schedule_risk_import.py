"""Three-point estimates from an MS Project "Export to Excel" file: PERT field names read as
they are; custom fields (Duration1-3) only when the person names them, else a note."""

from __future__ import annotations

import pytest

from pmo_analytics.cli import main
from pmo_analytics.errors import FormatError
from pmo_analytics.ingest import parse_bytes
from pmo_analytics.ingest.formats import ParseOptions
from tests.helpers import workbook_bytes

HEAD = ["ID", "Name", "Duration", "Start", "Finish", "Predecessors", "Percent_Complete"]
ROWS = [
    [1, "Design", "5 days", "2025-01-06", "2025-01-10", "", "0%"],
    [2, "Build", "10 days", "2025-01-13", "2025-01-24", "1", "0%"],
]


def _file(extra_head: list[str], extra: list[list]) -> bytes:
    rows = [HEAD + extra_head] + [r + e for r, e in zip(ROWS, extra, strict=True)]
    return workbook_bytes({"Task_Table1": rows})


def _estimates(parsed) -> dict:
    t = parsed.tables["tasks"].set_index("task_id")
    return {k: tuple(t.loc[k, ["duration_optimistic", "duration_likely", "duration_pessimistic"]]) for k in t.index}


def test_custom_duration_fields_are_read_when_named():
    data = _file(["Duration1", "Duration2", "Duration3"], [["4 days", "5 days", "8 days"], ["8d", "10d", "2w"]])
    opts = ParseOptions(
        fields={"duration_optimistic": "Duration1", "duration_likely": "Duration2", "duration_pessimistic": "Duration3"}
    )
    parsed = parse_bytes("plan.xlsx", data, options=opts)
    assert parsed.source_format == "msproject_excel"
    assert _estimates(parsed) == {"1": (4.0, 5.0, 8.0), "2": (8.0, 10.0, 10.0)}  # 2w = 10 working days
    assert not any(n.key == "note.msp.custom_durations" for n in parsed.notes)


def test_custom_duration_fields_not_named_are_left_with_a_note():
    data = _file(["Duration1", "Duration2", "Duration3"], [["4 days", "5 days", "8 days"], ["8d", "10d", "2w"]])
    parsed = parse_bytes("plan.xlsx", data)
    assert parsed.tables["tasks"]["duration_optimistic"].isna().all()
    (n,) = [n for n in parsed.notes if n.key == "note.msp.custom_durations"]
    assert n.params["columns"] == "Duration1, Duration2, Duration3"


def test_pert_field_names_are_read_as_they_are():
    data = _file(["Optimistic_Duration", "Expected_Duration", "Pessimistic_Duration"], [[3, 5, 9], [7, 10, 15]])
    assert _estimates(parse_bytes("plan.xlsx", data)) == {"1": (3.0, 5.0, 9.0), "2": (7.0, 10.0, 15.0)}


def test_a_named_field_the_file_lacks_is_refused():
    data = _file(["Duration1"], [["4 days"], ["8d"]])
    with pytest.raises(FormatError, match="Duration7"):
        parse_bytes("plan.xlsx", data, options=ParseOptions(fields={"duration_likely": "Duration7"}))
    with pytest.raises(FormatError, match="three-point"):
        parse_bytes("plan.xlsx", data, options=ParseOptions(fields={"bac": "Duration1"}))


def test_cli_import_field(tmp_path):
    f = tmp_path / "plan.xlsx"
    f.write_bytes(_file(["Duration1", "Duration3"], [["4 days", "8 days"], ["8d", "2w"]]))
    db = str(tmp_path / "s.duckdb")
    args = ["import", str(f), "--db", db, "--status-date", "2025-01-03", "--project", "P1"]
    assert main([*args, "--field", "duration_optimistic=Duration1", "--field", "duration_pessimistic=Duration3"]) == 0
    from pmo_analytics.store import Store, close_all

    t = Store(db).table("tasks", current=True).set_index("task_id")
    assert list(t["duration_optimistic"]) == [4.0, 8.0] and list(t["duration_pessimistic"]) == [8.0, 10.0]
    close_all()


def test_import_page_asks_which_custom_field_is_which(app_db):
    from datetime import date

    from pmo_analytics.store import Store
    from tests.conftest import run_app

    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    data = _file(["Duration1", "Duration2", "Duration3"], [["4 days", "5 days", "8 days"], ["8d", "10d", "2w"]])
    at = run_app()
    at.switch_page("pages/20_import.py").run()
    at.file_uploader[0].set_value(("plan_2025-01-03.xlsx", data, xlsx)).run()
    assert not at.exception, [e.value for e in at.exception]
    boxes = {b.label: b for b in at.selectbox if b.key and b.key.startswith("srisk_field_")}
    assert set(boxes) == {"Optimistic duration (days)", "Most likely duration (days)", "Pessimistic duration (days)"}
    assert all(b.value == "" for b in boxes.values())  # nothing read until chosen
    for label, header in (
        ("Optimistic duration (days)", "Duration1"),
        ("Most likely duration (days)", "Duration2"),
        ("Pessimistic duration (days)", "Duration3"),
    ):
        next(b for b in at.selectbox if b.label == label).set_value(header).run()
        assert not at.exception, [e.value for e in at.exception]
    if at.date_input[0].value is None:
        at.date_input[0].set_value(date(2025, 1, 3)).run()
    load = [b for b in at.button if b.label.startswith("Load")]
    assert load, [b.label for b in at.button]
    load[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    t = Store().table("tasks", current=True).set_index("task_id")
    assert t.loc["1", ["duration_optimistic", "duration_likely", "duration_pessimistic"]].tolist() == [4.0, 5.0, 8.0]
    assert t.loc["2", ["duration_optimistic", "duration_likely", "duration_pessimistic"]].tolist() == [8.0, 10.0, 10.0]


# MSPDI: the custom duration fields as ExtendedAttribute (FieldID 188743783-5 = Duration1-3,
# values as work time; 8 h a day), Duration1 given the alias "Optimistic" in the file
MSPDI = """<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <Title>P1</Title><StatusDate>2011-03-04T17:00:00</StatusDate><MinutesPerDay>480</MinutesPerDay>
  <ExtendedAttributes>
    <ExtendedAttribute><FieldID>188743783</FieldID><FieldName>Duration1</FieldName><Alias>Optimistic</Alias></ExtendedAttribute>
    <ExtendedAttribute><FieldID>188743784</FieldID><FieldName>Duration2</FieldName></ExtendedAttribute>
    <ExtendedAttribute><FieldID>188743785</FieldID><FieldName>Duration3</FieldName></ExtendedAttribute>
  </ExtendedAttributes>
  <Tasks>
    <Task><UID>1</UID><ID>1</ID><Name>A</Name><OutlineLevel>1</OutlineLevel><Start>2011-03-07T08:00:00</Start>
      <Finish>2011-03-11T17:00:00</Finish><Duration>PT40H0M0S</Duration><PercentComplete>0</PercentComplete>
      <ExtendedAttribute><FieldID>188743783</FieldID><Value>PT32H0M0S</Value></ExtendedAttribute>
      <ExtendedAttribute><FieldID>188743784</FieldID><Value>PT40H0M0S</Value></ExtendedAttribute>
      <ExtendedAttribute><FieldID>188743785</FieldID><Value>PT64H0M0S</Value></ExtendedAttribute>
    </Task>
  </Tasks>
</Project>
"""


def test_mspdi_custom_duration_fields():
    data = MSPDI.encode()
    plain = parse_bytes("plan.xml", data)
    assert plain.source_format == "msproject_xml"
    assert (
        plain.tables["tasks"].get("duration_optimistic") is None
        or plain.tables["tasks"]["duration_optimistic"].isna().all()
    )
    assert plain.open_choices["custom_fields"]["headers"] == ["Duration1", "Duration2", "Duration3"]
    assert any(n.key == "note.msp.custom_durations" for n in plain.notes)
    # named by alias and by field name: 32 h = 4 days, 40 h = 5 days, 64 h = 8 days (480 min a day)
    opts = ParseOptions(
        fields={
            "duration_optimistic": "Optimistic",
            "duration_likely": "Duration2",
            "duration_pessimistic": "Duration3",
        }
    )
    parsed = parse_bytes("plan.xml", data, options=opts)
    assert _estimates(parsed) == {"1": (4.0, 5.0, 8.0)}
    assert not any(n.key == "note.msp.custom_durations" for n in parsed.notes)
    with pytest.raises(FormatError, match="Duration9"):
        parse_bytes("plan.xml", data, options=ParseOptions(fields={"duration_likely": "Duration9"}))
