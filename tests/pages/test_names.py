"""explorer.pages.names: drug and condition names found in text as runs of words, kept as data."""
from __future__ import annotations

import csv

from explorer.config import REFERENCE_DIR
from explorer.pages.names import (CONDITIONS_FILE, DRUG_NAMES_FILE, condition_vocabulary, drug_vocabulary,
                                  drugs_with)


def test_names_of_several_words_are_found_whole_and_the_longest_wins():
    found = drug_vocabulary().find("Side effects of Birth Control Pills / Oral Contraceptive Pills")
    assert [(m.text, m.kind) for m in found] == [("Birth Control Pills", "class"), ("Oral Contraceptive Pills", "class")]
    conditions = condition_vocabulary().find("used for type 2 diabetes and high blood pressure")
    assert [m.text for m in conditions] == ["type 2 diabetes", "high blood pressure"]


def test_plural_forms_meet_through_lemmas_and_abbreviations_only_in_capitals():
    assert [m.text for m in condition_vocabulary().find("her allergies and hives")] == ["allergies", "hives"]
    assert [m.text for m in condition_vocabulary().find("metformin for PCOS")] == ["PCOS"]
    assert condition_vocabulary().find("metformin for pcos") == []  # a lower-case run of letters is no abbreviation


def test_a_known_name_heading_a_hyphenated_word_is_found():
    assert [m.text for m in drug_vocabulary().find("Montelukast-treated patients had cases of hepatitis")] == [
        "Montelukast"]


def test_extra_names_join_the_shipped_ones_without_changing_them():
    assert "Zorvalex" not in drug_vocabulary()
    assert "Zorvalex" in drugs_with(("Zorvalex",)) and "Zorvalex" not in drug_vocabulary()


def test_every_row_of_the_name_files_has_its_kind_or_note():
    with open(REFERENCE_DIR / DRUG_NAMES_FILE, newline="", encoding="utf-8") as fh:
        drugs = list(csv.DictReader(fh))
    assert len(drugs) > 1000 and all(r["kind"] in ("generic", "brand", "class") for r in drugs)
    with open(REFERENCE_DIR / CONDITIONS_FILE, newline="", encoding="utf-8") as fh:
        conditions = list(csv.DictReader(fh))
    assert len(conditions) > 250 and all(r["note"].strip() for r in conditions)
    assert {r["kind"] for r in conditions} <= {"disease", "symptom", "goal", "abbreviation", "measure"}
    assert len({r["condition"].casefold() for r in conditions}) == len(conditions)
