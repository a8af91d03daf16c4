"""The Portfolio page's view (``portfolio_view``) and the attention order
(``metrics.health.attention_order``), on hand-made metric rows."""

from __future__ import annotations

import pandas as pd

from pmo_analytics.metrics.health import assess, attention_order
from pmo_analytics.settings import Settings


def test_attention_order_red_then_amber_then_unknown_then_green():
    # thresholds: green >= 0.95, red < 0.85 (Settings defaults); no milestones, no risk register
    rows = pd.DataFrame(
        {
            "project_id": ["E", "B", "D", "A0", "F", "C", "G", "A"],
            "status_date": pd.Timestamp("2026-03-31"),
            "cpi": [1.00, 0.70, 0.90, 0.80, float("nan"), 0.84, 0.90, 0.80],
            "spi": [1.00, 1.00, 1.00, 0.80, 1.00, 0.84, 0.90, 0.80],
        }
    )
    order = attention_order(assess(rows, settings=Settings()))
    # red on two parts (cost and schedule): A (0.80), A0 (0.80, tie broken by id), C (0.84);
    # red on one part: B (CPI 0.70: lower than C's, but one red part only);
    # amber on two parts: G; on one: D; then F (CPI unknown: no RAG); green last: E
    assert order == ["A", "A0", "C", "B", "G", "D", "F", "E"]


def test_attention_order_empty():
    assert attention_order(assess(pd.DataFrame(columns=["project_id", "status_date", "cpi", "spi"]))) == []


def test_view_of_an_empty_store(store):
    """No projects and no tasks: the page offers the demo (``has_data`` False), nothing else."""
    from pmo_analytics.frames import PortfolioFrames, Scope
    from pmo_analytics.portfolio_view import build, in_words

    view = build(
        PortfolioFrames(Scope(), lambda table, history, sc: store.table(table, current=not history)), Settings()
    )
    assert not view.has_data and not view.has_metrics and view.attention == ()
    words = in_words(view, "zh")
    assert words.lines == () and words.quadrant == {} and words.heatmap == {}
