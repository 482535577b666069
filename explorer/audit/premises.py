"""The pages' premises: each condition a page presents its drug as being "for", checked against the label.

A page "<Drug> for <Condition>" presents the drug as being for the condition; so does each of its
related links.
"""
from __future__ import annotations

import pandas as pd

from .claims import _facts_or_default
from .evidence import summaries
from .matching import pair_codes, signatures
from .reference import load_synonyms
from .vocabulary import CATEGORIES, PREMISE_DTYPE, PREMISE_PRECEDENCE

PREMISE_COLUMNS: tuple[str, ...] = (
    "source_file", "sha256", "line", "drug", "condition", "origin", "premise_drug", "premise_condition",
    "label_term", "label_category", "label_version", "label_section", "evidence", "source_url",
    "citation", "match_method", "match_score", "match_note", "status")


def premises_table(articles: pd.DataFrame, related: pd.DataFrame, facts: pd.DataFrame | None = None,
                   synonyms: pd.DataFrame | None = None) -> pd.DataFrame:
    """Classify each page's condition and each related condition against the drug's label facts.

    A page "<Drug> for <Condition>" presents the drug as being for the condition; so does each of its
    related links. When a condition matches several facts the status follows
    :data:`PREMISE_PRECEDENCE` (indication, contraindication, warning, adverse reaction, among facts
    of the current label), then "superseded label only", else "none of the captured label facts".

    Returns
    -------
    pd.DataFrame
        Each row represents one premise: a page's own condition (origin "page", line of its title) or
        one of its related links (origin "related link", line of the link); a page that names no
        condition has no row of its own. Columns: source_file,
        sha256, line, drug and condition (of the page), origin, premise_drug, premise_condition (the
        condition checked), label_term, label_category, label_version, label_section, evidence,
        source_url, citation, match_method, match_score, match_note, status (:data:`PREMISE_LEVELS`).
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
    summary = summaries(sigs, facts, PREMISE_PRECEDENCE, "none of the captured label facts")
    summary = summary.drop(columns=["incidence_current", "incidence_superseded"])
    picked = summary.iloc[pair_sig[codes]].reset_index(drop=True)
    out = pd.concat([rows, picked], axis=1)
    for col in ("source_file", "sha256", "drug", "condition", "origin", "premise_drug"):
        out[col] = out[col].astype("category")
    out["status"] = out["status"].astype(PREMISE_DTYPE)
    return out.loc[:, list(PREMISE_COLUMNS)]

