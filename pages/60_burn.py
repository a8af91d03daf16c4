"""Burn page: sprint burndown, release burnup, velocity with a Monte Carlo forecast, cumulative
flow, cost burn, the work-item list (labels, due dates, checklist progress, overdue first)."""
# icon: :material/local_fire_department:

from __future__ import annotations

import streamlit as st

from pmo_analytics import ui
from pmo_analytics.charts import agile as charts
from pmo_analytics.metrics import agile

sprint_calendar = ui.cached(agile.sprint_calendar)
sprint_burndown = ui.cached(agile.sprint_burndown)
release_burnup = ui.cached(agile.release_burnup)
velocity = ui.cached(agile.velocity)
backlog_forecast = ui.cached(agile.backlog_forecast)
cumulative_flow = ui.cached(agile.cumulative_flow)
cost_burn = ui.cached(agile.cost_burn)
work_item_list = ui.cached(agile.work_item_list)

WINDOW = 3

ui.page_header("page.burn", "burn.caption")

with ui.guard():
    f = ui.filters()
    s = ui.settings()
    lang = ui.lang()
    items = agile.cacheable(ui.load("work_items", f, history=True))
    tasks = ui.load("tasks", f, history=True)
    periods = ui.load("evm_periods", f, history=True)
    projects = ui.load("projects", f)
    choices = agile.project_choices(projects, items, tasks, periods)
    if not choices:
        ui.no_data()
        st.stop()
    pid = st.selectbox(ui.t("burn.project"), list(choices), format_func=choices.get, key="burn_project")
    has_items = pid in agile.project_choices(None, items)
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
        cal = sprint_calendar(items, project_id=pid) if has_items else None
        sprint_names, default = agile.sprint_choices(cal, pid, f.as_of, items) if cal is not None else ([], 0)
        if not has_items:
            st.info(ui.t("burn.no_items"))
        elif not sprint_names:
            # sprints but nothing dates them (nothing completed in any): say how dates are found
            st.info(ui.t("burn.no_sprints" if cal.empty else "burn.calendar_note"))
        else:
            sprint = st.selectbox(ui.t("burn.sprint"), sprint_names, index=default, key="burn_sprint")
            down = sprint_burndown(items, sprint, project_id=pid)
            st.plotly_chart(charts.burndown(down, lang), key="burndown_chart")
            st.caption(ui.t("burn.calendar_note"))
            ui.table(down, "burndown", title=f"{ui.t('burn.burndown')} · {pid} · {sprint}")

    with tab_up:
        if not has_items:
            st.info(ui.t("burn.no_items"))
        else:
            opts = [None, *agile.versions(items, pid)]
            version = ui.choose(
                st.selectbox,
                ui.t("burn.version"),
                opts,
                format_func=lambda v: ui.t("burn.all_versions") if v is None else v,
                key="burn_version",
            )
            up = release_burnup(items, fix_version=version, project_id=pid)
            st.plotly_chart(charts.burnup(up, lang), key="burnup_chart")
            ui.table(up, "burnup", title=f"{ui.t('burn.burnup')} · {pid}")

    with tab_vel:
        if not has_items:
            st.info(ui.t("burn.no_items"))
        else:
            vel = velocity(items, project_id=pid, window=WINDOW)
            if vel.empty:
                st.info(ui.t("burn.no_sprints"))
            else:
                fc, info = backlog_forecast(items, vel, project_id=pid)
                st.plotly_chart(charts.velocity_chart(vel, lang, window=WINDOW, forecast=fc), key="velocity_chart")
                if fc["date"].notna().any():
                    day = agile.forecast_days(fc)
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
                ui.table(fc, "forecast", title=ui.t("burn.forecast_table"), downloads=False)
                ui.table(vel, "velocity", title=f"{ui.t('burn.velocity')} · {pid}")

    with tab_cfd:
        if not has_items:
            st.info(ui.t("burn.no_items"))
        else:
            measure = ui.choose(
                st.radio,
                ui.t("burn.cfd_measure"),
                ["items", "points"],
                format_func=lambda m: ui.t("burn.items" if m == "items" else "burn.points"),
                horizontal=True,
                key="burn_cfd_measure",
            )
            flow = cumulative_flow(items, project_id=pid)
            st.plotly_chart(charts.cfd(flow, lang, measure=measure), key="cfd_chart")
            ui.table(flow, "cfd", title=f"{ui.t('burn.cfd')} · {pid}")

    with tab_cost:
        burn = cost_burn(evm_periods=periods, tasks=tasks, projects=projects, settings=s, project_id=pid)
        if burn.empty:
            st.info(ui.t("burn.no_cost"))
        else:
            st.plotly_chart(charts.cost_burn_chart(burn, lang), key="cost_chart")
            ui.table(burn, "cost_burn", title=f"{ui.t('burn.cost')} · {pid}")

    with tab_items:
        listed = work_item_list(items, pid, f.as_of) if has_items else None
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
