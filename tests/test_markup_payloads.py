"""Data text is never markup, on every page (issue 15 item 7).

The demo portfolio plus one project (id included) whose every text value is a Markdown/HTML
payload — an image, a link, raw HTML, ``$…$`` LaTeX, ``:shortcode:`` emoji, a material icon, a
colour directive, a heading, a list, a table, a quote — in names, managers, departments, task
names, resources, risk titles and owners, work items, people, deliverables, lessons and the
manager's note. Every page runs in AppTest; every surface Streamlit renders as Markdown
(markdown, captions, alerts, headings, metric/expander/tab/widget labels and help, radio
options) is judged by an independent oracle (tests/markdown_oracle.py: a CommonMark parser and
Streamlit's own emoji/maths detectors): a surface that shows data makes no link, image, HTML,
heading, list, table, maths, emoji, icon or directive. The payloads do reach the pages (the
escaped text is found), so the check is not vacuous.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pmo_analytics import escape
from tests.markdown_oracle import findings

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.name for p in (ROOT / "pages").glob("[0-9][0-9]_*.py"))
MARK = "zqx"  # in every payload; escaping leaves it intact, so a surface showing data is found
PID = "0-zqx0 [id](http://127.0.0.1:9/id)"  # sorts first: default views show it

PAYLOADS = {
    (
        "projects",
        "name",
    ): "# zqx1 ![p](http://127.0.0.1:9/beacon.png) [Click to re-login](http://127.0.0.1:9/phish) <b>x</b>",
    ("projects", "manager"): "- zqx2 <img src=x onerror=alert(1)> $x^2$",
    ("projects", "department"): ":smile: zqx3 :material/home: :red[dept]",
    ("projects", "program"): "1. zqx4 | a | b |",
    ("projects", "portfolio"): "> zqx5 *quote* `code`",
    ("projects", "sponsor"): "zqx6 www.example.com",
    ("tasks", "name"): "![t](http://127.0.0.1:9/task.png) zqx7 $y$ :fire: <img src=x>",
    ("tasks", "resource_names"): "[res](http://127.0.0.1:9/r) zqx8 :blue[res]",
    ("risks", "title"): "[Risk zqx9](http://127.0.0.1:9/risk) <b>x</b>",
    ("risks", "owner"): "$$zqx10$$ :material/warning:",
    ("risks", "response"): "<script>zqx11</script>",
    ("risks", "category"): "## zqx12",
    ("work_items", "title"): "![w](http://127.0.0.1:9/w.png) zqx13",
    ("work_items", "assignee"): ":+1: zqx14",
    ("work_items", "sprint"): "[S zqx15](http://127.0.0.1:9/s)",
    ("work_items", "fix_version"): "$v zqx16$",
    ("assignments", "person"): "[Person zqx17](http://127.0.0.1:9/p)",
    ("assignments", "department"): "<i>zqx18</i>",
    ("deliverables", "name"): "![d](http://127.0.0.1:9/d.png) zqx19",
    ("deliverables", "accepted_by"): ":green[zqx20]",
    ("lessons", "what_happened"): "[Lesson zqx21](http://127.0.0.1:9/l)",
    ("lessons", "recommendation"): "$zqx22$",
    ("lessons", "owner"): "*zqx23* ~~gone~~",
}
NOTE = "[Note zqx24](http://127.0.0.1:9/n) ![n](http://127.0.0.1:9/n.png) $z$ :smile:"
AUTHOR = "<b>zqx25</b>"

# Element types whose text Streamlit renders as Markdown, and the proto fields that hold it.
MARKDOWN_FIELDS = ("body", "label", "help", "options", "caption")
OPTIONS_AS_MARKDOWN = {"radio", "button_group"}  # selectbox/multiselect options are plain text
PLAIN_TYPES = {"text", "code", "json", "exception", "plotly_chart", "arrow_data_frame", "dataframe", "table"}


def build_payload_db(db: Path) -> Path:
    """The demo portfolio in ``db`` plus the payload project (a later import at the latest
    status date, a copy of the first project's rows with every text replaced)."""
    from pmo_analytics import demo
    from pmo_analytics import store as store_mod
    from pmo_analytics.ingest.base import ParsedUpload

    s = store_mod.Store(db)
    demo.build_demo(s)
    latest = max(s.status_dates())
    pid = s.table("projects")["project_id"].iloc[0]
    tables = {}
    for table in ("projects", "tasks", "links", "risks", "work_items", "assignments", "deliverables", "lessons"):
        df = s.table(table, projects=[pid])
        if df.empty:
            continue
        df = df.drop(columns=[c for c in ("import_id", "status_date") if c in df.columns]).copy()
        df["project_id"] = PID
        for (t, col), text in PAYLOADS.items():
            if t == table and col in df.columns:
                df[col] = text
        tables[table] = df
    missing = {t for t, _ in PAYLOADS} - set(tables)
    assert not missing, f"demo has no rows of {missing} for {pid}"
    s.import_parsed(
        ParsedUpload("payloads.xlsx", "template", "1" * 64, tables, rows_in=sum(len(d) for d in tables.values())),
        latest,
    )
    s.save_note(PID, latest, NOTE, AUTHOR)
    assert PID in set(s.table("projects")["project_id"])
    store_mod.close_all()
    return db


@pytest.fixture(scope="module")
def payload_db(tmp_path_factory):
    return build_payload_db(tmp_path_factory.mktemp("payloads") / "payloads.duckdb")


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    try:
        return [v for v in value if isinstance(v, str)]
    except TypeError:
        return []


def markdown_surfaces(at) -> list[tuple[str, str]]:
    """(element type, text) of every Markdown surface of the app's current run."""
    out = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is None or kind in PLAIN_TYPES:
            continue
        fields = {f.name: v for f, v in proto.ListFields()}
        # blocks: expanders, tabs, popovers keep their label one level down
        for sub in ("expandable", "tab", "popover"):
            if sub in fields:
                fields.update({f"{sub}.{f.name}": v for f, v in fields[sub].ListFields()})
        for name, value in fields.items():
            if name == "options" and kind not in OPTIONS_AS_MARKDOWN:
                continue
            if name.rsplit(".", 1)[-1] in MARKDOWN_FIELDS:
                out += [(f"{kind}.{name}", s) for s in _strings(value)]
    return out


def _run_page(page: str, db: Path, monkeypatch, **state):
    from pmo_analytics import store as store_mod
    from tests.conftest import run_app

    monkeypatch.setenv("PMO_DB", str(db))
    try:
        return run_app(page, session_state=state or None)
    finally:
        store_mod.close_all()


@pytest.mark.parametrize("scope", ["all", "payload"])
@pytest.mark.parametrize("page", PAGES)
def test_no_data_text_becomes_markup(page, scope, payload_db, monkeypatch):
    """Every page, on the whole portfolio and filtered (sidebar) to the payload project, which
    every page then shows (its project pickers default to it)."""
    state = {"f_project": [PID]} if scope == "payload" else {}
    at = _run_page(page, payload_db, monkeypatch, **state)
    bad = []
    for kind, text in markdown_surfaces(at):
        if MARK in text and findings(text):
            bad.append(f"{kind}: {sorted(findings(text))} in {text[:160]!r}")
    for chart in at.get("plotly_chart"):  # plotly renders a subset of HTML in its text
        for path, text in _plotly_strings(json.loads(chart.proto.spec)):
            if MARK in text and any(h in text for h in RAW_HTML):
                bad.append(f"plotly {path}: {text[:160]!r}")
    assert not bad, f"{page}: data text rendered as markup:\n" + "\n".join(bad)


RAW_HTML = ("<img src=x", "<b>x</b>", "<script>", "<i>zqx18</i>")


def _plotly_strings(obj, path: str = "") -> list[tuple[str, str]]:
    if isinstance(obj, str):
        return [(path, obj)]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in _plotly_strings(v, f"{path}.{k}")]
    if isinstance(obj, list):
        return [s for i, v in enumerate(obj) for s in _plotly_strings(v, f"{path}[{i}]")]
    return []


def _shown(at) -> str:
    return "\n".join(text for _, text in markdown_surfaces(at))


def test_payloads_reach_the_pages_escaped(payload_db, monkeypatch):
    """Not vacuous: the pages that show one project (the payload project chosen where a page
    picks one) show its text, escaped by the helper."""
    seen = ""
    for page in ("50_schedule_quality.py", "85_status_report.py", "40_gantt.py"):
        seen += _shown(_run_page(page, payload_db, monkeypatch, f_project=[PID]))
    assert MARK in seen
    # the project name as the helper writes it, and its pieces readable
    assert escape.md(PAYLOADS[("projects", "name")]) in seen or escape.md(PID) in seen, seen[:2000]


def test_the_oracle_flags_the_raw_payloads():
    for text in [*PAYLOADS.values(), NOTE, AUTHOR, PID]:
        assert findings(text), text
        assert not findings(escape.md(text)), text


def test_markdown_surfaces_sees_every_kind(app_db):
    """The collector itself: it finds markdown, captions, alerts, headings, metric and expander
    labels and widget labels/help (else the page test proves nothing)."""
    from streamlit.testing.v1 import AppTest

    def script():
        import streamlit as st

        st.markdown("m-zqx")
        st.caption("c-zqx")
        st.info("i-zqx")
        st.subheader("h-zqx")
        st.metric("metric-zqx", 1)
        with st.expander("e-zqx"):
            st.write("x")
        st.tabs(["t-zqx"])
        st.selectbox("s-zqx", ["a"], help="help-zqx")
        st.radio("r", ["opt-zqx"])
        st.text("plain-zqx")

    at = AppTest.from_function(script).run()
    texts = {t for _, t in markdown_surfaces(at)}
    for want in ("m-zqx", "c-zqx", "i-zqx", "h-zqx", "metric-zqx", "e-zqx", "t-zqx", "s-zqx", "help-zqx", "opt-zqx"):
        assert want in texts, (want, texts)
    assert "plain-zqx" not in texts


def test_uploaded_file_names_are_not_markup(app_db):
    """The Import page quotes file names (heading, errors, detected format) and the parser's
    messages: a file named like a link or an image stays text."""
    from tests.conftest import run_app
    from tests.helpers import template_bytes

    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    broken = "![f](http://127.0.0.1:9/f.png) zqx30 :smile:.xlsx"
    good = "[Click zqx31](http://127.0.0.1:9/phish) $x$.xlsx"
    at = run_app("20_import.py")
    at.file_uploader[0].set_value([(broken, template_bytes()[:1500], xlsx), (good, template_bytes(), xlsx)]).run()
    assert not at.exception, at.exception
    surfaces = [(k, t) for k, t in markdown_surfaces(at) if MARK in t]
    assert {"zqx30", "zqx31"} <= {m for _, t in surfaces for m in ("zqx30", "zqx31") if m in t}, surfaces
    bad = [f"{k}: {sorted(findings(t))} in {t[:160]!r}" for k, t in surfaces if findings(t)]
    assert not bad, "\n".join(bad)
    assert any(escape.md(broken) in e.value for e in at.error)  # the error names the file, escaped
