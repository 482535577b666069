"""Main-content extraction: speed and accuracy of each candidate (a benchmark, not a test).

    python benchmarks/maincontent.py [--runs 5]

On the sample pages in ``tests/fixtures/maincontent/`` (each with its ``NAME.expected.txt``), times, in
one run, beside ``html_lines`` (the whole page, the template parser's reading) as the baseline:

* ``main_lines`` (lxml's libxml2 HTML parser + our rules, the chosen one);
* selectolax (Lexbor) + the same rules, written here (selectolax gives no source positions);
* trafilatura (``extract``, tables on, comments off, with its metadata so the title is in);
* readability-lxml (``Document.summary`` and ``title``; the library call only);
* trafilatura used to find the main text, mapped back onto ``html_lines``'s numbered lines.

Each time is the median of ``--runs`` runs over all samples, in ms per page, once on the samples as
written (2-5 KB) and once on copies padded to about 100 KB with chrome (a 60 KB inline script and a
sidebar of 300 links) as real pages are. Accuracy, pooled over the samples:

* main kept: share of the expected lines whose text is in the candidate's output;
* chrome dropped: share of the page's other text runs (each text node outside script and style that
  is not part of an expected line: menu items, banner sentences, comments, ...) not in the output;
* exact lines: share of the expected (line number, text) pairs returned as they are ("-" when the
  candidate gives no line numbers).

A text counts as "in the output" when it is found there with whitespace collapsed and table bars
ignored, so a candidate is not penalised for joining or splitting lines differently.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from explorer.pages import maincontent  # noqa: E402
from explorer.pages.lines import _BLOCKS, _HINTS, _LISTS, html_lines  # noqa: E402
from explorer.pages.maincontent import main_lines  # noqa: E402

SAMPLES = ROOT / "tests" / "fixtures" / "maincontent"
_ROW_LAYOUT = ", ".join(maincontent._ROW_LAYOUT)
_PAD = ('<aside class="sidebar"><ul>'
        + "".join(f'<li><a href="/p{i}">Padding link {i}</a></li>' for i in range(300))
        + '</ul></aside><script>var blob = "' + "x" * 60_000 + '";</script>')


# --- selectolax + the same rules ---------------------------------------------------------------------

def selectolax_lines(html: str) -> list[str]:
    """Our rules on a Lexbor tree: the title and the main block's lines, as texts (no line numbers)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    out = []
    title = tree.css_first("head > title")
    if title is not None and title.text(strip=True):
        out.append(" ".join(title.text().split()))
    body = tree.body or tree.root
    mains = tree.css("main, [role=main]")
    articles = [a for a in tree.css("article") if not any(_sx_skipped(p) for p in _sx_ancestors(a))]
    container, inside = body, False
    if mains or articles:
        floor = _sx_size(body) / 3
        for group in (mains, articles):
            if group:
                best = max(group, key=_sx_size)
                if _sx_size(best) >= floor:
                    container, inside = best, True
                    break
    out.extend(_sx_read(container, inside))
    return out


def _sx_ancestors(node):
    node = node.parent
    while node is not None and node.tag != "-undef":
        yield node
        node = node.parent


def _sx_chrome(node, in_main: bool) -> int:
    tag = node.tag
    if tag.startswith("-"):
        return 0
    if tag in maincontent._DROPPED_TAGS or (not in_main and tag in ("header", "footer")):
        return 1
    attrs = node.attributes
    role = attrs.get("role")
    if role and role.strip().lower() in maincontent._CHROME_ROLES:
        return 1
    for name in ("class", "id"):
        value = attrs.get(name)
        if value and maincontent._chrome_names(value[:512]):
            return 2
    return 0


def _sx_holds(node) -> bool:
    return node.css_first("h1, main, [role=main]") is not None


def _sx_skipped(node, in_main: bool = True) -> bool:
    kind = _sx_chrome(node, in_main)
    return kind == 1 or (kind == 2 and not _sx_holds(node))


def _sx_size(top) -> int:
    size, stack = 0, [top]
    while stack:
        node = stack.pop()
        if node.tag == "-text":
            size += len((node.text_content or "").strip())
        elif node is top or not _sx_skipped(node):
            stack.extend(node.iter(include_text=True))
    return size


def _sx_read(container, in_main: bool) -> list[str]:
    out, buf = [], []

    def flush(row: bool = False) -> None:
        joined = "".join(buf)
        text = (" | ".join(filter(None, (" ".join(c.split()) for c in joined.split("\x1f")))) if row
                else " ".join(joined.split()))
        if text:
            out.append(text)
        buf.clear()

    total = -1
    stack = [(child, (False, in_main, False)) for child in reversed(list(container.iter(include_text=True)))]
    while stack:
        entry = stack.pop()
        node = entry[0]
        if len(entry) == 3 and entry[1] is None:  # end of an element
            kind = entry[2]
            if kind == "block":
                flush()
            elif kind == "row":
                flush(row=True)
            elif kind == "spaced":
                buf.append(" ")
            continue
        in_item, inside, in_row = entry[1]
        tag = node.tag
        if tag == "-text":
            buf.append(node.text_content or "")
            continue
        if tag.startswith("-"):
            continue
        chrome = _sx_chrome(node, inside)
        if chrome == 2 and _sx_holds(node):
            if total < 0:
                total = _sx_size(container)
            chrome = 2 if 2 * _sx_size(node) < total else 0
        if chrome:
            continue
        inner = (in_item, inside or tag in ("article", "main") or node.attributes.get("role") == "main",
                 in_row)
        if tag == "tr" and not in_row and node.css_first(_ROW_LAYOUT) is None:
            flush()
            kind, inner = "row", (True, inner[1], True)
        elif in_row and tag in ("td", "th"):
            buf.append("\x1f")
            kind = "inline"
        elif tag in _BLOCKS and (not in_item or tag in _LISTS):
            flush()
            kind, inner = "block", (_HINTS.get(tag) in ("title", "heading", "bullet"), inner[1], False)
        elif tag in _BLOCKS:
            buf.append(" ")
            kind = "spaced"
        else:
            kind = "inline"
        stack.append((node, None, kind))
        stack.extend((child, inner) for child in reversed(list(node.iter(include_text=True))))
    flush()
    return out


# --- the libraries ---------------------------------------------------------------------------------

def trafilatura_texts(html: str) -> list[str]:
    import trafilatura

    text = trafilatura.extract(html, include_tables=True, include_comments=False, with_metadata=True)
    return (text or "").splitlines()


def readability_texts(html: str) -> list[str]:
    from readability import Document

    doc = Document(html)
    summary = doc.summary(html_partial=True)
    return [doc.title()] + list(lxml_html.fromstring(summary).itertext())


def trafilatura_mapped(html: str):
    """trafilatura finds the main text; html_lines's numbered lines found in it are kept."""
    found = _flat("\n".join(trafilatura_texts(html)))
    return [line for line in html_lines(html) if _flat(line.text) in found]


CANDIDATES = [
    ("html_lines (baseline, whole page)", html_lines, "yes", None),
    ("lxml + rules: main_lines (chosen)", main_lines, "yes", None),
    ("selectolax + same rules", selectolax_lines, "no", "selectolax"),
    ("trafilatura extract", trafilatura_texts, "no", "trafilatura"),
    ("readability-lxml summary", readability_texts, "no", "readability"),
    ("trafilatura -> html_lines lines", trafilatura_mapped, "mapped", "trafilatura"),
]


# --- measuring -------------------------------------------------------------------------------------

def _flat(text: str) -> str:
    return " ".join(text.replace("|", " ").split())


def _found(needle: str, hay: str) -> bool:
    needle = _flat(needle)
    return bool(needle) and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", hay) is not None


def samples() -> list[tuple[str, str, list[tuple[int, str]]]]:
    out = []
    for path in sorted(SAMPLES.glob("*.html")):
        rows = path.with_suffix(".expected.txt").read_text(encoding="utf-8").splitlines()
        expected = [(int(n), t) for n, t in (r.split("\t", 1) for r in rows)]
        out.append((path.stem, path.read_text(encoding="utf-8"), expected))
    return out


def chrome_runs(page: str, expected: list[tuple[int, str]]) -> list[str]:
    """The page's text nodes (outside script, style and head) that are not part of an expected line."""
    root = lxml_html.document_fromstring(page.encode(), parser=lxml_html.HTMLParser(encoding="utf-8"))
    for bad in root.xpath("//script|//style|//head|//noscript|//template"):
        bad.drop_tree()
    main = _flat("\n".join(t for _, t in expected))
    runs = [_flat(t) for t in root.xpath("//body//text()")]
    return [r for r in runs if re.search(r"[^\W\d_]", r) and not _found(r, main)]


def accuracy(fn, pages) -> tuple[float, float, float | None]:
    kept = total_main = dropped = total_chrome = exact = 0
    gives_lines = None
    for _, page, expected in pages:
        result = fn(page)
        gives_lines = bool(result) and hasattr(result[0], "number")
        output = _flat("\n".join(x.text if gives_lines else x for x in result))
        kept += sum(_found(t, output) for _, t in expected)
        total_main += len(expected)
        runs = chrome_runs(page, expected)
        dropped += sum(not _found(r, output) for r in runs)
        total_chrome += len(runs)
        if gives_lines:
            pairs = {(x.number, x.text) for x in result}
            exact += sum(pair in pairs for pair in expected)
    return kept / total_main, dropped / total_chrome, (exact / total_main if gives_lines else None)


def timing(fn, pages: list[str], runs: int) -> float:
    for page in pages:  # warm up: imports and caches
        fn(page)
    totals = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for page in pages:
            fn(page)
        totals.append(time.perf_counter() - t0)
    return statistics.median(totals) / len(pages) * 1000


def padded(page: str) -> str:
    at = page.lower().rfind("</body>")
    return page + _PAD if at < 0 else page[:at] + _PAD + page[at:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    pages = samples()
    small = [p for _, p, _ in pages]
    big = [padded(p) for p in small]
    size_small = statistics.mean(len(p.encode()) for p in small) / 1024
    size_big = statistics.mean(len(p.encode()) for p in big) / 1024
    print(f"{len(pages)} sample pages (mean {size_small:.1f} KB; padded copies mean {size_big:.0f} KB), "
          f"median of {args.runs} runs")
    head = (f"| candidate | ms/page ({size_small:.0f} KB) | ms/page ({size_big:.0f} KB) | main lines kept "
            f"| chrome runs dropped | exact (line, text) | source lines |")
    print(head)
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, fn, lines, module in CANDIDATES:
        if module is not None:
            try:
                __import__(module)
            except ImportError:
                print(f"| {name} | not installed | | | | | |")
                continue
        ms_small, ms_big = timing(fn, small, args.runs), timing(fn, big, args.runs)
        kept, dropped, exact = accuracy(fn, pages)
        exact_text = "-" if exact is None else f"{exact:.0%}"
        print(f"| {name} | {ms_small:.2f} | {ms_big:.2f} | {kept:.0%} | {dropped:.0%} | {exact_text} "
              f"| {lines} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
