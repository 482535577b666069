"""A faster start for the processes that show charts: jsonschema imported without its IRI grammar.

``go.FigureWidget`` imports nbformat, which imports jsonschema, which imports the optional
``rfc3987_syntax``: it compiles an IRI grammar at import, measured at 1.8-2.2 s here (3.5 s in a Voila
kernel), the largest single part of the dashboard's start. Nothing that shows the explorer's charts
validates IRIs; jsonschema then skips the "iri" format check, as when that package is absent.

The modules that make figures (:mod:`explorer.explore.charts`, :mod:`explorer.audit.charts`,
:mod:`explorer.app.widgets`) call :func:`import_jsonschema_without_iri_grammar` as they are imported,
so a notebook's first ``go.FigureWidget`` starts 2 s sooner too. The test run uses this module as a
pytest plugin (``-p explorer.startup`` in pyproject.toml): pytest registers ``-p`` plugins before the
installed ones, and nbval imports nbformat, and so jsonschema, as it loads. It imports nothing of the
explorer's and nothing heavy: it sits in the bottom layer.
"""
from __future__ import annotations

import sys


def import_jsonschema_without_iri_grammar() -> bool:
    """Import jsonschema with ``rfc3987_syntax`` unavailable, unless something imported either already.

    Returns whether it did (False: jsonschema or rfc3987_syntax was already imported).
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return False
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # makes its import fail
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        pass
    finally:
        del sys.modules["rfc3987_syntax"]
    return True


def pytest_addhooks(pluginmanager) -> None:
    """pytest calls this as it registers the plugin, before the installed plugins (nbval) are loaded."""
    import_jsonschema_without_iri_grammar()
