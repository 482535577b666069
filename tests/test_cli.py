"""The ``explorer`` command: each subcommand's output and exit status (0 success, 1 some input failed,
2 usage or setup error), clear one-line errors instead of tracebacks, and quiet exits when the reader
of its output goes away."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from explorer import config
from explorer.app import serve as serve_module
from explorer.cli import EXIT_FAILED_INPUT, EXIT_OK, EXIT_USAGE, main

from .corpus.builders import SEED, make_pages

COMMANDS = ("parse", "ingest", "summary", "serve", "audit", "synth", "bench")
SEED_LINES = SEED.read_text(encoding="utf-8").splitlines()
#: Counted on the seed page itself: the bullets of its side-effects block (lines 30-42) and of its
#: 'Related Articles:' list (from line 61).
SEED_SIDE_EFFECTS = sum(line.startswith("- ") for line in SEED_LINES[29:42])
SEED_RELATED = sum(line.startswith("- Mirena for ") for line in SEED_LINES[60:])


@pytest.fixture(scope="module")
def acne_corpus(tmp_path_factory) -> Path:
    """A corpus folder (CSV) of the seed page re-titled for Acne, written by ``explorer ingest``."""
    root = tmp_path_factory.mktemp("cli")
    make_pages(root / "raw", ["Acne"])
    assert main(["ingest", str(root / "raw"), "--out", str(root / "corpus"), "--format", "csv",
                 "--workers", "1"]) == EXIT_OK
    return root / "corpus"


# --- the parser -------------------------------------------------------------------------------------

def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == EXIT_OK
    out = capsys.readouterr().out
    assert all(command in out for command in COMMANDS)


@pytest.mark.parametrize("argv", [
    [],                                           # no command
    ["frobnicate"],                               # unknown command
    ["parse"],                                    # no page
    ["ingest", "data/raw"],                       # no --out
    ["ingest", "data/raw", "--out", "x", "--format", "xlsx"],
    ["audit", "--format", "xml"],
    ["serve", "--port", "eighty"],
    ["synth", "--pages", "ten", "--out", "x"],
])
def test_usage_errors_exit_2_with_a_message_and_no_traceback(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err


# --- parse ------------------------------------------------------------------------------------------

def test_parse_prints_the_page_as_json(capsys):
    assert main(["parse", str(SEED)]) == EXIT_OK
    page = json.loads(capsys.readouterr().out)
    assert (page["drug"], page["condition"], page["title"]) == ("Mirena", "Back Pain", "Mirena for Back Pain")
    assert page["active_ingredients"] == [] and page["drug_classes"] == []  # the page's header lines are empty
    assert page["side_effects"][0] == {
        "tier": "Common", "severity": "common", "name": "Mirena’s hormonal effects", "line": 30,
        "description": SEED_LINES[29].split(": ", 1)[1]}
    assert len(page["side_effects"]) == SEED_SIDE_EFFECTS
    assert len(page["related_conditions"]) == SEED_RELATED
    assert page["truncated"] is False
    assert page["source"]["sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert [s["heading"] for s in page["sections"]][:2] == ["Mirena", "Mirena for Back Pain"]


def test_parse_bad_page_exits_1_naming_file_and_line_and_still_prints_the_good_ones(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("")
    missing = tmp_path / "missing.txt"
    assert main(["parse", str(bad), str(SEED), str(missing)]) == EXIT_FAILED_INPUT
    out, err = capsys.readouterr()
    assert json.loads(out)["title"] == "Mirena for Back Pain"
    assert err.splitlines() == [f"explorer parse: {bad}:1: page text, found an empty file",
                                f"explorer parse: {missing}: {os.strerror(errno.ENOENT)}"]


# --- ingest -----------------------------------------------------------------------------------------

def test_ingest_reports_each_failed_file_and_exits_1_keeping_the_good_ones(tmp_path, capsys):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain", "Acne"])
    (raw / "empty.txt").write_bytes(b"")
    out = tmp_path / "corpus"

    assert main(["ingest", str(raw), "--out", str(out), "--workers", "1", "--no-progress"]) == EXIT_FAILED_INPUT

    stdout, err = capsys.readouterr()
    assert err.splitlines() == [f"failed: {raw / 'empty.txt'}:1: expected page text, found an empty file"]
    assert stdout.splitlines() == [f"3 input files: 2 parsed, 0 unchanged, 1 failed; 0 removed pages -> {out}",
                                   f"report: {out / 'report.csv'}"]
    assert json.loads((out / "manifest.json").read_text())["table_format"] == "parquet"


def test_ingest_of_good_pages_exits_0_and_reingest_finds_them_unchanged(tmp_path, capsys):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain"])
    argv = ["ingest", str(raw), "--out", str(tmp_path / "c"), "--format", "csv", "--workers", "1"]
    assert main(argv) == EXIT_OK
    assert main(argv) == EXIT_OK
    assert "1 input files: 0 parsed, 1 unchanged, 0 failed" in capsys.readouterr().out.splitlines()[-2]
    assert main(argv + ["--full"]) == EXIT_OK
    assert "1 input files: 1 parsed, 0 unchanged" in capsys.readouterr().out


def test_ingest_of_a_missing_path_exits_2(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "nope"), "--out", str(tmp_path / "c")]) == EXIT_USAGE
    assert capsys.readouterr().err.strip() == f"explorer ingest: {tmp_path / 'nope'}: no such file or folder"
    assert not (tmp_path / "c").exists()


def test_ingest_refuses_to_overwrite_a_folder_that_is_not_a_corpus(tmp_path, capsys):
    make_pages(tmp_path / "raw", ["Back Pain"])
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me")
    assert main(["ingest", str(tmp_path / "raw"), "--out", str(tmp_path / "notes"), "--workers", "1"]) == EXIT_USAGE
    assert "is not a corpus folder" in capsys.readouterr().err
    assert (tmp_path / "notes" / "todo.txt").read_text() == "keep me"


# --- summary ----------------------------------------------------------------------------------------

def test_summary_counts_the_embedded_corpus(capsys):
    assert main(["summary"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(f"1 pages, {SEED_SIDE_EFFECTS} side effects, {SEED_RELATED} related links "
                          f"({config.CORPUS_DIR})")
    assert "Back Pain" in out and "serious" in out


def test_summary_of_another_folder(acne_corpus, capsys):
    assert main(["summary", "--data", str(acne_corpus)]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(f"1 pages, {SEED_SIDE_EFFECTS} side effects, {SEED_RELATED} related links "
                          f"({acne_corpus})")
    assert "Acne" in out and "Back Pain" not in out


def test_summary_on_missing_corpus_is_a_one_line_error(tmp_path, capsys):
    assert main(["summary", "--data", str(tmp_path / "none")]) == EXIT_USAGE
    assert capsys.readouterr().err.strip() == f"explorer summary: {tmp_path / 'none'}: no such corpus folder"


def test_summary_on_a_format_1_corpus_says_to_reingest(acne_corpus, tmp_path, capsys):
    old = tmp_path / "old"
    old.mkdir()
    for f in acne_corpus.iterdir():
        if f.name != "numbers.csv":
            (old / f.name).write_bytes(f.read_bytes())
    manifest = json.loads((old / "manifest.json").read_text())
    (old / "manifest.json").write_text(json.dumps({**manifest, "format_version": 1}))
    assert main(["summary", "--data", str(old)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith(f"explorer summary: {old / 'manifest.json'}: format_version 1")
    assert err.rstrip().endswith("re-run explorer ingest") and "Traceback" not in err


# --- audit ------------------------------------------------------------------------------------------

def test_audit_text_of_the_embedded_corpus(capsys):
    assert main(["audit"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("LABEL CHECK\nNote: ")
    assert f"CLAIMS: {SEED_SIDE_EFFECTS} side-effect claims" in out
    assert "data/raw/mirena-back-pain.txt:14 'five to seven years'" in out  # from the numbers table


def test_audit_json_checks_the_given_corpus_and_its_numbers_table(acne_corpus, capsys):
    assert main(["audit", "--data", str(acne_corpus), "--format", "json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"coverage_note", "claims", "premises", "numbers"}
    assert len(data["claims"]) == SEED_SIDE_EFFECTS
    assert {c["source_file"] for c in data["claims"]} == {str(acne_corpus.parent / "raw" / "mirena-acne.txt")}
    stored = pd.read_csv(acne_corpus / "numbers.csv")
    assert [(n["line"], n["text"]) for n in data["numbers"]] == list(zip(stored["line"], stored["text"]))


def test_audit_of_a_missing_corpus_exits_2(tmp_path, capsys):
    assert main(["audit", "--data", str(tmp_path / "none")]) == EXIT_USAGE
    assert "no such corpus folder" in capsys.readouterr().err


# --- serve (Voila itself is replaced: the server is tested in tests/app/test_serve.py) --------------

@pytest.fixture
def voila_calls(monkeypatch) -> list:
    calls = []

    def call(cmd, env):
        calls.append((cmd, env))
        return 0

    monkeypatch.setattr(serve_module.subprocess, "call", call)
    return calls


def test_serve_of_a_missing_folder_exits_2_without_starting_voila(tmp_path, voila_calls, capsys):
    assert main(["serve", "--data", str(tmp_path / "none")]) == EXIT_USAGE
    assert capsys.readouterr().err.strip() == f"explorer serve: {tmp_path / 'none'}: no such corpus folder"
    assert voila_calls == []


def test_serve_passes_port_address_and_corpus_to_voila(acne_corpus, voila_calls, capsys):
    assert main(["serve", "--data", str(acne_corpus), "--port", "9123"]) == EXIT_OK
    ((cmd, env),) = voila_calls
    assert "--port=9123" in cmd and "--Voila.ip=127.0.0.1" in cmd
    assert env[config.CORPUS_ENV] == str(acne_corpus.resolve())
    out, err = capsys.readouterr()
    assert "http://127.0.0.1:9123/" in out and err == ""


def test_serve_on_a_public_address_warns(voila_calls, capsys):
    assert main(["serve", "--ip", "0.0.0.0", "--port", "9124"]) == EXIT_OK
    ((cmd, env),) = voila_calls
    assert "--Voila.ip=0.0.0.0" in cmd and config.CORPUS_ENV not in env
    assert "warning: listening on 0.0.0.0" in capsys.readouterr().err


# --- the devtools' commands -------------------------------------------------------------------------

def test_synth_writes_the_pages_asked_for(tmp_path, capsys):
    assert main(["synth", "--pages", "5", "--out", str(tmp_path / "pages"), "--seed", "3"]) == EXIT_OK
    assert len([p for p in (tmp_path / "pages").rglob("*") if p.is_file()]) == 5
    assert capsys.readouterr().out.startswith("wrote 5 synthetic pages")


def test_synth_with_a_negative_page_count_exits_2(tmp_path, capsys):
    assert main(["synth", "--pages", "-1", "--out", str(tmp_path / "none")]) == EXIT_USAGE
    out, err = capsys.readouterr()
    assert err.strip() == "explorer synth: --pages must be >= 0" and out == ""
    assert not (tmp_path / "none").exists()


# --- output into a closed pipe ----------------------------------------------------------------------

def test_output_piped_into_a_closed_reader_exits_quietly():
    pages = " ".join([str(SEED)] * 40)  # ~350 KB of JSON: more than a pipe buffer holds
    proc = subprocess.run(f"{sys.executable} -m explorer.cli parse {pages} | head -n 1", shell=True,
                          capture_output=True, text=True, cwd=config.PROJECT_ROOT)
    assert proc.stdout == "{\n"
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr

