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

#: The dashboard's neutral colours (the data colours are the severities' and statuses', see
#: :mod:`explorer.app.style`): text, secondary text, lines and surfaces. Every text/background pair they
#: form is listed in :data:`explorer.app.style.TEXT_PAIRS` and checked for WCAG AA contrast.
INK = "#1F2328"
INK_MUTED = "#59636E"
LINE = "#D1D9E0"
GRID = "#EEF1F4"
PAPER = "#FFFFFF"

#: Layout every chart starts from. Colours are set directly rather than through a named plotly
#: template: applying a template deep-copies it, about 7 ms per figure on every filter change.
FIGURE_LAYOUT: dict = dict(hoverlabel=dict(align="left"), plot_bgcolor=PAPER, paper_bgcolor=PAPER,
                           font=dict(family="DejaVu Sans, Verdana, system-ui, sans-serif", size=12, color=INK))
#: The legend: one column to the right of the plot, which plotly makes room for (a legend placed between
#: the title and the plot grew over the title when it wrapped to a second row; one under the plot, placed
#: in fractions of the plot's height, ran into the axis title).
LEGEND: dict = dict(orientation="v", x=1.02, xanchor="left", y=1.0, yanchor="top", traceorder="normal",
                    font=dict(size=12), itemclick="toggleothers")
#: Grid lines of the axes that show them.
AXIS_GRID: dict = dict(gridcolor=GRID, zerolinecolor=LINE)

#: Characters of a title line and of a subtitle line. Plotly never wraps a title, so titles are wrapped
#: here for the narrowest chart the dashboard draws (about 520 px: half a 1,100 px screen), at the
#: widest average character of the fonts above (about 9.5 px at 16 px, 7.6 px at 13 px).
TITLE_CHARS = 50
SUBTITLE_CHARS = 64
_TITLE_SIZE, _SUBTITLE_SIZE = 16, 13
_LINE = 21  # px a title line takes
#: Characters of an axis label (a condition, a side effect); longer ones are cut with "…".
LABEL_CHARS = 32


def wrap_lines(text: str, width: int) -> list[str]:
    """``text`` wrapped into lines of at most ``width`` characters (a longer word is cut with "…").

    >>> wrap_lines("Side effects by severity, top 25 of 32 groups", 20)
    ['Side effects by', 'severity, top 25 of', '32 groups']
    """
    lines = textwrap.wrap(" ".join(str(text).split()), width, break_long_words=False, break_on_hyphens=False)
    return [cut(line, width) for line in lines]


def cut(text: str, chars: int = LABEL_CHARS) -> str:
    """``text`` cut to ``chars`` characters, with "…" when something was cut.

    >>> cut("Postpartum Breast Pain"), cut("Insulin Resistance Syndrome With Very Long Name")
    ('Postpartum Breast Pain', 'Insulin Resistance Syndrome Wit…')
    """
    return text if len(text) <= chars else text[:chars - 1].rstrip() + "…"


def chart_frame(title: str, subtitle: str = "", bottom: int = 10, legend: list[str] | None = None) -> dict:
    """The title and top margin of a chart: ``title`` (plain text) wrapped and escaped, with the
    ``subtitle`` (what is shown and what is left out) in smaller, muted type under it, and a top margin
    that holds every line, so the plot never runs into them. Merge it into a layout.

    ``legend``: the names of the legend's entries, for a legend in rows between the subtitle and the
    plot (the frame then holds a ``legend`` and makes room for as many rows as the entries take at the
    narrowest chart); without it, the chart takes :data:`LEGEND`, beside the plot.

    >>> frame = chart_frame("Side effects by severity", "9 side effects <on> 1 page")
    >>> frame["title"]["text"]
    'Side effects by severity<br><span style="font-size:13px;color:#59636E">9 side effects &lt;on&gt; 1 page</span>'
    >>> frame["margin"]["t"]
    64
    >>> chart_frame("Matrix", legend=["Common", "Less common", "Rare"])["margin"]["t"]
    67
    """
    lines = [html.escape(line, quote=False) for line in wrap_lines(title, TITLE_CHARS)]
    sub = [html.escape(line, quote=False) for line in wrap_lines(subtitle, SUBTITLE_CHARS)] if subtitle else []
    text = "<br>".join(lines + [f'<span style="font-size:{_SUBTITLE_SIZE}px;color:{INK_MUTED}">{line}</span>'
                                for line in sub])
    n = len(lines) + len(sub)
    # Plotly spaces every line of a title by the title's font (about 20 px at 16 px) and places a title
    # of several lines about 11 px higher than one of one line: the padding evens that out, so every
    # title starts 8 px below the chart's top (tests/app/test_browser.py measures it).
    frame = dict(title=dict(text=text, x=0, xref="container", xanchor="left", y=1, yref="container",
                            yanchor="top", pad=dict(t=12 if n == 1 else 23, l=12),
                            font=dict(size=_TITLE_SIZE, color=INK)),
                 margin=dict(l=12, r=12, t=8 + _LINE * n + 14, b=bottom))
    if legend is not None:
        rows = legend_rows(legend) if legend else 0
        frame["legend"] = dict(orientation="h", x=0, xanchor="left", y=1, yanchor="bottom", traceorder="normal",
                               font=dict(size=12), itemclick="toggleothers")
        frame["margin"]["t"] += _LEGEND_ROW * rows + 4 * bool(rows)
    return frame


#: A legend entry's width: the symbol and gaps, and the average character at 12 px; a row's height; the
#: width a legend in rows is laid out in (the narrowest chart, less its margins).
_LEGEND_ENTRY, _LEGEND_CHAR, _LEGEND_ROW, _LEGEND_WIDTH = 46, 7.6, 20, 480


def legend_rows(names: list[str]) -> int:
    """How many rows plotly needs for a legend of ``names`` laid out in rows, at the narrowest chart.

    >>> legend_rows(["Common", "Less common", "Rare", "Serious"]), legend_rows(["x" * 40] * 3)
    (1, 3)
    """
    rows, used = 1, 0.0
    for name in names:
        width = _LEGEND_ENTRY + _LEGEND_CHAR * len(name)
        if used and used + width > _LEGEND_WIDTH:
            rows, used = rows + 1, 0.0
        used += width
    return rows


def nothing_to_show(frame: dict, sentence: str) -> dict:
    """Layout parts of a chart that has nothing to draw: the axes hidden and ``sentence`` (plain text,
    wrapped and escaped) in their place, under the chart's title (``frame``, from :func:`chart_frame`),
    so an empty set of axes never stands for "nothing". The figure keeps its (empty) traces, so the
    dashboard can update it in place.

    >>> parts = nothing_to_show(chart_frame("Related conditions"), "Pick a drug.")
    >>> parts["annotations"][0]["text"], parts["xaxis"]["visible"], parts["height"]
    ('Pick a drug.', False, 95)
    """
    lines = [html.escape(line, quote=False) for line in wrap_lines(sentence, SUBTITLE_CHARS)]
    hidden = dict(visible=False, showgrid=False, zeroline=False)
    return dict(xaxis=hidden, yaxis=dict(hidden), height=frame["margin"]["t"] + 22 * len(lines) + 30,
                annotations=[dict(text="<br>".join(lines), showarrow=False, xref="paper", yref="paper", x=0, y=1,
                                  xanchor="left", yanchor="top", align="left", font=dict(size=14, color=INK))])


# --- colours --------------------------------------------------------------------------------------

def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def rgb(colour: str) -> tuple[int, int, int]:
    """``#RRGGBB`` as three integers.

    >>> rgb("#0072B2")
    (0, 114, 178)
    """
    h = colour.lstrip("#")
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", h):
        raise ValueError(f"{colour!r}: expected a colour written #RRGGBB")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of an sRGB colour (0 black, 1 white)."""
    r, g, b = (_channel(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2's contrast ratio of two colours, 1 to 21 (AA asks 4.5 for text, 3 for large text).

    >>> round(contrast_ratio("#000000", "#FFFFFF"), 1), round(contrast_ratio("#767676", "#FFFFFF"), 2)
    (21.0, 4.54)
    """
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(background: str) -> str:
    """The text colour for ``background``: :data:`INK` or white, whichever contrasts more.

    >>> text_colour("#FEC44F"), text_colour("#67001F")
    ('#1F2328', '#FFFFFF')
    """
    return max((INK, PAPER), key=lambda ink: contrast_ratio(ink, background))


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
    """A figure's title (its lines joined by " / "), its traces' names and sizes and its notes, one line
    each: what a notebook check compares.

    Works on any plotly figure (``go.Figure`` or ``go.FigureWidget``) without importing plotly. A chart
    whose title, traces or counts change shows a different outline, so a stale stored output fails.
    """
    title = figure.layout.title.text if figure.layout.title is not None else None
    if title is not None:  # lines as read: markup dropped, entities decoded
        title = " / ".join(html.unescape(re.sub(r"<[^>]+>", "", line)) for line in title.split("<br>"))
    lines = [f"title: {title}"]
    for trace in figure.data:
        points = trace.x if trace.x is not None else ()
        lines.append(f"{trace.type} {trace.name!r}: {len(points)} points")
    for note in figure.layout.annotations or ():  # what a chart with nothing to draw says instead
        lines.append("note: " + html.unescape(note.text.replace("<br>", " ")))
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
