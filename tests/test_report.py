"""Weekly status report on a hand-built fixture with two status dates.

P = 2025-01-31 (previous), D = 2025-02-28 (report date). Two projects with time-phased
values (evm_periods, cumulative, monthly) so every number can be worked out by hand:

    P1 (BAC 400): Jan PV 100 EV 90 AC 100 | Feb PV 200 EV 160 AC 200 | Mar PV 300 | Apr PV 400
    P2 (BAC 1000): Jan PV 250 EV 250 AC 250 | Feb PV 500 EV 500 AC 480 | Mar PV 750 | Apr PV 1000

Milestones (tasks) of P1: Kick-off done before P; "Design approved" due 14 Feb, done 20 Feb
(completed this period, moved 6 days); "Build complete" forecast 7 Mar -> 14 Mar (slipped 7
days, due within 14 days of D); "Go-live" 30 Apr unchanged. P2: "P2 Go-live" 10 Mar (due).
Risks of P1: at P R1 (0.5 x 100 = 50) and R2 (0.2 x 50 = 10) open; at D R1 open, R2 closed,
R3 new (0.4 x 200 = 80). Scores R1 3x4 = 12 and R3 4x4 = 16 are "high" (>= 12).
"""

from __future__ import annotations

import io
import math
from datetime import date
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest

from pmo_analytics.metrics.report import summary_table, weekly_report
from pmo_analytics.report_html import render_html
from pmo_analytics.settings import Settings
from pmo_analytics.weekly import report_bytes

P, D = pd.Timestamp("2025-01-31"), pd.Timestamp("2025-02-28")
HOSTILE = "<script>alert('x')</script> =1+1"
SETTINGS = Settings(period="M")


def ts(s):
    return pd.Timestamp(s) if s else pd.NaT


def projects() -> pd.DataFrame:
    rows = []
    for sd in (P, D):
        rows.append(dict(project_id="P1", name="Alpha", manager="Ann", bac=400.0, status="Active", status_date=sd))
        rows.append(dict(project_id="P2", name="Beta", manager="Bob", bac=1000.0, status="Active", status_date=sd))
    return pd.DataFrame(rows)


def periods() -> pd.DataFrame:
    p1 = [
        ("2025-01-31", 100, 90, 100),
        ("2025-02-28", 200, 160, 200),
        ("2025-03-31", 300, None, None),
        ("2025-04-30", 400, None, None),
    ]
    p2 = [
        ("2025-01-31", 250, 250, 250),
        ("2025-02-28", 500, 500, 480),
        ("2025-03-31", 750, None, None),
        ("2025-04-30", 1000, None, None),
    ]
    rows = []
    for sd in (P, D):
        for pid, series in (("P1", p1), ("P2", p2)):
            for end, pv, ev, ac in series:
                if pd.Timestamp(end) > sd:
                    ev = ac = None
                rows.append(dict(project_id=pid, period_end=ts(end), pv=float(pv), ev=ev, ac=ac, status_date=sd))
    out = pd.DataFrame(rows)
    out[["ev", "ac"]] = out[["ev", "ac"]].astype(float)
    return out


def tasks() -> pd.DataFrame:
    def t(pid, tid, name, bf, f, af=None, pc=0.0, sd=P):
        return dict(
            project_id=pid, task_id=tid, name=name, is_milestone=True, is_summary=False, start=ts(f), finish=ts(f),
            baseline_start=ts(bf), baseline_finish=ts(bf), actual_finish=ts(af), percent_complete=pc, status_date=sd,
        )  # fmt: skip

    rows = []
    for sd in (P, D):
        late = sd == D
        rows += [
            t("P1", "1", "Kick-off", "2025-01-06", "2025-01-06", "2025-01-06", 1.0, sd),
            t("P1", "2", "Design approved", "2025-02-14", "2025-02-20" if late else "2025-02-14",
              "2025-02-20" if late else None, 1.0 if late else 0.0, sd),
            t("P1", "3", "Build complete", "2025-03-07", "2025-03-14" if late else "2025-03-07", None, 0.0, sd),
            t("P1", "4", "Go-live", "2025-04-30", "2025-04-30", None, 0.0, sd),
            t("P2", "9", "P2 Go-live", "2025-03-10", "2025-03-10", None, 0.0, sd),
        ]  # fmt: skip
    return pd.DataFrame(rows)


def risks() -> pd.DataFrame:
    def r(rid, title, p, cost, ps, isc, status, sd, owner="Ann"):
        return dict(
            project_id="P1", risk_id=rid, title=title, probability=p, impact_cost=cost, probability_score=ps,
            impact_score=isc, status=status, owner=owner, status_date=sd,
        )  # fmt: skip

    return pd.DataFrame(
        [
            r("R1", "Vendor late", 0.5, 100.0, 3, 4, "Open", P),
            r("R2", "Key person leaves", 0.2, 50.0, 1, 2, "Open", P),
            r("R1", "Vendor late", 0.5, 100.0, 3, 4, "Open", D),
            r("R2", "Key person leaves", 0.2, 50.0, 1, 2, "Closed", D),
            r("R3", HOSTILE, 0.4, 200.0, 4, 4, "Open", D, owner="Cy"),
        ]
    )


def notes() -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(project_id="P1", status_date=P, note="old period note", author="Ann", saved_at=ts("2025-01-31 10:00")),
            dict(project_id="P1", status_date=D, note="first draft", author="Ann", saved_at=ts("2025-02-28 09:00")),
            dict(project_id="P1", status_date=D, note="Vendor <b>late</b> & escalated", author="Ann", saved_at=ts("2025-02-28 11:00")),
        ]
    )  # fmt: skip


@pytest.fixture(scope="module")
def report():
    return weekly_report(tasks(), projects(), periods(), risks(), notes(), SETTINGS)


def metric(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame.set_index("metric").loc[name]


# ------------------------------------------------------------------ content
def test_dates_default_to_latest_and_the_one_before(report):
    assert report.status_date == date(2025, 2, 28) and report.previous_date == date(2025, 1, 31)


def test_project_key_metrics_and_deltas(report):
    p1 = report.for_project("P1")["metrics"]
    # P at Jan: CPI = 90/100 = 0.90, SPI = 90/100 = 0.90; ES = 0 + (90-0)/(100-0) = 0.9, AT = 1 -> SPI(t) 0.90
    # D at Feb: CPI = 160/200 = 0.80, SPI = 160/200 = 0.80; ES = 1 + (160-100)/(200-100) = 1.6, AT = 2 -> 0.80
    for m in ("cpi", "spi", "spi_t"):
        row = metric(p1, m)
        assert row["previous"] == pytest.approx(0.90) and row["current"] == pytest.approx(0.80)
        assert row["delta"] == pytest.approx(-0.10)
    # EAC = BAC/CPI: 400/0.9 = 444.44 -> 400/0.8 = 500, delta +55.56; VAC = BAC - EAC: -44.44 -> -100
    eac = metric(p1, "eac_cpi")
    assert (eac["previous"], eac["current"], eac["delta"]) == pytest.approx((400 / 0.9, 500.0, 500 - 400 / 0.9))
    vac = metric(p1, "vac")
    assert (vac["previous"], vac["current"], vac["delta"]) == pytest.approx((400 - 400 / 0.9, -100.0, 400 / 0.9 - 500))
    # exposure = open threat EMV: P 50 + 10 = 60; D 50 (R1) + 80 (R3), R2 closed = 130; delta +70
    exp = metric(p1, "risk_exposure")
    assert (exp["previous"], exp["current"], exp["delta"]) == (60.0, 130.0, 70.0)
    p2 = report.for_project("P2")["metrics"]
    # P2 at D: CPI = 500/480 = 1.041667, EAC = 1000/1.041667 = 960, VAC = +40; at P CPI 1, EAC 1000
    assert metric(p2, "cpi")["current"] == pytest.approx(500 / 480)
    assert metric(p2, "eac_cpi")["delta"] == pytest.approx(-40.0)
    assert metric(p2, "vac")["current"] == pytest.approx(40.0)
    # ES at D = 2 + (500-500)/(750-500) = 2.0, AT 2 -> SPI(t) 1.0; no register rows -> exposure unknown
    assert metric(p2, "spi_t")["current"] == pytest.approx(1.0)
    assert math.isnan(metric(p2, "risk_exposure")["current"])


def test_portfolio_sums_then_divides(report):
    pf = report.portfolio
    # P: PV 100+250 = 350, EV 90+250 = 340, AC 100+250 = 350 -> CPI = SPI = 340/350 = 0.971429
    # D: PV 200+500 = 700, EV 160+500 = 660, AC 200+480 = 680 -> CPI = 660/680 = 0.970588, SPI = 660/700
    assert metric(pf, "cpi")["previous"] == pytest.approx(340 / 350)
    assert metric(pf, "cpi")["current"] == pytest.approx(660 / 680)
    assert metric(pf, "cpi")["delta"] == pytest.approx(660 / 680 - 340 / 350)
    assert metric(pf, "spi")["current"] == pytest.approx(660 / 700)
    # SPI(t) from the summed monthly PV (350, 700, 1050, 1400): EV 660 -> ES = 1 + (660-350)/(700-350)
    # = 1.885714, AT = 2 -> 0.942857 (the average of the projects' SPI(t), 0.9, would be wrong)
    assert metric(pf, "spi_t")["current"] == pytest.approx((1 + 310 / 350) / 2)
    # EAC = 1400 / CPI: 1400*680/660 = 1442.42 vs 1400*350/340 = 1441.18
    assert metric(pf, "eac_cpi")["delta"] == pytest.approx(1400 * 680 / 660 - 1400 * 350 / 340)
    assert tuple(metric(pf, "risk_exposure")[["previous", "current", "delta"]]) == (60.0, 130.0, 70.0)


def test_rag_and_reasons_are_the_engines_codes(report):
    pr = report.projects.set_index("project_id")
    # P1 at D: CPI 160/200 = 0.80 < 0.85 red; SPI(t) 0.80 red (SPI(t) is the schedule index);
    # exposure (R1 0.5 x 100 + R3 0.4 x 200) / BAC 400 = 130/400 = 32.5 % > 10 % red;
    # "Build complete" open at P, 7 Mar -> 14 Mar: 1 slipped milestone -> amber (red at 3)
    assert pr.at["P1", "rag"] == "red"
    assert [tuple(r) for r in pr.at["P1", "rag_reasons"]] == [
        ("cpi_below", pytest.approx(0.80), 0.85),
        ("spi_t_below", pytest.approx(0.80), 0.85),
        ("exposure_above", pytest.approx(0.325), 0.10),
        ("milestones_slipped", 1.0, 1.0),
    ]
    # P2: CPI 500/480 = 1.04, SPI(t) 1.00, no milestone slipped, no risk register: green, no reason
    assert pr.at["P2", "rag"] == "green" and pr.at["P2", "rag_reasons"] == []
    # worst first
    assert report.projects["project_id"].tolist() == ["P1", "P2"]
    # portfolio: CPI 660/680 = 0.97 green; SPI(t) 0.942857 amber; exposure 130/1400 = 9.3 % amber
    assert report.portfolio_rag == "amber"
    assert [tuple(r) for r in report.portfolio_reasons] == [
        ("spi_t_below", pytest.approx(0.942857, abs=1e-6), 0.95),
        ("exposure_above", pytest.approx(130 / 1400), 0.05),
    ]


def test_reasons_in_words_en_and_zh(report):
    from pmo_analytics.weekly import portfolio_line, summary_view

    en = summary_view(report, "en").set_index("project_id")
    assert en.at["P1", "rag"] == "Red"
    assert (
        en.at["P1", "rag_reasons"]
        == "CPI 0.80 < 0.85 · SPI(t) 0.80 < 0.85 · exposure 32.5% of BAC > 10% · 1 milestone slipped"
    )
    assert en.at["P2", "rag_reasons"] == "all within thresholds"
    zh = summary_view(report, "zh").set_index("project_id")
    assert zh.at["P1", "rag"] == "红"
    assert (
        zh.at["P1", "rag_reasons"]
        == "CPI 0.80 < 0.85 · SPI(t) 0.80 < 0.85 · 风险敞口占 BAC 32.5% > 10% · 1 个里程碑延误"
    )
    line = portfolio_line(report, "en")
    assert line == "Overall: Amber — Why: SPI(t) 0.94 < 0.95 · exposure 9.3% of BAC > 5% · projects: 1 red, 0 amber"


def test_why_never_reads_as_the_limit_it_crossed():
    from pmo_analytics.health_text import beside

    assert beside(0.9496, 0.95) == ("0.9496", "0.95")  # not "0.95 below 0.95"
    assert beside(0.80, 0.85) == ("0.80", "0.85")
    assert beside(0.1004, 0.10, pct=True) == ("10.04%", "10%")  # not "10.0% above 10%"
    assert beside(0.325, 0.10, pct=True) == ("32.5%", "10%")
    # P2 with EV 474.8 at D (CPI = 474.8 / 480 = 0.98917, SPI = 474.8 / 500 = 0.9496): amber
    per = periods()
    at_d = (per["project_id"] == "P2") & (per["status_date"] == D) & (per["period_end"] == D)
    per.loc[at_d, "ev"] = 474.8
    rep = weekly_report(tasks(), projects(), per, risks(), None, SETTINGS)
    from pmo_analytics.weekly import summary_view

    row = rep.projects.set_index("project_id").loc["P2"]
    assert row["rag"] == "amber" and row["rag_reasons"][0].code in ("spi_t_below", "spi_below")
    assert "0.9496 < 0.95" in summary_view(rep, "en").set_index("project_id").at["P2", "rag_reasons"]


def test_milestones(report):
    ms = report.milestones
    assert ms["completed"][["project_id", "task_id"]].values.tolist() == [["P1", "2"]]
    # Design approved: forecast 14 Feb at P, done 20 Feb at D -> moved 6 calendar days
    assert ms["completed"]["moved_days"].tolist() == [6.0]
    # due within 14 days of 28 Feb (to 14 Mar): P2 Go-live 10 Mar, Build complete 14 Mar; Go-live 30 Apr is not
    assert ms["due"][["task_id", "forecast_finish"]].values.tolist() == [
        ["9", pd.Timestamp("2025-03-10")],
        ["3", pd.Timestamp("2025-03-14")],
    ]
    # slipped: Build complete 7 Mar -> 14 Mar = 7 days; a completed one is listed as completed, not slipped
    assert ms["slipped"][["task_id", "moved_days"]].values.tolist() == [["3", 7.0]]
    counts = report.projects.set_index("project_id")
    assert counts.loc["P1", ["milestones_completed", "milestones_due", "milestones_slipped"]].tolist() == [1, 1, 1]


def test_a_milestone_whose_date_passed_undone_is_slipped():
    # P2 "Design sign-off" due 20 Feb at P and at D, not done by D (28 Feb): its date passed
    # without completion -> slipped though not moved (0 days); "Vendor selected" (new at D,
    # due 25 Feb, not done) too, with no earlier forecast to move from
    def ms(tid, name, f, sd):
        return dict(
            project_id="P2", task_id=tid, name=name, is_milestone=True, is_summary=False, start=ts(f), finish=ts(f),
            baseline_start=ts(f), baseline_finish=ts(f), actual_finish=pd.NaT, percent_complete=0.0, status_date=sd,
        )  # fmt: skip

    extra = [ms("10", "Design sign-off", "2025-02-20", P), ms("10", "Design sign-off", "2025-02-20", D)]
    extra.append(ms("11", "Vendor selected", "2025-02-25", D))
    rep = weekly_report(pd.concat([tasks(), pd.DataFrame(extra)], ignore_index=True), projects(), periods(), risks())
    slipped = rep.milestones["slipped"]
    assert slipped["task_id"].tolist() == ["3", "10", "11"]
    assert slipped["moved_days"].tolist()[:2] == [7.0, 0.0] and math.isnan(slipped["moved_days"].iloc[2])
    assert rep.projects.set_index("project_id").at["P2", "milestones_slipped"] == 2
    assert "10" not in rep.milestones["due"]["task_id"].tolist()


def test_risks_new_and_top(report):
    assert report.risks["new"]["risk_id"].tolist() == ["R3"]
    # top per project by EMV: R3 80, R1 50 (R2 closed)
    assert report.risks["top"]["risk_id"].tolist() == ["R3", "R1"]
    assert report.risks["portfolio_top"]["risk_exposure"].tolist() == [80.0, 50.0]


def test_notes_latest_for_the_status_date(report):
    assert report.notes["note"].tolist() == ["Vendor <b>late</b> & escalated"]
    assert report.projects.set_index("project_id").at["P1", "manager_note"] == "Vendor <b>late</b> & escalated"


def test_earlier_status_date_and_project_filter():
    rep = weekly_report(tasks(), projects(), periods(), risks(), notes(), SETTINGS, status_date=P, project_ids=["P1"])
    assert rep.status_date == date(2025, 1, 31) and rep.previous_date is None
    assert rep.project_ids() == ["P1"]
    row = metric(rep.metrics, "cpi")
    assert row["current"] == pytest.approx(0.9) and math.isnan(row["delta"])
    assert rep.notes["note"].tolist() == ["old period note"]
    assert rep.risks["new"].empty  # nothing to compare with


def test_a_date_between_uploads_reports_the_latest_status_date_before_it():
    # a scheduled job passing today's date (2025-03-10, after D) gets D vs P, not D vs D
    rep = weekly_report(tasks(), projects(), periods(), risks(), notes(), SETTINGS, status_date="2025-03-10")
    assert rep.status_date == date(2025, 2, 28) and rep.previous_date == date(2025, 1, 31)
    assert metric(rep.for_project("P1")["metrics"], "cpi")["delta"] == pytest.approx(0.8 - 0.9)
    # between P and D: P, with nothing before it
    rep = weekly_report(tasks(), projects(), periods(), risks(), notes(), SETTINGS, status_date="2025-02-15")
    assert rep.status_date == date(2025, 1, 31) and rep.previous_date is None


def test_a_date_before_any_data_or_an_unknown_project_is_a_clear_error():
    from pmo_analytics.errors import NotFoundError

    with pytest.raises(NotFoundError, match="no status date on or before 2024-12-31") as err:
        weekly_report(tasks(), projects(), periods(), risks(), notes(), SETTINGS, status_date="2024-12-31")
    assert "2025-01-31" in err.value.hint
    with pytest.raises(NotFoundError, match="no data for project P9") as err:
        weekly_report(tasks(), projects(), periods(), risks(), notes(), SETTINGS, project_ids=["P9"])
    assert "P1, P2" in err.value.hint


def test_project_not_reporting_keeps_its_values_and_says_so():
    t = tasks()
    per = periods()
    # P2 did not report at D: drop its D rows everywhere
    keep = lambda df: df[~((df["project_id"] == "P2") & (df["status_date"] == D))]  # noqa: E731
    rep = weekly_report(keep(t), keep(projects()), keep(per), risks(), None, SETTINGS)
    p2 = rep.projects.set_index("project_id").loc["P2"]
    assert p2["reported_on"] == P
    assert p2["cpi_delta"] == 0.0  # the same row at both dates
    # monthly reporting: 31 Jan is not more than one month before 28 Feb (cut-off 28 Jan): not stale
    assert p2["flags"] == [] and p2["rag"] == "green"
    # weekly reporting: 28 days old > 7 days: flagged stale, the colour unchanged
    rep = weekly_report(keep(t), keep(projects()), keep(per), risks(), None, SETTINGS.with_(period="W"))
    p2 = rep.projects.set_index("project_id").loc["P2"]
    assert p2["flags"] == [("stale", 28.0, 7.0)] and p2["rag"] == "green"


# ------------------------------------------------------------------ HTML
class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_is_complete_escaped_and_printable(lang):
    rep = weekly_report(tasks(), projects(), periods(), risks(), notes(), SETTINGS)
    page = render_html(
        rep, lang=lang, title="Weekly <img src=x onerror=alert(1)>", header_lines=["Program: <b>Core</b>"]
    )
    p = _Collect()
    p.feed(page)
    # hostile text is text: no script, img or b element was created from data
    assert "script" not in p.tags and "img" not in p.tags and "b" not in p.tags
    text = "".join(p.text)
    assert HOSTILE in text and "Vendor <b>late</b> & escalated" in text and "<img src=x onerror=alert(1)>" in text
    assert "@page" in page and "break-before: page" in page and "table-header-group" in page
    assert page.count('<section class="project">') == 2
    # the portfolio key metrics table: CPI previous 0.97, current 0.97, change 0.00; risk exposure 60 -> 130 (+70)
    rows: dict[str, list[str]] = {}
    for r in p.rows:  # the first table with 4 columns is the portfolio's
        if len(r) == 4:
            rows.setdefault(r[0], r[1:])
    exposure = "Risk exposure" if lang == "en" else "风险敞口"
    assert rows[exposure] == ["CNY 60", "CNY 130", "CNY +70"]  # amounts carry their currency (the default, CNY)
    # P1's CPI row: 0.90 -> 0.80, -0.10 (the last CPI row is P2's: 1.00 -> 1.04)
    cpi_rows = [r[1:] for r in p.rows if len(r) == 4 and r[0] == "CPI"]
    assert cpi_rows == [["0.97", "0.97", "0.00"], ["0.90", "0.80", "-0.10"], ["1.00", "1.04", "+0.04"]]
    if lang == "zh":
        assert '<html lang="zh-CN">' in page and "关键指标" in text


# ------------------------------------------------------------------ Excel
def test_excel_reopens_with_every_sheet_and_safe_text():
    rep = weekly_report(tasks(), projects(), periods(), risks(), notes(), SETTINGS)
    wb = openpyxl.load_workbook(io.BytesIO(report_bytes(rep, "xlsx")))
    assert wb.sheetnames == ["Summary", "Projects", "Metrics", "Milestones", "Risks", "Notes"]
    ws = wb["Summary"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "Status date: 2025-02-28" in flat and "Compared with: 2025-01-31" in flat
    header = next(i for i, r in enumerate(values) if r[:4] == ["Metric", "Previous", "Current", "Change"])
    by_metric = {r[0]: r[1:4] for r in values[header + 1 :]}
    assert by_metric["Risk exposure"] == [60, 130, 70]
    assert by_metric["CPI"][1] == pytest.approx(660 / 680)
    proj = wb["Projects"]
    head = [c.value for c in proj[1]]
    assert head[:5] == ["Project ID", "Name", "Manager", "Reported on", "RAG"]
    assert [proj.cell(row=r, column=5).value for r in (2, 3)] == ["Red", "Green"]
    risks_ws = wb["Risks"]
    cells = [c for row in risks_ws.iter_rows() for c in row if c.value == HOSTILE]
    assert cells and all(c.data_type == "s" for c in cells)  # "=1+1" inside stays text, not a formula
    notes_ws = wb["Notes"]
    assert notes_ws.cell(row=2, column=2).value == "Vendor <b>late</b> & escalated"


def test_excel_and_html_in_chinese():
    rep = weekly_report(tasks(), projects(), periods(), risks(), notes(), SETTINGS)
    wb = openpyxl.load_workbook(io.BytesIO(report_bytes(rep, "xlsx", "zh")))
    assert wb.sheetnames == ["摘要", "项目", "指标", "里程碑", "风险", "备注"]
    assert [wb["项目"].cell(row=r, column=5).value for r in (2, 3)] == ["红", "绿"]
    assert "项目周报" in report_bytes(rep, "html", "zh").decode("utf-8")


def test_summary_table_keeps_codes(report):
    assert summary_table(report)["rag"].tolist() == ["red", "green"]


# ------------------------------------------------------------------ from the store, CLI
def _stored(tmp_path):
    from pmo_analytics.store import Store

    store = Store(tmp_path / "weekly.duckdb")
    for sd in (P, D):
        for table, frame in (
            ("projects", projects()),
            ("tasks", tasks()),
            ("evm_periods", periods()),
            ("risks", risks()),
        ):
            part = frame[frame["status_date"] == sd].drop(columns="status_date")
            store.save_edit(table, part, sd.date(), "fixture")
    store.save_note("P1", D.date(), "Vendor <b>late</b> & escalated", "Ann")
    return store


def test_cli_report_html_and_xlsx(tmp_path, capsys):
    from pmo_analytics import cli
    from pmo_analytics.store import close_all

    store = _stored(tmp_path)
    close_all()
    out = tmp_path / "weekly.html"
    assert cli.main(["report", "--db", store.path, "--status-date", "2025-02-28", "--out", str(out)]) == 0
    assert "status date 2025-02-28 vs 2025-01-31, 2 projects, portfolio amber" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert "Vendor &lt;b&gt;late&lt;/b&gt; &amp; escalated" in page
    xlsx = tmp_path / "p1.xlsx"
    args = ["report", "--db", store.path, "--project", "P1", "--out", str(xlsx), "--lang", "zh"]
    assert cli.main(args) == 0
    wb = openpyxl.load_workbook(xlsx)
    assert [c.value for c in wb["项目"]["A"]][1:] == ["P1"]
    assert cli.main(["report", "--db", store.path, "--out", str(tmp_path / "x.pdf")]) == 1
    assert ".xlsx, .html or .json" in capsys.readouterr().err
    # cron-style: today's date after the last upload reports the last upload against the one before
    assert cli.main(["report", "--db", store.path, "--status-date", "2025-03-10", "--out", str(out)]) == 0
    assert "status date 2025-02-28 vs 2025-01-31" in capsys.readouterr().out
    assert cli.main(["report", "--db", store.path, "--project", "P9", "--out", str(out)]) == 1
    assert "no data for project P9 Known projects: P1, P2." in capsys.readouterr().err
    close_all()


def test_weekly_labels_never_rename_a_canonical_column():
    # ui.label looks up col.<name> first: a key here for a canonical column would change its
    # header on every page
    from pmo_analytics import i18n
    from pmo_analytics.locales import weekly
    from pmo_analytics.schema import TABLES

    canonical = {c.name for t in TABLES.values() for c in t.columns}
    assert not [k for k in weekly.STRINGS if k.startswith("col.") and k[4:] in canonical]
    assert all(k in i18n.catalog() for k in weekly.STRINGS)  # no clash with another locale module


def test_report_json_on_the_hand_built_fixture(report):
    import json

    from pmo_analytics.weekly import report_bytes

    data = json.loads(report_bytes(report, "json", "zh"))
    assert (data["status_date"], data["previous_date"], data["lang"]) == ("2025-02-28", "2025-01-31", "zh")
    p1 = next(p for p in data["projects"] if p["project_id"] == "P1")
    # as test_rag_and_reasons_are_the_engines_codes: CPI 0.80, SPI(t) 0.80, exposure 130/400, 1 slipped
    assert p1["rag"] == "red"
    assert [(r["code"], r["threshold"]) for r in p1["rag_reasons"]] == [
        ("cpi_below", 0.85),
        ("spi_t_below", 0.85),
        ("exposure_above", 0.1),
        ("milestones_slipped", 1.0),
    ]
    assert p1["rag_reasons"][2]["value"] == pytest.approx(0.325)
    assert p1["why"].endswith("1 个里程碑延误")
    assert p1["metrics"]["risk_exposure"] == {"previous": 60.0, "current": 130.0, "delta": 70.0}
    assert data["portfolio"]["rag"] == "amber" and data["portfolio"]["counts"] == {
        "red": 1,
        "amber": 0,
        "green": 1,
        "unknown": 0,
    }
    assert data["notes"][0]["note"] == "Vendor <b>late</b> & escalated"  # data text stays as it is
