"""Speed as a person feels it (issue 14.8): a real browser against a real server.

    .venv/bin/python -m bench.bench_browser [--repeat 5] [--projects 1000] [--tasks 20]
                                            [--only portfolio,risk] [--no-large] [--against DIR]

Starts the app (``serve.py``, through tools/server.py) on the demo portfolio and on a synthetic
store of ``--projects`` projects (bench/bench_app.synthetic_store), drives Debian's Chromium
with Playwright at 1440x900 and measures, per page:

- **click**: from a click on the page's link in the sidebar to the page finished rendering:
  its title shown, the script state ``notRunning``, every Plotly chart drawn
  (tools/browser.wait_rendered). Every page is visited once first (the first run of a page
  imports its modules and fills the caches); then ``--repeat`` rounds through every page in
  menu order, the median per page;
- **fresh tab** (demo): a new browser context (no cookies, no browser cache) opening the app's
  URL to the Portfolio page rendered, median of ``--repeat``. The server is warm, as for a
  user who is not its first.

Before/after: ``--against DIR`` serves the demo from the checkout in DIR (e.g. ``git archive
main | tar -x -C DIR``) and from this one at once and measures both in the same run, page by
page, alternating (a shared machine's load then slows both alike); medians and new/old.

Targets on 2 cores: click median <= 0.5 s per page on the demo, <= 1.5 s at 1,000 projects;
fresh tab <= 2 s. The machine's load average is printed with the figures (a shared machine
slows everything). Timings are reported, never asserted (no test runs this).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import browser as tb  # noqa: E402
from tools.server import app_server  # noqa: E402

TARGET_DEMO_S = 0.5
TARGET_LARGE_S = 1.5
TARGET_FRESH_S = 2.0
NAV = '[data-testid="stSidebarNav"]'
VIEW_MORE = '[data-testid="stSidebarNavViewButton"]'


def _link(page, title: str):
    """The sidebar link of the page titled ``title`` (opening "View more" when it hides it); by
    its label's exact text (the link's own text also holds its icon's ligature name)."""
    link = page.locator(NAV).get_by_text(title, exact=True)
    if not link.count() and page.locator(VIEW_MORE).count():
        page.locator(VIEW_MORE).first.click()
    return link.first


def click_times(url: str, slugs: list[str], repeat: int, lang: str = "en") -> dict[str, list[float]]:
    """Seconds from a sidebar click to the page rendered, ``repeat`` per page (after a warm-up
    visit of each)."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {s: [] for s in slugs}
    with sync_playwright() as p:
        browser = tb.launch(p)
        try:
            context = browser.new_context(viewport=tb.VIEWPORT)
            context.set_default_timeout(tb.TIMEOUT_MS)
            page = context.new_page()
            page.goto(url)
            tb.wait_rendered(page, tb.page_title("portfolio", lang))
            order = [s for s in slugs if s != "portfolio"] + (["portfolio"] if "portfolio" in slugs else [])
            for rnd in range(repeat + 1):  # round 0 is the warm-up
                for slug in order:
                    title = tb.page_title(slug, lang)
                    link = _link(page, title)
                    if not link.count():  # reached by URL only (the Project page): no click to time
                        continue
                    t0 = time.perf_counter()
                    link.click()
                    tb.wait_rendered(page, title)
                    elapsed = time.perf_counter() - t0
                    if rnd:
                        times[slug].append(elapsed)
                print(f"  round {rnd}/{repeat} done", file=sys.stderr, flush=True)
        finally:
            browser.close()
    return times


def fresh_tab_times(url: str, repeat: int) -> list[float]:
    """Seconds from opening the app's URL in a new context to the Portfolio page rendered."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = tb.launch(p)
        try:
            for i in range(repeat + 1):  # the first warms the server's caches
                context = browser.new_context(viewport=tb.VIEWPORT)
                context.set_default_timeout(tb.TIMEOUT_MS)
                page = context.new_page()
                t0 = time.perf_counter()
                page.goto(url)
                tb.wait_rendered(page, tb.page_title("portfolio", "en"))
                if i:
                    out.append(time.perf_counter() - t0)
                context.close()
        finally:
            browser.close()
    return out


def paired_click_times(urls: dict[str, str], slugs: list[str], repeat: int) -> dict[str, dict[str, list[float]]]:
    """``click_times`` of several servers (label -> URL) in one run: one browser page per
    server, and per page of the menu the servers measured one after the other (their order
    turned each round), so a change in the machine's load touches every server alike."""
    from playwright.sync_api import sync_playwright

    times: dict[str, dict[str, list[float]]] = {label: {s: [] for s in slugs} for label in urls}
    with sync_playwright() as p:
        browser = tb.launch(p)
        try:
            tabs = {}
            for label, url in urls.items():
                context = browser.new_context(viewport=tb.VIEWPORT)
                context.set_default_timeout(tb.TIMEOUT_MS)
                tabs[label] = context.new_page()
                tabs[label].goto(url)
                tb.wait_rendered(tabs[label], tb.page_title("portfolio", "en"))
            order = [s for s in slugs if s != "portfolio"] + (["portfolio"] if "portfolio" in slugs else [])
            labels = list(urls)
            for rnd in range(repeat + 1):  # round 0 is the warm-up
                for slug in order:
                    title = tb.page_title(slug, "en")
                    for label in labels if rnd % 2 else reversed(labels):
                        link = _link(tabs[label], title)
                        if not link.count():
                            continue
                        t0 = time.perf_counter()
                        link.click()
                        tb.wait_rendered(tabs[label], title)
                        if rnd:
                            times[label][slug].append(time.perf_counter() - t0)
                print(f"  round {rnd}/{repeat} done", file=sys.stderr, flush=True)
        finally:
            browser.close()
    return times


def paired_fresh_tab_times(urls: dict[str, str], repeat: int) -> dict[str, list[float]]:
    """``fresh_tab_times`` of several servers, alternating."""
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {label: [] for label in urls}
    with sync_playwright() as p:
        browser = tb.launch(p)
        try:
            for i in range(repeat + 1):
                for label, url in urls.items() if i % 2 else reversed(list(urls.items())):
                    context = browser.new_context(viewport=tb.VIEWPORT)
                    context.set_default_timeout(tb.TIMEOUT_MS)
                    page = context.new_page()
                    t0 = time.perf_counter()
                    page.goto(url)
                    tb.wait_rendered(page, tb.page_title("portfolio", "en"))
                    if i:
                        out[label].append(time.perf_counter() - t0)
                    context.close()
        finally:
            browser.close()
    return out


def side_by_side(against: Path, slugs: list[str], repeat: int, demo: Path) -> None:
    """The demo's click and fresh-tab medians of ``against`` (an older checkout) and of this
    one, measured in the same run (``paired_click_times``), with the ratio new/old."""
    import shutil

    old_db, new_db = demo.with_name("old.duckdb"), demo.with_name("new.duckdb")
    shutil.copyfile(demo, old_db)
    shutil.copyfile(demo, new_db)
    env = {"PMO_LANG": "en"}
    with (
        app_server(old_db, env=env, cwd=against.resolve()) as old,
        app_server(new_db, env=env) as new,
    ):
        urls = {"old": old.url, "new": new.url}
        clicks = paired_click_times(urls, slugs, repeat)
        fresh = paired_fresh_tab_times(urls, repeat)
    print(f"load average after: {_load()}")
    print(f"\nmedian of {repeat}, sidebar click -> page rendered (s), {against} (old) and this checkout (new)")
    print(f"{'page':<18} {'old':>7} {'new':>7} {'new/old':>8} {'<=0.5':>6}")
    for slug in slugs:
        o, n = clicks["old"][slug], clicks["new"][slug]
        if not o or not n:
            continue
        mo, mn = statistics.median(o), statistics.median(n)
        print(f"{slug:<18} {mo:>7.2f} {mn:>7.2f} {mn / mo:>8.2f} {'ok' if mn <= TARGET_DEMO_S else 'MISS':>6}")
    fo, fn = statistics.median(fresh["old"]), statistics.median(fresh["new"])
    print(f"{'fresh tab':<18} {fo:>7.2f} {fn:>7.2f} {fn / fo:>8.2f} {'ok' if fn <= TARGET_FRESH_S else 'MISS':>6}")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f} (1/5/15 min) on {os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Real-browser page timings (click -> rendered), demo and large store")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--projects", type=int, default=1000)
    ap.add_argument("--tasks", type=int, default=20, help="tasks per project of the large store")
    ap.add_argument("--only", help="comma-separated page slugs")
    ap.add_argument("--no-large", action="store_true", help="the demo only")
    ap.add_argument("--against", type=Path, help="an older checkout: its demo timings beside this one's, same run")
    args = ap.parse_args(argv)
    if not Path(tb.CHROMIUM).exists():
        print(f"{tb.CHROMIUM} is not installed (make chromium)", file=sys.stderr)
        return 1
    slugs = [s for _stem, s in tb.pages()]
    if args.only:
        wanted = {s.strip() for s in args.only.split(",")}
        slugs = [s for s in slugs if s in wanted]
    print(f"load average before: {_load()}", flush=True)
    results: dict[str, dict[str, float]] = {}
    fresh: list[float] = []
    with tempfile.TemporaryDirectory(prefix="pmo-bench-browser-") as tmp:
        demo = Path(tmp) / "demo.duckdb"
        subprocess.run(
            [sys.executable, "-m", "pmo_analytics", "demo", "--db", str(demo)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        if args.against:
            side_by_side(args.against, slugs, args.repeat, demo)
            return 0
        with app_server(demo, env={"PMO_LANG": "en"}) as srv:
            print("demo: clicks", file=sys.stderr, flush=True)
            for slug, ts in click_times(srv.url, slugs, args.repeat).items():
                results.setdefault(slug, {})["demo"] = statistics.median(ts)
            print("demo: fresh tabs", file=sys.stderr, flush=True)
            fresh = fresh_tab_times(srv.url, args.repeat)
        if not args.no_large:
            from bench.bench_app import synthetic_store

            large = Path(tmp) / "large.duckdb"
            synthetic_store(large, args.projects, args.tasks)
            with app_server(large, env={"PMO_LANG": "en"}) as srv:
                print(f"{args.projects} projects: clicks", file=sys.stderr, flush=True)
                for slug, ts in click_times(srv.url, slugs, args.repeat).items():
                    results.setdefault(slug, {})["large"] = statistics.median(ts)
    print(f"load average after: {_load()}")
    print(f"\nmedian of {args.repeat}, sidebar click -> page rendered (s)")
    print(f"{'page':<18} {'demo':>7} {'<=0.5':>6} {f'{args.projects} proj':>10} {'<=1.5':>6}")
    for slug in slugs:
        r = results.get(slug, {})
        d, g = r.get("demo"), r.get("large")
        ok_d = "" if d is None else ("ok" if d <= TARGET_DEMO_S else "MISS")
        ok_g = "" if g is None else ("ok" if g <= TARGET_LARGE_S else "MISS")
        d_s = "" if d is None else f"{d:.2f}"
        g_s = "" if g is None else f"{g:.2f}"
        print(f"{slug:<18} {d_s:>7} {ok_d:>6} {g_s:>10} {ok_g:>6}")
    if fresh:
        f = statistics.median(fresh)
        print(
            f"\nfresh tab, demo, Portfolio rendered: median {f:.2f} s ({'ok' if f <= TARGET_FRESH_S else 'MISS'} <= 2 s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
