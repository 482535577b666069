"""openFDA drug-label JSON -> Label records: fields, names, sections, tables, broken input, flat memory."""
from __future__ import annotations

import csv
import io
import json
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from explorer.config import PROJECT_ROOT
from explorer.labels.openfda import read_openfda
from explorer.labels.records import SECTION_KEYS, Label, LabelError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "labels" / "openfda"
MIRENA_FACTS = PROJECT_ROOT / "data" / "reference" / "mirena_label_facts.csv"


def read(name: str) -> list[Label | LabelError]:
    with open(FIXTURES / name, "rb") as stream:
        return list(read_openfda(stream, name))


def read_bytes(data: bytes, path: str = "doc.json") -> list[Label | LabelError]:
    return list(read_openfda(io.BytesIO(data), path))


def one_label(name: str) -> Label:
    (label,) = read(name)
    assert isinstance(label, Label), label
    return label


def passage(label: Label, number: str):
    return next(p for p in label.passages if p.number == number)


def current_facts(category: str) -> list[dict[str, str]]:
    with open(MIRENA_FACTS, newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle)
                if row["category"] == category and row["label_version"] == "current"]


# ---------------------------------------------------------------------------------------------- Mirena
def test_mirena_identity_and_names_come_from_openfda():
    label = one_label("mirena.json")
    assert (label.source, label.set_id, label.version, label.effective_time) == (
        "openfda", "dcbd6aa2-b3fa-479a-a676-56ea742962fc", "48", "20240715")
    assert label.version_id == "8135f46a-de6a-46f0-b68e-f4100f6d34cd"
    assert (label.brand_names, label.generic_names, label.substance_names) == (
        ("Mirena",), ("LEVONORGESTREL",), ("LEVONORGESTREL",))
    assert label.names_from == "openfda" and label.product_type == "HUMAN PRESCRIPTION DRUG"
    assert (label.file, label.record) == ("mirena.json", 0)
    assert label.dailymed_url.endswith("setid=dcbd6aa2-b3fa-479a-a676-56ea742962fc")


def test_mirena_sections_in_label_order_without_boxed_warning():
    sections = [p.section for p in one_label("mirena.json").passages]
    assert "boxed_warning" not in sections
    assert list(dict.fromkeys(sections)) == [
        "indications_and_usage", "contraindications", "warnings_and_cautions", "adverse_reactions"]


def test_mirena_indications_agree_with_the_current_durations():
    label = one_label("mirena.json")
    assert len(current_facts("indication")) == 2
    assert passage(label, "1.1").heading == "Contraception" and "up to 8 years" in passage(label, "1.1").text
    assert passage(label, "1.2").heading == "Heavy Menstrual Bleeding"
    assert "up to 5 years" in passage(label, "1.2").text


def test_mirena_contraindications_list_one_item_per_curated_fact():
    text = passage(one_label("mirena.json"), "4").text
    assert text.count("•") == len(current_facts("contraindication")) == 12
    for words in ("post-coital", "uterine anomaly", "pelvic inflammatory disease", "endometritis",
                  "cervical malignancy", "progestin-sensitive", "unknown etiology", "cervicitis", "liver tumor",
                  "pelvic infection", "still in place", "Hypersensitivity"):
        assert words in text, words


# The subsection heading in the test label for each current curated warning (the curated term in brackets).
MIRENA_WARNING_HEADINGS = {
    "ectopic pregnancy": "Ectopic Pregnancy", "intrauterine pregnancy": "Intrauterine Pregnancy",
    "sepsis (Group A streptococcal)": "Sepsis", "pelvic inflammatory disease (PID) / endometritis":
    "Pelvic Inflammatory Disease and Endometritis", "uterine perforation": "Uterine Perforation", "expulsion": "Expulsion",
    "ovarian cysts": "Ovarian Cysts", "bleeding pattern alterations": "Bleeding Pattern Alterations",
    "breast cancer": "Breast Cancer"}


def test_mirena_warning_subsections_match_the_curated_warnings():
    label = one_label("mirena.json")
    facts = current_facts("warning")
    assert {row["term"] for row in facts} == set(MIRENA_WARNING_HEADINGS)
    headings = {p.number: p.heading for p in label.passages if p.section == "warnings_and_cautions"}
    for row in facts:
        heading = MIRENA_WARNING_HEADINGS[row["term"]]
        if row["label_section"] == "5.x":
            assert heading in headings.values(), row["term"]
        else:
            assert headings[row["label_section"]] == heading, row["term"]
    assert "Group A Streptococcus" in passage(label, "5.3").text
    assert headings["5.10"] == "Clinical Considerations for Use and Removal"


def test_mirena_adverse_reaction_table_agrees_with_every_current_curated_incidence():
    clinical = passage(one_label("mirena.json"), "6.1")
    assert clinical.heading == "Clinical Trials Experience"
    (table,) = clinical.tables
    assert table.caption.startswith("Table 1:")
    assert table.header == (("Adverse Reaction", "Mirena (N=5,091) %"),)
    incidences = {row[0].lower(): row[1] for row in table.rows}
    facts = current_facts("adverse_reaction")
    assert len(facts) == len(table.rows) == 9  # no row beyond the curated facts
    for row in facts:
        assert float(incidences[row["term"].lower()]) == float(row["incidence_percent"]), row["term"]


def test_mirena_adverse_reactions_intro_keeps_cross_references_in_its_own_passage():
    label = one_label("mirena.json")
    assert [p.number for p in label.passages if p.section == "adverse_reactions"] == ["6", "6.1"]
    assert "[see Warnings and Precautions (5.8)]" in passage(label, "6").text


# ------------------------------------------------------------------------------------- invented labels
def test_boxed_warning_is_kept_with_its_title():
    label = one_label("zentravix.json")
    first = label.passages[0]
    assert (first.section, first.number, first.heading) == ("boxed_warning", None,
                                                            "WARNING: SUICIDAL THOUGHTS AND BEHAVIORS")
    assert label.rxcui == ("9900101", "9900102")


def test_tables_attach_to_the_subsection_that_cites_them():
    label = one_label("zentravix.json")
    (incidence,) = passage(label, "6.1").tables
    (discontinuation,) = passage(label, "6.2").tables
    assert "More Often Than Placebo" in incidence.caption and "Discontinuation" in discontinuation.caption
    assert incidence.header[1] == ("System Organ Class Adverse Reaction", "10 mg (N=412) %", "20 mg (N=398) %",
                                   "(N=405) %")
    assert incidence.rows[0] == ("Gastrointestinal Disorders",)
    assert ("Constipation", "3", "5", "<1") in incidence.rows and ("Nausea", "9", "14", "4") in incidence.rows


def test_numbers_inside_sentences_do_not_split_the_real_shaped_label():
    label = one_label("zentravix.json")
    assert [p.number for p in label.passages if p.section == "warnings_and_cautions"] == ["5.1", "5.2", "5.3", "5.4"]
    assert "in 5.3% of patients on the 20 mg dose (see 5.4)" in passage(label, "5.2").text
    assert "6.2 percent of them" in passage(label, "6.1").text
    assert passage(label, "6.2").heading == "Discontinuation Due to Adverse Reactions"


def test_context_sections_drug_interactions_and_overdosage_are_kept():
    label = one_label("zentravix.json")
    assert [p.number for p in label.passages if p.section == "drug_interactions"] == ["7.1", "7.2"]
    assert [p.heading for p in label.passages if p.section == "overdosage"] == ["OVERDOSAGE"]


def test_older_format_label_has_unnumbered_sections_with_capital_headings():
    label = one_label("older_format.json")
    assert [(p.section, p.number, p.heading) for p in label.passages] == [
        ("indications_and_usage", None, "INDICATIONS AND USAGE"), ("contraindications", None, "CONTRAINDICATIONS"),
        ("warnings", None, "WARNINGS"), ("precautions", None, "PRECAUTIONS"),
        ("adverse_reactions", None, "ADVERSE REACTIONS")]
    assert label.names_from == "openfda" and label.generic_names == ("QUELLIDRONE MALEATE",)


def test_names_from_product_data_elements_when_openfda_is_empty():
    norvatrin = read("text_names.json")[0]
    assert (norvatrin.brand_names, norvatrin.generic_names, norvatrin.substance_names) == (
        ("Norvatrin",), ("tefolazine",), ())
    assert norvatrin.names_from == "label text" and norvatrin.rxcui == () and norvatrin.product_type is None


def test_names_from_indications_brand_with_generic_in_parentheses():
    plexafen = read("text_names.json")[1]
    assert (plexafen.brand_names, plexafen.generic_names) == (("PLEXAFEN",), ("dumeridone hydrochloride",))
    assert plexafen.names_from == "label text"


def test_names_from_indications_without_parentheses_are_generic_less_dosage_form():
    corvalin = read("text_names.json")[2]
    assert (corvalin.brand_names, corvalin.generic_names) == ((), ("Corvalin sodium",))


def test_warnings_and_precautions_is_read_as_warnings_and_cautions():
    plexafen = read("text_names.json")[1]
    assert [(p.section, p.number) for p in plexafen.passages][1:] == [
        ("warnings_and_cautions", "5.1"), ("warnings_and_cautions", "5.2")]


def test_unreadable_names_are_left_empty_not_guessed():
    doc = {"results": [{"set_id": "s", "id": "i", "version": "1", "effective_time": "20200101",
                        "spl_product_data_elements": ["ZEDRA ZEDRAMINE"],
                        "indications_and_usage": ["1 INDICATIONS AND USAGE It is indicated for pain."]}]}
    (label,) = read_bytes(json.dumps(doc).encode())
    assert (label.brand_names, label.generic_names, label.names_from) == ((), (), "label text")


def test_section_lists_are_joined_and_numbers_accepted_as_versions():
    doc = {"results": [{"set_id": "s", "id": "i", "version": 3, "effective_time": "20200101",
                        "warnings": ["WARNINGS Part one.", 7, "Part two."],
                        "openfda": {"brand_name": ["A", "A", " "]}}]}
    (label,) = read_bytes(json.dumps(doc).encode())
    assert label.version == "3" and label.brand_names == ("A",)
    assert label.passages[0].text == "Part one. Part two."


def test_every_kept_section_key_is_read():
    raw = {key: [f"{key.upper()} text of {key}."] for key in SECTION_KEYS}
    doc = {"results": [dict(raw, set_id="s", id="i", version="1", effective_time="20200101")]}
    (label,) = read_bytes(json.dumps(doc).encode())
    assert [p.section for p in label.passages] == list(SECTION_KEYS)


# ---------------------------------------------------------------------------------------- broken input
def test_bad_records_become_errors_and_the_good_records_around_them_are_kept():
    items = read("mixed_records.json")
    assert [(type(x).__name__, x.record) for x in items] == [
        ("Label", 0), ("LabelError", 1), ("LabelError", 2), ("LabelError", 3), ("Label", 4), ("LabelError", 5),
        ("LabelError", 6), ("Label", 7)]
    errors = {x.record: x for x in items if isinstance(x, LabelError)}
    assert all(e.path == "mixed_records.json" for e in errors.values())
    assert "a label object; found a string" in str(errors[1]) and "found a number" in str(errors[2])
    assert "missing set_id" in errors[3].expected
    assert "YYYYMMDD" in errors[5].expected and "2021-01-05" in errors[5].expected
    assert "at least one section with text" in errors[6].expected
    assert str(errors[6]).startswith("mixed_records.json record 6: ")


@pytest.mark.parametrize("value", ["20241341", "2024071", "", "yesterday"])
def test_effective_time_that_is_not_a_date_is_an_error(value):
    doc = {"results": [{"set_id": "s", "id": "i", "version": "1", "effective_time": value, "warnings": ["W."]}]}
    (error,) = read_bytes(json.dumps(doc).encode())
    assert isinstance(error, LabelError) and error.record == 0


@pytest.mark.parametrize("value, found", [(12345, "found a number"), ({"text": "Nausea."}, "found an object"),
                                          (None, "found null"), (["Nausea.", None, 3], "item 1 is null (2 items")])
def test_a_wrongly_typed_section_is_named_and_the_label_kept_incomplete(value, found):
    record = {"set_id": "s", "id": "i", "version": "1", "effective_time": "20200101",
              "warnings": ["Fainting was seen."], "adverse_reactions": value}
    (label,) = read_bytes(json.dumps({"results": [record]}).encode())
    assert isinstance(label, Label) and label.unreadable_sections == ("adverse_reactions",)
    (problem,) = label.problems
    assert problem.startswith("adverse_reactions: a list of strings; ") and found in problem
    assert [p.section for p in label.passages] == ["warnings"] + ["adverse_reactions"] * isinstance(value, list)


def test_a_wrongly_typed_table_makes_its_section_incomplete_and_a_label_with_nothing_readable_fails():
    base = {"set_id": "s", "id": "i", "version": "1", "effective_time": "20200101"}
    tables = {**base, "adverse_reactions": ["Nausea."], "adverse_reactions_table": [{"html": "x"}]}
    nothing = {**base, "adverse_reactions": 12345}
    label, error = read_bytes(json.dumps({"results": [tables, nothing]}).encode())
    assert label.unreadable_sections == ("adverse_reactions",)
    assert label.problems == ("adverse_reactions_table: a list of strings; item 0 is an object",)
    assert isinstance(error, LabelError) and error.record == 1
    assert "at least one section with text" in error.expected and "adverse_reactions: a list of strings; found a number" in error.expected


def test_truncated_document_yields_labels_before_it_then_an_error_naming_the_record():
    items = read("truncated.json")
    assert [type(x).__name__ for x in items] == ["Label", "Label", "LabelError"]
    error = items[-1]
    assert (error.path, error.record) == ("truncated.json", 2)
    assert "complete JSON document" in error.expected


def test_truncation_between_records_names_the_next_record():
    doc = json.dumps({"results": [{"set_id": "s", "id": "i", "version": "1", "effective_time": "20200101",
                                   "warnings": ["W."]}]})
    items = read_bytes(doc[:doc.rindex("}") - 1].encode() + b",")
    assert [type(x).__name__ for x in items] == ["Label", "LabelError"] and items[1].record == 1


def test_document_without_results_is_one_error_without_record():
    (error,) = read("no_results.json")
    assert isinstance(error, LabelError) and error.record is None
    assert 'no "results"' in error.expected and "JSON object" in error.expected


@pytest.mark.parametrize("data, says", [
    (b'[{"set_id": "s"}]', "found a list at the top"),
    (b'{"meta": {}, "results": {"set_id": "s"}}', '"results" is an object'),
    (b'{"meta": {}, "results": "none"}', '"results" is a string'),
    (b"", "complete JSON document"),
    (b"{not json", "complete JSON document"),
    (b'{"meta": {"a": [1, 2', "complete JSON document"),
    (b'{"results": []} trailing', "complete JSON document"),
    (b'{"results": ["\xff\xfe"]}', "JSON"),
])
def test_malformed_documents_yield_one_clear_error(data, says):
    items = read_bytes(data, "bad.json")
    assert len(items) == 1 and isinstance(items[0], LabelError)
    assert says in str(items[0]) and str(items[0]).startswith("bad.json")


def test_empty_results_list_yields_nothing():
    assert read_bytes(b'{"meta": {}, "results": []}') == []


def test_corrupt_zip_member_becomes_an_error_not_an_exception(tmp_path):
    archive = tmp_path / "drug-label-0001-of-0001.json.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("drug-label-0001-of-0001.json", (FIXTURES / "mirena.json").read_bytes() * 1)
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(64)
    archive.write_bytes(bytes(data))
    with zipfile.ZipFile(archive) as zf, zf.open("drug-label-0001-of-0001.json") as stream:
        items = list(read_openfda(stream, "bulk.zip!drug-label-0001-of-0001.json"))
    assert items and isinstance(items[-1], LabelError)
    assert items[-1].path == "bulk.zip!drug-label-0001-of-0001.json"


# ------------------------------------------------------------------------------------------- bulk zip
@pytest.fixture
def bulk_zip(tmp_path) -> Path:
    """A bulk-style zip of two parts, each one document holding labels from the fixture files."""
    results = [item for name in ("mirena.json", "zentravix.json", "older_format.json", "text_names.json")
               for item in json.loads((FIXTURES / name).read_text(encoding="utf-8"))["results"]]
    archive = tmp_path / "drug-label-0001-of-0001.json.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("drug-label-0001-of-0001.json", json.dumps({"meta": {"results": {"total": 120}},
                                                                 "results": results * 20}))
    return archive


def test_bulk_zip_member_is_read_as_a_stream_with_its_display_path(bulk_zip):
    member = "drug-label-0001-of-0001.json"
    with zipfile.ZipFile(bulk_zip) as zf, zf.open(member) as stream:
        labels = list(read_openfda(stream, f"{bulk_zip.name}!{member}"))
    assert len(labels) == 120 and all(isinstance(x, Label) for x in labels)
    assert [x.record for x in labels] == list(range(120))
    assert {x.file for x in labels} == {f"{bulk_zip.name}!{member}"}
    assert sum(x.brand_names == ("Mirena",) for x in labels) == 20


@pytest.mark.slow
def test_reading_20000_labels_keeps_memory_far_below_the_document_size(tmp_path):
    """A bulk-part-sized document (20,000 labels, about 120 MB): traced memory stays under 1/50 of it."""
    zentravix = json.loads((FIXTURES / "zentravix.json").read_text(encoding="utf-8"))["results"][0]
    template = {key: zentravix[key] for key in ("set_id", "id", "version", "effective_time", "openfda",
                                                "indications_and_usage", "adverse_reactions")}
    # Sections the reader skips make up most of a real label's bytes.
    template["description"] = ["Each tablet holds the active ingredient and the usual binders. " * 40]
    template["clinical_pharmacology"] = ["Absorption is rapid and elimination mostly renal. " * 30]
    table = ("<table><caption>Table 2: Rates</caption><tr><th>Term</th><th>%</th></tr>"
             "<tr><td>Rash</td><td>2</td></tr></table>")
    path = tmp_path / "drug-label-0001-of-0001.json"
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"meta": {"results": {"total": 20000}}, "results": [')
        for n in range(20_000):
            label = dict(template, set_id=f"set-{n}", id=f"id-{n}")
            if n % 10 == 0:
                label["adverse_reactions_table"] = [table]
            out.write(("," if n else "") + json.dumps(label))
        out.write("]}")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        with open(path, "rb") as stream:
            count = sum(isinstance(x, Label) for x in read_openfda(stream, path.name))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000 and size > 100_000_000
    assert peak < size / 50, f"peak {peak:,} bytes for a {size:,}-byte document"


def test_fixture_files_stay_small():
    assert all(path.stat().st_size < 20_000 for path in FIXTURES.glob("*.json"))
