"""Exploring the corpus: filters, the aggregates behind the charts, and the charts.

- :mod:`~explorer.explore.filters`: :class:`~explorer.explore.filters.FilterState` and the pure
  functions that apply it to any table
- :mod:`~explorer.explore.aggregate`: counts, top-N cuts and first rows, on integer codes
- :mod:`~explorer.explore.charts`: thin builders, rows -> ``go.Figure``, drawing the aggregates
- :mod:`~explorer.explore.boilerplate`: how much of each page's prose other pages share (template text),
  and the sentences shared most, from the corpus's ``sentences`` table

Nothing here imports ipywidgets, and nothing here knows the label check (:mod:`explorer.audit`).
"""
