"""Ingest: files and folders of pages -> a corpus folder (see :mod:`explorer.corpus.store`).

Parsing runs in worker processes, over chunks of files, and each chunk's rows are written as soon as
they come back, so memory stays flat however large the input. A page that cannot be parsed is listed
in the report with the reason and line, and never costs the good pages beside it. Re-ingesting into an
existing corpus parses only the files whose content hash changed and drops files that disappeared.
"""
from __future__ import annotations

import gc
import hashlib
import multiprocessing as mp
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..pages.decode import PageError
from ..pages.read import read_bytes
from ..pages.subject import Subject
from .meta import PageMeta, load_meta, page_key
from .store import REPORT_COLUMNS, CorpusError, CorpusWriter, columns_to_arrow, read_manifest, read_table_arrow
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
        by = self.files["status"].value_counts()
        return {"inputs": len(self.files), "ok": int(by.get("ok", 0)),
                "unchanged": int(by.get("unchanged", 0)), "failed": int(by.get("failed", 0)),
                "removed": self.removed}

    @property
    def failed(self) -> pd.DataFrame:
        return self.files[self.files["status"] == "failed"]

    def summary_line(self) -> str:
        c = self.counts
        return (f"{c['inputs']} input files: {c['ok']} parsed, {c['unchanged']} unchanged, "
                f"{c['failed']} failed; {c['removed']} removed pages -> {self.out}")


def discover(paths: Iterable[str | Path], exclude: Path | None = None) -> list[str]:
    """Every regular, non-hidden file under the given files and folders, sorted, as path strings.

    Paths keep the form the user gave (``data/raw`` -> ``data/raw/page.txt``), so each row of the
    corpus names its source the way the user knows it.
    """
    found: list[str] = []
    excluded = exclude.resolve() if exclude is not None else None
    for p in paths:
        p = Path(p)
        if p.is_file():
            found.append(os.path.normpath(str(p)))
        elif p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                     and (excluded is None or Path(dirpath, d).resolve() != excluded))
                found.extend(os.path.normpath(os.path.join(dirpath, f)) for f in filenames
                             if not f.startswith("."))
        else:
            raise FileNotFoundError(f"{p}: no such file or folder")
    return sorted(set(found))


# --- worker side ----------------------------------------------------------------------------------

_KNOWN: dict[str, str] = {}  # source_file -> sha256 of the previous ingest; set before the pool forks
_META: dict[str, PageMeta] = {}  # page_key(path) -> its crawl metadata; set before the pool forks
_GIVEN: Subject | None = None  # --drug / --condition: the last choice for every page
_DRUG_NAMES: tuple[str, ...] = ()  # known drug names beyond the shipped list (an imported label store's)


def _report_row(path, status, reason="", line=None, sha="", encoding="", fmt="", n=0) -> tuple:
    return (path, status, reason, line, sha, encoding, fmt, n)


def parse_chunk(paths: list[str], known: dict[str, str] | None = None) -> tuple[dict[str, pa.Table], list[tuple]]:
    """Parse a chunk of files; return Arrow tables of their rows and one report row per file.

    Files whose sha256 equals ``known[path]`` are reported ``unchanged`` and not parsed.
    This is the unit of work for local processes and for Dask alike.
    """
    known = _KNOWN if known is None else known
    # The parse makes many small objects and few reference cycles (only HTML pages' parse trees): the
    # cyclic collector would mostly rescan live objects (about 20 us a page). Reference counting frees
    # the rest as it goes; the trees are collected once the chunk is done and the collector is back.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse_chunk(paths, known)
    finally:
        if collecting:
            gc.enable()


def _parse_chunk(paths: list[str], known: dict[str, str]) -> tuple[dict[str, pa.Table], list[tuple]]:
    acc = PageColumns()
    report: list[tuple] = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            report.append(_report_row(path, "failed", f"cannot read: {e.strerror or e}", 1))
            continue
        sha = hashlib.sha256(data).hexdigest()
        meta = _META.get(page_key(path)) if _META else None
        if known.get(path) == sha and meta is None and _GIVEN is None:  # metadata may have changed: re-read
            report.append(_report_row(path, "unchanged", sha=sha))
            continue
        try:
            article = read_bytes(data, path, meta=meta.subject if meta else None,
                                 address=meta.url if meta else None, given=_GIVEN, drug_names=_DRUG_NAMES)
        except PageError as e:
            report.append(_report_row(path, "failed", f"expected {e.expected}", e.line, sha))
            continue
        except Exception as e:  # noqa: BLE001 - a parser bug must not cost the other pages
            report.append(_report_row(path, "failed", f"parser error {type(e).__name__}: {e}", 1, sha))
            continue
        acc.add(article)
        report.append(_report_row(path, "ok", "", None, sha, article.source.encoding,
                                  article.source.format, len(article.side_effects)))
    return columns_to_arrow(acc), report


def _parse_chunk_task(paths: list[str]):
    return parse_chunk(paths)


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
    ``explorer ingest`` then rebuilds in full)."""
    if not (out / "manifest.json").exists():
        return {}, None
    try:
        fmt = read_manifest(out)["table_format"]
    except CorpusError:  # written by another format version: every file is parsed again
        return {}, None
    if not (out / f"sentences.{fmt}").exists():  # unchanged pages would have no sentences to carry over
        return {}, None
    t = read_table_arrow(out, "articles", fmt).select(["source_file", "sha256"])
    return dict(zip(t["source_file"].to_pylist(), t["sha256"].to_pylist())), fmt


def ingest(paths: Iterable[str | Path], out: str | Path, *, fmt: str = "parquet", workers: int | None = None,
           progress: bool | None = None, incremental: bool = True,
           on_chunk: Callable[[int], None] | None = None, meta: str | Path | None = None,
           drug: str | None = None, condition: str | None = None,
           drug_names: Iterable[str] = ()) -> IngestReport:
    """Parse every page under ``paths`` into the corpus folder ``out``.

    Parameters
    ----------
    paths : files and folders of pages (text or saved HTML).
    out : corpus folder to write; replaced atomically when done.
    fmt : "parquet" (default) or "csv" (diffable, for small committed corpora).
    workers : parsing processes (default: every core; 1 parses in this process).
    progress : show a progress bar (default: only on an interactive terminal outside CI).
    incremental : reuse the rows of files whose content hash did not change since the last ingest.
    on_chunk : called with the number of files finished after each chunk (for progress elsewhere).
    meta : crawl metadata, a CSV of path, url, drug, condition (:mod:`explorer.corpus.meta`).
    drug, condition : for pages outside the template whose drug (or condition) no metadata, title or
        address names: the last choice, recorded as "given".
    drug_names : drug names to know beside ``data/reference/drug_names.csv`` (``--labels DIR``: every
        name of an imported label store), so that headings such as "Side Effects of Zorvalex" are read.

    Each page is read by the template parser when it is a meds.is template page, else by the general
    extractor (:func:`explorer.pages.read.read_bytes`); the ``extractor`` column says which.

    Returns
    -------
    IngestReport
        One row per input file, with ok / unchanged / failed and the reason. Inputs = ok + unchanged + failed.
    """
    out = Path(out)
    files = discover(paths, exclude=out)
    if meta is not None:  # the metadata file is not a page, wherever it stands
        files = [f for f in files if page_key(f) != page_key(meta)]
    known, old_fmt = previous_hashes(out) if incremental else ({}, None)
    global _KNOWN, _META, _GIVEN, _DRUG_NAMES
    _KNOWN = known
    _DRUG_NAMES = tuple(drug_names)
    _META = load_meta(meta) if meta is not None else {}
    _GIVEN = Subject(drug, condition, "given", "given" if condition else None) if drug else None
    workers = workers or os.cpu_count() or 1
    chunks = list(_chunks(files, CHUNK_SIZE))
    bar = _progress(len(files), progress)
    report_rows: list[tuple] = []
    try:
        with CorpusWriter(out, fmt) as writer:
            if workers > 1 and len(chunks) > 1:
                ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
                with ctx.Pool(min(workers, len(chunks))) as pool:
                    results = pool.imap(_parse_chunk_task, chunks)
                    _drain(results, writer, report_rows, bar, on_chunk)
            else:
                _drain(map(_parse_chunk_task, chunks), writer, report_rows, bar, on_chunk)
            unchanged = {r[0] for r in report_rows if r[1] == "unchanged"}
            if unchanged:
                _copy_unchanged(out, old_fmt, unchanged, writer)
            report = _carry_over_details(pd.DataFrame(report_rows, columns=list(REPORT_COLUMNS)), out)
            removed = len(set(known) - set(files))
            counts = report["status"].value_counts()
            writer.commit(report, {
                "inputs": len(files), "ok": int(counts.get("ok", 0)),
                "unchanged": int(counts.get("unchanged", 0)), "failed": int(counts.get("failed", 0)),
                "removed": removed,
            })
    finally:
        _KNOWN, _META, _GIVEN, _DRUG_NAMES = {}, {}, None, ()
        if bar is not None:
            bar.close()
    return IngestReport(report, out, removed)


def _carry_over_details(report: pd.DataFrame, out: Path) -> pd.DataFrame:
    """Unchanged files keep the encoding, format and counts recorded when they were parsed."""
    report["line"] = report["line"].astype("Int64")
    unchanged = report["status"] == "unchanged"
    old_path = out / "report.csv"
    if unchanged.any() and old_path.exists():
        old = pd.read_csv(old_path, keep_default_na=False, dtype=str).set_index("path")
        old = old[old["status"].isin(["ok", "unchanged"])]
        for col in ("encoding", "format", "n_side_effects"):
            values = report.loc[unchanged, "path"].map(old[col])
            report.loc[unchanged, col] = values.astype(report[col].dtype) if col == "n_side_effects" else values
    return report


def _drain(results, writer: CorpusWriter, report_rows: list, bar, on_chunk) -> None:
    for tables, report in results:
        for name in STORED_TABLES:
            writer.write(name, tables[name])
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
