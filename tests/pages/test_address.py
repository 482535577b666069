"""A page's own address, read from its HTML (canonical link, og:url), for the site it is from."""
from __future__ import annotations

import pytest

from explorer.pages.address import html_address
from explorer.pages.read import read_bytes

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><title>Pellodrine Side Effects | Made-up Health Notes</title>
{head}</head>
<body>
<main>
<h1>Pellodrine Side Effects</h1>
<p>Pellodrine is a medicine made up for this test; the page exists only to carry an address.</p>
<h2>More common</h2>
<ul><li>Dry mouth</li><li>Yawning</li></ul>
<h2>Less common</h2>
<ul><li>Hiccups</li></ul>
</main>
</body>
</html>
"""


@pytest.mark.parametrize("head, address", [
    ('<link rel="canonical" href="https://www.notes-a.test/pellodrine">', "https://www.notes-a.test/pellodrine"),
    ('<link href="https://notes-b.test/p" rel="Canonical Alternate">', "https://notes-b.test/p"),
    ('<meta property="og:url" content="https://notes-c.test/p">', "https://notes-c.test/p"),
    # the canonical link wins over og:url, whichever stands first
    ('<meta property="og:url" content="https://og.test/p"><link rel="canonical" href="https://canon.test/p">',
     "https://canon.test/p"),
    ('<link rel="canonical" href="/pellodrine">', None),  # relative: names no site
    ('<link rel="canonical" href="javascript:alert(1)">', None),
    ("", None),
])
def test_the_address_is_the_canonical_link_else_og_url(head, address):
    assert html_address(PAGE.format(head=head)) == address


def test_a_link_in_the_body_is_not_the_pages_address():
    body = PAGE.format(head="").replace("<main>", '<main><link rel="canonical" href="https://body.test/p">')
    assert html_address(body) is None


def test_an_html_page_is_from_the_site_of_its_canonical_link():
    data = PAGE.format(head='<link rel="canonical" href="https://www.notes-a.test/pellodrine">').encode()
    article = read_bytes(data, "crawl/pellodrine.html")
    assert (article.source.url, article.source.site) == ("https://www.notes-a.test/pellodrine", "notes-a.test")


def test_an_address_the_metadata_gives_wins_over_the_pages_own():
    data = PAGE.format(head='<link rel="canonical" href="https://notes-a.test/p">').encode()
    article = read_bytes(data, "crawl/p.html", address="https://meta.test/p")
    assert article.source.site == "meta.test"


def test_a_page_with_no_address_is_labelled_as_its_folder():
    article = read_bytes(PAGE.format(head="").encode(), "crawl/raw/p.html")
    assert article.source.site == "folder: raw"
