"""One audit: ``explorer audit``, the audit object the notebooks use and the dashboard give the same
claims and premises, with and without a label store; the audit is saved beside the corpus and reused
until the corpus, the label store or the reference data changes; findings are classes in one registry."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from explorer import load
from explorer.app.model import DashboardModel
from explorer.app.overview import OverviewModel
from explorer.audit.audit import Audit
from explorer.audit.findings import REGISTRY, Finding, register
from explorer.config import RAW_DIR, REFERENCE_DIR
from explorer.corpus.ingest import ingest
from explorer.corpus.store import CorpusError
from explorer.labels.importer import import_labels
from explorer.labels.store import LabelStore

from ..helpers import FIXTURES

MIRENA_LABEL = FIXTURES / "labels" / "openfda" / "mirena.json"
CLAIM_KEYS = ["source_file", "line", "claim", "status"]
PREMISE_KEYS = ["source_file", "line", "origin", "premise_condition", "status"]


@pytest.fixture
def corpus_dir(tmp_path):
    out = tmp_path / "corpus"
    ingest([str(RAW_DIR)], out, fmt="parquet", workers=1, progress=False)
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> LabelStore:
    root = tmp_path_factory.mktemp("store")
    import_labels([MIRENA_LABEL], root, progress=False)
    return LabelStore(root)


def _cli_audit(corpus_dir, *extra) -> dict:
    out = subprocess.run([sys.executable, "-m", "explorer.cli", "audit", "--format", "json", "--data", str(corpus_dir),
                          *extra], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _keys(table, cols) -> list[tuple]:
    frame = pd.DataFrame(table) if not isinstance(table, pd.DataFrame) else table
    return sorted(tuple(str(v) for v in row) for row in frame[cols].itertuples(index=False))


@pytest.mark.parametrize("with_labels", [False, True], ids=["curated facts", "label store"])
def test_the_cli_the_audit_object_and_the_dashboard_give_the_same_answers(corpus_dir, store, with_labels):
    labels = store if with_labels else None
    cli = _cli_audit(corpus_dir, *(["--labels", str(store.root)] if with_labels else []))
    audit = Audit.of(load(corpus_dir), labels)  # what the notebooks use
    model = DashboardModel(load(corpus_dir), labels=labels)
    overview = OverviewModel(model)
    assert _keys(cli["claims"], CLAIM_KEYS) == _keys(audit.claims, CLAIM_KEYS) == _keys(model.claims, CLAIM_KEYS)
    assert (_keys(cli["premises"], PREMISE_KEYS) == _keys(audit.premises, PREMISE_KEYS)
            == _keys(overview.premises, PREMISE_KEYS))
    # Before: the dashboard checked only the pages' own conditions (1 premise), the CLI their links too.
    assert len(overview.premises) == len(cli["premises"]) > 30
    assert set(overview.premises["origin"].astype(str)) == {"page", "related link"}
    sources = set(audit.claims["label_source"].dropna().astype(str)) if with_labels else set()
    assert ("label text" in sources) == with_labels


def test_the_audit_is_saved_beside_the_corpus_and_reused_until_the_corpus_changes(corpus_dir):
    first = Audit.of(load(corpus_dir), save=True)
    assert not first.reused and first.saved == corpus_dir / "audit"
    again = Audit.of(load(corpus_dir), save=True)
    assert again.reused
    for name in ("claims", "premises", "numbers"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(first, name).reset_index(drop=True),
                                      check_dtype=False, check_categorical=False)
    ingest([str(RAW_DIR)], corpus_dir, fmt="parquet", workers=1, progress=False, incremental=False)
    assert not (corpus_dir / "audit").exists()  # the new corpus folder starts without the old audit
    assert not Audit.of(load(corpus_dir), save=True).reused


def test_a_changed_label_store_or_reference_data_is_noticed(corpus_dir, tmp_path):
    root = tmp_path / "store"
    import_labels([MIRENA_LABEL], root, progress=False)
    assert not Audit.of(load(corpus_dir), LabelStore(root), save=True).reused
    assert Audit.of(load(corpus_dir), LabelStore(root), save=True).reused
    assert not Audit.of(load(corpus_dir), save=True).reused  # no store: another key
    import_labels([FIXTURES / "labels" / "openfda" / "zentravix.json"], root, progress=False)
    assert not Audit.of(load(corpus_dir), LabelStore(root), save=True).reused
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, reference)
    assert Audit.of(load(corpus_dir), LabelStore(root), save=True).reused
    assert not Audit.of(load(corpus_dir), LabelStore(root), reference_dir=reference, save=True).reused  # same files, read from elsewhere
    with open(reference / "lay_terms.csv", "a", encoding="utf-8") as fh:
        fh.write("made-up words,Nausea,written for the test\n")
    assert not Audit.of(load(corpus_dir), LabelStore(root), reference_dir=reference, save=True).reused


def test_a_damaged_saved_audit_is_computed_again(corpus_dir):
    Audit.of(load(corpus_dir), save=True)
    claims = corpus_dir / "audit" / "claims.parquet"
    claims.write_bytes(claims.read_bytes()[:100])
    audit = Audit.of(load(corpus_dir), save=True)
    assert not audit.reused and len(audit.claims) == 9
    assert Audit.of(load(corpus_dir), save=True).reused


def test_a_folder_where_the_audit_cannot_be_saved_leaves_it_unsaved_with_the_reason(corpus_dir):
    (corpus_dir / "audit").write_text("a file of someone else's", encoding="utf-8")
    audit = Audit.of(load(corpus_dir), save=True)
    assert audit.saved is None and "could not be saved" in audit.not_saved and len(audit.claims) == 9
    assert (corpus_dir / "audit").read_text(encoding="utf-8") == "a file of someone else's"


def test_the_ingest_replaces_a_corpus_with_a_saved_audit_but_never_one_with_foreign_files(corpus_dir):
    Audit.of(load(corpus_dir), save=True)
    ingest([str(RAW_DIR)], corpus_dir, fmt="parquet", workers=1, progress=False, incremental=False)
    Audit.of(load(corpus_dir), save=True)
    (corpus_dir / "audit" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(CorpusError, match="audit"):
        ingest([str(RAW_DIR)], corpus_dir, fmt="parquet", workers=1, progress=False, incremental=False)
    assert (corpus_dir / "audit" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_audit_with_label_facts_in_memory_is_not_saved(corpus_dir):
    from explorer.audit.reference import load_label_facts

    audit = Audit.of(load(corpus_dir), facts=load_label_facts(), save=True)
    assert audit.saved is None and "in memory" in audit.not_saved
    assert not (corpus_dir / "audit").exists()


def test_the_cli_says_where_the_audit_is_saved_and_when_it_reuses_it(corpus_dir):
    def run():
        return subprocess.run([sys.executable, "-m", "explorer.cli", "audit", "--save", "--data", str(corpus_dir)],
                              capture_output=True, text=True, timeout=300)
    first, second = run(), run()
    assert first.returncode == second.returncode == 0
    assert f"saved in {corpus_dir / 'audit'}" in first.stderr
    assert "is current" in second.stderr and second.stdout == first.stdout


# -- the registry of findings ------------------------------------------------------------------------------

def test_a_finding_is_one_class_and_the_overview_shows_it(seed_corpus):
    class LongClaims(Finding):
        key, order, title, explain = "long-claims", 99, "Long claims", "claims of more than 20 characters"

        def ranked(self, view):
            claims = view.claims
            return claims[claims["claim"].astype(str).str.len() > 20].reset_index(drop=True)

        def entry_label(self, entry, view):
            return f"{entry.claim} · {entry.source_file}:{entry.line}"

    register(LongClaims)
    try:
        assert list(REGISTRY)[-1] == "long-claims"
        overview = OverviewModel(DashboardModel(seed_corpus))
        long_names = [c for c in seed_corpus.side_effects["name"].astype(str) if len(c) > 20]
        labels = overview.entry_labels("long-claims")
        assert long_names and [label.split(" · ")[0] for label in labels] == long_names
        assert len(overview.entry_rows("long-claims", 0)) == 1
        with pytest.raises(ValueError, match="two findings with the key 'serious'"):
            register(type("Other", (Finding,), {"key": "serious", "order": 1, "title": "", "explain": ""}))
    finally:
        REGISTRY.pop("long-claims", None)
    with pytest.raises(KeyError, match="no finding 'long-claims'"):
        OverviewModel(DashboardModel(seed_corpus)).ranked("long-claims")


# -- one label per page: the claims use the label the page's condition chose for its premise -------------

EVEROLIVEX_PAGE = """Everolivex
Everolivex for Breast Cancer
What is Everolivex?
A page made up for a test of the audit.
Everolivex for Breast Cancer Side Effects
Common Side Effects
- Mouth sores: a made-up claim.
"""


def test_a_pages_claims_are_checked_against_the_label_its_condition_chose(tmp_path):
    """Two products share the generic name; only the older one is approved for the page's condition and
    lists its claim. Before: the claims took the newest label (by name only) while the premise took the
    approved one, so one page was checked against two labels."""
    from explorer.corpus.dataset import Corpus
    from explorer import parse_file

    from .test_fulltext import make_label, passage, write_store

    old = make_label(passage("indications_and_usage", "Afinivex is indicated for the treatment of breast cancer."),
                     passage("adverse_reactions", "The most common adverse reaction was stomatitis (mouth sores)."),
                     brand="Afinivex", generic="everolivex", set_id="old-set", effective="20200101")
    new = make_label(passage("indications_and_usage", "Zortrivex is indicated for the treatment of kidney cancer."),
                     passage("adverse_reactions", "The most common adverse reaction was headache."),
                     brand="Zortrivex", generic="everolivex", set_id="new-set", effective="20240101")
    store = write_store(tmp_path / "store", [old, new])
    page = tmp_path / "everolivex-breast-cancer.txt"
    page.write_text(EVEROLIVEX_PAGE, encoding="utf-8")
    audit = Audit.compute(Corpus.from_articles([parse_file(page)]), store)
    own = audit.premises[audit.premises["origin"].astype(str) == "page"]
    assert own["label_set_id"].tolist() == ["old-set"] and own["status"].tolist() == ["approved indication"]
    claim = audit.claims.iloc[0]
    assert (claim["label_set_id"], claim["status"]) == ("old-set", "label adverse reaction")
