"""Page text to numbered lines (explorer.pages.lines): line numbers as an editor counts them, invisible
characters and Markdown heading marks dropped, and saved HTML read block by block with the line where
each block's text starts."""
from __future__ import annotations

import pytest

from explorer.pages.decode import decode
from explorer.pages.lines import Line, html_lines, text_lines, text_rows
from tests.helpers import PAGES

from .support import line_of


def numbered(text: str) -> list[tuple[int, str]]:
    return [(line.number, line.text) for line in text_lines(text)]


# --- plain text -----------------------------------------------------------------------------------

def test_blank_lines_are_dropped_and_the_others_keep_their_number():
    assert numbered("first\n\n  second  \n\t\nthird\n") == [(1, "first"), (3, "second"), (5, "third")]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_each_line_end_counts_once(newline):
    text = newline.join(["a", "", "b", "c", "", ""])
    assert numbered(text) == [(1, "a"), (3, "b"), (4, "c")]


def test_mixed_line_ends_count_as_an_editor_counts_them():
    assert numbered("a\r\nb\rc\nd") == [(1, "a"), (2, "b"), (3, "c"), (4, "d")]


@pytest.mark.parametrize("char", ["\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"])
def test_characters_str_splitlines_breaks_on_do_not_end_a_line(char):
    assert numbered(f"left{char}right\nnext") == [(1, f"left{char}right"), (2, "next")]


def test_invisible_characters_are_removed_and_no_break_spaces_become_spaces():
    text = "\ufeffZel\u200bmora\u00ad\n\u00a0Zelmora\u00a0for Knee Pain\u00a0\n\u200b\n"
    assert numbered(text) == [(1, "Zelmora"), (2, "Zelmora for Knee Pain")]


@pytest.mark.parametrize("line, text, hint", [
    ("## Rare Side Effects", "Rare Side Effects", "heading"),
    ("# Rare Side Effects ##", "Rare Side Effects", "heading"),  # closing hashes dropped
    ("###### Six marks", "Six marks", "heading"),
    ("####### Seven marks", "####### Seven marks", None),  # Markdown has six levels
    ("#hashtag without a space", "#hashtag without a space", None),
    ("Issue #5 is open", "Issue #5 is open", None),
])
def test_markdown_heading_marks_are_dropped_and_hint_a_heading(line, text, hint):
    assert text_lines(f"Zelmora\n{line}\n") == [Line(1, "Zelmora"), Line(2, text, hint)]


def test_text_rows_are_text_lines_as_parallel_lists():
    for text in ("a\n\nb", "a\n## B\n\nc ", ""):
        numbers, texts, hints = text_rows(text)
        lines = text_lines(text)
        assert numbers == [x.number for x in lines] and texts == [x.text for x in lines]
        assert hints == ([x.hint for x in lines] if any(x.hint for x in lines) else None)


def test_byte_order_mark_line_ends_and_trailing_spaces_do_not_change_the_lines():
    raw = (PAGES / "messy-format.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"   \r\n" in raw  # it really is messy
    plain = raw[3:].replace(b"\r\n", b"\n").replace(b"   \n", b"\n")
    old_mac = raw.replace(b"\r\n", b"\r")
    a, b, c = (text_lines(decode(x)[0]) for x in (raw, plain, old_mac))
    assert a == b == c
    assert a[0] == Line(1, "Dormelin")


# --- HTML -----------------------------------------------------------------------------------------

def test_html_page_blocks_hints_and_lines():
    path = PAGES / "page.html"
    at = lambda fragment: line_of(path, fragment)  # noqa: E731
    assert html_lines(path.read_text(encoding="utf-8")) == [
        Line(at('"drug">Nimbrax'), "Nimbrax"),
        Line(at(">Active Ingredients<"), "Active Ingredients"),
        Line(at(">nimbracaine<"), "nimbracaine"),
        Line(at(">Drug Classes<"), "Drug Classes"),
        Line(at(">Invented muscle relaxants<"), "Invented muscle relaxants"),
        Line(at("<h1>"), "Nimbrax for Back Pain", "title"),
        Line(at("What Is Nimbrax?"), "What Is Nimbrax?", "heading"),
        # a paragraph over two lines of the file, with inline markup: one line, where its text starts
        Line(at("<p>Nimbrax is a fictional"), "Nimbrax is a fictional tablet. This paragraph has inline "
                                              "markup and runs over two lines of the file.", "prose"),
        Line(at("<h2>Common Side Effects"), "Common Side Effects of Nimbrax for Back Pain", "heading"),
        Line(at("people mention:"), "In this invented example, people mention:", "prose"),
        Line(at("<strong>Head</strong>"), "Headaches: Dull pain behind the eyes.", "bullet"),
        # the item's text starts on the line after its <li>
        Line(at("<b>Stomach upset</b>"), "Stomach upset – Mild queasiness after a dose.", "bullet"),
        # paragraphs inside an item stay in the item
        Line(at("Muscle <i>twitching</i>"), "Muscle twitching: Small jumps in the calves; they stop within "
                                            "days.", "bullet"),
        # a paragraph that is all bold carries no hint: its text decides (a heading in disguise)
        Line(at("<strong>Rare Side Effects</strong>"), "Rare Side Effects"),
        Line(at("Rash<br>"), "Rash that itches: Red patches on the arms.", "bullet"),
        Line(at("<h2>Related Articles:"), "Related Articles:", "heading"),
        Line(at("nimbrax-neck"), "Nimbrax for Neck Pain", "bullet"),
        Line(at("nimbrax-cramps"), "Nimbrax for Leg Cramps", "bullet"),
        Line(at("footer"), "Invented Health footer", "prose"),
    ]
    # left out: the <head> (title, style, script), the navigation menu, the comment, the late script


def test_html_entities_are_decoded_and_whitespace_collapsed():
    html = "<p>Fish &amp;\n   chips &lt;3&nbsp;days&gt;</p>"
    assert html_lines(html) == [Line(1, "Fish & chips <3 days>", "prose")]


def test_html_text_outside_any_block_is_one_line():
    assert html_lines("Zelmora\n<b>for</b> Knee Pain") == [Line(1, "Zelmora for Knee Pain")]


def test_html_definition_lists_and_table_cells_are_lines_of_their_own():
    html = "<dl><dt>Headache</dt><dd>A dull pain.</dd></dl>\n<table><tr><td>Cell one</td><td>Cell two</td></tr></table>"
    assert html_lines(html) == [Line(1, "Headache", "bullet"), Line(1, "A dull pain.", "prose"),
                                Line(2, "Cell one"), Line(2, "Cell two")]


def test_html_nested_list_ends_the_item_it_stands_in_and_its_items_say_how_deep_they_are():
    html = "<ul><li>Outer item\n<ul><li>Inner item</li></ul></li></ul>"
    assert html_lines(html) == [Line(1, "Outer item", "bullet", 0), Line(2, "Inner item", "bullet", 1)]
