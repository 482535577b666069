"""Durations and percentages written on a page, in digits or in words, with their sentence and line.

The label check compares them with the figures a label states (:mod:`explorer.audit.numbers`); here
they are only found. A number is only looked for just before a unit ("years", "%", ...), and units
are found by byte searches of the whole page: trying the number-word alternatives at every word of a
long paragraph, or a case-insensitive regular expression over a page, costs more than parsing the rest
of the page (measured: 300 us against 25 us a page on this project's synthetic pages).
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..text import sentence_at
from .records import NumberMention

_UNITS_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
                "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
                "nineteen": 19}
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
               "eighty": 80, "ninety": 90}
_WORD_NUM = (r"(?:(?:" + "|".join(_TENS_WORDS) + r")(?:[- ](?:" + "|".join(list(_UNITS_WORDS)[1:10])
             + r"))?|" + "|".join(sorted(_UNITS_WORDS, key=len, reverse=True)) + r"|(?:one |a )?hundred)")
_NUM = rf"(?:\d+(?:\.\d+)?|{_WORD_NUM})"
_RANGE = rf"(?P<low>{_NUM})(?:\s*(?:to|-|–|—|or|and)\s*(?P<high>{_NUM}))?"
_DURATION = re.compile(rf"\b{_RANGE}[\s-]*(?P<unit>years?|yrs?|months?|weeks?|days?)\b", re.I)
_PERCENT = re.compile(rf"\b{_RANGE}\s*(?P<unit>%|percent\b|per cent\b)", re.I)
#: Each pattern with the lower-case strings its unit starts with: every match has one right at its unit.
_PATTERNS = (("duration", _DURATION, (b"year", b"yr", b"month", b"week", b"day")),
             ("percentage", _PERCENT, (b"%", b"percent", b"per cent")))
#: The last word of every number written in words.
_NUMBER_WORDS = frozenset(_UNITS_WORDS) | frozenset(_TENS_WORDS) | {"hundred"}
#: How far before its unit a number may start ("seventy-five to ninety-nine" is 27 characters).
_REACH = 60
_UNIT_NAMES = {"y": "year", "m": "month", "w": "week", "d": "day", "%": "percent", "p": "percent"}
#: Longest sentence kept with a number (context for a reader, not data).
SENTENCE_CHARS = 300


def parse_number(text: str) -> float:
    """A number written in digits or words.

    >>> [parse_number(t) for t in ("16.3", "five", "Twenty-five", "eight", "one hundred")]
    [16.3, 5.0, 25.0, 8.0, 100.0]
    """
    t = text.strip().casefold()
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    if t.endswith("hundred"):
        return 100.0
    total = 0
    for p in re.split(r"[- ]", t):
        total += _TENS_WORDS.get(p, _UNITS_WORDS.get(p, 0))
    return float(total)


def _sentence_at(line: str, pos: int) -> str:
    return sentence_at(line, pos).strip()


def _word_end(text: str, i: int) -> int:
    """Where the word holding ``text[i]``, the last character of a unit cue, ends (``%`` ends at once)."""
    n = len(text)
    i += 1
    while i < n and (text[i].isalnum() or text[i] == "_"):
        i += 1
    return i


_NUMBER_WORD_BYTES = tuple(sorted(w.encode() for w in _NUMBER_WORDS))
_SKIPPED = frozenset(b" \t\r\x0b\x0c\x1c\x1d\x1e\x1f-")  # what ``[\s-]*`` may skip, in ASCII
_DIGITS = frozenset(b"0123456789")
_LETTERS = frozenset(b"abcdefghijklmnopqrstuvwxyz")


def _number_before(lower: bytes, at: int) -> bool:
    """Whether a number may end just before byte ``at`` of the lower-cased page (spaces and hyphens
    skipped): a digit, or a word ending in one of :data:`_NUMBER_WORDS` (a range's second number may
    be glued to its "to", "or" or "and": "fivetoseven weeks"). Most units stand after other words ("a
    few weeks"); this saves the pattern search there. Outside ASCII it answers True and the pattern
    decides.
    """
    i = at - 1
    while i >= 0 and lower[i] in _SKIPPED:
        i -= 1
    if i < 0:
        return False
    c = lower[i]
    if c in _DIGITS or c >= 0x80:
        return True
    end = i + 1
    while i >= 0 and lower[i] in _LETTERS:
        i -= 1
    if i >= 0 and lower[i] >= 0x80:
        return True
    return lower[i + 1:end].endswith(_NUMBER_WORD_BYTES)


def _find(texts: list[str]) -> list[tuple[int, int, str, re.Match]]:
    """``(line index, start, quantity, match)`` of every number in ``texts``, in page order.

    The same matches as ``pattern.finditer`` over each line finds (a number at most :data:`_REACH`
    characters before its unit), searched only in the window before each unit.
    """
    data = "\n".join(texts).encode("utf-8", "surrogatepass")
    lower = data.lower()  # ASCII case folding: every unit is ASCII
    found = []
    for quantity, pattern, cues in _PATTERNS:
        hits = []
        for cue in cues:
            at = lower.find(cue)
            while at >= 0:
                if _number_before(lower, at):
                    hits.append((at, len(cue)))
                at = lower.find(cue, at + len(cue))
        done = (-1, 0)  # (line, end of the last match in it): matches never overlap
        row, counted = 0, 0  # line of byte ``counted``
        for at, size in sorted(hits):
            row += data.count(b"\n", counted, at)
            counted = at
            line_start = data.rfind(b"\n", 0, at) + 1
            text = texts[row]
            offset = len(data[line_start:at].decode("utf-8", "surrogatepass"))
            start = max(0, offset - _REACH)
            if done[0] == row:
                if offset < done[1]:
                    continue
                start = max(start, done[1])
            m = pattern.search(text, start, _word_end(text, offset + size - 1))
            if m is not None:
                done = (row, m.end())
                found.append((row, m.start(), quantity, m))
    found.sort(key=lambda f: (f[0], f[1]))
    return found


def _mention(quantity: str, m: re.Match, text: str, line: int) -> NumberMention:
    low = parse_number(m.group("low"))
    high = parse_number(m.group("high")) if m.group("high") else low
    return NumberMention(quantity, m.group(0).strip(), low, max(low, high),
                         _UNIT_NAMES[m.group("unit").casefold()[0]],
                         _sentence_at(text, m.start())[:SENTENCE_CHARS], line)


def extract_numbers(text: str, line: int = 1) -> list[NumberMention]:
    """Durations and percentages in one line of text, in order (number words included).

    >>> [(m.low, m.high, m.unit) for m in extract_numbers("remove it after five to seven years; 16.3% had it")]
    [(5.0, 7.0, 'year'), (16.3, 16.3, 'percent')]
    >>> extract_numbers("one of the most common effects")
    []
    """
    return [_mention(q, m, text, line) for _, _, q, m in _find([text])]


def _source_line(start: int, text: str, raw_lines: list[str]) -> int:
    """The line of a number in the HTML source: a block may span lines, its line is where it starts."""
    first = re.split(r"[\s%-]", text, maxsplit=1)[0]
    pattern = re.compile(rf"(?<![\w.]){re.escape(first)}(?![\w])", re.I)
    for i in range(start - 1, min(len(raw_lines), start + 200)):
        if pattern.search(raw_lines[i]):
            return i + 1
    return start


_LINE_END = re.compile(r"\r\n|\r|\n")


def number_mentions(numbers: list[int], texts: list[str], raw: str | None = None) -> tuple[NumberMention, ...]:
    """Every duration and percentage on a page, given its lines (parallel line numbers and texts).

    ``raw`` is the page's HTML source, when the lines come from HTML: a mention then gets the line of
    the source it stands on, not the line where its block starts.
    """
    found = _find(texts)
    if not found:
        return ()
    # Lines end at "\r\n", "\r" or "\n" (as in explorer.pages.lines), so an old-Mac file counts too.
    raw_lines = _LINE_END.split(raw) if raw is not None else None
    out = []
    for row, _, quantity, m in found:
        mention = _mention(quantity, m, texts[row], numbers[row])
        if raw_lines is not None:
            mention = replace(mention, line=_source_line(numbers[row], mention.text, raw_lines))
        out.append(mention)
    return tuple(out)
