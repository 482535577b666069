"""How pages of other sites write their side-effect items and tier labels (for :mod:`explorer.pages.general`).

- :func:`leaflet_label`: whether "More common", "Uncommon (up to 1 in 100 people)" or "Also reported" before a
  colon is a tier label rather than the start of a sentence; :func:`system_label`: whether it is a body
  system ("Nervous System", "Gastrointestinal"), under which monographs list side effects;
- :func:`item_parts`: a list item's name and description. An item is one side effect however many commas it
  holds ("black, tarry stools", "Dizziness, drowsiness"): the name ends at its separator (": ", " – ",
  "—", "→", a double space, an explanatory or cross-reference parenthesis, ", which ...") and loses its
  list glue (a trailing ", and", "; or", "."); a "Label: a, b, c" item whose label is a tier or a body
  system is a list;
- :func:`list_items` and :func:`bare_list`: the names of an inline list, split at commas and semicolons
  outside parentheses, and whether a line is nothing else;
- :func:`frequency_prefix`: "rarely pancreatitis" is pancreatitis, with the tier "rarely".
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .. import config
from .classify import split_item
from .tiers import tier_severity

BODY_SYSTEMS_FILE = "body_systems.csv"
_WORDS = re.compile(r"[a-z]+")
_CLAUSE = re.compile(r",\s+(?=(?:which|that|especially|usually|often|mostly|mainly|typically)\b)", re.I)
#: Words an item never starts with: a clause, an instruction, or talk about side effects themselves.
NOT_AN_ITEM = re.compile(r"^(?:which|that|who|whom|when|where|how|why|if|because|so|it|they|you|we|this|these|"
                          r"stop|get|call|take|tell|ask|see|contact|keep|avoid|any)\b|side[\s-]*effect", re.I)
#: Words of tiers that name no frequency ("Minor / Major", "Mild / Severe" pages): a tier, no severity.
TIER_ONLY = frozenset({"mild", "minor", "moderate"})
#: The words a leaflet's tier label is made of ("More common", "Incidence not known", "Less common side effects").
_LABEL_WORDS = frozenset({"more", "less", "most", "very", "not", "known", "incidence", "frequency", "the", "and",
                          "but", "or", "of", "side", "effects", "effect", "reactions", "reaction", "other", "also",
                          "reported", "reports", "possible", "postmarketing", "post", "marketing", "adverse"})
PAREN = re.compile(r"\([^()]*\)")
#: The end of a list that is no item: "..., among others", "..., etc.", "..., and more".
_NO_ITEM = re.compile(r"^(?:and\s+|or\s+)?(?:among\s+others|etc\.?|and\s+so\s+on|more|others|many\s+more|"
                      r"(?:the\s+)?[\w\s]{0,30}\b(?:said|says|reported|adds|added|explained|notes|noted))\.?$", re.I)
#: A part of a list that describes the item before it: ", which needs urgent care".
_CLAUSE_PART = re.compile(r"^(?:which|that|who)\b", re.I)
#: Tier cues too weak to make a heading or label a tier on their own ("Most people describe:").
WEAK_CUES = frozenset({"most", "often"})
#: A parenthesis that points elsewhere ("(For a description, see the FAQ section.)"): never part of a name.
_CROSS_REFERENCE = re.compile(r"\s*\((?:for\s+(?:a\s+description|details|more)|to\s+learn\s+more|see\b|read\s+more|"
                              r"learn\s+more|click)[^()]*\)", re.I)
#: List glue at an item's end ("headache,", "rash, and", "nausea; or", "vision changes.").
_GLUE_END = re.compile(r"(?:\s*[,;]\s*(?:and|or)|\s*[,;.]|\s+(?:and|or))+\s*$", re.I)
_GLUE_START = re.compile(r"^(?:and|or)\s+", re.I)
_GLUE_ONLY = re.compile(r"^\s*(?:and|or)?\s*[.,]?\s*$", re.I)
#: A frequency said inside an item: "rarely pancreatitis", "very rarely dry mouth".
_FREQUENCY = re.compile(r"^(?P<tier>(?:very\s+)?(?:rarely|commonly|frequently|occasionally|infrequently|uncommonly))"
                        r",?\s+(?P<rest>\S.*)$", re.I)
#: A dose line: an amount with its unit ("25 to 100 milligrams daily", "10 mg twice a day").
_DOSE = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:-|to)?\s*(?:\d+(?:[.,]\d+)?\s*)?(?:mg|mcg|µg|milligrams?|micrograms?|"
                   r"grams?|ml|millilit(?:er|re)s?|units?|iu|puffs?)\b", re.I)
#: One sentence and what follows it: "Liver damage. This effect is rare. Symptoms can include:".
_FIRST_SENTENCE = re.compile(r"^(?P<name>[^.!?]{2,60}?)[.!?]\s+(?P<rest>[A-Z].*)$")


@lru_cache(maxsize=4)
def body_systems(reference_dir: Path = config.REFERENCE_DIR) -> frozenset[str]:
    """The body-system labels of monographs (``body_systems.csv``), folded."""
    return frozenset(" ".join(_WORDS.findall(r["label"].casefold()))
                     for r in config.reference_rows(BODY_SYSTEMS_FILE, reference_dir) if r.get("label"))


def system_label(label: str) -> bool:
    """Whether the text before a colon names a body system ("Nervous System", "Other Adverse Effects")."""
    return " ".join(_WORDS.findall(label.casefold())) in body_systems()


def leaflet_label(label: str) -> bool:
    """Whether the text before a colon is a tier label ("More common", "Rare") rather than a sentence."""
    words = _WORDS.findall(PAREN.sub(" ", label).casefold())  # "Common (up to 1 in 10 people)"
    tier = {w for w in words if (tier_severity(w) or w in TIER_ONLY or w in ("common", "rare", "known"))
            and w not in WEAK_CUES}
    named = bool(tier) or "incidence" in words or {"effects", "reactions", "reported", "reports"} & set(words)
    return bool(words) and len(words) <= 5 and bool(named) and set(words) <= _LABEL_WORDS | tier


def strip_glue(text: str) -> str:
    """An item without list glue at either end: "rash, and" -> "rash", "or headache." -> "headache"."""
    return _GLUE_START.sub("", _GLUE_END.sub("", text.strip())).strip()


def frequency_prefix(name: str) -> tuple[str, str | None]:
    """(name, tier) of an item that starts with a frequency word; (name, None) otherwise.

    >>> frequency_prefix("very rarely dry mouth"), frequency_prefix("Headache")
    (('dry mouth', 'very rarely'), ('Headache', None))
    """
    m = _FREQUENCY.match(name)
    return (m.group("rest"), m.group("tier")) if m else (name, None)


def is_dose(text: str) -> bool:
    """Whether an item states a dose ("Adults: 25 to 100 milligrams daily") rather than a side effect."""
    return _DOSE.search(text) is not None


def item_parts(body: str) -> list[tuple[str, str | None]]:
    """A list item's (name, description): one pair, or one per item of a "Tier: a, b" or "System: a, b" item.

    >>> item_parts("black, tarry stools,")
    [('black, tarry stools', None)]
    >>> item_parts("Headache: a dull pain.")
    [('Headache', 'a dull pain.')]
    >>> item_parts("Liver damage. This effect is rare. Symptoms can include:")
    [('Liver damage', 'This effect is rare. Symptoms can include:')]
    """
    body = body.strip().replace("**", "").replace("__", "")
    cross = _CROSS_REFERENCE.search(body)
    if cross:  # "infections (For a description, see ...)": the pointer describes, it names nothing
        pointer = body[cross.start():].strip()
        body = body[:cross.start()] + body[cross.end():]
        parts = item_parts(body)
        return [(n, d or pointer.strip("() ")) for n, d in parts]
    if "→" in body:
        name, _, description = body.partition("→")
        return [(strip_glue(name), description.strip() or None)]
    label, colon, rest = body.partition(":")
    if colon and rest.strip() and (leaflet_label(label) or system_label(label)):
        return [(n, None) for n in list_items(rest)]
    pieces = [p for p in split_outside_parentheses(body, ";") if strip_glue(p) and not _GLUE_ONLY.match(p)]
    if len(pieces) > 1 and split_item(pieces[0])[1] is None:  # "trouble falling asleep; vivid dreams": a semicolon parts two items, a comma does not
        return [pair for piece in pieces for pair in item_parts(piece)]
    double = re.search(r"\S(\s{2,})(?=[A-Z])", body)
    if double and len(body[:double.start(1)].split()) <= 8:  # "Spotting Between Periods  Birth control ..."
        return [(strip_glue(body[:double.start(1)]), body[double.end(1):].strip() or None)]
    sentence = _FIRST_SENTENCE.match(body)
    if sentence and len(sentence.group("name").split()) <= 6 and ":" not in sentence.group("name"):
        return [(strip_glue(sentence.group("name")), sentence.group("rest").strip())]
    name, description = split_item(body)
    if description is None and name.count("(") > name.count(")"):  # "Yawning! (Honestly it is the odd"
        cut = name.rfind("(")
        name, description = name[:cut], name[cut + 1:].strip() or None
    m = re.match(r"^(?P<name>[^()]+?)\s*\((?P<paren>[^()]+)\)\s*[.,;]?\s*(?:and|or)?\s*$", name)
    if m and description is None:  # "Dry mouth (xerostomia)", "Cough (dry, often worse at night)"
        return [(strip_glue(m.group("name")), m.group("paren").strip())]
    clause = _CLAUSE.search(name) if description is None else None
    if clause:  # "Feeling sick, which usually passes": the clause describes the item
        name, description = name[:clause.start()], name[clause.end():].strip() or None
    return [(strip_glue(name), description)]


def bare_list(text: str) -> bool:
    """A line that is only a list of short items ("Yawning, vivid dreams, skin rash, sweating")."""
    parts = list_items(text)
    return (len(parts) >= 3 and text.count(",") + text.count(";") >= 2 and text.rstrip()[-1:] not in "!?:"
            and all(0 < len(p.split()) <= 4 and not NOT_AN_ITEM.match(p) for p in parts))


def split_outside_parentheses(text: str, separators: str = ",;") -> list[str]:
    """``text`` cut at each separator that is not inside parentheses.

    >>> split_outside_parentheses("Stomach upset (e.g., nausea), rash; fever")
    ['Stomach upset (e.g., nausea)', ' rash', ' fever']
    """
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        elif ch in separators and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _balanced_pieces(text: str) -> bool:
    """Whether cutting ``text`` at " and " / " or " would leave no parenthesis open ("a (x) and b (y)")."""
    return all(p.count("(") == p.count(")") for p in re.split(r"\s+(?:and|or)\s+", text))


def list_items(text: str, *, split_or: bool = False) -> list[str]:
    """The names of an inline list, split at commas and semicolons outside parentheses; the last item is
    also split at " and " (and at " or " with ``split_or``) when the writer put no comma before it.

    >>> list_items("Headache, dizziness, hyperkinesia (in young children), somnolence.")
    ['Headache', 'dizziness', 'hyperkinesia (in young children)', 'somnolence']
    >>> list_items("nausea, vomiting, and withdrawal symptoms"), list_items("headaches, dizziness and nausea")
    (['nausea', 'vomiting', 'withdrawal symptoms'], ['headaches', 'dizziness', 'nausea'])
    """
    raw = split_outside_parentheses(text.strip().rstrip("."))
    while len(raw) > 1 and _NO_ITEM.match(raw[-1].strip()):  # "..., among others", "..., etc.", "..., she said"
        raw.pop()
    raw = [p for k, p in enumerate(raw) if k == 0 or not _CLAUSE_PART.match(p.strip())]  # ", which needs care"
    parts = [strip_glue(p).strip(" .") for p in raw]
    parts = [p for p in parts if p]
    if parts:
        last_raw = raw[-1].strip()
        oxford = bool(re.match(r"(?:and|or)\b", last_raw, re.I))
        words = r"and|or" if split_or else r"and"
        if not oxford and _balanced_pieces(parts[-1]) and (len(parts) > 1 or split_or):
            pieces = re.split(rf"\s+(?:{words})\s+", parts[-1])
            if len(pieces) == 2 and all(pieces):
                parts[-1:] = pieces
    return [p for p in parts if p]
