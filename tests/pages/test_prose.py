"""explorer.pages.prose: side effects named in sentences, with the tier the sentence gives them."""
from __future__ import annotations

import pytest

from explorer.pages.prose import enumeration

NONE = ("", None)


@pytest.mark.parametrize("sentence, names, severity", [
    ("Report these serious side effects, since they are rare: extreme tiredness, nausea, and shortness of breath.",
     ["extreme tiredness", "nausea", "shortness of breath"], "serious"),
    ("A few side effects counted as mild are no cause for worry, such as gas, cough, or headache.",
     ["gas", "cough", "headache"], None),
    ("Common side effects include injection site reactions, such as redness, swelling, and pain.",
     ["injection site reactions"], "common"),
    ("The most common side effect of Doryx is an upset stomach.", ["upset stomach"], "common"),
    ("Sun sensitivity is the other fairly common side effect of the drug.", ["Sun sensitivity"], "common"),
    ("Its side effects include nausea, sun sensitivity, headaches and yeast infections, among others.",
     ["nausea", "sun sensitivity", "headaches", "yeast infections"], None),
])
def test_sentences_that_name_side_effects(sentence, names, severity):
    got, _, got_severity = enumeration(sentence, False, None, NONE)
    assert (got, got_severity) == (names, severity)


def test_a_passage_about_side_effects_lists_what_people_get_and_the_examples_of_a_vague_complaint():
    got, _, _ = enumeration("Some people get headaches or dizziness, and others have stomach trouble like nausea "
                            "or diarrhea.", True, None, NONE)
    assert got == ["headaches", "dizziness", "nausea", "diarrhea"]
    assert enumeration("I have prescribed it for years and seldom seen a problem.", True, None, NONE)[0] == []


@pytest.mark.parametrize("sentence", [
    "If you take a double dose you may get overdose symptoms: tiredness, nausea, and dizziness.",
    "Side effects are usually mild and short-lived, and most settle within days.",
    "These side effects are taken from a drug reference.",
    "If you want side effects, see our page: Levetiracetam side effects explained.",
])
def test_sentences_that_name_no_side_effect(sentence):
    assert enumeration(sentence, True, None, NONE)[0] == []


def test_one_is_after_a_sentence_about_rare_side_effects_takes_its_tier():
    names, tier, severity = enumeration("One is a lupus-like reaction, marked by joint pain.", True, None,
                                        ("It has a few rare side effects", "rare"))
    assert (names, tier, severity) == (["lupus-like reaction"], "It has a few rare side effects", "rare")
