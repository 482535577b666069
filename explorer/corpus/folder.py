"""The folder an ingest writes: what it may replace, one writer at a time, the swap, and what interrupted
runs left behind.

A corpus is written into a temporary folder ``.<name>.tmp-<random>`` beside ``out`` and swapped in at the
end (``out`` -> ``.<name>.old-<pid>``, the temporary folder -> ``out``, then the old one is removed), so the
old corpus is never removed before the new one is in place. Nothing else is ever replaced:

- ``out`` must be missing, empty, or a folder the ingest could have written itself: a corpus manifest of
  ours (:func:`load_manifest`) and nothing but corpus files (:data:`CORPUS_FILES`). Anything else is
  refused by name, and nothing is deleted.
- one writer at a time (:class:`FolderLock`): a lock file ``.<name>.lock`` beside ``out``, held with
  ``fcntl.flock``, which the kernel releases when its holder dies, however it dies. The holder's PID is
  written in it so that a second ingest can say who holds it.
- while holding the lock, the temporary and old folders of earlier runs that were killed mid-way are
  removed (:func:`clean_leftovers`; only folders named as ours that hold nothing but corpus files). A run
  killed between the two renames of the swap left no ``out`` but a complete old corpus: it is put back.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import stat
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .. import config
from .tables import STORED_TABLES

FORMATS = ("parquet", "csv")
#: Every file an ingest writes into a corpus folder.
CORPUS_FILES = frozenset({"manifest.json", "report.csv"} | {f"{t}.{fmt}" for t in STORED_TABLES for fmt in FORMATS})
#: The subfolder of a corpus folder where the audit of the corpus is saved (:mod:`explorer.audit.audit`),
#: and the files it writes there (its temporary files are these names + ``.tmp-<random>``).
AUDIT_FOLDER = "audit"
AUDIT_FILES = frozenset({"audit.json", "audit.lock", "claims.parquet", "premises.parquet", "numbers.parquet"})
_AUDIT_TMP = re.compile(r"(?:" + "|".join(re.escape(n) for n in sorted(AUDIT_FILES)) + r")\.tmp-[0-9a-f]+\Z")
#: The temporary and old folders of a corpus folder named ``name`` (``.name.tmp-x8Yq2`` and ``.name.old-4242``).
_LEFTOVER = r"\.(tmp|old)-[A-Za-z0-9_]+\Z"


class CorpusError(RuntimeError):
    """A corpus folder that is missing or not in the expected form."""


class DamagedCorpusError(CorpusError):
    """A corpus file that exists but cannot be read: truncated, zero bytes, bit-flipped, not what it should be."""


def named(out: str | Path) -> Path:
    """``out`` as a path with a name (``.`` and ``..`` made absolute), so that its temporary folder, old
    folder and lock file can be named beside it."""
    out = Path(out)
    return Path(os.path.abspath(out)) if out.name in ("", "..") else out


def rebuild_hint(root: str | Path) -> str:
    """What to do about a damaged corpus at ``root``: re-run the ingest that writes it, in full."""
    try:
        embedded = Path(root).resolve() == config.CORPUS_DIR.resolve()
    except OSError:
        embedded = False
    if embedded:
        return "rebuild it: explorer ingest data/raw --out data/corpus --format csv --full"
    return "rebuild it: re-run explorer ingest on its pages with --full"


def reason(exc: BaseException) -> str:
    """An exception as a short phrase for a one-line message (no class paths, no traceback)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


def damaged(path: str | Path, exc: BaseException, root: str | Path | None = None) -> CorpusError:
    """The error for a corpus file that cannot be read: names the file, what went wrong and what to do.

    A file the system refuses to open (permissions) is not damaged: its error says so and gives no hint.
    """
    path = Path(path)
    if isinstance(exc, OSError) and exc.errno is not None:
        return CorpusError(f"{path}: cannot be read ({reason(exc)})")
    return DamagedCorpusError(f"{path}: damaged, cannot be read ({reason(exc)}); "
                              f"{rebuild_hint(root if root is not None else path.parent)}")


def load_manifest(root: str | Path) -> dict:
    """The manifest of a corpus folder, checked to be one of ours (any format version).

    Raises
    ------
    CorpusError
        When there is no ``manifest.json``, or it is a manifest of something else (a label store's).
    DamagedCorpusError
        When it cannot be read as JSON.
    """
    root = Path(root)
    mf = root / "manifest.json"
    if not mf.exists():
        hint = (" Build it with: explorer ingest data/raw --out data/corpus --format csv --full"
                if root == config.CORPUS_DIR else "")
        raise CorpusError(f"{root}: no manifest.json, so this is not a corpus folder written by "
                          f"'explorer ingest'.{hint}")
    try:
        manifest = json.loads(mf.read_bytes().decode("utf-8"))
    except (ValueError, OSError) as e:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise damaged(mf, e, root) from None
    if not (isinstance(manifest, dict) and isinstance(manifest.get("format_version"), int)
            and manifest.get("table_format") in FORMATS and isinstance(manifest.get("rows"), dict)):
        raise CorpusError(f"{mf}: not a corpus manifest written by 'explorer ingest' (expected format_version, "
                          f"table_format ({' or '.join(FORMATS)}) and rows)")
    return manifest


def _only_corpus_files(folder: str | Path) -> list[str]:
    """The entries of ``folder`` that an ingest or an audit does not write (sorted; empty for a folder of
    ours). The audit subfolder counts as ours when it holds nothing but audit files."""
    with os.scandir(folder) as entries:
        return sorted(e.name for e in entries
                      if not (e.name in CORPUS_FILES and e.is_file(follow_symlinks=False))
                      and not (e.name == AUDIT_FOLDER and e.is_dir(follow_symlinks=False)
                               and _only_audit_files(e.path)))


def _only_audit_files(folder: str) -> bool:
    with os.scandir(folder) as entries:
        return all((e.name in AUDIT_FILES or _AUDIT_TMP.match(e.name)) and e.is_file(follow_symlinks=False)
                   for e in entries)


def check_replaceable(out: Path, *, damaged_ok: bool = False) -> None:
    """Refuse, deleting nothing, unless ``out`` is missing, empty, or a corpus folder the ingest wrote.

    ``damaged_ok``: a folder of corpus files whose manifest cannot be read may be replaced (``--full``).

    Raises
    ------
    CorpusError
        Naming the folder and why it is not replaced.
    """
    refuse = f"{out}: exists and is not a corpus folder written by explorer ingest"
    advice = "refusing to replace it; give --out a new folder (or a corpus folder written by explorer ingest)"
    if os.path.islink(out):
        raise CorpusError(f"{out}: a symbolic link (to {os.path.realpath(out)}); refusing to replace it; "
                          "give --out the folder itself")
    if not os.path.lexists(out):
        return
    if not out.is_dir():
        raise CorpusError(f"{refuse} (it is a file); {advice}")
    try:
        foreign = _only_corpus_files(out)
        empty = not foreign and not any(out.iterdir())
    except OSError as e:
        raise CorpusError(f"{out}: cannot be read ({reason(e)}); refusing to replace it") from None
    if empty:
        return
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise CorpusError(f"{refuse} (it holds {shown}); {advice}")
    try:
        load_manifest(out)
    except DamagedCorpusError as e:
        if not damaged_ok:
            raise CorpusError(f"{e}; --full replaces it") from None
    except CorpusError as e:
        raise CorpusError(f"{refuse} ({str(e).removeprefix(f'{out}: ')}); {advice}") from None


class FolderLock:
    """One writer at a time for the corpus folder ``out``: ``fcntl.flock`` on ``.<name>.lock`` beside it.

    The kernel releases the lock when the holder's file is closed, which happens when the process ends
    however it ends (``kill -9`` included), so a lock is never left held by a dead process. The lock
    file is removed on release; the holder checks after locking that the file it locked is still the
    one at that path, so a file removed meanwhile is never taken for the lock.
    """

    def __init__(self, out: str | Path):
        self.out = named(out)
        self.path = self.out.parent / f".{self.out.name}.lock"
        self.fd: int | None = None

    def acquire(self) -> "FolderLock":
        """Take the lock, or refuse at once naming the holder's PID.

        Raises
        ------
        CorpusError
            When another process holds it, or the lock file cannot be created.
        """
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
            except OSError as e:
                raise CorpusError(f"{self.path}: cannot create the lock file of {self.out} ({reason(e)})") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
                os.close(fd)
                raise CorpusError(f"{self.out}: another ingest (PID {holder}) is writing this corpus folder "
                                  f"(lock {self.path.name}); wait for it to end, then run again") from None
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)  # the holder before us removed that file on release: lock the new one
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except OSError:  # a full disk: the lock holds all the same, only its PID goes unsaid
            pass
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.unlink(self.path)  # still holding it: no other process can have locked this file
        except OSError:
            pass
        os.close(self.fd)
        self.fd = None

    def __enter__(self) -> "FolderLock":
        return self.acquire() if self.fd is None else self

    def __exit__(self, *exc) -> None:
        self.release()


def clean_leftovers(out: Path) -> list[Path]:
    """Remove the temporary and old folders of earlier runs of ``out`` that were killed mid-way.

    Call it holding ``out``'s :class:`FolderLock`: every writer of ``out`` holds it, so no live process
    is writing these. Only folders named as ours (``.<name>.tmp-*``, ``.<name>.old-*``) that hold
    nothing but corpus files are touched. When ``out`` is missing and an old folder holds a corpus (a run
    killed between the two renames of the swap), that corpus is put back at ``out``.

    Returns the folders removed or put back.
    """
    pattern = re.compile(re.escape(f".{out.name}") + _LEFTOVER)
    try:
        with os.scandir(out.parent) as entries:
            leftovers = sorted(Path(e.path) for e in entries
                               if pattern.match(e.name) and e.is_dir(follow_symlinks=False))
    except OSError:
        return []
    done = []
    for folder in leftovers:
        try:
            if _only_corpus_files(folder):
                continue  # named like ours but holding something else: not ours to delete
            if ".old-" in folder.name and not os.path.lexists(out) and (folder / "manifest.json").exists():
                os.replace(folder, out)
            else:
                shutil.rmtree(folder)
        except OSError:
            continue
        done.append(folder)
    return done


def prepare(out: Path, *, damaged_ok: bool = False) -> FolderLock:
    """Lock ``out``, clean what interrupted runs left, and check that it may be replaced.

    Returns the held lock (release it when done).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = FolderLock(out).acquire()
    try:
        clean_leftovers(out)
        check_replaceable(out, damaged_ok=damaged_ok)
    except BaseException:
        lock.release()
        raise
    return lock


def make_temporary(out: Path) -> Path:
    """A new, empty folder beside ``out`` to write into, with the mode the user's umask gives."""
    while True:
        tmp = out.parent / f".{out.name}.tmp-{secrets.token_hex(4)}"
        try:
            os.mkdir(tmp, 0o777)  # the umask applies, as for any folder the user makes (mkdtemp gives 0700)
            return tmp
        except FileExistsError:
            continue


def swap_into_place(tmp: Path, out: Path) -> None:
    """Replace ``out`` by ``tmp``; the old folder is removed only once the new one is in place.

    The new folder takes the old one's mode. Ctrl-C or SIGTERM between the two renames is held until
    both are done, so an interrupted swap never leaves ``out`` missing.
    """
    check_replaceable(out, damaged_ok=True)  # checked before the work began; the folder may have changed since
    if os.path.lexists(out):
        os.chmod(tmp, stat.S_IMODE(os.stat(out).st_mode))
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        with _signals_held():
            os.replace(out, old)
            os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)  # what is left (an error) is removed by the next run
    else:
        os.replace(tmp, out)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM for the duration of the block; deliver them after it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {s: signal.signal(s, lambda n, _frame: caught.append(n)) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)
        if caught:
            signal.raise_signal(caught[0])
