"""Which drug a page is about, and for which condition: from a title or heading, or from an address.

A page outside the template rarely starts with "<Drug> for <Condition>". Its headline may be
"Trazodone Side Effects", "Common Side Effects and Overdose Symptoms of Trazodone", "Gabapentin for
Anxiety: Uses, Side Effects and Contraindications", a question ("How does prednisone work for
asthma?") or the reversed form ("Dosing Strategies for Treating Anxiety with Sertraline"); or it names
neither, and only its address does ("/gabapentin-for-anxiety"). :func:`subject_from_heading` reads the
headline shapes, :func:`subject_from_address` the address or file name. Both only accept a drug that is
a known drug name (``data/reference/drug_names.csv``, plus any the caller adds, such as the names of an
imported label store or of crawl metadata): "Guide for Parents" names no drug. A condition is never
invented: without one it stays None.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, NamedTuple
from urllib.parse import unquote, urlsplit

from .. import config

DRUG_NAMES_FILE = "drug_names.csv"
#: Where "X for Y" headlines put a subtitle after the condition: "Anxiety: Uses, ...", "Anxiety | Site".
_SUBTITLE = re.compile(r"\s*(?::|\||\s[-–—]\s).*$")
_QUESTION = re.compile(
    r"^(?:how|does|do|can|could|is|are|will|should|what|why|when)\b.*?\b(?P<drug>[A-Za-z][\w-]*)\s+"
    r"(?:work|works|help|helps|used|good|safe|effective|prescribed|treat)\b.*?\b(?:for|with)\s+(?P<cond>[^?]+)\?*$",
    re.I)
_REVERSED = re.compile(r"\b(?:treating|treat|managing|manage|lowering|lower|reducing|reduce|controlling|control|"
                       r"easing|for)\s+(?P<cond>.+?)\s+with\s+(?P<drug>[A-Za-z][\w-]*)\b",
                       re.I)
_FOR = re.compile(r"^(?P<drug>.+?)\s+for\s+(?P<cond>.+)$", re.I)
_OF_DRUG = re.compile(r"\b(?:of|from|with|on|about|taking)\s+(?P<drug>[A-Za-z][\w-]*)\s*$", re.I)
_DRUG_FIRST = re.compile(r"^(?P<drug>[A-Za-z][\w-]*)(?:\s*\([^)]*\))?\s*(?:'s\s+|’s\s+)?(?:side\s+effects|adverse|uses|"
                         r"dosage|reviews|warnings)\b", re.I)
#: "<Condition> and <Drug>" headlines; and what such a headline pairs with a drug that is no condition.
_AND_DRUG = re.compile(r"^(?P<cond>[A-Z][\w'’-]*(?: [\w'’-]+){0,3}) (?:and|&) (?P<drug>[A-Za-z][\w-]*)$")
_NOT_WITH_DRUG = frozenset({"alcohol", "pregnancy", "breastfeeding", "food", "grapefruit", "exercise", "driving",
                            "weight", "sex", "caffeine", "coffee", "sun", "travel", "surgery", "kids", "children",
                            "you", "your health", "dosage", "side effects", "safety", "uses"})
#: Words that open a condition phrase but are not part of it ("for the treatment of anxiety").
_CONDITION_LEAD = re.compile(r"^(?:the\s+)?(?:treatment|treating|relief|management|managing|prevention)\s+of\s+|"
                             r"^(?:treating|treat|managing|manage|easing|relieving)\s+|^(?:the|your)\s+",
                             re.I)
_NOT_CONDITIONS = frozenset({"you", "me", "kids", "children", "adults", "women", "men", "beginners", "dummies",
                             "patients", "parents", "carers", "caregivers", "families", "seniors", "teens",
                             "students", "nurses", "doctors", "pharmacists",
                             "everyone", "sale", "less", "free", "more", "years", "months", "weeks", "days"})


class Subject(NamedTuple):
    """What a page is about, as found: the drug and condition (None when not found) and where from."""

    drug: str | None
    condition: str | None
    drug_from: str | None = None
    condition_from: str | None = None


@lru_cache(maxsize=4)
def known_drugs(reference_dir: Path = config.REFERENCE_DIR) -> frozenset[str]:
    """Drug names shipped as data (``drug_names.csv``: generic and brand names), case-folded."""
    path = Path(reference_dir) / DRUG_NAMES_FILE
    if not path.exists():
        return frozenset()
    with open(path, newline="", encoding="utf-8") as fh:
        return frozenset(r["name"].strip().casefold() for r in csv.DictReader(fh) if r.get("name"))


@lru_cache(maxsize=8)
def known_names(extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The shipped names and ``extra``, case-folded (built once per set of extra names: a label store's
    names are thousands; a reader of many headings builds it once and passes it as ``known``)."""
    return known_drugs() | {d.casefold() for d in extra}


def _condition(text: str) -> str | None:
    text = _SUBTITLE.sub("", text).strip(" .,;:!?\"'“”‘’")
    text = _CONDITION_LEAD.sub("", text).strip()
    if not text or len(text.split()) > 6 or text.casefold() in _NOT_CONDITIONS or not text[0].isalpha():
        return None
    return text[0].upper() + text[1:]


def _drug(word: str, known: frozenset[str]) -> str | None:
    """The word as a drug name (first letter capitalised) when it is a known one."""
    word = word.strip(" .,;:!?\"'“”‘’®™")
    return word[0].upper() + word[1:] if word and word.casefold() in known else None


def subject_from_heading(text: str, extra_drugs: Iterable[str] = (), *,
                         known: frozenset[str] | None = None) -> Subject | None:
    """The drug (and condition, when named) a title or heading is about, or None when it names no drug.

    >>> subject_from_heading("Gabapentin for Anxiety: Uses, Side Effects and Contraindications")[:2]
    ('Gabapentin', 'Anxiety')
    >>> subject_from_heading("How does prednisone work for asthma?")[:2]
    ('Prednisone', 'Asthma')
    >>> subject_from_heading("Dosing Strategies for Treating Anxiety with Sertraline")[:2]
    ('Sertraline', 'Anxiety')
    >>> subject_from_heading("Common Side Effects and Overdose Symptoms of Trazodone")[:2]
    ('Trazodone', None)
    """
    known = known if known is not None else known_names(tuple(extra_drugs))
    text = " ".join(text.replace("®", "").replace("™", "").split()).strip(" #*")
    if not text:
        return None
    m = _QUESTION.match(text)
    if m:
        drug = _drug(m.group("drug"), known)
        return Subject(drug, _condition(m.group("cond")), "title", "title") if drug else None
    m = _REVERSED.search(_SUBTITLE.sub("", text) if ":" in text else text)
    if m and _drug(m.group("drug"), known):
        return Subject(_drug(m.group("drug"), known), _condition(m.group("cond")), "title", "title")
    m = _FOR.match(_SUBTITLE.sub("", text) if ":" in text and " for " in text.split(":")[0] else text)
    if m:
        drug_words = m.group("drug").split()
        # a known name among the words ("Using Gabapentin for Anxiety"): "Guide for Parents" names no drug
        drug = next((_drug(w, known) for w in drug_words if _drug(w, known)), None)  # "X vs Y": the first
        if drug:
            return Subject(drug, _condition(m.group("cond")), "title", "title")
    m = _AND_DRUG.match(_SUBTITLE.sub("", text))  # "Osteoarthritis and Celecoxib: What to Expect"
    if m and _drug(m.group("drug"), known) and not _drug(m.group("cond").split()[-1], known) \
            and m.group("cond").casefold() not in _NOT_WITH_DRUG:
        return Subject(_drug(m.group("drug"), known), _condition(m.group("cond")), "title", "title")
    m = _DRUG_FIRST.match(text)
    if m and _drug(m.group("drug"), known):
        return Subject(_drug(m.group("drug"), known), None, "title", None)
    m = _OF_DRUG.search(_SUBTITLE.sub("", text))
    if m and _drug(m.group("drug"), known):
        return Subject(_drug(m.group("drug"), known), None, "title", None)
    for word in re.findall(r"[A-Za-z][\w-]*", text):  # a known name anywhere in a side-effects heading
        if word.casefold() in known and re.search(r"side\s+effects?|adverse", text, re.I):
            return Subject(_drug(word, known), None, "title", None)
    return None


def subject_from_address(address: str, extra_drugs: Iterable[str] = (), *,
                         known: frozenset[str] | None = None) -> Subject | None:
    """The drug and condition an address or file name names, or None.

    >>> subject_from_address("https://example.test/blog/gabapentin-for-anxiety")[:2]
    ('Gabapentin', 'Anxiety')
    >>> subject_from_address("https://example.test/drugs/trazodone/insomnia/")[:2]
    ('Trazodone', 'Insomnia')
    >>> subject_from_address("pages/trazodone-side-effects.html")[:2]
    ('Trazodone', None)
    """
    known = known if known is not None else known_names(tuple(extra_drugs))
    path = unquote(urlsplit(address).path if "://" in address else address)
    segments = [re.sub(r"(?:\.[A-Za-z][A-Za-z0-9]{0,4})+$", "", s) for s in path.split("/") if s]  # extensions
    for i, segment in enumerate(reversed(segments)):
        words = [w for w in re.split(r"[-_+\s]+", segment) if w]
        lower = [w.casefold() for w in words]
        if "for" in lower:
            k = lower.index("for")
            drug = next((_drug(w, known) for w in reversed(words[:k]) if _drug(w, known)), None)
            if drug:
                return Subject(drug, _condition(" ".join(words[k + 1:]).title()), "address", "address")
        drug = next((_drug(w, known) for w in words if _drug(w, known)), None)
        if drug:
            after = segments[len(segments) - i:] if i else []
            rest = [w for w in re.split(r"[-_+\s]+", after[0]) if w] if after else []
            condition = _condition(" ".join(rest).title()) if rest and not _generic_segment(rest) else None
            return Subject(drug, condition, "address", "address" if condition else None)
    return None


def _generic_segment(words: list[str]) -> bool:
    """An address segment that names a kind of page, not a condition ("side-effects", "reviews")."""
    return bool({w.casefold() for w in words} & {"side", "effects", "reviews", "dosage", "uses", "warnings",
                                                  "interactions", "faq", "index", "overview"})
