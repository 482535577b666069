"""Where things live. The one place that knows the project's folders and the names shared across layers.

In a checkout (or an editable install) the data and notebooks are the repository's ``data/`` and
``notebooks/``. A regular install (a wheel) carries copies of both inside the package, as
``explorer/data`` and ``explorer/notebooks`` (see ``[tool.setuptools.package-dir]`` in pyproject.toml).

``EXPLORER_DATA_DIR`` overrides the data folder (for example to point a served dashboard elsewhere).
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent


def _shipped(name: str) -> Path:
    """The copy of the top-level folder ``name`` shipped inside an installed package, else the checkout's.

    The installed copy is looked for first: beside an installed package, ``PROJECT_ROOT`` is
    site-packages, where another distribution may have left a folder of the same name.
    """
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PROJECT_ROOT / name


DATA_DIR = Path(os.environ.get("EXPLORER_DATA_DIR") or _shipped("data"))
RAW_DIR = DATA_DIR / "raw"  # pages as crawled; never edited
CORPUS_DIR = DATA_DIR / "corpus"  # the embedded corpus, written by `explorer ingest data/raw`
REFERENCE_DIR = DATA_DIR / "reference"  # label facts, one CSV per drug
#: The default label store (``explorer labels import`` writes it; not committed: users fill it).
LABELS_DIR = Path(os.environ.get("EXPLORER_LABELS_DIR") or DATA_DIR / "labels")
NOTEBOOKS_DIR = _shipped("notebooks")
DASHBOARD_NOTEBOOK = NOTEBOOKS_DIR / "dashboard.ipynb"  # the one notebook `explorer serve` serves

def reference_rows(file_name: str, reference_dir: Path | None = None) -> list[dict[str, str]]:
    """The rows of one data file of ``data/reference/`` (a CSV with a header), or [] when it is missing.

    Every fact kept as data (tier words, drug and condition names, body systems, ...) is read through here.
    """
    import csv

    path = Path(reference_dir if reference_dir is not None else REFERENCE_DIR) / file_name
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


#: Environment variable naming the corpus folder the served dashboard shows (set by ``explorer serve``,
#: read by :func:`explorer.app.widgets.app` in the kernel).
CORPUS_ENV = "EXPLORER_CORPUS"
#: Environment variable naming the label store the served dashboard checks claims against (``explorer
#: serve --labels``); unset: the curated facts only.
LABELS_ENV = "EXPLORER_LABELS"

#: A Jupyter data folder holding the dashboard's Voila template (``voila/templates/<VOILA_TEMPLATE>``):
#: Voila's lab page without its requests to a CDN. ``explorer serve`` adds it to ``JUPYTER_PATH``.
VOILA_TEMPLATE_DIR = PACKAGE_DIR / "app" / "share"
VOILA_TEMPLATE = "explorer"

#: Plotly's FigureWidget front end, an ES module of about 5 MB that holds all of plotly.js. ``explorer
#: serve`` adds the folder holding it to Voila's labextension paths, so the served page imports it once
#: by URL (see :class:`explorer.app.figures.SharedBundleFigureWidget`). Found without importing plotly,
#: so starting the server stays light.
PLOTLY_BUNDLE = "widgetbundle.js"


def plotly_bundle_dir() -> Path:
    """The folder of plotly's installed package that holds :data:`PLOTLY_BUNDLE`.

    Raises
    ------
    FileNotFoundError
        When plotly is not installed, or its package no longer ships the bundle there (a plotly
        release that moved it: the pinned major version in pyproject.toml guards against this).
    """
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("plotly is not installed; the dashboard needs it")
    folder = Path(next(iter(spec.submodule_search_locations))) / "package_data"
    if not (folder / PLOTLY_BUNDLE).is_file():
        raise FileNotFoundError(f"{folder / PLOTLY_BUNDLE}: plotly's widget bundle is not where this "
                                "version of the explorer expects it")
    return folder
