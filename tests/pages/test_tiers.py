"""explorer.pages.tiers: the one tier vocabulary: a tier as written -> severity, from the cue words kept as
data, typos corrected; the template parser and the general extractor read tiers alike."""
from __future__ import annotations

import csv

import pytest

from explorer.config import REFERENCE_DIR
from explorer.pages.tiers import TIER_WORDS_FILE, correct_word, names_tier, tier_levels, tier_severity
from explorer.vocabulary import SEVERITY_LEVELS


@pytest.mark.parametrize("tier, severity", [
    ("More common", "common"), ("Most Common Side Effects", "common"), ("The most common side effects include",
                                                                        "common"),
    ("Less common", "less common"), ("Uncommon", "less common"), ("Rare", "rare"), ("Very rare", "rare"),
    ("Serious side effects", "serious"), ("Severe", "serious"), ("Major", "serious"),
    ("When to seek medical help", "serious"), ("Call your doctor right away if you have", "serious"),
    ("can cause rare but serious side effects, including", "serious"),  # the most serious cue wins
    ("Incidence not known", None), ("Frequency unknown", None),  # not known is not a guess
    ("Mild", None), ("Minor", None), ("Other effects", None), ("", None), (None, None),  # unknown stays unknown
    # a seriousness cue turned around is no cue; a frequency cue beside it still counts
    ("Side effects not requiring immediate medical attention", None), ("Less serious side effects", None),
    ("Non-serious side effects", None), ("Less common side effects that do not need medical attention", "less common"),
    ("Less common but serious", "serious"), ("Do not stop it; call your doctor right away if you have", "serious"),
])
def test_tier_words_give_the_severity(tier, severity):
    assert tier_severity(tier) == severity


def test_every_cue_has_a_known_severity_and_a_note():
    with open(REFERENCE_DIR / TIER_WORDS_FILE, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["note"].strip() for r in rows)
    assert {r["severity"] for r in rows} <= {"", "common", "less common", "rare", "serious"}


def test_names_tier_tells_tier_words_from_other_text():
    assert names_tier("Less common:") and names_tier("Incidence not known")
    assert not names_tier("Dosage") and not names_tier("Benefits of the medicine")


@pytest.mark.parametrize("tier, severity", [
    ("Common", "common"),
    ("common", "common"),
    ("Very Common", "common"),
    ("Most Common", "common"),
    ("Frequent", "common"),
    ("Less Common", "less common"),
    ("Less common", "less common"),
    ("Uncommon", "less common"),
    ("Infrequent", "less common"),
    ("Not So Common", "less common"),
    ("Rare", "rare"),
    ("Very Rare", "rare"),
    ("Rarely Reported", "rare"),
    ("Serious", "serious"),
    ("Severe", "serious"),
    ("Less Common but Serious", "serious"),  # the most severe word wins
    ("Rare but Serious", "serious"),
    ("Common, Sometimes Rare", "rare"),
])
def test_tier_names_map_to_their_level(tier, severity):
    assert tier_severity(tier) == severity


@pytest.mark.parametrize("tier, severity", [
    ("Comon", "common"),
    ("Commmon", "common"),
    ("Les Common", "less common"),
    ("Less Comon", "less common"),
    ("Uncomon", "less common"),
    ("Seriuos", "serious"),
    ("Serous", "serious"),
    ("Sevre", "serious"),
])
def test_typos_are_corrected(tier, severity):
    assert tier_severity(tier) == severity


@pytest.mark.parametrize("tier", [
    "Mild", "Other", "Long-Term", "Weird", "", "Less Serious", "Non-serious", "Not Severe",
    "Care", "More",  # one letter from "rare", but short words are never corrected
    "Several",  # close to "severe", not close enough
])
def test_unknown_tiers_get_no_severity(tier):
    assert tier_severity(tier) is None


def test_each_level_is_reached_from_its_own_tier_name():
    assert [tier_severity(t) for t in ("Common", "Uncommon", "Rare", "Severe")] == list(SEVERITY_LEVELS)


def test_the_most_severe_word_wins_in_any_order():
    for a in SEVERITY_LEVELS:
        for b in SEVERITY_LEVELS:
            tier = f"{a} or {b}".replace("less common", "uncommon")
            expected = max(a, b, key=SEVERITY_LEVELS.index)
            assert tier_severity(tier) == expected, tier


@pytest.mark.parametrize("word, corrected", [
    ("Uncommmon", "uncommon"),  # one letter too many
    ("SERIOUS", "serious"),  # case only
    ("Infrequnt", "infrequent"),
    ("rarity", "rarity"),  # a real word that is no tier stays itself
    ("lest", "lest"),  # short words are never corrected
    ("sunny", "sunny"),
])
def test_correct_word_fixes_typos_of_tier_words_only(word, corrected):
    assert correct_word(word) == corrected


@pytest.mark.parametrize("tier", ["Not so common", "Not So Common", "not very common", "Less frequent"])
def test_not_so_common_reads_less_common_everywhere(tier):
    from explorer.pages.headings import _cued_kind

    assert tier_severity(tier) == "less common"
    # the template's headings read the tier through the same function
    assert _cued_kind(f"{tier} Side Effects", None, None) == ("tier", tier)


def test_levels_named_by_a_tier():
    assert tier_levels("Common and less common side effects") == {"common", "less common"}
    assert tier_levels("Less serious side effects") == frozenset()
