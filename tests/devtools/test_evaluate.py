"""``explorer eval``: precision, recall, F1 and tier agreement of the extractors on pages with expected outputs."""
from __future__ import annotations

import json

import pytest

from explorer.cli import main
from explorer.devtools.evaluate import Score, evaluate, format_scores

from ..helpers import FIXTURES

PAGE = """Gabapentin for Anxiety

Common side effects
- Drowsiness
- Dizziness

Serious side effects
- Trouble breathing
"""


def write_case(folder, expected_effects):
    folder.mkdir(exist_ok=True)
    (folder / "01-page.txt").write_text(PAGE, encoding="utf-8")
    (folder / "01-page.expected.json").write_text(json.dumps({
        "drug": "Gabapentin", "condition": "Anxiety", "shapes": ["tier-heading"],
        "side_effects": expected_effects}), encoding="utf-8")


def test_counts_give_precision_recall_f1_and_tier_agreement(tmp_path):
    write_case(tmp_path / "pages", [
        {"name": "drowsiness", "tier": "Common side effects", "severity": "common", "from_prose": False},
        {"name": "Dizziness", "tier": "Common side effects", "severity": "rare", "from_prose": False},  # tier off
        {"name": "Blurred vision", "tier": "Common side effects", "severity": "common", "from_prose": False}])
    total, by_shape, misses = evaluate(tmp_path / "pages")
    assert (total.expected, total.predicted, total.matched, total.severity_agrees) == (3, 3, 2, 1)
    assert (round(total.precision, 3), round(total.recall, 3), total.tier_agreement) == (0.667, 0.667, 0.5)
    assert by_shape["tier-heading"].matched == 2 and (total.drug_right, total.condition_right) == (1, 1)
    kinds = sorted(kind for kind, _ in misses["01-page.txt"])
    assert kinds == ["extra", "missed", "severity"]  # Trouble breathing extra, Blurred vision missed


def test_an_empty_score_reads_as_perfect_rather_than_dividing_by_zero():
    assert (Score().precision, Score().recall, Score().tier_agreement) == (1.0, 1.0, 1.0)
    assert "TOTAL" in format_scores(Score(), {})


@pytest.mark.parametrize("folder, at_least", [("general", 40), ("general-holdout", 24), ("general-holdout-2", 20)])
def test_the_command_prints_the_table_and_meets_the_targets_on_the_test_sets(capsys, folder, at_least):
    assert main(["eval", str(FIXTURES / folder)]) == 0
    out = capsys.readouterr().out
    total = next(line for line in out.splitlines() if line.startswith("TOTAL")).split()
    pages, expected, precision, recall, f1 = int(total[1]), int(total[2]), *map(float, total[4:7])
    assert pages >= at_least and expected >= 5 * at_least
    assert precision >= 0.95 and f1 >= 0.90  # the targets, on pages written for the tests


def test_the_command_on_a_folder_without_expected_files_exits_2(tmp_path, capsys):
    assert main(["eval", str(tmp_path)]) == 2
    assert "no page with a NAME.expected.json" in capsys.readouterr().err
