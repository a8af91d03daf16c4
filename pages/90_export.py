"""Export page: the portfolio report workbook (xlsx with native charts) for the current filters."""
# icon: :material/download:

from __future__ import annotations

from datetime import date

import streamlit as st

from pmo_analytics import report_workbook, ui

REPORT_KEY = "export_report"
report_frames = ui.cached(report_workbook.report_frames)

ui.page_header("page.export", "export.page.caption")

with ui.guard():
    f = ui.filters()
    s = ui.report_settings()  # a report uses the organisation's settings, never a session override
    inputs = report_workbook.frames_for_report(ui.frames(f))
    if all(inputs[k].empty for k in ("projects", "tasks", "evm_periods", "risks")):
        ui.no_data()
        st.stop()

    signature = (f, s, ui.data_version())
    built = st.session_state.get(REPORT_KEY)
    if st.button(ui.t("export.page.build"), key="export_build", type="primary", icon=":material/table_view:"):
        bar = st.progress(0.0, text=ui.t("export.page.building", pct=0.0))
        frames, notes = report_frames(**inputs, settings=s, fx_rates=ui.load("fx_rates", f))
        bar.progress(0.3, text=ui.t("export.page.building", pct=0.3))

        def advance(fraction: float) -> None:
            done = 0.3 + 0.7 * fraction
            bar.progress(done, text=ui.t("export.page.building", pct=done))

        contents: list[report_workbook.ReportSheet] = []
        data = report_workbook.portfolio_report(
            **frames,
            lang=ui.lang(),
            filters=f.describe(),
            status_date=f.as_of,
            settings=s,
            notes=notes,
            progress=advance,
            contents=contents,
        )
        bar.empty()
        built = {
            "signature": signature,
            "data": data,
            "contents": [(c.name, c.rows) for c in contents],
            "file_name": f"portfolio_report_{(f.as_of or date.today()).isoformat()}.xlsx",
        }
        st.session_state[REPORT_KEY] = built

    if built and built["signature"] == signature:
        st.success(ui.t("export.page.ready", size=f"{len(built['data']) / 1024:,.0f} KB"))
        st.download_button(
            ui.t("export.page.download"),
            data=built["data"],
            file_name=built["file_name"],
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="export_download",
            on_click="ignore",
            icon=":material/download:",
        )
        st.subheader(ui.t("export.page.contents"))
        for name, rows in built["contents"]:
            st.text(ui.t("export.page.rows", sheet=name, rows=rows))
