"""The label check's chart: side-effect claims by label status, per condition.

A thin builder like those of :mod:`explorer.explore.charts`, kept with the audit so that exploring and
auditing stay independent; colours are :data:`~explorer.audit.vocabulary.STATUS_COLOURS`. Claims hold a
few thousand conditions at most, so plain pandas counts them.
"""
from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from ..display import AXIS_GRID, FIGURE_LAYOUT, LABEL_CHARS, LEGEND, chart_frame, cut, escape_text, nothing_to_show
from ..startup import import_jsonschema_without_iri_grammar
from ..vocabulary import NO_CONDITION
from .vocabulary import NOT_CAPTURED, STATUS_COLOURS, STATUS_LEVELS

import_jsonschema_without_iri_grammar()  # a notebook's first FigureWidget starts 2 s sooner: see explorer.startup

#: Said under the title when some claim is "not among the captured label facts": the facts are partial.
PARTIAL_NOTE = "Label facts are partial: 'not among the captured label facts' does not mean 'not in the label'."


def claims_by_status(claims: pd.DataFrame, top: int = 25) -> go.Figure:
    """Stacked horizontal bars: per condition, how many side-effect claims have each label status.

    ``claims`` is the table of :func:`explorer.audit.claims.claims_table` (columns condition, status,
    claim are used). One bar per condition (the ``top`` conditions with most claims; ties in the
    conditions' order), one trace per status in :data:`~explorer.audit.vocabulary.STATUS_LEVELS` order
    (always all of them, so the dashboard can update the figure in place); the legend lists the statuses
    drawn. Hover text names the commonest claims of each segment, escaped (page text is third-party).
    When a claim is "not among the captured label facts", the subtitle says that the label facts are
    partial (:data:`PARTIAL_NOTE`). No claims: a sentence instead of the bars.
    """
    statuses = list(STATUS_LEVELS)
    condition = claims["condition"]
    if condition.hasnans:  # claims of pages that name no condition: a bar of their own
        condition = condition.astype(object).where(condition.notna(), NO_CONDITION)
    if isinstance(condition.dtype, pd.CategoricalDtype):
        condition = condition.array
    else:  # categories in order of first appearance, which then breaks ties
        condition = pd.Categorical(condition.to_numpy(dtype=object), categories=pd.unique(condition.dropna()))
    status = claims["status"]
    if isinstance(status.dtype, pd.CategoricalDtype) and list(status.cat.categories) == statuses:
        status = status.array
    else:
        status = pd.Categorical(status.to_numpy(dtype=object), categories=statuses)
    cells = pd.DataFrame({"condition": condition, "status": status, "claim": claims["claim"].astype("string").array})
    # Counted with observed groups only: a crosstab over every category of a filtered column (thousands
    # of conditions) aggregates each empty cell in Python. Rows missing a condition or status are dropped.
    counts = (cells.groupby(["condition", "status"], observed=True).size().unstack("status", fill_value=0)
              .reindex(columns=statuses, fill_value=0)) if len(cells) else pd.DataFrame(columns=statuses, dtype=int)
    totals = counts.sum(axis=1)
    order = totals.sort_values(ascending=False, kind="stable").index[:top]
    shown = cells[cells["condition"].isin(order) & cells["status"].notna()]
    top_claims = (shown.groupby(["condition", "status", "claim"], observed=True).size().rename("n").reset_index()
                  .sort_values(["condition", "status", "n", "claim"], ascending=[True, True, False, True])
                  .groupby(["condition", "status"], observed=True).head(5))
    examples = {key: "<br>".join(f"{escape_text(x, limit=60)} ({n})" for x, n in zip(g["claim"], g["n"]))
                for key, g in top_claims.groupby(["condition", "status"], observed=True)}
    labels = [html.escape(str(c)) for c in order]
    ticks = [html.escape(cut(str(c), LABEL_CHARS)) for c in order]
    traces = []
    for status in statuses:
        x = counts.loc[order, status].tolist() if len(order) else []
        hover = [f"<b>{label}</b><br>{html.escape(status)}: {n} claim{'s' * int(n != 1)}"
                 + (f"<br>{examples[(c, status)]}" if (c, status) in examples else "")
                 for label, c, n in zip(labels, order, x)]
        traces.append(go.Bar(name=status, y=labels, x=x, orientation="h", marker_color=STATUS_COLOURS[status],
                             hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", showlegend=any(x)))
    n_conditions, n_claims = len(totals), int(totals.sum())
    subtitle = (f"{n_claims:,} claims; the {len(order)} conditions with most claims, of {n_conditions:,}"
                if n_conditions > len(order) else f"{n_claims:,} claim{'s' * (n_claims != 1)}")
    partial = bool(n_claims) and int(counts[NOT_CAPTURED].sum()) > 0
    frame = chart_frame("Side-effect claims by label status, per condition",
                        f"{subtitle}. {PARTIAL_NOTE}" if partial else subtitle)
    layout = dict(**FIGURE_LAYOUT, **frame, barmode="stack", height=frame["margin"]["t"] + 80 + 28 * max(len(order), 2),
                  legend=LEGEND,
                  yaxis=dict(categoryorder="array", categoryarray=labels[::-1], tickmode="array", tickvals=labels,
                             ticktext=ticks, automargin=True, visible=True, **AXIS_GRID),
                  xaxis=dict(title=dict(text="claims"), rangemode="tozero", visible=True, **AXIS_GRID))
    if not len(order):
        frame = chart_frame("Side-effect claims by label status, per condition")
        layout.update(frame, **nothing_to_show(frame, "No side-effect claims match these filters."))
    return go.Figure(data=traces, layout=layout)
