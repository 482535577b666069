"""The overview model: counts, headline, findings and page views over a DashboardModel, without widgets."""
from __future__ import annotations

import re

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


def write_two_pages(folder) -> None:
    """Two pages of one drug: one calls headache common, the other serious."""
    (folder / "hiccups.txt").write_text(PAGE.format(condition="Hiccups", first="Headache", first_text="a dull ache.",
                                                    second="Fainting", second_text="passing out."))
    (folder / "yawning.txt").write_text(PAGE.format(condition="Yawning", first="Nausea", first_text="feeling sick.",
                                                    second="Headache", second_text="a sudden, severe one."))


@pytest.fixture(scope="module")
def two_pages(tmp_path_factory):
    """Two pages of one drug: one calls headache common, the other serious."""
    folder = tmp_path_factory.mktemp("pages")
    write_two_pages(folder)
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
    assert re.search(r'class="explorer-line explorer-claim-line [^"]* explorer-focus" id="line-12"', out)
    assert out.count("explorer-claim-line") == 3
    missing = overview.page_html("nowhere.txt")
    assert "not a page of this corpus" in missing


def test_boilerplate_shared_sentences_and_the_pages_behind_one(two_pages, tmp_path):
    """The two pages share their template's sentence once the drug and condition are masked."""
    from explorer.corpus.dataset import load
    from explorer.corpus.ingest import ingest

    _, folder = two_pages
    ingest([folder], tmp_path / "corpus", workers=1, progress=False)
    overview = OverviewModel(DashboardModel(load(tmp_path / "corpus")))
    ranked = overview.ranked("boilerplate")
    # The made-up description (line 6) and the common side effect both pages list the same way (line 9);
    # "Fainting" and "Nausea" stand on one page each.
    assert sorted(ranked["line"]) == [6, 9] and set(ranked["n_pages"]) == {2}
    labels = overview.entry_labels("boilerplate")
    assert "2 pages (100% of the pages with prose shown): “Zolvane is a made-up tablet used only by these tests.”" in labels
    assert "2 pages (100% of the pages with prose shown): “- Dry mouth: the mouth feels parched.”" in labels
    rows = overview.entry_rows("boilerplate", list(ranked["line"]).index(6))
    assert sorted(f.rsplit("/", 1)[-1] for f in rows["source_file"]) == ["hiccups.txt", "yawning.txt"]
    assert set(rows["line"]) == {6} and set(rows["condition"].astype(str)) == {"Hiccups", "Yawning"}
    assert "2 pages with prose" in overview.boilerplate_summary()
    overview.model.set_state(FilterState(conditions=("Hiccups",)))
    assert overview.ranked("boilerplate").empty  # one page shown: nothing shared among the shown pages


def test_boilerplate_of_a_corpus_without_sentences_says_why(two_pages):
    corpus, _ = two_pages
    overview = OverviewModel(DashboardModel(corpus))
    assert overview.ranked("boilerplate").empty
    assert "no sentences table" in overview.boilerplate_summary()
