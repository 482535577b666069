"""Records -> DataFrames, and the corpus folders that hold them.

- :mod:`~explorer.corpus.tables`: records -> columns and typed DataFrames (no schema library: the
  ingest's workers use it)
- :mod:`~explorer.corpus.schemas`: one pandera model per table, checked on load
- :mod:`~explorer.corpus.store`: reading and writing corpus folders (Parquet or CSV, manifest, report)
- :mod:`~explorer.corpus.folder`: what an ingest may replace, one writer at a time, the swap into place,
  the leftovers of killed runs
- :mod:`~explorer.corpus.files`: which input files there are, and reading one safely (regular files only,
  a size cap)
- :mod:`~explorer.corpus.pool`: worker processes whose death costs one item, not the run
- :mod:`~explorer.corpus.ingest`: files -> parallel parse -> a corpus folder, with a report of every file
- :mod:`~explorer.corpus.distributed`: the same ingest on a Dask cluster
- :mod:`~explorer.corpus.dataset`: :class:`~explorer.corpus.dataset.Corpus` and
  :func:`~explorer.corpus.dataset.load`
- :mod:`~explorer.corpus.sentences`: :func:`~explorer.corpus.sentences.read_sentences`, the masked sentence
  hashes the ingest keeps (not part of a loaded ``Corpus``)
"""
