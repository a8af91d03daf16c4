"""What the browser-driving tools share: Debian's Chromium with Playwright, the page list, and
"rendered" = the page's title is shown, the script has run to the end (``notRunning``) and
every Plotly chart on the page has drawn. Used by tools/screenshots.py, bench/bench_browser.py
and the browser tests (tests/e2e/test_sweep.py). Waits are on that state, never sleeps.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "pages"
CHROMIUM = os.environ.get("PMO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
]
VIEWPORT = {"width": 1440, "height": 900}
TIMEOUT_MS = 120_000
ATTEMPT_MS = 20_000  # one try at picking a language (the list opens after a round trip)
LANG_OPTION = {"en": "English", "zh": "简体中文"}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# every chart element holds a Plotly graph that has laid out and drawn its SVG
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).every(el => {
    const gd = el.querySelector('.js-plotly-plot');
    return !!(gd && gd._fullLayout && gd.querySelector('.main-svg'));
})"""


def pages() -> list[tuple[str, str]]:
    """(file stem, slug) of every page, in menu order (as app.discover_pages finds them)."""
    return [(p.stem, p.stem.split("_", 1)[1]) for p in sorted(PAGES.glob("[0-9][0-9]_*.py"))]


def page_title(slug: str, lang: str) -> str:
    """The page's title (its h1) in ``lang``."""
    from pmo_analytics import i18n

    return i18n.t(f"page.{slug}", lang)


# Pages that show one thing picked by the URL open on a demo example (the Project page on
# PRJ-104: red, slipped milestones, a critical path and risks to show).
QUERY = {"project": "?id=PRJ-104"}


def page_url(base: str, slug: str) -> str:
    """The URL of page ``slug`` (the Portfolio is the app's root; ``QUERY`` added)."""
    return (base if slug == "portfolio" else f"{base}/{slug}") + QUERY.get(slug, "")


def wait_rendered(page, title: str, timeout: float = TIMEOUT_MS) -> None:
    """The page shows ``title``, its script has run to the end and every Plotly chart has drawn."""
    from playwright.sync_api import expect

    # the title first: the script state reads notRunning before a run has started
    expect(page.locator("h1").first).to_have_text(title, timeout=timeout)
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_function(CHARTS_DRAWN, timeout=timeout)


def choose_language(page, lang: str, timeout: float = TIMEOUT_MS) -> None:
    """Pick ``lang`` in the sidebar's language box (the page then runs again): ``choose``."""
    choose(page, "lang", LANG_OPTION[lang], timeout)


def choose(page, key: str, option: str, timeout: float = TIMEOUT_MS) -> None:
    """Pick the option shown as ``option`` in the selectbox of widget key ``key``.

    Streamlit 1.67's selectbox is a react-aria combobox: a mouse click on it can scroll the
    sidebar (the language box sits at its foot, under the sectioned menu), and scrolling closes
    the list before it shows, so the list is opened from the keyboard (focus, ArrowDown). It can
    still close before the option is clicked when the page redraws the box meanwhile (a rerun
    on a loaded machine): then it is opened again, until ``timeout``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    choice = page.get_by_role("option", name=option, exact=True)
    deadline = time.monotonic() + timeout / 1000
    while True:
        page.wait_for_selector(IDLE, timeout=timeout)
        page.locator(f".st-key-{key} input").focus()
        page.keyboard.press("ArrowDown")
        try:
            choice.click(timeout=ATTEMPT_MS)
            return
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise
            page.keyboard.press("Escape")  # close what is open, then open the box again


def launch(playwright):
    """Debian's Chromium, headless, through Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
