"""Portfolio page: what needs attention and why (RAG counts, the attention list worst first),
then the KPI tiles, the project health table, the CPI x SPI quadrant and the health heatmap.
Everything shown comes from one cached view (``portfolio_view.build`` via ``ui.portfolio_view``);
every colour is the health engine's decision (metrics.health)."""
# icon: :material/dashboard:

from __future__ import annotations

from pathlib import Path

import streamlit as st

from pmo_analytics import ui
from pmo_analytics.charts.health import health_heatmap
from pmo_analytics.formatting import RAG_SYMBOLS
from pmo_analytics.health_text import rag_of_word
from pmo_analytics.metrics.health import INDICATORS, rag_rules, sort_matrix
from pmo_analytics.portfolio_view import KPI_DIRECTION

ATTENTION_LINES = 12  # lines in the list; the rest follow in the table below, same order
RAG_MD_COLOUR = {"red": "red", "amber": "orange", "green": "green", "": "gray"}
DELTA_COLOR = {1: "normal", -1: "inverse", 0: "off"}
DELTA_HELP = {
    1: "portfolio_page.delta_good_up",
    -1: "portfolio_page.delta_good_down",
    0: "portfolio_page.delta_neutral",
}
PROJECT_PAGE = next(iter(sorted((Path(__file__).resolve().parent).glob("[0-9][0-9]_project.py"))), None)

ui.page_header("page.portfolio", "portfolio.caption")


def rag_badge(rag: str, word: str) -> str:
    """Markdown of a RAG: its shape and word (our strings, the tables' ``formatting.RAG_SYMBOLS``;
    "?" for no RAG), in its colour."""
    return f":{RAG_MD_COLOUR.get(rag, 'gray')}[**{RAG_SYMBOLS.get(rag, '?')} {ui.md(word)}**]"


def project_link(col, project_id: str, name: str) -> None:
    """The project as a link to its page (``project?id=<id>``, st.page_link: same session, same
    filters); the label is data text, escaped. Without a project page: the same text, no link."""
    label = ui.md(f"{project_id} · {name}" if name else project_id)
    if PROJECT_PAGE is None:
        col.markdown(label)
        return
    col.page_link(
        f"pages/{PROJECT_PAGE.name}",
        label=label,
        query_params={"id": project_id},
        help=f"{label}  \n{ui.t('portfolio_page.open_project')}",  # the whole name, if the link is cut
    )


def tiles(now: dict, delta: dict, currency: str | None) -> None:
    """The KPI tiles of one currency: money in the first row (wide enough for "CNY 3,433.4万"
    at 1440 px), EAC and VAC beside the three indices in the second."""

    def tile(col, key: str, ratio: bool = False) -> None:
        value, d = now.get(key), delta.get(key)
        if d is not None and d == d and (round(d, 2) == 0 if ratio else abs(d) < 0.5):
            d = 0.0  # a change that rounds to nothing reads "0.00", never "-0.00" with a red arrow
        sign = "" if d is None or d != d or d == 0 else ("-" if d < 0 else "+")
        if ratio:
            shown = ui.fmt_number(value, 2)
            change = None if d is None or d != d else sign + ui.fmt_number(abs(d), 2)
            full = ""
        else:
            # the sign leads (Streamlit points the arrow by the first character)
            shown = ui.money(value, currency)
            change = None if d is None or d != d else sign + ui.money(abs(d), currency)
            full = ui.money(value, currency, compact_units=False) + " · "
        direction = KPI_DIRECTION[key]
        label = ui.t("portfolio_page.tile.tcpi_bac") if key == "tcpi_bac" else ui.label(key)
        about = ui.t("portfolio_page.tile.tcpi_help") + " " if key == "tcpi_bac" else ""
        col.metric(
            label,
            shown,
            delta=change,
            delta_color=DELTA_COLOR[0 if d == 0 else direction],  # no change: grey, neither good nor bad
            help=about + full + ui.t("portfolio.kpi.delta_help") + ". " + ui.t(DELTA_HELP[direction]),
        )

    for col, key in zip(st.columns(4), ("bac", "pv", "ev", "ac"), strict=True):
        tile(col, key)
    c = st.columns([1.3, 1.3, 0.8, 0.8, 0.8])
    tile(c[0], "eac_cpi")
    tile(c[1], "vac")
    tile(c[2], "cpi", ratio=True)
    tile(c[3], "spi", ratio=True)
    tile(c[4], "tcpi_bac", ratio=True)


with ui.guard():
    f = ui.filters()
    s = ui.settings()
    view, words = ui.portfolio_view(f)
    if not view.has_data:
        ui.no_data()
        if st.button(ui.t("app.load_demo"), key="load_demo", type="primary"):
            from pmo_analytics.demo import build_demo

            with st.spinner(ui.t("app.load_demo")):
                results = build_demo(ui.store())
            ui.clear_caches()
            st.success(ui.t("app.demo_loaded", n=len(results)))
            st.rerun()
        st.stop()
    if not view.has_metrics:
        st.info(ui.t("portfolio.no_tasks"))
        st.stop()
    closed = ui.closed_line(f, ui.lang())
    if closed:
        st.caption(closed)
    totals = view.totals
    ui.fx_warnings(totals.missing)

    # 1. what needs me: projects by overall RAG (word and symbol), flags beside the colour
    c = st.columns(5)
    c[0].metric(ui.t("portfolio.kpi.projects"), int(totals.now.get("projects", 0)))
    for col, key in zip(c[1:], ("red", "amber", "green", "unknown"), strict=True):
        col.metric(ui.t(f"health.count.{key}"), view.counts[key], help=ui.t("health.rule_help"))
    st.caption(
        ui.t(
            "portfolio_page.flags",
            quality=view.flagged.get("quality_below", 0),
            q=s.quality_min,
            stale=view.flagged.get("stale", 0),
        )
    )

    # 2. and why: the attention list, worst first, one line per project with the rule's reasons
    st.subheader(ui.t("portfolio_page.attention"), help=ui.t("portfolio_page.attention_help"))
    if not words.lines:
        st.success(ui.t("portfolio_page.none"))
    for line in words.lines[:ATTENTION_LINES]:
        badge, who, why = st.columns([0.9, 3.8, 5.3], vertical_alignment="center")
        badge.markdown(rag_badge(line.rag, line.rag_word or ui.t("health.count.unknown")))
        project_link(who, line.project_id, line.name)
        flags = f" · :gray[⚑ {ui.md(line.flags)}]" if line.flags else ""
        why.markdown(ui.md(line.reasons) + flags)
    more = len(words.lines) - ATTENTION_LINES
    if more > 0:
        st.caption(ui.t("portfolio_page.more", n=more))
    st.caption(ui.t("portfolio_page.fine", n=view.counts["green"]))

    # 3. the portfolio's totals
    st.subheader(ui.t("portfolio_page.kpis"))
    if totals.converted:
        st.caption(ui.t("money.converted", currency=totals.currency, date=str(view.status_date or "")))
        tiles(totals.now, totals.delta, totals.currency)
    else:
        for ccy, (now, delta) in totals.by_currency.items():
            st.caption(ui.t("money.per_currency", currency=ccy))
            tiles(now, delta, ccy)

    # 4. every project, attention order: identity, RAG and the key indices first
    st.subheader(ui.t("portfolio.health_table"))
    ui.table(
        words.table,
        "portfolio_health",
        title=ui.t("portfolio.health_table"),
        rag={"rag": rag_of_word(ui.lang()), "cpi": s.rag, "spi": s.rag, "spi_t": s.rag},  # Excel cell colours
        formats={k: "{:,.0f}" for k in ("bac", "pv", "ev", "ac", "eac_cpi", "vac")}
        | {k: "{:.2f}" for k in ("cpi", "spi", "spi_t")}
        | {"risk_exposure_pct": "{:.1%}", "milestones_slipped": "{:.0f}"},
    )
    st.subheader(ui.t("portfolio.quadrant"))
    st.plotly_chart(words.quadrant, key="quadrant")

    # Health heatmap: the overall RAG first, then cost, schedule, schedule quality (DCMA) and
    # risk cells side by side; only the engine's rule sets the overall colour.
    st.subheader(ui.t("health.title"))
    st.caption(ui.t("health.rule_help"))
    order = ui.choose(
        st.selectbox,
        ui.t("health.sort"),
        ["worst", *INDICATORS],
        key="health_sort",
        format_func=lambda v: ui.t("health.worst") if v == "worst" else ui.label(v),
    )
    shown, heatmap = words.matrix, words.heatmap
    if order != "worst":  # "worst" is the attention order the view already has (and its figure)
        pos = sort_matrix(view.matrix.assign(_pos=range(len(view.matrix))), order)["_pos"].to_numpy()
        heatmap = health_heatmap(view.matrix.iloc[pos].reset_index(drop=True), ui.lang())
        shown = shown.iloc[pos].reset_index(drop=True)
    st.plotly_chart(heatmap, key="health_heatmap")
    ui.table(
        shown,
        "health_matrix",
        title=ui.t("health.title"),
        rag={"rag": rag_of_word(ui.lang())} | rag_rules(s),  # Excel cell colours
        formats={
            "cpi": "{:.2f}",
            "spi": "{:.2f}",
            "spi_t": "{:.2f}",
            "quality_score": "{:.0f}",
            "risk_exposure_pct": "{:.1%}",
            "open_high_risks": "{:.0f}",
        },
    )
