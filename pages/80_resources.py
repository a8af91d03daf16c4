"""Resources page: utilisation heatmaps (person x week, department x week), people
over-allocated across several projects, capacity vs demand per department."""
# icon: :material/groups:

from __future__ import annotations

import streamlit as st

from pmo_analytics import resources_view, ui

ui.page_header("page.resources", "res.caption")

with ui.guard():
    f = ui.filters()
    if not isinstance(st.session_state.get("res_weeks"), int):
        st.session_state["res_weeks"] = 12
    # People are loaded whole (every project) so their utilisation counts their whole load;
    # a project filter keeps the people who work on those projects. One cached view per data
    # version, status date, project filter, capacity horizon and language.
    view = ui.page_view(
        resources_view.build, ui.Filters(None, f.as_of, f.lang), f.project_ids, st.session_state["res_weeks"], f.lang
    )
    if not view.has_data:
        ui.no_data("res.no_data")
        st.stop()

    st.subheader(ui.t("res.by_person"))
    st.plotly_chart(view.person_chart, key="res_person_heatmap")
    ui.table(view.person_weeks, "res_person_weeks", title=ui.t("res.by_person"))

    st.subheader(ui.t("res.by_department"))
    st.plotly_chart(view.department_chart, key="res_department_heatmap")
    ui.table(view.department_weeks, "res_department_weeks", title=ui.t("res.by_department"))

    st.subheader(ui.t("res.overallocated"))
    if view.overallocated.empty:
        st.caption(ui.t("risk.none"))
    else:
        ui.table(view.overallocated, "res_overallocated", title=ui.t("res.overallocated"))

    st.subheader(ui.t("res.capacity_demand"))
    st.slider(ui.t("res.weeks"), min_value=4, max_value=26, key="res_weeks")
    st.plotly_chart(view.capacity_chart, key="res_capacity_chart")
    ui.table(view.capacity, "res_capacity_demand", title=ui.t("res.capacity_demand"))
