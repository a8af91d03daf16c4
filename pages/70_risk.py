"""Risk page: selectable 5x5 heatmap filtering the register, exposure by project/category and
its trend, top 10, overdue responses, unowned risks, opportunities, risk-adjusted forecast."""
# icon: :material/warning:

from __future__ import annotations

import streamlit as st

from pmo_analytics import risk_view, ui
from pmo_analytics.metrics import risk

# Selected cells are kept as plain state (CELLS): the chart's on_select callback copies them
# from the chart's event, "Clear" empties them and gives the chart a new key (a fresh widget
# has no selection), which is the clean way to reset a plotly selection.
CELLS = "risk_cells"
NONCE = "risk_heatmap_nonce"
BY, GROUPINGS = "risk_exposure_by", ("project_id", "category")  # the exposure's grouping (a radio)


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
    cells = risk.as_cells(st.session_state.get(CELLS))
    if st.session_state.get(BY) not in GROUPINGS:
        st.session_state[BY] = GROUPINGS[0]
    # the page's whole computation, cached per data version, filters, settings, cells, grouping, language
    view = ui.page_view(risk_view.build, f, tuple(cells), st.session_state[BY], ui.lang())
    if not view.has_risks:
        ui.no_data("risk.no_risks")
        st.stop()
    ui.fx_warnings(view.fx_missing)

    # ---- heatmap with cell selection -> register
    st.subheader(ui.t("risk.heatmap"))
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(view.heatmap, key=heatmap_key(), on_select=on_select, selection_mode=("points", "box"))
        st.caption(ui.t("risk.heatmap_help"))
        st.caption(ui.t("risk.banding"))
        if view.unscored:
            st.caption(ui.t("risk.unscored", n=view.unscored))
    with right:
        if cells:
            st.markdown(ui.t("risk.selected", cells=", ".join(f"P{p} × I{i}" for p, i in cells)))
        st.button(ui.t("risk.clear"), key="risk_clear", on_click=clear_selection, disabled=not cells)
    st.subheader(ui.t("risk.register"))
    ui.table(view.register, "risk_register", title=ui.t("risk.register"))

    # ---- exposure by project / category and its trend
    st.subheader(ui.t("risk.exposure"))
    ui.choose(st.radio, ui.t("risk.exposure_by"), list(GROUPINGS), format_func=ui.label, horizontal=True, key=BY)
    c1, c2 = st.columns(2)
    with c1:
        st.plotly_chart(view.exposure_chart, key="risk_exposure_chart")
    with c2:
        st.markdown(f"**{ui.t('risk.trend')}**")
        if view.trend_chart is not None:
            st.plotly_chart(view.trend_chart, key="risk_trend_chart")
            st.caption(ui.t("money.converted_each", currency=view.reporting))
    ui.table(view.exposure, "risk_exposure", title=ui.t("risk.exposure"))

    # ---- lists
    for title, key_, frame in view.lists:
        st.subheader(ui.t(title))
        if frame is None:
            st.caption(ui.t("risk.none"))
        else:
            ui.table(frame, key_, title=ui.t(title))

    # ---- risk-adjusted forecast
    st.subheader(ui.t("risk.adjusted"))
    st.caption(ui.t("risk.adjusted_help"))
    if view.adjusted is None:
        st.info(ui.t("risk.no_eac"))
    else:
        st.plotly_chart(view.adjusted_chart, key="risk_adjusted_chart")
        ui.table(view.adjusted, "risk_adjusted", title=ui.t("risk.adjusted"))
