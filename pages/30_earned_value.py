"""Earned value page: S-curve, CPI/SPI/SPI(t) trend, plain-language reading, metrics table, EVM settings."""
# icon: :material/timeline:

from __future__ import annotations

import streamlit as st

from pmo_analytics import evm_view, present, ui
from pmo_analytics.evm_view import PORTFOLIO
from pmo_analytics.metrics import evm
from pmo_analytics.metrics.working_time import parse_holidays

ui.page_header("page.earned_value", "evm.caption")


def settings_panel():
    """Widgets for the computation settings; the result is stored with ui.set_settings so every
    page uses it. Widget keys: evm_period, evm_ev_method, evm_calendar, evm_holidays,
    evm_green_at, evm_red_below."""
    s = ui.settings()
    defaults = {
        "evm_period": s.period,
        "evm_ev_method": s.ev_method,
        "evm_calendar": s.calendar,
        "evm_holidays": "\n".join(d.isoformat() for d in s.holidays),
        "evm_green_at": float(s.green_at),
        "evm_red_below": float(s.red_below),
    }
    for k, v in defaults.items():
        st.session_state.setdefault(k, v)
    with st.expander(ui.t("evm.settings")):
        c = st.columns(3)
        ui.choose(
            c[0].selectbox,
            ui.t("evm.set.period"),
            ["D", "W", "M"],
            key="evm_period",
            format_func=lambda v: ui.t(f"evm.set.period.{v}"),
        )
        ui.choose(
            c[1].selectbox,
            ui.t("evm.set.ev_method"),
            list(evm.EV_METHODS),
            key="evm_ev_method",
            format_func=lambda v: ui.t(f"evm.set.ev.{v}"),
        )
        ui.choose(
            c[2].selectbox,
            ui.t("evm.set.calendar"),
            ["workdays", "calendar"],
            key="evm_calendar",
            format_func=lambda v: ui.t(f"evm.set.cal.{v}"),
        )
        c = st.columns(3)
        c[0].number_input(ui.t("evm.set.green_at"), 0.0, 2.0, step=0.01, key="evm_green_at")
        c[1].number_input(ui.t("evm.set.red_below"), 0.0, 2.0, step=0.01, key="evm_red_below")
        c[2].text_area(ui.t("evm.set.holidays"), key="evm_holidays", height=90)
    holidays, bad = parse_holidays(st.session_state["evm_holidays"])
    for piece in bad:
        st.warning(ui.t_md("evm.set.bad_holiday", value=piece))
    green, red = st.session_state["evm_green_at"], st.session_state["evm_red_below"]
    if red >= green:
        st.warning(ui.t("evm.set.bad_thresholds"))
        green, red = s.green_at, s.red_below
    new = s.with_(
        period=st.session_state["evm_period"],
        ev_method=st.session_state["evm_ev_method"],
        calendar=st.session_state["evm_calendar"],
        holidays=holidays,
        green_at=green,
        red_below=red,
    )
    if new != s:
        ui.set_settings(new)
    return new


with ui.guard():
    s = settings_panel()
    f = ui.filters()
    # the page's whole computation, cached per data version, filters, settings, scope, language
    view = ui.page_view(evm_view.build, f, st.session_state.get("evm_scope", PORTFOLIO), ui.lang())
    if not view.has_input:
        if view.has_projects:
            st.info(ui.t("evm.no_tasks"))
        else:
            ui.no_data()
        st.stop()
    if not view.ids:
        st.info(ui.t("evm.no_tasks"))
        st.stop()
    names = view.names
    if st.session_state.get("evm_scope") != view.choice:  # a project no longer in the selection
        st.session_state["evm_scope"] = view.choice
    ui.choose(
        st.selectbox,
        ui.t("evm.scope"),
        [PORTFOLIO, *view.ids],
        key="evm_scope",
        format_func=lambda p: ui.t("evm.scope.portfolio") if p == PORTFOLIO else f"{p} · {names.get(p, '')}",
    )
    ui.fx_warnings(view.fx_missing)
    history, currency = view.history, view.currency
    if history.empty:
        st.stop()
    row = history.iloc[-1]

    st.subheader(ui.t("evm.reading"))
    st.info(present.reading(row, ui.lang(), s))
    c = [*st.columns(3), *st.columns(3)]  # six tiles in two rows: "CNY 37.6M" fits a third, not a sixth
    for col, key in zip(c, ("cpi", "spi", "spi_t", "eac_cpi", "vac"), strict=False):
        shown = ui.fmt("index", row[key]) if key in ("cpi", "spi", "spi_t") else ui.money(row[key], currency)
        col.metric(ui.label(key), shown)
    ff = row.get("forecast_finish")
    c[5].metric(ui.label("forecast_finish"), ui.fmt("date", ff))

    left, right = st.columns([3, 2])
    left.plotly_chart(view.s_curve, key="evm_s_curve")
    right.plotly_chart(view.trend, key="evm_trend")

    st.subheader(ui.t("evm.metrics_table"))
    latest_only = st.toggle(ui.t("evm.latest_only"), value=True, key="evm_latest_only")
    ui.table(
        view.table_latest if latest_only else view.table_all,
        "evm_metrics",
        title=ui.t("evm.metrics_table"),
        rag={"cpi": s.rag, "spi": s.rag, "spi_t": s.rag},
    )
