"""explorer.audit.evidence: what a phrase's matches gather (facts, citations, incidences) and its status.

Checked on the made-up drug's four facts, so each expected value can be read off FAKE_FACTS.
"""
from __future__ import annotations

import pandas as pd
import pytest

from explorer.audit.evidence import SUMMARY_COLUMNS, summaries
from explorer.audit.matching import Match
from explorer.audit.reference import load_label_facts
from explorer.audit.vocabulary import CLAIM_PRECEDENCE, NOT_CAPTURED, PREMISE_PRECEDENCE, SUPERSEDED_ONLY

FAKE = "testozanib (fake)"  # signatures hold the drug case-folded
ITCHING = Match("made-up itching", "normalised", 100.0)
NOSEBLEEDS = Match("imaginary nosebleeds", "fuzzy", 93.5, "a note")
FATIGUE = Match("fictional fatigue", "synonym", 100.0, "another note")


@pytest.fixture(scope="module")
def fake_facts(two_drugs) -> pd.DataFrame:
    facts = load_label_facts(two_drugs)
    return facts[facts["product"] == "Testozanib (FAKE)"].reset_index(drop=True)


def test_row_zero_is_no_match_with_nothing_but_a_status(fake_facts):
    out = summaries([()], fake_facts, CLAIM_PRECEDENCE, NOT_CAPTURED)
    assert list(out.columns) == list(SUMMARY_COLUMNS)
    row = out.iloc[0]
    assert (row["status"], row["match_method"]) == (NOT_CAPTURED, "none")
    assert row.drop(["status", "match_method"]).isna().all()


def test_matches_gather_every_fact_of_their_terms(fake_facts):
    (row,) = summaries([(FAKE, (ITCHING, NOSEBLEEDS))], fake_facts, CLAIM_PRECEDENCE,
                       NOT_CAPTURED).itertuples(index=False)
    assert row.label_term == "made-up itching | imaginary nosebleeds"
    assert row.label_category == "adverse_reaction | warning"
    assert row.label_version == "current | superseded"
    assert (row.incidence_current, row.incidence_superseded) == (12.5, 3.0)
    assert row.source_url == "https://example.invalid/fake-label | https://example.invalid/fake-old-label"
    citations = row.citation.split(" | ")
    assert citations == [
        "made-up itching [adverse_reaction, 12.5%; current label, section 6.1; verified] https://example.invalid/fake-label",
        "made-up itching [adverse_reaction, 3%; superseded label, section 6.1; verified] "
        "https://example.invalid/fake-old-label",
        "imaginary nosebleeds [warning; current label, section 5.1; secondary] https://example.invalid/fake-label"]
    assert (row.match_method, row.match_score, row.match_note) == ("normalised | fuzzy", 93.5, "a note")


@pytest.mark.parametrize("matches, precedence, status", [
    ((ITCHING, NOSEBLEEDS), CLAIM_PRECEDENCE, "label warning"),  # a warning outranks an adverse reaction
    ((ITCHING,), CLAIM_PRECEDENCE, "label adverse reaction"),
    ((FATIGUE, NOSEBLEEDS), PREMISE_PRECEDENCE, "approved indication"),
    ((ITCHING,), PREMISE_PRECEDENCE, "not among the captured indications"),  # a side effect answers no premise
])
def test_status_follows_the_precedence_among_current_facts(fake_facts, matches, precedence, status):
    out = summaries([(), (FAKE, matches)], fake_facts, precedence, NOT_CAPTURED)
    assert out["status"].tolist() == [NOT_CAPTURED, status]


def test_facts_only_of_a_superseded_label_give_superseded_label_only(fake_facts):
    old_only = fake_facts[fake_facts["label_version"] == "superseded"]
    (row,) = summaries([(FAKE, (ITCHING,))], old_only, CLAIM_PRECEDENCE, NOT_CAPTURED).itertuples(index=False)
    assert row.status == SUPERSEDED_ONLY
    assert pd.isna(row.incidence_current) and row.incidence_superseded == 3.0
