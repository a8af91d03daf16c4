"""Screenshots of every page in English and Simplified Chinese, on the demo portfolio.

    make screenshots                      # or: .venv/bin/python -m tools.screenshots
    python -m tools.screenshots --only risk,gantt --lang zh

Builds the demo into a temporary DuckDB file, starts the app on a free loopback port, drives
Debian's Chromium (``/usr/bin/chromium``, or ``PMO_CHROMIUM``) with Playwright as the browser
tests do, and writes

- ``docs/screenshots/<lang>/<NN>_<slug>.png``: each page, full length, at 1440x900;
- ``docs/portfolio.png``: the English Portfolio page as the README shows it (the viewport).

A page counts as rendered when its title is shown, the script state is ``notRunning`` and every
Plotly chart on it has drawn; waits are on that state (and ``/_stcore/health``), never sleeps.
Only ``docs/portfolio.png`` is committed (the README shows it); ``docs/screenshots/`` is ignored.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tools.browser import (
    CHARTS_DRAWN,
    CHROMIUM,
    ROOT,
    TIMEOUT_MS,
    VIEWPORT,
    choose_language,
    launch,
    page_title,
    page_url,
    pages,
    wait_rendered,
)
from tools.server import app_server

OUT = ROOT / "docs" / "screenshots"
README_SHOT = ROOT / "docs" / "portfolio.png"
MAX_HEIGHT = 12_000  # px; a longer page is cut there
LANGS = ("en", "zh")


@contextlib.contextmanager
def demo_server(workdir: Path) -> Iterator[str]:
    """The app (serve.py) on a fresh demo database in ``workdir``; yields its URL."""
    db = workdir / "demo.duckdb"
    subprocess.run([sys.executable, "-m", "pmo_analytics", "demo", "--db", str(db)], cwd=ROOT, check=True)
    with app_server(db, env={"PMO_LANG": "en"}, log=workdir / "server.log") as srv:
        yield srv.url


# Streamlit scrolls inside its main section, not the document: a "full page" screenshot would be
# the viewport. The page's length is the main section's scroll height.
PAGE_HEIGHT = """() => Math.max(document.documentElement.scrollHeight,
    ...['stMain', 'stAppViewContainer'].map(id => document.querySelector(`[data-testid="${id}"]`)?.scrollHeight || 0))"""
NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def shoot(url: str, only: set[str] | None, langs: tuple[str, ...]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            for lang in langs:
                (OUT / lang).mkdir(parents=True, exist_ok=True)
                for stem, slug in pages():
                    if only and slug not in only:
                        continue
                    # a fresh session per page: the default language, then the chosen one
                    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN" if lang == "zh" else "en-US")
                    context.set_default_timeout(TIMEOUT_MS)  # clicks wait for a busy machine too
                    page = context.new_page()
                    page.goto(page_url(url, slug))
                    wait_rendered(page, page_title(slug, "en"))
                    if lang != "en":
                        choose_language(page, lang)
                        wait_rendered(page, page_title(slug, lang))
                    page.mouse.move(0, 0)  # no hover label over a chart
                    if slug == "portfolio" and lang == "en":
                        page.screenshot(path=str(README_SHOT), full_page=False)
                        written.append(README_SHOT)
                    path = OUT / lang / f"{stem}.png"
                    height = int(page.evaluate(PAGE_HEIGHT))
                    if height > VIEWPORT["height"]:  # the whole page: a viewport as tall as the page
                        page.set_viewport_size({"width": VIEWPORT["width"], "height": min(height, MAX_HEIGHT)})
                        # laid out again at the new size (two animation frames), charts redrawn
                        page.evaluate(NEXT_FRAMES)
                        page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)
                    page.screenshot(path=str(path), full_page=True)
                    written.append(path)
                    print(f"{lang} {slug:<18} {path.relative_to(ROOT)}", flush=True)
                    context.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Screenshot every page in both languages into docs/")
    ap.add_argument("--only", help="comma-separated page slugs (e.g. portfolio,risk)")
    ap.add_argument("--lang", choices=LANGS, help="one language only")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is not installed (make chromium)", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server on the way out
    only = {s.strip() for s in args.only.split(",")} if args.only else None
    langs = (args.lang,) if args.lang else LANGS
    with tempfile.TemporaryDirectory(prefix="pmo-screens-") as tmp, demo_server(Path(tmp)) as url:
        written = shoot(url, only, langs)
    print(f"{len(written)} screenshots written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
