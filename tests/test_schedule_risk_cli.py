"""``python -m pmo_analytics schedule-risk --json``: the keys, and known answers on a small plan
imported from a workbook with three-point estimates and a risk register naming tasks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pmo_analytics.cli import main
from tests.helpers import workbook_bytes

ROOT = Path(__file__).resolve().parent.parent

# A (Mon 6 - Fri 10 Jan 2025) -> B (13-24 Jan, 10 days) and A -> C (13-15 Jan, 3 days), FS.
# Every estimate equal to the plan, bands zero: every iteration is the CPM plan, finish 24 Jan.
TASKS = [
    ["Project ID", "Task ID", "Task name", "Start", "Finish", "Baseline finish", "Optimistic duration",
     "Most likely duration", "Pessimistic duration"],
    ["P1", "A", "Design", "2025-01-06", "2025-01-10", "2025-01-10", 5, 5, 5],
    ["P1", "B", "Build", "2025-01-13", "2025-01-24", "2025-01-24", 10, 10, 10],
    ["P1", "C", "Docs", "2025-01-13", "2025-01-15", "2025-01-15", 3, 3, 3],
]  # fmt: skip
LINKS = [["Project ID", "Predecessor", "Successor", "Type"], ["P1", "A", "B", "FS"], ["P1", "A", "C", "FS"]]
PROJECTS = [["Project ID", "Project name", "BAC", "Baseline finish"], ["P1", "Plan", 10000, "2025-01-24"]]


def run(*args: str, env: dict | None = None) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pmo_analytics", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )
    return proc.returncode, proc.stdout, proc.stderr


ZERO = {"PMO_RISK_BAND_LOW": "0", "PMO_RISK_BAND_HIGH": "0"}


def test_schedule_risk_json_keys_and_known_answers(tmp_path):
    f = tmp_path / "plan.xlsx"
    f.write_bytes(workbook_bytes({"Projects": PROJECTS, "Tasks": TASKS, "Links": LINKS}))
    db = str(tmp_path / "s.duckdb")
    assert main(["import", str(f), "--db", db, "--status-date", "2025-01-03"]) == 0
    code, out, err = run("schedule-risk", "--db", db, "--json", "--iterations", "200", env=ZERO)
    assert code == 0, err
    r = json.loads(out)
    assert {"p50", "p80", "p90", "prob_on_time", "tasks", "milestones", "cost", "seed", "iterations"} <= set(r)
    assert r["iterations"] == 200
    assert r["p50"] == r["p80"] == r["p90"] == r["cpm_finish"] == "2025-01-24"
    assert r["prob_on_time"] == 1.0
    ci = {t["task_id"]: t["criticality_index"] for t in r["tasks"]}
    assert ci == {"A": 1.0, "B": 1.0, "C": 0.0}
    assert {t["estimate"] for t in r["tasks"]} == {"three_point"}


def test_a_certain_risk_on_the_short_path_moves_the_finish(tmp_path):
    # C (3 days from Mon 13 Jan) delayed 8 working days by a certain threat: 11 days, Mon 13 Jan
    # .. Mon 27 Jan (13-17, 20-24, 27). C becomes the critical path; B gets 1 day of float.
    risks = [
        ["Project ID", "Risk ID", "Risk", "Probability", "Impact cost", "Status", "Affected tasks",
         "Schedule impact (days)"],
        ["P1", "R1", "Translator unavailable", "100%", 2000, "Open", "C", 8],
    ]  # fmt: skip
    f = tmp_path / "plan.xlsx"
    f.write_bytes(workbook_bytes({"Projects": PROJECTS, "Tasks": TASKS, "Links": LINKS, "Risks": risks}))
    db = str(tmp_path / "s.duckdb")
    assert main(["import", str(f), "--db", db, "--status-date", "2025-01-03"]) == 0
    code, out, err = run("schedule-risk", "--db", db, "--json", "--project", "P1", "--iterations", "100", env=ZERO)
    assert code == 0, err
    r = json.loads(out)
    assert r["p50"] == r["p90"] == "2025-01-27"
    assert r["prob_on_time"] == 0.0
    ci = {t["task_id"]: t["criticality_index"] for t in r["tasks"]}
    assert ci == {"A": 1.0, "B": 0.0, "C": 1.0}
    # cost: BAC 10,000 over the 15 working days Jan 6-24 = 666.67/day; +1 day and the 2,000 impact
    assert abs(r["cost"]["eac_p80"] - (10000 + 10000 / 15 + 2000)) < 0.01


def test_schedule_risk_text_and_bad_iterations(tmp_path):
    f = tmp_path / "plan.xlsx"
    f.write_bytes(workbook_bytes({"Projects": PROJECTS, "Tasks": TASKS, "Links": LINKS}))
    db = str(tmp_path / "s.duckdb")
    assert main(["import", str(f), "--db", db, "--status-date", "2025-01-03"]) == 0
    code, out, err = run("schedule-risk", "--db", db, "--iterations", "0")
    assert code == 2 and "iterations" in err
    code, out, err = run("schedule-risk", "--db", db, "--iterations", "50")
    assert code == 0, err
    assert "P1" in out and "p80" in out
