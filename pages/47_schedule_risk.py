"""Schedule risk page: how likely is the project to finish by the date it promised? Monte Carlo
over its CPM network (``metrics.schedule_risk``): finish-date histogram with the cumulative
curve, P50/P80/P90, the chance of meeting the baseline finish and each milestone, the tornado,
criticality per task; the default band and the distribution changeable for the session."""
# icon: :material/casino:

from __future__ import annotations

import streamlit as st

from pmo_analytics import ui
from pmo_analytics.charts.schedule_risk import finish_histogram, tornado_figure
from pmo_analytics.metrics import schedule_risk as sr
from pmo_analytics.metrics.evm import project_names

ITERATIONS = (1_000, 5_000, 10_000, 20_000)

ui.page_header("page.schedule_risk", "srisk.caption")


def settings_panel():
    """The default band and the distribution for this session (organisation defaults shown),
    iterations and seed for this run."""
    s, org = ui.settings(), ui.org_settings()
    st.session_state.setdefault("srisk_low", round(s.risk_band_low * 100, 1))
    st.session_state.setdefault("srisk_high", round(s.risk_band_high * 100, 1))
    st.session_state.setdefault("srisk_dist", s.risk_distribution)
    st.session_state.setdefault("srisk_iterations", sr.DEFAULT_ITERATIONS)
    st.session_state.setdefault("srisk_seed", sr.DEFAULT_SEED)
    with st.expander(ui.t("srisk.settings")):
        help_ = ui.t("srisk.band_help", low=f"{org.risk_band_low * 100:g}", high=f"{org.risk_band_high * 100:g}")
        c = st.columns(5)
        c[0].number_input(ui.t("srisk.band_low"), 0.0, 100.0, step=5.0, key="srisk_low", help=help_)
        c[1].number_input(ui.t("srisk.band_high"), 0.0, 500.0, step=5.0, key="srisk_high", help=help_)
        ui.choose(
            c[2].selectbox, ui.t("srisk.distribution"), list(sr.DISTRIBUTIONS), key="srisk_dist",
            format_func=lambda d: ui.t(f"srisk.dist.{d}"),
        )  # fmt: skip
        ui.choose(
            c[3].selectbox, ui.t("srisk.iterations"), ITERATIONS, key="srisk_iterations", format_func=ui.fmt_number
        )
        c[4].number_input(ui.t("srisk.seed"), 0, 2**31 - 1, step=1, key="srisk_seed")
    new = s.with_(
        risk_band_low=float(st.session_state["srisk_low"]) / 100,
        risk_band_high=float(st.session_state["srisk_high"]) / 100,
        risk_distribution=st.session_state["srisk_dist"],
    )
    if new != s:
        ui.set_settings(new)
    return sr.RiskOptions.from_settings(
        new, iterations=int(st.session_state["srisk_iterations"]), seed=int(st.session_state["srisk_seed"])
    )


with ui.guard():
    options = settings_panel()
    f = ui.filters()
    projects = ui.load("projects", f)
    tasks = ui.load("tasks", f)
    if tasks.empty:
        if projects.empty:
            ui.no_data()
        else:
            st.info(ui.t("srisk.no_tasks"))
        st.stop()
    names = project_names(projects)
    ids = sorted(tasks["project_id"].astype(str).unique())
    asked = st.query_params.get("id")
    if asked in ids and st.session_state.get("srisk_for_url") != asked:
        st.session_state["srisk_for_url"] = asked  # a link from the project page opens on its project
        st.session_state["srisk_project"] = asked
    if st.session_state.get("srisk_project") not in ids:
        st.session_state["srisk_project"] = ids[0]
    pid = st.selectbox(
        ui.t("srisk.project"), ids, key="srisk_project", format_func=lambda p: f"{p} · {names.get(p, '')}"
    )
    with st.spinner(ui.t("srisk.iterations") + "…"):
        r = ui.schedule_risk(pid, options, f)
    if r is None:
        st.warning(ui.t("srisk.failed"))
        st.stop()
    ccy = ui.money_context(f).project_currency(pid)

    m = [*st.columns(4), *st.columns(4)]  # four to a row: dates and amounts stay whole at 1440 px
    m[0].metric(ui.t("srisk.kpi.cpm"), ui.fmt("date", r.cpm_finish))
    m[1].metric(ui.t("srisk.kpi.p50"), ui.fmt("date", r.p50))
    m[2].metric(ui.t("srisk.kpi.p80"), ui.fmt("date", r.p80))
    m[3].metric(ui.t("srisk.kpi.p90"), ui.fmt("date", r.p90))
    base = ui.fmt("date", r.baseline_finish)
    m[4].metric(
        ui.t("srisk.kpi.on_time_short"),
        ui.fmt("percent", r.prob_on_time),
        help=ui.t("srisk.kpi.on_time") + " · "
        + (ui.t("srisk.kpi.baseline", date=base) if r.baseline_finish else ui.t("srisk.kpi.no_baseline")),
    )  # fmt: skip
    if r.cost is not None:
        m[5].metric(
            ui.t("srisk.kpi.eac_p80"),
            ui.money(r.cost.eac_p80, ccy),
            help=ui.t(
                "srisk.kpi.eac_help",
                eac=ui.money(r.cost.eac, ccy),
                rate=ui.money(r.cost.burn_rate, ccy),
                exposure=ui.money(r.cost.exposure, ccy),
            ),
        )
    three = int((r.tasks["estimate"] == "three_point").sum())
    st.caption(
        ui.t(
            "srisk.summary",
            runs=ui.fmt_number(r.iterations),
            dist=ui.t(f"srisk.dist.{r.distribution}"),
            seed=r.seed,
            low=f"{r.band_low * 100:g}",
            high=f"{r.band_high * 100:g}",
            three=three,
            risks=int((r.risks["impact_days"] > 0).sum()) if len(r.risks) else 0,
        )
    )
    for note in r.notes:
        params = {k: ui.md(v) for k, v in note.items() if k != "code"}
        st.caption(ui.t(f"srisk.note.{note['code']}", **params))

    st.subheader(ui.t("srisk.histogram"))
    st.plotly_chart(finish_histogram(r, ui.lang()), key="srisk_histogram")
    # one after the other, full width: side by side the milestone table lost its columns and its
    # download buttons their labels at 1440 px
    st.subheader(ui.t("srisk.tornado"))
    st.caption(ui.t("srisk.tornado_help"))
    st.plotly_chart(tornado_figure(r, ui.lang()), key="srisk_tornado")
    st.subheader(ui.t("srisk.milestones"))
    if len(r.milestones):
        ms = r.milestones.assign(
            target_kind=r.milestones["target_kind"].map(lambda k: ui.t(f"srisk.target.{k}") if k else "")
        )
        ui.table(ms.rename(columns={"name": "task_name"}), "srisk_milestones", title=ui.t("srisk.milestones"))
    else:
        st.caption(ui.t("srisk.no_milestones"))

    st.subheader(ui.t("srisk.tasks"))
    table = sr.task_table(r)
    table["estimate"] = table["estimate"].map(lambda k: ui.t(f"srisk.estimate.{k}"))
    ui.table(table, "srisk_tasks", title=ui.t("srisk.tasks"), kinds={"sensitivity": "index"})
    if len(r.risks):
        st.subheader(ui.t("srisk.risks"))
        ui.table(r.risks, "srisk_risks", title=ui.t("srisk.risks"), schema_table="risks", currency=ccy)
