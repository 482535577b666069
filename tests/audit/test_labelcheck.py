"""explorer.audit.labelcheck: claims checked against an imported label's full text, with the evidence,
and the label check's tables and report when a label store is given (``audit_report(..., labels=...)``).

Two kinds of test label, both written for these tests (Quellora and quellorin are invented, the text is
our own): small labels written straight into a store (helpers from ``test_fulltext.py``), one per rule;
and ``tests/fixtures/labels/guards/quellora.xml``, a DailyMed SPL document imported the way users import
labels, which holds a listing in every section, an incidence table and the guards' cases, for the tables
and the report. Pages are written for the tests too; the seed page (Mirena) has no label in these stores,
so its claims keep the curated facts.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from explorer.audit.claims import CLAIM_COLUMNS, claims_table
from explorer.audit.labelcheck import LABEL_COLUMNS, LabelChecker, label_claims_table
from explorer.audit.report import audit_report, coverage_note
from explorer.audit.vocabulary import COVERAGE_NOTE, LABEL_TEXT_NOTE, NO_LABEL, NOT_FOUND, NOT_FULLY_READ
from explorer.config import RAW_DIR, REFERENCE_DIR
from explorer.labels.importer import import_labels
from explorer.labels.onsides import ONSIDES_NOTE, LabelTerm
from explorer.labels.store import LabelStore, PartWriter

from .test_fulltext import SET_ID, make_label, passage, write_store

QUELLORA_SPL = Path(__file__).resolve().parents[1] / "fixtures" / "labels" / "guards" / "quellora.xml"
DAILYMED = f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={SET_ID}"


def checker_of(tmp_path: Path, *passages, terms=()) -> LabelChecker:
    """A checker over a store holding one Quellora label made of ``passages``."""
    return LabelChecker(write_store(tmp_path / "store", [make_label(*passages)], terms))


def onsides_term(term: str, set_id: str = SET_ID, section: str = "adverse_reactions") -> LabelTerm:
    return LabelTerm(set_id, "3", "QUELLORA tablets", section, term, "10000000", "PMB", ("quellorin",),
                     "onsides!product_adverse_effect.csv", 2)


# -- status by the most serious section -----------------------------------------------------------------

SECTIONS_LABEL = (
    passage("boxed_warning", "Hepatotoxicity can be fatal.", None, "WARNING: HEPATOTOXICITY"),
    passage("indications_and_usage", "Quellora treats migraine, hepatotoxicity aside, and rash of migraine.", "1",
            "INDICATIONS AND USAGE"),
    passage("contraindications", "Do not use in patients with hepatotoxicity from other drugs. Asthma has been "
                                 "reported after one dose.",
            "4", "CONTRAINDICATIONS"),
    passage("warnings_and_cautions", "Hepatotoxicity, asthma attacks and bradycardia were seen.", "5.1", "Risks"),
    passage("adverse_reactions", "Hepatotoxicity, asthma, bradycardia and rash were reported.", "6.1",
            "Clinical Trials Experience"),
)


@pytest.mark.parametrize("claim, status, section", [
    ("Hepatotoxicity", "label boxed warning", "boxed_warning"),
    ("Asthma", "label contraindication", "contraindications"),
    ("Bradycardia", "label warning", "warnings_and_cautions"),
    ("Rash", "label adverse reaction", "adverse_reactions"),
    ("Migraine", "label indication", "indications_and_usage"),
])
def test_status_is_the_most_serious_section_that_lists_the_claim(tmp_path, claim, status, section):
    result = checker_of(tmp_path, *SECTIONS_LABEL).check("Quellora", claim)
    assert result["status"] == status and result["label_section"] == section


@pytest.mark.parametrize("section", ["warnings", "precautions", "warnings_and_cautions"])
def test_warnings_and_precautions_of_older_and_newer_labels_are_label_warnings(tmp_path, section):
    result = checker_of(tmp_path, passage(section, "Seizures have occurred.", None, "PRECAUTIONS"),
                        passage("adverse_reactions", "Seizures were reported in 1% of patients.")
                        ).check("Quellora", "seizures")
    assert (result["status"], result["label_category"]) == ("label warning", "warning")


def test_not_found_is_said_only_of_a_searched_label_and_no_label_when_none_resolves(tmp_path):
    checker = checker_of(tmp_path, passage("adverse_reactions", "Rash was reported.", "6.1", "Clinical Trials"))
    searched = checker.check("quellorin", "Blurred vision")  # the substance, salt word aside, resolves
    assert searched["status"] == NOT_FOUND and searched["label_set_id"] == SET_ID
    assert searched["evidence_text"] is None and searched["match_method"] == "none"
    missing = checker.check("Unknownix", "Rash")
    assert missing["status"] == NO_LABEL and missing["resolution"] == NO_LABEL
    assert missing.get("label_set_id") is None


def test_a_label_whose_listing_section_could_not_be_read_never_says_not_found(tmp_path):
    """A label imported with its adverse reactions unreadable (wrongly typed in its file): a claim the rest
    does not list could be in them, so it is "label could not be fully read", not "not found"."""
    label = dataclasses.replace(make_label(passage("warnings_and_cautions", "Bradycardia was seen.", "5.1", "Risks")),
                                unreadable_sections=("adverse_reactions",))
    checker = LabelChecker(write_store(tmp_path / "store", [label]))
    missed = checker.check("Quellora", "Blurred vision")
    assert missed["status"] == NOT_FULLY_READ and "adverse_reactions could not be read" in missed["match_note"]
    assert checker.check("Quellora", "Bradycardia")["status"] == "label warning"  # what was read still counts
    context_only = dataclasses.replace(label, unreadable_sections=("overdosage",), set_id="other-set",
                                       brand_names=("Otherlora",))
    other = LabelChecker(write_store(tmp_path / "other", [context_only]))
    assert other.check("Otherlora", "Blurred vision")["status"] == NOT_FOUND  # overdosage lists no claim


# -- guards in the evidence -------------------------------------------------------------------------------

def test_a_listing_elsewhere_wins_over_an_occurrence_set_aside(tmp_path):
    result = checker_of(tmp_path,
                        passage("warnings_and_cautions", "No cases of hepatitis were reported in trials.", "5.1",
                                "Liver"),
                        passage("adverse_reactions", "Hepatitis was reported after approval.", "6.2",
                                "Postmarketing Experience")).check("Quellora", "Hepatitis")
    assert result["status"] == "label adverse reaction"
    assert result["evidence_text"] == "Hepatitis was reported after approval."
    assert result["evidence_section"] == "6.2 Postmarketing Experience"


@pytest.mark.parametrize("where, sentence, claim, guard", [
    ("warnings_and_cautions", "No cases of gout were reported.", "Gout", "negated"),
    ("warnings_and_cautions", "Gout has never been reported with Quellora.", "Gout", "negated"),
    ("adverse_reactions", "Gout occurred at a rate similar to placebo.", "Gout", "compared with placebo"),
    ("adverse_reactions", "Patients used Calm Itch® cream on the rash.", "Itch", "in a product name"),
    ("adverse_reactions", "When co-administered with digoxin, gout was more frequent.", "Gout", "context only"),
    ("adverse_reactions", "One overdose caused gout.", "Gout", "context only"),
    ("drug_interactions", "Digoxin with Quellora can cause gout.", "Gout", "context only"),
    ("overdosage", "Gout followed large doses.", "Gout", "context only"),
])
def test_each_guards_occurrence_is_the_evidence_when_nothing_else_lists_the_claim(tmp_path, where, sentence,
                                                                                claim, guard):
    result = checker_of(tmp_path, passage(where, sentence, "9.9", "Test Passage"),
                        passage("adverse_reactions", "Rash was reported.")).check("Quellora", claim)
    assert (result["status"], result["evidence_text"], result["evidence_section"]) == (
        NOT_FOUND, sentence, "9.9 Test Passage")
    assert result["match_note"] == f"found only where it is not a listing: {guard}"
    assert result["label_term"] is None and result["citation"] is None  # evidence, not a citation of a status


def test_the_guards_cues_are_read_from_the_reference_folder(tmp_path):
    ref = tmp_path / "reference"
    ref.mkdir()
    (ref / "lay_terms.csv").write_bytes((REFERENCE_DIR / "lay_terms.csv").read_bytes())
    rows = (REFERENCE_DIR / "text_guards.csv").read_text(encoding="utf-8").splitlines()
    kept = [r for r in rows if not r.startswith("comparison,similar to placebo,")]
    assert len(kept) == len(rows) - 1
    (ref / "text_guards.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    store = write_store(tmp_path / "store", [make_label(passage(
        "adverse_reactions", "Gout occurred at a rate similar to placebo."))])
    assert LabelChecker(store).check("Quellora", "Gout")["status"] == NOT_FOUND
    assert LabelChecker(store, ref).check("Quellora", "Gout")["status"] == "label adverse reaction"


# -- lay terms, OnSIDES terms, claims of two effects ------------------------------------------------------

def test_a_lay_claim_is_found_by_the_label_word_with_the_note(tmp_path):
    result = checker_of(tmp_path, passage("adverse_reactions", "Alopecia was reported in 3% of patients.")
                        ).check("Quellora", "Hair loss")
    assert (result["status"], result["label_term"], result["match_method"]) == (
        "label adverse reaction", "alopecia", "lay term")
    assert result["match_note"] == "Alopecia is the medical word for hair loss."
    assert result["evidence_text"] == "Alopecia was reported in 3% of patients."


def test_every_lay_term_has_a_note_and_a_label_word():
    with open(REFERENCE_DIR / "lay_terms.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) > 40 and all(r["phrase"].strip() and r["label_term"].strip() and r["note"].strip()
                                  for r in rows)
    assert {("hair loss", "alopecia"), ("sleepiness", "somnolence"), ("upset stomach", "dyspepsia"),
            ("blood clots", "thrombosis"), ("suicidal thoughts", "suicidality")} <= {
        (r["phrase"], r["label_term"]) for r in rows}


WEIGHT_TABLE_LABEL = (passage("adverse_reactions", "Weight increased in 5% of patients on Quellora.", "6.1",
                              "Clinical Trials Experience"),)


def test_word_order_needs_no_onsides_term_and_the_claims_own_words_win(tmp_path):
    """'Increased weight' is 'Weight increased' in any order (it once took OnSIDES's term to bridge it)."""
    bare = checker_of(tmp_path / "bare", *WEIGHT_TABLE_LABEL).check("Quellora", "Increased weight")
    assert (bare["status"], bare["match_method"], bare["evidence_text"]) == (
        "label adverse reaction", "normalised", "Weight increased in 5% of patients on Quellora.")
    held = checker_of(tmp_path / "onsides", *WEIGHT_TABLE_LABEL, terms=[onsides_term("Weight increased")]
                      ).check("Quellora", "Increased weight")
    assert (held["status"], held["match_method"]) == ("label adverse reaction", "normalised")


def test_an_onsides_term_held_for_the_label_is_searched_with_its_research_note():
    from explorer.audit.matching import normalise
    from explorer.audit.verdicts import _forms

    forms = _forms("Increased weight", {}, {normalise("Weight increased"): "Weight increased"})
    assert [(f[0], f[1]) for f in forms] == [("Increased weight", "normalised"), ("Weight increased", "OnSIDES term")]
    assert "research" in forms[1][2]
    assert [f[1] for f in _forms("Increased weight", {}, {})] == ["normalised"]


def test_a_claim_of_two_effects_is_checked_part_by_part_when_the_whole_is_not_found(tmp_path):
    checker = checker_of(tmp_path, passage("adverse_reactions", "Nausea was reported in 9% of patients."),
                         passage("warnings_and_cautions", "Vomiting can dehydrate.", "5.4", "Fluid Loss"))
    result = checker.check("Quellora", "Nausea and vomiting")
    assert result["status"] == "label warning"  # the most serious of its parts
    assert result["evidence_text"] == "Vomiting can dehydrate."
    assert ("checked part by part: Nausea: label adverse reaction; vomiting: label warning"
            in result["match_note"])


def test_a_claim_of_two_effects_written_together_in_the_label_is_found_whole(tmp_path):
    result = checker_of(tmp_path, passage("adverse_reactions", "Nausea and vomiting occurred in 4%.")
                        ).check("Quellora", "Nausea and vomiting")
    assert result["status"] == "label adverse reaction" and result["match_note"] is None


def test_a_claim_of_two_effects_with_neither_found_is_not_found(tmp_path):
    result = checker_of(tmp_path, passage("adverse_reactions", "Rash occurred in 4%.")
                        ).check("Quellora", "Nausea and vomiting")
    assert result["status"] == NOT_FOUND and result["match_note"] is None


# -- the SPL label: tables and the report -----------------------------------------------------------------

QUELLORA_PAGE = """Quellora
Quellora for Migraine
What is Quellora?
This page is made up for a test of the label check.
Quellora for Migraine Side Effects
Common Side Effects
- Nausea: a made-up claim.
- Hair loss: a made-up claim.
- Increased weight: a made-up claim.
- Fatigue: a made-up claim.
- Tremor: a made-up claim.
Less Common Side Effects
- Pancreatitis: a made-up claim.
- Insomnia: a made-up claim.
- Low blood pressure: a made-up claim.
- Nausea and vomiting: a made-up claim.
- Blurred vision: a made-up claim.
Rare Side Effects
- Dizziness: a made-up claim.
- Migraine: a made-up claim.
- Tremor: a made-up claim.
Serious Side Effects
- Liver injury: a made-up claim.
- Bradycardia: a made-up claim.
- Asthma: a made-up claim.
Related Articles:
- Quellora for Back Pain
"""
NOLABELIX_PAGE = """Nolabelix
Nolabelix for Acne
What is Nolabelix?
A made-up drug that no store holds a label for.
Nolabelix for Acne Side Effects
Common Side Effects
- Dry skin: a made-up claim.
Related Articles:
- Nolabelix for Rosacea
"""


@pytest.fixture(scope="module")
def quellora_store(tmp_path_factory) -> LabelStore:
    """The SPL label imported into a store, with OnSIDES terms for its set id."""
    root = tmp_path_factory.mktemp("quellora-store")
    report = import_labels([QUELLORA_SPL], root, progress=False)
    assert report.counts == {"imported": 1}
    writer = PartWriter(root)
    writer.add_term(onsides_term("Weight increased"))
    writer.commit({"inputs": ["OnSIDES terms written for the test"]})
    return LabelStore(root)


@pytest.fixture(scope="module")
def bare_store(tmp_path_factory) -> LabelStore:
    """The SPL label imported into a store, without OnSIDES terms."""
    root = tmp_path_factory.mktemp("quellora-bare")
    import_labels([QUELLORA_SPL], root, progress=False)
    return LabelStore(root)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """A corpus of three pages: Quellora (label held), the seed's Mirena (curated facts only), Nolabelix."""
    from explorer.corpus.dataset import Corpus
    from explorer.pages.template import parse_file

    folder = tmp_path_factory.mktemp("pages")
    (folder / "quellora-migraine.txt").write_text(QUELLORA_PAGE, encoding="utf-8")
    (folder / "nolabelix-acne.txt").write_text(NOLABELIX_PAGE, encoding="utf-8")
    return Corpus.from_articles([parse_file(folder / "quellora-migraine.txt"),
                                 parse_file(RAW_DIR / "mirena-back-pain.txt"),
                                 parse_file(folder / "nolabelix-acne.txt")])


@pytest.fixture(scope="module")
def table(pages, quellora_store) -> pd.DataFrame:
    return label_claims_table(pages.side_effects, quellora_store)


def row(table: pd.DataFrame, claim: str, tier: str | None = None, drug: str = "Quellora") -> pd.Series:
    rows = table[(table["drug"] == drug) & (table["claim"] == claim)]
    if tier is not None:
        rows = rows[rows["severity"] == tier]
    assert len(rows) == 1, (claim, tier, len(rows))
    return rows.iloc[0]


def test_claims_table_has_the_curated_columns_then_the_label_columns(table, pages):
    assert list(table.columns) == [*CLAIM_COLUMNS, *LABEL_COLUMNS]
    assert len(table) == len(pages.side_effects)


def test_a_drug_with_a_label_gets_label_text_rows_with_the_labels_identity(table):
    r = row(table, "Nausea")
    assert (r["status"], r["label_source"], r["label_set_id"], r["label_version_number"],
            r["label_effective_time"], r["label_url"]) == (
        "label adverse reaction", "label text", SET_ID, "3", "20230405", DAILYMED)
    # one table row, each value with its column's headers (which arm, which dose)
    assert (r["evidence_text"], r["evidence_section"]) == ("Nausea — Quellora 5 mg, (N=310) %: 9; Quellora 10 mg, (N=305) %: 12; Placebo, (N=300) %: 4", "6.1 Clinical Trials Experience")
    assert (r["incidence_current"], r["incidence_text"]) == (12.0, "9-12%")  # the 5 and 10 mg arms, not placebo
    assert r["source_url"] == DAILYMED and r["evidence"] == "label text"
    assert r["citation"] == (f"Nausea — Quellora 5 mg, (N=310) %: 9; Quellora 10 mg, (N=305) %: 12; Placebo, (N=300) %: 4 [6.1 Clinical Trials Experience; label {SET_ID} version 3, "
                             "effective 20230405]")
    assert r["resolution"] == "matched by brand name 'Quellora'"


@pytest.mark.parametrize("claim, status, section, sentence", [
    ("Liver injury", "label boxed warning", "WARNING: SEVERE LIVER INJURY", "WARNING: SEVERE LIVER INJURY"),
    # not the list item "severe asthma" under "Do not use Quellora in patients with:" (who may not take it),
    # but the sentence saying asthma occurred with the drug
    ("Asthma", "label contraindication", "4 CONTRAINDICATIONS",
     "Asthma attacks have been reported after a single dose of Quellora."),
    ("Migraine", "label indication", "1 INDICATIONS AND USAGE",
     "Quellora is indicated for the prevention of migraine in adults."),
])
def test_each_section_of_the_spl_label_gives_its_status_and_sentence(table, claim, status, section, sentence):
    r = row(table, claim)
    assert (r["status"], r["evidence_section"], r["evidence_text"]) == (status, section, sentence)


@pytest.mark.parametrize("claim, sentence, section, guard", [
    ("Pancreatitis", "No cases of pancreatitis were reported in the clinical trials.", "5.3 Pancreas", "negated"),
    ("Insomnia", "Insomnia occurred at a rate similar to placebo.", "6.1 Clinical Trials Experience",
     "compared with placebo"),
    ("Low blood pressure", "Strong inhibitors of the enzyme that clears quellorin can cause low blood pressure; "
                           "halve the dose.", "7 DRUG INTERACTIONS", "context only"),
])
def test_an_occurrence_set_aside_is_the_evidence_when_nothing_lists_the_claim(table, claim, sentence, section,
                                                                             guard):
    r = row(table, claim)
    assert r["status"] == NOT_FOUND and pd.isna(r["label_term"])
    assert (r["evidence_text"], r["evidence_section"]) == (sentence, section)
    assert r["match_note"] == f"found only where it is not a listing: {guard}"
    assert (r["tier_check"], r["tier_note"]) == ("not comparable", NOT_FOUND)


def test_a_warning_keeps_the_incidence_the_trial_table_gives(table):
    r = row(table, "Bradycardia")
    assert (r["status"], r["evidence_section"]) == ("label warning", "5.2 Slow Heart Rate")
    assert (r["incidence_current"], r["incidence_text"]) == (13.0, "10-13%")
    assert "incidence from Table 2 (Table 2: Adverse Reactions in at Least 2% of Patients Treated with Quellora " \
           "and More Often Than with Placebo), 6.1 Clinical Trials Experience, Quellora 10 mg (N=305) %: Bradycardia 13" in r[
        "match_note"]
    assert r["tier_check"] == "agrees"  # serious, and the label lists it as a warning


@pytest.mark.parametrize("claim, tier, check, note", [
    ("Nausea", "common", "agrees", "page says common; the current label gives 12%, within at least 1% for common"),
    ("Dizziness", "rare", "disagrees", "page says rare; the current label gives 8%, outside 0-1% for rare"),
    ("Migraine", "rare", "not comparable", "the label names it as an indication, not as a side effect"),
    ("Tremor", "rare", "agrees", "page says rare; the current label gives <1%, within 0-1% for rare"),
    ("Tremor", "common", "disagrees",
     "page says common; the current label gives <1%, outside at least 1% for common"),
    ("Hair loss", "common", "agrees",
     "page says common; the current label gives 3%, within at least 1% for common"),
    ("Fatigue", "common", "not comparable", "no incidence in the label (listed as adverse reaction)"),
    ("Liver injury", "serious", "agrees", "page says serious; the label lists it as a warning"),
])
def test_the_tier_check_uses_the_labels_incidence(table, claim, tier, check, note):
    r = row(table, claim, tier)
    assert (r["tier_check"], r["tier_note"]) == (check, note)


def test_a_discontinuation_table_row_lists_the_claim_without_an_incidence(table):
    r = row(table, "Fatigue")
    assert r["status"] == "label adverse reaction" and pd.isna(r["incidence_current"])
    assert r["evidence_text"] == "Fatigue | 2 | <1" and pd.isna(r["incidence_text"])


def test_a_drug_without_a_label_keeps_the_curated_facts_where_they_name_it(table, pages, facts, synonyms):
    mirena = table[table["drug"] == "Mirena"].reset_index(drop=True)
    curated = claims_table(pages.side_effects, facts, synonyms)
    curated = curated[curated["drug"] == "Mirena"].reset_index(drop=True)
    pd.testing.assert_frame_equal(mirena[list(CLAIM_COLUMNS)], curated[list(CLAIM_COLUMNS)])
    assert set(mirena["label_source"]) == {"curated facts"} and set(mirena["resolution"]) == {NO_LABEL}
    assert mirena["label_set_id"].isna().all() and mirena["evidence_text"].isna().all()
    assert row(table, "Perforation of the uterus", drug="Mirena")["status"] == "label warning"


def test_a_drug_with_neither_label_nor_curated_facts_has_no_label(table):
    r = row(table, "Dry skin", drug="Nolabelix")
    assert (r["status"], r["resolution"], r["tier_check"], r["tier_note"]) == (
        NO_LABEL, NO_LABEL, "not comparable", NO_LABEL)
    assert pd.isna(r["label_source"]) and pd.isna(r["label_set_id"])


def test_a_claim_in_another_word_order_is_found_with_or_without_onsides_terms(table, pages, bare_store):
    assert (row(table, "Increased weight")["status"], row(table, "Increased weight")["match_method"]) == (
        "label adverse reaction", "normalised")
    bare = label_claims_table(pages.side_effects, bare_store)
    assert row(bare, "Increased weight")["status"] == "label adverse reaction"


# -- audit_report with labels ------------------------------------------------------------------------------

def test_text_report_shows_the_evidence_lines_and_the_label_identity(pages, quellora_store):
    text = audit_report(pages, labels=quellora_store)
    # some claims were checked against the label text, others (Mirena's) against the curated facts
    assert text.startswith(f"LABEL CHECK\nNote: {LABEL_TEXT_NOTE} Claims of drugs without a label held: "
                           f"{COVERAGE_NOTE}\n")  # no OnSIDES note: no claim needed an OnSIDES term
    assert f"  label {SET_ID} version 3, effective 20230405: {DAILYMED}" in text
    assert ("quellora-migraine.txt:7 Nausea: label adverse reaction [6.1 Clinical Trials Experience] (9-12%): "
            "'Nausea — Quellora 5 mg, (N=310) %: 9; Quellora 10 mg, (N=305) %: 12; Placebo, (N=300) %: 4'") in text
    assert ("quellora-migraine.txt:13 Pancreatitis: not found in the label text [5.3 Pancreas]: 'No cases of "
            "pancreatitis were reported in the clinical trials.' -- found only where it is not a listing: negated"
            ) in text
    assert ONSIDES_NOTE not in text


def test_text_report_prints_the_onsides_note_only_when_onsides_terms_were_used(pages, bare_store):
    text = audit_report(pages, labels=bare_store)
    assert "Checked against imported labels" in text and ONSIDES_NOTE not in text


def test_json_report_keeps_todays_keys_and_adds_the_label_identity(pages, quellora_store):
    data = json.loads(audit_report(pages, "json", labels=quellora_store))
    assert list(data) == ["coverage_note", "claims", "premises", "numbers"]
    assert data["coverage_note"] == coverage_note(label_claims_table(pages.side_effects, quellora_store))
    assert data["coverage_note"].startswith(LABEL_TEXT_NOTE) and COVERAGE_NOTE in data["coverage_note"]
    assert all(list(c) == [*CLAIM_COLUMNS, *LABEL_COLUMNS] for c in data["claims"])
    nausea = next(c for c in data["claims"] if c["drug"] == "Quellora" and c["claim"] == "Nausea")
    assert {k: nausea[k] for k in ("label_set_id", "label_version_number", "label_effective_time", "label_url",
                                   "label_source", "status")} == {
        "label_set_id": SET_ID, "label_version_number": "3", "label_effective_time": "20230405",
        "label_url": DAILYMED, "label_source": "label text", "status": "label adverse reaction"}
    mirena = [c for c in data["claims"] if c["drug"] == "Mirena"]
    assert mirena and all(c["label_source"] == "curated facts" and c["label_set_id"] is None for c in mirena)


def test_csv_report_carries_the_label_identity_columns(pages, quellora_store):
    lines = audit_report(pages, "csv", labels=quellora_store).splitlines()
    assert lines[0].startswith(f"# {LABEL_TEXT_NOTE}") and lines[1] == "# claims"
    end = lines.index("# premises")
    claims = pd.read_csv(io.StringIO("\n".join(lines[2:end])), dtype=str)
    assert list(claims.columns) == [*CLAIM_COLUMNS, *LABEL_COLUMNS]
    nausea = claims[(claims["drug"] == "Quellora") & (claims["claim"] == "Nausea")].iloc[0]
    assert (nausea["label_set_id"], nausea["label_version_number"], nausea["label_effective_time"],
            nausea["label_url"], nausea["evidence_text"]) == (SET_ID, "3", "20230405", DAILYMED,
                                                              "Nausea — Quellora 5 mg, (N=310) %: 9; Quellora 10 mg, (N=305) %: 12; Placebo, (N=300) %: 4")


def test_the_coverage_note_says_what_the_statuses_rest_on(pages, quellora_store, bare_store):
    curated_only = claims_table(pages.side_effects)
    assert coverage_note(curated_only) == COVERAGE_NOTE  # never "not in the label" from a partial source
    quellora = label_claims_table(pages.side_effects, bare_store)
    quellora = quellora[quellora["drug"] == "Quellora"]
    assert coverage_note(quellora) == LABEL_TEXT_NOTE  # every claim against a whole label's text
    assert ONSIDES_NOTE not in coverage_note(quellora)


def test_the_report_without_labels_has_neither_label_columns_nor_evidence_lines(pages):
    data = json.loads(audit_report(pages, "json"))
    assert all(list(c) == list(CLAIM_COLUMNS) for c in data["claims"])
    assert "Checked against imported labels" not in audit_report(pages)


def test_checking_many_pairs_label_by_label_gives_the_results_of_checking_each_alone(tmp_path):
    root = tmp_path / "store"
    import_labels([QUELLORA_SPL.parents[1] / "openfda", QUELLORA_SPL], root, progress=False)
    pairs = [("Mirena", "Acne"), ("Zentravix", "Headache"), ("Nolabelix", "Rash"), ("Quellora", "Weight gain"),
             ("Mirena", "Blood clots"), ("mirena", "Ovarian cysts"), ("Zentravix", "Nausea and vomiting")]
    alone = [LabelChecker(LabelStore(root)).check(d, c) for d, c in pairs]
    checker = LabelChecker(LabelStore(root))
    assert checker.check_many(pairs, labels_at_once=1) == alone
    assert checker._texts == {}  # each label's text let go once its pairs were checked
    assert {r["status"] for r in alone} >= {NO_LABEL, "label adverse reaction"}


def test_a_label_that_cannot_be_searched_is_set_aside_with_a_note_and_the_rest_is_checked(tmp_path, monkeypatch):
    """One label of a shape the check cannot read must never stop the audit of the others."""
    import explorer.audit.labelcheck as labelcheck
    from explorer.audit.vocabulary import UNCHECKED

    odd = make_label(passage("adverse_reactions", "Odd shape: rash."), brand="Oddora", generic="oddorin",
                     set_id="aaaaaaaa-0000-4000-8000-000000000001")
    good = make_label(passage("adverse_reactions", "Rash was reported."))
    store = write_store(tmp_path / "store", [odd, good])
    real = labelcheck.LabelText

    def fragile(passages, *args, **kwargs):
        if passages["text"].astype(str).str.contains("Odd shape").any():
            raise ValueError("a table cell of an unexpected kind")
        return real(passages, *args, **kwargs)

    monkeypatch.setattr(labelcheck, "LabelText", fragile)
    odd_result, good_result = LabelChecker(store).check_many([("Oddora", "Rash"), ("Quellora", "Rash")])
    assert good_result["status"] == "label adverse reaction"
    assert odd_result["status"] == UNCHECKED
    assert "aaaaaaaa-0000-4000-8000-000000000001" in odd_result["match_note"]
    assert "a table cell of an unexpected kind" in odd_result["match_note"]
