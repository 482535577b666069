"""explorer.audit.matching: page phrases -> label terms (normalised, synonym, guarded fuzzy).

No match is better than a wrong one: near misses (increased / decreased, breast pain / breast cancer)
must stay unmatched, while plurals, word order, slashes, synonyms and typos match.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.audit.matching import FUZZY_THRESHOLD, Matcher, match_phrases, normalise, signatures
from explorer.audit.vocabulary import CLAIM_PRECEDENCE


@pytest.mark.parametrize("phrase, terms, method", [
    ("Headaches", ["headache/migraine"], "normalised"),  # plural
    ("HEADACHE", ["headache/migraine"], "normalised"),  # case
    ("Migraines", ["headache/migraine"], "normalised"),  # one side of a slash
    ("Pelvic pain", ["abdominal/pelvic pain"], "normalised"),  # slash between words
    ("Uterus perforation", ["uterine perforation"], "synonym"),  # word order + synonym
    ("Perforation of the uterus", ["uterine perforation"], "synonym"),
    ("Mood changes", ["depressed/altered mood"], "synonym"),
    ("Breast pain", ["breast tenderness/pain"], "normalised"),  # near miss of "breast cancer"
    ("Amenorhea", ["amenorrhea"], "fuzzy"),  # a typo
    ("Perforation of the uterous", ["uterine perforation"], "fuzzy"),  # a typo of a synonym
    ("Infection", ["pelvic inflammatory disease (PID) / endometritis", "sepsis (Group A streptococcal)"],
     "synonym"),  # less specific than the label: both infection warnings, with a note
])
def test_claims_match_label_terms(matcher, phrase, terms, method):
    found = matcher.match(phrase)
    assert [m.term for m in found] == terms
    assert {m.method for m in found} == {method}
    assert all(m.score >= FUZZY_THRESHOLD for m in found)


@pytest.mark.parametrize("phrase", [
    "Blood clots", "Weight gain", "Dizziness", "Nausea and vomiting", "Back pain", "Pain", "Bleeding",
    "Mirena’s hormonal effects",
    "Increased uterine bleeding",  # fuzzy-close to "decreased uterine bleeding": must not match
    "Breast swelling", "Acme", "Vaginal infection", "",
])
def test_no_match_is_better_than_a_wrong_one(matcher, phrase):
    assert matcher.match(phrase) == []


def test_breast_pain_and_breast_cancer_never_match_each_other(matcher):
    assert "breast cancer" not in [m.term for m in matcher.match("Breast pain")]
    assert "breast tenderness/pain" not in [m.term for m in matcher.match("Breast cancer")]
    assert "breast cancer" in [m.term for m in matcher.match("Breast cancer")]


def test_fuzzy_match_records_a_score_below_100_and_synonyms_their_note(matcher):
    (m,) = matcher.match("Amenorhea")
    assert FUZZY_THRESHOLD <= m.score < 100
    (s,) = matcher.match("Uterus perforation")
    assert s.score == 100 and s.note


def test_matcher_uses_only_the_facts_of_its_drug_any_case(facts, synonyms):
    assert Matcher(facts, synonyms, "mIRENA", tuple(CLAIM_PRECEDENCE)).match("Headaches")
    other = Matcher(facts, synonyms, "Testozanib (FAKE)", tuple(CLAIM_PRECEDENCE))
    assert other.empty and other.match("Headaches") == []


def test_indications_are_matched_only_when_their_category_is_searched(facts, synonyms):
    assert Matcher(facts, synonyms, "Mirena", tuple(CLAIM_PRECEDENCE)).match("Contraception") == []
    assert Matcher(facts, synonyms, "Mirena").match("Contraception")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9), min_size=1, max_size=5),
       st.randoms(use_true_random=False))
def test_normalise_ignores_word_order_and_case(word_list, rnd):
    shuffled = list(word_list)
    rnd.shuffle(shuffled)
    assert normalise(" ".join(word_list)) == normalise(" ".join(shuffled).upper())


def test_pairs_with_the_same_matches_share_a_signature(facts, synonyms):
    drugs = np.array(["Mirena", "MIRENA", "Mirena", "Mirena", "Testozanib (FAKE)"], dtype=object)
    phrases = np.array(["Headaches", "Migraine", "Blood clots", "Uterus perforation", "Headaches"], dtype=object)
    ids, sigs = signatures(drugs, phrases, facts, synonyms, tuple(CLAIM_PRECEDENCE))
    assert sigs[0] == ()  # signature 0: no match
    assert ids[0] == ids[1] != 0  # both mean headache/migraine
    assert ids[2] == 0 and ids[4] == 0  # no match; a drug without captured facts
    assert ids[3] not in (0, ids[0])
    drug, matches = sigs[ids[3]]
    assert drug == "mirena" and [m.term for m in matches] == ["uterine perforation"]


def test_match_phrases_gives_a_row_per_matched_term_and_one_for_no_match(facts, synonyms):
    pairs = pd.DataFrame({"drug": ["Mirena"] * 4, "claim": ["Infection", "Blood clots", "Infection", "Headaches"]})
    out = match_phrases(pairs, facts, synonyms, "claim", tuple(CLAIM_PRECEDENCE))
    assert out["claim"].tolist() == ["Infection", "Infection", "Blood clots", "Headaches"]  # unique pairs
    assert out["match_method"].tolist() == ["synonym", "synonym", "none", "normalised"]
    assert out["label_term"].isna().tolist() == [False, False, True, False]
    assert out["match_note"].iloc[0] == out["match_note"].iloc[1] and pd.isna(out["match_note"].iloc[3])
