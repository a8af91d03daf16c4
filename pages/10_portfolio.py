"""Portfolio page: KPI tiles, projects by overall RAG, project health table, CPI x SPI
quadrant, health heatmap. Every colour is the health engine's decision (metrics.health)."""
# icon: :material/dashboard:

from __future__ import annotations

import streamlit as st

from pmo_analytics import ui
from pmo_analytics.charts.health import health_heatmap
from pmo_analytics.charts.portfolio import quadrant
from pmo_analytics.health_text import rag_of_word, reasons_text, with_words
from pmo_analytics.metrics import dcma, evm, fx, health
from pmo_analytics.metrics.health import INDICATORS, health_matrix, rag_rules, sort_matrix
from pmo_analytics.metrics.portfolio import health_table
from pmo_analytics.metrics.portfolio import totals as portfolio_totals

project_metrics = ui.cached(evm.project_metrics)
run_dcma = ui.cached(dcma.dcma)
assess = ui.cached(health.assess_tables)

ui.page_header("page.portfolio", "portfolio.caption")

with ui.guard():
    f = ui.filters()
    s = ui.settings()
    projects = ui.load("projects", f)
    tasks = ui.load("tasks", f, history=True)
    periods = ui.load("evm_periods", f, history=True)
    if projects.empty and tasks.empty:
        ui.no_data()
        if st.button(ui.t("app.load_demo"), key="load_demo", type="primary"):
            from pmo_analytics.demo import build_demo

            with st.spinner(ui.t("app.load_demo")):
                results = build_demo(ui.store())
            ui.clear_caches()
            st.success(ui.t("app.demo_loaded", n=len(results)))
            st.rerun()
        st.stop()
    rows = project_metrics(tasks, projects, periods, s)
    if rows.empty:
        st.info(ui.t("portfolio.no_tasks"))
        st.stop()
    closed = ui.closed_line(f, ui.lang())
    if closed:
        st.caption(closed)
    money = ui.money_context(f)
    totals = portfolio_totals(rows, money)
    ui.fx_warnings(totals.missing)

    def tiles(now: dict, delta: dict, currency: str | None, projects_tile: bool = True) -> None:
        def tile(col, key: str, ratio: bool = False) -> None:
            value, d = now.get(key), delta.get(key)
            if ratio:
                if d is not None and d == d and round(d, 2) == 0:
                    d = 0.0  # a change that rounds to nothing reads "0.00", not "-0.00" with a red arrow
                shown, change = ui.fmt_number(value, 2), None if d is None or d != d else ui.fmt_number(d, 2)
            else:
                if d is not None and d == d and abs(d) < 0.5:
                    d = 0.0  # less than one unit of money: no arrow
                shown = ui.money(value, currency)
                change = None if d is None or d != d else ui.money(d, currency, signed=True)
            full = "" if ratio else ui.money(value, currency, compact_units=False) + " · "
            col.metric(ui.label(key), shown, delta=change, help=full + ui.t("portfolio.kpi.delta_help"))

        c = st.columns(5)
        if projects_tile:
            c[0].metric(ui.t("portfolio.kpi.projects"), int(now.get("projects", 0)))
        for col, key in zip(c[1:], ("bac", "pv", "ev", "ac"), strict=True):
            tile(col, key)
        c = st.columns(5)
        tile(c[0], "cpi", ratio=True)
        tile(c[1], "spi", ratio=True)
        tile(c[2], "eac_cpi")
        tile(c[3], "vac")
        tile(c[4], "tcpi_bac", ratio=True)

    if totals.converted:
        st.caption(ui.t("money.converted", currency=totals.currency, date=str(rows["status_date"].max())[:10]))
        tiles(totals.now, totals.delta, totals.currency)
    else:
        first = True
        for ccy, (now, delta) in totals.by_currency.items():
            st.caption(ui.t("money.per_currency", currency=ccy))
            tiles(now | ({"projects": totals.now["projects"]} if first else {}), delta, ccy, projects_tile=first)
            first = False

    # the one health decision (metrics.health): overall RAG, reasons, flags beside it
    current_tasks = ui.load("tasks", f)
    checks = run_dcma(current_tasks, ui.load("links", f), None, s, on_error="skip") if len(current_tasks) else None
    quality = dcma.quality_score(checks) if checks is not None else None
    risks_history = ui.load("risks", f, history=True)
    assessed = assess(rows, tasks, risks_history, projects, s, quality=quality)
    counts = health.rag_counts(assessed)
    c = st.columns(4)
    for col, key in zip(c, ("red", "amber", "green", "unknown"), strict=True):
        col.metric(ui.t(f"health.count.{key}"), counts[key], help=ui.t("health.rule_help"))

    table = fx.with_currency(health_table(rows, projects, assessed), money)
    st.subheader(ui.t("portfolio.health_table"))
    ui.table(
        with_words(table, ui.lang()),
        "portfolio_health",
        title=ui.t("portfolio.health_table"),
        rag={"rag": rag_of_word(ui.lang()), "cpi": s.rag, "spi": s.rag, "spi_t": s.rag},
        formats={k: "{:,.0f}" for k in ("bac", "pv", "ev", "ac", "eac_cpi", "vac")}
        | {k: "{:.2f}" for k in ("cpi", "spi", "spi_t")}
        | {"risk_exposure_pct": "{:.1%}", "milestones_slipped": "{:.0f}"},
    )
    st.subheader(ui.t("portfolio.quadrant"))
    st.plotly_chart(quadrant(fx.convert(table, money).rows, s, ui.lang()), key="quadrant")

    # Health heatmap: the overall RAG first, then cost, schedule, schedule quality (DCMA) and
    # risk cells side by side; only the engine's rule sets the overall colour.
    st.subheader(ui.t("health.title"))
    st.caption(ui.t("health.rule_help"))
    matrix = health_matrix(assessed, rows, risks=ui.load("risks", f), projects=projects, settings=s)
    order = st.selectbox(
        ui.t("health.sort"),
        ["worst", *INDICATORS],
        key="health_sort",
        format_func=lambda v: ui.t("health.worst") if v == "worst" else ui.label(v),
    )
    matrix = sort_matrix(matrix, order)
    st.plotly_chart(health_heatmap(matrix, ui.lang()), key="health_heatmap")
    shown = matrix[["project_id", "name", "rag", "flags", *INDICATORS]].assign(
        rag=matrix["rag"].map(ui.rag_word), flags=[reasons_text(x, ui.lang()) for x in matrix["flags"]]
    )
    ui.table(
        shown,
        "health_matrix",
        title=ui.t("health.title"),
        rag={"rag": rag_of_word(ui.lang())} | rag_rules(s),
        formats={
            "cpi": "{:.2f}",
            "spi": "{:.2f}",
            "spi_t": "{:.2f}",
            "quality_score": "{:.0f}",
            "risk_exposure_pct": "{:.1%}",
            "open_high_risks": "{:.0f}",
        },
    )
