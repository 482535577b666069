"""explorer.pages.general: side effects from pages of other sites, with their tiers, lines and traps.

The pages are written here, in our own words, in the shapes real sites use.
"""
from __future__ import annotations

import pytest

from explorer.pages.decode import PageError
from explorer.pages.general import extract
from explorer.pages.lines import text_lines
from explorer.pages.records import Source
from explorer.pages.subject import Subject


def read(text: str, path: str = "page.txt", **kwargs):
    return extract(text_lines(text), Source(path, "0" * 64), **kwargs)


def effects(article) -> list[tuple]:
    return [(s.name, s.tier, s.severity) for s in article.side_effects]


LEAFLET = """Print | Email | Text size
Trazodone Side Effects

Side effects that need attention

More common:
    Blurred vision
    Swelling of the hands or feet

Less common: confusion; fast heartbeat
Rare:
    Fainting

Incidence not known:
    Skin rash with blisters
"""


def test_leaflet_labels_give_tiers_to_plain_items_and_inline_lists():
    article = read(LEAFLET)
    assert (article.drug, article.condition, article.extractor) == ("Trazodone", None, "general")
    assert (article.drug_from, article.condition_from, article.title_line) == ("title", None, 2)
    assert effects(article) == [
        ("Blurred vision", "More common", "common"), ("Swelling of the hands or feet", "More common", "common"),
        ("confusion", "Less common", "less common"), ("fast heartbeat", "Less common", "less common"),
        ("Fainting", "Rare", "rare"), ("Skin rash with blisters", "Incidence not known", None)]
    assert [s.line for s in article.side_effects] == [7, 8, 10, 10, 12, 15]


LEAD_INS = """MindCare Blog | Services | Book a visit
By Dr. A. Writer
- Medically reviewed by a pharmacist
- 6 min read

Starting Sertraline for Anxiety: What to Expect

Sertraline helps many people by:
- Easing constant worry
- Improving sleep over time

Symptoms of anxiety include:
- Racing thoughts
- Restlessness

The most common side effects include:
* Nausea: usually in the first two weeks
* Loose stools – settles with time
* Sweating → worse at night
1) Trouble sleeping (take it in the morning)

Call your doctor right away if you have:
• Thoughts of harming yourself
◦ Severe restlessness you cannot control

You should not take it if you:
- Take an MAOI medicine
- Had an allergic reaction to it before

Related articles
- Sertraline for Panic Disorder
- Sertraline for OCD
"""


def test_lead_ins_give_tiers_and_traps_give_nothing():
    article = read(LEAD_INS)
    assert (article.drug, article.condition, article.condition_from) == ("Sertraline", "Anxiety", "title")
    common, act = "The most common side effects include", "Call your doctor right away if you have"
    assert effects(article) == [
        ("Nausea", common, "common"), ("Loose stools", common, "common"), ("Sweating", common, "common"),
        ("Trouble sleeping", common, "common"),
        ("Thoughts of harming yourself", act, "serious"), ("Severe restlessness you cannot control", act, "serious")]
    described = {s.name: s.description for s in article.side_effects}
    assert described["Nausea"] == "usually in the first two weeks" and described["Sweating"] == "worse at night"
    assert described["Trouble sleeping"] == "take it in the morning"


TIERS_THEN_NONE = """# Metformin for Type 2 Diabetes

## Common side effects
- Upset stomach
- Metallic taste

## Other effects people mention
- Tiredness

## Rare but serious
- Lactic acidosis
"""


def test_items_under_no_tier_never_take_the_previous_tiers_severity():
    article = read(TIERS_THEN_NONE, "metformin.md")
    assert effects(article) == [
        ("Upset stomach", "Common side effects", "common"), ("Metallic taste", "Common side effects", "common"),
        ("Tiredness", "Other effects people mention", None), ("Lactic acidosis", "Rare but serious", "serious")]


PROSE_AND_TABLE = """Ibuprofen for Back Pain

Side effects
Common side effects include heartburn, mild stomach pain and bloating. Most people
take it for a few days without trouble.

| Side effect      | How often  | What to do            |
|------------------|------------|-----------------------|
| Indigestion      | Common     | Take it with food     |
| Black stools     | Rare       | Stop and call us      |
"""


def test_table_rows_take_their_tier_cell_and_prose_beside_them_is_not_read_twice():
    article = read(PROSE_AND_TABLE)
    # the prose sentence stands in the same section as the table: it sums the list up, it adds no item
    assert [(s.name, s.severity, s.from_prose, s.line) for s in article.side_effects] == [
        ("Indigestion", "common", False, 9), ("Black stools", "rare", False, 10)]


PROSE_SECTION = """Ibuprofen for Back Pain

Common side effects
Common side effects include heartburn, mild stomach pain and bloating. Most people
take it for a few days without trouble.

Serious side effects
- Black stools
"""


def test_prose_enumerations_in_a_section_without_a_list_are_read_and_marked():
    article = read(PROSE_SECTION)
    assert [(s.name, s.severity, s.from_prose, s.line) for s in article.side_effects] == [
        ("heartburn", "common", True, 4), ("mild stomach pain", "common", True, 4), ("bloating", "common", True, 4),
        ("Black stools", "serious", False, 8)]


WRAPPED = """Escitalopram Side Effects

Common side effects
- Feeling sick, which for most people passes within the first week or two of
  treatment
- Headache
"""


def test_an_item_wrapped_over_two_lines_is_one_item_and_its_clause_a_description():
    article = read(WRAPPED)
    assert [(s.name, s.line) for s in article.side_effects] == [("Feeling sick", 4), ("Headache", 6)]
    assert article.side_effects[0].description.startswith("which for most people passes")


def test_a_page_with_no_findable_drug_fails_with_a_clear_reason_not_line_15():
    with pytest.raises(PageError) as e:
        read("Coping with Anxiety Naturally\n\nCommon side effects\n- Worry\n")
    assert e.value.line == 1 and "a drug named by the crawl metadata, a title or heading, the address" in e.value.expected


def test_drug_and_condition_come_from_metadata_first_then_the_title_then_the_address():
    page = "Side effects you should know about\n\nCommon\n- Drowsiness\n"
    from_meta = read(page, meta=Subject("Gabapentin", "Hot Flashes"))
    assert (from_meta.drug, from_meta.condition, from_meta.drug_from, from_meta.condition_from) == (
        "Gabapentin", "Hot Flashes", "meta", "meta")
    from_address = read(page, address="https://pharmacy.test/blog/gabapentin-for-anxiety")
    assert (from_address.drug, from_address.condition, from_address.drug_from) == ("Gabapentin", "Anxiety", "address")
    titled = read("Trazodone Side Effects\n\nCommon\n- Drowsiness\n", address="https://x.test/drugs/trazodone/insomnia")
    # the title names the drug, the address the condition: each from the first source that names it
    assert (titled.drug_from, titled.condition, titled.condition_from) == ("title", "Insomnia", "address")
    given = read(page, given=Subject("Metformin", None))
    assert (given.drug, given.condition, given.drug_from, given.condition_from) == ("Metformin", None, "given", None)


def test_durations_and_percentages_of_a_general_page_are_kept_for_the_label_check():
    article = read("Gabapentin for Anxiety: What to Expect\n\nMost people notice calm within two weeks,\n"
                   "and about 12% feel drowsy at first.\n\nCommon:\n- Drowsiness\n")
    assert [(n.quantity, n.text, n.line) for n in article.numbers] == [
        ("duration", "two weeks", 3), ("percentage", "12%", 4)]


FREQUENCY_LABELS = """Pharmacy leaflet: Ramipril for High Blood Pressure

Side effects by how often they happen

Very common (more than 1 in 10 people):
- Dry cough

Uncommon (up to 1 in 100 people):
- Itching
"""

LISTICLE = """Wellness list | Home | Shop

5 Side Effects of Gabapentin Worth Knowing

Written by a staff writer
Last updated: 2 May 2024

1. Drowsiness
Most people feel it in the first week.

2. Swollen ankles
It tends to come later.

3. Weeks two to four
A note on timing, not a side effect.
"""


def test_frequency_labels_with_parentheses_are_tiers():
    assert effects(read(FREQUENCY_LABELS)) == [
        ("Dry cough", "Very common (more than 1 in 10 people)", "common"),
        ("Itching", "Uncommon (up to 1 in 100 people)", "less common")]


def test_a_listicle_gives_one_side_effect_per_numbered_heading_but_not_its_timeline_steps():
    article = read(LISTICLE)
    assert (article.drug, article.title_line) == ("Gabapentin", 3)
    assert [(s.name, s.tier, s.severity, s.line) for s in article.side_effects] == [
        ("Drowsiness", "", None, 8), ("Swollen ankles", "", None, 11)]


@pytest.mark.parametrize("sentence, names", [
    ("The most commonly reported side effects are nausea, headache and dizziness.",
     ["nausea", "headache", "dizziness"]),
    ("Side effects are usually mild and short-lived, and most settle within days.", []),
    ("Side effects were rare and mild in the trial.", []),
])
def test_side_effects_are_sentences_list_only_when_they_name_effects(sentence, names):
    article = read(f"Losartan Side Effects\n\n{sentence}\n")
    assert [s.name for s in article.side_effects] == names
    assert all(s.from_prose for s in article.side_effects)
