"""Input files: which there are under the paths given to an ingest, and reading one safely.

:func:`find_inputs` lists every non-hidden file under the given files and folders, and a report row for
each folder it does not read (one that cannot be read, a symbolic link to a folder); the workers read
each file with :func:`explorer.pages.pagefile.read_page` (regular files only, up to a size cap, never
blocking). Imports nothing heavy: the command line reads :data:`MAX_PAGE_BYTES` and the limits of one
page's parse from here.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, NamedTuple

# Reading one page file is the pages layer's (``explorer parse`` reads with it too); named here as well
# because the ingest and the command line have always found them here.
from ..pages.pagefile import MAX_PAGE_BYTES, Unreadable, file_kind, read_page  # noqa: F401

#: What parsing one page may cost (``explorer ingest --page-timeout``, ``--page-memory-mb``): the largest
#: real and test pages take at most 70 ms and no memory beyond what a parsing process holds once warmed up
#: (the lemma dictionary loaded); hostile ones (5 MB of list items: 15 s and 670 MB) fail alone.
PAGE_SECONDS = 10.0
PAGE_MEMORY_BYTES = 1024 * 2**20


def report_row(path, status, reason="", line=None, sha="", encoding="", fmt="", n=0) -> tuple:
    """One row of the ingest report, in the order of :data:`explorer.corpus.store.REPORT_COLUMNS`."""
    return (path, status, reason, line, sha, encoding, fmt, n)


def shown(path: str) -> str:
    """A path as text that can be stored and printed: bytes of a file name that are not UTF-8 as ``\\xNN``."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")


class Inputs(NamedTuple):
    """What :func:`find_inputs` found: the files to read, and a report row per folder not read."""

    files: list[str]
    skipped: list[tuple]


def find_inputs(paths: Iterable[str | Path], exclude: Path | None = None) -> Inputs:
    """Every non-hidden file under the given files and folders, sorted, as path strings; and a report
    row (failed or skipped, with the reason) for each folder that was not read.

    Paths keep the form the user gave (``data/raw`` -> ``data/raw/page.txt``), so each row of the
    corpus names its source the way the user knows it. Files are listed whatever their type (the
    workers read only regular files and report the rest); symbolic links to files are followed, links
    to folders are not (a link can lead back into the crawl, or to ``/``): each is reported skipped.
    The folder ``exclude`` (the output) and hidden files and folders (``.git``, ``.DS_Store``, the
    ingest's own temporary folders) are not inputs.
    """
    files: set[str] = set()
    rows: list[tuple] = []
    excluded = _identity(exclude) if exclude is not None else None
    seen: set[tuple[int, int]] = set()  # folders read, by device and inode: each is read once
    folders: list[str] = []
    for p in paths:
        if Path(p).is_dir():
            folders.append(os.path.normpath(str(p)))
        elif os.path.lexists(p):
            files.add(os.path.normpath(str(p)))
        else:
            raise FileNotFoundError(f"{p}: no such file or folder")
    while folders:
        folder = folders.pop()
        key = _identity(folder)
        if key is None or key == excluded or key in seen:
            continue  # gone meanwhile, the output folder, or given twice (raw and raw/sub)
        seen.add(key)
        try:
            with os.scandir(folder) as it:
                entries = [e for e in it if not e.name.startswith(".")]
        except OSError as e:
            rows.append(report_row(shown(folder), "failed", f"a folder that cannot be read: {e.strerror or e}"))
            continue
        for entry in entries:
            path = os.path.join(folder, entry.name)
            if not _is_folder(entry):
                files.add(os.path.normpath(path))
            elif entry.is_symlink():
                rows.append(report_row(shown(path), "skipped", "a symbolic link to a folder, not followed "
                                        f"(to read it, give {shown(os.path.realpath(path))} as an input)"))
            else:
                folders.append(path)
    return Inputs(sorted(files), sorted(rows))


def discover(paths: Iterable[str | Path], exclude: Path | None = None) -> list[str]:
    """The files :func:`find_inputs` finds under ``paths`` (sorted path strings)."""
    return find_inputs(paths, exclude).files


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False
