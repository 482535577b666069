"""The label check's vocabulary, defined once: fact categories, statuses and their colours, tier checks.

Every view of the audit (CLI, notebook, dashboard, CSV export) takes its words and colours from here.
"""
from __future__ import annotations

import pandas as pd

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

NOT_CAPTURED = "not among the captured label facts"
SUPERSEDED_ONLY = "superseded label only"
#: Said only when a whole imported label was searched (never from the partial curated facts).
NOT_FOUND = "not found in the label text"
NO_LABEL = "no label held for this drug"
#: A label is held but its text could not be read or searched (the reason is in the claim's note); the
#: rest of the audit goes on.
UNCHECKED = "label could not be checked"
#: A premise searched in a whole imported label and not found in its indications (nor elsewhere).
NOT_INDICATED = "not among the indications"
#: Status of a side-effect claim. The first three come from the curated facts of the current label or
#: from an imported label's text, as do boxed warning and indication (label text only); "superseded
#: label only" and "not among the captured label facts" from the curated facts; the last two from
#: imported labels.
STATUS_LEVELS: tuple[str, ...] = ("label adverse reaction", "label warning", "label contraindication",
                                  SUPERSEDED_ONLY, NOT_CAPTURED, "label boxed warning", "label indication",
                                  NOT_FOUND, NO_LABEL, UNCHECKED)
#: Statuses that leave nothing to compare a page's tier with.
UNMATCHED: frozenset[str] = frozenset({NOT_CAPTURED, NOT_FOUND, NO_LABEL, UNCHECKED})
STATUS_DTYPE = pd.CategoricalDtype(list(STATUS_LEVELS), ordered=False)
#: Which current-label category gives a claim its status when it matches several (first wins).
CLAIM_PRECEDENCE: dict[str, str] = {"warning": "label warning",
                                    "adverse_reaction": "label adverse reaction",
                                    "contraindication": "label contraindication"}
#: Status of a page premise (a condition the drug is said to be "for").
PREMISE_LEVELS: tuple[str, ...] = ("approved indication", "listed adverse reaction", "label warning",
                                   "label contraindication", SUPERSEDED_ONLY,
                                   "none of the captured label facts", NOT_INDICATED, NO_LABEL)
PREMISE_DTYPE = pd.CategoricalDtype(list(PREMISE_LEVELS), ordered=False)
PREMISE_PRECEDENCE: dict[str, str] = {"indication": "approved indication",
                                      "contraindication": "label contraindication",
                                      "warning": "label warning",
                                      "adverse_reaction": "listed adverse reaction"}
TIER_CHECKS: tuple[str, ...] = ("agrees", "disagrees", "not comparable")
TIER_CHECK_DTYPE = pd.CategoricalDtype(list(TIER_CHECKS), ordered=False)

FUZZY_THRESHOLD = 90.0

#: One colour per claim status, used by every chart, chip and tile, keyed by the status itself: cool hues
#: and neutral greys only, so no status shares a hue with a severity (warm, see
#: :data:`explorer.vocabulary.SEVERITY_COLOURS`). What the label lists is blue to violet, darker as it
#: weighs more (boxed warning darkest); an indication green; a superseded label only light cyan; what the
#: label was not found to list, or could not say, greys and slate. Chosen so that every two statuses, and
#: every status and severity, stay apart with each kind of colour blindness (tests/app/test_style.py).
STATUS_COLOURS: dict[str, str] = {
    "label adverse reaction": "#4096D0",
    "label warning": "#535FD4",
    "label contraindication": "#69487C",
    SUPERSEDED_ONLY: "#55DDEF",
    NOT_CAPTURED: "#A4ADAC",
    "label boxed warning": "#021D59",
    "label indication": "#1F7F5C",
    NOT_FOUND: "#72767D",
    NO_LABEL: "#DADDDA",
    UNCHECKED: "#1E5453",
}

#: How several values of one cell are joined (label terms may themselves hold "; ").
JOIN = " | "

#: Status of a number written on a page, compared with the label's figures.
NUMBER_STATUSES: tuple[str, ...] = ("matches current label", "matches superseded label",
                                    "differs from the label", "not compared")
NUMBER_STATUS_DTYPE = pd.CategoricalDtype(list(NUMBER_STATUSES), ordered=False)
