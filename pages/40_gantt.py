"""Gantt page: current plan against the baseline, critical path and float from the task links,
milestones, status-date line; project selector, outline level, collapse, schedule table."""
# icon: :material/view_timeline:

from __future__ import annotations

import streamlit as st

from pmo_analytics import ui
from pmo_analytics.charts.gantt import LINK_LIMIT, WINDOWS, gantt_figure
from pmo_analytics.frames import status_date_of
from pmo_analytics.metrics import cpm
from pmo_analytics.metrics import schedule_risk as sr
from pmo_analytics.metrics.evm import project_names

ALL = "__all__"
run_cpm = ui.cached(cpm.cpm)

ui.page_header("page.gantt", "gantt.caption")


def settings_panel():
    """Near-critical limit and how started work's remaining duration is taken, for the session."""
    s = ui.settings()
    st.session_state.setdefault("gantt_near_critical", float(s.near_critical_days))
    st.session_state.setdefault("gantt_remaining", s.cpm_remaining)
    with st.expander(ui.t("gantt.settings")):
        c = st.columns(2)
        c[0].number_input(
            ui.t("gantt.set.near_critical"), 0.0, 200.0, step=1.0, key="gantt_near_critical",
            help=ui.t("gantt.set.near_critical_help"),
        )  # fmt: skip
        ui.choose(
            c[1].selectbox,
            ui.t("gantt.set.remaining"),
            ["percent", "forecast"],
            key="gantt_remaining",
            format_func=lambda v: ui.t(f"gantt.set.remaining.{v}"),
        )
    new = s.with_(
        near_critical_days=float(st.session_state["gantt_near_critical"]),
        cpm_remaining=st.session_state["gantt_remaining"],
    )
    if new != s:
        ui.set_settings(new)
    return new


with ui.guard():
    s = settings_panel()
    f = ui.filters()
    projects, tasks, links = ui.load_schedule(f)
    names = project_names(projects)
    ids = sorted(tasks["project_id"].astype(str).unique())
    if st.session_state.get("gantt_project") not in (ALL, *ids):
        st.session_state["gantt_project"] = ids[0]  # one project at a time reads best; "All" is offered
    c = st.columns([3, 1, 2])
    chosen = ui.choose(
        c[0].selectbox,
        ui.t("gantt.project_select"),
        [ALL, *ids],
        key="gantt_project",
        format_func=lambda p: ui.t("gantt.all_projects") if p == ALL else f"{p} · {names.get(p, '')}",
    )
    window = ui.choose(
        c[2].selectbox,
        ui.t("chart.gantt.window"),
        list(WINDOWS),
        key="gantt_window",
        format_func=lambda w: ui.t(f"chart.gantt.window.{w}"),
    )
    pid = None if chosen == ALL else chosen
    t_sel = cpm.select_project(tasks, pid)
    l_sel = cpm.select_project(links, pid)
    levels = cpm.outline_levels(t_sel)
    if st.session_state.get("gantt_level") not in (0, *levels):
        st.session_state["gantt_level"] = 0
    level = ui.choose(
        c[1].selectbox,
        ui.t("gantt.level"),
        [0, *levels],
        key="gantt_level",
        format_func=lambda v: ui.t("gantt.level_all") if v == 0 else str(v),
    )
    c = st.columns(3)
    collapse = c[0].toggle(ui.t("gantt.collapse"), key="gantt_collapse")
    critical_only = c[1].toggle(ui.t("gantt.critical_only"), key="gantt_critical_only")
    # arrows default on for small plans only; the default is taken again whenever the plan
    # shown changes (a session value would otherwise carry "on" from a small project to a big one)
    if st.session_state.get("gantt_links_for") != chosen:
        st.session_state["gantt_links_for"] = chosen
        st.session_state["gantt_links"] = len(t_sel) <= LINK_LIMIT
    show_links = c[2].toggle(ui.t("gantt.show_links"), key="gantt_links")

    res = run_cpm(
        t_sel, l_sel, None, s.holidays, s.near_critical_days, s.cpm_remaining, on_error="skip",
        calendars=ui.load("calendars", f), projects=projects,
    )  # fmt: skip
    for code in res.attrs.get("error_codes", []):
        st.error(ui.md(ui.code_text(code)))
    # schedule risk's criticality index in the bars' hover (one project: the simulation is cached)
    if pid is not None and st.toggle(ui.t("srisk.gantt_toggle"), key="gantt_criticality"):
        res = sr.with_criticality(res, ui.schedule_risk(pid, filters=f))
    k = cpm.schedule_kpis(res, t_sel)
    m = st.columns(4)
    m[0].metric(ui.t("gantt.kpi.tasks"), k["tasks"])
    m[1].metric(ui.t("gantt.kpi.critical"), k["critical"])
    m[2].metric(ui.t("gantt.kpi.near_critical"), k["near_critical"])
    m[3].metric(ui.t("gantt.kpi.finish"), k["finish"].isoformat() if k["finish"] else "—")

    fig = gantt_figure(
        t_sel,
        l_sel,
        res,
        status_date=status_date_of(t_sel),
        lang=ui.lang(),
        show_links=show_links,
        max_level=level or None,
        collapse=collapse,
        holidays=s.holidays,
        project_names=names,
        critical_only=critical_only,
        window=window,
    )
    st.plotly_chart(fig, key="gantt_chart", config={"scrollZoom": True, "displaylogo": False})
    st.caption(ui.t("chart.gantt.scroll_hint"))

    st.subheader(ui.t("gantt.table"))
    ui.table(
        cpm.schedule_table(t_sel, res),
        "gantt_schedule",
        title=ui.t("gantt.table"),
    )
