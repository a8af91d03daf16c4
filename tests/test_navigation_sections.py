"""The menu in sections (``pmo_analytics.navigation``, app.py's ``st.navigation``): every page
of ``pages/`` in exactly one section, the sections and their titles in both languages, a new
page never lost. The rendered menu itself: tests/e2e/test_navigation.py."""

from __future__ import annotations

from pathlib import Path

from pmo_analytics import i18n, navigation

ROOT = Path(__file__).resolve().parent.parent
SLUGS = [p.stem.split("_", 1)[1] for p in sorted((ROOT / "pages").glob("[0-9][0-9]_*.py"))]


def test_every_page_is_in_exactly_one_section():
    arranged = navigation.arrange(SLUGS)
    placed = [s for slugs in arranged.values() for s in slugs]
    assert sorted(placed) == sorted(SLUGS) and len(placed) == len(set(placed))


def test_the_sections_as_the_issue_lists_them():
    arranged = navigation.arrange(SLUGS)
    assert list(arranged) == ["overview", "schedule", "cost", "risk_people", "reports", "data"]
    assert arranged["overview"] == ["portfolio", "project", "status_report"]
    assert arranged["schedule"] == ["gantt", "milestones", "schedule_quality", "schedule_risk"]  # issue 18
    assert arranged["cost"] == ["earned_value", "burn"]
    assert arranged["risk_people"] == ["risk", "resources"]
    assert arranged["reports"] == ["quality", "changes", "lessons", "export"]
    assert arranged["data"][0] == "import"


def test_section_titles_are_translated():
    titles = {k: (i18n.t(f"nav.{k}", "en"), i18n.t(f"nav.{k}", "zh")) for k, _ in navigation.SECTIONS}
    assert titles["overview"] == ("Overview", "概览")
    assert titles["risk_people"] == ("Risk & people", "风险与人员")
    for key, (en, zh) in titles.items():
        assert en != f"nav.{key}" and zh != en and not zh.isascii(), (key, en, zh)


def test_every_page_title_is_translated():
    for slug in SLUGS:
        en, zh = i18n.t(f"page.{slug}", "en"), i18n.t(f"page.{slug}", "zh")
        assert en != f"page.{slug}" and not zh.isascii(), (slug, en, zh)


def test_a_page_not_listed_goes_to_the_last_section_and_empty_sections_are_left_out():
    arranged = navigation.arrange(["risk", "zz_new", "portfolio", "import", "aa_new"])
    assert arranged == {"overview": ["portfolio"], "risk_people": ["risk"], "data": ["import", "zz_new", "aa_new"]}


def test_app_asks_for_a_fully_expanded_menu():
    """No "View N more": st.navigation(..., expanded=True) (Streamlit collapses a sidebar menu
    of more than twelve pages to ten otherwise)."""
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    assert "st.navigation(menu(), expanded=True)" in source
