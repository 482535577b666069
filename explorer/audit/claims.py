"""Side-effect claims checked against a drug's label facts, and whether the page's tier agrees.

:func:`claims_table` gives one row per claim of a page: its matched label terms, their citations, a
status (:data:`~explorer.audit.vocabulary.STATUS_LEVELS`) and a tier check (:func:`tier_check`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..corpus.tables import SEVERITY_DTYPE
from .evidence import SUMMARY_COLUMNS, summaries
from .matching import match_phrases, pair_codes, signatures
from .reference import load_label_facts, load_synonyms
from .vocabulary import (CLAIM_PRECEDENCE, JOIN, NOT_CAPTURED, STATUS_DTYPE, TIER_CHECK_DTYPE, TIER_CHECKS, UNMATCHED,
                         TierCheck)

# --- the tier check (the rule, in one place) ------------------------------------------------------

#: Label incidences (percent of trial users) each page tier accepts. Page tiers are relative words, not
#: the CIOMS frequency bands (very common >= 10%, common 1-10%, uncommon 0.1-1%, rare < 0.1%), so each
#: accepts more than one band: common = CIOMS common or very common; less common = anything not very
#: common down to uncommon; rare = uncommon or rarer. Bounds are [low, high).
TIER_BANDS: dict[str, tuple[float, float]] = {
    "common": (1.0, 100.01),
    "less common": (0.1, 10.0),
    "rare": (0.0, 1.0),
}


#: Where a claim's label figures come from, as the tier check words them.
TIER_SOURCES: tuple[str, ...] = ("curated facts", "label text")


def tier_check(severity: str | None, status: str, incidence_current: float,
               incidence_superseded: float, label_category: str | None, *, source: str = "curated facts",
               incidence_text: str | None = None) -> tuple[str, str]:
    """Whether the page's tier agrees with the label; returns ``(check, note)``.

    The rule:

    - an unmatched claim, or an unrecognised tier: "not comparable";
    - a *serious* claim agrees when the label lists it as a warning or contraindication, and disagrees
      when the label lists it only as an adverse reaction;
    - a *common*, *less common* or *rare* claim is compared with the label's incidence (current label,
      else superseded) through :data:`TIER_BANDS`; it disagrees only when that incidence is outside the
      tier's band. Without an incidence it is "not comparable": the label (or the captured facts) says
      nothing about how often, so nothing contradicts the tier.

    ``source`` words the notes: "curated facts" (the captured label facts, partial: "the captured label
    facts give no incidence") or "label text" (a whole label was searched: "no incidence in the label").
    ``incidence_text`` is the figure as the label gives it ("<1%"), shown instead of ``incidence_current``
    (a bound is passed as a value just below it).

    >>> tier_check("serious", "label adverse reaction", 16.3, 7.7, "adverse_reaction")[0]
    <TierCheck.DISAGREES: 'disagrees'>
    >>> check, note = tier_check("less common", "label adverse reaction", 16.3, 7.7, "adverse_reaction")
    >>> print(check, "|", note)
    disagrees | page says less common; the current label gives 16.3%, outside 0.1-10% for less common
    >>> print(*tier_check("common", "label warning", float("nan"), float("nan"), "warning", source="label text"))
    not comparable no incidence in the label (listed as warning)
    """
    if source not in TIER_SOURCES:
        raise ValueError(f"tier_check: source {source!r}, expected one of {TIER_SOURCES}")
    label_category = None if label_category is None or pd.isna(label_category) else str(label_category)
    if status in UNMATCHED:
        return TierCheck.NOT_COMPARABLE, ("no captured label fact to compare with" if status == NOT_CAPTURED else status)
    if label_category == "indication":
        return TierCheck.NOT_COMPARABLE, "the label names it as an indication, not as a side effect"
    if severity is None or pd.isna(severity):
        return TierCheck.NOT_COMPARABLE, "the page's tier was not recognised"
    cats = set((label_category or "").split(JOIN))
    if severity == "serious":
        if cats & {"warning", "contraindication"}:
            return TierCheck.AGREES, "page says serious; the label lists it as a " + " and ".join(
                sorted(cats & {"warning", "contraindication"}))
        inc = incidence_current if not pd.isna(incidence_current) else incidence_superseded
        shown = incidence_text if incidence_text and not pd.isna(incidence_current) else (
            f"{inc:g}%" if not pd.isna(inc) else None)
        where = f" ({shown} in the trial table)" if shown else ""
        return TierCheck.DISAGREES, f"page says serious; the label lists it only as an adverse reaction{where}"
    if not pd.isna(incidence_current):
        inc, which = incidence_current, "current"
    elif not pd.isna(incidence_superseded):
        inc, which = incidence_superseded, "superseded"
    else:
        listed = f" (listed as {(label_category or '?').replace('_', ' ')})"
        if source == "label text":
            return TierCheck.NOT_COMPARABLE, "no incidence in the label" + listed
        return TierCheck.NOT_COMPARABLE, "the captured label facts give no incidence" + listed
    low, high = TIER_BANDS[severity]
    band = f"{low:g}-{high:g}%" if high <= 100 else f"at least {low:g}%"
    shown = incidence_text if incidence_text and which == "current" else f"{inc:g}%"
    if low <= inc < high:
        return TierCheck.AGREES, f"page says {severity}; the {which} label gives {shown}, within {band} for {severity}"
    return TierCheck.DISAGREES, f"page says {severity}; the {which} label gives {shown}, outside {band} for {severity}"


# --- the claims table -----------------------------------------------------------------------------

CLAIM_COLUMNS: tuple[str, ...] = (
    "source_file", "sha256", "line", "drug", "condition", "tier", "severity", "claim", "label_term",
    "label_category", "incidence_current", "incidence_superseded", "label_version", "label_section",
    "evidence", "source_url", "citation", "match_method", "match_score", "match_note", "status",
    "tier_check", "tier_note")


def _facts_or_default(facts: pd.DataFrame | None) -> pd.DataFrame:
    return load_label_facts() if facts is None else facts


def claim_matches(side_effects: pd.DataFrame, facts: pd.DataFrame | None = None,
                  synonyms: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every match of every unique (drug, claim): the long table behind :func:`claims_table`.

    Each row represents one (drug, claim) x matched label term (one row with a missing term when the
    claim matched nothing). Columns: drug, claim, label_term, match_method (normalised, synonym, fuzzy
    or none), match_score (0-100), match_note (the synonym's note).
    """
    facts = _facts_or_default(facts)
    synonyms = load_synonyms() if synonyms is None else synonyms
    pairs = pd.DataFrame({"drug": side_effects["drug"].astype("string"),
                          "claim": side_effects["name"].astype("string")})
    return match_phrases(pairs, facts, synonyms, "claim", categories=tuple(CLAIM_PRECEDENCE))


def claims_table(side_effects: pd.DataFrame, facts: pd.DataFrame | None = None,
                 synonyms: pd.DataFrame | None = None) -> pd.DataFrame:
    """Check every side-effect claim against the label facts.

    Matching runs once per unique (drug, claim name); what follows from the matches (status,
    citations, tier check) once per distinct result; both are then taken back onto the rows.

    Parameters
    ----------
    side_effects : the corpus' side_effects table.
    facts : label facts (LABEL_FACTS); default :func:`load_label_facts`.
    synonyms : synonyms (SYNONYMS); default :func:`load_synonyms`.

    Returns
    -------
    pd.DataFrame
        Each row represents one side-effect claim of one page. Columns: source_file, sha256, line,
        drug, condition, tier (as written), severity, claim (the name as written), label_term (matched
        terms, ' | '-joined), label_category, incidence_current and incidence_superseded (percent, the
        highest of the matched adverse reactions), label_version, label_section, evidence, source_url,
        citation (one per matched fact), match_method, match_score (lowest of the matches),
        match_note, status (:data:`STATUS_LEVELS`), tier_check (agrees, disagrees, not comparable) and
        tier_note (why; see :func:`tier_check`).
    """
    facts = _facts_or_default(facts)
    synonyms = load_synonyms() if synonyms is None else synonyms
    codes, drugs, phrases = pair_codes(side_effects["drug"], side_effects["name"])
    pair_sig, sigs = signatures(drugs, phrases, facts, synonyms, tuple(CLAIM_PRECEDENCE))
    summary = summaries(sigs, facts, CLAIM_PRECEDENCE, NOT_CAPTURED)
    row_sig = pair_sig[codes]
    n = len(side_effects)
    out = {col: side_effects[col].reset_index(drop=True)
           for col in ("source_file", "sha256", "line", "drug", "condition", "tier")}
    out["severity"] = side_effects["severity"].reset_index(drop=True).astype(SEVERITY_DTYPE)
    out["claim"] = side_effects["name"].astype("string").reset_index(drop=True)
    for col in SUMMARY_COLUMNS:
        values = summary[col]
        if col == "status":
            cats = STATUS_DTYPE.categories
            out[col] = pd.Categorical.from_codes(cats.get_indexer(values)[row_sig], dtype=STATUS_DTYPE)
        else:  # a take of the summary's own array (Arrow's, for text): no million Python strings
            out[col] = pd.Series(values.array.take(row_sig))
    # The tier check depends on the signature and the severity only: once per distinct combination.
    sev_codes = out["severity"].cat.codes.to_numpy().astype(np.int64) + 1  # 0 = unrecognised tier
    combo = row_sig * (len(SEVERITY_DTYPE.categories) + 1) + sev_codes
    uniq, inverse = np.unique(combo, return_inverse=True)
    levels = [None, *SEVERITY_DTYPE.categories]
    checked = [tier_check(levels[c % (len(levels))], *summary.loc[c // len(levels),
               ["status", "incidence_current", "incidence_superseded", "label_category"]])
               for c in uniq]
    check_codes = np.array([TIER_CHECKS.index(c) for c, _ in checked], dtype=np.int8)
    notes = np.array([note for _, note in checked], dtype=object)
    out["tier_check"] = pd.Categorical.from_codes(check_codes[inverse], dtype=TIER_CHECK_DTYPE)
    out["tier_note"] = pd.Series(pd.array(notes, dtype="string").take(inverse))
    frame = pd.DataFrame(out, index=pd.RangeIndex(n))
    return frame.loc[:, list(CLAIM_COLUMNS)]

