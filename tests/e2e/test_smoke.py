"""Real browser: the portfolio page shows its KPIs for the demo data.

Tests write nothing into the working tree (the README screenshots come from
``make screenshots``, tools/screenshots.py); a screenshot of this page goes to ``test-results/``."""

from __future__ import annotations

from tests.e2e.conftest import RESULTS, wait_idle


def test_portfolio_page_shows_kpis(server, page):
    page.goto(server)
    wait_idle(page)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    # the script-state attribute can read "notRunning" before the first run has started: wait
    # for the last KPI tile of the page and then for the run to end, not on the first tile
    page.locator('[data-testid="stMetricLabel"]').filter(has_text="TCPI").first.wait_for(timeout=60_000)
    wait_idle(page)
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    assert {"Projects", "BAC", "PV", "EV", "AC", "CPI", "SPI"} <= {x.strip() for x in labels}, labels
    projects = (
        page.locator('[data-testid="stMetric"]')
        .filter(has_text="Projects")  # also "Red projects" ...: the count of projects is the first
        .first.locator('[data-testid="stMetricValue"]')
    )
    assert projects.inner_text().strip() == "11"  # 12 demo projects less the closed PRJ-108
    cpi = page.locator('[data-testid="stMetric"]').filter(has_text="CPI").first.locator('[data-testid="stMetricValue"]')
    assert cpi.inner_text().strip() not in ("", "—")
    assert page.locator('[data-testid="stException"]').count() == 0
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "portfolio.png"), full_page=False)


def test_server_health_and_no_traceback_details(server):
    import urllib.request

    with urllib.request.urlopen(f"{server}/_stcore/health", timeout=5) as r:
        assert r.status == 200 and r.read() == b"ok"
