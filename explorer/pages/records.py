"""Article records: what reading one page produces, before any DataFrame exists.

The flow is one-way: raw page -> :mod:`explorer.pages` -> these records -> :mod:`explorer.corpus`
(DataFrames) -> :mod:`explorer.explore` (filters, charts) and :mod:`explorer.audit` -> :mod:`explorer.app`.
Records are frozen so nothing downstream can change what a page said.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class Source:
    """Where a page came from: the path as given, its content hash and how its bytes were decoded."""

    path: str
    sha256: str
    encoding: str = "utf-8"
    format: str = "text"  # "text" or "html"
    url: str | None = None  # the page's address, when crawl metadata gives it

    @property
    def site(self) -> str:
        """The site a page is from: its address's host, else the folder it was read from, labelled as one
        ("folder: raw")."""
        if self.url:
            from urllib.parse import urlsplit

            host = urlsplit(self.url if "://" in self.url else f"//{self.url}").hostname
            if host:
                return host.removeprefix("www.")
        parent = self.path.replace("\\", "/").rsplit("/", 2)
        return f"folder: {parent[-2] if len(parent) >= 2 and parent[-2] else '.'}"


@dataclass(frozen=True)
class Section:
    """One heading of the page, in document order; ``line`` is 1-based in the source text."""

    heading: str
    kind: str  # one of SECTION_KINDS in explorer.vocabulary
    line: int
    label: str | None = None  # tier sections: the tier as written ("Less Common"); advice: its kind


@dataclass(frozen=True)
class SideEffect:
    """One side-effect item under a tier heading."""

    tier: str  # as written on the page ("" when the item stands under no tier)
    severity: str | None  # from the tier's words; None if unrecognised (never a guess)
    name: str
    description: str | None
    line: int
    from_prose: bool = False  # read out of a sentence ("Common side effects include X, Y and Z.")


@dataclass(frozen=True)
class Advice:
    """One item of a 'managing' or 'reducing the risk' list."""

    kind: str  # "managing" or "reducing_risk"
    name: str
    description: str | None
    line: int


@dataclass(frozen=True)
class Related:
    """One entry of the page's 'Related Articles' list: another '<Drug> for <Condition>' page."""

    drug: str
    condition: str
    line: int


@dataclass(frozen=True)
class NumberMention:
    """One duration or percentage written on the page (see :mod:`explorer.pages.numbers`)."""

    quantity: str  # "duration" | "percentage"
    text: str  # as written ("five to seven years")
    low: float
    high: float  # == low unless a range
    unit: str  # year, month, week, day or percent
    sentence: str  # the sentence it stands in (at most SENTENCE_CHARS characters)
    line: int


class SentenceHash(NamedTuple):
    """One sentence of a page's prose, kept only as the hash of its masked, normalised text (see
    :mod:`explorer.pages.sentences`): enough to tell template text from page-specific text across a
    million pages without keeping any text."""

    # A NamedTuple rather than a dataclass, like ``lines.Line``: a page has dozens of sentences.
    line: int  # 1-based line of the source file where the sentence stands
    hash: int  # signed 64-bit hash of the sentence, casefolded, drug and condition masked
    n_chars: int  # characters of the sentence (whitespace collapsed, edge punctuation stripped)


@dataclass(frozen=True)
class Article:
    """Everything the parser read from one '<Drug> for <Condition>' page (or, read by the general
    extractor, one page about a drug: its condition is None when the page names none)."""

    drug: str
    condition: str | None
    title: str
    title_line: int
    source: Source
    active_ingredients: tuple[str, ...] = ()
    drug_classes: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    side_effects: tuple[SideEffect, ...] = ()
    advice: tuple[Advice, ...] = ()
    related: tuple[Related, ...] = field(default_factory=tuple)
    truncated: bool = False
    synthetic: bool = False
    numbers: tuple[NumberMention, ...] = ()
    extractor: str = "template"  # "template" (the meds.is parser) or "general"
    drug_from: str = "title"  # where the drug was found: "meta", "title", "address" or "given"
    condition_from: str | None = "title"  # likewise; None when the page names no condition
    #: The page's prose sentences as hashes, set by :func:`explorer.pages.read.read_bytes` (the parsers
    #: alone leave it empty); kept for the corpus's ``sentences`` table, never printed by ``to_json``.
    sentences: tuple[SentenceHash, ...] = ()

    @property
    def related_conditions(self) -> list[str]:
        """Conditions of the related pages of the same drug, in page order."""
        return [r.condition for r in self.related if r.drug.casefold() == self.drug.casefold()]

    def to_json(self) -> dict:
        """The page as the JSON object printed by ``explorer parse`` (number mentions left out: they
        are kept in the corpus's ``numbers`` table for the label check)."""
        return {
            "drug": self.drug,
            "condition": self.condition,
            "title": self.title,
            "active_ingredients": list(self.active_ingredients),
            "drug_classes": list(self.drug_classes),
            "sections": [asdict(s) for s in self.sections],
            "side_effects": [_side_effect_json(s, self.extractor) for s in self.side_effects],
            "advice": [asdict(a) for a in self.advice],
            "related_conditions": self.related_conditions,
            "related": [asdict(r) for r in self.related],
            "truncated": self.truncated,
            "synthetic": self.synthetic,
            "source": {k: v for k, v in asdict(self.source).items() if k != "url" or v is not None},
            **({} if self.extractor == "template" else {  # template pages print what they always printed
                "extractor": self.extractor, "drug_from": self.drug_from, "condition_from": self.condition_from}),
        }


def _side_effect_json(side_effect: SideEffect, extractor: str) -> dict:
    out = asdict(side_effect)
    if extractor == "template":  # the template never reads prose: its JSON stays as it was
        del out["from_prose"]
    return out
