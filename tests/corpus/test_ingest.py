"""Ingest: files and folders -> a corpus folder, with a report of every input; bad files never cost the
good ones; re-ingest parses only what changed; worker processes give the same corpus as one process; an
output that is an input is refused, and a damaged previous corpus is named, not half-used."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pandas as pd
import pytest

import explorer
from explorer import config
from explorer.corpus import ingest as ingest_module
from explorer.corpus.ingest import discover, ingest, parse_chunk
from explorer.corpus.store import CorpusError, read_report

from .builders import PAGE_TABLES, comparable, digest_tree, make_pages, seed_variant


def test_embedded_corpus_is_reproduced_by_reingesting_the_raw_pages(tmp_path, monkeypatch):
    monkeypatch.chdir(config.PROJECT_ROOT)
    out = tmp_path / "corpus"
    ingest(["data/raw"], out, fmt="csv", workers=1, progress=False)
    embedded = {name: digest for name, digest in digest_tree(config.CORPUS_DIR).items()
                if not name.startswith("audit/")}  # an audit saved there by the dashboard is not the ingest's
    assert digest_tree(out) == embedded


def test_folder_with_bad_files_keeps_the_good_ones_and_reports_every_file(tmp_path):
    raw = tmp_path / "raw"
    good = make_pages(raw, ["Back Pain", "Acne", "Fatigue"])
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    (raw / "no-title.txt").write_text("Some text without a title line, naming no drug.\n" * 3)
    (raw / "sub").mkdir()
    (raw / "sub" / "latin1.txt").write_bytes(seed_variant("Migraine").replace("’".encode(), b"\x92"))
    before = digest_tree(raw)
    out = tmp_path / "corpus"

    report = ingest([raw], out, workers=1, progress=False)

    assert digest_tree(raw) == before  # raw input untouched
    assert report.counts == {"inputs": 7, "ok": 4, "unchanged": 0, "failed": 3, "skipped": 0, "no_side_effects": 0,
                             "removed": 0}
    files = report.files.set_index(report.files["path"].map(lambda p: Path(p).name))
    assert files.loc["empty.txt", "reason"] == "expected page text, found an empty file"
    assert files.loc["empty.txt", "line"] == 1
    assert "binary data" in files.loc["binary.bin", "reason"]
    # neither the template nor the general extractor finds a drug: the reason says where it looked
    assert "a drug named by the crawl metadata, a title or heading, the address" in files.loc["no-title.txt", "reason"]
    assert files.loc["latin1.txt", "status"] == "ok" and files.loc["latin1.txt", "encoding"] == "cp1252"
    stored = read_report(out)
    assert stored["status"].value_counts().to_dict() == {"ok": 4, "failed": 3}
    assert stored.set_index("path")["reason"].to_dict() == report.files.set_index("path")["reason"].to_dict()
    corpus = explorer.load(out)
    assert len(corpus.articles) == 4 and len(corpus.side_effects) == 4 * 9 and len(corpus.numbers) == 4
    assert set(corpus.articles["source_file"]) == {str(p) for p in good} | {str(raw / "sub" / "latin1.txt")}
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["inputs"], manifest["ok"], manifest["failed"]) == (7, 4, 3)


def test_a_parser_crash_on_one_page_is_reported_and_the_others_are_kept(tmp_path, monkeypatch):
    pages = make_pages(tmp_path, ["Back Pain", "Acne"])
    real = ingest_module.read_bytes

    def read_bytes(data, path, **kwargs):
        if path.endswith("acne.txt"):
            raise KeyError("boom")
        return real(data, path, **kwargs)

    monkeypatch.setattr(ingest_module, "read_bytes", read_bytes)
    tables, report = parse_chunk([str(p) for p in pages], known={})
    assert [(Path(r[0]).name, r[1], r[2]) for r in report] == [
        ("mirena-back-pain.txt", "ok", ""), ("mirena-acne.txt", "failed", "parser error KeyError: 'boom'")]
    assert tables["articles"].num_rows == 1


def _costly(real, costs: dict[str, str]):
    """read_bytes, but the pages named in ``costs`` first sleep a minute ("time") or take 2 GB ("memory")."""
    def read_bytes(data, path, **kwargs):
        cost = costs.get(Path(path).name)
        if cost == "time":
            time.sleep(60)
        elif cost == "memory":
            held = bytearray(2 * 2**30)  # noqa: F841 - as a page whose parse grows without bound
        return real(data, path, **kwargs)
    return read_bytes


@pytest.mark.parametrize("workers", [1, 2])
def test_a_page_past_the_time_or_memory_limit_fails_alone_and_its_chunk_is_kept(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(ingest_module, "CHUNK_SIZE", 4)  # the costly pages share their chunks with good ones
    raw = tmp_path / "raw"
    pages = make_pages(raw, [f"Condition {i}" for i in range(10)])
    costs = {pages[2].name: "time", pages[5].name: "memory"}
    monkeypatch.setattr(ingest_module, "read_bytes", _costly(ingest_module.read_bytes, costs))
    t0 = time.monotonic()

    report = ingest([raw], tmp_path / "c", workers=workers, progress=False, page_seconds=2,
                    page_memory=300 * 2**20)

    assert time.monotonic() - t0 < 40  # the page that sleeps a minute is not waited for, nor read twice
    rows = report.files.set_index(report.files["path"].map(lambda p: Path(p).name))
    assert rows.loc[pages[2].name, "reason"] == ("took longer than 2 s, the time one page may take (--page-timeout); "
                                                 "not read")
    assert rows.loc[pages[5].name, "reason"] == ("needed more than 300 MB of memory, what one page may take "
                                                 "(--page-memory-mb); not read")
    assert report.counts["ok"] == 8 and report.counts["failed"] == 2
    assert list(report.files["path"]) == sorted(str(p) for p in pages)  # in order
    assert len(explorer.load(report.out).articles) == 8


def test_the_report_csv_gives_a_spreadsheet_no_formula_and_reads_back_the_same(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # inputs named as typed: the names start the report's cells
    Path("=HYPERLINK(1).txt").write_bytes(seed_variant("Acne"))
    Path("@SUM(A1).txt").write_bytes(b"")  # failed, with a reason
    Path("'=quoted.txt").write_bytes(seed_variant("Gout"))  # a quote of its own must come back as it was
    Path("-5").write_bytes(seed_variant("Lupus"))  # a plain number stays a number
    names = ["=HYPERLINK(1).txt", "@SUM(A1).txt", "'=quoted.txt", "-5"]

    report = ingest(names, "c", workers=1, progress=False)

    text = Path("c/report.csv").read_text()
    cells = [line.split(",")[0] for line in text.splitlines()[1:]]
    assert sorted(cells) == sorted(["'=HYPERLINK(1).txt", "'@SUM(A1).txt", "''=quoted.txt", "-5"])
    pd.testing.assert_frame_equal(read_report("c"), report.files.reset_index(drop=True), check_dtype=False)
    again = ingest(names, "c", workers=1, progress=False)  # the report read back carries the details over
    assert set(again.files["status"]) == {"unchanged", "failed"}
    assert again.files.set_index("path").loc["=HYPERLINK(1).txt", "n_side_effects"] == 9


def test_incremental_reingest_parses_only_changed_files_and_drops_vanished(tmp_path):
    raw = tmp_path / "raw"
    pages = make_pages(raw, ["Back Pain", "Acne", "Fatigue", "Insomnia"])
    out = tmp_path / "corpus"
    ingest([raw], out, workers=1, progress=False)
    pages[1].write_bytes(seed_variant("Acne").replace(b"Weight gain", b"Weight change"))
    pages[2].unlink()
    make_pages(raw, ["Lupus"])

    report = ingest([raw], out, workers=1, progress=False)

    status = report.files.set_index(report.files["path"].map(lambda p: Path(p).name))["status"]
    assert status.to_dict() == {"mirena-acne.txt": "ok", "mirena-back-pain.txt": "unchanged",
                                "mirena-insomnia.txt": "unchanged", "mirena-lupus.txt": "ok"}
    assert report.counts["removed"] == 1
    # unchanged files keep what was recorded when they were parsed
    assert report.files.set_index("path").loc[str(pages[0]), ["encoding", "format", "n_side_effects"]].tolist() == [
        "utf-8", "text", 9]
    incremental = explorer.load(out)
    full = explorer.load(ingest([raw], tmp_path / "full", workers=1, progress=False, incremental=False).out)
    for name in PAGE_TABLES:
        pd.testing.assert_frame_equal(comparable(getattr(incremental, name)), comparable(getattr(full, name)),
                                      obj=name)
    assert "Weight change" in set(incremental.side_effects["name"])
    assert "Fatigue" not in set(incremental.articles["condition"].astype(str))


def test_reingest_into_a_corpus_of_an_older_format_rebuilds_it_in_full(tmp_path):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain", "Acne"])
    out = tmp_path / "corpus"
    ingest([raw], out, fmt="csv", workers=1, progress=False)
    (out / "numbers.csv").unlink()  # as written by format version 1
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "manifest.json").write_text(json.dumps({**manifest, "format_version": 1}))

    report = ingest([raw], out, fmt="csv", workers=1, progress=False)

    assert report.counts["ok"] == 2 and report.counts["unchanged"] == 0
    assert len(explorer.load(out).numbers) == 2


def test_worker_processes_give_the_same_corpus_as_one_process(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_module, "CHUNK_SIZE", 4)  # several chunks from a few pages
    raw = tmp_path / "raw"
    conditions = [f"Condition {i}" for i in range(13)]
    make_pages(raw, conditions)
    (raw / "empty.txt").write_bytes(b"")
    one = ingest([raw], tmp_path / "one", workers=1, progress=False)
    two = ingest([raw], tmp_path / "two", workers=2, progress=False)
    pd.testing.assert_frame_equal(one.files, two.files)
    assert digest_tree(one.out) == digest_tree(two.out)  # same rows in the same order
    assert len(explorer.load(two.out).articles) == len(conditions)


def test_discover_skips_hidden_files_and_the_output_folder(tmp_path):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain"])
    (raw / ".DS_Store").write_text("x")
    (raw / ".git").mkdir()
    (raw / ".git" / "HEAD").write_text("x")
    (raw / "corpus").mkdir()
    (raw / "corpus" / "articles.csv").write_text("x")
    assert [Path(p).name for p in discover([raw], exclude=raw / "corpus")] == ["mirena-back-pain.txt"]


def test_discover_keeps_paths_as_typed_sorted_and_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_pages(tmp_path / "raw", ["Acne", "Back Pain"])
    assert discover(["raw", "raw/mirena-acne.txt", "./raw/"]) == ["raw/mirena-acne.txt", "raw/mirena-back-pain.txt"]
    with pytest.raises(FileNotFoundError, match="nope: no such file or folder"):
        discover([tmp_path / "nope"])


def test_progress_bar_only_when_asked_or_on_a_terminal(tmp_path, capsys, monkeypatch):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain", "Acne"])
    monkeypatch.setenv("CI", "true")
    ingest([raw], tmp_path / "a", workers=1)
    assert capsys.readouterr().err == ""
    ingest([raw], tmp_path / "b", workers=1, progress=True)
    assert "ingest" in capsys.readouterr().err


def test_files_that_are_not_regular_or_too_large_are_reported_and_the_others_kept(tmp_path):
    pages = make_pages(tmp_path, ["Back Pain"])
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "big.txt").write_bytes(seed_variant("Acne") * 4)
    tables, report = parse_chunk([str(p) for p in [*pages, tmp_path / "pipe.txt", tmp_path / "big.txt"]], known={},
                                 max_bytes=len(seed_variant("Acne")) * 2)
    assert [(Path(r[0]).name, r[1]) for r in report] == [
        ("mirena-back-pain.txt", "ok"), ("pipe.txt", "failed"), ("big.txt", "failed")]
    assert "named pipe" in report[1][2] and "more than the" in report[2][2]
    assert tables["articles"].num_rows == 1


def test_a_report_counts_skipped_inputs_and_pages_with_no_side_effect(tmp_path):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain"])
    (raw / "about.txt").write_bytes(b"Mirena for Acne\n\nWhat is Mirena?\nA small device a clinician places.\n")
    (raw / "linked").symlink_to(tmp_path)

    report = ingest([raw], tmp_path / "c", workers=1, progress=False)

    assert report.counts == {"inputs": 3, "ok": 2, "unchanged": 0, "failed": 0, "skipped": 1, "no_side_effects": 1,
                             "removed": 0}
    assert report.summary_line() == (f"3 inputs: 2 parsed (1 with no side effect), 0 unchanged, 0 failed, 1 skipped; "
                                     f"0 removed pages -> {tmp_path / 'c'}")
    assert report.problems() == [f"skipped: {raw / 'linked'}: a symbolic link to a folder, not followed "
                                 f"(to read it, give {tmp_path} as an input)"]
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert (manifest["inputs"], manifest["ok"], manifest["skipped"]) == (3, 2, 1)


@pytest.mark.parametrize("out, inputs", [("raw", ["raw"]), ("raw", ["raw/sub"]), ("raw/../raw", ["raw"])])
def test_an_out_that_is_an_input_or_holds_one_is_refused_before_anything_is_written(tmp_path, monkeypatch, out, inputs):
    monkeypatch.chdir(tmp_path)
    make_pages(tmp_path / "raw" / "sub", ["Acne"])
    before = digest_tree(tmp_path / "raw")
    with pytest.raises(CorpusError, match="the ingest would replace"):
        ingest(inputs, out, workers=1, progress=False)
    assert digest_tree(tmp_path / "raw") == before and sorted(p.name for p in tmp_path.iterdir()) == ["raw"]


def test_an_incremental_reingest_into_a_damaged_corpus_is_refused_and_full_rebuilds_it(tmp_path):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain", "Acne"])
    out = ingest([raw], tmp_path / "c", workers=1, progress=False).out
    (out / "sections.parquet").write_bytes(b"")
    with pytest.raises(CorpusError, match=r"sections.parquet: damaged, cannot be read .*--full$"):
        ingest([raw], out, workers=1, progress=False)
    assert ingest([raw], out, workers=1, progress=False, incremental=False).counts["ok"] == 2
    assert len(explorer.load(out).sections) > 0


def test_the_current_folder_as_out_is_written_in_place(tmp_path, monkeypatch):
    make_pages(tmp_path / "raw", ["Back Pain"])
    (tmp_path / "corpus").mkdir()
    monkeypatch.chdir(tmp_path / "corpus")
    assert ingest(["../raw"], ".", workers=1, progress=False).counts["ok"] == 1
    assert explorer.load(tmp_path / "corpus").articles["condition"].tolist() == ["Back Pain"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "raw"]
