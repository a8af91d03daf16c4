"""Importer notes carry a message key and parameters (``ingest.base.Note``), like errors do: every
key made has English and Chinese text, every parameter a text names is supplied where the note is
made, and the format modules make no English-only note. A Chinese session sees Chinese notes.

The note sites are found by reading the source (``ast``): every ``Note("key", name=...)`` call.
Keys built at run time (``f"note.risk.prob_as.{kind}"``) are checked for every catalog key with
that prefix."""

from __future__ import annotations

import ast
import pickle
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from pmo_analytics import i18n, messages
from pmo_analytics.importing import parse_upload
from pmo_analytics.ingest.base import Note

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SOURCES = sorted((ROOT / "pmo_analytics").rglob("*.py"))
CJK = re.compile(r"[\u4e00-\u9fff]")
# modules whose every note is keyed (no literal English note left)
KEYED = (
    "template.py",
    "jira_csv.py",
    "jira_xml.py",
    "msproject_xml.py",
    "msproject_excel.py",
    "_schedule.py",
    "trello_json.py",
    "asana_csv.py",
    "smartsheet.py",
    "risk_register.py",
    "finance_periods.py",
    "mapping.py",
    "validate.py",
    "normalize.py",
    "fastparse.py",
)


def _keys_of(node: ast.AST, where: str) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _keys_of(node.body, where) + _keys_of(node.orelse, where)
    if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
        prefix = str(node.values[0].value)
        found = [k for k in i18n.catalog() if k.startswith(prefix)]
        assert found, f"{where}: no catalog key starts with {prefix!r}"
        return found
    raise AssertionError(f"{where}: a note key the test cannot resolve")


def _note_sites() -> list[tuple[str, list[str], set[str] | None]]:
    """(place, keys, parameter names supplied or None when unknown) for every ``Note(...)`` call."""
    out = []
    for path in SOURCES:
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Note" and node.args:
                where = f"{rel}:{node.lineno}"
                supplied = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords}
                out.append((where, _keys_of(node.args[0], where), supplied))  # type: ignore[arg-type]
    return out


def test_the_scan_finds_the_note_sites():
    sites = _note_sites()
    # at least one per keyed module, and the keys of this PR's modules are all there
    files = {w.split(":")[0].rsplit("/", 1)[-1] for w, _, _ in sites}
    assert set(KEYED) <= files, set(KEYED) - files
    assert len(sites) >= 60, len(sites)


def test_every_note_key_has_english_and_chinese_and_its_parameters():
    cat = i18n.catalog()
    bad = []
    for where, keys, supplied in _note_sites():
        for key in keys:
            if key not in cat:
                bad.append(f"{where}: {key} has no text")
                continue
            en, zh = cat[key]
            if not en or not CJK.search(zh):
                bad.append(f"{where}: {key} lacks English or Chinese text")
            if messages.fields(en) != messages.fields(zh):
                bad.append(f"{where}: {key}: English and Chinese name different parameters")
            if supplied is not None and not messages.fields(en) <= supplied:
                bad.append(f"{where}: {key} needs {sorted(messages.fields(en) - supplied)}")
    assert not bad, "\n".join(bad)


def test_keyed_modules_make_no_english_only_note():
    bad = []
    for path in SOURCES:
        if path.name not in KEYED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            fn = node.func
            is_note = getattr(fn, "id", "") == "note" and len(node.args) == 2
            is_append = (
                isinstance(fn, ast.Attribute) and fn.attr == "append" and ast.unparse(fn.value) == "result.notes"
            )
            if not (is_note or is_append):
                continue
            arg = node.args[-1]
            if isinstance(arg, (ast.Constant, ast.JoinedStr, ast.BinOp)):
                bad.append(f"{path.name}:{node.lineno}: {ast.unparse(arg)[:60]}")
    assert not bad, "\n".join(bad)


def test_a_note_is_its_english_text_and_keeps_its_key():
    n = Note("note.msp.inactive", n=3)
    assert n == "3 inactive tasks skipped."  # the English template with n = 3
    assert (n.key, dict(n.params)) == ("note.msp.inactive", {"n": 3})
    assert messages.note_text(n, "zh") == "已跳过 3 个非活动任务。"
    assert messages.note_text(n, "en") == "3 inactive tasks skipped."
    assert messages.note_text("plain English", "zh") == "plain English"  # an unkeyed note stays English
    back = pickle.loads(pickle.dumps(n))
    assert (back, back.key, dict(back.params)) == (n, n.key, {"n": 3})


def test_a_trello_upload_notes_are_keyed():
    parsed = parse_upload("trello_board.json", (DATA / "trello_board.json").read_bytes())
    keyed = [n for n in parsed.notes if getattr(n, "key", "")]
    assert "note.trello.rows" in {n.key for n in keyed}  # type: ignore[attr-defined]
    assert "Row numbers in messages count cards (1 = first card in the file)." in parsed.notes


def test_a_chinese_session_sees_chinese_importer_notes(app_db):
    at = AppTest.from_file(str(ROOT / "pages" / "20_import.py"), default_timeout=60)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    at.file_uploader[0].set_value(("trello_board.json", (DATA / "trello_board.json").read_bytes(), "application/json"))
    at.run()
    assert not at.exception, at.exception
    texts = [t.value for t in at.text]
    # locales/notes.py: note.trello.rows in Chinese, and not its English text
    assert "消息中的行号按卡片计数（1 = 文件中的第一张卡片）。" in texts, texts
    assert not any("Row numbers in messages count cards" in t for t in texts), texts


def test_cli_import_errors_speak_the_chosen_language(tmp_path, capsys):
    from pmo_analytics.cli import main

    missing = tmp_path / "missing.xlsx"
    db = str(tmp_path / "cli.duckdb")
    assert main(["import", str(missing), "--db", db, "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert f"error: 文件“{missing}”：未找到" in err, err  # locales/notes.py cli.file_not_found in Chinese
    assert main(["import", str(missing), "--db", db]) == 1
    err = capsys.readouterr().err
    assert f"error: file {str(missing)!r}: not found" in err, err  # English by default, as before
