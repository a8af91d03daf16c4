"""Reporting tables for BI tools (Power BI, Tableau): the library's results, stored.

After every change of the data (an import, a withdrawal, a restore, a purge) and of the
organisation's settings, ``refresh`` computes the results at the organisation's settings with
the SAME code as the pages and the CLI (``frames.load_frames``, ``metrics.evm``,
``metrics.health``, ``metrics.fx``, ``metrics.risk``, ``metrics.milestones``, ``health_text``)
and the store writes them into its reporting tables, all in one transaction, keyed by the data
version (``Store.imports_state`` + the settings): a refresh at a version already written does
nothing, and one overtaken by a newer change writes nothing (the newer change's refresh does).

BI tools read the versioned views ``reporting.v1_<name>`` (a ``reporting`` schema in the DuckDB
file and in PostgreSQL); their columns are ``TABLES`` below, documented in docs/REPORTING.md.
A later, incompatible shape would be added as ``v2_*`` beside ``v1_*``, never by changing v1.
``export_parquet`` writes the same views as Parquet files (``export --parquet DIR``).

Nothing is re-implemented in SQL: the views only select the stored columns.

Set ``PMO_REPORTING=off`` to skip the automatic refresh after each change (then
``python -m pmo_analytics reporting`` or ``export --parquet`` refreshes on demand).

No streamlit import (library code).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

if TYPE_CHECKING:  # pragma: no cover
    from .settings import Settings

log = logging.getLogger(__name__)

VERSION = 1  # the views' version: reporting.v1_*
SCHEMA = "reporting"  # the database schema holding the views
STORED_PREFIX = "reporting_"  # the stored tables (main/public schema): reporting_<name>


@dataclass(frozen=True)
class Column:
    """One column of a reporting view: name, kind (text, date, float, int, bool, timestamp), meaning."""

    name: str
    kind: str
    doc: str


def _cols(*spec: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in spec)


_IDENTITY = (
    ("project_id", "text", "project id"),
    ("project_name", "text", "project name (its latest status date's)"),
    ("portfolio", "text", "portfolio (latest status date's)"),
    ("program", "text", "program (latest status date's)"),
    ("department", "text", "department (latest status date's)"),
    ("manager", "text", "project manager (latest status date's)"),
    ("project_status", "text", "the project's status word as imported (Active, Closed, 已关闭 ...)"),
    (
        "closed",
        "bool",
        "true for a closed or cancelled project (left out of the app's portfolio totals unless included)",
    ),
)

_MONEY = (
    ("currency", "text", "the project's currency (ISO code): every amount of the row is in it"),
    ("bac", "float", "budget at completion"),
    ("pv", "float", "planned value at the status date"),
    ("ev", "float", "earned value"),
    ("ac", "float", "actual cost"),
    ("cv", "float", "cost variance = EV - AC"),
    ("sv", "float", "schedule variance = EV - PV"),
    ("cpi", "float", "cost performance index = EV / AC (null when AC is 0 or missing)"),
    ("spi", "float", "schedule performance index = EV / PV"),
    ("es", "float", "earned schedule, in periods (PMO_EVM_PERIOD)"),
    ("at", "float", "actual time, in periods"),
    ("spi_t", "float", "time-based schedule index = ES / AT"),
    ("sv_t", "float", "time-based schedule variance = ES - AT, in periods"),
    ("eac_cpi", "float", "estimate at completion = BAC / CPI"),
    ("etc", "float", "estimate to complete = EAC - AC"),
    ("vac", "float", "variance at completion = BAC - EAC"),
    ("tcpi_bac", "float", "to-complete performance index = (BAC - EV) / (BAC - AC)"),
    ("forecast_finish", "date", "forecast finish from earned schedule"),
)

# name -> columns of reporting.v1_<name>
TABLES: dict[str, tuple[Column, ...]] = {
    "project_metrics": _cols(
        *_IDENTITY[:1],
        ("status_date", "date", "the status date of the row (one row per project and status date)"),
        ("is_current", "bool", "true on the project's latest status date"),
        *_IDENTITY[1:],
        *_MONEY,
        ("rag", "text", "overall RAG code: red, amber, green, or null (no RAG: an indicator is missing)"),
        ("rag_en", "text", "overall RAG in English (Red, Amber, Green; empty for no RAG)"),
        ("rag_zh", "text", "overall RAG in Simplified Chinese (红, 黄, 绿)"),
        ("cost_rag", "text", "the cost part's RAG (CPI against the index thresholds)"),
        ("schedule_metric", "text", "the schedule index the rule used: spi_t when known, else spi"),
        ("schedule_index", "float", "its value"),
        ("schedule_rag", "text", "the schedule part's RAG"),
        ("milestones_slipped", "float", "milestones slipped at the status date (null: not rated on milestones)"),
        ("milestones_rag", "text", "the milestones part's RAG"),
        ("risk_exposure", "float", "open threat exposure = sum of probability x impact of open threats"),
        ("risk_exposure_pct", "float", "open threat exposure / BAC, a fraction 0..1"),
        ("exposure_rag", "text", "the risk part's RAG"),
        ("quality_score", "float", "DCMA schedule-quality score 0..100 (current status date only)"),
        ("stale", "bool", "the project's data is older than one reporting period at the as-of date"),
        ("rag_reasons", "text", 'why, as JSON codes: [{"code", "value", "threshold"}] (README, Project health)'),
        ("rag_reasons_en", "text", "why, in English (SPI(t) 0.81 < 0.85 · 2 milestones slipped)"),
        ("rag_reasons_zh", "text", "why, in Simplified Chinese"),
        ("flags", "text", "flags beside the colour as JSON codes (quality_below, stale)"),
        ("flags_en", "text", "flags in English"),
        ("flags_zh", "text", "flags in Simplified Chinese"),
    ),
    "portfolio_history": _cols(
        ("status_date", "date", "status date of the roll-up (one row per status date, or per currency)"),
        (
            "currency",
            "text",
            "the reporting currency when converted; else the currency of this row's projects",
        ),
        ("converted", "bool", "true: every project converted at the date's rate; false: a rate is missing"),
        ("missing_rates", "text", "JSON list of the missing rates (currency, reporting, date) when not converted"),
        ("projects", "int", "projects in the roll-up (active and on-hold; closed ones left out, as the app)"),
        *(c for c in _MONEY[1:] if c[0] != "forecast_finish"),
        ("forecast_finish", "date", "forecast finish of the portfolio from earned schedule"),
    ),
    "risks": _cols(
        *_IDENTITY[:1],
        ("status_date", "date", "the status date of the risk register snapshot (each project's latest)"),
        *_IDENTITY[1:2],
        *_IDENTITY[-1:],
        ("risk_id", "text", "risk id"),
        ("title", "text", "risk title"),
        ("category", "text", "category"),
        ("kind", "text", "threat or opportunity (a negative impact cost)"),
        ("risk_status", "text", "status word as imported"),
        ("is_open", "bool", "true while the risk is open"),
        ("probability", "float", "probability 0..1"),
        ("impact_cost", "float", "cost impact in the project's currency"),
        ("currency", "text", "the project's currency"),
        ("risk_exposure", "float", "probability x impact cost"),
        ("probability_score", "int", "probability score 1..5 (given, else derived)"),
        ("impact_score", "int", "impact score 1..5 (given, else derived)"),
        ("risk_score", "int", "probability score x impact score"),
        ("band", "text", "score band: low, medium, high"),
        ("owner", "text", "owner"),
        ("response", "text", "response"),
        ("due_date", "date", "response due date"),
        ("raised_date", "date", "date raised"),
        ("impact_days", "float", "schedule impact in working days"),
    ),
    "milestones": _cols(
        *_IDENTITY[:1],
        ("task_id", "text", "milestone task id"),
        ("milestone", "text", "milestone name"),
        ("status_date", "date", "the milestone's latest status date"),
        *_IDENTITY[1:2],
        *_IDENTITY[-1:],
        ("baseline_finish", "date", "baseline finish"),
        ("forecast_finish", "date", "forecast finish: the actual finish, else the planned finish"),
        ("done", "bool", "finished (actual finish, or 100 % complete)"),
        ("slip_days", "float", "working days from baseline to forecast finish (positive = late)"),
        ("slip_change_days", "float", "change of the slip since the previous status date"),
        ("first_forecast_finish", "date", "the forecast finish at the first status date it was reported"),
        ("slip_since_first_days", "float", "change of the slip since then"),
        ("status_dates", "int", "status dates the milestone was reported on"),
    ),
    "refresh": _cols(
        ("data_version", "text", "the data version these tables were computed at (imports and settings)"),
        ("refreshed_at", "timestamp", "when they were written"),
        ("reporting_currency", "text", "the organisation's reporting currency"),
        ("settings", "text", "the organisation's settings used, as JSON (thresholds, EV method, period ...)"),
        ("row_counts", "text", "rows per table, as JSON"),
    ),
}

SQL_KINDS = {
    "text": "VARCHAR",
    "date": "DATE",
    "float": "DOUBLE",
    "int": "BIGINT",
    "bool": "BOOLEAN",
    "timestamp": "TIMESTAMP",
}
_ARROW = {
    "text": pa.string(),
    "date": pa.date32(),
    "float": pa.float64(),
    "int": pa.int64(),
    "bool": pa.bool_(),
    "timestamp": pa.timestamp("us"),
}


def stored_name(name: str) -> str:
    """The stored table behind ``reporting.v1_<name>``."""
    return STORED_PREFIX + name


def view_name(name: str) -> str:
    """``v1_<name>`` (in the ``reporting`` schema)."""
    return f"v{VERSION}_{name}"


def stored_ddl(types: dict[str, str] | None = None) -> dict[str, list[tuple[str, str]]]:
    """The stored tables as (column, SQL type) lists, for the store's migration (``AUX_DDL``)."""
    kinds = types or SQL_KINDS
    return {stored_name(n): [(c.name, kinds[c.kind]) for c in cols] for n, cols in TABLES.items()}


def arrow_schema(name: str) -> pa.Schema:
    return pa.schema([pa.field(c.name, _ARROW[c.kind]) for c in TABLES[name]])


def _column(values: pd.Series, kind: str) -> pa.Array:
    typ = _ARROW[kind]
    if kind in ("date", "timestamp"):
        d = pd.to_datetime(values, errors="coerce")
        if getattr(d.dt, "tz", None) is not None:
            d = d.dt.tz_localize(None)
        unit = "datetime64[D]" if kind == "date" else "datetime64[us]"
        return pa.array(d.to_numpy().astype(unit), type=typ, mask=d.isna().to_numpy())
    if kind == "float":
        return pa.array(pd.to_numeric(values, errors="coerce").astype(float), type=typ, from_pandas=True)
    if kind == "int":
        return pa.array(pd.to_numeric(values, errors="coerce").astype("Int64"), type=typ, from_pandas=True)
    if kind == "bool":
        return pa.array([None if v is None or v is pd.NA or v != v else bool(v) for v in values], type=typ)
    return pa.array([None if v is None or v is pd.NA or v != v or v == "" else str(v) for v in values], type=typ)


def to_arrow(name: str, df: pd.DataFrame) -> pa.Table:
    """``df`` as the Arrow table of ``reporting.v1_<name>``: exactly its columns, in order and
    typed (a column ``df`` lacks is null)."""
    cols = TABLES[name]
    arrays = [_column(df[c.name] if c.name in df.columns else pd.Series([None] * len(df)), c.kind) for c in cols]
    return pa.Table.from_arrays(arrays, schema=arrow_schema(name))


# --------------------------------------------------------------------------- computing
def _json_codes(reasons: Iterable[Any] | None) -> str:
    from .metrics.health import reasons_json

    return json.dumps(reasons_json(reasons or []), ensure_ascii=False)


def _identity(projects: pd.DataFrame) -> pd.DataFrame:
    """project_id -> the identity columns of ``TABLES`` (current projects, one row each)."""
    from .frames import is_closed

    cols = ["project_id", "name", "portfolio", "program", "department", "manager", "status"]
    p = projects.reindex(columns=cols).drop_duplicates("project_id", keep="last")
    p = p.rename(columns={"name": "project_name", "status": "project_status"})
    p["closed"] = p["project_status"].map(is_closed).astype(bool)
    return p


def build(store: Any, settings: Settings | None = None) -> dict[str, pd.DataFrame]:
    """Every reporting table of ``store`` at ``settings`` (default: the organisation's), as frames
    with the columns of ``TABLES`` (except ``refresh``): the same computation as the pages
    and ``metrics --json``: every project (closed ones included, marked ``closed``) for the
    project, risk and milestone tables; the portfolio roll-up as the Portfolio page shows it
    (closed projects left out), converted into the reporting currency at each date's rate."""
    from .frames import Selection, load_frames
    from .health_text import rag_word, reasons_text
    from .metrics import dcma, evm, fx, health, milestones, risk
    from .settings import org_from_store

    s = settings or org_from_store(store)
    fr = load_frames(store, Selection(include_closed=True))
    projects = fr.current("projects")
    ident = _identity(projects)
    tasks = fr.history("tasks")
    money = fx.context(projects, fr.current("fx_rates"), s)

    # ---- project metrics per status date, with the one health decision
    res = evm.analyse(tasks, projects, fr.history("evm_periods"), s)
    rows = res.metrics
    if len(rows):
        quality = dcma.schedule_quality(fr.current("tasks"), fr.current("links"), s)
        assessed = health.assess_tables(rows, tasks, fr.history("risks"), projects, s, quality=quality)
        judged = assessed.drop(columns=["cpi"], errors="ignore").rename(
            columns={"cpi_rag": "cost_rag", "current": "is_current"}
        )
        pm = rows.merge(judged, on=["project_id", "status_date"], how="left")
        pm["currency"] = [money.project_currency(p) for p in pm["project_id"]]
        rag = pm["rag"].fillna("").astype(str)
        pm["rag_en"] = [rag_word(r, "en") for r in rag]
        pm["rag_zh"] = [rag_word(r, "zh") for r in rag]
        for lang in ("en", "zh"):
            pm[f"rag_reasons_{lang}"] = [
                reasons_text(r, lang, rag=c) for r, c in zip(pm["rag_reasons"], rag, strict=True)
            ]
            pm[f"flags_{lang}"] = [reasons_text(f, lang) for f in pm["flags"]]
        pm["rag_reasons"] = [_json_codes(r) for r in pm["rag_reasons"]]
        pm["flags"] = [_json_codes(f) for f in pm["flags"]]
        pm["is_current"] = pm["is_current"].fillna(False).astype(bool)
        pm = pm.merge(ident, on="project_id", how="left")
    else:
        pm = pd.DataFrame()

    # ---- portfolio history, as the Portfolio page (closed projects left out)
    port = load_frames(store, Selection())
    pres = evm.analyse(port.history("tasks"), port.current("projects"), port.history("evm_periods"), s)
    records: list[dict[str, Any]] = []
    if len(pres.metrics):
        pmoney = fx.context(port.current("projects"), port.current("fx_rates"), s)
        for rec in fx.rollup_records(evm.portfolio_history(pres, s, fx=pmoney)):
            if "by_currency" not in rec:
                records.append({**rec, "converted": True})
                continue
            missing = json.dumps(rec.get("missing_rates", []), ensure_ascii=False, default=str)
            for sub in rec["by_currency"]:
                records.append({**sub, "status_date": rec["status_date"], "converted": False, "missing_rates": missing})
    ph = pd.DataFrame(records)

    # ---- current risks, as the Risk page's register
    risks = fr.current("risks")
    rk = risk.enrich(risks, projects) if len(risks) else pd.DataFrame()
    if len(rk):
        rk = rk.rename(columns={"status": "risk_status"})
        rk["currency"] = [money.project_currency(p) for p in rk["project_id"]]
        rk = rk.merge(ident[["project_id", "project_name", "closed"]], on="project_id", how="left")

    # ---- milestones, as the Milestones page's tracker
    ms = milestones.milestone_tracker(tasks, s.holidays)
    if len(ms):
        ms = ms.rename(columns={"name": "milestone"}).merge(
            ident[["project_id", "project_name", "closed"]], on="project_id", how="left"
        )
    return {"project_metrics": pm, "portfolio_history": ph, "risks": rk, "milestones": ms}


# --------------------------------------------------------------------------- refreshing
def enabled() -> bool:
    """Whether every change refreshes the reporting tables (``PMO_REPORTING``, on by default)."""
    return os.environ.get("PMO_REPORTING", "on").strip().lower() not in ("off", "0", "no", "false")


def data_version(store: Any, settings: Settings) -> str:
    """The data version the reporting tables are keyed by: the imports' state (which imports
    exist and which are withdrawn, ``Store.imports_state``) and the organisation's settings."""
    from .settings import org_values

    body = json.dumps(org_values(settings), sort_keys=True, default=str)
    return f"{store.imports_state()}/s{hashlib.sha256(body.encode()).hexdigest()[:12]}"


def stored_version(store: Any) -> str | None:
    """The data version the stored reporting tables were computed at (None: never refreshed)."""
    return store.reporting_version()


@dataclass(frozen=True)
class Refresh:
    """What ``refresh`` did: the data version, whether it wrote (``written``), rows per table."""

    data_version: str
    written: bool
    rows: dict[str, int]


def refresh(store: Any, *, force: bool = False) -> Refresh:
    """Bring the reporting tables to the store's current data version: nothing to do when they
    are at it already (unless ``force``); else compute (``build``) and write them in one
    transaction. When another change commits meanwhile, nothing is written (its own refresh
    writes the newer version) and ``written`` is False."""
    from .settings import org_from_store, org_values

    s = org_from_store(store)
    state = store.imports_state()
    version = data_version(store, s)
    if not force and stored_version(store) == version:
        return Refresh(version, False, {})
    frames = build(store, s)
    tables = {n: to_arrow(n, df) for n, df in frames.items()}
    rows = {n: t.num_rows for n, t in tables.items()}
    meta = {
        "data_version": version,
        "refreshed_at": datetime.now(),
        "reporting_currency": s.reporting_currency,
        "settings": json.dumps(org_values(s), ensure_ascii=False, sort_keys=True, default=str),
        "row_counts": json.dumps(rows, sort_keys=True),
    }
    tables["refresh"] = to_arrow("refresh", pd.DataFrame([meta]))
    written = store.replace_reporting(tables, expect_state=state)
    return Refresh(version, written, rows)


def after_change(store: Any) -> None:
    """Called by the store after each committed change (import, withdrawal, restore, purge,
    organisation settings): ``refresh`` unless ``PMO_REPORTING=off``. The change itself has
    committed; a failure here is logged and leaves the reporting tables at their previous
    version (``reporting.v1_refresh`` says which), for the next change or
    ``python -m pmo_analytics reporting`` to bring up to date."""
    if not enabled():
        return
    try:
        refresh(store)
    except Exception:  # noqa: BLE001 - the committed change stands; the tables stay at their version
        log.exception("reporting tables not refreshed")


def read(store: Any, name: str) -> pd.DataFrame:
    """The rows of ``reporting.v1_<name>`` as BI tools see them."""
    return store.reporting_table(name)


def export_parquet(store: Any, folder: str | Path) -> list[Path]:
    """Refresh, then write every ``reporting.v1_*`` view as ``<folder>/v1_<name>.parquet``
    (the same tables a BI tool reads from the database). Returns the files written."""
    import pyarrow.parquet as pq

    refresh(store)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        path = out / f"{view_name(name)}.parquet"
        pq.write_table(to_arrow(name, read(store, name)), path)
        written.append(path)
    return written


__all__ = [
    "SCHEMA",
    "TABLES",
    "VERSION",
    "Column",
    "Refresh",
    "after_change",
    "arrow_schema",
    "build",
    "data_version",
    "enabled",
    "export_parquet",
    "read",
    "refresh",
    "stored_ddl",
    "stored_name",
    "stored_version",
    "to_arrow",
    "view_name",
]
