"""The side effects the general extractor finds on a page, and which of them it keeps.

:class:`Found` takes each item as it is read, with the section and the list it stands in, and leaves out
what is no side effect whatever the list it stands in: a dose line ("Adults: 25 to 100 milligrams daily"),
a drug's name ("Wellbutrin" under "Commonly Used Brand Names"). A frequency said inside an item becomes
its tier ("rarely pancreatitis"). At the end (:meth:`Found.kept`) a list whose items tell accidents to
report ("have a fall", "a blow to the head") is left out; side effects read from prose are kept only in
sections without a list (prose beside a list repeats it or comments on it) and only once per page.
"""
from __future__ import annotations

from ..text import name_key
from .cues import ACCIDENT
from .items import frequency_prefix, is_dose, strip_glue
from .names import Vocabulary
from .records import SideEffect
from .tiers import tier_severity


class Found:
    """The side effects found so far, each with the section and the list it came from."""

    def __init__(self, drugs: Vocabulary):
        self.items: list[tuple[SideEffect, int, int]] = []  # (side effect, section, list)
        self.drugs = drugs

    def add(self, tier: str, severity: str | None, name: str, description: str | None, line: int, section: int,
            group: int, from_prose: bool = False) -> None:
        """Take one item of a list (see the module docstring for what is left out)."""
        name, frequency = frequency_prefix(name.strip())
        if frequency:
            tier, severity = frequency, tier_severity(frequency)
        name = strip_glue(name)
        if not name or is_dose(name) or (description and is_dose(description) and ":" not in name):
            return
        if name in self.drugs:
            return  # "Wellbutrin", "Zyban" under "Commonly Used Brand Names": drugs, not side effects
        self.items.append((SideEffect(tier, severity, name, description, line, from_prose), section, group))

    def kept(self, prose: list[tuple[SideEffect, int]]) -> list[SideEffect]:
        """The side effects of the page in line order: the lists' (accident lists left out) and those of
        ``prose`` ((side effect, section) pairs) that stand in a section without a list, each once."""
        groups: dict[int, list[SideEffect]] = {}
        for effect, _, group in self.items:
            groups.setdefault(group, []).append(effect)
        accidents = {g for g, effects in groups.items()
                     if 2 * sum(bool(ACCIDENT.search(e.name)) for e in effects) >= len(effects)}
        listed = [e for e, _, g in self.items if g not in accidents]
        with_lists = {s for _, s, _ in self.items}
        seen = {name_key(e.name) for e in listed}
        kept = []
        for effect, section in prose:
            key = name_key(effect.name)
            if section in with_lists or key in seen:
                continue
            seen.add(key)
            kept.append(effect)
        return sorted(listed + kept, key=lambda e: e.line)
