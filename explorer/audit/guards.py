"""Whether a found phrase is a listing of the drug, or set aside by a guard, and why.

A found phrase is a *listing* only when none of these guards applies. Each guard looks at the clause of
the match (the sentence up to a ";", a line or a bullet), never at the whole sentence, so a guard word
anywhere in a long list does not set aside every effect in it. The cues are data
(``data/reference/text_guards.csv``, one row with a note per cue), folded as label words are
(:func:`explorer.audit.terms.fold_word`):

- **negation**: a negation cue among the three meaningful words just before the phrase ("no cases of X",
  "without X"), or a negation among the three just after it that denies a report of it ("X was not
  observed"). A "not" before the phrase is not counted: contraindications say "do not use ... in
  patients with X"; nor is a "not" after it that denies something else ("X did not lead to stopping");
- **comparison**: the clause compares with placebo ("X occurred at a rate similar to placebo");
- **a name**: the phrase is part of a product name (capitalised words marked ``®`` or ``™``);
- **interaction or overdose context**: drug-interaction and overdosage sections are context only, as are
  clauses elsewhere that speak of overdose or co-administration; the sections written for patients
  (Medication Guide, ...) list nothing by themselves ("patient information only": their plain words are a
  bridge to the professional terms, :mod:`explorer.audit.plainwords`);
- **a sign of another effect** (the warned event, not its symptoms): the phrase follows a cue naming
  signs ("signs", "symptoms", "manifestations") and then a cue that lists them ("include", "such as",
  "e.g.", a colon) in the same sentence: "symptoms of serotonin syndrome may include agitation" sets
  aside agitation, while "monitor for signs of bleeding" keeps bleeding (no list follows); or it follows
  a cue that alone makes what comes next a sign ("manifested by", "patients who present with"); or it
  follows an "if" after a cue of diagnosis (kind "sign if": "consider the possibility of myocarditis if
  chest pain, fever ... occur", "measure ammonia levels if unexplained vomiting");
- **a contraindication that names the patients it excludes** ("contraindicated in patients with
  active bleeding", a bare item "Uncontrolled hypertension") lists no effect of the drug: only a
  contraindication stating that the effect occurred or can occur with the drug counts ("hypersensitivity
  reactions, including angioedema, have been reported"; cues of kind "reported effect");
- **a reason, a history, a population or the condition treated**: a cue among the five meaningful
  words just before the phrase, in its list item (eight, across the commas of a list it continues: "a
  history of asthma, glaucoma, or enlargement of the prostate"): "for a reason other than X", "a history of X",
  "patients with X", "treatment of X". Not in indications, which name the condition treated so;
- **a qualifier of another effect**: the phrase is followed by "related" ("asthma-related death" is a
  death, not asthma; "dementia-related psychosis").

Cross-references ("[see Warnings and Precautions (5.4)]") are removed before searching, so a section
named there is not a listing.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .. import config
from ..labels.records import LISTING_SECTIONS, PATIENT_SECTIONS
from .terms import FILLER, fold_word, words_of

GUARDS_FILE = "text_guards.csv"
#: Meaningful words (filler words not counted) looked at on each side of a phrase for a negation.
NEGATION_WINDOW = 3
#: Meaningful words after a negation that follows the phrase, looked at for the verb it denies.
VERB_WINDOW = 3
#: Meaningful words looked at before a phrase for a reason, history, population or treated condition
#: (within the phrase's list item: "patients with active tuberculosis infections of the respiratory tract").
SET_ASIDE_WINDOW = 5
#: The same when the phrase's item continues a list whose head holds the cue ("a history of A, B or C").
LIST_WINDOW = 8
#: Meaningful words after a phrase in a contraindication looked at for "reported", "occurred".
REPORT_REACH = 6
#: Words from a sign cue ("symptoms") to the cue that lists the signs ("include"), at most.
SIGN_REACH = 12
MARKS = ("®", "™")
_FILLER = FILLER | frozenset(MARKS)
#: Verdicts, by what set the occurrence aside.
LISTING, NEGATED, PLACEBO, NAME, CONTEXT = ("listing", "negated", "compared with placebo", "in a product name",
                                            "context only")
#: An occurrence in a section written for patients: it lists nothing by itself (see explorer.audit.plainwords).
PATIENT = "patient information only"
SIGN, REASON, HISTORY, POPULATION, TREATED = ("a sign of another effect", "a reason, not an effect",
                                              "a history", "a population", "the condition treated")
QUALIFIER = "qualifies another effect"
#: Cue kinds before the phrase that set it aside, and the verdict each gives.
#: Sections where "patients with X" or "treatment of X" is how X is listed (a contraindication, an indication).
_NAMES_ITS_PATIENTS = frozenset({"contraindications", "indications_and_usage"})
_BEFORE_KINDS = {"reason": REASON, "history": HISTORY, "population": POPULATION, "condition treated": TREATED}


@dataclass(frozen=True)
class Guards:
    """The cue words of the guards, by kind (see the module docstring), folded."""

    before: tuple[tuple[str, ...], ...]  # negations before the phrase, as word sequences ("absence", "of")
    after: frozenset[str]  # negation words after the phrase ("not", "never")
    verbs: frozenset[str]  # what a negation after the phrase must deny to count ("observe"); empty: anything
    comparison: tuple[str, ...]  # phrases of a clause comparing with placebo
    context: tuple[str, ...]  # phrases of a clause about overdose or co-administration
    titles: frozenset[tuple[str, ...]] = frozenset()  # section titles, as phrase keys
    signs: frozenset[str] = frozenset()  # words naming signs of something ("symptom")
    sign_lists: tuple[tuple[str, ...], ...] = ()  # cues listing them ("include", "such as", ":")
    set_aside: tuple[tuple[tuple[str, ...], str], ...] = ()  # (cue words, verdict) just before the phrase
    qualifiers: frozenset[str] = frozenset()  # a word right after the phrase making it a qualifier ("related")
    patient_history: tuple[tuple[str, ...], ...] = ()  # cues of a patient's own history in patient sections
    sign_leads: tuple[tuple[str, ...], ...] = ()  # cues after which what follows is a sign ("manifested by")
    reported: tuple[tuple[str, ...], ...] = ()  # cues after the phrase of a contraindication stating it occurred
    reported_before: tuple[tuple[str, ...], ...] = ()  # the same, before the phrase ("possibility of")
    clause_breaks: frozenset[str] = frozenset()  # words opening another condition ("unless", "if")
    sign_ifs: tuple[tuple[str, ...], ...] = ()  # a diagnosis before "if": what follows "if" are its signs


def cue_words(cue: str) -> tuple[str, ...]:
    """A cue's folded words (":" kept as a word of its own)."""
    return tuple(":" if w == ":" else fold_word(w) for w in _cue_tokens(cue))


def _cue_tokens(cue: str) -> list[str]:
    return [":"] if cue.strip() == ":" else words_of(cue)


@lru_cache(maxsize=8)
def load_guards(reference_dir: Path = config.REFERENCE_DIR) -> Guards:
    """The guards' cues from ``text_guards.csv`` (kind, cue, note)."""
    from .terms import phrase_keys

    kinds: dict[str, list[str]] = {}
    with open(Path(reference_dir) / GUARDS_FILE, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            kinds.setdefault(row["kind"].strip(), []).append(row["cue"].strip())
    folded = {k: [cue_words(c) for c in v] for k, v in kinds.items()}
    return Guards(before=tuple(w for w in folded.get("negation before", ()) if w),
                  after=frozenset(w[0] for w in folded.get("negation after", ()) if len(w) == 1),
                  verbs=frozenset(w[0] for w in folded.get("negated verb", ()) if len(w) == 1),
                  comparison=tuple(" ".join(words_of(c.casefold())) for c in kinds.get("comparison", ())),
                  context=tuple(" ".join(words_of(c.casefold())) for c in kinds.get("context", ())),
                  titles=frozenset(phrase_keys(c) for c in kinds.get("section title", ())),
                  signs=frozenset(w[0] for w in folded.get("sign", ()) if len(w) == 1),
                  sign_lists=tuple(w for w in folded.get("sign list", ()) if w),
                  set_aside=tuple((w, verdict) for kind, verdict in _BEFORE_KINDS.items()
                                  for w in folded.get(kind, ()) if w),
                  qualifiers=frozenset(w[0] for w in folded.get("qualifier after", ()) if len(w) == 1),
                  patient_history=tuple(w for w in folded.get("patient history", ()) if w),
                  sign_leads=tuple(w for w in folded.get("sign lead", ()) if w),
                  reported=tuple(w for w in folded.get("reported effect", ()) if w),
                  reported_before=tuple(w for w in folded.get("reported effect before", ()) if w),
                  clause_breaks=frozenset(w[0] for w in folded.get("clause break", ()) if len(w) == 1),
                  sign_ifs=tuple(w for w in folded.get("sign if", ()) if w))


def verdict(g: Guards, section: str, words: tuple[str, ...], originals: tuple[str, ...], clause: tuple[int, int],
            start: int, end: int, item_start: int = 0, in_list: bool = False) -> str:
    """The verdict on a phrase found at ``words[start:end]`` (folded words of its sentence, ":" included),
    whose clause is ``words[clause[0]:clause[1]]`` and whose list item starts at ``item_start``; ``in_list``:
    that item continues a list ("a history of asthma, glaucoma", "pregnancy, surgery or pelvic infection"),
    so a cue before the list reaches it."""
    if section not in LISTING_SECTIONS:
        return PATIENT if section in PATIENT_SECTIONS else CONTEXT
    lower = " ".join(o.casefold() for o in originals[clause[0]:clause[1]] if o != ":")
    if any(_has(lower, cue) for cue in g.context):
        return CONTEXT
    before = window_before(words, start, clause[0])
    if any(contains(before, cue) for cue in g.before) or _negated_after(g, words, end, clause[1]):
        return NEGATED
    if any(_has(lower, cue) for cue in g.comparison):
        return PLACEBO
    if in_product_name(originals, start, end):
        return NAME
    if section == "contraindications" and not _reported(g, words, start, end, clause):
        return POPULATION  # "contraindicated in patients with X", "Active bleeding": who may not take it
    if section not in _NAMES_ITS_PATIENTS:
        reach = (window_before(words, start, clause[0], LIST_WINDOW) if in_list else
                 window_before(words, start, max(item_start, clause[0]), SET_ASIDE_WINDOW))
        for cue, why in g.set_aside:
            if contains(reach, cue):
                return why
    if end < clause[1] and words[end] in g.qualifiers:  # "asthma-related death" is no asthma
        return QUALIFIER
    if _is_sign(g, words, end - 1, clause) or _named_as_sign(g, words, end, clause[1]):
        return SIGN
    return LISTING


def _has(text: str, cue: str) -> bool:
    """``cue`` in ``text`` as whole words."""
    i = text.find(cue)
    while i >= 0:
        j = i + len(cue)
        if (i == 0 or text[i - 1] == " ") and (j == len(text) or text[j] == " "):
            return True
        i = text.find(cue, i + 1)
    return False


def _reported(g: Guards, words: tuple[str, ...], start: int, end: int, clause: tuple[int, int]) -> bool:
    """A contraindication saying the phrase's effect occurred or can occur with the drug: a cue of kind
    "reported effect" among the REPORT_REACH meaningful words after the phrase (before a word that opens
    another condition: "unless a pregnancy has occurred"), or one of kind "reported effect before" before
    it in its clause ("because of the possibility of hemolytic anemia")."""
    after = []
    for w in words[end:clause[1]]:
        if w in g.clause_breaks:
            break
        if w not in _FILLER and w != ":":
            after.append(w)
            if len(after) == REPORT_REACH:
                break
    after_t = tuple(after)
    return (any(contains(after_t, cue) for cue in g.reported)
            or any(contains(words[clause[0]:start], cue) for cue in g.reported_before))


def _named_as_sign(g: Guards, words: tuple[str, ...], end: int, stop: int) -> bool:
    """"X ... can be symptoms of Y", "X may be a sign of Y": the phrase is then called a sign of another effect."""
    after = [w for w in words[end:min(stop, end + SIGN_REACH)] if w not in _FILLER]
    return any(w in g.signs and i > 0 and after[i - 1] == "be" for i, w in enumerate(after[:6]))


def _is_sign(g: Guards, words: tuple[str, ...], start: int, clause: tuple[int, int] = (0, 0)) -> bool:
    """A sign cue, then a cue listing the signs, before ``start`` in the sentence; or a cue that alone makes
    what follows a sign ("manifested by") before it in its clause (see the module docstring)."""
    if any(contains(words[clause[0]:start], cue) for cue in g.sign_leads):
        return True
    # "consider the possibility of myocarditis if chest pain, fever ... occur": the signs that prompt a diagnosis
    ifs = [i for i in range(clause[0], start) if words[i] == "if"]
    if ifs and any(contains(words[clause[0]:ifs[-1]], cue) for cue in g.sign_ifs):
        return True
    for s in range(start - 1, -1, -1):
        if words[s] in g.signs:
            for l in range(s + 1, min(start, s + SIGN_REACH + 1)):
                if any(words[l:l + len(cue)] == cue and l + len(cue) <= start for cue in g.sign_lists):
                    return True
    return False


def _negated_after(g: Guards, words: tuple[str, ...], end: int, stop: int) -> bool:
    """A negation among the meaningful words after the phrase, denying one of the guards' verbs."""
    seen = 0
    for k in range(end, stop):
        w = words[k]
        if w in g.after or w.endswith("n't"):
            if not g.verbs or g.verbs.intersection(_meaningful(words[k + 1:stop], VERB_WINDOW)):
                return True
        if w not in _FILLER and w != ":":
            seen += 1
            if seen >= NEGATION_WINDOW:
                return False
    return False


def _meaningful(words: Iterable[str], n: int) -> list[str]:
    """The first ``n`` meaningful (non-filler) words."""
    out = []
    for w in words:
        if w not in _FILLER and w != ":":
            out.append(w)
            if len(out) == n:
                break
    return out


def window_before(words: tuple[str, ...], start: int, stop: int = 0, n: int = NEGATION_WINDOW) -> tuple[str, ...]:
    """The words before ``start`` (not before ``stop``) back to the ``n``-th meaningful one, filler words
    included."""
    k, seen = start, 0
    while k > stop and seen < n:
        k -= 1
        seen += words[k] not in _FILLER and words[k] != ":"
    return words[k:start]


def contains(words: tuple[str, ...], cue: tuple[str, ...]) -> bool:
    if cue[0] not in words:  # most cues are absent: one scan instead of one slice per position
        return False
    n = len(cue)
    return any(words[i:i + n] == cue for i in range(len(words) - n + 1))


def in_product_name(originals: tuple[str, ...], start: int, end: int) -> bool:
    """The phrase is in a run of capitalised words, without filler words, that a ® or ™ marks as a name."""
    if not all(w[:1].isupper() for w in originals[start:end] if w != ":"):
        return False
    k = end
    while k < len(originals) and originals[k][:1].isupper() and fold_word(originals[k]) not in FILLER:
        k += 1
    return k < len(originals) and originals[k] in MARKS
