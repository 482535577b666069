"""Exploring the corpus: filters, the aggregates behind the charts, and the charts.

- :mod:`~explorer.explore.filters`: :class:`~explorer.explore.filters.FilterState` and the pure
  functions that apply it to any table
- :mod:`~explorer.explore.aggregate`: counts, top-N cuts and first rows, on integer codes
- :mod:`~explorer.explore.charts`: thin builders, rows -> ``go.Figure``, drawing the aggregates

Nothing here imports ipywidgets, and nothing here knows the label check (:mod:`explorer.audit`).
"""
