"""Drug labels: official label files (openFDA JSON, DailyMed SPL XML, OnSIDES tables) -> records -> a store.

- :mod:`~explorer.labels.records`: :class:`~explorer.labels.records.Label` and its passages and tables
- :mod:`~explorer.labels.text`: section text -> numbered passages; sentences
- :mod:`~explorer.labels.tables`: SPL/HTML tables -> rows
- :mod:`~explorer.labels.openfda`: openFDA drug-label JSON, as a stream (API files and bulk parts)
- :mod:`~explorer.labels.spl`: DailyMed SPL XML documents
- :mod:`~explorer.labels.onsides`: OnSIDES release tables (adverse-effect terms per label and section)

The explorer never downloads: users fetch these files and import them (``explorer labels import``).
"""
