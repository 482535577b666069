"""Where things live. The one place that knows the project's folders.

``EXPLORER_DATA_DIR`` overrides the data folder (for example to point a served dashboard elsewhere).
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("EXPLORER_DATA_DIR", PROJECT_ROOT / "data"))
RAW_DIR = DATA_DIR / "raw"  # pages as crawled; never edited
CORPUS_DIR = DATA_DIR / "corpus"  # the embedded corpus, written by `explorer ingest data/raw`
REFERENCE_DIR = DATA_DIR / "reference"  # label facts, one CSV per drug
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
