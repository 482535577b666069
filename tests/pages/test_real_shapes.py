"""The general reader on pages in the shapes real pages take (tests/fixtures/general-real-shapes*/).

Each page was written for these tests, in our own words, after one kind of miss seen on real pages of
other sites (a lead-in sentence instead of a heading, items with commas inside, citations glued to
names, a table whose first column is the tier, bare lines under a label, one heading per side effect,
a forum's numbered notes, a run-on list in prose, a drug or condition named only in the text, ...). The
folder's README says which shape each page holds and how its expected reading was decided. Every page
must read exactly as its ``NAME.expected.json`` says: drug, condition, and each side effect's name, tier
(for items of lists), severity and whether it came from prose, in page order. The second folder was
written after the rules for the first, in shapes they had not seen (a monograph's prose, a health service's
leaflet, a forum post, a product page, a news story, Markdown, a trial table, bold HTML labels, nested HTML
lists); 8 of its 10 pages failed on its first run, and its README says what was fixed; the third
folder was written after the second (4 of 6 failed on their first run).
"""
from __future__ import annotations

import csv
import json

import pytest

from explorer.pages.read import read_file
from explorer.text import fold

from ..helpers import FIXTURES

FOLDERS = (FIXTURES / "general-real-shapes", FIXTURES / "general-real-shapes-2", FIXTURES / "general-real-shapes-3")
PAGES = sorted(f"{p.parent.name}/{p.name}" for folder in FOLDERS for p in folder.iterdir()
               if p.suffix in (".txt", ".html", ".md") and p.name != "README.md")


def _addresses() -> dict[str, str]:
    out = {}
    for folder in FOLDERS:
        with open(folder / "meta.csv", newline="", encoding="utf-8") as fh:
            out.update({f"{folder.name}/{row['path']}": row["url"] for row in csv.DictReader(fh)})
    return out


def _reading(side_effects) -> list[tuple]:
    return [(fold(s["name"]), None if s["from_prose"] else (s["tier"] or None), s["severity"], s["from_prose"])
            for s in side_effects]


@pytest.mark.parametrize("page", PAGES)
def test_the_page_reads_as_its_expected_file_says(page):
    expected = json.loads((FIXTURES / page).with_suffix(".expected.json").read_text(encoding="utf-8"))
    article = read_file(FIXTURES / page, address=_addresses()[page])
    assert (fold(article.drug), fold(article.condition or "")) == (
        fold(expected["drug"]), fold(expected["condition"] or ""))
    got = _reading([{"name": s.name, "tier": s.tier, "severity": s.severity, "from_prose": s.from_prose}
                    for s in article.side_effects])
    assert got == _reading(expected["side_effects"])


def test_every_page_has_its_expected_file_and_address():
    addresses = _addresses()
    assert len(PAGES) >= 47
    for page in PAGES:
        assert (FIXTURES / page).with_suffix(".expected.json").exists(), page
        assert addresses.get(page, "").startswith("https://"), page
