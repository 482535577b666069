"""explorer.audit.numbers: durations and percentages found on the pages at ingest (the corpus's
``numbers`` table) set beside the label's figures.

Mirena's current label allows 8 years for contraception and 5 for heavy menstrual bleeding; earlier
labels said 5, 6 and 7 years (data/reference/mirena_label_numbers.csv). Its trial table gives
headache/migraine 16.3% (current label) and 7.7% (superseded label). How numbers are found in page text
is tested in tests/pages/test_numbers.py; here the mentions are given.
"""
from __future__ import annotations

import pandas as pd
import pytest

from explorer.audit.numbers import NUMBER_COLUMNS, number_checks
from explorer.audit.reference import load_label_facts, load_label_numbers, load_synonyms
from explorer.config import PROJECT_ROOT
from explorer.corpus.tables import frame

SHA = "ab" * 32


@pytest.fixture(scope="module")
def reference(facts, synonyms) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Mirena's label numbers, facts and synonyms, loaded once."""
    return load_label_numbers(), facts, synonyms


def mentions(*rows: tuple[str, str, float, float, str, str], drug: str = "Mirena") -> pd.DataFrame:
    """A ``numbers`` table of one page: each row (quantity, text, low, high, unit, sentence) on its own line."""
    return frame("numbers", [("pages/test.txt", SHA, 10 + i, drug, "Testing", *row) for i, row in enumerate(rows)])


def test_seed_five_to_seven_years_is_flagged_as_a_superseded_label_figure(seed_corpus):
    n = number_checks(seed_corpus.numbers)
    flagged = n[n["flagged"]]
    assert len(flagged) == 1
    row = flagged.iloc[0]
    assert (row["source_file"], row["line"], row["text"]) == ("data/raw/mirena-back-pain.txt", 14,
                                                              "five to seven years")
    assert (row["low"], row["high"], row["status"]) == (5.0, 7.0, "matches superseded label")
    assert "contraception up to 8 years" in row["label_value"]
    assert "7 years is a superseded label figure" in row["note"]
    # the line the audit cites really holds the text it quotes
    source = (PROJECT_ROOT / row["source_file"]).read_text(encoding="utf-8").splitlines()
    assert "five to seven years" in source[row["line"] - 1]


@pytest.mark.parametrize("quantity, low, high, unit, sentence, status", [
    ("duration", 8, 8, "year", "Mirena can stay in place for up to 8 years.", "matches current label"),
    ("duration", 96, 96, "month", "Mirena lasts up to 96 months.", "matches current label"),
    ("duration", 5, 5, "year", "For heavy periods it is replaced after 5 years.", "matches current label"),
    ("duration", 7, 7, "year", "Mirena must be removed after 7 years.", "matches superseded label"),
    ("duration", 5, 7, "year", "It is removed after five to seven years.", "matches superseded label"),
    ("duration", 10, 10, "year", "Mirena must be removed after 10 years.", "differs from the label"),
    ("duration", 30, 30, "year", "Women aged over 30 years can use it.", "not compared"),  # not a period of use
    ("duration", 3, 3, "week", "It is effective for 3 weeks at first.", "not compared"),  # the label gives years
    ("percentage", 16.3, 16.3, "percent", "Headaches were reported by 16.3% of users.", "matches current label"),
    ("percentage", 16.33, 16.33, "percent", "About 16.33% of users had migraines.", "matches current label"),
    ("percentage", 7.7, 7.7, "percent", "Headaches were reported by 7.7% of users.", "matches superseded label"),
    ("percentage", 40, 40, "percent", "Headaches were reported by 40% of users.", "differs from the label"),
    ("percentage", 99, 99, "percent", "Mirena is over 99% effective.", "not compared"),
    ("percentage", 7, 7, "percent", "Acne and headaches were reported by 7% of users.", "not compared"),
])
def test_numbers_against_the_label(reference, quantity, low, high, unit, sentence, status):
    n = number_checks(mentions((quantity, sentence, low, high, unit, sentence)), *reference)
    assert n["status"].astype(str).tolist() == [status]
    assert n["flagged"].tolist() == [status in ("matches superseded label", "differs from the label")]


def test_percentage_whose_sentence_names_no_label_reaction_is_not_compared(reference):
    n = number_checks(mentions(("percentage", "20%", 20, 20, "percent", "About 20% of users felt dizzy.")), *reference)
    row = n.iloc[0]
    assert row["status"] == "not compared" and not row["flagged"]
    assert row["note"] == "the sentence names no label adverse reaction with an incidence"
    assert pd.isna(row["label_value"]) and pd.isna(row["source_url"])


def test_percentage_naming_several_label_reactions_is_not_compared_and_says_which(reference):
    n = number_checks(mentions(("percentage", "7%", 7, 7, "percent",
                                "Acne and headaches were reported by 7% of users.")), *reference)
    assert n["status"].tolist() == ["not compared"]
    assert "several label adverse reactions" in n["note"].iloc[0] and "acne" in n["note"].iloc[0]


def test_each_check_keeps_the_provenance_of_its_mention(reference):
    table = mentions(("duration", "up to 8 years", 8, 8, "year", "It can stay for up to 8 years."),
                     ("percentage", "16.3%", 16.3, 16.3, "percent", "Headaches: 16.3% of users."))
    n = number_checks(table, *reference)
    assert list(n.columns) == list(NUMBER_COLUMNS)
    for col in ("source_file", "sha256", "line", "drug", "condition", "quantity", "text", "low", "high", "unit",
                "sentence"):
        assert n[col].astype(str).tolist() == table[col].astype(str).tolist(), col
    assert n["source_url"].notna().all() and n["label_value"].notna().all()


def test_drug_without_captured_label_figures_is_not_compared(two_drugs):
    table = mentions(("duration", "up to 9 years", 9, 9, "year", "It lasts up to 9 years, they say."),
                     ("percentage", "12.5%", 12.5, 12.5, "percent", "Made-up itching: 12.5% of users."),
                     ("percentage", "16.3%", 16.3, 16.3, "percent", "Headaches: 16.3% of users."),
                     drug="Testozanib (FAKE)")
    n = number_checks(table, load_label_numbers(two_drugs), load_label_facts(two_drugs), load_synonyms(two_drugs))
    assert n["status"].astype(str).tolist() == ["not compared", "matches current label", "not compared"]
    assert n["note"].iloc[0] == "no label duration captured for this drug"  # Mirena's durations are not used
    assert n["note"].iloc[2] == "the sentence names no label adverse reaction with an incidence"


def test_no_mentions_give_an_empty_table_with_every_column(reference):
    n = number_checks(frame("numbers", []), *reference)
    assert n.empty and list(n.columns) == list(NUMBER_COLUMNS)
    assert n["status"].dtype.name == "category" and n["flagged"].dtype == bool


def test_without_reference_tables_number_checks_loads_them(seed_corpus, reference):
    pd.testing.assert_frame_equal(number_checks(seed_corpus.numbers), number_checks(seed_corpus.numbers, *reference))
