"""Charts: thin, pure functions from corpus rows to a ``plotly.graph_objects.Figure``.

Each chart draws what :mod:`explorer.explore.aggregate` counts, so a figure holds at most a few thousand
points whatever the size of the corpus. Severity always has one colour
(:data:`explorer.vocabulary.BUCKET_COLOURS`) and its defined order. Each chart keeps a fixed set of traces
whatever the data, so the dashboard can update a ``go.FigureWidget`` in place. Page text is third-party:
every string from a page (hover text, axis categories and labels) is HTML-escaped, so plotly shows its
markup as text. This module never imports ipywidgets.
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..display import AXIS_GRID, FIGURE_LAYOUT, LEGEND_UNDER_TITLE, escape_text
from ..startup import import_jsonschema_without_iri_grammar
from ..vocabulary import BUCKET_COLOURS, SEVERITY_BUCKETS, UNRECOGNISED_TIER, severity_label
from .aggregate import claim_cells, severity_cells
from .related import RELATED_COLUMNS, related_counts

import_jsonschema_without_iri_grammar()  # a notebook's first FigureWidget starts 2 s sooner: see explorer.startup

__all__ = ["claim_matrix_figure", "related_map", "severity_bar"]

#: The related-conditions chart's colours: green for a condition with a page of the drug in the corpus,
#: a light tint of it for one that is only linked (neither is a severity colour).
HAS_PAGE_COLOUR = "#009E73"
LINKED_ONLY_COLOUR = "#A8DCCB"


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """One figure from plain dicts, built in one call and not validated property by property.

    Plotly's validation copies and checks every element of every list (5-8 ms a chart, more than the
    aggregation). The dicts here hold only plain lists, numbers and strings, and a test rebuilds each
    chart with validation and checks that the figure is the same (``test_charts_are_valid_plotly``);
    the dashboard's ``FigureWidget`` validates what it receives anyway.
    """
    return go.Figure(data=traces, layout=layout, _validate=False)


# --- side effects by severity ---------------------------------------------------------------------

def severity_bar(side_effects: pd.DataFrame, top: int = 25) -> go.Figure:
    """Horizontal stacked bars: side effects per condition (or drug · condition), one colour per severity.

    One bar trace per severity bucket, always all five in SEVERITY_BUCKETS order (empty when none), so
    the legend and colours never move. x is the count, y the group, biggest group on top.

    Parameters
    ----------
    side_effects : rows of the ``side_effects`` table (already filtered).
    top : at most this many groups are shown (those with most side effects).
    """
    labels, counts, names, n_groups = severity_cells(side_effects, top)
    escaped = [html.escape(g) for g in labels]
    groups = list(dict.fromkeys(escaped))
    nb = len(SEVERITY_BUCKETS)
    traces = []
    for b, bucket in enumerate(SEVERITY_BUCKETS):
        shown = np.flatnonzero(counts[:, b]).tolist()
        x = counts[shown, b].tolist()
        label = severity_label(bucket)
        hover = [f"<b>{escaped[i]}</b><br>{label}: {n} side effect{'s' * (n != 1)}"
                 f"<br>{escape_text(names.get(i * nb + b, ''))}{' …' if n > 5 else ''}" for i, n in zip(shown, x)]
        traces.append(dict(
            type="bar", name=label, orientation="h", x=x, y=[escaped[i] for i in shown],
            marker=dict(color=BUCKET_COLOURS[bucket]), hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
            legendrank=b, showlegend=bucket != UNRECOGNISED_TIER or len(shown) > 0))
    title = f" (top {len(groups)} of {n_groups})" if n_groups > len(groups) else ""
    return _figure(traces, dict(
        **FIGURE_LAYOUT, barmode="stack", title=dict(text=f"Side effects by severity{title}"),
        height=max(260, 90 + 26 * len(groups)),
        legend=dict(**LEGEND_UNDER_TITLE, traceorder="normal"),
        xaxis=dict(title=dict(text="side effects"), rangemode="tozero", **AXIS_GRID),
        yaxis=dict(categoryorder="array", categoryarray=groups[::-1], automargin=True)))


# --- condition x side effect matrix ---------------------------------------------------------------

def claim_matrix_figure(side_effects: pd.DataFrame, top: int = 20, top_conditions: int = 25) -> go.Figure:
    """Condition x side-effect matrix: a square where a page claims that side effect for that condition.

    One scatter trace per severity bucket (SEVERITY_BUCKETS order), coloured like every other chart;
    x is the side-effect name, y the condition. Hover shows the tier as written, the description and
    the file and line of the claim.

    Parameters
    ----------
    side_effects : rows of the ``side_effects`` table (already filtered).
    top : the N side effects claimed for most conditions are shown (adjustable).
    top_conditions : at most this many conditions (rows) are shown.
    """
    if side_effects.empty:
        m: dict[str, np.ndarray] = {c: np.array([], dtype=object) for c in ("name", "condition", "severity")}
        n_names = 0
    else:
        m, n_names = claim_cells(side_effects, top, top_conditions)
    names = list(dict.fromkeys(m["name"].tolist()))
    conditions = sorted(set(m["condition"].tolist()))
    traces = []
    for bucket in SEVERITY_BUCKETS:
        part = np.flatnonzero(m["severity"] == bucket)
        name = [html.escape(str(n)) for n in m["name"][part]]
        condition = [html.escape(str(c)) for c in m["condition"][part]]
        hover = [
            f"<b>{n}</b> for {c}<br>Tier: {html.escape(str(t))}"
            f"{f' ({p} pages)' if p > 1 else ''}<br>{escape_text(d)}<br><i>{html.escape(str(f))}:{int(ln)}</i>"
            for n, c, t, p, d, f, ln in zip(name, condition, m["tier"][part], m["pages"][part].tolist(),
                                             m["description"][part], m["source_file"][part], m["line"][part])
        ] if len(part) else []
        traces.append(dict(
            type="scatter", name=severity_label(bucket), mode="markers", x=name, y=condition,
            marker=dict(symbol="square", size=16, color=BUCKET_COLOURS[bucket]), hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>", showlegend=bucket != UNRECOGNISED_TIER or len(part) > 0))
    shown = f"top {len(names)} of {n_names} side effects" if n_names > len(names) else f"{len(names)} side effects"
    return _figure(traces, dict(
        **FIGURE_LAYOUT, title=dict(text=f"Which side effect is claimed for which condition ({shown})"),
        height=max(300, 220 + 28 * len(conditions)),
        legend=LEGEND_UNDER_TITLE,
        xaxis=dict(categoryorder="array", categoryarray=[html.escape(n) for n in names], tickangle=-35,
                   automargin=True, **AXIS_GRID),
        yaxis=dict(categoryorder="array", categoryarray=[html.escape(c) for c in conditions[::-1]],
                   automargin=True, **AXIS_GRID)))


# --- related conditions of a drug ----------------------------------------------------------------

def related_map(related: pd.DataFrame, articles: pd.DataFrame, drug: str | None,
                selected: tuple[str, ...] = (), top: int = 25) -> go.Figure:
    """Horizontal bars: the conditions the pages of ``drug`` link to, ranked by how many pages link them.

    Two bar traces, always: ``has a page`` (a page for this drug and condition is in the loaded corpus)
    and ``only linked``; each condition is in one of them, the most linked on top. Conditions in
    ``selected`` (the condition filter) are outlined and their labels bold. A label longer than
    :data:`LABEL_CHARS` is cut with "…" (labels never overlap: one row per bar); the hover gives the full
    name, how many pages link it and the file and line of the first link.

    Parameters
    ----------
    related, articles : the corpus tables (not filtered: the chart shows the whole drug).
    drug : the drug whose links are counted; ``None`` draws an empty chart.
    selected : conditions to highlight.
    top : at most this many conditions are drawn; the title says how many more are linked.
    """
    shown, n_linked = related_counts(related, articles, drug, top) if drug else (
        pd.DataFrame({c: [] for c in RELATED_COLUMNS}), 0)
    conditions = [str(c) for c in shown["condition"]]
    chosen = {c.casefold() for c in selected}
    full = [html.escape(c) for c in conditions]
    ticks = [f"<b>{t}</b>" if c.casefold() in chosen else t
             for c, t in zip(conditions, (html.escape(_cut(c)) for c in conditions))]
    has_page = shown["has_page"].to_numpy(dtype=bool)
    pages = shown["pages"].tolist()
    hover = [f"<b>{f}</b><br>linked from {k} page{'s' * (k != 1)} of {html.escape(str(drug))}"
             f"<br>{'a page' if h else 'no page'} for it in the corpus<br><i>{html.escape(str(src))}:{ln}</i>"
             for f, k, h, src, ln in zip(full, pages, has_page, shown["source_file"], shown["line"].tolist())]
    traces = []
    for name, part, colour in (("has a page", has_page, HAS_PAGE_COLOUR), ("only linked", ~has_page, LINKED_ONLY_COLOUR)):
        rows = np.flatnonzero(part).tolist()
        traces.append(dict(
            type="bar", name=name, orientation="h", x=[pages[i] for i in rows], y=[full[i] for i in rows],
            hovertext=[hover[i] for i in rows], hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(color=colour, line=dict(color="#000000",
                                                width=[2 if conditions[i].casefold() in chosen else 0 for i in rows]))))
    more = n_linked - len(conditions)
    title = (f"Conditions the pages of {html.escape(drug)} link to"
             + (f" (top {len(conditions)}, and {more:,} more)" if more else "") if drug
             else "Related conditions: pick a drug")
    return _figure(traces, dict(
        **FIGURE_LAYOUT, barmode="stack", title=dict(text=title), height=max(260, 110 + 24 * len(conditions)),
        legend=LEGEND_UNDER_TITLE,
        # counts of pages: whole ticks (plotly's automatic ticks for a count of 1 are 0, 0.2, ... 1)
        xaxis=dict(title=dict(text="pages linking to it"), rangemode="tozero", tickformat=",d",
                   **({"dtick": 1} if max(pages, default=0) <= 8 else {}), **AXIS_GRID),
        yaxis=dict(categoryorder="array", categoryarray=full[::-1], tickmode="array", tickvals=full,
                   ticktext=ticks, automargin=True)))


#: Longest condition label drawn in full on the related-conditions chart; longer ones are cut with "…".
LABEL_CHARS = 32


def _cut(text: str) -> str:
    """``text`` cut to LABEL_CHARS characters, with "…" when something was cut.

    >>> _cut("Postpartum Breast Pain"), _cut("Insulin Resistance Syndrome With Very Long Name")
    ('Postpartum Breast Pain', 'Insulin Resistance Syndrome Wit…')
    """
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1].rstrip() + "…"
