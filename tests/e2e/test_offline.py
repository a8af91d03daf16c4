"""Real browser: the app works offline. Every request the browser makes, on every page, goes to
the app's own origin (no icon, font, script or telemetry from elsewhere): each request is routed
through the test, anything for another host is recorded and refused."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import wait_idle
from tools.browser import choose_language

ROOT = Path(__file__).resolve().parents[2]
SLUGS = [p.stem.split("_", 1)[1] for p in sorted((ROOT / "pages").glob("[0-9][0-9]_*.py"))]
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot'))
    .every(gd => gd._fullLayout && gd.querySelector('.main-svg'))"""


@pytest.mark.slow
@pytest.mark.timeout(900)  # fourteen pages, each a full first run (about 5 min on a loaded 2-core machine)
def test_no_request_leaves_the_machine(server, browser):
    from pmo_analytics import i18n

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(server))
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or url.startswith(origin + "/"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.route("**/*", guard)
    page = context.new_page()
    try:
        for slug in SLUGS:
            page.goto(server if slug == "portfolio" else f"{server}/{slug}")
            # rendered: the page's title, the run ended, every Plotly chart drawn
            expect(page.locator("h1").first).to_have_text(i18n.t(f"page.{slug}", "en"), timeout=60_000)
            wait_idle(page)
            page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
        # and in Chinese (other fonts)
        wait_idle(page)
        choose_language(page, "zh")
        expect(page.locator("h1").first).to_have_text(i18n.t(f"page.{SLUGS[-1]}", "zh"), timeout=60_000)
        wait_idle(page)
        icon = page.evaluate("() => Array.from(document.querySelectorAll('link[rel~=icon]')).map(l => l.href)")
    finally:
        context.close()
    assert not outside, sorted(set(outside))
    assert icon and all(h.startswith((origin + "/", "data:")) for h in icon), icon
