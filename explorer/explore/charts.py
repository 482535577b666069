"""Charts: thin, pure functions from corpus rows to a ``plotly.graph_objects.Figure``.

Each chart draws what :mod:`explorer.explore.aggregate` counts, so a figure holds at most a few thousand
points whatever the size of the corpus. Severity always has one colour
(:data:`explorer.vocabulary.BUCKET_COLOURS`) and its defined order. Each chart keeps a fixed set of traces
whatever the data, so the dashboard can update a ``go.FigureWidget`` in place; the legend lists only the
traces that draw something. A title says what is drawn and, under it, what is left out
(:func:`explorer.display.chart_frame`); a chart with nothing to draw says so in a sentence instead of
showing empty axes (:func:`explorer.display.nothing_to_show`). Page text is third-party:
every string from a page (hover text, axis categories and labels) is HTML-escaped, so plotly shows its
markup as text. This module never imports ipywidgets.
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..display import AXIS_GRID, FIGURE_LAYOUT, LABEL_CHARS, LEGEND, chart_frame, cut, escape_text, nothing_to_show
from ..startup import import_jsonschema_without_iri_grammar
from ..vocabulary import BUCKET_COLOURS, NO_CONDITION, SEVERITY_BUCKETS, severity_label
from .aggregate import claim_cells, severity_cells
from .related import RELATED_COLUMNS, related_counts

import_jsonschema_without_iri_grammar()  # a notebook's first FigureWidget starts 2 s sooner: see explorer.startup

__all__ = ["claim_matrix_figure", "related_map", "severity_bar"]

#: The related-conditions chart's colours: a dark and a light slate, for a condition with a page of the
#: drug in the corpus and one that is only linked (neither a severity's nor a status's colour); the
#: outline of a chosen condition.
HAS_PAGE_COLOUR = "#3E5C76"
LINKED_ONLY_COLOUR = "#B7C7D6"
LINE_COLOUR = "#1F2328"


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
    the colours never move; the legend lists the buckets drawn. x is the count, y the group, biggest
    group on top. No rows: a sentence instead of the bars.

    Parameters
    ----------
    side_effects : rows of the ``side_effects`` table (already filtered).
    top : at most this many groups are shown (those with most side effects).
    """
    labels, counts, names, n_groups = severity_cells(side_effects, top)
    escaped = [html.escape(g) for g in labels]
    ticks = [html.escape(cut(g, LABEL_CHARS + 8)) for g in labels]
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
            legendrank=b, showlegend=len(shown) > 0))
    total = len(side_effects)
    what = f"{total:,} side effect{'s' * (total != 1)} in {n_groups:,} group{'s' * (n_groups != 1)}"
    subtitle = f"{what}: the {len(groups)} with most are drawn" if n_groups > len(groups) else what
    frame = chart_frame("Side effects by severity", subtitle)
    layout = dict(**FIGURE_LAYOUT, **frame, barmode="stack", height=frame["margin"]["t"] + 80 + 26 * max(len(groups), 2),
                  legend=LEGEND,
                  xaxis=dict(title=dict(text="side effects"), rangemode="tozero", visible=True, **AXIS_GRID),
                  yaxis=dict(categoryorder="array", categoryarray=groups[::-1], tickmode="array", tickvals=groups,
                             ticktext=ticks, automargin=True, visible=True))
    if not groups:
        frame = chart_frame("Side effects by severity")
        layout.update(frame, **nothing_to_show(frame, "No side effects match these filters."))
    return _figure(traces, layout)


# --- condition x side effect matrix ---------------------------------------------------------------

def claim_matrix_figure(side_effects: pd.DataFrame, top: int = 20, top_conditions: int = 25) -> go.Figure:
    """Condition x side-effect matrix: a square where a page claims that side effect for that condition.

    One scatter trace per severity bucket (SEVERITY_BUCKETS order), coloured like every other chart;
    x is the side-effect name, y the condition, conditions in alphabetical order and the pages that name
    no condition in a last row of their own (:data:`explorer.vocabulary.NO_CONDITION`). Hover shows the
    tier as written, the description and the file and line of the claim. No rows: a sentence.

    Parameters
    ----------
    side_effects : rows of the ``side_effects`` table (already filtered).
    top : the N side effects claimed for most conditions are shown (adjustable).
    top_conditions : at most this many conditions (rows) are shown.
    """
    if side_effects.empty:
        m: dict[str, np.ndarray] = {c: np.array([], dtype=object) for c in ("name", "condition", "severity")}
        n_names = n_conditions = 0
    else:
        m, n_names, n_conditions = claim_cells(side_effects, top, top_conditions)
    names = list(dict.fromkeys(m["name"].tolist()))
    present = set(m["condition"].tolist())
    conditions = sorted(present - {NO_CONDITION}) + [NO_CONDITION] * (NO_CONDITION in present)  # top to bottom
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
            marker=dict(symbol="square", size=14, color=BUCKET_COLOURS[bucket]), hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>", showlegend=len(part) > 0))
    shown = [f"the {len(names)} of {n_names:,} side effects claimed for most conditions" if n_names > len(names)
             else f"{len(names)} side effect{'s' * (len(names) != 1)}",
             f"{len(conditions)} of {n_conditions:,} conditions" if n_conditions > len(conditions) else ""]
    if NO_CONDITION in present:
        shown.append("last row: pages that name no condition")
    # The legend in a row above the plot: beside it, it left the side effects' columns too narrow for
    # their names.
    frame = chart_frame("Which side effect is claimed for which condition", "; ".join(p for p in shown if p),
                        legend=[t["name"] for t in traces if t["showlegend"]])
    x = [html.escape(n) for n in names]
    layout = dict(
        **FIGURE_LAYOUT, **frame, height=frame["margin"]["t"] + 190 + 26 * len(conditions),
        # side-effect names stand at 60 degrees: at a column of 16 px they still clear each other
        xaxis=dict(categoryorder="array", categoryarray=x, tickmode="array", tickvals=x,
                   ticktext=[html.escape(cut(n, 28)) for n in names], tickangle=-60, automargin=True,
                   visible=True, **AXIS_GRID),
        yaxis=dict(categoryorder="array", categoryarray=[html.escape(c) for c in conditions[::-1]],
                   tickmode="array", tickvals=[html.escape(c) for c in conditions],
                   ticktext=[html.escape(cut(c)) for c in conditions], automargin=True, visible=True, **AXIS_GRID))
    if not names:
        frame = chart_frame("Which side effect is claimed for which condition")
        layout.update(frame, **nothing_to_show(frame, "No side effects match these filters."))
    return _figure(traces, layout)


# --- related conditions of a drug ----------------------------------------------------------------

def related_map(related: pd.DataFrame, articles: pd.DataFrame, drug: str | None,
                selected: tuple[str, ...] = (), top: int = 25) -> go.Figure:
    """Horizontal bars: the conditions the pages of ``drug`` link to, ranked by how many pages link them.

    Two bar traces, always: ``has a page`` (a page for this drug and condition is in the loaded corpus)
    and ``only linked``; each condition is in one of them, the most linked on top. Conditions in
    ``selected`` (the condition filter) are outlined and their labels bold. A label longer than
    :data:`~explorer.display.LABEL_CHARS` is cut with "…" (labels never overlap: one row per bar); the
    hover gives the full name, how many pages link it and the file and line of the first link.

    Bars are drawn only when they rank something: with no drug, no link, or every condition linked by
    as many pages (one page of a drug: 25 bars of height 1), the chart is a sentence saying so and
    naming the linked conditions that have a page in the corpus.

    Parameters
    ----------
    related, articles : the corpus tables (not filtered: the chart shows the whole drug).
    drug : the drug whose links are counted; ``None``: a sentence asks to pick one.
    selected : conditions to highlight.
    top : at most this many conditions are drawn; the subtitle says how many more are linked.
    """
    shown, n_linked = related_counts(related, articles, drug, top) if drug else (
        pd.DataFrame({c: [] for c in RELATED_COLUMNS}), 0)
    conditions = [str(c) for c in shown["condition"]]
    chosen = {c.casefold() for c in selected}
    full = [html.escape(c) for c in conditions]
    ticks = [f"<b>{t}</b>" if c.casefold() in chosen else t
             for c, t in zip(conditions, (html.escape(cut(c)) for c in conditions))]
    has_page = shown["has_page"].to_numpy(dtype=bool)
    pages = shown["pages"].tolist()
    every = shown
    if len(set(pages)) == 1 and n_linked > len(shown):  # the top ones tie: are the others linked as often?
        every, _ = related_counts(related, articles, drug, n_linked)
    ranked = every["pages"].nunique() > 1
    hover = [f"<b>{f}</b><br>linked from {k} page{'s' * (k != 1)} of {html.escape(str(drug))}"
             f"<br>{'a page' if h else 'no page'} for it in the corpus<br><i>{html.escape(str(src))}:{ln}</i>"
             for f, k, h, src, ln in zip(full, pages, has_page, shown["source_file"], shown["line"].tolist())]
    traces = []
    for name, part, colour in (("has a page", has_page, HAS_PAGE_COLOUR), ("only linked", ~has_page, LINKED_ONLY_COLOUR)):
        rows = np.flatnonzero(part).tolist() if ranked else []
        traces.append(dict(
            type="bar", name=name, orientation="h", x=[pages[i] for i in rows], y=[full[i] for i in rows],
            hovertext=[hover[i] for i in rows], hovertemplate="%{hovertext}<extra></extra>", showlegend=len(rows) > 0,
            marker=dict(color=colour, line=dict(color=LINE_COLOUR,
                                                width=[2 if conditions[i].casefold() in chosen else 0 for i in rows]))))
    title = f"Conditions the pages of {drug} link to" if drug else "Conditions a drug's pages link to"
    more = n_linked - len(conditions)
    frame = chart_frame(title, f"the {len(conditions)} most linked of {n_linked:,}" if more else
                        f"{n_linked:,} condition{'s' * (n_linked != 1)}, by the number of pages linking each")
    layout = dict(
        **FIGURE_LAYOUT, **frame, barmode="stack", height=frame["margin"]["t"] + 80 + 24 * max(len(conditions), 2),
        legend=LEGEND,
        # counts of pages: whole ticks (plotly's automatic ticks for a count of 1 are 0, 0.2, ... 1)
        xaxis=dict(title=dict(text="pages linking to it"), rangemode="tozero", tickformat=",d", visible=True,
                   **({"dtick": 1} if max(pages, default=0) <= 8 else {}), **AXIS_GRID),
        yaxis=dict(categoryorder="array", categoryarray=full[::-1], tickmode="array", tickvals=full,
                   ticktext=ticks, automargin=True, visible=True))
    if not ranked:
        frame = chart_frame(title)
        layout.update(frame, **nothing_to_show(frame, _unranked(
            drug, [str(c) for c in every["condition"]], every["has_page"].to_numpy(dtype=bool), every["pages"].tolist())))
    return _figure(traces, layout)


def _unranked(drug: str | None, conditions: list[str], has_page: np.ndarray, pages: list[int]) -> str:
    """What the related-conditions chart says when it has nothing to rank (``conditions``: every one linked).

    >>> _unranked("Mirena", ["Acne", "Lupus"], np.array([True, False]), [1, 1])
    'Each of the 2 conditions the pages of Mirena link to is linked from 1 page: nothing to rank. 1 of them has a page in this corpus: Acne.'
    """
    if drug is None:
        return "Pick a drug to see the conditions its pages link to, most linked first."
    if not conditions:
        return f"No page of {drug} links to another “{drug} for …” page."
    with_page = [c for c, h in zip(conditions, has_page) if h]
    named = ", ".join(with_page[:10]) + (f" and {len(with_page) - 10:,} more" if len(with_page) > 10 else "")
    k = pages[0]
    return (f"Each of the {len(conditions):,} conditions the pages of {drug} link to is linked from {k:,} "
            f"page{'s' * (k != 1)}: nothing to rank. "
            + (f"{len(with_page):,} of them {'has' if len(with_page) == 1 else 'have'} a page in this corpus: {named}."
               if with_page else "None of them has a page in this corpus."))
