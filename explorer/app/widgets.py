"""The dashboard widget: controls, charts and tables over a :class:`~explorer.app.model.DashboardModel`.

:class:`Dashboard` (a ``VBox``) only displays the model and turns control changes into a new
:class:`~explorer.explore.filters.FilterState` through one change handler; everything shown is computed
by the model and rendered by :mod:`explorer.app.render`. The "Label check" tab shows the claims of the
same rows checked against the label facts (matched once per corpus when the tab is first opened, then
filtered with the side effects' mask).

Served by Voila, the charts are :class:`~explorer.app.figures.SharedBundleFigureWidget`: plotly's 5 MB
front end is fetched once per page instead of travelling in every chart's state.
"""
from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Iterable, Mapping

from ..startup import import_jsonschema_without_iri_grammar

import_jsonschema_without_iri_grammar()  # before plotly's widgets import jsonschema: see explorer.startup

import ipywidgets as widgets  # noqa: E402
import pandas as pd  # noqa: E402
import plotly.graph_objects as go  # noqa: E402

from .. import config  # noqa: E402
from ..audit.report import claims_csv  # noqa: E402
from ..display import folder_shown  # noqa: E402
from ..corpus.dataset import Corpus, load  # noqa: E402
from ..corpus.store import CorpusError  # noqa: E402
from ..explore.filters import FilterState  # noqa: E402
from ..vocabulary import SEVERITY_LEVELS, severity_label  # noqa: E402
from ..audit.vocabulary import STATUS_LEVELS  # noqa: E402
from .model import DashboardModel, claims_summary_line  # noqa: E402
from .controls import PagedTable, Picker, plural  # noqa: E402
from .auditing import audited  # noqa: E402
from .figures import SharedBundleFigureWidget, served_by_voila, update_in_place  # noqa: E402,F401
from .overview import FINDING_KEYS, OverviewModel  # noqa: E402
from .panels import OverviewPanel, PagePanel  # noqa: E402
from .render import (attention_order, claims_html, coverage_notes, filters_from_query, table_html,  # noqa: E402
                     view_from_query)
from .style import severity_class, stylesheet  # noqa: E402

#: The dashboard's tabs, in order: the overview and findings first.
OVERVIEW_TAB, SIDE_EFFECTS_TAB, LABEL_TAB, PAGE_TAB = "Overview", "Side effects", "Label check", "Page"
TABS = (OVERVIEW_TAB, SIDE_EFFECTS_TAB, LABEL_TAB, PAGE_TAB)

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
    facts : label facts for the label check (default: the corpus's, else the reference data).
    labels : a label store: the label check then reads the imported labels' full text, with evidence.
    audit : the corpus's :class:`~explorer.audit.audit.Audit` when already at hand (:func:`app` passes it);
        by default the one saved beside the corpus, computed on first use when missing or stale.

    The current filters are :attr:`state`; every control change goes through one handler that builds
    a new FilterState, and the charts (``go.FigureWidget``) are updated in place.
    """

    def __init__(self, corpus: Corpus, state: FilterState = FilterState(), notes: Iterable[str] = (),
                 figure_widget: type[go.FigureWidget] = go.FigureWidget, facts: pd.DataFrame | None = None,
                 labels=None, view: Mapping[str, str] | None = None, audit=None):
        self._model = DashboardModel(corpus, state, facts=facts, labels=labels, audit=audit)
        self._overview_model = OverviewModel(self._model)
        self._syncing = False
        self._figure_widget = figure_widget
        self._build_controls()
        # The charts are built when their tab is first shown, with the data of that moment: the overview
        # opens first, and a FigureWidget changed before the browser has drawn it stays empty in Voila.
        self._figures: dict[str, go.FigureWidget] = {}
        self._notes = widgets.HTML("".join(f'<div class="explorer-note">{html.escape(n)}</div>' for n in notes))
        self._summary = widgets.HTML()
        self._results = PagedTable(table_html, "row", "explorer-results", "side-effects.csv")
        # The label check is built when its tab is first opened: matching claims to label facts is
        # the slow part of the model, and a chart built then is built with its data (see below).
        self._label = widgets.VBox()
        self._label.add_class("explorer-label-check")
        self._label_stale = True
        self._status = widgets.Dropdown(options=[("every status", None), *((s, s) for s in STATUS_LEVELS)],
                                        value=None, description="Label status", style={"description_width": "90px"})
        self._status.add_class("explorer-status-filter")
        self._status.observe(lambda _: self._refresh_label(), "value")
        self._overview = OverviewPanel(self._overview_model, self._go, self.show_page)
        self._overview_stale = True
        self._page = PagePanel(self._overview_model)
        super().__init__(self._build_layout())
        self.add_class("explorer-dashboard")
        self._show_state()
        self._open_view(view or {})
        self._tabs.observe(lambda _: self._show_tab(), "selected_index")
        self._show_rows()

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
        """The chart widgets by name: severity, matrix and related once the side-effects tab was shown, claims
        once the label tab was."""
        return dict(self._figures)

    @property
    def overview(self) -> OverviewPanel:
        return self._overview

    @property
    def page(self) -> PagePanel:
        return self._page

    @property
    def label_tab_open(self) -> bool:
        return self._tabs.selected_index == TABS.index(LABEL_TAB)

    def open_tab(self, title: str) -> None:
        """Show one tab (:data:`TABS`)."""
        self._tabs.selected_index = TABS.index(title)

    def show_page(self, source_file: str, line: int | None = None) -> None:
        """Open the page view on one page of the corpus (at a line)."""
        self._page.show(source_file, line)
        self.open_tab(PAGE_TAB)

    def _go(self, where: str, status: str | None = None) -> None:
        """What a count of the overview opens: the side effects, or the claims (of one status)."""
        if where == "label check":
            self._status.value = status
            self.open_tab(LABEL_TAB)
        else:
            self.open_tab(SIDE_EFFECTS_TAB)

    def _open_view(self, view: Mapping[str, str]) -> None:
        """Start on what the address names: a page (``page``, ``line``), a finding, or a tab; a value that
        names none of these gets a note (as unknown filters do)."""
        notes = []

        def ignored(key: str, why: str) -> None:
            notes.append(f"Ignored {key} {view[key]!r} from the address: {why}.")

        tab_keys = {t.casefold().replace(" ", "-"): t for t in TABS}
        tab = tab_keys.get(view.get("tab", "").casefold().replace(" ", "-"))
        if tab:
            self._tabs.selected_index = TABS.index(tab)
        elif "tab" in view:
            ignored("tab", f"expected one of {', '.join(tab_keys)}")
        status = {s.casefold(): s for s in STATUS_LEVELS}.get(view.get("status", "").casefold())
        if status:
            self._status.value = status
            self._tabs.selected_index = TABS.index(LABEL_TAB)
        elif "status" in view:
            ignored("status", "not a label status")
        if view.get("finding") in FINDING_KEYS:
            self._overview.finding.value = view["finding"]
        elif "finding" in view:
            ignored("finding", f"expected one of {', '.join(FINDING_KEYS)}")
        line = view.get("line", "")
        if line and not line.isdigit():
            ignored("line", "not a line number")
        elif line and not view.get("page"):
            ignored("line", "it needs a page")
        if view.get("page"):
            if not self._model.corpus.articles["source_file"].astype(str).eq(view["page"]).any():
                ignored("page", "not a page of this corpus")
            self._page.show(view["page"], int(line) if line.isdigit() else None)
            self._tabs.selected_index = TABS.index(PAGE_TAB)
        if notes:
            self._notes.value += "".join(f'<div class="explorer-note">{html.escape(n)}</div>' for n in notes)

    # -- building
    def _build_controls(self) -> None:
        m, s, pages = self._model, self._model.state, self._overview_model.page_counts

        def note(column: str, word: str) -> str:  # which pages a picker's options come from
            named = m.values_with_side_effects(column)
            return (f"{plural(len(getattr(m, column + 's')), word)} named by the {pages.read:,} pages read; "
                    f"{named:,} by the {pages.with_side_effects:,} with side effects")

        self._drugs = Picker("Drug", m.drugs, s.drugs, rows=4, note=note("drug", "drug"))
        self._conditions = Picker("Condition", m.conditions, s.conditions, note=note("condition", "condition"))
        self._severities = {}
        for level in SEVERITY_LEVELS:
            b = widgets.ToggleButton(value=level in s.severities, description=severity_label(level),
                                     tooltip=f"show {level} side effects (several may be on)",
                                     layout=widgets.Layout(width="140px"))
            b.add_class(f"explorer-severity-{level.replace(' ', '-')}")
            b.add_class("explorer-severity-toggle")
            b.add_class(severity_class(level))
            self._severities[level] = b
        self._search = widgets.Text(value=s.search, placeholder="search names and descriptions", description="Search",
                                    continuous_update=False, layout=widgets.Layout(width="300px"),
                                    style={"description_width": "50px"})
        self._search.add_class("explorer-search")
        self._sites = Picker("Site", m.sites, s.sites, rows=3, note=note("site", "site"))
        self._prose = widgets.Checkbox(value=s.prose, description="include side effects read from prose",
                                       indent=False, layout=widgets.Layout(width="260px"))
        self._prose.add_class("explorer-prose")
        self._drugs.observe_value(self._on_change)
        self._conditions.observe_value(self._on_change)
        self._sites.observe_value(self._on_change)
        self._prose.observe(self._on_change, "value")
        for b in self._severities.values():
            b.observe(self._on_change, "value")
        self._search.observe(self._on_change, "value")

    def _build_layout(self) -> list[widgets.Widget]:
        severity_box = widgets.VBox([widgets.HTML("<b>Severity</b> <small>(none on: all)</small>"),
                                     widgets.VBox(list(self._severities.values())),
                                     self._search, self._prose])
        controls = widgets.HBox([self._drugs, self._conditions, self._sites, severity_box],
                                layout=widgets.Layout(flex_flow="row wrap", grid_gap="16px"))
        self._charts = widgets.GridBox(layout=widgets.Layout(
            grid_template_columns="repeat(auto-fit, minmax(min(560px, 100%), 1fr))", grid_gap="12px", width="100%"))
        self._charts.add_class("explorer-charts")
        side_effects = widgets.VBox([controls, self._summary, self._charts, self._results])
        self._tabs = widgets.Tab(children=[self._overview, side_effects, self._label, self._page])
        for i, title in enumerate(TABS):
            self._tabs.set_title(i, title)
        title = widgets.HTML(f"{stylesheet()}<div class='explorer-header'><h1>Side effects claimed by “Drug for "
                             f"Condition” pages</h1><p class='explorer-page-counts'>"
                             f"{html.escape(self._overview_model.page_counts.sentence())}</p></div>")
        return [title, self._notes, self._tabs]

    # -- the one change handler
    def _on_change(self, change=None) -> None:
        if self._syncing:
            return
        state = FilterState(
            drugs=self._drugs.value, conditions=self._conditions.value,
            severities=tuple(level for level, b in self._severities.items() if b.value),
            search=self._search.value, sites=self._sites.value, prose=self._prose.value)
        if self._model.set_state(state):
            self._show_rows()

    # -- display
    def _show_state(self) -> None:
        """Put the model's state into the controls (at start, e.g. from the page address)."""
        s = self._model.state
        self._syncing = True
        try:
            self._drugs.value, self._conditions.value, self._sites.value = s.drugs, s.conditions, s.sites
            self._prose.value = s.prose
            for level, b in self._severities.items():
                b.value = level in s.severities
            self._search.value = s.search
        finally:
            self._syncing = False

    def _chart_figures(self) -> dict[str, go.Figure]:
        m = self._model
        return {"severity": m.severity_figure(), "related": m.related_figure(), "matrix": m.matrix_figure()}

    def _show_charts(self) -> None:
        """Build the side-effects charts (when their tab is first shown), else update them in place."""
        if "severity" not in self._figures:
            for name, figure in self._chart_figures().items():
                self._figures[name] = self._figure_widget(figure)
                self._figures[name].layout.width = None  # the grid cell's width
                self._figures[name].add_class("explorer-chart")
                self._figures[name].add_class(f"explorer-chart-{name}")
            # The two charts of the shown rows side by side (both a row per condition: similar heights),
            # the drug's related conditions in a row of their own (the stylesheet spans it).
            self._charts.children = [self._figures[n] for n in ("severity", "matrix", "related")]
        else:
            for name, figure in self._chart_figures().items():
                update_in_place(self._figures[name], figure)

    def _show_rows(self) -> None:
        m = self._model
        self._charts_stale = True
        self._results.show(m.rows, m.rows_csv)
        self._label_stale = self._overview_stale = True
        self._show_tab()
        # Written last, so a viewer (or a test) seeing the new summary knows the rest was sent.
        self._summary.value = f"<p class='explorer-summary'><b>{html.escape(m.summary())}</b></p>"

    def _show_tab(self) -> None:
        """Bring the open tab up to the current filters (the others catch up when opened)."""
        if self._tabs.selected_index == TABS.index(SIDE_EFFECTS_TAB) and self._charts_stale:
            self._charts_stale = False
            self._show_charts()
        self._show_label()
        if self._tabs.selected_index == TABS.index(PAGE_TAB):
            self._page.ensure_shown()
        if self._tabs.selected_index == TABS.index(OVERVIEW_TAB) and self._overview_stale:
            self._overview_stale = False
            self._overview.refresh()

    def _build_label(self) -> None:
        self._figures["claims"] = self._figure_widget(self._model.claims_figure())
        self._claims_summary = widgets.HTML()
        self._claims = PagedTable(claims_html, "claim", "explorer-claims", "label-check.csv")
        self._coverage = widgets.HTML()
        self._label.children = [self._coverage, self._status, self._claims_summary, self._figures["claims"],
                                self._claims]

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
        self._refresh_label()

    def _refresh_label(self) -> None:
        """The claims table and its summary, of the chosen label status (every status: all claims shown)."""
        if "claims" not in self._figures:
            return
        m, status = self._model, self._status.value
        rows = m.claim_rows if status is None else m.claim_rows[(m.claim_rows["status"] == status).to_numpy()]
        # shown with the rows that need attention first; the CSV keeps the corpus's order
        self._claims.show(rows.iloc[attention_order(rows)],
                          (lambda: claims_csv(rows)) if status is not None else m.claims_csv)
        self._coverage.value = "".join(f'<p class="explorer-note explorer-info explorer-coverage">{html.escape(n)}</p>'
                                       for n in coverage_notes(rows, m.curated_drugs))
        summary = m.claims_summary() if status is None else f"{claims_summary_line(rows)} (label status: {status})"
        self._claims_summary.value = f"<p class='explorer-claims-summary'><b>{html.escape(summary)}</b></p>"


def app(corpus: Corpus | None = None, query: str | None = None) -> widgets.Widget:
    """The dashboard as served: the corpus named by $EXPLORER_CORPUS (else the embedded data), the label
    store named by $EXPLORER_LABELS (else the curated facts only), with filters preset from the page
    address ($QUERY_STRING, which Voila passes to the kernel).

    A corpus or label store that cannot be loaded gives a short message, not a traceback.
    """
    if corpus is None:
        path = os.environ.get(config.CORPUS_ENV) or None
        try:
            # The embedded corpus is validated by the test suite (it is committed and reproduced by
            # explorer ingest in CI): the served app does not validate it again at every start.
            corpus = load(Path(path) if path else None, validate=None if path else False)
        except (CorpusError, OSError, ValueError) as exc:
            return _not_loaded("corpus", exc, path or config.CORPUS_DIR, "--data")
    labels = None
    if os.environ.get(config.LABELS_ENV):
        from ..labels.store import LabelStore, LabelStoreError

        try:
            labels = LabelStore(os.environ[config.LABELS_ENV])
        except (LabelStoreError, OSError, ValueError) as exc:
            return _not_loaded("labels", exc, os.environ[config.LABELS_ENV], "--labels")
    query = os.environ.get("QUERY_STRING", "") if query is None else query
    query, view = view_from_query(query)
    sites = corpus.articles["site"].dropna().unique() if "site" in corpus.articles.columns else ()
    state, notes = filters_from_query(query, map(str, corpus.articles["drug"].unique()),
                                      map(str, corpus.articles["condition"].dropna().unique()), map(str, sites))
    figure_widget = SharedBundleFigureWidget if served_by_voila() else go.FigureWidget

    def build(audit) -> widgets.Widget:
        return Dashboard(corpus, state=state, notes=notes, figure_widget=figure_widget, labels=labels, view=view,
                         audit=audit)

    def failed(exc: CorpusError) -> widgets.Widget:  # a table read on first use (numbers, related...) is damaged
        return _not_loaded("corpus", exc, corpus.root, "--data")

    return audited(corpus, labels, build, failed, in_thread=served_by_voila())


def _not_loaded(what: str, exc: Exception, folder: str | Path, option: str) -> widgets.HTML:
    """The note shown instead of the dashboard when its corpus or label store cannot be loaded: the error,
    the folder as :func:`explorer.display.shown_folder` shows it (:func:`~explorer.display.folder_shown`),
    and what to do."""
    text = folder_shown(str(exc), folder)
    return _message(f"Could not load the {what}: {text.rstrip('.')}. Whoever runs the server should check the "
                    f"folder given to 'explorer serve {option}' (or rebuild it as the message says) and reload this page.")


def _message(text: str) -> widgets.HTML:
    """What the dashboard shows instead of itself when it cannot start: a note, in its own style."""
    return widgets.HTML(f"{stylesheet()}<div class='explorer-dashboard'><p class='explorer-note'>{html.escape(text)}</p></div>")

