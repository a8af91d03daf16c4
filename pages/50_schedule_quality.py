"""Schedule quality page: the DCMA 14-point assessment per project (value, threshold,
pass/fail), a 0-100 score per project, offending tasks and links listed and exportable."""
# icon: :material/fact_check:

from __future__ import annotations

import streamlit as st

from pmo_analytics import present, ui
from pmo_analytics.metrics import dcma
from pmo_analytics.metrics.evm import project_names

run_dcma = ui.cached(dcma.dcma)

ui.page_header("page.schedule_quality", "dcma.caption")


def settings_panel():
    """BEI and CPLI variants and the high-float / high-duration limits, stored for the session."""
    s = ui.settings()
    st.session_state.setdefault("dcma_bei_variant", s.bei_variant)
    st.session_state.setdefault("dcma_bei_early", bool(s.bei_early_finishers))
    st.session_state.setdefault("dcma_cpli_variant", s.cpli_variant)
    st.session_state.setdefault("dcma_high_float", float(s.high_float_days))
    st.session_state.setdefault("dcma_high_duration", float(s.high_duration_days))
    with st.expander(ui.t("dcma.settings")):
        c = st.columns(3)
        ui.choose(
            c[0].selectbox,
            ui.t("dcma.set.bei_variant"),
            ["dcma", "p6"],
            key="dcma_bei_variant",
            format_func=lambda v: ui.t(f"dcma.set.bei.{v}"),
        )
        ui.choose(
            c[1].selectbox,
            ui.t("dcma.set.cpli_variant"),
            ["baseline", "float"],
            key="dcma_cpli_variant",
            format_func=lambda v: ui.t(f"dcma.set.cpli.{v}"),
        )
        c[2].toggle(ui.t("dcma.set.bei_early"), key="dcma_bei_early", help=ui.t("dcma.set.bei_early_help"))
        c = st.columns(3)
        c[0].number_input(ui.t("dcma.set.high_float"), 1.0, 500.0, step=1.0, key="dcma_high_float")
        c[1].number_input(ui.t("dcma.set.high_duration"), 1.0, 500.0, step=1.0, key="dcma_high_duration")
    new = s.with_(
        bei_variant=st.session_state["dcma_bei_variant"],
        bei_early_finishers=bool(st.session_state["dcma_bei_early"]),
        cpli_variant=st.session_state["dcma_cpli_variant"],
        high_float_days=float(st.session_state["dcma_high_float"]),
        high_duration_days=float(st.session_state["dcma_high_duration"]),
    )
    if new != s:
        ui.set_settings(new)
    return new


with ui.guard():
    s = settings_panel()
    f = ui.filters()
    projects, tasks, links = ui.load_schedule(f)
    checks = run_dcma(tasks, links, None, s, on_error="skip", calendars=ui.load("calendars", f), projects=projects)
    for code in checks.attrs.get("error_codes", []):
        st.error(ui.md(ui.code_text(code)))
    if checks.empty:
        st.stop()
    names = project_names(projects)
    scores = dcma.scores_table(checks, names)
    st.subheader(ui.t("dcma.scores"))
    ui.table(scores, "dcma_scores", title=ui.t("dcma.scores"))

    ids = scores["project_id"].astype(str).tolist()  # worst first
    if st.session_state.get("dcma_project") not in ids:
        st.session_state["dcma_project"] = ids[0]
    pid = st.selectbox(
        ui.t("dcma.project_select"), ids, key="dcma_project", format_func=lambda p: f"{p} · {names.get(p, '')}"
    )
    row = scores[scores["project_id"].astype(str) == pid].iloc[0]
    st.metric(ui.t("dcma.score"), ui.fmt("score", row["score"]), help=ui.t("dcma.score_help"))

    st.subheader(ui.t("dcma.checks"))
    result_colour = {ui.t("dcma.passed"): "green", ui.t("dcma.failed"): "red"}
    ui.table(
        present.dcma_checks(dcma.checks_table(checks, pid), ui.lang()),
        f"dcma_checks_{pid}",
        title=f"{ui.t('dcma.checks')} · {pid}",
        rag={ui.t("dcma.col.result"): lambda v: result_colour.get(v, "")},
        kinds={ui.t("dcma.col.count"): "count", ui.t("dcma.col.population"): "count"},  # headers already named
    )

    st.subheader(ui.t("dcma.offenders"))
    task_names = dcma.task_names(tasks, pid)
    off = present.dcma_offenders(dcma.offenders_table(checks, pid, task_names), ui.lang())
    if off.empty:
        st.info(ui.t("dcma.offenders_none"))
    else:
        ui.table(off, f"dcma_offenders_{pid}", title=f"{ui.t('dcma.offenders')} · {pid}")
