"""The records a page yields: frozen, and shown by ``explorer parse`` as JSON."""
from __future__ import annotations

import dataclasses
import json

import pytest

from explorer.pages.records import Article, NumberMention, Related, SideEffect, Source

SOURCE = Source(path="p.txt", sha256="0" * 64)


def _article(**fields) -> Article:
    return Article(drug="Examplin", condition="Itchy Skin", title="Examplin for Itchy Skin", title_line=3,
                   source=SOURCE, **fields)


def test_records_cannot_be_changed_after_parsing():
    article = _article(side_effects=(SideEffect("Common", "common", "Rash", None, 9),))
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.drug = "Other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.side_effects[0].name = "Hives"  # type: ignore[misc]


def test_related_conditions_are_the_links_to_pages_of_the_same_drug_in_page_order():
    article = _article(related=(Related("Examplin", "Hay Fever", 20), Related("Otherol", "Acne", 21),
                                Related("EXAMPLIN", "Dry Skin", 22)))
    assert article.related_conditions == ["Hay Fever", "Dry Skin"]


def test_json_holds_every_part_of_the_page_but_its_numbers():
    """``explorer parse`` prints what it printed before the numbers existed; numbers go to the corpus."""
    article = _article(side_effects=(SideEffect("Rare", "rare", "Hives", "Raised welts.", 12),),
                       related=(Related("Examplin", "Hay Fever", 20),),
                       numbers=(NumberMention("duration", "two weeks", 2.0, 2.0, "week", "Use it for two weeks.", 7),))
    data = json.loads(json.dumps(article.to_json()))
    assert set(data) == {"drug", "condition", "title", "active_ingredients", "drug_classes", "sections",
                         "side_effects", "advice", "related_conditions", "related", "truncated", "synthetic",
                         "source"}
    assert data["side_effects"] == [{"tier": "Rare", "severity": "rare", "name": "Hives",
                                     "description": "Raised welts.", "line": 12}]
    assert data["related_conditions"] == ["Hay Fever"] and data["source"]["path"] == "p.txt"
