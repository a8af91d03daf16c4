"""Open mode and the sign-in screen in the app (AppTest; the real sign-in is tests/e2e/test_sign_in.py).

- no ``[auth]``: the app runs and the sidebar shows the "open mode" marker, in English and in
  Chinese (on every page in the browser: tests/e2e/test_markup_e2e.py);
- ``[auth]`` configured and nobody signed in: only the sign-in screen (a Sign in button per
  provider), no filters, no data, no marker.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from pmo_analytics import i18n
from tests.conftest import APP, run_app

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test",
    "client_id": "pmo",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def test_open_mode_marker_in_both_languages(app_db):
    at = run_app()
    warnings = [w.value for w in at.sidebar.warning]
    assert any(w.startswith("**Open mode**") and "127.0.0.1" in w for w in warnings), warnings
    at = run_app(session_state={"lang": "zh"})
    warnings = [w.value for w in at.sidebar.warning]
    assert i18n.t("security.open_mode", "zh") in warnings and "开放模式" in warnings[0], warnings


def _signed_out(secrets_auth: dict) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["auth"] = secrets_auth
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_sign_in_screen_only_when_auth_is_configured(app_db):
    # (a page URL is proved in the browser: AppTest's switch_page runs a page without app.py)
    at = _signed_out(AUTH)
    assert [b.label for b in at.button] == ["Sign in"]
    assert [t.value for t in at.title] == ["Sign in"]
    assert not at.sidebar.warning  # no open-mode marker
    assert not at.multiselect and not at.selectbox  # no filters
    assert not at.dataframe and not at.get("plotly_chart")  # no data


def test_one_sign_in_button_per_named_provider(app_db):
    at = _signed_out({"redirect_uri": AUTH["redirect_uri"], "cookie_secret": "x", "corp": {"client_id": "a"}})
    assert [b.label for b in at.button] == ["Sign in with corp"]
