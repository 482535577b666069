"""A regular (non-editable) install works: the built wheel carries the embedded data and the notebooks.

The wheel is built from this checkout and installed, without its dependencies, into a fresh virtual
environment outside the checkout; the dependencies are borrowed from the test run's own environment
through a ``.pth`` line (installing them again would download hundreds of megabytes for nothing this
test checks). Commands then run from a folder outside the checkout, so nothing can fall back to it.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


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


def test_the_installed_package_finds_its_own_data(installed):
    code = ("import json, explorer, explorer.config as c; print(json.dumps([explorer.__file__, str(c.DATA_DIR), "
            "str(c.DASHBOARD_NOTEBOOK), c.DASHBOARD_NOTEBOOK.is_file(), len(explorer.load().side_effects)]))")
    out = _run([str(installed["python"]), "-c", code], cwd=installed["work"], env=installed["env"]).stdout
    module, data, notebook, notebook_exists, n = json.loads(out.strip().splitlines()[-1])
    venv = str(installed["venv"])
    assert module.startswith(venv) and data.startswith(venv) and notebook.startswith(venv)
    assert not data.startswith(str(ROOT)) and notebook_exists and n == 9


def test_summary_and_audit_run_from_the_installed_package(installed):
    explorer = str(installed["venv"] / "bin" / "explorer")
    summary = _run([explorer, "summary"], cwd=installed["work"], env=installed["env"])
    assert summary.stdout.startswith("1 pages, 9 side effects, 35 related links (")
    assert str(installed["venv"]) in summary.stdout.splitlines()[0]
    assert "StaleCorpusWarning" not in summary.stderr
    audit = _run([explorer, "audit"], cwd=installed["work"], env=installed["env"])
    assert audit.stdout.startswith("LABEL CHECK")
    assert "'five to seven years'" in audit.stdout and "matches superseded label" in audit.stdout
