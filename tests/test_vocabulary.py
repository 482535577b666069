"""Severity vocabulary: tier names as sites write them, typos included, map to one ordered level."""
from __future__ import annotations

import pandas as pd
import pytest

from explorer.schema import SEVERITY_DTYPE, SEVERITY_LEVELS, correct_word, normalise_severity


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
def test_tier_names(tier, severity):
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


def test_every_result_is_a_level_of_the_ordered_dtype():
    results = {normalise_severity(t) for t in ("Common", "Uncommon", "Rare", "Severe")}
    assert results == set(SEVERITY_LEVELS)
    assert SEVERITY_DTYPE.ordered and list(SEVERITY_DTYPE.categories) == list(SEVERITY_LEVELS)
    s = pd.Series(["serious", "common", "rare", "less common"], dtype=SEVERITY_DTYPE)
    assert list(s.sort_values()) == ["common", "less common", "rare", "serious"]


def test_correct_word():
    assert correct_word("Uncommmon") == "uncommon"
    assert correct_word("SERIOUS") == "serious"
    assert correct_word("rarity") == "rarity"
    assert correct_word("lest") == "lest"
