"""The words of a claim and of a label folded so that one effect written two ways meets itself.

Three steps, each kept as data in ``data/reference/`` with a note per row:

1. :func:`fold_word`: one word as matched: case and accents folded, a possessive 's dropped, British
   spellings made American (``spellings.csv``: "haemorrhage" is "hemorrhage", "foetus" is "fetus"), then
   its lemma (lemminflect): "abscesses" is "abscess", "rabies" stays "rabies", "increased" is "increase",
   "swollen" is "swell". A word lemminflect knows as a verb takes its verb lemma first ("bleeding" and
   "bleeds" are "bleed"), then its noun lemma, then its adjective lemma; a word it does not know (most
   medical words: "arthralgias") drops a plural ending of medical English (:func:`_unknown_singular`). This is the one place words are folded
   in the label check (the lead may point it at a shared text module later).
2. :func:`term_key`: the word's family (``word_families.csv``): derivational and adjective/noun forms
   meet ("hepatic" and "liver", "elevated", "elevations", "raised" and "high" as "increase",
   "prolonged" and "prolongation"). Two marks: "(qualifier)" words carry no meaning for the search
   (MedDRA's "NOS", "NEC") and are dropped from a claim; "(optional)" words may be missing from the
   label ("serum", "level", "count": "Serum creatinine increased" is found as "increased creatinine").
3. :func:`queries`: a claim as the word sets it is searched by: its own words, and with abbreviations
   and compounds swapped (``phrase_variants.csv``: "ALT" and "alanine aminotransferase", "hepatotoxicity"
   and "liver toxicity", hyphenated words also joined: "cardio-respiratory" and "cardiorespiratory").
   An abbreviation put in for a claim's long form is only found where the label writes it in capitals
   (so "ten" in "ten patients" is never toxic epidermal necrolysis).

How a query is matched in a sentence (its words in any order, within one clause or list item) is
:mod:`explorer.audit.fulltext`'s part.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lemminflect import getAllLemmas

from .. import config

SPELLINGS_FILE = "spellings.csv"
EFFECT_WORDS_FILE = "effect_words.csv"
LAY_TERMS_FILE = "lay_terms.csv"
FAMILIES_FILE = "word_families.csv"
VARIANTS_FILE = "phrase_variants.csv"
QUALIFIER, OPTIONAL = "(qualifier)", "(optional)"
#: Words that carry no meaning for matching ("perforation of the uterus" ~ "uterus perforation").
FILLER = frozenset({"a", "an", "and", "or", "of", "the", "in", "to", "with", "for", "from", "on", "at", "by",
                    "your", "some", "any"})
#: How the lemmatiser's readings of a word are preferred (see the module docstring).
_READINGS = ("VERB", "NOUN", "ADJ")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_HYPHENATED = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)+")
_CAPITALS_PLURAL = re.compile(r"[A-Z]{2,}s")
_EXCLUDING = re.compile(r"\(\s*excl\b[^)]*\)", re.I)  # MedDRA's "(excl melanoma)"


def _read(name: str, reference_dir: Path) -> list[dict[str, str]]:
    with open(Path(reference_dir) / name, newline="", encoding="utf-8") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@lru_cache(maxsize=4)
def _spellings(reference_dir: Path = config.REFERENCE_DIR) -> tuple[tuple[str, str], ...]:
    return tuple((r["british"].casefold(), r["american"].casefold()) for r in _read(SPELLINGS_FILE, reference_dir))


@lru_cache(maxsize=1 << 17)
def fold_word(word: str) -> str:
    """One word as it is matched (see the module docstring). Cached: label text repeats some thousands of words.

    >>> [fold_word(w) for w in ("Abscesses", "rabies", "Haemorrhages", "increased", "arthralgias", "Raynaud’s")]
    ['abscess', 'rabies', 'hemorrhage', 'increase', 'arthralgia', 'raynaud']
    """
    w = unicodedata.normalize("NFKD", word.replace("’", "'")).encode("ascii", "ignore").decode().casefold()
    if w.endswith("'s"):
        w = w[:-2]
    for british, american in _spellings():
        if british in w:
            w = w.replace(british, american)
    if len(w) <= 3 or not w.isalpha():
        return w
    if _CAPITALS_PLURAL.fullmatch(word):  # "MAOIs", "NSAIDs": an abbreviation's plural
        return w[:-1]
    readings = getAllLemmas(w)
    if readings:
        return next((readings[r][0] for r in _READINGS if r in readings), w)
    return _unknown_singular(w)


def _unknown_singular(w: str) -> str:
    """The singular of a word the dictionary does not know, by the plural endings of medical English only.

    Not lemminflect's rule for unknown nouns: it reads "-a" as a Latin plural ("hematoma" -> "hematomum",
    so "hematoma" and "hematomas" did not meet) and "-ases" as "-as" ("transaminases" -> "transaminas").
    """
    if w.endswith(("ss", "us", "is", "ia")):  # "sepsis", "pruritus", "mucositis": no plural to drop
        return w
    if w.endswith("ae"):  # "petechiae", "striae"
        return w[:-1]
    if w.endswith(("oses", "yses")):  # "mycoses", "ecchymoses", "paralyses"
        return w[:-2] + "is"
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    return w[:-1] if w.endswith("s") else w  # "transaminases", "arthralgias"; "-a" stays ("hematoma")


@lru_cache(maxsize=4)
def _families(reference_dir: Path = config.REFERENCE_DIR) -> tuple[dict[str, str], dict[str, str]]:
    """(word -> family key, key -> its mark) from ``word_families.csv``."""
    families, marks = {}, {}
    for row in _read(FAMILIES_FILE, reference_dir):
        word = fold_word(row["word"])
        if row["family"] in (QUALIFIER, OPTIONAL):
            marks[word] = row["family"]
        else:
            families[word] = fold_word(row["family"])
    return families, marks


@lru_cache(maxsize=1 << 17)
def term_key(word: str) -> str:
    """The key a word is indexed and searched by: its family's, else its fold.

    >>> [term_key(w) for w in ("hepatic", "Elevations", "prolonged", "serum", "nausea")]
    ['liver', 'increase', 'prolong', 'blood', 'nausea']
    """
    folded = fold_word(word)
    return _families()[0].get(folded, folded)


def mark(key: str) -> str | None:
    """:data:`QUALIFIER` or :data:`OPTIONAL` for a key so marked in ``word_families.csv``, else None."""
    return _families()[1].get(key)


def words_of(text: str) -> list[str]:
    """The words of a text as written (hyphenated words in their parts)."""
    return _WORD.findall(text)


@dataclass(frozen=True)
class Query:
    """One way of searching a claim: its keys (in the claim's order) and which must be in capitals."""

    keys: tuple[str, ...]
    capitals: tuple[bool, ...]  # an abbreviation put in for a long form: found only as written in capitals
    how: str = "words"  # "words", or the kind of swap that made it ("abbreviation", "compound", "synonym")


@lru_cache(maxsize=1 << 16)
def phrase_keys(phrase: str) -> tuple[str, ...]:
    """The keys of a phrase's meaningful words (filler and qualifier words dropped; optional words kept).

    >>> phrase_keys("Elevations of the Serum ALT (NOS)")
    ('increase', 'blood', 'alt')
    """
    keys = (term_key(w) for w in words_of(_EXCLUDING.sub(" ", phrase)))
    return tuple(k for k in keys if k not in FILLER and mark(k) != QUALIFIER)


def lay_key(phrase: str) -> str:
    """The key a phrase is looked up by in the lay-terms table: its keys, sorted (so "blood pressure high",
    "high blood pressure" and "elevated blood pressure" meet).

    >>> lay_key("Elevated blood pressure") == lay_key("high blood-pressure")
    True
    """
    return " ".join(sorted(phrase_keys(phrase)))


@lru_cache(maxsize=4)
def _variants(reference_dir: Path = config.REFERENCE_DIR) -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...],
                                                                                   bool, str]]]:
    """First key -> [(phrase keys, variant keys, variant is an abbreviation, kind)], both directions."""
    out: dict[str, list] = {}
    for row in _read(VARIANTS_FILE, reference_dir):
        a, b, kind = phrase_keys(row["phrase"]), phrase_keys(row["variant"]), row["kind"]
        if not a or not b:
            continue
        out.setdefault(a[0], []).append((a, b, False, kind))
        out.setdefault(b[0], []).append((b, a, kind == "abbreviation", kind))
    return out


def _in_known_phrase(keys: tuple[str, ...]) -> set[int]:
    """Positions of ``keys`` inside a phrase of several words that ``phrase_variants.csv`` knows ("blood
    pressure", "white blood cell"): an optional word there is part of a name and stays."""
    out: set[int] = set()
    for entries in _variants().values():
        for part, _, _, _ in entries:
            n = len(part)
            if n > 1:
                out.update(j for i in range(len(keys) - n + 1) if keys[i:i + n] == part for j in range(i, i + n))
    return out


def _swaps(keys: tuple[str, ...], capitals: tuple[bool, ...]) -> list[tuple[tuple[str, ...], tuple[bool, ...], str]]:
    """Each way of swapping one stretch of ``keys`` for a variant of it."""
    out = []
    # a variant is looked up by any of the claim's keys: its words may stand in any order ("Neoplasm
    # malignant" is "malignant neoplasm", whose entry is under "malignant")
    entries = list(dict.fromkeys(e for k in dict.fromkeys(keys) for e in _variants().get(k, ())))
    for i in range(len(keys)):
        for part, variant, abbreviation, kind in entries:
            if keys[i:i + len(part)] == part or sorted(keys[i:i + len(part)]) == sorted(part):  # any order
                caps = (abbreviation,) * len(variant)
                out.append((keys[:i] + variant + keys[i + len(part):],
                            capitals[:i] + caps + capitals[i + len(part):], kind))
    return out


@lru_cache(maxsize=1 << 14)
def queries(phrase: str) -> tuple[Query, ...]:
    """Every query a phrase is searched by (see the module docstring); none for a phrase without words.

    >>> [q.keys for q in queries("ALT increased")]
    [('alt', 'increase'), ('alanine', 'aminotransferase', 'increase')]
    >>> [q.keys for q in queries("Serum creatinine increased")]
    [('blood', 'creatinine', 'increase'), ('creatinine', 'increase')]
    """
    forms = {phrase}
    for m in _HYPHENATED.finditer(phrase):  # "cardio-respiratory" also as "cardiorespiratory"
        forms.add(phrase.replace(m.group(), re.sub(r"[-‐‑]", "", m.group())))
    found: dict[tuple[str, ...], Query] = {}
    for form in sorted(forms, key=lambda f: f != phrase):
        keys = phrase_keys(form)
        if not keys:
            continue
        found.setdefault(keys, Query(keys, (False,) * len(keys)))
        for swapped, caps, kind in _swaps(keys, (False,) * len(keys)):
            found.setdefault(swapped, Query(swapped, caps, kind))
    out = []
    for q in found.values():
        out.append(q)
        kept = _in_known_phrase(q.keys)
        hard = [(k, c) for i, (k, c) in enumerate(zip(q.keys, q.capitals)) if mark(k) != OPTIONAL or i in kept]
        if 2 <= len(hard) < len(q.keys):  # also without its optional words
            out.append(Query(tuple(k for k, _ in hard), tuple(c for _, c in hard), q.how))
    return tuple(out)


@lru_cache(maxsize=4)
def _medical_words(reference_dir: Path = config.REFERENCE_DIR) -> frozenset[str]:
    """Everyday words that have a medical reading: ``effect_words.csv``, and every one-word phrase or term
    of ``lay_terms.csv`` and ``phrase_variants.csv``."""
    words = {r["word"] for r in _read(EFFECT_WORDS_FILE, reference_dir)}
    words |= {r[c] for r in _read(LAY_TERMS_FILE, reference_dir) for c in ("phrase", "label_term")}
    words |= {r[c] for r in _read(VARIANTS_FILE, reference_dir) for c in ("phrase", "variant")}
    return frozenset(k for w in words for k in [phrase_keys(w)] if len(k) == 1 for k in k)


@lru_cache(maxsize=1 << 14)
def everyday_word(phrase: str) -> str | None:
    """The key of a one-word claim that is an everyday English word with no known medical reading, else None.

    A word is everyday English when the lemmatiser's dictionary (lemminflect's, of general English) holds
    it in more than one part of speech, or not as a noun ("place" is a noun and a verb, "black" an
    adjective, a noun and a verb); medical words are outside it ("thrombocytopenia") or nouns only
    ("glaucoma", "lupus"), and get the benefit of the doubt. An everyday word has a
    medical reading when ``effect_words.csv`` (a note per row) or a one-word entry of the lay-terms or
    phrase-variants tables names it ("rash", "fall", "pain"). Why a dictionary and a short allow-list, not
    a list of common words to refuse: the words a page's fragments leave ("place", "time", "black") are
    any of English, while the everyday words with a medical reading are few and already ours as data.
    The label check also keeps a word its label lists on its own ("Dizziness" as a table row).

    >>> [everyday_word(w) for w in ("place", "Time", "black", "Headache", "glaucoma", "thrombocytopenia", "dry eye")]
    ['place', 'time', 'black', None, None, None, None]
    """
    keys = phrase_keys(phrase)
    if len(keys) != 1 or keys[0] in _medical_words():
        return None
    written = [w for w in words_of(phrase) if fold_word(w) not in FILLER][0].casefold()
    readings = getAllLemmas(written) if written.isalpha() else {}
    # a word known only as a noun may be a disease ("glaucoma", "lupus"); one that is also a verb or an
    # adjective ("place", "time", "black") is everyday English
    return keys[0] if len(readings) > 1 or (readings and "NOUN" not in readings) else None
