"""Side-effect terms as pages name them (``data/reference/side_effect_terms.csv``), and what they are for:
cutting a run-on list written without commas into its items.

Some answers copy a reference's list as one run of words: "Headache abdominal pain asthenia bronchitis
cough". :func:`run_on_items` reads such a run as the terms it is made of: the longest known term at each
place; an adjective ("abdominal", "infectious", "otic") belongs to the term after it; unknown words next
to each other stay together ("incr lfts"). A run counts as a list only when known terms cover most of it,
so an ordinary sentence never reads as one.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .. import config
from ..text import lemma

SIDE_EFFECT_TERMS_FILE = "side_effect_terms.csv"
#: Longest term, in words.
MAX_WORDS = 5
#: Share of a run's words that known terms must cover for it to be a list.
COVERAGE = 0.6
#: Fewest words of a run-on list.
MIN_WORDS = 6
_WORD = re.compile(r"[A-Za-z][A-Za-z'/-]*")
#: Word endings of adjectives, which join the term after them ("abdominal pain", "infectious gastroenteritis").
_ADJECTIVE = re.compile(r"(?:al|ic|ous|ive|ary|ful|ile|ish|ed)$")
_MODIFIERS = frozenset({"severe", "mild", "acute", "chronic", "upper", "lower", "high", "low", "dry", "sore",
                        "frequent", "painful", "increased", "decreased", "abnormal", "unusual", "excessive"})


@lru_cache(maxsize=4)
def side_effect_terms(reference_dir: Path = config.REFERENCE_DIR) -> frozenset[tuple[str, ...]]:
    """The known terms, each as its words' lemmas."""
    return frozenset(tuple(lemma(w) for w in _WORD.findall(r["term"].casefold()))
                     for r in config.reference_rows(SIDE_EFFECT_TERMS_FILE, reference_dir) if r.get("term"))


def run_on_items(text: str) -> list[str]:
    """The side effects of a run-on list without commas, or [] when ``text`` is not one.

    >>> run_on_items("Headache abdominal pain asthenia cough incr lfts fever infectious gastroenteritis nausea.")
    ['Headache', 'abdominal pain', 'asthenia', 'cough', 'incr lfts', 'fever', 'infectious gastroenteritis', 'nausea']
    >>> run_on_items("I have prescribed it for years and seldom seen a problem.")
    []
    """
    if "," in text or ";" in text:
        return []
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return []
    terms = side_effect_terms()
    keys = [lemma(w.casefold()) for w in words]
    units: list[tuple[int, int, bool]] = []  # (start, end, known)
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            if tuple(keys[i:i + n]) in terms:
                units.append((i, i + n, True))
                i += n
                break
        else:
            units.append((i, i + 1, False))
            i += 1
    covered = sum(end - start for start, end, known in units if known)
    if covered < COVERAGE * len(words):
        return []
    items: list[list[int]] = []
    pending: list[int] = []  # unknown words waiting for the term they describe, or for each other
    for k, (start, end, known) in enumerate(units):
        if known:
            if pending and all(_describes(words[j]) for j in pending):
                items.append(pending + list(range(start, end)))
            else:
                if pending:
                    items.append(pending)
                items.append(list(range(start, end)))
            pending = []
        else:
            following_known = k + 1 < len(units) and units[k + 1][2]
            if pending and not _describes(words[pending[-1]]) and _describes(words[start]) and following_known:
                items.append(pending)
                pending = []
            pending.append(start)
    if pending:
        items.append(pending)
    return [" ".join(words[j] for j in item) for item in items]


def _describes(word: str) -> bool:
    w = word.casefold()
    return w in _MODIFIERS or (len(w) >= 4 and _ADJECTIVE.search(w) is not None)


def known_term_in(text: str) -> bool:
    """Whether any known side-effect term stands in ``text`` ("trouble sleeping and indigestion": yes)."""
    terms = side_effect_terms()
    keys = [lemma(w.casefold()) for w in _WORD.findall(text)]
    return any(tuple(keys[i:i + n]) in terms for i in range(len(keys)) for n in range(1, min(MAX_WORDS, len(keys) - i) + 1))
