"""The chat summary (issue 19): what it says agrees with the weekly report and the Portfolio
page, the Slack and Teams payloads follow the documented structure, data text arrives
literally, and posting to a local receiver covers success, 4xx, 5xx, retries, Retry-After,
timeouts and unreachable hosts, with the webhook URL never shown in full.

The structure rules below are written from the vendors' documentation, not from the code under
test: Slack Block Kit (docs.slack.dev/reference/block-kit: header text plain_text <= 150
characters; section text 1..3,000, fields <= 10 of <= 2,000; context <= 10 elements; actions
<= 25 elements; button text plain_text <= 75, url <= 3,000, action_id <= 255; <= 50 blocks per
message) and Adaptive Cards (adaptivecards.io schema explorer: the version each element and
property was introduced in; TextRun "Markdown is not supported"; Teams Workflows webhook
envelope ``{"type": "message", "attachments": [{"contentType":
"application/vnd.microsoft.card.adaptive", "content": card}]}``; Teams' 28 KB message limit).
"""

from __future__ import annotations

import html
import json
import logging
import shutil
from datetime import date

import pytest

from pmo_analytics import chat_payloads, escape, notify, webhook
from pmo_analytics.chat_summary import AttentionItem, ChangeItem, ChatSummary, build
from pmo_analytics.cli import main
from pmo_analytics.demo import build_demo
from pmo_analytics.frames import load_frames, selection_for
from pmo_analytics.portfolio_view import build as portfolio_build
from pmo_analytics.settings import org_from_store
from pmo_analytics.store import Store, close_all
from pmo_analytics.weekly import report_from_store, report_json
from tests import webhook_receiver

HOSTILE = "<!channel> *bold*"
SECRET_PARTS = ("T0SECRET", "B0SECRET", "xoxSECRETtoken")
# The demo's attention order (README, "Worst first"): PRJ-111 and PRJ-101 red on schedule,
# milestones and risk (SPI(t) 0.77 before 0.78), then PRJ-106 and PRJ-104, ..., PRJ-110 (the
# one amber) last; PRJ-108 is closed and left out: 10 red + 1 amber of 11 projects.
DEMO_FIRST = ["PRJ-111", "PRJ-101", "PRJ-106", "PRJ-104"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("notify") / "demo.duckdb"
    build_demo(Store(db))
    close_all()
    return db


@pytest.fixture
def db(demo_db, tmp_path, monkeypatch):
    """A private copy of the demo database (posts write audit entries)."""
    close_all()
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, path)
    for var in ("PMO_SLACK_WEBHOOK", "PMO_TEAMS_WEBHOOK", "PMO_PUBLIC_URL"):
        monkeypatch.delenv(var, raising=False)
    yield path
    close_all()


@pytest.fixture
def receiver():
    server, rec = webhook_receiver.start()
    yield rec
    webhook_receiver.stop(server, rec)


_SUMMARIES: dict = {}


def _summary(db, lang="en", app_url="https://pmo.example.com"):
    """The demo's summary (read only: every copy of the demo holds the same data), built once."""
    key = (lang, app_url)
    if key not in _SUMMARIES:
        _SUMMARIES[key] = notify.summary_from_store(Store(db), lang=lang, app_url=app_url)
    return _SUMMARIES[key]


# ------------------------------------------------------------------ structure rules (from the docs)
SLACK_BLOCKS = {"header", "section", "context", "actions", "divider"}


def _slack_text(obj: dict, limit: int, kinds=("plain_text", "mrkdwn")) -> str:
    assert obj["type"] in kinds, obj
    text = obj["text"]
    assert isinstance(text, str) and 1 <= len(text) <= limit, (len(text), text[:80])
    return text


def check_block_kit(p: dict) -> list[str]:
    """Every rule above; returns the mrkdwn texts (for content checks)."""
    assert set(p) <= {"text", "blocks"} and isinstance(p["text"], str) and p["text"]
    blocks = p["blocks"]
    assert 1 <= len(blocks) <= 50
    texts = []
    for b in blocks:
        assert b["type"] in SLACK_BLOCKS, b["type"]
        if b["type"] == "header":
            _slack_text(b["text"], 150, ("plain_text",))
        elif b["type"] == "section":
            assert "text" in b or "fields" in b
            if "text" in b:
                texts.append(_slack_text(b["text"], 3000))
            for f in b.get("fields", []):
                texts.append(_slack_text(f, 2000))
            assert len(b.get("fields", [])) <= 10
        elif b["type"] == "context":
            assert 1 <= len(b["elements"]) <= 10
            texts += [_slack_text(e, 3000) for e in b["elements"]]
        elif b["type"] == "actions":
            assert 1 <= len(b["elements"]) <= 25
            for e in b["elements"]:
                assert e["type"] == "button"
                _slack_text(e["text"], 75, ("plain_text",))
                assert e["url"].startswith(("https://", "http://")) and len(e["url"]) <= 3000
                assert len(e["action_id"]) <= 255
        else:
            assert b == {"type": "divider"}
    return texts


# element/action type -> (version introduced, required properties, allowed properties)
COMMON = {"type", "id", "spacing", "separator", "isVisible", "height", "requires", "fallback"}
CARD_ELEMENTS = {
    "TextBlock": (
        "1.0",
        {"text"},
        {"text", "wrap", "size", "weight", "color", "isSubtle", "maxLines", "horizontalAlignment", "fontType", "style"},
    ),
    "RichTextBlock": ("1.2", {"inlines"}, {"inlines", "horizontalAlignment"}),
    "FactSet": ("1.0", {"facts"}, {"facts"}),
    "ColumnSet": ("1.0", set(), {"columns", "selectAction", "style", "bleed", "minHeight", "horizontalAlignment"}),
    "Column": (
        "1.0",
        set(),
        {"items", "width", "selectAction", "style", "verticalContentAlignment", "bleed", "minHeight"},
    ),
    "Container": ("1.0", set(), {"items", "selectAction", "style", "verticalContentAlignment", "bleed", "minHeight"}),
}
TEXT_RUN = {
    "type",
    "text",
    "color",
    "fontType",
    "highlight",
    "isSubtle",
    "italic",
    "selectAction",
    "size",
    "strikethrough",
    "underline",
    "weight",
}
ACTIONS = {"Action.OpenUrl": ("1.0", {"url"}, {"type", "url", "title", "iconUrl", "id", "style", "tooltip"})}


def _v(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split("."))


def _check_action(a: dict, version: str) -> None:
    intro, required, allowed = ACTIONS[a["type"]]
    assert _v(intro) <= _v(version) and required <= set(a) and set(a) <= allowed, a
    assert a["url"].startswith(("https://", "http://"))


def _check_element(e: dict, version: str, runs: list[str], marked: list[str]) -> None:
    intro, required, allowed = CARD_ELEMENTS[e["type"]]
    assert _v(intro) <= _v(version), e["type"]
    assert required <= set(e) and set(e) <= allowed | COMMON, (e["type"], set(e) - (allowed | COMMON))
    if e["type"] == "TextBlock":
        marked.append(e["text"])
    if e["type"] == "FactSet":
        for f in e["facts"]:
            assert set(f) == {"title", "value"} and all(isinstance(f[k], str) for k in f)
            marked += [f["title"], f["value"]]
    if e["type"] == "RichTextBlock":
        for r in e["inlines"]:
            assert r["type"] == "TextRun" and set(r) <= TEXT_RUN and isinstance(r["text"], str), r
            runs.append(r["text"])
    for child in e.get("columns", []):
        assert child["type"] == "Column"
        _check_element(child, version, runs, marked)
    for child in e.get("items", []):
        _check_element(child, version, runs, marked)
    if "selectAction" in e:
        assert _v(version) >= (1, 1)
        _check_action(e["selectAction"], version)


def check_adaptive_card(p: dict) -> tuple[list[str], list[str]]:
    """The Workflows envelope and the card's rules; returns (TextRun texts, Markdown texts)."""
    assert p["type"] == "message" and len(p["attachments"]) == 1
    att = p["attachments"][0]
    assert att["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = att["content"]
    assert card["type"] == "AdaptiveCard" and _v(card["version"]) <= (1, 5)
    assert set(card) <= {"type", "version", "body", "actions", "$schema", "msteams", "fallbackText", "speak", "lang"}
    assert len(json.dumps(p, ensure_ascii=False).encode()) <= 28 * 1024
    runs: list[str] = []
    marked: list[str] = []
    for e in card["body"]:
        _check_element(e, card["version"], runs, marked)
    for a in card.get("actions", []):
        _check_action(a, card["version"])
    return runs, marked


# ------------------------------------------------------------------ the content
def test_summary_agrees_with_weekly_report_and_portfolio(db):
    store = Store(db)
    report = report_from_store(store, settings=org_from_store(store))
    summary = notify.summary_from_store(store, settings=org_from_store(store))
    # RAG counts: the weekly report's own (its JSON), and the hand count of the demo: 10 red, 1 amber
    assert summary.counts == report_json(report)["portfolio"]["counts"]
    assert summary.counts == {"red": 10, "amber": 1, "green": 0, "unknown": 0}
    # attention order: the Portfolio page's (an independent path: portfolio_view over load_frames)
    view = portfolio_build(load_frames(store, selection_for(None, None, False, None)), org_from_store(store))
    ids = [a.project_id for a in summary.attention]
    assert ids == list(view.attention) == list(report.attention)
    assert ids[:4] == DEMO_FIRST and ids[-1] == "PRJ-110" and len(ids) == 11
    assert view.counts == summary.counts
    # and the Slack message lists them in that order
    text = next(x for x in check_block_kit(chat_payloads.slack_payload(summary)) if x.startswith("*Needs attention"))
    listed = [pid for pid in ids if f"*{pid}*" in text]
    assert sorted(listed, key=lambda p: text.index(f"*{p}*")) == ids
    # reasons are the health engine's, in words (README: PRJ-111 SPI(t) 0.77)
    assert summary.attention[0].reasons.startswith("SPI(t) 0.77 < 0.85")


def test_changes_come_from_change_history(db):
    summary = _summary(db)
    assert summary.previous_date == date(2026, 9, 30) and summary.status_date == date(2026, 10, 31)
    kinds = [c.kind for c in summary.changes]
    # risks opened first (the demo has two: RSK-061 on PRJ-112, RSK-029 on PRJ-105), then one
    # largest finish move per project
    assert kinds[:2] == ["risks_opened", "risks_opened"]
    assert {c.item.split()[0] for c in summary.changes[:2]} == {"RSK-061", "RSK-029"}
    # the weekly report's "new risks" (its own rule, metrics/report.py) name the same two
    new = report_from_store(Store(db)).risks["new"]
    assert set(zip(new["project_id"], new["risk_id"], strict=True)) == {("PRJ-112", "RSK-061"), ("PRJ-105", "RSK-029")}
    assert [c.project_id for c in summary.changes[:2]] == ["PRJ-112", "PRJ-105"]  # exposure 17.5K before 5.4K
    moved = [c for c in summary.changes if c.kind == "finish_moved"]
    assert len({c.project_id for c in moved}) == len(moved) == 11
    assert summary.change_totals["risks_opened"] == 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_payloads_follow_the_documented_structure(db, lang):
    summary = _summary(db, lang)
    texts = check_block_kit(chat_payloads.slack_payload(summary))
    runs, marked = check_adaptive_card(chat_payloads.teams_payload(summary))
    words = {
        "en": ("Needs attention", "Biggest changes since 2026-09-30"),
        "zh": ("需要关注", "自 2026-09-30 以来的主要变化"),
    }
    for w in words[lang]:
        assert any(w in x for x in texts) and any(w in x for x in marked)
    assert any("● 红" in x for x in texts) == (lang == "zh")
    # 11 projects need attention: 12 fit; 13 changes: 8 shown, "… and 5 more"
    more = {"en": "… and 5 more", "zh": "……另有 5 项"}[lang]
    assert any(more in x for x in texts) and any(more in x for x in marked)
    # the dashboard button and the project links
    slack = chat_payloads.slack_payload(summary)
    assert slack["blocks"][-1]["elements"][0]["url"] == "https://pmo.example.com"
    card = chat_payloads.teams_payload(summary)["attachments"][0]["content"]
    assert card["actions"][0]["url"] == "https://pmo.example.com"
    assert "https://pmo.example.com/project?id=PRJ-111" in json.dumps(card)


def test_no_public_url_no_links(db):
    summary = _summary(db, app_url=None)
    slack = json.dumps(chat_payloads.slack_payload(summary))
    assert "actions" not in slack and "http" not in slack
    assert "Action.OpenUrl" not in json.dumps(chat_payloads.teams_payload(summary))


def test_long_lists_are_shortened_within_the_limits():
    items = tuple(
        AttentionItem(
            f"P-{i:03d}", "N" * 300, "red", "● Red", "CPI 0.50 < 0.85 " * 20, "", f"https://x.io/project?id=P-{i}"
        )
        for i in range(400)
    )
    changes = tuple(
        ChangeItem(f"P-{i:03d}", "finish_moved", "Largest finish move", "T" * 500, "+9 days", None) for i in range(400)
    )
    s = _fake(attention=items, changes=changes)
    texts = check_block_kit(chat_payloads.slack_payload(s))
    assert any("… and 388 more" in x for x in texts) and any("… and 392 more" in x for x in texts)
    runs, marked = check_adaptive_card(chat_payloads.teams_payload(s))
    assert max(len(escape.visible(r)) for r in runs) <= 400  # every data text cut to 80 characters


# ------------------------------------------------------------------ escaping
def _fake(attention=(), changes=(), name=HOSTILE) -> ChatSummary:
    return ChatSummary(
        lang="en",
        status_date=date(2026, 10, 31),
        previous_date=date(2026, 9, 30),
        title="Portfolio status 2026-10-31",
        subtitle="Status date 2026-10-31, compared with 2026-09-30",
        overall_rag="red",
        overall="Overall: Red — Why: CPI 0.80 < 0.85",
        counts={"red": 1, "amber": 0, "green": 0, "unknown": 0},
        count_labels={"red": "● Red", "amber": "▲ Amber", "green": "■ Green", "unknown": "? No RAG"},
        attention=attention
        or (
            AttentionItem("P-1", name, "red", "● Red", "CPI 0.80 < 0.85", "", "https://pmo.example.com/project?id=P-1"),
        ),
        changes=changes or (ChangeItem("P-1", "risks_opened", "Risk opened", "R-1 " + name, "new", None),),
        projects=1,
        app_url="https://pmo.example.com",
    )


def test_escape_helpers_hand_written():
    z = escape.ZERO_WIDTH_SPACE
    assert escape.slack(HOSTILE) == f"&lt;!channel&gt; {z}*{z}bold{z}*{z}"
    assert escape.slack("a & b @here :tada: _x_ ~y~ `c`") == (
        f"a &amp; b @{z}here :{z}tada: {z}_{z}x{z}_{z} {z}~{z}y{z}~{z} {z}`{z}c{z}`{z}"
    )
    assert escape.slack("two\nlines") == "two lines"
    assert escape.card_text("{{DATE(2026-01-01T00:00:00Z)}} *b*") == "{\u2060{DATE(2026-01-01T00:00:00Z)}} *b*"
    assert escape.card_md("- *b* [l](u) <x>") == "\\- \\*b\\* \\[l\\]\\(u\\) \\<x\\>"
    assert escape.card_md("1. one") == "1\\. one"


def test_data_text_arrives_literally():
    s = _fake()
    slack = chat_payloads.slack_payload(s)
    texts = check_block_kit(slack)
    raw = json.dumps(slack, ensure_ascii=False)
    assert "<!channel>" not in raw and "*bold*" not in raw
    shown = [html.unescape(escape.visible(x)) for x in texts]  # what Slack shows once parsed
    assert sum(HOSTILE in x for x in shown) == 2  # the attention line and the risk line
    runs, marked = check_adaptive_card(chat_payloads.teams_payload(s))
    assert " " + HOSTILE in runs  # a TextRun: never Markdown, the text exactly
    assert not any("bold" in m for m in marked)  # data never in a Markdown TextBlock/Fact
    # a name that would be a Teams date function stays text
    runs, _ = check_adaptive_card(chat_payloads.teams_payload(_fake(name="{{DATE(2026-01-01T00:00:00Z)}}")))
    assert not any("{{" in r for r in runs) and any("{\u2060{DATE" in r for r in runs)


def test_a_hostile_project_name_through_the_report(db):
    store = Store(db)
    report = report_from_store(store)
    report.projects.loc[report.projects["project_id"] == "PRJ-111", "name"] = HOSTILE
    s = build(report, "zh", app_url="https://pmo.example.com")
    line = next(x for x in check_block_kit(chat_payloads.slack_payload(s)) if "PRJ-111" in x)
    assert "<!channel>" not in line and HOSTILE in html.unescape(escape.visible(line))
    runs, _ = check_adaptive_card(chat_payloads.teams_payload(s))
    assert " " + HOSTILE in runs


# ------------------------------------------------------------------ posting
def test_mask_and_check_url():
    assert webhook.mask("https://hooks.slack.com/services/T000/B000/abcdWXYZ") == "hooks.slack.com/…WXYZ"
    assert webhook.mask("http://127.0.0.1:8080/hook") == "127.0.0.1:8080/…"  # too short: nothing shown
    assert webhook.mask("garbage-secret-1234") == "…1234"
    assert (
        webhook.mask("https://bot:pa55word@hooks.example.com:8443/services/abcdWXYZ") == "hooks.example.com:8443/…WXYZ"
    )
    for bad in ("ftp://x.io/a", "hooks.slack.com/x", "https://", "https://a b.io/x"):
        with pytest.raises(webhook.NotifyError) as exc:
            webhook.check_url(bad, "Slack")
        assert exc.value.key == "notify.err.bad_url"


def test_post_success_slack_and_teams(receiver, db):
    s = _summary(db)
    sent = notify.send(s, "slack", receiver.url, sleep=_no_sleep)
    assert (sent.tries, sent.status) == (1, 200)
    receiver.script = [(202, b"", {})]  # Teams Workflows answer 202 Accepted
    sent = notify.send(s, "teams", receiver.url, sleep=_no_sleep)
    assert (sent.tries, sent.status) == (1, 202)
    got = receiver.payloads()
    assert got == [chat_payloads.slack_payload(s), chat_payloads.teams_payload(s)]
    assert receiver.requests[0]["headers"]["Content-Type"].startswith("application/json")


def _no_sleep(_s: float) -> None:
    pass


def test_4xx_is_not_retried(receiver):
    receiver.script = [(404, b"no_service", {})]
    with pytest.raises(webhook.NotifyError) as exc:
        webhook.post_json(receiver.url, {"text": "x"}, target="Slack", sleep=_no_sleep)
    assert exc.value.key == "notify.err.client" and exc.value.tries == 1 and len(receiver.requests) == 1
    en, zh = exc.value.render("en"), exc.value.render("zh")
    assert "HTTP 404: no_service" in en and "check the webhook URL" in en
    assert "拒绝" in zh and "HTTP 404" in zh
    assert not any(p in en + zh for p in SECRET_PARTS) and "…n9Qz" in en


def test_5xx_then_success_with_backoff_and_retry_after(receiver):
    waits: list[float] = []
    receiver.script = [(500, b"", {}), (503, b"", {"Retry-After": "2"}), (200, b"ok", {})]
    done = webhook.post_json(receiver.url, {"text": "x"}, backoff=0.5, sleep=waits.append)
    # try 1 -> 500: backoff 0.5 x 1; try 2 -> 503 Retry-After 2 s; try 3 -> 200
    assert (done.tries, waits, len(receiver.requests)) == (3, [0.5, 2.0], 3)


def test_retry_after_is_bounded(receiver):
    waits: list[float] = []
    receiver.script = [(429, b"rate_limited", {"Retry-After": "3600"}), (200, b"ok", {})]
    done = webhook.post_json(receiver.url, {"text": "x"}, max_retry_after=30, sleep=waits.append)
    assert (done.tries, waits) == (2, [30.0])


def test_5xx_forever_gives_up_after_three_tries(receiver):
    waits: list[float] = []
    receiver.script = [(500, b"internal", {})]
    with pytest.raises(webhook.NotifyError) as exc:
        webhook.post_json(receiver.url, {"text": "x"}, target="Microsoft Teams", backoff=1, sleep=waits.append)
    assert exc.value.key == "notify.err.server" and len(receiver.requests) == 3 and waits == [1, 2]
    assert "HTTP 500: internal to each of 3 tries" in exc.value.render("en")
    assert "3 次" in exc.value.render("zh")


def test_timeout_is_reported_not_retried(receiver):
    receiver.script = ["hang"]
    with pytest.raises(webhook.NotifyError) as exc:
        webhook.post_json(receiver.url, {"text": "x"}, target="Slack", timeout=0.5, sleep=_no_sleep)
    assert exc.value.key == "notify.err.timeout" and len(receiver.requests) == 1
    assert "did not answer within 0.5 s" in exc.value.render("en")
    assert "0.5 秒内没有响应" in exc.value.render("zh")


def test_unreachable_host_is_retried_then_reported(receiver):
    server, rec = webhook_receiver.start()
    url = rec.url
    webhook_receiver.stop(server, rec)  # nothing listens there any more
    waits: list[float] = []
    with pytest.raises(webhook.NotifyError) as exc:
        webhook.post_json(url, {"text": "x"}, sleep=waits.append)
    assert exc.value.key == "notify.err.connect" and len(waits) == 2
    assert not any(p in exc.value.render("en") for p in SECRET_PARTS)


def test_redirect_is_not_followed(receiver):
    receiver.script = [(302, b"", {"Location": "/elsewhere"}), (200, b"ok", {})]
    with pytest.raises(webhook.NotifyError) as exc:
        webhook.post_json(receiver.url, {"text": "x"}, sleep=_no_sleep)
    assert exc.value.key == "notify.err.redirect" and len(receiver.requests) == 1


# ------------------------------------------------------------------ command line, audit, secrets
def test_cli_posts_audits_and_never_shows_the_url(db, receiver, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("PMO_SLACK_WEBHOOK", receiver.url)
    monkeypatch.setenv("PMO_PUBLIC_URL", "https://pmo.example.com/")
    assert main(["notify", "--db", str(db), "--slack", "--lang", "zh"]) == 0
    receiver.script = [(403, b"invalid_token", {})]
    assert main(["notify", "--db", str(db), "--teams", receiver.url]) == 1
    receiver.script = [(500, b"", {})]
    monkeypatch.setattr(webhook.time, "sleep", _no_sleep)
    assert main(["notify", "--db", str(db)]) == 1  # no flag: the environment's webhook
    out = capsys.readouterr()
    assert "已发送到 Slack" in out.out and "红 10、黄 1" in out.out
    assert "HTTP 403: invalid_token" in out.err and "HTTP 500" in out.err
    entries = Store(db).audit_entries(action="notify.post")
    assert len(entries) == 3 and set(entries["actor"]) == {"local"}
    assert set(entries["target"]) == {webhook.mask(receiver.url)}
    details = [json.loads(d) for d in entries["details"]]
    assert sorted(d["ok"] for d in details) == [False, False, True]
    assert all(d["counts"] == {"red": 10, "amber": 1, "green": 0, "unknown": 0} for d in details)
    everything = out.out + out.err + caplog.text + entries.to_json(date_format="iso")
    assert not any(p in everything for p in SECRET_PARTS)
    assert len(receiver.requests) == 1 + 1 + 3
    assert receiver.payloads()[0]["blocks"][-1]["elements"][0]["url"] == "https://pmo.example.com"


def test_cli_dry_run_posts_nothing(db, receiver, capsys):
    assert main(["notify", "--db", str(db), "--dry-run", "--teams", receiver.url, "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert receiver.requests == []
    head, _, body = out.partition("\n")
    assert head.startswith("试运行：未发送。Microsoft Teams") and not any(p in out for p in SECRET_PARTS)
    check_adaptive_card(json.loads(body))


def test_cli_without_a_webhook_says_what_to_do(db, capsys):
    assert main(["notify", "--db", str(db)]) == 1
    assert "PMO_SLACK_WEBHOOK" in capsys.readouterr().err
    assert main(["notify", "--db", str(db), "--slack", "ftp://x.io/secret-path-1234", "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert "不是 http(s) 地址" in err and "secret-path" not in err


def test_all_green_and_a_single_status_date():
    from dataclasses import replace

    s = replace(_fake(), attention=(), changes=(), previous_date=None, subtitle="Status date 2026-10-31")
    texts = check_block_kit(chat_payloads.slack_payload(s))
    assert "No project needs attention." in texts and not any("changes" in x for x in texts)
    runs, marked = check_adaptive_card(chat_payloads.teams_payload(s))
    assert "No project needs attention." in marked and not any("changes" in x for x in marked)


def test_one_project(db):
    s = notify.summary_from_store(Store(db), project_ids=["PRJ-110"], lang="en")
    assert s.counts == {"red": 0, "amber": 1, "green": 0, "unknown": 0} and s.projects == 1
    assert [a.project_id for a in s.attention] == ["PRJ-110"]
    assert {c.project_id for c in s.changes} == {"PRJ-110"}
