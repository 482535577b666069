"""The ``explorer labels`` commands end in one line whatever happens: Ctrl-C, SIGTERM, a full disk, a
damaged store, labels imported incomplete (issue 16: 11 and 14). Run in-process through ``main``; the
same inputs through the real command under memory and time limits are in tests/hostile/test_labels.py.
"""
from __future__ import annotations

import errno
import signal

import pytest

from explorer.cli import EXIT_FAILED_INPUT, EXIT_USAGE, main
from explorer.labels import openfda as openfda_module
from explorer.labels import store as store_module

from .test_importer import MIRENA_JSON, ZENTRAVIX_JSON, openfda_document, openfda_label


def store_state(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.name != ".import.lock"), \
        (root / "manifest.json").read_bytes()


@pytest.fixture
def store(tmp_path):
    root = tmp_path / "store"
    assert main(["labels", "import", str(MIRENA_JSON), "--into", str(root), "--no-progress"]) == 0
    return root


REAL_READ = openfda_module.read_openfda


def interrupting_reader(signum: int | None):
    """read_openfda giving the document's first label, then Ctrl-C (``None``) or the signal ``signum``."""
    def reader(stream, path, *args, **kwargs):
        yield next(REAL_READ(stream, path))
        if signum is None:
            raise KeyboardInterrupt
        signal.raise_signal(signum)
    return reader


@pytest.mark.parametrize("signum, code, name", [(None, 130, "SIGINT"), (signal.SIGTERM, 143, "SIGTERM")])
def test_ctrl_c_or_sigterm_during_an_import_is_one_line_and_leaves_the_store_as_it_was(
        store, capsys, monkeypatch, signum, code, name):
    before = store_state(store)
    monkeypatch.setattr(openfda_module, "read_openfda", interrupting_reader(signum))
    capsys.readouterr()
    assert main(["labels", "import", str(ZENTRAVIX_JSON), "--into", str(store), "--no-progress"]) == code
    out, err = capsys.readouterr()
    assert err.splitlines() == [f"explorer labels import: stopped ({name}); the label store is as it was before "
                                "this import"] and out == ""
    assert store_state(store) == before  # no part, no temporary folder, no report
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the command's handler is gone with it


def test_a_full_disk_while_writing_the_part_is_one_line_and_leaves_the_store_as_it_was(store, capsys, monkeypatch):
    before = store_state(store)

    class FullDisk:
        def __init__(self, path, *args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(store_module.pq, "ParquetWriter", FullDisk)
    capsys.readouterr()
    assert main(["labels", "import", str(ZENTRAVIX_JSON), "--into", str(store), "--no-progress"]) == EXIT_USAGE
    _, err = capsys.readouterr()
    (line,) = err.splitlines()
    assert line.startswith("explorer labels import: the disk is full (") and line.endswith(
        "nothing was added to the label store: free some space and import again")
    assert store_state(store) == before


@pytest.mark.parametrize("command", [["list"], ["show", "Mirena"]])
def test_a_damaged_store_is_one_line_naming_the_file(store, capsys, command):
    (store / "part-0001" / "passages.parquet").write_bytes(b"")
    capsys.readouterr()
    assert main(["labels", *command, "--labels", str(store)]) == EXIT_USAGE
    _, err = capsys.readouterr()
    assert err.splitlines() == [
        f"explorer labels: {store / 'part-0001' / 'passages.parquet'}: a Parquet file of the store's passages "
        "table; it cannot be read (Parquet file size is 0 bytes); the label store is damaged: import the label "
        "files again into a new folder (--into NEW)"]


def test_a_label_imported_incomplete_is_named_on_stderr_and_exits_1(tmp_path, capsys):
    doc = tmp_path / "typed.json"
    doc.write_bytes(openfda_document([{**openfda_label(1), "adverse_reactions": {"text": "Drowsiness."},
                                       "warnings": ["Do not drive."]}]))
    root = tmp_path / "store"
    assert main(["labels", "import", str(doc), "--into", str(root), "--no-progress"]) == EXIT_FAILED_INPUT
    out, err = capsys.readouterr()
    assert err.splitlines() == [f"incomplete: {doc} record 0: imported without what could not be read: "
                                "adverse_reactions: a list of strings; found an object"]
    assert out.splitlines() == [f"1 incomplete -> {root}"]
    assert main(["labels", "show", "Bulkadrin 1", "--labels", str(root)]) == 0
    assert "incomplete: adverse_reactions could not be read from the label's file" in capsys.readouterr()[0]


def test_a_manifest_that_is_not_json_is_one_line(store, capsys):
    (store / "manifest.json").write_text("{cut off")
    capsys.readouterr()
    assert main(["labels", "list", "--labels", str(store)]) == EXIT_USAGE
    (line,) = capsys.readouterr()[1].splitlines()
    assert line.startswith(f"explorer labels: {store / 'manifest.json'}: a label store manifest")
