"""The label benchmark's steps on a tiny run: import and audit figures, and the table against targets."""
from __future__ import annotations

from explorer.corpus.ingest import ingest
from explorer.devtools.labelbench import format_label_table, measure_label_audit, measure_label_import, part_for
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


def test_table_marks_each_figure_against_its_target():
    table = format_label_table({"labels_per_s": 1500.0, "import_peak_mb": 2000.0, "audit_s": 12.0})
    lines = table.splitlines()
    assert lines[0].startswith("label import speed") and lines[0].endswith("pass")
    assert lines[1].endswith("MISS") and lines[2].endswith("pass") and lines[3].endswith("-")
