"""The dashboard: what a stakeholder opens, served by Voila, and what a researcher calls in JupyterLab.

- :mod:`~explorer.app.model`: :class:`~explorer.app.model.DashboardModel`, the state and everything
  derived from it (rows, summaries, figures, claims, CSV); imports no ipywidgets
- :mod:`~explorer.app.render`: HTML tables, safe links, CSV links, the page address -> filters
- :mod:`~explorer.app.controls`: a picker for thousands of options, a paged table with its CSV link
- :mod:`~explorer.app.style`: the stylesheet and its palette (severities, statuses, neutrals), the same in
  every chart, chip, toggle and tile
- :mod:`~explorer.app.figures`: the chart widgets (plotly's front end fetched once per page, drawn at
  their box's width, updated in place)
- :mod:`~explorer.app.widgets`: :class:`~explorer.app.widgets.Dashboard` and :func:`~explorer.app.widgets.app`
  (the served notebook's one call)
- :mod:`~explorer.app.serve`: the Voila command line, safe by default (``explorer serve``)
- :mod:`~explorer.app.voila_server`: the Voila server it runs, with kernel limits and guards against strangers
"""
