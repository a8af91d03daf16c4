"""Bounded memory for large uploads (issue 15 item 9): a file whose estimated import memory
exceeds the budget is refused before it is read, with a clear message (library, CLI, Import
page, both languages); large imports queue one at a time and are told so; compact text columns
for big tables load the same rows; the raw read does not send the bytes back."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pmo_analytics import importing, memory
from pmo_analytics.cli import main
from pmo_analytics.errors import FileTooLargeError
from pmo_analytics.ingest import safety
from pmo_analytics.store import close_all

ROOT = Path(__file__).resolve().parent.parent
CSV = (
    "Project ID,Task ID,Task name,Start,Finish,Budget\n"
    + "".join(f"P{i % 3},T{i},Task {i},2025-01-0{1 + i % 9},2025-02-0{1 + i % 9},{100 + i}\n" for i in range(40))
).encode()


def test_over_budget_is_refused_with_the_numbers(monkeypatch):
    monkeypatch.setenv("PMO_IMPORT_MEMORY_MB", "1536")
    with pytest.raises(FileTooLargeError) as err:
        memory.check_budget("plan.csv", 200 * 2**20)
    # 150 + 10.5 x 200 = 2,250 MiB needed; fits: (1536 - 150) / 10.5 = 132 MB
    assert str(err.value) == (
        "file 'plan.csv': this 200 MB file would need about 2,250 MiB of memory to import, more than one import may take on this "
        "server (1,536 MiB); the largest CSV file that fits is about 132 MB Split it into smaller files (by project "
        "or period), or ask the administrator to raise PMO_IMPORT_MEMORY_MB on a server with more memory."
    )
    assert err.value.render("zh").startswith(
        "文件“plan.csv”：此 200 MB 的文件导入时约需 2,250 MiB 内存，超过本服务器单次导入的上限（1,536 MiB）；可导入的 CSV 文件最大约 132 MB"
    )
    memory.check_budget("plan.csv", 132 * 2**20)  # 150 + 10.5 x 132 = 1,536: fits
    memory.check_budget("plan.json", 200 * 2**20)  # no measured factor: the parse child's own limit applies
    monkeypatch.setenv("PMO_IMPORT_MEMORY_MB", "0")
    memory.check_budget("plan.csv", 10 * 2**30)  # 0 = no budget


def test_parse_upload_refuses_before_reading(monkeypatch):
    monkeypatch.setenv("PMO_IMPORT_MEMORY_MB", "150")  # below the base: every measured kind is refused

    def never(*a, **k):
        raise AssertionError("the file was read")

    monkeypatch.setattr(safety, "parse_isolated", never)
    monkeypatch.setattr(safety, "read_isolated", never)
    with pytest.raises(FileTooLargeError, match="file 'plan.csv': this 0 MB file would need about 150 MiB"):
        importing.parse_upload("plan.csv", CSV)
    with pytest.raises(FileTooLargeError):
        importing.read_upload("plan.csv", CSV)


def test_cli_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PMO_IMPORT_MEMORY_MB", "150")
    f = tmp_path / "plan_2025-01-31.csv"
    f.write_bytes(CSV)
    assert main(["import", str(f), "--db", str(tmp_path / "m.duckdb")]) == 1
    assert (
        "error: file 'plan_2025-01-31.csv': this 0 MB file would need about 150 MiB of memory to import"
        in capsys.readouterr().err
    )
    close_all()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_import_page_shows_the_refusal(app_db, monkeypatch, lang):
    monkeypatch.setenv("PMO_IMPORT_MEMORY_MB", "150")
    at = AppTest.from_file(str(ROOT / "pages" / "20_import.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    at.file_uploader[0].set_value(("plan.csv", CSV, "text/csv")).run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    wanted = "would need about 150 MiB of memory" if lang == "en" else "导入时约需 150 MiB 内存"
    assert wanted in errors, errors
    assert not at.date_input  # nothing parsed, nothing to load


def test_large_imports_queue_one_at_a_time_and_are_told(monkeypatch):
    monkeypatch.setenv("PMO_LARGE_IMPORT_MB", "0.001")  # 1 KiB: this small CSV counts as large
    held, waited, done = threading.Event(), [], {}

    def first():
        with memory.large_import_slot(len(CSV)) as took:
            assert took
            held.set()
            assert release.wait(60)

    release = threading.Event()
    t1 = threading.Thread(target=first)
    t1.start()
    assert held.wait(60) and memory.slot_busy()

    def told():  # called before the second import waits: the page shows memory.queued here
        waited.append(True)
        release.set()

    t2 = threading.Thread(target=lambda: done.setdefault("p", importing.parse_upload("plan.csv", CSV, on_wait=told)))
    t2.start()
    t1.join(60)
    t2.join(120)
    assert waited == [True] and done["p"].rows_loaded == 40
    assert not memory.slot_busy()
    # a small file never waits
    monkeypatch.setenv("PMO_LARGE_IMPORT_MB", "20")
    with memory.large_import_slot(len(CSV)) as took:
        assert took is False


def test_compact_text_columns_load_the_same_rows(store, monkeypatch):
    plain = importing.parse_upload("plan.csv", CSV)
    monkeypatch.setattr(safety, "COMPACT_ROWS", 2)  # every table "big"
    compact = importing.parse_upload("plan.csv", CSV)
    assert str(compact.tables["tasks"]["name"].dtype) != "object" and plain.tables["tasks"]["name"].dtype == object
    assert compact.tables["tasks"]["name"].tolist() == plain.tables["tasks"]["name"].tolist()
    assert [c.code for c in importing.check_import(store, compact, date(2025, 1, 31))] == []
    importing.load(store, compact, date(2025, 1, 31))
    stored = store.table("tasks").sort_values("task_id", key=lambda s: s.str[1:].astype(int))
    assert stored["name"].tolist() == [f"Task {i}" for i in range(40)]
    assert stored["project_id"].tolist()[:4] == ["P0", "P1", "P2", "P0"]


def test_the_raw_read_does_not_send_the_bytes_back():
    raw = importing.read_upload("plan.csv", CSV)
    assert raw.data == b"" and raw.sha256 == importing.parse_upload("plan.csv", CSV).sha256
    assert raw.sheets[""].headers[:2] == ["Project ID", "Task ID"]
