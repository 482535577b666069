"""Boilerplate: how much of each page's prose other pages share (template text) and which sentences.

Works on the corpus's ``sentences`` table (:func:`explorer.corpus.sentences.read_sentences`): one row
per prose sentence of a page, with the hash of its text casefolded and with the page's own drug and
condition masked, so "Some users of Mirena for back pain ..." and "Some users of Zoloft for anxiety
..." are the same sentence. A sentence is *shared* when its hash stands on at least ``min_pages``
distinct pages (default 2: the page itself and one other). Pages are counted by content: copies of one
page under several paths (the same sha256) are one page, so a copy never makes a sentence shared.

Everything is done on integer codes with numpy (a factorisation of the hashes, one ``pd.unique`` of
hash x content pairs, ``bincount``s), never on text: ten million sentence rows take seconds.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .aggregate import codes_index, sorted_unique

#: Columns of :func:`page_boilerplate`'s result, in order.
PAGE_COLUMNS = ("source_file", "sha256", "n_sentences", "chars", "shared_chars", "shared_share")
#: Columns of :func:`shared_sentences`'s result, in order.
SHARED_COLUMNS = ("hash", "n_pages", "page_share", "n_rows", "source_file", "line", "n_chars")


class _Codes:
    """The sentence rows as integer codes: each row's hash, content (sha256) and page, and per hash the
    number of distinct contents it stands on."""

    def __init__(self, sentences: pd.DataFrame):
        missing = [c for c in ("source_file", "sha256", "hash", "n_chars") if c not in sentences.columns]
        if missing:
            raise ValueError(f"sentences: no column {missing[0]!r}; expected the corpus's sentences table "
                             "(source_file, sha256, line, hash, n_chars)")
        # codes in order of first appearance: the first row of each hash is where its code first appears
        hash_codes, self.hashes = pd.factorize(sentences["hash"].to_numpy(dtype=np.int64))
        self.hash = hash_codes.astype(np.int64)
        self.content, self.contents = codes_index(sentences["sha256"])
        self.file, self.files = codes_index(sentences["source_file"])
        if (self.content < 0).any() or (self.file < 0).any():
            raise ValueError("sentences: rows without a source_file or sha256")
        n_contents = max(len(self.contents), 1)
        #: per hash code: its rows (every path and repeat)
        self.n_rows = np.bincount(self.hash, minlength=len(self.hashes))
        # distinct (hash, content) pairs, only among hashes of several rows (a hash of one row stands on one
        # content); found by sorting: measured 3x faster than pd.unique on 10 M mostly distinct pairs
        repeated = self.n_rows[self.hash] > 1
        distinct = sorted_unique(self.hash[repeated] * n_contents + self.content[repeated])
        #: per hash code: on how many distinct contents it stands
        self.n_pages = np.where(self.n_rows > 1, np.bincount(distinct // n_contents, minlength=len(self.hashes)), 1)
        #: distinct contents among the rows (a categorical may hold unused categories)
        self.n_contents = int(np.count_nonzero(np.bincount(self.content, minlength=len(self.contents))))


def page_boilerplate(sentences: pd.DataFrame, min_pages: int = 2) -> pd.DataFrame:
    """How much of each page's prose is shared with other pages, most shared first.

    Each row represents one page (one source_file; copies of a content under several paths each keep
    their row). Columns: source_file, sha256 (categoricals), n_sentences (its sentence rows), chars
    (their characters), shared_chars (characters of those sentences whose hash stands on at least
    ``min_pages`` distinct contents, copies of the page not counted), shared_share (shared_chars /
    chars: 1.0 for a page that is all template text, 0.0 for one that is all its own). Sorted by
    shared_share, highest first; ties in the order of source_file's categories (read from a corpus:
    the ingest's order, by path; a column of strings: the order of first appearance).
    A page without sentences has no row.

    Parameters
    ----------
    sentences : the corpus's sentences table (:func:`explorer.corpus.sentences.read_sentences`); only
        source_file, sha256, hash and n_chars are read.
    min_pages : distinct contents a sentence must stand on to count as shared (2: one other page).
    """
    if min_pages < 2:
        raise ValueError(f"min_pages must be at least 2 (the page and another), got {min_pages}")
    c = _Codes(sentences)
    shared = c.n_pages[c.hash] >= min_pages
    n_chars = sentences["n_chars"].to_numpy(dtype=np.int64)
    n_files = len(c.files)
    sha_of_file = np.full(n_files, -1, dtype=np.int64)
    sha_of_file[c.file] = c.content
    if (sha_of_file[c.file] != c.content).any():
        raise ValueError("sentences: a source_file with rows of two sha256 values (tables of two ingests mixed?)")
    n_sentences = np.bincount(c.file, minlength=n_files)
    # float weights hold integers exactly up to 2**53 characters
    chars = np.bincount(c.file, weights=n_chars, minlength=n_files).astype(np.int64)
    shared_chars = np.bincount(c.file, weights=n_chars * shared, minlength=n_files).astype(np.int64)
    pages = np.flatnonzero(n_sentences)  # in source_file's order; a category without rows is no page
    share = shared_chars[pages] / chars[pages]
    order = pages[np.argsort(-share, kind="stable")]
    return pd.DataFrame({
        "source_file": pd.Categorical.from_codes(order, categories=c.files),
        "sha256": pd.Categorical.from_codes(sha_of_file[order], categories=c.contents),
        "n_sentences": n_sentences[order], "chars": chars[order], "shared_chars": shared_chars[order],
        "shared_share": shared_chars[order] / chars[order],
    }, columns=list(PAGE_COLUMNS))


def shared_sentences(sentences: pd.DataFrame, top: int | None = 20, min_pages: int = 2) -> pd.DataFrame:
    """The masked sentences that stand on the most pages.

    Each row represents one masked sentence (a hash) that stands on at least ``min_pages`` distinct
    contents. Columns: hash, n_pages (distinct contents it stands on; copies count once), page_share
    (n_pages / the contents in ``sentences``), n_rows (its sentence rows: every path and repeat),
    source_file, line and n_chars of its first row (read that line of that file to show the sentence:
    the table keeps no text). Ranked by n_pages, then n_rows, then first appearance; the first ``top``
    rows (``None``: all).

    Parameters
    ----------
    sentences : the corpus's sentences table (:func:`explorer.corpus.sentences.read_sentences`).
    top : how many sentences to return.
    min_pages : distinct contents a sentence must stand on to be listed.
    """
    if min_pages < 2:
        raise ValueError(f"min_pages must be at least 2 (the page and another), got {min_pages}")
    c = _Codes(sentences)
    candidates = np.flatnonzero(c.n_pages >= min_pages)
    if top is not None and top < len(candidates):
        # only the candidates at or above the top-th count can rank in the top (ties included)
        cut = np.partition(c.n_pages[candidates], len(candidates) - top)[len(candidates) - top]
        candidates = candidates[c.n_pages[candidates] >= cut]
    n_rows = c.n_rows
    # hash codes are numbered in order of first appearance, so a code's first row is where the running
    # maximum of the codes reaches it
    first_row = np.flatnonzero(np.diff(np.maximum.accumulate(c.hash), prepend=-1) > 0)
    ranked = candidates[np.lexsort((candidates, -n_rows[candidates], -c.n_pages[candidates]))][:top]
    rows = first_row[ranked]
    return pd.DataFrame({
        "hash": np.asarray(c.hashes, dtype=np.int64)[ranked], "n_pages": c.n_pages[ranked],
        "page_share": c.n_pages[ranked] / max(c.n_contents, 1), "n_rows": n_rows[ranked],
        "source_file": pd.Categorical.from_codes(c.file[rows], categories=c.files),
        "line": sentences["line"].to_numpy(dtype=np.int64)[rows],
        "n_chars": sentences["n_chars"].to_numpy(dtype=np.int64)[rows],
    }, columns=list(SHARED_COLUMNS))
