"""The dashboard: one widget class over a corpus, with its state in one immutable FilterState.

Split as in the ipywidgets tutorial: :class:`DashboardModel` holds the corpus and the current
:class:`~explorer.filters.FilterState` and computes everything shown (rows, summary, table page, CSV,
figures) without touching a widget; :class:`Dashboard` (a ``VBox``) only displays the model and turns
control changes into a new state through one change handler. The pure helpers
(:func:`filters_from_query`, :func:`summary_line`, :func:`table_html`, :func:`csv_data_url`) are tested
without a kernel.

The "Label check" tab shows the claims of the same rows checked against the label facts
(:func:`explorer.label.claims_table`, matched once per corpus when the tab is first opened, then
filtered with the side effects' mask).

Page text comes from third parties: every piece of it that reaches HTML is escaped here or in
:mod:`explorer.charts`; links to label sources are http/https only.

Served by Voila, the charts are :class:`SharedBundleFigureWidget`: plotly's 5 MB front end is
fetched once per page instead of travelling in every chart's state.
"""
from __future__ import annotations

import base64
import html
import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping
from urllib.parse import parse_qsl, urlsplit


def _import_jsonschema_without_iri_grammar() -> None:
    """Import jsonschema without its optional IRI checker, unless something imported either already.

    ``go.FigureWidget`` imports nbformat, which imports jsonschema, which imports the optional
    ``rfc3987_syntax``: it compiles an IRI grammar at import, 0.8 s in a script and 3.5 s in a
    Voila kernel, the largest single part of the dashboard's start. Nothing in a dashboard kernel
    validates IRIs; jsonschema then skips the "iri" format check, as when that package is absent.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # makes its import fail
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        pass
    finally:
        del sys.modules["rfc3987_syntax"]


_import_jsonschema_without_iri_grammar()

import ipywidgets as widgets  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import plotly  # noqa: E402
import plotly.graph_objects as go  # noqa: E402

from . import charts  # noqa: E402
from .corpus import Corpus  # noqa: E402
from .filters import FilterState, filter_mask  # noqa: E402
from .schema import SEVERITY_COLOURS, SEVERITY_LEVELS  # noqa: E402

#: Environment variable naming the corpus folder the served dashboard shows (set by ``explorer serve``).
CORPUS_ENV = "EXPLORER_CORPUS"
#: Rows per page of the results table.
PAGE_SIZE = 20
#: Up to this many matching rows, the CSV link is rebuilt on every change; above, on request.
CSV_INLINE_LIMIT = 20_000
#: How many options a picker lists at once; typing narrows the rest.
PICKER_LIMIT = 200
#: Title of the label-check tab.
LABEL_TAB = "Label check"
TABLE_COLUMNS = ("drug", "condition", "tier", "name", "description", "source")
#: Plotly's FigureWidget front end (an ES module of about 5 MB that holds all of plotly.js). ``explorer
#: serve`` adds the folder holding it to Voila's labextension paths (see :mod:`explorer.serve`), so
#: the served page can import it by URL from ``<fullLabextensionsUrl>/<PLOTLY_BUNDLE>``.
PLOTLY_BUNDLE_DIR = Path(plotly.__file__).resolve().parent / "package_data"
PLOTLY_BUNDLE = "widgetbundle.js"
_QUERY_KEYS = {"drug": "drugs", "drugs": "drugs", "condition": "conditions", "conditions": "conditions",
               "severity": "severities", "severities": "severities", "search": "search", "q": "search"}


# --- pure helpers ---------------------------------------------------------------------------------

def filters_from_query(query: str, drugs: Iterable[str], conditions: Iterable[str]) -> tuple[FilterState, tuple[str, ...]]:
    """Read filters from a page address's query string; unknown keys and values become notes.

    Keys: ``drug``, ``condition``, ``severity`` (repeat a key, or separate values with commas) and
    ``search`` (or ``q``). Values match case-insensitively and are returned as spelled in the corpus.

    >>> state, notes = filters_from_query("condition=back+pain&severity=Serious&colour=red",
    ...                                   ["Mirena"], ["Back Pain"])
    >>> state.conditions, state.severities, notes
    (('Back Pain',), ('serious',), ("Ignored 'colour' in the address: not a filter.",))
    >>> filters_from_query("drug=Aspirin", ["Mirena"], [])[1]
    ("Ignored drug 'Aspirin' from the address: not in this corpus.",)
    """
    known = {"drugs": {d.casefold(): d for d in drugs}, "conditions": {c.casefold(): c for c in conditions},
             "severities": {s: s for s in SEVERITY_LEVELS}}
    chosen: dict[str, list[str]] = {"drugs": [], "conditions": [], "severities": []}
    search: list[str] = []
    notes: list[str] = []
    for key, raw in parse_qsl(query.lstrip("?"), keep_blank_values=False):
        field = _QUERY_KEYS.get(key.strip().casefold())
        if field is None:
            notes.append(f"Ignored {key!r} in the address: not a filter.")
            continue
        if field == "search":
            search.append(raw.strip())
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
                       search=" ".join(search)), tuple(notes)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def summary_line(rows: pd.DataFrame) -> str:
    """What is shown, in one sentence.

    >>> import explorer
    >>> summary_line(explorer.load().side_effects)
    '9 side effects on 1 page, 3 of them Serious'
    """
    n = len(rows)
    if n == 0:
        return "No side effects match these filters"
    pages = int(np.count_nonzero(np.bincount(rows["source_file"].cat.codes.to_numpy()))) \
        if isinstance(rows["source_file"].dtype, pd.CategoricalDtype) else rows["source_file"].nunique()
    serious = int((rows["severity"] == "serious").sum())
    return f"{_plural(n, 'side effect')} on {_plural(pages, 'page')}, {serious:,} of them Serious"


def table_html(rows: pd.DataFrame, start: int = 0, size: int = PAGE_SIZE) -> str:
    """An HTML table of ``rows[start:start + size]``; every cell is escaped text.

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"drug": ["D"], "condition": ["C"], "tier": ["Serious"], "name": ["<b>x</b>"],
    ...                      "description": [None], "source_file": ["a.txt"], "line": [3]})
    >>> "&lt;b&gt;x&lt;/b&gt;" in table_html(rows) and "<b>x</b>" not in table_html(rows)
    True
    """
    part = rows.iloc[start:start + size]
    head = "".join(f"<th>{h}</th>" for h in ("Drug", "Condition", "Tier", "Side effect", "Description", "Source"))
    body = []
    for drug, condition, tier, name, description, source, line in zip(
            part["drug"], part["condition"], part["tier"], part["name"], part["description"],
            part["source_file"], part["line"]):
        cells = (drug, condition, tier, name, "" if pd.isna(description) else description, f"{source}:{line}")
        body.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    return (f'<table class="explorer-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def csv_bytes(rows: pd.DataFrame) -> bytes:
    """The rows as UTF-8 CSV, every column of the side_effects table, no index."""
    return rows.to_csv(index=False).encode("utf-8")


def csv_data_url(rows: pd.DataFrame) -> str:
    """A ``data:`` URL holding :func:`csv_bytes` (base64, so page text cannot break out of the link)."""
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(csv_bytes(rows)).decode("ascii")


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


def safe_url(url: object) -> str | None:
    """``url`` if it is an absolute http or https address, else None (never a javascript: link).

    >>> safe_url("https://example.org/a?b=1"), safe_url("javascript:alert(1)"), safe_url(" ftp://x ")
    ('https://example.org/a?b=1', None, None)
    """
    if url is None or url is pd.NA or (isinstance(url, float) and np.isnan(url)):
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
    if urls is None or urls is pd.NA or (isinstance(urls, float) and np.isnan(urls)):
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


def claims_html(claims: pd.DataFrame, start: int = 0, size: int = PAGE_SIZE) -> str:
    """An HTML table of ``claims[start:start + size]`` (rows of :func:`explorer.label.claims_table`).

    Page text and label terms are escaped; each label fact's source becomes a link (http/https only).
    """
    part = claims.iloc[start:start + size]
    head = "".join(f"<th>{h}</th>" for h in ("Drug", "Condition", "Tier", "Claim", "Label status",
                                             "Label term", "Label source", "Page source"))
    body = []
    for drug, condition, tier, claim, status, term, url, source, line in zip(
            part["drug"], part["condition"], part["tier"], part["claim"], part["status"], part["label_term"],
            part["source_url"], part["source_file"], part["line"]):
        cells = [html.escape(str(v)) for v in (drug, condition, tier, claim, status,
                                                "" if pd.isna(term) else term)]
        cells += [source_links_html(url), html.escape(f"{source}:{line}")]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (f'<table class="explorer-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def claims_summary_line(claims: pd.DataFrame) -> str:
    """How many claims are shown, and how many have each label status (in status order).

    >>> import pandas as pd
    >>> claims_summary_line(pd.DataFrame({"status": pd.Categorical(["label warning", "x", "x"])}))
    '3 side-effect claims: 1 label warning, 2 x'
    """
    if len(claims) == 0:
        return "No side-effect claims match these filters"
    counts = claims["status"].value_counts(sort=False)
    parts = ", ".join(f"{int(n):,} {status}" for status, n in counts.items() if n)
    return f"{_plural(len(claims), 'side-effect claim')}: {parts}"


# --- model ----------------------------------------------------------------------------------------

class DashboardModel:
    """The corpus, the current FilterState and everything derived from them; no widgets.

    Parameters
    ----------
    corpus : the loaded corpus.
    state : the filters to start with.
    top : how many side effects the condition x side-effect matrix shows.
    """

    def __init__(self, corpus: Corpus, state: FilterState = FilterState(), top: int = 20):
        self.corpus = corpus
        se = corpus.side_effects
        # Side-effect names repeat across pages: as a categorical, every chart groups on integer codes.
        self.side_effects = se.assign(name=se["name"].astype("category")) if len(se) else se
        self.drugs: tuple[str, ...] = tuple(sorted(map(str, corpus.articles["drug"].unique())))
        self.conditions: tuple[str, ...] = tuple(sorted(map(str, corpus.articles["condition"].unique())))
        self.top = top
        self._state = state
        self._rows, self._mask = self._filter(state)
        self._related = lru_cache(maxsize=32)(self._related_figure)
        self._claims: pd.DataFrame | None = None
        self._claim_rows: tuple[FilterState, pd.DataFrame] | None = None

    @property
    def state(self) -> FilterState:
        """The current filters (immutable; change them with :meth:`set_state`)."""
        return self._state

    @property
    def rows(self) -> pd.DataFrame:
        """The side effects matching the current filters."""
        return self._rows

    def _filter(self, state: FilterState) -> tuple[pd.DataFrame, np.ndarray | None]:
        if state.is_empty:
            return self.side_effects, None
        mask = filter_mask(self.side_effects, state)
        return self.side_effects[mask], mask

    def set_state(self, state: FilterState) -> bool:
        """Apply new filters; return whether anything changed."""
        if state == self._state:
            return False
        self._state = state
        self._rows, self._mask = self._filter(state)
        return True

    # -- the label check
    @property
    def claims(self) -> pd.DataFrame:
        """Every side-effect claim checked against the label facts (:func:`explorer.label.claims_table`).

        Computed once per corpus, on first use (matching is the slow part); row ``i`` is the claim of
        row ``i`` of :attr:`side_effects`, so the filters select claims with the side effects' mask.
        """
        if self._claims is None:
            from .label import claims_table

            self._claims = claims_table(self.side_effects, self.corpus.label_facts)
        return self._claims

    @property
    def claim_rows(self) -> pd.DataFrame:
        """The claims of the side effects matching the current filters (the same rows as :attr:`rows`)."""
        if self._claim_rows is None or self._claim_rows[0] != self._state:
            claims = self.claims
            self._claim_rows = (self._state, claims if self._mask is None else claims[self._mask])
        return self._claim_rows[1]

    def claims_summary(self) -> str:
        return claims_summary_line(self.claim_rows)

    def claims_figure(self) -> go.Figure:
        return charts.claims_by_status(self.claim_rows)

    def claims_csv(self) -> str:
        """The shown claims as CSV text, headed by the coverage note (:func:`explorer.label.claims_csv`)."""
        from .label import claims_csv

        return claims_csv(self.claim_rows)

    @property
    def focus_drug(self) -> str | None:
        """The drug whose related-conditions map is shown: the first chosen one, else the commonest shown."""
        if self._state.drugs:
            return self._state.drugs[0]
        if len(self._rows):
            counts = self._rows["drug"].value_counts(sort=True)
            return str(counts.index[0])
        return self.drugs[0] if self.drugs else None

    def summary(self) -> str:
        return summary_line(self._rows)

    def severity_figure(self) -> go.Figure:
        return charts.severity_bar(self._rows)

    def matrix_figure(self) -> go.Figure:
        return charts.claim_matrix_figure(self._rows, top=self.top)

    def related_figure(self) -> go.Figure:
        return self._related(self.focus_drug, self._state.conditions)

    def _related_figure(self, drug: str | None, selected: tuple[str, ...]) -> go.Figure:
        return charts.related_map(self.corpus.related, self.corpus.articles, drug, selected)

    def n_table_pages(self, size: int = PAGE_SIZE) -> int:
        return max(1, -(-len(self._rows) // size))


# --- widgets --------------------------------------------------------------------------------------

# Why a loader: a plain FigureWidget carries plotly's 5 MB bundle in its own state, so every chart
# sends it over the websocket and the browser evaluates it once per chart (about 1 s each, more on a
# loaded machine). anywidget rejects a model whose module is not ready within 2 s of its creation
# ("[anywidget] Failed to initialize model."), after which the chart ignores every update. This
# module is a few lines: it imports the bundle by URL, which the browser fetches, evaluates and
# caches once per page, shared by all charts. The bundle's default export is a factory, called once
# per model, so charts keep separate state.
_SHARED_BUNDLE_ESM = """\
const config = JSON.parse(document.getElementById("jupyter-config-data")?.textContent || "{}");
const base = config.fullLabextensionsUrl || ((config.baseUrl || "/") + "voila/labextensions");
const url = new URL(base.replace(/\\/?$/, "/") + %s, document.baseURI).href;
const bundle = await import(url).catch((error) => {
  throw new Error(`explorer: plotly's widget bundle is not served at ${url} (serve the dashboard ` +
                  `with 'explorer serve'): ${error}`);
});
export default bundle.default;
""" % json.dumps(f"{PLOTLY_BUNDLE}?v={plotly.__version__}")


class SharedBundleFigureWidget(go.FigureWidget):
    """A ``go.FigureWidget`` whose front end is imported by URL from the server, not sent in its state.

    Only for pages served by ``explorer serve`` (which serves :data:`PLOTLY_BUNDLE`); elsewhere, use
    ``go.FigureWidget``. Python-side behaviour is that of ``go.FigureWidget``.
    """

    _esm = _SHARED_BUNDLE_ESM


def served_by_voila() -> bool:
    """True in a kernel started by Voila (it sets ``SERVER_SOFTWARE=voila/<version>``)."""
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila/")


class _Picker(widgets.VBox):
    """A multi-select that stays usable with thousands of options: type to narrow the list."""

    def __init__(self, label: str, options: tuple[str, ...], value: tuple[str, ...] = (), rows: int = 6):
        self._all = options
        self._text = widgets.Text(placeholder=f"type to narrow {len(options):,} {label.lower()}s",
                                  layout=widgets.Layout(width="260px"))
        self._select = widgets.SelectMultiple(options=narrow(options, ""), rows=rows,
                                              layout=widgets.Layout(width="260px"))
        self._count = widgets.HTML(layout=widgets.Layout(width="260px"))
        self._chosen = tuple(value)
        self._syncing = False
        super().__init__([widgets.HTML(f"<b>{html.escape(label)}</b>"), self._text, self._select, self._count])
        self.add_class("explorer-picker")
        self.add_class(f"explorer-picker-{label.lower()}")
        self._show()
        self._text.observe(lambda _: self._show(), "value")
        self._select.observe(self._on_select, "value")

    @property
    def value(self) -> tuple[str, ...]:
        return self._chosen

    @value.setter
    def value(self, value: Iterable[str]) -> None:
        self._chosen = tuple(value)
        self._show()

    def observe_value(self, handler) -> None:
        self._handler = handler

    def _show(self) -> None:
        shown = narrow(self._all, self._text.value)
        options = list(self._chosen) + [o for o in shown if o not in self._chosen]
        self._syncing = True
        try:
            self._select.options = options
            self._select.value = self._chosen
        finally:
            self._syncing = False
        matches = sum(1 for _ in narrow(self._all, self._text.value, limit=len(self._all) + 1))
        more = f"; first {len(shown):,} listed, type to narrow" if matches > len(shown) else ""
        self._count.value = f"<small>{matches:,} of {len(self._all):,} match{more}</small>"

    def _on_select(self, change) -> None:
        if self._syncing:
            return
        # Options hidden by the narrowing text stay chosen; the visible ones follow the selection.
        visible = set(self._select.options)
        kept = [c for c in self._chosen if c not in visible]
        self._chosen = tuple(kept + list(change["new"]))
        handler = getattr(self, "_handler", None)
        if handler is not None:
            handler()


_CSS = """<style>
.explorer-table {border-collapse: collapse; font-size: 12px; width: 100%;}
.explorer-table th, .explorer-table td {border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left;
  vertical-align: top;}
.explorer-table th {background: #f4f4f4;}
.explorer-note {color: #8a4b00;}
</style>"""


class Dashboard(widgets.VBox):
    """The side-effects dashboard: pickers, severity toggles, search, three charts and a results table,
    and a "Label check" tab with the same rows' claims checked against the label facts.

    Parameters
    ----------
    corpus : the loaded corpus.
    state : filters to start with (for example read from the page address).
    notes : messages to show above the dashboard (for example ignored address values).
    figure_widget : the chart widget class; :func:`app` passes :class:`SharedBundleFigureWidget` when
        Voila serves the page.

    The current filters are :attr:`state`; every control change goes through one handler that builds
    a new FilterState, and the charts (``go.FigureWidget``) are updated in place.
    """

    def __init__(self, corpus: Corpus, state: FilterState = FilterState(), notes: Iterable[str] = (),
                 figure_widget: type[go.FigureWidget] = go.FigureWidget):
        self._model = DashboardModel(corpus, state)
        self._table_page = 0
        self._syncing = False
        self._build_controls()
        self._figures = {
            "severity": figure_widget(self._model.severity_figure()),
            "matrix": figure_widget(self._model.matrix_figure()),
            "related": figure_widget(self._model.related_figure()),
        }
        self._notes = widgets.HTML(self._notes_html(notes))
        self._summary = widgets.HTML()
        self._table = widgets.HTML()
        self._table.add_class("explorer-results")
        self._table_count = widgets.HTML()
        self._prev = widgets.Button(description="◀ Previous", layout=widgets.Layout(width="110px"))
        self._next = widgets.Button(description="Next ▶", layout=widgets.Layout(width="110px"))
        self._download = widgets.HTML()
        self._download.add_class("explorer-download")
        self._prepare_csv = widgets.Button(description="Prepare CSV", icon="download")
        self._prev.on_click(lambda _: self._turn(-1))
        self._next.on_click(lambda _: self._turn(+1))
        self._prepare_csv.on_click(lambda _: self._show_csv_link(force=True))
        self._figure_widget = figure_widget
        # The label check is built when its tab is first opened: matching claims to label facts is
        # the slow part of the model, and a chart built then is built with its data (see below).
        self._label = widgets.VBox()
        self._label.add_class("explorer-label-check")
        self._label_stale = True
        self._claims_page = 0
        super().__init__(self._build_layout())
        self.add_class("explorer-dashboard")
        self._tabs.observe(lambda _: self._show_label(), "selected_index")
        self._show_state()
        # The figures were built with their data: changing a FigureWidget before the browser has
        # drawn it leaves it empty in Voila, so only the rest is filled in here.
        self._show_rows(figures=False)

    def __repr__(self) -> str:  # also the notebook's text/plain output, which nbval checks
        return f"Dashboard({self._model.summary()})"

    # -- read-only view for code and tests
    @property
    def state(self) -> FilterState:
        """The current filters (read-only; drive the dashboard through its controls)."""
        return self._model.state

    @property
    def model(self) -> DashboardModel:
        return self._model

    @property
    def figures(self) -> Mapping[str, go.FigureWidget]:
        """The chart widgets by name: severity, matrix, related, and claims once the label tab was opened."""
        return dict(self._figures)

    def add_tab(self, title: str, child: widgets.Widget) -> None:
        """Add a panel (for example the label check) after the side-effects view."""
        self._tabs.children = (*self._tabs.children, child)
        self._tabs.set_title(len(self._tabs.children) - 1, title)

    # -- building
    def _build_controls(self) -> None:
        m, s = self._model, self._model.state
        self._drugs = _Picker("Drug", m.drugs, s.drugs, rows=4)
        self._conditions = _Picker("Condition", m.conditions, s.conditions)
        self._severities = {}
        for level in SEVERITY_LEVELS:
            b = widgets.ToggleButton(value=level in s.severities, description=charts.severity_label(level),
                                     tooltip=f"show {level} side effects (several may be on)",
                                     layout=widgets.Layout(width="120px",
                                                           border_bottom=f"4px solid {SEVERITY_COLOURS[level]}"))
            b.add_class(f"explorer-severity-{level.replace(' ', '-')}")
            self._severities[level] = b
        self._search = widgets.Text(value=s.search, placeholder="search names and descriptions",
                                    continuous_update=False, layout=widgets.Layout(width="260px"))
        self._search.add_class("explorer-search")
        self._drugs.observe_value(self._on_change)
        self._conditions.observe_value(self._on_change)
        for b in self._severities.values():
            b.observe(self._on_change, "value")
        self._search.observe(self._on_change, "value")

    def _build_layout(self) -> list[widgets.Widget]:
        severity_box = widgets.VBox([widgets.HTML("<b>Severity</b> <small>(none on: all)</small>"),
                                     widgets.VBox(list(self._severities.values())),
                                     widgets.HTML("<b>Search</b>"), self._search])
        controls = widgets.HBox([self._drugs, self._conditions, severity_box],
                                layout=widgets.Layout(flex_flow="row wrap", grid_gap="16px"))
        f = self._figures
        side_effects = widgets.VBox([
            controls, self._summary,
            widgets.HBox([f["severity"], f["related"]], layout=widgets.Layout(flex_flow="row wrap")),
            f["matrix"],
            widgets.HBox([self._prev, self._next, self._table_count, self._prepare_csv, self._download],
                         layout=widgets.Layout(align_items="center", grid_gap="8px")),
            self._table])
        self._tabs = widgets.Tab(children=[side_effects, self._label])
        self._tabs.set_title(0, "Side effects")
        self._tabs.set_title(1, LABEL_TAB)
        title = widgets.HTML(f"{_CSS}<h2>Side effects claimed by “Drug for Condition” pages</h2>"
                             f"<small>{_plural(len(self._model.corpus.articles), 'page')} loaded</small>")
        return [title, self._notes, self._tabs]

    @staticmethod
    def _notes_html(notes: Iterable[str]) -> str:
        notes = list(notes)
        return "".join(f'<div class="explorer-note">⚠ {html.escape(n)}</div>' for n in notes)

    # -- the one change handler
    def _on_change(self, change=None) -> None:
        if self._syncing:
            return
        state = FilterState(
            drugs=self._drugs.value, conditions=self._conditions.value,
            severities=tuple(level for level, b in self._severities.items() if b.value),
            search=self._search.value)
        if self._model.set_state(state):
            self._table_page = 0
            self._show_rows()

    # -- display
    def _show_state(self) -> None:
        """Put the model's state into the controls (at start, e.g. from the page address)."""
        s = self._model.state
        self._syncing = True
        try:
            self._drugs.value, self._conditions.value = s.drugs, s.conditions
            for level, b in self._severities.items():
                b.value = level in s.severities
            self._search.value = s.search
        finally:
            self._syncing = False

    def _show_rows(self, figures: bool = True) -> None:
        m = self._model
        if figures:
            for name, figure in (("severity", m.severity_figure()), ("matrix", m.matrix_figure()),
                                 ("related", m.related_figure())):
                update_in_place(self._figures[name], figure)
        self._show_table()
        self._show_csv_link()
        self._label_stale = True
        self._claims_page = 0
        self._show_label()
        # Written last, so a viewer (or a test) seeing the new summary knows the rest was sent.
        self._summary.value = f"<p class='explorer-summary'><b>{html.escape(m.summary())}</b></p>"

    # -- the label check tab
    @property
    def label_tab_open(self) -> bool:
        return self._tabs.selected_index == 1

    def _build_label(self) -> None:
        from .label import COVERAGE_NOTE

        m = self._model
        self._figures["claims"] = self._figure_widget(m.claims_figure())
        self._claims_summary = widgets.HTML()
        self._claims_table = widgets.HTML()
        self._claims_table.add_class("explorer-claims")
        self._claims_count = widgets.HTML()
        self._claims_prev = widgets.Button(description="◀ Previous", layout=widgets.Layout(width="110px"))
        self._claims_next = widgets.Button(description="Next ▶", layout=widgets.Layout(width="110px"))
        self._claims_prev.on_click(lambda _: self._turn_claims(-1))
        self._claims_next.on_click(lambda _: self._turn_claims(+1))
        self._claims_download = widgets.HTML()
        self._claims_download.add_class("explorer-claims-download")
        note = widgets.HTML(f'<p class="explorer-note explorer-coverage">ⓘ {html.escape(COVERAGE_NOTE)}</p>')
        self._label.children = [
            note, self._claims_summary, self._figures["claims"],
            widgets.HBox([self._claims_prev, self._claims_next, self._claims_count, self._claims_download],
                         layout=widgets.Layout(align_items="center", grid_gap="8px")),
            self._claims_table]

    def _show_label(self) -> None:
        """Bring the label check up to the current filters, if its tab is open (else when opened)."""
        if not (self.label_tab_open and self._label_stale):
            return
        m = self._model
        if "claims" not in self._figures:
            self._build_label()  # the chart is built with the current data: nothing to update
        else:
            update_in_place(self._figures["claims"], m.claims_figure())
        self._label_stale = False
        self._show_claims_table()
        claims = m.claim_rows
        if len(claims) <= CSV_INLINE_LIMIT:
            data = base64.b64encode(m.claims_csv().encode("utf-8")).decode("ascii")
            self._claims_download.value = (f'<a download="label-check.csv" href="data:text/csv;charset=utf-8;'
                                           f'base64,{data}">Download CSV ({_plural(len(claims), "claim")})</a>')
        else:
            self._claims_download.value = (f"<small>{len(claims):,} claims: narrow the filters to download, or use "
                                           "<code>explorer audit --format csv</code></small>")
        self._claims_summary.value = f"<p class='explorer-claims-summary'><b>{html.escape(m.claims_summary())}</b></p>"

    def _show_claims_table(self) -> None:
        claims, size = self._model.claim_rows, PAGE_SIZE
        pages = max(1, -(-len(claims) // size))
        self._claims_page = min(max(self._claims_page, 0), pages - 1)
        start = self._claims_page * size
        stop = min(start + size, len(claims))
        self._claims_table.value = claims_html(claims, start, size)
        self._claims_count.value = (f"<span class='explorer-count'>claims {start + 1:,}–{stop:,} of {len(claims):,}"
                                    "</span>" if len(claims) else "<span class='explorer-count'>no claims</span>")
        self._claims_prev.disabled = self._claims_page == 0
        self._claims_next.disabled = self._claims_page >= pages - 1

    def _turn_claims(self, step: int) -> None:
        self._claims_page += step
        self._show_claims_table()

    def _show_table(self) -> None:
        rows, size = self._model.rows, PAGE_SIZE
        pages = self._model.n_table_pages(size)
        self._table_page = min(max(self._table_page, 0), pages - 1)
        start = self._table_page * size
        stop = min(start + size, len(rows))
        self._table.value = table_html(rows, start, size)
        self._table_count.value = (f"<span class='explorer-count'>rows {start + 1:,}–{stop:,} of {len(rows):,}"
                                   f"</span>" if len(rows) else "<span class='explorer-count'>no rows</span>")
        self._prev.disabled = self._table_page == 0
        self._next.disabled = self._table_page >= pages - 1

    def _turn(self, step: int) -> None:
        self._table_page += step
        self._show_table()

    def _show_csv_link(self, force: bool = False) -> None:
        rows = self._model.rows
        small = len(rows) <= CSV_INLINE_LIMIT
        self._prepare_csv.layout.display = "none" if small or force else None
        if small or force:
            self._download.value = (f'<a download="side-effects.csv" href="{csv_data_url(rows)}">'
                                    f'Download CSV ({_plural(len(rows), "row")})</a>')
        else:
            self._download.value = f"<small>{len(rows):,} rows: prepare the CSV first</small>"


def update_in_place(widget: go.FigureWidget, figure: go.Figure) -> None:
    """Copy a new figure's traces and layout into a FigureWidget in one batch (one message)."""
    keys = ("title", "height", "xaxis", "yaxis", "legend")
    if len(widget.data) != len(figure.data) or any(a.type != b.type for a, b in zip(widget.data, figure.data)):
        widget.data = ()
        widget.add_traces(figure.data)
        widget.layout.update({k: figure.layout[k] for k in keys})
        return
    with widget.batch_update():
        for trace, new in zip(widget.data, figure.data):
            props = new.to_plotly_json()
            props.pop("type", None)
            trace.update(props, overwrite=True)
        widget.layout.update({k: figure.layout[k] for k in keys})


def app(corpus: Corpus | None = None, query: str | None = None) -> widgets.Widget:
    """The dashboard as served: the corpus named by $EXPLORER_CORPUS (else the embedded data), with
    filters preset from the page address ($QUERY_STRING, which Voila passes to the kernel).

    A corpus that cannot be loaded gives a short message, not a traceback.
    """
    if corpus is None:
        from . import load
        from .store import CorpusError

        path = os.environ.get(CORPUS_ENV) or None
        try:
            corpus = load(Path(path) if path else None)
        except (CorpusError, OSError, ValueError) as exc:
            return widgets.HTML(f"<p class='explorer-note'>Could not load the corpus: {html.escape(str(exc))}</p>")
    query = os.environ.get("QUERY_STRING", "") if query is None else query
    model_drugs = map(str, corpus.articles["drug"].unique())
    model_conditions = map(str, corpus.articles["condition"].unique())
    state, notes = filters_from_query(query, model_drugs, model_conditions)
    figure_widget = SharedBundleFigureWidget if served_by_voila() else go.FigureWidget
    return Dashboard(corpus, state=state, notes=notes, figure_widget=figure_widget)
