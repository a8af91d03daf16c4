"""AppTest: the Export page builds the portfolio report for the current filters and offers
exactly those bytes for download."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from pmo_analytics.ingest import parse_bytes
from pmo_analytics.report_workbook import report_sheet_names
from pmo_analytics.store import Store
from tests.conftest import ROOT, run_app
from tests.helpers import PROJECTS, TASKS, keep_instances, template_bytes, workbook_bytes

PAGE = "90_export.py"


@pytest.fixture
def media(monkeypatch):
    """The media storages of the runs (AppTest makes a fresh one per run)."""
    return keep_instances(monkeypatch, "streamlit.testing.v1.app_test.MemoryMediaFileStorage", MemoryMediaFileStorage)


def _downloaded(at, media) -> bytes:
    (button,) = at.get("download_button")
    url = button.proto.url
    assert url.endswith(".xlsx")
    for storage in reversed(media):
        try:
            return bytes(storage.get_file(url.rsplit("/", 1)[-1]).content)
        except Exception:  # noqa: S112 - the file lives in the storage of the run that made it
            continue
    raise AssertionError(f"{url} not in any media storage")


@pytest.fixture
def loaded(app_db):
    # the template portfolio: projects P1 (two tasks) and P2 (one task), status date 24 Jan 2025
    Store().import_parsed(parse_bytes("portfolio.xlsx", template_bytes()), date(2025, 1, 24))
    return app_db


def test_empty_database(app_db):
    at = run_app(PAGE)
    assert at.title[0].value == "Export"
    assert "No data yet" in at.info[0].value
    assert not at.get("download_button")


def test_build_and_download_the_report(loaded, media):
    at = run_app(PAGE)
    assert not at.get("download_button")  # nothing offered before it is built
    at.button(key="export_build").click().run()
    assert not at.exception, [e.value for e in at.exception]
    data = _downloaded(at, media)
    assert data == at.session_state["export_report"]["data"]
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == "Summary"
    assert set(wb.sheetnames) <= set(report_sheet_names("en"))
    assert {"Projects", "EVM history", "Tasks"} <= set(wb.sheetnames)
    assert wb["Projects"].max_row == 4 + 2  # header block + header + P1, P2
    assert [wb["Projects"].cell(row=r, column=1).value for r in (5, 6)] == ["P1", "P2"]
    assert wb["Tasks"].max_row == 4 + 3  # P1 Design, P1 Build, P2 Plan
    assert len(wb["Summary"]._charts) >= 2  # S-curve and CPI/SPI trend
    assert "Status date: Latest" in [c.value for c in wb["Summary"]["A"]]
    assert any("Projects: 2 rows" == t.value for t in at.text)
    # the file stays offered on the next run with the same filters
    at.run()
    assert len(at.get("download_button")) == 1


def test_report_follows_the_project_filter(loaded, media):
    at = run_app(PAGE, session_state={"f_project": ["P2"]})
    at.button(key="export_build").click().run()
    assert not at.exception
    wb = openpyxl.load_workbook(io.BytesIO(_downloaded(at, media)))
    projects = wb["Projects"]
    assert projects.max_row == 5 and projects["A5"].value == "P2"
    assert {wb["Tasks"].cell(row=r, column=1).value for r in range(5, wb["Tasks"].max_row + 1)} == {"P2"}
    assert "Project: P2" in [c.value for c in wb["Summary"]["A"]]


def test_chinese(loaded, media):
    at = AppTest.from_file(str(ROOT / "pages" / PAGE), default_timeout=60)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "导出"
    at.button(key="export_build").click().run()
    assert not at.exception, at.exception
    wb = openpyxl.load_workbook(io.BytesIO(_downloaded(at, media)))
    assert wb.sheetnames[0] == "摘要" and "项目" in wb.sheetnames
    assert wb["项目"]["A4"].value == "项目编号"


# ---------------------------------------------------------------- table views (ui.table downloads)
@pytest.fixture
def managers(monkeypatch):
    """The media file managers of the runs (they hold the deferred downloads)."""
    return keep_instances(monkeypatch, "streamlit.testing.v1.app_test.MediaFileManager", MediaFileManager)


def _deferred(at, managers, key: str) -> bytes:
    """Run a table's deferred download the way the server does: after the run, outside any
    script run context (so st.session_state is not the session's)."""
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith(key)]
    file_id = button.proto.deferred_file_id
    assert file_id, "the table download should be deferred"
    for mgr in reversed(managers):
        entry = mgr._deferred_callables.get(file_id)
        if entry is not None:
            return entry["callable"]()
    raise AssertionError(f"deferred download {key} not registered")


def _page(page: str, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=60)
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_table_download_is_the_filtered_view_in_the_ui_language(loaded, managers):
    # Chinese UI, project filter P2, EVM metrics table (latest status date only).
    # P2 has one task "Plan" (6-10 Jan 2025), 100 % complete, budget 2,000, actual cost 1,800;
    # status date 24 Jan 2025: PV = EV = BAC = 2,000, AC = 1,800, CV = 200, CPI = 2000/1800.
    at = _page("30_earned_value.py", lang="zh", f_project=["P2"])
    data = _deferred(at, managers, "dl_xlsx_evm_metrics")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert [ws.cell(row=r, column=1).value for r in (1, 2, 3, 4)] == [
        "各项目及状态日期的指标",
        "项目: P2",
        "状态日期: 最新",
        None,
    ]
    headers = [c.value for c in ws[5]]
    assert headers[:2] == ["项目编号", "名称"] and "完工预算 BAC" in headers and "计划值 PV" in headers
    assert ws.max_row == 6  # header block, header row, the one row P2 has
    row = dict(zip(headers, [c.value for c in ws[6]], strict=True))
    assert row["项目编号"] == "P2"
    assert (row["计划值 PV"], row["完工预算 BAC"]) == (2000, 2000)
    assert row[[h for h in headers if h.endswith(" AC")][0]] == 1800
    assert ws.freeze_panes == "A6" and ws.auto_filter.ref.startswith("A5:")
    cpi = headers.index([h for h in headers if h.endswith("CPI")][0]) + 1
    assert ws.cell(row=6, column=cpi).value == pytest.approx(2000 / 1800)
    assert ws.cell(row=6, column=cpi).fill.fgColor.rgb.endswith("C6EFCE")  # green, as on screen
    # the CSV of the same view: BOM, Chinese headers, the same single row
    csv = _deferred(at, managers, "dl_csv_evm_metrics")
    assert csv.startswith(b"\xef\xbb\xbf")
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("项目编号,名称,") and len(lines) == 2 and lines[1].startswith("P2,Beta,")


def test_table_download_money_in_each_project_currency(app_db, managers):
    projects = [[*PROJECTS[0], "Currency"], [*PROJECTS[1], "CNY"], [*PROJECTS[2], "USD"]]
    book = workbook_bytes({"Projects": projects, "Tasks": TASKS})
    Store().import_parsed(parse_bytes("portfolio.xlsx", book), date(2025, 1, 24))
    at = _page("30_earned_value.py")
    ws = openpyxl.load_workbook(io.BytesIO(_deferred(at, managers, "dl_xlsx_evm_metrics"))).worksheets[0]
    headers = [c.value for c in ws[4]]  # title, status date line (no filter set), blank, headers
    assert ws["A2"].value == "Status date: Latest" and headers[:2] == ["Project ID", "Name"]
    bac = headers.index("BAC") + 1
    assert [ws.cell(row=r, column=1).value for r in (5, 6)] == ["P1", "P2"]
    assert ws.cell(row=5, column=bac).value == 1000 and ws.cell(row=5, column=bac).number_format.startswith('"¥"')
    assert ws.cell(row=6, column=bac).value == 2000 and ws.cell(row=6, column=bac).number_format.startswith('"$"')


def test_table_download_keeps_the_page_number_formats(loaded, managers):
    # the DCMA scores table shows its score with "{:.0f}": the download formats it "0"
    at = _page("50_schedule_quality.py")
    ws = openpyxl.load_workbook(io.BytesIO(_deferred(at, managers, "dl_xlsx_dcma_scores"))).worksheets[0]
    header_row = next(r for r in range(1, 8) if ws.cell(row=r, column=1).value == "Project ID")
    headers = [c.value for c in ws[header_row]]
    assert headers[:3] == ["Project ID", "Name", "Score (0-100)"]
    # P1: 9 of the 10 applicable checks pass -> 90; P2's row follows
    score = ws.cell(row=header_row + 1, column=3)
    assert ws.cell(row=header_row + 1, column=1).value == "P1"
    assert (score.value, score.number_format, score.data_type) == (90, "0", "n")


@pytest.mark.parametrize(
    ("page", "key", "sheet"),
    [("86_quality.py", "quality_template", "交付物"), ("88_lessons.py", "lessons_template", "经验教训")],
)
def test_register_templates_download_in_the_ui_language(loaded, managers, page, key, sheet):
    """The blank register templates are deferred downloads too: in a Chinese session they
    must come out with Chinese sheet names and headers although they are written outside it."""
    at = _page(page, lang="zh")
    wb = openpyxl.load_workbook(io.BytesIO(_deferred(at, managers, key)))
    assert sheet in wb.sheetnames
    assert wb[sheet]["A1"].value == "项目编号"
