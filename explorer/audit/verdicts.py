"""One claim's verdict from a label's text: the status, and the evidence a reader checks it by.

A claim (or each part of one naming two effects, "Nausea and vomiting", when the whole is not found) is
searched in the label (:meth:`explorer.audit.fulltext.LabelText.find`) by its own words, by the lay terms
and curated synonyms kept as data, by the medical terms the label's own patient information pairs its
words with (:mod:`explorer.audit.plainwords`) and by the OnSIDES term held for the label. Its status is
the most serious professional section that *lists* it (boxed warning, contraindication, warning, adverse
reaction, indication).

Where the label names it only as a sign of another effect ("symptoms of serotonin syndrome include
agitation"), a reason, a history, a population or the condition treated (:mod:`explorer.audit.guards`),
that mention gives no status: the claim takes the status of where it is listed in its own right, and
whatever a guard set aside in a more serious section than that is said in the note ("set aside in 5.2
Serotonin Syndrome: a sign of another effect"), so a reader sees why a warning's sentence did not make
the claim a warning. "Not found in the label
text" is said only when the whole label was searched and nothing listed the claim; an occurrence a guard
set aside is then the evidence shown.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import numpy as np

from ..labels.records import DAILYMED_URL
from .excerpt import found_excerpt, sentence_excerpt
from .fulltext import LabelText, Occurrence, phrase_words
from .incidence import Found, IncidenceIndex
from .matching import normalise
from .terms import everyday_word, lay_key
from .vocabulary import JOIN, NOT_FOUND, NOT_SPECIFIC

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
_PARTS = re.compile(r"\s*(?:,|;|/|&|\band/or\b|\band\b|\bor\b)\s*", re.I)


@dataclass(frozen=True)
class Finding:
    """What the label says of one claim (or one part of it)."""

    phrase: str  # the claim or part searched
    status: str
    occurrence: Occurrence | None  # the listing that gave the status (or the set-aside one shown)
    method: str  # "normalised", "lay term", "OnSIDES term" or "none"
    note: str | None = None
    form: str | None = None  # the words found, when a lay or OnSIDES term was searched
    incidence: Found | None = None  # the drug's incidence from the label's frequency table


def _rank(status: str | None) -> int:
    return STATUS_RANK.index(status) if status in STATUS_RANK else len(STATUS_RANK)


def section_of(sentence) -> str | None:
    """"6.1 Clinical Trials Experience", else the section key; None without a sentence."""
    if sentence is None:
        return None
    return " ".join(x for x in (sentence.number, sentence.heading) if isinstance(x, str) and x) or sentence.section


def _forms(phrase: str, lay: dict, onsides: dict[str, str],
           text: LabelText | None = None) -> list[tuple[str, str, str | None, str | None]]:
    """(words searched, method, note, label term) for a phrase: its own words, lay terms, the terms the
    label's own patient information pairs its words with, the OnSIDES term."""
    forms: list[tuple[str, str, str | None, str | None]] = [(phrase, "normalised", None, None)]
    key = normalise(phrase)
    forms += [(term, "lay term", note, term) for term, note in lay.get(lay_key(phrase), ())]
    if text is not None:
        forms += [(term, "label's plain words", note, term) for term, note in text.plain_terms(phrase)]
    if key in onsides:
        forms.append((onsides[key], "OnSIDES term", "OnSIDES lists it for this label (research data, "
                                                    "machine-extracted)", onsides[key]))
    return forms


def search(text: LabelText, phrase: str, lay: dict, onsides: dict[str, str],
           incidence: IncidenceIndex | None = None) -> Finding:
    """The finding for one phrase (see the module docstring); with the label's ``incidence`` index, the
    drug's incidence of what was found (by the label's words found, else the form searched)."""
    best: Finding | None = None
    set_aside: list[tuple[str, Finding]] = []  # (section status, finding) of occurrences a guard set aside
    for words, method, note, form in _forms(phrase, lay, onsides, text):
        for occ in text.find(words):
            status = SECTION_STATUS.get(occ.sentence.section)
            if occ.listing and status:
                f = Finding(phrase, status, occ, method, note, form)
                # at one rank, a table row (its incidence and arms are shown) before a sentence
                if best is None or (_rank(status), not occ.sentence.row) < (
                        _rank(best.status), not best.occurrence.sentence.row):
                    best = f
                continue
            set_aside.append((status, Finding(phrase, NOT_FOUND, occ, method, f"found only where it is not a "
                                                                           f"listing: {occ.verdict}", form)))
    if best is not None:
        outranked = [f for s, f in set_aside if s and _rank(s) < _rank(best.status) and f.occurrence is not
                     best.occurrence]
        if outranked:
            o = min(outranked, key=lambda f: _rank(SECTION_STATUS[f.occurrence.sentence.section])).occurrence
            why = f"set aside in {section_of(o.sentence)}: {o.verdict} ({o.sentence.text[:200]!r})"
            best = dataclasses.replace(best, note=JOIN.join(n for n in (best.note, why) if n))
        if incidence is not None and best.status in STATUS_CATEGORY and best.status != "label indication":
            for asked in (best.occurrence.found, best.form, phrase):
                found = incidence.lookup(phrase_words(asked)) if asked else None
                if found is not None:
                    return dataclasses.replace(best, incidence=found)
        return best
    return set_aside[0][1] if set_aside else Finding(phrase, NOT_FOUND, None, "none")


def check_claim(text: LabelText, claim: str, lay: dict, onsides: dict[str, str],
                incidence: IncidenceIndex | None = None) -> list[Finding]:
    """Findings for a claim: one for the claim as a whole, or one per part when only its parts are found;
    "not specific" for one everyday word with no medical reading that the label does not list on its own."""
    word = everyday_word(claim)
    if word is not None and not text.stands_alone(word):
        return [Finding(claim, NOT_SPECIFIC, None, "none", f"{claim!r} is one everyday word with no medical "
                                                          "reading: it names no effect to look for")]
    whole = search(text, claim, lay, onsides, incidence)
    parts = [p for p in _PARTS.split(claim) if phrase_words(p)]
    if whole.status != NOT_FOUND or len(parts) < 2:
        return [whole]
    found = [search(text, p, lay, onsides, incidence) for p in parts]
    return found if any(f.status != NOT_FOUND for f in found) else [whole]


def evidence_row(findings: list[Finding], label: dict | None, resolution) -> dict:
    """The claims-table columns of a claim's findings: status, label term, evidence, incidence, identity."""
    listed = [f for f in findings if f.status in STATUS_CATEGORY]
    main = min(listed, key=lambda f: _rank(f.status)) if listed else findings[0]
    occ = main.occurrence
    sentence = occ.sentence if occ is not None else None
    inc = main.incidence
    section = section_of(sentence)
    excerpt = _excerpt(main, sentence)
    notes = [f.note for f in findings if f.note]
    if inc is not None and (excerpt is None or excerpt.kind != "table row"):
        notes.append(f"incidence from {inc.cite}")
    if len(findings) > 1:
        notes.append("checked part by part: " + "; ".join(f"{f.phrase}: {f.status}" for f in findings))
    return {
        "status": main.status,
        "label_term": None if not listed else main.form or (occ.found if sentence.row else main.phrase),
        "label_category": STATUS_CATEGORY.get(main.status),
        "incidence_current": inc.high if inc else np.nan,
        # a bound ("<1") is compared with the tier bands as a value just below it
        "tier_incidence": (np.nextafter(inc.high, 0.0) if inc.bound else inc.high) if inc else np.nan,
        "incidence_superseded": np.nan,
        "label_version": "current" if label is not None else None,
        "label_section": sentence.section if sentence is not None else None,
        "evidence": "label text" if label is not None else None,
        "source_url": DAILYMED_URL.format(set_id=label["set_id"]) if label is not None else None,
        # a citation backs a status; a sentence set aside by a guard is evidence only (evidence_text)
        "citation": (f"{excerpt.text} [{section}; label {label['set_id']} version "
                     f"{label['version']}, effective {label['effective_time']}]" if listed else None),
        "match_method": JOIN.join(dict.fromkeys(f.method for f in findings)),
        "match_score": 100.0 if listed else np.nan,
        "match_note": JOIN.join(notes) if notes else None,
        "label_source": "label text" if label is not None else None,
        "label_set_id": label["set_id"] if label is not None else None,
        "label_version_number": label["version"] if label is not None else None,
        "label_effective_time": label["effective_time"] if label is not None else None,
        "label_url": DAILYMED_URL.format(set_id=label["set_id"]) if label is not None else None,
        "evidence_text": excerpt.text if excerpt is not None else None,
        "evidence_marks": ";".join(f"{a}-{b}" for a, b in excerpt.marks) if excerpt is not None else None,
        "evidence_section": section,
        "incidence_text": inc.text if inc else None,
        "resolution": resolution.note,
    }


def _excerpt(finding: Finding, sentence):
    """The evidence a reader is shown (:mod:`explorer.audit.excerpt`): the table row the incidence comes from
    when the listing is that row, else the one sentence (cut around the match when it is long), with the
    matched words' spans."""
    if sentence is None:
        return None
    words = phrase_words(finding.occurrence.found) or phrase_words(finding.form or finding.phrase)
    inc = finding.incidence
    if sentence.row and inc is not None and inc.row.get("caption") == sentence.table and \
            sentence.text.split(" | ")[0].strip() == str(inc.row.get("term") or "").strip():
        return found_excerpt(inc, words, phrase_words)
    return sentence_excerpt(sentence.text, words, phrase_words)
