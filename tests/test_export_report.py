"""Portfolio report workbook: sheets, native charts, key figures (sum first, then divide),
omitted sections, Chinese names, RAG colours, no formulas from user text."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from pmo_analytics import report_workbook as rw
from pmo_analytics.settings import Settings

D1, D2 = pd.Timestamp("2024-01-31"), pd.Timestamp("2024-02-29")


def _projects() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P1", "P2"],
            "name": ['=HYPERLINK("http://x","y")', "Beta"],
            "currency": ["CNY", "CNY"],
            "status_date": [D2, D1],
            "bac": [1000.0, 500.0],
            "pv": [100.0, 300.0],
            "ev": [80.0, 300.0],
            "ac": [100.0, 250.0],
            "cpi": [0.8, 1.2],
            "spi": [0.8, 1.0],
            "eac_cpi": [1250.0, 416.6666666666667],
            "cpi_rag": ["red", "green"],
            "spi_rag": ["red", "green"],
            "rag": ["red", "green"],
        }
    )


def _history() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P1", "P1", "P2"],
            "status_date": [D1, D2, D1],
            "bac": [1000.0, 1000.0, 500.0],
            "pv": [50.0, 100.0, 300.0],
            "ev": [40.0, 80.0, 300.0],
            "ac": [45.0, 100.0, 250.0],
        }
    )


def _risks() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P1", "P1", "P2", "P2"],
            "risk_id": ["R1", "R2", "R3", "R4"],
            "title": ["@SUM(1)", "-1+2", "Vendor late", "closed one"],
            "probability": [0.5, 0.1, 0.2, 0.9],
            "impact_cost": [1000.0, 2000.0, 500.0, 10_000.0],
            "status": ["Open", "Open", "Open", "Closed"],
            "is_open": [True, True, True, False],
        }
    )


def _milestones() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P1", "P2"],
            "task_id": ["M1", "M2"],
            "name": ["Go live", "Design signed"],
            "baseline_finish": [D1, D1],
            "forecast_finish": [D2, D1],
            "slip_days": [21.0, 0.0],
        }
    )


def _dcma() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P1", "P1"],
            "check": [1, 2],
            "name": ["Logic", "Leads"],
            "value": [10.0, 0.0],
            "passed": [False, True],
        }
    )


def _tasks(n: int = 7) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P1"] * n,
            "task_id": [f"{i:05d}" for i in range(n)],
            "name": ["=1+1"] + [f"task {i}" for i in range(1, n)],
            "start": pd.date_range("2024-01-01", periods=n, freq="D"),
            "percent_complete": np.linspace(0, 1, n),
        }
    )


def _full(**kw) -> bytes:
    return rw.portfolio_report(
        projects=_projects(),
        evm_history=_history(),
        risks=_risks(),
        milestones=_milestones(),
        schedule_quality=_dcma(),
        tasks=_tasks(),
        filters=["Program: Alpha"],
        status_date=date(2024, 2, 29),
        generated_at=datetime(2024, 3, 1, 9, 30),
        **kw,
    )


def _find(ws, text: str) -> tuple[int, int]:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(f"{text!r} not on {ws.title}")


def _kpi(ws, label: str):
    r, c = _find(ws, label)
    return ws.cell(row=r, column=c + 1).value


def test_sheets_charts_and_key_figures():
    data = _full()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Summary", "Projects", "EVM history", "Risks", "Milestones", "Schedule quality", "Tasks"]
    summary = wb["Summary"]
    assert summary["A1"].value == "Portfolio report"
    assert summary["A2"].value == "Status date: 2024-02-29"
    assert summary["A3"].value == "Generated at: 2024-03-01 09:30"
    assert _find(summary, "Program: Alpha")
    # key figures: sums first, then ratios. ΣEV = 80 + 300 = 380, ΣAC = 100 + 250 = 350,
    # ΣPV = 100 + 300 = 400 -> CPI = 380/350 = 1.0857..., SPI = 380/400 = 0.95
    # (the average of the project CPIs would be (0.8 + 1.2)/2 = 1.0)
    assert _kpi(summary, "Projects") == 2
    assert _kpi(summary, "Budget at completion (BAC)") == 1500
    assert _kpi(summary, "CPI (ΣEV / ΣAC)") == pytest.approx(380 / 350)
    assert _kpi(summary, "SPI (ΣEV / ΣPV)") == pytest.approx(0.95)
    assert _kpi(summary, "Estimate at completion (ΣEAC)") == pytest.approx(1250 + 416.6666666666667)
    # the projects frame's rag column (the health engine's decision) is counted as it is
    assert (_kpi(summary, "Red projects"), _kpi(summary, "Amber projects"), _kpi(summary, "Green projects")) == (
        1,
        0,
        1,
    )
    # open exposure: 0.5*1000 + 0.1*2000 + 0.2*500 = 500 + 200 + 100 = 800 (the closed risk is left out)
    assert _kpi(summary, "Risk exposure (Σ probability × impact)") == pytest.approx(800)
    assert _kpi(summary, "Milestones late (slip > 0 days)") == 1
    assert _kpi(summary, "Schedule checks failed") == 1
    assert _kpi(summary, "Tasks") == 7
    assert "¥" in summary.cell(row=_find(summary, "Actual cost (AC)")[0], column=2).number_format
    # native charts: three chart parts, all on the Summary sheet, referencing its cells
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        charts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        assert len(charts) == 3
        xml = [z.read(n).decode() for n in charts]
    assert len(summary._charts) == 3 and all(len(wb[s]._charts) == 0 for s in wb.sheetnames[1:])
    assert all("Summary!$" in x for x in xml)
    assert "<c:scatterChart>" in xml[0] and "<c:scatterChart>" in xml[1] and "<c:barChart>" in xml[2]
    # S-curve series PV, EV, AC over the trend's status dates
    assert len(re.findall(r"<c:ser>", xml[0])) == 3


def test_trend_is_carried_forward_then_summed():
    wb = openpyxl.load_workbook(io.BytesIO(_full()))
    ws = wb["Summary"]
    r, c = _find(ws, "Portfolio trend by status date (sums of all projects)")
    header = [ws.cell(row=r + 1, column=c + k).value for k in range(7)]
    assert header == ["Status date", "BAC", "PV", "EV", "AC", "CPI", "SPI"]
    rows = [[ws.cell(row=r + 2 + i, column=c + k).value for k in range(7)] for i in range(2)]
    # 31 Jan: P1 (pv 50, ev 40, ac 45) + P2 (300, 300, 250): PV 350, EV 340, AC 295; CPI 340/295, SPI 340/350
    assert rows[0][0] == datetime(2024, 1, 31)
    assert rows[0][1:5] == [1500, 350, 340, 295]
    assert rows[0][5] == pytest.approx(340 / 295) and rows[0][6] == pytest.approx(340 / 350)
    # 29 Feb: P1 reports (100, 80, 100); P2 did not and is carried forward from 31 Jan (300, 300, 250)
    assert rows[1][0] == datetime(2024, 2, 29)
    assert rows[1][1:5] == [1500, 400, 380, 350]
    assert ws.cell(row=r + 4, column=c).value is None  # the table ends there


def test_data_sheets_rows_rag_panes_and_no_formulas():
    data = _full()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    expected = {"Projects": 2, "EVM history": 3, "Risks": 4, "Milestones": 2, "Schedule quality": 2, "Tasks": 7}
    for name, n in expected.items():
        ws = wb[name]
        assert ws["A1"].value == name and ws["A2"].value == "Status date: 2024-02-29"
        assert ws.max_row == 4 + n, name  # title, status line, blank, header, rows
        assert ws.freeze_panes == "A5" and ws.auto_filter.ref.startswith("A4:")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type not in ("f", "e"), (ws.title, cell.coordinate)
    p = wb["Projects"]
    headers = [c.value for c in p[4]]
    assert headers[:3] == [rw.column_label(c) for c in ("project_id", "name", "currency")]
    assert p["B5"].value == '=HYPERLINK("http://x","y")' and p["B5"].data_type == "s"
    cpi_col = headers.index(rw.column_label("cpi")) + 1
    assert p.cell(row=5, column=cpi_col).fill.fgColor.rgb.endswith("FFC7CE")  # 0.8 < 0.85: red
    assert p.cell(row=6, column=cpi_col).fill.fgColor.rgb.endswith("C6EFCE")  # 1.2: green
    bac = p.cell(row=5, column=headers.index(rw.column_label("bac")) + 1)
    assert bac.value == 1000 and "¥" in bac.number_format
    rag = p.cell(row=5, column=headers.index(rw.column_label("rag")) + 1)
    assert rag.value == "Red" and rag.fill.fgColor.rgb.endswith("FFC7CE")
    r = wb["Risks"]
    rh = [c.value for c in r[4]]
    exp = [r.cell(row=i, column=rh.index(rw.column_label("risk_exposure")) + 1).value for i in range(5, 9)]
    assert exp == pytest.approx([500, 200, 100, 9000])  # probability x impact, computed when absent
    m = wb["Milestones"]
    mh = [c.value for c in m[4]]
    slip = mh.index(rw.column_label("slip_days")) + 1
    assert m.cell(row=5, column=slip).fill.fgColor.rgb.endswith("FFC7CE")
    assert m.cell(row=6, column=slip).fill.fgColor.rgb.endswith("C6EFCE")
    t = wb["Tasks"]
    assert t["B5"].value == "00000" and t["C5"].value == "=1+1"


def test_missing_sections_are_omitted_with_a_note():
    data = rw.portfolio_report(projects=_projects())
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Summary", "Projects"]
    ws = wb["Summary"]
    note = next(c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("Not included"))
    assert note == "Not included (no data): EVM history, Risks, Milestones, Schedule quality, Tasks, Schedule risk"
    assert ws["A2"].value == "Status date: latest per project"
    assert len(ws._charts) == 0  # nothing to chart without history or risks
    empty = openpyxl.load_workbook(io.BytesIO(rw.portfolio_report(projects=pd.DataFrame(), tasks=None)))
    assert empty.sheetnames == ["Summary"]


def test_chinese_sheet_names_headers_and_rag_words():
    wb = openpyxl.load_workbook(io.BytesIO(_full(lang="zh")))
    assert wb.sheetnames == ["摘要", "项目", "挣值历史", "风险", "里程碑", "进度质量", "任务"]
    assert wb.sheetnames == rw.report_sheet_names("zh")[:-1]  # no schedule-risk frame given here
    p = wb["项目"]
    headers = [c.value for c in p[4]]
    assert headers[0] == "项目编号" and "币种" in headers
    rag = p.cell(row=5, column=headers.index(rw.column_label("rag", "zh")) + 1)
    assert rag.value == "红" and rag.fill.fgColor.rgb.endswith("FFC7CE")
    assert wb["摘要"]["A1"].value == "项目组合报告"
    assert wb["任务"]["A4"].value == "项目编号"


def test_large_workbook_path_constant_memory_keeps_charts(monkeypatch):
    monkeypatch.setattr(rw, "SMALL_WORKBOOK_CELLS", 0)
    seen: list[float] = []
    contents: list[rw.ReportSheet] = []
    data = _full(progress=seen.append, contents=contents)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert len(wb["Summary"]._charts) == 3
    assert wb["Tasks"].max_row == 4 + 7
    assert seen[-1] == 1.0 and seen == sorted(seen)
    assert [(c.key, c.rows) for c in contents] == [
        ("projects", 2),
        ("evm_history", 3),
        ("risks", 4),
        ("milestones", 2),
        ("schedule_quality", 2),
        ("tasks", 7),
    ]


def test_report_from_the_demo_store(store):
    from pmo_analytics import demo

    demo.build_demo(store)
    contents: list[rw.ReportSheet] = []
    data = rw.report_from_store(store, lang="en", filters=["All projects"], settings=Settings(), contents=contents)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == rw.report_sheet_names("en")
    assert len(wb["Summary"]._charts) == 3
    # PRJ-108 is the demo's closed project: left out of the report unless included
    everything = store.table("tasks", current=True)
    current = everything[everything["project_id"] != "PRJ-108"]
    assert dict((c.key, c.rows) for c in contents)["tasks"] == len(current)
    assert wb["Tasks"].max_row == 4 + len(current)
    projects = store.table("projects", current=True)
    assert wb["Projects"].max_row == 4 + projects["project_id"].nunique() - 1
    contents = []
    rw.report_from_store(store, include_closed=True, settings=Settings(), contents=contents)
    assert dict((c.key, c.rows) for c in contents)["tasks"] == len(everything)


def test_report_frames_leave_out_a_section_an_engine_refuses():
    # two tasks whose links form a loop: the DCMA checks cannot run (ScheduleError), the rest can
    sd = pd.Timestamp("2024-01-31")
    tasks = pd.DataFrame(
        {
            "project_id": ["P1", "P1"],
            "task_id": ["A", "B"],
            "name": ["Alpha", "Beta"],
            "start": pd.to_datetime(["2024-01-08", "2024-01-15"]),
            "finish": pd.to_datetime(["2024-01-12", "2024-01-19"]),
            "baseline_start": pd.to_datetime(["2024-01-08", "2024-01-15"]),
            "baseline_finish": pd.to_datetime(["2024-01-12", "2024-01-19"]),
            "percent_complete": [1.0, 0.5],
            "bac": [100.0, 100.0],
            "actual_cost": [90.0, 60.0],
            "status_date": [sd, sd],
        }
    )
    links = pd.DataFrame(
        {"project_id": ["P1", "P1"], "pred_task_id": ["A", "B"], "succ_task_id": ["B", "A"], "status_date": [sd, sd]}
    )
    projects = pd.DataFrame({"project_id": ["P1"], "name": ["One"], "status_date": [sd]})
    frames, notes = rw.report_frames(projects=projects, tasks=tasks, links=links)
    assert frames["schedule_quality"] is None
    assert len(notes) == 1 and notes[0].startswith("DCMA: ") and "A" in notes[0]
    assert len(frames["projects"]) == 1 and len(frames["tasks"]) == 2
    wb = openpyxl.load_workbook(io.BytesIO(rw.portfolio_report(**frames, notes=notes)))
    assert "Schedule quality" not in wb.sheetnames and "Tasks" in wb.sheetnames
    column_a = [c.value for c in wb["Summary"]["A"]]
    assert notes[0] in column_a
    assert any(isinstance(v, str) and v.startswith("Not included") and "Schedule quality" in v for v in column_a)


HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "{=1+1}",
    "#N/A",
    "@SUM(1)",
    "+1",
    "=cmd|' /C calc'!A0",
    "http://x.y",
    "a\x1fb",
]


@hyp_settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20), st.text(alphabet=st.characters(max_codepoint=0x20))),
        min_size=4,
        max_size=4,
    )
)
def test_hypothesis_hostile_text_everywhere_in_the_report_stays_text(texts):
    # user text as project name (also a chart category on the Summary), risk title, task name,
    # a user column header, a filter line and a note: never a formula, an error or a link
    a, b, c, d = texts
    projects = _projects().assign(name=[a, b])
    risks = _risks().assign(title=[c, d, a, b])
    tasks = _tasks().assign(**{d or "x": [c] * 7})
    data = rw.portfolio_report(
        projects=projects, evm_history=_history(), risks=risks, tasks=tasks, filters=[a, b], notes=[c]
    )
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert len(wb.worksheets[0]._charts) == 3
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type not in ("f", "e"), (ws.title, cell.coordinate, cell.value)
                assert cell.hyperlink is None
    assert wb["Tasks"].max_row == 4 + 7
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # sheets relate to their drawings only, no links
        rels = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/_rels")]
        assert rels and not any("hyperlink" in r for r in rels)
