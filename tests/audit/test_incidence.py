"""explorer.audit.incidence and .arms: one frequency table per label, the drug's incidence from the right table.

The label is ``tests/fixtures/labels/incidence/quellorin.json`` (an invented drug, our own words, the
table structures of real labels: see its README), imported into a store as a user would.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from explorer.audit.arms import load_cues, read_cell, read_table
from explorer.audit.incidence import (default_fold, FREQUENCY_COLUMNS, IncidenceIndex, drug_incidence, frequency_table, summary,
                                      term_forms)
from explorer.labels.importer import import_labels
from explorer.labels.store import LabelStore

LABEL = Path(__file__).resolve().parents[1] / "fixtures" / "labels" / "incidence" / "quellorin.json"
NAMES = ["Quellorin", "QUELLORIN SODIUM", "QUELLORIN"]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> LabelStore:
    folder = tmp_path_factory.mktemp("incidence") / "store"
    import_labels([LABEL], folder, progress=False, workers=1)
    return LabelStore(folder)


@pytest.fixture(scope="module")
def freq(store) -> pd.DataFrame:
    keys = list(store.labels()["key"])
    return frequency_table(store.table_rows(keys), NAMES, store.passages(keys))


def values(freq: pd.DataFrame, table: str | None, term: str) -> pd.DataFrame:
    mine = freq[(freq["term"] == term).to_numpy()]
    if table is None:
        return mine[mine["table_number"].isna().to_numpy()]
    return mine[(mine["table_number"] == table).to_numpy()]


def test_one_row_per_term_and_arm_with_its_table_and_headers(freq):
    assert list(freq.columns) == list(FREQUENCY_COLUMNS)
    nausea = values(freq, "Table 1", "Nausea")
    assert list(nausea["arm"]) == ["Placebo N=210 %", "Quellorin 10 mg N=205 %", "Quellorin 20 mg N=208 %",
                                   "Quellorin Total N=413 %"]
    assert list(nausea["headers"]) == ["Placebo N=210 | %", "Quellorin 10 mg N=205 | %",
                                       "Quellorin 20 mg N=208 | %", "Quellorin Total N=413 | %"]
    assert list(nausea["arm_kind"]) == ["placebo", "drug", "drug", "pooled"]
    assert list(nausea["dose"].fillna("")) == ["", "10 mg", "20 mg", ""]
    assert list(nausea["n"]) == [210, 205, 208, 413]
    assert list(nausea["percent_high"]) == [4.0, 9.0, 14.0, 11.5]
    assert list(nausea["set_aside"].fillna("")) == ["placebo", "", "", ""]
    assert set(nausea["group"]) == {"Gastrointestinal Disorders"}
    assert set(nausea["caption"]) == {
        "Table 1. Adverse Reactions in at Least 2% of Adults Given Quellorin in Two 12-Week Trials"}
    assert set(nausea["number"]) == {"6.1"} and set(nausea["section"]) == {"adverse_reactions"}


def test_body_system_rows_carry_no_values_and_empty_cells_give_none(freq):
    assert "Gastrointestinal Disorders" not in set(freq["term"])
    dizziness = values(freq, "Table 1", "Dizziness")
    assert list(dizziness["value"]) == ["2", "3"]  # "-" and "NR" are no value
    vomiting = values(freq, "Table 1", "Vomiting")
    assert vomiting.loc[vomiting["dose"] == "10 mg", ["percent_high", "bound"]].values.tolist() == [[1.0, True]]


def test_header_rows_written_as_body_rows_with_spans_name_every_column(freq):
    nausea = values(freq, "Table 2", "Nausea")
    assert list(nausea["arm"]) == ["Quellorin N=150 All Grades (%)", "Quellorin N=150 Grade 3 or 4 (%)",
                                   "Zarbitol N=148 All Grades (%)", "Zarbitol N=148 Grade 3 or 4 (%)"]
    # Zarbitol is no name the explorer knows: beside a column naming the drug, it is a comparator
    assert list(nausea["set_aside"].fillna("")) == ["", "grade", "comparator", "comparator"]
    assert "Adverse Reaction" not in set(freq["term"])  # a header row is not a term


def test_a_sub_row_takes_its_term_from_the_row_above(freq):
    any_ = values(freq, "Table 2", "Any")
    assert set(any_["group"]) == {"Neutropenia"} and any_["subrow"].all()
    found = drug_incidence(freq, default_fold("neutropenia"))
    assert (found.high, found.row["term"], found.row["group"]) == (6.0, "Any", "Neutropenia")


def test_discontinuation_paediatric_and_rate_tables(freq):
    assert set(values(freq, "Table 3", "Nausea")["set_aside"]) == {"discontinuation"}
    assert set(values(freq, "Table 4", "Nausea")["population"]) == {"paediatric"}
    assert set(values(freq, "Table 1", "Nausea")["population"]) == {"adult"}
    assert set(values(freq, "Table 6", "Epilepsy")["set_aside"]) == {"not a percent"}


def test_a_table_without_a_caption_and_n_percent_cells(freq):
    insomnia = values(freq, None, "Insomnia")
    assert insomnia["caption"].isna().all()
    assert list(insomnia["percent_high"]) == [5.3, 1.9] and list(insomnia["n"]) == [226, 214]
    pain = values(freq, None, "Abdominal pain")
    assert pain["bound"].all() and list(pain["percent_high"]) == [1.0, 1.0]


def test_the_drug_incidence_comes_from_the_first_table_giving_it_never_placebo_comparator_or_discontinuation(freq):
    found = drug_incidence(freq, default_fold("nausea"))
    # Table 1 (the main trials) gives 11.5 (Total); Table 2 another trial's 16; never Zarbitol's 25, the
    # Grade 3 or 4 column, the 2.9% of patients who stopped for it (Table 3), nor the children's 21% (Table 4)
    assert (found.high, found.text, found.match) == (11.5, "11.5%", "exact")
    assert (found.row["table_number"], found.row["arm"]) == ("Table 1", "Quellorin Total N=413 %")
    assert found.cite == ("Table 1 (Table 1. Adverse Reactions in at Least 2% of Adults Given Quellorin in Two "
                          "12-Week Trials), 6.1 Clinical Trials Experience, Quellorin Total N=413 %: Nausea 11.5")
    assert set(found.rows["set_aside"].fillna("")) == {""}
    assert set(found.rows["table_number"]) == {"Table 1"}


def test_a_pooled_column_is_the_drugs_figure_in_its_table(freq):
    found = drug_incidence(freq, default_fold("headache"))  # 12.6 (Total), not the 20 mg arm's 13
    assert (found.high, found.row["arm_kind"]) == (12.6, "pooled")


def test_paediatric_figures_only_when_asked(freq):
    assert drug_incidence(freq, default_fold("nausea"), population="paediatric").high == 21.0
    assert drug_incidence(freq, default_fold("headache"), population="paediatric").row["table_number"] == "Table 4"


def test_a_bound_and_the_forms_of_a_term(freq):
    pain = drug_incidence(freq, default_fold("abdominal pain"))
    assert (pain.high, pain.bound, pain.text) == (1.0, True, "<1%")
    sweats = drug_incidence(freq, default_fold("night sweat"))  # "Sweating (including night sweats)"
    assert (sweats.high, sweats.match) == (3.6, "exact")
    blurred = drug_incidence(freq, default_fold("blurred vision"))  # the label writes "Vision blurred"
    assert blurred.high == 2.2
    assert drug_incidence(freq, default_fold("pain")).match == "contains"  # only "Abdominal pain" holds it
    assert drug_incidence(freq, default_fold("stroke")) is None and drug_incidence(freq, ()) is None


def test_the_folding_is_an_argument(freq):
    index = IncidenceIndex(freq, fold=lambda text: tuple(text.upper().split()))
    assert index.lookup(("NAUSEA",)).high == 11.5 and index.lookup(("nausea",)) is None


@pytest.mark.parametrize("cell, expected", [
    ("12 (5.3)", (5.3, 5.3, False, "bracket")), ("12 (5.3%)", (5.3, 5.3, False, "bracket")),
    ("3 (<1)", (1.0, 1.0, True, "bracket")), ("5.3%", (5.3, 5.3, False, "percent")),
    ("<1", (1.0, 1.0, True, "number")), ("< 1%", (1.0, 1.0, True, "percent")), ("57", (57.0, 57.0, False, "number")),
    ("15*", (15.0, 15.0, False, "number")), ("1-2%", (1.0, 2.0, False, "percent")),
    ("1,234 (12.3)", (12.3, 12.3, False, "bracket")), ("5/38 (13%)", (13.0, 13.0, False, "bracket")),
    ("2% (30/1678)", (2.0, 2.0, False, "percent")), ("0.4% (1/283)", (0.4, 0.4, False, "percent")),
])
def test_cells_as_labels_write_them(cell, expected):
    v = read_cell(cell)
    assert (v.low, v.high, v.bound, v.form) == expected


@pytest.mark.parametrize("cell", ["", "-", "—", "NR", "N/A", "Nausea", "N=211", "14 additional cases"])
def test_cells_that_are_no_value(cell):
    assert read_cell(cell) is None


def test_a_title_written_as_rows_is_the_caption_and_its_number():
    read = read_table(None, [], [["TABLE 2"], ["Adverse Reactions in Adults"], ["Adverse Reaction", "Zol", "Placebo"],
                                 ["", "(N=715) %", "(N=592) %"], ["Nausea", "15%", "7%"]], ["Zol"])
    assert (read.number, read.caption) == ("Table 2", "TABLE 2 Adverse Reactions in Adults")
    assert [c.kind for c in read.columns.values()] == ["drug", "placebo"]
    assert read.columns[1].arm == "Zol (N=715) %"


def test_the_only_active_arm_against_placebo_is_the_drug_under_another_products_name():
    # the valproic acid label's tables name the divalproex product; no column names the label's own drug
    read = read_table("Table 3", [["Body System", "Depakote (%) (n = 77)", "Placebo (%) (n = 70)"]],
                      [["Tremor", "25", "6"]], ["Depakene", "valproic acid"])
    assert [read.columns[1].kind, read.reasons[1]] == ["drug", None]
    assert read.reasons[2] == "placebo"


def test_a_column_naming_a_known_other_drug_is_a_comparator_and_unnamed_arms_are_set_aside():
    read = read_table("Table 9", [["Reaction", "Clozapine (N=126) (%)", "Olanzapine (N=142) (%)"]],
                      [["Fever", "13", "4"]], ["Clozaril", "clozapine"])
    assert [read.reasons[1], read.reasons[2]] == [None, "comparator"]  # olanzapine is in drug_names.csv
    read = read_table("Table 3", [["Reaction", "Normal LFTs n=2045 %", "Elevated LFTs n=61 %"]],
                      [["Fever", "13", "4"]], ["Docetaxel"])
    assert set(read.reasons.values()) == {"arms not named"}


def test_count_columns_and_grade_columns():
    read = read_table("Table 4", [["Change", "N", "n (%)"]], [["High", "200", "12 (6)"]], ["Zol"])
    assert [read.columns[1].unit, read.columns[2].unit] == ["count", "percent"]
    freq = frequency_table(pd.DataFrame({
        "key": "k", "section": "adverse_reactions", "position": 0, "table": 0, "caption": "Table 4",
        "part": ["header", "body"], "row": [0, 0], "cells": [["Change", "N", "n (%)"], ["High", "200", "12 (6)"]]}),
        ["Zol"])
    assert list(freq["set_aside"].fillna("")) == ["count", ""]  # "12 (6)" gives its percent in brackets
    assert list(freq["percent_high"]) == [200.0, 6.0]


def test_a_passage_heading_says_the_population_only_for_a_table_its_text_cites():
    header, body = [["Reaction", "Zol %", "Placebo %"]], [["Nausea", "9", "3"]]
    cited = read_table("Table 7. Adverse Reactions", header, body, ["Zol"], heading="Pediatric Patients",
                       passage_text="Table 7 lists the reactions seen in children.")
    placed = read_table(None, header, body, ["Zol"], heading="Pediatric Patients",
                        passage_text="Children had more nausea.")
    assert (cited.columns[1].population, placed.columns[1].population) == ("paediatric", "adult")


def test_term_forms():
    assert term_forms("Fever (hyperthermia)") == ["Fever (hyperthermia)", "Fever", "hyperthermia"]
    assert term_forms("Edema1")[-1] == "Edema"


def test_the_summary_counts_tables_rows_and_reasons(freq):
    s = summary(freq)
    assert (s["labels"], s["tables"]) == (1, 6)
    assert s["set_aside"]["discontinuation"] == 4 and s["set_aside"]["comparator"] == 6
    assert s["paediatric_rows"] == 2 and s["rows_with_drug_percent"] > 0


def test_an_empty_store_gives_an_empty_table():
    freq = frequency_table(pd.DataFrame(columns=["key", "section", "position", "table", "caption", "part", "row",
                                                 "cells"]), [])
    assert list(freq.columns) == list(FREQUENCY_COLUMNS) and freq.empty
    assert drug_incidence(freq, default_fold("nausea")) is None


def test_every_cue_has_a_note():
    import csv

    from explorer.config import REFERENCE_DIR

    with open(REFERENCE_DIR / "incidence_cues.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["kind"] and r["cue"] and r["note"].strip() for r in rows)
    assert load_cues().has("discontinuation", "Adverse Reactions Leading to Discontinuation")
