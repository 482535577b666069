"""Page bytes to text (explorer.pages.decode): the encoding found and recorded, empty and binary files
refused with a PageError naming the file and line, and saved HTML recognised."""
from __future__ import annotations

import pickle

import pytest

from explorer.pages.decode import PageError, decode, looks_like_html
from tests.helpers import PAGES


def test_utf8_page_with_byte_order_mark_loses_the_mark():
    raw = (PAGES / "messy-format.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text, encoding = decode(raw)
    assert encoding == "utf-8"
    assert text.startswith("Dormelin") and "\ufeff" not in text
    assert "“foggy”" in text  # three-byte UTF-8 characters read as one character each


def test_cp1252_page():
    # the file holds 0x92, 0x93, 0x94, 0x96 (curly quotes, en dash) and 0xe9 (é): not UTF-8
    text, encoding = decode((PAGES / "cp1252.txt").read_bytes())
    assert encoding == "cp1252"
    assert "it’s written" in text
    assert "Stinging – A “prickly” feeling" in text
    assert "café-au-lait" in text


def test_byte_undefined_in_cp1252_falls_back_to_latin1():
    # 0x81 has no character in cp1252, so only latin-1 reads the page
    text, encoding = decode((PAGES / "latin1.txt").read_bytes())
    assert encoding == "latin-1"
    assert "Pink\x81 skin" in text and "naïve" in text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_byte_order_mark(codec):
    original = (PAGES / "cp1252.txt").read_bytes().decode("cp1252")
    # "utf-16" writes its own mark; the explicit-endian codecs write none, so it is added
    data = original.encode(codec) if codec == "utf-16" else ("\ufeff" + original).encode(codec)
    text, encoding = decode(data)
    assert (text, encoding) == (original, "utf-16")


def test_utf16_cut_inside_its_last_code_unit_keeps_the_characters_before():
    data = "Zelmora\nZelmora for Knee Pain\n".encode("utf-16")
    text, encoding = decode(data + b"\x41")  # one byte of a next character
    assert (text, encoding) == ("Zelmora\nZelmora for Knee Pain\n", "utf-16")


def test_utf16_with_a_lone_surrogate_is_a_page_error():
    data = b"\xff\xfe" + "Zel".encode("utf-16-le") + b"\x00\xd8" + "mora".encode("utf-16-le")
    with pytest.raises(PageError) as err:
        decode(data, "u16.txt")
    assert err.value.line == 1 and "UTF-16" in err.value.expected


def test_utf8_cut_inside_a_character_stays_utf8():
    raw = (PAGES / "messy-format.txt").read_bytes()
    at = raw.index("“foggy”".encode()) + 1  # inside the three bytes of the opening quote
    text, encoding = decode(raw[:at])
    assert encoding == "utf-8"
    assert text.endswith("A heavy, ")


def test_cp1252_text_ending_in_an_accented_letter_is_not_taken_for_cut_utf8():
    # b"\xe9" alone at the end fails UTF-8 in the same place as a cut character would
    assert decode(b"Zelmora for Knee Pain, caf\xe9") == ("Zelmora for Knee Pain, café", "cp1252")


def test_bom_with_invalid_utf8_falls_back_without_the_bom():
    text, encoding = decode(b"\xef\xbb\xbfZelmora\nZelmora for Knee Pain \x92ok\x92\n")
    assert encoding == "cp1252" and text.startswith("Zelmora\n") and "’ok’" in text


@pytest.mark.parametrize("name, line, expected", [
    ("empty.txt", 1, "empty file"),
    ("blank.txt", 1, "empty file"),  # spaces, tabs and line ends only
    ("binary.bin", 1, "binary data"),
])
def test_unreadable_test_pages_raise_page_error_naming_file_and_line(name, line, expected):
    path = PAGES / name
    with pytest.raises(PageError) as err:
        decode(path.read_bytes(), str(path))
    e = err.value
    assert (e.path, e.line) == (str(path), line)
    assert expected in e.expected
    assert str(e) == f"{path}:{line}: {e.expected}"


@pytest.mark.parametrize("data, line", [
    (b"Zelmora\nZelmora for Knee Pain\nA \x00 byte\n", 3),  # NUL on the third line
    (b"Zelmora\nZelmora for Knee Pain\n" + bytes(range(1, 32)) * 20, 3),  # control bytes, no NUL
])
def test_bad_bytes_are_a_page_error_at_their_line(data, line):
    with pytest.raises(PageError) as err:
        decode(data, "bad.txt")
    assert err.value.line == line


def test_a_few_control_bytes_do_not_make_a_page_binary():
    data = b"Zelmora\nZelmora for Knee Pain\n" + b"plain words " * 20 + b"\x07\x1b"
    assert decode(data)[1] == "utf-8"


def test_page_error_survives_pickling():
    e = PageError("pages/a.txt", 7, "a title")
    again = pickle.loads(pickle.dumps(e))
    assert (again.path, again.line, again.expected, str(again)) == ("pages/a.txt", 7, "a title",
                                                                   "pages/a.txt:7: a title")


@pytest.mark.parametrize("text, path, html", [
    ("<!DOCTYPE html><html>", "page.txt", True),
    ("  \n<html lang='en'>", "page.txt", True),
    ("<DIV class='drug'>Zelmora</DIV>", "page", True),
    ("Zelmora\n", "saved.HTML", True),
    ("Zelmora\n", "saved.xhtml", True),
    ("Zelmora\nZelmora for Knee Pain\n", "page.txt", False),
    ("Zelmora <b>bold</b> later in the text", "page.txt", False),  # markup must start the page
    ("<hr> is not a page start", "page.txt", False),
])
def test_html_detected_by_name_or_by_how_the_text_starts(text, path, html):
    assert looks_like_html(text, path) is html
