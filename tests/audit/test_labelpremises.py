"""explorer.audit.labelpremises: the conditions a page presents its drug as being for, checked against the
Indications and Usage and the other sections of an imported label, with the sentence as evidence.

The seed page's premises (its title's "Back Pain" and its 35 related links) are checked against the
Mirena test label in openFDA form (``tests/fixtures/labels/openfda/mirena.json``, our own words with
the real structure), and against the curated facts when no label is held.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from explorer.audit.labelcheck import LABEL_COLUMNS, LabelChecker
from explorer.audit.labelpremises import check_premise, label_premises_table
from explorer.audit.premises import PREMISE_COLUMNS, premises_table
from explorer.audit.vocabulary import NO_LABEL, NOT_FULLY_READ, NOT_INDICATED
from explorer.labels.importer import import_labels
from explorer.labels.store import LabelStore

from .test_fulltext import BRAND, make_label, passage, write_store

MIRENA_OPENFDA = Path(__file__).resolve().parents[1] / "fixtures" / "labels" / "openfda" / "mirena.json"


@pytest.fixture(scope="module")
def mirena_store(tmp_path_factory) -> LabelStore:
    root = tmp_path_factory.mktemp("mirena-store")
    assert import_labels([MIRENA_OPENFDA], root, progress=False).counts == {"imported": 1}
    return LabelStore(root)


@pytest.fixture(scope="module")
def premises(seed_corpus, mirena_store) -> pd.DataFrame:
    return label_premises_table(seed_corpus.articles, seed_corpus.related, mirena_store)


def premise(table: pd.DataFrame, condition: str) -> pd.Series:
    rows = table[table["premise_condition"] == condition]
    assert len(rows) == 1, (condition, len(rows))
    return rows.iloc[0]


def test_the_table_has_the_premise_columns_then_the_label_columns(premises, seed_corpus):
    assert list(premises.columns) == list(PREMISE_COLUMNS) + list(LABEL_COLUMNS)
    assert len(premises) == 1 + len(seed_corpus.related)
    assert set(premises["label_source"].astype(str)) == {"label text"}


@pytest.mark.parametrize("condition, status, section, words", [
    ("Heavy Menstrual Bleeding", "approved indication", "1.2 Heavy Menstrual Bleeding", "heavy menstrual bleeding"),
    ("Breast Cancer", "contraindicated", "4 CONTRAINDICATIONS", "Breast cancer"),
])
def test_a_condition_the_label_names_gets_its_sections_status_and_sentence(premises, condition, status, section,
                                                                          words):
    row = premise(premises, condition)
    assert row["status"] == status and row["evidence_section"] == section
    assert words.casefold() in row["evidence_text"].casefold()
    assert row["citation"].startswith(row["evidence_text"])
    assert row["label_url"].endswith(row["label_set_id"]) and row["label_effective_time"].isdigit()


def test_the_pages_own_condition_is_not_among_the_indications_of_a_searched_label(premises):
    back = premise(premises, "Back Pain")
    assert (back["origin"], back["line"]) == ("page", 4)
    assert back["status"] == NOT_INDICATED and pd.isna(back["evidence_text"])
    assert back["label_source"] == "label text" and "matched by brand name" in back["resolution"]


def test_without_a_label_the_curated_facts_keep_their_own_wording(seed_corpus, tmp_path):
    empty = tmp_path / "empty"
    import_labels([], empty, progress=False)
    p = label_premises_table(seed_corpus.articles, seed_corpus.related, LabelStore(empty))
    curated = premises_table(seed_corpus.articles, seed_corpus.related)
    # never "not among the indications" from a partial source: the curated statuses stay as they were
    assert p["status"].astype(str).tolist() == curated["status"].astype(str).tolist()
    assert NOT_INDICATED not in set(p["status"].astype(str))
    assert set(p["label_source"].astype(str)) == {"curated facts"}


def test_a_condition_listed_only_as_an_adverse_reaction_is_not_among_the_indications_with_a_note(tmp_path):
    label = make_label(passage("indications_and_usage", f"{BRAND} is indicated for the relief of hay fever."),
                       passage("adverse_reactions", "Headache was reported by 4% of patients."))
    checker = LabelChecker(write_store(tmp_path, [label]))
    headache = check_premise(checker, BRAND, "Headaches")
    assert (headache["status"], headache["premise_note"]) == (NOT_INDICATED, "also an adverse reaction")
    assert "Headache was reported by 4% of patients." in headache["match_note"]
    assert check_premise(checker, BRAND, "Hay Fever")["status"] == "approved indication"
    assert check_premise(checker, BRAND, "Insomnia")["status"] == NOT_INDICATED
    assert check_premise(checker, "Unheardofix", "Insomnia")["status"] == NO_LABEL


def test_a_label_whose_indications_or_contraindications_could_not_be_read_never_says_not_among_them(tmp_path):
    """A label imported with its contraindications unreadable (wrongly typed in its file): a condition its
    indications do not name could be contraindicated there, so it is "label could not be fully read"."""
    import dataclasses

    label = dataclasses.replace(
        make_label(passage("indications_and_usage", f"{BRAND} is indicated for the relief of hay fever.")),
        unreadable_sections=("contraindications",))
    checker = LabelChecker(write_store(tmp_path / "store", [label]))
    asthma = check_premise(checker, BRAND, "Asthma")
    assert asthma["status"] == NOT_FULLY_READ and "contraindications could not be read" in asthma["match_note"]
    assert check_premise(checker, BRAND, "Hay Fever")["status"] == "approved indication"  # what was read counts
    unread = dataclasses.replace(label, unreadable_sections=("indications_and_usage",), set_id="other-set",
                                 brand_names=("Otherlora",))
    other = LabelChecker(write_store(tmp_path / "other", [unread]))
    assert check_premise(other, "Otherlora", "Asthma")["status"] == NOT_FULLY_READ
    overdose = dataclasses.replace(label, unreadable_sections=("overdosage",), set_id="third-set",
                                   brand_names=("Thirdlora",))
    third = LabelChecker(write_store(tmp_path / "third", [overdose]))
    assert check_premise(third, "Thirdlora", "Asthma")["status"] == NOT_INDICATED  # overdosage decides nothing


# -- the question a premise asks, on labels written for the test (our own words) ---------------------------

from explorer.audit.conditions import condition_terms, load_conditions, load_rules  # noqa: E402
from explorer.audit.guards import cue_words  # noqa: E402
from explorer.audit.terms import phrase_keys  # noqa: E402
from explorer.audit.labelpremises import premise_verdict  # noqa: E402

from .test_fulltext import label_text  # noqa: E402

IND, CONTRA, WARN, AR = "indications_and_usage", "contraindications", "warnings_and_cautions", "adverse_reactions"


def verdict(tmp_path, condition: str, *passages) -> tuple[str, str | None]:
    v = premise_verdict(label_text(tmp_path, *passages), condition, [BRAND, "quellorin"])
    return v["status"], v["premise_note"]


@pytest.mark.parametrize("condition, indication", [
    ("Depression", "Quellora is indicated for the treatment of major depressive disorder (MDD) in adults."),
    ("High Cholesterol", "As an adjunct to diet to reduce LDL-C in adults with primary hyperlipidemia."),
    ("Deep Vein Thrombosis", "Quellora is indicated for the treatment of venous thrombosis of the legs."),
    ("Anxiety", "Quellora is indicated for generalized anxiety disorder in adults."),  # the condition's words inside
    ("Seizures", "Quellora is indicated as adjunctive therapy in convulsive disorders."),  # a form of it
    ("Eczema", "Quellora is indicated for adults with moderate to severe atopic dermatitis."),
    ("Hot Flashes", "Treatment of moderate to severe vasomotor symptoms due to menopause."),
])
def test_a_condition_is_approved_through_its_synonyms_and_forms(tmp_path, condition, indication):
    assert verdict(tmp_path, condition, passage(IND, indication))[0] == "approved indication"


@pytest.mark.parametrize("condition, indication, status", [
    ("Back Pain", "Quellora is indicated for the management of acute pain severe enough to require an opioid.",
     "approved indication"),
    ("Headache", "Quellora is indicated for the relief of mild to moderate pain.", "approved indication"),
    ("Back Pain", "Quellora is indicated for the relief of discomfort of acute, painful musculoskeletal conditions.",
     "approved indication"),
    # a pain indication tied to a disease covers no other pain
    ("Back Pain", "Quellora is indicated for moderate to severe pain associated with endometriosis.",
     "not among the indications"),
    ("Back Pain", "Quellora is indicated for the management of osteoarthritis pain.", "not among the indications"),
    ("Bladder Infection", "Quellora is indicated for urinary tract infections caused by susceptible bacteria.",
     "approved indication"),
])
def test_a_broader_indication_covers_a_condition_unless_it_is_tied_to_another(tmp_path, condition, indication,
                                                                               status):
    assert verdict(tmp_path, condition, passage(IND, indication))[0] == status


@pytest.mark.parametrize("condition, indications", [
    # a sentence saying the condition does not respond, beside an approval of a kind of it
    ("Absence Seizures", ("Quellora is indicated for partial-onset seizures. Absence seizures do not appear to be "
                          "controlled by Quellora.",)),
    # a limitation of use
    ("Type 1 Diabetes", ("Quellora is indicated for type 2 diabetes mellitus. Limitations of Use: Not for treating "
                         "type 1 diabetes mellitus.",)),
    # the items of a "not approved for:" list
    ("Leg Cramps", ("Quellora is indicated for malaria.", "Quellora is not approved for: • Treatment of severe "
                    "malaria. • Treatment or prevention of nocturnal leg cramps.")),
])
def test_a_denied_condition_is_not_an_indication(tmp_path, condition, indications):
    text = label_text(tmp_path, *(passage(IND, i) for i in indications))
    assert premise_verdict(text, condition)["status"] == NOT_INDICATED


def test_a_denial_beside_an_approval_removes_it_only_when_it_names_the_condition_more_broadly(tmp_path):
    # the approval names the condition itself: a denial of one use of it does not remove it
    kept = verdict(tmp_path / "a", "Underactive Thyroid", passage(
        IND, "Quellora is indicated as replacement therapy in congenital or acquired hypothyroidism. "
             "Quellora is not indicated for hypothyroidism during the recovery phase of subacute thyroiditis."))
    assert kept[0] == "approved indication"
    # only a rare form is approved, and the label denies the common condition
    fenced = verdict(tmp_path / "b", "High Cholesterol", passage(
        IND, "Quellora is indicated to reduce LDL-C in patients with homozygous familial hypercholesterolemia. "
             "The safety and effectiveness of Quellora have not been established in patients with "
             "hypercholesterolemia who do not have HoFH."))
    assert fenced[0] == NOT_INDICATED
    # a broader indication, and the condition excluded by name
    excluded = verdict(tmp_path / "c", "Kidney Infection", passage(
        IND, "Quellora is indicated for urinary tract infections. Quellora is not indicated for the treatment "
             "of pyelonephritis."))
    assert excluded[0] == NOT_INDICATED
    # "not approved for prevention of malaria" does not deny treating it
    treated = verdict(tmp_path / "d", "Malaria", passage(
        IND, "Quellora is indicated only for uncomplicated Plasmodium falciparum malaria. Quellora is not "
             "approved for: • Treatment of severe or complicated P. falciparum malaria. • Prevention of malaria."))
    assert treated[0] == "approved indication"


@pytest.mark.parametrize("condition, indication", [
    # a population the drug is given to for something else
    ("Diabetes", "Quellora is indicated to reduce the risk of myocardial infarction and stroke in adults with "
                 "type 2 diabetes mellitus with multiple risk factors for coronary heart disease."),
    # a feature of the indicated condition
    ("Anxiety", "Quellora is indicated for depression accompanied by anxiety or agitation."),
    # a trial statement
    ("Stroke", "Quellora has been shown to reduce a combined endpoint of death, myocardial infarction or stroke "
               "compared to a reference drug."),
    # another sense of the word
    ("Depression", "Quellora is indicated to reverse respiratory depression after anesthesia."),
    ("Diabetes", "Quellora is indicated for central diabetes insipidus."),
    ("High Blood Pressure", "Quellora is indicated for pulmonary arterial hypertension."),
])
def test_a_condition_named_but_not_as_what_the_drug_is_for_is_not_an_indication(tmp_path, condition, indication):
    assert verdict(tmp_path, condition, passage(IND, indication))[0] == NOT_INDICATED


@pytest.mark.parametrize("condition, indication", [
    ("Diabetes", "Quellora is indicated as an adjunct to diet and exercise to improve glycemic control in adults "
                 "with type 2 diabetes mellitus."),
    ("Narcolepsy", "Quellora is indicated for the treatment of cataplexy or excessive daytime sleepiness in "
                   "patients 7 years of age and older with narcolepsy."),
    ("Atrial Fibrillation", "Quellora is indicated to reduce the risk of stroke and systemic embolism in adult "
                            "patients with nonvalvular atrial fibrillation."),
    ("Psoriasis", "Quellora is indicated for the treatment of patients 6 years or older with moderate to severe "
                  "plaque psoriasis."),
])
def test_treating_a_manifestation_of_the_patients_condition_is_being_for_it(tmp_path, condition, indication):
    assert verdict(tmp_path, condition, passage(IND, indication))[0] == "approved indication"


def test_a_prevention_condition_needs_prevention_words(tmp_path):
    both = passage(IND, "Quellora is indicated for the treatment of invasive breast cancer. Quellora is indicated "
                        "for the reduction in risk of invasive breast cancer in women at high risk.")
    treat = passage(IND, "Quellora is indicated for the treatment of invasive breast cancer.")
    assert verdict(tmp_path / "a", "Breast Cancer Prevention", both)[0] == "approved indication"
    assert verdict(tmp_path / "b", "Breast Cancer Prevention", treat)[0] == NOT_INDICATED


def test_contraindicated_through_a_form_or_a_broader_term_and_an_approval_wins(tmp_path):
    label = (passage(IND, "Quellora is indicated for stable heart failure."),
             passage(CONTRA, "Quellora is contraindicated in patients with narrow-angle glaucoma, bronchospastic "
                             "disorders, decompensated heart failure or severe respiratory depression."))
    assert verdict(tmp_path / "a", "Glaucoma", *label)[0] == "contraindicated"
    assert verdict(tmp_path / "b", "Asthma", *label)[0] == "contraindicated"
    assert verdict(tmp_path / "c", "Heart Failure", *label)[0] == "approved indication"
    assert verdict(tmp_path / "d", "Depression", *label)[0] == NOT_INDICATED  # respiratory depression


def test_a_warning_or_an_adverse_reaction_is_a_note_never_the_status(tmp_path):
    label = (passage(IND, "Quellora is indicated for major depressive disorder."),
             passage(WARN, "Patients may experience worsening of their depression and the emergence of "
                           "suicidal thoughts.", "5.1", "Clinical Worsening"),
             passage(AR, "The most common adverse reactions were nausea, insomnia and anxiety."))
    assert verdict(tmp_path / "a", "Depression", *label) == ("approved indication", "also a warning")
    assert verdict(tmp_path / "b", "Insomnia", *label) == (NOT_INDICATED, "also an adverse reaction")
    assert verdict(tmp_path / "c", "Migraine", *label) == (NOT_INDICATED, None)


@pytest.mark.parametrize("condition, indication", [
    ("Eye Infections", "Quellora is indicated for the treatment of bacterial ocular infections."),
    ("Stomach Pain", "Quellora is indicated for the relief of gastric pain."),
    ("Kidney Stones", "Quellora is indicated for the prevention of renal stones."),
])
def test_a_condition_meets_the_label_in_the_label_checks_folding(tmp_path, condition, indication):
    # one folding for claims and premises (explorer.audit.terms' word families: ocular ~ eye, gastric ~ stomach,
    # renal ~ kidney), the condition's words and the label's read alike; none of these is in condition_terms.csv
    assert verdict(tmp_path, condition, passage(IND, indication))[0] == "approved indication"


def test_cues_keep_their_own_words_not_the_families_of_the_terms(tmp_path):
    # word families join "symptom", "reaction" and "disorder" for claims; a cue of symptoms (a manifestation
    # treated) or of reactions (a harm) must not read "disorder" as one
    label = (passage(IND, "Quellora is indicated for the treatment of major depressive disorder in patients with "
                          "Parkinson's disease."),
             passage(WARN, "Asthma is a chronic inflammatory disorder of the airways.", "5.2", "Airways"))
    assert verdict(tmp_path / "a", "Parkinson's Disease", *label) == (NOT_INDICATED, None)
    assert verdict(tmp_path / "b", "Asthma", *label) == (NOT_INDICATED, None)


@pytest.mark.parametrize("condition, harm", [
    # a drug class named after the condition
    ("Diabetes", "There is no conclusive evidence of a reduced risk of stroke with any anti-diabetic drug."),
    # the trials' subjects
    ("High Blood Pressure", "Quellora caused dizziness in about 2% of hypertensive subjects."),
])
def test_a_warning_naming_a_drug_class_or_the_trials_subjects_is_no_note(tmp_path, condition, harm):
    label = (passage(IND, "Quellora is indicated for hay fever."), passage(WARN, harm, "5.1", "Risks"))
    assert verdict(tmp_path, condition, *label) == (NOT_INDICATED, None)


def test_a_population_behind_a_bracketed_aside_is_no_note(tmp_path):
    label = (passage(IND, "Quellora is indicated for hay fever."),
             passage(AR, "Adverse reaction information was collected in 273 pediatric patients 7 to 17 years of "
                         "age (137 Quellora, 136 placebo) with generalized anxiety disorder."))
    assert verdict(tmp_path, "Anxiety", *label) == (NOT_INDICATED, None)


def test_the_note_cites_the_sentence_that_lists_the_condition(tmp_path):
    label = (passage(IND, "Quellora is indicated for hay fever."),
             passage(AR, "Generalized Anxiety Disorder Adults The most common adverse reactions in Quellora "
                         "patients were nausea and insomnia."),
             passage(AR, "Other adverse reactions reported at 2% or more: dizziness (3%), anxiety (3%), "
                         "anger (2%)."))
    v = premise_verdict(label_text(tmp_path, *label), "Anxiety", [BRAND, "quellorin"])
    assert v["premise_note"] == "also an adverse reaction"
    assert v["note_sentence"].text.startswith("Other adverse reactions")


@pytest.mark.parametrize("warning", [
    "Increased mortality was seen in elderly patients with dementia-related psychosis.",  # a population
    "In clinical trials in narcolepsy, patients took stimulants as well.",  # a trial population
    "Quellora should not be used for the treatment of obesity or for weight loss.",  # a denial
    "Respiratory depression may occur at high doses.",  # another sense
])
def test_a_condition_named_in_a_warning_only_as_a_population_use_denial_or_other_sense_has_no_note(tmp_path,
                                                                                                  warning):
    condition = next(c for c in ("Dementia", "Narcolepsy", "Weight Loss", "Depression")
                     if phrase_keys(c)[0] in phrase_keys(warning))
    label = (passage(IND, "Quellora is indicated for hay fever."), passage(WARN, warning, "5.1", "Risks"))
    assert verdict(tmp_path, condition, *label) == (NOT_INDICATED, None)


def test_the_condition_and_guard_tables_are_data_with_a_note_per_row():
    conditions = load_conditions()
    assert len(conditions) > 300  # hundreds of conditions pages are written about, not this file's examples
    assert all(note for rows in conditions.values() for _, _, note in rows)
    assert [t.text for t in condition_terms("Back Pain") if t.relation == "broader"][:1] == ["acute pain"]
    rules = load_rules()
    assert cue_words("not indicated") in rules.denial
    assert cue_words("respiratory") in rules.other_sense["depression"]


def test_a_condition_file_row_without_a_relation_is_refused_by_line(tmp_path):
    (tmp_path / "condition_terms.csv").write_text("condition,term,relation,note\nback pain,acute pain,covers,x\n")
    with pytest.raises(ValueError, match=r"condition_terms.csv:2: expected condition, term, relation"):
        load_conditions(tmp_path)


@pytest.mark.parametrize("condition, indication, status", [
    # a sentence about other drugs of the class
    ("Heart Failure", "Quellora is indicated for hypertension. Many antihypertensive drugs have additional approved "
                      "indications (e.g., on angina, heart failure, or diabetic kidney disease).", NOT_INDICATED),
    # a condition of use, not an indication
    ("HIV", "Quellora is indicated for pulmonary tuberculosis. Treatment should be continued longer if the patient "
            "is HIV positive.", NOT_INDICATED),
    # a qualified broader term is a sibling, not a cover
    ("Yeast Infection", "Quellora is indicated for esophageal candidiasis.", NOT_INDICATED),
    # "preventive treatment" speaks of prevention
    ("Migraine Prevention", "Quellora is indicated for the preventive treatment of episodic migraine in adults.",
     "approved indication"),
    # symptoms of the patients' condition are what is treated
    ("Sjogren's Syndrome", "Quellora is indicated for the treatment of symptoms of dry mouth in patients with "
                           "Sjogren's Syndrome.", "approved indication"),
])
def test_class_statements_conditions_of_use_siblings_and_symptoms(tmp_path, condition, indication, status):
    assert verdict(tmp_path, condition, passage(IND, indication))[0] == status


def test_a_limitation_naming_a_longer_condition_does_not_fence_off_the_main_form(tmp_path):
    label = passage(IND, "Quellora is indicated for adults with moderate to severe systemic lupus erythematosus. "
                         "Limitations of Use: The efficacy of Quellora has not been evaluated in patients with severe "
                         "active lupus nephritis.")
    assert verdict(tmp_path, "Lupus", label)[0] == "approved indication"  # lupus nephritis is not lupus itself
