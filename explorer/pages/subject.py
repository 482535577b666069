"""Which drug a page is about, and for which condition: from a title or heading, its text, or its address.

A page outside the template rarely starts with "<Drug> for <Condition>". Its headline may be
"Trazodone Side Effects", "Common Side Effects and Overdose Symptoms of Trazodone", "Gabapentin for
Anxiety: Uses, Side Effects and Contraindications", a question ("How does prednisone work for
asthma?", "Does Doryx for acne have any side effects?") or the reversed form ("Dosing Strategies for
Treating Anxiety with Sertraline"); or it names neither, and only its text ("Semaglutide treats type 2
diabetes", "Doctors prescribe it to adults who have high cholesterol", "my son takes it to keep his
asthma under control") or its address ("/gabapentin-for-anxiety") does.

- :func:`subject_from_heading` reads the headline shapes;
- :func:`learned_drugs` finds drugs the text itself introduces ("Doxycycline (Doryx)", "Qulipta is a
  medication used to ..."), so a brand missing from the names can still be a page's drug;
- :func:`drug_from_text` takes the drug the text names most often;
- :func:`condition_from_text` reads the condition from the shapes of sentences that say what a drug is
  for, then from the page's opening, then from "my/his/her <condition>";
- :func:`subject_from_address` reads the address or file name.

A drug must be a known name (``data/reference/drug_names.csv``, the names the caller adds, such as those of
an imported label store or of crawl metadata, or one the text introduced): "Guide for Parents" names no
drug. A condition read from the text must be a known condition (``data/reference/conditions.csv``); one
read from a title or address may be any short phrase. A condition is never invented: without one it stays
None.
"""
from __future__ import annotations

import re
from typing import Iterable, NamedTuple, Sequence
from urllib.parse import unquote, urlsplit

from ..text import fold, sentence_at, split_sentences
from .names import Mention, Vocabulary, condition_vocabulary, drug_kinds, drugs_with, measure_means

#: Where "X for Y" headlines put a subtitle after the condition: "Anxiety: Uses, ...", "Anxiety | Site".
_SUBTITLE = re.compile(r"\s*(?::|\||\s[-–—]\s).*$")
_QUESTION_START = re.compile(r"^(?:how|does|do|can|could|is|are|will|should|what|which|why|when|has|have)\b", re.I)
_REVERSED = re.compile(r"\b(?:treating|treat|managing|manage|lowering|lower|reducing|reduce|controlling|control|"
                       r"easing|for)\s+(?P<cond>.+?)\s+with\s+(?P<drug>[A-Za-z][\w-]*)\b", re.I)
_FOR = re.compile(r"^(?P<drug>.+?)\s+for\s+(?P<cond>.+)$", re.I)
_AND_DRUG = re.compile(r"^(?P<cond>[A-Z][\w'’-]*(?: [\w'’-]+){0,3}) (?:and|&) (?P<drug>[A-Za-z][\w-]*)$")
_NOT_WITH_DRUG = frozenset({"alcohol", "pregnancy", "breastfeeding", "food", "grapefruit", "exercise", "driving",
                            "weight", "sex", "caffeine", "coffee", "sun", "travel", "surgery", "kids", "children",
                            "you", "your health", "dosage", "side effects", "safety", "uses"})
_SIDE_EFFECTS = re.compile(r"side[\s-]*effects?|adverse", re.I)
#: Verbs that end a question's condition phrase: "for acne have any side effects", "for acne cause ...".
_VERB = re.compile(r"\b(?:have|has|had|cause|causes|work|works|help|helps|is|are|be|make|makes|give|gives|do|does|"
                   r"affect|affects|lead|leads)\b", re.I)
#: Words that open a condition phrase but are not part of it ("for the treatment of anxiety").
_CONDITION_LEAD = re.compile(r"^(?:the\s+)?(?:treatment|treating|relief|management|managing|prevention)\s+of\s+|"
                             r"^(?:treating|treat|managing|manage|easing|relieving)\s+|^(?:the|your|a|an)\s+",
                             re.I)
_NOT_CONDITIONS = frozenset({"you", "me", "kids", "children", "adults", "women", "men", "beginners", "dummies",
                             "patients", "parents", "carers", "caregivers", "families", "seniors", "teens",
                             "students", "nurses", "doctors", "pharmacists",
                             "everyone", "sale", "less", "free", "more", "years", "months", "weeks", "days"})
#: What a headline may start with that is not part of it: "Q:", quotes, emoji and other symbols.
_HEADLINE_LEAD = re.compile(r"^(?:[^\w\"'“‘(]+|q\s*:\s*|question\s*:\s*)+", re.I)


class Subject(NamedTuple):
    """What a page is about, as found: the drug and condition (None when not found) and where from."""

    drug: str | None
    condition: str | None
    drug_from: str | None = None
    condition_from: str | None = None


def _known(extra_drugs: Iterable[str], known: Vocabulary | None) -> Vocabulary:
    return known if known is not None else drugs_with(tuple(extra_drugs))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _condition(text: str) -> str | None:
    """A title's condition phrase, trimmed; a long phrase gives the known condition it starts with."""
    text = _SUBTITLE.sub("", text).strip(" .,;:!?\"'“”‘’")
    text = _CONDITION_LEAD.sub("", text).strip()
    if not text or not text[0].isalpha() or text.casefold() in _NOT_CONDITIONS:
        return None
    if len(text.split()) > 6 or "," in text:
        found = _condition_near_start(text, 3)
        return _cap(found) if found else None
    return _cap(text)


def _condition_near_start(text: str, reach: int, kinds: frozenset[str] | None = None) -> str | None:
    """The known condition that starts within the first ``reach`` words of ``text``, as written (a measure
    gives what it stands for: "blood pressure" -> "high blood pressure")."""
    for m in condition_vocabulary().find(text, first=True, kinds=kinds):
        if len(text[:m.start].split()) >= reach:
            return None
        return measure_means().get(m.key) if m.kind == "measure" else m.text
    return None


def _clean_headline(text: str) -> str:
    text = " ".join(text.replace("®", "").replace("™", "").split())
    text = _HEADLINE_LEAD.sub("", text).strip(" #*\"'“”‘’")
    return text


def _drug_in(text: str, known: Vocabulary) -> Mention | None:
    found = known.find(text, first=True)
    return found[0] if found else None


def subject_from_heading(text: str, extra_drugs: Iterable[str] = (), *,
                         known: Vocabulary | None = None) -> Subject | None:
    """The drug (and condition, when named) a title or heading is about, or None when it names no drug.

    >>> subject_from_heading("Gabapentin for Anxiety: Uses, Side Effects and Contraindications")[:2]
    ('Gabapentin', 'Anxiety')
    >>> subject_from_heading("How does prednisone work for asthma?")[:2]
    ('Prednisone', 'Asthma')
    >>> subject_from_heading("Dosing Strategies for Treating Anxiety with Sertraline")[:2]
    ('Sertraline', 'Anxiety')
    >>> subject_from_heading("Common Side Effects and Overdose Symptoms of Trazodone")[:2]
    ('Trazodone', None)
    >>> subject_from_heading('"Does Zoloft for anxiety have any side effects one should watch for?"')[:2]
    ('Zoloft', 'Anxiety')
    >>> subject_from_heading("4 Possible Side Effects Of Taking Birth Control Pills")[:2]
    ('Birth Control Pills', None)
    """
    known = _known(extra_drugs, known)
    text = _clean_headline(text)
    if not text:
        return None
    mentions = known.find(text)
    if not mentions:
        return None

    def drug_of(part_start: int, part_end: int, last: bool = False) -> Mention | None:
        inside = [m for m in mentions if m.start >= part_start and m.end <= part_end]
        return (inside[-1] if last else inside[0]) if inside else None

    def title(m: Mention, condition: str | None) -> Subject:
        return Subject(_cap(m.text), condition, "title", "title" if condition else None)

    if _QUESTION_START.match(text) or text.endswith("?"):
        for m in mentions:  # "How does prednisone work for asthma?", "Does Doryx for acne have side effects?"
            after = re.match(r"(?:\s+\w+){0,3}?\s+(?:for|with)\s+(?P<cond>[^?,;]+)", text[m.end:], re.I)
            if after and not known.find(after.group("cond"), first=True):
                cond = after.group("cond")
                known_condition = _condition_near_start(cond, 3)
                short = len(cond.split()) <= 4 and not _SIDE_EFFECTS.search(cond) and not _VERB.search(cond)
                condition = _cap(known_condition) if known_condition else (_condition(cond) if short else None)
                if condition:
                    return title(m, condition)
    plain = _SUBTITLE.sub("", text) if ":" in text else text
    r = _REVERSED.search(plain)
    if r:
        m = drug_of(plain.find(r.group("drug"), r.start("drug")), r.end("drug"))
        if m:
            return title(m, _condition(r.group("cond")))
    f = _FOR.match(_SUBTITLE.sub("", text) if ":" in text and " for " in text.split(":")[0] else text)
    if f:
        m = drug_of(0, f.end("drug"))  # a known name among the words before "for" ("Using Gabapentin for ...")
        if m and not known.find(f.group("cond"), first=True):  # "Highlights for amoxicillin" is no title
            return title(m, _condition(f.group("cond")))
        if m:
            return title(m, None)
    a = _AND_DRUG.match(_SUBTITLE.sub("", text))  # "Osteoarthritis and Celecoxib: What to Expect"
    if a and known.find(a.group("drug")) and not known.find(a.group("cond")) \
            and a.group("cond").casefold() not in _NOT_WITH_DRUG:
        m = drug_of(a.start("drug"), a.end("drug"))
        if m:
            return title(m, _condition(a.group("cond")))
    first = mentions[0]
    if first.start == 0 and re.match(r"\s*(?:\([^)]*\))?\s*(?:'s\s+|’s\s+)?(?:side\s+effects|adverse|uses|dosage|"
                                     r"reviews|warnings)\b", text[first.end:], re.I):
        return title(first, None)  # "Trazodone Side Effects", "Lisinopril (Zestril) side effects and warnings"
    of = re.search(r"\b(?:of|from|with|on|about|taking)\s+$", _SUBTITLE.sub("", text)[:mentions[-1].start])
    if of and mentions[-1].end >= len(_SUBTITLE.sub("", text).rstrip(" ?.!")):
        return title(mentions[-1], None)  # "... Overdose Symptoms of Trazodone"
    if _SIDE_EFFECTS.search(text):  # a known name anywhere in a side-effects heading
        return title(first, None)
    return None


# --- drugs and conditions from the text -----------------------------------------------------------

#: "Doxycycline (Doryx)", "Adderall (mixed amphetamine salts)", "Crestor (rosuvastatin)".
_PAIR = re.compile(r"\b(?P<a>[A-Z][A-Za-z][\w-]{2,})\s*\((?:brand\s+names?:?\s+|generic\s+name:?\s+|also\s+"
                   r"(?:called|known\s+as)\s+)?(?P<b>[A-Za-z][\w-]{3,})\)")
#: "Qulipta is a medication used to ...", "Cetirizine is an antihistamine".
_IS_A = re.compile(r"(?:^|[.!?]\s+)(?P<name>[A-Z][a-z][\w-]{2,})(?:\s*\([^)]*\))?\s+(?:is|was)\s+(?:a|an|the|one\s+of\s+"
                   r"the)\s+(?P<rest>(?:[\w-]+\s+){0,4}[\w-]+)")
_NOT_DRUG_SUBJECTS = frozenset({"this", "that", "it", "there", "here", "what", "which", "who", "she", "he", "they",
                                "it's", "one", "each", "every", "your", "our", "the"})


def learned_drugs(texts: Sequence[str], known: Vocabulary) -> tuple[str, ...]:
    """Drugs the text introduces though they are not known names: the other name in "Known (Other)" or
    "Other (known)", and the subject of "Other is a/an <drug kind>" ("Zorvalex is a prescription medicine").

    >>> from explorer.pages.names import drug_vocabulary
    >>> learned_drugs(["Minocycline (Minolira) is an antibiotic.", "Zorvalex is a prescription medicine."],
    ...               drug_vocabulary())
    ('Minolira', 'Zorvalex')
    """
    kinds = drug_kinds()
    out: list[str] = []
    for text in texts:
        for m in _PAIR.finditer(text):
            a, b = m.group("a"), m.group("b")
            for new, other in ((a, b), (b, a)):
                if other in known and new not in known and new.casefold() not in _NOT_DRUG_SUBJECTS \
                        and new.isalpha() and new not in out:
                    out.append(_cap(new))
        for m in _IS_A.finditer(text):
            name = m.group("name")
            if name in known or name.casefold() in _NOT_DRUG_SUBJECTS or name in out:
                continue
            rest = m.group("rest").casefold().replace("-", " ").split()
            if any(w in kinds or w.rstrip("s") in kinds for w in rest):
                out.append(name)
    return tuple(out)


def drug_from_text(texts: Sequence[str], known: Vocabulary) -> str | None:
    """The known drug the text names most often (the first named wins a tie), as first written."""
    counts: dict[str, list] = {}
    order = 0
    for text in texts:
        for m in known.find(text):
            entry = counts.setdefault(m.key, [0, order, m.text])
            entry[0] += 1
            order += 1
    if not counts:
        return None
    best = max(counts.values(), key=lambda e: (e[0], -e[1]))
    return _cap(best[2])


_C = r"(?P<cond>[^.;:!?]{2,80})"
_TREATS = re.compile(
    r"(?<!birth )\b(?:to\s+)?(?:treat|treats|treated|treating|treatment\s+(?:of|for)|therapy\s+for|manage|manages|managing|"
    r"control|controls|relieve|relieves|relieving|ease|eases|easing|prevent|prevents|preventing|fight|fights|"
    r"cure|cures|lower|lowers|lowering|reduce|reduces|reducing)\s+(?:or\s+\w+\s+)?(?:the\s+|your\s+)?"
    r"(?:symptoms?\s+of\s+|signs?\s+of\s+)?" + _C, re.I)
_USED_FOR = re.compile(
    r"\b(?:used|prescribed|approved|indicated|given|taken|take|takes|meant|recommended|licensed|works?|helps?|"
    r"effective|choice|mainstay|option|remedy|medicine|medication|drug|treatment|tablet|pill|injection|cream)"
    r"\b(?:\s+[\w-]+){0,4}?\s+(?:for|against|in)\s+" + _C, re.I)
_HELPS = re.compile(r"\bhelps?\s+(?:\w+\s+){0,2}?(?P<cond>(?:stop|quit|lose)\s+\w+)", re.I)
_PEOPLE = re.compile(r"\b(?:people|patients|adults|women|men|children|kids|those|anyone|someone|individuals|"
                     r"persons)\s+(?:who\s+(?:have|has|suffer\s+from|live\s+with|are\s+living\s+with)|with|"
                     r"suffering\s+from|living\s+with)\s+" + _C, re.I)
#: A patient's own condition ("my anxiety", "his asthma"); not "your", which instructions use ("if your rash").
_POSSESSIVE = re.compile(r"\b(?:my|his|her|their)\s+(?=" + _C + ")", re.I)
_CONDITION_NOUN = re.compile(r"^\s*(?:medications?|medicines?|drugs?|treatments?|therapy)\b", re.I)
#: Conditions an opening sentence may name without a pattern: not symptoms, which are side effects too.
_OPENING_KINDS = frozenset({"disease", "goal", "abbreviation"})
#: Conditions "my/his/her <condition>" may name: not a measure ("her blood pressure drops") nor a symptom
#: ("my headache"), which side effects share.
_PERSONAL_KINDS = frozenset({"disease", "goal", "abbreviation"})
#: Words of a sentence about what a drug does to people, whose conditions are its effects or risks.
_ABOUT_HARM = re.compile(r"side[\s-]*effects?|adverse|reactions?|\bcause[sd]?\b|\brisks?\b|\blead\s+to\b|"
                         r"\bincrease[sd]?\b|\bworsen", re.I)
#: A line of tags or keywords: three or more short terms between commas, no sentence.
_TAG_LINE = re.compile(r"^\s*[^,.;:!?]{1,40}(?:,\s*[^,.;:!?]{1,40}){2,}\s*$")
#: How many lines of the page's opening are read for a tag line naming a condition.
OPENING_LINES = 3


#: A sentence about who must not take the drug: its people are not what the drug is for.
_NOT_FOR = re.compile(r"\b(?:should\s+not|must\s+not|shouldn[’']t|do\s+not|don[’']t|cannot|not\s+be\s+given|"
                      r"not\s+(?:suitable|recommended)|avoid)\b", re.I)


def _sentence(text: str, at: int) -> str:
    return sentence_at(text, at)


#: Words before a use that compare it with the page's ("than when it is used for ...").
_COMPARED = re.compile(r"\bthan\b[^.;]*$", re.I)


def _shared_head(phrase: str, condition: str) -> str:
    """The head a coordination shares: "chest, ear and skin infections" is about infections, not skin ones."""
    before = phrase[:phrase.find(condition)]
    if re.search(r",[^,]*\b(?:and|or)\s+$", before):
        head = condition.split()[-1]
        if head in condition_vocabulary():
            return head
    return condition


def _for_drug(drug: str) -> re.Pattern:
    return re.compile(rf"\b{re.escape(drug)}\b(?:\s*\([^)]*\))?\s+for\s+" + _C, re.I)


def condition_from_text(texts: Sequence[str], drug: str | None, *, opening: Sequence[str] = (),
                        anywhere: Sequence[str] = ()) -> str | None:
    """The condition the text says the drug is for, or None.

    Parameters
    ----------
    texts : the page's lines that may say what the drug is for (not its side-effect items), in order.
    drug : the page's drug ("<drug> for <condition>" is read).
    opening : the page's first lines, before any side effect: the first known disease or goal they name (in
        a tag line, "medications, PCOS, metformin, insulin", or a sentence not about side effects, causes or
        risks) is taken when no sentence says what the drug is for.
    anywhere : lines read last for "my/his/her <condition>" (a patient's own words).

    >>> condition_from_text(["Semaglutide treats type 2 diabetes and helps weight loss."], "Semaglutide")
    'type 2 diabetes'
    >>> condition_from_text(["Doctors prescribe it to adults who have high cholesterol."], "Atorvastatin")
    'high cholesterol'
    >>> condition_from_text(["It works in hours.", "Taking it for two weeks helped."], "Zyrtec") is None
    True
    """
    patterns = [(_TREATS, 3), (_USED_FOR, 6), (_HELPS, 1), (_PEOPLE, 4)]  # each with how far its condition may start
    if drug:
        patterns.append((_for_drug(drug), 5))
    vocabulary = condition_vocabulary()
    for text in texts:
        found = []
        for pattern, reach in patterns:
            for m in pattern.finditer(text):
                sentence = _sentence(text, m.start())
                if (_COMPARED.search(text[max(0, m.start() - 40):m.start()]) or _NOT_FOR.search(sentence)
                        or sentence.rstrip(" \"'”’").endswith("?")):
                    continue  # "milder than when it is used for depression"; "... should not"; a question asks
                condition = _condition_near_start(m.group("cond"), reach)
                if condition:
                    found.append((m.start("cond") + m.group("cond").find(condition), _shared_head(m.group("cond"),
                                                                                              condition)))
        for m in vocabulary.find(text):  # "a hypothyroidism medication", "this PCOS drug"
            if _CONDITION_NOUN.match(text[m.end:]):
                found.append((m.start, m.text))
        if found:
            return min(found)[1]
    for text in opening:  # a tag line, or a sentence that is not about what the drug does to people
        parts = [text] if _TAG_LINE.match(text) else [s for s in split_sentences(text) if not _ABOUT_HARM.search(fold(s))]
        for part in parts:
            for m in vocabulary.find(part, kinds=_OPENING_KINDS):
                return m.text
    for text in anywhere:
        for m in _POSSESSIVE.finditer(text):
            condition = _condition_near_start(m.group("cond"), 2, _PERSONAL_KINDS)
            if condition:
                return condition
    return None


# --- addresses ------------------------------------------------------------------------------------

def subject_from_address(address: str, extra_drugs: Iterable[str] = (), *,
                         known: Vocabulary | None = None) -> Subject | None:
    """The drug and condition an address or file name names, or None.

    >>> subject_from_address("https://example.test/blog/gabapentin-for-anxiety")[:2]
    ('Gabapentin', 'Anxiety')
    >>> subject_from_address("https://example.test/drugs/trazodone/insomnia/")[:2]
    ('Trazodone', 'Insomnia')
    >>> subject_from_address("pages/trazodone-side-effects.html")[:2]
    ('Trazodone', None)
    """
    known = _known(extra_drugs, known)
    path = unquote(urlsplit(address).path if "://" in address else address)
    segments = [re.sub(r"(?:\.[A-Za-z][A-Za-z0-9]{0,4})+$", "", s) for s in path.split("/") if s]  # extensions
    for i, segment in enumerate(reversed(segments)):
        words = [w for w in re.split(r"[-_+\s]+", segment) if w]
        lower = [w.casefold() for w in words]
        if "for" in lower:
            k = lower.index("for")
            drug = next((w for w in reversed(words[:k]) if w in known), None)
            if drug:
                return Subject(_cap(drug), _condition(" ".join(words[k + 1:]).title()), "address", "address")
        drug = next((w for w in words if w in known), None)
        if drug:
            after = segments[len(segments) - i:] if i else []
            rest = [w for w in re.split(r"[-_+\s]+", after[0]) if w] if after else []
            condition = _condition(" ".join(rest).title()) if rest and not _generic_segment(rest) else None
            return Subject(_cap(drug), condition, "address", "address" if condition else None)
    return None


def _generic_segment(words: list[str]) -> bool:
    """An address segment that names a kind of page, not a condition ("side-effects", "reviews")."""
    return bool({w.casefold() for w in words} & {"side", "effects", "reviews", "dosage", "uses", "warnings",
                                                  "interactions", "faq", "index", "overview"})
