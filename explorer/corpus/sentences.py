"""Reading a corpus's ``sentences`` table: each page's prose as masked sentence hashes.

The table is written by the ingest beside the others (:mod:`explorer.corpus.store`) but is not part of
a loaded :class:`~explorer.corpus.dataset.Corpus`: it has a row per sentence (tens of millions for a
million pages) and only the boilerplate analysis (:mod:`explorer.explore.boilerplate`) needs it, so it
is read on its own, and only the columns asked for.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pandas as pd
import pyarrow as pa

from .schemas import SENTENCES
from .store import CorpusError, columns_frame, read_columns, read_manifest, to_frame
from .tables import TABLE_COLUMNS

COLUMNS = TABLE_COLUMNS["sentences"]


def read_sentences(root: str | Path, columns: Iterable[str] | None = None, *, validate: bool = True) -> pd.DataFrame:
    """The ``sentences`` table of the corpus folder ``root``.

    Each row represents one prose sentence of one page. Columns: source_file and sha256 (categorical),
    line, hash (int64: the masked sentence's hash), n_chars; see :data:`explorer.corpus.schemas.SENTENCES`.

    Parameters
    ----------
    root : a corpus folder written by ``explorer ingest``.
    columns : the columns to read (default: all). At ten million rows (Parquet, 2 loaded cores) the
        integer columns read in 0.3 s, and each of source_file and sha256 in about 4-7 s (ten million
        strings decoded into categoricals): leave out what the analysis does not need.
    validate : check the whole table against its schema (only when every column is read).

    Raises
    ------
    CorpusError
        When ``root`` is not a corpus folder, or was written before the sentences were kept (the
        message says to re-run ``explorer ingest``), or a column asked for does not exist.
    """
    root = Path(root).expanduser()
    fmt = read_manifest(root)["table_format"]
    path = root / f"sentences.{fmt}"
    if not path.exists():
        raise CorpusError(f"{path}: missing; this corpus was written before the ingest kept sentence hashes. "
                          "Re-run explorer ingest on its pages to add them (every page is parsed again).")
    wanted = tuple(COLUMNS if columns is None else columns)
    unknown = [c for c in wanted if c not in COLUMNS]
    if unknown:
        raise CorpusError(f"{path}: no column {unknown[0]!r}; the sentences table has {', '.join(COLUMNS)}")
    table = read_columns(root, "sentences", fmt, skip=tuple(c for c in COLUMNS if c not in wanted))
    pa.default_memory_pool().release_unused()
    if set(wanted) != set(COLUMNS):
        return columns_frame(table).loc[:, list(wanted)]
    table = to_frame("sentences", table)
    if validate:
        SENTENCES.validate(table)
    return table
