"""Tier words -> severity: the one tier vocabulary, kept as data, for every reader of pages.

``data/reference/tier_words.csv`` lists cue words and phrases with the severity they give and a note each.
A tier as written ("More common:", "Call your doctor right away if you have", "Uncomon", "Not so common")
gets its severity by :func:`tier_severity`:

1. Its words are read in lower case; in a short tier (a heading or label of at most
   :data:`TYPO_MAX_WORDS` words) a word of five letters or more that is a typo of a tier word is corrected
   with rapidfuzz ("Comon" -> common, "Seriuos" -> serious; "Several" stays itself).
2. A frequency word after "less", "not" or "non" (with "so", "very", "that" or "as" between) is the less
   common tier ("Not so common", "Les Common"); a seriousness word after them names none ("Less serious",
   "Non-serious"), nor does one after a negation a few words before ("that do not need medical attention").
3. A cue saying the frequency is not known ("Incidence not known", "Frequency not reported") gives no
   severity; otherwise the most severe level named wins ("Less common but serious" -> serious,
   "Uncommon / Rare" -> rare). A tier with no cue ("Mild", "Minor", "Other effects") gets none: unknown
   stays unknown.

The template parser (:mod:`explorer.pages.template`, through :mod:`explorer.pages.headings`) and the
general extractor both read tiers here, so a tier reads the same on every page.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .. import config
from ..vocabulary import SEVERITY_LEVELS

TIER_WORDS_FILE = "tier_words.csv"
#: Longest tier, in words, whose typos are corrected: headings and labels, not lead-in sentences.
TYPO_MAX_WORDS = 8
#: Fewest letters of a word that may be corrected: "care", "more", "lest" sit one letter from tier words.
TYPO_MIN_LETTERS = 5
#: How close (rapidfuzz ratio, 0-100) a word must be to a tier word to be read as it.
TYPO_CUTOFF = 80.0
_WORDS = re.compile(r"[a-z0-9]+")
#: Words that turn the next tier word into "less common" (a frequency) or into no level (seriousness).
_WEAKENERS = frozenset({"less", "lesser", "les", "not", "non"})
_FILLERS = frozenset({"so", "very", "that", "as", "too"})
_FREQUENCY = frozenset({"common", "commonly", "frequent", "frequently"})
#: Words that turn a seriousness cue around: a tier that does "not" need medical attention is not serious.
_NEGATIONS = frozenset({"not", "no", "don", "doesn", "without", "non", "never"})


@lru_cache(maxsize=4)
def tier_cues(reference_dir: Path = config.REFERENCE_DIR) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(cue words, severity) pairs; severity "" means "not known"."""
    rows = [(tuple(_WORDS.findall(r["cue"].casefold())), r["severity"].strip())
            for r in config.reference_rows(TIER_WORDS_FILE, reference_dir)]
    return tuple(r for r in rows if r[0])


#: The tier words whose typos are corrected: the frequency and seriousness words of tier labels. Not every
#: cue: "likely" is no typo of "unlikely", nor "mostly" of "most".
TYPO_TARGETS: tuple[str, ...] = ("common", "frequent", "frequently", "infrequent", "infrequently", "rare", "rarely",
                                 "serious", "severe", "uncommon")


def _typo_targets() -> tuple[str, ...]:
    return TYPO_TARGETS


@lru_cache(maxsize=8192)
def correct_word(word: str) -> str:
    """The tier word ``word`` is a typo of, or ``word`` itself (lower-cased).

    >>> correct_word("Comon"), correct_word("Seriuos"), correct_word("Several"), correct_word("care")
    ('common', 'serious', 'several', 'care')
    """
    from rapidfuzz import fuzz, process  # loaded when a word is not a tier word itself

    w = word.casefold()
    targets = _typo_targets()
    if len(w) < TYPO_MIN_LETTERS or w in targets or not w.isalpha():
        return w
    found = process.extractOne(w, targets, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
    return found[0] if found else w


def _tier_words(tier: str) -> tuple[str, ...]:
    """A tier's words, typos corrected (short tiers only) and weakened frequencies read as "uncommon"."""
    words = _WORDS.findall(tier.casefold())
    if len(words) <= TYPO_MAX_WORDS:
        words = [correct_word(w) for w in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        if words[i] in _WEAKENERS:
            j = i + 1
            while j < len(words) and words[j] in _FILLERS:
                j += 1
            if j < len(words) and words[j] in _FREQUENCY:
                out.append("uncommon")  # "not so common", "less frequent", "les common"
                i = j + 1
                continue
        out.append(words[i])
        i += 1
    return tuple(out)


def _at(words: tuple[str, ...], cue: tuple[str, ...]) -> list[int]:
    n = len(cue)
    return [i for i in range(len(words) - n + 1) if words[i:i + n] == cue]


@lru_cache(maxsize=4)
def _cues_by_first_word(reference_dir: Path = config.REFERENCE_DIR) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """The cues grouped by their first word: a tier is only checked for the cues that can start in it."""
    out: dict[str, list] = {}
    for cue, severity in tier_cues(reference_dir):
        out.setdefault(cue[0], []).append((cue, severity))
    return {word: tuple(cues) for word, cues in out.items()}


def _present_cues(words: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
    index = _cues_by_first_word()
    return [cue for word in set(words) for cue in index.get(word, ())]


def _cue_spans(words: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Every cue in ``words`` as (start, end, severity), seriousness cues that are turned around left out,
    overlapping cues resolved to the longest ("less common" is not also "common")."""
    spans = []
    for cue, severity in _present_cues(words):
        for i in _at(words, cue):
            if severity == "serious" and (set(words[max(0, i - 4):i]) & _NEGATIONS
                                          or words[i - 1:i] in (("less",), ("lesser",), ("les",))):
                continue
            spans.append((i, i + len(cue), severity))
    taken: list[tuple[int, int, str]] = []
    for start, end, severity in sorted(spans, key=lambda s: s[0] - s[1]):  # the longest cue first
        if all(end <= a or start >= b for a, b, _ in taken):
            taken.append((start, end, severity))
    return taken


@lru_cache(maxsize=8192)
def tier_severity(tier: str | None) -> str | None:
    """The severity a tier as written gives, or None (no tier, a frequency not known, or no cue).

    >>> tier_severity("More common"), tier_severity("Call your doctor right away if you have")
    ('common', 'serious')
    >>> tier_severity("Less common"), tier_severity("Not so common"), tier_severity("Uncomon / Rare")
    ('less common', 'less common', 'rare')
    >>> tier_severity("Incidence not known"), tier_severity("Minor"), tier_severity("Less serious")
    (None, None, None)
    """
    if not tier:
        return None
    levels = {severity for _, _, severity in _cue_spans(_tier_words(tier))}
    if "" in levels or not levels:
        return None
    return max(levels, key=SEVERITY_LEVELS.index)


@lru_cache(maxsize=8192)
def tier_levels(tier: str) -> frozenset[str]:
    """Every severity a tier as written names, each cue counted once where cues overlap ("less common"
    is not also "common"); seriousness cues turned around ("less serious", "not serious") name none.

    >>> sorted(tier_levels("Common and less common side effects")), sorted(tier_levels("Rare but serious"))
    (['common', 'less common'], ['rare', 'serious'])
    """
    return frozenset(s for _, _, s in _cue_spans(_tier_words(tier)) if s)


@lru_cache(maxsize=8192)
def names_tier(text: str) -> bool:
    """Whether ``text`` holds any tier cue (frequency or seriousness words, "not known" included)."""
    words = _tier_words(text)
    return any(_at(words, cue) for cue, _ in _present_cues(words))
