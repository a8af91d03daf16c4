"""Milestones page: baseline vs forecast finish of every milestone, slip in working days,
the forecast across status dates (milestone trend chart), tracker and history tables."""
# icon: :material/flag:

from __future__ import annotations

import streamlit as st

from pmo_analytics import ui
from pmo_analytics.charts.milestones import milestone_slip_figure, milestone_trend_figure
from pmo_analytics.metrics import milestones

tracker_of = ui.cached(milestones.milestone_tracker)
history_of = ui.cached(milestones.milestone_history)

ui.page_header("page.milestones", "milestones.caption")

with ui.guard():
    f = ui.filters()
    s = ui.settings()
    projects = ui.load("projects", f)
    tasks = ui.load("tasks", f, history=True)
    if tasks.empty:
        if projects.empty:
            ui.no_data()
        else:
            st.info(ui.t("milestones.none"))
        st.stop()
    tracker = tracker_of(tasks, s.holidays)
    if tracker.empty:
        st.info(ui.t("milestones.none"))
        st.stop()
    history = history_of(tasks, s.holidays)
    k = milestones.milestone_kpis(tracker)
    m = st.columns(4)
    m[0].metric(ui.t("milestones.kpi.total"), k["total"])
    m[1].metric(ui.t("milestones.kpi.late"), k["late"])
    m[2].metric(ui.t("milestones.kpi.slipped"), k["slipped"])
    m[3].metric(ui.t("milestones.kpi.done"), k["done"])

    st.subheader(ui.t("milestones.trend"))
    st.plotly_chart(milestone_trend_figure(history, ui.lang()), key="milestones_trend")
    st.subheader(ui.t("milestones.slip_chart"))
    st.plotly_chart(milestone_slip_figure(tracker, ui.lang()), key="milestones_slip")

    st.subheader(ui.t("milestones.tracker"))
    ui.table(
        milestones.milestone_table(tracker),
        "milestones_tracker",
        title=ui.t("milestones.tracker"),
        formats={"slip_days": "{:+.0f}", "slip_change_days": "{:+.0f}", "slip_since_first_days": "{:+.0f}"},
    )
    with st.expander(ui.t("milestones.history")):
        ui.table(milestones.milestone_table(history), "milestones_history", title=ui.t("milestones.history"))
