"""Errors and validation findings carry a message key and parameters; every key has English and
Chinese text, and every parameter a text names is supplied where the error is raised.

The raise sites are found by reading the source (``ast``): a call with ``key="..."`` (an error)
or ``Problem.of(..., "key", {...})`` (a finding). Keys built at run time are checked for every
catalog key they can produce (``f"validate.expected.{dtype}"``, the reader-crash keys)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pmo_analytics import i18n, messages
from pmo_analytics.errors import FormatError, IngestError, PmoError, StoreError, ValidationError
from pmo_analytics.ingest.base import Problem

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "pmo_analytics").rglob("*.py"), *(ROOT / "pages").glob("*.py")])
# modules whose every error and finding must speak keys (no literal English message left)
KEYED = ("pmo_analytics/ingest/", "pmo_analytics/store.py", "pmo_analytics/settings.py", "pmo_analytics/export.py")
KEYED_FILES = ("pmo_analytics/importing.py",)
WHERE = {"file", "sheet", "row", "column"}
CJK = re.compile(r"[\u4e00-\u9fff]")
# keys chosen at run time from a variable: the catalog keys it can take
DYNAMIC = {("pmo_analytics/ingest/safety.py", "what"): "safety.reader_"}


def _literal_keys(node: ast.AST) -> set[str] | None:
    if isinstance(node, ast.Dict):
        if all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.keys):
            return {k.value for k in node.keys}  # type: ignore[union-attr]
        return None
    if isinstance(node, ast.Constant) and node.value is None:
        return set()
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "dict" and not node.args:
        return {k.arg for k in node.keywords if k.arg}
    return None


def _keys_of(node: ast.AST, rel: str) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):  # hint_key="a" if known else "b": both
        return _keys_of(node.body, rel) + _keys_of(node.orelse, rel)
    if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
        prefix = node.values[0].value
        return [k for k in i18n.catalog() if k.startswith(prefix)]
    if isinstance(node, ast.Name) and (rel, node.id) in DYNAMIC:
        return [k for k in i18n.catalog() if k.startswith(DYNAMIC[rel, node.id])]
    raise AssertionError(f"{rel}:{node.lineno}: a message key the test cannot resolve")


def _sites() -> list[tuple[str, int, list[str], set[str] | None]]:
    """(file, line, keys (message and hint), parameter names supplied) for every keyed site."""
    out = []
    for path in SOURCES:
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            kw = {k.arg: k.value for k in node.keywords if k.arg}
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "of" and getattr(func.value, "id", "") == "Problem":
                args = list(node.args)
                key_node = args[5] if len(args) > 5 else kw.get("key")
                params_node = args[6] if len(args) > 6 else kw.get("params")
                supplied = set() if params_node is None else _literal_keys(params_node)
                out.append((rel, node.lineno, _keys_of(key_node, rel), supplied))
            elif "key" in kw and (getattr(func, "id", "") or getattr(func, "attr", "")).endswith("Error"):
                keys = _keys_of(kw["key"], rel)
                if "hint_key" in kw:
                    keys += _keys_of(kw["hint_key"], rel)
                supplied = set() if "params" not in kw else _literal_keys(kw["params"])
                if supplied is not None:
                    supplied |= WHERE & set(kw)
                out.append((rel, node.lineno, keys, supplied))
    return out


SITES = _sites()


def test_the_scan_finds_the_raise_sites():
    # 94 keyed sites when this test was written (errors with hints and findings); the scan must not go blind
    assert len(SITES) >= 90, len(SITES)
    assert sum(1 for s in SITES if s[0].startswith("pmo_analytics/store.py")) >= 14


@pytest.mark.parametrize(("rel", "line", "keys", "supplied"), SITES, ids=[f"{s[0]}:{s[1]}" for s in SITES])
def test_every_key_has_both_languages_and_its_parameters(rel, line, keys, supplied):
    assert keys, f"{rel}:{line}: no key"
    assert supplied is not None, f"{rel}:{line}: params must be a literal dict (so they can be checked)"
    for key in keys:
        assert i18n.has(key), f"{rel}:{line}: key {key!r} has no text"
        en, zh = i18n.catalog()[key]
        assert en.strip() and zh.strip(), key
        assert CJK.search(zh), f"{key}: the Chinese text has no Chinese"
        for lang, text in (("en", en), ("zh", zh)):
            missing = messages.fields(text) - supplied
            assert not missing, f"{rel}:{line}: {key} ({lang}) names {sorted(missing)}, not supplied"


def _literal_message_sites() -> list[str]:
    """Errors raised with a literal English message, or findings built without a key, in the keyed modules."""
    errors = {n for n, c in vars(__import__("pmo_analytics.errors", fromlist=["x"])).items() if isinstance(c, type)}
    bad = []
    for path in SOURCES:
        rel = path.relative_to(ROOT).as_posix()
        if not (rel.startswith(KEYED) or rel in KEYED_FILES):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", "")
            if name in errors and node.args and isinstance(node.args[0], (ast.Constant, ast.JoinedStr, ast.BinOp)):
                bad.append(f"{rel}:{node.lineno}")
            if name == "Problem":
                bad.append(f"{rel}:{node.lineno}")
    return bad


def test_no_english_only_message_is_left_in_ingest_store_settings_export():
    assert _literal_message_sites() == []


def test_every_error_text_has_the_same_kind_of_text_in_both_languages():
    from pmo_analytics.locales import errors as locale

    for key, (en, zh) in locale.STRINGS.items():
        assert en and zh, key
        if not key.startswith(("where.", "severity.")):
            assert CJK.search(zh), key


# ------------------------------------------------------------------ rendering


def test_str_stays_english_and_render_gives_chinese():
    exc = FormatError(key="ingest.empty", file="plan.csv")
    assert str(exc) == "file 'plan.csv': the file is empty"
    assert exc.render("en") == str(exc)
    assert exc.render("zh") == "文件“plan.csv”：文件为空"
    assert exc.key == "ingest.empty" and exc.file == "plan.csv"


def test_parameters_and_hint_are_rendered_in_each_language():
    exc = IngestError(
        key="ingest.too_large",
        params={"size_mb": 3.25, "limit_mb": 2.0},
        file="big.xlsx",
        hint_key="hint.split_or_raise_limit",
    )
    # 3.25 formatted .1f -> "3.2" (round half to even), 2.0 formatted .0f -> "2"
    assert str(exc) == (
        "file 'big.xlsx': the file is 3.2 MiB, over the 2 MiB upload limit Split it, or raise PMO_MAX_UPLOAD_MB."
    )
    assert (
        exc.render("zh")
        == "文件“big.xlsx”：文件大小为 3.2 MiB，超过 2 MiB 的上传上限。请拆分文件，或调高 PMO_MAX_UPLOAD_MB。"
    )


def test_error_without_key_keeps_its_message_in_every_language():
    exc = PmoError("something plain", hint="Do this.")
    assert exc.render("zh") == exc.render("en") == "something plain Do this."


def test_validation_error_lists_its_findings_in_the_language():
    p = Problem.of("edit", "Risks", 3, "Probability", "2", "validate.range", {"lo": 0, "hi": 1})
    exc = ValidationError(problems=[p], key="store.edit_not_saved", params={"problems": str(p)})
    assert str(
        exc
    ) == "the edit was not saved: file 'edit', sheet 'Risks', row 3, column 'Probability' (value '2'): " + (
        "expected a value from 0 to 1"
    )
    assert (
        exc.render("zh")
        == "修改未保存：文件“edit”，工作表“Risks”，第 3 行，列“Probability”（值“2”）：应为 0 到 1 之间的值"
    )


def test_problem_keeps_english_message_and_translates_in_the_report():
    p = Problem.of("a.csv", "", 4, "Start", "x", "validate.expected.date")
    assert p.message.startswith("expected a date such as 2025-03-31")
    assert str(p) == f"file 'a.csv', row 4, column 'Start' (value 'x'): {p.message}"
    frame = messages.problems_frame([p], "zh")
    assert frame["problem"].tolist() == ["应为日期，例如 2025-03-31、31/03/2025、31-Mar-2025 或 2025年3月31日"]
    assert frame["severity"].tolist() == ["错误"]
    assert messages.problems_frame([p], "en")["severity"].tolist() == ["error"]


def test_code_round_trips_for_frames_and_json():
    exc = StoreError(key="store.no_import", params={"import_id": 7}, hint_key="hint.list_imports")
    code = exc.code()
    assert code["key"] == "store.no_import" and code["params"] == {"import_id": 7}
    assert messages.render_code(code, "zh") == "不存在第 7 次导入。请列出导入记录查看编号。"
    assert messages.render_code(code, "en") == "there is no import #7 List imports to see their numbers."


def test_key_survives_the_isolated_reader():
    """Errors raised in the parsing child process come back with their key and parameters."""
    from pmo_analytics.importing import parse_upload

    with pytest.raises(FormatError) as info:
        parse_upload("empty.csv", b"   \n")
    assert info.value.key == "ingest.empty" and info.value.file == "empty.csv"
    assert info.value.render("zh") == "文件“empty.csv”：文件为空"


def test_unrecognised_format_has_a_stable_key():
    from pmo_analytics.ingest import parse_bytes

    with pytest.raises(FormatError) as info:
        parse_bytes("notes.csv", b"colour,flavour\nred,sweet\nblue,sour\n")
    assert info.value.key == "ingest.not_recognised"
    assert "无法识别文件格式" in info.value.render("zh")
