"""A small portfolio for the weekly deck, imported into a store through the import path.

Status dates P = 2025-01-31 and D = 2025-02-28; monthly earned value (cumulative PV, EV, AC
per period end, the EVMPeriods sheet) so every number is worked out by hand:

    A  Alpha    BAC  400: Jan PV 100 EV  90 AC 100 | Feb PV 200 EV 160 AC 200 | Mar PV 300 | Apr PV 400
    B  Beta     BAC 1000: Jan PV 250 EV 250 AC 250 | Feb PV 500 EV 450 AC 500 | Mar PV 750 | Apr PV 1000
    C  Gamma    BAC  100: Jan PV  50 EV  50 AC  50 | Feb PV 100 EV 100 AC 100
    D  (HOSTILE) BAC 200: Jan PV 100 EV  70 AC 100 | Feb PV 200 EV 140 AC 200 | Mar PV 200

At D: CPI = EV/AC, SPI(t) = ES/AT with AT = 2 months:
    A  CPI 160/200 = 0.80 (red < 0.85); ES = 1 + (160-100)/(200-100) = 1.6, SPI(t) 0.80 (red)
    B  CPI 450/500 = 0.90 (amber);       ES = 1 + (450-250)/(500-250) = 1.8, SPI(t) 0.90 (amber)
    C  CPI 100/100 = 1.00 (green);       ES = 2, SPI(t) 1.00 (green)
    D  CPI 140/200 = 0.70 (red);         ES = 1 + (140-100)/(200-100) = 1.4, SPI(t) 0.70 (red)
Red: A, D; amber: B; green: C. Attention order: red before amber; A and D are both red on two
parts (cost, schedule); the lower index first: D (0.70) before A (0.80); then B.

Milestones of A: "Build complete" 2025-02-14 at P, forecast 2025-03-07 at D: not done, later
than at P: slipped, moved 21 days (14 Feb -> 7 Mar). "Go-live" 2025-04-30 both times.
Risks at D: A "Vendor late" 0.5 x 10 = 5 (1.25 % of BAC, green); D HOSTILE_RISK 0.2 x 50 = 10
(5 % of BAC: green, not above 5 %). Notes at D: A "Vendor escalated", D HOSTILE_NOTE.
Currency: none given, the default CNY.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from pmo_analytics.ingest import parse_bytes

P, D = date(2025, 1, 31), date(2025, 2, 28)
HOSTILE = '=HYPERLINK("http://evil.example","x") <b>*bold*</b> {PAGE}'
HOSTILE_RISK = "+cmd|' /C calc'!A0 <script>"
HOSTILE_NOTE = "@SUM(1) [link](http://evil.example) &amp; <i>"

PERIODS = {
    "A": [("2025-01-31", 100, 90, 100), ("2025-02-28", 200, 160, 200), ("2025-03-31", 300, None, None),
          ("2025-04-30", 400, None, None)],
    "B": [("2025-01-31", 250, 250, 250), ("2025-02-28", 500, 450, 500), ("2025-03-31", 750, None, None),
          ("2025-04-30", 1000, None, None)],
    "C": [("2025-01-31", 50, 50, 50), ("2025-02-28", 100, 100, 100)],
    "D": [("2025-01-31", 100, 70, 100), ("2025-02-28", 200, 140, 200), ("2025-03-31", 200, None, None)],
}  # fmt: skip
BAC = {"A": 400, "B": 1000, "C": 100, "D": 200}
NAMES = {"A": "Alpha", "B": "Beta", "C": "Gamma", "D": HOSTILE}


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An xlsx of ``sheets`` whose text cells are text, also when they start with = (openpyxl
    would write a formula)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c, value=v)
                if isinstance(v, str):
                    cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def snapshot_bytes(sd: date) -> bytes:
    """The fixture's workbook at status date ``sd`` (values known then)."""
    projects = [["Project ID", "Project name", "Portfolio", "Manager", "BAC", "Status"]]
    for pid in BAC:
        projects.append([pid, NAMES[pid], "Fixture", "Ann", BAC[pid], "Active"])
    periods = [["Project ID", "Period end", "PV", "EV", "AC"]]
    for pid, rows in PERIODS.items():
        for end, pv, ev, ac in rows:
            known = date.fromisoformat(end) <= sd
            periods.append([pid, date.fromisoformat(end), pv, ev if known else None, ac if known else None])
    late = sd == D
    tasks = [
        ["Project ID", "Task ID", "Task", "Milestone", "Start", "Finish", "Baseline start", "Baseline finish",
         "% complete"],
        ["A", "M1", "Build complete", True, date(2025, 3, 7) if late else date(2025, 2, 14),
         date(2025, 3, 7) if late else date(2025, 2, 14), date(2025, 2, 14), date(2025, 2, 14), 0.0],
        ["A", "M2", "Go-live", True, date(2025, 4, 30), date(2025, 4, 30), date(2025, 4, 30), date(2025, 4, 30), 0.0],
    ]  # fmt: skip
    sheets = {"Projects": projects, "EVMPeriods": periods, "Tasks": tasks}
    if late:
        sheets["Risks"] = [
            ["Project ID", "Risk ID", "Risk", "Probability", "Impact (cost)", "Probability (1-5)", "Impact (1-5)",
             "Owner", "Status"],
            ["A", "R1", "Vendor late", 0.5, 10, 3, 2, "Ann", "Open"],
            ["D", "R9", HOSTILE_RISK, 0.2, 50, 2, 3, "Dan", "Open"],
        ]  # fmt: skip
    return workbook_bytes(sheets)


def build_store(store) -> None:
    """Import both snapshots into ``store`` and save the notes at D."""
    for sd in (P, D):
        store.import_parsed(parse_bytes(f"fixture_{sd.isoformat()}.xlsx", snapshot_bytes(sd)), sd)
    store.save_note("A", D, "Vendor escalated", "Ann")
    store.save_note("D", D, HOSTILE_NOTE, "Dan")
