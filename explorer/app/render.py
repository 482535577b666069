"""What the dashboard sends to the browser, as pure functions: HTML tables, links, CSV, the address query.

Page text and label text come from third parties: every piece of it that reaches HTML is escaped here
(:func:`html.escape`), links are http/https only (:func:`safe_url`), and CSV travels base64-encoded
inside a ``data:`` URL, so no text can break out of the markup. Nothing here imports ipywidgets; the
tests call these functions without a kernel.
"""
from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence
from urllib.parse import parse_qsl, urlencode

import numpy as np
import pandas as pd

from ..audit.vocabulary import NO_LABEL, NOT_CAPTURED, NOT_FOUND, SUPERSEDED_ONLY, UNCHECKED
from ..display import csv_text
from ..explore.filters import FilterState
from ..vocabulary import SEVERITY_LEVELS
from .chips import LABEL_TEXT, is_missing, status_chip, tier_chip  # noqa: F401 (is_missing: for the app's modules)
from .evidence import (ABSENT, coverage_notes, evidence_html, marked_html, safe_url,  # noqa: F401 (re-exported)
                       source_links_html)

#: Rows per page of a results table.
PAGE_SIZE = 20
#: How many options a picker lists at once; typing narrows the rest.
PICKER_LIMIT = 200
_QUERY_KEYS = {"drug": "drugs", "drugs": "drugs", "condition": "conditions", "conditions": "conditions",
               "severity": "severities", "severities": "severities", "search": "search", "q": "search",
               "site": "sites", "sites": "sites", "prose": "prose"}

# --- the page address -----------------------------------------------------------------------------

def filters_from_query(query: str, drugs: Iterable[str], conditions: Iterable[str],
                       sites: Iterable[str] = ()) -> tuple[FilterState, tuple[str, ...]]:
    """Read filters from a page address's query string; unknown keys and values become notes.

    Keys: ``drug``, ``condition``, ``site``, ``severity`` (repeat a key, or separate values with commas),
    ``search`` (or ``q``) and ``prose`` (``prose=no`` hides side effects read out of prose). Values match
    case-insensitively and are returned as spelled in the corpus.

    >>> state, notes = filters_from_query("condition=back+pain&severity=Serious&colour=red",
    ...                                   ["Mirena"], ["Back Pain"])
    >>> state.conditions, state.severities, notes
    (('Back Pain',), ('serious',), ("Ignored 'colour' in the address: not a filter.",))
    >>> filters_from_query("drug=Aspirin", ["Mirena"], [])[1]
    ("Ignored drug 'Aspirin' from the address: not in this corpus.",)
    >>> state = filters_from_query("site=Pharmacy.test&prose=no", [], [], ["pharmacy.test"])[0]
    >>> state.sites, state.prose
    (('pharmacy.test',), False)
    """
    known = {"drugs": {d.casefold(): d for d in drugs}, "conditions": {c.casefold(): c for c in conditions},
             "severities": {s: s for s in SEVERITY_LEVELS}, "sites": {s.casefold(): s for s in sites}}
    chosen: dict[str, list[str]] = {"drugs": [], "conditions": [], "severities": [], "sites": []}
    search: list[str] = []
    notes: list[str] = []
    prose = True
    for key, raw in parse_qsl(query.lstrip("?"), keep_blank_values=False):
        field = _QUERY_KEYS.get(key.strip().casefold())
        if field is None:
            notes.append(f"Ignored {key!r} in the address: not a filter.")
            continue
        if field == "search":
            search.append(raw.strip())
            continue
        if field == "prose":
            value = raw.strip().casefold()
            if value in ("no", "0", "false", "hide", "off"):
                prose = False
            elif value not in ("yes", "1", "true", "show", "on"):
                notes.append(f"Ignored prose {raw!r} from the address: expected yes or no.")
            continue
        for value in (v.strip() for v in raw.split(",") if v.strip()):
            fold = " ".join(value.replace("-", " ").replace("_", " ").split()).casefold() \
                if field == "severities" else value.casefold()
            match = known[field].get(fold)
            if match is None:
                notes.append(f"Ignored {field[:-1].replace('severitie', 'severity')} {value!r} from the address: "
                             f"{'not a severity level' if field == 'severities' else 'not in this corpus'}.")
            elif match not in chosen[field]:
                chosen[field].append(match)
    return FilterState(drugs=tuple(chosen["drugs"]), conditions=tuple(chosen["conditions"]),
                       severities=tuple(s for s in SEVERITY_LEVELS if s in chosen["severities"]),
                       search=" ".join(search), sites=tuple(chosen["sites"]), prose=prose), tuple(notes)


#: Keys of the address that choose what is shown rather than filter: a page (and a line of it), a
#: finding, a tab, the label check's status.
VIEW_KEYS = ("page", "line", "finding", "tab", "status")


def view_from_query(query: str) -> tuple[str, dict[str, str]]:
    """Split the address's view keys (:data:`VIEW_KEYS`) from its filters.

    >>> view_from_query("page=pages/a.txt&line=12&drug=Mirena")
    ('drug=Mirena', {'page': 'pages/a.txt', 'line': '12'})
    """
    rest, view = [], {}
    for key, value in parse_qsl(query.lstrip("?"), keep_blank_values=False):
        if key.strip().casefold() in VIEW_KEYS:
            view[key.strip().casefold()] = value.strip()
        else:
            rest.append((key, value))
    return urlencode(rest), view


def page_link(source_file: object, line: object = None) -> str:
    """The dashboard's address of a page view (relative: the dashboard's own address with a query).

    >>> page_link("pages/a b.txt", 12)
    '?page=pages%2Fa+b.txt&line=12'
    """
    query = {"page": str(source_file)}
    if not is_missing(line):
        query["line"] = str(int(line))
    return "?" + urlencode(query)


def narrow(options: Iterable[str], text: str, limit: int = PICKER_LIMIT) -> list[str]:
    """The options containing ``text`` (case-insensitive), at most ``limit`` of them.

    >>> narrow(["Back Pain", "Acne", "Pain"], "pain")
    ['Back Pain', 'Pain']
    """
    fold = text.strip().casefold()
    out = []
    for option in options:
        if not fold or fold in option.casefold():
            out.append(option)
            if len(out) >= limit:
                break
    return out


# --- tables ---------------------------------------------------------------------------------------

def _text(value: object) -> str:
    """A cell's value as escaped text ('' when missing)."""
    return "" if is_missing(value) else html.escape(str(value))


@dataclass(frozen=True)
class Column:
    """One column of an HTML table: its heading, the row fields it shows, and how its cell is made from
    their values (already escaped HTML)."""

    heading: str
    fields: tuple[str, ...]
    cell: Callable[..., str]
    #: fields passed after ``fields`` when the rows have them (else :data:`ABSENT`); a finding's table
    #: shows the column whether or not its rows have these
    extra: tuple[str, ...] = ()
    #: the class of the block the cell's content is in (``explorer-cell``: cut to four lines)
    box: str = "explorer-cell"



def _tier(tier: object, severity: object) -> str:
    """The Tier column: :func:`tier_chip` (plain text when the rows carry no severity)."""
    if severity is ABSENT:
        return "" if is_missing(tier) else _text(tier)
    return tier_chip(tier, severity)


def _source(source_file: object, line: object) -> str:
    return html.escape(f"{source_file}:{line}")


def _source_link(source_file: object, line: object) -> str:
    """file:line as a link to its page view."""
    return (f'<a class="explorer-page-link" href="{html.escape(page_link(source_file, line), quote=True)}" '
            f'target="_blank" rel="noopener">{_source(source_file, line)}</a>')


#: The side-effects results table.
SIDE_EFFECT_COLUMNS: tuple[Column, ...] = (
    Column("Drug", ("drug",), _text), Column("Condition", ("condition",), _text),
    Column("Tier", ("tier", "severity"), _tier),
    Column("Side effect", ("name",), _text), Column("Description", ("description",), _text),
    Column("Source", ("source_file", "line"), lambda f, n: _source_link(f, n)))


def table_html(rows: pd.DataFrame, start: int = 0, size: int = PAGE_SIZE,
               columns: Sequence[Column] = SIDE_EFFECT_COLUMNS) -> str:
    """An HTML table of ``rows[start:start + size]``; every cell is escaped text (or a safe link).

    The table sits in a box that scrolls sideways when the table is wider (``explorer-table-box``), and
    each cell's content in a block the stylesheet cuts to four lines (``explorer-cell``), so rows keep
    an even height (see :mod:`explorer.app.style`).

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"drug": ["D"], "condition": ["C"], "tier": ["Serious"], "name": ["<b>x</b>"],
    ...                      "description": [None], "source_file": ["a.txt"], "line": [3]})
    >>> "&lt;b&gt;x&lt;/b&gt;" in table_html(rows) and "<b>x</b>" not in table_html(rows)
    True
    """
    part = rows.iloc[start:start + size]
    # Each needed column once, as a list: a page is a few rows of a table that may hold millions.
    # A field the rows lack (a table without severities) reaches its cell as ABSENT.
    values = {f: part[f].tolist() if f in part.columns else [ABSENT] * len(part)
              for f in dict.fromkeys(f for c in columns for f in c.fields + c.extra)}
    head = "".join(f"<th>{html.escape(c.heading)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f'<td><div class="{c.box}">{c.cell(*(values[f][i] for f in c.fields + c.extra))}</div></td>'
                         for c in columns) + "</tr>"
        for i in range(len(part)))
    return (f'<div class="explorer-table-box"><table class="explorer-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{body}</tbody></table></div>')


def page_count(n_rows: int, size: int = PAGE_SIZE) -> int:
    """How many pages of ``size`` rows a table of ``n_rows`` has (at least one).

    >>> page_count(0), page_count(20), page_count(21)
    (1, 1, 2)
    """
    return max(1, -(-n_rows // size))


def _sources(urls: object, source: object) -> str:
    """The Label source column: links to the label, or "curated from" the curated facts' sources."""
    links = source_links_html(urls)
    return f"curated from {links}" if links and not (isinstance(source, str) and source == LABEL_TEXT) else links


#: The label-check table: each claim with its status, label term and the sources of the facts.
CLAIM_COLUMNS: tuple[Column, ...] = (
    Column("Drug", ("drug",), _text), Column("Condition", ("condition",), _text),
    Column("Tier", ("tier", "severity"), _tier),
    Column("Claim", ("claim",), _text), Column("Label status", ("status",), status_chip, extra=("label_source",)),
    Column("Label term", ("label_term",), _text),
    Column("Label source", ("source_url",), lambda url, source=ABSENT: _sources(url, source), extra=("label_source",)),
    Column("Page source", ("source_file", "line"), lambda f, n: _source_link(f, n)))


def _evidence_column(heading: str = "Label's words") -> Column:
    return Column(heading, ("evidence_section", "evidence_text", "incidence_text"), evidence_html,
                  extra=("evidence_marks", "match_note", "label_url"), box="explorer-evidence-cell")


#: The label-check table when claims were checked against imported labels: the label's own words too.
EVIDENCE_COLUMNS: tuple[Column, ...] = CLAIM_COLUMNS[:6] + (_evidence_column(),) + CLAIM_COLUMNS[6:]


#: Statuses that leave a claim without the label's support (what the label check is for).
_UNSUPPORTED = frozenset({NOT_FOUND, NOT_CAPTURED})


def attention_order(claims: pd.DataFrame) -> np.ndarray:
    """Positions of ``claims`` with the rows that need attention first, each group in the rows' order:
    a tier the label contradicts, then a serious claim without the label's support, then the other
    claims the label does not back (not found, not among the captured facts, only a superseded label, a
    label that could not be checked), then what the label lists, and last the claims of drugs whose
    label is not held (nothing to look at).

    >>> claims = pd.DataFrame({"status": ["no label held for this drug", "label warning", NOT_FOUND, NOT_FOUND],
    ...                        "severity": ["serious", "common", "common", "serious"],
    ...                        "tier_check": ["not comparable", "disagrees", "not comparable", "not comparable"]})
    >>> attention_order(claims).tolist()
    [1, 3, 2, 0]
    """
    status = claims["status"].astype(object).to_numpy() if "status" in claims.columns else np.full(len(claims), None)
    unsupported = np.isin(status, list(_UNSUPPORTED))
    serious = (claims["severity"].astype(object) == "serious").to_numpy(bool) if "severity" in claims.columns \
        else np.zeros(len(claims), bool)
    disagrees = (claims["tier_check"].astype(object) == "disagrees").to_numpy(bool) if "tier_check" in claims.columns \
        else np.zeros(len(claims), bool)
    rank = np.select([disagrees, serious & unsupported, unsupported | np.isin(status, [SUPERSEDED_ONLY, UNCHECKED]),
                      status == NO_LABEL], [0, 1, 2, 4], default=3)
    return np.argsort(rank, kind="stable")


def claims_html(claims: pd.DataFrame, start: int = 0, size: int = PAGE_SIZE) -> str:
    """An HTML table of ``claims[start:start + size]`` (rows of :func:`explorer.audit.claims.claims_table`,
    or of :func:`explorer.audit.labelcheck.label_claims_table`, which adds the label's sentence).

    Page text, label terms and label sentences are escaped; each source becomes a link (http/https only).
    """
    columns = EVIDENCE_COLUMNS if "evidence_text" in claims.columns else CLAIM_COLUMNS
    return table_html(claims, start, size, columns)


#: Columns a finding's rows may have, in the order shown (each shown when the rows have its fields).
FINDING_COLUMNS: tuple[Column, ...] = (
    Column("Page", ("source_file", "line"), _source_link), Column("Drug", ("drug",), _text),
    Column("Condition", ("condition",), _text), Column("Tier", ("tier", "severity"), _tier),
    Column("Tier", ("tier",), _text),
    Column("Side effect", ("claim",), _text), Column("Side effect", ("name",), _text),
    Column("Figure", ("text",), _text), Column("Label status", ("status",), status_chip, extra=("label_source",)),
    Column("Label term", ("label_term",), _text),
    _evidence_column(),
    Column("Label says", ("label_value",), _text), Column("Tier check", ("tier_note",), _text))


def finding_rows_html(rows: pd.DataFrame, size: int = 50) -> str:
    """The rows behind a finding (its first ``size``), each with a link to its page view; text escaped.

    >>> import pandas as pd
    >>> out = finding_rows_html(pd.DataFrame({"source_file": ["a.txt"], "line": [3], "claim": ["<i>x</i>"]}))
    >>> 'href="?page=a.txt&amp;line=3"' in out, "&lt;i&gt;x&lt;/i&gt;" in out
    (True, True)
    """
    if not len(rows):
        return "<p><small>No rows.</small></p>"
    columns = [c for c in FINDING_COLUMNS if all(f in rows.columns for f in c.fields)]
    columns = [c for i, c in enumerate(columns) if c.heading not in {d.heading for d in columns[:i]}]  # first fits
    more = f"<p><small>the first {size:,} of {len(rows):,} rows</small></p>" if len(rows) > size else ""
    return table_html(rows, 0, size, columns) + more


# --- CSV ------------------------------------------------------------------------------------------

def csv_data_url(text: str) -> str:
    """A ``data:`` URL holding CSV text (base64, so page text cannot break out of the link)."""
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


def csv_link_html(text: str, filename: str, label: str) -> str:
    """A download link for CSV text.

    >>> csv_link_html("a,b\\n", "x.csv", "Download <1 row>")
    '<a download="x.csv" href="data:text/csv;charset=utf-8;base64,YSxiCg==">Download &lt;1 row&gt;</a>'
    """
    return (f'<a download="{html.escape(filename, quote=True)}" href="{csv_data_url(text)}">'
            f"{html.escape(label)}</a>")


def rows_csv(rows: pd.DataFrame) -> str:
    """Rows as CSV text, every column, no index; text a spreadsheet would run as a formula gets a ``'``
    in front (:func:`explorer.display.csv_text`)."""
    return csv_text(rows)
