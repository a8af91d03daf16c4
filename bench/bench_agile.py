"""Agile metrics on a synthetic backlog: 5,000 items, 40 two-week sprints, 8 uploads.

Prints the time of each metric and its ratio to a plain pandas pass over the same rows
(a groupby-sum of points per status date and category), the raw speed of the library
underneath. Run: .venv/bin/python bench/bench_agile.py
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from pmo_analytics.metrics import agile


def backlog(n: int = 5000, sprints: int = 40, uploads: int = 8, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01")
    created = start + pd.to_timedelta(rng.integers(0, sprints * 14, n), unit="D")
    first = ((created - start).days // 14).to_numpy()
    span = rng.integers(1, 3, n)
    last = np.minimum(first + span - 1, sprints - 1)
    resolved = start + pd.to_timedelta(last * 14 + rng.integers(0, 14, n), unit="D")
    frames = []
    for k in range(uploads):
        sd = start + pd.Timedelta(days=int((k + 1) * sprints * 14 / uploads))
        done = resolved <= sd
        seen = created <= sd
        frames.append(
            pd.DataFrame(
                {
                    "project_id": "P",
                    "key": [f"K-{i}" for i in range(n)],
                    "story_points": rng.choice([1.0, 2.0, 3.0, 5.0, 8.0], n),
                    "sprints": [
                        tuple(f"S{j + 1}" for j in range(first[i], last[i] + 1)) if seen[i] else None for i in range(n)
                    ],
                    "status_category": np.where(done, "Done", "To Do"),
                    "created": created,
                    "resolved": resolved.where(done),
                    "status_date": sd,
                }
            )[seen]
        )
    return pd.concat(frames, ignore_index=True)


def timed(fn, *a, **kw) -> float:
    t0 = time.perf_counter()
    fn(*a, **kw)
    return time.perf_counter() - t0


def main() -> None:
    items = backlog()
    base = timed(lambda: items.groupby(["status_date", "status_category"])["story_points"].sum())
    print(f"rows {len(items):,}; pandas groupby baseline {base * 1000:.1f} ms")
    cal = agile.sprint_calendar(items)
    sprint = cal["sprint"].iloc[len(cal) // 2]
    for name, fn in (
        ("sprint_calendar", lambda: agile.sprint_calendar(items)),
        ("sprint_burndown", lambda: agile.sprint_burndown(items, sprint)),
        ("release_burnup", lambda: agile.release_burnup(items)),
        ("velocity", lambda: agile.velocity(items)),
        ("forecast (10k sims)", lambda: agile.forecast_completion([20, 25, 30, 18], 800, "2025-01-01")),
        ("cumulative_flow", lambda: agile.cumulative_flow(items)),
    ):
        t = timed(fn)
        print(f"{name:22s} {t * 1000:8.1f} ms  x{t / base:8.0f} baseline")


if __name__ == "__main__":
    main()
