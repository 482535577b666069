"""explorer.audit.fulltext: finding a claim's words in a label's sentences, headings and table rows, and
the precision guards that decide whether an occurrence is a listing.

Every label here is written for its test (the drug Quellora and its substance quellorin are invented;
the text is our own): small labels whose passages hold exactly the case a test is about, written
straight into a label store with :class:`explorer.labels.store.PartWriter`. The helpers at the top
(:func:`make_label`, :func:`write_store`) are shared with ``test_labelcheck.py``.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from explorer.audit.fulltext import LabelText, load_guards, phrase_words
from explorer.config import REFERENCE_DIR
from explorer.labels.records import Label, LabelTable, Passage
from explorer.labels.store import LabelStore, PartWriter

BRAND, GENERIC = "Quellora", "quellorin sodium"
SET_ID = "0f1e2d3c-4b5a-4969-8877-665544332211"


# -- building small labels ----------------------------------------------------------------------------

def passage(section: str, text: str = "", number: str | None = None, heading: str | None = None,
            tables: tuple[LabelTable, ...] = ()) -> Passage:
    """One passage; its position within its section is set by :func:`make_label`."""
    return Passage(section, number, heading, text, 0, tuple(tables))


def make_label(*passages: Passage, brand: str = BRAND, generic: str = GENERIC, set_id: str = SET_ID,
               version: str = "3", effective: str = "20230405") -> Label:
    """A label version holding ``passages`` (numbered within each section in the order given)."""
    counts: dict[str, int] = {}
    placed = []
    for p in passages:
        placed.append(dataclasses.replace(p, position=counts.get(p.section, 0)))
        counts[p.section] = counts.get(p.section, 0) + 1
    return Label("spl", set_id, f"{set_id[:8]}-version-{version}", version, effective, (brand,), (generic,),
                 (generic.upper(),), "label text", tuple(placed), "written-for-the-test.xml", 0)


def write_store(root: Path, labels, terms=()) -> LabelStore:
    """A label store at ``root`` holding the given labels and OnSIDES terms."""
    writer = PartWriter(root)
    for label in labels:
        writer.add_label(label)
    for term in terms:
        writer.add_term(term)
    writer.commit({"inputs": ["written for the test"]})
    return LabelStore(root)


def label_text(tmp_path: Path, *passages: Passage) -> LabelText:
    """The searchable text of one label holding ``passages``, read back from a store."""
    store = write_store(tmp_path / "store", [make_label(*passages)])
    key = store.labels()["key"].iloc[0]
    return LabelText(store.passages([key]), store.table_rows([key]), [BRAND, GENERIC, GENERIC.upper()])


def find(text: LabelText, claim: str):
    return text.find(claim)


def verdicts(text: LabelText, claim: str) -> list[str]:
    return [o.verdict for o in find(text, claim)]


def ar(text: str, **kw) -> Passage:
    return passage("adverse_reactions", text, **kw)


# -- matching: words in a row, filler words, plurals, case and accents ---------------------------------

def test_a_claims_words_in_a_row_are_found_with_filler_words_between(tmp_path):
    text = label_text(tmp_path, ar("Perforation of the uterus was reported in 2 women."))
    [occ] = find(text, "Perforation of the uterus")
    assert occ.listing and occ.sentence.text == "Perforation of the uterus was reported in 2 women."
    assert find(text, "perforation uterus")  # filler words are not needed either
    assert find(text, "uterus perforation")  # nor the order: "vision blurred" is "blurred vision"


def test_two_meaningful_words_between_a_claims_words_break_the_match_and_one_does_not(tmp_path):
    text = label_text(tmp_path, ar("Perforation of the bowel wall and of the uterus was reported."),
                      ar("Cases of acute and chronic leukemia have been reported."))
    assert find(text, "Perforation of the uterus") == []
    assert find(text, "bowel wall")
    [occ] = find(text, "acute leukemia")  # "acute and chronic leukemia": one word between
    assert occ.found == "acute and chronic leukemia"


@pytest.mark.parametrize("written, claim", [("Headache occurred in 9% of patients.", "Headaches"),
                                            ("Headaches occurred in 9% of patients.", "Headache"),
                                            ("HEADACHES were the most common reaction.", "headache")])
def test_plurals_and_case_are_folded(tmp_path, written, claim):
    [occ] = find(label_text(tmp_path, ar(written)), claim)
    assert occ.listing and occ.sentence.text == written


def test_accents_are_folded_on_both_sides(tmp_path):
    text = label_text(tmp_path, ar("Café-au-lait spots appeared in 1 child."))
    assert verdicts(text, "CAFE AU LAIT SPOTS") == ["listing"]
    text = label_text(tmp_path / "2", ar("Cafe au lait spots appeared in 1 child."))
    assert verdicts(text, "Café-au-lait spots") == ["listing"]


def test_curly_apostrophes_and_possessives_are_folded(tmp_path):
    text = label_text(tmp_path, ar("Raynaud’s phenomenon was reported."),
                      ar("Gout wasn’t seen in the trials."))
    assert verdicts(text, "Raynaud's phenomenon") == ["listing"]
    assert verdicts(text, "Raynaud phenomenon") == ["listing"]
    assert verdicts(text, "gout") == ["negated"]  # "wasn’t" is a negation like "wasn't"


def test_a_passage_heading_is_searched_as_a_sentence_of_its_own(tmp_path):
    text = label_text(tmp_path, passage("warnings_and_cautions", "Quellora lowers the pulse.", "5.2",
                                        "Slow Heart Rate"))
    [occ] = find(text, "Slow heart rate")
    assert occ.listing
    assert (occ.sentence.number, occ.sentence.heading, occ.sentence.text) == ("5.2", "Slow Heart Rate",
                                                                           "Slow Heart Rate")


def test_a_heading_that_only_names_the_section_is_not_a_finding(tmp_path):
    """'5 WARNINGS AND PRECAUTIONS' or an older label's 'WARNINGS' names the section, not a reaction."""
    text = label_text(tmp_path,
                      passage("warnings_and_cautions", "Read this section before prescribing.", "5",
                              "WARNINGS AND PRECAUTIONS"),
                      passage("warnings", "Quellora may raise the blood sugar.", None, "WARNINGS"),
                      passage("boxed_warning", "Quellora can injure the liver.", None,
                              "WARNING: SEVERE LIVER INJURY"))
    assert find(text, "Precautions") == [] and find(text, "Warnings") == []
    [occ] = find(text, "Liver injury")  # the boxed warning's own title is still searched
    assert occ.listing and occ.sentence.section == "boxed_warning"


# -- table rows and incidence -------------------------------------------------------------------------

TRIAL_CAPTION = "Table 2: Adverse Reactions in at Least 2% of Patients Treated with Quellora"


def trial_table(header, *rows, caption=TRIAL_CAPTION) -> LabelTable:
    return LabelTable(caption, tuple(tuple(r) for r in header), tuple(tuple(r) for r in rows))


def checked(tmp_path: Path, table: LabelTable, claim: str, text: str = "Table 2 lists them.") -> dict:
    """The claims-table columns of ``claim`` against a Quellora label whose 6.1 holds ``table``."""
    from explorer.audit.labelcheck import LabelChecker

    label = make_label(ar(text, number="6.1", heading="Clinical Trials Experience", tables=(table,)))
    return LabelChecker(write_store(tmp_path / "store", [label])).check(BRAND, claim)


def test_a_table_rows_first_cell_is_found_with_the_drugs_incidence_over_its_doses(tmp_path):
    table = trial_table([("Adverse Reaction", "Quellora 5 mg", "Quellora 10 mg", "Placebo"),
                         ("", "(N=310) %", "(N=305) %", "(N=300) %")],
                        ("Gastrointestinal Disorders",), ("Nausea", "9", "12", "30"))
    text = label_text(tmp_path, ar("In two trials, 615 adults took Quellora.", number="6.1",
                                   heading="Clinical Trials Experience", tables=(table,)))
    [occ] = find(text, "Nausea")
    assert occ.listing and occ.sentence.table == TRIAL_CAPTION and occ.sentence.row
    assert occ.sentence.text == "Nausea | 9 | 12 | 30"
    assert (occ.sentence.number, occ.sentence.heading) == ("6.1", "Clinical Trials Experience")
    assert find(text, "30") == []  # only the text cells are searched
    r = checked(tmp_path / "checked", table, "Nausea")
    assert r["incidence_text"] == "9-12%"  # the placebo column's 30 is never used
    # the evidence is the row with its columns' headers, the matched word marked
    assert r["evidence_text"].startswith("Nausea — ") and "Placebo" in r["evidence_text"]
    assert r["evidence_marks"] == "0-6"


def test_only_the_first_cell_of_a_row_is_searched(tmp_path):
    table = trial_table([("Reaction", "Quellora", "Placebo")], ("Rash", "4", "see nausea"))
    assert find(label_text(tmp_path, ar("Table 2 lists them.", tables=(table,))), "nausea") == []


def test_a_discontinuation_table_gives_no_incidence_but_its_rows_still_count(tmp_path):
    table = trial_table([("Adverse Reaction", "Quellora (N=615) %", "Placebo (N=300) %")], ("Fatigue", "2", "<1"),
                        caption="Table 3: Adverse Reactions Leading to Discontinuation")
    [occ] = find(label_text(tmp_path, ar("Some patients stopped.", tables=(table,))), "Fatigue")
    assert occ.listing
    r = checked(tmp_path / "checked", table, "Fatigue")
    assert r["status"] == "label adverse reaction" and r["incidence_text"] is None


def test_the_drug_column_is_found_by_its_substance_without_the_salt_word(tmp_path):
    """The header says 'Quellorin' while the label's names say 'quellorin sodium': an active comparator
    beside it must not be read as the drug's arm."""
    table = trial_table([("Adverse Reaction", "Quellorin (N=200) %", "Ibuprofen 400 mg (N=198) %")],
                        ("Dyspepsia", "4", "15"))
    assert checked(tmp_path, table, "dyspepsia")["incidence_text"] == "4%"


def test_incidence_cells_of_n_and_percent_are_read_from_the_drug_column(tmp_path):
    table = trial_table([("Adverse Reaction", "Quellora N=228 n (%)", "Placebo N=226 n (%)")],
                        ("Dizziness", "12 (5.3)", "3 (1.3)"), ("Tremor", "2 (<1)", "0"))
    assert checked(tmp_path / "a", table, "Dizziness")["incidence_text"] == "5.3%"
    assert checked(tmp_path / "b", table, "Tremor")["incidence_text"] == "<1%"


# -- the precision guards: each with a case it sets aside and a case it keeps --------------------------

GUARD_CASES = [
    # negation just before the claim's words
    ("No cases of hepatitis were reported in the trials.", "hepatitis", "negated"),
    ("Hepatitis was reported in three patients.", "hepatitis", "listing"),
    ("Most patients recovered without scarring.", "scarring", "negated"),
    ("Scarring was seen at the injection site.", "scarring", "listing"),
    ("None of the patients developed pancreatitis.", "pancreatitis", "negated"),
    ("In the absence of seizures, no change of dose is needed.", "seizures", "negated"),
    ("Absence seizures were reported in 2 children.", "seizures", "listing"),
    ("Neither jaundice nor itching was seen.", "jaundice", "negated"),
    ("Quellora does not cause hepatitis.", "hepatitis", "negated"),
    ("Quellora has not been associated with hepatitis.", "hepatitis", "negated"),
    ("Quellora is not associated with hepatitis.", "hepatitis", "negated"),
    # negation just after
    ("Pancreatitis was not observed in clinical trials.", "pancreatitis", "negated"),
    ("Pancreatitis has never been reported with Quellora.", "pancreatitis", "negated"),
    ("Pancreatitis wasn't seen in the trials.", "pancreatitis", "negated"),
    ("Pancreatitis: none reported.", "pancreatitis", "negated"),
    ("Pancreatitis was observed in 2 patients.", "pancreatitis", "listing"),
    ("Nausea did not lead to stopping treatment in most patients.", "nausea", "listing"),
    # comparison with placebo
    ("Insomnia occurred at a rate similar to placebo.", "insomnia", "compared with placebo"),
    ("Rates of insomnia were no different from placebo.", "insomnia", "compared with placebo"),
    ("Insomnia occurred more often than with placebo (4% vs 1%).", "insomnia", "listing"),
    # part of a product's name (marked with a registered or trade mark)
    ("Patients used Calm Itch® cream on the rash.", "itch", "in a product name"),
    ("Some patients put Dry Eye Relief™ drops in their eyes.", "dry eye", "in a product name"),
    ("Itch was reported by 4% of patients.", "itch", "listing"),
    ("Dry eye was reported by 2% of patients.", "dry eye", "listing"),
    # interaction or overdose context in a listing section
    ("When co-administered with ketoconazole, dizziness was more frequent.", "dizziness", "context only"),
    ("Coadministration with strong inhibitors raised the rate of dizziness.", "dizziness", "context only"),
    ("An overdose may cause dizziness.", "dizziness", "context only"),
    ("Dizziness was reported in 6% of patients.", "dizziness", "listing"),
]


@pytest.mark.parametrize("sentence, claim, verdict", GUARD_CASES)
def test_each_guard_sets_aside_its_case_and_keeps_the_plain_listing(tmp_path, sentence, claim, verdict):
    [occ] = find(label_text(tmp_path, ar(sentence)), claim)
    assert occ.verdict == verdict and occ.listing == (verdict == "listing")
    assert occ.sentence.text == sentence  # the occurrence is kept, whatever its verdict


def test_a_product_name_holding_the_word_inside_it_is_no_occurrence_at_all(tmp_path):
    text = label_text(tmp_path, ar("Patients used Itchnomore® Cream on the rash."))
    assert find(text, "itch") == []


def test_a_capitalised_heading_before_the_drugs_own_mark_is_not_a_product_name(tmp_path):
    text = label_text(tmp_path, passage("boxed_warning", "Quellora can injure the liver.", None,
                                        "WARNING: LIVER INJURY WITH QUELLORA®"))
    assert verdicts(text, "liver injury") == ["listing"]


def test_a_limitation_of_use_is_not_an_indication(tmp_path):
    text = label_text(tmp_path, passage("indications_and_usage", "Quellora is not indicated for acute migraine.",
                                        "1", "INDICATIONS AND USAGE"),
                      passage("indications_and_usage", "Quellora prevents migraine in adults.", "1.1", "Migraine"))
    assert sorted(verdicts(text, "migraine")) == ["listing", "listing", "negated"]  # the heading, the sentence


@pytest.mark.parametrize("sentence, verdict", [
    ("Do not use Quellora in patients with severe asthma.", "a population"),
    ("Do not use in asthma.", "a population"),
    ("Quellora should not be given to patients with asthma.", "a population"),
    ("Severe asthma", "a population"),  # a bare item of a "do not use in patients with:" list
    ("Asthma attacks have been reported after one dose of Quellora.", "listing"),
    ("Because of the possibility of asthma, do not use in children.", "listing"),
    ("A history of asthma, unless a pregnancy has occurred since.", "a population"),  # another condition occurred
])
def test_a_contraindication_lists_an_effect_only_when_it_says_it_occurs_with_the_drug(tmp_path, sentence, verdict):
    """A contraindication naming the patients who may not take the drug ("patients with asthma") does not
    say the drug causes asthma; one stating the effect occurred or can occur with the drug does."""
    text = label_text(tmp_path, passage("contraindications", sentence, "4", "CONTRAINDICATIONS"))
    assert verdicts(text, "asthma") == [verdict]


def test_cross_references_do_not_make_section_names_a_finding(tmp_path):
    text = label_text(tmp_path, ar("Liver injury [see Warnings and Precautions (5.4)] and slow heart rate "
                                   "(see PRECAUTIONS) were the most serious reactions.", number="6",
                                   heading="ADVERSE REACTIONS"))
    assert find(text, "Warnings") == [] and find(text, "Precautions") == []
    assert verdicts(text, "Liver injury") == ["listing"] and verdicts(text, "slow heart rate") == ["listing"]


@pytest.mark.parametrize("section", ["drug_interactions", "overdosage"])
def test_interaction_and_overdose_sections_are_context_only(tmp_path, section):
    text = label_text(tmp_path, passage(section, "Taken with digoxin, Quellora can cause bradycardia.", "7.2",
                                        "Serotonin Syndrome"))
    assert verdicts(text, "bradycardia") == ["context only"]
    assert verdicts(text, "serotonin syndrome") == ["context only"]  # a heading there is context too


def test_every_occurrence_is_kept_with_its_own_verdict(tmp_path):
    text = label_text(tmp_path,
                      ar("No cases of hepatitis were reported in the first trial."),
                      ar("Hepatitis was reported in the second trial.", number="6.2", heading="Other Trials"),
                      passage("overdosage", "Hepatitis followed one overdose."))
    assert sorted(verdicts(text, "hepatitis")) == ["context only", "listing", "negated"]


def test_the_guards_cues_are_data_with_a_note_per_row():
    import csv

    with open(REFERENCE_DIR / "text_guards.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["kind"].strip() and r["cue"].strip() and r["note"].strip() for r in rows)
    guards = load_guards()
    assert ("no",) in guards.before and ("not",) not in guards.before  # 'do not use ... in patients with X'
    assert "similar to placebo" in guards.comparison and "overdose" in guards.context


# -- real-label shapes that broke the check ---------------------------------------------------------------

def test_a_table_without_a_caption_is_searched_and_gives_incidence(tmp_path):
    """51 of 363 real openFDA labels have a table with no caption; the store gives its caption as missing
    (NaN), which stopped every audit of such a label (``'float' object has no attribute 'casefold'``)."""
    table = trial_table([("Adverse Reaction", "Quellora (N=120) %", "Placebo (N=118) %")],
                        ("Somnolence", "11", "3"), caption=None)
    [occ] = find(label_text(tmp_path, ar("Reactions in at least 2% of patients:", tables=(table,))), "Somnolence")
    assert occ.listing and occ.sentence.table is None and occ.sentence.row
    assert checked(tmp_path / "checked", table, "Somnolence")["incidence_text"] == "11%"
