"""What the Quality page shows above its editor, computed in one call: ``build(frames,
settings, lang)``, cached by ``ui.page_view`` like the Portfolio page's view (data version,
filters' scope, settings, language: small keys, never frames).

The page used to hash the work items for two cached calls and build two figures and five
tables on every click (about 0.28 s of CPU a rerun on the demo). The deliverables editor stays
on the page (it reads one project at the edit's date). No streamlit import (library code).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import present
from .enums import enum_word
from .frames import PortfolioFrames
from .metrics import quality
from .metrics.agile import cacheable
from .settings import Settings


@dataclass(frozen=True)
class QualityView:
    """Defects (KPIs, open by priority, arrival vs closure, by version) and the deliverables'
    acceptance summary and list, in one language."""

    kpis: dict = field(default_factory=dict)  # defects, open, open_high
    priority_chart: object = None
    by_priority: pd.DataFrame = field(default_factory=pd.DataFrame)  # one column per priority, worded
    arrival_chart: object = None
    arrival: pd.DataFrame = field(default_factory=pd.DataFrame)
    undated: int = 0  # defects without a date, left out of arrival vs closure
    by_version: pd.DataFrame = field(default_factory=pd.DataFrame)
    register_ids: tuple[str, ...] = ()  # projects with deliverables (the editor's choices, with the projects)
    acceptance: pd.DataFrame | None = None  # None: no deliverables
    deliverables: pd.DataFrame | None = None


def build(frames: PortfolioFrames, settings: Settings, lang: str) -> QualityView:
    """The Quality page's defects and deliverables of ``frames`` in ``lang`` (``settings``:
    part of the cache key only)."""
    from .charts.weekly import arrival_closure_figure, open_defects_figure

    out: dict = {}
    items = cacheable(frames.history("work_items"))
    k = quality.defect_kpis(items)
    out["kpis"] = dict(k)
    if k["defects"]:
        long = quality.open_by_priority(items)
        ac = quality.arrival_closure(items)
        out.update(
            priority_chart=open_defects_figure(long, lang),
            by_priority=quality.priority_table(long).rename(columns=lambda c: enum_word(c, "priority", lang)),
            arrival_chart=arrival_closure_figure(ac, lang),
            arrival=ac,
            undated=int(ac.attrs.get("undated") or 0),
            by_version=quality.open_by_version(items),
        )
    register = frames.current("deliverables")
    if not register.empty:
        status = quality.deliverable_status(register)
        out.update(
            register_ids=tuple(sorted(set(register["project_id"].astype(str)))),
            acceptance=quality.deliverables_summary(status),
            deliverables=present.deliverables(quality.deliverables_view(status), lang),
        )
    return QualityView(**out)
