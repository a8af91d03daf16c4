"""What a Markdown source would become in Streamlit, judged independently of our escaper.

- A CommonMark parser (markdown-it-py, with GitHub tables and strikethrough as Streamlit has
  them) says which elements the source makes: links, images, raw HTML, headings, lists,
  tables, block quotes, code;
- Streamlit's own detectors, copied from its frontend bundle (StreamlitMarkdown, 1.67), say
  whether it would load LaTeX (``$…$``), emoji shortcodes or material icons for the source;
  colour/text directives (``:red[...]``) and bare-URL autolinks are found in the parsed text.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")

# Streamlit frontend (StreamlitMarkdown.*.js): `hm` (emoji needed), `gm`/`_m`/`vm`/`ym` (maths needed)
_EMOJI = re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:")
_CODE_OR_ESCAPE = re.compile(
    r"(?:^|(?<=\n)) {0,3}(`{3,}|~{3,})[\s\S]*?(?:\n[ \t]*\1|$)|(?<!`)(`+)[^`\n]+\2(?!`)|\\[\\$`]"
)
_DISPLAY_MATH = re.compile(r"(?<!\$)\$\$+(?!\$)[\s\S]*?\$\$")
_INLINE_MATH = re.compile(r"(?<!\$)\$(?![\s$])[^$\n]*?[^\s$]\$(?!\d)")
_DIRECTIVE = re.compile(r":[A-Za-z][\w-]*\[")
_MATERIAL = re.compile(r":material[/_]")
_BARE_URL = re.compile(r"(?i)\b(?:https?://|www\.)|[\w.+-]+@[\w-]+\.[\w.-]+")

_BLOCK = {
    "link_open": "link",
    "image": "image",
    "html_inline": "html",
    "html_block": "html",
    "heading_open": "heading",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "table_open": "table",
    "blockquote_open": "blockquote",
    "code_inline": "code",
    "code_block": "code",
    "fence": "code",
    "hr": "rule",
    "em_open": "emphasis",
    "s_open": "strikethrough",
}


def _walk(tokens):
    for tok in tokens:
        yield tok
        if tok.children:
            yield from _walk(tok.children)


def findings(source: str) -> set[str]:
    """The kinds of markup ``source`` would produce in Streamlit (empty set: plain text)."""
    found = set()
    text_parts = []
    for tok in _walk(_MD.parse(source)):
        if tok.type in _BLOCK:
            found.add(_BLOCK[tok.type])
        if tok.type == "text":
            text_parts.append(tok.content)
    if _EMOJI.search(source):
        found.add("emoji")
    if _MATERIAL.search(source.replace(":material/", ":material_")):
        found.add("icon")
    stripped = _CODE_OR_ESCAPE.sub("_", source)
    if "$" in source and (_DISPLAY_MATH.search(stripped) or _INLINE_MATH.search(stripped)):
        found.add("math")
    if "&" in source and re.search(r"(?<!\\)&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);", source):
        found.add("entity")
    # directives and URL autolinks are syntax on the source characters; the escaper must leave
    # no plain ":name[" nor a plain "http://" in the source
    if _DIRECTIVE.search(source):
        found.add("directive")
    if _BARE_URL.search(source):
        found.add("autolink")
    return found
