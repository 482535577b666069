"""explorer.pages.read: the template parser keeps its own pages; every other page goes to the general one."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from explorer.config import RAW_DIR
from explorer.devtools.synth import synthesize
from explorer.pages.decode import PageError
from explorer.pages.read import is_template_page, read_bytes
from explorer.pages.template import parse_bytes

from ..helpers import FIXTURES

GENERAL = FIXTURES / "general"


def template_pages(tmp_path_factory) -> list[Path]:
    synthetic = tmp_path_factory.mktemp("synth")
    synthesize(150, synthetic, seed=11)
    fixtures = [p for p in (FIXTURES / "pages").rglob("*") if p.is_file()]
    return [RAW_DIR / "mirena-back-pain.txt", *fixtures, *sorted(synthetic.rglob("*.txt"))]


def test_every_template_page_reads_exactly_as_the_template_parser_reads_it(tmp_path_factory):
    read = 0
    for page in template_pages(tmp_path_factory):
        data = page.read_bytes()
        try:
            expected = parse_bytes(data, str(page))
        except PageError:
            continue  # pages the template refuses go to the general extractor (tested below)
        got = read_bytes(data, str(page))
        # the parser leaves the sentence hashes to read_bytes: everything else is the same
        assert got.sentences and dataclasses.replace(got, sentences=()) == expected, page
        read += 1
    assert read > 140


@pytest.mark.parametrize("page", sorted(p.name for p in GENERAL.iterdir() if p.suffix in (".txt", ".html")))
def test_pages_of_other_sites_go_to_the_general_extractor(page):
    data = (GENERAL / page).read_bytes()
    try:
        article = read_bytes(data, str(GENERAL / page))
    except PageError as e:
        assert "a drug named by" in e.expected  # the two pages that name no drug
        return
    assert article.extractor == "general"
    try:
        template = parse_bytes(data, str(GENERAL / page))
    except PageError:
        return
    # a site's header above the title, or a template-shaped page the template finds nothing in
    assert not is_template_page(template) or (not template.side_effects and article.side_effects)


def test_a_json_file_is_not_read_as_a_page():
    with pytest.raises(PageError, match="this file is JSON data"):
        read_bytes(b'{"drug": "Gabapentin", "side_effects": []}', "gabapentin-for-anxiety.expected.json")


def test_metadata_names_the_drug_of_a_template_page_which_the_template_still_reads():
    from explorer.pages.subject import Subject

    data = (RAW_DIR / "mirena-back-pain.txt").read_bytes()
    template = parse_bytes(data, "mirena.txt")
    article = read_bytes(data, "mirena.txt", meta=Subject("Mirena", "Contraception", "meta", "meta"),
                         address="https://meds.test/mirena-for-back-pain")
    assert (article.extractor, article.drug, article.condition, article.drug_from, article.condition_from) == (
        "template", "Mirena", "Contraception", "meta", "meta")
    assert article.side_effects == template.side_effects and article.sections == template.sections
    assert article.source.url == "https://meds.test/mirena-for-back-pain" and article.source.site == "meds.test"


def test_the_facade_parse_file_reads_a_page_of_any_site():
    import csv

    import explorer

    with open(GENERAL / "meta.csv", newline="", encoding="utf-8") as fh:
        addresses = {row["path"]: row["url"] for row in csv.DictReader(fh)}  # two pages name their drug only there
    read = failed = 0
    for page in sorted(p for p in GENERAL.iterdir() if p.suffix in (".txt", ".html")):
        try:
            article = explorer.parse_file(page, address=addresses[page.name])
        except explorer.PageError as e:
            assert "a drug named by" in e.expected  # the two pages that name no drug
            failed += 1
            continue
        assert article.drug and article.extractor == "general"
        read += 1
    assert (read, failed) == (42, 2)
    template = explorer.parse_file(RAW_DIR / "mirena-back-pain.txt")
    assert template.extractor == "template" and template.side_effects
