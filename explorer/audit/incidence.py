"""The drug's incidence from a label's tables: one frequency table per label, and the lookup in it.

:func:`frequency_table` reads every table of a label (the store's table rows) into one long table:
one row per (term, arm), with the term as written, the arm (its column's header text), the dose the
header gives, the percent (low, high, and whether it is a bound: "<1"), the population (adult,
paediatric, elderly), the table's number and caption, the section and passage, and the header cells
the value comes from. Each row says whether it gives the drug's incidence (``set_aside`` empty) or why
not:

- **discontinuation**: a table of reactions that *led to discontinuation* (or withdrawal, dose
  interruption) counts how often a reaction made patients stop, not how often it occurred;
- **placebo** (or vehicle, sham): the background rate;
- **comparator**: a column naming another drug (one of ``other_names``) or a comparator arm
  ("chemotherapy", "best supportive care"); where a column names the label's own drug, every other
  named column is a comparator;
- **grade**: a "Grade 3 or 4" column counts only the severe cases;
- **not a percent**: rates per 1000 patients or per patient-years, ratios, means; values above 100;
- **count**: a column of numbers of patients with no percent;
- **arms not named**: several value columns and nothing telling which is the drug's.

Paediatric rows are kept with ``population`` "paediatric"; the lookup leaves them out unless asked.

Which arm a column is, and what a cell says, is read by :mod:`explorer.audit.arms` (the cue words are
data: ``data/reference/incidence_cues.csv``). Body-system rows that carry no values ("Gastrointestinal
Disorders") become the ``group`` of the rows under them, and a term's grade rows ("Neutropenia" then
"Any", "Grade 3/4") are looked up by the term above them.

:class:`IncidenceIndex` answers, for the folded words of a matched term, the drug's incidence: from the
first table that gives the term (the adverse-reactions section's tables first: the label's main trial
table), the drug's arms in that table (lowest to highest over its doses; a pooled "Total" or "Any dose"
column stands for the drug in that table when it has one), with the row it comes from, so the evidence
can cite the table number, caption and column header. The folding is an argument, so the matching's
own folding can be plugged in.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .arms import Cues, TableRead, load_cues, name_keys, read_cell, read_table

#: Why a value is not the drug's incidence (the ``set_aside`` column), in the order they are decided.
SET_ASIDE: tuple[str, ...] = ("discontinuation", "not a percent", "placebo", "comparator", "grade", "count",
                              "arms not named")
POPULATIONS: tuple[str, ...] = ("adult", "paediatric", "elderly")

#: The columns of :func:`frequency_table`.
FREQUENCY_COLUMNS: tuple[str, ...] = (
    "key", "section", "position", "number", "heading", "table", "table_number", "caption", "row", "column",
    "term", "group", "subrow", "arm", "headers", "arm_kind", "dose", "n", "value", "percent_low",
    "percent_high", "bound", "population", "set_aside")

Fold = Callable[[str], Sequence[str]]
#: A term that is a grade or a total under the term above it ("Neutropenia", then "Any", "Grade 3/4").
_SUBROW = re.compile(r"(?:any|all|all grades|any grade|total|overall|grades?\s*\S.*|severe|moderate|mild|serious|"
                     r"[<>≤≥].*|\d.*)", re.I)


# ------------------------------------------------------------------------------------------------ the table
def frequency_table(table_rows: pd.DataFrame, drug_names: Iterable[str] | dict[str, Iterable[str]],
                    passages: pd.DataFrame | None = None, other_names: Iterable[str] = (),
                    cues: Cues | None = None) -> pd.DataFrame:
    """One frequency table for the labels of ``table_rows`` (the store's ``table_rows(keys)``).

    Parameters
    ----------
    table_rows : key, section, position, table, caption, part (header or body), row, cells.
    drug_names : the label's own names (brand, generic, substance), or a dict of them per label key.
    passages : the labels' passages (key, section, position, number, heading, text), for the passage's
        number and heading (a "Pediatric Patients" subsection that cites a table makes it paediatric).
    other_names : names of other drugs (besides ``data/reference/drug_names.csv``): a column naming one
        is a comparator (a frozenset is taken as name keys already made by :func:`name_key`).

    Returns
    -------
    pd.DataFrame
        Each row represents one value of one table row in one value column (a term x an arm). Columns:
        :data:`FREQUENCY_COLUMNS`: key, section, position, number and heading (of the passage), table (its
        index in the passage), table_number ("Table 2", from the caption), caption, row (the body row's
        index), column, term (as written), group (the body-system or parent-term row above it), subrow
        (the term is a grade or "Any" under its group), arm (the column's header text), headers (its
        header cells, " | "-joined), arm_kind (drug, pooled, placebo, comparator), dose, n, value (the
        cell as written), percent_low, percent_high, bound ("<1": below percent_high), population
        (adult, paediatric, elderly) and set_aside (:data:`SET_ASIDE`, or missing where the value is the
        drug's incidence).
    """
    cues = cues or load_cues()
    out: list[tuple] = []
    if table_rows is None or not len(table_rows):
        return _frame(out)
    other_names = name_keys(other_names)  # once, not per table
    where: dict[tuple, tuple[str | None, str | None, str | None]] = {}
    if passages is not None and len(passages):
        for key, section, position, number, heading, text in zip(*(passages[c] for c in (
                "key", "section", "position", "number", "heading", "text"))):
            where[(key, section, int(position))] = tuple(x if isinstance(x, str) else None
                                                         for x in (number, heading, text))
    tables: dict[tuple, tuple[object, list, list]] = {}
    for key, section, position, table, caption, part, row, cells in zip(*(table_rows[c] for c in (
            "key", "section", "position", "table", "caption", "part", "row", "cells"))):
        entry = tables.setdefault((key, section, int(position), int(table)), (caption, [], []))
        entry[1 if part == "header" else 2].append((int(row), [str(c) if c is not None else "" for c in cells]))
    for (key, section, position, table), (caption, head, body) in sorted(tables.items(), key=lambda t: t[0]):
        names = drug_names.get(key, ()) if isinstance(drug_names, dict) else drug_names
        number, heading, text = where.get((key, section, position), (None, None, None))
        header = [cells for _, cells in sorted(head, key=lambda r: r[0])]
        rows = [cells for _, cells in sorted(body, key=lambda r: r[0])]
        read = read_table(caption if isinstance(caption, str) else None, header, rows, names, heading, cues,
                          other_names, text)
        out.extend((key, section, position, number, heading, table, *r) for r in _values(read, header, rows))
    return _frame(out)


def _values(read: TableRead, header: list, rows: list) -> list[tuple]:
    """(table_number, caption, row, column, term, group, subrow, arm, headers, arm_kind, dose, n, value, low,
    high, bound, population, set_aside) for each value of the table's body."""
    out = []
    group = None
    found = read.header_rows - len(header)
    for r, cells in enumerate(rows):
        if r < found:
            continue
        term = " ".join(str(cells[0]).split()) if cells else ""
        values = {c: read_cell(cells[c]) for c in read.columns if c < len(cells)}
        if not any(v is not None for v in values.values()):
            if term and not any(str(c).strip() for c in cells[1:]):
                group = term  # a body-system row, or a term whose grades follow
            continue
        # the term is the last text cell before the first value: a table whose first column is the body
        # system ("Gastrointestinal | Nausea | 9 | 3") names the reaction in its second
        first = min(c for c, v in values.items() if v is not None)
        text = [" ".join(str(cells[c]).split()) for c in range(min(first, len(cells)))]
        text = [t for t in text if t]
        row_group = text[0] if len(text) > 1 else None
        term = text[-1] if text else ""
        if not term:
            continue
        subrow = bool(group) and bool(_SUBROW.fullmatch(term))
        for c, v in values.items():
            if v is None:
                continue
            col = read.columns[c]
            reason = read.reasons.get(c)
            if reason is None and (v.high > 100 or (v.form == "number" and col.unit == "count")):
                reason = "not a percent" if v.high > 100 else "count"
            if reason == "count" and v.form in ("bracket", "percent"):
                reason = None  # "n (%)" or "12%" under a header "n": the cell gives the percent
            out.append((read.number, read.caption, r, c, term, row_group or group, subrow, col.arm,
                        " | ".join(col.headers),
                        col.kind, col.dose, col.n, " ".join(str(cells[c]).split()), v.low, v.high, v.bound,
                        col.population, reason))
    return out


def _frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(FREQUENCY_COLUMNS))
    for col in ("percent_low", "percent_high"):
        frame[col] = frame[col].astype("float64")
    frame["bound"] = frame["bound"].astype(bool)
    frame["subrow"] = frame["subrow"].astype(bool)
    frame["n"] = frame["n"].astype("Int64")
    for col in ("position", "table", "row", "column"):
        frame[col] = frame[col].astype("int64")
    return frame


# ------------------------------------------------------------------------------------------------ lookup
def default_fold(text: str) -> tuple[str, ...]:
    """The label check's folding of a phrase (:func:`explorer.audit.fulltext.phrase_words`)."""
    from .fulltext import phrase_words

    return phrase_words(text)


_PARENS = re.compile(r"\(([^()]*)\)")
#: A footnote number glued to the end of a word of three or more lower-case letters ("Edema1", "Rash2").
_GLUED_MARK = re.compile(r"(?<=[a-z]{3})\d{1,2}\b")
_LEAD_IN = re.compile(r"^\s*(?:including|includes|include|incl\.?|e\.g\.,?|eg|such as|i\.e\.,?)\s+", re.I)


def term_forms(term: str) -> list[str]:
    """The phrases a table's term stands for: itself, without its brackets, what its brackets hold ("Fever
    (hyperthermia)", "Sweating (including night sweats)") and each part of a term joined by "/".

    >>> term_forms("Sweating (including night sweats)")
    ['Sweating (including night sweats)', 'Sweating', 'night sweats']
    >>> term_forms("Asthenia/Fatigue")
    ['Asthenia/Fatigue', 'Asthenia', 'Fatigue']
    """
    forms = [term]
    term = _GLUED_MARK.sub("", term)  # "Edema1": a footnote number glued to the word
    forms.append(term)
    outside = " ".join(_PARENS.sub(" ", term).split())
    forms.append(outside)
    forms += [_LEAD_IN.sub("", inner).strip() for inner in _PARENS.findall(term)]
    if "/" in outside:
        forms += [p.strip() for p in outside.split("/")]
    return [f for f in dict.fromkeys(forms) if f]


@dataclass(frozen=True, eq=False)
class Found:
    """The drug's incidence for a term: its drug-arm percents in the first table giving it, and the row."""

    low: float  # the lowest drug-arm value in that table
    high: float
    bound: bool  # ``high`` is a bound: below it ("<1")
    text: str  # "15%", "<1%"
    match: str  # "exact" (the row's term, or a form of it, is the term) or "contains"
    row: dict  # the frequency-table row giving ``high`` (term, table_number, caption, arm, dose, ...)
    rows: pd.DataFrame  # every drug-arm value considered, for the evidence
    table: pd.DataFrame  # the frequency table looked in (every arm of ``row``'s table row is there)

    @property
    def cite(self) -> str:
        """"Table 2 (Adverse reactions ...), LEXAPRO N=715 %: Nausea 15%"."""
        r = self.row
        table = r["table_number"] or "a table"
        caption = f" ({r['caption']})" if r["caption"] and r["caption"] != r["table_number"] else ""
        where = " ".join(x for x in (r["number"], r["heading"]) if x)
        return (f"{table}{caption}{', ' + where if where else ''}, {r['arm'] or 'the drug'}: "
                f"{r['term']} {r['value']}")


class IncidenceIndex:
    """The frequency table of one label (or several), ready to be asked for many terms.

    Parameters
    ----------
    freq : a :func:`frequency_table`.
    fold : text -> its folded meaningful words (default :func:`default_fold`); the terms asked for must be
        folded the same way.
    """

    def __init__(self, freq: pd.DataFrame, fold: Fold | None = None):
        self.fold = fold or default_fold
        self.freq = freq.reset_index(drop=True)
        usable = self.freq["set_aside"].isna().to_numpy()
        self._usable = usable
        self._exact: dict[tuple[str, ...], list[int]] = {}
        self._whole: list[tuple[tuple[str, ...], list[int]]] = []
        by_text: dict[str, list[int]] = {}
        for i, (term, group, subrow) in enumerate(zip(self.freq["term"], self.freq["group"], self.freq["subrow"])):
            if usable[i]:
                by_text.setdefault(group if subrow and isinstance(group, str) else term, []).append(i)
        for text, idx in by_text.items():
            for form in term_forms(text):
                words = tuple(sorted(self.fold(form)))
                if words:
                    self._exact.setdefault(words, []).extend(idx)
            self._whole.append((tuple(self.fold(text)), idx))

    def lookup(self, words: Sequence[str], population: str = "adult") -> Found | None:
        """The drug's incidence for a term's folded ``words``, or None when no table gives one.

        Rows whose term (or a form of it, :func:`term_forms`) has the same words, in any order, are used;
        without any, rows whose term holds the words in a row. ``population`` "adult" uses adult and
        elderly rows; "paediatric" the paediatric rows, else the adult ones.
        """
        words = tuple(w for w in words if w)
        if not words:
            return None
        match = "exact"
        idx = self._exact.get(tuple(sorted(words)), [])
        if not idx:
            match = "contains"
            n = len(words)
            idx = [i for whole, rows in self._whole
                   if any(whole[k:k + n] == words for k in range(len(whole) - n + 1)) for i in rows]
        if not idx:
            return None
        rows = self.freq.iloc[sorted(set(idx))]
        pops = rows["population"]
        if population == "paediatric" and (pops == "paediatric").any():
            rows = rows[(pops == "paediatric").to_numpy()]
        else:
            rows = rows[(pops != "paediatric").to_numpy()]
        if not len(rows):
            return None
        # a table row with a pooled column: that column is the drug's figure in that row
        keys = ["key", "section", "position", "table", "row"]
        pooled = rows.groupby(keys, sort=False)["arm_kind"].transform(lambda k: (k == "pooled").any())
        rows = rows[(~pooled | (rows["arm_kind"] == "pooled")).to_numpy()]
        # the first table that gives the term (the adverse-reactions section's first): the label's main
        # trial table. A later table is another indication, population or study; the highest over all of
        # them agreed with the hand-checked incidences 54 of 70 times, the first table's 63 of 70.
        rank = rows["section"].map(lambda s: 0 if s == "adverse_reactions" else 1).to_numpy()
        first = np.lexsort((rows["table"].to_numpy(), rows["position"].to_numpy(), rank))[0]
        table = rows.iloc[first][["key", "section", "position", "table"]]
        rows = rows[((rows["key"] == table["key"]) & (rows["section"] == table["section"])
                     & (rows["position"] == table["position"]) & (rows["table"] == table["table"])).to_numpy()]
        order = np.lexsort((rows["bound"].to_numpy(), -rows["percent_high"].to_numpy()))
        best = rows.iloc[order[0]]
        high, bound = float(best["percent_high"]), bool(best["bound"])
        low_at = np.lexsort((~rows["bound"].to_numpy(dtype=bool), rows["percent_low"].to_numpy()))[0]
        low, low_bound = float(rows["percent_low"].iloc[low_at]), bool(rows["bound"].iloc[low_at])
        text = f"{'<' if bound else ''}{high:g}%"
        if (low, low_bound) != (high, bound):  # several doses in that table: "9-12%"
            text = f"{'<' if low_bound else ''}{low:g}-{text}"
        row = {k: (None if not isinstance(v, str) and pd.isna(v) else v) for k, v in best.items()}
        return Found(low, high, bound, text, match, row, rows, self.freq)


def drug_incidence(freq: pd.DataFrame, words: Sequence[str], fold: Fold | None = None,
                   population: str = "adult") -> Found | None:
    """:meth:`IncidenceIndex.lookup` once (build an :class:`IncidenceIndex` to ask for many terms)."""
    return IncidenceIndex(freq, fold).lookup(words, population)


def summary(freq: pd.DataFrame) -> dict:
    """What a frequency table holds: tables read, values, rows with a drug-arm percent, values set aside
    by reason, and paediatric drug-arm values (kept, used only when asked for)."""
    tables = freq.drop_duplicates(["key", "section", "position", "table"])
    usable = freq[freq["set_aside"].isna().to_numpy()]
    row_keys = ["key", "section", "position", "table", "row"]
    return {"labels": int(freq["key"].nunique()), "tables": len(tables),
            "tables_with_drug_percent": int(usable.drop_duplicates(["key", "section", "position", "table"]).shape[0]),
            "values": len(freq), "rows": int(freq.drop_duplicates(row_keys).shape[0]),
            "rows_with_drug_percent": int(usable[(usable["population"] != "paediatric").to_numpy()]
                                          .drop_duplicates(row_keys).shape[0]),
            "paediatric_rows": int(usable[(usable["population"] == "paediatric").to_numpy()]
                                   .drop_duplicates(row_keys).shape[0]),
            "set_aside": {r: int((freq["set_aside"] == r).sum()) for r in SET_ASIDE}}
