"""Benchmark: CPM on a synthetic 10,000-task / 15,000-link network, DCMA on it, and the Gantt
figure for 5,000 tasks.

    .venv/bin/python bench/bench_schedule.py [--tasks 10000] [--links 15000] [--gantt 5000] [--no-naive] [--page]
    .venv/bin/python bench/bench_schedule.py --projects 1000 [--project-tasks 20]

Prints times and ratios:
- cpm:   ``schedule.cpm`` (dates, calendar, link types, lags, progress, summaries, floats)
         vs a bare pure-Python forward/backward pass (FS only, integers, adjacency lists
         prebuilt): the raw cost of the two passes themselves.
- dcma:  the 14 checks (including the critical path test, a second forward pass).
- gantt: ``gantt_figure`` + ``to_json`` for N tasks: time, JSON bytes, bytes per task,
         against the naive ``px.timeline(color=<a column with one value per task>)``, one
         trace per value (skip with --no-naive; it takes many seconds).
- page:  (--page) the Gantt page in ``AppTest`` on a store holding the N-task Gantt project
         (as one "All projects" view): first run after the caches were cleared (store loads,
         CPM, figure, schedule table) and a rerun (what a click costs).
- projects: (--projects N) ``cpm`` and ``dcma`` on N small projects at once (``network`` with
         --project-tasks tasks and 1.25 links per task each, rows of the projects interleaved),
         what the Portfolio page's quality scores cost: time and time per project.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def network(n_tasks: int, n_links: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A synthetic project: one summary per 25 tasks, links forward in row order (a DAG),
    70 % FS, lags -2..+3 days, a third of the work started or done at the status date."""
    rng = np.random.default_rng(seed)
    day0 = pd.Timestamp("2024-01-01")
    ids = [f"T{i}" for i in range(n_tasks)]
    summary = np.arange(n_tasks) % 25 == 0
    wbs, parent = [], 0
    for i in range(n_tasks):
        if summary[i]:
            parent = i // 25 + 1
            wbs.append(str(parent))
        else:
            wbs.append(f"{parent}.{i % 25}")
    starts = day0 + pd.to_timedelta(np.sort(rng.integers(0, 400, n_tasks)), "D")
    dur = rng.integers(1, 20, n_tasks)
    milestone = (~summary) & (rng.random(n_tasks) < 0.03)
    finish = starts + pd.to_timedelta(np.where(milestone, 0, dur), "D")
    pc = np.where(np.arange(n_tasks) < n_tasks // 3, rng.choice([0.0, 0.3, 1.0], n_tasks), 0.0)
    tasks = pd.DataFrame(
        {
            "project_id": "BIG",
            "task_id": ids,
            "wbs": wbs,
            "name": [f"Task {i}" for i in range(n_tasks)],
            "outline_level": np.where(summary, 1, 2),
            "is_summary": summary,
            "is_milestone": milestone,
            "start": starts,
            "finish": finish,
            "baseline_start": starts,
            "baseline_finish": finish - pd.to_timedelta(rng.integers(0, 3, n_tasks), "D"),
            "actual_start": starts.where(pc > 0),
            "actual_finish": finish.where(pc >= 1),
            "percent_complete": pc,
            "resource_names": [f"R{i % 40}" for i in range(n_tasks)],
            "bac": 1000.0,
        }
    )
    work = np.flatnonzero(~summary)
    # draw a few more than asked, then keep the first n_links distinct pairs (exactly n_links links)
    m = int(n_links * 1.1) + 10
    a = rng.integers(0, len(work) - 1, m)
    b = np.minimum(a + rng.integers(1, 60, m), len(work) - 1)
    links = pd.DataFrame(
        {
            "project_id": "BIG",
            "pred_task_id": [ids[work[i]] for i in a],
            "succ_task_id": [ids[work[i]] for i in b],
            "type": rng.choice(["FS"] * 7 + ["SS", "FF", "SF"], m),
            "lag_days": rng.integers(-2, 4, m).astype(float),
        }
    ).drop_duplicates(["pred_task_id", "succ_task_id"])
    links = links.head(n_links).reset_index(drop=True)
    return tasks, links


def raw_passes(n: int, pred: np.ndarray, succ: np.ndarray, dur: np.ndarray) -> float:
    """Bare CPM: Kahn order, FS forward and backward passes on integer lists (the floor)."""
    outs: list[list[int]] = [[] for _ in range(n)]
    ins: list[list[int]] = [[] for _ in range(n)]
    for a, b in zip(pred.tolist(), succ.tolist(), strict=True):
        outs[a].append(b)
        ins[b].append(a)
    indeg = [len(x) for x in ins]
    q = deque(i for i in range(n) if indeg[i] == 0)
    order = []
    while q:
        i = q.popleft()
        order.append(i)
        for b in outs[i]:
            indeg[b] -= 1
            if indeg[b] == 0:
                q.append(b)
    d = dur.tolist()
    es = [0] * n
    ef = [0] * n
    for j in order:
        e = 0
        for p in ins[j]:
            if ef[p] > e:
                e = ef[p]
        es[j] = e
        ef[j] = e + d[j]
    pf = max(ef)
    lf = [pf] * n
    for i in reversed(order):
        f = pf
        for s in outs[i]:
            v = lf[s] - d[s]
            if v < f:
                f = v
        lf[i] = f
    return float(pf)


def page_times(tasks: pd.DataFrame, links: pd.DataFrame, status: pd.Timestamp) -> tuple[float, float, int]:
    """Cold run and rerun of the Gantt page in AppTest on a temporary store holding ``tasks``."""
    import hashlib
    import logging
    import os
    import tempfile

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from pmo_analytics import store as store_mod
    from pmo_analytics.ingest.base import ParsedUpload

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench_gantt.duckdb"
        os.environ["PMO_DB"] = str(db)
        projects = pd.DataFrame({"project_id": ["BIG"], "name": ["Big plan"]})
        tables = {"projects": projects, "tasks": tasks, "links": links}
        sha = hashlib.sha256(f"gantt-{len(tasks)}-{len(links)}".encode()).hexdigest()
        store_mod.Store(db).import_parsed(
            ParsedUpload(source_name="big.xlsx", source_format="template", sha256=sha, tables=tables,
                         rows_in=sum(len(v) for v in tables.values())),
            status.date(),
        )  # fmt: skip
        store_mod.close_all()
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "pages" / "40_gantt.py"), default_timeout=600)
        t0 = time.perf_counter()
        at.run()
        cold = time.perf_counter() - t0
        if at.exception:
            raise RuntimeError([e.value for e in at.exception])
        t0 = time.perf_counter()
        at.run()
        warm = time.perf_counter() - t0
        size = len(at.get("plotly_chart")[0].proto.spec)
        store_mod.close_all()
    return cold, warm, size


def many_projects(n_projects: int, n_tasks: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n_projects`` small ``network`` projects in one frame, their rows interleaved."""
    parts, links = [], []
    for i in range(n_projects):
        t, lk = network(n_tasks, n_tasks * 5 // 4, seed=i)
        pid = f"P{i:05d}"
        parts.append(t.assign(project_id=pid, _k=np.arange(len(t))))
        links.append(lk.assign(project_id=pid))
    tasks = pd.concat(parts, ignore_index=True).sort_values("_k", kind="stable").drop(columns="_k")
    return tasks.reset_index(drop=True), pd.concat(links, ignore_index=True)


def projects_bench(n_projects: int, n_tasks: int) -> None:
    from pmo_analytics.metrics.cpm import cpm
    from pmo_analytics.metrics.dcma import dcma

    tasks, links = many_projects(n_projects, n_tasks)
    status = pd.Timestamp("2024-05-01")
    print(f"projects: {n_projects:,} x {n_tasks} tasks = {len(tasks):,} tasks, {len(links):,} links")
    t_cpm, _ = best(lambda: cpm(tasks, links, status_date=status, on_error="skip"))
    print(f"cpm:   {t_cpm * 1000:8.1f} ms   {t_cpm / n_projects * 1e6:6.0f} us per project")
    t_dcma, _ = best(lambda: dcma(tasks, links, status_date=status, on_error="skip"))
    print(f"dcma:  {t_dcma * 1000:8.1f} ms   {t_dcma / n_projects * 1e6:6.0f} us per project")


def best(fn, repeat: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--links", type=int, default=15_000)
    ap.add_argument("--gantt", type=int, default=5_000)
    ap.add_argument("--no-naive", action="store_true")
    ap.add_argument("--page", action="store_true", help="also time the Gantt page in AppTest")
    ap.add_argument("--projects", type=int, default=0, help="instead: time cpm and dcma on N small projects")
    ap.add_argument("--project-tasks", type=int, default=20, help="tasks per project with --projects")
    args = ap.parse_args()
    if args.projects:
        projects_bench(args.projects, args.project_tasks)
        return

    from pmo_analytics.charts.gantt import gantt_figure
    from pmo_analytics.metrics.cpm import cpm
    from pmo_analytics.metrics.dcma import dcma

    tasks, links = network(args.tasks, args.links)
    status = pd.Timestamp("2024-05-01")
    print(f"network: {len(tasks):,} tasks, {len(links):,} links")

    t_cpm, res = best(lambda: cpm(tasks, links, status_date=status))
    pos = {k: i for i, k in enumerate(tasks["task_id"])}
    pred = np.array([pos[x] for x in links["pred_task_id"]])
    succ = np.array([pos[x] for x in links["succ_task_id"]])
    dur = ((tasks["finish"] - tasks["start"]).dt.days + 1).to_numpy()
    t_raw, _ = best(lambda: raw_passes(len(tasks), pred, succ, dur))
    print(f"cpm:   {t_cpm * 1000:8.1f} ms   raw passes {t_raw * 1000:6.1f} ms   ratio {t_cpm / t_raw:5.1f}x   "
          f"critical {int(res['critical'].sum())}")  # fmt: skip

    t_dcma, d = best(lambda: dcma(tasks, links, status_date=status), repeat=2)
    print(f"dcma:  {t_dcma * 1000:8.1f} ms   ratio to cpm {t_dcma / t_cpm:5.1f}x   "
          f"failed checks {int((d['passed'] == False).sum())}")  # noqa: E712  # fmt: skip

    g_tasks = tasks.iloc[: args.gantt]
    g_res = res[res["task_id"].isin(set(g_tasks["task_id"]))]
    g_links = links[
        links["pred_task_id"].isin(set(g_tasks["task_id"])) & links["succ_task_id"].isin(set(g_tasks["task_id"]))
    ]

    def ours():
        fig = gantt_figure(g_tasks, g_links, g_res, status_date=status.date())
        return fig, fig.to_json()

    t_g, (fig, js) = best(ours, repeat=2)
    print(f"gantt: {t_g * 1000:8.1f} ms for {len(g_tasks):,} tasks   {len(fig.data)} traces   "
          f"JSON {len(js) / 1e6:5.2f} MB = {len(js) / len(g_tasks):5.0f} bytes/task")  # fmt: skip
    if not args.no_naive:
        import plotly.express as px

        def naive():
            df = g_tasks.assign(end=g_tasks["finish"] + pd.Timedelta(days=1))
            f = px.timeline(df, x_start="start", x_end="end", y="name", color="task_id")
            return f, f.to_json()

        t_n, (nfig, njs) = best(naive, repeat=1)
        print(f"naive: {t_n * 1000:8.1f} ms   {len(nfig.data)} traces   JSON {len(njs) / 1e6:5.2f} MB   "
              f"ours/naive time {t_g / t_n:5.3f}x   size {len(js) / len(njs):4.2f}x")  # fmt: skip
    if args.page:
        cold, warm, spec = page_times(g_tasks, g_links, status)
        print(f"page:  {cold * 1000:8.1f} ms first run   {warm * 1000:8.1f} ms rerun   "
              f"chart spec {spec / 1e6:5.2f} MB   ({len(g_tasks):,} tasks, Gantt page in AppTest)")  # fmt: skip


if __name__ == "__main__":
    main()
