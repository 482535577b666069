"""The dashboard widget driven through its controls, as a viewer would; no kernel, no browser.

Severity toggles, search and pickers change one FilterState; the charts are updated in place; the
label-check tab is built when first opened and follows the same filters; the page address presets the
filters; ``app()`` reads the corpus from $EXPLORER_CORPUS and shows a message when it cannot load it.
Expected rows come from the seed page (data/raw/mirena-back-pain.txt: Serious on lines 40-42) and the
escaped-markup test page.
"""
from __future__ import annotations

import base64
import io
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from bs4 import BeautifulSoup

from explorer.app.widgets import (LABEL_TAB, SIDE_EFFECTS_TAB, Dashboard, SharedBundleFigureWidget, app, served_by_voila,
                                  update_in_place)
from explorer.audit.vocabulary import COVERAGE_NOTE, LABEL_TEXT_NOTE, NOT_CAPTURED, STATUS_LEVELS
from explorer.config import CORPUS_ENV, PLOTLY_BUNDLE
from explorer.explore.filters import FilterState

SERIOUS = ["Perforation of the uterus", "Infection", "Blood clots"]
#: The seed's serious claims as the label check lists them: the one without label support first.
SERIOUS_BY_ATTENTION = ["Blood clots", "Perforation of the uterus", "Infection"]


def severity_x(dash: Dashboard) -> dict[str, list]:
    return {t.name: list(t.x) for t in dash.figures["severity"].data}


def html_text(fragment: str) -> str:
    return BeautifulSoup(fragment, "html.parser").get_text()


def table_cells(fragment: str) -> list[dict[str, str]]:
    """An HTML table as a browser would read it (entities decoded): header -> cell text, one dict per row."""
    soup = BeautifulSoup(fragment, "html.parser")
    heads = [th.get_text() for th in soup.select("thead th")]
    return [dict(zip(heads, (td.get_text() for td in tr.find_all("td")))) for tr in soup.select("tbody tr")]


def table_names(dash: Dashboard) -> list[str]:
    return [row["Side effect"] for row in table_cells(dash._results.table.value)]


def link_text(widget_html: str) -> str:
    """The text of the ``data:`` URL of a download link."""
    href = BeautifulSoup(widget_html, "html.parser").find("a")["href"]
    return base64.b64decode(href.split("base64,", 1)[1]).decode("utf-8")


@pytest.fixture
def dash(seed_corpus):
    return side_effects_dashboard(seed_corpus)


def side_effects_dashboard(corpus, *args, **kwargs) -> Dashboard:
    """A dashboard showing its side-effects tab (whose charts are built when it is first shown)."""
    d = Dashboard(corpus, *args, **kwargs)
    assert "severity" not in d.figures  # the overview opens first: no chart built for a hidden tab
    d.open_tab(SIDE_EFFECTS_TAB)
    return d


# --- the side-effects view ------------------------------------------------------------------------

def test_starts_unfiltered_with_every_side_effect(dash):
    assert dash.state == FilterState()
    assert html_text(dash._summary.value) == "9 side effects on 1 page, 3 of them Serious"
    assert severity_x(dash) == {"Common": [3], "Less common": [3], "Rare": [], "Serious": [3],
                                "Unrecognised tier": []}
    assert len(table_names(dash)) == 9
    assert html_text(dash._results.count.value) == "rows 1–9 of 9"
    assert repr(dash) == "Dashboard(9 side effects on 1 page, 3 of them Serious)"  # what nbval compares


def test_state_is_read_only(dash):
    with pytest.raises(AttributeError):
        dash.state = FilterState(severities=("serious",))


def test_severity_toggles_filter_state_figures_and_table(dash):
    dash._severities["serious"].value = True
    assert dash.state == FilterState(severities=("serious",))
    assert severity_x(dash) == {"Common": [], "Less common": [], "Rare": [], "Serious": [3],
                                "Unrecognised tier": []}
    matrix = {t.name: list(t.x) for t in dash.figures["matrix"].data}
    assert sorted(matrix["Serious"]) == sorted(SERIOUS) and matrix["Common"] == []
    assert table_names(dash) == SERIOUS
    assert html_text(dash._summary.value) == "3 side effects on 1 page, 3 of them Serious"
    dash._severities["common"].value = True  # several severities at once
    assert dash.state.severities == ("common", "serious")
    assert severity_x(dash)["Common"] == [3] and len(table_names(dash)) == 6
    dash._severities["common"].value = dash._severities["serious"].value = False
    assert dash.state == FilterState() and len(table_names(dash)) == 9


def test_search_box_and_pickers_filter(escaped_corpus):
    dash = side_effects_dashboard(escaped_corpus)
    dash._search.value = "dizz"
    assert dash.state.search == "dizz" and table_names(dash) == ["Dizziness"]
    assert severity_x(dash)["Less common"] == [1]
    dash._search.value = ""
    dash._conditions._select.value = ("Back Pain",)
    assert dash.state.conditions == ("Back Pain",) and len(table_names(dash)) == 9
    dash._conditions._select.value = ()
    dash._drugs._select.value = ("Examplin",)
    assert dash.state == FilterState(drugs=("Examplin",))
    assert html_text(dash._summary.value) == "4 side effects on 1 page, 1 of them Serious"


def test_figures_are_updated_in_place(dash):
    ids = {name: fig.model_id for name, fig in dash.figures.items()}
    dash._severities["rare"].value = True  # the seed page has no rare side effect
    assert {name: fig.model_id for name, fig in dash.figures.items()} == ids
    assert all(len(t.x) == 0 for t in dash.figures["severity"].data)
    assert html_text(dash._summary.value) == "No side effects match these filters"
    assert html_text(dash._results.count.value) == "no rows"


def test_update_in_place_copies_traces_and_title_into_the_same_widget():
    widget = go.FigureWidget(go.Figure(go.Bar(name="a", x=[1, 2]), layout=dict(title="old")))
    update_in_place(widget, go.Figure(go.Bar(name="b", x=[3]), layout=dict(title="new")))
    assert [(t.type, t.name, list(t.x)) for t in widget.data] == [("bar", "b", [3])]
    assert widget.layout.title.text == "new"
    # Other traces (count or type): replaced.
    update_in_place(widget, go.Figure([go.Scatter(name="s", x=[1]), go.Bar(name="c", x=[2])]))
    assert [(t.type, t.name) for t in widget.data] == [("scatter", "s"), ("bar", "c")]


def test_csv_link_holds_exactly_the_matching_rows(dash, seed_corpus):
    dash._severities["serious"].value = True
    rows = pd.read_csv(io.StringIO(link_text(dash._results.download.value)))
    assert list(rows.columns) == [*seed_corpus.side_effects.columns, "site"]  # the page's site beside each row
    assert set(rows["site"]) == {"folder: raw"}  # the embedded page's folder (no address known)
    assert list(rows["name"]) == SERIOUS and list(rows["line"]) == [40, 41, 42]


def test_page_markup_is_escaped_everywhere(escaped_corpus):
    dash = side_effects_dashboard(escaped_corpus, FilterState(drugs=("Examplin",)))
    shown = (dash._results.table.value + dash._summary.value + dash._notes.value + dash._conditions._count.value
             + dash._results.download.value)
    assert "<script>" not in shown and "<img" not in shown and "<b>Bold" not in shown
    assert "&lt;script&gt;window.pwned = 2" in dash._results.table.value
    # Option labels of a select are text, not HTML: the condition keeps its markup as written.
    assert "Itchy <b>Skin</b>" in dash._conditions._select.options


# --- the page address and app() -------------------------------------------------------------------

def test_address_presets_the_filters_and_notes_what_it_ignored(seed_corpus):
    dash = app(seed_corpus, query="condition=Back+Pain&severity=serious&severity=nonsense&drug=<b>Nope</b>")
    assert dash.state == FilterState(conditions=("Back Pain",), severities=("serious",))
    assert dash._severities["serious"].value and not dash._severities["common"].value
    assert dash._conditions.value == ("Back Pain",)
    dash.open_tab(SIDE_EFFECTS_TAB)
    assert severity_x(dash)["Serious"] == [3] and severity_x(dash)["Common"] == []
    # each note a box of its own, its icon drawn by the stylesheet (no glyph a font may lack)
    assert html_text(dash._notes.value) == ("Ignored severity 'nonsense' from the address: not a severity level."
                                            "Ignored drug '<b>Nope</b>' from the address: not in this corpus.")
    assert dash._notes.value.count('<div class="explorer-note">') == 2
    assert "<b>" not in dash._notes.value


def test_app_reads_the_corpus_and_the_address_from_the_environment(monkeypatch, escaped_corpus_dir):
    monkeypatch.setenv(CORPUS_ENV, str(escaped_corpus_dir))
    monkeypatch.setenv("QUERY_STRING", "drug=Examplin")
    dash = app()
    assert dash.state.drugs == ("Examplin",)
    assert html_text(dash._summary.value) == "4 side effects on 1 page, 1 of them Serious"


@pytest.mark.parametrize("folder", ["missing <b>x", "not-a-corpus"])
def test_a_corpus_that_cannot_be_loaded_gives_a_message_not_an_error(monkeypatch, tmp_path, folder):
    if folder == "not-a-corpus":
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.txt").write_text("not a table")
    monkeypatch.setenv(CORPUS_ENV, str(tmp_path / folder))
    shown = app(query="")
    assert not isinstance(shown, Dashboard)
    assert html_text(shown.value).startswith("Could not load the corpus: ")
    assert folder in html_text(shown.value) and "<b>" not in shown.value
    # named, not placed: the server's absolute path is no viewer's business; and what to do
    assert str(tmp_path) not in html_text(shown.value) and "explorer serve --data" in html_text(shown.value)


def test_a_corpus_inside_the_working_folder_is_named_by_its_relative_path(monkeypatch, tmp_path):
    (tmp_path / "crawl" / "corpus").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(CORPUS_ENV, str(tmp_path / "crawl" / "corpus"))
    shown = html_text(app(query="").value)
    assert "crawl/corpus" in shown and str(tmp_path) not in shown


def test_charts_ship_plotly_once_when_served_by_voila(seed_corpus, monkeypatch):
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    assert not served_by_voila()
    plain = app(seed_corpus)
    plain.open_tab(SIDE_EFFECTS_TAB)
    assert set(plain.figures) == {"severity", "related", "matrix"}
    for fig in plain.figures.values():  # notebooks, nbval: plotly's own widget
        assert isinstance(fig, go.FigureWidget) and not isinstance(fig, SharedBundleFigureWidget)
        assert len(fig._esm) > 1_000_000  # ... which carries the whole bundle in its state
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    assert served_by_voila()
    dash = app(seed_corpus)
    dash.open_tab(SIDE_EFFECTS_TAB)
    assert set(dash.figures) == {"severity", "related", "matrix"}
    for fig in dash.figures.values():
        assert isinstance(fig, SharedBundleFigureWidget)
        assert len(fig._esm) < 2_000 and PLOTLY_BUNDLE in fig._esm  # a loader, not the 5 MB bundle
        # anywidget sends the class's _esm to the browser as the widget's state (an anywidget internal,
        # pinned below 0.12): the page gets the loader, never the bundle
        assert fig.get_state()["_esm"] == fig._esm
    dash.open_tab(LABEL_TAB)
    assert isinstance(dash.figures["claims"], SharedBundleFigureWidget)


# --- the label check tab --------------------------------------------------------------------------

def open_label_tab(dash: Dashboard) -> None:
    dash.open_tab(LABEL_TAB)
    assert dash.label_tab_open and dash._tabs.get_title(dash._tabs.selected_index) == LABEL_TAB


def claim_rows(dash: Dashboard) -> list[dict[str, str]]:
    return table_cells(dash._claims.table.value)


def claims_x(dash: Dashboard) -> dict[str, list]:
    return {t.name: list(t.x) for t in dash.figures["claims"].data}


def test_label_tab_is_built_when_opened_and_shows_the_seed_claims(dash):
    assert "claims" not in dash.figures  # its chart is built when it is first opened
    assert dash._label.children == ()
    open_label_tab(dash)
    rows = claim_rows(dash)
    assert sorted(r["Claim"] for r in rows) == sorted(dash.model.rows["name"])
    blood = next(r for r in rows if r["Claim"] == "Blood clots")
    assert blood["Label status"] == NOT_CAPTURED and blood["Page source"] == "data/raw/mirena-back-pain.txt:42"
    assert html_text(dash._label.children[0].value) == f"The curated facts cover Mirena: {COVERAGE_NOTE}"
    assert html_text(dash._claims_summary.value).startswith("9 side-effect claims: ")
    assert html_text(dash._claims.count.value) == "claims 1–9 of 9"
    fig = dash.figures["claims"]
    assert [t.type for t in fig.data] == ["bar"] * len(STATUS_LEVELS)
    assert [t.name for t in fig.data] == list(STATUS_LEVELS)
    assert list(fig.data[0].y) == ["Back Pain"] and sum(sum(t.x) for t in fig.data) == 9


def test_label_tab_opens_on_the_rows_that_need_attention_first(dash):
    # the seed in page order: three common claims, three less common, three serious; the label check lists
    # first the tier the label contradicts (Headaches), then the serious claim without label support, then
    # what the label facts do not back, and last what the label lists (the two warnings)
    open_label_tab(dash)
    assert [r["Claim"] for r in claim_rows(dash)] == [
        "Headaches", "Blood clots", "Mirena’s hormonal effects", "Weight gain", "Mood changes", "Dizziness",
        "Nausea and vomiting", "Perforation of the uterus", "Infection"]
    text = link_text(dash._claims.download.value)  # the CSV keeps the corpus's order
    assert list(pd.read_csv(io.StringIO(text), skiprows=1)["line"]) == sorted(dash.model.rows["line"])


def test_label_tab_never_says_not_in_the_label(dash):
    open_label_tab(dash)
    shown = html_text(dash._label.children[0].value + dash._claims.table.value + dash._claims_summary.value)
    assert "not in the label" not in shown.replace("does not mean 'not in the label'", "")


def test_label_tab_follows_the_same_filters(dash):
    open_label_tab(dash)
    claims_id = dash.figures["claims"].model_id
    dash._severities["serious"].value = True
    assert [r["Claim"] for r in claim_rows(dash)] == SERIOUS_BY_ATTENTION
    assert claims_x(dash) == {**{status: [0] for status in STATUS_LEVELS}, "label warning": [2], NOT_CAPTURED: [1]}
    assert html_text(dash._claims_summary.value) == f"3 side-effect claims: 2 label warning, 1 {NOT_CAPTURED}"
    assert dash.figures["claims"].model_id == claims_id  # updated in place
    dash._search.value = "dizz"
    assert claim_rows(dash) == []
    assert html_text(dash._claims_summary.value) == "No side-effect claims match these filters"
    dash._severities["serious"].value = False
    assert [r["Claim"] for r in claim_rows(dash)] == ["Dizziness"]


def test_label_tab_catches_up_when_reopened(dash):
    open_label_tab(dash)
    dash.open_tab(SIDE_EFFECTS_TAB)
    dash._severities["serious"].value = True  # changed while the tab is hidden
    assert len(claim_rows(dash)) == 9  # not recomputed for a hidden tab ...
    open_label_tab(dash)
    assert len(claim_rows(dash)) == 3  # ... but as soon as it is shown


def test_label_tab_preset_from_the_address(seed_corpus):
    dash = app(seed_corpus, query="severity=serious")
    open_label_tab(dash)
    assert [r["Claim"] for r in claim_rows(dash)] == SERIOUS_BY_ATTENTION


def test_served_with_a_label_store_the_label_tab_shows_the_labels_words(seed_corpus, tmp_path, monkeypatch):
    from explorer.config import LABELS_ENV
    from explorer.labels.importer import import_labels

    mirena = Path(__file__).resolve().parents[1] / "fixtures" / "labels" / "openfda" / "mirena.json"
    import_labels([mirena], tmp_path / "labels", progress=False)
    monkeypatch.setenv(LABELS_ENV, str(tmp_path / "labels"))
    dash = app(seed_corpus, query="severity=serious")
    open_label_tab(dash)
    rows = {r["Claim"]: r for r in claim_rows(dash)}
    assert sorted(rows) == sorted(SERIOUS)
    assert html_text(dash._label.children[0].value) == LABEL_TEXT_NOTE  # not the curated facts' note
    assert rows["Blood clots"]["Label status"] != NOT_CAPTURED  # the full text was searched
    words = [r["Label's words"] for r in rows.values() if r["Label status"].startswith("label ")]
    assert words and all(w.count("“") == 1 for w in words)  # each status backed by the label's sentence


def test_a_label_store_that_cannot_be_read_is_a_message_not_a_traceback(seed_corpus, tmp_path, monkeypatch):
    from explorer.config import LABELS_ENV

    monkeypatch.setenv(LABELS_ENV, str(tmp_path / "no-such-store"))
    shown = app(seed_corpus)
    assert "Could not load the labels" in shown.value and "no-such-store" in shown.value


def test_claims_csv_link_holds_the_shown_claims_and_the_note(dash):
    open_label_tab(dash)
    dash._severities["serious"].value = True
    assert "explorer-claims-download" in dash._claims.download._dom_classes
    text = link_text(dash._claims.download.value)
    assert text.splitlines()[0] == f"# {COVERAGE_NOTE}"
    rows = pd.read_csv(io.StringIO(text), skiprows=1)
    assert list(rows["claim"]) == SERIOUS and list(rows["line"]) == [40, 41, 42]


def test_site_picker_and_prose_checkbox_are_preset_from_the_address_and_drive_the_filters(seed_corpus):
    dash = app(seed_corpus, query="site=Folder:+RAW&prose=no")
    assert dash._sites.value == ("folder: raw",) and dash._prose.value is False
    assert (dash.model.state.sites, dash.model.state.prose) == (("folder: raw",), False)
    dash._prose.value = True
    assert dash.model.state.prose is True and dash.model.state.sites == ("folder: raw",)


def test_the_curated_facts_note_is_shown_only_for_the_drugs_they_cover(tmp_path):
    from explorer.corpus.dataset import Corpus
    from explorer.pages.read import read_file

    from .test_overview import PAGE

    (tmp_path / "hiccups.txt").write_text(PAGE.format(condition="Hiccups", first="Headache", first_text="a dull ache.",
                                                      second="Fainting", second_text="passing out."))
    dash = Dashboard(Corpus.from_articles([read_file(tmp_path / "hiccups.txt")]))
    open_label_tab(dash)
    note = html_text(dash._label.children[0].value)
    assert COVERAGE_NOTE not in note and "Mirena" not in note  # Zolvane: no label held, nothing about Mirena


@pytest.mark.parametrize("query, note", [
    ("finding=bogus", "Ignored finding 'bogus' from the address: expected one of serious, "),
    ("tab=<i>nope</i>", "Ignored tab '<i>nope</i>' from the address: expected one of overview, side-effects, "
                        "label-check, page."),
    ("status=weird", "Ignored status 'weird' from the address: not a label status."),
    ("page=missing.txt", "Ignored page 'missing.txt' from the address: not a page of this corpus."),
    ("page=data/raw/mirena-back-pain.txt&line=x", "Ignored line 'x' from the address: not a line number."),
    ("line=12", "Ignored line '12' from the address: it needs a page."),
])
def test_every_unknown_address_value_gets_a_note(seed_corpus, query, note):
    dash = app(seed_corpus, query=query)
    assert note in html_text(dash._notes.value)
    assert "<i>" not in dash._notes.value


def test_known_address_values_get_no_note(seed_corpus):
    dash = app(seed_corpus, query="finding=stale&tab=label-check&page=data/raw/mirena-back-pain.txt&line=42")
    assert html_text(dash._notes.value) == ""
