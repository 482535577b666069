"""The pages' premises: each condition a page presents its drug as being "for", checked against the label.

A page "<Drug> for <Condition>" presents the drug as being for the condition; so does each of its
related links. The question a premise asks is whether the drug is approved for the condition: "approved
indication", "contraindicated", or, from the curated facts (which are partial), "not among the captured
indications"; a warning or an adverse reaction that names the condition is a note beside the status
(``premise_note``), never the status. Against an imported label's full text, see
:mod:`explorer.audit.labelpremises`.
"""
from __future__ import annotations

import pandas as pd

from .claims import _facts_or_default
from .evidence import summaries
from .matching import pair_codes, signatures
from .reference import load_synonyms
from .vocabulary import (CATEGORIES, NOT_CAPTURED_INDICATION, PREMISE_DTYPE, PREMISE_NOTE_DTYPE, PREMISE_NOTE_OF,
                         PREMISE_PRECEDENCE)

PREMISE_COLUMNS: tuple[str, ...] = (
    "source_file", "sha256", "line", "drug", "condition", "origin", "premise_drug", "premise_condition",
    "label_term", "label_category", "label_version", "label_section", "evidence", "source_url",
    "citation", "match_method", "match_score", "match_note", "status", "premise_note")


def premises_table(articles: pd.DataFrame, related: pd.DataFrame, facts: pd.DataFrame | None = None,
                   synonyms: pd.DataFrame | None = None) -> pd.DataFrame:
    """Classify each page's condition and each related condition against the drug's label facts.

    A page "<Drug> for <Condition>" presents the drug as being for the condition; so does each of its
    related links. When a condition matches several facts the status follows
    :data:`PREMISE_PRECEDENCE` among facts of the current label: an indication makes it "approved
    indication", a contraindication "contraindicated"; a warning or adverse reaction only, or no fact,
    "not among the captured indications"; facts of a superseded label only, "superseded label only".
    ``premise_note`` is "also a warning" when a current warning fact matches, else "also an adverse
    reaction" when a current adverse-reaction fact does.

    Returns
    -------
    pd.DataFrame
        Each row represents one premise: a page's own condition (origin "page", line of its title) or
        one of its related links (origin "related link", line of the link); a page that names no
        condition has no row of its own. Columns: source_file,
        sha256, line, drug and condition (of the page), origin, premise_drug, premise_condition (the
        condition checked), label_term, label_category, label_version, label_section, evidence,
        source_url, citation, match_method, match_score, match_note, status (:data:`PREMISE_LEVELS`),
        premise_note (:data:`PREMISE_NOTES`, or missing).
    """
    facts = _facts_or_default(facts)
    synonyms = load_synonyms() if synonyms is None else synonyms

    def part(df: pd.DataFrame, origin: str, drug: str, condition: str) -> pd.DataFrame:
        return pd.DataFrame({
            "source_file": df["source_file"].astype("string"), "sha256": df["sha256"].astype("string"),
            "line": df["line"].astype("int64"), "drug": df["drug"].astype("string"),
            "condition": df["condition"].astype("string"), "origin": origin,
            "premise_drug": df[drug].astype("string"), "premise_condition": df[condition].astype("string")})

    rows = pd.concat([part(articles, "page", "drug", "condition"),
                      part(related, "related link", "related_drug", "related_condition")], ignore_index=True)
    # A page that names no condition (read by the general extractor) presents no premise to check
    rows = rows[rows["premise_condition"].notna().to_numpy()].reset_index(drop=True)
    codes, drugs, phrases = pair_codes(rows["premise_drug"], rows["premise_condition"])
    pair_sig, sigs = signatures(drugs, phrases, facts, synonyms, CATEGORIES)
    summary = summaries(sigs, facts, PREMISE_PRECEDENCE, NOT_CAPTURED_INDICATION)
    summary = summary.drop(columns=["incidence_current", "incidence_superseded"])
    summary["premise_note"] = pd.Categorical(_notes(sigs, facts), dtype=PREMISE_NOTE_DTYPE)
    picked = summary.iloc[pair_sig[codes]].reset_index(drop=True)
    out = pd.concat([rows, picked], axis=1)
    for col in ("source_file", "sha256", "drug", "condition", "origin", "premise_drug"):
        out[col] = out[col].astype("category")
    out["status"] = out["status"].astype(PREMISE_DTYPE)
    return out.loc[:, list(PREMISE_COLUMNS)]


def _notes(sigs: list, facts: pd.DataFrame) -> list[str | None]:
    """The note of each signature: the first of :data:`PREMISE_NOTE_OF` among its current-label facts."""
    current = facts[facts["label_version"].astype(str) == "current"]
    categories: dict[tuple[str, str], set[str]] = {}
    for drug, term, category in zip(current["product"].astype(str).str.casefold(), current["term"].astype(str),
                                    current["category"].astype(str)):
        categories.setdefault((drug, term), set()).add(category)
    out: list[str | None] = []
    for sig in sigs:
        found = set() if not sig else {c for m in sig[1] for c in categories.get((sig[0], m.term), ())}
        out.append(next((note for category, note in PREMISE_NOTE_OF.items() if category in found), None))
    return out
