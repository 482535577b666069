"""Matching page phrases (side-effect claims, conditions) to the terms of a drug's label facts.

A phrase is matched in three steps, and the first step that finds something wins:

1. *normalised*: the phrase and every form of a label term are reduced to a key (case folded,
   punctuation and filler words dropped, plural ``-s`` removed, words sorted) and compared exactly;
   ``headache/migraine`` has the forms ``headache``, ``migraine`` and ``headache migraine``.
2. *synonym*: the phrase's key equals the key of a phrase in ``synonyms.csv`` (added to step 1's
   matches, so a condition can be both a warning and a contraindication).
3. *fuzzy*: rapidfuzz's ratio on the keys, at least :data:`FUZZY_THRESHOLD`, and every word must
   pair with a word of the other side at least :data:`WORD_THRESHOLD` alike (so typos match, while
   ``increased`` vs ``decreased`` or ``breast pain`` vs ``breast cancer`` do not).

No match is better than a wrong one. Matching runs once per unique (drug, phrase) pair, and pairs
with the same matches share a *signature*, so what follows from the matches is computed once per
signature (:mod:`explorer.audit.evidence`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from .vocabulary import CATEGORIES, FUZZY_THRESHOLD

#: How alike each word of a fuzzy match must be to a word of the other side (see :func:`_words_pair`).
WORD_THRESHOLD = 85.0


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
    facts : label facts of any drugs (LABEL_FACTS); only ``product`` == ``drug`` is used.
    synonyms : SYNONYMS table.
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


def signatures(drugs: np.ndarray, phrases: np.ndarray, facts: pd.DataFrame, synonyms: pd.DataFrame,
                categories: tuple[str, ...]) -> tuple[np.ndarray, list[Signature]]:
    """Match each (drug, phrase) pair once; return each pair's signature id and the signatures.

    Signature 0 is "no match". Pairs with the same matches share a signature, so what is derived from
    the matches (status, citations, the tier check) is computed once per signature, not per row.
    """
    index: dict[Signature, int] = {(): 0}
    sigs: list[Signature] = [()]
    out = np.zeros(len(phrases), dtype=np.int64)
    folded = pd.Series(drugs, dtype="string").str.casefold().fillna("")
    with_facts = set(facts["product"].astype("string").str.casefold().dropna())  # other drugs match nothing
    for drug, positions in pd.Series(np.arange(len(phrases))).groupby(folded.to_numpy(), sort=False):
        if drug not in with_facts:
            continue
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
    ids, sigs = signatures(pairs["drug"].to_numpy(), pairs[phrase_column].to_numpy(), facts, synonyms,
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



def factorised(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1 for missing) and the distinct values as strings: a categorical's own codes, else
    factorised once (never a million rows turned into strings)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype(np.int64), np.asarray(values.cat.categories.astype(str), dtype=object)
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    return codes.astype(np.int64), np.asarray([str(u) for u in uniques], dtype=object)


def pair_codes(drugs: pd.Series, phrases: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes of each row's (drug, phrase) pair, and the unique drugs and phrases (in code order, first
    seen first; a missing value is ``pd.NA``).

    >>> codes, drugs, phrases = pair_codes(pd.Series(["D", "E", "D"]), pd.Series(["x", "y", "x"]))
    >>> codes.tolist(), drugs.tolist(), phrases.tolist()
    ([0, 1, 0], ['D', 'E'], ['x', 'y'])
    """
    drug_codes, drug_values = factorised(drugs)
    phrase_codes, phrase_values = factorised(phrases)
    width = len(phrase_values) + 1
    codes, keys = pd.factorize((drug_codes + 1) * width + (phrase_codes + 1))  # one int64 per pair
    drug_values, phrase_values = np.append(drug_values, pd.NA), np.append(phrase_values, pd.NA)  # code -1: NA
    return codes, drug_values[keys // width - 1], phrase_values[keys % width - 1]
