"""The architecture, checked: the one-way flow between layers, light imports where they matter, module sizes.

The layers are an import-linter contract in pyproject.toml; this test runs it on the real package and
on a copy with one reverse import added, so a contract that silently stopped checking would fail here.
"""
from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import grimp
import pytest
from importlinter import api as importlinter_api

import explorer

PACKAGE = Path(explorer.__file__).resolve().parent
ROOT = PACKAGE.parent
HEAVY = ("pandera", "plotly", "ipywidgets")
#: Modules allowed past the size limit, each with why (the issue's "no module over about 400 lines").
LINE_LIMIT = 400
LONG_MODULES: dict[str, str] = {
    "devtools/synth.py": "about 200 of its lines are the word pools and page templates the generator draws from",
    "devtools/bench.py": "one benchmark: its steps (each run in a fresh process), its table and its command line",
}


def _lint(root: Path) -> subprocess.CompletedProcess:
    """Run import-linter with the project's configuration on the package found under ``root``."""
    env = {"PYTHONPATH": str(root), "PATH": str(Path(sys.executable).parent)}
    return subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                           "sys.exit(lint_imports_command())", str(ROOT / "pyproject.toml"), "--no-cache"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_layers_contract_is_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_one_reverse_import_breaks_the_contract(tmp_path):
    """The pages layer importing the corpus layer (upwards) must be reported, naming both modules."""
    copy = tmp_path / "explorer"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    decode = copy / "pages" / "decode.py"
    decode.write_text(decode.read_text() + "\nfrom ..corpus import tables  # noqa: E402,F401  (reverse import)\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "explorer.pages is not allowed to import explorer.corpus" in result.stdout
    assert "explorer.pages.decode -> explorer.corpus.tables" in result.stdout


def test_the_contract_lists_every_subpackage_and_top_module():
    """A new sub-package or top-level module must be placed in a layer, or the contract ignores it."""
    contract = next(c for c in importlinter_api.read_configuration(str(ROOT / "pyproject.toml"))["contracts_options"]
                    if c["type"] == "layers")
    layered = {name.strip() for layer in contract["layers"] for name in layer.replace(":", "|").split("|")}
    present = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    present |= {p.stem for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    assert present == layered


@pytest.fixture(scope="module")
def graph():
    """The package's import graph, with the external packages it imports (no cache: always the code as is)."""
    return grimp.build_graph("explorer", include_external_packages=True, cache_dir=None)


def test_no_module_inside_the_package_imports_the_facade(graph):
    importers = graph.find_modules_that_directly_import("explorer")
    assert importers == set(), f"import the defining module instead of the facade: {sorted(importers)}"


@pytest.mark.parametrize("module, library", [
    ("explorer.app.model", "ipywidgets"), ("explorer.app.model", "anywidget"),
    ("explorer.app.render", "ipywidgets"), ("explorer.app.serve", "ipywidgets"), ("explorer.app.serve", "plotly"),
    ("explorer.explore.charts", "ipywidgets"), ("explorer.audit.charts", "ipywidgets"),
    ("explorer.corpus.ingest", "pandera"), ("explorer.corpus.ingest", "plotly"),
])
def test_no_import_chain_leads_from_a_module_to_a_library_it_must_not_need(graph, module, library):
    """Statically, through our own modules: the dashboard's model has no widgets, the server command and
    the ingest stay light, the charts never import widgets (tests/app/test_model.py runs the model in a
    fresh process for the dynamic check)."""
    assert module in graph.modules
    if library not in graph.modules:  # no module of ours imports it at all
        return
    chain = graph.find_shortest_chain(importer=module, imported=library)
    assert chain is None, " -> ".join(chain)


@pytest.mark.parametrize("statement", [
    "import explorer.pages.template",
    "from explorer.corpus.ingest import parse_chunk",
    "import explorer.cli; explorer.cli.build_parser()",
])
def test_reading_pages_stays_light(statement):
    """``explorer parse``, the ingest's workers (local and Dask) and the CLI's start import no heavy library."""
    code = f"import sys; {statement}; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(out.stdout.strip().replace("'", '"')) == []


def test_an_ingest_worker_imports_no_heavy_library_while_parsing(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text("Examplin for Itchy Skin\n\nCommon Side Effects of Examplin\n- Dry mouth: it happens.\n")
    code = textwrap.dedent(f"""
        import sys
        from explorer.corpus.ingest import parse_chunk
        tables, report = parse_chunk([{str(page)!r}], known={{}})
        assert report[0][1] == "ok", report
        print(sorted(m for m in {HEAVY!r} if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def test_pages_do_not_even_need_pandas():
    code = "import sys, explorer.pages.template as t; print('pandas' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "False False"


def test_the_facade_resolves_every_name_lazily():
    for name in explorer.__all__:
        assert getattr(explorer, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        explorer.nothing_here  # noqa: B018


def test_modules_stay_short_unless_their_note_says_why():
    long = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        n = len(path.read_text().splitlines())
        if n > LINE_LIMIT:
            long[str(path.relative_to(PACKAGE))] = n
    assert set(long) == set(LONG_MODULES), long


def test_every_module_says_what_it_holds():
    for path in sorted(PACKAGE.rglob("*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text()))
        assert doc and len(doc) > 40, f"{path.relative_to(PACKAGE)} has no module docstring"
