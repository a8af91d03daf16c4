"""Everything the Milestones page shows, computed in one call: ``build(frames, settings,
lang)``, cached by ``ui.page_view`` like the Portfolio page's view (data version, filters'
scope, settings, language: small keys, never frames).

The page used to hash every task snapshot for two cached calls and build both figures and
both tables on every click (about 0.15 s of CPU a rerun on the demo). No streamlit import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .frames import PortfolioFrames
from .metrics import milestones
from .settings import Settings


@dataclass(frozen=True)
class MilestonesView:
    """The Milestones page's content in one language; ``has_tasks`` False: no task at all,
    ``kpis`` empty: no milestone."""

    has_tasks: bool = False
    has_projects: bool = False
    kpis: dict = field(default_factory=dict)  # total, late, slipped, done
    trend_chart: object = None
    slip_chart: object = None
    tracker: pd.DataFrame = field(default_factory=pd.DataFrame)
    history: pd.DataFrame = field(default_factory=pd.DataFrame)


def build(frames: PortfolioFrames, settings: Settings, lang: str) -> MilestonesView:
    """The milestones of ``frames`` (slips in working days under ``settings.holidays``)."""
    from .charts.milestones import milestone_slip_figure, milestone_trend_figure

    tasks = frames.history("tasks")
    if tasks.empty:
        return MilestonesView(has_projects=not frames.current("projects").empty)
    tracker = milestones.milestone_tracker(tasks, settings.holidays)
    if tracker.empty:
        return MilestonesView(has_tasks=True, has_projects=True)
    history = milestones.milestone_history(tasks, settings.holidays)
    return MilestonesView(
        has_tasks=True,
        has_projects=True,
        kpis=dict(milestones.milestone_kpis(tracker)),
        trend_chart=milestone_trend_figure(history, lang),
        slip_chart=milestone_slip_figure(tracker, lang),
        tracker=milestones.milestone_table(tracker),
        history=milestones.milestone_table(history),
    )
