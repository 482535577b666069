"""How third-party text and figures are shown, shared by the explore and audit charts and the app.

Page text and label text come from third parties: wherever they reach HTML (plotly hover labels and
tick labels render a subset of HTML) they go through :func:`escape_text` or :func:`html.escape`.
The figure style is plain dicts, so this module imports neither plotly nor pandas.
"""
from __future__ import annotations

import html
import math
import textwrap
from functools import lru_cache

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
