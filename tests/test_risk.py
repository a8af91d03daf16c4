"""Risk matrix, exposure and lists on a hand-built register (arithmetic in comments)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from pmo_analytics.ingest.validate import typed_frame
from pmo_analytics.metrics import risk

SD = pd.Timestamp("2024-03-01")


def register(status_date: pd.Timestamp = SD, **overrides) -> pd.DataFrame:
    rows = {
        "project_id": ["P1", "P1", "P1", "P1", "P2", "P2"],
        "risk_id": ["R1", "R2", "R3", "R4", "R5", "R6"],
        "title": ["Vendor late", "Key person leaves", "Cheaper licence", "Old risk", "Site access", "Permit"],
        "category": ["Supplier", "People", "Commercial", "Supplier", "Site", "Legal"],
        "probability": [0.5, 0.2, 0.6, 0.9, 0.8, None],
        "impact_cost": [100_000.0, 40_000.0, -30_000.0, 500_000.0, 200_000.0, None],
        "probability_score": [3, None, None, None, None, 3],
        "impact_score": [4, None, None, None, None, 4],
        "owner": ["Ann", "  ", "Bo", "Cy", None, "Di"],
        "status": ["Open", "Open", "open", "Closed", None, "In progress"],
        "due_date": [date(2024, 2, 1), date(2024, 3, 15), None, date(2023, 1, 1), date(2024, 2, 29), None],
    }
    rows.update(overrides)
    df = typed_frame("risks", rows)
    df["status_date"] = status_date
    return df


PROJECTS = pd.DataFrame({"project_id": ["P1"], "bac": [1_000_000.0]})


def test_scores_given_or_derived_by_bands():
    e = risk.enrich(register(), PROJECTS).set_index("risk_id")
    # R1 given 3 x 4 = 12
    assert (e.loc["R1", "probability_score"], e.loc["R1", "impact_score"], e.loc["R1", "score_source"]) == (
        3,
        4,
        "given",
    )
    # R2: p 0.2 -> band 2 (0.1 < p <= 0.3); impact 40k / BAC 1M = 4 % -> band 2 (1 % < x <= 5 %)
    assert (e.loc["R2", "probability_score"], e.loc["R2", "impact_score"], e.loc["R2", "score_source"]) == (
        2,
        2,
        "derived",
    )
    # R3 opportunity: p 0.6 -> 4; |-30k| / 1M = 3 % -> 2
    assert (e.loc["R3", "probability_score"], e.loc["R3", "impact_score"]) == (4, 2)
    # R5 (P2 has no BAC): p 0.8 -> 5; 200k on the absolute bands (100k < x <= 500k) -> 4; score 20 -> high
    assert (e.loc["R5", "probability_score"], e.loc["R5", "impact_score"], e.loc["R5", "risk_score"]) == (5, 4, 20)
    assert e.loc["R5", "band"] == "high" and e.loc["R2", "band"] == "low"
    assert e.loc["R3", "kind"] == "opportunity" and e.loc["R1", "kind"] == "threat"
    assert not e.loc["R4", "is_open"] and e.loc["R5", "is_open"]  # missing status = open
    # EMV: R1 0.5 x 100k = 50k; R6 has no probability or cost -> missing, not 0
    assert e.loc["R1", "risk_exposure"] == 50_000 and np.isnan(e.loc["R6", "risk_exposure"])


def test_band_edges_inclusive():
    df = register(probability=[0.1, 0.3, 0.5, 0.7, 0.71, 0.0], probability_score=[None] * 6)
    e = risk.enrich(df)
    assert e["probability_score"].tolist() == [1, 2, 3, 4, 5, 1]


def test_matrix_counts_open_threats():
    m = risk.risk_matrix(risk.enrich(register(), PROJECTS))
    assert len(m) == 25
    cells = {(r.probability_score, r.impact_score): r.count for r in m.itertuples() if r.count}
    # open threats: R1 (3,4), R6 (3,4), R2 (2,2), R5 (5,4); R3 is an opportunity, R4 is closed
    assert cells == {(3, 4): 2, (2, 2): 1, (5, 4): 1}
    c34 = m[(m.probability_score == 3) & (m.impact_score == 4)].iloc[0]
    assert c34["score"] == 12 and c34["exposure"] == 50_000  # R6 unquantified: not counted as 0 ... nor as money
    opp = risk.risk_matrix(risk.enrich(register(), PROJECTS), kind="opportunity")
    assert (
        opp["count"].sum() == 1 and opp.loc[(opp.probability_score == 4) & (opp.impact_score == 2), "count"].item() == 1
    )


def test_matrix_counts_equal_register_counts_random():
    rng = np.random.default_rng(3)
    n = 300
    p = rng.integers(1, 6, n)
    i = rng.integers(1, 6, n)
    df = typed_frame(
        "risks",
        {
            "project_id": ["P"] * n,
            "risk_id": [f"R{k}" for k in range(n)],
            "title": ["t"] * n,
            "probability_score": p.tolist(),
            "impact_score": i.tolist(),
            "impact_cost": rng.choice([-1000.0, 5000.0], n).tolist(),
            "probability": rng.random(n).tolist(),
        },
    )
    m = risk.risk_matrix(df, kind="all", open_only=False)
    expected = pd.Series(list(zip(p.tolist(), i.tolist(), strict=True))).value_counts()
    got = {(r.probability_score, r.impact_score): r.count for r in m.itertuples()}
    for cell in got:
        assert got[cell] == expected.get(cell, 0)
    assert m["count"].sum() == n


def test_exposure_by_project_threats_and_opportunities_apart():
    e = risk.exposure(risk.enrich(register(), PROJECTS), "project_id").set_index("project_id")
    # P1 open threats: R1 50,000 + R2 0.2 x 40,000 = 8,000 -> 58,000; opportunity R3 0.6 x -30,000 = -18,000
    assert e.loc["P1", "threat_emv"] == 58_000 and e.loc["P1", "opportunity_emv"] == -18_000
    assert (e.loc["P1", "threats"], e.loc["P1", "opportunities"], e.loc["P1", "high"]) == (2, 1, 1)
    # P2: R5 0.8 x 200,000 = 160,000; R6 unquantified; high = R5 (20) and R6 (12)
    assert e.loc["P2", "threat_emv"] == 160_000 and e.loc["P2", "unquantified"] == 1 and e.loc["P2", "high"] == 2
    assert e.index.tolist() == ["P2", "P1"]  # largest threat exposure first


def test_emv_sums_equal_register():
    reg = register()
    e = risk.exposure(reg, "category", open_only=False)
    # every quantified risk: 50,000 + 8,000 + 450,000 (R4) + 160,000 = 668,000 of threats; -18,000 opportunity
    assert e["threat_emv"].sum() == 668_000
    assert e["opportunity_emv"].sum() == -18_000
    assert e["threat_emv"].sum() + e["opportunity_emv"].sum() == pytest.approx(
        (reg["probability"] * reg["impact_cost"]).sum()
    )
    assert e.set_index("category").loc["Supplier", "threat_emv"] == 500_000  # R1 50k + R4 450k


def test_exposure_trend_across_status_dates():
    a = register(SD)
    b = register(pd.Timestamp("2024-04-01"), status=["Open", "Closed", "open", "Closed", None, "In progress"])
    t = risk.exposure_trend(pd.concat([a, b], ignore_index=True))
    p1 = t[t["project_id"] == "P1"].set_index("status_date")["threat_emv"]
    # R2 (8,000) closed by April: 58,000 -> 50,000
    assert p1.tolist() == [58_000, 50_000]


def test_exposure_trend_carries_a_quiet_project_forward():
    # April: only P1 reports (R2 closed); P2's March register still stands at April, as
    # everywhere else (a project counts with its latest snapshot on or before the date)
    a = register(SD)
    b = register(pd.Timestamp("2024-04-01"), status=["Open", "Closed", "open", "Closed", None, "In progress"])
    hist = pd.concat([a, b[b["project_id"] == "P1"]], ignore_index=True)
    t = risk.exposure_trend(hist).set_index(["status_date", "project_id"])["threat_emv"]
    april = pd.Timestamp("2024-04-01")
    # P1: 50,000 (R1 0.5 x 100,000); P2: 160,000 (R5 0.8 x 200,000) carried from March
    assert t[april].to_dict() == {"P1": 50_000, "P2": 160_000}
    by_cat = risk.exposure_trend(hist, "category").set_index(["status_date", "category"])["threat_emv"]
    assert by_cat[(april, "Site")] == 160_000 and by_cat[(april, "Supplier")] == 50_000


def test_top_overdue_unowned_opportunities():
    e = risk.enrich(register(), PROJECTS)
    assert risk.top_risks(e)["risk_id"].tolist() == ["R5", "R1", "R2", "R6"]
    assert risk.top_risks(e, n=2)["risk_id"].tolist() == ["R5", "R1"]
    od = risk.overdue_responses(e)
    # due before the status date 2024-03-01 and open: R1 (02-01, 29 days), R5 (02-29, 1 day); R4 is closed
    assert od["risk_id"].tolist() == ["R1", "R5"] and od["days_overdue"].tolist() == [29, 1]
    assert risk.overdue_responses(e, as_of=date(2024, 3, 20))["risk_id"].tolist() == ["R1", "R5", "R2"]
    assert sorted(risk.unowned(e)["risk_id"]) == ["R2", "R5"]  # blank and missing owner
    assert risk.opportunities(e)["risk_id"].tolist() == ["R3"]


def test_risk_adjusted_forecast():
    eac = pd.DataFrame({"project_id": ["P1", "P2", "P3"], "eac_cpi": [1_100_000.0, 500_000.0, 80_000.0]})
    f = risk.risk_adjusted_forecast(risk.enrich(register(), PROJECTS), eac).set_index("project_id")
    # P1: 1,100,000 + 58,000 = 1,158,000; with the opportunity shown apart: 1,158,000 - 18,000 = 1,140,000
    assert f.loc["P1", "eac_risk_adjusted"] == 1_158_000 and f.loc["P1", "eac_with_opportunities"] == 1_140_000
    assert f.loc["P2", "eac_risk_adjusted"] == 660_000
    assert f.loc["P3", "eac_risk_adjusted"] == 80_000 and f.loc["P3", "threat_emv"] == 0  # no risks registered


def test_selection_event_to_cells_and_filter():
    e = risk.enrich(register(), PROJECTS)
    event = {
        "selection": {"points": [{"x": 4, "y": 3, "customdata": [3, 4]}, {"x": 2, "y": 2}], "box": [], "lasso": []}
    }
    cells = risk.selected_cells(event)
    assert cells == [(3, 4), (2, 2)]
    assert sorted(risk.filter_by_cells(e, cells)["risk_id"]) == ["R1", "R2", "R6"]
    assert len(risk.filter_by_cells(e, [])) == len(e)  # cleared selection: everything
    assert risk.selected_cells(None) == [] and risk.selected_cells({"selection": {"points": []}}) == []
    assert risk.selected_cells({"selection": {"points": [{"x": "bad"}]}}) == []


def test_heatmap_cells_selectable_with_counts():
    from pmo_analytics.charts.risk import BAND_COLOURS, risk_heatmap

    m = risk.risk_matrix(risk.enrich(register(), PROJECTS))
    fig = risk_heatmap(m, "en", selected=[(3, 4)])
    assert len(fig.data) == 1  # the selectable scatter is the only trace
    scatter = fig.data[0]
    cells = {(int(c[0]), int(c[1])): int(c[2]) for c in scatter.customdata}
    assert len(cells) == 25 and cells[(3, 4)] == 2 and cells[(5, 4)] == 1 and cells[(1, 1)] == 0
    # the count is written on the cell at x = impact, y = probability
    k = [i for i, c in enumerate(scatter.customdata) if (c[0], c[1]) == (3, 4)][0]
    assert (scatter.x[k], scatter.y[k], scatter.text[k]) == (4, 3, "2")
    # a selection event built from the trace's own point round-trips to the cell
    event = {
        "selection": {"points": [{"x": scatter.x[k], "y": scatter.y[k], "customdata": list(scatter.customdata[k])}]}
    }
    assert risk.selected_cells(event) == [(3, 4)]
    # 25 coloured cells + the outline of the selected one
    assert len(fig.layout.shapes) == 26
    fill = {(round((s.y0 + s.y1) / 2), round((s.x0 + s.x1) / 2)): s.fillcolor for s in fig.layout.shapes[:25]}
    assert fill[(5, 4)] == BAND_COLOURS["high"] and fill[(1, 1)] == BAND_COLOURS["low"]  # 5 x 4 = 20; 1 x 1 = 1
    assert fill[(2, 3)] == BAND_COLOURS["medium"]  # 2 x 3 = 6
    outline = fig.layout.shapes[25]
    assert (outline.x0, outline.x1, outline.y0, outline.y1) == (3.5, 4.5, 2.5, 3.5)


def test_register_view_and_latest_eac():
    e = risk.enrich(register(), PROJECTS)
    assert len(risk.register_view(e)) == 6  # no selection: the whole register
    # selected (3,4): the open threats there, largest EMV first; R6 (unquantified) last
    assert risk.register_view(e, [(3, 4)])["risk_id"].tolist() == ["R1", "R6"]
    eac = pd.DataFrame(
        {
            "project_id": ["P1", "P1"],
            "status_date": pd.to_datetime(["2024-03-01", "2024-02-01"]),
            "eac_cpi": [1_000_000.0, 900_000.0],
        }
    )
    f = risk.risk_adjusted_forecast(e, eac)
    assert f["eac_cpi"].tolist() == [1_000_000] and f["eac_risk_adjusted"].tolist() == [1_058_000]  # March row + 58,000
