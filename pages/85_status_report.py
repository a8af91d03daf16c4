"""Status report page (周报): the weekly report at the sidebar's status date compared with the
previous one, per project and for the filtered portfolio; managers' notes; Excel and printable
HTML downloads."""
# icon: :material/summarize:

from __future__ import annotations

import streamlit as st

from pmo_analytics import ui
from pmo_analytics.health_text import rag_of_word, reasons_text
from pmo_analytics.metrics import dcma
from pmo_analytics.metrics import report as rep_mod
from pmo_analytics.metrics.changes import status_dates
from pmo_analytics.weekly import metrics_view, portfolio_line, report_bytes, summary_view

build = ui.cached(rep_mod.weekly_report)
run_dcma = ui.cached(dcma.dcma)
RAG_BOX = {"red": st.error, "amber": st.warning, "green": st.success}

ui.page_header("page.status_report", "weekly.caption")


with ui.guard():
    f = ui.filters()
    s = ui.report_settings()  # a report uses the organisation's settings, never a session override
    lang = ui.lang()
    tasks = ui.load("tasks", f, history=True)
    projects = ui.load("projects", f, history=True)
    periods = ui.load("evm_periods", f, history=True)
    risks = ui.load("risks", f, history=True)
    dates = status_dates(tasks, projects, risks, periods)
    if not dates:
        ui.no_data()
        st.stop()
    d = dates[-1]
    earlier = [x for x in dates if x < d]
    c = st.columns([1, 1, 3])
    c[0].metric(ui.t("weekly.status_date"), d.isoformat())
    prev = None
    if earlier:
        opts = [x.isoformat() for x in reversed(earlier)]
        if st.session_state.get("weekly_prev") not in opts:
            st.session_state["weekly_prev"] = opts[0]
        prev = c[1].selectbox(ui.t("weekly.previous_date"), opts, key="weekly_prev")
    else:
        c[1].metric(ui.t("weekly.previous_date"), "—", help=ui.t("weekly.no_previous"))
    current_tasks = ui.load("tasks", f)
    checks = (
        run_dcma(
            current_tasks,
            ui.load("links", f),
            None,
            s,
            on_error="skip",
            calendars=ui.load("calendars", f),
            projects=ui.load("projects", f),
        )
        if len(current_tasks)
        else None
    )
    notes = ui.store().notes(projects=list(f.project_ids) if f.project_ids is not None else None, reach=ui.reach())
    report = build(
        tasks,
        projects,
        periods,
        risks,
        notes,
        s,
        fx_rates=ui.load("fx_rates", f),
        status_date=d,
        previous_date=prev,
        project_ids=f.project_ids,
        quality=dcma.quality_score(checks) if checks is not None else None,
    )

    # ---- downloads
    dl = st.columns(3)
    stem = f"status_report_{report.status_date.isoformat()}"
    header = f.describe()[:-1]  # the status date is in the report itself
    dl[0].download_button(
        ui.t("weekly.download_xlsx"),
        data=lambda: report_bytes(report, "xlsx", lang, header_lines=header),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="weekly_dl_xlsx",
        on_click="ignore",
        icon=":material/download:",
    )
    dl[1].download_button(
        ui.t("weekly.download_html"),
        data=lambda: report_bytes(report, "html", lang, header_lines=header),
        file_name=f"{stem}.html",
        mime="text/html",
        key="weekly_dl_html",
        on_click="ignore",
        icon=":material/print:",
        help=ui.t("weekly.print_hint"),
    )
    ui.deck_download(report.status_date, report.previous_date, f, dl[2])

    # ---- portfolio
    st.subheader(ui.t("weekly.portfolio"))
    with st.container(key="rag_status_portfolio"):  # a status in colour, not an error (tests/e2e/test_sweep)
        RAG_BOX.get(report.portfolio_rag, st.info)(portfolio_line(report, lang))
    ui.fx_warnings(report.fx_missing)
    tiles = [*st.columns(3), *st.columns(3)]  # indices, then amounts
    for col, row in zip(tiles, report.portfolio.to_dict("records"), strict=True):
        ratio = row["metric"] in rep_mod.INDEX_METRICS
        dv = row["delta"]
        if dv != dv:
            shown = None
        elif ratio:
            shown = ui.fmt("index", dv, signed=True)
        else:  # the tile says the currency; the sign leads (Streamlit reads the arrow from it)
            shown = ui.money(dv, None, signed=True)
        flat = shown is not None and not shown.startswith(("+", "-"))  # rounds to zero
        col.metric(
            ui.t(f"metric.{row['metric']}"),
            ui.fmt("index", row["current"]) if ratio else ui.money(row["current"], row["currency"]),
            delta=shown,
            delta_color="off" if flat else "inverse" if row["metric"] in ("eac_cpi", "risk_exposure") else "normal",
            delta_arrow="off" if flat else "auto",
            help=ui.t(
                "weekly.previous_value",
                value=ui.fmt("index", row["previous"])
                if ratio
                else ui.money(row["previous"], row["currency"], compact_units=False),
            ),
        )
    st.subheader(ui.t("weekly.projects_overview"))
    summary = summary_view(report, lang)
    ratio_fmt = {k: "{:.2f}" for k in ("cpi", "spi", "spi_t")} | {
        f"{k}_delta": "{:+.2f}" for k in ("cpi", "spi", "spi_t")
    }
    money_fmt = {k: "{:,.0f}" for k in ("eac_cpi", "vac", "risk_exposure")} | {
        f"{k}_delta": "{:+,.0f}" for k in ("eac_cpi", "vac", "risk_exposure")
    }
    ui.table(
        summary,
        "weekly_projects",
        title=ui.t("weekly.projects_overview"),
        rag={"rag": rag_of_word(lang)},
        formats=ratio_fmt | money_fmt,
    )
    st.subheader(ui.t("weekly.top_risks"))
    ui.table(report.risks["portfolio_top"], "weekly_top_risks", title=ui.t("weekly.top_risks"))
    ui.chat_panel(report, tasks=tasks, risks=risks, projects=projects)  # Slack/Teams: analysts and admins

    # ---- one project
    ids = report.project_ids()
    if not ids:
        st.stop()
    names = dict(zip(summary["project_id"], summary["name"], strict=True))
    if st.session_state.get("weekly_project") not in ids:
        st.session_state["weekly_project"] = ids[0]
    st.divider()
    pid = st.selectbox(
        ui.t("weekly.project_pick"),
        ids,
        key="weekly_project",
        format_func=lambda p: f"{p} · {names.get(p) or ''}",
    )
    row = report.projects.set_index("project_id").loc[pid]
    project_ccy = ui.money_context(f).project_currency(pid)
    sec = report.for_project(pid)
    why = reasons_text(row["rag_reasons"], lang, rag=row["rag"])
    with st.container(key="rag_status_project"):
        RAG_BOX.get(row["rag"], st.info)(
            f"{ui.t('weekly.overall')}: {ui.rag_word(row['rag']) or '—'} — {ui.t('weekly.why')}: {why}"
        )
    if row["flags"]:
        st.caption(f"{ui.t('health.flags')}: {reasons_text(row['flags'], lang)}")
    st.markdown(f"**{ui.t('weekly.key_metrics')}**")
    # indices and amounts apart: one number format per column (0.97 beside 2,580,355)
    key_metrics = metrics_view(sec["metrics"], lang).drop(columns="project_id")
    is_index = sec["metrics"]["metric"].isin(rep_mod.INDEX_METRICS).to_numpy()
    left, right = st.columns(2)
    for col, rows, kind, sign, suffix in (
        (left, key_metrics[is_index], "index", "{:+.2f}", "indices"),
        (right, key_metrics[~is_index], "money", "{:+,.0f}", "amounts"),
    ):
        with col:
            ui.table(
                rows.drop(columns=["currency"] if kind == "index" and "currency" in rows else []),
                f"weekly_metrics_{suffix}_{pid}",
                kinds=dict.fromkeys(("previous", "current", "delta"), kind),
                formats={"delta": sign},
                downloads=False,
            )
    left, right = st.columns(2)
    for col, key, title in (
        (left, "completed", ui.t("weekly.milestones_completed")),
        (right, "due", ui.t("weekly.milestones_due", days=report.due_days)),
        (left, "slipped", ui.t("weekly.milestones_slipped")),
        (right, "new", ui.t("weekly.new_risks")),
    ):
        with col:
            st.markdown(f"**{title}**")
            frame = sec[key].drop(columns="project_id")
            if frame.empty:
                st.caption(ui.t("weekly.none"))
            else:
                ui.table(frame, f"weekly_{key}_{pid}", title=title, downloads=False, currency=project_ccy)
    st.markdown(f"**{ui.t('weekly.top_risks')}**")
    ui.table(sec["top"].drop(columns="project_id"), f"weekly_top_{pid}", downloads=False, currency=project_ccy)

    # ---- manager's note for this project and status date (stored with its history)
    st.markdown(f"**{ui.t_md('weekly.note_for', project=pid, date=report.status_date)}**")
    for msg in st.session_state.pop("weekly_note_done", []):
        st.success(msg)
    current = ui.store().notes(projects=[pid], status_date=report.status_date, reach=ui.reach())
    text = st.text_area(
        ui.t("weekly.notes"),
        value=str(current["note"].iloc[-1]) if len(current) else "",
        key=f"weekly_note_{pid}_{report.status_date.isoformat()}",
        height=120,
    )
    c = st.columns([2, 1, 3])
    c[0].caption(ui.t_md("security.signed_in_as", who=ui.actor()))  # the note's author: never a typed name
    if ui.can("note") and c[1].button(ui.t("weekly.note_save"), key="weekly_note_save", type="primary"):
        ui.store().save_note(pid, report.status_date, text, access=ui.access())
        st.session_state.setdefault("weekly_note_done", []).append(
            ui.t_md("weekly.note_saved", project=pid, date=report.status_date)
        )
        st.rerun()
    history = ui.store().notes(projects=[pid], status_date=report.status_date, history=True, reach=ui.reach())
    if len(history) > 1:
        with st.expander(ui.t("weekly.note_history")):
            ui.table(history.drop(columns="project_id"), f"weekly_note_history_{pid}", downloads=False)
