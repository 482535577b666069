"""The overview model: counts, headline, findings and page views over a DashboardModel, without widgets."""
from __future__ import annotations

import pytest

from explorer.app.model import DashboardModel
from explorer.app.overview import FINDING_KEYS, OverviewModel
from explorer.corpus.dataset import Corpus
from explorer.explore.filters import FilterState
from explorer.pages.read import read_file

PAGE = """Zolvane
Active Ingredients
Drug Classes
Zolvane for {condition}
What is Zolvane?
Zolvane is a made-up tablet used only by these tests.
Zolvane for {condition} Side Effects
Common Side Effects of Zolvane for {condition}
- Dry mouth: the mouth feels parched.
- {first}: {first_text}
Serious Side Effects of Zolvane for {condition}
- {second}: {second_text}
"""


@pytest.fixture(scope="module")
def two_pages(tmp_path_factory):
    """Two pages of one drug: one calls headache common, the other serious."""
    folder = tmp_path_factory.mktemp("pages")
    (folder / "hiccups.txt").write_text(PAGE.format(condition="Hiccups", first="Headache", first_text="a dull ache.",
                                                    second="Fainting", second_text="passing out."))
    (folder / "yawning.txt").write_text(PAGE.format(condition="Yawning", first="Nausea", first_text="feeling sick.",
                                                    second="Headache", second_text="a sudden, severe one."))
    return Corpus.from_articles([read_file(folder / "hiccups.txt"), read_file(folder / "yawning.txt")]), folder


@pytest.fixture()
def seed(seed_corpus):
    return OverviewModel(DashboardModel(seed_corpus))


def test_counts_and_headline_of_the_seed(seed):
    assert seed.counts() == {"pages": 1, "drugs": 1, "conditions": 1, "sites": 1, "claims": 9}
    h = seed.headline()
    assert (h["claims"], h["serious_unsupported"], h["tier_disagreements"]) == (9, 1, 1)
    assert (h["pages_checked"], h["pages_not_approved"], h["stale_figures"]) == (1, 1, 1)


def test_every_finding_has_a_ranked_list_labels_and_rows(seed):
    for key in FINDING_KEYS:
        ranked = seed.ranked(key)
        labels = seed.entry_labels(key)
        assert len(labels) == len(ranked)
        for i in range(len(ranked)):
            rows = seed.entry_rows(key, i)
            assert len(rows) and {"source_file", "line"} <= set(rows.columns)
    assert seed.entry_rows("serious", 0)["line"].tolist() == [42]
    assert seed.entry_rows("stale", 0)["text"].tolist() == ["five to seven years"]
    with pytest.raises(KeyError, match="no finding 'nope'"):
        seed.ranked("nope")


def test_findings_follow_the_filters(seed):
    seed.model.set_state(FilterState(severities=("common",)))
    assert seed.counts()["claims"] == 3
    assert seed.ranked("serious").empty and seed.headline()["serious_unsupported"] == 0
    seed.model.set_state(FilterState(drugs=("Mirena",)))
    assert len(seed.ranked("serious")) == 1


def test_tier_conflicts_across_pages_with_the_rows_side_by_side(two_pages):
    corpus, folder = two_pages
    overview = OverviewModel(DashboardModel(corpus))
    ranked = overview.ranked("consistency")
    assert ranked[["drug", "side_effect", "n_pages", "tiers"]].to_dict("records") == [
        {"drug": "Zolvane", "side_effect": "headache", "n_pages": 2, "tiers": "common | serious"}]
    rows = overview.entry_rows("consistency", 0)
    assert [(f.rsplit("/", 1)[-1], str(s)) for f, s in zip(rows["source_file"], rows["severity"])] == [
        ("yawning.txt", "serious"), ("hiccups.txt", "common")]
    assert overview.entry_labels("consistency") == ["Zolvane: headache (common | serious) · 2 pages"]


def test_page_view_of_a_page_and_of_an_unknown_one(two_pages):
    corpus, folder = two_pages
    overview = OverviewModel(DashboardModel(corpus))
    source = str(folder / "yawning.txt")
    text, claims = overview.page(source)
    assert text.problem is None and len(claims) == 3 and set(claims["line"]) == {9, 10, 12}
    out = overview.page_html(source, line=12)
    assert 'class="explorer-line explorer-claim-line explorer-focus"' in out and 'id="line-12"' in out
    assert out.count("explorer-claim-line") == 3
    missing = overview.page_html("nowhere.txt")
    assert "not a page of this corpus" in missing
