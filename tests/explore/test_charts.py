"""Charts checked as figure objects (trace types, values, category order, colours), no kernel."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from explorer import charts
from explorer.filters import FilterState, filter_rows
from explorer.schema import SEVERITY_COLOURS, SEVERITY_DTYPE, SEVERITY_LEVELS, UNRECOGNISED_COLOUR

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from dashboard import synthetic_corpus  # noqa: E402  (the benchmark's in-memory corpus generator)

ORDER = ["Common", "Less common", "Rare", "Serious", "Unrecognised tier"]


def test_severity_bar_on_the_seed(seed_corpus):
    fig = charts.severity_bar(seed_corpus.side_effects)
    assert [t.type for t in fig.data] == ["bar"] * 5
    assert [t.name for t in fig.data] == ORDER
    assert [t.marker.color for t in fig.data] == [SEVERITY_COLOURS[s] for s in SEVERITY_LEVELS] + [UNRECOGNISED_COLOUR]
    by_name = {t.name: (list(t.x), list(t.y)) for t in fig.data}
    assert by_name["Common"] == ([3], ["Back Pain"])
    assert by_name["Less common"] == ([3], ["Back Pain"])
    assert by_name["Rare"] == ([], [])
    assert by_name["Serious"] == ([3], ["Back Pain"])
    assert fig.layout.barmode == "stack"
    assert list(fig.layout.yaxis.categoryarray) == ["Back Pain"]
    serious_hover = fig.data[3].hovertext[0]
    assert "Perforation of the uterus; Infection; Blood clots" in serious_hover


def test_severity_bar_splits_by_drug_when_there_are_several(seed_corpus, escaped_corpus):
    fig = charts.severity_bar(escaped_corpus.side_effects)
    groups = list(fig.layout.yaxis.categoryarray)
    assert sorted(groups) == sorted(["Mirena · Back Pain", "Examplin · Itchy &lt;b&gt;Skin&lt;/b&gt;"])
    assert groups[-1] == "Mirena · Back Pain"  # biggest group (9 rows) drawn on top
    serious = {y: x for x, y in zip(fig.data[3].x, fig.data[3].y)}
    assert serious == {"Mirena · Back Pain": 3, "Examplin · Itchy &lt;b&gt;Skin&lt;/b&gt;": 1}


def test_unrecognised_tier_gets_its_own_grey_bar():
    se = pd.DataFrame({"drug": ["D", "D"], "condition": ["C", "C"], "name": ["a", "b"],
                       "severity": pd.Categorical([None, "rare"], dtype=SEVERITY_DTYPE)})
    fig = charts.severity_bar(se)
    assert list(fig.data[4].x) == [1] and fig.data[4].marker.color == UNRECOGNISED_COLOUR
    assert list(fig.data[2].x) == [1]


def test_empty_selection_gives_empty_traces(seed_corpus):
    empty = seed_corpus.side_effects.iloc[:0]
    for fig in (charts.severity_bar(empty), charts.claim_matrix_figure(empty)):
        assert len(fig.data) == 5 and all(len(t.x) == 0 for t in fig.data)


def test_claim_matrix_on_the_seed(seed_corpus):
    fig = charts.claim_matrix_figure(seed_corpus.side_effects)
    assert [t.type for t in fig.data] == ["scatter"] * 5 and [t.name for t in fig.data] == ORDER
    assert [t.marker.color for t in fig.data][:4] == [SEVERITY_COLOURS[s] for s in SEVERITY_LEVELS]
    serious = fig.data[3]
    assert list(serious.x) == ["Perforation of the uterus", "Infection", "Blood clots"]
    assert list(serious.y) == ["Back Pain"] * 3
    assert sum(len(t.x) for t in fig.data) == 9
    hover = serious.hovertext[0]
    assert "In some cases, Mirena can cause the uterus to perforate" in hover
    assert "data/raw/mirena-back-pain.txt:40" in hover and "Tier: Serious" in hover


def test_claim_matrix_keeps_the_top_n_side_effects(seed_corpus):
    fig = charts.claim_matrix_figure(seed_corpus.side_effects, top=4)
    assert len(fig.layout.xaxis.categoryarray) == 4
    assert sum(len(t.x) for t in fig.data) == 4
    assert "top 4 of 9" in fig.layout.title.text


def test_claim_matrix_shows_the_most_severe_claim_of_a_pair():
    se = pd.DataFrame({
        "drug": ["D"] * 3, "condition": ["C"] * 3, "name": ["Rash", "Rash", "Itch"],
        "tier": ["Common", "Serious", "Odd"], "description": ["mild", "bad", None],
        "severity": pd.Categorical(["common", "serious", None], dtype=SEVERITY_DTYPE),
        "source_file": ["a.txt", "b.txt", "c.txt"], "line": [5, 7, 9]})
    m = charts.claim_matrix(se)
    rash = m[m["name"] == "Rash"].iloc[0]
    assert (rash["severity"], rash["tier"], rash["pages"], rash["source_file"], rash["line"]) == \
        ("serious", "Serious", 2, "b.txt", 7)
    assert m[m["name"] == "Itch"].iloc[0]["severity"] == "unrecognised tier"


def test_related_map_of_the_seed(seed_corpus):
    fig = charts.related_map(seed_corpus.related, seed_corpus.articles, "Mirena")
    links, with_page, linked = fig.data
    assert (links.name, with_page.name, linked.name) == ("links", "has a page", "only linked")
    assert list(with_page.text) == ["Back Pain"]
    assert len(linked.text) == 35 and "Birth Control" in linked.text and "Hot Flashes" in linked.text
    assert with_page.marker.color != linked.marker.color
    assert len(links.x) == 35 * 3  # one line per link, None-separated
    assert "1 with a page, 35 only linked" in fig.layout.title.text
    assert "data/raw/mirena-back-pain.txt:61" in linked.hovertext[0]


def test_related_map_marks_linked_pages_present_in_the_corpus(escaped_corpus):
    rc = charts.related_conditions(escaped_corpus.related, escaped_corpus.articles, "Examplin")
    assert dict(zip(rc["condition"], rc["has_page"])) == {"Itchy <b>Skin</b>": True, "Dry Skin": False}
    fig = charts.related_map(escaped_corpus.related, escaped_corpus.articles, "Examplin")
    assert list(fig.data[1].text) == ["Itchy &lt;b&gt;Skin&lt;/b&gt;"]  # escaped node label


def test_page_markup_is_escaped_in_every_chart(escaped_corpus):
    se = escaped_corpus.side_effects
    texts = []
    for fig in (charts.severity_bar(se), charts.claim_matrix_figure(se)):
        for t in fig.data:
            texts += [str(v) for v in (t.hovertext or ())] + [str(v) for v in (t.x or ())] + \
                     [str(v) for v in (t.y or ())]
        texts += [str(v) for v in (fig.layout.yaxis.categoryarray or ())]
    joined = "\n".join(texts)
    assert "<script>" not in joined and "<img" not in joined and "<b>Bold" not in joined
    assert "&lt;script&gt;" in joined and "&lt;img src=x onerror=" in joined


@pytest.fixture(scope="module")
def big():
    """100,000 pages, 900,000 side-effect rows, 3.5 million related links, in memory."""
    c = synthetic_corpus(100_000)
    return c, c.side_effects.assign(name=c.side_effects["name"].astype("category"))


def test_charts_aggregate_before_plotting(big):
    corpus, se = big
    assert len(se) == 900_000
    bar = charts.severity_bar(se)
    assert sum(len(t.x) for t in bar.data) <= 25 * 5
    assert sum(sum(t.x) for t in bar.data) < len(se)  # only the top groups are drawn
    matrix = charts.claim_matrix_figure(se, top=20)
    assert len(matrix.layout.xaxis.categoryarray) == 20
    assert sum(len(t.x) for t in matrix.data) <= 20 * 25
    drug = str(corpus.articles["drug"].iloc[0])
    related = charts.related_map(corpus.related, corpus.articles, drug)
    assert len(related.data[0].x) <= 400 * 3
    nodes = len(related.data[1].x) + len(related.data[2].x)
    assert nodes == charts.related_conditions(corpus.related, corpus.articles, drug).shape[0]


def test_big_counts_match_a_plain_groupby(big):
    _, se = big
    serious = filter_rows(se, FilterState(severities=("serious",)))
    counts = charts.severity_counts(serious, top=5)
    expected = (serious.groupby(["drug", "condition"], observed=True).size()
                .sort_values(ascending=False, kind="stable").head(5))
    assert list(counts["count"]) == list(expected.to_numpy())
    assert set(counts["severity"]) == {"serious"}


def test_top_is_stable_and_linear():
    counts = np.array([0, 3, 1, 3, 2, 3])
    assert charts._top(counts, 2).tolist() == [1, 3]
    assert charts._top(counts, 10).tolist() == [1, 3, 5, 4, 2]
    assert charts._top(np.zeros(4, dtype=int), 3).tolist() == []


def test_related_map_without_a_drug_is_an_empty_map_with_its_three_traces():
    import explorer
    from explorer.charts import related_map

    corpus = explorer.load()
    fig = related_map(corpus.related, corpus.articles, None)
    assert [t.name for t in fig.data] == ["links", "has a page", "only linked"]
    assert all(len(t.x or ()) == 0 for t in fig.data)


def test_first_per_key_matches_a_groupby_head():
    rng = np.random.default_rng(0)
    keys = rng.integers(0, 40, 30_000)
    keys[25_000:] = rng.integers(40, 45, 5_000)  # keys first seen after the sorted prefix
    keys[100] = 44
    got = charts._first_per_key(keys, 45, 5, head=1_000)
    expected = (pd.Series(np.arange(len(keys))).groupby(keys, sort=True).head(5)
                .pipe(lambda s: s.iloc[np.lexsort((s.to_numpy(), keys[s.to_numpy()]))]))
    assert got.tolist() == expected.tolist()


def test_big_claim_matrix_matches_a_plain_groupby(big):
    _, se = big
    rows = filter_rows(se, FilterState(severities=("serious", "rare")))
    m = charts.claim_matrix(rows, top=5, top_conditions=4)
    pairs = rows.groupby(["name", "condition"], observed=True).size()
    per_name = pairs.groupby(level="name", observed=True).size().sort_values(ascending=False, kind="stable")
    assert set(m["name"]) <= set(per_name.index[:5])
    expected = pairs.loc[list(zip(m["name"], m["condition"]))].to_numpy()
    assert m["pages"].tolist() == expected.tolist()
    first = rows.iloc[[int(np.flatnonzero((rows["name"] == n).to_numpy() & (rows["condition"] == c).to_numpy()
                                          & (rows["severity"] == s).to_numpy())[0])
                       for n, c, s in zip(m["name"], m["condition"], m["severity"])][:10]]
    assert first["line"].tolist() == m["line"].tolist()[:10]


def test_related_conditions_counts_and_first_links_match_a_groupby(big):
    corpus, _ = big
    drug = str(corpus.articles["drug"].iloc[0])
    rc = charts.related_conditions(corpus.related, corpus.articles, drug)
    rel = corpus.related
    links = rel[(rel["drug"].astype(str) == drug).to_numpy() & (rel["related_drug"].astype(str) == drug).to_numpy()]
    agg = links.groupby(links["related_condition"].astype(str), sort=False).agg(
        links=("line", "size"), line=("line", "first"))
    linked = rc[rc["links"] > 0].set_index("condition")
    assert sorted(linked.index) == sorted(agg.index)
    assert linked["links"].to_dict() == agg["links"].to_dict()
    assert linked["line"].astype(int).to_dict() == agg["line"].to_dict()


def test_charts_are_valid_plotly(seed_corpus, escaped_corpus):
    """Charts are built without plotly's per-property validation; rebuilt with it, they are the same."""
    import json

    import plotly.graph_objects as go

    figures = []
    for corpus in (seed_corpus, escaped_corpus):
        se = corpus.side_effects
        drug = str(corpus.articles["drug"].iloc[0])
        figures += [charts.severity_bar(se), charts.claim_matrix_figure(se), charts.severity_bar(se.iloc[:0]),
                    charts.claim_matrix_figure(se.iloc[:0]),
                    charts.related_map(corpus.related, corpus.articles, drug, selected=("Back Pain",)),
                    charts.related_map(corpus.related, corpus.articles, None)]
    for fig in figures:
        validated = go.Figure(fig.to_plotly_json())
        assert json.loads(validated.to_json()) == json.loads(fig.to_json())
        assert fig.layout.title.text and validated.layout.title.text == fig.layout.title.text
