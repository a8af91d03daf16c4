"""Schedule risk (metrics.schedule_risk) against known answers: closed-form triangular moments,
the product rule of parallel paths, zero bands = the CPM finish, a certain risk event, and the
PERT worked example of Wikipedia's "Program evaluation and review technique" article.

Expected values are computed by hand in the comments (never with the code under test)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from pmo_analytics import demo
from pmo_analytics.metrics import cpm, cpm_vector
from pmo_analytics.metrics import schedule_risk as sr
from pmo_analytics.settings import Settings

K = 20_000
START = np.datetime64("2026-01-05")  # a Monday


def _plan(spec: list[tuple], *, baseline: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Tasks and FS links from ``(id, optimistic, likely, pessimistic, predecessors)``; planned
    dates from a forward pass of the likely durations on Mon-Fri (test scaffolding); a ``None``
    likely marks a finish milestone."""
    ef: dict[str, int] = {}
    rows, links = [], []
    for tid, o, m, p, preds in spec:
        es = max((ef[q] for q in preds), default=0)
        d = 0 if m is None else m
        ef[tid] = es + d
        start = np.busday_offset(START, es, roll="forward")
        finish = np.busday_offset(START, max(es + d - 1, es - 1 if d == 0 else es), roll="forward")
        rows.append(
            {
                "project_id": "P",
                "task_id": tid,
                "name": f"Task {tid}",
                "start": pd.Timestamp(start),
                "finish": pd.Timestamp(finish),
                "percent_complete": 0.0,
                "is_milestone": m is None,
                "is_summary": False,
                "status_date": pd.Timestamp("2026-01-02"),
                "baseline_finish": pd.Timestamp(baseline) if baseline and m is None else pd.NaT,
                "duration_optimistic": o,
                "duration_likely": m,
                "duration_pessimistic": p,
            }
        )
        links += [
            {"project_id": "P", "pred_task_id": q, "succ_task_id": tid, "type": "FS", "lag_days": 0} for q in preds
        ]
    projects = pd.DataFrame(
        [{"project_id": "P", "bac": 1000.0, "baseline_finish": pd.Timestamp(baseline) if baseline else pd.NaT}]
    )
    return pd.DataFrame(rows), pd.DataFrame(links), projects


def _run(tasks, links, projects=None, risks=None, **opt) -> sr.ProjectRisk:
    options = sr.RiskOptions(**{"iterations": K, **opt})
    return sr.simulate(tasks, links, risks, projects, options=options)["P"]


def test_single_chain_of_triangular_durations():
    # A (2,4,9) -> B (3,5,7) -> C (1,6,8), triangular. Mean (a+m+b)/3: 5 + 5 + 5 = 15.
    # Variance (a²+b²+m²-ab-am-bm)/18: A (4+81+16-18-8-36)/18 = 39/18, B (9+49+25-21-15-35)/18
    # = 12/18, C (1+64+36-8-6-48)/18 = 39/18; total 90/18 = 5.0.
    # A and C are mirror images and B is symmetric, so the sum is symmetric: median 15.
    # The plan uses the likely durations, 4 + 5 + 6 = 15 days, so finish_days = sum - 15.
    tasks, links, projects = _plan([("A", 2, 4, 9, []), ("B", 3, 5, 7, ["A"]), ("C", 1, 6, 8, ["B"])])
    r = _run(tasks, links, projects)
    total = r.finish_days + 15
    se = np.sqrt(5.0 / K)  # 0.0158
    assert abs(total.mean() - 15.0) < 4 * se
    assert abs(total.var() - 5.0) < 0.25  # SE of the variance ~ 5 x sqrt(2/K) = 0.05
    assert abs(np.median(total) - 15.0) < 4 * 1.2533 * se  # SE of the median
    # the plan: 15 working days from Monday 2026-01-05 -> Friday 2026-01-23
    assert r.cpm_finish == date(2026, 1, 23)
    assert r.p50 in (date(2026, 1, 23), date(2026, 1, 26))  # continuous median within a day of 15
    assert r.p50 <= r.p80 <= r.p90
    # a chain: every task is critical in every iteration
    assert r.tasks.set_index("task_id")["criticality_index"].to_dict() == {"A": 1.0, "B": 1.0, "C": 1.0}
    assert set(r.tasks["estimate"]) == {"three_point"}


def test_parallel_paths_multiply():
    # X (4,6,10) and Y (5,6,8) both from the start into finish milestone M.
    # P(X <= 7) = 1 - (10-7)² / ((10-4)(10-6)) = 1 - 9/24 = 0.625
    # P(Y <= 7) = 1 - (8-7)² / ((8-5)(8-6)) = 1 - 1/6 = 0.8333
    # P(max <= 7) = 0.625 x 0.8333 = 0.5208 (merge bias: below either path's own chance).
    # 7 working days from Monday 2026-01-05 end on Tuesday 2026-01-13: the baseline finish.
    tasks, links, projects = _plan(
        [("X", 4, 6, 10, []), ("Y", 5, 6, 8, []), ("M", None, None, None, ["X", "Y"])], baseline="2026-01-13"
    )
    r = _run(tasks, links, projects)
    longest = r.finish_days + 6  # the plan: both 6 days
    se = np.sqrt(0.5208 * 0.4792 / K)  # 0.0035
    assert abs(np.mean(longest <= 7 + 1e-9) - 0.5208) < 4 * se
    assert abs(r.prob_on_time - 0.5208) < 4 * se
    ms = r.milestones.set_index("task_id")
    assert ms.loc["M", "target_kind"] == "baseline"
    assert abs(ms.loc["M", "probability"] - 0.5208) < 4 * se
    ci = r.tasks.set_index("task_id")["criticality_index"]
    assert ci["M"] == 1.0
    assert 0.99 < ci["X"] + ci["Y"] < 1.01  # one of them drives the milestone (ties have no weight)


def test_criticality_of_a_fixed_and_a_symmetric_path():
    # X fixed at 6 days, Y triangular (4,6,8) symmetric around 6: Y drives half the time.
    tasks, links, projects = _plan([("X", 6, 6, 6, []), ("Y", 4, 6, 8, []), ("M", None, None, None, ["X", "Y"])])
    r = _run(tasks, links, projects)
    ci = r.tasks.set_index("task_id")["criticality_index"]
    se = np.sqrt(0.25 / K)
    assert abs(ci["Y"] - 0.5) < 4 * se
    assert abs(ci["X"] - 0.5) < 4 * se
    sens = r.tasks.set_index("task_id")["sensitivity"]
    assert np.isnan(sens["X"])  # no spread, no correlation
    assert sens["Y"] > 0.5


def test_zero_band_gives_the_cpm_finish_on_the_demo():
    t = demo.demo_tables(3)
    tasks, links = pd.DataFrame(t["tasks"]), pd.DataFrame(t["links"])
    tasks = tasks.drop(columns=[c for c in tasks.columns if c.startswith("duration_")])
    res = sr.simulate(
        tasks, links, None, pd.DataFrame(t["projects"]), options=sr.RiskOptions(iterations=50, band_low=0, band_high=0)
    )
    cp = cpm.cpm(tasks, links)
    assert len(res) >= 10
    for pid, r in res.items():
        finish = pd.Timestamp(cp[cp["project_id"] == pid]["early_finish"].max()).date()
        assert r.cpm_finish == finish
        assert r.p50 == r.p80 == r.p90 == finish, pid
        assert r.prob_on_time in (None, 0.0, 1.0)


def test_vector_passes_equal_the_cpm_passes_on_the_demo():
    # the sampled passes with every sample at its plan value give cpm's own dates and floats
    for snap in (0, 3):
        t = demo.demo_tables(snap)
        for remaining in ("percent", "forecast"):
            for pid, sch in cpm.schedules(
                pd.DataFrame(t["tasks"]), pd.DataFrame(t["links"]), remaining=remaining
            ).items():
                p = cpm_vector.plan(sch.net)
                e = cpm_vector.forward(p, p.base_duration[:, None])
                w = p.work
                np.testing.assert_array_equal(e[w, 0], sch.es[w], err_msg=pid)
                np.testing.assert_array_equal(e[w + p.n, 0], sch.ef[w], err_msg=pid)
                np.testing.assert_allclose(cpm_vector.backward(p, e)[:, 0], sch.tf, atol=1e-9, err_msg=pid)


def test_a_certain_risk_shifts_the_finish_by_its_impact():
    # chain A(4) -> B(5) -> C(6), no spread: finish Friday 2026-01-23. A threat with
    # probability 1 delaying B by 3 working days: Wednesday 2026-01-28 in every iteration.
    tasks, links, projects = _plan([("A", 4, 4, 4, []), ("B", 5, 5, 5, ["A"]), ("C", 6, 6, 6, ["B"])])
    risks = pd.DataFrame(
        [
            {"project_id": "P", "risk_id": "R1", "title": "Late permit", "probability": 1.0, "impact_cost": 500.0,
             "status": "Open", "task_ids": ["B"], "impact_days": 3.0},
            {"project_id": "P", "risk_id": "R2", "title": "Closed one", "probability": 1.0, "impact_cost": 0.0,
             "status": "Closed", "task_ids": ["A"], "impact_days": 10.0},
        ]
    )  # fmt: skip
    r = _run(tasks, links, projects, risks, iterations=200)
    assert r.cpm_finish == date(2026, 1, 23)
    assert r.p50 == r.p80 == r.p90 == date(2026, 1, 28)
    assert list(r.risks["risk_id"]) == ["R1"]
    # cost: EAC = BAC 1000; the remaining 1000 over 15 days (status date before the start: 15
    # working days from Jan 5 to Jan 23) = 66.67/day; +3 days = 200, + impact cost 500 -> 1700
    assert r.cost is not None
    assert r.cost.burn_rate == pytest.approx(1000 / 15)
    assert r.cost.eac_p80 == pytest.approx(1000 + 3 * 1000 / 15 + 500)


def test_pert_worked_example():
    # Wikipedia, "Program evaluation and review technique", example: (optimistic, most likely,
    # pessimistic) A (2,4,6), B (3,5,9), C (4,5,7), D (4,6,10), E (4,5,7), F (3,4,8), G (3,5,8);
    # C, D after A; E after B and C; F after D; G after E. Expected times te = (o+4m+p)/6:
    # A 4, B 5.33, C 5.17, D 6.33, E 5.17, F 4.5, G 5.17; critical path A-C-E-G = 4 + 3 x 31/6 = 19.5
    # (the article rounds to 19.51). PERT-beta samples have mean te, so the simulated mean finish
    # is 19.5 (the other paths, 14.83 and 15.67, almost never drive it). Variance (te-o)(p-te)/7:
    # A 4x2/7... = 2*2/7 = 0.571, C 1.167x1.833/7 = 0.306, E 0.306, G 2.167x2.833/7 = 0.877; sum 2.06.
    spec = [
        ("A", 2, 4, 6, []),
        ("B", 3, 5, 9, []),
        ("C", 4, 5, 7, ["A"]),
        ("D", 4, 6, 10, ["A"]),
        ("E", 4, 5, 7, ["B", "C"]),
        ("F", 3, 4, 8, ["D"]),
        ("G", 3, 5, 8, ["E"]),
    ]
    tasks, links, projects = _plan(spec)
    r = _run(tasks, links, projects, distribution="pert")
    total = r.finish_days + 19  # the plan on likely durations: 4 + 5 + 5 + 5 = 19 days
    se = np.sqrt(2.06 / K)  # 0.0101
    assert abs(total.mean() - 19.5) < 5 * se
    assert abs(total.var() - 2.06) < 0.15
    ci = r.tasks.set_index("task_id")["criticality_index"]
    assert ci["A"] > 0.99 and ci["G"] > 0.99 and ci["F"] < 0.01


def test_same_seed_same_output_and_ordered_percentiles():
    t = demo.demo_tables(2)
    args = (pd.DataFrame(t["tasks"]), pd.DataFrame(t["links"]), pd.DataFrame(t["risks"]), pd.DataFrame(t["projects"]))
    a = sr.simulate(*args, options=sr.RiskOptions(iterations=300, seed=7))
    b = sr.simulate(*args, options=sr.RiskOptions(iterations=300, seed=7))
    c = sr.simulate(*args, options=sr.RiskOptions(iterations=300, seed=8))
    assert a.keys() == b.keys()
    assert any(not np.array_equal(a[p].finish_days, c[p].finish_days) for p in a)
    for pid in a:
        assert a[pid].as_json() == b[pid].as_json()
        np.testing.assert_array_equal(a[pid].finish_days, b[pid].finish_days)
        r = a[pid]
        assert r.p50 <= r.p80 <= r.p90
        ci = r.tasks["criticality_index"].dropna()
        assert ((ci >= 0) & (ci <= 1)).all()


def test_chunks_bound_memory_and_change_nothing_but_the_stream():
    tasks, links, projects = _plan([("A", 2, 4, 9, []), ("B", 3, 5, 7, ["A"])])
    r = _run(tasks, links, projects, iterations=1000, chunk=64)
    assert r.iterations == 1000 and len(r.finish_days) == 1000
    per_chunk = 5000 * 8 * sr.ARRAYS_PER_CHUNK * sr.WORKERS
    assert sr._chunk_size(5000, sr.RiskOptions()) * per_chunk <= sr.MEMORY_BUDGET < 2**30


def test_options_from_settings_and_bad_values():
    s = Settings().with_(risk_band_low=0.2, risk_band_high=0.5, risk_distribution="pert")
    o = sr.RiskOptions.from_settings(s, iterations=100)
    assert (o.band_low, o.band_high, o.distribution, o.iterations, o.seed) == (0.2, 0.5, "pert", 100, sr.DEFAULT_SEED)
    with pytest.raises(ValueError, match="distribution"):
        sr.RiskOptions(distribution="normal").check()


def test_project_p80_for_the_deck():
    # with its defaults, the same P80 as the page's/CLI's simulation (settings' band, 10,000 runs, fixed seed)
    t = demo.demo_tables(3)
    frames = {k: pd.DataFrame(t[k]) for k in ("tasks", "links", "risks", "projects")}
    p80 = sr.project_p80("PRJ-101", **frames)
    assert isinstance(p80, date)
    page = sr.simulate(frames["tasks"], frames["links"], frames["risks"], frames["projects"], project_ids=["PRJ-101"])
    assert p80 == page["PRJ-101"].p80
    assert sr.project_p80("NOPE", tasks=frames["tasks"]) is None


def test_the_report_workbook_sheet():
    import io

    import openpyxl

    from pmo_analytics import report_workbook as rw

    tasks, links, projects = _plan([("A", 4, 4, 4, []), ("B", 5, 5, 5, ["A"])], baseline="2026-01-16")
    projects["name"] = "Plan"
    frame = sr.summary_frame(sr.simulate(tasks, links, None, projects, options=sr.RiskOptions(iterations=50)), projects)
    wb = openpyxl.load_workbook(io.BytesIO(rw.portfolio_report(projects=projects, schedule_risk=frame)))
    ws = wb["Schedule risk"]
    headers = [c.value for c in ws[4]]
    assert headers[:3] == ["Project ID", "Name", "CPM finish"] and "P80" in headers
    row = dict(zip(headers, [c.value for c in ws[5]], strict=True))
    # 4 + 5 = 9 working days from Mon 5 Jan 2026: Thu 15 Jan; -10 %/+25 % bands: P80 after it
    assert row["CPM finish"].date() == date(2026, 1, 15)
    assert row["P80"].date() >= date(2026, 1, 15)
    assert row["Chance on time"] is not None
