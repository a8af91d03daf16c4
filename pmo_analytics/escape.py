"""Text from data is shown, never interpreted: the one escaping helper for Markdown and HTML.

Names, notes, owners, file names and values in error messages come from uploaded files.
Streamlit renders Markdown (with raw HTML off, but links, images, GitHub tables, ``$…$``
LaTeX, ``:shortcode:`` emoji, ``:material/icon:`` icons and ``:red[...]`` colour directives
on) in ``st.markdown/info/warning/error/success/caption/title/header/subheader``, in metric,
expander, tab and widget labels and in ``help`` tooltips; plotly renders a subset of HTML
(``<a href>``, ``<b>``, ``<br>``, ...) in titles, axis labels, legend names, text and hover.

- ``md(text)`` for any Markdown surface. A backslash goes before the characters that make
  Markdown anywhere in a line (``\\ ` * _ [ ] < > $ | ~ & : @``: emphasis, code, links and
  images, HTML and autolinks, maths, tables, strikethrough, entities, ``http://`` and e-mail
  autolinks), before ``www.``, and before what makes a block at the start of the text
  (``# - + = >``, ``1.``, ``1)``); CommonMark shows ``\\x`` as ``x``. A word joiner (U+2060,
  invisible) goes after a ``:`` followed by a word character, ``+``, ``-`` or ``[``, because
  Streamlit replaces emoji shortcodes and ``:material/...:`` icons in the *parsed* text,
  after backslashes are gone. Line breaks become spaces (a value is one line). Other
  characters (``- . / ( ) ! # =`` inside the text) stay as they are, so "PRJ-101" and
  "2026-10-31" read the same in the Markdown source.
- ``html(text)`` for plotly text: ``& < >`` as entities (plotly shows the characters).
- ``md_format(template, **values)`` fills a trusted template (e.g. a translated UI string) with
  values escaped by ``md``.
- ``slack(text)`` for Slack ``mrkdwn`` (chat summaries, ``notify.py``): ``& < >`` as
  ``&amp; &lt; &gt;`` (Slack's control characters: no ``<!channel>``/``<@U123>`` mention and no
  ``<url|link>`` can form), and a zero-width space on both sides of ``* _ ~ `` ` (mrkdwn has no
  backslash escape; a marker with an invisible character beside it neither opens nor closes
  bold, italic, strike or code), after ``@`` and after a ``:`` before a word character (no
  ``@here`` or ``:emoji:`` shortcode). Line breaks become spaces.
- ``card_md(text)`` for an Adaptive Card ``TextBlock`` or ``Fact`` (Markdown, a CommonMark subset:
  bold, italic, lists, links): a backslash before ``\\ * _ [ ] ( ) ` ~ < > # |``, before a list
  marker at the start (``-``, ``+``, ``1.``), and ``{{`` broken. Teams clients differ in how they
  show a backslash escape (some show it), so the chat summary keeps data text out of TextBlocks
  altogether and uses this only as a guard on its own labels.
- ``card_text(text)`` for an Adaptive Card ``TextRun`` (Teams): TextRuns are never read as
  Markdown (schema: "Markdown is not supported"), so data text goes there, not into a
  ``TextBlock``; a word joiner breaks ``{{`` (no ``{{DATE(...)}}`` function forms). Line
  breaks become spaces.

No streamlit import (library code).
"""

from __future__ import annotations

import html as _html
import math
import re
from collections.abc import Mapping

WORD_JOINER = "\u2060"
_ALWAYS = frozenset("\\`*_[]<>$|~&:@")
_BLOCK_START_RE = re.compile(r"^(\s*)([#+=>-]|\d+[.)])")
_WWW_RE = re.compile(r"(?i)(?<![\w.])(www)\.")
_COLON_RE = re.compile(r":(?=\\?[\w\[+\-])")
_BREAK_RE = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def md(value: object) -> str:
    """``value`` as literal text inside Markdown (see the module docstring); None/NaN -> ""."""
    text = _BREAK_RE.sub(" ", _text(value))
    text = "".join("\\" + ch if ch in _ALWAYS else ch for ch in text)
    text = _WWW_RE.sub(r"\1\\.", text)
    text = _BLOCK_START_RE.sub(lambda m: m[1] + (m[2][:-1] + "\\" + m[2][-1]), text)
    # after escaping, a colon is written "\:"; break "\:name" so no shortcode/icon/directive forms
    return _COLON_RE.sub(":" + WORD_JOINER, text)


def html(value: object) -> str:
    """``value`` as literal text inside plotly's HTML subset (titles, labels, text, hover)."""
    return _html.escape(_text(value), quote=False)


def md_format(template: str, /, **values: object) -> str:
    """``template.format(**values)`` with every value escaped by ``md`` (the template is ours)."""
    return template.format(**{k: md(v) for k, v in values.items()})


def md_values(values: Mapping[str, object]) -> dict[str, str]:
    """``values`` with each escaped by ``md`` (for ``i18n.t(key, lang, **md_values(...))``)."""
    return {k: md(v) for k, v in values.items()}


ZERO_WIDTH_SPACE = "\u200b"
_SLACK_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SLACK_MARKERS = frozenset("*_~`")
_SLACK_COLON_RE = re.compile(r":(?=\w)")
_BRACES_RE = re.compile(r"\{(?=\{)")


def slack(value: object) -> str:
    """``value`` as literal text inside Slack ``mrkdwn`` (see the module docstring); None/NaN -> ""."""
    text = _BREAK_RE.sub(" ", _text(value))
    out = []
    for ch in text:
        if ch in _SLACK_ENTITIES:
            out.append(_SLACK_ENTITIES[ch])
        elif ch in _SLACK_MARKERS:
            out.append(ZERO_WIDTH_SPACE + ch + ZERO_WIDTH_SPACE)
        elif ch == "@":
            out.append("@" + ZERO_WIDTH_SPACE)
        else:
            out.append(ch)
    return _SLACK_COLON_RE.sub(":" + ZERO_WIDTH_SPACE, "".join(out))


_CARD_ALWAYS = frozenset("\\*_[]()`~<>#|")
_CARD_BLOCK_RE = re.compile(r"^(\s*)([-+]|\d+\.)")


def card_md(value: object) -> str:
    """``value`` as literal text in an Adaptive Card TextBlock/Fact (see the module docstring)."""
    text = _BREAK_RE.sub(" ", _text(value))
    text = "".join("\\" + ch if ch in _CARD_ALWAYS else ch for ch in text)
    text = _CARD_BLOCK_RE.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], text)
    return _BRACES_RE.sub("{" + WORD_JOINER, text)


def card_text(value: object) -> str:
    """``value`` as literal text for an Adaptive Card ``TextRun`` (see the module docstring)."""
    text = _BREAK_RE.sub(" ", _text(value))
    return _BRACES_RE.sub("{" + WORD_JOINER, text)


def visible(text: str) -> str:
    """``text`` without the invisible characters the escapers insert (tests: what a reader sees)."""
    return text.replace(ZERO_WIDTH_SPACE, "").replace(WORD_JOINER, "")
