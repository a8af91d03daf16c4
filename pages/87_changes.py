"""Change history page: what changed in a project between two status dates (tasks added and
removed, dates moved, budget and progress changes, risks opened and closed), from the stored
imports; every section and the whole list exportable."""
# icon: :material/compare_arrows:

from __future__ import annotations

import streamlit as st

from pmo_analytics import present, ui
from pmo_analytics.metrics import changes
from pmo_analytics.metrics.agile import project_choices

history_of = ui.cached(changes.change_history)

ui.page_header("page.changes", "changes.caption")

with ui.guard():
    f = ui.filters()
    tasks = ui.load("tasks", f, history=True)
    risks = ui.load("risks", f, history=True)
    projects = ui.load("projects", f, history=True)
    if tasks.empty and risks.empty:
        ui.no_data()
        st.stop()
    choices = project_choices(projects, tasks, risks)
    ids = list(choices)
    if st.session_state.get("changes_project") not in ids:
        st.session_state["changes_project"] = ids[0]
    c = st.columns([2, 1, 1])
    pid = c[0].selectbox(ui.t("changes.project"), ids, key="changes_project", format_func=choices.get)
    dates = [d.isoformat() for d in changes.status_dates(tasks, risks, projects, project_id=pid)]
    if len(dates) < 2:
        st.info(ui.t("changes.need_two"))
        st.stop()
    for key, default in (("changes_from", dates[-2]), ("changes_to", dates[-1])):
        if st.session_state.get(key) not in dates:
            st.session_state[key] = default
    date_a = c[1].selectbox(ui.t("changes.from"), dates, key="changes_from")
    date_b = c[2].selectbox(ui.t("changes.to"), dates, key="changes_to")
    cs = history_of(pid, date_a, date_b, tasks=tasks, risks=risks, projects=projects)
    st.caption(
        ui.t(
            "changes.snapshots",
            a=cs.snapshot_a.isoformat() if cs.snapshot_a else "—",
            b=cs.snapshot_b.isoformat() if cs.snapshot_b else "—",
        )
    )
    counts = cs.counts()
    tiles = st.columns(len(counts))
    for col, (key, n) in zip(tiles, counts.items(), strict=True):
        col.metric(ui.t(f"changes.{key}"), n)
    ccy = ui.money_context(f).project_currency(pid)
    # kinds of the columns the sections share the names of (before/after: dates, amounts or
    # progress); a sign on every change
    kinds = {
        "dates_moved": {"days": "days"},
        "budget_changes": {"before": "money", "after": "money", "change": "money"},  # the project's currency
        "progress_changes": {"before": "percent", "after": "percent", "change_points": "score"},
    }
    signs = {"days": "{:+.0f}", "change": "{:+,.0f}", "change_points": "{:+.0f}"}
    for key in changes.SECTIONS:
        frame = present.change_section(cs, key, ui.lang())
        st.subheader(ui.t(f"changes.{key}"))
        if frame.empty:
            st.caption(ui.t("weekly.none"))
            continue
        ui.table(
            frame,
            f"changes_{key}",
            title=f"{pid}: {ui.t(f'changes.{key}')}",
            kinds=kinds.get(key),
            formats=signs,
            currency=ccy,
        )
    st.subheader(ui.t("changes.all"))
    ui.table(
        present.changes_long(cs, ui.lang()),
        f"changes_{pid}_{cs.date_a.isoformat()}_{cs.date_b.isoformat()}",
        title=f"{pid}: {ui.t('changes.all')} {cs.date_a.isoformat()} → {cs.date_b.isoformat()}",
    )
