"""How much room text takes on a slide, estimated without a font: so the deck shortens or
paginates text before it would overflow its box (``pmo_analytics.deck``).

The estimate is deliberately generous: a full-width character (Chinese, Japanese, Korean,
full-width forms, the "ambiguous" symbols such as ● ▲ ■ that CJK fonts draw full width, and
other symbols such as ⚑) is one em wide; any other character ``NARROW_EM`` of an em (Latin fonts average about half an
em); a line is ``LINE_SPACING`` font sizes tall, which the deck makes exact (each paragraph's
line spacing is set in points, so a tall East Asian font such as Microsoft YaHei, whose natural
line is about 1.32 em, does not make the text taller than measured). Lines wrap at spaces, and anywhere between
two full-width characters; a word wider than the line is broken where it must be.

Sizes are in points (1 pt = 12,700 EMU). No font files, no rendering: the same numbers on
every machine, so the deck's bytes do not depend on the fonts installed.
"""

from __future__ import annotations

import unicodedata

NARROW_EM = 0.6
WIDE_EM = 1.0
LINE_SPACING = 1.25  # the deck sets this exact line pitch on every paragraph (deck._set_text)
ELLIPSIS = "…"


def char_em(ch: str) -> float:
    """The width of one character in ems: full width (1.0) for wide, full-width and ambiguous
    characters and for symbols (⚑, arrows: fonts often draw them an em wide), else ``NARROW_EM``."""
    if unicodedata.east_asian_width(ch) in ("W", "F", "A") or unicodedata.category(ch) == "So":
        return WIDE_EM
    return NARROW_EM


def text_width(text: str, size_pt: float) -> float:
    """The width of ``text`` on one line, in points, at font size ``size_pt``."""
    return sum(char_em(c) for c in text) * size_pt


def _tokens(paragraph: str) -> list[str]:
    """Wrap units: words with their trailing space, and each full-width character alone."""
    out: list[str] = []
    word = ""
    for ch in paragraph:
        if char_em(ch) == WIDE_EM and ch != " ":
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        elif ch == " ":
            out.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        out.append(word)
    return out


def wrap(text: str, size_pt: float, width_pt: float) -> list[str]:
    """``text`` broken into the lines it takes in a box ``width_pt`` wide (paragraphs at
    line breaks; an empty paragraph is one line)."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        line = ""
        for tok in _tokens(para):
            if text_width((line + tok).rstrip(" "), size_pt) <= width_pt:
                line += tok
                continue
            if line:
                lines.append(line.rstrip(" "))
                line = ""
            while text_width(tok.rstrip(" "), size_pt) > width_pt and len(tok) > 1:
                cut = 1
                while cut < len(tok) and text_width(tok[: cut + 1], size_pt) <= width_pt:
                    cut += 1
                lines.append(tok[:cut])
                tok = tok[cut:]
            line = tok
        lines.append(line.rstrip(" "))
    return lines


def lines_needed(text: str, size_pt: float, width_pt: float) -> int:
    """How many lines ``text`` takes in a box ``width_pt`` wide."""
    return len(wrap(text, size_pt, width_pt))


def height(lines: int, size_pt: float) -> float:
    """The height of ``lines`` lines at ``size_pt``, in points."""
    return lines * size_pt * LINE_SPACING


def max_lines(size_pt: float, height_pt: float) -> int:
    """How many lines at ``size_pt`` fit in ``height_pt`` (at least 1)."""
    return max(1, int(height_pt // (size_pt * LINE_SPACING)))


def shorten(text: str, size_pt: float, width_pt: float, lines: int = 1) -> str:
    """``text`` as it is when it fits in ``lines`` lines of ``width_pt``; else cut at the end
    of the room with "…" (line breaks inside become spaces)."""
    text = str(text)
    if lines_needed(text, size_pt, width_pt) <= lines:
        return text
    flat = " ".join(text.split())
    lo, hi = 0, len(flat)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if lines_needed(flat[:mid].rstrip() + ELLIPSIS, size_pt, width_pt) <= lines:
            lo = mid
        else:
            hi = mid - 1
    return flat[:lo].rstrip() + ELLIPSIS
