"""Reading and writing a corpus folder: one file per table, a manifest and the ingest report.

A corpus folder (written by ``explorer ingest``) holds::

    manifest.json        format version, table file format, row counts, input counts
    report.csv           one row per input file: path, status (ok | unchanged | failed), reason, line, ...
    articles.parquet     one file per table (or .csv: the diffable form used for data/corpus)
    sections.parquet
    side_effects.parquet
    advice.parquet
    related.parquet
    numbers.parquet
    sentences.parquet    masked sentence hashes, for the boilerplate analysis (not read by ``load``)

Parquet is the default (columnar, dictionary-encoded, loads without re-parsing; every page carries a
checksum, checked when it is read). CSV is kept for small, committed corpora so that a change to the
embedded data shows as a readable diff; in CSV an empty field means a missing value. Writing goes to a
temporary folder beside the target that replaces it only once everything is written, so a crash never
leaves a half-written corpus; what may be replaced, the lock and the swap are :mod:`explorer.corpus.folder`.
A file that cannot be read is reported by name with what to do (:func:`explorer.corpus.folder.damaged`).
"""
from __future__ import annotations

import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..display import csv_read_back, csv_text
from .folder import (FORMATS, CorpusError, FolderLock, damaged, load_manifest, make_temporary, named, prepare,
                     swap_into_place)
from .tables import (BOOLEAN, CATEGORICAL, FLOAT, INTEGER, NULLABLE_TEXT, PAGE_FIELDS, STORED_TABLES,
                     TABLE_COLUMNS, PageColumns, frame)

#: Version 2 added the ``numbers`` table; version 3 which extractor read each page, where its drug and
#: condition came from, its site, and whether a side effect was read out of prose. A corpus of an older
#: version is refused with "re-run explorer ingest". The ``sentences`` table came later without a new
#: version: a corpus without it loads as before, and only reading the sentences asks for a re-ingest.
FORMAT_VERSION = 3
ROW_GROUP_ROWS = 256 * 1024  # rows buffered per table before a Parquet row group is written
REPORT_COLUMNS = ("path", "status", "reason", "line", "sha256", "encoding", "format", "n_side_effects")
#: Errors of a file that is there but not readable as what it should be (pyarrow's ArrowInvalid is a
#: ValueError, its I/O errors OSErrors; json's and the codecs' errors are ValueErrors).
READ_ERRORS = (pa.ArrowException, OSError, ValueError, EOFError)


def arrow_schema(name: str) -> pa.Schema:
    """The on-disk Arrow schema of one table."""
    def typ(col: str) -> pa.DataType:
        if col in INTEGER:
            return pa.int64()
        if col in FLOAT:
            return pa.float64()
        if col in BOOLEAN:
            return pa.bool_()
        return pa.string()
    return pa.schema([pa.field(c, typ(c)) for c in TABLE_COLUMNS[name]])


ARROW_SCHEMAS = {name: arrow_schema(name) for name in STORED_TABLES}  # on disk


def columns_to_arrow(acc: PageColumns) -> dict[str, pa.Table]:
    """Accumulated columns -> one Arrow table per page table, in the on-disk column order.

    Page-level fields become dictionary arrays over the batch's pages (no per-row Python work);
    :class:`CorpusWriter` casts them to plain strings when it writes.
    """
    pages = {f: pa.array(v, type=pa.string()) for f, v in acc.pages.items()}
    out = {}
    for name, cols in acc.columns.items():
        schema = ARROW_SCHEMAS[name]
        page = pa.array(cols["page"], type=pa.int32())
        arrays = [pa.DictionaryArray.from_arrays(page, pages[f.name]) if f.name in PAGE_FIELDS
                  else pa.array(cols[f.name], type=f.type) for f in schema]
        out[name] = pa.Table.from_arrays(arrays, names=schema.names)
    return out


class CorpusWriter:
    """Streams table chunks into a temporary folder, then swaps it in place of ``out`` on :meth:`commit`.

    Use as a context manager: leaving the block with an exception (Ctrl-C included) removes the temporary
    folder and leaves any previous corpus at ``out`` untouched. ``out`` must be missing, empty or a corpus
    folder (:func:`explorer.corpus.folder.check_replaceable`); the writer holds ``out``'s lock from start
    to end (``lock``: one the caller already holds). An error while writing (a full disk) becomes a
    :class:`CorpusError` that names the folder and says the previous corpus is unchanged.
    """

    def __init__(self, out: str | Path, fmt: str = "parquet", *, lock: FolderLock | None = None,
                 replace_damaged: bool = False):
        if fmt not in FORMATS:
            raise ValueError(f"unknown corpus format {fmt!r}; expected one of {FORMATS}")
        self.out = named(out)
        self.fmt = fmt
        self._own_lock = lock is None
        self.lock = prepare(self.out, damaged_ok=replace_damaged) if lock is None else lock
        try:
            self.tmp = make_temporary(self.out)
        except OSError as e:
            self._release()
            raise CorpusError(f"{self.out}: cannot write the new corpus beside it ({e.strerror or e})") from None
        self._writers: dict[str, object] = {}
        self._pending: dict[str, list[pa.Table]] = {name: [] for name in STORED_TABLES}
        self.counts = {name: 0 for name in STORED_TABLES}

    @contextmanager
    def _writing(self, what: str) -> Iterator[None]:
        try:
            yield
        except OSError as e:  # a full disk, a quota, an I/O error: one line, the old corpus kept
            kept = "the previous corpus is unchanged" if self.out.exists() else "no corpus was written"
            raise CorpusError(f"{self.out}: could not write the new corpus ({e.strerror or e}, writing {what}); "
                              f"{kept}") from None

    def write(self, name: str, table: pa.Table) -> None:
        """Append a chunk of rows to one table (buffered into large row groups, which load faster)."""
        self._pending[name].append(table.cast(ARROW_SCHEMAS[name]))
        self.counts[name] += table.num_rows
        if sum(t.num_rows for t in self._pending[name]) >= ROW_GROUP_ROWS:
            with self._writing(f"{name}.{self.fmt}"):
                self._flush(name)

    def _flush(self, name: str) -> None:
        pending, self._pending[name] = self._pending[name], []
        table = pa.concat_tables(pending) if pending else ARROW_SCHEMAS[name].empty_table()
        w = self._writers.get(name)
        path = self.tmp / f"{name}.{self.fmt}"
        if w is None:
            if self.fmt == "parquet":
                w = pq.ParquetWriter(path, ARROW_SCHEMAS[name], compression="zstd", write_page_checksum=True)
            else:
                w = pacsv.CSVWriter(path, ARROW_SCHEMAS[name],
                                    write_options=pacsv.WriteOptions(quoting_style="needed"))
            self._writers[name] = w
        if table.num_rows and self.fmt == "parquet":
            w.write_table(table, row_group_size=table.num_rows)
        elif table.num_rows:
            w.write_table(table)

    def commit(self, report: pd.DataFrame, manifest: dict) -> Path:
        """Write report and manifest, close the tables and move the folder into place."""
        for name in STORED_TABLES:
            with self._writing(f"{name}.{self.fmt}"):
                if self._pending[name] or name not in self._writers:
                    self._flush(name)
                self._writers.pop(name).close()
        with self._writing("report.csv"):
            # Paths and reasons are third-party text: neutralised as every CSV the explorer writes
            (self.tmp / "report.csv").write_text(csv_text(report.loc[:, list(REPORT_COLUMNS)]), encoding="utf-8",
                                                 newline="\n")
        manifest = {"format_version": FORMAT_VERSION, "table_format": self.fmt,
                    "rows": dict(self.counts), **manifest}
        with self._writing("manifest.json"):
            (self.tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        with self._writing("the swap into place"):
            swap_into_place(self.tmp, self.out)
        return self.out

    def abort(self) -> None:
        for w in self._writers.values():
            try:
                w.close()
            except Exception:  # noqa: BLE001 - best effort while already failing
                pass
        self._writers.clear()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _release(self) -> None:
        if self._own_lock:
            self.lock.release()

    def __enter__(self) -> "CorpusWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is not None or self.tmp.exists():
                self.abort()
        finally:
            self._release()


def read_manifest(path: Path) -> dict:
    """The manifest of a corpus folder of this format version, with a clear error when the folder is not
    a corpus, its manifest is damaged, or it was written by another version."""
    mf = Path(path) / "manifest.json"
    manifest = load_manifest(path)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise CorpusError(f"{mf}: format_version {manifest.get('format_version')!r}, expected "
                          f"{FORMAT_VERSION}; re-run explorer ingest")
    return manifest


@contextmanager
def reading(path: Path, root: Path | None = None) -> Iterator[None]:
    """Turn any failure to read the corpus file ``path`` into a :class:`CorpusError` naming it."""
    try:
        yield
    except CorpusError:
        raise
    except READ_ERRORS as e:
        raise damaged(path, e, root) from None


def read_table_arrow(root: Path, name: str, fmt: str) -> pa.Table:
    """One stored table as Arrow (no pandas conversion)."""
    path = Path(root) / f"{name}.{fmt}"
    with reading(path, root):
        if fmt == "parquet":
            return pq.read_table(path, schema=ARROW_SCHEMAS[name], page_checksum_verification=True)
        convert = pacsv.ConvertOptions(column_types=ARROW_SCHEMAS[name], strings_can_be_null=True,
                                       null_values=[""], quoted_strings_can_be_null=False)
        return pacsv.read_csv(path, convert_options=convert)


def read_columns(root: Path, name: str, fmt: str, skip: tuple[str, ...] = ()) -> pa.Table:
    """The stored columns of one table (less ``skip``) as Arrow, categorical columns dictionary-encoded."""
    path = Path(root) / f"{name}.{fmt}"
    if not path.exists():
        raise CorpusError(f"{path}: missing table file (the corpus folder is incomplete)")
    columns = [c for c in TABLE_COLUMNS[name] if c not in skip]
    cats = [c for c in columns if c in CATEGORICAL]
    if fmt == "parquet":
        with reading(path, root):
            return pq.read_table(path, columns=columns, read_dictionary=cats, page_checksum_verification=True)
    table = read_table_arrow(root, name, fmt).select(columns)
    # text columns that are not nullable were written as empty strings, read back as null
    table = pa.table({c: (table[c].fill_null("") if c not in NULLABLE_TEXT and pa.types.is_string(table[c].type)
                          else table[c]) for c in table.column_names})
    return pa.table({c: (table[c].dictionary_encode() if c in cats else table[c]) for c in table.column_names})


def stored_rows(root: Path, name: str, fmt: str) -> int | None:
    """How many rows a Parquet table file holds, from its footer (nothing else is read; ``None`` for
    CSV). Checks that the file is there and, for Parquet, that it holds the table's columns."""
    path = Path(root) / f"{name}.{fmt}"
    if not path.exists():
        raise CorpusError(f"{path}: missing table file (the corpus folder is incomplete)")
    if fmt != "parquet":
        return None
    with reading(path, root):
        meta = pq.read_metadata(path)
        names = meta.schema.to_arrow_schema().names
    if names != ARROW_SCHEMAS[name].names:
        raise CorpusError(f"{path}: columns {names}, expected {ARROW_SCHEMAS[name].names}; "
                          "re-run explorer ingest --full")
    return meta.num_rows


def _dictionary_codes(column: pa.ChunkedArray) -> tuple[pd.Index, np.ndarray]:
    """A dictionary-encoded column's values (one dictionary for every chunk) and its codes (-1: missing)."""
    column = column.unify_dictionaries()
    values = column.chunk(0).dictionary if column.num_chunks else pa.array([], pa.string())
    codes = pa.chunked_array([c.indices for c in column.chunks], type=pa.int32())
    return pd.Index(values.to_pandas()), pc.fill_null(codes, -1).to_numpy()


def to_frame(name: str, table: pa.Table, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Stored columns (as :func:`read_columns` gives them) -> the typed table.

    Dictionary columns become categoricals straight from their codes and dictionary (pyarrow's
    ``to_pandas`` turns each dictionary into Python strings first: most of the load time). With
    ``articles`` (a page table, read without ``sha256``), ``source_file`` takes the articles'
    categories (:func:`share_page_provenance`) and ``sha256`` is derived from them.
    """
    out = columns_frame(table, articles)
    if articles is not None:
        files = out["source_file"]
        sha_of_file = np.full(len(files.cat.categories), -1, dtype=np.int64)
        sha_of_file[articles["source_file"].cat.codes.to_numpy()] = articles["sha256"].cat.codes.to_numpy()
        codes = files.cat.codes.to_numpy()
        out["sha256"] = pd.Categorical.from_codes(np.where(codes >= 0, sha_of_file[codes], -1),
                                                  dtype=articles["sha256"].dtype)
    return frame(name, out)


def columns_frame(table: pa.Table, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Stored columns as pandas, untyped beyond Arrow's: dictionary columns become categoricals straight from
    their codes (``source_file`` with the articles' categories, when given), text becomes ``string``."""
    plain = [c for c in table.column_names if not pa.types.is_dictionary(table.schema.field(c).type)]
    out = table.select(plain).to_pandas(types_mapper={pa.string(): pd.StringDtype(),
                                                      pa.large_string(): pd.StringDtype()}.get)
    for c in table.column_names:
        if c not in plain:
            values, codes = _dictionary_codes(table[c])
            if c == "source_file" and articles is not None:
                out[c] = share_page_provenance(values, codes, articles)
            else:
                out[c] = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(values))
    return out.loc[:, table.column_names]


def read_table(root: Path, name: str, fmt: str, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """One stored table as a typed DataFrame (see the schemas in :mod:`explorer.corpus.schemas`).

    A page table read with its corpus's ``articles`` shares their provenance (:func:`to_frame`)."""
    return to_frame(name, read_columns(root, name, fmt, ("sha256",) if articles is not None else ()), articles)


def share_page_provenance(files: pd.Index, codes: np.ndarray, articles: pd.DataFrame) -> pd.Categorical:
    """A page table's ``source_file`` (its stored ``files`` and row ``codes``) with the articles' categories.

    Every table stores the file and sha256 of each row's page, the same values as the page's row in
    ``articles``; sharing the articles' categories (:func:`to_frame` derives ``sha256`` from them) saves
    most of the load time and memory of a large corpus (one set of 100,000 file names instead of one per table and
    column). The articles' index of file names is built once and reused by every table.
    """
    position = articles["source_file"].cat.categories.get_indexer(files)
    orphan = np.flatnonzero(position < 0)
    if len(orphan):
        used = np.zeros(len(files) + 1, dtype=bool)
        used[codes] = True  # code -1 marks the last slot
        orphan = orphan[used[orphan]]
    if len(orphan):
        raise CorpusError(f"rows of {files[orphan[0]]!r} have no page in articles "
                          "(the corpus folder is inconsistent; re-run explorer ingest --full)")
    shared = np.append(position, -1)[codes]  # code -1 (missing) stays missing
    return pd.Categorical.from_codes(shared, dtype=articles["source_file"].dtype)


def read_report(root: str | Path) -> pd.DataFrame:
    """The ingest report of a corpus folder: one row per input file (path, status, reason, line, ...).

    Kept out of :func:`read_corpus` (it can be large, and only audits of the ingest need it).
    """
    path = Path(root) / "report.csv"
    if not path.exists():
        raise CorpusError(f"{path}: missing (the corpus folder is incomplete)")
    with reading(path, root):
        report = pd.read_csv(path, dtype={"line": "Int64", "n_side_effects": "Int64"}, keep_default_na=False,
                             na_values={"line": [""], "n_side_effects": [""]})
    if list(report.columns) != list(REPORT_COLUMNS):
        raise damaged(path, ValueError(f"columns {', '.join(map(str, report.columns))}, expected "
                                       f"{', '.join(REPORT_COLUMNS)}"), root)
    return csv_read_back(report)


class StaleCorpusWarning(UserWarning):
    """The embedded corpus no longer matches the raw pages it was ingested from."""


def warn_if_stale(report: pd.DataFrame, raw_dir: Path, base: Path) -> None:
    """Warn when pages under ``raw_dir`` were added, changed or removed since the corpus was written.

    ``base`` is the folder the report's paths are relative to (the one holding ``data/``).
    """
    import hashlib
    import warnings

    if not raw_dir.is_dir():
        return
    recorded = dict(zip(report["path"], report["sha256"]))
    current = {os.path.relpath(p, base): hashlib.sha256(p.read_bytes()).hexdigest()
               for p in sorted(raw_dir.rglob("*")) if p.is_file() and not p.name.startswith(".")}
    changed = sorted(p for p in current.keys() | recorded.keys() if current.get(p) != recorded.get(p))
    if changed:
        warnings.warn(
            f"{len(changed)} page(s) under {raw_dir} differ from the embedded corpus (first: {changed[0]}); "
            "re-run: explorer ingest data/raw --out data/corpus --format csv --full",
            StaleCorpusWarning, stacklevel=3)
