"""Jira XML (RSS) search export ("Export XML" from the issue navigator) -> ``work_items``.

Rules:
- Parsed with ``defusedxml`` only: a DTD, entity declaration or external reference is refused
  (``UnsafeFileError``), so entity-expansion bombs and XXE cannot run.
- One ``<item>`` per issue: ``key``, ``summary``, ``type``, ``status``, ``statusCategory``
  (its ``key`` attribute: new/indeterminate/done -> To Do/In Progress/Done), ``priority``,
  ``assignee`` (``Unassigned`` or account id -1 -> empty), ``created``, ``resolved``,
  ``fixVersion`` (several joined), ``parent``, and the custom fields named ``Story Points``,
  ``Story point estimate`` (or 故事点) and ``Sprint`` (every value kept; the last is ``sprint``).
- Dates are RFC 822 (``Fri, 24 Sep 2021 14:22:15 -0700``); the calendar date as written is kept.
- ``project_id``: the item's ``<project key=...>``, else the chosen project.
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime

import pandas as pd

from ..base import ParsedUpload, RawFile
from ..xmlread import parse_xml
from ._common import add_table, ensure_table, new_result, note, status_category

NAME = "jira_xml"
LABEL = "Jira XML"

_POINTS = {"story points", "story point estimate", "故事点", "故事点估算", "story points estimate"}
_SPRINT = {"sprint", "冲刺"}
_COLUMNS = [
    "project_id",
    "key",
    "title",
    "type",
    "status",
    "status_category",
    "priority",
    "story_points",
    "sprint",
    "sprints",
    "fix_version",
    "created",
    "resolved",
    "assignee",
    "parent",
]


def detect(raw: RawFile) -> float:
    if raw.kind != "xml":
        return 0.0
    head = raw.data[:8192]
    if b"<rss" in head and (b"JIRA" in head or b"Jira" in head or b"<issue " in head):
        return 0.97
    if b"<rss" in head and b"<item>" in raw.data[:65536] and b"<key " in raw.data[:65536]:
        return 0.9
    return 0.0


def _text(el) -> str | None:
    if el is None or el.text is None:
        return None
    t = el.text.strip()
    return t or None


def _date(value: str | None):
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return value  # left for validation to report


def parse(raw: RawFile, options) -> ParsedUpload:
    result = new_result(raw, NAME)
    root = parse_xml(raw.name, raw.data)
    channel = root.find("channel") if root.tag == "rss" else None
    items = channel.findall("item") if channel is not None else root.iter("item")
    records = []
    for item in items:
        project = item.find("project")
        assignee = item.find("assignee")
        who = _text(assignee)
        if assignee is not None and (assignee.get("accountid") == "-1" or assignee.get("username") == "-1"):
            who = None
        cat = item.find("statusCategory")
        status = _text(item.find("status"))
        points = None
        sprints: list[str] = []
        for cf in item.iter("customfield"):
            name = (_text(cf.find("customfieldname")) or "").casefold()
            values = [_text(v) for v in cf.iter("customfieldvalue")]
            values = [v for v in values if v]
            if name in _POINTS and values and points is None:
                points = values[0]
            elif name in _SPRINT:
                sprints.extend(values)
        sprints = list(dict.fromkeys(sprints))
        fix = [_text(v) for v in item.findall("fixVersion")]
        fix = [v for v in fix if v]
        records.append(
            {
                "project_id": project.get("key") if project is not None else None,
                "key": _text(item.find("key")),
                "title": _text(item.find("summary")),
                "type": _text(item.find("type")),
                "status": status,
                "status_category": status_category(cat.get("key") if cat is not None else None, status),
                "priority": _text(item.find("priority")),
                "story_points": points,
                "sprint": sprints[-1] if sprints else None,
                "sprints": sprints or None,
                "fix_version": ", ".join(fix) or None,
                "created": _date(_text(item.find("created"))),
                "resolved": _date(_text(item.find("resolved"))),
                "assignee": who,
                "parent": _text(item.find("parent")),
            }
        )
    if not records:
        note(result, "the XML holds no <item> elements: no issues to load")
    frame = pd.DataFrame.from_records(records, columns=_COLUMNS)
    add_table(
        result,
        "work_items",
        frame,
        file=raw.name,
        sheet="",
        row_numbers=list(range(1, len(records) + 1)),
        headers={"key": "item key", "project_id": "project key"},
        defaults={"project_id": options.project_id},
    )
    note(result, "Jira XML: row numbers in messages count <item> elements (1 = first issue).")
    ensure_table(result, "work_items")
    return result
