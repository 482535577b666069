"""The folder an ingest writes: only a corpus folder of ours is replaced, one writer at a time (a lock
that a killed holder does not keep), leftovers of killed runs cleaned (only ours), the folder's mode kept."""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys

import pytest

from explorer import config
from explorer.corpus.folder import (CorpusError, DamagedCorpusError, FolderLock, check_replaceable, clean_leftovers,
                                    load_manifest, make_temporary, swap_into_place)

from .test_store import write_corpus


@pytest.fixture
def corpus(tmp_path):
    write_corpus(tmp_path / "corpus", "csv")
    return tmp_path / "corpus"


def test_a_missing_an_empty_and_a_corpus_folder_may_be_replaced(tmp_path, corpus):
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "missing", tmp_path / "empty", corpus):
        check_replaceable(out)


@pytest.mark.parametrize("make, why", [
    (lambda f: (f / "thesis.docx").write_text("years of work"), "(it holds thesis.docx)"),
    (lambda f: (f / "part-0001").mkdir(), "(it holds part-0001)"),
    (lambda f: (f / "manifest.json").write_text(json.dumps({"format_version": 1, "parts": []})),
     "manifest.json: not a corpus manifest written by 'explorer ingest'"),
    (lambda f: (f / "articles.csv").write_text("source_file\n"), "no manifest.json"),
])
def test_a_folder_with_anything_the_ingest_does_not_write_is_refused(tmp_path, make, why):
    folder = tmp_path / "folder"
    folder.mkdir()
    make(folder)
    with pytest.raises(CorpusError, match="exists and is not a corpus folder written by explorer ingest") as e:
        check_replaceable(folder)
    assert why in str(e.value) and "refusing to replace it" in str(e.value)


def test_a_corpus_with_one_foreign_file_is_refused_naming_it(corpus):
    (corpus / "notes.txt").write_text("mine")
    with pytest.raises(CorpusError, match=r"\(it holds notes.txt\)"):
        check_replaceable(corpus)


def test_a_file_and_a_link_are_refused(tmp_path, corpus):
    (tmp_path / "file").write_text("x")
    (tmp_path / "link").symlink_to(corpus)
    with pytest.raises(CorpusError, match=r"\(it is a file\)"):
        check_replaceable(tmp_path / "file")
    with pytest.raises(CorpusError, match=rf"link: a symbolic link \(to {corpus}\)"):
        check_replaceable(tmp_path / "link")


def test_a_damaged_manifest_is_replaced_only_when_allowed(corpus):
    (corpus / "manifest.json").write_text('{"format_version": 3, "tab')
    with pytest.raises(CorpusError, match=r"manifest.json: damaged, cannot be read .*; --full replaces it"):
        check_replaceable(corpus)
    check_replaceable(corpus, damaged_ok=True)


def test_a_damaged_manifest_names_the_file_and_how_to_rebuild(corpus):
    (corpus / "manifest.json").write_bytes(b"")
    with pytest.raises(DamagedCorpusError) as e:
        load_manifest(corpus)
    assert str(e.value).startswith(f"{corpus / 'manifest.json'}: damaged, cannot be read (Expecting value")
    assert str(e.value).endswith("rebuild it: re-run explorer ingest on its pages with --full")


def test_the_embedded_corpus_hint_is_the_command_that_writes_it(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CORPUS_DIR", tmp_path)
    (tmp_path / "manifest.json").write_text("{")
    with pytest.raises(DamagedCorpusError, match="explorer ingest data/raw --out data/corpus --format csv --full$"):
        load_manifest(tmp_path)


def test_a_second_lock_is_refused_naming_the_holder_and_the_file_goes_with_the_lock(tmp_path):
    out = tmp_path / "corpus"
    with FolderLock(out) as lock:
        assert lock.path.read_text() == f"{os.getpid()}\n"
        with pytest.raises(CorpusError, match=rf"another ingest \(PID {os.getpid()}\) is writing this corpus folder"):
            FolderLock(out).acquire()
    assert not lock.path.exists()
    with FolderLock(out):
        pass


def test_a_lock_held_by_a_killed_process_is_free(tmp_path):
    out = tmp_path / "corpus"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom explorer.corpus.folder import FolderLock\n"
                               "FolderLock(sys.argv[1]).acquire()\nprint('held', flush=True)\ntime.sleep(60)\n", str(out)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    with pytest.raises(CorpusError, match=rf"PID {holder.pid}"):
        FolderLock(out).acquire()
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with FolderLock(out):  # the kernel released it with the process; its file is still there, unlocked
        pass


def test_leftovers_of_killed_runs_are_removed_and_only_ours(tmp_path, corpus):
    (tmp_path / ".corpus.tmp-abc123").mkdir()
    (tmp_path / ".corpus.tmp-abc123" / "articles.parquet").write_bytes(b"PAR1")
    (tmp_path / ".corpus.old-77").mkdir()
    (tmp_path / ".corpus.tmp-mine").mkdir()
    (tmp_path / ".corpus.tmp-mine" / "photo.jpg").write_bytes(b"x")
    (tmp_path / ".corpus.tmp-x.tmp-abc").mkdir()  # another folder's, named corpus.tmp-x

    removed = clean_leftovers(corpus)

    assert sorted(p.name for p in removed) == [".corpus.old-77", ".corpus.tmp-abc123"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".corpus.tmp-mine", ".corpus.tmp-x.tmp-abc", "corpus"]


def test_a_corpus_left_aside_mid_swap_is_put_back(tmp_path, corpus):
    corpus.rename(tmp_path / ".corpus.old-77")
    assert clean_leftovers(corpus) == [tmp_path / ".corpus.old-77"]
    assert load_manifest(corpus)["table_format"] == "csv"


def test_the_new_folder_takes_the_old_ones_mode_or_the_umasks(tmp_path, corpus):
    corpus.chmod(0o750)
    tmp = make_temporary(corpus)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(tmp.stat().st_mode) == 0o777 & ~umask  # not mkdtemp's 0700
    swap_into_place(tmp, corpus)
    assert stat.S_IMODE(corpus.stat().st_mode) == 0o750
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]
