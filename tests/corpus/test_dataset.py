"""Corpus and load: the embedded data with provenance on every row, a warning when data/raw changed
since it was ingested, errors that name the folder, and the same tables from Parquet and CSV."""
from __future__ import annotations

import hashlib
import warnings

import pandas as pd
import pytest

import explorer
from explorer import config
from explorer.corpus.dataset import Corpus
from explorer.corpus.ingest import ingest
from explorer.corpus.store import CorpusError, StaleCorpusWarning
from explorer.pages.template import parse_file
from explorer.vocabulary import UNRECOGNISED_TIER

from .builders import PAGE_TABLES, SEED, comparable, make_pages


def test_embedded_data_is_the_seed_page_with_provenance_on_every_row():
    corpus = explorer.load()
    assert corpus.root == config.CORPUS_DIR and corpus.label_facts is None
    assert list(corpus.articles["title"]) == ["Mirena for Back Pain"]
    lines = SEED.read_text(encoding="utf-8").splitlines()
    sha = hashlib.sha256(SEED.read_bytes()).hexdigest()
    for name in PAGE_TABLES:
        table = getattr(corpus, name)
        assert len(table) > 0, name
        assert (table["source_file"] == "data/raw/mirena-back-pain.txt").all(), name
        assert (table["sha256"] == sha).all(), name
        assert (table["line"] >= 1).all(), name
    # each line points at the item in the raw file
    for row in corpus.side_effects.itertuples():
        assert lines[row.line - 1].startswith(f"- {row.name}:")
    for row in corpus.related.itertuples():
        assert lines[row.line - 1] == f"- {row.related_drug} for {row.related_condition}"
    for row in corpus.numbers.itertuples():
        assert row.text in lines[row.line - 1] and row.sentence in lines[row.line - 1]
    # the page's side-effects block: three tiers of three items, none of them unrecognised
    se = corpus.side_effects
    assert se.groupby("severity", observed=True).size().to_dict() == {"common": 3, "less common": 3, "serious": 3}
    # the seed is the only page, so none of its related links has a page in the corpus
    assert not corpus.related["has_page"].any()
    assert corpus.numbers[["text", "low", "high", "unit"]].values.tolist() == [["five to seven years", 5.0, 7.0, "year"]]


def test_loading_an_ingested_folder_equals_building_from_the_parsed_pages(tmp_path):
    pages = make_pages(tmp_path / "raw", ["Back Pain", "Acne"])
    loaded = explorer.load(ingest([tmp_path / "raw"], tmp_path / "c", workers=1, progress=False).out)
    built = Corpus.from_articles([parse_file(p) for p in pages])
    for name in PAGE_TABLES:
        pd.testing.assert_frame_equal(comparable(getattr(loaded, name)), comparable(getattr(built, name)), obj=name)


def test_parquet_and_csv_corpora_load_to_the_same_tables(tmp_path):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain", "Acne"])
    pq = explorer.load(ingest([raw], tmp_path / "pq", workers=1, progress=False).out)
    csv = explorer.load(ingest([raw], tmp_path / "csv", fmt="csv", workers=1, progress=False).out)
    for name in PAGE_TABLES:
        pd.testing.assert_frame_equal(getattr(pq, name), getattr(csv, name), check_categorical=False, obj=name)


def test_summary_counts_pages_and_side_effects_per_drug_condition_and_severity(tmp_path):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain", "Acne"])
    odd = raw / "mirena-acne.txt"  # one tier written in a way no severity matches
    # ("Occasional" is a tier word now that every reader reads tiers from data/reference/tier_words.csv)
    odd.write_bytes(odd.read_bytes().replace(b"Less Common Side Effects", b"Sporadic Side Effects"))
    summary = explorer.load(ingest([raw], tmp_path / "c", workers=1, progress=False).out).summary()
    assert summary["drug"].to_dict("index") == {"Mirena": {"pages": 2, "side_effects": 18}}
    assert summary["condition"].to_dict("index") == {"Acne": {"pages": 1, "side_effects": 9},
                                                     "Back Pain": {"pages": 1, "side_effects": 9}}
    assert summary["severity"]["side_effects"].to_dict() == {
        "common": 6, "less common": 3, "rare": 0, "serious": 6, UNRECOGNISED_TIER: 3}
    assert summary["extractor"].to_dict("index") == {"template": {"pages": 2, "side_effects": 18}}


def test_summary_counts_pages_per_extractor(tmp_path):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain"])
    (raw / "trazodone.txt").write_text("Trazodone Side Effects\n\nCommon:\n- Drowsiness\n- Dry mouth\n",
                                       encoding="utf-8")
    summary = explorer.load(ingest([raw], tmp_path / "c", workers=1, progress=False).out).summary()
    assert summary["extractor"].to_dict("index") == {"general": {"pages": 1, "side_effects": 2},
                                                     "template": {"pages": 1, "side_effects": 9}}
    assert "Trazodone" in summary["drug"].index and summary["condition"]["pages"].sum() == 1  # no condition named


def test_load_errors_name_the_folder(tmp_path):
    with pytest.raises(CorpusError, match=f"{tmp_path / 'missing'}: no such corpus folder"):
        explorer.load(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match=f"{tmp_path / 'empty'}: no manifest.json"):
        explorer.load(tmp_path / "empty")


def test_embedded_folder_without_manifest_says_how_to_build_it(tmp_path, monkeypatch):
    (tmp_path / "corpus").mkdir()
    monkeypatch.setattr(config, "CORPUS_DIR", tmp_path / "corpus")
    with pytest.raises(CorpusError, match="Build it with: explorer ingest data/raw --out data/corpus"):
        explorer.load()


def test_load_warns_when_the_embedded_corpus_is_stale(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_pages(tmp_path / "data" / "raw", ["Back Pain"])
    ingest(["data/raw"], tmp_path / "data" / "corpus", fmt="csv", workers=1, progress=False)
    monkeypatch.setattr(config, "DATA_DIR", tmp_path / "data")
    monkeypatch.setattr(config, "RAW_DIR", tmp_path / "data" / "raw")
    monkeypatch.setattr(config, "CORPUS_DIR", tmp_path / "data" / "corpus")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(explorer.load().articles) == 1  # up to date: no warning
        explorer.load(tmp_path / "data" / "corpus")  # a folder given by path is never checked
    make_pages(tmp_path / "data" / "raw", ["Acne"])
    with pytest.warns(StaleCorpusWarning, match=r"1 page\(s\).*first: data/raw/mirena-acne.txt.*--full"):
        explorer.load()


def test_a_page_copied_under_several_paths_is_counted_once_and_every_path_is_kept(tmp_path):
    raw = tmp_path / "raw"
    (original,) = make_pages(raw, ["Back Pain"])
    (raw / "mirror").mkdir()
    (raw / "mirror" / "copy.txt").write_bytes(original.read_bytes())
    corpus = explorer.load(ingest([raw], tmp_path / "c", workers=1, progress=False).out)
    assert len(corpus.articles) == 2 and len(corpus.side_effects) == 18  # both paths are in the tables
    dup = corpus.duplicates()
    assert dup.to_dict("records") == [{"source_file": str(raw / "mirror" / "copy.txt"),  # the later path
                                       "sha256": corpus.articles["sha256"].iloc[0], "first_file": str(original)}]
    assert corpus.first_copies().sum() == 9
    summary = corpus.summary()
    assert summary["drug"].to_dict("index") == {"Mirena": {"pages": 1, "side_effects": 9}}


def test_load_reads_articles_and_side_effects_and_the_other_tables_on_first_use(tmp_path, monkeypatch):
    import dataclasses
    import pickle

    from explorer.corpus import dataset

    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain", "Acne"])
    out = ingest([raw], tmp_path / "c", workers=1, progress=False).out
    read = []
    real = dataset.read_table
    monkeypatch.setattr(dataset, "read_table", lambda root, name, *a, **k: read.append(name) or real(root, name, *a, **k))
    corpus = explorer.load(out)
    assert read == ["articles"]  # side effects come with them; the rest waits
    related = corpus.related
    assert isinstance(related, pd.DataFrame) and read == ["articles", "related"]
    assert corpus.related is related and read == ["articles", "related"]  # read once, then kept
    attached = dataclasses.replace(corpus, label_facts=pd.DataFrame())  # reads what is still deferred
    assert attached.related is related and sorted(read) == sorted(["articles", *[n for n in PAGE_TABLES
                                                                                  if n not in ("articles", "side_effects")]])
    with pytest.raises(dataclasses.FrozenInstanceError):
        corpus.sections = corpus.sections
    fresh = explorer.load(out)
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(fresh)).advice, corpus.advice)  # deferred tables pickle


def test_a_parquet_table_that_disagrees_with_the_manifest_is_refused_at_load(tmp_path):
    import pyarrow.parquet as pq

    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain", "Acne"])
    out = ingest([raw], tmp_path / "c", workers=1, progress=False).out
    sections = pq.read_table(out / "sections.parquet")
    pq.write_table(sections.slice(0, 3), out / "sections.parquet")
    with pytest.raises(CorpusError, match=rf"sections.parquet: 3 rows, the manifest says {sections.num_rows}"):
        explorer.load(out)


def test_validate_true_checks_every_table_against_its_schema(tmp_path, monkeypatch):
    from explorer.corpus import dataset

    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain"])
    out = ingest([raw], tmp_path / "c", workers=1, progress=False).out
    checked = []
    monkeypatch.setattr(dataset, "_checked",
                        lambda root, name, fmt, validate, read: (validate and checked.append(name)) or read())
    corpus = explorer.load(out)
    corpus.sections, corpus.related
    assert checked == []  # a Parquet corpus: the files' footers were checked against the manifest
    corpus = explorer.load(out, validate=True)
    corpus.sections, corpus.related, corpus.advice, corpus.numbers
    assert sorted(checked) == sorted(PAGE_TABLES)
