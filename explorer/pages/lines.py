"""Page text -> numbered lines: plain text (with Markdown headings) and saved HTML.

Each :class:`Line` keeps its 1-based line number in the source file and, where the markup said so, a
hint of what it is (title, heading, bullet, prose). Nothing here knows what a side effect is.
"""
from __future__ import annotations

import re
from itertools import compress
from typing import NamedTuple


class Line(NamedTuple):
    """One non-empty line of a page."""

    # A NamedTuple rather than a dataclass: a page has ~100 lines and this is built per line.
    number: int  # 1-based line of the source file
    text: str  # stripped
    hint: str | None = None  # "title" | "heading" | "bullet" | "prose" when the markup said so
    indent: int = 0  # columns of indentation (a text page), or how deep a list item is nested (HTML)


# Characters that print as nothing (byte-order marks inside the text, zero-width space, soft hyphen).
_INVISIBLE = ("\ufeff", "\u200b", "\u00ad")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?P<text>\S.*?)[\s#]*$")


def text_lines(text: str) -> list[Line]:
    """Split page text into non-empty stripped lines, keeping 1-based line numbers.

    Lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only (as editors count them), not at the other
    characters ``str.splitlines`` breaks on, so line numbers match the file.
    """
    numbers, texts, hints = text_rows(text)
    if hints is None:
        return [Line(number, line) for number, line in zip(numbers, texts)]
    return [Line(number, line, hint) for number, line, hint in zip(numbers, texts, hints)]


def text_indents(text: str, numbers: list[int]) -> list[int]:
    """The indentation of each numbered line of ``text`` (a tab counts four columns), as
    :func:`text_rows` numbers them: what tells a sub-item from its parent on a text page."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if "\r" in text else text.split("\n")
    out = []
    for number in numbers:
        line = raw[number - 1].expandtabs(4) if number <= len(raw) else ""
        out.append(len(line) - len(line.lstrip()))
    return out


def text_rows(text: str) -> tuple[list[int], list[str], list[str | None] | None]:
    """:func:`text_lines` as parallel lists of numbers, texts and hints (``None`` when no line has one)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():  # the characters below are not ASCII
        for ch in _INVISIBLE:
            if ch in text:
                text = text.replace(ch, "")
        if "\u00a0" in text:
            text = text.replace("\u00a0", " ")
    stripped = list(map(str.strip, text.split("\n")))
    numbers = list(compress(range(1, len(stripped) + 1), stripped))
    texts = list(filter(None, stripped))
    hints = None
    if "#" in text:  # Markdown headings ("## Rare Side Effects"), rare enough to check afterwards
        for i, line in enumerate(texts):
            if line[0] == "#":
                m = _MARKDOWN_HEADING.match(line)
                if m:
                    if hints is None:
                        hints = [None] * len(texts)
                    texts[i] = m.group("text")
                    hints[i] = "heading"
    return numbers, texts, hints


_HINTS = {"h1": "title", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
          "h6": "heading", "li": "bullet", "dt": "bullet", "p": "prose", "dd": "prose"}
# Elements that end a line. Inside a list item or heading only nested lists do: a <p> or <br> inside
# an <li> is part of the same item.
_BLOCKS = frozenset(_HINTS) | frozenset(
    "address article aside blockquote body br caption details dialog div dl fieldset figcaption "
    "figure footer form header hr html legend main ol pre section summary table tbody td tfoot th "
    "thead tr ul".split())
_LISTS = frozenset("ul ol dl table li dt dd".split())


def html_lines(html: str) -> list[Line]:
    """Saved HTML -> the numbered lines of the whole page, as the template parser reads it.

    Each heading, list item, paragraph and other block becomes one line, numbered by the line of the HTML
    file where its text starts; inline markup inside a block (``<li><b>Headache</b>: ...</li>``) stays in
    the block's line; comments, scripts, styles and navigation menus are left out. The one HTML reader
    (lxml) does the walk: :func:`explorer.pages.maincontent.page_lines`, whose main-content twin
    :func:`~explorer.pages.maincontent.main_lines` is what the general extractor reads.
    """
    from .maincontent import page_lines  # imported here: text pages never need lxml

    return page_lines(html)
