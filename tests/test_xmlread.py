"""Safe XML parsing in its own module: namespaces stripped, DTDs refused, damage located; and
the readers <-> safety import cycle stays gone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pmo_analytics.errors import FormatError, UnsafeFileError
from pmo_analytics.ingest.xmlread import parse_xml

INGEST = Path(__file__).resolve().parent.parent / "pmo_analytics" / "ingest"


def test_namespaces_are_stripped():
    root = parse_xml("p.xml", b'<Project xmlns="http://schemas.microsoft.com/project"><Name>A</Name></Project>')
    assert root.tag == "Project" and root.find("Name").text == "A"


def test_dtd_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>'
    with pytest.raises(UnsafeFileError) as err:
        parse_xml("bomb.xml", bomb)
    assert err.value.file == "bomb.xml"


def test_damaged_xml_names_line_and_column():
    with pytest.raises(FormatError) as err:
        parse_xml("cut.xml", b"<a>\n<b>text</a>")
    assert "line 2" in str(err.value) and err.value.file == "cut.xml"


def _relative_imports(module: str) -> set[str]:
    tree = ast.parse((INGEST / f"{module}.py").read_text(encoding="utf-8"))
    return {
        n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 1 and n.module
    }


def test_readers_does_not_import_safety():
    assert "safety" not in _relative_imports("readers")  # safety imports readers (in its child), not back
    assert "xmlread" in _relative_imports("readers")
    assert _relative_imports("xmlread") == set()
