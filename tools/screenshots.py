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
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "pages"
OUT = ROOT / "docs" / "screenshots"
README_SHOT = ROOT / "docs" / "portfolio.png"
CHROMIUM = os.environ.get("PMO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]
VIEWPORT = {"width": 1440, "height": 900}
MAX_HEIGHT = 12_000  # px; a longer page is cut there
TIMEOUT_MS = 120_000
LANGS = ("en", "zh")
LANG_OPTION = {"en": "English", "zh": "简体中文"}


# Pages that show one thing picked by the URL open on a demo example (the Project page on
# PRJ-104: red, slipped milestones, a critical path and risks to show).
QUERY = {"project": "?id=PRJ-104"}


def page_url(url: str, slug: str) -> str:
    """The address a screenshot of ``slug`` opens (the default page is ``/``)."""
    return (url if slug == "portfolio" else f"{url}/{slug}") + QUERY.get(slug, "")


def pages() -> list[tuple[str, str]]:
    """(file stem, slug) of every page, in menu order (as app.discover_pages finds them)."""
    return [(p.stem, p.stem.split("_", 1)[1]) for p in sorted(PAGES.glob("[0-9][0-9]_*.py"))]


def page_title(slug: str, lang: str) -> str:
    from pmo_analytics import i18n

    return i18n.t(f"page.{slug}", lang)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)  # polling interval of the health check
    raise SystemExit(f"{url}/_stcore/health did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def demo_server(workdir: Path) -> Iterator[str]:
    """The app on a fresh demo database in ``workdir``; yields its URL."""
    db = workdir / "demo.duckdb"
    subprocess.run([sys.executable, "-m", "pmo_analytics", "demo", "--db", str(db)], cwd=ROOT, check=True)
    port = _free_port()
    env = dict(os.environ, PMO_DB=str(db), PMO_LANG="en")
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with open(workdir / "server.log", "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, proc)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


# Streamlit scrolls inside its main section, not the document: a "full page" screenshot would be
# the viewport. The page's length is the main section's scroll height.
PAGE_HEIGHT = """() => Math.max(document.documentElement.scrollHeight,
    ...['stMain', 'stAppViewContainer'].map(id => document.querySelector(`[data-testid="${id}"]`)?.scrollHeight || 0))"""
NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot'))
    .every(gd => gd._fullLayout && gd.querySelector('.main-svg'))"""


def wait_rendered(page, title: str) -> None:
    """The page shows ``title``, its script has run to the end and every Plotly chart has drawn."""
    from playwright.sync_api import expect

    # the title first: the script state reads notRunning before a run has started
    expect(page.locator("h1").first).to_have_text(title, timeout=TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS)
    page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)


def choose_language(page, lang: str) -> None:
    page.locator(".st-key-lang").click()
    page.get_by_role("option", name=LANG_OPTION[lang]).click()


def shoot(url: str, only: set[str] | None, langs: tuple[str, ...]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
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
