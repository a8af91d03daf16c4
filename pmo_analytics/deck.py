"""The weekly deck (周报 PPT): the week's content as a PowerPoint file, the same bytes from the
command line (``python -m pmo_analytics deck``) and the Status report page's button.

Slides: a title (portfolio, status date, the date compared with, currency); the portfolio
summary (projects by RAG, key figures with their currency, the attention list with reasons;
the list continues on further slides when it does not fit); one slide per red and amber
project in attention order (KPIs, the S-curve, milestones, top risks, the manager's note); a
milestone summary. What the slides say is ``deck_content`` (the weekly report's decisions in
words); this module only lays it out.

- Charts are native PowerPoint charts (``XL_CHART_TYPE``) and tables native tables: editable,
  never pictures. Their data lives in the chart's embedded workbook, written with strings as
  strings (a name such as ``=1+1`` is never a formula, ``http://...`` never a link).
- Text fits its box: every text is measured with ``deck_text`` (characters x font size,
  full-width characters one em) and shortened with "…", or a table is cut with "… and N
  more" / continued on the next slide; nothing overflows.
- Fonts: Latin text in Calibri (English) or Microsoft YaHei (Chinese); every run's East Asian
  typeface (``a:ea``) is Microsoft YaHei with its PANOSE and GB2312 charset, so a machine
  without it substitutes a Simplified Chinese sans-serif; the theme names Noto Sans CJK SC as
  the Simplified Chinese (``Hans``) font.
- Text from data is only ever text: runs of plain characters (no fields, no hyperlinks, no
  markup read).
- The same input gives the same bytes: fixed document dates (the status date) and zip
  timestamps.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Pt

from . import deck_text as dt
from .deck_content import DECK_MIME, Curve, DeckContent, ProjectSlide, Table, deck_content
from .formatting import rag_label
from .i18n import t
from .weekly import Week

SLIDE_W, SLIDE_H = 960.0, 540.0  # points: 13.333 x 7.5 in (16:9)
MARGIN = 28.0
INSET_X, INSET_Y = 7.2, 3.6  # text box insets (0.1 in, 0.05 in)
CELL_X, CELL_Y = 4.0, 2.0  # table cell margins
EA_FONT = "Microsoft YaHei"
EA_PANOSE = "020B0503020204020204"
EA_CHARSET = "-122"  # GB2312
FALLBACK_FONT = "Noto Sans CJK SC"
LATIN_FONT = {"en": "Calibri", "zh": EA_FONT}
RAG_FILL = {"red": "C62828", "amber": "F2A900", "green": "2E7D32"}
SERIES_COLOURS = ("1F77B4", "2CA02C", "D62728")  # PV, EV, AC (the app's S-curve colours)
MS_COLOURS = ("2E7D32", "F2A900", "C62828")  # completed, due, slipped
DOC_AUTHOR = "PMO Portfolio Health"
MIME = DECK_MIME


# ------------------------------------------------------------------ embedded chart data
class _SafeWriter(CategoryWorkbookWriter):
    """The chart's embedded workbook: strings stay strings (never formulas, links or numbers)
    and a fixed creation date (the same bytes every time)."""

    def _open_worksheet(self, xlsx_file):  # type: ignore[override]
        from contextlib import contextmanager

        from xlsxwriter import Workbook

        @contextmanager
        def opened():
            wb = Workbook(
                xlsx_file,
                {
                    "in_memory": True,
                    "strings_to_formulas": False,
                    "strings_to_urls": False,
                    "strings_to_numbers": False,
                },
            )
            wb.set_properties({"author": DOC_AUTHOR, "created": datetime(2026, 1, 1)})
            ws = wb.add_worksheet()
            yield wb, ws
            wb.close()

        return opened()


class _ChartData(CategoryChartData):
    @property
    def _workbook_writer(self):  # type: ignore[override]
        writer = self.__dict__.get("_safe_writer")
        if writer is None:
            writer = self.__dict__["_safe_writer"] = _SafeWriter(self)
        return writer


# ------------------------------------------------------------------ fonts and text
def _font(rpr, lang: str, size: float, *, bold: bool = False, colour: str | None = None) -> None:
    """Size, weight, colour, the Latin and East Asian typefaces and the language of a run
    (``a:rPr``) or a default (``a:defRPr``)."""
    rpr.set("sz", str(int(round(size * 100))))
    rpr.set("b", "1" if bold else "0")
    rpr.set("lang", "zh-CN" if lang == "zh" else "en-US")
    if lang == "zh":
        rpr.set("altLang", "en-US")
    for tag in ("a:solidFill", "a:latin", "a:ea", "a:cs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    # children in schema order: fill, latin, ea (before any sym / hlinkClick, never written here)
    if colour:
        fill = etree.SubElement(rpr, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr")).set("val", colour)
    etree.SubElement(rpr, qn("a:latin")).set("typeface", LATIN_FONT.get(lang, "Calibri"))
    ea = etree.SubElement(rpr, qn("a:ea"))
    ea.set("typeface", EA_FONT)
    ea.set("panose", EA_PANOSE)
    ea.set("pitchFamily", "34")
    ea.set("charset", EA_CHARSET)


def _set_text(tf, lines: Sequence[str], lang: str, size: float, *, bold: bool = False, colour: str | None = None):
    """Put ``lines`` (one paragraph each, plain text) into a text frame."""
    tf.clear()
    for i, line in enumerate(lines):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        para.line_spacing = Pt(size * dt.LINE_SPACING)  # exact pitch: the height measured is the height drawn
        run = para.add_run()
        run.text = line  # python-pptx escapes it: characters, never markup or fields
        _font(run._r.get_or_add_rPr(), lang, size, bold=bold, colour=colour)
        _font(para._p.get_or_add_pPr().get_or_add_defRPr(), lang, size, bold=bold, colour=colour)


def _box(slide, x, y, w, h, text: str | Sequence[str], lang: str, size: float, *, bold=False, colour=None, lines=None):
    """A text box whose text is shortened to the lines that fit (``lines`` at most)."""
    paras = [text] if isinstance(text, str) else list(text)
    room = dt.max_lines(size, h - 2 * INSET_Y)
    width = w - 2 * INSET_X
    fitted: list[str] = []
    for p in paras:
        left = room - sum(dt.lines_needed(f, size, width) for f in fitted)
        if left <= 0:
            break
        fitted.append(dt.shorten(p, size, width, min(left, lines or left)))
    shape = slide.shapes.add_textbox(Pt(x), Pt(y), Pt(w), Pt(h))
    tf = shape.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left = tf.margin_right = Pt(INSET_X)
    tf.margin_top = tf.margin_bottom = Pt(INSET_Y)
    tf.vertical_anchor = MSO_ANCHOR.TOP
    _set_text(tf, fitted, lang, size, bold=bold, colour=colour)
    return shape


def _line_h(size: float, lines: int = 1) -> float:
    """The height of a text box holding ``lines`` lines at ``size`` (insets included)."""
    return dt.height(lines, size) + 2 * INSET_Y + 1


def _title(slide, text: str, lang: str) -> None:
    _box(slide, MARGIN, 14, SLIDE_W - 2 * MARGIN, 40, text, lang, 22, bold=True, lines=1)


# ------------------------------------------------------------------ tables
def _row_height(cells: Sequence[str], widths: Sequence[float], size: float) -> float:
    n = max(dt.lines_needed(c, size, w - 2 * CELL_X) for c, w in zip(cells, widths, strict=True))
    return dt.height(n, size) + 2 * CELL_Y + 1.0


def _fit_cells(cells: Sequence[str], widths: Sequence[float], size: float, lines: int) -> tuple[str, ...]:
    return tuple(dt.shorten(c, size, w - 2 * CELL_X, lines) for c, w in zip(cells, widths, strict=True))


def _rows_that_fit(
    table: Table, widths: Sequence[float], size: float, room: float, lines: int = 2
) -> tuple[tuple[str, ...], list[tuple[str, ...]], list[float]]:
    """(header, the body rows that fit in ``room`` points under the header, row heights:
    header first); cells shortened to ``lines`` lines."""
    header = _fit_cells(table.header, widths, size, 1)
    heights = [_row_height(header, widths, size)]
    rows = []
    for r in table.rows:
        cells = _fit_cells(r, widths, size, lines)
        h = _row_height(cells, widths, size)
        if sum(heights) + h > room:
            break
        rows.append(cells)
        heights.append(h)
    return header, rows, heights


def _table(slide, x, y, widths, header, rows, heights, lang: str, size: float, rag_col: int | None = None, rags=()):
    """A native table: header row bold, every cell's text plain; ``rag_col`` cells filled
    with their RAG colour (the cell also says the colour in words)."""
    n_rows, n_cols = 1 + len(rows), len(widths)
    frame = slide.shapes.add_table(n_rows, n_cols, Pt(x), Pt(y), Pt(sum(widths)), Pt(sum(heights)))
    tbl = frame.table
    for i, w in enumerate(widths):
        tbl.columns[i].width = Pt(w)
    for i, h in enumerate(heights):
        tbl.rows[i].height = Pt(h)
    for r, cells in enumerate([header, *rows]):
        for c, text in enumerate(cells):
            cell = tbl.cell(r, c)
            cell.margin_left = cell.margin_right = Pt(CELL_X)
            cell.margin_top = cell.margin_bottom = Pt(CELL_Y)
            cell.text_frame.word_wrap = True
            colour = None
            if r > 0 and c == rag_col and r - 1 < len(rags) and rags[r - 1] in RAG_FILL:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(RAG_FILL[rags[r - 1]])
                colour = "FFFFFF"
            _set_text(cell.text_frame, [text], lang, size, bold=r == 0, colour=colour)
    return frame


def _more(slide, x, y, w, n: int, lang: str, size: float = 9) -> None:
    if n > 0:
        _box(slide, x, y, w, _line_h(size), t("deck.more_rows", lang, n=n), lang, size)


def _table_or_note(slide, x, y, widths, table: Table, room: float, lang: str, size: float, empty_key: str) -> None:
    """A table cut to ``room`` (with "… and N more" under it), or a line saying it is empty."""
    w = sum(widths)
    if not table.rows:
        _box(slide, x, y, w, _line_h(size), t(empty_key, lang), lang, size, lines=1)
        return
    more_h = _line_h(9)
    header, rows, heights = _rows_that_fit(table, widths, size, room)
    left = len(table.rows) - len(rows)
    if left:
        header, rows, heights = _rows_that_fit(table, widths, size, room - more_h)
        left = len(table.rows) - len(rows)
    _table(slide, x, y, widths, header, rows, heights, lang, size)
    _more(slide, x, y + sum(heights), w, left, lang)


# ------------------------------------------------------------------ charts
def _chart_fonts(chart, lang: str, size: float) -> None:
    chart.font.size = Pt(size)
    txpr = chart._chartSpace.find(qn("c:txPr"))
    if txpr is not None:
        for rpr in txpr.iter(qn("a:defRPr")):
            _font(rpr, lang, size)


def _chart_title(chart, title: str, width: float, lang: str, size: float = 12) -> None:
    """The chart's title, one line, bold, shortened to the chart's width."""
    chart.has_title = True
    _set_text(chart.chart_title.text_frame, [dt.shorten(title, size, width - 2 * INSET_X)], lang, size, bold=True)


def _line_chart(slide, x, y, w, h, curve: Curve, title: str, lang: str) -> None:
    data = _ChartData()
    data.categories = list(curve.dates)
    for name, values in curve.series:
        data.add_series(name, list(values), number_format="#,##0")
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Pt(x), Pt(y), Pt(w), Pt(h), data)
    chart = frame.chart
    _chart_title(chart, title + (f" ({curve.currency})" if curve.currency else ""), w, lang)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    for plot in chart.plots:
        for i, (s, colour) in enumerate(zip(plot.series, SERIES_COLOURS, strict=False)):
            s.smooth = False
            s.format.line.color.rgb = RGBColor.from_string(colour)
            if i == 0 and curve.plan_first:  # the planned line: a point per period, no markers
                s.marker.style = XL_MARKER_STYLE.NONE
                continue
            s.marker.format.fill.solid()
            s.marker.format.fill.fore_color.rgb = RGBColor.from_string(colour)
    # a planned line with no point at a status date is drawn through it, not broken
    c_chart = chart._chartSpace.find(qn("c:chart"))
    blanks = c_chart.find(qn("c:dispBlanksAs"))
    if blanks is None:
        blanks = etree.SubElement(c_chart, qn("c:dispBlanksAs"))
        # schema order: ... plotVisOnly, dispBlanksAs, extLst
        vis = c_chart.find(qn("c:plotVisOnly"))
        if vis is not None:
            vis.addnext(blanks)
    blanks.set("val", "span")
    chart.value_axis.tick_labels.number_format = "#,##0"
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.category_axis.tick_labels.number_format = "yyyy-mm-dd"
    chart.category_axis.tick_labels.number_format_is_linked = False
    _chart_fonts(chart, lang, 9)


def _bar_chart(slide, x, y, w, h, categories: Sequence[str], curve: Curve, title: str, lang: str) -> None:
    data = _ChartData()
    data.categories = list(categories)
    for name, values in curve.series:
        data.add_series(name, list(values), number_format="0")
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Pt(x), Pt(y), Pt(w), Pt(h), data)
    chart = frame.chart
    _chart_title(chart, title, w, lang)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    for plot in chart.plots:
        for s, colour in zip(plot.series, MS_COLOURS, strict=False):
            s.format.fill.solid()
            s.format.fill.fore_color.rgb = RGBColor.from_string(colour)
    chart.category_axis.reverse_order = True  # the first project on top
    chart.value_axis.tick_labels.number_format = "0"
    chart.value_axis.tick_labels.number_format_is_linked = False
    _chart_fonts(chart, lang, 9)


# ------------------------------------------------------------------ slides
def _blank(prs):
    return prs.slides.add_slide(prs.slide_layouts[6])  # the default template's "Blank"


def _title_slide(prs, c: DeckContent) -> None:
    s = _blank(prs)
    band = s.shapes.add_shape(1, 0, Pt(150), Pt(SLIDE_W), Pt(8))  # 1 = rectangle
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor.from_string("1F4E79")
    band.line.fill.background()
    _box(s, 48, 170, SLIDE_W - 96, 64, c.title, c.lang, 36, bold=True, lines=1)
    _box(s, 48, 250, SLIDE_W - 96, 150, list(c.subtitle), c.lang, 18, lines=2)


ATT_SIZE = 10.0
ATT_WIDTHS = (78.0, 170.0, 340.0)  # RAG, project, why (summary slide, right column)
ATT_WIDTHS_FULL = (90.0, 240.0, 574.0)  # continued, full width


def _attention_rows(c: DeckContent) -> tuple[Table, list[str]]:
    rows, rags = [], []
    for line in c.attention:
        why = line.reasons + (" · " + t("deck.flags", c.lang, flags=line.flags) if line.flags else "")
        word = rag_label(line.rag, c.lang) or f"? {t('deck.count.unknown', c.lang)}"
        rows.append((word, line.project_id + (f" · {line.name}" if line.name else ""), why))
        rags.append(line.rag)
    header = tuple(t(f"deck.col.{k}", c.lang) for k in ("rag", "project", "why"))
    return Table(header, tuple(rows)), rags


def _summary_slides(prs, c: DeckContent) -> None:
    s = _blank(prs)
    _title(s, t("deck.summary", c.lang), c.lang)
    _box(s, MARGIN, 56, SLIDE_W - 2 * MARGIN, 40, c.summary_line, c.lang, 12, lines=2)
    # left: projects by RAG, key figures
    lw = (150.0, 140.0)
    counts = Table(
        (t("deck.counts", c.lang), t("deck.col.count", c.lang)), tuple((label, str(n)) for _, label, n in c.counts)
    )
    header, rows, heights = _rows_that_fit(counts, lw, 11, 200)
    _table(s, MARGIN, 104, lw, header, rows, heights, c.lang, 11, rag_col=0, rags=[code for code, _, _ in c.counts])
    y = 104 + sum(heights) + 14
    kw = (90.0, 110.0, 90.0)
    _table_or_note(s, MARGIN, y, kw, c.kpis, SLIDE_H - MARGIN - y, c.lang, 10, "weekly.none")
    # right: the attention list, continued on further slides when it does not fit
    x = 344.0
    _box(s, x, 100, SLIDE_W - MARGIN - x, _line_h(14), t("deck.attention", c.lang), c.lang, 14, bold=True, lines=1)
    table, rags = _attention_rows(c)
    foot = t("deck.greens", c.lang, n=c.greens) if c.greens else ""
    foot_h = _line_h(10)
    if not table.rows:
        _box(s, x, 128, SLIDE_W - MARGIN - x, _line_h(11), t("deck.attention_none", c.lang), c.lang, 11, lines=1)
        if foot:
            _box(s, x, 128 + _line_h(11), SLIDE_W - MARGIN - x, foot_h, foot, c.lang, 10, lines=1)
        return
    top, bottom = 128.0, SLIDE_H - MARGIN - foot_h
    header, rows, heights = _rows_that_fit(table, ATT_WIDTHS, ATT_SIZE, bottom - top, lines=3)
    _table(s, x, top, ATT_WIDTHS, header, rows, heights, c.lang, ATT_SIZE, rag_col=0, rags=rags)
    done, continued = len(rows), False
    while done < len(table.rows):
        continued = True
        s = _blank(prs)
        _title(s, t("deck.attention_more", c.lang), c.lang)
        rest = Table(table.header, table.rows[done:])
        header, rows, heights = _rows_that_fit(rest, ATT_WIDTHS_FULL, ATT_SIZE, bottom - 64, lines=3)
        if not rows:  # a row taller than a slide cannot happen (cells are cut to three lines)
            break
        _table(s, MARGIN, 64, ATT_WIDTHS_FULL, header, rows, heights, c.lang, ATT_SIZE, rag_col=0, rags=rags[done:])
        done += len(rows)
    if foot:
        left = MARGIN if continued else x
        _box(s, left, SLIDE_H - MARGIN - foot_h, SLIDE_W - MARGIN - left, foot_h, foot, c.lang, 10, lines=1)


def _project_slide(prs, p: ProjectSlide, lang: str) -> None:
    s = _blank(prs)
    mark = s.shapes.add_shape(1, Pt(10), Pt(18), Pt(10), Pt(32))
    mark.fill.solid()
    mark.fill.fore_color.rgb = RGBColor.from_string(RAG_FILL.get(p.rag, "888888"))
    mark.line.fill.background()
    _title(s, p.title, lang)
    why = p.why + (" · " + t("deck.flags", lang, flags=p.flags) if p.flags else "")
    _box(s, MARGIN, 52, SLIDE_W - 2 * MARGIN, 36, why, lang, 11, lines=2)
    # left: KPIs, milestones
    kw = (170.0, 120.0, 110.0)
    header, rows, heights = _rows_that_fit(p.kpis, kw, 10, 160, lines=1)
    _table(s, MARGIN, 92, kw, header, rows, heights, lang, 10)
    y = 92 + sum(heights) + 10
    _box(s, MARGIN, y, 400, _line_h(12), t("deck.milestones", lang), lang, 12, bold=True, lines=1)
    y += _line_h(12)
    mw = (70.0, 180.0, 80.0, 70.0)
    _table_or_note(s, MARGIN, y, mw, p.milestones, 444 - y, lang, 9, "deck.milestones_none")
    # right: S-curve, top risks
    x = 444.0
    if p.curve is not None:
        _line_chart(s, x, 92, SLIDE_W - MARGIN - x, 196, p.curve, t("deck.s_curve", lang), lang)
    else:
        _box(s, x, 92, SLIDE_W - MARGIN - x, _line_h(11), t("deck.no_curve", lang), lang, 11, lines=1)
    _box(s, x, 292, SLIDE_W - MARGIN - x, _line_h(12), t("deck.risks", lang), lang, 12, bold=True, lines=1)
    rw = (52.0, 256.0, 80.0, 100.0)
    y = 292 + _line_h(12)
    _table_or_note(s, x, y, rw, p.risks, 444 - y, lang, 9, "deck.risks_none")
    # bottom: the manager's note
    _box(s, MARGIN, 448, SLIDE_W - 2 * MARGIN, _line_h(12), t("deck.note", lang), lang, 12, bold=True, lines=1)
    y = 448 + _line_h(12)
    _box(s, MARGIN, y, SLIDE_W - 2 * MARGIN, SLIDE_H - y - 12, p.note or t("deck.note_none", lang), lang, 10)


def _milestone_slide(prs, c: DeckContent) -> None:
    s = _blank(prs)
    _title(s, t("deck.milestone_summary", c.lang), c.lang)
    if c.ms_projects:
        _bar_chart(
            s, MARGIN, 64, 420, SLIDE_H - MARGIN - 64, c.ms_projects, c.ms_chart, t("deck.ms_chart", c.lang), c.lang
        )
    else:
        _box(s, MARGIN, 64, 420, _line_h(11), t("deck.milestones_none", c.lang), c.lang, 11, lines=1)
    x = 464.0
    _box(s, x, 64, SLIDE_W - MARGIN - x, _line_h(12), t("deck.ms_table", c.lang), c.lang, 12, bold=True, lines=1)
    y = 64 + _line_h(12)
    widths = (80.0, 66.0, 170.0, 80.0, 72.0)
    _table_or_note(s, x, y, widths, c.ms_table, SLIDE_H - MARGIN - y, c.lang, 9, "deck.ms_none")


# ------------------------------------------------------------------ the file
def _theme_fonts(prs) -> None:
    """The theme's East Asian font: Microsoft YaHei, Noto Sans CJK SC for Simplified Chinese."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    for font in root.iter(qn("a:majorFont"), qn("a:minorFont")):
        ea = font.find(qn("a:ea"))
        if ea is not None:
            ea.set("typeface", EA_FONT)
        for script in font.findall(qn("a:font")):
            if script.get("script") == "Hans":
                script.set("typeface", FALLBACK_FONT)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fixed_zip(data: bytes) -> bytes:
    """The package with every member stamped 1980-01-01 (python-pptx stamps the save time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render(c: DeckContent) -> bytes:
    """The deck of ``c`` as .pptx bytes (the same bytes for the same content)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(SLIDE_W), Pt(SLIDE_H)
    _theme_fonts(prs)
    props = prs.core_properties
    props.title = f"{c.title} {c.status_date.isoformat()}"
    props.author = props.last_modified_by = DOC_AUTHOR
    stamp = datetime(c.status_date.year, c.status_date.month, c.status_date.day)
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.language = "zh-CN" if c.lang == "zh" else "en-US"
    _title_slide(prs, c)
    _summary_slides(prs, c)
    for p in c.projects:
        _project_slide(prs, p, c.lang)
    _milestone_slide(prs, c)
    buf = io.BytesIO()
    prs.save(buf)
    return _fixed_zip(buf.getvalue())


def deck_bytes(week: Week, lang: str = "en") -> bytes:
    """The weekly deck of ``week`` (``weekly.week_from_store``) in ``lang``."""
    return render(deck_content(week, lang))


def deck_from_store(
    store,
    status_date: date | None = None,
    *,
    project_ids: Sequence[str] | None = None,
    settings=None,
    include_closed: bool = False,
    reach=None,
    previous_date: date | None = None,
    lang: str = "en",
) -> bytes:
    """The weekly deck read from ``store`` (``weekly.week_from_store``: the same selection gives
    the same report, and the same bytes, from the command line and the page)."""
    from .weekly import week_from_store

    week = week_from_store(
        store,
        status_date,
        project_ids=project_ids,
        settings=settings,
        include_closed=include_closed,
        reach=reach,
        previous_date=previous_date,
    )
    return deck_bytes(week, lang)
