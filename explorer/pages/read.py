"""Which extractor reads a page: the meds.is template parser on its own pages, the general one elsewhere.

:func:`read_bytes` tries the template parser first. A page it reads as the template's own (see
:func:`is_template_page`) keeps exactly the template's result, so the template's pages read as they
always did. A template-shaped page in which the template finds no side effects but the general
extractor does (another site's "X for Y" article) is the general extractor's. Any other page (no
template title, or a title the template would split wrongly) goes to the general extractor
(:mod:`explorer.pages.general`). The chosen extractor is recorded in ``Article.extractor``.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from itertools import repeat
from pathlib import Path
from typing import Iterable

from .address import html_address
from .decode import PageError, decode, looks_like_html
from .general import extract
from .lines import Line, text_indents, text_rows
from .names import drug_vocabulary
from .pagefile import MAX_PAGE_BYTES, read_page
from .records import Article, Source
from .sentences import page_sentences
from .subject import Subject
from .template import parse_rows, parse_text


def read_bytes(data: bytes, path: str, *, meta: Subject | None = None, address: str | None = None,
               given: Subject | None = None, drug_names: Iterable[str] = ()) -> Article:
    """Read one page's bytes with the extractor that fits it (see the module docstring), with its prose
    sentences as masked hashes (``Article.sentences``, :mod:`explorer.pages.sentences`).

    Raises
    ------
    PageError
        When the bytes are empty or binary, or neither extractor finds the page's drug.
    """
    text, encoding = decode(data, path)
    fmt = "html" if looks_like_html(text, path) else "text"
    if fmt == "text" and text.lstrip()[:1] in ("{", "[") and _is_json(text):
        raise PageError(path, 1, "a page of text or HTML; this file is JSON data")
    # the site comes from the address the metadata gives, else the one the page's HTML states (only the site:
    # the drug and condition are not read from an address the page gives itself)
    source = Source(path=str(path), sha256=hashlib.sha256(data).hexdigest(), encoding=encoding, format=fmt,
                    url=address or (html_address(text) if fmt == "html" else None))
    rows = text_rows(text) if fmt == "text" else None  # split once: for the parsers and the sentences
    try:
        article = parse_rows(*rows, source) if rows is not None else parse_text(text, source)
    except PageError:
        article = None
    template_page = article is not None and is_template_page(article)
    if template_page:
        if meta is not None and meta.drug:  # metadata names the drug and condition first, whoever reads the page
            article = dataclasses.replace(article, drug=meta.drug, drug_from="meta", **(
                {"condition": meta.condition, "condition_from": "meta"} if meta.condition else {}))
        if article.side_effects:
            return _with_sentences(article, _lines(text, rows))
    lines = _lines(text, rows)  # made once: for the general extractor and for the sentences
    try:
        indented = lines if rows is None else [  # sub-items are told by their indentation
            line._replace(indent=indent) for line, indent in zip(lines, text_indents(text, rows[0]))]
        general = extract(indented, source, meta=meta, address=address, given=given,
                          drug_names=drug_names, raw=text if fmt == "html" else None)
    except PageError:
        if template_page:
            return _with_sentences(article, lines)  # a template page without side effects: its reading stands
        raise
    return _with_sentences(article if template_page and not general.side_effects else general, lines)


def _with_sentences(article: Article, lines: list[Line]) -> Article:
    """The article with the sentences of its body lines (its headings left out)."""
    headings = [s.line for s in article.sections]
    return dataclasses.replace(article, sentences=page_sentences(lines, article.drug, article.condition, headings))


#: Words a template title never starts with: a question, or a headline around the drug ("Dosing ...").
_NOT_TEMPLATE_START = re.compile(r"^(?:how|does|do|can|could|is|are|will|should|what|why|when|using|taking|"
                                 r"dosing|best|guide|tips)\b", re.I)
_SUBTITLE = re.compile(r"[:?|]|\s[-–—]\s")


def is_template_page(article: Article) -> bool:
    """Whether the template parser's reading of a page is the meds.is template's: its title is a bare
    "<Drug> for <Condition>" (no subtitle, question or reversed form), and it is the page's first line
    or follows only the drug's name (the template's header: "Mirena", "Active Ingredients", ...). A site
    name, navigation or a byline above the title means another site's page."""
    drug, condition = article.drug, article.condition or ""
    if (_SUBTITLE.search(condition) or _NOT_TEMPLATE_START.match(drug) or len(drug.split()) > 3
            or len(condition.split()) > 8 or " with " in condition.casefold()):
        return False
    drugs = drug_vocabulary()
    if condition in drugs and drug not in drugs:
        return False  # "Highlights for amoxicillin": the drug stands after "for", no condition
    first = article.sections[0] if article.sections else None
    return first is not None and (first.kind == "title" or (
        first.kind == "header" and first.heading.strip().casefold() == drug.casefold()))


def read_file(path: str | Path, max_bytes: int = MAX_PAGE_BYTES, **kwargs) -> Article:
    """:func:`read_bytes` of a file: a regular file of at most ``max_bytes``, read without blocking
    (:func:`explorer.pages.pagefile.read_page`; a named pipe or a device raises
    :class:`~explorer.pages.pagefile.Unreadable`, an ``OSError``)."""
    return read_bytes(read_page(str(path), max_bytes), str(path), **kwargs)


def parse_file(path: str | Path, **kwargs) -> Article:
    """Read one page file of any site, text or HTML, with the extractor that fits it (``explorer.parse_file``).

    Keyword arguments are :func:`read_bytes`'s (``meta``, ``address``, ``given``, ``drug_names``).

    Raises
    ------
    PageError
        When the file is empty or binary, or no drug is found for it.
    Unreadable
        (an ``OSError``) When it is not a regular file (a named pipe, a device) or larger than 50 MB.
    """
    return read_file(path, **kwargs)


def lines_as_read(data: bytes, path: str = "<bytes>") -> tuple[list[Line], str]:
    """A page's numbered lines as its extractor reads them (an HTML page's main content), and its format.

    What the page view shows: the text a reader saw, with the line numbers every table cites.

    >>> lines, fmt = lines_as_read(b"Mirena for Back Pain\\n\\nCommon side effects\\n- Acne\\n")
    >>> fmt, [(line.number, line.text) for line in lines]
    ('text', [(1, 'Mirena for Back Pain'), (3, 'Common side effects'), (4, '- Acne')])
    """
    text, _ = decode(data, path)
    fmt = "html" if looks_like_html(text, path) else "text"
    return _lines(text, text_rows(text) if fmt == "text" else None), fmt


def _is_json(text: str) -> bool:
    import json

    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _lines(text: str, rows: tuple[list[int], list[str], list[str | None] | None] | None) -> list[Line]:
    """A page's lines: a text page's from its rows (:func:`~explorer.pages.lines.text_rows`), an HTML
    page's (``rows`` None) from its main content."""
    if rows is not None:
        numbers, texts, hints = rows
        return list(map(Line, numbers, texts, hints if hints is not None else repeat(None)))
    from .maincontent import main_lines  # the page's main content, chrome left out (lxml: HTML pages only)

    return main_lines(text)
