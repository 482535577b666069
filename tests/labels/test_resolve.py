"""From a page's drug name to a label: how names are compared, brand before product, application and
generic names, salts, routes and dose forms, combinations, the page's condition as a tie-breaker, labels
of one product (the most recent) against labels of different products (ambiguous, all listed), no
match, current versions only. The names are invented; the real names are checked by the slow test of
``tests/devtools/test_premiseeval.py`` against ``tests/fixtures/handchecked/resolution.csv``."""
from __future__ import annotations

import gc
import weakref

import pandas as pd
import pytest

from explorer.labels.importer import import_labels
from explorer.labels.resolve import NO_LABEL, LabelIndex, Resolution, name_key, salt_words
from explorer.labels.rows import LIST_SEPARATOR
from explorer.labels.store import LabelStore

from ..helpers import FIXTURES

SALTS = frozenset({"hydrochloride", "sodium"})


def labels_frame(*rows: dict) -> pd.DataFrame:
    """A labels table as :meth:`LabelStore.labels` gives it, from rows naming only what a test needs."""
    defaults = {"source": "openfda", "version": "1", "effective_time": "20200101", "brand_names": "",
                "generic_names": "", "substance_names": "", "current": True}
    full = [{**defaults, **row} for row in rows]
    for row in full:
        row.setdefault("set_id", row["key"])
    return pd.DataFrame(full)


# -- how names are compared ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, key", [
    ("ZENTRAVIX", "zentravix"), ("Zentravix®", "zentravix"), ("  zentravix\t", "zentravix"),  # case, marks, space
    ("Éstradiol", "estradiol"), ("fluoxétine", "fluoxetine"),  # accents
    ("Co-Trimoxazole", "co trimoxazole"), ("Brand/Name (oral)", "brand name oral"),  # punctuation to spaces
    ("Sertraline Hydrochloride", "sertraline"), ("sertraline HCl", "sertraline"),  # salt words from the file
    ("Losartan-Potassium", "losartan"), ("doxycycline hyclate monohydrate", "doxycycline"),
    ("Potassium Chloride", "potassium chloride"),  # nothing but salt words: the name is the drug
    # inorganic drugs are salts through and through: the whole name stays, never one half of it
    ("Calcium Carbonate", "calcium carbonate"), ("Sodium Bicarbonate", "sodium bicarbonate"),
    ("Ferrous Sulfate", "ferrous sulfate"), ("sodium fluoride", "sodium fluoride"),
    ("Magnesium Oxide", "magnesium oxide"), ("Lithium Carbonate", "lithium"),
])
def test_name_key_folds_case_accents_punctuation_and_salt_words(name, key):
    assert name_key(name) == key


def test_salt_words_come_from_the_reference_file_with_a_note_per_row(tmp_path):
    words = salt_words()
    assert {"hydrochloride", "hydrobromide", "sodium", "maleate"} <= words
    (tmp_path / "salt_words.csv").write_text("word,note\nZylate,invented for this test\n")
    assert salt_words(tmp_path) == frozenset({"zylate"})
    assert name_key("Brivolan zylate", salt_words(tmp_path)) == "brivolan"
    assert salt_words(tmp_path / "none") == frozenset()  # no file: no salt words, names compared whole


def test_only_the_given_salt_words_are_dropped():
    assert name_key("Naproxen Sodium Maleate", SALTS) == "naproxen maleate"


# -- which label ----------------------------------------------------------------------------------------

def test_a_brand_name_prefers_that_brands_label_over_newer_generics():
    index = LabelIndex(labels_frame(
        {"key": "mirena", "brand_names": "Mirena", "generic_names": "levonorgestrel", "effective_time": "20200101"},
        {"key": "kyleena", "brand_names": "Kyleena", "generic_names": "levonorgestrel", "effective_time": "20230101"},
        {"key": "generic", "generic_names": "Mirena", "effective_time": "20240101"},  # a generic named like it
    ), SALTS)
    found = index.resolve("MIRENA")
    assert (found.key, found.matched_by, found.alternatives, found.ambiguous) == ("mirena", "brand", (), False)
    assert found.note == "matched by brand name 'MIRENA'"


def test_labels_of_different_products_that_fit_a_name_equally_are_ambiguous_and_all_listed():
    index = LabelIndex(labels_frame(
        {"key": "mirena", "brand_names": "Mirena", "generic_names": "levonorgestrel", "effective_time": "20200101"},
        {"key": "kyleena", "brand_names": "Kyleena", "generic_names": "levonorgestrel", "effective_time": "20230101"},
    ), SALTS)
    generic = index.resolve("Levonorgestrel")
    assert generic.ambiguous and generic.candidates == ("kyleena", "mirena")  # most recent first
    assert generic.key == "kyleena" and generic.alternatives == ("mirena",)  # checked against the most recent
    assert generic.note.startswith("ambiguous: ") and "Mirena" in generic.note and "Kyleena" in generic.note


def test_several_labels_of_one_substance_use_the_most_recent_and_record_the_others():
    index = LabelIndex(labels_frame(
        {"key": "maker-a", "generic_names": "sertraline hydrochloride", "effective_time": "20190301"},
        {"key": "maker-b", "generic_names": "Sertraline HCl", "effective_time": "20240611"},
        {"key": "maker-c", "generic_names": "SERTRALINE", "effective_time": "20221105"},
        {"key": "other", "generic_names": "citalopram", "effective_time": "20250101"},
    ), salt_words())
    found = index.resolve("sertraline")
    assert found == Resolution(
        drug="sertraline", key="maker-b", set_id="maker-b", matched_by="generic",
        note="matched by generic name 'sertraline'; 3 labels match, the most recent (effective 20240611) is used",
        alternatives=("maker-c", "maker-a"))
    assert found.found and not found.ambiguous  # generics of several makers are one product


def test_on_the_same_date_the_highest_version_number_wins():
    index = LabelIndex(labels_frame(
        {"key": "v9", "generic_names": "quenfadil", "version": "9", "effective_time": "20240101"},
        {"key": "v12", "generic_names": "quenfadil", "version": "12", "effective_time": "20240101"},
    ), SALTS)
    assert index.resolve("quenfadil").key == "v12"  # 12 > 9 as numbers, though "9" > "12" as text


def test_a_substance_name_matches_a_single_ingredient_label_whose_generic_name_differs():
    index = LabelIndex(labels_frame(
        {"key": "one", "brand_names": "Plenexa", "generic_names": "plenorin", "substance_names": "PLENORIN BASE"}),
        SALTS)
    found = index.resolve("plenorin base")
    assert (found.key, found.matched_by) == ("one", "generic")


def test_a_single_ingredient_name_does_not_match_a_combination_that_contains_it():
    index = LabelIndex(labels_frame(
        {"key": "combo", "brand_names": "Plenexa", "generic_names": "calmorine and deltoprex",
         "substance_names": LIST_SEPARATOR.join(["CALMORINE SODIUM", "DELTOPREX"])}), SALTS)
    assert not index.resolve("deltoprex").found and not index.resolve("Calmorine").found
    both = index.resolve("Deltoprex and calmorine sodium")  # any order, salts and joining words folded
    assert (both.key, both.matched_by) == ("combo", "generic")
    assert index.resolve("calmorine/deltoprex").key == "combo" and index.resolve("Plenexa").key == "combo"


def test_a_name_contained_in_another_drugs_name_is_not_that_drug():
    index = LabelIndex(labels_frame({"key": "es", "brand_names": "Lexovan", "generic_names": "escitalovan"},
                                    {"key": "maint", "brand_names": "Abivex Maintena", "generic_names": "abivexole"}),
                       SALTS)
    assert not index.resolve("citalovan").found
    assert not index.resolve("Abivex").found  # a brand is not the longer brand that starts with it


def test_a_label_listing_one_name_twice_is_one_match_not_two():
    index = LabelIndex(labels_frame(
        {"key": "only", "brand_names": LIST_SEPARATOR.join(["Corvanex", "CORVANEX"])}), SALTS)
    assert index.resolve("corvanex").alternatives == () and "labels match" not in index.resolve("corvanex").note


def test_no_match_says_no_label_held_for_this_drug():
    index = LabelIndex(labels_frame({"key": "a", "brand_names": "Zentravix"}), SALTS)
    assert index.resolve("Unheardofin") == Resolution("Unheardofin", None, None, "none", NO_LABEL)
    assert NO_LABEL == "no label held for this drug" and not index.resolve("").found
    assert not LabelIndex(labels_frame({"key": "a"}).iloc[:0], SALTS).resolve("Zentravix").found


def test_only_current_versions_are_indexed():
    index = LabelIndex(labels_frame(
        {"key": "old", "set_id": "s", "brand_names": "Brivolan", "version": "1", "current": False},
        {"key": "new", "set_id": "s", "brand_names": "Brivolan XR", "version": "2", "current": True},
    ), SALTS)
    assert not index.resolve("Brivolan").found  # only the older version carried that name
    found = index.resolve("brivolan xr")
    assert (found.key, found.alternatives) == ("new", ())


def test_an_index_is_freed_with_its_last_reference():
    index = LabelIndex(labels_frame({"key": "a", "brand_names": "Zentravix"}), SALTS)
    assert index.resolve("zentravix").key == "a"
    ref = weakref.ref(index)
    del index
    gc.collect()
    assert ref() is None  # its answers are cached on the index, not in a cache that outlives it


def test_resolving_against_a_store_of_the_test_labels(tmp_path):
    import_labels([FIXTURES / "labels" / "openfda" / "zentravix.json", FIXTURES / "labels" / "spl" / "zentravix.xml"],
                  tmp_path, progress=False)
    index = LabelIndex(LabelStore(tmp_path).labels())
    by_brand = index.resolve("Zentravix")  # both labels carry the brand; the SPL one is the more recent
    assert by_brand.key.startswith("spl:") and len(by_brand.alternatives) == 1
    assert by_brand.alternatives[0].startswith("openfda:")
    assert index.resolve("dorazepine").key.startswith("openfda:")  # DORAZEPINE HYDROBROMIDE, salt dropped
    assert index.resolve("Zentravolol Hydrochloride").key.startswith("spl:")


# -- salts, routes and dose forms ------------------------------------------------------------------------

def test_a_salt_the_page_names_rules_out_a_label_of_another_salt():
    index = LabelIndex(labels_frame(
        {"key": "succ", "brand_names": "METOPRAVOL SUCCINATE", "generic_names": "METOPRAVOL SUCCINATE",
         "dosage_forms": "extended-release; oral; tablet"}), salt_words())
    assert not index.resolve("Metopravol tartrate").found  # the succinate label names tartrate nowhere as its salt
    assert index.resolve("Metopravol").key == "succ"  # no salt given: the one label held
    assert index.resolve("Metopravol succinate ER").key == "succ"  # salt and release form both fit


def test_a_label_with_the_pages_salt_beats_one_that_names_no_salt():
    index = LabelIndex(labels_frame(
        {"key": "phos", "brand_names": "Firdavex", "generic_names": "amifavex phosphate"},
        {"key": "base", "brand_names": "Ruzavex", "generic_names": "amifavex", "effective_time": "20240101"},
    ), salt_words())
    assert index.resolve("Amifavex phosphate").key == "phos" and not index.resolve("Amifavex phosphate").ambiguous
    assert index.resolve("Amifavex").ambiguous


def test_a_brand_field_that_only_repeats_the_generic_name_is_a_generic_and_the_page_form_decides():
    labels = labels_frame(
        {"key": "tabs", "brand_names": "Valorex", "generic_names": "DIAZOLAM", "routes": "ORAL",
         "dosage_forms": "oral; tablet", "effective_time": "20230101"},
        {"key": "gel", "brand_names": "Diazolam", "generic_names": "DIAZOLAM", "routes": "RECTAL",
         "dosage_forms": "gel; rectal", "effective_time": "20150101"})
    index = LabelIndex(labels, SALTS)
    bare = index.resolve("Diazolam")
    assert bare.ambiguous and set(bare.candidates) == {"tabs", "gel"}  # the gel's brand field does not win
    assert index.resolve("Diazolam Rectal Gel").key == "gel" and not index.resolve("Diazolam Rectal Gel").ambiguous
    assert index.resolve("Diazolam", form="tablets").key == "tabs"
    assert index.resolve("Diazolam", route="rectal").key == "gel"
    assert not index.resolve("Diazolam", form="injection").found  # no label of that form held
    assert index.resolve("Valorex").key == "tabs"


def test_a_release_form_the_page_names_must_be_the_labels():
    index = LabelIndex(labels_frame(
        {"key": "ir", "brand_names": "Glucotrex", "generic_names": "glipizan", "dosage_forms": "oral; tablet"}), SALTS)
    assert index.resolve("Glucotrex").key == "ir"
    assert not index.resolve("Glucotrex XL").found  # the immediate-release label is not the XL product
    assert not index.resolve("glipizan extended-release").found


def test_a_spelled_out_form_in_a_brand_field_is_its_brand_family_an_abbreviated_variant_is_not():
    index = LabelIndex(labels_frame(
        {"key": "pri", "brand_names": "Pristavex Extended-Release", "generic_names": "desvenlavex",
         "dosage_forms": "extended-release; oral; tablet"},
        {"key": "dep", "brand_names": "Depavex ER", "generic_names": "divalpravex", "dosage_forms": "extended-release"},
        {"key": "odt", "brand_names": "QMIVEX ODT", "generic_names": "meloxavex", "dosage_forms": "odt; oral; tablet"},
    ), SALTS)
    assert index.resolve("Pristavex").key == "pri" and index.resolve("Pristavex").matched_by == "brand family"
    assert not index.resolve("Depavex").found  # Depavex (delayed-release) is another product than Depavex ER
    assert index.resolve("Depavex ER").key == "dep" and index.resolve("QMIVEX").key == "odt"


# -- product names and application numbers -------------------------------------------------------------

def test_a_product_name_the_label_gives_besides_its_brand_finds_it():
    index = LabelIndex(labels_frame(
        {"key": "z", "brand_names": "ZOFRAVEX", "generic_names": "ondavex", "product_names": "ZOFRAVEX ODT",
         "dosage_forms": "odt; oral; tablet"},
        {"key": "h", "brand_names": "Ledivex and Sofovex", "generic_names": "LEDIVEX AND SOFOVEX",
         "product_names": "Harvovex"}), SALTS)
    assert (index.resolve("Zofravex ODT").key, index.resolve("Zofravex ODT").matched_by) == ("z", "product")
    assert index.resolve("Harvovex").key == "h"


def test_a_brand_tied_to_the_labels_application_by_the_data_file_finds_it_when_the_generic_agrees(tmp_path):
    (tmp_path / "brand_applications.csv").write_text(
        "brand,application,generic,note\n"
        "Topravex XL,NDA000001,metopravol succinate,invented for the test\n"
        "Wrongrex,NDA000001,another drug,invented: the generic does not agree\n")
    index = LabelIndex(labels_frame(
        {"key": "m", "brand_names": "METOPRAVOL SUCCINATE", "generic_names": "METOPRAVOL SUCCINATE",
         "application_numbers": "NDA000001", "dosage_forms": "extended-release; oral; tablet"}),
        salt_words(), reference_dir=tmp_path)
    found = index.resolve("Topravex XL")
    assert (found.key, found.matched_by) == ("m", "application")
    assert not index.resolve("Wrongrex").found


def test_aliases_kept_as_data_name_their_generics(tmp_path):
    (tmp_path / "drug_aliases.csv").write_text(
        "name,means,note\nvalprovate,valprovic acid,invented\nvalprovate,divalprovex sodium,invented\n")
    index = LabelIndex(labels_frame(
        {"key": "acid", "brand_names": "Depakevex", "generic_names": "VALPROVIC ACID"},
        {"key": "er", "brand_names": "Depakovex ER", "generic_names": "DIVALPROVEX SODIUM"}),
        salt_words(), reference_dir=tmp_path)
    found = index.resolve("Valprovate")
    assert found.matched_by == "alias" and set(found.candidates) == {"acid", "er"}
    assert index.resolve("valprovic acid").key == "acid"  # divalprovex names valprovic acid nowhere as its own


# -- the page's condition ---------------------------------------------------------------------------------

def test_the_pages_condition_breaks_a_tie_before_the_newest_date():
    labels = labels_frame(
        {"key": "old", "brand_names": "Afinivex", "generic_names": "everolivex", "effective_time": "20200101"},
        {"key": "new", "brand_names": "Zortrivex", "generic_names": "everolivex", "effective_time": "20240101"})
    approved = {("old", "Breast Cancer"), ("old", "Kidney Cancer"), ("new", "Kidney Cancer")}
    asked = []

    def approves(key, condition):
        asked.append((key, condition))
        return (key, condition) in approved

    index = LabelIndex(labels, SALTS, approves=approves)
    found = index.resolve("Everolivex", condition="Breast Cancer")
    assert (found.key, found.ambiguous) == ("old", False) and "approved for 'Breast Cancer'" in found.note
    assert index.resolve("Everolivex", condition="Kidney Cancer").ambiguous  # both approved: the tie stays
    assert index.resolve("Everolivex", condition="Insomnia").ambiguous  # neither: the condition says nothing
    assert index.resolve("Everolivex").ambiguous and ("old", "Breast Cancer") in asked
    asked.clear()
    index.resolve("Afinivex", condition="Kidney Cancer")
    assert asked == []  # one label found: nothing to break


def test_a_store_written_before_the_product_columns_resolves_with_them_missing():
    old = labels_frame({"key": "a", "brand_names": "Zentravix", "generic_names": "zentravolol"})
    assert "dosage_forms" not in old.columns
    index = LabelIndex(old, SALTS)
    assert index.resolve("Zentravix").key == "a" and index.resolve("zentravolol tablets").key is None


def test_labels_of_one_brand_are_one_product_unless_their_dose_forms_differ():
    same = LabelIndex(labels_frame(
        {"key": "spl", "brand_names": "Zentravix", "generic_names": "zentravolol", "dosage_forms": "oral; tablet",
         "effective_time": "20240101"},
        {"key": "fda", "brand_names": "Zentravix", "generic_names": "zentravolol", "dosage_forms": "oral"}), SALTS)
    assert (same.resolve("Zentravix").key, same.resolve("Zentravix").ambiguous) == ("spl", False)
    forms = LabelIndex(labels_frame(
        {"key": "tabs", "brand_names": "Zofravex", "generic_names": "ondavex", "dosage_forms": "oral; tablet"},
        {"key": "inj", "brand_names": "Zofravex", "generic_names": "ondavex", "dosage_forms": "injection",
         "effective_time": "20240101"}), SALTS)
    assert forms.resolve("Zofravex").ambiguous and forms.resolve("Zofravex", form="tablet").key == "tabs"


def test_salt_words_of_newer_drugs_are_folded_from_the_data_file():
    index = LabelIndex(labels_frame({"key": "e", "brand_names": "PROMAVEX", "generic_names": "ELTROMBAVEX OLAMINE"}),
                       salt_words())
    assert index.resolve("Eltrombavex").key == "e"


def test_the_condition_is_not_asked_of_labels_of_one_product():
    asked = []
    index = LabelIndex(labels_frame(
        *({"key": f"maker-{i}", "generic_names": "sertravex", "effective_time": f"2020010{i}"} for i in range(1, 6))),
        SALTS, approves=lambda key, condition: asked.append(key) or True)
    assert index.resolve("sertravex", condition="Depression").key == "maker-5" and asked == []
