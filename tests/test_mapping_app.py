"""AppTest: an unknown file is mapped by hand on the Import page, the mapping is saved as a
profile, and a second file with the same headers is offered that mapping, applied once confirmed."""

from __future__ import annotations

from datetime import date

from pmo_analytics.store import Store
from tests.conftest import run_app

FIRST = (
    b"Proj,Ref No.,Activity,Begin,End date,Done %,Owner\r\n"
    b"APX,A-1,Survey,2025-04-01,2025-04-04,100%,Ana\r\n"
    b"APX,A-2,Permits,2025-04-07,2025-04-18,40%,Li\r\n"
)
SECOND = b"Ref No.,Proj,Activity,Begin,End date,Done %,Owner\r\nB-9,APX,Handover,2025-05-05,2025-05-09,0%,Sam\r\n"


def texts(at) -> str:
    return " ".join([m.value for m in at.markdown] + [i.value for i in at.info] + [s.value for s in at.success])


def test_map_save_and_reuse_a_profile(app_db):
    at = run_app("20_import.py")
    at.file_uploader[0].set_value(("site.csv", FIRST, "text/csv")).run()
    assert not at.exception, at.exception
    assert "Map the columns" in texts(at)
    at.selectbox(key="map_table_0").set_value("tasks").run()
    # the suggestions are preselected: Begin -> Start, Done % -> % complete, Ref No. -> Task ID ...
    assert at.selectbox(key="map_0_tasks_start").value == "Begin"
    assert at.selectbox(key="map_0_tasks_task_id").value == "Ref No."
    assert at.selectbox(key="map_0_tasks_percent_complete").value == "Done %"
    at.text_input(key="map_name_0").set_value("Site works").run()
    at.button(key="map_save_0").click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Mapping saved as “Site works”" in shown
    assert "Detected: Saved column mapping, 100%" in shown and "2 rows read: 2 valid, 0 rejected." in shown
    assert at.date_input[0].value is None  # no date in the file or its name: the user chooses
    at.date_input[0].set_value(date(2025, 4, 30)).run()
    commit = [b for b in at.button if b.label.startswith("Load 2 valid rows")]
    commit[0].click().run()
    assert not at.exception, at.exception
    assert Store().counts()["tasks"] == 2

    at.file_uploader[0].set_value(("site_may.csv", SECOND, "text/csv")).run()
    assert not at.exception, at.exception
    # the saved mapping is shown and asked about first, never applied silently
    shown = texts(at)
    assert "Detected" not in shown and not at.date_input
    (question,) = [w.value for w in at.warning]
    assert question.startswith("Apply “Site works”, saved by local on 20") and question.endswith(
        "? It reads this file into Tasks as follows:"
    )
    at.button(key="map_use_0").click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Read with the saved mapping “Site works” (confirmed)." in shown
    assert "Detected: Saved column mapping, 100%" in shown and "1 rows read: 1 valid, 0 rejected." in shown
