"""Burn page: sprint burndown, release burnup, velocity with a Monte Carlo forecast, cumulative
flow, cost burn, the work-item list (labels, due dates, checklist progress, overdue first)."""
# icon: :material/local_fire_department:

from __future__ import annotations

import streamlit as st

from pmo_analytics import burn_view, ui
from pmo_analytics.burn_view import MEASURES, Picks

ui.page_header("page.burn", "burn.caption")

with ui.guard():
    f = ui.filters()
    ss = st.session_state
    # the page's whole computation, cached per data version, filters, settings, picks, language
    picks = Picks(
        ss.get("burn_project"), ss.get("burn_sprint"), ss.get("burn_version"), ss.get("burn_cfd_measure", "items")
    )
    view = ui.page_view(burn_view.build, f, picks, ui.lang())
    if not view.choices:
        ui.no_data()
        st.stop()
    for key, value in (("burn_project", view.picks.project), ("burn_sprint", view.picks.sprint),
                       ("burn_version", view.picks.version), ("burn_cfd_measure", view.picks.measure)):  # fmt: skip
        if key not in ss or ss[key] != value:  # what the data offers (a new project: its default sprint)
            ss[key] = value
    choices = view.choices
    pid = st.selectbox(ui.t("burn.project"), list(choices), format_func=choices.get, key="burn_project")
    tab_down, tab_up, tab_vel, tab_cfd, tab_cost, tab_items = st.tabs(
        [
            ui.t("burn.burndown"),
            ui.t("burn.burnup"),
            ui.t("burn.velocity"),
            ui.t("burn.cfd"),
            ui.t("burn.cost"),
            ui.t("burn.items_tab"),
        ]
    )

    with tab_down:
        if not view.has_items:
            st.info(ui.t("burn.no_items"))
        elif not view.sprint_names:
            # sprints but nothing dates them (nothing completed in any): say how dates are found
            st.info(ui.t("burn.no_sprints" if view.cal_empty else "burn.calendar_note"))
        else:
            sprint = st.selectbox(ui.t("burn.sprint"), list(view.sprint_names), key="burn_sprint")
            st.plotly_chart(view.burndown_chart, key="burndown_chart")
            st.caption(ui.t("burn.calendar_note"))
            ui.table(view.burndown, "burndown", title=f"{ui.t('burn.burndown')} · {pid} · {sprint}")

    with tab_up:
        if not view.has_items:
            st.info(ui.t("burn.no_items"))
        else:
            ui.choose(
                st.selectbox,
                ui.t("burn.version"),
                [None, *view.versions],
                format_func=lambda v: ui.t("burn.all_versions") if v is None else v,
                key="burn_version",
            )
            st.plotly_chart(view.burnup_chart, key="burnup_chart")
            ui.table(view.burnup, "burnup", title=f"{ui.t('burn.burnup')} · {pid}")

    with tab_vel:
        if not view.has_items:
            st.info(ui.t("burn.no_items"))
        elif view.velocity is None:
            st.info(ui.t("burn.no_sprints"))
        else:
            st.plotly_chart(view.velocity_chart, key="velocity_chart")
            if view.forecast_days:
                info, day = view.forecast_info, view.forecast_days
                st.markdown(
                    ui.t(
                        "burn.forecast",
                        remaining=info["remaining"],
                        p50=day[50],
                        p85=day[85],
                        n=info["n_sims"],
                        k=info["sprints_used"],
                        seed=info["seed"],
                    )
                )
            else:
                st.info(ui.t("burn.forecast_none"))
            ui.table(view.forecast, "forecast", title=ui.t("burn.forecast_table"), downloads=False)
            ui.table(view.velocity, "velocity", title=f"{ui.t('burn.velocity')} · {pid}")

    with tab_cfd:
        if not view.has_items:
            st.info(ui.t("burn.no_items"))
        else:
            ui.choose(
                st.radio,
                ui.t("burn.cfd_measure"),
                list(MEASURES),
                format_func=lambda m: ui.t("burn.items" if m == "items" else "burn.points"),
                horizontal=True,
                key="burn_cfd_measure",
            )
            st.plotly_chart(view.cfd_chart, key="cfd_chart")
            ui.table(view.cfd, "cfd", title=f"{ui.t('burn.cfd')} · {pid}")

    with tab_cost:
        if view.cost is None:
            st.info(ui.t("burn.no_cost"))
        else:
            st.plotly_chart(view.cost_chart, key="cost_chart")
            ui.table(view.cost, "cost_burn", title=f"{ui.t('burn.cost')} · {pid}")

    with tab_items:
        listed = view.items
        if listed is None or listed.empty:
            st.info(ui.t("burn.no_items"))
        else:
            late = int(listed["overdue"].sum())
            st.caption(ui.t("burn.items_overdue", n=late, total=len(listed)))
            shown = listed.assign(overdue=listed["overdue"].map(lambda v: ui.t("burn.yes") if v else ""))
            ui.table(
                shown,
                "work_items",
                title=f"{ui.t('burn.items_tab')} · {pid}",
                rag={"overdue": lambda v: "red" if v else ""},
                schema_table="work_items",
            )
