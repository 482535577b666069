"""The dashboard's look: one stylesheet, its palette, and the text/background pairs it draws.

The stylesheet is ``static/explorer.css`` (layout, type, tiles, chips, tables), written against CSS
variables only: it holds no colour of its own. Its colours are set here, from one palette: the
neutrals of :mod:`explorer.display`, the severities' scale (:data:`explorer.vocabulary.BUCKET_COLOURS`)
and the statuses' hues (:data:`explorer.audit.vocabulary.STATUS_COLOURS`), so a severity or a status has
the same colour in a chart, a chip, a toggle and a tile. :data:`TEXT_PAIRS` lists every pair of text
and background colour the stylesheet uses (tests/app/test_style.py checks each against WCAG AA);
each chip's text is dark or white, whichever contrasts more with its colour
(:func:`explorer.display.text_colour`).

Icons are inline SVG (no icon font, no request to any other host) and the type is the system's sans
serif: nothing is fetched, and no glyph depends on a font the viewer may lack. The stylesheet reaches
the page inside the dashboard's first widget (:func:`stylesheet`), in Voila and in JupyterLab alike;
Voila's page itself is our template (:data:`explorer.config.VOILA_TEMPLATE_DIR`), which asks no CDN for
fonts.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from ..audit.vocabulary import STATUS_COLOURS
from ..display import GRID, INK, INK_MUTED, LINE, PAPER, text_colour
from ..vocabulary import BUCKET_COLOURS

#: The folder holding the stylesheet.
STATIC_DIR = Path(__file__).resolve().parent / "static"

#: The neutrals of the page, by the CSS variable that holds them (``--ex-<name>``).
NEUTRALS: dict[str, str] = {
    "ink": INK,  # text
    "muted": INK_MUTED,  # secondary text: counts, explanations, subtitles
    "line": LINE,  # borders and rules
    "grid": GRID,
    "paper": PAPER,  # the page and the cards
    "subtle": "#F6F8FA",  # table heads, the tab bar, hovered rows
    "accent": "#0A5CB8",  # links, the open tab, focus rings
    "accent-soft": "#E8F1FB",  # a chosen entry, the focus line of the page view
    "note": "#FFF8E6",  # notes: ignored address values, a page that moved, partial label facts
    "note-line": "#B07800",  # the note's rule and icon (a graphic, not text: 3:1 against the note is enough)
    "claim": "#FBFAF7",  # a page-view line that holds a claim
}

#: Every text colour drawn on every background, by where it is drawn: (text, background) as names of
#: :data:`NEUTRALS`. Checked for WCAG AA (4.5:1) in tests/app/test_style.py.
TEXT_PAIRS: dict[str, tuple[str, str]] = {
    "body text": ("ink", "paper"),
    "secondary text": ("muted", "paper"),
    "table head": ("ink", "subtle"),
    "secondary text in a table head or tab bar": ("muted", "subtle"),
    "link": ("accent", "paper"),
    "link in a hovered row": ("accent", "subtle"),
    "chosen entry": ("ink", "accent-soft"),
    "the matched words in the label's words": ("ink", "accent-soft"),
    "note": ("ink", "note"),
    "line holding a claim": ("ink", "claim"),
    "secondary text on a claim's line": ("muted", "claim"),
    "link on a claim's line": ("accent", "claim"),
}
#: Graphics (not text) drawn on a background: WCAG's 3:1 for user-interface components.
GRAPHIC_PAIRS: dict[str, tuple[str, str]] = {
    "note icon": ("note-line", "note"),
    "focus ring, the open tab's bar": ("accent", "paper"),
}


def slug(value: str) -> str:
    """A CSS class fragment for a value (a severity, a status).

    >>> slug("not among the captured label facts"), slug("less common")
    ('not-among-the-captured-label-facts', 'less-common')
    """
    return re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-")


def severity_class(bucket: str) -> str:
    """The class that gives an element a severity bucket's colour (``--chip``, ``--chip-ink``)."""
    return f"explorer-sev-{slug(bucket)}"


def status_class(status: str) -> str:
    """The class that gives an element a label status's colour (``--chip``, ``--chip-ink``)."""
    return f"explorer-status-{slug(status)}"


def meanings() -> dict[str, str]:
    """Every coloured meaning (``severity: <bucket>``, ``status: <status>``) and its colour."""
    return {**{f"severity: {b}": c for b, c in BUCKET_COLOURS.items()},
            **{f"status: {s}": c for s, c in STATUS_COLOURS.items()}}


def _icon(path: str, colour: str) -> str:
    """A 16 px inline SVG icon as a CSS url(): no icon font, no request."""
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" fill="{colour}">{path}</svg>')
    return f'url("data:image/svg+xml,{quote(svg)}")'


#: A triangle with "!" (a note) and a circle with "i" (an explanation).
_WARNING = ('<path d="M8 1.5 15.2 14H.8z" fill="none" stroke="{c}" stroke-width="1.6" stroke-linejoin="round"/>'
            '<rect x="7.2" y="5.6" width="1.6" height="4.6" rx=".8"/><circle cx="8" cy="12" r=".95"/>')
_INFO = ('<circle cx="8" cy="8" r="6.7" fill="none" stroke="{c}" stroke-width="1.6"/>'
         '<rect x="7.2" y="7" width="1.6" height="4.8" rx=".8"/><circle cx="8" cy="4.8" r=".95"/>')


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The dashboard's stylesheet as a ``<style>`` element: the palette's variables, one class per
    severity and status (its colour and the text colour on it), then ``static/explorer.css``."""
    lines = [":root {"]
    lines += [f"  --ex-{name}: {colour};" for name, colour in NEUTRALS.items()]
    lines += [f"  --ex-icon-note: {_icon(_WARNING.format(c=NEUTRALS['note-line']), NEUTRALS['note-line'])};",
              f"  --ex-icon-info: {_icon(_INFO.format(c=NEUTRALS['accent']), NEUTRALS['accent'])};", "}"]
    for cls, colour in [*((severity_class(b), c) for b, c in BUCKET_COLOURS.items()),
                        *((status_class(s), c) for s, c in STATUS_COLOURS.items())]:
        lines.append(f".{cls} {{--chip: {colour}; --chip-ink: {text_colour(colour)};}}")
    css = (STATIC_DIR / "explorer.css").read_text(encoding="utf-8")
    return "<style>\n" + "\n".join(lines) + "\n" + css + "</style>"
