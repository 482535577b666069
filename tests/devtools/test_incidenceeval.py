"""explorer.devtools.incidenceeval: the drug's incidence from label tables, measured on real labels.

The fast tests read the hand-check's incidence cells; the slow test measures the real labels of
``../shared/labels/openfda`` (skipped, with a message, where the shared data is not beside the clone).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from explorer.devtools.incidenceeval import expected_percents, grade, score_sample, table_census

ROOT = Path(__file__).resolve().parents[2]
OPENFDA = ROOT.parent / "shared" / "labels" / "openfda"
SAMPLE = ROOT / "tests" / "fixtures" / "handchecked" / "claims.csv"


@pytest.mark.parametrize("cell, expected", [
    ("22% (Table 7, RITUXAN, pemphigus vulgaris)", ([22.0], False)),
    ("31% (Table 3, VIMPAT total; 16% at 200 mg/day, 30% at 400 mg/day); the first column is placebo", ([31.0], False)),
    ("12% (Table 1, COREG arm, mild-to-moderate heart failure); 5% (severe heart failure); 2% (Table 2, hypertension)",
     ([12.0, 5.0, 2.0], False)),
    ("1.5% (MERIT-HF table, metoprolol arm); 6.6% (6.1 text, post-operative trial)", ([1.5], True)),
    ("about 1 in 70 patients (ADVERSE REACTIONS text)", ([], True)),
])
def test_the_hand_checked_incidence_cells_are_read(cell, expected):
    assert expected_percents(cell) == expected


def test_grades():
    assert grade(16.0, [16.0, 12.0], False) == "right"
    assert grade(25.0, [16.0], False) == "wrong"
    assert grade(None, [16.0], False) == "none" and grade(float("nan"), [16.0], False) == "none"
    assert grade(None, [], True) == "text only: none" and grade(3.0, [], True) == "text only: a figure"


@pytest.mark.slow
def test_the_incidence_of_the_hand_checked_sample_and_of_every_real_table():
    if not OPENFDA.is_dir():
        pytest.skip(f"{OPENFDA} is not here (it comes with the project's shared data, not with a clone)")
    rows = score_sample(SAMPLE, OPENFDA)
    from_table = [r for r in rows if r["expected"]]
    assert len(rows) == 83 and len(from_table) == 70
    grades = [grade(r["found"], r["expected"], r["text_only"]) for r in rows]
    # measured 2026-12-07 through the label check: 60/70 (the reading before issue 17: 24/70)
    assert grades.count("right") >= 58
    # a figure where the hand-check found one only in the text, never
    assert "text only: a figure" not in grades
    census = table_census(OPENFDA)
    assert census["label_files"] == 357 and census["tables"] > 1100
    assert census["rows_with_drug_percent"] > 13000
    for reason in ("placebo", "comparator", "discontinuation", "grade"):
        assert census["set_aside"][reason] > 0
    assert census["paediatric_rows"] > 0
