"""The names a page is read for, kept as data: drugs, conditions, and the words that say "this is a drug".

- ``data/reference/drug_names.csv`` (name, kind): generic and brand names and a few classes that pages
  are written about as if they were one drug ("birth control pills"); names of one word or several.
- ``data/reference/conditions.csv`` (condition, kind, note, means): what drug pages are written for, as
  pages name it: diseases ("rheumatoid arthritis"), symptoms treated in their own right ("pain",
  "insomnia"), goals ("weight loss", "smoking cessation"), abbreviations ("PCOS", matched only in capitals)
  and measures, which stand for the condition in ``means`` ("to lower blood pressure": high blood
  pressure).
- ``data/reference/drug_kinds.csv`` (word, note): the nouns of "X is an antibiotic", "X is a
  prescription medicine", which make X a drug even when it is not among the names.

Names are matched as runs of words, the longest first: a condition's words by their lemmas
(:func:`explorer.text.lemma`, so that "allergy" finds "allergies"), a drug's as written (case folded).
:class:`Mention` says where.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, NamedTuple

from .. import config
from ..text import lemma

DRUG_NAMES_FILE = "drug_names.csv"
CONDITIONS_FILE = "conditions.csv"
DRUG_KINDS_FILE = "drug_kinds.csv"
#: Longest name, in words, that is looked for.
MAX_WORDS = 5
#: A word of a page: letters and digits, with inner hyphens, apostrophes or slashes.
_TOKEN = re.compile(r"[^\W_]+(?:['’\-/][^\W_]+)*")


class Mention(NamedTuple):
    """A name found in a text: its key in the vocabulary, the text as written, and where it stands."""

    key: str  # the vocabulary's entry (folded)
    text: str  # as written on the page
    start: int  # character offsets in the text searched
    end: int
    kind: str  # the entry's kind (generic, brand, class; disease, symptom, goal, abbreviation)


def _read(reference_dir: Path, name: str) -> list[dict[str, str]]:
    return config.reference_rows(name, reference_dir)


def _word(word: str) -> str:
    return word.replace("’", "'")


class Vocabulary:
    """Names (of one word or several) looked up as runs of words: their lemmas (``lemmas``: conditions,
    where "allergies" is "allergy"), or the words as written (drug names, read on every page, whose plural
    is no form of theirs: lemmatising them would cost every ingest worker the lemma dictionaries)."""

    def __init__(self, entries: Iterable[tuple[str, str]], lemmas: bool = True):
        self._lemmas = lemmas
        self._entries: dict[tuple[str, ...], tuple[str, str]] = {}
        self._capitals: set[tuple[str, ...]] = set()
        for name, kind in entries:
            words = _TOKEN.findall(name.casefold())
            if not words:
                continue
            key = self._key(words)
            self._entries.setdefault(key, (name.strip(), kind))
            if kind == "abbreviation":
                self._capitals.add(key)
        self._longest = min(MAX_WORDS, max((len(k) for k in self._entries), default=1))

    def _key(self, words: Iterable[str]) -> tuple[str, ...]:
        return tuple(lemma(_word(w)) for w in words) if self._lemmas else tuple(_word(w) for w in words)

    def __contains__(self, name: str) -> bool:
        return self._key(_TOKEN.findall(name.casefold())) in self._entries

    def kind(self, name: str) -> str | None:
        found = self._entries.get(self._key(_TOKEN.findall(name.casefold())))
        return found[1] if found else None

    def with_names(self, names: Iterable[str], kind: str = "given") -> "Vocabulary":
        """A copy that also knows ``names``."""
        extra = [(n, kind) for n in names if n and n not in self]
        if not extra:
            return self
        new = Vocabulary((), self._lemmas)
        new._entries = dict(self._entries)
        new._capitals = set(self._capitals)
        for name, k in extra:
            words = _TOKEN.findall(name.casefold())
            if words:
                new._entries.setdefault(new._key(words), (name.strip(), k))
        new._longest = min(MAX_WORDS, max((len(k) for k in new._entries), default=1))
        return new

    def find(self, text: str, *, first: bool = False, kinds: frozenset[str] | None = None) -> list[Mention]:
        """Every name in ``text``, left to right, the longest at each place (or only the first one)."""
        tokens = list(_TOKEN.finditer(text))
        keys = [(lemma if self._lemmas else _word)(_word(t.group().casefold())) for t in tokens]
        heads = [k.split("-", 1)[0] if "-" in k else None for k in keys]  # "Montelukast-treated" names montelukast
        out: list[Mention] = []
        i = 0
        while i < len(tokens):
            for n in range(min(self._longest, len(tokens) - i), 0, -1):
                key = tuple(keys[i:i + n])
                entry = self._entries.get(key)
                if entry is None or (kinds is not None and entry[1] not in kinds):
                    continue
                start, end = tokens[i].start(), tokens[i + n - 1].end()
                written = text[start:end]
                if key in self._capitals and not written.isupper():
                    continue  # "PCOS" is an abbreviation; "pcos" in running text is not trusted
                out.append(Mention(" ".join(key), written, start, end, entry[1]))
                if first:
                    return out
                i += n - 1
                break
            else:
                head = heads[i]
                entry = self._entries.get((head,)) if head else None
                if entry is not None and (kinds is None or entry[1] in kinds) and (head,) not in self._capitals:
                    start = tokens[i].start()
                    out.append(Mention(head, text[start:start + len(head)], start, start + len(head), entry[1]))
                    if first:
                        return out
            i += 1
        return out


@lru_cache(maxsize=4)
def drug_vocabulary(reference_dir: Path = config.REFERENCE_DIR) -> Vocabulary:
    """The known drug names (``drug_names.csv``)."""
    return Vocabulary(((r["name"], r.get("kind") or "generic") for r in _read(reference_dir, DRUG_NAMES_FILE)
                       if r.get("name")), lemmas=False)


@lru_cache(maxsize=4)
def condition_vocabulary(reference_dir: Path = config.REFERENCE_DIR) -> Vocabulary:
    """The known conditions (``conditions.csv``)."""
    return Vocabulary((r["condition"], r.get("kind") or "disease") for r in _read(reference_dir, CONDITIONS_FILE)
                      if r.get("condition"))


@lru_cache(maxsize=4)
def measure_means(reference_dir: Path = config.REFERENCE_DIR) -> dict[str, str]:
    """What a measure stands for when a drug is said to lower or control it ("blood pressure": high blood
    pressure), by the measure's vocabulary key (``conditions.csv``'s ``means`` column)."""
    vocabulary = condition_vocabulary(reference_dir)
    out = {}
    for row in _read(reference_dir, CONDITIONS_FILE):
        if (row.get("means") or "").strip():
            found = vocabulary.find(row["condition"], first=True)
            if found:
                out[found[0].key] = row["means"].strip()
    return out


@lru_cache(maxsize=4)
def drug_kinds(reference_dir: Path = config.REFERENCE_DIR) -> frozenset[str]:
    """The nouns that make the subject of "X is a <noun>" a drug (``drug_kinds.csv``), folded."""
    return frozenset(r["word"].strip().casefold() for r in _read(reference_dir, DRUG_KINDS_FILE) if r.get("word"))


@lru_cache(maxsize=8)
def drugs_with(extra: tuple[str, ...] = ()) -> Vocabulary:
    """The shipped drug names and ``extra`` (a label store's, the crawl metadata's)."""
    return drug_vocabulary().with_names(extra)
