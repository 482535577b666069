"""A label sentence's words and where each stands: list items, clauses, brackets; where a phrase's words meet.

:func:`read_words` reads a sentence into :class:`Words` (as written, folded for the guards, keyed for the
search, with each word's list item, clause and bracketed list); :func:`units_of` gives the stretches a
phrase's words must stand in, and :func:`match` finds them there (see :mod:`explorer.audit.fulltext`
for the rule). :func:`index_keys` gives a text's keys without reading its structure, for the index.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .guards import MARKS
from .terms import FILLER, Query, fold_word, term_key

#: Other meaningful words allowed among a phrase's words in one list item.
EXTRA_WORDS = 1
#: Words before a bracketed list that each of its items shares, at most.
HEAD_WORDS = 4
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|[®™]|[,;:()\[\]]")
_HYPHEN = frozenset("-‐‑")
WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_HYPHENATED = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)+")
_CROSS_REFERENCE = re.compile(r"\[\s*see\b[^\]]*\]|\(\s*see\b[^)]*\)", re.I)


@dataclass(frozen=True)
class Words:
    """A text's words: as written, folded (for the guards), keyed (for the search), and where each stands."""

    originals: tuple[str, ...]  # ":" kept as a word: guards read "include:" and "X: none reported"
    folded: tuple[str, ...]
    keys: tuple[str, ...]
    items: tuple[int, ...]  # list item of each word (see the module docstring)
    clauses: tuple[int, ...]  # clause of each word: a ";" starts a new one
    groups: tuple[int, ...]  # bracketed list each word is in (-1: none)
    pieces: tuple[int, ...]  # item of that bracketed list (-1: none)
    joined: tuple[tuple[int, str], ...] = ()  # (position, key) of hyphenated words joined ("cardiorespiratory")


def read_words(text: str) -> Words:
    """The :class:`Words` of a text, cross-references ("[see Warnings and Precautions (5.4)]") removed."""
    text = _CROSS_REFERENCE.sub(" ", text)
    originals, items, clauses, groups, pieces, joined = [], [], [], [], [], []
    item = clause = depth = 0
    group = piece = -1
    last_end, hyphen_from = -1, None
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok in ",;:()[]":
            if tok in "([":
                depth += 1
                if depth == 1:
                    group, piece = m.start(), 0
            elif tok in ")]":
                depth = max(depth - 1, 0)
            elif depth:
                piece += tok != ":"
            else:
                item += 1
                clause += tok == ";"
            if tok != ":":
                last_end = -1
                continue
        elif last_end >= 0 and text[last_end:m.start()] in _HYPHEN and originals and originals[-1] != ":":
            start = len(originals) - 1 if hyphen_from is None else hyphen_from
            joined.append((start, originals[start] + "".join(originals[start + 1:]) + tok))
            hyphen_from = start
        else:
            hyphen_from = None
        originals.append(tok)
        items.append(item)
        clauses.append(clause)
        groups.append(group if depth else -1)
        pieces.append(piece if depth else -1)
        last_end = m.end()
    folded = tuple(":" if o == ":" else o if o in MARKS else fold_word(o) for o in originals)
    keys = tuple(":" if o == ":" else o if o in MARKS else term_key(o) for o in originals)
    return Words(tuple(originals), folded, keys, tuple(items), tuple(clauses), tuple(groups), tuple(pieces),
                 tuple((p, term_key(j)) for p, j in joined))


def index_keys(text: str) -> set[str]:
    """The keys a text is indexed by: those of its words and of its hyphenated words joined (cheap: no
    structure is read)."""
    if "see" in text or "See" in text or "SEE" in text:
        text = _CROSS_REFERENCE.sub(" ", text)
    keys = {term_key(w) for w in WORDS.findall(text)}
    if "-" in text or "‐" in text or "‑" in text:
        keys.update(term_key(re.sub(r"[-‐‑]", "", m)) for m in _HYPHENATED.findall(text))
    return keys


def units_of(w: Words) -> list[list[int]]:
    """The stretches of a sentence a phrase's words must stand in: each list item's meaningful words, and
    for each bracketed list the words before it with each of its items."""
    meaningful = [i for i, k in enumerate(w.keys) if k != ":" and k not in FILLER and k not in MARKS]
    by_item: dict[int, list[int]] = {}
    for i in meaningful:
        by_item.setdefault(w.items[i], []).append(i)
    units = list(by_item.values())
    for positions in by_item.values():
        groups: dict[int, dict[int, list[int]]] = {}
        for i in positions:
            if w.groups[i] >= 0:
                groups.setdefault(w.groups[i], {}).setdefault(w.pieces[i], []).append(i)
        for group, pieces in groups.items():
            if len(pieces) < 2:
                continue
            first = min(min(piece) for piece in pieces.values())
            head = [i for i in positions if w.groups[i] < 0 and i < first][-HEAD_WORDS:]
            units.extend(head + piece for piece in pieces.values())
    return units


def match(w: Words, unit: list[int], q: Query, extra: dict[int, str]) -> tuple[int, int] | None:
    """(start, end) of the shortest stretch of ``unit`` holding every key of ``q``, within the allowed span."""
    need: dict[str, int] = {}
    for k in q.keys:
        need[k] = need.get(k, 0) + 1
    caps = {k for k, c in zip(q.keys, q.capitals) if c}
    hits = []  # (index in unit, key)
    for u, i in enumerate(unit):
        for k in (w.keys[i], extra.get(i)):
            if k in need and (k not in caps or w.originals[i].isupper()):
                hits.append((u, k))
    if len({k for _, k in hits}) < len(need):
        return None
    best, have, lo, covered = None, {}, 0, 0
    for hi in range(len(hits)):
        k = hits[hi][1]
        have[k] = have.get(k, 0) + 1
        covered += have[k] == need[k]
        while covered == len(need):
            span = hits[hi][0] - hits[lo][0] + 1
            if best is None or span < best[0]:
                best = (span, hits[lo][0], hits[hi][0])
            k0 = hits[lo][1]
            have[k0] -= 1
            covered -= have[k0] == need[k0] - 1
            lo += 1
    if best is None or best[0] > len(q.keys) + EXTRA_WORDS:
        return None
    return unit[best[1]], unit[best[2]] + 1
