"""CLI contract: python -m pmo_analytics import/metrics/imports/undo/backup/restore/template."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pmo_analytics.cli import main
from pmo_analytics.store import Store, close_all
from tests.helpers import PROJECTS, TASKS, template_bytes, workbook_bytes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "portfolio.xlsx"
    good.write_bytes(template_bytes())
    bad_rows = [r[:] for r in TASKS]
    bad_rows[1][3] = "not a date"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_bytes({"Projects": PROJECTS, "Tasks": bad_rows}))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    return good, bad, broken


def run(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pmo_analytics", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_import_prints_one_line_per_file_and_refuses_duplicates(files, tmp_path):
    good, _, _ = files
    db = str(tmp_path / "cli.duckdb")
    code, out, err = run("import", str(good), "--db", db, "--status-date", "2025-01-31")
    assert code == 0, err
    assert out.strip() == (
        "portfolio.xlsx: import #1 (template, status date 2025-01-31): 5 rows loaded into projects,tasks, 0 rejected of 5"
    )
    code, out, err = run("import", str(good), "--db", db, "--status-date", "2025-01-31")
    assert code == 1
    assert "error: portfolio.xlsx was already imported with status date 2025-01-31 (import #1" in err


def test_rejected_rows_are_reported_with_location(files, tmp_path):
    _, bad, _ = files
    db = tmp_path / "cli.duckdb"
    code, out, err = run("import", str(bad), "--db", str(db), "--status-date", "2025-01-31", "--strict")
    assert code == 1
    assert "error: file 'bad.xlsx', sheet 'Tasks', row 2, column 'Start' (value 'not a date'): expected a date" in err
    assert "nothing loaded (--strict)" in err
    assert Store(db).counts()["tasks"] == 0
    close_all()
    code, out, err = run("import", str(bad), "--db", str(db), "--status-date", "2025-01-31")
    assert code == 0 and "4 rows loaded into projects,tasks, 1 rejected of 5" in out


def test_unreadable_file_exits_1_and_leaves_db_unchanged(files, tmp_path):
    good, _, broken = files
    db = tmp_path / "cli.duckdb"
    assert main(["import", str(good), "--db", str(db), "--status-date", "2025-01-31"]) == 0
    before = Store(db).counts()
    close_all()
    code, out, err = run("import", str(broken), "--db", str(db))
    assert code == 1
    assert "error: file 'broken.xlsx': the workbook is damaged or truncated" in err
    assert Store(db).counts() == before
    close_all()


def test_metrics_json_contract(files, tmp_path):
    good, _, _ = files
    db = str(tmp_path / "cli.duckdb")
    assert main(["import", str(good), "--db", db, "--status-date", "2025-01-31"]) == 0
    code, out, err = run("metrics", "--db", db, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"portfolio", "projects", "closed_left_out"} and data["closed_left_out"] == []
    p1 = next(r for r in data["projects"] if r["project_id"] == "P1")
    assert p1["status_date"] == "2025-01-31"
    # P1 by hand: BAC 400 + 600 = 1000; EV = 400*1.0 + 600*0.5 = 700; AC = 500 + 200 = 700.
    # PV at 2025-01-31: both baselines (6-17 Jan, 20-31 Jan) are complete -> 1000.
    assert (p1["bac"], p1["ev"], p1["ac"], p1["pv"]) == (1000, 700, 700, 1000)
    assert p1["cpi"] == pytest.approx(1.0) and p1["spi"] == pytest.approx(0.7)
    for key in ("cv", "sv", "eac_cpi", "etc", "vac", "tcpi_bac", "spi_t", "es"):
        assert key in p1
    (port,) = data["portfolio"]
    # Portfolio: P1 + P2 (BAC 2000, EV 2000, AC 1800, PV 2000) summed first, then divided.
    assert port["ev"] == 2700 and port["ac"] == 2500
    assert port["cpi"] == pytest.approx(2700 / 2500)


def test_imports_undo_backup_restore(files, tmp_path):
    good, _, _ = files
    db = str(tmp_path / "cli.duckdb")
    assert main(["import", str(good), "--db", db, "--status-date", "2025-01-31"]) == 0
    code, out, _ = run("imports", "--db", db, "--json")
    assert [r["source_name"] for r in json.loads(out)] == ["portfolio.xlsx"]
    backup = tmp_path / "copy.duckdb"
    assert main(["backup", str(backup), "--db", db]) == 0
    assert main(["undo", "1", "--db", db]) == 0
    assert Store(db).counts()["tasks"] == 0
    close_all()
    assert main(["restore", str(backup), "--db", db]) == 1  # refuses to overwrite without --force
    assert main(["restore", str(backup), "--db", db, "--force"]) == 0
    assert Store(db).counts()["tasks"] == 3
    close_all()


def test_bad_arguments_exit_2():
    code, _, err = run("import", "x.csv", "--status-date", "31/01/2025")
    assert code == 2 and "expected a date as YYYY-MM-DD" in err


def test_schedule_and_dcma_json(tmp_path):
    # A (Mon 6 - Fri 10 Jan 2025) -> B (13-24 Jan, 10 days) and A -> C (13-15 Jan, 3 days), FS.
    # Project finish = B's finish (24 Jan). C may finish as late as 24 Jan: Thu 16, Fri 17,
    # Mon 20 .. Fri 24 = 7 working days of total float. A and B have none: critical.
    tasks = [
        ["Project ID", "Task ID", "Task name", "Start", "Finish", "Baseline start", "Baseline finish", "Resources"],
        ["P1", "A", "Design", "2025-01-06", "2025-01-10", "2025-01-06", "2025-01-10", "Ann"],
        ["P1", "B", "Build", "2025-01-13", "2025-01-24", "2025-01-13", "2025-01-24", "Bob"],
        ["P1", "C", "Docs", "2025-01-13", "2025-01-15", "2025-01-13", "2025-01-15", "Cy"],
    ]
    links = [["Project ID", "Predecessor", "Successor", "Type"], ["P1", "A", "B", "FS"], ["P1", "A", "C", "FS"]]
    f = tmp_path / "plan.xlsx"
    f.write_bytes(workbook_bytes({"Tasks": tasks, "Links": links}))
    db = str(tmp_path / "s.duckdb")
    assert main(["import", str(f), "--db", db, "--status-date", "2025-01-03"]) == 0
    code, out, err = run("schedule", "--db", db, "--json")
    assert code == 0, err
    rows = {r["task_id"]: r for r in json.loads(out)}
    assert {k: (r["total_float_days"], r["critical"]) for k, r in rows.items()} == {
        "A": (0, True),
        "B": (0, True),
        "C": (7, False),
    }
    assert rows["C"]["late_finish"] == "2025-01-24" and rows["C"]["early_finish"] == "2025-01-15"
    assert set(rows["A"]) >= {"project_id", "name", "early_start", "late_start", "free_float_days"}
    code, out, err = run("dcma", "--db", db, "--json")
    assert code == 0, err
    (proj,) = json.loads(out)
    assert proj["project_id"] == "P1" and len(proj["checks"]) == 14
    by_no = {c["check"]: c for c in proj["checks"]}
    assert by_no[4]["passed"] is True  # 2 of 2 links are finish-to-start
    assert {"check", "value", "threshold", "passed", "offending_tasks"} <= set(by_no[1])


def test_export_writes_the_portfolio_report_workbook(files, tmp_path):
    from openpyxl import load_workbook

    from pmo_analytics.report_workbook import report_sheet_names

    good, _, _ = files
    db = str(tmp_path / "cli.duckdb")
    assert main(["import", str(good), "--db", db, "--status-date", "2025-01-31"]) == 0
    out = tmp_path / "portfolio.xlsx"
    code, stdout, err = run("export", "--db", db, "--out", str(out), "--lang", "zh")
    assert code == 0, err
    assert stdout.startswith(f"wrote {out} (")
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames[0] == report_sheet_names("zh")[0]
    assert set(wb.sheetnames) <= set(report_sheet_names("zh"))
    code, _, err = run("export", "--db", db, "--out", str(tmp_path / "portfolio.csv"))
    assert code == 1 and "the portfolio workbook is written as .xlsx" in err
    code, _, err = run("export", "--db", db, "--out", str(tmp_path / "portfolio.csv"), "--lang", "zh")
    assert code == 1 and "组合工作簿只能写成 .xlsx" in err and "请选择 .xlsx 文件。" in err


def test_import_refuses_a_file_over_the_upload_limit(tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(
        b"Issue key,Summary\n" + b"X-1,aaaaaaaaaa\n" * 80_000
    )  # 18 + 14 * 80,000 = 1,120,018 bytes = 1.07 MiB
    db = tmp_path / "cli.duckdb"
    proc = subprocess.run(
        [sys.executable, "-m", "pmo_analytics", "import", str(big), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PMO_MAX_UPLOAD_MB": "1"},
    )
    assert proc.returncode == 1
    assert "error: file 'big.csv': 1.1 MB is over the upload limit of 1 MB" in proc.stderr
    assert not db.exists() or Store(db).counts()["work_items"] == 0
    close_all()


def test_restore_keeps_the_replaced_file(files, tmp_path):
    good, _, _ = files
    db = tmp_path / "cli.duckdb"
    empty = tmp_path / "empty.duckdb"
    Store(empty).counts()
    close_all()
    assert main(["import", str(good), "--db", str(db), "--status-date", "2025-01-31"]) == 0
    assert main(["restore", str(empty), "--db", str(db), "--force"]) == 0
    assert Store(db).counts()["tasks"] == 0
    assert Store(tmp_path / "cli.duckdb.before-restore").counts()["tasks"] == 3
    close_all()


def test_schedule_json_keeps_other_projects_when_one_has_a_loop(tmp_path):
    # P1 has the loop 1 -> 2 -> 1; P2 is one 5-day task (Mon 6 - Fri 10 Jan 2025), critical.
    tasks = [
        ["Project ID", "Task ID", "Task name", "Start", "Finish"],
        ["P1", "1", "A", "2025-01-06", "2025-01-10"],
        ["P1", "2", "B", "2025-01-13", "2025-01-17"],
        ["P2", "1", "Only", "2025-01-06", "2025-01-10"],
    ]
    links = [["Project ID", "Predecessor", "Successor", "Type"], ["P1", "1", "2", "FS"], ["P1", "2", "1", "FS"]]
    f = tmp_path / "loop.xlsx"
    f.write_bytes(workbook_bytes({"Tasks": tasks, "Links": links}))
    db = str(tmp_path / "loop.duckdb")
    assert main(["import", str(f), "--db", db, "--status-date", "2025-01-06"]) == 0
    close_all()
    code, out, err = run("schedule", "--db", db, "--json")
    assert code == 1
    assert "error: project P1: Project 'P1': the task links form a loop" in err and "2 (B) -> 1 (A) -> 2 (B)" in err
    records = json.loads(out)
    assert [(r["project_id"], r["task_id"], r["critical"]) for r in records] == [("P2", "1", True)]
    assert (records[0]["early_start"], records[0]["early_finish"]) == ("2025-01-06", "2025-01-10")
