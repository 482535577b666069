"""Crawl metadata (``explorer ingest --meta FILE``): a CSV of path, url, drug, condition per page.

Crawlers know each page's address, and often the drug and condition they crawled it for. The file has
a header with ``path`` and any of ``url``, ``drug``, ``condition``; ``path`` is the page file, relative
to the CSV's folder or absolute. A page found here is read with its row: the drug and condition given
win over what the page's title says, and the address tells its site and, when the page names neither,
its drug and condition.
"""
from __future__ import annotations

import csv
import os
import stat
from pathlib import Path
from typing import NamedTuple

from ..pages.subject import Subject
from .files import file_kind

META_COLUMNS = ("path", "url", "drug", "condition")


class MetaError(ValueError):
    """A metadata file that cannot be used: names the file, the line and what was expected."""

    def __init__(self, path: str, line: int, expected: str):
        self.path, self.line, self.expected = str(path), line, expected
        super().__init__(f"{self.path}:{line}: {expected}")

    def __reduce__(self):
        return (MetaError, (self.path, self.line, self.expected))


class PageMeta(NamedTuple):
    """One page's metadata row."""

    url: str | None
    subject: Subject | None  # the drug and condition given (None when the row gives no drug)


def page_key(path: str | Path) -> str:
    """How a page's path is looked up: absolute and normalised."""
    return os.path.normcase(os.path.abspath(os.path.normpath(str(path))))


def load_meta(path: str | Path) -> dict[str, PageMeta]:
    """The metadata rows by page (:func:`page_key`).

    Raises
    ------
    MetaError
        When the file cannot be read or is not a regular file, has no ``path`` column, or a row has no path.
    """
    path = Path(path)
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):  # a named pipe would block the open, a device never end
            raise MetaError(str(path), 1, f"a regular CSV file; found {file_kind(st)}")
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip().casefold() for h in (reader.fieldnames or [])]
            if "path" not in header:
                raise MetaError(str(path), 1, f"a CSV header with a 'path' column (and url, drug, condition); "
                                              f"found {', '.join(header) or 'nothing'}")
            reader.fieldnames = header
            out: dict[str, PageMeta] = {}
            for row in reader:
                line = reader.line_num
                page = (row.get("path") or "").strip()
                if not page:
                    raise MetaError(str(path), line, "a page path in the 'path' column; it is empty")
                drug, condition = (row.get("drug") or "").strip(), (row.get("condition") or "").strip()
                subject = Subject(drug, condition or None, "meta", "meta" if condition else None) if drug else None
                out[page_key(path.parent / page if not os.path.isabs(page) else page)] = PageMeta(
                    (row.get("url") or "").strip() or None, subject)
    except OSError as e:
        raise MetaError(str(path), 1, f"a readable CSV file ({e.strerror or e})") from None
    except (UnicodeDecodeError, csv.Error) as e:
        raise MetaError(str(path), 1, f"a UTF-8 CSV file ({e})") from None
    return out
