"""The audit's headline and ranked findings, on the seed page's claims and on claims made up for the tests."""
from __future__ import annotations

import pandas as pd
import pytest

from explorer.audit import findings
from explorer.audit.report import audit_tables
from explorer.audit.vocabulary import NOT_CAPTURED, NOT_FOUND, STATUS_LEVELS


@pytest.fixture(scope="module")
def seed_tables(seed_corpus):
    return audit_tables(seed_corpus)


def _claims(records):
    return pd.DataFrame(records, columns=["drug", "claim", "severity", "tier", "status", "tier_check", "tier_note",
                                          "source_file", "line"])


CLAIMS = _claims([
    ("Zolvane", "Blood clots", "serious", "Serious", NOT_FOUND, "not comparable", None, "a.txt", 4),
    ("Zolvane", "blood clots", "serious", "Severe", NOT_FOUND, "not comparable", None, "b.txt", 7),
    ("Zolvane", "Blood clots", "serious", "Serious", NOT_FOUND, "not comparable", None, "b.txt", 30),
    ("Zolvane", "Hair loss", "serious", "Serious", NOT_CAPTURED, "not comparable", None, "c.txt", 2),
    ("Zolvane", "Stroke", "serious", "Serious", "label warning", "agrees", "a warning", "a.txt", 9),
    ("Zolvane", "Headache", "rare", "Rare", "label adverse reaction", "disagrees", "label gives 12%", "a.txt", 5),
    ("Zolvane", "Headache", "rare", "Rare", "label adverse reaction", "disagrees", "label gives 12%", "c.txt", 5),
])


def test_serious_claims_without_support_ranked_by_pages_and_kept_apart_by_status():
    out = findings.serious_unsupported(CLAIMS)
    assert out.to_dict("records") == [
        {"drug": "Zolvane", "claim": "blood clots", "status": NOT_FOUND, "n_pages": 2, "n_claims": 3},
        {"drug": "Zolvane", "claim": "hair loss", "status": NOT_CAPTURED, "n_pages": 1, "n_claims": 1}]


def test_tier_disagreements_with_the_reason():
    out = findings.tier_disagreements(CLAIMS)
    assert out[["claim", "tier", "tier_note", "n_pages"]].to_dict("records") == [
        {"claim": "headache", "tier": "Rare", "tier_note": "label gives 12%", "n_pages": 2}]


def test_finding_rows_are_the_claims_behind_an_entry():
    rows = findings.finding_rows(CLAIMS, "Zolvane", "blood clots", status=NOT_FOUND)
    assert rows[["source_file", "line"]].values.tolist() == [["a.txt", 4], ["b.txt", 7], ["b.txt", 30]]
    assert findings.finding_rows(CLAIMS, "Zolvane", "blood clots", status=NOT_CAPTURED).empty


def test_headline_counts_every_status_and_the_findings():
    h = findings.headline(CLAIMS)
    assert list(h["by_status"]) == list(STATUS_LEVELS)
    assert h["claims"] == 7 and sum(h["by_status"].values()) == 7
    assert (h["serious_unsupported"], h["tier_disagreements"]) == (4, 2)


def test_empty_claims_give_empty_findings():
    empty = CLAIMS.iloc[:0]
    assert findings.serious_unsupported(empty).empty and findings.tier_disagreements(empty).empty
    assert findings.headline(empty)["claims"] == 0


def test_the_seed_page_findings(seed_tables):
    """The seed's known errors: "Blood clots" is serious without support, the page presents Mirena for back
    pain, and "five to seven years" is a superseded figure."""
    h = findings.headline(**seed_tables)
    assert h["claims"] == 9
    assert h["serious_unsupported"] == 1 and h["pages_not_approved"] == 1 and h["stale_figures"] == 1
    top = findings.serious_unsupported(seed_tables["claims"])
    assert top.loc[0, "claim"] == "blood clots" and top.loc[0, "status"] == NOT_CAPTURED
    pages = findings.not_approved_pages(seed_tables["premises"])
    assert pages[["drug", "condition"]].astype(str).values.tolist() == [["Mirena", "Back Pain"]]
