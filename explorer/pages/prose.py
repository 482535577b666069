"""Side effects named in sentences, for the general extractor (:mod:`explorer.pages.general`).

:func:`enumeration` reads one sentence:

- a list after a lead that names side effects: "Common side effects include dizziness, fatigue and
  coordination problems.", "... serious side effects, since they are rare: extreme tiredness, nausea, ...",
  "Side effects counted as mild are no cause for worry, such as gas, cough or headache.";
- one side effect a sentence names: "The most common side effect of X is headache.", "Photosensitivity is
  the other common side effect of X.", and "One is ..." after a sentence about side effects;
- in a passage about side effects, what people notice or get: "A few patients develop mood changes, vivid
  dreams and occasionally suicidal thinking.", "Some people get headaches or dizziness, and others have
  stomach trouble like nausea or diarrhea." (the examples of a vague "trouble" are the side effects);
- a run-on list without commas (:func:`explorer.pages.terms.run_on_items`).

Overdose, withdrawal and interactions are never side effects; nor is a sentence about who should not take
the drug. Each name loses its article and the clause that describes it ("itching where it is injected").
"""
from __future__ import annotations

import re

from .cues import NOT_TAKE, SIDE_EFFECT_WORDS, lead_tier
from .items import NOT_AN_ITEM, list_items, strip_glue
from .terms import known_term_in, run_on_items
from .tiers import tier_severity

#: "Report any of these serious side effects, since they are rare: extreme tiredness, nausea, ...".
_COLON_LIST = re.compile(r"^(?P<lead>[^:]*?(?:side[\s-]*effects?|reactions?)\b[^:]*):\s+(?P<list>[^.:;]+(?:;[^.:;]+)*)\.?",
                         re.I)
_ENUMERATION = re.compile(r"^(?P<lead>.*?(?:side[\s-]*effects?|reactions?)\b[^.:;]*?(?:\b(?:include|includes|"
                          r"including|such\s+as)\b:?|\b(?:are|were)\b:?|:))\s+(?P<list>[^.:;]+(?:;[^.:;]+)*)\.?", re.I)
#: Words that make a "side effects are ..." sentence a description, not a list ("are rare and mild").
_DESCRIBING = re.compile(r"^(?:usually\s+|generally\s+|often\s+|very\s+|quite\s+)?(?:rare|mild|common|uncommon|"
                         r"temporary|minor|serious|severe|possible|likely|unlikely|few|many|manageable|short[\s-]lived|"
                         r"similar|different|reported|listed|described|below|above|known|no\b|not\b|worth|"
                         r"nothing|usually|generally)\b", re.I)
#: In a passage about side effects, a clause that lists what one may notice ("you might notice increased
#: appetite, trouble sleeping and indigestion", "some people get headaches or dizziness").
_NOTICE = re.compile(r"\b(?:notice|noticed|experience|experienced|experiences|get|gets|develop|develops|have|has|"
                     r"include|includes|including|such\s+as|like|report|reported|describe|described|mention|"
                     r"mentioned|feel|lead\s+to|cause|causes|(?:most|common|usual|typical)\w*\s+(?:ones\s+)?are)\s+"
                     r"(?P<list>[^,.;:]+(?:,\s*[^,.;:]+)*,?\s+(?:and|or)\s+[^,.;:]+)", re.I)
#: Where one clause of a sentence ends and another, with its own subject, starts (", and others may ...").
_CLAUSE = re.compile(r",\s+(?:and|but|while|whereas)\s+(?=(?:others?|some|many|most|few|you|people|patients|they|"
                     r"it|this|these)\b)|;\s+", re.I)
#: A sentence whose subject is the list: "Headache, diarrhea, gas, or dizziness may occur.", "Flushing and
#: headaches can also happen in the first weeks."
_SUBJECT_LIST = re.compile(r"^(?P<list>[A-Za-z][^.:;]*?(?:,\s*|\s+)(?:and|or)\s+[^.:;,]+?)\s+(?:may|might|can|could|"
                           r"will|often|sometimes|also|are|is|were|have|has)(?:\s+(?:also|sometimes|often|be|been|"
                           r"commonly|rarely))*\s+(?:occur|occurs|happen|happens|develop|develops|common|possible|"
                           r"reported|seen|noticed|affect|affects)\b", re.I)
#: "The most common side effect (of X) is headache."; "Photosensitivity is the other common side effect".
_ONE_IS = re.compile(r"^(?:the\s+)?(?P<tier>(?:[\w-]+\s+){0,3}?)side[\s-]*effects?\s+(?:of\s+[\w-]+\s+)?(?:is|was)\s+"
                     r"(?P<item>[^,;:()]{2,50}?)\s*(?:[,;(]|$)", re.I)
_IS_ONE = re.compile(r"^(?P<item>[A-Za-z][^,;:()]{1,40}?)\s+(?:is|are)\s+(?:the|an?|another)\s+(?P<tier>(?:[\w-]+\s+){0,3}?)"
                     r"side[\s-]*effects?\b", re.I)
_ONE_OF_THEM = re.compile(r"^(?:one|another)(?:\s+of\s+them)?\s+is\s+(?P<item>[^,;:()]{2,40}?)\s*(?:[,;(]|$)", re.I)
#: Signs of something named (an allergic reaction, liver problems), listed after it: not side effects themselves.
_SIGNS_OF = re.compile(r"\b(?:symptoms?|signs?)\s+of\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,3}\w+\s*(?:,\s*)?"
                       r"(?:such\s+as|including|include|includes|like|are)\b", re.I)
#: Prose about the wrong thing: what too much of the drug does, stopping it, or other drugs.
NOT_SIDE_EFFECT_PROSE = re.compile(r"\boverdose|\bwithdrawal\b|\binteract", re.I)
#: Prose items lose these words at their start: articles, "having", and vague quantities.
_PROSE_LEAD = re.compile(r"^(?:(?:a|an|the|some|any|having|getting|occasional|occasionally|sometimes|also|even|"
                         r"other)\s+)+", re.I)
#: Prose items end before a clause that describes them ("itching where it is injected").
_PROSE_TAIL = re.compile(r"\s+(?:where|when|if|while|after|because|since|that|which|who|in\s+some|for\s+some|"
                         r"among\s+others|and\s+so\s+on|etc)\b.*$|\s+(?:etc|among\s+others)\.?$|"
                         r"\s+(?:on|in|at|during|within|for|over)\s+(?:the\s+)?(?:same|first|next|following|few|\d+)\b.*$|"
                         r"\s+(?:in|at|during|within|over|after|by)\s+(?:the\s+|a\s+)?(?:\w+\s+)?(?:mornings?|evenings?|"
                         r"nights?|days?|weeks?|months?|start|beginning|end)\b.*$",
                         re.I)
#: A share written after an item: "nausea (31%)".
_SHARE = re.compile(r"\s*\(\s*(?:about\s+|around\s+|up\s+to\s+)?[\d.,]+\s*%[^()]*\)")
#: Vague heads whose examples are the side effects ("stomach trouble like nausea or diarrhea").
_VAGUE = re.compile(r"^(?P<head>.*\b(?:trouble|troubles|problems?|issues?|upsets?|complaints?|symptoms?))\s+"
                    r"(?:like|such\s+as|including)\s+(?P<examples>.+)$", re.I)
#: Examples of the item before them, in a list: ", such as redness, swelling, and pain" describes it.
_SIDE_EFFECT = re.compile(r"side[\s-]*effects?", re.I)
_EXAMPLES = re.compile(r"^(?:such\s+as|including|like|e\.g\.?|for\s+example)\b", re.I)

Tier = tuple[str, "str | None"]


def enumeration(sentence: str, about_effects: bool, zone_tier: Tier | None, prose_tier: Tier
                ) -> tuple[list[str], str, str | None]:
    """The side effects one sentence names, with the tier it gives them: ([names], tier, severity).

    Parameters
    ----------
    sentence : one sentence of a paragraph.
    about_effects : whether the sentence stands among side effects: an earlier sentence of its paragraph
        was about them, or it stands in a side-effects section.
    zone_tier : the tier of the side-effects section the sentence stands in, if any.
    prose_tier : the tier the last sentence about side effects named ("Doryx also has a few rare side effects").

    >>> enumeration("Common side effects include dizziness, fatigue and coordination problems.", False, None, ("", None))
    (['dizziness', 'fatigue', 'coordination problems'], 'Common side effects', 'common')
    >>> enumeration("Some people get headaches or dizziness, and others have stomach trouble like nausea or gas.",
    ...             True, None, ("", None))[0]
    ['headaches', 'dizziness', 'nausea', 'gas']
    """
    if NOT_SIDE_EFFECT_PROSE.search(sentence) or NOT_TAKE.search(sentence):
        return [], "", None
    one = _ONE_IS.match(sentence)
    if one and not re.search(r"\b(?:and|or)\b|,", one.group("item")) and not NOT_AN_ITEM.match(one.group("item")):
        lead = sentence[:one.start("item")].strip()
        return [prose_name(one.group("item"))], re.sub(r"\s+is$", "", lead), _level(one.group("tier"))
    other = _IS_ONE.match(sentence)
    if other and not NOT_AN_ITEM.match(other.group("item")):
        return [prose_name(other.group("item"))], sentence[other.start("tier"):other.end()].strip(), \
            _level(other.group("tier"))
    of_them = _ONE_OF_THEM.match(sentence)
    if of_them and about_effects:
        return [prose_name(of_them.group("item"))], prose_tier[0], prose_tier[1]
    if _SIGNS_OF.search(sentence.split(":")[0]):
        return [], "", None  # "any symptoms of a serious allergic reaction, including: rash, ...": signs of one
    m = _ENUMERATION.match(sentence)
    colon = sentence.find(": ")
    if colon > 0 and SIDE_EFFECT_WORDS.search(sentence[:colon]):
        m = _COLON_LIST.match(sentence) or m  # "... serious side effects, since they are rare: a, b, c"
    if m:
        lead = m.group("lead").strip().rstrip(":").strip()
        items = m.group("list")
        later = re.search(r"\b(?:such\s+as|including|like)\s+", items, re.I)
        if re.search(r"\b(?:are|were)$", lead, re.I) and later:
            lead = (lead + " " + items[:later.start()]).strip().rstrip(",").strip()  # "... are no worry, such as"
            items = items[later.end():]
        elif re.search(r"\b(?:are|were)$", lead, re.I) and _DESCRIBING.match(items):
            return [], "", None  # "Side effects are usually mild and short-lived" describes them
        least = 2 if re.search(r"\b(?:are|were)$", m.group("lead").strip(), re.I) else 1  # "... are taken from X"
        lead = re.sub(r",?\s*(?:such\s+as|include|includes|including|are|were)$", "", lead, flags=re.I).strip()
        lead_severity, named, _ = lead_tier(lead)
        if lead_severity is None and zone_tier and not named:
            lead, lead_severity = zone_tier  # "Side effects can include" under a tier
        return _names(list_items(_unshared(items), split_or=True), lead, lead_severity, least=least)
    if zone_tier or about_effects:
        subject = _SUBJECT_LIST.match(sentence)
        if subject and known_term_in(subject.group("list")):
            lead, lead_severity = zone_tier or ("", None)
            return _names(list_items(subject.group("list"), split_or=True), lead, lead_severity)
        found: list[str] = []
        for clause in _CLAUSE.split(sentence):
            notices = list(_NOTICE.finditer(clause))
            if notices and known_term_in(notices[-1].group("list")):
                found.extend(list_items(notices[-1].group("list"), split_or=True))
        if found:
            lead, lead_severity = zone_tier or prose_tier
            return _names(found, lead, lead_severity)
        run_on = run_on_items(sentence)
        if run_on:
            return run_on, "", None
    return [], "", None


def _names(parts: list[str], lead: str, severity: str | None, least: int = 2) -> tuple[list[str], str, str | None]:
    """The names of an enumeration's parts: examples of a vague part replace it, examples of a named one
    describe it; clauses at the end ("and they usually ease") are no names. A lead that names side effects
    may list one ("Common side effects include injection site reactions, such as redness"); a passage
    that only says what people get must list two."""
    out: list[str] = []
    for part in parts:
        if _EXAMPLES.match(part):
            break  # ", such as redness, swelling, and pain": the rest describes the item before
        vague = _VAGUE.match(part)
        out.extend(list_items(vague.group("examples"), split_or=True) if vague else [part])
    names = [prose_name(n) for n in out]
    while len(names) > 2 and (not names[-1] or NOT_AN_ITEM.match(names[-1])):  # "..., and they usually ease"
        names.pop()
    if len(names) >= least and all(0 < len(n.split()) <= 6 and len(n) > 2 and not NOT_AN_ITEM.match(n)
                                   and not _SIDE_EFFECT.search(n) for n in names):
        return names, lead, severity
    return [], "", None


def _level(words: str) -> str | None:
    return tier_severity(words) if words.strip() else None


def _unshared(text: str) -> str:
    return _SHARE.sub("", text)


def prose_name(name: str) -> str:
    """A side effect's name as a sentence gives it: no article, no describing clause.

    >>> prose_name("a pounding heartbeat"), prose_name("itching where it is injected")
    ('pounding heartbeat', 'itching')
    """
    name = _PROSE_TAIL.sub("", strip_glue(_unshared(name)))
    return _PROSE_LEAD.sub("", name).strip(" .,;:")
