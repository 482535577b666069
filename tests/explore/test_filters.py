"""explorer.explore.filters: FilterState and filter_rows, pure functions of a DataFrame and a state."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from explorer.corpus.tables import frame
from explorer.explore.filters import FilterState, contains, filter_mask, filter_rows


@pytest.fixture(scope="module")
def side_effects(seed_corpus) -> pd.DataFrame:
    return seed_corpus.side_effects


def test_empty_state_returns_the_frame_itself_uncopied(side_effects):
    assert filter_rows(side_effects, FilterState()) is side_effects


def test_state_normalises_its_fields_and_never_changes():
    s = FilterState(drugs="Mirena", severities=["serious"], search="  clots ")
    assert (s.drugs, s.severities, s.search) == (("Mirena",), ("serious",), "clots")
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.search = "x"
    t = s.replace(search=" pain ")
    assert (s.search, t.search, t.severities) == ("clots", "pain", ("serious",))
    assert FilterState(search="   ").is_empty and not s.is_empty


def test_unknown_severity_is_refused():
    with pytest.raises(ValueError, match="unknown severity"):
        FilterState(severities=["deadly"])


def test_seed_rows_by_severity_condition_and_drug(side_effects):
    # the seed page lists three serious side effects, three common ones and three less common ones
    serious = filter_rows(side_effects, FilterState(severities=("serious",)))
    assert list(serious["name"]) == ["Perforation of the uterus", "Infection", "Blood clots"]
    assert len(filter_rows(side_effects, FilterState(severities=("common", "serious")))) == 6
    assert len(filter_rows(side_effects, FilterState(conditions=("Back Pain",)))) == 9
    assert filter_rows(side_effects, FilterState(conditions=("Acne",))).empty
    assert filter_rows(side_effects, FilterState(drugs=("Nope",))).empty


def test_search_is_case_insensitive_literal_and_covers_descriptions(side_effects):
    # "lungs" is only in the description of "Blood clots"; "(" would be a broken regular expression
    assert list(filter_rows(side_effects, FilterState(search="LUNGS"))["name"]) == ["Blood clots"]
    assert list(filter_rows(side_effects, FilterState(search="headache"))["name"]) == ["Headaches"]
    assert filter_rows(side_effects, FilterState(search="(")).empty


def test_same_state_filters_other_tables_by_the_columns_they_have(seed_corpus):
    state = FilterState(conditions=("Back Pain",), severities=("serious",))
    assert len(filter_rows(seed_corpus.related, state)) == 35  # no severity column: ignored
    assert len(filter_rows(seed_corpus.advice, state.replace(search="check-ups"))) == 2


def test_search_covers_the_claims_and_label_terms_of_the_label_check():
    claims = pd.DataFrame({"claim": ["Uterus perforation", "Rash"],
                           "label_term": ["uterine perforation", pd.NA]})
    assert filter_mask(claims, FilterState(search="UTERINE")).tolist() == [True, False]
    assert filter_mask(claims, FilterState(search="rash")).tolist() == [False, True]


def test_row_with_an_unrecognised_tier_is_dropped_by_any_severity_filter():
    rows = [("p.txt", "ab" * 32, 3, "D", "C", "Occasional", None, "Itch", None, False),
            ("p.txt", "ab" * 32, 4, "D", "C", "Rare", "rare", "Rash", None, False)]
    df = frame("side_effects", rows)
    assert filter_rows(df, FilterState(severities=("common",))).empty
    assert list(filter_rows(df, FilterState(severities=("rare",)))["name"]) == ["Rash"]
    assert len(filter_rows(df, FilterState())) == 2


def test_filter_mask_equals_a_plain_boolean_expression(medium):
    se = medium.side_effects
    drugs = [str(d) for d in se["drug"].cat.categories[:3]]
    conditions = [str(c) for c in se["condition"].cat.categories[::3]]
    state = FilterState(drugs=drugs, conditions=conditions, severities=("rare", "serious"), search="EFFECT 01")
    plain = se.astype({c: object for c in ("drug", "condition", "severity", "name", "description")})
    expected = (plain["drug"].isin(drugs) & plain["condition"].isin(conditions)
                & plain["severity"].isin(["rare", "serious"])
                & (plain["name"].str.lower().str.contains("effect 01", regex=False)
                   | plain["description"].str.lower().str.contains("effect 01", regex=False)))
    assert expected.any()
    np.testing.assert_array_equal(filter_mask(se, state), expected.to_numpy())
    np.testing.assert_array_equal(filter_mask(plain, state), expected.to_numpy())


def test_contains_on_a_categorical_equals_contains_on_its_strings():
    values = pd.Series(["Headache", None, "HEADACHES", "Acne", "head (rare)", "Acne"])
    for text in ("head", "(", "ACNE", "zzz"):
        assert contains(values.astype("category"), text).tolist() == contains(values, text).tolist()
    assert contains(values, "head").tolist() == [True, False, True, False, True, False]
