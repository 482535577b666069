"""explorer.pages.tiers: a tier as written -> severity, from the cue words kept as data."""
from __future__ import annotations

import csv

import pytest

from explorer.config import REFERENCE_DIR
from explorer.pages.tiers import TIER_WORDS_FILE, names_tier, tier_severity


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
