"""Text rules every layer shares, defined once: name folding, lemmas and sentence splitting.

Pages, the corpus, the explorations and the label check all compare names and cut text into
sentences; when each did it its own way they disagreed ("Headache" and "Headaches" of one drug were one
effect in one finding and two in another). Everything here is pure Python on strings (the lemma
dictionary of ``lemminflect`` is loaded on first use), so the bottom layer can hold it.

Names
    :func:`fold` is how two names are compared as text: Unicode compatibility forms, case, curly quotes,
    the dash family, runs of spaces and end punctuation ignored (``"  Raynaud’s  Phenomenon. "`` ->
    ``"raynaud's phenomenon"``). :func:`name_key` folds and then takes each word's lemma, so that
    singular and plural forms of one name share a key (``"Headaches"`` -> ``"headache"``,
    ``"abscesses"`` -> ``"abscess"``, ``"emboli"`` -> ``"embolus"``); :func:`lemma` is one word's.
    :func:`words` gives a text's folded words.

Sentences
    :data:`SENTENCE_BREAK` is where one sentence ends and the next starts: ``.``, ``!`` or ``?`` (any
    closing quotes or brackets after it) and the space after. :func:`split_sentences` cuts a text there,
    :func:`sentence_at` gives the sentence around a position.

>>> fold("  Raynaud’s  Phenomenon. "), name_key("Headaches"), name_key("Night-sweats")
("raynaud's phenomenon", 'headache', 'night-sweat')
>>> split_sentences("It works. Side effects are rare! Ask us?")
['It works.', 'Side effects are rare!', 'Ask us?']
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["SENTENCE_BREAK", "fold", "lemma", "name_key", "sentence_at", "split_sentences", "words"]

#: Curly and other quote marks -> the ASCII ones; the hyphen and dash family -> "-".
_QUOTES = {ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4"}
_QUOTES.update({ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033"})
_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}
_TRANSLATE = {**_QUOTES, **_DASHES}
#: What :func:`fold` strips from a name's ends.
_END_PUNCTUATION = " .,:;!?"
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
#: The end of a sentence (with any closing quotes or brackets) and the space after it.
SENTENCE_BREAK = re.compile(r"[.!?]+[\"'”’)\]]*\s+")


def fold(text: object) -> str:
    """A name as compared as text: NFKC, quotes and dashes unified, case folded, spaces collapsed, end
    punctuation stripped.

    >>> fold("  Blood   Clots. "), fold("blood clots"), fold("Pins‑and‑needles")
    ('blood clots', 'blood clots', 'pins-and-needles')
    """
    s = str(text)
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s).translate(_TRANSLATE)
    return " ".join(s.casefold().split()).strip(_END_PUNCTUATION)


def words(text: object) -> list[str]:
    """The folded words of a text (letters and digits, inner hyphens and apostrophes kept).

    >>> words("Trouble sleeping (insomnia), 8.feeling")
    ['trouble', 'sleeping', 'insomnia', '8', 'feeling']
    """
    return _WORD.findall(fold(text))


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """A word's lemma as a noun (``lemminflect``; the word itself when it knows none), lower case.

    >>> [lemma(w) for w in ("abscesses", "rabies", "emboli", "Headaches", "dizziness")]
    ['abscess', 'rabies', 'embolus', 'headache', 'dizziness']
    """
    from lemminflect import getLemma  # its dictionaries load on first use (0.3 s), not at import

    w = word.casefold()
    if len(w) < 4 or not w.isalpha():
        return w
    found = getLemma(w, upos="NOUN")
    return found[0].casefold() if found else w


@lru_cache(maxsize=65536)
def name_key(name: object) -> str:
    """A name folded and each word lemmatised: the key under which two spellings of one name meet.

    >>> name_key("Headache"), name_key("headaches."), name_key("Muscle Aches")
    ('headache', 'headache', 'muscle ache')
    """
    folded = fold(name)
    return _WORD.sub(lambda m: "-".join(lemma(p) for p in m.group().split("-")), folded)


def split_sentences(text: str) -> list[str]:
    """A text cut into sentences at :data:`SENTENCE_BREAK` (each keeps its end mark).

    >>> split_sentences('He said "stop." Then it eased (mostly.) Done')
    ['He said "stop."', 'Then it eased (mostly.)', 'Done']
    """
    out, start = [], 0
    for m in SENTENCE_BREAK.finditer(text):
        end = m.end() - (len(m.group()) - len(m.group().rstrip()))
        out.append(text[start:end])
        start = m.end()
    if start < len(text):
        out.append(text[start:])
    return [s for s in out if s.strip()]


def sentence_at(text: str, pos: int) -> str:
    """The sentence of ``text`` that holds position ``pos``.

    >>> sentence_at("It works. It lasts five years. Ask us.", 15)
    'It lasts five years.'
    """
    start = 0
    for m in SENTENCE_BREAK.finditer(text):
        if m.end() > pos:
            return text[start:m.end()].rstrip()
        start = m.end()
    return text[start:].rstrip()
