"""The Dask ingest writes the same corpus as the local ingest (on a two-process LocalCluster)."""
from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

import explorer  # noqa: E402
from explorer.ingest import ingest  # noqa: E402
from explorer.distributed import ingest_dask  # noqa: E402
from explorer.store import read_manifest  # noqa: E402
from explorer.synth import synthesize  # noqa: E402

PAGES = 200


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as c:
        yield c


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("source_file", "line", "position", "name", "related_condition") if c in df.columns]
    out = df.astype({c: "string" for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)
                     and c != "severity"})
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def test_dask_ingest_equals_local_ingest(tmp_path, cluster, monkeypatch):
    monkeypatch.chdir(tmp_path)  # relative paths, as a user would type them, on both sides
    summary = synthesize(PAGES, tmp_path / "pages", seed=21)
    local = ingest(["pages"], "local", workers=1, progress=False)
    # chunk_size 40 -> five partitions spread over the two workers, written back in order
    remote = ingest_dask(["pages"], "dask", scheduler_address=cluster.scheduler_address, chunk_size=40)

    assert remote.counts == local.counts
    assert remote.counts["failed"] == summary.broken > 0
    pd.testing.assert_frame_equal(remote.files.reset_index(drop=True), local.files.reset_index(drop=True))

    a, b = explorer.load(tmp_path / "local"), explorer.load(tmp_path / "dask")
    assert len(b.side_effects) == summary.side_effects
    for name in ("articles", "sections", "side_effects", "advice", "related"):
        left, right = getattr(a, name), getattr(b, name)
        assert len(right) > 0, name
        pd.testing.assert_frame_equal(_sorted(right), _sorted(left), check_categorical=False, obj=name)
    # written back in partition order: the same row order as the local ingest, not just the same rows
    pd.testing.assert_series_equal(b.side_effects["source_file"].astype("string"),
                                   a.side_effects["source_file"].astype("string"))
    assert read_manifest(tmp_path / "dask")["engine"] == "dask"
    assert read_manifest(tmp_path / "dask")["rows"] == read_manifest(tmp_path / "local")["rows"]


def test_dask_ingest_of_nothing_writes_an_empty_corpus(tmp_path, cluster):
    (tmp_path / "empty").mkdir()
    report = ingest_dask([tmp_path / "empty"], tmp_path / "out", scheduler_address=cluster.scheduler_address)
    assert report.counts["inputs"] == 0
    assert len(explorer.load(tmp_path / "out").articles) == 0
