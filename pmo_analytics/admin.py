"""The Admin page's tables and inputs, as plain functions (no streamlit): stored grants and
audit entries shaped for display and download, and the names typed into a grant form."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pandas as pd

from .access import SCOPE_FIELDS, Grant

GRANT_COLUMNS = ("kind", "subject", "role", *SCOPE_FIELDS, "granted_at", "granted_by")
AUDIT_COLUMNS = ("recorded_at", "actor", "action", "target", "details")


def grants_table(stored: pd.DataFrame) -> pd.DataFrame:
    """``Store.grants_frame()`` with each list of names as one text ("A, B"; empty = "")."""
    if stored.empty:
        return pd.DataFrame(columns=list(GRANT_COLUMNS))
    out = stored[list(GRANT_COLUMNS)].copy()
    for f in SCOPE_FIELDS:
        out[f] = out[f].map(lambda v: ", ".join(str(x) for x in v) if v is not None and len(v) else "")
    return out.reset_index(drop=True)


def audit_table(entries: pd.DataFrame) -> pd.DataFrame:
    """``Store.audit_entries()`` for display: the details object as compact JSON text (keys
    sorted), an import's number as "#4"."""
    if entries.empty:
        return pd.DataFrame(columns=list(AUDIT_COLUMNS))
    out = entries[list(AUDIT_COLUMNS)].copy()

    def compact(text: object) -> str:
        try:
            return json.dumps(json.loads(str(text)), ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
        except ValueError:
            return str(text)

    out["details"] = out["details"].map(compact)
    # an import's number as the Import page writes it ("#4"): a name, not a quantity
    out["target"] = out["target"].map(lambda t: f"#{t}" if str(t).isdigit() else t)
    return out.reset_index(drop=True)


def action_prefixes(entries: pd.DataFrame) -> list[str]:
    """The action families present ("access.", "import." ...), sorted: the audit filter's choices."""
    if entries.empty:
        return []
    return sorted({str(a).split(".", 1)[0] + "." for a in entries["action"].dropna()})


def names(text: str) -> tuple[str, ...]:
    """Names typed into a grant field, separated by commas, semicolons or new lines."""
    return tuple(sorted({p.strip() for p in re.split(r"[,;\n]+", text or "") if p.strip()}))


def grant_from_form(kind: str, subject: str, role: str, portfolios: str, departments: str, projects: str) -> Grant:
    """The ``Grant`` of the Admin page's form (an e-mail is kept in lower case)."""
    subj = subject.strip().casefold() if kind == "email" else subject.strip()
    return Grant(kind, subj, role, names(portfolios), names(departments), names(projects))


def since_datetime(day: date | None) -> datetime | None:
    """The start of ``day`` (the audit filter's "since"), None for no date."""
    return None if day is None else datetime(day.year, day.month, day.day)


def filter_audit(
    shown: pd.DataFrame, *, actors: list[str] | None = None, families: list[str] | None = None
) -> pd.DataFrame:
    """Audit rows of the chosen ``actors`` and action ``families`` ("import." ...); empty lists = all."""
    keep = pd.Series(True, index=shown.index)
    if actors:
        keep &= shown["actor"].isin(actors)
    if families:
        keep &= shown["action"].map(lambda a: str(a).split(".", 1)[0] + "." in families).astype(bool)
    return shown[keep].reset_index(drop=True)
