"""AppTest: the Export page builds the portfolio report for the current filters and offers
exactly those bytes for download."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from pmo_analytics.ingest import parse_bytes
from pmo_analytics.report_workbook import report_sheet_names
from pmo_analytics.store import Store
from tests.conftest import ROOT, run_app
from tests.helpers import template_bytes

PAGE = "90_export.py"


class _Storage(MemoryMediaFileStorage):
    """Media storage that stays reachable after the run (AppTest makes a fresh one per run)."""

    instances: list[_Storage] = []

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        _Storage.instances.append(self)


@pytest.fixture
def media(monkeypatch):
    _Storage.instances.clear()
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", _Storage)
    return _Storage.instances


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
