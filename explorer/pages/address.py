"""A page's own address, as its HTML states it: ``<link rel="canonical">``, else ``<meta property="og:url">``.

Read from the document's head only (a link quoted in an article's body is not the page's address), with
the standard library's tolerant HTML tokenizer; only an absolute http or https address counts, since
a relative one names no site. Pure: no pandas, no file access.
"""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

#: How much of a page the head is looked for in (a head is a few kilobytes; a page may be megabytes).
HEAD_CHARS = 200_000


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.canonical: str | None = None
        self.og_url: str | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "body":
            self.done = True
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "link" and self.canonical is None and "canonical" in a.get("rel", "").lower().split():
            self.canonical = _absolute(a.get("href", ""))
        elif tag == "meta" and self.og_url is None and a.get("property", a.get("name", "")).lower() == "og:url":
            self.og_url = _absolute(a.get("content", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.done = True


def _absolute(url: str) -> str | None:
    url = url.strip()
    parts = urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def html_address(text: str) -> str | None:
    """The address an HTML page gives itself in its head: the canonical link, else og:url; None when neither
    is an absolute http(s) address.

    >>> html_address('<html><head><link rel="canonical" href="https://a.test/p"></head><body></body></html>')
    'https://a.test/p'
    >>> html_address('<head><meta property="og:url" content="/relative"></head>') is None
    True
    """
    head = _Head()
    head.feed(text[:HEAD_CHARS])
    return head.canonical or head.og_url
