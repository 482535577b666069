"""The label check: side-effect claims and page premises compared with facts from official labels.

Reference data lives in ``data/reference`` (:data:`explorer.config.REFERENCE_DIR`) as data, never in
code:

- ``*_label_facts.csv``   label facts, one file per drug or one long table (column ``product``)
- ``*_label_numbers.csv`` label figures that are not rows of the facts table (approved durations)
- ``synonyms.csv``        page wording -> label term, each row with a note saying why

A claim is matched to label terms in three steps, and the first step that finds something wins:

1. *normalised*: the claim and every form of a label term are reduced to a key (case folded,
   punctuation and filler words dropped, plural ``-s`` removed, words sorted) and compared exactly;
   ``headache/migraine`` has the forms ``headache``, ``migraine`` and ``headache migraine``.
2. *synonym*: the claim's key equals the key of a phrase in ``synonyms.csv`` (added to step 1's
   matches, so a condition can be both a warning and a contraindication).
3. *fuzzy*: rapidfuzz's ratio on the keys, at least :data:`FUZZY_THRESHOLD`, and every word must
   pair with a word of the other side at least :data:`WORD_THRESHOLD` alike (so typos match, while
   ``increased`` vs ``decreased`` or ``breast pain`` vs ``breast cancer`` do not).

No match is better than a wrong one: anything else is "not among the captured label facts". The
captured facts are partial (see :data:`COVERAGE_NOTE`), so the explorer never says "not in the label".

A bare "Infection" claim is matched, through two explicit synonym rows, to the label's two infection
warnings (PID/endometritis 5.4 and group A streptococcal sepsis 5.3), with a note that the claim is less
specific than the label. Leaving it unmatched would tell the reader the label is silent about infection,
which it is not; picking one of the two would invent a specificity the page does not have.
"""
from __future__ import annotations

import io
import json
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series
from rapidfuzz import fuzz, process

from . import config
from .schema import SEVERITY_DTYPE

#: Shown by every view of the label check (CLI, notebook, dashboard, CSV export).
COVERAGE_NOTE = (
    "The label facts are partial: rows of the current Mirena trial table with an incidence between "
    "5% and 10% were not captured, and back pain, weight gain, dizziness, nausea/vomiting and blood "
    "clots were not found among the captured rows. 'Not among the captured label facts' therefore "
    "does not mean 'not in the label'."
)

CATEGORIES: tuple[str, ...] = ("indication", "adverse_reaction", "warning", "contraindication")
LABEL_VERSIONS: tuple[str, ...] = ("current", "superseded")
EVIDENCE_LEVELS: tuple[str, ...] = ("verified", "secondary")

NOT_CAPTURED = "not among the captured label facts"
SUPERSEDED_ONLY = "superseded label only"
#: Status of a side-effect claim; the first three come from facts of the current label.
STATUS_LEVELS: tuple[str, ...] = ("label adverse reaction", "label warning", "label contraindication",
                                  SUPERSEDED_ONLY, NOT_CAPTURED)
STATUS_DTYPE = pd.CategoricalDtype(list(STATUS_LEVELS), ordered=False)
#: Which current-label category gives a claim its status when it matches several (first wins).
CLAIM_PRECEDENCE: dict[str, str] = {"warning": "label warning",
                                    "adverse_reaction": "label adverse reaction",
                                    "contraindication": "label contraindication"}
#: Status of a page premise (a condition the drug is said to be "for").
PREMISE_LEVELS: tuple[str, ...] = ("approved indication", "listed adverse reaction", "label warning",
                                   "label contraindication", SUPERSEDED_ONLY,
                                   "none of the captured label facts")
PREMISE_DTYPE = pd.CategoricalDtype(list(PREMISE_LEVELS), ordered=False)
PREMISE_PRECEDENCE: dict[str, str] = {"indication": "approved indication",
                                      "contraindication": "label contraindication",
                                      "warning": "label warning",
                                      "adverse_reaction": "listed adverse reaction"}
TIER_CHECKS: tuple[str, ...] = ("agrees", "disagrees", "not comparable")
TIER_CHECK_DTYPE = pd.CategoricalDtype(list(TIER_CHECKS), ordered=False)

FUZZY_THRESHOLD = 90.0
WORD_THRESHOLD = 85.0
JOIN = " | "  # label terms may themselves hold "; "

FACTS_PATTERN = "*_label_facts.csv"
NUMBERS_PATTERN = "*_label_numbers.csv"
SYNONYMS_FILE = "synonyms.csv"


# --- loading the reference ------------------------------------------------------------------------

class LabelFactsSchema(pa.DataFrameModel):
    """Each row represents one fact read from a drug's official label.

    Columns: product (the brand), term (the label's wording), category (indication, adverse_reaction,
    warning or contraindication), incidence_percent (crude incidence in the label's trial table, missing
    when the label gives none), label_version (current or superseded), label_section, evidence
    (verified or secondary), source_url (where the fact was read), reference_file (the CSV it came from)
    and reference_line (its 1-based line there).
    """

    product: Series[pd.CategoricalDtype]
    term: Series[pd.StringDtype] = pa.Field(str_length={"min_value": 1})
    category: Series[pd.CategoricalDtype] = pa.Field(dtype_kwargs={"categories": list(CATEGORIES)})
    incidence_percent: Series[float] = pa.Field(nullable=True, ge=0, le=100)
    label_version: Series[pd.CategoricalDtype] = pa.Field(dtype_kwargs={"categories": list(LABEL_VERSIONS)})
    label_section: Series[pd.StringDtype]
    evidence: Series[pd.CategoricalDtype] = pa.Field(dtype_kwargs={"categories": list(EVIDENCE_LEVELS)})
    source_url: Series[pd.StringDtype] = pa.Field(str_length={"min_value": 1})
    reference_file: Series[pd.CategoricalDtype]
    reference_line: Series[int] = pa.Field(ge=2)

    class Config:
        strict = True
        ordered = True


class LabelNumbersSchema(pa.DataFrameModel):
    """Each row represents one figure a label states outside the facts table (an approved duration).

    Columns: product, quantity (duration), use (what the figure is for), value, unit (year),
    label_version (current or superseded), source_url (may be empty), source_note (where it was stated),
    reference_file, reference_line.
    """

    product: Series[pd.CategoricalDtype]
    quantity: Series[pd.CategoricalDtype] = pa.Field(dtype_kwargs={"categories": ["duration"]})
    use: Series[pd.StringDtype]
    value: Series[float] = pa.Field(gt=0)
    unit: Series[pd.CategoricalDtype] = pa.Field(dtype_kwargs={"categories": ["year"]})
    label_version: Series[pd.CategoricalDtype] = pa.Field(dtype_kwargs={"categories": list(LABEL_VERSIONS)})
    source_url: Series[pd.StringDtype]
    source_note: Series[pd.StringDtype] = pa.Field(str_length={"min_value": 1})
    reference_file: Series[pd.CategoricalDtype]
    reference_line: Series[int] = pa.Field(ge=2)

    class Config:
        strict = True
        ordered = True


class SynonymsSchema(pa.DataFrameModel):
    """Each row represents one page phrase that means a label term.

    Columns: phrase (as pages write it), label_term (exactly as in the facts), note (why they are the
    same), key (the phrase's normalised key, see :func:`normalise`).
    """

    phrase: Series[pd.StringDtype] = pa.Field(str_length={"min_value": 1})
    label_term: Series[pd.StringDtype] = pa.Field(str_length={"min_value": 1})
    note: Series[pd.StringDtype] = pa.Field(str_length={"min_value": 1})
    key: Series[pd.StringDtype] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        ordered = True


_FACT_COLUMNS = ("product", "term", "category", "incidence_percent", "label_version", "label_section",
                 "evidence", "source_url")
_NUMBER_COLUMNS = ("product", "quantity", "use", "value", "unit", "label_version", "source_url",
                   "source_note")


def reference_name(df: pd.DataFrame, i: int) -> str:
    """'file:line' of row ``i`` of a reference table (for error messages)."""
    return f"{df['reference_file'].iloc[i]}:{int(df['reference_line'].iloc[i])}"


def _read_reference(files: list[Path], columns: tuple[str, ...], schema: type[pa.DataFrameModel],
                    categoricals: dict[str, tuple[str, ...] | None], floats: set[str]) -> pd.DataFrame:
    parts = []
    for path in files:
        df = pd.read_csv(path, dtype="string", keep_default_na=False)
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise ValueError(f"{path}:1: expected columns {list(columns)}, missing {missing}")
        df = df.loc[:, list(columns)].copy()
        for col in floats:
            raw = df[col].str.strip()
            num = pd.to_numeric(raw.replace("", pd.NA), errors="coerce")
            bad = raw.ne("") & num.isna()
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise ValueError(f"{path}:{i + 2}: expected a number in column {col!r}, found {raw.iloc[i]!r}")
            df[col] = num.astype("float64")
        df["reference_file"] = path.name
        df["reference_line"] = np.arange(2, len(df) + 2, dtype="int64")
        parts.append(df)
    if parts:
        df = pd.concat(parts, ignore_index=True)
    else:
        df = pd.DataFrame({c: pd.Series([], dtype="float64" if c in floats else "string")
                           for c in columns + ("reference_file",)})
        df["reference_line"] = pd.Series([], dtype="int64")
    for col in schema.to_schema().columns:
        if col in floats or col == "reference_line":
            continue
        text = df[col].astype("string").str.strip()
        if col in categoricals or col == "reference_file":
            cats = categoricals.get(col)
            bad = ~text.isin(cats) if cats else pd.Series(False, index=text.index)
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise ValueError(f"{reference_name(df, i)}: expected {col} one of {list(cats)}, "
                                 f"found {text.iloc[i]!r}")
            df[col] = text.astype(pd.CategoricalDtype(list(cats)) if cats else "category")
        else:
            df[col] = text
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as e:
        cases = e.failure_cases
        row = cases[cases["index"].notna()].head(1)
        if len(row):
            i = int(row["index"].iloc[0])
            where = reference_name(df, i)
            raise ValueError(f"{where}: column {row['column'].iloc[0]!r} {row['check'].iloc[0]}, "
                             f"found {row['failure_case'].iloc[0]!r}") from e
        raise


def load_label_facts(reference_dir: Path = config.REFERENCE_DIR) -> pd.DataFrame:
    """Load every ``*_label_facts.csv`` under ``reference_dir`` into one table (LabelFactsSchema).

    Each row represents one fact from a drug's label; see :class:`LabelFactsSchema` for the columns.
    A new drug needs only a new file (or more rows with its ``product``), no code.

    Raises
    ------
    ValueError
        Naming the file and line of a value that breaks the schema.
    """
    files = sorted(Path(reference_dir).glob(FACTS_PATTERN))
    return _read_reference(files, _FACT_COLUMNS, LabelFactsSchema,
                           {"product": None, "category": CATEGORIES, "label_version": LABEL_VERSIONS,
                            "evidence": EVIDENCE_LEVELS}, {"incidence_percent"})


def load_label_numbers(reference_dir: Path = config.REFERENCE_DIR) -> pd.DataFrame:
    """Load every ``*_label_numbers.csv`` under ``reference_dir`` (LabelNumbersSchema).

    Each row represents one figure stated by a label but not held in the facts table (for Mirena the
    approved durations of use); see :class:`LabelNumbersSchema` for the columns.
    """
    files = sorted(Path(reference_dir).glob(NUMBERS_PATTERN))
    return _read_reference(files, _NUMBER_COLUMNS, LabelNumbersSchema,
                           {"product": None, "quantity": ("duration",), "unit": ("year",),
                            "label_version": LABEL_VERSIONS}, {"value"})


def load_synonyms(reference_dir: Path = config.REFERENCE_DIR) -> pd.DataFrame:
    """Load ``synonyms.csv`` (SynonymsSchema); an empty table when the folder has none.

    Each row represents one page phrase that means a label term: phrase, label_term, note, key.
    """
    path = Path(reference_dir) / SYNONYMS_FILE
    if path.exists():
        df = pd.read_csv(path, dtype="string", keep_default_na=False)
        missing = [c for c in ("phrase", "label_term", "note") if c not in df.columns]
        if missing:
            raise ValueError(f"{path}:1: expected columns phrase, label_term, note; missing {missing}")
        df = df.loc[:, ["phrase", "label_term", "note"]].apply(lambda s: s.str.strip())
    else:
        df = pd.DataFrame({c: pd.Series([], dtype="string") for c in ("phrase", "label_term", "note")})
    df["key"] = pd.Series([normalise(p) for p in df["phrase"]], dtype="string", index=df.index)
    try:
        return SynonymsSchema.validate(df)
    except pa.errors.SchemaError as e:
        raise ValueError(f"{path}: {e}") from e


# --- normalising ----------------------------------------------------------------------------------

#: Words that carry no meaning for matching ("perforation of the uterus" ~ "uterus perforation").
STOPWORDS = frozenset({"a", "an", "and", "or", "of", "the", "in", "to", "with", "for", "from", "on", "at",
                       "by", "your", "some", "any"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def singular(word: str) -> str:
    """Drop a plural ending the simple way, the same on both sides of a comparison.

    >>> [singular(w) for w in ("headaches", "cysts", "dizziness", "uterus", "ovaries", "sepsis")]
    ['headache', 'cyst', 'dizziness', 'uterus', 'ovary', 'sepsis']
    """
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


def words(text: str) -> list[str]:
    """The meaningful words of ``text`` in order: folded, de-accented, singular, no filler words.

    >>> words("Mirena’s hormonal effects")
    ['mirena', 'hormonal', 'effect']
    """
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"['’]s\b", "", text.replace("\u2019", "'"))
    return [singular(w) for w in _NON_WORD.split(text) if w and w not in STOPWORDS]


def normalise(text: str) -> str:
    """The matching key of a phrase: :func:`words`, sorted, joined by spaces.

    >>> normalise("Perforation of the Uterus") == normalise("uterus perforation")
    True
    >>> normalise("Headaches")
    'headache'
    """
    return " ".join(sorted(words(text)))


_ACRONYM = re.compile(r"\(([A-Z]{2,6})\)")
_PAREN = re.compile(r"\([^)]*\)")


def term_forms(term: str) -> list[str]:
    """Every phrase a label term stands for, as matching keys.

    Slashes between words give alternatives ("abdominal/pelvic pain" -> abdominal pain, pelvic pain),
    " / " and ";" split a term in parts, a bracketed acronym is a form of its own, other brackets are
    dropped.

    >>> term_forms("abdominal/pelvic pain")
    ['abdominal pain pelvic', 'abdominal pain', 'pain pelvic']
    >>> term_forms("pelvic inflammatory disease (PID) / endometritis")[:3]
    ['disease endometritis inflammatory pelvic pid', 'pid', 'disease inflammatory pelvic']
    """
    forms = [normalise(term)]
    for part in re.split(r"\s/\s|;", term):
        forms.extend(normalise(a) for a in _ACRONYM.findall(part))
        bare = _PAREN.sub(" ", part)
        tokens = bare.split()
        variants = [[]]
        for tok in tokens:
            alts = [a for a in tok.split("/") if a] if "/" in tok else [tok]
            variants = [v + [a] for v in variants for a in alts]
        forms.extend(normalise(" ".join(v)) for v in variants)
    out: list[str] = []
    for f in forms:
        if f and f not in out:
            out.append(f)
    return out


# --- matching -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    """One label term a phrase was matched to, and how."""

    term: str
    method: str  # "normalised" | "synonym" | "fuzzy"
    score: float  # 0-100; 100 for normalised and synonym matches
    note: str | None = None


def _words_pair(a: str, b: str) -> bool:
    """True when each word of each key has a look-alike in the other (guards fuzzy matches)."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return False
    for x, y in ((wa, wb), (wb, wa)):
        for w in x:
            if not any(w == v or (min(len(w), len(v)) > 4 and fuzz.ratio(w, v) >= WORD_THRESHOLD) for v in y):
                return False
    return True


class Matcher:
    """Matches phrases to the label terms of one drug (built once, reused for every phrase).

    Parameters
    ----------
    facts : label facts of any drugs (LabelFactsSchema); only ``product`` == ``drug`` is used.
    synonyms : SynonymsSchema table.
    drug : the drug whose facts are searched (case-insensitive).
    categories : the fact categories a phrase may match (claims leave out indications).
    """

    def __init__(self, facts: pd.DataFrame, synonyms: pd.DataFrame, drug: str,
                 categories: tuple[str, ...] = CATEGORIES):
        mine = facts[(facts["product"].astype("string").str.casefold() == str(drug).casefold())
                     & facts["category"].isin(categories)]
        self.terms: list[str] = list(dict.fromkeys(mine["term"].astype(str)))
        known = set(self.terms)
        self.forms: dict[str, list[str]] = {}
        for term in self.terms:
            for key in term_forms(term):
                self.forms.setdefault(key, [])
                if term not in self.forms[key]:
                    self.forms[key].append(term)
        self.synonyms: dict[str, list[tuple[str, str]]] = {}
        for key, term, note in zip(synonyms["key"], synonyms["label_term"], synonyms["note"]):
            if term in known:
                self.synonyms.setdefault(str(key), []).append((str(term), str(note)))
        self._choices = list(dict.fromkeys(list(self.forms) + list(self.synonyms)))

    @property
    def empty(self) -> bool:
        """True when the drug has no captured facts in the searched categories."""
        return not self._choices

    def _targets(self, key: str) -> list[tuple[str, str | None]]:
        out = [(t, None) for t in self.forms.get(key, [])]
        out += [(t, n) for t, n in self.synonyms.get(key, []) if t not in {o for o, _ in out}]
        return out

    def match(self, phrase: str) -> list[Match]:
        """The label terms ``phrase`` means, best first; empty when nothing is close enough."""
        key = normalise(phrase)
        if not key:
            return []
        found = [Match(t, "normalised", 100.0) for t in self.forms.get(key, [])]
        seen = {m.term for m in found}
        found += [Match(t, "synonym", 100.0, n) for t, n in self.synonyms.get(key, []) if t not in seen]
        if found or not self._choices:
            return found
        hits = process.extract(key, self._choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD,
                               limit=None)
        hits = [(c, s) for c, s, _ in hits if _words_pair(key, c)]
        if not hits:
            return []
        best = max(s for _, s in hits)
        out: list[Match] = []
        for choice, score in hits:
            if score < best:
                continue
            for term, note in self._targets(choice):
                if term not in {m.term for m in out}:
                    out.append(Match(term, "fuzzy", round(float(score), 1), note))
        return out


#: The match signature of a phrase: its drug (case-folded) and matches; () when nothing matched.
Signature = tuple


def _signatures(drugs: np.ndarray, phrases: np.ndarray, facts: pd.DataFrame, synonyms: pd.DataFrame,
                categories: tuple[str, ...]) -> tuple[np.ndarray, list[Signature]]:
    """Match each (drug, phrase) pair once; return each pair's signature id and the signatures.

    Signature 0 is "no match". Pairs with the same matches share a signature, so what is derived from
    the matches (status, citations, the tier check) is computed once per signature, not per row.
    """
    index: dict[Signature, int] = {(): 0}
    sigs: list[Signature] = [()]
    out = np.zeros(len(phrases), dtype=np.int64)
    folded = pd.Series(drugs, dtype="string").str.casefold().fillna("")
    for drug, positions in pd.Series(np.arange(len(phrases))).groupby(folded.to_numpy(), sort=False):
        matcher = Matcher(facts, synonyms, str(drug), categories)
        if matcher.empty:
            continue  # no captured facts for this drug: every phrase is unmatched
        for i in positions.to_numpy():
            matches = tuple(matcher.match(str(phrases[i])))
            if matches:
                sig = (str(drug), matches)
                out[i] = index.setdefault(sig, len(sigs))
                if out[i] == len(sigs):
                    sigs.append(sig)
    return out, sigs


def match_phrases(pairs: pd.DataFrame, facts: pd.DataFrame, synonyms: pd.DataFrame,
                  phrase_column: str, categories: tuple[str, ...] = CATEGORIES) -> pd.DataFrame:
    """Match unique (drug, phrase) pairs to label terms.

    Each row represents one (drug, phrase) x matched label term; a phrase with no match has one row
    whose term is missing. Columns: drug, ``phrase_column``, label_term, match_method (normalised,
    synonym, fuzzy or none), match_score, match_note.
    """
    pairs = pairs.loc[:, ["drug", phrase_column]].astype("string").drop_duplicates()
    ids, sigs = _signatures(pairs["drug"].to_numpy(), pairs[phrase_column].to_numpy(), facts, synonyms,
                            categories)
    rows = []
    for drug, phrase, sid in zip(pairs["drug"], pairs[phrase_column], ids):
        matches = sigs[sid][1] if sid else ()
        if not matches:
            rows.append((drug, phrase, None, "none", np.nan, None))
        rows.extend((drug, phrase, m.term, m.method, m.score, m.note) for m in matches)
    out = pd.DataFrame.from_records(rows, columns=["drug", phrase_column, "label_term", "match_method",
                                                   "match_score", "match_note"])
    for col in ("drug", phrase_column, "label_term", "match_method", "match_note"):
        out[col] = out[col].astype("string")
    out["match_score"] = out["match_score"].astype("float64")
    return out


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


def _summaries(sigs: list[Signature], facts: pd.DataFrame, precedence: dict[str, str],
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


def _pair_codes(drugs: pd.Series, phrases: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes of each row's (drug, phrase) pair, and the unique drugs and phrases (in code order)."""
    codes, uniques = pd.MultiIndex.from_arrays([drugs.astype("string").to_numpy(),
                                                phrases.astype("string").to_numpy()]).factorize()
    return codes, uniques.get_level_values(0).to_numpy(), uniques.get_level_values(1).to_numpy()


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


def tier_check(severity: str | None, status: str, incidence_current: float,
               incidence_superseded: float, label_category: str | None) -> tuple[str, str]:
    """Whether the page's tier agrees with the label; returns ``(check, note)``.

    The rule:

    - an unmatched claim, or an unrecognised tier: "not comparable";
    - a *serious* claim agrees when the label lists it as a warning or contraindication, and disagrees
      when the label lists it only as an adverse reaction;
    - a *common*, *less common* or *rare* claim is compared with the label's incidence (current label,
      else superseded) through :data:`TIER_BANDS`; a *common* claim that the captured facts give no
      incidence disagrees; a less common or rare one is then not comparable.

    >>> tier_check("serious", "label adverse reaction", 16.3, 7.7, "adverse_reaction")[0]
    'disagrees'
    >>> tier_check("less common", "label adverse reaction", 16.3, 7.7, "adverse_reaction")
    ('disagrees', 'page says less common; the current label gives 16.3%, outside 0.1-10% for less common')
    """
    label_category = None if label_category is None or pd.isna(label_category) else str(label_category)
    if status == NOT_CAPTURED:
        return "not comparable", "no captured label fact to compare with"
    if severity is None or pd.isna(severity):
        return "not comparable", "the page's tier was not recognised"
    cats = set((label_category or "").split(JOIN))
    if severity == "serious":
        if cats & {"warning", "contraindication"}:
            return "agrees", "page says serious; the label lists it as a " + " and ".join(
                sorted(cats & {"warning", "contraindication"}))
        inc = incidence_current if not pd.isna(incidence_current) else incidence_superseded
        where = f" ({inc:g}% in the trial table)" if not pd.isna(inc) else ""
        return "disagrees", f"page says serious; the label lists it only as an adverse reaction{where}"
    if not pd.isna(incidence_current):
        inc, which = incidence_current, "current"
    elif not pd.isna(incidence_superseded):
        inc, which = incidence_superseded, "superseded"
    else:
        if severity == "common":
            return "disagrees", ("page says common; the captured label facts give no incidence (listed as "
                                 + (label_category or "?").replace("_", " ") + ")")
        return "not comparable", "the captured label facts give no incidence"
    low, high = TIER_BANDS[severity]
    band = f"{low:g}-{high:g}%" if high <= 100 else f"at least {low:g}%"
    if low <= inc < high:
        return "agrees", f"page says {severity}; the {which} label gives {inc:g}%, within {band} for {severity}"
    return "disagrees", f"page says {severity}; the {which} label gives {inc:g}%, outside {band} for {severity}"


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
    facts : label facts (LabelFactsSchema); default :func:`load_label_facts`.
    synonyms : synonyms (SynonymsSchema); default :func:`load_synonyms`.

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
    codes, drugs, phrases = _pair_codes(side_effects["drug"], side_effects["name"])
    pair_sig, sigs = _signatures(drugs, phrases, facts, synonyms, tuple(CLAIM_PRECEDENCE))
    summary = _summaries(sigs, facts, CLAIM_PRECEDENCE, NOT_CAPTURED)
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
        else:
            out[col] = pd.Series(values.to_numpy()[row_sig], dtype=values.dtype)
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
    out["tier_note"] = pd.Series(notes[inverse], dtype="string")
    frame = pd.DataFrame(out, index=pd.RangeIndex(n))
    return frame.loc[:, list(CLAIM_COLUMNS)]


# --- the premises ---------------------------------------------------------------------------------

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
        one of its related links (origin "related link", line of the link). Columns: source_file,
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
    codes, drugs, phrases = _pair_codes(rows["premise_drug"], rows["premise_condition"])
    pair_sig, sigs = _signatures(drugs, phrases, facts, synonyms, CATEGORIES)
    summary = _summaries(sigs, facts, PREMISE_PRECEDENCE, "none of the captured label facts")
    summary = summary.drop(columns=["incidence_current", "incidence_superseded"])
    picked = summary.iloc[pair_sig[codes]].reset_index(drop=True)
    out = pd.concat([rows, picked], axis=1)
    for col in ("source_file", "sha256", "drug", "condition", "origin", "premise_drug"):
        out[col] = out[col].astype("category")
    out["status"] = out["status"].astype(PREMISE_DTYPE)
    return out.loc[:, list(PREMISE_COLUMNS)]


# --- where users see it ---------------------------------------------------------------------------

def claims_csv(claims: pd.DataFrame) -> str:
    """The claims table as CSV text, citations included, the coverage note as a first '#' line.

    Read it back with ``pd.read_csv(io.StringIO(text), comment="#")``... except that citations may
    hold '#'; use ``skiprows=1`` instead.
    """
    buf = io.StringIO()
    buf.write(f"# {COVERAGE_NOTE}\n")
    claims.loc[:, [c for c in CLAIM_COLUMNS if c in claims.columns]].to_csv(buf, index=False)
    return buf.getvalue()


#: Columns the text report shows (the JSON and CSV forms carry every column).
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "claims": ("line", "drug", "tier", "claim", "status", "label_term", "incidence_current",
               "incidence_superseded", "tier_check"),
    "premises": ("line", "drug", "origin", "premise_condition", "status", "label_term"),
    "numbers": ("source_file", "line", "drug", "text", "status", "label_value"),
}
TEXT_WIDTH = 48


def audit_tables(corpus, reference_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """The three tables of the label check for a corpus: claims, premises and numbers.

    Label facts come from ``corpus.label_facts`` when it holds them, else from ``reference_dir``
    (default :data:`explorer.config.REFERENCE_DIR`), as do synonyms and label numbers.
    """
    from .label_numbers import number_checks

    ref = config.REFERENCE_DIR if reference_dir is None else Path(reference_dir)
    facts = corpus.label_facts if getattr(corpus, "label_facts", None) is not None else load_label_facts(ref)
    synonyms = load_synonyms(ref)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skipped pages are reported in the output instead
        numbers = number_checks(corpus.articles, load_label_numbers(ref), facts, synonyms,
                                root=getattr(corpus, "root", None))
    return {"claims": claims_table(corpus.side_effects, facts, synonyms),
            "premises": premises_table(corpus.articles, corpus.related, facts, synonyms),
            "numbers": numbers}


def _records(df: pd.DataFrame) -> list[dict]:
    return json.loads(df.to_json(orient="records", force_ascii=False))


def audit_report(corpus, fmt: str = "text", reference_dir: Path | None = None) -> str:
    """The label check of a corpus, as printed by ``explorer audit``.

    Parameters
    ----------
    corpus : a :class:`explorer.corpus.Corpus`.
    fmt : "text" (readable tables), "json" (one object: coverage_note, claims, premises, numbers,
        skipped_sources) or "csv" (the three tables one after another, each headed by a '# <name>'
        line, after a '# ' line with the coverage note).
    reference_dir : where the reference data is; default ``data/reference``.

    Every form starts with :data:`COVERAGE_NOTE`.
    """
    if fmt not in ("text", "json", "csv"):
        raise ValueError(f"unknown format {fmt!r}; expected text, json or csv")
    tables = audit_tables(corpus, reference_dir)
    skipped = tables["numbers"].attrs.get("skipped", [])
    if fmt == "json":
        return json.dumps({"coverage_note": COVERAGE_NOTE,
                           **{name: _records(df) for name, df in tables.items()},
                           "skipped_sources": [{"source_file": s, "reason": r} for s, r in skipped]},
                          ensure_ascii=False, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        buf.write(f"# {COVERAGE_NOTE}\n")
        for name, df in tables.items():
            buf.write(f"# {name}\n")
            df.to_csv(buf, index=False)
        return buf.getvalue()
    claims, premises, numbers = tables["claims"], tables["premises"], tables["numbers"]
    flagged = numbers[numbers["flagged"]]
    disagree = claims[claims["tier_check"] == "disagrees"]
    parts = [
        "LABEL CHECK", f"Note: {COVERAGE_NOTE}", "",
        f"CLAIMS: {len(claims)} side-effect claims; by status: " + _counts(claims["status"]),
        _text_table(claims, "claims"), "",
        f"Tier check: {len(disagree)} claim(s) where the page's tier and the label disagree"
        + (":" if len(disagree) else "."),
        *(f"  {_where(r)} {r.claim}: {r.tier_note}" for r in disagree.itertuples()), "",
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
    if skipped:
        parts += ["", f"{len(skipped)} page source(s) not read for the number check:"]
        parts += [f"  {s}: {r}" for s, r in skipped]
    return "\n".join(parts) + "\n"


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
