"""Earned value formulas, earned schedule, time-phased PV and roll-ups.

Expected values are published worked examples (../shared/reference/evm_cases.json) or computed
by hand in the comments; never re-derived with the code under test.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from pmo_analytics import present
from pmo_analytics.metrics import evm
from pmo_analytics.settings import Settings
from tests.conftest import SHARED, shared_file

NAN = float("nan")


# ------------------------------------------------------------------ published cases
def _case_ids() -> list[str]:
    p = SHARED / "reference" / "evm_cases.json"
    if not p.exists():
        return ["absent"]
    return [c["id"] for c in json.loads(p.read_text())["cases"]]


def _close(actual: float, published: float, tol: float) -> bool:
    """Within the case tolerance, or within half a unit of the last digit the source printed."""
    text = repr(published)
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return abs(actual - published) <= max(tol, 0.5 * 10**-decimals) + 1e-12


@pytest.mark.parametrize("case_id", _case_ids())
def test_published_case(case_id):
    cases = {c["id"]: c for c in json.loads(shared_file("reference", "evm_cases.json").read_text())["cases"]}
    case = cases[case_id]
    inp, pub, tol = case["inputs"], case["published"], case["tolerance"]
    checked = 0
    if "cumulative_planned_fraction" in inp:
        # inputs are series: the status period's cumulative values
        k = inp["status_period"]
        pv_series = [inp["bac"] * f for f in inp["cumulative_planned_fraction"]]
        pv, ev, ac, bac = (
            pv_series[k - 1],
            inp["bac"] * inp["percent_complete"],
            inp["cumulative_ac"][k - 1],
            inp["bac"],
        )
        es = evm.earned_schedule(pv_series, ev, at=k)
        for key, want in case.get("hand_computed", {}).items():
            if key in es:
                assert _close(es[key], want, tol), (key, es[key], want)
                checked += 1
    else:
        pv, ev, ac, bac = (inp.get(k, NAN) for k in ("pv", "ev", "ac", "bac"))
    got = evm.evm_indices(pv, ev, ac, bac)
    for key, want in pub.items():
        if key == "eac_cpi" and "cpi" in inp:
            # the source types CPI in directly (0.83), not EV/AC
            actual = evm.eac_from_cpi(bac, inp["cpi"])
        elif key.startswith("tcpi_eac_with_eac_"):
            actual = evm.tcpi(bac, ev, ac, eac=float(key.rsplit("_", 1)[1]))
        else:
            actual = got[key]
        assert _close(actual, want, tol), (key, actual, want)
        checked += 1
    assert checked >= 1


# ------------------------------------------------------------------ hand-computed formulas
def test_indices_by_hand():
    # pv=500 ev=400 ac=500 bac=1000
    got = evm.evm_indices(500, 400, 500, 1000)
    expected = {
        "cv": -100.0,  # 400 - 500
        "sv": -100.0,  # 400 - 500
        "cv_pct": -0.25,  # -100 / 400
        "sv_pct": -0.2,  # -100 / 500
        "cpi": 0.8,  # 400 / 500
        "spi": 0.8,  # 400 / 500
        "eac_cpi": 1250.0,  # 1000 / 0.8
        "eac_atypical": 1100.0,  # 500 + (1000 - 400)
        "eac_composite": 1437.5,  # 500 + 600 / (0.8 * 0.8) = 500 + 937.5
        "etc": 750.0,  # 1250 - 500
        "vac": -250.0,  # 1000 - 1250
        "tcpi_bac": 1.2,  # 600 / (1000 - 500)
        "tcpi_eac": 0.8,  # 600 / (1250 - 500)
    }
    for k, v in expected.items():
        assert got[k] == pytest.approx(v), k
    assert (got["pv"], got["ev"], got["ac"], got["bac"]) == (500, 400, 500, 1000)


def test_zero_and_missing_denominators_are_nan():
    got = evm.evm_indices(0, 0, 0, 100)
    for k in ("cpi", "spi", "cv_pct", "sv_pct", "eac_cpi", "eac_composite", "etc", "vac", "tcpi_eac"):
        assert math.isnan(got[k]), k
    assert got["cv"] == 0
    assert got["eac_atypical"] == 100  # 0 + (100 - 0)
    assert got["tcpi_bac"] == 1.0  # (100 - 0) / (100 - 0)
    # BAC spent exactly: tcpi_bac has a zero denominator
    assert math.isnan(evm.evm_indices(50, 40, 100, 100)["tcpi_bac"])
    # missing AC
    got = evm.evm_indices(100, 50, NAN, 200)
    assert math.isnan(got["cpi"]) and math.isnan(got["eac_cpi"]) and got["spi"] == 0.5


def test_add_indices_is_vectorised_and_keeps_other_columns():
    df = pd.DataFrame({"id": ["a", "b"], "pv": [500, 0], "ev": [400, 0], "ac": [500, 0], "bac": [1000, 100]})
    out = evm.add_indices(df)
    assert out["id"].tolist() == ["a", "b"]
    assert out["cpi"].iloc[0] == pytest.approx(0.8) and math.isnan(out["cpi"].iloc[1])
    assert out["eac_composite"].iloc[0] == pytest.approx(1437.5)
    assert "pv" in df and "cpi" not in df  # input untouched


def test_earned_schedule_by_hand():
    # PV cumulative 100, 300, 600, 1000; EV = 450 at AT = 3.
    # C = 2 (100 and 300 <= 450); ES = 2 + (450 - 300)/(600 - 300) = 2.5
    got = evm.earned_schedule([100, 300, 600, 1000], 450, at=3)
    assert got["es"] == pytest.approx(2.5)
    assert got["pd"] == 4
    assert got["sv_t"] == pytest.approx(-0.5)  # 2.5 - 3
    assert got["spi_t"] == pytest.approx(2.5 / 3)  # 0.8333
    assert got["ieac_t"] == pytest.approx(4.8)  # 4 / 0.8333
    assert got["tspi"] == pytest.approx(1.5)  # (4 - 2.5) / (4 - 3)


def test_earned_schedule_edges():
    # EV below the first period's PV: C = 0, PV_0 = 0 -> ES = 50/100
    assert evm.earned_schedule([100, 300], 50, at=1)["es"] == pytest.approx(0.5)
    # EV beyond BAC is clamped to PD
    assert evm.earned_schedule([100, 300], 400, at=3)["es"] == 2
    # plan flat after period 2: PD = 2, not 4
    assert evm.earned_schedule([100, 300, 300, 300], 300, at=4)["pd"] == 2
    # AT = 0: SPI(t) undefined
    assert math.isnan(evm.earned_schedule([100, 300], 0, at=0)["spi_t"])
    assert math.isnan(evm.earned_schedule([], 10, at=1)["es"])


# ------------------------------------------------------------------ time-phased PV from tasks
def _tasks(status="2024-01-12", **over) -> pd.DataFrame:
    """Summary + two tasks of P1.

    T1: baseline Mon 2024-01-01 .. Fri 01-05 = 5 working days, budget 1000, 100 % done, AC 1100.
    T2: baseline Mon 2024-01-08 .. Fri 01-19 = 10 working days, budget 2000, 25 % done, AC 600.
    The summary row (budget 3000, AC 1700) must not be counted twice.
    """
    d = pd.to_datetime
    df = pd.DataFrame(
        {
            "project_id": ["P1"] * 3,
            "task_id": ["0", "1", "2"],
            "name": ["Summary", "T1", "T2"],
            "is_summary": pd.array([True, False, False], dtype="boolean"),
            "start": d(["2024-01-01", "2024-01-01", "2024-01-08"]),
            "finish": d(["2024-01-19", "2024-01-05", "2024-01-19"]),
            "baseline_start": d(["2024-01-01", "2024-01-01", "2024-01-08"]),
            "baseline_finish": d(["2024-01-19", "2024-01-05", "2024-01-19"]),
            "actual_start": d(["2024-01-01", "2024-01-01", "2024-01-08"]),
            "actual_finish": d([None, "2024-01-05", None]),
            "percent_complete": [0.5, 1.0, 0.25],
            "bac": [3000.0, 1000.0, 2000.0],
            "actual_cost": [1700.0, 1100.0, 600.0],
            "status_date": d([status] * 3),
        }
    )
    for k, v in over.items():
        df[k] = v
    return df


def test_project_metrics_two_tasks_weekly():
    res = evm.analyse(_tasks())
    row = res.metrics.iloc[0]
    # Weeks end on Sunday. Week 1 (Jan 1-7): T1 all 5 days -> 1000.
    # Week 2 (Jan 8-14): + T2 5 of 10 days -> 1000 + 2000*5/10 = 2000. Week 3 (Jan 15-21): 3000.
    assert res.curves["pv_cum"].tolist() == pytest.approx([1000, 2000, 3000])
    assert res.curves["period_end"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-07", "2024-01-14", "2024-01-21"]
    # status Fri Jan 12: PV = 1000 + 2000*5/10 = 2000; EV = 1000*1 + 2000*0.25 = 1500; AC = 1100 + 600
    assert (row.pv, row.ev, row.ac, row.bac) == pytest.approx((2000, 1500, 1700, 3000))
    assert row.cpi == pytest.approx(1500 / 1700)
    assert row.spi == pytest.approx(0.75)
    # ES: C = 1 (1000 <= 1500), ES = 1 + (1500-1000)/(2000-1000) = 1.5; AT: Friday closes week 2 -> 2.0
    # PD: baseline finish Fri Jan 19 closes week 3 -> 3.0
    assert (row.es, row["at"], row.pd) == pytest.approx((1.5, 2.0, 3.0))
    assert row.spi_t == pytest.approx(0.75)  # 1.5 / 2
    assert row.ieac_t == pytest.approx(4.0)  # 3 / 0.75
    assert row.tspi == pytest.approx(1.5)  # (3 - 1.5) / (3 - 2)
    # ES 1.5 = half of week 2's 5 working days -> 3rd working day (Wed Jan 10)
    assert row.es_date == pd.Timestamp("2024-01-10")
    # IEAC(t) 4.0 = end of week 4's working days -> Fri Jan 26
    assert row.forecast_finish == pd.Timestamp("2024-01-26")
    assert (row.tasks, row.tasks_no_baseline, row.source, row.budget_basis) == (2, 0, "tasks", "tasks")


def test_holiday_and_calendar_days():
    hol = Settings(holidays=(pd.Timestamp("2024-01-10").date(),))
    c = evm.analyse(_tasks(), settings=hol).curves
    # T2 now has 9 working days; week 2 holds 4 of them (Jan 8, 9, 11, 12): 1000 + 2000*4/9
    assert c["pv_cum"].tolist() == pytest.approx([1000, 1000 + 2000 * 4 / 9, 3000])
    cal = Settings(calendar="calendar")
    r = evm.analyse(_tasks(), settings=cal)
    # T2 spans 12 calendar days (Jan 8-19); week 2 holds 7 of them: 1000 + 2000*7/12
    assert r.curves["pv_cum"].tolist() == pytest.approx([1000, 1000 + 2000 * 7 / 12, 3000])
    # status Jan 12: 5 of 12 days -> 1000 + 2000*5/12
    assert r.metrics["pv"].iloc[0] == pytest.approx(1000 + 2000 * 5 / 12)


def test_monthly_and_daily_periods():
    d = pd.to_datetime
    t = _tasks(status="2024-02-29")
    # move T2 to Mon Jan 29 .. Fri Feb 9 (10 working days: 3 in January)
    t.loc[2, ["start", "baseline_start"]] = d("2024-01-29")
    t.loc[2, ["finish", "baseline_finish"]] = d("2024-02-09")
    c = evm.analyse(t, settings=Settings(period="M")).curves
    assert c["period_end"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-31", "2024-02-29"]
    assert c["pv_cum"].tolist() == pytest.approx([1000 + 2000 * 3 / 10, 3000])
    c = evm.analyse(_tasks(), settings=Settings(period="D")).curves
    assert len(c) == 19  # Jan 1..19
    # Sat Jan 6 and Sun Jan 7 add nothing; Mon Jan 8 adds 2000/10
    assert c["pv_cum"].iloc[4:8].tolist() == pytest.approx([1000, 1000, 1000, 1200])


@pytest.mark.parametrize(
    ("method", "ev"),
    [
        ("physical", 1500),  # 1000*1 + 2000*0.25
        ("0/100", 1000),  # T1 finished; T2 not
        ("50/50", 2000),  # 1000 + 2000*0.5 (T2 started)
    ],
)
def test_ev_methods(method, ev):
    assert evm.project_metrics(_tasks(), settings=Settings(ev_method=method))["ev"].iloc[0] == pytest.approx(ev)


def test_baseline_fallback_is_counted():
    t = _tasks()
    t.loc[2, ["baseline_start", "baseline_finish"]] = pd.NaT
    # T2's current dates equal its old baseline, so PV is unchanged, but the fallback is reported
    row = evm.project_metrics(t).iloc[0]
    assert row.tasks_no_baseline == 1
    assert row.pv == pytest.approx(2000)


def test_project_bac_spread_by_working_days_when_tasks_have_no_budget():
    t = _tasks(bac=[NAN, NAN, NAN])
    projects = pd.DataFrame({"project_id": ["P1"], "name": ["Alpha"], "bac": [3000.0]})
    row = evm.project_metrics(t, projects).iloc[0]
    # weights 5 and 10 working days of 15 -> budgets 1000 and 2000, as in the two-task case
    assert row.budget_basis == "project"
    assert (row.pv, row.ev, row.bac) == pytest.approx((2000, 1500, 3000))


def test_no_budget_anywhere_gives_schedule_metrics_only():
    row = evm.project_metrics(_tasks(bac=[0.0, 0.0, 0.0])).iloc[0]
    assert row.budget_basis == "duration"
    assert math.isnan(row.pv) and math.isnan(row.spi) and math.isnan(row.bac)
    # duration weights 5 and 10 are proportional to the budgets above, so ES is the same 1.5
    assert row.es == pytest.approx(1.5) and row.spi_t == pytest.approx(0.75)


def test_history_one_row_per_status_date():
    t1 = _tasks(status="2024-01-05", percent_complete=[0.3, 1.0, 0.0], actual_cost=[1000.0, 1000.0, 0.0])
    t2 = _tasks(status="2024-01-12")
    rows = evm.project_metrics(pd.concat([t1, t2], ignore_index=True))
    assert rows["status_date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-05", "2024-01-12"]
    # Jan 5: PV = 1000 (T1 done by plan), EV = 1000 -> SPI 1, ES = 1 = AT
    assert rows["pv"].tolist() == pytest.approx([1000, 2000])
    assert rows["es"].tolist() == pytest.approx([1.0, 1.5])
    assert rows["at"].tolist() == pytest.approx([1.0, 2.0])


# ------------------------------------------------------------------ given time-phased values
MONTHS = pd.date_range("2024-01-31", periods=8, freq="ME")
# Plan: BAC 1000 over 5 months. The project finishes 3 months late.
PV_CUM = [100, 300, 600, 900, 1000, 1000, 1000, 1000]
EV_CUM = [50, 150, 300, 450, 600, 750, 900, 1000]
AC_CUM = [60, 170, 330, 480, 640, 790, 950, 1060]


def _periods(values) -> pd.DataFrame:
    pv, ev, ac = values
    return pd.DataFrame({"project_id": "P9", "period_end": MONTHS, "pv": pv, "ev": ev, "ac": ac})


@pytest.mark.parametrize("kind", ["cumulative", "per_period"])
def test_late_project_spi_recovers_spi_t_does_not(kind):
    vals = (PV_CUM, EV_CUM, AC_CUM)
    if kind == "per_period":
        vals = tuple(np.diff([0, *v]).tolist() for v in vals)
    rows = evm.project_metrics(None, evm_periods=_periods(vals))
    assert set(rows["series"]) == {kind}
    assert len(rows) == 8 and (rows["status_date"] == MONTHS.astype("datetime64[s]")).all()
    # month 6: EV 750; C = 3 (100, 300, 600 <= 750); ES = 3 + (750-600)/(900-600) = 3.5
    # month 7: EV 900 = PV_4 -> ES = 4; month 8: EV 1000 = BAC -> ES = PD = 5
    assert rows["es"].tolist()[4:] == pytest.approx([3.0, 3.5, 4.0, 5.0])
    # month 1: C = 0, ES = 50/100 = 0.5
    assert rows["es"].iloc[0] == pytest.approx(0.5)
    last = rows.iloc[-1]
    assert last.spi == pytest.approx(1.0)  # 1000 / 1000 at the (late) finish
    assert last.spi_t == pytest.approx(5 / 8)  # 0.625: three months late
    assert last.sv_t == pytest.approx(-3)
    assert (rows["spi_t"] < 0.7).all()
    assert rows["pd"].iloc[0] == 5
    assert last.bac == 1000


def test_evm_periods_take_over_from_tasks():
    t = _tasks()
    t["project_id"] = "P9"
    rows = evm.project_metrics(t, evm_periods=_periods((PV_CUM, EV_CUM, AC_CUM)))
    assert set(rows["source"]) == {"evm_periods"} and len(rows) == 8


def test_detect_series_uses_bac_when_ambiguous():
    ramp = pd.DataFrame({"pv": [100, 200, 300, 400]})
    assert evm.detect_series(ramp) == "cumulative"
    assert evm.detect_series(ramp, bac=1000) == "per_period"  # 100+200+300+400 = 1000
    assert evm.detect_series(ramp, bac=400) == "cumulative"
    assert evm.detect_series(pd.DataFrame({"pv": [100, 50]})) == "per_period"


# ------------------------------------------------------------------ roll-ups
def test_portfolio_rollup_sums_then_divides():
    rows = pd.DataFrame(
        {
            "project_id": ["P1", "P2"],
            "status_date": pd.to_datetime(["2024-01-12"] * 2),
            "pv": [2000.0, 1000.0],
            "ev": [1500.0, 1000.0],
            "ac": [1700.0, 500.0],
            "bac": [3000.0, 2000.0],
        }
    )
    out = evm.portfolio_rollup(rows)
    r = out.iloc[0]
    assert (r.pv, r.ev, r.ac, r.bac) == (3000, 2500, 2200, 5000)
    # CPI = 2500/2200 = 1.1364 (the mean of 0.882 and 2.0 would be 1.44)
    assert r.cpi == pytest.approx(2500 / 2200)
    assert r.spi == pytest.approx(2500 / 3000)
    assert math.isnan(r.es)  # no curves given


def test_portfolio_earned_schedule_from_summed_curves():
    # P1 as in the two-task case; P2 = the same plan shifted one week later, nothing earned.
    t1 = _tasks()
    t2 = _tasks(percent_complete=[0.0, 0.0, 0.0], actual_cost=[0.0, 0.0, 0.0])
    t2["project_id"] = "P2"
    for c in ("start", "finish", "baseline_start", "baseline_finish", "actual_start"):
        t2[c] = t2[c] + pd.Timedelta(days=7)
    res = evm.analyse(pd.concat([t1, t2], ignore_index=True))
    out = evm.portfolio_rollup(res.metrics, curves=res.curves).iloc[0]
    # summed PV by week: w1 1000, w2 2000+1000 = 3000, w3 3000+2000 = 5000, w4 6000
    # EV = 1500 -> C = 1, ES = 1 + (1500-1000)/(3000-1000) = 1.25; AT = 2 (Fri of week 2); PD = 4
    assert (out.es, out["at"], out.pd) == pytest.approx((1.25, 2.0, 4.0))
    assert out.spi_t == pytest.approx(0.625)


def test_from_store_and_finished_project_stops_the_clock(store):
    from datetime import date

    from pmo_analytics.ingest import parse_bytes
    from tests.helpers import template_bytes

    store.import_parsed(parse_bytes("portfolio.xlsx", template_bytes()), date(2025, 1, 24))
    rows = evm.project_metrics(store.table("tasks", current=False), store.table("projects"))
    p1, p2 = rows.set_index("project_id").loc["P1"], rows.set_index("project_id").loc["P2"]
    # P1: Design Jan 6-17 (10 wd, 400, done), Build Jan 20-31 (10 wd, 600, 50 %); status Fri Jan 24
    # PV = 400 + 600*5/10 = 700; EV = 400 + 300 = 700; weekly PV 200, 400, 700, 1000 -> ES = 3 = AT
    assert (p1.pv, p1.ev, p1.ac, p1.bac) == pytest.approx((700, 700, 700, 1000))
    assert (p1.es, p1["at"], p1.pd) == pytest.approx((3, 3, 4))
    # P2: Plan Jan 6-10 done (EV = BAC = 2000): AT stops at its finish (end of week 1), not at Jan 24,
    # so it is not reported two weeks late
    assert (p2.es, p2["at"], p2.spi_t) == pytest.approx((1, 1, 1))
    assert p2.completed == pd.Timestamp("2025-01-10")
    assert math.isnan(p2.tspi)  # (1 - 1)/(1 - 1)


def test_status_date_before_the_plan_starts():
    row = evm.project_metrics(_tasks(status="2023-12-29", percent_complete=[0.0, 0.0, 0.0])).iloc[0]
    # nothing planned yet: PV = 0, SPI undefined; AT = 0 (clamped), SPI(t) undefined
    assert row.pv == 0 and math.isnan(row.spi)
    assert row["at"] == 0 and math.isnan(row.spi_t)


def test_undated_task_is_in_bac_but_not_in_the_curve():
    t = _tasks()
    t.loc[2, ["start", "finish", "baseline_start", "baseline_finish"]] = pd.NaT
    res = evm.analyse(t)
    row = res.metrics.iloc[0]
    assert row.tasks_undated == 1
    assert row.bac == 3000  # 1000 + 2000
    assert res.curves["pv_cum"].tolist() == pytest.approx([1000])  # only T1 (week 1) is phased


def test_evm_periods_latest_upload_wins():
    old = _periods((PV_CUM, EV_CUM, AC_CUM)).assign(status_date=pd.Timestamp("2024-05-31"))
    new = old.assign(status_date=pd.Timestamp("2024-08-31"), ev=[v + 10 for v in EV_CUM])
    rows = evm.project_metrics(None, evm_periods=pd.concat([old, new], ignore_index=True))
    assert len(rows) == 8
    assert rows["ev"].iloc[0] == 60  # 50 + 10 from the later upload


def test_portfolio_history_carries_values_forward():
    a = _tasks(status="2024-01-05", percent_complete=[0.3, 1.0, 0.0], actual_cost=[1000.0, 1000.0, 0.0])
    b = _tasks(status="2024-01-12")
    b["project_id"] = "P2"
    res = evm.analyse(pd.concat([a, b], ignore_index=True))
    hist = evm.portfolio_history(res)
    # Jan 5: P1 only (PV 1000, EV 1000). Jan 12: P1 as of Jan 5 + P2 (PV 2000, EV 1500)
    assert hist["projects"].tolist() == [1, 2]
    assert hist["pv"].tolist() == pytest.approx([1000, 3000])
    assert hist["ev"].tolist() == pytest.approx([1000, 2500])
    # Jan 12: summed weekly PV 2000, 4000, 6000; EV 2500 -> ES = 1 + (2500-2000)/(4000-2000) = 1.25
    assert hist["es"].iloc[1] == pytest.approx(1.25)
    table = evm.metrics_table(res.metrics, pd.DataFrame({"project_id": ["P1"], "name": ["Alpha"]}), latest_only=True)
    assert table["project_id"].tolist() == ["P1", "P2"]
    assert table["name"].tolist()[0] == "Alpha" and pd.isna(table["name"].iloc[1])
    assert {"cpi", "spi_t", "forecast_finish", "tasks_no_baseline", "period"} <= set(table.columns)


def test_parse_holidays():
    from datetime import date

    from pmo_analytics.metrics.working_time import parse_holidays

    assert parse_holidays("2025-01-01\n2024-12-25, 2025-01-01 nope") == (
        (date(2024, 12, 25), date(2025, 1, 1)),
        ["nope"],
    )


def test_bad_settings_are_refused():
    from pmo_analytics.errors import ConfigError

    with pytest.raises(ConfigError, match="reporting period"):
        evm.project_metrics(_tasks(), settings=Settings(period="Q"))
    with pytest.raises(ConfigError, match="EV method"):
        evm.project_metrics(_tasks(), settings=Settings(ev_method="weighted"))


def test_task_values_per_task():
    t = _tasks()
    t.loc[2, "baseline_start"] = pd.NaT
    tv = evm.task_values(t)
    assert tv["task_id"].tolist() == ["1", "2"]  # summary row left out
    # T1: 5 working days, all planned by Jan 12 -> PV 1000, EV 1000. T2: 10 days, 5 elapsed -> PV 1000, EV 500
    assert tv["working_days"].tolist() == [5, 10]
    assert tv["pv"].tolist() == pytest.approx([1000, 1000])
    assert tv["ev"].tolist() == pytest.approx([1000, 500])
    assert tv["baseline_fallback"].tolist() == [False, True]


def test_rollup_by_program_with_earned_schedule():
    t2 = _tasks()
    t2["project_id"] = "P2"
    t3 = _tasks(percent_complete=[0.0, 0.0, 0.0])
    t3["project_id"] = "P3"
    res = evm.analyse(pd.concat([_tasks(), t2, t3], ignore_index=True))
    projects = pd.DataFrame({"project_id": ["P1", "P2", "P3"], "name": list("abc"), "program": ["X", "X", "Y"]})
    rows = evm.with_project_fields(res.metrics, projects)
    out = evm.portfolio_rollup(rows, by=("status_date", "program"), curves=res.curves).set_index("program")
    # X = P1 + P2: PV 2 x 2000, EV 2 x 1500; ES on the doubled curve is P1's 1.5
    assert (out.loc["X", "pv"], out.loc["X", "ev"], out.loc["X", "es"]) == pytest.approx((4000, 3000, 1.5))
    # Y = P3, nothing earned: EV 0 -> ES 0, SPI(t) 0
    assert (out.loc["Y", "ev"], out.loc["Y", "es"], out.loc["Y", "spi_t"]) == pytest.approx((0, 0, 0))


def test_rows_without_status_date_are_ignored():
    t = _tasks()
    t.loc[1, "status_date"] = pd.NaT
    row = evm.project_metrics(t).iloc[0]
    assert row.tasks == 1 and row.bac == 2000  # only T2 remains
    assert evm.project_metrics(t.assign(status_date=pd.NaT)).empty


@pytest.mark.parametrize(("kind", "ac"), [("cumulative", [900.0, 2000.0]), ("per_period", [900.0, 600.0])])
def test_ac_from_cost_rows(kind, ac):
    # P1's tasks (PV/EV as in the two-task case) and cost rows for P1 holding AC only, weeks ending
    # Sun Jan 7 and Sun Jan 14. Cumulative AC: 900, 2000; per period 900, 600 -> 900, 1500.
    cost = pd.DataFrame(
        {"project_id": "P1", "period_end": pd.to_datetime(["2024-01-07", "2024-01-14"]), "pv": NAN, "ev": NAN, "ac": ac}
    )
    tasks = pd.concat([_tasks(status="2024-01-05"), _tasks(status="2024-01-12"), _tasks(status="2024-01-19")])
    rows = evm.project_metrics(tasks.reset_index(drop=True), evm_periods=cost)
    assert rows["status_date"].dt.strftime("%m-%d").tolist() == ["01-05", "01-12", "01-19"]
    assert set(rows["source"]) == {"tasks+evm_periods"} and set(rows["series"]) == {kind}
    # Jan 5: before the first period end -> AC unknown, CPI missing (not the tasks' 1700)
    assert math.isnan(rows["ac"].iloc[0]) and math.isnan(rows["cpi"].iloc[0])
    # Jan 12: the latest period end on or before it is Jan 7 -> AC 900; PV 2000 and EV 1500 from the tasks
    r = rows.iloc[1]
    assert (r.pv, r.ev, r.ac) == pytest.approx((2000, 1500, 900))
    assert r.cpi == pytest.approx(1500 / 900)
    assert r.eac_cpi == pytest.approx(3000 * 900 / 1500)  # 1800
    assert r.es == pytest.approx(1.5)  # schedule untouched by AC
    # Jan 19: Jan 14 -> 2000 (cumulative) or 900 + 600 (per period)
    assert rows["ac"].iloc[2] == pytest.approx(2000 if kind == "cumulative" else 1500)
    assert "AC comes from the cost rows" in present.reading(r, "en")


def test_cost_rows_without_tasks_stay_a_period_series():
    cost = pd.DataFrame({"project_id": "P7", "period_end": pd.to_datetime(["2024-01-31"]), "ac": [100.0]})
    rows = evm.project_metrics(_tasks(), evm_periods=cost)
    assert rows.set_index("project_id").loc["P7", "source"] == "evm_periods"
    assert rows.set_index("project_id").loc["P1", "source"] == "tasks"
    assert rows.set_index("project_id").loc["P1", "ac"] == 1700  # task actual cost


def test_task_curves_per_task_and_period():
    tc = evm.task_curves(_tasks())
    # summary row left out. T1 (Jan 1-5, 1000) lies in week 1; T2 (Jan 8-19, 2000, 10 working days)
    # has 5 days in week 2 (-> 1000) and all 10 by week 3 (-> 2000)
    assert tc[["task_id", "period_end"]].astype(str).values.tolist() == [
        ["1", "2024-01-07"],
        ["2", "2024-01-14"],
        ["2", "2024-01-21"],
    ]
    assert tc["pv_cum"].tolist() == pytest.approx([1000, 1000, 2000])
    # monthly with a holiday on Wed Jan 10: T2 has 9 working days, all in January
    tm = evm.task_curves(_tasks(), settings=Settings(period="M", holidays=(pd.Timestamp("2024-01-10").date(),)))
    assert tm["pv_cum"].tolist() == pytest.approx([1000, 2000])
    assert evm.task_curves(_tasks(bac=[0.0, 0.0, 0.0])).empty  # no budget anywhere: working days are not money
