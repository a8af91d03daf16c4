"""Benchmark: weekly time-phased EVM for synthetic portfolios (prints ratios; not a test).

For N tasks (200 per project, 5 % summary rows, 2 % without baseline start, durations 0-60
days, Mon-Fri calendar, one status date) every method produces the same thing: the weekly
cumulative PV curve of every project over its whole baseline, and PV/EV/AC/BAC per project at
the status date.

- engine: ``pmo_analytics.metrics.evm.analyse`` (all metrics incl. earned schedule, on top)
- duckdb: one SQL query (tasks x weeks via generate_series, weekday arithmetic, window sum)
- pandas: a straightforward expand (task x week) + merge + groupby + cumsum

Each run happens in a fresh process so peak RSS is that method's own (data generation
included). Usage: python -m bench.bench_evm [--sizes 10000,100000,1000000] [--repeat 3]
[--methods duckdb,engine,pandas]. Columns: best time of the repeats, its ratio to the DuckDB
query ("x duckdb") and to the pandas implementation ("x pandas"), peak RSS, curve rows.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STATUS = np.datetime64("2024-09-27")
TASKS_PER_PROJECT = 200


def synth(n: int, seed: int = 1) -> pd.DataFrame:
    """Deterministic synthetic tasks in the store's canonical shape."""
    rng = np.random.default_rng(seed)
    n_proj = max(1, n // TASKS_PER_PROJECT)
    proj_start = rng.integers(0, 365, n_proj)
    proj = rng.integers(0, n_proj, n)
    s = np.datetime64("2024-01-01") + (proj_start[proj] + rng.integers(0, 300, n)).astype("timedelta64[D]")
    f = s + rng.integers(0, 60, n).astype("timedelta64[D]")
    bs = pd.Series(s.astype("datetime64[ms]"))
    bs[rng.random(n) < 0.02] = pd.NaT
    nat = pd.Series(np.full(n, np.datetime64("NaT"), dtype="datetime64[ms]"))
    return pd.DataFrame(
        {
            "project_id": pd.Series(np.char.add("P", np.char.zfill(proj.astype(str), 5)), dtype="str"),
            "task_id": pd.Series(np.arange(n).astype(str), dtype="str"),
            "is_summary": pd.array(rng.random(n) < 0.05, dtype="boolean"),
            "start": pd.Series(s.astype("datetime64[ms]")),
            "finish": pd.Series(f.astype("datetime64[ms]")),
            "baseline_start": bs,
            "baseline_finish": pd.Series(f.astype("datetime64[ms]")),
            "actual_start": nat,
            "actual_finish": nat.copy(),
            "percent_complete": rng.random(n),
            "bac": rng.integers(0, 100_000, n).astype(float),
            "actual_cost": rng.integers(0, 100_000, n).astype(float),
            "status_date": pd.Series(np.full(n, STATUS, dtype="datetime64[ms]")),
        }
    )


# weekdays from Monday 1900-01-01 through d (inclusive)
WDN = (
    "(5 * (date_diff('day', DATE '1900-01-01', {d}) // 7) + least(date_diff('day', DATE '1900-01-01', {d}) % 7 + 1, 5))"
)

DUCKDB_SQL = f"""
WITH t AS (
    SELECT project_id, status_date, coalesce(baseline_start, start)::DATE AS bs,
           coalesce(baseline_finish, finish)::DATE AS bf, coalesce(bac, 0) AS bac,
           percent_complete, actual_cost
    FROM tasks WHERE NOT coalesce(is_summary, false)
), tw AS (
    SELECT *, {WDN.format(d="bf")} - {WDN.format(d="(bs - 1)")} AS n_wd FROM t
), weekly AS (  -- each task's budget per week it touches
    SELECT project_id, status_date, w::DATE AS week_start,
           sum(CASE WHEN n_wd > 0 THEN bac * ({WDN.format(d="least(w::DATE + 6, bf)")}
                    - {WDN.format(d="(greatest(w::DATE, bs) - 1)")}) / n_wd
                    ELSE CASE WHEN bf <= w::DATE + 6 THEN bac ELSE 0 END END) AS pv
    FROM tw, unnest(generate_series(date_trunc('week', bs), date_trunc('week', bf), INTERVAL 7 DAY)) AS u(w)
    GROUP BY ALL
), status AS (
    SELECT project_id, status_date, sum(bac) AS bac, sum(bac * percent_complete) AS ev, sum(actual_cost) AS ac,
           sum(CASE WHEN n_wd > 0 THEN bac * greatest(least(({WDN.format(d="least(status_date::DATE, bf)")}
                    - {WDN.format(d="(bs - 1)")}) / n_wd, 1), 0)
                    ELSE CASE WHEN bf <= status_date::DATE THEN bac ELSE 0 END END) AS pv
    FROM tw GROUP BY ALL
), span AS (
    SELECT project_id, status_date, min(week_start) AS w0, max(week_start) AS w1 FROM weekly GROUP BY ALL
), grid AS (
    SELECT project_id, status_date, unnest(generate_series(w0, w1, INTERVAL 7 DAY))::DATE AS week_start FROM span
)
SELECT g.project_id, g.status_date, g.week_start + 6 AS period_end,
       sum(coalesce(w.pv, 0)) OVER (PARTITION BY g.project_id, g.status_date ORDER BY g.week_start) AS pv_cum,
       s.pv, s.ev, s.ac, s.bac
FROM grid g LEFT JOIN weekly w USING (project_id, status_date, week_start)
JOIN status s USING (project_id, status_date)
ORDER BY 1, 2, 3
"""


def run_engine(tasks: pd.DataFrame):
    from pmo_analytics.metrics import evm

    return evm.analyse(tasks)


def run_duckdb(tasks: pd.DataFrame):
    import duckdb

    con = duckdb.connect()
    con.register("tasks", tasks)
    return con.sql(DUCKDB_SQL).to_arrow_table().to_pandas()


def _wdn(days: np.ndarray) -> np.ndarray:
    n = (days - np.datetime64("1900-01-01")).astype(np.int64)
    return 5 * (n // 7) + np.minimum(n % 7 + 1, 5)


def run_pandas(tasks: pd.DataFrame):
    t = tasks[~tasks["is_summary"].fillna(False).astype(bool)].copy()
    t["bs"] = t["baseline_start"].fillna(t["start"]).to_numpy().astype("datetime64[D]")
    t["bf"] = t["baseline_finish"].fillna(t["finish"]).to_numpy().astype("datetime64[D]")
    bs, bf = t["bs"].to_numpy().astype("datetime64[D]"), t["bf"].to_numpy().astype("datetime64[D]")
    t["n_wd"] = _wdn(bf) - _wdn(bs - 1)
    wk0 = bs - ((bs - np.datetime64("1900-01-01")).astype(np.int64) % 7).astype("timedelta64[D]")
    nweeks = ((bf - wk0).astype(np.int64) // 7) + 1
    t["wk0"] = wk0
    t["row"] = np.arange(len(t))
    rep = pd.DataFrame({"row": np.repeat(t["row"].to_numpy(), nweeks)})
    rep["k"] = rep.groupby("row").cumcount()
    x = rep.merge(t, on="row")
    ws = x["wk0"].to_numpy().astype("datetime64[D]") + (7 * x["k"].to_numpy()).astype("timedelta64[D]")
    xb, xf = x["bs"].to_numpy().astype("datetime64[D]"), x["bf"].to_numpy().astype("datetime64[D]")
    over = _wdn(np.minimum(ws + 6, xf)) - _wdn(np.maximum(ws, xb) - 1)
    n_wd = x["n_wd"].to_numpy()
    x["pv"] = np.where(n_wd > 0, x["bac"] * over / np.where(n_wd > 0, n_wd, 1), np.where(xf <= ws + 6, x["bac"], 0))
    x["week_start"] = ws
    weekly = x.groupby(["project_id", "status_date", "week_start"], as_index=False)["pv"].sum()
    rng = weekly.groupby(["project_id", "status_date"])["week_start"].agg(["min", "max"]).reset_index()
    nw = ((rng["max"] - rng["min"]).dt.days // 7 + 1).to_numpy()
    grid = rng.loc[rng.index.repeat(nw), ["project_id", "status_date", "min"]].reset_index(drop=True)
    grid["week_start"] = grid["min"] + pd.to_timedelta(
        7 * grid.groupby(["project_id", "status_date"]).cumcount(), unit="D"
    )
    curve = grid.drop(columns="min").merge(weekly, how="left", on=["project_id", "status_date", "week_start"])
    curve["pv_cum"] = curve["pv"].fillna(0).groupby([curve["project_id"], curve["status_date"]]).cumsum()
    sd = t["status_date"].to_numpy().astype("datetime64[D]")
    n = t["n_wd"].to_numpy()
    frac = np.where(n > 0, np.clip((_wdn(np.minimum(sd, bf)) - _wdn(bs - 1)) / np.where(n > 0, n, 1), 0, 1), bf <= sd)
    t["pv"] = t["bac"] * frac
    t["ev"] = t["bac"] * t["percent_complete"]
    status = t.groupby(["project_id", "status_date"], as_index=False)[["pv", "ev", "actual_cost", "bac"]].sum()
    return curve.drop(columns="pv").merge(status, on=["project_id", "status_date"])


METHODS = {"engine": run_engine, "duckdb": run_duckdb, "pandas": run_pandas}


def _child(method: str, n: int, repeat: int, conn) -> None:
    try:
        tasks = synth(n)
        fn = METHODS[method]
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            out = fn(tasks)
            times.append(time.perf_counter() - t0)
        rows = len(out.curves) if hasattr(out, "curves") else len(out)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        conn.send((min(times), peak, rows, None))
    except MemoryError as exc:  # pragma: no cover
        conn.send((float("nan"), 0, 0, repr(exc)))


def measure(method: str, n: int, repeat: int):
    a, b = mp.Pipe()
    p = mp.get_context("fork").Process(target=_child, args=(method, n, repeat, b))
    p.start()
    res = a.recv()
    p.join()
    return res


def check_agreement(n: int = 20_000) -> float:
    """Largest relative difference of the engine's weekly curve against the SQL query."""
    tasks = synth(n)
    eng = run_engine(tasks).curves
    sql = run_duckdb(tasks)
    m = eng.merge(
        sql.assign(period_end=pd.to_datetime(sql["period_end"]).astype("datetime64[s]")),
        left_on=["project_id", "period_end"],
        right_on=["project_id", "period_end"],
        how="outer",
        suffixes=("_e", "_q"),
    )
    diff = (m["pv_cum_e"] - m["pv_cum_q"]).abs() / m["pv_cum_q"].abs().clip(lower=1)
    return float(diff.max())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--methods", default="duckdb,engine,pandas", help="comma-separated subset of " + ",".join(METHODS))
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    methods = [m for m in args.methods.split(",") if m]
    unknown = sorted(set(methods) - set(METHODS))
    if unknown:
        ap.error(f"unknown method(s) {', '.join(unknown)}; expected {', '.join(METHODS)}")
    print(f"cores: {os.cpu_count()}  agreement engine vs SQL (20k tasks): max rel diff {check_agreement():.2e}")
    head = f"{'tasks':>9} {'method':>7} {'time s':>8} {'x duckdb':>9} {'x pandas':>9} {'peak RSS MiB':>13}"
    print(f"{head} {'curve rows':>11}")
    for n in sizes:
        results = {}
        for method in methods:
            est_gib = n * 6 * 400 / 2**30  # ~6 task-weeks per task, ~400 bytes per expanded row
            if method == "pandas" and est_gib > 8:
                print(f"{n:>9} {method:>7}   skipped (estimated {est_gib:.1f} GiB > 8 GiB)")
                continue
            results[method] = measure(method, n, args.repeat)
        bases = {m: results[m][0] if m in results and not results[m][3] else float("nan") for m in ("duckdb", "pandas")}
        for method, (secs, peak, rows, err) in results.items():
            if err:
                print(f"{n:>9} {method:>7}   failed: {err}")
                continue
            ratios = f"{secs / bases['duckdb']:9.2f} {secs / bases['pandas']:9.2f}"
            print(f"{n:>9} {method:>7} {secs:8.3f} {ratios} {peak / 2**20:13.0f} {rows:>11}")


if __name__ == "__main__":
    main()
