"""DCMA 14-point checks: a schedule built to fail each check exactly once (one offender each),
a clean schedule that passes, the BEI/CPLI variants, and BEI/CPLI on published values."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from pmo_analytics.metrics.cpm import cpm
from pmo_analytics.metrics.dcma import CHECKS, CPT_SLIP_DAYS, bei, cpli, dcma, dcma_records, dcma_results, quality_score
from pmo_analytics.settings import Settings
from tests.conftest import shared_file

D = pd.Timestamp
STATUS = D("2024-03-13")  # Wed; working day 7 counting Mon 4 Mar 2024 as day 0

# Working days: 4 Mar = 0, 7 Mar = 3, 11 Mar = 5, 13 Mar = 7, 14 Mar = 8, 21 Mar = 13, 26 Mar = 16, 27 Mar = 17,
# 10 Apr = 27, 15 Apr = 30, 22 May = 57 (no holidays).


def task(tid, start, finish, bs=None, bf=None, **kw):
    row = {
        "project_id": "P",
        "task_id": tid,
        "name": kw.pop("name", f"Task {tid}"),
        "start": D(start),
        "finish": D(finish),
        "baseline_start": D(bs or start),
        "baseline_finish": D(bf or finish),
        "resource_names": "Ana",
        "percent_complete": 0.0,
    }
    row.update(kw)
    return row


def link(a, b, ty="FS", lag=0.0):
    return {"project_id": "P", "pred_task_id": a, "succ_task_id": b, "type": ty, "lag_days": lag}


def failing_schedule() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Six incomplete work tasks (X, B, C, L1, N, Y), one done task (A), two milestones, nine links.

    Network (FS lag 0 unless said):  S -> A -> X -> B -FS+2-> C -> F;  B -SS-> L1;  S -> N -FS-1-> Y -> F
    One offender per check:
      1 logic        L1 has no successor
      2 leads        N->Y lag -1          3 lags    B->C lag +2        4 types   B->L1 is SS
      5 hard         N: Finish No Later Than Mon 11 Mar
      6 high float   Y (TF 45)            7 negative float  N (TF -3)
      8 high dur.    B: baseline 14 Mar..22 May = 50 working days
      9 invalid      Y: not started, forecast start Mon 11 Mar before the status date
      10 resources   L1 has neither resources nor cost
      11 missed      A: baseline finish 5 Mar, actual finish 6 Mar
      12 CPT         slipping N (most critical, TF -3) does not move the finish by the slip
      13 CPLI        (51 - 3) / 51 = 0.941       14 BEI   1 / 2 = 0.5 (X due, not complete)
    """
    tasks = pd.DataFrame(
        [
            task("S", "2024-03-04", "2024-03-04", is_milestone=True, actual_start=D("2024-03-04"),
                 actual_finish=D("2024-03-04"), percent_complete=1.0),
            task("A", "2024-03-04", "2024-03-06", bf="2024-03-05", actual_start=D("2024-03-04"),
                 actual_finish=D("2024-03-06"), percent_complete=1.0),
            task("X", "2024-03-07", "2024-03-13", actual_start=D("2024-03-07"), percent_complete=0.8),
            task("B", "2024-03-14", "2024-04-10", bf="2024-05-22"),
            task("C", "2024-04-15", "2024-05-22"),
            task("L1", "2024-03-14", "2024-03-27", resource_names=None),
            task("N", "2024-03-13", "2024-03-14", constraint_type="Finish No Later Than", constraint_date=D("2024-03-11")),
            task("Y", "2024-03-11", "2024-03-15"),
            task("F", "2024-05-22", "2024-05-22", is_milestone=True),
        ]
    )  # fmt: skip
    links = pd.DataFrame(
        [
            link("S", "A"),
            link("A", "X"),
            link("X", "B"),
            link("B", "C", lag=2),
            link("C", "F"),
            link("S", "N"),
            link("N", "Y", lag=-1),
            link("Y", "F"),
            link("B", "L1", "SS"),
        ]
    )
    return tasks, links


@pytest.fixture
def failing():
    return failing_schedule()


def test_failing_schedule_cpm_as_designed(failing):
    tasks, links = failing
    r = cpm(tasks, links, status_date=STATUS).set_index("task_id")
    # X: in progress, remaining ceil(5 x 0.2) = 1 day from day 7 -> EF 8; B: 8..28; C: 28 + 2 = 30, 28 days -> EF 58
    # project finish 58 (F shows on day 57 = Wed 22 May)
    assert r.loc["F", "early_finish"] == D("2024-05-22")
    # floats: C, B, X 0; L1: 58 - (8 + 10) = 40; Y: ES max(EF_N 9 - 1, 7) = 8, EF 13 -> 58 - 13 = 45
    # N: EF 9, LF capped at day 5 + 1 = 6 -> -3
    tf = r["total_float_days"]
    assert (tf["X"], tf["B"], tf["C"], tf["L1"], tf["Y"], tf["N"]) == (0, 0, 0, 40, 45, -3)


def test_each_check_fails_exactly_once(failing):
    tasks, links = failing
    res = dcma(tasks, links, status_date=STATUS).set_index("check")
    assert list(res.index) == list(range(1, 15))
    assert list(res["name"]) == list(CHECKS.values())
    assert (res["project_id"] == "P").all()
    expected_tasks = {
        1: ["L1"], 2: ["Y"], 3: ["C"], 4: ["L1"], 5: ["N"], 6: ["Y"], 7: ["N"], 8: ["B"],
        9: ["Y"], 10: ["L1"], 11: ["A"], 12: ["N"], 14: ["X"],
    }  # fmt: skip
    for check, ids in expected_tasks.items():
        assert list(res.loc[check, "offending_tasks"]) == ids, check
    assert res.loc[2, "offending_links"] == ["N->Y (FS)"]
    assert res.loc[3, "offending_links"] == ["B->C (FS)"]
    assert res.loc[4, "offending_links"] == ["B->L1 (SS)"]
    # every check fails except 10, which is a ratio only
    assert res.loc[10, "passed"] is None
    assert all(res.loc[c, "passed"] is False for c in range(1, 15) if c != 10), res["passed"].to_dict()
    # values, hand-computed: 6 incomplete work tasks (X, B, C, L1, N, Y), 9 links
    six = 1 / 6 * 100  # 16.67 %
    for c in (1, 5, 6, 7, 8, 10):
        assert res.loc[c, "value"] == pytest.approx(six) and res.loc[c, "denominator"] == 6, c
    assert res.loc[2, "value"] == pytest.approx(100 / 9) and res.loc[3, "value"] == pytest.approx(100 / 9)
    assert res.loc[4, "value"] == pytest.approx(800 / 9)  # 8 FS of 9 = 88.9 % < 90 %
    assert res.loc[9, "value"] == 1
    assert res.loc[11, "value"] == pytest.approx(50.0)  # A and X baselined to finish by 13 Mar; A late
    # 12: N +600 days -> EF 609, Y starts 608 ends 613, finish 613 vs 58: moved 555, not 600
    assert res.loc[12, "value"] == 555 and res.loc[12, "threshold"] == CPT_SLIP_DAYS
    # 13: CPL = 58 - 7 = 51; float = min(baseline finish 22 May (58) - 58 = 0, min TF -3) = -3
    assert res.loc[13, "value"] == pytest.approx(48 / 51)
    assert list(res.loc[13, "offending_tasks"]) == ["X", "B", "C", "N"]
    # 14: completed A / (A, X due by 13 Mar) = 0.5
    assert res.loc[14, "value"] == 0.5


def clean_schedule() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A tidy schedule: a done task and a chain of unstarted FS tasks, all on baseline."""
    tasks = pd.DataFrame(
        [
            task("S", "2024-03-04", "2024-03-04", is_milestone=True, actual_start=D("2024-03-04"),
                 actual_finish=D("2024-03-04"), percent_complete=1.0),
            task("A", "2024-03-04", "2024-03-12", actual_start=D("2024-03-04"), actual_finish=D("2024-03-12"),
                 percent_complete=1.0),
            task("B", "2024-03-13", "2024-03-19"),
            task("C", "2024-03-20", "2024-03-26"),
            task("F", "2024-03-26", "2024-03-26", is_milestone=True),
        ]
    )  # fmt: skip
    links = pd.DataFrame([link("S", "A"), link("A", "B"), link("B", "C"), link("C", "F")])
    return tasks, links


def test_clean_schedule_passes_everything():
    tasks, links = clean_schedule()
    res = dcma(tasks, links, status_date=STATUS).set_index("check")
    assert res.loc[10, "passed"] is None
    assert all(res.loc[c, "passed"] is True for c in range(1, 15) if c != 10), res["passed"].to_dict()
    assert res.loc[12, "value"] == CPT_SLIP_DAYS  # B is critical: +600 moves the finish 600
    # CPLI: C ends 26 Mar = day 16 -> finish 17; CPL = 17 - 7 = 10; float 0 -> (10 + 0) / 10 = 1.0
    assert res.loc[13, "value"] == 1.0
    # BEI: A completed / A due (bf 12 Mar) = 1.0
    assert res.loc[14, "value"] == 1.0
    score = quality_score(dcma(tasks, links, status_date=STATUS))
    assert (
        score.loc[0, "checks_applicable"] == 13
        and score.loc[0, "checks_passed"] == 13
        and score.loc[0, "score"] == 100.0
    )


def test_quality_score_and_records(failing):
    tasks, links = failing
    clean_t, clean_l = clean_schedule()
    clean_t["project_id"] = "Q"
    clean_l["project_id"] = "Q"
    all_t = pd.concat([tasks, clean_t], ignore_index=True)
    all_l = pd.concat([links, clean_l], ignore_index=True)
    res = dcma(all_t, all_l, status_date=STATUS)
    score = quality_score(res).set_index("project_id")
    # P: 13 applicable (check 10 is a ratio), 0 passed -> 0; Q: 13 of 13 -> 100
    assert score.loc["P", "score"] == 0.0 and score.loc["Q", "score"] == 100.0
    recs = dcma_records(all_t, all_l, STATUS, Settings())
    assert [r["project_id"] for r in recs] == ["P", "Q"]
    assert recs[0]["score"] == 0.0 and len(recs[0]["checks"]) == 14
    c1 = recs[0]["checks"][0]
    assert c1["check"] == 1 and c1["passed"] is False and c1["offending_tasks"] == ["L1"]
    json.dumps(recs)  # JSON-ready: no numpy types or NaN
    flat = dcma_results(all_t, all_l, STATUS, Settings())
    assert len(flat) == 28 and {"check", "value", "threshold", "passed", "offending_tasks"} <= set(flat[0])
    assert flat[9]["passed"] is None and flat[9]["threshold"] is None  # check 10, NaN -> None


def test_bei_variants():
    # 4 work tasks at status 13 Mar: A done early (bf 20 Mar), B done (bf 8 Mar), C due 11 Mar not done,
    # E without a baseline finish.
    tasks = pd.DataFrame(
        [
            task("A", "2024-03-04", "2024-03-05", bf="2024-03-20", actual_start=D("2024-03-04"), actual_finish=D("2024-03-05"), percent_complete=1.0),
            task("B", "2024-03-04", "2024-03-08", actual_start=D("2024-03-04"), actual_finish=D("2024-03-08"), percent_complete=1.0),
            task("C", "2024-03-13", "2024-03-14", bf="2024-03-11", actual_start=D("2024-03-13"), percent_complete=0.5),
            task("E", "2024-03-14", "2024-03-15", baseline_finish=pd.NaT),
        ]
    )  # fmt: skip
    bei_of = lambda s: dcma(tasks, None, STATUS, s).set_index("check").loc[14]  # noqa: E731
    # DCMA: completed (A, B) / (due B, C + missing baseline E) = 2 / 3
    r = bei_of(Settings())
    assert r["value"] == pytest.approx(2 / 3) and r["numerator"] == 2 and r["denominator"] == 3
    assert sorted(r["offending_tasks"]) == ["C", "E"]
    # P6: E dropped: 2 / 2 = 1.0
    assert bei_of(Settings(bei_variant="p6"))["value"] == 1.0

    # without early finishers (A's baseline finish is after the status date): B / (B, C, E) = 1 / 3
    class S2:
        bei_variant = "dcma"
        bei_early_finishers = False

    assert bei_of(S2())["value"] == pytest.approx(1 / 3)


def test_cpli_variant_float_only(failing):
    tasks, links = failing

    class S:
        cpli_variant = "float"

    # float variant: min CPM float of incomplete work = -3 (N) -> (51 - 3) / 51, same as baseline here
    assert dcma(tasks, links, STATUS, S()).set_index("check").loc[13, "value"] == pytest.approx(48 / 51)
    # baseline variant when the baseline finish is 5 days after the forecast (22 May -> 29 May):
    # but the smallest CPM float (-3) is lower, so the result stays (51 - 3) / 51
    t2 = tasks.copy()
    t2.loc[t2.task_id == "F", "baseline_finish"] = D("2024-05-29")
    t2.loc[t2.task_id == "B", "baseline_finish"] = D("2024-05-29")
    assert dcma(t2, links, STATUS).set_index("check").loc[13, "value"] == pytest.approx(48 / 51)


def test_cpli_baseline_variant_late_forecast():
    tasks, links = clean_schedule()
    # baseline finish of the last task 3 working days before its forecast (26 Mar -> 21 Mar):
    # C ends 26 Mar = day 16 -> finish boundary 17; CPL = 17 - 7 = 10;
    # 21 Mar is day 13 -> baseline boundary 14: float = 14 - 17 = -3 -> CPLI = (10 - 3) / 10 = 0.7
    tasks.loc[tasks.task_id == "C", "baseline_finish"] = D("2024-03-21")
    tasks.loc[tasks.task_id == "F", "baseline_finish"] = D("2024-03-21")
    r = dcma(tasks, links, STATUS).set_index("check").loc[13]
    assert r["value"] == pytest.approx(0.7) and r["passed"] is False


def test_no_status_date_means_not_applicable():
    tasks, links = clean_schedule()
    res = dcma(tasks, links).set_index("check")
    assert res.loc[9, "passed"] is None and res.loc[11, "passed"] is None and res.loc[14, "passed"] is None
    assert math.isnan(res.loc[14, "value"])


def test_no_links_and_no_incomplete_tasks():
    tasks = pd.DataFrame([task("A", "2024-03-04", "2024-03-05", actual_finish=D("2024-03-05"), percent_complete=1.0)])
    res = dcma(tasks, pd.DataFrame(), STATUS).set_index("check")
    # no incomplete work and no links: ratios are NaN (not applicable), never 0 or an error
    for c in (1, 2, 3, 4, 5, 6, 7, 8, 10):
        assert math.isnan(res.loc[c, "value"]) and res.loc[c, "passed"] is None, c
    assert res.loc[12, "passed"] is None


# ----------------------------------------------------------------------------- plain numbers


def test_bei_cpli_hand_computed():
    assert bei(45, 50) == 0.9  # 45 / 50
    assert math.isnan(bei(3, 0)) and math.isnan(bei(None, 4))
    assert cpli(100, -10) == 0.9  # (100 - 10) / 100
    assert cpli(50, 0) == 1.0
    assert math.isnan(cpli(0, 5)) and math.isnan(cpli(None, 5))


def test_bei_cpli_published_cases():
    cases = json.loads(shared_file("reference", "evm_cases.json").read_text())["schedule_indices"]
    assert cases
    for case in cases:
        inp, pub, tol = case["inputs"], case["published"], case["tolerance"]
        if "bei" in pub:
            got = bei(inp["tasks_completed"], inp["tasks_baselined_to_finish"])
            assert abs(got - pub["bei"]) <= tol + 1e-9, case["id"]
        if "cpli" in pub:
            got = cpli(inp["critical_path_length_days"], inp["total_float_days"])
            assert abs(got - pub["cpli"]) <= tol + 1e-9, case["id"]


def test_a_project_with_a_loop_is_skipped_on_request(failing):
    tasks, links = failing
    bad_t, _ = clean_schedule()
    bad_t["project_id"] = "LOOP"
    bad_l = pd.DataFrame([link("A", "B"), link("B", "A")]).assign(project_id="LOOP")
    all_t = pd.concat([tasks, bad_t], ignore_index=True)
    all_l = pd.concat([links, bad_l], ignore_index=True)
    with pytest.raises(Exception, match="loop"):
        dcma(all_t, all_l, STATUS)
    res = dcma(all_t, all_l, STATUS, on_error="skip")
    assert set(res["project_id"]) == {"P"} and len(res) == 14
    assert len(res.attrs["errors"]) == 1 and "'LOOP'" in res.attrs["errors"][0]


def test_bei_cpli_published_cases_offline():
    """The same published values without ../shared (typed in from evm_cases.json, schedule_indices)."""
    assert abs(bei(1516, 1955) - 0.78) <= 0.005  # DAU: 1,516 / 1,955 = 0.7754
    assert abs(cpli(720, -60) - 0.917) <= 0.0005  # DAU: (720 - 60) / 720 = 0.9167
    assert abs(cpli(80, 20) - 1.25) <= 0.005  # (80 + 20) / 80
    assert abs(cpli(800, 20) - 1.03) <= 0.005 + 1e-9  # (800 + 20) / 800 = 1.025: published rounded up


def test_missed_tasks_stale_forecast_of_unfinished_work():
    # status Wed 13 Mar. A: not finished, baseline finish Mon 11, its forecast finish (Fri 8) is stale:
    # it cannot finish before 13 Mar, so it misses its baseline -> counted.
    # B: not finished, baseline and forecast finish on the status date -> not missed.
    # C: finished Tue 12 on its baseline finish -> not missed.  11 = 1 of 3 due = 33.3 %
    tasks = pd.DataFrame(
        [
            task("A", "2024-03-04", "2024-03-08", bf="2024-03-11", actual_start=D("2024-03-04"), percent_complete=0.5),
            task("B", "2024-03-11", "2024-03-13", actual_start=D("2024-03-11"), percent_complete=0.5),
            task("C", "2024-03-04", "2024-03-12", actual_start=D("2024-03-04"), actual_finish=D("2024-03-12"),
                 percent_complete=1.0),
        ]
    )  # fmt: skip
    r = dcma(tasks, None, STATUS).set_index("check").loc[11]
    assert r["offending_tasks"] == ["A"] and r["denominator"] == 3
    assert r["value"] == pytest.approx(100 / 3) and r["passed"] is False


def test_many_projects_at_once_match_each_project_alone():
    """Projects are split by position: rows of several projects interleaved (with a non-default
    index, links shuffled, one project without links, one with an unknown link type) give each
    project the same DCMA rows and CPM rows as that project on its own."""
    parts = {}
    for pid, make in (("F1", failing_schedule), ("C1", clean_schedule), ("F2", failing_schedule)):
        t, lk = make()
        parts[pid] = (t.assign(project_id=pid), lk.assign(project_id=pid))
    t, _ = clean_schedule()
    parts["NOLINKS"] = (t.assign(project_id="NOLINKS"), None)
    t, lk = clean_schedule()
    parts["BAD"] = (t.assign(project_id="BAD"), lk.assign(project_id="BAD", type=["FS", "XX", "FS", "FS"]))
    all_t = pd.concat([t for t, _ in parts.values()], ignore_index=True)
    order = [i for k in range(9) for i in range(k, len(all_t), 9)]  # interleave the projects' rows
    all_t = all_t.iloc[order].set_axis([f"r{i}" for i in range(len(all_t))])
    all_l = pd.concat([lk for _, lk in parts.values() if lk is not None], ignore_index=True)
    all_l = all_l.iloc[::-1]
    res = dcma(all_t, all_l, STATUS, on_error="skip")
    sched = cpm(all_t, all_l, status_date=STATUS, on_error="skip")
    # projects in order of first appearance; BAD left out with its message
    assert list(dict.fromkeys(res["project_id"])) == ["F1", "C1", "F2", "NOLINKS"]
    assert list(dict.fromkeys(sched["project_id"])) == ["F1", "C1", "F2", "NOLINKS"]
    assert len(res.attrs["errors"]) == 1 and "XX" in res.attrs["errors"][0]
    assert sched.attrs["errors"] == res.attrs["errors"]
    for pid in ("F1", "C1", "F2", "NOLINKS"):
        t = all_t[all_t["project_id"] == pid]
        lk = all_l[all_l["project_id"] == pid]
        alone = dcma(t, lk if len(lk) else None, STATUS)
        got = res[res["project_id"] == pid].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, alone, check_exact=True)
        alone_cpm = cpm(t, lk if len(lk) else None, status_date=STATUS)
        got_cpm = sched[sched["project_id"] == pid].reset_index(drop=True)
        pd.testing.assert_frame_equal(got_cpm, alone_cpm, check_exact=True)
    by = res.set_index(["project_id", "check"])
    # the designed offenders (see failing_schedule) and the clean schedule's full pass
    assert by.loc[("F1", 1), "offending_tasks"] == ["L1"] and by.loc[("F2", 4), "offending_links"] == ["B->L1 (SS)"]
    assert quality_score(res).set_index("project_id").loc["C1", "score"] == 100.0
    # without links every incomplete work task (B, C) lacks logic: 2 of 2
    assert by.loc[("NOLINKS", 1), "offending_tasks"] == ["B", "C"]


def test_float_checks_of_a_timed_file_use_the_minute_engine():
    """MS Project's own legacy sample (MSPDI, status date 2003-02-19): 15 incomplete work tasks
    (2, 7, 8, 9-18, 20, 21; 3 is a milestone, 1/6/19 summaries). Its tasks keep durations in
    minutes, so checks 6/7 take the float of the CPM in working minutes on the file's calendars.

    Hand-checked on the Standard calendar (Mon-Fri 08:00-17:00) against the float MS Project
    stored: the project finishes Tue 2003-03-18 08:00 (task 2, 100 days on its resources'
    day+night calendars), so an unlinked task's late finish is Mon 03-17 17:00.
    - Task 7 "Recurring Task 1": SNET Sat 02-01 -> Mon 02-03 08:00-17:00; working days from
      02-03 17:00 to 03-17 17:00 = Feb 4-28 (19) + Mar 3-17 (11) = 30 (stored 30) <= 44: not high.
      The working-day engine started it at the project start (50 days): high.
    - Task 13 "Related Task 3a": Tue 01-07 08:00-17:00, float = Jan 8-31 (18) + Feb (20) +
      Mar 3-17 (11) = 49 (stored 49) > 44; likewise 9-18, 20, 21 lie at 47-49 days.
    - Task 8: SNET 03-01 -> Mon 03-03, float 10; task 2 float 0. No negative float either way.
    So check 6 counts 12 of 15 (was 13 of 15 with task 7 on the working-day engine)."""
    from pmo_analytics import importing

    p = shared_file("samples", "mpxj__junit_data_legacy_sample.xml")
    parsed = importing.parse_upload(p.name, p.read_bytes())
    tasks = parsed.tables["tasks"].assign(status_date=pd.Timestamp("2003-02-19"))
    links = parsed.tables["links"]
    kw = {"calendars": parsed.tables["calendars"], "projects": parsed.tables["projects"]}
    checks = dcma(tasks, links, **kw).set_index("check")
    high = [str(x) for x in "9 10 11 12 13 14 15 16 17 18 20 21".split()]
    assert sorted(checks.loc[6, "offending_tasks"], key=int) == high
    assert (checks.loc[6, "numerator"], checks.loc[6, "denominator"]) == (12, 15)
    assert checks.loc[7, "numerator"] == 0
    # the same tasks without their time columns: the working-day engine, task 7 high as well
    days = dcma(tasks.drop(columns=["duration_minutes"]), links, **kw).set_index("check")
    assert sorted(days.loc[6, "offending_tasks"], key=int) == sorted(["7", *high], key=int)
