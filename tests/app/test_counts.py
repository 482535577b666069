"""One count model: pages loaded = read with side effects + read with none + copies + failed, stated once and
used by the header, the overview's tiles and the pickers' notes."""
from __future__ import annotations

import re

import pytest

from explorer.app.model import DashboardModel
from explorer.app.overview import OverviewModel, PageCounts
from explorer.app.widgets import Dashboard
from explorer.corpus.ingest import ingest

from .test_overview import write_two_pages
from .test_widgets import html_text


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory):
    """Pages of every kind: two with side effects, one copy of one of them, one with none, one that fails."""
    import explorer

    folder = tmp_path_factory.mktemp("mixed")
    write_two_pages(folder)
    (folder / "yawning-copy.txt").write_bytes((folder / "yawning.txt").read_bytes())
    (folder / "nothing.txt").write_text("Quorlex for Snoring\nWhat is Quorlex?\nQuorlex is a made-up spray that these "
                                        "tests use.\nIt names no side effect at all.\n")
    (folder / "broken.txt").write_bytes(b"")
    out = tmp_path_factory.mktemp("corpus") / "mixed"
    ingest([folder], out, workers=1, progress=False)
    return explorer.load(out)


def test_pages_loaded_add_up_from_their_parts(mixed_corpus):
    counts = PageCounts.of(mixed_corpus)
    assert (counts.with_side_effects, counts.without_side_effects, counts.copies, counts.failed) == (2, 1, 1, 1)
    assert counts.loaded == 5 == len(mixed_corpus.articles) + 1
    assert counts.sentence() == ("5 pages loaded: 2 read with side effects, 1 read with none, "
                                 "1 copy of another page, 1 failed (see the corpus's report.csv)")


def test_a_corpus_built_in_memory_has_no_failed_pages(seed_corpus):
    counts = PageCounts.of(seed_corpus)
    assert (counts.loaded, counts.with_side_effects, counts.failed) == (1, 1, 0)


def test_header_tiles_and_pickers_say_which_pages_they_count(mixed_corpus):
    dash = Dashboard(mixed_corpus)
    header = html_text(dash.children[0].value)
    assert PageCounts.of(mixed_corpus).sentence() in header
    dash.overview.refresh()
    tiles = {b.description.split("\n")[1]: int(b.description.split("\n")[0]) for b in dash.overview.counts.children}
    assert tiles["pages with side effects"] == 2
    note = html_text(dash._drugs._count.value)
    assert re.search(r"2 drugs named by the 4 pages read; 1 by the 2 with side effects", note), note


def test_the_overview_counts_pages_of_the_model(mixed_corpus):
    overview = OverviewModel(DashboardModel(mixed_corpus))
    assert overview.page_counts == PageCounts.of(mixed_corpus)
    assert overview.counts()["pages"] == 2
