"""The general extractor: side effects from pages of any site, outside the meds.is template.

A page is read line by line (:mod:`explorer.pages.lines`), keeping each line's source number. What
makes a side-effect list, in the shapes real pages use:

- **tiers** from headings ("Common Side Effects", "Less Common", "Minor", "When to seek medical help"),
  lead-in sentences ("The most common side effects include:", "Call your doctor right away if you
  have:") and leaflet labels ("More common:", with the items below or on the same line);
- **items** as bullets of any marker, numbered items, an item wrapped over two lines, "Name:
  description", "Name – description", "Name → description", "Name (explanation)", and comma or
  semicolon lists inside one bullet or after a label;
- **tables** whose header names a side-effect column and a tier or frequency column (text tables with
  pipes, HTML tables read as "cell | cell" lines);
- **prose enumerations** ("Common side effects include dizziness, fatigue and coordination problems."),
  kept but marked ``from_prose``.

A heading or lead-in about something else (benefits, the condition's symptoms, risk factors, who should
not take it, dosage, interactions, related pages, comments) ends the list, so its bullets are never side
effects; bullets before any side-effect heading (navigation, bylines) are not either. Severity comes from
the tier's words (:func:`explorer.pages.tiers.tier_severity`); an item under no tier gets none, never the
previous tier's.
"""
from __future__ import annotations

import re
from typing import Iterable

from .classify import TERMINAL, is_bullet
from .decode import PageError
from .items import NOT_AN_ITEM, PAREN, TIER_ONLY, WEAK_CUES, bare_list, item_parts, leaflet_label, list_items
from .lines import Line
from .numbers import number_mentions
from .records import Article, Section, SideEffect, Source
from .subject import Subject, known_names, subject_from_address, subject_from_heading
from .tiers import names_tier, tier_severity

EXTRACTOR = "general"
_BULLET = re.compile(r"^(?:[-*+–—]\s+|[•‣◦▪●]\s*|\d{1,3}\s*[.):]\s+|\(\d{1,3}\)\s+)(?P<body>\S.*)$")
_WORDS = re.compile(r"[a-z]+")
_SIDE_EFFECT_WORDS = re.compile(r"\bside[\s-]*effects?\b|\badverse\b|\breactions?\b|\beffects\b", re.I)
#: The words of a heading that only says "side effects" ("Possible Side Effects of Trazodone"): no tier.
_PLAIN_HEADING = frozenset({"side", "effects", "effect", "reactions", "reaction", "adverse", "possible", "potential",
                            "of", "the", "a", "an", "and", "to", "its", "what", "are", "from", "with", "on"})
#: Headings and lead-ins with these words are about something else, even when they say "side effects".
_OTHER_TOPIC = frozenset({
    "benefit", "benefits", "work", "works", "dosage", "dose", "doses", "dosing", "interaction", "interactions",
    "interact", "manage", "managing", "reduce", "reducing", "avoid", "avoiding", "prevent", "preventing",
    "tips", "cope", "coping", "faq", "questions", "question", "myths", "risk", "risks", "factors", "causes",
    "cause", "alternatives", "related", "comments", "comment", "reviews", "review", "share", "subscribe",
    "newsletter", "cookies", "cookie", "sources", "references", "precautions", "storage", "overdose", "missed",
    "pregnancy", "breastfeeding", "uses", "use", "what", "how", "why", "who", "before", "contraindications",
    "contraindication"})
#: Words of :data:`_OTHER_TOPIC` a side-effect lead-in may hold ("X can cause rare but serious side effects").
_LEAD_IN_OK = frozenset({"what", "how", "use", "uses", "before", "cause", "causes", "who", "why"})
#: A lead-in saying that what follows is not a side effect ("signs of an attack, not side effects of X").
_NOT_SIDE_EFFECTS = re.compile(r"\bnot\s+(?:a\s+)?side[\s-]*effects?\b|\brather\s+than\s+side[\s-]*effects?\b", re.I)
#: Lead-ins that open a list of reasons not to take the drug (contraindications), never side effects.
_NOT_TAKE = re.compile(r"\b(?:should\s+not|shouldn[’']t|do\s+not|don[’']t|must\s+not|cannot|can[’']t)\s+"
                       r"(?:take|use|start)\b|\bnot\s+(?:be\s+)?(?:suitable|recommended)\b|\bbefore\s+(?:taking|you\s+take|starting)",
                       re.I)
#: Lead-ins that open a list of reactions to act on ("Call your doctor right away if you have:").
_ACT_ON = re.compile(r"\b(?:call|contact|tell|see|phone|ring)\b.{0,40}\b(?:doctor|pharmacist|gp|nurse|team|"
                     r"surgery|clinic)\b.{0,40}\b(?:right\s+away|immediately|at\s+once|straight\s+away|urgently|"
                     r"same\s+day)|\b(?:seek|get)\s+(?:medical|emergency|immediate|urgent)|"
                     r"\bemergency\s+(?:medical\s+)?(?:help|care|room|treatment)|\bcall\s+911\b|\bstop\s+taking\b",
                     re.I)
_ENUMERATION = re.compile(r"^(?P<lead>.*?(?:side[\s-]*effects?|reactions?)\b[^.:;]*?(?:\b(?:include|includes|"
                          r"including|such\s+as)\b:?|\b(?:are|were)\b:?))\s+(?P<list>[^.:;]+(?:;[^.:;]+)*)\.?", re.I)
#: Words that make a "side effects are ..." sentence a description, not a list ("are rare and mild").
_DESCRIBING = re.compile(r"^(?:usually\s+|generally\s+|often\s+|very\s+|quite\s+)?(?:rare|mild|common|uncommon|"
                         r"temporary|minor|serious|severe|possible|likely|unlikely|few|many|manageable|short[\s-]lived|"
                         r"similar|different|reported|listed|described|below|above|known)\b", re.I)
#: Under a tier, a sentence that lists what one may notice ("you might notice increased appetite, trouble
#: sleeping and indigestion").
_NOTICE = re.compile(r"\b(?:notice|noticed|experience|experienced|get|develop|have|include|includes|including|"
                     r"such\s+as|like|report|reported|describe|described|mention|feel|lead\s+to|cause|"
                     r"(?:most|common|usual|typical)\w*\s+(?:ones\s+)?are)\s+"
                     r"(?P<list>[^,.;:]+(?:,\s*[^,.;:]+)+,?\s+(?:and|or)\s+[^,.;:]+)\.?", re.I)
_BYLINE = re.compile(r"^(?:by\s|written\s+by|medically\s+reviewed|reviewed\s+by|updated|last\s+updated|published|"
                     r"posted)|\bmin(?:ute)?s?\s+read\b|^\w+\s+\d{1,2},\s+\d{4}$|^\d{1,2}\s+\w+\s+\d{4}$", re.I)
_TABLE_EFFECT = re.compile(r"side[\s-]*effect|effect|reaction|symptom", re.I)
_TABLE_TIER = re.compile(r"frequency|how\s+common|how\s+often|how\s+serious|tier|severity|likelihood|incidence|"
                         r"seriousness|type|category|level", re.I)
def _words(text: str) -> set[str]:
    return set(_WORDS.findall(text.casefold()))


def _strip_heading(text: str) -> str:
    return text.strip().strip("#*_ ").rstrip(":").strip()


def _reads_as_heading(text: str, hint: str | None) -> bool:
    if hint in ("title", "heading"):
        return True
    if hint is not None or len(text) > 90 or text.startswith("|"):
        return False
    if text.startswith("#"):
        return True
    stripped = text.rstrip(":")
    return bool(stripped) and stripped[-1] not in ".!?,;" and len(stripped.split()) <= 10 and (
        text.endswith(":") or (stripped[0].isupper() or stripped[0].isdigit()) and not stripped.endswith(TERMINAL))


def _tier_heading(text: str, subject: Subject) -> tuple[str, str | None] | None:
    """("tier", severity) or ("side_effects", None) for a side-effect heading; None for another topic."""
    text = PAREN.sub(" ", text)  # "Common (up to 1 in 10 people)": the frequency words decide
    words = _words(text) - _words(subject.drug or "") - _words(subject.condition or "")
    if words & _OTHER_TOPIC:
        return None
    if "symptoms" in words and subject.condition and subject.condition.casefold() in text.casefold():
        return None  # the condition's own symptoms
    tier_words = names_tier(" ".join(w for w in _WORDS.findall(text.casefold()) if w not in WEAK_CUES)) \
        or bool(words & TIER_ONLY)
    if tier_words and (_SIDE_EFFECT_WORDS.search(text) or len(words) <= 4 or _ACT_ON.search(text)):
        return "tier", tier_severity(text)
    if _ACT_ON.search(text) or re.search(r"\bwhen\s+to\s+(?:seek|get|call)\b", text, re.I):
        return "tier", tier_severity(text) or "serious"
    if _SIDE_EFFECT_WORDS.search(text):  # a tier without a severity ("Other effects people mention"), or none
        return ("tier", None) if words - _PLAIN_HEADING else ("side_effects", None)
    return None


#: Numbered headings of a listicle that are steps of a timeline or advice, not side effects.
_NOT_LISTICLE_ITEM = re.compile(r"\b(?:weeks?|months?|days?|years?|steps?|tips?|stages?|phases?|questions?|reasons?|"
                                r"ways?|things?|first|second|third|before|after|during|how|what|why|when)\b", re.I)
_NUMBERED_HEADING = re.compile(r"^\s*#*\s*\d{1,2}\s*[.):]\s+")
_ALSO = re.compile(r"\b(?:also|other)\b.*\b(?:notice|noticed|report|reported|get|have|experience|mention)\b", re.I)


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
        When no drug is found in the metadata, a title or heading, the address or what was given.
    """
    # the known names, built once per page: every heading is looked up in them
    known = known_names(tuple(drug_names))
    extra = {s.drug.casefold() for s in (meta, given) if s is not None and s.drug}
    if extra:
        known = known | extra
    numbers = number_mentions([line.number for line in lines], [line.text for line in lines], raw)
    lines = _paragraphs(lines)
    subject, title_at = _subject(lines, source, meta, address, given, known)
    title = lines[title_at].text if lines and title_at is not None else (subject.drug or "")
    sections: list[Section] = []
    found: list[SideEffect] = []
    # A page whose title is about side effects may give one per numbered heading ("7 side effects of X")
    listicle = bool(_SIDE_EFFECT_WORDS.search(title))
    neutral = False  # whether the last heading that closed a list was about no other topic
    zone, tier, severity = None, "", None
    columns: tuple[int, int] | None = None  # (effect column, tier column) of the table being read
    previous_bullet = False
    # A label ending in ":" ("More common:") opens a list whose items may be plain lines, without markers,
    # as leaflets print them; the list runs while lines follow each other (a blank line ends it).
    open_after = -1  # the line number the next plain item must have
    for i, (number, text, hint) in enumerate(lines):
        if i == title_at:
            sections.append(Section(text, "title", number))
            continue
        bullet = hint == "bullet" or (hint is None and is_bullet(text) or _BULLET.match(text) is not None
                                      and hint is None and not text.startswith("**"))
        if "|" in text and not bullet:
            cells = [c.strip() for c in text.strip().strip("|").split("|")]
            if len(cells) >= 2:
                effect = next((k for k, c in enumerate(cells) if _TABLE_EFFECT.search(c)), None)
                tiered = next((k for k, c in enumerate(cells) if _TABLE_TIER.search(c)), None)
                if effect is not None and tiered is not None and effect != tiered:
                    columns = (effect, tiered)
                    continue
                if columns and all(set(c) <= set("-: ") for c in cells):
                    continue
                if columns and max(columns) < len(cells) and cells[columns[0]]:
                    row_tier = cells[columns[1]]
                    found.append(SideEffect(row_tier, tier_severity(row_tier), cells[columns[0]], None, number))
                    continue
        columns = None
        if bullet:
            m = _BULLET.match(text)
            body = m.group("body") if m else text
            previous_bullet = True
            numbered_item = (listicle and (zone is None or zone == "other" and neutral) and title_at is not None
                             and i > title_at and text[:1].isdigit()  # "1. Drowsiness" in "7 side effects of X"
                             and not _NOT_LISTICLE_ITEM.search(body))
            if zone != "se" and not numbered_item or _BYLINE.search(body):
                continue
            label, colon, rest = body.partition(":")
            if colon and rest.strip() and leaflet_label(label):
                tier, severity = label.strip(), tier_severity(label)  # "- More common: drowsiness; dry mouth"
                found.extend(SideEffect(tier, severity, n, None, number) for n in list_items(rest))
                continue
            found.extend(SideEffect(tier, severity, n, d, number) for n, d in item_parts(body) if n)
            continue
        wrapped = previous_bullet and hint is None and text[:1].islower()
        previous_bullet = False
        if wrapped:
            continue  # the rest of the item above, wrapped onto this line
        if (number == open_after and zone == "se" and hint is None and len(text.split()) <= 10
                and text[-1] not in ".!?:" and _tier_heading(text, subject) is None):
            found.extend(SideEffect(tier, severity, n, d, number) for n, d in item_parts(text) if n)
            open_after = number + 1
            continue
        label, colon, rest = text.partition(":")
        if colon and rest.strip() and leaflet_label(label):
            zone, tier, severity = "se", label.strip(), tier_severity(label)  # leaflet "More common: a; b"
            sections.append(Section(text, "tier", number, label=tier))
            names = list_items(rest)
            if all(len(n.split()) <= 8 and not NOT_AN_ITEM.match(n) for n in names):  # not "Severe: if you ..."
                found.extend(SideEffect(tier, severity, n, None, number) for n in names)
            continue
        if zone == "se" and text.endswith(":") and _ALSO.search(text):  # "Some people also notice:"
            tier, severity, open_after = text.rstrip(":").strip(), None, number + 1
            continue
        if zone == "se" and tier is not None and hint in (None, "prose") and bare_list(text):
            found.extend(SideEffect(tier, severity, n, None, number) for n in list_items(text))
            continue  # "Yawning, vivid dreams, skin rash" under its heading
        if listicle and _NUMBERED_HEADING.match(text) and hint in (None, "heading") and (zone != "other" or neutral) \
                and not _words(text) & _OTHER_TOPIC and len(text.split()) <= 7 and not _NOT_LISTICLE_ITEM.search(text):
            name = _NUMBERED_HEADING.sub("", text).strip(" :.")  # "3. Dizziness on standing": one item
            found.append(SideEffect(tier, severity, name, None, number))
            zone = "se"
            continue
        if _reads_as_heading(text, hint) and not (hint is None and text.endswith(":")
                                                  and len(PAREN.sub(" ", text).split()) > 6):
            heading = _strip_heading(text)
            kind = _tier_heading(heading, subject)
            if kind is None:
                zone, tier, severity = "other", "", None
                neutral = not _words(heading) & _OTHER_TOPIC  # a byline or site name, not another topic
                sections.append(Section(heading, "other", number))
            elif kind[0] == "tier":
                zone, tier, severity = "se", heading, kind[1]
                sections.append(Section(heading, "tier", number, label=heading))
            else:
                zone, tier, severity = "se", "", None
                sections.append(Section(heading, "side_effects", number))
            open_after = number + 1 if zone == "se" and text.endswith(":") else -1
            continue
        if text.endswith(":"):  # a lead-in sentence
            lead = text.rstrip(":").strip()
            if _NOT_TAKE.search(lead) or _words(lead) & _OTHER_TOPIC - _LEAD_IN_OK or _NOT_SIDE_EFFECTS.search(lead):
                zone, tier, severity, neutral = "other", "", None, False
            elif _SIDE_EFFECT_WORDS.search(lead) or _ACT_ON.search(lead) or leaflet_label(lead):
                zone, tier = "se", lead
                severity = tier_severity(lead) or ("serious" if _ACT_ON.search(lead) else None)
                open_after = number + 1
            else:
                zone, tier, severity = "other", "", None
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            m = _ENUMERATION.match(sentence)
            describes = False
            if m and not _NOT_TAKE.search(m.group("lead")):
                lead = m.group("lead").strip().rstrip(":")
                # "Side effects are usually mild and short-lived" describes them; it lists none
                describes = bool(re.search(r"\b(?:are|were)$", lead, re.I)) and bool(_DESCRIBING.match(m.group("list")))
                lead_severity = tier_severity(lead) or ("serious" if _ACT_ON.search(lead) else None)
                if lead_severity is None and zone == "se" and tier:  # "Side effects can include" under a tier
                    lead, lead_severity = tier, severity
                names = list_items(m.group("list"))
            elif zone == "se" and tier and (m := _NOTICE.search(sentence)):
                lead, lead_severity, names = tier, severity, list_items(m.group("list"))
            else:
                continue
            while len(names) > 2 and NOT_AN_ITEM.match(names[-1]):  # "..., and they usually ease"
                names.pop()
            if len(names) >= 2 and not describes and all(0 < len(n.split()) <= 6 and not NOT_AN_ITEM.match(n)
                                                         for n in names):
                found.extend(SideEffect(lead, lead_severity, n, None, number, from_prose=True) for n in names)
    return Article(
        drug=subject.drug or "", condition=subject.condition, title=title,
        title_line=lines[title_at].number if lines and title_at is not None else 1, source=source,
        sections=tuple(sections), side_effects=tuple(found), numbers=numbers, extractor=EXTRACTOR,
        drug_from=subject.drug_from or "given", condition_from=subject.condition_from)


#: A text line at least this long that does not end a sentence was wrapped by its writer's editor.
WRAP_WIDTH = 55


def _paragraphs(lines: list[Line]) -> list[Line]:
    """Text lines wrapped by an editor joined back into their paragraph (numbered by its first line).

    A line continues the one before when it follows it directly, neither is a bullet, a table row or
    marked up, the one before does not end a sentence or a label, and either the one before is at least
    :data:`WRAP_WIDTH` characters or this one starts in lower case. Short consecutive lines (a leaflet's
    items, headings) stay apart.
    """
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if (prev is not None and line.hint is None and prev.hint is None and line.number == prev.number + 1
                + prev.text.count("\n") and len(_last_part(prev.text)) >= 30 and "|" not in line.text
                and (not is_bullet(prev.text) or line.text[:1].islower())
                and prev.text[-1] not in ".!?:;" and not is_bullet(line.text) and not line.text.startswith("|")
                and (len(_last_part(prev.text)) >= WRAP_WIDTH or line.text[:1].islower())
                and not prev.text.startswith("|") and not leaflet_label(line.text.partition(":")[0])):
            out[-1] = Line(prev.number, prev.text + "\n" + line.text, None)
            continue
        out.append(line)
    return [Line(n, " ".join(t.split()), h) if "\n" in t else Line(n, t, h) for n, t, h in out]


def _last_part(text: str) -> str:
    return text.rsplit("\n", 1)[-1]


def _subject(lines: list[Line], source: Source, meta: Subject | None, address: str | None, given: Subject | None,
             known: frozenset[str]) -> tuple[Subject, int | None]:
    """The page's drug and condition, each from the first source that names it, and the title's index."""
    from_title, title_at = None, None
    for i, (_, text, hint) in enumerate(lines):
        if hint == "bullet" or len(text) > 160 or (hint is None and is_bullet(text)):
            continue
        if hint in ("title", "heading") or _reads_as_heading(text, hint) or text.endswith("?"):
            if from_title is not None and re.search(r"\?|\bvs\.?\b|\bversus\b|\bcompared\b", text, re.I):
                continue  # a later heading comparing drugs or asking a question names no condition of the page
            found = subject_from_heading(_strip_heading(text), known=known)
            if found is not None and (from_title is None or from_title.condition is None and found.condition
                                      and found.drug == from_title.drug):
                first = from_title is None
                from_title = found if first else Subject(from_title.drug, found.condition, "title", "title")
                title_at = i if first else title_at
                if from_title.condition:
                    break
    from_address = subject_from_address(address or source.path, known=known)
    sources = [(meta, "meta"), (from_title, "title"), (from_address, "address"), (given, "given")]
    drug = next(((s.drug, name) for s, name in sources if s is not None and s.drug), None)
    if drug is None:
        raise PageError(source.path, 1, "a drug named by the crawl metadata, a title or heading, the address "
                                        "or --drug; found none")
    same = [(s, name) for s, name in sources if s is not None and (s.drug is None or s.drug.casefold() == drug[0].casefold())]
    condition = next(((s.condition, name) for s, name in same if s.condition), (None, None))
    return Subject(drug[0], condition[0], drug[1], condition[1]), title_at
