"""explorer.labels.products: what a label says of its product (application numbers, routes, dose-form
tags, product names besides its brand), and a page's dose-form words read with the same vocabulary.

The records here are written for the test in openFDA's shape (invented names, our own words).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from explorer.labels.openfda import label_from_openfda
from explorer.labels.products import dose_tags, dose_words, openfda_product, split_dose_words
from explorer.labels.spl import read_spl

from ..helpers import FIXTURES


def record(**fields) -> dict:
    base = {"set_id": "11111111-2222-4333-8444-555555555555", "id": "66666666-7777-4888-9999-000000000000",
            "version": "1", "effective_time": "20200101",
            "indications_and_usage": ["1 INDICATIONS AND USAGE Zofravex is indicated for nausea."],
            "openfda": {"brand_name": ["ZOFRAVEX"], "generic_name": ["ONDAVEX HYDROCHLORIDE"],
                        "substance_name": ["ONDAVEX HYDROCHLORIDE"], "route": ["ORAL"],
                        "application_number": ["NDA000003"]}}
    base.update(fields)
    return base


def test_an_openfda_label_gives_its_application_route_dose_forms_and_product_variants():
    raw = record(dosage_forms_and_strengths=[
        "3 DOSAGE FORMS AND STRENGTHS ZOFRAVEX Tablets are white. ZOFRAVEX ODT orally disintegrating tablets "
        "are round. ZOFRAVEX Oral Solution is clear."])
    label = label_from_openfda(raw, "NDA000003.json", 0)
    assert (label.application_numbers, label.routes) == (("NDA000003",), ("ORAL",))
    assert {"tablet", "odt", "solution", "oral"} <= set(label.dosage_forms)
    assert label.product_names == ("ZOFRAVEX ODT",)  # "ZOFRAVEX Tablets" is a word of the sentence, not a name


@pytest.mark.parametrize("field, text, names", [
    ("package_label_principal_display_panel", "NDC 0000-0000 Ledivex and Sofovex tablets Authorized generic of "
                                              "Harvovex ® PRINCIPAL DISPLAY PANEL", ["Harvovex"]),
    ("package_label_principal_display_panel", "Authorized Generic for PERFOROVEX ® Inhalation Solution",
     ["PERFOROVEX"]),
    ("spl_product_data_elements", "Bactravex DS sulfavex and trimevex SODIUM STARCH Bactravex;DS Bactravex "
                                  "sulfavex and trimevex", ["Bactravex DS"]),
    ("indications_and_usage", "1 INDICATIONS AND USAGE BACTRAVEX and BACTRAVEX SoluTab are indicated for "
                              "ulcers.", ["Bactravex SoluTab"]),  # named as the brand field writes it
    ("package_label_principal_display_panel", "BACTRAVEX Single-dose vial. DRUG: Bactravex PACKAGING: 30 in 1",
     []),  # a word of the sentence, a field name: no product
])
def test_product_names_come_from_the_product_elements_package_label_and_indications(field, text, names):
    raw = record(**{field: [text]}, openfda={"brand_name": ["Bactravex"] if "ctravex" in text.casefold() else
                                                ["Ledivex and Sofovex"], "generic_name": ["sulfavex and trimevex"]})
    if "Harvovex" in text or "PERFOROVEX" in text:
        raw["openfda"] = {"brand_name": ["Ledivex and Sofovex"], "generic_name": ["LEDIVEX AND SOFOVEX"]}
    product = openfda_product(raw, raw["openfda"]["brand_name"], raw["openfda"]["generic_name"], [])
    assert list(product.product_names) == names


def test_label_prose_gives_no_abbreviated_forms_page_names_do():
    assert dose_tags("ER", names=True) == {"extended-release"}
    assert dose_tags("seen in the ER", names=False) == frozenset()
    assert split_dose_words("Amphetavex ER Oral Suspension") == ("amphetavex", frozenset(
        {"extended-release", "suspension", "oral"}))
    assert split_dose_words("Spirivex") == ("spirivex", frozenset())


def test_the_dose_form_vocabulary_is_data_with_a_note_per_row(tmp_path):
    words = dose_words()
    assert words.in_names[("orally", "disintegrating", "tablet")] == {"odt", "tablet", "oral"}
    (tmp_path / "dose_forms.csv").write_text("phrase,tags,scope,note\nwafer,wafer oral,any,invented\n")
    assert dose_tags("a wafer", reference_dir=tmp_path) == {"wafer", "oral"}


def test_an_spl_document_gives_its_forms_and_routes():
    xml = (FIXTURES / "labels" / "spl" / "zentravix.xml").read_bytes()
    label = read_spl(xml, "zentravix.xml")
    assert {"tablet", "oral"} <= set(label.dosage_forms)


def test_a_brand_list_row_without_its_application_is_refused_by_line(tmp_path):
    from explorer.labels.products import brand_applications

    (tmp_path / "brand_applications.csv").write_text("brand,application,generic,note\nToprovex,,metopravol,x\n")
    with pytest.raises(ValueError, match=r"brand_applications.csv:2: expected brand, application, generic"):
        brand_applications(tmp_path)
    assert brand_applications(tmp_path / "none") == ()
