"""Who may do what, and see which projects: identities, grants, roles and reach (issue 15).

- An ``Identity`` is the signed-in person (e-mail, name and identity groups from the ID token's
  claim named by ``PMO_GROUPS_CLAIM``, default ``groups``), or ``local`` in open mode.
- A ``Grant`` gives an e-mail or a group a role and a reach. Grants are seeded from the TOML file
  named by ``PMO_ACCESS_FILE`` (``read_access_file``) into the database, where admins edit them
  (``Store.save_grant``/``delete_grant``, audited).
- Roles: ``viewer`` (browse, download), ``analyst`` (+ import, map columns, edit registers and
  notes, withdraw own imports), ``admin`` (+ anyone's imports, purge, access, mappings,
  organisation settings, the audit trail). ``can(access, action)`` is the one rule.
- A ``Reach`` is the projects a person sees: every project, or those whose portfolio, department
  or id is listed (a project's portfolio and department are those of its latest stored status
  date). The store applies it in SQL on every read (``Store.table``), so nothing outside it
  leaves the database; an assignment (resource) row is seen with its project.
- Several grants of one person combine: the highest role; what they *see* is every grant's
  reach together, what they may *change* is the reach of their analyst and admin grants.

No streamlit here: ``ui.identity()``/``ui.access()`` build these from ``st.user``.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError, PmoError

ROLES = ("viewer", "analyst", "admin")
_RANK = {r: i for i, r in enumerate(ROLES)}

# action -> the least role that may do it (the roles table of the README)
ACTIONS: dict[str, str] = {
    "browse": "viewer",
    "download": "viewer",
    "import": "analyst",
    "map": "analyst",
    "edit": "analyst",
    "note": "analyst",
    "withdraw_own": "analyst",
    "withdraw": "analyst",  # the Import page's word (pages/20_import.py); anyone's: withdraw_any
    "mapping.edit": "analyst",
    "mapping.delete": "analyst",
    "notify": "analyst",  # post the week's summary to a chat webhook (Status report page)
    "withdraw_any": "admin",
    "purge": "admin",
    "manage_access": "admin",
    "manage_mappings": "admin",
    "manage_settings": "admin",
    "audit": "admin",
}
SCOPE_FIELDS = ("portfolios", "departments", "projects")
GRANT_KINDS = ("email", "group")
LOCAL = "local"  # the identity of open mode (no sign-in configured)
DEFAULT_GROUPS_CLAIM = "groups"


class AccessDeniedError(PmoError):
    """The signed-in person's role or reach does not allow what was asked (nothing changed)."""


@dataclass(frozen=True)
class Identity:
    """A person: e-mail (lower case; ``local`` in open mode), display name, identity groups."""

    email: str
    name: str = ""
    groups: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.name or self.email


@dataclass(frozen=True)
class Reach:
    """The projects a person sees or changes: ``everything``, or the projects whose portfolio,
    department or id is listed (any of them). Hashable: part of every cache key."""

    everything: bool = False
    portfolios: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()

    @property
    def nothing(self) -> bool:
        return not self.everything and not (self.portfolios or self.departments or self.projects)

    def allows(self, project_id: object, portfolio: object = None, department: object = None) -> bool:
        """True when a project with these attributes is inside the reach."""
        if self.everything:
            return True
        return (
            str(project_id) in self.projects
            or (portfolio is not None and str(portfolio) in self.portfolios)
            or (department is not None and str(department) in self.departments)
        )

    def union(self, other: Reach) -> Reach:
        if self.everything or other.everything:
            return EVERYTHING
        return Reach(
            False,
            tuple(sorted({*self.portfolios, *other.portfolios})),
            tuple(sorted({*self.departments, *other.departments})),
            tuple(sorted({*self.projects, *other.projects})),
        )

    def describe(self) -> str:
        """ "every project" or "departments: A, B; projects: P-1" (English, for logs and the audit)."""
        if self.everything:
            return "every project"
        parts = [f"{f}: {', '.join(getattr(self, f))}" for f in SCOPE_FIELDS if getattr(self, f)]
        return "; ".join(parts) or "no project"


EVERYTHING = Reach(everything=True)
NOTHING = Reach()


@dataclass(frozen=True)
class Grant:
    """A role and a reach for one e-mail (``kind="email"``) or identity group (``"group"``).
    No portfolio, department or project listed = every project."""

    kind: str
    subject: str
    role: str
    portfolios: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()

    @property
    def reach(self) -> Reach:
        if not (self.portfolios or self.departments or self.projects):
            return EVERYTHING
        return Reach(False, self.portfolios, self.departments, self.projects)

    def matches(self, identity: Identity) -> bool:
        if self.kind == "email":
            return self.subject.casefold() == identity.email.casefold()
        return self.subject in identity.groups


@dataclass(frozen=True)
class Access:
    """What one identity may do: its role (None = no grant at all), the projects it sees and the
    projects it may change. Hashable."""

    identity: Identity
    role: str | None
    sees: Reach = NOTHING
    writes: Reach = NOTHING
    grants: tuple[Grant, ...] = field(default=(), compare=False)

    @property
    def actor(self) -> str:
        """The audit actor: the e-mail (``local`` in open mode)."""
        return self.identity.email


OPEN_MODE = Access(Identity(LOCAL, LOCAL), "admin", EVERYTHING, EVERYTHING)


def resolve(identity: Identity, grants: Iterable[Grant]) -> Access:
    """The ``Access`` of ``identity`` under ``grants``: highest role of the grants that match
    its e-mail or one of its groups; sees = their reach together; writes = the reach of the
    matching analyst/admin grants. No matching grant: role None, sees nothing."""
    mine = tuple(g for g in grants if g.matches(identity) and g.role in _RANK)
    if not mine:
        return Access(identity, None)
    role = max((g.role for g in mine), key=_RANK.__getitem__)
    sees, writes = NOTHING, NOTHING
    for g in mine:
        sees = sees.union(g.reach)
        if _RANK[g.role] >= _RANK["analyst"]:
            writes = writes.union(g.reach)
    return Access(identity, role, sees, writes, mine)


def can(access: Access, action: str) -> bool:
    """True when ``access``'s role allows ``action`` (a key of ``ACTIONS``)."""
    need = ACTIONS[action]
    return access.role is not None and _RANK[access.role] >= _RANK[need]


def require(access: Access, action: str) -> None:
    """Raise ``AccessDeniedError`` unless ``can(access, action)``."""
    if not can(access, action):
        raise AccessDeniedError(
            key="access.denied",
            params={"action": action, "role": access.role or "-", "need": ACTIONS[action], "who": access.actor},
            hint_key="hint.ask_admin",
        )


def deny_project(access: Access, project_id: str) -> AccessDeniedError:
    """The error for a change to a project outside what ``access`` may change."""
    return AccessDeniedError(
        key="access.project_denied",
        params={"project": project_id, "who": access.actor, "reach": access.writes.describe()},
        hint_key="hint.ask_admin",
    )


def identity_from_claims(user: Mapping[str, object], groups_claim: str | None = None) -> Identity:
    """The ``Identity`` of an ID token's claims (``st.user``): e-mail (else the subject), name,
    and the groups claim (``PMO_GROUPS_CLAIM``, default ``groups``; a list, or one text with
    commas or spaces)."""
    claim = groups_claim or os.environ.get("PMO_GROUPS_CLAIM", "").strip() or DEFAULT_GROUPS_CLAIM
    email = str(user.get("email") or user.get("sub") or "").strip().casefold()
    raw = user.get(claim)
    if isinstance(raw, str):
        groups = tuple(g for g in re.split(r"[,\s]+", raw) if g)
    elif isinstance(raw, Sequence):
        groups = tuple(str(g) for g in raw if str(g))
    else:
        groups = ()
    return Identity(email, str(user.get("name") or ""), tuple(sorted(set(groups))))


# ---------------------------------------------------------------- the access file
_LINE_RE = re.compile(r"at line (\d+)")


def _line_of(text: str, section: str, subject: str) -> int:
    """The line of the table ``[section."subject"]`` in the file (1 when not found)."""
    pat = re.compile(r"^\s*\[\s*" + re.escape(section) + r"\s*\.\s*(\"|')?" + re.escape(subject) + r"(\"|')?\s*\]")
    for n, line in enumerate(text.splitlines(), 1):
        if pat.match(line):
            return n
    return 1


def _bad(path: str, line: int, problem: str) -> ConfigError:
    return ConfigError(
        key="access.bad_file", params={"file": path, "line": line, "problem": problem}, hint_key="hint.access_file"
    )


def parse_access_text(text: str, path: str = "access.toml") -> list[Grant]:
    """The grants of an access file's text (see ``read_access_file``)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _LINE_RE.search(str(exc))
        line = int(m[1]) if m else (max(len(text.splitlines()), 1) if "end of document" in str(exc) else 1)
        raise _bad(path, line, str(exc)) from None
    unknown = sorted(set(doc) - {"people", "groups"})
    if unknown:
        line = next((n for n, ln in enumerate(text.splitlines(), 1) if unknown[0] in ln), 1)
        raise _bad(path, line, f'unknown section {unknown[0]!r} (expected [people."e-mail"] or [groups."name"])')
    grants: list[Grant] = []
    for section, kind in (("people", "email"), ("groups", "group")):
        entries = doc.get(section, {})
        if not isinstance(entries, dict):
            raise _bad(path, 1, f'{section} must be tables like [{section}."name"]')
        for subject, body in entries.items():
            line = _line_of(text, section, subject)
            if not isinstance(body, dict):
                raise _bad(path, line, f"{section}.{subject} must be a table with role = ...")
            extra = sorted(set(body) - {"role", *SCOPE_FIELDS})
            if extra:
                raise _bad(path, line, f"unknown key {extra[0]!r} (expected role, {', '.join(SCOPE_FIELDS)})")
            role = body.get("role")
            if role not in _RANK:
                raise _bad(path, line, f"role {role!r} of {subject!r} is not one of {', '.join(ROLES)}")
            lists: dict[str, tuple[str, ...]] = {}
            for f in SCOPE_FIELDS:
                v = body.get(f, [])
                if isinstance(v, str):
                    v = [v]
                if not isinstance(v, list) or not all(isinstance(x, (str, int)) for x in v):
                    raise _bad(path, line, f"{f} of {subject!r} must be a list of names")
                lists[f] = tuple(sorted({str(x).strip() for x in v if str(x).strip()}))
            subj = subject.strip().casefold() if kind == "email" else subject.strip()
            if not subj:
                raise _bad(path, line, f"an empty {kind}")
            grants.append(Grant(kind, subj, role, **lists))
    return grants


def read_access_file(path: str | Path) -> list[Grant]:
    """The grants of the TOML access file ``path``::

        [people."ana@example.com"]
        role = "analyst"
        departments = ["Engineering"]

        [groups."pmo-admins"]
        role = "admin"          # no portfolios/departments/projects: every project

    A file that cannot be read or is wrong raises ``ConfigError`` naming the file and line."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad(str(p), 1, str(exc)) from None
    return parse_access_text(text, str(p))


def access_file() -> str | None:
    """The access file named by ``PMO_ACCESS_FILE`` (None when unset)."""
    return os.environ.get("PMO_ACCESS_FILE", "").strip() or None


__all__ = [
    "ACTIONS",
    "EVERYTHING",
    "NOTHING",
    "OPEN_MODE",
    "ROLES",
    "Access",
    "AccessDeniedError",
    "Grant",
    "Identity",
    "Reach",
    "can",
    "deny_project",
    "identity_from_claims",
    "parse_access_text",
    "read_access_file",
    "require",
    "resolve",
]
