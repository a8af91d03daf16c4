"""Quality and acceptance page: defects (open by priority across status dates, arrival vs
closure per week, per release) and the deliverables register, editable here; each saved edit
is a new import batch (who and when), undoable on the Import page."""
# icon: :material/verified:

from __future__ import annotations

from datetime import date

import streamlit as st

from pmo_analytics import quality_view, ui
from pmo_analytics.metrics import quality
from pmo_analytics.schema import TABLES
from pmo_analytics.weekly import blank_sheet_bytes

EDIT_COLUMNS = [c for c in TABLES["deliverables"].column_names if c != "project_id"]

ui.page_header("page.quality", "quality.caption")


def head(column: str) -> str:
    """The deliverables template's header for a column, in the UI language."""
    c = TABLES["deliverables"].column(column)
    return c.label_zh if ui.lang() == "zh" else c.label_en


def defects_section(view) -> None:
    st.header(ui.t("quality.defects"))
    k = view.kpis
    if k["defects"] == 0:
        st.info(ui.t("quality.no_defects"))
        return
    c = st.columns(3)
    c[0].metric(ui.t("quality.kpi.defects"), k["defects"])
    c[1].metric(ui.t("quality.kpi.open"), k["open"])
    c[2].metric(ui.t("quality.kpi.open_high"), k["open_high"])
    st.subheader(ui.t("quality.by_priority"))
    st.plotly_chart(view.priority_chart, key="quality_priority_chart")
    ui.table(view.by_priority, "quality_by_priority", title=ui.t("quality.by_priority"))
    st.subheader(ui.t("quality.arrival"))
    st.plotly_chart(view.arrival_chart, key="quality_arrival_chart")
    if view.undated:
        st.caption(ui.t("quality.undated", n=view.undated))
    ui.table(view.arrival, "quality_arrival", title=ui.t("quality.arrival"))
    st.subheader(ui.t("quality.by_version"))
    ui.table(view.by_version, "quality_by_version", title=ui.t("quality.by_version"))


def deliverables_section(f, view) -> None:
    st.header(ui.t("quality.deliverables"))
    for msg in st.session_state.pop("quality_done", []):
        st.success(msg)
    if view.deliverables is None:
        st.info(ui.t("quality.no_deliverables"))
    else:
        st.subheader(ui.t("quality.summary"))
        ui.table(view.acceptance, "quality_acceptance", title=ui.t("quality.summary"))
        ui.table(
            view.deliverables,
            "quality_deliverables",
            title=ui.t("quality.deliverables"),
            # words read now: the deferred Excel download runs outside the session (its language)
            rag={"state": lambda v, c={ui.t("state.accepted"): "green", ui.t("state.overdue"): "red"}: c.get(v, "")},
        )
    st.download_button(
        ui.t("quality.template"),
        data=lambda lg=ui.lang(): blank_sheet_bytes("deliverables", lg),  # deferred: runs outside the session
        file_name="deliverables.xlsx",
        key="quality_template",
        on_click="ignore",
        icon=":material/table_view:",
    )

    # ---- the editor: one project at a time, saved as one import batch
    if not ui.can("edit"):  # viewers browse and download; editing is an analyst's
        return
    st.subheader(ui.t("quality.edit"))
    projects = ui.load("projects", f)
    ids = sorted(set(projects["project_id"].astype(str)) | set(view.register_ids))
    if not ids:
        return
    names = dict(zip(projects["project_id"].astype(str), projects["name"].astype(str), strict=False))
    c = st.columns([2, 1, 1])
    pid = c[0].selectbox(
        ui.t("quality.edit_project"), ids, key="quality_edit_project", format_func=lambda p: f"{p} · {names.get(p, '')}"
    )
    dates = ui.store().status_dates()
    when = c[1].date_input(
        ui.t("quality.edit_date"), value=dates[-1] if dates else date.today(), key="quality_edit_date"
    )
    c[2].caption(ui.t_md("security.signed_in_as", who=ui.actor()))  # the batch records who made the edit
    # the save is the project's whole register at the edit's date, so the editor starts from
    # the project's rows at that date (not the sidebar's status date: rows added since would
    # be dropped)
    at_date = ui.load("deliverables", ui.Filters((pid,), when, f.lang))
    original = quality.editor_frame(at_date, EDIT_COLUMNS, pid)
    st.caption(ui.t("quality.edit_rows_at", date=when.isoformat()))
    edited = st.data_editor(
        original,
        key=f"quality_editor_{pid}_{when.isoformat()}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            c: (
                st.column_config.DateColumn(head(c), format="YYYY-MM-DD")
                if TABLES["deliverables"].column(c).dtype == "date"
                else st.column_config.TextColumn(head(c), required=TABLES["deliverables"].column(c).required)
            )
            for c in EDIT_COLUMNS
        },
    )
    if st.button(ui.t("quality.edit_save"), key="quality_edit_save", type="primary", icon=":material/save:"):
        if quality.same_rows(edited, original):
            st.info(ui.t("quality.edit_unchanged"))
            return
        result = ui.store().save_edit("deliverables", quality.edited_register(edited, pid), when, access=ui.access())
        ui.clear_caches()
        st.session_state.setdefault("quality_done", []).append(ui.t_md("quality.edit_saved", summary=result.summary()))
        st.rerun()


with ui.guard():
    f = ui.filters()
    # what the page shows above the editor, cached per data version, filters, settings, language
    view = ui.page_view(quality_view.build, f, ui.lang())
    defects_section(view)
    st.divider()
    deliverables_section(f, view)
