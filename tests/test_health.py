"""Portfolio health matrix: RAG per cell on hand-picked values around the thresholds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pmo_analytics.ingest.validate import typed_frame
from pmo_analytics.metrics.health import health_matrix, sort_matrix
from pmo_analytics.settings import Settings

PROJECTS = pd.DataFrame(
    {"project_id": ["A", "B", "C", "D"], "name": ["Alpha", "Beta", "Gamma", "Delta"], "bac": [1e6] * 4}
)
EVM = pd.DataFrame(
    {
        "project_id": ["A", "A", "B", "C"],
        "status_date": pd.to_datetime(["2024-01-31", "2024-02-29", "2024-02-29", "2024-02-29"]),
        "cpi": [0.5, 1.0, 0.8, 0.95],  # A's January row (0.5) is superseded by February
        "spi": [0.5, 0.9, 0.96, 0.85],
        "spi_t": [0.5, 0.8, 0.95, np.nan],
        "bac": [1e6, 1e6, 1e6, 1e6],
    }
)
QUALITY = pd.DataFrame({"project_id": ["A", "B", "C"], "score": [100.0, 10 / 13 * 100, 50.0]})
RISKS = typed_frame(
    "risks",
    {
        "project_id": ["A", "A", "B", "B", "B", "D"],
        "risk_id": ["1", "2", "3", "4", "5", "6"],
        "title": ["a", "b", "c", "d", "e", "f"],
        "probability": [0.5, None, 0.8, 0.5, 0.9, 0.5],
        "impact_cost": [100_000.0, None, 100_000.0, 60_000.0, 900_000.0, -50_000.0],
        "probability_score": [None, 3, 5, 4, 5, None],
        "impact_score": [None, 4, 4, 4, 5, None],
        "status": ["Open", "Open", "Open", "Open", "Closed", "Open"],
    },
)


def test_rag_per_cell():
    m = health_matrix(EVM, quality=QUALITY, risks=RISKS, projects=PROJECTS, settings=Settings()).set_index("project_id")
    rag = {
        p: [
            m.loc[p, f"{c}_rag"]
            for c in ("cpi", "spi", "spi_t", "quality_score", "risk_exposure_pct", "open_high_risks")
        ]
        for p in "ABCD"
    }
    # thresholds: index green >= 0.95, red < 0.85; quality green >= 85, red < 70; exposure green <= 5 %, red > 10 %; high risks green 0, red >= 3
    # A: CPI 1.0 G, SPI 0.9 A, SPI(t) 0.8 R, quality 100 G, exposure 0.5 x 100k / 1M = 5 % G (edge), 1 high (3x4=12) A
    assert rag["A"] == ["green", "amber", "red", "green", "green", "amber"]
    # B: CPI 0.8 R, SPI 0.96 G, SPI(t) 0.95 G (edge), quality 10/13 = 76.9 % A,
    #    exposure (0.8 x 100k + 0.5 x 60k) / 1M = 11 % R (closed risk 5 not counted), 2 high (20, 16) A
    assert rag["B"] == ["red", "green", "green", "amber", "red", "amber"]
    # C: CPI 0.95 G, SPI 0.85 A (edge), SPI(t) missing "", quality 50 R, no risks: 0 % G, 0 high G
    assert rag["C"] == ["green", "amber", "", "red", "green", "green"]
    # D: no EVM, no quality; its only risk is an opportunity: exposure stays 0 % (not -2.5 %) G
    assert rag["D"] == ["", "", "", "", "green", "green"]
    assert m.loc["A", "cpi"] == 1.0  # the latest status date is used
    assert m.loc["B", "risk_exposure_pct"] == pytest.approx(0.11) and m.loc["D", "risk_exposure_pct"] == 0
    assert m.loc["B", "open_high_risks"] == 2
    assert (m.loc["A", "red"], m.loc["A", "amber"], m.loc["A", "green"], m.loc["A", "worst"]) == (1, 2, 3, "red")
    assert m.loc["D", "worst"] == "green" and m.loc["B", "name"] == "Beta"


def test_sorted_by_worst_and_by_indicator():
    m = health_matrix(EVM, quality=QUALITY, risks=RISKS, projects=PROJECTS)
    # B has 2 reds; A and C 1 red each, A has more ambers (2 vs 1); D none
    assert m["project_id"].tolist() == ["B", "A", "C", "D"]
    assert sort_matrix(m, "cpi")["project_id"].tolist() == ["B", "C", "A", "D"]  # 0.8, 0.95, 1.0, missing last
    assert sort_matrix(m, "risk_exposure_pct")["project_id"].tolist()[0] == "B"  # lower is better: 11 % worst
    with pytest.raises(ValueError):
        sort_matrix(m, "nope")


def test_quality_thresholds_edges():
    q = pd.DataFrame({"project_id": ["A", "B", "C"], "score": [85.0, 70.0, 69.9]})
    m = health_matrix(quality=q).set_index("project_id")
    assert m.loc[["A", "B", "C"], "quality_score_rag"].tolist() == [
        "green",
        "amber",
        "red",
    ]  # 85 green (edge), 70 amber (edge), 69.9 red


def test_missing_inputs_are_blank_not_green():
    m = health_matrix(EVM[EVM["project_id"] == "C"])
    assert m["project_id"].tolist() == ["C"]
    assert m.loc[0, "risk_exposure_pct_rag"] == "" and np.isnan(m.loc[0, "open_high_risks"])
    assert m.loc[0, "quality_score_rag"] == ""


def test_settings_thresholds_drive_index_rag():
    m = health_matrix(EVM, settings=Settings(green_at=1.0, red_below=0.9)).set_index("project_id")
    assert m.loc["B", "spi_rag"] == "amber" and m.loc["C", "cpi_rag"] == "amber" and m.loc["A", "cpi_rag"] == "green"


def test_health_heatmap_cells():
    from pmo_analytics.charts.health import health_heatmap

    m = health_matrix(EVM, quality=QUALITY, risks=RISKS, projects=PROJECTS)
    fig = health_heatmap(m, "en")
    h = fig.data[0]
    assert list(h.y)[0] == "B · Beta"  # worst first, at the top (reversed axis)
    # B: red, green, green, amber, red, amber -> codes 0, 2, 2, 1, 0, 1
    assert list(h.z[0]) == [0, 2, 2, 1, 0, 1]
    assert list(h.text[0]) == ["0.80", "0.96", "0.95", "77%", "11.0%", "2"]
    assert np.isnan(h.z[3][0]) and h.text[3][0] == "—"  # D: no CPI


def test_rag_rules_match_matrix_cells():
    from pmo_analytics.metrics.health import INDICATORS, rag_rules

    m = health_matrix(EVM, quality=QUALITY, risks=RISKS, projects=PROJECTS)
    rules = rag_rules(Settings())
    for ind in INDICATORS:
        assert [rules[ind](v) for v in m[ind]] == m[f"{ind}_rag"].tolist()
    assert rules["risk_exposure_pct"](0.0501) == "amber" and rules["open_high_risks"](3) == "red"
