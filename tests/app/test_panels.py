"""The Overview and Page tabs as widgets, driven like a viewer would (no browser)."""
from __future__ import annotations

import re

import ipywidgets as widgets
import pytest

from explorer.app.widgets import LABEL_TAB, OVERVIEW_TAB, PAGE_TAB, SIDE_EFFECTS_TAB, TABS, Dashboard, app

SEED = "data/raw/mirena-back-pain.txt"


@pytest.fixture()
def dash(seed_corpus):
    return Dashboard(seed_corpus)


def tab(d: Dashboard) -> str:
    return TABS[d._tabs.selected_index]


def focused(d: Dashboard) -> int | None:
    """The line the page view marks as the one asked for."""
    found = re.search(r'<tr class="[^"]*explorer-focus"[^>]*id="line-(\d+)"', d.page.view.value)
    return int(found.group(1)) if found else None


def test_opens_on_the_overview_with_counts_headline_and_the_first_finding(dash):
    assert tab(dash) == OVERVIEW_TAB
    o = dash.overview
    # headline tiles: the number on a line of its own (the stylesheet draws it large), then what it counts
    assert [b.description for b in o.counts.children] == ["1\npage with side effects", "1\ndrug", "1\ncondition", "1\nsite",
                                                          "9\nside-effect claims"]
    assert all("explorer-tile" in b._dom_classes for b in o.counts.children + o.statuses.children + o.findings.children)
    assert "<b>1</b> serious without label support" in o.headline.value
    assert o.entries.options[0][0].startswith("Mirena: blood clots") and o.entries.value == 0
    assert "mirena-back-pain.txt:42" in o.rows.value and "?page=" in o.rows.value


def test_a_status_count_opens_the_label_check_filtered_to_it(dash):
    warning = next(b for b in dash.overview.statuses.children if b.description.endswith("label warning"))
    warning.click()
    assert tab(dash) == LABEL_TAB and dash._status.value == "label warning"
    assert "of 2" in dash._claims.count.value and "(label status: label warning)" in dash._claims_summary.value
    dash._status.value = None
    assert "of 9" in dash._claims.count.value


def test_a_page_count_opens_the_side_effects(dash):
    dash.overview.counts.children[0].click()
    assert tab(dash) == SIDE_EFFECTS_TAB


def test_a_finding_button_opens_its_list_and_a_row_opens_its_page(dash):
    next(b for b in dash.overview.findings.children if "Superseded figures" in b.description).click()
    assert dash.overview.finding.value == "stale" and "five to seven years" in dash.overview.rows.value
    dash.overview.row_pick.value = dash.overview.row_pick.options[1][1]
    assert tab(dash) == PAGE_TAB
    assert focused(dash) == 14


def test_the_overview_follows_the_filters(dash):
    dash._severities["common"].value = True
    dash.open_tab(OVERVIEW_TAB)
    assert dash.overview.counts.children[-1].description == "3\nside-effect claims"
    assert dash.overview.entries.options == ()


def test_the_address_opens_a_page_a_finding_or_a_tab(seed_corpus):
    d = app(seed_corpus, query=f"page={SEED}&line=41&severity=serious")
    assert tab(d) == PAGE_TAB and d.state.severities == ("serious",)
    assert focused(d) == 41
    d = app(seed_corpus, query="finding=tiers")
    assert tab(d) == OVERVIEW_TAB and d.overview.finding.value == "tiers" and "Headaches" in d.overview.rows.value
    assert tab(app(seed_corpus, query="tab=label-check")) == LABEL_TAB
    d = app(seed_corpus, query="status=Label+Warning")
    assert tab(d) == LABEL_TAB and d._status.value == "label warning" and "of 2" in d._claims.count.value
    d = app(seed_corpus, query="page=nowhere.txt")
    assert "not a page of this corpus" in d.page.view.value


def test_typing_a_page_file_shows_it(dash):
    dash.page.path.value = ""
    dash.page.path.value = SEED
    assert "Blood clots" in dash.page.view.value and dash.page.view.value.count("explorer-claim-line") == 9


def test_the_page_picker_is_searchable_by_path_and_title_and_starts_filled(seed_corpus):
    d = Dashboard(seed_corpus)
    picker = d.page.path
    assert isinstance(picker, widgets.Combobox)
    assert picker.value == SEED  # filled from the start
    assert picker.options == (f"{SEED} — Mirena for Back Pain",)
    assert "explorer-page-text" not in d.page.view.value  # read when the tab is first opened
    d.open_tab(PAGE_TAB)
    assert d.page.view.value.count("explorer-claim-line") == 9
    picker.value = "zzz"  # typing: the list narrows, nothing is shown or lost
    assert picker.options == () and d.page.view.value.count("explorer-claim-line") == 9
    picker.value = "back pain"  # a title's words
    assert picker.options == (f"{SEED} — Mirena for Back Pain",)
    picker.value = f"{SEED} — Mirena for Back Pain"  # an option chosen: its page shown, the box holds its path
    assert picker.value == SEED and d.page.view.value.count("explorer-claim-line") == 9
