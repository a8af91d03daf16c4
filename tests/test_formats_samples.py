"""Conformance on real exports from public projects (../shared/samples, skipped when absent), and
MSPDI features the samples do not carry (status date, baseline 0, percentage and elapsed lags),
on small MSPDI documents written here."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pmo_analytics.ingest import ParseOptions, parse_bytes, parse_path
from tests.conftest import shared_file


def d(y, m, dd):
    return pd.Timestamp(date(y, m, dd))


def test_mspdi_relations_sample():
    p = parse_path(shared_file("samples", "mpxj__junit_data_mspdirelations.xml"))
    assert p.source_format == "msproject_xml"
    t = p.tables["tasks"].set_index("task_id")
    assert list(t.index) == ["1", "2", "3", "4", "5"]  # UID 0 (project summary) is the projects row
    links = p.tables["links"][["pred_task_id", "succ_task_id", "type", "lag_days"]].values.tolist()
    # Type 1/3/0/2 = FS/SS/FF/SF; the SS link has LinkLag 4800 = 480 min = 1 day of 8 h
    assert links == [["1", "2", "FS", 0.0], ["2", "3", "SS", 1.0], ["3", "4", "FF", 0.0], ["4", "5", "SF", 0.0]]
    assert t.loc["5", "total_float_days"] == 1.0  # TotalSlack 4800
    proj = p.tables["projects"].iloc[0]
    assert proj["project_id"] == "mspdirelations" and proj["currency"] == "GBP"
    # no <StatusDate>; <CurrentDate>2009-01-09T08:00:00</CurrentDate> is proposed instead
    assert (p.proposed_status_date, p.status_date_source) == (date(2009, 1, 9), "mspdi_current_date")


def test_mspdi_legacy_sample_leads_lags_constraints_resources():
    p = parse_path(shared_file("samples", "mpxj__junit_data_legacy_sample.xml"), options=ParseOptions(project_id="L"))
    t = p.tables["tasks"].set_index("task_id")
    assert len(t) == 19 and set(p.tables["tasks"]["project_id"]) == {"L"}
    assert t.loc["1", "is_summary"] and t.loc["3", "is_milestone"]
    assert t.loc["3", "total_float_days"] == 50.0  # TotalSlack 240000 / 4800
    assert t.loc["2", "resource_names"] == "First Resource, Second Resource"
    assert t.loc["7", "constraint_type"] == "SNET" and t.loc["7", "constraint_date"] == d(2003, 2, 1)
    lags = {(r.pred_task_id, r.succ_task_id): r.lag_days for r in p.tables["links"].itertuples()}
    assert lags[("11", "12")] == 1.0 and lags[("13", "14")] == -1.0  # LinkLag 4800 and -4800
    assert t.loc["2", "bac"] == 352625.0  # no baseline: Cost, and a note says so
    assert any(n.startswith("No baseline saved for earned value") for n in p.notes)


def test_mspdi_baselines_sample_uses_the_earned_value_baseline_only():
    p = parse_path(shared_file("samples", "mpxj__junit_data_baselines.xml"))
    t = p.tables["tasks"]
    assert t["task_id"].tolist() == ["1"]
    assert pd.isna(t["baseline_start"].iloc[0])  # only Baselines 1-10 are saved; EV uses baseline 0
    assert "Other baselines present but not used: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10." in p.notes
    assert "Lag and float converted at 450 working minutes per day (MinutesPerDay)." in p.notes


def test_jira_xml_sample():
    p = parse_path(shared_file("samples", "focalboard__jira-export.xml"))
    assert p.source_format == "jira_xml"
    wi = p.tables["work_items"].set_index("key")
    assert list(wi.index) == ["AR-9", "AR-1"]
    assert wi.loc["AR-9", "project_id"] == "AR" and wi.loc["AR-9", "status_category"] == "In Progress"
    assert pd.isna(wi.loc["AR-9", "assignee"])  # "Unassigned" (account id -1)
    assert wi.loc["AR-1", "assignee"] == "Chen Lim" and wi.loc["AR-1", "type"] == "Epic"
    assert wi.loc["AR-1", "status_category"] == "To Do"
    assert wi.loc["AR-1", "created"] == d(2021, 9, 24)  # Fri, 24 Sep 2021 14:19:44 -0700


def test_trello_sample():
    p = parse_path(shared_file("samples", "nextcloud-deck__data-trelloJson.json"))
    assert p.source_format == "trello_json"
    wi = p.tables["work_items"]
    assert wi["key"].tolist() == ["7"] and wi["title"].tolist() == ["Name Card 7"]
    assert wi["status"].tolist() == ["TODO"] and wi["project_id"].tolist() == ["Test Board Name"]


MSPDI = """<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <Name>demo.xml</Name><Title>Demo plan</Title><Manager>Ana</Manager><CurrencyCode>EUR</CurrencyCode>
  <StartDate>2025-01-06T08:00:00</StartDate><FinishDate>2025-01-31T17:00:00</FinishDate>
  <StatusDate>2025-01-17T17:00:00</StatusDate><MinutesPerDay>480</MinutesPerDay>
  <BaselineForEarnedValue>0</BaselineForEarnedValue>
  <Tasks>
    <Task><UID>0</UID><ID>0</ID><Name>Demo plan</Name><OutlineLevel>0</OutlineLevel><Summary>1</Summary>
      <Start>2025-01-06T08:00:00</Start><Finish>2025-01-31T17:00:00</Finish><Cost>3000</Cost>
      <Baseline><Number>0</Number><Start>2025-01-06T08:00:00</Start><Finish>2025-01-24T17:00:00</Finish>
      <Cost>2500</Cost></Baseline></Task>
    <Task><UID>1</UID><ID>1</ID><Name>A</Name><OutlineLevel>1</OutlineLevel><Summary>0</Summary>
      <Milestone>0</Milestone><Start>2025-01-06T08:00:00</Start><Finish>2025-01-17T17:00:00</Finish>
      <Duration>PT80H0M0S</Duration><PercentComplete>60</PercentComplete><Cost>1000</Cost>
      <ActualCost>700</ActualCost><ActualStart>2025-01-06T08:00:00</ActualStart>
      <ConstraintType>2</ConstraintType><ConstraintDate>2025-01-06T08:00:00</ConstraintDate>
      <TotalSlack>-9600</TotalSlack>
      <Baseline><Number>0</Number><Start>2025-01-06T08:00:00</Start><Finish>2025-01-10T17:00:00</Finish>
      <Cost>900</Cost></Baseline>
      <Baseline><Number>1</Number><Start>2024-12-02T08:00:00</Start><Finish>2024-12-06T17:00:00</Finish>
      <Cost>800</Cost></Baseline></Task>
    <Task><UID>2</UID><ID>2</ID><Name>B</Name><OutlineLevel>1</OutlineLevel><Start>2025-01-13T08:00:00</Start>
      <Finish>2025-01-24T17:00:00</Finish><Duration>PT80H0M0S</Duration><PercentComplete>0</PercentComplete>
      <ConstraintType>7</ConstraintType><ConstraintDate>2025-01-24T17:00:00</ConstraintDate>
      <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type><LinkLag>50</LinkLag>
        <LagFormat>19</LagFormat></PredecessorLink></Task>
    <Task><UID>3</UID><ID>3</ID><Name>C</Name><OutlineLevel>1</OutlineLevel><Start>2025-01-27T08:00:00</Start>
      <Finish>2025-01-31T17:00:00</Finish>
      <PredecessorLink><PredecessorUID>2</PredecessorUID><Type>0</Type><LinkLag>28800</LinkLag>
        <LagFormat>8</LagFormat></PredecessorLink>
      <PredecessorLink><PredecessorUID>99</PredecessorUID><Type>1</Type><CrossProject>1</CrossProject>
        <LinkLag>0</LinkLag></PredecessorLink></Task>
    <Task><UID>4</UID><ID>4</ID><IsNull>1</IsNull></Task>
  </Tasks>
</Project>
"""


def test_mspdi_status_date_baseline_percent_and_elapsed_lags():
    p = parse_bytes("demo.xml", MSPDI.encode())
    assert (p.proposed_status_date, p.status_date_source) == (date(2025, 1, 17), "mspdi_status_date")
    t = p.tables["tasks"].set_index("task_id")
    assert list(t.index) == ["1", "2", "3"]  # null task skipped, UID 0 is the project
    a = t.loc["1"]
    assert a["percent_complete"] == 0.6 and a["actual_cost"] == 700.0
    assert a["bac"] == 900.0 and a["baseline_finish"] == d(2025, 1, 10)  # baseline 0, not baseline 1
    assert a["constraint_type"] == "MSO" and t.loc["2", "constraint_type"] == "FNLT"
    assert a["total_float_days"] == -2.0  # -9600 tenths of a minute / 4800
    links = p.tables["links"][["pred_task_id", "succ_task_id", "type", "lag_days"]].values.tolist()
    # 50% of A's 80 hours (10 days) = 5 days; 28800 tenths of a minute elapsed = 2 calendar days
    # = 2 * 5/7 working days; the cross-project link is skipped
    assert links[0] == ["1", "2", "FS", 5.0]
    assert links[1][:3] == ["2", "3", "FF"] and links[1][3] == pytest.approx(10 / 7)
    assert len(links) == 2 and "1 links to tasks in other projects were skipped." in p.notes
    proj = p.tables["projects"].iloc[0]
    assert (proj["project_id"], proj["name"], proj["manager"], proj["currency"]) == (
        "Demo plan",
        "Demo plan",
        "Ana",
        "EUR",
    )
    assert proj["bac"] == 2500.0 and proj["baseline_finish"] == d(2025, 1, 24)


def test_mspdi_project_option_wins_over_title():
    p = parse_bytes("demo.xml", MSPDI.encode(), options=ParseOptions(project_id="P-7"))
    assert set(p.tables["tasks"]["project_id"]) == {"P-7"} and p.tables["projects"]["name"].iloc[0] == "Demo plan"
