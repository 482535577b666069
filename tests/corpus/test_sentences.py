"""The corpus's sentences table: written by the ingest, read on its own by read_sentences, kept for
unchanged pages on re-ingest; a corpus written before it loads as before and names the fix."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import explorer
from explorer import config
from explorer.corpus.ingest import ingest
from explorer.corpus.sentences import read_sentences
from explorer.corpus.store import CorpusError, read_manifest
from explorer.pages.read import read_file
from explorer.pages.sentences import mask, normalise, sentence_hash

from .builders import SEED, make_pages, seed_variant


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_the_ingest_writes_every_pages_sentences_and_read_sentences_reads_them(tmp_path, fmt):
    (tmp_path / "raw").mkdir()
    pages = [tmp_path / "raw" / "mirena-back-pain.txt", tmp_path / "raw" / "mirena-acne.txt"]
    shutil.copy(SEED, pages[0])
    seed = SEED.read_text(encoding="utf-8")
    pages[1].write_text(seed.replace("Back Pain", "Acne").replace("Back pain", "Acne").replace("back pain", "acne"),
                        encoding="utf-8")
    out = tmp_path / "corpus"
    ingest([tmp_path / "raw"], out, fmt=fmt, workers=1, progress=False)

    sentences = read_sentences(out)
    assert list(sentences.columns) == ["source_file", "sha256", "line", "hash", "n_chars"]
    assert [str(sentences[c].dtype) for c in ("line", "hash", "n_chars")] == ["int64"] * 3
    for path in pages:
        expected = read_file(path).sentences
        rows = sentences[sentences["source_file"] == str(path)]
        assert rows[["line", "hash", "n_chars"]].values.tolist() == [list(s) for s in expected]
    # the two pages differ only in their condition, which is masked: the same hashes, line by line
    first, second = (sentences[sentences["source_file"] == str(p)] for p in pages)
    assert first["hash"].tolist() == second["hash"].tolist()
    assert read_manifest(out)["rows"]["sentences"] == len(sentences) > 2 * 50


def test_line_numbers_point_at_the_line_holding_the_sentence(tmp_path):
    out = tmp_path / "corpus"
    ingest([SEED], out, fmt="csv", workers=1, progress=False)
    lines = SEED.read_text(encoding="utf-8").split("\n")
    sentences = read_sentences(out)
    sentence = "Weight gain: Mirena can cause weight gain, which can put additional strain on the back and lead to pain."
    wanted = sentence_hash(mask(normalise(sentence), "Mirena", "Back Pain"))
    [line] = sentences.loc[sentences["hash"] == wanted, "line"].tolist()
    assert lines[line - 1] == "- " + sentence
    for line, n_chars in sentences[["line", "n_chars"]].itertuples(index=False):
        assert n_chars <= len(lines[line - 1])


def test_only_the_columns_asked_for_are_read(tmp_path):
    out = tmp_path / "corpus"
    ingest([SEED], out, workers=1, progress=False)
    got = read_sentences(out, columns=["hash", "sha256"])
    assert list(got.columns) == ["hash", "sha256"] and len(got) == read_manifest(out)["rows"]["sentences"]
    with pytest.raises(CorpusError, match="no column 'text'"):
        read_sentences(out, columns=["text"])


def old_corpus(tmp_path: Path) -> Path:
    """The embedded corpus as written before the ingest kept sentences."""
    old = tmp_path / "old"
    shutil.copytree(config.CORPUS_DIR, old)
    (old / "sentences.csv").unlink()
    manifest = json.loads((old / "manifest.json").read_text())
    del manifest["rows"]["sentences"]
    (old / "manifest.json").write_text(json.dumps(manifest))
    return old


def test_a_corpus_written_before_sentences_loads_and_asks_for_a_reingest_only_when_they_are_read(tmp_path):
    old = old_corpus(tmp_path)
    corpus = explorer.load(old)
    assert len(corpus.side_effects) == 9
    with pytest.raises(CorpusError, match=r"old/sentences.csv: missing; .* Re-run explorer ingest"):
        read_sentences(old)


def test_reingesting_into_a_corpus_without_sentences_parses_every_page_again(tmp_path):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain", "Acne"])
    out = tmp_path / "corpus"
    ingest([raw], out, fmt="csv", workers=1, progress=False)
    (out / "sentences.csv").unlink()

    report = ingest([raw], out, fmt="csv", workers=1, progress=False)

    assert report.counts["ok"] == 2 and report.counts["unchanged"] == 0
    assert read_sentences(out)["source_file"].nunique() == 2


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_incremental_reingest_keeps_the_sentences_of_unchanged_pages(tmp_path, fmt):
    raw = tmp_path / "raw"
    pages = make_pages(raw, ["Back Pain", "Acne", "Fatigue"])
    out = tmp_path / "corpus"
    ingest([raw], out, fmt=fmt, workers=1, progress=False)
    before = read_sentences(out)
    pages[1].write_bytes(seed_variant("Acne").replace(b"Weight gain", b"Putting on weight"))
    pages[2].unlink()

    report = ingest([raw], out, fmt=fmt, workers=1, progress=False)

    assert report.files.set_index("path").loc[str(pages[0]), "status"] == "unchanged"
    after = read_sentences(out)
    kept = before[before["source_file"] == str(pages[0])].reset_index(drop=True)
    pd.testing.assert_frame_equal(after[after["source_file"] == str(pages[0])].reset_index(drop=True), kept,
                                  check_categorical=False)
    assert str(pages[2]) not in set(after["source_file"].astype(str))
    full = read_sentences(ingest([raw], tmp_path / "full", fmt=fmt, workers=1, progress=False,
                                 incremental=False).out)
    key = ["source_file", "line", "hash"]
    pd.testing.assert_frame_equal(after.astype({"source_file": str, "sha256": str}).sort_values(key, ignore_index=True),
                                  full.astype({"source_file": str, "sha256": str}).sort_values(key, ignore_index=True))
    assert read_manifest(out)["rows"]["sentences"] == len(full)
