"""Reading one page, pure: bytes in, records out, no DataFrames.

- :mod:`~explorer.pages.decode`: bytes -> text (encoding detected, empty and binary files refused);
  :class:`~explorer.pages.decode.PageError`, the error every bad page raises
- :mod:`~explorer.pages.lines`: text and saved HTML -> numbered lines
- :mod:`~explorer.pages.headings`: whether a line reads as a heading, and what section it opens
- :mod:`~explorer.pages.classify`: heading, bullet or prose; a bullet's name and description
- :mod:`~explorer.pages.numbers`: durations and percentages in the text
- :mod:`~explorer.pages.template`: the meds.is template parser, page -> :class:`~explorer.pages.records.Article`
- :mod:`~explorer.pages.records`: the frozen records a page yields

Importing this package loads neither pandas nor pandera, plotly or ipywidgets (a test checks it), so
``explorer parse`` and the ingest's workers start light.
"""
