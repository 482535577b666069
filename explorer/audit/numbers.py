"""Numbers written on the pages (durations and percentages) compared with the figures a label states.

The pages' numbers come from the corpus's ``numbers`` table (found at ingest by
:mod:`explorer.pages.numbers`, each with its file and line); the label's figures are data: durations
in ``*_label_numbers.csv``, incidences in the label facts; nothing is hard-coded here.

The rules:

- a *duration* in years (or months, converted) is compared only when its sentence speaks of how long the
  drug is used ("removed after", "lasts", "up to", "replace", ...); the page's stated maximum (the upper
  end of a range) is compared with the label's durations for that drug: equal to a current one ->
  "matches current label"; else equal to a superseded one -> "matches superseded label" (flagged); else
  "differs from the label" (flagged);
- a *percentage* is compared only when its sentence names exactly one label adverse reaction that has an
  incidence; equal (to 0.05) to the current incidence -> matches current; to a superseded one -> flagged
  as superseded; otherwise flagged as different;
- everything else is listed as "not compared" (never dropped, never flagged).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .matching import Matcher, term_forms, words
from .reference import load_label_facts, load_label_numbers, load_synonyms
from .vocabulary import JOIN, NUMBER_STATUS_DTYPE, NumberStatus

#: Words that show a duration is about how long the drug is used.
USE_PERIOD = re.compile(r"\b(remov\w*|replac\w*|last\w*|effective\w*|up to|in place|keep|kept|leave|left|"
                        r"protect\w*|approved|wear\w*|use[ds]? for|works? for)\b", re.I)
#: How close a percentage must be to a label incidence to count as the same figure.
PERCENT_TOLERANCE = 0.05

NUMBER_COLUMNS: tuple[str, ...] = ("source_file", "sha256", "line", "drug", "condition", "quantity", "text",
                                   "low", "high", "unit", "sentence", "label_value", "status", "flagged",
                                   "note", "source_url")


def _fmt(v: float) -> str:
    return f"{v:g}"


def _compare_duration(m, ref: pd.DataFrame) -> tuple[str, str, str, str | None]:
    """(status, label_value, note, source_url) for one duration against a drug's label durations."""
    if not USE_PERIOD.search(m.sentence):
        return NumberStatus.NOT_COMPARED, "", "the sentence does not speak of how long the drug is used", None
    if m.unit == "month":
        value = m.high / 12
    elif m.unit == "year":
        value = m.high
    else:
        return NumberStatus.NOT_COMPARED, "", f"the label figures are in years, the page gives {m.unit}s", None
    if ref.empty:
        return NumberStatus.NOT_COMPARED, "", "no label duration captured for this drug", None
    current = ref[ref["label_version"] == "current"]
    superseded = ref[ref["label_version"] == "superseded"]
    current_text = JOIN.join(f"{u} up to {_fmt(v)} years" for u, v in zip(current["use"], current["value"]))
    label_value = f"{current_text} (current label)" if current_text else ""
    said = f"page says {_fmt(m.low)}-{_fmt(m.high)}" if m.low != m.high else f"page says {_fmt(m.high)}"
    said += f" {m.unit}s"
    urls = JOIN.join(dict.fromkeys(u for u in ref["source_url"] if u)) or None
    same = current[np.isclose(current["value"], value)]
    if len(same):
        return (NumberStatus.CURRENT, label_value,
                f"{said}; the current label gives {_fmt(value)} years for " + JOIN.join(same["use"]), urls)
    old = superseded[np.isclose(superseded["value"], value)]
    if len(old):
        return (NumberStatus.SUPERSEDED, label_value,
                f"{said}; current label: {current_text or 'no duration captured'}; {_fmt(value)} years is a "
                "superseded label figure (" + JOIN.join(dict.fromkeys(old["use"])) + "); source: "
                + JOIN.join(n.rstrip(".") for n in dict.fromkeys(old["source_note"])), urls)
    return (NumberStatus.DIFFERS, label_value,
            f"{said}; current label: {current_text}; no captured label duration is {_fmt(value)} years", urls)


def _compare_percent(m, incidences: list[tuple[tuple[str, ...], pd.DataFrame]]
                     ) -> tuple[str, str, str, str | None]:
    present = set(words(m.sentence))
    named = [(forms, rows) for forms, rows in incidences
             if any(f and set(f.split()) <= present for f in forms)]
    if not named:
        return NumberStatus.NOT_COMPARED, "", "the sentence names no label adverse reaction with an incidence", None
    if len(named) > 1:
        return (NumberStatus.NOT_COMPARED, "", "the sentence names several label adverse reactions: "
                + JOIN.join(str(r["term"].iloc[0]) for _, r in named), None)
    rows = named[0][1]
    term = str(rows["term"].iloc[0])
    label_value = JOIN.join(f"{term} {_fmt(v)}% ({ver} label)"
                            for v, ver in zip(rows["incidence_percent"], rows["label_version"]))
    urls = JOIN.join(dict.fromkeys(rows["source_url"].astype(str))) or None
    for version, status in (("current", NumberStatus.CURRENT), ("superseded", NumberStatus.SUPERSEDED)):
        r = rows[(rows["label_version"] == version)
                 & ((rows["incidence_percent"] - m.high).abs() <= PERCENT_TOLERANCE)]
        if len(r):
            return status, label_value, f"page says {_fmt(m.high)}% for {term}; the {version} label gives the same", urls
    return NumberStatus.DIFFERS, label_value, f"page says {_fmt(m.high)}% for {term}", urls



def _label_figures(drug: str, numbers: pd.DataFrame, facts: pd.DataFrame, synonyms: pd.DataFrame):
    """A drug's label durations, and its adverse reactions with an incidence (with every form a page may
    name them by)."""
    key = drug.casefold()
    durations = numbers[(numbers["product"].astype(str).str.casefold() == key) & (numbers["quantity"] == "duration")]
    matcher = Matcher(facts, synonyms, drug, ("adverse_reaction",))
    mine = facts[(facts["product"].astype(str).str.casefold() == key)
                 & (facts["category"] == "adverse_reaction") & facts["incidence_percent"].notna()]
    incidences = []
    for term, g in mine.groupby(mine["term"].astype(str), sort=False):
        forms = tuple(term_forms(term)) + tuple(k for k, ts in matcher.synonyms.items() if any(t == term for t, _ in ts))
        incidences.append((forms, g))
    return durations, incidences


def number_checks(mentions: pd.DataFrame, numbers: pd.DataFrame | None = None,
                  facts: pd.DataFrame | None = None, synonyms: pd.DataFrame | None = None) -> pd.DataFrame:
    """Compare the durations and percentages written on the pages with the label.

    Parameters
    ----------
    mentions : the corpus's ``numbers`` table (one row per number written on a page).
    numbers, facts, synonyms : reference tables; defaults are loaded from ``data/reference``.

    Returns
    -------
    pd.DataFrame
        Each row represents one number written on one page. Columns: source_file, sha256, line (of
        the number in the source file), drug, condition, quantity (duration or percentage), text (as
        written), low, high, unit, sentence, label_value (what the captured label facts say), status
        (:data:`~explorer.audit.vocabulary.NUMBER_STATUSES`), flagged (True when the label states it
        differently), note, source_url.
    """
    numbers = load_label_numbers() if numbers is None else numbers
    facts = load_label_facts() if facts is None else facts
    synonyms = load_synonyms() if synonyms is None else synonyms
    rows: list[tuple] = []
    per_drug: dict[str, tuple] = {}
    for m in mentions.itertuples(index=False):
        drug = str(m.drug)
        if drug.casefold() not in per_drug:
            per_drug[drug.casefold()] = _label_figures(drug, numbers, facts, synonyms)
        durations, incidences = per_drug[drug.casefold()]
        if m.quantity == "duration":
            status, label_value, note, url = _compare_duration(m, durations)
        else:
            status, label_value, note, url = _compare_percent(m, incidences)
        rows.append((m.source_file, m.sha256, m.line, drug, m.condition, m.quantity, m.text, m.low, m.high, m.unit,
                     m.sentence, label_value or None, status,
                     status in (NumberStatus.SUPERSEDED, NumberStatus.DIFFERS), note, url))
    out = pd.DataFrame.from_records(rows, columns=list(NUMBER_COLUMNS))
    for col in NUMBER_COLUMNS:
        if col in ("source_file", "sha256", "drug", "condition", "quantity", "unit"):
            out[col] = out[col].astype("string").astype("category")
        elif col == "line":
            out[col] = out[col].astype("int64")
        elif col in ("low", "high"):
            out[col] = out[col].astype("float64")
        elif col == "flagged":
            out[col] = out[col].astype(bool)
        elif col == "status":
            out[col] = out[col].astype(NUMBER_STATUS_DTYPE)
        else:
            out[col] = out[col].astype("string")
    return out
