"""The page vocabulary (explorer.vocabulary): every severity bucket has its colour and its label; names
are folded by explorer.text's one rule. (Tier words -> severity: tests/pages/test_tiers.py.)"""
from __future__ import annotations

import re

import pytest

from explorer.vocabulary import (
    BUCKET_COLOURS, SEVERITY_BUCKETS, SEVERITY_COLOURS, SEVERITY_LEVELS, UNRECOGNISED_TIER, fold_name,
    severity_label,
)


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


def test_fold_name_is_the_one_text_fold():
    assert fold_name("  Raynaud’s  Phenomenon. ") == "raynaud's phenomenon"
