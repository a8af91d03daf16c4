"""The weekly deck read back with python-pptx, on the small fixture portfolio of
``tests/deck_fixture.py`` (its docstring works out every number by hand): 2 red (A, D), 1 amber
(B), 1 green (C) at D = 2025-02-28, compared with P = 2025-01-31."""

from __future__ import annotations

import io
import math
import re
import unicodedata
import zipfile
from dataclasses import replace
from datetime import date, timedelta

import openpyxl
import pytest
from pptx import Presentation
from pptx.chart.plot import LinePlot
from pptx.enum.chart import XL_CHART_TYPE, XL_MARKER_STYLE
from pptx.util import Emu, Length

from pmo_analytics import cli
from pmo_analytics.deck import deck_bytes, deck_from_store, render
from pmo_analytics.deck_content import Table, deck_content
from pmo_analytics.frames import load_frames
from pmo_analytics.portfolio_view import build as portfolio_build
from pmo_analytics.settings import Settings
from pmo_analytics.store import Store, close_all
from pmo_analytics.weekly import week_from_store
from tests.deck_fixture import HOSTILE, HOSTILE_NOTE, HOSTILE_RISK, build_store

FIXED_SLIDES = 3  # title, portfolio summary, milestone summary
RED_AMBER = 3  # A, D red; B amber (hand-counted in deck_fixture)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("deck") / "fixture.duckdb"
    build_store(Store(path))
    close_all()
    yield path
    close_all()


@pytest.fixture(scope="module")
def week(db):
    return week_from_store(Store(db))


@pytest.fixture(scope="module")
def decks(week):
    return {lang: Presentation(io.BytesIO(deck_bytes(week, lang))) for lang in ("en", "zh")}


def texts(slide) -> list[str]:
    return [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text]


def tables(slide) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in sh.table.rows] for sh in slide.shapes if sh.has_table]


def charts(slide):
    return [sh.chart for sh in slide.shapes if sh.has_chart]


def excel_date(serial: str) -> date:
    return date(1899, 12, 30) + timedelta(days=int(float(serial)))


# ------------------------------------------------------------------ structure and agreement
def test_slide_count_is_the_fixed_slides_and_one_per_red_and_amber_project(decks):
    for prs in decks.values():
        assert len(prs.slides) == FIXED_SLIDES + RED_AMBER  # 3 + 3 = 6


def test_project_slides_in_attention_order_with_the_engines_rag(decks, db):
    # the Portfolio page's view of the same store: the same order and counts
    view = portfolio_build(load_frames(Store(db)), Settings())
    assert view.attention == ("D", "A", "B")
    assert view.counts == {"red": 2, "amber": 1, "green": 1, "unknown": 0}
    slides = list(decks["en"].slides)
    titles = [texts(s)[0] for s in slides[2:5]]
    assert titles[0].startswith("● Red · D · ")
    assert titles[1] == "● Red · A · Alpha"
    assert titles[2] == "▲ Amber · B · Beta"
    assert "CPI 0.70 < 0.85 · SPI(t) 0.70 < 0.85" in texts(slides[2])


def test_portfolio_summary_counts_attention_and_kpis(decks, week):
    summary = decks["en"].slides[1]
    counts, kpis, attention = tables(summary)
    assert counts[1:] == [["Red", "2"], ["Amber", "1"], ["Green", "1"], ["No RAG", "0"]]
    assert counts[1:] == [[w, str(week.report.rag_counts()[c])] for w, c in
                          zip(("Red", "Amber", "Green", "No RAG"), ("red", "amber", "green", "unknown"), strict=True)]  # fmt: skip
    # attention list: D, A, B (the report's and the Portfolio page's order), reasons in words
    assert [row[1].split(" · ")[0] for row in attention[1:]] == ["D", "A", "B"] == list(week.report.attention)
    assert [row[0] for row in attention[1:]] == ["● Red", "● Red", "▲ Amber"]
    assert attention[2][2] == "CPI 0.80 < 0.85 · SPI(t) 0.80 < 0.85 · 1 milestone slipped"
    # KPIs at D: CPI = ΣEV/ΣAC = (160+450+100+140)/(200+500+100+200) = 850/1000 = 0.85 (P: 460/500 = 0.92);
    # EAC = ΣBAC/CPI = 1700/0.85 = 2,000; VAC = 1700 - 2000 = -300; exposure 5 + 10 = 15 (none at P)
    got = {row[0]: row[1:] for row in kpis[1:]}
    assert got["CPI"] == ["0.85", "-0.07"]
    assert got["EAC"][0] == "CNY 2.0K" and got["VAC"][0] == "CNY -300" and got["Risk exposure"] == ["CNY 15", "—"]
    assert "Not listed: green projects, nothing needed (1)." in texts(summary)


def test_title_slide_names_portfolio_date_and_currency(decks):
    body = "\n".join(texts(decks["en"].slides[0]))
    assert "Weekly status report" in body
    assert "Portfolio: Fixture (4 projects)" in body
    assert "Status date: 2025-02-28" in body and "Compared with: 2025-01-31" in body
    assert "Reporting currency: CNY" in body


def test_s_curve_is_a_native_line_chart_with_the_metrics(decks):
    slide_a = decks["en"].slides[3]
    (chart,) = charts(slide_a)
    plot = chart.plots[0]
    # a native line chart (c:lineChart); python-pptx names its type from the first series, the
    # planned line drawn without markers (EV and AC keep theirs)
    assert isinstance(plot, LinePlot) and chart.chart_type == XL_CHART_TYPE.LINE
    assert [s.marker.style for s in plot.series] == [XL_MARKER_STYLE.NONE, None, None]
    # A's period ends; PV cumulative as given, EV and AC known up to the status date
    assert [excel_date(c) for c in plot.categories] == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31),
                                                        date(2025, 4, 30)]  # fmt: skip
    series = {s.name: s.values for s in plot.series}
    assert series == {
        "Planned value (PV)": (100.0, 200.0, 300.0, 400.0),
        "Earned value (EV)": (90.0, 160.0, None, None),
        "Actual cost (AC)": (100.0, 200.0, None, None),
    }
    # KPIs of A: CPI 160/200 = 0.80 (P 90/100 = 0.90); EAC 400/0.8 = 500 (P 444.4: +55.6)
    kpis = tables(slide_a)[0]
    assert kpis[1] == ["CPI", "0.80", "-0.10"] and kpis[4] == ["EAC", "CNY 500", "+CNY 56"]
    # milestones: Build complete slipped 14 Feb -> 7 Mar (+21 days), also due within 14 days
    ms = tables(slide_a)[1]
    assert ms[1] == ["Slipped", "Build complete", "2025-03-07", "+21 days"]
    assert tables(slide_a)[2][1] == ["R1", "Vendor late", "Ann", "CNY 5"]
    assert "Vendor escalated" in texts(slide_a)


def test_milestone_summary_chart(decks):
    last = decks["en"].slides[-1]
    (chart,) = charts(last)
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    plot = chart.plots[0]
    assert list(plot.categories) == ["A"]  # the only project with milestones completed, due or slipped
    assert {s.name: s.values for s in plot.series} == {"Completed": (0.0,), "Due soon": (1.0,), "Slipped": (1.0,)}
    assert tables(last)[0][1] == ["A", "Slipped", "Build complete", "2025-03-07", "+21 days"]


def test_no_pictures(decks):
    for prs in decks.values():
        for slide in prs.slides:
            assert all(sh.shape_type != 13 for sh in slide.shapes)  # 13 = MSO_SHAPE_TYPE.PICTURE


# ------------------------------------------------------------------ text fits its box
def em(ch: str) -> float:
    """Estimated width of a character in ems: full width (CJK, ambiguous symbols) 1, else 0.6."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.6


def lines_for(text: str, size: float, width: float) -> int:
    """Lines a paragraph takes with greedy wrapping at spaces and between full-width characters
    (a word wider than the line breaks where it must)."""
    units = re.findall(r"[\u2e80-\uffef]|[^\s\u2e80-\uffef]+\s*|\s+", text)
    n, line = 1, 0.0
    for u in units:
        core = sum(em(c) for c in u.rstrip()) * size
        tail = sum(em(c) for c in u[len(u.rstrip()) :]) * size
        if line + core <= width + 1e-6:
            line += core + tail
            continue
        if line > 0:
            n += 1
        pieces = max(1, math.ceil(core / width - 1e-9))
        n += pieces - 1
        line = core - (pieces - 1) * width + tail
    return n


def frame_height(tf, width: float) -> float:
    """Estimated height (pt) of a text frame's paragraphs at their run sizes: each line the
    paragraph's exact line spacing when it has one, else 1.3 x the size (Microsoft YaHei's
    natural line is about 1.32 em)."""
    total = 0.0
    for p in tf.paragraphs:
        size = max((r.font.size.pt for r in p.runs if r.font.size), default=18.0)
        pitch = p.line_spacing.pt if isinstance(p.line_spacing, Length) else size * 1.3
        total += pitch * lines_for(p.text, size, width)
    return total


def pt(v) -> float:
    return Emu(v).pt


def check_fits(prs) -> int:
    """Every text box and table cell: estimated text height within its box; every shape on the
    slide. Returns how many text frames were checked."""
    checked = 0
    width, height = pt(prs.slide_width), pt(prs.slide_height)
    for i, slide in enumerate(prs.slides):
        for sh in slide.shapes:
            where = f"slide {i + 1} {sh.shape_type} {sh.name}"
            assert pt(sh.left) >= 0 and pt(sh.top) >= 0, where
            assert pt(sh.left + sh.width) <= width + 0.5 and pt(sh.top + sh.height) <= height + 0.5, where
            if sh.has_text_frame and sh.text_frame.text:
                tf = sh.text_frame
                w = pt(sh.width - tf.margin_left - tf.margin_right)
                room = pt(sh.height - tf.margin_top - tf.margin_bottom)
                assert frame_height(tf, w) <= room + 0.5, (where, tf.text)
                checked += 1
            if sh.has_table:
                tbl = sh.table
                assert sum(pt(r.height) for r in tbl.rows) <= pt(sh.height) + 0.5, where
                for r, row in enumerate(tbl.rows):
                    for c, cell in enumerate(row.cells):
                        tf = cell.text_frame
                        w = pt(tbl.columns[c].width - cell.margin_left - cell.margin_right)
                        room = pt(row.height - cell.margin_top - cell.margin_bottom)
                        assert frame_height(tf, w) <= room + 0.5, (where, r, c, cell.text)
                        checked += 1
            if sh.has_chart and sh.chart.has_title:
                title = sh.chart.chart_title.text_frame.text
                assert sum(em(ch) for ch in title) * 12 <= pt(sh.width), (where, title)
    return checked


def test_every_text_fits_its_box(decks):
    for prs in decks.values():
        assert check_fits(prs) > 50


LONG_ZH = "供应商交付延迟，需要升级处理并重新安排关键路径上的集成测试。" * 40
LONG_EN = "The vendor is late again and the integration test window moves to next month. " * 30


def stressed(week, lang: str):
    """The fixture's content with far more text than fits: 40 attention lines with long reasons
    and names, a long note, 60 milestones and risks with long titles."""
    c = deck_content(week, lang)
    line = c.attention[0]
    many = tuple(
        replace(line, project_id=f"PRJ-{i:03d}", name=f"{'数据中台' if i % 2 else 'Data'} platform {LONG_EN[:90]}",
                reasons=(LONG_ZH if i % 2 else LONG_EN)[: 60 + 7 * i])
        for i in range(40)
    )  # fmt: skip
    p = c.projects[0]
    ms = Table(p.milestones.header, tuple(("Slipped", LONG_ZH[: 20 + i], "2025-03-07", "+21 days") for i in range(60)))
    risks = Table(p.risks.header, tuple((f"R{i}", LONG_EN[: 30 + 9 * i], "Ann " * 9, "CNY 5") for i in range(20)))
    big = replace(p, title=p.title + LONG_EN, why=LONG_ZH, note=LONG_ZH + LONG_EN, milestones=ms, risks=risks)
    ms_table = Table(
        c.ms_table.header, tuple(("A", "Slipped", LONG_EN[: 40 + i], "2025-03-07", "+1 day") for i in range(80))
    )
    return replace(c, attention=many, projects=(big, *c.projects[1:]), ms_table=ms_table, summary_line=LONG_EN)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_too_much_text_is_shortened_or_paginated_never_overflowing(week, lang):
    prs = Presentation(io.BytesIO(render(stressed(week, lang))))
    check_fits(prs)
    continued = [s for s in prs.slides if texts(s)[0].startswith(("Needs attention (continued)", "需要关注（续）"))]
    assert continued, "40 long attention lines do not fit on the summary slide"
    assert len(prs.slides) == FIXED_SLIDES + len(continued) + RED_AMBER
    listed = [
        row[1].split(" · ")[0]
        for s in list(prs.slides)[1 : 2 + len(continued)]
        for t in tables(s)[-1:]
        for row in t[1:]
    ]
    assert listed == [f"PRJ-{i:03d}" for i in range(40)]  # every line once, in order, over the slides
    more = "… and" if lang == "en" else "…… 另有"
    assert any(x.startswith(more) for x in texts(prs.slides[2 + len(continued)]))  # milestones cut with "and N more"


# ------------------------------------------------------------------ Chinese
def test_chinese_deck_text_and_east_asian_font(decks):
    prs = decks["zh"]
    assert "项目周报" in texts(prs.slides[0])
    assert texts(prs.slides[1])[0] == "项目组合摘要"
    assert tables(prs.slides[1])[0][1] == ["红", "2"]
    runs = 0
    for slide in prs.slides:
        xml = slide.shapes._spTree
        for rpr in xml.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}rPr"):
            ea = rpr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
            assert ea is not None and ea.get("typeface") == "Microsoft YaHei"
            assert rpr.get("lang") == "zh-CN"
            runs += 1
    assert runs > 50
    with zipfile.ZipFile(io.BytesIO(prs_bytes(prs))) as z:
        theme = z.read("ppt/theme/theme1.xml").decode()
    assert 'script="Hans" typeface="Noto Sans CJK SC"' in theme


def prs_bytes(prs) -> bytes:
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ text from data is text
def test_text_from_data_stays_literal(week):
    data = deck_bytes(week, "en")
    prs = Presentation(io.BytesIO(data))
    slide_d = prs.slides[2]
    assert texts(slide_d)[0].startswith("● Red · D · " + HOSTILE[:30])
    assert HOSTILE_NOTE in texts(slide_d)
    assert tables(slide_d)[-1][1][1] == HOSTILE_RISK
    attention = tables(prs.slides[1])[-1]
    assert attention[1][1].startswith("D · =HYPERLINK(")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            body = z.read(name)
            if name.startswith(("ppt/slides/", "ppt/charts/")):  # what the deck wrote (not the template)
                text = body.decode("utf-8")
                assert "<a:fld" not in text and "hlinkClick" not in text and "hlinkMouseOver" not in text, name
                assert "/hyperlink" not in text, name
            if name.endswith(".xlsx"):  # a chart's embedded data: strings, never formulas
                wb = openpyxl.load_workbook(io.BytesIO(body))
                assert all(c.data_type != "f" for ws in wb for row in ws.iter_rows() for c in row), name


def test_chart_data_strings_are_never_formulas_or_links():
    from pmo_analytics.deck import _ChartData

    data = _ChartData()
    data.categories = ["=1+1", "http://evil.example", "+A1"]
    data.add_series("=SUM(A1:A3)", [1, 2, 3])
    wb = openpyxl.load_workbook(io.BytesIO(data.xlsx_blob))
    ws = wb.active
    assert [ws.cell(row=r, column=1).value for r in (2, 3, 4)] == ["=1+1", "http://evil.example", "+A1"]
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in (2, 3, 4))
    assert ws.cell(row=1, column=2).value == "=SUM(A1:A3)" and ws.cell(row=1, column=2).data_type == "s"
    assert not ws._hyperlinks


# ------------------------------------------------------------------ same bytes, CLI
def test_same_selection_same_bytes_from_the_store_and_the_cli(db, week, tmp_path, capsys):
    data = deck_from_store(Store(db), date(2025, 2, 28), project_ids=None, lang="en")
    assert data == deck_bytes(week, "en") == deck_from_store(Store(db), lang="en")
    out = tmp_path / "week.pptx"
    rc = cli.main(["deck", "--db", str(db), "--out", str(out), "--status-date", "2025-02-28"])
    assert rc == 0 and out.read_bytes() == data
    assert f"wrote {out}" in capsys.readouterr().out
    # one project: its slide and no other project slide
    rc = cli.main(["deck", "--db", str(db), "--out", str(out), "--project", "A", "--lang", "zh"])
    prs = Presentation(str(out))
    assert rc == 0 and len(prs.slides) == FIXED_SLIDES + 1 and texts(prs.slides[2])[0] == "● 红 · A · Alpha"


def test_cli_errors_are_keyed_in_both_languages(db, tmp_path, capsys):
    rc = cli.main(["deck", "--db", str(db), "--out", str(tmp_path / "week.ppt")])
    assert rc == 1 and "the deck is written as a .pptx file" in capsys.readouterr().err
    rc = cli.main(["deck", "--db", str(db), "--out", str(tmp_path / "week.ppt"), "--lang", "zh"])
    assert rc == 1 and "演示文稿只能写成 .pptx 文件" in capsys.readouterr().err
    rc = cli.main(["deck", "--db", str(db), "--out", str(tmp_path / "week.pptx"), "--project", "NOPE"])
    err = capsys.readouterr().err
    assert rc == 1 and "NOPE" in err and "A, B, C, D" in err
    assert not (tmp_path / "week.pptx").exists()


def test_the_fit_check_catches_an_overflowing_box():
    from pptx.util import Pt

    prs = Presentation()
    box = prs.slides.add_slide(prs.slide_layouts[6]).shapes.add_textbox(Pt(10), Pt(10), Pt(100), Pt(24))
    box.text_frame.text = "A line far too long for a box one hundred points wide"
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    with pytest.raises(AssertionError):
        check_fits(prs)


def test_schedule_risk_p80_plugs_into_the_kpi_tables(week, monkeypatch):
    """Issue 18's engine (``metrics.schedule_risk.project_p80``) stood in by a fake: its date
    appears as a KPI row of each red and amber project with a schedule (only A has tasks)."""
    import sys
    import types

    asked = []

    def project_p80(project_id, **frames):
        asked.append(project_id)
        return date(2025, 5, 20)

    fake = types.ModuleType("pmo_analytics.metrics.schedule_risk")
    fake.project_p80 = project_p80  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pmo_analytics.metrics.schedule_risk", fake)
    prs = Presentation(io.BytesIO(deck_bytes(week, "en")))
    assert asked == ["A"]  # D and B have no tasks: no schedule to simulate
    assert tables(prs.slides[3])[0][-1] == ["Finish P80 (schedule risk)", "2025-05-20", ""]
    assert all(row[0] != "Finish P80 (schedule risk)" for row in tables(prs.slides[2])[0])
    check_fits(prs)


def test_a_persons_reach_limits_the_deck(db):
    """Someone who may see project B only gets B's deck: no other project's name, slide or count."""
    from pmo_analytics.access import Reach

    data = deck_from_store(Store(db), reach=Reach(projects=("B",)))
    prs = Presentation(io.BytesIO(data))
    assert len(prs.slides) == FIXED_SLIDES + 1  # B amber
    body = "\n".join(x for s in prs.slides for x in texts(s)) + str([tables(s) for s in prs.slides])
    assert "Beta" in body and "Alpha" not in body and "Vendor" not in body and "HYPERLINK" not in body
    assert tables(prs.slides[1])[0][1:] == [["Red", "0"], ["Amber", "1"], ["Green", "0"], ["No RAG", "0"]]


def test_an_all_green_selection_has_no_project_slide(db):
    prs = Presentation(io.BytesIO(deck_from_store(Store(db), project_ids=["C"])))
    assert len(prs.slides) == FIXED_SLIDES
    summary = texts(prs.slides[1])
    assert "No project needs attention." in summary
    assert "Not listed: green projects, nothing needed (1)." in summary


def test_an_empty_store_is_refused_with_a_clear_message(tmp_path, capsys):
    db = tmp_path / "empty.duckdb"
    Store(db)
    close_all()
    rc = cli.main(["deck", "--db", str(db), "--out", str(tmp_path / "week.pptx")])
    assert rc == 1 and "import" in capsys.readouterr().err.lower()
    assert not (tmp_path / "week.pptx").exists()
