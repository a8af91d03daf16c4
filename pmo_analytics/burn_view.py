"""Everything the Burn page shows, computed in one call: ``build(frames, settings, picks,
lang)``, cached by ``ui.page_view`` like the Portfolio page's view (data version, filters'
scope, settings, the page's picks and the language: small keys, never frames).

``picks`` are the page's choices as the session holds them before its widgets are drawn
(project, sprint, fix version, CFD measure); ``build`` checks each against what the data
offers and returns the ones it used (``BurnView.picks``), which the page gives its widgets.
The page used to hash the work items, tasks and EVM periods for eight cached calls and build
six figures on every click (about 0.3 s of CPU a rerun on the demo). No streamlit import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .frames import PortfolioFrames
from .metrics import agile
from .settings import Settings

WINDOW = 3  # sprints in the velocity's rolling mean
MEASURES = ("items", "points")


@dataclass(frozen=True)
class Picks:
    """The page's choices: project id, sprint name, fix version (None = all), CFD measure."""

    project: str | None = None
    sprint: str | None = None
    version: str | None = None
    measure: str = "items"


@dataclass(frozen=True)
class BurnView:
    """The Burn page's content for one set of picks, in one language. A ``None`` frame or
    figure: that tab has nothing to show (the page says why from ``has_items``/``cal_empty``)."""

    choices: dict[str, str] = field(default_factory=dict)  # project id -> "id · name"
    picks: Picks = Picks()
    has_items: bool = False
    sprint_names: tuple[str, ...] = ()
    cal_empty: bool = True  # no sprint calendar at all (else sprints nothing dates)
    versions: tuple[str, ...] = ()
    burndown: pd.DataFrame | None = None
    burndown_chart: object = None
    burnup: pd.DataFrame | None = None
    burnup_chart: object = None
    velocity: pd.DataFrame | None = None
    velocity_chart: object = None
    forecast: pd.DataFrame | None = None
    forecast_info: dict = field(default_factory=dict)
    forecast_days: dict = field(default_factory=dict)  # percentile -> date text, when any date
    cfd: pd.DataFrame | None = None
    cfd_chart: object = None
    cost: pd.DataFrame | None = None
    cost_chart: object = None
    items: pd.DataFrame | None = None  # the work-item list, overdue first


def build(frames: PortfolioFrames, settings: Settings, picks: Picks, lang: str) -> BurnView:
    """The Burn page of ``frames`` under ``settings`` for ``picks`` in ``lang``."""
    from .charts import agile as charts

    items = agile.cacheable(frames.history("work_items"))
    tasks, periods = frames.history("tasks"), frames.history("evm_periods")
    projects = frames.current("projects")
    choices = agile.project_choices(projects, items, tasks, periods)
    if not choices:
        return BurnView()
    pid = picks.project if picks.project in choices else next(iter(choices))
    has_items = pid in agile.project_choices(None, items)
    out: dict = {"choices": choices, "has_items": has_items}
    sprint, version, measure = None, None, picks.measure if picks.measure in MEASURES else MEASURES[0]
    if has_items:
        cal = agile.sprint_calendar(items, project_id=pid)
        names, default = agile.sprint_choices(cal, pid, frames.scope.as_of, items)
        out.update(sprint_names=tuple(names), cal_empty=cal.empty)
        if names:
            sprint = picks.sprint if picks.sprint in names else names[default]
            down = agile.sprint_burndown(items, sprint, project_id=pid)
            out.update(burndown=down, burndown_chart=charts.burndown(down, lang))
        vers = tuple(agile.versions(items, pid))
        version = picks.version if picks.version in vers else None
        up = agile.release_burnup(items, fix_version=version, project_id=pid)
        out.update(versions=vers, burnup=up, burnup_chart=charts.burnup(up, lang))
        vel = agile.velocity(items, project_id=pid, window=WINDOW)
        if not vel.empty:
            fc, info = agile.backlog_forecast(items, vel, project_id=pid)
            out.update(
                velocity=vel,
                velocity_chart=charts.velocity_chart(vel, lang, window=WINDOW, forecast=fc),
                forecast=fc,
                forecast_info=dict(info),
                forecast_days=agile.forecast_days(fc) if fc["date"].notna().any() else {},
            )
        flow = agile.cumulative_flow(items, project_id=pid)
        out.update(cfd=flow, cfd_chart=charts.cfd(flow, lang, measure=measure))
        out["items"] = agile.work_item_list(items, pid, frames.scope.as_of)
    burn = agile.cost_burn(evm_periods=periods, tasks=tasks, projects=projects, settings=settings, project_id=pid)
    if not burn.empty:
        out.update(cost=burn, cost_chart=charts.cost_burn_chart(burn, lang))
    return BurnView(picks=Picks(pid, sprint, version, measure), **out)
