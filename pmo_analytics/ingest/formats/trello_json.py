"""Trello board JSON ("Menu > Print, export and share > Export as JSON") -> ``work_items``.

Rules:
- One work item per card, archived (``closed``) cards included (a note counts them; their
  status says ``(archived)``); cards of archived lists likewise.
- ``key``: the card's number on the board (``idShort``), else its short link. ``title``: card name.
- ``status``: the name of the card's list. ``status_category``: Done when the card's due date is
  marked complete (``dueComplete``), else the category of its list, decided once per board
  (``board_categories``), in this order:

  1. chosen by hand for this board (``ParseOptions.list_categories``: the Import page's list
     table, ``--list-category`` on the command line), else saved for this board id
     (``ingest.board_lists``);
  2. the list's name, in the languages boards are kept in (``_common.named_category``:
     Done/Terminado/Hecho/完了/Erledigt/Fertig/Terminé/Concluído -> Done; To Do/Backlog/"Product
     Backlog"/Icebox/待办 -> To Do; Doing/進行中/En curso -> In Progress);
  3. the list order, only when no open list of the board has a name that says anything: the
     first list is To Do, the last Done, those between In Progress (Kanban boards run left to
     right). A board where some names are recognised keeps In Progress for the lists whose name
     says nothing: the last list is Done only when its name (or a person) says so, since calling
     unfinished work done hides it, while In Progress only understates progress.

  A note shows the whole mapping (and says when list order decided); the Import page shows it as
  a table the person can change, and can remember for the board.
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
from ._common import DOING, DONE, TODO, add_table, ensure_table, has_column, named_category, new_result, note

CATEGORIES = (TODO, DOING, DONE)

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


def board_categories(lists: list[dict], chosen: dict | None = None, how: str = "chosen") -> list[dict]:
    """Each list of a board (``{"id", "name", "pos", "closed"}``) with its status category and where
    that came from (``source``: ``chosen``/``saved``, ``name``, ``order`` or ``default``), open
    lists in board order (``pos``), then archived ones. The rules are the module's."""

    def pos(x: dict) -> float:
        p = x.get("pos")
        return float(p) if isinstance(p, (int, float)) else float("inf")

    open_lists = sorted((x for x in lists if not x.get("closed")), key=pos)
    ordered = open_lists + [x for x in lists if x.get("closed")]
    chosen = {str(k): v for k, v in (chosen or {}).items() if v in CATEGORIES}
    out = []
    for x in ordered:
        name = str(x.get("name") or "")
        if name in chosen:
            cat, source = chosen[name], how
        elif (cat := named_category(name)) is not None:
            source = "name"
        else:
            cat, source = DOING, "default"
        out.append(
            {"id": x.get("id"), "list": name, "category": cat, "source": source, "closed": bool(x.get("closed"))}
        )
    opened = [m for m in out if not m["closed"]]
    if len(opened) >= 2 and all(m["source"] == "default" for m in opened):
        for k, m in enumerate(opened):
            m["category"] = TODO if k == 0 else DONE if k == len(opened) - 1 else DOING
            m["source"] = "order"
    return out


def _mapping_notes(result: ParsedUpload, mapping: list[dict], how: str) -> None:
    """The note showing a board's list -> category mapping (and how it was decided)."""
    if not mapping:
        return
    named = {cat: ", ".join(m["list"] or "?" for m in mapping if m["category"] == cat) or "—" for cat in CATEGORIES}
    note(result, Note("note.trello.list_categories", todo=named[TODO], doing=named[DOING], done=named[DONE]))
    if any(m["source"] == "order" for m in mapping):
        opened = [m["list"] for m in mapping if m["source"] == "order"]
        note(result, Note("note.trello.lists_by_order", first=opened[0], last=opened[-1]))
    if how == "saved":
        note(result, Note("note.trello.lists_saved"))
    elif how == "chosen":
        note(result, Note("note.trello.lists_chosen"))


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
    chosen, how = options.list_categories, "chosen"
    saved: dict = {}
    if not chosen:
        from ..board_lists import find

        saved = find(options.board_lists, board.get("id")) or {}
        chosen, how = (saved["categories"], "saved") if saved else (None, "")
    mapping = board_categories(list(lists.values()), chosen, how)
    by_list = {m["id"]: m["category"] for m in mapping}
    result.open_choices["board_lists"] = {
        "board_id": board.get("id"),
        "board": board.get("name"),
        "lists": [{k: m[k] for k in ("list", "category", "source")} for m in mapping],
        # whose saved mapping applies, and when it was saved (shown beside the table)
        "saved": {"by": saved.get("owner") or "", "on": saved.get("saved") or ""} if how == "saved" else None,
    }
    _mapping_notes(result, mapping, how if chosen else "")
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
    malformed = 0
    for card in board["cards"]:
        if not isinstance(card, dict):
            malformed += 1
            continue
        lst = lists.get(card.get("idList")) or {}
        status = lst.get("name")
        closed = bool(card.get("closed")) or bool(lst.get("closed"))
        category = DONE if card.get("dueComplete") else by_list.get(card.get("idList"))
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
    if malformed:  # not a card (a number, a string): counted as rejected, with the reason
        note(result, Note("note.trello.not_cards", n=malformed))
        result.rows_in += malformed
        result.rejected_rows += malformed
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
