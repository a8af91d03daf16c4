"""Small builders for test files (fixtures built in code, deterministic)."""

from __future__ import annotations

import io
from datetime import date
from functools import cache

import openpyxl


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An xlsx with the given sheets (first row of each = headers)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


PROJECTS = [
    ["Project ID", "Project name", "Program", "Manager", "Department", "Budget", "Status"],
    ["P1", "Alpha", "Digital", "Ann", "IT", 1000, "Active"],
    ["P2", "Beta", "Core", "Bob", "Finance", 2000, "Active"],
]

# Two tasks per project. Baselines span whole Mon-Fri weeks so PV is easy to count by hand.
TASKS = [
    [
        "Project ID",
        "Task ID",
        "Task name",
        "Start",
        "Finish",
        "Baseline start",
        "Baseline finish",
        "% Complete",
        "Budget",
        "Actual cost",
    ],
    ["P1", "1", "Design", date(2025, 1, 6), date(2025, 1, 17), date(2025, 1, 6), date(2025, 1, 17), 1.0, 400, 500],
    ["P1", "2", "Build", date(2025, 1, 20), date(2025, 1, 31), date(2025, 1, 20), date(2025, 1, 31), 0.5, 600, 200],
    ["P2", "1", "Plan", date(2025, 1, 6), date(2025, 1, 10), date(2025, 1, 6), date(2025, 1, 10), 1.0, 2000, 1800],
]


@cache
def template_bytes() -> bytes:
    """The same bytes on every call (openpyxl stamps the save time into the file)."""
    return workbook_bytes({"Projects": PROJECTS, "Tasks": TASKS})


def plain(df):
    """A table as ``ui.table`` shows it, read back as values: project ids without their link to
    the project page (``project?id=PRJ-104&lang=en`` -> ``PRJ-104``), RAG cells without their shape
    (``● Red`` -> ``Red``). Numbers and dates are untouched."""
    import re
    from urllib.parse import unquote

    import pandas as pd

    out = df.copy()
    link, lang, shape = re.compile(r"^project\?id="), re.compile(r"&lang=\w+$"), re.compile(r"^[●▲■] ")
    for c in out.columns:
        col = out[c]
        if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col):
            continue
        out[c] = [
            unquote(lang.sub("", link.sub("", v)))
            if isinstance(v, str) and link.match(v)
            else shape.sub("", v)
            if isinstance(v, str)
            else v
            for v in col.tolist()
        ]
    return out


def keep_instances(monkeypatch, target: str, base: type) -> list:
    """Replace the class at ``target`` (one AppTest makes afresh per run, such as its media file
    manager or storage) by a subclass that records every instance, so a test can still reach
    them after the run (they hold the downloads); the list they are recorded in."""
    made: list = []

    class Kept(base):  # type: ignore[valid-type, misc]
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            made.append(self)

    monkeypatch.setattr(target, Kept)
    return made
