"""The label check: what pages claim, set beside the facts of the drug's official label.

- :mod:`~explorer.audit.vocabulary`: fact categories, statuses and their colours, tier checks
- :mod:`~explorer.audit.reference`: label facts, label figures and synonyms, loaded from ``data/reference``
- :mod:`~explorer.audit.matching`: page phrases -> label terms (normalised, synonym, guarded fuzzy)
- :mod:`~explorer.audit.evidence`: the facts a match gathers, their citations, a status
- :mod:`~explorer.audit.claims`: side-effect claims and the tier check
- :mod:`~explorer.audit.premises`: the conditions pages present their drug as being for
- :mod:`~explorer.audit.numbers`: durations and percentages against the label's figures
- :mod:`~explorer.audit.report`: the three tables as text, JSON or CSV (``explorer audit``)
- :mod:`~explorer.audit.charts`: claims by label status

The facts held are partial, so the audit says "not among the captured label facts", never "not in the
label". It reads the corpus's tables and knows nothing of :mod:`explorer.explore`.
"""
