"""explorer.pages.cues: what a heading, a lead-in or a table header is about, and the tier it names."""
from __future__ import annotations

import pytest

from explorer.pages.cues import heading_kind, lead_tier, lead_topic, table_columns
from explorer.pages.subject import Subject

PAGE = Subject("Sertraline", "Anxiety")


@pytest.mark.parametrize("heading, kind", [
    ("Common Side Effects", "tier"), ("Possible Side Effects of Sertraline", "side_effects"),
    ("What Are the Side Effects of Sertraline?", "side_effects"), ("Rare but serious side effects", "tier"),
    ("Why Side Effects Happen", "other"), ("What Is Sertraline?", "other"), ("Commonly Used Brand Names", "other"),
    ("Breast Tenderness", "neutral"), ("Gastrointestinal", "neutral"), ("Drug interactions", "other"),
])
def test_headings_are_side_effects_another_topic_or_neutral(heading, kind):
    assert heading_kind(heading, PAGE)[0] == kind


@pytest.mark.parametrize("lead, topic", [
    ("The most common side effects include", "se"),
    ("Sertraline may lead to more serious side effects. Phone your doctor at once if you notice any of these", "se"),
    ("Symptoms can include", "other"), ("Never take these drugs with it. Among these drugs are", "other"),
    ("Before the side effects, it helps to see why acne is treated with it", "other"),
    ("The following are signs of an attack, not side effects of your inhaler. Call 911 if", "other"),
    ("If you want to read about side effects, see our separate page", "other"),
    ("People living with an anxiety disorder often describe", "other"), ("For example", None),
])
def test_lead_ins_announce_side_effects_or_something_else(lead, topic):
    assert lead_topic(lead, PAGE.condition) == topic


@pytest.mark.parametrize("lead, severity, named, mixed", [
    ("Here are the side effects it can bring. Tell your doctor if one is severe", None, False, False),
    ("MAJOR bleeding is a rare but serious complication. Call your clinic at once if you have", "serious", True, False),
    ("Most people have no side effects at all", None, False, False),
    ("Common and less common side effects include", None, False, True),
    ("Less serious side effects may include", None, True, False),
    ("Some examples of MINOR bleeding include", None, True, False),
])
def test_the_sentence_that_names_the_side_effects_gives_the_tier(lead, severity, named, mixed):
    assert lead_tier(lead) == (severity, named, mixed)


def test_a_tier_column_first_and_a_description_column_after_the_names():
    assert table_columns(["Category", "Frequency", "Typical Symptoms", "When to Seek Help"]) == (1, 0)
    assert table_columns(["Side effect", "How often", "What to do"]) == (0, 1)
    assert table_columns(["Dose", "When"]) is None
