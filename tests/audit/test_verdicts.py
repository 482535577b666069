"""explorer.audit.verdicts and the rules behind a claim's verdict on real-label shapes (issue 17).

Each test writes a small Quellora label (invented drug, our own words) in the shape of a real label that
broke the check: laid-out lists and text tables, placebo words in a long list, the signs of a warned
event, a reason for stopping, a history, MedDRA wording against label wording. The tests go through
:class:`explorer.audit.labelcheck.LabelChecker`, the engine the audit, the notebooks and the dashboard use.
"""
from __future__ import annotations

import pytest

from explorer.audit.vocabulary import NOT_FOUND
from explorer.labels.records import LabelTable

from .test_fulltext import passage
from .test_labelcheck import checker_of


def ar(text, **kw):
    return passage("adverse_reactions", text, **kw)


def wp(text, number="5.2", heading="Risks", **kw):
    return passage("warnings_and_cautions", text, number, heading, **kw)


def check(tmp_path, claim, *passages):
    return checker_of(tmp_path, *passages).check("Quellora", claim)


# -- the label's layout: lines, bullets, clauses ----------------------------------------------------------

def test_a_line_of_a_laid_out_list_is_a_listing_even_when_placebo_is_named_elsewhere_in_the_list(tmp_path):
    """Real labels (TAC's text, SPL lists) keep one item a line; collapsing them made one sentence in which
    'placebo' set aside every item ("thrombocytopenia" in "rare: thrombocytopenia" was not found)."""
    text = ("Reactions in placebo-controlled trials, by frequency:\nFrequent: nausea, headache\n"
            "Rare: thrombocytopenia\nOccurring at a rate similar to placebo: insomnia")
    r = check(tmp_path, "Thrombocytopenia", ar(text))
    assert (r["status"], r["evidence_text"]) == ("label adverse reaction", "Rare: thrombocytopenia")
    assert check(tmp_path / "2", "Insomnia", ar(text))["status"] == NOT_FOUND  # its own line compares


def test_a_guard_acts_on_its_clause_not_on_the_whole_sentence(tmp_path):
    sentence = "Nausea occurred in 5% of patients; insomnia occurred at a rate similar to placebo."
    assert check(tmp_path, "Nausea", ar(sentence))["status"] == "label adverse reaction"
    r = check(tmp_path / "2", "Insomnia", ar(sentence))
    assert r["status"] == NOT_FOUND and "compared with placebo" in r["match_note"]


def test_a_bracketed_list_shares_the_words_before_it(tmp_path):
    r = check(tmp_path, "Injection site pain", ar("Injection site reactions (pain, burning, coldness) were seen "
                                                  "in 0.4% of patients."))
    assert r["status"] == "label adverse reaction"
    assert check(tmp_path / "2", "Injection site pain",
                 ar("Injection site reactions, back pain and rash were seen."))["status"] == NOT_FOUND


def test_words_of_different_list_items_do_not_make_a_claim(tmp_path):
    assert check(tmp_path, "Pruritic rash", ar("Reactions were rash, nausea, and pruritus."))["status"] == NOT_FOUND


def test_a_table_whose_first_column_is_a_body_system_is_searched_in_its_second(tmp_path):
    table = LabelTable("Table 3: Reactions in 2% or more", (("System", "Reaction", "Quellora %", "Placebo %"),),
                       (("Gastrointestinal", "Nausea", "9", "3"),))
    r = check(tmp_path, "Nausea", ar("Table 3 lists them.", tables=(table,)))
    assert (r["status"], r["evidence_text"], r["incidence_text"]) == (
        "label adverse reaction", "Gastrointestinal | Nausea | 9 | 3", "9%")


# -- the page's words against the label's ----------------------------------------------------------------

@pytest.mark.parametrize("claim, sentence", [
    ("Vision blurred", "Blurred vision was reported in 3% of patients."),
    ("ALT increased", "Increases in ALT occurred in 2% of patients."),
    ("Increased ALT", "ALT elevations were seen in 2% of patients."),
    ("Alanine aminotransferase increased", "High ALT was reported."),
    ("Bilirubin total increased", "Elevations of serum bilirubin occurred."),
    ("Platelet count decreased", "Decreased platelets were seen."),
    ("QT interval prolonged", "QT prolongation was observed."),
    ("Hepatic failure", "Liver failure occurred in one patient."),
    ("Kidney problems", "Renal disorders were reported."),
    ("Anaemia", "Anemia was reported in 5%."),
    ("Foetal harm", "Quellora can cause fetal harm."),
    ("Diarrhoea", "Diarrhea was common."),
    ("Abscesses", "An abscess formed in 2 patients."),
    ("Neuropathy peripheral", "Peripheral neuropathy was reported."),
    ("Rash generalised", "A generalized rash was seen."),
    ("Cardio-respiratory arrest", "Cardiorespiratory arrest occurred."),
    ("Loss of appetite", "Decreased appetite was reported in 8%."),
    ("Intraventricular bleeding", "Intraventricular hemorrhage occurred in one infant."),
    ("Gastrointestinal symptom NOS", "Gastrointestinal symptoms were mild."),
])
def test_label_wording_variants_find_the_claim(tmp_path, claim, sentence):
    assert check(tmp_path, claim, ar(sentence))["status"] == "label adverse reaction"


def test_an_abbreviation_put_in_for_a_long_form_is_only_found_in_capitals(tmp_path):
    """'TEN' stands for toxic epidermal necrolysis; 'ten patients' is a number."""
    assert check(tmp_path, "Toxic epidermal necrolysis",
                 ar("Ten patients stopped; nausea was common."))["status"] == NOT_FOUND
    assert check(tmp_path / "2", "Toxic epidermal necrolysis",
                 ar("SJS and TEN were reported."))["status"] == "label adverse reaction"


def test_rabies_stays_rabies_and_is_not_raby(tmp_path):
    assert check(tmp_path, "Rabies", ar("Rabies vaccine reactions were seen."))["status"] == "label adverse reaction"


# -- the warned event, not its symptoms ----------------------------------------------------------------

SEROTONIN = wp("Serotonin syndrome has been reported. Symptoms of serotonin syndrome may include agitation, "
               "hallucinations, tachycardia and diarrhea.", heading="Serotonin Syndrome")


def test_a_sign_of_a_warned_event_takes_the_status_of_its_own_listing(tmp_path):
    r = check(tmp_path, "Diarrhea", SEROTONIN, ar("Diarrhea was reported in 8% of patients."))
    assert (r["status"], r["evidence_text"]) == ("label adverse reaction", "Diarrhea was reported in 8% of patients.")
    assert "set aside in 5.2 Serotonin Syndrome: a sign of another effect" in r["match_note"]
    # the warned event itself stays a warning
    assert check(tmp_path / "2", "Serotonin syndrome", SEROTONIN, ar("Diarrhea was reported."))["status"] == (
        "label warning")


def test_a_sign_named_nowhere_else_is_not_found_and_the_sign_is_the_evidence(tmp_path):
    r = check(tmp_path, "Hallucinations", SEROTONIN)
    assert r["status"] == NOT_FOUND
    assert r["evidence_text"].startswith("Symptoms of serotonin syndrome") and "a sign of another effect" in r[
        "match_note"]


MYOCARDITIS = wp("Myocarditis has occurred. Consider the possibility of myocarditis if chest pain, tachycardia, "
                 "fever or dyspnea occur in the first month.", heading="Myocarditis")


def test_the_signs_after_if_that_prompt_a_diagnosis_are_set_aside_and_the_diagnosis_is_kept(tmp_path):
    """Real labels (a clozapine label) warn 'consider the possibility of myocarditis if chest pain, tachycardia,
    fever ... occur': chest pain and fever were warnings; the hand-checked sample has them as not in the label
    or as the adverse reactions they are listed as elsewhere."""
    r = check(tmp_path, "Fever", MYOCARDITIS, ar("Fever was reported in 5% of patients."))
    assert r["status"] == "label adverse reaction" and "a sign of another effect" in r["match_note"]
    assert check(tmp_path / "2", "Chest pain", MYOCARDITIS)["status"] == NOT_FOUND
    assert check(tmp_path / "3", "Myocarditis", MYOCARDITIS)["status"] == "label warning"
    # an "if" with no diagnosis before it keeps the warned event: "discontinue if a rash appears"
    assert check(tmp_path / "4", "Rash", wp("Discontinue if a rash appears."))["status"] == "label warning"


def test_an_effect_other_drugs_produce_is_context(tmp_path):
    r = check(tmp_path, "Hyperglycemia", wp("Certain drugs tend to produce hyperglycemia and may lead to loss of "
                                            "control.", heading="Interactions"))
    assert r["status"] == NOT_FOUND and "context only" in r["match_note"]


@pytest.mark.parametrize("sentence", [
    "Abdominal pain, nausea and vomiting can be symptoms of pancreatitis.",
    "Acute pulmonary reactions are commonly manifested by fever, chills and vomiting.",
    "Reactions occurring upon discontinuation include dizziness, insomnia and vomiting.",
])
def test_other_ways_of_naming_signs_are_signs_too(tmp_path, sentence):
    assert check(tmp_path, "Vomiting", wp(sentence))["status"] == NOT_FOUND


def test_monitoring_for_signs_of_the_event_names_the_event_itself(tmp_path):
    r = check(tmp_path, "Bleeding", wp("Monitor patients for signs of bleeding.", heading="Bleeding Risk"))
    assert r["status"] == "label warning" and "sign" not in (r["match_note"] or "")


def test_a_reason_for_stopping_is_not_a_boxed_warning(tmp_path):
    box = passage("boxed_warning", "Stopping Quellora early for a reason other than pathological bleeding "
                                   "raises the risk of stroke.", None, "WARNING: STOPPING EARLY RAISES THE "
                                                                       "RISK OF STROKE")
    r = check(tmp_path, "Bleeding", box, ar("Bleeding occurred in 12% of patients."))
    assert r["status"] == "label adverse reaction"
    assert "a reason, not an effect" in r["match_note"]


@pytest.mark.parametrize("sentence, why", [
    ("Use with caution in patients with a history of seizures.", "a history"),
    ("In patients with severe renal impairment, lower the dose.", "a population"),
    ("Increased mortality in elderly patients with dementia-related psychosis.", "a population"),
    ("Quellora is used for the treatment of psychosis in adults.", "the condition treated"),
])
def test_a_history_a_population_or_the_condition_treated_is_no_warning(tmp_path, sentence, why):
    claim = {"a history": "Seizures"}.get(why, "Renal impairment" if "renal" in sentence else "Psychosis")
    r = check(tmp_path, claim, wp(sentence))
    assert r["status"] == NOT_FOUND and why in r["match_note"]


def test_a_contraindication_naming_its_patients_lists_no_effect_one_reporting_it_does(tmp_path):
    named = passage("contraindications", "Quellora is contraindicated in patients with a history of seizures.",
                    "4", "CONTRAINDICATIONS")
    assert check(tmp_path, "Seizures", named)["status"] == NOT_FOUND
    reported = passage("contraindications", "Seizures have been reported after a single dose.", "4",
                       "CONTRAINDICATIONS")
    assert check(tmp_path / "2", "Seizures", reported)["status"] == "label contraindication"


@pytest.mark.parametrize("sentence", [
    "There is a potentially relevant interaction between Quellora and drugs that raise liver enzymes.",
    "Concomitant use with opioids may result in coma.",
    "Quellora may mask tachycardia occurring with hypoglycemia.",
])
def test_an_interaction_or_a_masked_sign_is_context(tmp_path, sentence):
    claim = "coma" if "coma" in sentence else "hypoglycemia" if "mask" in sentence else "Liver enzymes"
    assert check(tmp_path, claim, wp(sentence))["status"] == NOT_FOUND


def test_a_word_qualifying_another_effect_is_not_that_effect(tmp_path):
    box = passage("boxed_warning", "Long-acting agonists raise the risk.", None, "WARNING: ASTHMA-RELATED DEATH")
    r = check(tmp_path, "Asthma", box, ar("Asthma occurred in 2% of patients."))
    assert r["status"] == "label adverse reaction"


# -- a claim must be specific --------------------------------------------------------------------------

@pytest.mark.parametrize("claim", ["place", "Time", "black"])
def test_one_everyday_word_with_no_medical_reading_is_not_specific(tmp_path, claim):
    """Page fragments gave 'place' a contraindication ('unless a pacemaker is in place')."""
    r = check(tmp_path, claim, passage("contraindications", "Do not use unless a pacemaker is in place.", "4",
                                       "CONTRAINDICATIONS"), ar("At the time of dosing, black stools were seen."))
    assert r["status"] == "not specific" and "everyday word" in r["match_note"]


@pytest.mark.parametrize("claim", ["Rash", "glaucoma", "Fall", "thrombocytopenia"])
def test_a_word_with_a_medical_reading_is_searched(tmp_path, claim):
    r = check(tmp_path, claim, ar("Rash, glaucoma, fall and thrombocytopenia were reported."))
    assert r["status"] == "label adverse reaction"


@pytest.mark.parametrize("claim", ["Retching", "Suicide", "crying", "gasping"])
def test_an_everyday_word_that_names_a_labelled_event_is_searched(tmp_path, claim):
    """TAC's hand-marked labels list 'Retching' 15 times and 'Suicide' 18: the dictionary knows both as verbs
    too, and they were refused as everyday words (effect_words.csv now names them, with a note)."""
    r = check(tmp_path, claim, ar("In infants, gasping and crying occurred in 2%; retching in 1% of patients; "
                                  "a suicide was reported in the open-label extension."))
    assert r["status"] == "label adverse reaction"


def test_an_everyday_word_the_label_lists_on_its_own_is_searched(tmp_path):
    table = LabelTable("Table 2", (("Reaction", "Quellora %"),), (("Hoarseness", "4"), ("Clumsy", "2")))
    assert check(tmp_path, "clumsy", ar("Table 2 lists them.", tables=(table,)))["status"] == "label adverse reaction"


@pytest.mark.parametrize("sentence, claim", [
    ("Prescribe with care to patients with a history of asthma, glaucoma, or enlargement of the prostate.",
     "Glaucoma"),
    ("Women with a history of ectopic pregnancy, tubal surgery or pelvic infection are at higher risk.",
     "Pelvic infection"),
])
def test_a_history_reaches_the_items_of_its_list(tmp_path, sentence, claim):
    assert check(tmp_path, claim, wp(sentence))["status"] == NOT_FOUND


def test_an_effect_after_a_population_named_before_a_comma_is_listed(tmp_path):
    r = check(tmp_path, "Nausea", wp("In patients with renal impairment, nausea occurred more often."))
    assert r["status"] == "label warning"
