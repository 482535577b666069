"""What an import's inputs are: a document's kind from its first bytes, the limits on zip members, and
the tables of an OnSIDES release opened in a folder or a zip (:mod:`explorer.labels.importer` reads them).
"""
from __future__ import annotations

import stat
import zipfile
from pathlib import Path
from typing import BinaryIO

from .records import LabelError

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
HL7_NAMESPACE = b"urn:hl7-org:v3"


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


def file_kind(mode: int) -> str:
    """What a file that is neither regular nor a folder is, for a message."""
    kinds = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def open_in_folder(folder: Path, name: str) -> BinaryIO | None:
    for candidate in (folder / f"{name}.csv", folder / name):
        if candidate.is_file():  # a regular file (a FIFO or a device is not)
            return open(candidate, "rb")
    return None


def open_in_zip(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, path: str) -> BinaryIO | None:
    for info in infos:
        base = info.filename.rsplit("/", 1)[-1]
        if base in (f"{name}.csv", name):
            check_member(info, "csv", path)
            return archive.open(info)
    return None
