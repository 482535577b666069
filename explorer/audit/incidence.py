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

Tables as real labels write them are read: header rows in ``<thead>``, or as the first body rows (the
store keeps what the markup says; rows before the first row of values that hold no value are read as
header rows, their spanned cells carried to the right), header rows spread over two or three rows
(arm, N, "%"), placebo-first columns, body-system rows that carry no values ("Gastrointestinal
Disorders"), sub-rows of a term ("Neutropenia" then "Any", "Grade 3/4"), and cells such as "12 (5.3)",
"n (%)", "5.3%", "<1", "3 (<1)", "-", "NR". The words of each kind of cue are data:
``data/reference/incidence_cues.csv``, one row with a note per cue.

:class:`IncidenceIndex` answers, for the folded words of a matched term, the drug's incidence: the
highest drug-arm percent among the rows whose term matches (a table's pooled "Total" or "Any dose"
column stands for the drug in that table when it has one), with the row it comes from, so the evidence
can cite the table number, caption and column header. The folding is an argument, so the matching's
own folding can be plugged in.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..labels.resolve import name_key

CUES_FILE = "incidence_cues.csv"
DRUG_NAMES_FILE = "drug_names.csv"

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


# ------------------------------------------------------------------------------------------------ cues
def _plain(text: str) -> str:
    """Text as cues are matched: de-accented (≥ kept), case folded, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", str(text)).replace("’", "'").casefold()
    return " ".join(text.split())


def _pattern(cues: Iterable[str]) -> re.Pattern:
    alternatives = sorted({re.escape(_plain(c)) for c in cues if c.strip()}, key=len, reverse=True)
    if not alternatives:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])")


@dataclass(frozen=True)
class Cues:
    """The cue words of each kind (see ``incidence_cues.csv``), compiled once."""

    kinds: dict[str, re.Pattern]
    header_words: frozenset[str]
    other_names: frozenset[str]  # name keys of known drugs (comparators when a column names one)

    def has(self, kind: str, text: str | None) -> bool:
        return bool(text) and bool(self.kinds[kind].search(_plain(text)))


@lru_cache(maxsize=8)
def load_cues(reference_dir: Path = config.REFERENCE_DIR) -> Cues:
    """The cues of ``incidence_cues.csv`` (kind, cue, note) and the known drug names of ``drug_names.csv``."""
    kinds: dict[str, list[str]] = {}
    with open(Path(reference_dir) / CUES_FILE, newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            if not row.get("kind") or not row.get("cue"):
                raise ValueError(f"{Path(reference_dir) / CUES_FILE} line {i}: expected kind and cue, found {row}")
            kinds.setdefault(row["kind"].strip(), []).append(row["cue"].strip())
    names: set[str] = set()
    path = Path(reference_dir) / DRUG_NAMES_FILE
    if path.exists():
        with open(path, newline="", encoding="utf-8") as fh:
            names = {name_key(r["name"]) for r in csv.DictReader(fh) if r.get("name")}
    patterns = {k: _pattern(kinds.get(k, ())) for k in (
        "placebo", "comparator", "discontinuation", "paediatric", "elderly", "adult", "pooled", "grade",
        "not percent", "rate", "count")}
    return Cues(patterns, frozenset(_plain(w) for w in kinds.get("header word", ())), frozenset(n for n in names if n))


# ------------------------------------------------------------------------------------------------ cells
_MARKS = "*†‡§¶#‖"
_NONE_CELL = re.compile(r"(?:[-–—]+|n/?a|nr|nd|ne|none|not reported|not applicable)", re.I)
_NUMBER = r"\d+(?:\.\d+)?"
_BOUND = r"[<≤]"
_PLAIN_VALUE = re.compile(rf"({_BOUND})?\s*({_NUMBER})\s*(%)?(?:\s*(?:-|–|to)\s*({_NUMBER})\s*(%)?)?")
#: "2% (30/1678)": the percent, then the patients over the arm's N.
_PERCENT_OF = re.compile(rf"({_BOUND})?\s*({_NUMBER})\s*%\s*[(\[]\s*\d[\d,]*\s*/\s*\d[\d,]*\s*[)\]]")
_BRACKETED = re.compile(rf"(?:(\d[\d,]*)\s*(?:/\s*\d[\d,]*\s*)?)?[(\[]\s*({_BOUND})?\s*({_NUMBER})\s*(%)?\s*[)\]]")


@dataclass(frozen=True)
class Value:
    """A cell read as a number: ``low``-``high`` (equal for one number), a bound ("<1"), and its form."""

    low: float
    high: float
    bound: bool
    form: str  # "bracket" ("12 (5.3)": the percent in brackets), "percent" ("5.3%") or "number" ("57")


@lru_cache(maxsize=1 << 16)
def read_cell(text: str) -> Value | None:
    """A table cell as a value, or None ("", "-", "NR", words).

    >>> read_cell("12 (5.3)"), read_cell("3 (<1)").bound, read_cell("<1%").high, read_cell("NR")
    (Value(low=5.3, high=5.3, bound=False, form='bracket'), True, 1.0, None)
    >>> read_cell("1-2%")
    Value(low=1.0, high=2.0, bound=False, form='percent')
    """
    s = " ".join(str(text or "").split()).rstrip(_MARKS + " ").lstrip(_MARKS + " ")
    s = re.sub(r"(?<=\d)[a-d]$", "", s)  # a footnote letter glued to the number ("15a")
    if not s or _NONE_CELL.fullmatch(s):
        return None
    m = _BRACKETED.fullmatch(s)
    if m:
        v = float(m.group(3))
        return Value(v, v, bool(m.group(2)), "bracket")
    m = _PERCENT_OF.fullmatch(s)
    if m:
        v = float(m.group(2))
        return Value(v, v, bool(m.group(1)), "percent")
    m = _PLAIN_VALUE.fullmatch(s)
    if m:
        low = float(m.group(2))
        high = float(m.group(4)) if m.group(4) else low
        if high < low:
            return None
        return Value(low, high, bool(m.group(1)), "percent" if (m.group(3) or m.group(5)) else "number")
    return None


# ------------------------------------------------------------------------------------------------ columns
_DOSE = re.compile(
    r"\d+(?:[.,]\d+)?(?:\s*(?:-|–|to|/)\s*\d+(?:\.\d+)?)?\s*(?:mg|mcg|µg|μg|g|ml|units?|iu)\b"
    r"(?:\s*/\s*(?:kg|m2|m²|day|d|dose|week|wk|h|hr))*"
    r"(?:\s+(?:once|twice|three times|four times)?\s*(?:daily|a day|per day|weekly|every \d+ (?:weeks|hours|days)|"
    r"bid|tid|qd|qw|q\d+w))?"
    r"|\b(?:high|low|medium|fixed|flexible)[- ]dose\b", re.I)
_N = re.compile(r"\b[nN]\s*[=:]\s*(\d[\d,]*)")
_TABLE_NUMBER = re.compile(r"^\W*table\s*(\d+(?:[a-z](?![a-z]))?)", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|%")
_SUBROW = re.compile(r"(?:any|all|all grades|any grade|total|overall|grades?\s*\S.*|severe|moderate|mild|serious|"
                     r"[<>≤≥].*|\d.*)", re.I)


@dataclass(frozen=True)
class Column:
    """One value column of a table: its header cells and what they say about its arm."""

    index: int
    headers: tuple[str, ...]  # the header cells over it, top down, repeats dropped
    kind: str  # "drug", "pooled" (the drug over all its doses), "placebo", "comparator" or "unnamed"
    dose: str | None
    n: int | None
    unit: str  # "percent", "count" or "not a percent"
    population: str
    grade: bool  # counts only severe grades

    @property
    def arm(self) -> str:
        return " ".join(self.headers)


@dataclass(frozen=True)
class TableRead:
    """One table as read: its number, caption, value columns and why the whole table is set aside."""

    number: str | None  # "Table 2", from the caption
    caption: str | None
    columns: dict[int, Column]
    header_rows: int  # how many leading rows were header rows (those of the markup and those found)
    set_aside: str | None  # "discontinuation" or "not a percent" for every value of the table
    drug_named: bool = False  # a column names the label's own drug
    reasons: dict[int, str | None] = field(default_factory=dict)  # column -> why its values are set aside


@lru_cache(maxsize=1 << 14)
def _key(name: str) -> str:
    return name_key(name)


def _name_keys(names: Iterable[str]) -> frozenset[str]:
    return frozenset(k for k in (_key(n) for n in names if isinstance(n, str) and n.strip()) if k)


def _names_in(text: str, keys: frozenset[str]) -> bool:
    """Whether ``text`` names one of the name ``keys`` (as whole words; a name has at most 6 words)."""
    words = _key(_GLUED_NAME_MARK.sub("", text)).split()
    return any(" ".join(words[i:i + n]) in keys for n in range(1, 7) for i in range(len(words) - n + 1))


#: A footnote number glued to a name ("ARAKODA1", "Mefloquine2").
_GLUED_NAME_MARK = re.compile(r"(?<=[A-Za-z]{3})\d\b")


def _residual(text: str, cues: Cues) -> list[str]:
    """The words of a header that are not dose, N, percent or header words: what names an arm."""
    text = _N.sub(" ", _DOSE.sub(" ", text))
    return [w for w in (_plain(w) for w in _WORD.findall(text)) if w not in cues.header_words and w != "%"]


def _spread(rows: list[list[str]], width: int, carry: bool) -> list[list[str]]:
    """Header rows padded to ``width``; a blank cell right of a filled one takes its text when ``carry``
    (a header row read from the body: its spans were padded, not repeated)."""
    out = []
    for row in rows:
        row = list(row) + [""] * (width - len(row))
        if carry:
            for c in range(2, width):
                if not row[c].strip() and row[c - 1].strip():
                    row[c] = row[c - 1]
        out.append(row)
    return out


def _is_lone(cells: Sequence[str]) -> bool:
    """A row of one filled cell, the first: a title or a group row."""
    return bool(cells) and bool(str(cells[0]).strip()) and not any(str(c).strip() for c in cells[1:])


def _is_value_row(cells: Sequence[str]) -> bool:
    return any(read_cell(c) is not None for c in cells[1:])


def read_table(caption: str | None, header: Sequence[Sequence[str]], body: Sequence[Sequence[str]],
               drug_names: Iterable[str], heading: str | None = None, cues: Cues | None = None,
               other_names: Iterable[str] = (), passage_text: str | None = None) -> TableRead:
    """Read a table's columns: which arm each is (drug, pooled, placebo, comparator), its dose, N, unit
    and population, and why a column or the whole table gives no incidence.

    Leading body rows that hold no value and are not group rows (a term over blank cells) are header
    rows too; ``header`` and those rows together are the header. Leading one-cell rows before them are
    the table's title (its caption when it has none). The passage's ``heading`` ("Pediatric Patients")
    says the population only when the passage's text cites the table by its number: the label store
    puts a table without one in the section's last passage, whatever its heading.
    """
    cues = cues or load_cues()
    caption = caption if isinstance(caption, str) and caption.strip() else None
    titles = 0  # leading one-cell rows: the table's title ("TABLE 2", a caption written as a row)
    while titles < len(body) and _is_lone(body[titles]):
        titles += 1
    found = titles
    while found < len(body) and not _is_lone(body[found]) and not _is_value_row(body[found]):
        found += 1
    if found == titles:  # no header row after them: they were group rows ("Body as a whole"), not a title
        titles = found = 0
    elif titles and not caption:
        caption = " ".join(" ".join(str(c).split()) for row in body[:titles] for c in row if str(c).strip())
    width = max([len(r) for r in header] + [len(r) for r in body], default=0)
    rows = _spread([list(r) for r in header], width, carry=False) + _spread(
        [list(r) for r in body[titles:found]], width, carry=True)
    keys = _name_keys(drug_names)
    others = (cues.other_names | (other_names if isinstance(other_names, frozenset) else _name_keys(other_names))) - keys
    number = None
    if caption:
        m = _TABLE_NUMBER.match(caption)
        number = f"Table {m.group(1)}" if m else None
    cited = bool(number and passage_text and re.search(rf"\btable\s+{re.escape(number[6:])}\b", passage_text, re.I))
    table_aside = None
    if cues.has("discontinuation", caption):
        table_aside = "discontinuation"
    elif cues.has("rate", caption):
        table_aside = "not a percent"
    columns: dict[int, Column] = {}
    kinds: dict[int, str] = {}
    for c in range(1, width):
        headers: list[str] = []
        for r in rows:
            text = " ".join(str(r[c]).split())
            if text and text not in headers:
                headers.append(text)
        arm = " ".join(headers)
        if cues.has("placebo", arm):
            kind = "placebo"
        elif keys and _names_in(arm, keys):
            kind = "drug"
        elif cues.has("comparator", arm) or (others and _names_in(arm, others)):
            kind = "comparator"
        elif not _residual(arm, cues):  # dose, N, grade, "Total": the drug's arm, or all of them pooled
            kind = "pooled" if cues.has("pooled", arm) else "generic"
        else:
            kind = "other"
        kinds[c] = kind
        unit = "percent"
        if cues.has("not percent", arm) or cues.has("rate", arm):
            unit = "not a percent"
        elif "%" not in arm and "percent" not in _plain(arm) and cues.has("count", _N.sub(" ", arm)):
            unit = "count"
        population = _population(cues, arm, caption, heading if cited else None)
        dose = _DOSE.search(arm)
        n = _N.search(arm)
        columns[c] = Column(c, tuple(headers), kind, " ".join(dose.group().split()) if dose else None,
                            int(n.group(1).replace(",", "")) if n else None, unit, population,
                            cues.has("grade", arm))
    named = any(k == "drug" for k in kinds.values())
    active = [c for c, k in kinds.items() if k not in ("placebo",)]
    final: dict[int, Column] = {}
    reasons: dict[int, str | None] = {}
    for c, col in columns.items():
        kind = col.kind
        if kind == "drug" and cues.has("pooled", col.arm):
            kind = "pooled"
        elif kind == "generic":
            kind = "drug"
        elif kind == "other":
            # a column naming something that is not the drug: a comparator beside a column naming the drug;
            # without one, the drug under a name the label does not give ("Depakote"), or a subgroup
            kind = "comparator" if named else "drug"
        elif kind == "comparator" and not named and len(active) == 1 and not cues.has("comparator", col.arm):
            kind = "drug"  # the only active arm, against placebo: the drug under another product's name
        final[c] = Column(col.index, col.headers, kind, col.dose, col.n, col.unit, col.population, col.grade)
    unnamed = not named and sum(1 for k in kinds.values() if k == "other") > 1 and not any(
        k in ("generic", "pooled") for k in kinds.values())
    for c, col in final.items():
        reasons[c] = (table_aside or ("not a percent" if col.unit == "not a percent" else None)
                      or (col.kind if col.kind in ("placebo", "comparator") else None)
                      or ("grade" if col.grade else None) or ("count" if col.unit == "count" else None)
                      or ("arms not named" if unnamed and kinds[c] == "other" else None))
    return TableRead(number, caption, final, len(header) + found, table_aside, named, reasons)


def _population(cues: Cues, *texts: str | None) -> str:
    """Paediatric or elderly when the first text that names a population names only that; else adult."""
    for text in texts:
        if not text:
            continue
        adult = cues.has("adult", text)
        if cues.has("paediatric", text) and not adult:
            return "paediatric"
        if cues.has("elderly", text) and not adult:
            return "elderly"
        if adult:
            return "adult"
    return "adult"


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
    other_names = _name_keys(other_names)  # once, not per table
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
            out.append((read.number, read.caption, r, c, term, group, subrow, col.arm, " | ".join(col.headers),
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
    """The drug's incidence for a term: the highest drug-arm percent, and the row it comes from."""

    low: float  # the lowest drug-arm value among the rows considered
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
        order = np.lexsort((rows["bound"].to_numpy(), -rows["percent_high"].to_numpy()))
        best = rows.iloc[order[0]]
        high, bound = float(best["percent_high"]), bool(best["bound"])
        row = {k: (None if not isinstance(v, str) and pd.isna(v) else v) for k, v in best.items()}
        return Found(float(rows["percent_low"].min()), high, bound, f"{'<' if bound else ''}{high:g}%", match,
                     row, rows, self.freq)


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
