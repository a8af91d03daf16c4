"""Project page: one project's story on one screen, by URL (``/project?id=PRJ-104``) or picked
here: health and why, key figures, S-curve and index trend, milestones and slips, critical
path, top risks, recent changes, the manager's notes (``pmo_analytics.project_view``)."""
# icon: :material/folder_open:

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from pmo_analytics import formatting, present, project_view, ui
from pmo_analytics.charts.evm import s_curve_figure, trend_figure
from pmo_analytics.enums import enum_word
from pmo_analytics.health_text import reasons_text

story_of = ui.cached(project_view.project_story)
RAG_BOX = {"red": st.error, "amber": st.warning, "green": st.success}

ui.page_header("page.project", "project.caption")

with ui.guard():
    lang = ui.lang()
    known = project_view.choices(ui.project_list())
    if not known:
        ui.no_data("project.no_projects")
        st.stop()
    asked = st.query_params.get("id")
    chosen = ui.selection().projects
    if asked is None and len(chosen) == 1:  # no id: the one project the sidebar narrows to
        asked = chosen[0]
        st.query_params["id"] = asked
    pid = project_view.project_id_of(asked, known)
    if asked is not None and pid is None:
        st.warning(ui.t_md("project.unknown", id=str(asked)))
    ids = list(known)
    picked = st.selectbox(
        ui.t("project.pick"),
        ids,
        index=ids.index(pid) if pid else None,
        format_func=known.get,
        placeholder=ui.t("project.pick_placeholder"),
        key=f"project_pick_{pid or ''}",  # a new URL id gives the picker its value afresh
    )
    if picked and picked != pid:
        st.query_params["id"] = picked  # the URL names the project shown: shareable, reloadable
        st.rerun()
    if pid is None:
        st.info(ui.t("project.choose"))
        st.stop()

    f = ui.project_filters(pid)
    s = ui.settings()
    story = story_of(
        pid,
        projects=ui.load("projects", f, history=True),
        tasks=ui.load("tasks", f, history=True),
        evm_periods=ui.load("evm_periods", f, history=True),
        risks=ui.load("risks", f, history=True),
        links=ui.load("links", f),
        calendars=ui.load("calendars", f),
        settings=s,
        as_of=f.as_of,
    )
    ccy = story.currency
    st.subheader(f"{ui.md(story.project_id)} · {ui.md(story.name)}")
    st.caption(
        ui.t_md(
            "project.facts",
            status=enum_word(story.status, "status", lang) or "—",
            currency=ccy,
            date=story.status_date.isoformat() if story.status_date else "—",
        )
    )
    if not story.has_data:
        st.info(ui.t("project.no_data"))
        st.stop()

    # ---- health: the engine's decision, in words (never recomputed here)
    why = reasons_text(story.reasons, lang, rag=story.rag)
    word = formatting.rag_label(story.rag, lang) or "—"  # a shape and a word ("● Red"): never colour alone
    with st.container(key="rag_status_project"):  # a status in colour, not an error (tests/e2e/test_sweep)
        RAG_BOX.get(story.rag, st.info)(f"**{ui.t('project.overall', word=word)}** — {ui.t('project.why', why=why)}")
    if story.flags:
        st.caption(ui.t("project.flags", flags=reasons_text(story.flags, lang)))

    # ---- key figures: amounts with the project's currency, deltas since the previous status date
    st.subheader(ui.t("project.kpis"))

    def tile(col, key: str) -> None:
        value = story.kpis.get(key)
        index = key in project_view.INDEX_KPIS
        shown = ui.fmt_number(value, 2) if index else ui.money(value, ccy)
        delta = None
        d = story.deltas.get(key)
        if d is not None and round(d, 2 if index else 0) != 0:
            # the sign first ("-USD 8.4K"): Streamlit reads the arrow from the leading "-"
            size = ui.fmt_number(abs(d), 2) if index else ui.money(abs(d), ccy)
            delta = f"{'-' if d < 0 else '+'}{size}"
        full = "" if index else ui.money(value, ccy, compact_units=False)
        col.metric(
            ui.label(key),
            shown,
            delta=delta,
            delta_color="inverse" if key in project_view.WORSE_UP else "normal",
            help=ui.t("project.kpi_help", full=full).lstrip(" ·") if delta else (full or None),
        )

    for keys in project_view.KPI_ROWS:
        for col, key in zip(st.columns(4), keys, strict=False):
            if key == "forecast_finish":
                ff = story.kpis.get(key)
                col.metric(ui.t("project.forecast_es"), ff.isoformat() if hasattr(ff, "isoformat") else "—")
            else:
                tile(col, key)

    # ---- progress: S-curve and index trend (the Earned value page's charts)
    st.subheader(ui.t("project.progress"))
    left, right = st.columns([3, 2])
    left.plotly_chart(s_curve_figure(story.curve, story.latest, lang, ccy), key="project_s_curve")
    right.plotly_chart(trend_figure(story.history, s, lang), key="project_trend")

    # ---- milestones | critical path
    left, right = st.columns(2)
    with left:
        st.subheader(ui.t("project.milestones"))
        k = story.milestone_counts
        st.caption(ui.t("project.milestone_counts", **k))
        if len(story.milestones):
            ui.table(
                story.milestones,
                f"project_milestones_{pid}",
                title=ui.t("project.milestones"),
                formats={"slip_days": "{:+.0f}", "slip_change_days": "{:+.0f}"},
                downloads=False,
            )
    with right:
        st.subheader(ui.t("project.critical"))
        k = story.schedule
        st.caption(ui.t("project.critical_counts", critical=k["critical"], tasks=k["tasks"], near=k["near_critical"]))
        finish = k.get("finish")
        if finish and story.finish_slip_days is not None and story.baseline_finish:
            st.markdown(
                ui.t(
                    "project.finish_vs_baseline",
                    finish=finish.isoformat(),
                    baseline=story.baseline_finish.isoformat(),
                    days=story.finish_slip_days,
                )
            )
        elif finish:
            st.markdown(ui.t("project.finish_only", finish=finish.isoformat()))
        # schedule risk (Monte Carlo over this network): the Schedule risk page's cached result
        risk = project_view.schedule_risk_summary(ui.schedule_risk(pid, filters=f)) if k["tasks"] else None
        if risk is not None:
            line = ui.t(
                "srisk.project_line",
                p50=ui.fmt("date", risk["p50"]),
                p80=ui.fmt("date", risk["p80"]),
                p90=ui.fmt("date", risk["p90"]),
                on_time=ui.fmt("percent", risk["prob_on_time"]),
            )
            st.markdown(f"**{ui.t('srisk.project_section')}:** {line}")
            try:
                st.page_link("pages/47_schedule_risk.py", label=ui.t("srisk.project_link"), query_params={"id": pid})
            except StreamlitPageNotFoundError:
                pass  # this script run on its own, outside the app's navigation (tests): no page to link
        st.markdown(f"**{ui.t('project.critical_open')}**")
        if len(story.critical):
            ui.table(
                story.critical,
                f"project_critical_{pid}",
                title=ui.t("project.critical"),
                downloads=False,
            )
        else:
            st.caption(ui.t("project.no_critical"))

    # ---- risks | changes (the risk titles are long: the wider column)
    left, right = st.columns([3, 2])
    with left:
        st.subheader(ui.t("project.risks"))
        if len(story.risks):
            ui.table(
                story.risks,
                f"project_risks_{pid}",
                title=ui.t("project.risks"),
                currency=ccy,  # one project's risks: its currency in the amounts' format
                downloads=False,
            )
        else:
            st.caption(ui.t("project.no_risks"))
    with right:
        st.subheader(ui.t("project.changes"))
        cs = story.changes
        if cs is None:
            st.caption(ui.t("project.no_changes"))
        else:
            st.caption(ui.t("project.changes_between", a=cs.date_a.isoformat(), b=cs.date_b.isoformat()))
            counts = story.change_counts
            # two to a row: four labels such as "Progress changes" side by side were cut at 1440 px
            tiles = [*st.columns(2), *st.columns(2)]
            for col, key in zip(
                tiles, ("dates_moved", "progress_changes", "risks_opened", "risks_closed"), strict=True
            ):
                col.metric(ui.t(f"changes.{key}"), counts.get(key, 0))
            rest = {
                k: v
                for k, v in counts.items()
                if k not in ("dates_moved", "progress_changes", "risks_opened", "risks_closed")
            }
            st.caption(" · ".join(ui.t("project.count", what=ui.t(f"changes.{k}"), n=v) for k, v in rest.items()))
            every = present.changes_long(cs, lang)
            with st.expander(ui.t("project.all_changes", n=len(every))):
                ui.table(every, f"project_changes_{pid}", title=ui.t("project.changes"), downloads=False, height=300)

    # ---- the manager's notes (written on the Status report page)
    st.subheader(ui.t("project.notes"))
    notes = project_view.recent_notes(ui.notes([pid]), story.status_date)
    if notes.empty:
        st.caption(ui.t("project.no_notes"))
    for row in notes.to_dict("records"):
        with st.container(border=True):
            st.caption(ui.t_md("project.note_line", date=str(row["status_date"])[:10], author=row["author"] or "—"))
            st.text(row["note"])  # text from data: shown as text, never Markdown
