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

import string
import struct
from functools import lru_cache
from hashlib import blake2b
from itertools import repeat
from typing import Iterable

from ..text import SENTENCE_BREAK
from .lines import Line
from .records import SentenceHash

#: Sentences of fewer words are skipped ("Read more.", "Yes.", list labels).
MIN_WORDS = 4
DRUG_MASK = "<drug>"
CONDITION_MASK = "<condition>"
#: Line hints that mark a heading or title rather than body text.
HEADING_HINTS = frozenset({"title", "heading"})

# A sentence end (with any closing quotes or brackets) and the space after it (explorer.text's one rule).
# What it consumes is edge punctuation, which normalising strips anyway.
_SENTENCE_BREAK = SENTENCE_BREAK
# What most often stands at a sentence's edges, stripped in one call; rarer symbols by the loop below.
_EDGE_PUNCTUATION = string.punctuation + " “”‘’«»„•·–—…"


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def normalise(sentence: str) -> str:
    """A sentence casefolded, whitespace collapsed, punctuation stripped from both ends.

    >>> normalise("  - Mirena’s  HORMONE can help.  ")
    'mirena’s hormone can help'
    """
    return _strip_edges(" ".join(sentence.casefold().split()))


def _strip_edges(text: str) -> str:
    text = text.strip(_EDGE_PUNCTUATION)
    if text and text[0].isalnum() and text[-1].isalnum():
        return text
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():  # a loop over the few edge characters beats a regex
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return text[start:end]


@lru_cache(maxsize=4096)
def _names(drug: str | None, condition: str | None) -> tuple[tuple[str, str], ...]:
    """The page's names, normalised, longest first, each with its mask (the drug's wins a tie)."""
    names: dict[str, str] = {}
    for name, mask_ in ((condition, CONDITION_MASK), (drug, DRUG_MASK)):
        key = normalise(name or "")
        if key:
            names[key] = mask_
    return tuple(sorted(names.items(), key=lambda item: -len(item[0])))


def mask(sentence: str, drug: str | None, condition: str | None) -> str:
    """A normalised sentence with the page's drug and condition masked as whole words, the longer name
    first (a condition that holds the drug's name is masked whole).

    Done with ``str.split`` rather than a regular expression: each page has its own pair of names, and
    compiling a pattern per page cost more than reading the page (0.7 ms).

    >>> mask(normalise("Mirena can ease Back Pain, says the Mirenax leaflet."), "Mirena", "back pain")
    '<drug> can ease <condition>, says the mirenax leaflet'
    """
    return _mask(sentence, _names(drug, condition))


def _mask(sentence: str, names: tuple[tuple[str, str], ...]) -> str:
    for name, mask_ in names:
        if name not in sentence:
            continue
        pieces = sentence.split(name)
        out = [pieces[0]]
        before = pieces[0][-1:]  # the character before the next occurrence ("" at the start)
        last = len(pieces) - 1
        for k, piece in enumerate(pieces[1:], 1):
            # the character after it: the piece's first, or the next occurrence's when the piece is empty
            after = piece[:1] or (name[:1] if k < last else "")
            whole = not (before and _is_word(before)) and not (after and _is_word(after))
            out.append(mask_ if whole else name)
            out.append(piece)
            before = piece[-1:] or (mask_ if whole else name)[-1]
        sentence = "".join(out)
    return sentence


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
    numbers: list[int] = []
    sentences: list[str] = []
    for number, text, hint, _ in lines:
        if number in skip or hint in HEADING_HINTS:
            continue
        # normalised once per line: splitting first would give the same sentences, at more cost
        folded = text.casefold()
        if "  " in folded or not folded.isprintable():  # only the ASCII space is printable whitespace
            folded = " ".join(folded.split())
        # Every sentence break holds one of these: a line without any (a list item, a one-sentence
        # paragraph: most lines) is not searched with the pattern, which costs ten times more.
        if (". " in folded or "? " in folded or "! " in folded or '" ' in folded or "” " in folded
                or "’ " in folded or "' " in folded or ") " in folded or "] " in folded):
            # words: whitespace is collapsed to single spaces
            parts = [p for p in map(_strip_edges, _SENTENCE_BREAK.split(folded)) if p.count(" ") >= MIN_WORDS - 1]
            numbers.extend([number] * len(parts))
            sentences.extend(parts)
        else:
            sentence = _strip_edges(folded)
            if sentence.count(" ") >= MIN_WORDS - 1:
                numbers.append(number)
                sentences.append(sentence)
    # The rest runs over the page's sentences at once, in comprehensions and C calls: about 3x cheaper
    # than building each sentence's record in the loop above.
    n_chars = list(map(len, sentences))
    names = _names(drug, condition)
    masked = [_mask(s, names) for s in sentences] if names else sentences
    digests = b"".join([blake2b(s.encode(), digest_size=8).digest() for s in masked])
    hashes = struct.unpack(f"<{len(masked)}q", digests)  # signed little-endian 64-bit, as sentence_hash
    # tuple.__new__ through map: no Python call per record (the NamedTuple's own constructor is one)
    return tuple(map(tuple.__new__, repeat(SentenceHash), zip(numbers, hashes, n_chars)))
