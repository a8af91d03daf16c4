"""Trello board JSON ("Menu > Print, export and share > Export as JSON") -> ``work_items``.

Rules:
- One work item per card, archived (``closed``) cards included (a note counts them; their
  status says ``(archived)``); cards of archived lists likewise.
- ``key``: the card's number on the board (``idShort``), else its short link. ``title``: card name.
- ``status``: the name of the card's list. ``status_category``: Done when the card's due date is
  marked complete (``dueComplete``) or the list name says done (Done, Complete, 完成 ...),
  To Do for lists such as To Do/Backlog/待办, otherwise In Progress.
- ``assignee``: the members on the card (full names, joined by ``, ``).
- ``created``: from the card id (a Mongo ObjectId's first 4 bytes are its creation time);
  ``resolved``: ``dateCompleted`` when Trello exports it.
- Labels, due dates and checklist progress are filled into ``labels``/``due_date``/``progress``
  when the canonical work_items table has such columns; otherwise a note summarises them.
- ``project_id``: the chosen project, else the board name.
- The board's last activity (``dateLastActivity``; a board export has no timestamp of its own) is
  proposed as the status date.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd

from ...errors import FormatError
from ..base import Note, ParsedUpload, RawFile
from ..readers import decode_text
from ..status_dates import TRELLO_LAST_ACTIVITY, propose
from ._common import DONE, add_table, ensure_table, has_column, new_result, note, status_category

NAME = "trello_json"
LABEL = "Trello board (JSON)"


def _load(raw: RawFile):
    try:
        return json.loads(decode_text(raw.name, raw.data))
    except (json.JSONDecodeError, RecursionError) as exc:
        raise FormatError(
            key="json.damaged", params={"detail": str(exc)}, file=raw.name, hint_key="hint.export_trello"
        ) from exc


def detect(raw: RawFile) -> float:
    if raw.kind != "json":
        return 0.0
    head = raw.data[:200_000]
    if b'"cards"' in head and b'"lists"' in head and (b'"idBoard"' in head or b'"labelNames"' in head):
        return 0.96
    if b'"cards"' in raw.data and b'"lists"' in raw.data and b'"idList"' in raw.data:
        return 0.85
    return 0.0


def _created(card_id: str | None):
    if card_id and len(card_id) == 24:
        try:
            return datetime.fromtimestamp(int(card_id[:8], 16), tz=UTC).date()
        except ValueError:
            return None
    return None


def _date(v):
    if not v:
        return None
    try:
        return datetime.fromisoformat(str(v).replace("Z", "+00:00")).date()
    except ValueError:
        return v


def parse(raw: RawFile, options) -> ParsedUpload:
    result = new_result(raw, NAME)
    board = _load(raw)
    if not isinstance(board, dict) or not isinstance(board.get("cards"), list):
        raise FormatError(key="trello.no_cards", file=raw.name)
    last = _date(board.get("dateLastActivity"))
    if propose(result, last if hasattr(last, "isoformat") else None, TRELLO_LAST_ACTIVITY):
        note(result, Note("note.trello.last_activity", date=last.isoformat()))
    project_id = options.project_id or board.get("name") or None
    if not options.project_id and project_id:
        note(result, Note("note.trello.project_from_board", project=project_id))
    lists = {x.get("id"): x for x in board.get("lists") or [] if isinstance(x, dict)}
    members = {
        m.get("id"): m.get("fullName") or m.get("username") for m in board.get("members") or [] if isinstance(m, dict)
    }
    labels = {
        lb.get("id"): lb.get("name") or lb.get("color") for lb in board.get("labels") or [] if isinstance(lb, dict)
    }
    checklists: dict[str, list[int]] = {}
    for cl in board.get("checklists") or []:
        if not isinstance(cl, dict):
            continue
        items = cl.get("checkItems") or []
        done = sum(1 for it in items if isinstance(it, dict) and it.get("state") == "complete")
        acc = checklists.setdefault(cl.get("idCard"), [0, 0])
        acc[0] += done
        acc[1] += len(items)
    want_labels, want_due, want_progress = (has_column("work_items", c) for c in ("labels", "due_date", "progress"))
    records = []
    archived = with_labels = with_due = with_checklists = 0
    for card in board["cards"]:
        if not isinstance(card, dict):
            continue
        lst = lists.get(card.get("idList")) or {}
        status = lst.get("name")
        closed = bool(card.get("closed")) or bool(lst.get("closed"))
        category = DONE if card.get("dueComplete") else status_category(None, status)
        if closed:
            archived += 1
            status = f"{status} (archived)" if status else "(archived)"
        who = [members.get(m) for m in card.get("idMembers") or []]
        names = [lb.get("name") or lb.get("color") for lb in card.get("labels") or [] if isinstance(lb, dict)]
        names = names or [labels.get(i) for i in card.get("idLabels") or []]
        names = [n for n in names if n]
        checks = checklists.get(card.get("id"))
        if checks is None and isinstance(card.get("badges"), dict) and card["badges"].get("checkItems"):
            checks = [card["badges"].get("checkItemsChecked") or 0, card["badges"]["checkItems"]]
        with_labels += bool(names)
        with_due += bool(card.get("due"))
        with_checklists += bool(checks and checks[1])
        rec = {
            "project_id": project_id,
            "key": str(card["idShort"]) if card.get("idShort") is not None else card.get("shortLink") or card.get("id"),
            "title": card.get("name"),
            "type": "Card",
            "status": status,
            "status_category": category,
            "created": _created(card.get("id")),
            "resolved": _date(card.get("dateCompleted")),
            "assignee": ", ".join(w for w in who if w) or None,
        }
        if want_labels:
            rec["labels"] = names or None
        if want_due:
            rec["due_date"] = _date(card.get("due"))
        if want_progress:
            rec["progress"] = checks[0] / checks[1] if checks and checks[1] else None
        records.append(rec)
    if archived:
        note(result, Note("note.trello.archived", n=archived))
    missing = [
        what
        for what, n, ok in (
            ("labels", with_labels, want_labels),
            ("due dates", with_due, want_due),
            ("checklists", with_checklists, want_progress),
        )
        if n and not ok
    ]
    if missing:
        note(result, Note("note.trello.not_stored", fields=", ".join(missing)))
    if not records:
        note(result, Note("note.trello.no_cards"))
    frame = pd.DataFrame.from_records(
        records,
        columns=list(
            dict.fromkeys(
                ["project_id", "key", "title", "type", "status", "status_category", "created", "resolved", "assignee"]
                + [k for r in records[:1] for k in r]
            )
        ),
    )
    add_table(
        result,
        "work_items",
        frame,
        file=raw.name,
        row_numbers=list(range(1, len(records) + 1)),
        headers={"key": "idShort", "title": "name", "status": "list"},
        defaults={"project_id": options.project_id},
    )
    note(result, Note("note.trello.rows"))
    ensure_table(result, "work_items")
    return result
