"""Property tests of the template parser (explorer.pages.template): whatever bytes come in,
``parse_bytes`` returns an Article or raises PageError.

Pages are the seed and the hand-written test pages, mutated the way crawls and editors damage
pages: lines deleted, duplicated or swapped, random bytes written over the text, cuts at random
offsets, random unicode put into lines; plus bytes that are not pages at all.
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer import config
from explorer.pages.decode import PageError
from explorer.pages.records import Article
from explorer.pages.template import parse_bytes
from explorer.vocabulary import SECTION_KINDS, SEVERITY_LEVELS
from tests.helpers import PAGES

BASES = [config.RAW_DIR / "mirena-back-pain.txt"] + sorted(
    p for p in PAGES.iterdir() if p.is_file() and p.stat().st_size > 0)
BASE_BYTES = [p.read_bytes() for p in BASES]


def quick_and_long(*strategies):
    """The property twice: a quick run (``test_...``) kept in every test run, and a long hunt
    (``test_..._long``) marked slow; PARSER_PROPERTY_EXAMPLES sets the hunt's length."""
    def decorate(body):
        quick = settings(max_examples=25, deadline=None,
                         suppress_health_check=[HealthCheck.too_slow])(given(*strategies)(body))
        long = settings(max_examples=int(os.environ.get("PARSER_PROPERTY_EXAMPLES", "500")), deadline=None,
                        suppress_health_check=[HealthCheck.too_slow])(given(*strategies)(body))
        return quick, pytest.mark.slow(long)
    return decorate


def check(data: bytes, name: str) -> Article | None:
    """The property itself; also checks what an Article promises (lines inside the file)."""
    try:
        article = parse_bytes(data, name)
    except PageError as e:
        assert e.path == name and e.line >= 1 and e.expected
        return None
    n_lines = data.count(b"\n") + data.count(b"\r") + 1
    assert 1 <= article.title_line <= n_lines
    for item in article.side_effects + article.advice + article.related + article.sections:
        assert 1 <= item.line <= n_lines
    assert all(s.severity in (None, *SEVERITY_LEVELS) for s in article.side_effects)
    assert all(s.kind in SECTION_KINDS for s in article.sections)
    for m in article.numbers:
        assert 1 <= m.line <= n_lines and m.low <= m.high
    article.to_json()
    return article


@st.composite
def mutated_page(draw) -> bytes:
    data = draw(st.sampled_from(BASE_BYTES))
    lines = data.split(b"\n")
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "bytes", "unicode", "cut"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            break
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "bytes":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.binary(min_size=1, max_size=12)) + lines[i][at:]
        elif op == "unicode":
            at = draw(st.integers(0, len(lines[i])))
            extra = draw(st.text(min_size=1, max_size=12)).encode("utf-8", "surrogatepass")
            lines[i] = lines[i][:at] + extra + lines[i][at:]
        else:  # cut the page at a random byte offset
            joined = b"\n".join(lines)
            lines = joined[: draw(st.integers(0, len(joined)))].split(b"\n")
    return b"\n".join(lines)


def mutated_pages_give_an_article_or_page_error(data, name):
    check(data, name)


def arbitrary_bytes_give_an_article_or_page_error(data):
    check(data, "noise.txt")


def arbitrary_text_after_a_title_gives_an_article(text, encoding):
    page = "Zelmora\nZelmora for Knee Pain\n" + text
    data = page.encode(encoding, "replace")
    article = check(data, "page.txt")
    if article is not None:
        assert article.drug == "Zelmora"


def truncation_at_any_offset_keeps_a_prefix_of_the_side_effects(data, draws):
    full = check(data, "page.txt")
    cut_at = draws.draw(st.integers(0, len(data)))
    cut = check(data[:cut_at], "page.txt")
    if full is None or cut is None or cut.title_line != full.title_line:
        return
    # every item that survives the cut, except the one the cut went through, is unchanged
    n = len(cut.side_effects)
    assert cut.side_effects[: max(n - 1, 0)] == full.side_effects[: max(n - 1, 0)]


test_mutated_pages_give_an_article_or_page_error, test_mutated_pages_give_an_article_or_page_error_long = \
    quick_and_long(mutated_page(), st.sampled_from(["page.txt", "page.html"]))(
        mutated_pages_give_an_article_or_page_error)
test_arbitrary_bytes_give_an_article_or_page_error, test_arbitrary_bytes_give_an_article_or_page_error_long = \
    quick_and_long(st.binary(max_size=600))(arbitrary_bytes_give_an_article_or_page_error)
test_arbitrary_text_after_a_title_gives_an_article, test_arbitrary_text_after_a_title_gives_an_article_long = \
    quick_and_long(st.text(max_size=400), st.sampled_from(["utf-8", "utf-16", "cp1252"]))(
        arbitrary_text_after_a_title_gives_an_article)
(test_truncation_at_any_offset_keeps_a_prefix_of_the_side_effects,
 test_truncation_at_any_offset_keeps_a_prefix_of_the_side_effects_long) = \
    quick_and_long(st.sampled_from(BASE_BYTES), st.data())(truncation_at_any_offset_keeps_a_prefix_of_the_side_effects)
