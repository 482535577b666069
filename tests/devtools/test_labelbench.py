"""The label benchmark's steps on a tiny run: import and audit figures, and the table against targets."""
from __future__ import annotations

from explorer.corpus.ingest import ingest
from pathlib import Path

from explorer.devtools.labelbench import (
    describe_label_row, format_label_table, label_targets_missed, measure_label_audit, measure_label_import, part_for, run_label_bench)
from explorer.devtools.synth import synthesize


def test_import_and_audit_steps_measure_what_they_say(tmp_path):
    part = part_for(30, 5, tmp_path)
    assert part_for(30, 5, tmp_path) == part  # written once, then reused
    imported = measure_label_import(part, tmp_path / "store")
    assert imported["labels_imported"] == 30 and imported["labels_failed"] == 0
    assert imported["labels_per_s"] > 0 and imported["import_peak_mb"] > 0
    synthesize(40, tmp_path / "pages", seed=3)
    ingest([tmp_path / "pages"], tmp_path / "corpus", workers=1, progress=False)
    audited = measure_label_audit(tmp_path / "corpus", tmp_path / "store")
    assert audited["audit_claims"] > 0 and audited["audit_s"] > 0
    assert sum(audited["claims_by_status"].values()) == audited["audit_claims"]


def test_the_bench_runs_the_one_process_baseline_and_the_default_import_in_fresh_processes(tmp_path, monkeypatch):
    from explorer.devtools import bench
    from explorer.labels import importer

    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[2]))
    synthesize(20, tmp_path / "pages", seed=1)
    ingest([tmp_path / "pages"], tmp_path / "corpus", workers=1, progress=False)
    steps = []

    def child(step, **kwargs):
        steps.append((step, kwargs.get("workers")))
        return bench._child(step, **kwargs)

    row = run_label_bench(40, 4, tmp_path, tmp_path / "corpus", 0, child)
    assert steps == [("label_import", 1), ("label_import", None), ("label_audit", None)]
    assert row["labels_imported"] == 40 and row["baseline_labels_per_s"] > 0 and row["audit_claims"] > 0
    # 40 small labels are far below the size that gets worker processes: the figures say one process
    assert 40 * 40_000 < importer.PARALLEL_FROM_BYTES and row["import_workers"] == 1
    assert row["import_worker_peak_mb"] == 0 and row["import_peak_mb"] == row["import_own_peak_mb"]
    text = describe_label_row(row, 20)
    assert "40 labels (4 drugs)" in text and "one process (baseline, same run)" in text


def test_table_marks_each_figure_against_its_target():
    row = {"labels_per_s": 1500.0, "import_peak_mb": 2000.0, "audit_s": 12.0, "audit_peak_mb": 900.0}
    lines = format_label_table(row).splitlines()
    assert lines[0].startswith("label import speed") and lines[0].endswith("pass")
    assert lines[1].endswith("MISS") and lines[2].endswith("pass") and lines[3].endswith("(no target)")
    assert label_targets_missed(row)
    assert not label_targets_missed({**row, "import_peak_mb": 500.0})
    assert format_label_table({}).splitlines()[0].endswith("-")  # a figure not measured is neither
