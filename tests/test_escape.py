"""The escaping helper: every payload that is markup raw is plain text escaped, and reads the same.

The oracle (tests/markdown_oracle.py) is a CommonMark parser plus Streamlit's own detectors,
not our code; "reads the same" is the text a reader sees (markdown-it's rendered text with
the invisible word joiner removed)."""

from __future__ import annotations

import html as html_mod
import re

import pytest
from markdown_it import MarkdownIt

from pmo_analytics import escape
from tests.markdown_oracle import findings

PAYLOADS = {
    "image": ("![p](http://127.0.0.1:9/beacon.png)", {"image"}),
    "link": ("[Click to re-login](http://127.0.0.1:9/phish)", {"link"}),
    "autolink": ("<http://127.0.0.1:9/x>", {"link"}),
    "bare_url": ("see http://127.0.0.1:9/x now", {"autolink"}),
    "www": ("www.example.com", {"autolink"}),
    "email": ("mail ann@corp.example.com", {"autolink"}),
    "entity": ("&lt;b&gt; &amp;", {"entity"}),
    "plus_list": ("+ item", {"list"}),
    "paren_list": ("1) item", {"list"}),
    "html": ("<img src=x onerror=alert(1)>", {"html"}),
    "html_block": ("<div>\nhi\n</div>", {"html"}),
    "math": ("$x^2$", {"math"}),
    "display_math": ("$$E=mc^2$$", {"math"}),
    "emoji": (":smile: thumbs :+1:", {"emoji"}),
    "icon": (":material/home: home", {"icon"}),
    "colour": (":red[alarm]", {"directive"}),
    "heading": ("# Big", {"heading"}),
    "list": ("- item", {"list"}),
    "ordered": ("1. item", {"list"}),
    "quote": ("> quoted", {"blockquote"}),
    "table": ("| a | b |\n|---|---|\n| 1 | 2 |", {"table"}),
    "emphasis": ("*soft* and **hard**", {"emphasis"}),
    "code": ("`rm -rf`", {"code"}),
    "strike": ("~~gone~~", {"strikethrough"}),
    "rule": ("---", {"rule"}),
}


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_payload_is_markup_raw_and_plain_escaped(name):
    raw, kinds = PAYLOADS[name]
    assert kinds <= findings(raw), (name, findings(raw))  # the oracle sees the markup
    assert findings(escape.md(raw)) == set(), (name, escape.md(raw))


def _seen(source: str) -> str:
    """The text a reader sees: rendered HTML without tags, entities decoded, joiners removed."""
    rendered = MarkdownIt("commonmark").enable("table").render(source)
    return html_mod.unescape(re.sub(r"<[^>]+>", "", rendered)).replace(escape.WORD_JOINER, "").strip()


@pytest.mark.parametrize(
    "text",
    [
        "![p](http://h/b.png)",
        "a\\b\\\\c",
        "50% of $1,000 (est.)",
        "项目：阶段 #2 — A&B <ok>",
        ":smile:",
        "C:\\temp",
        "a_b*c",
    ],
)
def test_escaped_text_reads_exactly_as_the_data(text):
    assert _seen(escape.md(text)) == text


def test_line_breaks_become_spaces_and_missing_is_empty():
    assert escape.md("a\nb\r\nc\rd") == "a b c d"
    assert escape.md(None) == "" and escape.md(float("nan")) == ""
    assert escape.md(42) == "42"


def test_characters_that_make_no_markup_in_the_text_stay_as_they_are():
    # hand-picked: hyphens, dots, slashes, brackets, hashes, bangs, equals and percent inside a
    # line make nothing in CommonMark/GFM, so ids and dates keep their source form
    for text in ("PRJ-101", "2026-10-31", "v1.2 a/b (c) 50% x=y", "Issue #12!", "项目-阶段 2.0"):
        assert escape.md(text) == text


def test_block_markers_at_the_start_are_escaped():
    assert escape.md("- a") == "\\- a"
    assert escape.md("  + a") == "  \\+ a"
    assert escape.md("# a") == "\\# a"
    assert escape.md("12. a") == "12\\. a"
    assert escape.md("3) a") == "3\\) a"
    assert escape.md("> a") == "\\> a"
    assert escape.md("a - b # c 1. d") == "a - b # c 1. d"


def test_md_format_escapes_values_not_the_template():
    out = escape.md_format("**{name}** due {when}", name="[x](http://h)", when="2026-01-02")
    assert out == "**\\[x\\](http\\://h)** due 2026-01-02"
    assert findings(out) == set()  # the template's bold stays (strong is not flagged), no link
    assert escape.md_values({"a": "<b>"}) == {"a": "\\<b\\>"}


def test_html_for_plotly():
    assert (
        escape.html('<a href="javascript:x">y</a> & <b>') == '&lt;a href="javascript:x"&gt;y&lt;/a&gt; &amp; &lt;b&gt;'
    )
    assert escape.html(None) == "" and escape.html(float("nan")) == "" and escape.html(3) == "3"
