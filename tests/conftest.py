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

from explorer.config import RAW_DIR

from .helpers import ESCAPED_PAGE, FORMULA_PAGE, start_voila

SERVER_FIXTURES = {"voila_server", "escaped_server"}


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
