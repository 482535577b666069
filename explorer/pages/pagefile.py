"""Reading one page file safely: regular files only, up to a size cap, never blocking.

What ``explorer parse`` (:func:`explorer.pages.read.read_file`) and the ingest's workers
(:mod:`explorer.corpus.ingest`) read a page file with: a named pipe would block them forever, and a link
to ``/dev/zero`` would grow their memory without limit. Imports nothing but the standard library.
"""
from __future__ import annotations

import os
import stat

#: The largest page read (``--max-page-mb`` of ``explorer ingest`` and ``explorer parse``), far above any
#: real page (saved HTML pages are at most a few MB): it bounds what one file can cost (a link to
#: /dev/zero, a stray disk image).
MAX_PAGE_BYTES = 50 * 2**20

_KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def file_kind(st: os.stat_result) -> str:
    """What a file is, in words, for a message ("a named pipe (FIFO)", "a character device", ...)."""
    return "a regular file" if stat.S_ISREG(st.st_mode) else _KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")


class Unreadable(OSError):
    """A page file that is not read: the reason, in words (for the report, or the command's message)."""


def read_page(path: str, max_bytes: int = MAX_PAGE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (links followed).

    Nothing else is read, and nothing blocks: a named pipe, device or socket is refused before it is
    opened (and the file is opened non-blocking, so that a pipe swapped in meanwhile cannot block
    either), and at most ``max_bytes + 1`` bytes are read from a file that grows.

    Raises
    ------
    Unreadable
        With the reason for the report.
    """
    def check(st: os.stat_result) -> int:
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable(f"not a regular file: {file_kind(st)}; only regular files are read")
        if st.st_size > max_bytes:
            raise Unreadable(_too_large(st.st_size, max_bytes))
        return st.st_size

    try:
        check(os.stat(path))
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except Unreadable:
        raise
    except OSError as e:
        raise Unreadable(f"cannot read: {e.strerror or e}") from None
    with open(fd, "rb", closefd=True) as fh:
        try:
            size = check(os.fstat(fd))  # the file may have been replaced since the first look
            # Its size, not the cap: reading max_bytes + 1 set aside 50 MB for every page.
            data = fh.read(size + 1)
            while len(data) <= max_bytes:  # it grew since: read on, a megabyte at a time, up to the cap
                more = fh.read(min(2**20, max_bytes + 1 - len(data)))
                if not more:
                    break
                data += more
        except Unreadable:
            raise
        except OSError as e:
            raise Unreadable(f"cannot read: {e.strerror or e}") from None
    if len(data) > max_bytes:
        raise Unreadable(_too_large(None, max_bytes))
    return data


def _too_large(size: int | None, max_bytes: int) -> str:
    what = f"{size:,} bytes, more" if size is not None else "more"
    return f"{what} than the {max_bytes / 2**20:g} MB a page may have (--max-page-mb); not read"
