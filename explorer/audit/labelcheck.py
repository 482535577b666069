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
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .. import config
from ..labels.records import DAILYMED_URL, LISTING_SECTIONS
from ..labels.resolve import LabelIndex
from ..labels.rows import LIST_SEPARATOR
from ..labels.store import LabelStore
from .fulltext import LabelText, phrase_words
from .guards import load_guards
from .incidence import IncidenceIndex, frequency_table
from .matching import normalise
from .terms import lay_key
from .verdicts import check_claim, evidence_row
from .vocabulary import JOIN, NO_LABEL, NOT_FOUND, NOT_FULLY_READ, UNCHECKED

LAY_TERMS_FILE = "lay_terms.csv"
#: Labels whose text an audit holds at once (their sentences take about 1 MB each).
LABELS_AT_ONCE = 200

#: The columns the label-text check adds to the claims table.
LABEL_COLUMNS: tuple[str, ...] = ("label_source", "label_set_id", "label_version_number", "label_effective_time",
                                  "label_url", "evidence_text", "evidence_marks", "evidence_section", "incidence_text",
                                  "resolution")


@lru_cache(maxsize=8)
def load_lay_terms(reference_dir: Path = config.REFERENCE_DIR) -> dict[str, list[tuple[str, str]]]:
    """Lay phrase key (:func:`explorer.audit.terms.lay_key`) -> [(label term, note)], from ``lay_terms.csv``
    (phrase, label_term, note)."""
    out: dict[str, list[tuple[str, str]]] = {}
    path = Path(reference_dir) / LAY_TERMS_FILE
    if path.exists():
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                terms = out.setdefault(lay_key(row["phrase"]), [])
                if all(term != row["label_term"].strip() for term, _ in terms):  # "blood clot", "blood clots"
                    terms.append((row["label_term"].strip(), row["note"].strip()))
    return out


def _merged(lay: dict[str, list[tuple[str, str]]], reference_dir: Path) -> dict[str, list[tuple[str, str]]]:
    from .reference import load_synonyms

    out = {k: list(v) for k, v in lay.items()}
    synonyms = load_synonyms(reference_dir)
    for phrase, term, note in zip(synonyms["phrase"], synonyms["label_term"], synonyms["note"]):
        key = lay_key(str(phrase))
        for part in re.split(r"\s*;\s*|\s+/\s+", str(term)):  # "PID / endometritis": each part is searched
            part = re.sub(r"\([^)]*\)", " ", part).strip()
            if part and (part, str(note)) not in out.setdefault(key, []):
                out[key].append((part, str(note)))
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
        self._tables: dict[str, tuple] = {}  # label key -> (table rows, passages, names), for its incidence
        self._incidence: dict[str, IncidenceIndex] = {}
        self._other_names: frozenset[str] | None = None
        self._unreadable: dict[str, str] = {}  # label key -> why its text could not be read or searched
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
            for held in (self._texts, self._onsides, self._tables, self._incidence):
                held.pop(key, None)

    def check_many(self, pairs, labels_at_once: int = LABELS_AT_ONCE,
                   progress: Callable[[int, int], None] | None = None) -> list[dict]:
        """:meth:`check` for many (drug, claim) pairs, or (drug, claim, condition) triples, in order, holding
        at most ``labels_at_once`` labels' texts at a time: pairs are taken label by label, each group of
        labels read from the store at once. ``progress(done, total)`` is told the pairs checked after each
        group."""
        results: list[dict | None] = [None] * len(pairs)
        # a claim is checked once per label (and resolution note), however many drug names and page
        # conditions led to that label: the condition only chooses the label, never changes the check
        by_key: dict[str, dict[tuple[str, str], list[int]]] = {}
        for i, item in enumerate(pairs):
            drug, claim, condition = _as_check(item)
            resolution = self._resolve(drug, condition)
            if resolution.found:
                by_key.setdefault(resolution.key, {}).setdefault((resolution.note, claim), []).append(i)
            else:
                results[i] = self.check(drug, claim, condition)
        keys = list(by_key)
        done = len(pairs) - sum(len(ix) for groups in by_key.values() for ix in groups.values())
        if progress is not None:
            progress(done, len(pairs))
        for start in range(0, len(keys), labels_at_once):
            chunk = keys[start:start + labels_at_once]
            self._load(set(chunk))
            for key in chunk:
                for indices in by_key[key].values():
                    row = self.check(*_as_check(pairs[indices[0]]))
                    for i in indices:
                        results[i] = row
                    done += len(indices)
            self.forget(chunk)
            if progress is not None:
                progress(done, len(pairs))
        return results

    def _resolve(self, drug: str, condition: str | None = None):
        """The label for ``drug`` on a page about ``condition``: when labels of different products fit the
        name equally, the one whose indications include the condition (as for the page's premise), so a
        page's claims and its premise are checked against the same label."""
        if condition:
            from .labelpremises import with_condition_tie_breaker

            with_condition_tie_breaker(self)
        return self.index.resolve(drug, condition=condition or None)

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
            try:
                self._texts[key] = LabelText(passages_of.get(key, passages.iloc[:0]), rows_of.get(key), names,
                                            self.guards)
            except Exception as e:  # noqa: BLE001 - one label of an odd shape never stops the audit
                self._unreadable[key] = f"{type(e).__name__}: {e}"[:300]
                self._texts[key] = LabelText(passages.iloc[:0], None, names, self.guards)
            self._onsides[key] = {normalise(t): t for t in terms_of.get(set_id, ())}
            self._tables[key] = (rows_of.get(key), passages_of.get(key), names)

    def incidence(self, key: str) -> IncidenceIndex:
        """The label's frequency table (:mod:`explorer.audit.incidence`), read when first asked for: a column
        naming another drug the store holds is a comparator."""
        if key not in self._incidence:
            if key not in self._tables:
                self._load({key})
            rows, passages, names = self._tables[key]
            if self._other_names is None:
                cols = ("brand_names", "generic_names", "substance_names")
                self._other_names = frozenset(n for c in cols for cell in self.labels[c].dropna()
                                              for n in str(cell).split(LIST_SEPARATOR) if n)
            self._incidence[key] = IncidenceIndex(
                frequency_table(rows, names, passages, other_names=self._other_names - set(names)), phrase_words)
        return self._incidence[key]

    def check(self, drug: str, claim: str, condition: str | None = None) -> dict:
        """The claims-table columns for one claim of one drug, on a page about ``condition`` when given
        (see the module docstring and :meth:`_resolve`)."""
        resolution = self._resolve(drug, condition)
        if not resolution.found:
            return {"status": NO_LABEL, "resolution": resolution.note, "match_method": "none"}
        text = self.text(resolution.key)
        label = self._label_row(resolution.key)
        why = self._unreadable.get(resolution.key)
        if why is None:
            try:
                findings = check_claim(text, claim, self.lay, self._onsides[resolution.key],
                                       self.incidence(resolution.key))
                row = evidence_row(findings, label, resolution)
            except Exception as e:  # noqa: BLE001 - as above: this claim is set aside, the rest is checked
                why = f"{type(e).__name__}: {e}"[:300]
            else:
                unread = [s for s in label["unreadable"] if s in LISTING_SECTIONS]
                if row["status"] == NOT_FOUND and unread:  # not the whole label was searched: never "not found"
                    row["status"] = NOT_FULLY_READ
                    row["match_note"] = JOIN.join(n for n in (
                        f"not listed in what could be read; the label's {', '.join(unread)} could not be read "
                        "from its file", row["match_note"]) if n)
                return row
        return {"status": UNCHECKED, "resolution": resolution.note, "match_method": "none",
                "match_note": f"label {label['set_id']} version {label['version']} could not be checked: {why}",
                "label_set_id": label["set_id"], "label_version_number": label["version"],
                "label_effective_time": label["effective_time"],
                "label_url": DAILYMED_URL.format(set_id=label["set_id"])}

    def _label_row(self, key: str) -> dict:
        """The identity of a label held (set_id, version, effective_time), looked up once per label."""
        row = self._rows.get(key)
        if row is None:
            found = self.by_key.loc[key]
            row = self._rows[key] = {c: found[c] for c in ("set_id", "version", "effective_time")}
            row["unreadable"] = tuple(s for s in str(found["unreadable_sections"] or "").split(LIST_SEPARATOR) if s)
        return row


def _drug_and_condition(item) -> tuple[str, str | None]:
    return str(item[0]), (_text_or_none(item[2]) if len(item) > 2 else None)


def _as_check(item) -> tuple[str, str, str | None]:
    return str(item[0]), str(item[1]), (_text_or_none(item[2]) if len(item) > 2 else None)


def _text_or_none(value) -> str | None:
    return None if value is None or (isinstance(value, float) and value != value) or str(value) in ("", "<NA>") \
        else str(value)


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

    inc, text = result.get("tier_incidence", np.nan), result.get("label_source") == "label text"
    bound = text and not pd.isna(inc) and inc != result.get("incidence_current")  # "gives <1%", not "1%"
    return tier_check(severity, result["status"], inc, np.nan, result.get("label_category"),
                      source="label text" if text else "curated facts",
                      incidence_text=result.get("incidence_text") if bound else None)


#: Columns the label-text check writes over the curated check's, for drugs with a label held.
_OVERRIDDEN = ("label_term", "label_category", "incidence_current", "incidence_superseded", "label_version",
               "label_section", "evidence", "source_url", "citation", "match_method", "match_score",
               "match_note", "status")


def label_claims_table(side_effects: pd.DataFrame, store: LabelStore, facts: pd.DataFrame | None = None,
                       synonyms: pd.DataFrame | None = None, reference_dir: Path | None = None,
                       progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Every side-effect claim checked against its drug's imported label, else against the curated facts.

    Each row represents one claim of one page: the columns of :func:`explorer.audit.claims.claims_table`
    plus :data:`LABEL_COLUMNS`. A drug with a label held gets the label-text status and evidence
    (``label_source`` "label text"); a drug without one keeps the curated facts' result where the
    curated facts name the drug (``label_source`` "curated facts"), and "no label held for this drug"
    otherwise. Each unique (drug, claim) is checked once. Lay terms and the guards' cues are read from
    ``reference_dir`` (default :data:`explorer.config.REFERENCE_DIR`). ``progress(done, total)`` is told
    the distinct (drug, claim) pairs checked as the check goes.
    """
    from .claims import claims_table
    from .reference import load_label_facts
    from .vocabulary import STATUS_DTYPE

    facts = load_label_facts() if facts is None else facts
    base = claims_table(side_effects, facts, synonyms)
    checker = LabelChecker(store, config.REFERENCE_DIR if reference_dir is None else Path(reference_dir))
    curated = set(facts["product"].astype(str).str.casefold())
    # each distinct claim of a drug on pages about one condition: the condition breaks ties between labels
    cols = ["drug", "claim", "condition"] if "condition" in base.columns else ["drug", "claim"]
    pairs = base[cols].astype(object).where(base[cols].notna(), "").astype(str)
    codes, uniques = pd.MultiIndex.from_frame(pairs).factorize()
    results = checker.check_many(list(uniques), progress=progress)
    extra = {c: [None] * len(uniques) for c in LABEL_COLUMNS}
    override = np.zeros(len(uniques), dtype=bool)
    for i, (item, r) in enumerate(zip(uniques, results)):
        drug = item[0]
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
