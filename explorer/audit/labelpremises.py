"""The pages' premises checked against the full text of the drug's imported label: is the drug approved for
the condition the page presents it as being for?

A page "<Drug> for <Condition>", and each of its related links, presents the drug as being for a
condition. The answer is one of three statuses:

- **approved indication**: the label's Indications and Usage names the condition as what the drug is
  for, by its own words or by a term of ``data/reference/condition_terms.csv`` (each row with a note): a
  *synonym* (depression ~ major depressive disorder), a *form* (seizures ~ epilepsy, anxiety ~ panic
  disorder; a longer term that contains the condition's words, "generalized anxiety disorder", counts
  as well), a *broader* term that covers it ("acute pain" covers back pain unless it is tied to a disease:
  "pain associated with endometriosis"), or a *manifestation* named for patients who have the condition
  ("to improve glycemic control in adults with type 2 diabetes", "cataplexy ... in patients with
  narcolepsy");
- **contraindicated**: not approved, and the Contraindications name it (or a synonym, form or broader
  term: "bronchospastic disorders" cover asthma);
- **not among the indications**: otherwise. The whole label was searched; nothing falls back to other
  sections. When the label's Indications and Usage (or, for this answer, its Contraindications) could not
  be read from its file, the answer is "label could not be fully read" instead, as for a claim.

What is not an indication, whatever words it shares (the cues are data, ``data/reference/
premise_guards.csv``, a note per cue): a sentence that denies ("not indicated for", "has not been
established in", "Limitations of Use", the items of a "not approved for:" list), a trial statement ("has
been shown to reduce ... compared to"), a population the drug is given to for something else ("MI and
stroke in adults with type 2 diabetes"), a feature of the indicated condition ("depression accompanied
by anxiety") and another sense of the word ("respiratory depression", "pulmonary hypertension",
"diabetes insipidus"). A denial removes an approval only when it names the condition more broadly than
every approval does (Juxtapid: homozygous familial hypercholesterolemia approved, "not established in
patients with hypercholesterolemia who do not have HoFH"), or when the approval comes only through a
broader term (Furadantin: urinary tract infections, "not indicated for the treatment of pyelonephritis").

Beside the status, a **note** says where the label also names the condition as something the drug can
cause or worsen: "also a warning" (boxed warning, warnings and precautions, warnings, precautions), else
"also an adverse reaction", with the label's sentence; a condition named only as a population ("patients
with a history of depression"), a denial or another word sense gets no note. A condition "<X>
prevention" needs prevention words ("reduction in risk of", "prophylaxis of") in the approving sentence.

The premise's condition also helps choose the label: among labels that fit the page's drug equally, those
approved for it are kept (:func:`with_condition_tie_breaker`). The words are read by
:mod:`explorer.audit.conditions`, the sections by :mod:`explorer.audit.indications`. Drugs without a label
keep the curated facts' result (:func:`explorer.audit.premises.premises_table`).
"""
from __future__ import annotations

import weakref
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..labels.records import DAILYMED_URL
from ..labels.store import LabelStore
from .conditions import condition_terms, load_rules, prevention_base
from .fulltext import LabelText, Sentence
from .guards import cue_words
from .indications import CONTRAINDICATIONS, INDICATIONS, approval, contraindication, harm_note
from .labelcheck import LABEL_COLUMNS, LabelChecker
from .vocabulary import (APPROVED, CONTRAINDICATED, NO_LABEL, NOT_FULLY_READ, NOT_INDICATED, PREMISE_DTYPE,
                         PREMISE_NOTE_DTYPE, UNCHECKED)


def premise_verdict(text: LabelText, condition: str, drug_names=(), reference_dir: Path = config.REFERENCE_DIR) -> dict:
    """Status, note and evidence of one condition against one label's text (see the module docstring).

    Returns a dict with ``status`` (approved indication, contraindicated, not among the indications),
    ``premise_note`` (also a warning, also an adverse reaction or None), ``sentence`` (the deciding
    sentence or None), ``term`` (the words found), ``method`` and ``why``, ``note_sentence``.
    """
    rules = load_rules(reference_dir)
    terms = condition_terms(condition, reference_dir)
    drug_words = frozenset(w for n in drug_names for w in cue_words(str(n)))
    prevention = prevention_base(condition) is not None
    approved, decided, why = approval(text, terms, rules, drug_words, prevention)
    note, note_sentence = harm_note(text, terms, rules)
    if approved:
        status = APPROVED
    else:
        contra = contraindication(text, terms, rules)
        if contra is not None:
            status, decided, why = CONTRAINDICATED, contra, "named in the contraindications"
        else:
            status = NOT_INDICATED
    return {"status": status, "premise_note": note, "sentence": decided.sentence if decided else None,
            "term": decided.term if decided else None, "why": why, "note_sentence": note_sentence}


def approves(checker: LabelChecker, key: str, condition: str) -> bool:
    """Whether the label ``key``'s indications include ``condition`` (the resolver's tie-breaker)."""
    try:
        text = checker.text(key)
    except Exception:  # noqa: BLE001 - a label that cannot be read breaks no tie
        return False
    drug_words = frozenset(w for n in _names(checker, key) for w in cue_words(str(n)))
    return approval(text, condition_terms(condition), load_rules(), drug_words,
                    prevention_base(condition) is not None)[0]


def with_condition_tie_breaker(checker: LabelChecker) -> LabelChecker:
    """The checker, its resolver now breaking ties between labels by whether each approves the page's
    condition (:func:`approves`), before the newest date."""
    if checker.index.approves is None:
        checker.index.approves = lambda key, condition: approves(checker, key, condition)
    return checker


def _names(checker: LabelChecker, key: str) -> list[str]:
    """The label's brand, generic and substance names (read once per label: a row look-up is slow)."""
    names = _NAMES.setdefault(checker, {})
    if key not in names:
        row = checker.by_key.loc[key]
        names[key] = [n for c in ("brand_names", "generic_names", "substance_names")
                      for n in str(row.get(c) or "").split("; ") if n]
    return names[key]


_NAMES: "weakref.WeakKeyDictionary[LabelChecker, dict[str, list[str]]]" = weakref.WeakKeyDictionary()


def _section_of(s: Sentence | None) -> str | None:
    if s is None:
        return None
    return " ".join(x for x in (s.number, s.heading) if isinstance(x, str) and x) or s.section


def check_premise(checker: LabelChecker, drug: str, condition: str, route: str | None = None,
                  form: str | None = None) -> dict:
    """The premises-table columns for one condition a page presents ``drug`` as being for; the condition
    (and a route or form the page gives) helps choose among the drug's labels."""
    resolution = with_condition_tie_breaker(checker).index.resolve(drug, condition=condition, route=route, form=form)
    if not resolution.found:
        return {"status": NO_LABEL, "resolution": resolution.note, "match_method": "none"}
    label = checker._label_row(resolution.key)  # set_id, version, effective_time, looked up once per label
    url = DAILYMED_URL.format(set_id=label["set_id"])
    identity = {"label_source": "label text", "label_set_id": label["set_id"],
                "label_version_number": label["version"], "label_effective_time": label["effective_time"],
                "label_url": url, "resolution": resolution.note, "source_url": url,
                "label_version": "current", "evidence": "label text"}
    why = checker._unreadable.get(resolution.key)
    if why is None:
        try:
            verdict = premise_verdict(checker.text(resolution.key), condition, _names(checker, resolution.key))
        except Exception as e:  # noqa: BLE001 - this premise is set aside, the rest is checked
            why = f"{type(e).__name__}: {e}"[:300]
    if why is not None:
        return {**identity, "status": UNCHECKED, "match_method": "none",
                "match_note": f"label {label['set_id']} version {label['version']} could not be checked: {why}"}
    s, term, note_sentence = verdict["sentence"], verdict["term"], verdict["note_sentence"]
    notes = [verdict["why"]]
    if term is not None and term.relation != "self":
        notes.append(f"{term.relation} {term.text!r}" + (f": {term.note}" if term.note else ""))
    if note_sentence is not None:
        notes.append(f"{verdict['premise_note']}: {note_sentence.text!r} [{_section_of(note_sentence)}]")
    status = verdict["status"]
    # not the whole label was read: an approval could stand in unread indications, a contraindication in
    # unread contraindications (as a claim is never "not found" then)
    unread = [u for u in label["unreadable"]
              if u == INDICATIONS or (u == CONTRAINDICATIONS and status == NOT_INDICATED)]
    if status != APPROVED and unread:
        status = NOT_FULLY_READ
        notes.insert(0, f"the label's {', '.join(unread)} could not be read from its file")
    row = {**identity, "status": status, "premise_note": verdict["premise_note"],
           "match_method": "none" if term is None else ("normalised" if term.relation == "self" else term.relation),
           "match_note": "; ".join(notes)}
    if s is None:
        return row
    section = _section_of(s)
    listed = status in (APPROVED, CONTRAINDICATED)
    return {**row, "label_term": term.text if term else None, "label_section": s.section,
            "match_score": 100.0 if listed else np.nan, "evidence_text": s.text, "evidence_section": section,
            "citation": (f"{s.text} [{section}; label {label['set_id']} version {label['version']}, "
                         f"effective {label['effective_time']}]") if listed else None}


_OVERRIDDEN = ("label_term", "label_category", "label_version", "label_section", "evidence", "source_url",
               "citation", "match_method", "match_score", "match_note", "status", "premise_note")


def label_premises_table(articles: pd.DataFrame, related: pd.DataFrame, store: LabelStore,
                         facts: pd.DataFrame | None = None, synonyms: pd.DataFrame | None = None,
                         reference_dir=None) -> pd.DataFrame:
    """Every premise checked against its drug's imported label, else against the curated facts.

    Each row represents one premise: the columns of :func:`explorer.audit.premises.premises_table`
    plus :data:`explorer.audit.labelcheck.LABEL_COLUMNS`. A drug with a label held gets the label-text
    status, note and evidence; one without keeps the curated facts' result where they name the drug,
    and "no label held for this drug" otherwise. Each unique (drug, condition) is checked once, and the
    page's condition helps choose among the drug's labels.
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
    out["premise_note"] = pd.Categorical(out["premise_note"], dtype=PREMISE_NOTE_DTYPE)
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
