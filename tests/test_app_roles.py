"""Roles and reach in the app (AppTest with a patched identity; the real sign-in is
tests/e2e/test_roles_e2e.py): every page for a viewer of one department, the pages each role
may open, and the cache that must not carry one person's results to another.

The demo portfolio's departments (pmo_analytics/demo.py): Finance has PRJ-106 and PRJ-109;
IT has PRJ-102, PRJ-104, PRJ-105, PRJ-107, PRJ-108; the other seven are Marketing, HR and
Operations. A Finance viewer must never meet any other project id, on any page.
"""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pmo_analytics import access as acc
from pmo_analytics import ui
from pmo_analytics.demo import build_demo
from pmo_analytics.store import Store, close_all
from tests.conftest import APP, ROOT

ALL = [f"PRJ-{n}" for n in range(101, 113)]
FINANCE = ["PRJ-106", "PRJ-109"]
IT = ["PRJ-102", "PRJ-104", "PRJ-105", "PRJ-107", "PRJ-108"]
PEOPLE = {
    "fin@example.com": ("viewer", ("Finance",)),
    "it@example.com": ("analyst", ("IT",)),
    "boss@example.com": ("admin", ()),
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("roles") / "demo.duckdb"
    s = Store(db)
    build_demo(s)
    for email, (role, departments) in PEOPLE.items():
        s.save_grant(acc.Grant("email", email, role, departments=departments))
    close_all()
    return db


@pytest.fixture
def as_person(demo_db, monkeypatch):
    """Sign-in configured, and ``who`` signed in (``ui.identity`` patched: AppTest cannot
    sign in through a provider)."""
    monkeypatch.setenv("PMO_DB", str(demo_db))
    monkeypatch.setattr(ui, "auth_enabled", lambda: True)
    monkeypatch.setattr(ui, "signed_in", lambda: True)
    current: dict[str, str] = {}
    monkeypatch.setattr(ui, "identity", lambda: acc.Identity(current["email"]))

    def run(email: str, page: str | None = None, lang: str = "en") -> AppTest:
        current["email"] = email
        at = AppTest.from_file(str(APP), default_timeout=180)
        at.session_state["lang"] = lang
        at.run()
        if page:
            at.switch_page(f"pages/{page}").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    yield run
    close_all()


def _all_text(at: AppTest) -> str:
    """Every element's protobuf as text: labels, values, options, dataframe bytes (Arrow keeps
    text readable), chart specs."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


# every page a viewer's menu has (Import and Admin are not in it: test_pages_each_role_may_open)
PAGES = sorted(p.name for p in (ROOT / "pages").glob("[0-9][0-9]_*.py") if p.stem[3:] not in ("import", "admin"))


@pytest.mark.parametrize("page", PAGES)
def test_a_finance_viewer_meets_no_other_project_on_any_page(as_person, page):
    at = as_person("fin@example.com", page)
    text = _all_text(at)
    seen = [p for p in ALL if p in text]
    assert not set(seen) - set(FINANCE), (page, seen)


def test_the_check_above_can_fail(as_person):
    # the same page for the admin shows other departments' projects: the sweep would see them
    admin = _all_text(as_person("boss@example.com", "10_portfolio.py"))
    assert {"PRJ-101", "PRJ-111"} <= {p for p in ALL if p in admin}
    viewer = _all_text(as_person("fin@example.com", "10_portfolio.py"))
    assert "PRJ-106" in viewer and "PRJ-109" in viewer  # and the viewer does see their own


def _project_options(at: AppTest) -> list[str]:
    return list(at.multiselect(key=ui.F_PROJECT).options)


def test_no_cached_result_crosses_from_one_person_to_another(as_person):
    # the same selection (none) in one process, one cache: each person gets their own projects
    # (the option labels are "id · name")
    def ids(at: AppTest) -> list[str]:
        return sorted(o.split(" · ")[0] for o in _project_options(at))

    assert ids(as_person("fin@example.com")) == FINANCE
    assert ids(as_person("boss@example.com")) == ALL
    assert ids(as_person("fin@example.com")) == FINANCE  # not the admin's cached list
    assert ids(as_person("it@example.com")) == IT


def _page_alone(page: str) -> AppTest:
    """A page script run by itself (a direct URL reaching it without app.py's menu)."""
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_pages_each_role_may_open(as_person):
    denied = "This page needs the {need} role; you are {role}."
    # not in a viewer's menu at all (AppTest knows only the pages app.py registered) ...
    for page in ("20_import.py", "95_admin.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            as_person("fin@example.com", page)
    # ... and the page itself refuses too
    at = _page_alone("20_import.py")
    assert [w.value for w in at.warning] == [denied.format(need="analyst", role="viewer")]
    assert not at.get("file_uploader")
    at = _page_alone("95_admin.py")
    assert [w.value for w in at.warning] == [denied.format(need="admin", role="viewer")]
    at = as_person("it@example.com", "20_import.py")
    assert not at.warning and at.get("file_uploader")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        as_person("it@example.com", "95_admin.py")
    assert [w.value for w in _page_alone("95_admin.py").warning] == [denied.format(need="admin", role="analyst")]
    at = as_person("boss@example.com", "95_admin.py")
    assert not at.warning and len(at.tabs) == 3
    # the role and reach are named in the sidebar
    at = as_person("fin@example.com")
    assert "Role: viewer · sees Department\\: Finance" in [
        c.value for c in at.sidebar.caption
    ]  # ":" escaped (escape.md)


def test_viewer_has_no_edit_controls(as_person):
    at = as_person("fin@example.com", "85_status_report.py")
    assert not [b for b in at.button if b.key == "weekly_note_save"]
    at = as_person("fin@example.com", "86_quality.py")
    assert not [b for b in at.button if b.key == "quality_edit_save"]
    at = as_person("it@example.com", "85_status_report.py")
    assert [b for b in at.button if b.key == "weekly_note_save"]


def test_signed_in_without_a_grant_sees_nothing(as_person):
    at = as_person("stranger@example.com")
    assert [t.value for t in at.title] == ["No access yet"]
    assert "stranger\\@example.com" in at.info[0].value  # "@" escaped (escape.md)
    assert not at.dataframe and not at.multiselect


def test_admin_page_in_chinese(as_person):
    at = as_person("boss@example.com", "95_admin.py")
    at.session_state["lang"] = "zh"
    at.run()
    assert at.title[0].value == "管理"
    assert [t.label for t in at.tabs] == ["访问权限", "组织设置", "审计记录"]
    # after the switch the grant form's boxes hold the same codes and are sent their value in
    # Chinese (ui.choose; the browser kept "e-mail" / "viewer" before): locale words, access.py
    kind, role = at.selectbox(key="admin_kind"), at.selectbox(key="admin_role")
    assert (kind.value, role.value) == ("email", "viewer")
    assert list(kind.proto.options) == ["邮箱", "身份组"] and list(role.proto.options) == ["查看者", "分析员", "管理员"]
    assert (kind.proto.raw_value, role.proto.raw_value) == ("邮箱", "查看者")
    # the audit filter's action families in words, the code beside (the demo's imports are audited)
    assert "导入 · import." in at.multiselect(key="audit_action").proto.options


def test_admin_edits_a_grant_and_it_is_audited(as_person, demo_db, tmp_path, monkeypatch):
    import shutil

    close_all()
    db = tmp_path / "rw.duckdb"
    shutil.copyfile(demo_db, db)
    monkeypatch.setenv("PMO_DB", str(db))
    at = as_person("boss@example.com", "95_admin.py")
    at.selectbox(key="admin_kind").set_value("email")
    at.text_input(key="admin_subject").input("New@Example.com")
    at.selectbox(key="admin_role").set_value("viewer")
    at.text_input(key="admin_departments").input("HR, Finance")
    at.button(key="FormSubmitter:admin_grant-Save grant").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success[0].value == "Grant saved for new\\@example.com."  # Markdown-escaped
    s = Store(db)
    assert acc.Grant("email", "new@example.com", "viewer", departments=("Finance", "HR")) in s.grants()
    e = s.audit_entries(action="access.grant").iloc[0]
    assert (e["actor"], e["target"]) == ("boss@example.com", "email:new@example.com")
    close_all()
    # the audit tab lists it, filtered by who
    at = as_person("boss@example.com", "95_admin.py")
    at.multiselect(key="audit_actor").set_value(["boss@example.com"]).run()
    shown = at.dataframe[-1].value
    assert shown["Who"].tolist() == ["boss@example.com"] and shown["Action"].tolist() == [
        "Access granted or changed · access.grant"
    ]


def test_open_mode_is_unchanged(demo_db, monkeypatch):
    # no [auth]: "local", admin, every project; the Import and Admin pages open
    monkeypatch.setenv("PMO_DB", str(demo_db))
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    assert sorted(o.split(" · ")[0] for o in _project_options(at)) == ALL
    at.switch_page("pages/95_admin.py").run()
    assert not at.exception and not at.warning
    close_all()


def test_session_override_is_marked(demo_db, monkeypatch):
    from pmo_analytics.settings import org_from_store

    monkeypatch.setenv("PMO_DB", str(demo_db))
    org = org_from_store(Store(demo_db))
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    assert not at.sidebar.info  # nothing overridden
    # what the Earned value page's settings panel stores (ui.set_settings; tests/test_app_earned_value.py)
    # (set before the first run: AppTest keeps the sidebar of the first run only)
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["settings"], at.session_state["_settings_base"] = org.with_(ev_method="0/100"), org
    at.run()
    marks = [i.value for i in at.sidebar.info]
    assert marks == [
        "**Session override**: EV method = 0/100 (organisation: EV method = physical). "
        "Reports and the command line use the organisation's."
    ]
    at.button(key="reset_overrides").click().run()
    assert at.session_state["settings"].ev_method == "physical"
    close_all()


def test_a_bad_access_file_stops_the_app_naming_file_and_line(as_person, tmp_path, monkeypatch):
    from pmo_analytics.store import Store as _Store

    close_all()
    db = tmp_path / "empty.duckdb"  # no grants stored yet: the file is read
    _Store(db).grants()
    close_all()
    bad = tmp_path / "access.toml"
    bad.write_text('[people."a@example.com"]\nrole = "owner"\n', encoding="utf-8")
    monkeypatch.setenv("PMO_DB", str(db))
    monkeypatch.setenv("PMO_ACCESS_FILE", str(bad))
    at = as_person("a@example.com")
    assert len(at.error) == 1 and "line 1" in at.error[0].value and "owner" in at.error[0].value
    assert str(bad).replace("_", "\\_") in at.error[0].value or bad.name in at.error[0].value
    assert not at.dataframe and not at.multiselect  # nothing but the message


def test_reports_use_the_organisation_settings_not_a_session_override(demo_db, monkeypatch):
    from pmo_analytics.settings import org_from_store

    monkeypatch.setenv("PMO_DB", str(demo_db))
    org = org_from_store(Store(demo_db))

    def overview(session_settings) -> list[pd.DataFrame]:
        at = AppTest.from_file(str(APP), default_timeout=180)
        if session_settings is not None:
            at.session_state["settings"], at.session_state["_settings_base"] = session_settings, org
        at.run()
        at.switch_page("pages/85_status_report.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return [d.value for d in at.dataframe]

    plain = overview(None)
    # 0/100 earns nothing for started work: every page that follows the session shows other
    # EV/CPI (tests/test_app_earned_value.py); the Status report stays the organisation's
    changed = overview(org.with_(ev_method="0/100", green_at=0.99))
    assert len(plain) == len(changed) >= 1 and all(a.equals(b) for a, b in zip(plain, changed, strict=True))
    close_all()


def test_a_project_url_outside_the_scope_shows_nothing_of_it(as_person):
    # /project?id=PRJ-101 (Marketing) for the Finance viewer: told there is no such project, as
    # for an id that does not exist (the page does not confirm that it exists)
    at = as_person("fin@example.com")
    at.query_params["id"] = "PRJ-101"
    at.switch_page("pages/15_project.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.warning] == ["No project with the id “PRJ-101”. Choose one below."]
    assert not at.metric and "Mobile App Relaunch" not in _all_text(at)
    at = as_person("fin@example.com")
    at.query_params["id"] = "PRJ-106"
    at.switch_page("pages/15_project.py").run()
    assert not at.warning and at.metric  # their own project opens
