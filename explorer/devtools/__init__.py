"""Tools for the people who build the explorer: synthetic pages and the scale benchmark.

- :mod:`~explorer.devtools.synth`: deterministic synthetic pages with the template's variations
  (``explorer synth``); never for ``data/``
- :mod:`~explorer.devtools.bench`: builds synthetic corpora and times ingest, load, filters and charts
  (``explorer bench``)
"""
