"""Evidence as a reader wants it: one sentence, or one table row with its table, caption and headers.

A match in a label is shown as an :class:`Excerpt`, never as a flattened table or a whole paragraph:

- :func:`sentence_excerpt`: the one sentence of a passage that holds the matched words; a "sentence"
  longer than :data:`MAX_CHARS` (a table flattened into a section's text, a long list) is cut to the
  words around the match, with "…" where it was cut;
- :func:`row_excerpt`: one table row, with the table's number and caption and, for each value, the
  header cells of its column (which arm, which dose) and the arm's kind (the drug's, pooled, placebo or
  comparator; :func:`explorer.audit.incidence.read_table`);
- :func:`found_excerpt`: the row the drug's incidence comes from (:class:`explorer.audit.incidence.Found`).

Each excerpt carries the character spans of the matched words in its ``text`` (``marks``), so a view
can mark them. Words are matched as :mod:`explorer.audit.incidence` matches terms: through a ``fold``
function (text -> folded meaningful words; the label check's by default), in order or, for a label's
word order ("Vision blurred"), as the same words side by side.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..labels.text import sentences
from .arms import read_table
from .incidence import Fold, Found, default_fold

#: The longest sentence shown whole; a longer one is cut around the match.
MAX_CHARS = 320
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@dataclass(frozen=True)
class Cell:
    """One value of a table row, with the header cells of its column."""

    value: str
    headers: tuple[str, ...]  # top down: arm, N, unit ("Quellorin", "N=150", "All Grades (%)")
    kind: str  # "drug", "pooled", "placebo", "comparator" (see explorer.audit.incidence)
    dose: str | None = None

    @property
    def header(self) -> str:
        return ", ".join(self.headers)


@dataclass(frozen=True)
class Excerpt:
    """What a reader is shown of one match: a sentence, or a table row with where it stands."""

    kind: str  # "sentence" or "table row"
    text: str  # the sentence (or the part of it around the match), or the row as "Term — header: value; ..."
    marks: tuple[tuple[int, int], ...]  # character spans of the matched words in ``text``
    section: str | None = None  # the label section's key ("adverse_reactions")
    where: str | None = None  # the passage's number and heading ("6.1 Clinical Trials Experience")
    table: str | None = None  # "Table 2"
    caption: str | None = None
    term: str | None = None  # a row's first cell, as written
    cells: tuple[Cell, ...] = ()
    cut: bool = False  # the sentence was longer than MAX_CHARS and is shown around the match

    def marked(self, before: str = "[", after: str = "]") -> str:
        """``text`` with each mark wrapped (for plain-text views): "the [vision blurred] row"."""
        out, last = [], 0
        for start, end in self.marks:
            out += [self.text[last:start], before, self.text[start:end], after]
            last = end
        return "".join(out) + self.text[last:]


def marks(text: str, words: Sequence[str], fold: Fold | None = None) -> tuple[tuple[int, int], ...]:
    """Character spans in ``text`` where the folded ``words`` stand: in order, filler words allowed
    between them, or side by side in another order; from the first word's start to the last's end.

    >>> text = "Vision blurred and headache were reported."
    >>> [text[a:b] for a, b in marks(text, default_fold("blurred vision"))]
    ['Vision blurred']
    >>> other = "Perforation of the uterus is rare."
    >>> [other[a:b] for a, b in marks(other, default_fold("perforation of the uterus"))]
    ['Perforation of the uterus']
    """
    fold = fold or default_fold
    words = tuple(w for w in words if w)
    if not words:
        return ()
    tokens = []  # (start, end, folded word) of each meaningful token
    for m in _TOKEN.finditer(text):
        folded = tuple(fold(m.group()))
        for w in folded[:1]:  # a token folds to one word, or none (a filler word)
            tokens.append((m.start(), m.end(), w))
    n, want, out, k = len(words), sorted(words), [], 0
    while k + n <= len(tokens):
        window = [w for _, _, w in tokens[k:k + n]]
        if tuple(window) == words or sorted(window) == want:
            out.append((tokens[k][0], tokens[k + n - 1][1]))
            k += n
        else:
            k += 1
    return tuple(out)


def sentence_excerpt(text: str, words: Sequence[str], fold: Fold | None = None, *, section: str | None = None,
                     where: str | None = None, limit: int = MAX_CHARS) -> Excerpt:
    """The sentence of ``text`` (a sentence or a whole passage) that holds the matched ``words``.

    The first sentence with a match is shown (the first sentence when none has one); one longer than
    ``limit`` characters is cut to about ``limit`` characters around its first match.
    """
    parts = sentences(text) or [" ".join(str(text or "").split())]
    chosen, found = parts[0], marks(parts[0], words, fold)
    for part in parts:
        found = marks(part, words, fold)
        if found:
            chosen = part
            break
    cut = False
    if len(chosen) > limit:
        chosen, cut = _around(chosen, found[0] if found else (0, 0), limit), True
        found = marks(chosen, words, fold)
    return Excerpt("sentence", chosen, found, section, where, cut=cut)


def _around(text: str, span: tuple[int, int], limit: int) -> str:
    """About ``limit`` characters of ``text`` around ``span``, cut at spaces, "…" marking each cut."""
    start, end = span
    room = max(limit - (end - start), 0)
    left = max(0, start - room // 2)
    right = min(len(text), end + (room - (start - left)))
    left = max(0, min(left, right - limit))
    if left > 0:
        space = text.find(" ", left)
        left = space + 1 if 0 <= space < start else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space > end else right
    return ("… " if left > 0 else "") + text[left:right].strip() + (" …" if right < len(text) else "")


def _row_text(term: str, cells: Iterable[Cell]) -> str:
    return term + " — " + "; ".join(f"{c.header}: {c.value}" if c.header else c.value for c in cells)


def row_excerpt(header: Sequence[Sequence[str]], body: Sequence[Sequence[str]], row: int, words: Sequence[str],
                fold: Fold | None = None, *, caption: str | None = None, drug_names: Iterable[str] = (),
                other_names: Iterable[str] = (), section: str | None = None, where: str | None = None) -> Excerpt:
    """One row of a table (``body[row]``) as a reader sees it: the term, and each value with the header
    cells of its column and its arm's kind; the table's number and caption (a title written as the
    table's first rows counts as its caption).

    ``header`` and ``body`` are the table's rows as the label store holds them (header rows, then body
    rows, which may begin with header rows of their own); ``drug_names`` are the label's names.
    """
    read = read_table(caption, header, body, drug_names, other_names=other_names)
    cells_in = list(body[row])
    term = " ".join(str(cells_in[0]).split()) if cells_in else ""
    cells = tuple(Cell(" ".join(str(cells_in[c]).split()), read.columns[c].headers, read.columns[c].kind,
                       read.columns[c].dose)
                  for c in sorted(read.columns) if c < len(cells_in) and str(cells_in[c]).strip())
    text = _row_text(term, cells)
    return Excerpt("table row", text, marks(term, words, fold), section, where, read.number, read.caption, term,
                   cells)


def found_excerpt(found: Found, words: Sequence[str], fold: Fold | None = None) -> Excerpt:
    """The table row the drug's incidence comes from (every value of that row the frequency table holds,
    placebo and comparator arms included, each with its kind)."""
    r = found.row
    where = " ".join(x for x in (r.get("number"), r.get("heading")) if x) or None
    return Excerpt("table row", _row_text(r["term"], found_cells(found)), marks(r["term"], words, fold),
                   r.get("section"), where, r.get("table_number"), r.get("caption"), r["term"],
                   found_cells(found))


def found_cells(found: Found) -> tuple[Cell, ...]:
    """The values of the row ``found`` comes from, in column order, from its frequency table."""
    freq = found.table
    r = found.row
    same = freq[(freq["key"] == r["key"]).to_numpy() & (freq["section"] == r["section"]).to_numpy()
                & (freq["position"] == r["position"]).to_numpy() & (freq["table"] == r["table"]).to_numpy()
                & (freq["row"] == r["row"]).to_numpy()].sort_values("column")
    return tuple(Cell(v, tuple(h.split(" | ")) if h else (), k, d if isinstance(d, str) else None)
                 for v, h, k, d in zip(same["value"], same["headers"], same["arm_kind"], same["dose"]))
