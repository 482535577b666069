"""The dashboard's controls on their own: the picker for thousands of options, and the paged table
with its row count, Previous / Next and CSV link (made at once up to CSV_INLINE_LIMIT rows, on request
above)."""
from __future__ import annotations

import base64

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from explorer.app.controls import CSV_INLINE_LIMIT, PagedTable, Picker, plural
from explorer.app.render import PAGE_SIZE, PICKER_LIMIT, table_html

CONDITIONS = tuple(f"Condition {i:04d}" for i in range(5000))


def text(fragment: str) -> str:
    return BeautifulSoup(fragment, "html.parser").get_text()


# --- Picker ---------------------------------------------------------------------------------------

@pytest.fixture
def picker():
    picker = Picker("Condition", CONDITIONS)
    picker.changes = []
    picker.observe_value(lambda: picker.changes.append(picker.value))
    return picker


def test_picker_lists_a_first_batch_of_thousands_and_says_how_many_match(picker):
    assert list(picker._select.options) == list(CONDITIONS[:PICKER_LIMIT])
    assert text(picker._count.value) == f"5,000 of 5,000 match; first {PICKER_LIMIT} listed, type to narrow"
    assert "explorer-picker-condition" in picker._dom_classes


def test_typing_narrows_the_list_to_the_matching_options(picker):
    picker._text.value = "0001"
    assert picker._select.options == ("Condition 0001",)
    assert text(picker._count.value) == "1 of 5,000 match"
    picker._text.value = "condition 04"  # case-insensitive; 100 matches fit the list
    assert len(picker._select.options) == 100 and text(picker._count.value) == "100 of 5,000 match"
    assert picker.changes == []  # narrowing the list is not a choice


def test_choices_stay_chosen_when_narrowed_out_of_the_list(picker):
    picker._text.value = "0001"
    picker._select.value = ("Condition 0001",)
    assert picker.value == ("Condition 0001",) and picker.changes == [("Condition 0001",)]
    picker._text.value = "4999"
    assert picker.value == ("Condition 0001",)  # still chosen though the text no longer matches it
    assert picker._select.options == ("Condition 0001", "Condition 4999")  # chosen ones listed first
    picker._select.value = ("Condition 0001", "Condition 4999")
    assert set(picker.value) == {"Condition 0001", "Condition 4999"}
    picker._select.value = ("Condition 4999",)  # unselecting a listed choice drops it
    assert picker.value == ("Condition 4999",)
    assert len(picker.changes) == 3


def test_setting_the_value_in_code_shows_it_without_calling_the_handler(picker):
    picker.value = ["Condition 4321", "Condition 0002"]
    assert picker.value == ("Condition 4321", "Condition 0002")
    assert picker._select.value == ("Condition 4321", "Condition 0002")
    assert picker._select.options[:2] == ("Condition 4321", "Condition 0002")
    assert picker.changes == []


def test_picker_options_are_text_as_written():
    picker = Picker("Condition", ("Itchy <b>Skin</b>", "Back Pain"))
    assert picker._select.options == ("Itchy <b>Skin</b>", "Back Pain")  # option labels are not HTML
    picker._text.value = "<b>"
    assert picker._select.options == ("Itchy <b>Skin</b>",)


# --- PagedTable -----------------------------------------------------------------------------------

def rows(n: int) -> pd.DataFrame:
    return pd.DataFrame({"source_file": ["f.txt"] * n, "line": range(1, n + 1), "drug": "D", "condition": "C",
                         "tier": "Common", "name": [f"n{i}" for i in range(n)], "description": None})


class CsvText:
    """The CSV callable a table is given, counting how often it is asked for the text."""

    def __init__(self, frame: pd.DataFrame):
        self.frame, self.calls = frame, 0

    def __call__(self) -> str:
        self.calls += 1
        return self.frame.to_csv(index=False)


def paged(n: int) -> tuple[PagedTable, CsvText]:
    table = PagedTable(table_html, "row", "explorer-results", "side-effects.csv")
    frame = rows(n)
    csv = CsvText(frame)
    table.show(frame, csv)
    return table, csv


def shown_lines(table: PagedTable) -> list[int]:
    soup = BeautifulSoup(table.table.value, "html.parser")
    return [int(tr.find_all("td")[5].get_text().rsplit(":", 1)[1]) for tr in soup.select("tbody tr")]


def link(table: PagedTable):
    return BeautifulSoup(table.download.value, "html.parser").find("a")


def test_table_and_link_carry_the_css_classes_the_page_is_found_by():
    table, _ = paged(1)
    assert "explorer-results" in table.table._dom_classes
    assert "explorer-results-download" in table.download._dom_classes


def test_paging_forward_and_back_with_counts_and_buttons():
    table, _ = paged(45)
    assert shown_lines(table) == list(range(1, PAGE_SIZE + 1))
    assert text(table.count.value) == "rows 1–20 of 45"
    assert table.previous.disabled and not table.next.disabled
    table.next.click()
    assert shown_lines(table) == list(range(21, 41)) and text(table.count.value) == "rows 21–40 of 45"
    assert not table.previous.disabled and not table.next.disabled
    table.next.click()
    assert shown_lines(table) == list(range(41, 46)) and text(table.count.value) == "rows 41–45 of 45"
    assert table.next.disabled
    table.turn(+5)  # past the end: stays on the last page
    assert table.page == 2 and shown_lines(table) == list(range(41, 46))
    table.previous.click()
    assert table.page == 1 and text(table.count.value) == "rows 21–40 of 45"
    table.turn(-7)
    assert table.page == 0 and table.previous.disabled


def test_new_rows_start_from_their_first_page():
    table, _ = paged(45)
    table.turn(+2)
    table.show(rows(30), CsvText(rows(30)))
    assert table.page == 0 and text(table.count.value) == "rows 1–20 of 30"


def test_no_rows_and_one_row():
    table, _ = paged(0)
    assert text(table.count.value) == "no rows" and shown_lines(table) == []
    assert table.previous.disabled and table.next.disabled
    assert link(table).get_text() == "Download CSV (0 rows)"
    table, _ = paged(1)
    assert text(table.count.value) == "rows 1–1 of 1" and link(table).get_text() == "Download CSV (1 row)"


def test_up_to_the_limit_the_csv_link_is_made_with_the_rows():
    table, csv = paged(CSV_INLINE_LIMIT)
    a = link(table)
    assert a.get_text() == f"Download CSV ({CSV_INLINE_LIMIT:,} rows)" and a["download"] == "side-effects.csv"
    data = base64.b64decode(a["href"].split("base64,", 1)[1]).decode("utf-8")
    assert data == rows(CSV_INLINE_LIMIT).to_csv(index=False)
    assert csv.calls == 1
    assert table.prepare.layout.display == "none"


def test_above_the_limit_the_csv_is_made_only_when_asked_for():
    table, csv = paged(CSV_INLINE_LIMIT + 1)
    assert csv.calls == 0 and link(table) is None
    assert text(table.download.value) == f"{CSV_INLINE_LIMIT + 1:,} rows: prepare the CSV first"
    assert table.prepare.layout.display is None  # the "Prepare CSV" button is shown
    assert table.prepare.description == "Prepare CSV"
    table.turn(+1)
    assert csv.calls == 0  # paging does not make it either
    table.prepare.click()
    assert csv.calls == 1 and link(table).get_text() == f"Download CSV ({CSV_INLINE_LIMIT + 1:,} rows)"
    assert table.prepare.layout.display == "none"


def test_plural():
    assert [plural(n, "claim") for n in (0, 1, 2, 12345)] == ["0 claims", "1 claim", "2 claims", "12,345 claims"]
