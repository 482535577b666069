"""What a label's indications, contraindications, warnings and adverse reactions say of a condition.

:func:`approval` reads Indications and Usage (see :mod:`explorer.audit.labelpremises` for the rules it
applies), :func:`contraindication` the Contraindications, and :func:`harm_note` whether a warning or an
adverse reaction names the condition as something the drug can cause. The words they look for are those
of :mod:`explorer.audit.conditions`.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from .conditions import (Mention, Rules, Term, ends_with_cue, find_phrase, first_cue, folded, load_rules, mentions_in,
                         negated, other_sense, sentence_variants, tied)
from .fulltext import LabelText, Sentence
from .guards import POPULATION, cue_words
from .terms import FILLER, Query
from .vocabulary import ADVERSE_REACTION_NOTE, WARNING_NOTE

INDICATIONS = "indications_and_usage"
CONTRAINDICATIONS = "contraindications"
WARNING_SECTIONS = ("boxed_warning", "warnings_and_cautions", "warnings", "precautions")
ADVERSE_SECTIONS = ("adverse_reactions",)
#: How many words before a population noun are read for what the sentence treats in that population.
OBJECT_WINDOW = 8


@dataclass(frozen=True)
class IndicationMention:
    mention: Mention
    negative: bool  # in a denial
    prevention: bool  # prevention words come before it in its sentence
    restricted: bool = False  # its sentence gives it only to patients with a narrower form of the condition


@dataclass(frozen=True)
class _Classified:
    """One Indications and Usage sentence, read once per label whatever the condition asked."""

    sentence: Sentence
    denial_at: int | None  # where a denial starts
    positive_at: int | None  # where "is indicated" stands
    negative_all: bool  # every mention in it is denied (a limitations heading, a "not approved for:" list)


#: Each label's classified indication sentences (a label's text is read for thousands of premises).
_CLASSIFIED: "weakref.WeakKeyDictionary[LabelText, list[_Classified]]" = weakref.WeakKeyDictionary()


def _classified(text: LabelText, rules: Rules) -> list[_Classified]:
    """The label's indication sentences with their denials, approvals and inherited denials; trial
    statements and sentences about other drugs left out."""
    found = _CLASSIFIED.get(text)
    if found is not None:
        return found
    out = []
    inherited = False  # the items of a "not approved for:" list
    passage = None
    own_denials = tuple(c for c in rules.denial if c not in rules.denial_headings)
    for s in text.sentences:
        if s.section != INDICATIONS or s.table is not None:
            continue
        if (s.number, s.heading) != passage:
            passage, inherited = (s.number, s.heading), False
        heading_denies = s.heading is not None and first_cue(cue_words(s.heading), rules.denial_headings) is not None
        words = sentence_variants(s)[0].folded
        positive_at = _positive_at(words, rules)
        positive_cue = positive_at is not None
        denial_at = first_cue(words, own_denials)
        if denial_at is None and not positive_cue:  # "Limitations of Use: Y." (not "... In OSA, X is indicated ...")
            denial_at = first_cue(words, rules.denial_headings)
        if denial_at is None and positive_cue:
            inherited = False
        # under a "Limitations of Use" heading a sentence that says what the drug is indicated for keeps it
        negative_all = (heading_denies and not (positive_cue and denial_at is None)) or inherited
        if denial_at is not None and s.text.rstrip().endswith(":"):
            inherited = True
        if first_cue(words, rules.trial) is not None or first_cue(words, rules.other_drugs) is not None:
            continue  # a trial statement, or a sentence about other drugs
        out.append(_Classified(s, denial_at, positive_at, negative_all))
    _CLASSIFIED[text] = out
    return out


def indication_mentions(text: LabelText, terms: tuple[Term, ...], rules: Rules,
                        drug_words: frozenset[str]) -> list[IndicationMention]:
    """The condition's mentions in Indications and Usage that name it as indicated or denied (see the
    module docstring); trial statements, populations, features and other senses are left out."""
    out = []
    manifest = tuple(t for t in terms if t.relation == "manifestation")
    for c in _classified(text, rules):
        kept: list[IndicationMention] = []
        populations: list[Mention] = []
        for m in mentions_in(c.sentence, terms, ("self", "synonym", "form", "broader")):
            if other_sense(m, rules) or negated(m, text):
                continue
            if m.term.relation == "broader" and (tied(m, rules) or m.narrowed):
                continue  # "pain associated with endometriosis", "esophageal candidiasis": a sibling, not broader
            if first_cue(m.words[max(0, m.start - 5):m.start], rules.conditional) is not None:
                continue  # "if the patient is HIV positive": a condition of use
            if any(ends_with_cue(m.words, rules.feature_links, k) for k in range(max(0, m.start - 3), m.start + 1)):
                continue  # "depression accompanied by anxiety or agitation"
            # denied: after a denial, or in a sentence that denies without saying what the drug is indicated
            # for before it ("Absence seizures do not appear to be controlled by X")
            negative = c.negative_all or (c.denial_at is not None and (
                c.denial_at < m.start or c.positive_at is None or c.positive_at > m.start))
            direct, population = _direct(m, rules, manifest, drug_words)
            if population and not negative and m.term.relation != "broader":
                populations.append(m)
            if not negative and not direct:
                continue
            prevention = first_cue(m.words[:m.start], rules.prevention) is not None
            kept.append(IndicationMention(m, negative, prevention))
        # "weight management in patients with monogenic or syndromic obesity": given only for a narrower form
        restricted = bool(populations) and all(p.narrowed for p in populations)
        out.extend(IndicationMention(k.mention, k.negative, k.prevention, restricted and not k.negative)
                   for k in kept)
    return out


def _positive_at(words: tuple[str, ...], rules: Rules) -> int | None:
    """Where the sentence first says what the drug is indicated for ("is indicated", not "not indicated")."""
    for cue in rules.positive:
        n = len(cue)
        for i in range(len(words) - n + 1):
            if words[i:i + n] == cue and (i == 0 or words[i - 1] != "not"):
                return i
    return None


def _direct(m: Mention, rules: Rules, manifest: tuple[Term, ...], drug_words: frozenset[str]) -> tuple[bool, bool]:
    """(whether the condition is what the sentence treats, whether it is named as the patients treated).

    "treatment of patients with X", "chorea associated with X": X is treated. "MI and stroke in adults
    with X": X is who, not what, unless what is treated is one of X's manifestations ("glycemic control
    in adults with type 2 diabetes", "stroke in patients with atrial fibrillation").
    """
    words, start = m.words, m.start
    for k in range(max(0, start - 3), start + 1):
        if ends_with_cue(words, rules.manifestation_links, k):
            return True, False
    # a population link ("with", "who have") shortly before the mention (qualifiers between: "with moderate
    # to severe plaque psoriasis"), after a population noun
    link, between = None, 0
    for k in range(start, max(0, start - 9), -1):
        if k < start and words[k] not in FILLER:
            between += 1  # words[k] stands between the link and the mention
            if between > 4:
                break
        if ends_with_cue(words, rules.population_links, k):
            link = k
            break
    if link is None:
        return True, False
    noun = None
    for k in range(link - 1, max(-1, link - 11), -1):
        if words[k] in rules.population_nouns:
            noun = k
            break
    if noun is None:
        return True, False
    window = words[max(0, noun - OBJECT_WINDOW):noun]
    keys = m.keys[max(0, noun - OBJECT_WINDOW):noun]
    if any(find_phrase(keys, t.words) for t in manifest) or rules.manifestation_words.intersection(window):
        return True, True  # "glycemic control in adults with X", "symptoms of dry mouth in patients with X"
    # what is treated: the words after the last treatment word ("for the treatment of patients with X")
    last = max((i for i, w in enumerate(window) if w in rules.treatment_words), default=-1)
    other = [w for w in window[last + 1:] if w not in FILLER and w not in rules.treatment_words and
             w not in rules.population_nouns and w not in drug_words and not w.isdigit() and len(w) > 1
             and w not in folded(_VERBS)]
    return not other, True


#: Words of an indication sentence that say nothing of what is treated ("X is indicated ... in adults with Y").
_VERBS = frozenset({"is", "are", "be", "been", "being", "was", "were", "used", "given", "also", "as", "when",
                    "alone", "other", "therapy", "therapies", "lowering", "who", "whose", "drug", "tablet",
                    "capsule", "injection", "solution", "it"})


def approval(text: LabelText, terms: tuple[Term, ...], rules: Rules, drug_words: frozenset[str],
              prevention: bool) -> tuple[bool, Mention | None, str]:
    """(approved, the sentence that decides, why) from Indications and Usage."""
    found = indication_mentions(text, terms, rules, drug_words)
    if prevention:  # "Breast Cancer Prevention": approved only where the sentence speaks of prevention
        found = [f for f in found if f.prevention]
    else:  # "not approved for prevention of malaria" denies prevention, not treatment
        found = [f for f in found if not (f.negative and f.prevention)]
    positive = [f for f in found if not f.negative]
    negative = [f.mention for f in found if f.negative and f.mention.term.relation != "broader"]
    exact = [f.mention for f in positive if f.mention.term.relation != "broader"]
    broader = [f.mention for f in positive if f.mention.term.relation == "broader"]
    narrow = all(f.mention.narrowed or f.restricted for f in positive if f.mention.term.relation != "broader")
    if exact:
        if negative and narrow and any(n.bare for n in negative):
            return False, negative[0], "the indications approve only a narrower form and deny the condition"
        return True, exact[0], "named in the indications"
    if broader:
        if negative:
            return False, negative[0], "a broader indication, but the condition itself is excluded by name"
        return True, broader[0], f"covered by the broader indication {broader[0].term.text!r}"
    if negative:
        return False, negative[0], "named in the indications only to deny it"
    return False, None, "not named among the indications"


def contraindication(text: LabelText, terms: tuple[Term, ...], rules: Rules) -> Mention | None:
    """The first mention of the condition (or a synonym, form or broader term) that Contraindications list,
    as the label check finds it there: an effect the drug causes, or the patients it excludes (a population
    is exactly what a premise asks about: "contraindicated in patients with asthma")."""
    firsts = {t.words[0] for t in terms}
    for s in text.sentences:
        if s.section != CONTRAINDICATIONS or firsts.isdisjoint(sentence_variants(s)[0].keys):
            continue
        for m in mentions_in(s, terms, ("self", "synonym", "form", "broader")):
            if other_sense(m, rules):
                continue
            if any((o.listing or o.verdict == POPULATION) for o in text.find(_query(m.term)) if o.sentence is s):
                return m
    return None


def _query(term: Term) -> Query:
    """The label check's query for a term's words (already its family keys)."""
    return Query(term.words, (False,) * len(term.words))


def harm_note(text: LabelText, terms: tuple[Term, ...], rules: Rules) -> tuple[str | None, Sentence | None]:
    """"also a warning" or "also an adverse reaction", with the sentence, or (None, None).

    A warning section's sentence counts when it speaks of harm (a cue of ``premise_guards.csv``:
    "worsening", "may cause", "has been reported", "risk", ...); an adverse-reaction sentence or table
    row when it lists the condition. Neither counts where any mention of the condition in it is a
    population, a trial population, a use, a denial or another word sense, nor an adverse-reaction
    subsection heading (they name the trials' population: "6.2 Mania").
    """
    named = tuple(t for t in terms if t.relation in ("self", "synonym", "form"))
    by_sentence: dict[int, Sentence] = {}
    for term in named:
        for occ in text.find(_query(term)):
            s = occ.sentence
            if occ.listing and (s.section in WARNING_SECTIONS or s.section in ADVERSE_SECTIONS):
                by_sentence.setdefault(id(s), s)
    found: dict[str, tuple[int, int, Sentence]] = {}  # kind -> (rank, order, sentence); the best rank wins
    for n, s in enumerate(by_sentence.values()):
        kind = WARNING_NOTE if s.section in WARNING_SECTIONS else ADVERSE_REACTION_NOTE
        if kind in found and found[kind][0] == 0:
            continue
        if kind == ADVERSE_REACTION_NOTE and s.table is None and s.heading is not None and s.text == s.heading:
            continue
        r = sentence_variants(s)[0]
        if first_cue(r.folded, rules.denial) is not None:
            continue
        if kind == WARNING_NOTE and first_cue(r.folded, rules.harm) is None:
            continue
        # every mention, in the sentence and without its brackets: "patients 7 to 17 years of age (137 X, 136
        # placebo) with generalized anxiety disorder" names a population once the aside is set apart
        mentions = mentions_in(s, named, ("self", "synonym", "form"))
        mentions = [m for m in mentions if not _labels_a_list(m)]  # "Depression: Worsening of depression ..."
        if mentions and all(_caused(m, rules) for m in mentions):
            found[kind] = min(found.get(kind, (3, n, s)), (_evidence_rank(s, mentions), n, s),
                              key=lambda f: f[:2])
    for kind in (WARNING_NOTE, ADVERSE_REACTION_NOTE):
        if kind in found:
            return kind, found[kind][2]
    return None, None


def _evidence_rank(s: Sentence, mentions: list[Mention]) -> int:
    """How well a sentence shows a reader the condition named as a harm: 0 a table row or a list item of
    its own ("Psychiatric Disorders: agitation, anxiety, apathy"), 2 mentions that only open the sentence
    (a subheading run into it: "Generalized Anxiety Disorder Adults The most commonly observed ..." names
    the trials' population), 1 otherwise."""
    if s.table is not None or any(m.reading.alone(m.start, m.end) for m in mentions):
        return 0
    opening = max((m.end for m in mentions if m.start == 0), default=0)
    return 2 if all(m.end <= opening for m in mentions) else 1


#: Words that end the gap between a population cue and a mention: the clause has moved on ("patients
#: with hepatic impairment developed depression").
_GAP_STOP = frozenset({"developed", "experienced", "reported", "had", "have", "has", "showed", "were", "was", "is",
                       "are", "received", "receiving", "taking", "treated", "may", "can", "including", "include"})


def _labels_a_list(m: Mention) -> bool:
    """The mention heads what follows it, as "Psoriasis: diverticulitis, cellulitis, ..." heads a trial's
    infections or "Depression: Worsening of depression ..." a warning's paragraph."""
    last = m.reading.originals[m.end - 1] if m.end - 1 < len(m.reading.originals) else ""
    # "Hypertension (≥5%): Dizziness.": a bracketed aside may stand before the colon
    return bool(last) and re.search(rf"\b{re.escape(last)}\s*(?:\([^()]*\)\s*)?:", m.sentence.text) is not None


def _caused(m: Mention, rules: Rules) -> bool:
    """A mention in a warning or adverse reaction that can name the condition as something the drug
    causes: not another sense, not a population ("patients with a history of X", "in X trials", "Psoriasis:"
    heading a list of a trial's infections), not a use ("for the treatment of X")."""
    words = m.words
    if other_sense(m, rules):
        return False
    after = [w for w in words[m.end:m.end + 4] if w not in FILLER][:3]
    if any(w in rules.population_after for w in after):
        return False
    k, gaps = m.start, 0
    while True:
        for cue in rules.population_before:
            if ends_with_cue(words, [cue], k):
                if cue != ("with",) or any(w in rules.population_nouns for w in words[max(0, k - 9):k - 1]):
                    return False
        if k == 0:
            return True
        w = words[k - 1]
        if w not in FILLER:
            gaps += 1
            if gaps > 3 or w in folded(_GAP_STOP) or (w,) in rules.harm:
                return True
        k -= 1


# -- one premise --------------------------------------------------------------------------------------
