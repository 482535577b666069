"""Searching a whole label's text for a phrase: where its words stand, and whether each place is a listing.

A label's passages are split into sentences (:func:`explorer.labels.text.sentences`: lines, bullets and
sentence ends are boundaries), and each sentence into words, folded and keyed as
:mod:`explorer.audit.terms` says ("Elevations of serum ALT" has the keys increase, serum, alt). A
passage's heading counts as a sentence of its own ("5.2 Slow Heart Rate"), unless it only names its
section ("5 WARNINGS AND PRECAUTIONS"; a boxed warning's "WARNING:" prefix is not searched either). A
table row counts as a sentence too: its text cells before the first number (the body system and the
reaction, when a table gives both), each a list item. (The drug's incidence comes from the label's
frequency table, :mod:`explorer.audit.incidence`, not from the row found here.)

A phrase is *found* where all its words stand in one **list item** of a sentence, in any order, with at
most :data:`~explorer.audit.structure.EXTRA_WORDS` other meaningful words among them ("vision blurred" is
"blurred vision", "ALT increased" is "increases in ALT"). A list item ends at a comma, semicolon or colon
outside brackets; a bracketed list shares the words before it ("Injection site reactions (pain,
burning)" holds injection site pain and injection site burning). So "rash, nausea, and pruritus" holds
no "pruritic rash", and a long sentence does not pair words from different items.

Whether a found phrase is a listing of the drug, or set aside (negated, compared with placebo, a sign of
another effect, a history ...), is :mod:`explorer.audit.guards`' part; every occurrence is kept with its
verdict, so the evidence shown to a reader includes what was set aside and why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

import pandas as pd

from ..labels.records import LISTING_SECTIONS
from ..labels.text import sentences
from .guards import LISTING, MARKS, Guards, load_guards, verdict
from .structure import WORDS, Words, index_keys, match, read_words, units_of
from .terms import FILLER, Query, phrase_keys, queries

#: Words that end a list ("A, B or C"): an item holding one before the phrase continues a list.
_LIST_JOINS = frozenset({"or", "and", "nor"})
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Sentence:
    """One searchable sentence of a label (or a heading, or a table row's text cells)."""

    section: str
    number: str | None
    heading: str | None
    text: str  # as the label writes it (a table row: its cells joined by " | ")
    searched: str  # the text its words are read from (a table row: its text cells, one item each)
    table: str | None = None  # the table's caption, for a table row (None too for a table without one)
    row: bool = False  # a table row (its cells joined by " | ")
    # read on first search: most sentences of a label are never searched (reading every one cost 60 ms a label)
    _read: list = field(default_factory=list, compare=False, repr=False)

    @property
    def words(self) -> Words:
        if not self._read:
            w = read_words(self.searched)
            self._read.extend((w, units_of(w)))
        return self._read[0]

    @property
    def units(self) -> list[list[int]]:
        """The stretches a phrase's words must stand in (:func:`~explorer.audit.structure.units_of`)."""
        return self._read[1] if self._read else (self.words and self._read[1])

    @property
    def originals(self) -> tuple[str, ...]:
        return tuple(o for o in self.words.originals if o != ":")


@dataclass(frozen=True)
class Occurrence:
    """Where a phrase stands in a label (its words ``start`` to ``end`` in the sentence), and its verdict."""

    sentence: Sentence
    verdict: str  # "listing", or what set it aside (see explorer.audit.guards)
    start: int = 0
    end: int = 0

    @property
    def listing(self) -> bool:
        return self.verdict == LISTING

    @property
    def found(self) -> str:
        """The label's words from the first to the last word of the phrase, as written."""
        return " ".join(o for o in self.sentence.words.originals[self.start:self.end] if o != ":")


def phrase_words(phrase: str) -> tuple[str, ...]:
    """The keys a phrase is searched by (filler and qualifier words dropped; see :mod:`explorer.audit.terms`).

    >>> phrase_words("Perforation of the Uterus"), phrase_words("Headaches"), phrase_words("Raynaud’s")
    (('perforation', 'uterus'), ('headache',), ('raynaud',))
    """
    return phrase_keys(phrase)


class LabelText:
    """One label's searchable sentences: built once from its passages and table rows, searched per phrase.

    Parameters
    ----------
    passages : the label's passages (key, section, position, number, heading, text), as the store gives them.
    table_rows : the label's table rows (section, position, table, caption, part, row, cells).
    drug_names : the label's own names (kept for callers; the incidence is read elsewhere).
    """

    def __init__(self, passages: pd.DataFrame, table_rows: pd.DataFrame | None = None,
                 drug_names: Iterable[str] = (), guards: Guards | None = None):
        self.guards = guards or load_guards()
        self.sentences: list[Sentence] = []
        heading_of = {}
        for section, position, number, heading, text in zip(*(
                passages[c] for c in ("section", "position", "number", "heading", "text"))):
            number = number if isinstance(number, str) else None
            heading = heading if isinstance(heading, str) and heading.strip() else None
            heading_of[(section, position)] = (number, heading)
            if heading is not None:
                searched = self._heading_words(heading)
                if searched is not None:
                    self.sentences.append(Sentence(section, number, heading, heading, searched))
            for s in sentences(text if isinstance(text, str) else ""):
                self.sentences.append(Sentence(section, number, heading, s, s))
        if table_rows is not None and len(table_rows):
            self._add_tables(table_rows, heading_of, [n for n in drug_names if n])
        self._pairs: list | None = None
        self._index: dict[str, set[int]] = {}
        for n, s in enumerate(self.sentences):
            for k in index_keys(s.searched):
                self._index.setdefault(k, set()).add(n)

    def stands_alone(self, key: str) -> bool:
        """Whether a listing section holds the word of ``key`` as a list item or table row of its own."""
        for n in self._index.get(key, ()):
            s = self.sentences[n]
            if s.section not in LISTING_SECTIONS:
                continue
            items: dict[int, list[str]] = {}
            for k, item in zip(s.words.keys, s.words.items):
                if k != ":" and k not in FILLER and k not in MARKS:
                    items.setdefault(item, []).append(k)
            if any(v == [key] for v in items.values()):
                return True
        return False

    def plain_terms(self, phrase: str) -> list[tuple[str, str]]:
        """(medical term, note) the label's patient sections pair ``phrase``'s plain words with
        (:func:`explorer.audit.plainwords.terms_for`)."""
        from .plainwords import pairs, terms_for

        if self._pairs is None:
            self._pairs = pairs(self.sentences, self.guards.patient_history)
        return terms_for(phrase, self._pairs) if self._pairs else []

    def _add_tables(self, table_rows: pd.DataFrame, heading_of: dict, names: list[str]) -> None:
        tables: dict[tuple, tuple[str | None, list, list]] = {}  # (section, position, table) -> rows
        for section, position, table, caption, part, row, cells in zip(*(
                table_rows[c] for c in ("section", "position", "table", "caption", "part", "row", "cells"))):
            # a table without a caption comes back from the store as missing (NaN)
            caption = caption if isinstance(caption, str) and caption.strip() else None
            entry = tables.setdefault((section, position, table), (caption, [], []))
            entry[1 if part == "header" else 2].append((row, cells))
        for (section, position, _), (caption, head, body) in sorted(tables.items(), key=lambda t: t[0]):
            number, heading = heading_of.get((section, position), (None, None))
            header = [list(c) for _, c in sorted(head, key=lambda r: r[0])]
            for _, cells in sorted(body, key=lambda r: r[0]):
                cells = list(cells)
                if not cells or not cells[0].strip():
                    continue
                searched = " ; ".join(_text_cells(cells))
                if WORDS.search(searched):
                    self.sentences.append(Sentence(section, number, heading, " | ".join(cells), searched,
                                                   table=caption, row=True))

    def _heading_words(self, heading: str) -> str | None:
        """A heading's searched text, or None when it only names its section ("WARNINGS", "6 ADVERSE REACTIONS")."""
        titles = self.guards.titles
        if phrase_keys(heading) in titles:
            return None
        prefix, colon, rest = heading.partition(":")
        if colon and phrase_keys(prefix) in titles:  # "WARNING: SEVERE LIVER INJURY"
            heading = rest
        return heading if WORDS.search(heading) else None

    def find(self, phrase: str | Query) -> list[Occurrence]:
        """Every occurrence of ``phrase`` (by each of its :func:`~explorer.audit.terms.queries`), with its verdict."""
        out: dict[tuple[int, int], Occurrence] = {}
        for q in ([phrase] if isinstance(phrase, Query) else queries(phrase)):
            sets = sorted((self._index.get(k, set()) for k in set(q.keys)), key=len)
            if not sets or not sets[0]:
                continue
            for n in sorted(set.intersection(*sets)) if len(sets) > 1 else sorted(sets[0]):
                s = self.sentences[n]
                w = s.words
                extra = dict(w.joined)
                for unit in s.units:
                    span = match(w, unit, q, extra)
                    if span is not None and (n, span[0]) not in out:
                        out[(n, span[0])] = Occurrence(s, self._verdict(s, *span), *span)
                        break
        return [out[k] for k in sorted(out)]

    def _verdict(self, s: Sentence, start: int, end: int) -> str:
        w = s.words
        clause = w.clauses[start]
        lo = next(i for i, c in enumerate(w.clauses) if c == clause)
        hi = len(w.clauses) - next(i for i, c in enumerate(reversed(w.clauses)) if c == clause)
        item = w.items[start]
        item_start = next(i for i, x in enumerate(w.items) if x == item)
        before = [f for f in w.folded[item_start:start] if f not in FILLER or f in _LIST_JOINS]
        own = sum(1 for i, x in enumerate(w.items) if x == item and w.folded[i] not in FILLER)
        in_list = item_start > lo and (any(f in _LIST_JOINS for f in before) or own <= 2)
        return verdict(self.guards, s.section, w.folded, w.originals, (lo, hi), start, end, item_start, in_list)


def _text_cells(cells: list[str]) -> list[str]:
    """A table row's cells that name something: those before the first cell holding a number."""
    out = []
    for c in cells:
        if _DIGIT.search(c) and out:
            break
        if c.strip():
            out.append(c)
    return out
