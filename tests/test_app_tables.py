"""Every page on the demo, in English and Chinese: every ``st.dataframe`` keeps its numbers as
numbers with a number format from the kind registry (``formatting.column_kind`` through
``ui.table``), no text column holds numbers written as strings, no cell or text element reads
None/NaN/NaT, and money in several currencies carries a currency column.

``st.dataframe`` draws on a canvas a browser test cannot read; this is the check of its
column formats (issue 14, "Done when")."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pmo_analytics import formatting
from pmo_analytics.store import Store, close_all
from tests.conftest import APP, ROOT

pytestmark = pytest.mark.filterwarnings("ignore")

PAGES = sorted(p.name for p in (ROOT / "pages").glob("[0-9]*.py"))
if "15_project.py" in PAGES:  # the drill-down on a project in USD with every section filled
    PAGES.append("15_project.py?id=PRJ-104")
REGISTRY_FORMATS = {s.printf for s in formatting.NUMBER_SPECS.values()}
NUMBER_AS_TEXT = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")  # "29.000000", "0.838", "1,234"
RAW_WORDS = re.compile(r"\b(None|NaN|NaT|nan)\b")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from pmo_analytics.demo import build_demo

    db = tmp_path_factory.mktemp("tables_demo") / "demo.duckdb"
    build_demo(Store(db))
    close_all()
    return db


def _run(page: str, lang: str) -> AppTest:
    if "?id=" in page:  # the project page on one project: its script with the URL's id
        name, pid = page.split("?id=")
        at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=180)
        at.session_state["lang"] = lang
        at.query_params["id"] = pid
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at
    # PMO_LANG too: widgets' format functions are called again by AppTest outside the script
    # run, where the session's language is not in reach (the environment's is)
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["lang"] = lang
    at.run()
    if page != "10_portfolio.py":
        at.switch_page(f"pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _money_format(fmt: str) -> bool:
    """The registry's money format, bare or with one currency code in front ("CNY %,.0f")."""
    return fmt == formatting.NUMBER_SPECS["money"].printf or bool(re.fullmatch(r"[A-Z]{3} %,\.0f", fmt))


# identifiers are text even when they look like numbers (task "153", risk "7")
ID_COLUMNS = ("task_id", "risk_id", "key", "item_id", "pred_task_id", "succ_task_id", "wbs", "parent", "project_id")


def check_dataframe(df: pd.DataFrame, config: dict, where: str, lang: str = "en") -> list[str]:
    """The problems of one shown dataframe (empty when it is clean)."""
    from pmo_analytics.labels import label

    ids = {label(c, lang) for c in ID_COLUMNS}
    problems = []
    for col in df.columns:
        values = df[col]
        cfg = config.get(str(col)) or {}
        type_config = cfg.get("type_config") or {}
        if pd.api.types.is_bool_dtype(values):
            continue
        if pd.api.types.is_numeric_dtype(values):
            fmt = type_config.get("format")
            if not fmt or not (fmt in REGISTRY_FORMATS or fmt.startswith("%+") or _money_format(fmt)):
                problems.append(f"{where}: numeric column {col!r} without a registry format ({fmt!r})")
            continue
        if pd.api.types.is_datetime64_any_dtype(values):
            if type_config.get("format") not in {f for f, _ in formatting.DATE_FORMATS.values()}:
                problems.append(f"{where}: date column {col!r} without a date format")
            continue
        texts = [v for v in values.tolist() if isinstance(v, str)]
        # a column whose cells carry different units row by row (DCMA values: 14.9%, 600, 0.80)
        # cannot be one numeric column: text is right there
        mixed_units = len({v.strip().endswith("%") for v in texts}) > 1
        if (
            col not in ids
            and not mixed_units
            and texts
            and all(NUMBER_AS_TEXT.match(v.strip()) for v in texts)
            and len(texts) > 1
        ):
            problems.append(f"{where}: column {col!r} holds numbers as text: {texts[:3]}")
        raw = [v for v in texts if RAW_WORDS.search(v)]
        if raw:
            problems.append(f"{where}: column {col!r} shows {raw[:2]}")
    return problems


def _currencies(df: pd.DataFrame, config: dict, currency_header: str) -> bool:
    return currency_header in df.columns or any(
        _money_format(str((c.get("type_config") or {}).get("format"))) and " %" in str(c["type_config"]["format"])
        for c in config.values()
    )


TEXT_ELEMENTS = ("markdown", "caption", "info", "warning", "success", "subheader", "title", "metric", "text")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_every_table_keeps_numbers_with_registry_formats(demo_db, monkeypatch, page, lang):
    monkeypatch.setenv("PMO_DB", str(demo_db))
    monkeypatch.setenv("PMO_LANG", lang)
    try:
        at = _run(page, lang)
        problems: list[str] = []
        from pmo_analytics.labels import label

        money_headers = {label(c, lang) for c, k in formatting.COLUMN_KINDS.items() if k == "money"}
        for i, element in enumerate(at.dataframe):
            df = element.value
            config = json.loads(element.proto.columns or "{}")
            where = f"{page} [{lang}] table {i}"
            problems += check_dataframe(df, config, where, lang)
            if money_headers & set(df.columns) and not _currencies(df, config, label("currency", lang)):
                problems.append(f"{where}: money without a currency column or code")
        for kind in TEXT_ELEMENTS:
            for el in getattr(at, kind, []):
                text = " ".join(str(getattr(el, a, "") or "") for a in ("value", "label", "body"))
                if RAW_WORDS.search(text) or re.search(r"\d\.\d{3,}", text):
                    problems.append(f"{page} [{lang}] {kind}: {text[:120]!r}")
        assert not problems, "\n".join(problems)
    finally:
        close_all()


def test_the_checker_catches_what_it_should():
    """The checks above can fail: numbers as text, a bare float, None in a cell."""
    df = pd.DataFrame({"A": ["29.000000", "0.838000"], "B": [1.5, 2.0], "C": ["x", "None"]})
    problems = check_dataframe(df, {"B": {"type_config": {"format": None}}}, "t")
    assert len(problems) == 3, problems
    units = pd.DataFrame({"V": ["14.9%", "600", "0.80"]})  # one unit per row: text is right
    assert check_dataframe(units, {}, "t") == []
    ok = pd.DataFrame({"B": [1.5, 2.0]})
    assert check_dataframe(ok, {"B": {"type_config": {"format": "%.2f"}}}, "t") == []
