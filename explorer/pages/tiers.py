"""Tier words -> severity, for pages outside the template: one table, kept as data.

``data/reference/tier_words.csv`` lists cue words and phrases with the severity they give and a note
each. A tier as written ("More common:", "Call your doctor right away if you have", "Minor") gets the
severity of its first cue by this precedence: a cue saying the frequency is not known (no severity),
then serious, less common, rare, common. A tier with no cue ("Mild", "Minor", "Other effects") keeps
no severity: unknown stays unknown. The template parser keeps its own rule
(:func:`explorer.vocabulary.normalise_severity`), so its pages give what they gave before.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from .. import config

TIER_WORDS_FILE = "tier_words.csv"
#: Which cue wins when a tier holds several: the first group that has one.
PRECEDENCE: tuple[str, ...] = ("", "serious", "less common", "rare", "common")
_WORDS = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4)
def tier_cues(reference_dir: Path = config.REFERENCE_DIR) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(cue words, severity) pairs in precedence order; severity "" means "not known"."""
    with open(Path(reference_dir) / TIER_WORDS_FILE, newline="", encoding="utf-8") as fh:
        rows = [(tuple(_WORDS.findall(r["cue"].casefold())), r["severity"].strip()) for r in csv.DictReader(fh)]
    return tuple(sorted((r for r in rows if r[0]), key=lambda r: PRECEDENCE.index(r[1])))


def _has(words: tuple[str, ...], cue: tuple[str, ...]) -> bool:
    return bool(_at(words, cue))


@lru_cache(maxsize=4096)
def tier_severity(tier: str | None) -> str | None:
    """The severity a tier as written gives, or None (no tier, a frequency not known, or no cue).

    >>> tier_severity("More common"), tier_severity("Call your doctor right away if you have")
    ('common', 'serious')
    >>> tier_severity("Less common"), tier_severity("Incidence not known"), tier_severity("Minor")
    ('less common', None, None)
    >>> tier_severity("Side effects not requiring immediate medical attention") is None
    True
    """
    if not tier:
        return None
    words = tuple(_WORDS.findall(tier.casefold()))
    for cue, severity in tier_cues():
        if severity == "serious":  # "Side effects that do not need medical attention" are not serious
            if any(not set(words[max(0, i - 4):i]) & _NEGATIONS and words[i - 1:i] not in (("less",), ("lesser",))
                   for i in _at(words, cue)):
                return severity
        elif _has(words, cue):
            return severity or None
    return None


def _at(words: tuple[str, ...], cue: tuple[str, ...]) -> list[int]:
    n = len(cue)
    return [i for i in range(len(words) - n + 1) if words[i:i + n] == cue]


#: Words that turn a seriousness cue around: a tier that does "not" need medical attention is not serious.
_NEGATIONS = frozenset({"not", "no", "don", "doesn", "without", "non", "never"})


def tier_levels(tier: str) -> frozenset[str]:
    """Every severity a tier as written names, each cue counted once where cues overlap ("less common"
    is not also "common"); seriousness cues turned around ("less serious", "not serious") name none.

    >>> sorted(tier_levels("Common and less common side effects")), sorted(tier_levels("Rare but serious"))
    (['common', 'less common'], ['rare', 'serious'])
    """
    words = tuple(_WORDS.findall(tier.casefold()))
    spans = []
    for cue, severity in tier_cues():
        if not severity:
            continue
        for i in _at(words, cue):
            if severity == "serious" and (set(words[max(0, i - 4):i]) & _NEGATIONS
                                          or words[i - 1:i] in (("less",), ("lesser",))):
                continue
            spans.append((i, i + len(cue), severity))
    taken: list[tuple[int, int, str]] = []
    for start, end, severity in sorted(spans, key=lambda s: s[0] - s[1]):  # the longest cue first
        if all(end <= a or start >= b for a, b, _ in taken):
            taken.append((start, end, severity))
    return frozenset(s for _, _, s in taken)


def names_tier(text: str) -> bool:
    """Whether ``text`` holds any tier cue (frequency or seriousness words, "not known" included)."""
    words = tuple(_WORDS.findall(text.casefold()))
    return any(_has(words, cue) for cue, _ in tier_cues())
