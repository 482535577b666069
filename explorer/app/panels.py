"""The "Overview" and "Page" tabs of the dashboard, as widgets over an :class:`~explorer.app.overview.OverviewModel`.

:class:`OverviewPanel` shows the counts, the audit's headline (each number a button that opens the rows
behind it) and the findings (a finding, its ranked entries, the rows behind the chosen entry, each row
a link to its page view). :class:`PagePanel` shows one page as read, its claims highlighted. Both only
display; what is shown is computed by the model and rendered (escaped) by :mod:`explorer.app.render`
and :mod:`explorer.app.pageview`.
"""
from __future__ import annotations

import html
from typing import Callable

import ipywidgets as widgets
import pandas as pd

from .overview import FINDINGS, OverviewModel
from .render import finding_rows_html, narrow
from .style import status_class

#: Entries a ranked list shows (the first ones; the rest are counted).
ENTRY_LIMIT = 200


def _card(number: int, label: str, tooltip: str, css: str | None = None) -> widgets.Button:
    """A headline tile: the number on a first line (the stylesheet draws it large), its label under it;
    a button, so it is reached with Tab and read whole by a screen reader ("1,234 pages")."""
    b = widgets.Button(description=f"{number:,}\n{label}", tooltip=tooltip,
                       layout=widgets.Layout(width="auto", height="auto"))
    b.add_class("explorer-tile")
    if css:
        b.add_class(css)
    return b


class OverviewPanel(widgets.VBox):
    """Counts, the audit headline and the findings.

    Parameters
    ----------
    overview : the model.
    go : called with a tab name ("side effects", "label check") and, for the label check, a status:
        what a count's button opens.
    show_page : called with (source_file, line) when a row is chosen.
    """

    def __init__(self, overview: OverviewModel, go: Callable[..., None], show_page: Callable[[str, int | None], None]):
        self._overview, self._go, self._show_page = overview, go, show_page
        self._syncing = False
        self.counts = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.counts.add_class("explorer-counts")
        self.counts.add_class("explorer-tiles")
        self.counts_note = widgets.HTML()
        self.counts_note.add_class("explorer-counts-note")
        self.headline = widgets.HTML()
        self.headline.add_class("explorer-headline")
        self.statuses = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.statuses.add_class("explorer-statuses")
        self.statuses.add_class("explorer-tiles")
        self.findings = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.findings.add_class("explorer-tiles")
        self.finding = widgets.Dropdown(options=[(f.title, f.key) for f in FINDINGS], value=FINDINGS[0].key,
                                        description="Finding", layout=widgets.Layout(width="440px"),
                                        style={"description_width": "70px"})
        self.finding.add_class("explorer-finding")
        self.explain = widgets.HTML()
        self.entries = widgets.Select(options=[], rows=10, description="Ranked",
                                      layout=widgets.Layout(width="auto"), style={"description_width": "70px"})
        self.entries.add_class("explorer-entries")
        self.rows = widgets.HTML()
        self.rows.add_class("explorer-finding-rows")
        self.row_pick = widgets.Dropdown(options=[], description="Show page", layout=widgets.Layout(width="auto"),
                                         style={"description_width": "80px"})
        self.row_pick.add_class("explorer-row-pick")
        self.finding.observe(lambda _: self._show_entries(), "value")
        self.entries.observe(lambda _: self._show_rows(), "value")
        self.row_pick.observe(self._on_row_pick, "value")
        grid = widgets.GridBox([widgets.VBox([self.finding, self.explain, self.entries]),
                                widgets.VBox([self.row_pick, self.rows])],
                               layout=widgets.Layout(grid_template_columns="repeat(auto-fit, minmax(380px, 1fr))",
                                                     grid_gap="16px", width="100%"))
        super().__init__([widgets.HTML("<h3>What the pages say</h3>"), self.counts, self.counts_note,
                          widgets.HTML("<h3>Against the labels</h3>"), self.headline, self.statuses, self.findings,
                          widgets.HTML("<h3>Findings</h3>"), grid])
        self.add_class("explorer-overview")

    def open_finding(self, key: str) -> None:
        """Show one finding's ranked list (the first entry's rows)."""
        if self.finding.value == key:
            self._show_entries()
        else:
            self.finding.value = key

    def refresh(self) -> None:
        """Show the model's current state (after the filters changed)."""
        o = self._overview
        c = o.counts()
        cards = []
        for key, word, tab in (("pages", ("page with side effects", "pages with side effects"), "side effects"),
                               ("drugs", "drug", "side effects"), ("conditions", "condition", "side effects"),
                               ("sites", "site", "side effects"), ("claims", "side-effect claim", "label check")):
            one, many = word if isinstance(word, tuple) else (word, word + "s")
            label = one if c[key] == 1 else many
            b = _card(c[key], label, f"show the rows behind the {many}")
            b.add_class(f"explorer-count-{key}")
            b.on_click(lambda _, tab=tab: self._go(tab))
            cards.append(b)
        self.counts.children = cards
        pages = o.page_counts
        shown = "" if o.model.state.is_empty else " that the filters show"
        self.counts_note.value = (f"<p class='explorer-explain'>{html.escape(pages.sentence())}. The tiles count the "
                                  f"{pages.with_side_effects:,} pages with side effects{shown}, each content once; "
                                  f"drugs, conditions and sites are those these pages name.</p>")
        h = o.headline()
        self.headline.value = (
            f"<p>{h['claims']:,} side-effect claims checked against the label facts held: "
            f"<b>{h['serious_unsupported']:,}</b> serious without label support, <b>{h['tier_disagreements']:,}</b> "
            f"with a tier the label's incidence contradicts; <b>{h['pages_not_approved']:,}</b> of the "
            f"{h['pages_checked']:,} pages whose own condition was checked present a condition that is not among the "
            f"approved indications held; "
            f"<b>{h['stale_figures']:,}</b> figures only a superseded label gives.</p>")
        statuses = []
        for status, n in h["by_status"].items():
            if not n:
                continue
            b = _card(n, status, f"show the {status} claims in the label check", status_class(status))
            b.add_class("explorer-status-count")
            b.on_click(lambda _, s=status: self._go("label check", s))
            statuses.append(b)
        self.statuses.children = statuses
        links = []
        for key, n in (("serious", h["serious_unsupported"]), ("tiers", h["tier_disagreements"]),
                       ("indications", h["pages_not_approved"]), ("stale", h["stale_figures"])):
            title = next(f.title for f in FINDINGS if f.key == key)
            b = _card(n, title, f"open the finding: {title}")
            b.add_class(f"explorer-open-{key}")
            b.on_click(lambda _, k=key: self.open_finding(k))
            links.append(b)
        self.findings.children = links
        self._show_entries()

    def _show_entries(self) -> None:
        key = self.finding.value
        f = next(f for f in FINDINGS if f.key == key)
        ranked = self._overview.ranked(key)
        more = f"; the first {ENTRY_LIMIT:,} listed" if len(ranked) > ENTRY_LIMIT else ""
        extra = f" {self._overview.boilerplate_summary()}" if key == "boilerplate" else ""
        self.explain.value = f"<small>{html.escape(f.explain)}. {len(ranked):,} entries{more}.{html.escape(extra)}</small>"
        labels = self._overview.entry_labels(key, ENTRY_LIMIT)
        self._syncing = True
        try:
            self.entries.options = [(label, i) for i, label in enumerate(labels)]
            self.entries.value = 0 if labels else None
        finally:
            self._syncing = False
        self._show_rows()

    def _show_rows(self) -> None:
        if self._syncing and self.entries.value is None:
            return
        index = self.entries.value
        rows = self._overview.entry_rows(self.finding.value, index) if index is not None else pd.DataFrame()
        self.rows.value = finding_rows_html(rows)
        self._syncing = True
        try:
            picks = [("choose a row to read its page", None)]
            if len(rows):
                tiers = rows["tier"].astype(str).tolist() if "tier" in rows.columns else [""] * len(rows)
                picks += [(f"{f}:{line}" + (f" ({t})" if t else ""), (str(f), int(line)))
                          for f, line, t in zip(rows["source_file"].astype(str), rows["line"], tiers)][:ENTRY_LIMIT]
            self.row_pick.options = picks
            self.row_pick.value = None
        finally:
            self._syncing = False

    def _on_row_pick(self, change) -> None:
        if self._syncing or change["new"] is None:
            return
        self._show_page(*change["new"])


class PagePanel(widgets.VBox):
    """One page as its reader saw it: choose it by file (or from a finding, or ``?page=`` in the address)."""

    def __init__(self, overview: OverviewModel):
        self._overview = overview
        self._choices = overview.page_choices()
        self._paths = set(self._choices.values())
        first = next(iter(self._choices.values()), "")
        # A combobox: type part of a page's path or title, the list narrows (at most ENTRY_LIMIT listed at once,
        # narrowed here, so a corpus of 100,000 pages never sends them all); it starts on the first page.
        self.path = widgets.Combobox(value=first, options=self._narrowed(""), ensure_option=False, description="Page",
                                     placeholder="type part of a page's path or title",
                                     layout=widgets.Layout(width="min(640px, 100%)"), style={"description_width": "50px"})
        self.path.add_class("explorer-page-path")
        self.show_button = widgets.Button(description="Show page", tooltip="show this page's text and claims")
        self.show_button.on_click(lambda _: self.show(self._resolve(self.path.value) or self.path.value.strip()))
        self._showing = False
        self._shown: str | None = None
        self.path.observe(self._on_type, "value")
        self.view = widgets.HTML("<p><small>Choose a page above, or a row in a finding.</small></p>")
        self.view.add_class("explorer-page-view")
        super().__init__([widgets.HBox([self.path, self.show_button], layout=widgets.Layout(flex_flow="row wrap")),
                          self.view])
        self.add_class("explorer-page")

    def _narrowed(self, text: str) -> tuple[str, ...]:
        return tuple(narrow(self._choices, text, ENTRY_LIMIT))

    def _resolve(self, value: str) -> str | None:
        """The source_file a picker value names: a listed choice, or a page's path typed whole."""
        value = value.strip()
        return self._choices.get(value) or (value if value in self._paths else None)

    def _on_type(self, change) -> None:
        if self._showing:
            return
        found = self._resolve(change["new"])
        if found is not None:
            self.show(found)
        else:  # still typing: narrow the list, keep the page shown
            self.path.options = self._narrowed(change["new"])

    def ensure_shown(self) -> None:
        """Show the page the picker holds, when none is shown yet (the tab opened for the first time)."""
        if self._shown is None and self.path.value:
            self.show(self._resolve(self.path.value) or self.path.value.strip())

    def show(self, source_file: str, line: int | None = None) -> None:
        if not source_file:
            return
        self._showing = True
        self.path.value = source_file
        self.path.options = self._narrowed(source_file) if source_file in self._paths else self.path.options
        self._showing = False
        self._shown = source_file
        self.view.value = self._overview.page_html(source_file, line)
