"""Lessons learned page: the register (search, filters, add a lesson; each addition saved as an
import batch, undoable), and closed-project benchmarks (final CPI, SPI(t), finish slip)
beside a live project's forecast."""
# icon: :material/school:

from __future__ import annotations

from datetime import date

import streamlit as st

from pmo_analytics import lessons_view, ui
from pmo_analytics.enums import enum_word
from pmo_analytics.metrics import evm, lessons
from pmo_analytics.metrics.agile import project_choices
from pmo_analytics.weekly import blank_sheet_bytes

ui.page_header("page.lessons", "lessons.caption")


def register_section(f, projects) -> None:
    st.header(ui.t("lessons.register"))
    for msg in st.session_state.pop("lessons_done", []):
        st.success(msg)
    reg = ui.load("lessons", f)
    choices = project_choices(projects, projects, reg)
    if reg.empty:
        st.info(ui.t("lessons.none"))
    else:
        opts = lessons.facets(reg)
        c = st.columns([2, 1, 1, 1])
        text = c[0].text_input(ui.t("lessons.search"), key="lessons_search")
        phases = ui.choose(
            c[1].multiselect,
            ui.t("lessons.filter.phase"),
            opts["phase"],
            key="lessons_phase",
            format_func=lambda v: enum_word(v, "phase", ui.lang()),
            placeholder=ui.t("filter.all"),
        )
        cats = c[2].multiselect(
            ui.t("lessons.filter.category"), opts["category"], key="lessons_category", placeholder=ui.t("filter.all")
        )
        pids = c[3].multiselect(
            ui.t("lessons.filter.project"),
            sorted(set(reg["project_id"].astype(str))),
            key="lessons_project",
            format_func=lambda p: choices.get(p, p),
            placeholder=ui.t("filter.all"),
        )
        names = evm.project_names(projects)
        found = lessons.search_lessons(reg, text, project_ids=pids, phases=phases, categories=cats, names=names)
        st.caption(ui.t("lessons.found", n=len(found), total=len(reg)))
        ui.table(found.drop(columns=["import_id"], errors="ignore"), "lessons_register", title=ui.t("lessons.register"))
    st.download_button(
        ui.t("lessons.template"),
        data=lambda lg=ui.lang(): blank_sheet_bytes("lessons", lg),  # deferred: runs outside the session
        file_name="lessons.xlsx",
        key="lessons_template",
        on_click="ignore",
        icon=":material/table_view:",
    )
    if not choices or not ui.can("edit"):
        return
    with st.expander(ui.t("lessons.add"), icon=":material/add:"):
        with st.form("lessons_add", clear_on_submit=True):
            c = st.columns(3)
            pid = c[0].selectbox(
                ui.t("lessons.filter.project"), list(choices), format_func=choices.get, key="lessons_add_project"
            )
            phase = c[1].text_input(ui.label("phase"), key="lessons_add_phase")
            category = c[2].text_input(ui.label("category"), key="lessons_add_category")
            what = st.text_area(ui.label("what_happened"), key="lessons_add_what")
            rec = st.text_area(ui.label("recommendation"), key="lessons_add_recommendation")
            c = st.columns(3)
            owner = c[0].text_input(ui.t("weekly.note_author"), key="lessons_add_owner")
            when = c[1].date_input(ui.label("date"), value=date.today(), key="lessons_add_date")
            dates = ui.store().status_dates()
            status_date = c[2].date_input(
                ui.t("quality.edit_date"), value=dates[-1] if dates else date.today(), key="lessons_add_status_date"
            )
            if st.form_submit_button(ui.t("lessons.add_save"), type="primary"):
                if not pid or not what.strip():
                    st.warning(ui.t("lessons.missing"))
                    return
                # the project's lessons at the save's status date (not the sidebar's): the
                # save is its whole register at that date, so none added since is dropped
                frame = lessons.with_new_lesson(
                    ui.load("lessons", ui.Filters((pid,), status_date, f.lang)),
                    pid,
                    {
                        "phase": phase or None,
                        "category": category or None,
                        "what_happened": what,
                        "recommendation": rec or None,
                        "owner": owner or None,
                        "date": when,
                    },
                )
                result = ui.store().save_edit("lessons", frame, status_date, access=ui.access())
                ui.clear_caches()
                st.session_state.setdefault("lessons_done", []).append(
                    ui.t_md("lessons.added", summary=result.summary())
                )
                st.rerun()


def benchmark_section(f) -> None:
    st.header(ui.t("lessons.benchmarks"))
    # cached per data version, filters, settings, the live project picked and the language
    view = ui.page_view(lessons_view.build, f, st.session_state.get("lessons_live"), ui.lang())
    if not view.has_input:
        ui.no_data()
        return
    if view.outcomes.empty:
        st.info(ui.t("lessons.no_closed"))
        return
    st.subheader(ui.t("lessons.distribution"))
    choices = view.choices
    if choices:
        if st.session_state.get("lessons_live") != view.live:
            st.session_state["lessons_live"] = view.live
        st.selectbox(ui.t("lessons.live"), list(choices), format_func=choices.get, key="lessons_live")
    st.plotly_chart(view.figure, key="lessons_benchmark_chart")
    if view.counted >= lessons.STATS_MIN:
        ui.table(
            view.stats,
            "lessons_benchmark_stats",
            title=ui.t("lessons.distribution"),
            kinds=dict.fromkeys(("min", "p25", "median", "p75", "max"), "index"),  # statistics of CPI / SPI(t)
        )
    else:  # no quartiles of one project: its values are in the closed projects' list below
        st.info(ui.t("lessons.too_few_stats", n=view.counted, need=lessons.STATS_MIN))
    if view.comparison is not None:
        ui.table(
            view.comparison,
            "lessons_live",
            title=choices[view.live],
            kinds={"live_value": "index", "median": "index"},
        )
    st.subheader(ui.t("lessons.closed_list"))
    ui.table(
        view.outcomes,
        "lessons_closed",
        title=ui.t("lessons.closed_list"),
        formats={"finish_slip_days": "{:+.0f}"},  # a sign: days late (+) or early (-)
    )


with ui.guard():
    f = ui.filters(include_closed=True)  # lessons and closed-project benchmarks: closed projects always in
    projects = ui.load("projects", f)
    register_section(f, projects)
    st.divider()
    benchmark_section(f)
