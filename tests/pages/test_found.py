"""explorer.pages.found: what the general extractor keeps of the items it read."""
from __future__ import annotations

from explorer.pages.found import Found
from explorer.pages.names import drug_vocabulary
from explorer.pages.records import SideEffect


def names(effects) -> list[str]:
    return [e.name for e in effects]


def test_dose_lines_drug_names_and_frequency_words_inside_items():
    found = Found(drug_vocabulary())
    found.add("", None, "Adults with High Blood Pressure", "25 to 100 milligrams daily", 1, 1, 1)
    found.add("", None, "Wellbutrin", None, 2, 1, 1)
    found.add("Post-marketing", None, "rarely pancreatitis", None, 3, 1, 1)
    found.add("", None, "Headache,", None, 4, 1, 1)
    kept = found.kept([])
    assert [(e.name, e.tier, e.severity) for e in kept] == [("pancreatitis", "rarely", "rare"), ("Headache", "", None)]


def test_a_list_of_accidents_is_left_out():
    found = Found(drug_vocabulary())
    for line, name in enumerate(["have a fall or an accident", "get a hard knock to your head", "cannot stop bleeding"]):
        found.add("Get help if you", "serious", name, None, line, 1, 2)
    found.add("Seek advice if you", "serious", "pass black stools", None, 9, 1, 1)
    assert names(found.kept([])) == ["pass black stools"]


def test_prose_counts_only_in_a_section_without_a_list_and_once_per_page():
    found = Found(drug_vocabulary())
    found.add("Serious", "serious", "Seizures", None, 10, 2, 1)
    prose = [(SideEffect("Common", "common", "Nausea", None, 3, True), 1),
             (SideEffect("Common", "common", "seizures", None, 4, True), 1),  # said as an item already
             (SideEffect("", None, "Tiredness", None, 12, True), 2),  # beside the list of section 2
             (SideEffect("", None, "nausea", None, 14, True), 3)]  # said in prose already
    assert names(found.kept(prose)) == ["Nausea", "Seizures"]
