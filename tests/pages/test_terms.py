"""explorer.pages.terms: a run-on list without commas cut into the side-effect terms it is made of."""
from __future__ import annotations

import csv

from explorer.config import REFERENCE_DIR
from explorer.pages.terms import SIDE_EFFECT_TERMS_FILE, known_term_in, run_on_items


def test_a_run_on_list_gives_its_terms_adjectives_joining_the_term_after_them():
    assert run_on_items("Sleepiness fatigue dry mouth pharyngitis dizziness headache abdominal pain nausea.") == [
        "Sleepiness", "fatigue", "dry mouth", "pharyngitis", "dizziness", "headache", "abdominal pain", "nausea"]


def test_unknown_words_side_by_side_stay_one_item():
    assert run_on_items("Cough fever raised lfts nausea vomiting rash headache") == [
        "Cough", "fever", "raised lfts", "nausea", "vomiting", "rash", "headache"]


def test_ordinary_sentences_and_comma_lists_are_not_run_on_lists():
    assert run_on_items("I have prescribed it for years and seldom seen a problem with it.") == []
    assert run_on_items("Nausea, vomiting, fever, rash, headache, dizziness") == []
    assert run_on_items("Nausea fever rash") == []  # too short to tell


def test_known_terms_are_found_inside_a_phrase():
    assert known_term_in("trouble sleeping and vivid dreams") and not known_term_in("a car and a house")


def test_every_term_has_a_note():
    with open(REFERENCE_DIR / SIDE_EFFECT_TERMS_FILE, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) > 300 and all(r["note"].strip() for r in rows)
