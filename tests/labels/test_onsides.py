"""OnSIDES release tables -> LabelTerm rows: the tiny test release, broken variants, a zip, a big stream."""
from __future__ import annotations

import csv
import shutil
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from explorer.labels.onsides import (
    ONSIDES_NOTE, REQUIRED_TABLES, LabelTerm, is_onsides, read_onsides)
from explorer.labels.records import SECTION_KEYS, LabelError

from ..helpers import FIXTURES

RELEASE = FIXTURES / "labels" / "onsides"
ZORVATRINE = ("5e2a9c41-7b3d-4f08-a1c6-0d9e8b7f2a31", "3", "ZORVATRINE (zorvatrine hydrochloride) tablet",
              ("zorvatrine",))
PLENEXA = ("c1d47e20-93ab-4c5e-8f12-6a7b0e3d9c54", "7", "PLENEXA (calmorine and deltoprex) capsule",
           ("calmorine", "deltoprex"))
QUENFADIL = ("8f03b6d2-1e4c-47a9-b5d8-2c9e4f1a7b66", "12",
             "QUENFADIL (quenfadil sodium) tablet, extended release", ("quenfadil",))
# (CSV line, label, section, term, MedDRA id, match method); lines 4 and 9 are the UK label's rows
EXPECTED = [
    (2, ZORVATRINE, "adverse_reactions", "Nausea", "10028813", "PMB"),
    (3, ZORVATRINE, "adverse_reactions", "Headache", "10019211", "PMB"),
    (5, ZORVATRINE, "adverse_reactions", "Somnolence", "10041349", "SM"),
    (6, ZORVATRINE, "warnings_and_cautions", "Suicidal ideation", "10042458", "PMB"),
    (7, PLENEXA, "adverse_reactions", "Dizziness", "10013573", "PMB"),
    (8, PLENEXA, "adverse_reactions", "Alopecia", "10001760", "SM"),
    (10, PLENEXA, "warnings_and_cautions", "Hepatotoxicity", "10019851", "PMB"),
    (11, PLENEXA, "boxed_warning", "Hepatic failure", "10019663", "PMB"),
    (12, QUENFADIL, "boxed_warning", "Suicidal ideation", "10042458", "PMB"),
    (13, QUENFADIL, "adverse_reactions", "Nausea", "10028813", "PMB"),
    (14, QUENFADIL, "adverse_reactions", "Dry mouth", "10013781", "PMB"),
]


def expected_terms(path: str) -> list[LabelTerm]:
    file = f"{path}!product_adverse_effect.csv"
    return [LabelTerm(set_id, version, name, section, term, meddra_id, method, ingredients, file, line)
            for line, (set_id, version, name, ingredients), section, term, meddra_id, method in EXPECTED]


class FolderTables:
    """``open_table`` for a release folder, remembering every handle it opened."""

    def __init__(self, folder: Path):
        self.folder, self.opened = folder, []

    def __call__(self, name: str):
        file = self.folder / f"{name}.csv"
        if not file.exists():
            return None
        handle = open(file, "rb")
        self.opened.append(handle)
        return handle


def read(folder: Path, path: str = "onsides-v3") -> tuple[list[LabelTerm], list[LabelError]]:
    items = list(read_onsides(FolderTables(folder), path))
    assert all(isinstance(i, (LabelTerm, LabelError)) for i in items)
    return ([i for i in items if isinstance(i, LabelTerm)], [i for i in items if isinstance(i, LabelError)])


@pytest.fixture
def release(tmp_path) -> Path:
    """A copy of the test release to break."""
    return Path(shutil.copytree(RELEASE, tmp_path / "release"))


def append(file: Path, *lines: str) -> None:
    with open(file, "a", newline="", encoding="utf-8") as f:
        f.write("".join(line + "\r\n" for line in lines))


def test_every_us_term_is_read_with_section_ingredients_and_provenance():
    terms, errors = read(RELEASE)
    assert errors == []
    assert terms == expected_terms("onsides-v3")


def test_sections_are_explorer_section_keys():
    terms, _ = read(RELEASE)
    assert {t.section for t in terms} == {"adverse_reactions", "warnings_and_cautions", "boxed_warning"}
    assert {t.section for t in terms} <= set(SECTION_KEYS)


def test_multi_ingredient_product_lists_every_ingredient_and_strengths_do_not_repeat_one():
    terms, _ = read(RELEASE)
    assert {t.ingredients for t in terms if t.set_id == PLENEXA[0]} == {("calmorine", "deltoprex")}
    assert {t.ingredients for t in terms if t.set_id == QUENFADIL[0]} == {("quenfadil",)}


def test_non_us_label_rows_are_skipped_without_errors():
    terms, errors = read(RELEASE)
    assert errors == []
    assert 4 not in {t.record for t in terms} and 9 not in {t.record for t in terms}
    assert not any("film-coated" in t.product_name for t in terms)


def test_every_table_handle_is_closed_after_reading(release):
    tables = FolderTables(release)
    list(read_onsides(tables, "r"))
    assert len(tables.opened) == len(REQUIRED_TABLES) and all(h.closed for h in tables.opened)


def test_stopping_early_closes_the_handles(release):
    tables = FolderTables(release)
    reading = read_onsides(tables, "r")
    assert isinstance(next(reading), LabelTerm)
    reading.close()
    assert all(h.closed for h in tables.opened)


def test_broken_term_rows_are_reported_and_the_rest_read(release):
    append(release / "product_adverse_effect.csv",
           "1,114,AR,10047700",  # line 15: columns missing
           "99,115,AR,10028813,PMB,-3.9,4.2",  # line 16: no such label
           "1,116,AR,10099999,PMB,-3.9,4.2",  # line 17: no such MedDRA term
           "1,117,XX,10028813,PMB,,",  # line 18: unknown section
           "1,118,AR,10028813,ZZ,,",  # line 19: unknown match method
           "4,119,AR,10047700,PMB,-3.1,3.9")  # line 20: a good row after the bad ones
    terms, errors = read(release, "rel")
    file = "rel!product_adverse_effect.csv"
    assert [(e.path, e.record) for e in errors] == [(file, line) for line in range(15, 20)]
    for error, words in zip(errors, ["7 columns", "product_label_id", "effect_meddra_id", "label_section",
                                     "match_method"]):
        assert words in error.expected
    assert "'99'" in errors[1].expected and "'10099999'" in errors[2].expected
    assert terms[:-1] == expected_terms("rel")
    assert (terms[-1].term, terms[-1].set_id, terms[-1].record) == ("Vomiting", QUENFADIL[0], 20)


def test_a_us_label_with_a_bad_product_id_is_one_error_and_its_terms_are_not_reported_again(release):
    text = (release / "product_label.csv").read_text(encoding="utf-8")
    broken = text.replace(f"{PLENEXA[0]}.7", "plenexa-v7")
    (release / "product_label.csv").write_text(broken, encoding="utf-8", newline="")
    terms, errors = read(release, "rel")
    assert [(e.path, e.record) for e in errors] == [("rel!product_label.csv", 3)]
    assert "<set_id>.<version>" in errors[0].expected and "'plenexa-v7'" in errors[0].expected
    assert terms == [t for t in expected_terms("rel") if t.set_id != PLENEXA[0]]


def test_a_short_vocabulary_row_is_reported_and_the_other_rows_used(release):
    append(release / "vocab_meddra_adverse_effect.csv", "10099998")
    terms, errors = read(release, "rel")
    assert [(e.path, e.record) for e in errors] == [("rel!vocab_meddra_adverse_effect.csv", 12)]
    assert terms == expected_terms("rel")


def test_an_ingredient_without_a_name_is_reported_and_the_label_keeps_its_other_ingredients(release):
    append(release / "vocab_rxnorm_ingredient_to_product.csv", "9900202,9900199")  # line 7
    terms, errors = read(release, "rel")
    assert [(e.path, e.record) for e in errors] == [("rel!vocab_rxnorm_ingredient_to_product.csv", 7)]
    assert "'9900199'" in errors[0].expected
    assert terms == expected_terms("rel")


def test_a_missing_table_is_one_clear_error_and_nothing_is_read(release):
    (release / "vocab_rxnorm_ingredient.csv").unlink()
    tables = FolderTables(release)
    items = list(read_onsides(tables, "onsides.zip"))
    assert len(items) == 1 and isinstance(items[0], LabelError)
    assert (items[0].path, items[0].record) == ("onsides.zip", None)
    assert "vocab_rxnorm_ingredient.csv" in str(items[0])
    assert all(h.closed for h in tables.opened)


def test_a_header_missing_a_column_is_one_error_naming_it(release):
    file = release / "product_adverse_effect.csv"
    file.write_text(file.read_text(encoding="utf-8").replace("match_method", "method"), encoding="utf-8")
    terms, errors = read(release, "rel")
    assert terms == []
    assert [(e.path, e.record) for e in errors] == [("rel!product_adverse_effect.csv", 1)]
    assert "match_method" in errors[0].expected


def test_columns_are_found_by_name_whatever_their_order(release):
    # the published schemas disagree on the order of this table's two columns
    file = release / "vocab_rxnorm_ingredient_to_product.csv"
    with open(file, newline="", encoding="utf-8") as f:
        rows = [row[::-1] for row in csv.reader(f)]
    with open(file, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    assert rows[0] == ["ingredient_id", "product_id"]
    assert read(release) == (expected_terms("onsides-v3"), [])


def test_a_release_zip_with_a_csv_folder_reads_like_the_folder(tmp_path):
    archive = tmp_path / "onsides-v3.1.0.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in RELEASE.glob("*.csv"):
            zf.write(file, f"onsides-v3.1.0/csv/{file.name}")
        zf.writestr("onsides-v3.1.0/schema/sqlite.sql", "-- schema\n")
    with zipfile.ZipFile(archive) as zf:
        members = {Path(n).stem: n for n in zf.namelist() if n.endswith(".csv")}
        assert is_onsides(zf.namelist())

        def open_table(name):
            member = members.get(name)
            return None if member is None else zf.open(member)

        items = list(read_onsides(open_table, str(archive)))
    assert items == expected_terms(str(archive))


def test_is_onsides_recognises_a_release_by_its_tables():
    tables = list(REQUIRED_TABLES)
    assert is_onsides(f"{t}.csv" for t in tables)
    assert is_onsides(tables + ["vocab_rxnorm_product", "high_confidence"])
    assert is_onsides(f"onsides/csv/{t}.csv" for t in tables)
    assert is_onsides(f"C:\\data\\OnSIDES\\{t.upper()}.CSV" for t in tables)
    assert is_onsides(p.name for p in RELEASE.iterdir())
    assert is_onsides(f"{t}.csv" for t in tables if t != "product_to_rxnorm")  # a release lacking a table
    assert not is_onsides(["product_label.csv", "README.md"])
    assert not is_onsides(["drug-label-0001-of-0013.json.zip", "README.md"])
    assert not is_onsides([])


def test_the_research_note_says_what_the_terms_are_and_what_they_are_not_for():
    assert "research" in ONSIDES_NOTE and "clinical" in ONSIDES_NOTE


def write_big_release(folder: Path, rows: int, labels: int = 1_000, effects: int = 500) -> None:
    folder.mkdir()
    tables = {
        "product_label": [("label_id", "source", "source_product_name", "source_product_id",
                           "source_label_url")]
        + [(i, "US", f"DRUG{i} tablet", f"{i:08x}-0000-4000-8000-000000000000.{i % 9 + 1}", "")
           for i in range(labels)],
        "vocab_meddra_adverse_effect": [("meddra_id", "meddra_name", "meddra_term_type")]
        + [(10000000 + i, f"Effect {i}", "PT") for i in range(effects)],
        "product_to_rxnorm": [("label_id", "rxnorm_product_id")] + [(i, 5000000 + i) for i in range(labels)],
        "vocab_rxnorm_ingredient_to_product": [("product_id", "ingredient_id")]
        + [(5000000 + i, 6000000 + i) for i in range(labels)],
        "vocab_rxnorm_ingredient": [("rxnorm_id", "rxnorm_name", "rxnorm_term_type")]
        + [(6000000 + i, f"drug{i}", "IN") for i in range(labels)],
    }
    for name, content in tables.items():
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(content)
    with open(folder / "product_adverse_effect.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(("product_label_id", "effect_id", "label_section", "effect_meddra_id", "match_method",
                      "pred0", "pred1"))
        out.writerows((i % labels, i, ("AR", "WP", "BW")[i % 3], 10000000 + i % effects, "PMB", -3.5, 4.25)
                      for i in range(rows))


def peak_memory_reading(folder: Path) -> tuple[int, int]:
    """(terms read, peak traced bytes) while streaming the release without keeping its terms."""
    count = 0
    tracemalloc.start()
    try:
        for item in read_onsides(FolderTables(folder), str(folder)):
            assert isinstance(item, LabelTerm)
            count += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return count, peak


@pytest.mark.slow
def test_memory_stays_flat_streaming_300000_term_rows(tmp_path):
    write_big_release(tmp_path / "small", 30_000)
    write_big_release(tmp_path / "big", 300_000)
    small_count, small_peak = peak_memory_reading(tmp_path / "small")
    big_count, big_peak = peak_memory_reading(tmp_path / "big")
    size = (tmp_path / "big" / "product_adverse_effect.csv").stat().st_size
    assert (small_count, big_count) == (30_000, 300_000)
    assert big_peak < small_peak + 256 * 1024, (small_peak, big_peak)  # ten times the rows, the same memory
    assert big_peak < size / 4, (big_peak, size)
