"""explorer.audit.terms: words folded so one effect written two ways meets itself; its data files."""
from __future__ import annotations

import csv

import pytest

from explorer.audit.terms import (FAMILIES_FILE, SPELLINGS_FILE, VARIANTS_FILE, fold_word, phrase_keys, queries,
                                  term_key)
from explorer.config import REFERENCE_DIR


@pytest.mark.parametrize("word, folded", [
    ("abscesses", "abscess"),  # the hand-written singular() gave "abscesse"
    ("rabies", "rabies"),  # ... and "raby"
    ("diabetes", "diabetes"), ("sepsis", "sepsis"), ("pruritus", "pruritus"), ("mucositis", "mucositis"),
    ("arthralgias", "arthralgia"), ("Headaches", "headache"), ("ovaries", "ovary"), ("testes", "testis"),
    ("bleeding", "bleed"), ("bleeds", "bleed"), ("swollen", "swell"), ("increased", "increase"),
    ("Haemorrhage", "hemorrhage"), ("oedema", "edema"), ("diarrhoea", "diarrhea"), ("foetus", "fetus"),
    ("anaemia", "anemia"), ("paraesthesia", "paresthesia"), ("Raynaud’s", "raynaud"), ("Café", "cafe"),
])
def test_fold_word_lemmatises_and_makes_british_spellings_american(word, folded):
    assert fold_word(word) == folded


@pytest.mark.parametrize("a, b", [("hepatic", "liver"), ("renal", "kidney"), ("cardiac", "heart"),
                                  ("pulmonary", "lung"), ("cutaneous", "skin"), ("gastric", "stomach"),
                                  ("ocular", "eye"), ("elevated", "increased"), ("raised", "high"),
                                  ("prolonged", "prolongation"), ("reduced", "low"), ("abnormality", "abnormal")])
def test_word_families_meet(a, b):
    assert term_key(a) == term_key(b)


@pytest.mark.parametrize("singular, plural", [
    ("hematoma", "hematomas"), ("transaminase", "transaminases"), ("ecchymosis", "ecchymoses"),
    ("mycosis", "mycoses"), ("sulfonylurea", "sulfonylureas"), ("petechia", "petechiae"), ("MAOI", "MAOIs"), ("NSAID", "NSAIDs"),
])
def test_a_medical_word_the_dictionary_does_not_know_meets_its_plural(singular, plural):
    """The lemmatiser's rule for unknown nouns read "-a" as a Latin plural ("hematoma" -> "hematomum") and
    "-ases" as "-as" ("transaminases" -> "transaminas"), so a claim of "Hematoma" missed "hematomas"."""
    assert fold_word(singular) == fold_word(plural) == fold_word(singular.casefold())


@pytest.mark.parametrize("word", ["dyspnea", "erythema", "purpura", "hematoma", "amenorrhea"])
def test_an_unknown_word_ending_in_a_stays_as_written(word):
    assert fold_word(word) == word


def test_increase_and_decrease_stay_apart():
    assert term_key("increased") != term_key("decreased") and term_key("high") != term_key("low")


def test_qualifiers_are_dropped_and_optional_words_may_be_missing():
    assert phrase_keys("Herpes NOS") == ("herpes",)
    assert phrase_keys("Cancer of skin (excl melanoma)") == ("cancer", "skin")
    assert [q.keys for q in queries("Serum creatinine increased")] == [("blood", "creatinine", "increase"),
                                                                       ("creatinine", "increase")]
    # ... but not where the word is part of a known name: "blood pressure increased" is no "pressure increased"
    assert ("pressure", "increase") not in {q.keys for q in queries("Blood pressure increased")}
    assert [q.keys for q in queries("Platelet count")] == [("platelet", "count")]  # one word would be too little


def test_abbreviations_are_swapped_both_ways_and_a_short_form_put_in_needs_capitals():
    long_form = {q.keys: q.capitals for q in queries("Alanine aminotransferase increased")}
    assert long_form[("alt", "increase")] == (True, False)
    assert ("alanine", "aminotransferase", "increase") in {q.keys for q in queries("ALT increased")}


def test_a_variant_is_swapped_in_whichever_order_the_claim_writes_its_words():
    """MedDRA writes "Neoplasm malignant"; the variant "malignancy" is known as "malignant neoplasm", and was
    looked up by the claim's first word only."""
    assert ("malignancy",) in {q.keys for q in queries("Neoplasm malignant")}
    assert ("malignancy",) in {q.keys for q in queries("Malignant neoplasm")}


@pytest.mark.parametrize("name, columns", [(SPELLINGS_FILE, ("british", "american", "note")),
                                           (FAMILIES_FILE, ("word", "family", "note")),
                                           (VARIANTS_FILE, ("phrase", "variant", "kind", "note"))])
def test_every_row_of_the_word_data_has_its_note(name, columns):
    with open(REFERENCE_DIR / name, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(all((r[c] or "").strip() for c in columns) for r in rows)
