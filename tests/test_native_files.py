"""Native schedule files through MPXJ (formats/mpxj_file.py) and time as the tools keep it.

Real files from ../shared/samples (skipped cleanly when absent, or when Java/MPXJ is not
installed); hand-made bytes for detection and the no-Java message."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pmo_analytics import importing
from pmo_analytics.errors import FormatError, IngestError
from pmo_analytics.ingest import jvm
from pmo_analytics.ingest.readers import read_upload, sniff_kind
from pmo_analytics.metrics.cpm import cpm
from tests.conftest import SHARED, shared_file

SAMPLES = SHARED / "samples"
NATIVE = [
    "mpxj__legacy_sample.mpp",
    "mpxj__generated_task-links_task-links-project2019-mpp14.mpp",
    "mpxj__generated_task-durations_task-durations-project2010-mpp14.mpp",
    "mpxj__generated_calendar-calendars_calendar-calendars-project2019-mpp14.mpp",
    "mpxj__PredecessorCalendar.xer",
    "mpxj__generated_task-baselines_task-baselines-project2013-mpp14.mpp",
]
MSPDI = ["mpxj__junit_data_legacy_sample.xml", "mpxj__junit_data_mspdirelations.xml", "mpxj__junit_data_baselines.xml"]

needs_java = pytest.mark.skipif(not jvm.java_status().ok, reason="Java or the mpxj package is not installed")


@pytest.fixture(scope="module")
def parsed() -> dict:
    """Every sample parsed once, as the Import page parses it (isolated child; MPXJ for native)."""
    out = {}
    for name in NATIVE + MSPDI:
        p = SAMPLES / name
        if p.exists() and (name.endswith(".xml") or jvm.java_status().ok):
            out[name] = importing.parse_upload(name, p.read_bytes())
    return out


def _get(parsed: dict, name: str):
    shared_file("samples", name)
    if name not in parsed:
        pytest.skip("Java or the mpxj package is not installed")
    return parsed[name]


# ----------------------------------------------------------------------------- detection


def test_native_files_are_recognised_by_their_bytes_and_an_old_xls_is_still_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    assert sniff_kind("plan.mpp", ole) == "native"  # MS Project's OLE container, by name
    marked = ole + "Microsoft Project".encode("utf-16-le")
    assert sniff_kind("plan.bin", marked) == "native"  # ... or by its stream marker
    assert sniff_kind("p6.txt", b"ERMHDR\t8.2.0\t2020-03-17\n") == "native"  # a P6 XER export
    assert sniff_kind("old.mpx", b"MPX,Microsoft Project for Windows,4.0,ANSI\r\n") == "native"
    with pytest.raises(FormatError) as exc:
        read_upload("book.xls", ole)
    assert exc.value.key == "xlsx.old_xls"


def test_p6_xml_goes_to_mpxj_and_ms_project_xml_stays_on_its_own_reader():
    from pmo_analytics.ingest import detect

    p6 = b'<?xml version="1.0"?><APIBusinessObjects xmlns="http://xmlns.oracle.com/Primavera/P6/V8.3/API/BusinessObjects"><Project/></APIBusinessObjects>'
    assert detect(read_upload("p6.xml", p6))[0] == "mpxj"
    mspdi = b'<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project"><Tasks/></Project>'
    assert detect(read_upload("plan.xml", mspdi))[0] == "msproject_xml"
    assert {"mpp", "xer", "mpx", "pmxml"} <= set(importing.UPLOAD_TYPES)


def test_without_java_the_file_is_refused_naming_what_to_install(monkeypatch):
    monkeypatch.setattr(jvm, "java_status", lambda: jvm.JavaStatus(False, "java"))
    monkeypatch.setenv(jvm.CHILD_ENV, "4096")  # as inside the parse child
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    with pytest.raises(IngestError) as exc:
        importing.parse_upload("plan.mpp", ole, isolated=False)
    assert exc.value.key == "native.no_java"
    assert "default-jre-headless" in exc.value.hint and "MS Project .mpp" in exc.value.message
    assert importing.native_files_readable() == (False, "native.no_java")


def test_the_jvm_never_starts_outside_the_parse_child(monkeypatch):
    monkeypatch.delenv(jvm.CHILD_ENV, raising=False)
    with pytest.raises(IngestError) as exc:
        jvm.start("plan.mpp")
    assert exc.value.key == "native.not_isolated"


def test_heap_fits_the_child_cap():
    # 4096 MiB cap - 1536 (Python runtime) - 512 (JVM non-heap) - 512 (frames) = 1536 MiB heap
    assert jvm.heap_mb(4096) == 1536
    assert jvm.jvm_options(4096)[0] == "-Xmx1536m"
    assert jvm.heap_mb(1024) == jvm.MIN_HEAP_MB


# ----------------------------------------------------------------------------- real files


@needs_java
def test_mpp_reads_as_its_mspdi_twin(parsed):
    mpp, xml = _get(parsed, "mpxj__legacy_sample.mpp"), _get(parsed, "mpxj__junit_data_legacy_sample.xml")
    cols = ["task_id", "name", "is_summary", "is_milestone", "start", "start_minute", "finish", "finish_minute"]
    cols += ["duration_minutes", "constraint_type", "total_float_days"]
    a = mpp.tables["tasks"][cols].sort_values("task_id").reset_index(drop=True)
    b = xml.tables["tasks"][cols].sort_values("task_id").reset_index(drop=True)
    both = a.merge(b, on="task_id", suffixes=("_mpp", "_xml"))
    assert len(both) == len(b) == 19  # every task of the XML is in the .mpp (which has 3 more)
    both = both[~both["is_summary_xml"]]  # the .mpp's summaries also roll up its 3 extra tasks
    assert len(both) == 16
    for c in cols[1:]:
        assert both[f"{c}_mpp"].tolist() == both[f"{c}_xml"].tolist(), c
    # Second Task: 100 days (PT800H) worked on the union of its resources' day and night calendars
    second = a.set_index("task_id").loc["2"]
    assert second["duration_minutes"] == 800 * 60 and second["finish"] == pd.Timestamp("2003-03-18")
    links = mpp.tables["links"].set_index("succ_task_id")
    assert links.loc["12", ["type", "lag_minutes", "lag_unit"]].tolist() == ["FS", 480.0, "d"]  # +1d lag
    assert links.loc["14", "lag_minutes"] == -480.0  # a 1-day lead
    assert links.loc["21", "type"] == "SF"
    cals = mpp.tables["calendars"].set_index("name")
    assert cals.loc["Night Shift", "weekdays"].startswith('{"1": [[1380, 1440]]')  # Monday 23:00-24:00
    assert set(mpp.tables["assignments"]["person"]) >= {"First Resource", "Second Resource"}


@needs_java
def test_xer_proposes_its_data_date_and_follows_p6_rules(parsed):
    xer = _get(parsed, "mpxj__PredecessorCalendar.xer")
    assert xer.proposed_status_date == date(2019, 10, 2) and xer.status_date_source == "native_status_date"
    proj = xer.tables["projects"].iloc[0]
    assert proj["schedule_tool"] == "p6" and proj["name"] == "TEST PROJECT"
    assert (xer.tables["tasks"]["duration_unit"] == "h").all()  # P6 keeps hours


@needs_java
def test_mpp_budget_is_the_earned_value_baseline(parsed):
    mpp = _get(parsed, "mpxj__generated_task-baselines_task-baselines-project2013-mpp14.mpp")
    t = mpp.tables["tasks"].set_index("name")
    # the generated file sets one baseline field per task, named after it: "Baseline Cost" = 1 on
    # the task of that name; "Baseline1 Cost" (another baseline) leaves the budget at 0
    assert t.loc["Baseline Cost - Task", "bac"] == 1.0
    assert t.loc["Baseline1 Cost - Task", "bac"] == 0.0
    assert "note.msp.no_baseline" not in [getattr(n, "key", "") for n in mpp.notes]


@needs_java
def test_mpp_with_many_calendars_keeps_them(parsed):
    mpp = _get(parsed, "mpxj__generated_calendar-calendars_calendar-calendars-project2019-mpp14.mpp")
    assert len(mpp.tables["calendars"]) == 6


def _our_cpm(p, tasks: pd.DataFrame) -> pd.DataFrame:
    return cpm(
        tasks, p.tables["links"], calendars=p.tables["calendars"], projects=p.tables["projects"], on_error="skip"
    )


@pytest.mark.parametrize("name", NATIVE + MSPDI)
def test_stored_slack_and_critical_are_not_inputs(parsed, name):
    """Blanking the float and critical flag the tool stored changes nothing in our CPM."""
    p = _get(parsed, name)
    tasks = p.tables["tasks"]
    blank = tasks.assign(total_float_days=float("nan"), is_critical=pd.NA)
    pd.testing.assert_frame_equal(_our_cpm(p, tasks), _our_cpm(p, blank))


def test_agreement_with_ms_project_on_the_shared_samples(parsed):
    """Total float within 0.5 day and the same critical flag as MS Project / P6 stored, over the
    incomplete non-summary tasks of every shared sample (bench/schedule_agreement.py's rule)."""
    from bench.schedule_agreement import compare

    if not parsed:
        pytest.skip("../shared is not beside this checkout")
    results = [compare(p) for p in parsed.values()]
    total = sum(r.tasks for r in results)
    agree = sum(r.agree for r in results)
    assert total >= 22  # the three MSPDI samples alone hold 22 such tasks
    assert agree / total >= 0.98, [(r.name, r.misses[:3]) for r in results if r.misses]


# ----------------------------------------------------------------------------- the corpus


def _corpus_rows() -> list[dict]:
    import csv
    import os
    from pathlib import Path

    folder = os.environ.get("PMO_CORPUS")
    if not folder:
        pytest.skip("PMO_CORPUS (a folder with MPXJ's junit/data files, bench/corpus.tsv) is not set")
    tsv = Path(__file__).resolve().parent.parent / "bench" / "corpus.tsv"
    with tsv.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for r in rows:
        r["file"] = Path(folder) / r["path"]
    return rows


def test_corpus_list_names_public_files_with_their_hashes():
    import hashlib

    rows = _corpus_rows()
    # 288 MS Project files with stored float + 6 Primavera (P6 XML, XER) files
    assert len(rows) == 294 and {r["repository"] for r in rows} == {"joniles/mpxj"}
    present = [r for r in rows if r["file"].exists()]
    assert present, "PMO_CORPUS holds none of the listed files"
    for r in present:
        assert hashlib.sha256(r["file"].read_bytes()).hexdigest() == r["sha256"], r["path"]


@needs_java
def test_p6_xml_from_the_corpus_is_read_as_primavera():
    rows = {r["path"]: r for r in _corpus_rows()}
    p = rows["junit/data/PredecessorCalendar.xml"]["file"]
    if not p.exists():
        pytest.skip("PredecessorCalendar.xml (P6 XML) is not in PMO_CORPUS")
    parsed = importing.parse_upload(p.name, p.read_bytes())
    assert parsed.source_format == "mpxj"
    assert parsed.tables["projects"]["schedule_tool"].tolist() == ["p6"]
    assert parsed.proposed_status_date == date(2021, 5, 17)  # the P6 data date
    assert len(parsed.tables["tasks"]) == 2


@needs_java
def test_split_tasks_from_the_corpus_keep_their_interruptions():
    """MS Project's splits9a.mpp (Project 2003 plan starting Fri 2006-01-06; finish Fri 01-27).
    Task 2: parts 01-06..01-11 and 01-13..01-20, one working day (Thu 01-12) between them;
    task 7: parts 01-06..01-09, 01-16..01-20, 01-25..01-27, interrupted Tue 01-10..Fri 01-13
    (4 days) and Mon 01-23..Tue 01-24 (2 days): 6 days = 2,880 minutes. Both are 10-day tasks:
    task 2 finishes 01-20 with 5 days of float, task 7 on 01-27 with none (as MS Project stored)."""
    from bench.schedule_agreement import compare

    rows = {r["path"]: r for r in _corpus_rows()}
    p = rows["junit/data/splits9a.mpp"]["file"]
    if not p.exists():
        pytest.skip("splits9a.mpp is not in PMO_CORPUS")
    parsed = importing.parse_upload(p.name, p.read_bytes())
    t = parsed.tables["tasks"].set_index("task_id")
    assert t.loc["2", "split_minutes"] == 480 and t.loc["7", "split_minutes"] == 2880
    assert pd.isna(t.loc["1", "split_minutes"])  # one part: not split
    ours = _our_cpm(parsed, parsed.tables["tasks"]).set_index("task_id")
    assert ours.loc["2", "total_float_days"] == pytest.approx(5.0) and not ours.loc["2", "critical"]
    assert ours.loc["7", "total_float_days"] == pytest.approx(0.0) and ours.loc["7", "critical"]
    assert compare(parsed).misses == []


def test_mspdi_splits_from_the_timephased_work_as_mpxj_reads_the_mpp():
    """mspdisplittask.xml (the MSPDI twin of mpp14splittask.mpp): Split Task 1 works Thu 09-21 to
    Tue 09-26 and Mon 10-02 to Mon 10-09 (no work Wed 27 - Fri 29: 3 days = 1,440 minutes);
    Split Task 2 stops Mon 09-25 to Wed 09-27 (Tue, Wed: 2 days), Wed 10-04 to Mon 10-09
    (Thu, Fri, Mon: 3 days): 2,400 minutes. Task 1 then finishes 10-09, 7 days before the
    project's 10-18 finish: the 7 days of slack MS Project stored."""
    from bench.schedule_agreement import compare

    rows = {r["path"]: r for r in _corpus_rows()}
    p = rows["junit/data/mspdisplittask.xml"]["file"]
    if not p.exists():
        pytest.skip("mspdisplittask.xml is not in PMO_CORPUS")
    parsed = importing.parse_upload(p.name, p.read_bytes())
    t = parsed.tables["tasks"].set_index("task_id")
    assert (t.loc["1", "split_minutes"], t.loc["2", "split_minutes"]) == (1440, 2400)
    ours = _our_cpm(parsed, parsed.tables["tasks"]).set_index("task_id")
    assert ours.loc["1", "total_float_days"] == pytest.approx(7.0)
    assert compare(parsed).misses == []


def test_the_schedule_reads_the_same_from_the_store(parsed, tmp_path):
    """Calendars, times and units survive the store (missing text comes back as NaN there)."""
    from pmo_analytics.store import Store, close_all

    p = _get(parsed, "mpxj__junit_data_legacy_sample.xml")
    s = Store(tmp_path / "s.duckdb")
    try:
        s.import_parsed(p, p.proposed_status_date)
        back = {t: s.table(t) for t in ("tasks", "links", "calendars", "projects")}
        ours = cpm(back["tasks"], back["links"], calendars=back["calendars"], projects=back["projects"])
    finally:
        close_all()
    direct = _our_cpm(p, p.tables["tasks"])
    cols = ["task_id", "early_start", "early_finish", "total_float_days", "critical"]
    a = ours[cols].sort_values("task_id").reset_index(drop=True)
    b = direct[cols].sort_values("task_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    # the project starts at 08:00 (MS Project's StartDate), not at midnight
    assert str(a.set_index("task_id").loc["2", "early_start"]) == "2003-01-07 08:00:00"
