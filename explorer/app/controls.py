"""Reusable dashboard controls: a picker for thousands of options, and a paged table with its CSV link.

Each is a small ``VBox`` that displays what it is given; neither knows the corpus or the filters.
"""
from __future__ import annotations

import html
from typing import Callable, Iterable

import ipywidgets as widgets
import pandas as pd

from .render import PAGE_SIZE, csv_link_html, narrow, page_count

#: Up to this many rows, a table's CSV link is rebuilt on every change; above, on request.
CSV_INLINE_LIMIT = 20_000


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class Picker(widgets.VBox):
    """A multi-select that stays usable with thousands of options: type to narrow the list.

    ``note``: where the options come from (which pages), shown under the count."""

    def __init__(self, label: str, options: tuple[str, ...], value: tuple[str, ...] = (), rows: int = 6,
                 note: str = ""):
        self._all, self._note = options, note
        # Labelled controls (a <label> and a title each): screen readers name them, Tab reaches them.
        self._text = widgets.Text(placeholder=f"type to narrow {len(options):,} {label.lower()}s", description=label,
                                  tooltip=f"narrow the list of {label.lower()}s", layout=widgets.Layout(width="260px"),
                                  style={"description_width": "70px"})
        self._select = widgets.SelectMultiple(options=narrow(options, ""), rows=rows,
                                              tooltip=f"{label}s to show (several may be chosen; none: all)",
                                              layout=widgets.Layout(width="260px"))
        self._count = widgets.HTML(layout=widgets.Layout(width="260px"))
        self._chosen = tuple(value)
        self._syncing = False
        self._handler: Callable[[], None] | None = None
        super().__init__([self._text, self._select, self._count])
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

    def observe_value(self, handler: Callable[[], None]) -> None:
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
        note = f"<br>{html.escape(self._note)}" if self._note else ""
        self._count.value = f"<small>{matches:,} of {len(self._all):,} match{more}{note}</small>"

    def _on_select(self, change) -> None:
        if self._syncing:
            return
        # Options hidden by the narrowing text stay chosen; the visible ones follow the selection.
        visible = set(self._select.options)
        kept = [c for c in self._chosen if c not in visible]
        self._chosen = tuple(kept + list(change["new"]))
        if self._handler is not None:
            self._handler()


class PagedTable(widgets.VBox):
    """Rows shown a page at a time, with Previous / Next, a row count and a CSV download of every row.

    The one paging and CSV path of the dashboard: the side effects and the claims each use one.

    Parameters
    ----------
    render : ``(rows, start, size) -> HTML`` of one page (escaped).
    noun : what a row is ("row", "claim"), for the count and the link.
    css : class of the table's HTML widget (``explorer-results``, ``explorer-claims``); the link's
        widget gets ``css`` with ``-download``.
    filename : the CSV file's name.
    """

    def __init__(self, render: Callable[[pd.DataFrame, int, int], str], noun: str, css: str, filename: str):
        self._render, self._noun, self._filename = render, noun, filename
        self._rows: pd.DataFrame = pd.DataFrame()
        self._csv: Callable[[], str] = lambda: ""
        self.page = 0
        self.table = widgets.HTML()
        self.table.add_class(css)
        self.count = widgets.HTML()
        self.previous = widgets.Button(description="◀ Previous", layout=widgets.Layout(width="110px"))
        self.next = widgets.Button(description="Next ▶", layout=widgets.Layout(width="110px"))
        self.download = widgets.HTML()
        self.download.add_class(f"{css}-download")
        self.prepare = widgets.Button(description="Prepare CSV", icon="download")
        self.previous.on_click(lambda _: self.turn(-1))
        self.next.on_click(lambda _: self.turn(+1))
        self.prepare.on_click(lambda _: self._show_link(force=True))
        bar = widgets.HBox([self.previous, self.next, self.count, self.prepare, self.download],
                           layout=widgets.Layout(align_items="center", grid_gap="8px"))
        super().__init__([bar, self.table])

    def show(self, rows: pd.DataFrame, csv: Callable[[], str]) -> None:
        """Show new rows from their first page; ``csv()`` gives their CSV text when a link is made."""
        self._rows, self._csv, self.page = rows, csv, 0
        self._show_page()
        self._show_link()

    def turn(self, step: int) -> None:
        """Go ``step`` pages forward (negative: back)."""
        self.page += step
        self._show_page()

    def _show_page(self) -> None:
        rows, size = self._rows, PAGE_SIZE
        pages = page_count(len(rows), size)
        self.page = min(max(self.page, 0), pages - 1)
        start = self.page * size
        stop = min(start + size, len(rows))
        self.table.value = self._render(rows, start, size)
        self.count.value = (f"<span class='explorer-count'>{self._noun}s {start + 1:,}–{stop:,} of {len(rows):,}"
                            "</span>" if len(rows) else f"<span class='explorer-count'>no {self._noun}s</span>")
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= pages - 1

    def _show_link(self, force: bool = False) -> None:
        n = len(self._rows)
        small = n <= CSV_INLINE_LIMIT
        self.prepare.layout.display = "none" if small or force else None
        if small or force:
            self.download.value = csv_link_html(self._csv(), self._filename, f"Download CSV ({plural(n, self._noun)})")
        else:
            self.download.value = f"<small>{n:,} {self._noun}s: prepare the CSV first</small>"
