"""The label's words and sources as a reader wants them, as pure functions returning escaped HTML.

Evidence is one sentence or one table row (:mod:`explorer.audit.excerpt`), the matched words marked,
cut by the stylesheet to a few lines, the rest on demand in a ``<details>``; sources are links (http and
https only); the coverage notes say what the shown statuses rest on, naming the drugs the curated facts
cover. Label text is third-party text: escaped, then marked.
"""
from __future__ import annotations

import html
from typing import Iterable
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from ..audit.vocabulary import COVERAGE_NOTE, LABEL_TEXT_NOTE
from .chips import LABEL_TEXT, is_missing

#: What a cell gets for a field its table does not have.
ABSENT = object()


def _text(value: object) -> str:
    """A value as escaped text ('' when missing)."""
    return "" if is_missing(value) else html.escape(str(value))


def safe_url(url: object) -> str | None:
    """``url`` if it is an absolute http or https address, else None (never a javascript: link).

    >>> safe_url("https://example.org/a?b=1"), safe_url("javascript:alert(1)"), safe_url(" ftp://x ")
    ('https://example.org/a?b=1', None, None)
    """
    if is_missing(url):
        return None
    text = str(url).strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in text for c in " \t\r\n"):
        return None
    return text


def source_links_html(urls: object) -> str:
    """Links to the label facts' sources (`` | ``-joined in the claims table); other text escaped.

    >>> source_links_html("https://a.org/x | javascript:alert(1)")
    '<a href="https://a.org/x" target="_blank" rel="noopener noreferrer nofollow">a.org</a> | javascript:alert(1)'
    """
    if is_missing(urls):
        return ""
    out = []
    for part in str(urls).split(" | "):
        url = safe_url(part)
        if url is None:
            out.append(html.escape(part.strip()))
        else:
            out.append(f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer nofollow">'
                       f"{html.escape(urlsplit(url).netloc)}</a>")
    return " | ".join(out)


def _given(value: object) -> bool:
    return value is not ABSENT and not is_missing(value) and str(value) != ""


def marked_html(text: str, marks: object) -> str:
    """``text`` escaped, with the matched words' spans (``"a-b;c-d"``, character offsets into ``text``, as
    :mod:`explorer.audit.excerpt` writes them) in ``<mark>``. Spans are cut from the raw text and each
    part escaped on its own; spans that are not in order, overlap or fall outside the text mark nothing.

    >>> marked_html("A <b>rash</b> here", "2-13")
    'A <mark>&lt;b&gt;rash&lt;/b&gt;</mark> here'
    >>> marked_html("A rash", "4-2")
    'A rash'
    """
    spans: list[tuple[int, int]] = []
    if _given(marks):
        try:
            spans = [(int(a), int(b)) for a, b in (part.split("-") for part in str(marks).split(";") if part)]
        except ValueError:
            spans = []
    last, out = 0, []
    for start, end in spans:
        if not last <= start < end <= len(text):
            return html.escape(text)
        out += [html.escape(text[last:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        last = end
    return "".join(out) + html.escape(text[last:])


def row_columns(text: str) -> list[str]:
    """The values of a table-row excerpt ("Term — header: value; header: value"), one per column."""
    _, sep, values = text.partition(" — ")
    return [v.strip() for v in values.split("; ") if v.strip()] if sep else []


def evidence_html(section: object, text: object, incidence: object, marks: object = ABSENT,
                  note: object = ABSENT, url: object = ABSENT) -> str:
    """The label's words for one claim: the one sentence or table row (:mod:`explorer.audit.excerpt`) with the
    matched words marked, cut by the stylesheet to a few lines (``explorer-evidence-quote``), and a
    ``<details>`` with the rest: the section, the whole text (a table row's values one per column), the
    incidence, the match's note (where an incidence comes from: table number and caption) and the label."""
    if not _given(text):
        return ""
    text = str(text)
    inc = f" <b>{_text(incidence)}</b>" if _given(incidence) else ""
    where = f"<small class='explorer-evidence-where'>{_text(section)}</small>" if _given(section) else ""
    quote = f"<span class='explorer-evidence-quote'>{marked_html(text, marks)}</span>"
    columns = row_columns(text)
    more = [f"<p>{_text(section)}</p>" if _given(section) else "",
            ("<ul>" + "".join(f"<li>{html.escape(c)}</li>" for c in columns) + "</ul>") if columns
            else f"<p>“{marked_html(text, marks)}”</p>",
            f"<p>incidence: {_text(incidence)}</p>" if _given(incidence) else "",
            f"<p>{_text(note)}</p>" if _given(note) else "",
            f"<p>{source_links_html(url)}</p>" if _given(url) and safe_url(url) else ""]
    return (f"{where}{quote}{inc}<details class='explorer-evidence-more'><summary>more</summary>"
            f"{''.join(more)}</details>")


def coverage_notes(claims: pd.DataFrame, curated_drugs: Iterable[str]) -> list[str]:
    """What the shown claims' statuses rest on: the curated facts' coverage note only when claims of the drugs
    the curated facts cover (``curated_drugs``) were checked against them (naming those drugs), the label-text
    note when some claims were checked against a label's text; nothing for drugs with neither.

    >>> claims = pd.DataFrame({"drug": ["Mirena", "Other"], "status": ["not among the captured label facts"] * 2})
    >>> coverage_notes(claims, ["mirena"])[0].startswith("The curated facts cover Mirena: The label facts are partial")
    True
    >>> coverage_notes(claims.iloc[[1]], ["Mirena"])
    []
    """
    if not len(claims):
        return []
    covered = {str(d).casefold() for d in curated_drugs}
    drug = claims["drug"].astype(object).to_numpy()
    text = (claims["label_source"].astype(object) == LABEL_TEXT).to_numpy(bool) if "label_source" in claims.columns \
        else np.zeros(len(claims), bool)
    curated = ~text & np.asarray([str(d).casefold() in covered for d in drug], dtype=bool)
    notes = [LABEL_TEXT_NOTE] if text.any() else []
    if curated.any():
        drugs = sorted(map(str, pd.unique(drug[curated])))
        notes.append(f"The curated facts cover {', '.join(drugs)}: {COVERAGE_NOTE}")
    return notes
