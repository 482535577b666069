"""Label text -> records: section text -> numbered passages; sentences. (Tables: :mod:`explorer.labels.tables`.)

- :func:`split_passages`: a section's text as openFDA gives it ("6 ADVERSE REACTIONS ... 6.1 Clinical
  Trials Experience Because ...") cut at its subsection numbers; the heuristics are described there.
- :func:`sentences`: a passage's sentences, which the label check quotes as evidence.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import islice

from explorer.labels.records import LabelTable, Passage

# ------------------------------------------------------------------------------------------- passages
#: Section headings as labels print them in capitals, longest first (so "WARNINGS AND PRECAUTIONS"
#: wins over "WARNINGS"); a heading in capitals that is not listed is read by the capitals rule.
_KNOWN_HEADINGS = tuple(sorted((
    "BOXED WARNING", "INDICATIONS AND USAGE", "INDICATIONS & USAGE", "INDICATIONS", "CONTRAINDICATIONS",
    "WARNINGS AND PRECAUTIONS", "WARNINGS", "PRECAUTIONS", "ADVERSE REACTIONS", "DRUG INTERACTIONS",
    "OVERDOSAGE"), key=len, reverse=True))
#: Small words a heading may hold in lower case ("Risk of Ectopic Pregnancy").
_CONNECTORS = frozenset({"a", "an", "and", "&", "at", "by", "during", "for", "from", "in", "of", "on", "or",
                         "the", "to", "with", "without", "vs", "vs."})
#: Words that make a following number a cross-reference ("see 5.4", "Sections 5.1 and 5.2").
_REFERENCE_WORDS = frozenset({"see", "section", "sections", "subsection", "and", "or", "to", "through",
                              "in", "under", "also"})
_MAX_HEADING_WORDS = 15
_MAX_STEP = 5  # the largest gap allowed between a subsection number and the one before it
_WORD = re.compile(r"\S+")
_LEADING_NUMBER = re.compile(r"\s*(\d{1,2})((?:\.\d{1,2}){0,3})(?=\s|$)")
_TABLE_NUMBER = re.compile(r"\bTable\s+(\d+[A-Za-z]?)\b", re.IGNORECASE)


def _kind(word: str) -> str:
    """'cap', 'low', 'conn' or 'other', from a word's first letter once leading brackets are set aside."""
    if word in _CONNECTORS:  # lower case only: "The following" starts a sentence
        return "conn"
    stripped = word.lstrip("([{\"'“‘")
    return "other" if not stripped[:1].isalpha() else "cap" if stripped[0].isupper() else "low"


def _heading_end(words: list[str], capitals: bool) -> int | None:
    """How many of ``words`` form the heading, or None when no heading can be told from the text.

    A heading is a run of capitalised words (``capitals``: words with no lower-case letter) and small
    connectors. The sentence after it starts at the first capitalised word followed by a lower-case
    word ("Experience | Because clinical trials"), by a connector and then a lower-case word ("Mirena
    and other IUDs"), or by a number and then a lower-case word ("About 6% of"). In title case, a word
    ending with ":" ends the heading and a word ending with "." is a sentence of its own.
    """
    kinds: list[str] = []  # filled as far as needed: most headings end within a few words

    def kind(i: int) -> str:
        while len(kinds) <= i and len(kinds) < len(words):
            kinds.append(_kind(words[len(kinds)]))
        return kinds[i] if i < len(kinds) else "end"

    def next_is_low(i: int) -> bool:
        after = kind(i + 1)
        return after == "low" or after == "conn" and kind(i + 2) == "low" or after == "other" and kind(
            i + 2) in {"low", "conn"}

    for i, word in enumerate(words):
        if i >= _MAX_HEADING_WORDS:
            return None
        if capitals:
            letters = [c for c in word if c.isalpha()]
            heading_word = (bool(letters) and not any(c.islower() for c in letters)
                            and (len(letters) > 1 or kind(i + 1) not in {"low", "end"}))
            if not heading_word and word != "&" or heading_word and next_is_low(i):
                return i
            continue
        current = kind(i)
        if current == "conn" or current == "other" and word.isdigit():  # "Risk of ...", "Type 2 Diabetes"
            if i == 0 or kind(i + 1) not in {"cap", "conn"}:
                return i
        elif current != "cap" or next_is_low(i):
            return i
        if word.endswith((".", ":")):  # "Itch." is a one-word sentence; "Hepatotoxicity:" ends a heading
            return i + word.endswith(":")
    return len(words) if len(words) <= _MAX_HEADING_WORDS else None


def _split_heading(text: str, start: int, capitals: bool) -> tuple[str | None, int]:
    """The heading that starts at ``start`` and where the passage's own text begins."""
    if capitals:
        for known in _KNOWN_HEADINGS:
            end = start + len(known)
            if text.startswith(known, start) and not text[end:end + 1].isalnum():
                return known, end + (text[end:end + 1] == ":")
    line_end = text.find("\n", start, start + 400)  # a heading never runs past its line
    matches = list(islice(_WORD.finditer(text, start, start + 400 if line_end < 0 else line_end),
                          _MAX_HEADING_WORDS + 3))
    count = _heading_end([m.group() for m in matches], capitals)
    if not count:
        return _split_heading(text, start, capitals=False) if capitals else (None, start)
    end = matches[count - 1].end()
    return text[start:end].rstrip(":.").strip() or None, end


@lru_cache(maxsize=64)
def _subsection_pattern(section_number: str) -> re.Pattern:
    return re.compile(rf"({re.escape(section_number)}(?:\.\d{{1,2}}){{1,3}})(?![\w%)\]]|[.,]\d)")


def _candidates(pattern: re.Pattern, text: str, section_number: str, start: int):
    """Matches of ``pattern`` standing alone (not inside a word or number), found from the places where
    "<section number>." occurs: a plain string search, so long sections are not scanned by the pattern."""
    needle = section_number + "."
    i = text.find(needle, start)
    while i >= 0:
        if i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "._"):
            match = pattern.match(text, i)
            if match is not None:
                yield match
        i = text.find(needle, i + 1)


def _subsection_starts(text: str, section_number: str, start: int) -> list[tuple[int, str, str, int]]:
    """Where subsections start, for numbers that continue the section's own numbering.

    Each start is (offset, number, heading, offset where its text begins).

    A candidate is the section's number with one to three more parts ("6.1", "6.2.1") standing alone:
    not inside a number, not followed by "%", a digit, ")" or "]", not after "(", "[", ",", "-" or a
    cross-reference word ("see", "Sections ... and"), followed by a heading (a capitalised word that does
    not start a sentence: "6.1 Patients should" is no heading). It must also come next in order after
    the last subsection taken: its first child (6.2 -> 6.2.1) or a later sibling at any level, at most
    five numbers on (6.2.1 -> 6.3, 6.2 -> 6.7: labels may drop a subsection without renumbering), so that
    a stray number cannot swallow the subsections after it.
    """
    pattern = _subsection_pattern(section_number)
    last: tuple[int, ...] = (int(section_number),)
    starts = []
    for match in _candidates(pattern, text, section_number, start):
        before = text[max(0, match.start() - 40):match.start()].rstrip()
        if before and (before[-1] in "([,-–/" or before.split()[-1].lower().strip("([") in _REFERENCE_WORDS):
            continue
        parts = tuple(int(p) for p in match.group(1).split("."))
        follows = parts == last + (1,) or any(
            parts == last[:k] + (last[k] + step,) for k in range(1, len(last)) for step in range(1, _MAX_STEP + 1))
        if not follows:
            continue
        heading, body = (_split_heading(text, match.end() + 1, capitals=False)
                         if text[match.end():match.end() + 1] == " " else (None, 0))
        if heading is None:
            continue
        starts.append((match.start(), match.group(1), heading, body))
        last = parts
    return starts


def _numbering(text: str) -> tuple[str | None, str | None, int, list[tuple[int, str, str, int]]]:
    """The section number, its heading, where its own text starts, and its subsections.

    A leading number counts only when a heading follows it ("6 ADVERSE REACTIONS") or it is itself a
    subsection ("6.1 Clinical Trials ..."); "2 mg tablets ..." or "2.5 mg ..." are text, not numbers.
    """
    leading = _LEADING_NUMBER.match(text)
    number = leading.group(1) if leading else None
    if number is None:
        return None, None, 0, []
    if leading.group(2):  # the text starts with a subsection: the section has no text of its own
        starts = _subsection_starts(text, number, 0)
        return (number, None, 0, starts) if starts and starts[0][0] == 0 else (None, None, 0, [])
    heading, own_end = _split_heading(text, leading.end() + 1, capitals=True)
    if heading is None:
        return None, None, 0, []
    return number, heading, own_end, _subsection_starts(text, number, own_end)


def split_passages(section: str, text: str, tables: Sequence[LabelTable] = ()) -> list[Passage]:
    """Cut a section's text into its own passage and one passage per numbered subsection.

    The text is read as openFDA gives it: an optional leading section number and heading in capitals
    ("6 ADVERSE REACTIONS"), the section's own text, then subsections inline ("6.1 Clinical Trials
    Experience Because ..."). Subsections are cut only at numbers that continue the section's own
    number and come in order (see :func:`_subsection_starts`); "in 5.3% of patients", "(see 5.4)" or
    "6.1 mg" are not subsections. A heading runs up to the word where a sentence starts (a capitalised
    word followed by a lower-case one). Text with no leading number (older labels, boxed warnings) is one
    passage, headed by its leading capitals ("WARNINGS") when it has them. The section's own passage is
    left out when it holds no text but subsections follow.

    Each table goes to the first passage whose text mentions its caption's table number ("Table 1"),
    otherwise to the last passage.

    Parameters
    ----------
    section, text, tables : str, str, sequence of LabelTable
        The section key (``records.SECTION_KEYS``), its text (spaces are collapsed; line breaks are kept,
        one per line, blank lines dropped: a line is a boundary :func:`sentences` keeps), its tables.

    Returns
    -------
    list of Passage
        In label order, ``position`` counting from 0; empty when there is neither text nor a table.

    Examples
    --------
    >>> passages = split_passages("adverse_reactions", "6 ADVERSE REACTIONS Rash in 5.3% of patients. "
    ...                           "6.1 Clinical Trials Experience Because trials differ, rates vary.")
    >>> [(p.number, p.heading) for p in passages]
    [('6', 'ADVERSE REACTIONS'), ('6.1', 'Clinical Trials Experience')]
    >>> passages[1].text
    'Because trials differ, rates vary.'
    """
    text = tidy(text)
    pieces: list[tuple[str | None, str | None, str]] = []  # number, heading, text
    number, own_heading, own_end, starts = _numbering(text)
    if number is None and text:
        heading, body = _split_heading(text, 0, capitals=True)
        capitals = heading is not None and heading == heading.upper()
        pieces.append((None, heading, text[body:].strip()) if capitals else (None, None, text))
    elif number is not None:
        own_text = text[own_end:starts[0][0] if starts else len(text)].strip()
        if own_text or not starts:
            pieces.append((number, own_heading, own_text))
        for i, (_, sub_number, heading, body) in enumerate(starts):
            end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
            pieces.append((sub_number, heading, text[body:end].strip()))
    pieces = pieces or [(None, None, "")] * bool(tables)
    attached: list[list[LabelTable]] = [[] for _ in pieces]
    for table in tables:
        number = _TABLE_NUMBER.search(table.caption or "")
        mention = re.compile(rf"\bTable\s+{re.escape(number.group(1))}\b", re.IGNORECASE) if number else None
        index = next((i for i, piece in enumerate(pieces)  # the plain search first: a regex is slower
                      if mention and number.group(1) in piece[2] and mention.search(piece[2])), len(pieces) - 1)
        attached[index].append(table)
    return [Passage(section, number, heading, body, position, tuple(attached[position]))
            for position, (number, heading, body) in enumerate(pieces)]


def tidy(text: str | None) -> str:
    r"""Spaces collapsed within each line, blank lines dropped, line breaks kept.

    >>> tidy("  6 ADVERSE REACTIONS\n\n\n *  Rash   (5.1)  \n")
    '6 ADVERSE REACTIONS\n* Rash (5.1)'
    """
    lines = (" ".join(line.split()) for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)


# ------------------------------------------------------------------------------------------ sentences
#: Words that end with a period without ending a sentence ("e.g. Nausea", "vs. Placebo", "approx. 5").
_ABBREVIATIONS = frozenset({
    "e.g", "i.e", "approx", "vs", "cf", "dr", "fig", "figs", "no", "nos", "incl", "al", "ca", "mr", "mrs", "ms",
    "st", "u.s", "inc", "ltd", "co", "jr", "sr", "min", "max", "ref", "refs", "vol", "pp", "resp", "viz"})
#: A sentence end: ".", "!" or "?" (with closing quotes or brackets) before a space, or a bullet.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9•])|\s*[•▪◦●]\s*")


def sentences(text: str) -> list[str]:
    r"""Split a passage into sentences (and bullet items and lines), each with whitespace collapsed.

    A line break ends a sentence (labels lay out lists and text tables one item or row a line), as does
    a bullet ("•", or "*" or "-" starting a line). Within a line, a sentence ends at ".", "!" or "?"
    followed by a space and a capital letter or digit, except after an abbreviation ("e.g.", "approx.",
    "vs."), an initial ("J. Smith") or inside a decimal ("5.3%"); section references such as "(5.4)" never
    end one.

    Examples
    --------
    >>> sentences("Rash (e.g. hives) occurred in 5.3% vs. 1.2% [see (5.4)]. No deaths. • Nausea")
    ['Rash (e.g. hives) occurred in 5.3% vs. 1.2% [see (5.4)].', 'No deaths.', 'Nausea']
    >>> sentences("Rare: thrombocytopenia\n *  Placebo-controlled trials\nDizziness    0.6")
    ['Rare: thrombocytopenia', 'Placebo-controlled trials', 'Dizziness 0.6']
    """
    out = []
    for line in (text or "").splitlines():
        line = _LINE_BULLET.sub("", " ".join(line.split()))
        if line:
            out.extend(_line_sentences(line))
    return out


#: A bullet that starts a line: "*", "-", "–" or "o" followed by a space.
_LINE_BULLET = re.compile(r"^(?:[*\-–o]\s+)+")


def _line_sentences(text: str) -> list[str]:
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        piece = text[start:match.start()].rstrip()
        if not any(c in match.group() for c in "•▪◦●"):
            word = piece.rsplit(" ", 1)[-1].lstrip("([\"'“‘").rstrip(".").lower()
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            piece = text[start:match.start() + len(match.group().rstrip())]
        if piece.strip():
            out.append(piece.strip())
        start = match.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out
