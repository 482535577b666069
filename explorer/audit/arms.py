"""A label table's columns and cells: which arm each column is, and what each cell says as a number.

:func:`read_table` reads a table as the label store holds it (caption, header rows, body rows) and says,
for each value column, whose arm it is: the drug's (named, or a dose or "All Grades" column under it),
the drug pooled over its doses ("Total", "Any dose"), placebo (or vehicle, sham), or a comparator (a
column naming another drug, or "chemotherapy", "best supportive care"); its dose, N, unit (percent,
count, or not a percent: rates per 1000 or per patient-year, ratios, means) and population (adult,
paediatric, elderly); and why its values are no incidence of the drug. :func:`read_cell` reads one cell
("12 (5.3)", "5.3%", "<1", "3 (<1)", "2% (30/1678)"; "-", "NR" and words are no value). The cue words
are data: ``data/reference/incidence_cues.csv``, one row with a note per cue.

Used by :mod:`explorer.audit.incidence` (the frequency table) and :mod:`explorer.audit.excerpt`.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import config
from ..labels.resolve import name_key

CUES_FILE = "incidence_cues.csv"
DRUG_NAMES_FILE = "drug_names.csv"

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


def name_keys(names: Iterable[str]) -> frozenset[str]:
    """The drug names as :func:`explorer.labels.resolve.name_key` compares them (salt words dropped)."""
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
    keys = name_keys(drug_names)
    others = (cues.other_names | (other_names if isinstance(other_names, frozenset) else name_keys(other_names))) - keys
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
