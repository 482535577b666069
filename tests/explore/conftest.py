"""Fixtures of the explore tests: made-up corpus tables held in memory, small and big.

The tables have the columns and dtypes :func:`explorer.load` gives (categoricals for names, drugs,
conditions and files), built straight from random codes: they exercise the aggregates and charts, not
the parser. ``medium`` is small enough for every run and still has ties, several drugs, missing
severities and top-N cuts; ``big`` is the 100,000-page corpus of the scale targets (tests using it
are marked ``slow``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from explorer.corpus.tables import SEVERITY_DTYPE


@dataclass(frozen=True)
class Tables:
    articles: pd.DataFrame
    side_effects: pd.DataFrame
    related: pd.DataFrame


def made_up_tables(n_pages: int, n_drugs: int, n_conditions: int, n_names: int, seed: int = 0,
                   effects_per_page: int = 9, links_per_page: int = 35) -> Tables:
    """Random pages of made-up drugs: ``effects_per_page`` side effects and ``links_per_page`` links each.

    Side-effect names follow a Zipf law (a few names on most pages), one side effect in twenty has an
    unrecognised tier (missing severity), and one link in ten goes to another drug's page.
    """
    rng = np.random.default_rng(seed)
    drugs = pd.Index([f"Testdrug {i:03d}" for i in range(n_drugs)])
    conditions = pd.Index([f"Made-up condition {i:04d}" for i in range(n_conditions)])
    names = pd.Index([f"Invented effect {i:03d}" for i in range(n_names)])
    files = pd.Index([f"pages/{i:06d}.txt" for i in range(n_pages)])
    tiers = pd.Index(["Common", "Less common", "Rare", "Serious", "Occasional"])
    page_drug = rng.integers(0, n_drugs, n_pages)
    page_condition = rng.integers(0, n_conditions, n_pages)

    def cat(codes, values):
        return pd.Categorical.from_codes(codes, categories=values)

    articles = pd.DataFrame({
        "source_file": cat(np.arange(n_pages), files), "line": np.ones(n_pages, dtype=np.int64),
        "drug": cat(page_drug, drugs), "condition": cat(page_condition, conditions)})

    page = np.repeat(np.arange(n_pages), effects_per_page)
    tier = rng.integers(0, 4, len(page))
    tier[rng.random(len(page)) < 0.05] = 4  # "Occasional": a tier the parser does not recognise
    severity = np.where(tier == 4, -1, tier)
    side_effects = pd.DataFrame({
        "source_file": cat(page, files),
        "line": np.tile(np.arange(20, 20 + effects_per_page), n_pages),
        "drug": cat(page_drug[page], drugs), "condition": cat(page_condition[page], conditions),
        "tier": cat(tier, tiers), "severity": pd.Categorical.from_codes(severity, dtype=SEVERITY_DTYPE),
        "name": cat((rng.zipf(1.4, len(page)) - 1) % n_names, names),
        "description": cat(rng.integers(0, 3, len(page)), pd.Index(["Said by a few.", "Said by many.",
                                                                     "Said <b>loudly</b>."]))})

    link_page = np.repeat(np.arange(n_pages), links_per_page)
    link_drug = page_drug[link_page].copy()
    other = rng.random(len(link_page)) < 0.1
    link_drug[other] = rng.integers(0, n_drugs, int(other.sum()))
    related = pd.DataFrame({
        "source_file": cat(link_page, files),
        "line": np.tile(np.arange(60, 60 + links_per_page), n_pages),
        "drug": cat(page_drug[link_page], drugs), "condition": cat(page_condition[link_page], conditions),
        "related_drug": cat(link_drug, drugs),
        "related_condition": cat(rng.integers(0, n_conditions, len(link_page)), conditions)})
    return Tables(articles, side_effects, related)


@pytest.fixture(scope="session")
def medium() -> Tables:
    """3,000 pages of 6 drugs and 300 conditions, 60 side-effect names: many ties, fast to build."""
    return made_up_tables(3_000, n_drugs=6, n_conditions=300, n_names=60, seed=1, links_per_page=5)


@pytest.fixture(scope="session")
def big() -> Tables:
    """100,000 pages: 900,000 side-effect rows and 3.5 million related links, in memory."""
    return made_up_tables(100_000, n_drugs=400, n_conditions=3000, n_names=600, seed=0)
