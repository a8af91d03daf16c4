"""The Status report page's "Post the summary to chat" by role (AppTest with a patched identity,
as tests/test_app_roles.py): viewers never see it; an analyst posts to the webhook the server's
environment configures (a local receiver here), sees the outcome in their language, and the post
is audited under their e-mail; the webhook URL never reaches the page in full."""

from __future__ import annotations

import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from pmo_analytics import access as acc
from pmo_analytics import escape, ui, webhook
from pmo_analytics.demo import build_demo
from pmo_analytics.store import Store, close_all
from tests import webhook_receiver
from tests.conftest import APP
from tests.test_app_roles import _all_text

PEOPLE = {"view@example.com": "viewer", "ana@example.com": "analyst", "boss@example.com": "admin"}
PANEL = {"en": "Post the summary to chat", "zh": "发送摘要到聊天工具"}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("notify_app") / "demo.duckdb"
    s = Store(db)
    build_demo(s)
    for email, role in PEOPLE.items():
        s.save_grant(acc.Grant("email", email, role))
    close_all()
    return db


@pytest.fixture
def page(demo_db, tmp_path, monkeypatch):
    """Run the Status report page as ``email`` (sign-in configured, identity patched) on a copy
    of the demo, with a Slack webhook pointing at a local receiver."""
    close_all()
    db = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, db)
    server, rec = webhook_receiver.start()
    monkeypatch.setenv("PMO_DB", str(db))
    monkeypatch.setenv("PMO_SLACK_WEBHOOK", rec.url)
    monkeypatch.delenv("PMO_TEAMS_WEBHOOK", raising=False)
    monkeypatch.setenv("PMO_PUBLIC_URL", "https://pmo.example.com")
    monkeypatch.setattr(ui, "auth_enabled", lambda: True)
    monkeypatch.setattr(ui, "signed_in", lambda: True)
    who: dict[str, str] = {}
    monkeypatch.setattr(ui, "identity", lambda: acc.Identity(who["email"]))

    def run(email: str, lang: str = "en") -> AppTest:
        who["email"] = email
        monkeypatch.setenv("PMO_LANG", lang)  # the session opens in ``lang``
        at = AppTest.from_file(str(APP), default_timeout=240)
        at.run()
        at.switch_page("pages/85_status_report.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    yield run, rec, db
    webhook_receiver.stop(server, rec)
    close_all()


def _panel(at: AppTest, lang: str):
    return [e for e in at.expander if e.label == PANEL[lang]]


def test_viewer_does_not_see_the_button(page):
    run, rec, _ = page
    at = run("view@example.com")
    assert _panel(at, "en") == [] and not [b for b in at.button if b.key == "notify_post"]
    assert rec.requests == []


@pytest.mark.parametrize(("email", "lang"), [("ana@example.com", "zh"), ("boss@example.com", "en")])
def test_analyst_and_admin_post(page, email, lang):
    run, rec, db = page
    at = run(email, lang)
    assert len(_panel(at, lang)) == 1
    masked = webhook.mask(rec.url)
    assert any(escape.md(f"Slack · {masked}") == str(o) for r in at.radio for o in r.options)
    at.button(key="notify_post").click().run()
    assert not at.exception, [e.value for e in at.exception]
    done = {"en": "Posted to Slack", "zh": "已发送到 Slack"}[lang]
    assert any(done in s.value for s in at.success), [s.value for s in at.success]
    assert len(rec.requests) == 1
    sent = rec.payloads()[0]
    assert sent["blocks"][0]["text"]["text"].startswith({"en": "Portfolio status", "zh": "项目组合状态"}[lang])
    close_all()
    entries = Store(db).audit_entries(action="notify.post")
    assert list(entries["actor"]) == [email] and list(entries["target"]) == [masked]
    assert json.loads(entries["details"].iloc[0])["counts"]["red"] == 10
    text = _all_text(at)
    assert "T0SECRET" not in text and "xoxSECRETtoken" not in text


def test_a_failed_post_says_why(page):
    run, rec, _ = page
    rec.script = [(404, b"no_service", {})]
    at = run("ana@example.com")
    at.button(key="notify_post").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("HTTP 404" in e and "check the webhook URL" in e for e in errors), errors
    assert len(rec.requests) == 1 and not any("SECRET" in e for e in errors)


def test_no_webhook_configured_says_so(page, monkeypatch):
    run, rec, _ = page
    monkeypatch.delenv("PMO_SLACK_WEBHOOK")
    at = run("ana@example.com")
    assert len(_panel(at, "en")) == 1 and not [b for b in at.button if b.key == "notify_post"]
    assert any("PMO_SLACK_WEBHOOK" in i.value for i in at.info)
