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
    sample = write_csv(tmp_path / "resolution.csv", ["name", "page_hint", "expected_files", "ambiguous", "why"], [
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
