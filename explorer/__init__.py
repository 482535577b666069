"""Explorer for '<Drug> for <Condition>' health-content pages.

The flow runs one way: ``parser`` (page -> records) -> ``corpus`` (records -> DataFrames) ->
``filters`` -> ``charts`` -> ``dashboard``. Start with :func:`load`.
"""
from .corpus import Corpus
from .filters import FilterState, filter_mask, filter_rows
from .parser import PageError, parse_file
from .schema import SEVERITY_LEVELS

__all__ = ["Corpus", "FilterState", "PageError", "SEVERITY_LEVELS", "filter_mask", "filter_rows",
           "load", "parse_file"]


def load(path=None, *, validate: bool = True) -> Corpus:
    """Load a corpus written by ``explorer ingest``; with no path, the embedded data under ``data/``.

    Returns a :class:`Corpus` whose tables are validated against their schemas.
    """
    from .store import read_corpus

    return read_corpus(path, validate=validate)
