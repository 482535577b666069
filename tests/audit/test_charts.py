"""explorer.audit.charts: claims by label status per condition, checked against a plain groupby.

One bar per condition (the ``top`` with most claims), one trace per status in a fixed order and
colour (the dashboard updates the figure in place), a legend of the statuses drawn, page text escaped,
and, under the title, a note that the label facts are partial when a claim is "not among the captured
label facts" (once drawn, no text overlaps: tests/app/test_browser.py).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer.audit.charts import PARTIAL_NOTE, claims_by_status
from explorer.audit.vocabulary import NOT_CAPTURED, STATUS_COLOURS, STATUS_DTYPE, STATUS_LEVELS
from explorer.display import figure_outline


def title(fig) -> str:
    """The title as read, its lines joined by spaces, markup dropped."""
    return " ".join(figure_outline(fig).splitlines()[0].removeprefix("title: ").split(" / "))


def made_up_claims(n: int = 4_000, n_conditions: int = 60, seed: int = 0) -> pd.DataFrame:
    """Claims of made-up conditions: a condition categorical with more categories than are used."""
    rng = np.random.default_rng(seed)
    conditions = [f"Condition {i:02d}" for i in range(n_conditions + 5)]  # the last five never used
    return pd.DataFrame({
        "condition": pd.Categorical.from_codes(rng.zipf(1.5, n) % n_conditions, categories=conditions),
        "status": pd.Categorical.from_codes(rng.integers(0, len(STATUS_LEVELS), n), dtype=STATUS_DTYPE),
        "claim": pd.array([f"claim {k}" for k in rng.integers(0, 30, n)], dtype="string")})


def expected_counts(claims: pd.DataFrame, top: int) -> pd.DataFrame:
    """Claims per condition and status for the ``top`` conditions with most claims, most first (ties:
    categories in their order, plain values in order of first appearance)."""
    condition = claims["condition"]
    if not isinstance(condition.dtype, pd.CategoricalDtype):
        condition = pd.Categorical(condition, categories=pd.unique(condition.dropna()))
    table = (pd.DataFrame({"condition": condition, "status": claims["status"].astype(object)}).dropna()
             .groupby(["condition", "status"], observed=True).size().unstack(fill_value=0)
             .reindex(columns=list(STATUS_LEVELS), fill_value=0))
    order = table.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]
    return table.loc[order]


def drawn(fig) -> pd.DataFrame:
    """The figure's bars as a condition x status table."""
    return pd.DataFrame({t.name: list(t.x) for t in fig.data}, index=list(fig.data[0].y))


def test_claims_by_status_of_the_seed(claims):
    fig = claims_by_status(claims)
    # one condition (Back Pain); statuses as in test_claims.SEED_STATUS
    # curated statuses only: the label-text statuses (last seven) are drawn, empty
    assert drawn(fig).loc["Back Pain"].tolist() == [1, 2, 0, 1, 5, 0, 0, 0, 0, 0, 0, 0]
    assert title(fig).startswith("Side-effect claims by label status, per condition 9 claims.")


@pytest.mark.parametrize("top", [1, 10, 25, 100])
def test_counts_per_condition_and_status_equal_a_groupby(top):
    claims = made_up_claims()
    got = drawn(claims_by_status(claims, top=top))
    expected = expected_counts(claims, top)
    assert got.index.tolist() == [str(c) for c in expected.index]  # the top conditions, most claims first
    assert got.to_numpy().tolist() == expected.to_numpy().tolist()


def test_plain_columns_count_the_same_and_break_ties_by_first_appearance():
    claims = pd.DataFrame({"condition": ["B", "A", "C", "A", "B", "C", None],
                           "status": ["label warning", "label warning", "label warning", None,
                                      "superseded label only", "label adverse reaction", "label warning"],
                           "claim": list("pqrstuv")})
    fig = claims_by_status(claims, top=2)
    assert drawn(fig).index.tolist() == ["B", "C"]  # B and C have 2 counted claims, A one (its other: no status)
    assert drawn(fig).to_numpy().tolist() == expected_counts(claims, 2).to_numpy().tolist()
    # a row without a status is not counted; one without a condition counts under "(no condition named)"
    assert "6 claims; the 2 conditions with most claims, of 4" in title(fig)


def test_top_cut_is_drawn_biggest_on_top_and_named_in_the_title():
    claims = made_up_claims()
    fig = claims_by_status(claims, top=5)
    assert list(fig.layout.yaxis.categoryarray) == list(fig.data[0].y)[::-1]
    used = claims["condition"].nunique()
    assert f"{len(claims):,} claims; the 5 conditions with most claims, of {used}" in title(fig)


def test_title_counts_only_conditions_that_have_claims():
    # filtering claims keeps every category of the condition column; only conditions with claims count
    claims = made_up_claims()
    some = claims[claims["condition"].isin(["Condition 00", "Condition 01", "Condition 02"])]
    assert len(some["condition"].cat.categories) > 3
    assert f" {len(some):,} claims. " in title(claims_by_status(some, top=25))
    assert f" {len(some):,} claims; the 2 conditions with most claims, of 3. " in title(claims_by_status(some, top=2))


def test_always_one_trace_per_status_in_order_and_colour(claims):
    for rows in (claims, claims.iloc[:0], made_up_claims()):
        fig = claims_by_status(rows)
        assert [t.type for t in fig.data] == ["bar"] * len(STATUS_LEVELS)
        assert [t.name for t in fig.data] == list(STATUS_LEVELS)
        assert [t.marker.color for t in fig.data] == [STATUS_COLOURS[s] for s in STATUS_LEVELS]
    assert all(len(t.x) == 0 for t in claims_by_status(claims.iloc[:0]).data)


def test_the_partial_facts_note_stands_under_the_title_when_a_claim_is_not_among_the_captured_facts(claims):
    assert title(claims_by_status(claims)).endswith(PARTIAL_NOTE)  # 5 of the seed's claims are not captured
    captured = claims[(claims["status"] != NOT_CAPTURED).to_numpy()]
    assert PARTIAL_NOTE not in title(claims_by_status(captured))  # nothing it would explain
    assert "does not mean 'not in the label'" in PARTIAL_NOTE
    # never as an annotation placed in fractions of the plot: it overlapped the legend and the axis title
    assert claims_by_status(claims).layout.annotations == ()


def test_the_legend_lists_only_the_statuses_drawn(claims):
    fig = claims_by_status(claims)
    assert [t.name for t in fig.data if t.showlegend is not False] == [
        "label adverse reaction", "label warning", "superseded label only", NOT_CAPTURED]
    assert [t.name for t in fig.data] == list(STATUS_LEVELS)  # every trace kept, for updates in place


def test_no_claims_is_a_sentence_not_an_empty_set_of_axes(claims):
    fig = claims_by_status(claims.iloc[:0])
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert [a.text for a in fig.layout.annotations] == ["No side-effect claims match these filters."]
    assert all(t.showlegend is False for t in fig.data)


def test_long_condition_names_are_cut_on_the_axis_and_kept_whole_in_the_hover():
    long = "Pseudotumor Cerebri With A Name Far Too Long For Its Axis"
    fig = claims_by_status(pd.DataFrame({"condition": [long], "status": ["label warning"], "claim": ["Rash"]}))
    assert list(fig.layout.yaxis.ticktext) == [long[:31] + "…"] and long in fig.data[1].hovertext[0]


def test_hover_names_the_commonest_claims_of_each_segment():
    claims = pd.DataFrame({"condition": ["C"] * 8,
                           "status": ["label warning"] * 7 + ["label adverse reaction"],
                           "claim": ["b", "a", "b", "c", "d", "e", "f", "g"]})
    warning = claims_by_status(claims).data[STATUS_LEVELS.index("label warning")].hovertext[0]
    # most frequent first, ties by name, five at most
    assert warning.endswith("label warning: 7 claims<br>b (2)<br>a (1)<br>c (1)<br>d (1)<br>e (1)")


def test_page_text_is_escaped(claims):
    evil = claims.copy()
    evil["claim"] = evil["claim"].astype("string").replace("Blood clots", "<img src=x onerror=alert(1)>")
    evil["condition"] = evil["condition"].astype(str).replace("Back Pain", "Back <b>Pain</b>")
    fig = claims_by_status(evil)
    texts = " ".join(h for t in fig.data for h in list(t.hovertext) + list(t.y))
    assert "<img" not in texts and "&lt;img src=x" in texts
    assert "<b>Pain" not in texts and "Back &lt;b&gt;Pain&lt;/b&gt;" in texts


@pytest.mark.slow
def test_big_counts_equal_a_groupby_on_all_claims_and_on_one_condition():
    claims = made_up_claims(900_000, n_conditions=3_000, seed=2)
    for rows in (claims, claims[claims["condition"] == "Condition 07"]):
        got = drawn(claims_by_status(rows))
        expected = expected_counts(rows, 25)
        assert got.index.tolist() == [str(c) for c in expected.index]
        assert got.to_numpy().tolist() == expected.to_numpy().tolist()


def test_claims_of_pages_that_name_no_condition_have_a_bar_of_their_own():
    from explorer.vocabulary import NO_CONDITION

    claims = pd.DataFrame({"condition": pd.Categorical(["Acne", None, None]),
                           "status": pd.Categorical(["label warning"] * 3, categories=list(STATUS_LEVELS)),
                           "claim": ["Rash", "Itch", "Itch"]})
    fig = claims_by_status(claims)
    bars = {y: x for t in fig.data if t.name == "label warning" for y, x in zip(t.y, t.x)}
    assert bars == {NO_CONDITION: 2, "Acne": 1}
