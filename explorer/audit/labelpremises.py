"""The pages' premises checked against the full text of the drug's imported label, with the evidence.

A page "<Drug> for <Condition>", and each of its related links, presents the drug as being for a
condition. With a label held, the condition is searched in the label's text the way claims are
(:mod:`explorer.audit.labelcheck`: its words, lay terms, the curated synonyms, the same precision guards)
and classified by where the label names it, in this order: "approved indication" (Indications and
Usage), "label contraindication", "label warning" (boxed warning, warnings and precautions, warnings,
precautions), "listed adverse reaction" (the condition is itself a side effect of the drug); otherwise
"not among the indications" (the whole label was searched). The sentence that names it is the evidence.
Drugs without a label keep the curated facts' result (:func:`explorer.audit.premises.premises_table`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..labels.records import DAILYMED_URL
from ..labels.store import LabelStore
from .guards import POPULATION
from .labelcheck import LABEL_COLUMNS, LabelChecker
from .terms import lay_key
from .vocabulary import NO_LABEL, NOT_INDICATED, PREMISE_DTYPE

#: Section -> premise status, most telling first.
PREMISE_SECTIONS: dict[str, str] = {
    "indications_and_usage": "approved indication", "contraindications": "label contraindication",
    "boxed_warning": "label warning", "warnings_and_cautions": "label warning", "warnings": "label warning",
    "precautions": "label warning", "adverse_reactions": "listed adverse reaction"}
PREMISE_RANK = ("approved indication", "label contraindication", "label warning", "listed adverse reaction")


def check_premise(checker: LabelChecker, drug: str, condition: str) -> dict:
    """The premises-table columns for one condition a page presents ``drug`` as being for."""
    resolution = checker.index.resolve(drug)
    if not resolution.found:
        return {"status": NO_LABEL, "resolution": resolution.note, "match_method": "none"}
    text = checker.text(resolution.key)
    label = checker.by_key.loc[resolution.key]
    forms = [(condition, "normalised", None)]
    forms += [(t, "lay term", n) for t, n in checker.lay.get(lay_key(condition), ())]
    best = None
    for words, method, note in forms:
        for occ in text.find(words):
            status = PREMISE_SECTIONS.get(occ.sentence.section)
            # a contraindication naming the patients it excludes is exactly what a premise is checked against
            named = occ.verdict == POPULATION and occ.sentence.section == "contraindications"
            if (occ.listing or named) and status and (
                    best is None or PREMISE_RANK.index(status) < PREMISE_RANK.index(best[0])):
                best = (status, occ, method, note)
    url = DAILYMED_URL.format(set_id=label["set_id"])
    identity = {"label_source": "label text", "label_set_id": label["set_id"],
                "label_version_number": label["version"], "label_effective_time": label["effective_time"],
                "label_url": url, "resolution": resolution.note, "source_url": url,
                "label_version": "current", "evidence": "label text"}
    if best is None:
        return {**identity, "status": NOT_INDICATED, "match_method": "none"}
    status, occ, method, note = best
    s = occ.sentence
    section = " ".join(x for x in (s.number, s.heading) if isinstance(x, str) and x) or s.section
    return {**identity, "status": status, "label_term": condition if method == "normalised" else None,
            "label_section": s.section, "match_method": method, "match_score": 100.0, "match_note": note,
            "evidence_text": s.text, "evidence_section": section,
            "citation": f"{s.text} [{section}; label {label['set_id']} version {label['version']}, "
                        f"effective {label['effective_time']}]"}


_OVERRIDDEN = ("label_term", "label_category", "label_version", "label_section", "evidence", "source_url",
               "citation", "match_method", "match_score", "match_note", "status")


def label_premises_table(articles: pd.DataFrame, related: pd.DataFrame, store: LabelStore,
                         facts: pd.DataFrame | None = None, synonyms: pd.DataFrame | None = None,
                         reference_dir=None) -> pd.DataFrame:
    """Every premise checked against its drug's imported label, else against the curated facts.

    Each row represents one premise: the columns of :func:`explorer.audit.premises.premises_table`
    plus :data:`explorer.audit.labelcheck.LABEL_COLUMNS`. A drug with a label held gets the label-text
    status and evidence; one without keeps the curated facts' result where they name the drug, and
    "no label held for this drug" otherwise. Each unique (drug, condition) is checked once.
    """
    from .premises import premises_table
    from .reference import load_label_facts

    facts = load_label_facts() if facts is None else facts
    base = premises_table(articles, related, facts, synonyms)
    checker = LabelChecker(store, **({"reference_dir": reference_dir} if reference_dir is not None else {}))
    checker.prepare(base["premise_drug"].astype(str).unique())
    curated = set(facts["product"].astype(str).str.casefold())
    codes, uniques = pd.MultiIndex.from_frame(base[["premise_drug", "premise_condition"]].astype(str)).factorize()
    results = [check_premise(checker, d, c) for d, c in uniques]
    override = np.array([r.get("label_source") == "label text" or d.casefold() not in curated
                         for (d, _), r in zip(uniques, results)], dtype=bool)
    rows = override[codes]
    out = base.copy()
    for col in _OVERRIDDEN:
        new = np.asarray([results[i].get(col) for i in codes], dtype=object)
        current = out[col].astype(object).to_numpy().copy()
        current[rows] = new[rows]
        out[col] = current
    out["status"] = pd.Categorical(out["status"], dtype=PREMISE_DTYPE)
    out["match_score"] = pd.to_numeric(out["match_score"], errors="coerce").astype("float64")
    for col in LABEL_COLUMNS:
        values = np.asarray([results[i].get(col) for i in codes], dtype=object)
        labelled = np.asarray([results[i].get("label_source") == "label text" for i in codes], dtype=bool)
        if col == "label_source":
            values = np.where(labelled, values, np.where(rows, None, "curated facts"))
        elif col != "resolution":
            values = np.where(labelled, values, None)
        out[col] = pd.Series(values, dtype=object).astype("string")
    for col in ("label_term", "label_category", "label_version", "label_section", "evidence", "source_url",
                "citation", "match_method", "match_note"):
        out[col] = out[col].astype("string")
    return out
