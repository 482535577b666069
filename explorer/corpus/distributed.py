"""Ingest on a Dask cluster, for corpora that outgrow one machine.

The work is the same as :func:`explorer.corpus.ingest.ingest`: :func:`explorer.corpus.ingest.parse_chunk` mapped
over the page files, here as a ``dask.bag`` of file paths whose partitions run on Dask workers. The
rows come back to this process, which writes them with the store's :class:`~explorer.corpus.store.CorpusWriter`,
so the result is the same corpus folder (same Parquet tables, report.csv and manifest.json) that
:func:`explorer.load` reads, with rows in the same order as a local ingest.

Pointing it at a cluster::

    # on the scheduler machine            # on each worker machine (explorer installed, same version)
    dask scheduler                        dask worker tcp://SCHEDULER:8786 --nworkers 4 --nthreads 1

    from explorer.corpus.distributed import ingest_dask
    ingest_dask(["/shared/crawl"], "/shared/corpus", scheduler_address="tcp://SCHEDULER:8786")

Workers open the page files themselves, by absolute path, so the pages must be readable under the
same absolute path on every worker (a shared or network file system, or the same mount everywhere);
the corpus records the names as given, as the local ingest does.

On one machine this is slower than the local ingest (10,000 pages on 2 cores: about 10 s including
the cluster's start-up, against 4.5 s): use it when the pages or the cores are on other machines. A
script that starts a local cluster must guard its entry point (``if __name__ == "__main__":``),
because Dask starts its worker processes fresh rather than by forking. Without an address, a
:class:`distributed.LocalCluster` with one single-threaded process per core is started and closed.
"""
from __future__ import annotations

import os
from collections import deque
from pathlib import Path
from typing import Iterable

import pyarrow as pa

from .files import find_inputs, shown
from .folder import named
from .ingest import CHUNK_SIZE, IngestReport, manifest_counts, parse_chunk, refuse_overlap, report_frame
from .store import CorpusWriter
from .tables import STORED_TABLES

#: Partitions in flight per worker: enough to keep every worker busy while results are written in order,
#: few enough that finished-but-unwritten rows stay small.
IN_FLIGHT_PER_WORKER = 3


def _rename_sources(tables: dict, report: list[tuple], names: dict[str, str]) -> tuple[dict, list[tuple]]:
    """Give rows back the file names the user typed (workers read them by absolute path)."""
    out = {}
    for name, table in tables.items():
        col = table.column("source_file").combine_chunks().dictionary_encode()
        typed = pa.array([names.get(s, s) for s in col.dictionary.to_pylist()], type=pa.string())
        renamed = pa.DictionaryArray.from_arrays(col.indices, typed).cast(pa.string())
        out[name] = table.set_column(table.schema.get_field_index("source_file"), "source_file", renamed)
    return out, [(names.get(r[0], r[0]),) + tuple(r[1:]) for r in report]


def _parse_partition(jobs) -> list:
    """One bag partition of ``(absolute path, name as typed)`` -> ``[(tables, report_rows)]``; on a worker."""
    jobs = list(jobs)
    # known={}: a full ingest; the worker must not use a module-level cache of the client's corpus
    tables, report = parse_chunk([absolute for absolute, _ in jobs], known={})
    names = {shown(absolute): typed for absolute, typed in jobs if shown(absolute) != typed}
    if names:
        tables, report = _rename_sources(tables, report, names)
    return [(tables, report)]


def ingest_dask(paths: Iterable[str | Path], out: str | Path, scheduler_address: str | None = None, *,
                fmt: str = "parquet", chunk_size: int = CHUNK_SIZE, n_workers: int | None = None,
                progress: bool = False) -> IngestReport:
    """Parse every page under ``paths`` on a Dask cluster into the corpus folder ``out``.

    Parameters
    ----------
    paths : files and folders of pages; workers must be able to read them under the same names.
    out : corpus folder to write (replaced atomically when done), as by :func:`explorer.corpus.ingest.ingest`.
    scheduler_address : ``tcp://host:8786`` of a running Dask scheduler; ``None`` starts a local cluster.
    fmt : "parquet" (default) or "csv".
    chunk_size : files per bag partition (one task each).
    n_workers : processes of the local cluster (default: every core); ignored with an address.
    progress : show a tqdm progress bar.

    Returns
    -------
    IngestReport
        One row per input file (ok / failed with reason and line), as the local ingest returns.
    """
    import dask.bag as db
    from distributed import Client, LocalCluster

    out = named(out)
    paths = list(paths)
    refuse_overlap(paths, out)
    found = find_inputs(paths, exclude=out)
    files = found.files
    cluster = None
    if scheduler_address is None:
        cluster = LocalCluster(n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler_address)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="page", desc="ingest (dask)")
    try:
        # Workers have their own working folder: they open files by absolute path, and rows keep the
        # names as typed (relative stays relative), exactly as a local ingest records them.
        jobs = [(os.path.abspath(f), shown(f)) for f in files]
        partitions = (db.from_sequence(jobs, partition_size=chunk_size).map_partitions(_parse_partition)
                      .to_delayed() if files else [])
        n_slots = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})) * IN_FLIGHT_PER_WORKER)
        report_rows: list[tuple] = []
        with CorpusWriter(out, fmt) as writer:
            pending: deque = deque()
            todo = iter(partitions)
            for part in todo:
                pending.append(client.compute(part))
                if len(pending) >= n_slots:
                    break
            # Write in partition order (deterministic files, same row order as a local ingest) while
            # keeping a bounded window of partitions running.
            while pending:
                future = pending.popleft()
                nxt = next(todo, None)
                if nxt is not None:
                    pending.append(client.compute(nxt))
                for tables, report in future.result():
                    for name in STORED_TABLES:
                        writer.write(name, tables[name])
                    report_rows.extend(report)
                    if bar is not None:
                        bar.update(len(report))
                future.release()
            report_df = report_frame(report_rows + found.skipped)
            writer.commit(report_df, {**manifest_counts(report_df, 0), "engine": "dask"})
    finally:
        if bar is not None:
            bar.close()
        client.close()
        if cluster is not None:
            cluster.close()
    return IngestReport(report_df, out, 0)
