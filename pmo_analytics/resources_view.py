"""Everything the Resources page shows, computed in one call: ``build(frames, settings,
project_ids, weeks, lang)``, cached by ``ui.page_view`` like the Portfolio page's view.

``frames`` hold every project's assignments (people are counted with their whole load);
``project_ids`` (None = no project filter) keeps the people who work on those projects. The
page used to hash the assignments for two cached calls and build three figures on every
click (about 0.26 s of CPU a rerun on the demo). No streamlit import (library code).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .frames import PortfolioFrames
from .metrics import resources
from .settings import Settings


@dataclass(frozen=True)
class ResourcesView:
    """The Resources page's content for one capacity horizon, in one language."""

    has_data: bool = False
    person_weeks: pd.DataFrame = field(default_factory=pd.DataFrame)
    person_chart: object = None
    department_weeks: pd.DataFrame = field(default_factory=pd.DataFrame)
    department_chart: object = None
    overallocated: pd.DataFrame = field(default_factory=pd.DataFrame)
    capacity: pd.DataFrame = field(default_factory=pd.DataFrame)
    capacity_chart: object = None


def build(
    frames: PortfolioFrames, settings: Settings, project_ids: tuple[str, ...] | None, weeks: int, lang: str
) -> ResourcesView:
    """The Resources page: utilisation by person and department, over-allocation, capacity
    against demand over ``weeks`` weeks, in ``lang`` (``settings``: part of the cache key only)."""
    from .charts import resources as charts

    rows = resources.people_on(frames.current("assignments"), project_ids)
    if rows.empty:
        return ResourcesView()
    pw = resources.person_weeks(rows)
    dw = resources.department_weeks(pw)
    cvd = resources.capacity_vs_demand(rows, weeks=weeks)
    return ResourcesView(
        has_data=True,
        person_weeks=pw,
        person_chart=charts.utilisation_heatmap(pw, "person", lang),
        department_weeks=dw,
        department_chart=charts.utilisation_heatmap(dw, "department", lang),
        overallocated=resources.overallocated(pw),
        capacity=cvd,
        capacity_chart=charts.capacity_demand_chart(cvd, lang),
    )
