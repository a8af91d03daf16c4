"""Post the week's summary to Slack or Microsoft Teams: ``python -m pmo_analytics notify`` and
the Status report page's "Post the summary to chat" (analysts and admins, ``access.ACTIONS``).

- ``summary_from_store``: the weekly report (``weekly.week_from_store``: the one load path,
  the health engine) and the changes since its previous date, as a ``chat_summary.ChatSummary``.
- ``send``: build the payload (``chat_payloads``), post it (``webhook.post_json``: bounded
  retries, a timeout, the URL masked), and write one audit entry per post, arrived or not
  (``notify.post``: actor, target = the masked URL, channel, status date, RAG counts, lines,
  tries, the error key when it failed).
- Webhooks come from the command line or the environment (``PMO_SLACK_WEBHOOK``,
  ``PMO_TEAMS_WEBHOOK``); the page offers only the environment's (a person never makes the
  server post to an address they typed). ``PMO_PUBLIC_URL`` is the dashboard's address for the
  links (button, project pages); without it the message has no links.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from . import chat_payloads, webhook
from .chat_summary import ChatSummary
from .errors import ConfigError, PmoError
from .i18n import t

TARGETS = ("slack", "teams")
ENV = {"slack": "PMO_SLACK_WEBHOOK", "teams": "PMO_TEAMS_WEBHOOK"}
PUBLIC_URL_ENV = "PMO_PUBLIC_URL"
AUDIT_ACTION = "notify.post"


def target_name(kind: str, lang: str = "en") -> str:
    """ "Slack" / "Microsoft Teams"."""
    return t(f"notify.{kind}", lang)


def configured(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The webhooks set in the environment: {"slack": url, "teams": url} (unset ones left out)."""
    source = os.environ if env is None else env
    return {k: source[v].strip() for k, v in ENV.items() if (source.get(v) or "").strip()}


def public_url(env: Mapping[str, str] | None = None) -> str | None:
    """``PMO_PUBLIC_URL`` without a trailing slash; None when unset; ``ConfigError`` when it is
    not an http(s) address (or holds characters a chat link cannot carry)."""
    value = ((os.environ if env is None else env).get(PUBLIC_URL_ENV) or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c in value for c in ' <>|"\t'):
        raise ConfigError(
            key="notify.err.public_url", params={"value": value[:80]}, hint_key="notify.err.public_url.hint"
        )
    return value.rstrip("/")


def summary_from_store(
    store,
    status_date: date | None = None,
    *,
    project_ids: Sequence[str] | None = None,
    lang: str = "en",
    settings=None,
    include_closed: bool = False,
    reach=None,
    app_url: str | None = None,
) -> ChatSummary:
    """The summary at ``status_date`` (default: the latest) from the store, as the ``report``
    command builds the weekly report, with the changes since the report's previous date."""
    from .chat_summary import build
    from .weekly import week_from_store

    week = week_from_store(
        store, status_date, project_ids=project_ids, settings=settings, include_closed=include_closed, reach=reach
    )
    fr = week.frames  # the frames the report was built from: one load for both
    return build(
        week.report,
        lang,
        tasks=fr.history("tasks"),
        risks=fr.history("risks"),
        projects=fr.history("projects"),
        app_url=app_url,
    )


@dataclass(frozen=True)
class Sent:
    """One summary posted: where (masked), how many tries, and what it said."""

    kind: str
    where: str
    tries: int
    status: int

    def text(self, summary: ChatSummary, lang: str = "en") -> str:
        """ "Posted to Slack (hooks.slack.com/…x9Qz): 10 red, ... (tries: 1)." in ``lang``."""
        return t(
            "notify.posted",
            lang,
            target=target_name(self.kind, lang),
            where=self.where,
            tries=self.tries,
            lines=len(summary.attention),
            changes=len(summary.changes),
            **summary.counts,
        )


def _audit(store, actor: str, kind: str, where: str, summary: ChatSummary, tries: int, error: str = "") -> None:
    if store is None:
        return
    details = {
        "channel": kind,
        "status_date": summary.status_date.isoformat(),
        "lang": summary.lang,
        "counts": dict(summary.counts),
        "attention": len(summary.attention),
        "changes": len(summary.changes),
        "tries": tries,
        "ok": not error,
    }
    if error:
        details["error"] = error
    store.record_audit(actor, AUDIT_ACTION, where, details)


def send(
    summary: ChatSummary,
    kind: str,
    url: str,
    *,
    store=None,
    actor: str = "local",
    **post_options,
) -> Sent:
    """Post ``summary`` to the ``kind`` ("slack"/"teams") webhook ``url``; one audit entry in
    ``store`` (when given) whether it arrived or not. Raises ``webhook.NotifyError``."""
    if kind not in TARGETS:
        raise ConfigError(f"unknown chat target {kind!r}: slack or teams")
    name = target_name(kind, "en")
    where = webhook.mask(url)
    body = chat_payloads.payload(kind, summary)
    try:
        done = webhook.post_json(url, body, target=name, **post_options)
    except webhook.NotifyError as exc:
        _audit(store, actor, kind, where, summary, exc.tries, exc.key)
        raise
    _audit(store, actor, kind, where, summary, done.tries)
    return Sent(kind=kind, where=where, tries=done.tries, status=done.status)


# ------------------------------------------------------------------ command line
def targets_from_args(slack: str | None, teams: str | None, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The webhooks a ``notify`` command posts to: ``--slack``/``--teams`` (a flag without a URL
    takes the environment's); no flag: every webhook set in the environment."""
    from_env = configured(env)
    asked = {k: v for k, v in (("slack", slack), ("teams", teams)) if v is not None}
    if not asked:
        return from_env
    out = {}
    for k, v in asked.items():
        url = v.strip() or from_env.get(k, "")
        if not url:
            raise PmoError(key="notify.err.no_target", hint_key="notify.err.no_target.hint")
        out[k] = url
    return out


def run_cli(args, store, settings, out, err) -> int:
    """``notify`` (``cli.py``): post (or with ``--dry-run`` print) the summary. Exit 0 when every
    post arrived, 1 otherwise (each failure on ``err`` in ``--lang``)."""
    lang = args.lang
    if args.dry_run:  # no URL needed to look at the payloads
        kinds = [k for k in TARGETS if getattr(args, k) is not None] or list(TARGETS)
        targets = {k: v for k, v in configured().items() if k in kinds}
        targets.update({k: getattr(args, k).strip() for k in kinds if (getattr(args, k) or "").strip()})
    else:
        targets = targets_from_args(args.slack, args.teams)
        kinds = list(targets)
    if not targets and not args.dry_run:
        raise PmoError(key="notify.err.no_target", hint_key="notify.err.no_target.hint")
    summary = summary_from_store(
        store,
        args.status_date,
        project_ids=args.project or None,
        lang=lang,
        settings=settings,
        include_closed=args.include_closed,
        app_url=public_url(),
    )
    if args.dry_run:
        for kind in kinds:
            where = f" ({webhook.mask(targets[kind])})" if kind in targets else ""
            print(t("notify.dry_run", lang, target=target_name(kind, lang)) + where, file=out)
            print(json.dumps(chat_payloads.payload(kind, summary), ensure_ascii=False, indent=1), file=out)
        return 0
    failed = 0
    for kind, url in targets.items():
        try:
            sent = send(summary, kind, url, store=store, actor=args.actor, timeout=args.timeout)
        except webhook.NotifyError as exc:
            print(f"error: {exc.render(lang)}", file=err)
            failed += 1
            continue
        print(sent.text(summary, lang), file=out)
    return 1 if failed else 0
