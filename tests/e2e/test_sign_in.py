"""Sign-in end to end: Streamlit's OpenID Connect (``st.login``, authlib) under ``st.App``
(serve.py), against a real OIDC provider process on loopback (``oidc-provider-mock``), in
Chromium. No patched ``st.user``.

Roles (issue 15): the server's ``PMO_ACCESS_FILE`` gives Vera (by e-mail) a viewer's role on
department Finance, the ``it-analysts`` group (Alice's, from the ID token's ``groups`` claim)
an analyst's on IT, the ``pmo-admins`` group (Adam's) an admin's. Each signs in through the
provider and meets their limits on pages, downloads and direct URLs. The demo's departments:
Finance = PRJ-106, PRJ-109; IT = PRJ-102, PRJ-104, PRJ-105, PRJ-107, PRJ-108.

A temporary working directory holds ``.streamlit/secrets.toml`` with ``[auth]`` pointing at
the provider. Anonymous: only the sign-in screen (no filters, no data). Sign in as a
predefined user of the provider: the page runs and the sidebar names the user from the ID
token (``st.user``). Sign out (ended at the provider too): back to the sign-in screen.
"""

from __future__ import annotations

import csv
import io
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
USER = {"sub": "alice", "email": "alice@example.com", "name": "Alice Analyst", "groups": ["it-analysts"]}
VIEWER = {"sub": "vera", "email": "vera@example.com", "name": "Vera Viewer"}
ADMIN = {"sub": "adam", "email": "adam@example.com", "name": "Adam Admin", "groups": ["pmo-admins", "staff"]}
ACCESS_FILE = """
[people."vera@example.com"]
role = "viewer"
departments = ["Finance"]

[groups."it-analysts"]
role = "analyst"
departments = ["IT"]

[groups."pmo-admins"]
role = "admin"
"""
ALL = [f"PRJ-{n}" for n in range(101, 113)]
FINANCE = ["PRJ-106", "PRJ-109"]
IT_ACTIVE = ["PRJ-102", "PRJ-104", "PRJ-105", "PRJ-107"]  # and PRJ-108, closed: left out of the table


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
            [*cmd, "--port", str(port)] + [a for u in (USER, VIEWER, ADMIN) for a in ("--user-claims", json.dumps(u))],
            stdout=log,
            stderr=subprocess.STDOUT,
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
    (cwd / "access.toml").write_text(ACCESS_FILE, encoding="utf-8")
    access = {"PMO_ACCESS_FILE": str(cwd / "access.toml")}
    with server_helper.app_server(db, env=access, cwd=cwd, log=cwd / "server.log", port=port) as srv:
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


# ----------------------------------------------------------------------------- roles
def sign_in(page, server: str, provider: str, user: dict) -> None:
    page.goto(server)
    wait_idle(page)
    page.get_by_role("button", name="Sign in").click(timeout=120_000)
    page.wait_for_url(f"{provider}/**", timeout=120_000)
    page.get_by_role("button", name=user["sub"], exact=True).click()
    page.wait_for_url(f"{server}/**", timeout=120_000)
    wait_idle(page)
    page.get_by_text(f"Signed in as {user['name']}").wait_for(timeout=120_000)


def health_ids(page) -> list[str]:
    """The project ids of the Portfolio page's health table, as its CSV download has them."""
    page.locator(".st-key-dl_csv_portfolio_health button").wait_for(timeout=120_000)
    return sorted(r["Project ID"] for r in download_csv(page, "portfolio_health"))


def download_csv(page, key: str) -> list[dict]:
    with page.expect_download(timeout=120_000) as info:
        page.locator(f".st-key-dl_csv_{key} button").click()
    return list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))


def menu(page) -> list[str]:
    """The page names of the sidebar menu (each link's text ends with its name, after its icon)."""
    return [t.split("\n")[-1] for t in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()]


def goto(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def test_viewer_sees_one_department_by_every_route(signed_server, provider, page):
    sign_in(page, signed_server, provider, VIEWER)
    page.get_by_text("Role: viewer · sees Department: Finance").wait_for(timeout=60_000)
    assert health_ids(page) == FINANCE  # the portfolio table's download: Finance's rows only
    items = menu(page)
    assert "Import" not in items and "Admin" not in items and "Portfolio" in items
    # direct URLs: the Import and Admin pages are not there for a viewer; a page of data stays in reach
    for path in ("import", "admin"):
        goto(page, f"{signed_server}/{path}")
        assert page.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 0
        assert page.get_by_role("tab", name="Audit trail").count() == 0
    goto(page, f"{signed_server}/risk")
    rows = download_csv(page, "risk_register")
    assert rows and {r["Project ID"] for r in rows} <= set(FINANCE), rows[:3]
    goto(page, f"{signed_server}/project?id=PRJ-101")  # Marketing's project, by its URL
    page.get_by_text("No project with the id “PRJ-101”").wait_for(timeout=120_000)
    assert page.get_by_text("Mobile App Relaunch").count() == 0
    goto(page, f"{signed_server}/project?id=PRJ-106")  # their own opens
    page.get_by_text("ERP Upgrade").first.wait_for(timeout=120_000)
    goto(page, f"{signed_server}/status_report")
    assert page.get_by_role("button", name="Save note").count() == 0  # a viewer writes nothing
    assert page.locator('[data-testid="stException"]').count() == 0


def test_analyst_imports_within_their_department_only(signed_server, provider, page):
    sign_in(page, signed_server, provider, USER)
    assert health_ids(page) == IT_ACTIVE  # the group claim "it-analysts" gave the reach
    items = menu(page)
    assert "Import" in items and "Admin" not in items
    goto(page, f"{signed_server}/import")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').wait_for(state="attached", timeout=120_000)
    goto(page, f"{signed_server}/admin")
    assert page.get_by_role("tab", name="Audit trail").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0


def test_admin_sees_everything_and_the_admin_page(signed_server, provider, page):
    sign_in(page, signed_server, provider, ADMIN)
    assert health_ids(page) == [p for p in ALL if p != "PRJ-108"]  # every active project
    goto(page, f"{signed_server}/admin")
    page.get_by_role("heading", name="Admin").first.wait_for(timeout=120_000)
    page.get_by_role("tab", name="Audit trail").click()
    rows = download_csv(page, "audit")
    # the access file was stored (seeded) when the first person signed in
    assert any(r["Action"] == "Access file stored · access.seed" for r in rows), rows
    assert page.locator('[data-testid="stException"]').count() == 0
