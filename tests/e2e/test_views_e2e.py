"""Real browser: a click on a risk heatmap cell filters the register, Clear resets it; the Burn
and Resources pages render their charts (demo data)."""

from __future__ import annotations

import re

from tests.e2e.conftest import RESULTS, wait_idle


def test_risk_heatmap_click_filters_register(server, page):
    page.goto(f"{server}/risk")
    wait_idle(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.wait_for(timeout=60_000)
    chart.scroll_into_view_if_needed()
    # the scatter layer puts one square marker per cell; click the (probability 3, impact 4) one
    points = chart.locator("g.scatterlayer path.point")
    assert points.count() == 25
    box = chart.locator(".nsewdrag").first.bounding_box()
    # axes span 0.5..5.5 on both; cell (x=4, y=3) centre in pixels
    x = box["x"] + (4 - 0.5) / 5 * box["width"]
    y = box["y"] + box["height"] - (3 - 0.5) / 5 * box["height"]
    page.mouse.click(x, y)
    page.get_by_text(re.compile(r"^Showing the risks in P3 × I4")).wait_for(timeout=30_000)
    wait_idle(page)
    clear = page.get_by_role("button", name="Clear selection")
    assert clear.is_enabled()
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "risk_selected.png"), full_page=False)
    clear.click()
    wait_idle(page)
    page.get_by_role("button", name="Clear selection").wait_for(timeout=30_000)
    assert page.get_by_text(re.compile(r"^Showing the risks in ")).count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0


def test_burn_and_resources_pages_render(server, page):
    for slug, charts in (("burn", 1), ("resources", 4)):
        page.goto(f"{server}/{slug}")
        wait_idle(page)
        page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=60_000)
        assert page.locator('[data-testid="stPlotlyChart"]').count() >= charts
        assert page.locator('[data-testid="stException"]').count() == 0
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"{slug}.png"), full_page=True)
