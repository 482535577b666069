"""Article records -> long, tidy columns and typed DataFrames, with provenance on every row.

Tables (each documented by its schema in :mod:`explorer.corpus.schemas`):

- ``articles``      one row per page
- ``sections``      one row per heading of a page
- ``side_effects``  one row per page x side-effect item
- ``advice``        one row per page x managing / reducing-risk item
- ``related``       one row per page x related "<Drug> for <Condition>" link
- ``numbers``       one row per page x duration or percentage written in its text
- ``sentences``     one row per page x prose sentence, as a hash of its masked text (stored by the
                    ingest, read by :func:`explorer.corpus.sentences.read_sentences`, not by ``load``)

Every row carries ``source_file``, ``sha256`` and ``line`` (1-based line of the source). This module
imports no schema library: the ingest's workers use it to build their columns.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from ..pages.records import Article
from ..vocabulary import ADVICE_KINDS, SECTION_KINDS, SEVERITY_LEVELS

SEVERITY_DTYPE = pd.CategoricalDtype(list(SEVERITY_LEVELS), ordered=True)
SECTION_KIND_DTYPE = pd.CategoricalDtype(list(SECTION_KINDS), ordered=False)
ADVICE_KIND_DTYPE = pd.CategoricalDtype(list(ADVICE_KINDS), ordered=False)

PROVENANCE = ("source_file", "sha256", "line")
LIST_SEPARATOR = "; "

#: Column order of each stored table; the schemas in :mod:`explorer.corpus.schemas` give types
#: and meaning.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": PROVENANCE + ("drug", "condition", "title", "active_ingredients", "drug_classes",
                              "encoding", "format", "truncated", "synthetic", "n_sections",
                              "n_side_effects", "n_advice", "n_related", "extractor", "drug_from",
                              "condition_from", "site"),
    "sections": PROVENANCE + ("drug", "condition", "position", "heading", "kind", "label"),
    "side_effects": PROVENANCE + ("drug", "condition", "tier", "severity", "name", "description", "from_prose"),
    "advice": PROVENANCE + ("drug", "condition", "kind", "name", "description"),
    "related": PROVENANCE + ("drug", "condition", "related_drug", "related_condition"),
    "numbers": PROVENANCE + ("drug", "condition", "quantity", "text", "low", "high", "unit", "sentence"),
    "sentences": PROVENANCE + ("hash", "n_chars"),
}
#: Every table a corpus folder stores.
STORED_TABLES = tuple(TABLE_COLUMNS)
#: The tables a loaded :class:`~explorer.corpus.dataset.Corpus` holds: all but ``sentences`` (millions of
#: hashes that only the boilerplate analysis reads, with :func:`explorer.corpus.sentences.read_sentences`).
PAGE_TABLES = tuple(n for n in STORED_TABLES if n != "sentences")
#: Columns stored as categoricals (values repeat); the rest are strings, numbers or booleans.
CATEGORICAL = frozenset({"source_file", "sha256", "drug", "condition", "tier", "encoding", "format",
                         "related_drug", "related_condition", "severity", "kind", "quantity", "unit",
                         "name", "description",  # side-effect and advice texts repeat across pages
                         "extractor", "drug_from", "condition_from", "site"})
INTEGER = frozenset({"line", "position", "n_sections", "n_side_effects", "n_advice", "n_related", "hash",
                     "n_chars"})
FLOAT = frozenset({"low", "high"})
BOOLEAN = frozenset({"truncated", "synthetic", "has_page", "from_prose"})
#: Text columns that may be missing (the others are written as empty strings when empty).
NULLABLE_TEXT = frozenset({"description", "label", "severity"})


PAGE_FIELDS = ("source_file", "sha256", "drug", "condition")  # the same on every row of one page


class PageColumns:
    """Accumulates the tables of many articles as column lists (much cheaper than row tuples).

    Fields that are the same on every row of a page (PAGE_FIELDS) are kept once per page, with a page
    index per row; :meth:`to_arrow` expands them as dictionary arrays, without a Python loop.
    """

    def __init__(self) -> None:
        self.pages: dict[str, list] = {f: [] for f in PAGE_FIELDS}
        self.columns: dict[str, dict[str, list]] = {
            name: {c: [] for c in ("page",) + TABLE_COLUMNS[name] if c not in PAGE_FIELDS}
            for name in STORED_TABLES}

    def __len__(self) -> int:
        return len(self.pages["source_file"])

    def add(self, a: Article) -> None:
        """Append one article's rows to every table."""
        p = len(self)
        pages = self.pages
        pages["source_file"].append(a.source.path)
        pages["sha256"].append(a.source.sha256)
        pages["drug"].append(a.drug)
        pages["condition"].append(a.condition)
        art = self.columns["articles"]
        for col, value in (("page", p), ("line", a.title_line), ("title", a.title),
                           ("active_ingredients", LIST_SEPARATOR.join(a.active_ingredients)),
                           ("drug_classes", LIST_SEPARATOR.join(a.drug_classes)),
                           ("encoding", a.source.encoding), ("format", a.source.format),
                           ("truncated", a.truncated), ("synthetic", a.synthetic),
                           ("n_sections", len(a.sections)), ("n_side_effects", len(a.side_effects)),
                           ("n_advice", len(a.advice)), ("n_related", len(a.related)),
                           ("extractor", a.extractor), ("drug_from", a.drug_from),
                           ("condition_from", a.condition_from), ("site", a.source.site)):
            art[col].append(value)
        self._extend("sections", p, a.sections, lambda s: (s.line, s.heading, s.kind, s.label),
                     ("line", "heading", "kind", "label"), positions=True)
        self._extend("side_effects", p, a.side_effects,
                     lambda s: (s.line, s.tier, s.severity, s.name, s.description, s.from_prose),
                     ("line", "tier", "severity", "name", "description", "from_prose"))
        self._extend("advice", p, a.advice, lambda x: (x.line, x.kind, x.name, x.description),
                     ("line", "kind", "name", "description"))
        self._extend("related", p, a.related, lambda r: (r.line, r.drug, r.condition),
                     ("line", "related_drug", "related_condition"))
        self._extend("numbers", p, a.numbers,
                     lambda n: (n.line, n.quantity, n.text, n.low, n.high, n.unit, n.sentence),
                     ("line", "quantity", "text", "low", "high", "unit", "sentence"))
        if a.sentences:  # (line, hash, n_chars) tuples already: no per-row function
            cols = self.columns["sentences"]
            cols["page"].extend([p] * len(a.sentences))
            for col, values in zip(("line", "hash", "n_chars"), zip(*a.sentences)):
                cols[col].extend(values)

    def _extend(self, name, page, items, fields, columns, positions=False) -> None:
        if not items:
            return
        cols = self.columns[name]
        cols["page"].extend([page] * len(items))
        if positions:
            cols["position"].extend(range(len(items)))
        for col, values in zip(columns, zip(*map(fields, items))):
            cols[col].extend(values)

    def to_frames(self, tables: Iterable[str] = PAGE_TABLES) -> dict[str, pd.DataFrame]:
        """The accumulated ``tables`` (default: a Corpus's) as typed DataFrames (see :func:`frame`)."""
        out = {}
        for name in tables:
            cols = self.columns[name]
            page = np.asarray(cols["page"], dtype=np.int64)
            data = {c: (np.asarray(self.pages[c], dtype=object)[page] if c in PAGE_FIELDS else cols[c])
                    for c in TABLE_COLUMNS[name]}
            out[name] = frame(name, pd.DataFrame(data, columns=list(TABLE_COLUMNS[name])))
        return out


KIND_DTYPES = {"sections": SECTION_KIND_DTYPE, "advice": ADVICE_KIND_DTYPE}


def _as_fixed_categorical(s: pd.Series, dtype: pd.CategoricalDtype) -> pd.Series:
    """Cast to a categorical with a fixed vocabulary, working on the categories only when possible."""
    if s.dtype == dtype:
        return s
    if not isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype("string").astype("category")
    unknown = set(s.cat.categories) - set(dtype.categories)
    if unknown:
        raise ValueError(f"values {sorted(unknown)!r} are not among {list(dtype.categories)!r}")
    return s.cat.set_categories(dtype.categories, ordered=dtype.ordered)


def frame(name: str, rows: list[tuple] | pd.DataFrame) -> pd.DataFrame:
    """Give a table its column order and dtypes (categoricals, ordered severity, nullable text).

    ``rows`` is a DataFrame, or row tuples in TABLE_COLUMNS order.
    """
    cols = TABLE_COLUMNS[name]
    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame.from_records(rows, columns=list(cols))
    df = df.loc[:, list(cols)] if list(df.columns) != list(cols) else df
    out = {}
    for col in cols:
        s = df[col]
        fixed = {"severity": SEVERITY_DTYPE, "kind": KIND_DTYPES.get(name)}.get(col)
        if fixed is not None:
            s = _as_fixed_categorical(s, fixed)
        elif col in CATEGORICAL:
            s = s if isinstance(s.dtype, pd.CategoricalDtype) else s.astype("string").astype("category")
        elif col in INTEGER:
            s = s.astype("int64")
        elif col in FLOAT:
            s = s.astype("float64")
        elif col in BOOLEAN:
            s = s.astype("bool")
        else:
            s = s.astype("string")
        out[col] = s
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)))


def frames_from_articles(articles: Iterable[Article], tables: Iterable[str] = PAGE_TABLES) -> dict[str, pd.DataFrame]:
    """Tables of the given articles (default: a Corpus's, ``STORED_TABLES`` for every one), keyed by name."""
    acc = PageColumns()
    for a in articles:
        acc.add(a)
    return acc.to_frames(tables)



def _casefolded_codes(s: pd.Series, vocabulary: dict[str, int]) -> np.ndarray:
    """Per row, an integer id of the casefolded value; computed on the categories only (fast)."""
    cats = [vocabulary.setdefault(str(c).casefold(), len(vocabulary)) for c in s.cat.categories]
    lookup = np.asarray(cats + [-1], dtype=np.int64)  # code -1 (missing) maps to -1
    return lookup[s.cat.codes.to_numpy()]


GRID_LIMIT = 50_000_000  # drug x condition cells (bytes) above which has_page avoids the grid


def mark_linked_pages(related: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Add ``has_page``: whether the linked '<Drug> for <Condition>' is itself in the corpus.

    Names are compared casefolded; the work is done on category codes, not on millions of strings.
    """
    drugs: dict[str, int] = {}
    conditions: dict[str, int] = {}
    page_drug = _casefolded_codes(articles["drug"], drugs)
    page_condition = _casefolded_codes(articles["condition"], conditions)
    rd = _casefolded_codes(related["related_drug"], drugs)
    rc = _casefolded_codes(related["related_condition"], conditions)
    if (len(drugs) + 1) * (len(conditions) + 1) <= GRID_LIMIT:
        # a drug x condition grid of "has a page" (last row/column: missing values, code -1)
        have = np.zeros((len(drugs) + 1, len(conditions) + 1), dtype=bool)
        have[page_drug, page_condition] = True
        have[-1, :] = have[:, -1] = False
        hit = have[rd, rc]
    else:  # too many names for a grid: compare code pairs
        pages = pd.MultiIndex.from_arrays([page_drug, page_condition])
        hit = pd.MultiIndex.from_arrays([rd, rc]).isin(pages) & (rd >= 0) & (rc >= 0)
    out = related.copy(deep=False)
    out["has_page"] = hit
    return out

