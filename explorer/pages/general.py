"""The general extractor: side effects from pages of any site, outside the meds.is template.

A page is read line by line (:mod:`explorer.pages.lines`), keeping each line's source number. Before
reading, citations glued to text ("Headache[1]", "[Ref]") are dropped, lines an editor wrapped are joined
back, and list items get their depth (an indented bullet, an ``o`` sub-bullet, a nested HTML list).

What makes a side-effect list, in the shapes real pages use:

- **tiers** from headings ("Common Side Effects", "Less Common", "Minor", "When to seek medical help"),
  lead-ins ("The most common side effects include:", "Call your doctor right away if you have:", "Some
  examples of MINOR bleeding include:", a sentence that announces the list without a colon: "some women
  get the side effects below") and leaflet labels ("More common:", with the items below or on the same
  line). A lead-in's tier comes from the sentence that names the side effects; a lead-in that names no
  tier keeps its heading's, and one that names two ("Common and less common side effects include:")
  names none;
- **items** as bullets of any marker (and ``o`` sub-bullets), numbered items, plain lines under a label,
  "Name: description", "Name – description", "Name → description", "Name (explanation)", "Name  Sentence"
  (a double space), one numbered heading per side effect ("1. Skin Rash") and, on a side-effects page with
  no list, one heading per side effect followed by its paragraph. An item keeps its commas ("black, tarry
  stools"); "Tier: a, b, c" and "Body system: a, b, c" lines are lists ("rarely pancreatitis" is
  pancreatitis, tier "rarely");
- **tables** whose header names a tier or frequency column; the side effects are in the first other column
  (unless a column's header names them), never in a description column;
- **prose enumerations** ("Common side effects include dizziness, fatigue and coordination problems.",
  "..., such as gas, cough or headache", "The most common side effect is headache.", a run-on list without
  commas), kept but marked ``from_prose``, and only in a section without a list: prose beside a list
  repeats or comments on it. On a page read from prose, each side effect is kept once.

A heading or lead-in about something else (benefits, the condition's own symptoms or signs, risk
factors, who should not take it, dosage, interactions, overdose, related pages, references, comments)
ends the list, so its items are never side effects; items before any side-effect heading (navigation,
facts about the drug) are not either; items under an item that ends "Symptoms can include:" are signs of
it; a dose line ("Adults: 25 to 100 milligrams daily") is not a side effect, nor is a list of accidents
("have a fall", "a blow to the head"). Severity comes from the tier's words
(:func:`explorer.pages.tiers.tier_severity`); an item under no tier gets none, never the previous tier's.

The drug and condition come from the crawl metadata, a title or heading, the address, and then the text
(:mod:`explorer.pages.subject`).
"""
from __future__ import annotations

import re
from typing import Iterable

from ..text import split_sentences
from .about import page_condition, title_subject
from .found import Found
from .cues import (ALSO, ANNOUNCES, BYLINE, NOT_LISTICLE_ITEM, OTHER_TOPIC, SIDE_EFFECT_WORDS, SIGNS,
                   heading_kind, is_list, lead_tier, lead_topic, reads_as_heading, strip_heading, table_columns, words)
from .items import (PAREN, TIER_ONLY, bare_list, item_parts, leaflet_label, list_items, strip_glue,
                    system_label)
from .lines import Line
from .names import Vocabulary, drugs_with
from .numbers import number_mentions
from .prose import NOT_SIDE_EFFECT_PROSE, enumeration
from .records import Article, Section, SideEffect, Source
from .rows import Row, prepare
from .subject import Subject, learned_drugs
from .tiers import names_tier, tier_severity

EXTRACTOR = "general"


def extract(lines: list[Line], source: Source, *, meta: Subject | None = None, address: str | None = None,
            given: Subject | None = None, drug_names: Iterable[str] = (), raw: str | None = None) -> Article:
    """Read a page outside the template into an :class:`~explorer.pages.records.Article`.

    Parameters
    ----------
    lines : the page's lines (:func:`~explorer.pages.lines.text_lines`, or the main content of an HTML page).
    source : where the page came from.
    meta : the drug and condition crawl metadata gives for the page, if any (first choice).
    address : the page's address (from crawl metadata), read when the title names no drug; the file
        name is read otherwise.
    given : the drug and condition the user gave (``--drug`` / ``--condition``), the last choice.
    drug_names : more known drug names (the imported label store's), beside ``data/reference/drug_names.csv``.
    raw : the page's HTML source, when the lines come from HTML (durations and percentages then get the
        source line they stand on, as the template parser gives them).

    Raises
    ------
    PageError
        When no drug is found in the metadata, a title or heading, the address, the text or what was given.
    """
    numbers = number_mentions([line.number for line in lines], [line.text for line in lines], raw)
    rows = prepare(lines)
    texts = [r.text for r in rows]
    known = drugs_with(tuple(drug_names) + tuple(s.drug for s in (meta, given) if s is not None and s.drug))
    learned = learned_drugs(texts, known)
    if learned:
        known = known.with_names(learned, "learned")
    subject, title_at = title_subject(rows, source, meta, address, given, known)
    found, sections, item_lines, first_item = _Reader(rows, subject, title_at, known).read()
    condition, condition_from = page_condition(rows, subject, title_at, given, item_lines, first_item)
    title = rows[title_at].text if rows and title_at is not None else (subject.drug or "")
    return Article(
        drug=subject.drug or "", condition=condition, title=title,
        title_line=rows[title_at].number if rows and title_at is not None else 1, source=source,
        sections=tuple(sections), side_effects=tuple(found), numbers=numbers, extractor=EXTRACTOR,
        drug_from=subject.drug_from or "given", condition_from=condition_from)


class _Reader:
    """One pass over a page's rows, keeping the zone (side effects or not), the tier and the lists."""

    def __init__(self, rows: list[Row], subject: Subject, title_at: int | None, drugs: Vocabulary):
        self.rows, self.subject, self.title_at = rows, subject, title_at
        self.found = Found(drugs)
        self.sections: list[Section] = []
        self.prose: list[tuple[SideEffect, int]] = []  # (side effect, section)
        self.section = 0  # counts side-effect sections (headings that open one)
        self.group = 0  # counts lists
        self.zone: str | None = None  # "se", "other" or None (before any heading)
        self.tier, self.severity = "", None
        self.heading_tier: tuple[str, str | None] | None = None  # the tier of the last side-effect heading
        self.neutral = False  # whether the last heading that closed a list named no other topic
        self.open_after = -1  # the line number the next plain item must have
        self.open_start = -1  # the line right under the label that opened the plain items
        self.details_below: int | None = None  # items deeper than this depth are signs of the one above
        self.candidates: list[tuple[int, str]] = []  # (line, text) of headings that may each be a side effect
        self.candidate_section: int | None = None
        self.prose_tier: tuple[str, str | None] = ("", None)  # the tier the last sentence about side effects named

    # --- the pass ---------------------------------------------------------------------------------

    def read(self) -> tuple[list[SideEffect], list[Section], set[int], int]:
        rows, title_at = self.rows, self.title_at
        title = rows[title_at].text if title_at is not None else ""
        self.listicle = bool(SIDE_EFFECT_WORDS.search(title))
        columns: tuple[int, int | None] | None = None
        previous_bullet = False
        for i, row in enumerate(rows):
            number, text, hint = row.number, row.text, row.hint
            if i == title_at:
                self.sections.append(Section(text, "title", number))
                self._after_title(text)
                continue
            separator = "|" if "|" in text else "\t" if "\t" in text else None  # a pipe or a tab-separated table
            if separator and not row.bullet:
                cells = [c.strip() for c in text.strip().strip("|").split(separator)]
                if len(cells) >= 2:
                    if columns and all(set(c) <= set("-: ") for c in cells):
                        continue
                    if columns and max(c for c in columns if c is not None) < len(cells) and cells[columns[0]]:
                        # a row of the table being read, even "... | Frequency unknown"
                        row_tier = cells[columns[1]] if columns[1] is not None else ""
                        self._add(row_tier, tier_severity(row_tier), cells[columns[0]], None, number)
                        continue
                    found_columns = table_columns(cells)
                    if found_columns is not None:
                        columns = found_columns
                        continue
            columns = None
            if row.bullet:
                self._bullet(i, row)
                previous_bullet = True
                continue
            wrapped = previous_bullet and hint is None and text[:1].islower()
            previous_bullet = False
            self.details_below = None
            if wrapped:
                continue  # the rest of the item above, wrapped onto this line
            self._line(i, row)
        self._close_section()
        return self._result()

    def _after_title(self, text: str) -> None:
        kind, severity = heading_kind(strip_heading(text), self.subject)
        if kind in ("tier", "side_effects"):  # "Side effects of X you may notice": the page is the list
            tiered = kind == "tier" and (severity is not None or words(text) & TIER_ONLY)
            self._open_section(strip_heading(text) if tiered else "", severity if tiered else None)

    def _open_section(self, tier: str, severity: str | None) -> None:
        self._close_section()
        self.section += 1
        self.group += 1
        self.zone, self.tier, self.severity = "se", tier, severity
        self.heading_tier = (tier, severity)
        self.candidate_section = self.section

    def _close_section(self) -> None:
        """At the end of a side-effects section with no list, its headings are its side effects when there
        are at least three, each over its own paragraph ("Breast Tenderness", "Weight Changes", ...)."""
        section = self.candidate_section
        if section is not None and len(self.candidates) >= 3 and not self.found.items:
            tier, severity = self.heading_tier or ("", None)
            for line, text in self.candidates:
                self.found.add(tier, severity, text, None, line, section, self.group)
        self.candidates = []
        self.candidate_section = None

    def _add(self, tier: str, severity: str | None, name: str, description: str | None, line: int) -> None:
        self.found.add(tier, severity, name, description, line, self.section, self.group)

    # --- list items ------------------------------------------------------------------------------

    def _bullet(self, i: int, row: Row) -> None:
        body, number = row.body, row.number
        if self.details_below is not None and row.depth > self.details_below:
            return  # a sign of the item above ("Liver damage. Symptoms can include:")
        self.details_below = None
        listicle_item = (self.listicle and row.numbered and (self.zone is None or self.zone == "other" and self.neutral)
                         and self.title_at is not None and i > self.title_at)
        if row.numbered and NOT_LISTICLE_ITEM.search(item_parts(body)[0][0]) and self._heads_paragraph(i):
            return  # "3. Weeks two to four": a step of a timeline, not a side effect
        if (self.zone != "se" and not listicle_item) or BYLINE.search(body):
            if self.zone != "se" and body.rstrip().endswith(":") and lead_topic(body) == "se":
                self._lead_in(body, number)
            return
        if re.search(r"(?::|\b(?:include|includes|are))\s*$", body) and not body.lstrip()[:1].isdigit():
            first, _, _ = body.partition(". ")
            topic = lead_topic(body)
            signs = SIGNS.search(split_sentences(body)[-1]) is not None
            if topic == "other" and not signs:
                self.zone, self.tier, self.severity, self.neutral = "other", "", None, False
                return  # "- Drugs that may cause harmful interactions when taken with Humira include"
            if body.rstrip().endswith(":") and first != body and len(first.split()) <= 8:
                # "Hypersensitivity reactions. Symptoms can include:" names one side effect; what follows
                # under it are its signs
                self._add(self.tier, self.severity, strip_glue(first), body[len(first) + 1:].strip(), number)
                self.details_below = row.depth
                return
            if topic == "se" and body.rstrip().endswith(":"):
                self._lead_in(body, number)
                return
        label, colon, rest = body.partition(":")
        if colon and rest.strip() and leaflet_label(label):
            tier, severity = label.strip(), tier_severity(label)  # "- More common: drowsiness; dry mouth"
            for n in list_items(rest):
                self._add(tier, severity, n, None, number)
            return
        for n, d in item_parts(body):
            if n:
                self._add(self.tier, self.severity, n, d, number)

    def _heads_paragraph(self, i: int) -> bool:
        """Whether a numbered row is a listicle's heading: a prose line follows it, not another item."""
        following = self.rows[i + 1] if i + 1 < len(self.rows) else None
        return following is None or not following.bullet

    # --- other lines -----------------------------------------------------------------------------

    def _line(self, i: int, row: Row) -> None:
        number, text, hint = row.number, row.text, row.hint
        subject = self.subject
        label, colon, rest = text.partition(":")
        if colon and rest.strip() and system_label(label) and (self.zone == "se"):
            names = list_items(rest)
            if is_list(rest, names):  # "Nervous System: headache, dizziness" (not "Hepatobiliary: Patients have ...")
                for n in names:
                    self._add(self.tier, self.severity, n, None, number)
            return
        if colon and rest.strip() and leaflet_label(label):
            names = list_items(rest)
            if is_list(rest, names):  # not "Severe: if you ..."
                self.zone, self.tier, self.severity = "se", label.strip(), tier_severity(label)
                self.sections.append(Section(text, "tier", number, label=self.tier))
                self.group += 1
                for n in names:
                    self._add(self.tier, self.severity, n, None, number)
                return
        if number == self.open_after and self.zone == "se" and hint is None:
            names = list_items(text)
            alone = i + 1 >= len(self.rows) or self.rows[i + 1].number != number + 1
            if number == self.open_start and alone and len(names) >= 2 and is_list(text, names):
                for n in names:  # "Common:" over one line "drowsiness, dry mouth, constipation": a list
                    self._add(self.tier, self.severity, n, None, number)
                return
            if (len(text.split()) <= 16 and text[-1] not in ".!?:"
                    and heading_kind(text, subject)[0] not in ("tier", "side_effects", "other")):
                for n, d in item_parts(text):  # a plain line under a label: one item, commas and all
                    if n:
                        self._add(self.tier, self.severity, n, d, number)
                self.open_after = number + 1
                return
            if len(names) >= 2 and is_list(text, names):  # "Stomach upset (e.g., nausea), rash." under a lead-in
                for n in names:
                    self._add(self.tier, self.severity, n, None, number)
                return
        self.open_after = -1
        if self.zone == "se" and text.endswith(":") and len(text.split()) <= 10 and ALSO.search(text):
            # "Some people also notice:"
            self.tier, self.severity, self.open_after = text.rstrip(":").strip(), None, number + 1
            self.open_start = number + 1
            self.group += 1
            return
        if self.zone == "se" and self.tier is not None and hint in (None, "prose") and bare_list(text):
            for n in list_items(text):
                self._add(self.tier, self.severity, n, None, number)
            return  # "Yawning, vivid dreams, skin rash" under its heading
        numbered = re.match(r"^\s*#*\s*\d{1,2}\s*[.):]\s+", text)
        if (self.listicle and numbered and hint in (None, "heading") and (self.zone != "other" or self.neutral)
                and not words(text) & OTHER_TOPIC and len(text.split()) <= 7 and not NOT_LISTICLE_ITEM.search(text)):
            self._add(self.tier, self.severity, text[numbered.end():].strip(" :."), None, number)
            self.zone = "se"
            return
        lead_in_colon = hint is None and text.endswith(":") and (
            len(PAREN.sub(" ", text).split()) > 6 or ANNOUNCES.search(text.rstrip(":")) is not None)
        if reads_as_heading(text, hint) and not lead_in_colon:
            self._heading(i, row)
            return
        next_row = self.rows[i + 1] if i + 1 < len(self.rows) else None
        starts_list = next_row is not None and (next_row.bullet or next_row.number == number + 1
                                                and ANNOUNCES.search(text) is not None)
        announces = ANNOUNCES.search(text) is not None
        if text.endswith(":") or (starts_list and hint in (None, "prose") and (announces or (
                self.zone != "other" and lead_topic(text, self.subject.condition) == "se"))):
            self._intro(text, number, colon=text.endswith(":"), announces=announces)
            return
        self._prose(text, number)

    def _heading(self, i: int, row: Row) -> None:
        heading = strip_heading(row.text)
        kind, severity = heading_kind(heading, self.subject)
        number = row.number
        if kind == "neutral" and system_label(heading) and self.zone == "se":
            self.sections.append(Section(heading, "other", number))
            return  # "Gastrointestinal": a body system inside the side-effects list
        if kind == "other" or kind == "neutral":
            following = self.rows[i + 1] if i + 1 < len(self.rows) else None
            if (kind == "neutral" and self.candidate_section is not None and following is not None
                    and not following.bullet and not reads_as_heading(following.text, following.hint)
                    and len(heading.split()) <= 6 and not re.search(r"\d", heading) and not BYLINE.search(heading)):
                self.candidates.append((number, heading))
            elif kind == "other":
                self._close_section()
            self.zone, self.tier, self.severity = "other", "", None
            self.neutral = kind == "neutral"
            self.sections.append(Section(heading, "other", number))
        elif kind == "tier":
            self._open_section(heading, severity)
            self.sections.append(Section(heading, "tier", number, label=heading))
        else:
            self._open_section("", None)
            self.sections.append(Section(heading, "side_effects", number))
        label = kind == "tier" and len(heading.split()) <= 4 and (severity is not None or words(heading) & TIER_ONLY)
        # the lines right under a label ("More common:", or "More common" alone) may be its items
        self.open_after = self.open_start = number + 1 if self.zone == "se" and (row.text.endswith(":") or label) else -1

    def _intro(self, text: str, number: int, *, colon: bool, announces: bool) -> None:
        """A lead-in: a line ending in a colon, or a sentence followed by a list."""
        topic = lead_topic(text, self.subject.condition)
        if topic == "other" and (colon or announces):
            self.zone, self.tier, self.severity, self.neutral = "other", "", None, False
            return
        if topic == "se" or (colon and (leaflet_label(text.rstrip(":")) or names_tier(text)
                                        or words(text) & TIER_ONLY)):
            self._lead_in(text, number)
        elif colon and self.zone != "se":
            self.zone, self.tier, self.severity = "other", "", None
        elif colon:
            self.open_after = self.open_start = number + 1

    def _lead_in(self, text: str, number: int) -> None:
        colon = text.rstrip().endswith(":")
        lead = text.rstrip(":").strip().rstrip(".").strip()
        severity, named, mixed = lead_tier(lead)
        if mixed and self.heading_tier:
            lead, severity = self.heading_tier  # "Common and less common side effects include:" under a heading
        elif not named and self.zone == "se" and self.heading_tier and self.heading_tier[0]:
            lead, severity = self.heading_tier  # a lead-in naming no tier keeps its heading's
        elif not named and self.zone == "se" and self.heading_tier is None and self.tier:
            lead, severity = self.tier, self.severity
        elif not named and not colon:
            lead = ""  # a sentence announcing the list, naming no tier ("Here are the side effects I had.")
        if self.zone != "se":
            self.candidate_section = None
        elif severity is not None and severity != self.severity:
            self.section += 1  # "Call your doctor right away if you have:" after "Common side effects": a new part
        self.zone, self.tier, self.severity = "se", lead, severity
        self.group += 1
        self.open_after = self.open_start = number + 1

    # --- prose -----------------------------------------------------------------------------------

    def _prose(self, text: str, number: int) -> None:
        paragraph_about_effects = False
        self.prose_tier = ("", None)
        for sentence in split_sentences(text):
            zone_tier = (self.tier, self.severity) if self.zone == "se" and self.tier else None
            names, lead, lead_severity = enumeration(sentence, paragraph_about_effects or self.zone == "se",
                                                     zone_tier, self.prose_tier)
            if SIDE_EFFECT_WORDS.search(sentence) and not NOT_SIDE_EFFECT_PROSE.search(sentence):
                paragraph_about_effects = True
                severity, named, _ = lead_tier(sentence)
                self.prose_tier = (sentence.rstrip(".").strip(), severity) if named else ("", None)
            for name in names:
                self.prose.append((SideEffect(lead, lead_severity, name, None, number, from_prose=True), self.section))

    # --- the result ------------------------------------------------------------------------------

    def _result(self) -> tuple[list[SideEffect], list[Section], set[int], int]:
        found = self.found.kept(self.prose)
        item_lines = {e.line for e in found if not e.from_prose}
        lines = {e.line for e in found}
        first_item = next((k for k, r in enumerate(self.rows) if r.number in lines), len(self.rows))
        return found, self.sections, item_lines, first_item
