"""``explorer label-eval incidence``: the drug's incidence from label tables, measured before and after.

Two measures on real openFDA labels (``--openfda DIR``, e.g. ``../shared/labels/openfda``):

1. **The hand-checked sample** (``--sample CSV``, ``tests/fixtures/handchecked/claims.csv``): for every
   claim with an ``incidence`` (the drug's own arm, table and dose, written by hand), the incidence the
   label check finds, *before* (:class:`explorer.audit.labelcheck.LabelChecker`, today's
   ``incidence_of`` / ``drug_columns``) and *after* (:class:`explorer.audit.incidence.IncidenceIndex` over
   the label's :func:`~explorer.audit.incidence.frequency_table`). The terms looked up after are the
   ones today's matching finds listed in the label (the claim's words, its lay terms, OnSIDES terms);
   a second *after* adds the term the hand-check quotes from the table row. A figure is right when it
   is one of the percents the hand-check gives from a table (several where several tables give one:
   the lookup answers the highest); rows whose incidence the hand-check read only in the text (``6.1
   text``) have no table figure to find, and are counted apart.
2. **Every table of every label** in ``DIR``: how many tables are read, how many rows get a drug-arm
   percent, how many values are set aside and why (placebo, comparator, discontinuation, paediatric,
   ...); and, row by row, what today's reading gives where it differs.
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
_ROW_TERM = re.compile(r"row \"([^\"|]+?)\s*\|")
_QUOTED = re.compile(r"\"([^\"|]+)\"")
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


def _table_term(row: dict) -> str | None:
    """The term the hand-check quotes from a table row ("Table 2 row \"Chills | 33 | 3\"")."""
    m = _ROW_TERM.search(row.get("label_words") or "")
    if m:
        return m.group(1)
    m = _QUOTED.search(row.get("incidence") or "")
    return m.group(1) if m else None


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


def _matched_forms(checker, key: str, claim: str) -> list[tuple[str, ...]]:
    """The folded words of every form of ``claim`` (its words, lay terms, OnSIDES term) that today's
    matching finds listed in the label ``key``."""
    from ..audit.fulltext import phrase_words
    from ..audit.labelcheck import _PARTS
    from ..audit.matching import normalise

    text = checker.text(key)
    phrases = [claim] + [p for p in _PARTS.split(claim) if phrase_words(p) and p != claim]
    out = []
    for phrase in phrases:
        forms = [phrase] + [t for t, _ in checker.lay.get(normalise(phrase), ())]
        onsides = checker._onsides.get(key, {})
        if normalise(phrase) in onsides:
            forms.append(onsides[normalise(phrase)])
        for form in forms:
            words = phrase_words(form)
            if words and words not in out and any(o.listing for o in text.find(words)):
                out.append(words)
    return out


def score_sample(sample: Path, openfda: Path) -> list[dict]:
    """Each row of ``sample`` with an ``incidence``: the percents expected, and what before and after give."""
    from ..audit.incidence import IncidenceIndex, frequency_table
    from ..audit.labelcheck import LabelChecker
    from ..audit.fulltext import phrase_words

    with open(sample, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get("incidence") or "").strip()]
    files = sorted({r["label_file"] for r in rows})
    absent = [f for f in files if not (openfda / f).is_file()]
    if absent:
        raise FileNotFoundError(f"{openfda}: no {absent[0]} (named in {sample})")
    with tempfile.TemporaryDirectory(prefix="incidence-eval-") as tmp:
        store = _import([openfda / f for f in files], Path(tmp) / "store")
        checker = LabelChecker(store)
        labels = store.labels()
        names = _label_names(labels)
        others = [n for ns in names.values() for n in ns]
        before = checker.check_many([(r["drug"], r["claim"]) for r in rows])
        out = []
        indexes: dict[str, IncidenceIndex] = {}
        for row, result in zip(rows, before):
            resolution = checker.index.resolve(row["drug"])
            key = resolution.key if resolution.found else None
            expected, text = expected_percents(row["incidence"])
            record = {**row, "expected": expected, "text_only": not expected and text,
                      "before": result.get("incidence_current"), "after": None, "after_term": None,
                      "first_table": None}
            if key is not None:
                if key not in indexes:
                    freq = frequency_table(store.table_rows([key]), names.get(key, ()), store.passages([key]),
                                           other_names=others)
                    indexes[key] = IncidenceIndex(freq)
                index = indexes[key]
                forms = _matched_forms(checker, key, row["claim"])
                record["after"], record["after_cite"] = _highest(index, forms)
                term = _table_term(row)
                if term and phrase_words(term) not in forms:
                    forms = forms + [phrase_words(term)]
                record["after_term"], record["after_term_cite"] = _highest(index, forms)
                record["first_table"] = _first_table(index, forms)
            out.append(record)
    return out


def _highest(index, forms) -> tuple[float | None, str | None]:
    found = [f for f in (index.lookup(w) for w in forms) if f is not None]
    if not found:
        return None, None
    best = max(found, key=lambda f: (f.high, not f.bound))
    return best.high, best.cite


def _first_table(index, forms) -> float | None:
    """The figure of the first table (in label order) that gives one: the alternative to the highest."""
    from ..labels.records import SECTION_KEYS

    found = [f for f in (index.lookup(w) for w in forms) if f is not None]
    if not found:
        return None
    rows = pd.concat([f.rows for f in found])
    rank = rows["section"].map({s: i for i, s in enumerate(SECTION_KEYS)}).fillna(len(SECTION_KEYS))
    first = rows.assign(_rank=rank).sort_values(["_rank", "position", "table"], kind="stable").iloc[0]
    same = rows[(rows["section"] == first["section"]).to_numpy() & (rows["position"] == first["position"]).to_numpy()
                & (rows["table"] == first["table"]).to_numpy()]
    return float(same["percent_high"].max())


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
    """Every table of every label in ``openfda``: :func:`explorer.audit.incidence.summary`, and row by
    row what today's reading (``drug_columns`` + ``incidence_of``) gives against the new one."""
    from ..audit.fulltext import drug_columns, incidence_of
    from ..audit.incidence import frequency_table, summary

    files = sorted(openfda.glob("*.json"))
    with tempfile.TemporaryDirectory(prefix="incidence-census-") as tmp:
        store = _import(files, Path(tmp) / "store")
        labels = store.labels()
        names = _label_names(labels)
        others = [n for ns in names.values() for n in ns]
        keys = list(labels["key"])
        rows = store.table_rows(keys)
        freq = frequency_table(rows, names, store.passages(keys), other_names=others)
    out = summary(freq)
    out["label_files"] = len(files)
    # today's reading, row by row
    today: dict[tuple, float] = {}
    tables: dict[tuple, tuple] = {}
    for key, section, position, table, caption, part, row, cells in zip(*(rows[c] for c in (
            "key", "section", "position", "table", "caption", "part", "row", "cells"))):
        entry = tables.setdefault((key, section, int(position), int(table)), (caption, [], []))
        entry[1 if part == "header" else 2].append((int(row), list(cells)))
    for (key, section, position, table), (caption, head, body) in tables.items():
        header = [c for _, c in sorted(head, key=lambda r: r[0])]
        columns = drug_columns(header, names.get(key, []))
        caption = caption if isinstance(caption, str) and caption.strip() else None
        for r, cells in body:
            if cells and str(cells[0]).strip():
                inc = incidence_of(cells, columns, caption)
                if inc is not None:
                    today[(key, section, position, table, r)] = inc.high
    usable = freq[freq["set_aside"].isna().to_numpy() & (freq["population"] != "paediatric").to_numpy()]
    keys5 = ["key", "section", "position", "table", "row"]
    pooled = usable.groupby(keys5, sort=False)["arm_kind"].transform(lambda k: (k == "pooled").any())
    usable = usable[(~pooled | (usable["arm_kind"] == "pooled")).to_numpy()]
    new = usable.groupby(keys5)["percent_high"].max().to_dict()
    # what the values today's reading took are, in the new reading
    kinds = freq.set_index(keys5)
    why = Counter()
    for k, v in today.items():
        if k in new and abs(new[k] - v) <= TOLERANCE:
            why["same"] += 1
            continue
        try:
            cells = kinds.loc[[k]]
        except KeyError:
            why["today only: a row the new reading does not read"] += 1
            continue
        same = cells[(cells["percent_high"] - v).abs() <= TOLERANCE]
        reasons = sorted({str(x) for x in same["set_aside"].dropna()} |
                         ({"paediatric"} if (same["population"] == "paediatric").any() else set()))
        label = ("today takes a value set aside as " + " / ".join(reasons)) if reasons else (
            "a different drug-arm value" if k in new else "today only")
        why[label] += 1
    out["today_rows_with_percent"] = len(today)
    out["new_rows_with_percent"] = len(new)
    out["today_vs_new"] = dict(why.most_common())
    return out


def add_arguments(sub) -> None:
    """The ``incidence`` subcommand of ``explorer label-eval``."""
    s = sub.add_parser("incidence", help="the drug's incidence from label tables, before and after")
    s.add_argument("--openfda", type=Path, required=True, help="the folder of openFDA label files")
    s.add_argument("--sample", type=Path, default=None,
                   help="a hand-checked sample with an incidence column (tests/fixtures/handchecked/claims.csv)")
    s.add_argument("--misses", action="store_true", help="list every sample row the lookup gets wrong")


def run(args: argparse.Namespace) -> int:
    if args.sample is not None:
        rows = score_sample(args.sample, args.openfda)
        print(f"hand-checked sample: {len(rows)} claims with an incidence, "
              f"{sum(1 for r in rows if r['expected'])} of them from a table")
        for col, title in (("before", "before (today's incidence_of / drug_columns)"),
                           ("after", "after (frequency table, terms today's matching finds)"),
                           ("after_term", "after, with the hand-checked table term added"),
                           ("first_table", "the same, the first table's figure instead of the highest")):
            grades = Counter(grade(r[col], r["expected"], r["text_only"]) for r in rows)
            table = sum(grades[g] for g in ("right", "wrong", "none"))
            print(f"  {title}: {grades['right']}/{table} right, {grades['wrong']} another figure, "
                  f"{grades['none']} none; text only: {grades['text only: none']} none, "
                  f"{grades['text only: a figure']} a figure")
        if args.misses:
            for r in rows:
                g = grade(r["after_term"], r["expected"], r["text_only"])
                if g not in ("right", "text only: none"):
                    print(f"  {r['drug']}: {r['claim']!r}: expected {r['incidence']!r}; before {r['before']}, "
                          f"after {r['after']}, with term {r['after_term']} ({g}; {r.get('after_term_cite')})")
    census = table_census(args.openfda)
    print(f"all tables of {census['label_files']} label files ({census['labels']} labels with a table): "
          f"{census['tables']} tables, {census['tables_with_drug_percent']} give a drug-arm percent")
    print(f"  table rows: {census['rows']}; with a drug-arm percent (adult): {census['rows_with_drug_percent']}; "
          f"paediatric only: {census['paediatric_rows']}")
    print(f"  values: {census['values']}; set aside: " + ", ".join(f"{k} {v}" for k, v in census["set_aside"].items()))
    print(f"  today's reading gives a percent for {census['today_rows_with_percent']} rows, the new one for "
          f"{census['new_rows_with_percent']}; where today's differs: "
          + "; ".join(f"{k}: {v}" for k, v in census["today_vs_new"].items()))
    return 0
