"""A regular (non-editable) install works: the built wheel carries the embedded data and the notebooks.

The wheel is built from this checkout and installed, without its dependencies, into a fresh virtual
environment outside the checkout; the dependencies are borrowed from the test run's own environment
through a ``.pth`` line (installing them again would download hundreds of megabytes for nothing this
test checks). Commands then run from a folder outside the checkout, so nothing can fall back to it.

Also what pyproject.toml declares: every third-party import of the code declared and every declared
distribution used, the floors file in step with the floors (and, slow, the floors passing the tests),
and the lock pinning every declared distribution within its bounds.
"""
from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(cmd: list[str], cwd: Path, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{cmd}: exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A fresh virtual environment with the wheel installed; returns its paths."""
    tmp = tmp_path_factory.mktemp("install")
    # Built from a copy of what the wheel is made of: building in the checkout would leave a build/
    # folder there, whose stale files a later build would pick up.
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "explorer", "data", "notebooks"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")}
                                            if (ROOT / name).is_dir() else {}))
    wheels = tmp / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
          "-w", str(wheels), str(source)], cwd=tmp)
    wheel = next(wheels.glob("drug_content_explorer-*.whl"))
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp)
    python = venv / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--no-deps", "--quiet", "--disable-pip-version-check",
          str(wheel)], cwd=tmp)
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=tmp).stdout.strip())
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "EXPLORER_DATA_DIR", "EXPLORER_CORPUS")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return {"wheel": wheel, "venv": venv, "python": python, "work": work, "env": env}


@pytest.mark.slow
def test_the_wheel_carries_the_data_and_the_notebooks(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for needed in ("explorer/data/raw/mirena-back-pain.txt", "explorer/data/corpus/manifest.json",
                   "explorer/data/corpus/side_effects.csv", "explorer/data/reference/mirena_label_facts.csv",
                   "explorer/data/reference/synonyms.csv", "explorer/notebooks/dashboard.ipynb",
                   "explorer/notebooks/03-label-check.ipynb", "explorer/pages/template.py",
                   # the dashboard's stylesheet and Voila template
                   "explorer/app/static/explorer.css", "explorer/app/share/voila/templates/explorer/index.html.j2",
                   "explorer/app/share/voila/templates/explorer/conf.json"):
        assert needed in names, needed
    assert not any(n.startswith(("tests/", "data/", "notebooks/")) for n in names)


@pytest.mark.slow
def test_the_installed_package_finds_its_own_data(installed):
    code = ("import json, explorer, explorer.config as c; print(json.dumps([explorer.__file__, str(c.DATA_DIR), "
            "str(c.DASHBOARD_NOTEBOOK), c.DASHBOARD_NOTEBOOK.is_file(), len(explorer.load().side_effects)]))")
    out = _run([str(installed["python"]), "-c", code], cwd=installed["work"], env=installed["env"]).stdout
    module, data, notebook, notebook_exists, n = json.loads(out.strip().splitlines()[-1])
    venv = str(installed["venv"])
    assert module.startswith(venv) and data.startswith(venv) and notebook.startswith(venv)
    assert not data.startswith(str(ROOT)) and notebook_exists and n == 9


@pytest.mark.slow
def test_summary_and_audit_run_from_the_installed_package(installed):
    explorer = str(installed["venv"] / "bin" / "explorer")
    summary = _run([explorer, "summary"], cwd=installed["work"], env=installed["env"])
    assert summary.stdout.startswith("1 pages, 9 side effects, 35 related links (")
    assert str(installed["venv"]) in summary.stdout.splitlines()[0]
    assert "StaleCorpusWarning" not in summary.stderr
    audit = _run([explorer, "audit"], cwd=installed["work"], env=installed["env"])
    assert audit.stdout.startswith("LABEL CHECK")
    assert "'five to seven years'" in audit.stdout and "matches superseded label" in audit.stdout


# --- what pyproject.toml declares --------------------------------------------------------------------

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = None

#: Declared, used without an import of their own, each with how.
RUNTIME_ONLY = {
    "anywidget": "plotly's FigureWidget is an anywidget (plotly imports it)",
    "jupyterlab": "the notebooks' JupyterLab (`jupyter lab notebooks/`)",
    "voila": "started as `python -m voila` by explorer serve (explorer/app/serve.py)",
    "nbval": "a pytest plugin, enabled by --nbval-lax in pyproject's addopts",
    "pytest-xdist": "a pytest plugin, enabled by `pytest -n`",
}
#: Imported, not declared, each with why (by import name).
UNDECLARED_IMPORTS = {
    "jsonschema": "explorer/startup.py imports it early only to skip a slow grammar, and goes on when it is "
                  "absent; nbformat, which the dashboard's kernel loads, depends on it",
    "IPython": "the notebooks run in an IPython kernel (ipykernel, which voila and jupyterlab require)",
    "selectolax": "benchmarks/maincontent.py compares against it when installed by hand",
    "trafilatura": "benchmarks/maincontent.py compares against it when installed by hand",
    "readability": "benchmarks/maincontent.py compares against it (readability-lxml) when installed by hand",
}
#: Where code lives and which groups of pyproject.toml it may import from ("" is [project] dependencies).
SOURCES = {"explorer": ("", "scale"), "notebooks": ("",), "tests": ("", "scale", "test"),
           "benchmarks": ("", "scale", "test")}
LOCAL = set(SOURCES)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement(line: str) -> tuple[str, dict[str, str]]:
    """``'plotly>=6.0,<8'`` -> ``('plotly', {'>=': '6.0', '<': '8'})`` (the name without its extras)."""
    name = re.match(r"[A-Za-z0-9._-]+", line).group()
    return _normalise(name), dict(re.findall(r"(>=|<=|==|<|>|~=)\s*([^,;\s]+)", line[len(name):]))


def _declared() -> dict[str, dict[str, dict[str, str]]]:
    """Group ("" for the package's own dependencies, else the extra) -> distribution -> bounds."""
    if tomllib is None:
        pytest.skip("reading pyproject.toml needs tomllib (Python 3.11)")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    groups = {"": project["dependencies"], **project.get("optional-dependencies", {})}
    return {group: dict(_requirement(line) for line in lines) for group, lines in groups.items()}


def _imported_names(source: str) -> set[str]:
    """Top-level names of the absolute imports in ``source``, also ``importorskip("x")`` and ``import_module("x")``."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in ("importorskip", "import_module") and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            names.add(node.args[0].value)
    return {name.split(".")[0] for name in names}


def _sources(folder: str):
    """(path relative to the checkout, Python source) of every module and notebook code cell in ``folder``.

    Test fixtures are data, not code, and notebook magics (``%``, ``!``) are not Python: both left out.
    """
    paths = [p for p in sorted((ROOT / folder).rglob("*.py")) + sorted((ROOT / folder).rglob("*.ipynb"))
             if not {"fixtures", ".ipynb_checkpoints", "__pycache__"} & set(p.relative_to(ROOT).parts)]
    for path in paths:
        if path.suffix == ".py":
            yield path.relative_to(ROOT), path.read_text(encoding="utf-8")
            continue
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                lines = "".join(cell["source"]).splitlines()
                code = [line for line in lines if not line.lstrip().startswith(("%", "!"))]
                yield path.relative_to(ROOT), "\n".join(code)


def _third_party_imports() -> dict[str, dict[str, list[Path]]]:
    """Folder -> top-level import name -> the files importing it (standard library and our own left out)."""
    found: dict[str, dict[str, list[Path]]] = {}
    for folder in SOURCES:
        for path, source in _sources(folder):
            for name in _imported_names(source) - set(sys.stdlib_module_names) - LOCAL - {"__future__"}:
                found.setdefault(folder, {}).setdefault(name, []).append(path)
    return found


def test_the_import_scan_finds_absolute_string_and_conditional_imports_only():
    source = ("import numpy as np\nfrom pandas.api import types\nfrom . import sibling\nimport os.path\n"
              "def f():\n    import dask.dataframe\n    return pytest.importorskip('playwright.sync_api')\n")
    assert _imported_names(source) == {"numpy", "pandas", "os", "dask", "playwright"}
    assert _requirement("dask[dataframe]>=2024.1") == ("dask", {">=": "2024.1"})
    assert _requirement("plotly>=6.0,<8") == ("plotly", {">=": "6.0", "<": "8"})


def test_every_third_party_import_is_declared():
    declared = _declared()
    distributions = importlib.metadata.packages_distributions()
    problems = []
    for folder, imports in _third_party_imports().items():
        allowed = set().union(*(declared.get(group, {}) for group in SOURCES[folder]))
        for name, paths in sorted(imports.items()):
            if name in UNDECLARED_IMPORTS:
                continue
            where = f"{paths[0]}" + (f" and {len(paths) - 1} more" if len(paths) > 1 else "")
            dists = {_normalise(d) for d in distributions.get(name, [])}
            if not dists:
                problems.append(f"{name} (imported by {where}): no installed distribution provides it")
            elif not dists & allowed:
                groups = " or ".join(f"[{g}]" if g else "dependencies" for g in SOURCES[folder])
                problems.append(f"{name} (imported by {where}): its distribution {'/'.join(sorted(dists))} is not "
                                f"declared in pyproject.toml's {groups}")
    assert not problems, "\n".join(problems)


def test_every_declared_distribution_is_imported_or_needed_at_run_time():
    declared = _declared()
    distributions = importlib.metadata.packages_distributions()
    imported: dict[str, set[str]] = {}
    for folder, imports in _third_party_imports().items():
        for name in imports:
            for dist in distributions.get(name, []):
                imported.setdefault(_normalise(dist), set()).add(folder)
    users = {"": ("explorer", "notebooks"), "scale": ("explorer",), "test": ("tests", "benchmarks")}
    problems = [f"{dist} is declared in pyproject.toml's {'[' + group + ']' if group else 'dependencies'} but "
                f"nothing in {' or '.join(f'{u}/' for u in users[group])} imports it "
                "(or list it in RUNTIME_ONLY with how it is used)"
                for group, dists in declared.items() for dist in dists
                if dist not in RUNTIME_ONLY and not imported.get(dist, set()) & set(users[group])]
    assert not problems, "\n".join(problems)
    assert set(declared) == set(users), "a new extra: say above which folders use it"


def _release(version: str) -> tuple[int, ...]:
    """The release numbers of a version, without trailing zeros: ``'8.0'`` and ``'8'`` -> ``(8,)``."""
    numbers = [int(part) for part in re.match(r"\d+(?:\.\d+)*", version).group().split(".")]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def test_the_floors_file_lists_every_declared_floor():
    """requirements/floors.txt (what scripts/floors.sh tests) holds each distribution at its declared floor."""
    floors = {}
    for line in (ROOT / "requirements" / "floors.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, bounds = _requirement(line)
            floors[name] = _release(bounds["=="])
    declared = {dist: _release(bounds[">="]) for group in _declared().values() for dist, bounds in group.items()}
    assert floors == declared




def _lock() -> Path:
    """requirements/constraints.txt, or the new lock scripts/lock.sh is about to write (EXPLORER_LOCK)."""
    lock = Path(os.environ.get("EXPLORER_LOCK") or ROOT / "requirements" / "constraints.txt")
    if not lock.is_file():
        pytest.fail(f"{lock} is missing: run scripts/lock.sh")
    return lock


def test_the_lock_pins_every_declared_distribution_within_its_bounds():
    lock = _lock()
    pins = dict(_requirement(line) for line in lock.read_text().splitlines() if line and not line.startswith("#"))
    problems = []
    for group, dists in _declared().items():
        for dist, bounds in dists.items():
            if dist not in pins:
                problems.append(f"{dist}: declared but not pinned in {lock.name}: run scripts/lock.sh")
                continue
            pinned = _release(pins[dist]["=="])
            if ">=" in bounds and pinned < _release(bounds[">="]) or "<" in bounds and pinned >= _release(bounds["<"]):
                problems.append(f"{dist}: pinned at {pins[dist]['==']}, outside the declared {bounds}: "
                                "run scripts/lock.sh")
    assert not problems, "\n".join(problems)


def test_environment_yml_installs_the_package_at_the_locks_versions_on_the_locks_python():
    environment = (ROOT / "environment.yml").read_text()
    locked = re.search(r"^# python: (\S+)$", _lock().read_text(), re.M).group(1)
    assert re.search(r"^  - python=(\S+)$", environment, re.M).group(1) == locked
    assert re.search(r"^      - -c requirements/constraints\.txt$", environment, re.M)


@pytest.mark.slow
def test_the_declared_floors_pass_the_tests():
    """scripts/floors.sh: a fresh environment at the floors passes every test but the slow ones (about 6 minutes)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "JUPYTER_", "VIRTUAL_ENV")) and k not in ("IPYTHONDIR", "PYTHONPATH")}
    result = subprocess.run(["bash", str(ROOT / "scripts" / "floors.sh")], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert re.search(r"\d+ passed", result.stdout) and " failed" not in result.stdout
