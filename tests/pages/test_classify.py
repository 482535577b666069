"""The one line classifier (explorer.pages.classify): heading, bullet or prose by markup hint or by
text; a bullet's marker removed; an item's name and description split at the first separator."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.pages import classify
from explorer.pages.classify import HEADING_MAX_CHARS, classify_line, is_bullet, item, split_item
from explorer.pages.headings import CUED, page_subject


@pytest.mark.parametrize("line", [
    "- Headache", "* Headache", "• Headache", "•Headache", "‣ Headache", "◦ Headache", "▪Headache",
    "● Headache", "– Headache", "— Headache", "-   Headache", "1. Headache", "12) Headache",
    "(3) Headache", "999. Headache",
])
def test_bullet_markers_are_removed(line):
    assert classify_line(line) == ("bullet", "Headache", None, None)
    assert is_bullet(line)


@pytest.mark.parametrize("line", [
    "-Headache",  # a hyphen needs a space after it
    "-5 degrees overnight.",
    "--- a rule",
    "1234. Four digits are a year, not a bullet.",
    "(12345) Not a bullet either",
    "5–7 years of use.",
    "•",  # a marker and nothing after it
])
def test_lines_that_only_look_like_bullets(line):
    assert classify_line(line)[0] != "bullet"
    assert not is_bullet(line)


@pytest.mark.parametrize("line, kind", [
    ("Rare Side Effects", "heading"),
    ("What Is Zelmora?", "heading"),
    ("It can cause cramps.", "prose"),
    ("Rare Side Effects.", "prose"),  # a heading never ends like a sentence
    ("Rare Side Effects;", "prose"),
    ("For example:", "prose"),
    ("R" + "are side effects " * 8, "prose"),  # longer than a heading may be
])
def test_headings_and_prose_by_their_text(line, kind):
    assert classify_line(line)[0] == kind


def test_a_line_longer_than_the_heading_limit_is_prose_even_when_it_reads_as_a_heading():
    heading = "Common Side Effects of Q".ljust(HEADING_MAX_CHARS, "z")
    assert classify_line(heading)[0] == "heading"
    assert classify_line(heading + "z")[0] == "prose"


def test_a_heading_by_its_text_carries_its_key_and_subject_free_reading():
    assert classify_line("Related Articles:") == ("heading", "Related Articles:", "Related Articles:",
                                                  ("related", None))
    # a side-effects cue: the reading depends on the page (CUED), keyed by the drug swapped out
    subject = page_subject("Zelmora", "Knee Pain")
    assert classify_line("Common Side Effects of Zelmora", None, subject) == (
        "heading", "Common Side Effects of Zelmora", "Common Side Effects of Zqxjv", CUED)


@pytest.mark.parametrize("hint, text, expected", [
    ("bullet", "- Headache", ("bullet", "Headache")),  # an <li> that repeats the marker
    ("bullet", "Headache: a dull pain.", ("bullet", "Headache: a dull pain.")),
    ("bullet", "Rare Side Effects", ("bullet", "Rare Side Effects")),  # markup wins over the text
    ("title", "Zelmora for Knee Pain", ("heading", "Zelmora for Knee Pain")),
    ("heading", "it is taken with water.", ("heading", "it is taken with water.")),
    ("prose", "Rare Side Effects", ("prose", "Rare Side Effects")),
    ("prose", "- Headache", ("prose", "- Headache")),
])
def test_markup_hints_decide(hint, text, expected):
    assert classify_line(text, hint) == (*expected, None, None)


@pytest.mark.parametrize("body, name, description", [
    ("Headache: a dull pain.", "Headache", "a dull pain."),
    ("Headache: a: b", "Headache", "a: b"),  # the first separator wins
    ("Headache:Sharp pain", "Headache", "Sharp pain"),  # an unspaced colon between words
    ("Headache:", "Headache", None),
    ("Dash item - described after a spaced hyphen.", "Dash item", "described after a spaced hyphen."),
    ("En item – described after an en dash.", "En item", "described after an en dash."),
    ("Em item — described after an em dash.", "Em item", "described after an em dash."),
    ("Tight em item—described after an unspaced em dash.", "Tight em item",
     "described after an unspaced em dash."),
    ("Double -- hyphen", "Double", "hyphen"),
    ("**Bold item:** described after Markdown bold.", "Bold item", "described after Markdown bold."),
    ("__Underlined__ - text", "Underlined", "text"),
    ("Check-ups and 5–7 years: hyphens inside a name stay.", "Check-ups and 5–7 years",
     "hyphens inside a name stay."),
    ("ratio 1:2 of users", "ratio 1:2 of users", None),  # a colon between digits separates nothing
    ("Name only.", "Name only", None),
    ("Name only;", "Name only", None),
    (": no name before the colon", ": no name before the colon", None),
])
def test_split_item_at_the_first_separator(body, name, description):
    assert split_item(body) == (name, description)


@pytest.mark.parametrize("body, ends", [
    ("Headache: a dull pain.", True), ("Headache: a dull pain", False), ("Fainting", False),
    ("Why?", True), ("Stop!", True), ("Wait…", True), ("A “quote”", True), ("(see below)", True),
])
def test_item_tells_whether_the_text_ends_like_a_sentence(body, ends):
    assert item(body) == (*split_item(body), ends)


_LINE_TEXT = st.text(alphabet=st.sampled_from(list("-*•▪–(1.) aZ:\t\u00a0\u2003x")), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(_LINE_TEXT.map(str.strip).filter(bool))
def test_is_bullet_agrees_with_the_classifier(line):
    assert is_bullet(line) == (classify_line(line)[0] == "bullet")


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_characters="\n\r"), min_size=1, max_size=12)
       .map(lambda s: ("- " + s).strip()))  # a line never holds a line end
def test_the_usual_marker_fast_path_equals_the_pattern(line):
    """'- ' lines skip the regular expression; they must read as the pattern reads them."""
    m = classify._BULLET.match(line)
    kind, body, _, _ = classify_line(line)
    if m:
        assert (kind, body) == ("bullet", m.group("body"))
    else:
        assert kind != "bullet"
