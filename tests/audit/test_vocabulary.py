"""explorer.audit.vocabulary: the label check's words fit together (every status has one colour, every
fact category leads to a status), so no view meets a status it cannot name or colour."""
from __future__ import annotations

from explorer.audit import vocabulary as v


def test_every_claim_status_has_its_own_colour():
    assert list(v.STATUS_COLOURS) == list(v.STATUS_LEVELS)
    assert len(set(v.STATUS_COLOURS.values())) == len(v.STATUS_LEVELS)


def test_every_fact_category_gives_a_premise_status_and_every_non_indication_a_claim_status():
    assert set(v.PREMISE_PRECEDENCE) == set(v.CATEGORIES)
    assert set(v.PREMISE_PRECEDENCE.values()) <= set(v.PREMISE_LEVELS)
    assert set(v.CLAIM_PRECEDENCE) == set(v.CATEGORIES) - {"indication"}
    assert set(v.CLAIM_PRECEDENCE.values()) <= set(v.STATUS_LEVELS)
    assert v.NOT_CAPTURED in v.STATUS_LEVELS and v.SUPERSEDED_ONLY in v.PREMISE_LEVELS


def test_premise_statuses_answer_whether_the_drug_is_approved_and_notes_stand_beside_them():
    assert v.PREMISE_LEVELS[:3] == (v.APPROVED, v.CONTRAINDICATED, v.NOT_INDICATED)
    # a warning or an adverse reaction is never a premise's status, only its note
    assert not {"label warning", "listed adverse reaction", "label contraindication"} & set(v.PREMISE_LEVELS)
    assert v.PREMISE_NOTES == (v.WARNING_NOTE, v.ADVERSE_REACTION_NOTE)
    assert set(v.PREMISE_NOTE_OF) == {"warning", "adverse_reaction"}
