"""explorer.audit.reference: label facts, label figures and synonyms loaded from data/reference.

A loaded table keeps every row of its files as written, a new drug needs only a file, and a bad value
is an error naming its file and line.
"""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from explorer.audit.reference import (LABEL_FACTS, LABEL_NUMBERS, load_label_facts, load_label_numbers,
                                      load_synonyms)
from explorer.audit import reference
from explorer.config import REFERENCE_DIR

from .conftest import FAKE_FACTS, REFERENCE_CSV


def test_label_facts_keep_every_row_and_column_of_the_csv(facts):
    raw = pd.read_csv(REFERENCE_CSV, dtype=str, keep_default_na=False)
    assert len(facts) == len(raw) and list(facts.columns[: len(raw.columns)]) == list(raw.columns)
    for col in raw.columns:
        if col == "incidence_percent":
            got = facts[col].map(lambda x: "" if pd.isna(x) else f"{x:g}").tolist()
            want = raw[col].map(lambda x: f"{float(x):g}" if x else "").tolist()
        else:
            got, want = facts[col].astype("string").fillna("").tolist(), raw[col].str.strip().tolist()
        assert got == want, col
    assert facts["reference_line"].tolist() == list(range(2, len(raw) + 2))  # line 1 is the header
    assert set(facts["reference_file"]) == {"mirena_label_facts.csv"}
    LABEL_FACTS.validate(facts)


def test_second_drug_needs_a_file_not_code(two_drugs, facts):
    both = load_label_facts(two_drugs)
    assert set(both["product"].astype(str)) == {"Mirena", "Testozanib (FAKE)"}
    assert len(both) == len(facts) + 4
    fake = both[both["product"] == "Testozanib (FAKE)"]
    assert fake["reference_file"].astype(str).unique().tolist() == ["testozanib_label_facts.csv"]
    assert fake["reference_line"].tolist() == [2, 3, 4, 5]


def test_one_long_table_of_several_drugs_works_too(tmp_path, facts):
    long = REFERENCE_CSV.read_text(encoding="utf-8") + "".join(FAKE_FACTS.splitlines(True)[1:])
    (tmp_path / "all_label_facts.csv").write_text(long, encoding="utf-8")
    both = load_label_facts(tmp_path)
    assert len(both) == len(facts) + 4
    assert both["reference_file"].astype(str).unique().tolist() == ["all_label_facts.csv"]
    assert set(both["product"].astype(str)) == {"Mirena", "Testozanib (FAKE)"}


@pytest.mark.parametrize("old, new, message", [
    ("adverse_reaction,31.9", "adverse,31.9", "mirena_label_facts.csv:4: expected category"),
    ("adverse_reaction,31.9", "adverse_reaction,131.9", "mirena_label_facts.csv:4: column 'incidence_percent'"),
    ("adverse_reaction,31.9", "adverse_reaction,lots", "mirena_label_facts.csv:4: expected a number"),
    ("current,6.1 Table 1,verified,https://mdtodate.com/mirena-side-effects/\nMirena,decreased",
     "current,6.1 Table 1,verified,\nMirena,decreased", "mirena_label_facts.csv:4: column 'source_url'"),
])
def test_bad_reference_rows_name_file_and_line(tmp_path, old, new, message):
    text = REFERENCE_CSV.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "mirena_label_facts.csv").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        load_label_facts(tmp_path)


def test_facts_file_without_a_column_names_the_missing_column(tmp_path):
    text = REFERENCE_CSV.read_text(encoding="utf-8").replace("evidence,", "proof,", 1)
    (tmp_path / "mirena_label_facts.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"mirena_label_facts.csv:1: .*missing \['evidence'\]"):
        load_label_facts(tmp_path)


def test_folder_without_reference_files_gives_empty_valid_tables(tmp_path):
    facts, numbers, synonyms = load_label_facts(tmp_path), load_label_numbers(tmp_path), load_synonyms(tmp_path)
    assert facts.empty and numbers.empty and synonyms.empty
    LABEL_FACTS.validate(facts)
    LABEL_NUMBERS.validate(numbers)


def test_every_synonym_points_at_a_label_term_and_says_why(facts, synonyms):
    assert sorted(set(synonyms["label_term"].astype(str)) - set(facts["term"].astype(str))) == []
    assert synonyms["note"].str.len().min() > 10


def test_label_numbers_are_mirenas_approved_durations_with_their_source():
    numbers = load_label_numbers()
    raw = pd.read_csv(REFERENCE_DIR / "mirena_label_numbers.csv", dtype=str, keep_default_na=False)
    assert numbers["value"].tolist() == raw["value"].astype(float).tolist()
    # the current label: contraception up to 8 years, heavy menstrual bleeding up to 5; older labels 5 to 7
    current = numbers[numbers["label_version"] == "current"].set_index("use")["value"].to_dict()
    assert current == {"contraception": 8.0, "heavy menstrual bleeding": 5.0}
    assert sorted(numbers.loc[numbers["label_version"] == "superseded", "value"]) == [5.0, 6.0, 7.0]
    assert (numbers["source_note"].str.len() > 0).all()
    LABEL_NUMBERS.validate(numbers)


# --- validated once per content: a digest of the files (and of the schemas' code) that passed is kept ---


@pytest.fixture
def counted(monkeypatch, tmp_path):
    """Each process starts with no tables in memory; count pandera's validations; a cache folder of the test's."""
    calls = []
    for schema in (reference.LABEL_FACTS, reference.LABEL_NUMBERS):
        original = schema.validate
        monkeypatch.setattr(schema, "validate", lambda df, *a, _o=original, **k: calls.append(1) or _o(df, *a, **k))
    monkeypatch.setattr(reference, "VALIDATED_DIR", tmp_path / "cache")
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, folder)
    return calls, folder


def new_process():
    reference._READ.clear()


def test_a_content_validated_once_is_not_validated_again(counted):
    calls, folder = counted
    first = reference.load_label_facts(folder)
    assert len(calls) == 1
    new_process()
    again = reference.load_label_facts(folder)
    assert len(calls) == 1  # the digest passed before: no second validation
    assert again.equals(first) and list(again.dtypes) == list(first.dtypes)


def test_a_changed_file_is_validated_again_and_a_bad_value_named(counted):
    calls, folder = counted
    reference.load_label_facts(folder)
    new_process()
    facts = folder / "mirena_label_facts.csv"
    lines = facts.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[3] = "140"  # an incidence above 100%
    facts.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"mirena_label_facts.csv:2: column 'incidence_percent'"):
        reference.load_label_facts(folder)
    assert len(calls) == 2


def test_a_cache_folder_that_cannot_be_written_costs_only_the_saving(counted, monkeypatch):
    calls, folder = counted
    blocker = folder.parent / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(reference, "VALIDATED_DIR", blocker / "cache")
    reference.load_label_facts(folder)
    new_process()
    reference.load_label_facts(folder)
    assert len(calls) == 2  # validated each time, nothing else lost
