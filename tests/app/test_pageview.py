"""The page view: a page's text as read, its claims highlighted, everything escaped."""
from __future__ import annotations

import hashlib
import re

import pandas as pd

from explorer.app.pageview import PageText, find_page_file, page_html, read_page
from explorer.audit.claims import claims_table
from explorer.pages.lines import Line


def test_the_seed_page_is_found_read_and_its_claims_highlighted(seed_corpus):
    art = seed_corpus.articles.iloc[0]
    page = read_page(str(art["source_file"]), str(art["sha256"]))
    assert page.problem is None and page.path is not None
    assert page.lines[0].number == 1 and any("Blood clots" in line.text for line in page.lines)
    claims = claims_table(seed_corpus.side_effects)
    out = page_html(page, claims, focus_line=42)
    highlighted = re.findall(r'<tr class="explorer-line explorer-claim-line[^"]*"[^>]*id="line-(\d+)"', out)
    assert sorted(map(int, highlighted)) == sorted(claims["line"].tolist())
    row = re.search(r'<tr class="[^"]*explorer-focus"[^>]*id="line-42">(.*?)</tr>', out).group(1)
    assert "Blood clots" in row and "not among the captured label facts" in row
    # the line is marked, and its tier and status are chips, in the colours of their severity and status
    assert re.search(r'<tr class="[^"]*explorer-sev-serious[^"]*explorer-focus"[^>]*id="line-42">', out)
    assert '<span class="explorer-chip explorer-tier explorer-sev-serious">Serious</span>' in row
    assert ('<span class="explorer-chip explorer-status explorer-status-not-among-the-captured-label-facts">'
            "not among the captured label facts</span>") in row


def test_a_claims_tier_chip_names_its_level_with_the_pages_lead_in_as_its_title():
    page = PageText("p.txt", (Line(1, "Zolvane for Hiccups"), Line(4, "People often mention dry mouth")))
    lead_in = "Effects that people on this medicine often mention include:1-4"
    claims = pd.DataFrame({"line": [4], "claim": ["Dry mouth"], "tier": [lead_in], "severity": ["common"]})
    out = page_html(page, claims)
    assert (f'<span class="explorer-chip explorer-tier explorer-sev-common" title="Tier on the page: {lead_in}">'
            "Common</span>") in out
    assert lead_in + " (common)" not in out


def test_escaped_markup_page_shows_markup_as_text(escaped_corpus):
    art = escaped_corpus.articles[escaped_corpus.articles["source_file"].astype(str).str.contains("escaped")].iloc[0]
    page = read_page(str(art["source_file"]), str(art["sha256"]))
    se = escaped_corpus.side_effects
    out = page_html(page, se[(se["source_file"] == art["source_file"]).to_numpy()])
    assert "<script" not in out and "<img" not in out and "<b>Bold" not in out
    assert "&lt;script&gt;window.pwned = 2" in out and "&lt;img src=x onerror=" in out


def test_a_moved_or_changed_file_is_named_with_the_reason(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text("Zolvane for Hiccups\n")
    digest = hashlib.sha256(page.read_bytes()).hexdigest()
    assert find_page_file(str(page), digest) == (page, None)
    page.write_text("Zolvane for Hiccups, edited\n")
    path, why = find_page_file(str(page), digest)
    assert path is None and "has changed since it was ingested" in why
    path, why = find_page_file("nowhere/p.txt", digest, roots=[tmp_path])
    assert path is None and "not where the ingest read it" in why
    shown = page_html(read_page("nowhere/<p>.txt", digest), pd.DataFrame())
    assert "&lt;p&gt;" in shown and "explorer-note" in shown


def test_a_file_is_found_under_a_root_when_the_recorded_path_is_relative(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "p.txt").write_text("Zolvane for Hiccups\n")
    digest = hashlib.sha256((tmp_path / "site" / "p.txt").read_bytes()).hexdigest()
    assert find_page_file("site/p.txt", digest, roots=[tmp_path]) == (tmp_path / "site" / "p.txt", None)


def test_a_very_long_page_shows_the_lines_around_its_claims():
    page = PageText("long.txt", tuple(Line(i, f"line {i}") for i in range(1, 5001)))
    out = page_html(page, pd.DataFrame({"line": [3000], "name": ["Rash"], "severity": [None], "tier": ["Odd"]}),
                    max_lines=100)
    numbers = [int(n) for n in re.findall(r'id="line-(\d+)"', out)]
    assert 3000 in numbers and 2995 in numbers and 3006 not in numbers and 4000 not in numbers
    assert "of 5,000 lines" in out and "unrecognised tier" in out


def test_a_changed_page_is_named_without_the_servers_absolute_path(tmp_path):
    site = tmp_path / "crawl" / "site"
    site.mkdir(parents=True)
    (site / "p.txt").write_text("Zolvane for Hiccups\n")
    digest = hashlib.sha256((site / "p.txt").read_bytes()).hexdigest()
    (site / "p.txt").write_text("Zolvane for Hiccups, edited\n")
    for recorded, roots, named in ((str(site / "p.txt"), [tmp_path], "crawl/site/p.txt"),  # absolute, under the corpus's folder
                                   (str(site / "p.txt"), [], "p.txt"),                      # absolute, elsewhere
                                   ("crawl/site/p.txt", [tmp_path], "crawl/site/p.txt")):   # relative, found under a root
        out = page_html(read_page(recorded, digest, roots), pd.DataFrame())
        assert "has changed since it was ingested" in out and named in out, out
        assert str(tmp_path) not in out, out


def test_an_unreadable_page_is_named_without_the_servers_absolute_path(tmp_path):
    (tmp_path / "p.txt").write_bytes(b"\x00" * 10 + b"binary, not a page")
    digest = hashlib.sha256((tmp_path / "p.txt").read_bytes()).hexdigest()
    page = read_page(str(tmp_path / "p.txt"), digest, [tmp_path])
    assert page.problem is not None and str(tmp_path) not in page_html(page, pd.DataFrame())


def test_a_page_read_from_an_absolute_path_is_headed_by_its_path_under_the_corpus_folder(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "p.txt").write_text("Zolvane for Hiccups\n")
    digest = hashlib.sha256((tmp_path / "site" / "p.txt").read_bytes()).hexdigest()
    out = page_html(read_page(str(tmp_path / "site" / "p.txt"), digest, [tmp_path]), pd.DataFrame())
    assert "Zolvane for Hiccups" in out and "site/p.txt" in out and str(tmp_path) not in out


def test_a_very_long_line_is_cut_with_a_visible_count_of_what_is_left_out():
    from explorer.app.pageview import MAX_LINE_CHARS

    long = "x" * (20 * 2**20)
    page = PageText("long-line.txt", (Line(1, "Zolvane for Hiccups"), Line(2, long), Line(3, "<b>short</b>")))
    out = page_html(page, pd.DataFrame({"line": [2], "name": ["Rash"], "severity": ["common"], "tier": ["Common"]}))
    assert len(out) < MAX_LINE_CHARS + 5_000
    assert f"… ({len(long) - MAX_LINE_CHARS:,} more characters)" in out
    assert "&lt;b&gt;short&lt;/b&gt;" in out and "Rash" in out
