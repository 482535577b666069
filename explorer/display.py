"""How third-party text and figures are shown, shared by the explore and audit charts and the app.

Page text and label text come from third parties: wherever they reach HTML (plotly hover labels and
tick labels render a subset of HTML) they go through :func:`escape_text` or :func:`html.escape`;
wherever they reach a CSV export (``explorer audit --format csv``, the dashboard's Download CSV) they
go through :func:`csv_text`, so no cell runs as a spreadsheet formula.
The figure style is plain dicts, so this module imports neither plotly nor pandas.
"""
from __future__ import annotations

import html
import os
import math
import re
import textwrap
from functools import lru_cache
from pathlib import Path

#: How much of a description hover text shows.
HOVER_DESCRIPTION_CHARS = 240

#: Layout every chart starts from. Colours are set directly rather than through a named plotly
#: template: applying a template deep-copies it, about 7 ms per figure on every filter change.
FIGURE_LAYOUT: dict = dict(margin=dict(l=10, r=10, t=84, b=10), hoverlabel=dict(align="left"),
                           plot_bgcolor="#FFFFFF", paper_bgcolor="#FFFFFF", font=dict(family="sans-serif"))
#: A horizontal legend on its own line between the title and the plot, from the left: in a chart half a
#: wide screen wide, a legend beside a long title was cut off on the right.
LEGEND_UNDER_TITLE: dict = dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom")
#: Grid lines of the axes that show them.
AXIS_GRID: dict = dict(gridcolor="#EEEEEE", zerolinecolor="#DDDDDD")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType"


def escape_text(text: object, width: int = 60, limit: int = HOVER_DESCRIPTION_CHARS) -> str:
    """Third-party text made safe for plotly hover labels: shortened, escaped and wrapped with <br>.

    >>> escape_text("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> escape_text(None), escape_text(float("nan"))
    ('', '')
    """
    if _missing(text):
        return ""
    return _escape_wrapped(str(text), width, limit)


@lru_cache(maxsize=65_536)  # descriptions repeat across pages and across filter changes
def _escape_wrapped(text: str, width: int, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return "<br>".join(html.escape(line) for line in textwrap.wrap(text, width)) if text else ""


def figure_outline(figure) -> str:
    """A figure's title and its traces' names and sizes, one line each: what a notebook check compares.

    Works on any plotly figure (``go.Figure`` or ``go.FigureWidget``) without importing plotly. A chart
    whose title, traces or counts change shows a different outline, so a stale stored output fails.
    """
    title = figure.layout.title.text if figure.layout.title is not None else None
    lines = [f"title: {title}"]
    for trace in figure.data:
        points = trace.x if trace.x is not None else ()
        lines.append(f"{trace.type} {trace.name!r}: {len(points)} points")
    return "\n".join(lines)


def shown_folder(folder: str | Path) -> str:
    """A folder as a viewer of the dashboard may see it (a viewer may be anyone the server answers): its
    path relative to the working folder when it is inside it, else its name; never the server's absolute
    path.

    >>> shown_folder(Path.cwd() / "data" / "corpus"), shown_folder("/srv/private/crawl-corpus")
    ('data/corpus', 'crawl-corpus')
    """
    absolute = Path(os.path.abspath(folder))
    try:
        return str(absolute.relative_to(Path.cwd())) or "."
    except ValueError:
        return absolute.name or "the folder"



def folder_shown(text: str, folder: str | Path) -> str:
    """``text`` (an error message) with the absolute path of ``folder`` in it replaced by :func:`shown_folder`.

    >>> folder_shown("/srv/private/crawl-corpus/numbers.parquet: damaged", "/srv/private/crawl-corpus")
    'crawl-corpus/numbers.parquet: damaged'
    """
    shown = shown_folder(folder)
    for form in sorted({os.path.realpath(folder), os.path.abspath(folder), str(folder)}, key=len, reverse=True):
        if os.path.isabs(form):
            text = text.replace(form, shown)
    return text


# --- CSV exports ----------------------------------------------------------------------------------

#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _guarded(value: str) -> bool:
    """Whether :func:`csv_cell` puts a ``'`` in front of ``value``: it starts (after any ``'``) as a
    formula does and is not a plain number."""
    core = value.lstrip("'")
    return core.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(core)


def csv_cell(value: object) -> object:
    """A cell of a CSV export that no spreadsheet runs as a formula: text starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a ``'`` in front (OWASP's advice); text that is a
    plain number ("-5", "+1.5") and every non-text value are returned unchanged. Text that already
    starts with ``'`` before such a character gets one more, so that :func:`csv_uncell` gives back
    exactly what was written (a spreadsheet shows a leading ``'`` as text, not as part of it).

    >>> csv_cell("=SUM(A1:A9)"), csv_cell("-2+3"), csv_cell("- Acne"), csv_cell("'=x")
    ("'=SUM(A1:A9)", "'-2+3", "'- Acne", "''=x")
    >>> csv_cell("Headache"), csv_cell("-5"), csv_cell(-5), csv_cell("'quoted'")
    ('Headache', '-5', -5, "'quoted'")
    """
    if isinstance(value, str) and _guarded(value):
        return "'" + value
    return value


def csv_uncell(value: object) -> object:
    """The value :func:`csv_cell` was given, from what it returned: for reading back a CSV file the
    explorer wrote (an ingest's ``report.csv``).

    >>> [csv_uncell(csv_cell(v)) for v in ("=1+1", "'=x", "''-y", "'quoted'", "-5", "Rash")]
    ['=1+1', "'=x", "''-y", "'quoted'", '-5', 'Rash']
    """
    if isinstance(value, str) and value.startswith("'") and _guarded(value[1:]):
        return value[1:]
    return value


def csv_text(frame) -> str:
    """A DataFrame as CSV text (no index) with every text cell passed through :func:`csv_cell`: the one
    way page and label text leaves the explorer as CSV. Number, boolean and date columns are written as
    they are; ``frame`` itself is not changed.

    >>> import pandas as pd
    >>> print(csv_text(pd.DataFrame({"name": ["=1+1", "Rash"], "line": [-1, 2]})), end="")
    name,line
    '=1+1,-1
    Rash,2
    """
    return _text_cells(frame, csv_cell).to_csv(index=False)


def csv_read_back(frame):
    """A DataFrame read from CSV text that :func:`csv_text` wrote, with its text cells as they were."""
    return _text_cells(frame, csv_uncell)


def _text_cells(frame, cell):
    """``frame`` with ``cell`` applied to each text cell (a shallow copy; ``frame`` is not changed)."""
    out = frame.copy(deep=False)
    for position, column in enumerate(frame.columns):
        values = frame.iloc[:, position]
        if values.dtype.kind not in "biufcmM":  # text, categorical or mixed: numbers inside stay numbers
            out.isetitem(position, values.map(cell))  # a categorical maps its categories only
    return out
