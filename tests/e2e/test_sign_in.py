"""Sign-in end to end: Streamlit's OpenID Connect (``st.login``, authlib) under ``st.App``
(serve.py), against a real OIDC provider process on loopback (``oidc-provider-mock``), in
Chromium. No patched ``st.user``.

A temporary working directory holds ``.streamlit/secrets.toml`` with ``[auth]`` pointing at
the provider. Anonymous: only the sign-in screen (no filters, no data). Sign in as a
predefined user of the provider: the page runs and the sidebar names the user from the ID
token (``st.user``). Sign out (ended at the provider too): back to the sign-in screen.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import wait_idle
from tools import server as server_helper

ROOT = Path(__file__).resolve().parents[2]
USER = {"sub": "alice", "email": "alice@example.com", "name": "Alice Analyst"}


def _provider_cmd() -> list[str] | None:
    exe = shutil.which("oidc-provider-mock") or str(Path(sys.executable).with_name("oidc-provider-mock"))
    return [exe] if Path(exe).exists() else None


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    pytest.importorskip("authlib", reason="st.login needs authlib (requirements.txt)")
    cmd = _provider_cmd()
    if cmd is None:
        pytest.skip("oidc-provider-mock is not installed (requirements-test.txt)")
    port = server_helper.free_port()
    log_path = tmp_path_factory.mktemp("oidc") / "provider.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [*cmd, "--port", str(port), "--user-claims", json.dumps(USER)], stdout=log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(log_path.read_text())
                try:
                    with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(log_path.read_text())
                time.sleep(0.2)  # polling interval of the readiness check
            yield url
        finally:
            server_helper.stop(proc)


@pytest.fixture(scope="module")
def signed_server(provider, demo_db, tmp_path_factory):
    cwd = tmp_path_factory.mktemp("signin")
    db = cwd / "demo.duckdb"  # its own copy: DuckDB lets one process open a file (the shared server has it)
    shutil.copyfile(demo_db, db)
    port = server_helper.free_port()
    url = f"http://127.0.0.1:{port}"
    (cwd / ".streamlit").mkdir()
    (cwd / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        'cookie_secret = "e2e-cookie-secret-not-for-production"\n'
        'client_id = "pmo-dashboard"\n'
        'client_secret = "pmo-dashboard-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    with server_helper.app_server(db, cwd=cwd, log=cwd / "server.log", port=port) as srv:
        yield srv.url


def test_sign_in_and_out_through_a_real_oidc_provider(signed_server, provider, page):
    page.goto(signed_server)
    wait_idle(page)
    sign_in = page.get_by_role("button", name="Sign in")
    sign_in.wait_for(timeout=120_000)
    # anonymous: the sign-in screen only (no filters, no tables, no open-mode marker)
    assert page.get_by_text("Open mode").count() == 0
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    assert page.get_by_text("Filters").count() == 0
    page.goto(f"{signed_server}/risk")  # a page URL does not get round it
    wait_idle(page)
    page.get_by_role("button", name="Sign in").wait_for(timeout=120_000)
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0

    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider}/**", timeout=120_000)  # the provider's authorisation form
    page.get_by_role("button", name=USER["sub"], exact=True).click()  # a predefined user
    page.wait_for_url(f"{signed_server}/**", timeout=120_000)
    wait_idle(page)
    page.get_by_text(f"Signed in as {USER['name']}").wait_for(timeout=120_000)  # st.user, from the ID token
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=120_000)  # the portfolio runs
    assert page.locator('[data-testid="stException"]').count() == 0

    page.get_by_role("button", name="Sign out").click()
    # Streamlit ends the session at the provider too (RP-initiated logout): confirm there
    page.wait_for_url(f"{provider}/**", timeout=120_000)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{signed_server}/**", timeout=120_000)
    page.get_by_role("button", name="Sign in").wait_for(timeout=120_000)
    wait_idle(page)
    assert page.get_by_text(f"Signed in as {USER['name']}").count() == 0
