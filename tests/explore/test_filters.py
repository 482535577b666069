"""FilterState and filter_rows: pure functions of a DataFrame and an immutable state."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pandera.errors
import pytest

import explorer
from explorer import FilterState, filter_rows
from explorer.corpus import SCHEMAS, frame


@pytest.fixture(scope="module")
def side_effects() -> pd.DataFrame:
    return explorer.load().side_effects


def test_empty_state_returns_the_frame_itself(side_effects):
    assert filter_rows(side_effects, FilterState()) is side_effects


def test_state_is_immutable_and_replace_makes_a_new_one():
    s = FilterState(severities=["serious"])
    assert s.severities == ("serious",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.search = "x"
    t = s.replace(search="  clots ")
    assert (s.search, t.search, t.severities) == ("", "clots", ("serious",))


def test_unknown_severity_is_refused():
    with pytest.raises(ValueError, match="unknown severity"):
        FilterState(severities=["deadly"])


def test_filters_by_severity_condition_drug_and_text(side_effects):
    serious = filter_rows(side_effects, FilterState(severities=("serious",)))
    assert list(serious["name"]) == ["Perforation of the uterus", "Infection", "Blood clots"]
    two = filter_rows(side_effects, FilterState(severities=("common", "serious")))
    assert len(two) == 6
    assert len(filter_rows(side_effects, FilterState(conditions=("Back Pain",)))) == 9
    assert filter_rows(side_effects, FilterState(conditions=("Acne",))).empty
    assert filter_rows(side_effects, FilterState(drugs=("Nope",))).empty
    # search is case-insensitive, over name and description, literal (not a regex)
    assert list(filter_rows(side_effects, FilterState(search="LUNGS"))["name"]) == ["Blood clots"]
    assert list(filter_rows(side_effects, FilterState(search="headache"))["name"]) == ["Headaches"]
    assert filter_rows(side_effects, FilterState(search="(")).empty


def test_same_state_filters_other_tables_by_the_columns_they_have():
    corpus = explorer.load()
    state = FilterState(conditions=("Back Pain",), severities=("serious",))
    assert len(filter_rows(corpus.related, state)) == 35  # no severity column: ignored
    assert len(filter_rows(corpus.advice, state.replace(search="check-ups"))) == 2


def test_schema_rejects_rows_without_valid_provenance(side_effects):
    bad = side_effects.copy()
    bad.loc[0, "line"] = 0
    with pytest.raises(pandera.errors.SchemaError):
        SCHEMAS["side_effects"].validate(bad)


def test_unrecognised_tier_keeps_its_text_and_has_no_severity():
    rows = [("p.txt", "ab" * 32, 3, "D", "C", "Occasional", None, "Itch", None)]
    df = frame("side_effects", rows)
    SCHEMAS["side_effects"].validate(df)
    assert df.loc[0, "tier"] == "Occasional" and pd.isna(df.loc[0, "severity"])
    assert filter_rows(df, FilterState(severities=("common",))).empty
    assert len(filter_rows(df, FilterState())) == 1


def test_schema_requires_the_large_text_columns_to_be_categorical(side_effects):
    plain = side_effects.assign(name=side_effects["name"].astype("string"))
    with pytest.raises(pandera.errors.SchemaError, match="_large_categoricals"):
        SCHEMAS["side_effects"].validate(plain)
