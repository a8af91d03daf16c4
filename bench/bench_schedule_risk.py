"""Benchmark: schedule risk (Monte Carlo over the CPM network) on a synthetic 5,000-task network.

    .venv/bin/python bench/bench_schedule_risk.py [--tasks 5000] [--links 7500] [--iterations 10000]
                                                   [--distribution triangular|pert] [--repeat 3]

The network is ``bench_schedule.network`` (summaries every 25 tasks, 70 % FS links with SS/FF/SF,
lags -2..+3 days, a third of the work started or done at the status date) with a quarter of the
tasks given three-point estimates and 20 risks delaying 5 tasks each. Prints the median time of
``schedule_risk.simulate`` (network build, sampling, forward and backward passes, results), the
peak of numpy/Python allocations during it (tracemalloc), the process's peak RSS, the CPU time
of all its threads (what an idle machine's wall time would be on one core), the 1-minute load
average, and the ratio to the deterministic CPM run once per iteration (estimated from one
``cpm.schedules`` + ``slip_test``-style forward pass, the scalar loop the simulation avoids).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from bench.bench_schedule import network  # noqa: E402
from pmo_analytics.metrics import cpm  # noqa: E402
from pmo_analytics.metrics import schedule_risk as sr  # noqa: E402


def inputs(n_tasks: int, n_links: int, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    tasks, links = network(n_tasks, n_links)
    rng = np.random.default_rng(seed)
    d = (pd.to_datetime(tasks["finish"]) - pd.to_datetime(tasks["start"])).dt.days.to_numpy() + 1
    est = rng.random(n_tasks) < 0.25
    tasks["duration_optimistic"] = np.where(est, d * 0.8, np.nan)
    tasks["duration_likely"] = np.where(est, d, np.nan)
    tasks["duration_pessimistic"] = np.where(est, d * 1.6, np.nan)
    tasks["status_date"] = pd.Timestamp("2024-05-01")
    ids = tasks["task_id"].to_numpy()
    risks = pd.DataFrame(
        {
            "project_id": "BIG",
            "risk_id": [f"R{i}" for i in range(20)],
            "title": [f"Risk {i}" for i in range(20)],
            "probability": rng.uniform(0.1, 0.6, 20),
            "impact_cost": rng.uniform(1e3, 1e5, 20),
            "status": "Open",
            "task_ids": [list(rng.choice(ids, 5, replace=False)) for _ in range(20)],
            "impact_days": rng.integers(2, 15, 20).astype(float),
        }
    )
    return tasks, links, risks


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=5000)
    ap.add_argument("--links", type=int, default=7500)
    ap.add_argument("--iterations", type=int, default=10_000)
    ap.add_argument("--distribution", default="triangular", choices=sr.DISTRIBUTIONS)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    tasks, links, risks = inputs(a.tasks, a.links)
    projects = pd.DataFrame([{"project_id": "BIG", "bac": 5e6, "baseline_finish": pd.Timestamp("2025-03-01")}])
    opt = sr.RiskOptions(iterations=a.iterations, distribution=a.distribution)

    times, cpu = [], []
    for _ in range(a.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        res = sr.simulate(tasks, links, risks, projects, options=opt)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    r = res["BIG"]
    tracemalloc.start()
    sr.simulate(tasks, links, risks, projects, options=opt)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # the scalar alternative: one deterministic forward pass per iteration
    t0 = time.perf_counter()
    sch = cpm.schedules(tasks, links)["BIG"]
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    reps = 20
    for _ in range(reps):
        sch.slip_test(0, 1.0)
    per_pass = (time.perf_counter() - t0) / reps
    scalar = build + per_pass * a.iterations * 2  # forward + backward per iteration

    med = statistics.median(times)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"network: {a.tasks:,} tasks, {len(links):,} links, {len(r.risks)} risks; {a.iterations:,} iterations, "
          f"{a.distribution}; chunk {sr._chunk_size(len(tasks), opt):,} iterations")  # fmt: skip
    print(f"simulate: median {med:.2f} s of {a.repeat} ({', '.join(f'{t:.2f}' for t in times)}); "
          f"CPU time (all threads) median {statistics.median(cpu):.2f} s")  # fmt: skip
    print(f"peak traced allocations during simulate: {peak / 2**20:.0f} MiB; process peak RSS {rss:.0f} MiB")
    print(f"scalar CPM per iteration (estimated): {scalar:.1f} s -> ratio ours/scalar {med / scalar:.3f}")
    print(f"load average (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} cpus")
    print(f"result: CPM {r.cpm_finish}, P50 {r.p50}, P80 {r.p80}, P90 {r.p90}, on time {r.prob_on_time}")


if __name__ == "__main__":
    main()
