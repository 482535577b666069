"""Searching a whole label's text for a phrase, with the precision guards of the label check.

A label's passages are split into sentences (:func:`explorer.labels.text.sentences`), and each sentence
into words folded the way the facts are matched (case, accents, curly apostrophes, possessive 's and
plural -s). A phrase is *found* in a sentence when its meaningful words stand there in a row, filler
words (:data:`explorer.audit.matching.STOPWORDS`) allowed between them ("perforation of the uterus").
A passage's heading counts as a sentence of its own ("5.2 Slow Heart Rate"), unless it only names its
section ("5 WARNINGS AND PRECAUTIONS"; a boxed warning's "WARNING:" prefix is not searched either).
The first cell of a table row counts as a sentence too, with the drug's incidence (:func:`incidence_of`).

A found phrase is a *listing* of the drug only when none of these guards applies (each guard's words
are data: ``data/reference/text_guards.csv``, one row with a note per cue):

- **negation**: a negation cue among the three meaningful words just before the phrase ("no cases of X",
  "without X", "in the absence of X", "none of the patients developed X"), or a negation among the three
  just after it that denies a report of it ("X was not observed", "X has never been reported",
  "X wasn't seen"). A "not" before the phrase is not counted: contraindications say "do not use ... in
  patients with X"; nor is a "not" after it that denies something else ("X did not lead to stopping");
- **comparison**: the sentence compares with placebo ("X occurred at a rate similar to placebo");
- **a name**: the phrase is part of a product name (a run of capitalised words, no filler word among
  them, marked ``®`` or ``™``: "Calm Itch® cream"); a word inside a name ("Itchnomore®") is no
  occurrence at all, since words are matched whole;
- **a cross-reference**: bracketed references ("[see Warnings and Precautions (5.4)]", "(see
  PRECAUTIONS)") are removed before searching, so a section named there is not a listing;
- **interaction or overdose context**: drug-interaction and overdosage sections are context only, as
  are sentences elsewhere that speak of overdose or co-administration.

Every occurrence is kept with its verdict (``listing`` or the guard that applied), so the evidence
shown to a reader includes what was set aside and why.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, NamedTuple

import pandas as pd

from .. import config
from ..labels.records import LISTING_SECTIONS
from ..labels.resolve import name_key
from ..labels.text import sentences
from .matching import STOPWORDS, singular

GUARDS_FILE = "text_guards.csv"
#: Meaningful words (filler words not counted) looked at on each side of a phrase for a negation.
NEGATION_WINDOW = 3
#: Meaningful words after a negation that follows the phrase, looked at for the verb it denies.
VERB_WINDOW = 3
_MARKS = ("®", "™")
#: Words a phrase may have between its own words, and that windows do not count.
_FILLER = STOPWORDS | frozenset(_MARKS)
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|[®™]")
_CROSS_REFERENCE = re.compile(r"\[\s*see\b[^\]]*\]|\(\s*see\b[^)]*\)", re.I)
_BRACKETED = re.compile(r"\(\s*(<)?\s*(\d+(?:\.\d+)?)\s*%?\s*\)")
_VALUE = re.compile(r"(<)?\s*(\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class Guards:
    """The cue words of the precision guards, by kind (see the module docstring), folded."""

    before: tuple[tuple[str, ...], ...]  # negations before the phrase, as word sequences ("absence", "of")
    after: frozenset[str]  # negation words after the phrase ("not", "never")
    verbs: frozenset[str]  # what a negation after the phrase must deny to count ("observed"); empty: anything
    comparison: tuple[str, ...]  # phrases of a sentence comparing with placebo
    context: tuple[str, ...]  # phrases of a sentence about overdose or co-administration
    titles: frozenset[tuple[str, ...]] = frozenset()  # section titles, as phrase words


@lru_cache(maxsize=8)
def load_guards(reference_dir: Path = config.REFERENCE_DIR) -> Guards:
    """The guards' cues from ``text_guards.csv`` (kind, cue, note)."""
    kinds: dict[str, list[str]] = {}
    with open(Path(reference_dir) / GUARDS_FILE, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            kinds.setdefault(row["kind"].strip(), []).append(row["cue"].strip())
    folded = {k: [tokenize(c)[0] for c in v] for k, v in kinds.items()}
    return Guards(before=tuple(w for w in folded.get("negation before", ()) if w),
                  after=frozenset(w[0] for w in folded.get("negation after", ()) if len(w) == 1),
                  verbs=frozenset(w[0] for w in folded.get("negated verb", ()) if len(w) == 1),
                  comparison=tuple(c.casefold() for c in kinds.get("comparison", ())),
                  context=tuple(c.casefold() for c in kinds.get("context", ())),
                  titles=frozenset(phrase_words(c) for c in kinds.get("section title", ())))


@lru_cache(maxsize=1 << 17)
def _fold(word: str) -> str:
    """A word as it is matched: accents and case folded, possessive 's and plural -s dropped. Cached: label
    text repeats a vocabulary of some thousands of words (a cache hit costs a tenth of a fold)."""
    if word in _MARKS:
        return word
    word = unicodedata.normalize("NFKD", word.replace("’", "'")).encode("ascii", "ignore").decode().casefold()
    return singular(word[:-2] if word.endswith("'s") else word)


class Incidence(NamedTuple):
    """The drug's incidence in a table row, in percent: lowest and highest over its arms (doses)."""

    low: float
    high: float
    text: str  # as a reader sees it: "9-12%", "5.3%", "<1%"
    below: bool = False  # the highest is a bound ("<1"): the incidence is below ``high``


@dataclass(frozen=True)
class Sentence:
    """One searchable sentence of a label (or a heading, or the first cell of a table row)."""

    section: str
    number: str | None
    heading: str | None
    text: str  # as the label writes it (a table row: its cells joined by " | ")
    words: tuple[str, ...]  # folded, filler words kept (guards need them)
    originals: tuple[str, ...]  # the same words as written
    incidence: Incidence | None = None  # for a table row of an incidence table
    table: str | None = None  # the table's caption, for a table row


def tokenize(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(folded words, words as written) of a text, without cross-references."""
    text = _CROSS_REFERENCE.sub(" ", text)
    originals = tuple(m.group() for m in _TOKEN.finditer(text))
    return tuple(_fold(w) for w in originals), originals


def phrase_words(phrase: str) -> tuple[str, ...]:
    """The folded words a phrase is searched by (filler words dropped).

    >>> phrase_words("Perforation of the Uterus"), phrase_words("Headaches"), phrase_words("Raynaud’s")
    (('perforation', 'uterus'), ('headache',), ('raynaud',))
    """
    folded, _ = tokenize(phrase)
    return tuple(w for w in folded if w not in _FILLER)


@dataclass(frozen=True)
class Occurrence:
    """Where a phrase stands in a label, and whether it counts as a listing there."""

    sentence: Sentence
    verdict: str  # "listing", "negated", "compared with placebo", "in a product name", "context only"

    @property
    def listing(self) -> bool:
        return self.verdict == "listing"


class LabelText:
    """One label's searchable sentences: built once from its passages and table rows, searched per phrase.

    Parameters
    ----------
    passages : the label's passages (key, section, position, number, heading, text), as the store gives them.
    table_rows : the label's table rows (section, position, table, caption, part, row, cells).
    drug_names : the label's own names, to find the drug's column in an incidence table.
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
                words, originals = self._heading_words(heading)
                if words:
                    self.sentences.append(Sentence(section, number, heading, heading, words, originals))
            for s in sentences(text if isinstance(text, str) else ""):
                words, originals = tokenize(s)
                if words:
                    self.sentences.append(Sentence(section, number, heading, s, words, originals))
        if table_rows is not None and len(table_rows):
            names = [n for n in drug_names if n]
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
                columns = drug_columns(header, names)
                for _, cells in sorted(body, key=lambda r: r[0]):
                    cells = list(cells)
                    if not cells or not cells[0].strip():
                        continue
                    words, originals = tokenize(cells[0])
                    if words:
                        self.sentences.append(Sentence(
                            section, number, heading, " | ".join(cells), words, originals,
                            incidence_of(cells, columns, caption), caption))
        self._index: dict[str, list[tuple[int, int]]] = {}
        for i, s in enumerate(self.sentences):
            for j, w in enumerate(s.words):
                self._index.setdefault(w, []).append((i, j))

    def _heading_words(self, heading: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """A heading's words, or none when it only names its section ("WARNINGS", "6 ADVERSE REACTIONS")."""
        titles = self.guards.titles
        if phrase_words(heading) in titles:
            return (), ()
        prefix, colon, rest = heading.partition(":")
        if colon and phrase_words(prefix) in titles:  # "WARNING: SEVERE LIVER INJURY"
            return tokenize(rest)
        return tokenize(heading)

    def find(self, phrase: tuple[str, ...]) -> list[Occurrence]:
        """Every occurrence of the folded ``phrase`` (filler words between its words allowed), with its verdict."""
        if not phrase:
            return []
        out = []
        for i, j in self._index.get(phrase[0], ()):
            s = self.sentences[i]
            end = _match_from(s.words, j, phrase)
            if end is not None:
                out.append(Occurrence(s, self._verdict(s, j, end)))
        return out

    def _verdict(self, s: Sentence, start: int, end: int) -> str:
        if s.section not in LISTING_SECTIONS:
            return "context only"
        g = self.guards
        lower = s.text.casefold()
        if any(cue in lower for cue in g.context):
            return "context only"
        before = _window_before(s.words, start)
        if any(_contains(before, cue) for cue in g.before) or self._negated_after(s.words, end):
            return "negated"
        if any(cue in lower for cue in g.comparison):
            return "compared with placebo"
        if _in_product_name(s.originals, start, end):
            return "in a product name"
        return "listing"

    def _negated_after(self, words: tuple[str, ...], end: int) -> bool:
        """A negation among the meaningful words after the phrase, denying one of the guards' verbs."""
        g = self.guards
        seen = 0
        for k in range(end, len(words)):
            w = words[k]
            if w in g.after or w.endswith("n't"):
                if not g.verbs or g.verbs.intersection(_meaningful(words[k + 1:], VERB_WINDOW)):
                    return True
            if w not in _FILLER:
                seen += 1
                if seen >= NEGATION_WINDOW:
                    return False
        return False


def _meaningful(words: Iterable[str], n: int) -> list[str]:
    """The first ``n`` meaningful (non-filler) words."""
    out = []
    for w in words:
        if w not in _FILLER:
            out.append(w)
            if len(out) == n:
                break
    return out


def _window_before(words: tuple[str, ...], start: int) -> tuple[str, ...]:
    """The words before ``start`` back to the NEGATION_WINDOW-th meaningful one, filler words included."""
    k, seen = start, 0
    while k > 0 and seen < NEGATION_WINDOW:
        k -= 1
        seen += words[k] not in _FILLER
    return words[k:start]


def _contains(words: tuple[str, ...], cue: tuple[str, ...]) -> bool:
    n = len(cue)
    return any(words[i:i + n] == cue for i in range(len(words) - n + 1))


def _match_from(words: tuple[str, ...], j: int, phrase: tuple[str, ...]) -> int | None:
    """End (exclusive) of ``phrase`` matched at ``words[j]``, filler words between its words skipped."""
    k = j
    for p in phrase:
        while k < len(words) and words[k] in _FILLER and words[k] != p:
            k += 1
        if k >= len(words) or words[k] != p:
            return None
        k += 1
    return k


def _in_product_name(originals: tuple[str, ...], start: int, end: int) -> bool:
    """The phrase is in a run of capitalised words, without filler words, that a ® or ™ marks as a name."""
    if not all(w[:1].isupper() for w in originals[start:end]):
        return False
    k = end
    while k < len(originals) and originals[k][:1].isupper() and _fold(originals[k]) not in STOPWORDS:
        k += 1
    return k < len(originals) and originals[k] in _MARKS


_PLACEBO = ("placebo", "vehicle", "comparator", "control", "sham")


def drug_columns(header: list[list[str]], drug_names: list[str]) -> list[int]:
    """Columns of a table's body that hold the drug's own arm(s): header cells naming the drug (salt
    words aside: "Quellorin" names "quellorin sodium"), else every column after the first whose header
    names no placebo or comparator."""
    if not header:
        return []
    width = max(len(r) for r in header)
    text = [" ".join(r[c] for r in header if c < len(r)) for c in range(width)]
    keys = {k for k in (name_key(n) for n in drug_names) if k}
    folded = [f" {name_key(t)} " for t in text]
    named = [c for c in range(1, width) if any(f" {k} " in folded[c] for k in keys)]
    if named:
        return named
    return [c for c in range(1, width) if not any(p in text[c].casefold() for p in _PLACEBO)]


def incidence_of(cells: list[str], columns: list[int], caption: str | None) -> Incidence | None:
    """The drug's incidence in percent from a table row, over the drug's columns, or None.

    Tables of reactions that led to discontinuation do not give incidence. A cell "12 (5.3)" gives the
    percent in brackets; "<1" and "3 (<1)" give a bound: below 1%.

    >>> incidence_of(["Nausea", "9", "12 (5.3)", "30"], [1, 2], "Table 2")
    Incidence(low=5.3, high=9.0, text='5.3-9%', below=False)
    """
    if caption and "discontinu" in caption.casefold():
        return None
    values = []
    for c in columns:
        if c >= len(cells):
            continue
        m = _BRACKETED.search(cells[c]) or _VALUE.search(cells[c])
        if m:
            values.append((float(m.group(2)), bool(m.group(1))))
    if not values:
        return None
    low, high = min(v for v, _ in values), max(v for v, _ in values)
    low_below = all(b for v, b in values if v == low)
    high_below = all(b for v, b in values if v == high)
    if (low, low_below) == (high, high_below):
        text = f"{'<' if low_below else ''}{low:g}%"
    else:
        text = f"{'<' if low_below else ''}{low:g}-{'<' if high_below else ''}{high:g}%"
    return Incidence(low, high, text, high_below)
