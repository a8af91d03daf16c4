"""Milestones page: baseline vs forecast finish of every milestone, slip in working days,
the forecast across status dates (milestone trend chart), tracker and history tables."""
# icon: :material/flag:

from __future__ import annotations

import streamlit as st

from pmo_analytics import milestones_view, ui

ui.page_header("page.milestones", "milestones.caption")

with ui.guard():
    f = ui.filters()
    # the page's whole computation, cached per data version, filters, settings, language
    view = ui.page_view(milestones_view.build, f, ui.lang())
    if not view.has_tasks:
        if view.has_projects:
            st.info(ui.t("milestones.none"))
        else:
            ui.no_data()
        st.stop()
    if not view.kpis:
        st.info(ui.t("milestones.none"))
        st.stop()
    k = view.kpis
    m = st.columns(4)
    m[0].metric(ui.t("milestones.kpi.total"), k["total"])
    m[1].metric(ui.t("milestones.kpi.late"), k["late"])
    m[2].metric(ui.t("milestones.kpi.slipped"), k["slipped"])
    m[3].metric(ui.t("milestones.kpi.done"), k["done"])

    st.subheader(ui.t("milestones.trend"))
    st.plotly_chart(view.trend_chart, key="milestones_trend")
    st.subheader(ui.t("milestones.slip_chart"))
    st.plotly_chart(view.slip_chart, key="milestones_slip")

    st.subheader(ui.t("milestones.tracker"))
    ui.table(
        view.tracker,
        "milestones_tracker",
        title=ui.t("milestones.tracker"),
        formats={"slip_days": "{:+.0f}", "slip_change_days": "{:+.0f}", "slip_since_first_days": "{:+.0f}"},
    )
    with st.expander(ui.t("milestones.history")):
        ui.table(view.history, "milestones_history", title=ui.t("milestones.history"))
