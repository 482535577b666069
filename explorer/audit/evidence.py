"""What follows from a phrase's matches: the label facts gathered, their citations, and a status.

One row per match signature (see :mod:`explorer.audit.matching`), so a corpus of a million claims that
repeat a few thousand distinct wordings does this work a few thousand times.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .matching import Signature
from .vocabulary import JOIN, LABEL_VERSIONS, SUPERSEDED_ONLY

def _joined(values) -> str | None:
    vals = [str(v) for v in dict.fromkeys(values) if v is not None and not pd.isna(v) and str(v)]
    return JOIN.join(vals) if vals else None


def _citation(f: dict) -> str:
    inc = "" if pd.isna(f["incidence_percent"]) else f", {f['incidence_percent']:g}%"
    return (f"{f['term']} [{f['category']}{inc}; {f['label_version']} label, section {f['label_section']}; "
            f"{f['evidence']}] {f['source_url']}")


SUMMARY_COLUMNS: tuple[str, ...] = (
    "label_term", "label_category", "incidence_current", "incidence_superseded", "label_version",
    "label_section", "evidence", "source_url", "citation", "match_method", "match_score", "match_note",
    "status")


def summaries(sigs: list[Signature], facts: pd.DataFrame, precedence: dict[str, str],
               none_status: str) -> pd.DataFrame:
    """One row per signature: the matched facts gathered and a status by ``precedence``.

    Row ``i`` describes signature ``i``; row 0 is "no match" (``none_status``, everything else empty).
    """
    records = facts.assign(_drug=facts["product"].astype("string").str.casefold()).astype(
        {c: object for c in ("term", "category", "label_version", "label_section", "evidence", "source_url")}
    ).to_dict("records")
    by_term: dict[tuple[str, str], list[dict]] = {}
    for r in records:
        by_term.setdefault((r["_drug"], r["term"]), []).append(r)
    rows = []
    for sig in sigs:
        if not sig:
            rows.append({"status": none_status, "match_method": "none"})
            continue
        drug, matches = sig
        hit = [f for m in matches for f in by_term.get((drug, m.term), [])]
        current = {f["category"] for f in hit if f["label_version"] == "current"}
        status = next((label for cat, label in precedence.items() if cat in current),
                      SUPERSEDED_ONLY if hit else none_status)
        inc = {v: [f["incidence_percent"] for f in hit if f["category"] == "adverse_reaction"
                   and f["label_version"] == v and not pd.isna(f["incidence_percent"])]
               for v in LABEL_VERSIONS}
        rows.append({
            "label_term": _joined(m.term for m in matches),
            "label_category": _joined(f["category"] for f in hit),
            "incidence_current": max(inc["current"], default=np.nan),
            "incidence_superseded": max(inc["superseded"], default=np.nan),
            "label_version": _joined(f["label_version"] for f in hit),
            "label_section": _joined(f["label_section"] for f in hit),
            "evidence": _joined(f["evidence"] for f in hit),
            "source_url": _joined(f["source_url"] for f in hit),
            "citation": _joined(_citation(f) for f in hit),
            "match_method": _joined(m.method for m in matches),
            "match_score": min(m.score for m in matches),
            "match_note": _joined(m.note for m in matches),
            "status": status,
        })
    out = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    for col in out.columns:
        if col.startswith("incidence") or col == "match_score":
            out[col] = out[col].astype("float64")
        elif col != "status":
            out[col] = out[col].astype("string")
    return out

