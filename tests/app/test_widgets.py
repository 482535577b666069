"""The dashboard widget driven through its controls, and its pure helpers; no kernel, no browser."""
from __future__ import annotations

import base64
import io
import time

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from explorer.dashboard import (CSV_INLINE_LIMIT, LABEL_TAB, Dashboard, DashboardModel, SharedBundleFigureWidget,
                                app, claims_html, csv_data_url, filters_from_query, narrow, source_links_html,
                                summary_line, table_html)
from explorer.filters import FilterState
from explorer.label import COVERAGE_NOTE, NOT_CAPTURED, STATUS_LEVELS


def severity_x(dash: Dashboard) -> dict[str, list]:
    return {t.name: list(t.x) for t in dash.figures["severity"].data}


def table_names(dash: Dashboard) -> list[str]:
    """The 'Side effect' column of the results table as a browser would read it (entities decoded)."""
    soup = BeautifulSoup(dash._table.value, "html.parser")
    return [tr.find_all("td")[3].get_text() for tr in soup.select("tbody tr")]


@pytest.fixture
def dash(seed_corpus):
    return Dashboard(seed_corpus)


def test_starts_unfiltered(dash):
    assert dash.state == FilterState()
    assert dash._summary.value.count("9 side effects on 1 page, 3 of them Serious") == 1
    assert severity_x(dash) == {"Common": [3], "Less common": [3], "Rare": [], "Serious": [3],
                                "Unrecognised tier": []}
    assert len(table_names(dash)) == 9
    assert "rows 1–9 of 9" in dash._table_count.value


def test_state_is_read_only(dash):
    with pytest.raises(AttributeError):
        dash.state = FilterState(severities=("serious",))


def test_severity_toggle_filters_state_figures_and_table(dash):
    dash._severities["serious"].value = True
    assert dash.state == FilterState(severities=("serious",))
    assert severity_x(dash) == {"Common": [], "Less common": [], "Rare": [], "Serious": [3],
                                "Unrecognised tier": []}
    matrix = {t.name: list(t.x) for t in dash.figures["matrix"].data}
    assert sorted(matrix["Serious"]) == ["Blood clots", "Infection", "Perforation of the uterus"]
    assert matrix["Common"] == []
    assert table_names(dash) == ["Perforation of the uterus", "Infection", "Blood clots"]
    assert "3 side effects on 1 page, 3 of them Serious" in dash._summary.value
    # Several severities at once.
    dash._severities["common"].value = True
    assert dash.state.severities == ("common", "serious")
    assert severity_x(dash)["Common"] == [3] and len(table_names(dash)) == 6


def test_search_and_condition_picker(dash):
    dash._search.value = "dizz"
    assert dash.state.search == "dizz"
    assert table_names(dash) == ["Dizziness"]
    assert severity_x(dash)["Less common"] == [1]
    dash._search.value = ""
    dash._conditions._select.value = ("Back Pain",)
    assert dash.state.conditions == ("Back Pain",)
    assert len(table_names(dash)) == 9


def test_figures_update_in_place(dash):
    before = {name: fig for name, fig in dash.figures.items()}
    ids = {name: fig.model_id for name, fig in before.items()}
    dash._severities["rare"].value = True
    assert {name: fig.model_id for name, fig in dash.figures.items()} == ids
    assert all(len(t.x) == 0 for t in dash.figures["severity"].data)
    assert "No side effects match" in dash._summary.value
    assert "no rows" in dash._table_count.value


def test_csv_link_holds_exactly_the_matching_rows(dash, seed_corpus):
    dash._severities["serious"].value = True
    href = dash._download.value.split('href="')[1].split('"')[0]
    csv = base64.b64decode(href.split("base64,")[1]).decode("utf-8")
    rows = pd.read_csv(io.StringIO(csv))
    assert list(rows["name"]) == ["Perforation of the uterus", "Infection", "Blood clots"]
    assert list(rows.columns) == list(seed_corpus.side_effects.columns)
    assert list(rows["line"]) == [40, 41, 42]


def test_table_is_paginated():
    big = pd.DataFrame({"source_file": ["f.txt"] * 45, "line": range(1, 46), "drug": "D", "condition": "C",
                        "tier": "Common", "name": [f"n{i}" for i in range(45)], "description": None})
    html = table_html(big, 40, 20)
    assert html.count("<tr>") == 1 + 5 and "f.txt:41" in html and "f.txt:40" not in html


def test_address_presets_filters(seed_corpus):
    dash = app(seed_corpus, query="condition=Back+Pain&severity=serious&severity=nonsense&drug=Nope")
    assert dash.state == FilterState(conditions=("Back Pain",), severities=("serious",))
    assert dash._severities["serious"].value and not dash._severities["common"].value
    assert dash._conditions.value == ("Back Pain",)
    assert severity_x(dash)["Serious"] == [3] and severity_x(dash)["Common"] == []
    notes = dash._notes.value
    assert "Ignored severity &#x27;nonsense&#x27;" in notes and "Ignored drug &#x27;Nope&#x27;" in notes


def test_filters_from_query_cases():
    drugs, conditions = ["Mirena"], ["Back Pain", "Acne"]
    state, notes = filters_from_query("?severity=less-common,SERIOUS&q=pain&condition=acne,BACK%20PAIN",
                                      drugs, conditions)
    assert state == FilterState(conditions=("Acne", "Back Pain"), severities=("less common", "serious"),
                                search="pain")
    assert notes == ()
    assert filters_from_query("", drugs, conditions) == (FilterState(), ())
    state, notes = filters_from_query("condition=<script>&x=1", drugs, conditions)
    assert state == FilterState() and len(notes) == 2


def test_unknown_corpus_gives_a_message_not_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPLORER_CORPUS", str(tmp_path / "missing"))
    shown = app(query="")
    assert "Could not load the corpus" in shown.value


def test_corpus_from_the_environment(monkeypatch, escaped_corpus_dir):
    monkeypatch.setenv("EXPLORER_CORPUS", str(escaped_corpus_dir))
    monkeypatch.setenv("QUERY_STRING", "drug=Examplin")
    dash = app()
    assert dash.state.drugs == ("Examplin",)
    assert "4 side effects on 1 page, 1 of them Serious" in dash._summary.value


def test_page_markup_is_escaped_everywhere(escaped_corpus):
    dash = Dashboard(escaped_corpus, FilterState(drugs=("Examplin",)))
    shown = dash._table.value + dash._summary.value + dash._notes.value + dash._conditions._count.value
    assert "<script>" not in shown and "<img" not in shown and "<b>Bold" not in shown
    assert "&lt;script&gt;window.pwned = 2" in dash._table.value
    # Option labels of a select are text, not HTML: the condition keeps its markup as written.
    assert "Itchy <b>Skin</b>" in dash._conditions._select.options


def test_summary_and_narrow_helpers(seed_corpus):
    assert summary_line(seed_corpus.side_effects.iloc[:1]) == "1 side effect on 1 page, 0 of them Serious"
    assert narrow([f"c{i}" for i in range(1000)], "c1", limit=5) == ["c1", "c10", "c11", "c12", "c13"]
    assert csv_data_url(seed_corpus.side_effects.iloc[:0]).startswith("data:text/csv;charset=utf-8;base64,")


def test_condition_picker_narrows_thousands_and_keeps_choices():
    conditions = tuple(f"Condition {i:04d}" for i in range(5000))
    se = pd.DataFrame({"source_file": pd.Categorical(["f"]), "sha256": pd.Categorical(["s"]), "line": [1],
                       "drug": pd.Categorical(["D"]), "condition": pd.Categorical(["Condition 0001"]),
                       "tier": pd.Categorical(["Common"]), "severity": pd.Categorical(["common"]),
                       "name": pd.array(["x"], dtype="string"), "description": pd.array([None], dtype="string")})
    articles = pd.DataFrame({"drug": pd.Categorical(["D"] * 5000), "condition": pd.Categorical(conditions)})
    related = pd.DataFrame({c: pd.Categorical([]) for c in ("source_file", "drug", "condition", "related_drug",
                                                            "related_condition")}).assign(line=[], has_page=[])
    from explorer.corpus import Corpus
    corpus = Corpus(articles=articles, sections=se.iloc[:0], side_effects=se, advice=se.iloc[:0], related=related)
    dash = Dashboard(corpus)
    picker = dash._conditions
    assert len(picker._select.options) == 200 and "5,000 of 5,000 match" in picker._count.value
    picker._text.value = "0001"
    assert picker._select.options == ("Condition 0001",)
    picker._select.value = ("Condition 0001",)
    picker._text.value = "4999"
    assert picker.value == ("Condition 0001",)  # still chosen though narrowed out of the list
    assert set(picker._select.options) == {"Condition 0001", "Condition 4999"}
    assert dash.state.conditions == ("Condition 0001",)


def test_filter_change_is_fast_on_the_embedded_data(seed_corpus):
    dash = Dashboard(seed_corpus)
    dash._severities["serious"].value = True  # warm up
    dash._severities["serious"].value = False
    start = time.perf_counter()
    for _ in range(5):
        dash._severities["serious"].value = True
        dash._severities["serious"].value = False
    per_change = (time.perf_counter() - start) / 10
    assert per_change < 0.5, per_change  # generous: the benchmark measures the real figure (~100 ms target)


def test_model_has_no_widgets(seed_corpus):
    model = DashboardModel(seed_corpus)
    assert model.set_state(FilterState(severities=("serious",)))
    assert not model.set_state(FilterState(severities=("serious",)))
    assert len(model.rows) == 3 and model.focus_drug == "Mirena"
    assert CSV_INLINE_LIMIT >= 1000


# --- the label check tab --------------------------------------------------------------------------

def open_label_tab(dash: Dashboard) -> None:
    assert dash._tabs.get_title(1) == LABEL_TAB
    dash._tabs.selected_index = 1


def claim_cells(dash: Dashboard) -> list[dict[str, str]]:
    """The claims table as a browser would read it: header -> cell text, one dict per row."""
    soup = BeautifulSoup(dash._claims_table.value, "html.parser")
    heads = [th.get_text() for th in soup.select("thead th")]
    return [dict(zip(heads, (td.get_text() for td in tr.find_all("td")))) for tr in soup.select("tbody tr")]


def claims_x(dash: Dashboard) -> dict[str, list]:
    return {t.name: list(t.x) for t in dash.figures["claims"].data}


def test_label_tab_is_built_when_opened_and_shows_the_seed_claims(dash):
    assert "claims" not in dash.figures and dash._model._claims is None  # nothing matched before it is opened
    open_label_tab(dash)
    rows = claim_cells(dash)
    assert len(rows) == 9
    blood = next(r for r in rows if r["Claim"] == "Blood clots")
    assert blood["Label status"] == NOT_CAPTURED == "not among the captured label facts"
    assert blood["Page source"] == "data/raw/mirena-back-pain.txt:42"
    shown = dash._label.children[0].value + dash._claims_table.value + dash._claims_summary.value
    assert "not in the label" not in shown.replace("does not mean &#x27;not in the label&#x27;", "")
    assert html_text(dash._label.children[0].value) == f"ⓘ {COVERAGE_NOTE}"
    assert "9 side-effect claims" in dash._claims_summary.value
    fig = dash.figures["claims"]
    assert [t.type for t in fig.data] == ["bar"] * 5 and [t.name for t in fig.data] == list(STATUS_LEVELS)
    assert list(fig.data[0].y) == ["Back Pain"]
    assert sum(sum(t.x) for t in fig.data) == 9


def html_text(fragment: str) -> str:
    return BeautifulSoup(fragment, "html.parser").get_text()


def test_label_tab_follows_the_same_filters(dash):
    open_label_tab(dash)
    claims_id = dash.figures["claims"].model_id
    dash._severities["serious"].value = True
    assert [r["Claim"] for r in claim_cells(dash)] == ["Perforation of the uterus", "Infection", "Blood clots"]
    assert claims_x(dash) == {"label adverse reaction": [0], "label warning": [2], "label contraindication": [0],
                              "superseded label only": [0], "not among the captured label facts": [1]}
    assert "3 side-effect claims: 2 label warning, 1 not among the captured label facts" in dash._claims_summary.value
    assert dash.figures["claims"].model_id == claims_id  # updated in place
    dash._search.value = "dizz"
    assert [r["Claim"] for r in claim_cells(dash)] == [] and "No side-effect claims match" in dash._claims_summary.value
    dash._severities["serious"].value = False
    assert [r["Claim"] for r in claim_cells(dash)] == ["Dizziness"]


def test_label_tab_catches_up_when_reopened(dash):
    open_label_tab(dash)
    dash._tabs.selected_index = 0
    dash._severities["serious"].value = True  # changed while the tab is hidden
    assert len(claim_cells(dash)) == 9  # not recomputed for a hidden tab ...
    open_label_tab(dash)
    assert len(claim_cells(dash)) == 3  # ... but as soon as it is shown


def test_label_tab_preset_from_the_address(seed_corpus):
    dash = app(seed_corpus, query="severity=serious")
    open_label_tab(dash)
    assert len(claim_cells(dash)) == 3


def test_claims_csv_link_holds_the_shown_claims_and_the_note(dash):
    open_label_tab(dash)
    dash._severities["serious"].value = True
    href = dash._claims_download.value.split('href="')[1].split('"')[0]
    text = base64.b64decode(href.split("base64,")[1]).decode("utf-8")
    assert text.splitlines()[0] == f"# {COVERAGE_NOTE}"
    rows = pd.read_csv(io.StringIO(text), skiprows=1)
    assert list(rows["claim"]) == ["Perforation of the uterus", "Infection", "Blood clots"]


def test_claim_sources_are_escaped_links_and_only_http():
    claims = pd.DataFrame({
        "drug": ["D"], "condition": ["<b>C</b>"], "tier": ["Serious"], "claim": ['<img src=x onerror="alert(1)">'],
        "status": [NOT_CAPTURED], "label_term": [pd.NA], "source_file": ["a.txt"], "line": [3],
        "source_url": ['https://a.org/x?a=1&b="><script>alert(2)</script> | javascript:alert(3) | '
                       'http://b.org/y" onmouseover="alert(4)']})
    soup = BeautifulSoup(claims_html(claims), "html.parser")
    assert soup.find("img") is None and soup.find("b") is None and soup.find("script") is None
    assert soup.select("td")[3].get_text() == '<img src=x onerror="alert(1)">'
    links = soup.find_all("a")
    # The first address has no space, so it stays one (escaped) link; the others are shown as text.
    assert [a["href"] for a in links] == ['https://a.org/x?a=1&b="><script>alert(2)</script>']
    assert all(set(a.attrs) == {"href", "target", "rel"} for a in links)
    assert "javascript:alert(3)" in soup.get_text() and not any(a["href"].startswith("javascript") for a in links)
    assert source_links_html(None) == "" and source_links_html("ftp://x.org/") == "ftp://x.org/"


def test_claims_are_matched_once_per_corpus_then_filtered(seed_corpus, monkeypatch):
    import explorer.label

    calls = []
    real = explorer.label.claims_table
    monkeypatch.setattr(explorer.label, "claims_table", lambda *a, **k: calls.append(1) or real(*a, **k))
    model = DashboardModel(seed_corpus)
    for state in (FilterState(severities=("serious",)), FilterState(), FilterState(search="dizz")):
        model.set_state(state)
        assert list(model.claim_rows["line"]) == list(model.rows["line"])
        model.claims_figure(), model.claims_summary()
    assert calls == [1]


def test_charts_ship_plotly_once_when_served_by_voila(seed_corpus, monkeypatch):
    assert type(app(seed_corpus).figures["severity"]) is not SharedBundleFigureWidget  # notebooks, nbval
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    dash = app(seed_corpus)
    for fig in dash.figures.values():
        assert isinstance(fig, SharedBundleFigureWidget)
        assert len(fig._esm) < 2_000 and "widgetbundle.js" in fig._esm  # not the 5 MB bundle
    open_label_tab(dash)
    assert isinstance(dash.figures["claims"], SharedBundleFigureWidget)
