"""How the dashboard is served: security headers on every response, and open mode.

``serve.py`` (the entry ``make run`` uses) wraps app.py in Streamlit's ASGI app
(``st.App(..., middleware=serving.middleware(...))``) with two pure-ASGI middlewares:

- ``SecurityHeaders`` adds ``X-Frame-Options: DENY``, ``Content-Security-Policy:
  frame-ancestors 'none'`` and ``X-Content-Type-Options: nosniff`` to every HTTP response (the
  page, ``/_stcore/*``, static files, media, errors): no other site can frame the dashboard
  (clickjacking an Undo button), and no browser sniffs a download into a script.
- ``LoopbackOnly`` (open mode only) answers 403 to any client that is not on this machine, and
  closes such WebSockets: a second line behind the bind address.

Open mode is the laptop default: no ``[auth]`` section in ``.streamlit/secrets.toml`` (no
sign-in configured). Then the server binds 127.0.0.1 only and the sidebar says so. Serving
others means configuring sign-in (``[auth]``, Streamlit's OpenID Connect; README "Sign-in").

No streamlit import here (Starlette is a dependency of Streamlit).
"""

from __future__ import annotations

import ipaddress
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

LOOPBACK = "127.0.0.1"
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
)

Scope = dict[str, Any]


def auth_configured(secrets: Mapping[str, Any]) -> bool:
    """True when ``secrets`` (the parsed secrets.toml) configures sign-in: a non-empty ``[auth]``
    table. The one rule for "open mode" (server binding and the sidebar marker both ask it)."""
    auth = secrets.get("auth")
    return isinstance(auth, Mapping) and len(auth) > 0


def read_secrets(files: Iterable[str | Path]) -> dict[str, Any]:
    """The top-level tables of the TOML ``files`` that exist, later files winning (Streamlit's
    order). A file that is not valid TOML raises ``tomllib.TOMLDecodeError`` (fail closed:
    the server does not start rather than guess)."""
    merged: dict[str, Any] = {}
    for f in files:
        path = Path(f)
        if path.is_file():
            merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
    return merged


def bind_address(open_mode: bool, configured: str | None) -> str:
    """Where the server listens: loopback in open mode whatever was configured; otherwise the
    configured address (Streamlit's default, every interface, when none)."""
    if open_mode:
        return LOOPBACK
    return configured or "0.0.0.0"  # noqa: S104 - sign-in is configured: serving others is the point


def is_loopback(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and IPv4-mapped loopback; False for anything else or unknown."""
    if not host:
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


class SecurityHeaders:
    """ASGI middleware: ``SECURITY_HEADERS`` on every HTTP response (a header the app set itself
    is replaced, so there is one value). WebSocket and lifespan traffic pass untouched."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        names = {name for name, _ in SECURITY_HEADERS}

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": headers + list(SECURITY_HEADERS)}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LoopbackOnly:
    """ASGI middleware for open mode: a client that is not on this machine gets 403 (HTTP) or a
    closed WebSocket (policy violation), before Streamlit sees the request."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            if not is_loopback(client[0] if client else None):
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                body = b"Open mode: this dashboard only answers on this computer. Configure sign-in to serve others.\n"
                await send(
                    {
                        "type": "http.response.start",
                        "status": 403,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"), *SECURITY_HEADERS],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def middleware(open_mode: bool) -> list[Any]:
    """The middleware list for ``st.App``: security headers always, loopback-only in open mode."""
    from starlette.middleware import Middleware

    stack = [Middleware(SecurityHeaders)]
    if open_mode:
        stack.append(Middleware(LoopbackOnly))
    return stack
