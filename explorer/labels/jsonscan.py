"""An openFDA document cut into its records as bytes: nesting and size bounded, linear time, flat memory.

ijson, which read these documents before, cost quadratic time and memory on hostile input: its items
builder makes a prefix string per event whose length grows with the nesting (40 KB nested 20,000 deep
took 1.1 GB, 200 KB nested 100,000 deep 22 GB), and yajl lexes a token that spans its read buffer again
from the token's start at every read (one 32 MB string: 3.2 s; 128 MB: 38 s). Here the document is read
a block at a time and its structure found with numpy, never with a Python step per byte or per token
inside a record:

1. the bytes that matter (``"``, ``[``, ``]``, ``{``, ``}``, ``,``) are found in one pass
   (``bytes.translate`` and ``numpy.flatnonzero``);
2. a quote preceded by an odd run of backslashes is escaped; the others open and close strings in turn,
   and brackets and commas inside strings are set aside;
3. the depth after each bracket is a cumulative sum.

Only the document's outline (the top object, its keys, the ``results`` list and the commas between its
records) is walked in Python: a few steps per record. Each record of ``results`` is handed on as its
bytes (``json.loads`` makes it, in a worker process when there are some), or as a :class:`Refused` when
it is nested deeper than :data:`MAX_DEPTH`, holds a string longer than :data:`MAX_FIELD_BYTES` or is
longer than :data:`MAX_RECORD_BYTES`; a refused record is skipped without being held in memory, and the
records after it are read.
"""
from __future__ import annotations

import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

#: Bytes read at a time: memory stays flat (a block, its structure, and the record being read).
BLOCK = 256 << 10
#: Nesting allowed inside one record. A real openFDA label is 3 deep (the label, its openfda object,
#: a list of names); 32 leaves room for any other shape while keeping hostile nesting away from the parser.
MAX_DEPTH = 32
#: The longest string (a section's text, a table's markup) a record may hold: the longest section of the
#: 357 real labels in ../shared/labels/openfda is 0.16 MB.
MAX_FIELD_BYTES = 16 << 20
#: The largest record: the largest of those real labels is 1.0 MB.
MAX_RECORD_BYTES = 64 << 20

_EXPECTED = 'an openFDA drug-label document: a JSON object with a "results" list of labels'
_INTERESTING = bytes(1 if c in b'"[]{},' else 0 for c in range(256))
_QUOTE, _BACKSLASH, _COMMA = 34, 92, 44
_OPENERS, _CLOSERS = (91, 123), (93, 125)
_SPACE = b" \t\r\n"
_NOT_SPACE = re.compile(rb"[^ \t\r\n]")
#: How far back the vectorised escape check looks before counting a run of backslashes exactly.
_SHORT_RUN = 8
#: What reading a stream can raise: a broken zip member, a failing disk.
_STREAM_ERRORS = (OSError, EOFError, zlib.error, zipfile.BadZipFile)


class DocumentError(ValueError):
    """The document's outline cannot be read: ``record`` is where reading stopped inside ``results``
    (None outside it), ``expected`` what was expected."""

    def __init__(self, record: int | None, expected: str):
        super().__init__(expected)
        self.record, self.expected = record, expected


@dataclass(frozen=True)
class Refused:
    """A record not handed on, and why."""

    reason: str


def records(stream: BinaryIO) -> Iterator[bytes | Refused]:
    """The records of an openFDA document's ``results`` list, in order, as their bytes (or :class:`Refused`).

    Raises
    ------
    DocumentError
        When the document is not an object with a ``results`` list, or ends, or goes on, where a JSON
        document cannot, or cannot be read any further (a broken zip member, a failing disk); the
        records before that point have been yielded.
    """
    return _Outline(stream).records()


def value_type(first: int | None) -> str:
    """The JSON type of a value from its first byte, as a message says it ("an object")."""
    if first is None:
        return "nothing"
    return {ord("{"): "an object", ord("["): "a list", ord('"'): "a string", ord("t"): "a boolean",
            ord("f"): "a boolean", ord("n"): "null"}.get(first, "a number" if chr(first) in "-0123456789"
                                                               else "something that is not JSON")


class _Structure:
    """The structure of a document, block by block: which quotes are real, the strings, the depth.

    :meth:`scan` returns, for one block, the tokens the outline needs (their position in the document,
    their byte, the depth after them, and for quotes whether they open a string) and where a record's
    limits are broken (a bracket nested too deep; the end of a string too long, or the block's end
    while one is open and already too long).
    """

    def __init__(self) -> None:
        self.offset = 0  # where the next block starts in the document
        self.depth = 0
        self.in_string = False
        self.string_start = 0  # the opening quote of the string still open
        self.backslashes = 0  # the run of backslashes that ends the previous block

    def scan(self, block: bytes):
        base = self.offset
        a = np.frombuffer(block, np.uint8)
        pos = np.flatnonzero(np.frombuffer(block.translate(_INTERESTING), np.bool_))
        ch = a[pos]
        quotes = np.flatnonzero(ch == _QUOTE)
        if len(quotes):
            escaped = self._escaped(a, pos[quotes])
            if escaped.any():
                keep = np.ones(len(pos), np.bool_)
                keep[quotes[escaped]] = False
                pos, ch = pos[keep], ch[keep]
        run = len(block) - len(block.rstrip(b"\\")) if block[-1:] == b"\\" else 0
        self.backslashes = run + (self.backslashes if run == len(block) else 0)

        is_quote = ch == _QUOTE
        quotes_so_far = np.cumsum(is_quote)  # real quotes up to and including each token
        carried = int(self.in_string)
        inside = ((quotes_so_far + carried) & 1).astype(np.bool_) & ~is_quote
        structural = ~is_quote & ~inside
        delta = np.zeros(len(ch), np.int64)
        delta[structural & ((ch == _OPENERS[0]) | (ch == _OPENERS[1]))] = 1
        delta[structural & ((ch == _CLOSERS[0]) | (ch == _CLOSERS[1]))] = -1
        depth = self.depth + np.cumsum(delta)  # after each token (a quote: where it stands)
        # the k-th real quote of the block (from 0) opens a string when k, plus 1 if one was open, is even
        opening = is_quote & (((quotes_so_far - 1 + carried) & 1) == 0)

        bounds = pos[is_quote] + base
        if self.in_string:
            bounds = np.concatenate(([self.string_start], bounds))
        pairs = len(bounds) // 2
        opens, closes = bounds[0:2 * pairs:2], bounds[1:2 * pairs:2]
        long_strings = closes[closes - opens - 1 > MAX_FIELD_BYTES]
        self.in_string = bool(len(bounds) % 2)
        if self.in_string:
            self.string_start = int(bounds[-1])
            if base + len(block) - self.string_start - 1 > MAX_FIELD_BYTES:
                long_strings = np.append(long_strings, base + len(block) - 1)
        too_deep = pos[structural & (depth > MAX_DEPTH + 2)] + base  # a record stands at depth 3

        before = depth - delta
        outline = (structural & ((np.minimum(before, depth) <= 1) | ((ch == _COMMA) & (depth == 2)))) | (
            is_quote & (depth <= 1))
        if len(depth):
            self.depth = int(depth[-1])
        self.offset = base + len(block)
        return pos[outline] + base, ch[outline], depth[outline], opening[outline], too_deep, long_strings

    def _escaped(self, a: np.ndarray, quotes: np.ndarray) -> np.ndarray:
        """Which of the quotes (positions in the block) an odd run of backslashes before them escapes."""
        run = np.zeros(len(quotes), np.int64)
        going = np.arange(len(quotes))  # quotes whose run of backslashes may go on further back
        for step in range(1, _SHORT_RUN + 1):
            at = quotes[going] - step
            within = at >= 0
            backslash = np.zeros(len(going), np.bool_)
            backslash[within] = a[at[within]] == _BACKSLASH
            run[going[backslash]] += 1
            run[going[~within]] += self.backslashes  # the run reaches the block's start and goes on before it
            going = going[backslash]
            if not len(going):
                return (run & 1).astype(np.bool_)
        # runs longer than that: counted exactly from where every run of backslashes of the block starts
        slashes = np.flatnonzero(a == _BACKSLASH)
        starts = np.ones(len(slashes), np.bool_)
        starts[1:] = slashes[1:] != slashes[:-1] + 1
        run_start = slashes[np.maximum.accumulate(np.where(starts, np.arange(len(slashes)), 0))]
        q = quotes[going]
        first = run_start[np.searchsorted(slashes, q) - 1]
        run[going] = q - first + np.where(first == 0, self.backslashes, 0)
        return (run & 1).astype(np.bool_)


class _Outline:
    """Walks the outline of the document: the top object, its keys, ``results`` and the records in it."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.structure = _Structure()
        self.block, self.base = b"", 0  # the block being walked and where it starts
        self.started = self.ended = False
        self.expect_key = False  # after the top object's "{" or a comma in it
        self.key_start: int | None = None  # the opening quote of the key being read
        self.key_head = b""  # the start of that key, when it began in an earlier block
        self.results_key_end: int | None = None  # the closing quote of the key "results", until its value
        self.seen_results = self.in_results = False
        self.record = 0  # the position in results of the record being read
        self.record_start = 0  # where it starts (after "[" or ",")
        self.commas = 0  # commas read in the results list
        self.parts: list[bytes] = []  # its bytes read so far (none once refused)
        self.size = 0
        self.refused: Refused | None = None
        self.too_deep = self.long_strings = np.empty(0, np.int64)

    def records(self) -> Iterator[bytes | Refused]:
        while True:
            block = self._read()
            if not block:
                break
            self.block, self.base = block, self.structure.offset
            if self.ended:
                self._nothing_after(0)
                self.structure.offset += len(block)
                continue
            if not self.started:
                self._start(block)
            pos, ch, depth, opening, self.too_deep, self.long_strings = self.structure.scan(block)
            for p, c, d, o in zip(pos.tolist(), ch.tolist(), depth.tolist(), opening.tolist()):
                if c == _QUOTE:
                    self._quote(p, o)
                elif self.results_key_end is not None:
                    self._results_value(p, c)
                elif self.in_results and (c == _COMMA and d == 2 or c in _CLOSERS and d == 1):
                    record = self._end_record(p, last=c != _COMMA)
                    if record is not None:
                        yield record
                elif d == 1 and (c == _COMMA or c in _OPENERS):
                    self.expect_key = True
                elif d == 0 and c in _CLOSERS:
                    self.ended = True
                    self._nothing_after(p - self.base + 1)
            if self.in_results:
                self._keep(self.base + len(block))
            if self.key_start is not None and len(self.key_head) < 64:
                self.key_head += block[max(self.key_start + 1 - self.base, 0):][:64]
        if not self.started:
            raise DocumentError(None, "a complete JSON document; the file is empty")
        if self.in_results:
            pending = b"".join(self.parts).strip(_SPACE)
            if pending and _is_json(pending):  # whole, though the file ends before anything follows it
                yield pending
                self.record += 1
            raise DocumentError(self.record, "a complete JSON document; reading stopped at this record "
                                             "(the file ends inside it)")
        if not self.ended:
            raise DocumentError(None, "a complete JSON document; the file ends before the document does")
        if not self.seen_results:
            raise DocumentError(None, f'{_EXPECTED}; the object has no "results"')

    def _read(self) -> bytes:
        try:
            block = self.stream.read(BLOCK)
            while block and len(block) < BLOCK:  # a stream may give less than asked before its end
                more = self.stream.read(BLOCK - len(block))
                if not more:
                    break
                block += more
        except _STREAM_ERRORS as error:
            raise DocumentError(self.record if self.in_results else None, "a readable file; reading "
                                f"stopped here ({type(error).__name__}: {error})") from None
        return block

    def _start(self, block: bytes) -> None:
        """The first byte that is not white space must open the top object."""
        m = _NOT_SPACE.search(block)
        if m is not None:
            if block[m.start()] != ord("{"):
                raise DocumentError(None, f"{_EXPECTED}; found {value_type(block[m.start()])} at the top")
            self.started = True

    def _nothing_after(self, at: int) -> None:
        """Nothing but white space may follow the top object."""
        if self.block[at:].strip(_SPACE):
            raise DocumentError(None, "a complete JSON document; found more after its end")

    def _quote(self, p: int, opening: bool) -> None:
        """A quote at the top object's level: a key's (the others are values, not looked at)."""
        if opening:
            if self.results_key_end is not None:
                self._results_value(p, _QUOTE)
            elif self.expect_key:
                self.key_start, self.key_head, self.expect_key = p, b"", False
            return
        if self.key_start is None:
            return
        start, self.key_start = self.key_start + 1, None
        key = (self.key_head + self.block[:p - self.base]) if start < self.base else \
            self.block[start - self.base:p - self.base]
        if key == b"results":
            self.results_key_end = p

    def _results_value(self, p: int, c: int) -> None:
        """The first token after the key "results" (and its colon) opens its value: a list."""
        gap = self.block[max(self.results_key_end + 1 - self.base, 0):p - self.base].strip(_SPACE + b":")
        self.results_key_end = None
        if c == ord("[") and not gap:
            self.seen_results = self.in_results = True
            self.record_start, self.commas = p + 1, 0
            return
        first = gap[0] if gap else None if c == _COMMA or c in _CLOSERS else c
        raise DocumentError(None, f'{_EXPECTED}; "results" is {value_type(first)}')

    def _keep(self, end: int) -> None:
        """Keep the record's bytes from where it starts (or the block's start) up to ``end``, unless it
        breaks a limit there: then it is refused and what was kept of it let go."""
        start = max(self.record_start, self.base)
        if self.refused is not None or end <= start:
            return
        if _within(self.too_deep, start, end):
            self.refused = Refused(f"a label nested at most {MAX_DEPTH} levels deep (real labels are 3); "
                                   "this record is nested deeper (refused, not parsed)")
        elif _within(self.long_strings, start, end):
            self.refused = Refused(f"text fields of at most {MAX_FIELD_BYTES:,} bytes (the longest real section "
                                   "is about 0.2 MB); this record holds a longer one (refused, not parsed)")
        elif self.size + end - start > MAX_RECORD_BYTES:
            self.refused = Refused(f"a label record of at most {MAX_RECORD_BYTES:,} bytes (the largest real "
                                   "label is about 1 MB); this one is larger (refused, not parsed)")
        if self.refused is not None:
            self.parts, self.size = [], 0
        else:
            self.parts.append(self.block[start - self.base:end - self.base])
            self.size += end - start

    def _end_record(self, p: int, last: bool) -> bytes | Refused | None:
        """The record that a comma or the list's end closes at ``p``; None for the nothing in "[]"."""
        self._keep(p)
        outcome: bytes | Refused | None = self.refused or b"".join(self.parts).strip(_SPACE)
        if last:
            self.in_results = False
            if outcome == b"" and not self.commas:
                outcome = None
        self.record_start, self.parts, self.size, self.refused = p + 1, [], 0, None
        self.commas += not last
        if outcome is not None:
            self.record += 1
        return outcome


def _within(positions: np.ndarray, start: int, end: int) -> bool:
    """Whether any of the sorted ``positions`` lies in [start, end)."""
    if not len(positions):
        return False
    i = int(np.searchsorted(positions, start))
    return i < len(positions) and positions[i] < end


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except (ValueError, RecursionError):
        return False
    return True
