"""Lessons register (search, filters, ids) and closed-project benchmarks with hand-computed values."""

from __future__ import annotations

import pandas as pd
import pytest

from pmo_analytics.charts.weekly import benchmark_figure
from pmo_analytics.metrics import lessons as L


def register() -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(project_id="P1", lesson_id="L-001", phase="Planning", category="Vendor", what_happened="Vendor contract signed late", recommendation="Start procurement a month earlier", owner="Ann"),
            dict(project_id="P1", lesson_id="L-007", phase="Build", category="Technical", what_happened="Test data arrived late", recommendation="Ask for masked data at kick-off", owner="Ann"),
            dict(project_id="P2", lesson_id="X-9", phase="Planning", category="Vendor", what_happened="合同审批耗时三周", recommendation="提前准备合同模板", owner="陈晨"),
            dict(project_id="P2", lesson_id="L-002", phase="Closure", category=None, what_happened="Handover went well", recommendation=None, owner=None),
        ]
    )  # fmt: skip


def test_search_every_word_in_any_column():
    r = register()
    assert L.search_lessons(r, "vendor LATE")["lesson_id"].tolist() == ["L-001"]  # "vendor" in category/text, "late"
    assert L.search_lessons(r, "late")["lesson_id"].tolist() == ["L-001", "L-007"]
    assert L.search_lessons(r, "合同")["lesson_id"].tolist() == ["X-9"]
    assert len(L.search_lessons(r, "")) == 4
    # the project name counts too
    assert L.search_lessons(r, "beta", names={"P2": "Beta portal"})["project_id"].unique().tolist() == ["P2"]


def test_filters():
    r = register()
    assert L.search_lessons(r, phases=["Planning"])["lesson_id"].tolist() == ["L-001", "X-9"]
    assert L.search_lessons(r, categories=["Vendor"], project_ids=["P2"])["lesson_id"].tolist() == ["X-9"]
    assert L.search_lessons(r, "late", categories=["Vendor"])["lesson_id"].tolist() == ["L-001"]
    assert L.facets(r) == {"phase": ["Build", "Closure", "Planning"], "category": ["Technical", "Vendor"]}


def test_next_lesson_id():
    r = register()
    assert L.next_lesson_id(r, "P1") == "L-008"  # one above L-007
    assert L.next_lesson_id(r, "P2") == "L-003"  # X-9 is not an L-number
    assert L.next_lesson_id(None, "P9") == "L-001"


def metrics() -> pd.DataFrame:
    def m(pid, sd, cpi, spi_t, completed=None, plan_finish=None, forecast=None):
        return dict(
            project_id=pid, status_date=pd.Timestamp(sd), cpi=cpi, spi_t=spi_t,
            completed=pd.Timestamp(completed) if completed else pd.NaT,
            plan_finish=pd.Timestamp(plan_finish) if plan_finish else pd.NaT,
            forecast_finish=pd.Timestamp(forecast) if forecast else pd.NaT,
        )  # fmt: skip

    return pd.DataFrame(
        [
            m("C1", "2025-05-31", 0.80, 0.90),
            m("C1", "2025-06-30", 0.90, 0.95),  # the final row counts
            m("C2", "2025-05-31", 1.05, 0.98, completed="2025-05-05", plan_finish="2025-05-01"),
            m("C3", "2025-03-31", 0.95, 1.00),
            m("X", "2025-03-31", 0.50, 0.50),
            m("LIVE", "2025-06-30", 0.92, 0.90, plan_finish="2025-07-25", forecast="2025-08-20"),
        ]
    )


def projects() -> pd.DataFrame:
    def p(pid, status, finish=None, base=None):
        return dict(
            project_id=pid, name=f"Project {pid}", status=status, status_date=pd.Timestamp("2025-06-30"),
            finish=pd.Timestamp(finish) if finish else pd.NaT, baseline_finish=pd.Timestamp(base) if base else pd.NaT,
        )  # fmt: skip

    return pd.DataFrame(
        [
            p("C1", "Closed", "2025-06-30", "2025-06-10"),
            p("C2", "已关闭"),
            p("C3", "Completed", "2025-03-01", "2025-03-11"),
            p("X", "Cancelled", "2025-03-31", "2025-01-31"),
            p("LIVE", "Active", "2025-08-20", "2025-08-01"),
        ]
    )


def test_closed_outcomes():
    o = L.closed_outcomes(metrics(), projects()).set_index("project_id")
    assert list(o.index) == ["C1", "C2", "C3"]  # cancelled and active projects are not benchmarks
    assert o.loc["C1", ["final_cpi", "final_spi_t"]].tolist() == [0.90, 0.95]
    # C1: 30 Jun - 10 Jun = 20 days late; C2 (no project dates): completed 5 May - plan 1 May = 4; C3: 1 Mar - 11 Mar = -10
    assert o["finish_slip_days"].tolist() == [20.0, 4.0, -10.0]


def test_benchmark_stats_quantiles():
    s = L.benchmark_stats(L.closed_outcomes(metrics(), projects())).set_index("stat")
    # CPI sorted 0.90, 0.95, 1.05: p25 at position 0.5 -> 0.90 + 0.5 x 0.05 = 0.925; p75 at 1.5 -> 0.95 + 0.5 x 0.10 = 1.00
    assert s.loc["final_cpi", ["n", "min", "p25", "median", "p75", "max"]].tolist() == pytest.approx(
        [3, 0.9, 0.925, 0.95, 1.0, 1.05]
    )
    # slip sorted -10, 4, 20: p25 = -10 + 0.5 x 14 = -3, median 4, p75 = 4 + 0.5 x 16 = 12
    assert s.loc["finish_slip_days", ["p25", "median", "p75"]].tolist() == pytest.approx([-3, 4, 12])


def test_live_project_beside_the_benchmarks():
    outcomes = L.closed_outcomes(metrics(), projects())
    live = L.live_values(metrics(), projects(), "LIVE")
    # forecast 20 Aug - baseline finish 1 Aug = 19 days
    assert live == pytest.approx({"final_cpi": 0.92, "final_spi_t": 0.90, "finish_slip_days": 19.0})
    cmp = L.live_comparison(live, outcomes).set_index("stat")
    # closed at or below: CPI 0.92 -> {0.90} = 1/3; SPI(t) 0.90 -> none; slip 19 -> {-10, 4} = 2/3
    assert cmp["share_at_or_below"].tolist() == pytest.approx([1 / 3, 0.0, 2 / 3])
    assert cmp.loc["final_cpi", "median"] == pytest.approx(0.95)
    fig = benchmark_figure(outcomes, live, "en", live_label="<b>LIVE</b>")
    names = {tr.name for tr in fig.data}
    assert "&lt;b&gt;LIVE&lt;/b&gt;" in names and len(fig.data) == 6


def test_no_statistics_of_one_closed_project():
    """One closed project (C1 only; C2, C3 made active): n = 1 and no quartiles, min/max or
    median drawn from that one point; the live project's comparison has no median or share."""
    p = projects()
    p["status"] = p["project_id"].map(lambda i: "Closed" if i == "C1" else "Active")
    outcomes = L.closed_outcomes(metrics(), p)
    assert outcomes["project_id"].tolist() == ["C1"]
    s = L.benchmark_stats(outcomes).set_index("stat")
    assert s["n"].tolist() == [1, 1, 1]
    assert s[["min", "p25", "median", "p75", "max"]].isna().all().all()
    cmp = L.live_comparison({"final_cpi": 0.92, "final_spi_t": 0.90, "finish_slip_days": 19.0}, outcomes)
    assert cmp["median"].isna().all() and cmp["share_at_or_below"].isna().all()
    assert cmp["live_value"].tolist() == pytest.approx([0.92, 0.90, 19.0])  # the live values themselves stay
    # two closed projects (C1, C3) are enough: CPI 0.90, 0.95 -> median 0.925
    two = L.closed_outcomes(metrics(), p.assign(status=p["status"].where(p["project_id"] != "C3", "Closed")))
    assert L.benchmark_stats(two).set_index("stat").loc["final_cpi", "median"] == pytest.approx(0.925)


def test_no_closed_projects():
    p = projects().assign(status="Active")
    assert L.closed_outcomes(metrics(), p).empty
    assert L.benchmark_stats(L.closed_outcomes(metrics(), p))["n"].tolist() == [0, 0, 0]


@pytest.mark.parametrize(("lang", "sheet"), [("en", "Lessons"), ("zh", "经验教训")])
def test_blank_lessons_sheet_round_trips(lang, sheet):
    import io

    import openpyxl

    from pmo_analytics.ingest import parse_bytes
    from pmo_analytics.weekly import blank_sheet_bytes

    wb = openpyxl.load_workbook(io.BytesIO(blank_sheet_bytes("lessons", lang)))
    assert wb.sheetnames == [sheet]
    wb[sheet].append(["P1", "L-001", "Build", "Vendor", "Contract late", "Start early", "Ann", "2025-03-10"])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = parse_bytes(f"lessons_{lang}.xlsx", buf.getvalue())
    assert parsed.errors == [] and parsed.source_format == "template"
    row = parsed.tables["lessons"].iloc[0]
    assert (row["lesson_id"], row["what_happened"], row["date"]) == (
        "L-001",
        "Contract late",
        pd.Timestamp("2025-03-10"),
    )
