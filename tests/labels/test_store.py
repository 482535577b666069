"""The label store: parts holding labels, passages, table rows and terms; which version is current;
reading rows for given labels only; folders that are not stores; an interrupted import changes nothing.

Labels are built here as records (invented drugs, text in our own words), so these tests do not depend
on the readers of any source.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from explorer.labels import openfda as openfda_module
from explorer.labels.importer import import_labels
from explorer.labels.onsides import LabelTerm
from explorer.labels.records import Label, LabelTable, Passage
from explorer.labels.rows import LIST_SEPARATOR, TABLES
from explorer.labels.store import (FORMAT_VERSION, LOCK_FILE, LabelStore, LabelStoreError, PartWriter,
                                   read_manifest)

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
    """The manifest's bytes and every path under the store (to compare before and after), less the lock
    file an import leaves (a lock file removed after use could let two imports hold it at once)."""
    return (root / "manifest.json").read_bytes(), sorted(str(p.relative_to(root)) for p in root.rglob("*")
                                                         if p.name != LOCK_FILE)


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
        "product_type": "HUMAN PRESCRIPTION DRUG", "file": "in/brivolan.json", "record": 3,
        "unreadable_sections": "", "current": True,
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
    # an older store's labels table lacks the columns (and, older still, unreadable_sections too): it is
    # read, with them missing
    product = ["application_numbers", "routes", "dosage_forms", "product_names"]
    for name, dropped in (("old", product), ("older", product + ["unreadable_sections"])):
        part = write_part(tmp_path / name, [make_label()])
        table = pq.read_table(part / "labels.parquet")
        pq.write_table(table.drop_columns(dropped), part / "labels.parquet")
        (old,) = LabelStore(tmp_path / name).labels().to_dict("records")
        assert old["brand_names"] == "Brivolan" and old["unreadable_sections"] == ""
        assert all(pd.isna(old[c]) for c in product)


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


# -- every part checked when a store is opened (issue 16: 9, 11, 17) ----------------------------------

def damaged_store(tmp_path: Path) -> tuple[Path, Label]:
    """A store of one label with a long passage, so that its passages table is mostly page data."""
    text = " ".join(f"Reaction {i} was reported by {i % 7 + 1}% of patients." for i in range(600))
    label = make_label(passages=(Passage("adverse_reactions", "6.1", "Clinical Trials Experience", text, 0),))
    write_part(tmp_path, [label], [make_term()])
    return tmp_path, label


def damage(file: Path, how: str) -> None:
    """Damage a table file as a disk or a bad copy can: "empty", "cut" (in half), "footer" (the footer's
    length flipped: the footer cannot be found) or "page" (a byte flipped in the middle of the pages of
    the passages' text column)."""
    import pyarrow.parquet as pq

    data = bytearray(file.read_bytes())
    if how == "empty":
        data = bytearray()
    elif how == "cut":
        data = data[:len(data) // 2]
    elif how == "footer":
        data[-10] ^= 0xFF
    else:
        column = pq.ParquetFile(file).metadata.row_group(0).column(5)
        start = column.dictionary_page_offset if column.has_dictionary_page else column.data_page_offset
        data[start + column.total_compressed_size // 2] ^= 0x04
    file.write_bytes(bytes(data))


def test_a_part_holding_another_tables_rows_is_refused_naming_the_file_and_the_columns(tmp_path):
    root, _ = damaged_store(tmp_path)
    part = root / "part-0001"
    (part / "labels.parquet").write_bytes((part / "terms.parquet").read_bytes())  # terms copied over labels
    with pytest.raises(LabelStoreError) as error:
        LabelStore(root)
    message = str(error.value)
    assert message.startswith(f"{part / 'labels.parquet'}: the labels table's columns (key string, source string")
    assert "found source string, set_id string" in message and "import the label files again" in message


def test_a_part_whose_rows_disagree_with_the_manifest_is_refused(tmp_path):
    root, label = damaged_store(tmp_path)
    other = tmp_path / "other"
    write_part(other, [label, make_label("set-b", "v-2")])
    (root / "part-0001" / "labels.parquet").write_bytes((other / "part-0001" / "labels.parquet").read_bytes())
    with pytest.raises(LabelStoreError, match="the 1 rows the manifest records for this part's labels table; "
                                              "the file holds 2"):
        LabelStore(root)


@pytest.mark.parametrize("how", ["empty", "cut", "footer"])
def test_a_table_file_that_is_empty_cut_short_or_flipped_in_its_footer_is_named(tmp_path, how):
    root, _ = damaged_store(tmp_path)
    file = root / "part-0001" / "passages.parquet"
    damage(file, how)
    with pytest.raises(LabelStoreError) as error:
        LabelStore(root)
    assert str(error.value).startswith(f"{file}: a Parquet file of the store's passages table; it cannot be read (")
    assert str(error.value).endswith("import the label files again into a new folder (--into NEW)")


def test_a_flipped_byte_in_a_tables_pages_is_an_error_naming_the_file_not_changed_text(tmp_path):
    root, label = damaged_store(tmp_path)
    file = root / "part-0001" / "passages.parquet"
    damage(file, "page")
    store = LabelStore(root)  # the footer is whole: the damage shows when the pages are read
    with pytest.raises(LabelStoreError, match=f"{file}: a readable Parquet file of the store's passages table; "
                                              "reading it failed"):
        store.passages([label.key])


@pytest.mark.parametrize("name", ["../outside/part-0001", "{outside}/part-0001", "part-0001/../../outside/part-0001",
                                  ".", "", "part 1"])
def test_a_manifest_part_that_is_not_a_plain_name_inside_the_store_is_refused(tmp_path, name):
    outside = tmp_path / "outside"
    write_part(outside, [make_label("set-outside", "v-out")])
    root = tmp_path / "store"
    write_part(root, [make_label()])
    manifest = json.loads((root / "manifest.json").read_text())
    manifest["parts"][0]["name"] = name.format(outside=outside)
    (root / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(LabelStoreError, match="parts named as folders inside the store"):
        LabelStore(root)


def test_a_part_folder_that_is_a_link_is_refused(tmp_path):
    outside = tmp_path / "outside"
    write_part(outside, [make_label("set-outside", "v-out")])
    root = tmp_path / "store"
    write_part(root, [make_label()])
    shutil.rmtree(root / "part-0001")
    (root / "part-0001").symlink_to(outside / "part-0001")
    with pytest.raises(LabelStoreError, match="nothing outside the store is read"):
        LabelStore(root)


def test_parts_written_before_unreadable_sections_was_kept_are_read_as_complete_labels(tmp_path):
    import pyarrow.parquet as pq

    root, label = damaged_store(tmp_path)
    file = root / "part-0001" / "labels.parquet"
    pq.write_table(pq.read_table(file).drop_columns(["unreadable_sections"]), file)
    assert LabelStore(root).labels()["unreadable_sections"].tolist() == [""]


# -- what interrupted imports leave -------------------------------------------------------------------

def test_leftovers_of_killed_imports_are_removed_at_the_next_import_and_nothing_else(tmp_path):
    root, label = damaged_store(tmp_path)
    killed = root / ".part.tmp-k1ll3d"  # a temporary part with its tables half written
    killed.mkdir()
    (killed / "labels.parquet").write_bytes(b"PAR1 half written")
    orphan = root / "part-0002"  # renamed into place, never listed: killed between the two steps
    shutil.copytree(root / "part-0001", orphan)
    (root / ".manifest.json.tmp").write_text("{")
    foreign = root / ".part.tmp-notes"  # not ours: holds something else than table files
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    report = import_labels([ZENTRAVIX_JSON], root, progress=False)
    assert report.part == root / "part-0002"  # the name the orphan held
    names = sorted(p.name for p in root.iterdir())
    assert names == [".import.lock", ".part.tmp-notes", "manifest.json", "part-0001", "part-0002", "reports"]
    assert (foreign / "notes.txt").read_text() == "keep me"
    assert len(LabelStore(root).keys()) == 2


def test_a_second_import_into_a_store_waits_for_the_first(tmp_path):
    import threading

    from explorer.labels.store import import_lock

    root, _ = damaged_store(tmp_path)
    told: list[str] = []
    done = threading.Event()

    def second() -> None:
        import_labels([ZENTRAVIX_JSON], root, progress=False, on_wait=told.append)
        done.set()

    with import_lock(root):  # the first import, under way
        thread = threading.Thread(target=second, daemon=True)
        thread.start()
        assert not done.wait(1.0)  # waiting, not importing beside it
        assert told == [f"process {os.getpid()}"]
    assert done.wait(30)
    assert len(LabelStore(root).keys()) == 2
