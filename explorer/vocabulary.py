"""The vocabulary of the pages, defined once: severities, their colours, section and advice kinds.

Severity is an ordered categorical, ``common < less common < rare < serious``. The tier as written on
the page is always kept beside it; a tier the explorer does not recognise keeps its text and gets a
missing severity (never a guessed one), counted and charted as :data:`UNRECOGNISED_TIER`.

Plain Python only (no pandas): reading a page needs these words, not DataFrames. The pandas dtypes
built from them are in :mod:`explorer.corpus.tables`. The label check's own vocabulary (statuses and their colours) is in :mod:`explorer.audit.vocabulary`.
"""
from __future__ import annotations

import difflib
import re
from functools import lru_cache

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

def fold_name(name: object) -> str:
    """A side-effect name as compared across pages: case, spacing and end punctuation ignored.

    >>> fold_name("  Blood   Clots. "), fold_name("blood clots")
    ('blood clots', 'blood clots')
    """
    return " ".join(str(name).casefold().split()).strip(" .,:;")


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

# Words that make a tier; the most severe word present wins ("Less Common but Serious" -> serious).
_TIER_WORDS: dict[str, str] = {
    "serious": "serious",
    "severe": "serious",
    "rare": "rare",
    "rarely": "rare",
    "uncommon": "less common",
    "infrequent": "less common",
    "infrequently": "less common",
    "common": "common",
    "frequent": "common",
    "frequently": "common",
}
# Words that weaken the next tier word: "less common" is a level of its own, while "less serious" or
# "non-serious" name no level at all (so they get none rather than a guessed one).
_WEAKENERS = frozenset({"less", "lesser", "les", "not", "non"})
_FILLERS = frozenset({"so", "very", "that", "as"})  # "not so common", "not very common"
_WEAKENED = {"common": "less common", "frequent": "less common"}
_VOCABULARY = sorted(set(_TIER_WORDS) | {"less"})
_WORD = re.compile(r"[a-z]+")


def correct_word(word: str, vocabulary: list[str] = _VOCABULARY, cutoff: float = 0.8) -> str:
    """Return the vocabulary word ``word`` is a typo of, or ``word`` itself (lower-cased).

    Words shorter than five letters are never corrected: too many short English words sit one edit
    away from "rare" or "less" ("care", "more", "lest").

    >>> correct_word("Comon")
    'common'
    >>> correct_word("Seriuos")
    'serious'
    >>> correct_word("sunny")
    'sunny'
    >>> correct_word("care")
    'care'
    """
    w = word.casefold()
    if w in vocabulary or len(w) < 5:
        return w
    close = difflib.get_close_matches(w, vocabulary, n=1, cutoff=cutoff)
    return close[0] if close else w


@lru_cache(maxsize=4096)
def normalise_severity(tier: str) -> str | None:
    """Map a tier as written to a severity level, or ``None`` when it is not recognised.

    Typos are corrected word by word (``correct_word``); when a tier names several levels the most
    severe wins. Results are cached: a corpus repeats a handful of tier names many times.

    >>> normalise_severity("Less Common but Serious")
    'serious'
    >>> normalise_severity("Uncommon")
    'less common'
    >>> normalise_severity("Comon")
    'common'
    >>> normalise_severity("Less Serious") is None
    True
    >>> normalise_severity("Weird") is None
    True
    """
    words = [correct_word(w) for w in _WORD.findall(tier.casefold())]
    levels = set()
    i = 0
    while i < len(words):
        w = words[i]
        if w in _WEAKENERS:
            j = i + 1
            while j < len(words) and words[j] in _FILLERS:
                j += 1
            if j < len(words) and words[j] in _TIER_WORDS:
                weakened = _WEAKENED.get(words[j])
                if weakened:
                    levels.add(weakened)
                i = j + 1
                continue
        elif w in _TIER_WORDS:
            levels.add(_TIER_WORDS[w])
        i += 1
    if not levels:
        return None
    return max(levels, key=SEVERITY_LEVELS.index)
