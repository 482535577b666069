"""``import_labels``: inputs recognised by content, folders and zips read in place, re-imports that change
nothing, bad files and records reported beside the good ones, zip bombs refused unread, and the report.

Inputs are the test files of tests/fixtures/labels/ and documents built here (invented drugs, our own
words): an openFDA bulk-style zip of many labels, a DailyMed-style zip of per-label zips, OnSIDES zips.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from explorer.labels import importer as importer_module
from explorer.labels import openfda as openfda_module
from explorer.labels.importer import import_labels, sniff
from explorer.labels.records import LabelError
from explorer.labels.report import REPORT_COLUMNS
from explorer.labels.store import LabelStore, read_manifest

from ..helpers import FIXTURES

LABELS = FIXTURES / "labels"
OPENFDA, SPL, ONSIDES = LABELS / "openfda", LABELS / "spl", LABELS / "onsides"
ZENTRAVIX_JSON, MIRENA_JSON = OPENFDA / "zentravix.json", OPENFDA / "mirena.json"
ZENTRAVIX_XML, PARVOLINE_XML = SPL / "zentravix.xml", SPL / "parvoline-old-format.xml"
ZENTRAVIX_OPENFDA_KEY = "openfda:490ddedc-b849-4356-b85b-3f981efc07a6:8627abda-15e7-4909-8e2d-428dc252bb6b"
ZENTRAVIX_SPL_KEY = "spl:a1b2c3d4-0000-4e5f-8a9b-112233445566:5d2f0c1e-7a44-4b9e-9c31-0e8a6f1b2c3d"
ONSIDES_TERMS = 11  # the US labels' rows of the test release (see its README)


def openfda_label(i: int) -> dict:
    """A small openFDA label of an invented drug, numbered ``i``."""
    return {
        "set_id": f"00000000-0000-4000-8000-{i:012d}", "id": f"11111111-0000-4000-8000-{i:012d}",
        "version": str(1 + i % 7), "effective_time": f"2023{1 + i % 12:02d}15",
        "openfda": {"brand_name": [f"Bulkadrin {i}"], "generic_name": [f"bulkamine {i}"]},
        "adverse_reactions": [f"6 ADVERSE REACTIONS 6.1 Clinical Trials Experience Drowsiness was reported "
                              f"by {i % 9 + 1}% of people who took it."],
    }


def openfda_document(labels: list) -> bytes:
    return json.dumps({"meta": {"disclaimer": "test data written for the explorer"}, "results": labels}).encode()


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def rows_of(report, path) -> list[tuple]:
    return [r for r in report.rows if r[0] == str(path)]


def statuses(report) -> list[str]:
    return [r[2] for r in report.rows]


@pytest.fixture
def opened_members(monkeypatch) -> list[str]:
    """The names of the zip members opened during the test (to prove one was refused unread)."""
    opened = []
    original = zipfile.ZipFile.open

    def spy(self, name, mode="r", *args, **kwargs):
        if mode == "r":  # not the test's own writing of zips
            opened.append(name.filename if isinstance(name, zipfile.ZipInfo) else name)
        return original(self, name, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return opened


# -- recognised by content, not by name ---------------------------------------------------------------

@pytest.mark.parametrize("head, kind", [
    (b'{"meta": {}, "results": []}', "json"), (b'\xef\xbb\xbf  \n{"results"', "json"),
    (b'<?xml version="1.0"?><document xmlns="urn:hl7-org:v3">', "xml"), (b"<html><body>", None),
    (b"[1, 2]", None), (b"label_id,source", None)])
def test_sniff_tells_openfda_json_and_spl_xml_from_their_first_bytes(head, kind):
    assert sniff(head) == kind


def test_files_are_recognised_by_content_not_by_name(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(ZENTRAVIX_JSON, inputs / "notes.txt")  # openFDA JSON named .txt
    shutil.copy(ZENTRAVIX_XML, inputs / "label.json")  # SPL XML named .json
    (inputs / "archive.xml").write_bytes(zip_bytes({"x.dat": MIRENA_JSON.read_bytes()}))  # a zip named .xml
    report = import_labels([inputs / "notes.txt", inputs / "label.json", inputs / "archive.xml"],
                           tmp_path / "store", progress=False)
    assert report.rows == [
        (str(inputs / "notes.txt"), 0, "imported", ZENTRAVIX_OPENFDA_KEY, ""),
        (str(inputs / "label.json"), 0, "imported", ZENTRAVIX_SPL_KEY, ""),
        (f"{inputs / 'archive.xml'}!x.dat", 0, "imported",
         "openfda:dcbd6aa2-b3fa-479a-a676-56ea742962fc:8135f46a-de6a-46f0-b68e-f4100f6d34cd", "")]
    labels = LabelStore(tmp_path / "store").labels().set_index("key")
    assert labels.loc[ZENTRAVIX_SPL_KEY, "file"] == str(inputs / "label.json")
    assert labels["source"].sort_values().tolist() == ["openfda", "openfda", "spl"]


def test_an_openfda_file_starting_with_a_byte_order_mark_is_read(tmp_path):
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + ZENTRAVIX_JSON.read_bytes())
    report = import_labels([bom], tmp_path / "store", progress=False)
    assert report.rows == [(str(bom), 0, "imported", ZENTRAVIX_OPENFDA_KEY, "")]


def test_a_folder_of_mixed_files_imports_each_by_its_kind(tmp_path):
    inputs = tmp_path / "downloads"
    (inputs / "spl").mkdir(parents=True)
    shutil.copy(ZENTRAVIX_JSON, inputs / "zentravix.json")
    shutil.copy(ZENTRAVIX_XML, inputs / "spl" / "zentravix.xml")
    shutil.copy(PARVOLINE_XML, inputs / "spl" / "parvoline.xml")
    shutil.copytree(ONSIDES, inputs / "onsides-v3" / "csv")
    (inputs / "readme.txt").write_text("Downloaded on Monday.")
    (inputs / ".DS_Store").write_bytes(b"\x00\x01")  # hidden files are passed over
    report = import_labels([inputs], tmp_path / "store", progress=False)
    assert sorted((r[0].removeprefix(str(inputs)), r[2]) for r in report.rows) == [
        ("/onsides-v3/csv", "imported"), ("/readme.txt", "failed"), ("/spl/parvoline.xml", "imported"),
        ("/spl/zentravix.xml", "imported"), ("/zentravix.json", "imported")]
    assert "found none of these" in rows_of(report, inputs / "readme.txt")[0][4]
    store = LabelStore(tmp_path / "store")
    assert len(store.keys()) == 3 and len(store.terms()) == ONSIDES_TERMS


# -- zips read in place -------------------------------------------------------------------------------

def test_an_openfda_bulk_style_zip_of_many_labels_is_read_in_place(tmp_path, monkeypatch):
    labels = [openfda_label(i) for i in range(300)]
    labels[150] = {**labels[150], "effective_time": "15 March 2023"}  # one bad record in the middle
    fixture_labels = json.loads(MIRENA_JSON.read_text())["results"] + json.loads(ZENTRAVIX_JSON.read_text())["results"]
    part = tmp_path / "drug-label-0001-of-0001.json.zip"
    part.write_bytes(zip_bytes({"drug-label-0001-of-0001.json": openfda_document(fixture_labels + labels)}))

    streams = []
    real_reader = openfda_module.read_openfda

    def recording_reader(stream, path, *args, **kwargs):
        streams.append(type(stream))
        return real_reader(stream, path, *args, **kwargs)

    def no_extracting(*args, **kwargs):
        raise AssertionError("a zip member was extracted to disk")

    monkeypatch.setattr(openfda_module, "read_openfda", recording_reader)
    monkeypatch.setattr(zipfile.ZipFile, "extract", no_extracting)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", no_extracting)
    report = import_labels([part], tmp_path / "store", progress=False)

    assert streams == [zipfile.ZipExtFile]  # the member is streamed, not read into bytes first
    assert report.counts == {"imported": 301, "failed": 1}
    member = f"{part}!drug-label-0001-of-0001.json"
    assert report.failed == [(member, 152, "failed", "", "effective_time as YYYYMMDD; found '15 March 2023'")]
    held = LabelStore(tmp_path / "store").labels()
    assert len(held) == 301 and set(held["file"]) == {member}
    assert sorted(p.name for p in tmp_path.iterdir()) == [part.name, "store"]  # nothing unpacked beside it


def test_a_dailymed_style_zip_of_per_label_zips_skips_images_and_names_nested_members(tmp_path):
    bulk = tmp_path / "dm_spl_release_human_rx_part1.zip"
    bulk.write_bytes(zip_bytes({
        "prescription/20240312_a1b2.zip": zip_bytes({"a1b2.xml": ZENTRAVIX_XML.read_bytes(),
                                                     "zentravix-tablet.jpg": b"\xff\xd8\xff\xe0 not really a jpeg"}),
        "prescription/20091105_0f0e.zip": zip_bytes({"0f0e.xml": PARVOLINE_XML.read_bytes(),
                                                     "carton.png": b"\x89PNG not really a png"}),
        "prescription/20230601_broken.zip": zip_bytes({"broken.xml": (SPL / "broken-missing-setid.xml").read_bytes()}),
    }, compression=zipfile.ZIP_STORED))
    report = import_labels([bulk], tmp_path / "store", progress=False)
    assert sorted(r[:3] for r in report.rows) == [
        (f"{bulk}!prescription/20091105_0f0e.zip!0f0e.xml", 0, "imported"),
        (f"{bulk}!prescription/20230601_broken.zip!broken.xml", 0, "failed"),
        (f"{bulk}!prescription/20240312_a1b2.zip!a1b2.xml", 0, "imported")]
    assert "setId" in report.failed[0][4]
    held = LabelStore(tmp_path / "store").labels().set_index("key")
    assert held.loc[ZENTRAVIX_SPL_KEY, "file"] == f"{bulk}!prescription/20240312_a1b2.zip!a1b2.xml"


def test_zips_nested_deeper_than_a_dailymed_download_are_refused(tmp_path):
    inner = zip_bytes({"a1b2.xml": ZENTRAVIX_XML.read_bytes()})
    for level in range(3):
        inner = zip_bytes({f"level{level}.zip": inner})
    deep = tmp_path / "deep.zip"
    deep.write_bytes(inner)
    report = import_labels([deep, ZENTRAVIX_JSON], tmp_path / "store", progress=False)
    assert report.failed == [(f"{deep}!level2.zip!level1.zip!level0.zip", None, "failed", "",
                              "zips nested at most 2 deep (a zip of per-label zips, zipped once more); "
                              "this one is nested deeper (not read)")]
    assert LabelStore(tmp_path / "store").keys() == {ZENTRAVIX_OPENFDA_KEY}


def test_an_onsides_release_folder_and_zip_give_the_same_terms(tmp_path):
    from_folder = import_labels([ONSIDES], tmp_path / "a", progress=False)
    assert from_folder.rows == [(str(ONSIDES), None, "imported", "", f"{ONSIDES_TERMS} OnSIDES terms")]
    release = tmp_path / "onsides-v3.1.0.zip"
    release.write_bytes(zip_bytes({f"csv/{p.name}": p.read_bytes() for p in ONSIDES.iterdir()}))
    from_zip = import_labels([release], tmp_path / "b", progress=False)
    assert from_zip.rows == [(str(release), None, "imported", "", f"{ONSIDES_TERMS} OnSIDES terms")]
    columns = ["set_id", "version", "section", "term", "meddra_id", "match_method", "ingredients"]
    assert (LabelStore(tmp_path / "a").terms()[columns].values.tolist()
            == LabelStore(tmp_path / "b").terms()[columns].values.tolist())
    again = import_labels([release], tmp_path / "a", progress=False)  # the same terms, from the zip
    assert statuses(again) == ["unchanged"] and again.part is None


def test_an_onsides_release_with_a_refused_table_fails_alone(tmp_path, monkeypatch):
    monkeypatch.setitem(importer_module.MAX_MEMBER_BYTES, "csv", 600)  # only product_label is larger (726 bytes)
    release = tmp_path / "onsides.zip"
    release.write_bytes(zip_bytes({p.name: p.read_bytes() for p in ONSIDES.iterdir()}))
    report = import_labels([release, ZENTRAVIX_JSON], tmp_path / "store", progress=False)
    ((path, record, _, _, reason),) = report.failed
    assert (path, record) == (f"{release}!product_label.csv", None)
    assert reason == ("a member of at most 600 bytes for a csv label file; it declares 726 bytes unzipped "
                      "(refused, not read)")
    assert rows_of(report, release) == []  # the failed row is its one outcome: no "unchanged, 0 terms" beside it
    assert LabelStore(tmp_path / "store").keys() == {ZENTRAVIX_OPENFDA_KEY}


# -- importing again ----------------------------------------------------------------------------------

def test_reimporting_the_same_inputs_changes_nothing(tmp_path):
    store = tmp_path / "store"
    first = import_labels([LABELS], store, progress=False)
    manifest = (store / "manifest.json").read_bytes()
    second = import_labels([LABELS], store, progress=False)
    assert second.part is None and (store / "manifest.json").read_bytes() == manifest
    assert sorted(p.name for p in store.glob("part-*")) == ["part-0001"]
    assert [r[:2] for r in second.rows] == [r[:2] for r in first.rows]
    assert {r[2] for r in second.rows if r[2] != "failed"} == {"unchanged"}
    assert second.failed == first.failed  # the same bad records, for the same reasons
    assert [r[3] for r in second.rows] == [r[3] for r in first.rows]


def test_a_new_version_is_added_and_the_old_one_kept(tmp_path):
    store = tmp_path / "store"
    import_labels([ZENTRAVIX_JSON], store, progress=False)
    raw = json.loads(ZENTRAVIX_JSON.read_text())
    newer = {**raw["results"][0], "id": "22222222-0000-4000-8000-000000000001", "version": "8",
             "effective_time": "20250102"}
    (tmp_path / "newer.json").write_text(json.dumps({**raw, "results": [newer]}))
    report = import_labels([tmp_path / "newer.json", ZENTRAVIX_JSON], store, progress=False)
    assert statuses(report) == ["imported", "unchanged"] and report.part == store / "part-0002"
    labels = LabelStore(store).labels()
    assert dict(zip(labels["version"], labels["current"])) == {"7": False, "8": True}


# -- bad input beside good input ----------------------------------------------------------------------

def test_a_corrupt_zip_is_a_failed_row_and_the_files_beside_it_are_imported(tmp_path):
    whole = zip_bytes({"a.json": ZENTRAVIX_JSON.read_bytes()})
    broken = tmp_path / "drug-label-0001-of-0002.json.zip"
    broken.write_bytes(whole[: len(whole) // 2])  # a download cut off half-way
    report = import_labels([broken, MIRENA_JSON], tmp_path / "store", progress=False)
    ((path, record, status, key, reason),) = rows_of(report, broken)
    assert (record, status, key) == (None, "failed", "")
    assert reason.startswith("a readable zip archive (")
    assert statuses(report) == ["failed", "imported"]


def test_a_zip_member_with_a_bad_checksum_fails_without_costing_the_other_members(tmp_path):
    data = bytearray(zip_bytes({"a.json": ZENTRAVIX_JSON.read_bytes(), "b.json": MIRENA_JSON.read_bytes()},
                               compression=zipfile.ZIP_STORED))
    at = data.index(b"Zentravix")
    data[at] = ord("Q")  # the stored bytes no longer match the member's CRC
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    report = import_labels([damaged], tmp_path / "store", progress=False)
    ((path, _, _, _, reason),) = report.failed
    assert path == f"{damaged}!a.json" and "Bad CRC-32" in reason
    assert rows_of(report, f"{damaged}!b.json")[0][2] == "imported"


def test_a_truncated_json_keeps_the_labels_before_the_break_and_names_the_record(tmp_path):
    truncated = OPENFDA / "truncated.json"
    report = import_labels([truncated], tmp_path / "store", progress=False)
    assert [r[1:3] for r in report.rows] == [(0, "imported"), (1, "imported"), (2, "failed")]
    assert report.failed[0][0] == str(truncated)
    assert report.failed[0][4].startswith("a complete JSON document; reading stopped at this record")


def test_bad_records_and_labels_without_a_usable_section_are_rows_naming_file_and_record(tmp_path):
    mixed, no_section = OPENFDA / "mixed_records.json", SPL / "broken-no-usable-section.xml"
    report = import_labels([mixed, no_section], tmp_path / "store", progress=False)
    assert [(r[0], r[1], r[2]) for r in report.rows] == [
        (str(mixed), 0, "imported"), (str(mixed), 1, "failed"), (str(mixed), 2, "failed"),
        (str(mixed), 3, "failed"), (str(mixed), 4, "imported"), (str(mixed), 5, "failed"),
        (str(mixed), 6, "failed"), (str(mixed), 7, "imported"), (str(no_section), 0, "failed")]
    reasons = {(r[0], r[1]): r[4] for r in report.failed}
    assert reasons[str(mixed), 3].endswith("missing set_id")
    assert reasons[str(mixed), 6].startswith("at least one section with text among")
    assert reasons[str(no_section), 0].startswith("at least one section with text or a table")
    assert len(LabelStore(tmp_path / "store").keys()) == 3


def test_a_label_with_a_wrongly_typed_section_is_stored_incomplete_with_a_row_naming_record_and_field(tmp_path):
    doc = tmp_path / "typed.json"
    bad = {**openfda_label(1), "adverse_reactions": 12345, "warnings": ["Drowsiness may occur."]}
    doc.write_bytes(openfda_document([openfda_label(0), bad]))
    report = import_labels([doc], tmp_path / "store", progress=False)
    key = f"openfda:{bad['set_id']}:{bad['id']}"
    assert report.rows[1] == (str(doc), 1, "incomplete", key, "imported without what could not be read: "
                              "adverse_reactions: a list of strings; found a number")
    assert report.flagged == [report.rows[1]] and report.counts == {"imported": 1, "incomplete": 1}
    held = LabelStore(tmp_path / "store").labels().set_index("key")["unreadable_sections"]
    assert held.to_dict() == {f"openfda:{openfda_label(0)['set_id']}:{openfda_label(0)['id']}": "",
                              key: "adverse_reactions"}


def test_missing_inputs_and_files_of_no_known_kind_are_failed_rows(tmp_path):
    (tmp_path / "page.html").write_text("<html><body>Not a label</body></html>")
    report = import_labels([tmp_path / "nope.json", tmp_path / "page.html", ZENTRAVIX_JSON], tmp_path / "store",
                           progress=False)
    assert report.rows[:2] == [
        (str(tmp_path / "nope.json"), None, "failed", "", "no such file or folder"),
        (str(tmp_path / "page.html"), None, "failed", "",
         "an openFDA JSON document, an SPL XML document, a zip of them or an OnSIDES release; found none of these")]
    assert report.rows[2][2] == "imported"


# -- zip bombs ----------------------------------------------------------------------------------------

def test_a_member_declaring_more_than_the_limit_is_refused_unread(tmp_path, monkeypatch, opened_members):
    for kind in importer_module.MAX_MEMBER_BYTES:
        monkeypatch.setitem(importer_module.MAX_MEMBER_BYTES, kind, 4000)
    big = openfda_document([openfda_label(i) for i in range(40)])  # about 12 KB of real labels
    assert len(big) > 4000
    archive = tmp_path / "labels.zip"
    archive.write_bytes(zip_bytes({"big.json": big, "small.json": openfda_document([openfda_label(1)])}))
    report = import_labels([archive], tmp_path / "store", progress=False)
    assert report.failed == [(f"{archive}!big.json", None, "failed", "",
                              f"a member of at most 4,000 bytes for any label file; it declares {len(big):,} "
                              "bytes unzipped (refused, not read)")]
    assert "big.json" not in opened_members and "small.json" in opened_members
    assert rows_of(report, f"{archive}!small.json")[0][2] == "imported"


def test_a_member_that_inflates_far_beyond_text_is_refused_unread(tmp_path, opened_members):
    bomb = b'{"results": [' + b" " * (3 << 20) + b"]}"  # 3 MB of spaces: deflates about 1,000 times
    archive = tmp_path / "drug-label-0001-of-0001.json.zip"
    archive.write_bytes(zip_bytes({"bomb.json": bomb, "good.json": ZENTRAVIX_JSON.read_bytes()}))
    report = import_labels([archive], tmp_path / "store", progress=False)
    ((path, record, _, _, reason),) = report.failed
    assert (path, record) == (f"{archive}!bomb.json", None)
    assert reason.startswith("a member that inflates like text (at most 200x); it inflates ")
    assert reason.endswith("x (refused, not read)")
    assert "bomb.json" not in opened_members
    assert LabelStore(tmp_path / "store").keys() == {ZENTRAVIX_OPENFDA_KEY}


def test_a_member_over_its_kinds_limit_is_refused_after_its_first_bytes_only(tmp_path, monkeypatch):
    monkeypatch.setitem(importer_module.MAX_MEMBER_BYTES, "xml", 1000)  # the others stay large
    archive = tmp_path / "spl.zip"
    archive.write_bytes(zip_bytes({"zentravix.xml": ZENTRAVIX_XML.read_bytes()}))
    report = import_labels([archive], tmp_path / "store", progress=False)
    size = len(ZENTRAVIX_XML.read_bytes())
    assert report.failed == [(f"{archive}!zentravix.xml", None, "failed", "",
                              f"a member of at most 1,000 bytes for a xml label file; it declares {size:,} "
                              "bytes unzipped (refused, not read)")]


def test_an_spl_file_larger_than_any_real_one_is_refused_unparsed(tmp_path, monkeypatch):
    monkeypatch.setitem(importer_module.MAX_MEMBER_BYTES, "xml", 1000)
    report = import_labels([ZENTRAVIX_XML], tmp_path / "store", progress=False)
    assert report.failed == [(str(ZENTRAVIX_XML), None, "failed", "",
                              "an SPL document of at most 1,000 bytes; this one is larger (refused, not parsed)")]


# -- where an import may go ---------------------------------------------------------------------------

def test_importing_into_a_non_empty_folder_that_is_not_a_store_is_refused(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "todo.txt").write_text("keep me")
    with pytest.raises(LabelError, match="an empty folder or a label store"):
        import_labels([ZENTRAVIX_JSON], notes, progress=False)
    assert [p.name for p in notes.iterdir()] == ["todo.txt"]


def test_importing_into_a_file_is_refused(tmp_path):
    (tmp_path / "store").write_text("a file")
    with pytest.raises(LabelError, match="this is a file"):
        import_labels([ZENTRAVIX_JSON], tmp_path / "store", progress=False)


def test_a_new_store_where_nothing_could_be_imported_is_still_a_store(tmp_path):
    store = tmp_path / "store"
    report = import_labels([SPL / "broken-not-xml.xml"], store, progress=False)
    assert statuses(report) == ["failed"] and report.part is None
    assert read_manifest(store)["parts"] == [] and LabelStore(store).labels().empty
    again = import_labels([ZENTRAVIX_JSON], store, progress=False)  # the folder is not "non-empty, not a store"
    assert statuses(again) == ["imported"]


# -- the report ---------------------------------------------------------------------------------------

def test_the_report_csv_is_written_under_reports_and_its_counts_add_up(tmp_path):
    store = tmp_path / "store"
    report = import_labels([OPENFDA, SPL], store, progress=False)
    with open(store / "reports" / "import-0001.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == REPORT_COLUMNS
    assert rows[1:] == [["" if v is None else str(v) for v in row] for row in report.rows]
    counts = report.counts
    assert sum(counts.values()) == len(report.rows) == len(rows) - 1
    assert counts["imported"] == len(LabelStore(store).keys()) == read_manifest(store)["parts"][0]["rows"]["labels"]
    assert counts["failed"] == len(report.failed) == sum(row[2] == "failed" for row in rows[1:])
    assert report.summary_line() == f"{counts['failed']} failed, {counts['imported']} imported -> {store}"
    import_labels([OPENFDA], store, progress=False)
    assert sorted(p.name for p in (store / "reports").iterdir()) == ["import-0001.csv", "import-0002.csv"]


def test_the_report_csv_gives_a_spreadsheet_no_formula_from_a_file_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the inputs named as typed: the names start the report's cells
    shutil.copy(ZENTRAVIX_JSON, "=HYPERLINK(1).json")  # a file name a spreadsheet would run
    Path("@SUM(A1).json").write_text('{"results": [')  # and a broken one, with its reason

    report = import_labels(["=HYPERLINK(1).json", "@SUM(A1).json"], tmp_path / "store", progress=False)

    with open(tmp_path / "store" / "reports" / "import-0001.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    assert {row[0] for row in report.rows} == {"=HYPERLINK(1).json", "@SUM(A1).json"}
    assert {row[0] for row in rows} == {"'=HYPERLINK(1).json", "'@SUM(A1).json"}  # all still there, a quote in front
    assert len(rows) == len(report.rows)
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]
