"""Cross-page consistency: the same side effect of one drug given different tiers on different pages."""
from __future__ import annotations

import numpy as np
import pandas as pd

from explorer.explore.consistency import CONFLICT_COLUMNS, conflict_rows, tier_conflicts


def _rows(records):
    df = pd.DataFrame(records, columns=["drug", "name", "severity", "source_file", "line"])
    df["drug"] = df["drug"].astype("category")
    df["source_file"] = df["source_file"].astype("category")
    df["severity"] = pd.Categorical(df["severity"], categories=["common", "less common", "rare", "serious"],
                                    ordered=True)
    return df


ROWS = _rows([
    ("Zolvane", "Headache", "common", "a.txt", 10), ("Zolvane", "headache.", "serious", "b.txt", 12),
    ("Zolvane", "Headache", "common", "c.txt", 8), ("Zolvane", "Rash", "rare", "a.txt", 11),
    ("Zolvane", "rash", "rare", "b.txt", 13), ("Brentix", "Headache", "less common", "d.txt", 5),
    ("Brentix", "Dry mouth", "common", "d.txt", 6), ("Brentix", "Dry  Mouth", None, "e.txt", 7),
])


def test_a_side_effect_given_two_tiers_is_a_conflict_with_its_pages_per_tier():
    out = tier_conflicts(ROWS)
    assert list(out.columns) == list(CONFLICT_COLUMNS)
    assert out[["drug", "side_effect", "n_pages", "n_tiers", "tiers"]].to_dict("records") == [
        {"drug": "Zolvane", "side_effect": "headache", "n_pages": 3, "n_tiers": 2, "tiers": "common | serious"}]
    assert (out.loc[0, "pages_common"], out.loc[0, "pages_serious"], out.loc[0, "pages_rare"]) == (2, 1, 0)


def test_agreeing_pages_other_drugs_and_unrecognised_tiers_are_not_conflicts():
    out = tier_conflicts(ROWS)
    assert "rash" not in set(out["side_effect"])  # the same tier on two pages
    assert "Brentix" not in set(out["drug"])  # headache of another drug; dry mouth's second tier is unrecognised


def test_a_page_stating_two_tiers_itself_counts_once():
    rows = _rows([("Zolvane", "Nausea", "common", "a.txt", 3), ("Zolvane", "Nausea", "serious", "a.txt", 9)])
    assert tier_conflicts(rows).empty  # one page: not a cross-page conflict
    assert len(tier_conflicts(rows, min_pages=1)) == 1


def test_most_pages_first_and_empty_input():
    rows = _rows([*(("Zolvane", "Rash", "common", f"p{i}.txt", 1) for i in range(3)),
                  ("Zolvane", "Rash", "serious", "q.txt", 1),
                  ("Zolvane", "Fever", "common", "p0.txt", 2), ("Zolvane", "Fever", "rare", "q.txt", 2)])
    assert tier_conflicts(rows)["side_effect"].tolist() == ["rash", "fever"]
    assert tier_conflicts(rows.iloc[:0]).empty


def test_the_rows_behind_a_conflict_side_by_side_most_serious_first():
    behind = conflict_rows(ROWS, "Zolvane", "Headache")
    assert behind[["severity", "source_file", "line"]].astype(str).values.tolist() == [
        ["serious", "b.txt", "12"], ["common", "a.txt", "10"], ["common", "c.txt", "8"]]
    assert conflict_rows(ROWS, "Nodrug", "headache").empty
    assert conflict_rows(ROWS, "Zolvane", "no such effect").empty


def test_matches_a_plain_pandas_group_by_on_random_rows():
    rng = np.random.default_rng(3)
    n = 5_000
    rows = _rows(list(zip(rng.choice(["A", "B", "C"], n), rng.choice(["x", "X", "y", "z"], n),
                          rng.choice(["common", "less common", "rare", "serious"], n),
                          [f"p{i}" for i in rng.integers(0, 400, n)], rng.integers(1, 50, n))))
    got = tier_conflicts(rows).set_index(["drug", "side_effect"])["n_pages"].sort_index()
    plain = rows.assign(name=rows["name"].str.lower(), drug=rows["drug"].astype(str))
    tiers = plain.groupby(["drug", "name"])["severity"].nunique()
    pages = plain.groupby(["drug", "name"])["source_file"].nunique()
    want = pages[(tiers >= 2) & (pages >= 2)].rename_axis(["drug", "side_effect"]).sort_index()
    assert got.to_dict() == want.to_dict()


def test_singular_and_plural_of_one_name_are_one_side_effect():
    rows = pd.DataFrame({"drug": ["D", "D", "D"], "name": ["Headache", "Headaches", "headaches."],
                         "severity": ["common", "serious", "serious"], "source_file": ["a", "b", "c"],
                         "line": [1, 2, 3]})
    conflicts = tier_conflicts(rows)
    assert conflicts[["drug", "side_effect", "n_pages", "tiers"]].to_dict("records") == [
        {"drug": "D", "side_effect": "headache", "n_pages": 3, "tiers": "common | serious"}]
    assert list(conflict_rows(rows, "D", "Headaches")["line"]) == [2, 3, 1]
