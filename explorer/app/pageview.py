"""The page view: one page's text as its reader saw it, each extracted claim highlighted beside its tier,
label status and evidence, with its file:line.

Pure functions (no widgets): :func:`find_page_file` finds the page file the ingest read (and says why
when it cannot), :func:`read_page` reads its lines as the extractor did
(:func:`explorer.pages.read.lines_as_read`), :func:`page_html` renders them. Page and label text are
third-party: every piece is escaped here, so markup on a page shows as text and no script runs.

What reaches the browser is bounded and names no server path: a file is named by its path under the
corpus's folder, else by its file name (:func:`shown_path`), never by where the server found it; a
line longer than :data:`MAX_LINE_CHARS` is cut, with the number of characters left out.
"""
from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from .. import config
from ..pages.decode import PageError
from ..pages.lines import Line
from ..pages.read import lines_as_read
from ..vocabulary import UNRECOGNISED_TIER
from .chips import is_missing, status_words, tier_chip
from .evidence import evidence_html
from .style import severity_class, status_class

#: How many lines around the claims a page view shows when a page is very long (all lines otherwise).
MAX_LINES = 2_000
#: How many characters of one line a page view shows (a long paragraph is ~1,000); the rest is counted.
MAX_LINE_CHARS = 2_000


@dataclass(frozen=True)
class PageText:
    """A page's lines as read, or why they could not be shown (``problem``); ``shown`` is how the page
    is named to a browser (:func:`shown_path`; ``source_file`` when not given)."""

    source_file: str
    lines: tuple[Line, ...] = ()
    path: Path | None = None
    problem: str | None = None
    shown: str | None = None


def shown_path(source_file: str, roots: Iterable[Path] = ()) -> str:
    """How a page file is named to a browser: a relative path as recorded; an absolute one relative to
    the first of ``roots`` (the corpus's folders) that holds it, else by its file name alone.

    >>> shown_path("site/a.txt", [Path("/srv")]), shown_path("/srv/crawl/a.txt", [Path("/srv")])
    ('site/a.txt', 'crawl/a.txt')
    >>> shown_path("/home/me/pages/a.txt")
    'a.txt'
    """
    recorded = Path(source_file)
    if not recorded.is_absolute():
        return source_file
    for root in roots:
        try:
            return recorded.relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            continue
    return recorded.name


def find_page_file(source_file: str, sha256: str | None, roots: Iterable[Path] = ()) -> tuple[Path | None, str | None]:
    """The file the ingest read as ``source_file``: the path as recorded (absolute, or relative to the
    working folder), else under each of ``roots`` and the project folder. Returns (path, None), or
    (None, why) when no such file holds the content the ingest read (its sha256); ``why`` names the file
    as :func:`shown_path` does, never by the server's path."""
    recorded = Path(source_file)
    candidates = [recorded] if recorded.is_absolute() else \
        [recorded, *(Path(r) / recorded for r in roots), config.DATA_DIR.parent / recorded]
    changed = None
    for path in dict.fromkeys(candidates):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if sha256 is None or hashlib.sha256(data).hexdigest() == sha256:
            return path, None
        changed = path
    shown = shown_path(source_file, roots)
    if changed is not None:
        return None, f"{shown} has changed since it was ingested (its sha256 differs): re-run explorer ingest"
    return None, f"{shown}: the page file is not where the ingest read it (nor under the corpus's folders)"


def read_page(source_file: str, sha256: str | None, roots: Iterable[Path] = ()) -> PageText:
    """A page's lines as its extractor read them (see :func:`find_page_file` for where it is looked for)."""
    roots = tuple(roots)
    shown = shown_path(source_file, roots)
    path, problem = find_page_file(source_file, sha256, roots)
    if path is None:
        return PageText(source_file, problem=problem, shown=shown)
    try:
        lines, _ = lines_as_read(path.read_bytes(), shown)  # errors name the file as shown
    except PageError as exc:
        return PageText(source_file, path=path, problem=str(exc), shown=shown)
    return PageText(source_file, tuple(lines), path, shown=shown)


def _line_html(text: str, limit: int = MAX_LINE_CHARS) -> str:
    """A line's text escaped, cut after ``limit`` characters with the count of the rest.

    >>> _line_html("<b>" + "x" * 20, limit=5)
    '&lt;b&gt;xx<span class="explorer-cut">… (18 more characters)</span>'
    """
    if len(text) <= limit:
        return html.escape(text)
    return f'{html.escape(text[:limit])}<span class="explorer-cut">… ({len(text) - limit:,} more characters)</span>'


def _chip(text: str, cls: str) -> str:
    """A chip in the colour of a severity or status (``cls``: its class, see :mod:`explorer.app.style`)."""
    return f'<span class="explorer-chip {cls}">{html.escape(text)}</span>'


def _claim_html(claim: dict) -> str:
    tier, severity = claim.get("tier"), claim.get("severity")
    parts = [f'<span class="explorer-claim-name">{html.escape(str(claim.get("claim") or claim.get("name") or ""))}</span>',
             tier_chip(tier, severity, "explorer-tier") if not (is_missing(tier) and is_missing(severity))
             else _chip(UNRECOGNISED_TIER, f"explorer-tier {severity_class(UNRECOGNISED_TIER)}")]
    status = claim.get("status")
    if not is_missing(status):
        parts.append(_chip(status_words(status, claim.get("label_source")), f"explorer-status {status_class(str(status))}"))
    for key, label in (("label_term", "label term"), ("evidence_text", "label's words"), ("incidence_text", "incidence"),
                       ("tier_note", "tier check")):
        value = claim.get(key)
        if is_missing(value) or not str(value):
            continue
        if key == "evidence_text":  # marked, with the rest on demand, as in the tables
            value_html = evidence_html(None, value, None, claim.get("evidence_marks"), claim.get("match_note"),
                                       claim.get("label_url"))
        else:
            value_html = html.escape(str(value))
        parts.append(f'<span class="explorer-evidence"><span class="explorer-evidence-label">{label}:</span> {value_html}</span>')
    return " ".join(parts)


def page_html(page: PageText, claims: pd.DataFrame, focus_line: int | None = None,
              max_lines: int = MAX_LINES) -> str:
    """The page's lines, each with its number; lines holding claims (rows of the claims table, or of the
    side_effects table) are highlighted in their severity's colour with the claim's tier, label status
    and evidence beside them. Everything from the page or a label is escaped.

    >>> page = PageText("p.txt", (Line(1, "X for Y"), Line(3, "<script>alert(1)</script>")))
    >>> claims = pd.DataFrame({"line": [3], "claim": ["<b>Rash</b>"], "tier": ["Serious"], "severity": ["serious"],
    ...                        "status": ["label warning"]})
    >>> out = page_html(page, claims)
    >>> "<script>" in out, "&lt;script&gt;alert(1)&lt;/script&gt;" in out, "&lt;b&gt;Rash&lt;/b&gt;" in out
    (False, True, True)
    """
    head = f'<div class="explorer-page-head">{html.escape(page.shown or page.source_file)}</div>'

    if page.problem is not None:
        return f'{head}<p class="explorer-note">{html.escape(page.problem)}</p>'
    by_line: dict[int, list[dict]] = {}
    for claim in claims.to_dict("records") if len(claims) else ():
        by_line.setdefault(int(claim["line"]), []).append(claim)
    lines = page.lines
    if len(lines) > max_lines:  # a very long page: the lines around its claims (and the focus)
        keep = set(by_line) | ({focus_line} if focus_line else set())
        near = {n for k in keep for n in range(k - 5, k + 6)}
        lines = tuple(line for line in lines if line.number in near or line.number <= 20)
    rows = []
    for line in lines:
        found = by_line.get(line.number, [])
        cls = "explorer-line"
        if found:  # marked in the colour of its first claim's severity
            severity = found[0].get("severity")
            cls += f" explorer-claim-line {severity_class(UNRECOGNISED_TIER if is_missing(severity) else str(severity))}"
        if focus_line == line.number:
            cls += " explorer-focus"
        detail = "".join(f'<div class="explorer-claim">{_claim_html(c)}</div>' for c in found)
        rows.append(f'<tr class="{cls}" id="line-{line.number}"><td class="explorer-lineno">'
                    f'{line.number}</td><td>{_line_html(line.text)}{detail}</td></tr>')
    index = " ".join(f'<a href="#line-{n}">{n}</a>' for n in sorted(by_line))
    index = f'<p class="explorer-page-index"><small>claims on lines</small> {index}</p>' if index else ""
    shown = f"{len(lines):,} of {len(page.lines):,} lines" if len(lines) < len(page.lines) else f"{len(lines):,} lines"
    return (f'{head}<p><small>{shown}; {len(claims):,} claims highlighted</small></p>{index}'
            f'<table class="explorer-table explorer-page-text"><tbody>{"".join(rows)}</tbody></table>')
