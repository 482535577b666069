"""Shared fixtures: the seed corpus, a corpus with the escaped-markup page, and real Voila servers.

One server per corpus for the whole session, ended by PID in fixture teardown. Tests that use a
server fixture are marked ``server`` here, so ``-m "not server"`` leaves them out.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# Tests compute each audit afresh (a saved audit would hide what a test patches, and tests would write into
# data/corpus); tests/audit/test_audit.py turns saving on where it is what is tested. Servers inherit it.
os.environ["EXPLORER_SAVED_AUDIT"] = "off"
# The record of label-fact files already validated goes to a folder of the test run, not the user's cache.
if not os.environ.get("EXPLORER_CACHE_DIR"):
    import atexit
    import shutil
    import tempfile

    os.environ["EXPLORER_CACHE_DIR"] = tempfile.mkdtemp(prefix="explorer-test-cache-")
    atexit.register(shutil.rmtree, os.environ["EXPLORER_CACHE_DIR"], ignore_errors=True)

from explorer.config import RAW_DIR

from .helpers import DASHBOARD_PAGES, ESCAPED_PAGE, FIXTURES, FORMULA_PAGE, GENERAL_PAGES, PAGES, start_voila

SERVER_FIXTURES = {"voila_server", "escaped_server", "dashboard_server"}


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/fixtures/golden/*.json from the parser's current output")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.server)


@pytest.fixture(scope="session")
def seed_corpus():
    """The embedded corpus (the seed page)."""
    import explorer

    return explorer.load()


@pytest.fixture(scope="session")
def escaped_corpus_dir(tmp_path_factory) -> Path:
    """A corpus folder holding the seed page and the escaped-markup test page."""
    from explorer.corpus.ingest import ingest

    pages = tmp_path_factory.mktemp("pages")
    for src in (RAW_DIR / "mirena-back-pain.txt", ESCAPED_PAGE):
        (pages / src.name).write_bytes(src.read_bytes())
    out = tmp_path_factory.mktemp("corpus") / "escaped"
    ingest([pages], out, workers=1, progress=False)
    return out


@pytest.fixture(scope="session")
def escaped_corpus(escaped_corpus_dir):
    import explorer

    return explorer.load(escaped_corpus_dir)


@pytest.fixture(scope="session")
def formula_corpus(tmp_path_factory):
    """A corpus of one page whose side effects start with =, @, + and -: text a spreadsheet would run."""
    import explorer
    from explorer.corpus.ingest import ingest

    pages = tmp_path_factory.mktemp("formula-pages")
    (pages / FORMULA_PAGE.name).write_bytes(FORMULA_PAGE.read_bytes())
    out = tmp_path_factory.mktemp("corpus") / "formula"
    ingest([pages], out, workers=1, progress=False)
    return explorer.load(out)


#: The browser test's corpus: template pages (the seed, two test pages, two of the invented Zentravix) and
#: pages of other sites (general test pages, text and HTML, one with no side effect, some naming no
#: condition, and Zentravix's), checked against two labels (Mirena's and the invented Zentravix's).
DASHBOARD_CORPUS_PAGES = (
    RAW_DIR / "mirena-back-pain.txt", PAGES / "tiers-and-bullets.txt", PAGES / "related-plain.txt",
    *sorted(DASHBOARD_PAGES.glob("zentravix-*")),
    *(GENERAL_PAGES / name for name in ("01-gabapentin-for-anxiety.txt", "02-trazodone-side-effects.txt",
                                        "13-gabapentin-nerve-pain-table.txt", "24-prednisone-tapering-no-side-effects.txt",
                                        "31-sertraline-for-anxiety.html", "32-trazodone-side-effects-table.html")))
DASHBOARD_LABELS = (FIXTURES / "labels" / "openfda" / "mirena.json", FIXTURES / "labels" / "openfda" / "zentravix.json")


@pytest.fixture(scope="session")
def dashboard_corpus_dir(tmp_path_factory) -> tuple[Path, Path]:
    """(corpus folder, label store) of :data:`DASHBOARD_CORPUS_PAGES` and :data:`DASHBOARD_LABELS`."""
    from explorer.corpus.ingest import ingest
    from explorer.labels.importer import import_labels

    pages = tmp_path_factory.mktemp("dashboard-pages")
    for src in DASHBOARD_CORPUS_PAGES:
        (pages / src.name).write_bytes(src.read_bytes())
    out = tmp_path_factory.mktemp("corpus") / "dashboard"
    ingest([pages], out, workers=1, progress=False, drug_names=["Zentravix"])
    labels = tmp_path_factory.mktemp("labels") / "store"
    import_labels(list(DASHBOARD_LABELS), labels, progress=False)
    return out, labels


@pytest.fixture(scope="session")
def dashboard_server(dashboard_corpus_dir, tmp_path_factory):
    """The dashboard served on the browser test's corpus, with its labels."""
    corpus, labels = dashboard_corpus_dir
    server = start_voila(corpus, tmp_path_factory.mktemp("voila-dashboard") / "voila.log", labels=labels)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    """The dashboard served on the embedded data (one server for the session)."""
    server = start_voila(None, tmp_path_factory.mktemp("voila") / "voila.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def escaped_server(escaped_corpus_dir, tmp_path_factory):
    """The dashboard served on the corpus with the escaped-markup page."""
    server = start_voila(escaped_corpus_dir, tmp_path_factory.mktemp("voila-escaped") / "voila.log")
    yield server
    server.stop()
