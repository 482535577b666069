"""What a page is about: its drug and condition, each from the first source that names it.

The drug: the crawl metadata, a title or heading (:func:`explorer.pages.subject.subject_from_heading`; the
first heading that names a known drug is the page's title), the address or file name, the drug the text
names most often, a side-effects title's word the page repeats ("Zorvalex Side Effects" on a page that
names Zorvalex again and again, though it is no known name), or what the user gave (``--drug``). The condition: the metadata, the title (or a later
heading of the same drug), the address, then the text (:func:`explorer.pages.subject.condition_from_text`,
read from lines that are not side-effect items nor other pages' titles), then what was given.
"""
from __future__ import annotations

import re

from .cues import ANNOUNCES, reads_as_heading, strip_heading
from .decode import PageError
from .names import Vocabulary
from .records import Source
from .rows import Row
from .subject import (OPENING_LINES, Subject, condition_from_text, drug_from_text, subject_from_address,
                      subject_from_heading)


def title_subject(rows: list[Row], source: Source, meta: Subject | None, address: str | None,
                   given: Subject | None, known: Vocabulary) -> tuple[Subject, int | None]:
    """The page's drug (and condition when a title, the address or metadata names it), and the title's
    index: from the metadata, a title or heading, the address, the text, or what was given."""
    from_title, title_at = None, None
    for i, row in enumerate(rows):
        text, hint = row.text, row.hint
        if hint == "bullet" or len(text) > 160 or (hint is None and row.bullet and not i == 0):
            continue
        candidate = row.body if row.bullet else text
        if candidate.endswith(":") and hint is None and (len(candidate.split()) > 6 or ANNOUNCES.search(
                candidate.rstrip(":"))):
            continue  # a lead-in ("Less serious Claritin side effects may include:"), not a title
        opening_line = i == 0 and hint is None and len(candidate.split()) <= 16 and candidate[-1:] not in ".!,;:"
        if (hint in ("title", "heading") or reads_as_heading(candidate, hint) or opening_line
                or candidate.rstrip("\"”").endswith("?")):
            if from_title is not None and re.search(r"\?|\bvs\.?\b|\bversus\b|\bcompared\b", text, re.I):
                continue  # a later heading comparing drugs or asking a question names no condition of the page
            found = subject_from_heading(strip_heading(candidate), known=known)
            if found is not None and (from_title is None or from_title.condition is None and found.condition
                                      and found.drug.casefold() == from_title.drug.casefold()):
                first = from_title is None
                from_title = found if first else Subject(from_title.drug, found.condition, "title", "title")
                title_at = i if first else title_at
                if from_title.condition:
                    break
    from_address = subject_from_address(address or source.path, known=known)
    from_text = None
    if not any(s is not None and s.drug for s in (meta, from_title, from_address)):
        drug = drug_from_text([r.text for r in rows], known)
        from_text = Subject(drug, None, "text", None) if drug else None
        if from_text is None:
            found = _unknown_title_drug(rows)
            if found is not None:
                from_title, title_at = Subject(found[0], None, "title", None), found[1]
    sources = [(meta, "meta"), (from_title, "title"), (from_address, "address"), (from_text, "text"), (given, "given")]
    drug = next(((s.drug, name) for s, name in sources if s is not None and s.drug), None)
    if drug is None:
        raise PageError(source.path, 1, "a drug named by the crawl metadata, a title or heading, the address, "
                                        "the text or --drug; found none")
    same = [(s, name) for s, name in sources[:3] if s is not None and (
        s.drug is None or s.drug.casefold() == drug[0].casefold())]
    condition = next(((s.condition, name) for s, name in same if s.condition), (None, None))
    return Subject(drug[0], condition[0], drug[1], condition[1]), title_at


#: "Zorvalex Side Effects", "Side Effects of Zorvalex": a capitalised word where a side-effects title names a drug.
_TITLE_WORD = re.compile(r"^(?P<a>[A-Z][a-z][\w-]{2,})(?:\s*\([^)]*\))?(?:'s|’s)?\s+(?:side[\s-]+effects|adverse)\b|"
                         r"\bside[\s-]+effects\s+of\s+(?:taking\s+)?(?P<b>[A-Z][a-z][\w-]{2,})\b", re.I)
#: Words such a title may hold where a drug's name would stand ("Common Side Effects", "Side Effects of
#: Antidepressants" is a class, but "Understanding Side Effects" names nothing).
_NOT_A_DRUG = frozenset("common possible potential serious severe rare mild minor major other long-term short-term "
                        "top hidden surprising unexpected weird dangerous known unknown real lesser less more most "
                        "understanding managing coping avoiding reducing preventing treating recognizing all new "
                        "early late frequent unusual typical usual general skin eye emotional sexual mental "
                        "physical cognitive".split())
#: How often the word must stand on the page (the title counted) to be taken for its drug.
TITLE_WORD_MENTIONS = 3


def _unknown_title_drug(rows: list[Row]) -> tuple[str, int] | None:
    """A drug that is not a known name, from a side-effects title ("Zorvalex Side Effects") whose word the
    page repeats at least :data:`TITLE_WORD_MENTIONS` times: a name the page is about, not a word of it."""
    for i, row in enumerate(rows[:8]):
        if not reads_as_heading(row.text, row.hint) and i:
            continue
        m = _TITLE_WORD.search(strip_heading(row.text))
        word = m and (m.group("a") or m.group("b"))
        if not word or word.casefold() in _NOT_A_DRUG:
            continue
        pattern = re.compile(rf"\b{re.escape(word)}\b", re.I)
        if sum(len(pattern.findall(r.text)) for r in rows) >= TITLE_WORD_MENTIONS:
            return word[:1].upper() + word[1:], i
    return None


def page_condition(rows: list[Row], subject: Subject, title_at: int | None, given: Subject | None,
                   item_lines: set[int], first_item: int) -> tuple[str | None, str | None]:
    """(condition, where from) of a page whose metadata, title and address named none of it: from its
    text, else from what was given."""
    if subject.condition is not None:
        return subject.condition, subject.condition_from
    body = [r.text for k, r in enumerate(rows) if r.number not in item_lines and k != title_at and not _link_title(r)]
    opening = [r.text for k, r in enumerate(rows[:first_item]) if k != title_at and not r.bullet
               and not reads_as_heading(r.text, r.hint)][:OPENING_LINES]
    condition = condition_from_text(body, subject.drug, opening=opening, anywhere=[r.text for r in rows])
    if condition:
        return condition[:1].upper() + condition[1:], "text"
    if given is not None and given.condition and (
            given.drug is None or (subject.drug or "").casefold() == given.drug.casefold()):
        return given.condition, "given"
    return None, None


def _link_title(row: Row) -> bool:
    """A list item that is another page's title ("Trazodone for Insomnia" under "Related"), not a sentence."""
    return row.bullet and " for " in row.body.casefold() and len(row.body.split()) <= 8 and not re.search(
        r"[.!?]\s*$", row.body)
