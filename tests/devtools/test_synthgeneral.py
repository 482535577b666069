"""Synthetic pages of other sites' shapes: reproducible, each shape read by the general extractor as written."""
from __future__ import annotations

import pytest

from explorer.devtools.synthgeneral import DRUGS, SHAPES, general_page
from explorer.pages.read import read_bytes
from explorer.pages.template import SYNTHETIC_MARKER


def test_pages_are_the_same_bytes_for_the_same_seed_and_differ_across_seeds():
    assert general_page(7, seed=1) == general_page(7, seed=1)
    assert general_page(7, seed=1).data != general_page(7, seed=2).data


@pytest.mark.parametrize("i", range(2 * len(SHAPES)))
def test_the_general_extractor_reads_every_shape_as_it_was_written(i):
    page = general_page(i, seed=3)
    assert SYNTHETIC_MARKER.encode() in page.data
    article = read_bytes(page.data, page.name, drug_names=DRUGS)
    assert article.extractor == "general", page.shape
    assert (article.drug, article.condition) == (page.drug, page.condition), page.shape
    assert [(s.name, s.severity) for s in article.side_effects] == list(page.side_effects), page.shape


def test_synth_writes_the_asked_share_in_general_shapes_and_ingest_reads_them_with_their_extractor(tmp_path):
    import explorer
    from explorer.cli import main
    from explorer.corpus.ingest import ingest

    assert main(["synth", "--pages", "40", "--out", str(tmp_path / "pages"), "--general-share", "0.25"]) == 0
    assert len(list((tmp_path / "pages" / "general").iterdir())) == 10
    ingest([tmp_path / "pages"], tmp_path / "corpus", workers=1, progress=False, drug_names=DRUGS)
    articles = explorer.load(tmp_path / "corpus").articles
    by = articles.groupby("extractor", observed=True).size().to_dict()
    assert by["general"] == 10 and by["template"] >= 25
    general = articles[articles["extractor"] == "general"]
    assert set(general["site"]) == {"folder: general"}


def test_the_extractor_line_of_the_bench_measures_both_extractors_on_their_own_pages():
    from explorer.devtools.extractorbench import format_extractors, measure_extractors

    row = measure_extractors(24, passes=1)
    assert row["template_pages_per_s"] > 0 and row["general_pages_per_s"] > 0
    assert row["general_read_by"] == {"general": 24} and set(row["template_read_by"]) <= {"template", "failed"}
    assert "general extractor" in format_extractors(row)
