"""Records -> tables: every record of an Article becomes a row of its table, with the page's provenance;
fixed vocabularies are enforced; related links learn whether their page is in the corpus."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from explorer.corpus import tables
from explorer.corpus.tables import (PAGE_TABLES, STORED_TABLES, TABLE_COLUMNS, frame, frames_from_articles,
                                    mark_linked_pages)
from explorer.pages.records import Advice, Article, NumberMention, Related, Section, SideEffect, Source

SHA_A, SHA_B = "a" * 64, "b" * 64


def article_with_numbers() -> Article:
    """A page (written for this test) that states a duration range and a percentage."""
    return Article(
        drug="Zelnora", condition="Dry Eyes", title="Zelnora for Dry Eyes", title_line=2,
        source=Source(path="pages/zelnora-dry-eyes.txt", sha256=SHA_A),
        side_effects=(SideEffect("Common", "common", "Stinging", "Felt by about 12% of users.", 9),),
        numbers=(
            NumberMention("duration", "two to three weeks", 2.0, 3.0, "week",
                          "Most people use the drops for two to three weeks.", 5),
            NumberMention("percentage", "12%", 12.0, 12.0, "percent", "Felt by about 12% of users.", 9),
        ))


def article_without_numbers() -> Article:
    return Article(
        drug="Quorbex", condition="Hiccups", title="Quorbex for Hiccups", title_line=1,
        source=Source(path="pages/quorbex-hiccups.txt", sha256=SHA_B, encoding="cp1252"),
        active_ingredients=("quorbexine", "sugar"),
        sections=(Section("Quorbex for Hiccups", "title", 1), Section("Rare Side Effects", "tier", 3, "Rare")),
        side_effects=(SideEffect("Rare", "rare", "Yawning", None, 4),),
        advice=(Advice("managing", "Drink water", "Small sips help.", 6),),
        related=(Related("Quorbex", "Dry Eyes", 8),))


def test_number_mentions_become_numbers_rows_with_the_pages_provenance():
    numbers = frames_from_articles([article_without_numbers(), article_with_numbers()])["numbers"]

    assert list(numbers.columns) == list(TABLE_COLUMNS["numbers"])
    assert len(numbers) == 2  # the page without numbers adds no row
    assert (numbers["source_file"] == "pages/zelnora-dry-eyes.txt").all()
    assert (numbers["sha256"] == SHA_A).all()
    assert (numbers["drug"] == "Zelnora").all() and (numbers["condition"] == "Dry Eyes").all()
    duration, percentage = numbers.to_dict("records")
    assert (duration["line"], duration["quantity"], duration["text"], duration["unit"]) == (
        5, "duration", "two to three weeks", "week")
    assert (duration["low"], duration["high"]) == (2.0, 3.0)
    assert duration["sentence"] == "Most people use the drops for two to three weeks."
    assert (percentage["line"], percentage["low"], percentage["high"], percentage["unit"]) == (9, 12.0, 12.0, "percent")


def test_every_record_becomes_a_row_that_names_its_page_and_line():
    t = frames_from_articles([article_with_numbers(), article_without_numbers()])

    articles = t["articles"].set_index("source_file")
    assert articles.loc["pages/quorbex-hiccups.txt", "line"] == 1  # the title's line
    assert articles.loc["pages/quorbex-hiccups.txt", "encoding"] == "cp1252"
    assert articles.loc["pages/quorbex-hiccups.txt", "active_ingredients"] == "quorbexine; sugar"
    assert articles.loc["pages/zelnora-dry-eyes.txt", "active_ingredients"] == ""
    assert articles["n_side_effects"].tolist() == [1, 1] and articles["n_related"].tolist() == [0, 1]
    side_effects = t["side_effects"].set_index("name")
    assert side_effects.loc["Yawning", "source_file"] == "pages/quorbex-hiccups.txt"
    assert side_effects.loc["Yawning", "sha256"] == SHA_B and side_effects.loc["Yawning", "line"] == 4
    assert pd.isna(side_effects.loc["Yawning", "description"])  # a name without description stays missing
    assert t["sections"]["position"].tolist() == [0, 1] and t["sections"]["label"].tolist()[1] == "Rare"
    assert t["advice"].loc[0, ["kind", "line", "drug"]].tolist() == ["managing", 6, "Quorbex"]
    assert t["related"].loc[0, ["related_drug", "related_condition", "line"]].tolist() == ["Quorbex", "Dry Eyes", 8]


def test_tables_of_no_articles_are_empty_with_every_column():
    t = frames_from_articles([], tables=STORED_TABLES)
    assert set(t) == set(TABLE_COLUMNS)
    for name, df in t.items():
        assert df.empty and list(df.columns) == list(TABLE_COLUMNS[name]), name


def test_a_corpus_gets_the_page_tables_and_the_sentences_only_when_asked_for():
    from explorer.pages.records import SentenceHash

    page = dataclasses.replace(article_without_numbers(), sentences=(SentenceHash(2, -7, 40), SentenceHash(2, 9, 31)))
    assert tuple(frames_from_articles([page])) == PAGE_TABLES  # what Corpus.from_tables takes
    sentences = frames_from_articles([page], tables=["sentences"])["sentences"]
    assert list(sentences.columns) == ["source_file", "sha256", "line", "hash", "n_chars"]
    assert sentences[["line", "hash", "n_chars"]].values.tolist() == [[2, -7, 40], [2, 9, 31]]
    assert set(sentences["sha256"]) == {SHA_B} and str(sentences["hash"].dtype) == "int64"


def test_severity_is_ordered_from_common_to_serious():
    rows = [("p.txt", SHA_A, i + 3, "D", "C", tier, severity, f"effect {i}", None, False)
            for i, (tier, severity) in enumerate([("Serious", "serious"), ("Common", "common"), ("Rare", "rare")])]
    df = frame("side_effects", rows)
    assert df.sort_values("severity")["severity"].tolist() == ["common", "rare", "serious"]
    assert (df["severity"] > "less common").tolist() == [True, False, True]


@pytest.mark.parametrize("name, row", [
    ("side_effects", ("p.txt", SHA_A, 3, "D", "C", "Deadly", "deadly", "Itch", None, False)),
    ("advice", ("p.txt", SHA_A, 3, "D", "C", "praying", "Hope", None)),
])
def test_values_outside_a_fixed_vocabulary_are_refused(name, row):
    with pytest.raises(ValueError, match="are not among"):
        frame(name, [row])


ARTICLES = frame("articles", [
    (f"{d}-{c}.txt", SHA_A, 1, d, c, f"{d} for {c}", "", "", "utf-8", "text", False, False, 0, 0, 0, 0,
     "template", "title", "title", ".")
    for d, c in [("Mirena", "Acne"), ("Zelnora", "Dry Eyes")]])
RELATED = frame("related", [
    ("Mirena-Acne.txt", SHA_A, 5, "Mirena", "Acne", "MIRENA", "dry eyes", ),    # drug has no such page
    ("Mirena-Acne.txt", SHA_A, 6, "Mirena", "Acne", "zelnora", "DRY EYES"),    # page exists, other case
    ("Mirena-Acne.txt", SHA_A, 7, "Mirena", "Acne", "Mirena", "acne"),         # links to itself
    ("Mirena-Acne.txt", SHA_A, 8, "Mirena", "Acne", None, "Acne"),             # no drug named
])


def test_related_links_know_whether_their_page_is_in_the_corpus_ignoring_case():
    marked = mark_linked_pages(RELATED, ARTICLES)
    assert marked["has_page"].tolist() == [False, True, True, False]
    assert "has_page" not in RELATED.columns  # the input table is not changed


def test_related_links_are_marked_the_same_without_the_name_grid(monkeypatch):
    monkeypatch.setattr(tables, "GRID_LIMIT", 0)  # as for a corpus with very many drugs and conditions
    assert mark_linked_pages(RELATED, ARTICLES)["has_page"].tolist() == [False, True, True, False]
