"""AppTest: the Status report page's "Download deck (PowerPoint)" button gives the same bytes
as ``python -m pmo_analytics deck`` for the same selection (the fixture of
``tests/deck_fixture.py``: 2 red, 1 amber, 1 green at 2025-02-28)."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from pmo_analytics import cli
from pmo_analytics.store import Store, close_all
from tests.conftest import ROOT, run_app
from tests.deck_fixture import build_store
from tests.helpers import keep_instances

PAGE = "85_status_report.py"


@pytest.fixture
def managers(monkeypatch):
    """The media file managers of the runs (they hold the deferred downloads)."""
    return keep_instances(monkeypatch, "streamlit.testing.v1.app_test.MediaFileManager", MediaFileManager)


@pytest.fixture
def fixture_db(app_db):
    build_store(Store(app_db))
    close_all()
    return app_db


def clicked(at, managers) -> bytes:
    """Click the deck button the way the server does: the deferred build runs after the run,
    outside the script run context."""
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith("weekly_dl_pptx")]
    file_id = button.proto.deferred_file_id
    assert file_id, "the deck should be built when clicked (deferred)"
    for mgr in reversed(managers):
        entry = mgr._deferred_callables.get(file_id)
        if entry is not None:
            return entry["callable"]()
    raise AssertionError("deferred deck download not registered")


def cli_bytes(db, tmp_path, *args: str) -> bytes:
    out = tmp_path / "cli.pptx"
    assert cli.main(["deck", "--db", str(db), "--out", str(out), *args]) == 0
    return out.read_bytes()


def test_deck_button_gives_the_cli_bytes(fixture_db, managers, tmp_path):
    at = run_app(PAGE)
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith("weekly_dl_pptx")]
    assert button.proto.label == "Download deck (PowerPoint)"
    data = clicked(at, managers)
    assert data == cli_bytes(fixture_db, tmp_path, "--status-date", "2025-02-28")
    assert len(Presentation(io.BytesIO(data)).slides) == 3 + 3  # title, summary, milestones + A, B, D


def test_deck_button_follows_the_project_filter_and_the_language(fixture_db, managers, tmp_path):
    at = AppTest.from_file(str(ROOT / "pages" / PAGE), default_timeout=120)
    at.session_state["lang"] = "zh"
    at.session_state["f_project"] = ["A", "C"]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith("weekly_dl_pptx")]
    assert button.proto.label == "下载周报演示文稿（PowerPoint）"
    data = clicked(at, managers)
    assert data == cli_bytes(fixture_db, tmp_path, "--project", "A", "--project", "C", "--lang", "zh")
    prs = Presentation(io.BytesIO(data))
    assert len(prs.slides) == 3 + 1  # A red; C green has no slide
    assert prs.slides[0].shapes[1].text_frame.text == "项目周报"
