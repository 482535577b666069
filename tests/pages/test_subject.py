"""explorer.pages.subject: the drug and condition of a page from its headline or its address."""
from __future__ import annotations

import pytest

from explorer.pages.subject import subject_from_address, subject_from_heading


@pytest.mark.parametrize("heading, drug, condition", [
    ("Gabapentin for Anxiety", "Gabapentin", "Anxiety"),
    ("Gabapentin for Anxiety: Uses, Side Effects and Contraindications", "Gabapentin", "Anxiety"),  # subtitle
    ("Zoloft for Depression | HealthSite", "Zoloft", "Depression"),
    ("Using Gabapentin for Nerve Pain - what I learned", "Gabapentin", "Nerve Pain"),
    ("How does prednisone work for asthma?", "Prednisone", "Asthma"),  # a question, read, not split at " for "
    ("Can metformin help with PCOS?", "Metformin", "PCOS"),
    ("Dosing Strategies for Treating Anxiety with Sertraline", "Sertraline", "Anxiety"),  # reversed
    ("Lowering High Cholesterol with Atorvastatin: A Patient Guide", "Atorvastatin", "High Cholesterol"),
    ("Trazodone Side Effects", "Trazodone", None),  # no condition named: none invented
    ("Common Side Effects and Overdose Symptoms of Trazodone", "Trazodone", None),
    ("Lisinopril (Zestril) side effects and warnings", "Lisinopril", None),
    ("Mirena for Back Pain", "Mirena", "Back Pain"),
    ("Osteoarthritis and Celecoxib: What to Expect", "Celecoxib", "Osteoarthritis"),  # condition named first
    ("Pantoprazole vs Omeprazole for Acid Reflux", "Pantoprazole", "Acid Reflux"),  # a comparison: the first
])
def test_headline_shapes_give_the_drug_and_the_condition(heading, drug, condition):
    found = subject_from_heading(heading)
    assert (found.drug, found.condition) == (drug, condition)
    assert found.drug_from == "title" and found.condition_from == ("title" if condition else None)


@pytest.mark.parametrize("heading", ["Coping with Anxiety Naturally", "Guide for Parents", "Tips for Beginners",
                                     "Side effects explained", "", "Alcohol and Gabapentin",
                                     "Gabapentin and Pregabalin"])
def test_a_headline_naming_no_known_drug_gives_nothing(heading):
    assert subject_from_heading(heading) is None


def test_names_from_the_label_store_or_metadata_count_as_known_drugs():
    assert subject_from_heading("Zorvalex for Migraine") is None
    assert subject_from_heading("Zorvalex for Migraine", ["Zorvalex"])[:2] == ("Zorvalex", "Migraine")


@pytest.mark.parametrize("address, drug, condition", [
    ("https://pharmacy.test/blog/gabapentin-for-anxiety", "Gabapentin", "Anxiety"),
    ("https://pharmacy.test/blog/gabapentin-for-anxiety/", "Gabapentin", "Anxiety"),
    ("https://clinic.test/drugs/trazodone/insomnia", "Trazodone", "Insomnia"),
    ("https://clinic.test/drugs/trazodone/side-effects", "Trazodone", None),  # a kind of page, not a condition
    ("pages/2024/using-sertraline-for-panic-attacks.html", "Sertraline", "Panic Attacks"),
    ("crawl/metformin.html", "Metformin", None),
])
def test_addresses_and_file_names_give_the_drug_and_the_condition(address, drug, condition):
    found = subject_from_address(address)
    assert (found.drug, found.condition) == (drug, condition) and found.drug_from == "address"


def test_an_address_naming_no_known_drug_gives_nothing():
    assert subject_from_address("https://news.test/health/coping-with-anxiety") is None


@pytest.mark.parametrize("texts, opening, anywhere, condition", [
    (["Doctors prescribe it to adults who have high cholesterol."], [], [], "high cholesterol"),
    (["Is it used for depression?", "People who have an infection should not be given it."], [], [], None),
    (["Its side effects are milder than when it is used for depression."], [], [], None),  # a comparison
    (["It is used for chest, ear, throat and skin infections."], [], [], "infections"),  # the shared head
    (["Doctors use it to lower blood pressure."], [], [], "high blood pressure"),  # a measure's condition
    ([], ["medications, Polycystic Ovary Syndrome (PCOS), metformin, insulin"], [], "Polycystic Ovary Syndrome"),
    ([], ["Statins can cause diabetes in a few people."], [], None),  # the opening names a risk
    ([], [], ["My son takes it to keep his asthma under control."], "asthma"),
    ([], [], ["Call us if your rash spreads.", "My headache was awful."], None),  # "your", a symptom
])
def test_the_condition_from_the_text(texts, opening, anywhere, condition):
    from explorer.pages.subject import condition_from_text

    assert condition_from_text(texts, "Zorvalex", opening=opening, anywhere=anywhere) == condition
