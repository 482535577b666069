"""The loaded corpus: :class:`Corpus` (one DataFrame per table) and :func:`load`.

Label facts are not the corpus's business: a caller that checks claims loads them
(:func:`explorer.audit.reference.load_label_facts`) and may attach them with
``dataclasses.replace(corpus, label_facts=facts)``, which the label check then uses.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
from pandera.errors import SchemaError, SchemaErrors

from .. import config
from ..pages.records import Article
from ..vocabulary import UNRECOGNISED_TIER
from .folder import damaged, rebuild_hint
from .schemas import SCHEMAS
from .store import (CorpusError, read_columns, read_manifest, read_report, read_table, reading, stored_rows, to_frame,
                    warn_if_stale)
from .tables import PAGE_TABLES, frames_from_articles, mark_linked_pages

#: Tables :func:`load` reads at once (every view starts from them); the others on first use.
EAGER_TABLES = ("articles", "side_effects")


class Deferred:
    """A table read on first use (thread-safe, read once); pickles as the table itself."""

    def __init__(self, read: Callable[[], pd.DataFrame]):
        self._read: Callable[[], pd.DataFrame] | None = read
        self._table: pd.DataFrame | None = None
        self._lock = threading.Lock()

    def get(self) -> pd.DataFrame:
        with self._lock:
            if self._read is not None:
                self._table, self._read = self._read(), None
        return self._table

    def __reduce__(self):
        return (_identity, (self.get(),))


def _identity(table: pd.DataFrame) -> pd.DataFrame:
    return table


class _Table:
    """A table field of :class:`Corpus`: holds a DataFrame, or a :class:`Deferred` that is read (and then
    kept) the first time the attribute is used, so ``corpus.sections`` is always a DataFrame."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, corpus, owner=None) -> pd.DataFrame:
        if corpus is None:
            raise AttributeError(self.name)  # tells dataclass the field has no default
        try:
            table = corpus.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None
        if isinstance(table, Deferred):
            table = corpus.__dict__[self.name] = table.get()
        return table

    def __set__(self, corpus, table: pd.DataFrame | Deferred) -> None:
        corpus.__dict__[self.name] = table  # only dataclass's __init__ gets here: the class is frozen


@dataclass(frozen=True)
class Corpus:
    """The loaded tables of a corpus; see each schema in :mod:`explorer.corpus.schemas` for its
    columns. ``label_facts`` is whatever the caller attached (``None`` from :func:`load`).

    A table may be given as a :class:`Deferred`: it is read when first used (:func:`load` defers all
    but ``articles`` and ``side_effects``); ``dataclasses.replace`` reads the deferred tables.
    """

    articles: pd.DataFrame = _Table()
    sections: pd.DataFrame = _Table()
    side_effects: pd.DataFrame = _Table()
    advice: pd.DataFrame = _Table()
    related: pd.DataFrame = _Table()
    numbers: pd.DataFrame = _Table()
    label_facts: pd.DataFrame | None = None
    root: Path | None = None

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame], *, validate: bool = True, **extra) -> "Corpus":
        """Build a corpus from page tables (as made by :func:`~explorer.corpus.tables.frame`), adding
        derived columns."""
        tables = dict(tables)
        tables["related"] = mark_linked_pages(tables["related"], tables["articles"])
        if validate:
            for name, schema in SCHEMAS.items():
                schema.validate(tables[name])
        return cls(**tables, **extra)

    @classmethod
    def from_articles(cls, articles: Iterable[Article], **extra) -> "Corpus":
        """Build a corpus straight from parsed articles (no files written)."""
        return cls.from_tables(frames_from_articles(articles), **extra)

    def duplicates(self) -> pd.DataFrame:
        """Each row represents a page file whose content (sha256) an earlier file already holds.

        Columns: source_file, sha256, first_file (the first file, by path, with the same content). Crawls
        hold copies of one page under several addresses; charts and counts take each content once, and
        every path stays in the tables.
        """
        art = self.articles[["source_file", "sha256"]]
        sha = art["sha256"].array.codes if isinstance(art["sha256"].dtype, pd.CategoricalDtype) else \
            pd.factorize(art["sha256"])[0]
        # only pages whose content is held more than once can be copies: the rest never become text
        art = art[np.bincount(sha + 1)[sha + 1] > 1].astype(str).sort_values("source_file", kind="stable")
        first = art.groupby("sha256", sort=False)["source_file"].transform("first")
        dup = art[art["source_file"] != first]
        return pd.DataFrame({"source_file": dup["source_file"].to_numpy(), "sha256": dup["sha256"].to_numpy(),
                             "first_file": first[dup.index].to_numpy()})

    def first_copies(self, rows: pd.DataFrame | None = None, copies: set[str] | None = None) -> np.ndarray:
        """A mask over ``rows`` (default: the side effects): True for rows of the first file of each content.
        ``copies``: the files of :meth:`duplicates`, when already known."""
        rows = self.side_effects if rows is None else rows
        copies = set(self.duplicates()["source_file"]) if copies is None else copies
        if not copies:
            return np.ones(len(rows), dtype=bool)
        files = rows["source_file"]
        if isinstance(files.dtype, pd.CategoricalDtype):
            is_copy = np.asarray([str(c) in copies for c in files.cat.categories] + [False])
            return ~is_copy[files.cat.codes.to_numpy()]
        return ~files.astype(str).isin(copies).to_numpy()

    def pages_without_side_effects(self) -> int:
        """How many pages name no side effect (read fine, but nothing found to count)."""
        files = self.articles["source_file"]
        return int((~files.isin(self.side_effects["source_file"].unique())).sum()) if len(files) else 0

    def summary(self) -> dict[str, pd.DataFrame]:
        """Counts per drug, per condition, per severity and per extractor (side effects and pages); pages
        whose condition is missing are left out of the per-condition counts, and a page held under
        several paths (the same sha256) is counted once (:meth:`duplicates`)."""
        copies = set(self.duplicates()["source_file"])  # a page copied under several paths counts once
        se = self.side_effects[self.first_copies(copies=copies)]
        articles = self.articles[self.first_copies(self.articles, copies)]
        per_drug = (articles.groupby("drug", observed=True).size().rename("pages").to_frame()
                    .join(se.groupby("drug", observed=True).size().rename("side_effects")).fillna(0)
                    .astype(int))
        per_condition = (articles.groupby("condition", observed=True).size().rename("pages").to_frame()
                         .join(se.groupby("condition", observed=True).size().rename("side_effects"))
                         .fillna(0).astype(int))
        per_severity = se["severity"].value_counts(sort=False, dropna=False).rename("side_effects")
        per_severity.index = per_severity.index.astype("string").fillna(UNRECOGNISED_TIER)
        per_extractor = (articles.groupby("extractor", observed=True).size().rename("pages").to_frame()
                         .join(se.assign(extractor=self._page_extractor(se)).groupby("extractor", observed=True)
                               .size().rename("side_effects")).fillna(0).astype(int))
        return {"drug": per_drug, "condition": per_condition, "severity": per_severity.to_frame(),
                "extractor": per_extractor}

    def _page_extractor(self, rows: pd.DataFrame) -> pd.Series:
        """Each row's page's extractor (pages are keyed by source file), worked out on category codes."""
        files = rows["source_file"].astype("category")
        pages = self.articles["source_file"].astype("category")
        extractor = self.articles["extractor"].astype(str).astype("category")
        of_page = np.full(len(pages.cat.categories) + 1, -1, dtype=np.int64)  # last: a file with no page
        of_page[pages.array.codes] = extractor.array.codes
        of_file = np.append(of_page[pages.cat.categories.get_indexer(files.cat.categories)], -1)
        return pd.Series(pd.Categorical.from_codes(of_file[files.array.codes], dtype=extractor.dtype), index=rows.index)


def load(path: str | Path | None = None, *, validate: bool | None = None) -> Corpus:
    """Load a corpus folder written by ``explorer ingest``; with no path, the embedded data under ``data/``.

    ``articles`` and ``side_effects`` are read at once, the other tables when first used (each is read
    as stored, no re-parsing). Loading the embedded corpus warns when ``data/raw`` changed since it was
    ingested.

    Parameters
    ----------
    validate : check each table against its schema (:mod:`explorer.corpus.schemas`) when it is read.
        ``None`` (default): for CSV corpora (small, and editable by hand); a Parquet corpus is written
        only by the ingest, from the same typed columns, so for it the load checks what the manifest
        vouches for, from the files' footers: every table is there with its columns and row count.

    Raises
    ------
    CorpusError
        When the folder is missing, is not a corpus folder, was written by an older version, or a
        table file is missing, disagrees with the manifest or is damaged (the message names the file
        and says how to rebuild it). A table read later (``corpus.sections``...) raises it then.
    """
    root = Path(path).expanduser() if path is not None else config.CORPUS_DIR
    if not root.is_dir():
        raise CorpusError(f"{root}: no such corpus folder")
    manifest = read_manifest(root)
    fmt = manifest["table_format"]
    validate = fmt == "csv" if validate is None else validate
    for name in PAGE_TABLES:  # a missing or mismatched file is reported now, not when first used
        rows, expected = stored_rows(root, name, fmt), manifest.get("rows", {}).get(name)
        if rows is not None and expected is not None and rows != expected:
            raise CorpusError(f"{root / f'{name}.{fmt}'}: {rows:,} rows, the manifest says {expected:,}; "
                              f"{rebuild_hint(root)}")
    with ThreadPoolExecutor(max_workers=1) as pool:  # pyarrow reads the side effects outside the GIL meanwhile
        stored = pool.submit(read_columns, root, "side_effects", fmt, ("sha256",))
        articles = _checked(root, "articles", fmt, validate, partial(read_table, root, "articles", fmt))
        side_effects = _checked(root, "side_effects", fmt, validate,
                                lambda: to_frame("side_effects", stored.result(), articles))
    deferred = {name: Deferred(partial(_read_page_table, root, name, fmt, articles, validate))
                for name in PAGE_TABLES if name not in EAGER_TABLES}
    pa.default_memory_pool().release_unused()  # hand Arrow's freed read buffers back to the system
    if path is None:
        warn_if_stale(read_report(root), config.RAW_DIR, config.DATA_DIR.parent)
    return Corpus(articles=articles, side_effects=side_effects, **deferred, root=root)


def _read_page_table(root: Path, name: str, fmt: str, articles: pd.DataFrame, validate: bool) -> pd.DataFrame:
    def read() -> pd.DataFrame:
        table = read_table(root, name, fmt, articles)
        return mark_linked_pages(table, articles) if name == "related" else table

    table = _checked(root, name, fmt, validate, read)
    pa.default_memory_pool().release_unused()
    return table


def _checked(root: Path, name: str, fmt: str, validate: bool, read: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``read()`` one table (and check it against its schema): any failure names the table's file."""
    path = root / f"{name}.{fmt}"
    with reading(path, root):
        table = read()
        if validate:
            try:
                SCHEMAS[name].validate(table)
            except (SchemaError, SchemaErrors) as e:
                raise damaged(path, e, root) from None
    return table
