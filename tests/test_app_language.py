"""``PMO_LANG=zh`` opens Chinese from the first run and stays (``ui.lang``).

The language selectbox used to take its first option ("en") when the session had no language
yet, so a ``PMO_LANG=zh`` session showed an English page body from the first run and its menu
reverted to English after one click. The browser journey across pages:
tests/e2e/test_navigation.py."""

from __future__ import annotations

import pytest

from pmo_analytics import i18n
from tests.conftest import run_app


@pytest.fixture
def demo_env(tmp_path_factory, monkeypatch):
    from pmo_analytics.demo import build_demo
    from pmo_analytics.store import Store, close_all

    db = tmp_path_factory.mktemp("lang") / "demo.duckdb"
    build_demo(Store(db))
    close_all()
    monkeypatch.setenv("PMO_DB", str(db))
    yield db
    close_all()


def test_pmo_lang_zh_from_the_first_run(demo_env, monkeypatch):
    """The first run of a new session: menu, widgets and page body in Chinese. (Before the fix
    the body of this very run was English and the language widget held "en". Later runs under
    AppTest do not run app.py's sidebar again, so the clicks are the browser test's.)"""
    monkeypatch.setenv("PMO_LANG", "zh")
    at = run_app(timeout=180)
    assert at.session_state["lang"] == "zh"
    assert at.selectbox(key="lang").value == "zh"
    assert at.title[0].value == "项目组合"  # the page body, not only the menu
    assert at.sidebar.get("multiselect")[0].proto.placeholder == i18n.t("filter.all", "zh")


def test_a_chosen_language_wins_over_pmo_lang(demo_env, monkeypatch):
    monkeypatch.setenv("PMO_LANG", "zh")
    at = run_app(timeout=180, session_state={"lang": "en"})
    assert at.title[0].value == "Portfolio" and at.selectbox(key="lang").value == "en"


def test_default_lang_reads_pmo_lang():
    assert i18n.default_lang({}) == "en"
    assert i18n.default_lang({"PMO_LANG": "zh"}) == "zh"
    assert i18n.default_lang({"PMO_LANG": "zh_CN.UTF-8"}) == "zh"
    assert i18n.default_lang({"PMO_LANG": "ZH-cn"}) == "zh"
    assert i18n.default_lang({"PMO_LANG": "fr"}) == "en"


def test_a_language_switch_rewords_the_chosen_options(demo_env, monkeypatch):
    """Switching to Chinese in a running session: the heatmap sort's options are worded in
    Chinese, the chosen code survives, and the widget is sent its value again worded in Chinese
    (``ui.choose``): Streamlit's browser side keeps the label it drew last as the value, so
    without that value the box kept showing "Worst first" / "Latest" in a Chinese session
    (the browser check: tests/e2e/test_sweep.py, which switches language in a running session)."""
    monkeypatch.setenv("PMO_LANG", "en")
    at = run_app(timeout=180)
    box = at.selectbox(key="health_sort")
    assert box.value == "worst" and box.proto.options[0] == "Worst first"
    box.set_value("quality_score").run()
    assert at.selectbox(key="health_sort").value == "quality_score"
    # the sidebar's language box is not in AppTest's tree after the first run (app.py's sidebar
    # under st.navigation): the switch goes through the session state, as the box's change does
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    box = at.selectbox(key="health_sort")
    assert box.value == "quality_score"  # the choice survives the switch
    # the words of health.worst and of the quality_score column in the locale files
    assert box.proto.options[0] == "最差优先" and "进度计划质量" in box.proto.options
    # the value the browser is sent to show, in Chinese (without it: no value sent, the box
    # kept "Schedule quality")
    assert box.proto.set_value and box.proto.raw_value == "进度计划质量"
