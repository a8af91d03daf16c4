"""The portfolio report workbook: one xlsx a manager can forward as it is.

``portfolio_report(...)`` takes already-computed DataFrames and writes the sheets

    Summary | Projects | EVM history | Risks | Milestones | Schedule quality | Tasks

(Chinese names and headers with ``lang="zh"``) with NATIVE Excel charts on the Summary
sheet (S-curve PV/EV/AC, CPI/SPI trend, risk exposure by project) that reference cells in
the workbook, so they work in Excel and LibreOffice without Python and paste into slides.
A sheet whose frame is None or empty is left out and named on the Summary sheet.

Expected input columns (canonical/metric names; extra columns are written too, unknown
names keep their name as header; missing optional columns are simply absent):

- ``projects``: one row per project: project_id, name, [program, portfolio, department,
  manager, status, currency], status_date, bac, pv, ev, ac, cv, sv, cpi, spi, spi_t,
  eac_cpi, vac, ... (``metrics.evm`` glossary), [rag, rag_reasons, flags: the health
  engine's decision, ``metrics.health``; reasons/flags as ``Reason`` lists, written in words].
  RAG columns hold "green"/"amber"/"red"; index columns (cpi, spi, spi_t, cpli, bei) are coloured with
  ``settings`` thresholds. A ``currency`` column gives each row's money format.
- ``evm_history``: one row per (project_id, status_date) with the same metric columns.
- ``portfolio_trend``: one row per status_date with bac, pv, ev, ac, cpi, spi [spi_t,
  eac_cpi] summed over projects then divided (``metrics.evm.portfolio_history``). When None
  it is computed from ``evm_history`` (carry-forward as-of roll-up, sum then divide).
- ``scurve``: ``metrics.evm.s_curve_frame`` output (kind "plan" rows: date, pv_cum); the
  planned PV line of the S-curve. Without it the S-curve uses the trend's PV.
- ``risks``: the register: project_id, risk_id, title, ..., probability, impact_cost,
  risk_score, risk_exposure (computed as probability x impact_cost when absent), [is_open, kind].
- ``milestones``: project_id, task_id, name, baseline_finish, forecast_finish, slip_days, ...
  (``metrics.milestones.milestone_tracker``); slip_days > 0 is red.
- ``schedule_quality``: DCMA checks (``metrics.dcma.dcma``): project_id, check, name, value,
  unit, comparator, threshold, passed, ...; passed False is red.
- ``tasks``: canonical tasks (current snapshot).

``report_frames(...)`` computes all of these from canonical tables with the metric engines,
and ``report_from_store(store, ...)`` reads them from the store first (used by the CLI and the
Export page).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from . import i18n
from .errors import PmoError
from .export import ExcelBook, TableInfo, column_label, currency_format, label_columns
from .metrics.columns import numeric
from .metrics.fx import FxContext
from .settings import Settings

SHEETS = ("projects", "evm_history", "risks", "milestones", "schedule_quality", "tasks", "schedule_risk")
SHEET_TABLE = {
    "projects": "projects",
    "evm_history": None,
    "risks": "risks",
    "milestones": "tasks",
    "tasks": "tasks",
    "schedule_risk": "projects",
}
INDEX_COLUMNS = ("cpi", "spi", "spi_t", "cpli", "bei")
TREND_COLUMNS = ("status_date", "bac", "pv", "ev", "ac", "cpi", "spi", "spi_t", "eac_cpi")
SMALL_WORKBOOK_CELLS = 150_000  # below this the workbook is kept in memory so charts carry cached values
CHART_COL = 10  # charts start in column K of the Summary sheet
TOP_EXPOSURE = 15


@dataclass
class ReportSheet:
    """What was written for one sheet (for the page and tests)."""

    key: str
    name: str
    rows: int


def _t(key: str, lang: str, **fmt: object) -> str:
    return i18n.t(key, lang, **fmt)


def _present(df: pd.DataFrame | None) -> bool:
    return df is not None and len(df) > 0 and df.shape[1] > 0


def _sum(df: pd.DataFrame, col: str) -> float:
    if col not in df.columns:
        return math.nan
    return float(numeric(df[col]).sum(min_count=1))


def _div(a: float, b: float) -> float:
    return a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan


def _rag_words(lang: str) -> dict[str, str]:
    """Displayed RAG word (either language) -> colour."""
    out = {}
    for colour in ("green", "amber", "red"):
        out[colour] = colour
        for lg in ("en", "zh"):
            key = f"rag.{colour}"
            if i18n.has(key):
                out[i18n.t(key, lg).casefold()] = colour
    return out


def _translate_rag(s: pd.Series, lang: str) -> pd.Series:
    words = {c: (_t(f"rag.{c}", lang) if i18n.has(f"rag.{c}") else c) for c in ("green", "amber", "red")}
    return s.map(lambda v: words.get(str(v).strip().lower(), v) if isinstance(v, str) else v).astype(object)


VALUE_WORDS = {"kind": ("threat", "opportunity"), "band": ("high", "medium", "low")}
BAND_COLOURS = {"high": "red", "medium": "amber", "low": "green"}


def _translate_values(s: pd.Series, words: Sequence[str], lang: str) -> pd.Series:
    table = {w: _t(f"export.value.{w}", lang) for w in words}
    return s.map(lambda v: table.get(v.strip().lower(), v) if isinstance(v, str) else v).astype(object)


def _currencies(projects: pd.DataFrame | None) -> list[str]:
    if not _present(projects) or "currency" not in projects.columns:
        return []
    vals = projects["currency"].dropna().astype(str).str.strip()
    return sorted({v.upper() for v in vals if v})


def _trend_from_history(history: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Portfolio roll-up per status date: each project's latest values known on that date, summed, then divided."""
    from .metrics import evm

    need = {"project_id", "status_date", "pv", "ev", "ac", "bac"}
    if not need.issubset(history.columns):
        return pd.DataFrame()
    return evm.portfolio_rollup(evm.as_of_rows(history), ("status_date",), None, settings)


def _money_kpis(p: pd.DataFrame, fx: FxContext | None) -> tuple[pd.DataFrame, str | None, list[str]]:
    """(the project rows to sum, the currency of their sums, currencies to total apart): the rows
    converted into the reporting currency at the latest status date's rate; without a rate for
    some currency, the rows unconverted and one set of totals per currency."""
    from .metrics import fx as fx_mod

    if fx is None or "project_id" not in p.columns:
        return p, None, []
    at = p["status_date"].max() if "status_date" in p.columns else None
    conv = fx_mod.convert(p, fx, at=at)
    if conv.converted:
        return conv.rows, fx.reporting, []
    own = p.assign(currency=[fx.project_currency(x) for x in p["project_id"]])
    return own, None, sorted(set(own["currency"]))


def _kpis(
    frames: dict[str, pd.DataFrame | None], settings: Settings, lang: str, fx: FxContext | None = None
) -> list[tuple[str, object, str]]:
    """(label, value, kind) rows for the Summary's key figures (sums first, then ratios). With
    ``fx``, amounts are converted into the reporting currency (kind ``money:<code>``); where a
    rate is missing, BAC/PV/EV/AC/EAC are totalled per currency instead (one row each)."""
    rows: list[tuple[str, object, str]] = []
    p = frames.get("projects")
    at = None
    conv_ccy: str | None = None
    if _present(p):
        n = p["project_id"].nunique() if "project_id" in p.columns else len(p)
        rows.append((_t("report.kpi.projects", lang), int(n), "int"))
        at = p["status_date"].max() if "status_date" in p.columns else None
        p, conv_ccy, apart = _money_kpis(p, fx)
        if apart:
            for ccy in apart:
                mine = p[p["currency"] == ccy]
                for k in ("bac", "pv", "ev", "ac", "eac_cpi"):
                    if k in mine.columns:
                        label = _t(f"report.kpi.{'eac' if k == 'eac_cpi' else k}", lang)
                        rows.append((f"{label} ({ccy})", float(numeric(mine[k]).sum(min_count=1)), f"money:{ccy}"))
            p = p.drop(columns=[c for c in ("bac", "pv", "ev", "ac", "eac_cpi") if c in p.columns])
        sums = {k: _sum(p, k) for k in ("bac", "pv", "ev", "ac")}
        money = f"money:{conv_ccy}" if conv_ccy else "money"
        for k in ("bac", "pv", "ev", "ac"):
            if k in p.columns:
                rows.append((_t(f"report.kpi.{k}", lang), sums[k], money))
        if {"ev", "ac"}.issubset(p.columns):
            rows.append((_t("report.kpi.cpi", lang), _div(sums["ev"], sums["ac"]), "ratio"))
        if {"ev", "pv"}.issubset(p.columns):
            rows.append((_t("report.kpi.spi", lang), _div(sums["ev"], sums["pv"]), "ratio"))
        if "eac_cpi" in p.columns:
            eac = numeric(p["eac_cpi"])
            rows.append((_t("report.kpi.eac", lang), float(eac.sum()) if eac.notna().all() else math.nan, money))
        if "rag" in p.columns:  # the health engine's overall RAG (metrics.health)
            rag = p["rag"].fillna("").astype(str).str.lower()
            for colour in ("red", "amber", "green"):
                rows.append((_t(f"health.count.{colour}", lang), int(rag.eq(colour).sum()), "int"))
        else:
            red = pd.Series(False, index=p.index)
            for c in ("cpi", "spi"):
                if c in p.columns:
                    red |= numeric(p[c]).map(settings.rag).eq("red")
            rows.append((_t("report.kpi.red", lang), int(red.sum()), "int"))
    r = frames.get("risks")
    if _present(r):
        rows.append((_t("report.kpi.risks_open", lang), len(r), "int"))
        if "risk_exposure" in r.columns:
            exp = numeric(r["risk_exposure"])
            kind = "money"
            if fx is not None and "project_id" in r.columns:  # each risk in its project's currency
                when = at if at is not None else r["status_date"].max() if "status_date" in r.columns else None
                rates = [fx.rate(fx.project_currency(x), when) if when is not None else None for x in r["project_id"]]
                if any(v is None for v in rates):
                    exp = exp * math.nan  # no cross-currency total without a rate
                else:
                    exp, kind = exp * pd.Series(rates, index=exp.index, dtype=float), f"money:{fx.reporting}"
            if "is_open" in r.columns:
                exp = exp[r["is_open"].astype(bool).to_numpy()]
            rows.append((_t("report.kpi.exposure", lang), float(exp.sum(min_count=1)), kind))
    m = frames.get("milestones")
    if _present(m) and "slip_days" in m.columns:
        rows.append((_t("report.kpi.milestones_late", lang), int((numeric(m["slip_days"]) > 0).sum()), "int"))
    q = frames.get("schedule_quality")
    if _present(q) and "passed" in q.columns:
        rows.append((_t("report.kpi.dcma_failed", lang), int((q["passed"].astype(object) == False).sum()), "int"))  # noqa: E712
    tk = frames.get("tasks")
    if _present(tk):
        rows.append((_t("report.kpi.tasks", lang), len(tk), "int"))
    return rows


def _exposure_by_project(risks: pd.DataFrame, projects: pd.DataFrame | None) -> pd.DataFrame:
    """Open exposure per project (threats and opportunities netted as the register states them), largest first."""
    if not {"project_id", "risk_exposure"}.issubset(risks.columns):
        return pd.DataFrame()
    r = risks
    if "is_open" in r.columns:
        r = r[r["is_open"].astype(bool).to_numpy()]
    g = r.assign(_e=numeric(r["risk_exposure"])).groupby("project_id", sort=False)["_e"].sum(min_count=1).dropna()
    g = g[g != 0].sort_values(ascending=False).head(TOP_EXPOSURE)
    out = pd.DataFrame({"project_id": g.index.astype(str), "risk_exposure": g.to_numpy(float)})
    if _present(projects) and {"project_id", "name"}.issubset(projects.columns):
        names = dict(zip(projects["project_id"].astype(str), projects["name"], strict=False))
        out.insert(1, "name", out["project_id"].map(names))
    return out


def _rag_for(sheet: str, columns: Sequence[str], settings: Settings, lang: str) -> dict[str, Callable]:
    """RAG callables keyed by canonical column name."""
    words = _rag_words(lang)
    out: dict[str, Callable] = {}
    for c in columns:
        if c == "rag" or c.endswith("_rag"):
            out[c] = lambda v, _w=words: _w.get(str(v).strip().casefold(), "")
        elif sheet == "risks" and c == "band":
            band = {}
            for word, colour in BAND_COLOURS.items():
                for lg in ("en", "zh"):
                    band[_t(f"export.value.{word}", lg).casefold()] = colour
            out[c] = lambda v, _b=band: _b.get(str(v).strip().casefold(), "")
        elif c in INDEX_COLUMNS:
            out[c] = lambda v: settings.rag(None if v is None else float(v))
        elif c == "slip_days":
            out[c] = lambda v: "" if v is None or v != v else ("red" if float(v) > 0 else "green")
        elif c == "passed":
            out[c] = lambda v: "green" if v is True or v == 1 else ("red" if v is False or v == 0 else "")
    return out


def _prepare_sheet(key: str, df: pd.DataFrame, lang: str, settings: Settings, currencies: dict[str, str]):
    """(labelled frame, column kinds, RAG callables by label, per-row currency or None)."""
    df = df.copy(deep=False)
    if key == "risks" and "risk_exposure" not in df.columns and {"probability", "impact_cost"}.issubset(df.columns):
        df["risk_exposure"] = numeric(df["probability"]) * numeric(df["impact_cost"])
    if "rag_reasons" in df.columns or "flags" in df.columns:
        from .health_text import with_words

        df = with_words(df, lang)  # the engine's codes in words (rag too)
    for c in list(df.columns):
        if str(c) == "rag" or str(c).endswith("_rag"):
            df[c] = _translate_rag(df[c], lang)
    for c, words in VALUE_WORDS.items():
        if c in df.columns and lang != "en":
            df[c] = _translate_values(df[c], words, lang)
    rags = _rag_for(key, [str(c) for c in df.columns], settings, lang)
    row_currency = None
    if "currency" in df.columns:
        row_currency = df["currency"].tolist()
    elif currencies and "project_id" in df.columns:
        row_currency = df["project_id"].astype(str).map(currencies).tolist()
    labelled, kinds = label_columns(df, lang, SHEET_TABLE.get(key))
    by_label = dict(zip([str(c) for c in df.columns], labelled.columns, strict=True))
    return labelled, kinds, {by_label[c]: fn for c, fn in rags.items()}, row_currency


def portfolio_report(
    *,
    projects: pd.DataFrame | None = None,
    evm_history: pd.DataFrame | None = None,
    portfolio_trend: pd.DataFrame | None = None,
    scurve: pd.DataFrame | None = None,
    risks: pd.DataFrame | None = None,
    milestones: pd.DataFrame | None = None,
    schedule_quality: pd.DataFrame | None = None,
    tasks: pd.DataFrame | None = None,
    schedule_risk: pd.DataFrame | None = None,
    lang: str = "en",
    filters: Sequence[str] = (),
    status_date: date | str | None = None,
    generated_at: datetime | None = None,
    settings: Settings | None = None,
    title: str | None = None,
    notes: Sequence[str] = (),
    progress: Callable[[float], None] | None = None,
    contents: list[ReportSheet] | None = None,
    fx: FxContext | None = None,
) -> bytes:
    """The portfolio report workbook as xlsx bytes (see the module docstring for the frames).
    ``fx`` (``metrics.fx.context``) converts the Summary's totals into the reporting currency.

    ``filters`` are human lines (e.g. ``ui.filters().describe()``), ``status_date`` the chosen
    date (None = each project's latest), ``notes`` extra lines for the Summary. ``progress``
    receives 0..1 while rows are written; ``contents`` (a list) receives what each sheet holds.
    """
    settings = settings or Settings()
    generated_at = generated_at or datetime.now().replace(microsecond=0)
    frames: dict[str, pd.DataFrame | None] = {
        "projects": projects,
        "evm_history": evm_history,
        "risks": risks,
        "milestones": milestones,
        "schedule_quality": schedule_quality,
        "tasks": tasks,
        "schedule_risk": schedule_risk,
    }
    if (
        _present(risks)
        and "risk_exposure" not in risks.columns
        and {"probability", "impact_cost"}.issubset(risks.columns)
    ):
        frames["risks"] = risks.assign(risk_exposure=numeric(risks["probability"]) * numeric(risks["impact_cost"]))
    if portfolio_trend is None and _present(evm_history):
        portfolio_trend = _trend_from_history(evm_history, settings)
    trend = (
        portfolio_trend[[c for c in TREND_COLUMNS if c in portfolio_trend.columns]]
        if _present(portfolio_trend)
        else None
    )
    if trend is not None and "status_date" in trend.columns:
        trend = trend.sort_values("status_date").reset_index(drop=True)
    plan = None
    if _present(scurve) and {"date", "pv_cum"}.issubset(scurve.columns):
        p = scurve[scurve["kind"] == "plan"] if "kind" in scurve.columns else scurve
        p = p[["date", "pv_cum"]].dropna()
        plan = p.sort_values("date").reset_index(drop=True) if len(p) else None
    exposure = _exposure_by_project(frames["risks"], projects) if _present(frames["risks"]) else None
    if exposure is not None and exposure.empty:
        exposure = None

    cur_list = _currencies(projects)
    single_currency = cur_list[0] if len(cur_list) == 1 else None
    currencies = {}
    if len(cur_list) > 1 and {"project_id", "currency"}.issubset(projects.columns):
        currencies = {
            str(k): str(v) for k, v in zip(projects["project_id"], projects["currency"], strict=True) if pd.notna(v)
        }

    total_cells = sum(df.shape[0] * df.shape[1] for df in frames.values() if _present(df))
    book = ExcelBook(
        lang=lang, title=title or _t("report.title", lang), constant_memory=total_cells > SMALL_WORKBOOK_CELLS
    )
    wb = book.workbook
    names = {k: _t(f"report.sheet.{k}", lang) for k in ("summary", *SHEETS)}
    present = [k for k in SHEETS if _present(frames[k])]
    omitted = [names[k] for k in SHEETS if k not in present]
    total_rows = max(sum(len(frames[k]) for k in present), 1)
    written = 0

    def step(frac: float, n: int) -> None:
        if progress is not None:
            progress(min(1.0, (written + frac * n) / total_rows))

    # ------------------------------------------------------------ Summary
    ws = book.add_sheet(names["summary"])
    ws.set_column(0, 0, 44)
    ws.set_column(1, CHART_COL - 2, 16)
    bold = book.fmt(bold=True)
    row = 0
    book.text(ws, row, 0, title or _t("report.title", lang), book.fmt(bold=True, font_size=16))
    row += 1
    sd = (
        status_date.isoformat()
        if hasattr(status_date, "isoformat")
        else (status_date or _t("report.status_date.latest", lang))
    )
    book.text(ws, row, 0, _t("report.status_date", lang, date=str(sd)[:10] if status_date else sd))
    row += 1
    book.text(ws, row, 0, _t("report.generated_at", lang, when=generated_at.strftime("%Y-%m-%d %H:%M")))
    row += 1
    if filters:
        book.text(ws, row, 0, _t("report.filters", lang), bold)
        row += 1
        for line in filters:
            book.text(ws, row, 0, line)
            row += 1
    extra = list(notes)
    if omitted:
        extra.append(_t("report.omitted", lang, sheets=", ".join(omitted)))
    kpi_rows = _kpis(frames, settings, lang, fx)
    if fx is not None and len(cur_list) > 1:
        from .metrics import fx as fx_mod

        if any(k.startswith("money:") and k != f"money:{fx.reporting}" for _, _, k in kpi_rows):
            latest = projects["status_date"].max() if "status_date" in projects.columns else None
            for cur in cur_list:
                if latest is not None and fx.rate(cur, latest) is None:
                    m = fx_mod.MissingRate(cur, fx.reporting, pd.Timestamp(latest).date())
                    extra.append(_t(m.code, lang, **m.params()))
        else:
            extra.append(_t("report.converted", lang, currency=fx.reporting))
    elif len(cur_list) > 1:
        extra.append(_t("report.currency_mixed", lang, currencies=", ".join(cur_list)))
    for line in extra:
        book.text(ws, row, 0, line, book.fmt(italic=True, font_color="#9C5700"))
        row += 1
    row += 1

    money_fmt = book.fmt(currency_format(single_currency))
    kind_fmt = {"money": money_fmt, "ratio": book.fmt("0.00"), "int": book.fmt("#,##0")}
    head = book.fmt(bold=True, bg_color="#D9E1F2", bottom=1)
    book.text(ws, row, 0, _t("report.kpis", lang), book.fmt(bold=True, font_size=12))
    row += 1
    book.text(ws, row, 0, _t("report.kpi", lang), head)
    book.text(ws, row, 1, _t("report.value", lang), head)
    row += 1
    for label, value, kind in kpi_rows:
        book.text(ws, row, 0, label)
        if kind.startswith("money:") and kind not in kind_fmt:
            kind_fmt[kind] = book.fmt(currency_format(kind.split(":", 1)[1]))
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            book.text(ws, row, 1, "—", book.fmt(align="right"))
        else:
            ws.write_number(row, 1, float(value), kind_fmt[kind])
        row += 1
    row += 1
    book.text(ws, row, 0, _t("report.sheets", lang), book.fmt(bold=True, font_size=12))
    row += 1
    for k in present:
        book.text(ws, row, 0, names[k])
        ws.write_number(row, 1, len(frames[k]), kind_fmt["int"])
        row += 1
    row += 1

    def summary_table(df: pd.DataFrame, heading_key: str, table: str | None = None) -> tuple[int, TableInfo]:
        nonlocal row
        book.text(ws, row, 0, _t(heading_key, lang), book.fmt(bold=True, font_size=12))
        labelled, kinds = label_columns(df, lang, table)
        info = book.write_table(
            ws,
            labelled,
            start_row=row + 1,
            column_formats=kinds,
            currency=single_currency,
            freeze=False,
            autofilter=False,
            set_widths=False,
            split=False,
        )
        row = info.first_row + info.rows + 1
        return row, info

    trend_info = plan_info = exp_info = None
    if trend is not None:
        _, trend_info = summary_table(trend, "report.trend")
    if plan is not None:
        _, plan_info = summary_table(
            plan.rename(columns={"date": _t("report.period_end", lang), "pv_cum": column_label("pv", lang)}),
            "report.scurve_table",
        )
    if exposure is not None:
        _, exp_info = summary_table(exposure, "report.exposure_table", "projects")

    # ------------------------------------------------------------ charts (native, referencing the tables above)
    sheet = ws.get_name()
    chart_row = 1

    def col_of(info: TableInfo, canonical: str, table: str | None = None) -> int | None:
        return info.columns.get(column_label(canonical, lang, table))

    def rng(info: TableInfo, c: int) -> list:
        return [sheet, info.first_row, c, info.last_row, c]

    def place(chart) -> None:
        nonlocal chart_row
        chart.set_size({"width": 720, "height": 340})
        chart.set_legend({"position": "bottom"})
        ws.insert_chart(chart_row, CHART_COL, chart)
        chart_row += 18

    if trend_info is not None and trend_info.rows:
        dcol = col_of(trend_info, "status_date")
        scurve_chart = wb.add_chart({"type": "scatter", "subtype": "straight_with_markers"})
        if plan_info is not None and plan_info.rows:
            scurve_chart.add_series(
                {
                    "name": column_label("pv", lang),
                    "categories": rng(plan_info, 0),
                    "values": rng(plan_info, 1),
                    "line": {"color": "#4472C4", "width": 2.0},
                    "marker": {"type": "none"},
                }
            )
        series = [("ev", "#70AD47"), ("ac", "#C00000")]
        if plan_info is None or not plan_info.rows:
            series.insert(0, ("pv", "#4472C4"))
        for key, colour in series:
            c = col_of(trend_info, key)
            if c is None or dcol is None:
                continue
            scurve_chart.add_series(
                {
                    "name": [sheet, trend_info.header_row, c],
                    "categories": rng(trend_info, dcol),
                    "values": rng(trend_info, c),
                    "line": {"color": colour, "width": 2.0},
                    "marker": {"type": "circle", "size": 5, "border": {"color": colour}, "fill": {"color": colour}},
                }
            )
        scurve_chart.set_title({"name": _t("report.chart.scurve", lang)})
        scurve_chart.set_x_axis({"name": _t("report.chart.date", lang), "date_axis": True, "num_format": "yyyy-mm-dd"})
        scurve_chart.set_y_axis({"name": _t("report.chart.amount", lang), "num_format": "#,##0"})
        place(scurve_chart)

        idx_chart = wb.add_chart({"type": "scatter", "subtype": "straight_with_markers"})
        for key, colour in (("cpi", "#ED7D31"), ("spi", "#4472C4"), ("spi_t", "#7F7F7F")):
            c = col_of(trend_info, key)
            if c is None or dcol is None:
                continue
            idx_chart.add_series(
                {
                    "name": [sheet, trend_info.header_row, c],
                    "categories": rng(trend_info, dcol),
                    "values": rng(trend_info, c),
                    "line": {"color": colour, "width": 2.0},
                    "marker": {"type": "circle", "size": 5, "border": {"color": colour}, "fill": {"color": colour}},
                }
            )
        idx_chart.set_title({"name": _t("report.chart.indices", lang)})
        idx_chart.set_x_axis({"name": _t("report.chart.date", lang), "date_axis": True, "num_format": "yyyy-mm-dd"})
        idx_chart.set_y_axis({"name": _t("report.chart.index", lang), "num_format": "0.00"})
        place(idx_chart)

    if exp_info is not None and exp_info.rows:
        bar = wb.add_chart({"type": "bar"})
        name_col = col_of(exp_info, "name", "projects")
        cat_col = name_col if name_col is not None else col_of(exp_info, "project_id")
        val_col = col_of(exp_info, "risk_exposure")
        if cat_col is not None and val_col is not None:
            bar.add_series(
                {
                    "name": [sheet, exp_info.header_row, val_col],
                    "categories": rng(exp_info, cat_col),
                    "values": rng(exp_info, val_col),
                    "fill": {"color": "#C00000"},
                    "data_labels": {"value": True, "num_format": "#,##0"},
                }
            )
            bar.set_title({"name": _t("report.chart.exposure", lang)})
            bar.set_y_axis({"reverse": True})
            bar.set_x_axis({"num_format": "#,##0"})
            bar.set_legend({"none": True})
            bar.set_size({"width": 720, "height": 340})
            ws.insert_chart(chart_row, CHART_COL, bar)
            chart_row += 18

    # ------------------------------------------------------------ the data sheets
    header = [_t("report.status_date", lang, date=str(sd)[:10] if status_date else sd)]
    for key in present:
        df = frames[key]
        labelled, kinds, rags, row_currency = _prepare_sheet(key, df, lang, settings, currencies)
        sheet_ws = book.add_sheet(names[key])
        n = len(df)
        info = book.write_table(
            sheet_ws,
            labelled,
            title=names[key],
            header_lines=header,
            column_formats=kinds,
            rag_columns=rags,
            currency=single_currency,
            row_currency=row_currency if currencies or (row_currency is not None and len(cur_list) > 1) else None,
            progress=(lambda f, _n=n: step(f, _n)) if progress is not None else None,
        )
        written += n
        if contents is not None:
            contents.append(ReportSheet(key, info.sheets[0], n))
    if progress is not None:
        progress(1.0)
    return book.close()


# ---------------------------------------------------------------- computing the frames
CURRENT_TABLES = ("projects", "tasks", "links", "risks", "calendars")


def report_frames(
    *,
    projects: pd.DataFrame | None,
    tasks: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    evm_periods: pd.DataFrame | None = None,
    risks: pd.DataFrame | None = None,
    settings: Settings | None = None,
    current: Mapping[str, pd.DataFrame] | None = None,
    fx_rates: pd.DataFrame | None = None,
    reporting: str | None = None,
) -> tuple[dict, list[str]]:
    """Every frame ``portfolio_report`` takes, computed with the metric engines from canonical
    tables (``tasks``/``evm_periods``/``links`` with every status date for history). The current
    snapshots come from ``current`` (``PortfolioFrames.current`` of ``CURRENT_TABLES``), else
    each project's latest in the history (``frames.latest``). Returns (frames, notes): a
    section whose engine refuses the data is left out and its message goes into ``notes``."""
    from .frames import latest as latest_rows
    from .metrics import dcma, evm, milestones, risk
    from .metrics import fx as fx_mod

    settings = settings or Settings()
    notes: list[str] = []
    out: dict = {}
    given = dict(current or {})

    def now(name: str, history: pd.DataFrame | None) -> pd.DataFrame:
        if name in given:
            return given[name]
        return latest_rows(history)

    proj_cur = now("projects", projects)
    money = fx_mod.context(proj_cur, fx_rates, settings, reporting)
    out["fx"] = money

    def guarded(name: str, fn: Callable[[], pd.DataFrame | None]) -> pd.DataFrame | None:
        try:
            return fn()
        except PmoError as exc:
            notes.append(f"{name}: {exc}")
            return None

    result = (
        guarded("EVM", lambda: evm.analyse(tasks, proj_cur, evm_periods, settings))
        if (_present(tasks) or _present(evm_periods))
        else None
    )
    if result is not None and not result.metrics.empty:
        history = evm.metrics_table(result.metrics, proj_cur)
        latest = evm.metrics_table(result.metrics, proj_cur, latest_only=True)
        ident = [
            c
            for c in ("program", "portfolio", "department", "manager", "status", "currency")
            if proj_cur is not None and c in proj_cur.columns
        ]
        if ident:
            latest = latest.merge(
                proj_cur[["project_id", *ident]].drop_duplicates("project_id").astype({"project_id": str}),
                on="project_id",
                how="left",
            )
            order = ["project_id", "name", *ident]
            latest = latest[order + [c for c in latest.columns if c not in order]]
        out["projects"] = latest
        out["evm_history"] = history
        # converted into the reporting currency at each status date's rate (one currency per trend)
        out["portfolio_trend"] = guarded(
            "EVM", lambda: fx_mod.one_currency(evm.portfolio_history(result, settings, fx=money))[0]
        )
        out["scurve"] = guarded("S-curve", lambda: evm.s_curve_frame(result, fx=money))
    else:
        out["projects"] = proj_cur
    risks_cur = now("risks", risks)
    if _present(risks_cur):

        def register() -> pd.DataFrame:
            e = risk.enrich(risks_cur, proj_cur)
            cols = [c for c in risk.REGISTER_COLUMNS if c in e.columns] + ["is_open"]
            order = ["risk_exposure", "risk_score"]
            return e.sort_values(order, ascending=False, na_position="last", kind="stable")[cols].reset_index(drop=True)

        out["risks"] = guarded("Risks", register)
    if _present(tasks):
        out["milestones"] = guarded("Milestones", lambda: milestones.milestone_tracker(tasks, settings.holidays))
        tasks_cur = now("tasks", tasks)
        links_cur = now("links", links)
        cals_cur = (current or {}).get("calendars")
        out["schedule_quality"] = guarded(
            "DCMA",
            lambda: dcma.dcma(tasks_cur, links_cur, settings=settings, calendars=cals_cur, projects=projects),
        )
        out["tasks"] = tasks_cur.drop(columns=[c for c in ("import_id",) if c in tasks_cur.columns])
        # schedule risk per project (Monte Carlo, the settings' band and distribution, the fixed
        # seed: the Schedule risk page's numbers)
        from .metrics import schedule_risk as sr

        out["schedule_risk"] = guarded(
            "Schedule risk",
            lambda: sr.summary_frame(
                sr.simulate(tasks_cur, links_cur, now("risks", risks), proj_cur, settings=settings), proj_cur
            ),
        )
    latest = out.get("projects")
    if result is not None and not result.metrics.empty and latest is not None and len(latest):
        # the one health decision (metrics.health), the same as every page and the CLI
        from .metrics import health

        q = out.get("schedule_quality")
        assessed = health.assess_tables(
            result.metrics,
            tasks,
            risks,
            proj_cur,
            settings,
            quality=dcma.quality_score(q) if _present(q) else None,
        )
        judged = health.current(assessed)
        pid = latest["project_id"].astype(str)
        at = latest.columns.get_loc("name") + 1 if "name" in latest.columns else 1
        for i, col in enumerate(("rag", "rag_reasons", "flags")):
            mapped = pid.map(judged[col]) if len(judged) else pd.Series(None, index=latest.index)
            if col == "rag":
                latest.insert(at + i, col, mapped.fillna(""))
            else:
                latest.insert(at + i, col, [v if isinstance(v, list) else [] for v in mapped])
        out["projects"] = latest
    return out, notes


def frames_for_report(fr) -> dict[str, pd.DataFrame]:
    """``report_frames``' keyword arguments from a ``frames.PortfolioFrames``: every table's
    history on or before the as-of date, and the current snapshots."""
    return {
        "projects": fr.history("projects"),
        "tasks": fr.history("tasks"),
        "links": fr.history("links"),
        "evm_periods": fr.history("evm_periods"),
        "risks": fr.history("risks"),
        "current": {k: fr.current(k) for k in CURRENT_TABLES},
    }


def report_from_store(
    store,
    *,
    projects: Sequence[str] | None = None,
    as_of: date | None = None,
    include_closed: bool = False,
    lang: str = "en",
    filters: Sequence[str] = (),
    settings: Settings | None = None,
    progress: Callable[[float], None] | None = None,
    contents: list[ReportSheet] | None = None,
    reach=None,
) -> bytes:
    """The portfolio report for ``projects`` (None = all) as known at ``as_of`` (None = latest),
    read from ``store`` through ``frames.load_frames`` (closed projects left out unless
    ``include_closed``; ``reach``: only the projects a person may see, ``access.Reach``; for
    the CLI ``export --out`` and scheduled jobs)."""
    from .frames import load_frames, selection_for

    fr = load_frames(store, selection_for(projects, as_of, include_closed, reach))
    frames, notes = report_frames(**frames_for_report(fr), settings=settings, fx_rates=fr.current("fx_rates"))
    ids = fr.closed_left_out or (fr.closed_ids if include_closed else ())
    if ids:  # the Summary says which closed projects were left out (or included)
        key = "filter.closed_left_out" if fr.closed_left_out else "filter.closed_included"
        filters = [*filters, _t(key, lang, n=len(ids), ids=", ".join(ids))]
    return portfolio_report(
        **frames,
        lang=lang,
        filters=filters,
        status_date=as_of,
        settings=settings,
        notes=notes,
        progress=progress,
        contents=contents,
    )


def report_sheet_names(lang: str = "en") -> list[str]:
    """The sheet names of a full report in ``lang``, in order."""
    return [_t(f"report.sheet.{k}", lang) for k in ("summary", *SHEETS)]


__all__ = [
    "SHEETS",
    "ReportSheet",
    "portfolio_report",
    "frames_for_report",
    "report_frames",
    "report_from_store",
    "report_sheet_names",
]
