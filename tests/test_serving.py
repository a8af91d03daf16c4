"""Serving: security headers on every response and open mode on loopback, against real servers
started the way ``make run`` starts one (``python serve.py``, Streamlit's ``st.App`` on uvicorn),
plus the rules themselves (``pmo_analytics.serving``) on their own.

- headers: ``/``, ``/_stcore/health``, a static JS file, a page URL and a 404 all carry
  ``X-Frame-Options: DENY``, ``Content-Security-Policy: frame-ancestors 'none'`` and
  ``X-Content-Type-Options: nosniff``;
- open mode (no ``[auth]``): ``serve.py --address 0.0.0.0`` still listens on 127.0.0.1 only (a
  connection to this machine's other address is refused); ``streamlit run serve.py
  --server.address 0.0.0.0`` listens everywhere but answers 403 to a non-loopback client;
- sign-in configured (``[auth]`` in the working directory's ``.streamlit/secrets.toml``): the
  address given is used and other machines are served.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pmo_analytics import serving

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
}
AUTH_SECRETS = """
[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "not-a-real-secret-for-tests"
client_id = "pmo"
client_secret = "pmo-secret"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"
"""


# ----------------------------------------------------------------------------- the rules
def test_auth_configured_needs_a_non_empty_auth_table():
    assert serving.auth_configured({"auth": {"client_id": "x"}})
    assert not serving.auth_configured({})
    assert not serving.auth_configured({"auth": {}})
    assert not serving.auth_configured({"auth": "yes"})
    assert not serving.auth_configured({"db": {"auth": {"x": 1}}})


def test_read_secrets_merges_files_later_wins(tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text('[auth]\nclient_id = "a"\n[db]\nx = 1\n', encoding="utf-8")
    b.write_text('[auth]\nclient_id = "b"\n', encoding="utf-8")
    merged = serving.read_secrets([a, tmp_path / "missing.toml", b])
    assert merged == {"auth": {"client_id": "b"}, "db": {"x": 1}}


def test_bind_address():
    assert serving.bind_address(True, "0.0.0.0") == "127.0.0.1"
    assert serving.bind_address(True, None) == "127.0.0.1"
    assert serving.bind_address(False, "10.1.2.3") == "10.1.2.3"
    assert serving.bind_address(False, None) == "0.0.0.0"


@pytest.mark.parametrize(
    ("host", "expected"),
    [("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("::ffff:127.0.0.1", True),
     ("10.0.0.5", False), ("::ffff:10.0.0.5", False), ("192.0.2.2", False), ("", False), (None, False),
     ("localhost", False)],
)  # fmt: skip
def test_is_loopback(host, expected):
    assert serving.is_loopback(host) is expected


def _asgi(middleware_cls, scope: dict) -> tuple[list[dict], bool]:
    """Messages a middleware sends for one request, and whether the inner app was called."""
    called = []

    async def inner(scope, receive, send):
        called.append(True)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x-frame-options", b"ALLOWALL")]})
        await send({"type": "http.response.body", "body": b"ok"})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    asyncio.run(middleware_cls(inner)(scope, receive, send))
    return sent, bool(called)


def test_security_headers_replace_what_the_app_set():
    sent, called = _asgi(serving.SecurityHeaders, {"type": "http", "client": ("10.0.0.5", 1)})
    assert called
    headers = [(k.decode(), v.decode()) for k, v in sent[0]["headers"]]
    assert sorted(headers) == sorted(EXPECTED.items())  # ALLOWALL gone, one value each


def test_loopback_only_refuses_other_machines():
    sent, called = _asgi(serving.LoopbackOnly, {"type": "http", "client": ("10.0.0.5", 1)})
    assert not called and sent[0]["status"] == 403
    sent, called = _asgi(serving.LoopbackOnly, {"type": "websocket", "client": ("10.0.0.5", 1)})
    assert not called and sent == [{"type": "websocket.close", "code": 1008}]
    sent, called = _asgi(serving.LoopbackOnly, {"type": "http", "client": ("127.0.0.1", 1)})
    assert called and sent[0]["status"] == 200
    sent, called = _asgi(serving.LoopbackOnly, {"type": "http", "client": None})
    assert not called and sent[0]["status"] == 403  # unknown client: refused


def test_middleware_stack():
    assert [m.cls for m in serving.middleware(open_mode=True)] == [serving.SecurityHeaders, serving.LoopbackOnly]
    assert [m.cls for m in serving.middleware(open_mode=False)] == [serving.SecurityHeaders]


# ----------------------------------------------------------------------------- real servers
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _other_address() -> str | None:
    """This machine's address on its first non-loopback interface (no packet is sent)."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("192.0.2.1", 9))
        ip = s.getsockname()[0]
        return None if serving.is_loopback(ip) or ip == "0.0.0.0" else ip
    return None


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


@contextlib.contextmanager
def _server(cmd: list[str], port: int, cwd: Path, db: Path):
    log_path = cwd / f"server-{port}.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=dict(os.environ, PMO_DB=str(db)), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 90
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"server exited {proc.returncode}: {log_path.read_text()}")
                with contextlib.suppress(OSError):
                    if _get(f"http://127.0.0.1:{port}/_stcore/health")[0] == 200:
                        break
                if time.monotonic() > deadline:
                    raise TimeoutError(log_path.read_text())
                time.sleep(0.2)  # polling interval of the health check
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def _serve_py(port: int, address: str) -> list[str]:
    return [sys.executable, str(ROOT / "serve.py"), "--port", str(port), "--address", address]


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("serving") / "empty.duckdb"


@pytest.fixture(scope="module")
def open_server(tmp_path_factory, empty_db):
    """``python serve.py --address 0.0.0.0`` from a directory without secrets: open mode."""
    cwd = tmp_path_factory.mktemp("open")
    port = _free_port()
    with _server(_serve_py(port, "0.0.0.0"), port, cwd, empty_db) as url:
        yield url, port


def test_headers_on_every_kind_of_response(open_server):
    url, _ = open_server
    status, _, index = _get(f"{url}/")
    assert status == 200
    script = re.search(rb'src="\./(static/js/[^"]+\.js)"', index)
    assert script, index[:500]
    for path, want in (
        ("/", 200),
        ("/_stcore/health", 200),
        ("/" + script[1].decode(), 200),  # a static file
        ("/risk", 200),  # a page URL (the app's index)
        ("/static/no-such-file.js", 200),  # unknown paths get the app (single-page fallback)
        ("/media/no-such-file.png", 404),
    ):
        status, headers, _ = _get(url + path)
        assert status == want, (path, status)
        for name, value in EXPECTED.items():
            assert headers.get(name) == value, (path, name, headers)


def test_open_mode_listens_on_loopback_only(open_server):
    url, port = open_server
    assert _get(f"{url}/_stcore/health")[0] == 200
    other = _other_address()
    if other is None:
        pytest.skip("this machine has no non-loopback IPv4 address to try")
    with pytest.raises(ConnectionRefusedError), socket.create_connection((other, port), timeout=5):
        pass


def test_open_mode_refuses_other_machines_even_when_bound_everywhere(tmp_path, empty_db):
    """``streamlit run serve.py --server.address 0.0.0.0``: bound everywhere, but a client that
    is not on this machine gets 403 from the open-mode middleware."""
    other = _other_address()
    if other is None:
        pytest.skip("this machine has no non-loopback IPv4 address to try")
    port = _free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.port", str(port),
           "--server.address", "0.0.0.0", "--server.headless", "true"]  # fmt: skip
    with _server(cmd, port, tmp_path, empty_db) as url:
        assert _get(f"{url}/_stcore/health")[0] == 200
        status, headers, body = _get(f"http://{other}:{port}/_stcore/health")
        assert status == 403 and b"Open mode" in body
        assert headers.get("x-frame-options") == "DENY"


def test_with_sign_in_configured_other_machines_are_served(tmp_path, empty_db):
    other = _other_address()
    if other is None:
        pytest.skip("this machine has no non-loopback IPv4 address to try")
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(AUTH_SECRETS, encoding="utf-8")
    port = _free_port()
    with _server(_serve_py(port, "0.0.0.0"), port, tmp_path, empty_db):
        status, headers, _ = _get(f"http://{other}:{port}/_stcore/health")
        assert status == 200
        assert headers.get("x-content-type-options") == "nosniff"


def test_make_run_serves_through_serve_py():
    """``make run`` starts serve.py (st.App with the headers), not ``streamlit run app.py``."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "serve.py" in recipe and "app.py" not in recipe, recipe
