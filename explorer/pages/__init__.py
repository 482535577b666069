"""Reading one page, pure: bytes in, records out, no DataFrames.

- :mod:`~explorer.pages.decode`: bytes -> text (encoding detected, empty and binary files refused);
  :class:`~explorer.pages.decode.PageError`, the error every bad page raises
- :mod:`~explorer.pages.lines`: text and saved HTML -> numbered lines (one HTML reader, lxml, in
  :mod:`~explorer.pages.maincontent`: the whole page for the template, the main content for the rest)
- :mod:`~explorer.pages.headings`: whether a line reads as a heading, and what section it opens
- :mod:`~explorer.pages.classify`: heading, bullet or prose; a bullet's name and description
- :mod:`~explorer.pages.numbers`: durations and percentages in the text
- :mod:`~explorer.pages.tiers`: the one tier vocabulary (tier words -> severity, as data)
- :mod:`~explorer.pages.template`: the meds.is template parser, page -> :class:`~explorer.pages.records.Article`
  (the fast path for the seed's site)
- :mod:`~explorer.pages.general`: the extractor for every other site, with :mod:`~explorer.pages.rows`,
  :mod:`~explorer.pages.cues`, :mod:`~explorer.pages.items`, :mod:`~explorer.pages.prose`,
  :mod:`~explorer.pages.terms`, :mod:`~explorer.pages.found`; :mod:`~explorer.pages.about`,
  :mod:`~explorer.pages.subject` and :mod:`~explorer.pages.names` say what a page is about
- :mod:`~explorer.pages.read`: which of the two reads a page (``explorer.parse_file``)
- :mod:`~explorer.pages.records`: the frozen records a page yields

Importing this package loads neither pandas nor pandera, plotly or ipywidgets (a test checks it), so
``explorer parse`` and the ingest's workers start light.
"""
