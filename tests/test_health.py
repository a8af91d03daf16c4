"""The health engine (metrics.health): each rule on hand-picked values, the boundaries at the
thresholds, missing values never green, flags never setting the colour; the heatmap view."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pmo_analytics.health_text import reasons_text
from pmo_analytics.ingest.validate import typed_frame
from pmo_analytics.metrics.health import (
    INDICATORS,
    assess,
    current,
    decide,
    health_matrix,
    rag_counts,
    rag_rules,
    reasons_json,
    sort_matrix,
)
from pmo_analytics.settings import Settings

S = Settings()  # green >= 0.95, red < 0.85; exposure green <= 5 %, red > 10 %; milestones amber 1, red 3
NAN = float("nan")


def rule(cpi=1.0, spi_t=1.0, spi=NAN, ms=0, share=0.0, **kw):
    return decide(cpi, spi_t, spi, ms, share, S, **kw)


# ------------------------------------------------------------------ one rule at a time
@pytest.mark.parametrize(
    ("cpi", "rag", "reasons"),
    [
        (0.95, "green", []),  # on the green threshold: green
        (0.9499, "amber", [("cpi_below", 0.9499, 0.95)]),
        (0.85, "amber", [("cpi_below", 0.85, 0.95)]),  # on the red threshold: still amber
        (0.8499, "red", [("cpi_below", 0.8499, 0.85)]),
    ],
)
def test_cost_boundaries(cpi, rag, reasons):
    got, why, parts = rule(cpi=cpi)
    assert (got, why, parts["cost"]) == (rag, reasons, rag)


def test_schedule_uses_spi_t_else_spi():
    # SPI(t) 0.96 is green even though SPI is 0.5: SPI(t) decides when it is known
    assert rule(spi_t=0.96, spi=0.5)[:2] == ("green", [])
    # no SPI(t): SPI 0.84 < 0.85 red, said as SPI
    assert rule(spi_t=NAN, spi=0.84)[:2] == ("red", [("spi_below", 0.84, 0.85)])
    assert rule(spi_t=0.9, spi=1.2)[:2] == ("amber", [("spi_t_below", 0.9, 0.95)])


@pytest.mark.parametrize(
    ("n", "rag", "reasons"),
    [
        (0, "green", []),
        (1, "amber", [("milestones_slipped", 1.0, 1.0)]),
        (2, "amber", [("milestones_slipped", 2.0, 1.0)]),
        (3, "red", [("milestones_slipped", 3.0, 3.0)]),
    ],
)
def test_milestone_boundaries(n, rag, reasons):
    assert rule(ms=n)[:2] == (rag, reasons)


@pytest.mark.parametrize(
    ("share", "rag", "reasons"),
    [
        (0.05, "green", []),  # on the green threshold: green
        (0.0501, "amber", [("exposure_above", 0.0501, 0.05)]),
        (0.10, "amber", [("exposure_above", 0.10, 0.05)]),  # on the red threshold: amber
        (0.1001, "red", [("exposure_above", 0.1001, 0.10)]),
    ],
)
def test_exposure_boundaries(share, rag, reasons):
    assert rule(share=share)[:2] == (rag, reasons)


def test_worst_part_wins_and_red_reasons_come_first():
    # CPI 0.9 amber, SPI(t) 0.8 red, 3 milestones red, exposure 7 % amber -> red
    rag, why, parts = rule(cpi=0.9, spi_t=0.8, ms=3, share=0.07)
    assert rag == "red"
    assert parts == {"cost": "amber", "schedule": "red", "milestones": "red", "risk": "amber"}
    assert [r.code for r in why] == ["spi_t_below", "milestones_slipped", "cpi_below", "exposure_above"]


def test_missing_values_are_never_green():
    # CPI unknown, everything else green: unknown, not green
    assert rule(cpi=NAN)[:2] == ("", [("cpi_missing", None, None)])
    assert rule(spi_t=NAN, spi=NAN)[:2] == ("", [("schedule_missing", None, None)])
    # a register with open threats but no BAC: the share is unknown
    assert rule(share=NAN)[:2] == ("", [("exposure_missing", None, None)])
    # a known red or amber still shows
    assert rule(cpi=NAN, spi_t=0.5)[0] == "red"
    assert rule(cpi=NAN, spi_t=0.9)[0] == "amber"
    # nothing known at all: unknown
    assert rule(cpi=NAN, spi_t=NAN, ms=None, share=NAN, has_register=False, has_milestones=False)[0] == ""
    # not rated (no register, no milestones) is not missing: green stays green
    assert rule(ms=None, share=NAN, has_register=False, has_milestones=False)[:2] == ("green", [])


def test_settings_move_the_thresholds():
    s = S.with_(green_at=1.0, red_below=0.9, exposure_green=0.01, exposure_red=0.02, milestones_red=2)
    assert decide(0.95, 1.0, NAN, 0, 0.0, s)[0] == "amber"  # 0.95 < 1.0
    assert decide(1.0, 1.0, NAN, 2, 0.0, s)[1] == [("milestones_slipped", 2.0, 2.0)]
    assert decide(1.0, 1.0, NAN, 0, 0.015, s)[1] == [("exposure_above", 0.015, 0.01)]


def test_thresholds_from_the_environment(monkeypatch):
    from pmo_analytics.settings import from_env

    monkeypatch.setenv("PMO_EXPOSURE_GREEN", "0.02")
    monkeypatch.setenv("PMO_EXPOSURE_RED", "0.2")
    monkeypatch.setenv("PMO_MILESTONES_AMBER", "2")
    monkeypatch.setenv("PMO_MILESTONES_RED", "5")
    monkeypatch.setenv("PMO_QUALITY_MIN", "60")
    s = from_env()
    assert (s.exposure_green, s.exposure_red, s.milestones_amber, s.milestones_red, s.quality_min) == (
        0.02,
        0.2,
        2,
        5,
        60.0,
    )


# ------------------------------------------------------------------ the engine on frames
D1, D2 = pd.Timestamp("2025-01-31"), pd.Timestamp("2025-02-28")


def metrics() -> pd.DataFrame:
    # A reports at D1 and D2; B only at D1 (it did not report at D2)
    return pd.DataFrame(
        {
            "project_id": ["A", "A", "B"],
            "status_date": [D1, D2, D1],
            "bac": [1e6, 1e6, 1e6],
            "cpi": [1.0, 1.0, 1.0],
            "spi": [1.0, 1.0, 1.0],
            "spi_t": [1.0, 1.0, NAN],
        }
    )


def milestones() -> pd.DataFrame:
    # schedule.milestone_history rows. A's M1: forecast 10 Mar at D1, 20 Mar at D2 (open at
    # both): moved later -> slipped at D2. M2 first seen at D2, forecast 15 Feb, not done:
    # its date passed -> slipped. M3 done. At D1 nothing slipped (10 Mar is after 31 Jan,
    # no earlier snapshot). D2: 2 slipped -> amber.
    return pd.DataFrame(
        {
            "project_id": ["A", "A", "A", "A"],
            "task_id": ["M1", "M1", "M2", "M3"],
            "status_date": [D1, D2, D2, D2],
            "forecast_finish": pd.to_datetime(["2025-03-10", "2025-03-20", "2025-02-15", "2025-02-01"]),
            "done": [False, False, False, True],
            "slip_days": [0.0, 8.0, 0.0, 0.0],
        }
    )


def risks() -> pd.DataFrame:
    # A at D1: 0.5 x 100k = 50k open threat / BAC 1M = 5 % (green, on the edge); kept at D2
    # (no later register). B at D1: 0.6 x 200k = 120k -> 12 % red; its opportunity (-50k)
    # and closed threat never count.
    frame = typed_frame(
        "risks",
        {
            "project_id": ["A", "B", "B", "B"],
            "risk_id": ["1", "2", "3", "4"],
            "title": ["a", "b", "c", "d"],
            "probability": [0.5, 0.6, 0.5, 0.9],
            "impact_cost": [100_000.0, 200_000.0, -50_000.0, 500_000.0],
            "status": ["Open", "Open", "Open", "Closed"],
        },
    )
    return frame.assign(status_date=D1)


@pytest.fixture
def assessed() -> pd.DataFrame:
    quality = pd.DataFrame({"project_id": ["A", "B"], "score": [50.0, 90.0]})
    return assess(metrics(), milestones=milestones(), risks=risks(), quality=quality, settings=S.with_(period="W"))


def test_each_row_is_rated_as_of_its_own_date(assessed):
    a = assessed.set_index(["project_id", "status_date"])
    assert a.loc[("A", D1), "milestones_slipped"] == 0 and a.loc[("A", D1), "rag"] == "green"
    assert a.loc[("A", D2), "milestones_slipped"] == 2
    assert a.loc[("A", D2), "risk_exposure_pct"] == pytest.approx(0.05)
    assert a.loc[("A", D2), "rag"] == "amber"
    assert a.loc[("A", D2), "rag_reasons"] == [("milestones_slipped", 2.0, 1.0)]
    assert a.loc[("B", D1), "risk_exposure_pct"] == pytest.approx(0.12)
    assert a.loc[("B", D1), "rag"] == "red"
    assert a.loc[("B", D1), "rag_reasons"] == [("exposure_above", pytest.approx(0.12), 0.10)]


def test_flags_sit_beside_the_colour_and_never_set_it(assessed):
    cur = current(assessed)
    assert cur.index.tolist() == ["A", "B"]
    # A: quality 50 < 70 flagged; its colour stays the rule's amber
    assert cur.at["A", "flags"] == [("quality_below", 50.0, 70.0)] and cur.at["A", "rag"] == "amber"
    # B: latest row 31 Jan, 28 days before the as-of date 28 Feb: more than a week -> stale; still red
    assert cur.at["B", "flags"] == [("stale", 28.0, 7.0)] and cur.at["B", "rag"] == "red"
    # history rows carry no flags
    old = assessed[(assessed["project_id"] == "A") & (assessed["status_date"] == D1)]
    assert old["flags"].iloc[0] == [] and not old["current"].iloc[0]
    # a perfect project with the worst quality and stale data is still green
    one = pd.DataFrame({"project_id": ["G"], "status_date": [D1], "cpi": [1.0], "spi": [1.0]})
    g = assess(one, quality=pd.DataFrame({"project_id": ["G"], "score": [0.0]}), settings=S, as_of=D2)
    assert g.at[0, "rag"] == "green" and [f.code for f in g.at[0, "flags"]] == ["quality_below", "stale"]
    assert rag_counts(assessed) == {"red": 1, "amber": 1, "green": 0, "unknown": 0}


def test_monthly_period_is_not_stale_within_a_month():
    a = assess(metrics(), settings=S.with_(period="M"))
    assert current(a).at["B", "flags"] == []  # 31 Jan vs 28 Feb: cut-off 28 Jan


def test_reasons_json_and_words(assessed):
    cur = current(assessed)
    assert reasons_json(cur.at["B", "rag_reasons"]) == [
        {"code": "exposure_above", "value": pytest.approx(0.12), "threshold": 0.1}
    ]
    assert reasons_json([("cpi_missing", None, None)]) == [{"code": "cpi_missing", "value": None, "threshold": None}]
    why = [("spi_below", 0.81, 0.85), ("milestones_slipped", 2.0, 1.0), ("exposure_above", 0.12, 0.1)]
    assert reasons_text(why, "en") == "SPI 0.81 < 0.85 · 2 milestones slipped · exposure 12.0% of BAC > 10%"
    assert reasons_text(why, "zh") == "SPI 0.81 < 0.85 · 2 个里程碑延误 · 风险敞口占 BAC 12.0% > 10%"
    assert reasons_text(cur.at["B", "flags"], "en") == "stale: 28 days old"
    assert reasons_text([], "en", rag="") == "no indicator could be computed"


def test_empty_input():
    a = assess(pd.DataFrame(columns=["project_id", "status_date", "cpi", "spi"]))
    assert a.empty and rag_counts(a) == {"red": 0, "amber": 0, "green": 0, "unknown": 0}


# ------------------------------------------------------------------ heatmap view
def test_matrix_overall_is_the_engines_and_cells_keep_their_own_colours(assessed):
    m = health_matrix(assessed, metrics(), risks=risks(), settings=S).set_index("project_id")
    assert m["rag"].to_dict() == {"A": "amber", "B": "red"}
    # A's quality cell is red (50 < 70) and its CPI/SPI cells green: the overall is not "worst cell"
    assert m.loc["A", "quality_score_rag"] == "red" and m.loc["A", "rag"] == "amber"
    # B's threat: probability 0.6 -> score 4, impact 200k / 1M = 20 % -> 4; 4 x 4 = 16 >= 12: one high risk
    assert m.loc["B", "open_high_risks"] == 1 and m.loc["B", "open_high_risks_rag"] == "amber"
    assert math.isnan(m.loc["B", "spi_t"])
    rules = rag_rules(S)
    for ind in INDICATORS:
        assert [rules[ind](v) for v in m[ind]] == m[f"{ind}_rag"].tolist()
    assert rules["quality_score"](85) == "green" and rules["quality_score"](70) == "amber"
    assert rules["quality_score"](69.9) == "red" and rules["risk_exposure_pct"](0.0501) == "amber"


def test_matrix_sorted_by_overall_then_indicator(assessed):
    m = health_matrix(assessed, metrics(), risks=risks(), settings=S)
    assert m["project_id"].tolist() == ["B", "A"]  # red before amber
    assert sort_matrix(m, "quality_score")["project_id"].tolist() == ["A", "B"]
    with pytest.raises(ValueError):
        sort_matrix(m, "nope")


def test_health_heatmap_has_the_overall_column_first(assessed):
    from pmo_analytics.charts.health import health_heatmap

    m = health_matrix(assessed, metrics(), risks=risks(), settings=S)
    fig = health_heatmap(m, "en")
    h = fig.data[0]
    assert list(h.x)[0] == "Overall RAG"
    assert list(h.y) == ["B", "A"]
    # B: overall red (0), then CPI 1.00 green, SPI 1.00 green, SPI(t) missing, quality 90 green,
    # exposure 12 % red, 1 open high risk amber
    assert list(h.z[0][:3]) == [0, 2, 2] and np.isnan(h.z[0][3]) and list(h.z[0][4:]) == [2, 0, 1]
    assert h.text[0][0] == "Red ⚑" and h.text[1][0] == "Amber ⚑"  # both carry a flag


def test_health_heatmap_draws_the_first_rows_only(assessed):
    """A heatmap of 1,000 projects would be a 30,000-pixel figure: it draws the first rows of
    the order given (the table lists them all)."""
    from pmo_analytics.charts.health import health_heatmap

    m = health_matrix(assessed, metrics(), risks=risks(), settings=S)  # B, A
    many = pd.concat([m.assign(project_id=m["project_id"] + str(i)) for i in range(30)], ignore_index=True)
    assert len(many) == 60
    fig = health_heatmap(many, "en", max_rows=40)
    assert len(fig.data[0].y) == 40 and list(fig.data[0].y)[:3] == ["B0", "A0", "B1"]
    assert len(health_heatmap(m, "en", max_rows=1).data[0].y) == 1
