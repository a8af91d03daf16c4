"""A board's list -> status category mapping, saved for that board (Trello; kept beside the saved
column mappings, in the store's ``documents``).

A board export carries its own id (``board["id"]``), which stays the same when the board is
renamed or exported again; the mapping is saved under it. ``load`` gives every saved mapping
(pass as ``ParseOptions(board_lists=...)``); the Trello reader applies the one of its board
(``find``) unless the person chose categories for this import.
"""

from __future__ import annotations

import json
from datetime import datetime

from ..errors import ConfigError

KIND = "board_lists"
CATEGORIES = ("To Do", "In Progress", "Done")


def save(store, board_id: str, board_name: str, categories: dict[str, str], *, actor: str = "local") -> dict:
    """Save (replace) the list -> category mapping of board ``board_id``; returns what was stored.
    Every category must be To Do, In Progress or Done. The save is recorded in the audit trail."""
    if not board_id:
        raise ConfigError(key="agile.board_lists.no_board")
    bad = sorted({v for v in categories.values() if v not in CATEGORIES})
    if bad:
        raise ConfigError(
            key="agile.board_lists.bad_category", params={"values": ", ".join(bad), "known": ", ".join(CATEGORIES)}
        )
    doc = {
        "board_id": str(board_id),
        "board": board_name or "",
        "categories": {str(k): v for k, v in categories.items()},
        "saved": datetime.now().isoformat(timespec="seconds"),
        "owner": actor,
        "version": 1,
    }
    store.save_document(KIND, str(board_id), json.dumps(doc, ensure_ascii=False))
    if hasattr(store, "record_audit"):
        store.record_audit(actor, "board_lists.save", str(board_id), {"board": doc["board"], "lists": len(categories)})
    return doc


def load(store) -> tuple[dict, ...]:
    """Every saved board mapping, newest first."""
    docs = store.documents(KIND)
    out = []
    for body in docs["body"].tolist() if len(docs) else []:
        try:
            d = json.loads(body)
        except (TypeError, ValueError):
            continue
        if isinstance(d, dict) and d.get("board_id") and isinstance(d.get("categories"), dict):
            out.append(d)
    return tuple(out)


def find(saved, board_id: object) -> dict | None:
    """The saved mapping of ``board_id`` among ``saved`` (``load``), else None."""
    if not board_id:
        return None
    return next((d for d in saved or () if d.get("board_id") == str(board_id)), None)


def listed(saved) -> list[dict]:
    """One row per saved board mapping (``load``): board_id, board, lists (``List=Category; ...``),
    owner, saved."""
    return [
        {
            "board_id": d["board_id"],
            "board": d.get("board") or "",
            "lists": "; ".join(f"{k}={v}" for k, v in d["categories"].items()),
            "owner": d.get("owner") or "",
            "saved": d.get("saved") or "",
        }
        for d in saved
    ]


def delete(store, board_id: str, *, actor: str = "local") -> bool:
    """Forget the saved mapping of ``board_id`` (audited); False when none was saved."""
    if find(load(store), board_id) is None:
        return False
    store.delete_document(KIND, str(board_id))
    if hasattr(store, "record_audit"):
        store.record_audit(actor, "board_lists.delete", str(board_id), {})
    return True
