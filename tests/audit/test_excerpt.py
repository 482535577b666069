"""explorer.audit.excerpt: evidence as one sentence or one table row, with the matched words marked."""
from __future__ import annotations

from pathlib import Path

import pytest

from explorer.audit.excerpt import MAX_CHARS, found_excerpt, marks, row_excerpt, sentence_excerpt
from explorer.audit.incidence import default_fold, drug_incidence, frequency_table
from explorer.labels.importer import import_labels
from explorer.labels.store import LabelStore

LABEL = Path(__file__).resolve().parents[1] / "fixtures" / "labels" / "incidence" / "quellorin.json"

PASSAGE = ("Because trials differ, rates vary. Quellorin can cause serious liver injury; check liver tests "
           "before starting. Stop it if jaundice appears.")


def test_the_sentence_that_holds_the_match_not_the_paragraph():
    e = sentence_excerpt(PASSAGE, default_fold("liver injury"), section="warnings_and_cautions", where="5.2 Liver Injury")
    assert e.kind == "sentence"
    assert e.text == "Quellorin can cause serious liver injury; check liver tests before starting."
    assert [e.text[a:b] for a, b in e.marks] == ["liver injury"]
    assert e.marked() == "Quellorin can cause serious [liver injury]; check liver tests before starting."
    assert (e.section, e.where, e.cut) == ("warnings_and_cautions", "5.2 Liver Injury", False)


def test_a_flattened_table_is_cut_to_the_words_around_the_match():
    rows = " ".join(f"Reaction{i} {i} {i + 1}" for i in range(60))
    text = f"Table 2 Adverse Reactions Reaction Zol Placebo {rows} Dizziness 8 3 {rows}"
    assert len(text) > 3 * MAX_CHARS
    e = sentence_excerpt(text, default_fold("dizziness"))
    assert e.cut and len(e.text) <= MAX_CHARS + 4 and e.text.startswith("… ") and e.text.endswith(" …")
    assert [e.text[a:b] for a, b in e.marks] == ["Dizziness"]


def test_word_order_filler_words_and_several_marks():
    text = "Vision blurred occurred; blurred vision was rare; perforation of the uterus too."
    assert [text[a:b] for a, b in marks(text, default_fold("blurred vision"))] == ["Vision blurred", "blurred vision"]
    assert [text[a:b] for a, b in marks(text, default_fold("perforation uterus"))] == ["perforation of the uterus"]
    assert marks(text, default_fold("stroke")) == () and marks(text, ()) == ()


def test_without_a_match_the_first_sentence_is_shown_unmarked():
    e = sentence_excerpt(PASSAGE, default_fold("stroke"))
    assert (e.text, e.marks) == ("Because trials differ, rates vary.", ())


def test_a_table_row_with_its_number_caption_and_the_headers_of_each_value():
    header = []
    body = [["Adverse Reaction", "Quellorin", "", "Zarbitol", ""], ["", "N=150", "", "N=148", ""],
            ["", "All Grades (%)", "Grade 3 or 4 (%)", "All Grades (%)", "Grade 3 or 4 (%)"],
            ["Nausea", "16", "2", "25", "4"]]
    e = row_excerpt(header, body, 3, default_fold("nausea"), caption="Table 2: Adverse Reactions in the Active-Controlled Trial",
                    drug_names=["Quellorin"], section="adverse_reactions", where="6.1 Clinical Trials Experience")
    assert (e.kind, e.table, e.term) == ("table row", "Table 2", "Nausea")
    assert e.caption == "Table 2: Adverse Reactions in the Active-Controlled Trial"
    assert [(c.value, c.headers, c.kind) for c in e.cells] == [
        ("16", ("Quellorin", "N=150", "All Grades (%)"), "drug"),
        ("2", ("Quellorin", "N=150", "Grade 3 or 4 (%)"), "drug"),
        ("25", ("Zarbitol", "N=148", "All Grades (%)"), "comparator"),
        ("4", ("Zarbitol", "N=148", "Grade 3 or 4 (%)"), "comparator")]
    assert e.text == ("Nausea — Quellorin, N=150, All Grades (%): 16; Quellorin, N=150, Grade 3 or 4 (%): 2; "
                      "Zarbitol, N=148, All Grades (%): 25; Zarbitol, N=148, Grade 3 or 4 (%): 4")
    assert [e.text[a:b] for a, b in e.marks] == ["Nausea"]
    assert "\n" not in e.text and "Fatigue" not in e.text  # one row, never the table


def test_the_row_the_incidence_comes_from(tmp_path):
    import_labels([LABEL], tmp_path / "store", progress=False, workers=1)
    store = LabelStore(tmp_path / "store")
    keys = list(store.labels()["key"])
    freq = frequency_table(store.table_rows(keys), ["Quellorin"], store.passages(keys))
    found = drug_incidence(freq, default_fold("headache"))
    e = found_excerpt(found, default_fold("headache"))
    assert (e.table, e.term, e.where) == ("Table 1", "Headache", "6.1 Clinical Trials Experience")
    assert [(c.value, c.kind, c.dose) for c in e.cells] == [
        ("10", "placebo", None), ("12", "drug", "10 mg"), ("13", "drug", "20 mg"), ("12.6", "pooled", None)]
    assert e.text.startswith("Headache — Placebo N=210, %: 10; Quellorin 10 mg N=205, %: 12;")
    assert [e.text[a:b] for a, b in e.marks] == ["Headache"]


@pytest.mark.parametrize("limit", [40, 80])
def test_the_cut_respects_the_limit(limit):
    text = "word " * 100 + "Dizziness occurred " + "word " * 100
    e = sentence_excerpt(text, default_fold("dizziness"), limit=limit)
    assert len(e.text) <= limit + 4 and "Dizziness" in e.text
