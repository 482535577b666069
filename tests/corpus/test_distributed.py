"""The Dask ingest writes the same corpus as the local ingest (on a two-process LocalCluster, slow), and a
partition's rows keep the file names as the user typed them (no cluster needed)."""
from __future__ import annotations


import pandas as pd
import pytest

pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

import explorer  # noqa: E402
from explorer.corpus.distributed import _parse_partition, ingest_dask  # noqa: E402
from explorer.corpus.ingest import ingest  # noqa: E402
from explorer.corpus.sentences import read_sentences  # noqa: E402
from explorer.corpus.store import read_manifest  # noqa: E402
from explorer.corpus.tables import STORED_TABLES  # noqa: E402
from explorer.devtools.synth import synthesize  # noqa: E402

from .builders import PAGE_TABLES, comparable, make_pages  # noqa: E402

PAGES = 200


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as c:
        yield c


def test_partition_rows_name_files_as_typed_though_workers_read_them_by_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_pages(tmp_path / "raw", ["Back Pain", "Acne"])
    (tmp_path / "raw" / "empty.txt").write_bytes(b"")
    typed = ["raw/empty.txt", "raw/mirena-acne.txt", "raw/mirena-back-pain.txt"]
    monkeypatch.chdir("/")  # as on a worker: another working folder, so only absolute paths open

    [(tables, report)] = _parse_partition([(str(tmp_path / p), p) for p in typed])

    assert [r[0] for r in report] == typed
    assert [r[1] for r in report] == ["failed", "ok", "ok"]
    for name in STORED_TABLES:
        assert set(tables[name]["source_file"].to_pylist()) == set(typed[1:]), name


@pytest.mark.slow
def test_dask_ingest_equals_local_ingest(tmp_path, cluster, monkeypatch):
    monkeypatch.chdir(tmp_path)  # relative paths, as a user would type them, on both sides
    summary = synthesize(PAGES, tmp_path / "pages", seed=21)
    make_pages(tmp_path / "pages" / "seed", ["Back Pain", "Acne"])  # synthetic pages state no numbers
    local = ingest(["pages"], "local", workers=1, progress=False)
    # chunk_size 40 -> five partitions spread over the two workers, written back in order
    remote = ingest_dask(["pages"], "dask", scheduler_address=cluster.scheduler_address, chunk_size=40)

    assert remote.counts == local.counts
    assert remote.counts["failed"] == summary.broken > 0
    pd.testing.assert_frame_equal(remote.files.reset_index(drop=True), local.files.reset_index(drop=True))

    a, b = explorer.load(tmp_path / "local"), explorer.load(tmp_path / "dask")
    assert len(b.side_effects) == summary.side_effects + 2 * 9
    for name in PAGE_TABLES:
        left, right = getattr(a, name), getattr(b, name)
        assert len(right) > 0, name
        pd.testing.assert_frame_equal(comparable(right), comparable(left), obj=name)
    # written back in partition order: the same row order as the local ingest, not just the same rows
    pd.testing.assert_series_equal(b.side_effects["source_file"].astype("string"),
                                   a.side_effects["source_file"].astype("string"))
    pd.testing.assert_frame_equal(read_sentences(tmp_path / "dask").astype({"source_file": str, "sha256": str}),
                                  read_sentences(tmp_path / "local").astype({"source_file": str, "sha256": str}))
    assert read_manifest(tmp_path / "dask")["engine"] == "dask"
    assert read_manifest(tmp_path / "dask")["rows"] == read_manifest(tmp_path / "local")["rows"]


@pytest.mark.slow
def test_dask_ingest_of_nothing_writes_an_empty_corpus(tmp_path, cluster):
    (tmp_path / "empty").mkdir()
    report = ingest_dask([tmp_path / "empty"], tmp_path / "out", scheduler_address=cluster.scheduler_address)
    assert report.counts["inputs"] == 0
    assert len(explorer.load(tmp_path / "out").articles) == 0
