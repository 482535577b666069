"""``explorer labels import``: label files of any supported kind -> the label store, with a report.

Inputs are recognised by their content, not their names: a JSON document is openFDA's drug-label format,
an XML document in the HL7 v3 namespace is DailyMed SPL, a folder or zip holding OnSIDES's tables is an
OnSIDES release, a zip of zips is DailyMed's bulk download, and a zip holding JSON is an openFDA bulk
part. Zips are read in place, member by member, and never extracted to disk; a member whose declared
size is beyond any real label file (or which inflates far more than text does) stops with a clear error
before it is opened, and zips nested deeper than DailyMed's zip of per-label zips (zipped once more) are
not read.

Every input, and every record of a bulk file that failed, gets a row in the import report (path,
record, status, key, reason); a bad file or record never costs the good ones beside it.
"""
from __future__ import annotations

import csv
import io
import os
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, TextIO

from concurrent.futures import Executor

from .records import Label, LabelError
from .store import LabelStore, PartWriter, read_manifest
from .workers import CAN_FORK, LabelBatch, default_workers, worker_pool

#: Largest member a zip may hold, by kind: an openFDA bulk part unzips to about 1 GB, one SPL document
#: to a few MB, OnSIDES's largest table to a few hundred MB.
MAX_MEMBER_BYTES = {"json": 4 << 30, "xml": 256 << 20, "zip": 1 << 30, "csv": 8 << 30}
#: Text compresses 5-15 times; a member that would inflate more than this is not a label file.
MAX_INFLATION = 200
#: Members smaller than this unzipped are not refused for their inflation (a short, repetitive file can
#: compress well beyond text's usual ratio and still be harmless).
INFLATION_FLOOR = 1 << 20
#: How deep zips may nest: DailyMed's bulk download is a zip of per-label zips (one level), and a user
#: may zip those up once more; anything deeper (a zip that holds itself, say) is not a label download.
MAX_ZIP_DEPTH = 2
#: JSON documents from this size on have their labels made in worker processes (about 200 labels; below
#: it, starting the workers costs more than they save).
PARALLEL_FROM_BYTES = 8 << 20
REPORT_COLUMNS = ("path", "record", "status", "key", "reason")
HL7_NAMESPACE = b"urn:hl7-org:v3"
UTF8_BOM = b"\xef\xbb\xbf"
#: What an interrupted import may leave in a store folder (see :class:`~explorer.labels.store.PartWriter`).
_OWN_LEFTOVERS = (".part.tmp-", ".manifest.json.tmp")


@dataclass
class ImportReport:
    """What an import did: one row per input and per failed record (the columns of REPORT_COLUMNS)."""

    rows: list[tuple] = field(default_factory=list)
    into: Path | None = None
    part: Path | None = None
    workers: int = 1  # processes that made labels: more than 1 when a large openFDA document was read

    def add(self, path: str, status: str, record: int | None = None, key: str = "", reason: str = "") -> None:
        self.rows.append((path, record, status, key, reason))

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in self.rows:
            out[row[2]] = out.get(row[2], 0) + 1
        return out

    @property
    def failed(self) -> list[tuple]:
        return [r for r in self.rows if r[2] == "failed"]

    def summary_line(self) -> str:
        c = self.counts
        parts = ", ".join(f"{n:,} {status}" for status, n in sorted(c.items()))
        return f"{parts or 'nothing read'} -> {self.into}"

    def write_csv(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(REPORT_COLUMNS)
            w.writerows(("" if v is None else v for v in row) for row in self.rows)


class _Importer:
    """One import run: routes each input to its reader and its records to the part being written."""

    def __init__(self, into: Path, progress: Callable[[int], None] | None, workers: int = 1):
        self.into = into
        self.workers = workers
        self._pool: Executor | None = None
        self.known = LabelStore(into).keys() if (into / "manifest.json").exists() else set()
        self.known_terms = LabelStore(into).term_labels() if (into / "manifest.json").exists() else set()
        self.writer = PartWriter(into)
        self.report = ImportReport(into=into)
        self.progress = progress
        self._new_term_labels: set[tuple[str, str]] = set()

    # -- what a reader gives
    def _label(self, item: Label | LabelError | LabelBatch, path: str) -> None:
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
        self.report.add(path, "imported", item.record, item.key)
        if self.progress is not None:
            self.progress(1)

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
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _batch(self, batch: LabelBatch, path: str) -> None:
        """Labels a worker made: each reported, those already held (or met earlier) left out."""
        skipped: set[int] = set()
        made = 0
        for outcome in batch.outcomes:
            if isinstance(outcome, LabelError):
                self.report.add(outcome.path, "failed", outcome.record, reason=outcome.expected)
                continue
            record, key = outcome
            if key in self.known:
                self.report.add(path, "unchanged", record, key)
                skipped.add(made)
            else:
                self.known.add(key)
                self.report.add(path, "imported", record, key)
            made += 1
        self.writer.add_tables(batch.without(skipped))
        if self.progress is not None and made > len(skipped):
            self.progress(made - len(skipped))

    # -- inputs
    def run(self, paths: Iterable[str | Path]) -> None:
        for p in paths:
            p = Path(p)
            if p.is_dir():
                self._folder(p)
            elif p.is_file():
                self._file(p)
            else:
                self.report.add(str(p), "failed", reason="no such file or folder")

    def _folder(self, folder: Path) -> None:
        try:
            names = sorted(os.listdir(folder))
        except OSError as e:
            self.report.add(str(folder), "failed", reason=f"a readable folder ({e.strerror or e})")
            return
        from .onsides import is_onsides

        if is_onsides(names):
            self._onsides(lambda name: _open_in_folder(folder, name), str(folder))
            return
        for name in names:
            if name.startswith("."):
                continue
            child = folder / name
            self._folder(child) if child.is_dir() else self._file(child)

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
            for item in read_openfda(stream, path, self.pool_for(size), window=2 * self.workers):
                self._label(item, path)
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
            self._onsides(lambda name: _open_in_zip(archive, infos, name, path), path)
            return
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

    def _onsides(self, open_table: Callable[[str], TextIO | None], path: str) -> None:
        from .onsides import read_onsides

        n = 0
        for item in _caught(read_onsides(open_table, path), path):
            if isinstance(item, LabelError):
                self.report.add(item.path, "failed", item.record, reason=item.expected)
                continue
            label = (item.set_id, item.version)
            if label in self.known_terms and label not in self._new_term_labels:
                continue
            self._new_term_labels.add(label)
            self.writer.add_term(item)
            n += 1
        already = self.known_terms - self._new_term_labels
        status = "imported" if n else "unchanged"
        self.report.add(path, status, reason=f"{n:,} OnSIDES terms" + (
            f"; labels already held were skipped" if already and not n else ""))


def _caught(items: Iterator, path: str) -> Iterator:
    """The items of a reader, ending with a LabelError instead of raising when a table cannot be opened
    (a member refused by :func:`check_member`, a broken zip): the release fails, the import goes on."""
    try:
        yield from items
    except LabelError as e:
        yield e
    except (OSError, EOFError, zipfile.BadZipFile) as e:
        yield LabelError(path, None, f"readable OnSIDES tables ({type(e).__name__}: {e})")


def sniff(head: bytes) -> str | None:
    """"json", "xml" or None, from a document's first bytes (byte-order mark and white space skipped)."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"{"):
        return "json"
    if text.startswith(b"<") and (HL7_NAMESPACE in head or b"<document" in head):
        return "xml"
    return None


def check_member(info: zipfile.ZipInfo, kind: str | None, archive: str) -> None:
    """Refuse a member that would inflate beyond any real label file (a zip bomb), from the sizes its zip declares.

    Parameters
    ----------
    info : zipfile.ZipInfo
        The member's entry in the zip's directory (zipfile never inflates a member beyond its declared size).
    kind : str or None
        "json", "xml", "zip" or "csv" once its first bytes have been read; None before anything is read
        (then the largest limit of any kind applies, and the inflation ratio).
    archive : str
        The zip's path, for the message.

    Raises
    ------
    LabelError
        Naming ``archive!member``, the limit and the declared size or ratio.
    """
    limit = MAX_MEMBER_BYTES.get(kind, MAX_MEMBER_BYTES["xml"]) if kind else max(MAX_MEMBER_BYTES.values())
    what = f"a {kind} label file" if kind else "any label file"
    where = f"{archive}!{info.filename}"
    if info.file_size > limit:
        raise LabelError(where, None, f"a member of at most {limit:,} bytes for {what}; it "
                                      f"declares {info.file_size:,} bytes unzipped (refused, not read)")
    if info.compress_size and info.file_size > MAX_INFLATION * info.compress_size and info.file_size > INFLATION_FLOOR:
        raise LabelError(where, None, f"a member that inflates like text (at most {MAX_INFLATION}x); it "
                                      f"inflates {info.file_size // max(info.compress_size, 1):,}x (refused, not read)")


def _open_in_folder(folder: Path, name: str) -> TextIO | None:
    for candidate in (folder / f"{name}.csv", folder / name):
        if candidate.is_file():
            return open(candidate, newline="", encoding="utf-8")
    return None


def _open_in_zip(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, path: str) -> TextIO | None:
    for info in infos:
        base = info.filename.rsplit("/", 1)[-1]
        if base in (f"{name}.csv", name):
            check_member(info, "csv", path)
            return io.TextIOWrapper(archive.open(info), encoding="utf-8", newline="")
    return None


def import_labels(paths: Iterable[str | Path], into: str | Path, *,
                  progress: bool | None = None, workers: int | None = None) -> ImportReport:
    """Import label files, folders and zips into the label store ``into`` (created when missing).

    ``workers`` processes make the labels of large openFDA documents (a bulk part) while this one reads
    the JSON and writes the store; by default one per CPU, up to 8; 1 makes everything here (as on
    platforms that cannot fork).

    Returns
    -------
    ImportReport
        One row per input (imported, unchanged or failed, with the reason) and per failed record. The
        report is also written to ``into/reports/import-NNNN.csv``.
    """
    paths = [Path(p) for p in paths]
    into = Path(into).expanduser()
    if into.exists() and not into.is_dir():
        raise LabelError(str(into), None, "a folder to import into (a label store, or a new or empty folder); "
                                          "this is a file")
    if into.exists() and not (into / "manifest.json").exists() and any(
            not entry.name.startswith(_OWN_LEFTOVERS) for entry in into.iterdir()):
        raise LabelError(str(into), None, "an empty folder or a label store (manifest.json) to import into")
    if (into / "manifest.json").exists():
        read_manifest(into)  # a clear error for a store of another format
    bar = _progress(progress)
    importer = _Importer(into, bar.update if bar is not None else None, default_workers(workers))
    try:
        importer.run(paths)
        part = importer.writer.commit({"inputs": [str(p) for p in paths],
                                       "imported": importer.report.counts.get("imported", 0)})
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
