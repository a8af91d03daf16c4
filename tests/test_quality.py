"""Defects from work items (hand-counted), deliverables register, in-app edits as import batches."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from pmo_analytics.errors import ValidationError
from pmo_analytics.ingest import parse_bytes
from pmo_analytics.metrics import quality as q
from pmo_analytics.weekly import blank_sheet_bytes

S1, S2 = pd.Timestamp("2025-03-07"), pd.Timestamp("2025-03-14")


def item(key, typ, prio, created, status, sd, resolved=None, fix=None):
    return dict(
        project_id="Q", key=key, type=typ, priority=prio, created=pd.Timestamp(created), status=status,
        resolved=pd.Timestamp(resolved) if resolved else pd.NaT, fix_version=fix, status_date=sd,
    )  # fmt: skip


def items() -> pd.DataFrame:
    return pd.DataFrame(
        [
            # status date 1 (Fri 7 Mar): B1, B3, B4 open; B2 done
            item("B1", "Bug", "High", "2025-03-03", "Open", S1, fix="1.0"),
            item("B2", "Defect", "Medium", "2025-03-04", "Done", S1, "2025-03-06", "1.0"),
            item("B3", "缺陷", "High", "2025-03-05", "In Progress", S1, fix="1.1"),
            item("B4", "Production bug", "Low", "2025-03-06", "To Do", S1, fix="1.10"),
            item("S1", "Story", "High", "2025-03-03", "Open", S1),
            item("T1", "Debug", "High", "2025-03-03", "Open", S1),
            # status date 2 (Fri 14 Mar): B1 closed 12 Mar, B4 done without a date, B6 and B7 new
            item("B1", "Bug", "High", "2025-03-03", "Closed", S2, "2025-03-12", "1.0"),
            item("B2", "Defect", "Medium", "2025-03-04", "Done", S2, "2025-03-06", "1.0"),
            item("B3", "缺陷", "High", "2025-03-05", "In Progress", S2, fix="1.1"),
            item("B4", "Production bug", "Low", "2025-03-06", "Done", S2, fix="1.10"),
            item("B6", "故障", None, "2025-03-11", "Open", S2),
            item("B7", "BUG", "Highest", "2025-03-10", "Open", S2, fix="1.1"),
            item("S1", "Story", "High", "2025-03-03", "Open", S2),
        ]
    )


def test_is_defect_words():
    types = pd.Series(["Bug", "DEFECT", "缺陷", "故障", "Production bug", "Sub-bug", "Debug", "Story", None, "bugs"])
    assert q.is_defect(types).tolist() == [True, True, True, True, True, True, False, False, False, True]


def test_open_by_priority_across_status_dates():
    long = q.open_by_priority(items())
    table = q.priority_table(long)
    # 7 Mar: B1 High, B3 High, B4 Low open (B2 done) -> High 2, Low 1, total 3
    # 14 Mar: B3 High, B7 Highest, B6 no priority open -> Highest 1, High 1, "—" 1, total 3
    assert list(table.columns) == ["status_date", "Highest", "High", "Medium", "Low", "—", "total"]
    assert table.drop(columns="status_date").values.tolist() == [[0, 2, 0, 1, 0, 3], [1, 1, 0, 0, 1, 3]]


def test_open_by_priority_carries_a_quiet_project_forward():
    other = items().assign(project_id="R")
    other = other[other["status_date"] == S1]  # R reported only on 7 Mar
    long = q.open_by_priority(pd.concat([items(), other]))
    total = long.groupby("status_date")["open_defects"].sum()
    assert total.tolist() == [6, 6]  # 7 Mar: 3 + 3; 14 Mar: Q 3 + R still 3 (its latest snapshot)


def test_arrival_closure_per_week():
    ac = q.arrival_closure(items())
    # week of Mon 3 Mar: B1, B2, B3, B4 created; B2 resolved 6 Mar -> open 4 - 1 = 3
    # week of Mon 10 Mar: B7 (10th), B6 (11th) created; B1 resolved 12th, B4 first seen done 14th -> 3 + 2 - 2 = 3
    assert ac["week"].tolist() == [pd.Timestamp("2025-03-03"), pd.Timestamp("2025-03-10")]
    assert ac[["arrivals", "closures", "open_at_end"]].values.tolist() == [[4, 1, 3], [2, 2, 3]]
    assert ac.attrs["undated"] == 0


def test_open_by_version_and_kpis():
    v = q.open_by_version(items())
    assert v[["fix_version", "total_defects", "open_defects", "closed_defects"]].values.tolist() == [
        ["1.0", 2, 0, 2],
        ["1.1", 2, 2, 0],
        ["1.10", 1, 0, 1],
        ["—", 1, 1, 0],
    ]
    assert q.defect_kpis(items()) == {"defects": 6, "open": 3, "open_high": 2}


def test_no_defects():
    assert q.open_by_priority(items()[items()["type"] == "Story"]).empty
    assert q.arrival_closure(None).empty and q.open_by_version(pd.DataFrame()).empty


# ------------------------------------------------------------------ deliverables
def register() -> pd.DataFrame:
    def d(did, due, status=None, on=None):
        return dict(
            project_id="P1", deliverable_id=did, name=f"Deliverable {did}", due_date=pd.Timestamp(due),
            acceptance_status=status, accepted_by="Sam" if on else None,
            accepted_on=pd.Timestamp(on) if on else pd.NaT, status_date=S2,
        )  # fmt: skip

    return pd.DataFrame(
        [
            d("D1", "2025-03-10", "Accepted", "2025-03-12"),
            d("D2", "2025-03-20"),
            d("D3", "2025-03-01"),
            d("D4", "2025-04-30"),
            d("D5", "2025-03-30", "驳回"),
            d("D6", "2025-03-05", "已验收", "2025-03-01"),
        ]
    )


def test_deliverable_states_at_the_status_date():
    s = q.deliverable_status(register())
    assert s["state"].tolist() == ["accepted", "due_soon", "overdue", "open", "rejected", "accepted"]
    # D3 due 1 Mar, status date 14 Mar -> 13 days overdue; D1 accepted 2 days late, D6 4 days early
    assert s["days_overdue"].tolist()[2] == 13
    assert s.set_index("deliverable_id")["accepted_late_days"].dropna().to_dict() == {"D1": 2, "D6": -4}
    summary = q.deliverables_summary(s).iloc[0]
    assert summary[["deliverables", "accepted", "rejected", "overdue", "due_soon", "open"]].tolist() == [
        6,
        2,
        1,
        1,
        1,
        1,
    ]
    assert summary["acceptance_rate"] == pytest.approx(2 / 6)
    assert summary["on_time_rate"] == pytest.approx(1 / 2)  # D6 on time, D1 late


def test_editor_frame_keeps_canonical_columns():
    cols = ["project_id", "deliverable_id", "name", "due_date", "acceptance_status", "accepted_by", "accepted_on"]
    f = q.editor_frame(register(), cols, "P1")
    assert list(f.columns) == cols and len(f) == 6
    assert list(q.editor_frame(None, cols).columns) == cols


# ------------------------------------------------------------------ in-app edits as imports
def test_edit_is_an_import_batch_that_undo_removes(store):
    cols = ["project_id", "deliverable_id", "name", "due_date", "acceptance_status", "accepted_by", "accepted_on"]
    first = register()[cols]
    r1 = store.save_edit("deliverables", first, date(2025, 3, 14), "ann")
    edited = first.copy()
    edited.loc[1, ["acceptance_status", "accepted_by", "accepted_on"]] = ["Accepted", "Sam", pd.Timestamp("2025-03-14")]
    r2 = store.save_edit("deliverables", edited, date(2025, 3, 14), "bob")
    imports = store.imports().set_index("import_id")
    assert imports.at[r2.import_id, "source_format"] == "in-app edit"
    assert imports.at[r2.import_id, "source_name"].startswith("edit by bob at ")
    assert imports.at[r2.import_id, "entity"] == "deliverables" and imports.at[r2.import_id, "rows_loaded"] == 6
    cur = store.table("deliverables").set_index("deliverable_id")
    assert cur.at["D2", "acceptance_status"] == "Accepted" and int(cur["import_id"].iloc[0]) == r2.import_id
    # history keeps both batches; undo of the edit brings the earlier register back
    assert len(store.table("deliverables", current=False)) == 6  # one snapshot per (project, status date)
    assert store.delete_import(r2.import_id) == 6
    cur = store.table("deliverables").set_index("deliverable_id")
    assert pd.isna(cur.at["D2", "acceptance_status"]) and int(cur["import_id"].iloc[0]) == r1.import_id


def test_an_edit_taken_back_by_another_edit_is_saved(store):
    # A -> B -> A -> B at one status date: each save is its own batch (an edit is an event, not
    # a file: the same content as an earlier edit is not a duplicate import)
    cols = ["project_id", "deliverable_id", "name", "due_date", "acceptance_status", "accepted_by", "accepted_on"]
    a = register()[cols]
    b = a.copy()
    b.loc[1, "acceptance_status"] = "Accepted"
    sd = date(2025, 3, 14)
    ids = [store.save_edit("deliverables", frame, sd, "ann").import_id for frame in (a, b, a, b)]
    assert len(set(ids)) == 4 and len(store.imports()) == 4
    assert store.table("deliverables").set_index("deliverable_id").at["D2", "acceptance_status"] == "Accepted"
    # undo the last one: the register is A again (the third save)
    store.delete_import(ids[-1])
    assert pd.isna(store.table("deliverables").set_index("deliverable_id").at["D2", "acceptance_status"])


def test_bad_edit_names_the_row_and_saves_nothing(store):
    bad = pd.DataFrame(
        {
            "project_id": ["P1", "P1"],
            "deliverable_id": ["D1", "D2"],
            "name": ["a", "b"],
            "due_date": ["2025-03-01", "soon"],
        }
    )
    with pytest.raises(ValidationError) as err:
        store.save_edit("deliverables", bad, date(2025, 3, 14), "ann")
    assert "row 2" in str(err.value) and "Due date" in str(err.value)
    with pytest.raises(ValidationError):
        store.save_edit("deliverables", bad.iloc[0:0], date(2025, 3, 14), "ann")
    assert store.imports().empty


def test_notes_history(store):
    store.save_note("P1", date(2025, 3, 14), "first", "ann")
    store.save_note("P1", date(2025, 3, 14), "second", "bob")
    store.save_note("P2", date(2025, 3, 7), "other", "cy")
    assert store.notes(projects=["P1"])["note"].tolist() == ["second"]
    assert store.notes(projects=["P1"], history=True)["note"].tolist() == ["first", "second"]
    assert store.notes(status_date=date(2025, 3, 7))["project_id"].tolist() == ["P2"]


@pytest.mark.parametrize(("lang", "sheet"), [("en", "Deliverables"), ("zh", "交付物")])
def test_blank_deliverables_sheet_round_trips(lang, sheet):
    wb = openpyxl.load_workbook(io.BytesIO(blank_sheet_bytes("deliverables", lang)))
    assert wb.sheetnames == [sheet]
    ws = wb[sheet]
    ws.append(["P1", "D1", "Test plan", "2025-03-10", "Accepted", "Sam", "2025-03-12"])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = parse_bytes(f"register_{lang}.xlsx", buf.getvalue())
    assert parsed.errors == []
    got = parsed.tables["deliverables"].iloc[0]
    assert (got["deliverable_id"], got["name"], got["accepted_on"]) == ("D1", "Test plan", pd.Timestamp("2025-03-12"))
