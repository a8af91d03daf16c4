"""Real-browser journeys (Playwright driving Debian's Chromium against a real server).

- Analyst (a server of its own on a copy of the demo database): upload a Jira CSV and an MS
  Project export through the real file chooser, read the detection line and the validation
  report (downloaded as CSV from the page), commit each, see the pages take in the new data;
  then upload broken and hostile files (a truncated workbook, a far-away-cell workbook, a zip
  bomb, a file whose *name* is markup): each gets its error, the server stays healthy and the
  app keeps working.
- Manager (the shared demo server, read only): narrow the portfolio with a sidebar filter, go
  through Gantt, Earned value, Risk (click a heatmap cell; the register download holds only
  that cell's risks), Resources; build and download the Excel report and check it with
  openpyxl; switch to 简体中文.

Navigation inside a journey uses the sidebar links (one browser session, so filters persist);
waits are on the page's own state (text appearing, ``data-test-script-state``), never sleeps.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
from playwright.sync_api import expect

from pmo_analytics.ingest import parse_bytes
from tests.e2e.conftest import click_plotly_point, health, wait_idle
from tools.browser import choose, choose_language

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
TIMEOUT = 60_000


def nav(page, title: str) -> None:
    """Open a page through the sidebar menu (same session) and wait for its title."""
    sidebar = page.locator('[data-testid="stSidebarNav"]')
    link = sidebar.get_by_role("link", name=title, exact=True)
    more = page.locator('[data-testid="stSidebarNavViewButton"]')
    if not link.is_visible() and more.count() and "more" in more.inner_text().lower():
        more.click()  # the menu shows the first pages and "View more"
    link.click()
    expect(page.locator("h1").first).to_have_text(title, timeout=TIMEOUT)
    wait_idle(page)


def kpi(page, label: str):
    return (
        page.locator('[data-testid="stMetric"]').filter(has_text=label).first.locator('[data-testid="stMetricValue"]')
    )


def no_errors(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    unexpected = page.locator('[data-testid="stAlertContentError"]').filter(has_text="Something went wrong")
    assert unexpected.count() == 0, unexpected.all_inner_texts()


def upload(page, files) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(files)


def choose_status_date(page, file_name: str, digits: str) -> None:
    """Type the status date of an uploaded file (the page proposes none for these files) into its
    date field (year, month and day segments: ``digits`` = "20261130"), then leave the field."""
    page.get_by_role("spinbutton", name="year, Status date of this file").click()
    page.keyboard.type(digits)
    page.keyboard.press("Escape")  # close the calendar
    page.get_by_role("heading", name=file_name).click()  # leaving the field sets the date
    wait_idle(page)


def download(page, locator) -> bytes:
    with page.expect_download(timeout=TIMEOUT) as info:
        locator.click()
    return Path(info.value.path()).read_bytes()


def read_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


# ----------------------------------------------------------------------------- analyst
def test_analyst_imports_exports_and_survives_broken_files(writable_server, page):
    from tests.test_bad_input_corpus import sparse_dimension_xlsx
    from tests.test_hostile_files import zip_bomb

    url, _db, log = writable_server
    page.goto(url)
    wait_idle(page)
    expect(kpi(page, "Projects")).to_have_text("11", timeout=TIMEOUT)  # 12 demo projects, PRJ-108 closed

    # what the importer makes of the two files (the same code the server runs)
    jira = parse_bytes("jira_cloud_all_fields.csv", (DATA / "jira_cloud_all_fields.csv").read_bytes())
    msp = parse_bytes("msproject_task_table.xlsx", (DATA / "msproject_task_table.xlsx").read_bytes())
    assert jira.rejected_rows >= 1 and msp.problems  # both have something for the report

    # 1. Jira CSV through the file chooser: detection, the report, commit
    nav(page, "Import")
    upload(page, str(DATA / "jira_cloud_all_fields.csv"))
    page.get_by_text("Detected: Jira CSV").wait_for(timeout=TIMEOUT)
    summary = f"{jira.rows_in} rows read: {jira.rows_loaded} valid, {jira.rejected_rows} rejected."
    page.get_by_text(summary).wait_for(timeout=TIMEOUT)
    wait_idle(page)
    report = read_csv(download(page, page.locator(".st-key-dl_csv_problems_0 button")))
    assert len(report) == len(jira.problems), report
    bad = [r for r in report if r["Value"] == "five"]  # headers as labels.label names them
    assert bad and bad[0]["Row"] == "6" and "expected a number" in bad[0]["Problem"], report
    page.get_by_text("The file carries no status date").wait_for(timeout=TIMEOUT)  # no silent today
    choose_status_date(page, "jira_cloud_all_fields.csv", "20261130")
    page.get_by_role("button", name=f"Load {jira.rows_loaded} valid rows").click()
    page.get_by_text(re.compile(rf"jira_cloud_all_fields\.csv: import #5 .* {jira.rows_loaded} rows loaded")).wait_for(
        timeout=TIMEOUT
    )
    wait_idle(page)
    no_errors(page)

    # 2. MS Project export: detection, the link problem in the report, commit
    upload(page, str(DATA / "msproject_task_table.xlsx"))
    page.get_by_text("Detected: MS Project Excel export").wait_for(timeout=TIMEOUT)
    wait_idle(page)
    report = read_csv(download(page, page.locator(".st-key-dl_csv_problems_0 button")))
    assert any(r["Value"] == "7XY" and r["Column"] == "Predecessors" for r in report), report
    choose_status_date(page, "msproject_task_table.xlsx", "20261130")
    page.get_by_role("button", name=f"Load {msp.rows_loaded} valid rows").click()
    page.get_by_text(re.compile(rf"msproject_task_table\.xlsx: import #6 .* {msp.rows_loaded} rows loaded")).wait_for(
        timeout=TIMEOUT
    )
    wait_idle(page)
    history = read_csv(download(page, page.locator(".st-key-dl_csv_imports button")))
    assert len(history) == 6, history
    no_errors(page)

    # 3. the pages take in the new data
    nav(page, "Portfolio")
    expect(kpi(page, "Projects")).to_have_text("12", timeout=TIMEOUT)  # 11 active demo projects + the MS Project plan
    nav(page, "Gantt")
    page.locator(".st-key-gantt_project").click()
    expect(page.get_by_role("option", name=re.compile(r"^Website relaunch"))).to_be_visible(timeout=TIMEOUT)
    page.keyboard.press("Escape")
    no_errors(page)
    nav(page, "Burn")  # the Jira project comes first in its project list
    expect(page.locator(".st-key-burn_project").get_by_role("combobox")).to_have_value("PHX", timeout=TIMEOUT)
    burn_failed = (
        page.locator('[data-testid="stAlertContentError"]').filter(has_text="Something went wrong").all_inner_texts()
    )

    # 4. broken and hostile files: each refused with its message; the server stays up
    nav(page, "Import")
    hostile_name = "<img src=x onerror=window.__xss=1>.csv"
    upload(
        page,
        [
            {
                "name": "broken_truncated.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": (DATA / "broken_truncated.xlsx").read_bytes(),
            },
            {"name": "far.xlsx", "mimeType": "application/octet-stream", "buffer": sparse_dimension_xlsx()},
            {"name": "bomb.xlsx", "mimeType": "application/octet-stream", "buffer": zip_bomb()},
            {"name": hostile_name, "mimeType": "text/csv", "buffer": b""},
        ],
    )
    errors = page.locator('[data-testid="stAlertContentError"]')
    expect(errors).to_have_count(4, timeout=TIMEOUT)
    wait_idle(page)
    texts = errors.all_inner_texts()
    assert any("broken_truncated.xlsx was not loaded" in t and "damaged or truncated" in t for t in texts), texts
    assert any("far.xlsx was not loaded" in t and "XFD1048576" in t for t in texts), texts
    assert any("bomb.xlsx was not loaded" in t and "zip bomb" in t for t in texts), texts
    assert any(f"{hostile_name} was not loaded" in t and "the file is empty" in t for t in texts), texts
    assert page.evaluate("window.__xss") is None  # the name was shown as text, not markup
    assert page.locator('img[src="x"]').count() == 0
    assert health(url) == 200
    # ... and the app keeps working
    nav(page, "Portfolio")
    expect(kpi(page, "Projects")).to_have_text("12", timeout=TIMEOUT)  # unchanged by the refused files
    no_errors(page)
    server_log = log.read_text()
    assert not burn_failed, burn_failed
    assert "Traceback" not in server_log, server_log[-3000:]


# ----------------------------------------------------------------------------- manager
def test_manager_filters_browses_downloads_and_reads_chinese(server, page):
    page.goto(server)
    wait_idle(page)
    expect(kpi(page, "Projects")).to_have_text("11", timeout=TIMEOUT)  # 12 demo projects, PRJ-108 closed

    # 1. sidebar filter: the Core Platform program
    # opened from the keyboard (tools.browser.choose): a mouse click can scroll the sidebar, which
    # closes the list before it shows (the sectioned menu above the filters grew with new pages)
    choose(page, "f_program", "Core Platform")
    page.keyboard.press("Escape")
    # Core Platform: PRJ-105..108, PRJ-108 closed and left out -> 3; the toggle brings it in -> 4
    expect(kpi(page, "Projects")).to_have_text("3", timeout=TIMEOUT)
    wait_idle(page)
    page.locator(".st-key-f_include_closed label").first.click()
    expect(kpi(page, "Projects")).to_have_text("4", timeout=TIMEOUT)
    wait_idle(page)

    # 2. Gantt, Earned value: charts for the filtered projects
    for title in ("Gantt", "Earned value"):
        nav(page, title)
        page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=TIMEOUT)
        no_errors(page)

    # 3. Risk: a click on the heatmap cell P3 x I4 filters the register
    nav(page, "Risk")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.wait_for(timeout=TIMEOUT)
    expect(chart.locator("g.scatterlayer path.point")).to_have_count(25, timeout=TIMEOUT)
    click_plotly_point(page, chart, 13)  # one marker per cell in (probability, impact) order: (3-1)*5+(4-1)
    page.get_by_text(re.compile(r"^Showing the risks in P3 × I4")).wait_for(timeout=TIMEOUT)
    wait_idle(page)
    register = read_csv(download(page, page.locator(".st-key-dl_csv_risk_register button")))
    assert register, "the register for P3 x I4 is empty"
    # headers as the page shows them (schema labels)
    assert {(r["Probability (1-5)"], r["Impact (1-5)"]) for r in register} == {("3", "4")}, register
    assert {r["Project ID"] for r in register} <= {"PRJ-105", "PRJ-106", "PRJ-107", "PRJ-108"}  # the filter holds
    no_errors(page)

    # 4. Resources
    nav(page, "Resources")
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=TIMEOUT)
    no_errors(page)

    # 5. the Excel report for the filtered portfolio, checked with openpyxl
    nav(page, "Export")
    page.locator(".st-key-export_build button").click()
    button = page.locator(".st-key-export_download button")
    button.wait_for(timeout=TIMEOUT)
    wait_idle(page)
    wb = openpyxl.load_workbook(io.BytesIO(download(page, button)))
    assert wb.sheetnames[0] == "Summary" and "Projects" in wb.sheetnames, wb.sheetnames
    ids = [wb["Projects"].cell(row=r, column=1).value for r in range(5, wb["Projects"].max_row + 1)]
    assert ids == ["PRJ-105", "PRJ-106", "PRJ-107", "PRJ-108"], ids
    assert "Program: Core Platform" in [c.value for c in wb["Summary"]["A"]]

    # 6. 简体中文
    choose_language(page, "zh")
    expect(page.locator("h1").first).to_have_text("导出", timeout=TIMEOUT)
    nav(page, "项目组合")
    expect(kpi(page, "项目数")).to_have_text("4", timeout=TIMEOUT)
    assert page.get_by_text("项目群").count() >= 1  # the sidebar filter label
    no_errors(page)
