"""``ui.page_view``: a page's whole computation cached on small keys (issue 14, speed as a
person feels it). A rerun that changes nothing the view depends on costs a cache hit, a pick
that the view depends on computes once, and an import (a new data version) computes again."""

from __future__ import annotations

import functools
from datetime import date

import pytest

from pmo_analytics import evm_view
from pmo_analytics.ingest import parse_bytes
from pmo_analytics.store import Store
from tests.conftest import run_app
from tests.helpers import template_bytes

PAGE = "30_earned_value.py"


@pytest.fixture
def counted(app_db, monkeypatch):
    """The Earned value page on the template's two projects, its view builder counting calls."""
    import streamlit as st

    Store().import_parsed(parse_bytes("portfolio.xlsx", template_bytes()), date(2025, 1, 24))
    st.cache_data.clear()  # other tests in this process may have filled the same cache
    calls: list[tuple] = []
    original = evm_view.build

    @functools.wraps(original)  # same module and name: ui.page_view finds it by them
    def build(frames, settings, choice, lang):
        calls.append((choice, lang))
        return original(frames, settings, choice, lang)

    monkeypatch.setattr(evm_view, "build", build)
    return calls


def test_a_rerun_is_a_cache_hit(counted):
    at = run_app(PAGE)
    assert counted == [("__portfolio__", "en")]
    at.run()
    at.toggle(key="evm_latest_only").set_value(False).run()  # a table's choice, not a key of the view
    assert not at.exception
    assert counted == [("__portfolio__", "en")]
    assert [d for d in at.dataframe if "Project ID" in d.value.columns]  # the whole table came back


def test_a_pick_computes_once_and_an_import_again(counted):
    at = run_app(PAGE)
    at.selectbox(key="evm_scope").set_value("P2").run()
    at.selectbox(key="evm_scope").set_value("__portfolio__").run()  # back: cached
    assert counted == [("__portfolio__", "en"), ("P2", "en")]
    Store().import_parsed(parse_bytes("portfolio.xlsx", template_bytes()), date(2025, 1, 31))
    # a new run pins the new data version (ui.sidebar_filters); AppTest's later runs skip
    # app.py's sidebar, so the pin of the first run is dropped here as a new run would replace it
    del at.session_state["_data_version_pin"]
    at.run()  # a new data version: computed afresh
    assert not at.exception
    assert counted == [("__portfolio__", "en"), ("P2", "en"), ("__portfolio__", "en")]
