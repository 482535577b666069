"""Explorer for '<Drug> for <Condition>' health-content pages.

The flow runs one way, one sub-package per stage (an import-linter contract in pyproject.toml keeps
it so)::

    pages  (page -> records)  ->  corpus  (records -> DataFrames, corpus folders)
        ->  explore  (filters, aggregates, charts)   |   audit  (claims against label facts)
        ->  app  (the dashboard and its server)      ->  cli, devtools

Start with :func:`load`. The names below are imported on first use, so ``import explorer.pages`` stays
light (no pandas, pandera or plotly) for ``explorer parse`` and the ingest's workers.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

#: Public name -> the module that defines it.
_FACADE = {
    "load": "explorer.corpus.dataset",
    "Corpus": "explorer.corpus.dataset",
    "CorpusError": "explorer.corpus.folder",
    "FilterState": "explorer.explore.filters",
    "filter_mask": "explorer.explore.filters",
    "filter_rows": "explorer.explore.filters",
    "PageError": "explorer.pages.decode",
    "parse_file": "explorer.pages.read",
    "SEVERITY_LEVELS": "explorer.vocabulary",
}

__all__ = sorted(_FACADE)

if TYPE_CHECKING:  # pragma: no cover
    from .corpus.dataset import Corpus, load
    from .corpus.folder import CorpusError
    from .explore.filters import FilterState, filter_mask, filter_rows
    from .pages.decode import PageError
    from .pages.read import parse_file
    from .vocabulary import SEVERITY_LEVELS


def __getattr__(name: str):
    module = _FACADE.get(name)
    if module is None:
        raise AttributeError(f"module 'explorer' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_FACADE))
