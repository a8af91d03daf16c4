"""Browser tests: a real Streamlit server on a free port, Playwright driving Debian's Chromium.

The server gets its own DuckDB file built from the demo portfolio. We wait on
``/_stcore/health`` and on the app's script state, never on sleeps. A failing test leaves a
screenshot in ``test-results/``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tools import server as server_helper

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PMO_CHROMIUM", "/usr/bin/chromium")
RESULTS = ROOT / "test-results"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.e2e


free_port = server_helper.free_port
wait_healthy = server_helper.wait_healthy


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("e2e") / "demo.duckdb"
    subprocess.run(
        [sys.executable, "-m", "pmo_analytics", "demo", "--db", str(db)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return db


@pytest.fixture(scope="session")
def server(demo_db):
    # ``streamlit run serve.py``: the documented second launcher (st.App with the security headers)
    with server_helper.app_server(demo_db, streamlit_run=True, log=demo_db.with_suffix(".log")) as srv:
        yield srv.url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        RESULTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(RESULTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def wait_idle(page, timeout: float = 120_000) -> None:
    """Wait until the app's script has run to the end. (A safety net, not a timing: the first run
    on a fresh server imports the libraries and can take over a minute on a loaded machine.)"""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)


# ----------------------------------------------------------------------------- added for the journeys
@contextlib.contextmanager
def serve(db: Path, **env: str):
    """A server of the app on ``db`` (its own port and log); yields (url, log path)."""
    with server_helper.app_server(db, env=env, streamlit_run=True, log=db.with_suffix(".server.log")) as srv:
        yield srv.url, srv.log


@pytest.fixture
def writable_server(demo_db, tmp_path):
    """A server of its own on a copy of the demo database (for journeys that import)."""
    import shutil

    db = tmp_path / "journey.duckdb"
    shutil.copyfile(demo_db, db)
    with serve(db) as (url, log):
        yield url, db, log


def health(url: str) -> int:
    """HTTP status of ``/_stcore/health``."""
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as r:
        return r.status


# ----------------------------------------------------------------------------- plotly charts
def plotly_drawn(chart, timeout: float = 60_000) -> None:
    """Wait until the Plotly graph inside ``chart`` (a ``stPlotlyChart`` locator) has drawn:
    its layout computed and its scatter points in the SVG."""
    chart.locator(".js-plotly-plot").wait_for(timeout=timeout)
    chart.page.wait_for_function(
        "gd => !!(gd._fullLayout && gd.calcdata && gd.querySelector('g.scatterlayer path.point'))",
        arg=chart.locator(".js-plotly-plot").element_handle(),
        timeout=timeout,
    )


def click_plotly_point(page, chart, point: int, timeout: float = 60_000) -> None:
    """Click marker number ``point`` of the chart's first trace so that Plotly registers it.

    Plotly selects, on a click, the point it is *hovering* (``gd._hoverdata``), and its hover
    handler is throttled and runs late when the machine is busy: a click sent as soon as the
    mouse arrives can find no hover yet and select nothing (the heatmap click that missed under
    load). So: wait until the chart has drawn, move onto the marker, wait until Plotly hovers
    that very point, then click."""
    plotly_drawn(chart, timeout)
    chart.scroll_into_view_if_needed()
    bb = chart.locator("g.scatterlayer path.point").nth(point).bounding_box()
    x, y = bb["x"] + bb["width"] / 2, bb["y"] + bb["height"] / 2
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y)
    page.wait_for_function(
        "([gd, n]) => (gd._hoverdata || []).some(p => p.curveNumber === 0 && p.pointNumber === n)",
        arg=[chart.locator(".js-plotly-plot").element_handle(), point],
        timeout=timeout,
    )
    page.mouse.click(x, y)
