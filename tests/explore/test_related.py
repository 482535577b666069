"""explorer.explore.related: the conditions a drug's pages link to, checked against plain pandas groupbys."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer.explore.related import related_conditions, related_counts


def expected_related_conditions(related: pd.DataFrame, articles: pd.DataFrame, drug: str) -> pd.DataFrame:
    """The drug's page conditions first, then the other conditions its links reach, in order of first
    link; links only count between pages of the drug (names compared case-insensitively)."""
    fold = drug.casefold()

    def folded(values: pd.Series) -> pd.Series:
        return values.map(lambda v: str(v).casefold())  # on a categorical: once per category

    mine = related[(folded(related["drug"]) == fold).to_numpy() & (folded(related["related_drug"]) == fold).to_numpy()]
    agg = mine.groupby(mine["related_condition"].astype(str), sort=False).agg(
        links=("line", "size"), source_file=("source_file", "first"), line=("line", "first"))
    pages = list(dict.fromkeys(articles.loc[(folded(articles["drug"]) == fold).to_numpy(), "condition"].astype(str)))
    rows = [(c, True, *(agg.loc[c].tolist() if c in agg.index else (0, pd.NA, pd.NA))) for c in pages]
    folded = {c.casefold() for c in pages}
    rows += [(c, c.casefold() in folded, *r) for c, r in zip(agg.index, agg.itertuples(index=False))
             if c not in pages]
    return pd.DataFrame(rows, columns=["condition", "has_page", "links", "source_file", "line"])


def assert_same_related(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert got["condition"].tolist() == expected["condition"].tolist()
    assert got["has_page"].tolist() == expected["has_page"].tolist()
    assert got["links"].tolist() == expected["links"].astype(int).tolist()
    assert got["source_file"].astype(object).fillna("").astype(str).tolist() == \
        expected["source_file"].astype(object).fillna("").astype(str).tolist()
    assert got["line"].astype("Int64").tolist() == expected["line"].astype("Int64").tolist()


def expected_related_counts(related: pd.DataFrame, articles: pd.DataFrame, drug: str, top: int) -> pd.DataFrame:
    """Distinct linking pages per condition linked between pages of the drug, most first (ties: first linked)."""
    fold = drug.casefold()
    mine = related[(related["drug"].astype(str).str.casefold() == fold).to_numpy()
                   & (related["related_drug"].astype(str).str.casefold() == fold).to_numpy()]
    mine = mine.assign(condition_=mine["related_condition"].astype(str), row=np.arange(len(mine)))
    agg = mine.groupby("condition_", sort=False).agg(pages=("source_file", "nunique"), first=("row", "min"),
                                                      source_file=("source_file", "first"), line=("line", "first"))
    agg = agg.sort_values(["pages", "first"], ascending=[False, True])
    return agg.reset_index().rename(columns={"condition_": "condition"}).head(top)


# --- related_conditions ---------------------------------------------------------------------------

def test_related_conditions_of_the_seed(seed_corpus):
    rc = related_conditions(seed_corpus.related, seed_corpus.articles, "mirena")  # any case
    # the page is about back pain and links to 35 other Mirena pages, none of them in the corpus
    assert rc["condition"].iloc[0] == "Back Pain" and rc["has_page"].iloc[0]
    assert len(rc) == 36 and not rc["has_page"].iloc[1:].any()
    assert rc["line"].iloc[1:].tolist() == list(range(61, 96))
    assert_same_related(rc, expected_related_conditions(seed_corpus.related, seed_corpus.articles, "Mirena"))


def test_related_conditions_equal_a_groupby(medium):
    for drug in medium.articles["drug"].cat.categories[:3]:
        got = related_conditions(medium.related, medium.articles, str(drug).upper())
        assert_same_related(got, expected_related_conditions(medium.related, medium.articles, str(drug)))
        assert got["has_page"].any() and not got["has_page"].all()


def test_related_conditions_of_the_escaped_corpus_mark_pages_present(escaped_corpus):
    rc = related_conditions(escaped_corpus.related, escaped_corpus.articles, "Examplin")
    assert dict(zip(rc["condition"], rc["has_page"])) == {"Itchy <b>Skin</b>": True, "Dry Skin": False}


def test_related_counts_rank_conditions_by_linking_pages(medium):
    for drug in medium.articles["drug"].cat.categories[:3]:
        for top in (5, 1000):
            got, linked = related_counts(medium.related, medium.articles, str(drug).lower(), top=top)
            expected = expected_related_counts(medium.related, medium.articles, str(drug), top)
            assert got["condition"].tolist() == expected["condition"].tolist()
            assert got["pages"].tolist() == expected["pages"].tolist()
            assert got["source_file"].astype(str).tolist() == expected["source_file"].astype(str).tolist()
            assert got["line"].tolist() == expected["line"].tolist()
            assert linked == len(expected_related_counts(medium.related, medium.articles, str(drug), 10**9))
            has = related_conditions(medium.related, medium.articles, str(drug)).set_index("condition")["has_page"]
            assert got["has_page"].tolist() == has[got["condition"]].tolist()


def test_related_counts_count_a_page_that_links_a_condition_twice_once(seed_corpus):
    related = seed_corpus.related
    twice = pd.concat([related, related.iloc[:1]], ignore_index=True)  # the seed page links Birth Control again
    got, linked = related_counts(twice, seed_corpus.articles, "Mirena", top=3)
    assert got["pages"].tolist() == [1, 1, 1] and linked == 35


def test_related_counts_of_an_unknown_drug_are_empty(seed_corpus):
    got, linked = related_counts(seed_corpus.related, seed_corpus.articles, "Nothing", top=3)
    assert got.empty and linked == 0


@pytest.mark.slow
def test_big_related_conditions_equal_a_groupby(big):
    drug = str(big.articles["drug"].iloc[0])
    got = related_conditions(big.related, big.articles, drug)
    assert_same_related(got, expected_related_conditions(big.related, big.articles, drug))
