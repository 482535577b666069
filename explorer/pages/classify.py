"""What a line is (heading, bullet or prose), and a bullet's name and description.

:func:`classify_line` is the one line classifier: the template parser's title search and its parse
loop both call it. Markup hints (an HTML ``<li>``, a Markdown ``#``) decide when present; otherwise the
text does: a bullet marker makes a bullet, a short line that reads as a heading
(:func:`explorer.pages.headings.heading_line`) a heading, anything else prose.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .headings import Subject, heading_key, heading_line

_BULLET_STARTS = frozenset("-*•‣◦▪●–—(0123456789")
_BULLET = re.compile(r"^(?:[-*•‣◦▪●–—]\s+|[•▪●]\s*|\d{1,3}[.)]\s+|\(\d{1,3}\)\s+)(?P<body>\S.*)$")
# First separator wins, so a description may hold colons and dashes of its own. An unspaced em dash
# separates ("Nausea—feeling sick"); an unspaced en dash or hyphen does not ("5–7 years", "check-ups").
_SEPARATOR = re.compile(r":\s+|:$|\s+[-–—]{1,2}\s+|—|(?<=[a-z]):(?=[A-Z])")
#: How a line that ends like a sentence ends.
TERMINAL = ('.', '!', '?', '…', '"', "'", '”', '’', ')', ']')
#: Longest line that may read as a heading, and the last characters a heading never has.
HEADING_MAX_CHARS = 120
_NOT_HEADING_END = ".,;!…"


def classify_line(text: str, hint: str | None = None, subject: Subject | None = None
                  ) -> tuple[str, str, str | None, tuple[str, str | None] | None]:
    """Return ``(kind, body, key, known)`` for one non-empty, stripped line.

    kind is "heading", "bullet" or "prose" (or the hint itself when it names another kind); body is the
    text, without its marker for a bullet. For a heading found by its text (no hint), ``key`` is the text
    it was classified by (with the page's drug swapped for a stand-in when ``subject`` allows, see
    :func:`explorer.pages.headings.heading_key`) and ``known`` its subject-free kind; both are ``None``
    otherwise. Pass them to :func:`explorer.pages.headings.heading_kind`.

    >>> classify_line("- Headache: a dull pain")[:2]
    ('bullet', 'Headache: a dull pain')
    >>> classify_line("Rare Side Effects")[:2], classify_line("It can cause cramps.")[:2]
    (('heading', 'Rare Side Effects'), ('prose', 'It can cause cramps.'))
    """
    if hint:
        if hint == "bullet":
            if text[0] in _BULLET_STARTS:
                m = _BULLET.match(text)
                if m:
                    return "bullet", m.group("body"), None, None
            return "bullet", text, None, None
        return ("heading" if hint == "title" else hint), text, None, None
    if text[0] in _BULLET_STARTS:
        if text[:2] == "- " and len(text) > 2 and not text[2].isspace():
            return "bullet", text[2:], None, None  # the usual marker, without the regular expression
        m = _BULLET.match(text)
        if m:
            return "bullet", m.group("body"), None, None
    if len(text) > HEADING_MAX_CHARS or text[-1] in _NOT_HEADING_END:
        return "prose", text, None, None
    key = heading_key(text, subject)
    known = heading_line(key)
    if known is None:
        return "prose", text, None, None
    return "heading", text, key, known


def is_bullet(text: str) -> bool:
    """Whether a line starts with a bullet marker ('- ', '• ', '1. ', '(2) ', ...)."""
    return text[0] in _BULLET_STARTS and _BULLET.match(text) is not None


@lru_cache(maxsize=16384)
def item(body: str) -> tuple[str, str | None, bool]:
    """(name, description, ends like a sentence) of a bullet's text. Cached: sites repeat items.

    >>> item("Headache: a dull pain.")
    ('Headache', 'a dull pain.', True)
    """
    name, description = split_item(body)
    return name, description, body.endswith(TERMINAL)


def split_item(body: str) -> tuple[str, str | None]:
    """'Name: description' -> (name, description); the first separator wins, later colons stay."""
    if "**" in body or "__" in body:  # Markdown bold around the name: "**Headache:** text"
        body = body.replace("**", "").replace("__", "")
    m = _SEPARATOR.search(body)
    if not m or m.start() == 0:
        return body.strip(" *_").rstrip(".;,").strip(), None
    name = body[: m.start()].strip(" *_")
    description = body[m.end():].strip() or None
    return name, description
