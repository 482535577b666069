"""The label check as users read it: the three tables of a corpus, as text, JSON or CSV (``explorer audit``).

Every form starts with the coverage note: the label facts are partial, so "not among the captured
label facts" never reads as "not in the label".
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from ..display import csv_text
from .audit import Audit
from .claims import CLAIM_COLUMNS
from .vocabulary import COVERAGE_NOTE, LABEL_TEXT_NOTE, TierCheck

def coverage_note(claims: pd.DataFrame) -> str:
    """What the statuses of ``claims`` rest on, in words: the curated facts' coverage note when no claim
    was checked against a label's text; the label-text note when every one was; both when some were;
    and OnSIDES's note wherever its terms gave a match."""
    source = claims["label_source"].astype(str) if "label_source" in claims.columns else None
    from_text = source is not None and bool((source == "label text").any())
    if not from_text:
        note = COVERAGE_NOTE
    elif bool((source == "label text").all()):
        note = LABEL_TEXT_NOTE
    else:
        note = f"{LABEL_TEXT_NOTE} Claims of drugs without a label held: {COVERAGE_NOTE}"
    if "match_method" in claims.columns and claims["match_method"].astype(str).str.contains("OnSIDES").any():
        from ..labels.onsides import ONSIDES_NOTE

        note = f"{note} {ONSIDES_NOTE}"
    return note


def claims_csv(claims: pd.DataFrame) -> str:
    """The claims table as CSV text, citations included, the coverage note (:func:`coverage_note`) as a
    first '#' line. Text cells that a spreadsheet would run as a formula get a ``'`` in front
    (:func:`explorer.display.csv_text`).

    Read it back with ``pd.read_csv(io.StringIO(text), comment="#")``... except that citations may
    hold '#'; use ``skiprows=1`` instead.
    """
    buf = io.StringIO()
    buf.write(f"# {coverage_note(claims)}\n")
    buf.write(csv_text(claims.loc[:, [c for c in CLAIM_COLUMNS if c in claims.columns]]))
    return buf.getvalue()


#: Columns the text report shows (the JSON and CSV forms carry every column).
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "claims": ("line", "drug", "tier", "claim", "status", "label_term", "incidence_current",
               "incidence_superseded", "tier_check"),
    "premises": ("line", "drug", "origin", "premise_condition", "status", "premise_note", "label_term"),
    "numbers": ("source_file", "line", "drug", "text", "status", "label_value"),
}
TEXT_WIDTH = 48


def audit_tables(corpus, reference_dir: Path | None = None, labels=None) -> dict[str, pd.DataFrame]:
    """The three tables of the label check for a :class:`~explorer.corpus.dataset.Corpus`: claims,
    premises and numbers (:meth:`Audit.of <explorer.audit.audit.Audit.of>`: the audit saved beside the
    corpus when it is current, else computed and saved).

    Label facts come from ``corpus.label_facts`` when it holds them, else from ``reference_dir``
    (default :data:`explorer.config.REFERENCE_DIR`), as do synonyms and label numbers. With ``labels``
    (an :class:`explorer.labels.store.LabelStore`), each claim of a drug whose label is held is checked
    against the label's full text instead (:func:`explorer.audit.labelcheck.label_claims_table`).
    """
    return Audit.of(corpus, labels, reference_dir=reference_dir).tables()


def _records(df: pd.DataFrame) -> list[dict]:
    return json.loads(df.to_json(orient="records", force_ascii=False))


def audit_report(corpus, fmt: str = "text", reference_dir: Path | None = None, labels=None,
                 audit: Audit | None = None) -> str:
    """The label check of a corpus, as printed by ``explorer audit``.

    Parameters
    ----------
    corpus : a :class:`explorer.corpus.dataset.Corpus`.
    audit : its :class:`~explorer.audit.audit.Audit` when already at hand (else :func:`audit_tables`).
    fmt : "text" (readable tables), "json" (one object: coverage_note, claims, premises, numbers)
        or "csv" (the three tables one after another, each headed by a '# <name>'
        line, after a '# ' line with the coverage note; text cells that a spreadsheet would run as a
        formula get a ``'`` in front, see :func:`explorer.display.csv_text`).
    reference_dir : where the reference data is; default ``data/reference``.

    Every form starts with the coverage note (:func:`coverage_note`: :data:`COVERAGE_NOTE` when no
    label store is used).
    """
    if fmt not in ("text", "json", "csv"):
        raise ValueError(f"unknown format {fmt!r}; expected text, json or csv")
    tables = audit.tables() if audit is not None else audit_tables(corpus, reference_dir, labels)
    note = coverage_note(tables["claims"])
    if fmt == "json":
        return json.dumps({"coverage_note": note, **{name: _records(df) for name, df in tables.items()}},
                          ensure_ascii=False, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        buf.write(f"# {note}\n")
        for name, df in tables.items():
            buf.write(f"# {name}\n")
            buf.write(csv_text(df))
        return buf.getvalue()
    claims, premises, numbers = tables["claims"], tables["premises"], tables["numbers"]
    flagged = numbers[numbers["flagged"]]
    disagree = claims[claims["tier_check"] == TierCheck.DISAGREES]
    parts = [
        "LABEL CHECK", f"Note: {note}", "",
        f"CLAIMS: {len(claims)} side-effect claims; by status: " + _counts(claims["status"]),
        _text_table(claims, "claims"), "",
        f"Tier check: {len(disagree)} claim(s) where the page's tier and the label disagree"
        + (":" if len(disagree) else "."),
        *(f"  {_where(r)} {r.claim}: {r.tier_note}" for r in disagree.itertuples()), "",
        *_label_evidence(claims),
        "Citations of the matched claims:",
        *(f"  {_where(r)} {r.claim} ({r.match_method}"
          + (f" {r.match_score:g}" if not pd.isna(r.match_score) else "") + f"): {r.citation}"
          + (f" -- note: {r.match_note}" if not pd.isna(r.match_note) else "")
          for r in claims[claims["citation"].notna()].itertuples()), "",
        f"PREMISES: {len(premises)} conditions the pages present their drug as being for; by status: "
        + _counts(premises["status"]),
        _text_table(premises, "premises"), "",
        "Citations of the matched premises:",
        *(f"  {_where(r)} {r.premise_condition}: {r.citation}"
          for r in premises[premises["citation"].notna()].itertuples()), "",
        f"NUMBERS: {len(numbers)} durations and percentages in the page text, {len(flagged)} flagged "
        "(stated differently by the captured label facts).",
        _text_table(flagged, "numbers") if len(flagged) else "(none flagged)",
        *(f"  {_where(r)} {r.text!r}: {r.note}" + (f" ({r.source_url})" if not pd.isna(r.source_url) else "")
          for r in flagged.itertuples()),
    ]
    return "\n".join(parts) + "\n"


def _label_evidence(claims: pd.DataFrame) -> list[str]:
    """Lines of the text report for claims checked against an imported label's text (none otherwise)."""
    if "label_source" not in claims.columns:
        return []
    checked = claims[claims["label_source"] == "label text"]
    lines = [f"Checked against imported labels: {len(checked)} claim(s) "
             f"(the others: curated facts, or no label held).", ""]
    for label, rows in checked.groupby(["label_set_id", "label_version_number", "label_effective_time", "label_url"],
                                       sort=False, dropna=False):
        lines.append(f"  label {label[0]} version {label[1]}, effective {label[2]}: {label[3]}")
        for r in rows.itertuples():
            where = f" [{r.evidence_section}]" if not pd.isna(r.evidence_section) else ""
            inc = f" ({r.incidence_text})" if not pd.isna(r.incidence_text) else ""
            said = f": {r.evidence_text!r}" if not pd.isna(r.evidence_text) else ""
            note = f" -- {r.match_note}" if not pd.isna(r.match_note) else ""
            lines.append(f"    {_where(r)} {r.claim}: {r.status}{where}{inc}{said}{note}")
    if checked["match_method"].astype(str).str.contains("OnSIDES").any():
        from ..labels.onsides import ONSIDES_NOTE

        lines.append(f"  OnSIDES: {ONSIDES_NOTE}")
    return lines + [""]


def _counts(status: pd.Series) -> str:
    return ", ".join(f"{k} {v}" for k, v in status.value_counts(sort=False).items() if v)


def _where(row) -> str:
    return f"{row.source_file}:{row.line}"


def _text_table(df: pd.DataFrame, name: str) -> str:
    cols = [c for c in TEXT_COLUMNS[name] if c in df.columns]
    if df.empty:
        return "(none)"
    view = df.loc[:, cols].astype(object).where(df.loc[:, cols].notna(), "")
    return view.to_string(index=False, max_colwidth=TEXT_WIDTH)

