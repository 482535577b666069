"""The label store: parts holding labels, passages, table rows and terms; which version is current;
reading rows for given labels only; folders that are not stores; an interrupted import changes nothing.

Labels are built here as records (invented drugs, text in our own words), so these tests do not depend
on the readers of any source.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from explorer.labels import openfda as openfda_module
from explorer.labels.importer import import_labels
from explorer.labels.onsides import LabelTerm
from explorer.labels.records import Label, LabelTable, Passage
from explorer.labels.rows import LIST_SEPARATOR, TABLES
from explorer.labels.store import FORMAT_VERSION, LabelStore, LabelStoreError, PartWriter, read_manifest

from ..helpers import FIXTURES

ZENTRAVIX_JSON = FIXTURES / "labels" / "openfda" / "zentravix.json"

INCIDENCE = LabelTable(
    caption="Table 1: Reactions in at least 2% of patients",
    header=(("Reaction", "Brivolan 5 mg", "Placebo"), ("", "(N=210) %", "(N=205) %")),
    rows=(("Digestive", ), ("Queasiness", "7", "2"), ("Dry mouth", "4", "<1")))
STOPPING = LabelTable(caption=None, header=(("Reaction", "Brivolan %"),), rows=(("Drowsiness", "2"),))


def make_label(set_id: str = "set-a", version_id: str = "v-1", version: str = "1",
               effective_time: str = "20200101", brand: str = "Brivolan", generic: str = "brivolan sodium",
               passages: tuple[Passage, ...] | None = None, source: str = "openfda") -> Label:
    """A small label; by default with a boxed warning, an indication and an adverse-reactions section
    whose passages are given out of section order (adverse reactions first)."""
    if passages is None:
        passages = (
            Passage("adverse_reactions", "6", "ADVERSE REACTIONS", "Reactions are listed below.", 0),
            Passage("adverse_reactions", "6.1", "Clinical Trials Experience",
                    "In two trials, queasiness was the most common reaction.", 1, (INCIDENCE, STOPPING)),
            Passage("boxed_warning", None, "WARNING: FALLS", "Brivolan can make older patients fall.", 0),
            Passage("indications_and_usage", "1", "INDICATIONS AND USAGE", "Brivolan treats restless sleep.", 0),
        )
    return Label(source=source, set_id=set_id, version_id=version_id, version=version,
                 effective_time=effective_time, brand_names=(brand,) if brand else (),
                 generic_names=(generic,) if generic else (), substance_names=("BRIVOLAN",),
                 names_from="openfda", passages=passages, file="in/brivolan.json", record=3,
                 rxcui=("990001", "990002"), product_type="HUMAN PRESCRIPTION DRUG")


def make_term(set_id: str = "set-a", version: str = "1", term: str = "Nausea") -> LabelTerm:
    return LabelTerm(set_id=set_id, version=version, product_name="BRIVOLAN tablet", section="adverse_reactions",
                     term=term, meddra_id="10028813", match_method="PMB", ingredients=("brivolan",),
                     file="onsides!product_adverse_effect.csv", record=2)


def write_part(root: Path, labels=(), terms=()) -> Path | None:
    writer = PartWriter(root)
    for label in labels:
        writer.add_label(label)
    for term in terms:
        writer.add_term(term)
    return writer.commit({"inputs": ["test"]})


def store_state(root: Path) -> tuple[bytes, list[str]]:
    """The manifest's bytes and every path under the store (to compare before and after)."""
    return (root / "manifest.json").read_bytes(), sorted(str(p.relative_to(root)) for p in root.rglob("*"))


# -- what a part holds --------------------------------------------------------------------------------

def test_a_part_holds_every_table_and_the_manifest_counts_its_rows(tmp_path):
    part = write_part(tmp_path, [make_label()], [make_term(), make_term(term="Headache")])
    assert part == tmp_path / "part-0001"
    assert sorted(p.name for p in part.iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    manifest = read_manifest(tmp_path)
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["parts"] == [{"name": "part-0001", "inputs": ["test"],
                                  "rows": {"labels": 1, "passages": 4, "table_rows": 7, "terms": 2}}]
    assert not list(tmp_path.glob(".part.tmp-*"))


def test_labels_table_holds_identity_names_and_provenance(tmp_path):
    label = make_label()
    write_part(tmp_path, [label])
    (row,) = LabelStore(tmp_path).labels().to_dict("records")
    assert row == {
        "key": label.key, "source": "openfda", "set_id": "set-a", "version_id": "v-1", "version": "1",
        "effective_time": "20200101", "brand_names": "Brivolan", "generic_names": "brivolan sodium",
        "substance_names": "BRIVOLAN", "names_from": "openfda", "rxcui": f"990001{LIST_SEPARATOR}990002",
        "product_type": "HUMAN PRESCRIPTION DRUG", "file": "in/brivolan.json", "record": 3, "current": True,
        "application_numbers": "", "routes": "", "dosage_forms": "", "product_names": ""}


def test_product_facts_are_held_and_a_store_written_before_them_reads_them_as_missing(tmp_path):
    import dataclasses

    import pyarrow.parquet as pq

    label = dataclasses.replace(make_label(), application_numbers=("NDA000001",), routes=("ORAL",),
                                dosage_forms=("oral", "tablet"), product_names=("Brivolan XR",))
    write_part(tmp_path / "new", [label])
    (row,) = LabelStore(tmp_path / "new").labels().to_dict("records")
    assert (row["application_numbers"], row["routes"], row["dosage_forms"], row["product_names"]) == (
        "NDA000001", "ORAL", f"oral{LIST_SEPARATOR}tablet", "Brivolan XR")
    # an older store's labels table lacks the columns: it is read, with them missing
    part = write_part(tmp_path / "old", [make_label()])
    table = pq.read_table(part / "labels.parquet")
    pq.write_table(table.drop_columns(["application_numbers", "routes", "dosage_forms", "product_names"]),
                   part / "labels.parquet")
    (old,) = LabelStore(tmp_path / "old").labels().to_dict("records")
    assert old["brand_names"] == "Brivolan" and all(
        pd.isna(old[c]) for c in ("application_numbers", "routes", "dosage_forms", "product_names"))


def test_passages_come_back_in_section_order_with_their_positions(tmp_path):
    label = make_label()
    write_part(tmp_path, [label])
    passages = LabelStore(tmp_path).passages([label.key])
    assert list(passages.columns) == ["key", "section", "position", "number", "heading", "text"]
    numbers = [None if pd.isna(n) else n for n in passages["number"]]
    assert list(zip(passages["section"], passages["position"], numbers)) == [
        ("boxed_warning", 0, None), ("indications_and_usage", 0, "1"),
        ("adverse_reactions", 0, "6"), ("adverse_reactions", 1, "6.1")]
    assert passages["heading"].iloc[0] == "WARNING: FALLS"
    assert passages["text"].iloc[3] == "In two trials, queasiness was the most common reaction."


def test_table_rows_keep_header_and_body_rows_caption_and_their_passage(tmp_path):
    label = make_label()
    write_part(tmp_path, [label])
    rows = LabelStore(tmp_path).table_rows([label.key])
    assert set(zip(rows["section"], rows["position"])) == {("adverse_reactions", 1)}
    first = rows[rows["table"] == 0].sort_values(["part", "row"], ascending=[False, True])
    assert set(first["caption"]) == {"Table 1: Reactions in at least 2% of patients"}
    assert [(p, r, list(c)) for p, r, c in zip(first["part"], first["row"], first["cells"])] == [
        ("header", 0, ["Reaction", "Brivolan 5 mg", "Placebo"]), ("header", 1, ["", "(N=210) %", "(N=205) %"]),
        ("body", 0, ["Digestive"]), ("body", 1, ["Queasiness", "7", "2"]), ("body", 2, ["Dry mouth", "4", "<1"])]
    second = rows[rows["table"] == 1]
    assert second["caption"].isna().all()  # a table without a caption keeps none, not ""
    assert sorted(second["part"]) == ["body", "header"]


def test_terms_are_held_per_label_version_and_read_by_set_id(tmp_path):
    write_part(tmp_path, [make_label()], [make_term(), make_term("set-b", "4", "Headache")])
    store = LabelStore(tmp_path)
    assert store.term_labels() == {("set-a", "1"), ("set-b", "4")}
    assert list(store.terms()["term"]) == ["Nausea", "Headache"]
    terms = store.terms(["set-b"])
    assert terms[["source", "set_id", "version", "section", "term", "meddra_id", "match_method",
                  "ingredients"]].to_dict("records") == [
        {"source": "onsides", "set_id": "set-b", "version": "4", "section": "adverse_reactions",
         "term": "Headache", "meddra_id": "10028813", "match_method": "PMB", "ingredients": "brivolan"}]
    assert store.terms([]).empty


def test_passages_and_table_rows_are_read_for_the_given_keys_only(tmp_path):
    a, b = make_label(), make_label("set-b", "v-9", brand="Corvanex")
    write_part(tmp_path, [a, b])
    store = LabelStore(tmp_path)
    assert set(store.passages([b.key])["key"]) == {b.key}
    assert len(store.passages([a.key, b.key])) == 8
    assert set(store.table_rows([a.key])["key"]) == {a.key}
    assert store.passages([]).empty and store.table_rows(["openfda:nope:nope"]).empty
    assert list(store.passages([]).columns) == ["key", "section", "position", "number", "heading", "text"]


def test_a_commit_with_nothing_added_writes_no_part(tmp_path):
    write_part(tmp_path, [make_label()])
    before = store_state(tmp_path)
    assert write_part(tmp_path) is None
    assert store_state(tmp_path) == before


def test_an_empty_store_reads_as_empty_tables(tmp_path):
    assert write_part(tmp_path / "new") is None
    store = LabelStore(tmp_path / "new")
    assert store.labels().empty and "current" in store.labels().columns
    assert store.keys() == set() and store.term_labels() == set() and store.terms().empty


# -- which version is current -------------------------------------------------------------------------

def test_current_is_the_latest_effective_date_of_each_set_id(tmp_path):
    write_part(tmp_path, [
        make_label("set-a", "a-5", "5", "20230101"),
        make_label("set-a", "a-3", "3", "20240301"),  # a lower number but later: it is current
        make_label("set-b", "b-1", "1", "20190101"),  # the only version of its set
    ])
    labels = LabelStore(tmp_path).labels()
    assert dict(zip(labels["version_id"], labels["current"])) == {"a-5": False, "a-3": True, "b-1": True}


def test_on_the_same_date_the_highest_version_number_is_current_compared_as_numbers(tmp_path):
    write_part(tmp_path, [make_label("set-a", "a-12", "12", "20240101"),
                          make_label("set-a", "a-9", "9", "20240101")])  # "9" > "12" as text
    labels = LabelStore(tmp_path).labels()
    assert dict(zip(labels["version_id"], labels["current"])) == {"a-12": True, "a-9": False}


def test_a_newer_version_imported_later_becomes_current_and_the_older_is_kept(tmp_path):
    old = make_label("set-a", "a-1", "1", "20200101", brand="Brivolan")
    new = make_label("set-a", "a-2", "2", "20230601", brand="Brivolan XR")
    write_part(tmp_path, [old])
    assert LabelStore(tmp_path).labels()["current"].tolist() == [True]
    assert write_part(tmp_path, [new]) == tmp_path / "part-0002"
    store = LabelStore(tmp_path)
    labels = store.labels()
    assert dict(zip(labels["key"], labels["current"])) == {old.key: False, new.key: True}
    assert store.keys() == {old.key, new.key}
    assert set(store.passages([old.key, new.key])["key"]) == {old.key, new.key}  # the older is still readable
    assert [p["name"] for p in read_manifest(tmp_path)["parts"]] == ["part-0001", "part-0002"]


# -- folders that are not stores ----------------------------------------------------------------------

def test_a_missing_folder_is_a_label_store_error(tmp_path):
    with pytest.raises(LabelStoreError, match="no such label store folder"):
        LabelStore(tmp_path / "nowhere")


def test_a_folder_without_a_manifest_is_a_label_store_error_saying_so(tmp_path):
    (tmp_path / "notes.txt").write_text("not a store")
    with pytest.raises(LabelStoreError, match=r"no manifest\.json, so this is not a label store"):
        LabelStore(tmp_path)


def test_a_store_of_another_format_version_is_a_label_store_error(tmp_path):
    write_part(tmp_path, [make_label()])
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    (tmp_path / "manifest.json").write_text(json.dumps({**manifest, "format_version": FORMAT_VERSION + 1}))
    with pytest.raises(LabelStoreError, match=f"format_version {FORMAT_VERSION + 1}, expected {FORMAT_VERSION}"):
        LabelStore(tmp_path)


@pytest.mark.parametrize("text, expected", [
    ("{not json", "cannot be read"),
    ("[1, 2]", "found list"),
    (json.dumps({"format_version": FORMAT_VERSION}), "parts is a list of named parts"),
    (json.dumps({"format_version": FORMAT_VERSION, "parts": [{"name": "part-0001"}]}),
     "labels, passages, table_rows, terms missing"),
])
def test_a_broken_manifest_is_a_label_store_error_not_a_traceback(tmp_path, text, expected):
    (tmp_path / "manifest.json").write_text(text)
    with pytest.raises(LabelStoreError, match=expected):
        LabelStore(tmp_path)


# -- an interrupted import ----------------------------------------------------------------------------

def test_an_aborted_part_leaves_nothing_behind(tmp_path):
    write_part(tmp_path, [make_label()])
    before = store_state(tmp_path)
    writer = PartWriter(tmp_path)
    writer.add_label(make_label("set-z", "z-1"))
    writer.abort()
    assert store_state(tmp_path) == before


def test_an_exception_while_reading_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    store = tmp_path / "store"
    write_part(store, [make_label()])
    before = store_state(store)

    def failing_reader(stream, path, *args, **kwargs):  # one good label, then the disk fails
        yield make_label("set-new", "new-1")
        raise RuntimeError("disk went away")

    monkeypatch.setattr(openfda_module, "read_openfda", failing_reader)
    with pytest.raises(RuntimeError, match="disk went away"):
        import_labels([ZENTRAVIX_JSON], store, progress=False)
    assert store_state(store) == before  # no part, no temporary folder, no report, same manifest
    assert LabelStore(store).keys() == {make_label().key}


def test_an_interrupted_first_import_leaves_a_folder_that_can_be_imported_into(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    (store / ".part.tmp-left-by-a-killed-import").mkdir()  # a kill leaves this; an exception does not
    report = import_labels([ZENTRAVIX_JSON], store, progress=False)
    assert report.counts == {"imported": 1}
    assert len(LabelStore(store).keys()) == 1
