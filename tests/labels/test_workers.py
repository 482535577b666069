"""Labels made in worker processes: the same store and report as made in the importing process, labels
already held left out, a document that breaks off, and the batch's rows left out label by label.

A bulk part (several MB) is what gets workers; here the size threshold is set to 0 so that small
documents built from invented labels do.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest

from explorer.labels import importer as importer_module
from explorer.labels.importer import import_labels
from explorer.labels.openfda import label_from_openfda
from explorer.labels.records import LabelError
from explorer.labels.store import LabelStore
from explorer.labels.workers import BATCH, default_workers, label_batch

from .test_importer import MIRENA_JSON, ZENTRAVIX_JSON, openfda_document, openfda_label, zip_bytes

pytestmark = pytest.mark.skipif(not importer_module.CAN_FORK, reason="workers are forked processes")


@pytest.fixture
def always_parallel(monkeypatch):
    monkeypatch.setattr(importer_module, "PARALLEL_FROM_BYTES", 0)


def bulk_part(tmp_path, labels: list, name: str = "drug-label-0001-of-0001.json"):
    path = tmp_path / f"{name}.zip"
    path.write_bytes(zip_bytes({name: openfda_document(labels)}))
    return path


def fixture_labels() -> list:
    """The Mirena and Zentravix test labels: sections with subsections and tables."""
    return json.loads(MIRENA_JSON.read_text())["results"] + json.loads(ZENTRAVIX_JSON.read_text())["results"]


def store_tables(store) -> dict[str, pd.DataFrame]:
    held = LabelStore(store)
    keys = sorted(held.keys())
    labels = held.labels().sort_values("key").reset_index(drop=True)
    passages = held.passages(keys).reset_index(drop=True)
    rows = held.table_rows(keys).sort_values(["key", "section", "position", "table", "part", "row"],
                                             kind="stable").reset_index(drop=True)
    return {"labels": labels, "passages": passages, "table_rows": rows.assign(cells=rows["cells"].map(list))}


def test_labels_made_by_workers_give_the_same_store_and_report(tmp_path, always_parallel):
    labels = fixture_labels() + [openfda_label(i) for i in range(3 * BATCH + 5)]
    labels[40] = {**labels[40], "effective_time": "not a date"}  # a failed record inside a batch
    labels.insert(70, labels[10])  # the same label twice in one document: the second is unchanged
    part = bulk_part(tmp_path, labels)

    serial = import_labels([part], tmp_path / "serial", progress=False, workers=1)
    parallel = import_labels([part], tmp_path / "parallel", progress=False, workers=2)

    assert (serial.workers, parallel.workers) == (1, 2)
    assert parallel.rows == serial.rows
    assert parallel.counts == {"imported": len(labels) - 2, "unchanged": 1, "failed": 1}
    a, b = store_tables(tmp_path / "serial"), store_tables(tmp_path / "parallel")
    assert len(b["table_rows"]) > 0 and len(b["passages"]) > len(labels)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_dtype=False)


def test_labels_already_held_are_left_out_of_a_parallel_import(tmp_path, always_parallel):
    store = tmp_path / "store"
    first = [openfda_label(i) for i in range(BATCH + 3)]
    import_labels([bulk_part(tmp_path, first, "first.json")], store, progress=False, workers=1)
    second = [openfda_label(i) for i in range(BATCH // 2, 2 * BATCH)]  # overlaps the first import
    report = import_labels([bulk_part(tmp_path, second, "second.json")], store, progress=False, workers=2)

    assert report.counts == {"unchanged": BATCH + 3 - BATCH // 2, "imported": 2 * BATCH - (BATCH + 3)}
    held = LabelStore(store)
    keys = held.keys()
    assert len(keys) == 2 * BATCH
    passages = held.passages(keys)
    assert passages.groupby("key").size().max() == passages.groupby("key").size().min()  # none twice


def test_a_document_that_breaks_off_keeps_the_labels_read_before_it(tmp_path, always_parallel):
    doc = openfda_document([openfda_label(i) for i in range(2 * BATCH + 10)])
    cut = doc[:doc.index(b'"set_id": "00000000-0000-4000-8000-000000000050"') + 20]
    part = tmp_path / "broken.json.zip"
    part.write_bytes(zip_bytes({"broken.json": cut}))
    report = import_labels([part], tmp_path / "store", progress=False, workers=2)
    assert report.counts == {"imported": 50, "failed": 1}
    assert report.failed[0][1] == 50 and "complete JSON document" in report.failed[0][4]


def test_a_batch_leaves_out_the_rows_of_the_labels_asked_for():
    records = fixture_labels() + [openfda_label(1), "not a label", openfda_label(2)]
    batch = label_batch(label_from_openfda, "bulk.json", 7, records)
    made = [o for o in batch.outcomes if not isinstance(o, LabelError)]
    failed = [o for o in batch.outcomes if isinstance(o, LabelError)]
    assert [record for record, _, _ in made] == [7, 8, 9, 11] and [e.record for e in failed] == [10]
    kept = batch.without({0})  # leave out Mirena
    mirena_key = made[0][1]
    for name, table in batch.tables.items():
        keys = table.column("key").to_pylist()
        assert mirena_key in keys
        assert kept[name].column("key").to_pylist() == [k for k in keys if k != mirena_key]
    assert batch.without(set()) is batch.tables


@pytest.mark.parametrize("asked, expected", [(1, 1), (3, 3)])
def test_workers_asked_for_are_used(asked, expected):
    assert default_workers(asked) == expected


def test_default_workers_is_one_per_cpu_up_to_eight():
    assert 1 <= default_workers(None) <= 8


def test_zero_workers_is_a_clear_error():
    with pytest.raises(ValueError, match="at least 1"):
        default_workers(0)
