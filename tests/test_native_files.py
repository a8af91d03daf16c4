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


def _corpus_parsed(path: str):
    """The corpus file ``path`` (as listed in bench/corpus.tsv) parsed as the Import page parses
    it; the test is skipped when PMO_CORPUS is not set or does not hold the file."""
    rows = {r["path"]: r for r in _corpus_rows()}
    p = rows[path]["file"]
    if not p.exists():
        pytest.skip(f"{path} is not in PMO_CORPUS")
    return importing.parse_upload(p.name, p.read_bytes())


def test_corpus_list_names_public_files_with_their_hashes():
    import hashlib

    rows = _corpus_rows()
    # 288 MS Project files with stored float + 6 Primavera (P6 XML, XER) files of MPXJ's tests, and
    # one real P6 schedule (PyP6Xer's SP10 sample: 3,466 unfinished activities with stored float)
    assert len(rows) == 295 and {r["repository"] for r in rows} == {"joniles/mpxj", "HassanEmam/PyP6Xer"}
    present = [r for r in rows if r["file"].exists()]
    assert present, "PMO_CORPUS holds none of the listed files"
    for r in present:
        assert hashlib.sha256(r["file"].read_bytes()).hexdigest() == r["sha256"], r["path"]


@needs_java
def test_p6_xml_from_the_corpus_is_read_as_primavera():
    parsed = _corpus_parsed("junit/data/PredecessorCalendar.xml")
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

    parsed = _corpus_parsed("junit/data/splits9a.mpp")
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

    parsed = _corpus_parsed("junit/data/mspdisplittask.xml")
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


# ----------------------------------------------------------------------------- placeholders


MSPDI_MANUAL = """<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <Name>manual.xml</Name><StartDate>2024-01-08T08:00:00</StartDate><MinutesPerDay>480</MinutesPerDay>
  <Tasks>
    <Task><UID>1</UID><ID>1</ID><Name>Given two days</Name><OutlineLevel>1</OutlineLevel><Manual>1</Manual>
      <Start>2024-01-08T08:00:00</Start><Finish>2024-01-09T17:00:00</Finish><Duration>PT16H0M0S</Duration>
      <TotalSlack>0</TotalSlack><Critical>1</Critical></Task>
    <Task><UID>2</UID><ID>2</ID><Name>Name only</Name><OutlineLevel>1</OutlineLevel><Manual>1</Manual>
      <StartText/><FinishText/><DurationText/>
      <Start>2024-01-08T08:00:00</Start><Finish>2024-01-09T17:00:00</Finish><Duration>PT16H0M0S</Duration>
      <TotalSlack>0</TotalSlack><Critical>0</Critical></Task>
    <Task><UID>3</UID><ID>3</ID><Name>Duration in words</Name><OutlineLevel>1</OutlineLevel><Manual>1</Manual>
      <DurationText>TBD</DurationText>
      <Start>2024-01-08T08:00:00</Start><Finish>2024-01-09T17:00:00</Finish><Duration>PT16H0M0S</Duration></Task>
    <Task><UID>4</UID><ID>4</ID><Name>Automatic</Name><OutlineLevel>1</OutlineLevel><DurationText/>
      <Start>2024-01-08T08:00:00</Start><Finish>2024-01-09T17:00:00</Finish><Duration>PT16H0M0S</Duration></Task>
  </Tasks>
</Project>
"""


def test_a_manual_task_never_given_a_duration_is_a_placeholder_and_never_critical():
    """MS Project writes <DurationText> for a manual task whose duration was never entered (empty,
    or the words typed instead); its start, finish and "1 day?" are filled in for display only.
    All four tasks end the project (Mon 08:00 to Tue 17:00, zero slack): the manual task given a
    duration and the automatic one are critical, the two placeholders are not (as MS Project
    stores them: Critical 0 on task 2, like the shared task-durations sample's manual tasks)."""
    p = importing.parse_upload("manual.xml", MSPDI_MANUAL.encode())
    t = p.tables["tasks"].set_index("task_id")
    assert t["is_placeholder"].tolist() == [False, True, True, False]  # task 4 is automatic
    assert "2 manually scheduled tasks have no duration entered (placeholders): they keep the file's " in " ".join(
        p.notes
    )
    ours = _our_cpm(p, p.tables["tasks"]).set_index("task_id")
    assert ours["total_float_days"].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert ours["critical"].tolist() == [True, False, False, True]


@needs_java
def test_the_shared_samples_manual_tasks_are_placeholders_or_scheduled_as_ms_project_stored(parsed):
    """task-durations (Project 2010): 110 manual tasks created with a name only, every one stored
    non-critical at zero slack; task-links (Project 2019): its manual tasks were given durations and
    links, and MS Project stored them critical on the driving chain."""
    durations = _get(parsed, "mpxj__generated_task-durations_task-durations-project2010-mpp14.mpp")
    t = durations.tables["tasks"]
    manual = t[t["is_manual"].fillna(False).astype(bool)]
    assert len(manual) == 110 and manual["is_placeholder"].all()
    ours = _our_cpm(durations, t).set_index("task_id").loc[manual["task_id"]]
    assert not ours["critical"].any() and (ours["total_float_days"] == 0).all()
    links = _get(parsed, "mpxj__generated_task-links_task-links-project2019-mpp14.mpp").tables["tasks"]
    assert links["is_manual"].fillna(False).astype(bool).any()
    assert not links["is_placeholder"].fillna(False).astype(bool).any()


# ----------------------------------------------------------------------------- Project 98 calendars


class _Range:
    def __init__(self, a: str, b: str) -> None:
        self.a, self.b = a, b

    def getStart(self) -> str:  # noqa: N802 - MPXJ's Java names
        return self.a

    def getEnd(self) -> str:  # noqa: N802
        return self.b


class _Kind:
    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


class _Calendar:
    """The part of MPXJ's ProjectCalendar that ``mpxj_file._week`` reads, as MPXJ returns it."""

    def __init__(self, days: dict[int, list[tuple[str, str]] | None], parent: object = None) -> None:
        self.days, self.parent = days, parent  # None: DEFAULT (inherited)

    def getCalendarDayType(self, dow: int) -> _Kind:  # noqa: N802
        d = self.days[dow]
        return _Kind("DEFAULT" if d is None else "WORKING" if d else "NON_WORKING")

    def getCalendarHours(self, dow: int) -> list[_Range] | None:  # noqa: N802
        d = self.days[dow]
        return None if d is None else [_Range(a, b) for a, b in d]

    def getParent(self) -> object:  # noqa: N802
        return self.parent


class _Days:
    @staticmethod
    def values() -> list[int]:
        return [1, 2, 3, 4, 5, 6, 7]


def test_a_project_98_resource_calendar_read_as_the_standard_week_inherits_its_base():
    """MPXJ's MPP8 reader turns a derived calendar's "default" days into the standard week
    (08:00-12:00, 13:00-17:00 Monday to Friday): such a calendar inherits its base, as Project 98
    schedules it. Other files, base calendars and a week that differs in one day keep their hours."""
    from pmo_analytics.ingest.formats.mpxj_file import _week

    std = [("08:00", "12:00"), ("13:00", "17:00")]
    week = {d: (std if d <= 5 else []) for d in range(1, 8)}
    night = _Calendar({d: [("23:00", "00:00")] for d in range(1, 8)})
    derived = _Calendar(week, parent=night)
    assert _week(derived, _Days, mpp8=True) is None
    assert _week(derived, _Days, mpp8=False)["1"] == [[480, 720], [780, 1020]]
    assert _week(_Calendar(week), _Days, mpp8=True)["5"] == [[480, 720], [780, 1020]]  # a base calendar
    late = _Calendar({**week, 1: [("09:00", "12:00"), ("13:00", "18:00")]}, parent=night)
    assert _week(late, _Days, mpp8=True)["1"] == [[540, 720], [780, 1080]]
    assert _week(night, _Days, mpp8=True)["3"] == [[1380, 1440]]


@needs_java
def test_project_98_sample_schedules_on_the_night_shift_its_resource_inherits():
    """sample98.mpp (Project 98) and sample.mpp (its Project 2000 twin): "Second Task", 100 days on
    the First (day) and Second (night shift) resources' calendars, finishes Tue 2003-03-18 08:00,
    the end of a night shift: 800 hours at 80 a week (day 40 + night 40) from Tue 01-07 08:00 is
    exactly 10 weeks. "Third task", an unlinked milestone on 01-07, has the 50 working days to
    03-18 as slack, as MS Project 98 stored (read on the day shift alone it would be 100)."""
    from bench.schedule_agreement import compare

    parsed = _corpus_parsed("junit/data/legacy/sample98.mpp")
    cals = parsed.tables["calendars"].set_index("name")
    assert cals.loc["Second Resource", "parent_id"] == cals.loc["Night Shift", "calendar_id"]
    assert pd.isna(cals.loc["Second Resource", "weekdays"])
    ours = _our_cpm(parsed, parsed.tables["tasks"]).set_index("task_id")
    assert ours.loc["3", "total_float_days"] == pytest.approx(50.0)
    assert compare(parsed).misses == []


@needs_java
@pytest.mark.parametrize(
    ("path", "critical"),
    [
        ("junit/data/calendar-exception-precedence-daily.mpp", True),
        ("junit/data/assignment/assignment-deletion/assigned-resources-mpp14-project2013.mpp", False),
    ],
)
def test_an_unlinked_manual_task_at_zero_slack_is_critical_unless_a_placeholder(path, critical):
    """calendar-exception-precedence-daily.mpp: a manual task given a 1,305-day duration, no link,
    no resource, stored critical; assigned-resources (Project 2013): a manual task with ten
    resources whose duration was never entered, stored non-critical. Both end their project."""
    parsed = _corpus_parsed(path)
    t = parsed.tables["tasks"]
    assert t["is_placeholder"].tolist() == [not critical]
    ours = _our_cpm(parsed, t)
    assert ours["total_float_days"].tolist() == [0.0] and ours["critical"].tolist() == [critical]


@needs_java
def test_a_real_p6_schedule_agrees_with_the_float_p6_stored():
    """``SP10 - COST LOADED.xer`` (PyP6Xer's sample, P6 8.1, data date 2017-09-16): activities on
    each rule, with the total float P6 stored (working days of 8 hours) and its critical flag.
    55450: a 5-day activity on the 08:00-17:00 calendar starting 16:00 after a 7-day-calendar
    predecessor, driving a 16:00 "must finish on" milestone: 0 (P6 hands the 16:00 late start
    back as it is). 55125 and 55244: ALAP activities, -28 and -38 (counted from where P6 moves
    them, behind a late "must finish on"). 57229 and 54772: started activities with a started
    start-to-start successor: 50.125 and -0.875, their successors' floats (remaining work). 55113:
    1,808 days to the project's end on the 7-day calendar."""
    parsed = _corpus_parsed("SP10 - COST LOADED.xer")
    assert parsed.proposed_status_date == date(2017, 9, 16)
    # nothing lost: the file's 5,966 TASKPRED rows (11 activity pairs hold two or three
    # relationships of different types) and no problem; its 294 empty WBS folders are named
    assert len(parsed.tables["links"]) == 5966 and parsed.problems == []
    assert "294 summary tasks without dates were left out" in " ".join(parsed.notes)
    assert parsed.tables["projects"]["schedule_tool"].tolist() == ["p6"]
    tasks = parsed.tables["tasks"]
    ours = _our_cpm(parsed, tasks.assign(status_date=pd.Timestamp("2017-09-16"))).set_index("task_id")
    stored = {"55450": 0.0, "55125": -28.0, "55244": -38.0, "57229": 50.125, "54772": -0.875, "55113": 1808.0}
    for tid, tf in stored.items():
        assert ours.loc[tid, "total_float_days"] == pytest.approx(tf, abs=0.01), tid
        assert bool(ours.loc[tid, "critical"]) == (tf <= 0), tid
    assert bool(tasks.set_index("task_id").loc["55450", "is_critical"])  # as P6 stored it


def _two_free_tasks(slack_a: int, slack_b: int) -> bytes:
    """Two unlinked 1-day tasks Mon 2024-01-08, stored slack in tenths of a minute (4800 = 1 day)."""
    tasks = "".join(
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>T{uid}</Name><OutlineLevel>1</OutlineLevel>"
        "<Start>2024-01-08T08:00:00</Start><Finish>2024-01-08T17:00:00</Finish><Duration>PT8H0M0S</Duration>"
        f"<TotalSlack>{slack}</TotalSlack><Critical>{int(slack == 0)}</Critical></Task>"
        for uid, slack in ((1, slack_a), (2, slack_b))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Project xmlns="http://schemas.microsoft.com/project">'
        "<Name>stale.xml</Name><StartDate>2024-01-08T08:00:00</StartDate><MinutesPerDay>480</MinutesPerDay>"
        f"<Tasks>{tasks}</Tasks></Project>"
    ).encode()


def test_a_file_whose_stored_slack_contradicts_itself_is_named_on_import():
    """Two free tasks (no link, constraint or progress) both end Mon 17:00, so MS Project gives
    both the same late finish, the project finish. Stored slack of 2 and 2 days agrees with itself
    (both Wed 17:00): no note. 0 and 5 days implies Mon 17:00 and Mon 01-15 17:00: the importer
    says the slack was not recalculated, in both languages."""
    from pmo_analytics.messages import note_text

    fine = importing.parse_upload("fine.xml", _two_free_tasks(9600, 9600))
    assert not [n for n in fine.notes if "not recalculated" in note_text(n)]
    stale = importing.parse_upload("stale.xml", _two_free_tasks(0, 24000))
    [n] = [n for n in stale.notes if "not recalculated" in note_text(n)]
    assert "tasks 1 and 2" in note_text(n) and "2024-01-08 17:00 and 2024-01-15 17:00" in note_text(n)
    assert "未重新计算" in note_text(n, "zh") and "2024-01-15 17:00" in note_text(n, "zh")
