"""explorer.text: the one place names are folded, lemmatised and text is cut into sentences."""
from __future__ import annotations

import pytest

from explorer.text import fold, lemma, name_key, sentence_at, split_sentences, words


@pytest.mark.parametrize("a, b", [("Headache", "headaches."), ("Muscle Aches", "muscle ache"),
                                  ("Raynaud’s phenomenon", "raynaud's phenomenon"), ("Night-sweats", "night sweat")])
def test_two_spellings_of_one_name_share_a_key(a, b):
    assert name_key(a).replace("-", " ") == name_key(b).replace("-", " ")


@pytest.mark.parametrize("word, expected", [("abscesses", "abscess"), ("rabies", "rabies"), ("emboli", "embolus"),
                                            ("diabetes", "diabetes"), ("nosebleeds", "nosebleed")])
def test_lemmas(word, expected):
    assert lemma(word) == expected


def test_fold_ignores_case_spaces_quotes_dashes_and_end_punctuation():
    assert fold("  Pins‑and‑Needles;  ") == "pins-and-needles" == fold("pins-and-needles")
    assert words("Trouble sleeping (insomnia)") == ["trouble", "sleeping", "insomnia"]


def test_sentences_end_at_their_mark_and_closing_quotes():
    assert split_sentences('It works. "Ask us!" Then rest') == ["It works.", '"Ask us!"', "Then rest"]
    assert sentence_at("One. Two three. Four.", 7) == "Two three."
