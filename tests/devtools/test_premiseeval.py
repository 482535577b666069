"""explorer.devtools.premiseeval: label resolution and premises re-checked against hand-checked tables.

The labels here are invented (our own words, the openFDA shape); the real tables of
``tests/fixtures/handchecked`` are scored against ``../shared/labels/openfda`` by the slow tests, which
hold the targets of issue 18.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from explorer.devtools.premiseeval import check_premises, check_resolution

SHARED_OPENFDA = Path(__file__).resolve().parents[2].parent / "shared" / "labels" / "openfda"
HANDCHECKED = Path(__file__).resolve().parents[1] / "fixtures" / "handchecked"


def write_label(folder: Path, name: str, n: int, brand: str, generic: str, indications: str, route: str = "ORAL",
                effective: str = "20200101", **sections) -> None:
    record = {"set_id": f"00000000-0000-4000-8000-{n:012d}", "id": f"00000000-0000-4000-9000-{n:012d}",
              "version": "1", "effective_time": effective,
              "openfda": {"brand_name": [brand], "generic_name": [generic.upper()], "substance_name": [generic.upper()],
                          "route": [route], "application_number": [name.removesuffix(".json")]},
              "indications_and_usage": [f"1 INDICATIONS AND USAGE {indications}"],
              **{k: [v] for k, v in sections.items()}}
    (folder / name).write_text(json.dumps({"results": [record]}), encoding="utf-8")


def write_csv(path: Path, header: list[str], rows: list[tuple]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def resolution_csv(tmp_path: Path, rows: list[tuple]) -> Path:
    return write_csv(tmp_path / "resolution.csv", ["name", "page_hint", "expected_files", "ambiguous", "why"], rows)


@pytest.fixture()
def openfda(tmp_path) -> Path:
    folder = tmp_path / "openfda"
    folder.mkdir()
    write_label(folder, "NDA000001.json", 1, "Quellora", "quellorin",
                "Quellora is indicated for the treatment of hay fever in adults.",
                contraindications="4 CONTRAINDICATIONS Quellora is contraindicated in patients with glaucoma.",
                adverse_reactions="6 ADVERSE REACTIONS Headache was reported by 4% of patients.")
    write_label(folder, "NDA000002.json", 2, "Zentravix", "zentravolol",
                "Zentravix is indicated for the treatment of hypertension.")
    return folder


def test_resolution_rows_are_scored_right_or_wrong(tmp_path, openfda):
    sample = resolution_csv(tmp_path, [
        ("Quellora", "", "NDA000001.json", "no", "brand"),
        ("zentravolol", "", "NDA000002.json", "no", "generic"),
        ("Unheardofin", "", "", "no", "not held"),
        ("Quellora", "", "NDA000002.json", "no", "a wrong expectation: counted wrong"),
    ])
    out = check_resolution(sample, openfda)
    assert [r["tool_files"] for r in out] == ["NDA000001.json", "NDA000002.json", "", "NDA000001.json"]
    assert [r["right"] for r in out] == ["yes", "yes", "yes", "no"]


def test_premise_rows_are_scored_with_the_label_they_were_checked_against(tmp_path, openfda):
    sample = write_csv(tmp_path / "premises.csv", ["label_file", "drug", "condition", "expected", "note"], [
        ("NDA000001.json", "Quellora", "Hay Fever", "approved indication", ""),
        ("NDA000001.json", "Quellora", "Glaucoma", "contraindicated", ""),
        ("NDA000001.json", "Quellora", "Insomnia", "not among the indications", ""),
        ("NDA000002.json", "Quellora", "Hypertension", "approved indication", ""),  # the row's drug is another label's
    ])
    out = check_premises(sample, openfda)
    assert [r["verdict"] for r in out] == ["approved indication", "contraindicated", "not among the indications",
                                           "not among the indications"]
    assert [r["right"] for r in out] == ["yes", "yes", "yes", "no"]
    assert [r["label_right"] for r in out] == ["yes", "yes", "yes", "no"]


def test_a_table_without_the_expected_columns_is_refused_by_name(tmp_path, openfda):
    sample = write_csv(tmp_path / "bad.csv", ["drug", "condition"], [("Quellora", "Hay Fever")])
    with pytest.raises(ValueError, match="bad.csv: missing columns"):
        check_premises(sample, openfda)


def test_an_ambiguous_row_is_right_only_when_every_fitting_label_is_listed(tmp_path, openfda):
    write_label(openfda, "NDA000004.json", 4, "Quellix", "quellorin", "Quellix is indicated for insomnia.",
                route="TOPICAL", effective="20240101")
    cases = {  # (page hint, expected files, ambiguous): why
        ("", "NDA000001.json;NDA000004.json", "yes"): "two products of one substance",
        ("", "NDA000004.json", "no"): "a wrong expectation: the newest is not the answer",
        ("Hay Fever", "NDA000001.json", "no"): "the condition decides",
        ("topical", "NDA000004.json", "no"): "the route decides"}
    sample = resolution_csv(tmp_path, [("quellorin", *key, why) for key, why in cases.items()])
    out = check_resolution(sample, openfda)
    assert [r["tool_ambiguous"] for r in out] == ["yes", "yes", "no", "no"]
    assert [r["right"] for r in out] == ["yes", "no", "yes", "yes"]


def _shared_or_skip() -> None:
    if not SHARED_OPENFDA.is_dir():
        pytest.skip(f"{SHARED_OPENFDA} is not here (it comes with the project's shared data, not with a clone)")


@pytest.mark.slow
def test_the_hand_checked_resolution_table_is_all_right_and_every_ambiguous_name_is_reported():
    _shared_or_skip()
    out = check_resolution(HANDCHECKED / "resolution.csv", SHARED_OPENFDA)
    wrong = [(r["name"], r["page_hint"], r["tool_files"], r["tool_note"]) for r in out if r["right"] == "no"]
    assert len(out) >= 100 and wrong == []
    assert all(r["tool_ambiguous"] == "yes" for r in out if r["ambiguous"] == "yes")


@pytest.mark.slow
def test_at_least_95_percent_of_the_hand_checked_premises_are_right():
    _shared_or_skip()
    out = check_premises(HANDCHECKED / "premises.csv", SHARED_OPENFDA)
    right = sum(r["right"] == "yes" for r in out)
    assert len(out) >= 140 and right / len(out) >= 0.95, [
        (r["drug"], r["condition"], r["expected"], r["verdict"]) for r in out if r["right"] == "no"]
    assert all(r["label_right"] == "yes" for r in out)
    assert sum(r["note_right"] == "yes" for r in out) / len(out) >= 0.85  # the notes: measured 131/149


@pytest.mark.slow
def test_the_holdout_tables_written_after_the_rules_stay_right():
    """Written from labels the rules had not been tuned on; their first runs (69/77 and 29/34 premises,
    22/22 and 11/14 names) led to general fixes, and they now guard against regressions."""
    _shared_or_skip()
    premises = check_premises(HANDCHECKED / "holdout-premises.csv", SHARED_OPENFDA)
    assert sum(r["right"] == "yes" for r in premises) / len(premises) >= 0.95
    names = check_resolution(HANDCHECKED / "holdout-resolution.csv", SHARED_OPENFDA)
    assert all(r["right"] == "yes" for r in names)

