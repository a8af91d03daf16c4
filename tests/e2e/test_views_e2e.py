"""Real browser: a click on a risk heatmap cell filters the register, Clear resets it; the Burn
and Resources pages render their charts (demo data)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import RESULTS, click_plotly_point, wait_idle


def test_risk_heatmap_click_filters_register(server, page):
    page.goto(f"{server}/risk")
    wait_idle(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.wait_for(timeout=60_000)
    # the scatter layer puts one square marker per cell, in (probability, impact) order:
    # index (3 - 1) * 5 + (4 - 1) = 13 is probability 3 x impact 4
    expect(chart.locator("g.scatterlayer path.point")).to_have_count(25, timeout=60_000)
    click_plotly_point(page, chart, 13)
    page.get_by_text(re.compile(r"^Showing the risks in P3 × I4")).wait_for(timeout=30_000)
    wait_idle(page)
    clear = page.get_by_role("button", name="Clear selection")
    assert clear.is_enabled()
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "risk_selected.png"), full_page=False)
    clear.click()
    page.get_by_text(re.compile(r"^Showing the risks in ")).wait_for(state="detached", timeout=30_000)
    wait_idle(page)
    assert page.get_by_role("button", name="Clear selection").is_disabled()
    assert page.locator('[data-testid="stException"]').count() == 0


def test_burn_and_resources_pages_render(server, page):
    for slug, charts in (("burn", 1), ("resources", 3)):
        page.goto(f"{server}/{slug}")
        wait_idle(page)
        page.locator('[data-testid="stPlotlyChart"]').nth(charts - 1).wait_for(timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"{slug}.png"), full_page=True)
