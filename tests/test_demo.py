"""The demo portfolio: imported through the user's path with zero rejected rows, the intended
shape and health, deterministic, idempotent."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from pmo_analytics import demo
from pmo_analytics.ingest import parse_path
from pmo_analytics.schema import TABLES
from pmo_analytics.store import Store, close_all

LATEST = demo.DEMO_STATUS_DATES[-1]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The demo written to a temporary folder and imported once into a fresh store."""
    root = tmp_path_factory.mktemp("demo")
    store = Store(root / "demo.duckdb")
    calls: list[tuple[float, str]] = []
    results = demo.build_demo(store, root / "files", progress=lambda f, msg: calls.append((f, msg)))
    yield store, results, root / "files", calls
    close_all()


def _frame(store: Store, table: str, **kw) -> pd.DataFrame:
    return store.table(table, **kw)


# ---------------------------------------------------------------------------- import


def test_build_imports_four_files_with_no_rejected_rows(built):
    store, results, folder, calls = built
    assert [r.status_date for r in results] == list(demo.DEMO_STATUS_DATES)
    assert [r.source_name for r in results] == [f"portfolio_{d.isoformat()}.xlsx" for d in demo.DEMO_STATUS_DATES]
    assert all(r.source_format == "template" for r in results)
    assert all(r.rows_rejected == 0 and r.rows_loaded == r.rows_in > 4000 for r in results)
    # every table of the template (calendars come only from schedule files)
    assert all(set(r.entities.split(",")) == set(TABLES) - {"calendars"} for r in results)
    assert sorted(p.name for p in folder.iterdir()) == [demo.demo_file_name(d) for d in demo.DEMO_STATUS_DATES]
    assert store.status_dates() == list(demo.DEMO_STATUS_DATES)
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_files_parse_cleanly_with_their_status_date_in_the_name(built):
    _, _, folder, _ = built
    for d in demo.DEMO_STATUS_DATES:
        path = folder / demo.demo_file_name(d)
        assert demo.status_date_from_name(path) == d
        assert path.stat().st_size < 400_000
    parsed = parse_path(folder / demo.demo_file_name(LATEST))
    assert parsed.problems == [] and parsed.notes == []  # no unused column, no ambiguity


def test_counts_are_as_intended(built):
    store = built[0]
    projects = _frame(store, "projects")
    assert len(projects) == 12 and projects["project_id"].is_unique
    assert projects["program"].nunique() == 3 and projects["portfolio"].nunique() == 1
    assert set(projects["department"]) == {"IT", "Finance", "HR", "Operations", "Marketing"}
    assert set(projects["currency"]) == {"CNY", "USD"}
    assert projects["name"].str.contains(r"[\u4e00-\u9fff]").sum() >= 3  # some Chinese names

    tasks = _frame(store, "tasks", current=False)
    per_date = tasks.groupby("status_date").size()
    assert len(per_date) == 4 and per_date.between(1400, 1600).all()
    assert per_date.iloc[-1] > per_date.iloc[0]  # change requests added in later snapshots

    risks = _frame(store, "risks")
    assert 55 <= len(risks) <= 70 and risks["project_id"].nunique() == 12
    people = _frame(store, "assignments")
    assert people["person"].nunique() == 25
    items = _frame(store, "work_items")
    assert items["project_id"].nunique() == 4 and len(items) > 400
    periods = _frame(store, "evm_periods")
    assert set(periods["project_id"]) == {"PRJ-109"} and len(periods) >= 12


def test_one_closed_project_is_complete(built):
    store = built[0]
    projects = _frame(store, "projects")
    closed = projects.loc[projects["status"] == "Closed", "project_id"].tolist()
    assert closed == [pid for pid, h in demo.DEMO_HEALTH.items() if h == "closed"] == ["PRJ-108"]
    tasks = _frame(store, "tasks", projects=closed)
    assert (tasks["percent_complete"] == 1.0).all()
    work = tasks[~tasks["is_summary"].astype(bool)]
    assert work["actual_finish"].notna().all()
    assert (work["actual_finish"] <= pd.Timestamp(demo.DEMO_STATUS_DATES[0])).all()


# ---------------------------------------------------------------------------- intended health


def _indices(tasks: pd.DataFrame, status_date: date) -> pd.DataFrame:
    """CPI and SPI per project computed directly from the task rows: PV spreads each task's
    budget linearly over its baseline working days (both ends included), EV = budget x %
    complete, AC = actual cost; sums per project first, then the ratios."""
    work = tasks[~tasks["is_summary"].astype(bool) & (tasks["bac"].fillna(0) > 0)].copy()
    work["pv"] = 0.0  # tasks added after baselining have no baseline and no planned value
    based = work["baseline_start"].notna()
    bs = work.loc[based, "baseline_start"].values.astype("datetime64[D]")
    bf = work.loc[based, "baseline_finish"].values.astype("datetime64[D]")
    dur = np.busday_count(bs, bf + 1)
    done = np.busday_count(bs, np.datetime64(status_date + timedelta(days=1)))
    work.loc[based, "pv"] = work.loc[based, "bac"] * np.clip(done / dur, 0, 1)
    work["ev"] = work["bac"] * work["percent_complete"]
    sums = work.groupby("project_id")[["pv", "ev", "actual_cost"]].sum()
    return pd.DataFrame({"cpi": sums["ev"] / sums["actual_cost"], "spi": sums["ev"] / sums["pv"]})


def test_projects_show_the_intended_health(built):
    store = built[0]
    idx = _indices(_frame(store, "tasks"), LATEST)
    for pid, health in demo.DEMO_HEALTH.items():
        cpi, spi = idx.loc[pid, "cpi"], idx.loc[pid, "spi"]
        if health == "healthy":
            assert cpi >= 0.95 and spi >= 0.95, (pid, cpi, spi)
        if "late" in health:
            assert spi < 0.85, (pid, spi)
        if "over budget" in health:
            assert cpi < 0.85, (pid, cpi)
        if health == "late":
            assert cpi >= 0.85, (pid, cpi)
        if health == "over budget":
            assert spi >= 0.85, (pid, spi)
        if health == "watch":
            assert 0.85 <= cpi < 0.95 and 0.85 <= spi < 0.95, (pid, cpi, spi)
    assert {"late", "over budget", "healthy", "closed"} <= set(demo.DEMO_HEALTH.values())


def test_later_snapshots_advance_progress_cost_and_slip_late_projects(built):
    store = built[0]
    tasks = _frame(store, "tasks", current=False)
    work = tasks[~tasks["is_summary"].astype(bool)].assign(ev=lambda f: f["bac"] * f["percent_complete"])
    sums = work.groupby(["project_id", "status_date"])[["ev", "actual_cost"]].sum()
    for pid, g in sums.groupby(level=0):
        assert g["ev"].is_monotonic_increasing and g["actual_cost"].is_monotonic_increasing, pid
        if pid != "PRJ-108":
            assert g["ev"].iloc[-1] > g["ev"].iloc[0], pid
    projects = _frame(store, "projects", current=False).pivot(
        index="project_id", columns="status_date", values="finish"
    )
    for pid, health in demo.DEMO_HEALTH.items():
        if "late" in health:
            assert projects.loc[pid].iloc[-1] > projects.loc[pid].iloc[0], pid  # forecast slips further
    # A finished task keeps its actual dates and cost from one snapshot to the next.
    first, last = (work[work["status_date"] == pd.Timestamp(d)] for d in (demo.DEMO_STATUS_DATES[0], LATEST))
    done = first[first["percent_complete"] == 1].set_index(["project_id", "task_id"])
    later = last.set_index(["project_id", "task_id"]).loc[done.index]
    assert (later["actual_finish"] == done["actual_finish"]).all()
    assert np.allclose(later["actual_cost"], done["actual_cost"])
    # Tasks added after baselining have no baseline.
    added = last.set_index(["project_id", "task_id"]).index.difference(first.set_index(["project_id", "task_id"]).index)
    assert len(added) >= 6
    assert last.set_index(["project_id", "task_id"]).loc[added, "baseline_start"].isna().all()


def test_task_dates_and_progress_are_consistent(built):
    store = built[0]
    tasks = _frame(store, "tasks", current=False)
    status = tasks["status_date"]
    assert (tasks["finish"] >= tasks["start"]).all()
    assert (tasks["actual_start"].isna() | (tasks["actual_start"] <= status)).all()
    assert (tasks["actual_finish"].isna() | (tasks["actual_finish"] <= status)).all()
    pct = tasks["percent_complete"]
    assert ((pct > 0) == tasks["actual_start"].notna()).all()
    assert ((pct == 1) == tasks["actual_finish"].notna()).all()
    in_progress = (pct > 0) & (pct < 1)
    assert (tasks.loc[in_progress, "finish"] > status[in_progress]).all()
    not_started = pct == 0
    assert (tasks.loc[not_started, "start"] > status[not_started]).all()
    summary = tasks["is_summary"].astype(bool)
    assert tasks.loc[summary, "bac"].isna().all()  # only work tasks carry cost: sums never double count
    assert tasks.loc[~summary, "bac"].notna().all()
    ms = tasks["is_milestone"].astype(bool)
    assert ms.sum() > 50 and (tasks.loc[ms, "start"] == tasks.loc[ms, "finish"]).all()
    assert (tasks.loc[ms, "bac"] == 0).all()
    assert tasks["wbs"].str.fullmatch(r"\d+(\.\d+)*").all()
    assert (tasks["outline_level"] == tasks["wbs"].str.count(r"\.") + 1).all()
    assert (
        tasks["constraint_type"].isin(["Must Finish On", "Start No Earlier Than", "Finish No Later Than"]).sum() >= 36
    )
    assert tasks.loc[tasks["constraint_type"].notna(), "constraint_date"].notna().all()


def test_links_form_a_dag_inside_each_project(built):
    store = built[0]
    links = _frame(store, "links")
    tasks = _frame(store, "tasks")
    assert set(links["type"]) == {"FS", "SS", "FF"}
    assert (links["type"] == "FS").mean() > 0.85
    assert (links["lag_days"] < 0).sum() >= 2 and (links["lag_days"] > 0).sum() >= 10
    known = set(zip(tasks["project_id"], tasks["task_id"], strict=True))
    summaries = set(zip(*tasks.loc[tasks["is_summary"].astype(bool), ["project_id", "task_id"]].T.values, strict=True))
    for pid, g in links.groupby("project_id"):
        ends = set(g["pred_task_id"]) | set(g["succ_task_id"])
        assert {(pid, t) for t in ends} <= known - summaries, pid
        # Kahn's algorithm: every task is removed only if there is no cycle.
        succ: dict[str, list[str]] = {}
        indeg = dict.fromkeys(ends, 0)
        for a, b in zip(g["pred_task_id"], g["succ_task_id"], strict=True):
            succ.setdefault(a, []).append(b)
            indeg[b] += 1
        ready = [n for n, k in indeg.items() if k == 0]
        seen = 0
        while ready:
            n = ready.pop()
            seen += 1
            for m in succ.get(n, []):
                indeg[m] -= 1
                if indeg[m] == 0:
                    ready.append(m)
        assert seen == len(ends), f"cycle in {pid}"


# ---------------------------------------------------------------------------- risks, agile, people


def test_risk_register(built):
    store = built[0]
    risks = _frame(store, "risks")
    assert risks["probability"].between(0, 1).all()
    # Scores follow the bands 0.1 / 0.3 / 0.5 / 0.7 -> 1..5.
    expected = pd.cut(risks["probability"], [0, 0.1, 0.3, 0.5, 0.7, 1.0], labels=[1, 2, 3, 4, 5]).astype(int)
    assert (risks["probability_score"] == expected).all()
    assert risks["impact_score"].between(1, 5).all()
    # A larger impact never has a lower impact score within one project.
    for _, g in risks.assign(a=risks["impact_cost"].abs()).sort_values("a").groupby("project_id"):
        assert g["impact_score"].is_monotonic_increasing
    assert 2 <= risks["owner"].isna().sum() <= 6
    assert (risks["impact_cost"] < 0).sum() >= 2  # opportunities
    assert set(risks["status"]) == {"Open", "Closed"}
    overdue = (risks["status"] == "Open") & (risks["due_date"] < pd.Timestamp(LATEST))
    assert 3 <= overdue.sum() <= 20
    assert risks["category"].nunique() >= 6 and risks["response"].notna().all()
    assert (risks["raised_date"] <= pd.Timestamp(LATEST)).all()


def test_work_items(built):
    store = built[0]
    items = _frame(store, "work_items")
    assert items["key"].str.fullmatch(r"[A-Z]{3}-\d+").all()
    assert set(items["key"].str.split("-").str[0]) == {"DCH", "CPT", "DPL", "SCV"}
    assert set(items["type"]) == {"Epic", "Story", "Bug", "Task"}
    category = {
        "Backlog": "To Do",
        "To Do": "To Do",
        "In Progress": "In Progress",
        "In Review": "In Progress",
        "Done": "Done",
    }
    assert (items["status"].map(category) == items["status_category"]).all()
    done = items["status_category"] == "Done"
    assert items.loc[done, "resolved"].notna().all() and items.loc[~done, "resolved"].isna().all()
    in_sprint = items["sprints"].notna()
    assert (items.loc[in_sprint, "sprint"] == items.loc[in_sprint, "sprints"].map(lambda s: s[-1])).all()
    carried = items.loc[in_sprint, "sprints"].map(len) > 1
    assert carried.sum() >= 40  # items carried over across sprints
    assert items.loc[items["type"] != "Epic", "parent"].notna().mean() > 0.5
    epics = set(items.loc[items["type"] == "Epic", "key"])
    assert set(items["parent"].dropna()) <= epics
    assert items["story_points"].dropna().isin([1, 2, 3, 5, 8, 13]).all()
    assert (items["resolved"].isna() | (items["resolved"] >= items["created"])).all()


def test_assignments(built):
    store = built[0]
    a = _frame(store, "assignments", current=False)
    latest = a[a["status_date"] == pd.Timestamp(LATEST)]
    assert (pd.to_datetime(latest["week_start"]).dt.day_of_week == 0).all()
    assert set(latest["department"]) == {"IT", "Finance", "HR", "Operations", "Marketing"}
    caps = latest.groupby("person")["capacity_hours"].max()
    assert (caps == 40).sum() >= 18 and caps.between(20, 32).sum() >= 3  # some part-time people
    week = latest.groupby(["person", "week_start"]).agg(
        planned=("planned_hours", "sum"), cap=("capacity_hours", "first")
    )
    over = week[week["planned"] > week["cap"]].reset_index()
    assert 2 <= over["person"].nunique() <= 8  # a few people over-allocated in some weeks
    assert len(over) < len(week) / 5
    future = latest["week_start"] > pd.Timestamp(LATEST)
    assert latest.loc[future, "actual_hours"].isna().all() and latest.loc[~future, "actual_hours"].notna().any()
    assert set(latest["project_id"]) == set(demo.DEMO_HEALTH) - {"PRJ-108"}


def test_evm_periods_are_cumulative_and_match_the_tasks(built):
    store = built[0]
    p = _frame(store, "evm_periods").sort_values("period_end")
    assert p["pv"].is_monotonic_increasing
    known = p.dropna(subset=["ev"])
    assert known["ev"].is_monotonic_increasing and known["ac"].is_monotonic_increasing
    assert known["period_end"].max() == pd.Timestamp(LATEST) and p["period_end"].max() > pd.Timestamp(LATEST)
    tasks = _frame(store, "tasks", projects=["PRJ-109"])
    work = tasks[~tasks["is_summary"].astype(bool)]
    ev = (work["bac"] * work["percent_complete"]).sum()
    last = known.iloc[-1]
    assert last["ev"] == pytest.approx(ev, rel=1e-6)
    assert last["ac"] == pytest.approx(work["actual_cost"].sum(), rel=1e-6)


# ---------------------------------------------------------------------------- determinism, idempotence


def test_generation_is_deterministic_and_matches_the_committed_files(built):
    _, _, folder, _ = built
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    frames = {k: pd.DataFrame(v) for k, v in demo.demo_tables(3).items()}
    demo._CACHE.clear()  # regenerate from the seed, not from the cache
    assert hashlib.sha256(demo.demo_file_bytes(3)).hexdigest() == before[demo.demo_file_name(LATEST)]
    for name, rows in demo.demo_tables(3).items():
        pd.testing.assert_frame_equal(pd.DataFrame(rows), frames[name])
    # The committed files were written by another process: same bytes.
    committed = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in demo.demo_paths()}
    assert committed == before, "data/demo is stale: run python -m pmo_analytics.demo"


def test_second_build_imports_nothing_new(built):
    store, _, folder, _ = built
    n = len(store.imports())
    assert demo.build_demo(store, folder) == []
    assert len(store.imports()) == n == 4


def test_build_skips_files_already_imported(built, store, tmp_path):
    """With the conftest store: a file imported by hand is not imported again."""
    for p in built[2].iterdir():
        shutil.copy(p, tmp_path / p.name)
    paths = demo.demo_paths(tmp_path)
    store.import_parsed(parse_path(paths[1]), demo.DEMO_STATUS_DATES[1])
    results = demo.build_demo(store, tmp_path)
    assert [r.status_date for r in results] == [demo.DEMO_STATUS_DATES[i] for i in (0, 2, 3)]
    assert len(store.imports()) == 4


def test_status_date_from_name():
    assert demo.status_date_from_name("data/demo/portfolio_2026-07-31.xlsx") == date(2026, 7, 31)
    assert demo.status_date_from_name("plan.xlsx") is None
    assert demo.demo_file_name(date(2026, 10, 31)) == "portfolio_2026-10-31.xlsx"
