"""Portfolio page: KPI tiles, project health table with RAG, CPI x SPI quadrant."""
# icon: :material/dashboard:

from __future__ import annotations

import streamlit as st

from pmo_analytics import ui
from pmo_analytics.charts.health import health_heatmap
from pmo_analytics.charts.portfolio import quadrant
from pmo_analytics.metrics import dcma, evm
from pmo_analytics.metrics.health import INDICATORS, health_matrix, rag_rules, sort_matrix
from pmo_analytics.metrics.portfolio import health_table, kpis

project_metrics = ui.cached(evm.project_metrics)
run_dcma = ui.cached(dcma.dcma)

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
    now, delta = kpis(rows)

    def tile(col, key: str, label: str, digits: int = 0, ratio: bool = False) -> None:
        value = now.get(key)
        d = delta.get(key)
        places = 2 if ratio else digits
        if d is not None and d == d and round(d, places) == 0:
            d = 0.0  # a change that rounds to nothing reads "0", not "-0.00" with a red arrow
        col.metric(
            label,
            ui.fmt_number(value, places),
            delta=None if d is None or d != d else ui.fmt_number(d, places),
            help=ui.t("portfolio.kpi.delta_help"),
        )

    closed = ui.closed_line(f, ui.lang())
    if closed:
        st.caption(closed)
    c = st.columns(5)
    c[0].metric(ui.t("portfolio.kpi.projects"), int(now.get("projects", 0)))
    tile(c[1], "bac", ui.label("bac"))
    tile(c[2], "pv", ui.label("pv"))
    tile(c[3], "ev", ui.label("ev"))
    tile(c[4], "ac", ui.label("ac"))
    c = st.columns(5)
    tile(c[0], "cpi", ui.label("cpi"), ratio=True)
    tile(c[1], "spi", ui.label("spi"), ratio=True)
    tile(c[2], "eac_cpi", ui.label("eac_cpi"))
    tile(c[3], "vac", ui.label("vac"))
    tile(c[4], "tcpi_bac", ui.label("tcpi_bac"), ratio=True)

    health = health_table(rows, projects, s, ui.lang())
    st.subheader(ui.t("portfolio.health_table"))
    ui.table(
        health,
        "portfolio_health",
        title=ui.t("portfolio.health_table"),
        rag={"cpi": s.rag, "spi": s.rag, "spi_t": s.rag},
        formats={k: "{:,.0f}" for k in ("bac", "pv", "ev", "ac", "eac_cpi", "vac")}
        | {k: "{:.2f}" for k in ("cpi", "spi", "spi_t")},
    )
    st.subheader(ui.t("portfolio.quadrant"))
    st.plotly_chart(quadrant(health, s, ui.lang()), key="quadrant")

    # Health heatmap: cost, schedule, schedule quality (DCMA) and risk side by side.
    st.subheader(ui.t("health.title"))
    current_tasks = ui.load("tasks", f)
    checks = run_dcma(current_tasks, ui.load("links", f), None, s, on_error="skip") if len(current_tasks) else None
    quality = dcma.quality_score(checks) if checks is not None else None
    risks = ui.load("risks", f)
    matrix = health_matrix(rows, quality=quality, risks=risks if len(risks) else None, projects=projects, settings=s)
    order = st.selectbox(
        ui.t("health.sort"),
        ["worst", *INDICATORS],
        key="health_sort",
        format_func=lambda v: ui.t("health.worst") if v == "worst" else ui.label(v),
    )
    matrix = sort_matrix(matrix, order)
    st.plotly_chart(health_heatmap(matrix, ui.lang()), key="health_heatmap")
    ui.table(
        matrix[["project_id", "name", *INDICATORS, "worst"]].assign(worst=matrix["worst"].map(ui.rag_word)),
        "health_matrix",
        title=ui.t("health.title"),
        rag=rag_rules(s),
        formats={
            "cpi": "{:.2f}",
            "spi": "{:.2f}",
            "spi_t": "{:.2f}",
            "quality_score": "{:.0f}",
            "risk_exposure_pct": "{:.1%}",
            "open_high_risks": "{:.0f}",
        },
    )
