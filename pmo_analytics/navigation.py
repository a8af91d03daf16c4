"""The menu's sections: which page goes under which heading (app.py's ``st.navigation``).

Pages are the scripts in ``pages/`` (``<NN>_<slug>.py``); ``SECTIONS`` names, in menu order,
the section of each page by its slug and the order of the pages inside it. A page this list
does not know (a new one) goes at the end of the last section, "Data", in file order: nothing
ever drops out of the menu. Section titles are the i18n keys ``nav.<section>``
(``locales/navigation.py``). No Streamlit here: app.py makes the ``st.Page`` objects.
"""

from __future__ import annotations

from collections.abc import Iterable

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("overview", ("portfolio", "project", "status_report")),
    ("schedule", ("gantt", "milestones", "schedule_quality", "schedule_risk")),
    ("cost", ("earned_value", "burn")),
    ("risk_people", ("risk", "resources")),
    ("reports", ("quality", "changes", "lessons", "export")),
    ("data", ("import", "admin", "access", "audit", "settings")),
)
FALLBACK = SECTIONS[-1][0]
PROJECT_PAGE = "project"  # the project page's url path: project?id=<id> (links in tables and chat messages)


def section_of(slug: str) -> str:
    """The section key of the page ``slug`` (``FALLBACK`` for a page not listed)."""
    for key, slugs in SECTIONS:
        if slug in slugs:
            return key
    return FALLBACK


def arrange(slugs: Iterable[str]) -> dict[str, list[str]]:
    """The pages' slugs grouped by section, sections in menu order (empty ones left out),
    pages in their listed order, unlisted pages after them in the order given."""
    given = list(dict.fromkeys(slugs))
    rank = {s: i for _, listed in SECTIONS for i, s in enumerate(listed)}
    out: dict[str, list[str]] = {}
    for key, _ in SECTIONS:
        mine = [s for s in given if section_of(s) == key]
        mine.sort(key=lambda s: (s not in rank, rank.get(s, 0), given.index(s)))
        if mine:
            out[key] = mine
    return out
