"""Headings: whether a line reads as a heading, and what kind of section a heading opens.

Section kinds are those of :data:`explorer.vocabulary.SECTION_KINDS`. A heading's kind is decided by
cue words (side effects, managing, reducing the risk, related, reviews, dosage, ...) after the page's
own subject is blanked out: a condition such as "Lower Back Pain" or "Common Cold" must not read as
advice ("lower") or as a tier ("common"). Everything is cached by the heading's text: sites repeat
their headings across many pages.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .tiers import tier_severity

_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z“\"]")
_QUOTES = "“\"'‘("
# Verbs that make a sentence: a sentence-case line without one of these reads as a heading
# ("Common side effects of X"), a line with one as prose ("Symptoms include", "Mirena can cause").
_VERBS = frozenset(
    "is are was were be been can cannot may might will would should could must shall include "
    "includes contains has have had it's it’s you're you’re there's there’s they're they’re".split())


def _title_case(words: list[str]) -> bool:
    """Most words of four letters or more start with a capital ('What to Expect When Using X')."""
    long = [w for w in words if len(w) > 3]
    caps = sum(1 for w in long if not w[0].isalpha() or w[0].isupper())
    return caps * 4 >= len(long) * 3


def _reads_as_heading(text: str) -> bool:
    """Whether a line (no bullet, at most 120 characters, not ending in '.,;!…') reads as a heading."""
    last = text[-1]
    first = text[0]
    if not (first.isupper() or first.isdigit() or first in _QUOTES) or _SENTENCE_BREAK.search(text):
        return False
    words = text.split()
    if len(words) > 16:
        return False
    if last == "?":
        return True
    has_verb = not _VERBS.isdisjoint(text.lower().rstrip(":").split())
    if last == ":":
        # Mostly a list intro ("Symptoms include:", "For example:"), which must not end the section
        # it introduces; a heading only when it names a section ("Related Articles:", "Rare Side Effects:").
        return len(words) <= 8 and not has_verb and _names_section(text[:-1])
    return not has_verb or _title_case(words)


# --- section classification -----------------------------------------------------------------------

# Cues are matched as whole words of the lower-cased heading (set look-ups, no regular expression
# per cue): "Copper IUD" must not read as "coping", nor "Lower Back Pain" as "lowering the risk".
_SIDE_EFFECTS = re.compile(r"\bside[\s-]*e\w*cts?\b|\badverse\s+(?:effects?|reactions?|events?)\b")
_MANAGING = frozenset("manage manages managing management cope coping deal dealing handle handling "
                      "tip tips doctor".split())
_REDUCING = frozenset("reduce reduces reducing reduction prevent preventing prevention minimise "
                      "minimize minimising minimizing avoid avoiding".split())
# "lower" only with "risk": "Lower Back Pain" is a condition, "Lowering the Risk" is advice.
_LOWER_RISK = re.compile(r"\blower(?:ing)?\s+(?:the\s+|your\s+)?risks?\b")
_RISK = frozenset(("risk", "risks"))
_REVIEWS = frozenset(("review", "reviews"))
_OTHER = frozenset("dosage dose doses dosing interaction interactions warning warnings precaution "
                   "precautions storage overdose reference references source sources disclaimer "
                   "ingredient ingredients".split())
_RELATED = re.compile(
    r"^(?:related\b|see also\b|also read\b|read more\b|you may also like\b"
    r"|(?:more|other)\b.*\b(?:articles?|pages?|conditions?|uses|topics?)\b)")
TITLE = re.compile(r"^(?P<drug>\S.*?)\s+[Ff][Oo][Rr]\s+(?P<condition>\S.*?)$")
_LETTERS = re.compile(r"[a-z]+")
# Words around "side effects" that say nothing about the tier: "What Are the Possible Side Effects?"
_FILLERS = frozenset(
    "what which are is there any the a an of do does can could will may might possible potential "
    "known all main key about to you i should know cause causes have has how when why list and or "
    "with its your my their more some & - – — 's ’s".split())
_CONNECTORS = frozenset("of the and or & with to about are is for - – —".split())


def _edits1(word: str) -> frozenset[str]:
    """Every string one edit (delete, swap, replace, insert) away from ``word``."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return frozenset(
        [a + b[1:] for a, b in splits if b]
        + [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
        + [a + c + b[1:] for a, b in splits if b for c in letters]
        + [a + c + b for a, b in splits for c in letters])


# Precomputed sets make the typo check a set look-up, so headings are never compared with difflib.
_SIDE_TYPOS = _edits1("side")
_EFFECT_TYPOS = _edits1("effect") | _edits1("effects")


def _find_side_effects(lower: str, words: list[str] | set[str]) -> int | None:
    """Where 'side effects' starts in a lower-cased heading, allowing one typo per word ('sied efects').

    ``words`` are the heading's words; when none is (a typo of) 'effects' there is nothing to find.
    """
    if _EFFECT_TYPOS.isdisjoint(words) and "adverse" not in words:
        return None
    m = _SIDE_EFFECTS.search(lower)
    if m:
        return m.start()
    pairs = list(_LETTERS.finditer(lower))
    for a, b in zip(pairs, pairs[1:]):
        if a.group() in _SIDE_TYPOS and b.group() in _EFFECT_TYPOS:
            return a.start()
    return None


def _names_section(plain: str) -> bool:
    """Whether a heading-like line names a known section (related, side effects, reviews, other)."""
    lower = plain.lower()
    words = set(_LETTERS.findall(lower))
    return bool(_RELATED.match(lower) or _find_side_effects(lower, words) is not None
                or not _REVIEWS.isdisjoint(words) or not _OTHER.isdisjoint(words)
                or "how to use" in lower)


def _blank_subjects(text: str, subjects: tuple[str, ...]) -> str:
    """Blank out the page's own subject in a lower-cased heading: 'mirena for back pain', "mirena's".

    ``subjects`` is ``_subjects(drug, condition)``. Plain string search rather than a regular
    expression: every page has its own drug and condition, and compiling a pattern per page would
    cost more than the rest of the heading work. Blanks keep every other character at its place.
    """
    for subject in subjects:
        start = text.find(subject)
        while start >= 0:
            end = start + len(subject)
            if (start == 0 or not text[start - 1].isalnum()) and (
                    end == len(text) or not text[end].isalnum()):
                text = text[:start] + " " * len(subject) + text[end:]
            start = text.find(subject, end)
    return text


def _subject_free_kind(plain: str) -> tuple[str, str | None] | None:
    """(kind, label) of a heading whose kind does not depend on the page's drug and condition.

    That is every heading without a side-effects, risk or advice cue; for those ``None`` is returned
    and :func:`_cued_kind` looks at the heading with the page's subject removed. Not cached itself: its
    callers (:func:`_heading_plain`, :func:`heading_line`) cache it by the heading's text.
    """
    lower = plain.lower()
    if _RELATED.match(lower):
        return "related", None
    words = _LETTERS.findall(lower)
    if (_find_side_effects(lower, words) is not None or not _RISK.isdisjoint(words)
            or not _MANAGING.isdisjoint(words) or "what to do" in lower):
        return None
    return _plain_kind(lower, words)


def _plain_kind(lower: str, words: list[str] | set[str]) -> tuple[str, str | None]:
    """(kind, label) of a heading that is neither related, side effects nor advice about them."""
    if not _REVIEWS.isdisjoint(words):
        return "reviews", None
    if lower.startswith("tips"):
        return "advice", "managing"
    if not _OTHER.isdisjoint(words) or "how to use" in lower:
        return "other", None
    return "question", None


@lru_cache(maxsize=4096)
def _subjects(drug: str, condition: str) -> tuple[str, ...]:
    """The lower-cased strings :func:`_blank_subjects` blanks out for this drug and condition."""
    return tuple(s for s in (f"{drug} for {condition}".lower(), f"{drug}’s".lower(),
                             f"{drug}'s".lower(), drug.lower(), condition.lower()) if s)


@lru_cache(maxsize=65536)
def _heading_plain(heading: str) -> tuple[str, tuple[str, str | None] | None]:
    """(heading without its colon, its subject-free kind or None); cached: sites repeat headings."""
    plain = heading.rstrip(":").strip()
    return plain, _subject_free_kind(plain)


#: What :func:`heading_line` returns for a heading whose kind depends on the page's subject.
CUED = ("", None)


@lru_cache(maxsize=65536)
def heading_line(text: str) -> tuple[str, str | None] | None:
    """For a line with no hint that reads as a heading, its subject-free kind or ``CUED``; else None.

    For a line that is no bullet, at most 120 characters and not ending in '.,;!…': one cached
    look-up per line. The results are shared constant tuples, so a miss (most headings name their
    page's drug) leaves no new object behind for the garbage collector to scan.
    """
    if not _reads_as_heading(text):
        return None
    return _subject_free_kind(text.rstrip(":").strip()) or CUED


def _section_kind(heading: str, drug: str, condition: str,
                  subjects: tuple[str, ...]) -> tuple[str, str | None]:
    """(kind, label) of a heading on the page of ``drug`` for ``condition``.

    ``subjects`` is ``_subjects(drug, condition)``. A heading that holds none of them reads the same
    on every page (nothing is blanked), so its kind is cached by its text alone.
    """
    plain, known = _heading_plain(heading)
    if known is not None:
        return known
    return _page_cued_kind(plain, drug, condition, subjects)


def _page_cued_kind(plain: str, drug: str, condition: str,
                    subjects: tuple[str, ...]) -> tuple[str, str | None]:
    """:func:`_cued_kind` of a heading on this page; the page's subject only when the heading holds it."""
    lower = plain.lower()
    for subject in subjects:
        if subject in lower:
            return _cued_kind(plain, drug, condition)
    return _cued_kind(plain, None, None)


@lru_cache(maxsize=65536)
def _cued_kind(plain: str, drug: str | None, condition: str | None) -> tuple[str, str | None]:
    """(kind, label) of a heading with a side-effects, risk or advice cue.

    ``drug`` is None when the heading holds no subject string of its page: nothing is blanked out
    and the result holds on every page.
    """
    lower = plain.lower()
    question = plain.endswith("?")
    # The heading has a side-effects, risk or advice cue.
    # Drop the page's own subject first: a condition such as "Lower Back Pain" or "Common Cold"
    # must not read as advice ("lower") or as a tier ("common").
    core = lower if drug is None else _blank_subjects(lower, _subjects(drug, condition))
    words = set(_LETTERS.findall(core))
    side = _find_side_effects(core, words)
    if side is not None or not _RISK.isdisjoint(words):
        if not _REDUCING.isdisjoint(words) or _LOWER_RISK.search(core):
            return "advice", "reducing_risk"
        if not _MANAGING.isdisjoint(words) or "what to do" in core:
            return "advice", "managing"
    if side is not None:
        # the tier as written: the heading's own words before 'side effects'
        written = plain if len(plain) == len(lower) else lower
        # re-split where the subject was blanked so its words do not reach the label
        tokens = _label_tokens(written[:side], core[:side])
        while tokens and tokens[0].casefold().strip(",:") in _FILLERS:
            tokens.pop(0)
        while tokens and tokens[-1].casefold().strip(",:") in _CONNECTORS:
            tokens.pop()
        label = " ".join(tokens).strip(" ,:-–—")
        if not label or TITLE.match(label) or label.lower().startswith("for "):
            # nothing before 'side effects', or a '<Drug> for <Condition>' written differently from
            # the title ("Examplin for Itchy Skin Side Effects" under "Examplin for Itchy <b>Skin</b>")
            return "side_effects", None
        if tier_severity(label) is not None:
            return "tier", label
        # An unknown tier is kept as written ("Mild", "Long-Term"), but only when it reads like a
        # tier name: short, not a question, no gerund ("Understanding Side Effects").
        if not question and len(tokens) <= 3 and not any(w.endswith("ing") for w in tokens):
            return "tier", label
        return ("question" if question else "other"), None
    return _plain_kind(lower, words)


# --- headings that name the page's drug -----------------------------------------------------------
# Most headings name their page's drug ("Common Side Effects of Mirena"), so caches keyed by the
# heading miss on every new drug. Such a heading reads exactly as the same heading with the drug
# swapped for a stand-in word, when the drug is a plain capitalised word that no rule above looks
# at (no verb, cue, filler or typo of one; see _swappable) and the heading is ASCII and holds the
# drug only as a whole word written as in the title (see _swap_drug): the rules see the drug only
# through its first letter being a capital, its length of four or more letters (_title_case), and
# as a subject blanked out in _cued_kind. The swapped heading is then classified and cached instead.
_STAND_IN = "Zqxjv"
#: Every word some heading rule compares with: a drug spelled like one is never swapped.
_RULE_WORDS = (
    frozenset(w for text in _VERBS | _MANAGING | _REDUCING | _RISK | _REVIEWS | _OTHER | _FILLERS
              | _CONNECTORS for w in re.findall("[a-z]+", text))
    | frozenset("side effect effects adverse reaction reactions event events lower lowering the your "
                "risk risks related see also read more you may like other article articles page "
                "pages condition conditions uses topic topics what to do how use tips for".split())
    | _SIDE_TYPOS | _EFFECT_TYPOS)
_EFFECTS_LIKE = re.compile(r"e\w*cts?")  # what _SIDE_EFFECTS accepts as 'effects'


@lru_cache(maxsize=4096)
def _swappable(drug: str, condition: str) -> bool:
    """Whether headings naming ``drug`` may be classified with the stand-in word in its place."""
    d, c, q = drug.lower(), condition.lower(), _STAND_IN.lower()
    return (len(drug) >= 4 and drug.isascii() and drug.isalpha() and drug[0].isupper()
            and drug[1:].islower() and d not in _RULE_WORDS and not d.startswith("tips")
            and not _EFFECTS_LIKE.fullmatch(d) and d not in c and c not in d and q not in c)


def _swap_drug(text: str, lower: str, drug: str, drug_lower: str) -> str | None:
    """``text`` (lower-cased: ``lower``) with ``drug`` swapped for the stand-in, or None when the
    swap could change how the heading reads: not ASCII, the stand-in already there, or the drug
    written in another case or inside a longer word."""
    if not text.isascii() or _STAND_IN_LOWER in lower:
        return None
    n, end = len(drug), len(text)
    i = lower.find(drug_lower)
    while i >= 0:
        if (text[i:i + n] != drug or (i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_"))
                or (i + n < end and (text[i + n].isalnum() or text[i + n] == "_"))):
            return None
        i = lower.find(drug_lower, i + 1)
    return text.replace(drug, _STAND_IN)


_STAND_IN_LOWER = _STAND_IN.lower()


def _label_tokens(written: str, blanked: str) -> list[str]:
    """Words of ``written`` outside the spans blanked in ``blanked`` (same length, subject blanked)."""
    if written.lower() == blanked:
        return written.split()
    out, word = [], []
    for ch, kept in zip(written, blanked):
        if kept == " " or ch.isspace():
            if word:
                out.append("".join(word))
                word = []
        else:
            word.append(ch)
    if word:
        out.append("".join(word))
    return out



# --- the page's subject, and a heading's kind on its page -----------------------------------------

class Subject(NamedTuple):
    """A page's drug and condition as the heading rules use them; built once per page."""

    drug: str
    condition: str
    drug_lower: str
    subjects: tuple[str, ...]  # what is blanked out of a heading before its cues are read
    swappable: bool  # headings naming the drug may be classified with the stand-in in its place
    stand_in_subjects: tuple[str, ...]  # ``subjects`` with the stand-in as the drug


@lru_cache(maxsize=4096)
def page_subject(drug: str, condition: str) -> Subject:
    """The :class:`Subject` of a page of ``drug`` for ``condition``."""
    swappable = _swappable(drug, condition)
    return Subject(drug, condition, drug.lower(), _subjects(drug, condition), swappable,
                   _subjects(_STAND_IN, condition) if swappable else ())


def heading_key(text: str, subject: Subject | None) -> str:
    """The text a line is classified by: ``text`` itself, or (when that reads the same) ``text`` with
    the page's drug swapped for the stand-in, so that caches keyed by it hit across drugs."""
    if subject is not None and subject.swappable:
        lower = text.lower()
        if subject.drug_lower in lower:
            return _swap_drug(text, lower, subject.drug, subject.drug_lower) or text
    return text


def heading_kind(text: str, key: str, known: tuple[str, str | None] | None,
                 subject: Subject) -> tuple[str, str | None]:
    """(kind, label) of a heading on the page of ``subject``.

    ``key`` and ``known`` are what :func:`explorer.pages.classify.classify_line` found: the text the
    line was classified by and :func:`heading_line` of it, or ``None`` for a heading by its markup.
    """
    if known is None:
        return _section_kind(text, subject.drug, subject.condition, subject.subjects)
    if known is not CUED:
        return known
    if key is text:
        return _page_cued_kind(text.rstrip(":").strip(), subject.drug, subject.condition, subject.subjects)
    # classified with the stand-in in the drug's place
    return _page_cued_kind(key.rstrip(":").strip(), _STAND_IN, subject.condition, subject.stand_in_subjects)
