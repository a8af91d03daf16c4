"""Real browser: a page opened by its URL lands on that page inside app.py's navigation, with
the shared sidebar filters, also as the first sessions of a fresh server.

Streamlit keeps a v1 multipage mode for an entry script next to a ``pages/`` folder; until
app.py had run once in the process, ``/risk`` used to run ``pages/70_risk.py`` alone (a menu of
file names, no filters). Hence a server of its own here: the direct URLs must be its first
sessions, opened at the same moment, before anything has loaded the main page.
"""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from pmo_analytics import i18n
from tests.e2e.conftest import serve, wait_idle

SIDEBAR = '[data-testid="stSidebar"]'
FILTER_MULTISELECTS = 5  # portfolio, program, department, manager, project
SIDEBAR_SELECTBOXES = 3  # language, reporting currency, status date


@pytest.fixture
def fresh_server(demo_db, tmp_path):
    db = tmp_path / "nav.duckdb"
    shutil.copyfile(demo_db, db)
    with serve(db) as (url, _log):
        yield url


def assert_app_page(pg, title: str, path: str) -> None:
    """``pg`` shows ``title`` under app.py: its page config, menu and shared filters."""
    heading = pg.locator("h1").filter(has_text=title).first
    expect(heading).to_be_visible(timeout=90_000)
    sidebar = pg.locator(SIDEBAR)
    expect(sidebar.locator('[data-testid="stMultiSelect"]')).to_have_count(FILTER_MULTISELECTS, timeout=60_000)
    wait_idle(pg)
    expect(sidebar.locator('[data-testid="stSelectbox"]')).to_have_count(SIDEBAR_SELECTBOXES)
    expect(sidebar.get_by_text(i18n.t("filter.title"), exact=True)).to_be_visible()
    assert pg.locator("h1").first.inner_text().strip() == title
    # app.py's st.navigation menu (page titles), not Streamlit's menu of file names ("app", ...)
    links = [t.strip().splitlines()[-1] for t in sidebar.locator('[data-testid="stSidebarNav"] a').all_inner_texts()]
    assert i18n.t("page.portfolio") in links and i18n.t("page.risk") in links, links
    assert "app" not in links, links
    assert pg.title() == i18n.t("app.title")  # app.py's st.set_page_config ran
    assert pg.url.rstrip("/").endswith(path.rstrip("/")), pg.url
    assert pg.locator('[data-testid="stException"]').count() == 0


def test_direct_urls_as_first_sessions_of_a_fresh_server(fresh_server, browser):
    wanted = [("risk", "page.risk"), ("earned_value", "page.earned_value"), ("gantt", "page.gantt")]
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in wanted]
    try:
        pages = [ctx.new_page() for ctx in contexts]
        for pg, (slug, _key) in zip(pages, wanted, strict=True):
            pg.goto(f"{fresh_server}/{slug}", wait_until="commit")  # all open before any has run
        for pg, (slug, key) in zip(pages, wanted, strict=True):
            assert_app_page(pg, i18n.t(key), f"/{slug}")
    finally:
        for ctx in contexts:
            ctx.close()


def test_direct_url_later_and_unknown_path_falls_back_to_portfolio(server, page):
    page.goto(f"{server}/lessons")
    assert_app_page(page, i18n.t("page.lessons"), "/lessons")
    page.goto(f"{server}/no_such_page")
    assert_app_page(page, i18n.t("page.portfolio"), server)
