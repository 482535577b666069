"""Page bytes -> text: the encoding is detected and recorded; empty and binary files are refused.

Also :class:`PageError`, the one error a page that cannot be read raises, wherever in ``pages`` it is
found: it names the file, the 1-based line and what was expected.
"""
from __future__ import annotations

import re

#: Encodings tried in order for bytes that are not valid UTF-8; latin-1 decodes any byte.
FALLBACK_ENCODINGS = ("cp1252", "latin-1")
#: Share of control bytes (other than tab, line ends and form feed) above which a file is binary.
BINARY_CONTROL_SHARE = 0.05


class PageError(ValueError):
    """A page that cannot be parsed: names the file, the 1-based line and what was expected."""

    def __init__(self, path: str, line: int, expected: str):
        self.path, self.line, self.expected = str(path), line, expected
        super().__init__(f"{self.path}:{line}: {expected}")

    def __reduce__(self):  # survive pickling across worker processes
        return (PageError, (self.path, self.line, self.expected))


_CONTROL = re.compile(rb"[\x01-\x08\x0b\x0e-\x1f\x7f]")
_NOT_CONTROL = bytes(b for b in range(256) if not _CONTROL.match(bytes([b])))
_UTF8_BOM = b"\xef\xbb\xbf"


def decode(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode page bytes; return ``(text, encoding)``.

    UTF-8 (with or without byte-order mark) and UTF-16 with a byte-order mark are read as such; other
    bytes fall back to cp1252, then latin-1, and the encoding used is returned so it can be recorded.
    A UTF-8 file cut inside its last character keeps the characters before the cut.

    Raises
    ------
    PageError
        For an empty (or blank) file and for binary data (a NUL byte, or many control bytes).
    """
    if not data.strip():
        raise PageError(path, 1, "page text, found an empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        usable = data[: len(data) - len(data) % 2]  # a copy cut inside its last code unit
        try:
            return usable.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise PageError(path, 1, f"UTF-16 text after its byte-order mark, found undecodable bytes "
                                     f"at offset {e.start}") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise PageError(path, data.count(b"\n", 0, nul) + 1,
                        f"text, found binary data (NUL byte at offset {nul})")
    controls = len(data.translate(None, _NOT_CONTROL))
    if controls > BINARY_CONTROL_SHARE * len(data):
        first = _CONTROL.search(data).start()
        raise PageError(path, data.count(b"\n", 0, first) + 1,
                        f"text, found binary data ({controls} control bytes in {len(data)})")
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        # Cut inside the last character: UTF-8 only if the complete part proves it (it holds
        # multi-byte characters), since a cp1252 file ending in "é" fails in the same place.
        if e.reason == "unexpected end of data" and e.end == len(data) and not data[: e.start].isascii():
            return data[: e.start].decode("utf-8"), "utf-8"
    for encoding in FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


_HTML_START = re.compile(r"^\s*(?:<!doctype\s+html|<html\b|<head\b|<body\b|<h1\b|<div\b|<p\b)", re.I)


def looks_like_html(text: str, path: str = "") -> bool:
    """True for saved HTML (by file name or by how the text starts)."""
    if path.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    return bool(_HTML_START.match(text[:512]))

