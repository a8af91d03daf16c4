"""The Lessons page's closed-project benchmarks, computed in one call: ``build(frames,
settings, live, lang)``, cached by ``ui.page_view`` like the Portfolio page's view (data
version, filters' scope, settings, the live project picked, language: small keys, never frames).

The page used to hash every task snapshot for a cached metrics call and build the benchmark
figure on every click (about 0.1 s of CPU a rerun on the demo). No streamlit import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import present
from .frames import PortfolioFrames
from .metrics import evm, lessons
from .metrics.agile import project_choices
from .settings import Settings


@dataclass(frozen=True)
class BenchmarkView:
    """Closed-project outcomes, their statistics (worded) and a live project beside them."""

    has_input: bool = False  # tasks or EVM periods in the selection
    outcomes: pd.DataFrame = field(default_factory=pd.DataFrame)  # empty: no closed project
    counted: int = 0  # the most closed projects with a value of one benchmark
    stats: pd.DataFrame = field(default_factory=pd.DataFrame)  # statistics, names in the language
    choices: dict[str, str] = field(default_factory=dict)  # live project id -> "id · name"
    live: str | None = None  # the live project shown (None: none to compare)
    comparison: pd.DataFrame | None = None
    figure: object = None


def build(frames: PortfolioFrames, settings: Settings, live: str | None, lang: str) -> BenchmarkView:
    """The benchmarks of the closed projects in ``frames`` with the live project ``live`` (an
    unknown one: the first live project) beside them, in ``lang``."""
    from .charts.weekly import benchmark_figure

    tasks, periods = frames.history("tasks"), frames.history("evm_periods")
    if tasks.empty and periods.empty:
        return BenchmarkView()
    projects = frames.current("projects")
    metrics = evm.project_metrics(tasks, projects, periods, settings)
    outcomes = lessons.closed_outcomes(metrics, projects)
    if outcomes.empty:
        return BenchmarkView(has_input=True)
    raw = lessons.benchmark_stats(outcomes)
    names = project_choices(projects, metrics)
    choices = {p: names.get(p, p) for p in lessons.live_projects(metrics, outcomes)}
    pid = (live if live in choices else next(iter(choices))) if choices else None
    values = lessons.live_values(metrics, projects, pid) if pid is not None else None
    label = choices[pid] if pid is not None else ""
    return BenchmarkView(
        has_input=True,
        outcomes=outcomes,
        counted=int(raw["n"].max()),
        stats=present.stat_names(raw, lang),
        choices=choices,
        live=pid,
        comparison=None if values is None else present.stat_names(lessons.live_comparison(values, outcomes), lang),
        figure=benchmark_figure(outcomes, values, lang, live_label=label),
    )
