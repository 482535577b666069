"""explorer.pages.about: a page's drug and condition, each from the first source that names it."""
from __future__ import annotations

import pytest

from explorer.pages.about import page_condition, title_subject
from explorer.pages.decode import PageError
from explorer.pages.lines import text_lines
from explorer.pages.names import drugs_with
from explorer.pages.records import Source
from explorer.pages.rows import prepare
from explorer.pages.subject import Subject

SOURCE = Source("page01.txt", "0" * 64)


def subject(text: str, **kwargs):
    rows = prepare(text_lines(text))
    found, title_at = title_subject(rows, SOURCE, kwargs.get("meta"), kwargs.get("address"), kwargs.get("given"),
                                    drugs_with())
    return rows, found, title_at


def test_the_drug_the_text_names_most_often_when_no_title_names_one():
    rows, found, title_at = subject("Oxycodone is an opioid pain medicine. Adults take oxycodone for moderate to "
                                    "severe pain, and naloxone reverses it.\nOxycodone is taken by mouth.")
    assert (found.drug, found.drug_from, title_at) == ("Oxycodone", "text", None)
    assert page_condition(rows, found, title_at, None, set(), len(rows)) == ("Pain", "text")


def test_the_title_comes_first_and_a_condition_is_never_invented():
    rows, found, title_at = subject("Trazodone Side Effects\nSleepy mornings are common.\n")
    assert (found.drug, found.drug_from, title_at) == ("Trazodone", "title", 0)
    assert page_condition(rows, found, title_at, None, set(), len(rows)) == (None, None)


def test_what_was_given_is_the_last_choice():
    rows, found, title_at = subject("Sleepy mornings are common.\n", given=Subject("Zorvalex", "Migraine"))
    assert (found.drug, found.drug_from) == ("Zorvalex", "given")
    assert page_condition(rows, found, title_at, Subject("Zorvalex", "Migraine"), set(), len(rows)) == (
        "Migraine", "given")


def test_no_drug_anywhere_is_an_error_naming_every_place_looked():
    with pytest.raises(PageError, match="the address, the text or --drug"):
        subject("Coping with worry\nBreathe slowly.\n")


def test_an_unknown_drug_a_side_effects_title_names_and_the_page_repeats():
    rows, found, title_at = subject("Zorvalex Side Effects\nZorvalex is taken once a day. Most people on "
                                    "Zorvalex feel well.\nCommon\n- Headache\n")
    assert (found.drug, found.drug_from, title_at) == ("Zorvalex", "title", 0)
    with pytest.raises(PageError):  # named once: a word of the page, not what it is about
        subject("Zorvalex Side Effects\nMost people feel well.\n")
    with pytest.raises(PageError):  # "Common" is no drug however often it stands
        subject("Common Side Effects\nCommon ones are mild. Common sense helps.\n")
