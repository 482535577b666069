"""What a heading, a lead-in or a table header is about, for the general extractor (:mod:`explorer.pages.general`).

- :func:`heading_kind`: a side-effects heading with or without a tier ("Common Side Effects", "Possible Side
  Effects of X"), a heading that names no topic ("Breast Tenderness", "Gastrointestinal", a site's label), or
  one about something else (benefits, dosage, interactions, risk, related pages, reviews, ...);
- :func:`lead_topic` and :func:`lead_tier`: whether a lead-in announces side effects, another topic (the
  condition's signs, drugs to avoid, why the drug is used, who should not take it) or says nothing, and the
  tier it names: the sentence that names the side effects decides, "Call your doctor right away if ..."
  is serious, and a lead-in naming two frequencies ("Common and less common side effects include") names
  none;
- :func:`table_columns`: which column of a table holds the side effects and which their tier;
- :func:`is_list`: whether text after a label is a list of names rather than a sentence.

Structural words (what a heading is about, what announces a list) are grammar and live here; facts (tier
words, body systems, drug and condition names) are data files.
"""
from __future__ import annotations

import re

from ..text import split_sentences
from .items import NOT_AN_ITEM, PAREN, TIER_ONLY, WEAK_CUES
from .subject import Subject
from .tiers import names_tier, tier_levels, tier_severity

_WORDS = re.compile(r"[a-z]+")
SIDE_EFFECT_WORDS = re.compile(r"\bside[\s-]*effects?\b|\badverse\b|\breactions?\b|\beffects\b", re.I)
#: The words of a heading that only says "side effects" ("Possible Side Effects of Trazodone"): no tier.
_PLAIN_HEADING = frozenset({"side", "effects", "effect", "reactions", "reaction", "adverse", "possible", "potential",
                            "of", "the", "a", "an", "and", "to", "its", "what", "which", "are", "is", "from", "with",
                            "on", "taking", "you", "may", "can", "experience", "women", "men", "people", "should",
                            "know", "about", "any", "there", "have", "list", "for", "notice"})
#: Headings and lead-ins with these words are about something else, even when they say "side effects".
OTHER_TOPIC = frozenset({
    "benefit", "benefits", "work", "works", "dosage", "dose", "doses", "dosing", "interaction", "interactions",
    "interact", "manage", "managing", "reduce", "reducing", "avoid", "avoiding", "prevent", "preventing",
    "tips", "cope", "coping", "faq", "questions", "question", "myths", "risk", "risks", "factors", "causes",
    "cause", "alternatives", "related", "comments", "comment", "reviews", "review", "share", "subscribe",
    "newsletter", "cookies", "cookie", "sources", "references", "precautions", "storage", "overdose", "brand",
    "pregnancy", "breastfeeding", "uses", "use", "how", "why", "who", "before", "contraindications",
    "contraindication", "happen", "happens", "prescribed", "withdrawal", "posts", "author", "conclusion",
    "summary", "takeaway", "takeaways", "bottom", "verdict"})
#: Words of :data:`OTHER_TOPIC` a side-effect lead-in may hold ("X can cause rare but serious side effects").
_LEAD_IN_OK = frozenset({"how", "use", "uses", "before", "cause", "causes", "who", "why", "happen", "happens",
                         "prescribed", "work", "works"})
#: Lead-ins whose list is drugs to avoid together, not side effects.
_DRUG_LIST = re.compile(r"\b(?:drugs|medicines|medications|products|supplements)\b.{0,40}\b(?:include|includes|"
                        r"are|such\s+as)\b|\b(?:among\s+)?these\s+(?:drugs|medicines|medications)\b|\binteract", re.I)
#: A lead-in that points to another page ("For side effects, see our separate page:").
_ELSEWHERE = re.compile(r"\b(?:see|read|visit|go\s+to|click)\s+(?:our|the|this|a)?\s*(?:separate|other|full|next|"
                        r"related|dedicated)?\s*(?:page|article|guide|post|section|link)\b", re.I)
#: A lead-in to why the drug is used ("it helps to see why acne is treated with X:"): benefits follow.
_WHY_USED = re.compile(r"\bwhy\b[^.]*\b(?:treated|prescribed|used|taken|given|recommended|works?)\b", re.I)
#: A lead-in saying that what follows is not a side effect ("signs of an attack, not side effects of X").
_NOT_SIDE_EFFECTS = re.compile(r"\bnot\s+(?:a\s+)?side[\s-]*effects?\b|\brather\s+than\s+side[\s-]*effects?\b", re.I)
#: A lead-in to the signs of something named before it ("Symptoms can include:", "Signs include:").
SIGNS = re.compile(r"^(?:the\s+)?(?:main\s+|common\s+|usual\s+|early\s+|warning\s+|possible\s+)?(?:symptoms?|signs?)\b"
                   r"(?:\s+of\s+[\w\s'’-]{1,40}?)?\s+(?:may|can|might|could|will|often|usually)?\s*"
                   r"(?:include|includes|be|are|is)\b", re.I)
#: Lead-ins that open a list of reasons not to take the drug (contraindications), never side effects.
NOT_TAKE = re.compile(r"\b(?:should\s+not|shouldn[’']t|do\s+not|don[’']t|must\s+not|cannot|can[’']t)\s+"
                      r"(?:take|use|start)\b|\bnot\s+(?:be\s+)?(?:suitable|recommended)\b|\bbefore\s+(?:taking|you\s+take|"
                      r"starting)", re.I)
#: Lead-ins that open a list of reactions to act on ("Call your doctor right away if you have:").
ACT_ON = re.compile(r"\b(?:call|contact|tell|see|phone|ring)\b.{0,40}\b(?:doctor|pharmacist|gp|nurse|team|"
                    r"surgery|clinic|provider)\b.{0,40}\b(?:right\s+away|immediately|at\s+once|straight\s+away|"
                    r"urgently|same\s+day)|\b(?:seek|get)\s+(?:medical|emergency|immediate|urgent)|"
                    r"\bemergency\s+(?:medical\s+)?(?:help|care|room|treatment)|\bcall\s+911\b|\bstop\s+taking\b",
                    re.I)
#: A lead-in that announces a list without a colon ("Common side effects of Humira include").
ANNOUNCES = re.compile(r"\b(?:include|includes|including|are|such\s+as|the\s+following|below|these)\s*\.?$", re.I)
#: Bylines and dates, never items.
BYLINE = re.compile(r"^(?:by\s|written\s+by|medically\s+reviewed|reviewed\s+by|updated|last\s+updated|published|"
                    r"posted)|\bmin(?:ute)?s?\s+read\b|^\w+\s+\d{1,2},\s+\d{4}$|^\d{1,2}\s+\w+\s+\d{4}$", re.I)
#: Numbered headings of a listicle that are steps of a timeline or advice, not side effects.
NOT_LISTICLE_ITEM = re.compile(r"\b(?:weeks?|months?|days?|years?|steps?|tips?|stages?|phases?|questions?|reasons?|"
                               r"ways?|things?|first|second|third|before|after|during|how|what|why|when)\b", re.I)
#: A short lead-in that adds to the list above ("Some people also notice:").
ALSO = re.compile(r"\b(?:also|other)\b.*\b(?:notice|noticed|report|reported|get|have|experience|mention)\b", re.I)
#: Words of items that tell an accident to report, not a side effect ("have a fall", "a blow to your head").
ACCIDENT = re.compile(r"\b(?:falls?|fell|accidents?|blows?|knocks?|injur(?:y|ies|ed)|hit|bang|crash|cut\s+"
                      r"yourself|a\s+cut)\b", re.I)
#: Leading emoji and other symbols of a heading ("🔍 Common Skin Side Effects").
_SYMBOLS = re.compile(r"^[^\w\"'“‘(#]+")
#: "Most people", "most of them": not the tier word "most".
_MOST_PEOPLE = re.compile(r"\bmost\s+(?:people|patients|users|children|adults|women|men|of)\b", re.I)
_TABLE_EFFECT = re.compile(r"side[\s-]*effect|\beffects?\b|reaction", re.I)
_TABLE_TIER = re.compile(r"frequency|how\s+common|how\s+often|how\s+serious|tier|severity|likelihood|incidence|"
                         r"seriousness|type|category|level", re.I)
#: A header cell that names the side-effect column on its own ("Side effect", "Adverse reactions").
_TABLE_NAMES = re.compile(r"(?:side[\s-]*effects?|adverse\s+(?:effects?|reactions?|events?)|reactions?)", re.I)
_TABLE_DESCRIPTION = re.compile(r"what\s+to\s+do|when\s+to|description|describ|details|notes?|advice|action|"
                                r"feels?\s+like|looks?\s+like|symptoms|management|manage", re.I)
#: Verbs that make a list's part a clause ("Not everyone gets these, and many fade within a month").
_FINITE = re.compile(r"\b(?:have|has|had|is|are|was|were|may|can|will|should|would|gets?|fades?|go|goes|happens?|"
                     r"occurs?|settles?|lasts?|passes|improves?|do|does)\b", re.I)
_NOT_NOUN = re.compile(r"^(?:not|many|most|some|all|everyone|none|nobody|each|every|few)\b", re.I)
_TERMINAL = ('.', '!', '?', '…', '"', "'", '”', '’', ')', ']')


def words(text: str) -> set[str]:
    """The lower-case words of ``text``."""
    return set(_WORDS.findall(text.casefold()))


def strip_heading(text: str) -> str:
    """A heading without its marks: emoji, "#", "*", a trailing colon."""
    return _SYMBOLS.sub("", text.strip()).strip().strip("#*_ ").rstrip(":").strip()


def reads_as_heading(text: str, hint: str | None) -> bool:
    """Whether a line reads as a heading: its markup says so, or it is short, starts with a capital or a
    digit and ends without a sentence's end, or it is a short question ("What Is Lisinopril?")."""
    if hint in ("title", "heading"):
        return True
    if hint is not None or len(text) > 90 or text.startswith("|"):
        return False
    if text.startswith("#"):
        return True
    stripped = _SYMBOLS.sub("", text).rstrip(":").strip().strip("\"“”")
    if not stripped:
        return False
    if stripped.endswith("?"):  # a question heading ("What Is Lisinopril?")
        return len(stripped.split()) <= 16 and not re.search(r"[.!?]\s+\S", stripped)
    return stripped[-1] not in ".!?,;" and len(stripped.split()) <= 10 and (
        text.endswith(":") or (stripped[0].isupper() or stripped[0].isdigit()) and not stripped.endswith(_TERMINAL))


def heading_kind(text: str, subject: Subject) -> tuple[str, str | None]:
    """(kind, severity) of a heading: "tier" or "side_effects" for a side-effect heading, "neutral" for a
    heading that names no topic (a side effect's own heading, a body system, a site's label), "other"."""
    text = PAREN.sub(" ", text)  # "Common (up to 1 in 10 people)": the frequency words decide
    found = words(text) - words(subject.drug or "") - words(subject.condition or "")
    question = text.rstrip().endswith("?")
    if found & OTHER_TOPIC:
        return "other", None
    if "symptoms" in found and subject.condition and subject.condition.casefold() in text.casefold():
        return "other", None  # the condition's own symptoms
    tier_words = names_tier(" ".join(w for w in _WORDS.findall(text.casefold()) if w not in WEAK_CUES)) \
        or bool(found & TIER_ONLY)
    if tier_words and (SIDE_EFFECT_WORDS.search(text) or len(found) <= 4 or ACT_ON.search(text)):
        return "tier", tier_severity(text)
    if ACT_ON.search(text) or re.search(r"\bwhen\s+to\s+(?:seek|get|call)\b", text, re.I):
        return "tier", tier_severity(text) or "serious"
    if SIDE_EFFECT_WORDS.search(text):  # a tier without a severity ("Other effects people mention"), or none
        return ("tier", None) if found - _PLAIN_HEADING and not question else ("side_effects", None)
    if question or not found:
        return "other", None
    return "neutral", None


def names(text: str, name: str) -> bool:
    """Whether ``text`` holds ``name`` (or, for a name of several words, all of them) as whole words."""
    wanted = words(name) - {"the", "of", "and", "a", "an"}
    return bool(wanted) and wanted <= words(text)


def lead_topic(text: str, condition: str | None = None) -> str | None:
    """What a lead-in announces: "se" (side effects), "other" (another topic) or None (it does not say).

    The last sentence decides when it has a cue (the one that ends with the colon); the earlier ones
    otherwise ("Sertraline may lead to more serious side effects. Phone your doctor if you notice:").

    >>> lead_topic("Call your doctor right away if you have:"), lead_topic("Drugs that interact with it include:")
    ('se', 'other')
    >>> lead_topic("People with anxiety often describe:", "Anxiety"), lead_topic("For example:")
    ('other', None)
    """
    sentences = split_sentences(text.rstrip(":").strip()) or [text]
    if _NOT_SIDE_EFFECTS.search(text) or _ELSEWHERE.search(sentences[-1]):
        return "other"  # "... signs of an attack, not side effects of your inhaler."; "see our separate page:"
    if condition and not SIDE_EFFECT_WORDS.search(text) and names(text, condition):
        return "other"  # "People living with an anxiety disorder often describe:": the condition's own signs
    for sentence in reversed(sentences):
        if SIGNS.search(sentence) and not ACT_ON.search(sentence):
            return "other"
        if (NOT_TAKE.search(sentence) or _NOT_SIDE_EFFECTS.search(sentence) or _DRUG_LIST.search(sentence)
                or _WHY_USED.search(sentence) or words(sentence) & (OTHER_TOPIC - _LEAD_IN_OK)):
            return "other"
        if SIDE_EFFECT_WORDS.search(sentence) or ACT_ON.search(sentence):
            return "se"
    return None


def lead_tier(text: str) -> tuple[str | None, bool, bool]:
    """(severity, names a tier, names two) of a lead-in: the severity of the sentence that names the side
    effects (the last one when it does, or the first that does, or the first that names a tier), serious for
    a reaction to act on; a lead-in naming two frequencies ("Common and less common side effects include")
    names none.

    >>> lead_tier("Sertraline may lead to more serious side effects. Phone your doctor at once if you notice")
    ('serious', True, False)
    >>> lead_tier("Here are its side effects. Tell us if one is severe"), lead_tier("Common and less common ones include")
    ((None, False, False), (None, False, True))
    """
    sentences = split_sentences(text.rstrip(":").strip()) or [text]
    naming = [s for s in sentences if SIDE_EFFECT_WORDS.search(s)]
    if naming and naming[-1] is sentences[-1]:
        naming = naming[-1:]  # the sentence that ends with the list's colon names it
    chosen = naming[:1] or [s for s in sentences if names_tier(s) or words(s) & TIER_ONLY][:1]
    chosen = [_MOST_PEOPLE.sub(" ", s) for s in chosen]
    severity = None
    named = False
    if chosen:
        levels = tier_levels(chosen[0])
        named = bool(levels) or names_tier(chosen[0]) or bool(
            words(chosen[0]) & (TIER_ONLY | {"other", "possible", "further", "additional"}))
        if len(levels) > 1 and re.search(r"\b(?:and|or)\b", chosen[0], re.I) and "serious" not in levels:
            return None, False, True  # "Common and less common side effects include:" names no one tier
        severity = tier_severity(chosen[0])
    if severity is None and ACT_ON.search(sentences[-1]):
        severity, named = "serious", True
    return severity, named, False


def is_list(text: str, names_: list[str]) -> bool:
    """Whether ``text`` (after a label, under a lead-in) cut into ``names_`` is a list of names rather than
    a sentence or clauses.

    >>> is_list("Headache, dizziness, tremor.", ["Headache", "dizziness", "tremor"])
    True
    >>> is_list("Not everyone gets these, and many fade soon.", ["Not everyone gets these", "many fade soon"])
    False
    """
    if re.search(r"[.!?]\s+[A-Z]", text.strip()):
        return False
    return bool(names_) and all(len(n.split()) <= 12 and not NOT_AN_ITEM.match(n) and not _NOT_NOUN.match(n)
                                for n in names_) and not any(_FINITE.search(n) for n in names_)


def table_columns(cells: list[str]) -> tuple[int, int | None] | None:
    """(side-effect column, tier column) of a table's header row, or None when it is not one.

    The tier column is the one whose header names a frequency or tier; the side effects are in the column
    whose header names them, else in the first other column that is not a description ("What to do"). A
    table with no tier column whose header names the side-effect column (a trial table: "Side effect |
    Drug | Placebo") has its names and no tier.

    >>> table_columns(["Side effect", "How often", "What to do"]), table_columns(["Level", "How Often", "Feels like"])
    ((0, 1), (1, 0))
    >>> table_columns(["Side effect", "Duloxetine", "Placebo"]), table_columns(["Dose", "When"])
    ((0, None), None)
    """
    tiered = next((k for k, c in enumerate(cells) if _TABLE_TIER.search(c)), None)
    if tiered is None:  # a trial table ("Side effect | Drug | Placebo"): names, no tier
        named = next((k for k, c in enumerate(cells) if _TABLE_NAMES.fullmatch(c.strip())), None)
        return (named, None) if named is not None else None
    named = next((k for k, c in enumerate(cells) if k != tiered and _TABLE_EFFECT.search(c)), None)
    if named is not None:
        return named, tiered
    plain = next((k for k, c in enumerate(cells) if k != tiered and c and not _TABLE_DESCRIPTION.search(c)
                  and not _TABLE_TIER.search(c)), None)
    if plain is None:  # every other column's header is a description or a frequency: the first after the tier
        plain = next((k for k in range(len(cells)) if k != tiered and cells[k]), None)
    if plain is None or not re.search(r"side|effect|reaction|symptom|frequen|common|often", " ".join(cells), re.I):
        return None
    return plain, tiered
