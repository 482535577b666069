"""``explorer labels import``: label files of any supported kind -> the label store, with a report.

Inputs are recognised by their content, not their names: a JSON document is openFDA's drug-label format,
an XML document in the HL7 v3 namespace is DailyMed SPL, a folder or zip holding OnSIDES's tables is an
OnSIDES release, a zip of zips is DailyMed's bulk download, and a zip holding JSON is an openFDA bulk
part. Zips are read in place, member by member, and never extracted to disk; a member whose declared
size is beyond any real label file (or which inflates far more than text does) stops with a clear error
before it is opened, and zips nested deeper than DailyMed's zip of per-label zips (zipped once more) are
not read.

Every input, and every record of a bulk file that failed, gets a row in the import report (path,
record, status, key, reason); a bad file or record never costs the good ones beside it. Statuses:
``imported``, ``unchanged`` (held already), ``incomplete`` (imported without the sections that could not
be read), ``empty`` (a document, zip or folder holding no labels) and ``failed``. Only regular files and
folders are read (a FIFO or a device is a failed row, never opened). Imports into one store take turns
(:func:`~explorer.labels.store.import_lock`), and each removes what imports killed outright left behind.
"""
from __future__ import annotations

import io
import os
import stat
import sys
import zipfile
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from concurrent.futures import BrokenExecutor, Executor

from .inputs import (MAX_MEMBER_BYTES, MAX_ZIP_DEPTH, check_member, file_kind, open_in_folder, open_in_zip,
                     sniff)
from .records import Label, LabelError
from .report import ImportReport
from .store import (LOCK_FILE, MANIFEST_TMP, PART_TMP_PREFIX, LabelStore, PartWriter, import_lock,
                    read_manifest, remove_leftovers)
from .workers import CAN_FORK, LabelBatch, default_workers, worker_pool

#: JSON documents from this size on have their labels made in worker processes (about 200 labels; below
#: it, starting the workers costs more than they save).
PARALLEL_FROM_BYTES = 8 << 20
#: Records in a row of one document that may fail before the rest of it is left unread: a bulk part's
#: failures are scattered among its labels; a run this long is a document of something else (and every
#: failed record costs a report row).
MAX_FAILED_RUN = 10_000
UTF8_BOM = b"\xef\xbb\xbf"
#: What an import may leave in a folder that is not yet a store: its lock file, and what an import
#: killed outright leaves (see :class:`~explorer.labels.store.PartWriter`).
_OWN_LEFTOVERS = (PART_TMP_PREFIX, MANIFEST_TMP, LOCK_FILE)


class _Importer:
    """One import run: routes each input to its reader and its records to the part being written."""

    def __init__(self, into: Path, progress: Callable[[int], None] | None, workers: int = 1,
                 stop: Callable[[], None] = lambda: None):
        self.into = into
        self.stop = stop  # raises to stop the import (called between inputs and records)
        self.workers = workers
        self._pool: Executor | None = None
        store = LabelStore(into) if (into / "manifest.json").exists() else None  # its parts checked
        self.known = store.keys() if store is not None else set()
        self.known_terms = store.term_labels() if store is not None else set()
        self.writer = PartWriter(into)
        self.report = ImportReport(into=into)
        self.progress = progress
        self._new_term_labels: set[tuple[str, str]] = set()

    # -- what a reader gives
    def _label(self, item: Label | LabelError | LabelBatch, path: str) -> None:
        self.stop()
        if isinstance(item, LabelBatch):
            self._batch(item, path)
            return
        if isinstance(item, LabelError):
            self.report.add(item.path, "failed", item.record, reason=item.expected)
            return
        if item.key in self.known:
            self.report.add(path, "unchanged", item.record, item.key)
            return
        self.known.add(item.key)
        self.writer.add_label(item)
        self._imported(path, item.record, item.key, item.problems)
        if self.progress is not None:
            self.progress(1)

    def _imported(self, path: str, record: int, key: str, problems: tuple[str, ...]) -> None:
        if problems:
            self.report.add(path, "incomplete", record, key, "imported without what could not be read: "
                            + "; ".join(problems))
        else:
            self.report.add(path, "imported", record, key)

    def pool_for(self, size: int | None) -> Executor | None:
        """Worker processes for a JSON document of ``size`` bytes: None (labels made here) for small
        documents, when one worker is asked for, where processes cannot be forked, or when the size is
        unknown."""
        if self.workers < 2 or size is None or size < PARALLEL_FROM_BYTES or not CAN_FORK:
            return None
        if self._pool is None:
            self._pool = worker_pool(self.workers)
            self.report.workers = self.workers
        return self._pool

    def close(self) -> None:
        """Stop the worker processes: those at work finish their batch (a fraction of a second), the
        batches not started are dropped."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _batch(self, batch: LabelBatch, path: str) -> None:
        """Labels a worker made: each reported, those already held (or met earlier) left out."""
        skipped: set[int] = set()
        made = 0
        for outcome in batch.outcomes:
            if isinstance(outcome, LabelError):
                self.report.add(outcome.path, "failed", outcome.record, reason=outcome.expected)
                continue
            record, key, problems = outcome
            if key in self.known:
                self.report.add(path, "unchanged", record, key)
                skipped.add(made)
            else:
                self.known.add(key)
                self._imported(path, record, key, problems)
            made += 1
        self.writer.add_tables(batch.without(skipped))
        if self.progress is not None and made > len(skipped):
            self.progress(made - len(skipped))

    # -- inputs
    def run(self, paths: Iterable[str | Path]) -> None:
        for p in paths:
            self._input(Path(p))

    def _input(self, path: Path) -> None:
        """A folder or a regular file (symbolic links followed); anything else is a failed row, unread."""
        self.stop()
        try:
            mode = os.stat(path).st_mode
        except OSError as e:
            self.report.add(str(path), "failed", reason="no such file or folder" if isinstance(
                e, FileNotFoundError) else f"a readable file or folder ({e.strerror or e})")
            return
        if stat.S_ISDIR(mode):
            self._folder(path)
        elif stat.S_ISREG(mode):
            self._file(path)
        else:
            self.report.add(str(path), "failed", reason=f"a regular file or a folder; this is {file_kind(mode)} "
                                                        "(not read)")

    def _folder(self, folder: Path) -> None:
        try:
            names = sorted(os.listdir(folder))
        except OSError as e:
            self.report.add(str(folder), "failed", reason=f"a readable folder ({e.strerror or e})")
            return
        from .onsides import is_onsides

        if is_onsides(names):
            self._onsides(lambda name: open_in_folder(folder, name), str(folder))
            return
        before = len(self.report.rows)
        for name in names:
            if not name.startswith("."):
                self._input(folder / name)
        if len(self.report.rows) == before:
            self.report.add(str(folder), "empty", reason="a folder holding no label files")

    def _file(self, path: Path) -> None:
        try:
            with open(path, "rb") as fh:
                head = fh.read(4096)
                fh.seek(0)
                if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
                    self._zip(fh, str(path))
                else:
                    self._document(fh, head, str(path), os.fstat(fh.fileno()).st_size)
        except OSError as e:
            self.report.add(str(path), "failed", reason=f"cannot read: {e.strerror or e}")

    def _document(self, stream: BinaryIO, head: bytes, path: str, size: int | None = None) -> None:
        kind = sniff(head)
        if kind == "json":
            from .openfda import read_openfda

            if head.startswith(UTF8_BOM):  # sniff() reads past it; the JSON parser would not
                stream.read(len(UTF8_BOM))
            before = len(self.report.rows)
            failed_run = 0
            try:
                for item in read_openfda(stream, path, self.pool_for(size), window=2 * self.workers):
                    self._label(item, path)
                    failed_run = _failed_run(item, failed_run)
                    if failed_run >= MAX_FAILED_RUN:
                        self.report.add(path, "failed", reason=f"a document of labels; {failed_run:,} records in a "
                                                               "row were not labels, so the rest was not read")
                        break
            except BrokenExecutor as e:  # a worker was killed (out of memory, say): this document stops here
                broken, self._pool, self.workers = self._pool, None, 1  # the rest of the import is made here
                if broken is not None:
                    broken.shutdown(wait=False)
                self.report.add(path, "failed", reason=f"a worker process making its labels ended unexpectedly "
                                                       f"({type(e).__name__}); the labels before it are kept")
            if len(self.report.rows) == before:
                self.report.add(path, "empty", reason="an openFDA document holding labels; its results list is empty")
        elif kind == "xml":
            from .spl import read_spl

            limit = MAX_MEMBER_BYTES["xml"]
            data = stream.read(limit + 1)  # one SPL document is read whole: never more than any real one
            try:
                if len(data) > limit:
                    raise LabelError(path, None, f"an SPL document of at most {limit:,} bytes; this one is "
                                                 "larger (refused, not parsed)")
                self._label(read_spl(data, path), path)
            except LabelError as e:
                self._label(e, path)
        else:
            self.report.add(path, "failed", reason="an openFDA JSON document, an SPL XML document, a zip of "
                                                   "them or an OnSIDES release; found none of these")

    def _zip(self, fh: BinaryIO, path: str, depth: int = 0) -> None:
        if depth > MAX_ZIP_DEPTH:
            self.report.add(path, "failed", reason=f"zips nested at most {MAX_ZIP_DEPTH} deep (a zip of per-label "
                                                   "zips, zipped once more); this one is nested deeper (not read)")
            return
        try:
            archive = zipfile.ZipFile(fh)
            infos = [i for i in archive.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            self.report.add(path, "failed", reason=f"a readable zip archive ({e})")
            return
        from .onsides import is_onsides

        if is_onsides(i.filename for i in infos):
            self._onsides(lambda name: open_in_zip(archive, infos, name, path), path)
            return
        before = len(self.report.rows)
        self._members(archive, infos, path, depth)
        if len(self.report.rows) == before:
            self.report.add(path, "empty", reason="a zip holding label files; it holds none")

    def _members(self, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], path: str, depth: int) -> None:
        for info in infos:
            member = f"{path}!{info.filename}"
            base = info.filename.rsplit("/", 1)[-1]
            if base.startswith(".") or base.lower().endswith((".jpg", ".jpeg", ".png", ".gif", ".pdf")):
                continue  # DailyMed's per-label zips carry the label's images
            try:
                check_member(info, None, path)  # before anything is read: the sizes the zip declares
                with archive.open(info) as stream:
                    head = stream.read(4096)  # enough to tell its kind, and no more
                    kind = "zip" if head.startswith(b"PK\x03\x04") else sniff(head)
                    check_member(info, kind or "xml", path)
                    if kind == "zip":
                        data = head + stream.read()
                        self._zip(io.BytesIO(data), member, depth + 1)
                        continue
                with archive.open(info) as stream:
                    self._document(stream, head, member, info.file_size)
            except LabelError as e:
                self.report.add(e.path, "failed", e.record, reason=e.expected)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
                self.report.add(member, "failed", reason=f"a readable zip member ({type(e).__name__}: {e})")

    def _onsides(self, open_table: Callable[[str], BinaryIO | None], path: str) -> None:
        """One row for the release when terms came from it (imported, or held already) or when it holds
        none and nothing failed; a release that gave no term because something failed (a table missing,
        refused or unreadable) has its failed rows only."""
        from .onsides import read_onsides

        new = held = 0
        failed = False
        for item in _caught(read_onsides(open_table, path), path):
            self.stop()
            if isinstance(item, LabelError):
                self.report.add(item.path, "failed", item.record, reason=item.expected)
                failed = True
                continue
            label = (item.set_id, item.version)
            if label in self.known_terms and label not in self._new_term_labels:
                held += 1
                continue
            self._new_term_labels.add(label)
            self.writer.add_term(item)
            new += 1
        if new:
            self.report.add(path, "imported", reason=f"{new:,} OnSIDES terms"
                            + (f" ({held:,} of labels already held skipped)" if held else ""))
        elif held:
            self.report.add(path, "unchanged", reason=f"{held:,} OnSIDES terms, all of labels already held")
        elif not failed:
            self.report.add(path, "empty", reason="an OnSIDES release holding terms of US labels; it holds none")


def _failed_run(item: Label | LabelError | LabelBatch, run: int) -> int:
    """How many records in a row have failed, after ``item``."""
    outcomes = item.outcomes if isinstance(item, LabelBatch) else (item,)
    for outcome in outcomes:
        run = run + 1 if isinstance(outcome, LabelError) else 0
    return run


def _caught(items: Iterator, path: str) -> Iterator:
    """The items of a reader, ending with a LabelError instead of raising when a table cannot be opened
    (a member refused by :func:`check_member`, a broken zip): the release fails, the import goes on."""
    try:
        yield from items
    except LabelError as e:
        yield e
    except (OSError, EOFError, zipfile.BadZipFile) as e:
        yield LabelError(path, None, f"readable OnSIDES tables ({type(e).__name__}: {e})")


def import_labels(paths: Iterable[str | Path], into: str | Path, *, progress: bool | None = None,
                  workers: int | None = None, on_wait: Callable[[str], None] | None = None,
                  stop: Callable[[], None] = lambda: None) -> ImportReport:
    """Import label files, folders and zips into the label store ``into`` (created when missing).

    ``workers`` processes make the labels of large openFDA documents (a bulk part) while this one reads
    the JSON and writes the store; by default one per CPU, up to 8; 1 makes everything here (as on
    platforms that cannot fork). An import waits for another one into the same store to finish
    (``on_wait`` is told, with what its lock file says of it), then removes what imports killed outright
    left in the store. ``stop`` is called between inputs and records; what it raises stops the import,
    which then leaves the store as it was.

    Returns
    -------
    ImportReport
        One row per input (imported, unchanged, empty or failed, with the reason), per failed record and
        per label imported incomplete. The report is also written to ``into/reports/import-NNNN.csv``.
    """
    paths = [Path(p) for p in paths]
    into = Path(into).expanduser()
    if into.exists() and not into.is_dir():
        raise LabelError(str(into), None, "a folder to import into (a label store, or a new or empty folder); "
                                          "this is a file")
    if into.exists() and not (into / "manifest.json").exists() and any(
            not entry.name.startswith(_OWN_LEFTOVERS) for entry in into.iterdir()):
        raise LabelError(str(into), None, "an empty folder or a label store (manifest.json) to import into")
    into.mkdir(parents=True, exist_ok=True)
    with import_lock(into, on_wait):
        remove_leftovers(into)
        if (into / "manifest.json").exists():
            read_manifest(into)  # a clear error for a store of another format
        report = _import(paths, into, progress, default_workers(workers), stop)
    return report


def _import(paths: list[Path], into: Path, progress: bool | None, workers: int,
            stop: Callable[[], None]) -> ImportReport:
    bar = _progress(progress)
    importer = _Importer(into, bar.update if bar is not None else None, workers, stop)
    try:
        importer.run(paths)
        counts = importer.report.counts
        part = importer.writer.commit({"inputs": [str(p) for p in paths],
                                       "imported": counts.get("imported", 0) + counts.get("incomplete", 0)})
    except BaseException:
        importer.writer.abort()
        raise
    finally:
        importer.close()
        if bar is not None:
            bar.close()
    importer.report.part = part
    n = len(list((into / "reports").glob("import-*.csv"))) + 1 if (into / "reports").exists() else 1
    importer.report.write_csv(into / "reports" / f"import-{n:04d}.csv")
    return importer.report


def _progress(enabled: bool | None):
    """A tqdm counter of labels on an interactive terminal; nothing in CI or when output is piped."""
    if enabled is None:
        enabled = sys.stderr.isatty() and not os.environ.get("CI")
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit="label", desc="labels", file=sys.stderr)
