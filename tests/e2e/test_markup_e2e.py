"""Real browser, real server (serve.py): data text is never markup on any page.

The payload portfolio of tests/test_markup_payloads.py (its payload project sorts first, so
every page's default view shows it). Chromium visits every page; the test fails on any request
to the payloads' beacon address (an image or link that loaded), any link or image element
pointing there, KaTeX maths, or the emoji the shortcodes would become. It also checks that the
payload text is on screen, as text, and (the server runs in open mode) that every page shows
the open-mode marker.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import RESULTS, wait_idle
from tests.test_markup_payloads import MARK, build_payload_db
from tools import server as server_helper

ROOT = Path(__file__).resolve().parents[2]
BEACON = "127.0.0.1:9"
EMOJI = ("\U0001f604", "\U0001f525", "\U0001f44d")  # :smile: :fire: :+1:
SLUGS = sorted(p.stem.split("_", 1)[1] for p in (ROOT / "pages").glob("[0-9][0-9]_*.py"))


@pytest.fixture(scope="module")
def payload_server(tmp_path_factory):
    db = build_payload_db(tmp_path_factory.mktemp("e2e_payloads") / "payloads.duckdb")
    with server_helper.app_server(db, log=db.with_suffix(".log")) as srv:
        yield srv.url


def test_no_page_turns_data_into_markup(payload_server, page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if BEACON in r.url else None)
    problems = []
    shown = 0
    for slug in SLUGS:
        page.goto(f"{payload_server}/{'' if slug == 'portfolio' else slug}")
        # open mode (no [auth]): the marker is in the sidebar of every page. Waited for before
        # "idle": right after a navigation the app can read "notRunning" before its first run starts
        marker = page.locator('[data-testid="stSidebar"]').get_by_text("Open mode")
        expect(marker).to_have_count(1, timeout=120_000)
        wait_idle(page)
        main = page.locator('[data-testid="stMain"]')
        links = page.locator(f'a[href*="{BEACON}"], a[href*="example.com"]').count()
        images = page.locator(f'img[src*="{BEACON}"]').count()
        maths = page.locator(".katex").count()
        text = main.inner_text()
        emoji = [e for e in EMOJI if e in text]
        shown += len(re.findall(MARK, text))
        if links or images or maths or emoji:
            problems.append(f"{slug}: links={links} images={images} katex={maths} emoji={emoji}")
            RESULTS.mkdir(exist_ok=True)
            page.screenshot(path=str(RESULTS / f"markup_{slug}.png"), full_page=True)
        assert page.locator('[data-testid="stException"]').count() == 0, slug
        assert marker.count() == 1, slug
    assert not problems, problems
    assert not requests, requests
    assert shown > 0  # the payloads are on screen, as text
