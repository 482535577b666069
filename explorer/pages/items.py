"""How pages of other sites write their side-effect items and tier labels (for :mod:`explorer.pages.general`).

- :func:`leaflet_label`: whether "More common", "Uncommon (up to 1 in 100 people)" or "Also reported" before a
  colon is a tier label rather than the start of a sentence;
- :func:`item_parts`: a bullet's name and description ("Name: description", dashes, arrows, parentheses,
  a trailing clause), or the items of a comma or semicolon list in one bullet;
- :func:`list_items` and :func:`bare_list`: the names of an inline list, and whether a line is nothing else.
"""
from __future__ import annotations

import re

from .classify import split_item
from .tiers import tier_severity

_WORDS = re.compile(r"[a-z]+")
_CLAUSE = re.compile(r",\s+(?=(?:which|that|especially|usually|often|mostly|mainly|typically)\b)", re.I)
_LIST_SPLIT = re.compile(r"\s*;\s*|\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+(?=[^,;]+$)")
#: Words an item never starts with: a clause, an instruction, or talk about side effects themselves.
NOT_AN_ITEM = re.compile(r"^(?:which|that|who|whom|when|where|how|why|if|because|so|it|they|you|we|this|these|"
                          r"stop|get|call|take|tell|ask|see|contact|keep|avoid|any)\b|side[\s-]*effect", re.I)
#: Words of tiers that name no frequency ("Minor / Major", "Mild / Severe" pages): a tier, no severity.
TIER_ONLY = frozenset({"mild", "minor", "moderate"})
#: The words a leaflet's tier label is made of ("More common", "Incidence not known", "Less common side effects").
_LABEL_WORDS = frozenset({"more", "less", "most", "very", "not", "known", "incidence", "frequency", "the", "and",
                          "but", "or", "of", "side", "effects", "effect", "reactions", "reaction", "other", "also",
                          "reported", "possible"})
PAREN = re.compile(r"\([^()]*\)")
#: Tier cues too weak to make a heading or label a tier on their own ("Most people describe:").
WEAK_CUES = frozenset({"most", "often"})


def leaflet_label(label: str) -> bool:
    """Whether the text before a colon is a tier label ("More common", "Rare") rather than a sentence."""
    words = _WORDS.findall(PAREN.sub(" ", label).casefold())  # "Common (up to 1 in 10 people)"
    tier = {w for w in words if (tier_severity(w) or w in TIER_ONLY or w in ("common", "rare", "known"))
            and w not in WEAK_CUES}
    named = bool(tier) or "incidence" in words or {"effects", "reactions", "reported"} & set(words)
    return bool(words) and len(words) <= 5 and bool(named) and set(words) <= _LABEL_WORDS | tier


def item_parts(body: str) -> list[tuple[str, str | None]]:
    """A bullet's (name, description) pairs: one, or several for a comma or semicolon list."""
    body = body.strip().replace("**", "").replace("__", "")
    if "→" in body:
        name, _, description = body.partition("→")
        return [(name.strip(" .;,"), description.strip() or None)]
    name, description = split_item(body)
    m = re.match(r"^(?P<name>[^()]+?)\s*\((?P<paren>[^()]+)\)\s*\.?$", name)
    if m and description is None:  # "Dry mouth (xerostomia)", "Cough (dry, often worse at night)"
        return [(m.group("name").strip(), m.group("paren").strip())]
    clause = _CLAUSE.search(name) if description is None else None
    if clause:  # "Feeling sick, which usually passes": the clause describes the item
        name, description = name[:clause.start()], name[clause.end():].strip() or None
    if description is None and "(" not in name:
        parts = [p.strip(" .") for p in _LIST_SPLIT.split(name) if p and p.strip(" .")]
        if len(parts) > 1 and (";" in name or "," in name and all(len(p.split()) <= 4 for p in parts)):
            return [(p, None) for p in parts]
    return [(name.strip().rstrip("."), description)]


def bare_list(text: str) -> bool:
    """A line that is only a list of short items ("Yawning, vivid dreams, skin rash, sweating")."""
    parts = list_items(text)
    return (len(parts) >= 3 and text.count(",") + text.count(";") >= 2 and text.rstrip()[-1:] not in "!?:"
            and all(0 < len(p.split()) <= 4 and not NOT_AN_ITEM.match(p) for p in parts))


def list_items(text: str) -> list[str]:
    """The names of an inline list ("drowsiness; dry mouth; blurred vision", "dizziness, fatigue and X")."""
    return [p.strip(" .") for p in _LIST_SPLIT.split(text.strip().rstrip(".")) if p.strip(" .")]


