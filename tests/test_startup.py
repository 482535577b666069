"""jsonschema imported without its IRI grammar: still needed, still working, and applied where it should be.

These tests watch a library behaviour the dashboard relies on: if jsonschema stops importing
``rfc3987_syntax`` at import, the first test fails and the workaround in explorer/startup.py can go.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

needs_grammar = pytest.mark.skipif(importlib.util.find_spec("rfc3987_syntax") is None,
                                   reason="rfc3987_syntax is not installed: nothing to work around")


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    return set(out.split())


@pytest.mark.slow  # compiles the grammar: 2-3 s
@needs_grammar
def test_plain_jsonschema_still_compiles_the_iri_grammar_so_the_workaround_is_needed():
    assert "rfc3987_syntax" in _modules_after("import jsonschema")


@pytest.mark.slow  # fresh processes import the chart and widget stack: 2-3 s each
@needs_grammar
@pytest.mark.parametrize("module", ["explorer.app.widgets", "explorer.explore.charts", "explorer.audit.charts"])
def test_modules_that_make_figures_import_jsonschema_without_the_grammar(module):
    modules = _modules_after(f"import {module}")
    assert "jsonschema" in modules
    assert "rfc3987_syntax" not in modules


def test_jsonschema_still_validates_without_the_grammar():
    code = ("from explorer.startup import import_jsonschema_without_iri_grammar as f; assert f()\n"
            "import jsonschema\n"
            "checker = jsonschema.FormatChecker()\n"
            "v = jsonschema.Draft7Validator({'type': 'object', 'required': ['a'], 'properties': "
            "{'d': {'format': 'date'}}}, format_checker=checker)\n"
            "print(len(list(v.iter_errors({}))), len(list(v.iter_errors({'a': 1, 'd': 'not a date'}))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.split() == ["1", "1"]


def test_it_does_nothing_once_jsonschema_is_imported():
    from explorer.startup import import_jsonschema_without_iri_grammar

    import jsonschema  # noqa: F401  (already imported in this test run)

    assert import_jsonschema_without_iri_grammar() is False


@needs_grammar
def test_the_test_run_itself_loads_the_workaround_before_nbval():
    assert "rfc3987_syntax" not in sys.modules
