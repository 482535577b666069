"""Golden files: everything the template parser reads from each test page, kept as indented JSON in
tests/fixtures/golden/<page file name>.json, so a change in what any page gives shows as a diff.

Each file holds the whole :class:`~explorer.pages.records.Article` (header, sections, side effects,
advice, related pages, numbers, truncated, synthetic, source) or, for a page that cannot be read,
the PageError's line and expectation. Pages are parsed under their file name, so the files do not
depend on where the checkout is. Besides the hand-written test pages (tests/fixtures/pages/) and the
real page (data/raw/), a fixed sample of synthetic pages is kept in golden/synthetic/: the generator's
own expectation is checked in tests/devtools/test_synth.py (drug, condition, side effects, counts), and
these files pin the rest (sections, advice and related entries, numbers, line numbers).

The files were first written from the parser after the restructure of issue 8, once its output had
been compared with the parser before it on every test page (equal, numbers included).
When the parser's behaviour changes on purpose, rewrite them and review the diff::

    pytest tests/pages/test_golden.py --update-golden
"""
from __future__ import annotations

import dataclasses
import difflib
import json
from pathlib import Path

import pytest

from explorer import config
from explorer.devtools.synth import GENERATOR_VERSION, synth_page
from explorer.pages.decode import PageError
from explorer.pages.template import parse_bytes
from explorer.vocabulary import ADVICE_KINDS, SECTION_KINDS, SEVERITY_LEVELS
from tests.helpers import GOLDEN, PAGES

PAGE_FILES = sorted(p for p in PAGES.iterdir() if p.is_file()) + [config.RAW_DIR / "mirena-back-pain.txt"]
#: Synthetic pages kept as golden files: the first twelve (numbered and round bullets, CRLF, a tier
#: heading typo, a binary file among them), then pages of rarer variants under generator version 2:
#: truncated (40, 86), byte-order mark (46), HTML (49, 64), empty (83), a condition holding a cue word
#: (107, "Stress Management"), no title (243).
SYNTHETIC_SEED = 7
SYNTHETIC_SAMPLE = (*range(12), 40, 46, 49, 64, 83, 86, 107, 243)
SYNTHETIC_GOLDEN = GOLDEN / "synthetic"


def reading(data: bytes, path: str) -> dict:
    """What the parser reads from a page, as JSON-ready data."""
    try:
        article = parse_bytes(data, path)
    except PageError as e:
        return {"page_error": {"line": e.line, "expected": e.expected}}
    data = json.loads(json.dumps(dataclasses.asdict(article)))
    # What the general extractor added to the records is constant on template pages; the golden files,
    # written before it, stay exactly as they were.
    assert (data.pop("extractor"), data.pop("drug_from"), data.pop("condition_from")) == ("template", "title", "title")
    assert not any(item.pop("from_prose") for item in data["side_effects"])
    assert data["source"].pop("url") is None
    assert data.pop("sentences") == []  # the sentence hashes are read_bytes's, not the parser's
    return data


def render(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def compare(got: dict, golden: Path, update: bool, hint: str = "") -> None:
    """Compare ``got`` with a golden file, or (``--update-golden``) rewrite the file."""
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(render(got), encoding="utf-8")
        return
    if not golden.exists():
        pytest.fail(f"no golden file {golden}; write it with: pytest tests/pages/test_golden.py --update-golden")
    expected = golden.read_text(encoding="utf-8")
    if json.loads(expected) != got:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), render(got).splitlines(True),
                                            f"{golden.name} (golden)", f"{golden.name} (parser now)", n=2))
        pytest.fail(f"the parser now reads {golden.stem} differently{hint}:\n{diff[:8000]}\n"
                    "If the change is intended, rewrite with: pytest tests/pages/test_golden.py "
                    "--update-golden, and review the diff.")


@pytest.fixture
def update(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.mark.parametrize("path", PAGE_FILES, ids=[p.name for p in PAGE_FILES])
def test_test_page_reads_as_its_golden_file(path, update):
    compare(reading(path.read_bytes(), path.name), GOLDEN / f"{path.name}.json", update)


@pytest.mark.parametrize("i", SYNTHETIC_SAMPLE)
def test_synthetic_page_reads_as_its_golden_file(i, update):
    page = synth_page(i, seed=SYNTHETIC_SEED)
    compare(reading(page.data, page.path), SYNTHETIC_GOLDEN / f"seed{SYNTHETIC_SEED}-{i:04d}.json", update,
            f" (or the generator changed: it is at version {GENERATOR_VERSION}, and the sample was "
            "chosen under version 2)")


def test_every_golden_file_belongs_to_a_page(update):
    """A golden file left behind by a page that was removed or renamed is reported (or removed)."""
    wanted = {GOLDEN / f"{p.name}.json" for p in PAGE_FILES} | {
        SYNTHETIC_GOLDEN / f"seed{SYNTHETIC_SEED}-{i:04d}.json" for i in SYNTHETIC_SAMPLE}
    stale = sorted(set(GOLDEN.rglob("*.json")) - wanted)
    if update:
        for path in stale:
            path.unlink()
        return
    assert not stale, f"golden files without a page: {[str(p.relative_to(GOLDEN)) for p in stale]}"


def test_golden_files_use_only_the_vocabularys_words():
    """Every kind, tier severity and advice kind pinned in a golden file is one the vocabulary names,
    and every variant the golden files are meant to show is there."""
    readings = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLDEN.rglob("*.json"))]
    articles = [r for r in readings if "page_error" not in r]
    assert len(articles) > 20 and len(readings) > len(articles)  # pages read, and pages refused
    for a in articles:
        assert {s["kind"] for s in a["sections"]} <= set(SECTION_KINDS)
        assert {s["severity"] for s in a["side_effects"]} <= {None, *SEVERITY_LEVELS}
        assert {x["kind"] for x in a["advice"]} <= set(ADVICE_KINDS)
    assert any(a["truncated"] for a in articles) and any(a["synthetic"] for a in articles)
    assert any(a["numbers"] for a in articles) and any(a["source"]["format"] == "html" for a in articles)
