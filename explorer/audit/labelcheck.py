"""Side-effect claims checked against the full text of the drug's imported label, with the evidence.

For each unique (drug, claim) of the pages:

1. the drug resolves to one label version of the store (:mod:`explorer.labels.resolve`), or none;
2. the claim is searched in the label's sentences and table rows (:mod:`explorer.audit.fulltext`) by its
   own words, by the lay terms kept as data (``data/reference/lay_terms.csv``: "hair loss" is alopecia,
   each row with a note) and, where OnSIDES terms are held for the label, by the MedDRA term OnSIDES
   extracted for it (with OnSIDES's research-data note); a claim naming two effects ("Nausea and
   vomiting") is searched whole, then part by part;
3. its status is the most serious section that lists it: boxed warning, then contraindication, then
   warning (warnings and precautions, warnings, precautions), then adverse reaction, then indication;
   "not found in the label text" when the full label was searched and nothing listed it (occurrences set
   aside by a guard are still shown, with the guard); "label could not be fully read" instead when a
   section that could list it was unreadable in the label's file; "no label held for this drug" without a label;
4. the evidence is the label's sentence or table row, verbatim, with its section number and heading,
   the drug's incidence where an incidence table lists the claim (the highest of the table rows that
   list it, even when a more serious section gives the status: a warning that the trial table also
   lists keeps its incidence for the tier check), and the label's set id, version, effective date and
   DailyMed address.

The curated facts (:mod:`explorer.audit.claims`) are a partial source and keep their own statuses;
"not found in the label text" is only said here, where a whole label was searched.
"""
from __future__ import annotations

import csv
import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..labels.records import DAILYMED_URL, LISTING_SECTIONS
from ..labels.resolve import LabelIndex
from ..labels.rows import LIST_SEPARATOR
from ..labels.store import LabelStore
from .fulltext import LabelText, Occurrence, load_guards, phrase_words
from .matching import normalise
from .vocabulary import JOIN, NO_LABEL, NOT_FOUND, NOT_FULLY_READ

LAY_TERMS_FILE = "lay_terms.csv"
#: Section -> status, most serious first.
SECTION_STATUS: dict[str, str] = {
    "boxed_warning": "label boxed warning", "contraindications": "label contraindication",
    "warnings_and_cautions": "label warning", "warnings": "label warning", "precautions": "label warning",
    "adverse_reactions": "label adverse reaction", "indications_and_usage": "label indication"}
STATUS_RANK = ("label boxed warning", "label contraindication", "label warning", "label adverse reaction",
               "label indication")
#: The curated-facts category each label-text status corresponds to (for the tier check).
STATUS_CATEGORY = {"label boxed warning": "warning", "label contraindication": "contraindication",
                   "label warning": "warning", "label adverse reaction": "adverse_reaction",
                   "label indication": "indication"}
#: Labels whose text an audit holds at once (their sentences take about 1 MB each).
LABELS_AT_ONCE = 200
_PARTS = re.compile(r"\s*(?:,|;|/|&|\band/or\b|\band\b|\bor\b)\s*", re.I)

#: The columns the label-text check adds to the claims table.
LABEL_COLUMNS: tuple[str, ...] = ("label_source", "label_set_id", "label_version_number", "label_effective_time",
                                  "label_url", "evidence_text", "evidence_section", "incidence_text", "resolution")


@lru_cache(maxsize=8)
def load_lay_terms(reference_dir: Path = config.REFERENCE_DIR) -> dict[str, list[tuple[str, str]]]:
    """Lay phrase key -> [(label term, note)], from ``lay_terms.csv`` (phrase, label_term, note)."""
    out: dict[str, list[tuple[str, str]]] = {}
    path = Path(reference_dir) / LAY_TERMS_FILE
    if path.exists():
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                terms = out.setdefault(normalise(row["phrase"]), [])
                if all(term != row["label_term"].strip() for term, _ in terms):  # "blood clot", "blood clots"
                    terms.append((row["label_term"].strip(), row["note"].strip()))
    return out


@dataclass(frozen=True)
class Finding:
    """What the label says of one claim (or one part of it)."""

    phrase: str  # the claim or part searched
    status: str
    occurrence: Occurrence | None  # the listing that gave the status (or the set-aside one shown)
    method: str  # "normalised", "lay term", "OnSIDES term" or "none"
    note: str | None = None
    form: str | None = None  # the words found, when a lay or OnSIDES term was searched
    incidence_from: Occurrence | None = None  # the listing table row giving the drug's highest incidence


def _rank(status: str) -> int:
    return STATUS_RANK.index(status) if status in STATUS_RANK else len(STATUS_RANK)


def _search(text: LabelText, phrase: str, lay: dict, onsides: dict[str, str]) -> Finding:
    forms = [(phrase_words(phrase), "normalised", None, None)]
    for term, note in lay.get(normalise(phrase), ()):
        forms.append((phrase_words(term), "lay term", note, term))
    if normalise(phrase) in onsides:
        term = onsides[normalise(phrase)]
        forms.append((phrase_words(term), "OnSIDES term", "OnSIDES lists it for this label (research data, "
                                                          "machine-extracted)", term))
    best: Finding | None = None
    set_aside: Finding | None = None
    highest: Occurrence | None = None
    for words, method, note, form in forms:
        for occ in text.find(words):
            status = SECTION_STATUS.get(occ.sentence.section)
            inc = occ.sentence.incidence
            if occ.listing and status and inc is not None and (
                    highest is None or inc.high > highest.sentence.incidence.high):
                highest = occ
            if occ.listing and status:
                f = Finding(phrase, status, occ, method, note, form)
                if best is None or (_rank(status), occ.sentence.incidence is None) < (
                        _rank(best.status), best.occurrence.sentence.incidence is None):
                    best = f
            elif set_aside is None:
                set_aside = Finding(phrase, NOT_FOUND, occ, method, f"found only where it is not a listing: "
                                                                    f"{occ.verdict}", form)
    if best is not None:
        return dataclasses.replace(best, incidence_from=highest)
    return set_aside or Finding(phrase, NOT_FOUND, None, "none")


def check_claim(text: LabelText, claim: str, lay: dict, onsides: dict[str, str]) -> list[Finding]:
    """Findings for a claim: one for the claim as a whole, or one per part when only its parts are found."""
    whole = _search(text, claim, lay, onsides)
    parts = [p for p in _PARTS.split(claim) if phrase_words(p)]
    if whole.status != NOT_FOUND or len(parts) < 2:
        return [whole]
    found = [_search(text, p, lay, onsides) for p in parts]
    return found if any(f.status != NOT_FOUND for f in found) else [whole]


def _section_of(sentence) -> str | None:
    """"6.1 Clinical Trials Experience", else the section key; None without a sentence."""
    if sentence is None:
        return None
    return " ".join(x for x in (sentence.number, sentence.heading) if isinstance(x, str) and x) or sentence.section


def _row(findings: list[Finding], label: dict | None, resolution) -> dict:
    listed = [f for f in findings if f.status != NOT_FOUND]
    main = min(listed, key=lambda f: _rank(f.status)) if listed else findings[0]
    occ = main.occurrence
    sentence = occ.sentence if occ is not None else None
    inc = main.incidence_from.sentence.incidence if main.incidence_from is not None else None
    section = _section_of(sentence)
    notes = [f.note for f in findings if f.note]
    if main.incidence_from is not None and main.incidence_from is not occ:
        row = main.incidence_from.sentence
        notes.append(f"incidence from the table row {row.text!r} [{_section_of(row)}]")
    if len(findings) > 1:
        notes.append("checked part by part: " + "; ".join(f"{f.phrase}: {f.status}" for f in findings))
    return {
        "status": main.status,
        "label_term": None if not listed else main.form or (
            " ".join(sentence.originals) if sentence.table else main.phrase),
        "label_category": STATUS_CATEGORY.get(main.status),
        "incidence_current": inc.high if inc else np.nan,
        # a bound ("<1") is compared with the tier bands as a value just below it
        "tier_incidence": (np.nextafter(inc.high, 0.0) if inc.below else inc.high) if inc else np.nan,
        "incidence_superseded": np.nan,
        "label_version": "current" if label is not None else None,
        "label_section": sentence.section if sentence is not None else None,
        "evidence": "label text" if label is not None else None,
        "source_url": DAILYMED_URL.format(set_id=label["set_id"]) if label is not None else None,
        # a citation backs a status; a sentence set aside by a guard is evidence only (evidence_text)
        "citation": (f"{sentence.text} [{section}; label {label['set_id']} version "
                     f"{label['version']}, effective {label['effective_time']}]" if listed else None),
        "match_method": JOIN.join(dict.fromkeys(f.method for f in findings)),
        "match_score": 100.0 if listed else np.nan,
        "match_note": JOIN.join(notes) if notes else None,
        "label_source": "label text" if label is not None else None,
        "label_set_id": label["set_id"] if label is not None else None,
        "label_version_number": label["version"] if label is not None else None,
        "label_effective_time": label["effective_time"] if label is not None else None,
        "label_url": DAILYMED_URL.format(set_id=label["set_id"]) if label is not None else None,
        "evidence_text": sentence.text if sentence is not None else None,
        "evidence_section": section,
        "incidence_text": inc.text if inc else None,
        "resolution": resolution.note,
    }


def _merged(lay: dict[str, list[tuple[str, str]]], reference_dir: Path) -> dict[str, list[tuple[str, str]]]:
    from .reference import load_synonyms

    out = {k: list(v) for k, v in lay.items()}
    synonyms = load_synonyms(reference_dir)
    for key, term, note in zip(synonyms["key"], synonyms["label_term"], synonyms["note"]):
        for part in re.split(r"\s*;\s*|\s+/\s+", str(term)):  # "PID / endometritis": each part is searched
            part = re.sub(r"\([^)]*\)", " ", part).strip()
            if part and (part, str(note)) not in out.setdefault(str(key), []):
                out[str(key)].append((part, str(note)))
    return out


class LabelChecker:
    """Checks phrases of many drugs against a label store, loading each label's text once.

    Parameters
    ----------
    store : the label store.
    reference_dir : where ``lay_terms.csv`` and ``text_guards.csv`` are.
    """

    def __init__(self, store: LabelStore, reference_dir: Path = config.REFERENCE_DIR):
        self.store = store
        self.labels = store.labels()
        self.index = LabelIndex(self.labels)
        self.by_key = self.labels.set_index("key", drop=False).rename_axis(None)
        # Lay terms, and the curated synonyms (their label terms are label wording too: "perforation of
        # the uterus" is searched as "uterine perforation" as well)
        self.lay = _merged(load_lay_terms(Path(reference_dir)), Path(reference_dir))
        self.guards = load_guards(Path(reference_dir))
        self._texts: dict[str, LabelText] = {}
        self._onsides: dict[str, dict[str, str]] = {}
        self._rows: dict[str, dict] = {}

    def prepare(self, drugs) -> None:
        """Load the text of every label the given drugs resolve to, in one read of the store."""
        self._load({r.key for r in map(self.index.resolve, set(map(str, drugs))) if r.found})

    def text(self, key: str) -> LabelText:
        """The searchable text of the label version ``key`` (loaded when not yet held)."""
        if key not in self._texts:
            self._load({key})
        return self._texts[key]

    def forget(self, keys) -> None:
        """Let go of the loaded text of these labels (a long audit holds a bounded number at a time)."""
        for key in keys:
            self._texts.pop(key, None)
            self._onsides.pop(key, None)

    def check_many(self, pairs, labels_at_once: int = LABELS_AT_ONCE) -> list[dict]:
        """:meth:`check` for many (drug, claim) pairs, in order, holding at most ``labels_at_once`` labels'
        texts at a time: pairs are taken label by label, each group of labels read from the store at once."""
        results: list[dict | None] = [None] * len(pairs)
        by_key: dict[str, list[int]] = {}
        for i, (drug, claim) in enumerate(pairs):
            resolution = self.index.resolve(str(drug))
            if resolution.found:
                by_key.setdefault(resolution.key, []).append(i)
            else:
                results[i] = self.check(str(drug), str(claim))
        keys = list(by_key)
        for start in range(0, len(keys), labels_at_once):
            chunk = keys[start:start + labels_at_once]
            self._load(set(chunk))
            for key in chunk:
                for i in by_key[key]:
                    results[i] = self.check(str(pairs[i][0]), str(pairs[i][1]))
            self.forget(chunk)
        return results

    def _load(self, keys: set[str]) -> None:
        keys = keys - self._texts.keys()
        if not keys:
            return
        passages, rows = self.store.passages(keys), self.store.table_rows(keys)
        by_key = self.by_key.loc[sorted(keys), ["set_id", "brand_names", "generic_names", "substance_names"]]
        terms = self.store.terms(set(by_key["set_id"]))
        passages_of, rows_of = _by_key(passages), _by_key(rows)
        terms_of = {s: list(t) for s, t in terms.groupby("set_id", sort=False)["term"]} if len(terms) else {}
        for key, set_id, *name_lists in by_key.itertuples(name=None):
            names = [n for names in name_lists for n in str(names or "").split(LIST_SEPARATOR)]
            self._texts[key] = LabelText(passages_of.get(key, passages.iloc[:0]), rows_of.get(key), names,
                                        self.guards)
            self._onsides[key] = {normalise(t): t for t in terms_of.get(set_id, ())}

    def check(self, drug: str, claim: str) -> dict:
        """The claims-table columns for one claim of one drug (see the module docstring)."""
        resolution = self.index.resolve(drug)
        if not resolution.found:
            return {"status": NO_LABEL, "resolution": resolution.note, "match_method": "none"}
        text = self.text(resolution.key)
        label = self._label_row(resolution.key)
        findings = check_claim(text, claim, self.lay, self._onsides[resolution.key])
        row = _row(findings, label, resolution)
        unread = [s for s in label["unreadable"] if s in LISTING_SECTIONS]
        if row["status"] == NOT_FOUND and unread:  # not the whole label was searched: never "not found"
            row["status"] = NOT_FULLY_READ
            row["match_note"] = JOIN.join(n for n in (
                f"not listed in what could be read; the label's {', '.join(unread)} could not be read from "
                "its file", row["match_note"]) if n)
        return row

    def _label_row(self, key: str) -> dict:
        """The identity of a label held (set_id, version, effective_time), looked up once per label."""
        row = self._rows.get(key)
        if row is None:
            found = self.by_key.loc[key]
            row = self._rows[key] = {c: found[c] for c in ("set_id", "version", "effective_time")}
            row["unreadable"] = tuple(s for s in str(found["unreadable_sections"] or "").split(LIST_SEPARATOR) if s)
        return row


def _by_key(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """A table's rows by their ``key``, as slices of the table sorted by key (cheaper than a groupby's groups)."""
    if not len(table):
        return {}
    table = table.sort_values("key", kind="stable").reset_index(drop=True)
    keys = table["key"].to_numpy()
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    return {keys[a]: table.iloc[a:b] for a, b in zip(starts, ends)}


def _tier_check(severity: str | None, result: dict) -> tuple[str, str]:
    """:func:`explorer.audit.claims.tier_check` of one label-text result, worded for a label's text."""
    from .claims import tier_check

    inc = result.get("tier_incidence", np.nan)
    check, note = tier_check(severity, result["status"], inc, np.nan, result.get("label_category"))
    if result.get("label_source") == "label text":
        if not pd.isna(inc) and inc != result.get("incidence_current"):  # a bound: "gives <1%", not "1%"
            text = result["incidence_text"]
            note = note.replace(f"gives {inc:g}%", f"gives {text}").replace(f"({inc:g}% in", f"({text} in")
        note = note.replace("the captured label facts give", "the label text gives")
    return check, note


#: Columns the label-text check writes over the curated check's, for drugs with a label held.
_OVERRIDDEN = ("label_term", "label_category", "incidence_current", "incidence_superseded", "label_version",
               "label_section", "evidence", "source_url", "citation", "match_method", "match_score",
               "match_note", "status")


def label_claims_table(side_effects: pd.DataFrame, store: LabelStore, facts: pd.DataFrame | None = None,
                       synonyms: pd.DataFrame | None = None, reference_dir: Path | None = None) -> pd.DataFrame:
    """Every side-effect claim checked against its drug's imported label, else against the curated facts.

    Each row represents one claim of one page: the columns of :func:`explorer.audit.claims.claims_table`
    plus :data:`LABEL_COLUMNS`. A drug with a label held gets the label-text status and evidence
    (``label_source`` "label text"); a drug without one keeps the curated facts' result where the
    curated facts name the drug (``label_source`` "curated facts"), and "no label held for this drug"
    otherwise. Each unique (drug, claim) is checked once. Lay terms and the guards' cues are read from
    ``reference_dir`` (default :data:`explorer.config.REFERENCE_DIR`).
    """
    from .claims import claims_table
    from .reference import load_label_facts
    from .vocabulary import STATUS_DTYPE

    facts = load_label_facts() if facts is None else facts
    base = claims_table(side_effects, facts, synonyms)
    checker = LabelChecker(store, config.REFERENCE_DIR if reference_dir is None else Path(reference_dir))
    curated = set(facts["product"].astype(str).str.casefold())
    pairs = base[["drug", "claim"]].astype(str)
    codes, uniques = pd.MultiIndex.from_frame(pairs).factorize()
    results = checker.check_many(list(uniques))
    extra = {c: [None] * len(uniques) for c in LABEL_COLUMNS}
    override = np.zeros(len(uniques), dtype=bool)
    for i, ((drug, _), r) in enumerate(zip(uniques, results)):
        labelled = r.get("label_source") == "label text"
        override[i] = labelled or drug.casefold() not in curated
        for c in LABEL_COLUMNS:
            extra[c][i] = r.get(c) if labelled or c == "resolution" else (
                "curated facts" if c == "label_source" and not override[i] else None)
    out = base  # our own new frame: changed in place (a copy would double the peak memory)
    rows = override[codes]
    for col in _OVERRIDDEN:
        values = [r.get(col) for r in results]
        new = pd.Series(values, dtype=object).iloc[codes].reset_index(drop=True)
        if col == "status":
            out[col] = pd.Categorical(np.where(rows, new.to_numpy(), out[col].astype(object).to_numpy()),
                                      dtype=STATUS_DTYPE)
        else:
            out[col] = out[col].astype(object).where(~rows, new.to_numpy())
    for col in ("incidence_current", "incidence_superseded", "match_score"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    for col in LABEL_COLUMNS:
        out[col] = pd.Series(extra[col], dtype=object).iloc[codes].reset_index(drop=True).astype("string")
    tc = np.array(out["tier_check"].astype(object), dtype=object)  # a copy: to_numpy() may be read-only
    tn = np.array(out["tier_note"].astype(object), dtype=object)
    severity = out["severity"].astype(object).where(out["severity"].notna(), None).to_numpy()
    done: dict[tuple, tuple[str, str]] = {}
    for i in np.flatnonzero(rows):  # once per distinct (drug, claim, tier)
        key = (codes[i], severity[i])
        if key not in done:
            done[key] = _tier_check(severity[i], results[codes[i]])
        tc[i], tn[i] = done[key]
    out["tier_check"] = pd.Categorical(tc, dtype=out["tier_check"].dtype)
    out["tier_note"] = pd.Series(tn, dtype="string")
    for col in ("label_term", "label_category", "label_version", "label_section", "evidence", "source_url",
                "citation", "match_method", "match_note"):
        out[col] = out[col].astype("string")
    return out
