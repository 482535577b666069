"""``explorer label-eval incidence``: the drug's incidence from label tables, on real labels.

Two measures on real openFDA labels (``--openfda DIR``, e.g. ``../shared/labels/openfda``):

1. **The hand-checked sample** (``--sample CSV``, ``tests/fixtures/handchecked/claims.csv``): for every
   claim with an ``incidence`` (the drug's own arm, table and dose, written by hand), the incidence the
   label check gives (:class:`explorer.audit.labelcheck.LabelChecker`, which reads it from the label's
   :func:`~explorer.audit.incidence.frequency_table`). A figure is right when it is one of the percents the
   hand-check gives from a table; rows whose incidence the hand-check read only in the text ("6.1 text")
   have no table figure to find, and are counted apart.
2. **Every table of every label** in ``DIR``: how many tables are read, how many rows get a drug-arm
   percent, how many values are set aside and why (placebo, comparator, discontinuation, paediatric, ...).
"""
from __future__ import annotations

import argparse
import csv
import re
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

#: The part of a ``claims.csv`` incidence segment that says it was read in the text, not a table.
_TEXT = re.compile(r"\btext\b", re.I)
_TABLE = re.compile(r"\btable\b", re.I)
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)%")
TOLERANCE = 0.051


def _segments(text: str) -> list[str]:
    """``text`` split at the semicolons outside brackets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if ch == ";" and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


def expected_percents(incidence: str) -> tuple[list[float], bool]:
    """(the percents a table gives, whether the text gives one) from a hand-checked ``incidence`` cell.

    A segment ("6.2% (Table 1, REPATHA arm)") counts as a table's when its brackets name a table, or
    when it follows such a segment without naming the text ("5% (severe heart failure)").

    >>> expected_percents("6.2% (Table 1, REPATHA arm); 2.3% (Table 2, pooled 12-week trials)")
    ([6.2, 2.3], False)
    >>> expected_percents("8.8% (6.1 text, REPATHA arm)")
    ([], True)
    """
    table, text, previous = [], False, False
    for seg in _segments(incidence or ""):
        m = _PERCENT.match(seg)
        if not m:
            text = text or bool(_TEXT.search(seg))
            continue
        if _TABLE.search(seg) or (previous and not _TEXT.search(seg)):
            table.append(float(m.group(1)))
            previous = True
        else:
            text, previous = True, False
    return table, text


def _label_names(labels: pd.DataFrame) -> dict[str, list[str]]:
    from ..labels.rows import LIST_SEPARATOR

    return {key: [n for c in ("brand_names", "generic_names", "substance_names")
                  for n in str(row[c] or "").split(LIST_SEPARATOR) if n]
            for key, row in labels.set_index("key").iterrows()}


def _import(files: list[Path], folder: Path):
    from ..labels.importer import import_labels
    from ..labels.store import LabelStore

    import_labels(files, folder, progress=False, workers=1)
    return LabelStore(folder)


def score_sample(sample: Path, openfda: Path) -> list[dict]:
    """Each row of ``sample`` with an ``incidence``: the percents expected, and what the label check gives."""
    from ..audit.labelcheck import LabelChecker

    with open(sample, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get("incidence") or "").strip()]
    with tempfile.TemporaryDirectory(prefix="incidence-sample-") as tmp:
        store = _import(sorted({openfda / r["label_file"] for r in rows}), Path(tmp) / "store")
        results = LabelChecker(store).check_many([(r["drug"], r["claim"]) for r in rows])
    out = []
    for row, result in zip(rows, results):
        expected, text_only = expected_percents(row["incidence"])
        out.append({**row, "expected": expected, "text_only": text_only and not expected,
                    "found": result.get("incidence_current"), "found_text": result.get("incidence_text"),
                    "evidence": result.get("evidence_text"), "note": result.get("match_note")})
    return out


def grade(value, expected: list[float], text_only: bool) -> str:
    """"right", "wrong" (another figure), "none" (no figure where a table gives one), "text only: none"
    or "text only: a figure"."""
    missing = value is None or (isinstance(value, float) and np.isnan(value))
    if text_only or not expected:
        return "text only: none" if missing else "text only: a figure"
    if missing:
        return "none"
    return "right" if any(abs(float(value) - e) <= TOLERANCE for e in expected) else "wrong"


def table_census(openfda: Path) -> dict:
    """Every table of every label in ``openfda``: :func:`explorer.audit.incidence.summary`."""
    from ..audit.incidence import frequency_table, summary

    files = sorted(openfda.glob("*.json"))
    with tempfile.TemporaryDirectory(prefix="incidence-census-") as tmp:
        store = _import(files, Path(tmp) / "store")
        labels = store.labels()
        names = _label_names(labels)
        others = [n for ns in names.values() for n in ns]
        keys = list(labels["key"])
        freq = frequency_table(store.table_rows(keys), names, store.passages(keys), other_names=others)
    out = summary(freq)
    out["label_files"] = len(files)
    return out


def add_arguments(sub) -> None:
    """The ``incidence`` subcommand of ``explorer label-eval``."""
    s = sub.add_parser("incidence", help="the drug's incidence from label tables, on real labels")
    s.add_argument("--openfda", type=Path, required=True, help="the folder of openFDA label files")
    s.add_argument("--sample", type=Path, default=None,
                   help="a hand-checked sample with an incidence column (tests/fixtures/handchecked/claims.csv)")
    s.add_argument("--misses", action="store_true", help="list every sample row the label check gets wrong")


def run(args: argparse.Namespace) -> int:
    if args.sample is not None:
        rows = score_sample(args.sample, args.openfda)
        grades = Counter(grade(r["found"], r["expected"], r["text_only"]) for r in rows)
        table = sum(grades[g] for g in ("right", "wrong", "none"))
        print(f"hand-checked sample: {len(rows)} claims with an incidence, {table} of them from a table: "
              f"{grades['right']}/{table} right, {grades['wrong']} another figure, {grades['none']} none; "
              f"text only: {grades['text only: none']} none, {grades['text only: a figure']} a figure")
        if args.misses:
            for r in rows:
                g = grade(r["found"], r["expected"], r["text_only"])
                if g not in ("right", "text only: none"):
                    print(f"  {r['drug']}: {r['claim']!r}: expected {r['incidence']!r}; found {r['found_text']} "
                          f"({g}; {str(r['evidence'])[:160]!r})")
    census = table_census(args.openfda)
    print(f"all tables of {census['label_files']} label files ({census['labels']} labels with a table): "
          f"{census['tables']} tables, {census['tables_with_drug_percent']} give a drug-arm percent")
    print(f"  table rows: {census['rows']}; with a drug-arm percent (adult): {census['rows_with_drug_percent']}; "
          f"paediatric only: {census['paediatric_rows']}")
    print(f"  values: {census['values']}; set aside: " + ", ".join(f"{k} {v}" for k, v in census["set_aside"].items()))
    return 0
