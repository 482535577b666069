"""The label check's vocabulary, defined once: fact categories, statuses and their colours, tier checks.

Statuses are values of enums (:class:`ClaimStatus`, :class:`PremiseStatus`, :class:`NumberStatus`,
:class:`TierCheck`): code names them by member (``ClaimStatus.NOT_FOUND``), never by their words; each
member's value is the wording every view shows (CLI, notebook, dashboard, CSV export), and the tables hold
those words as categoricals. The module constants below (``NOT_FOUND``, ``APPROVED``...) are the
members, kept under their old names; the level tuples (``STATUS_LEVELS``...) and colour keys are the
wordings, in order, as tables and charts hold them.
"""
from __future__ import annotations

from enum import Enum

import pandas as pd


class Status(str, Enum):
    """A status: compares, hashes and prints as its wording (its value), so it can stand wherever a table
    holds that wording."""

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    __hash__ = str.__hash__

    @classmethod
    def dtype(cls) -> pd.CategoricalDtype:
        """The categorical type of a column of these statuses (their wordings, in member order)."""
        return pd.CategoricalDtype([m.value for m in cls], ordered=False)


class ClaimStatus(Status):
    """Status of a side-effect claim. The first three come from the curated facts of the current label or
    from an imported label's text, as do boxed warning and indication (label text only); "superseded
    label only" and "not among the captured label facts" from the curated facts (partial); the rest from
    imported labels."""

    ADVERSE_REACTION = "label adverse reaction"
    WARNING = "label warning"
    CONTRAINDICATION = "label contraindication"
    SUPERSEDED_ONLY = "superseded label only"
    NOT_CAPTURED = "not among the captured label facts"
    BOXED_WARNING = "label boxed warning"
    INDICATION = "label indication"
    #: Said only when a whole imported label was searched (never from the partial curated facts).
    NOT_FOUND = "not found in the label text"
    NO_LABEL = "no label held for this drug"
    #: A label is held but its text could not be read or searched (the reason is in the claim's note).
    UNCHECKED = "label could not be checked"
    #: A claim of one everyday word with no medical reading ("place", "time", "black").
    NOT_SPECIFIC = "not specific"
    #: Instead of NOT_FOUND when a section that could list the claim could not be read from the label's file.
    NOT_FULLY_READ = "label could not be fully read"


class PremiseStatus(Status):
    """Status of a page premise (a condition the drug is said to be "for"): is the drug approved for it?"""

    APPROVED = "approved indication"
    CONTRAINDICATED = "contraindicated"
    #: Searched in a whole imported label's indications and not found there (nor contraindicated).
    NOT_INDICATED = "not among the indications"
    #: The curated facts (partial) name no indication or contraindication for the condition.
    NOT_CAPTURED_INDICATION = "not among the captured indications"
    SUPERSEDED_ONLY = "superseded label only"
    NO_LABEL = "no label held for this drug"
    UNCHECKED = "label could not be checked"
    NOT_FULLY_READ = "label could not be fully read"


class NumberStatus(Status):
    """Status of a number written on a page, compared with the label's figures."""

    CURRENT = "matches current label"
    SUPERSEDED = "matches superseded label"
    DIFFERS = "differs from the label"
    NOT_COMPARED = "not compared"


class TierCheck(Status):
    """Whether a page's tier agrees with the label's incidence."""

    AGREES = "agrees"
    DISAGREES = "disagrees"
    NOT_COMPARABLE = "not comparable"


#: Shown by every view of the label check (CLI, notebook, dashboard, CSV export).
COVERAGE_NOTE = (
    "The label facts are partial: rows of the current Mirena trial table with an incidence between "
    "5% and 10% were not captured, and back pain, weight gain, dizziness, nausea/vomiting and blood "
    "clots were not found among the captured rows. 'Not among the captured label facts' therefore "
    "does not mean 'not in the label'."
)
#: The note for claims checked against an imported label's full text.
LABEL_TEXT_NOTE = (
    "Claims of drugs whose label is held were checked against the label's full text (boxed warning, "
    "indications, contraindications, warnings and precautions, adverse reactions, tables included): "
    "'not found in the label text' means that whole text was searched and did not list the claim.")

CATEGORIES: tuple[str, ...] = ("indication", "adverse_reaction", "warning", "contraindication")
LABEL_VERSIONS: tuple[str, ...] = ("current", "superseded")
EVIDENCE_LEVELS: tuple[str, ...] = ("verified", "secondary")

NOT_CAPTURED = ClaimStatus.NOT_CAPTURED
SUPERSEDED_ONLY = ClaimStatus.SUPERSEDED_ONLY
NOT_FOUND = ClaimStatus.NOT_FOUND
NO_LABEL = ClaimStatus.NO_LABEL
UNCHECKED = ClaimStatus.UNCHECKED
NOT_SPECIFIC = ClaimStatus.NOT_SPECIFIC
NOT_FULLY_READ = ClaimStatus.NOT_FULLY_READ
APPROVED = PremiseStatus.APPROVED
CONTRAINDICATED = PremiseStatus.CONTRAINDICATED
NOT_INDICATED = PremiseStatus.NOT_INDICATED
NOT_CAPTURED_INDICATION = PremiseStatus.NOT_CAPTURED_INDICATION
#: Notes beside a premise's status: the label also names the condition as a harm of the drug.
WARNING_NOTE = "also a warning"
ADVERSE_REACTION_NOTE = "also an adverse reaction"
#: Every claim status, in the order charts and tables list them.
STATUS_LEVELS: tuple[str, ...] = tuple(m.value for m in ClaimStatus)  # the wordings, as tables and charts hold them
#: Statuses that leave nothing to compare a page's tier with.
UNMATCHED: frozenset[str] = frozenset({NOT_CAPTURED, NOT_FOUND, NO_LABEL, UNCHECKED, NOT_SPECIFIC, NOT_FULLY_READ})
STATUS_DTYPE = ClaimStatus.dtype()
#: Which current-label category gives a claim its status when it matches several (first wins).
CLAIM_PRECEDENCE: dict[str, ClaimStatus] = {"warning": ClaimStatus.WARNING,
                                            "adverse_reaction": ClaimStatus.ADVERSE_REACTION,
                                            "contraindication": ClaimStatus.CONTRAINDICATION}
#: Status of a page premise (a condition the drug is said to be "for"): approved, contraindicated or
#: not among the indications (a whole imported label searched); "label could not be fully read" instead when
#: its indications (or, for a condition they do not name, its contraindications) could not be read from its
#: file; from the curated facts, which are partial, "not among the captured indications" or "superseded
#: label only"; no label held; a label that could not be read. Whether the label also warns of the condition
#: or lists it as an adverse reaction is a note beside the status (:data:`PREMISE_NOTES`), never the status.
PREMISE_LEVELS: tuple[str, ...] = tuple(m.value for m in PremiseStatus)
PREMISE_DTYPE = PremiseStatus.dtype()
PREMISE_NOTES: tuple[str, ...] = (WARNING_NOTE, ADVERSE_REACTION_NOTE)
PREMISE_NOTE_DTYPE = pd.CategoricalDtype(list(PREMISE_NOTES), ordered=False)
#: Which current-label fact category gives a premise its status in the curated facts (first wins): a
#: warning or an adverse reaction does not answer whether the drug is approved for the condition.
PREMISE_PRECEDENCE: dict[str, str] = {"indication": APPROVED, "contraindication": CONTRAINDICATED,
                                      "warning": NOT_CAPTURED_INDICATION,
                                      "adverse_reaction": NOT_CAPTURED_INDICATION}
#: The note a current-label fact of these categories puts beside a premise (first wins).
PREMISE_NOTE_OF: dict[str, str] = {"warning": WARNING_NOTE, "adverse_reaction": ADVERSE_REACTION_NOTE}
TIER_CHECKS: tuple[str, ...] = tuple(m.value for m in TierCheck)
TIER_CHECK_DTYPE = TierCheck.dtype()

FUZZY_THRESHOLD = 90.0

#: One colour per claim status, used by every chart, chip and tile, keyed by the status itself: cool hues
#: and neutral greys only, so no status shares a hue with a severity (warm, see
#: :data:`explorer.vocabulary.SEVERITY_COLOURS`). What the label lists is blue to violet, darker as it
#: weighs more (boxed warning darkest); an indication green; a superseded label only light cyan; what the
#: label was not found to list, or could not say, greys and slate. Chosen so that every two statuses, and
#: every status and severity, stay apart with each kind of colour blindness (tests/app/test_style.py).
#: The two statuses added last (a claim too unspecific to check, a label not fully read) took the only
#: colours left that keep those distances (a search over 729 colours): pale mint and pure blue.
STATUS_COLOURS: dict[str, str] = {str(status): colour for status, colour in {
    ClaimStatus.ADVERSE_REACTION: "#4096D0",
    ClaimStatus.WARNING: "#535FD4",
    ClaimStatus.CONTRAINDICATION: "#69487C",
    SUPERSEDED_ONLY: "#55DDEF",
    NOT_CAPTURED: "#A4ADAC",
    ClaimStatus.BOXED_WARNING: "#021D59",
    ClaimStatus.INDICATION: "#1F7F5C",
    NOT_FOUND: "#72767D",
    NO_LABEL: "#DADDDA",
    UNCHECKED: "#1E5453",
    NOT_SPECIFIC: "#CCFFCC",
    NOT_FULLY_READ: "#0000CC",
}.items()}

#: How several values of one cell are joined (label terms may themselves hold "; ").
JOIN = " | "

#: Status of a number written on a page, compared with the label's figures.
NUMBER_STATUSES: tuple[str, ...] = tuple(m.value for m in NumberStatus)
NUMBER_STATUS_DTYPE = NumberStatus.dtype()
