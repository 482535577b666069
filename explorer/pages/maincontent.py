"""Saved HTML -> the numbered lines of the page's main content only (boilerplate left out).

:func:`main_lines` gives the same :class:`~explorer.pages.lines.Line` rows as
:func:`~explorer.pages.lines.html_lines` (one line per block, numbered by the line of the HTML file
where the block's text starts, the same hints), but only for the page's main content, plus the
document ``<title>`` (hint ``"title"``):

1. Page chrome is left out: ``<script>``, ``<style>``, ``<noscript>``, ``<template>``, ``<svg>``,
   ``<nav>``, ``<aside>``, ``<form>`` (and the other tags in ``_DROPPED_TAGS``), ``<header>`` and
   ``<footer>`` outside an ``<article>`` / ``<main>``, elements whose ``role`` is navigation, banner,
   contentinfo, complementary or search, and elements whose ``id`` or ``class`` names a cookie or
   consent banner, a newsletter box, share buttons, breadcrumbs, a sidebar, an ad, comments, related or
   recommended links, or a menu (``_CHROME_WORDS``). Text is never looked at: an article sentence about
   "related" side effects or a reader's "comment" stays.
2. Then only the main block is read: the largest ``<main>`` (or ``role="main"``), else the largest
   ``<article>`` outside the chrome, provided it holds at least a third of the page's visible text;
   otherwise the whole page. A box named like chrome that holds the ``<h1>`` or ``<main>`` and at
   least half the text is a layout wrapper ("layout-sidebar-right", or a header left unclosed that
   swallowed the page) and is kept.
3. A table row is one line, its cells joined by ``" | "`` (hint ``None``), unless the table lays out the
   page (a cell holds a heading, a list or another table): then its cells are read as blocks.

Choice, by measurement (``python benchmarks/maincontent.py`` on the 9 invented pages of
``tests/fixtures/maincontent/``, 1-3 KB each, and on copies padded with chrome to about 73 KB; median of
5 runs, ms per page, 2-core machine under a load of about 2, 2026-12-01; timings moved by up to 2x
between runs, lxml and selectolax traded places, the others kept their order):

=================================  ======  =======  =========  ==============  ============
candidate                          2 KB    73 KB    main kept  chrome dropped  source lines
=================================  ======  =======  =========  ==============  ============
``html_lines`` (whole page, bs4)   2.7     33.2     91%        13%             yes
lxml + these rules (chosen)        0.7     1.4      100%       100%            yes
selectolax 1.0 + the same rules    0.6     1.5      100%       100%            no
trafilatura 2.3                    10.8    76.2     84%        93%             no
readability-lxml 0.9               4.2     24.7     85%        89%             no
trafilatura, mapped to html_lines  14.7    132.3    84%        93%             mapped
=================================  ======  =======  =========  ==============  ============

"Main kept" is the share of expected lines found in the output, "chrome dropped" the share of the
page's other text runs (menu items, banner sentences, comments) not found there; the expected lines
were settled page by page against these rules, so the rules' 100% says they fit these layouts, not
every site. lxml is chosen: it is
already a dependency, it is as fast as selectolax (Lexbor) here, and it is the only one of them that
says where each element is (``sourceline``: the line where its start tag ends, so where its text
starts; selectolax has no source positions). trafilatura and readability return re-serialised text
without positions, drop the link lists the template reads ("Related Articles") and byline lines,
shorten the title, keep some banner or ad text, and cost 6-55x as much; mapping trafilatura's text
back onto html_lines's numbered lines keeps its misses and adds html_lines's cost.

Limits, from libxml2: elements nested deeper than 2,048 levels stop the parse (what came before is
returned), and past line 65,535 line numbers are counted from the newlines of the text (libxml2 stops
counting there), so newlines inside tags beyond that line are missed.
"""
from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

# The block, hint and list rules are html_lines's own, so both readers number and hint alike.
from .lines import _BLOCKS, _HINTS, _LISTS, Line

_DROPPED_TAGS = frozenset(
    "script style noscript template svg math nav aside form iframe frame frameset button select "
    "textarea dialog object embed canvas video audio title".split())  # the <title> is read apart
#: What the whole-page reading (:func:`page_lines`) leaves out: code, styles, the head, menus and forms.
_WHOLE_DROPPED = frozenset("script style noscript template head svg iframe nav button select form".split())
_CHROME_ROLES = frozenset("navigation banner contentinfo complementary search dialog alertdialog menu "
                          "menubar toolbar".split())
# A word anywhere in a class or id ("post-comments", "shareButtons", "cookie_notice").
_CHROME_WORDS = frozenset(
    "cookie cookies consent gdpr ccpa cmp newsletter newsletters subscribe subscription signup optin "
    "share sharing sharethis addthis social socials breadcrumb breadcrumbs crumbs sidebar sidebars "
    "rail ad ads advert adverts advertisement advertising adslot adunit dfp sponsor sponsored promo "
    "promoted outbrain taboola comment comments commentlist disqus related recommended "
    "recommendations trending menu menus submenu megamenu nav navbar navigation pagination pager "
    "masthead topbar toolbar popup modal overlay".split())
# Whole class names only: "header" alone is the site's, "entry-header" is the article's.
_CHROME_CLASSES = frozenset(
    "header footer site-header site-footer page-footer global-header global-footer footer-links "
    "side-bar side-nav skip-link skiplink".split())
# "has-sidebar", "no-comments": a word after one of these describes the layout, not the box.
_MODIFIERS = frozenset("has no with without show hide is".split())
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
_ROW_LAYOUT = ("table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "li")
_CELL = "\x1f"  # marks where a table cell starts in a row's buffer (a control character)
_LINE_CAP = 65535  # libxml2 stores line numbers in 16 bits for HTML; past it sourceline sticks here
_ITEM_HINTS = ("title", "heading", "bullet")


def main_lines(html: str) -> list[Line]:
    """The page's ``<title>`` and the lines of its main content, numbered as in the HTML file.

    Parameters
    ----------
    html : str
        A saved page, decoded (:func:`explorer.pages.decode.decode`).

    Returns
    -------
    list of Line
        The ``<title>`` (hint ``"title"``) first, then each block of the main content in order, with
        :func:`~explorer.pages.lines.html_lines`'s numbering and hints; table rows are one line each
        (cells joined by ``" | "``, hint ``None``). Empty when nothing could be read; hostile markup
        (broken tags, deep nesting, huge attributes) returns what the parser could read, never raises.

    Examples
    --------
    >>> page = '<title>Zelmora</title>\\n<nav>Home</nav>\\n<main><h1>Zelmora for Knee Pain</h1></main>'
    >>> main_lines(page)
    [Line(number=1, text='Zelmora', hint='title', indent=0), Line(number=3, text='Zelmora for Knee Pain', hint='title', indent=0)]
    """
    root = _parse(html)
    if root is None:  # an empty document, or nothing the parser could read
        return []
    out: list[Line] = []
    title = root.find("head/title")
    if title is not None and title.text and title.text.strip():
        text = title.text
        lead = len(text) - len(text.lstrip())
        out.append(Line((title.sourceline or 1) + text.count("\n", 0, lead), " ".join(text.split()),
                        "title"))
    # The whole <html>, not its <body>: libxml2 leaves elements it does not know (<nav>, <main>,
    # <article>) in the <head> when no <body> tag or body element came before them.
    holders = _holders(root)
    sizes, mains, articles = _survey(root, holders)
    container, in_main = _container(root, sizes, mains, articles)
    _read(container, in_main, holders, sizes, out)
    return out


def page_lines(html: str) -> list[Line]:
    """Every block of a saved page as numbered lines, the whole page and not only its main content: the
    template parser's reading of an HTML page (:func:`explorer.pages.lines.html_lines`).

    The same walk as :func:`main_lines`, with the rules the template parser always had: scripts, styles,
    the ``<head>``, navigation, forms and their controls are left out, nothing else; every table cell is a
    block of its own; the ``<title>`` is not read (an ``<h1>`` is the page's title).

    >>> page_lines('<title>Site</title><nav>Home</nav><h1>Zelmora for Knee Pain</h1><p>Text.</p>')
    [Line(number=1, text='Zelmora for Knee Pain', hint='title', indent=0), Line(number=1, text='Text.', hint='prose', indent=0)]
    """
    root = _parse(html)
    if root is None:
        return []
    out: list[Line] = []
    _read(root, False, set(), {}, out, whole=True)
    return out


def _parse(html: str):
    """The page's element tree (lxml), or None when there is nothing to read."""
    # Line ends as an editor counts them (text_lines's rule); libxml2 would count only "\n".
    if "\r" in html:
        html = html.replace("\r\n", "\n").replace("\r", "\n")
    # Bytes with a fixed encoding: a str with an XML encoding declaration is refused by lxml, and a
    # <meta charset> must not re-decode text that is already decoded.
    # etree's parser, not lxml.html's: its per-element class lookup (Python) doubled the time.
    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True)  # huge_tree: 2,048 levels, not 256
    try:
        return etree.fromstring(html.encode("utf-8", "replace"), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def _holders(root) -> set:
    """The elements that hold an <h1>, a <main> or a ``role="main"``: the page's title or main block."""
    holders: set = set()
    found = root.xpath("//h1 | //main"
                       " | //*[@role][translate(normalize-space(@role), 'MAIN', 'main') = 'main']")
    for el in found:
        for ancestor in el.iterancestors():
            if ancestor in holders:
                break  # the rest of the way up is in already: linear, however deep the nesting
            holders.add(ancestor)
    return holders


def _survey(page, holders: set) -> tuple[dict, list, list]:
    """One pass over the page, chrome left out: each element's visible text size, the <main>s and the
    <article>s (an <article> card in a "related" rail is not the page's).

    Iterative, and linear in the number of elements: pages can nest thousands deep.
    """
    sizes: dict = {}
    mains, articles = [], []
    stack: list[tuple] = [(page, False)]
    while stack:
        el, ending = stack.pop()
        if ending:  # children are done: add up their text (a skipped child has no size)
            size = len(el.text.strip()) if el.text else 0
            for child in el:
                if child.tail:
                    size += len(child.tail.strip())
                size += sizes.get(child, 0)
            sizes[el] = size
            continue
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if el is not page:
            kind = _chrome(el, True)
            if kind == 1 or (kind == 2 and el not in holders):
                continue
        if tag == "main" or (el.get("role") or "").strip().lower() == "main":
            mains.append(el)
        elif tag == "article":
            articles.append(el)
        stack.append((el, True))
        stack.extend((child, False) for child in el)
    return sizes, mains, articles


def _container(page, sizes: dict, mains: list, articles: list) -> tuple[object, bool]:
    """The element that holds the main content, and whether it is a <main>/<article> itself."""
    # A third of the visible text: a <main> that wraps only a hero image, or an <article> that is a
    # teaser card, is not the page's content.
    floor = sizes.get(page, 0) / 3
    for group in (mains, articles):
        if group:
            best = max(group, key=lambda el: sizes.get(el, 0))
            if sizes.get(best, 0) >= floor:
                return best, True
    return page, False


def _chrome(el, in_main: bool) -> int:
    """1 when ``el`` is page chrome by its tag or role, 2 by its class or id, else 0; ``in_main``:
    inside an <article>/<main>, where a <header> or <footer> is the article's own."""
    tag = el.tag
    if not isinstance(tag, str):
        return 0  # comments and processing instructions hold no page text
    if tag in _DROPPED_TAGS or (not in_main and tag in ("header", "footer")):
        return 1
    role = el.get("role")
    if role and role.strip().lower() in _CHROME_ROLES:
        return 1
    for name in ("class", "id"):
        value = el.get(name)
        # A megabyte-long class says nothing more than its start.
        if value and _chrome_names(value[:512]):
            return 2
    return 0


@lru_cache(maxsize=4096)
def _chrome_names(value: str) -> bool:
    """Whether a class or id value names a chrome box, as a whole ("footer") or by a word."""
    for token in value.split():
        if token.lower() in _CHROME_CLASSES:
            return True
        previous = ""
        for word in _WORD.findall(token):
            word = word.lower()
            if word in _CHROME_WORDS and previous not in _MODIFIERS:
                return True
            previous = word
    return False


def _read(container, in_main: bool, holders: set, sizes: dict, out: list[Line], whole: bool = False) -> None:
    """Append the lines of ``container``'s text to ``out``, walking it without recursion: the main content's
    rules, or (``whole``) the whole page's (:func:`page_lines`)."""
    buf: list[str] = []
    start = 0  # line where the buffered text starts (0: nothing buffered yet)
    line = container.sourceline or 1

    def add(text: str | None) -> None:
        nonlocal start, line
        if not text:
            return
        if not start:
            lead = len(text) - len(text.lstrip())
            if lead < len(text):
                start = line + text.count("\n", 0, lead)
        buf.append(text)
        line += text.count("\n")

    def flush(hint: str | None, row: bool = False, depth: int = 0) -> None:
        nonlocal start
        joined = "".join(buf)
        if row:
            text = " | ".join(filter(None, (" ".join(cell.split()) for cell in joined.split(_CELL))))
        else:
            text = " ".join(joined.split())
        if text:
            # a list item's indent is how deep it is nested: the signs listed under an item are not items
            out.append(Line(start, text, hint, depth if hint == "bullet" else 0))
        buf.clear()
        start = 0

    add(container.text)
    # Each entry: (element, context, items) to start an element, or (element, None, kind, context, items)
    # to end it; a context is (hint, in_item, in_main, in_row), a kind says what its end does, and items
    # is how many list items the element stands inside (carried down the walk: counting its ancestors
    # at every block made nested markup quadratic).
    context = (None, False, in_main, False)
    items = _nesting(container) + (container.tag == "li")
    stack: list[tuple] = [(child, context, items) for child in reversed(container)]
    while stack:
        entry = stack.pop()
        el = entry[0]
        if len(entry) == 5:  # the end of an element
            kind, (hint, _, _, _) = entry[2], entry[3]
            if kind == "block":
                flush(hint, depth=entry[4])
            elif kind == "row":
                flush(None, row=True)
            elif kind == "spaced":
                buf.append(" ")
            add(el.tail)  # the tail is the parent's text
            continue
        (hint, in_item, inside, in_row), items = entry[1], entry[2]
        sourceline = el.sourceline
        if sourceline and sourceline < _LINE_CAP:
            line = sourceline
        tag = el.tag
        chrome = (1 if tag in _WHOLE_DROPPED else 0) if whole else _chrome(el, inside)
        if chrome == 2 and el in holders and 2 * sizes.get(el, 0) >= sizes.get(container, 0):
            # Named like chrome but holding the title or main block and at least half the text: a
            # layout wrapper ("layout-sidebar-right"), or a header left unclosed that swallowed the
            # page. A site header with a logo <h1> holds little text and goes.
            chrome = 0
        if not isinstance(tag, str) or chrome:
            # Skipped, but its newlines still count, so the text after it gets its own line.
            if isinstance(tag, str):
                line = _end_line(el, line)
            elif el.text and not (sourceline and sourceline < _LINE_CAP):
                line += el.text.count("\n")  # a comment past the cap: sourceline no longer says
            add(el.tail)
            continue
        inner = (hint, in_item, inside or tag in ("article", "main")
                 or (el.get("role") or "").strip().lower() == "main", in_row)
        if tag == "tr" and not whole and not in_row and not any(True for _ in el.iter(*_ROW_LAYOUT)):
            flush(hint)
            kind, inner = "row", (None, True, inner[2], True)
        elif in_row and tag in ("td", "th"):
            buf.append(_CELL)
            kind = "inline"
        elif tag in _BLOCKS and (not in_item or tag in _LISTS):
            flush(hint, depth=max(0, items - 1))  # the text of the item this list is nested in
            own = _HINTS.get(tag)
            if own == "prose" and _bold_only(el):
                own = None  # <p><strong>Rare Side Effects</strong></p> is a heading in disguise
            kind, inner = "block", (own, own in _ITEM_HINTS, inner[2], False)
        elif tag in _BLOCKS:  # a block inside an item or a row: part of the same line
            buf.append(" ")
            kind = "spaced"
        else:
            kind = "inline"
        add(el.text)
        stack.append((el, None, kind, inner, items))
        below = items + (tag == "li")
        stack.extend((child, inner, below) for child in reversed(el))
    flush(None)


def _nesting(el) -> int:
    """How many list items ``el`` stands inside (0 for a top-level item or any other element)."""
    return sum(1 for _ in el.iterancestors("li"))


def _end_line(el, line: int) -> int:
    """The line where a skipped element's content ends: its last descendant's line plus the newlines
    of the text after it."""
    chain = [el]
    while len(chain[-1]):
        chain.append(chain[-1][-1])
    last = chain[-1]
    sourceline = last.sourceline
    end = sourceline if sourceline and sourceline < _LINE_CAP else line
    if isinstance(last.tag, str):  # a comment's sourceline is already the line where it ends
        end += (last.text or "").count("\n")
    for node in chain[1:]:
        end += (node.tail or "").count("\n")
    return max(end, line)


def _bold_only(el) -> bool:
    """A paragraph whose whole text is one <strong> or <b> element."""
    if el.text and el.text.strip():
        return False
    children = [c for c in el if isinstance(c.tag, str)]
    return (len(children) == 1 and children[0].tag in ("strong", "b")
            and not (children[0].tail or "").strip())
