"""Two app servers on one PostgreSQL (issue 16 item 8): the demo copied into a fresh database
(``copy-store``), two ``streamlit run serve.py`` servers on it, Chromium on each. An import
through one server is seen on the other; two imports started at the same time through both
servers both land (the store's advisory write lock makes them take turns), and both servers
list the same import history."""

from __future__ import annotations

import re
import shutil

from playwright.sync_api import expect

from pmo_analytics.cli import main
from pmo_analytics.store import Store, close_all
from tests.e2e.conftest import wait_idle
from tests.e2e.test_journeys import choose_status_date, download, kpi, nav, no_errors, read_csv, upload
from tests.helpers import template_bytes
from tools import server as server_helper

DATA = __import__("pathlib").Path(__file__).resolve().parents[1] / "data"
TIMEOUT = 120_000


def _load(page, file_name: str, digits: str) -> None:
    """Upload ``file_name`` (already chosen) up to its Load button, with its status date."""
    page.get_by_role("heading", name=file_name).wait_for(timeout=TIMEOUT)
    wait_idle(page)
    choose_status_date(page, file_name, digits)


def test_two_servers_share_one_postgresql(demo_db, pg_url, browser, tmp_path):
    source = tmp_path / "demo.duckdb"  # a copy: the shared e2e server holds demo_db open (one process a file)
    shutil.copyfile(demo_db, source)
    assert main(["copy-store", "--from", str(source), "--to", pg_url]) == 0
    close_all()
    a_log, b_log = tmp_path / "a.log", tmp_path / "b.log"
    with (
        server_helper.app_server(pg_url, streamlit_run=True, log=a_log) as a,
        server_helper.app_server(pg_url, streamlit_run=True, log=b_log) as b,
    ):
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        pa, pb = ctx.new_page(), ctx.new_page()
        try:
            for page, srv in ((pa, a), (pb, b)):
                page.goto(srv.url)
                wait_idle(page, TIMEOUT)
                expect(kpi(page, "Projects")).to_have_text("11", timeout=TIMEOUT)  # 12 demo projects, 1 closed

            # 1. an import through server A ...
            nav(pa, "Import")
            upload(pa, str(DATA / "msproject_task_table.xlsx"))
            _load(pa, "msproject_task_table.xlsx", "20261130")
            pa.get_by_role("button", name=re.compile(r"^Load \d+ valid rows$")).click()
            pa.get_by_text(re.compile(r"msproject_task_table\.xlsx: import #5 ")).wait_for(timeout=TIMEOUT)
            no_errors(pa)
            # ... is on server B at its next page run (the same count as the journey on one server)
            nav(pb, "Portfolio")
            expect(kpi(pb, "Projects")).to_have_text("12", timeout=TIMEOUT)
            no_errors(pb)

            # 2. two imports started together, one through each server: both land
            nav(pb, "Import")
            upload(
                pa,
                [
                    {
                        "name": "template_p1_p2.xlsx",
                        "mimeType": "application/octet-stream",
                        "buffer": template_bytes(),
                    }
                ],
            )
            upload(pb, str(DATA / "jira_cloud_all_fields.csv"))
            _load(pa, "template_p1_p2.xlsx", "20250131")
            _load(pb, "jira_cloud_all_fields.csv", "20261130")
            load_a = pa.get_by_role("button", name=re.compile(r"^Load \d+ valid rows$"))
            load_b = pb.get_by_role("button", name=re.compile(r"^Load \d+ valid rows$"))
            load_a.click(no_wait_after=True)
            load_b.click(no_wait_after=True)
            pa.get_by_text(re.compile(r"template_p1_p2\.xlsx: import #[67] ")).wait_for(timeout=TIMEOUT)
            pb.get_by_text(re.compile(r"jira_cloud_all_fields\.csv: import #[67] ")).wait_for(timeout=TIMEOUT)
            for page in (pa, pb):
                wait_idle(page, TIMEOUT)
                no_errors(page)

            # both servers list the same seven imports (4 demo + 3), none lost
            histories = []
            for page in (pa, pb):
                nav(page, "Portfolio")
                nav(page, "Import")
                histories.append(read_csv(download(page, page.locator(".st-key-dl_csv_imports button"))))
            assert len(histories[0]) == len(histories[1]) == 7, histories
            assert histories[0] == histories[1]
        finally:
            ctx.close()
    imports = Store(pg_url).imports()
    close_all()
    assert sorted(imports["import_id"].tolist()) == [1, 2, 3, 4, 5, 6, 7]
    assert {"msproject_task_table.xlsx", "template_p1_p2.xlsx", "jira_cloud_all_fields.csv"} <= set(
        imports["source_name"]
    )
    assert imports["withdrawn_at"].isna().all()
    for log in (a_log, b_log):
        assert "Traceback" not in log.read_text(errors="replace"), log.read_text(errors="replace")[-3000:]
