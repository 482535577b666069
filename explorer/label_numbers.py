"""Numbers in page text (durations and percentages) compared with the figures a label states.

The corpus tables keep no prose, so the page's source file is read again (decoded with
:func:`explorer.parser.decode`, split into lines the way the parser does) and each number is reported with
its line. The label's figures are data: durations in ``*_label_numbers.csv``, incidences in the label
facts; nothing is hard-coded here.

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

import hashlib
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from .label import (COVERAGE_NOTE, JOIN, Matcher, load_label_facts, load_label_numbers, load_synonyms,
                    term_forms, words)
from .parser import decode, html_lines, text_lines

__all__ = ["COVERAGE_NOTE", "NUMBER_STATUSES", "NumberMention", "extract_numbers", "number_checks",
           "parse_number"]

_UNITS_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
                "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
                "nineteen": 19}
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
               "eighty": 80, "ninety": 90}
_WORD_NUM = (r"(?:(?:" + "|".join(_TENS_WORDS) + r")(?:[- ](?:" + "|".join(list(_UNITS_WORDS)[1:10])
             + r"))?|" + "|".join(sorted(_UNITS_WORDS, key=len, reverse=True)) + r"|(?:one |a )?hundred)")
_NUM = rf"(?:\d+(?:\.\d+)?|{_WORD_NUM})"
_RANGE = rf"(?P<low>{_NUM})(?:\s*(?:to|-|–|—|or|and)\s*(?P<high>{_NUM}))?"
_DURATION = re.compile(rf"\b{_RANGE}[\s-]*(?P<unit>years?|yrs?|months?|weeks?|days?)\b", re.I)
_PERCENT = re.compile(rf"\b{_RANGE}\s*(?P<unit>%|percent\b|per cent\b)", re.I)
#: Words that show a duration is about how long the drug is used.
USE_PERIOD = re.compile(r"\b(remov\w*|replac\w*|last\w*|effective\w*|up to|in place|keep|kept|leave|left|"
                        r"protect\w*|approved|wear\w*|use[ds]? for|works? for)\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_UNIT_NAMES = {"y": "year", "m": "month", "w": "week", "d": "day", "%": "percent", "p": "percent"}
#: How close a percentage must be to a label incidence to count as the same figure.
PERCENT_TOLERANCE = 0.05

NUMBER_STATUSES: tuple[str, ...] = ("matches current label", "matches superseded label",
                                    "differs from the label", "not compared")
NUMBER_STATUS_DTYPE = pd.CategoricalDtype(list(NUMBER_STATUSES), ordered=False)
NUMBER_COLUMNS: tuple[str, ...] = ("source_file", "sha256", "line", "drug", "condition", "quantity", "text",
                                   "low", "high", "unit", "sentence", "label_value", "status", "flagged",
                                   "note", "source_url")


def parse_number(text: str) -> float:
    """A number written in digits or words.

    >>> [parse_number(t) for t in ("16.3", "five", "Twenty-five", "eight", "one hundred")]
    [16.3, 5.0, 25.0, 8.0, 100.0]
    """
    t = text.strip().casefold()
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    if t.endswith("hundred"):
        return 100.0
    parts = re.split(r"[- ]", t)
    total = 0
    for p in parts:
        total += _TENS_WORDS.get(p, _UNITS_WORDS.get(p, 0))
    return float(total)


@dataclass(frozen=True)
class NumberMention:
    """One duration or percentage found in a line of text."""

    quantity: str  # "duration" | "percentage"
    text: str  # as written
    low: float
    high: float  # == low unless a range
    unit: str  # year, month, week, day or percent
    start: int  # offset in the line
    sentence: str  # the sentence it stands in


def _sentence_at(line: str, pos: int) -> str:
    start = 0
    for m in _SENTENCE.finditer(line):
        if m.start() >= pos:
            return line[start:m.start()].strip()
        start = m.end()
    return line[start:].strip()


def extract_numbers(line: str) -> list[NumberMention]:
    """Durations and percentages in one line of text, in order (number words included).

    >>> [(m.low, m.high, m.unit) for m in extract_numbers("remove it after five to seven years; 16.3% had it")]
    [(5.0, 7.0, 'year'), (16.3, 16.3, 'percent')]
    >>> extract_numbers("one of the most common effects")
    []
    """
    found = []
    for quantity, pattern in (("duration", _DURATION), ("percentage", _PERCENT)):
        for m in pattern.finditer(line):
            low = parse_number(m.group("low"))
            high = parse_number(m.group("high")) if m.group("high") else low
            unit = _UNIT_NAMES[m.group("unit").casefold()[0]]
            found.append(NumberMention(quantity, m.group(0).strip(), low, max(low, high), unit, m.start(),
                                       _sentence_at(line, m.start())))
    return sorted(found, key=lambda m: m.start)


def resolve_source(source_file: str, root: Path | None = None) -> Path | None:
    """Where a page's source file is now: as given, from the working folder, the project or the corpus."""
    p = Path(source_file)
    if p.is_absolute():
        return p if p.exists() else None
    bases = [Path.cwd(), config.PROJECT_ROOT]
    if root is not None:
        bases += [Path(root), *Path(root).resolve().parents]
    for base in bases:
        if (base / p).exists():
            return base / p
    return None


def _page_lines(path: Path, fmt: str) -> tuple[list, list[str] | None, str]:
    """The page's lines as the parser sees them, the raw source lines (HTML only) and the sha256."""
    data = path.read_bytes()
    text, _ = decode(data, str(path))
    if fmt == "html":
        return html_lines(text), text.splitlines(), hashlib.sha256(data).hexdigest()
    return text_lines(text), None, hashlib.sha256(data).hexdigest()


def _source_line(start: int, m: NumberMention, raw: list[str] | None) -> int:
    """The line of the number itself: an HTML block may span lines, the parser gives where it starts."""
    if raw is None:
        return start
    first = re.split(r"[\s%-]", m.text, maxsplit=1)[0]
    pattern = re.compile(rf"(?<![\w.]){re.escape(first)}(?![\w])", re.I)
    for i in range(start - 1, min(len(raw), start + 200)):
        if pattern.search(raw[i]):
            return i + 1
    return start


def _fmt(v: float) -> str:
    return f"{v:g}"


def _compare_duration(m: NumberMention, ref: pd.DataFrame) -> tuple[str, str, str, str | None]:
    """(status, label_value, note, source_url) for one duration against a drug's label durations."""
    if not USE_PERIOD.search(m.sentence):
        return "not compared", "", "the sentence does not speak of how long the drug is used", None
    if m.unit == "month":
        value = m.high / 12
    elif m.unit == "year":
        value = m.high
    else:
        return "not compared", "", f"the label figures are in years, the page gives {m.unit}s", None
    if ref.empty:
        return "not compared", "", "no label duration captured for this drug", None
    current = ref[ref["label_version"] == "current"]
    superseded = ref[ref["label_version"] == "superseded"]
    current_text = JOIN.join(f"{u} up to {_fmt(v)} years" for u, v in zip(current["use"], current["value"]))
    label_value = f"{current_text} (current label)" if current_text else ""
    said = f"page says {_fmt(m.low)}-{_fmt(m.high)}" if m.low != m.high else f"page says {_fmt(m.high)}"
    said += f" {m.unit}s"
    urls = JOIN.join(dict.fromkeys(u for u in ref["source_url"] if u)) or None
    same = current[np.isclose(current["value"], value)]
    if len(same):
        return ("matches current label", label_value,
                f"{said}; the current label gives {_fmt(value)} years for " + JOIN.join(same["use"]), urls)
    old = superseded[np.isclose(superseded["value"], value)]
    if len(old):
        return ("matches superseded label", label_value,
                f"{said}; current label: {current_text or 'no duration captured'}; {_fmt(value)} years is a "
                "superseded label figure (" + JOIN.join(dict.fromkeys(old["use"])) + "); source: "
                + JOIN.join(n.rstrip(".") for n in dict.fromkeys(old["source_note"])), urls)
    return ("differs from the label", label_value,
            f"{said}; current label: {current_text}; no captured label duration is {_fmt(value)} years", urls)


def _compare_percent(m: NumberMention, incidences: list[tuple[tuple[str, ...], pd.DataFrame]]
                     ) -> tuple[str, str, str, str | None]:
    present = set(words(m.sentence))
    named = [(forms, rows) for forms, rows in incidences
             if any(f and set(f.split()) <= present for f in forms)]
    if not named:
        return "not compared", "", "the sentence names no label adverse reaction with an incidence", None
    if len(named) > 1:
        return ("not compared", "", "the sentence names several label adverse reactions: "
                + JOIN.join(str(r["term"].iloc[0]) for _, r in named), None)
    rows = named[0][1]
    term = str(rows["term"].iloc[0])
    label_value = JOIN.join(f"{term} {_fmt(v)}% ({ver} label)"
                            for v, ver in zip(rows["incidence_percent"], rows["label_version"]))
    urls = JOIN.join(dict.fromkeys(rows["source_url"].astype(str))) or None
    for version, status in (("current", "matches current label"), ("superseded", "matches superseded label")):
        r = rows[(rows["label_version"] == version)
                 & ((rows["incidence_percent"] - m.high).abs() <= PERCENT_TOLERANCE)]
        if len(r):
            return status, label_value, f"page says {_fmt(m.high)}% for {term}; the {version} label gives the same", urls
    return "differs from the label", label_value, f"page says {_fmt(m.high)}% for {term}", urls


def number_checks(articles: pd.DataFrame, numbers: pd.DataFrame | None = None,
                  facts: pd.DataFrame | None = None, synonyms: pd.DataFrame | None = None,
                  root: Path | None = None) -> pd.DataFrame:
    """Find durations and percentages in each page's text and compare them with the label.

    Parameters
    ----------
    articles : the corpus' articles table (source_file, sha256, drug, condition, format are used).
    numbers, facts, synonyms : reference tables; defaults are loaded from ``data/reference``.
    root : the corpus folder, one more place to look for relative source paths.

    Returns
    -------
    pd.DataFrame
        Each row represents one number written on one page. Columns: source_file, sha256, line (of
        the number in the source file), drug, condition, quantity (duration or percentage), text (as
        written), low, high, unit, sentence, label_value (what the captured label facts say), status
        (:data:`NUMBER_STATUSES`), flagged (True when the label states it differently), note,
        source_url. Pages whose source cannot be read, or has changed since it was parsed, are
        skipped with a warning and listed in ``result.attrs["skipped"]`` as (source_file, reason).
    """
    numbers = load_label_numbers() if numbers is None else numbers
    facts = load_label_facts() if facts is None else facts
    synonyms = load_synonyms() if synonyms is None else synonyms
    rows: list[tuple] = []
    skipped: list[tuple[str, str]] = []
    per_drug: dict[str, tuple[pd.DataFrame, list]] = {}
    for art in articles.itertuples(index=False):
        src, drug = str(art.source_file), str(art.drug)
        path = resolve_source(src, root)
        if path is None:
            skipped.append((src, "source file not found"))
            continue
        try:
            lines, raw, sha = _page_lines(path, str(art.format))
        except Exception as e:  # noqa: BLE001 - one unreadable page must not hide the others
            skipped.append((src, f"cannot read: {e}"))
            continue
        if sha != str(art.sha256):
            skipped.append((src, "changed since it was parsed (sha256 differs); lines would not match"))
            continue
        key = drug.casefold()
        if key not in per_drug:
            ref = numbers[(numbers["product"].astype(str).str.casefold() == key)
                          & (numbers["quantity"] == "duration")]
            matcher = Matcher(facts, synonyms, drug, ("adverse_reaction",))
            mine = facts[(facts["product"].astype(str).str.casefold() == key)
                         & (facts["category"] == "adverse_reaction") & facts["incidence_percent"].notna()]
            incidences = []
            for term, g in mine.groupby(mine["term"].astype(str), sort=False):
                forms = tuple(term_forms(term)) + tuple(k for k, ts in matcher.synonyms.items()
                                                        if any(t == term for t, _ in ts))
                incidences.append((forms, g))
            per_drug[key] = (ref, incidences)
        ref, incidences = per_drug[key]
        for line in lines:
            for m in extract_numbers(line.text):
                if m.quantity == "duration":
                    status, label_value, note, url = _compare_duration(m, ref)
                else:
                    status, label_value, note, url = _compare_percent(m, incidences)
                rows.append((src, str(art.sha256), _source_line(line.number, m, raw), drug, str(art.condition), m.quantity,
                             m.text, m.low, m.high, m.unit, m.sentence[:300], label_value or None, status,
                             status in ("matches superseded label", "differs from the label"), note, url))
    for src, reason in skipped:
        warnings.warn(f"{src}: number check skipped: {reason}", stacklevel=2)
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
    out.attrs["skipped"] = skipped
    return out
