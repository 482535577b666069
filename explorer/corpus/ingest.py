"""Ingest: files and folders of pages -> a corpus folder (see :mod:`explorer.corpus.store`).

Parsing runs in worker processes, over chunks of files, and each chunk's rows are written as soon as
they come back, so memory stays flat however large the input. A page that cannot be parsed is listed
in the report with the reason and line, and never costs the good pages beside it. Re-ingesting into an
existing corpus parses only the files whose content hash changed and drops files that disappeared.

Only regular files are read (a named pipe, a device or a socket is reported, never opened so that it
could block), each up to a size cap; a folder that cannot be read, and a symbolic link to a folder (not
followed: a link can lead anywhere, back into the crawl or to ``/``), are reported as well. Every input
has a row in the report. The corpus folder is guarded by :mod:`explorer.corpus.folder`.
"""
from __future__ import annotations

import gc
import hashlib
import multiprocessing as mp
import os
import sys
from contextlib import closing
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..pages.decode import PageError
from ..pages.read import read_bytes
from ..pages.subject import Subject
from .files import discover  # noqa: F401 - the ingest's inputs, as callers have imported them from here
from .files import (MAX_PAGE_BYTES, PAGE_MEMORY_BYTES, PAGE_SECONDS, Unreadable, find_inputs, read_page, report_row,
                    shown)
from .folder import load_manifest, named, prepare, rebuild_hint
from .meta import PageMeta, load_meta, page_key
from .pool import Lost, beat, in_worker, ordered_map, over_memory
from .store import (FORMAT_VERSION, REPORT_COLUMNS, CorpusError, CorpusWriter, columns_to_arrow, read_report,
                    read_table_arrow, stored_rows)
from .tables import STORED_TABLES, PageColumns

CHUNK_SIZE = 250  # files per task sent to a worker: large enough to amortise the hand-off


@dataclass
class IngestReport:
    """What an ingest did. ``files`` has one row per input file (the columns of report.csv)."""

    files: pd.DataFrame
    out: Path
    removed: int = 0

    @property
    def counts(self) -> dict[str, int]:
        """inputs = ok + unchanged + failed + skipped; ``no_side_effects``: the ok pages with none."""
        return _counts(self.files) | {"removed": self.removed}

    @property
    def failed(self) -> pd.DataFrame:
        """The inputs not read: failed, and skipped (folders)."""
        return self.files[self.files["status"].isin(["failed", "skipped"])]

    def problems(self) -> list[str]:
        """One line per input not read: ``failed: PATH:LINE: reason`` (a folder: no line), ``skipped: PATH: reason``."""
        rows = self.failed
        where = rows["path"].where(rows["line"].isna(), rows["path"] + ":" + rows["line"].astype("string"))
        return (rows["status"] + ": " + where + ": " + rows["reason"]).tolist()

    def summary_line(self) -> str:
        c = self.counts
        none = f" ({c['no_side_effects']} with no side effect)" if c["no_side_effects"] else ""
        skipped = f", {c['skipped']} skipped" if c["skipped"] else ""
        return (f"{c['inputs']} inputs: {c['ok']} parsed{none}, {c['unchanged']} unchanged, "
                f"{c['failed']} failed{skipped}; {c['removed']} removed pages -> {shown(str(self.out))}")


def _counts(report: pd.DataFrame) -> dict[str, int]:
    by = report["status"].value_counts()
    ok = report["status"] == "ok"
    return {"inputs": len(report), **{s: int(by.get(s, 0)) for s in ("ok", "unchanged", "failed", "skipped")},
            "no_side_effects": int((report.loc[ok, "n_side_effects"] == 0).sum())}


# --- worker side ----------------------------------------------------------------------------------

_KNOWN: dict[str, str] = {}  # source_file -> sha256 of the previous ingest; set before the pool forks
_META: dict[str, PageMeta] = {}  # page_key(path) -> its crawl metadata; set before the pool forks
_GIVEN: Subject | None = None  # --drug / --condition: the last choice for every page
_DRUG_NAMES: tuple[str, ...] = ()  # known drug names beyond the shipped list (an imported label store's)
_MAX_BYTES = MAX_PAGE_BYTES  # --max-page-mb


def parse_chunk(paths: list[str], known: dict[str, str] | None = None,
                max_bytes: int | None = None) -> tuple[dict[str, pa.Table], list[tuple]]:
    """Parse a chunk of files; return Arrow tables of their rows and one report row per file.

    Files whose sha256 equals ``known[path]`` are reported ``unchanged`` and not parsed; files that are
    not regular or larger than ``max_bytes`` (default: the ingest's cap) are reported failed.
    This is the unit of work for local processes and for Dask alike.
    """
    known = _KNOWN if known is None else known
    max_bytes = _MAX_BYTES if max_bytes is None else max_bytes
    # The parse makes many small objects and few reference cycles (only HTML pages' parse trees): the
    # cyclic collector would mostly rescan live objects (about 20 us a page). Reference counting frees
    # the rest as it goes; the trees are collected once the chunk is done and the collector is back.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse_chunk(paths, known, max_bytes)
    finally:
        if collecting:
            gc.enable()


def _parse_chunk(paths: list[str], known: dict[str, str], max_bytes: int) -> tuple[dict[str, pa.Table], list[tuple]]:
    acc = PageColumns()
    report: list[tuple] = []
    for part, real in enumerate(paths):
        beat(part)  # in a worker: each page has the time limit, and one that outruns it is named
        path = shown(real)  # the name recorded: the file's own when it is UTF-8
        try:
            data = read_page(real, max_bytes)
        except Unreadable as e:
            report.append(report_row(path, "failed", str(e), 1))
            continue
        sha = hashlib.sha256(data).hexdigest()
        meta = _META.get(page_key(real)) if _META else None
        if known.get(path) == sha and meta is None and _GIVEN is None:  # metadata may have changed: re-read
            report.append(report_row(path, "unchanged", sha=sha))
            continue
        try:
            article = read_bytes(data, path, meta=meta.subject if meta else None,
                                 address=meta.url if meta else None, given=_GIVEN, drug_names=_DRUG_NAMES)
        except PageError as e:
            report.append(report_row(path, "failed", f"expected {e.expected}", e.line, sha))
            continue
        except MemoryError:
            if in_worker():  # the pool replaces this worker and the chunk is read again without this page
                raise
            report.append(report_row(path, "failed", f"parser error: {over_memory()}", 1, sha))
            continue
        except Exception as e:  # noqa: BLE001 - a parser bug must not cost the other pages
            report.append(report_row(path, "failed", f"parser error {type(e).__name__}: {e}", 1, sha))
            continue
        acc.add(article)
        report.append(report_row(path, "ok", "", None, sha, article.source.encoding,
                                  article.source.format, len(article.side_effects)))
    beat(len(paths))  # past the pages: a limit reached from here on is no page's
    return columns_to_arrow(acc), report


def _parse_chunk_task(paths: list[str]):
    return parse_chunk(paths)


#: What a page past a limit of its parse reached (after the pool's words: "took longer than 10 s").
_LIMITS = {"time": "the time one page may take (--page-timeout)",
           "memory": "what one page may take (--page-memory-mb)"}


def _start_worker(lock_fd: int | None) -> None:
    """In each worker: the output's lock stays the parent's alone (a worker outliving it holds nothing)."""
    if lock_fd is not None:
        try:
            os.close(lock_fd)  # the lock stays held by the parent's copy
        except OSError:
            pass


#: Read once before the workers start, so that each one has the lazily loaded parts of the parse (the
#: lemma dictionary: 0.6 s and 150 MB of address space) from the start, shared, rather than loading them
#: on its first page, and within that page's limits.
_WARM_UP = ((b"Mirena for Acne\n\nCommon side effects\n- Headaches\n", "warm-up.txt"),
            (b"<title>Mirena for Acne</title><h1>Mirena for Acne</h1><ul><li>Headaches</li></ul>", "warm-up.html"))


def _parse_all(chunks: list[list[str]], workers: int, lock_fd: int | None, seconds: float | None,
               memory: int | None) -> Iterator[tuple[dict, list[tuple]]]:
    """Each chunk's tables and report rows, in order, parsed in worker processes
    (:func:`explorer.corpus.pool.ordered_map`), one page at most ``seconds`` and ``memory`` bytes.

    A chunk lost to a page past a limit is read again without that page, which is reported failed; a
    chunk whose worker died (out of memory, a crash in a parser's C code) is read again one page per
    task, in one fresh worker: the page that kills it again is reported failed, and the others are kept.
    """
    if not chunks:
        return
    for data, name in _WARM_UP:
        read_bytes(data, name)
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    run = partial(ordered_map, initializer=_start_worker, initargs=(lock_fd,), context=ctx,
                  time_limit=seconds, memory_limit=memory)
    with closing(run(_parse_chunk_task, chunks, workers)) as results:
        for chunk, result in zip(chunks, results):
            if not isinstance(result, Lost):
                yield result
                continue
            culprit = result.part if result.kind in _LIMITS else None
            again = [page for i, page in enumerate(chunk) if i != culprit]
            with closing(run(_parse_chunk_task, [[page] for page in again], 1)) as pages:
                for i, page in enumerate(chunk):
                    one = result if i == culprit else next(pages)
                    if not isinstance(one, Lost):
                        yield one
                        continue
                    why = f"{one.reason}, {_LIMITS[one.kind]}" if one.kind in _LIMITS else one.reason
                    yield {}, [report_row(shown(page), "failed", f"{why}; not read", 1)]


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _progress(total: int, enabled: bool | None):
    """A tqdm bar on an interactive terminal; nothing in CI or when output is piped."""
    if enabled is None:
        enabled = sys.stderr.isatty() and not os.environ.get("CI")
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="page", desc="ingest", file=sys.stderr)


def previous_hashes(out: Path) -> tuple[dict[str, str], str | None]:
    """source_file -> sha256 of the pages already in the corpus at ``out`` (empty if none, or if that
    corpus was written in another format version or before the ``sentences`` table was kept, which
    ``explorer ingest`` then rebuilds in full).

    Raises
    ------
    CorpusError
        When a file of that corpus is damaged (its rows cannot be carried over: ``--full`` rebuilds it).
    """
    if not (out / "manifest.json").exists():
        return {}, None
    manifest = load_manifest(out)
    fmt = manifest["table_format"]
    if manifest["format_version"] != FORMAT_VERSION:  # written by another version: every file is parsed again
        return {}, None
    if not (out / f"sentences.{fmt}").exists():  # unchanged pages would have no sentences to carry over
        return {}, None
    for name in STORED_TABLES:  # a damaged table is named now, before the pages are parsed
        rows, expected = stored_rows(out, name, fmt), manifest["rows"].get(name)
        if rows is not None and rows != expected:
            raise CorpusError(f"{out / f'{name}.{fmt}'}: {rows:,} rows, the manifest says {expected}; "
                              f"{rebuild_hint(out)}")
    t = read_table_arrow(out, "articles", fmt).select(["source_file", "sha256"])
    return dict(zip(t["source_file"].to_pylist(), t["sha256"].to_pylist())), fmt


def refuse_overlap(paths: Iterable[str | Path], out: Path) -> None:
    """Refuse an output folder that is an input, or that holds an input: the swap would replace the pages.

    An output inside an input folder is allowed: it is not read as pages (:func:`find_inputs`).
    """
    target = os.path.realpath(out)
    for p in paths:
        real = os.path.realpath(p)
        if real == target:
            raise CorpusError(f"{out}: is also an input ({p}); the ingest would replace the pages it reads. "
                              "Give --out another folder")
        if real.startswith(target.rstrip(os.sep) + os.sep):
            raise CorpusError(f"{p}: an input inside the output folder {out}; the ingest would replace it. "
                              "Give --out another folder")


def ingest(paths: Iterable[str | Path], out: str | Path, *, fmt: str = "parquet", workers: int | None = None,
           progress: bool | None = None, incremental: bool = True,
           on_chunk: Callable[[int], None] | None = None, meta: str | Path | None = None,
           drug: str | None = None, condition: str | None = None,
           drug_names: Iterable[str] = (), max_page_bytes: int = MAX_PAGE_BYTES,
           page_seconds: float | None = PAGE_SECONDS, page_memory: int | None = PAGE_MEMORY_BYTES,
           stop: Callable[[], None] | None = None) -> IngestReport:
    """Parse every page under ``paths`` into the corpus folder ``out``.

    Parameters
    ----------
    paths : files and folders of pages (text or saved HTML).
    out : corpus folder to write; replaced atomically when done.
    fmt : "parquet" (default) or "csv" (diffable, for small committed corpora).
    workers : parsing processes (default: every core). A page that kills its process (a crash in a
        parser's C code, the out-of-memory killer) costs only that page.
    progress : show a progress bar (default: only on an interactive terminal outside CI).
    incremental : reuse the rows of files whose content hash did not change since the last ingest.
    on_chunk : called with the number of files finished after each chunk (for progress elsewhere).
    meta : crawl metadata, a CSV of path, url, drug, condition (:mod:`explorer.corpus.meta`).
    drug, condition : for pages outside the template whose drug (or condition) no metadata, title or
        address names: the last choice, recorded as "given".
    drug_names : drug names to know beside ``data/reference/drug_names.csv`` (``--labels DIR``: every
        name of an imported label store), so that headings such as "Side Effects of Zorvalex" are read.
    max_page_bytes : the largest page file read; larger ones are reported failed, not read.
    page_seconds, page_memory : what parsing one page may take, in seconds and in bytes of memory beyond
        what a parsing process holds when it starts (None: no limit); a page past either is reported
        failed, and the pages beside it are read.
    stop : called before the new corpus replaces the old one; it raises to stop the ingest (the command
        line's Ctrl-C and SIGTERM: a stop that arrived where Python could not raise it, such as while a
        worker process was being started, is raised there, and the previous corpus stays).

    Each page is read by the template parser when it is a meds.is template page, else by the general
    extractor (:func:`explorer.pages.read.read_bytes`); the ``extractor`` column says which.

    Returns
    -------
    IngestReport
        One row per input, with ok / unchanged / failed / skipped and the reason. Inputs = ok + unchanged +
        failed + skipped (skipped: a symbolic link to a folder).

    Raises
    ------
    CorpusError
        Before anything is written: when ``out`` is not a corpus folder the ingest may replace
        (:func:`explorer.corpus.folder.check_replaceable`), is an input or holds one, another ingest is
        writing it, or its previous corpus is damaged (``incremental=False`` rebuilds it). While writing:
        when the disk is full (the previous corpus stays as it was).
    """
    out = named(out)
    paths = list(paths)
    refuse_overlap(paths, out)
    found = find_inputs(paths, exclude=out)
    files = found.files
    if meta is not None:  # the metadata file is not a page, wherever it stands
        files = [f for f in files if page_key(f) != page_key(meta)]
    metadata = load_meta(meta) if meta is not None else {}
    global _KNOWN, _META, _GIVEN, _DRUG_NAMES, _MAX_BYTES
    with prepare(out, damaged_ok=not incremental) as lock:
        known, old_fmt = previous_hashes(out) if incremental else ({}, None)
        _KNOWN, _META = known, metadata
        _DRUG_NAMES = tuple(drug_names)
        _GIVEN = Subject(drug, condition, "given", "given" if condition else None) if drug else None
        _MAX_BYTES = max_page_bytes
        workers = workers or os.cpu_count() or 1
        chunks = list(_chunks(files, CHUNK_SIZE))
        bar = _progress(len(files), progress)
        report_rows: list[tuple] = []
        try:
            with CorpusWriter(out, fmt, lock=lock) as writer:
                _drain(_parse_all(chunks, workers, lock.fd, page_seconds, page_memory), writer, report_rows, bar,
                       on_chunk)
                unchanged = {r[0] for r in report_rows if r[1] == "unchanged"}
                if unchanged:
                    _copy_unchanged(out, old_fmt, unchanged, writer)
                report = _carry_over_details(report_frame(report_rows + found.skipped), out)
                removed = len(set(known) - {shown(f) for f in files})
                if stop is not None:
                    stop()
                writer.commit(report, manifest_counts(report, removed))
        finally:
            _KNOWN, _META, _GIVEN, _DRUG_NAMES, _MAX_BYTES = {}, {}, None, (), MAX_PAGE_BYTES
            if bar is not None:
                bar.close()
    return IngestReport(report, out, removed)


def report_frame(rows: list[tuple]) -> pd.DataFrame:
    """Report rows (:func:`parse_chunk`'s, :func:`find_inputs`'s) as the report's table."""
    return pd.DataFrame(rows, columns=list(REPORT_COLUMNS)).astype({"line": "Int64", "n_side_effects": "Int64"})


def manifest_counts(report: pd.DataFrame, removed: int) -> dict[str, int]:
    """The counts the manifest records: inputs, ok, unchanged, failed, skipped, removed."""
    counts = _counts(report)
    del counts["no_side_effects"]
    return {**counts, "removed": removed}


def _carry_over_details(report: pd.DataFrame, out: Path) -> pd.DataFrame:
    """Unchanged files keep the encoding, format and counts recorded when they were parsed."""
    unchanged = report["status"] == "unchanged"
    if unchanged.any() and (out / "report.csv").exists():
        old = read_report(out).set_index("path")
        old = old[old["status"].isin(["ok", "unchanged"]) & ~old.index.duplicated()]
        for col in ("encoding", "format", "n_side_effects"):
            report.loc[unchanged, col] = report.loc[unchanged, "path"].map(old[col])
    return report


def _drain(results, writer: CorpusWriter, report_rows: list, bar, on_chunk) -> None:
    for tables, report in results:
        for name, table in tables.items():
            writer.write(name, table)
        report_rows.extend(report)
        if bar is not None:
            bar.update(len(report))
        if on_chunk is not None:
            on_chunk(len(report))


def _copy_unchanged(out: Path, fmt: str, keep: set[str], writer: CorpusWriter) -> None:
    """Carry over the stored rows of unchanged files from the previous corpus (no re-parse)."""
    if fmt is None:
        raise CorpusError(f"{out}: previous corpus vanished during ingest")
    keep_array = pa.array(sorted(keep), type=pa.string())
    for name in STORED_TABLES:
        table = read_table_arrow(out, name, fmt)
        writer.write(name, table.filter(pc.is_in(table["source_file"], value_set=keep_array)))
