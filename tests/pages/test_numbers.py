"""Durations and percentages on a page (explorer.pages.numbers): digits and number words, ranges, units
in any case, the line each stands on (in an HTML file, the source line of the number itself), and the
windowed search finding exactly what a plain ``finditer`` over each line finds."""
from __future__ import annotations

import random

import pytest

from explorer.pages import numbers
from explorer.pages.lines import html_lines, text_rows
from explorer.pages.numbers import SENTENCE_CHARS, extract_numbers, number_mentions, parse_number
from tests.helpers import PAGES

from .support import line_of


def found(text: str) -> list[tuple]:
    return [(m.quantity, m.text, m.low, m.high, m.unit) for m in extract_numbers(text)]


@pytest.mark.parametrize("text, number", [
    ("16.3", 16.3), ("0", 0.0), ("five", 5.0), ("Twenty-five", 25.0), ("twenty five", 25.0),
    ("NINETY-nine", 99.0), ("thirteen", 13.0), ("hundred", 100.0), ("one hundred", 100.0),
    ("a hundred", 100.0), (" 7 ", 7.0),
])
def test_parse_number_reads_digits_and_words(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text, expected", [
    ("It lasts 5 years.", [("duration", "5 years", 5.0, 5.0, "year")]),
    ("It lasts five years.", [("duration", "five years", 5.0, 5.0, "year")]),
    ("after 1 year", [("duration", "1 year", 1.0, 1.0, "year")]),
    ("every 6 yrs or 2 yr", [("duration", "6 yrs", 6.0, 6.0, "year"), ("duration", "2 yr", 2.0, 2.0, "year")]),
    ("for twenty-one days", [("duration", "twenty-one days", 21.0, 21.0, "day")]),
    ("a 3-month course", [("duration", "3-month", 3.0, 3.0, "month")]),
    ("18 months", [("duration", "18 months", 18.0, 18.0, "month")]),
    ("after ten weeks", [("duration", "ten weeks", 10.0, 10.0, "week")]),
    ("16.3% of users", [("percentage", "16.3%", 16.3, 16.3, "percent")]),
    ("4.5 % of users", [("percentage", "4.5 %", 4.5, 4.5, "percent")]),
    ("fifteen percent", [("percentage", "fifteen percent", 15.0, 15.0, "percent")]),
    ("about 2 per cent", [("percentage", "2 per cent", 2.0, 2.0, "percent")]),
    ("one hundred percent sure", [("percentage", "one hundred percent", 100.0, 100.0, "percent")]),
])
def test_durations_and_percentages_in_digits_and_words(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text, low, high", [
    ("five to seven years", 5.0, 7.0),
    ("2-4 days", 2.0, 4.0),
    ("1–2 weeks", 1.0, 2.0),  # en dash
    ("3—6 months", 3.0, 6.0),  # em dash
    ("seven or eight weeks", 7.0, 8.0),
    ("2 and 3 years", 2.0, 3.0),
    ("10 to 20%", 10.0, 20.0),
    ("seventy-five to ninety-nine percent", 75.0, 99.0),
    ("9 to 3 days", 9.0, 9.0),  # a range written backwards keeps its low; high is never below it
])
def test_ranges_give_their_low_and_high(text, low, high):
    [(_, written, got_low, got_high, _)] = found(text)
    assert (written, got_low, got_high) == (text, low, high)


@pytest.mark.parametrize("text, quantity, number, unit", [
    ("6 Weeks", "duration", 6.0, "week"),
    ("12 MONTHS", "duration", 12.0, "month"),
    ("Three Years", "duration", 3.0, "year"),
    ("2 DAYS", "duration", 2.0, "day"),
    ("5 YRS", "duration", 5.0, "year"),
    ("Ten Days", "duration", 10.0, "day"),
    ("40 Percent", "percentage", 40.0, "percent"),
    ("FORTY PER CENT", "percentage", 40.0, "percent"),
])
def test_units_in_any_case(text, quantity, number, unit):
    assert found(text) == [(quantity, text, number, number, unit)]


@pytest.mark.parametrize("text", [
    "Some people feel nothing for a few weeks.",
    "It takes several months and many days.",
    "Percent of what? Years later.",
    "one of the most common effects",
    "in the 1990s, yearly check-ups",  # 'yearly' is not 'year'
    "5 daysies",  # a unit must end its word
    "7 hours, 30 minutes",  # not units the label states
    "café3 weeks",  # a digit glued to a word is part of the word
    "A1 years",
])
def test_no_number_or_no_unit_gives_nothing(text):
    assert extract_numbers(text) == []


@pytest.mark.parametrize("text, expected", [
    ("naïve users: 5 % — café talk", [("percentage", "5 %", 5.0, 5.0, "percent")]),
    ("≈ 30 days’ notice", [("duration", "30 days", 30.0, 30.0, "day")]),
    ("über 2 Jahre, 3 weeks später", [("duration", "3 weeks", 3.0, 3.0, "week")]),
    ("“12%” — « dix »", [("percentage", "12%", 12.0, 12.0, "percent")]),
    ("durée : 3\u00a0years", [("duration", "3\u00a0years", 3.0, 3.0, "year")]),  # a no-break space
    ("日本 4 weeks 日本", [("duration", "4 weeks", 4.0, 4.0, "week")]),
])
def test_non_ascii_text_around_numbers(text, expected):
    assert found(text) == expected


def test_sentence_is_the_one_the_number_stands_in():
    [m] = extract_numbers("First sentence here. Remove it after 5 years! Then another one.")
    assert m.sentence == "Remove it after 5 years!"
    [m] = extract_numbers("No sentence end 12% here")
    assert m.sentence == "No sentence end 12% here"
    [m] = extract_numbers("x" * 500 + ". It lasts 3 weeks, " + "y" * 500)
    assert len(m.sentence) == SENTENCE_CHARS and m.sentence.startswith("It lasts 3 weeks")


def test_mentions_are_in_the_order_they_stand():
    text = "18% after 2 weeks, 3 months later 40 percent"
    assert [m.text for m in extract_numbers(text)] == ["18%", "2 weeks", "3 months", "40 percent"]


# --- on a page: the line each number stands on ----------------------------------------------------

def test_numbers_get_the_line_of_their_text_line():
    text = "Zelmora\n\nZelmora for Knee Pain\nFor 5 years.\n\n\nFor 2 weeks and 10% more.\n"
    mentions = number_mentions(*text_rows(text)[:2])
    assert [(m.text, m.line) for m in mentions] == [("5 years", 4), ("2 weeks", 7), ("10%", 7)]


def test_text_test_page_numbers_stand_on_their_lines():
    path = PAGES / "numbers.txt"
    numbers_, texts, _ = text_rows(path.read_text(encoding="utf-8"))
    got = [(m.text, m.line) for m in number_mentions(numbers_, texts)]
    assert got == [(text, line_of(path, fragment)) for text, fragment in [
        ("three to five years", "three to five years"), ("6 Weeks", "after 6 Weeks"),
        ("12 MONTHS", "12 MONTHS"), ("2-4 days", "2-4 days"),
        ("18%", "18%"), ("twenty-one days", "twenty-one days"),
        ("fifteen per cent", "fifteen per cent"), ("1–2 weeks", "1–2 weeks"),
        ("4.5 %", "4.5 %"), ("seven or eight Weeks", "seven or eight Weeks"),
        ("one percent", "one percent"), ("2 percent", "2 percent"), ("1 year", "1 year"),
        ("6 yrs", "6 yrs"), ("30 days", "30 days"),
    ]]
    # "a few weeks" and "several" stand on the page with no number: not mentions
    assert "a few weeks" in path.read_text(encoding="utf-8")


def test_html_numbers_get_the_source_line_they_stand_on_not_their_blocks():
    path = PAGES / "numbers.html"
    html = path.read_text(encoding="utf-8")
    lines = html_lines(html)
    mentions = number_mentions([x.number for x in lines], [x.text for x in lines], raw=html)
    assert [(m.text, m.line) for m in mentions] == [
        ("three months", line_of(path, "three months, then pause")),  # third line of its paragraph
        ("40%", line_of(path, "<strong>40%</strong>")),  # second line of its item
        ("twenty percent", line_of(path, "twenty percent")),
        ("2 to 3 weeks", line_of(path, "2 to 3 weeks")),
        ("1 percent", line_of(path, "under 1 percent")),  # on the item's first line
    ]
    # without the source, each number gets the line where its block starts
    blocks = number_mentions([x.number for x in lines], [x.text for x in lines])
    assert blocks[0].line == line_of(path, "<p>Ferrolin is an invented iron tablet")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_html_source_lines_count_every_line_end(newline):
    html = newline.join(["<html><body>", "<h1>Zelmora for Knee Pain</h1>",
                         "<p>A block that starts here", "and says 5 years on its second line.</p>", ""])
    lines = html_lines(html)
    [m] = number_mentions([x.number for x in lines], [x.text for x in lines], raw=html)
    assert (m.text, m.line) == ("5 years", 4)


def test_no_numbers_gives_an_empty_tuple():
    assert number_mentions([1, 2], ["Zelmora", "Zelmora for Knee Pain"], raw="<p>x</p>") == ()


# --- the windowed search equals a plain finditer --------------------------------------------------

_TOKENS = (["5", "16.3", "0", "12", "100", "2.", "٣", "1,000", "five", "Five", "twenty-one", "Twenty one",
            "ninety-nine", "one hundred", "a hundred", "hundred", "eleven", "zero",
            "to", "TO", "-", "–", "—", "or", "and", "AND",
            "years", "year", "YRS", "yr", "Months", "month", "WEEK", "weeks", "days", "Day", "yearly", "dayz",
            "%", "percent", "Per Cent", "PERCENT", "per", "cent", "percentage",
            "a", "few", "several", "café", "naïve", "≈", "über", "É", "日本", "x", "of", "the", ".", ",", "!",
            "(", ")", "“", "”"])
_GLUE = ["", " ", " ", " ", "  ", "-", "\t", "\u00a0", "\u2003", "\x0c"]


def random_line(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 14)):
        parts.append(rng.choice(_TOKENS))
        parts.append(rng.choice(_GLUE))
    return "".join(parts).strip() or "x"


def finditer_mentions(numbers_: list[int], texts: list[str]) -> list[tuple]:
    """The mentions of each line by a plain ``finditer`` of each pattern, in line and position order."""
    out = []
    for number, text in zip(numbers_, texts):
        hits = [(m.start(), quantity, m) for quantity, pattern in (("duration", numbers._DURATION),
                                                                   ("percentage", numbers._PERCENT))
                for m in pattern.finditer(text)]
        for _, quantity, m in sorted(hits, key=lambda h: h[0]):
            low = parse_number(m["low"])
            high = parse_number(m["high"]) if m["high"] else low
            out.append((quantity, m.group(0).strip(), low, max(low, high), number))
    return out


@pytest.mark.parametrize("text", [
    "fivetoseven weeks", "5tofive weeks", "Five andfive-WEEK", "10 orEleven %", "one hundredtozero %",
    "Twenty oneandhundred\tDay", "2 to\u00a0three years", "3\x0cweeks", "4\u2003percent", "6--weeks",
])
def test_glued_and_unusually_spaced_numbers_are_found_as_finditer_finds_them(text):
    expected = finditer_mentions([1], [text])
    assert expected  # each of these is a mention
    assert [(m.quantity, m.text, m.low, m.high, m.line) for m in extract_numbers(text)] == expected


@pytest.mark.parametrize("pages", [1000, pytest.param(20_000, marks=pytest.mark.slow)])
def test_windowed_search_finds_exactly_what_finditer_finds(pages):
    rng = random.Random(5)
    total = 0
    for _ in range(pages):
        texts = [random_line(rng) for _ in range(rng.randint(1, 12))]
        numbers_ = sorted(rng.sample(range(1, 100), len(texts)))
        expected = finditer_mentions(numbers_, texts)
        got = [(m.quantity, m.text, m.low, m.high, m.line) for m in number_mentions(numbers_, texts)]
        assert got == expected, texts
        total += len(expected)
    assert total > pages  # the lines really hold numbers


def test_windowed_search_on_the_test_pages_equals_finditer():
    for path in sorted(PAGES.glob("*.txt")):
        data = path.read_bytes()
        if not data.strip():
            continue
        numbers_, texts, _ = text_rows(data.decode("utf-8", "replace"))
        got = [(m.quantity, m.text, m.low, m.high, m.line) for m in number_mentions(numbers_, texts)]
        assert got == finditer_mentions(numbers_, texts), path.name


def test_a_number_further_than_the_reach_before_its_unit_is_not_searched_for():
    # the documented limit of the window: finditer would find "5 ... years" across 70 spaces
    text = "5" + " " * 70 + "years"
    assert numbers._DURATION.search(text) is not None
    assert extract_numbers(text) == []
    assert found("5" + " " * (numbers._REACH - 7) + "years")[0][1].startswith("5")
