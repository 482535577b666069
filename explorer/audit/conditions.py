"""How a condition is named in labels, and the cues that tell what a label sentence says of it.

A page's condition ("High Cholesterol") is searched in a label by its own words and by the terms of
``data/reference/condition_terms.csv`` (condition, term, relation, note; a note per row): *synonyms*
(hyperlipidemia), *forms* (a kind of it: epilepsy for seizures), *broader* terms that cover it ("acute
pain" covers back pain) and *manifestations* (what is treated when a drug is for it: lowering LDL-C).
Rows whose condition starts with "@" are groups of terms ("@general pain") that other rows name as one
term. The cues of :mod:`explorer.audit.indications` (denials, trial statements, populations, other word
senses, harm words) are data too: ``data/reference/premise_guards.csv`` (kind, term, cue, note).

Words are read as the label check reads them (:class:`Reading`). A condition and the terms of
``condition_terms.csv`` are matched by their family keys, as a claim is
(:func:`explorer.audit.terms.phrase_keys`:
case, accents, spelling and inflection folded, then word families: "ocular" is "eye", "carcinoma" is
"cancer", "depressive" is "depression"); filler words ("of", "the", "with") may stand between a term's
words. The cues are matched by their folded words, as the label check's guards are
(:func:`explorer.audit.guards.cue_words`: inflection folded, no families, so "symptoms" and "disease"
stay apart).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import config
from .fulltext import LabelText, Sentence
from .guards import cue_words
from .structure import Words, read_words
from .terms import FILLER, fold_word, phrase_keys

CONDITIONS_FILE = "condition_terms.csv"
GUARDS_FILE = "premise_guards.csv"
RELATIONS = ("self", "synonym", "form", "broader", "manifestation")
_PARENS = re.compile(r"\([^()]*\)")


@dataclass(frozen=True)
class Term:
    """One way a condition is named in labels: its words, how it relates to the condition, and why."""

    words: tuple[str, ...]
    relation: str  # one of RELATIONS
    text: str
    note: str = ""


@dataclass(frozen=True)
class Rules:
    """The premise guards' cues (``premise_guards.csv``), folded as label words are."""

    denial: tuple[tuple[str, ...], ...]
    denial_headings: tuple[tuple[str, ...], ...]
    positive: tuple[tuple[str, ...], ...]
    trial: tuple[tuple[str, ...], ...]
    prevention: tuple[tuple[str, ...], ...]
    population_nouns: frozenset[str]
    population_links: tuple[tuple[str, ...], ...]
    treatment_words: frozenset[str]
    manifestation_links: tuple[tuple[str, ...], ...]
    feature_links: tuple[tuple[str, ...], ...]
    tied_after: tuple[tuple[str, ...], ...]
    general_qualifiers: frozenset[str]
    other_sense: dict[str, tuple[tuple[str, ...], ...]]
    other_sense_after: dict[str, tuple[tuple[str, ...], ...]]
    population_after: frozenset[str]
    population_before: tuple[tuple[str, ...], ...]
    harm: tuple[tuple[str, ...], ...]
    other_sense_nearby: dict[str, tuple[tuple[str, ...], ...]]
    other_drugs: tuple[tuple[str, ...], ...]
    manifestation_words: frozenset[str]
    conditional: tuple[tuple[str, ...], ...]
    bare_after: frozenset[str]
    class_prefixes: frozenset[str]


@lru_cache(maxsize=64)
def folded(words: frozenset[str]) -> frozenset[str]:
    """A set of words written in the code (grammar words: "is", "developed"), folded as cues are."""
    return frozenset(fold_word(w) for w in words)


@lru_cache(maxsize=8)
def load_rules(reference_dir: Path = config.REFERENCE_DIR) -> Rules:
    """The cues of ``premise_guards.csv`` (kind, term, cue, note)."""
    path = Path(reference_dir) / GUARDS_FILE
    kinds: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            try:
                kind, term, cue = row["kind"].strip(), (row["term"] or "").strip(), row["cue"].strip()
            except (KeyError, AttributeError):
                raise ValueError(f"{path}:{i}: expected columns kind, term, cue, note") from None
            if cue:
                kinds.setdefault(kind, []).append((term, cue_words(cue)))

    def cues(kind: str) -> tuple[tuple[str, ...], ...]:
        return tuple(c for _, c in kinds.get(kind, ()) if c)

    def words(kind: str) -> frozenset[str]:
        return frozenset(w for _, c in kinds.get(kind, ()) for w in c)

    def by_term(kind: str) -> dict[str, tuple[tuple[str, ...], ...]]:
        out: dict[str, list[tuple[str, ...]]] = {}
        for term, cue in kinds.get(kind, ()):
            for word in phrase_keys(term):
                out.setdefault(word, []).append(cue)
        return {k: tuple(v) for k, v in out.items()}

    return Rules(cues("denial"), cues("denial heading"), cues("positive"), cues("trial"), cues("prevention"),
                 words("population noun"), cues("population link"), words("treatment word"),
                 cues("manifestation link"), cues("feature link"), cues("tied after"), words("general qualifier"),
                 by_term("other sense"), by_term("other sense after"), words("population after"),
                 cues("population before"), cues("harm"), by_term("other sense nearby"), cues("other drugs"),
                 words("manifestation word"), cues("conditional"), words("bare after"), words("class prefix"))


def condition_key(condition: str) -> str:
    """How a condition is looked up in ``condition_terms.csv``: its words, folded, in order of the alphabet."""
    return " ".join(sorted(phrase_keys(condition)))


@lru_cache(maxsize=8)
def load_conditions(reference_dir: Path = config.REFERENCE_DIR) -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Condition key (or "@group") -> ((term, relation, note), ...) from ``condition_terms.csv``."""
    path = Path(reference_dir) / CONDITIONS_FILE
    out: dict[str, list[tuple[str, str, str]]] = {}
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            condition, term, relation = (row.get(c, "") or "" for c in ("condition", "term", "relation"))
            if relation.strip() not in RELATIONS[1:] or not condition.strip() or not term.strip():
                raise ValueError(f"{path}:{i}: expected condition, term, relation (one of "
                                 f"{', '.join(RELATIONS[1:])}) and note; found {dict(row)!r:.120}")
            key = condition.strip() if condition.strip().startswith("@") else condition_key(condition)
            out.setdefault(key, []).append((term.strip(), relation.strip(), (row.get("note") or "").strip()))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1 << 14)  # pages repeat a few thousand conditions
def condition_terms(condition: str, reference_dir: Path = config.REFERENCE_DIR) -> tuple[Term, ...]:
    """The ways a condition is named in labels: itself, then its terms in ``condition_terms.csv`` (groups such
    as "@general pain" expanded, the group's relation taken from the row that names it).

    >>> [(t.text, t.relation) for t in condition_terms("High Cholesterol")][:3]
    [('High Cholesterol', 'self'), ('hyperlipidemia', 'synonym'), ('hypercholesterolemia', 'synonym')]
    """
    table = load_conditions(reference_dir)
    out = [Term(phrase_keys(condition), "self", condition)]
    prevention = prevention_base(condition)
    if prevention:
        out.append(Term(phrase_keys(prevention), "self", prevention))
    for key in dict.fromkeys(k for k in (condition_key(condition), condition_key(prevention or "")) if k):
        for term, relation, note in table.get(key, ()):
            group = table.get(term, ()) if term.startswith("@") else ((term, relation, note),)
            for t, _, n in group:
                out.append(Term(phrase_keys(t), relation, t, n or note))
    seen: set[tuple[str, ...]] = set()
    return tuple(t for t in out if t.words and not (t.words in seen or seen.add(t.words)))


def prevention_base(condition: str) -> str | None:
    """"Breast Cancer Prevention" -> "Breast Cancer" (the approving sentence must then speak of prevention)."""
    m = re.fullmatch(r"\s*(?:prevention of\s+(.+)|(.+?)\s+prevention)\s*", condition, re.I)
    return (m.group(1) or m.group(2)) if m else None


# -- finding a condition in a sentence ----------------------------------------------------------------

def find_phrase(words: tuple[str, ...], phrase: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of each occurrence of ``phrase`` in ``words``, filler words allowed between its words."""
    out = []
    for j, w in enumerate(words):
        if w != phrase[0]:
            continue
        k = j + 1
        for p in phrase[1:]:
            while k < len(words) and words[k] in FILLER and words[k] != p:
                k += 1
            if k >= len(words) or words[k] != p:
                break
            k += 1
        else:
            out.append((j, k))
    return out


def first_cue(words: tuple[str, ...], cues) -> int | None:
    """Where the first of ``cues`` (word sequences) starts in ``words``, or None."""
    index = _by_first_word(tuple(cues))
    for i, w in enumerate(words):
        for cue in index.get(w, ()):
            if words[i:i + len(cue)] == cue:
                return i
    return None


@lru_cache(maxsize=256)
def _by_first_word(cues: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for cue in cues:
        if cue:
            out.setdefault(cue[0], []).append(cue)
    return {k: tuple(v) for k, v in out.items()}


def ends_with_cue(words: tuple[str, ...], cues, end: int) -> bool:
    """One of ``cues`` ends exactly at ``end`` (its last word is ``words[end - 1]``)."""
    return any(end >= len(c) and words[end - len(c):end] == c for c in cues)


@dataclass(frozen=True)
class Reading:
    """A sentence's words as the premise rules read them, ":" left out: family keys (what a condition's terms
    are matched against), folded words (what cues are matched against) and the words as written."""

    keys: tuple[str, ...]
    folded: tuple[str, ...]
    originals: tuple[str, ...]
    items: tuple[int, ...]  # the list item each word stands in (a comma, semicolon or colon starts one)

    def alone(self, start: int, end: int) -> bool:
        """Words ``start`` to ``end`` make a list item of their own, with at most one other meaningful word
        ("Psychiatric Disorders: agitation, anxiety, apathy"), in a sentence of several items."""
        item = self.items[start]
        own = sum(1 for k, i in zip(self.keys, self.items) if i == item and k not in FILLER)
        return own <= end - start + 1 and len(set(self.items)) > 1


def reading(words: Words) -> Reading:
    """The :class:`Reading` of a sentence's :class:`~explorer.audit.structure.Words`."""
    keep = [i for i, o in enumerate(words.originals) if o != ":"]
    return Reading(*(tuple(getattr(words, f)[i] for i in keep) for f in ("keys", "folded", "originals", "items")))


@lru_cache(maxsize=1 << 15)  # a label's warning and contraindication sentences are read for every premise
def sentence_variants(sentence: Sentence) -> tuple[Reading, ...]:
    """The sentence's words, and its words without what stands in brackets ("central (cranial) diabetes
    insipidus" is central diabetes insipidus)."""
    out = [reading(sentence.words)]
    if "(" in sentence.searched:
        bare = reading(read_words(_PARENS.sub(" ", sentence.searched)))
        if bare.keys and bare.keys != out[0].keys:
            out.append(bare)
    return tuple(out)


@dataclass(frozen=True)
class Mention:
    """One place a term of the condition stands in a label sentence (words ``start`` to ``end`` of ``reading``)."""

    term: Term
    sentence: Sentence
    reading: Reading
    start: int
    end: int

    @property
    def words(self) -> tuple[str, ...]:
        """The sentence's folded words, for its cues."""
        return self.reading.folded

    @property
    def keys(self) -> tuple[str, ...]:
        """The sentence's family keys, for the condition's terms."""
        return self.reading.keys

    @property
    def narrowed(self) -> bool:
        """Named as a narrower kind: a form, or a qualifier before it that is not a general one
        ("homozygous familial hypercholesterolemia"; not "acute otitis media")."""
        return self.term.relation == "form" or self._qualified

    @property
    def bare(self) -> bool:
        """Named as the condition itself: no narrowing word before it, and nothing after it that makes a
        longer name ("lupus nephritis" is not lupus; "hypercholesterolemia who do not have HoFH" is)."""
        if self.narrowed:
            return False
        after = self.words[self.end] if self.end < len(self.words) else None
        return after is None or after in FILLER or after in load_rules().bare_after or after.isdigit()

    @property
    def _qualified(self) -> bool:
        rules = load_rules()
        k = self.start - 1
        while k >= 0 and self.words[k] in rules.general_qualifiers:
            k -= 1
        return k >= 0 and self.words[k] not in FILLER and self.words[k] not in rules.treatment_words and \
            self.words[k] not in rules.population_nouns and not self.words[k].isdigit()


def mentions_in(sentence: Sentence, terms: tuple[Term, ...], relations: tuple[str, ...]) -> list[Mention]:
    """Every mention of the terms (of the given relations) in the sentence and in its variants (see
    :func:`sentence_variants`)."""
    out = []
    for r in sentence_variants(sentence):
        present = set(r.keys)
        for term in terms:
            if term.relation in relations and term.words[0] in present:
                out.extend(Mention(term, sentence, r, a, b) for a, b in find_phrase(r.keys, term.words))
    return out


def other_sense(m: Mention, rules: Rules) -> bool:
    """"respiratory depression", "diabetes insipidus", "depression and inversion of the T wave": the term's
    word in another sense (a cue that is part of the term itself does not count: "diabetes insipidus" is
    what a page on diabetes insipidus means); a drug class named after the condition ("anti-diabetic drugs",
    "anti-anxiety medications": a prefix of kind "class prefix" just before it)."""
    if m.start > 0 and m.words[m.start - 1] in rules.class_prefixes:
        return True
    for i in range(m.start, m.end):
        word = m.keys[i]
        if any(ends_with_cue(m.words, [cue], i) and i - len(cue) < m.start for cue in rules.other_sense.get(word, ())
               if i - len(cue) + 1 <= m.start):
            return True
        if any(m.words[i + 1:i + 1 + len(cue)] == cue and i + 1 >= m.end
               for cue in rules.other_sense_after.get(word, ())):
            return True
        near = m.words[max(0, i - 6):m.start] + ("",) + m.words[m.end:i + 7]
        if any(first_cue(near, [cue]) is not None for cue in rules.other_sense_nearby.get(word, ())):
            return True
    return False


def negated(m: Mention, text: LabelText) -> bool:
    """A negation just before the mention, as the label check reads them ("with no difference on strokes")."""
    before = m.words[max(0, m.start - 4):m.start]
    return any(first_cue(before, [cue]) is not None for cue in text.guards.before)


def tied(m: Mention, rules: Rules) -> bool:
    """A broader term tied to a disease right after it ("pain associated with endometriosis")."""
    return any(m.words[m.end:m.end + len(cue)] == cue for cue in rules.tied_after)
