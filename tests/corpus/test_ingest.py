"""Ingest, store and load: the corpus folder, its report, incremental re-ingest and bad input."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import pytest

import explorer
from explorer import config
from explorer.cli import main
from explorer.ingest import CHUNK_SIZE, discover, ingest
from explorer.store import CorpusError, CorpusWriter, read_corpus

SEED = config.RAW_DIR / "mirena-back-pain.txt"


def seed_variant(condition: str) -> bytes:
    """The seed page re-titled for another condition (same structure, so 9 side effects each)."""
    return SEED.read_bytes().replace(b"Back Pain", condition.encode())


def make_pages(folder: Path, conditions: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for c in conditions:
        p = folder / f"mirena-{c.lower().replace(' ', '-')}.txt"
        p.write_bytes(seed_variant(c))
        paths.append(p)
    return paths


def digest_tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def sorted_table(df: pd.DataFrame) -> pd.DataFrame:
    df = df.astype({c: "string" for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)})
    return df.sort_values(list(df.columns[:3])).reset_index(drop=True)


def test_embedded_corpus_is_reproduced_by_reingesting_the_raw_pages(tmp_path, monkeypatch):
    monkeypatch.chdir(config.PROJECT_ROOT)
    out = tmp_path / "corpus"
    ingest(["data/raw"], out, fmt="csv", workers=1, progress=False)
    assert digest_tree(out) == digest_tree(config.CORPUS_DIR)


def test_load_embedded_data_has_the_seed_with_provenance():
    corpus = explorer.load()
    assert list(corpus.articles["title"]) == ["Mirena for Back Pain"]
    se = corpus.side_effects
    assert len(se) == 9
    assert se["severity"].dtype.ordered
    assert list(se["severity"].cat.categories) == ["common", "less common", "rare", "serious"]
    assert se.groupby("severity", observed=True).size().to_dict() == {
        "common": 3, "less common": 3, "serious": 3}
    for table in (corpus.articles, corpus.sections, corpus.side_effects, corpus.advice, corpus.related):
        assert {"source_file", "sha256", "line"} <= set(table.columns)
        assert (table["source_file"] == "data/raw/mirena-back-pain.txt").all()
        assert (table["sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()).all()
        assert (table["line"] >= 1).all()
    # the line really points at the item in the raw file
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for row in se.itertuples():
        assert lines[row.line - 1].startswith(f"- {row.name}:")
    assert len(corpus.related) == 35 and not corpus.related["has_page"].any()
    assert isinstance(corpus.side_effects["drug"].dtype, pd.CategoricalDtype)


def test_folder_with_bad_files_keeps_the_good_ones_and_reports_every_file(tmp_path, capsys):
    raw = tmp_path / "raw"
    good = make_pages(raw, ["Back Pain", "Acne", "Fatigue"])
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    (raw / "no-title.txt").write_text("Mirena\nSome text without a title line.\n" * 3)
    (raw / "sub").mkdir()
    (raw / "sub" / "latin1.txt").write_bytes(seed_variant("Migraine").replace("’".encode(), b"\x92"))
    before = digest_tree(raw)
    out = tmp_path / "corpus"

    status = main(["ingest", str(raw), "--out", str(out), "--workers", "1"])

    assert status == 1  # something failed ...
    assert digest_tree(raw) == before  # ... raw input untouched
    report = pd.read_csv(out / "report.csv", keep_default_na=False)
    assert len(report) == 7 == (report["status"] == "ok").sum() + (report["status"] == "failed").sum()
    failed = report.set_index(report["path"].map(lambda p: Path(p).name))
    assert failed.loc["empty.txt", "reason"] == "expected page text, found an empty file"
    assert "binary data" in failed.loc["binary.bin", "reason"]
    assert "'<Drug> for <Condition>' title" in failed.loc["no-title.txt", "reason"]
    assert failed.loc["latin1.txt", "status"] == "ok" and failed.loc["latin1.txt", "encoding"] == "cp1252"
    err = capsys.readouterr().err
    assert f"{raw / 'empty.txt'}:1: expected page text" in err
    corpus = explorer.load(out)
    assert len(corpus.articles) == 4 and len(corpus.side_effects) == 36
    assert set(corpus.articles["source_file"]) == {str(p) for p in good} | {str(raw / "sub" / "latin1.txt")}
    from explorer.store import read_report

    assert read_report(out)["status"].value_counts().to_dict() == {"ok": 4, "failed": 3}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["inputs"] == 7 and manifest["ok"] == 4 and manifest["failed"] == 3


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
    incremental = explorer.load(out)
    full = explorer.load(ingest([raw], tmp_path / "full", workers=1, progress=False, incremental=False).out)
    for name in ("articles", "sections", "side_effects", "advice", "related"):
        pd.testing.assert_frame_equal(sorted_table(getattr(incremental, name)),
                                      sorted_table(getattr(full, name)))
    assert "Weight change" in set(incremental.side_effects["name"])
    assert "Fatigue" not in set(incremental.articles["condition"].astype(str))


def test_worker_processes_give_the_same_corpus_as_one_process(tmp_path):
    raw = tmp_path / "raw"
    conditions = [f"Condition {i}" for i in range(CHUNK_SIZE + 30)]
    make_pages(raw, conditions)
    one = explorer.load(ingest([raw], tmp_path / "one", workers=1, progress=False).out)
    two = explorer.load(ingest([raw], tmp_path / "two", workers=2, progress=False).out)
    assert len(two.articles) == len(conditions)
    for name in ("articles", "side_effects", "related"):
        pd.testing.assert_frame_equal(sorted_table(getattr(one, name)), sorted_table(getattr(two, name)))


def test_crash_during_ingest_leaves_previous_corpus_intact(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain"])
    out = tmp_path / "corpus"
    ingest([raw], out, workers=1, progress=False)
    before = digest_tree(out)
    make_pages(raw, ["Acne"])

    def boom(self, report, manifest):
        raise RuntimeError("disk full")

    monkeypatch.setattr(CorpusWriter, "commit", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        ingest([raw], out, workers=1, progress=False)
    assert digest_tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_refuses_to_replace_a_folder_that_is_not_a_corpus(tmp_path):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain"])
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.docx").write_text("years of work")
    with pytest.raises(CorpusError, match="not a corpus folder"):
        ingest([raw], precious, workers=1, progress=False)
    assert (precious / "thesis.docx").read_text() == "years of work"


def test_discover_skips_hidden_files_and_the_output_folder(tmp_path):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain"])
    (raw / ".DS_Store").write_text("x")
    (raw / ".git").mkdir()
    (raw / ".git" / "HEAD").write_text("x")
    (raw / "corpus").mkdir()
    (raw / "corpus" / "articles.csv").write_text("x")
    assert [Path(p).name for p in discover([raw], exclude=raw / "corpus")] == ["mirena-back-pain.txt"]
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        discover([tmp_path / "nope"])


def test_progress_bar_only_when_asked_or_on_a_terminal(tmp_path, capsys, monkeypatch):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain", "Acne"])
    monkeypatch.setenv("CI", "true")
    ingest([raw], tmp_path / "a", workers=1)
    assert capsys.readouterr().err == ""
    ingest([raw], tmp_path / "b", workers=1, progress=True)
    assert "ingest" in capsys.readouterr().err


def test_load_errors_name_the_folder(tmp_path):
    with pytest.raises(CorpusError, match="no such corpus folder"):
        read_corpus(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="no manifest.json"):
        read_corpus(tmp_path / "empty")


def test_parquet_and_csv_corpora_load_to_the_same_tables(tmp_path):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain", "Acne"])
    pq = explorer.load(ingest([raw], tmp_path / "pq", workers=1, progress=False).out)
    csv = explorer.load(ingest([raw], tmp_path / "csv", fmt="csv", workers=1, progress=False).out)
    for name in ("articles", "sections", "side_effects", "advice", "related"):
        pd.testing.assert_frame_equal(sorted_table(getattr(pq, name)), sorted_table(getattr(csv, name)))


def test_cli_parse_prints_the_page_as_json(capsys):
    assert main(["parse", str(SEED)]) == 0
    page = json.loads(capsys.readouterr().out)
    assert (page["drug"], page["condition"], page["title"]) == ("Mirena", "Back Pain", "Mirena for Back Pain")
    assert page["active_ingredients"] == [] and page["drug_classes"] == []
    assert len(page["side_effects"]) == 9 and len(page["related_conditions"]) == 35
    assert page["side_effects"][0] == {
        "tier": "Common", "severity": "common", "name": "Mirena’s hormonal effects", "line": 30,
        "description": page["side_effects"][0]["description"]}
    assert page["truncated"] is False
    assert page["source"]["sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert [s["heading"] for s in page["sections"]][:2] == ["Mirena", "Mirena for Back Pain"]


def test_cli_parse_bad_page_exits_1_with_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("")
    assert main(["parse", str(bad)]) == 1
    assert capsys.readouterr().err.strip() == f"explorer parse: {bad}:1: page text, found an empty file"


def test_cli_summary_counts(capsys):
    assert main(["summary"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 pages, 9 side effects, 35 related links")
    assert "Back Pain" in out and "serious" in out


def test_cli_summary_on_missing_corpus_is_a_clear_error(tmp_path, capsys):
    assert main(["summary", "--data", str(tmp_path / "none")]) == 2
    assert "no such corpus folder" in capsys.readouterr().err


def test_load_warns_when_the_embedded_corpus_is_stale(tmp_path, monkeypatch):
    from explorer.store import StaleCorpusWarning

    monkeypatch.chdir(tmp_path)
    make_pages(tmp_path / "data" / "raw", ["Back Pain"])
    ingest(["data/raw"], tmp_path / "data" / "corpus", fmt="csv", workers=1, progress=False)
    monkeypatch.setattr(config, "PROJECT_ROOT", tmp_path)
    monkeypatch.setattr(config, "RAW_DIR", tmp_path / "data" / "raw")
    monkeypatch.setattr(config, "CORPUS_DIR", tmp_path / "data" / "corpus")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(explorer.load().articles) == 1  # up to date: no warning
    make_pages(tmp_path / "data" / "raw", ["Acne"])
    with pytest.warns(StaleCorpusWarning, match="1 page.*data/raw/mirena-acne.txt"):
        explorer.load()


def test_cli_output_piped_into_a_closed_reader_exits_quietly():
    import subprocess
    import sys

    pages = " ".join([str(SEED)] * 40)  # ~350 KB of JSON: more than a pipe buffer holds
    proc = subprocess.run(f"{sys.executable} -m explorer.cli parse {pages} | head -n 1", shell=True,
                          capture_output=True, text=True, cwd=config.PROJECT_ROOT)
    assert proc.stdout == "{\n"
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr
