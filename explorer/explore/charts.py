"""Charts: thin, pure functions from corpus rows to a ``plotly.graph_objects.Figure``.

Each chart draws what :mod:`explorer.explore.aggregate` counts, so a figure holds at most a few thousand
points whatever the size of the corpus. Severity always has one colour
(:data:`explorer.vocabulary.BUCKET_COLOURS`) and its defined order. Each chart keeps a fixed set of traces
whatever the data, so the dashboard can update a ``go.FigureWidget`` in place. Page text is third-party:
every string from a page (hover text, axis categories, node labels) is HTML-escaped, so plotly shows its
markup as text. This module never imports ipywidgets.
"""
from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..display import AXIS_GRID, FIGURE_LAYOUT, escape_text
from ..startup import import_jsonschema_without_iri_grammar
from ..vocabulary import BUCKET_COLOURS, SEVERITY_BUCKETS, UNRECOGNISED_TIER, severity_label
from .aggregate import claim_cells, codes_index, conditions_of_links, labels_of, links_of, severity_cells

import_jsonschema_without_iri_grammar()  # a notebook's first FigureWidget starts 2 s sooner: see explorer.startup

__all__ = ["claim_matrix_figure", "related_map", "severity_bar"]

LINKED_ONLY_COLOUR = "#BBBBBB"
HAS_PAGE_COLOUR = "#009E73"


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
        legend=dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom", traceorder="normal"),
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
        legend=dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom"),
        xaxis=dict(categoryorder="array", categoryarray=[html.escape(n) for n in names], tickangle=-35,
                   automargin=True, **AXIS_GRID),
        yaxis=dict(categoryorder="array", categoryarray=[html.escape(c) for c in conditions[::-1]],
                   automargin=True, **AXIS_GRID)))


# --- related-conditions map -----------------------------------------------------------------------

def related_map(related: pd.DataFrame, articles: pd.DataFrame, drug: str | None,
                selected: tuple[str, ...] = (), max_links: int = 400) -> go.Figure:
    """The related-conditions map of one drug: its pages in the middle, linked conditions around them.

    Three traces, always: ``links`` (lines from each page to the conditions it links to), ``has a page``
    (conditions with a page of this drug in the loaded corpus) and ``only linked`` (conditions the
    pages link to that have no page here). Node text is the condition.

    Parameters
    ----------
    related, articles : the corpus tables (not filtered by condition: the map shows the whole drug).
    drug : the drug to map; ``None`` draws an empty map.
    selected : conditions to outline (the current condition filter).
    max_links : at most this many page -> condition lines are drawn (every condition still gets a node).
    """
    links = links_of(related, drug) if drug else None
    rc = conditions_of_links(links, articles, drug) if drug else pd.DataFrame(
        {"condition": pd.Series([], dtype="string"), "has_page": pd.Series([], dtype=bool),
         "links": pd.Series([], dtype=int), "source_file": pd.Series([], dtype="string"),
         "line": pd.Series([], dtype="Int64")})
    has_page = rc["has_page"].to_numpy(dtype=bool)
    inner = rc[has_page].reset_index(drop=True)
    outer = rc[~has_page].reset_index(drop=True)
    pos: dict[str, tuple[float, float]] = {}
    for ring, radius in ((inner, 0.0 if len(inner) == 1 else 0.45), (outer, 1.0)):
        n = len(ring)
        for i, c in enumerate(ring["condition"]):
            angle = 2 * math.pi * i / max(n, 1) + math.pi / 2
            pos[c] = (radius * math.cos(angle), radius * math.sin(angle))
    ex: list[float | None] = []
    ey: list[float | None] = []
    if drug is not None and len(rc):
        # Distinct (page condition, linked condition) pairs in order of first link, on integer codes.
        a, a_values = codes_index(links["condition"])
        b, b_values = codes_index(links["related_condition"])
        pairs = pd.unique(a * (len(b_values) + 1) + (b + 1))[:max_links]
        a_of, b_of = pairs // (len(b_values) + 1), pairs % (len(b_values) + 1) - 1
        for x, y in zip(labels_of(a_values, a_of), labels_of(b_values, b_of)):
            x, y = str(x), str(y)
            if x in pos and y in pos:
                ex += [pos[x][0], pos[y][0], None]
                ey += [pos[x][1], pos[y][1], None]
    traces = [dict(type="scatter", name="links", x=ex, y=ey, mode="lines", hoverinfo="skip", showlegend=False,
                   line=dict(width=0.7, color="#CCCCCC"))]
    chosen = set(selected)
    for name, part, colour in (("has a page", inner, HAS_PAGE_COLOUR), ("only linked", outer, LINKED_ONLY_COLOUR)):
        conditions = part["condition"].tolist()
        hover = [f"<b>{html.escape(c)}</b><br>{'page in the corpus' if name == 'has a page' else 'no page in the corpus'}"
                 f"<br>linked from {k} page{'s' * (k != 1)}"
                 + (f"<br><i>{html.escape(str(f))}:{int(ln)}</i>" if k else "")
                 for c, k, f, ln in zip(conditions, part["links"].tolist(), part["source_file"], part["line"])]
        traces.append(dict(
            type="scatter", name=name, mode="markers+text", x=[pos[c][0] for c in conditions],
            y=[pos[c][1] for c in conditions], text=[html.escape(c) for c in conditions], textposition="top center",
            textfont=dict(size=10), hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(size=[18 if c in chosen else 12 for c in conditions], color=colour,
                        line=dict(width=[2 if c in chosen else 0 for c in conditions], color="#000000"))))

    title = (f"Related conditions of {html.escape(drug)}: {len(inner)} with a page, {len(outer)} only linked"
             if drug else "Related conditions: pick a drug")
    return _figure(traces, dict(
        **FIGURE_LAYOUT, title=dict(text=title), height=520, legend=dict(orientation="h", y=-0.05),
        xaxis=dict(visible=False, range=[-1.35, 1.35]), yaxis=dict(visible=False, range=[-1.2, 1.25], scaleanchor="x")))
