"""Corpus folders: tables round-trip through Parquet and CSV (numbers included), writing is atomic,
folders of another format version or with missing, inconsistent or damaged tables are refused by name,
and a full disk leaves the previous corpus as it was."""
from __future__ import annotations

import errno
import json
import os
import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

import explorer
from explorer import config
from explorer.corpus.folder import DamagedCorpusError
from explorer.corpus.store import (FORMAT_VERSION, REPORT_COLUMNS, CorpusError, CorpusWriter, columns_to_arrow,
                                   read_manifest, read_report)
from explorer.corpus.tables import PageColumns
from explorer.pages.records import Advice, Article, NumberMention, Related, SideEffect, Source

from .builders import PAGE_TABLES, comparable, digest_tree

ARTICLES = [
    Article(drug="Zelnora", condition="Dry Eyes", title="Zelnora for Dry Eyes", title_line=2,
            source=Source(path="pages/zelnora, dry eyes.txt", sha256="d" * 64),
            side_effects=(SideEffect("Common", "common", "Stinging", 'Felt as a "sharp" sting, then gone.', 9),
                          SideEffect("Occasional", None, "Blur", None, 10),
                          SideEffect("Rare", "rare", "Redness", "", 11)),
            advice=(Advice("reducing_risk", "Rest your eyes", None, 14),),
            numbers=(NumberMention("duration", "two to three weeks", 2.0, 3.0, "week",
                                   'Use them for "two to three weeks", no longer.', 5),
                     NumberMention("percentage", "12.5%", 12.5, 12.5, "percent", "About 12.5% sting.", 9))),
    Article(drug="Quorbex", condition="Hiccups", title="Quorbex for Hiccups", title_line=1,
            source=Source(path="pages/quorbex.htm", sha256="e" * 64, encoding="cp1252", format="html"),
            related=(Related("Zelnora", "Dry Eyes", 3),), truncated=True),
]


def write_corpus(out, fmt: str, articles=ARTICLES) -> None:
    """Write ``articles`` as a corpus folder with the store alone (no parsing, no ingest)."""
    acc = PageColumns()
    for a in articles:
        acc.add(a)
    report = pd.DataFrame([(a.source.path, "ok", "", None, a.source.sha256, a.source.encoding, a.source.format,
                            len(a.side_effects)) for a in articles], columns=list(REPORT_COLUMNS))
    with CorpusWriter(out, fmt) as writer:
        for name, table in columns_to_arrow(acc).items():
            writer.write(name, table)
        writer.commit(report, {"inputs": len(articles)})


def expected_tables() -> dict[str, pd.DataFrame]:
    acc = PageColumns()
    for a in ARTICLES:
        acc.add(a)
    return acc.to_frames()


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_every_table_round_trips_through_the_folder_numbers_included(tmp_path, fmt):
    write_corpus(tmp_path / "c", fmt)
    corpus = explorer.load(tmp_path / "c")
    # numbers: same rows in the same order, the texts with commas and quotes intact
    pd.testing.assert_frame_equal(corpus.numbers, expected_tables()["numbers"], check_categorical=False)
    assert corpus.numbers["sentence"].tolist()[0] == 'Use them for "two to three weeks", no longer.'
    assert corpus.numbers["low"].tolist() == [2.0, 12.5]
    for name, expected in expected_tables().items():
        loaded = getattr(corpus, name)
        if name == "related":
            loaded = loaded.drop(columns="has_page")
        pd.testing.assert_frame_equal(comparable(loaded), comparable(expected), obj=name)
    se = corpus.side_effects.set_index("name")
    assert pd.isna(se.loc["Blur", "severity"]) and pd.isna(se.loc["Blur", "description"])
    manifest = read_manifest(tmp_path / "c")
    assert manifest["format_version"] == FORMAT_VERSION and manifest["table_format"] == fmt
    assert manifest["rows"] == {name: len(df) for name, df in expected_tables().items()} | {"sentences": 0}
    assert set(manifest["rows"]) == set(PAGE_TABLES) | {"sentences"}


def test_report_reads_back_with_missing_lines_as_missing(tmp_path):
    write_corpus(tmp_path / "c", "csv")
    report = read_report(tmp_path / "c")
    assert list(report.columns) == list(REPORT_COLUMNS)
    assert report["path"].tolist() == ["pages/zelnora, dry eyes.txt", "pages/quorbex.htm"]
    assert report["line"].isna().all() and report["n_side_effects"].tolist() == [3, 0]
    assert report["reason"].tolist() == ["", ""]


def test_crash_during_commit_leaves_the_previous_corpus_intact(tmp_path, monkeypatch):
    out = tmp_path / "corpus"
    write_corpus(out, "parquet", ARTICLES[:1])
    before = digest_tree(out)

    def boom(self, report, manifest):
        raise RuntimeError("disk full")

    monkeypatch.setattr(CorpusWriter, "commit", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        write_corpus(out, "parquet")
    assert digest_tree(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]  # no temporary folder left behind


def test_commit_replaces_an_existing_corpus(tmp_path):
    out = tmp_path / "corpus"
    write_corpus(out, "parquet", ARTICLES[:1])
    write_corpus(out, "csv")
    assert len(explorer.load(out).articles) == 2
    assert not list(out.glob("*.parquet"))
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]


def test_refuses_to_replace_a_folder_that_is_not_a_corpus(tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.docx").write_text("years of work")
    with pytest.raises(CorpusError, match="precious: exists and is not a corpus folder"):
        write_corpus(precious, "parquet")
    assert [p.name for p in precious.iterdir()] == ["thesis.docx"]
    assert (precious / "thesis.docx").read_text() == "years of work"


def test_unknown_table_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown corpus format 'xlsx'"):
        CorpusWriter(tmp_path / "c", "xlsx")


def test_corpus_of_format_version_1_is_refused_with_a_hint_to_reingest(tmp_path):
    old = tmp_path / "old"
    shutil.copytree(config.CORPUS_DIR, old)
    (old / "numbers.csv").unlink()  # version 1 had no numbers table
    manifest = json.loads((old / "manifest.json").read_text())
    manifest["format_version"] = 1
    (old / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CorpusError, match=rf"old/manifest.json: format_version 1, expected {FORMAT_VERSION}; re-run explorer ingest"):
        explorer.load(old)


def test_missing_table_file_is_named(tmp_path):
    write_corpus(tmp_path / "c", "csv")
    (tmp_path / "c" / "numbers.csv").unlink()
    with pytest.raises(CorpusError, match=r"numbers.csv: missing table file"):
        explorer.load(tmp_path / "c")


def test_rows_of_a_page_missing_from_articles_are_refused(tmp_path):
    write_corpus(tmp_path / "c", "csv")
    path = tmp_path / "c" / "side_effects.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("pages/zelnora, dry eyes.txt", "pages/gone.txt"),
                    encoding="utf-8")
    with pytest.raises(CorpusError, match="'pages/gone.txt' have no page in articles"):
        explorer.load(tmp_path / "c")


def test_a_bit_flip_in_a_parquet_page_is_caught_by_its_checksum_and_named(tmp_path):
    write_corpus(tmp_path / "c", "parquet")
    path = tmp_path / "c" / "side_effects.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01  # one bit, in the column data
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedCorpusError) as e:
        explorer.load(tmp_path / "c")
    assert str(e.value).startswith(f"{path}: damaged, cannot be read (")
    assert str(e.value).endswith("rebuild it: re-run explorer ingest on its pages with --full")


def test_a_csv_table_that_breaks_its_schema_is_named(tmp_path):
    write_corpus(tmp_path / "c", "csv")
    path = tmp_path / "c" / "side_effects.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",9,", ",0,", 1), encoding="utf-8")  # line 9 -> 0
    with pytest.raises(DamagedCorpusError, match=rf"^{path}: damaged, cannot be read \(.*line"):
        explorer.load(tmp_path / "c")


def test_a_damaged_table_read_later_is_named_when_first_used(tmp_path):
    write_corpus(tmp_path / "c", "parquet")
    corpus = explorer.load(tmp_path / "c")
    (tmp_path / "c" / "advice.parquet").write_bytes(b"PAR1")
    with pytest.raises(CorpusError, match="advice.parquet: damaged, cannot be read"):
        corpus.advice


def test_a_full_disk_while_writing_leaves_the_previous_corpus_and_no_temporary_folder(tmp_path, monkeypatch):
    out = tmp_path / "corpus"
    write_corpus(out, "parquet", ARTICLES[:1])
    before = digest_tree(out)

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    with pytest.raises(CorpusError) as e:
        write_corpus(out, "parquet")
    assert str(e.value) == (f"{out}: could not write the new corpus ({os.strerror(errno.ENOSPC)}, writing "
                            "articles.parquet); the previous corpus is unchanged")
    assert digest_tree(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]


def test_a_writer_holds_the_folder_until_it_is_done(tmp_path):
    with CorpusWriter(tmp_path / "c", "csv"):
        with pytest.raises(CorpusError, match="another ingest"):
            CorpusWriter(tmp_path / "c", "csv")
    assert [p.name for p in tmp_path.iterdir()] == []  # nothing committed, nothing left: no lock file either
