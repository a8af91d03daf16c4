"""AppTest: the Portfolio landing page answers "what needs me, and why" on the demo portfolio:
counts by RAG, the attention list worst first with the health rule's reasons in words and a
link to each project, KPI tiles whose delta colours follow meaning, in English and Chinese.

Expected values are worked out by hand from the demo's stored rows (tasks, risk register,
projects) at its latest status date 2026-10-31; the arithmetic is in the comments."""

from __future__ import annotations

import re

import pytest

from pmo_analytics.demo import build_demo
from pmo_analytics.portfolio_view import KPI_DIRECTION
from pmo_analytics.store import Store, close_all
from tests.conftest import run_app
from tests.helpers import plain

# Attention order (metrics.health.attention_order): red before amber; within a colour, more
# parts at that colour first; then the lowest of CPI and SPI(t) first; then the id.
#   3 red parts: PRJ-111 (SPI(t) 0.771, 4 milestones, exposure 17.8 %) and PRJ-101 (SPI(t) 0.775,
#                4 milestones, exposure 10.01 %): 0.771 < 0.775 -> 111 first
#   2 red parts: PRJ-106 (SPI(t) 0.782, 4 milestones) and PRJ-104 (CPI 0.784, 3 milestones)
#   1 red part, lowest index first: PRJ-105 (CPI 0.822), PRJ-103 (CPI 0.829), PRJ-112 (SPI(t)
#                0.966), PRJ-109 (CPI 0.986), PRJ-107 (SPI(t) 0.988), PRJ-102 (SPI(t) 1.000)
#   amber:       PRJ-110 (CPI 0.90 and SPI(t) 0.92 below 0.95, nothing below 0.85)
# PRJ-108 is closed: counted apart, never listed. No project is green.
ORDER = [
    "PRJ-111",
    "PRJ-101",
    "PRJ-106",
    "PRJ-104",
    "PRJ-105",
    "PRJ-103",
    "PRJ-112",
    "PRJ-109",
    "PRJ-107",
    "PRJ-102",
    "PRJ-110",
]
BADGE_RE = re.compile(r":(red|orange|green|gray)\[\*\*(.) (.+)\*\*\]")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("attention") / "demo.duckdb"
    build_demo(Store(db))
    close_all()
    return db


@pytest.fixture
def app(demo_db, monkeypatch):
    monkeypatch.setenv("PMO_DB", str(demo_db))
    yield run_app(timeout=120)
    close_all()


def attention(at) -> list[tuple[str, str, str, str]]:
    """The attention list as (colour, symbol + word, project id, reasons text) per line. Each
    line is a badge, the project (st.page_link to the project page with ``?id=<id>``, or the
    same text without a link when there is no project page) and the reasons (Markdown escapes
    and the flags' grey directive removed)."""
    md = [m.value for m in at.markdown]
    links = [p.proto for p in at.get("page_link")]
    starts = [i for i, v in enumerate(md) if BADGE_RE.fullmatch(v)]
    lines = []
    for k, i in enumerate(starts):
        badge = BADGE_RE.fullmatch(md[i])
        if links:  # badge, reasons; the link is an element of its own
            assert "project" in links[k].page, links[k]
            pid, why = links[k].query_string.removeprefix("id="), md[i + 1]
        else:  # badge, project text, reasons
            pid, why = unescape(md[i + 1]).split(" · ")[0], md[i + 2]
        lines.append((badge[1], f"{badge[2]} {badge[3]}", pid, unescape(re.sub(r":gray\[(.*)\]$", r"\1", why))))
    return lines


def unescape(text: str) -> str:
    """Markdown escapes (escape.md) removed: the text as the reader sees it."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def metrics(at) -> dict:
    return {m.label: m for m in at.metric}


def test_counts_and_attention_order_with_reasons(app):
    m = metrics(app)
    assert (m["Red projects"].value, m["Amber projects"].value, m["Green projects"].value) == ("10", "1", "0")
    lines = attention(app)
    assert [pid for _, _, pid, _ in lines] == ORDER
    # never colour alone: a symbol of its own shape and the word go with the colour
    assert [(c, w) for c, w, _, _ in lines] == [("red", "● Red")] * 10 + [("orange", "▲ Amber")]
    why = {pid: text for _, _, pid, text in lines}
    # PRJ-109: open threats 0.6 x 143,000 + 0.2 x 72,000 + 0.7 x 496,000 + 0.5 x 84,000 = 489,400;
    # / BAC 3,306,500 = 14.80 % > 10 % (red); its CPI and SPI(t) are above 0.95; no flag
    assert why["PRJ-109"] == "exposure 14.8% of BAC > 10%"
    # PRJ-102: 0.5 x 146,000 + 0.7 x 219,000 + 0.7 x 75,000 + 0.7 x 79,000 = 334,100 / 3,033,900 = 11.0 %
    assert why["PRJ-102"].startswith("exposure 11.0% of BAC > 10% · ⚑ ")
    # PRJ-103: EV = sum(task BAC x % complete) = 1,383,035; AC = 1,668,724.63; CPI = 0.8288 < 0.85
    assert why["PRJ-103"].startswith("CPI 0.83 < 0.85 · ⚑ schedule quality ")
    # PRJ-111: red on SPI(t) (0.7713), milestones and exposure: 0.7 x 74,000 + 0.7 x 455,000 +
    # 0.8 x 96,000 + 0.5 x 49,000 + 0.7 x 170,000 + 0.4 x 122,000 + 0.4 x 184,000 = 713,000
    # / 3,995,100 = 17.8 %; amber on cost: EV 2,181,444 / AC 2,425,043.43 = 0.8995 < 0.95.
    # Red reasons first, then amber.
    assert why["PRJ-111"].startswith(
        "SPI(t) 0.77 < 0.85 · 4 milestones slipped · exposure 17.8% of BAC > 10% · CPI 0.90 < 0.95"
    )
    # PRJ-110 (amber): EV 1,527,870 / AC 1,705,658.73 = 0.8958 -> "CPI 0.90 < 0.95"
    assert why["PRJ-110"].startswith("CPI 0.90 < 0.95 · SPI(t) 0.92 < 0.95")
    captions = [c.value for c in app.caption]
    assert "0 green project(s) within every threshold: not listed." in captions
    # the project health table below lists every project in the same order
    table = plain(next(d.value for d in app.dataframe if "Why" in d.value.columns and "BAC" in d.value.columns))
    assert table["Project ID"].tolist() == ORDER
    assert list(table.columns[:6]) == ["Project ID", "Name", "RAG", "CPI", "SPI", "SPI(t)"]
    assert not app.error


def test_attention_list_in_chinese(app):
    app.selectbox(key="lang").set_value("zh").run()
    assert not app.exception
    m = metrics(app)
    assert (m["红色项目"].value, m["黄色项目"].value) == ("10", "1")
    lines = attention(app)
    assert [pid for _, _, pid, _ in lines] == ORDER
    assert lines[0][1] == "● 红" and lines[-1][1] == "▲ 黄"
    why = {pid: text for _, _, pid, text in lines}
    assert why["PRJ-109"] == "风险敞口占 BAC 14.8% > 10%"  # 489,400 / 3,306,500 (see above)
    assert why["PRJ-103"].startswith("CPI 0.83 < 0.85 · ⚑ 进度计划质量 ")
    assert any(s.value == "需要关注" for s in app.subheader)


def test_tile_delta_colours_follow_meaning(app):
    """Up is bad for AC, EAC and TCPI (red when they rise), good for EV, CPI, SPI and VAC; BAC
    and PV changes are neither (grey). A change that rounds to nothing is grey too."""
    from streamlit.proto.Metric_pb2 import Metric as MetricProto

    red, green, grey = MetricProto.MetricColor.RED, MetricProto.MetricColor.GREEN, MetricProto.MetricColor.GRAY
    up, down = MetricProto.MetricDirection.UP, MetricProto.MetricDirection.DOWN
    m = metrics(app)
    tiles = {
        "bac": "BAC",
        "pv": "PV",
        "ev": "EV",
        "ac": "AC",
        "cpi": "CPI",
        "spi": "SPI",
        "eac_cpi": "EAC",
        "vac": "VAC",
    }
    tiles["tcpi_bac"] = "TCPI (BAC)"
    seen = set()
    for key, label in tiles.items():
        p = m[label].proto
        if p.delta in ("", "0", "0.00"):
            assert p.color == grey, label
            continue
        # the sign leads the delta text: Streamlit points the arrow by it
        assert p.delta[0] in "+-" and p.direction == (up if p.delta[0] == "+" else down), (label, p.delta)
        good = KPI_DIRECTION[key] * (1 if p.direction == up else -1)
        assert p.color == {1: green, -1: red, 0: grey}[good], (label, p.delta, p.color)
        seen.add((key, p.direction, p.color))
    # the demo between 2026-09-30 and 2026-10-31: AC and EAC rose (red), EV rose (green)
    assert {("ac", up, red), ("eac_cpi", up, red), ("ev", up, green)} <= seen
    assert m["EAC"].proto.delta.startswith("+CNY ")


def test_tiles_in_chinese_use_compact_units_and_short_labels(app):
    app.selectbox(key="lang").set_value("zh").run()
    m = metrics(app)
    # 34.3M in Chinese compact units: 3,4xx.x万 (万 = 10,000)
    assert re.fullmatch(r"CNY 3,4\d\d\.\d万", m["完工预算 BAC"].value), m["完工预算 BAC"].value
    assert "TCPI（BAC）" in m  # short enough for a tile at 1440 px; the full name is in its help
    assert m["TCPI（BAC）"].proto.help.startswith("完工尚需绩效指数")


def test_attention_link_text_is_escaped(app_db):
    """A project name from the data is text in the link, never Markdown."""
    import pandas as pd

    from pmo_analytics.ingest.base import ParsedUpload

    projects = pd.DataFrame(
        {"project_id": ["X-1"], "name": ["**bold** [x](http://evil.example) :red[boo]"], "bac": [1000.0]}
    )
    tasks = pd.DataFrame(
        {
            "project_id": ["X-1"],
            "task_id": ["1"],
            "name": ["Work"],
            "start": [pd.Timestamp("2026-01-05")],
            "finish": [pd.Timestamp("2026-03-27")],
            "baseline_start": [pd.Timestamp("2026-01-05")],
            "baseline_finish": [pd.Timestamp("2026-02-27")],
            "percent_complete": [0.2],
            "bac": [1000.0],
            "actual_cost": [600.0],
        }
    )
    s = Store(app_db)
    s.import_parsed(
        ParsedUpload(
            source_name="x.xlsx",
            source_format="template",
            sha256="0" * 64,
            tables={"projects": projects, "tasks": tasks},
            rows_in=2,
        ),
        pd.Timestamp("2026-03-02").date(),
    )
    close_all()
    at = run_app(timeout=120)
    (line,) = attention(at)
    assert line[2] == "X-1" and line[0] == "red"  # CPI = 200 / 600 = 0.33 < 0.85
    shown = [p.proto.label for p in at.get("page_link")] or [v.value for v in at.markdown if v.value.startswith("X-1")]
    # escape.md: backslashes before the Markdown characters, a word joiner breaks the directive
    assert "\\*\\*bold\\*\\* \\[x\\](http\\:" in shown[0] and "\\:\u2060red\\[boo\\]" in shown[0]


def test_the_view_is_computed_once_per_data_filters_and_settings(demo_db, monkeypatch):
    """The page's one view is cached on small keys: a rerun and another session in another
    language reuse it (only the words are made again), a filter computes it anew. Counted,
    not timed."""
    import streamlit as st

    from pmo_analytics import portfolio_view

    calls = []
    real = portfolio_view.build
    monkeypatch.setattr(portfolio_view, "build", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setenv("PMO_DB", str(demo_db))
    st.cache_data.clear()
    try:
        at = run_app(timeout=120)
        assert len(calls) == 1
        at.run()
        assert len(calls) == 1 and not at.exception  # a rerun (what a click costs): from the cache
        # another session in Chinese: the same view (shared cache), its words made anew
        zh = run_app(timeout=120, session_state={"lang": "zh"})
        assert len(calls) == 1 and attention(zh)[0][1] == "● 红"
        # another selection: another view
        run_app(timeout=120, session_state={"f_program": ["Core Platform"]})
        assert len(calls) == 2
    finally:
        st.cache_data.clear()
        close_all()
