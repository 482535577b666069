"""A page's prose as masked sentence hashes: what boilerplate detection needs, without the text.

Sites of the "<Drug> for <Condition>" kind write most of each page from a template ("Some users of
Mirena for back pain have reported ..."). To tell template text from page-specific text across a
million pages, the corpus keeps, per sentence, only a 64-bit hash of its text with the page's own drug
and condition masked, its line and its length (:mod:`explorer.explore.boilerplate` does the counting):

1. Each body line (text pages' lines, HTML pages' main-content lines; headings left out) is split into
   sentences after ``.``, ``!`` or ``?`` (a closing quote or bracket may follow) and a space.
2. A sentence is normalised: casefolded, whitespace collapsed, punctuation and bullet marks stripped
   from both ends. Fragments of fewer than :data:`MIN_WORDS` words are skipped.
3. The page's drug and condition are masked as whole words ("mirena" -> ``<drug>``, "back pain" ->
   ``<condition>``; the longer name first, so a condition that holds the drug's name is masked whole).
4. The result is hashed with BLAKE2b (8 bytes, read as a signed little-endian integer: an ``int64``).

The hash is stable across processes and machines (unlike Python's ``hash``), so corpora ingested on
different days or workers compare.
"""
from __future__ import annotations

import re
from functools import lru_cache
from hashlib import blake2b
from typing import Iterable

from .lines import Line
from .records import SentenceHash

#: Sentences of fewer words are skipped ("Read more.", "Yes.", list labels).
MIN_WORDS = 4
DRUG_MASK = "<drug>"
CONDITION_MASK = "<condition>"
#: Line hints that mark a heading or title rather than body text.
HEADING_HINTS = frozenset({"title", "heading"})

# After a sentence end (possibly closed by a quote or bracket), the space before the next sentence.
_SENTENCE_BREAK = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)\]]))\s+")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")


def normalise(sentence: str) -> str:
    """A sentence casefolded, whitespace collapsed, punctuation stripped from both ends.

    >>> normalise("  - Mirena’s  HORMONE can help.  ")
    'mirena’s hormone can help'
    """
    return _EDGES.sub("", " ".join(sentence.casefold().split()))


@lru_cache(maxsize=4096)
def _masks(drug: str | None, condition: str | None) -> tuple[re.Pattern | None, dict[str, str]]:
    """The whole-word pattern of a page's names (casefolded, longest first) and each name's mask."""
    names: dict[str, str] = {}
    for name, mask in ((condition, CONDITION_MASK), (drug, DRUG_MASK)):  # the drug wins a tie
        key = normalise(name or "")
        if key:
            names[key] = mask
    if not names:
        return None, names
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), names


def mask(sentence: str, drug: str | None, condition: str | None) -> str:
    """A normalised sentence with the page's drug and condition masked as whole words.

    >>> mask(normalise("Mirena can ease Back Pain, says the Mirenax leaflet."), "Mirena", "back pain")
    '<drug> can ease <condition>, says the mirenax leaflet'
    """
    pattern, names = _masks(drug, condition)
    if pattern is None:
        return sentence
    return pattern.sub(lambda m: names[m.group()], sentence)


def sentence_hash(text: str) -> int:
    """The signed 64-bit BLAKE2b hash of a (masked) sentence.

    >>> sentence_hash("<drug> can ease <condition>") == sentence_hash("<drug> can ease <condition>")
    True
    """
    return int.from_bytes(blake2b(text.encode(), digest_size=8).digest(), "little", signed=True)


def page_sentences(lines: Iterable[Line], drug: str | None, condition: str | None,
                   skip_lines: Iterable[int] = ()) -> tuple[SentenceHash, ...]:
    """Every prose sentence of a page's body lines as a :class:`SentenceHash`, in page order.

    Parameters
    ----------
    lines : the page's lines (:func:`~explorer.pages.lines.text_lines`, or
        :func:`~explorer.pages.maincontent.main_lines` for HTML); lines hinted as headings are skipped.
    drug, condition : the page's drug and condition, masked in every sentence.
    skip_lines : further line numbers to leave out (the page's headings, as its reader found them).

    >>> from explorer.pages.lines import text_lines
    >>> page = text_lines("Zelnora for Dry Eyes\\nZelnora soothes dry eyes within a day. Ask a pharmacist first.")
    >>> [(s.line, s.n_chars) for s in page_sentences(page, "Zelnora", "Dry Eyes", skip_lines=[1])]
    [(2, 37), (2, 22)]
    """
    skip = frozenset(skip_lines)
    out: list[SentenceHash] = []
    for number, text, hint in lines:
        if number in skip or hint in HEADING_HINTS:
            continue
        for part in _SENTENCE_BREAK.split(text):
            sentence = normalise(part)
            if sentence.count(" ") + 1 < MIN_WORDS:  # words: whitespace is collapsed to single spaces
                continue
            out.append(SentenceHash(number, sentence_hash(mask(sentence, drug, condition)), len(sentence)))
    return tuple(out)
