"""Where things live: the checkout's folders, an installed package's copies, and plotly's chart bundle."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from explorer import config


def test_in_a_checkout_the_data_and_notebooks_are_the_repository_folders():
    assert config.DATA_DIR == config.PROJECT_ROOT / "data"
    assert config.CORPUS_DIR == config.DATA_DIR / "corpus" and (config.CORPUS_DIR / "manifest.json").is_file()
    assert config.DASHBOARD_NOTEBOOK == config.PROJECT_ROOT / "notebooks" / "dashboard.ipynb"
    assert config.DASHBOARD_NOTEBOOK.is_file()


def test_an_installed_copy_inside_the_package_is_preferred(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "explorer"
    (package / "data").mkdir(parents=True)
    (tmp_path / "site-packages" / "data").mkdir()  # another distribution's folder beside the package
    monkeypatch.setattr(config, "PACKAGE_DIR", package)
    monkeypatch.setattr(config, "PROJECT_ROOT", package.parent)
    assert config._shipped("data") == package / "data"
    assert config._shipped("notebooks") == package.parent / "notebooks"  # no copy: the checkout's path


def test_the_data_folder_can_be_pointed_elsewhere(tmp_path):
    code = "import json, explorer.config as c; print(json.dumps([str(c.DATA_DIR), str(c.REFERENCE_DIR)]))"
    out = subprocess.run([sys.executable, "-c", code], env={"EXPLORER_DATA_DIR": str(tmp_path), "PATH": ""},
                         capture_output=True, text=True, check=True, timeout=60).stdout
    assert json.loads(out) == [str(tmp_path), str(tmp_path / "reference")]


def test_plotly_ships_its_widget_bundle_where_the_dashboard_serves_it_from():
    """The served dashboard imports plotly's FigureWidget front end by URL from this file (a plotly
    internal, pinned below plotly 8): it must be there and be an ES module with a default export."""
    bundle = config.plotly_bundle_dir() / config.PLOTLY_BUNDLE
    assert bundle.stat().st_size > 1_000_000
    tail = bundle.read_bytes()[-4096:].decode("utf-8", "replace")
    assert re.search(r"export\s*\{[^}]*\bas default\b", tail), "the bundle no longer ends with a default export"


def test_a_missing_bundle_is_a_clear_error(monkeypatch, tmp_path):
    import importlib.util

    class Spec:
        submodule_search_locations = [str(tmp_path)]

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: Spec())
    with pytest.raises(FileNotFoundError, match="widget bundle is not where"):
        config.plotly_bundle_dir()
