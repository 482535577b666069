"""The label's own plain language as the bridge from a page's words to the label's medical term.

A label's Medication Guide, patient package insert and patient counselling text (the sections of
:data:`PATIENT_SECTIONS`) often pair plain words with the medical term in brackets: "low sodium levels
in your blood (hyponatremia)", "death of skin tissue (skin necrosis or gangrene)", or the other way
round. A claim in those plain words ("low sodium") is then searched by the medical term, and **its
status comes from where the professional sections list that term**, never from the patient section:
these sections restate the label for patients and list no effect of their own.

A claim meets the plain side of a pair when its words, in any order, are exactly the last words before
the bracket (the Medication Guide runs its bullets together: "headache diarrhea high blood pressure
(hypertension)" pairs "high blood pressure" with hypertension), or exactly the words inside it. Each
term in the bracket ("skin necrosis or gangrene") is searched on its own.

How a phrase that is not an effect is kept from counting ("tell your doctor if you have liver problems
(hepatic impairment)"): first, a pair whose plain words follow a cue of the patient's own history
("have or have had", "before taking"; ``text_guards.csv``, kind "patient history") is not used;
second, a term a pair leads to counts only where a professional section *lists* it: "hepatic
impairment" in "patients with hepatic impairment" is set aside there as a population
(:mod:`explorer.audit.guards`), so the claim stays "not found in the label text".
"""
from __future__ import annotations

from dataclasses import dataclass

from .guards import SET_ASIDE_WINDOW, contains, window_before
from .terms import FILLER, OPTIONAL, mark, queries

#: The sections written for patients, by their openFDA keys (``records.SECTION_KEYS``).
PATIENT_SECTIONS: tuple[str, ...] = ("spl_medguide", "spl_patient_package_insert", "information_for_patients",
                                     "patient_medication_information")
#: Words taken before a bracket as the plain side of a pair, at most.
PLAIN_WORDS = 6
_SPLIT = frozenset({"or", "and"})
#: Keys of words that turn a measure into an effect ("low", "high"): plain words never start after them.
_DIRECTION = frozenset({"increase", "decrease"})
#: A bracket starting with these words gives examples or a reference, not the term for the words before it.
_NOT_A_PAIR = frozenset({"e", "eg", "i", "ie", "see", "such", "include", "including", "like", "for"})


@dataclass(frozen=True)
class Pair:
    """Plain words and the terms a patient section pairs them with, and where."""

    before: tuple[int, ...]  # positions of the meaningful words before the bracket (the last PLAIN_WORDS)
    inside: tuple[tuple[int, ...], ...]  # positions of each term in the bracket ("or" and commas split them)
    sentence: object  # explorer.audit.fulltext.Sentence


def pairs(sentences, history: tuple[tuple[str, ...], ...]) -> list[Pair]:
    """The bracket pairs of the patient sections' sentences, those after a history cue left out."""
    out = []
    for s in sentences:
        if s.section not in PATIENT_SECTIONS or "(" not in s.searched:
            continue
        w = s.words
        groups: dict[int, list[int]] = {}
        for i, g in enumerate(w.groups):
            if g >= 0:
                groups.setdefault(g, []).append(i)
        for positions in groups.values():
            first = positions[0]
            if len({w.pieces[i] for i in positions}) > 1 or w.folded[first] in _NOT_A_PAIR:
                continue  # a list in brackets ("(e.g., nausea, fatigue)") names examples, not one term
            before = [i for i in range(first) if w.items[i] == w.items[first] and w.groups[i] < 0
                      and _meaningful(w.keys[i])][-PLAIN_WORDS:]
            if not before:
                continue
            reach = window_before(w.folded, before[0], 0, SET_ASIDE_WINDOW)
            if any(contains(reach + w.folded[before[0]:first], cue) for cue in history):
                continue
            inside, term = [], []
            for i in positions:
                if w.folded[i] in _SPLIT or (term and w.pieces[i] != w.pieces[term[-1]]):
                    inside.append(tuple(term)) if term else None
                    term = []
                if _meaningful(w.keys[i]) and w.folded[i] not in _SPLIT:
                    term.append(i)
            if term:
                inside.append(tuple(term))
            if inside:
                out.append(Pair(tuple(before), tuple(inside), s))
    return out


def _meaningful(key: str) -> bool:
    return key != ":" and key not in FILLER and key not in ("®", "™")


def _hard(keys) -> frozenset[str]:
    return frozenset(k for k in keys if mark(k) != OPTIONAL)


def terms_for(claim: str, found_pairs: list[Pair]) -> list[tuple[str, str]]:
    """(medical term, note) for each pair whose plain side the claim's words are (see the module docstring)."""
    wanted = [_hard(q.keys) for q in queries(claim)]
    wanted = [k for k in wanted if k]
    out: list[tuple[str, str]] = []
    for p in found_pairs:
        w = p.sentence.words
        text = lambda positions: " ".join(  # noqa: E731 - the words as written, filler words between included
            o for o in w.originals[positions[0]:positions[-1] + 1] if o != ":")
        targets: list[tuple[int, ...]] = []
        for n in range(1, len(p.before) + 1):  # the last n words before the bracket
            if n < len(p.before) and w.keys[p.before[-n - 1]] in _DIRECTION:
                continue  # "low sodium levels (hyponatremia)": "sodium levels" alone is not what it pairs
            if _hard(w.keys[i] for i in p.before[-n:]) in wanted:
                targets = list(p.inside)
                plain = text(p.before[-n:])
                break
        else:
            for term in p.inside:
                if _hard(w.keys[i] for i in term) in wanted:
                    targets = [p.before[-n:] for n in range(1, min(3, len(p.before)) + 1)]
                    plain = text(term)
                    break
        for target in targets:
            term = text(target)
            note = (f"the label's patient information pairs {plain!r} with {term!r} "
                    f"({p.sentence.text[:160]!r})")
            if all(t != term for t, _ in out):
                out.append((term, note))
    return out
