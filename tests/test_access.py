"""Roles, reach and the audit trail in the library (issue 15 items 2 and 4): the access file,
``access.resolve``/``can``, reads narrowed in SQL by reach (tables, weekly report, report
workbook, notes), the store's write path checked against role and reach, grants and
organisation settings audited, and ``audit --json``.

The store holds three projects (hand-made, see ``_workbook``):
  P1 "Alpha"          portfolio Digital, department IT,      BAC 1000
  P2 "Beta-Secret"    portfolio Core,    department Finance, BAC 2000
  P3 "Gamma"          portfolio Core,    department IT,      BAC 4000
and assignments of Ann (P1, 10 h), Bob (P2, 20 h), Cy (P3, 40 h), plus one row of Dee with no
project (capacity only). A viewer of department IT sees P1 and P3: BAC 1000 + 4000 = 5000,
assignment hours 10 + 40 = 50; nothing of P2 ("Beta-Secret", 2000, Bob's 20 h) nor Dee's row.
"""

from __future__ import annotations

import io
import json
from datetime import date

import openpyxl
import pandas as pd
import pytest

from pmo_analytics import access as acc
from pmo_analytics import importing
from pmo_analytics.errors import ConfigError
from pmo_analytics.frames import Selection, load_frames
from pmo_analytics.settings import org_from_store
from pmo_analytics.store import Store, close_all
from tests.helpers import workbook_bytes

STATUS = date(2025, 1, 31)
PROJECT_HEAD = ["Project ID", "Project name", "Portfolio", "Department", "Budget", "Status"]
TASK_HEAD = ["Project ID", "Task ID", "Task name", "Start", "Finish", "Baseline start", "Baseline finish", "% Complete", "Budget", "Actual cost"]  # fmt: skip
ASSIGN_HEAD = ["Person", "Project ID", "Week", "Planned hours", "Capacity hours"]


def _workbook(projects: list[list], tasks: list[list] | None = None, assignments: list[list] | None = None) -> bytes:
    sheets = {"Projects": [PROJECT_HEAD, *projects]}
    if tasks:
        sheets["Tasks"] = [TASK_HEAD, *tasks]
    if assignments:
        sheets["Assignments"] = [ASSIGN_HEAD, *assignments]
    return workbook_bytes(sheets)


def _task(pid: str, bac: float) -> list:
    return [pid, "1", "Work", date(2025, 1, 6), date(2025, 1, 17), date(2025, 1, 6), date(2025, 1, 17), 1.0, bac, bac]


BASE = _workbook(
    [
        ["P1", "Alpha", "Digital", "IT", 1000, "Active"],
        ["P2", "Beta-Secret", "Core", "Finance", 2000, "Active"],
        ["P3", "Gamma", "Core", "IT", 4000, "Active"],
    ],
    [_task("P1", 1000), _task("P2", 2000), _task("P3", 4000)],
    [
        ["Ann", "P1", date(2025, 1, 6), 10, 40],
        ["Bob", "P2", date(2025, 1, 6), 20, 40],
        ["Cy", "P3", date(2025, 1, 6), 40, 40],
        ["Dee", None, date(2025, 1, 6), None, 40],
    ],
)

VIEWER_IT = acc.Access(acc.Identity("vi@example.com"), "viewer", acc.Reach(departments=("IT",)), acc.NOTHING)
ANALYST_IT = acc.resolve(
    acc.Identity("an@example.com"), [acc.Grant("email", "an@example.com", "analyst", departments=("IT",))]
)
ADMIN = acc.resolve(acc.Identity("ad@example.com", groups=("pmo-admins",)), [acc.Grant("group", "pmo-admins", "admin")])


def _load(store: Store, data: bytes, name: str = "file.xlsx", access: acc.Access | None = None, when: date = STATUS):
    parsed = importing.parse_upload(name, data)
    return store.import_parsed(parsed, when, access=access)


@pytest.fixture
def three(store):
    _load(store, BASE, "base.xlsx")
    return store


# ------------------------------------------------------------------ the access file
GOOD_FILE = """
# who may do what
[people."Ana@Example.com"]
role = "analyst"
departments = ["IT"]

[groups."pmo-admins"]
role = "admin"

[groups."finance-heads"]
role = "viewer"
portfolios = ["Core"]
projects = ["P1"]
"""


def test_access_file_is_read(tmp_path):
    p = tmp_path / "access.toml"
    p.write_text(GOOD_FILE, encoding="utf-8")
    grants = acc.read_access_file(p)
    assert grants == [
        acc.Grant("email", "ana@example.com", "analyst", departments=("IT",)),  # e-mails in lower case
        acc.Grant("group", "pmo-admins", "admin"),
        acc.Grant("group", "finance-heads", "viewer", portfolios=("Core",), projects=("P1",)),
    ]
    assert grants[1].reach == acc.EVERYTHING  # nothing listed: every project


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[people."a@x.org"]\nrole = analyst\n', 2, "line 2"),  # broken TOML: a bare word
        ('[people."a@x.org"]\nrole = "analyst"\ndepartments = ["IT"\n', 3, "end of document"),
        ('\n\n[people."a@x.org"]\nrole = "boss"\n', 3, "'boss'"),  # unknown role: its table's line
        ('[groups."g"]\nrole = "viewer"\n\n[people."b@x.org"]\nrole = "viewer"\nteams = ["A"]\n', 4, "'teams'"),
        ('[people."a@x.org"]\nrole = "viewer"\ndepartments = "IT"\n\n[other]\nx = 1\n', 5, "'other'"),
        ('[groups."g"]\nrole = "viewer"\nprojects = [["P1"]]\n', 1, "projects"),
    ],
)
def test_bad_access_file_names_file_and_line(tmp_path, text, line, words):
    p = tmp_path / "team.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        acc.read_access_file(p)
    msg = str(err.value)
    assert f"Access file {p}, line {line}:" in msg and words in msg, msg
    assert err.value.render("zh").startswith(f"权限文件 {p} 第 {line} 行")


def test_missing_access_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="nope.toml, line 1"):
        acc.read_access_file(tmp_path / "nope.toml")


# ------------------------------------------------------------------ roles
def test_roles_and_actions():
    v = acc.Access(acc.Identity("v"), "viewer")
    a = acc.Access(acc.Identity("a"), "analyst")
    ad = acc.Access(acc.Identity("d"), "admin")
    none = acc.Access(acc.Identity("n"), None)
    table = {
        action: [acc.can(x, action) for x in (none, v, a, ad)]
        for action in ("browse", "download", "import", "map", "edit", "withdraw_own", "withdraw_any", "purge", "manage_access", "audit")
    }  # fmt: skip
    assert table == {
        "browse": [False, True, True, True],
        "download": [False, True, True, True],
        "import": [False, False, True, True],
        "map": [False, False, True, True],
        "edit": [False, False, True, True],
        "withdraw_own": [False, False, True, True],
        "withdraw_any": [False, False, False, True],
        "purge": [False, False, False, True],
        "manage_access": [False, False, False, True],
        "audit": [False, False, False, True],
    }
    with pytest.raises(acc.AccessDeniedError, match="v \\(viewer\\) may not do this: import needs the analyst role"):
        acc.require(v, "import")


def test_resolve_combines_grants():
    grants = [
        acc.Grant("email", "ana@example.com", "viewer", portfolios=("Core",)),
        acc.Grant("group", "it-analysts", "analyst", departments=("IT",)),
        acc.Grant("group", "other", "admin"),
    ]
    a = acc.resolve(acc.Identity("Ana@Example.com", groups=("it-analysts",)), grants)
    assert a.role == "analyst"  # the highest of viewer and analyst; "other" is not hers
    assert a.sees == acc.Reach(portfolios=("Core",), departments=("IT",))
    assert a.writes == acc.Reach(departments=("IT",))  # she may change only what the analyst grant gives
    nobody = acc.resolve(acc.Identity("eve@example.com"), grants)
    assert nobody.role is None and nobody.sees.nothing


def test_identity_from_claims(monkeypatch):
    monkeypatch.delenv("PMO_GROUPS_CLAIM", raising=False)
    who = acc.identity_from_claims({"email": "Ana@Example.com", "name": "Ana", "groups": ["b", "a", "a"]})
    assert who == acc.Identity("ana@example.com", "Ana", ("a", "b"))
    monkeypatch.setenv("PMO_GROUPS_CLAIM", "roles")
    who = acc.identity_from_claims({"sub": "u1", "roles": "pmo-admins, it", "groups": ["x"]})
    assert who == acc.Identity("u1", "", ("it", "pmo-admins"))


# ------------------------------------------------------------------ reads narrowed by reach
def test_tables_read_within_reach(three):
    fr = load_frames(three, Selection(reach=VIEWER_IT.sees))
    proj = fr.current("projects")
    assert sorted(proj["project_id"]) == ["P1", "P3"]
    assert proj["bac"].sum() == 5000  # 1000 + 4000
    assign = fr.current("assignments")
    assert sorted(assign["person"]) == ["Ann", "Cy"] and assign["planned_hours"].sum() == 50  # 10 + 40
    assert fr.project_ids == ("P1", "P3")  # listed by id: reads that are not narrowed in SQL see only these
    # asking for P2 by id (a URL ?id=P2, a CLI --project) gets nothing
    fr2 = load_frames(three, Selection(projects=("P2",), reach=VIEWER_IT.sees))
    assert fr2.current("projects").empty and fr2.current("tasks").empty and fr2.current("assignments").empty
    # the same store without a reach (the operator): every project, Dee's row too
    assert sorted(load_frames(three).current("assignments")["person"]) == ["Ann", "Bob", "Cy", "Dee"]
    # a reach by portfolio, and by project id
    assert sorted(load_frames(three, Selection(reach=acc.Reach(portfolios=("Core",)))).projects["project_id"]) == [
        "P2",
        "P3",
    ]
    assert list(load_frames(three, Selection(reach=acc.Reach(projects=("P2",)))).projects["project_id"]) == ["P2"]
    assert load_frames(three, Selection(reach=acc.NOTHING)).projects.empty


def test_reach_follows_the_latest_department(three):
    # P2 moves from Finance to IT at a later status date: the IT viewer now sees it, with its history
    _load(three, _workbook([["P2", "Beta-Secret", "Core", "IT", 2000, "Active"]]), "move.xlsx", when=date(2025, 2, 28))
    fr = load_frames(three, Selection(reach=VIEWER_IT.sees, as_of=STATUS))
    assert sorted(fr.current("projects")["project_id"]) == ["P1", "P2", "P3"]


def test_weekly_report_and_workbook_within_reach(three):
    from pmo_analytics.report_workbook import report_from_store as workbook
    from pmo_analytics.weekly import report_from_store, report_json

    three.save_note("P2", STATUS, "Finance secret note", "cfo")
    three.save_note("P1", STATUS, "IT note", "pm")
    rep = report_from_store(three, reach=VIEWER_IT.sees)
    text = json.dumps(report_json(rep, "en"), ensure_ascii=False, default=str)
    assert "P1" in text and "P3" in text
    assert "P2" not in text and "Beta-Secret" not in text and "Finance secret note" not in text
    assert "IT note" in text
    data = workbook(three, reach=VIEWER_IT.sees)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("Alpha" in c for c in cells)
    assert not any("P2" in c or "Beta-Secret" in c or "Finance" in c for c in cells)
    # the operator's workbook (no reach) has P2: the check above could fail
    every = openpyxl.load_workbook(io.BytesIO(workbook(three)))
    assert any("Beta-Secret" in str(c.value) for ws in every.worksheets for row in ws.iter_rows() for c in row)


def test_notes_within_reach(three):
    three.save_note("P2", STATUS, "secret", "cfo")
    three.save_note("P1", STATUS, "ok", "pm")
    assert three.notes(reach=VIEWER_IT.sees)["project_id"].tolist() == ["P1"]
    assert three.notes()["project_id"].tolist() == ["P1", "P2"]


# ------------------------------------------------------------------ the write path
def _imports(store: Store) -> int:
    return len(store.imports())


def test_import_checked_against_role_and_reach(three):
    before = _imports(three)
    p2 = _workbook([["P2", "Beta-Secret", "Core", "Finance", 2500, "Active"]])
    with pytest.raises(acc.AccessDeniedError, match="may not change project P2"):
        _load(three, p2, "p2.xlsx", ANALYST_IT)
    # moving P1 (IT) into Finance is a change outside IT too
    with pytest.raises(acc.AccessDeniedError, match="may not change project P1"):
        _load(three, _workbook([["P1", "Alpha", "Digital", "Finance", 1000, "Active"]]), "mv.xlsx", ANALYST_IT)
    # a new project in Finance, and a new one known nowhere (tasks only)
    with pytest.raises(acc.AccessDeniedError, match="P9"):
        _load(three, _workbook([["P9", "New", "Core", "Finance", 1, "Active"]]), "p9.xlsx", ANALYST_IT)
    with pytest.raises(acc.AccessDeniedError, match="P8"):
        _load(three, workbook_bytes({"Tasks": [TASK_HEAD, _task("P8", 5)]}), "p8.xlsx", ANALYST_IT)
    with pytest.raises(acc.AccessDeniedError, match="import needs the analyst role"):
        _load(three, _workbook([["P1", "Alpha", "Digital", "IT", 1100, "Active"]]), "v.xlsx", VIEWER_IT)
    assert _imports(three) == before  # nothing saved
    res = _load(three, _workbook([["P1", "Alpha", "Digital", "IT", 1100, "Active"]]), "ok.xlsx", ANALYST_IT)
    assert three.imports().set_index("import_id").at[res.import_id, "imported_by"] == "an@example.com"
    entry = three.audit_entries(action="import.load").iloc[0]
    assert (entry["actor"], entry["target"]) == ("an@example.com", str(res.import_id))
    assert json.loads(entry["details"])["file"] == "ok.xlsx"
    # the base import made without an identity (command line) is the operator's: "local"
    assert three.imports().set_index("import_id").at[1, "imported_by"] == "local"


def test_rows_of_no_project_need_every_project(three):
    data = workbook_bytes({"Assignments": [ASSIGN_HEAD, ["Eve", None, date(2025, 1, 6), None, 30]]})
    with pytest.raises(acc.AccessDeniedError, match="may not change assignments"):
        _load(three, data, "cap.xlsx", ANALYST_IT)
    _load(three, data, "cap.xlsx", ADMIN)  # an admin with every project may


def test_withdraw_own_imports_only(three):
    mine = _load(three, _workbook([["P1", "Alpha", "Digital", "IT", 1100, "Active"]]), "mine.xlsx", ANALYST_IT)
    with pytest.raises(acc.AccessDeniedError, match="withdraw_any needs the admin role"):
        three.check_withdraw(1, ANALYST_IT)  # the operator's import, not hers
    with pytest.raises(acc.AccessDeniedError, match="needs the analyst role"):
        three.check_withdraw(mine.import_id, VIEWER_IT)
    three.check_withdraw(mine.import_id, ANALYST_IT)  # her own: allowed
    three.check_withdraw(1, ADMIN)  # an admin: anyone's
    three.check_withdraw(1, None)  # the command line: anyone's


def test_notes_and_edits_take_the_identity(three):
    with pytest.raises(acc.AccessDeniedError):
        three.save_note("P1", STATUS, "x", access=VIEWER_IT)
    with pytest.raises(acc.AccessDeniedError, match="P2"):
        three.save_note("P2", STATUS, "x", "typed name", access=ANALYST_IT)
    three.save_note("P1", STATUS, "fine", "PMO Director (spoofed)", access=ANALYST_IT)
    assert three.notes()[["note", "author"]].values.tolist() == [["fine", "an@example.com"]]
    edit = pd.DataFrame([{"project_id": "P1", "deliverable_id": "D1", "name": "Spec"}])
    res = three.save_edit("deliverables", edit, STATUS, "PMO Director (spoofed)", access=ANALYST_IT)
    assert res.source_name.startswith("edit by an@example.com at ")
    assert three.audit_entries(action="edit.save")["actor"].tolist() == ["an@example.com"]
    with pytest.raises(acc.AccessDeniedError, match="P2"):
        three.save_edit("deliverables", edit.assign(project_id="P2"), STATUS, access=ANALYST_IT)


# ------------------------------------------------------------------ grants and settings
def test_grants_seeded_once_then_edited_and_audited(store, tmp_path):
    p = tmp_path / "a.toml"
    p.write_text(GOOD_FILE, encoding="utf-8")
    assert store.seed_grants(acc.read_access_file(p), str(p))
    assert not store.seed_grants([acc.Grant("email", "x@y.z", "admin")], str(p))  # the database is the truth now
    assert [g.subject for g in store.grants()] == ["ana@example.com", "finance-heads", "pmo-admins"]
    with pytest.raises(acc.AccessDeniedError):
        store.save_grant(acc.Grant("email", "bob@example.com", "admin"), ANALYST_IT)
    store.save_grant(acc.Grant("email", "ana@example.com", "viewer", projects=("P1",)), ADMIN)
    store.delete_grant("group", "finance-heads", ADMIN)
    assert store.grants() == [
        acc.Grant("email", "ana@example.com", "viewer", projects=("P1",)),
        acc.Grant("group", "pmo-admins", "admin"),
    ]
    log = store.audit_entries(action="access.")
    assert log["action"].tolist() == ["access.revoke", "access.grant", "access.seed"]  # newest first
    assert log["actor"].tolist() == ["ad@example.com", "ad@example.com", f"file:{p}"]
    change = json.loads(log["details"].iloc[1])
    assert change["before"]["role"] == "analyst" and change["after"] == {
        "kind": "email",
        "subject": "ana@example.com",
        "role": "viewer",
        "portfolios": [],
        "departments": [],
        "projects": ["P1"],
    }


def test_organisation_settings_stored_and_audited(store, monkeypatch):
    monkeypatch.setenv("PMO_EV_METHOD", "50/50")
    assert org_from_store(store).ev_method == "50/50"  # the environment seeds a setting never saved
    with pytest.raises(acc.AccessDeniedError):
        store.save_org_settings({"green_at": 0.9}, VIEWER_IT)
    store.save_org_settings({"green_at": 0.9, "ev_method": "0/100", "holidays": ["2025-01-20"]}, ADMIN)
    s = org_from_store(store)
    assert (s.green_at, s.ev_method, s.holidays) == (0.9, "0/100", (date(2025, 1, 20),))
    e = store.audit_entries(action="settings.save").iloc[0]
    assert e["actor"] == "ad@example.com"
    assert json.loads(e["details"])["before"] == {"green_at": None, "ev_method": None, "holidays": None}


def test_audit_json_cli(three, capsys):
    from pmo_analytics.cli import main

    three.record_audit("ana@example.com", "mapping.delete", "Jira export", {"by": "undo"})
    path = three.path
    close_all()
    assert main(["audit", "--db", path, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(e["actor"], e["action"], e["target"]) for e in out] == [
        ("ana@example.com", "mapping.delete", "Jira export"),
        ("local", "import.load", "1"),
    ]
    assert out[0]["details"] == {"by": "undo"} and len(out[0]["recorded_at"]) == 19  # YYYY-MM-DDTHH:MM:SS
    assert main(["audit", "--db", path, "--json", "--action", "import."]) == 0
    assert [e["action"] for e in json.loads(capsys.readouterr().out)] == ["import.load"]
