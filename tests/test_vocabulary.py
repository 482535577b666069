"""The page vocabulary (explorer.vocabulary): tier names as sites write them, typos included, map to one
ordered severity level; every severity bucket has its colour and its label."""
from __future__ import annotations

import re

import pytest

from explorer.vocabulary import (
    BUCKET_COLOURS, SEVERITY_BUCKETS, SEVERITY_COLOURS, SEVERITY_LEVELS, UNRECOGNISED_TIER, correct_word,
    normalise_severity, severity_label,
)


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
    assert normalise_severity(tier) == severity


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
    assert normalise_severity(tier) == severity


@pytest.mark.parametrize("tier", [
    "Mild", "Other", "Long-Term", "Weird", "", "Less Serious", "Non-serious", "Not Severe",
    "Care", "More",  # one letter from "rare", but short words are never corrected
    "Several",  # close to "severe", not close enough
])
def test_unknown_tiers_get_no_severity(tier):
    assert normalise_severity(tier) is None


def test_each_level_is_reached_from_its_own_tier_name():
    assert [normalise_severity(t) for t in ("Common", "Uncommon", "Rare", "Severe")] == list(SEVERITY_LEVELS)


def test_the_most_severe_word_wins_in_any_order():
    for a in SEVERITY_LEVELS:
        for b in SEVERITY_LEVELS:
            tier = f"{a} or {b}".replace("less common", "uncommon")
            expected = max(a, b, key=SEVERITY_LEVELS.index)
            assert normalise_severity(tier) == expected, tier


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


def test_every_bucket_has_its_own_colour():
    assert SEVERITY_BUCKETS == (*SEVERITY_LEVELS, UNRECOGNISED_TIER)
    assert set(BUCKET_COLOURS) == set(SEVERITY_BUCKETS) and set(SEVERITY_COLOURS) == set(SEVERITY_LEVELS)
    colours = list(BUCKET_COLOURS.values())
    assert len(set(colours)) == len(colours)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours)


@pytest.mark.parametrize("severity, label", [
    ("common", "Common"), ("less common", "Less common"), ("serious", "Serious"),
    (UNRECOGNISED_TIER, "Unrecognised tier"), ("", ""),
])
def test_severity_label_capitalises_the_first_letter(severity, label):
    assert severity_label(severity) == label
