"""Everything the Portfolio landing page shows, computed in one call: ``build(frames, settings)``.

The page used to call six library functions itself (EVM metrics, totals with the currency
conversion, DCMA quality, the health engine, the health table, the heatmap's matrix), each
cached on its own with big frames as cache arguments that Streamlit hashed on every run.
``build`` does the whole computation from the frames of one selection
(``frames.PortfolioFrames``) and returns a ``PortfolioView``; ``ui.portfolio_view`` caches it
once per (data version, scope, settings incl. the reporting currency), keys that are cheap to
hash. ``in_words`` turns the view's codes into one language (cached per language as well).

**Attention order** (``metrics.health.attention_order``): red before amber, amber before
"no RAG" (an index could not be computed); within a colour, more parts at that colour first
(cost, schedule, milestones, risk); then the lowest of CPI and the schedule index (SPI(t),
else SPI) first, i.e. the farthest below the index thresholds; then the project id. Green
projects need nothing: they are counted, not listed. The project health table and the
heatmap's "worst first" use the same order.

No streamlit import (library code).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from .frames import PortfolioFrames
from .health_text import rag_word, reasons_text, with_words
from .metrics import dcma, evm, fx, health
from .metrics.portfolio import Totals, health_table, totals
from .settings import Settings

# The project health table: identity, RAG and the key indices first, then why, then money
TABLE_COLUMNS = [
    "project_id",
    "name",
    "rag",
    "cpi",
    "spi",
    "spi_t",
    "rag_reasons",
    "flags",
    "milestones_slipped",
    "risk_exposure_pct",
    "status_date",
    "currency",
    "bac",
    "pv",
    "ev",
    "ac",
    "eac_cpi",
    "vac",
    "forecast_finish",
    "program",
    "manager",
    "status",
]
# What a rise of each KPI tile means: 1 = good (EV earned, indices up, VAC less negative),
# -1 = bad (AC spent, EAC and TCPI up), 0 = neither (a budget or plan that changed)
KPI_DIRECTION = {"bac": 0, "pv": 0, "ev": 1, "ac": -1, "cpi": 1, "spi": 1, "eac_cpi": -1, "vac": 1, "tcpi_bac": -1}
MATRIX_SHOWN = ["project_id", "name", "rag", "flags", *health.INDICATORS]
NEEDS_ATTENTION = ("red", "amber", "")


@dataclass(frozen=True)
class PortfolioView:
    """The Portfolio page's content for one selection, as codes (``in_words`` makes text).

    - ``has_data``: the selection has projects or tasks (else the page offers the demo);
      ``has_metrics``: at least one project has EVM rows.
    - ``totals``: current KPI totals and deltas (``metrics.portfolio.Totals``), converted into
      the reporting currency where every rate exists; ``status_date`` the latest among them.
    - ``counts``: projects by overall RAG (red, amber, green, unknown); ``flagged``: projects
      flagged for schedule quality (``quality_below``) and stale data (``stale``).
    - ``table``: one row per project, ``TABLE_COLUMNS``, attention order, money in each
      project's own currency (``currency`` column).
    - ``attention``: the project ids that need attention (red, amber, no RAG) in attention order.
    - ``quadrant``: the table's rows with money converted (``fx.convert``) for the CPI x SPI chart.
    - ``matrix``: the heatmap's ``metrics.health.health_matrix`` in attention order.
    """

    has_data: bool
    has_metrics: bool = False
    totals: Totals | None = None
    status_date: date | None = None
    counts: dict[str, int] = field(default_factory=dict)
    flagged: dict[str, int] = field(default_factory=dict)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    attention: tuple[str, ...] = ()
    quadrant: pd.DataFrame = field(default_factory=pd.DataFrame)
    matrix: pd.DataFrame = field(default_factory=pd.DataFrame)


def build(frames: PortfolioFrames, settings: Settings) -> PortfolioView:
    """The Portfolio page of ``frames`` (one selection) under ``settings`` (thresholds, EVM
    method, reporting currency). Every number the page shows comes from here."""
    s = settings
    projects = frames.current("projects")
    tasks = frames.history("tasks")
    if projects.empty and tasks.empty:
        return PortfolioView(has_data=False)
    rows = evm.project_metrics(tasks, projects, frames.history("evm_periods"), s)
    if rows.empty:
        return PortfolioView(has_data=True)
    money = fx.context(projects, frames.current("fx_rates"), s)
    quality = dcma.schedule_quality(
        frames.current("tasks"), frames.current("links"), s, frames.current("calendars"), projects
    )
    assessed = health.assess_tables(rows, tasks, frames.history("risks"), projects, s, quality=quality)
    order = health.attention_order(assessed)
    rank = {p: i for i, p in enumerate(order)}
    cur = health.current(assessed)

    table = fx.with_currency(health_table(rows, projects, assessed), money)
    table = _in_order(table, rank)[TABLE_COLUMNS]
    matrix = health.health_matrix(assessed, rows, risks=frames.current("risks"), projects=projects, settings=s)
    matrix = _in_order(matrix, rank)
    flags = [f.code for fl in cur["flags"] for f in fl] if len(cur) else []
    latest = pd.Timestamp(rows["status_date"].max())
    return PortfolioView(
        has_data=True,
        has_metrics=True,
        totals=totals(rows, money),
        status_date=None if pd.isna(latest) else latest.date(),
        counts=health.rag_counts(assessed),
        flagged={code: flags.count(code) for code in health.FLAG_CODES},
        table=table,
        attention=tuple(p for p in order if cur.at[p, "rag"] in NEEDS_ATTENTION),
        quadrant=fx.convert(table, money).rows,
        matrix=matrix,
    )


def _in_order(df: pd.DataFrame, rank: dict[str, int]) -> pd.DataFrame:
    """``df`` (rows with project_id) sorted by ``rank`` (projects not ranked last, by id)."""
    if df.empty:
        return df.reset_index(drop=True)
    key = df["project_id"].astype(str).map(rank).fillna(len(rank))
    return df.assign(_k=key).sort_values(["_k", "project_id"], kind="stable").drop(columns="_k").reset_index(drop=True)


@dataclass(frozen=True)
class AttentionLine:
    """One line of the attention list: the project, its RAG (code and word) and why, in words."""

    project_id: str
    name: str
    rag: str
    rag_word: str
    reasons: str
    flags: str


def attention_in_words(table: pd.DataFrame, order, lang: str) -> list[AttentionLine]:
    """One ``AttentionLine`` per project id of ``order`` found in ``table`` (codes: ``rag``,
    ``rag_reasons``, ``flags``, ``name``), in that order, with the RAG and reasons in ``lang``
    (``health_text``): the one place the Portfolio page, the weekly report and the deck word it."""
    rows = table.set_index(table["project_id"].astype(str)) if len(table) else None
    out = []
    for pid in order:
        if rows is None or pid not in rows.index:
            continue
        row = rows.loc[pid]
        rag = str(row["rag"] or "")
        name = row.get("name")
        out.append(
            AttentionLine(
                project_id=pid,
                name="" if name is None or pd.isna(name) else str(name),
                rag=rag,
                rag_word=rag_word(rag, lang) if rag else "",
                reasons=reasons_text(row["rag_reasons"], lang, rag=rag),
                flags=reasons_text(row["flags"], lang),
            )
        )
    return out


@dataclass(frozen=True)
class PortfolioWords:
    """The view's tables and attention list in one language: ``table`` and ``matrix`` with
    ``rag`` as a word (Red/红 ...), ``rag_reasons`` and ``flags`` as text; ``lines`` the
    attention list in attention order."""

    table: pd.DataFrame
    matrix: pd.DataFrame
    lines: tuple[AttentionLine, ...]
    quadrant: dict = field(default_factory=dict)
    heatmap: dict = field(default_factory=dict)


def in_words(view: PortfolioView, lang: str, settings: Settings | None = None) -> PortfolioWords:
    """The view's codes in ``lang`` (``health_text``): words for the RAG, reasons, flags; the
    CPI x SPI quadrant and the heatmap (attention order) as plotly figure dicts, built once
    here rather than on every rerun."""
    from .charts.health import health_heatmap
    from .charts.portfolio import quadrant

    table = with_words(view.table, lang)
    matrix = view.matrix[MATRIX_SHOWN] if len(view.matrix) else pd.DataFrame(columns=MATRIX_SHOWN)
    matrix = with_words(matrix, lang)
    lines = attention_in_words(view.table, view.attention, lang)
    figures = {}
    if view.has_metrics:
        figures["quadrant"] = quadrant(view.quadrant, settings or Settings(), lang).to_dict()
        figures["heatmap"] = health_heatmap(view.matrix, lang).to_dict()
    return PortfolioWords(table=table, matrix=matrix, lines=tuple(lines), **figures)
