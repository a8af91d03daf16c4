"""A ``chat_summary.ChatSummary`` as a Slack Block Kit message or a Teams Adaptive Card.

Slack (incoming webhook; docs.slack.dev Block Kit reference): ``text`` (the notification's
fallback) and ``blocks``: a ``header`` (plain_text, at most 150 characters), ``section`` blocks
with ``mrkdwn`` text (at most 3,000 characters each; ``fields`` at most 10 of 2,000), ``context``
blocks (at most 10 elements), a ``divider`` and an ``actions`` block whose ``button`` (text at
most 75 characters, url at most 3,000) opens the dashboard. At most 50 blocks. Every text from
the summary is escaped by ``escape.slack``; the only markup is ours (``*bold*``, ``<url|id>``).

Teams (Workflows "post to a channel when a webhook request is received"): ``{"type": "message",
"attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}]}``
with an Adaptive Card of version ``CARD_VERSION`` (1.4: TextBlock, FactSet, RichTextBlock and
TextRun, ColumnSet with a ``selectAction``, Action.OpenUrl; no 1.5 Table). Data text only ever goes
into ``TextRun`` (never read as Markdown, ``escape.card_text``); TextBlocks and facts carry our
labels (``escape.card_md``). Teams refuses messages over 28 KB: the lists are shortened until
the payload fits ``TEAMS_MAX_BYTES``.

Long lists are cut to ``ATTENTION_LINES`` and ``CHANGE_LINES`` lines with "… and N more"; data
text longer than ``ITEM_CHARS`` is shortened with "…".
"""

from __future__ import annotations

import json

from . import escape
from .chat_summary import COUNT_KEYS, AttentionItem, ChangeItem, ChatSummary
from .i18n import t

SLACK_MAX_BLOCKS = 50
SLACK_SECTION_CHARS = 3000
SLACK_HEADER_CHARS = 150
SLACK_BUTTON_CHARS = 75
SLACK_FIELD_CHARS = 2000
TEAMS_MAX_BYTES = 27 * 1024  # Teams: 28 KB per message, with room for the envelope
CARD_VERSION = "1.4"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
ATTENTION_LINES = 12  # as the Portfolio page's attention list
CHANGE_LINES = 8
ITEM_CHARS = 80
CARD_COLOURS = {"red": "Attention", "amber": "Warning", "green": "Good"}


def cut(text: str, n: int = ITEM_CHARS) -> str:
    """``text`` shortened to ``n`` characters with "…" (raw text, before any escaping)."""
    text = str(text or "")
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _more(lang: str, n: int) -> str:
    return t("notify.more", lang, n=n)


# ------------------------------------------------------------------ Slack
def _slack_id(pid: str, link: str | None) -> str:
    shown = escape.slack(cut(pid, 40))
    return f"*<{link}|{shown}>*" if link else f"*{shown}*"


def _slack_attention(a: AttentionItem) -> str:
    line = f"{escape.slack(a.label)}  {_slack_id(a.project_id, a.link)}"
    if a.name:
        line += f" {escape.slack(cut(a.name))}"
    line += f" — {escape.slack(a.reasons)}"
    if a.flags:
        line += f" · ⚑ {escape.slack(a.flags)}"
    return line


def _slack_change(c: ChangeItem, lang: str) -> str:
    line = f"• {_slack_id(c.project_id, c.link)} · {escape.slack(c.label)}"
    if c.item:
        line += escape.slack(t("notify.item_sep", lang)) + escape.slack(cut(c.item))
    return line + f" — {escape.slack(c.detail)}"


def _sections(title: str, lines: list[str]) -> list[dict]:
    """``lines`` under a bold ``title`` packed into as few mrkdwn sections as the 3,000
    characters allow (a line is never split)."""
    out: list[dict] = []
    text = f"*{escape.slack(title)}*"
    for line in lines:
        line = line[:SLACK_SECTION_CHARS]
        if len(text) + 1 + len(line) > SLACK_SECTION_CHARS:
            out.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
            text = line
        else:
            text += "\n" + line
    out.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    return out


def _listed(render, items, limit: int, lang: str) -> list[str]:
    lines = [render(x) for x in items[:limit]]
    if len(items) > limit:
        lines.append(f"_{escape.slack(_more(lang, len(items) - limit))}_")
    return lines


def slack_payload(s: ChatSummary, *, attention_lines: int = ATTENTION_LINES, change_lines: int = CHANGE_LINES) -> dict:
    """The Block Kit message of ``s`` (see the module doc)."""
    lang = s.lang
    counts = " · ".join(f"{s.count_labels[k]} {s.counts.get(k, 0)}" for k in COUNT_KEYS)
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": cut(s.title, SLACK_HEADER_CHARS), "emoji": False}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": escape.slack(s.overall)[:SLACK_SECTION_CHARS]},
            "fields": [
                {
                    "type": "mrkdwn",
                    "text": f"*{escape.slack(s.count_labels[k])}*\n{s.counts.get(k, 0)}"[:SLACK_FIELD_CHARS],
                }
                for k in COUNT_KEYS
            ],
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": escape.slack(s.subtitle)}]},
        {"type": "divider"},
    ]
    tail: list[dict] = []
    if s.totals_line():
        tail.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape.slack(s.totals_line())}]})
    tail.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": escape.slack(t("notify.context", lang, n=s.projects))}],
        }
    )
    if s.app_url:
        tail.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": cut(t("notify.open_app", lang), SLACK_BUTTON_CHARS)},
                        "url": s.app_url,
                        "action_id": "open_dashboard",
                        "style": "primary",
                    }
                ],
            }
        )
    while True:
        middle: list[dict] = []
        if s.attention:
            middle += _sections(
                t("notify.attention", lang), _listed(_slack_attention, s.attention, attention_lines, lang)
            )
        else:
            middle.append(
                {"type": "section", "text": {"type": "mrkdwn", "text": escape.slack(t("notify.attention_none", lang))}}
            )
        if s.previous_date is not None:
            since = s.previous_date.isoformat()
            if s.changes:
                middle += _sections(
                    t("notify.changes", lang, date=since),
                    _listed(lambda c: _slack_change(c, lang), s.changes, change_lines, lang),
                )
            else:
                middle.append(
                    {
                        "type": "section",
                        "text": {"type": "mrkdwn", "text": escape.slack(t("notify.changes_none", lang, date=since))},
                    }
                )
        if len(blocks) + len(middle) + len(tail) <= SLACK_MAX_BLOCKS or (attention_lines <= 1 and change_lines <= 1):
            break
        attention_lines, change_lines = max(1, attention_lines // 2), max(1, change_lines // 2)
    fallback = f"{s.title}: {counts}"
    return {"text": escape.slack(fallback), "blocks": blocks + middle + tail}


# ------------------------------------------------------------------ Teams
def _run(text: str, **style: object) -> dict:
    return {"type": "TextRun", "text": escape.card_text(text), **style}


def _rich(*runs: dict, **extra: object) -> dict:
    return {"type": "RichTextBlock", "inlines": list(runs), **extra}


def _label(text: str, **style: object) -> dict:
    return {"type": "TextBlock", "text": escape.card_md(text), "wrap": True, **style}


def _linked(block: dict, link: str | None, title: str) -> dict:
    """``block`` in a one-column ColumnSet that opens ``link`` when selected (no link: the block)."""
    if not link:
        return block
    return {
        "type": "ColumnSet",
        "columns": [
            {
                "type": "Column",
                "width": "stretch",
                "items": [block],
                "selectAction": {"type": "Action.OpenUrl", "url": link, "title": cut(title, 60)},
            }
        ],
    }


def _card_attention(a: AttentionItem, lang: str) -> dict:
    runs = [
        _run(a.label, weight="Bolder", color=CARD_COLOURS.get(a.rag, "Default")),
        _run("  " + cut(a.project_id, 40), weight="Bolder"),
    ]
    if a.name:
        runs.append(_run(" " + cut(a.name)))
    runs.append(_run(" — " + a.reasons, isSubtle=True))
    if a.flags:
        runs.append(_run(" · ⚑ " + a.flags, isSubtle=True))
    return _linked(_rich(*runs), a.link, t("notify.open_project", lang, project=a.project_id))


def _card_change(c: ChangeItem, lang: str) -> dict:
    runs = [_run("• " + cut(c.project_id, 40), weight="Bolder"), _run(" · " + c.label)]
    if c.item:
        runs.append(_run(t("notify.item_sep", lang) + cut(c.item)))
    runs.append(_run(" — " + c.detail, isSubtle=True))
    return _linked(_rich(*runs), c.link, t("notify.open_project", lang, project=c.project_id))


def adaptive_card(s: ChatSummary, *, attention_lines: int = ATTENTION_LINES, change_lines: int = CHANGE_LINES) -> dict:
    """The Adaptive Card (``content``) of ``s``."""
    lang = s.lang
    body: list[dict] = [
        _label(s.title, size="Large", weight="Bolder"),
        _rich(_run(s.subtitle, isSubtle=True)),
        {
            "type": "FactSet",
            "facts": [
                {"title": escape.card_md(s.count_labels[k]), "value": str(s.counts.get(k, 0))} for k in COUNT_KEYS
            ],
        },
        _rich(_run(s.overall, color=CARD_COLOURS.get(s.overall_rag, "Default"))),
        _label(t("notify.attention", lang), weight="Bolder", separator=True),
    ]
    if not s.attention:
        body.append(_label(t("notify.attention_none", lang)))
    body += [_card_attention(a, lang) for a in s.attention[:attention_lines]]
    if len(s.attention) > attention_lines:
        body.append(_label(_more(lang, len(s.attention) - attention_lines), isSubtle=True))
    if s.previous_date is not None:
        since = s.previous_date.isoformat()
        if s.changes:
            body.append(_label(t("notify.changes", lang, date=since), weight="Bolder", separator=True))
            body += [_card_change(c, lang) for c in s.changes[:change_lines]]
            if len(s.changes) > change_lines:
                body.append(_label(_more(lang, len(s.changes) - change_lines), isSubtle=True))
        else:
            body.append(_label(t("notify.changes_none", lang, date=since), separator=True))
    if s.totals_line():
        body.append(_rich(_run(s.totals_line(), isSubtle=True)))
    body.append(_rich(_run(t("notify.context", lang, n=s.projects), isSubtle=True), separator=True))
    card: dict = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "msteams": {"width": "Full"},
        "body": body,
    }
    if s.app_url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": t("notify.open_app", lang), "url": s.app_url}]
    return card


def teams_payload(s: ChatSummary, *, attention_lines: int = ATTENTION_LINES, change_lines: int = CHANGE_LINES) -> dict:
    """The Workflows webhook message of ``s``: one Adaptive Card attachment, lists shortened
    until it fits ``TEAMS_MAX_BYTES``."""
    while True:
        card = adaptive_card(s, attention_lines=attention_lines, change_lines=change_lines)
        payload = {
            "type": "message",
            "attachments": [{"contentType": CARD_CONTENT_TYPE, "contentUrl": None, "content": card}],
        }
        size = len(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        if size <= TEAMS_MAX_BYTES or (attention_lines <= 1 and change_lines <= 1):
            return payload
        attention_lines, change_lines = max(1, attention_lines // 2), max(1, change_lines // 2)


def payload(kind: str, s: ChatSummary) -> dict:
    """``slack_payload`` or ``teams_payload`` by ``kind`` ("slack"/"teams")."""
    return slack_payload(s) if kind == "slack" else teams_payload(s)
