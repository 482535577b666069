"""Input files: every folder not read has a report row (a link to a folder, an unreadable folder), only
regular files are read and never more than the cap, nothing blocks, and any file name can be recorded."""
from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from explorer.corpus import files as files_module
from explorer.corpus.files import Unreadable, find_inputs, read_page, shown

from .builders import make_pages


def test_a_link_to_a_folder_is_reported_skipped_and_not_followed(tmp_path):
    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain"])
    make_pages(tmp_path / "elsewhere", ["Acne"])
    (raw / "elsewhere").symlink_to(tmp_path / "elsewhere")
    (raw / "up").symlink_to(tmp_path)  # a loop, were it followed

    found = find_inputs([raw])

    assert found.files == [str(raw / "mirena-back-pain.txt")]
    assert [(r[0], r[1]) for r in found.skipped] == [(str(raw / "elsewhere"), "skipped"), (str(raw / "up"), "skipped")]
    assert found.skipped[0][2] == (f"a symbolic link to a folder, not followed (to read it, give {tmp_path / 'elsewhere'} "
                                   "as an input)")


def test_a_folder_given_as_an_input_is_read_even_through_a_link(tmp_path):
    make_pages(tmp_path / "real", ["Acne"])
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert find_inputs([tmp_path / "link"]) == ([str(tmp_path / "link" / "mirena-acne.txt")], [])


def test_a_folder_that_cannot_be_read_gets_a_failed_row(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    make_pages(raw / "private", ["Acne"])
    make_pages(raw, ["Back Pain"])
    real_scandir = os.scandir

    def scandir(path):  # as for a folder of mode 000 (root reads those, so the test cannot use chmod)
        if str(path).endswith("private"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_scandir(path)

    monkeypatch.setattr(files_module.os, "scandir", scandir)
    found = find_inputs([raw])
    assert found.files == [str(raw / "mirena-back-pain.txt")]
    assert found.skipped == [(str(raw / "private"), "failed", "a folder that cannot be read: Permission denied",
                              None, "", "", "", 0)]


def test_hidden_entries_the_output_and_folders_given_twice_are_not_inputs(tmp_path):
    raw = tmp_path / "raw"
    make_pages(raw / "sub", ["Acne"])
    (raw / ".git").mkdir()
    (raw / ".git" / "HEAD").write_text("x")
    (raw / ".corpus.tmp-ab12").mkdir()
    (raw / "corpus").mkdir()
    (raw / "corpus" / "articles.csv").write_text("x")
    assert find_inputs([raw, raw / "sub"], exclude=raw / "corpus") == ([str(raw / "sub" / "mirena-acne.txt")], [])


def test_files_of_every_kind_are_listed_for_the_reader_to_report(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone")
    assert find_inputs([tmp_path]).files == [str(tmp_path / "dangling.txt"), str(tmp_path / "pipe.txt")]


def _read_within(path: str, seconds: float = 5.0, **kwargs):
    """read_page(path), failing the test instead of hanging it if the read blocks."""
    result: list = []

    def read():
        try:
            result.append(read_page(path, **kwargs))
        except Unreadable as e:
            result.append(e)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"reading {path} blocked for {seconds} s"
    return result[0]


def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "x.txt")
    assert str(_read_within(str(tmp_path / "x.txt"))) == "not a regular file: a named pipe (FIFO); only regular files are read"


def test_a_device_is_refused_before_it_is_opened(tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    assert "a character device" in str(_read_within(str(tmp_path / "zero.txt")))


def test_a_file_over_the_cap_is_refused_and_one_at_the_cap_read(tmp_path):
    (tmp_path / "page.txt").write_bytes(b"x" * 1000)
    assert read_page(str(tmp_path / "page.txt"), max_bytes=1000) == b"x" * 1000
    assert str(_read_within(str(tmp_path / "page.txt"), max_bytes=999)) == (
        "1,000 bytes, more than the 0.000952721 MB a page may have (--max-page-mb); not read")


def test_a_missing_file_is_a_reason_not_an_error(tmp_path):
    assert str(_read_within(str(tmp_path / "gone.txt"))) == "cannot read: No such file or directory"


def test_any_file_name_can_be_recorded():
    assert shown("plain/name.txt") == "plain/name.txt"
    assert shown("new\nline.txt") == "new\nline.txt"
    name = os.fsdecode(b"caf\xe9.txt")
    assert shown(name) == "caf\\xe9.txt" and shown(name).encode("utf-8")
    assert Path(name).name != shown(name)  # the file keeps its own name; only the record escapes it
