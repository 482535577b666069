"""Synthetic labels for the label benchmark: reproducible, real-sized, importable, naming the synthetic drugs."""
from __future__ import annotations

import json
import zipfile

from explorer.devtools.labelsynth import SYNTHETIC_NOTE, synth_label, write_openfda_part
from explorer.devtools.synth import DRUGS
from explorer.labels.importer import import_labels
from explorer.labels.store import LabelStore


def test_a_label_depends_only_on_its_number_and_seed():
    assert synth_label(7) == synth_label(7)
    assert synth_label(7) != synth_label(8) and synth_label(7, seed=1) != synth_label(7)


def test_labels_are_about_the_size_of_real_ones_and_say_they_are_synthetic():
    sizes = [len(json.dumps(synth_label(i))) for i in range(20)]
    assert 20_000 < min(sizes) and max(sizes) < 80_000
    assert all(SYNTHETIC_NOTE in synth_label(i)["indications_and_usage"][0] for i in range(5))


def test_labels_cover_the_given_number_of_synthetic_drugs():
    brands = {synth_label(i, drugs=3)["openfda"]["brand_name"][0] for i in range(12)}
    assert brands == set(DRUGS[:3])


def test_a_bulk_part_imports_every_label(tmp_path):
    part = write_openfda_part(tmp_path / "drug-label-0001-of-0001.json.zip", 12, drugs=4)
    assert zipfile.ZipFile(part).namelist() == ["drug-label-0001-of-0001.json"]
    report = import_labels([part], tmp_path / "store", progress=False)
    assert report.counts == {"imported": 12}
    labels = LabelStore(tmp_path / "store").labels()
    assert set(labels["brand_names"]) == set(DRUGS[:4]) and labels["set_id"].is_unique
