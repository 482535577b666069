"""A page's lines as the general extractor reads them: citations dropped, wrapped lines joined, items found.

:func:`prepare` turns :class:`~explorer.pages.lines.Line` rows into :class:`Row` rows:

- a citation glued to text is dropped ("Headache[1]", "reported most often.[Ref]", "[2, 3]");
- a FAQ's question and answer marks are dropped ("Q: What are ...?", "A: Side effects include:");
- lines an editor wrapped are joined back into their paragraph (:func:`paragraphs`);
- a list item is found by its marker (``-``, ``*``, ``•``, ``1.``, ``(2)``, a numbered item glued to its text
  such as "8.feeling" inside a numbered list, and an ``o`` sub-item under a ``•`` item) or by the markup, and
  gets its depth: 0 at the top of a list, one more for each level of indentation (a text page) or nesting
  (an HTML list), so that the signs listed under an item are told from the items themselves.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .items import leaflet_label, system_label
from .lines import Line

_CITATION = re.compile(r"\s*\[(?:\d{1,3}(?:\s*[-–,]\s*\d{1,3})*|ref|refs|citation needed|note\s+\d+)\]", re.I)
_BULLET = re.compile(r"^(?:[-*+–—]\s+|[•‣◦▪●■➢►✓✔]\s*|(?P<num>\d{1,3})\s*[.):]\s+|\((?P<pnum>\d{1,3})\)\s+)"
                     r"(?P<body>\S.*)$")
_GLUED_NUMBER = re.compile(r"^(?P<num>\d{1,2})\.(?P<body>[A-Za-z].*)$")  # "8.feeling of being full"
_SUB_BULLET = re.compile(r"^o\s+(?P<body>\S.*)$")  # "o Red or brown urine" under a "•" item
#: The question and answer marks of a FAQ ("Q: What are ...?", "A: Side effects include:").
_FAQ_MARK = re.compile(r"^(?:Q|A|Question|Answer)\s*[:.)]\s+(?=\S)")


class Row(NamedTuple):
    """One line as the extractor reads it."""

    number: int
    text: str  # the line, citations dropped
    hint: str | None
    bullet: bool
    body: str  # the item's text without its marker (the text itself for other lines)
    depth: int  # 0 for a top-level item, 1 under it, ...
    numbered: bool  # a numbered item ("3. Dizziness")


#: A text line at least this long that does not end a sentence was wrapped by its writer's editor.
WRAP_WIDTH = 55


def prepare(lines: list[Line]) -> list[Row]:
    """The page's lines without glued citations, wrapped lines joined, list items found with their depth."""
    cleaned = []
    for line in lines:
        text = _CITATION.sub("", line.text) if "[" in line.text else line.text
        text = _FAQ_MARK.sub("", text.strip()).strip()
        if text:
            cleaned.append(Line(line.number, text, line.hint, line.indent))
    rows: list[Row] = []
    stack: list[tuple[int, int]] = []  # (indent, depth) of the items of the list being read
    previous: Row | None = None
    for number, text, hint, indent in paragraphs(cleaned):
        m = _BULLET.match(text) if hint in (None, "bullet") else None
        body, numbered = text, False
        is_bullet = hint == "bullet"
        sub = False
        if m and not text.startswith("**"):
            body, is_bullet, numbered = m.group("body"), True, bool(m.group("num") or m.group("pnum"))
        elif hint is None and previous is not None and previous.bullet:
            g = _GLUED_NUMBER.match(text) if previous.numbered else None
            s = _SUB_BULLET.match(text)
            if g:
                body, is_bullet, numbered = g.group("body"), True, True
            elif s:
                body, is_bullet, sub = s.group("body"), True, True
        depth = 0
        if is_bullet:
            if previous is not None and previous.bullet:
                if sub:
                    depth = previous.depth + (0 if previous.body is not None and _is_sub(previous) else 1)
                else:
                    while stack and stack[-1][0] > indent:
                        stack.pop()
                    depth = stack[-1][1] if stack and stack[-1][0] == indent else (
                        stack[-1][1] + 1 if stack else 0)
            else:
                stack = []
            if not sub:
                if not stack or stack[-1][0] != indent:
                    stack.append((indent, depth))
        else:
            stack = []
        row = Row(number, text, hint, is_bullet, body, depth, numbered)
        if sub:
            row = row._replace(text="o " + body)
        rows.append(row)
        previous = row
    return rows


def _is_sub(row: Row) -> bool:
    return row.text.startswith("o ")


def paragraphs(lines: list[Line]) -> list[Line]:
    """Text lines wrapped by an editor joined back into their paragraph (numbered by its first line).

    A line continues the one before when it follows it directly, neither is a bullet, a table row or
    marked up, the one before does not end a sentence or a label, and either the one before is at least
    :data:`WRAP_WIDTH` characters and this one starts in lower case or is not a short line of its own (a
    heading, an item: fewer than six words and no end punctuation), or this one starts in lower case and
    ends a sentence, or stops without and follows a line that stops mid-phrase ("... of"). Short consecutive lines (a
    leaflet's items, headings, a list whose items after the first start in lower case) stay apart.
    """
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        text = line.text
        own_line = len(text.split()) >= 6 or text[-1] in ".!?;,"  # not a short line of its own (a heading, an item)
        if (prev is not None and line.hint is None and prev.hint is None and line.number == prev.number + 1
                + prev.text.count("\n") and len(_last_part(prev.text)) >= 30 and "|" not in text
                and (not _BULLET.match(prev.text) or text[:1].islower())
                and prev.text[-1] not in ".!?:;" and not _BULLET.match(text) and not text.startswith("|")
                and not (_SUB_BULLET.match(text) and _BULLET.match(prev.text))
                and (len(_last_part(prev.text)) >= WRAP_WIDTH and (text[:1].islower() or own_line)
                     or text[:1].islower() and (text[-1] in ".!?" or own_line and _open_ended(prev.text)))
                and not prev.text.startswith("|") and not leaflet_label(text.partition(":")[0])
                and not system_label(text.partition(":")[0])):
            out[-1] = Line(prev.number, prev.text + "\n" + text, None, prev.indent)
            continue
        out.append(line)
    return [Line(n, " ".join(t.split()), h, d) if "\n" in t else Line(n, t, h, d) for n, t, h, d in out]


#: Words a line cut by an editor may end on, waiting for the rest of the phrase.
_OPEN_WORDS = frozenset("a an the of to in on at for with by from and or but as than that which who whose your "
                        "their its this these is are was were be been has have had can may might will would".split())


def _open_ended(text: str) -> bool:
    """Whether a line stops in the middle of a phrase ("... within the first week or two of")."""
    last = text.rsplit(None, 1)[-1].casefold() if text.strip() else ""
    return last in _OPEN_WORDS


def _last_part(text: str) -> str:
    return text.rsplit("\n", 1)[-1]
