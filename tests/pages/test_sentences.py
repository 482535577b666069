"""explorer.pages.sentences: a page's prose as masked sentence hashes, with the line each sentence is on.

Every page here was written for these tests.
"""
from __future__ import annotations

from hashlib import blake2b

from explorer.pages.lines import Line, text_lines
from explorer.pages.read import read_bytes
from explorer.pages.sentences import MIN_WORDS, mask, normalise, page_sentences, sentence_hash

TEMPLATE_PAGE = """{drug} for {condition}
What is {drug}?
{drug} is a cream that people rub on the skin twice a day. It is sold without a prescription.
How Does {drug} Relate to {condition}?
Some people who use {drug} say their {condition} eased within a week. {special}
Common Side Effects of {drug} for {condition}
- Redness: the treated skin may turn pink for an hour.
- Stinging: a short sting right after it is applied.
"""


def page(drug: str, condition: str, special: str) -> bytes:
    return TEMPLATE_PAGE.format(drug=drug, condition=condition, special=special).encode()


def hashes_by_line(data: bytes, path: str) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for s in read_bytes(data, path).sentences:
        out.setdefault(s.line, []).append(s.hash)
    return out


def test_masking_makes_pages_about_different_drugs_share_their_template_sentences():
    a = read_bytes(page("Dermivol", "Itchy Skin", "Its smell reminds many of lemons."), "dermivol-itchy-skin.txt")
    b = read_bytes(page("Scalora", "Dry Scalp", "Bottles must be kept in a fridge after opening."),
                   "scalora-dry-scalp.txt")
    assert (a.drug, b.drug) == ("Dermivol", "Scalora")
    shared = {s.hash for s in a.sentences} & {s.hash for s in b.sentences}
    # line 3's two sentences, the first sentence of line 5, and both side-effect lines
    assert {s.line for s in a.sentences if s.hash in shared} == {3, 5, 7, 8}
    assert len(shared) == 5


def test_a_page_specific_sentence_is_not_shared():
    a = hashes_by_line(page("Dermivol", "Itchy Skin", "Its smell reminds many of lemons."), "a.txt")
    b = hashes_by_line(page("Scalora", "Dry Scalp", "Bottles must be kept in a fridge after opening."), "b.txt")
    assert len(a[5]) == len(b[5]) == 2
    assert a[5][0] == b[5][0] and a[5][1] != b[5][1]


def test_each_sentence_names_the_line_it_stands_on_in_the_file():
    text = ("Dermivol for Itchy Skin\r\n\r\n\r\nDermivol is applied at night before sleep. Wash hands after use.\r\n"
            "\r\nOk.\r\nNever put Dermivol near the eyes or mouth.\r\n")
    got = [(s.line, s.n_chars) for s in read_bytes(text.encode(), "d.txt").sentences]
    assert got == [(4, len("dermivol is applied at night before sleep")), (4, len("wash hands after use")),
                   (7, len("never put dermivol near the eyes or mouth"))]


def test_html_pages_give_the_lines_of_their_main_content_not_their_menus():
    html = """<!DOCTYPE html>
<html><head><title>Dermivol for Itchy Skin</title></head>
<body>
<nav><p>Home page of the site. All our drug guides are listed here today.</p></nav>
<main>
<h1>Dermivol for Itchy Skin</h1>
<p>Dermivol calms itchy skin for most adults who try it.
It should not be used on broken skin.</p>
<h2>Side Effects of Dermivol</h2>
<ul><li>Redness of the treated skin that fades within the hour</li></ul>
</main>
</body></html>"""
    article = read_bytes(html.encode(), "dermivol.html")
    assert [s.line for s in article.sentences] == [7, 7, 10]
    nav = sentence_hash(normalise("Home page of the site. All our drug guides are listed here today."))
    assert nav not in {s.hash for s in article.sentences}


def test_headings_and_short_fragments_are_left_out():
    lines = [Line(1, "How Does Dermivol Relate to Itchy Skin?", "heading"), Line(2, "See below. Yes it does."),
             Line(3, "A cream for the evening hours"), Line(4, "What to Expect From the Cream Today")]
    got = page_sentences(lines, "Dermivol", "Itchy Skin", skip_lines=[4])
    assert [s.line for s in got] == [3]  # "See below." and "Yes it does." have fewer than four words
    assert MIN_WORDS == 4


def test_names_are_masked_as_whole_words_case_insensitively_longest_first():
    assert mask(normalise("DERMIVOL helps itchy skin; Dermivolex does not."), "Dermivol", "Itchy Skin") == \
        "<drug> helps <condition>; dermivolex does not"
    # a condition that holds the drug's name is masked whole
    assert mask("after dermivol rash the skin heals", "Dermivol", "Dermivol Rash") == "after <condition> the skin heals"
    assert mask("nothing is named in this line", "Dermivol", None) == "nothing is named in this line"


def test_normalising_folds_case_collapses_whitespace_and_strips_edge_punctuation():
    assert normalise("  • “Apply   it\tTWICE daily.”  ") == "apply it twice daily"
    assert normalise("- Redness: it fades.") == "redness: it fades"


def test_the_hash_is_blake2b_of_the_masked_sentence_as_a_signed_64_bit_integer():
    digest = blake2b(b"<drug> is a cream", digest_size=8).digest()
    assert sentence_hash("<drug> is a cream") == int.from_bytes(digest, "little", signed=True)
    values = [s.hash for s in page_sentences(text_lines("One two three four. Five six seven eight!"), None, None)]
    assert len(values) == 2 and all(-2**63 <= v < 2**63 for v in values)
