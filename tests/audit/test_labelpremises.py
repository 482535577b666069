"""explorer.audit.labelpremises: the conditions a page presents its drug as being for, checked against the
Indications and Usage and the other sections of an imported label, with the sentence as evidence.

The seed page's premises (its title's "Back Pain" and its 35 related links) are checked against the
Mirena test label in openFDA form (``tests/fixtures/labels/openfda/mirena.json``, our own words with
the real structure), and against the curated facts when no label is held.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from explorer.audit.labelcheck import LABEL_COLUMNS, LabelChecker
from explorer.audit.labelpremises import check_premise, label_premises_table
from explorer.audit.premises import PREMISE_COLUMNS, premises_table
from explorer.audit.vocabulary import NO_LABEL, NOT_INDICATED
from explorer.labels.importer import import_labels
from explorer.labels.store import LabelStore

from .test_fulltext import BRAND, make_label, passage, write_store

MIRENA_OPENFDA = Path(__file__).resolve().parents[1] / "fixtures" / "labels" / "openfda" / "mirena.json"


@pytest.fixture(scope="module")
def mirena_store(tmp_path_factory) -> LabelStore:
    root = tmp_path_factory.mktemp("mirena-store")
    assert import_labels([MIRENA_OPENFDA], root, progress=False).counts == {"imported": 1}
    return LabelStore(root)


@pytest.fixture(scope="module")
def premises(seed_corpus, mirena_store) -> pd.DataFrame:
    return label_premises_table(seed_corpus.articles, seed_corpus.related, mirena_store)


def premise(table: pd.DataFrame, condition: str) -> pd.Series:
    rows = table[table["premise_condition"] == condition]
    assert len(rows) == 1, (condition, len(rows))
    return rows.iloc[0]


def test_the_table_has_the_premise_columns_then_the_label_columns(premises, seed_corpus):
    assert list(premises.columns) == list(PREMISE_COLUMNS) + list(LABEL_COLUMNS)
    assert len(premises) == 1 + len(seed_corpus.related)
    assert set(premises["label_source"].astype(str)) == {"label text"}


@pytest.mark.parametrize("condition, status, section, words", [
    ("Heavy Menstrual Bleeding", "approved indication", "1.2 Heavy Menstrual Bleeding", "heavy menstrual bleeding"),
    ("Breast Cancer", "label contraindication", "4 CONTRAINDICATIONS", "Breast cancer"),
])
def test_a_condition_the_label_names_gets_its_sections_status_and_sentence(premises, condition, status, section,
                                                                          words):
    row = premise(premises, condition)
    assert row["status"] == status and row["evidence_section"] == section
    assert words.casefold() in row["evidence_text"].casefold()
    assert row["citation"].startswith(row["evidence_text"])
    assert row["label_url"].endswith(row["label_set_id"]) and row["label_effective_time"].isdigit()


def test_the_pages_own_condition_is_not_among_the_indications_of_a_searched_label(premises):
    back = premise(premises, "Back Pain")
    assert (back["origin"], back["line"]) == ("page", 4)
    assert back["status"] == NOT_INDICATED and pd.isna(back["evidence_text"])
    assert back["label_source"] == "label text" and "matched by brand name" in back["resolution"]


def test_without_a_label_the_curated_facts_keep_their_own_wording(seed_corpus, tmp_path):
    empty = tmp_path / "empty"
    import_labels([], empty, progress=False)
    p = label_premises_table(seed_corpus.articles, seed_corpus.related, LabelStore(empty))
    curated = premises_table(seed_corpus.articles, seed_corpus.related)
    # never "not among the indications" from a partial source: the curated statuses stay as they were
    assert p["status"].astype(str).tolist() == curated["status"].astype(str).tolist()
    assert NOT_INDICATED not in set(p["status"].astype(str))
    assert set(p["label_source"].astype(str)) == {"curated facts"}


def test_a_condition_listed_only_as_an_adverse_reaction_says_so(tmp_path):
    label = make_label(passage("indications_and_usage", f"{BRAND} is indicated for the relief of hay fever."),
                       passage("adverse_reactions", "Headache was reported by 4% of patients."))
    checker = LabelChecker(write_store(tmp_path, [label]))
    headache = check_premise(checker, BRAND, "Headaches")
    assert headache["status"] == "listed adverse reaction"
    assert headache["evidence_text"] == "Headache was reported by 4% of patients."
    assert check_premise(checker, BRAND, "Hay Fever")["status"] == "approved indication"
    assert check_premise(checker, BRAND, "Insomnia")["status"] == NOT_INDICATED
    assert check_premise(checker, "Unheardofix", "Insomnia")["status"] == NO_LABEL
