"""The pandera schemas: one per stored table, matching the stored columns, and refusing rows without
provenance, wrongly typed columns and values outside the vocabularies (numbers table included)."""
from __future__ import annotations

import pandas as pd
import pandera.errors
import pytest

from explorer.corpus.schemas import NUMBERS, SCHEMAS, SENTENCES
from explorer.corpus.tables import PAGE_TABLES, TABLE_COLUMNS, frame

SHA = "c" * 64


@pytest.fixture(scope="module")
def side_effects(seed_corpus) -> pd.DataFrame:
    return seed_corpus.side_effects


def numbers(**changes) -> pd.DataFrame:
    """A valid numbers table of two rows (a duration range and a percentage), with ``changes`` applied
    to the first row."""
    rows = [
        {"source_file": "pages/zelnora.txt", "sha256": SHA, "line": 5, "drug": "Zelnora", "condition": "Dry Eyes",
         "quantity": "duration", "text": "two to three weeks", "low": 2.0, "high": 3.0, "unit": "week",
         "sentence": "Use the drops for two to three weeks."},
        {"source_file": "pages/zelnora.txt", "sha256": SHA, "line": 9, "drug": "Zelnora", "condition": "Dry Eyes",
         "quantity": "percentage", "text": "12%", "low": 12.0, "high": 12.0, "unit": "percent",
         "sentence": "About 12% of users feel a sting."},
    ]
    rows[0].update(changes)
    return frame("numbers", pd.DataFrame(rows))


def test_every_table_has_a_schema_with_the_stored_columns_in_order():
    assert set(SCHEMAS) == set(PAGE_TABLES) == set(TABLE_COLUMNS) - {"sentences"}  # sentences: read on its own
    assert tuple(SENTENCES.columns) == TABLE_COLUMNS["sentences"]
    for name, schema in SCHEMAS.items():
        derived = ("has_page",) if name == "related" else ()  # added on load, not stored
        assert tuple(schema.columns) == TABLE_COLUMNS[name] + derived, name


@pytest.mark.parametrize("column, value", [("line", 0), ("sha256", "abc123"), ("source_file", None)])
def test_schema_rejects_rows_without_valid_provenance(side_effects, column, value):
    bad = side_effects.copy()
    if isinstance(bad[column].dtype, pd.CategoricalDtype) and value is not None:
        bad[column] = bad[column].cat.add_categories([value])
    bad.loc[0, column] = value
    with pytest.raises(pandera.errors.SchemaError):
        SCHEMAS["side_effects"].validate(bad)


def test_schema_requires_the_large_text_columns_to_be_categorical(side_effects):
    SCHEMAS["side_effects"].validate(side_effects)  # as loaded: accepted
    plain = side_effects.assign(name=side_effects["name"].astype("string"))
    with pytest.raises(pandera.errors.SchemaError, match="columns with one category per page or text are categorical"):
        SCHEMAS["side_effects"].validate(plain)


def test_numbers_schema_accepts_durations_and_percentages_with_provenance():
    NUMBERS.validate(numbers())
    NUMBERS.validate(numbers().iloc[:0])  # a corpus whose pages state no number


@pytest.mark.parametrize("change", [
    {"unit": "fortnight"},      # not a unit the label check compares
    {"quantity": "dose"},       # neither a duration nor a percentage
    {"low": -1.0},              # numbers on a page are never negative
    {"line": 0},                # lines are 1-based
    {"sha256": "short"},        # not a sha256
])
def test_numbers_schema_rejects_values_outside_its_vocabulary(change):
    with pytest.raises(pandera.errors.SchemaError):
        NUMBERS.validate(numbers(**change))


def test_numbers_schema_rejects_missing_extra_and_reordered_columns():
    good = numbers()
    for bad in (good.drop(columns="sentence"), good.assign(note="x"),
                good[["sha256", "source_file"] + list(good.columns[2:])]):
        with pytest.raises((pandera.errors.SchemaError, pandera.errors.SchemaErrors)):
            NUMBERS.validate(bad)


def test_numbers_schema_requires_typed_columns():
    good = numbers()
    for bad in (good.assign(low=good["low"].astype(str)), good.assign(drug=good["drug"].astype("string")),
                good.assign(source_file=good["source_file"].astype("string"))):
        with pytest.raises(pandera.errors.SchemaError):
            NUMBERS.validate(bad)
