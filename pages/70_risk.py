"""Risk page: selectable 5x5 heatmap filtering the register, exposure by project/category and
its trend, top 10, overdue responses, unowned risks, opportunities, risk-adjusted forecast."""
# icon: :material/warning:

from __future__ import annotations

import streamlit as st

from pmo_analytics import ui
from pmo_analytics.charts import risk as charts
from pmo_analytics.metrics import evm, fx, risk

enrich = ui.cached(risk.enrich)
exposure_trend = ui.cached(risk.exposure_trend)
project_metrics = ui.cached(evm.project_metrics)

# Selected cells are kept as plain state (CELLS): the chart's on_select callback copies them
# from the chart's event, "Clear" empties them and gives the chart a new key (a fresh widget
# has no selection), which is the clean way to reset a plotly selection.
CELLS = "risk_cells"
NONCE = "risk_heatmap_nonce"


def heatmap_key() -> str:
    return f"risk_heatmap_{st.session_state.get(NONCE, 0)}"


def on_select() -> None:
    st.session_state[CELLS] = risk.selected_cells(st.session_state.get(heatmap_key()))


def clear_selection() -> None:
    st.session_state[CELLS] = []
    st.session_state[NONCE] = st.session_state.get(NONCE, 0) + 1


ui.page_header("page.risk", "risk.caption")

with ui.guard():
    f = ui.filters()
    s = ui.settings()
    lang = ui.lang()
    risks = ui.load("risks", f)
    if risks.empty:
        ui.no_data("risk.no_risks")
        st.stop()
    projects = ui.load("projects", f)
    reg = enrich(risks, projects)
    fx_ctx = ui.money_context(f)
    # totals over projects: every amount in the reporting currency at its status date's rate
    converted = fx.convert(reg, fx_ctx)
    ui.fx_warnings(fx.missing_summary(converted.missing))

    # ---- heatmap with cell selection -> register
    st.subheader(ui.t("risk.heatmap"))
    cells = risk.as_cells(st.session_state.get(CELLS))
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(
            charts.risk_heatmap(risk.risk_matrix(reg), lang, selected=cells),
            key=heatmap_key(),
            on_select=on_select,
            selection_mode=("points", "box"),
        )
        st.caption(ui.t("risk.heatmap_help"))
        st.caption(ui.t("risk.banding"))
        missing = len(risk.unscored(reg))
        if missing:
            st.caption(ui.t("risk.unscored", n=missing))
    with right:
        if cells:
            st.markdown(ui.t("risk.selected", cells=", ".join(f"P{p} × I{i}" for p, i in cells)))
        st.button(ui.t("risk.clear"), key="risk_clear", on_click=clear_selection, disabled=not cells)
    st.subheader(ui.t("risk.register"))
    ui.table(
        fx.with_currency(risk.register_view(reg, cells), fx_ctx, after="project_id"),
        "risk_register",
        title=ui.t("risk.register"),
    )

    # ---- exposure by project / category and its trend
    st.subheader(ui.t("risk.exposure"))
    by = ui.choose(
        st.radio,
        ui.t("risk.exposure_by"),
        ["project_id", "category"],
        format_func=ui.label,
        horizontal=True,
        key="risk_exposure_by",
    )
    exp = (
        risk.exposure(converted.rows, by).assign(currency=fx_ctx.reporting)
        if converted.converted
        else risk.exposure(converted.rows, [by, "currency"])  # per currency: no cross-currency total
    )
    c1, c2 = st.columns(2)
    with c1:
        st.plotly_chart(charts.exposure_bars(exp, by, lang), key="risk_exposure_chart")
    with c2:
        history = ui.load("risks", f, history=True)
        st.markdown(f"**{ui.t('risk.trend')}**")
        hist = fx.convert(history, fx_ctx)
        if hist.converted:
            trend = exposure_trend(hist.rows, by)
            st.plotly_chart(charts.exposure_trend_chart(trend, by, lang), key="risk_trend_chart")
            st.caption(ui.t("money.converted_each", currency=fx_ctx.reporting))
    ui.table(exp, "risk_exposure", title=ui.t("risk.exposure"))

    # ---- lists
    for title, frame, key_ in (
        ("risk.top", risk.top_risks(reg), "risk_top"),
        ("risk.overdue", risk.overdue_responses(reg), "risk_overdue"),
        ("risk.unowned", risk.unowned(reg), "risk_unowned"),
        ("risk.opportunities", risk.opportunities(reg), "risk_opportunities"),
    ):
        st.subheader(ui.t(title))
        if frame.empty:
            st.caption(ui.t("risk.none"))
        else:
            shown = fx.with_currency(risk.display(frame), fx_ctx, after="project_id")
            ui.table(shown, key_, title=ui.t(title))

    # ---- risk-adjusted forecast
    st.subheader(ui.t("risk.adjusted"))
    st.caption(ui.t("risk.adjusted_help"))
    metrics = project_metrics(ui.load("tasks", f, history=True), projects, ui.load("evm_periods", f, history=True), s)
    if metrics.empty:
        st.info(ui.t("risk.no_eac"))
    else:
        adjusted = risk.risk_adjusted_forecast(reg, metrics)
        st.plotly_chart(charts.risk_adjusted_chart(adjusted, lang), key="risk_adjusted_chart")
        adjusted = fx.with_currency(adjusted, fx_ctx, after="project_id")
        ui.table(adjusted, "risk_adjusted", title=ui.t("risk.adjusted"))
