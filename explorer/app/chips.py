"""Chips: a claim's tier and its label status as small labels in their colours (:mod:`explorer.app.style`),
the same in every table and in the page view. Text is always escaped."""
from __future__ import annotations

import html

import numpy as np
import pandas as pd

from ..vocabulary import UNRECOGNISED_TIER, severity_label
from .style import severity_class, status_class


def is_missing(value: object) -> bool:
    """Whether a cell's value is missing (None, pandas' NA or NaN)."""
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


#: ``label_source`` of a claim checked against a label's own text; any other (the curated facts, or none
#: given) is worded as the curated facts.
LABEL_TEXT = "label text"


def status_words(status: object, source: object = None) -> str:
    """A status as a viewer reads it: a listing by the curated facts (``source`` not "label text") is named
    as the curated facts', never as the label's.

    >>> status_words("label adverse reaction", "curated facts"), status_words("label warning", "label text")
    ('curated facts: adverse reaction', 'label warning')
    >>> status_words("not among the captured label facts")
    'not among the captured label facts'
    """
    text = str(status)
    if text.startswith("label ") and not (isinstance(source, str) and source == LABEL_TEXT):
        return "curated facts: " + text[len("label "):]
    return text


def status_chip(status: object, source: object = None) -> str:
    """A label status as a chip in its colour (:mod:`explorer.app.style`), worded by :func:`status_words`."""
    if is_missing(status):
        return ""
    return (f'<span class="explorer-chip {status_class(str(status))}">'
            f'{html.escape(status_words(status, source))}</span>')


#: Longest tier text a chip shows for a tier that names no level (cut at a word, the rest in its title).
TIER_CHARS = 24


def _cut_words(text: str, limit: int = TIER_CHARS) -> str:
    """``text`` if it is at most ``limit`` characters, else its words up to ``limit`` and "…".

    >>> _cut_words("Incidence not known"), _cut_words("Reported by a few people in the early weeks")
    ('Incidence not known', 'Reported by a few people…')
    """
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if not text[limit].isspace() and " " in cut:  # the limit falls inside a word: end before it
        cut = cut.rsplit(None, 1)[0]
    return cut.rstrip(" ,;:") + "…"


def tier_chip(tier: object, severity: object, cls: str = "") -> str:
    """A claim's tier as a chip in its severity's colour: the level's name ("Less common"), so a tier read
    from a lead-in sentence ("Side effects people report include:1-4") shows as its tier. The words as the
    page wrote them are the chip's title when they differ. A tier that names no level keeps its words (cut
    at :data:`TIER_CHARS`) in the unrecognised tier's colour.

    >>> tier_chip("Common side effects include:", "common")
    '<span class="explorer-chip explorer-sev-common" title="Tier on the page: Common side effects include:">Common</span>'
    """
    written = "" if is_missing(tier) else " ".join(str(tier).split())
    if is_missing(severity):
        if not written:
            return ""
        shown, title = _cut_words(written), f"{written} ({UNRECOGNISED_TIER})"
        bucket = UNRECOGNISED_TIER
    else:
        bucket = str(severity)
        shown = severity_label(bucket)
        title = written if written and written.casefold() != shown.casefold() else ""
    classes = " ".join(c for c in ("explorer-chip", cls, severity_class(bucket)) if c)
    attr = f' title="{html.escape("Tier on the page: " + title, quote=True)}"' if title else ""
    return f'<span class="{classes}"{attr}>{html.escape(shown)}</span>'
