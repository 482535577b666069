"""The vocabulary of the explorer, defined once: severities, section kinds and table columns.

Severity is an ordered categorical, ``common < less common < rare < serious``. The tier as written on
the page is always kept beside it; a tier the explorer does not recognise keeps its text and gets a
missing severity (never a guessed one).
"""
from __future__ import annotations

import difflib
import re

import pandas as pd

SEVERITY_LEVELS: tuple[str, ...] = ("common", "less common", "rare", "serious")
SEVERITY_DTYPE = pd.CategoricalDtype(list(SEVERITY_LEVELS), ordered=True)

#: One colour per severity, used by every chart (colour-blind safe, from the Okabe-Ito palette).
SEVERITY_COLOURS: dict[str, str] = {
    "common": "#56B4E9",
    "less common": "#E69F00",
    "rare": "#CC79A7",
    "serious": "#D55E00",
}
UNRECOGNISED_COLOUR = "#999999"

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
SECTION_KIND_DTYPE = pd.CategoricalDtype(list(SECTION_KINDS), ordered=False)
ADVICE_KINDS: tuple[str, ...] = ("managing", "reducing_risk")
ADVICE_KIND_DTYPE = pd.CategoricalDtype(list(ADVICE_KINDS), ordered=False)

# Words that make a tier; the most severe word present wins ("Less Common but Serious" -> serious).
_TIER_WORDS: dict[str, str] = {
    "serious": "serious",
    "severe": "serious",
    "rare": "rare",
    "uncommon": "less common",
    "infrequent": "less common",
    "less": "less common",  # only counts next to "common", see normalise_severity
    "common": "common",
    "frequent": "common",
}
_VOCABULARY = sorted(set(_TIER_WORDS))
_WORD = re.compile(r"[a-z]+")


def correct_word(word: str, vocabulary: list[str] = _VOCABULARY, cutoff: float = 0.8) -> str:
    """Return the vocabulary word ``word`` is a typo of, or ``word`` itself (lower-cased).

    >>> correct_word("Comon")
    'common'
    >>> correct_word("sunny")
    'sunny'
    """
    w = word.casefold()
    if w in vocabulary or len(w) < 4:
        return w
    close = difflib.get_close_matches(w, vocabulary, n=1, cutoff=cutoff)
    return close[0] if close else w


def normalise_severity(tier: str) -> str | None:
    """Map a tier as written to a severity level, or ``None`` when it is not recognised.

    >>> normalise_severity("Less Common but Serious")
    'serious'
    >>> normalise_severity("Uncommon")
    'less common'
    >>> normalise_severity("Comon")
    'common'
    >>> normalise_severity("Weird") is None
    True
    """
    words = [correct_word(w) for w in _WORD.findall(tier.casefold())]
    levels = set()
    for i, w in enumerate(words):
        if w == "less":
            if i + 1 < len(words) and words[i + 1] == "common":
                levels.add("less common")
            continue
        if w == "common" and i > 0 and words[i - 1] == "less":
            continue
        if w in _TIER_WORDS:
            levels.add(_TIER_WORDS[w])
    if not levels:
        return None
    return max(levels, key=SEVERITY_LEVELS.index)
