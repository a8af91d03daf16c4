"""Resources page: utilisation heatmaps (person x week, department x week), people
over-allocated across several projects, capacity vs demand per department."""
# icon: :material/groups:

from __future__ import annotations

import streamlit as st

from pmo_analytics import ui
from pmo_analytics.charts import resources as charts
from pmo_analytics.metrics import resources

person_weeks = ui.cached(resources.person_weeks)
capacity_vs_demand = ui.cached(resources.capacity_vs_demand)

ui.page_header("page.resources", "res.caption")

with ui.guard():
    f = ui.filters()
    lang = ui.lang()
    # People are loaded whole (every project) so their utilisation counts their whole load;
    # a project filter keeps the people who work on those projects.
    everyone = ui.load("assignments", ui.Filters(None, f.as_of, f.lang))
    rows = resources.people_on(everyone, f.project_ids)
    if rows.empty:
        ui.no_data("res.no_data")
        st.stop()
    pw = person_weeks(rows)
    dw = resources.department_weeks(pw)

    st.subheader(ui.t("res.by_person"))
    st.plotly_chart(charts.utilisation_heatmap(pw, "person", lang), key="res_person_heatmap")
    ui.table(pw, "res_person_weeks", title=ui.t("res.by_person"))

    st.subheader(ui.t("res.by_department"))
    st.plotly_chart(charts.utilisation_heatmap(dw, "department", lang), key="res_department_heatmap")
    ui.table(dw, "res_department_weeks", title=ui.t("res.by_department"))

    st.subheader(ui.t("res.overallocated"))
    over = resources.overallocated(pw)
    if over.empty:
        st.caption(ui.t("risk.none"))
    else:
        ui.table(over, "res_overallocated", title=ui.t("res.overallocated"))

    st.subheader(ui.t("res.capacity_demand"))
    weeks = st.slider(ui.t("res.weeks"), min_value=4, max_value=26, value=12, key="res_weeks")
    cvd = capacity_vs_demand(rows, weeks=weeks)
    st.plotly_chart(charts.capacity_demand_chart(cvd, lang), key="res_capacity_chart")
    ui.table(cvd, "res_capacity_demand", title=ui.t("res.capacity_demand"))
