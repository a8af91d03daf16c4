"""Post JSON to a chat webhook (Slack incoming webhook, Teams Workflows webhook): bounded retries,
a timeout, clear errors, and the URL kept secret.

A webhook URL is a secret (whoever has it may post to the channel): it is never logged, never
put in an error message, an audit entry or a page in full; ``mask`` keeps the scheme, the host and
the last four characters (``hooks.slack.com/…x9Qz``). Exceptions from the HTTP layer are
not chained into ours (their text may hold the URL). stdlib ``urllib`` only: it logs nothing
(urllib3 logs request paths at DEBUG), and redirects are refused rather than followed (the
payload goes to the address given, nowhere else).

Retries (``post_json``): at most ``tries`` attempts (3). Retried: HTTP 429 and 5xx (waiting the
answer's ``Retry-After`` seconds when given, at most ``MAX_RETRY_AFTER_S``, else ``backoff`` x 1,
2, 4 ...) and a connection that could not be made (nothing was sent). Not retried: 4xx (the URL
or its permissions are wrong: retrying will not help), a redirect, and a timeout waiting for the
answer after the message was sent (it may have arrived: a retry could post it twice).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import PmoError

TRIES = 3
TIMEOUT_S = 10.0
BACKOFF_S = 1.0
MAX_RETRY_AFTER_S = 30.0
USER_AGENT = "pmo-portfolio-health-notify/1"


class NotifyError(PmoError):
    """A chat post failed (the message says why, the URL masked); ``tries`` attempts were made."""

    def __init__(self, *, key: str, params: dict, hint_key: str = "", tries: int = 0) -> None:
        super().__init__(key=key, params=params, hint_key=hint_key)
        self.tries = tries


@dataclass(frozen=True)
class Delivery:
    """A post that arrived: the HTTP status, the attempts it took and the waits between them."""

    status: int
    tries: int
    waits: tuple[float, ...] = ()


def mask(url: str) -> str:
    """``url`` with all but the host (and port) and the last 4 characters hidden:
    ``hooks.slack.com/…x9Qz`` (no scheme, so no chat client, terminal or page makes it a link)."""
    text = str(url or "").strip()
    parts = urlsplit(text)
    try:
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a port that is no number
        host, port = "", ""
    if parts.scheme and host:  # never the user:password@ part; no scheme (nothing makes it a link)
        rest = text.split(parts.netloc, 1)[-1]
        return f"{host}{port}/…" + (rest[-4:] if len(rest) > 8 else "")
    return "…" + (text[-4:] if len(text) > 8 else "")


def check_url(url: str, target: str) -> str:
    """``url`` stripped, when it is an http(s) address with a host; else ``NotifyError``."""
    text = str(url or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in text):
        raise NotifyError(
            key="notify.err.bad_url", params={"target": target, "where": mask(text)}, hint_key="notify.err.bad_url.hint"
        )
    return text


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102 - refuse every redirect
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _retry_after(headers) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return max(0.0, float(str(value).strip())) if value is not None else None
    except ValueError:  # an HTTP date: not worth parsing, the backoff applies
        return None


def _detail(body: bytes, secret: str) -> str:
    """The service's short reason (Slack answers e.g. ``invalid_blocks``), the URL's secret part
    removed, printable ASCII only, at most 80 characters: ": invalid_blocks" or ""."""
    text = body[:400].decode("utf-8", "replace")
    path = urlsplit(secret)
    for part in (secret, path.path, path.query):
        if part and len(part) > 4:
            text = text.replace(part, "…")
    text = "".join(c for c in text if 32 <= ord(c) < 127).strip()
    return f": {text[:80]}" if text else ""


def post_json(
    url: str,
    payload: dict,
    *,
    target: str = "webhook",
    tries: int = TRIES,
    timeout: float = TIMEOUT_S,
    backoff: float = BACKOFF_S,
    max_retry_after: float = MAX_RETRY_AFTER_S,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """POST ``payload`` as JSON to ``url`` (see the module doc for retries); ``target`` names the
    service in messages ("Slack"). Returns the ``Delivery``; raises ``NotifyError``."""
    url = check_url(url, target)
    where = mask(url)
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    waits: list[float] = []
    status, detail, reason = 0, "", "-"  # the last failure: an HTTP status, or why no connection
    for attempt in range(1, max(1, tries) + 1):
        req = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT},
        )
        wait = backoff * 2 ** (attempt - 1)
        try:
            with _OPENER.open(req, timeout=timeout) as resp:
                resp.read(1024)
                return Delivery(status=int(resp.status), tries=attempt, waits=tuple(waits))
        except urllib.error.HTTPError as exc:
            status = int(exc.code)
            detail = _detail(exc.read() if exc.fp is not None else b"", url)
            if 300 <= status < 400:
                raise NotifyError(
                    key="notify.err.redirect",
                    params={"target": target, "where": where, "status": status},
                    hint_key="notify.err.redirect.hint",
                    tries=attempt,
                ) from None
            if status != 429 and status < 500:
                raise NotifyError(
                    key="notify.err.client",
                    params={"target": target, "where": where, "status": status, "detail": detail},
                    hint_key="notify.err.client.hint",
                    tries=attempt,
                ) from None
            asked = _retry_after(exc.headers)
            if asked is not None:
                wait = min(asked, max_retry_after)
        except urllib.error.URLError as exc:  # the connection was not made: nothing was sent
            why = exc.reason
            reason = "timeout" if isinstance(why, TimeoutError) else type(why).__name__
            if isinstance(why, OSError) and why.strerror:
                reason = str(why.strerror)
            status = 0
        except TimeoutError:  # sent, no answer in time: it may have arrived
            raise NotifyError(
                key="notify.err.timeout",
                params={"target": target, "where": where, "seconds": f"{timeout:g}"},
                hint_key="notify.err.timeout.hint",
                tries=attempt,
            ) from None
        except (ConnectionError, OSError) as exc:  # the connection dropped while answering
            status, reason = 0, type(exc).__name__
        if attempt < tries:
            waits.append(wait)
            sleep(wait)
    if status:
        raise NotifyError(
            key="notify.err.server",
            params={"target": target, "where": where, "status": status, "detail": detail, "tries": tries},
            hint_key="notify.err.server.hint",
            tries=tries,
        )
    raise NotifyError(
        key="notify.err.connect",
        params={"target": target, "where": where, "reason": reason, "tries": tries},
        hint_key="notify.err.connect.hint",
        tries=tries,
    )
