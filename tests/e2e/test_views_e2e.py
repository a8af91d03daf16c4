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
    # the scatter layer puts one square marker per cell, in (probability, impact) order:
    # index (3 - 1) * 5 + (4 - 1) = 13 is probability 3 x impact 4
    points = chart.locator("g.scatterlayer path.point")
    assert points.count() == 25
    bb = points.nth(13).bounding_box()
    x, y = bb["x"] + bb["width"] / 2, bb["y"] + bb["height"] / 2
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y)  # plotly selects the hovered point on click
    page.mouse.click(x, y)
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
