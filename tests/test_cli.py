"""The ``explorer`` command: each subcommand's output and exit status (0 success, 1 some input failed,
2 usage or setup error), clear one-line errors instead of tracebacks, and quiet exits when the reader
of its output goes away."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from explorer import config
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
    ["ingest", "data/raw", "--out", "x", "--max-page-mb", "0"],
    ["ingest", "data/raw", "--out", "x", "--max-page-mb", "lots"],
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
    assert "url" not in page["source"] and "extractor" not in page  # a template page prints what it printed
    assert [s["heading"] for s in page["sections"]][:2] == ["Mirena", "Mirena for Back Pain"]


def test_parse_reads_a_page_of_another_site_with_the_general_extractor(tmp_path, capsys):
    page = tmp_path / "page.txt"
    page.write_text("Side effects you should know\n\nMore common:\n- Drowsiness\n- Dry mouth\n", encoding="utf-8")
    assert main(["parse", str(page)]) == EXIT_FAILED_INPUT  # nothing names the drug
    assert "a drug named by the crawl metadata" in capsys.readouterr().err
    assert main(["parse", str(page), "--url", "https://pharmacy.test/trazodone-for-insomnia"]) == EXIT_OK
    read = json.loads(capsys.readouterr().out)
    assert (read["drug"], read["condition"], read["extractor"], read["drug_from"]) == (
        "Trazodone", "Insomnia", "general", "address")
    assert [(s["name"], s["severity"], s["from_prose"]) for s in read["side_effects"]] == [
        ("Drowsiness", "common", False), ("Dry mouth", "common", False)]
    assert read["source"]["url"] == "https://pharmacy.test/trazodone-for-insomnia"
    assert main(["parse", str(page), "--drug", "Gabapentin"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["drug_from"] == "given"


def test_parse_bad_page_exits_1_naming_file_and_line_and_still_prints_the_good_ones(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("")
    missing = tmp_path / "missing.txt"
    assert main(["parse", str(bad), str(SEED), str(missing)]) == EXIT_FAILED_INPUT
    out, err = capsys.readouterr()
    assert json.loads(out)["title"] == "Mirena for Back Pain"
    assert err.splitlines() == [f"explorer parse: {bad}:1: page text, found an empty file",
                                f"explorer parse: {missing}: cannot read: {os.strerror(errno.ENOENT)}"]


# --- ingest -----------------------------------------------------------------------------------------

def test_ingest_reports_each_failed_file_and_exits_1_keeping_the_good_ones(tmp_path, capsys):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain", "Acne"])
    (raw / "empty.txt").write_bytes(b"")
    out = tmp_path / "corpus"

    assert main(["ingest", str(raw), "--out", str(out), "--workers", "1", "--no-progress"]) == EXIT_FAILED_INPUT

    stdout, err = capsys.readouterr()
    assert err.splitlines() == [f"failed: {raw / 'empty.txt'}:1: expected page text, found an empty file"]
    assert stdout.splitlines() == [f"3 inputs: 2 parsed, 0 unchanged, 1 failed; 0 removed pages -> {out}",
                                   f"report: {out / 'report.csv'}"]
    assert json.loads((out / "manifest.json").read_text())["table_format"] == "parquet"


def test_ingest_of_good_pages_exits_0_and_reingest_finds_them_unchanged(tmp_path, capsys):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain"])
    argv = ["ingest", str(raw), "--out", str(tmp_path / "c"), "--format", "csv", "--workers", "1"]
    assert main(argv) == EXIT_OK
    assert main(argv) == EXIT_OK
    assert "1 inputs: 0 parsed, 1 unchanged, 0 failed" in capsys.readouterr().out.splitlines()[-2]
    assert main(argv + ["--full"]) == EXIT_OK
    assert "1 inputs: 1 parsed, 0 unchanged" in capsys.readouterr().out


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


def test_ingest_lists_skipped_folders_and_exits_1(tmp_path, capsys):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain"])
    (raw / "more").symlink_to(tmp_path)
    assert main(["ingest", str(raw), "--out", str(tmp_path / "c"), "--workers", "1"]) == EXIT_FAILED_INPUT
    stdout, err = capsys.readouterr()
    assert err.splitlines() == [f"skipped: {raw / 'more'}: a symbolic link to a folder, not followed (to read it, "
                                f"give {tmp_path} as an input)"]
    assert stdout.startswith("2 inputs: 1 parsed, 0 unchanged, 0 failed, 1 skipped; 0 removed pages")


def test_ingest_refuses_an_out_that_is_its_input_exit_2_and_keeps_the_pages(tmp_path, capsys):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain"])
    assert main(["ingest", str(raw), "--out", str(raw), "--workers", "1"]) == EXIT_USAGE
    assert capsys.readouterr().err.startswith(f"explorer ingest: {raw}: is also an input")
    assert [p.name for p in raw.iterdir()] == ["mirena-back-pain.txt"]


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


def test_summary_counts_pages_with_no_side_effect_apart(tmp_path, capsys):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain"])
    (raw / "about.txt").write_bytes(b"Mirena for Acne\n\nWhat is Mirena?\nA small device a clinician places.\n")
    assert main(["ingest", str(raw), "--out", str(tmp_path / "c"), "--format", "csv", "--workers", "1"]) == EXIT_OK
    assert "2 inputs: 2 parsed (1 with no side effect), 0 unchanged" in capsys.readouterr().out
    assert main(["summary", "--data", str(tmp_path / "c")]) == EXIT_OK
    assert capsys.readouterr().out.startswith(f"2 pages (1 with no side effect), {SEED_SIDE_EFFECTS} side effects")


def test_summary_of_a_damaged_corpus_names_the_file_in_one_line(acne_corpus, tmp_path, capsys):
    damaged = tmp_path / "damaged"
    shutil.copytree(acne_corpus, damaged)
    (damaged / "manifest.json").write_text("{")
    assert main(["summary", "--data", str(damaged)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith(f"explorer summary: {damaged / 'manifest.json'}: damaged, cannot be read (")
    assert len(err.splitlines()) == 1 and err.rstrip().endswith("with --full")


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


# --- serve (Voila itself is replaced: the server is tested in tests/app/test_serve.py, tests/hostile) -

@pytest.fixture
def voila_calls(monkeypatch) -> list:
    """Voila's start in the serve process, replaced: each call's arguments and the corpus and labels
    environment the kernels would inherit."""
    from explorer.app import voila_server

    calls = []
    for name in (config.CORPUS_ENV, config.LABELS_ENV):
        monkeypatch.setenv(name, "stale")  # restored after the test: serve sets them for its kernels

    def main(argv):
        calls.append((argv, {name: os.environ.get(name) for name in (config.CORPUS_ENV, config.LABELS_ENV)}))
        return 0

    monkeypatch.setattr(voila_server, "main", main)
    return calls


def test_serve_of_a_missing_folder_exits_2_without_starting_voila(tmp_path, voila_calls, capsys):
    assert main(["serve", "--data", str(tmp_path / "none")]) == EXIT_USAGE
    assert capsys.readouterr().err.strip() == f"explorer serve: {tmp_path / 'none'}: no such corpus folder"
    assert voila_calls == []


def test_serve_passes_port_address_and_corpus_to_voila(acne_corpus, voila_calls, capsys):
    assert main(["serve", "--data", str(acne_corpus), "--port", "9123"]) == EXIT_OK
    ((cmd, env),) = voila_calls
    assert "--port=9123" in cmd and "--Voila.ip=127.0.0.1" in cmd
    assert env[config.CORPUS_ENV] == str(acne_corpus.resolve()) and env[config.LABELS_ENV] is None
    assert "--KernelPool.max_kernels=8" in cmd and "--KernelPool.cull_idle_timeout=600" in cmd
    out, err = capsys.readouterr()
    assert "http://127.0.0.1:9123/" in out and err == ""


def test_serve_on_a_public_address_warns(voila_calls, capsys):
    assert main(["serve", "--ip", "0.0.0.0", "--port", "9124"]) == EXIT_OK
    ((cmd, env),) = voila_calls
    assert "--Voila.ip=0.0.0.0" in cmd and env[config.CORPUS_ENV] is None
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



# --- labels -----------------------------------------------------------------------------------------

LABEL_FILES = config.PROJECT_ROOT / "tests" / "fixtures" / "labels"
ZENTRAVIX_SPL_SET_ID = "a1b2c3d4-0000-4e5f-8a9b-112233445566"


@pytest.fixture
def label_store(tmp_path, monkeypatch, capsys) -> Path:
    """A label store of the Zentravix labels (openFDA and SPL) and the Mirena label, imported by relative
    paths from the test's folder (the current folder), as a user types them."""
    for name in ("openfda/zentravix.json", "openfda/mirena.json", "spl/zentravix.xml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes((LABEL_FILES / name).read_bytes())
    monkeypatch.chdir(tmp_path)
    assert main(["labels", "import", "openfda", "spl/zentravix.xml", "--into", "store", "--no-progress"]) == EXIT_OK
    capsys.readouterr()
    return tmp_path / "store"


def test_help_lists_the_labels_commands(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["labels", "--help"])
    assert exit_.value.code == EXIT_OK
    out = capsys.readouterr().out
    assert all(command in out for command in ("import", "list", "show"))


def test_labels_import_of_good_files_exits_0_and_says_what_it_did(tmp_path, capsys):
    files = [str(LABEL_FILES / "openfda" / "zentravix.json"), str(LABEL_FILES / "spl" / "zentravix.xml")]
    assert main(["labels", "import", *files, "--into", str(tmp_path / "s"), "--no-progress"]) == EXIT_OK
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"2 imported -> {tmp_path / 's'}"] and err == ""
    assert main(["labels", "import", *files, "--into", str(tmp_path / "s"), "--no-progress"]) == EXIT_OK
    assert capsys.readouterr().out.splitlines() == [f"2 unchanged -> {tmp_path / 's'}"]


def test_labels_import_lists_each_failure_on_stderr_and_exits_1_keeping_the_good_ones(tmp_path, capsys):
    mixed, broken = LABEL_FILES / "openfda" / "mixed_records.json", LABEL_FILES / "spl" / "broken-missing-setid.xml"
    assert main(["labels", "import", str(mixed), str(broken), "--into", str(tmp_path / "s"),
                 "--no-progress"]) == EXIT_FAILED_INPUT
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"failed: {mixed} record 1: a label object; found a string",
        f"failed: {mixed} record 2: a label object; found a number",
        f"failed: {mixed} record 3: a label with set_id, id, version, effective_time; missing set_id",
        f"failed: {mixed} record 5: effective_time as YYYYMMDD; found '2021-01-05'",
        f"failed: {mixed} record 6: at least one section with text among boxed_warning, indications_and_usage, "
        "contraindications, warnings_and_cautions, warnings, precautions, adverse_reactions, drug_interactions, "
        "overdosage, spl_medguide, spl_patient_package_insert, information_for_patients, "
        "patient_medication_information (or warnings_and_precautions)",
        f"failed: {broken} record 0: an SPL document with <setId root=...> (the label's set id); it is missing"]
    assert out.splitlines() == [f"6 failed, 3 imported -> {tmp_path / 's'}"]


def test_labels_import_passes_workers_on_and_refuses_zero(tmp_path, capsys, monkeypatch):
    from explorer.labels import importer as importer_module

    seen = []
    real = importer_module.import_labels

    def recording(paths, into, **kwargs):
        seen.append(kwargs["workers"])
        return real(paths, into, **kwargs)

    monkeypatch.setattr(importer_module, "import_labels", recording)
    file = str(LABEL_FILES / "openfda" / "zentravix.json")
    assert main(["labels", "import", file, "--into", str(tmp_path / "s"), "--no-progress", "--workers", "3"]) == EXIT_OK
    assert main(["labels", "import", file, "--into", str(tmp_path / "s"), "--no-progress"]) == EXIT_OK
    assert seen == [3, None]
    with pytest.raises(SystemExit) as exit_:
        main(["labels", "import", file, "--into", str(tmp_path / "s"), "--workers", "0"])
    assert exit_.value.code == EXIT_USAGE and "a whole number of at least 1; got 0" in capsys.readouterr().err


def test_labels_import_into_a_folder_that_is_not_a_store_exits_2(tmp_path, capsys):
    (tmp_path / "todo.txt").write_text("keep me")
    assert main(["labels", "import", str(LABEL_FILES / "openfda" / "zentravix.json"), "--into", str(tmp_path),
                 "--no-progress"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.strip() == (f"explorer labels import: {tmp_path}: an empty folder or a label store (manifest.json) "
                           "to import into")
    assert [p.name for p in tmp_path.iterdir()] == ["todo.txt"]


def test_the_seeds_audit_runs_both_ways_curated_facts_and_the_mirena_label_in_openfda_form(tmp_path, capsys):
    assert main(["audit", "--format", "json"]) == EXIT_OK
    curated = {c["claim"]: c for c in json.loads(capsys.readouterr().out)["claims"]}
    assert main(["labels", "import", str(LABEL_FILES / "openfda" / "mirena.json"), "--into", str(tmp_path / "s"),
                 "--no-progress"]) == EXIT_OK
    capsys.readouterr()
    assert main(["audit", "--format", "json", "--labels", str(tmp_path / "s")]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    labelled = {c["claim"]: c for c in data["claims"]}
    assert list(labelled) == list(curated)
    # today's results from the curated facts: partial, so never "not found in the label text"
    assert curated["Blood clots"]["status"] == "not among the captured label facts"
    assert "not found in the label text" not in {c["status"] for c in curated.values()}
    assert curated["Perforation of the uterus"]["status"] == "label warning"
    # from the label's full text: every status with the label's sentence and identity
    assert labelled["Blood clots"]["status"] == "not found in the label text"
    perforation = labelled["Perforation of the uterus"]
    assert (perforation["status"], perforation["evidence_section"]) == ("label warning", "5.5 Uterine Perforation")
    headaches = labelled["Headaches"]
    assert headaches["status"] == "label adverse reaction" and headaches["evidence_text"].startswith("Headache")
    assert headaches["label_url"].endswith(headaches["label_set_id"]) and headaches["label_source"] == "label text"
    assert all(c["citation"] for c in labelled.values() if c["status"].startswith("label "))
    assert data["coverage_note"].startswith("Claims of drugs whose label is held were checked against the label's full text")


def test_labels_list_shows_names_set_id_version_date_and_file(label_store, capsys):
    assert main(["labels", "list", "--labels", "store"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["names", "generic_names", "set_id", "version", "effective_time", "held", "source",
                                "file"]
    rows = [line.split() for line in lines[1:4]]
    assert rows == [
        ["Mirena", "LEVONORGESTREL", "dcbd6aa2-b3fa-479a-a676-56ea742962fc", "48", "20240715", "current", "openfda",
         "openfda/mirena.json"],
        ["Zentravix", "DORAZEPINE", "HYDROBROMIDE", "490ddedc-b849-4356-b85b-3f981efc07a6", "7", "20230418",
         "current", "openfda", "openfda/zentravix.json"],
        ["Zentravix", "zentravolol", "hydrochloride", ZENTRAVIX_SPL_SET_ID, "7", "20240312", "current", "spl",
         "spl/zentravix.xml"]]
    assert lines[-1] == "3 label versions, 3 current (store)"


def test_labels_list_shows_the_whole_path_of_a_file_given_by_a_long_path(tmp_path, capsys):
    deep = tmp_path / "downloads-from-dailymed-and-openfda" / "2024-09-02"
    deep.mkdir(parents=True)
    (deep / "zentravix.json").write_bytes((LABEL_FILES / "openfda" / "zentravix.json").read_bytes())
    assert main(["labels", "import", str(deep / "zentravix.json"), "--into", str(tmp_path / "s"),
                 "--no-progress"]) == EXIT_OK
    assert main(["labels", "list", "--labels", str(tmp_path / "s")]) == EXIT_OK
    assert str(deep / "zentravix.json") in capsys.readouterr().out


def test_labels_list_of_an_empty_store_says_none_are_held(tmp_path, capsys):
    assert main(["labels", "import", str(LABEL_FILES / "onsides"), "--into", str(tmp_path / "s"),
                 "--no-progress"]) == EXIT_OK
    capsys.readouterr()
    assert main(["labels", "list", "--labels", str(tmp_path / "s")]) == EXIT_OK
    assert capsys.readouterr().out.strip() == f"no labels held in {tmp_path / 's'}"


def test_labels_show_prints_the_resolution_the_dailymed_link_and_the_passages_with_tables(label_store, capsys):
    assert main(["labels", "show", "Zentravix", "--labels", "store"]) == EXIT_OK
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == ("Zentravix: matched by brand name 'Zentravix'; 2 labels match, the most recent "
                        "(effective 20240312) is used")
    assert lines[1] == (f"label Zentravix (zentravolol hydrochloride), set id {ZENTRAVIX_SPL_SET_ID}, version 7, "
                        "effective 20240312, from spl/zentravix.xml")
    assert lines[2] == f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={ZENTRAVIX_SPL_SET_ID}"
    assert lines[3] == ("also matching: openfda:490ddedc-b849-4356-b85b-3f981efc07a6:"
                        "8627abda-15e7-4909-8e2d-428dc252bb6b")
    headings = [line for line in lines if line.startswith("[")]
    assert headings[0] == "[boxed_warning] WARNING: SEVERE LIVER INJURY"
    assert "[adverse_reactions] 6.1 Clinical Trials Experience" in headings
    assert [h.split("]")[0] for h in headings] == sorted(
        (h.split("]")[0] for h in headings), key=["[boxed_warning", "[indications_and_usage", "[contraindications",
                                                  "[warnings_and_cautions", "[adverse_reactions", "[drug_interactions",
                                                  "[overdosage"].index)  # in the label's section order
    table = lines.index("  table 1: Table 2: Adverse Reactions Reported by at Least 2% of Zentravix-Treated Patients "
                        "and More Often Than Placebo")
    assert lines[table + 1].startswith("    Adverse Reaction | Zentravix 10 mg")  # header rows first
    assert "    Nausea | 9 | 12 | 4" in lines[table:]


def test_labels_show_of_an_unknown_drug_says_no_label_held_and_exits_1(label_store, capsys):
    assert main(["labels", "show", "Unheardofin", "--labels", "store"]) == EXIT_FAILED_INPUT
    assert capsys.readouterr().out.strip() == "Unheardofin: no label held for this drug (store)"


@pytest.mark.parametrize("command", [["labels", "list"], ["labels", "show", "Mirena"]])
def test_labels_commands_on_a_missing_store_are_a_one_line_error_exiting_2(command, tmp_path, capsys):
    assert main([*command, "--labels", str(tmp_path / "none")]) == EXIT_USAGE
    out, err = capsys.readouterr()
    assert err.strip() == f"explorer labels: {tmp_path / 'none'}: no such label store folder" and out == ""
    assert len(err.splitlines()) == 1
