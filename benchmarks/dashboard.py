"""Dashboard speed: prints a table of timings (a benchmark, not a test).

    python benchmarks/dashboard.py [--pages 100000] [--runs 3] [--no-server]

Measures, in one run:

1. time from server start to the widgets and a chart visible in headless Chromium, for the dashboard
   and for a bare Voila notebook showing one widget (target: ratio at most 1.3);
2. time from a filter change to the updated charts and table on the embedded data, through the
   widget (target under 100 ms), and in the browser (from the click to the redrawn chart and table);
3. the same filter change on a synthetic corpus of ``--pages`` pages (9 side effects and 35 related
   links each), in the widget model, without a browser.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from explorer.corpus import Corpus
from explorer.schema import SEVERITY_DTYPE, SEVERITY_LEVELS


def synthetic_corpus(n_pages: int = 100_000, n_drugs: int = 400, n_conditions: int = 3000,
                     n_names: int = 600, seed: int = 0) -> Corpus:
    """A corpus held in memory with ``n_pages`` pages, 9 side effects and 35 related links per page.

    Built straight as categorical columns (no page text, no validation): it measures the dashboard,
    not the parser.
    """
    rng = np.random.default_rng(seed)
    drugs = pd.Index([f"Drug{i:03d}" for i in range(n_drugs)])
    conditions = pd.Index([f"Condition {i:04d}" for i in range(n_conditions)])
    names = np.array([f"Side effect {i:03d}" for i in range(n_names)], dtype=object)
    files = pd.Index([f"pages/p{i:06d}.txt" for i in range(n_pages)])
    page_drug = rng.integers(0, n_drugs, n_pages)
    page_cond = rng.integers(0, n_conditions, n_pages)

    def cat(codes, cats):
        return pd.Categorical.from_codes(codes, categories=cats)

    articles = pd.DataFrame({
        "source_file": cat(np.arange(n_pages), files), "sha256": cat(np.arange(n_pages), files),
        "line": np.full(n_pages, 4), "drug": cat(page_drug, drugs), "condition": cat(page_cond, conditions),
        "title": pd.array([f"{d} for {c}" for d, c in zip(drugs[page_drug], conditions[page_cond])], "string"),
        "n_side_effects": np.full(n_pages, 9), "n_related": np.full(n_pages, 35)})
    k = 9
    page = np.repeat(np.arange(n_pages), k)
    sev_codes = np.tile([0, 0, 0, 1, 1, 1, 3, 3, 3], n_pages)
    tiers = pd.Index(["Common", "Less Common", "Rare", "Serious"])
    side_effects = pd.DataFrame({
        "source_file": cat(page, files), "sha256": cat(page, files), "line": np.tile(np.arange(30, 39), n_pages),
        "drug": cat(page_drug[page], drugs), "condition": cat(page_cond[page], conditions),
        "tier": cat(sev_codes, tiers), "severity": pd.Categorical.from_codes(sev_codes, dtype=SEVERITY_DTYPE),
        "name": pd.array(names[rng.zipf(1.3, n_pages * k) % n_names], dtype="string"),
        "description": pd.array(["Some users have reported it."] * (n_pages * k), dtype="string")})
    r = 35
    rpage = np.repeat(np.arange(n_pages), r)
    rcond = rng.integers(0, n_conditions, n_pages * r)
    related = pd.DataFrame({
        "source_file": cat(rpage, files), "sha256": cat(rpage, files), "line": np.tile(np.arange(61, 61 + r), n_pages),
        "drug": cat(page_drug[rpage], drugs), "condition": cat(page_cond[rpage], conditions),
        "related_drug": cat(page_drug[rpage], drugs), "related_condition": cat(rcond, conditions),
        "has_page": rng.random(n_pages * r) < 0.3})
    empty = pd.DataFrame({"drug": pd.Categorical([]), "condition": pd.Categorical([])})
    return Corpus(articles=articles, sections=empty, side_effects=side_effects, advice=empty, related=related)
