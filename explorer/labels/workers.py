"""Making labels in worker processes: an import's parsing is spread over the machine's cores.

Reading a bulk part is two jobs of very different cost: cutting the JSON into records
(:mod:`explorer.labels.jsonscan`, a small part of the time) and making each record a label (the JSON
parsed, sections split into passages, tables read: the rest). The importing process does the first and
the store writing; :func:`made_in_pool` sends the
records in batches of :data:`BATCH` to a process pool, keeps at most ``window`` batches in flight (so
memory stays flat whatever the file's size) and yields the results in file order. A worker returns its
labels as store rows in Arrow tables (:class:`LabelBatch`): a few buffers to send back, rather than
thousands of small Python objects to pickle and unpickle.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from ..processes import follow_parent, stops_held, worker_signals
from .records import Label, LabelError
from .rows import LABEL_TABLES, arrow_table, label_rows

#: Records sent to a worker at a time: enough that sending them costs little beside making them.
BATCH = 32
#: Bytes of records sent to a worker at a time, at most (but at least one record): real labels are about
#: 50 KB, so this bounds only batches of unusually large records.
BATCH_BYTES = 8 << 20
#: Workers are forked; where a platform cannot fork (Windows) every label is made in the importing process.
CAN_FORK = hasattr(os, "fork")

MakeLabel = Callable[[Any, str, int], Label]  # (record, path, position) -> Label, or raises LabelError


def default_workers(workers: int | None) -> int:
    """The worker processes to use: ``workers`` when given (at least 1), else one per CPU up to 8."""
    if workers is not None:
        if workers < 1:
            raise ValueError(f"workers: a whole number of at least 1; got {workers}")
        return workers
    return max(1, min(os.cpu_count() or 1, 8))


def worker_pool(workers: int) -> Executor:
    """A pool of ``workers`` forked processes that end when the importing process does.

    Forked, not spawned: the workers start in milliseconds, and a user's script or notebook is not run
    again in each of them (as "spawn" would: a script without a ``__main__`` guard would import in a
    loop). They only make labels from records, never touching the store writer or its threads. Ctrl-C is
    the importing process's to handle (it stops the pool); if it is killed outright, its workers follow
    (:func:`explorer.processes.follow_parent`, with its watchdog), instead of living on under init.

    The workers are started here, with Ctrl-C and SIGTERM held back until each worker ignores Ctrl-C: one
    arriving while a worker is being forked would otherwise end that worker with a traceback, or break
    the pool's start half-way.
    """
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_start, initargs=(os.getpid(),))
    with stops_held():
        pool.submit(int).result()  # forks every worker now (a forking pool starts them all at once)
    return pool


def _worker_start(parent: int) -> None:
    """Run in each worker as it starts: Ctrl-C left to the parent (SIGTERM still ends a worker: the pool
    ends its workers so when it breaks), and the worker tied to the parent's life."""
    worker_signals()
    follow_parent(parent, watch=True)


@dataclass(frozen=True)
class LabelBatch:
    """Consecutive records made into labels in a worker process, as the label store's rows.

    ``outcomes`` holds, in record order, ``(record, key, problems)`` for each label made (``problems``:
    the fields that could not be read, for an incomplete label) and a
    :class:`LabelError` for each record that failed. ``tables`` holds the labels' rows as Arrow tables
    (:data:`explorer.labels.rows.LABEL_TABLES`), and ``bounds`` where each label's rows start in each
    table (one more entry than there are labels), so that the importer can leave a label out.
    """

    outcomes: tuple[tuple[int, str, tuple[str, ...]] | LabelError, ...]
    tables: dict[str, Any]
    bounds: dict[str, tuple[int, ...]]

    def without(self, skipped: set[int]) -> dict[str, Any]:
        """The tables less the rows of the labels at the given positions (0-based, among the labels made)."""
        if not skipped:
            return self.tables
        import pyarrow as pa

        out = {}
        for name, table in self.tables.items():
            starts = self.bounds[name]
            kept = [table.slice(starts[i], starts[i + 1] - starts[i]) for i in range(len(starts) - 1)
                    if i not in skipped]
            out[name] = pa.concat_tables(kept) if kept else table.schema.empty_table()
        return out


def label_batch(make: MakeLabel, path: str, first: int, records: list[Any]) -> LabelBatch:
    """``make`` for consecutive records (``first`` is the first one's position), run in a worker: the
    labels come back as store rows, the records that failed as their errors."""
    outcomes: list[tuple[int, str, tuple[str, ...]] | LabelError] = []
    rows: dict[str, list[tuple]] = {t: [] for t in LABEL_TABLES}
    bounds: dict[str, list[int]] = {t: [0] for t in LABEL_TABLES}
    for i, raw in enumerate(records):
        try:
            label = make(raw, path, first + i)
        except LabelError as error:
            outcomes.append(error)
            continue
        outcomes.append((label.record, label.key, label.problems))
        for name, label_rows_of in label_rows([label]).items():
            rows[name].extend(label_rows_of)
            bounds[name].append(len(rows[name]))
    return LabelBatch(tuple(outcomes), {t: arrow_table(t, r) for t, r in rows.items()},
                      {t: tuple(b) for t, b in bounds.items()})


def made_in_pool(make: MakeLabel, records: Iterable[Any], path: str, pool: Executor,
                 window: int) -> Iterator[LabelBatch]:
    """Labels made by ``pool`` in batches, yielded in file order.

    A batch holds :data:`BATCH` records, or fewer when they add up to :data:`BATCH_BYTES` (records given
    as bytes), so that at most ``window`` batches in flight bound the memory whatever the records' sizes.
    An error raised while reading ``records`` (a document that breaks off) is raised again after the
    batches read before it have been yielded.
    """
    pending: deque[Future] = deque()
    batch: list[Any] = []
    size = taken = 0
    stopped: BaseException | None = None
    source = iter(records)
    while True:
        try:
            raw = next(source)
        except StopIteration:
            break
        except Exception as error:  # noqa: BLE001 - raised again below, after the labels before it
            stopped = error
            break
        taken += 1
        batch.append(raw)
        size += len(raw) if isinstance(raw, bytes) else 0
        if len(batch) == BATCH or size >= BATCH_BYTES:
            pending.append(pool.submit(label_batch, make, path, taken - len(batch), batch))
            batch, size = [], 0
            while len(pending) >= window:
                yield pending.popleft().result()
    if batch:
        pending.append(pool.submit(label_batch, make, path, taken - len(batch), batch))
    while pending:
        yield pending.popleft().result()
    if stopped is not None:
        raise stopped
