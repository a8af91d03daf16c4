"""PMO Portfolio Health: entry script. Page config, shared sidebar filters, navigation.

Pages are the scripts in ``pages/`` named ``<NN>_<slug>.py``; a page's title is the i18n key
``page.<slug>`` and its icon the ``# icon:`` comment on its second line. The menu shows them in
sections (``pmo_analytics.navigation``: Overview, Schedule, Cost, Risk & people, Reports, Data,
titles translated), every page always listed (``expanded=True``: no "View N more").
A page's URL is ``/<slug>`` (the default page, portfolio, is ``/``); an unknown path gets
Streamlit's "page not found" notice and the default page.

The folder is named ``pages/``, which also makes Streamlit start in its v1 multipage mode (each
page run on its own, no sidebar filters) until ``st.navigation`` has been called once in the
process; ``pmo_analytics.ui`` switches that mode off on its first import and sends the runs it
caught back through this script (``ui._route_through_app``, tests/e2e/test_navigation.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from pmo_analytics import navigation, ui

PAGES_DIR = Path(__file__).resolve().parent / "pages"
# The tab icon is a file served by the app itself: a ":material/...:" page icon makes the browser
# fetch an SVG from fonts.gstatic.com, which fails offline (tests/e2e/test_offline.py).
FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"
_ICON_RE = re.compile(r"^#\s*icon:\s*(\S+)", re.MULTILINE)


def discover_pages() -> dict[str, st.Page]:
    """Every page of ``pages/`` by slug, in file order, titled in the session's language."""
    pages = {}
    for path in sorted(PAGES_DIR.glob("[0-9][0-9]_*.py")):
        slug = path.stem.split("_", 1)[1]
        head = path.read_text(encoding="utf-8")[:400]
        icon = m[1] if (m := _ICON_RE.search(head)) else None
        pages[slug] = st.Page(path, title=ui.t(f"page.{slug}"), icon=icon, url_path=slug, default=slug == "portfolio")
    return pages


def menu() -> dict[str, list[st.Page]]:
    """The pages by section (``navigation.arrange``), section titles in the session's language."""
    pages = discover_pages()
    return {ui.t(f"nav.{key}"): [pages[s] for s in slugs] for key, slugs in navigation.arrange(pages).items()}


st.set_page_config(page_title=ui.t("app.title"), page_icon=str(FAVICON), layout="wide")
if not ui.access_gate():  # sign-in configured and nobody signed in: the sign-in screen only
    st.stop()
nav = st.navigation(menu(), expanded=True)
with ui.guard():
    ui.sidebar_filters()
nav.run()
