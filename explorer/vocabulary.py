"""The vocabulary of the pages, defined once: severities, their colours, section and advice kinds.

Severity is an ordered categorical, ``common < less common < rare < serious``. The tier as written on
the page is always kept beside it; a tier the explorer does not recognise keeps its text and gets a
missing severity (never a guessed one), counted and charted as :data:`UNRECOGNISED_TIER`. Which severity
a tier's words give is read in one place, from data: :func:`explorer.pages.tiers.tier_severity`.

Plain Python only (no pandas): reading a page needs these words, not DataFrames. The pandas dtypes
built from them are in :mod:`explorer.corpus.tables`. The label check's own vocabulary (statuses and their colours) is in :mod:`explorer.audit.vocabulary`.
"""
from __future__ import annotations

from .text import fold

SEVERITY_LEVELS: tuple[str, ...] = ("common", "less common", "rare", "serious")

#: One colour per severity, used by every chart, chip and tile: one ordered scale, light to dark as the
#: level rises (yellow, orange, red, crimson), so the order reads without the legend and survives every
#: kind of colour blindness (the steps differ in lightness). Only warm hues: the label statuses
#: (:data:`explorer.audit.vocabulary.STATUS_COLOURS`) never use them. Checked in tests/app/test_style.py.
SEVERITY_COLOURS: dict[str, str] = {
    "common": "#FEC44F",
    "less common": "#F0782D",
    "rare": "#C9271E",
    "serious": "#67001F",
}
#: A tier that names no level: a warm grey, off the scale and unlike the statuses' neutral greys.
UNRECOGNISED_COLOUR = "#B8A48C"
#: How side effects whose tier was not recognised (severity missing) are named in counts and charts.
UNRECOGNISED_TIER = "unrecognised tier"
#: Every severity bucket a count or chart shows, in order: the levels, then the unrecognised tier.
SEVERITY_BUCKETS: tuple[str, ...] = SEVERITY_LEVELS + (UNRECOGNISED_TIER,)
BUCKET_COLOURS: dict[str, str] = {**SEVERITY_COLOURS, UNRECOGNISED_TIER: UNRECOGNISED_COLOUR}


def severity_label(severity: str) -> str:
    """How a severity is written in titles and summaries.

    >>> severity_label("less common")
    'Less common'
    """
    return severity[:1].upper() + severity[1:]

#: A side-effect name as compared across pages as text: :func:`explorer.text.fold` (case, spacing, quotes,
#: dashes and end punctuation ignored), kept under this name for its callers. Names that should also meet
#: in the singular and the plural use :func:`explorer.text.name_key`.
fold_name = fold


#: How counts and charts name the group of pages that name no condition (read by the general extractor).
NO_CONDITION = "(no condition named)"

SECTION_KINDS: tuple[str, ...] = (
    "header",  # the drug block at the top (Active Ingredients, Drug Classes)
    "title",  # "<Drug> for <Condition>"
    "question",  # "What is Mirena?" and other prose sections
    "side_effects",  # the parent "... Side Effects" heading
    "tier",  # "Common Side Effects of ..." and other tiers
    "advice",  # "Managing Side Effects ...", "Reducing the Risk ..."
    "reviews",
    "related",  # "Related Articles:"
    "other",  # Dosage, Interactions, ... : bullets here are not side effects
)
ADVICE_KINDS: tuple[str, ...] = ("managing", "reducing_risk")
