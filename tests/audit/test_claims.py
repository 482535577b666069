"""explorer.audit.claims: every side-effect claim with its label status, citations and tier check.

The seed's expected statuses are read off the page and the reference CSV: e.g. the page's "Perforation
of the uterus" is the label's warning "uterine perforation" (section 5.5); its "Headaches" are in the
current trial table at 16.3%, which is not "less common"; blood clots are not among the captured facts.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer.audit.claims import CLAIM_COLUMNS, claim_matches, claims_table, tier_check
from explorer.audit.matching import Matcher
from explorer.audit.reference import load_label_facts, load_synonyms

SEED_STATUS = {
    "Mirena’s hormonal effects": "not among the captured label facts",
    "Weight gain": "not among the captured label facts",
    "Mood changes": "superseded label only",
    "Headaches": "label adverse reaction",
    "Dizziness": "not among the captured label facts",
    "Nausea and vomiting": "not among the captured label facts",
    "Perforation of the uterus": "label warning",
    "Infection": "label warning",
    "Blood clots": "not among the captured label facts",
}


def claim(claims: pd.DataFrame, name: str) -> pd.Series:
    rows = claims[claims["claim"] == name]
    assert len(rows) == 1, name
    return rows.iloc[0]


def test_each_seed_claim_has_its_status(claims):
    assert dict(zip(claims["claim"], claims["status"].astype(str))) == SEED_STATUS
    assert list(claims.columns) == list(CLAIM_COLUMNS)


def test_seed_claims_carry_their_citations(claims):
    perforation = claim(claims, "Perforation of the uterus")
    assert perforation["label_term"] == "uterine perforation"
    assert perforation["label_section"] == "5.5"
    assert perforation["source_url"] == "https://docslib.org/doc/7138861/mirena-safely-and-effectively"
    headaches = claim(claims, "Headaches")
    assert headaches["label_term"] == "headache/migraine"
    assert headaches["label_section"] == "6.1 Table 1 | 6.1"
    assert (headaches["incidence_current"], headaches["incidence_superseded"]) == (16.3, 7.7)
    assert "16.3%; current label, section 6.1 Table 1" in headaches["citation"]
    assert "https://mdtodate.com/mirena-side-effects/" in headaches["citation"]
    mood = claim(claims, "Mood changes")
    assert np.isnan(mood["incidence_current"]) and mood["incidence_superseded"] == 6.4
    infection = claim(claims, "Infection")
    assert infection["label_section"] == "5.4 | 5.3"
    assert "broader than any label term" in infection["match_note"]


def test_only_claims_among_the_captured_facts_have_a_citation(claims):
    for name, status in SEED_STATUS.items():
        assert pd.isna(claim(claims, name)["citation"]) == (status == "not among the captured label facts")


def test_claims_keep_the_provenance_of_their_rows(seed_corpus, claims):
    se = seed_corpus.side_effects
    for col in ("source_file", "sha256", "line", "drug", "condition", "tier"):
        assert claims[col].astype(str).tolist() == se[col].astype(str).tolist()
    assert claims["claim"].tolist() == se["name"].tolist()
    assert claims["severity"].astype(str).tolist() == se["severity"].astype(str).tolist()


def test_claims_never_match_indications(facts, synonyms):
    se = pd.DataFrame({"drug": ["Mirena"], "name": ["Contraception"]})
    assert claim_matches(se, facts, synonyms)["match_method"].tolist() == ["none"]


def test_second_drug_claims_use_its_own_label_only(two_drugs, fake_corpus):
    claims = claims_table(fake_corpus.side_effects, load_label_facts(two_drugs), load_synonyms(two_drugs))
    by_name = claims.set_index("claim")
    assert by_name.loc["Made-up itching", "status"] == "label adverse reaction"
    assert by_name.loc["Made-up itching", "incidence_current"] == 12.5
    assert by_name.loc["Made-up itching", "incidence_superseded"] == 3.0
    assert by_name.loc["Imaginary nosebleed", "status"] == "label warning"  # plural on one side only
    # Mirena's label lists headache; this drug's does not
    assert by_name.loc["Headaches", "status"] == "not among the captured label facts"


def test_without_facts_claims_table_loads_the_reference(seed_corpus, claims):
    pd.testing.assert_frame_equal(claims_table(seed_corpus.side_effects), claims)


def test_matching_runs_once_per_unique_claim_and_rows_repeat_its_result(seed_corpus, claims, facts, synonyms,
                                                                        monkeypatch):
    se = seed_corpus.side_effects
    many = pd.concat([se] * 300, ignore_index=True)  # 2,700 rows, 9 unique claims
    calls = []
    real = Matcher.match
    monkeypatch.setattr(Matcher, "match", lambda self, p: calls.append(p) or real(self, p))
    out = claims_table(many, facts, synonyms)
    assert sorted(calls) == sorted(se["name"].astype(str))
    assert len(out) == len(many)
    pd.testing.assert_frame_equal(out.iloc[-9:].reset_index(drop=True), claims)


# --- the tier check -------------------------------------------------------------------------------

def test_tier_check_on_the_seed(claims):
    check = dict(zip(claims["claim"], claims["tier_check"].astype(str)))
    assert check["Headaches"] == "disagrees"  # less common on the page, 16.3% in the current label
    assert check["Mood changes"] == "agrees"  # common on the page, 6.4% in a superseded label
    assert check["Perforation of the uterus"] == check["Infection"] == "agrees"  # serious, label warnings
    assert check["Blood clots"] == "not comparable"
    assert "16.3%" in claim(claims, "Headaches")["tier_note"]


@pytest.mark.parametrize("args, expected", [
    (("serious", "label adverse reaction", 16.3, 7.7, "adverse_reaction"), "disagrees"),
    (("serious", "label warning", np.nan, np.nan, "warning"), "agrees"),
    (("serious", "label contraindication", np.nan, np.nan, "contraindication | adverse_reaction"), "agrees"),
    (("common", "label warning", np.nan, np.nan, "warning"), "not comparable"),  # common, no incidence
    (("less common", "label warning", np.nan, np.nan, "warning"), "not comparable"),
    (("common", "label adverse reaction", 22.6, 12.8, "adverse_reaction"), "agrees"),
    (("common", "label adverse reaction", 0.5, np.nan, "adverse_reaction"), "disagrees"),
    (("less common", "label adverse reaction", 9.99, np.nan, "adverse_reaction"), "agrees"),
    (("less common", "label adverse reaction", 10.0, np.nan, "adverse_reaction"), "disagrees"),
    (("rare", "label adverse reaction", 3.5, np.nan, "adverse_reaction"), "disagrees"),
    (("rare", "label adverse reaction", 0.05, np.nan, "adverse_reaction"), "agrees"),
    (("less common", "superseded label only", np.nan, 4.9, "adverse_reaction"), "agrees"),
    ((None, "label adverse reaction", 16.3, np.nan, "adverse_reaction"), "not comparable"),
    (("serious", "not among the captured label facts", np.nan, np.nan, None), "not comparable"),
])
def test_tier_rule(args, expected):
    assert tier_check(*args)[0] == expected


def test_common_claim_without_incidence_is_worded_with_care():
    _, note = tier_check("common", "label warning", np.nan, np.nan, "warning")
    assert "captured label facts give no incidence" in note
    assert "not in the label" not in note


@pytest.mark.parametrize("severity", ["common", "less common", "rare"])
@pytest.mark.parametrize("source, note", [
    ("curated facts", "the captured label facts give no incidence (listed as adverse reaction)"),
    ("label text", "no incidence in the label (listed as adverse reaction)"),
])
def test_a_tier_without_an_incidence_in_the_label_is_not_comparable(severity, source, note):
    # issue 17: 13 of the 14 "tiers that disagree with the label" on a real corpus said only that the
    # label gives no incidence; nothing in the label contradicts the tier then
    assert tier_check(severity, "label adverse reaction", np.nan, np.nan, "adverse_reaction",
                      source=source) == ("not comparable", note)


def test_only_an_incidence_that_contradicts_the_tier_disagrees_in_label_text_wording():
    assert tier_check("common", "label adverse reaction", np.nextafter(1.0, 0.0), np.nan, "adverse_reaction",
                      source="label text", incidence_text="<1%") == (
        "disagrees", "page says common; the current label gives <1%, outside at least 1% for common")
    assert tier_check("serious", "label adverse reaction", 3.0, np.nan, "adverse_reaction",
                      source="label text", incidence_text="3%") == (
        "disagrees", "page says serious; the label lists it only as an adverse reaction (3% in the trial table)")


def test_a_tier_without_an_incidence_is_not_a_finding():
    from explorer.audit import findings

    rows = []
    for claim, inc in (("Rash", np.nan), ("Nausea", 0.5)):
        check, note = tier_check("common", "label adverse reaction", inc, np.nan, "adverse_reaction",
                                 source="label text")
        rows.append({"drug": "Zolvane", "claim": claim, "severity": "common", "tier": "Common",
                     "status": "label adverse reaction", "tier_check": check, "tier_note": note,
                     "source_file": "a.txt", "line": 3})
    claims = pd.DataFrame(rows)
    assert findings.headline(claims)["tier_disagreements"] == 1
    assert list(findings.tier_disagreements(claims)["claim"]) == ["nausea"]


def test_the_tier_check_names_its_sources():
    with pytest.raises(ValueError, match="source 'label'"):
        tier_check("common", "label adverse reaction", 5.0, np.nan, "adverse_reaction", source="label")
