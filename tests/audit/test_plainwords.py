"""explorer.audit.plainwords: the label's patient sections pairing plain words with the medical term.

Labels written for the tests (Quellora is invented, the words are ours), in the shape of real Medication
Guides: bullets run together, the term in brackets after the plain words.
"""
from __future__ import annotations

from explorer.audit.vocabulary import NOT_FOUND

from .test_fulltext import passage
from .test_labelcheck import checker_of

GUIDE = passage("spl_medguide", "What are the possible side effects of Quellora? Quellora may cause serious side "
                                "effects, including: headache dizziness low sodium levels in your blood "
                                "(hyponatremia) death of skin tissue (skin necrosis or gangrene). Before taking "
                                "Quellora, tell your doctor if you have or have had liver problems (hepatic "
                                "impairment).")
WARNING = passage("warnings_and_cautions", "Hyponatremia may occur with Quellora.", "5.3", "Hyponatremia")
REACTIONS = passage("adverse_reactions", "Gangrene was reported in 1 patient.", "6.1", "Clinical Trials Experience")
POPULATION = passage("warnings_and_cautions", "In patients with hepatic impairment, lower the dose.", "5.4",
                     "Hepatic Impairment")


def check(tmp_path, claim):
    return checker_of(tmp_path, GUIDE, WARNING, REACTIONS, POPULATION).check("Quellora", claim)


def test_plain_words_find_the_medical_term_and_take_the_professional_sections_status(tmp_path):
    r = check(tmp_path, "low sodium in blood")
    assert (r["status"], r["match_method"], r["evidence_section"]) == (
        "label warning", "label's plain words", "5.3 Hyponatremia")
    assert "pairs 'low sodium levels in your blood' with 'hyponatremia'" in r["match_note"]


def test_each_term_in_the_bracket_is_searched_on_its_own(tmp_path):
    r = check(tmp_path, "death of skin tissue")
    assert (r["status"], r["evidence_text"]) == ("label adverse reaction", "Gangrene was reported in 1 patient.")


def test_a_pair_about_the_patients_own_history_is_no_bridge(tmp_path):
    """'tell your doctor if you have or have had liver problems (hepatic impairment)' names no effect; and
    even as a bridge, 'hepatic impairment' is set aside in the warnings as a population."""
    r = check(tmp_path, "liver problems")
    assert r["status"] == NOT_FOUND and r["match_method"] != "label's plain words"


def test_a_patient_section_alone_gives_no_status(tmp_path):
    r = check(tmp_path, "dizziness")
    assert r["status"] == NOT_FOUND and "patient information only" in r["match_note"]


def test_plain_words_that_only_partly_match_are_no_bridge(tmp_path):
    assert check(tmp_path, "sodium")["status"] == NOT_FOUND  # "low sodium ..." is not "sodium"
