"""Property tests for the earned value engine (hypothesis), and the fast phasing algorithm
against a naive task x period oracle."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_analytics.metrics import evm
from pmo_analytics.settings import Settings

# amounts: zero or at least a cent (denormal amounts are not money)
money = st.one_of(st.just(0.0), st.floats(min_value=0.01, max_value=1e9, allow_nan=False, allow_infinity=False))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.lists(st.tuples(money, money, money, money), min_size=1, max_size=12), st.integers(1, 3))
def test_rollup_equals_sum_of_projects(values, n_dates):
    rows = pd.DataFrame(
        [
            {"project_id": f"P{i}", "status_date": pd.Timestamp("2024-01-05") + pd.Timedelta(days=7 * (i % n_dates))}
            | dict(zip(("pv", "ev", "ac", "bac"), v, strict=True))
            for i, v in enumerate(values)
        ]
    )
    out = evm.portfolio_rollup(rows)
    for _, r in out.iterrows():
        part = rows[rows["status_date"] == r["status_date"]]
        for k in ("pv", "ev", "ac", "bac"):
            assert r[k] == pytest.approx(part[k].sum(), rel=1e-12, abs=1e-6)
        if part["ac"].sum() > 0:
            assert r["cpi"] == pytest.approx(part["ev"].sum() / part["ac"].sum(), rel=1e-12)
        else:
            assert np.isnan(r["cpi"])
        assert r["projects"] == len(part)


@FAST
@given(
    st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=30),
    st.floats(0, 3e7, allow_nan=False),
    st.floats(0, 3e7, allow_nan=False),
)
def test_es_non_decreasing_in_ev_and_never_above_pd(increments, ev1, ev2):
    pv = np.cumsum(increments)
    lo, hi = sorted((ev1, ev2))
    a = evm.earned_schedule(pv, lo, at=1)
    b = evm.earned_schedule(pv, hi, at=1)
    assert a["es"] <= b["es"] + 1e-9
    assert 0 <= a["es"] <= a["pd"] and b["es"] <= b["pd"]
    assert a["pd"] <= len(pv)


@FAST
@given(st.lists(st.tuples(money, money), min_size=1, max_size=20))
def test_cpi_is_ev_over_ac_where_ac_positive(pairs):
    df = pd.DataFrame(pairs, columns=["ev", "ac"])
    df["pv"] = 1.0
    df["bac"] = 1.0
    out = evm.add_indices(df)
    for ev, ac, cpi in zip(df["ev"], df["ac"], out["cpi"], strict=True):
        if ac > 0:
            assert cpi == pytest.approx(ev / ac, rel=1e-12)
        else:
            assert np.isnan(cpi)
    assert not np.isinf(out.select_dtypes("number").to_numpy()).any()


# ------------------------------------------------------------------ oracle for time phasing
def _naive_pv(tasks: pd.DataFrame, ends: list[date], holidays=()) -> list[float]:
    """Brute force: for every period end and every task, working days elapsed / working days."""
    hol = np.array(holidays, dtype="datetime64[D]")
    out = []
    for e in ends:
        total = 0.0
        for r in tasks.itertuples():
            s, f = np.datetime64(r.baseline_start.date()), np.datetime64(r.baseline_finish.date())
            n = np.busday_count(s, f + 1, holidays=hol)
            if n == 0:
                total += r.bac if np.datetime64(e) >= f else 0.0
                continue
            done = np.busday_count(s, min(np.datetime64(e), f) + 1, holidays=hol) if np.datetime64(e) >= s else 0
            total += r.bac * done / n
        out.append(total)
    return out


task_rows = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 30), st.floats(0, 1e5, allow_nan=False)), min_size=1, max_size=12
)


@settings(max_examples=40, deadline=None)
@given(task_rows, st.sampled_from(["D", "W", "M"]), st.booleans())
def test_phasing_matches_naive_oracle(rows, period, with_holiday):
    base = date(2024, 1, 3)
    holidays = (date(2024, 1, 10), date(2024, 2, 1)) if with_holiday else ()
    tasks = pd.DataFrame(
        {
            "project_id": "P",
            "task_id": [str(i) for i in range(len(rows))],
            "name": "t",
            "start": [pd.Timestamp(base + timedelta(days=a)) for a, _, _ in rows],
            "finish": [pd.Timestamp(base + timedelta(days=a + d)) for a, d, _ in rows],
            "bac": [b for _, _, b in rows],
            "percent_complete": 0.5,
            "status_date": pd.Timestamp("2024-02-15"),
        }
    )
    tasks["baseline_start"] = tasks["start"]
    tasks["baseline_finish"] = tasks["finish"]
    res = evm.analyse(tasks, settings=Settings(period=period, holidays=holidays))
    if tasks["bac"].sum() == 0:
        assert res.metrics["budget_basis"].iloc[0] == "duration"
        return
    curve = res.curves
    want = _naive_pv(tasks, [d.date() for d in curve["period_end"]], holidays)
    assert curve["pv_cum"].tolist() == pytest.approx(want, rel=1e-9, abs=1e-6)
    assert curve["pv_cum"].iloc[-1] == pytest.approx(tasks["bac"].sum(), rel=1e-9)
    # per-task curves, each read at its last period end on or before e (0 before its first), sum to the oracle
    tc = evm.task_curves(tasks, settings=Settings(period=period, holidays=holidays))
    for e, w in zip(curve["period_end"], want, strict=True):
        upto = tc[tc["period_end"] <= e].groupby("task_id")["pv_cum"].last()
        assert upto.sum() == pytest.approx(w, rel=1e-9, abs=1e-6)
    # PV at the status date by the same oracle
    row = res.metrics.iloc[0]
    assert row["pv"] == pytest.approx(_naive_pv(tasks, [date(2024, 2, 15)], holidays)[0], rel=1e-9, abs=1e-6)
    # the vectorised ES on the engine's curve equals the scalar one
    scalar = evm.earned_schedule(curve["pv_cum"].to_numpy(), row["ev"], at=row["at"], pd=row["pd"])
    assert row["es"] == pytest.approx(scalar["es"], rel=1e-9, abs=1e-9)
