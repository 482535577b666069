"""explorer.explore.aggregate: the numpy counts behind the charts, checked against plain pandas groupbys.

Each ``expected_*`` function below states the aggregate's rule in plain pandas, slowly and obviously;
the tests compare the fast version with it on the seed, on made-up tables with ties, several drugs and
missing severities, and (marked slow) on the 100,000-page corpus.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer.explore import aggregate
from explorer.explore.aggregate import claim_matrix, severity_counts
from explorer.explore.filters import FilterState, filter_rows
from explorer.vocabulary import SEVERITY_BUCKETS, SEVERITY_LEVELS, UNRECOGNISED_TIER

#: Severity buckets from least to most severe: an unrecognised tier ranks below every known one.
RANKED = (UNRECOGNISED_TIER,) + SEVERITY_LEVELS


def _in_order_of_appearance(s: pd.Series) -> pd.Series:
    """A categorical column keeps its categories; any other gets them in order of first appearance."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s
    return pd.Series(pd.Categorical(s, categories=pd.unique(s.dropna())), index=s.index)


def _bucket(severity: pd.Series) -> pd.Series:
    return severity.astype(object).where(severity.notna(), UNRECOGNISED_TIER)


def expected_severity_counts(se: pd.DataFrame, top: int) -> pd.DataFrame:
    """Rows per group (condition, or drug and condition when there are several drugs) and bucket; the
    ``top`` biggest groups (ties: drug, then condition, in category order), each bucket's first five names."""
    several = se["drug"].nunique() > 1
    keys = [_in_order_of_appearance(se[c]) for c in (("drug", "condition") if several else ("condition",))]
    group = se.groupby(keys, observed=True, sort=True).ngroup().to_numpy()  # numbered in key order
    sizes = pd.Series(group).value_counts().sort_index()
    kept = sizes.sort_values(ascending=False, kind="stable").index[:top]
    bucket = _bucket(se["severity"]).to_numpy()
    names = se["name"].astype(str).to_numpy()
    records = []
    for g in kept:
        rows = np.flatnonzero(group == g)
        label = " · ".join(str(k.iloc[rows[0]]) for k in keys)
        for b in SEVERITY_BUCKETS:
            cell = rows[bucket[rows] == b]
            if len(cell):
                records.append((label, b, len(cell), "; ".join(names[cell[:5]])))
    return pd.DataFrame.from_records(records, columns=["group", "severity", "count", "names"])


def expected_claim_matrix(se: pd.DataFrame, top: int, top_conditions: int) -> pd.DataFrame:
    """Per (name, condition) pair: rows, most severe bucket, and the first row at that bucket; kept are
    the ``top`` names claimed for most conditions and the ``top_conditions`` conditions with most rows
    among them (ties in category order), ordered by name rank, then condition rank."""
    se = se.assign(name=_in_order_of_appearance(se["name"]), condition=_in_order_of_appearance(se["condition"]),
                   rank=_bucket(se["severity"]).map(RANKED.index).astype(int), row=np.arange(len(se)))
    pairs = se.groupby(["name", "condition"], observed=True, sort=True).agg(pages=("row", "size"),
                                                                              rank=("rank", "max"))
    first_row = se.groupby(["name", "condition", "rank"], observed=True)["row"].min()
    per_name = pairs.groupby(level="name", observed=True, sort=True).size()
    names = list(per_name.sort_values(ascending=False, kind="stable").index[:top])
    kept = pairs[pairs.index.get_level_values("name").isin(names)]
    per_condition = kept.groupby(level="condition", observed=True, sort=True)["pages"].sum()
    conditions = list(per_condition.sort_values(ascending=False, kind="stable").index[:top_conditions])
    cells = kept[kept.index.get_level_values("condition").isin(conditions)]
    name_rank = {n: i for i, n in enumerate(names)}
    condition_rank = {c: i for i, c in enumerate(conditions)}
    first = first_row.to_dict()
    columns = {c: se[c].to_numpy() for c in ("tier", "description", "source_file", "line")}
    records = []
    for (name, condition), pages, rank in sorted(zip(cells.index, cells["pages"], cells["rank"]),
                                                 key=lambda r: (name_rank[r[0][0]], condition_rank[r[0][1]])):
        row = first[(name, condition, rank)]
        records.append((condition, name, RANKED[rank], columns["tier"][row], pages, columns["description"][row],
                        columns["source_file"][row], columns["line"][row]))
    return pd.DataFrame.from_records(records, columns=["condition", "name", "severity", "tier", "pages",
                                                       "description", "source_file", "line"])


def _records(df: pd.DataFrame) -> list[tuple]:
    return [tuple(str(v) for v in r) for r in df.itertuples(index=False)]


# --- severity_counts ------------------------------------------------------------------------------

def test_severity_counts_of_the_seed_page(seed_corpus):
    counts = severity_counts(seed_corpus.side_effects)
    # one drug: groups are conditions; the page lists three side effects in each of three tiers
    assert _records(counts) == [
        ("Back Pain", "common", "3", "Mirena’s hormonal effects; Weight gain; Mood changes"),
        ("Back Pain", "less common", "3", "Headaches; Dizziness; Nausea and vomiting"),
        ("Back Pain", "serious", "3", "Perforation of the uterus; Infection; Blood clots")]


@pytest.mark.parametrize("top", [1, 7, 500])
def test_severity_counts_equal_a_groupby_per_drug_and_condition(medium, top):
    se = medium.side_effects
    got = severity_counts(se, top=top)
    assert _records(got) == _records(expected_severity_counts(se, top))
    assert " · " in got["group"].iloc[0]  # several drugs: groups are drug · condition


def test_severity_counts_of_one_drug_group_by_condition(medium):
    se = medium.side_effects
    one = se[se["drug"] == se["drug"].iloc[0]]
    got = severity_counts(one, top=5)
    assert _records(got) == _records(expected_severity_counts(one, 5))
    assert not got["group"].str.contains(" · ").any()


def test_severity_counts_of_plain_columns_break_ties_by_first_appearance():
    se = pd.DataFrame({"drug": ["B", "A", "B", "A", "B"], "condition": ["y", "x", "x", "y", "y"],
                       "name": list("pqrst"), "severity": [None, "rare", "rare", "common", "serious"]})
    got = severity_counts(se)
    assert _records(got) == _records(expected_severity_counts(se, 25))
    assert got["group"].drop_duplicates().tolist() == ["B · y", "B · x", "A · y", "A · x"]


def test_severity_counts_use_the_factorised_keys_when_a_dense_grid_is_too_big(medium, monkeypatch):
    se = medium.side_effects
    expected = _records(severity_counts(se, top=9))
    monkeypatch.setattr(aggregate, "_DENSE_LIMIT", 10)
    assert _records(severity_counts(se, top=9)) == expected == _records(expected_severity_counts(se, 9))


def test_severity_counts_of_no_rows_is_an_empty_table(medium):
    got = severity_counts(medium.side_effects.iloc[:0])
    assert got.empty and list(got.columns) == ["group", "severity", "count", "names"]


# --- claim_matrix ---------------------------------------------------------------------------------

def test_claim_matrix_shows_the_most_severe_claim_of_a_pair():
    se = pd.DataFrame({
        "drug": ["D"] * 4, "condition": ["C"] * 4, "name": ["Rash", "Rash", "Itch", "Rash"],
        "tier": ["Common", "Serious", "Odd", "Severe"], "description": ["mild", "bad", None, "worse"],
        "severity": pd.Categorical(["common", "serious", None, "serious"], categories=list(SEVERITY_LEVELS)),
        "source_file": ["a.txt", "b.txt", "c.txt", "d.txt"], "line": [5, 7, 9, 11]})
    m = claim_matrix(se).set_index("name")
    assert tuple(m.loc["Rash", ["severity", "tier", "pages", "source_file", "line"]]) == \
        ("serious", "Serious", 3, "b.txt", 7)  # the first of the two serious claims
    assert m.loc["Itch", "severity"] == UNRECOGNISED_TIER


@pytest.mark.parametrize("top, top_conditions", [(5, 4), (20, 25), (200, 200)])
def test_claim_matrix_equals_a_groupby(medium, top, top_conditions):
    se = medium.side_effects
    got = claim_matrix(se, top=top, top_conditions=top_conditions)
    assert _records(got) == _records(expected_claim_matrix(se, top, top_conditions))


def test_claim_matrix_of_filtered_rows_with_plain_columns_equals_a_groupby(medium):
    rows = filter_rows(medium.side_effects, FilterState(severities=("rare", "serious"), search="effect 00"))
    plain = rows.astype({"name": object, "condition": object, "tier": object, "description": object,
                         "source_file": object}).iloc[::-1]
    got = claim_matrix(plain, top=4, top_conditions=6)
    assert len(got) and _records(got) == _records(expected_claim_matrix(plain, 4, 6))


def test_claim_matrix_uses_the_factorised_keys_when_a_dense_grid_is_too_big(medium, monkeypatch):
    se = medium.side_effects
    monkeypatch.setattr(aggregate, "_DENSE_LIMIT", 10)
    assert _records(claim_matrix(se, top=6, top_conditions=5)) == _records(expected_claim_matrix(se, 6, 5))


# --- the helpers ----------------------------------------------------------------------------------

def test_top_takes_the_largest_nonzero_counts_ties_lowest_index_or_key_first():
    rng = np.random.default_rng(3)
    for _ in range(200):
        counts = rng.integers(0, 6, rng.integers(0, 40))
        n = int(rng.integers(0, 12))
        by_pandas = pd.Series(counts)[counts > 0].sort_values(ascending=False, kind="stable").index[:n]
        assert aggregate._top(counts, n).tolist() == by_pandas.tolist()
        keys = rng.permutation(len(counts)) * 7  # distinct keys in another order: they break the ties
        by_key = (pd.DataFrame({"count": counts, "key": keys})[counts > 0]
                  .sort_values(["count", "key"], ascending=[False, True]).index[:n])
        assert aggregate._top(counts, n, keys).tolist() == by_key.tolist()


def test_first_per_key_equals_a_groupby_head():
    rng = np.random.default_rng(0)
    keys = rng.integers(0, 40, 30_000)
    keys[25_000:] = rng.integers(40, 45, 5_000)  # keys first seen after the sorted prefix
    keys[100] = 44
    got = aggregate._first_per_key(keys, 45, 5, head=1_000)
    heads = pd.Series(np.arange(len(keys))).groupby(keys, sort=True).head(5)
    expected = heads.iloc[np.lexsort((heads.to_numpy(), keys[heads.to_numpy()]))]
    assert got.tolist() == expected.tolist()


def test_labels_of_gives_nan_for_missing_codes():
    values = pd.Index(["a", "b", "c"])
    got = aggregate.labels_of(values, np.array([2, -1, 0]))
    assert got[0] == "c" and got[2] == "a" and pd.isna(got[1])


# --- the 100,000-page corpus ----------------------------------------------------------------------

@pytest.mark.slow
def test_big_severity_counts_equal_a_groupby(big):
    serious = filter_rows(big.side_effects, FilterState(severities=("serious",)))
    got = severity_counts(serious, top=5)
    assert _records(got) == _records(expected_severity_counts(serious, 5))
    counts = serious.groupby(["drug", "condition"], observed=True).size()
    assert got["count"].tolist() == counts.sort_values(ascending=False, kind="stable").head(5).tolist()


@pytest.mark.slow
def test_big_claim_matrix_equals_a_groupby(big):
    rows = filter_rows(big.side_effects, FilterState(severities=("serious", "rare")))
    got = claim_matrix(rows, top=5, top_conditions=4)
    assert len(got) and _records(got) == _records(expected_claim_matrix(rows, 5, 4))


@pytest.mark.slow
@pytest.mark.parametrize("dense_limit", [aggregate._DENSE_LIMIT, 1_000])
def test_big_top_groups_among_many_ties_equal_a_groupby(big, monkeypatch, dense_limit):
    # 100,000 pages in ~100,000 drug x condition groups of about nine rows: the top 25 are mostly ties,
    # broken by drug, then condition, whether the pairs are counted on a dense grid or factorised
    monkeypatch.setattr(aggregate, "_DENSE_LIMIT", dense_limit)
    se = big.side_effects
    assert _records(severity_counts(se, top=25)) == _records(expected_severity_counts(se, 25))
    assert _records(claim_matrix(se, top=8, top_conditions=6)) == _records(expected_claim_matrix(se, 8, 6))
