"""Portfolio roll-ups, health table and quadrant on hand-computed numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from pmo_analytics.charts.portfolio import quadrant
from pmo_analytics.metrics.health import assess
from pmo_analytics.metrics.portfolio import health_table, kpis, nth_latest
from pmo_analytics.settings import Settings

D1, D2 = pd.Timestamp("2025-01-31"), pd.Timestamp("2025-02-28")


@pytest.fixture
def rows() -> pd.DataFrame:
    # P1 has two status dates, P2 only the latest.
    return pd.DataFrame(
        [
            {"project_id": "P1", "status_date": D1, "bac": 1000.0, "pv": 400.0, "ev": 300.0, "ac": 350.0},
            {"project_id": "P1", "status_date": D2, "bac": 1000.0, "pv": 800.0, "ev": 600.0, "ac": 500.0},
            {"project_id": "P2", "status_date": D2, "bac": 2000.0, "pv": 1000.0, "ev": 1000.0, "ac": 1250.0},
        ]
    ).assign(cpi=lambda d: d.ev / d.ac, spi=lambda d: d.ev / d.pv)


def test_latest_and_previous_rows(rows):
    assert nth_latest(rows, 0)["status_date"].tolist() == [D2, D2]
    assert nth_latest(rows, 1)["project_id"].tolist() == ["P1"]


def test_kpis_sum_then_divide_and_delta_like_for_like(rows):
    now, delta = kpis(rows)
    # Current: EV 600 + 1000 = 1600, AC 500 + 1250 = 1750, PV 800 + 1000 = 1800.
    assert now["ev"] == 1600 and now["ac"] == 1750 and now["projects"] == 2
    assert now["cpi"] == pytest.approx(1600 / 1750)  # 0.9143, not the mean of 1.2 and 0.8 (= 1.0)
    assert now["spi"] == pytest.approx(1600 / 1800)
    # Delta over P1 only (the one project with a previous date): EV 600 - 300 = 300,
    # CPI 600/500 - 300/350 = 1.2 - 0.857142... = 0.342857...
    assert delta["ev"] == 300
    assert delta["cpi"] == pytest.approx(1.2 - 300 / 350)


def test_health_table_rag_and_order(rows):
    projects = pd.DataFrame({"project_id": ["P1", "P2"], "name": ["Alpha", "Beta"]})
    rows = rows.assign(cpi=rows["ev"] / rows["ac"], spi=rows["ev"] / rows["pv"])
    h = health_table(rows, projects, assess(rows, settings=Settings()))
    # P2: CPI 1000/1250 = 0.8 -> red (< 0.85); SPI 1.0 -> green; worst = red. P1: CPI 1.2
    # green; SPI 600/800 = 0.75 red. Both red: lower CPI first.
    assert h["project_id"].tolist() == ["P2", "P1"]
    assert h.loc[0, ["cpi_rag", "schedule_rag", "rag"]].tolist() == ["red", "green", "red"]
    assert h.loc[0, "rag_reasons"] == [("cpi_below", pytest.approx(0.8), 0.85)]
    assert h.loc[1, ["cpi_rag", "schedule_rag", "rag"]].tolist() == ["green", "red", "red"]
    assert h.loc[1, "rag_reasons"] == [("spi_below", pytest.approx(0.75), 0.85)]


def test_quadrant_places_each_project(rows):
    projects = pd.DataFrame({"project_id": ["P1", "P2"], "name": ["Alpha", "Beta"]})
    rows = rows.assign(cpi=rows["ev"] / rows["ac"], spi=rows["ev"] / rows["pv"])
    fig = quadrant(health_table(rows, projects, assess(rows, settings=Settings())), Settings())
    points = sorted((float(x), float(y)) for tr in fig.data for x, y in zip(tr.x, tr.y, strict=True))
    assert points == [pytest.approx((0.75, 1.2)), pytest.approx((1.0, 0.8))]  # (SPI, CPI) per project
    assert sorted(tr.name for tr in fig.data) == ["Red"]
