"""Real browser: the menu in sections with every page listed (no "View N more"), a session
opened with ``PMO_LANG=zh`` stays Chinese across clicks, and the Project page opened by its URL
(``/project?id=PRJ-104``) as the first session of a fresh server."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pmo_analytics import i18n, navigation
from tests.e2e.conftest import serve, wait_idle

ROOT = Path(__file__).resolve().parents[2]
SLUGS = [p.stem.split("_", 1)[1] for p in sorted((ROOT / "pages").glob("[0-9][0-9]_*.py"))]
NAV = '[data-testid="stSidebarNav"]'


@pytest.fixture
def zh_server(demo_db, tmp_path):
    db = tmp_path / "zh.duckdb"
    shutil.copyfile(demo_db, db)
    with serve(db, PMO_LANG="zh") as (url, _log):
        yield url


def menu_links(pg) -> list[str]:
    return [t.strip().splitlines()[-1] for t in pg.locator(f"{NAV} a").all_inner_texts()]


def assert_chinese_menu(pg) -> None:
    nav = pg.locator(NAV)
    expect(nav.get_by_text(i18n.t("nav.overview", "zh"), exact=True)).to_be_visible(timeout=60_000)
    for key, _ in navigation.SECTIONS:
        if any(navigation.section_of(s) == key for s in SLUGS):
            expect(nav.get_by_text(i18n.t(f"nav.{key}", "zh"), exact=True)).to_be_visible()
    links = menu_links(pg)
    assert sorted(links) == sorted(i18n.t(f"page.{s}", "zh") for s in SLUGS), links  # every page, in Chinese
    assert pg.locator('[data-testid="stSidebarNavViewButton"]').count() == 0  # no "View N more"


def test_pmo_lang_zh_stays_chinese_across_clicks_and_the_menu_shows_every_page(zh_server, browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        pg = ctx.new_page()
        pg.goto(zh_server)
        expect(pg.locator("h1").first).to_have_text(i18n.t("page.portfolio", "zh"), timeout=120_000)
        wait_idle(pg)
        assert_chinese_menu(pg)
        for slug in ("risk", "project", "gantt"):
            pg.locator(NAV).get_by_role("link", name=i18n.t(f"page.{slug}", "zh"), exact=True).click()
            expect(pg.locator("h1").first).to_have_text(i18n.t(f"page.{slug}", "zh"), timeout=120_000)
            wait_idle(pg)
            assert_chinese_menu(pg)
    finally:
        ctx.close()


def test_project_page_by_url_on_a_fresh_server(zh_server, browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        pg = ctx.new_page()
        pg.goto(f"{zh_server}/project?id=PRJ-104")
        expect(pg.locator("h1").first).to_have_text(i18n.t("page.project", "zh"), timeout=120_000)
        wait_idle(pg)
        expect(pg.get_by_text("PRJ-104 · E-commerce Checkout Revamp", exact=True)).to_be_visible()
        expect(pg.get_by_text("总体：● 红").first).to_be_visible()
        assert "id=PRJ-104" in pg.url
        assert pg.locator('[data-testid="stException"]').count() == 0
        # the shared sidebar of app.py, not a page run on its own
        expect(pg.locator('[data-testid="stSidebar"] .st-key-lang')).to_be_visible()
    finally:
        ctx.close()
