"""Fixtures of the label-check tests: the reference data, the seed's claims, and a made-up second drug.

The second drug, "Testozanib (FAKE)", is invented: its label facts file and page show that a new drug
needs data, not code, and that one drug's label is never used for another.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from explorer.audit.claims import claims_table
from explorer.audit.matching import Matcher
from explorer.audit.reference import load_label_facts, load_synonyms
from explorer.audit.vocabulary import CLAIM_PRECEDENCE
from explorer.config import REFERENCE_DIR

REFERENCE_CSV = REFERENCE_DIR / "mirena_label_facts.csv"

FAKE_FACTS = """product,term,category,incidence_percent,label_version,label_section,evidence,source_url
Testozanib (FAKE),made-up itching,adverse_reaction,12.5,current,6.1,verified,https://example.invalid/fake-label
Testozanib (FAKE),made-up itching,adverse_reaction,3.0,superseded,6.1,verified,https://example.invalid/fake-old-label
Testozanib (FAKE),imaginary nosebleeds,warning,,current,5.1,secondary,https://example.invalid/fake-label
Testozanib (FAKE),fictional fatigue,indication,,current,1.1,verified,https://example.invalid/fake-label
"""
FAKE_PAGE = """Testozanib (FAKE)
Testozanib (FAKE) for Fictional Fatigue
What is Testozanib?
This page is made up for a test. It lasts up to 9 years, they say, and 12.5% of users report itching.
Testozanib (FAKE) for Fictional Fatigue Side Effects
Common Side Effects
- Made-up itching: a made-up claim.
- Imaginary nosebleed: another made-up claim.
- Headaches: Mirena's label must not be used for this drug.
Related Articles:
- Testozanib (FAKE) for Imaginary Nosebleeds
"""


@pytest.fixture(scope="session")
def facts() -> pd.DataFrame:
    return load_label_facts()


@pytest.fixture(scope="session")
def synonyms() -> pd.DataFrame:
    return load_synonyms()


@pytest.fixture(scope="session")
def claims(seed_corpus, facts, synonyms) -> pd.DataFrame:
    """The claims table of the seed page."""
    return claims_table(seed_corpus.side_effects, facts, synonyms)


@pytest.fixture(scope="session")
def matcher(facts, synonyms) -> Matcher:
    """Mirena's matcher for side-effect claims (no indications)."""
    return Matcher(facts, synonyms, "Mirena", tuple(CLAIM_PRECEDENCE))


@pytest.fixture(scope="session")
def two_drugs(tmp_path_factory) -> Path:
    """A reference folder holding Mirena's facts and synonyms and the made-up drug's facts, and its page."""
    folder = tmp_path_factory.mktemp("two-drugs")
    for name in ("mirena_label_facts.csv", "mirena_label_numbers.csv", "synonyms.csv"):
        (folder / name).write_bytes((REFERENCE_DIR / name).read_bytes())
    (folder / "testozanib_label_facts.csv").write_text(FAKE_FACTS, encoding="utf-8")
    (folder / "testozanib-fatigue.txt").write_text(FAKE_PAGE, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def fake_corpus(two_drugs):
    """The made-up drug's page as a corpus."""
    from explorer.corpus.dataset import Corpus
    from explorer.pages.template import parse_file

    return Corpus.from_articles([parse_file(two_drugs / "testozanib-fatigue.txt")])
